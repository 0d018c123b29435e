/* Line numbers for JSON fields. jansson reports the line of a syntax error
 * but keeps no positions for values, so semantic errors ("candidates[1].number:
 * must be a positive integer") would have no line. This scanner walks the
 * JSON text once and finds where a path such as "candidates[1].number" is. */
#ifndef NETRA_JSONPOS_H
#define NETRA_JSONPOS_H

#include <stddef.h>

/* The 1-based line where the value at path starts in text[0..len); for a
 * path that does not exist (a missing field), the line of its deepest
 * existing parent. Path syntax: keys joined by '.', array indexes in
 * brackets; "" is the root. Returns 1 if the text cannot be scanned. */
int netra_json_line(const char *text, size_t len, const char *path);

#endif
