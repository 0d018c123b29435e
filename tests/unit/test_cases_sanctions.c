/* The suggested-sanction table: the rule pack's file parses, rows are
 * looked up by stage then stage class, and broken tables say file:line. */
#include "core/error.h"
#include "sinks/sanctions.h"

#include "tests/unit/check_main.h"

#include <string.h>

static char err[512];

static int parse(const char *text, struct netra_sanctions **s)
{
	return netra_sanctions_parse(text, strlen(text), "t.tsv", s, err, sizeof(err));
}

START_TEST(rule_pack_table_loads)
{
	struct netra_sanctions *s = NULL;
	const char *sanction;
	const char *basis;

	ck_assert_int_eq(netra_sanctions_load(NETRA_RULES_DIR "/sanctions.tsv", &s, err,
					      sizeof(err)),
			 NETRA_OK);
	ck_assert_int_eq(netra_sanctions_suggest(s, "parpol", "pendaftaran", NETRA_STAGE_BEFORE,
						 &sanction, &basis),
			 NETRA_OK);
	ck_assert_str_eq(sanction, "ptdh");
	ck_assert_int_eq(netra_sanctions_suggest(s, "dukungan", "kampanye", NETRA_STAGE_AFTER,
						 &sanction, &basis),
			 NETRA_OK);
	ck_assert_str_eq(sanction, "hukuman_disiplin_sedang");
	ck_assert_int_eq(netra_sanctions_suggest(s, "dukungan", NULL, NULL, &sanction, &basis),
			 NETRA_ENOTFOUND);
	netra_sanctions_destroy(&s);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(a_stage_row_wins_over_its_class)
{
	struct netra_sanctions *s = NULL;
	const char *sanction;
	const char *basis;

	ck_assert_int_eq(parse("# c\ncategory\tstage\tsanction\tbasis\n"
			       "ajakan\tsetelah_penetapan\thukuman_disiplin_berat\tB1\n"
			       "ajakan\tmasa_tenang\tptdh\tB2\n", &s),
			 NETRA_OK);
	ck_assert_int_eq(netra_sanctions_suggest(s, "ajakan", "masa_tenang", NETRA_STAGE_AFTER,
						 &sanction, &basis), 0);
	ck_assert_str_eq(basis, "B2");
	ck_assert_int_eq(netra_sanctions_suggest(s, "ajakan", "kampanye", NETRA_STAGE_AFTER,
						 &sanction, &basis), 0);
	ck_assert_str_eq(basis, "B1");
	netra_sanctions_destroy(&s);
}
END_TEST

START_TEST(broken_tables_say_where)
{
	struct netra_sanctions *s = NULL;

	ck_assert_int_eq(parse("category\tstage\tsanction\n", &s), NETRA_EINVAL);
	ck_assert_str_eq(err, "t.tsv:1: 3 tab-separated field(s), want 4 (category, stage, "
			      "sanction, basis)");
	ck_assert_int_eq(parse("cat\tstage\tsanction\tbasis\n", &s), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "t.tsv:1: the first row must be the header"));
	ck_assert_int_eq(parse("category\tstage\tsanction\tbasis\n\nfoo\tkampanye\tptdh\tx\n", &s),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "t.tsv:3: category \"foo\" is not one of dukungan, ajakan, foto, "
			      "baliho, kegiatan, pencalonan, parpol, fasilitas");
	ck_assert_int_eq(parse("category\tstage\tsanction\tbasis\nfoto\tkampanye\tberat\tx\n", &s),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "t.tsv:2: sanction \"berat\" is not one of"));
	ck_assert_int_eq(parse("category\tstage\tsanction\tbasis\nfoto\tKampanye!\tptdh\tx\n", &s),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "t.tsv:2: stage"));
	ck_assert_int_eq(parse("category\tstage\tsanction\tbasis\nfoto\tkampanye\tptdh\t\n", &s),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "t.tsv:2: the basis is empty");
	ck_assert_int_eq(parse("category\tstage\tsanction\tbasis\nfoto\tkampanye\tptdh\tx\n"
			       "foto\tkampanye\tptdh\ty\n", &s),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "t.tsv:3: foto/kampanye is already given on line 2");
	ck_assert_int_eq(parse("# only comments\n", &s), NETRA_EINVAL);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(stage_classes)
{
	ck_assert_str_eq(netra_stage_class("kampanye", NULL, 0), NETRA_STAGE_AFTER);
	ck_assert_str_eq(netra_stage_class("penetapan", NULL, 0), NETRA_STAGE_AFTER);
	ck_assert_str_eq(netra_stage_class("pendaftaran", NULL, 0), NETRA_STAGE_BEFORE);
	ck_assert_ptr_null(netra_stage_class(NULL, NULL, 0));
	ck_assert_int_eq(netra_sanction_rank("ptdh"), 5);
	ck_assert_int_eq(netra_sanction_rank("sanksi_moral"), 1);
	ck_assert_str_eq(netra_sanction_label("hukuman_disiplin_berat"), "Hukuman disiplin berat");
	ck_assert_str_eq(netra_category_label("ajakan"), "Ajakan memilih");
}
END_TEST

START_TEST(stage_class_by_date_with_an_election)
{
	const char *text =
		"{\"id\":\"e\",\"name\":\"E\",\"timezone\":\"Asia/Jakarta\",\"stages\":["
		"{\"name\":\"pendaftaran\",\"start\":\"2024-08-27\",\"end\":\"2024-08-29\"},"
		"{\"name\":\"penetapan\",\"start\":\"2024-09-22\",\"end\":\"2024-09-22\"},"
		"{\"name\":\"kampanye\",\"start\":\"2024-09-25\",\"end\":\"2024-11-23\"}],"
		"\"candidates\":[{\"number\":1,\"names\":[\"A\"]}],\"parties\":[]}";
	struct netra_election *e = NULL;

	ck_assert_int_eq(netra_election_parse(text, strlen(text), "e.json", &e, err, sizeof(err)), 0);
	/* 2024-09-10 (between stages, before penetapan) and 2024-12-01 (after). */
	ck_assert_str_eq(netra_stage_class(NULL, e, 1725926400), NETRA_STAGE_BEFORE);
	ck_assert_str_eq(netra_stage_class(NULL, e, 1733011200), NETRA_STAGE_AFTER);
	ck_assert_str_eq(netra_stage_class("kampanye", e, 0), NETRA_STAGE_AFTER);
	ck_assert_str_eq(netra_stage_class("pendaftaran", e, 0), NETRA_STAGE_BEFORE);
	netra_election_destroy(&e);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("cases_sanctions");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, rule_pack_table_loads);
	tcase_add_test(tc, a_stage_row_wins_over_its_class);
	tcase_add_test(tc, broken_tables_say_where);
	tcase_add_test(tc, stage_classes);
	tcase_add_test(tc, stage_class_by_date_with_an_election);
	suite_add_tcase(s, tc);
	return s;
}
