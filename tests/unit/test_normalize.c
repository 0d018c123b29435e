/*
 * test_normalize.c - Check unit tests for classifier/normalize.c.
 */
#include "classifier/normalize.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Normalise in[0..len) with a fresh normaliser and compare with want. */
static void expect_norm_len(const char *in, size_t len, const char *want)
{
	struct netra_norm *n = netra_norm_new(0);

	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(netra_norm_run(n, in, len), 0);
	ck_assert_str_eq(netra_norm_text(n), want);
	ck_assert_uint_eq(netra_norm_len(n), strlen(want));
	ck_assert_int_eq(netra_norm_truncated(n), 0);
	ck_assert_uint_eq(netra_norm_input_len(n), len);
	netra_norm_destroy(&n);
	ck_assert_ptr_null(n);
}

/* As expect_norm_len for a NUL-terminated input. */
static void expect_norm(const char *in, const char *want)
{
	expect_norm_len(in, strlen(in), want);
}

/*
 * Normalise in, find needle in the normalised text and check that it maps
 * back to the original range [ostart,oend).
 */
static void expect_map(const char *in, const char *needle, size_t ostart,
		       size_t oend)
{
	struct netra_norm *n = netra_norm_new(0);
	const char *hit;
	size_t s = 0;
	size_t e = 0;
	size_t at;

	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(netra_norm_run(n, in, strlen(in)), 0);
	hit = strstr(netra_norm_text(n), needle);
	ck_assert_msg(hit != NULL, "'%s' not in '%s'", needle,
		      netra_norm_text(n));
	at = (size_t)(hit - netra_norm_text(n));
	netra_norm_map(n, at, at + strlen(needle), &s, &e);
	ck_assert_uint_eq(s, ostart);
	ck_assert_uint_eq(e, oend);
	netra_norm_destroy(&n);
}

START_TEST(test_split_letters)
{
	expect_norm("c o b l o s", "coblos");
	expect_norm("p.i.l.i.h", "pilih");
	expect_norm("C-O-B-L-O-S", "coblos");
	expect_norm("c_o_b_l_o_s", "coblos");
	expect_norm("c*o*b*l*o*s", "coblos");
	expect_norm("p.i.l.i.h.", "pilih.");
	expect_norm("ayo c o b l o s nomor 2", "ayo coblos nomor 2");
	expect_norm("(p i l i h)", "(pilih)");
	expect_norm("c 0 b l 0 s", "coblos");
	/* One separator per run: words stay apart; dotted words of three join. */
	expect_norm("p.i.l.i.h n.o.m.o.r d.u.a", "pilih nomor dua");
	expect_norm("d-u-a", "dua");
}
END_TEST

START_TEST(test_split_negative)
{
	expect_norm("a b c", "a b c");
	expect_norm("di 2 TPS", "di 2 tps");
	expect_norm("c  o  b  l  o  s", "c  o  b  l  o  s");
	expect_norm("1 2 3 4 5", "1 2 3 4 5");
	expect_norm("ab c d e", "ab c d e");
	expect_norm("s.d. besok", "s.d. besok");
	expect_norm("a.n. Budi", "a.n. budi");
	expect_norm("a.b c.d", "a.b c.d");
}
END_TEST

START_TEST(test_digit_letters)
{
	expect_norm("c0bl0s", "coblos");
	expect_norm("p1l1h", "pilih");
	expect_norm("m3nang", "menang");
	expect_norm("c00blos", "cooblos");
	expect_norm("C0BL0S", "coblos");
	/* Digits become letters before repeats collapse, in links and
	 * handles too ("P4P4B0W0"), while a run before a non-letter stays. */
	expect_norm("h000re", "hore");
	expect_norm("@P4P4B0W0_2024 mantap", "@papabow0_2024 mantap");
	expect_norm("https://t.co/Ab3dEf9 02", "https://t.co/abedef9 02");
	expect_map("ayo c0000blos ya", "coblos", 4, 13);
}
END_TEST

START_TEST(test_digit_negative)
{
	expect_norm("02", "02");
	expect_norm("2024", "2024");
	expect_norm("#AllIn02", "#allin02");
	expect_norm("Te12depan", "te12depan");
	expect_norm("2periode", "2periode");
	expect_norm("covid19", "covid19");
	expect_norm("pilih 01 atau 02", "pilih 01 atau 02");
}
END_TEST

