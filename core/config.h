/* Configuration: one netra.json. The keys are declared once, in a table in
 * config.c, from which the loader, `netra config keys` and
 * docs/configuration.md (`netra config docs`) all come. */
#ifndef NETRA_CONFIG_H
#define NETRA_CONFIG_H

#include "core/buf.h"

#include <jansson.h>
#include <stddef.h>

/* A loaded configuration. Paths are resolved against the directory of the
 * configuration file. Owned by whoever loaded it. */
struct netra_config {
	char *path;           /* the file it came from, or NULL for defaults */
	char **elections;     /* election files (NULL-terminated) */
	size_t nelections;    /* entries in elections */
	char *watchlist;      /* watchlist file, or NULL */
	char *rules;          /* rule pack directory or file */
	char *data_dir;       /* where Netra keeps its state and output */
	double threshold;     /* score at or above which a post is flagged */
	long long max_post_bytes; /* fields longer than this are cut before matching */
	long long match_limit;    /* PCRE2 match limit per pattern and field */
	char *log_level;      /* error, warn, info or debug */
	json_t *sources;      /* the "sources" array, for collectors (own reference) */
	char *reviewer;       /* reviewer name recorded on review actions, or NULL */
	char *classify_endpoint; /* ZeroMQ endpoint of classify --serve */
	char *sink_endpoint;     /* ZeroMQ endpoint of netra sink */
	long long journal_quota_bytes; /* disk quota of each stage's journal */
	long long follow_up_days; /* days allowed for the follow-up of a recommendation */
	char *sink;              /* the sink plugin of netra sink / netra run */
};

/* Fill cfg with the defaults of every key. Returns 0 or NETRA_ENOMEM. */
int netra_config_defaults(struct netra_config *cfg);

/* Load path over the defaults. Unknown keys are rejected with a "did you
 * mean" hint; every error is "file:line: key: reason". On failure cfg is
 * left freed. Returns 0, NETRA_EIO or NETRA_EINVAL. */
int netra_config_load(const char *path, struct netra_config *cfg, char *err,
		      size_t errsz);

/* Free everything cfg owns (the struct itself is the caller's). */
void netra_config_free(struct netra_config *cfg);

/* Describe every key, one block per key (for `netra config keys`). */
int netra_config_describe(struct netra_buf *out);

/* docs/configuration.md, generated from the table. */
int netra_config_markdown(struct netra_buf *out);

#endif
