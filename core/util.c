#include "core/util.h"

#include "core/buf.h"
#include "core/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *netra_strerror(int status)
{
	switch (status) {
	case NETRA_OK: return "success";
	case NETRA_ENOMEM: return "out of memory";
	case NETRA_EINVAL: return "invalid input";
	case NETRA_EIO: return "input/output error";
	case NETRA_ETOOBIG: return "too large";
	case NETRA_ERETRY: return "temporary failure";
	case NETRA_EFATAL: return "permanent failure";
	case NETRA_ENOTFOUND: return "not found";
	default: return "unknown error";
	}
}

int netra_file_read(const char *path, size_t max, char **out, size_t *len,
		    char *err, size_t errsz)
{
	FILE *fp = NULL;
	struct netra_buf b;
	char chunk[8192];
	size_t n;
	int rc = NETRA_OK;

	netra_buf_init(&b, max);
	*out = NULL;
	*len = 0;
	fp = fopen(path, "rb");
	if (fp == NULL) {
		snprintf(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		rc = NETRA_EIO;
		goto cleanup;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		rc = netra_buf_add(&b, chunk, n);
		if (rc == NETRA_ETOOBIG) {
			snprintf(err, errsz, "%s: file is larger than the limit of %zu bytes",
				 path, max);
			goto cleanup;
		}
		if (rc != NETRA_OK) {
			snprintf(err, errsz, "%s: out of memory", path);
			goto cleanup;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errsz, "%s: read error: %s", path, strerror(errno));
		rc = NETRA_EIO;
		goto cleanup;
	}
	*len = b.len;
	*out = netra_buf_steal(&b);
	if (*out == NULL) {
		snprintf(err, errsz, "%s: out of memory", path);
		rc = NETRA_ENOMEM;
	}
cleanup:
	if (fp != NULL)
		fclose(fp);
	netra_buf_free(&b);
	return rc;
}

int netra_file_write_atomic(const char *path, const char *data, size_t len,
			    char *err, size_t errsz)
{
	struct netra_buf tmp;
	int fd = -1;
	int rc = NETRA_EIO;
	size_t off = 0;

	netra_buf_init(&tmp, 4096);
	if (netra_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid()) != NETRA_OK) {
		snprintf(err, errsz, "%s: path too long", path);
		goto cleanup;
	}
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errsz, "%s: cannot create: %s", tmp.data, strerror(errno));
		goto cleanup;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			snprintf(err, errsz, "%s: write error: %s", tmp.data, strerror(errno));
			goto cleanup;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		snprintf(err, errsz, "%s: cannot sync: %s", tmp.data, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp.data, path) != 0) {
		snprintf(err, errsz, "%s: cannot rename into place: %s", path, strerror(errno));
		goto cleanup;
	}
	rc = NETRA_OK;
cleanup:
	if (fd >= 0)
		close(fd);
	if (rc != NETRA_OK && tmp.data != NULL)
		unlink(tmp.data);
	netra_buf_free(&tmp);
	return rc;
}

struct netra_lines {
	FILE *fp;        /* borrowed stream, read in blocks (the reader owns its position) */
	char rbuf[65536]; /* block read from fp */
	size_t rpos;     /* next unread byte in rbuf */
	size_t rlen;     /* bytes in rbuf */
	int eof;         /* fp has no more */
	char *name;      /* label for messages */
	size_t max_line; /* longest line accepted */
	size_t number;   /* 1-based number of the last line returned */
	struct netra_buf line; /* current line */
};

struct netra_lines *netra_lines_new(FILE *fp, const char *name, size_t max_line)
{
	struct netra_lines *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->name = netra_strdup(name ? name : "<input>");
	if (l->name == NULL) {
		free(l);
		return NULL;
	}
	l->fp = fp;
	l->max_line = max_line;
	netra_buf_init(&l->line, max_line);
	return l;
}

void netra_lines_destroy(struct netra_lines **l)
{
	if (l == NULL || *l == NULL)
		return;
	netra_buf_free(&(*l)->line);
	free((*l)->name);
	free(*l);
	*l = NULL;
}

enum netra_line_result netra_lines_next(struct netra_lines *l, const char **line,
					size_t *len)
{
	int too_long = 0;
	int any = 0;

	netra_buf_reset(&l->line);
	for (;;) {
		const char *start;
		const char *nl;
		size_t n;
		if (l->rpos == l->rlen) {
			if (l->eof)
				break;
			l->rlen = fread(l->rbuf, 1, sizeof(l->rbuf), l->fp);
			l->rpos = 0;
			if (l->rlen == 0) {
				l->eof = 1;
				if (ferror(l->fp))
					return NETRA_LINE_ERROR;
				break;
			}
		}
		start = l->rbuf + l->rpos;
		n = l->rlen - l->rpos;
		nl = memchr(start, '\n', n);
		any = 1;
		if (nl != NULL)
			n = (size_t)(nl - start);
		/* A line over the maximum is skipped without being kept. */
		if (!too_long && netra_buf_add(&l->line, start, n) != NETRA_OK)
			too_long = 1;
		l->rpos += n + (nl != NULL);
		if (nl != NULL)
			break;
	}
	if (!any)
		return NETRA_LINE_EOF;
	l->number++;
	if (too_long)
		return NETRA_LINE_TOOLONG;
	/* Tolerate CRLF files. */
	if (l->line.len > 0 && l->line.data[l->line.len - 1] == '\r')
		l->line.data[--l->line.len] = '\0';
	*line = netra_buf_str(&l->line);
	*len = l->line.len;
	return NETRA_LINE_OK;
}

size_t netra_lines_number(const struct netra_lines *l)
{
	return l->number;
}

const char *netra_lines_name(const struct netra_lines *l)
{
	return l->name;
}

size_t netra_strlcpy(char *dst, const char *src, size_t dstsz)
{
	size_t n = strlen(src);

	if (dstsz > 0) {
		size_t c = n < dstsz - 1 ? n : dstsz - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

char *netra_strdup(const char *s)
{
	size_t n;
	char *p;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	p = malloc(n + 1);
	if (p != NULL)
		memcpy(p, s, n + 1);
	return p;
}

size_t netra_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a);
	size_t lb = strlen(b);
	size_t prev[65];
	size_t cur[65];

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1;
			size_t ins = cur[j - 1] + 1;
			size_t m = sub < del ? sub : del;
			cur[j] = m < ins ? m : ins;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

const char *netra_did_you_mean(const char *word, const char *const *candidates,
			       size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	size_t limit = strlen(word) / 3;

	if (limit < 2)
		limit = 2;
	for (size_t i = 0; i < n; i++) {
		size_t d = netra_edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

char *netra_path_relative_to(const char *base, const char *rel)
{
	const char *slash;
	struct netra_buf b;

	if (rel[0] == '/' || base == NULL || (slash = strrchr(base, '/')) == NULL)
		return netra_strdup(rel);
	netra_buf_init(&b, 8192);
	if (netra_buf_add(&b, base, (size_t)(slash - base) + 1) != NETRA_OK ||
	    netra_buf_adds(&b, rel) != NETRA_OK) {
		netra_buf_free(&b);
		return NULL;
	}
	return netra_buf_steal(&b);
}

int netra_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1Fu;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0Fu;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07u;
		} else {
			return 0;
		}
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3Fu);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += n + 1;
	}
	return 1;
}
