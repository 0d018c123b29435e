#include "core/error.h"
#include "core/util.h"
#include "sinks/cases.h"
#include "sinks/sink.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char flag1[] = "{\"post\":{\"id\":\"a:b:1\",\"source\":\"a\",\"text\":\"x\"},"
			    "\"categories\":[\"dukungan\"],\"score\":0.9}";
static const char flag2[] = "{\"post\":{\"id\":\"a:b:2\",\"source\":\"a\",\"text\":\"y\"},"
			    "\"categories\":[\"foto\"],\"score\":0.7}";

START_TEST(sqlite_is_idempotent_and_lists_jsonl)
{
	const struct netra_sink_plugin *p = netra_sink_plugin_find("sqlite");
	struct netra_sink *s = NULL;
	char dir[] = "/tmp/netra-sink-XXXXXX";
	char err[512];
	char *text = NULL;
	size_t len = 0;
	FILE *out;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(netra_sink_plugin_find("nope"));
	struct netra_config cfg;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(netra_config_defaults(&cfg), NETRA_OK);
	free(cfg.data_dir);
	cfg.data_dir = netra_strdup(dir);
	ck_assert_msg(p->init(&cfg, &s, err, sizeof(err)) == NETRA_OK, "%s", err);
	ck_assert_int_eq(p->write(s, "a:b:1", flag1, strlen(flag1), 1, 1700000000000000), NETRA_OK);
	ck_assert_int_eq(p->write(s, "a:b:2", flag2, strlen(flag2), 1, 1700000000000000), NETRA_OK);
	ck_assert_int_eq(p->commit(s), NETRA_OK);
	/* The same post again, in a later batch and in the same one. */
	ck_assert_int_eq(p->write(s, "a:b:1", flag2, strlen(flag2), 1, 1700000001000000), NETRA_OK);
	ck_assert_int_eq(p->write(s, "a:b:1", flag1, strlen(flag1), 1, 1700000001000000), NETRA_OK);
	ck_assert_int_eq(p->commit(s), NETRA_OK);
	ck_assert_int_eq(p->count(s), 2);
	p->exit(&s);
	ck_assert_ptr_null(s);
	/* Durable: a new instance sees the same rows. */
	ck_assert_int_eq(p->init(&cfg, &s, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(p->count(s), 2);
	out = open_memstream(&text, &len);
	ck_assert_int_eq(p->list(s, out), NETRA_OK);
	fclose(out);
	ck_assert_str_eq(text,
			 "{\"post\":{\"id\":\"a:b:1\",\"source\":\"a\",\"text\":\"x\"},"
			 "\"categories\":[\"dukungan\"],\"score\":0.9,"
			 "\"arrived_at\":\"2023-11-14T22:13:20Z\"}\n"
			 "{\"post\":{\"id\":\"a:b:2\",\"source\":\"a\",\"text\":\"y\"},"
			 "\"categories\":[\"foto\"],\"score\":0.7,"
			 "\"arrived_at\":\"2023-11-14T22:13:20Z\"}\n");
	free(text);
	p->exit(&s);
	p->exit(&s);
	netra_config_free(&cfg);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

START_TEST(review_files_flags_as_evidence_once)
{
	const struct netra_sink_plugin *p = netra_sink_plugin_find("review");
	static const char flag[] =
		"{\"post\":{\"id\":\"m:x:1\",\"source\":\"mastodon\",\"text\":\"Ayo coblos nomor 2\","
		"\"created_at\":\"2024-10-05T09:12:00+07:00\"},\"categories\":[\"ajakan\"],"
		"\"candidate\":{\"election\":\"e1\",\"number\":2},\"stage\":\"kampanye\",\"score\":0.8,"
		"\"hits\":[{\"rule\":\"ajakan.x\",\"category\":\"ajakan\",\"field\":\"text\",\"start\":4,"
		"\"end\":10,\"match\":\"coblos\"}],\"subject\":{\"asn\":\"bio\",\"nip\":\"198503152010011002\"}}";
	struct netra_sink *s = NULL;
	struct netra_cases *cases = NULL;
	struct netra_config cfg;
	char dir[] = "/tmp/netra-sink-XXXXXX";
	char err[512];
	json_t *list = NULL;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(netra_config_defaults(&cfg), NETRA_OK);
	free(cfg.data_dir);
	cfg.data_dir = netra_strdup(dir);
	ck_assert_msg(p->init(&cfg, &s, err, sizeof(err)) == NETRA_OK, "%s", err);
	/* The same flag twice, as a resend after a crash would bring it. */
	ck_assert_int_eq(p->write(s, "m:x:1", flag, strlen(flag), 1, 1728094320000000), NETRA_OK);
	ck_assert_int_eq(p->commit(s), NETRA_OK);
	ck_assert_int_eq(p->write(s, "m:x:1", flag, strlen(flag), 1, 1728094321000000), NETRA_OK);
	ck_assert_int_eq(p->commit(s), NETRA_OK);
	ck_assert_int_eq(p->count(s), 1);
	p->exit(&s);
	/* The case store holds one case with one evidence item. */
	ck_assert_msg(netra_cases_open(dir, &cases, err, sizeof(err)) == NETRA_OK, "%s", err);
	ck_assert_int_eq(netra_cases_list(cases, NULL, NULL, &list), NETRA_OK);
	ck_assert_uint_eq(json_array_size(list), 1);
	json_decref(list);
	netra_cases_destroy(&cases);
	netra_config_free(&cfg);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("sink");
	TCase *tc = tcase_create("sink");

	tcase_add_test(tc, sqlite_is_idempotent_and_lists_jsonl);
	tcase_add_test(tc, review_files_flags_as_evidence_once);
	suite_add_tcase(s, tc);
	return s;
}
