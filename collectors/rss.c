/* Source "rss": RSS 2.0 and Atom feeds (news sites, agencies' and
 * officials' blogs), fetched with conditional GET (If-None-Match,
 * If-Modified-Since) so an unchanged feed costs a 304. An item's guid
 * (Atom: id), else its link, is its id. */
#include "collectors/feed.h"

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
#include <strings.h>

enum { FEED_TEXT_MAX = 1024 * 1024, ITEMS_MAX = 10000 };

static const struct netra_source_key rss_keys[] = {
	{"url", NETRA_KEY_STRING, 1, NULL, 0, 0, "The feed's URL (RSS 2.0 or Atom)."},
	{"site", NETRA_KEY_STRING, 0, NULL, 0, 0,
	 "Name used in post ids (\"rss:SITE:GUID\"); defaults to the feed URL's host."},
	{NULL, NETRA_KEY_STRING, 0, NULL, 0, 0, NULL},
};

/* A span of the document. */
struct span {
	const char *p; /* start, or NULL if absent */
	size_t n;      /* length */
};

static const char *find_mem(const char *hay, size_t n, const char *needle)
{
	size_t nl = strlen(needle);

	if (nl == 0 || n < nl)
		return NULL;
	for (size_t i = 0; i + nl <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nl) == 0)
			return hay + i;
	return NULL;
}

/* Find the first element named name (exact, prefix included) in s:
 * *tag spans its start tag's attributes, *inner its content. Returns the
 * position just after the element, or NULL. */
static const char *find_elem(struct span s, const char *name, struct span *tag,
			     struct span *inner)
{
	size_t nl = strlen(name);
	const char *p = s.p;
	const char *end = s.p + s.n;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p));
		const char *gt;
		char quote = 0;
		if (lt == NULL)
			return NULL;
		p = lt + 1;
		/* Comments and CDATA may hold text that looks like tags. */
		if ((size_t)(end - p) >= 3 && memcmp(p, "!--", 3) == 0) {
			const char *ce = find_mem(p + 3, (size_t)(end - p - 3), "-->");
			if (ce == NULL)
				return NULL;
			p = ce + 3;
			continue;
		}
		if ((size_t)(end - p) >= 8 && memcmp(p, "![CDATA[", 8) == 0) {
			const char *ce = find_mem(p + 8, (size_t)(end - p - 8), "]]>");
			if (ce == NULL)
				return NULL;
			p = ce + 3;
			continue;
		}
		if ((size_t)(end - p) < nl + 1 || memcmp(p, name, nl) != 0)
			continue;
		if (!(p[nl] == '>' || p[nl] == '/' || isspace((unsigned char)p[nl])))
			continue;
		gt = p + nl;
		while (gt < end && (quote != 0 || *gt != '>')) {
			if (quote != 0 && *gt == quote)
				quote = 0;
			else if (quote == 0 && (*gt == '"' || *gt == '\''))
				quote = *gt;
			gt++;
		}
		if (gt >= end)
			return NULL;
		tag->p = p + nl;
		tag->n = (size_t)(gt - tag->p);
		if (gt[-1] == '/') {
			inner->p = gt + 1;
			inner->n = 0;
			return gt + 1;
		}
		{
			char close[80];
			const char *c;
			const char *q = gt + 1;
			snprintf(close, sizeof(close), "</%s", name);
			/* Skip CDATA sections when looking for the close tag. */
			for (;;) {
				const char *cd = find_mem(q, (size_t)(end - q), "<![CDATA[");
				c = find_mem(q, (size_t)(end - q), close);
				if (c == NULL)
					return NULL;
				if (cd != NULL && cd < c) {
					const char *ce = find_mem(cd, (size_t)(end - cd), "]]>");
					if (ce == NULL)
						return NULL;
					q = ce + 3;
					continue;
				}
				break;
			}
			inner->p = gt + 1;
			inner->n = (size_t)(c - inner->p);
			gt = memchr(c, '>', (size_t)(end - c));
			return gt != NULL ? gt + 1 : end;
		}
	}
	return NULL;
}

/* The value of attribute name in a start tag span, as a new string. */
static char *attr(struct span tag, const char *name)
{
	size_t nl = strlen(name);
	const char *p = tag.p;
	const char *end = tag.p + tag.n;

	while (p + nl + 2 < end) {
		if ((p == tag.p || isspace((unsigned char)p[-1])) && memcmp(p, name, nl) == 0 &&
		    p[nl] == '=' && (p[nl + 1] == '"' || p[nl + 1] == '\'')) {
			const char *v = p + nl + 2;
			const char *q = memchr(v, p[nl + 1], (size_t)(end - v));
			if (q == NULL)
				return NULL;
			return netra_html_decode_entities(v, (size_t)(q - v));
		}
		p++;
	}
	return NULL;
}

