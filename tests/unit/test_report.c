/* Reports: a case store built from known cases gives known tables
 * (counts, percentages, age bands at their boundaries, the NIP-less
 * "unknown" row, follow-up compliance with its deadline), and the Markdown
 * and CSV renderings hold the same numbers. */
#include "core/election.h"
#include "core/error.h"
#include "core/timeutil.h"
#include "core/watchlist.h"
#include "sinks/cases.h"
#include "sinks/report.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Ages on 2024-10-05 (the acts' date in WIB): 31 (birthday that day),
 * 30 (birthday the next day), 40, 41, 51. */
#define NIP_A "199310052019031001"
#define NIP_B "199310062019031002"
#define NIP_C "198410052010011003"
#define NIP_D "198310052010011004"
#define NIP_E "197310042000011005"

static char dir[256];
static char db[300];
static char err[1024];

static const char election_json[] =
	"{\"id\":\"e1\",\"name\":\"Pilkada Contoh\",\"timezone\":\"Asia/Jakarta\","
	"\"stages\":[{\"name\":\"kampanye\",\"start\":\"2024-09-25\",\"end\":\"2024-11-23\"}],"
	"\"candidates\":[{\"number\":1,\"names\":[\"Ahmad Fauzi\",\"Siti\"]},"
	"{\"number\":2,\"names\":[\"Bambang\",\"Dewi\"]}],"
	"\"parties\":[{\"name\":\"Partai Gerakan Indonesia Raya\",\"aliases\":[\"Gerindra\"]}]}";

static void write_watchlist(const char *path)
{
	static const char *const rows[][5] = {
		{NIP_A, "Ani", "fungsional", "Kabupaten Kolaka", "Sulawesi Tenggara"},
		{NIP_B, "Budi", "jpt", "Kabupaten Kolaka", "Sulawesi Tenggara"},
		{NIP_C, "Citra", "pelaksana", "Kota Parepare", "Sulawesi Selatan"},
		{NIP_D, "Dodi", "kepala_wilayah", "Kota Parepare", "Sulawesi Selatan"},
		{NIP_E, "Eka", "administrator", "Kabupaten Majene", "Sulawesi Barat"},
	};
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		fprintf(fp,
			"{\"nip\":\"%s\",\"name\":\"%s\",\"position_class\":\"%s\",\"agency\":\"%s\","
			"\"province\":\"%s\",\"accounts\":[{\"source\":\"mastodon\",\"handle\":\"%s\"}]}\n",
			rows[i][0], rows[i][1], rows[i][2], rows[i][3], rows[i][4], rows[i][1]);
	fclose(fp);
}

/* File one flag. cats: a JSON array; number: candidate (0: none);
 * subject: a JSON object; extra: more post fields (may be ""). */
static void add(struct netra_cases *c, const char *id, const char *created, const char *cats,
		int number, const char *text, const char *subject, const char *extra)
{
	char flag[4096];
	char cand[128] = "";

	if (number > 0)
		snprintf(cand, sizeof(cand), "\"candidate\":{\"election\":\"e1\",\"number\":%d},",
			 number);
	snprintf(flag, sizeof(flag),
		 "{\"post\":{\"id\":\"%s\",\"source\":\"mastodon\",\"created_at\":\"%s\","
		 "\"author\":{\"handle\":\"x\"},\"text\":\"%s\"%s},\"categories\":%s,%s"
		 "\"stage\":\"kampanye\",\"score\":0.9,\"hits\":[{\"rule\":\"r\",\"category\":"
		 "\"dukungan\",\"field\":\"text\",\"start\":0,\"end\":6,\"match\":\"Mantap\"}],"
		 "\"subject\":%s}",
		 id, created, text, extra, cats, cand, subject);
	ck_assert_msg(netra_cases_add_flag(c, flag, strlen(flag), 0, err, sizeof(err)) ==
			      NETRA_ADD_NEW,
		      "%s", err);
}

