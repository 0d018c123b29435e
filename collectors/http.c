#include "collectors/http.h"

#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/util.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum {
	HEADER_MAX = 64 * 1024,  /* all headers of one response */
	ERROR_MAX = 256
};

#define DEFAULT_MAX_BODY ((size_t)8 * 1024 * 1024)

/* One request, from submission to its callback. */
struct transfer {
	struct transfer *next;         /* list of all transfers */
	struct netra_http_request req; /* copy; strings below own the data */
	char *url;                     /* owned copy of req.url */
	char **headers;                /* owned copy of req.headers */
	char *token;                   /* owned copy of req.token */
	netra_http_cb cb;              /* completion callback */
	void *arg;                     /* its argument */
	CURL *easy;                    /* while in flight, else NULL */
	struct curl_slist *hlist;      /* request headers while in flight */
	struct netra_buf body;         /* response body, bounded */
	struct netra_buf hdrs;         /* response headers of the last response */
	int too_big;                   /* the body went over max_body */
	int attempts;                  /* requests made so far */
	double not_before;             /* monotonic time of the next attempt */
	double retry_after;            /* server's wish, from the last response */
};

struct netra_http {
	CURLM *multi;         /* the multi handle */
	char *user_agent;     /* sent with every request */
	struct transfer *all; /* queued, waiting or in flight */
	size_t running;       /* transfers in flight */
	uint64_t rng;         /* xorshift state for jitter */
};

static int curl_initialised;

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_wall(void)
{
	return (double)time(NULL);
}

/* A uniform number in [0, 1). */
static double rng_next(struct netra_http *h)
{
	uint64_t x = h->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	h->rng = x;
	return (double)(x >> 11) / 9007199254740992.0;
}

struct netra_http *netra_http_new(const char *user_agent)
{
	struct netra_http *h = NULL;

	if (!curl_initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return NULL;
		curl_initialised = 1;
	}
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		return NULL;
	h->multi = curl_multi_init();
	h->user_agent = netra_strdup(user_agent);
	if (h->multi == NULL || h->user_agent == NULL) {
		netra_http_destroy(&h);
		return NULL;
	}
	h->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
	return h;
}