START_TEST(test_repeats)
{
	expect_norm("cobloooos", "coblos");
	expect_norm("pilihhhh", "pilih");
	expect_norm("maaf", "maaf");
	expect_norm("saat", "saat");
	expect_norm("!!!", "!!!");
	expect_norm("000", "000");
	expect_norm("1000 suara", "1000 suara");
	expect_norm("PILIHHH", "pilih");
	/* A whole word of one letter is not a stretched word: "PPP" (a
	 * party) stays, and a lone "p" is not it. */
	expect_norm("PPP", "ppp");
	expect_norm("kader PPP!", "kader ppp!");
	expect_norm("PPPP 2024", "pppp 2024");
	expect_norm("P.P.P", "ppp");
	expect_norm("PPPK", "pk");
	expect_norm("xPPP", "xp");
	expect_norm("PPP \xf0\x9f\x94\xa5", "ppp \xf0\x9f\x94\xa5");
	expect_map("kader PPPP!", "pppp", 6, 10);
}
END_TEST

START_TEST(test_nfkc_case_marks)
{
	expect_norm("\xef\xbd\x83\xef\xbd\x8f\xef\xbd\x82\xef\xbd\x8c\xef\xbd"
		    "\x8f\xef\xbd\x93",
		    "coblos"); /* fullwidth */
	expect_norm("\xef\xac\x81", "fi"); /* U+FB01 ligature */
	expect_norm("\xf0\x9d\x90\x9c\xf0\x9d\x90\xa8", "co"); /* math bold */
	expect_norm("p\xc3\xa8milu", "pemilu");
	expect_norm("pe\xcc\x80milu", "pemilu"); /* combining grave */
	expect_norm("\xc3\x89L\xc3\x89" "CTION \xef\xac\x81", "election fi");
	expect_norm("PEMILU Pilpres", "pemilu pilpres");
	expect_norm("STRA\xc3\x9f" "E", "strasse");
	expect_norm("a\xc2\xa0" "b", "a b"); /* NBSP */
	expect_norm("a\tb\nc", "a\tb\nc");
	/* Typographic quotes and dashes are left as they are. */
	expect_norm("\xe2\x80\x9cok\xe2\x80\x9d \xe2\x80\x94",
		    "\xe2\x80\x9cok\xe2\x80\x9d \xe2\x80\x94");
}
END_TEST

