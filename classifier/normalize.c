/*
 * normalize.c - text normalisation with an offset map (see normalize.h).
 *
 * Fast path (run_fast): text that is ASCII, or whose non-ASCII code points
 * need no Unicode work (emoji, symbols, dropped selectors and joiners), and
 * on which rule 4a cannot apply (most posts), is folded and rewritten by
 * rule 4b in one pass over its bytes, then collapsed in place in a second.
 * For ASCII the map is kept as the few places where a run collapsed
 * (jumps[]); otherwise byte by byte.  Everything else takes the general
 * path, three stages over reusable buffers:
 *  A. decode + fold: input bytes -> code points (cp[]), each with the
 *     half-open source byte range it came from (cp_s[], cp_e[]).  ASCII is
 *     folded by table; only non-ASCII code points go through utf8proc.
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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Initial capacity of the code point buffers, in code points. */
#define NETRA_NORM_CP_INIT 256u
/* Initial capacity of the output buffers, in bytes. */
#define NETRA_NORM_OUT_INIT 512u
/* Largest decomposition accepted for one code point (utf8proc max is 18). */
#define NETRA_NORM_DECOMP_MAX 64
/* Minimum number of single-character tokens joined by dodge rule 4a when
 * spaces separate them ("c o b l o s"); ordinary text has runs of three
 * ("a b c"), but rarely four. */
#define NETRA_NORM_SPLIT_MIN 4u
/* ... and when dots, dashes, underscores or stars do ("d.u.a", "p-i-l-i-h"),
 * which ordinary text only does for two-letter abbreviations ("a.n."). */
#define NETRA_NORM_SPLIT_MIN_PUNCT 3u
/* Minimum run of identical letters collapsed by dodge rule 4c. */
#define NETRA_NORM_REPEAT_MIN 3u
/* Zero bytes kept after the fast path's text, for look-ahead and 16-byte loads. */
#define NETRA_NORM_PAD 32u
/* Zero code points kept after the last one so look-ahead needs no check. */
#define NETRA_NORM_SENTINELS 2u
/* Largest input used per run, so offsets and sizes fit in uint32_t. */
#define NETRA_NORM_MAX_INPUT ((size_t)UINT32_MAX - 64u)

/* On the ASCII path output byte o came from input byte o + shift, where the
 * shift grows only where rule 4c collapsed a run: such an output byte is a
 * jump, from input bytes [s, e). Between jumps the map is that shift. */
struct norm_jump {
	uint32_t o; /* output byte */
	uint32_t s; /* its first input byte */
	uint32_t e; /* one past its last input byte */
};

/* Character classes used by the dodge rules. */
enum netra_norm_class {
	NETRA_CL_LETTER = 1u, /* ASCII letter or Unicode category L* */
	NETRA_CL_DIGIT = 2u,  /* ASCII digit 0-9 */
	NETRA_CL_NUM = 4u,    /* non-ASCII decimal digit (category Nd) */
	NETRA_CL_SEP = 8u,    /* one of ' ' '.' '-' '_' '*' */
	NETRA_CL_ALNUM_ANY = 16u /* set with any of the three above (ASCII) */
};

/* Letter, ASCII digit or other decimal digit. */
#define NETRA_CL_ALNUM (NETRA_CL_LETTER | NETRA_CL_DIGIT | NETRA_CL_NUM)

struct netra_norm {
	size_t max_bytes;     /* input limit, at most NETRA_NORM_MAX_INPUT */
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
	int sparse;           /* 1: the map is jumps[] (ASCII path), not map_s/map_e */
	struct norm_jump *jumps; /* ASCII path: output bytes that took more than one input byte */
	size_t njumps;        /* entries of jumps in use */
	size_t jumps_cap;     /* capacity of jumps */
	size_t in_len;        /* input bytes used by the last run */
	int truncated;        /* 1 if the last input was cut at max_bytes */
};

