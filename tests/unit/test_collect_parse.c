/* Parsers of the collectors on the real fixtures in ../shared/fixtures:
 * HTML to text, Mastodon statuses, RSS and Atom, and the HTTP header
 * helpers (Link, Retry-After, rate limits). */
#include "collectors/bluesky.h"
#include "collectors/feed.h"
#include "collectors/html.h"
#include "collectors/http.h"
#include "collectors/mastodon.h"
#include "collectors/telegram.h"
#include "core/error.h"
#include "core/post.h"
#include "core/util.h"

#include "tests/unit/check_main.h"

#include <stdlib.h>
#include <string.h>

static char *fixture(const char *name, size_t *len)
{
	char path[1024];
	char err[512];
	char *text = NULL;

	snprintf(path, sizeof(path), "%s/%s", NETRA_FIXTURES_DIR, name);
	ck_assert_msg(netra_file_read(path, 1 << 24, &text, len, err, sizeof(err)) == NETRA_OK, "%s",
		      err);
	return text;
}

START_TEST(html_to_text)
{
	static const char in[] = "<p>Mantap! &#x270C;&#xFE0F; <a href=\"https://x/tags/FAHMA2024\" "
				 "class=\"mention hashtag\">#<span>FAHMA2024</span></a></p><p>baris&nbsp;2"
				 "<br>baris 3 &amp; &lt;b&gt;</p><script>alert(1)</script>";
	char *t = netra_html_to_text(in, strlen(in), 1000);

	ck_assert_str_eq(t, "Mantap! \xE2\x9C\x8C\xEF\xB8\x8F #FAHMA2024\n\nbaris 2\nbaris 3 & <b>");
	free(t);
	t = netra_html_to_text("abc\xff", 4, 1000);
	ck_assert_str_eq(t, "abc\xEF\xBF\xBD");
	free(t);
	/* The cut never splits a character. */
	t = netra_html_to_text("\xE2\x9C\x8C\xE2\x9C\x8C", 6, 4);
	ck_assert_str_eq(t, "\xE2\x9C\x8C");
	free(t);
}
END_TEST

START_TEST(mastodon_statuses)
{
	size_t len;
	char *text = fixture("mastodon_account_statuses.json", &len);
	json_t *page = json_loads(text, 0, NULL);
	char err[256];
	json_t *p;

	ck_assert_ptr_nonnull(page);
	p = netra_mastodon_status_post(json_array_get(page, 0), "fosstodon.org", err, sizeof(err));
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(netra_post_get(p, "id"), "mastodon:fosstodon.org:114620457512351116");
	ck_assert_str_eq(netra_post_get(p, "author.handle"), "schochastics@fosstodon.org");
	ck_assert_str_eq(netra_post_get(p, "act"), "post");
	ck_assert_ptr_nonnull(strstr(netra_post_get(p, "text"), "#rstats cc @maelle"));
	ck_assert_ptr_null(strchr(netra_post_get(p, "text"), '<'));
	json_decref(p);
	p = netra_mastodon_status_post(json_array_get(page, 1), "fosstodon.org", err, sizeof(err));
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(p, "media"), 0),
							   "alt")),
			 "screenshot of a document that contains links processed by url-peek");
	json_decref(p);
	p = netra_mastodon_status_post(json_array_get(page, 2), "fosstodon.org", err, sizeof(err));
	ck_assert_str_eq(netra_post_get(p, "act"), "comment");
	json_decref(p);
	p = json_object();
	ck_assert_ptr_null(netra_mastodon_status_post(p, "x", err, sizeof(err)));
	json_decref(p);
	json_decref(page);
	free(text);
}
END_TEST

