#include "classifier/rules.h"
#include "core/error.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <string.h>

static const char *good =
	"# a comment\n"
	"define verb (?:coblos|pilih)\n"
	"number 2 dua loro\n"
	"gesture 2 ✌\n"
	"common bagus\n"
	"rule ajakan.test\n"
	"  rev 3\n"
	"  status experimental\n"
	"  category ajakan\n"
	"  description \"A test rule\"\n"
	"  reference UU 10/2016 Pasal 71\n"
	"  weight 0.7\n"
	"  fields text ref\n"
	"  acts post share\n"
	"  pattern v {verb}\n"
	"  pattern n@ref {num}\n"
	"  pattern neg netral\n"
	"  condition (near(v, n, 30) or v) and not neg\n"
	"  prefilter \"coblos\" \"pilih\"\n"
	"  match coblos nomor 2\n"
	"  match share text: ayo || ref: pilih 2\n"
	"  nomatch netral\n"
	"  nomatch halo\n"
	"end\n";

static int parse(const char *text, struct netra_ruleset **rs, struct netra_buf *problems)
{
	size_t n;

	netra_buf_reset(problems);
	return netra_ruleset_parse(text, strlen(text), "t.rules", rs, problems, &n);
}

START_TEST(parses_a_full_rule)
{
	struct netra_ruleset *rs = NULL;
	struct netra_buf pb;
	const struct netra_rule *r;

	netra_buf_init(&pb, 1 << 16);
	ck_assert_int_eq(parse(good, &rs, &pb), NETRA_OK);
	ck_assert_uint_eq(rs->nrules, 1);
	ck_assert_uint_eq(rs->ndefines, 1);
	ck_assert_uint_eq(rs->nnumwords, 3);
	ck_assert_uint_eq(rs->ncommon, 1);
	r = &rs->rules[0];
	ck_assert_str_eq(r->id, "ajakan.test");
	ck_assert_int_eq(r->rev, 3);
	ck_assert_int_eq(r->status, NETRA_STATUS_EXPERIMENTAL);
	ck_assert_int_eq(r->category, netra_category_parse("ajakan"));
	ck_assert_str_eq(r->description, "A test rule");
	ck_assert_uint_eq(r->npatterns, 3);
	ck_assert_uint_eq(r->patterns[1].fields, NETRA_F_REF);
	ck_assert_uint_eq(r->fields, NETRA_F_TEXT | NETRA_F_REF);
	ck_assert_uint_eq(r->nprefilter, 2);
	ck_assert_str_eq(r->prefilter[1], "pilih");
	ck_assert_int_eq(r->cond->op, NETRA_C_AND);
	ck_assert_int_eq(r->cond->a->op, NETRA_C_OR);
	ck_assert_int_eq(r->cond->a->a->op, NETRA_C_NEAR);
	ck_assert_int_eq(r->cond->a->a->distance, 30);
	ck_assert_int_eq(r->cond->b->op, NETRA_C_NOT);
	ck_assert_uint_eq(r->nexamples, 4);
	ck_assert_uint_eq(r->examples[1].nparts, 2);
	ck_assert_str_eq(r->examples[1].act, "share");
	ck_assert_uint_eq(r->examples[1].field[1], NETRA_F_REF);
	ck_assert_str_eq(r->examples[1].text[1], "pilih 2");
	ck_assert_int_eq(r->examples[2].must_match, 0);
	netra_ruleset_destroy(&rs);
	netra_buf_free(&pb);
}
END_TEST

/* Replace from with to in the good rule and expect a problem containing want. */
static void expect_problem(const char *from, const char *to, const char *want)
{
	char text[4096];
	const char *at = strstr(good, from);
	struct netra_ruleset *rs = NULL;
	struct netra_buf pb;

	ck_assert_ptr_nonnull(at);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	netra_buf_init(&pb, 1 << 16);
	ck_assert_int_eq(parse(text, &rs, &pb), NETRA_EINVAL);
	ck_assert_ptr_null(rs);
	if (strstr(netra_buf_str(&pb), want) == NULL)
		ck_abort_msg("wanted \"%s\" in: %s", want, netra_buf_str(&pb));
	netra_buf_free(&pb);
}

