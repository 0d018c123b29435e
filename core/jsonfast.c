#include "core/jsonfast.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
	DEPTH_MAX = 64, /* deeper nesting: declined (jansson allows 2048) */
};

struct reader {
	const unsigned char *p;   /* next byte */
	const unsigned char *end; /* end of input */
	char *scratch;            /* one unescaped string (never longer than the input) */
	int depth;                /* nesting */
};

static json_t *read_value(struct reader *r);

static void skip_ws(struct reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int hex4(const unsigned char *p, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Length of the valid UTF-8 sequence at p (2 to 4 bytes), or 0 if it is
 * invalid: a bad first byte, a bad continuation, an overlong form, a
 * surrogate or a code point above U+10FFFF (what jansson refuses). */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	size_t n;
	uint32_t v;

	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if ((size_t)(end - p) < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF ||
	    (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	return n;
}

static size_t put_utf8(char *out, uint32_t v)
{
	if (v < 0x80) {
		out[0] = (char)v;
		return 1;
	}
	if (v < 0x800) {
		out[0] = (char)(0xC0 | (v >> 6));
		out[1] = (char)(0x80 | (v & 0x3F));
		return 2;
	}
	if (v < 0x10000) {
		out[0] = (char)(0xE0 | (v >> 12));
		out[1] = (char)(0x80 | ((v >> 6) & 0x3F));
		out[2] = (char)(0x80 | (v & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (v >> 18));
	out[1] = (char)(0x80 | ((v >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((v >> 6) & 0x3F));
	out[3] = (char)(0x80 | (v & 0x3F));
	return 4;
}

/* A string, the opening quote at r->p: its unescaped bytes into
 * r->scratch, their count into *len. Returns 0, or -1 to decline. */
static int read_string(struct reader *r, size_t *len)
{
	size_t n = 0;

	r->p++;
	while (r->p < r->end) {
		const unsigned char *q = r->p;
		unsigned c;
		/* The plain run up to a quote, backslash, control or non-ASCII byte. */
		while (q < r->end && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
			q++;
		memcpy(r->scratch + n, r->p, (size_t)(q - r->p));
		n += (size_t)(q - r->p);
		r->p = q;
		if (q == r->end)
			return -1;
		c = *q;
		if (c == '"') {
			r->p++;
			*len = n;
			return 0;
		}
		if (c < 0x20)
			return -1;
		if (c >= 0x80) {
			size_t k = utf8_seq(q, r->end);
			if (k == 0)
				return -1;
			memcpy(r->scratch + n, q, k);
			n += k;
			r->p += k;
			continue;
		}
		/* A backslash. */
		if (r->end - q < 2)
			return -1;
		switch (q[1]) {
		case '"':
		case '\\':
		case '/':
			r->scratch[n++] = (char)q[1];
			break;
		case 'b':
			r->scratch[n++] = '\b';
			break;
		case 'f':
			r->scratch[n++] = '\f';
			break;
		case 'n':
			r->scratch[n++] = '\n';
			break;
		case 'r':
			r->scratch[n++] = '\r';
			break;
		case 't':
			r->scratch[n++] = '\t';
			break;
		case 'u': {
			unsigned v;
			unsigned lo;
			if (r->end - q < 6 || hex4(q + 2, &v) != 0)
				return -1;
			if (v >= 0xDC00 && v <= 0xDFFF)
				return -1;
			if (v >= 0xD800 && v <= 0xDBFF) {
				if (r->end - q < 12 || q[6] != '\\' || q[7] != 'u' || hex4(q + 8, &lo) != 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
				r->p += 6;
			}
			/* Six bytes of escape give at most four of UTF-8. */
			n += put_utf8(r->scratch + n, v);
			r->p += 4;
			break;
		}
		default:
			return -1;
		}
		r->p += 2;
	}
	return -1;
}

/* An integer that fits in json_int_t; reals and anything else decline. */
static json_t *read_number(struct reader *r)
{
	const unsigned char *p = r->p;
	int neg = 0;
	unsigned long long v = 0;
	unsigned long long limit;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (p == r->end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0' && p + 1 < r->end && p[1] >= '0' && p[1] <= '9')
		return NULL;
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	while (p < r->end && *p >= '0' && *p <= '9') {
		unsigned d = (unsigned)(*p - '0');
		if (v > (limit - d) / 10)
			return NULL;
		v = v * 10 + d;
		p++;
	}
	if (p < r->end && (*p == '.' || *p == 'e' || *p == 'E'))
		return NULL;
	r->p = p;
	if (neg)
		return json_integer(v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(json_int_t)v);
	return json_integer((json_int_t)v);
}

static int word(struct reader *r, const char *w, size_t n)
{
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return 0;
	r->p += n;
	return 1;
}

static json_t *read_object(struct reader *r)
{
	json_t *obj = json_object();
	size_t klen;
	char key[256];

	if (obj == NULL)
		return NULL;
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == '}') {
		r->p++;
		return obj;
	}
	for (;;) {
		json_t *v;
		skip_ws(r);
		if (r->p == r->end || *r->p != '"' || read_string(r, &klen) != 0)
			goto fail;
		/* Keys are short; a long one, or one with a NUL, is jansson's. */
		if (klen >= sizeof(key) || memchr(r->scratch, '\0', klen) != NULL)
			goto fail;
		memcpy(key, r->scratch, klen);
		if (json_object_getn(obj, key, klen) != NULL)
			goto fail; /* a duplicate: jansson reports it */
		skip_ws(r);
		if (r->p == r->end || *r->p != ':')
			goto fail;
		r->p++;
		skip_ws(r);
		v = read_value(r);
		if (v == NULL || json_object_setn_new_nocheck(obj, key, klen, v) != 0)
			goto fail;
		skip_ws(r);
		if (r->p == r->end)
			goto fail;
		if (*r->p == '}') {
			r->p++;
			return obj;
		}
		if (*r->p != ',')
			goto fail;
		r->p++;
	}
fail:
	json_decref(obj);
	return NULL;
}

static json_t *read_array(struct reader *r)
{
	json_t *arr = json_array();

	if (arr == NULL)
		return NULL;
	r->p++;
	skip_ws(r);
	if (r->p < r->end && *r->p == ']') {
		r->p++;
		return arr;
	}
	for (;;) {
		json_t *v;
		skip_ws(r);
		v = read_value(r);
		if (v == NULL || json_array_append_new(arr, v) != 0)
			goto fail;
		skip_ws(r);
		if (r->p == r->end)
			goto fail;
		if (*r->p == ']') {
			r->p++;
			return arr;
		}
		if (*r->p != ',')
			goto fail;
		r->p++;
	}
fail:
	json_decref(arr);
	return NULL;
}

static json_t *read_value(struct reader *r)
{
	json_t *v = NULL;
	size_t n;

	if (r->p == r->end)
		return NULL;
	switch (*r->p) {
	case '{':
	case '[':
		if (++r->depth > DEPTH_MAX)
			return NULL;
		v = *r->p == '{' ? read_object(r) : read_array(r);
		r->depth--;
		return v;
	case '"':
		if (read_string(r, &n) != 0)
			return NULL;
		return json_stringn_nocheck(r->scratch, n);
	case 't':
		return word(r, "true", 4) ? json_true() : NULL;
	case 'f':
		return word(r, "false", 5) ? json_false() : NULL;
	case 'n':
		return word(r, "null", 4) ? json_null() : NULL;
	default:
		return read_number(r);
	}
}

json_t *netra_json_fast_parse(const char *buf, size_t len)
{
	struct reader r;
	json_t *v = NULL;

	r.p = (const unsigned char *)buf;
	r.end = r.p + len;
	r.depth = 0;
	r.scratch = malloc(len + 1);
	if (r.scratch == NULL)
		return NULL;
	skip_ws(&r);
	if (r.p < r.end && (*r.p == '{' || *r.p == '['))
		v = read_value(&r);
	if (v != NULL) {
		skip_ws(&r);
		if (r.p != r.end) {
			json_decref(v);
			v = NULL;
		}
	}
	free(r.scratch);
	return v;
}
