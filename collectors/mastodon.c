/* Source "mastodon": statuses of watched accounts, hashtag timelines, and
 * who favourited or boosted candidates' statuses (a `like` or `share` post
 * with the candidate's status as ref). Polls with min_id and follows the
 * Link header's rel="prev" for newer pages; the global id comes from the
 * status `uri`, so the same status seen through two instances has one id. */
#include "collectors/mastodon.h"

#include "collectors/html.h"
#include "collectors/source.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/post.h"
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TEXT_MAX = 1024 * 1024 };

static const struct netra_source_key mastodon_keys[] = {
	{"instance", NETRA_KEY_STRING, 1, NULL, 0, 0,
	 "Base URL of the Mastodon instance queried, e.g. \"https://mastodon.social\"."},
	{"accounts", NETRA_KEY_STRINGS, 0, NULL, 0, 0,
	 "Watched accounts: handles (\"budi\" on this instance, \"budi@other.example\") or "
	 "numeric account ids of this instance."},
	{"hashtags", NETRA_KEY_STRINGS, 0, NULL, 0, 0,
	 "Hashtags whose timelines are read, without the '#'."},
	{"statuses", NETRA_KEY_STRINGS, 0, NULL, 0, 0,
	 "Ids (on this instance) of candidates' statuses: who favourites or boosts them becomes "
	 "a like or share post with the status as ref."},
	{"limit", NETRA_KEY_INTEGER, 0, "40", 1, 40, "Statuses asked per page."},
	{"max_pages", NETRA_KEY_INTEGER, 0, "10", 1, 1000,
	 "Pages read per timeline and poll; the rest is read at the next poll."},
	{NULL, NETRA_KEY_STRING, 0, NULL, 0, 0, NULL},
};

/* What a request is for. */
enum mreq_kind {
	MREQ_LOOKUP,     /* handle to account id */
	MREQ_STATUSES,   /* a page of a timeline */
	MREQ_STATUS_REF, /* a candidate's status, before its likes and boosts */
	MREQ_FAVOURITED, /* who favourited it */
	MREQ_REBLOGGED,  /* who boosted it */
	MREQ_PARENT      /* the status a reply answers, as the reply's ref */
};

/* One request in flight; freed by its callback. */
struct mreq {
	struct netra_source *src; /* the source */
	enum mreq_kind kind;      /* what it is for */
	char *key;                /* cursor key ("acct:budi", "tag:x", "fav:123") */
	char *arg;                /* handle, tag or status id */
	int page;                 /* pages read so far in this chain */
	json_t *ref;              /* the candidate's status as a ref; for MREQ_PARENT the reply (own reference) */
};

static const char *instance_host(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p != NULL ? p + 3 : url;
	n = strcspn(p, "/:?#");
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return out;
}

int netra_mastodon_global_id(const char *uri, const char *fallback_host,
			     const char *fallback_id, char *out, size_t outsz)
{
	char host[256];
	const char *path;
	const char *end;
	const char *seg;
	size_t n;

	if (uri != NULL && strncmp(uri, "http", 4) == 0 && (path = strstr(uri, "://")) != NULL) {
		instance_host(uri, host, sizeof(host));
		path = strchr(path + 3, '/');
		if (path != NULL) {
			end = path + strcspn(path, "?#");
			while (end > path && end[-1] == '/')
				end--;
			/* A boost's uri ends in ".../statuses/ID/activity". */
			if (end - path > 9 && strncmp(end - 9, "/activity", 9) == 0)
				end -= 9;
			seg = end;
			while (seg > path && seg[-1] != '/')
				seg--;
			n = (size_t)(end - seg);
			if (n > 0 && host[0] != '\0') {
				snprintf(out, outsz, "mastodon:%s:%.*s", host, (int)n, seg);
				return 0;
			}
		}
	}
	if (fallback_host == NULL || fallback_id == NULL)
		return -1;
	snprintf(out, outsz, "mastodon:%s:%s", fallback_host, fallback_id);
	return 0;
}