/* Shorter names for the class bits in netra_ascii_class. */
#define L (NETRA_CL_LETTER | NETRA_CL_ALNUM_ANY)
#define D (NETRA_CL_DIGIT | NETRA_CL_ALNUM_ANY)
#define S NETRA_CL_SEP

/* Class bits of each byte value; bytes >= 0x80 (and 0x80 itself) are 0. */
static const unsigned char netra_ascii_class[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	S, 0, 0, 0, 0, 0, 0, 0, 0, 0, S, 0, 0, S, S, 0,
	D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
	0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, S,
	0, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L,
	L, L, L, L, L, L, L, L, L, L, L, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

#undef L
#undef D
#undef S

/*
 * Byte folding: A-Z to a-z, NUL to space, other ASCII unchanged, every
 * byte >= 0x80 to 0x80 (the marker for "not ASCII").
 */
static const unsigned char netra_ascii_fold[256] = {
	0x20, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
	0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
	0x40, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
	0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67,
	0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
	0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77,
	0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
};

/* Letter each digit stands for in dodge rule 4b; 0 means "no letter". */
static const char netra_digit_letter[10] = {
	'o', 'i', 0, 'e', 'a', 's', 'g', 't', 'b', 'g'
};

/* Class bits (enum netra_norm_class) of one code point. */
static inline unsigned cls_of(utf8proc_int32_t c)
{
	if (c < 0x80)
		return netra_ascii_class[c];
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

/* Bytes of a word (ASCII only) within [lo, hi], as 0x80 in each such byte. */
static inline uint64_t swar_in(uint64_t w, unsigned lo, unsigned hi)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	const uint64_t high = UINT64_C(0x8080808080808080);
	uint64_t ge = (w + ones * (0x80u - lo)) & high;
	uint64_t gt = (w + ones * (0x7Fu - hi)) & high;

	return ge & ~gt;
}

/* Eight ASCII bytes folded: A-Z to a-z, NUL to space, the rest as they are
 * (netra_ascii_fold for bytes other than digits). */
static inline uint64_t fold8(uint64_t w)
{
	const uint64_t high = UINT64_C(0x8080808080808080);
	const uint64_t low7 = UINT64_C(0x7F7F7F7F7F7F7F7F);
	uint64_t nonzero = ((w & low7) + low7) | w;

	w |= swar_in(w, 'A', 'Z') >> 2;
	return w | (~nonzero & high) >> 2;
}

/* Record that output byte o came from input bytes [s, e), e > s + 1.
 * Returns 0, or -1 on allocation failure. */
static int add_jump(struct netra_norm *n, size_t o, size_t s, size_t e)
{
	if (n->njumps == n->jumps_cap) {
		size_t cap = n->jumps_cap ? n->jumps_cap * 2 : 16;
		void *p = realloc(n->jumps, cap * sizeof *n->jumps);
		if (p == NULL)
			return -1;
		n->jumps = p;
		n->jumps_cap = cap;
	}
	n->jumps[n->njumps++] = (struct norm_jump){(uint32_t)o, (uint32_t)s, (uint32_t)e};
	return 0;
}

/*
 * Rule 4b on the digit run starting at p[i] (after a letter): writes the run
 * to b[k...] as letters when every digit stands for one and a letter
 * follows, else as digits. Returns the end of the run in p; *prev_k is the
 * class the run ends with.
 */
static inline size_t digit_run(const unsigned char *p, size_t i, size_t lim, unsigned char *b,
			       size_t k, unsigned *prev_k)
{
	size_t t = i;
	int ok = 1;

	for (; t < lim && p[t] - (unsigned)'0' < 10u; t++) {
		if (netra_digit_letter[p[t] - '0'] == 0)
			ok = 0;
	}
	ok = ok && t < lim && (netra_ascii_class[netra_ascii_fold[p[t]]] & NETRA_CL_LETTER) != 0;
	for (; i < t; i++, k++)
		b[k] = ok ? (unsigned char)netra_digit_letter[p[i] - '0'] : p[i];
	*prev_k = ok ? NETRA_CL_LETTER : NETRA_CL_DIGIT;
	return t;
}

/*
 * Fast path, pass 1 for ASCII input: fold into b[0..lim) (a word at a time
 * where the word holds no digit) and apply rule 4b to each run of digits
 * after a letter ("c0bl0s", links and handles such as "P4P4B0W0"). Byte k
 * of b comes from input byte k.
 */
static void fold_ascii(const unsigned char *p, size_t lim, unsigned char *b)
{
	size_t i = 0;
	unsigned prev_k = 0; /* class of b[i - 1]; start of text is class 0 */
	unsigned c;

	while (i < lim) {
		if (i + 8 <= lim) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (swar_in(w, '0', '9') == 0) {
				/* No digit: rule 4b has nothing to do. */
				w = fold8(w);
				memcpy(b + i, &w, 8);
				i += 8;
				prev_k = netra_ascii_class[b[i - 1]];
				continue;
			}
		}
		c = netra_ascii_fold[p[i]];
		if ((netra_ascii_class[c] & NETRA_CL_DIGIT) != 0 && (prev_k & NETRA_CL_LETTER) != 0) {
			i = digit_run(p, i, lim, b, i, &prev_k);
			continue;
		}
		b[i] = (unsigned char)c;
		prev_k = netra_ascii_class[c];
		i++;
	}
}

