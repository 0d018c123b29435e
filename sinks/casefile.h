/* Case files: the document of one case (netra_cases_document, in Bahasa
 * Indonesia, docs/casefile.schema.json) written as Markdown, JSON or a
 * self-contained HTML page that prints cleanly. Matched words are marked:
 * **bold** in Markdown, <mark> in HTML, and listed with their byte offsets
 * in JSON. */
#ifndef NETRA_CASEFILE_H
#define NETRA_CASEFILE_H

#include "core/buf.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum netra_casefile_format {
	NETRA_CASEFILE_MD = 0,
	NETRA_CASEFILE_JSON,
	NETRA_CASEFILE_HTML,
	NETRA_CASEFILE_NFORMATS
};

/* Largest case file written, in bytes. */
#define NETRA_CASEFILE_MAX (64u * 1024u * 1024u)

/* Parse "md", "json" or "html". Returns 0, or -1. */
int netra_casefile_format_parse(const char *name, enum netra_casefile_format *out);

/* The file name extension of a format ("md"). */
const char *netra_casefile_ext(enum netra_casefile_format f);

/* Append the case file of doc in format f to out. Returns 0,
 * NETRA_ETOOBIG or NETRA_ENOMEM. */
int netra_casefile_render(const json_t *doc, enum netra_casefile_format f,
			  struct netra_buf *out);

/* The path of a case's file: dir/kasus-NNNNNN.ext. Returns 0, or
 * NETRA_ETOOBIG when it does not fit in outsz. */
int netra_casefile_path(const char *dir, int64_t case_id, enum netra_casefile_format f,
			char *out, size_t outsz);

/* Write one format of doc's case file atomically under dir (created if
 * needed); path (may be NULL) receives where. Returns 0 or a negative
 * status with err set. */
int netra_casefile_write(const char *dir, const json_t *doc, enum netra_casefile_format f,
			 char *path, size_t pathsz, char *err, size_t errsz);

/* Write all three formats. Returns 0 or the first error (err set). */
int netra_casefile_write_all(const char *dir, const json_t *doc, char *err, size_t errsz);

#endif
