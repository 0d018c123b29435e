/* A fast JSON reader for the hot path (one post per line).
 *
 * jansson's own reader costs about 170 instructions a byte: it reads
 * through a stream abstraction one character at a time. This reader
 * builds the same jansson values directly from the buffer, for the plain
 * JSON that posts are made of. It never reports errors itself: on any input
 * it is not sure to read exactly as json_loadb(NETRA_JSON_DECODE_FLAGS)
 * would (malformed JSON, duplicate keys, invalid UTF-8, real numbers,
 * integers out of range, deep nesting), it declines, and the caller falls
 * back to json_loadb, which gives the error or the value. Whatever it
 * accepts, json_loadb gives an equal value with keys in the same order (a
 * differential fuzz harness checks this). */
#ifndef NETRA_JSONFAST_H
#define NETRA_JSONFAST_H

#include <jansson.h>
#include <stddef.h>

/* The object or array in buf[0..len), or NULL when declined (see above) or
 * out of memory. Returns a new reference; the caller owns it. */
json_t *netra_json_fast_parse(const char *buf, size_t len);

#endif