/*
 * Fast path, pass 1 for input with non-ASCII text that needs no Unicode
 * work: what fold_ascii() does, with each byte's source range in bs[] and
 * be[] as the general path gives it. Code points that rule 3 drops
 * (variation selectors, skin tones, joiners) are dropped, their bytes going
 * to the code point before; other non-ASCII code points are kept as they
 * are when they are neither letters nor digits and normalisation leaves
 * them unchanged (emoji, most symbols and punctuation). Anything else (a
 * letter such as "é", "…", invalid UTF-8) gives up: returns 0. Else
 * returns 1 and the length of b in *blen.
 */
static int fold_mixed(const unsigned char *p, size_t lim, unsigned char *b, uint32_t *bs,
		      uint32_t *be, size_t *blen)
{
	const utf8proc_option_t opts = (utf8proc_option_t)(
		UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
		UTF8PROC_DECOMPOSE | UTF8PROC_IGNORE);
	size_t i = 0;
	size_t k = 0;
	unsigned prev_k = 0;

	while (i < lim) {
		unsigned x = p[i];
		utf8proc_int32_t c;
		utf8proc_int32_t d[4];
		int bound = 0;
		size_t l;

		if (x < 0x80u) {
			unsigned f;
			if (i + 8 <= lim) {
				/* Eight ASCII bytes and no digit: folded as
				 * fold_ascii() does, each from its own byte. */
				uint64_t w;
				memcpy(&w, p + i, 8);
				if ((w & UINT64_C(0x8080808080808080)) == 0 && swar_in(w, '0', '9') == 0) {
					w = fold8(w);
					memcpy(b + k, &w, 8);
					for (size_t t = 0; t < 8; t++) {
						bs[k + t] = (uint32_t)(i + t);
						be[k + t] = (uint32_t)(i + t + 1);
					}
					prev_k = netra_ascii_class[b[k + 7]];
					k += 8;
					i += 8;
					continue;
				}
			}
			f = netra_ascii_fold[x];
			if ((netra_ascii_class[f] & NETRA_CL_DIGIT) != 0 && (prev_k & NETRA_CL_LETTER) != 0) {
				size_t t = digit_run(p, i, lim, b, k, &prev_k);
				/* A dropped code point right after the run would
				 * hide the letter behind it: leave that to the
				 * general path. */
				if (t < lim && p[t] >= 0x80u)
					return 0;
				for (; i < t; i++, k++) {
					bs[k] = (uint32_t)i;
					be[k] = (uint32_t)(i + 1);
				}
				continue;
			}
			b[k] = (unsigned char)f;
			bs[k] = (uint32_t)i;
			be[k] = (uint32_t)(i + 1);
			prev_k = netra_ascii_class[f];
			k++;
			i++;
			continue;
		}
		l = utf8_decode(p + i, lim - i, &c);
		if (l == 0)
			return 0;
		if (is_dropped(c)) {
			/* Its bytes go to the code point before, if adjacent. */
			for (size_t t = k; t > 0 && be[t - 1] == (uint32_t)i; t--)
				be[t - 1] = (uint32_t)(i + l);
			i += l;
			continue;
		}
		if (cls_of(c) != 0 || (c >= 0xAC00 && c <= 0xD7A3) ||
		    utf8proc_decompose_char(c, d, 4, opts, &bound) != 1 || d[0] != c)
			return 0;
		for (size_t t = 0; t < l; t++, k++) {
			b[k] = p[i + t];
			bs[k] = (uint32_t)i;
			be[k] = (uint32_t)(i + l);
		}
		prev_k = 0;
		i += l;
	}
	*blen = k;
	return 1;
}

