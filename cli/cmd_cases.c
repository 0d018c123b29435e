/* netra cases: import flags as evidence, list and show cases, move them
 * through the workflow, recommend a sanction, record the agency head's
 * follow-up, list overdue follow-ups, and export case files
 * (docs/review.md). */
#include "cli/command.h"
#include "core/error.h"
#include "core/post.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "sinks/casefile.h"
#include "sinks/cases.h"
#include "sinks/reviewenv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
	LINE_MAX_BYTES = 16 * 1024 * 1024, /* one flag line */
	IMPORT_BATCH = 500                 /* flags per transaction */
};

static const char cmd[] = "cases";

static int print_json(const json_t *v)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (text == NULL)
		return 1;
	puts(text);
	free(text);
	return 0;
}

static void files_hint(struct netra_review_env *env)
{
	printf("case files: %s\n", netra_cases_files_dir(env->cases));
}

/* ---- import ---- */

struct import_tally {
	size_t lines;     /* flag lines read */
	size_t added;     /* new evidence */
	size_t duplicate; /* already stored */
	size_t bad;       /* skipped */
};

static int import_stream(struct netra_review_env *env, FILE *fp, const char *name,
			 struct import_tally *t)
{
	struct netra_lines *lines = netra_lines_new(fp, name, LINE_MAX_BYTES);
	const char *line;
	size_t len;
	size_t in_batch = 0;
	enum netra_line_result lr;
	char err[1024];
	int rc = NETRA_OK;

	if (lines == NULL)
		return NETRA_ENOMEM;
	while ((lr = netra_lines_next(lines, &line, &len)) != NETRA_LINE_EOF) {
		size_t no = netra_lines_number(lines);
		int r;
		if (lr == NETRA_LINE_ERROR) {
			fprintf(stderr, "%s:%zu: read error; the rest of this input is skipped\n", name,
				no);
			t->bad++;
			break;
		}
		if (lr == NETRA_LINE_TOOLONG) {
			fprintf(stderr, "%s:%zu: line longer than %d bytes, skipped\n", name, no,
				LINE_MAX_BYTES);
			t->bad++;
			continue;
		}
		if (strspn(line, " \t\r") == len)
			continue;
		t->lines++;
		if (in_batch == 0) {
			rc = netra_cases_begin(env->cases, err, sizeof(err));
			if (rc != NETRA_OK)
				break;
		}
		r = netra_cases_add_flag(env->cases, line, len, 0, err, sizeof(err));
		if (r == NETRA_ADD_NEW) {
			t->added++;
		} else if (r == NETRA_ADD_DUPLICATE) {
			t->duplicate++;
		} else if (r == NETRA_EINVAL) {
			fprintf(stderr, "%s:%zu: %s; line skipped\n", name, no, err);
			t->bad++;
		} else {
			rc = r;
			break;
		}
		if (++in_batch == IMPORT_BATCH) {
			in_batch = 0;
			rc = netra_cases_commit(env->cases, err, sizeof(err));
			if (rc != NETRA_OK)
				break;
		}
	}
	if (rc == NETRA_OK && in_batch > 0)
		rc = netra_cases_commit(env->cases, err, sizeof(err));
	if (rc != NETRA_OK) {
		netra_cases_rollback(env->cases);
		fprintf(stderr, "netra cases import: %s: %s\n", name, err);
	}
	netra_lines_destroy(&lines);
	return rc;
}

static int run_import(struct netra_review_env *env, char **inputs, size_t n)
{
	struct import_tally t;
	size_t unreadable = 0;
	int status = 0;

	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < n && status == 0; i++) {
		FILE *fp = strcmp(inputs[i], "-") == 0 ? stdin : fopen(inputs[i], "r");
		if (fp == NULL) {
			fprintf(stderr, "%s: cannot open; skipped\n", inputs[i]);
			unreadable++;
			continue;
		}
		if (import_stream(env, fp, fp == stdin ? "<stdin>" : inputs[i], &t) != NETRA_OK)
			status = 1;
		if (fp != stdin)
			fclose(fp);
	}
	if (netra_review_env_flush(env, cmd) != 0)
		status = 1;
	fprintf(stderr,
		"netra cases import: %zu flag(s), %zu new evidence, %zu already stored, %zu bad "
		"line(s) skipped\n",
		t.lines, t.added, t.duplicate, t.bad);
	files_hint(env);
	if (status == 0 && n > 0 && unreadable == n)
		status = 2;
	return status;
}