static void transfer_free(struct netra_http *h, struct transfer *t)
{
	if (t == NULL)
		return;
	if (t->easy != NULL) {
		curl_multi_remove_handle(h->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->hlist);
	if (t->headers != NULL) {
		for (size_t i = 0; t->headers[i] != NULL; i++)
			free(t->headers[i]);
		free(t->headers);
	}
	free(t->url);
	if (t->token != NULL) {
		/* Why: a token should not linger in freed memory. */
		memset(t->token, 0, strlen(t->token));
		free(t->token);
	}
	netra_buf_free(&t->body);
	netra_buf_free(&t->hdrs);
	free(t);
}

void netra_http_destroy(struct netra_http **hp)
{
	struct netra_http *h;

	if (hp == NULL || *hp == NULL)
		return;
	h = *hp;
	while (h->all != NULL) {
		struct transfer *t = h->all;
		h->all = t->next;
		transfer_free(h, t);
	}
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	free(h->user_agent);
	free(h);
	*hp = NULL;
}

size_t netra_http_pending(const struct netra_http *h)
{
	size_t n = 0;

	for (const struct transfer *t = h->all; t != NULL; t = t->next)
		n++;
	return n;
}

int netra_http_submit(struct netra_http *h, const struct netra_http_request *req,
		      netra_http_cb cb, void *arg)
{
	struct transfer *t = NULL;
	size_t nh = 0;

	if (req->url == NULL ||
	    (strncasecmp(req->url, "http://", 7) != 0 && strncasecmp(req->url, "https://", 8) != 0))
		return NETRA_EINVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NETRA_ENOMEM;
	t->req = *req;
	if (t->req.timeout_ms <= 0)
		t->req.timeout_ms = 30000;
	if (t->req.connect_timeout_ms <= 0)
		t->req.connect_timeout_ms = 10000;
	if (t->req.max_body == 0)
		t->req.max_body = DEFAULT_MAX_BODY;
	if (t->req.max_redirects == 0)
		t->req.max_redirects = 5;
	else if (t->req.max_redirects < 0)
		t->req.max_redirects = 0;
	if (t->req.max_retries < 0)
		t->req.max_retries = 0;
	else if (t->req.max_retries == 0)
		t->req.max_retries = 4;
	if (t->req.backoff_base <= 0)
		t->req.backoff_base = 1.0;
	if (t->req.backoff_max <= 0)
		t->req.backoff_max = 60.0;
	if (t->req.max_wait <= 0)
		t->req.max_wait = 60.0;
	t->url = netra_strdup(req->url);
	t->token = req->token != NULL ? netra_strdup(req->token) : NULL;
	if (req->headers != NULL)
		while (req->headers[nh] != NULL)
			nh++;
	t->headers = calloc(nh + 1, sizeof(char *));
	if (t->url == NULL || t->headers == NULL || (req->token != NULL && t->token == NULL))
		goto oom;
	for (size_t i = 0; i < nh; i++)
		if ((t->headers[i] = netra_strdup(req->headers[i])) == NULL)
			goto oom;
	t->req.url = t->url;
	t->req.headers = NULL;
	t->req.token = NULL;
	t->cb = cb;
	t->arg = arg;
	netra_buf_init(&t->body, t->req.max_body);
	netra_buf_init(&t->hdrs, HEADER_MAX);
	t->not_before = 0;
	t->next = h->all;
	h->all = t;
	return NETRA_OK;
oom:
	transfer_free(h, t);
	return NETRA_ENOMEM;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
	struct transfer *t = ud;

	if (netra_buf_add(&t->body, p, size * n) != NETRA_OK) {
		t->too_big = 1;
		return 0;
	}
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct transfer *t = ud;
	size_t len = size * n;

	/* Why: after a redirect or a 100 Continue only the last response's
	 * headers count. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
		netra_buf_reset(&t->hdrs);
	(void)netra_buf_add(&t->hdrs, p, len);
	return len;
}

/* The value of header name in the captured headers, copied into out. */
static const char *header_get(const struct transfer *t, const char *name, char *out,
			      size_t outsz)
{
	const char *s = netra_buf_str(&t->hdrs);
	size_t nl = strlen(name);

	while (*s != '\0') {
		const char *eol = strchr(s, '\n');
		size_t linelen = eol != NULL ? (size_t)(eol - s) : strlen(s);
		if (linelen > nl && strncasecmp(s, name, nl) == 0 && s[nl] == ':') {
			const char *v = s + nl + 1;
			size_t vl = linelen - nl - 1;
			while (vl > 0 && (*v == ' ' || *v == '\t')) {
				v++;
				vl--;
			}
			while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (vl >= outsz)
				vl = outsz - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return out;
		}
		if (eol == NULL)
			break;
		s = eol + 1;
	}
	return NULL;
}

static int start_transfer(struct netra_http *h, struct transfer *t)
{
	CURL *e = curl_easy_init();

	if (e == NULL)
		return NETRA_ENOMEM;
	netra_buf_reset(&t->body);
	netra_buf_reset(&t->hdrs);
	t->too_big = 0;
	t->retry_after = 0;
	curl_slist_free_all(t->hlist);
	t->hlist = NULL;
	for (size_t i = 0; t->headers[i] != NULL; i++) {
		struct curl_slist *n = curl_slist_append(t->hlist, t->headers[i]);
		if (n == NULL)
			goto fail;
		t->hlist = n;
	}
	if (t->token != NULL) {
		struct netra_buf auth;
		struct curl_slist *n;
		netra_buf_init(&auth, 8192);
		if (netra_buf_printf(&auth, "Authorization: Bearer %s", t->token) != NETRA_OK) {
			netra_buf_free(&auth);
			goto fail;
		}
		n = curl_slist_append(t->hlist, auth.data);
		memset(auth.data, 0, auth.len);
		netra_buf_free(&auth);
		if (n == NULL)
			goto fail;
		t->hlist = n;
	}
	curl_easy_setopt(e, CURLOPT_URL, t->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->hlist);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, t->req.max_redirects);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, t->req.timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, t->req.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->req.max_body);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 1L);
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK)
		goto fail;
	t->easy = e;
	t->attempts++;
	h->running++;
	return NETRA_OK;
fail:
	curl_easy_cleanup(e);
	return NETRA_ENOMEM;
}

static void unlink_transfer(struct netra_http *h, struct transfer *t)
{
	for (struct transfer **pp = &h->all; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			return;
		}
	}
}

/* Deliver the final outcome and free the transfer. */
static void finish(struct netra_http *h, struct transfer *t, enum netra_http_result result,
		   long status, const char *error)
{
	struct netra_http_response r;
	char etag[512];
	char lastmod[128];
	char link[4096];

	memset(&r, 0, sizeof(r));
	r.result = result;
	r.status = status;
	r.url = t->url;
	r.body = netra_buf_str(&t->body);
	r.body_len = t->body.len;
	r.etag = header_get(t, "etag", etag, sizeof(etag));
	r.last_modified = header_get(t, "last-modified", lastmod, sizeof(lastmod));
	r.link = header_get(t, "link", link, sizeof(link));
	r.retry_after = t->retry_after;
	r.attempts = t->attempts;
	r.error = error != NULL ? error : "";
	unlink_transfer(h, t);
	if (t->cb != NULL)
		t->cb(&r, t->arg);
	transfer_free(h, t);
}

