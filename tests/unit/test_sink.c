#include "core/error.h"
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
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_msg(p->init(dir, &s, err, sizeof(err)) == NETRA_OK, "%s", err);
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
	ck_assert_int_eq(p->init(dir, &s, err, sizeof(err)), NETRA_OK);
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
	suite_add_tcase(s, tc);
	return s;
}
