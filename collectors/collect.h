/* The collect driver: runs every configured source, polls them (network
 * sources concurrently), de-duplicates their posts, hands them to the
 * output (a JSONL file, standard output, or the caller's function) and
 * saves each source's cursor only after the posts it covers are durably
 * handed on. */
#ifndef NETRA_COLLECT_H
#define NETRA_COLLECT_H

#include "core/config.h"

#include <signal.h>
#include <stddef.h>

/* One new post handed to an output function. */
struct netra_collect_post {
	const char *id;   /* the post's id (borrowed) */
	const char *json; /* the post as one line of JSON, without newline (borrowed) */
	size_t len;       /* bytes in json */
};

/* An output of the caller's, used instead of a file (the pipeline's
 * journal: sinks/pipeline.h). Called from the thread that runs
 * netra_collector_run with a source's new posts of one poll (and with
 * what is left of them after NETRA_ERETRY), before the source's cursor is
 * saved. It makes the first *taken of posts[0..n) durable, in order, and
 * returns:
 *   0             all n taken (*taken == n): the cursor may move;
 *   NETRA_ERETRY  no room now (a full disk quota): the rest is offered
 *                 again later and until then no source is polled
 *                 (collecting pauses; offered again after 0.1 s,
 *                 doubling up to 1 s);
 *   < 0           anything else: the collector stops, the cursor stays.
 * Posts taken are remembered as handed on and never offered again. The
 * pointers are borrowed for the call only. */
typedef int (*netra_collect_output_fn)(void *arg, const struct netra_collect_post *posts,
				       size_t n, size_t *taken);

struct netra_collect_options {
	const char *out_path;          /* JSONL output file, or NULL for standard output */
	netra_collect_output_fn output; /* if set, posts go here instead (out_path unused) */
	void *output_arg;              /* passed to output */
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

/* Run until stopped (or one round with once; with once, a round waiting
 * for room in the output is waited for). Returns 0 if every round
 * succeeded, 1 if a source failed (the others went on), or a negative
 * status if output or checkpoint could not be written (then nothing of the
 * failed round was checkpointed). */
int netra_collector_run(struct netra_collector *c);

/* Describe every source type and its keys as Markdown into a new string
 * (for docs/sources.md and `netra collect --list-sources`). Caller frees. */
char *netra_collect_sources_markdown(void);

#endif
