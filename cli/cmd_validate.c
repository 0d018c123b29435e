/* netra validate: check election, watchlist and post files before use. */
#include "cli/command.h"
#include "core/election.h"
#include "core/error.h"
#include "core/post.h"
#include "core/util.h"
#include "core/watchlist.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

enum { POST_LINE_MAX = 4 * 1024 * 1024 };

/* Check one JSONL stream of posts; counts good and bad lines. */
static int validate_posts(FILE *fp, const char *name, size_t *good, size_t *bad)
{
	struct netra_lines *lines = netra_lines_new(fp, name, POST_LINE_MAX);
	const char *line;
	size_t len;
	enum netra_line_result lr;

	if (lines == NULL)
		return NETRA_ENOMEM;
	while ((lr = netra_lines_next(lines, &line, &len)) != NETRA_LINE_EOF) {
		char err[512];
		json_t *post = NULL;
		size_t no = netra_lines_number(lines);
		if (lr == NETRA_LINE_ERROR) {
			fprintf(stderr, "%s:%zu: read error\n", name, no);
			(*bad)++;
			break;
		}
		if (lr == NETRA_LINE_TOOLONG) {
			fprintf(stderr, "%s:%zu: line longer than %d bytes, skipped\n", name, no,
				POST_LINE_MAX);
			(*bad)++;
			continue;
		}
		if (len == 0 || strspn(line, " \t\r") == len)
			continue;
		if (netra_post_parse(line, len, &post, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s:%zu: %s\n", name, no, err);
			(*bad)++;
			continue;
		}
		json_decref(post);
		(*good)++;
	}
	netra_lines_destroy(&lines);
	return NETRA_OK;
}

static int run_validate(int argc, char **argv)
{
	char err[1024];
	size_t good = 0;
	size_t bad = 0;
	int nfiles = 0;
	int status = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--election") == 0 || strcmp(argv[i], "--watchlist") == 0) {
			const char *opt = argv[i];
			if (i + 1 >= argc)
				return netra_usage_error("validate", "%s needs a file", opt);
			i++;
			if (strcmp(opt, "--election") == 0) {
				struct netra_election *e = NULL;
				if (netra_election_load(argv[i], &e, err, sizeof(err)) != NETRA_OK) {
					fprintf(stderr, "%s\n", err);
					status = 2;
					continue;
				}
				printf("%s: election %s, %zu candidates, %zu stages\n", argv[i],
				       netra_election_id(e), netra_election_ncandidates(e),
				       netra_election_nstages(e));
				netra_election_destroy(&e);
			} else {
				struct netra_watchlist *w = NULL;
				if (netra_watchlist_load(argv[i], &w, err, sizeof(err)) != NETRA_OK) {
					fprintf(stderr, "%s\n", err);
					status = 2;
					continue;
				}
				printf("%s: watchlist of %zu civil servants\n", argv[i],
				       netra_watchlist_size(w));
				netra_watchlist_destroy(&w);
			}
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			return netra_usage_error("validate", "unknown option '%s'", argv[i]);
		} else {
			FILE *fp = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
			size_t g0 = good;
			size_t b0 = bad;
			nfiles++;
			if (fp == NULL) {
				fprintf(stderr, "%s: cannot open\n", argv[i]);
				status = 2;
				continue;
			}
			validate_posts(fp, strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i], &good, &bad);
			if (fp != stdin)
				fclose(fp);
			printf("%s: %zu posts valid, %zu invalid\n", argv[i], good - g0, bad - b0);
		}
	}
	if (nfiles == 0 && argc == 1)
		return netra_usage_error("validate", "name at least one file");
	if (status == 0 && bad > 0)
		status = 1;
	return status;
}

const struct netra_command netra_cmd_validate = {
	.name = "validate",
	.summary = "check election, watchlist and post files and report every problem",
	.usage = "Usage: netra validate [--election FILE]... [--watchlist FILE] [POSTS.jsonl|-]...\n\n"
		 "Checks each file as Netra would read it. Problems are reported on standard\n"
		 "error as file:line: field: reason. Every bad post line is reported, not\n"
		 "only the first, so a partner can fix a whole batch at once.\n\n"
		 "Exit status: 0 all valid; 1 some post lines are invalid; 2 an election or\n"
		 "watchlist file is invalid or a file cannot be read.\n",
	.run = run_validate,
};
