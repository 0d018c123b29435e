/*
 * normalize.c - text normalisation with an offset map (see normalize.h).
 *
 * A run has three stages over reusable buffers:
 *  A. decode + fold: input bytes -> code points (cp[]), each with the
 *     half-open source byte range it came from (cp_s[], cp_e[]).  ASCII takes
 *     a fast path; only non-ASCII code points go through utf8proc.
 *  B. dodge undo in place on cp[]: join split letters, digits-for-letters.
 *  C. collapse repeated letters while encoding cp[] to UTF-8 (out[]), giving
 *     every output byte the source range of its code point (map_s[], map_e[]).
 */
#include "classifier/normalize.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Initial capacity of the code point buffers, in code points. */
#define NETRA_NORM_CP_INIT 256u
/* Initial capacity of the output buffers, in bytes. */
#define NETRA_NORM_OUT_INIT 512u
/* Largest decomposition accepted for one code point (utf8proc max is 18). */
#define NETRA_NORM_DECOMP_MAX 64
/* Minimum number of single-character tokens joined by dodge rule 4a. */
#define NETRA_NORM_SPLIT_MIN 4u
/* Minimum run of identical letters collapsed by dodge rule 4c. */
#define NETRA_NORM_REPEAT_MIN 3u

/* Character classes used by the dodge rules. */
enum netra_norm_class {
	NETRA_CL_LETTER = 1u, /* ASCII letter or Unicode category L* */
	NETRA_CL_DIGIT = 2u,  /* ASCII digit 0-9 */
	NETRA_CL_NUM = 4u,    /* non-ASCII decimal digit (category Nd) */
	NETRA_CL_SEP = 8u     /* one of ' ' '.' '-' '_' '*' */
};

/* Letter, ASCII digit or other decimal digit. */
#define NETRA_CL_ALNUM (NETRA_CL_LETTER | NETRA_CL_DIGIT | NETRA_CL_NUM)

struct netra_norm {
	size_t max_bytes;     /* input limit in bytes, at most UINT32_MAX */
	utf8proc_int32_t *cp; /* folded code points of the current run */
	uint32_t *cp_s;       /* source start byte of each code point */
	uint32_t *cp_e;       /* source end byte (exclusive) of each code point */
	size_t cp_cap;        /* capacity of cp, cp_s and cp_e in elements */
	size_t cp_len;        /* code points in use */
	char *out;            /* normalised UTF-8 text, NUL-terminated */
	uint32_t *map_s;      /* source start byte of each output byte */
	uint32_t *map_e;      /* source end byte (exclusive) of each output byte */
	size_t out_cap;       /* capacity of out, map_s and map_e in elements */
	size_t out_len;       /* bytes of out in use, excluding the NUL */
	size_t in_len;        /* input bytes used by the last run */
	int truncated;        /* 1 if the last input was cut at max_bytes */
};

/* Letter each digit stands for in dodge rule 4b; 0 means "no letter". */
static const char netra_digit_letter[10] = {
	'o', 'i', 0, 'e', 'a', 's', 'g', 't', 'b', 'g'
};

/* Class bits (enum netra_norm_class) of one code point. */
static inline unsigned cls_of(utf8proc_int32_t c)
{
	if (c < 0x80) {
		unsigned u = (unsigned)c;

		if ((u | 0x20u) - 'a' < 26u)
			return NETRA_CL_LETTER;
		if (u - '0' < 10u)
			return NETRA_CL_DIGIT;
		if (u == ' ' || u == '.' || u == '-' || u == '_' || u == '*')
			return NETRA_CL_SEP;
		return 0;
	}
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
		return NETRA_CL_LETTER;
	case UTF8PROC_CATEGORY_ND:
		return NETRA_CL_NUM;
	default:
		return 0;
	}
}

