/* The audit log's hash chain (and the SHA-256 under it): intact chains
 * verify; a changed, deleted or cut-off record is found. */
#include "core/error.h"
#include "sinks/audit.h"
#include "sinks/sha256.h"

#include "tests/unit/check_main.h"

#include <string.h>

static char err[512];

START_TEST(sha256_known_answers)
{
	char hex[65];
	char million[1000];
	struct netra_sha256 s;
	uint8_t d[32];

	netra_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	netra_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	netra_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* A million 'a's, fed in pieces. */
	memset(million, 'a', sizeof(million));
	netra_sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		netra_sha256_update(&s, million, sizeof(million));
	netra_sha256_final(&s, d);
	ck_assert_uint_eq(d[0], 0xcd);
	ck_assert_uint_eq(d[1], 0xc7);
	ck_assert_uint_eq(d[31], 0xd0);
}
END_TEST

static sqlite3 *chain(int n)
{
	sqlite3 *db = NULL;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(netra_audit_init(db, err, sizeof(err)), NETRA_OK);
	for (int i = 0; i < n; i++) {
		char reason[32];
		snprintf(reason, sizeof(reason), "alasan %d", i + 1);
		ck_assert_int_eq(netra_audit_append(db, "ani", "case.move", "case:1", reason,
						    "{\"to\":\"verifikasi\"}", 1700000000 + i, err,
						    sizeof(err)),
				 NETRA_OK);
	}
	return db;
}

static void sql(sqlite3 *db, const char *q)
{
	ck_assert_int_eq(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
}

START_TEST(intact_chain_verifies)
{
	sqlite3 *db = chain(5);
	struct netra_audit_result r;

	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_OK);
	ck_assert_int_eq((int)r.records, 5);
	ck_assert_uint_eq(strlen(r.head), 64);
	sqlite3_close(db);
}
END_TEST

START_TEST(empty_log_verifies)
{
	sqlite3 *db = chain(0);
	struct netra_audit_result r;

	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_OK);
	ck_assert_int_eq((int)r.records, 0);
	sqlite3_close(db);
}
END_TEST

START_TEST(the_table_refuses_updates_and_deletes)
{
	sqlite3 *db = chain(3);

	ck_assert_int_ne(sqlite3_exec(db, "UPDATE audit SET reason = 'x'", NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_ne(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
}
END_TEST

START_TEST(changed_record_is_found)
{
	sqlite3 *db = chain(5);
	struct netra_audit_result r;

	sql(db, "DROP TRIGGER audit_no_update");
	sql(db, "UPDATE audit SET actor = 'budi' WHERE seq = 3");
	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_EINVAL);
	ck_assert_int_eq((int)r.bad_seq, 3);
	ck_assert_ptr_nonnull(strstr(r.reason, "was changed"));
	sqlite3_close(db);
}
END_TEST

START_TEST(rehashed_record_breaks_the_next_link)
{
	sqlite3 *db = chain(5);
	struct netra_audit_result r;

	/* Someone changes record 2 and writes a fresh hash for it: record 3's
	 * link to it no longer holds. */
	sql(db, "DROP TRIGGER audit_no_update");
	sql(db, "UPDATE audit SET hash = 'ab' || substr(hash, 3) WHERE seq = 2");
	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_EINVAL);
	ck_assert_int_eq((int)r.bad_seq, 2);
	sqlite3_close(db);
}
END_TEST

START_TEST(deleted_record_is_found)
{
	sqlite3 *db = chain(5);
	struct netra_audit_result r;

	sql(db, "DROP TRIGGER audit_no_delete");
	sql(db, "DELETE FROM audit WHERE seq = 2");
	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_EINVAL);
	ck_assert_int_eq((int)r.bad_seq, 2);
	ck_assert_ptr_nonnull(strstr(r.reason, "missing"));
	sqlite3_close(db);
}
END_TEST

START_TEST(cut_off_tail_is_found)
{
	sqlite3 *db = chain(5);
	struct netra_audit_result r;

	sql(db, "DROP TRIGGER audit_no_delete");
	sql(db, "DELETE FROM audit WHERE seq = 5");
	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(r.reason, "cut off"));
	sqlite3_close(db);
}
END_TEST

START_TEST(renumbered_records_are_found)
{
	sqlite3 *db = chain(4);
	struct netra_audit_result r;

	/* Delete record 2 and renumber the rest to hide the gap. */
	sql(db, "DROP TRIGGER audit_no_delete");
	sql(db, "DROP TRIGGER audit_no_update");
	sql(db, "DELETE FROM audit WHERE seq = 2");
	sql(db, "UPDATE audit SET seq = seq - 1 WHERE seq > 2");
	ck_assert_int_eq(netra_audit_verify(db, &r), NETRA_EINVAL);
	ck_assert_int_eq((int)r.bad_seq, 2);
	sqlite3_close(db);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("chain");

	tcase_add_test(tc, sha256_known_answers);
	tcase_add_test(tc, intact_chain_verifies);
	tcase_add_test(tc, empty_log_verifies);
	tcase_add_test(tc, the_table_refuses_updates_and_deletes);
	tcase_add_test(tc, changed_record_is_found);
	tcase_add_test(tc, rehashed_record_breaks_the_next_link);
	tcase_add_test(tc, deleted_record_is_found);
	tcase_add_test(tc, cut_off_tail_is_found);
	tcase_add_test(tc, renumbered_records_are_found);
	suite_add_tcase(s, tc);
	return s;
}
