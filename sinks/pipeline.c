#include "sinks/pipeline.h"

#include "collectors/collect.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/journal.h"
#include "core/log.h"
#include "core/post.h"
#include "core/util.h"
#include "sinks/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

enum {
	POLL_MS = 50,                  /* longest wait before looking at the stop flag */
	PATH_BYTES = 4096,
	HEADROOM = 256 * 1024          /* journal room a classifier wants before reading */
};

void netra_stage_args_init(struct netra_stage_args *a, const struct netra_config *cfg,
			   void *zctx, struct netra_stage_control *ctl)
{
	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->zctx = zctx;
	a->ctl = ctl;
	netra_link_options_default(&a->link);
}

static int stopping(const struct netra_stage_args *a)
{
	return a->ctl->stop != NULL && *a->ctl->stop;
}

static int upstream_done(const struct netra_stage_args *a)
{
	return a->ctl->drain && a->ctl->upstream_done != NULL && atomic_load(a->ctl->upstream_done);
}

/* data_dir/pipeline/<leaf>, created. */
static int pipeline_dir(const struct netra_config *cfg, const char *leaf, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s", cfg->data_dir);
	if (mkdir(out, 0755) != 0 && errno != EEXIST)
		return NETRA_EIO;
	snprintf(out, outsz, "%s/pipeline", cfg->data_dir);
	if (mkdir(out, 0755) != 0 && errno != EEXIST)
		return NETRA_EIO;
	if (leaf != NULL)
		snprintf(out, outsz, "%s/pipeline/%s", cfg->data_dir, leaf);
	return NETRA_OK;
}

static int open_journal(const struct netra_stage_args *a, const char *leaf,
			struct netra_journal **j)
{
	struct netra_journal_options jo;
	char dir[PATH_BYTES];
	char err[1024];
	int rc;

	if (pipeline_dir(a->cfg, NULL, dir, sizeof(dir)) != NETRA_OK) {
		netra_error("pipeline", a->name, "%s: cannot create: %s", dir, strerror(errno));
		return NETRA_EIO;
	}
	snprintf(dir, sizeof(dir), "%s/pipeline/%s", a->cfg->data_dir, leaf);
	netra_journal_options_default(&jo);
	jo.quota_bytes = (uint64_t)a->cfg->journal_quota_bytes;
	jo.max_record = a->link.max_payload + 64;
	if (jo.segment_bytes > jo.quota_bytes / 4)
		jo.segment_bytes = (size_t)(jo.quota_bytes / 4);
	rc = netra_journal_open(dir, &jo, j, err, sizeof(err));
	if (rc != NETRA_OK)
		netra_error("pipeline", a->name, "%s", err);
	return rc;
}

/* ---- sink ---- */

struct sink_ctx {
	const struct netra_sink_plugin *plugin; /* the store */
	struct netra_sink *sink;                /* its instance */
	const char *name;                       /* for logs */
	uint64_t received;                      /* items handled */
};

static int sink_handle(void *arg, const struct netra_wire_msg *m)
{
	struct sink_ctx *c = arg;
	json_error_t jerr;
	json_t *flag = json_loadb(m->payload, m->payload_len, NETRA_JSON_DECODE_FLAGS, &jerr);
	const char *id = netra_post_get(json_object_get(flag, "post"), "id");
	int rc;

	if (flag == NULL || !json_is_object(flag) || id == NULL) {
		netra_warn("sink", c->name, "item %llu: not a flag (%s); dropped",
			   (unsigned long long)m->seq, flag == NULL ? jerr.text : "no post.id");
		json_decref(flag);
		return NETRA_EINVAL;
	}
	rc = c->plugin->write(c->sink, id, m->payload, m->payload_len, m->origin_us,
			      netra_now_us());
	json_decref(flag);
	if (rc == NETRA_OK)
		c->received++;
	return rc;
}

static int sink_commit(void *arg)
{
	struct sink_ctx *c = arg;
	return c->plugin->commit(c->sink);
}

