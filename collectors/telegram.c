/* Source "telegram": public channels through their web preview
 * (t.me/s/CHANNEL), which needs no account. The page shows the latest
 * messages; older ones are paged with ?before=N. The cursor is the
 * highest message number handed on. */
#include "collectors/telegram.h"

#include "collectors/html.h"
#include "collectors/source.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TG_TEXT_MAX = 64 * 1024, TG_MESSAGES_MAX = 1000 };

static const struct netra_source_key telegram_keys[] = {
	{"channel", NETRA_KEY_STRING, 1, NULL, 0, 0,
	 "The public channel's username, as in https://t.me/s/USERNAME."},
	{"base_url", NETRA_KEY_STRING, 0, "https://t.me", 0, 0,
	 "Where previews are served; change only for tests or a mirror."},
	{"max_pages", NETRA_KEY_INTEGER, 0, "5", 1, 100,
	 "Older pages read per poll to fill a gap since the last poll."},
	{NULL, NETRA_KEY_STRING, 0, NULL, 0, 0, NULL},
};

static const char *mem_find(const char *hay, const char *end, const char *needle)
{
	size_t nl = strlen(needle);

	for (const char *p = hay; p + nl <= end; p++)
		if (*p == needle[0] && memcmp(p, needle, nl) == 0)
			return p;
	return NULL;
}

/* The value of attr="..." after p (before end), as a new string. */
static char *attr_after(const char *p, const char *end, const char *attr)
{
	const char *a = mem_find(p, end, attr);
	const char *q;

	if (a == NULL)
		return NULL;
	a += strlen(attr);
	q = memchr(a, '"', (size_t)(end - a));
	if (q == NULL)
		return NULL;
	return netra_html_decode_entities(a, (size_t)(q - a));
}

/* The inner HTML of the element whose start tag contains cls, up to its
 * matching </div> (nested divs counted). */
static const char *div_inner(const char *p, const char *end, const char *cls, size_t *n)
{
	const char *a = mem_find(p, end, cls);
	const char *q;
	int depth = 1;

	if (a == NULL)
		return NULL;
	a = memchr(a, '>', (size_t)(end - a));
	if (a == NULL)
		return NULL;
	a++;
	for (q = a; q < end; q++) {
		if (end - q >= 4 && memcmp(q, "<div", 4) == 0)
			depth++;
		else if (end - q >= 6 && memcmp(q, "</div>", 6) == 0 && --depth == 0)
			break;
	}
	*n = (size_t)(q - a);
	return a;
}

static json_t *hashtags(const char *text)
{
	json_t *tags = json_array();

	for (const char *p = text; tags != NULL && *p != '\0'; p++) {
		size_t n;
		if (*p != '#' || (p > text && !isspace((unsigned char)p[-1]) && p[-1] != '('))
			continue;
		n = 0;
		while (p[1 + n] != '\0' &&
		       ((unsigned char)p[1 + n] >= 0x80 || isalnum((unsigned char)p[1 + n]) ||
			p[1 + n] == '_'))
			n++;
		if (n > 0)
			json_array_append_new(tags, json_stringn(p + 1, n));
	}
	return tags;
}

