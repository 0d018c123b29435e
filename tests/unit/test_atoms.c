#include "classifier/atoms.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <string.h>

/* 1 if want is exactly the set extracted from re (order ignored). */
static int atoms_are(const char *re, const char *const *want, size_t n, int leading)
{
	struct netra_atoms a;
	int ok;

	struct netra_atoms req;

	if (netra_atoms_extract(re, &req, &a) != 0)
		return n == 0;
	if (!leading) {
		/* Check the required set instead. */
		netra_atoms_free(&a);
		a = req;
	} else {
		netra_atoms_free(&req);
	}
	ok = a.n == n && (a.n == 0 || a.leading == leading);
	for (size_t i = 0; ok && i < n; i++) {
		int found = 0;
		for (size_t k = 0; k < a.n; k++)
			found |= strcmp(a.s[k], want[i]) == 0;
		ok = found;
	}
	if (!ok) {
		fprintf(stderr, "%s ->%s", re, a.leading ? " (leading)" : "");
		for (size_t k = 0; k < a.n; k++)
			fprintf(stderr, " [%s]", a.s[k]);
		fprintf(stderr, "\n");
	}
	netra_atoms_free(&a);
	return ok;
}

START_TEST(literals_and_alternations)
{
	static const char *const a1[] = {"coblos"};
	static const char *const a2[] = {"coblos", "pilih"};
	static const char *const a3[] = {"nomor", "no"};
	static const char *const a4[] = {"jari"};
	static const char *const a5[] = {"ridwan", "cak"};
	static const char *const a6[] = {"ayo"};

	ck_assert(atoms_are("coblos", a1, 1, 1));
	ck_assert(atoms_are("COBLOS", a1, 1, 1));
	ck_assert(atoms_are("(?:coblos|pilih)\\w*", a2, 2, 1));
	/* The optional tail is part of the leading set. */
	ck_assert(atoms_are("no(?:mor)?\\s*2", a3, 2, 1));
	/* A run after a non-literal item still counts as required. */
	ck_assert(atoms_are("(?:\\d|dua)\\s*jari", a4, 1, 0));
	/* Lookarounds are zero-width; the leading literals come after them. */
	ck_assert(atoms_are("(?<![\\p{L}\\p{N}])(?:ridwan[\\s._-]*kamil|cak[\\s._-]*imin)(?![\\p{L}])", a5, 2, 1));
	ck_assert(atoms_are("\\bayo\\b.*coblos?", a6, 1, 1));
}
END_TEST

START_TEST(no_atom_means_always_run)
{
	struct netra_atoms a;

	/* An optional whole, a class, a dot, an alternation with a bare branch. */
	ck_assert_int_eq(netra_atoms_extract("(?:coblos)?", &a, NULL), -1);
	ck_assert_int_eq(netra_atoms_extract("\\w+", &a, NULL), -1);
	ck_assert_int_eq(netra_atoms_extract("a.*", &a, NULL), 0);
	netra_atoms_free(&a);
	ck_assert_int_eq(netra_atoms_extract("coblos|\\d+", &a, NULL), -1);
	/* Extended mode would change what the text means: give up. */
	ck_assert_int_eq(netra_atoms_extract("(?x) c o b l o s", &a, NULL), -1);
	ck_assert_int_eq(netra_atoms_extract("coblos)", &a, NULL), -1);
}
END_TEST

START_TEST(escapes_classes_and_unicode)
{
	static const char *const q[] = {"a.b"};
	static const char *const cls[] = {"cm", "nm"};
	static const char *const emo[] = {"✌"};

	ck_assert(atoms_are("\\Qa.b\\E", q, 1, 1));
	ck_assert(atoms_are("[cn]m", cls, 2, 1));
	ck_assert(atoms_are("\\x{270c}", emo, 1, 1));
	/* A cased non-ASCII letter could match another case: no atom from it. */
	{
		struct netra_atoms a;
		ck_assert_int_eq(netra_atoms_extract("\\x{c9}", &a, NULL), -1);
	}
}
END_TEST

/* \d leads with one byte: an ASCII digit, or the first byte of a longer
 * character (PCRE2_UCP makes \d any decimal digit, such as U+0663). */