static void ok(int rc)
{
	ck_assert_msg(rc == NETRA_OK, "%d: %s", rc, err);
}

static void walk(struct netra_cases *c, int64_t id, enum netra_case_state to)
{
	ok(netra_cases_move(c, id, NETRA_CASE_VERIFIKASI, "cek", err, sizeof(err)));
	if (to == NETRA_CASE_TIDAK_TERBUKTI) {
		ok(netra_cases_move(c, id, to, "tidak cukup", err, sizeof(err)));
		return;
	}
	ok(netra_cases_move(c, id, NETRA_CASE_INVESTIGASI, "indikasi", err, sizeof(err)));
	ok(netra_cases_move(c, id, NETRA_CASE_TERBUKTI, "bukti cukup", err, sizeof(err)));
}

/* The store of the tests: six cases and one flag with no civil servant.
 *   1 A  31  Kolaka    cand 1         terbukti -> rekomendasi moral -> tindak_lanjut
 *   2 B  30  Kolaka    cand 1, foto   terbukti -> rekomendasi berat (no follow-up)
 *   3 C  40  Parepare  cand 2         terbukti
 *   4 D  41  Parepare  parpol Gerindra tidak_terbukti (its evidence dismissed)
 *   5 E  51  Majene    none           diterima
 *   6 F  no NIP (partner's report)    diterima */
static void build_store(void)
{
	struct netra_cases *c = NULL;
	struct netra_watchlist *wl = NULL;
	struct netra_election *e = NULL;
	char wlpath[300];
	const char *t = "2024-10-05T00:30:00+07:00"; /* 2024-10-04 in UTC */

	snprintf(dir, sizeof(dir), "/tmp/netra-test-report-%d", (int)getpid());
	snprintf(db, sizeof(db), "%s/cases.db", dir);
	ck_assert_int_eq(netra_cases_open(dir, &c, err, sizeof(err)), NETRA_OK);
	snprintf(wlpath, sizeof(wlpath), "%s/watchlist.jsonl", dir);
	write_watchlist(wlpath);
	ok(netra_watchlist_load(wlpath, &wl, err, sizeof(err)));
	/* The store's only election: flags naming no candidate go to it. */
	ok(netra_election_parse(election_json, strlen(election_json), "e1.json", &e, err,
				sizeof(err)));
	netra_cases_set_context(c, wl, &e, 1, NULL);
	ok(netra_cases_set_actor(c, "tester"));
	add(c, "m:1", t, "[\"dukungan\"]", 1, "Mantap paslon 1",
	    "{\"asn\":\"watchlist\",\"nip\":\"" NIP_A "\"}", "");
	add(c, "m:2", t, "[\"dukungan\",\"foto\"]", 1, "Mantap foto",
	    "{\"asn\":\"watchlist\",\"nip\":\"" NIP_B "\"}", "");
	add(c, "m:3", t, "[\"ajakan\"]", 2, "Mantap coblos 2",
	    "{\"asn\":\"bio\",\"nip\":\"" NIP_C "\"}", "");
	add(c, "m:4", t, "[\"parpol\"]", 0, "Mantap, KTA Gerindra",
	    "{\"asn\":\"watchlist\",\"nip\":\"" NIP_D "\"}", "");
	add(c, "m:5", t, "[\"kegiatan\"]", 0, "Mantap kampanye",
	    "{\"asn\":\"watchlist\",\"nip\":\"" NIP_E "\"}", "");
	add(c, "r:6", "2024-10-06T10:00:00+07:00", "[\"dukungan\"]", 0, "Mantap laporan",
	    "{\"asn\":\"report\"}",
	    ",\"act\":\"report\",\"report\":{\"subject\":{\"name\":\"Fulan\","
	    "\"agency\":\"Kabupaten Majene\"}}");
	add(c, "m:7", "2024-10-06T10:00:00+07:00", "[\"dukungan\"]", 0, "Mantap anonim",
	    "{\"asn\":\"unknown\"}", "");
	for (int64_t ev = 1; ev <= 3; ev++)
		ok(netra_cases_decide(c, ev, 1, "sesuai", err, sizeof(err)));
	ok(netra_cases_decide(c, 4, 0, "bukan akunnya", err, sizeof(err)));
	walk(c, 1, NETRA_CASE_TERBUKTI);
	walk(c, 2, NETRA_CASE_TERBUKTI);
	walk(c, 3, NETRA_CASE_TERBUKTI);
	walk(c, 4, NETRA_CASE_TIDAK_TERBUKTI);
	ok(netra_cases_recommend(c, 1, "sanksi_moral", "PP 42/2004", err, sizeof(err)));
	ok(netra_cases_recommend(c, 2, "hukuman_disiplin_berat", "PP 94/2021", err, sizeof(err)));
	ok(netra_cases_follow_up(c, 1, "Sanksi moral dijatuhkan", "2024-12-01", err, sizeof(err)));
	netra_cases_destroy(&c);
	netra_watchlist_destroy(&wl);
	netra_election_destroy(&e);
}