int netra_stage_sink(const struct netra_stage_args *a)
{
	struct sink_ctx c;
	struct netra_receiver *rx = NULL;
	char err[1024];
	int rc;

	memset(&c, 0, sizeof(c));
	c.name = a->name;
	c.plugin = netra_sink_plugin_find(a->cfg->sink);
	if (c.plugin == NULL) {
		netra_error("sink", a->name, "no sink named \"%s\" (key \"sink\")", a->cfg->sink);
		rc = NETRA_EINVAL;
		goto cleanup;
	}
	rc = c.plugin->init(a->cfg, &c.sink, err, sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("sink", a->name, "%s", err);
		goto cleanup;
	}
	rc = netra_receiver_new(a->zctx, a->listen, "flag", &a->link, a->name, &rx, err,
				sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("sink", a->name, "%s", err);
		goto cleanup;
	}
	netra_info("sink", a->name, "listening at %s", a->listen);
	while (!stopping(a)) {
		zmq_pollitem_t pi = {netra_receiver_socket(rx), 0, ZMQ_POLLIN, 0};
		size_t n = 0;
		if (upstream_done(a))
			break;
		if (zmq_poll(&pi, 1, POLL_MS) < 0 && errno != EINTR) {
			rc = NETRA_EIO;
			break;
		}
		do {
			rc = netra_receiver_process(rx, sink_handle, sink_commit, &c, &n);
		} while (rc == NETRA_OK && n > 0 && !stopping(a));
		if (rc != NETRA_OK)
			break;
	}
	netra_info("sink", a->name, "stopped: %llu flag(s) received, %lld held",
		   (unsigned long long)c.received, c.sink ? c.plugin->count(c.sink) : 0LL);
cleanup:
	atomic_store(&a->ctl->done, 1);
	netra_receiver_destroy(&rx);
	if (c.plugin != NULL)
		c.plugin->exit(&c.sink);
	return rc;
}

/* ---- classify ---- */

struct classify_ctx {
	struct netra_scanner *sc;  /* matching state */
	struct netra_sender *tx;   /* to the sink */
	struct netra_buf out;      /* the flag being written */
	const char *name;          /* for logs */
	uint64_t posts;            /* posts classified */
	uint64_t flagged;          /* of which flagged */
	uint64_t bad;              /* items that were not posts */
};

static int classify_handle(void *arg, const struct netra_wire_msg *m)
{
	struct classify_ctx *c = arg;
	const struct netra_verdict *v = NULL;
	json_t *post = NULL;
	char err[512];
	int rc;

	if (netra_post_parse(m->payload, m->payload_len, &post, err, sizeof(err)) != NETRA_OK) {
		netra_warn("classify", c->name, "item %llu: %s; dropped", (unsigned long long)m->seq,
			   err);
		c->bad++;
		return NETRA_EINVAL;
	}
	rc = netra_scan_post(c->sc, post, &v);
	if (rc == NETRA_OK && v != NULL && v->flagged) {
		netra_buf_reset(&c->out);
		rc = netra_verdict_write(c->sc, m->payload, m->payload_len, 0, &c->out);
		if (rc == NETRA_OK) {
			size_t len = c->out.len;
			while (len > 0 && (c->out.data[len - 1] == '\n' || c->out.data[len - 1] == '\r'))
				len--;
			/* ERETRY (quota full) leaves the post unacknowledged: it
			 * comes again once there is room. */
			rc = netra_sender_submit(c->tx, c->out.data, len, m->origin_us);
		}
	}
	json_decref(post);
	if (rc == NETRA_OK && v != NULL) {
		c->posts++;
		c->flagged += v->flagged ? 1u : 0u;
	}
	return rc;
}

static int classify_commit(void *arg)
{
	struct classify_ctx *c = arg;
	return netra_sender_sync(c->tx);
}

