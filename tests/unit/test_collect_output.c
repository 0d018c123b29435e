/* The collect driver's output function: a full output (NETRA_ERETRY)
 * pauses collecting and the rest of the poll is offered again, posts the
 * output took are never offered twice, the cursor is saved only once the
 * whole poll was taken, and an output error stops the collector without
 * moving the cursor. */
#include "collectors/collect.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"

#include "tests/unit/check_main.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { NPOSTS = 25 };

static char dir[256];
static char posts_path[300];
static char cfg_path[300];

/* What the test output received, and how it behaves. */
struct sink {
	char ids[NPOSTS * 2][64]; /* ids taken, in order */
	size_t n;                 /* entries */
	size_t calls;             /* calls of the output */
	size_t per_call;          /* at most this many taken per call */
	size_t fail_after;        /* fail with NETRA_EIO once this many are taken (0: never) */
};

static int test_output(void *arg, const struct netra_collect_post *posts, size_t n,
		       size_t *taken)
{
	struct sink *s = arg;
	size_t k = 0;

	s->calls++;
	while (k < n && k < s->per_call) {
		if (s->fail_after > 0 && s->n >= s->fail_after)
			break;
		ck_assert_uint_lt(s->n, NPOSTS * 2);
		ck_assert_ptr_nonnull(strstr(posts[k].json, posts[k].id));
		ck_assert_ptr_null(memchr(posts[k].json, '\n', posts[k].len));
		snprintf(s->ids[s->n++], sizeof(s->ids[0]), "%s", posts[k].id);
		k++;
	}
	*taken = k;
	if (s->fail_after > 0 && s->n >= s->fail_after)
		return NETRA_EIO;
	return k == n ? NETRA_OK : NETRA_ERETRY;
}

static void setup(void)
{
	FILE *f;

	netra_log_set_level(NETRA_LOG_ERROR);
	snprintf(dir, sizeof(dir), "/tmp/netra-out-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(posts_path, sizeof(posts_path), "%s/posts.jsonl", dir);
	snprintf(cfg_path, sizeof(cfg_path), "%s/netra.json", dir);
	f = fopen(posts_path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < NPOSTS; i++) {
		fprintf(f, "{\"id\":\"test:p:%02d\",\"source\":\"test\",\"text\":\"post %d\"}\n", i, i);
		if (i == 3) /* the same post twice in one poll is handed on once */
			fprintf(f, "{\"id\":\"test:p:03\",\"source\":\"test\",\"text\":\"again\"}\n");
	}
	fclose(f);
	f = fopen(cfg_path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "{\"data_dir\": \"%s/data\", \"sources\": [{\"type\": \"jsonl\", "
		   "\"name\": \"p\", \"path\": \"%s\", \"max_lines\": 10}]}\n", dir, posts_path);
	fclose(f);
}

static void teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Run the collector once over the test config with output s. */
static int collect_once(struct sink *s)
{
	struct netra_config cfg;
	struct netra_collect_options opt;
	struct netra_collector *c = NULL;
	char err[1024];
	int rc;

	ck_assert_int_eq(netra_config_load(cfg_path, &cfg, err, sizeof(err)), NETRA_OK);
	memset(&opt, 0, sizeof(opt));
	opt.once = 1;
	opt.output = test_output;
	opt.output_arg = s;
	rc = netra_collector_new(&cfg, &opt, &c, err, sizeof(err));
	ck_assert_msg(rc == NETRA_OK, "%s", err);
	rc = netra_collector_run(c);
	netra_collector_destroy(&c);
	ck_assert_ptr_null(c);
	netra_config_free(&cfg);
	return rc;
}

static void check_all_once(const struct sink *s)
{
	ck_assert_uint_eq(s->n, NPOSTS);
	for (size_t i = 0; i < s->n; i++) {
		char want[64];
		snprintf(want, sizeof(want), "test:p:%02zu", i);
		ck_assert_str_eq(s->ids[i], want);
	}
}

START_TEST(all_taken_at_once)
{
	struct sink s;

	memset(&s, 0, sizeof(s));
	s.per_call = 1000;
	ck_assert_int_eq(collect_once(&s), 0);
	check_all_once(&s);
	ck_assert_uint_eq(s.calls, 3); /* 26 lines, 10 per poll */
}
END_TEST

START_TEST(full_output_pauses_and_resumes)
{
	struct sink s;

	memset(&s, 0, sizeof(s));
	s.per_call = 4; /* every poll of 10 lines needs three offers */
	ck_assert_int_eq(collect_once(&s), 0);
	check_all_once(&s);
	ck_assert_uint_ge(s.calls, 7);
	/* Nothing new on a second run: the cursor moved past everything. */
	memset(&s, 0, sizeof(s));
	s.per_call = 1000;
	ck_assert_int_eq(collect_once(&s), 0);
	ck_assert_uint_eq(s.n, 0);
}
END_TEST

START_TEST(output_error_keeps_cursor)
{
	struct sink s;

	/* Two posts per offer; the output fails in the second poll, after
	 * taking 4 of its posts (13 in all). */
	memset(&s, 0, sizeof(s));
	s.per_call = 2;
	s.fail_after = 13;
	ck_assert_int_eq(collect_once(&s), NETRA_EIO);
	ck_assert_uint_eq(s.n, 13);
	/* The next run polls the second poll's lines again and skips what
	 * the output took before the error: no gap, no duplicate. */
	memset(&s, 0, sizeof(s));
	s.per_call = 1000;
	ck_assert_int_eq(collect_once(&s), 0);
	ck_assert_uint_eq(s.n, NPOSTS - 13);
	ck_assert_str_eq(s.ids[0], "test:p:13");
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("collect_output");
	TCase *tc = tcase_create("output");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, all_taken_at_once);
	tcase_add_test(tc, full_output_pauses_and_resumes);
	tcase_add_test(tc, output_error_keeps_cursor);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
