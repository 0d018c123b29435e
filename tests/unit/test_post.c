#include "core/error.h"
#include "core/jsonfast.h"
#include "core/post.h"

#include "tests/unit/check_main.h"

#include <string.h>

static int parse(const char *line, char *err)
{
	json_t *p = NULL;
	int rc = netra_post_parse(line, strlen(line), &p, err, 512);

	json_decref(p);
	return rc;
}

START_TEST(good_post_round_trips_unknown_fields)
{
	const char *line =
		"{\"id\":\"mastodon:m.s:1\",\"source\":\"mastodon\",\"platform\":\"x\","
		"\"created_at\":\"2024-10-05T09:12:00+07:00\",\"author\":{\"handle\":\"budi\","
		"\"extra\":[1,2]},\"act\":\"share\",\"text\":\"Mantap! ✌️\",\"tags\":[\"A\"],"
		"\"media\":[{\"type\":\"image\",\"alt\":\"foto\"}],\"ref\":{\"text\":\"x\"},\"zz\":null}";
	json_t *p = NULL;
	char err[512];
	char *out;

	ck_assert_int_eq(netra_post_parse(line, strlen(line), &p, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(netra_post_act(p), NETRA_ACT_SHARE);
	ck_assert_str_eq(netra_post_get(p, "author.handle"), "budi");
	ck_assert_str_eq(netra_post_get(p, "ref.text"), "x");
	ck_assert_ptr_null(netra_post_get(p, "ref.url"));
	out = netra_post_dump(p);
	ck_assert_str_eq(out, line);
	free(out);
	json_decref(p);
}
END_TEST

START_TEST(bad_posts_name_the_field)
{
	char err[512];

	ck_assert_int_eq(parse("{\"source\":\"x\",\"text\":\"\"}", err), NETRA_EINVAL);
	ck_assert_str_eq(err, "id: missing (required)");
	ck_assert_int_eq(parse("{\"id\":\"a\",\"source\":\"x\"}", err), NETRA_EINVAL);
	ck_assert_str_eq(err, "text: missing (required)");
	ck_assert_int_eq(parse("{\"id\":\"a\",\"source\":\"x\",\"text\":5}", err), NETRA_EINVAL);
	ck_assert_str_eq(err, "text: must be a string, not an integer");
	ck_assert_int_eq(parse("{\"id\":\"a\",\"source\":\"x\",\"text\":\"\",\"act\":\"retweet\"}", err),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "act: 'retweet' is not one of"));
	ck_assert_int_eq(parse("{\"id\":\"a\",\"source\":\"x\",\"text\":\"\",\"created_at\":\"kemarin\"}", err),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "created_at: 'kemarin' is not an RFC 3339 time"));
	ck_assert_int_eq(parse("{\"id\":\"a\",\"source\":\"x\",\"text\":\"\",\"media\":[{\"alt\":1}]}", err),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "media[0].alt: must be a string, not an integer");
	ck_assert_int_eq(parse("{\"id\":\"a\",\"source\":\"x\",\"text\":\"\",\"report\":{\"subject\":{\"nip\":1}}}", err),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "report.subject.nip: must be a string, not an integer");
	ck_assert_int_eq(parse("{\"id\":\"\",\"source\":\"x\",\"text\":\"\"}", err), NETRA_EINVAL);
	ck_assert_str_eq(err, "id: must not be empty");
	ck_assert_int_eq(parse("[1,2]", err), NETRA_EINVAL);
	ck_assert_str_eq(err, "post must be a JSON object, not an array");
	ck_assert_int_eq(parse("{\"id\":\"a\",", err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "column"));
	ck_assert_int_eq(parse("{\"id\":\"a\",\"id\":\"b\",\"source\":\"x\",\"text\":\"\"}", err),
			 NETRA_EINVAL);
}
END_TEST

/* The fast reader: equal to jansson where it reads, and declining (NULL)
 * wherever jansson would refuse or might read differently. */