/* The text of an element: CDATA kept as is, other text entity-decoded;
 * with html set, the result is then turned from HTML into plain text. */
static char *elem_text(struct span inner, int html)
{
	struct netra_buf b;
	const char *p = inner.p;
	const char *end = inner.p + inner.n;
	char *raw;
	char *out;

	netra_buf_init(&b, inner.n * 4 + 16);
	while (p < end) {
		const char *cd = find_mem(p, (size_t)(end - p), "<![CDATA[");
		const char *stop = cd != NULL ? cd : end;
		char *dec = netra_html_decode_entities(p, (size_t)(stop - p));
		if (dec != NULL)
			(void)netra_buf_adds(&b, dec);
		free(dec);
		if (cd == NULL)
			break;
		{
			const char *ce = find_mem(cd + 9, (size_t)(end - cd - 9), "]]>");
			const char *cend = ce != NULL ? ce : end;
			(void)netra_buf_add(&b, cd + 9, (size_t)(cend - cd - 9));
			p = ce != NULL ? ce + 3 : end;
		}
	}
	raw = netra_buf_steal(&b);
	if (raw == NULL || !html)
		return raw;
	out = netra_html_to_text(raw, strlen(raw), FEED_TEXT_MAX);
	free(raw);
	return out;
}

static char *child_text(struct span item, const char *name, int html)
{
	struct span tag;
	struct span inner;

	if (find_elem(item, name, &tag, &inner) == NULL)
		return NULL;
	return elem_text(inner, html);
}

static void trim(char *s)
{
	size_t n;
	size_t lead;

	if (s == NULL)
		return;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	lead = strspn(s, " \t\r\n");
	memmove(s, s + lead, n - lead + 1);
}

int netra_rfc822_to_rfc3339(const char *s, char *out, size_t outsz)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	const char *p = s;
	char *end;
	long d;
	long y;
	int mon = 0;
	int hh;
	int mm;
	int ss = 0;
	int oh = 0;
	int om = 0;
	char sign = '+';

	while (isspace((unsigned char)*p))
		p++;
	if (isalpha((unsigned char)*p)) {
		p = strchr(p, ',');
		if (p == NULL)
			return -1;
		p++;
	}
	d = strtol(p, &end, 10);
	if (end == p || d < 1 || d > 31)
		return -1;
	p = end;
	while (*p == ' ')
		p++;
	for (int i = 0; i < 12; i++)
		if (strncasecmp(p, months[i], 3) == 0)
			mon = i + 1;
	if (mon == 0)
		return -1;
	p += 3;
	y = strtol(p, &end, 10);
	if (end == p)
		return -1;
	if (y < 100)
		y += y < 50 ? 2000 : 1900;
	p = end;
	while (*p == ' ')
		p++;
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]) || p[2] != ':' ||
	    !isdigit((unsigned char)p[3]) || !isdigit((unsigned char)p[4]))
		return -1;
	hh = (p[0] - '0') * 10 + (p[1] - '0');
	mm = (p[3] - '0') * 10 + (p[4] - '0');
	p += 5;
	if (p[0] == ':' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
		ss = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
	}
	while (*p == ' ')
		p++;
	if ((*p == '+' || *p == '-') && strlen(p) >= 5) {
		sign = *p;
		for (int i = 1; i <= 4; i++)
			if (!isdigit((unsigned char)p[i]))
				return -1;
		oh = (p[1] - '0') * 10 + (p[2] - '0');
		om = (p[3] - '0') * 10 + (p[4] - '0');
	} else if (strncmp(p, "WIB", 3) == 0) {
		oh = 7; /* Indonesian feeds sometimes name the zone */
	} else if (strncmp(p, "WITA", 4) == 0) {
		oh = 8;
	} else if (strncmp(p, "WIT", 3) == 0) {
		oh = 9;
	}
	if (!netra_date_valid((int)y, mon, (int)d) || hh > 23 || mm > 59 || ss > 60 || oh > 23 ||
	    om > 59)
		return -1;
	snprintf(out, outsz, "%04ld-%02d-%02ldT%02d:%02d:%02d%c%02d:%02d", y, mon, d, hh, mm, ss,
		 sign, oh, om);
	return 0;
}

