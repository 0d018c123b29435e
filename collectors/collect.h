/* The collect driver: runs every configured source, polls them (network
 * sources concurrently), de-duplicates their posts, writes them as JSONL
 * and saves each source's cursor only after the posts it covers are
 * written and synced. */
#ifndef NETRA_COLLECT_H
#define NETRA_COLLECT_H

#include "core/config.h"

#include <signal.h>
#include <stddef.h>

struct netra_collect_options {
	const char *out_path;          /* JSONL output file, or NULL for standard output */
	int once;                      /* poll each source once, then return */
	volatile sig_atomic_t *stop;   /* set by a signal handler to stop; may be NULL */
	size_t max_seen;               /* post ids remembered for dedup (0: 100000) */
};

struct netra_collector;

/* Build the collector from cfg (borrowed for the collector's lifetime):
 * validates every source object (unknown type or key is an error with a
 * "did you mean" hint), opens the checkpoint under cfg->data_dir and the
 * output. Returns 0 (*out is the caller's), NETRA_EINVAL with err
 * "sources[i] (type): key: reason", or NETRA_EIO. */
int netra_collector_new(const struct netra_config *cfg,
			const struct netra_collect_options *opt,
			struct netra_collector **out, char *err, size_t errsz);

/* Free. NULL-safe; sets *c to NULL. */
void netra_collector_destroy(struct netra_collector **c);

/* Run until stopped (or one round with once). Returns 0 if every round
 * succeeded, 1 if a source failed (the others went on), or a negative
 * status if output or checkpoint could not be written (then nothing of the
 * failed round was checkpointed). */
int netra_collector_run(struct netra_collector *c);

/* Describe every source type and its keys as Markdown into a new string
 * (for docs/sources.md and `netra collect --list-sources`). Caller frees. */
char *netra_collect_sources_markdown(void);

#endif
