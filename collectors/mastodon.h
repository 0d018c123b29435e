/* Mastodon parsing, exposed for tests and fuzzing (the source itself is
 * the plugin netra_source_mastodon in mastodon.c). */
#ifndef NETRA_MASTODON_H
#define NETRA_MASTODON_H

#include <jansson.h>
#include <stddef.h>

/* The global post id of a status from its `uri` ("mastodon:HOST:ID"),
 * falling back to fallback_host and fallback_id when the uri is unusable.
 * Returns 0, or -1 if neither gives an id. */
int netra_mastodon_global_id(const char *uri, const char *fallback_host,
			     const char *fallback_id, char *out, size_t outsz);

/* Turn a status object into a post (contracts §1): HTML to text, media
 * descriptions to alt, a reblog to a share with ref, a reply to a comment.
 * host is the instance queried. Returns a new reference, or NULL with err
 * set when the object is not a status. */
json_t *netra_mastodon_status_post(const json_t *status, const char *host, char *err,
				   size_t errsz);

#endif
