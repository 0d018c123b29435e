/* Checkpoint store: cursors and remembered ids survive a save and reload,
 * the id set is bounded (oldest forgotten first), a corrupt file is an
 * error naming the file. */
#include "collectors/checkpoint.h"
#include "core/error.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[256];
static char path[300];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/netra-cp-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/checkpoint.json", dir);
}

static void teardown(void)
{
	unlink(path);
	rmdir(dir);
}

START_TEST(round_trip)
{
	struct netra_checkpoint *cp = NULL;
	char err[512];
	json_t *cur = json_pack("{s:s}", "tag:x", "123");

	ck_assert_int_eq(netra_checkpoint_open(path, 10, &cp, err, sizeof(err)), NETRA_OK);
	ck_assert_ptr_null(netra_checkpoint_cursor(cp, "m"));
	ck_assert_int_eq(netra_checkpoint_set_cursor(cp, "m", cur), NETRA_OK);
	ck_assert_int_eq(netra_checkpoint_add_seen(cp, "a:1"), NETRA_OK);
	ck_assert_int_eq(netra_checkpoint_add_seen(cp, "a:2"), NETRA_OK);
	ck_assert_int_eq(netra_checkpoint_add_seen(cp, "a:1"), NETRA_OK);
	ck_assert_uint_eq(netra_checkpoint_nseen(cp), 2);
	ck_assert_int_eq(netra_checkpoint_set_out(cp, "/tmp/out.jsonl", 42), NETRA_OK);
	ck_assert_int_eq(netra_checkpoint_save(cp, err, sizeof(err)), NETRA_OK);
	netra_checkpoint_destroy(&cp);
	ck_assert_ptr_null(cp);

	ck_assert_int_eq(netra_checkpoint_open(path, 10, &cp, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(json_string_value(json_object_get(netra_checkpoint_cursor(cp, "m"), "tag:x")),
			 "123");
	ck_assert_int_eq(netra_checkpoint_seen(cp, "a:1"), 1);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "a:2"), 1);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "a:3"), 0);
	ck_assert_int_eq(netra_checkpoint_out_size(cp, "/tmp/out.jsonl"), 42);
	ck_assert_int_eq(netra_checkpoint_out_size(cp, "/tmp/other.jsonl"), -1);
	netra_checkpoint_destroy(&cp);
	json_decref(cur);
}
END_TEST

START_TEST(seen_is_bounded)
{
	struct netra_checkpoint *cp = NULL;
	char err[512];
	char id[32];

	ck_assert_int_eq(netra_checkpoint_open(path, 100, &cp, err, sizeof(err)), NETRA_OK);
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof(id), "x:%d", i);
		ck_assert_int_eq(netra_checkpoint_add_seen(cp, id), NETRA_OK);
	}
	ck_assert_uint_eq(netra_checkpoint_nseen(cp), 100);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "x:899"), 0);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "x:900"), 1);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "x:999"), 1);
	ck_assert_int_eq(netra_checkpoint_save(cp, err, sizeof(err)), NETRA_OK);
	netra_checkpoint_destroy(&cp);
	/* Reloaded with a smaller bound, the newest are kept. */
	ck_assert_int_eq(netra_checkpoint_open(path, 10, &cp, err, sizeof(err)), NETRA_OK);
	ck_assert_uint_eq(netra_checkpoint_nseen(cp), 10);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "x:999"), 1);
	ck_assert_int_eq(netra_checkpoint_seen(cp, "x:989"), 0);
	netra_checkpoint_destroy(&cp);
}
END_TEST

START_TEST(corrupt_is_an_error)
{
	struct netra_checkpoint *cp = NULL;
	char err[512];
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	fputs("{\"version\":1,\"cursors\":{", fp);
	fclose(fp);
	ck_assert_int_eq(netra_checkpoint_open(path, 10, &cp, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_null(cp);
	ck_assert_ptr_nonnull(strstr(err, "checkpoint.json"));
	ck_assert_ptr_nonnull(strstr(err, "corrupt"));
	fp = fopen(path, "w");
	fputs("{\"version\":7}", fp);
	fclose(fp);
	ck_assert_int_eq(netra_checkpoint_open(path, 10, &cp, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "version"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("collect_checkpoint");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, seen_is_bounded);
	tcase_add_test(tc, corrupt_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}
