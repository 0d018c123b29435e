/* HTTP for collectors: many requests at once over libcurl's multi
 * interface, with timeouts, a bounded body, bounded redirects, compression
 * and an honest User-Agent. Transient failures (transport errors, 408, 429,
 * 5xx) are retried with capped exponential backoff and full jitter; 429 and
 * 503 wait as long as Retry-After or the rate-limit headers ask. */
#ifndef NETRA_HTTP_H
#define NETRA_HTTP_H

#include <signal.h>
#include <stddef.h>

/* How a request ended, after any retries. */
enum netra_http_result {
	NETRA_HTTP_OK = 0,      /* a final response: 2xx or 304 */
	NETRA_HTTP_RETRY = -5,  /* transient failure and retries used up: try later */
	NETRA_HTTP_FATAL = -6   /* permanent: 4xx, too big, redirect loop, bad URL */
};

/* One request. Zero fields take the defaults given in brackets. */
struct netra_http_request {
	const char *url;            /* http:// or https:// only */
	const char *const *headers; /* "Name: value" lines, NULL-terminated, or NULL */
	const char *token;          /* sent as "Authorization: Bearer"; never logged */
	long timeout_ms;            /* whole transfer [30000] */
	long connect_timeout_ms;    /* connection [10000] */
	size_t max_body;            /* largest body accepted [8 MiB] */
	long max_redirects;         /* redirects followed [5]; negative for none */
	int max_retries;            /* retries of a transient failure [4]; negative for none */
	double backoff_base;        /* first backoff in seconds [1] */
	double backoff_max;         /* largest backoff in seconds [60] */
	double max_wait;            /* longest Retry-After waited in place [60]; longer gives up */
};

/* A final response, borrowed for the duration of the callback. */
struct netra_http_response {
	enum netra_http_result result; /* see above */
	long status;               /* last HTTP status, 0 if none */
	const char *url;           /* the URL asked for */
	const char *body;          /* NUL-terminated body ("" if none) */
	size_t body_len;           /* its length */
	const char *etag;          /* ETag header or NULL */
	const char *last_modified; /* Last-Modified header or NULL */
	const char *link;          /* Link header or NULL */
	double retry_after;        /* seconds the server asks us to wait before the next call, 0 if none */
	int attempts;              /* requests made, retries included */
	const char *error;         /* what went wrong ("" when result is OK) */
};

typedef void (*netra_http_cb)(const struct netra_http_response *resp, void *arg);

struct netra_http;

/* A new client sending user_agent (copied). NULL on failure. */
struct netra_http *netra_http_new(const char *user_agent);

/* Abort what is in flight (callbacks are not called) and free. NULL-safe;
 * sets *h to NULL. */
void netra_http_destroy(struct netra_http **h);

/* Queue a request; cb(resp, arg) runs from netra_http_run when it is final.
 * Callbacks may submit further requests. Returns 0, NETRA_EINVAL (not an
 * http(s) URL) or NETRA_ENOMEM. */
int netra_http_submit(struct netra_http *h, const struct netra_http_request *req,
		      netra_http_cb cb, void *arg);

/* Run until no request is queued or in flight, or *stop becomes non-zero
 * (then what remains ends as NETRA_HTTP_RETRY "interrupted"). Returns 0 or a
 * negative status if curl itself failed. */
int netra_http_run(struct netra_http *h, volatile sig_atomic_t *stop);

/* Requests queued or in flight. */
size_t netra_http_pending(const struct netra_http *h);

/* The URL of the Link header entry with rel (e.g. "next", "prev"), as a
 * new string the caller frees; NULL if absent. */
char *netra_http_link(const char *link, const char *rel);

/* Seconds to wait from a Retry-After value (delta-seconds or an HTTP date)
 * at time now (seconds since the epoch). -1 if unparseable. */
double netra_http_retry_after(const char *value, double now);

/* Seconds to wait from rate-limit headers: remaining and reset as given by
 * X-RateLimit-* (reset an RFC 3339 time or epoch seconds) or RateLimit-*
 * (reset in seconds). 0 if requests remain or the values are unusable. */
double netra_http_ratelimit_wait(const char *remaining, const char *reset, double now);

#endif
