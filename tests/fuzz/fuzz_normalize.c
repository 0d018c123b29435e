/*
 * fuzz_normalize.c - libFuzzer harness for classifier/normalize.c.
 *
 * Invariants checked on every input:
 *  - netra_norm_run succeeds; the text is NUL-terminated, has no embedded
 *    NUL and is valid UTF-8 (strict RFC 3629, checked independently here);
 *  - every output byte maps to a non-empty source range inside the input
 *    bytes used, both map ends are non-decreasing, and all bytes of one
 *    output code point share the same range;
 *  - with a byte limit, the cut is <= the limit, at most 3 bytes before it,
 *    never splits a well-formed UTF-8 sequence, and the truncated flag is
 *    consistent;
 *  - netra_norm_string gives the same text as an unlimited run;
 *  - the fast path (ASCII text, or text whose non-ASCII code points need no
 *    Unicode work) agrees with the general path (netra_norm_run_general):
 *    same text and same map, byte by byte.
 *
 * Build: clang -g -fsanitize=fuzzer,address,undefined -I. \
 *   classifier/normalize.c tests/fuzz/fuzz_normalize.c \
 *   $(pkg-config --cflags --libs libutf8proc)
 */
#include "classifier/normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with a message when an invariant does not hold. */
#define FUZZ_CHECK(cond)                                                    \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",    \
				__FILE__, __LINE__, #cond);                 \
			abort();                                            \
		}                                                           \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Length of the well-formed UTF-8 sequence at p[0..avail), or 0 if it is
 * not well-formed.
 */
static size_t utf8_seq_len(const unsigned char *p, size_t avail)
{
	unsigned char b = p[0];
	size_t need;
	size_t k;
	unsigned char lo = 0x80;
	unsigned char hi = 0xBF;

	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		need = 2;
	else if (b >= 0xE0 && b <= 0xEF)
		need = 3;
	else if (b >= 0xF0 && b <= 0xF4)
		need = 4;
	else
		return 0;
	if (avail < need)
		return 0;
	if (b == 0xE0)
		lo = 0xA0;
	else if (b == 0xED)
		hi = 0x9F;
	else if (b == 0xF0)
		lo = 0x90;
	else if (b == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (k = 2; k < need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
	}
	return need;
}

/* Check every invariant of the last run of n over an input of size bytes. */
static void check_result(const struct netra_norm *n, size_t size)
{
	const unsigned char *t = (const unsigned char *)netra_norm_text(n);
	size_t len = netra_norm_len(n);
	size_t used = netra_norm_input_len(n);
	size_t i = 0;
	size_t ps = 0;
	size_t pe = 0;

	FUZZ_CHECK(t != NULL);
	FUZZ_CHECK(t[len] == '\0');
	FUZZ_CHECK(strlen((const char *)t) == len);
	FUZZ_CHECK(used <= size);
	while (i < len) {
		size_t l = utf8_seq_len(t + i, len - i);
		size_t s;
		size_t e;
		size_t k;

		FUZZ_CHECK(l != 0);
		netra_norm_map(n, i, i + 1, &s, &e);
		FUZZ_CHECK(s < e);
		FUZZ_CHECK(e <= used);
		FUZZ_CHECK(s >= ps);
		FUZZ_CHECK(e >= pe);
		for (k = 1; k < l; k++) {
			size_t s2;
			size_t e2;

			netra_norm_map(n, i + k, i + k + 1, &s2, &e2);
			FUZZ_CHECK(s2 == s && e2 == e);
		}
		ps = s;
		pe = e;
		i += l;
	}
	if (len > 0) {
		size_t s;
		size_t e;

		netra_norm_map(n, 0, len, &s, &e);
		FUZZ_CHECK(s < e && e <= used);
	}
}

/*
 * Check that a cut at used bytes (limit max) of data[0..size) lies on a
 * boundary of the decoding (bad bytes count as one-byte units) and that the
 * unit starting at used would not have fitted within max.
 */
static void check_cut(const unsigned char *data, size_t size, size_t used,
		      size_t max)
{
	size_t i = 0;
	size_t l;

	while (i < used) {
		l = utf8_seq_len(data + i, size - i);
		i += l != 0 ? l : 1;
	}
	FUZZ_CHECK(i == used);
	if (used < size) {
		l = utf8_seq_len(data + used, size - used);
		FUZZ_CHECK(used + (l != 0 ? l : 1) > max);
	}
}

/*
 * Compare the result of data[0..size) in a (already run, fast path allowed)
 * with the general path's on the same input, in b: same text, same map.
 */
static void check_fast_path(const struct netra_norm *a, struct netra_norm *b,
			    const uint8_t *data, size_t size)
{
	size_t len = netra_norm_len(a);
	size_t i;

	FUZZ_CHECK(netra_norm_run_general(b, (const char *)data, size) == 0);
	FUZZ_CHECK(netra_norm_len(b) == len);
	FUZZ_CHECK(memcmp(netra_norm_text(a), netra_norm_text(b), len) == 0);
	for (i = 0; i < len; i++) {
		size_t s1;
		size_t e1;
		size_t s2;
		size_t e2;

		netra_norm_map(a, i, i + 1, &s1, &e1);
		netra_norm_map(b, i, i + 1, &s2, &e2);
		FUZZ_CHECK(s1 == s2 && e1 == e2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Reused across inputs to exercise buffer reuse. */
	static struct netra_norm *unlimited;
	static struct netra_norm *other;
	static struct netra_norm *limited[64];
	struct netra_norm *lim;
	size_t max;
	char *copy;

	if (unlimited == NULL) {
		unlimited = netra_norm_new(0);
		FUZZ_CHECK(unlimited != NULL);
	}
	FUZZ_CHECK(netra_norm_run(unlimited, (const char *)data, size) == 0);
	FUZZ_CHECK(netra_norm_truncated(unlimited) == 0);
	FUZZ_CHECK(netra_norm_input_len(unlimited) == size);
	check_result(unlimited, size);

	if (other == NULL) {
		other = netra_norm_new(0);
		FUZZ_CHECK(other != NULL);
	}
	check_fast_path(unlimited, other, data, size);

	copy = netra_norm_string((const char *)data, size);
	FUZZ_CHECK(copy != NULL);
	FUZZ_CHECK(strcmp(copy, netra_norm_text(unlimited)) == 0);
	free(copy);

	max = size > 0 ? 1u + (size_t)(data[0] % 64u) : 1u;
	if (limited[max - 1] == NULL) {
		limited[max - 1] = netra_norm_new(max);
		FUZZ_CHECK(limited[max - 1] != NULL);
	}
	lim = limited[max - 1];
	FUZZ_CHECK(netra_norm_run(lim, (const char *)data, size) == 0);
	check_result(lim, size);
	if (size > max) {
		FUZZ_CHECK(netra_norm_truncated(lim) == 1);
		FUZZ_CHECK(netra_norm_input_len(lim) <= max);
		FUZZ_CHECK(netra_norm_input_len(lim) + 3 >= max);
		check_cut(data, size, netra_norm_input_len(lim), max);
	} else {
		FUZZ_CHECK(netra_norm_truncated(lim) == 0);
		FUZZ_CHECK(netra_norm_input_len(lim) == size);
	}
	return 0;
}