/* ---- list, show ---- */

static int run_list(struct netra_review_env *env, const char *state, const char *election,
		    int as_json)
{
	json_t *arr = NULL;
	size_t i;
	json_t *c;
	int rc = netra_cases_list(env->cases, state, election, &arr);

	if (rc == NETRA_EINVAL)
		return netra_usage_error(cmd, "--state: \"%s\" is not a state", state);
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra cases list: %s\n", netra_strerror(rc));
		return 1;
	}
	if (as_json) {
		rc = print_json(arr);
		json_decref(arr);
		return rc;
	}
	printf("%-6s %-15s %-18s %-24s %-26s %s\n", "CASE", "STATE", "NIP", "NAME", "ELECTION",
	       "EVIDENCE (pending/confirmed/dismissed)");
	json_array_foreach(arr, i, c) {
		printf("%-6" JSON_INTEGER_FORMAT " %-15s %-18s %-24.24s %-26.26s %" JSON_INTEGER_FORMAT
		       " (%" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT ")\n",
		       json_integer_value(json_object_get(c, "id")), netra_review_str(c, "state", "?"),
		       netra_review_str(c, "nip", "-"), netra_review_str(c, "name", "-"), netra_review_str(c, "election", "-"),
		       json_integer_value(json_object_get(c, "evidence")),
		       json_integer_value(json_object_get(c, "pending")),
		       json_integer_value(json_object_get(c, "confirmed")),
		       json_integer_value(json_object_get(c, "dismissed")));
	}
	printf("%zu case(s)\n", json_array_size(arr));
	json_decref(arr);
	return 0;
}

static int get_document(struct netra_review_env *env, int64_t id, json_t **doc)
{
	int rc = netra_cases_document(env->cases, id, doc);

	if (rc == NETRA_ENOTFOUND) {
		fprintf(stderr, "netra cases: there is no case %" PRId64 "\n", id);
		return 1;
	}
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra cases: case %" PRId64 ": %s\n", id, netra_strerror(rc));
		return 1;
	}
	return 0;
}

static int run_show(struct netra_review_env *env, int64_t id, int as_json)
{
	struct netra_buf b;
	json_t *doc = NULL;
	int status = get_document(env, id, &doc);

	if (status != 0)
		return status;
	netra_buf_init(&b, NETRA_CASEFILE_MAX);
	if (netra_casefile_render(doc, as_json ? NETRA_CASEFILE_JSON : NETRA_CASEFILE_MD, &b) !=
		    NETRA_OK ||
	    fwrite(b.data, 1, b.len, stdout) != b.len)
		status = 1;
	netra_buf_free(&b);
	json_decref(doc);
	return status;
}

/* ---- workflow ---- */

static int report(struct netra_review_env *env, int rc, const char *what, const char *err)
{
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra cases %s: %s\n", what, err);
		return 1;
	}
	return netra_review_env_flush(env, cmd);
}

static int print_suggestion(struct netra_review_env *env, int64_t id)
{
	json_t *s = NULL;
	size_t i;
	json_t *k;
	int rc = netra_cases_suggest(env->cases, id, &s);

	if (rc == NETRA_ENOTFOUND) {
		fprintf(stderr, "netra cases recommend: there is no case %" PRId64 "\n", id);
		return 1;
	}
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra cases recommend: %s\n", netra_strerror(rc));
		return 1;
	}
	printf("Saran sanksi untuk kasus %" PRId64 " (tabel aturan; peninjau yang memutuskan): %s\n",
	       id, netra_review_str(s, "sanksi", "(tidak ada)"));
	json_array_foreach(json_object_get(s, "kategori"), i, k) {
		printf("  %-11s %-18s %-24s %s\n", netra_review_str(k, "kode", "?"),
		       netra_review_str(k, "tahapan", netra_review_str(k, "kelas_tahapan", "tahapan ?")),
		       netra_review_str(k, "saran_sanksi", "-"), netra_review_str(k, "dasar_hukum", "-"));
	}
	json_decref(s);
	return 0;
}

