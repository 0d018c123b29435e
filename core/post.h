/* The post (../shared/contracts/formats.md §1): what collectors produce and
 * the classifier reads. A post is kept as its jansson object so that fields
 * Netra does not know survive a round trip unchanged; this module validates
 * it and reads the fields Netra uses. */
#ifndef NETRA_POST_H
#define NETRA_POST_H

#include <jansson.h>
#include <stddef.h>

enum netra_act {
	NETRA_ACT_POST = 0,
	NETRA_ACT_SHARE,
	NETRA_ACT_COMMENT,
	NETRA_ACT_LIKE,
	NETRA_ACT_FOLLOW,
	NETRA_ACT_REPORT,
	NETRA_ACT_COUNT
};

/* The act's name as in the contract ("post", "share", ...). */
const char *netra_act_name(enum netra_act act);

/* Parse an act name. Returns 0, or -1 if it is not one of the six. */
int netra_act_parse(const char *name, enum netra_act *out);

/* Parse one JSON line into a new post (*out, a new reference the caller
 * releases with json_decref) and validate it. Returns 0 or NETRA_EINVAL
 * with err naming the field or the column of the syntax error. */
int netra_post_parse(const char *line, size_t len, json_t **out, char *err,
		     size_t errsz);

/* Validate a post object: required id, source and text strings; optional
 * fields with the right types; created_at an RFC 3339 time; act one of the
 * six; media, ref, author and report shaped as the contract says. Returns 0
 * or NETRA_EINVAL with err "field: reason". The post is not modified. */
int netra_post_validate(const json_t *post, char *err, size_t errsz);

/* A string field by dotted path ("author.handle", "ref.text",
 * "report.subject.nip"); NULL when absent or not a string. Borrowed. */
const char *netra_post_get(const json_t *post, const char *path);

/* The post's act; NETRA_ACT_POST when absent. Call on a validated post. */
enum netra_act netra_post_act(const json_t *post);

/* The same from the post's "act" member itself (borrowed, may be NULL),
 * for callers that already hold it. */
enum netra_act netra_act_of(const json_t *act);

/* Serialise compactly on one line, keys in their original order. Returns a
 * new string the caller frees, or NULL on OOM. */
char *netra_post_dump(const json_t *post);

/* jansson decoding flags every Netra reader uses. */
#define NETRA_JSON_DECODE_FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)
/* jansson encoding flags every Netra writer uses. */
#define NETRA_JSON_ENCODE_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

#endif
