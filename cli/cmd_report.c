/* netra report: the tables monitoring teams send upwards (docs/reports.md),
 * counted from the case store, as Markdown, CSV or HTML with charts. */
#include "cli/command.h"
#include "core/config.h"
#include "core/error.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "sinks/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_ELECTIONS = 64 };

static const char cmd[] = "report";

/* The format named by a file's extension, or -1. */
static int format_of_path(const char *path, enum netra_report_format *f)
{
	const char *dot = path != NULL ? strrchr(path, '.') : NULL;

	return dot != NULL ? netra_report_format_parse(dot + 1, f) : -1;
}

/* A date option: "YYYY-MM-DD". Returns 0, or the usage status (printed). */
static int date_option(const char *opt, const char *s, int64_t *day)
{
	if (netra_date_parse(s, day) != 0)
		return netra_usage_error(cmd, "%s takes a date YYYY-MM-DD, not \"%s\"", opt, s);
	return 0;
}

static int run_report(int argc, char **argv)
{
	struct netra_config cfg;
	struct netra_election *elections[MAX_ELECTIONS] = {NULL};
	struct netra_report_query q;
	struct netra_buf out;
	enum netra_report_format format = NETRA_REPORT_MD;
	const char *config_path = NULL, *data_dir = NULL, *format_s = NULL, *out_path = NULL;
	const char *from_s = NULL, *to_s = NULL, *as_of_s = NULL;
	char *db_path = NULL;
	json_t *doc = NULL;
	long days = -1;
	size_t nelections = 0;
	int cfg_loaded = 0;
	int status = 0;
	char err[1024];

	memset(&q, 0, sizeof(q));
	netra_buf_init(&out, NETRA_REPORT_MAX);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (strcmp(a, "--config") == 0)
			slot = &config_path;
		else if (strcmp(a, "--data-dir") == 0)
			slot = &data_dir;
		else if (strcmp(a, "--election") == 0)
			slot = &q.election;
		else if (strcmp(a, "--from") == 0)
			slot = &from_s;
		else if (strcmp(a, "--to") == 0)
			slot = &to_s;
		else if (strcmp(a, "--format") == 0)
			slot = &format_s;
		else if (strcmp(a, "--out") == 0)
			slot = &out_path;
		else if (strcmp(a, "--as-of") == 0)
			slot = &as_of_s;
		if (slot == NULL && strcmp(a, "--days") != 0)
			return netra_usage_error(cmd, "unexpected '%s'", a);
		if (i + 1 >= argc)
			return netra_usage_error(cmd, "%s needs a value", a);
		if (slot != NULL) {
			*slot = argv[++i];
		} else {
			char *end;
			errno = 0;
			days = strtol(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || end == argv[i] || days < 0 || days > 3650)
				return netra_usage_error(cmd, "--days takes 0 to 3650");
		}
	}
	if (format_s != NULL && netra_report_format_parse(format_s, &format) != 0)
		return netra_usage_error(cmd, "--format takes md, csv or html, not \"%s\"",
					 format_s);
	if (format_s == NULL && out_path != NULL && strcmp(out_path, "-") != 0 &&
	    format_of_path(out_path, &format) != 0)
		return netra_usage_error(cmd, "say --format md, csv or html (the name \"%s\" does "
					      "not tell)", out_path);
	if (from_s != NULL && (status = date_option("--from", from_s, &q.from_day)) != 0)
		return status;
	if (to_s != NULL && (status = date_option("--to", to_s, &q.to_day)) != 0)
		return status;
	q.has_from = from_s != NULL;
	q.has_to = to_s != NULL;
	if (q.has_from && q.has_to && q.from_day > q.to_day)
		return netra_usage_error(cmd, "--from %s is after --to %s", from_s, to_s);
	q.as_of = (int64_t)time(NULL);
	if (as_of_s != NULL) {
		int64_t d;
		if (netra_date_parse(as_of_s, &d) == 0)
			q.as_of = d * 86400;
		else if (netra_time_parse(as_of_s, &q.as_of) != 0)
			return netra_usage_error(cmd, "--as-of takes YYYY-MM-DD or an RFC 3339 time");
	}

	if (config_path != NULL) {
		if (netra_config_load(config_path, &cfg, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	} else if (netra_config_defaults(&cfg) != NETRA_OK) {
		fprintf(stderr, "netra %s: out of memory\n", cmd);
		return 1;
	}
	cfg_loaded = 1;
	/* Election files give candidates' names and the stages of the chart. */
	for (size_t i = 0; i < cfg.nelections && i < MAX_ELECTIONS; i++) {
		if (netra_election_load(cfg.elections[i], &elections[nelections], err,
					sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			status = 2;
			goto cleanup;
		}
		nelections++;
	}
	q.elections = elections;
	q.nelections = nelections;
	q.follow_up_days = days >= 0 ? days : (long)cfg.follow_up_days;
	if (q.election != NULL && nelections > 0) {
		size_t i = 0;
		while (i < nelections && strcmp(netra_election_id(elections[i]), q.election) != 0)
			i++;
		if (i == nelections)
			fprintf(stderr,
				"netra %s: no election file for \"%s\"; candidates are shown by "
				"number only\n",
				cmd, q.election);
	}
	if (data_dir == NULL)
		data_dir = cfg.data_dir;
	db_path = malloc(strlen(data_dir) + sizeof("/cases.db"));
	if (db_path == NULL) {
		status = 1;
		goto cleanup;
	}
	snprintf(db_path, strlen(data_dir) + sizeof("/cases.db"), "%s/cases.db", data_dir);
	if (netra_report_build(db_path, &q, &doc, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra %s: %s\n", cmd, err);
		status = 1;
		goto cleanup;
	}
	if (netra_report_render(doc, format, &out) != NETRA_OK) {
		fprintf(stderr, "netra %s: the report is too large or memory ran out\n", cmd);
		status = 1;
		goto cleanup;
	}
	if (out_path == NULL || strcmp(out_path, "-") == 0) {
		if (fwrite(netra_buf_str(&out), 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
			fprintf(stderr, "netra %s: cannot write standard output\n", cmd);
			status = 1;
		}
	} else if (netra_file_write_atomic(out_path, netra_buf_str(&out), out.len, err,
					   sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra %s: %s\n", cmd, err);
		status = 1;
	} else {
		printf("%s\n", out_path);
	}
cleanup:
	json_decref(doc);
	netra_buf_free(&out);
	free(db_path);
	for (size_t i = 0; i < nelections; i++)
		netra_election_destroy(&elections[i]);
	if (cfg_loaded)
		netra_config_free(&cfg);
	return status;
}

const struct netra_command netra_cmd_report = {
	.name = "report",
	.summary = "tables for supervisors from the case store (md, csv, html with charts)",
	.usage =
		"Usage: netra report [--config FILE] [--data-dir DIR] [--election ID]\n"
		"                    [--from DATE] [--to DATE] [--format md|csv|html]\n"
		"                    [--out FILE|-] [--as-of DATE] [--days N]\n\n"
		"Counts the case store (DATA_DIR/cases.db, read only) into the tables of\n"
		"docs/reports.md, in Bahasa Indonesia: a summary (reported, proven,\n"
		"followed up), top agencies, position class, category, province, age band\n"
		"(from the NIP, at the date of the act), recommendations, whom the support\n"
		"went to, follow-up compliance per agency, and flags per stage and per day.\n"
		"Each table has counts and percentages of a stated total. The HTML page\n"
		"draws a chart beside each table and opens without a network; the CSV is\n"
		"one file with one line per table, row and series.\n\n"
		"  --election ID   only this election's cases and flags\n"
		"  --from, --to    only acts on or after / on or before these dates\n"
		"                  (YYYY-MM-DD, in the election's time zone)\n"
		"  --format F      md (default), csv or html; else taken from --out's name\n"
		"  --out FILE      write there (atomically) and print the path; - or none:\n"
		"                  standard output\n"
		"  --as-of DATE    the day overdue follow-ups are counted at (default now)\n"
		"  --days N        days allowed for a follow-up (default: follow_up_days\n"
		"                  in netra.json, else 30)\n"
		"  --config FILE   netra.json: data_dir, elections, follow_up_days\n"
		"  --data-dir DIR  the store's folder, overriding the configuration\n\n"
		"Exit status: 0 done; 1 no case store, or it cannot be read or written out;\n"
		"2 usage, a bad date or option, or bad configuration.\n",
	.run = run_report,
};
