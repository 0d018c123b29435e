#include "collectors/collect.h"

#include "collectors/checkpoint.h"
#include "collectors/http.h"
#include "collectors/registry.h"
#include "collectors/source.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/post.h"
#include "core/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	NAME_MAX_LEN = 128,
	TOKEN_MAX = 16 * 1024,
	ONCE_ROUNDS_MAX = 100000, /* bound on catch-up rounds of --once */
	RETRY_FIRST_MS = 100,     /* first wait for room in a full output */
	RETRY_MAX_MS = 1000,      /* longest wait between two offers to a full output */
	FAILING_AFTER = 3 /* consecutive failed rounds before a source is reported failing */
};

const struct netra_source_key netra_source_common_keys[] = {
	{"type", NETRA_KEY_STRING, 1, NULL, 0, 0,
	 "The source type: one of the types in this document."},
	{"name", NETRA_KEY_STRING, 0, NULL, 0, 0,
	 "A short unique name for this source (logs, checkpoint); defaults to the type. "
	 "Renaming a source restarts it from scratch."},
	{"interval", NETRA_KEY_INTEGER, 0, "300", 1, 86400,
	 "Seconds between two polls of this source."},
	{"token_env", NETRA_KEY_STRING, 0, NULL, 0, 0,
	 "Name of an environment variable holding the access token, if the source needs one."},
	{"token_file", NETRA_KEY_PATH, 0, NULL, 0, 0,
	 "File whose first line is the access token (used when token_env is not set)."},
	{"timeout_ms", NETRA_KEY_INTEGER, 0, "30000", 100, 600000,
	 "Longest time one HTTP request may take, in milliseconds."},
	{"max_body", NETRA_KEY_INTEGER, 0, "8388608", 1024, 268435456,
	 "Largest HTTP response body accepted, in bytes; a bigger one is an error."},
	{"max_retries", NETRA_KEY_INTEGER, 0, "4", 0, 20,
	 "Retries of a transient HTTP failure (timeout, 408, 429, 5xx) within one poll."},
	{"max_redirects", NETRA_KEY_INTEGER, 0, "5", 0, 20, "Redirects followed per request."},
	{"backoff_ms", NETRA_KEY_INTEGER, 0, "1000", 1, 600000,
	 "First retry delay in milliseconds; it doubles (with random jitter) up to a minute."},
	{NULL, NETRA_KEY_STRING, 0, NULL, 0, 0, NULL},
};

struct netra_source {
	struct netra_collector *coll;             /* owner */
	const struct netra_source_plugin *plugin; /* what it is */
	char name[NAME_MAX_LEN];                  /* "type:name" for logs */
	char *key;                                /* checkpoint key: the name */
	json_t *conf;                             /* validated config with defaults */
	char *token;                              /* secret, or NULL */
	void *ctx;                                /* plugin state */
	int inited;                               /* init succeeded */
	json_t *cursor;                           /* cursor of the round in progress */
	json_t *posts;                            /* posts of the round in progress */
	json_t *fresh;                            /* its new posts, once the round is over */
	size_t handed;                            /* of which the output has taken */
	int waiting;                              /* the output was full: the rest waits */
	int failed;                               /* the round failed */
	double fail_wait;                         /* server asked to wait this long */
	double poll_soon;                         /* next poll wanted within, or 0 */
	int more;                                 /* more is waiting now */
	double next_poll;                         /* monotonic time of the next round */
	int fail_streak;                          /* consecutive failed rounds */
	size_t fetched;                           /* this round: items fetched */
	size_t nnew;                              /* this round: posts written */
	size_t dups;                              /* this round: duplicates dropped */
	size_t errors;                            /* this round: errors */
};