START_TEST(test_emoji)
{
	/* U+261D U+FE0F, U+270C U+1F3FD, U+1F44D U+1F3FB */
	expect_norm("\xe2\x98\x9d\xef\xb8\x8f \xe2\x9c\x8c\xf0\x9f\x8f\xbd "
		    "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbb",
		    "\xe2\x98\x9d \xe2\x9c\x8c \xf0\x9f\x91\x8d");
	/* Text presentation selector dropped too. */
	expect_norm("\xe2\x9c\x8c\xef\xb8\x8e", "\xe2\x9c\x8c");
	/* Keycap 2: 2 U+FE0F U+20E3 */
	expect_norm("nomor 2\xef\xb8\x8f\xe2\x83\xa3!", "nomor 2!");
	/* Zero-width characters, word joiner, BOM, soft hyphen */
	expect_norm("co\xe2\x80\x8b" "bl\xe2\x80\x8co\xe2\x80\x8ds", "coblos");
	expect_norm("\xef\xbb\xbfpi\xe2\x81\xa0li\xc2\xadh", "pilih");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	expect_norm_len("\xff\xfe" "abc", 5,
			"\xef\xbf\xbd\xef\xbf\xbd" "abc");
	expect_norm_len("ab\xc3", 3, "ab\xef\xbf\xbd");
	expect_norm_len("ab\xe2\x82", 4, "ab\xef\xbf\xbd\xef\xbf\xbd");
	/* Overlong '/', surrogate half, above U+10FFFF */
	expect_norm_len("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd");
	expect_norm_len("\xed\xa0\x80", 3,
			"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	expect_norm_len("\xf4\x90\x80\x80", 4,
			"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	/* A stray continuation byte inside a word does not join it. */
	expect_norm_len("co\x80" "blos", 7, "co\xef\xbf\xbd" "blos");
}
END_TEST

START_TEST(test_embedded_nul)
{
	expect_norm_len("ab\0cd", 5, "ab cd");
	expect_norm_len("\0", 1, " ");
}
END_TEST

START_TEST(test_empty)
{
	struct netra_norm *n = netra_norm_new(0);

	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(netra_norm_text(n), "");
	ck_assert_int_eq(netra_norm_run(n, "", 0), 0);
	ck_assert_str_eq(netra_norm_text(n), "");
	ck_assert_uint_eq(netra_norm_len(n), 0);
	ck_assert_int_eq(netra_norm_run(n, NULL, 0), 0);
	ck_assert_uint_eq(netra_norm_len(n), 0);
	ck_assert_int_eq(netra_norm_truncated(n), 0);
	netra_norm_destroy(&n);
}
END_TEST

START_TEST(test_truncation)
{
	struct netra_norm *n = netra_norm_new(4);

	ck_assert_ptr_nonnull(n);
	/* "abc" + e-grave (2 bytes): cut at 4 would split it -> cut at 3 */
	ck_assert_int_eq(netra_norm_run(n, "abc\xc3\xa8", 5), 0);
	ck_assert_str_eq(netra_norm_text(n), "abc");
	ck_assert_int_eq(netra_norm_truncated(n), 1);
	ck_assert_uint_eq(netra_norm_input_len(n), 3);
	/* 4-byte emoji after 'a' */
	ck_assert_int_eq(netra_norm_run(n, "a\xf0\x9f\x98\x80", 5), 0);
	ck_assert_str_eq(netra_norm_text(n), "a");
	ck_assert_int_eq(netra_norm_truncated(n), 1);
	/* Cut exactly on a boundary */
	ck_assert_int_eq(netra_norm_run(n, "ab\xc3\xa8z", 5), 0);
	ck_assert_str_eq(netra_norm_text(n), "abe");
	ck_assert_uint_eq(netra_norm_input_len(n), 4);
	/* Not longer than the limit: not truncated */
	ck_assert_int_eq(netra_norm_run(n, "ab\xc3\xa8", 4), 0);
	ck_assert_str_eq(netra_norm_text(n), "abe");
	ck_assert_int_eq(netra_norm_truncated(n), 0);
	/* A broken sequence across the limit is cut as bad bytes */
	ck_assert_int_eq(netra_norm_run(n, "abc\xe2\x82x", 6), 0);
	ck_assert_str_eq(netra_norm_text(n), "abc\xef\xbf\xbd");
	ck_assert_uint_eq(netra_norm_input_len(n), 4);
	/* Plain ASCII */
	ck_assert_int_eq(netra_norm_run(n, "COBLOS", 6), 0);
	ck_assert_str_eq(netra_norm_text(n), "cobl");
	ck_assert_int_eq(netra_norm_truncated(n), 1);
	netra_norm_destroy(&n);
}
END_TEST

START_TEST(test_map)
{
	/* "Ayo C.O.B.L.O.S nomor 2": C.O.B.L.O.S is bytes [4,15) */
	expect_map("Ayo C.O.B.L.O.S nomor 2", "coblos", 4, 15);
	expect_map("Ayo C.O.B.L.O.S nomor 2", "nomor", 16, 21);
	expect_map("c o b l o s", "coblos", 0, 11);
	expect_map("c o b l o s", "bl", 4, 7);
	/* e-grave is bytes [1,3) */
	expect_map("p\xc3\xa8milu", "e", 1, 3);
	expect_map("p\xc3\xa8milu", "pemilu", 0, 7);
	expect_map("p\xc3\xa8milu", "mi", 3, 5);
	/* Collapsed and substituted letters map to their sources */
	expect_map("cobloooos!", "os", 4, 9);
	expect_map("cobloooos!", "!", 9, 10);
	/* Same through the general path (non-ASCII forces it) */
	expect_map("cobloooos\xe2\x80\x94", "os", 4, 9);
	expect_map("C.O.B.L.O.S\xe2\x80\x94", "coblos", 0, 11);
	expect_map("c0bl0s", "o", 1, 2);
	/* Keycap: "2" covers 2 U+FE0F U+20E3 */
	expect_map("no 2\xef\xb8\x8f\xe2\x83\xa3 ya", "2", 3, 10);
	expect_map("no 2\xef\xb8\x8f\xe2\x83\xa3 ya", "ya", 11, 13);
	/* Ligature: both letters map to the whole ligature */
	expect_map("x\xef\xac\x81y", "f", 1, 4);
	expect_map("x\xef\xac\x81y", "iy", 1, 5);
	/* Emoji with skin tone covers both code points */
	expect_map("ok \xe2\x9c\x8c\xf0\x9f\x8f\xbd", "\xe2\x9c\x8c", 3, 10);
}
END_TEST

START_TEST(test_map_monotone)
{
	static const char in[] =
		"\xef\xbb\xbf" "AYO C.O.B.L.O.S p\xc3\xa8milu \xe2\x98\x9d\xef\xb8"
		"\x8f c0bl0sss \xff\xef\xac\x81 2\xef\xb8\x8f\xe2\x83\xa3 end";
	struct netra_norm *n = netra_norm_new(0);
	size_t i;
	size_t ps = 0;
	size_t pe = 0;

	ck_assert_ptr_nonnull(n);
	ck_assert_int_eq(netra_norm_run(n, in, sizeof in - 1), 0);
	ck_assert_uint_gt(netra_norm_len(n), 0);
	for (i = 0; i < netra_norm_len(n); i++) {
		size_t s;
		size_t e;

		netra_norm_map(n, i, i + 1, &s, &e);
		ck_assert_uint_lt(s, e);
		ck_assert_uint_le(e, sizeof in - 1);
		ck_assert_uint_ge(s, ps);
		ck_assert_uint_ge(e, pe);
		ps = s;
		pe = e;
	}
	netra_norm_destroy(&n);
}
END_TEST

/* The fast path and the general path agree, text and map byte by byte. */
static void expect_same_paths(const char *in)
{
	struct netra_norm *a = netra_norm_new(0);
	struct netra_norm *b = netra_norm_new(0);

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(netra_norm_run(a, in, strlen(in)), 0);
	ck_assert_int_eq(netra_norm_run_general(b, in, strlen(in)), 0);
	ck_assert_str_eq(netra_norm_text(a), netra_norm_text(b));
	for (size_t i = 0; i < netra_norm_len(a); i++) {
		size_t s1, e1, s2, e2;
		netra_norm_map(a, i, i + 1, &s1, &e1);
		netra_norm_map(b, i, i + 1, &s2, &e2);
		ck_assert_msg(s1 == s2 && e1 == e2, "'%s' byte %zu: [%zu,%zu) vs [%zu,%zu)", in, i,
			      s1, e1, s2, e2);
	}
	netra_norm_destroy(&a);
	netra_norm_destroy(&b);
}

START_TEST(test_fast_path_matches_general)
{
	static const char *const texts[] = {
		"Ayo COBLOOOS 02!! Prabowo-Gibran 2024 https://t.co/P4P4B0W0x",
		"Semangat \xf0\x9f\x94\xa5\xf0\x9f\x94\xa5 coblooos \xe2\x9c\x8c\xef\xb8\x8f\xf0\x9f\x8f\xbb nomor 2",
		"\xe2\x9d\xa4\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x94\xa5 k4mp4ny3 \xe2\x80\x94 \xe2\x80\x9c" "dukung\xe2\x80\x9d",
		"c0bl0s\xf0\x9f\x98\x82 s3m4ng4t aaa\xef\xb8\x8f" "a",
		"c o b l o s \xf0\x9f\x98\x82",   /* rule 4a: the general path */
		"p\xc3\xa8milu \xe2\x80\xa6 caf\xc3\xa9", /* letters with marks: general */
		"2\xef\xb8\x8f\xe2\x83\xa3 jari \xe2\x98\x9d\xf0\x9f\x8f\xbd",
		"\xef\xbb\xbf" "awal \xc2\xad tengah\xe2\x80\x8b" " akhir",
		"kader PPP \xf0\x9f\x94\xa5 PPPP, aaa PPPK zzzz",
		"kader PPP dan PPPK wkwkwk aaaaah",
	};

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		expect_same_paths(texts[i]);
	/* Runs, one-letter tokens and separators at every place relative to
	 * the fast path's 16-byte blocks. */
	for (size_t at = 0; at < 40; at++) {
		static const char *const tails[] = {"cobloooos", "a.b x", "c o b l o s", "x-y",
						    "PPP.", "aa aaa", "z 9 q", "c-o-b-l-o-s",
						    "d*u*a"};
		for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
			char buf[96];
			memset(buf, 'k', at);
			for (size_t q = 3; q < at; q += 4)
				buf[q] = ' ';
			snprintf(buf + at, sizeof buf - at, "%s %s", tails[t], at % 2 ? "!" : "ok");
			expect_same_paths(buf);
		}
	}
	/* Text with emoji goes eight ASCII bytes at a time where it can:
	 * dropped code points before, capitals, digits and letter digits at
	 * every place relative to those eight. */
	for (size_t at = 0; at < 17; at++) {
		static const char *const mixed[] = {
			"\xef\xb8\x8f" "SEMANGAT PAGI INDONESIA c0bl0s 02 \xf0\x9f\x94\xa5 LANJUTKAN",
			"\xe2\x9c\x8c\xef\xb8\x8f\xf0\x9f\x8f\xbb ABCDEFGHc0bl0sIJKLM 12345678 x1y2z3w4",
			"\xf0\x9f\x98\x82" "DUKUNG PRABOWO GIBRAN 2024\xf0\x9f\x98\x82k4mp4ny3 YA"};
		for (size_t t = 0; t < sizeof mixed / sizeof mixed[0]; t++) {
			char buf[160];
			memset(buf, 'K', at);
			snprintf(buf + at, sizeof buf - at, "%s", mixed[t]);
			expect_same_paths(buf);
		}
	}
	/* What the fast path gives, and where it points. */
	expect_norm("Ayo \xe2\x9c\x8c\xef\xb8\x8f\xf0\x9f\x8f\xbb COBLOOOS",
		    "ayo \xe2\x9c\x8c coblos");
	/* The gesture takes the selector and the skin tone after it. */
	expect_map("Ayo \xe2\x9c\x8c\xef\xb8\x8f\xf0\x9f\x8f\xbb COBLOOOS", "\xe2\x9c\x8c", 4, 14);
	expect_map("Ayo \xe2\x9c\x8c\xef\xb8\x8f\xf0\x9f\x8f\xbb COBLOOOS", "coblos", 15, 23);
	expect_map("Ayo COBLOOOS sekarang", "sekarang", 13, 21);
	expect_map("\xf0\x9f\x94\xa5 SEMANGAT PAGI INDONESIA", "indonesia", 19, 28);
}
END_TEST

