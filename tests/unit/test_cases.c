/* The case store: filing flags (idempotent, grouped by civil servant and
 * election, unknown authors queued apart), the workflow's rules, and the
 * audit records every action leaves. */
#include "core/error.h"
#include "sinks/audit.h"
#include "sinks/cases.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NIP_BUDI "198503152010011002"
#define NIP_RATNA "197911232005022001"

static char dir[256];
static char err[1024];

static struct netra_cases *open_store(void)
{
	struct netra_cases *c = NULL;

	snprintf(dir, sizeof(dir), "/tmp/netra-test-cases-%d", (int)getpid());
	ck_assert_int_eq(netra_cases_open(dir, &c, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(netra_cases_set_actor(c, "tester"), NETRA_OK);
	return c;
}

static void close_store(struct netra_cases **c)
{
	char cmd[512];

	netra_cases_destroy(c);
	ck_assert_ptr_null(*c);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A flag line about post id by handle; nip may be NULL; election may be
 * NULL (no candidate). */
static int add(struct netra_cases *c, const char *id, const char *handle, const char *nip,
	       const char *election, const char *asn)
{
	char flag[2048];
	char subject[128];
	char cand[128] = "";

	if (nip != NULL)
		snprintf(subject, sizeof(subject), "{\"asn\":\"%s\",\"nip\":\"%s\"}", asn, nip);
	else
		snprintf(subject, sizeof(subject), "{\"asn\":\"%s\"}", asn);
	if (election != NULL)
		snprintf(cand, sizeof(cand), "\"candidate\":{\"election\":\"%s\",\"number\":2},",
			 election);
	snprintf(flag, sizeof(flag),
		 "{\"post\":{\"id\":\"%s\",\"source\":\"mastodon\",\"url\":\"https://m.example/%s\","
		 "\"created_at\":\"2024-10-05T09:12:00+07:00\",\"author\":{\"handle\":\"%s\"},"
		 "\"text\":\"Mantap! #BADEmenang\"},\"categories\":[\"dukungan\"],%s"
		 "\"stage\":\"kampanye\",\"score\":0.9,\"hits\":[{\"rule\":\"r1\",\"category\":"
		 "\"dukungan\",\"field\":\"text\",\"start\":8,\"end\":19,\"match\":\"#BADEmenang\"}],"
		 "\"subject\":%s}",
		 id, id, handle, cand, subject);
	return netra_cases_add_flag(c, flag, strlen(flag), 0, err, sizeof(err));
}

static json_t *list(struct netra_cases *c)
{
	json_t *arr = NULL;

	ck_assert_int_eq(netra_cases_list(c, NULL, NULL, &arr), NETRA_OK);
	return arr;
}

static json_int_t ival(const json_t *arr, size_t i, const char *key)
{
	return json_integer_value(json_object_get(json_array_get(arr, i), key));
}

START_TEST(same_post_twice_is_stored_once)
{
	struct netra_cases *c = open_store();
	json_t *q = NULL;
	struct netra_queue_filter f = {0};

	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), NETRA_ADD_NEW);
	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), NETRA_ADD_DUPLICATE);
	ck_assert_int_eq(netra_cases_queue(c, &f, &q), NETRA_OK);
	ck_assert_uint_eq(json_array_size(q), 1);
	json_decref(q);
	close_store(&c);
}
END_TEST

START_TEST(grouping_by_nip_and_election)
{
	struct netra_cases *c = open_store();
	json_t *arr;

	/* Two accounts of one civil servant, one election: one case. */
	ck_assert_int_eq(add(c, "m:1", "budi@mastodon", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(add(c, "fb:2", "budi.facebook", NIP_BUDI, "e1", "watchlist"), 0);
	/* The same person in a second election: a second case. */
	ck_assert_int_eq(add(c, "m:3", "budi@mastodon", NIP_BUDI, "e2", "watchlist"), 0);
	/* Someone else: a third case. */
	ck_assert_int_eq(add(c, "b:4", "ratna", NIP_RATNA, "e1", "bio"), 0);
	arr = list(c);
	ck_assert_uint_eq(json_array_size(arr), 3);
	ck_assert_int_eq(ival(arr, 0, "evidence"), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 0), "election")), "e1");
	ck_assert_int_eq(ival(arr, 1, "evidence"), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 1), "election")), "e2");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 1), "nip")), NIP_BUDI);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(arr, 2), "nip")), NIP_RATNA);
	json_decref(arr);
	close_store(&c);
}
END_TEST

