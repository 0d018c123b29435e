/* netra review: the queue of evidence waiting for a reviewer, one item with
 * its matched words marked, and the reviewer's confirm or dismiss. */
#include "cli/command.h"
#include "core/error.h"
#include "sinks/cases.h"
#include "sinks/reviewenv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char cmd[] = "review";

/* One line of text for a table cell of max characters, padded when pad:
 * newlines and tabs become spaces, a longer text is cut with an ellipsis. */
static void print_cell(const char *s, size_t max, int pad)
{
	size_t chars = 0;

	for (; *s != '\0' && chars < max; s++) {
		if (((unsigned char)*s & 0xC0) != 0x80)
			chars++;
		putchar(*s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s);
	}
	/* Finish a cut UTF-8 sequence rather than print half a character. */
	while (*s != '\0' && ((unsigned char)*s & 0xC0) == 0x80)
		putchar(*s++);
	if (*s != '\0')
		fputs("…", stdout);
	else
		for (; pad && chars < max + 1; chars++)
			putchar(' ');
}

static int run_queue(struct netra_review_env *env, const struct netra_queue_filter *f,
		     int as_json)
{
	json_t *arr = NULL;
	size_t i;
	json_t *e;
	int rc = netra_cases_queue(env->cases, f, &arr);

	if (rc != NETRA_OK) {
		fprintf(stderr, "netra review queue: %s\n", netra_strerror(rc));
		return 1;
	}
	if (as_json) {
		char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(arr);
		if (text == NULL)
			return 1;
		puts(text);
		free(text);
		return 0;
	}
	printf("%-6s %-6s %-20s %-22s %-22s %-11s %s\n", "ID", "CASE", "CAPTURED", "WHO",
	       "CATEGORIES", "STAGE", "TEXT");
	json_array_foreach(arr, i, e) {
		char cats[128] = "";
		size_t k;
		json_t *c;
		json_array_foreach(json_object_get(e, "categories"), k, c) {
			size_t n = strlen(cats);
			snprintf(cats + n, sizeof(cats) - n, "%s%s", k ? "," : "", json_string_value(c));
		}
		printf("%-6" JSON_INTEGER_FORMAT " ", json_integer_value(json_object_get(e, "id")));
		if (json_is_integer(json_object_get(e, "case")))
			printf("%-6" JSON_INTEGER_FORMAT " ", json_integer_value(json_object_get(e, "case")));
		else
			printf("%-6s ", "-");
		printf("%-20s ", netra_review_str(e, "captured_at", "-"));
		print_cell(netra_review_str(e, "name", netra_review_str(e, "handle", "?")), 22, 1);
		printf("%-22s %-11s ", cats, netra_review_str(e, "stage", "-"));
		print_cell(netra_review_str(e, "text", ""), 60, 0);
		putchar('\n');
	}
	printf("%zu item(s) waiting for review\n", json_array_size(arr));
	json_decref(arr);
	return 0;
}

