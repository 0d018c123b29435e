#include "core/buf.h"
#include "core/error.h"
#include "core/journal.h"

#include "tests/unit/check_main.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void make_dir(void)
{
	snprintf(dir, sizeof(dir), "/tmp/netra-journal-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	if (d != NULL)
		closedir(d);
	rmdir(dir);
}

static struct netra_journal *open_j(size_t segment, uint64_t quota)
{
	struct netra_journal_options o;
	struct netra_journal *j = NULL;
	char err[512];

	netra_journal_options_default(&o);
	o.segment_bytes = segment;
	o.quota_bytes = quota;
	ck_assert_msg(netra_journal_open(dir, &o, &j, err, sizeof(err)) == NETRA_OK, "%s", err);
	return j;
}

static void append_n(struct netra_journal *j, int n, int from)
{
	for (int i = 0; i < n; i++) {
		char rec[64];
		int len = snprintf(rec, sizeof(rec), "record-%d", from + i);
		ck_assert_int_eq(netra_journal_append(j, rec, (size_t)len, NULL), NETRA_OK);
	}
	ck_assert_int_eq(netra_journal_sync(j), NETRA_OK);
}

/* The path of the last segment file. */
static void last_segment(char *out, size_t outsz)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char best[64] = "";

	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".jnl") != NULL && strcmp(e->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	}
	closedir(d);
	snprintf(out, outsz, "%s/%s", dir, best);
}

START_TEST(append_read_ack_in_order)
{
	struct netra_journal *j;
	struct netra_buf b;
	uint64_t seq;
	uint64_t first = 0;

	make_dir();
	netra_buf_init(&b, 1024);
	j = open_j(1 << 20, 1 << 24);
	append_n(j, 10, 0);
	ck_assert_uint_eq(netra_journal_unacked(j), 10);
	for (int i = 0; i < 10; i++) {
		char want[32];
		snprintf(want, sizeof(want), "record-%d", i);
		ck_assert_int_eq(netra_journal_read(j, &seq, &b), NETRA_OK);
		if (i == 0)
			first = seq;
		ck_assert_uint_eq(seq, first + (uint64_t)i);
		ck_assert_str_eq(netra_buf_str(&b), want);
	}
	ck_assert_int_eq(netra_journal_read(j, &seq, &b), NETRA_ENOTFOUND);
	ck_assert_int_eq(netra_journal_ack(j, first + 3), NETRA_OK);
	ck_assert_int_eq(netra_journal_ack(j, first + 3), NETRA_ENOTFOUND);
	ck_assert_uint_eq(netra_journal_unacked(j), 9);
	netra_journal_destroy(&j);
	ck_assert_ptr_null(j);
	netra_journal_destroy(&j);
	netra_buf_free(&b);
	remove_dir();
}
END_TEST

START_TEST(reopen_resends_unacked_and_skips_deleted_segments)
{
	struct netra_journal *j;
	struct netra_buf b;
	uint64_t seq;
	int n = 0;

	make_dir();
	netra_buf_init(&b, 1024);
	/* Small segments: about 4 records each. */
	j = open_j(100, 1 << 20);
	append_n(j, 20, 0);
	ck_assert_uint_gt(netra_journal_nsegments(j), 3);
	for (uint64_t s = 1; s <= 10; s++)
		netra_journal_ack(j, s);
	netra_journal_destroy(&j);
	j = open_j(100, 1 << 20);
	/* Acks are not durable: the records of segments not wholly
	 * acknowledged come back, those of deleted segments do not. */
	ck_assert_uint_le(netra_journal_unacked(j), 20 - 8);
	ck_assert_uint_ge(netra_journal_unacked(j), 10);
	while (netra_journal_read(j, &seq, &b) == NETRA_OK) {
		ck_assert_uint_ge(seq, 9);
		n++;
	}
	ck_assert_uint_eq((uint64_t)n, netra_journal_unacked(j));
	/* New records continue the sequence. */
	ck_assert_int_eq(netra_journal_append(j, "x", 1, &seq), NETRA_OK);
	ck_assert_uint_eq(seq, 21);
	netra_journal_destroy(&j);
	netra_buf_free(&b);
	remove_dir();
}
END_TEST