static void remove_store(void)
{
	char cmd[400];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static json_t *report(const struct netra_report_query *q)
{
	json_t *doc = NULL;

	ck_assert_msg(netra_report_build(db, q, &doc, err, sizeof(err)) == NETRA_OK, "%s", err);
	return doc;
}

static const json_t *table(const json_t *doc, const char *id)
{
	const json_t *t;
	size_t i;

	json_array_foreach(json_object_get(doc, "tabel"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "id")), id) == 0)
			return t;
	}
	ck_abort_msg("no table %s", id);
	return NULL;
}

/* Series s of the row labelled label, or -1 if there is no such row. */
static long cell(const json_t *doc, const char *id, const char *label, size_t s)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(table(doc, id), "baris"), i, r) {
		if (strcmp(json_string_value(json_object_get(r, "label")), label) == 0)
			return (long)json_integer_value(json_array_get(json_object_get(r, "nilai"), s));
	}
	return -1;
}

static long total(const json_t *doc, const char *id, size_t s)
{
	return (long)json_integer_value(
		json_object_get(json_array_get(json_object_get(table(doc, id), "seri"), s), "total"));
}

static struct netra_report_query base_query(void)
{
	struct netra_report_query q;

	memset(&q, 0, sizeof(q));
	q.follow_up_days = 30;
	q.as_of = (int64_t)time(NULL);
	return q;
}

START_TEST(percentages_round_half_up_to_one_decimal)
{
	char p[16];

	netra_report_percent(1, 6, 0, p, sizeof(p));
	ck_assert_str_eq(p, "16.7");
	netra_report_percent(1, 3, 1, p, sizeof(p));
	ck_assert_str_eq(p, "33,3");
	netra_report_percent(1, 8, 0, p, sizeof(p)); /* 12.5 exactly */
	ck_assert_str_eq(p, "12.5");
	netra_report_percent(1, 16, 0, p, sizeof(p)); /* 6.25 -> 6.3 */
	ck_assert_str_eq(p, "6.3");
	netra_report_percent(2, 3, 0, p, sizeof(p));
	ck_assert_str_eq(p, "66.7");
	netra_report_percent(0, 0, 0, p, sizeof(p));
	ck_assert_str_eq(p, "-");
}
END_TEST

START_TEST(age_bands_at_their_boundaries)
{
	/* Born 1994-03-15. */
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2024, 3, 15), "<=30");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2025, 3, 14), "<=30");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2025, 3, 15), "31-40");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2034, 3, 15), "31-40");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2035, 3, 14), "31-40");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2035, 3, 15), "41-50");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2045, 3, 14), "41-50");
	ck_assert_str_eq(netra_report_age_band("199403152019031001", 2045, 3, 15), "51+");
	ck_assert_str_eq(netra_report_age_band(NULL, 2024, 1, 1), "tidak_diketahui");
	ck_assert_str_eq(netra_report_age_band("12345", 2024, 1, 1), "tidak_diketahui");
}
END_TEST