/* Rule 4a may apply at b[i] (class k, the byte before it of class prev_k):
 * a one-character token, a separator, another one-character token. The
 * zero bytes after the text are class 0. */
static inline int split_ahead(const unsigned char *b, size_t i, unsigned prev_k, unsigned k)
{
	return (k & ~prev_k & NETRA_CL_ALNUM_ANY) != 0 &&
	       (netra_ascii_class[b[i + 1]] & NETRA_CL_SEP) != 0 &&
	       (netra_ascii_class[b[i + 2]] & NETRA_CL_ALNUM) != 0 &&
	       (netra_ascii_class[b[i + 3]] & NETRA_CL_ALNUM) == 0;
}

#if !defined(__SSE2__) || !defined(NDEBUG)
/*
 * The fast path's first look over folded bytes b[0..blen) (NETRA_NORM_PAD
 * zero bytes after them), a byte at a time. Returns 0 if rule 4a may apply
 * before the first run of three identical letters, else 1 with *at that
 * run (blen if none).
 */
static int look_scalar(const unsigned char *b, size_t blen, size_t *at)
{
	unsigned prev_k = 0;
	unsigned k = netra_ascii_class[b[0]];

	for (size_t i = 0; i < blen; i++) {
		unsigned nk = netra_ascii_class[b[i + 1]];
		if (split_ahead(b, i, prev_k, k))
			return 0;
		if (b[i + 1] == b[i] && (k & NETRA_CL_LETTER) != 0 && b[i + 2] == b[i]) {
			*at = i;
			return 1;
		}
		prev_k = k;
		k = nk;
	}
	*at = blen;
	return 1;
}
#endif

#if defined(__SSE2__)
/* Bit k set where byte k of v is in [lo, hi] (ASCII; bytes >= 0x80 never). */
static inline unsigned in_range16(__m128i v, char lo, char hi)
{
	__m128i ge = _mm_cmpgt_epi8(v, _mm_set1_epi8((char)(lo - 1)));
	__m128i le = _mm_cmplt_epi8(v, _mm_set1_epi8((char)(hi + 1)));

	return (unsigned)_mm_movemask_epi8(_mm_and_si128(ge, le));
}

/* Bit k set where byte k of v is a separator of rule 4a. */
static inline unsigned sep16(__m128i v)
{
	__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
				 _mm_cmpeq_epi8(v, _mm_set1_epi8('.')));

	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
	m = _mm_or_si128(m, _mm_cmpeq_epi8(v, _mm_set1_epi8('*')));
	return (unsigned)_mm_movemask_epi8(m);
}