static int run_show(struct netra_review_env *env, int64_t id, int as_json)
{
	const char *open_mark = "[[";
	const char *close_mark = "]]";
	json_t *e = NULL;
	size_t i;
	json_t *f;
	int rc = netra_cases_evidence(env->cases, id, &e);

	if (rc == NETRA_ENOTFOUND) {
		fprintf(stderr, "netra review show: there is no evidence %" PRId64 "\n", id);
		return 1;
	}
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra review show: %s\n", netra_strerror(rc));
		return 1;
	}
	if (as_json) {
		char *text = json_dumps(e, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		json_decref(e);
		if (text == NULL)
			return 1;
		puts(text);
		free(text);
		return 0;
	}
	if (isatty(STDOUT_FILENO)) {
		open_mark = "\033[1;7m";
		close_mark = "\033[0m";
	}
	printf("evidence %" PRId64, id);
	if (json_is_integer(json_object_get(e, "case")))
		printf(" (case %" JSON_INTEGER_FORMAT ")", json_integer_value(json_object_get(e, "case")));
	else
		printf(" (unknown author)");
	printf(": %s\n", netra_review_str(e, "decision", "pending"));
	printf("  post:       %s\n  url:        %s\n  author:     %s (%s)\n", netra_review_str(e, "post_id", netra_review_str(json_object_get(e, "post"), "id", "-")),
	       netra_review_str(e, "url", "-"), netra_review_str(e, "handle", "-"), netra_review_str(e, "source", "-"));
	printf("  civil servant: %s, NIP %s, %s\n", netra_review_str(e, "name", "-"), netra_review_str(e, "nip", "-"),
	       netra_review_str(e, "agency", "-"));
	printf("  act:        %s\n  created:    %s\n  captured:   %s\n  stage:      %s\n",
	       netra_review_str(e, "act", "-"), netra_review_str(e, "created_at", "-"), netra_review_str(e, "captured_at", "-"),
	       netra_review_str(e, "stage", "-"));
	if (json_is_integer(json_object_get(e, "candidate")))
		printf("  candidate:  %s no. %" JSON_INTEGER_FORMAT "\n", netra_review_str(e, "election", "-"),
		       json_integer_value(json_object_get(e, "candidate")));
	printf("  sha256:     %s\n  categories:", netra_review_str(e, "sha256", "-"));
	json_array_foreach(json_object_get(e, "categories"), i, f)
		printf(" %s", json_string_value(f));
	putchar('\n');
	if (json_string_value(json_object_get(e, "decided_by")) != NULL)
		printf("  decided by: %s at %s: %s\n", netra_review_str(e, "decided_by", "-"),
		       netra_review_str(e, "decided_at", "-"), netra_review_str(e, "reason", ""));
	json_array_foreach(json_object_get(e, "teks"), i, f) {
		const json_t *isi = json_object_get(f, "isi");
		const char *text = json_string_value(isi);
		size_t len = json_string_length(isi);
		size_t pos = 0;
		size_t k;
		json_t *m;
		printf("\n%s (%s):\n  ", netra_review_str(f, "bidang", "?"), netra_review_str(f, "label", ""));
		json_array_foreach(json_object_get(f, "tanda"), k, m) {
			size_t a = (size_t)json_integer_value(json_object_get(m, "awal"));
			size_t b = (size_t)json_integer_value(json_object_get(m, "akhir"));
			if (a < pos || b > len)
				continue;
			fwrite(text + pos, 1, a - pos, stdout);
			fputs(open_mark, stdout);
			fwrite(text + a, 1, b - a, stdout);
			fputs(close_mark, stdout);
			pos = b;
		}
		fwrite(text + pos, 1, len - pos, stdout);
		putchar('\n');
	}
	printf("\nhits:\n");
	json_array_foreach(json_object_get(e, "hits"), i, f) {
		printf("  %-32s %-14s %" JSON_INTEGER_FORMAT "..%" JSON_INTEGER_FORMAT " \"%s\"\n",
		       netra_review_str(f, "rule", "-"), netra_review_str(f, "field", "-"),
		       json_integer_value(json_object_get(f, "start")),
		       json_integer_value(json_object_get(f, "end")), netra_review_str(f, "match", ""));
	}
	json_decref(e);
	return 0;
}

static int run_decide(struct netra_review_env *env, char **ids, size_t n, int confirm,
		      const char *reason)
{
	int status = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t id;
		char err[1024];
		netra_review_parse_id(ids[i], &id);
		if (netra_cases_decide(env->cases, id, confirm, reason, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "netra review %s: %s\n", confirm ? "confirm" : "dismiss", err);
			status = 1;
			continue;
		}
		printf("evidence %" PRId64 ": %s\n", id, confirm ? "confirmed" : "dismissed");
	}
	if (netra_review_env_flush(env, cmd) != 0)
		status = 1;
	return status;
}