START_TEST(known_cases_give_known_tables)
{
	struct netra_report_query q = base_query();
	json_t *doc;

	build_store();
	doc = report(&q);
	/* Summary: of 6 reported cases. */
	ck_assert_int_eq(total(doc, "ringkasan", 0), 6);
	ck_assert_int_eq(cell(doc, "ringkasan", "Dilaporkan", 0), 6);
	ck_assert_int_eq(cell(doc, "ringkasan", "Terbukti melanggar", 0), 3);
	ck_assert_int_eq(cell(doc, "ringkasan", "Tidak terbukti", 0), 1);
	ck_assert_int_eq(cell(doc, "ringkasan", "Dalam proses (diterima, verifikasi, investigasi)", 0), 2);
	ck_assert_int_eq(cell(doc, "ringkasan", "Direkomendasikan kepada PPK", 0), 2);
	ck_assert_int_eq(cell(doc, "ringkasan", "Ditindaklanjuti PPK", 0), 1);
	/* Agencies: reported and proven; the NIP-less report keeps its agency. */
	ck_assert_int_eq(total(doc, "instansi", 1), 3);
	ck_assert_int_eq(cell(doc, "instansi", "Kabupaten Kolaka", 0), 2);
	ck_assert_int_eq(cell(doc, "instansi", "Kabupaten Kolaka", 1), 2);
	ck_assert_int_eq(cell(doc, "instansi", "Kota Parepare", 0), 2);
	ck_assert_int_eq(cell(doc, "instansi", "Kota Parepare", 1), 1);
	ck_assert_int_eq(cell(doc, "instansi", "Kabupaten Majene", 0), 2);
	ck_assert_int_eq(cell(doc, "instansi", "Kabupaten Majene", 1), 0);
	/* Position classes; the case without a NIP has none. */
	ck_assert_int_eq(cell(doc, "kelas_jabatan", "JPT (pimpinan tinggi)", 1), 1);
	ck_assert_int_eq(cell(doc, "kelas_jabatan", "Pengawas", 0), 0);
	ck_assert_int_eq(cell(doc, "kelas_jabatan", "Tidak diketahui", 0), 1);
	/* Categories: case 2 counts under both of its categories. */
	ck_assert_int_eq(cell(doc, "kategori", "Dukungan di media sosial", 0), 3);
	ck_assert_int_eq(cell(doc, "kategori", "Dukungan di media sosial", 1), 2);
	ck_assert_int_eq(cell(doc, "kategori", "Foto atau gestur bersama calon", 1), 1);
	ck_assert_int_eq(cell(doc, "kategori", "Keanggotaan partai politik", 0), 1);
	ck_assert_int_eq(cell(doc, "kategori", "Keanggotaan partai politik", 1), 0);
	ck_assert_int_eq(cell(doc, "provinsi", "Sulawesi Tenggara", 1), 2);
	ck_assert_int_eq(cell(doc, "provinsi", "Tidak diketahui", 0), 1);
	/* Age at the date of the act, in WIB (00:30 on 5 October). */
	ck_assert_int_eq(cell(doc, "usia", "\xe2\x89\xa4" "30 tahun", 0), 1);
	ck_assert_int_eq(cell(doc, "usia", "31\xe2\x80\x93" "40 tahun", 0), 2);
	ck_assert_int_eq(cell(doc, "usia", "41\xe2\x80\x93" "50 tahun", 0), 1);
	ck_assert_int_eq(cell(doc, "usia", "51 tahun ke atas", 0), 1);
	ck_assert_int_eq(cell(doc, "usia", "Tidak diketahui (tanpa NIP)", 0), 1);
	ck_assert_int_eq(cell(doc, "usia", "\xe2\x89\xa4" "30 tahun", 1), 1);
	ck_assert_int_eq(cell(doc, "usia", "31\xe2\x80\x93" "40 tahun", 1), 2);
	/* Recommendations, of the 2 recommended. */
	ck_assert_int_eq(total(doc, "rekomendasi", 0), 2);
	ck_assert_int_eq(cell(doc, "rekomendasi", "Sanksi moral", 0), 1);
	ck_assert_int_eq(cell(doc, "rekomendasi", "Hukuman disiplin berat", 0), 1);
	ck_assert_int_eq(cell(doc, "rekomendasi", "Hukuman disiplin ringan", 0), 0);
	/* Support: by candidate number only without election files. */
	ck_assert_int_eq(cell(doc, "dukungan", "Paslon no. urut 1 (e1)", 0), 2);
	ck_assert_int_eq(cell(doc, "dukungan", "Paslon no. urut 2 (e1)", 1), 1);
	ck_assert_int_eq(cell(doc, "dukungan", "Partai (tidak teridentifikasi)", 0), 1);
	ck_assert_int_eq(cell(doc, "dukungan", "Tidak menyebut calon atau partai", 0), 2);
	/* Flags: seven, one without a civil servant; per day in WIB. */
	ck_assert_int_eq(total(doc, "harian", 0), 7);
	ck_assert_int_eq(cell(doc, "harian", "2024-10-05", 0), 5);
	ck_assert_int_eq(cell(doc, "harian", "2024-10-06", 0), 2);
	ck_assert_int_eq(cell(doc, "harian", "2024-10-04", 0), -1);
	ck_assert_int_eq(cell(doc, "tahapan", "kampanye", 0), 7);
	json_decref(doc);
	remove_store();
}
END_TEST

