/* Reports from the case store: the tables of docs/reports.md, counted
 * once into a JSON document and rendered as Markdown, CSV or HTML. */
#include "sinks/report.h"

#include "core/error.h"
#include "core/nip.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "sinks/sanctions.h"
#include "sinks/svg.h"

#include <ctype.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum {
	NSERIES = NETRA_SVG_MAX_SERIES, /* most series in one table */
	TOP_AGENCIES = 10,              /* agencies ranked before "Lainnya" */
	WIB_MINUTES = 7 * 60,           /* Asia/Jakarta: the zone when no election says */
	LABEL_MAX = 512                 /* longest built label */
};

static const char UNKNOWN[] = "Tidak diketahui";

/* ---- tallies: labelled rows of counts ---- */

/* One row of a table being counted. */
struct row {
	char *label;      /* as printed */
	int order;        /* fixed position (seeded rows), or 0 to rank by count */
	long v[NSERIES];  /* one count per series */
};

/* The rows of one table. */
struct tally {
	struct row *rows; /* the rows, in insertion order until sorted */
	size_t n;         /* rows used */
	size_t cap;       /* rows allocated */
};

static void tally_free(struct tally *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i].label);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* The row labelled label, added (with order) if missing. NULL on OOM. */
static struct row *tally_get(struct tally *t, const char *label, int order)
{
	struct row *r;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].label, label) == 0)
			return &t->rows[i];
	if (t->n == t->cap) {
		size_t cap = t->cap != 0 ? t->cap * 2 : 16;
		struct row *rows = realloc(t->rows, cap * sizeof(*rows));
		if (rows == NULL)
			return NULL;
		t->rows = rows;
		t->cap = cap;
	}
	r = &t->rows[t->n];
	memset(r, 0, sizeof(*r));
	r->label = netra_strdup(label);
	if (r->label == NULL)
		return NULL;
	r->order = order;
	t->n++;
	return r;
}

/* Add n to series s of the row labelled label. Returns 0 or NETRA_ENOMEM. */
static int tally_add(struct tally *t, const char *label, int order, int s, long n)
{
	struct row *r = tally_get(t, label, order);

	if (r == NULL)
		return NETRA_ENOMEM;
	r->v[s] += n;
	return NETRA_OK;
}

/* Seeded rows keep their order; ranked rows follow, most counted first,
 * then by label; the "unknown" row always last among ranked ones. */
static int row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int ua = strcmp(a->label, UNKNOWN) == 0, ub = strcmp(b->label, UNKNOWN) == 0;

	if (a->order != b->order)
		return a->order == 0 ? 1 : b->order == 0 ? -1 : a->order - b->order;
	if (ua != ub)
		return ua - ub;
	for (int s = 0; s < NSERIES; s++)
		if (a->v[s] != b->v[s])
			return a->v[s] > b->v[s] ? -1 : 1;
	return strcmp(a->label, b->label);
}

static void tally_sort(struct tally *t)
{
	if (t->n > 1)
		qsort(t->rows, t->n, sizeof(t->rows[0]), row_cmp);
}

/* ---- the JSON document's tables ---- */

/* A new table object without rows. series: nseries labels; totals: each
 * series' total (the base of its percentages). NULL on OOM. */
static json_t *table_new(const char *id, const char *judul, const char *kolom,
			 const char *satuan, const char *catatan, const char *chart,
			 const char *persen, const char *const *series, const long *totals,
			 size_t nseries)
{
	json_t *t = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[], s:[]}", "id", id,
			      "judul", judul, "kolom", kolom, "satuan", satuan, "catatan",
			      catatan, "chart", chart, "persen", persen, "seri", "baris");
	json_t *seri;

	if (t == NULL)
		return NULL;
	seri = json_object_get(t, "seri");
	for (size_t i = 0; i < nseries; i++) {
		if (json_array_append_new(seri, json_pack("{s:s, s:I}", "label", series[i], "total",
							  (json_int_t)totals[i])) != 0) {
			json_decref(t);
			return NULL;
		}
	}
	return t;
}

static int table_row(json_t *t, const char *label, const long *v, size_t nseries)
{
	json_t *vals = json_array();
	json_t *r;

	if (vals == NULL)
		return NETRA_ENOMEM;
	for (size_t i = 0; i < nseries; i++) {
		if (json_array_append_new(vals, json_integer((json_int_t)v[i])) != 0) {
			json_decref(vals);
			return NETRA_ENOMEM;
		}
	}
	r = json_pack("{s:s, s:o}", "label", label, "nilai", vals);
	if (r == NULL || json_array_append_new(json_object_get(t, "baris"), r) != 0)
		return NETRA_ENOMEM;
	return NETRA_OK;
}

/* Append t's rows (sorted) to table; with top > 0, rows past the top are
 * summed into one "Lainnya (N …)" row. Returns 0 or NETRA_ENOMEM. */
static int table_rows(json_t *table, struct tally *t, size_t nseries, size_t top,
		      const char *what)
{
	long rest[NSERIES] = {0};
	size_t nrest = 0;
	char label[LABEL_MAX];

	tally_sort(t);
	for (size_t i = 0; i < t->n; i++) {
		if (top > 0 && i >= top) {
			for (size_t s = 0; s < nseries; s++)
				rest[s] += t->rows[i].v[s];
			nrest++;
			continue;
		}
		if (table_row(table, t->rows[i].label, t->rows[i].v, nseries) != NETRA_OK)
			return NETRA_ENOMEM;
	}
	if (nrest == 0)
		return NETRA_OK;
	snprintf(label, sizeof(label), "Lainnya (%zu %s)", nrest, what);
	return table_row(table, label, rest, nseries);
}

static int add_table(json_t *doc, json_t *table)
{
	if (table == NULL || json_array_append_new(json_object_get(doc, "tabel"), table) != 0)
		return NETRA_ENOMEM;
	return NETRA_OK;
}

/* ---- reading the store ---- */

/* Everything the tables count, filled as cases and flags are read. */
struct counts {
	long reported, in_process, not_proven, proven, recommended, followed_up;
	long unknown_flags;                 /* flags with no civil servant (no case) */
	struct tally agency, pclass, category, province, age, support;
	struct tally sanction, compliance, stage;
	int64_t *days;                      /* the act's day of every flag counted */
	size_t ndays, days_cap;             /* entries in days, allocated */
};

