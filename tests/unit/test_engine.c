#include "classifier/engine.h"
#include "classifier/rules.h"
#include "core/error.h"
#include "core/post.h"

#include "tests/unit/check_main.h"

#include <string.h>

static const char *election_json =
	"{\"id\": \"e1\", \"name\": \"Pilkada Contoh\", \"timezone\": \"Asia/Jakarta\",\n"
	" \"stages\": [{\"name\": \"kampanye\", \"start\": \"2024-09-25\", \"end\": \"2024-11-23\"}],\n"
	" \"candidates\": [\n"
	"  {\"number\": 1, \"names\": [\"Bagas Wirawan\"], \"aliases\": [\"BAGUS\"], \"hashtags\": [\"BAGUS2024\"]},\n"
	"  {\"number\": 2, \"names\": [\"Dewi Lestari\"], \"aliases\": [\"Bu Dewi\"], \"hashtags\": [\"DewiMenang\"],\n"
	"   \"parties\": [\"PDIP\"]}],\n"
	" \"parties\": [{\"name\": \"Partai Demokrasi Indonesia Perjuangan\", \"aliases\": [\"PDIP\"]}]}\n";

static const char *rules_text =
	"common bagus\n"
	"number 2 dua\n"
	"gesture 2 ✌\n"
	"rule dukungan.tag\n  category dukungan\n  description t\n  reference r\n  weight 0.6\n"
	"  pattern t #{tag}\nend\n"
	"rule ajakan.coblos\n  category ajakan\n  description t\n  reference r\n  weight 0.8\n"
	"  pattern v coblos\n  pattern n (?:nomor\\s*)?(?:{num}|{gesture})\n  condition near(v, n, 10)\nend\n"
	"rule foto.nama\n  category foto\n  description t\n  reference r\n  weight 0.8\n"
	"  fields alt\n  pattern f foto\n  pattern w {name}\n  condition f and w\nend\n"
	"rule dukungan.like\n  category dukungan\n  description t\n  reference r\n  weight 0.7\n"
	"  acts like\n  fields ref\n  pattern w {name}\nend\n"
	"rule parpol.partai\n  category parpol\n  description t\n  reference r\n  weight 0.9\n"
	"  pattern k kta\n  pattern p {anyparty}\n  condition near(k, p, 20)\nend\n"
	"rule fasilitas.lambat\n  category fasilitas\n  description t\n  reference r\n  weight 0.9\n"
	"  pattern slow ^(?:ab|ab)+$\nend\n"
	"rule kegiatan.umum\n  category kegiatan\n  description t\n  reference r\n  weight 0.8\n"
	"  pattern w (?:{cand}|paslon)\n  pattern k rapat\n  condition near(w, k, 30)\nend\n"
	"rule netral.asn\n  kind suppress\n  category *\n  description t\n  weight 0.9\n"
	"  pattern n asnpilihnetral\nend\n"
	"rule subjek.asn\n  kind subject\n  description t\n  weight 0.8\n  pattern a \\bpns\\b\nend\n"
	"rule subjek.bukan\n  kind suppress\n  category *\n  description t\n  weight 0.95\n  fields bio\n"
	"  pattern m mantan\nend\n";

struct fixture {
	struct netra_ruleset *rs;
	struct netra_election *el;
	struct netra_engine *eng;
	struct netra_scanner *sc;
};

static void setup_rules(struct fixture *f, const char *rules, int naive, uint32_t match_limit,
			size_t max_field)
{
	struct netra_buf pb;
	struct netra_engine_options opt;
	char err[512];
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	netra_buf_init(&pb, 1 << 20);
	ck_assert_int_eq(netra_ruleset_parse(rules, strlen(rules), "t.rules", &f->rs, &pb, &n),
			 NETRA_OK);
	ck_assert_int_eq(netra_election_parse(election_json, strlen(election_json), "e.json", &f->el, err,
					      sizeof(err)),
			 NETRA_OK);
	netra_engine_options_default(&opt);
	opt.naive = naive;
	if (match_limit)
		opt.match_limit = match_limit;
	if (max_field)
		opt.max_field_bytes = max_field;
	if (netra_engine_new(f->rs, &f->el, 1, NULL, &opt, &f->eng, &pb, NULL) != NETRA_OK)
		ck_abort_msg("engine: %s", netra_buf_str(&pb));
	f->sc = netra_scanner_new(f->eng);
	ck_assert_ptr_nonnull(f->sc);
	netra_buf_free(&pb);
}

