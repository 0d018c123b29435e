#include "core/error.h"
#include "core/nip.h"

#include "tests/unit/check_main.h"

#include <string.h>

static int check(const char *s, char *err)
{
	return netra_nip_check(s, strlen(s), NULL, err, 256);
}

START_TEST(valid_nip_has_parts)
{
	struct netra_nip n;
	char err[256];
	const char *s = "198503152010011002";

	ck_assert_int_eq(netra_nip_check(s, strlen(s), &n, err, sizeof(err)), NETRA_OK);
	ck_assert_int_eq(n.birth_year, 1985);
	ck_assert_int_eq(n.birth_month, 3);
	ck_assert_int_eq(n.birth_day, 15);
	ck_assert_int_eq(n.start_year, 2010);
	ck_assert_int_eq(n.start_month, 1);
	ck_assert_int_eq(n.sex, 1);
	ck_assert_int_eq(n.sequence, 2);
	/* People write it in groups. */
	ck_assert_int_eq(check("19850315 201001 1 002", err), NETRA_OK);
}
END_TEST

START_TEST(invalid_nips_say_why)
{
	char err[256];

	ck_assert_int_eq(check("19850315201001100", err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "has 17"));
	ck_assert_int_eq(check("1985031520100110021", err), NETRA_EINVAL);
	ck_assert_int_eq(check("19851315201001100a", err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "'a'"));
	ck_assert_int_eq(check("198513152010011002", err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "birth date"));
	ck_assert_int_eq(check("198502302010011002", err), NETRA_EINVAL);
	ck_assert_int_eq(check("198503152010131002", err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "start date"));
	ck_assert_int_eq(check("198503151990011002", err), NETRA_EINVAL);
	ck_assert_int_eq(check("198503152010013002", err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "sex digit"));
}
END_TEST

START_TEST(find_in_bio)
{
	char nip[19];
	const char *bio = "Guru SD | NIP. 19850315 201001 1 002 | Jateng";
	const char *fake = "Call 081234567890123456 now";

	ck_assert_int_eq(netra_nip_find(bio, strlen(bio), nip), 1);
	ck_assert_str_eq(nip, "198503152010011002");
	ck_assert_int_eq(netra_nip_find(fake, strlen(fake), nip), 0);
	ck_assert_int_eq(netra_nip_find("1985031520100110021", 19, nip), 0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("nip");
	TCase *tc = tcase_create("nip");

	tcase_add_test(tc, valid_nip_has_parts);
	tcase_add_test(tc, invalid_nips_say_why);
	tcase_add_test(tc, find_in_bio);
	suite_add_tcase(s, tc);
	return s;
}