START_TEST(mastodon_reblog_is_share)
{
	size_t len;
	char *text = fixture("mastodon_status.json", &len);
	json_t *orig = json_loads(text, 0, NULL);
	json_t *boost = json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s},s:O}", "id", "9", "uri",
				  "https://mastodon.social/users/budi/statuses/9/activity", "content", "",
				  "account", "id", "5", "acct", "budi", "url",
				  "https://mastodon.social/@budi", "reblog", orig);
	char err[256];
	json_t *p = netra_mastodon_status_post(boost, "mastodon.social", err, sizeof(err));

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(netra_post_get(p, "id"), "mastodon:mastodon.social:9");
	ck_assert_str_eq(netra_post_get(p, "act"), "share");
	ck_assert_str_eq(netra_post_get(p, "author.handle"), "budi@mastodon.social");
	ck_assert_str_eq(netra_post_get(p, "ref.id"), "mastodon:fosstodon.org:114620457512351116");
	ck_assert_ptr_nonnull(strstr(netra_post_get(p, "ref.text"), "R Consortium"));
	json_decref(p);
	json_decref(boost);
	json_decref(orig);
	free(text);
}
END_TEST

START_TEST(rss_and_atom)
{
	size_t len;
	char *text = fixture("rss_antaranews_terkini.xml", &len);
	json_t *posts = json_array();
	char err[256];
	json_t *p;

	ck_assert_int_eq(netra_feed_parse(text, len, "antaranews.com", posts, err, sizeof(err)), 1);
	p = json_array_get(posts, 0);
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(netra_post_get(p, "id"),
			 "rss:antaranews.com:https://www.antaranews.com/berita/2110802/"
			 "apple-akan-hadirkan-kembali-platform-media-sosial-parler-ke-app-store");
	ck_assert_str_eq(netra_post_get(p, "created_at"), "2021-04-20T13:37:35+07:00");
	ck_assert_ptr_nonnull(strstr(netra_post_get(p, "text"), "Apple akan hadirkan kembali"));
	ck_assert_ptr_nonnull(strstr(netra_post_get(p, "text"), "di App Store setelah"));
	free(text);
	json_array_clear(posts);

	text = fixture("atom_gnusocial_feed_with_etag.http", &len);
	ck_assert_int_eq(netra_feed_parse(text, len, "quitter.no", posts, err, sizeof(err)), 2);
	p = json_array_get(posts, 1);
	ck_assert_str_eq(netra_post_get(p, "url"), "https://quitter.no/notice/1269381");
	ck_assert_str_eq(netra_post_get(p, "created_at"), "2016-03-19T00:10:14+00:00");
	ck_assert_ptr_nonnull(strstr(netra_post_get(p, "text"), "@gargron I have to wonder"));
	free(text);
	json_array_clear(posts);

	ck_assert_int_eq(netra_feed_parse("<html><body>moved</body></html>", 31, "x", posts, err,
					  sizeof(err)),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "not an RSS or Atom feed"));
	json_decref(posts);
}
END_TEST

