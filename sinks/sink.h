/* Sinks: where flags end up (contracts §4). Each sink is a plugin, a const
 * struct in the registry (sinks/registry.c); adding one is one file and one
 * registry line. The "sink" key of netra.json chooses one ("review", the
 * default, files flags into the case store). */
#ifndef NETRA_SINK_H
#define NETRA_SINK_H

#include "core/config.h"

#include <stdint.h>
#include <stdio.h>

struct netra_sink;

struct netra_sink_plugin {
	const char *name;        /* as named on the command line */
	const char *description; /* one line */
	/* Open the sink's store under cfg->data_dir (cfg is borrowed for the
	 * call; a sink may read its other keys, e.g. the watchlist). Returns 0
	 * and *out, or a negative status with err set. */
	int (*init)(const struct netra_config *cfg, struct netra_sink **out, char *err, size_t errsz);
	/* Store one flag (flag, len bytes: one JSON object) for post_id,
	 * arrived at arrived_us, having entered the pipeline at origin_us. A
	 * post id already stored is left as it is (the sink is idempotent).
	 * Not durable until commit. Returns 0 or a negative status. */
	int (*write)(struct netra_sink *s, const char *post_id, const char *flag, size_t len,
		     int64_t origin_us, int64_t arrived_us);
	/* Make every write since the last commit durable. 0 or negative. */
	int (*commit)(struct netra_sink *s);
	/* Write what the store holds as JSONL (each flag plus "arrived_at") to
	 * out, in arrival order. 0 or negative. */
	int (*list)(struct netra_sink *s, FILE *out);
	/* Number of flags held, or a negative status. */
	long long (*count)(struct netra_sink *s);
	/* Close and free. NULL-safe; sets *s to NULL. */
	void (*exit)(struct netra_sink **s);
};

/* Every sink plugin, NULL-terminated. */
extern const struct netra_sink_plugin *const netra_sink_plugins[];

/* The plugin named name, or NULL. */
const struct netra_sink_plugin *netra_sink_plugin_find(const char *name);

#endif