static inline __m128i load16(const unsigned char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* Letters, letters and digits, and separators of rule 4a among the 16
 * bytes at p, as bit masks. */
static inline void masks16(const unsigned char *p, unsigned *letter, unsigned *alnum, unsigned *sep)
{
	__m128i v = load16(p);

	*letter = in_range16(v, 'a', 'z');
	*alnum = *letter | in_range16(v, '0', '9');
	*sep = sep16(v);
}

/*
 * look_scalar(), 16 bytes at a time. It also notes rule 4a in the rest of
 * the block where the run of three is (the collapsing pass would find it
 * there anyway), so it may give up where look_scalar() does not yet. Each
 * block's masks are worked out once; the tests one to three bytes on take
 * theirs from this block's and the next one's.
 */
static int look_sse2(const unsigned char *b, size_t blen, size_t *at)
{
	unsigned carry = 0; /* b[i - 1] is a letter or digit */
	unsigned l0;
	unsigned a0;
	unsigned s0;

	masks16(b, &l0, &a0, &s0);
	for (size_t i = 0; i < blen; i += 16) {
		unsigned l16;
		unsigned a16;
		unsigned s16;
		unsigned valid = blen - i >= 16 ? 0xFFFFu : (1u << (blen - i)) - 1u;
		unsigned three;

		masks16(b + i + 16, &l16, &a16, &s16);
		{
			uint32_t a = a0 | (uint32_t)a16 << 16;
			uint32_t sp = s0 | (uint32_t)s16 << 16;
			unsigned prev = ((a0 << 1) | carry) & 0xFFFFu;
			if ((a0 & ~prev & (sp >> 1) & (a >> 2) & ~(a >> 3) & valid) != 0)
				return 0;
		}
		three = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			_mm_cmpeq_epi8(load16(b + i), load16(b + i + 1)),
			_mm_cmpeq_epi8(load16(b + i), load16(b + i + 2))));
		three &= l0 & valid;
		if (three != 0) {
			*at = i + (size_t)__builtin_ctz(three);
			return 1;
		}
		carry = (a0 >> 15) & 1u;
		l0 = l16;
		a0 = a16;
		s0 = s16;
	}
	*at = blen;
	return 1;
}
#endif

/* The first look (look_scalar's contract), by SSE2 where there is SSE2;
 * debug builds check it against the scalar loop. */
static int look_bytes(const unsigned char *b, size_t blen, size_t *at)
{
#if defined(__SSE2__)
	int r = look_sse2(b, blen, at);
#ifndef NDEBUG
	size_t at_scalar;
	int r_scalar = look_scalar(b, blen, &at_scalar);
	assert(r_scalar == 1 || r == 0);
	assert(r == 0 || (r_scalar == 1 && at_scalar == *at));
#endif
	return r;
#else
	return look_scalar(b, blen, at);
#endif
}

/*
 * Fast path, pass 2: rule 4a check and rule 4c on b[0..blen) (zero bytes
 * after it), in place: output never overtakes input. With bs and
 * be (the mixed path) the byte map is rewritten in place too; without them
 * (ASCII, byte k from input byte k) the places where a run collapsed are
 * kept as jumps[]. Gives up (returns 0) on two single-character tokens
 * around one separator, where rule 4a may apply; without that, rule 4a
 * changes nothing and the result equals the general path's. Returns 1
 * when done, -1 on allocation failure.
 */
