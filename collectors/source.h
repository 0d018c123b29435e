/* Sources: the plugin interface every collector implements, and the
 * services the collect driver offers them (configuration keys, cursors,
 * emitting posts, HTTP). Adding a source is one file that defines a
 * `const struct netra_source_plugin` and one line in registry.c. */
#ifndef NETRA_SOURCE_H
#define NETRA_SOURCE_H

#include "collectors/http.h"

#include <jansson.h>
#include <stddef.h>

/* The type of a configuration key of a source. */
enum netra_key_type {
	NETRA_KEY_STRING,  /* a string */
	NETRA_KEY_PATH,    /* a path, resolved against the config file's folder */
	NETRA_KEY_INTEGER, /* an integer in [min, max] */
	NETRA_KEY_STRINGS  /* an array of strings */
};

/* One key of a source's JSON object in netra.json. */
struct netra_source_key {
	const char *name;        /* key in the source object */
	enum netra_key_type type; /* value type */
	int required;            /* 1 if the key must be present */
	const char *def;         /* default as text (strings, integers), or NULL */
	long long min;           /* smallest integer allowed */
	long long max;           /* largest integer allowed */
	const char *description; /* one sentence for docs/sources.md */
};

/* Keys every source accepts, whatever its type. */
extern const struct netra_source_key netra_source_common_keys[];

struct netra_source;

/* A source plugin. */
struct netra_source_plugin {
	const char *name;        /* the "type" in netra.json, and the post's source */
	const char *description; /* one line */
	/* The plugin's own keys, terminated by an entry whose name is NULL. */
	const struct netra_source_key *config;
	/* Prepare the instance from its validated configuration (read with
	 * netra_source_str and friends); may store private state with
	 * netra_source_set_ctx. Returns 0 or a negative status with err set. */
	int (*init)(struct netra_source *src, char *err, size_t errsz);
	/* Start one poll round: emit posts now, or submit HTTP requests whose
	 * callbacks emit them. The round ends when no request of the source is
	 * in flight; its posts and cursor are then committed together. Returns
	 * 0, or a negative status after netra_source_fail. */
	int (*poll)(struct netra_source *src);
	/* Free the private state. May be NULL. */
	void (*exit)(struct netra_source *src);
};

/* The instance name ("mastodon:kemdikbud"), for logs. Borrowed. */
const char *netra_source_name(const struct netra_source *src);

/* The plugin of an instance. */
const struct netra_source_plugin *netra_source_plugin(const struct netra_source *src);

/* A configured string or path (paths already resolved); NULL if absent and
 * without default. Borrowed from the source. */
const char *netra_source_str(const struct netra_source *src, const char *key);

/* A configured integer (its default if absent). */
long long netra_source_int(const struct netra_source *src, const char *key);

/* A configured string array (empty array if absent). Borrowed. */
const json_t *netra_source_strings(const struct netra_source *src, const char *key);

/* Set a string key that was left unset (a default computed by init).
 * Returns 0 or NETRA_ENOMEM. */
int netra_source_set_default(struct netra_source *src, const char *key, const char *value);

/* A secret for the source: the value of the environment variable named by
 * the "token_env" key, else the first line of the file named by
 * "token_file". NULL if neither is set. Borrowed; never log it. */
const char *netra_source_token(const struct netra_source *src);

/* Private state of the plugin instance. */
void netra_source_set_ctx(struct netra_source *src, void *ctx);
void *netra_source_ctx(const struct netra_source *src);

/* The cursor being built by the current round: a JSON object the plugin
 * reads and updates freely. It starts as a copy of the last committed
 * cursor and is saved only if the round succeeds. Borrowed. */
json_t *netra_source_cursor(struct netra_source *src);

/* Hand one post to the driver; it is validated and buffered until the round
 * commits. Steals the reference to post (on success and failure). Returns 0,
 * or NETRA_EINVAL (the post is invalid: counted as an error and logged). */
int netra_source_emit(struct netra_source *src, json_t *post);

/* Mark the round failed with a message (logged once, counted as an error):
 * buffered posts and the cursor are discarded and the round retried at
 * the next poll. retry_after, if > 0, delays the next poll that many
 * seconds (a rate limit). */
void netra_source_fail(struct netra_source *src, double retry_after,
		       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Count fetched items (before dedup), for the progress line. */
void netra_source_count_fetched(struct netra_source *src, size_t n);

/* Ask for the next poll no later than after `seconds` (e.g. more pages are
 * waiting). */
void netra_source_poll_soon(struct netra_source *src, double seconds);

/* Say that more is waiting now (a page or line budget was reached): the
 * source is polled again at once, and `--once` keeps polling it until it
 * has caught up. */
void netra_source_more(struct netra_source *src);

/* Submit an HTTP request for this source, with the source's HTTP settings
 * (timeouts, maximum body, retries) filled in where req leaves them 0.
 * cb runs when the response is final (after retries) with arg. Returns 0
 * or a negative status (the round is marked failed). */
int netra_source_http(struct netra_source *src, const struct netra_http_request *req,
		      netra_http_cb cb, void *arg);

/* Helpers for building posts. */

/* A new post object {"id","source","text"} (text may be NULL for "").
 * Returns a new reference or NULL on OOM. */
json_t *netra_post_new(const char *id, const char *source, const char *text);

/* Set key to a string copy of value on obj if value is non-NULL and
 * non-empty. */
void netra_json_set_str(json_t *obj, const char *key, const char *value);

#endif
