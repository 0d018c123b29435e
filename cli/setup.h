/* What classify and rules share: loading a rule pack, election files and a
 * watchlist, and building the engine, with every problem reported as
 * file:line: reason. */
#ifndef NETRA_SETUP_H
#define NETRA_SETUP_H

#include "classifier/engine.h"
#include "classifier/rules.h"
#include "core/election.h"
#include "core/watchlist.h"

#include <stddef.h>

enum { SETUP_MAX_ELECTIONS = 64 };

/* Everything a classifying command holds; owned by the command. */
struct netra_setup {
	const char *rules_path;                /* rule pack (borrowed) */
	const char *election_paths[SETUP_MAX_ELECTIONS]; /* borrowed */
	size_t nelection_paths;                /* entries */
	const char *watchlist_path;            /* borrowed, or NULL */
	struct netra_engine_options opt;       /* engine options */
	struct netra_ruleset *rs;              /* loaded rule pack */
	struct netra_election *elections[SETUP_MAX_ELECTIONS]; /* loaded elections */
	size_t nelections;                     /* entries */
	struct netra_watchlist *wl;            /* loaded watchlist, or NULL */
	struct netra_engine *engine;           /* built engine */
};

/* Defaults: the rule pack in NETRA_RULES or the source tree's rules/. */
void netra_setup_init(struct netra_setup *st);

/* Load everything and build the engine. Problems go to standard error
 * prefixed with "netra CMD: ". warnings: also print slow-rule warnings.
 * Returns 0, or 2 (the exit status for an invalid rule, election or
 * watchlist file). */
int netra_setup_load(struct netra_setup *st, const char *cmd, int warnings);

/* Free everything loaded. */
void netra_setup_free(struct netra_setup *st);

#endif