static inline __attribute__((always_inline)) int
collapse_bytes(struct netra_norm *n, unsigned char *b, size_t blen, uint32_t *bs, uint32_t *be)
{
	size_t i = 0;
	size_t o;
	unsigned prev_k = 0;
	unsigned c = b[0];
	unsigned k = netra_ascii_class[c];

	n->njumps = 0;
	/* Most text has nothing to collapse: first only look, up to the
	 * first run of three; output and input are the same up to there. */
	if (!look_bytes(b, blen, &i))
		return 0;
	if (i < blen) {
		prev_k = i > 0 ? netra_ascii_class[b[i - 1]] : 0;
		c = b[i];
		k = netra_ascii_class[c];
	}
	/* From there on, collapse and move down. */
	o = i;
	while (i < blen) {
		size_t j = i + 1;
		unsigned nc = b[j];
		unsigned nk = netra_ascii_class[nc];

		if (split_ahead(b, i, prev_k, k))
			return 0;
		if (nc == c && (k & NETRA_CL_LETTER) != 0 && j + 1 < blen && b[j + 1] == c) {
			size_t r = j + 2;
			while (r < blen && b[r] == c)
				r++;
			if ((prev_k & NETRA_CL_ALNUM_ANY) == 0 &&
			    (netra_ascii_class[b[r]] & NETRA_CL_ALNUM_ANY) == 0) {
				/* A whole word of one letter ("PPP") is kept. */
				for (; i + 1 < r; i++) {
					if (bs != NULL) {
						bs[o] = bs[i];
						be[o] = be[i];
					}
					b[o++] = (unsigned char)c;
				}
				j = i + 1;
			} else {
				j = r;
				if (bs == NULL && add_jump(n, o, i, j) != 0)
					return -1;
			}
			nc = b[j];
			nk = netra_ascii_class[nc];
		}
		if (bs != NULL) {
			bs[o] = bs[i];
			be[o] = be[j - 1];
		}
		b[o++] = (unsigned char)c;
		prev_k = k;
		c = nc;
		k = nk;
		i = j;
	}
	b[o] = '\0';
	n->out_len = o;
	n->sparse = bs == NULL;
	n->cp_len = 0;
	n->cp[0] = 0;
	n->cp[1] = 0;
	return 1;
}

/*
 * The fast path: text that is ASCII, or whose non-ASCII code points need no
 * Unicode work (fold_mixed), normalised in out[] in two passes over bytes.
 * Returns 1 when done, 0 to give up (the general path runs), -1 on
 * allocation failure.
 */
static int run_fast(struct netra_norm *n, const unsigned char *p, size_t lim, int ascii)
{
	size_t blen = lim;

	if (lim > SIZE_MAX - NETRA_NORM_PAD || reserve_out(n, lim + NETRA_NORM_PAD) != 0)
		return -1;
	if (ascii) {
		fold_ascii(p, lim, (unsigned char *)n->out);
	} else if (!fold_mixed(p, lim, (unsigned char *)n->out, n->map_s, n->map_e, &blen)) {
		return 0;
	}
	/* Zero bytes (class 0) past the end: sentinels, and room to load. */
	memset(n->out + blen, 0, NETRA_NORM_PAD);
	if (ascii)
		return collapse_bytes(n, (unsigned char *)n->out, blen, NULL, NULL);
	return collapse_bytes(n, (unsigned char *)n->out, blen, n->map_s, n->map_e);
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

	/*
	 * Invariant: n->cp_cap - cnt >= lim - i + NETRA_NORM_SENTINELS, so
	 * 1:1 pushes and the sentinels need no check.
	 */
	if (lim > SIZE_MAX - NETRA_NORM_SENTINELS ||
	    reserve_cp(n, lim + NETRA_NORM_SENTINELS) != 0)
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
			cp[cnt] = netra_ascii_fold[b];
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
				size_t avail = n->cp_cap - cnt - rest -
					       NETRA_NORM_SENTINELS;

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
				/* r <= NETRA_NORM_DECOMP_MAX here. */
				if (cnt > SIZE_MAX - NETRA_NORM_DECOMP_MAX -
						  NETRA_NORM_SENTINELS - rest ||
				    reserve_cp(n, cnt + (size_t)r + rest +
							  NETRA_NORM_SENTINELS) != 0)
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
	cp[cnt] = 0;
	cp[cnt + 1] = 0;
	return 0;
}

/* 1 if code point c is alphanumeric, else 0. */
static inline unsigned alnum01(utf8proc_int32_t c)
{
	return (cls_of(c) & NETRA_CL_ALNUM) != 0;
}

/*
 * 1 if cp[i] is a single-character alphanumeric token, given that cp[i-1]
 * is not alphanumeric.  cp[i + 1] must exist (a sentinel at the end).
 */