/* The author object of an account. New reference or NULL. */
static json_t *account_author(const json_t *acct, const char *host)
{
	json_t *a = json_object();
	const char *handle = json_string_value(json_object_get(acct, "acct"));
	const char *note = json_string_value(json_object_get(acct, "note"));
	char full[512];

	if (a == NULL)
		return NULL;
	netra_json_set_str(a, "id", json_string_value(json_object_get(acct, "id")));
	if (handle != NULL) {
		const char *url = json_string_value(json_object_get(acct, "url"));
		char home[256];
		/* A local account's acct has no domain: take it from the
		 * account's URL, else the instance queried. */
		if (strchr(handle, '@') == NULL && url != NULL && strncmp(url, "http", 4) == 0)
			snprintf(full, sizeof(full), "%s@%s", handle,
				 instance_host(url, home, sizeof(home)));
		else if (strchr(handle, '@') == NULL)
			snprintf(full, sizeof(full), "%s@%s", handle, host);
		else
			snprintf(full, sizeof(full), "%s", handle);
		netra_json_set_str(a, "handle", full);
	}
	netra_json_set_str(a, "name", json_string_value(json_object_get(acct, "display_name")));
	if (note != NULL) {
		char *bio = netra_html_to_text(note, strlen(note), TEXT_MAX);
		netra_json_set_str(a, "bio", bio);
		free(bio);
	}
	return a;
}

static char *status_text(const json_t *st)
{
	const char *content = json_string_value(json_object_get(st, "content"));
	const char *spoiler = json_string_value(json_object_get(st, "spoiler_text"));
	char *text = netra_html_to_text(content != NULL ? content : "",
					content != NULL ? strlen(content) : 0, TEXT_MAX);
	struct netra_buf b;

	if (text == NULL || spoiler == NULL || spoiler[0] == '\0')
		return text;
	/* A content warning is part of what the author published. */
	netra_buf_init(&b, TEXT_MAX + 4096);
	netra_buf_printf(&b, "%s\n\n%s", spoiler, text);
	free(text);
	return netra_buf_steal(&b);
}

/* A ref object {id, url, author, text} for a status. New reference. */
static json_t *status_ref(const json_t *st, const char *host)
{
	char id[512];
	json_t *ref = json_object();
	char *text = status_text(st);

	if (ref == NULL || text == NULL) {
		json_decref(ref);
		free(text);
		return NULL;
	}
	if (netra_mastodon_global_id(json_string_value(json_object_get(st, "uri")), host,
				     json_string_value(json_object_get(st, "id")), id,
				     sizeof(id)) == 0)
		netra_json_set_str(ref, "id", id);
	netra_json_set_str(ref, "url", json_string_value(json_object_get(st, "url")));
	json_object_set_new(ref, "author", account_author(json_object_get(st, "account"), host));
	json_object_set_new(ref, "text", json_string(text));
	free(text);
	return ref;
}

json_t *netra_mastodon_status_post(const json_t *st, const char *host, char *err,
				   size_t errsz)
{
	char id[512];
	const json_t *reblog = json_object_get(st, "reblog");
	const json_t *acct = json_object_get(st, "account");
	const json_t *body = json_is_object(reblog) ? reblog : st;
	const json_t *v;
	json_t *post = NULL;
	json_t *tags = NULL;
	json_t *media = NULL;
	char *text = NULL;
	size_t i;

	if (!json_is_object(st) || !json_is_string(json_object_get(st, "id")) ||
	    !json_is_object(acct)) {
		snprintf(err, errsz, "not a Mastodon status (no id or account)");
		return NULL;
	}
	if (netra_mastodon_global_id(json_string_value(json_object_get(st, "uri")), host,
				     json_string_value(json_object_get(st, "id")), id,
				     sizeof(id)) != 0) {
		snprintf(err, errsz, "status without a usable uri");
		return NULL;
	}
	text = body == st ? status_text(st) : netra_strdup("");
	post = text != NULL ? netra_post_new(id, "mastodon", text) : NULL;
	free(text);
	if (post == NULL)
		goto oom;
	netra_json_set_str(post, "url", json_string_value(json_object_get(st, "url")));
	netra_json_set_str(post, "created_at", json_string_value(json_object_get(st, "created_at")));
	json_object_set_new(post, "author", account_author(acct, host));
	if (body != st) {
		json_object_set_new(post, "act", json_string("share"));
		json_object_set_new(post, "ref", status_ref(body, host));
	} else if (json_is_string(json_object_get(st, "in_reply_to_id"))) {
		json_object_set_new(post, "act", json_string("comment"));
	} else {
		json_object_set_new(post, "act", json_string("post"));
	}
	netra_json_set_str(post, "lang", json_string_value(json_object_get(body, "language")));
	tags = json_array();
	media = json_array();
	if (tags == NULL || media == NULL)
		goto oom;
	json_array_foreach(json_object_get(body, "tags"), i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		if (name != NULL)
			json_array_append_new(tags, json_string(name));
	}
	json_array_foreach(json_object_get(body, "media_attachments"), i, v) {
		json_t *m = json_object();
		const char *type = json_string_value(json_object_get(v, "type"));
		if (m == NULL)
			goto oom;
		if (type != NULL && strcmp(type, "gifv") == 0)
			type = "video";
		netra_json_set_str(m, "type", type);
		netra_json_set_str(m, "url", json_string_value(json_object_get(v, "url")));
		json_object_set_new(m, "alt", json_string(json_is_string(json_object_get(v, "description"))
								  ? json_string_value(json_object_get(v, "description"))
								  : ""));
		json_object_set_new(m, "text", json_string(""));
		json_array_append_new(media, m);
	}
	if (json_array_size(tags) > 0)
		json_object_set_new(post, "tags", tags);
	else
		json_decref(tags);
	tags = NULL;
	if (json_array_size(media) > 0)
		json_object_set_new(post, "media", media);
	else
		json_decref(media);
	return post;
oom:
	snprintf(err, errsz, "out of memory");
	json_decref(tags);
	json_decref(media);
	json_decref(post);
	return NULL;
}