START_TEST(torn_tail_is_cut_to_last_whole_record)
{
	struct netra_journal *j;
	struct netra_buf b;
	char path[512];
	struct stat st;
	uint64_t seq;
	int fd;
	int n = 0;

	make_dir();
	netra_buf_init(&b, 1024);
	j = open_j(1 << 20, 1 << 24);
	append_n(j, 5, 0);
	netra_journal_destroy(&j);
	last_segment(path, sizeof(path));
	ck_assert_int_eq(stat(path, &st), 0);
	/* A crash in the middle of the sixth record's write. */
	fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "\x20\x00\x00\x00\x01\x02", 6), 6);
	close(fd);
	j = open_j(1 << 20, 1 << 24);
	ck_assert_uint_eq(netra_journal_unacked(j), 5);
	while (netra_journal_read(j, &seq, &b) == NETRA_OK)
		n++;
	ck_assert_int_eq(n, 5);
	netra_journal_destroy(&j);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq((int)st.st_size, 5 * (16 + 8));
	/* A record whose checksum fails at the tail is cut too. */
	fd = open(path, O_RDWR);
	ck_assert_int_eq(pwrite(fd, "X", 1, st.st_size - 1), 1);
	close(fd);
	j = open_j(1 << 20, 1 << 24);
	ck_assert_uint_eq(netra_journal_unacked(j), 4);
	append_n(j, 1, 99);
	netra_journal_destroy(&j);
	j = open_j(1 << 20, 1 << 24);
	ck_assert_uint_eq(netra_journal_unacked(j), 5);
	netra_journal_destroy(&j);
	netra_buf_free(&b);
	remove_dir();
}
END_TEST

START_TEST(corruption_before_the_tail_is_an_error)
{
	struct netra_journal_options o;
	struct netra_journal *j;
	char first[512];
	char err[512];
	DIR *d;
	struct dirent *e;
	char best[64] = "~";
	int fd;

	make_dir();
	j = open_j(100, 1 << 20);
	append_n(j, 12, 0);
	netra_journal_destroy(&j);
	d = opendir(dir);
	while ((e = readdir(d)) != NULL) {
		if (strstr(e->d_name, ".jnl") != NULL && strcmp(e->d_name, best) < 0)
			snprintf(best, sizeof(best), "%s", e->d_name);
	}
	closedir(d);
	snprintf(first, sizeof(first), "%s/%s", dir, best);
	fd = open(first, O_RDWR);
	ck_assert_int_eq(pwrite(fd, "ZZ", 2, 18), 2);
	close(fd);
	netra_journal_options_default(&o);
	o.segment_bytes = 100;
	ck_assert_int_eq(netra_journal_open(dir, &o, &j, err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "checksum"));
	ck_assert_ptr_null(j);
	remove_dir();
}
END_TEST

START_TEST(quota_full_then_room_after_acks)
{
	struct netra_journal *j;
	struct netra_buf b;
	uint64_t seq;
	int n = 0;
	int rc;

	make_dir();
	netra_buf_init(&b, 1024);
	/* Each record is 16 + 8 bytes: 10 fit in 240. */
	j = open_j(48, 240);
	while ((rc = netra_journal_append(j, "record-x", 8, NULL)) == NETRA_OK)
		n++;
	ck_assert_int_eq(rc, NETRA_ERETRY);
	ck_assert_int_eq(n, 10);
	ck_assert(netra_journal_full(j, 8));
	ck_assert_int_eq(netra_journal_append(j, "y", 300, NULL), NETRA_ETOOBIG);
	while (netra_journal_read(j, &seq, &b) == NETRA_OK)
		netra_journal_ack(j, seq);
	ck_assert_uint_eq(netra_journal_unacked(j), 0);
	ck_assert_int_eq(netra_journal_append(j, "record-y", 8, NULL), NETRA_OK);
	ck_assert_uint_le(netra_journal_bytes(j), 48);
	netra_journal_destroy(&j);
	netra_buf_free(&b);
	remove_dir();
}
END_TEST

START_TEST(one_process_per_journal)
{
	struct netra_journal *j;
	struct netra_journal *k = NULL;
	char err[512];

	make_dir();
	j = open_j(1 << 20, 1 << 24);
	ck_assert_int_eq(netra_journal_open(dir, NULL, &k, err, sizeof(err)), NETRA_EIO);
	ck_assert_ptr_nonnull(strstr(err, "in use"));
	netra_journal_destroy(&j);
	remove_dir();
}
END_TEST

START_TEST(crc32c_known_value)
{
	/* The check value of CRC-32C. */
	ck_assert_uint_eq(netra_crc32c(0, "123456789", 9), 0xE3069283u);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");

	tcase_add_test(tc, append_read_ack_in_order);
	tcase_add_test(tc, reopen_resends_unacked_and_skips_deleted_segments);
	tcase_add_test(tc, torn_tail_is_cut_to_last_whole_record);
	tcase_add_test(tc, corruption_before_the_tail_is_an_error);
	tcase_add_test(tc, quota_full_then_room_after_acks);
	tcase_add_test(tc, one_process_per_journal);
	tcase_add_test(tc, crc32c_known_value);
	suite_add_tcase(s, tc);
	return s;
}
