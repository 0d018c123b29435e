/* The three stages of the pipeline as loops that a command runs in its
 * own process (netra classify --serve, netra sink, netra run --stages
 * collect) or together in one process over inproc:// (netra run). Each
 * stage receives over an acknowledged hop and/or sends over one
 * (sinks/link.h); docs/pipeline.md tells the whole story. */
#ifndef NETRA_PIPELINE_H
#define NETRA_PIPELINE_H

#include "classifier/engine.h"
#include "core/config.h"
#include "sinks/link.h"

#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>

/* How a stage is told to stop and tells that it has finished. */
struct netra_stage_control {
	volatile sig_atomic_t *stop; /* set by SIGINT/SIGTERM: finish the batch, return */
	atomic_int *upstream_done;   /* NULL, or set once the previous stage has drained */
	atomic_int done;             /* set by this stage once it has drained */
	atomic_int sources_failed;   /* collect: a source failed a poll (the others went on) */
	int drain;                   /* return once drained (netra run --once) */
};

/* What every stage is given. Everything is borrowed. */
struct netra_stage_args {
	const struct netra_config *cfg;   /* data_dir, quota, sources */
	void *zctx;                       /* the ZeroMQ context */
	const char *listen;               /* endpoint the stage receives on, or NULL */
	const char *const *to;            /* endpoints the stage sends to */
	size_t nto;                       /* entries in to */
	const char *name;                 /* labels logs and names the journal folder */
	struct netra_link_options link;   /* window, timeouts */
	struct netra_stage_control *ctl;  /* stop and drain */
};

/* Fill a with defaults for cfg (the link defaults; no endpoints). */
void netra_stage_args_init(struct netra_stage_args *a, const struct netra_config *cfg,
			   void *zctx, struct netra_stage_control *ctl);

/* The sink: receive flags at a->listen and store them (sink plugin
 * "sqlite"). Returns 0 when stopped or drained, else a negative status
 * (logged). */
int netra_stage_sink(const struct netra_stage_args *a);

/* A classifier worker: receive posts at a->listen, classify them with
 * engine (borrowed), journal the flags under data_dir/pipeline/<name> and
 * send them to a->to. Returns 0 or a negative status (logged). */
int netra_stage_classify(const struct netra_stage_args *a, const struct netra_engine *engine);

/* The collect stage: run the configured sources (collectors/collect.h)
 * in a thread whose output appends each poll's new posts to the journal
 * under data_dir/pipeline/collect and fsyncs them before the sources'
 * cursors are saved; send them from the journal to a->to. once: poll each
 * source once and return when everything is acknowledged. While the
 * journal's quota is full the collector is paused (said on stderr) until
 * the journal is half empty. Sets a->ctl->sources_failed if a source
 * failed a poll. Returns 0, or a negative status (logged). */
int netra_stage_collect(const struct netra_stage_args *a, int once);

#endif
