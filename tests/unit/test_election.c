#include "core/election.h"
#include "core/error.h"
#include "core/timeutil.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <string.h>

static const char *good =
	"{\n"
	"  \"id\": \"pilkada-2024-kab-contoh\",\n"
	"  \"name\": \"Pemilihan Bupati Contoh 2024\",\n"
	"  \"timezone\": \"Asia/Makassar\",\n"
	"  \"stages\": [\n"
	"    {\"name\": \"kampanye\", \"start\": \"2024-09-25\", \"end\": \"2024-11-23\"},\n"
	"    {\"name\": \"pemungutan\", \"start\": \"2024-11-27\", \"end\": \"2024-11-27\"}\n"
	"  ],\n"
	"  \"candidates\": [\n"
	"    {\"number\": 1, \"names\": [\"Ahmad Fauzi\"], \"aliases\": [\"FAHMA\"],\n"
	"     \"hashtags\": [\"FAHMA2024\"], \"parties\": [\"PKB\"]},\n"
	"    {\"number\": 2, \"names\": [\"Bambang Wijaya\"]}\n"
	"  ],\n"
	"  \"parties\": [{\"name\": \"Partai Kebangkitan Bangsa\", \"aliases\": [\"PKB\"]}]\n"
	"}\n";

/* Replace the first occurrence of from with to in good; parse; return rc. */
static int parse_edit(const char *from, const char *to, char *err, size_t errsz)
{
	char text[4096];
	const char *at = strstr(good, from);
	struct netra_election *e = NULL;
	int rc;

	ck_assert_ptr_nonnull(at);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	rc = netra_election_parse(text, strlen(text), "e.json", &e, err, errsz);
	netra_election_destroy(&e);
	return rc;
}

START_TEST(good_election_loads)
{
	struct netra_election *e = NULL;
	char err[512];
	int64_t t;
	const struct netra_candidate *c;

	ck_assert_int_eq(netra_election_parse(good, strlen(good), "e.json", &e, err, sizeof(err)),
			 NETRA_OK);
	ck_assert_str_eq(netra_election_id(e), "pilkada-2024-kab-contoh");
	ck_assert_uint_eq(netra_election_ncandidates(e), 2);
	c = netra_election_candidate_by_number(e, 1);
	ck_assert_str_eq(c->aliases.v[0], "FAHMA");
	ck_assert_str_eq(c->hashtags.v[0], "FAHMA2024");
	ck_assert_uint_eq(netra_election_nparties(e), 1);
	/* 2024-09-24T17:30Z is 2024-09-25 01:30 in Makassar (UTC+8): campaign. */
	ck_assert_int_eq(netra_time_parse("2024-09-24T17:30:00Z", &t), 0);
	ck_assert_str_eq(netra_election_stage_at(e, t), "kampanye");
	/* ... but still 2024-09-24 in Jakarta terms, which the zone overrides. */
	ck_assert_int_eq(netra_time_parse("2024-09-24T15:30:00Z", &t), 0);
	ck_assert_ptr_null(netra_election_stage_at(e, t));
	ck_assert_int_eq(netra_time_parse("2024-11-27T12:00:00+08:00", &t), 0);
	ck_assert_str_eq(netra_election_stage_at(e, t), "pemungutan");
	netra_election_destroy(&e);
	ck_assert_ptr_null(e);
}
END_TEST

START_TEST(bad_elections_name_file_line_field)
{
	char err[512];

	ck_assert_int_eq(parse_edit("\"number\": 2", "\"number\": \"dua\"", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_str_eq(err, "e.json:12: candidates[1].number: must be a ballot number from 1 to 99");
	ck_assert_int_eq(parse_edit("\"number\": 2", "\"number\": 1", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_str_eq(err, "e.json:12: candidates[1].number: ballot number 1 is used twice");
	ck_assert_int_eq(parse_edit("Asia/Makassar", "Asia/Bali", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "e.json:4: timezone: unknown time zone \"Asia/Bali\""));
	ck_assert_int_eq(parse_edit("\"2024-11-23\"", "\"2024-09-01\"", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "e.json:6: stages[0].end: ends (2024-09-01) before"));
	ck_assert_int_eq(parse_edit("\"2024-09-25\"", "\"25/09/2024\"", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_str_eq(err, "e.json:6: stages[0].start: must be a date YYYY-MM-DD");
	ck_assert_int_eq(parse_edit("[\"Bambang Wijaya\"]", "[]", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_str_eq(err, "e.json:12: candidates[1].names: must not be empty");
	ck_assert_int_eq(parse_edit("\"FAHMA2024\"", "\"#FAHMA2024\"", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "e.json:11: candidates[0].hashtags[0]: write hashtags without '#'"));
	ck_assert_int_eq(parse_edit("\"aliases\": [\"FAHMA\"]", "\"alias\": [\"FAHMA\"]", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "e.json:10: candidates[0].alias: unknown field (did you mean \"aliases\"?)");
	ck_assert_int_eq(parse_edit("\"id\": \"pilkada-2024-kab-contoh\",\n", "", err, sizeof(err)),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "e.json:1: id: missing (required)");
	ck_assert_int_eq(parse_edit("\"stages\": [", "\"stages\": [,", err, sizeof(err)), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "e.json:5: invalid JSON"));
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("election");
	TCase *tc = tcase_create("election");

	tcase_add_test(tc, good_election_loads);
	tcase_add_test(tc, bad_elections_name_file_line_field);
	suite_add_tcase(s, tc);
	return s;
}
