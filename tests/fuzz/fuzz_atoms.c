/* Fuzz the prefilter's pattern analysis (classifier/atoms.c) against PCRE2
 * itself. The input is a pattern, a newline, and a subject. Whatever the
 * pattern, the analysis must not crash; and when PCRE2 compiles it (with the
 * engine's options) every match PCRE2 finds in the normalised subject must
 * bear out what the analysis claimed:
 *  - the subject holds one of the required literals;
 *  - the match starts with one of the leading literals;
 *  - a pattern said to start at a word starts after no ASCII letter or digit.
 * A wrong claim would make the engine miss a match the naive mode finds. */
#include "classifier/atoms.h"
#include "classifier/normalize.h"

#include "tests/fuzz/fuzz_check.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The engine's compile options (classifier/engine.c). */
#define OPTIONS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF)

/* ASCII letters folded; the analysis gives literals that way, and the
 * normalised text is folded too. */
static int same_folded(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i];
		unsigned char y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int holds_one(const char *text, size_t len, const struct netra_atoms *a)
{
	for (size_t k = 0; k < a->n; k++) {
		for (size_t i = 0; i + a->len[k] <= len; i++) {
			if (same_folded(text + i, a->s[k], a->len[k]))
				return 1;
		}
	}
	return 0;
}

static int starts_with_one(const char *text, size_t len, size_t at, const struct netra_atoms *a)
{
	for (size_t k = 0; k < a->n; k++) {
		if (at + a->len[k] <= len && same_folded(text + at, a->s[k], a->len[k]))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t plen = nl != NULL ? (size_t)(nl - (const char *)data) : size;
	char *pattern;
	char *text = NULL;
	struct netra_atoms req;
	struct netra_atoms lead;
	pcre2_code *code = NULL;
	pcre2_match_data *md = NULL;
	pcre2_match_context *mc = NULL;
	int rc;
	int word_start;
	int errcode;
	PCRE2_SIZE erroff;
	size_t len;
	size_t from = 0;

	if (plen > 1024)
		return 0;
	pattern = malloc(plen + 1);
	FUZZ_CHECK(pattern != NULL);
	memcpy(pattern, data, plen);
	pattern[plen] = '\0';
	rc = netra_atoms_extract(pattern, &req, &lead);
	FUZZ_CHECK(rc == 0 || rc == -1 || rc == -2);
	word_start = netra_atoms_starts_after_boundary(pattern);
	FUZZ_CHECK(word_start == 0 || word_start == 1);
	if (strlen(pattern) != plen || strstr(pattern, "\\K") != NULL)
		goto cleanup; /* an embedded NUL, or \K moving the start */
	code = pcre2_compile((PCRE2_SPTR)pattern, plen, OPTIONS, &errcode, &erroff, NULL);
	if (code == NULL)
		goto cleanup;
	text = netra_norm_string(nl != NULL ? nl + 1 : "", nl != NULL ? size - plen - 1 : 0);
	FUZZ_CHECK(text != NULL);
	len = strlen(text);
	md = pcre2_match_data_create_from_pattern(code, NULL);
	mc = pcre2_match_context_create(NULL);
	FUZZ_CHECK(md != NULL && mc != NULL);
	pcre2_set_match_limit(mc, 20000);
	pcre2_set_depth_limit(mc, 2000);
	for (int k = 0; k < 16 && from <= len; k++) {
		PCRE2_SIZE *ov;
		size_t s;
		if (pcre2_match(code, (PCRE2_SPTR)text, len, from, 0, md, mc) < 0)
			break;
		ov = pcre2_get_ovector_pointer(md);
		s = ov[0];
		if (ov[1] < s)
			break; /* a lookaround past the match: nothing to check */
		if (rc == 0)
			FUZZ_CHECK(holds_one(text, len, &req));
		if (rc == 0 && lead.n > 0)
			FUZZ_CHECK(starts_with_one(text, len, s, &lead));
		if (word_start && s > 0) {
			unsigned char b = (unsigned char)text[s - 1];
			FUZZ_CHECK(!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
				     (b >= '0' && b <= '9')));
		}
		from = ov[1] > s ? ov[1] : s + 1;
	}
cleanup:
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(code);
	free(text);
	netra_atoms_free(&req);
	netra_atoms_free(&lead);
	free(pattern);
	return 0;
}
