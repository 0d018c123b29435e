/* Bluesky parsing, exposed for tests and fuzzing; the source is the
 * plugin netra_source_bluesky in bluesky.c. */
#ifndef NETRA_BLUESKY_H
#define NETRA_BLUESKY_H

#include <jansson.h>
#include <stddef.h>

/* A post object for a post view (app.bsky.feed.defs#postView): id
 * "bluesky:bsky.social:AT-URI", url on bsky.app, text, tags from facets,
 * images with alt, a reply as a comment with its parent as ref. Returns a
 * new reference, or NULL with err set if the object is not a post view. */
json_t *netra_bluesky_post(const json_t *view, char *err, size_t errsz);

/* A post for one item of a getAuthorFeed page: the post itself, or for a
 * repost (reason #reasonRepost) a share by the reposter with the post as
 * ref. Same results as netra_bluesky_post. */
json_t *netra_bluesky_feed_item(const json_t *item, char *err, size_t errsz);

/* A ref object {id, url, author, text} for a post view. New reference or
 * NULL. */
json_t *netra_bluesky_ref(const json_t *view);

#endif