int netra_stage_classify(const struct netra_stage_args *a, const struct netra_engine *engine)
{
	struct classify_ctx c;
	struct netra_receiver *rx = NULL;
	struct netra_journal *j = NULL;
	char leaf[256];
	char err[1024];
	size_t headroom;
	int paused = 0;
	int rc;

	memset(&c, 0, sizeof(c));
	c.name = a->name;
	netra_buf_init(&c.out, a->link.max_payload * 2 + 65536);
	snprintf(leaf, sizeof(leaf), "%s", a->name);
	rc = open_journal(a, leaf, &j);
	if (rc != NETRA_OK)
		goto cleanup;
	c.sc = netra_scanner_new(engine);
	if (c.sc == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	rc = netra_sender_new(a->zctx, a->to, a->nto, "flag", j, &a->link, a->name, &c.tx, err,
			      sizeof(err));
	if (rc == NETRA_OK)
		rc = netra_receiver_new(a->zctx, a->listen, "post", &a->link, a->name, &rx, err,
					sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("classify", a->name, "%s", err);
		goto cleanup;
	}
	netra_info("classify", a->name, "listening at %s; %llu flag(s) in the journal to deliver",
		   a->listen, (unsigned long long)netra_sender_pending(c.tx));
	/* Why a quarter at most: with a small quota (the smallest allowed is
	 * 64 KiB) a fixed headroom would leave the classifier never reading. */
	headroom = (uint64_t)a->cfg->journal_quota_bytes / 4 < HEADROOM
			   ? (size_t)(a->cfg->journal_quota_bytes / 4)
			   : HEADROOM;
	while (!stopping(a)) {
		zmq_pollitem_t pi[2] = {{netra_sender_socket(c.tx), 0, ZMQ_POLLIN, 0},
					{netra_receiver_socket(rx), 0, ZMQ_POLLIN, 0}};
		int full = netra_sender_full(c.tx, headroom);
		size_t n = 0;
		if (upstream_done(a) && netra_sender_pending(c.tx) == 0)
			break;
		if (full != paused) {
			paused = full;
			if (full)
				netra_warn("classify", a->name, "journal quota full (%lld bytes): not "
					   "taking posts until the sink catches up",
					   a->cfg->journal_quota_bytes);
			else
				netra_info("classify", a->name, "journal has room again; taking posts");
		}
		if (zmq_poll(pi, full ? 1 : 2, POLL_MS) < 0 && errno != EINTR) {
			rc = NETRA_EIO;
			break;
		}
		if (!full) {
			rc = netra_receiver_process(rx, classify_handle, classify_commit, &c, &n);
			if (rc != NETRA_OK)
				break;
		}
		rc = netra_sender_pump(c.tx);
		if (rc != NETRA_OK)
			break;
	}
	if (rc != NETRA_OK)
		netra_error("classify", a->name, "stopped: %s", netra_strerror(rc));
	netra_info("classify", a->name, "stopped: %llu post(s), %llu flagged, %llu bad, %llu "
		   "resent, %llu flag(s) still to deliver", (unsigned long long)c.posts,
		   (unsigned long long)c.flagged, (unsigned long long)c.bad,
		   c.tx ? (unsigned long long)netra_sender_resent(c.tx) : 0ULL,
		   c.tx ? (unsigned long long)netra_sender_pending(c.tx) : 0ULL);
cleanup:
	atomic_store(&a->ctl->done, 1);
	netra_receiver_destroy(&rx);
	netra_sender_destroy(&c.tx);
	netra_scanner_destroy(&c.sc);
	netra_journal_destroy(&j);
	netra_buf_free(&c.out);
	return rc;
}

/* ---- collect ---- */

/* The collect stage's output (collectors/collect.h): the collector thread
 * appends each poll's new posts to the journal and fsyncs them before the
 * collector saves its cursor; the stage's own thread sends them from the
 * journal. The lock keeps the two threads off the journal at once (the
 * socket is only ever used by the stage's thread). */
struct collect_out {
	pthread_mutex_t lock;        /* guards tx and the journal */
	struct netra_sender *tx;     /* journals and sends */
	struct netra_journal *j;     /* its journal */
	const char *name;            /* for logs */
	long long quota;             /* the journal's quota, for messages */
	int paused;                  /* the journal was full: wait until it is half empty */
	uint64_t posts;              /* posts journaled */
};

static int collect_output(void *arg, const struct netra_collect_post *posts, size_t n,
			  size_t *taken)
{
	struct collect_out *o = arg;
	int64_t now = netra_now_us();
	size_t k = 0;
	int rc = NETRA_OK;

	*taken = 0;
	pthread_mutex_lock(&o->lock);
	/* Why wait for half: resuming as soon as one post fits would pause
	 * and resume at every poll while the classifier is behind. */
	if (o->paused && netra_journal_bytes(o->j) >= (uint64_t)o->quota / 2) {
		rc = NETRA_ERETRY;
		goto cleanup;
	}
	for (; k < n; k++) {
		rc = netra_sender_submit(o->tx, posts[k].json, posts[k].len, now);
		if (rc == NETRA_ETOOBIG) {
			netra_warn("collect", o->name, "post %s is too large (%zu bytes); skipped",
				   posts[k].id, posts[k].len);
			rc = NETRA_OK;
			continue;
		}
		if (rc != NETRA_OK)
			break;
		o->posts++;
	}
	if (k > 0) {
		int src = netra_sender_sync(o->tx);
		if (src != NETRA_OK) {
			rc = src;
			k = 0;
		}
	}
	*taken = k;
	if (rc == NETRA_ERETRY && !o->paused) {
		o->paused = 1;
		netra_warn("collect", o->name, "journal quota full (%lld bytes): collecting paused "
			   "until the classifier catches up", o->quota);
	} else if (rc == NETRA_OK && o->paused) {
		o->paused = 0;
		netra_info("collect", o->name, "journal has room again; collecting resumes");
	}
cleanup:
	pthread_mutex_unlock(&o->lock);
	return rc;
}

/* The collector, run in a thread of its own. */
struct collect_thread {
	struct netra_collector *coll;      /* the collector */
	pthread_t tid;                     /* its thread */
	volatile sig_atomic_t stop;        /* tells it to stop */
	atomic_int finished;               /* it returned */
	int running;                       /* a thread was started */
	int rc;                            /* what netra_collector_run returned */
};

static void *collect_main(void *p)
{
	struct collect_thread *t = p;

	t->rc = netra_collector_run(t->coll);
	atomic_store(&t->finished, 1);
	return NULL;
}

static void collector_stop(struct collect_thread *t)
{
	if (t->running) {
		t->stop = 1;
		pthread_join(t->tid, NULL);
		t->running = 0;
	}
	netra_collector_destroy(&t->coll);
}

int netra_stage_collect(const struct netra_stage_args *a, int once)
{
	struct collect_thread t;
	struct collect_out out;
	struct netra_collect_options opt;
	struct netra_journal *j = NULL;
	struct netra_sender *tx = NULL;
	char path[PATH_BYTES];
	char err[1024];
	struct stat st;
	int rc;

	memset(&t, 0, sizeof(t));
	memset(&out, 0, sizeof(out));
	memset(&opt, 0, sizeof(opt));
	pthread_mutex_init(&out.lock, NULL);
	rc = open_journal(a, "collect", &j);
	if (rc != NETRA_OK)
		goto cleanup;
	rc = netra_sender_new(a->zctx, a->to, a->nto, "post", j, &a->link, a->name, &tx, err,
			      sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("collect", a->name, "%s", err);
		goto cleanup;
	}
	snprintf(path, sizeof(path), "%s/pipeline/collected.jsonl", a->cfg->data_dir);
	if (stat(path, &st) == 0)
		netra_warn("collect", a->name, "%s is no longer used (posts go straight into the "
			   "journal); delete it once its posts are known to be delivered", path);
	out.tx = tx;
	out.j = j;
	out.name = a->name;
	out.quota = a->cfg->journal_quota_bytes;
	opt.once = once;
	opt.stop = &t.stop;
	opt.output = collect_output;
	opt.output_arg = &out;
	rc = netra_collector_new(a->cfg, &opt, &t.coll, err, sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("collect", a->name, "%s", err);
		goto cleanup;
	}
	netra_info("collect", a->name, "sending posts to %s%s; %llu post(s) in the journal to "
		   "deliver", a->nto > 0 ? a->to[0] : "(nowhere)", a->nto > 1 ? " and others" : "",
		   (unsigned long long)netra_sender_pending(tx));
	if (pthread_create(&t.tid, NULL, collect_main, &t) != 0) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	t.running = 1;
	while (!stopping(a)) {
		zmq_pollitem_t pi = {netra_sender_socket(tx), 0, ZMQ_POLLIN, 0};
		uint64_t pending;
		pthread_mutex_lock(&out.lock);
		rc = netra_sender_pump(tx);
		pending = netra_sender_pending(tx);
		pthread_mutex_unlock(&out.lock);
		if (rc != NETRA_OK)
			break;
		if (atomic_load(&t.finished)) {
			/* The collector stops by itself after --once or on an
			 * error; --once then waits for every acknowledgement. */
			if (t.rc < 0) {
				rc = t.rc;
				break;
			}
			if (pending == 0)
				break;
		}
		if (zmq_poll(&pi, 1, POLL_MS) < 0 && errno != EINTR) {
			rc = NETRA_EIO;
			break;
		}
	}
	collector_stop(&t);
	if (t.rc > 0)
		atomic_store(&a->ctl->sources_failed, 1);
	if (rc != NETRA_OK)
		netra_error("collect", a->name, "stopped: %s", netra_strerror(rc));
	netra_info("collect", a->name, "stopped: %llu post(s) journaled, %llu still to deliver, "
		   "%llu resent", (unsigned long long)out.posts,
		   (unsigned long long)netra_sender_pending(tx),
		   (unsigned long long)netra_sender_resent(tx));
cleanup:
	atomic_store(&a->ctl->done, 1);
	collector_stop(&t);
	netra_sender_destroy(&tx);
	netra_journal_destroy(&j);
	pthread_mutex_destroy(&out.lock);
	return rc;
}
