/* Source "bluesky": watched accounts' posts, reposts and replies
 * (app.bsky.feed.getAuthorFeed), and their likes and follows
 * (com.atproto.repo.listRecords of app.bsky.feed.like and
 * app.bsky.graph.follow), each with the liked post or followed account
 * fetched as ref (app.bsky.feed.getPosts, app.bsky.actor.getProfiles).
 * Public data: no token is needed on the public AppView. */
#include "collectors/bluesky.h"

#include "collectors/source.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/post.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { REF_BATCH = 25 };

static const struct netra_source_key bluesky_keys[] = {
	{"actors", NETRA_KEY_STRINGS, 1, NULL, 0, 0,
	 "Watched accounts: handles (\"budi.bsky.social\") or DIDs."},
	{"service", NETRA_KEY_STRING, 0, "https://public.api.bsky.app", 0, 0,
	 "The AppView queried for feeds, posts and profiles."},
	{"pds", NETRA_KEY_STRING, 0, "https://bsky.social", 0, 0,
	 "Where the accounts' records (likes, follows) are listed: their PDS or the "
	 "bsky.social entryway."},
	{"likes", NETRA_KEY_INTEGER, 0, "1", 0, 1,
	 "1 to collect the accounts' likes (each a like post with the liked post as ref)."},
	{"follows", NETRA_KEY_INTEGER, 0, "1", 0, 1,
	 "1 to collect the accounts' follows (each a follow post with the account as ref)."},
	{"limit", NETRA_KEY_INTEGER, 0, "50", 1, 100, "Items asked per page."},
	{"max_pages", NETRA_KEY_INTEGER, 0, "5", 1, 100,
	 "Pages read per account, list and poll; the rest waits for the next poll."},
	{NULL, NETRA_KEY_STRING, 0, NULL, 0, 0, NULL},
};

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static json_t *author_of(const json_t *a)
{
	json_t *o = json_object();

	netra_json_set_str(o, "id", str(a, "did"));
	netra_json_set_str(o, "handle", str(a, "handle"));
	netra_json_set_str(o, "name", str(a, "displayName"));
	netra_json_set_str(o, "bio", str(a, "description"));
	return o;
}

/* https://bsky.app/profile/HANDLE/post/RKEY for an at:// post URI. */
static void post_url(const char *uri, const char *handle, char *out, size_t outsz)
{
	const char *rkey = strrchr(uri, '/');

	out[0] = '\0';
	if (rkey != NULL && handle != NULL)
		snprintf(out, outsz, "https://bsky.app/profile/%s/post/%s", handle, rkey + 1);
}

json_t *netra_bluesky_ref(const json_t *view)
{
	const char *uri = str(view, "uri");
	const json_t *author = json_object_get(view, "author");
	json_t *ref;
	char id[1024];
	char url[1024];

	if (uri == NULL)
		return NULL;
	ref = json_object();
	snprintf(id, sizeof(id), "bluesky:bsky.social:%s", uri);
	post_url(uri, str(author, "handle"), url, sizeof(url));
	netra_json_set_str(ref, "id", id);
	netra_json_set_str(ref, "url", url);
	if (json_is_object(author))
		json_object_set_new(ref, "author", author_of(author));
	json_object_set_new(ref, "text",
			    json_string(str(json_object_get(view, "record"), "text") != NULL
						? str(json_object_get(view, "record"), "text")
						: ""));
	return ref;
}