START_TEST(problems_name_file_line_and_reason)
{
	expect_problem("category ajakan", "category ajak", "t.rules:9: unknown category 'ajak' (did you mean 'ajakan'?)");
	expect_problem("weight 0.7", "weight 7", "t.rules:12: weight must be a number above 0 and at most 1");
	expect_problem("condition (near(v, n, 30) or v) and not neg", "condition near(v, x, 30)",
		       "t.rules:18: condition, at column 15: no pattern named 'x'");
	expect_problem("condition (near(v, n, 30) or v) and not neg", "condition v and",
		       "t.rules:18: condition, at column 6: expected a pattern name");
	expect_problem("condition (near(v, n, 30) or v) and not neg", "condition not v",
		       "condition is true when nothing matches");
	expect_problem("  weight 0.7\n", "", "t.rules:6: rule ajakan.test: no weight");
	expect_problem("  reference UU 10/2016 Pasal 71\n", "", "no reference");
	expect_problem("end\n", "", "rule ajakan.test is not closed with 'end'");
	expect_problem("  status experimental", "  statsu experimental", "unknown keyword 'statsu' (did you mean 'status'?)");
	expect_problem("  fields text ref", "  fields text bio", "evidence rules cannot look at bio");
	expect_problem("  acts post share", "  acts post retweet", "unknown act 'retweet'");
	expect_problem("rule ajakan.test", "rule Ajakan Test", "must look like category.name");
	expect_problem("  pattern neg netral", "  pattern v netral", "t.rules:17: pattern 'v' is defined twice");
	expect_problem("number 2 dua loro", "number dua loro", "t.rules:3: number takes a ballot number");
	expect_problem("  prefilter \"coblos\" \"pilih\"", "  prefilter coblos", "prefilter takes one or more \"quoted literals\"");
}
END_TEST

START_TEST(several_problems_all_reported)
{
	const char *text = "rule a.b\n  category ajakan\n  description d\n  reference r\n  weight 0.5\n"
			   "  pattern p x\nend\nrule a.c\n  category x\n  weight 2\nend\nrule a.b\nend\nbogus\n";
	struct netra_ruleset *rs = NULL;
	struct netra_buf pb;
	size_t n = 0;

	netra_buf_init(&pb, 1 << 16);
	ck_assert_int_eq(netra_ruleset_parse(text, strlen(text), "m.rules", &rs, &pb, &n), NETRA_EINVAL);
	ck_assert_uint_ge(n, 4);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&pb), "m.rules:9: unknown category 'x'"));
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&pb), "m.rules:12: rule id 'a.b' is already used at m.rules:1"));
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&pb), "m.rules:14: unknown keyword 'bogus' outside a rule"));
	netra_buf_free(&pb);
}
END_TEST

START_TEST(invalid_utf8_is_a_problem_not_a_crash)
{
	const char text[] = "rule a.b\n  description \xff\xfe\nend\n";
	struct netra_ruleset *rs = NULL;
	struct netra_buf pb;
	size_t n = 0;

	netra_buf_init(&pb, 1 << 16);
	ck_assert_int_eq(netra_ruleset_parse(text, sizeof(text) - 1, "u.rules", &rs, &pb, &n), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(netra_buf_str(&pb), "u.rules:2: not valid UTF-8 text"));
	netra_buf_free(&pb);
}
END_TEST

START_TEST(loads_the_shipped_pack)
{
	struct netra_ruleset *rs = NULL;
	struct netra_buf pb;
	size_t n = 0;

	netra_buf_init(&pb, 1 << 20);
	ck_assert_int_eq(netra_ruleset_load(NETRA_RULES_DIR, &rs, &pb, &n), NETRA_OK);
	ck_assert_uint_gt(rs->nrules, 8);
	/* Every category has at least one evidence rule. */
	for (int c = 0; c < NETRA_NCATEGORIES; c++) {
		int found = 0;
		for (size_t i = 0; i < rs->nrules; i++)
			found |= rs->rules[i].kind == NETRA_RULE_EVIDENCE && rs->rules[i].category == c;
		ck_assert_msg(found, "no rule for %s", netra_category_name(c));
	}
	netra_ruleset_destroy(&rs);
	ck_assert_int_eq(netra_ruleset_load("/nonexistent/rules", &rs, &pb, &n), NETRA_EIO);
	netra_buf_free(&pb);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");

	tcase_add_test(tc, parses_a_full_rule);
	tcase_add_test(tc, problems_name_file_line_and_reason);
	tcase_add_test(tc, several_problems_all_reported);
	tcase_add_test(tc, invalid_utf8_is_a_problem_not_a_crash);
	tcase_add_test(tc, loads_the_shipped_pack);
	suite_add_tcase(s, tc);
	return s;
}