START_TEST(telegram_preview)
{
	size_t len;
	char *text = fixture("telegram_channel_preview.html", &len);
	json_t *posts = json_array();
	long long lowest = 0;
	char err[256];
	json_t *p;

	ck_assert_int_eq(netra_telegram_parse(text, len, posts, &lowest, err, sizeof(err)), 1);
	ck_assert_int_eq(lowest, 1491);
	p = json_array_get(posts, 0);
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(netra_post_get(p, "id"), "telegram:t.me:xCareers/1491");
	ck_assert_str_eq(netra_post_get(p, "url"), "https://t.me/xCareers/1491");
	ck_assert_str_eq(netra_post_get(p, "author.name"), "xCareers: Digital Jobs");
	ck_assert_ptr_nonnull(strstr(netra_post_get(p, "text"), "\n\nФормат: #удаленка"));
	ck_assert_uint_eq(json_array_size(json_object_get(p, "tags")), 7);
	free(text);
	json_array_clear(posts);
	ck_assert_int_eq(netra_telegram_parse("<html>x</html>", 14, posts, &lowest, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a channel preview"));
	json_decref(posts);
}
END_TEST

START_TEST(bluesky_author_feed)
{
	size_t len;
	char *text = fixture("bluesky_getAuthorFeed.json", &len);
	json_t *page = json_loads(text, 0, NULL);
	const json_t *feed = json_object_get(page, "feed");
	char err[256];
	json_t *p;

	p = netra_bluesky_feed_item(json_array_get(feed, 0), err, sizeof(err));
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(netra_post_get(p, "act"), "share");
	ck_assert_str_eq(netra_post_get(p, "author.handle"), "yomguithereal.bsky.social");
	ck_assert_str_eq(netra_post_get(p, "ref.author.handle"), "korben.info");
	ck_assert_str_eq(netra_post_get(p, "ref.url"), "https://bsky.app/profile/korben.info/post/3lloj4ipqqh27");
	json_decref(p);
	p = netra_bluesky_feed_item(json_array_get(feed, 1), err, sizeof(err));
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(netra_post_get(p, "act"), "comment");
	ck_assert_str_eq(netra_post_get(p, "ref.id"),
			 "bluesky:bsky.social:at://did:plc:oqynptsozcuxi52v5srdwau2/app.bsky.feed.post/3lloyjul7ec2u");
	ck_assert_str_eq(netra_post_get(p, "ref.author.handle"), "djoo.org");
	ck_assert_int_gt(strlen(netra_post_get(p, "ref.text")), 0);
	json_decref(p);
	p = netra_bluesky_post(json_object_get(json_array_get(feed, 2), "post"), err, sizeof(err));
	ck_assert_int_eq(netra_post_validate(p, err, sizeof(err)), NETRA_OK);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(p, "media"), 0), "alt")),
			 "Vue de xan en action");
	json_decref(p);
	p = json_object();
	ck_assert_ptr_null(netra_bluesky_feed_item(p, err, sizeof(err)));
	json_decref(p);
	json_decref(page);
	free(text);
}
END_TEST

START_TEST(rfc822_dates)
{
	char out[40];

	ck_assert_int_eq(netra_rfc822_to_rfc3339("Sun, 15 Mar 2020 15:54:01 +0700", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2020-03-15T15:54:01+07:00");
	ck_assert_int_eq(netra_rfc822_to_rfc3339("5 Oct 2024 09:12 WIB", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "2024-10-05T09:12:00+07:00");
	ck_assert_int_eq(netra_rfc822_to_rfc3339("31 Feb 2024 09:12 +0000", out, sizeof(out)), -1);
	ck_assert_int_eq(netra_rfc822_to_rfc3339("yesterday", out, sizeof(out)), -1);
}
END_TEST

START_TEST(http_headers)
{
	const char *link = "<https://fosstodon.org/api/v1/x?max_id=1>; rel=\"next\", "
			   "<https://fosstodon.org/api/v1/x?min_id=9>; rel=\"prev\"";
	char *s = netra_http_link(link, "prev");

	ck_assert_str_eq(s, "https://fosstodon.org/api/v1/x?min_id=9");
	free(s);
	s = netra_http_link(link, "next");
	ck_assert_str_eq(s, "https://fosstodon.org/api/v1/x?max_id=1");
	free(s);
	ck_assert_ptr_null(netra_http_link(link, "last"));
	ck_assert_ptr_null(netra_http_link(NULL, "next"));
	ck_assert(netra_http_retry_after("120", 0) == 120.0);
	ck_assert(netra_http_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40) == 60.0);
	ck_assert(netra_http_retry_after("soon", 0) < 0);
	ck_assert(netra_http_ratelimit_wait("0", "2025-07-17T13:50:00.377431Z", 1752760100.0) > 99);
	ck_assert(netra_http_ratelimit_wait("293", "2025-07-17T13:50:00.377431Z", 0) == 0);
	ck_assert(netra_http_ratelimit_wait("0", "30", 1e9) == 30.0);
}
END_TEST

Suite *make_suite(void)
{
	Suite *s = suite_create("collect_parse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, html_to_text);
	tcase_add_test(tc, mastodon_statuses);
	tcase_add_test(tc, mastodon_reblog_is_share);
	tcase_add_test(tc, rss_and_atom);
	tcase_add_test(tc, telegram_preview);
	tcase_add_test(tc, bluesky_author_feed);
	tcase_add_test(tc, rfc822_dates);
	tcase_add_test(tc, http_headers);
	suite_add_tcase(s, tc);
	return s;
}