json_t *netra_bluesky_post(const json_t *view, char *err, size_t errsz)
{
	const char *uri = str(view, "uri");
	const json_t *author = json_object_get(view, "author");
	const json_t *rec = json_object_get(view, "record");
	const json_t *embed = json_object_get(view, "embed");
	const json_t *reply = json_object_get(rec, "reply");
	const json_t *v;
	json_t *post;
	json_t *tags;
	json_t *media;
	char id[1024];
	char url[1024];
	size_t i;

	if (uri == NULL || !json_is_object(author) || !json_is_object(rec) ||
	    !json_is_string(json_object_get(rec, "text"))) {
		snprintf(err, errsz, "not a Bluesky post view (uri, author, record.text)");
		return NULL;
	}
	snprintf(id, sizeof(id), "bluesky:bsky.social:%s", uri);
	post = netra_post_new(id, "bluesky", str(rec, "text"));
	if (post == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	post_url(uri, str(author, "handle"), url, sizeof(url));
	netra_json_set_str(post, "url", url);
	netra_json_set_str(post, "created_at", str(rec, "createdAt"));
	json_object_set_new(post, "author", author_of(author));
	if (json_is_object(reply) && str(json_object_get(reply, "parent"), "uri") != NULL) {
		json_t *ref = json_object();
		char pid[1024];
		snprintf(pid, sizeof(pid), "bluesky:bsky.social:%s",
			 str(json_object_get(reply, "parent"), "uri"));
		netra_json_set_str(ref, "id", pid);
		json_object_set_new(ref, "text", json_string(""));
		json_object_set_new(post, "act", json_string("comment"));
		json_object_set_new(post, "ref", ref);
	} else {
		json_object_set_new(post, "act", json_string("post"));
	}
	netra_json_set_str(post, "lang", json_string_value(json_array_get(json_object_get(rec, "langs"), 0)));
	tags = json_array();
	json_array_foreach(json_object_get(rec, "facets"), i, v) {
		size_t k;
		const json_t *f;
		json_array_foreach(json_object_get(v, "features"), k, f) {
			const char *type = str(f, "$type");
			if (type != NULL && strcmp(type, "app.bsky.richtext.facet#tag") == 0 &&
			    str(f, "tag") != NULL)
				json_array_append_new(tags, json_string(str(f, "tag")));
		}
	}
	json_array_foreach(json_object_get(rec, "tags"), i, v)
		if (json_is_string(v))
			json_array_append_new(tags, json_string(json_string_value(v)));
	if (json_array_size(tags) > 0)
		json_object_set_new(post, "tags", tags);
	else
		json_decref(tags);
	media = json_array();
	/* Images, directly or with a quoted record (recordWithMedia). */
	if (json_is_object(json_object_get(embed, "media")))
		embed = json_object_get(embed, "media");
	json_array_foreach(json_object_get(embed, "images"), i, v) {
		json_t *m = json_object();
		json_object_set_new(m, "type", json_string("image"));
		netra_json_set_str(m, "url", str(v, "fullsize"));
		json_object_set_new(m, "alt", json_string(str(v, "alt") != NULL ? str(v, "alt") : ""));
		json_object_set_new(m, "text", json_string(""));
		json_array_append_new(media, m);
	}
	if (json_array_size(media) > 0)
		json_object_set_new(post, "media", media);
	else
		json_decref(media);
	return post;
}

json_t *netra_bluesky_feed_item(const json_t *item, char *err, size_t errsz)
{
	const json_t *view = json_object_get(item, "post");
	const json_t *reason = json_object_get(item, "reason");
	const char *rtype = str(reason, "$type");
	const json_t *by = json_object_get(reason, "by");
	json_t *post;
	char id[1024];

	if (!json_is_object(view)) {
		snprintf(err, errsz, "feed item without a post");
		return NULL;
	}
	if (rtype == NULL || strcmp(rtype, "app.bsky.feed.defs#reasonRepost") != 0) {
		const json_t *parent = json_object_get(json_object_get(item, "reply"), "parent");
		post = netra_bluesky_post(view, err, errsz);
		/* The feed carries the parent's view: a fuller ref than its uri. */
		if (post != NULL && json_object_get(post, "ref") != NULL &&
		    json_is_string(json_object_get(parent, "uri")) &&
		    json_is_object(json_object_get(parent, "record"))) {
			json_t *ref = netra_bluesky_ref(parent);
			if (ref != NULL)
				json_object_set_new(post, "ref", ref);
		}
		return post;
	}
	if (str(by, "did") == NULL || str(view, "uri") == NULL) {
		snprintf(err, errsz, "repost without reposter or post uri");
		return NULL;
	}
	/* One repost per account and post: a stable id. */
	snprintf(id, sizeof(id), "bluesky:bsky.social:repost:%s:%s", str(by, "did"), str(view, "uri"));
	post = netra_post_new(id, "bluesky", "");
	if (post == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	netra_json_set_str(post, "created_at", str(reason, "indexedAt"));
	json_object_set_new(post, "author", author_of(by));
	json_object_set_new(post, "act", json_string("share"));
	json_object_set_new(post, "ref", netra_bluesky_ref(view));
	return post;
}

/* The plugin. */

enum breq_kind { BREQ_FEED, BREQ_LIKES, BREQ_FOLLOWS, BREQ_POSTS, BREQ_PROFILES };

/* One request in flight; freed by its callback. */
struct breq {
	struct netra_source *src; /* the source */
	enum breq_kind kind;      /* what it is for */
	char *actor;              /* the watched account */
	char *key;                /* cursor key */
	char *since;              /* newest mark of the last poll, or NULL */
	int page;                 /* pages read */
	json_t *pending;          /* BREQ_POSTS/PROFILES: {subject: [post, ...]} waiting for refs */
};

static void breq_free(struct breq *r)
{
	if (r == NULL)
		return;
	free(r->actor);
	free(r->key);
	free(r->since);
	json_decref(r->pending);
	free(r);
}

static void on_response(const struct netra_http_response *resp, void *arg);

static int send_url(struct breq *r, const char *url)
{
	static const char *const headers[] = {"Accept: application/json", NULL};
	struct netra_http_request req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.headers = headers;
	rc = netra_source_http(r->src, &req, on_response, r);
	if (rc != NETRA_OK)
		breq_free(r);
	return rc;
}

static struct breq *breq_new(struct netra_source *src, enum breq_kind kind, const char *actor,
			     const char *key, int page)
{
	struct breq *r = calloc(1, sizeof(*r));
	const char *since;

	if (r == NULL)
		return NULL;
	r->src = src;
	r->kind = kind;
	r->page = page;
	r->actor = netra_strdup(actor);
	r->key = netra_strdup(key);
	since = str(netra_source_cursor(src), key);
	/* Why a copy: the cursor moves during the round, the mark must not. */
	r->since = since != NULL ? netra_strdup(since) : NULL;
	return r;
}

/* Percent-encode s for a query string. */
static void add_escaped(struct netra_buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			netra_buf_add(b, s, 1);
		else
			netra_buf_printf(b, "%%%02X", c);
	}
}

static void request_list(struct netra_source *src, enum breq_kind kind, const char *actor,
			 const char *cursor, int page, const char *since)
{
	static const char *const coll[] = {"", "app.bsky.feed.like", "app.bsky.graph.follow"};
	struct netra_buf url;
	char key[512];
	struct breq *r;

	snprintf(key, sizeof(key), "%s:%s",
		 kind == BREQ_FEED ? "feed" : kind == BREQ_LIKES ? "likes" : "follows", actor);
	r = breq_new(src, kind, actor, key, page);
	if (r == NULL)
		return;
	if (since != NULL) {
		free(r->since);
		r->since = netra_strdup(since);
	}
	netra_buf_init(&url, 8192);
	if (kind == BREQ_FEED)
		netra_buf_printf(&url, "%s/xrpc/app.bsky.feed.getAuthorFeed?actor=",
				 netra_source_str(src, "service"));
	else
		netra_buf_printf(&url, "%s/xrpc/com.atproto.repo.listRecords?collection=%s&repo=",
				 netra_source_str(src, "pds"), coll[kind]);
	add_escaped(&url, actor);
	netra_buf_printf(&url, "&limit=%lld", netra_source_int(src, "limit"));
	if (cursor != NULL) {
		netra_buf_adds(&url, "&cursor=");
		add_escaped(&url, cursor);
	}
	send_url(r, netra_buf_str(&url));
	netra_buf_free(&url);
}

/* After a page: move the mark to the newest item, and read the next
 * (older) page while it may hold items newer than the last poll's mark. */
static void page_done(struct breq *r, const json_t *body, const char *newest, int reached)
{
	json_t *cursor = netra_source_cursor(r->src);
	const char *next = str(body, "cursor");
	const char *cur = str(cursor, r->key);

	if (newest != NULL && (cur == NULL || strcmp(newest, cur) > 0))
		json_object_set_new(cursor, r->key, json_string(newest));
	if (r->since == NULL || reached || next == NULL)
		return; /* a first poll reads one page; or all new items are read */
	if (r->page >= netra_source_int(r->src, "max_pages")) {
		netra_warn("source", netra_source_name(r->src),
			   "%s: more than %lld pages since the last poll; older items skipped", r->key,
			   netra_source_int(r->src, "max_pages"));
		return;
	}
	request_list(r->src, r->kind, r->actor, next, r->page + 1, r->since);
}

static void on_feed(struct breq *r, const json_t *body)
{
	const json_t *feed = json_object_get(body, "feed");
	const json_t *item;
	char newest[64] = "";
	int reached = 0;
	size_t i;
	size_t bad = 0;

	if (!json_is_array(feed)) {
		netra_source_fail(r->src, 0, "getAuthorFeed %s: no \"feed\" array (has the API changed?)",
				  r->actor);
		return;
	}
	netra_source_count_fetched(r->src, json_array_size(feed));
	json_array_foreach(feed, i, item) {
		char err[256];
		/* The time the item entered the feed: the repost's or the post's. */
		const char *mark = str(json_object_get(item, "reason"), "indexedAt");
		json_t *post;
		if (mark == NULL)
			mark = str(json_object_get(item, "post"), "indexedAt");
		if (mark != NULL && r->since != NULL && strcmp(mark, r->since) <= 0) {
			reached = 1;
			continue;
		}
		post = netra_bluesky_feed_item(item, err, sizeof(err));
		if (post == NULL) {
			/* One odd item is skipped and counted; a page of nothing
			 * but odd ones means the API has changed. */
			if (++bad == json_array_size(feed)) {
				netra_source_fail(r->src, 0,
						  "getAuthorFeed %s: no item is a post: %s (has the API changed?)",
						  r->actor, err);
				return;
			}
			netra_warn("source", netra_source_name(r->src), "getAuthorFeed %s: item %zu skipped: %s",
				   r->actor, i, err);
			netra_source_emit(r->src, NULL);
			continue;
		}
		netra_source_emit(r->src, post);
		if (mark != NULL && strlen(mark) < sizeof(newest) && strcmp(mark, newest) > 0)
			netra_strlcpy(newest, mark, sizeof(newest));
	}
	page_done(r, body, newest[0] != '\0' ? newest : NULL, reached);
}

/* Likes or follows: build the posts, then fetch their refs in batches. */
static void on_records(struct breq *r, const json_t *body)
{
	const json_t *records = json_object_get(body, "records");
	const json_t *rec;
	char newest[64] = "";
	int reached = 0;
	size_t i;
	struct breq *batch = NULL;
	struct netra_buf url;
	size_t inbatch = 0;
	int likes = r->kind == BREQ_LIKES;

	if (!json_is_array(records)) {
		netra_source_fail(r->src, 0, "listRecords %s: no \"records\" array (has the API changed?)",
				  r->key);
		return;
	}
	netra_source_count_fetched(r->src, json_array_size(records));
	netra_buf_init(&url, 65536);
	json_array_foreach(records, i, rec) {
		const char *uri = str(rec, "uri");
		const char *rkey = uri != NULL ? strrchr(uri, '/') : NULL;
		const json_t *value = json_object_get(rec, "value");
		const char *subject = likes ? str(json_object_get(value, "subject"), "uri")
					    : str(value, "subject");
		char id[1024];
		json_t *post;
		if (rkey == NULL || subject == NULL) {
			netra_source_fail(r->src, 0, "listRecords %s: record %zu without uri or subject",
					  r->key, i);
			break;
		}
		rkey++;
		/* Record keys are TIDs: they sort by creation time. */
		if (r->since != NULL && strcmp(rkey, r->since) <= 0) {
			reached = 1;
			continue;
		}
		if (strlen(rkey) < sizeof(newest) && strcmp(rkey, newest) > 0)
			netra_strlcpy(newest, rkey, sizeof(newest));
		snprintf(id, sizeof(id), "bluesky:bsky.social:%s", uri);
		post = json_pack("{s:s,s:s,s:s,s:{s:s},s:s}", "id", id, "source", "bluesky", "text", "",
				 "author", "handle", r->actor, "act",
				 likes ? "like" : "follow");
		if (post == NULL)
			break;
		netra_json_set_str(post, "created_at", str(value, "createdAt"));
		if (batch == NULL) {
			batch = breq_new(r->src, likes ? BREQ_POSTS : BREQ_PROFILES, r->actor, r->key, 0);
			if (batch == NULL || (batch->pending = json_object()) == NULL) {
				json_decref(post);
				break;
			}
			netra_buf_reset(&url);
			if (likes)
				netra_buf_printf(&url, "%s/xrpc/app.bsky.feed.getPosts?",
						 netra_source_str(r->src, "service"));
			else
				netra_buf_printf(&url, "%s/xrpc/app.bsky.actor.getProfiles?",
						 netra_source_str(r->src, "service"));
		}
		if (json_object_get(batch->pending, subject) == NULL) {
			netra_buf_adds(&url, inbatch > 0 ? "&" : "");
			netra_buf_adds(&url, likes ? "uris=" : "actors=");
			add_escaped(&url, subject);
			json_object_set_new(batch->pending, subject, json_array());
			inbatch++;
		}
		json_array_append_new(json_object_get(batch->pending, subject), post);
		if (inbatch == REF_BATCH) {
			send_url(batch, netra_buf_str(&url));
			batch = NULL;
			inbatch = 0;
		}
	}
	if (batch != NULL)
		send_url(batch, netra_buf_str(&url));
	netra_buf_free(&url);
	page_done(r, body, newest[0] != '\0' ? newest : NULL, reached);
}

/* Refs have arrived: attach them and emit the waiting posts. */
static void on_refs(struct breq *r, const json_t *body)
{
	const json_t *list = json_object_get(body, r->kind == BREQ_POSTS ? "posts" : "profiles");
	const json_t *v;
	const char *subject;
	json_t *posts;
	size_t i;

	if (!json_is_array(list)) {
		netra_source_fail(r->src, 0, "%s: no \"%s\" array (has the API changed?)",
				  r->kind == BREQ_POSTS ? "getPosts" : "getProfiles",
				  r->kind == BREQ_POSTS ? "posts" : "profiles");
		return;
	}
	json_array_foreach(list, i, v) {
		const char *key = str(v, r->kind == BREQ_POSTS ? "uri" : "did");
		json_t *ref;
		json_t *p;
		size_t k;
		if (key == NULL || (posts = json_object_get(r->pending, key)) == NULL)
			continue;
		if (r->kind == BREQ_POSTS) {
			ref = netra_bluesky_ref(v);
		} else {
			char id[1024];
			ref = json_object();
			snprintf(id, sizeof(id), "bluesky:bsky.social:%s", key);
			netra_json_set_str(ref, "id", id);
			if (str(v, "handle") != NULL) {
				char url[512];
				snprintf(url, sizeof(url), "https://bsky.app/profile/%s", str(v, "handle"));
				netra_json_set_str(ref, "url", url);
			}
			json_object_set_new(ref, "author", author_of(v));
			json_object_set_new(ref, "text",
					    json_string(str(v, "description") != NULL ? str(v, "description") : ""));
		}
		json_array_foreach(posts, k, p)
			json_object_set(p, "ref", ref);
		json_decref(ref);
	}
	/* A liked post that was deleted has no view: its like still counts,
	 * with the ref's id only. */
	json_object_foreach(r->pending, subject, posts) {
		json_t *p;
		size_t k;
		json_array_foreach(posts, k, p) {
			if (json_object_get(p, "ref") == NULL) {
				char id[1024];
				snprintf(id, sizeof(id), "bluesky:bsky.social:%s", subject);
				json_object_set_new(p, "ref", json_pack("{s:s,s:s}", "id", id, "text", ""));
			}
			netra_source_emit(r->src, json_incref(p));
		}
	}
}

static void on_response(const struct netra_http_response *resp, void *arg)
{
	struct breq *r = arg;
	json_t *body = NULL;
	json_error_t je;

	if (resp->result != NETRA_HTTP_OK) {
		netra_source_fail(r->src, resp->retry_after, "%s: %s", resp->url, resp->error);
		goto done;
	}
	if (resp->retry_after > 0)
		netra_source_poll_soon(r->src, resp->retry_after);
	body = json_loadb(resp->body, resp->body_len, NETRA_JSON_DECODE_FLAGS, &je);
	if (!json_is_object(body)) {
		netra_source_fail(r->src, 0, "%s: malformed JSON at line %d column %d: %s", resp->url,
				  je.line, je.column, body == NULL ? je.text : "not an object");
		goto done;
	}
	switch (r->kind) {
	case BREQ_FEED:
		on_feed(r, body);
		break;
	case BREQ_LIKES:
	case BREQ_FOLLOWS:
		on_records(r, body);
		break;
	case BREQ_POSTS:
	case BREQ_PROFILES:
		on_refs(r, body);
		break;
	}
done:
	json_decref(body);
	breq_free(r);
}

static int bluesky_init(struct netra_source *src, char *err, size_t errsz)
{
	static const char *const urls[] = {"service", "pds"};

	for (size_t i = 0; i < 2; i++) {
		const char *u = netra_source_str(src, urls[i]);
		if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) {
			snprintf(err, errsz, "%s: must be an http(s) URL", urls[i]);
			return NETRA_EINVAL;
		}
	}
	if (json_array_size(netra_source_strings(src, "actors")) == 0) {
		snprintf(err, errsz, "actors: give at least one account");
		return NETRA_EINVAL;
	}
	return NETRA_OK;
}

static int bluesky_poll(struct netra_source *src)
{
	const json_t *v;
	size_t i;

	json_array_foreach(netra_source_strings(src, "actors"), i, v) {
		const char *actor = json_string_value(v);
		request_list(src, BREQ_FEED, actor, NULL, 1, NULL);
		if (netra_source_int(src, "likes"))
			request_list(src, BREQ_LIKES, actor, NULL, 1, NULL);
		if (netra_source_int(src, "follows"))
			request_list(src, BREQ_FOLLOWS, actor, NULL, 1, NULL);
	}
	return NETRA_OK;
}

const struct netra_source_plugin netra_source_bluesky = {
	.name = "bluesky",
	.description = "Bluesky: watched accounts' posts, reposts, replies, likes and follows",
	.config = bluesky_keys,
	.init = bluesky_init,
	.poll = bluesky_poll,
	.exit = NULL,
};
