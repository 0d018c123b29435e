/* Reports upwards (docs/reports.md): the tables monitoring teams send to
 * their supervisors, counted straight from the case store (sinks/cases.h)
 * and written as Markdown, CSV or a self-contained HTML page with charts
 * (sinks/svg.h). Titles, labels and page text are in Bahasa Indonesia.
 *
 * A report is built once, as a JSON document (netra_report_build), and
 * every format is rendered from that one document, so that the Markdown,
 * the CSV and the HTML tables and charts hold the same numbers. */
#ifndef NETRA_REPORT_H
#define NETRA_REPORT_H

#include "core/buf.h"
#include "core/election.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum netra_report_format {
	NETRA_REPORT_MD = 0,
	NETRA_REPORT_CSV,
	NETRA_REPORT_HTML
};

/* Largest report rendered, in bytes. */
#define NETRA_REPORT_MAX (64u * 1024u * 1024u)

/* Longest stretch of days the flags-per-day chart draws. */
#define NETRA_REPORT_MAX_DAYS 3660

/* What a report covers. */
struct netra_report_query {
	const char *election;   /* only this election's cases and flags, or NULL */
	int has_from;           /* from_day is set */
	int64_t from_day;       /* first day of acts counted (days since 1970-01-01) */
	int has_to;             /* to_day is set */
	int64_t to_day;         /* last day of acts counted, inclusive */
	long follow_up_days;    /* days allowed for a follow-up before it is overdue */
	int64_t as_of;          /* "now" for overdue follow-ups (seconds since the epoch) */
	struct netra_election *const *elections; /* loaded election files (borrowed) */
	size_t nelections;      /* entries in elections */
};

/* Parse "md", "csv" or "html". Returns 0, or -1. */
int netra_report_format_parse(const char *name, enum netra_report_format *out);

/* Count the report's tables from the case store at db_path (opened read
 * only; it is never created). On success *out is a new JSON document (the
 * caller's): {judul, pemilihan, periode, dibuat, sumber, tabel: [table]},
 * each table {id, judul, satuan, catatan, chart ("bar", "line" or "none"),
 * persen ("kolom": each count of its series' total; "baris": series after
 * the first of the row's first count), seri: [{label, total}], baris:
 * [{label, nilai: [counts]}]}, the per-day table also {hari: {mulai,
 * nilai: [count per day]}, tahapan: [{nama, mulai, selesai}]}. Returns 0,
 * NETRA_ENOTFOUND (no store at db_path), NETRA_EIO or NETRA_ENOMEM, with
 * err set. */
int netra_report_build(const char *db_path, const struct netra_report_query *q,
		       json_t **out, char *err, size_t errsz);

/* Append the report document in format f to out. Returns 0, NETRA_EINVAL
 * (not a report document), NETRA_ETOOBIG or NETRA_ENOMEM. */
int netra_report_render(const json_t *report, enum netra_report_format f,
			struct netra_buf *out);

/* A percentage to one decimal, rounded half up, into out (at least 16
 * bytes): "42.9" (decimal point) or "42,9" (decimal comma, for Indonesian
 * text); "-" when total is 0. */
void netra_report_percent(long count, long total, int comma, char *out, size_t outsz);

/* The age band of someone born on NIP nip (18 digits; NULL or invalid:
 * "tidak_diketahui") at the date y-m-d: "<=30", "31-40", "41-50", "51+". */
const char *netra_report_age_band(const char *nip, int y, int m, int d);

#endif