/* One message block [p, end) with its data-post value. */
static json_t *message_post(const char *p, const char *end, const char *dpost, char *err,
			    size_t errsz)
{
	struct netra_buf id;
	struct netra_buf url;
	const char *inner;
	size_t n = 0;
	char *text = NULL;
	char *when = NULL;
	char *name = NULL;
	char *slash;
	json_t *post = NULL;
	json_t *tags = NULL;
	json_t *media = NULL;
	const char *ph;
	int64_t t;

	netra_buf_init(&id, 1024);
	netra_buf_init(&url, 1024);
	slash = strchr(dpost, '/');
	/* "CHANNEL/NUMBER": anything else is not a message we can name. */
	if (slash == NULL || slash == dpost || slash[1] == '\0' || strlen(dpost) > 200 ||
	    strspn(slash + 1, "0123456789") != strlen(slash + 1)) {
		snprintf(err, errsz, "message with a malformed data-post \"%.64s\"", dpost);
		goto cleanup;
	}
	netra_buf_printf(&id, "telegram:t.me:%s", dpost);
	netra_buf_printf(&url, "https://t.me/%s", dpost);
	inner = div_inner(p, end, "tgme_widget_message_text", &n);
	text = inner != NULL ? netra_html_to_text(inner, n, TG_TEXT_MAX) : netra_strdup("");
	post = text != NULL ? json_pack("{s:s,s:s,s:s,s:s}", "id", netra_buf_str(&id), "source",
					 "telegram", "url", netra_buf_str(&url), "text", text)
			    : NULL;
	if (post == NULL) {
		snprintf(err, errsz, "out of memory");
		goto cleanup;
	}
	when = attr_after(p, end, "<time datetime=\"");
	if (when != NULL && netra_time_parse(when, &t) == 0)
		netra_json_set_str(post, "created_at", when);
	inner = div_inner(p, end, "tgme_widget_message_author", &n);
	name = inner != NULL ? netra_html_to_text(inner, n, 1024) : NULL;
	{
		json_t *author = json_object();
		char handle[256];
		snprintf(handle, sizeof(handle), "%.*s", (int)(slash - dpost), dpost);
		netra_json_set_str(author, "handle", handle);
		netra_json_set_str(author, "name", name);
		json_object_set_new(post, "author", author);
	}
	json_object_set_new(post, "act", json_string("post"));
	tags = hashtags(text);
	if (json_array_size(tags) > 0)
		json_object_set(post, "tags", tags);
	media = json_array();
	for (ph = p; media != NULL && (ph = mem_find(ph, end, "tgme_widget_message_photo_wrap")) != NULL;
	     ph++) {
		const char *st = mem_find(ph, end, "background-image:url('");
		const char *q;
		if (st == NULL)
			break;
		st += 22;
		q = memchr(st, '\'', (size_t)(end - st));
		if (q == NULL)
			break;
		json_array_append_new(media, json_pack("{s:s,s:s%,s:s,s:s}", "type", "image", "url", st,
						       (size_t)(q - st), "alt", "", "text", ""));
	}
	if (json_array_size(media) > 0)
		json_object_set(post, "media", media);
cleanup:
	json_decref(tags);
	json_decref(media);
	free(text);
	free(when);
	free(name);
	netra_buf_free(&id);
	netra_buf_free(&url);
	return post;
}

long netra_telegram_parse(const char *html, size_t len, json_t *out, long long *lowest,
			  char *err, size_t errsz)
{
	const char *end = html + len;
	const char *p;
	long count = 0;

	*lowest = 0;
	p = mem_find(html, end, "tgme_channel_history");
	if (p == NULL) {
		snprintf(err, errsz, "not a channel preview page (no message history: the channel "
				     "may be private or the page shape has changed)");
		return -1;
	}
	while (count < TG_MESSAGES_MAX && (p = mem_find(p, end, "data-post=\"")) != NULL) {
		const char *next = mem_find(p + 11, end, "data-post=\"");
		const char *stop = next != NULL ? next : end;
		char *dpost = attr_after(p, stop, "data-post=\"");
		const char *slash;
		json_t *post;
		long long num;
		if (dpost == NULL) {
			snprintf(err, errsz, "message without a closed data-post attribute");
			return -1;
		}
		post = message_post(p, stop, dpost, err, errsz);
		slash = strrchr(dpost, '/');
		num = slash != NULL ? strtoll(slash + 1, NULL, 10) : 0;
		free(dpost);
		if (post == NULL)
			return -1;
		if (num > 0 && (*lowest == 0 || num < *lowest))
			*lowest = num;
		json_array_append_new(out, post);
		count++;
		p = stop;
	}
	return count;
}

/* The plugin. */