static void setup(struct fixture *f, int naive, uint32_t match_limit, size_t max_field)
{
	setup_rules(f, rules_text, naive, match_limit, max_field);
}

static void teardown(struct fixture *f)
{
	netra_scanner_destroy(&f->sc);
	netra_engine_destroy(&f->eng);
	netra_election_destroy(&f->el);
	netra_ruleset_destroy(&f->rs);
}

/* The same rules in the fast mode and in the naive one. */
static void setup_both(struct fixture *fast, struct fixture *naive, const char *rules)
{
	setup_rules(fast, rules, 0, 0, 0);
	setup_rules(naive, rules, 1, 0, 0);
}

static void teardown_both(struct fixture *fast, struct fixture *naive)
{
	teardown(fast);
	teardown(naive);
}

static const struct netra_verdict *scan(struct fixture *f, const char *json)
{
	json_t *post = NULL;
	char err[256];
	const struct netra_verdict *v = NULL;

	if (netra_post_parse(json, strlen(json), &post, err, sizeof(err)) != NETRA_OK)
		ck_abort_msg("bad test post: %s", err);
	ck_assert_int_eq(netra_scan_post(f->sc, post, &v), NETRA_OK);
	/* The verdict borrows from the post: keep it alive for the test. */
	json_decref(post);
	return v;
}

static int has_cat(const struct netra_verdict *v, const char *name)
{
	return (v->categories >> netra_category_parse(name)) & 1u;
}

/* post is flagged in category cat with one hit at [start, end), by the fast
 * engine and the naive mode alike. */
static void expect_one_hit(struct fixture *fast, struct fixture *naive, const char *post,
			   const char *cat, size_t start, size_t end)
{
	const struct netra_verdict *v = scan(fast, post);

	ck_assert(has_cat(v, cat));
	ck_assert_uint_eq(v->nhits, 1);
	ck_assert_uint_eq(v->hits[0].start, start);
	ck_assert_uint_eq(v->hits[0].end, end);
	v = scan(naive, post);
	ck_assert(has_cat(v, cat));
	ck_assert_uint_eq(v->nhits, 1);
	ck_assert_uint_eq(v->hits[0].start, start);
	ck_assert_uint_eq(v->hits[0].end, end);
}

START_TEST(hashtag_names_the_candidate)
{
	struct fixture f;
	const struct netra_verdict *v;

	setup(&f, 0, 0, 0);
	v = scan(&f, "{\"id\":\"1\",\"source\":\"t\",\"text\":\"Semangat! #DewiMenang\"}");
	ck_assert(v->flagged);
	ck_assert(has_cat(v, "dukungan"));
	ck_assert_int_eq(v->number, 2);
	ck_assert_int_eq(v->election, 0);
	ck_assert_uint_eq(v->nhits, 1);
	ck_assert_str_eq(v->hits[0].field, "text");
	ck_assert_uint_eq(v->hits[0].start, 10);
	ck_assert_uint_eq(v->hits[0].end, 21);
	teardown(&f);
}
END_TEST