static inline int single_token(const utf8proc_int32_t *cp, size_t i)
{
	return alnum01(cp[i]) && !alnum01(cp[i + 1]);
}

/* Open run of digits while undo_split writes its output (rule 4b). */
struct netra_digit_run {
	size_t start; /* output index of the run's first digit */
	int open;     /* 1 while the last code point written was a digit */
	int ok;       /* 1 if a letter precedes and every digit has a letter */
};

/*
 * Write element src to output index w (w <= src) and apply rule 4b: when a
 * letter follows a run of digits that may become letters, the run is
 * rewritten, so rule 4b sees the text after rule 4a joined it.
 */
static inline void emit_cp(utf8proc_int32_t *cp, uint32_t *cs, uint32_t *ce,
			   size_t w, size_t src, struct netra_digit_run *d)
{
	utf8proc_int32_t c = cp[src];

	cp[w] = c;
	cs[w] = cs[src];
	ce[w] = ce[src];
	if ((unsigned)c - '0' < 10u) {
		if (!d->open) {
			d->open = 1;
			d->start = w;
			d->ok = w > 0 &&
				(cls_of(cp[w - 1]) & NETRA_CL_LETTER) != 0;
		}
		if (netra_digit_letter[c - '0'] == 0)
			d->ok = 0;
	} else if (d->open) {
		if (d->ok && (cls_of(c) & NETRA_CL_LETTER) != 0) {
			size_t t;

			for (t = d->start; t < w; t++)
				cp[t] = netra_digit_letter[cp[t] - '0'];
		}
		d->open = 0;
	}
}

/*
 * Stage B, rules 4a and 4b.  4a: join runs of >= NETRA_NORM_SPLIT_MIN
 * single-character alphanumeric tokens separated by exactly one separator,
 * if the run holds at least one letter.  4b: a run of digits with a letter
 * on both sides, all of which stand for letters, becomes letters.
 * Compacts n->cp in place and renews the two sentinels.
 */