static int fast_equals_jansson(const char *text)
{
	json_error_t jerr;
	json_t *a = netra_json_fast_parse(text, strlen(text));
	json_t *b = json_loadb(text, strlen(text), NETRA_JSON_DECODE_FLAGS, &jerr);
	char *da = a ? json_dumps(a, NETRA_JSON_ENCODE_FLAGS) : NULL;
	char *db = b ? json_dumps(b, NETRA_JSON_ENCODE_FLAGS) : NULL;
	int same = a != NULL && b != NULL && json_equal(a, b) && strcmp(da, db) == 0;

	free(da);
	free(db);
	json_decref(a);
	json_decref(b);
	return same;
}

static int fast_declines(const char *text, size_t len)
{
	json_t *a = netra_json_fast_parse(text, len);

	json_decref(a);
	return a == NULL;
}

START_TEST(fast_reader_reads_what_jansson_reads)
{
	ck_assert(fast_equals_jansson(
		"{\"id\":\"a\",\"z\":1,\"b\":{\"c\":[true,false,null,-0,9223372036854775807,"
		"-9223372036854775808]},\"t\":\"Salam \\\"2 jari\\\" \\u270c\\ufe0f \\ud83d\\ude00 "
		"\\/\\b\\f\\n\\r\\t\\\\ é✌\"}"));
	ck_assert(fast_equals_jansson(" [ ] "));
	ck_assert(fast_equals_jansson("{\"nul\":\"a\\u0000b\"}"));
	/* Keys keep their order, as jansson keeps it. */
	ck_assert(fast_equals_jansson("{\"z\":1,\"a\":2,\"m\":3}"));
}
END_TEST

START_TEST(fast_reader_declines_what_it_does_not_read)
{
	static const char *const bad[] = {
		"{\"a\":1,\"a\":2}",        /* duplicate key */
		"{\"a\":1.5}",               /* real */
		"{\"a\":1e3}",               /* real */
		"{\"a\":18446744073709551616}", /* too big */
		"{\"a\":01}",                /* leading zero */
		"{\"a\":\"\\ud800\"}",      /* lone surrogate */
		"{\"a\":\"\\udc00\"}",      /* lone low surrogate */
		"{\"a\":\"\\x\"}",          /* bad escape */
		"{\"\\u0000\":1}",           /* NUL in a key */
		"{\"a\":1} x",               /* trailing bytes */
		"{\"a\":1",                  /* cut short */
		"\"top\"",                    /* not an object or array */
		"{\"a\":tru}",               /* bad word */
		"{\"a\":\"tab\there\"}",     /* raw control character */
		"{\"a\":\"\xc3\x28\"}",       /* invalid UTF-8 */
		"{\"a\":\"\xe0\x80\x80\"}",   /* overlong */
		"{\"a\":\"\xed\xa0\x80\"}",   /* encoded surrogate */
		"{\"a\":\"\xf4\x90\x80\x80\"}", /* above U+10FFFF */
		"",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(fast_declines(bad[i], strlen(bad[i])), "accepted: %s", bad[i]);
	/* A NUL byte outside a string, and nesting deeper than it goes. */
	ck_assert(fast_declines("{\"a\":1}\0", 8));
	{
		char deep[200];
		memset(deep, '[', 100);
		memset(deep + 100, ']', 100);
		ck_assert(fast_declines(deep, sizeof(deep)));
	}
}
END_TEST

START_TEST(act_names)
{
	enum netra_act a;

	ck_assert_int_eq(netra_act_parse("follow", &a), 0);
	ck_assert_int_eq(a, NETRA_ACT_FOLLOW);
	ck_assert_str_eq(netra_act_name(NETRA_ACT_REPORT), "report");
	ck_assert_int_eq(netra_act_parse("Like", &a), -1);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("post");
	TCase *tc = tcase_create("post");

	tcase_add_test(tc, good_post_round_trips_unknown_fields);
	tcase_add_test(tc, bad_posts_name_the_field);
	tcase_add_test(tc, act_names);
	tcase_add_test(tc, fast_reader_reads_what_jansson_reads);
	tcase_add_test(tc, fast_reader_declines_what_it_does_not_read);
	suite_add_tcase(s, tc);
	return s;
}
