#include "core/config.h"
#include "core/error.h"
#include "core/util.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIR "/tmp/netra-test-config"
#define PATH DIR "/netra.json"

static int load(const char *text, struct netra_config *cfg, char *err)
{
	FILE *fp;

	mkdir(DIR, 0755);
	fp = fopen(PATH, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	return netra_config_load(PATH, cfg, err, 512);
}

START_TEST(defaults_and_relative_paths)
{
	struct netra_config cfg;
	char err[512];

	ck_assert_int_eq(load("{\n  \"elections\": [\"e1.json\", \"/abs/e2.json\"],\n"
			      "  \"watchlist\": \"w.jsonl\",\n  \"threshold\": 0.7\n}\n",
			      &cfg, err),
			 NETRA_OK);
	ck_assert_uint_eq(cfg.nelections, 2);
	ck_assert_str_eq(cfg.elections[0], DIR "/e1.json");
	ck_assert_str_eq(cfg.elections[1], "/abs/e2.json");
	ck_assert_ptr_null(cfg.elections[2]);
	ck_assert_str_eq(cfg.watchlist, DIR "/w.jsonl");
	ck_assert(cfg.threshold > 0.69 && cfg.threshold < 0.71);
	ck_assert_int_eq((int)cfg.max_post_bytes, 65536);
	ck_assert_str_eq(cfg.data_dir, DIR "/netra-data");
	ck_assert_str_eq(cfg.log_level, "info");
	netra_config_free(&cfg);
}
END_TEST

START_TEST(bad_configs_say_where_and_why)
{
	struct netra_config cfg;
	char err[512];

	ck_assert_int_eq(load("{\n  \"elections\": [],\n  \"treshold\": 0.5\n}\n", &cfg, err), NETRA_EINVAL);
	ck_assert_str_eq(err, PATH ":3: treshold: unknown key (did you mean \"threshold\"?)");
	ck_assert_int_eq(load("{\"colour\": 1}", &cfg, err), NETRA_EINVAL);
	ck_assert_str_eq(err, PATH ":1: colour: unknown key (see `netra config keys`)");
	ck_assert_int_eq(load("{\n\"threshold\": 2}", &cfg, err), NETRA_EINVAL);
	ck_assert_str_eq(err, PATH ":2: threshold: 2 is outside the range 0.01 to 1");
	ck_assert_int_eq(load("{\"max_post_bytes\": 1.5}", &cfg, err), NETRA_EINVAL);
	ck_assert_str_eq(err, PATH ":1: max_post_bytes: must be an integer");
	ck_assert_int_eq(load("{\"elections\": [\"a\", 3]}", &cfg, err), NETRA_EINVAL);
	ck_assert_str_eq(err, PATH ":1: elections[1]: must be a non-empty string");
	ck_assert_int_eq(load("{\"log_level\": \"loud\"}", &cfg, err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "log_level: \"loud\" is not one of"));
	ck_assert_int_eq(load("{\"sources\": [1]}", &cfg, err), NETRA_EINVAL);
	ck_assert_str_eq(err, PATH ":1: sources[0]: must be an object");
	ck_assert_int_eq(load("{\"elections\": ", &cfg, err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "invalid JSON"));
	ck_assert_int_eq(netra_config_load(DIR "/missing.json", &cfg, err, sizeof(err)), NETRA_EIO);
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
}
END_TEST

START_TEST(docs_come_from_the_table)
{
	struct netra_buf b;

	netra_buf_init(&b, 1 << 20);
	ck_assert_int_eq(netra_config_markdown(&b), NETRA_OK);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b), "| `threshold` | number | `0.5` |"));
	netra_buf_reset(&b);
	ck_assert_int_eq(netra_config_describe(&b), NETRA_OK);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b), "max_post_bytes"));
	netra_buf_free(&b);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, defaults_and_relative_paths);
	tcase_add_test(tc, bad_configs_say_where_and_why);
	tcase_add_test(tc, docs_come_from_the_table);
	suite_add_tcase(s, tc);
	return s;
}