static void undo_split_digits(struct netra_norm *n)
{
	utf8proc_int32_t *cp = n->cp;
	uint32_t *cs = n->cp_s;
	uint32_t *ce = n->cp_e;
	size_t cnt = n->cp_len;
	size_t i = 0;
	size_t w = 0;
	struct netra_digit_run d = { 0, 0, 0 };
	unsigned prev = 0;           /* cp[i - 1] is alphanumeric */
	unsigned cur = alnum01(cp[0]); /* cp[i] is alphanumeric */

	while (i < cnt) {
		unsigned next = alnum01(cp[i + 1]);

		if ((cur & ~(prev | next)) != 0) {
			/* cp[i] is a single-character token: find the run. */
			size_t j = i;
			size_t tokens = 1;
			size_t step = 1;
			unsigned seen = cls_of(cp[i]);
			utf8proc_int32_t sep = cp[i + 1];
			size_t t;

			/* One run keeps one separator: in "p.i.l.i.h n.o.m.o.r"
			 * the space between two dotted words ends the first. */
			while (j + 2 < cnt &&
			       (cls_of(cp[j + 1]) & NETRA_CL_SEP) != 0 && cp[j + 1] == sep &&
			       single_token(cp, j + 2)) {
				seen |= cls_of(cp[j + 2]);
				j += 2;
				tokens++;
			}
			/* Otherwise any suffix of this run is too short too. */
			if (tokens >= (sep == ' ' ? NETRA_NORM_SPLIT_MIN : NETRA_NORM_SPLIT_MIN_PUNCT) &&
			    (seen & NETRA_CL_LETTER) != 0)
				step = 2;
			for (t = i; t <= j; t += step)
				emit_cp(cp, cs, ce, w++, t, &d);
			i = j + 1;
			prev = 1;
			cur = alnum01(cp[i]);
			continue;
		}
		emit_cp(cp, cs, ce, w++, i, &d);
		prev = cur;
		cur = next;
		i++;
	}
	n->cp_len = w;
	cp[w] = 0;
	cp[w + 1] = 0;
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
	size_t kept = 0; /* code points before this are in a kept word */
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

		/* cp[cnt] and cp[cnt + 1] are sentinels, never equal to c. */
		if (i >= kept && cp[j] == c && cp[j + 1] == c &&
		    (cls_of(c) & NETRA_CL_LETTER) != 0) {
			size_t r = j + 2;
			while (cp[r] == c)
				r++;
			if ((i > 0 && (cls_of(cp[i - 1]) & NETRA_CL_ALNUM) != 0) ||
			    (cls_of(cp[r]) & NETRA_CL_ALNUM) != 0) {
				j = r;
				e = ce[j - 1];
			} else {
				kept = r; /* a whole word of one letter ("PPP") is kept */
			}
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
	n->sparse = 0;
	return 0;
}

struct netra_norm *netra_norm_new(size_t max_bytes)
{
	struct netra_norm *n = calloc(1, sizeof *n);

	if (n == NULL)
		return NULL;
	n->max_bytes = max_bytes == 0 || max_bytes > NETRA_NORM_MAX_INPUT ?
			       NETRA_NORM_MAX_INPUT :
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
	free((*n)->jumps);
	free(*n);
	*n = NULL;
}

/* 1 if p[0..len) is all ASCII, checked a word at a time. */
static int all_ascii(const unsigned char *p, size_t len)
{
	size_t i = 0;
	uint64_t acc = 0;

	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= p[i];
	return (acc & UINT64_C(0x8080808080808080)) == 0;
}

/* A run; fast: whether the fast path may be tried first. */
static int run(struct netra_norm *n, const char *in, size_t len, int fast)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t lim = len;
	int rc;

	assert(n != NULL);
	assert(in != NULL || len == 0);
	n->truncated = 0;
	if (lim > n->max_bytes) {
		lim = cut_boundary(p, len, n->max_bytes);
		n->truncated = 1;
	}
	n->in_len = lim;
	rc = fast ? run_fast(n, p, lim, all_ascii(p, lim)) : 0;
	if (rc < 0)
		goto fail;
	if (rc > 0)
		return 0;
	if (decode_fold(n, p, lim) != 0)
		goto fail;
	undo_split_digits(n);
	if (encode_collapse(n) != 0)
		goto fail;
	return 0;
fail:
	n->cp_len = 0;
	n->cp[0] = 0;
	n->cp[1] = 0;
	n->out_len = 0;
	n->out[0] = '\0';
	n->sparse = 1;
	n->njumps = 0;
	return -1;
}

int netra_norm_run(struct netra_norm *n, const char *in, size_t len)
{
	return run(n, in, len, 1);
}

int netra_norm_run_general(struct netra_norm *n, const char *in, size_t len)
{
	return run(n, in, len, 0);
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

/* Input bytes [*s, *e) of output byte o, on the ASCII path's map. */
static void jump_map(const struct netra_norm *n, size_t o, size_t *s, size_t *e)
{
	size_t lo = 0;
	size_t hi = n->njumps;

	/* The last jump at or before o. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (n->jumps[mid].o <= o)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0) {
		*s = o;
		*e = o + 1;
	} else if (n->jumps[lo - 1].o == o) {
		*s = n->jumps[lo - 1].s;
		*e = n->jumps[lo - 1].e;
	} else {
		*s = o + (n->jumps[lo - 1].e - n->jumps[lo - 1].o - 1);
		*e = *s + 1;
	}
}

void netra_norm_map(const struct netra_norm *n, size_t start, size_t end,
		    size_t *ostart, size_t *oend)
{
	size_t unused;

	assert(n != NULL && ostart != NULL && oend != NULL);
	assert(start < end && end <= n->out_len);
	if (n->sparse) {
		jump_map(n, start, ostart, &unused);
		jump_map(n, end - 1, &unused, oend);
		return;
	}
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