START_TEST(digit_leads_with_its_first_bytes)
{
	struct netra_atoms req;
	struct netra_atoms lead;
	int seen[256] = {0};
	size_t longer = 0;

	ck_assert_int_eq(netra_atoms_extract("\\d+\\s*x\\s*\\d+|baliho", &req, &lead), 0);
	for (size_t k = 0; k < lead.n; k++) {
		if (lead.len[k] == 1)
			seen[(unsigned char)lead.s[k][0]] = 1;
		else
			longer += strcmp(lead.s[k], "baliho") == 0;
	}
	ck_assert_uint_eq(longer, 1);
	for (int c = '0'; c <= '9'; c++)
		ck_assert(seen[c]);
	ck_assert(seen[0xD9]);  /* U+0663, ARABIC-INDIC DIGIT THREE: D9 A3 */
	ck_assert(seen[0xEF]);  /* U+FF13, FULLWIDTH DIGIT THREE: EF BC 93 */
	ck_assert(!seen['x'] && !seen['a'] && !seen[0x80]);
	ck_assert_uint_eq(lead.n, 10 + (0xF4 - 0xC2 + 1) + 1);
	netra_atoms_free(&req);
	netra_atoms_free(&lead);
	/* It is no required literal: the required set comes from elsewhere. */
	{
		static const char *const x[] = {"x", "baliho"};
		ck_assert(atoms_are("\\d+\\s*x\\s*\\d+|baliho", x, 2, 0));
	}
	/* An optional digit: a match starts with one, or with what follows. */
	ck_assert_int_eq(netra_atoms_extract("\\d?jari", &req, &lead), 0);
	ck_assert_uint_eq(lead.n, 10 + (0xF4 - 0xC2 + 1) + 1);
	netra_atoms_free(&req);
	netra_atoms_free(&lead);
}
END_TEST

/* Items that may match nothing (an optional word, a lookbehind) leave the
 * prefix open: the next item is looked at too. */
START_TEST(optional_items_leave_the_prefix_open)
{
	static const char *const a1[] = {"wakil", "ketua", "sekretaris"};
	static const char *const a2[] = {"pak", "bu", "prabowo"};
	static const char *const a3[] = {"coblos"};
	struct netra_atoms req;
	struct netra_atoms lead;

	ck_assert(atoms_are("(?:wakil\\s+)?(?:ketua|sekretaris)\\s+dpc", a1, 3, 1));
	ck_assert(atoms_are("(?<![\\p{L}])(?:(?:pak|bu)\\s*)?prabowo", a2, 3, 1));
	/* Two optional items in a row, then a run. */
	ck_assert(atoms_are("(?:ayo\\s+)?(?:mari\\s+)?coblos", (const char *const[]){"ayo", "mari", "coblos"},
			    3, 1));
	ck_assert(atoms_are("coblos", a3, 1, 1));
	/* Everything optional: no leading set (a match may start anywhere). */
	ck_assert_int_eq(netra_atoms_extract("(?:ayo\\s+)?(?:mari\\s+)?x?", &req, &lead), -1);
	netra_atoms_free(&lead);
	ck_assert_int_eq(netra_atoms_extract("(?:ayo\\s+)?\\w+coblos", &req, &lead), 0);
	ck_assert_uint_eq(lead.n, 0);
	netra_atoms_free(&req);
	netra_atoms_free(&lead);
}
END_TEST

START_TEST(word_start_patterns)
{
	/* Every alternative starts with the rule pack's word start. */
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}\\p{N}])(?:saya|aku)"), 1);
	ck_assert_int_eq(netra_atoms_starts_after_boundary(
				 "(?:(?:(?<![\\p{L}\\p{N}]))(?:kta|kader)(?![\\p{L}\\p{N}]))"),
			 1);
	ck_assert_int_eq(netra_atoms_starts_after_boundary(
				 "(?:(?<![\\p{L}\\p{N}])satu|(?<![\\p{L}\\p{N}.,:/-])02(?![0-9]))"),
			 1);
	/* One alternative without it; an optional group; a class without
	 * both; a negated class; a lookbehind that is not first; none. */
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}\\p{N}])saya|aku"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary(
				 "(?:(?<![\\p{L}\\p{N}])(?:a|b)|\\d+x)"),
			 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?:(?<![\\p{L}\\p{N}]))?kader"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}\\p{N}])?kader"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}\\p{N}]){0}kader"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}])(?:asn|pns)"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![^\\p{L}\\p{N}])saya"), 0);
	/* "\\p{L}" in a class is a backslash and "p{L}"; quoted text too. */
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\\\p{L}\\p{N}])saya"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\Q\\p{L}\\E\\p{N}])saya"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("#(?<![\\p{L}\\p{N}])saya"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?:deng|dg|sama)"), 0);
	/* An alternative's '|' inside a class or escaped does not split it. */
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}\\p{N}|])a[|]b\\|c"), 1);
	ck_assert_int_eq(netra_atoms_starts_after_boundary("(?<![\\p{L}\\p{N}]"), 0);
	ck_assert_int_eq(netra_atoms_starts_after_boundary(""), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("atoms");
	TCase *tc = tcase_create("atoms");

	tcase_add_test(tc, literals_and_alternations);
	tcase_add_test(tc, no_atom_means_always_run);
	tcase_add_test(tc, escapes_classes_and_unicode);
	tcase_add_test(tc, digit_leads_with_its_first_bytes);
	tcase_add_test(tc, optional_items_leave_the_prefix_open);
	tcase_add_test(tc, word_start_patterns);
	suite_add_tcase(s, tc);
	return s;
}