/* State of a chain of page requests. */
struct tgreq {
	struct netra_source *src; /* the source */
	int page;                 /* pages read */
	long long last;           /* the cursor when the poll began */
	int have_cursor;          /* there was a cursor */
};

static void on_page(const struct netra_http_response *resp, void *arg);

static int request_page(struct netra_source *src, long long before, int page, long long last,
			int have_cursor)
{
	struct netra_buf url;
	struct netra_http_request req;
	struct tgreq *r = calloc(1, sizeof(*r));
	int rc;

	if (r == NULL)
		return NETRA_ENOMEM;
	r->src = src;
	r->page = page;
	r->last = last;
	r->have_cursor = have_cursor;
	netra_buf_init(&url, 4096);
	netra_buf_printf(&url, "%s/s/%s", netra_source_str(src, "base_url"),
			 netra_source_str(src, "channel"));
	if (before > 0)
		netra_buf_printf(&url, "?before=%lld", before);
	memset(&req, 0, sizeof(req));
	req.url = netra_buf_str(&url);
	rc = netra_source_http(src, &req, on_page, r);
	if (rc != NETRA_OK)
		free(r);
	netra_buf_free(&url);
	return rc;
}

static void on_page(const struct netra_http_response *resp, void *arg)
{
	struct tgreq *r = arg;
	struct netra_source *src = r->src;
	json_t *cursor = netra_source_cursor(src);
	long long last = r->last;
	int have_cursor = r->have_cursor;
	long long highest = json_integer_value(json_object_get(cursor, "last"));
	json_t *posts = json_array();
	long long lowest = 0;
	char err[512];
	long n;
	size_t i;
	json_t *post;

	if (resp->result != NETRA_HTTP_OK) {
		netra_source_fail(src, resp->retry_after, "%s: %s", resp->url, resp->error);
		goto done;
	}
	if (posts == NULL)
		goto done;
	n = netra_telegram_parse(resp->body, resp->body_len, posts, &lowest, err, sizeof(err));
	if (n < 0) {
		netra_source_fail(src, 0, "%s: %s", resp->url, err);
		goto done;
	}
	netra_source_count_fetched(src, (size_t)n);
	json_array_foreach(posts, i, post) {
		const char *id = json_string_value(json_object_get(post, "id"));
		const char *slash = strrchr(id, '/');
		long long num = slash != NULL ? strtoll(slash + 1, NULL, 10) : 0;
		if (have_cursor && num <= last)
			continue;
		if (num > highest)
			highest = num;
		netra_source_emit(src, json_incref(post));
	}
	if (highest > 0)
		json_object_set_new(cursor, "last", json_integer(highest));
	/* A gap between the last poll and this page: read older pages. */
	if (have_cursor && lowest > last + 1 && n > 0) {
		if (r->page < netra_source_int(src, "max_pages"))
			request_page(src, lowest, r->page + 1, last, have_cursor);
		else
			netra_warn("source", netra_source_name(src),
				   "more than %lld pages since the last poll; older messages skipped",
				   netra_source_int(src, "max_pages"));
	}
done:
	json_decref(posts);
	free(r);
}

static int telegram_poll(struct netra_source *src)
{
	json_t *cursor = netra_source_cursor(src);
	const json_t *last = json_object_get(cursor, "last");

	return request_page(src, 0, 1, json_integer_value(last), last != NULL);
}

static int telegram_init(struct netra_source *src, char *err, size_t errsz)
{
	const char *ch = netra_source_str(src, "channel");

	for (const char *p = ch; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_') {
			snprintf(err, errsz, "channel: letters, digits and '_' only (the name in "
					     "t.me/s/NAME)");
			return NETRA_EINVAL;
		}
	}
	return NETRA_OK;
}

const struct netra_source_plugin netra_source_telegram = {
	.name = "telegram",
	.description = "Telegram public channels through their web preview (t.me/s/CHANNEL)",
	.config = telegram_keys,
	.init = telegram_init,
	.poll = telegram_poll,
	.exit = NULL,
};
