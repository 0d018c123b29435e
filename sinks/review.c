/* Sink "review": what reviewers work from. Each flag is kept in the flag
 * store of the "sqlite" sink (so that `netra sink --list` and the
 * pipeline's idempotence work as before) and filed as evidence into the
 * case store (sinks/cases.h), with the watchlist, elections and sanctions
 * table of the configuration giving cases their details. Case files are
 * derived from the store (`netra cases export` writes them again at any
 * time), so the sink rewrites the changed ones at most every
 * FLUSH_SECONDS and when it closes, not at every commit; and when writing
 * them takes long (cases of thousands of items), less often, so that
 * writing them takes at most a tenth of the sink's time. */
#include "sinks/sink.h"

#include "core/config.h"
#include "core/election.h"
#include "core/error.h"
#include "core/log.h"
#include "core/util.h"
#include "core/watchlist.h"
#include "sinks/cases.h"
#include "sinks/link.h"
#include "sinks/sanctions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { REVIEW_MAX_ELECTIONS = 64, FLUSH_SECONDS = 2 };

extern const struct netra_sink_plugin netra_sink_sqlite;

struct netra_sink {
	struct netra_sink *flags;        /* the "sqlite" sink's store */
	struct netra_cases *cases;       /* the case store */
	struct netra_watchlist *wl;      /* context for case details, or NULL */
	struct netra_election *elections[REVIEW_MAX_ELECTIONS]; /* context */
	size_t nelections;               /* entries */
	struct netra_sanctions *sanctions; /* suggested sanctions, or NULL */
	int in_tx;                       /* a case-store transaction is open */
	int dirty;                       /* committed changes whose case files are not yet written */
	int64_t flushed_ms;              /* when the case files were last written (monotonic) */
	int64_t flush_cost_ms;           /* how long writing them took then */
};

/* Write the changed cases' files (errors are warnings: the store holds all). */
static void flush_files(struct netra_sink *s)
{
	char err[512];
	int64_t t0;

	if (!s->dirty)
		return;
	t0 = netra_mono_ms();
	if (netra_cases_flush_files(s->cases, err, sizeof(err)) != NETRA_OK)
		netra_warn("sink", "review", "case files: %s", err);
	s->dirty = 0;
	s->flushed_ms = netra_mono_ms();
	s->flush_cost_ms = s->flushed_ms - t0;
}

static void review_exit(struct netra_sink **sp)
{
	struct netra_sink *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	if (s->in_tx)
		netra_cases_rollback(s->cases);
	else if (s->cases != NULL)
		flush_files(s);
	netra_cases_destroy(&s->cases);
	netra_sink_sqlite.exit(&s->flags);
	netra_watchlist_destroy(&s->wl);
	for (size_t i = 0; i < s->nelections; i++)
		netra_election_destroy(&s->elections[i]);
	netra_sanctions_destroy(&s->sanctions);
	free(s);
	*sp = NULL;
}

static int review_init(const struct netra_config *cfg, struct netra_sink **out, char *err,
		       size_t errsz)
{
	struct netra_sink *s = calloc(1, sizeof(*s));
	char *spath = NULL;
	struct stat sb;
	int rc;

	*out = NULL;
	if (s == NULL)
		return NETRA_ENOMEM;
	rc = netra_sink_sqlite.init(cfg, &s->flags, err, errsz);
	if (rc != NETRA_OK)
		goto fail;
	if (cfg->watchlist != NULL &&
	    (rc = netra_watchlist_load(cfg->watchlist, &s->wl, err, errsz)) != NETRA_OK)
		goto fail;
	for (size_t i = 0; i < cfg->nelections && i < REVIEW_MAX_ELECTIONS; i++) {
		rc = netra_election_load(cfg->elections[i], &s->elections[i], err, errsz);
		if (rc != NETRA_OK)
			goto fail;
		s->nelections++;
	}
	spath = malloc(strlen(cfg->rules) + 32);
	if (spath == NULL) {
		rc = NETRA_ENOMEM;
		goto fail;
	}
	snprintf(spath, strlen(cfg->rules) + 32, "%s/sanctions.tsv", cfg->rules);
	if (stat(spath, &sb) == 0 &&
	    (rc = netra_sanctions_load(spath, &s->sanctions, err, errsz)) != NETRA_OK)
		goto fail;
	rc = netra_cases_open(cfg->data_dir, &s->cases, err, errsz);
	if (rc != NETRA_OK)
		goto fail;
	netra_cases_set_context(s->cases, s->wl, s->elections, s->nelections, s->sanctions);
	s->flushed_ms = netra_mono_ms();
	free(spath);
	*out = s;
	return NETRA_OK;
fail:
	free(spath);
	review_exit(&s);
	return rc;
}

static int review_write(struct netra_sink *s, const char *post_id, const char *flag, size_t len,
			int64_t origin_us, int64_t arrived_us)
{
	char err[512];
	int rc = netra_sink_sqlite.write(s->flags, post_id, flag, len, origin_us, arrived_us);

	if (rc != NETRA_OK)
		return rc;
	if (!s->in_tx) {
		if (netra_cases_begin(s->cases, err, sizeof(err)) != NETRA_OK) {
			netra_error("sink", "review", "%s", err);
			return NETRA_EIO;
		}
		s->in_tx = 1;
	}
	/* Filed every time: the case store is idempotent by post id, so a flag
	 * resent after a crash between the two commits is filed exactly once. */
	rc = netra_cases_add_flag(s->cases, flag, len, arrived_us / 1000000, err, sizeof(err));
	if (rc == NETRA_EINVAL) {
		/* A flag the case store cannot file stays in the flag store. */
		netra_warn("sink", "review", "post %s not filed as evidence: %s", post_id, err);
		return NETRA_OK;
	}
	if (rc < 0) {
		netra_error("sink", "review", "%s", err);
		return rc;
	}
	return NETRA_OK;
}

static int review_commit(struct netra_sink *s)
{
	char err[512];
	int rc = netra_sink_sqlite.commit(s->flags);

	if (rc != NETRA_OK)
		return rc;
	if (s->in_tx) {
		int64_t since;
		s->in_tx = 0;
		if (netra_cases_commit(s->cases, err, sizeof(err)) != NETRA_OK) {
			netra_error("sink", "review", "%s", err);
			return NETRA_EIO;
		}
		since = netra_mono_ms() - s->flushed_ms;
		s->dirty = 1;
		if (since >= FLUSH_SECONDS * 1000 && since >= 9 * s->flush_cost_ms)
			flush_files(s);
	}
	return NETRA_OK;
}

static int review_list(struct netra_sink *s, FILE *out)
{
	return netra_sink_sqlite.list(s->flags, out);
}

static long long review_count(struct netra_sink *s)
{
	return netra_sink_sqlite.count(s->flags);
}

const struct netra_sink_plugin netra_sink_review = {
	.name = "review",
	.description = "flags kept as by \"sqlite\" and filed as evidence into the case store",
	.init = review_init,
	.write = review_write,
	.commit = review_commit,
	.list = review_list,
	.count = review_count,
	.exit = review_exit,
};