static void counts_free(struct counts *k)
{
	struct tally *all[] = {&k->agency,   &k->pclass,   &k->category,   &k->province, &k->age,
			       &k->support,  &k->sanction, &k->compliance, &k->stage};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		tally_free(all[i]);
	free(k->days);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static const struct netra_election *find_election(const struct netra_report_query *q,
						  const char *id)
{
	for (size_t i = 0; id != NULL && i < q->nelections; i++)
		if (strcmp(netra_election_id(q->elections[i]), id) == 0)
			return q->elections[i];
	return NULL;
}

/* The day (days since 1970-01-01) of an act at unix time t, in the
 * election's zone, else in WIB. */
static int64_t act_day(const struct netra_election *e, int64_t t)
{
	int64_t off = (e != NULL ? netra_election_tz_minutes(e) : WIB_MINUTES) * 60;
	int64_t s = t + off;

	return s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
}

static int in_range(const struct netra_report_query *q, int64_t day)
{
	return (!q->has_from || day >= q->from_day) && (!q->has_to || day <= q->to_day);
}

const char *netra_report_age_band(const char *nip, int y, int m, int d)
{
	struct netra_nip n;
	int age;

	if (nip == NULL || netra_nip_check(nip, strlen(nip), &n, NULL, 0) != 0)
		return "tidak_diketahui";
	age = y - n.birth_year;
	if (m < n.birth_month || (m == n.birth_month && d < n.birth_day))
		age--;
	if (age <= 30)
		return "<=30";
	if (age <= 40)
		return "31-40";
	if (age <= 50)
		return "41-50";
	return "51+";
}

/* The age bands in the order of the table, with their labels. */
static const char *const age_bands[][2] = {
	{"<=30", "\xe2\x89\xa4" "30 tahun"}, {"31-40", "31\xe2\x80\x93" "40 tahun"},
	{"41-50", "41\xe2\x80\x93" "50 tahun"}, {"51+", "51 tahun ke atas"},
	{"tidak_diketahui", "Tidak diketahui (tanpa NIP)"},
};

static const char *const class_labels[][2] = {
	{"jpt", "JPT (pimpinan tinggi)"}, {"administrator", "Administrator"},
	{"pengawas", "Pengawas"},         {"fungsional", "Fungsional"},
	{"pelaksana", "Pelaksana"},       {"kepala_wilayah", "Kepala wilayah (camat/lurah)"},
	{"pppk", "PPPK"},
};

static const char *const sanction_kinds[] = {"sanksi_moral", "hukuman_disiplin_ringan",
					     "hukuman_disiplin_sedang", "hukuman_disiplin_berat",
					     "ptdh"};

/* Seed the fixed rows of the tables whose rows do not depend on the data,
 * so that an empty row still shows (a zero is a finding too). */
static int seed(struct counts *k)
{
	int o = 1;

	for (size_t i = 0; i < sizeof(class_labels) / sizeof(class_labels[0]); i++)
		if (tally_get(&k->pclass, class_labels[i][1], o++) == NULL)
			return NETRA_ENOMEM;
	if (tally_get(&k->pclass, UNKNOWN, o++) == NULL)
		return NETRA_ENOMEM;
	for (int i = 0; netra_category_code(i) != NULL; i++)
		if (tally_get(&k->category, netra_category_label(netra_category_code(i)), o++) ==
		    NULL)
			return NETRA_ENOMEM;
	for (size_t i = 0; i < sizeof(age_bands) / sizeof(age_bands[0]); i++)
		if (tally_get(&k->age, age_bands[i][1], o++) == NULL)
			return NETRA_ENOMEM;
	for (size_t i = 0; i < sizeof(sanction_kinds) / sizeof(sanction_kinds[0]); i++)
		if (tally_get(&k->sanction, netra_sanction_label(sanction_kinds[i]), o++) == NULL)
			return NETRA_ENOMEM;
	return NETRA_OK;
}

static const char *class_label(const char *code)
{
	for (size_t i = 0; code != NULL && i < sizeof(class_labels) / sizeof(class_labels[0]); i++)
		if (strcmp(class_labels[i][0], code) == 0)
			return class_labels[i][1];
	return UNKNOWN;
}

static const char *band_label(const char *band)
{
	for (size_t i = 0; i < sizeof(age_bands) / sizeof(age_bands[0]); i++)
		if (strcmp(age_bands[i][0], band) == 0)
			return age_bands[i][1];
	return band;
}

/* 1 if word occurs in text as a whole word, ignoring ASCII case. */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	if (n == 0)
		return 0;
	for (const char *p = text; *p != '\0'; p++) {
		if (strncasecmp(p, word, n) != 0)
			continue;
		if ((p == text || !isalnum((unsigned char)p[-1])) &&
		    !isalnum((unsigned char)p[n]))
			return 1;
	}
	return 0;
}

/* The party a party-membership item names: the first party of the
 * election (or of every loaded election when its own is not loaded) whose
 * name or alias is in the post's text or the hits' matches. NULL if none. */
static const char *party_named(const struct netra_report_query *q,
			       const struct netra_election *e, const char *text)
{
	size_t first = 0, last = q->nelections;

	for (size_t i = first; i < last; i++) {
		const struct netra_election *x = e != NULL ? e : q->elections[i];
		for (size_t j = 0; j < netra_election_nparties(x); j++) {
			const struct netra_party *p = netra_election_party(x, j);
			if (has_word(text, p->name))
				return p->name;
			for (size_t a = 0; a < p->aliases.n; a++)
				if (has_word(text, p->aliases.v[a]))
					return p->name;
		}
		if (e != NULL)
			break;
	}
	return NULL;
}

static void candidate_label(const struct netra_report_query *q, const char *election,
			    long number, char *out, size_t outsz)
{
	const struct netra_election *e = find_election(q, election);
	const struct netra_candidate *c =
		e != NULL ? netra_election_candidate_by_number(e, (int)number) : NULL;
	size_t n;

	n = (size_t)snprintf(out, outsz, "Paslon no. urut %ld", number);
	for (size_t i = 0; c != NULL && i < c->names.n && n < outsz; i++)
		n += (size_t)snprintf(out + n, outsz - n, "%s%s", i == 0 ? ": " : " & ",
				      c->names.v[i]);
	if (n < outsz)
		snprintf(out + n, outsz - n, " (%s)", election != NULL ? election : "?");
}

/* One evidence item of a case, as the report needs it. */
struct item {
	int64_t when;        /* the act's time: the post's, else the capture's */
	int dismissed;       /* the reviewer dismissed it */
	unsigned cats;       /* bit i: category i */
	long candidate;      /* ballot number, or 0 */
	char *election;      /* the candidate's election, or NULL */
	char *text;          /* post text and hit matches, for party names */
};

static void items_free(struct item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(it[i].election);
		free(it[i].text);
	}
	free(it);
}

/* The text a party name is looked for in: the post's text and each hit's
 * match. New string, or NULL on OOM. */