START_TEST(unknown_authors_wait_in_their_own_queue)
{
	struct netra_cases *c = open_store();
	struct netra_queue_filter f = {0};
	json_t *q = NULL;
	json_t *arr;

	ck_assert_int_eq(add(c, "m:1", "anon", NULL, "e1", "unknown"), 0);
	ck_assert_int_eq(add(c, "m:2", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	arr = list(c);
	ck_assert_uint_eq(json_array_size(arr), 1);
	json_decref(arr);
	f.unknown_only = 1;
	ck_assert_int_eq(netra_cases_queue(c, &f, &q), NETRA_OK);
	ck_assert_uint_eq(json_array_size(q), 1);
	ck_assert(json_is_null(json_object_get(json_array_get(q, 0), "case")));
	json_decref(q);
	/* The unknown queue can still be reviewed. */
	ck_assert_int_eq(netra_cases_decide(c, 1, 0, "bukan ASN", err, sizeof(err)), NETRA_OK);
	close_store(&c);
}
END_TEST

START_TEST(bad_flags_say_why)
{
	struct netra_cases *c = open_store();
	const char *bad_hit =
		"{\"post\":{\"id\":\"x\",\"source\":\"s\",\"text\":\"abc\"},\"categories\":[\"dukungan\"],"
		"\"hits\":[{\"field\":\"text\",\"start\":1,\"end\":3,\"match\":\"zz\"}],"
		"\"subject\":{\"asn\":\"unknown\"}}";
	const char *bad_cat =
		"{\"post\":{\"id\":\"x\",\"source\":\"s\",\"text\":\"abc\"},\"categories\":[\"nope\"],"
		"\"hits\":[],\"subject\":{\"asn\":\"unknown\"}}";

	ck_assert_int_eq(netra_cases_add_flag(c, "{", 1, 0, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "invalid JSON"));
	ck_assert_int_eq(netra_cases_add_flag(c, bad_hit, strlen(bad_hit), 0, err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "hits[0]: bytes 1..3 of text are not \"zz\"");
	ck_assert_int_eq(netra_cases_add_flag(c, bad_cat, strlen(bad_cat), 0, err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "categories[0]: not a category code");
	close_store(&c);
}
END_TEST

START_TEST(moves_go_forward_only_with_a_reason)
{
	struct netra_cases *c = open_store();

	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_VERIFIKASI, "", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_INVESTIGASI, "lompat", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "the next step is verifikasi"));
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_VERIFIKASI, "cek", err, sizeof(err)),
			 NETRA_OK);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_DITERIMA, "balik", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "forward only"));
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_VERIFIKASI, "lagi", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_REKOMENDASI, "x", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "netra cases recommend"));
	ck_assert_int_eq(netra_cases_move(c, 9, NETRA_CASE_VERIFIKASI, "x", err, sizeof(err)),
			 NETRA_ENOTFOUND);
	close_store(&c);
}
END_TEST

START_TEST(no_close_with_unreviewed_evidence)
{
	struct netra_cases *c = open_store();

	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(add(c, "m:2", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_VERIFIKASI, "a", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_INVESTIGASI, "b", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_TERBUKTI, "c", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "2 evidence item(s) not yet reviewed (1, 2)"));
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_TIDAK_TERBUKTI, "c", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_decide(c, 1, 0, NULL, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_decide(c, 1, 0, "salah orang", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_TERBUKTI, "c", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_decide(c, 2, 1, NULL, err, sizeof(err)), 0);
	/* Proven needs a confirmed item; one dismissed and one confirmed is fine. */
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_TERBUKTI, "c", err, sizeof(err)), 0);
	/* A closed case's decisions stay as they are. */
	ck_assert_int_eq(netra_cases_decide(c, 1, 1, "ubah", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "closed"));
	/* Evidence arriving after closing is filed and reviewable, the state kept. */
	ck_assert_int_eq(add(c, "m:3", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_decide(c, 3, 1, NULL, err, sizeof(err)), 0);
	close_store(&c);
}
END_TEST

START_TEST(proven_needs_a_confirmed_item)
{
	struct netra_cases *c = open_store();

	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_VERIFIKASI, "a", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_INVESTIGASI, "b", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_decide(c, 1, 0, "hoaks", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_TERBUKTI, "c", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_TIDAK_TERBUKTI, "c", err, sizeof(err)), 0);
	/* Not proven is final. */
	ck_assert_int_eq(netra_cases_recommend(c, 1, "sanksi_moral", "x", err, sizeof(err)),
			 NETRA_EINVAL);
	close_store(&c);
}
END_TEST