/* Server's wish to wait, from Retry-After or rate-limit headers. */
static double server_wait(const struct transfer *t)
{
	char v1[128];
	char v2[128];
	double now = now_wall();
	double w;

	if (header_get(t, "retry-after", v1, sizeof(v1)) != NULL) {
		w = netra_http_retry_after(v1, now);
		if (w >= 0)
			return w;
	}
	if (header_get(t, "x-ratelimit-remaining", v1, sizeof(v1)) != NULL &&
	    header_get(t, "x-ratelimit-reset", v2, sizeof(v2)) != NULL)
		return netra_http_ratelimit_wait(v1, v2, now);
	if (header_get(t, "ratelimit-remaining", v1, sizeof(v1)) != NULL &&
	    header_get(t, "ratelimit-reset", v2, sizeof(v2)) != NULL)
		return netra_http_ratelimit_wait(v1, v2, now);
	return 0;
}

/* A transfer has completed: decide between done, retry and give up. */
static void completed(struct netra_http *h, struct transfer *t, CURLcode cc)
{
	long status = 0;
	char err[ERROR_MAX];
	int transient;
	double delay;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_multi_remove_handle(h->multi, t->easy);
	curl_easy_cleanup(t->easy);
	t->easy = NULL;
	h->running--;
	err[0] = '\0';
	if (cc == CURLE_OK) {
		t->retry_after = server_wait(t);
		if ((status >= 200 && status < 300) || status == 304) {
			finish(h, t, NETRA_HTTP_OK, status, NULL);
			return;
		}
		snprintf(err, sizeof(err), "HTTP %ld", status);
		transient = status == 408 || status == 429 || status >= 500;
	} else if (t->too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, sizeof(err), "response body larger than %zu bytes", t->req.max_body);
		finish(h, t, NETRA_HTTP_FATAL, status, err);
		return;
	} else if (cc == CURLE_TOO_MANY_REDIRECTS) {
		snprintf(err, sizeof(err), "more than %ld redirects", t->req.max_redirects);
		finish(h, t, NETRA_HTTP_FATAL, status, err);
		return;
	} else if (cc == CURLE_URL_MALFORMAT || cc == CURLE_UNSUPPORTED_PROTOCOL) {
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(cc));
		finish(h, t, NETRA_HTTP_FATAL, status, err);
		return;
	} else {
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(cc));
		transient = 1;
	}
	if (!transient) {
		finish(h, t, NETRA_HTTP_FATAL, status, err);
		return;
	}
	if (t->attempts > t->req.max_retries) {
		char msg[ERROR_MAX + 64];
		snprintf(msg, sizeof(msg), "%s (gave up after %d attempts)", err, t->attempts);
		finish(h, t, NETRA_HTTP_RETRY, status, msg);
		return;
	}
	if (t->retry_after > 0 && (status == 429 || status == 503)) {
		if (t->retry_after > t->req.max_wait) {
			char msg[ERROR_MAX + 64];
			snprintf(msg, sizeof(msg), "%s, server asks to wait %.0f s", err,
				 t->retry_after);
			finish(h, t, NETRA_HTTP_RETRY, status, msg);
			return;
		}
		delay = t->retry_after;
	} else {
		/* Full jitter: a random delay up to the capped exponential
		 * backoff, so that many clients do not retry in step. */
		double cap = t->req.backoff_base * (double)(1u << (t->attempts < 16 ? t->attempts - 1 : 15));
		if (cap > t->req.backoff_max)
			cap = t->req.backoff_max;
		delay = cap / 2 + rng_next(h) * cap / 2;
	}
	netra_debug("http", NULL, "%s: %s, retry %d in %.2f s", t->url, err, t->attempts, delay);
	t->not_before = now_mono() + delay;
}

