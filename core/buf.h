/* A growing byte buffer with a hard maximum (after curl's dynbuf). The
 * struct is public so that it can live on the stack or inside another
 * struct; treat its fields as read-only outside buf.c. */
#ifndef NETRA_BUF_H
#define NETRA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct netra_buf {
	char *data; /* NUL-terminated contents, NULL until the first add */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap; /* bytes allocated */
	size_t max; /* largest len allowed; adds beyond it fail */
};

/* Initialise an empty buffer that may grow to max bytes. Allocates nothing. */
void netra_buf_init(struct netra_buf *b, size_t max);

/* Free the contents and reset to empty; the maximum is kept. NULL-safe. */
void netra_buf_free(struct netra_buf *b);

/* Empty the buffer, keeping its memory for reuse. */
void netra_buf_reset(struct netra_buf *b);

/* Append n bytes. Returns 0, NETRA_ETOOBIG past the maximum (nothing is
 * appended), or NETRA_ENOMEM. */
int netra_buf_add(struct netra_buf *b, const void *p, size_t n);

/* Append a NUL-terminated string. Same results as netra_buf_add. */
int netra_buf_adds(struct netra_buf *b, const char *s);

/* Append formatted text. Same results as netra_buf_add. */
int netra_buf_printf(struct netra_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Hand the contents to the caller (who frees them) and reset the buffer.
 * Returns an empty string rather than NULL for an empty buffer; NULL on OOM. */
char *netra_buf_steal(struct netra_buf *b);

/* The contents as a string; "" when empty. Borrowed. */
const char *netra_buf_str(const struct netra_buf *b);

#endif