static int run_overdue(struct netra_review_env *env, long days, int64_t as_of, int as_json)
{
	json_t *groups = NULL;
	size_t i;
	json_t *g;
	size_t total = 0;
	int rc = netra_cases_overdue(env->cases, days, as_of, &groups);

	if (rc != NETRA_OK) {
		fprintf(stderr, "netra cases overdue: %s\n", netra_strerror(rc));
		return 1;
	}
	if (as_json) {
		rc = print_json(groups);
		json_decref(groups);
		return rc;
	}
	json_array_foreach(groups, i, g) {
		size_t k;
		json_t *c;
		printf("%s\n", netra_review_str(g, "agency", "?"));
		json_array_foreach(json_object_get(g, "cases"), k, c) {
			printf("  case %-5" JSON_INTEGER_FORMAT " %-18s %-24.24s %-24s recommended %s, "
			       "due %s, %" JSON_INTEGER_FORMAT " day(s) late\n",
			       json_integer_value(json_object_get(c, "id")), netra_review_str(c, "nip", "-"),
			       netra_review_str(c, "name", "-"), netra_review_str(c, "sanction", "-"), netra_review_str(c, "recommended_at", "-"),
			       netra_review_str(c, "deadline", "-"), json_integer_value(json_object_get(c, "days_late")));
			total++;
		}
	}
	printf("%zu recommendation(s) without a follow-up after %ld day(s)\n", total, days);
	json_decref(groups);
	return 0;
}