static char *item_text(const char *post, const char *hits)
{
	json_t *p = post != NULL ? json_loads(post, 0, NULL) : NULL;
	json_t *h = hits != NULL ? json_loads(hits, 0, NULL) : NULL;
	struct netra_buf b;
	size_t i;
	json_t *x;
	char *out;

	netra_buf_init(&b, 16u * 1024u * 1024u);
	netra_buf_adds(&b, " ");
	if (json_is_string(json_object_get(p, "text")))
		netra_buf_adds(&b, json_string_value(json_object_get(p, "text")));
	json_array_foreach(h, i, x) {
		netra_buf_adds(&b, " ");
		if (json_is_string(json_object_get(x, "match")))
			netra_buf_adds(&b, json_string_value(json_object_get(x, "match")));
	}
	json_decref(p);
	json_decref(h);
	out = netra_buf_steal(&b);
	return out;
}

/* Read the evidence of case id into *out (*n items). Returns 0,
 * NETRA_ENOMEM or NETRA_EIO. */
static int load_items(sqlite3 *db, int64_t id, struct item **out, size_t *n, char *err,
		      size_t errsz)
{
	sqlite3_stmt *st = NULL;
	struct item *it = NULL;
	size_t cnt = 0, cap = 0;
	int rc = NETRA_EIO, s;

	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(nullif(created_unix, 0), captured_at), decision,"
			       " categories, coalesce(candidate, 0), election, post, hits"
			       " FROM evidence WHERE case_id = ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *cats;
		size_t i;
		json_t *x;
		if (cnt == cap) {
			size_t nc = cap != 0 ? cap * 2 : 8;
			struct item *m = realloc(it, nc * sizeof(*m));
			if (m == NULL) {
				rc = NETRA_ENOMEM;
				goto fail;
			}
			it = m;
			cap = nc;
		}
		memset(&it[cnt], 0, sizeof(it[cnt]));
		it[cnt].when = sqlite3_column_int64(st, 0);
		it[cnt].dismissed = col(st, 1) != NULL && strcmp(col(st, 1), "dismissed") == 0;
		cats = json_loads(col(st, 2) != NULL ? col(st, 2) : "[]", 0, NULL);
		json_array_foreach(cats, i, x) {
			int ci = netra_category_index(json_string_value(x));
			if (ci >= 0)
				it[cnt].cats |= 1u << ci;
		}
		json_decref(cats);
		it[cnt].candidate = (long)sqlite3_column_int64(st, 3);
		it[cnt].election = col(st, 4) != NULL ? netra_strdup(col(st, 4)) : NULL;
		it[cnt].text = item_text(col(st, 5), col(st, 6));
		cnt++;
		if (it[cnt - 1].text == NULL || (col(st, 4) != NULL && it[cnt - 1].election == NULL)) {
			rc = NETRA_ENOMEM;
			goto fail;
		}
	}
	if (s != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	*out = it;
	*n = cnt;
	return NETRA_OK;
fail:
	if (rc == NETRA_EIO)
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
	else
		snprintf(err, errsz, "out of memory");
	sqlite3_finalize(st);
	items_free(it, cnt);
	return rc;
}

/* Count one case into k, if its act falls in the query's dates. */
static int count_case(sqlite3 *db, const struct netra_report_query *q, struct counts *k,
		      sqlite3_stmt *cs, char *err, size_t errsz)
{
	int64_t id = sqlite3_column_int64(cs, 0);
	const char *state = col(cs, 1), *election = col(cs, 2), *sanction = col(cs, 3);
	int64_t recommended_at = sqlite3_column_int64(cs, 4);
	const char *nip = col(cs, 5), *pclass = col(cs, 6), *agency = col(cs, 7);
	const char *province = col(cs, 8);
	const struct netra_election *e = find_election(q, election);
	struct item *it = NULL;
	struct tally seen = {0};
	size_t n = 0;
	int use_all = 1, proven, rc;
	int64_t when = 0;
	unsigned cats = 0;
	int y, m, d;
	char label[LABEL_MAX];

	rc = load_items(db, id, &it, &n, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	/* What the case is about: its evidence not dismissed, or all of it
	 * when the reviewer dismissed everything (a case not proven). */
	for (size_t i = 0; i < n; i++)
		if (!it[i].dismissed)
			use_all = 0;
	for (size_t i = 0; i < n; i++) {
		if (!use_all && it[i].dismissed)
			continue;
		if (when == 0 || (it[i].when != 0 && it[i].when < when))
			when = it[i].when;
		cats |= it[i].cats;
	}
	rc = NETRA_OK;
	if (!in_range(q, act_day(e, when)))
		goto done;
	proven = strcmp(state, "terbukti") == 0 || strcmp(state, "rekomendasi") == 0 ||
		 strcmp(state, "tindak_lanjut") == 0;
	k->reported++;
	k->proven += proven;
	k->not_proven += strcmp(state, "tidak_terbukti") == 0;
	k->in_process += !proven && strcmp(state, "tidak_terbukti") != 0;
	k->recommended += sanction != NULL;
	k->followed_up += strcmp(state, "tindak_lanjut") == 0;
	netra_civil_from_days(act_day(e, when), &y, &m, &d);
	for (int s = 0; s <= proven && rc == NETRA_OK; s++) {
		rc = tally_add(&k->agency, agency != NULL ? agency : UNKNOWN, 0, s, 1);
		if (rc == NETRA_OK)
			rc = tally_add(&k->pclass, class_label(pclass), 0, s, 1);
		if (rc == NETRA_OK)
			rc = tally_add(&k->province, province != NULL ? province : UNKNOWN, 0, s, 1);
		if (rc == NETRA_OK)
			rc = tally_add(&k->age,
				       band_label(netra_report_age_band(when != 0 ? nip : NULL, y,
									m, d)),
				       0, s, 1);
		for (int c = 0; netra_category_code(c) != NULL && rc == NETRA_OK; c++)
			if (cats & (1u << c))
				rc = tally_add(&k->category,
					       netra_category_label(netra_category_code(c)), 0, s,
					       1);
	}
	/* Whom the support went to: each candidate and each party the case's
	 * evidence names, once per case. */
	for (size_t i = 0; i < n && rc == NETRA_OK; i++) {
		if (!use_all && it[i].dismissed)
			continue;
		if (it[i].candidate > 0) {
			candidate_label(q, it[i].election, it[i].candidate, label, sizeof(label));
			rc = tally_add(&seen, label, 0, 0, 1);
		}
		if (rc == NETRA_OK && (it[i].cats & (1u << netra_category_index("parpol")))) {
			const char *party = party_named(q, e, it[i].text);
			if (party != NULL)
				snprintf(label, sizeof(label), "Partai: %s", party);
			else
				snprintf(label, sizeof(label), "Partai (tidak teridentifikasi)");
			rc = tally_add(&seen, label, 0, 0, 1);
		}
	}
	if (rc == NETRA_OK && seen.n == 0)
		rc = tally_add(&seen, "Tidak menyebut calon atau partai", 0, 0, 1);
	for (size_t i = 0; i < seen.n && rc == NETRA_OK; i++)
		for (int s = 0; s <= proven && rc == NETRA_OK; s++)
			rc = tally_add(&k->support, seen.rows[i].label, 0, s, 1);
	if (rc == NETRA_OK && sanction != NULL) {
		const char *ag = agency != NULL ? agency : UNKNOWN;
		rc = tally_add(&k->sanction, netra_sanction_label(sanction), 0, 0, 1);
		if (rc == NETRA_OK)
			rc = tally_add(&k->compliance, ag, 0, 0, 1);
		if (rc == NETRA_OK) {
			int done = strcmp(state, "tindak_lanjut") == 0;
			int late = !done &&
				   recommended_at + (int64_t)q->follow_up_days * 86400 < q->as_of;
			rc = tally_add(&k->compliance, ag, 0, done ? 1 : late ? 3 : 2, 1);
		}
	}
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "out of memory");
done:
	tally_free(&seen);
	items_free(it, n);
	return rc;
}