START_TEST(offsets_point_into_the_original_text)
{
	struct fixture f;
	const struct netra_verdict *v;
	json_t *post;
	const char *text = "Ayo C.O.B.L.O.S Nomor ✌️ ya";
	char line[256];
	char err[128];

	setup(&f, 0, 0, 0);
	snprintf(line, sizeof(line), "{\"id\":\"1\",\"source\":\"t\",\"text\":\"%s\"}", text);
	ck_assert_int_eq(netra_post_parse(line, strlen(line), &post, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(netra_scan_post(f.sc, post, &v), NETRA_OK);
	ck_assert(has_cat(v, "ajakan"));
	ck_assert_int_eq(v->number, 2);
	ck_assert_uint_eq(v->nhits, 2);
	/* The hits are the original spans, dots, capitals and emoji included. */
	ck_assert_int_eq(strncmp(text + v->hits[0].start, "C.O.B.L.O.S", v->hits[0].end - v->hits[0].start), 0);
	ck_assert_uint_eq(v->hits[0].end - v->hits[0].start, 11);
	ck_assert_int_eq(strncmp(text + v->hits[1].start, "Nomor ✌️", v->hits[1].end - v->hits[1].start), 0);
	ck_assert_uint_eq(v->hits[1].end, strlen("Ayo C.O.B.L.O.S Nomor ✌️"));
	json_decref(post);
	teardown(&f);
}
END_TEST

START_TEST(weak_alias_needs_capitals_or_hashtag)
{
	struct fixture f;
	const struct netra_verdict *v;

	setup(&f, 0, 0, 0);
	v = scan(&f, "{\"id\":\"1\",\"source\":\"t\",\"text\":\"hasil panen bagus\",\"media\":[{\"alt\":\"foto panen bagus\"}]}");
	ck_assert(!v->flagged);
	v = scan(&f, "{\"id\":\"2\",\"source\":\"t\",\"text\":\"\",\"media\":[{\"alt\":\"foto bersama BAGUS\"}]}");
	ck_assert(has_cat(v, "foto"));
	ck_assert_int_eq(v->number, 1);
	v = scan(&f, "{\"id\":\"3\",\"source\":\"t\",\"text\":\"\",\"media\":[{\"alt\":\"foto #bagus\"}]}");
	ck_assert(has_cat(v, "foto"));
	v = scan(&f, "{\"id\":\"4\",\"source\":\"t\",\"text\":\"\",\"media\":[{\"alt\":\"foto Bagus sekali\"}]}");
	ck_assert(!v->flagged);
	teardown(&f);
}
END_TEST

START_TEST(acts_fields_and_suppression)
{
	struct fixture f;
	const struct netra_verdict *v;

	setup(&f, 0, 0, 0);
	/* A like of a candidate's post: no own text, evidence in ref. */
	v = scan(&f, "{\"id\":\"1\",\"source\":\"t\",\"act\":\"like\",\"text\":\"\",\"ref\":{\"text\":\"Bu Dewi di pasar\"}}");
	ck_assert(has_cat(v, "dukungan"));
	ck_assert_int_eq(v->number, 2);
	ck_assert_str_eq(v->hits[0].field, "ref.text");
	/* The same words in a post (not a like) are not that rule's business. */
	v = scan(&f, "{\"id\":\"2\",\"source\":\"t\",\"text\":\"\",\"ref\":{\"text\":\"Bu Dewi di pasar\"}}");
	ck_assert(!v->flagged);
	/* A neutrality reminder lowers every score below the threshold. */
	v = scan(&f, "{\"id\":\"3\",\"source\":\"t\",\"text\":\"jangan coblos dua demi uang #ASNpilihNETRAL\"}");
	ck_assert(!v->flagged);
	ck_assert(v->category_score[netra_category_parse("ajakan")] < 0.5);
	/* Party membership names a party, not a candidate. */
	v = scan(&f, "{\"id\":\"4\",\"source\":\"t\",\"text\":\"KTA PDIP sudah jadi\"}");
	ck_assert(has_cat(v, "parpol"));
	ck_assert_int_eq(v->number, 0);
	teardown(&f);
}
END_TEST

START_TEST(stage_and_subject)
{
	struct fixture f;
	const struct netra_verdict *v;

	setup(&f, 0, 0, 0);
	/* 2024-09-24T18:00Z is 2024-09-25 01:00 in Jakarta: the campaign. */
	v = scan(&f, "{\"id\":\"1\",\"source\":\"t\",\"created_at\":\"2024-09-24T18:00:00Z\",\"text\":\"#BAGUS2024\",\"author\":{\"bio\":\"PNS Dinas Pendidikan\"}}");
	ck_assert_str_eq(v->stage, "kampanye");
	ck_assert_int_eq(v->subject, NETRA_SUBJECT_BIO);
	v = scan(&f, "{\"id\":\"2\",\"source\":\"t\",\"created_at\":\"2024-09-24T16:00:00Z\",\"text\":\"#BAGUS2024\",\"author\":{\"bio\":\"mantan PNS\"}}");
	ck_assert_ptr_null(v->stage);
	ck_assert_int_eq(v->subject, NETRA_SUBJECT_UNKNOWN);
	/* A NIP in the bio counts only with valid dates. */
	v = scan(&f, "{\"id\":\"3\",\"source\":\"t\",\"text\":\"#BAGUS2024\",\"author\":{\"bio\":\"NIP 198503152010011002\"}}");
	ck_assert_int_eq(v->subject, NETRA_SUBJECT_BIO);
	ck_assert_str_eq(v->nip, "198503152010011002");
	v = scan(&f, "{\"id\":\"4\",\"source\":\"t\",\"text\":\"#BAGUS2024\",\"author\":{\"bio\":\"HP 198513152010011002\"}}");
	ck_assert_int_eq(v->subject, NETRA_SUBJECT_UNKNOWN);
	v = scan(&f, "{\"id\":\"5\",\"source\":\"report\",\"act\":\"report\",\"text\":\"\",\"report\":{\"description\":\"#BAGUS2024\",\"subject\":{\"name\":\"X\",\"nip\":\"198503152010011002\"}}}");
	ck_assert_int_eq(v->subject, NETRA_SUBJECT_REPORT);
	ck_assert_str_eq(v->nip, "198503152010011002");
	teardown(&f);
}
END_TEST

START_TEST(match_limit_does_not_hang_or_lose_the_post)
{
	struct fixture f;
	const struct netra_verdict *v;
	char line[8192];
	char as[4000];

	/* Naive mode: the prefilter would (rightly) skip the pattern here. */
	setup(&f, 1, 2000, 0);
	/* "abab...abc": no run of letters for the normaliser to collapse. */
	for (size_t i = 0; i + 2 < sizeof(as); i++)
		as[i] = i % 2 ? 'b' : 'a';
	as[sizeof(as) - 2] = 'c';
	as[sizeof(as) - 1] = '\0';
	snprintf(line, sizeof(line), "{\"id\":\"1\",\"source\":\"t\",\"text\":\"%s\",\"ref\":{\"text\":\"#DewiMenang\"}}", as);
	v = scan(&f, line);
	ck_assert(v->limit_hit);
	ck_assert(has_cat(v, "dukungan"));
	ck_assert(!has_cat(v, "fasilitas"));
	teardown(&f);
}
END_TEST

START_TEST(long_fields_are_cut_and_say_so)
{
	struct fixture f;
	const struct netra_verdict *v;
	char line[4096];
	char pad[2000];

	setup(&f, 0, 0, 1000);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(line, sizeof(line), "{\"id\":\"1\",\"source\":\"t\",\"text\":\"#DewiMenang %s #BAGUS2024\"}", pad);
	v = scan(&f, line);
	ck_assert(v->cut);
	ck_assert_int_eq(v->number, 2);
	teardown(&f);
}
END_TEST

START_TEST(prefilter_and_naive_agree)
{
	static const char *posts[] = {
		"{\"id\":\"1\",\"source\":\"t\",\"text\":\"coblos nomor dua\"}",
		"{\"id\":\"2\",\"source\":\"t\",\"text\":\"c o b l o s 2\"}",
		"{\"id\":\"3\",\"source\":\"t\",\"text\":\"kta PDIP\",\"media\":[{\"alt\":\"foto Bagas Wirawan\"}]}",
		"{\"id\":\"4\",\"source\":\"t\",\"act\":\"like\",\"text\":\"\",\"ref\":{\"text\":\"BAGUS!\"}}",
		"{\"id\":\"5\",\"source\":\"t\",\"text\":\"tidak ada apa-apa\"}",
		"{\"id\":\"6\",\"source\":\"t\",\"text\":\"\\u00ff\\u0000 coblos\\u00a0✌\"}",
	};
	struct fixture fast;
	struct fixture naive;

	setup(&fast, 0, 0, 0);
	setup(&naive, 1, 0, 0);
	for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		const struct netra_verdict *a = scan(&fast, posts[i]);
		unsigned ca = a->categories;
		int na = a->number;
		size_t ha = a->nhits;
		const struct netra_verdict *b = scan(&naive, posts[i]);
		ck_assert_uint_eq(ca, b->categories);
		ck_assert_int_eq(na, b->number);
		ck_assert_uint_eq(ha, b->nhits);
	}
	teardown_both(&fast, &naive);
}
END_TEST

/* Before a rule's patterns run, the prefilter's literals must open its
 * gate: one pattern of each clause of the condition seen. "not", "or" and
 * an "or" of "and"s must not close it where the condition can hold. */
START_TEST(condition_gates_never_close_on_a_match)
{
	const char *rules =
		"rule ajakan.gerbang\n  category ajakan\n  description t\n  reference r\n  weight 0.9\n"
		"  pattern a alpha\n  pattern b bravo\n  pattern c charlie\n  pattern d delta\n"
		"  pattern x xray\n"
		"  condition (a and not b) or near(c, d, 5) or (x and (c or d))\nend\n";
	static const char *posts[] = {
		"{\"id\":\"1\",\"source\":\"t\",\"text\":\"alpha\"}",
		"{\"id\":\"2\",\"source\":\"t\",\"text\":\"alpha bravo\"}",
		"{\"id\":\"3\",\"source\":\"t\",\"text\":\"charlie delta\"}",
		"{\"id\":\"4\",\"source\":\"t\",\"text\":\"charlie ........ delta\"}",
		"{\"id\":\"5\",\"source\":\"t\",\"text\":\"xray delta\"}",
		"{\"id\":\"6\",\"source\":\"t\",\"text\":\"xray bravo\"}",
		"{\"id\":\"7\",\"source\":\"t\",\"text\":\"delta\"}",
	};
	static const int want[] = {1, 0, 1, 0, 1, 0, 0};
	struct fixture fast;
	struct fixture naive;

	setup_both(&fast, &naive, rules);
	for (size_t i = 0; i < sizeof(posts) / sizeof(posts[0]); i++) {
		const struct netra_verdict *v = scan(&fast, posts[i]);
		ck_assert_msg(has_cat(v, "ajakan") == want[i], "post %zu", i + 1);
		v = scan(&naive, posts[i]);
		ck_assert_msg(has_cat(v, "ajakan") == want[i], "naive post %zu", i + 1);
	}
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(naive_mode_runs_every_pattern)
{
	/* Nothing here holds a literal of any rule: the prefilter lets no
	 * pattern run, while the naive mode runs each pattern of the rules on
	 * text (two of kegiatan.umum's, one per candidate instance, are the
	 * same pattern "rapat" and run once). */
	const char *post = "{\"id\":\"1\",\"source\":\"t\",\"text\":\"tidak ada apa-apa\"}";
	struct fixture fast;
	struct fixture naive;
	const struct netra_verdict *v;

	setup(&fast, 0, 0, 0);
	setup(&naive, 1, 0, 0);
	v = scan(&fast, post);
	ck_assert_uint_eq(v->pcre_runs, 0);
	v = scan(&naive, post);
	ck_assert_uint_ge(v->pcre_runs, 9);
	ck_assert_uint_eq(v->categories, 0);
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(many_places_of_a_leading_literal)
{
	/* "abc" starts twelve times before the only match, more places than
	 * the engine keeps; the match must still be found, where it is. */
	const char *rules = "rule ajakan.abc\n  category ajakan\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern a abc[a-z]x\nend\n";
	const char *post = "{\"id\":\"1\",\"source\":\"t\",\"text\":"
			   "\"abcz abcz abcz abcz abcz abcz abcz abcz abcz abcz abcz abcz abcdx\"}";
	const char *none = "{\"id\":\"2\",\"source\":\"t\",\"text\":"
			   "\"abcz abcz abcz abcz abcz abcz abcz abcz abcz abcz abcz abcz abcy\"}";
	struct fixture fast;
	struct fixture naive;

	setup_both(&fast, &naive, rules);
	expect_one_hit(&fast, &naive, post, "ajakan", 60, 65);
	ck_assert_uint_eq(scan(&fast, none)->categories, 0);
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(digit_led_patterns_find_every_digit)
{
	/* \d leads with one byte, found by a scan of the field rather than by
	 * the literal pass: more digits than the engine keeps come before the
	 * match, and a non-ASCII digit (U+0663, U+0664) starts one too. */
	const char *rules = "rule baliho.ukuran\n  category baliho\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern a \\d+\\s*x\\s*\\d+\nend\n";
	const char *many = "{\"id\":\"1\",\"source\":\"t\",\"text\":"
			   "\"x 1 2 3 4 5 6 7 8 9 10 11 12 ukuran 4x6 meter\"}";
	const char *arabic = "{\"id\":\"2\",\"source\":\"t\",\"text\":\"x ukuran \u0663x\u0664\"}";
	const char *none = "{\"id\":\"3\",\"source\":\"t\",\"text\":\"x 1 2 3 4 5 6 7 8 9 10 11 12 x\"}";
	struct fixture fast;
	struct fixture naive;

	setup_both(&fast, &naive, rules);
	expect_one_hit(&fast, &naive, many, "baliho", 36, 39);
	expect_one_hit(&fast, &naive, arabic, "baliho", 9, 14);
	ck_assert_uint_eq(scan(&fast, none)->categories, 0);
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(short_leading_literals_are_found_when_the_pattern_runs)
{
	/* "ga" only says where the pattern may start, so the literal pass
	 * leaves it out and the field is scanned for it when the pattern
	 * runs: more places than the engine keeps come first, "ga" inside
	 * "harga" is a place that fails, and a second field is scanned on its
	 * own. */
	const char *rules = "rule dukungan.nyambung\n  category dukungan\n  description t\n"
			    "  reference r\n  weight 0.9\n"
			    "  pattern a (?:ga|nggak)\\s*nyambung\nend\n";
	const char *many = "{\"id\":\"1\",\"source\":\"t\",\"text\":"
			   "\"ga ga ga ga ga ga ga ga ga ga harga ga nyambung\"}";
	const char *ref = "{\"id\":\"2\",\"source\":\"t\",\"text\":\"ga ga ga nyambungnya?\","
			  "\"ref\":{\"text\":\"ya ga  nyambung\"}}";
	const char *none = "{\"id\":\"3\",\"source\":\"t\",\"text\":\"ga ga harga sambung\"}";
	struct fixture fast;
	struct fixture naive;
	const struct netra_verdict *v;

	setup_both(&fast, &naive, rules);
	expect_one_hit(&fast, &naive, many, "dukungan", 36, 47);
	v = scan(&fast, ref);
	ck_assert(has_cat(v, "dukungan"));
	ck_assert_uint_eq(v->nhits, 2);
	ck_assert_uint_eq(v->hits[0].start, 6);
	ck_assert_uint_eq(v->hits[0].end, 17);
	ck_assert_str_eq(v->hits[1].field, "ref.text");
	ck_assert_uint_eq(v->hits[1].start, 3);
	ck_assert_uint_eq(v->hits[1].end, 15);
	ck_assert_uint_eq(scan(&naive, ref)->nhits, 2);
	ck_assert_uint_eq(scan(&fast, none)->categories, 0);
	teardown_both(&fast, &naive);
}
END_TEST

/* The categories a post of text gets in the fast and the naive mode,
 * which must agree. */
static unsigned both_modes(struct fixture *fast, struct fixture *naive, const char *text)
{
	char line[1024];
	unsigned c;

	snprintf(line, sizeof(line), "{\"id\":\"1\",\"source\":\"t\",\"text\":\"%s\"}", text);
	c = scan(fast, line)->categories;
	ck_assert_uint_eq(scan(naive, line)->categories, c);
	return c;
}

START_TEST(near_pairs_any_of_the_first_matches_of_each_side)
{
	/* near() walks both sides' matches in order: a pair counts wherever it
	 * is among the first sixteen matches of each side, whichever side
	 * comes first; the seventeenth does not count. */
	const char *rules = "rule ajakan.kata-kunci\n  category ajakan\n  description t\n"
			    "  reference r\n  weight 0.9\n  pattern a kata\n  pattern b kunci\n"
			    "  condition near(a, b, 5)\nend\n";
	char many[512] = "";
	struct fixture fast;
	struct fixture naive;
	unsigned ajakan;

	setup_both(&fast, &naive, rules);
	ajakan = both_modes(&fast, &naive, "kata kunci");
	ck_assert_uint_ne(ajakan, 0);
	ck_assert_uint_eq(both_modes(&fast, &naive, "kata .......... kata .......... kata kunci"), ajakan);
	ck_assert_uint_eq(both_modes(&fast, &naive, "kunci .......... kunci .......... kunci kata"), ajakan);
	ck_assert_uint_eq(both_modes(&fast, &naive, "kunci .......... kata .......... kunci .......... "
						    "kata , kunci"), ajakan);
	ck_assert_uint_eq(both_modes(&fast, &naive, "kunci .......... kata .......... kunci .......... "
						    "kata"), 0);
	ck_assert_uint_eq(both_modes(&fast, &naive, "katakunci"), ajakan);
	for (int i = 0; i < 15; i++)
		strcat(many, "kata ...... ");
	strcat(many, "kata kunci");
	ck_assert_uint_eq(both_modes(&fast, &naive, many), ajakan);
	many[0] = '\0';
	for (int i = 0; i < 16; i++)
		strcat(many, "kata ...... ");
	strcat(many, "kata kunci");
	ck_assert_uint_eq(both_modes(&fast, &naive, many), 0);
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(a_side_known_to_fail_spares_the_other)
{
	/* foto.lama's pattern already failed on the post, so the next rules
	 * (an "and", a "near") do not run their other side: one PCRE2 run in
	 * all. Where the pattern matches, all three rules hold. */
	const char *rules = "rule foto.lama\n  category foto\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern photo foto\\s*ria\n  condition photo\nend\n"
			    "rule foto.kata\n  category foto\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern x kata\n  pattern photo foto\\s*ria\n"
			    "  condition x and photo\nend\n"
			    "rule foto.dekat\n  category foto\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern x kata\n  pattern photo foto\\s*ria\n"
			    "  condition near(x, photo, 30)\nend\n";
	struct fixture fast;
	const struct netra_verdict *v;

	setup_rules(&fast, rules, 0, 0, 0);
	v = scan(&fast, "{\"id\":\"1\",\"source\":\"t\",\"text\":\"kata foto lama\"}");
	ck_assert_uint_eq(v->categories, 0);
	ck_assert_uint_eq(v->pcre_runs, 1);
	v = scan(&fast, "{\"id\":\"2\",\"source\":\"t\",\"text\":\"kata foto ria\"}");
	ck_assert(has_cat(v, "foto"));
	ck_assert_uint_eq(v->nhits, 5);
	teardown(&fast);
}
END_TEST

START_TEST(nick_takes_any_honorific_before_a_first_name)
{
	/* {nick}: an honorific of the define, then a space or a dot, or a dot
	 * and a space, then a candidate's first name. The honorifics are
	 * tested by their last letter first; each one must still work, while
	 * other separators and words that only end like one ("tapak") must
	 * not. */
	const char *rules = "define honorific (?:pak|bapak|bu|ibu|mas|kak|kakak|dr)\n"
			    "rule dukungan.sapa\n  category dukungan\n  description t\n"
			    "  reference r\n  weight 0.9\n  pattern w {nick}\nend\n";
	static const char *const yes[] = {"pak bagas", "bapak bagas", "bu dewi", "ibu.dewi",
					  "mas. bagas", "kak dewi", "kakak bagas", "dr. dewi"};
	static const char *const no[] = {"bagas", "pak  bagas", "kak bagasi", "drdewi", "ibu: dewi",
					 "bu,dewi", "tapak bagas", "kamas dewi", "2bu dewi"};
	struct fixture fast;
	struct fixture naive;

	setup_both(&fast, &naive, rules);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		ck_assert_msg(both_modes(&fast, &naive, yes[i]) != 0, "%s", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		ck_assert_msg(both_modes(&fast, &naive, no[i]) == 0, "%s", no[i]);
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(word_start_places_after_letters_are_skipped_not_lost)
{
	/* "kata" inside words ("bukata", "2kata") cannot start the word-start
	 * pattern and are skipped; the real word further on is still found,
	 * and a pattern without a word start still matches inside a word. */
	const char *rules = "rule ajakan.kata\n  category ajakan\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern a (?<![\\p{L}\\p{N}])kata[a-z]\nend\n"
			    "rule foto.sama\n  category foto\n  description t\n  reference r\n"
			    "  weight 0.9\n  pattern s (?:sama|bareng)x\nend\n";
	const char *post = "{\"id\":\"1\",\"source\":\"t\",\"text\":"
			   "\"bukatax 2katay bukataz (katab) bersamax\"}";
	const char *none = "{\"id\":\"2\",\"source\":\"t\",\"text\":\"bukatax 9katay\"}";
	struct fixture fast;
	struct fixture naive;
	const struct netra_verdict *v;

	setup_both(&fast, &naive, rules);
	v = scan(&fast, post);
	ck_assert(has_cat(v, "ajakan"));
	ck_assert(has_cat(v, "foto"));
	ck_assert_uint_eq(v->nhits, 2);
	for (size_t i = 0; i < v->nhits; i++) {
		if (strcmp(v->hits[i].rule, "ajakan.kata") == 0)
			ck_assert_uint_eq(v->hits[i].start, 24);
		else
			ck_assert_uint_eq(v->hits[i].start, 34);
	}
	v = scan(&naive, post);
	ck_assert_uint_eq(v->nhits, 2);
	v = scan(&fast, none);
	ck_assert_uint_eq(v->categories, 0);
	teardown_both(&fast, &naive);
}
END_TEST

START_TEST(bad_pattern_reports_pcre2_error_and_offset)
{
	const char *bad = "rule a.b\n  category ajakan\n  description t\n  reference r\n  weight 0.5\n"
			  "  pattern x (?:abc\nend\n";
	const char *unknown = "rule a.c\n  category ajakan\n  description t\n  reference r\n  weight 0.5\n"
			      "  pattern x {nosuch}\nend\n";
	struct netra_ruleset *rs = NULL;
	struct netra_election *el = NULL;
	struct netra_engine *eng = NULL;
	struct netra_engine_options opt;
	struct netra_buf pb;
	char err[256];
	size_t n;

	netra_buf_init(&pb, 1 << 16);
	netra_engine_options_default(&opt);
	ck_assert_int_eq(netra_election_parse(election_json, strlen(election_json), "e.json", &el, err, sizeof(err)), 0);
	ck_assert_int_eq(netra_ruleset_parse(bad, strlen(bad), "b.rules", &rs, &pb, &n), NETRA_OK);
	ck_assert_int_eq(netra_engine_new(rs, &el, 1, NULL, &opt, &eng, &pb, NULL), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&pb), "b.rules:6: rule a.b: PCRE2: missing closing parenthesis at offset 6"));
	netra_ruleset_destroy(&rs);
	netra_buf_reset(&pb);
	ck_assert_int_eq(netra_ruleset_parse(unknown, strlen(unknown), "u.rules", &rs, &pb, &n), NETRA_OK);
	ck_assert_int_eq(netra_engine_new(rs, &el, 1, NULL, &opt, &eng, &pb, NULL), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&pb), "u.rules:6: rule a.c: unknown placeholder {nosuch}"));
	netra_ruleset_destroy(&rs);
	netra_election_destroy(&el);
	netra_buf_free(&pb);
}
END_TEST

START_TEST(ties_name_no_one_unless_a_name_or_number_says)
{
	struct fixture f;
	const struct netra_verdict *v;

	setup(&f, 0, 0, 0);
	/* "paslon" fits every candidate's instance alike: nobody is named. */
	v = scan(&f, "{\"id\":\"1\",\"source\":\"t\",\"text\":\"rapat paslon di aula\"}");
	ck_assert(has_cat(v, "kegiatan"));
	ck_assert_int_eq(v->number, 0);
	/* "paslon nomor 2" names candidate 2. */
	v = scan(&f, "{\"id\":\"2\",\"source\":\"t\",\"text\":\"rapat paslon nomor 2 di aula\"}");
	ck_assert_int_eq(v->number, 2);
	/* Two candidates named alike: the one named first. */
	v = scan(&f, "{\"id\":\"3\",\"source\":\"t\",\"text\":\"rapat Dewi Lestari dan Bagas Wirawan\"}");
	ck_assert_int_eq(v->number, 2);
	teardown(&f);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hashtag_names_the_candidate);
	tcase_add_test(tc, offsets_point_into_the_original_text);
	tcase_add_test(tc, weak_alias_needs_capitals_or_hashtag);
	tcase_add_test(tc, acts_fields_and_suppression);
	tcase_add_test(tc, stage_and_subject);
	tcase_add_test(tc, match_limit_does_not_hang_or_lose_the_post);
	tcase_add_test(tc, long_fields_are_cut_and_say_so);
	tcase_add_test(tc, prefilter_and_naive_agree);
	tcase_add_test(tc, naive_mode_runs_every_pattern);
	tcase_add_test(tc, many_places_of_a_leading_literal);
	tcase_add_test(tc, digit_led_patterns_find_every_digit);
	tcase_add_test(tc, condition_gates_never_close_on_a_match);
	tcase_add_test(tc, short_leading_literals_are_found_when_the_pattern_runs);
	tcase_add_test(tc, near_pairs_any_of_the_first_matches_of_each_side);
	tcase_add_test(tc, a_side_known_to_fail_spares_the_other);
	tcase_add_test(tc, nick_takes_any_honorific_before_a_first_name);
	tcase_add_test(tc, word_start_places_after_letters_are_skipped_not_lost);
	tcase_add_test(tc, bad_pattern_reports_pcre2_error_and_offset);
	tcase_add_test(tc, ties_name_no_one_unless_a_name_or_number_says);
	suite_add_tcase(s, tc);
	return s;
}