/* 1 if code point c is removed outright by rule 3 (before utf8proc). */
static inline int is_dropped(utf8proc_int32_t c)
{
	return c == 0xFE0E || c == 0xFE0F || (c >= 0x1F3FB && c <= 0x1F3FF) ||
	       (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF ||
	       c == 0x00AD || c == 0x20E3;
}

/*
 * Decode one well-formed non-ASCII UTF-8 sequence at p (avail > 0 bytes).
 * Stores the code point in *c and returns its length, or 0 if p[0] does not
 * start a well-formed sequence within avail bytes.
 */
static inline size_t utf8_decode(const unsigned char *p, size_t avail,
				 utf8proc_int32_t *c)
{
	unsigned b0 = p[0];
	unsigned lo = 0x80u;
	unsigned hi = 0xBFu;

	if (b0 < 0xC2u || b0 > 0xF4u)
		return 0;
	if (b0 < 0xE0u) {
		if (avail < 2 || (p[1] & 0xC0u) != 0x80u)
			return 0;
		*c = (utf8proc_int32_t)(((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu));
		return 2;
	}
	if (b0 < 0xF0u) {
		if (avail < 3)
			return 0;
		if (b0 == 0xE0u)
			lo = 0xA0u;
		else if (b0 == 0xEDu)
			hi = 0x9Fu;
		if (p[1] < lo || p[1] > hi || (p[2] & 0xC0u) != 0x80u)
			return 0;
		*c = (utf8proc_int32_t)(((b0 & 0x0Fu) << 12) |
					((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu));
		return 3;
	}
	if (avail < 4)
		return 0;
	if (b0 == 0xF0u)
		lo = 0x90u;
	else if (b0 == 0xF4u)
		hi = 0x8Fu;
	if (p[1] < lo || p[1] > hi || (p[2] & 0xC0u) != 0x80u ||
	    (p[3] & 0xC0u) != 0x80u)
		return 0;
	*c = (utf8proc_int32_t)(((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
				((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu));
	return 4;
}

/*
 * Where to cut input p[0..len) that is longer than max: max, moved back to
 * the start of a well-formed UTF-8 sequence that would straddle it.  Bad
 * bytes are one-byte units, so they never move the cut.
 */
static size_t cut_boundary(const unsigned char *p, size_t len, size_t max)
{
	size_t k = max;
	size_t l;
	utf8proc_int32_t c;

	assert(max < len);
	while (k > 0 && max - k < 3 && (p[k] & 0xC0u) == 0x80u)
		k--;
	if (k == max || p[k] < 0xC0u)
		return max;
	l = utf8_decode(p + k, len - k, &c);
	return l > max - k ? k : max;
}

/*
 * Make room for need elements in cp, cp_s and cp_e (contents kept).
 * Returns 0, or -1 on allocation failure or size overflow (buffers stay
 * valid with their old capacity).
 */
static int reserve_cp(struct netra_norm *n, size_t need)
{
	size_t cap = n->cp_cap;
	void *p;

	if (need <= cap)
		return 0;
	cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
	if (cap < need)
		cap = need;
	if (cap > SIZE_MAX / sizeof(uint32_t))
		return -1;
	p = realloc(n->cp, cap * sizeof *n->cp);
	if (p == NULL)
		return -1;
	n->cp = p;
	p = realloc(n->cp_s, cap * sizeof *n->cp_s);
	if (p == NULL)
		return -1;
	n->cp_s = p;
	p = realloc(n->cp_e, cap * sizeof *n->cp_e);
	if (p == NULL)
		return -1;
	n->cp_e = p;
	n->cp_cap = cap;
	return 0;
}

/*
 * Make room for need elements in out, map_s and map_e (contents kept).
 * Returns 0, or -1 on allocation failure or size overflow (buffers stay
 * valid with their old capacity).
 */
static int reserve_out(struct netra_norm *n, size_t need)
{
	size_t cap = n->out_cap;
	void *p;

	if (need <= cap)
		return 0;
	cap = cap <= SIZE_MAX / 2 ? cap * 2 : need;
	if (cap < need)
		cap = need;
	if (cap > SIZE_MAX / sizeof(uint32_t))
		return -1;
	p = realloc(n->out, cap);
	if (p == NULL)
		return -1;
	n->out = p;
	p = realloc(n->map_s, cap * sizeof *n->map_s);
	if (p == NULL)
		return -1;
	n->map_s = p;
	p = realloc(n->map_e, cap * sizeof *n->map_e);
	if (p == NULL)
		return -1;
	n->map_e = p;
	n->out_cap = cap;
	return 0;
}

/*
 * Stage A: decode p[0..lim) into n->cp with source ranges, folding case,
 * compatibility forms and marks, and dropping invisible code points.
 * Returns 0, or -1 on allocation failure.
 */
static int decode_fold(struct netra_norm *n, const unsigned char *p,
		       size_t lim)
{
	const utf8proc_option_t opts = (utf8proc_option_t)(
		UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
		UTF8PROC_DECOMPOSE | UTF8PROC_IGNORE);
	size_t i = 0;
	size_t cnt = 0;

	utf8proc_int32_t *cp;
	uint32_t *cs;
	uint32_t *ce;

	/* Invariant: n->cp_cap - cnt >= lim - i, so 1:1 pushes need no check. */
	if (reserve_cp(n, lim) != 0)
		return -1;
	cp = n->cp;
	cs = n->cp_s;
	ce = n->cp_e;
	while (i < lim) {
		unsigned b = p[i];
		utf8proc_int32_t c;
		size_t l;
		size_t rest;
		utf8proc_ssize_t r;
		int bound = 0;

		if (b < 0x80u) {
			if (b - 'A' < 26u)
				b += 32u;
			else if (b == 0)
				b = ' ';
			cp[cnt] = (utf8proc_int32_t)b;
			cs[cnt] = (uint32_t)i;
			ce[cnt] = (uint32_t)(i + 1);
			cnt++;
			i++;
			continue;
		}
		l = utf8_decode(p + i, lim - i, &c);
		if (l == 0) {
			/* Rule 1: each bad byte becomes one U+FFFD. */
			cp[cnt] = 0xFFFD;
			cs[cnt] = (uint32_t)i;
			ce[cnt] = (uint32_t)(i + 1);
			cnt++;
			i++;
			continue;
		}
		rest = lim - i - l;
		if (c >= 0xAC00 && c <= 0xD7A3) {
			/* Hangul syllable: keep precomposed (NFKC form). */
			r = 1;
			cp[cnt] = c;
		} else if (is_dropped(c)) {
			r = 0;
		} else {
			for (;;) {
				size_t avail = n->cp_cap - cnt - rest;

				if (avail > NETRA_NORM_DECOMP_MAX)
					avail = NETRA_NORM_DECOMP_MAX;
				r = utf8proc_decompose_char(
					c, cp + cnt, (utf8proc_ssize_t)avail,
					opts, &bound);
				if (r < 0 || r > NETRA_NORM_DECOMP_MAX) {
					/* Cannot happen for a valid code point. */
					cp[cnt] = 0xFFFD;
					r = 1;
					break;
				}
				if ((size_t)r <= avail)
					break;
				if (reserve_cp(n, cnt + (size_t)r + rest) != 0)
					return -1;
				cp = n->cp;
				cs = n->cp_s;
				ce = n->cp_e;
			}
		}
		if (r == 0) {
			/* Dropped: attach its bytes to the code point before. */
			if (cnt > 0 && ce[cnt - 1] == (uint32_t)i)
				ce[cnt - 1] = (uint32_t)(i + l);
		} else {
			size_t t;

			for (t = 0; t < (size_t)r; t++) {
				cs[cnt + t] = (uint32_t)i;
				ce[cnt + t] = (uint32_t)(i + l);
			}
			cnt += (size_t)r;
		}
		i += l;
	}
	n->cp_len = cnt;
	return 0;
}

/* 1 if cp[i] is a single-character alphanumeric token (i < cnt). */
static inline int single_token(const utf8proc_int32_t *cp, size_t cnt,
			       size_t i)
{
	return (cls_of(cp[i]) & NETRA_CL_ALNUM) != 0 &&
	       (i + 1 == cnt || (cls_of(cp[i + 1]) & NETRA_CL_ALNUM) == 0);
}

/*
 * Rule 4a: join runs of >= NETRA_NORM_SPLIT_MIN single-character
 * alphanumeric tokens separated by exactly one separator, if the run holds
 * at least one letter.  Compacts n->cp in place.
 */
static void undo_split(struct netra_norm *n)
{
	utf8proc_int32_t *cp = n->cp;
	uint32_t *cs = n->cp_s;
	uint32_t *ce = n->cp_e;
	size_t cnt = n->cp_len;
	size_t i = 0;
	size_t w = 0;
	int prev_alnum = 0;

	while (i < cnt) {
		unsigned k = cls_of(cp[i]);
		size_t j = i;
		size_t step = 1;

		if ((k & NETRA_CL_ALNUM) != 0 && !prev_alnum &&
		    single_token(cp, cnt, i)) {
			size_t tokens = 1;
			unsigned seen = k;

			while (j + 2 < cnt &&
			       (cls_of(cp[j + 1]) & NETRA_CL_SEP) != 0 &&
			       single_token(cp, cnt, j + 2)) {
				seen |= cls_of(cp[j + 2]);
				j += 2;
				tokens++;
			}
			/* Otherwise any suffix of this run is too short too. */
			if (tokens >= NETRA_NORM_SPLIT_MIN &&
			    (seen & NETRA_CL_LETTER) != 0)
				step = 2;
			prev_alnum = 1;
		} else {
			prev_alnum = (k & NETRA_CL_ALNUM) != 0;
		}
		if (w == i && step == 1) {
			/* Nothing removed so far: no copy needed. */
			w = j + 1;
		} else {
			size_t t;

			for (t = i; t <= j; t += step) {
				cp[w] = cp[t];
				cs[w] = cs[t];
				ce[w] = ce[t];
				w++;
			}
		}
		i = j + 1;
	}
	n->cp_len = w;
}

/*
 * Rule 4b: a run of ASCII digits with a letter on both sides becomes
 * letters, if every digit in it has a letter (netra_digit_letter).
 */
static void undo_digits(struct netra_norm *n)
{
	utf8proc_int32_t *cp = n->cp;
	size_t cnt = n->cp_len;
	size_t i = 0;

	while (i < cnt) {
		size_t j;
		int ok = 1;

		if ((unsigned)cp[i] - '0' >= 10u) {
			i++;
			continue;
		}
		for (j = i; j < cnt && (unsigned)cp[j] - '0' < 10u; j++) {
			if (netra_digit_letter[cp[j] - '0'] == 0)
				ok = 0;
		}
		if (ok && i > 0 && j < cnt &&
		    (cls_of(cp[i - 1]) & NETRA_CL_LETTER) != 0 &&
		    (cls_of(cp[j]) & NETRA_CL_LETTER) != 0) {
			size_t t;

			for (t = i; t < j; t++)
				cp[t] = netra_digit_letter[cp[t] - '0'];
		}
		i = j;
	}
}

/*
 * Stage C with rule 4c: encode n->cp to UTF-8 in n->out with the byte map,
 * collapsing runs of >= NETRA_NORM_REPEAT_MIN identical letters to one.
 * Returns 0, or -1 on allocation failure.
 */
static int encode_collapse(struct netra_norm *n)
{
	const utf8proc_int32_t *cp = n->cp;
	const uint32_t *cs = n->cp_s;
	const uint32_t *ce = n->cp_e;
	size_t cnt = n->cp_len;
	size_t i = 0;
	size_t o = 0;
	size_t cap;
	unsigned char *out;
	uint32_t *ms;
	uint32_t *me;

	/* Each code point adds at most 4 bytes; +1 for the NUL. */
	if (cnt > (SIZE_MAX - 1) / 4)
		return -1;
	/* Sized for one byte per code point; grows on non-ASCII output. */
	if (reserve_out(n, cnt + 1) != 0)
		return -1;
	cap = n->out_cap;
	out = (unsigned char *)n->out;
	ms = n->map_s;
	me = n->map_e;
	while (i < cnt) {
		utf8proc_int32_t c = cp[i];
		uint32_t s = cs[i];
		uint32_t e = ce[i];
		size_t j = i + 1;

		if (j + 1 < cnt && cp[j] == c && cp[j + 1] == c &&
		    (cls_of(c) & NETRA_CL_LETTER) != 0) {
			j += 2;
			while (j < cnt && cp[j] == c)
				j++;
			e = ce[j - 1];
		}
		if (o + 4 >= cap) {
			/* Room for up to 4 bytes, the rest at 1 byte, NUL. */
			if (reserve_out(n, o + (cnt - i) + 5) != 0)
				return -1;
			cap = n->out_cap;
			out = (unsigned char *)n->out;
			ms = n->map_s;
			me = n->map_e;
		}
		if (c < 0x80) {
			out[o] = (unsigned char)c;
			ms[o] = s;
			me[o] = e;
			o++;
		} else {
			utf8proc_ssize_t k = utf8proc_encode_char(c, out + o);
			utf8proc_ssize_t t;

			for (t = 0; t < k; t++) {
				ms[o] = s;
				me[o] = e;
				o++;
			}
		}
		i = j;
	}
	out[o] = '\0';
	n->out_len = o;
	return 0;
}

struct netra_norm *netra_norm_new(size_t max_bytes)
{
	struct netra_norm *n = calloc(1, sizeof *n);

	if (n == NULL)
		return NULL;
	n->max_bytes = max_bytes == 0 || max_bytes > UINT32_MAX ?
			       (size_t)UINT32_MAX :
			       max_bytes;
	if (reserve_cp(n, NETRA_NORM_CP_INIT) != 0 ||
	    reserve_out(n, NETRA_NORM_OUT_INIT) != 0)
		goto fail;
	n->out[0] = '\0';
	return n;
fail:
	netra_norm_destroy(&n);
	return NULL;
}

void netra_norm_destroy(struct netra_norm **n)
{
	if (n == NULL || *n == NULL)
		return;
	free((*n)->cp);
	free((*n)->cp_s);
	free((*n)->cp_e);
	free((*n)->out);
	free((*n)->map_s);
	free((*n)->map_e);
	free(*n);
	*n = NULL;
}

int netra_norm_run(struct netra_norm *n, const char *in, size_t len)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t lim = len;

	assert(n != NULL);
	assert(in != NULL || len == 0);
	n->truncated = 0;
	if (lim > n->max_bytes) {
		lim = cut_boundary(p, len, n->max_bytes);
		n->truncated = 1;
	}
	n->in_len = lim;
	if (decode_fold(n, p, lim) != 0)
		goto fail;
	undo_split(n);
	undo_digits(n);
	if (encode_collapse(n) != 0)
		goto fail;
	return 0;
fail:
	n->cp_len = 0;
	n->out_len = 0;
	n->out[0] = '\0';
	return -1;
}

const char *netra_norm_text(const struct netra_norm *n)
{
	assert(n != NULL);
	return n->out;
}

size_t netra_norm_len(const struct netra_norm *n)
{
	assert(n != NULL);
	return n->out_len;
}

int netra_norm_truncated(const struct netra_norm *n)
{
	assert(n != NULL);
	return n->truncated;
}

size_t netra_norm_input_len(const struct netra_norm *n)
{
	assert(n != NULL);
	return n->in_len;
}

void netra_norm_map(const struct netra_norm *n, size_t start, size_t end,
		    size_t *ostart, size_t *oend)
{
	assert(n != NULL && ostart != NULL && oend != NULL);
	assert(start < end && end <= n->out_len);
	*ostart = n->map_s[start];
	*oend = n->map_e[end - 1];
}

char *netra_norm_string(const char *in, size_t len)
{
	struct netra_norm *n = netra_norm_new(0);
	char *res = NULL;

	if (n == NULL)
		return NULL;
	if (netra_norm_run(n, in, len) != 0)
		goto cleanup;
	res = malloc(n->out_len + 1);
	if (res == NULL)
		goto cleanup;
	memcpy(res, n->out, n->out_len + 1);
cleanup:
	netra_norm_destroy(&n);
	return res;
}
