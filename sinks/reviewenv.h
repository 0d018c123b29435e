/* What the review commands (netra review, cases, audit) share: the
 * configuration, the reviewer's name, the watchlist, elections and
 * sanctions table that give case files their details, and the open store. */
#ifndef NETRA_REVIEWENV_H
#define NETRA_REVIEWENV_H

#include "core/config.h"
#include "sinks/cases.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum { REVIEWENV_MAX_ELECTIONS = 64 };

/* Everything a review command holds; owned by the command. */
struct netra_review_env {
	const char *config_path;    /* --config, or NULL for the defaults (borrowed) */
	const char *data_dir_opt;   /* --data-dir, overriding the config (borrowed) */
	struct netra_config cfg;    /* loaded configuration (or defaults) */
	int cfg_loaded;             /* cfg must be freed */
	const char *reviewer;       /* NETRA_REVIEWER, else the config's; NULL if none */
	struct netra_watchlist *wl; /* the config's watchlist, or NULL */
	struct netra_election *elections[REVIEWENV_MAX_ELECTIONS]; /* the config's */
	size_t nelections;          /* entries in elections */
	struct netra_sanctions *sanctions; /* rules/sanctions.tsv, or NULL if absent */
	struct netra_cases *cases;  /* the open store */
};

/* Take --config FILE or --data-dir DIR at argv[*i] (advancing *i). Returns
 * 1 if taken, 0 if argv[*i] is not one of them, 2 on a usage error
 * (printed). */
int netra_review_env_option(struct netra_review_env *env, const char *cmd, int argc,
			    char **argv, int *i);

/* Load the configuration and its files and open the store. need_reviewer:
 * fail when no reviewer name is configured. Problems are printed as
 * "netra CMD: ..." or "file:line: reason". Returns 0, or the exit status
 * (2 for bad configuration or files, 1 when the store cannot be opened). */
int netra_review_env_open(struct netra_review_env *env, const char *cmd, int need_reviewer);

/* Write the changed cases' files; print a problem if any. Returns 0 or 1. */
int netra_review_env_flush(struct netra_review_env *env, const char *cmd);

/* Parse a positive decimal id (evidence or case). Returns 0, or -1. */
int netra_review_parse_id(const char *s, int64_t *out);

/* obj[key] as a string, or dflt when it is absent or not a string. Borrowed. */
const char *netra_review_str(const json_t *obj, const char *key, const char *dflt);

/* Free everything. The struct may be zeroed or opened. */
void netra_review_env_close(struct netra_review_env *env);

#endif