/* Compare two numeric id strings: longer is larger, then lexically. */
static int id_cmp(const char *a, const char *b)
{
	size_t la = strlen(a);
	size_t lb = strlen(b);

	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

static void mreq_free(struct mreq *r)
{
	if (r == NULL)
		return;
	free(r->key);
	free(r->arg);
	json_decref(r->ref);
	free(r);
}

static void on_response(const struct netra_http_response *resp, void *arg);

/* Submit url for r (which it takes over: freed on failure). */
static int mreq_send(struct mreq *r, const char *url)
{
	static const char *const headers[] = {"Accept: application/json", NULL};
	struct netra_http_request req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.url = url;
	req.headers = headers;
	rc = netra_source_http(r->src, &req, on_response, r);
	if (rc != NETRA_OK)
		mreq_free(r);
	return rc;
}

static struct mreq *mreq_new(struct netra_source *src, enum mreq_kind kind, const char *key,
			     const char *arg)
{
	struct mreq *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->src = src;
	r->kind = kind;
	r->key = netra_strdup(key);
	r->arg = netra_strdup(arg);
	if (r->key == NULL || r->arg == NULL) {
		mreq_free(r);
		return NULL;
	}
	return r;
}

/* Start (or continue with min_id) reading a timeline at path. */
static int start_timeline(struct netra_source *src, const char *key, const char *path,
			  const char *min_id, int page)
{
	struct netra_buf url;
	struct mreq *r = mreq_new(src, MREQ_STATUSES, key, path);
	int rc;

	netra_buf_init(&url, 8192);
	if (r == NULL)
		return NETRA_ENOMEM;
	r->page = page;
	netra_buf_printf(&url, "%s%s%slimit=%lld", netra_source_str(src, "instance"), path,
			 strchr(path, '?') != NULL ? "&" : "?", netra_source_int(src, "limit"));
	if (min_id != NULL)
		netra_buf_printf(&url, "&min_id=%s", min_id);
	rc = mreq_send(r, netra_buf_str(&url));
	netra_buf_free(&url);
	return rc;
}

static int start_account(struct netra_source *src, const char *handle, const char *id)
{
	char key[512];
	char path[512];
	const char *min_id;

	snprintf(key, sizeof(key), "acct:%s", handle);
	snprintf(path, sizeof(path), "/api/v1/accounts/%s/statuses", id);
	min_id = json_string_value(json_object_get(netra_source_cursor(src), key));
	return start_timeline(src, key, path, min_id, 1);
}

/* Handle a page of statuses. */
static void on_statuses(struct mreq *r, const json_t *page, const char *link)
{
	struct netra_source *src = r->src;
	json_t *cursor = netra_source_cursor(src);
	const char *old = json_string_value(json_object_get(cursor, r->key));
	char host[256];
	char maxid[64] = "";
	const json_t *st;
	size_t i;
	size_t bad = 0;

	instance_host(netra_source_str(src, "instance"), host, sizeof(host));
	if (!json_is_array(page)) {
		netra_source_fail(src, 0, "%s: expected an array of statuses, got %s", r->arg,
				  json_is_object(page) ? "an object" : "another JSON value");
		return;
	}
	netra_source_count_fetched(src, json_array_size(page));
	json_array_foreach(page, i, st) {
		char err[256];
		const char *sid = json_string_value(json_object_get(st, "id"));
		json_t *post = netra_mastodon_status_post(st, host, err, sizeof(err));
		if (post == NULL) {
			/* One odd status is skipped and counted; a page of
			 * nothing but odd ones means the API has changed. */
			if (++bad == json_array_size(page)) {
				netra_source_fail(src, 0, "%s: no item is a status: %s (has the API changed?)",
						  r->arg, err);
				return;
			}
			netra_warn("source", netra_source_name(src), "%s: item %zu skipped: %s", r->arg,
				   i, err);
			netra_source_emit(src, NULL);
			continue;
		}
		if (json_is_string(json_object_get(st, "in_reply_to_id")) &&
		    !json_is_object(json_object_get(st, "reblog"))) {
			/* A reply waits for its parent, fetched as its ref:
			 * what was answered is evidence too. */
			struct mreq *pr = mreq_new(src, MREQ_PARENT, r->key,
						   json_string_value(json_object_get(st, "in_reply_to_id")));
			struct netra_buf url;
			if (pr == NULL) {
				json_decref(post);
				netra_source_fail(src, 0, "out of memory");
				return;
			}
			pr->ref = post;
			netra_buf_init(&url, 4096);
			netra_buf_printf(&url, "%s/api/v1/statuses/%s", netra_source_str(src, "instance"),
					 pr->arg);
			mreq_send(pr, netra_buf_str(&url));
			netra_buf_free(&url);
		} else {
			netra_source_emit(src, post);
		}
		if (sid != NULL && strlen(sid) < sizeof(maxid) &&
		    (maxid[0] == '\0' || id_cmp(sid, maxid) > 0))
			netra_strlcpy(maxid, sid, sizeof(maxid));
	}
	if (maxid[0] != '\0' && (old == NULL || id_cmp(maxid, old) > 0))
		json_object_set_new(cursor, r->key, json_string(maxid));
	/* A full page after a known min_id: newer statuses may be waiting. */
	if (old != NULL && (long long)json_array_size(page) >= netra_source_int(src, "limit")) {
		char *prev = netra_http_link(link, "prev");
		const char *inst = netra_source_str(src, "instance");
		if (r->page >= netra_source_int(src, "max_pages")) {
			netra_source_more(src);
		} else if (prev != NULL && strncmp(prev, inst, strlen(inst)) == 0 &&
			   prev[strlen(inst)] == '/') {
			/* The Link header's rel="prev" is the page of newer
			 * statuses; only followed on the same instance. */
			struct mreq *n = mreq_new(src, MREQ_STATUSES, r->key, r->arg);
			if (n != NULL) {
				n->page = r->page + 1;
				mreq_send(n, prev);
			}
		} else {
			start_timeline(src, r->key, r->arg,
				       json_string_value(json_object_get(cursor, r->key)), r->page + 1);
		}
		free(prev);
	}
}

/* Handle favourited_by / reblogged_by: accounts who acted on r->ref. */
static void on_actors(struct mreq *r, const json_t *page, const char *link)
{
	struct netra_source *src = r->src;
	const char *act = r->kind == MREQ_FAVOURITED ? "like" : "share";
	const char *ref_id = json_string_value(json_object_get(r->ref, "id"));
	char host[256];
	const json_t *acct;
	size_t i;
	char *prev;

	instance_host(netra_source_str(src, "instance"), host, sizeof(host));
	if (!json_is_array(page)) {
		netra_source_fail(src, 0, "%s of %s: expected an array of accounts", act, r->arg);
		return;
	}
	netra_source_count_fetched(src, json_array_size(page));
	json_array_foreach(page, i, acct) {
		char id[1024];
		json_t *author = account_author(acct, host);
		const char *handle = json_string_value(json_object_get(author, "handle"));
		json_t *post;
		if (handle == NULL || ref_id == NULL) {
			json_decref(author);
			netra_source_fail(src, 0, "%s of %s: item %zu: account without acct", act,
					  r->arg, i);
			return;
		}
		/* One like or boost per account and status: a stable id. */
		snprintf(id, sizeof(id), "%s:%s:%s", ref_id, act, handle);
		post = netra_post_new(id, "mastodon", "");
		if (post == NULL) {
			json_decref(author);
			return;
		}
		json_object_set_new(post, "author", author);
		json_object_set_new(post, "act", json_string(act));
		json_object_set(post, "ref", r->ref);
		netra_source_emit(src, post);
	}
	/* Why: these lists are newest first and their paging ids are
	 * internal; the prev link's since/min id is kept as the cursor. */
	prev = netra_http_link(link, "prev");
	if (prev != NULL) {
		const char *q = strstr(prev, "since_id=");
		if (q == NULL)
			q = strstr(prev, "min_id=");
		if (q != NULL) {
			q = strchr(q, '=') + 1;
			json_object_set_new(netra_source_cursor(src), r->key,
					    json_stringn(q, strcspn(q, "&")));
		}
	}
	free(prev);
}

static void start_actors(struct mreq *r, enum mreq_kind kind)
{
	struct mreq *n;
	char key[512];
	struct netra_buf url;
	const char *since;

	snprintf(key, sizeof(key), "%s:%s", kind == MREQ_FAVOURITED ? "fav" : "boost", r->arg);
	n = mreq_new(r->src, kind, key, r->arg);
	if (n == NULL)
		return;
	n->ref = json_incref(r->ref);
	since = json_string_value(json_object_get(netra_source_cursor(r->src), key));
	netra_buf_init(&url, 8192);
	netra_buf_printf(&url, "%s/api/v1/statuses/%s/%s?limit=%lld",
			 netra_source_str(r->src, "instance"), r->arg,
			 kind == MREQ_FAVOURITED ? "favourited_by" : "reblogged_by",
			 netra_source_int(r->src, "limit"));
	if (since != NULL)
		netra_buf_printf(&url, "&since_id=%s", since);
	mreq_send(n, netra_buf_str(&url));
	netra_buf_free(&url);
}

static void on_response(const struct netra_http_response *resp, void *arg)
{
	struct mreq *r = arg;
	struct netra_source *src = r->src;
	json_t *body = NULL;
	json_error_t je;
	char host[256];

	if (r->kind == MREQ_PARENT && resp->result == NETRA_HTTP_FATAL &&
	    (resp->status == 404 || resp->status == 410 || resp->status == 403)) {
		/* The parent is deleted or private: the reply stands alone. */
		instance_host(netra_source_str(src, "instance"), host, sizeof(host));
		{
			char pid[512];
			snprintf(pid, sizeof(pid), "mastodon:%s:%s", host, r->arg);
			json_object_set_new(r->ref, "ref", json_pack("{s:s,s:s}", "id", pid, "text", ""));
		}
		netra_source_emit(src, json_incref(r->ref));
		goto done;
	}
	if (resp->result != NETRA_HTTP_OK) {
		netra_source_fail(src, resp->retry_after, "%s: %s", resp->url, resp->error);
		goto done;
	}
	if (resp->retry_after > 0)
		netra_source_poll_soon(src, resp->retry_after); /* a rate limit reached: ask later */
	body = json_loadb(resp->body, resp->body_len, NETRA_JSON_DECODE_FLAGS, &je);
	if (body == NULL) {
		netra_source_fail(src, 0, "%s: malformed JSON at line %d column %d: %s", resp->url,
				  je.line, je.column, je.text);
		goto done;
	}
	if (json_is_object(body) && json_is_string(json_object_get(body, "error"))) {
		netra_source_fail(src, 0, "%s: %s", resp->url,
				  json_string_value(json_object_get(body, "error")));
		goto done;
	}
	instance_host(netra_source_str(src, "instance"), host, sizeof(host));
	switch (r->kind) {
	case MREQ_LOOKUP: {
		const char *id = json_string_value(json_object_get(body, "id"));
		if (id == NULL) {
			netra_source_fail(src, 0, "%s: account lookup gave no id", resp->url);
			break;
		}
		json_object_set_new(json_object_get(netra_source_cursor(src), "ids"), r->arg,
				    json_string(id));
		start_account(src, r->arg, id);
		break;
	}
	case MREQ_STATUSES:
		on_statuses(r, body, resp->link);
		break;
	case MREQ_STATUS_REF:
		if (!json_is_object(body) || !json_is_string(json_object_get(body, "id"))) {
			netra_source_fail(src, 0, "%s: expected a status object", resp->url);
			break;
		}
		r->ref = status_ref(body, host);
		if (r->ref == NULL) {
			netra_source_fail(src, 0, "out of memory");
			break;
		}
		start_actors(r, MREQ_FAVOURITED);
		start_actors(r, MREQ_REBLOGGED);
		break;
	case MREQ_FAVOURITED:
	case MREQ_REBLOGGED:
		on_actors(r, body, resp->link);
		break;
	case MREQ_PARENT: {
		json_t *ref = json_is_object(body) && json_is_string(json_object_get(body, "id"))
				      ? status_ref(body, host)
				      : NULL;
		if (ref == NULL) {
			netra_source_fail(src, 0, "%s: expected a status object", resp->url);
			break;
		}
		json_object_set_new(r->ref, "ref", ref);
		netra_source_emit(src, json_incref(r->ref));
		break;
	}
	}
done:
	json_decref(body);
	mreq_free(r);
}

static int is_numeric(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static int mastodon_init(struct netra_source *src, char *err, size_t errsz)
{
	const char *inst = netra_source_str(src, "instance");
	size_t n = strlen(inst);

	if (strncmp(inst, "https://", 8) != 0 && strncmp(inst, "http://", 7) != 0) {
		snprintf(err, errsz, "instance: must be a URL such as \"https://mastodon.social\"");
		return NETRA_EINVAL;
	}
	if (inst[n - 1] == '/') {
		snprintf(err, errsz, "instance: drop the trailing '/'");
		return NETRA_EINVAL;
	}
	if (json_array_size(netra_source_strings(src, "accounts")) +
		    json_array_size(netra_source_strings(src, "hashtags")) +
		    json_array_size(netra_source_strings(src, "statuses")) ==
	    0) {
		snprintf(err, errsz, "nothing to watch: give accounts, hashtags or statuses");
		return NETRA_EINVAL;
	}
	return NETRA_OK;
}

static int mastodon_poll(struct netra_source *src)
{
	json_t *cursor = netra_source_cursor(src);
	const json_t *v;
	size_t i;

	if (!json_is_object(json_object_get(cursor, "ids")))
		json_object_set_new(cursor, "ids", json_object());
	json_array_foreach(netra_source_strings(src, "accounts"), i, v) {
		const char *h = json_string_value(v);
		const char *id = json_string_value(json_object_get(json_object_get(cursor, "ids"), h));
		if (is_numeric(h)) {
			start_account(src, h, h);
		} else if (id != NULL) {
			start_account(src, h, id);
		} else {
			struct netra_buf url;
			struct mreq *r = mreq_new(src, MREQ_LOOKUP, h, h);
			if (r == NULL)
				return NETRA_ENOMEM;
			netra_buf_init(&url, 4096);
			netra_buf_printf(&url, "%s/api/v1/accounts/lookup?acct=%s",
					 netra_source_str(src, "instance"), h);
			mreq_send(r, netra_buf_str(&url));
			netra_buf_free(&url);
		}
	}
	json_array_foreach(netra_source_strings(src, "hashtags"), i, v) {
		char key[512];
		char path[512];
		const char *tag = json_string_value(v);
		if (tag[0] == '#')
			tag++;
		snprintf(key, sizeof(key), "tag:%s", tag);
		snprintf(path, sizeof(path), "/api/v1/timelines/tag/%s", tag);
		start_timeline(src, key, path, json_string_value(json_object_get(cursor, key)), 1);
	}
	json_array_foreach(netra_source_strings(src, "statuses"), i, v) {
		struct netra_buf url;
		struct mreq *r = mreq_new(src, MREQ_STATUS_REF, json_string_value(v),
					  json_string_value(v));
		if (r == NULL)
			return NETRA_ENOMEM;
		netra_buf_init(&url, 4096);
		netra_buf_printf(&url, "%s/api/v1/statuses/%s", netra_source_str(src, "instance"),
				 json_string_value(v));
		mreq_send(r, netra_buf_str(&url));
		netra_buf_free(&url);
	}
	return NETRA_OK;
}

const struct netra_source_plugin netra_source_mastodon = {
	.name = "mastodon",
	.description = "Mastodon: watched accounts, hashtag timelines, likes and boosts of "
		       "candidates' statuses",
	.config = mastodon_keys,
	.init = mastodon_init,
	.poll = mastodon_poll,
	.exit = NULL,
};