START_TEST(test_reuse)
{
	struct netra_norm *n = netra_norm_new(0);
	char big[4096];
	size_t i;

	ck_assert_ptr_nonnull(n);
	for (i = 0; i < sizeof big; i++)
		big[i] = (i % 3 == 0) ? (char)0xef : (i % 3 == 1) ? (char)0xac
								  : (char)0x81;
	ck_assert_int_eq(netra_norm_run(n, big, sizeof big - 1), 0);
	ck_assert_uint_gt(netra_norm_len(n), sizeof big / 3);
	ck_assert_int_eq(netra_norm_run(n, "P1L1H", 5), 0);
	ck_assert_str_eq(netra_norm_text(n), "pilih");
	ck_assert_int_eq(netra_norm_run(n, "", 0), 0);
	ck_assert_str_eq(netra_norm_text(n), "");
	netra_norm_destroy(&n);
}
END_TEST

START_TEST(test_string)
{
	char *s = netra_norm_string("  Pr\xc3\xa4" "bowo  ", 12);

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "  prabowo  ");
	free(s);
	s = netra_norm_string(NULL, 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_destroy_null)
{
	struct netra_norm *n = NULL;

	netra_norm_destroy(NULL);
	netra_norm_destroy(&n);
	ck_assert_ptr_null(n);
}
END_TEST

/* Build the normalize suite. */
static Suite *normalize_suite(void)
{
	Suite *s = suite_create("normalize");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_split_letters);
	tcase_add_test(tc, test_split_negative);
	tcase_add_test(tc, test_digit_letters);
	tcase_add_test(tc, test_digit_negative);
	tcase_add_test(tc, test_repeats);
	tcase_add_test(tc, test_nfkc_case_marks);
	tcase_add_test(tc, test_emoji);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_embedded_nul);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_map);
	tcase_add_test(tc, test_map_monotone);
	tcase_add_test(tc, test_fast_path_matches_general);
	tcase_add_test(tc, test_reuse);
	tcase_add_test(tc, test_string);
	tcase_add_test(tc, test_destroy_null);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(normalize_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