/* Build one post from an RSS item or Atom entry. */
static json_t *item_post(struct span item, int atom, const char *site, char *err, size_t errsz)
{
	char *guid = child_text(item, atom ? "id" : "guid", 0);
	char *link = NULL;
	char *title = child_text(item, "title", 1);
	char *body = NULL;
	char *date = NULL;
	char *author = NULL;
	struct netra_buf text;
	struct netra_buf id;
	json_t *post = NULL;
	json_t *tags = NULL;
	struct span tag;
	struct span inner;
	struct span rest = item;
	char when[40];
	int64_t t;

	netra_buf_init(&text, FEED_TEXT_MAX * 2 + 16);
	netra_buf_init(&id, 8192);
	if (atom) {
		/* The first link that is rel="alternate" or has no rel. */
		const char *next;
		while ((next = find_elem(rest, "link", &tag, &inner)) != NULL) {
			char *rel = attr(tag, "rel");
			int ok = rel == NULL || strcmp(rel, "alternate") == 0;
			free(rel);
			if (ok) {
				link = attr(tag, "href");
				break;
			}
			rest.n -= (size_t)(next - rest.p);
			rest.p = next;
		}
		body = child_text(item, "content", 1);
		if (body == NULL)
			body = child_text(item, "summary", 1);
		date = child_text(item, "published", 0);
		if (date == NULL)
			date = child_text(item, "updated", 0);
		if (find_elem(item, "author", &tag, &inner) != NULL)
			author = child_text(inner, "name", 0);
	} else {
		link = child_text(item, "link", 0);
		body = child_text(item, "content:encoded", 1);
		if (body == NULL)
			body = child_text(item, "description", 1);
		date = child_text(item, "pubDate", 0);
		author = child_text(item, "dc:creator", 0);
		if (author == NULL)
			author = child_text(item, "author", 0);
	}
	trim(guid);
	trim(link);
	trim(title);
	trim(date);
	trim(author);
	if ((guid == NULL || guid[0] == '\0') && (link == NULL || link[0] == '\0')) {
		snprintf(err, errsz, "an item has neither %s nor link", atom ? "id" : "guid");
		goto cleanup;
	}
	netra_buf_printf(&id, "rss:%s:%s", site, guid != NULL && guid[0] != '\0' ? guid : link);
	if (title != NULL && title[0] != '\0')
		netra_buf_adds(&text, title);
	if (body != NULL && body[0] != '\0') {
		if (text.len > 0)
			netra_buf_adds(&text, "\n\n");
		netra_buf_adds(&text, body);
	}
	post = netra_post_new(netra_buf_str(&id), "rss", netra_buf_str(&text));
	if (post == NULL) {
		snprintf(err, errsz, "out of memory");
		goto cleanup;
	}
	netra_json_set_str(post, "url", link);
	if (date != NULL) {
		if (netra_time_parse(date, &t) == 0)
			netra_json_set_str(post, "created_at", date);
		else if (netra_rfc822_to_rfc3339(date, when, sizeof(when)) == 0)
			netra_json_set_str(post, "created_at", when);
	}
	if (author != NULL && author[0] != '\0')
		json_object_set_new(post, "author", json_pack("{s:s}", "name", author));
	json_object_set_new(post, "act", json_string("post"));
	tags = json_array();
	rest = item;
	{
		const char *next;
		while (tags != NULL && (next = find_elem(rest, "category", &tag, &inner)) != NULL) {
			char *c = atom ? attr(tag, "term") : elem_text(inner, 0);
			trim(c);
			if (c != NULL && c[0] != '\0')
				json_array_append_new(tags, json_string(c));
			free(c);
			rest.n -= (size_t)(next - rest.p);
			rest.p = next;
		}
	}
	if (json_array_size(tags) > 0)
		json_object_set_new(post, "tags", tags);
	else
		json_decref(tags);
cleanup:
	netra_buf_free(&text);
	netra_buf_free(&id);
	free(guid);
	free(link);
	free(title);
	free(body);
	free(date);
	free(author);
	return post;
}

