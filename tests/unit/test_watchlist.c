#include "core/error.h"
#include "core/util.h"
#include "core/watchlist.h"

#include "tests/unit/check_main.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *line1 =
	"{\"nip\": \"198503152010011002\", \"name\": \"Budi Santoso\", \"position_class\": "
	"\"administrator\", \"agency\": \"Pemkab Contoh\", \"province\": \"Jawa Tengah\", "
	"\"accounts\": [{\"source\": \"mastodon\", \"handle\": \"budi@mastodon.social\"}, "
	"{\"source\": \"jsonl\", \"platform\": \"facebook\", \"handle\": \"budi.s\"}]}\n";
static const char *line2 =
	"{\"nip\": \"197609222000122003\", \"name\": \"Sri Wahyuni\", \"accounts\": "
	"[{\"source\": \"jsonl\", \"platform\": \"instagram\", \"handle\": \"budi.s\"}]}\n";

static int load(const char *text, struct netra_watchlist **w, char *err)
{
	char path[] = "/tmp/netra-test-wl-XXXXXX";
	int fd = mkstemp(path);
	int rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq((int)write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	rc = netra_watchlist_load(path, w, err, 512);
	/* Messages start with the file name: make it stable for the asserts. */
	if (rc != NETRA_OK && strncmp(err, path, strlen(path)) == 0) {
		char tmp[512];
		snprintf(tmp, sizeof(tmp), "wl.jsonl%s", err + strlen(path));
		netra_strlcpy(err, tmp, 512);
	}
	unlink(path);
	return rc;
}

START_TEST(finds_accounts_by_source_handle_platform)
{
	struct netra_watchlist *w = NULL;
	char err[512];
	char text[2048];
	const struct netra_asn *p;

	snprintf(text, sizeof(text), "%s\n%s", line1, line2);
	ck_assert_int_eq(load(text, &w, err), NETRA_OK);
	ck_assert_uint_eq(netra_watchlist_size(w), 2);
	p = netra_watchlist_find(w, "mastodon", "@Budi@Mastodon.Social", NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->nip, "198503152010011002");
	ck_assert_int_eq(p->nipd.birth_year, 1985);
	p = netra_watchlist_find(w, "jsonl", "budi.s", "instagram");
	ck_assert_str_eq(p->name, "Sri Wahyuni");
	p = netra_watchlist_find(w, "jsonl", "budi.s", "facebook");
	ck_assert_str_eq(p->name, "Budi Santoso");
	ck_assert_ptr_null(netra_watchlist_find(w, "bluesky", "budi.s", NULL));
	ck_assert_ptr_nonnull(netra_watchlist_find_nip(w, "197609222000122003"));
	netra_watchlist_destroy(&w);
}
END_TEST

START_TEST(bad_lines_name_line_and_field)
{
	struct netra_watchlist *w = NULL;
	char err[512];
	char text[2048];

	snprintf(text, sizeof(text), "%s{\"nip\": \"198513152010011002\", \"name\": \"X\", \"accounts\": []}\n", line1);
	ck_assert_int_eq(load(text, &w, err), NETRA_EINVAL);
	ck_assert_str_eq(err, "wl.jsonl:2: nip: NIP birth date 1985-13-15 is not a valid date of birth");
	snprintf(text, sizeof(text), "%s%s", line1, line1);
	ck_assert_int_eq(load(text, &w, err), NETRA_EINVAL);
	ck_assert_str_eq(err, "wl.jsonl:2: nip: 198503152010011002 is already on line 1");
	ck_assert_int_eq(load("{\"nip\": \"198503152010011002\", \"name\": \"X\", \"position_class\": \"pejabat\", \"accounts\": []}", &w, err),
			 NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "wl.jsonl:1: position_class: \"pejabat\" is not one of"));
	ck_assert_int_eq(load("{\"nip\": \"198503152010011002\", \"nmae\": \"X\", \"accounts\": []}", &w, err),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "wl.jsonl:1: nmae: unknown field (did you mean \"name\"?)");
	ck_assert_int_eq(load("{\"nip\": \"198503152010011002\", \"name\": \"X\", \"accounts\": [{\"source\": \"rss\"}]}", &w, err),
			 NETRA_EINVAL);
	ck_assert_str_eq(err, "wl.jsonl:1: accounts[0].handle: missing (required)");
	ck_assert_int_eq(load("\n{\"nip\": 5", &w, err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "wl.jsonl:2: "));
	snprintf(text, sizeof(text), "%s{\"nip\": \"197609222000122003\", \"name\": \"Y\", \"accounts\": [{\"source\": \"mastodon\", \"handle\": \"BUDI@mastodon.social\"}]}\n", line1);
	ck_assert_int_eq(load(text, &w, err), NETRA_EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "is already listed for Budi Santoso (line 1)"));
	ck_assert_ptr_null(w);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("watchlist");
	TCase *tc = tcase_create("watchlist");

	tcase_add_test(tc, finds_accounts_by_source_handle_platform);
	tcase_add_test(tc, bad_lines_name_line_and_field);
	suite_add_tcase(s, tc);
	return s;
}