START_TEST(election_files_name_candidates_and_parties)
{
	struct netra_report_query q = base_query();
	struct netra_election *e = NULL;
	json_t *doc;
	const json_t *hari;

	build_store();
	ok(netra_election_parse(election_json, strlen(election_json), "e1.json", &e, err,
				sizeof(err)));
	q.elections = &e;
	q.nelections = 1;
	q.election = "e1";
	doc = report(&q);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "pemilihan")), "Pilkada Contoh");
	ck_assert_int_eq(cell(doc, "dukungan", "Paslon no. urut 1: Ahmad Fauzi & Siti (e1)", 0), 2);
	ck_assert_int_eq(cell(doc, "dukungan", "Paslon no. urut 2: Bambang & Dewi (e1)", 0), 1);
	ck_assert_int_eq(cell(doc, "dukungan", "Partai: Partai Gerakan Indonesia Raya", 0), 1);
	/* The day chart spans the stages: 2024-09-25 .. 2024-11-23. */
	hari = json_object_get(table(doc, "harian"), "hari");
	ck_assert_str_eq(json_string_value(json_object_get(hari, "mulai")), "2024-09-25");
	ck_assert_uint_eq(json_array_size(json_object_get(hari, "nilai")), 60);
	ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(hari, "nilai"), 10)), 5);
	/* Every case and flag is of e1; another election has none. */
	ck_assert_int_eq(total(doc, "ringkasan", 0), 6);
	ck_assert_int_eq(total(doc, "harian", 0), 7);
	json_decref(doc);
	q.election = "e2";
	doc = report(&q);
	ck_assert_int_eq(total(doc, "ringkasan", 0), 0);
	ck_assert_int_eq(total(doc, "harian", 0), 0);
	json_decref(doc);
	netra_election_destroy(&e);
	remove_store();
}
END_TEST