static int run_review(int argc, char **argv)
{
	struct netra_review_env env;
	struct netra_queue_filter f;
	const char *sub = argc > 1 ? argv[1] : NULL;
	const char *reason = NULL;
	char **pos = NULL;
	size_t npos = 0;
	int as_json = 0;
	int status = 0;
	int64_t id = 0;

	memset(&env, 0, sizeof(env));
	memset(&f, 0, sizeof(f));
	if (sub == NULL)
		return netra_usage_error(cmd, "name a subcommand: queue, show, confirm, dismiss");
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
		if (strcmp(a, "--election") == 0)
			slot = &f.election;
		else if (strcmp(a, "--category") == 0)
			slot = &f.category;
		else if (strcmp(a, "--agency") == 0)
			slot = &f.agency;
		else if (strcmp(a, "--province") == 0)
			slot = &f.province;
		else if (strcmp(a, "--reason") == 0)
			slot = &reason;
		if (slot != NULL || strcmp(a, "--limit") == 0) {
			if (i + 1 >= argc) {
				status = netra_usage_error(cmd, "%s needs a value", a);
				goto cleanup;
			}
			if (slot != NULL) {
				*slot = argv[++i];
			} else {
				char *end;
				f.limit = strtol(argv[++i], &end, 10);
				if (*end != '\0' || f.limit <= 0) {
					status = netra_usage_error(cmd, "--limit takes a positive number");
					goto cleanup;
				}
			}
		} else if (strcmp(a, "--unknown") == 0) {
			f.unknown_only = 1;
		} else if (strcmp(a, "--json") == 0) {
			as_json = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			status = netra_usage_error(cmd, "unknown option '%s'", a);
			goto cleanup;
		} else {
			pos[npos++] = argv[i];
		}
	}
	if (strcmp(sub, "queue") == 0) {
		if (npos != 0) {
			status = netra_usage_error(cmd, "queue takes no ID");
			goto cleanup;
		}
	} else if (strcmp(sub, "show") == 0) {
		if (npos != 1 || netra_review_parse_id(pos[0], &id) != 0) {
			status = netra_usage_error(cmd, "show takes one evidence ID");
			goto cleanup;
		}
	} else if (strcmp(sub, "confirm") == 0 || strcmp(sub, "dismiss") == 0) {
		if (npos == 0) {
			status = netra_usage_error(cmd, "%s takes one or more evidence IDs", sub);
			goto cleanup;
		}
		for (size_t i = 0; i < npos; i++) {
			if (netra_review_parse_id(pos[i], &id) != 0) {
				status = netra_usage_error(cmd, "\"%s\" is not an evidence ID", pos[i]);
				goto cleanup;
			}
		}
		if (strcmp(sub, "dismiss") == 0 && (reason == NULL || *reason == '\0')) {
			status = netra_usage_error(cmd, "dismiss needs --reason TEXT");
			goto cleanup;
		}
	} else {
		status = netra_usage_error(cmd, "no subcommand '%s'", sub);
		goto cleanup;
	}
	if (f.category != NULL && !netra_category_code_valid(f.category)) {
		status = netra_usage_error(cmd, "--category: \"%s\" is not a category code", f.category);
		goto cleanup;
	}
	status = netra_review_env_open(&env, sub, strcmp(sub, "confirm") == 0 ||
							  strcmp(sub, "dismiss") == 0);
	if (status != 0)
		goto cleanup;
	if (strcmp(sub, "queue") == 0)
		status = run_queue(&env, &f, as_json);
	else if (strcmp(sub, "show") == 0)
		status = run_show(&env, id, as_json);
	else
		status = run_decide(&env, pos, npos, strcmp(sub, "confirm") == 0, reason);
cleanup:
	netra_review_env_close(&env);
	free(pos);
	return status;
}

const struct netra_command netra_cmd_review = {
	.name = "review",
	.summary = "review flagged items: the queue, one item, confirm or dismiss",
	.usage =
		"Usage: netra review queue [--election ID] [--category CODE] [--agency TEXT]\n"
		"                          [--province TEXT] [--unknown] [--limit N] [--json]\n"
		"       netra review show ID [--json]\n"
		"       netra review confirm ID... [--reason TEXT]\n"
		"       netra review dismiss ID... --reason TEXT\n\n"
		"The queue lists the evidence no reviewer has decided on yet, oldest\n"
		"capture first (--unknown: only the posts whose author is not identified).\n"
		"show prints one item with its matched words marked [[like this]].\n"
		"confirm and dismiss take several IDs at once; a decision can change only\n"
		"while its case is open. Each decision is written to the audit log with\n"
		"the reviewer's name (NETRA_REVIEWER, else \"reviewer\" in netra.json), and\n"
		"the case files are rewritten.\n\n"
		"  --config FILE    netra.json: data_dir, watchlist, elections, rules, reviewer\n"
		"  --data-dir DIR   the store's folder, overriding the configuration\n\n"
		"Exit status: 0 done; 1 some item was refused or does not exist; 2 usage or\n"
		"configuration.\n",
	.run = run_review,
};
