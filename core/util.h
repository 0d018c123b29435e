/* Small helpers used across Netra: bounded file and line reading, string
 * copies, edit distance for "did you mean" hints, and paths. */
#ifndef NETRA_UTIL_H
#define NETRA_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Read a whole file of at most max bytes into a new NUL-terminated buffer
 * (*out, the caller's to free; *len its length). Returns 0, NETRA_EIO
 * (cannot open or read), or NETRA_ETOOBIG; err receives "path: reason". */
int netra_file_read(const char *path, size_t max, char **out, size_t *len,
		    char *err, size_t errsz);

/* Write len bytes to path atomically (temporary file, fsync, rename).
 * Returns 0 or NETRA_EIO with err set. */
int netra_file_write_atomic(const char *path, const char *data, size_t len,
			    char *err, size_t errsz);

/* A line reader with a maximum line length. Lines longer than the maximum
 * are reported as too long and skipped whole, so one bad line never stops
 * a stream. */
struct netra_lines;

/* Read from fp (borrowed; not closed; read ahead in blocks, so use only
 * the reader on it afterwards). name labels messages ("posts.jsonl"
 * or "<stdin>"); it is copied. Returns NULL on OOM. */
struct netra_lines *netra_lines_new(FILE *fp, const char *name, size_t max_line);

/* Free the reader. NULL-safe; sets *l to NULL. */
void netra_lines_destroy(struct netra_lines **l);

enum netra_line_result {
	NETRA_LINE_OK = 0,     /* *line holds a line without its newline */
	NETRA_LINE_EOF = 1,    /* no more lines */
	NETRA_LINE_TOOLONG = 2, /* the line was over the maximum and was skipped */
	NETRA_LINE_ERROR = -3  /* read error */
};

/* Read the next line. *line is borrowed until the next call; *len is its
 * length (it may contain NUL bytes). The line number is netra_lines_number. */
enum netra_line_result netra_lines_next(struct netra_lines *l, const char **line,
					size_t *len);

/* The 1-based number of the line last returned. */
size_t netra_lines_number(const struct netra_lines *l);

/* The name given to netra_lines_new. Borrowed. */
const char *netra_lines_name(const struct netra_lines *l);

/* Copy src into dst of size dstsz, always NUL-terminating. Returns the
 * length of src (>= dstsz means it was cut). */
size_t netra_strlcpy(char *dst, const char *src, size_t dstsz);

/* Duplicate a string (NULL for NULL or on OOM). */
char *netra_strdup(const char *s);

/* Levenshtein distance between two short strings (for "did you mean").
 * Strings over 64 bytes compare as far apart. */
size_t netra_edit_distance(const char *a, const char *b);

/* The closest of candidates[0..n) to word, or NULL if none is within a
 * distance of 2 (or a third of the word's length). Borrowed. */
const char *netra_did_you_mean(const char *word, const char *const *candidates,
			       size_t n);

/* Resolve rel against the directory of base (a file path) into a new
 * string; an absolute rel is copied as is. Caller frees; NULL on OOM. */
char *netra_path_relative_to(const char *base, const char *rel);

/* 1 if the string is valid UTF-8, else 0. */
int netra_utf8_valid(const char *s, size_t len);

#endif