long netra_feed_parse(const char *xml, size_t len, const char *site, json_t *out,
		      char *err, size_t errsz)
{
	struct span doc = {xml, len};
	struct span tag;
	struct span inner;
	struct span rest;
	const char *itemname;
	int atom;
	long n = 0;
	const char *next;

	if (find_elem(doc, "rss", &tag, &inner) != NULL) {
		atom = 0;
		itemname = "item";
	} else if (find_elem(doc, "feed", &tag, &inner) != NULL) {
		atom = 1;
		itemname = "entry";
	} else if (find_elem(doc, "rdf:RDF", &tag, &inner) != NULL) {
		atom = 0;
		itemname = "item";
	} else {
		snprintf(err, errsz, "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> element)");
		return -1;
	}
	rest = inner;
	while (n < ITEMS_MAX && (next = find_elem(rest, itemname, &tag, &inner)) != NULL) {
		json_t *post = item_post(inner, atom, site, err, errsz);
		if (post == NULL)
			return -1;
		if (json_array_append_new(out, post) != 0) {
			snprintf(err, errsz, "out of memory");
			return -1;
		}
		n++;
		rest.n -= (size_t)(next - rest.p);
		rest.p = next;
	}
	return n;
}

/* The plugin. */

static void on_feed(const struct netra_http_response *resp, void *arg)
{
	struct netra_source *src = arg;
	json_t *cursor = netra_source_cursor(src);
	json_t *posts = NULL;
	char err[512];
	long n;
	size_t i;
	json_t *post;

	if (resp->result != NETRA_HTTP_OK) {
		netra_source_fail(src, resp->retry_after, "%s: %s", resp->url, resp->error);
		return;
	}
	if (resp->status == 304)
		return; /* unchanged since the last poll */
	posts = json_array();
	if (posts == NULL)
		return;
	n = netra_feed_parse(resp->body, resp->body_len, netra_source_str(src, "site"), posts, err,
			     sizeof(err));
	if (n < 0) {
		netra_source_fail(src, 0, "%s: %s", resp->url, err);
		json_decref(posts);
		return;
	}
	netra_source_count_fetched(src, (size_t)n);
	json_array_foreach(posts, i, post)
		netra_source_emit(src, json_incref(post));
	json_decref(posts);
	/* Why: the validators are saved with the cursor, after the items are
	 * safely written, so a crash never skips a changed feed. */
	json_object_del(cursor, "etag");
	json_object_del(cursor, "last_modified");
	netra_json_set_str(cursor, "etag", resp->etag);
	netra_json_set_str(cursor, "last_modified", resp->last_modified);
}

static int rss_init(struct netra_source *src, char *err, size_t errsz)
{
	const char *url = netra_source_str(src, "url");
	const char *p;
	size_t n;

	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		snprintf(err, errsz, "url: must be an http:// or https:// URL");
		return NETRA_EINVAL;
	}
	if (netra_source_str(src, "site") == NULL) {
		/* The default: the host of the URL, kept in the config. */
		char host[256];
		p = strstr(url, "://") + 3;
		n = strcspn(p, "/:?#");
		if (n == 0 || n >= sizeof(host)) {
			snprintf(err, errsz, "url: no host");
			return NETRA_EINVAL;
		}
		memcpy(host, p, n);
		host[n] = '\0';
		return netra_source_set_default(src, "site", host);
	}
	return NETRA_OK;
}

static int rss_poll(struct netra_source *src)
{
	json_t *cursor = netra_source_cursor(src);
	const char *etag = json_string_value(json_object_get(cursor, "etag"));
	const char *lm = json_string_value(json_object_get(cursor, "last_modified"));
	struct netra_buf h1;
	struct netra_buf h2;
	const char *headers[4];
	size_t nh = 0;
	struct netra_http_request req;
	int rc;

	netra_buf_init(&h1, 1024);
	netra_buf_init(&h2, 1024);
	headers[nh++] = "Accept: application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5";
	if (etag != NULL && netra_buf_printf(&h1, "If-None-Match: %s", etag) == NETRA_OK)
		headers[nh++] = h1.data;
	if (lm != NULL && netra_buf_printf(&h2, "If-Modified-Since: %s", lm) == NETRA_OK)
		headers[nh++] = h2.data;
	headers[nh] = NULL;
	memset(&req, 0, sizeof(req));
	req.url = netra_source_str(src, "url");
	req.headers = headers;
	rc = netra_source_http(src, &req, on_feed, src);
	netra_buf_free(&h1);
	netra_buf_free(&h2);
	return rc;
}

const struct netra_source_plugin netra_source_rss = {
	.name = "rss",
	.description = "RSS 2.0 and Atom feeds, with conditional GET",
	.config = rss_keys,
	.init = rss_init,
	.poll = rss_poll,
	.exit = NULL,
};