int netra_http_run(struct netra_http *h, volatile sig_atomic_t *stop)
{
	while (h->all != NULL) {
		double now = now_mono();
		double next = -1;
		int timeout_ms;
		int still;
		CURLMsg *msg;
		int left;

		if (stop != NULL && *stop)
			break;
		for (struct transfer *t = h->all; t != NULL; t = t->next) {
			if (t->easy != NULL)
				continue;
			if (t->not_before <= now) {
				if (start_transfer(h, t) != NETRA_OK) {
					finish(h, t, NETRA_HTTP_RETRY, 0, "out of memory");
					break; /* the list changed */
				}
			} else if (next < 0 || t->not_before < next) {
				next = t->not_before;
			}
		}
		if (curl_multi_perform(h->multi, &still) != CURLM_OK)
			return NETRA_EIO;
		while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
			struct transfer *t = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			completed(h, t, msg->data.result);
		}
		if (h->all == NULL)
			break;
		timeout_ms = 200;
		if (h->running > 0) {
			/* Why: curl has its own timers (name resolution, happy
			 * eyeballs, timeouts) that no socket event announces. */
			long ct = -1;
			curl_multi_timeout(h->multi, &ct);
			if (ct >= 0 && ct < timeout_ms)
				timeout_ms = (int)ct;
		}
		if (next > 0) {
			double wait = (next - now_mono()) * 1000.0;
			if (wait < timeout_ms)
				timeout_ms = wait < 0 ? 0 : (int)wait;
		}
		if (curl_multi_poll(h->multi, NULL, 0, timeout_ms, NULL) != CURLM_OK)
			return NETRA_EIO;
	}
	/* Stopped: end what remains as a transient failure, so that every
	 * callback runs once and frees what it owns. */
	while (h->all != NULL) {
		struct transfer *t = h->all;
		if (t->easy != NULL) {
			curl_multi_remove_handle(h->multi, t->easy);
			curl_easy_cleanup(t->easy);
			t->easy = NULL;
			h->running--;
		}
		finish(h, t, NETRA_HTTP_RETRY, 0, "interrupted");
	}
	return NETRA_OK;
}

char *netra_http_link(const char *link, const char *rel)
{
	const char *p = link;
	char want[64];

	if (link == NULL)
		return NULL;
	snprintf(want, sizeof(want), "rel=\"%s\"", rel);
	while ((p = strchr(p, '<')) != NULL) {
		const char *end = strchr(p, '>');
		const char *stop;
		const char *r;
		if (end == NULL)
			return NULL;
		stop = strchr(end, ',');
		r = strstr(end, want);
		if (r != NULL && (stop == NULL || r < stop)) {
			size_t n = (size_t)(end - p - 1);
			char *out = malloc(n + 1);
			if (out == NULL)
				return NULL;
			memcpy(out, p + 1, n);
			out[n] = '\0';
			return out;
		}
		p = end;
	}
	return NULL;
}

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"). -1 if not one. */
static double parse_http_date(const char *s)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int d;
	int y;
	int hh;
	int mm;
	int ss;
	int mon = -1;
	const char *p = strchr(s, ',');
	char *end;

	if (p == NULL)
		return -1;
	p++;
	d = (int)strtol(p, &end, 10);
	if (end == p || *end != ' ')
		return -1;
	p = end + 1;
	for (int i = 0; i < 12; i++)
		if (strncmp(p, months[i], 3) == 0)
			mon = i + 1;
	if (mon < 0 || p[3] != ' ')
		return -1;
	p += 4;
	y = (int)strtol(p, &end, 10);
	if (end == p || *end != ' ')
		return -1;
	p = end + 1;
	if (!isdigit((unsigned char)p[0]) || strlen(p) < 8 || p[2] != ':' || p[5] != ':')
		return -1;
	hh = (p[0] - '0') * 10 + (p[1] - '0');
	mm = (p[3] - '0') * 10 + (p[4] - '0');
	ss = (p[6] - '0') * 10 + (p[7] - '0');
	if (!netra_date_valid(y, mon, d) || hh > 23 || mm > 59 || ss > 60)
		return -1;
	return (double)(netra_days_from_civil(y, mon, d) * 86400 + hh * 3600 + mm * 60 + ss);
}

double netra_http_retry_after(const char *value, double now)
{
	char *end;
	double v;

	if (value == NULL)
		return -1;
	while (*value == ' ')
		value++;
	if (isdigit((unsigned char)*value)) {
		errno = 0;
		v = strtod(value, &end);
		if (errno != 0 || (*end != '\0' && *end != ' ') || v < 0)
			return -1;
		return v;
	}
	v = parse_http_date(value);
	if (v < 0)
		return -1;
	return v > now ? v - now : 0;
}

double netra_http_ratelimit_wait(const char *remaining, const char *reset, double now)
{
	char *end;
	double rem;
	double r;
	int64_t t;

	if (remaining == NULL || reset == NULL)
		return 0;
	rem = strtod(remaining, &end);
	if (end == remaining || rem > 0)
		return 0;
	if (netra_time_parse(reset, &t) == 0)
		return (double)t > now ? (double)t - now : 0;
	r = strtod(reset, &end);
	if (end == reset || r < 0)
		return 0;
	/* Why: X-RateLimit-Reset is epoch seconds on some platforms and a
	 * delta on others (RateLimit-Reset); a value beyond a year is a time. */
	if (r > 366.0 * 86400)
		return r > now ? r - now : 0;
	return r;
}
