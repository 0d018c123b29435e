#include "core/buf.h"
#include "core/error.h"
#include "core/jsonpos.h"
#include "core/timeutil.h"
#include "core/util.h"

#include "tests/unit/check_main.h"

#include <string.h>

START_TEST(buf_is_bounded)
{
	struct netra_buf b;

	netra_buf_init(&b, 8);
	ck_assert_int_eq(netra_buf_adds(&b, "12345678"), NETRA_OK);
	ck_assert_int_eq(netra_buf_adds(&b, "9"), NETRA_ETOOBIG);
	ck_assert_str_eq(netra_buf_str(&b), "12345678");
	netra_buf_reset(&b);
	ck_assert_int_eq(netra_buf_printf(&b, "%d-%s", 42, "x"), NETRA_OK);
	ck_assert_str_eq(netra_buf_str(&b), "42-x");
	ck_assert_int_eq(netra_buf_printf(&b, "%s", "123456"), NETRA_ETOOBIG);
	netra_buf_free(&b);
}
END_TEST

START_TEST(did_you_mean_suggests_close_keys)
{
	static const char *const keys[] = {"elections", "watchlist", "threshold"};

	ck_assert_str_eq(netra_did_you_mean("electons", keys, 3), "elections");
	ck_assert_str_eq(netra_did_you_mean("treshold", keys, 3), "threshold");
	ck_assert_ptr_null(netra_did_you_mean("banana", keys, 3));
}
END_TEST

START_TEST(strlcpy_truncates)
{
	char d[4];

	ck_assert_uint_eq(netra_strlcpy(d, "abcdef", sizeof(d)), 6);
	ck_assert_str_eq(d, "abc");
}
END_TEST

START_TEST(rfc3339_parses_offsets)
{
	int64_t t1;
	int64_t t2;
	char out[32];

	ck_assert_int_eq(netra_time_parse("2024-10-05T09:12:00+07:00", &t1), 0);
	ck_assert_int_eq(netra_time_parse("2024-10-05T02:12:00Z", &t2), 0);
	ck_assert(t1 == t2);
	netra_time_format_utc(t1, out, sizeof(out));
	ck_assert_str_eq(out, "2024-10-05T02:12:00Z");
	ck_assert_int_eq(netra_time_parse("2024-10-05T09:12:00.123-03:30", &t1), 0);
	ck_assert_int_eq(netra_time_parse("2024-10-05 09:12", &t1), -1);
	ck_assert_int_eq(netra_time_parse("2024-02-30T09:12:00Z", &t1), -1);
	ck_assert_int_eq(netra_time_parse("2024-10-05T09:12:00", &t1), -1);
}
END_TEST

START_TEST(dates_and_zones)
{
	int64_t d;
	int m;

	ck_assert_int_eq(netra_date_parse("2024-02-29", &d), 0);
	ck_assert_int_eq(netra_date_parse("2023-02-29", &d), -1);
	ck_assert_int_eq(netra_date_parse("1970-01-01", &d), 0);
	ck_assert(d == 0);
	ck_assert_int_eq(netra_tz_offset("Asia/Makassar", &m), 0);
	ck_assert_int_eq(m, 480);
	ck_assert_int_eq(netra_tz_offset("+09:00", &m), 0);
	ck_assert_int_eq(m, 540);
	ck_assert_int_eq(netra_tz_offset("Europe/Paris", &m), -1);
}
END_TEST

START_TEST(json_line_finds_fields)
{
	const char *text = "{\n  \"id\": \"x\",\n  \"candidates\": [\n    {\"number\": 1},\n"
			   "    {\n      \"number\": \"two\"\n    }\n  ]\n}\n";
	size_t len = strlen(text);

	ck_assert_int_eq(netra_json_line(text, len, "id"), 2);
	ck_assert_int_eq(netra_json_line(text, len, "candidates[0].number"), 4);
	ck_assert_int_eq(netra_json_line(text, len, "candidates[1].number"), 6);
	/* A missing field points at its parent. */
	ck_assert_int_eq(netra_json_line(text, len, "candidates[1].names"), 5);
}
END_TEST

START_TEST(utf8_validation)
{
	ck_assert_int_eq(netra_utf8_valid("coblos ✌", strlen("coblos ✌")), 1);
	ck_assert_int_eq(netra_utf8_valid("\xc3\x28", 2), 0);
	ck_assert_int_eq(netra_utf8_valid("\xe2\x9c", 2), 0);
	ck_assert_int_eq(netra_utf8_valid("\xed\xa0\x80", 3), 0);
}
END_TEST

START_TEST(relative_paths)
{
	char *p = netra_path_relative_to("examples/netra.json", "posts.jsonl");

	ck_assert_str_eq(p, "examples/posts.jsonl");
	free(p);
	p = netra_path_relative_to("examples/netra.json", "/tmp/x");
	ck_assert_str_eq(p, "/tmp/x");
	free(p);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_is_bounded);
	tcase_add_test(tc, did_you_mean_suggests_close_keys);
	tcase_add_test(tc, strlcpy_truncates);
	tcase_add_test(tc, rfc3339_parses_offsets);
	tcase_add_test(tc, dates_and_zones);
	tcase_add_test(tc, json_line_finds_fields);
	tcase_add_test(tc, utf8_validation);
	tcase_add_test(tc, relative_paths);
	suite_add_tcase(s, tc);
	return s;
}