struct netra_collector {
	const struct netra_config *cfg;    /* borrowed */
	struct netra_collect_options opt;  /* copy */
	struct netra_source **sources;     /* configured sources */
	size_t nsources;                   /* their number */
	struct netra_checkpoint *cp;       /* durable state */
	struct netra_http *http;           /* shared HTTP client */
	int out_fd;                        /* output, or 1 */
	int out_is_file;                   /* output is a regular file we own */
	char *out_abs;                     /* absolute output path, or NULL */
	long long out_size;                /* bytes in the output file */
	int lock_fd;                       /* lock on the state folder */
	long test_pause_ms;                /* NETRA_COLLECT_TEST_PAUSE_MS: widen the crash window */
	int dirty;                         /* the checkpoint has changed since it was saved */
	double retry_at;                   /* when waiting posts are offered again */
	double retry_wait;                 /* the wait after that offer, in seconds */
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- source services ---- */

const char *netra_source_name(const struct netra_source *src)
{
	return src->name;
}

const struct netra_source_plugin *netra_source_plugin(const struct netra_source *src)
{
	return src->plugin;
}

const char *netra_source_str(const struct netra_source *src, const char *key)
{
	return json_string_value(json_object_get(src->conf, key));
}

long long netra_source_int(const struct netra_source *src, const char *key)
{
	return json_integer_value(json_object_get(src->conf, key));
}

const json_t *netra_source_strings(const struct netra_source *src, const char *key)
{
	static json_t *empty;
	const json_t *v = json_object_get(src->conf, key);

	if (v != NULL)
		return v;
	if (empty == NULL)
		empty = json_array();
	return empty;
}

int netra_source_set_default(struct netra_source *src, const char *key, const char *value)
{
	if (json_object_get(src->conf, key) != NULL)
		return NETRA_OK;
	return json_object_set_new(src->conf, key, json_string(value)) == 0 ? NETRA_OK
									    : NETRA_ENOMEM;
}

const char *netra_source_token(const struct netra_source *src)
{
	return src->token;
}

void netra_source_set_ctx(struct netra_source *src, void *ctx)
{
	src->ctx = ctx;
}

void *netra_source_ctx(const struct netra_source *src)
{
	return src->ctx;
}

json_t *netra_source_cursor(struct netra_source *src)
{
	return src->cursor;
}

int netra_source_emit(struct netra_source *src, json_t *post)
{
	char err[512];

	if (post == NULL) {
		src->errors++;
		return NETRA_ENOMEM;
	}
	if (netra_post_validate(post, err, sizeof(err)) != NETRA_OK) {
		const char *id = json_string_value(json_object_get(post, "id"));
		netra_warn("source", src->name, "invalid post %s: %s", id != NULL ? id : "(no id)",
			   err);
		src->errors++;
		json_decref(post);
		return NETRA_EINVAL;
	}
	if (json_array_append_new(src->posts, post) != 0) {
		src->errors++;
		return NETRA_ENOMEM;
	}
	return NETRA_OK;
}

void netra_source_fail(struct netra_source *src, double retry_after, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	netra_error("source", src->name, "%s", msg);
	src->errors++;
	src->failed = 1;
	if (retry_after > src->fail_wait)
		src->fail_wait = retry_after;
}

void netra_source_count_fetched(struct netra_source *src, size_t n)
{
	src->fetched += n;
}

void netra_source_more(struct netra_source *src)
{
	src->more = 1;
}

void netra_source_poll_soon(struct netra_source *src, double seconds)
{
	if (src->poll_soon <= 0 || seconds < src->poll_soon)
		src->poll_soon = seconds;
}

int netra_source_http(struct netra_source *src, const struct netra_http_request *req,
		      netra_http_cb cb, void *arg)
{
	struct netra_http_request r = *req;
	int rc;

	if (r.token == NULL)
		r.token = src->token;
	if (r.timeout_ms == 0)
		r.timeout_ms = (long)netra_source_int(src, "timeout_ms");
	if (r.max_body == 0)
		r.max_body = (size_t)netra_source_int(src, "max_body");
	if (r.max_retries == 0)
		r.max_retries = netra_source_int(src, "max_retries") == 0
					? -1
					: (int)netra_source_int(src, "max_retries");
	if (r.max_redirects == 0)
		r.max_redirects = netra_source_int(src, "max_redirects") == 0
					  ? -1
					  : (long)netra_source_int(src, "max_redirects");
	if (r.backoff_base <= 0)
		r.backoff_base = (double)netra_source_int(src, "backoff_ms") / 1000.0;
	rc = netra_http_submit(src->coll->http, &r, cb, arg);
	if (rc != NETRA_OK)
		netra_source_fail(src, 0, "%s: cannot request: %s", req->url, netra_strerror(rc));
	return rc;
}

json_t *netra_post_new(const char *id, const char *source, const char *text)
{
	return json_pack("{s:s,s:s,s:s}", "id", id, "source", source, "text",
			 text != NULL ? text : "");
}

void netra_json_set_str(json_t *obj, const char *key, const char *value)
{
	if (obj != NULL && value != NULL && value[0] != '\0')
		json_object_set_new(obj, key, json_string(value));
}

/* ---- configuration ---- */

static const struct netra_source_key *find_key(const struct netra_source_key *table,
					       const char *name)
{
	for (size_t i = 0; table != NULL && table[i].name != NULL; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

/* Check and normalise one key's value into conf. */
static int check_key(const struct netra_config *cfg, const struct netra_source_key *k,
		     json_t *conf, const char *where, char *err, size_t errsz)
{
	json_t *v = json_object_get(conf, k->name);

	if (v == NULL) {
		if (k->required) {
			snprintf(err, errsz, "%s: %s: required", where, k->name);
			return NETRA_EINVAL;
		}
		if (k->def == NULL)
			return NETRA_OK;
		if (k->type == NETRA_KEY_INTEGER)
			v = json_integer(strtoll(k->def, NULL, 10));
		else
			v = json_string(k->def);
		json_object_set_new(conf, k->name, v);
		v = json_object_get(conf, k->name);
		if (v == NULL) {
			snprintf(err, errsz, "%s: out of memory", where);
			return NETRA_ENOMEM;
		}
		if (k->type != NETRA_KEY_PATH)
			return NETRA_OK;
	}
	switch (k->type) {
	case NETRA_KEY_STRING:
	case NETRA_KEY_PATH:
		if (!json_is_string(v) || json_string_length(v) == 0) {
			snprintf(err, errsz, "%s: %s: must be a non-empty string", where, k->name);
			return NETRA_EINVAL;
		}
		if (k->type == NETRA_KEY_PATH && cfg->path != NULL) {
			char *abs = netra_path_relative_to(cfg->path, json_string_value(v));
			if (abs == NULL)
				return NETRA_ENOMEM;
			json_object_set_new(conf, k->name, json_string(abs));
			free(abs);
		}
		break;
	case NETRA_KEY_INTEGER:
		if (!json_is_integer(v) || json_integer_value(v) < k->min ||
		    json_integer_value(v) > k->max) {
			snprintf(err, errsz, "%s: %s: must be an integer from %lld to %lld", where,
				 k->name, k->min, k->max);
			return NETRA_EINVAL;
		}
		break;
	case NETRA_KEY_STRINGS:
		if (!json_is_array(v)) {
			snprintf(err, errsz, "%s: %s: must be an array of strings", where, k->name);
			return NETRA_EINVAL;
		}
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (!json_is_string(json_array_get(v, i)) ||
			    json_string_length(json_array_get(v, i)) == 0) {
				snprintf(err, errsz, "%s: %s[%zu]: must be a non-empty string",
					 where, k->name, i);
				return NETRA_EINVAL;
			}
		}
		break;
	}
	return NETRA_OK;
}

/* Read the access token from token_env or token_file. */
static int load_token(struct netra_source *src, const char *where, char *err, size_t errsz)
{
	const char *env = netra_source_str(src, "token_env");
	const char *file = netra_source_str(src, "token_file");
	char *text = NULL;
	size_t len = 0;

	if (env != NULL) {
		const char *v = getenv(env);
		if (v == NULL || v[0] == '\0') {
			snprintf(err, errsz, "%s: token_env: environment variable %s is not set",
				 where, env);
			return NETRA_EINVAL;
		}
		src->token = netra_strdup(v);
		return src->token != NULL ? NETRA_OK : NETRA_ENOMEM;
	}
	if (file != NULL) {
		char ferr[512];
		if (netra_file_read(file, TOKEN_MAX, &text, &len, ferr, sizeof(ferr)) != NETRA_OK) {
			snprintf(err, errsz, "%s: token_file: %s", where, ferr);
			return NETRA_EINVAL;
		}
		text[strcspn(text, "\r\n")] = '\0';
		if (text[0] == '\0') {
			snprintf(err, errsz, "%s: token_file: %s is empty", where, file);
			free(text);
			return NETRA_EINVAL;
		}
		src->token = text;
	}
	return NETRA_OK;
}

static void source_free(struct netra_source *src)
{
	if (src == NULL)
		return;
	if (src->inited && src->plugin->exit != NULL)
		src->plugin->exit(src);
	json_decref(src->conf);
	json_decref(src->cursor);
	json_decref(src->posts);
	json_decref(src->fresh);
	if (src->token != NULL) {
		memset(src->token, 0, strlen(src->token));
		free(src->token);
	}
	free(src->key);
	free(src);
}

static int source_new(struct netra_collector *c, size_t idx, const json_t *obj,
		      struct netra_source **out, char *err, size_t errsz)
{
	struct netra_source *src = NULL;
	char where[256];
	const char *type;
	const char *key;
	json_t *v;
	const char *names[64];
	size_t nnames = 0;
	const struct netra_source_plugin *p;
	int rc = NETRA_EINVAL;

	*out = NULL;
	snprintf(where, sizeof(where), "%s: sources[%zu]",
		 c->cfg->path != NULL ? c->cfg->path : "netra.json", idx);
	if (!json_is_object(obj)) {
		snprintf(err, errsz, "%s: must be an object", where);
		return NETRA_EINVAL;
	}
	type = json_string_value(json_object_get(obj, "type"));
	if (type == NULL) {
		snprintf(err, errsz, "%s: type: required (a string)", where);
		return NETRA_EINVAL;
	}
	p = netra_source_plugin_find(type);
	if (p == NULL) {
		const char *hint;
		for (size_t i = 0; netra_source_plugins[i] != NULL && nnames < 64; i++)
			names[nnames++] = netra_source_plugins[i]->name;
		hint = netra_did_you_mean(type, names, nnames);
		if (hint != NULL)
			snprintf(err, errsz, "%s: type: unknown source \"%s\"; did you mean \"%s\"?",
				 where, type, hint);
		else
			snprintf(err, errsz, "%s: type: unknown source \"%s\"", where, type);
		return NETRA_EINVAL;
	}
	snprintf(where + strlen(where), sizeof(where) - strlen(where), " (%s)", type);
	src = calloc(1, sizeof(*src));
	if (src == NULL)
		return NETRA_ENOMEM;
	src->coll = c;
	src->plugin = p;
	src->conf = json_deep_copy(obj);
	if (src->conf == NULL) {
		rc = NETRA_ENOMEM;
		goto fail;
	}
	json_object_foreach(src->conf, key, v) {
		if (find_key(netra_source_common_keys, key) == NULL && find_key(p->config, key) == NULL) {
			const char *hint;
			nnames = 0;
			for (size_t i = 0; netra_source_common_keys[i].name != NULL && nnames < 64; i++)
				names[nnames++] = netra_source_common_keys[i].name;
			for (size_t i = 0; p->config != NULL && p->config[i].name != NULL && nnames < 64; i++)
				names[nnames++] = p->config[i].name;
			hint = netra_did_you_mean(key, names, nnames);
			if (hint != NULL)
				snprintf(err, errsz, "%s: %s: unknown key; did you mean \"%s\"?", where,
					 key, hint);
			else
				snprintf(err, errsz, "%s: %s: unknown key", where, key);
			goto fail;
		}
	}
	for (size_t i = 0; netra_source_common_keys[i].name != NULL; i++)
		if ((rc = check_key(c->cfg, &netra_source_common_keys[i], src->conf, where, err, errsz)) != NETRA_OK)
			goto fail;
	for (size_t i = 0; p->config != NULL && p->config[i].name != NULL; i++)
		if ((rc = check_key(c->cfg, &p->config[i], src->conf, where, err, errsz)) != NETRA_OK)
			goto fail;
	rc = NETRA_EINVAL;
	key = netra_source_str(src, "name");
	if (key == NULL)
		key = type;
	if (strlen(key) > 64 || strchr(key, ':') != NULL) {
		snprintf(err, errsz, "%s: name: at most 64 characters, without ':'", where);
		goto fail;
	}
	for (size_t i = 0; i < c->nsources; i++) {
		if (strcmp(c->sources[i]->key, key) == 0) {
			snprintf(err, errsz, "%s: name: \"%s\" is used by another source; give each a "
				 "unique \"name\"", where, key);
			goto fail;
		}
	}
	src->key = netra_strdup(key);
	if (src->key == NULL) {
		rc = NETRA_ENOMEM;
		goto fail;
	}
	snprintf(src->name, sizeof(src->name), "%s:%s", type, key);
	if ((rc = load_token(src, where, err, errsz)) != NETRA_OK)
		goto fail;
	if (p->init != NULL) {
		char perr[768];
		perr[0] = '\0';
		rc = p->init(src, perr, sizeof(perr));
		if (rc != NETRA_OK) {
			snprintf(err, errsz, "%s: %s", where, perr);
			goto fail;
		}
	}
	src->inited = 1;
	*out = src;
	return NETRA_OK;
fail:
	source_free(src);
	return rc;
}

/* ---- output ---- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int mkdir_p(const char *path)
{
	char tmp[4096];

	if (netra_strlcpy(tmp, path, sizeof(tmp)) >= sizeof(tmp))
		return -1;
	for (char *p = tmp + 1; *p != '\0'; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* Open the output; if the checkpoint says it was shorter when last saved,
 * cut what a crashed run wrote after that save: those posts will be
 * collected again since their cursor was not saved. */
static int open_output(struct netra_collector *c, char *err, size_t errsz)
{
	struct stat st;
	long long saved;

	if (c->opt.output != NULL)
		return NETRA_OK; /* the caller's output keeps its own state */
	if (c->opt.out_path == NULL) {
		c->out_fd = 1;
		return NETRA_OK;
	}
	c->out_fd = open(c->opt.out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (c->out_fd < 0) {
		snprintf(err, errsz, "%s: cannot open: %s", c->opt.out_path, strerror(errno));
		return NETRA_EIO;
	}
	if (fstat(c->out_fd, &st) != 0) {
		snprintf(err, errsz, "%s: %s", c->opt.out_path, strerror(errno));
		return NETRA_EIO;
	}
	c->out_abs = realpath(c->opt.out_path, NULL);
	if (c->out_abs == NULL) {
		snprintf(err, errsz, "%s: %s", c->opt.out_path, strerror(errno));
		return NETRA_EIO;
	}
	c->out_is_file = S_ISREG(st.st_mode);
	c->out_size = (long long)st.st_size;
	saved = netra_checkpoint_out_size(c->cp, c->out_abs);
	if (c->out_is_file && saved >= 0 && c->out_size > saved) {
		netra_warn("collect", NULL,
			   "%s: dropping %lld bytes written after the last checkpoint "
			   "(they will be collected again)",
			   c->opt.out_path, c->out_size - saved);
		if (ftruncate(c->out_fd, (off_t)saved) != 0 || fsync(c->out_fd) != 0) {
			snprintf(err, errsz, "%s: cannot truncate: %s", c->opt.out_path,
				 strerror(errno));
			return NETRA_EIO;
		}
		c->out_size = saved;
	}
	if (c->out_is_file && saved < 0) {
		/* A new output: record where it starts before anything is
		 * written, so that a crash in the very first poll is cut too. */
		if (netra_checkpoint_set_out(c->cp, c->out_abs, c->out_size) != NETRA_OK) {
			snprintf(err, errsz, "out of memory");
			return NETRA_ENOMEM;
		}
		return netra_checkpoint_save(c->cp, err, errsz);
	}
	return NETRA_OK;
}

int netra_collector_new(const struct netra_config *cfg,
			const struct netra_collect_options *opt,
			struct netra_collector **out, char *err, size_t errsz)
{
	struct netra_collector *c = NULL;
	struct netra_buf path;
	size_t n = json_array_size(cfg->sources);
	int rc = NETRA_ENOMEM;

	netra_buf_init(&path, 8192);
	*out = NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		goto fail;
	c->cfg = cfg;
	c->opt = *opt;
	c->out_fd = -1;
	c->lock_fd = -1;
	if (c->opt.max_seen == 0)
		c->opt.max_seen = 100000;
	if (getenv("NETRA_COLLECT_TEST_PAUSE_MS") != NULL)
		c->test_pause_ms = strtol(getenv("NETRA_COLLECT_TEST_PAUSE_MS"), NULL, 10);
	if (!json_is_array(cfg->sources) || n == 0) {
		snprintf(err, errsz, "%s: sources: no sources configured (docs/sources.md)",
			 cfg->path != NULL ? cfg->path : "netra.json");
		rc = NETRA_EINVAL;
		goto fail;
	}
	c->sources = calloc(n, sizeof(*c->sources));
	{
		/* Honest: what we are, what we do, and (NETRA_CONTACT) who
		 * runs it, so a platform can reach the monitoring team. */
		struct netra_buf ua;
		const char *contact = getenv("NETRA_CONTACT");
		netra_buf_init(&ua, 1024);
		netra_buf_printf(&ua, "Netra/%s (monitoring public posts for political neutrality; "
				      "libcurl/%s%s%s)",
				 NETRA_VERSION, curl_version_info(CURLVERSION_NOW)->version,
				 contact != NULL && contact[0] != '\0' ? "; " : "",
				 contact != NULL ? contact : "");
		c->http = netra_http_new(netra_buf_str(&ua));
		netra_buf_free(&ua);
	}
	if (c->sources == NULL || c->http == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		rc = source_new(c, i, json_array_get(cfg->sources, i), &c->sources[i], err, errsz);
		if (rc != NETRA_OK)
			goto fail;
		c->nsources++;
	}
	rc = NETRA_EIO;
	if (netra_buf_printf(&path, "%s/collect", cfg->data_dir) != NETRA_OK ||
	    mkdir_p(path.data) != 0) {
		snprintf(err, errsz, "%s/collect: cannot create: %s", cfg->data_dir, strerror(errno));
		goto fail;
	}
	netra_buf_reset(&path);
	netra_buf_printf(&path, "%s/collect/lock", cfg->data_dir);
	c->lock_fd = open(path.data, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (c->lock_fd < 0 || flock(c->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		snprintf(err, errsz, "%s: another `netra collect` is running on this data_dir",
			 path.data);
		goto fail;
	}
	netra_buf_reset(&path);
	netra_buf_printf(&path, "%s/collect/checkpoint.json", cfg->data_dir);
	rc = netra_checkpoint_open(path.data, c->opt.max_seen, &c->cp, err, errsz);
	if (rc != NETRA_OK)
		goto fail;
	rc = open_output(c, err, errsz);
	if (rc != NETRA_OK)
		goto fail;
	netra_buf_free(&path);
	*out = c;
	return NETRA_OK;
fail:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "out of memory");
	netra_buf_free(&path);
	netra_collector_destroy(&c);
	return rc;
}

void netra_collector_destroy(struct netra_collector **cp)
{
	struct netra_collector *c;

	if (cp == NULL || *cp == NULL)
		return;
	c = *cp;
	/* HTTP first: pending callbacks point into sources. */
	netra_http_destroy(&c->http);
	for (size_t i = 0; i < c->nsources; i++)
		source_free(c->sources[i]);
	free(c->sources);
	netra_checkpoint_destroy(&c->cp);
	if (c->out_fd > 2)
		close(c->out_fd);
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	free(c->out_abs);
	free(c);
	*cp = NULL;
}

/* ---- rounds ---- */

static int round_start(struct netra_source *src)
{
	const json_t *saved = netra_checkpoint_cursor(src->coll->cp, src->key);

	json_decref(src->cursor);
	json_decref(src->posts);
	json_decref(src->fresh);
	src->cursor = saved != NULL ? json_deep_copy(saved) : json_object();
	src->posts = json_array();
	src->fresh = NULL;
	src->handed = 0;
	src->waiting = 0;
	src->failed = 0;
	src->fail_wait = 0;
	src->poll_soon = 0;
	src->more = 0;
	src->fetched = 0;
	src->nnew = 0;
	src->dups = 0;
	src->errors = 0;
	if (src->cursor == NULL || src->posts == NULL) {
		netra_source_fail(src, 0, "out of memory");
		return NETRA_ENOMEM;
	}
	if (src->plugin->poll(src) != NETRA_OK && !src->failed)
		netra_source_fail(src, 0, "poll failed");
	return NETRA_OK;
}

/* Keep the round's new posts, in order: not those handed on in an
 * earlier round, and each id once. Duplicates are counted. */
static int round_fresh(struct netra_source *src)
{
	struct netra_collector *c = src->coll;
	json_t *ids = json_object();
	json_t *post;
	size_t i;

	src->fresh = json_array();
	src->handed = 0;
	if (ids == NULL || src->fresh == NULL) {
		json_decref(ids);
		return NETRA_ENOMEM;
	}
	json_array_foreach(src->posts, i, post) {
		const char *id = json_string_value(json_object_get(post, "id"));
		if (netra_checkpoint_seen(c->cp, id) || json_object_get(ids, id) != NULL) {
			src->dups++;
			continue;
		}
		if (json_object_set_new(ids, id, json_true()) != 0 ||
		    json_array_append(src->fresh, post) != 0) {
			json_decref(ids);
			return NETRA_ENOMEM;
		}
	}
	json_decref(ids);
	return NETRA_OK;
}

/* The built-in output: append the posts as JSONL to the output file (or
 * standard output) and sync them. All or nothing: *taken is n or 0. */
static int output_file(struct netra_collector *c, const struct netra_collect_post *posts,
		       size_t n, size_t *taken, char *err, size_t errsz)
{
	const char *what = c->opt.out_path != NULL ? c->opt.out_path : "<stdout>";
	struct netra_buf out;
	int rc = NETRA_OK;

	*taken = 0;
	netra_buf_init(&out, (size_t)1 << 30);
	for (size_t i = 0; i < n && rc == NETRA_OK; i++) {
		rc = netra_buf_add(&out, posts[i].json, posts[i].len);
		if (rc == NETRA_OK)
			rc = netra_buf_add(&out, "\n", 1);
	}
	if (rc != NETRA_OK) {
		snprintf(err, errsz, "out of memory");
		goto cleanup;
	}
	if (out.len > 0) {
		if (write_all(c->out_fd, out.data, out.len) != 0) {
			snprintf(err, errsz, "%s: write error: %s", what, strerror(errno));
			rc = NETRA_EIO;
			goto cleanup;
		}
		/* Why: the cursor may only move once the posts are on disk;
		 * a pipe cannot be synced, and then the reader owns them. */
		if (fsync(c->out_fd) != 0 && errno != EINVAL && errno != EROFS) {
			snprintf(err, errsz, "%s: cannot sync: %s", what, strerror(errno));
			rc = NETRA_EIO;
			goto cleanup;
		}
		c->out_size += (long long)out.len;
	}
	*taken = n;
cleanup:
	netra_buf_free(&out);
	return rc;
}

/* Hand the round's new posts that the output has not taken yet to it
 * (the file, or the caller's function) and remember the ids it took;
 * once it has taken them all, record the cursor in the checkpoint (saved
 * by the caller). Returns 0, NETRA_ERETRY when the output is full (the
 * rest waits for the next offer), or a negative status with err set. */
static int round_commit(struct netra_source *src, char *err, size_t errsz)
{
	struct netra_collector *c = src->coll;
	struct netra_collect_post *batch = NULL;
	char **lines = NULL;
	size_t n = 0;
	size_t taken = 0;
	int rc = NETRA_ENOMEM;

	if (src->fresh == NULL && round_fresh(src) != NETRA_OK)
		goto cleanup;
	n = json_array_size(src->fresh) - src->handed;
	if (n > 0) {
		batch = calloc(n, sizeof(*batch));
		lines = calloc(n, sizeof(*lines));
		if (batch == NULL || lines == NULL)
			goto cleanup;
		for (size_t k = 0; k < n; k++) {
			json_t *post = json_array_get(src->fresh, src->handed + k);
			lines[k] = netra_post_dump(post);
			if (lines[k] == NULL)
				goto cleanup;
			batch[k].id = json_string_value(json_object_get(post, "id"));
			batch[k].json = lines[k];
			batch[k].len = strlen(lines[k]);
		}
		if (c->opt.output != NULL) {
			rc = c->opt.output(c->opt.output_arg, batch, n, &taken);
			if (taken > n)
				taken = n;
			if (rc == NETRA_ERETRY && taken == n)
				rc = NETRA_OK;
			if (rc != NETRA_OK && rc != NETRA_ERETRY)
				snprintf(err, errsz, "output: %s", netra_strerror(rc));
		} else {
			rc = output_file(c, batch, n, &taken, err, errsz);
		}
		/* What the output took is durable: never offer it again. */
		for (size_t k = 0; k < taken; k++) {
			if (netra_checkpoint_add_seen(c->cp, batch[k].id) != NETRA_OK) {
				rc = NETRA_ENOMEM;
				goto cleanup;
			}
		}
		src->handed += taken;
		src->nnew += taken;
		if (taken > 0)
			c->dirty = 1;
		if (rc != NETRA_OK)
			goto cleanup;
	}
	/* The cursor is saved with the others once this poll's rounds are
	 * all committed (netra_collector_run): one durable write per poll. */
	rc = NETRA_ENOMEM;
	if (netra_checkpoint_set_cursor(c->cp, src->key, src->cursor) != NETRA_OK ||
	    (c->out_abs != NULL && c->out_is_file &&
	     netra_checkpoint_set_out(c->cp, c->out_abs, c->out_size) != NETRA_OK))
		goto cleanup;
	c->dirty = 1;
	rc = NETRA_OK;
cleanup:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "out of memory");
	for (size_t k = 0; lines != NULL && k < n; k++)
		free(lines[k]);
	free(lines);
	free(batch);
	return rc;
}

static void progress(const struct netra_source *src, double next_in)
{
	char next[64];

	if (next_in < 0)
		snprintf(next, sizeof(next), "no next poll (--once)");
	else
		snprintf(next, sizeof(next), "next poll in %.0f s", next_in);
	netra_info("source", src->name, "fetched %zu, new %zu, duplicates %zu, errors %zu, %s%s",
		   src->fetched, src->nnew, src->dups, src->errors, next,
		   src->failed ? " (poll failed, cursor not moved)" : "");
}

static int round_end(struct netra_source *src, int once, int *any_failed)
{
	double interval = (double)netra_source_int(src, "interval");
	double next = interval;
	char err[1024];
	int rc;

	if (!src->failed) {
		rc = round_commit(src, err, sizeof(err));
		if (rc == NETRA_ERETRY) {
			/* The output is full: keep the rest of the round (and the
			 * cursor unsaved) and offer it again later. */
			if (!src->waiting)
				netra_debug("collect", src->name, "the output is full: %zu new "
					    "post(s) wait for room",
					    json_array_size(src->fresh) - src->handed);
			src->waiting = 1;
			return NETRA_OK;
		}
		src->waiting = 0;
		if (rc != NETRA_OK) {
			netra_error("collect", src->name, "%s", err);
			return rc;
		}
		src->fail_streak = 0;
		if (src->poll_soon > 0 && src->poll_soon < next)
			next = src->poll_soon;
		if (src->more)
			next = 0;
	} else {
		/* Back off a failing source: 30 s doubling up to the
		 * interval, or what the server asked. */
		double b = 30.0 * pow(2.0, src->fail_streak < 10 ? src->fail_streak : 10);
		src->fail_streak++;
		*any_failed = 1;
		next = b < interval ? b : interval;
		if (src->fail_wait > next)
			next = src->fail_wait;
		if (src->fail_streak == FAILING_AFTER)
			netra_error("collect", src->name,
				    "has failed %d polls in a row; the other sources go on",
				    src->fail_streak);
	}
	src->next_poll = mono_now() + next;
	progress(src, once && !(src->more && !src->failed) ? -1 : next);
	json_decref(src->posts);
	src->posts = NULL;
	json_decref(src->fresh);
	src->fresh = NULL;
	return NETRA_OK;
}

/* 1 if a source's new posts wait for room in the output. */
static int output_waits(const struct netra_collector *c)
{
	for (size_t i = 0; i < c->nsources; i++)
		if (c->sources[i]->waiting)
			return 1;
	return 0;
}

/* --once: 1 if a source has more waiting now (netra_source_more). */
static int once_more(const struct netra_collector *c)
{
	for (size_t i = 0; i < c->nsources; i++)
		if (c->sources[i]->more && !c->sources[i]->failed)
			return 1;
	return 0;
}

int netra_collector_run(struct netra_collector *c)
{
	int any_failed = 0;
	unsigned round = 0;
	char err[1024];
	char *active = calloc(c->nsources, 1);
	int rc = NETRA_OK;

	if (active == NULL)
		return NETRA_ENOMEM;
	c->retry_wait = RETRY_FIRST_MS / 1000.0;
	for (;;) {
		double now = mono_now();
		double wake = -1;
		int started = 0;

		memset(active, 0, c->nsources);
		if (output_waits(c)) {
			/* Collecting is paused: poll nothing, offer what waits. */
			if (now >= c->retry_at) {
				int took = 0;
				for (size_t i = 0; i < c->nsources; i++) {
					struct netra_source *s = c->sources[i];
					size_t before = s->handed;
					if (!s->waiting)
						continue;
					rc = round_end(s, c->opt.once, &any_failed);
					if (rc != NETRA_OK)
						goto done;
					took |= !s->waiting || s->handed > before;
				}
				/* Back off while the output takes nothing; start
				 * again from the shortest wait when it took some. */
				if (took)
					c->retry_wait = RETRY_FIRST_MS / 1000.0;
				c->retry_at = now + c->retry_wait;
				c->retry_wait = c->retry_wait * 2 < RETRY_MAX_MS / 1000.0
							? c->retry_wait * 2
							: RETRY_MAX_MS / 1000.0;
			}
		} else {
			for (size_t i = 0; i < c->nsources; i++) {
				struct netra_source *s = c->sources[i];
				int due = c->opt.once ? (round == 0 || (s->more && !s->failed))
						      : s->next_poll <= now;
				if (due) {
					active[i] = 1;
					started = 1;
					round_start(c->sources[i]);
				}
			}
		}
		if (started) {
			round++;
			rc = netra_http_run(c->http, c->opt.stop);
			if (rc != NETRA_OK)
				break;
			if (c->opt.stop != NULL && *c->opt.stop)
				break; /* an interrupted round is not committed */
			for (size_t i = 0; i < c->nsources; i++) {
				if (!active[i])
					continue;
				rc = round_end(c->sources[i], c->opt.once, &any_failed);
				if (rc != NETRA_OK)
					goto done;
			}
			if (output_waits(c)) {
				c->retry_wait = RETRY_FIRST_MS / 1000.0;
				c->retry_at = mono_now() + c->retry_wait;
			}
		}
		if (c->dirty) {
			if (c->test_pause_ms > 0) {
				/* Tests only: hold the state where posts are written
				 * but their cursors not yet saved, so that a kill -9
				 * lands there. */
				struct timespec ts = {c->test_pause_ms / 1000,
						      (c->test_pause_ms % 1000) * 1000000L};
				nanosleep(&ts, NULL);
			}
			rc = netra_checkpoint_save(c->cp, err, sizeof(err));
			if (rc != NETRA_OK) {
				netra_error("collect", NULL, "%s", err);
				goto done;
			}
			c->dirty = 0;
		}
		if (output_waits(c)) {
			wake = c->retry_at;
		} else if (c->opt.once) {
			if (!once_more(c) || round >= ONCE_ROUNDS_MAX)
				break;
			continue;
		} else {
			for (size_t i = 0; i < c->nsources; i++)
				if (wake < 0 || c->sources[i]->next_poll < wake)
					wake = c->sources[i]->next_poll;
		}
		while (mono_now() < wake && (c->opt.stop == NULL || !*c->opt.stop)) {
			struct timespec ts = {0, 50 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
		if (c->opt.stop != NULL && *c->opt.stop)
			break;
	}
done:
	free(active);
	if (rc != NETRA_OK && c->dirty) {
		/* What an output took before it failed is durable: remember
		 * it, so that it is not handed on again. */
		if (netra_checkpoint_save(c->cp, err, sizeof(err)) == NETRA_OK)
			c->dirty = 0;
		else
			netra_error("collect", NULL, "%s", err);
	}
	if (rc != NETRA_OK)
		return rc;
	return any_failed ? 1 : 0;
}

static const char *type_name(enum netra_key_type t)
{
	switch (t) {
	case NETRA_KEY_STRING:
		return "string";
	case NETRA_KEY_PATH:
		return "path";
	case NETRA_KEY_INTEGER:
		return "integer";
	case NETRA_KEY_STRINGS:
		return "array of strings";
	}
	return "?";
}

static void keys_markdown(struct netra_buf *b, const struct netra_source_key *keys)
{
	netra_buf_adds(b, "| key | type | default | description |\n|---|---|---|---|\n");
	for (size_t i = 0; keys != NULL && keys[i].name != NULL; i++)
		netra_buf_printf(b, "| `%s` | %s | %s | %s |\n", keys[i].name,
				 type_name(keys[i].type),
				 keys[i].required ? "required" : keys[i].def != NULL ? keys[i].def : "",
				 keys[i].description);
}

char *netra_collect_sources_markdown(void)
{
	struct netra_buf b;

	netra_buf_init(&b, (size_t)1 << 20);
	netra_buf_adds(&b, "### Keys of every source\n\n");
	keys_markdown(&b, netra_source_common_keys);
	for (size_t i = 0; netra_source_plugins[i] != NULL; i++) {
		const struct netra_source_plugin *p = netra_source_plugins[i];
		netra_buf_printf(&b, "\n### `%s`: %s\n\n", p->name, p->description);
		keys_markdown(&b, p->config);
	}
	return netra_buf_steal(&b);
}