static int run_export(struct netra_review_env *env, int64_t id, enum netra_casefile_format f,
		      const char *out)
{
	json_t *doc = NULL;
	char path[4096];
	char err[1024];
	int status = get_document(env, id, &doc);

	if (status != 0)
		return status;
	if (out != NULL && strcmp(out, "-") == 0) {
		struct netra_buf b;
		netra_buf_init(&b, NETRA_CASEFILE_MAX);
		if (netra_casefile_render(doc, f, &b) != NETRA_OK ||
		    fwrite(b.data, 1, b.len, stdout) != b.len)
			status = 1;
		netra_buf_free(&b);
	} else if (out != NULL) {
		struct netra_buf b;
		netra_buf_init(&b, NETRA_CASEFILE_MAX);
		if (netra_casefile_render(doc, f, &b) != NETRA_OK ||
		    netra_file_write_atomic(out, netra_buf_str(&b), b.len, err, sizeof(err)) != 0) {
			fprintf(stderr, "netra cases export: %s: cannot write\n", out);
			status = 1;
		} else {
			printf("%s\n", out);
		}
		netra_buf_free(&b);
	} else if (netra_casefile_write(netra_cases_files_dir(env->cases), doc, f, path,
					sizeof(path), err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra cases export: %s\n", err);
		status = 1;
	} else {
		printf("%s\n", path);
	}
	json_decref(doc);
	return status;
}

/* ---- the command ---- */

static int run_cases(int argc, char **argv)
{
	struct netra_review_env env;
	const char *sub = argc > 1 ? argv[1] : NULL;
	const char *state = NULL, *election = NULL, *reason = NULL, *sanction = NULL;
	const char *basis = NULL, *decision = NULL, *date = NULL, *format = NULL, *out = NULL;
	const char *as_of_s = NULL;
	char **pos = NULL;
	size_t npos = 0;
	long days = -1;
	int as_json = 0;
	int status = 0;
	int64_t id = 0;
	char err[1024];

	memset(&env, 0, sizeof(env));
	if (sub == NULL)
		return netra_usage_error(cmd, "name a subcommand: import, list, show, move, "
					      "recommend, follow-up, overdue, export");
	pos = calloc((size_t)argc, sizeof(char *));
	if (pos == NULL)
		return 1;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		int r = netra_review_env_option(&env, cmd, argc, argv, &i);
		if (r == 2) {
			status = 2;
			goto cleanup;
		}
		if (r == 1)
			continue;
		if (strcmp(a, "--state") == 0)
			slot = &state;
		else if (strcmp(a, "--election") == 0)
			slot = &election;
		else if (strcmp(a, "--reason") == 0)
			slot = &reason;
		else if (strcmp(a, "--sanction") == 0)
			slot = &sanction;
		else if (strcmp(a, "--basis") == 0)
			slot = &basis;
		else if (strcmp(a, "--decision") == 0)
			slot = &decision;
		else if (strcmp(a, "--date") == 0)
			slot = &date;
		else if (strcmp(a, "--format") == 0)
			slot = &format;
		else if (strcmp(a, "--out") == 0)
			slot = &out;
		else if (strcmp(a, "--as-of") == 0)
			slot = &as_of_s;
		if (slot != NULL || strcmp(a, "--days") == 0) {
			if (i + 1 >= argc) {
				status = netra_usage_error(cmd, "%s needs a value", a);
				goto cleanup;
			}
			if (slot != NULL) {
				*slot = argv[++i];
			} else {
				char *end;
				days = strtol(argv[++i], &end, 10);
				if (*end != '\0' || days < 0 || days > 3650) {
					status = netra_usage_error(cmd, "--days takes 0 to 3650");
					goto cleanup;
				}
			}
		} else if (strcmp(a, "--json") == 0) {
			as_json = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			status = netra_usage_error(cmd, "unknown option '%s'", a);
			goto cleanup;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (strcmp(sub, "import") == 0) {
		if (npos == 0) {
			status = netra_usage_error(cmd, "import needs FLAGS.jsonl (or - for standard input)");
			goto cleanup;
		}
		status = netra_review_env_open(&env, "cases import", 0);
		if (status == 0)
			status = run_import(&env, pos, npos);
		goto cleanup;
	}
	if (strcmp(sub, "list") == 0 || strcmp(sub, "overdue") == 0) {
		if (npos != 0) {
			status = netra_usage_error(cmd, "%s takes no case", sub);
			goto cleanup;
		}
	} else if (strcmp(sub, "show") == 0 || strcmp(sub, "move") == 0 ||
		   strcmp(sub, "recommend") == 0 || strcmp(sub, "follow-up") == 0 ||
		   strcmp(sub, "export") == 0) {
		size_t want = strcmp(sub, "move") == 0 ? 2 : 1;
		if (npos != want || netra_review_parse_id(pos[0], &id) != 0) {
			status = netra_usage_error(cmd, "%s takes %s", sub,
						   want == 2 ? "CASE STATE" : "one CASE number");
			goto cleanup;
		}
	} else {
		status = netra_usage_error(cmd, "no subcommand '%s'", sub);
		goto cleanup;
	}
	{
		int writes = strcmp(sub, "move") == 0 || strcmp(sub, "follow-up") == 0 ||
			     (strcmp(sub, "recommend") == 0 && sanction != NULL);
		status = netra_review_env_open(&env, sub, writes);
		if (status != 0)
			goto cleanup;
	}
	if (strcmp(sub, "list") == 0) {
		status = run_list(&env, state, election, as_json);
	} else if (strcmp(sub, "show") == 0) {
		status = run_show(&env, id, as_json);
	} else if (strcmp(sub, "move") == 0) {
		enum netra_case_state to;
		if (netra_case_state_parse(pos[1], &to) != 0) {
			status = netra_usage_error(cmd, "\"%s\" is not a state (diterima, verifikasi, "
						   "investigasi, terbukti, tidak_terbukti)", pos[1]);
			goto cleanup;
		}
		if (reason == NULL || *reason == '\0') {
			status = netra_usage_error(cmd, "move needs --reason TEXT");
			goto cleanup;
		}
		status = report(&env, netra_cases_move(env.cases, id, to, reason, err, sizeof(err)),
				"move", err);
		if (status == 0)
			printf("case %" PRId64 ": %s\n", id, netra_case_state_name(to));
	} else if (strcmp(sub, "recommend") == 0) {
		status = print_suggestion(&env, id);
		if (status != 0 || sanction == NULL)
			goto cleanup;
		if (basis == NULL || *basis == '\0') {
			status = netra_usage_error(cmd, "recommend needs --basis TEXT with --sanction");
			goto cleanup;
		}
		status = report(&env,
				netra_cases_recommend(env.cases, id, sanction, basis, err, sizeof(err)),
				"recommend", err);
		if (status == 0)
			printf("case %" PRId64 ": rekomendasi (%s)\n", id, sanction);
	} else if (strcmp(sub, "follow-up") == 0) {
		if (decision == NULL || date == NULL) {
			status = netra_usage_error(cmd, "follow-up needs --decision TEXT and --date YYYY-MM-DD");
			goto cleanup;
		}
		status = report(&env,
				netra_cases_follow_up(env.cases, id, decision, date, err, sizeof(err)),
				"follow-up", err);
		if (status == 0)
			printf("case %" PRId64 ": tindak_lanjut\n", id);
	} else if (strcmp(sub, "overdue") == 0) {
		int64_t as_of = (int64_t)time(NULL);
		if (as_of_s != NULL) {
			int64_t d;
			if (netra_date_parse(as_of_s, &d) == 0) {
				as_of = d * 86400;
			} else if (netra_time_parse(as_of_s, &as_of) != 0) {
				status = netra_usage_error(cmd, "--as-of takes YYYY-MM-DD or an RFC 3339 time");
				goto cleanup;
			}
		}
		/* --days wins over the configuration's follow_up_days (default 30). */
		status = run_overdue(&env, days >= 0 ? days : (long)env.cfg.follow_up_days, as_of,
				     as_json);
	} else if (strcmp(sub, "export") == 0) {
		enum netra_casefile_format f;
		if (format == NULL || netra_casefile_format_parse(format, &f) != 0) {
			status = netra_usage_error(cmd, "export needs --format md, json or html");
			goto cleanup;
		}
		status = run_export(&env, id, f, out);
	}
cleanup:
	netra_review_env_close(&env);
	free(pos);
	return status;
}

const struct netra_command netra_cmd_cases = {
	.name = "cases",
	.summary = "cases of civil servants: import flags, workflow, sanctions, case files",
	.usage =
		"Usage: netra cases import [--config FILE] FLAGS.jsonl ...\n"
		"       netra cases list [--state STATE] [--election ID] [--json]\n"
		"       netra cases show CASE [--json]\n"
		"       netra cases move CASE STATE --reason TEXT\n"
		"       netra cases recommend CASE [--sanction KIND --basis TEXT]\n"
		"       netra cases follow-up CASE --decision TEXT --date YYYY-MM-DD\n"
		"       netra cases overdue [--days N] [--as-of DATE] [--json]\n"
		"       netra cases export CASE --format md|json|html [--out FILE|-]\n\n"
		"The case store is DATA_DIR/cases.db (SQLite); case files (Bahasa Indonesia)\n"
		"are rewritten in DATA_DIR/kasus/ on every change. docs/review.md tells the\n"
		"whole workflow:\n"
		"  diterima -> verifikasi -> investigasi -> terbukti | tidak_terbukti\n"
		"  terbukti -> rekomendasi (recommend) -> tindak_lanjut (follow-up)\n"
		"Moves go forward only, each with a reason; a case cannot be closed\n"
		"(terbukti, tidak_terbukti) while evidence is unreviewed.\n\n"
		"  import       file flags (from netra classify) as evidence; the same post\n"
		"               twice is stored once; bad lines are reported as\n"
		"               file:line: reason and skipped\n"
		"  recommend    without --sanction, shows the rule pack's suggestion\n"
		"               (rules/sanctions.tsv) for the case's categories and stages;\n"
		"               KIND: sanksi_moral, hukuman_disiplin_ringan,\n"
		"               hukuman_disiplin_sedang, hukuman_disiplin_berat, ptdh\n"
		"  overdue      recommendations with no follow-up after N days (default:\n"
		"               follow_up_days in netra.json, else 30), grouped by agency\n"
		"  export       write one case file to DATA_DIR/kasus/ (or --out FILE, or -\n"
		"               for standard output) and print where\n\n"
		"  --config FILE    netra.json: data_dir, watchlist, elections, rules, reviewer\n"
		"  --data-dir DIR   the store's folder, overriding the configuration\n\n"
		"The reviewer (NETRA_REVIEWER, else \"reviewer\" in netra.json) is recorded\n"
		"on every action in the audit log (netra audit).\n\n"
		"Exit status: 0 done; 1 the workflow refused or a case does not exist;\n"
		"2 usage, configuration or unreadable input.\n",
	.run = run_cases,
};
