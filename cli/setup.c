#include "cli/setup.h"

#include "core/buf.h"
#include "core/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void netra_setup_init(struct netra_setup *st)
{
	const char *env = getenv("NETRA_RULES");

	memset(st, 0, sizeof(*st));
	st->rules_path = env != NULL && *env ? env : NETRA_RULES_DIR;
	netra_engine_options_default(&st->opt);
}

int netra_setup_load(struct netra_setup *st, const char *cmd, int warnings)
{
	struct netra_buf problems;
	struct netra_buf warns;
	char err[1024];
	size_t nproblems = 0;
	int status = 0;
	int rc;

	netra_buf_init(&problems, 1 << 20);
	netra_buf_init(&warns, 1 << 20);
	rc = netra_ruleset_load(st->rules_path, &st->rs, &problems, &nproblems);
	if (rc != NETRA_OK) {
		fputs(netra_buf_str(&problems), stderr);
		fprintf(stderr, "netra %s: the rule pack %s has %zu problem(s)\n", cmd, st->rules_path,
			nproblems);
		status = 2;
	}
	for (size_t i = 0; i < st->nelection_paths; i++) {
		if (netra_election_load(st->election_paths[i], &st->elections[st->nelections], err,
					sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			status = 2;
			continue;
		}
		for (size_t k = 0; k < st->nelections; k++) {
			if (strcmp(netra_election_id(st->elections[k]),
				   netra_election_id(st->elections[st->nelections])) == 0) {
				fprintf(stderr, "%s: id \"%s\" is the same as %s's\n",
					st->election_paths[i], netra_election_id(st->elections[k]),
					st->election_paths[k]);
				status = 2;
			}
		}
		st->nelections++;
	}
	if (st->watchlist_path != NULL &&
	    netra_watchlist_load(st->watchlist_path, &st->wl, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "%s\n", err);
		status = 2;
	}
	if (status == 0) {
		netra_buf_reset(&problems);
		rc = netra_engine_new(st->rs, st->elections, st->nelections, st->wl, &st->opt,
				      &st->engine, &problems, warnings ? &warns : NULL);
		if (warnings)
			fputs(netra_buf_str(&warns), stderr);
		if (rc != NETRA_OK) {
			fputs(netra_buf_str(&problems), stderr);
			fprintf(stderr, "netra %s: cannot compile the rule pack %s: %s\n", cmd,
				st->rules_path, netra_strerror(rc));
			status = 2;
		}
	}
	netra_buf_free(&problems);
	netra_buf_free(&warns);
	return status;
}

void netra_setup_free(struct netra_setup *st)
{
	netra_engine_destroy(&st->engine);
	netra_watchlist_destroy(&st->wl);
	for (size_t i = 0; i < st->nelections; i++)
		netra_election_destroy(&st->elections[i]);
	st->nelections = 0;
	netra_ruleset_destroy(&st->rs);
}
