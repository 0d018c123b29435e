#include "core/error.h"
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
	suite_add_tcase(s, tc);
	return s;
}