static int count_cases(sqlite3 *db, const struct netra_report_query *q, struct counts *k,
		       char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc = NETRA_OK, s;

	if (sqlite3_prepare_v2(db,
			       "SELECT c.id, c.state, c.election, c.sanction,"
			       " coalesce(c.recommended_at, 0), p.nip, p.position_class, p.agency,"
			       " p.province FROM cases c JOIN persons p ON p.id = c.person_id"
			       " WHERE ?1 IS NULL OR c.election = ?1 ORDER BY c.id",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		return NETRA_EIO;
	}
	if (q->election != NULL)
		sqlite3_bind_text(st, 1, q->election, -1, SQLITE_STATIC);
	while (rc == NETRA_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = count_case(db, q, k, st, err, errsz);
	if (rc == NETRA_OK && s != SQLITE_DONE) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		rc = NETRA_EIO;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Every flag (evidence item, whatever its review), by the day and stage of
 * its act. */
static int count_flags(sqlite3 *db, const struct netra_report_query *q, struct counts *k,
		       char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc = NETRA_OK, s;

	if (sqlite3_prepare_v2(db,
			       "SELECT coalesce(nullif(e.created_unix, 0), e.captured_at),"
			       " coalesce(c.election, e.election), e.stage, e.case_id IS NULL"
			       " FROM evidence e LEFT JOIN cases c ON c.id = e.case_id"
			       " WHERE ?1 IS NULL OR coalesce(c.election, e.election) = ?1"
			       " ORDER BY e.id",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		return NETRA_EIO;
	}
	if (q->election != NULL)
		sqlite3_bind_text(st, 1, q->election, -1, SQLITE_STATIC);
	while (rc == NETRA_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t day = act_day(find_election(q, col(st, 1)), sqlite3_column_int64(st, 0));
		if (!in_range(q, day))
			continue;
		if (k->ndays == k->days_cap) {
			size_t nc = k->days_cap != 0 ? k->days_cap * 2 : 64;
			int64_t *m = realloc(k->days, nc * sizeof(*m));
			if (m == NULL) {
				rc = NETRA_ENOMEM;
				break;
			}
			k->days = m;
			k->days_cap = nc;
		}
		k->days[k->ndays++] = day;
		k->unknown_flags += sqlite3_column_int(st, 3);
		rc = tally_add(&k->stage, col(st, 2) != NULL ? col(st, 2) : "(di luar tahapan)", 0,
			       0, 1);
	}
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "out of memory");
	else if (rc == NETRA_OK && s != SQLITE_DONE) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(db));
		rc = NETRA_EIO;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- the document ---- */

static void day_text(int64_t day, char out[11])
{
	int y, m, d;

	netra_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m, d);
}

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The per-day table and its line chart's data: every day from the first
 * to the last of the election's stages and the flags, within the query's
 * dates; the table lists the days that have flags. */
static json_t *daily_table(const struct netra_report_query *q, struct counts *k)
{
	const struct netra_election *e = find_election(q, q->election);
	static const char *const series[] = {"Flag"};
	long total = (long)k->ndays;
	int64_t first = INT64_MAX, last = INT64_MIN;
	json_t *t, *stages, *vals;
	char date[11];
	char note[LABEL_MAX];

	if (e == NULL && q->election == NULL && q->nelections == 1)
		e = q->elections[0];
	if (k->ndays > 0) {
		qsort(k->days, k->ndays, sizeof(k->days[0]), cmp_day);
		first = k->days[0];
		last = k->days[k->ndays - 1];
	}
	for (size_t i = 0; e != NULL && i < netra_election_nstages(e); i++) {
		const struct netra_stage *s = netra_election_stage(e, i);
		first = s->start < first ? s->start : first;
		last = s->end > last ? s->end : last;
	}
	if (q->has_from)
		first = q->from_day;
	if (q->has_to)
		last = q->to_day;
	if (first != INT64_MAX && last != INT64_MIN && last - first >= NETRA_REPORT_MAX_DAYS)
		last = first + NETRA_REPORT_MAX_DAYS - 1;
	snprintf(note,
		 sizeof(note),
		 "Persentase dari %ld flag (semua temuan pengklasifikasi, apa pun hasil "
		 "verifikasinya) menurut tanggal perbuatan. Hari tanpa flag tidak dicantumkan "
		 "(nilainya 0).",
		 total);
	t = table_new("harian", "Flag per hari", "Tanggal", "flag", note,
		      first <= last && last != INT64_MIN ? "line" : "none", "kolom", series,
		      &total, 1);
	if (t == NULL)
		return NULL;
	stages = json_array();
	vals = json_array();
	if (stages == NULL || vals == NULL || json_object_set_new(t, "tahapan", stages) != 0)
		goto fail;
	for (size_t i = 0; e != NULL && i < netra_election_nstages(e); i++) {
		const struct netra_stage *s = netra_election_stage(e, i);
		char d2[11];
		day_text(s->start, date);
		day_text(s->end, d2);
		if (json_array_append_new(stages, json_pack("{s:s, s:s, s:s}", "nama", s->name,
							    "mulai", date, "selesai", d2)) != 0)
			goto fail;
	}
	if (first <= last && last != INT64_MIN) {
		size_t j = 0;
		day_text(first, date);
		if (json_object_set_new(t, "hari", json_pack("{s:s, s:O}", "mulai", date, "nilai",
							     vals)) != 0)
			goto fail;
		for (int64_t day = first; day <= last; day++) {
			long v = 0;
			while (j < k->ndays && k->days[j] < day)
				j++;
			while (j < k->ndays && k->days[j] == day) {
				v++;
				j++;
			}
			if (json_array_append_new(vals, json_integer(v)) != 0)
				goto fail;
			day_text(day, date);
			if (v > 0 && table_row(t, date, &v, 1) != NETRA_OK)
				goto fail;
		}
	}
	json_decref(vals);
	return t;
fail:
	json_decref(vals);
	json_decref(t);
	return NULL;
}

static int build_tables(json_t *doc, const struct netra_report_query *q, struct counts *k)
{
	static const char *const two[] = {"Dilaporkan", "Terbukti melanggar"};
	static const char *const one_case[] = {"Kasus"};
	static const char *const one_rec[] = {"Kasus direkomendasikan"};
	static const char *const one_flag[] = {"Flag"};
	static const char *const comp[] = {"Rekomendasi", "Dilaksanakan", "Belum (dalam batas)",
					   "Terlambat"};
	long both[2] = {k->reported, k->proven};
	long comp_tot[4] = {0};
	long ntot;
	char note[LABEL_MAX * 2];
	json_t *t;
	int rc = NETRA_OK;

	snprintf(note, sizeof(note),
		 "Persentase dari %ld kasus dilaporkan (satu kasus = satu ASN dalam satu "
		 "pemilihan). Terbukti melanggar mencakup kasus yang sudah direkomendasikan dan "
		 "ditindaklanjuti. %ld flag tanpa identitas ASN (penulis tidak dikenal) tidak "
		 "menjadi kasus.",
		 k->reported, k->unknown_flags);
	t = table_new("ringkasan", "Ringkasan kasus", "Uraian", "kasus", note, "bar", "kolom",
		      one_case, &k->reported, 1);
	{
		const struct {
			const char *label;
			long v;
		} rows[] = {
			{"Dilaporkan", k->reported},
			{"Dalam proses (diterima, verifikasi, investigasi)", k->in_process},
			{"Tidak terbukti", k->not_proven},
			{"Terbukti melanggar", k->proven},
			{"Direkomendasikan kepada PPK", k->recommended},
			{"Ditindaklanjuti PPK", k->followed_up},
		};
		for (size_t i = 0; t != NULL && i < sizeof(rows) / sizeof(rows[0]) && rc == 0; i++)
			rc = table_row(t, rows[i].label, &rows[i].v, 1);
	}
	if (rc != NETRA_OK || add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;

#define TWO_NOTE(extra)                                                                      \
	snprintf(note, sizeof(note),                                                         \
		 "Persentase tiap kolom dari totalnya: %ld kasus dilaporkan dan %ld kasus "   \
		 "terbukti melanggar.%s",                                                     \
		 k->reported, k->proven, extra)

	TWO_NOTE(" Hanya 10 instansi teratas yang dicantumkan; sisanya dijumlahkan.");
	t = table_new("instansi", "Instansi terbanyak", "Instansi", "kasus", note, "bar",
		      "kolom", two, both, 2);
	if (t == NULL || table_rows(t, &k->agency, 2, TOP_AGENCIES, "instansi") != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	TWO_NOTE("");
	t = table_new("kelas_jabatan", "Kelas jabatan", "Kelas jabatan", "kasus", note, "bar",
		      "kolom", two, both, 2);
	if (t == NULL || table_rows(t, &k->pclass, 2, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	TWO_NOTE(" Satu kasus dapat memiliki beberapa kategori, sehingga jumlah persentase "
		 "dapat melebihi 100%.");
	t = table_new("kategori", "Kategori pelanggaran", "Kategori", "kasus", note, "bar",
		      "kolom", two, both, 2);
	if (t == NULL || table_rows(t, &k->category, 2, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	TWO_NOTE("");
	t = table_new("provinsi", "Provinsi", "Provinsi", "kasus", note, "bar", "kolom", two,
		      both, 2);
	if (t == NULL || table_rows(t, &k->province, 2, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	TWO_NOTE(" Usia dihitung dari tanggal lahir pada NIP, pada tanggal perbuatan.");
	t = table_new("usia", "Kelompok usia", "Kelompok usia", "kasus", note, "bar", "kolom",
		      two, both, 2);
	if (t == NULL || table_rows(t, &k->age, 2, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	snprintf(note, sizeof(note),
		 "Persentase dari %ld kasus yang sudah direkomendasikan kepada PPK.",
		 k->recommended);
	t = table_new("rekomendasi", "Rekomendasi sanksi", "Sanksi", "kasus", note, "bar",
		      "kolom", one_rec, &k->recommended, 1);
	if (t == NULL || table_rows(t, &k->sanction, 1, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	TWO_NOTE(" Calon menurut nomor urut pada bukti; partai menurut bukti keanggotaan "
		 "partai (parpol) yang menyebut nama partai. Satu kasus dapat menyebut beberapa "
		 "calon atau partai. Calon legislatif belum dicatat dalam basis data kasus.");
	t = table_new("dukungan", "Arah dukungan", "Didukung", "kasus", note, "bar", "kolom",
		      two, both, 2);
	if (t == NULL || table_rows(t, &k->support, 2, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
#undef TWO_NOTE
	for (size_t i = 0; i < k->compliance.n; i++)
		for (int s = 0; s < 4; s++)
			comp_tot[s] += k->compliance.rows[i].v[s];
	snprintf(note, sizeof(note),
		 "Kolom Rekomendasi: persentase dari %ld rekomendasi. Kolom lain: persentase dari "
		 "rekomendasi instansi itu. Terlambat: belum ditindaklanjuti lebih dari %ld hari "
		 "setelah rekomendasi.",
		 comp_tot[0], q->follow_up_days);
	t = table_new("tindak_lanjut", "Kepatuhan tindak lanjut per instansi", "Instansi",
		      "rekomendasi", note, "bar", "baris", comp, comp_tot, 4);
	if (t == NULL || table_rows(t, &k->compliance, 4, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	ntot = (long)k->ndays;
	snprintf(note, sizeof(note),
		 "Persentase dari %ld flag (semua temuan, apa pun hasil verifikasinya), menurut "
		 "tahapan pemilihan pada saat perbuatan.",
		 ntot);
	t = table_new("tahapan", "Flag per tahapan pemilihan", "Tahapan", "flag", note, "bar",
		      "kolom", one_flag, &ntot, 1);
	if (t == NULL || table_rows(t, &k->stage, 1, 0, NULL) != NETRA_OK ||
	    add_table(doc, t) != NETRA_OK)
		return NETRA_ENOMEM;
	return add_table(doc, daily_table(q, k));
}

int netra_report_build(const char *db_path, const struct netra_report_query *q,
		       json_t **out, char *err, size_t errsz)
{
	sqlite3 *db = NULL;
	struct counts k;
	json_t *doc = NULL;
	struct stat sb;
	const struct netra_election *e = find_election(q, q->election);
	char period[64], made[32], from[11], to[11];
	int rc;

	*out = NULL;
	memset(&k, 0, sizeof(k));
	if (stat(db_path, &sb) != 0) {
		snprintf(err, errsz,
			 "%s: no case store here (file flags with `netra cases import`, or give "
			 "--data-dir / --config)",
			 db_path);
		return NETRA_ENOTFOUND;
	}
	/* Read only: a report never creates or changes the store. */
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", db_path, db != NULL ? sqlite3_errmsg(db) : "cannot open");
		rc = NETRA_EIO;
		goto done;
	}
	sqlite3_busy_timeout(db, 30000);
	rc = seed(&k);
	if (rc != NETRA_OK) {
		snprintf(err, errsz, "out of memory");
		goto done;
	}
	/* One read transaction, so that every table counts the same moment. */
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	rc = count_cases(db, q, &k, err, errsz);
	if (rc == NETRA_OK)
		rc = count_flags(db, q, &k, err, errsz);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc == NETRA_EIO) {
		/* Say which file: "no such table" alone does not. */
		char inner[512];
		snprintf(inner, sizeof(inner), "%s", err);
		snprintf(err, errsz, "%s: not a readable case store: %s", db_path, inner);
	}
	if (rc != NETRA_OK)
		goto done;
	day_text(q->from_day, from);
	day_text(q->to_day, to);
	if (q->has_from && q->has_to)
		snprintf(period, sizeof(period), "%s s.d. %s", from, to);
	else if (q->has_from)
		snprintf(period, sizeof(period), "sejak %s", from);
	else if (q->has_to)
		snprintf(period, sizeof(period), "sampai %s", to);
	else
		snprintf(period, sizeof(period), "semua tanggal");
	netra_time_format_utc(q->as_of, made, sizeof(made));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:[]}", "judul",
			"Laporan Pengawasan Netralitas ASN", "pemilihan",
			e != NULL   ? netra_election_name(e)
			: q->election != NULL ? q->election
					      : "semua pemilihan",
			"periode", period, "dibuat", made, "sumber", db_path, "batas_tindak_lanjut",
			(json_int_t)q->follow_up_days, "tabel");
	rc = doc == NULL ? NETRA_ENOMEM : build_tables(doc, q, &k);
	if (rc != NETRA_OK) {
		snprintf(err, errsz, "out of memory");
		json_decref(doc);
		doc = NULL;
		goto done;
	}
	*out = doc;
done:
	counts_free(&k);
	sqlite3_close(db);
	return rc;
}

/* ---- rendering ---- */

int netra_report_format_parse(const char *name, enum netra_report_format *out)
{
	static const char *const names[] = {"md", "csv", "html"};

	for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(names[i], name) == 0) {
			*out = (enum netra_report_format)i;
			return 0;
		}
	}
	return -1;
}

void netra_report_percent(long count, long total, int comma, char *out, size_t outsz)
{
	long long tenths;

	if (total <= 0) {
		snprintf(out, outsz, "-");
		return;
	}
	/* Integer arithmetic, half up: no binary-fraction surprises. */
	tenths = ((long long)count * 1000 + total / 2) / total;
	snprintf(out, outsz, "%lld%c%lld", tenths / 10, comma ? ',' : '.', tenths % 10);
}

/* A table's numbers, read back from the document. */
struct view {
	const char *id, *judul, *kolom, *catatan, *chart; /* borrowed from the table */
	int by_row;          /* percentages of the row's first count */
	size_t nseries;      /* series */
	const char *series[NSERIES]; /* their labels */
	long totals[NSERIES];        /* their totals */
	size_t nrows;        /* rows */
	const json_t *rows;  /* the rows */
};

static int view_of(const json_t *t, struct view *v)
{
	const json_t *seri = json_object_get(t, "seri");

	memset(v, 0, sizeof(*v));
	v->id = json_string_value(json_object_get(t, "id"));
	v->judul = json_string_value(json_object_get(t, "judul"));
	v->kolom = json_string_value(json_object_get(t, "kolom"));
	v->catatan = json_string_value(json_object_get(t, "catatan"));
	v->chart = json_string_value(json_object_get(t, "chart"));
	v->by_row = json_string_value(json_object_get(t, "persen")) != NULL &&
		    strcmp(json_string_value(json_object_get(t, "persen")), "baris") == 0;
	v->rows = json_object_get(t, "baris");
	v->nrows = json_array_size(v->rows);
	v->nseries = json_array_size(seri);
	if (v->id == NULL || v->judul == NULL || v->kolom == NULL || v->catatan == NULL ||
	    v->chart == NULL || v->nseries == 0 || v->nseries > NSERIES ||
	    !json_is_array(v->rows))
		return NETRA_EINVAL;
	for (size_t s = 0; s < v->nseries; s++) {
		v->series[s] = json_string_value(json_object_get(json_array_get(seri, s), "label"));
		v->totals[s] =
			(long)json_integer_value(json_object_get(json_array_get(seri, s), "total"));
		if (v->series[s] == NULL)
			return NETRA_EINVAL;
	}
	return NETRA_OK;
}

static const char *row_label(const struct view *v, size_t r)
{
	const char *l = json_string_value(json_object_get(json_array_get(v->rows, r), "label"));

	return l != NULL ? l : "";
}

static long row_value(const struct view *v, size_t r, size_t s)
{
	const json_t *vals = json_object_get(json_array_get(v->rows, r), "nilai");

	return (long)json_integer_value(json_array_get(vals, s));
}

/* The base of the percentage of series s in a row whose values are vals. */
static long pct_base(const struct view *v, const long *vals, size_t s)
{
	return v->by_row && s > 0 ? vals[0] : v->totals[s];
}

/* The row r's values (r == nrows: the totals). */
static void row_values(const struct view *v, size_t r, long *vals)
{
	for (size_t s = 0; s < v->nseries; s++)
		vals[s] = r < v->nrows ? row_value(v, r, s) : v->totals[s];
}

static const char TOTAL_LABEL[] = "Total (dasar persentase)";

static int md_cell(struct netra_buf *b, const char *s)
{
	int rc = NETRA_OK;

	for (; *s != '\0' && rc == NETRA_OK; s++)
		rc = *s == '|' ? netra_buf_adds(b, "\\|")
				: *s == '\n' ? netra_buf_adds(b, " ")
					     : netra_buf_add(b, s, 1);
	return rc;
}

static int render_md(const json_t *doc, struct netra_buf *b)
{
	const json_t *tables = json_object_get(doc, "tabel");
	const json_t *t;
	size_t i;
	int rc;

	rc = netra_buf_printf(b,
			      "# %s\n\n- Pemilihan: %s\n- Periode perbuatan: %s\n"
			      "- Batas tindak lanjut: %" JSON_INTEGER_FORMAT " hari\n"
			      "- Dibuat: %s\n- Sumber: %s\n",
			      json_string_value(json_object_get(doc, "judul")),
			      json_string_value(json_object_get(doc, "pemilihan")),
			      json_string_value(json_object_get(doc, "periode")),
			      json_integer_value(json_object_get(doc, "batas_tindak_lanjut")),
			      json_string_value(json_object_get(doc, "dibuat")),
			      json_string_value(json_object_get(doc, "sumber")));
	json_array_foreach(tables, i, t) {
		struct view v;
		if (rc != NETRA_OK || view_of(t, &v) != NETRA_OK)
			return rc != NETRA_OK ? rc : NETRA_EINVAL;
		rc = netra_buf_printf(b, "\n## %zu. %s\n\n%s\n\n| ", i + 1, v.judul, v.catatan);
		if (rc == NETRA_OK)
			rc = md_cell(b, v.kolom);
		for (size_t s = 0; s < v.nseries && rc == NETRA_OK; s++)
			rc = netra_buf_printf(b, " | %s | %%", v.series[s]);
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, " |\n|---|");
		for (size_t s = 0; s < v.nseries && rc == NETRA_OK; s++)
			rc = netra_buf_adds(b, "---:|---:|");
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, "\n");
		for (size_t r = 0; r <= v.nrows && rc == NETRA_OK; r++) {
			long vals[NSERIES];
			row_values(&v, r, vals);
			rc = netra_buf_adds(b, r < v.nrows ? "| " : "| **");
			if (rc == NETRA_OK)
				rc = md_cell(b, r < v.nrows ? row_label(&v, r) : TOTAL_LABEL);
			if (rc == NETRA_OK)
				rc = netra_buf_adds(b, r < v.nrows ? " |" : "** |");
			for (size_t s = 0; s < v.nseries && rc == NETRA_OK; s++) {
				char p[16];
				netra_report_percent(vals[s], pct_base(&v, vals, s), 1, p, sizeof(p));
				rc = netra_buf_printf(b, " %ld | %s%s |", vals[s], p,
						      strcmp(p, "-") != 0 ? "%" : "");
			}
			if (rc == NETRA_OK)
				rc = netra_buf_adds(b, "\n");
		}
	}
	return rc;
}

static int csv_field(struct netra_buf *b, const char *s, const char *sep)
{
	int rc = netra_buf_adds(b, "\"");

	for (; *s != '\0' && rc == NETRA_OK; s++)
		rc = *s == '"' ? netra_buf_adds(b, "\"\"") : netra_buf_add(b, s, 1);
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "\"");
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, sep);
	return rc;
}

/* One CSV file, one line per table, row and series ("long" form), so that
 * a spreadsheet can filter and pivot it; the totals are rows too. */
static int render_csv(const json_t *doc, struct netra_buf *b)
{
	const json_t *t;
	size_t i;
	int rc = netra_buf_adds(b, "tabel,judul,baris,seri,jumlah,persen,dasar\r\n");

	json_array_foreach(json_object_get(doc, "tabel"), i, t) {
		struct view v;
		if (rc != NETRA_OK || view_of(t, &v) != NETRA_OK)
			return rc != NETRA_OK ? rc : NETRA_EINVAL;
		for (size_t r = 0; r <= v.nrows && rc == NETRA_OK; r++) {
			long vals[NSERIES];
			row_values(&v, r, vals);
			for (size_t s = 0; s < v.nseries && rc == NETRA_OK; s++) {
				char p[16];
				long base = pct_base(&v, vals, s);
				netra_report_percent(vals[s], base, 0, p, sizeof(p));
				rc = csv_field(b, v.id, ",");
				if (rc == NETRA_OK)
					rc = csv_field(b, v.judul, ",");
				if (rc == NETRA_OK)
					rc = csv_field(b, r < v.nrows ? row_label(&v, r) : TOTAL_LABEL,
						       ",");
				if (rc == NETRA_OK)
					rc = csv_field(b, v.series[s], ",");
				if (rc == NETRA_OK)
					rc = netra_buf_printf(b, "%ld,%s,%ld\r\n", vals[s],
							      strcmp(p, "-") == 0 ? "" : p, base);
			}
		}
	}
	return rc;
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
	"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	"<title>";

/* No fonts, scripts or images are fetched: the page opens offline. */
static const char html_style[] =
	"</title>\n<style>\n"
	"body{font-family:sans-serif;color:#1a202c;max-width:60em;margin:1em auto;padding:0 1em}\n"
	"h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #cbd5e0}\n"
	"table{border-collapse:collapse;margin:.6em 0}\n"
	"th,td{border:1px solid #cbd5e0;padding:.2em .5em;text-align:left}\n"
	"td.n,td.p,th.n{text-align:right}tfoot td{font-weight:bold}\n"
	".catatan{color:#4a5568;font-size:.9em}.meta td{border:none;padding:0 1em 0 0}\n"
	"svg{max-width:100%;height:auto}\n"
	"@media print{@page{size:A4;margin:15mm}body{max-width:none;margin:0}"
	"section{break-inside:avoid}h2{break-after:avoid}}\n"
	"</style>\n</head>\n<body>\n";

static int html_text(struct netra_buf *b, const char *s)
{
	return netra_xml_escape(b, s != NULL ? s : "");
}

/* The chart of a table: bars of its rows, or the per-day line. */
static int html_chart(struct netra_buf *b, const json_t *t, const struct view *v)
{
	int rc = NETRA_OK;

	if (strcmp(v->chart, "bar") == 0 && v->nrows > 0) {
		const char **labels = calloc(v->nrows, sizeof(*labels));
		long *vals = calloc(v->nrows * v->nseries, sizeof(*vals));
		struct netra_svg_bars c = {v->judul, labels, v->nrows, v->series, v->nseries, vals};
		if (labels == NULL || vals == NULL)
			rc = NETRA_ENOMEM;
		for (size_t r = 0; r < v->nrows && rc == NETRA_OK; r++) {
			labels[r] = row_label(v, r);
			for (size_t s = 0; s < v->nseries; s++)
				vals[r * v->nseries + s] = row_value(v, r, s);
		}
		if (rc == NETRA_OK)
			rc = netra_svg_bars(b, &c);
		free(labels);
		free(vals);
	} else if (strcmp(v->chart, "line") == 0) {
		const json_t *hari = json_object_get(t, "hari");
		const json_t *nilai = json_object_get(hari, "nilai");
		const json_t *tahapan = json_object_get(t, "tahapan");
		size_t nd = json_array_size(nilai), ns = json_array_size(tahapan);
		long *vals = calloc(nd + 1, sizeof(*vals));
		struct netra_svg_span *spans = calloc(ns + 1, sizeof(*spans));
		struct netra_svg_line c = {v->judul, v->series[0], 0, vals, nd, spans, ns};
		if (vals == NULL || spans == NULL ||
		    netra_date_parse(json_string_value(json_object_get(hari, "mulai")) != NULL
					     ? json_string_value(json_object_get(hari, "mulai"))
					     : "",
				     &c.first_day) != 0)
			rc = vals == NULL || spans == NULL ? NETRA_ENOMEM : NETRA_EINVAL;
		for (size_t i = 0; i < nd && rc == NETRA_OK; i++)
			vals[i] = (long)json_integer_value(json_array_get(nilai, i));
		for (size_t i = 0; i < ns && rc == NETRA_OK; i++) {
			const json_t *s = json_array_get(tahapan, i);
			const char *a = json_string_value(json_object_get(s, "mulai"));
			const char *z = json_string_value(json_object_get(s, "selesai"));
			spans[i].name = json_string_value(json_object_get(s, "nama"));
			if (a == NULL || z == NULL || spans[i].name == NULL ||
			    netra_date_parse(a, &spans[i].start) != 0 ||
			    netra_date_parse(z, &spans[i].end) != 0)
				rc = NETRA_EINVAL;
		}
		if (rc == NETRA_OK && nd > 0)
			rc = netra_svg_line(b, &c);
		free(vals);
		free(spans);
	}
	return rc;
}

static int html_table(struct netra_buf *b, const json_t *t, size_t no)
{
	struct view v;
	int rc = view_of(t, &v);

	if (rc != NETRA_OK)
		return rc;
	rc = netra_buf_printf(b, "<section id=\"t-%s\">\n<h2>%zu. ", v.id, no);
	if (rc == NETRA_OK)
		rc = html_text(b, v.judul);
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</h2>\n<p class=\"catatan\">");
	if (rc == NETRA_OK)
		rc = html_text(b, v.catatan);
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</p>\n<div class=\"chart\">\n");
	if (rc == NETRA_OK)
		rc = html_chart(b, t, &v);
	if (rc == NETRA_OK)
		rc = netra_buf_printf(b, "</div>\n<table data-table=\"%s\">\n<thead><tr><th>", v.id);
	if (rc == NETRA_OK)
		rc = html_text(b, v.kolom);
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</th>");
	for (size_t s = 0; s < v.nseries && rc == NETRA_OK; s++) {
		rc = netra_buf_adds(b, "<th class=\"n\">");
		if (rc == NETRA_OK)
			rc = html_text(b, v.series[s]);
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, "</th><th class=\"n\">%</th>");
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t r = 0; r <= v.nrows && rc == NETRA_OK; r++) {
		long vals[NSERIES];
		row_values(&v, r, vals);
		if (r == v.nrows)
			rc = netra_buf_adds(b, "</tbody>\n<tfoot>\n");
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, r < v.nrows ? "<tr class=\"row\"><td>"
							    : "<tr class=\"total\"><td>");
		if (rc == NETRA_OK)
			rc = html_text(b, r < v.nrows ? row_label(&v, r) : TOTAL_LABEL);
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, "</td>");
		for (size_t s = 0; s < v.nseries && rc == NETRA_OK; s++) {
			char p[16];
			netra_report_percent(vals[s], pct_base(&v, vals, s), 1, p, sizeof(p));
			rc = netra_buf_printf(b,
					      "<td class=\"n\" data-series=\"%zu\">%ld</td>"
					      "<td class=\"p\">%s%s</td>",
					      s, vals[s], p, strcmp(p, "-") != 0 ? "%" : "");
		}
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, "</tr>\n");
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</tfoot>\n</table>\n</section>\n");
	return rc;
}

static int render_html(const json_t *doc, struct netra_buf *b)
{
	static const char *const meta[][2] = {{"Pemilihan", "pemilihan"},
					      {"Periode perbuatan", "periode"},
					      {"Dibuat", "dibuat"},
					      {"Sumber", "sumber"}};
	const json_t *t;
	size_t i;
	int rc = netra_buf_adds(b, html_head);

	if (rc == NETRA_OK)
		rc = html_text(b, json_string_value(json_object_get(doc, "judul")));
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, html_style);
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "<h1>");
	if (rc == NETRA_OK)
		rc = html_text(b, json_string_value(json_object_get(doc, "judul")));
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</h1>\n<table class=\"meta\">\n");
	for (size_t m = 0; m < sizeof(meta) / sizeof(meta[0]) && rc == NETRA_OK; m++) {
		rc = netra_buf_printf(b, "<tr><td>%s</td><td>", meta[m][0]);
		if (rc == NETRA_OK)
			rc = html_text(b, json_string_value(json_object_get(doc, meta[m][1])));
		if (rc == NETRA_OK)
			rc = netra_buf_adds(b, "</td></tr>\n");
	}
	if (rc == NETRA_OK)
		rc = netra_buf_printf(b,
				      "<tr><td>Batas tindak lanjut</td><td>%" JSON_INTEGER_FORMAT
				      " hari</td></tr>\n</table>\n",
				      json_integer_value(json_object_get(doc, "batas_tindak_lanjut")));
	json_array_foreach(json_object_get(doc, "tabel"), i, t) {
		if (rc == NETRA_OK)
			rc = html_table(b, t, i + 1);
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(b, "</body>\n</html>\n");
	return rc;
}

int netra_report_render(const json_t *report, enum netra_report_format f,
			struct netra_buf *out)
{
	if (!json_is_array(json_object_get(report, "tabel")))
		return NETRA_EINVAL;
	switch (f) {
	case NETRA_REPORT_MD: return render_md(report, out);
	case NETRA_REPORT_CSV: return render_csv(report, out);
	case NETRA_REPORT_HTML: return render_html(report, out);
	}
	return NETRA_EINVAL;
}