START_TEST(dates_select_acts)
{
	struct netra_report_query q = base_query();
	json_t *doc;

	build_store();
	/* 2024-10-06 only: the partner's report (case 6) and one flag more. */
	ck_assert_int_eq(netra_date_parse("2024-10-06", &q.from_day), 0);
	q.has_from = 1;
	doc = report(&q);
	ck_assert_int_eq(total(doc, "ringkasan", 0), 1);
	ck_assert_int_eq(cell(doc, "usia", "Tidak diketahui (tanpa NIP)", 0), 1);
	ck_assert_int_eq(total(doc, "harian", 0), 2);
	json_decref(doc);
	q.has_from = 0;
	q.has_to = 1;
	ck_assert_int_eq(netra_date_parse("2024-10-04", &q.to_day), 0);
	doc = report(&q);
	ck_assert_int_eq(total(doc, "ringkasan", 0), 0);
	ck_assert_int_eq(total(doc, "harian", 0), 0);
	json_decref(doc);
	remove_store();
}
END_TEST

START_TEST(follow_up_compliance_counts_the_deadline)
{
	struct netra_report_query q = base_query();
	json_t *doc;

	build_store();
	/* Today: case 2's recommendation is within its 30 days. */
	doc = report(&q);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 0), 2);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 1), 1);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 2), 1);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 3), 0);
	json_decref(doc);
	/* 31 days on it is overdue; with 40 days allowed it is not. */
	q.as_of += 31 * 86400;
	doc = report(&q);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 2), 0);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 3), 1);
	json_decref(doc);
	q.follow_up_days = 40;
	doc = report(&q);
	ck_assert_int_eq(cell(doc, "tindak_lanjut", "Kabupaten Kolaka", 3), 0);
	json_decref(doc);
	remove_store();
}
END_TEST

START_TEST(markdown_and_csv_hold_the_same_numbers)
{
	struct netra_report_query q = base_query();
	struct netra_buf b;
	json_t *doc;

	build_store();
	doc = report(&q);
	netra_buf_init(&b, NETRA_REPORT_MAX);
	ck_assert_int_eq(netra_report_render(doc, NETRA_REPORT_MD, &b), NETRA_OK);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b), "| Terbukti melanggar | 3 | 50,0% |"));
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b),
				     "| Tidak diketahui (tanpa NIP) | 1 | 16,7% | 0 | 0,0% |"));
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b), "| Sanksi moral | 1 | 50,0% |"));
	netra_buf_reset(&b);
	ck_assert_int_eq(netra_report_render(doc, NETRA_REPORT_CSV, &b), NETRA_OK);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b), "tabel,judul,baris,seri,jumlah,persen,dasar\r\n"));
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b),
				     "\"ringkasan\",\"Ringkasan kasus\",\"Terbukti melanggar\","
				     "\"Kasus\",3,50.0,6\r\n"));
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b),
				     "\"usia\",\"Kelompok usia\",\"Tidak diketahui (tanpa NIP)\","
				     "\"Terbukti melanggar\",0,0.0,3\r\n"));
	netra_buf_reset(&b);
	ck_assert_int_eq(netra_report_render(doc, NETRA_REPORT_HTML, &b), NETRA_OK);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&b), "<svg xmlns="));
	ck_assert_ptr_null(strstr(netra_buf_str(&b), "http://www.w3.org/1999"));
	netra_buf_free(&b);
	json_decref(doc);
	remove_store();
}
END_TEST

START_TEST(a_missing_store_is_named)
{
	struct netra_report_query q = base_query();
	json_t *doc = NULL;

	ck_assert_int_eq(netra_report_build("/nonexistent/cases.db", &q, &doc, err, sizeof(err)),
			 NETRA_ENOTFOUND);
	ck_assert_ptr_null(doc);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/cases.db"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	tcase_add_test(tc, percentages_round_half_up_to_one_decimal);
	tcase_add_test(tc, age_bands_at_their_boundaries);
	tcase_add_test(tc, known_cases_give_known_tables);
	tcase_add_test(tc, election_files_name_candidates_and_parties);
	tcase_add_test(tc, dates_select_acts);
	tcase_add_test(tc, follow_up_compliance_counts_the_deadline);
	tcase_add_test(tc, markdown_and_csv_hold_the_same_numbers);
	tcase_add_test(tc, a_missing_store_is_named);
	suite_add_tcase(s, tc);
	return s;
}