START_TEST(recommend_then_follow_up_then_overdue)
{
	struct netra_cases *c = open_store();
	json_t *over = NULL;
	json_t *doc = NULL;

	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(add(c, "b:2", "ratna", NIP_RATNA, "e1", "watchlist"), 0);
	for (int64_t id = 1; id <= 2; id++) {
		ck_assert_int_eq(netra_cases_decide(c, id, 1, NULL, err, sizeof(err)), 0);
		ck_assert_int_eq(netra_cases_recommend(c, id, "ptdh", "x", err, sizeof(err)),
				 NETRA_EINVAL); /* not proven yet */
		ck_assert_int_eq(netra_cases_move(c, id, NETRA_CASE_VERIFIKASI, "a", err, sizeof(err)), 0);
		ck_assert_int_eq(netra_cases_move(c, id, NETRA_CASE_INVESTIGASI, "b", err, sizeof(err)), 0);
		ck_assert_int_eq(netra_cases_move(c, id, NETRA_CASE_TERBUKTI, "c", err, sizeof(err)), 0);
		ck_assert_int_eq(netra_cases_recommend(c, id, "berat", "x", err, sizeof(err)),
				 NETRA_EINVAL);
		ck_assert_int_eq(netra_cases_recommend(c, id, "hukuman_disiplin_sedang", "PP 94/2021",
						       err, sizeof(err)),
				 NETRA_OK);
	}
	ck_assert_int_eq(netra_cases_follow_up(c, 1, "dijatuhkan", "2024-13-01", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_cases_follow_up(c, 1, "dijatuhkan", "2024-12-20", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_follow_up(c, 1, "lagi", "2024-12-21", err, sizeof(err)),
			 NETRA_EINVAL);
	/* Due in 30 days: nothing overdue now, case 2 overdue in 31 days. */
	ck_assert_int_eq(netra_cases_overdue(c, 30, (int64_t)time(NULL), &over), 0);
	ck_assert_uint_eq(json_array_size(over), 0);
	json_decref(over);
	ck_assert_int_eq(netra_cases_overdue(c, 30, (int64_t)time(NULL) + 31 * 86400, &over), 0);
	ck_assert_uint_eq(json_array_size(over), 1);
	ck_assert_int_eq(ival(json_object_get(json_array_get(over, 0), "cases"), 0, "id"), 2);
	json_decref(over);
	ck_assert_int_eq(netra_cases_document(c, 1, &doc), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "kasus"), "status")),
			 "tindak_lanjut");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "tindak_lanjut"),
							   "tanggal")),
			 "2024-12-20");
	ck_assert_uint_eq(json_array_size(json_object_get(doc, "riwayat")), 6);
	json_decref(doc);
	close_store(&c);
}
END_TEST

START_TEST(every_action_is_audited_and_the_chain_holds)
{
	struct netra_cases *c = open_store();
	struct netra_audit_result r;
	json_t *log = NULL;

	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_decide(c, 1, 1, "jelas", err, sizeof(err)), 0);
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_VERIFIKASI, "cek", err, sizeof(err)), 0);
	/* A refused action leaves no record. */
	ck_assert_int_eq(netra_cases_move(c, 1, NETRA_CASE_DITERIMA, "x", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_int_eq(netra_audit_list(netra_cases_db(c), NULL, &log), 0);
	ck_assert_uint_eq(json_array_size(log), 4); /* case.open, evidence.add, confirm, move */
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(log, 3), "action")),
			 "case.move");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(log, 3), "actor")),
			 "tester");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(log, 3), "reason")), "cek");
	json_decref(log);
	ck_assert_int_eq(netra_audit_verify(netra_cases_db(c), &r), NETRA_OK);
	ck_assert_int_eq((int)r.records, 4);
	close_store(&c);
}
END_TEST

START_TEST(batched_imports_and_savepoints)
{
	struct netra_cases *c = open_store();
	json_t *arr;

	ck_assert_int_eq(netra_cases_begin(c, err, sizeof(err)), 0);
	ck_assert_int_eq(add(c, "m:1", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_add_flag(c, "[]", 2, 0, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_int_eq(add(c, "m:2", "budi", NIP_BUDI, "e1", "watchlist"), 0);
	ck_assert_int_eq(netra_cases_commit(c, err, sizeof(err)), 0);
	arr = list(c);
	ck_assert_int_eq(ival(arr, 0, "evidence"), 2);
	json_decref(arr);
	ck_assert_int_eq(netra_cases_flush_files(c, err, sizeof(err)), 0);
	close_store(&c);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("cases");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, same_post_twice_is_stored_once);
	tcase_add_test(tc, grouping_by_nip_and_election);
	tcase_add_test(tc, unknown_authors_wait_in_their_own_queue);
	tcase_add_test(tc, bad_flags_say_why);
	tcase_add_test(tc, moves_go_forward_only_with_a_reason);
	tcase_add_test(tc, no_close_with_unreviewed_evidence);
	tcase_add_test(tc, proven_needs_a_confirmed_item);
	tcase_add_test(tc, recommend_then_follow_up_then_overdue);
	tcase_add_test(tc, every_action_is_audited_and_the_chain_holds);
	tcase_add_test(tc, batched_imports_and_savepoints);
	suite_add_tcase(s, tc);
	return s;
}
