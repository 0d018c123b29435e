#include "core/buf.h"

#include "core/error.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void netra_buf_init(struct netra_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void netra_buf_free(struct netra_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void netra_buf_reset(struct netra_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int buf_reserve(struct netra_buf *b, size_t n)
{
	size_t need;
	size_t cap;
	char *p;

	if (n > b->max || b->len > b->max - n)
		return NETRA_ETOOBIG;
	need = b->len + n + 1;
	if (need <= b->cap)
		return NETRA_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (p == NULL)
		return NETRA_ENOMEM;
	b->data = p;
	b->cap = cap;
	return NETRA_OK;
}

int netra_buf_add(struct netra_buf *b, const void *p, size_t n)
{
	int rc = buf_reserve(b, n);

	if (rc != NETRA_OK)
		return rc;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return NETRA_OK;
}

int netra_buf_adds(struct netra_buf *b, const char *s)
{
	return netra_buf_add(b, s, strlen(s));
}

int netra_buf_printf(struct netra_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	int rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NETRA_EINVAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc != NETRA_OK)
		return rc;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return NETRA_OK;
}

char *netra_buf_steal(struct netra_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

const char *netra_buf_str(const struct netra_buf *b)
{
	return b->data ? b->data : "";
}
