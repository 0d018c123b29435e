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
	SPOOL_CHUNK = 1024 * 1024,     /* bytes of the spool read at a time */
	HEADROOM = 256 * 1024,         /* journal room a classifier wants before reading */
	TAIL_BATCH = 512               /* spool lines journaled per sync */
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
	c.plugin = netra_sink_plugin_find("sqlite");
	rc = c.plugin->init(a->cfg->data_dir, &c.sink, err, sizeof(err));
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
	while (!stopping(a)) {
		zmq_pollitem_t pi[2] = {{netra_sender_socket(c.tx), 0, ZMQ_POLLIN, 0},
					{netra_receiver_socket(rx), 0, ZMQ_POLLIN, 0}};
		int full = netra_sender_full(c.tx, HEADROOM);
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

/* The collector, run in a thread of its own. */
struct collect_thread {
	const struct netra_config *cfg;    /* borrowed */
	struct netra_collect_options opt;  /* out_path, once, stop */
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

static int collector_start(struct collect_thread *t, const char *name)
{
	char err[1024];
	int rc;

	t->stop = 0;
	atomic_store(&t->finished, 0);
	t->opt.stop = &t->stop;
	rc = netra_collector_new(t->cfg, &t->opt, &t->coll, err, sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("collect", name, "%s", err);
		return rc;
	}
	if (pthread_create(&t->tid, NULL, collect_main, t) != 0) {
		netra_collector_destroy(&t->coll);
		return NETRA_ENOMEM;
	}
	t->running = 1;
	return NETRA_OK;
}

static void collector_stop(struct collect_thread *t)
{
	if (!t->running)
		return;
	t->stop = 1;
	pthread_join(t->tid, NULL);
	netra_collector_destroy(&t->coll);
	t->running = 0;
}

/* The spool reader: new whole lines of the collector's output. */
struct spool {
	char path[PATH_BYTES];        /* data_dir/pipeline/collected.jsonl */
	char offset_path[PATH_BYTES]; /* where the offset read so far is saved */
	long long offset;             /* bytes journaled */
	char *buf;                    /* read buffer */
	size_t cap;                   /* its size */
	size_t max;                   /* its largest size */
};

static void spool_save(struct spool *sp)
{
	char text[32];
	char err[512];
	int len = snprintf(text, sizeof(text), "%lld\n", sp->offset);

	if (netra_file_write_atomic(sp->offset_path, text, (size_t)len, err, sizeof(err)) != 0)
		netra_warn("collect", NULL, "%s", err);
}

/* Journal up to TAIL_BATCH new lines. Returns the number of lines taken,
 * or a negative status; *eof is set when nothing more is waiting. */
static long spool_tail(struct spool *sp, struct netra_sender *tx, const char *name, int *eof)
{
	int fd = open(sp->path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	long taken = 0;
	ssize_t got;
	size_t pos = 0;
	int rc = NETRA_OK;

	*eof = 1;
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return NETRA_EIO;
	}
	if ((long long)st.st_size < sp->offset) {
		/* The collector cut what it had not checkpointed: those lines are
		 * journaled already and will be collected again. */
		netra_warn("collect", name, "%s is shorter than what was read (%lld < %lld); "
			   "going on from its end", sp->path, (long long)st.st_size, sp->offset);
		sp->offset = (long long)st.st_size;
		spool_save(sp);
	}
	for (;;) {
		got = pread(fd, sp->buf, sp->cap, (off_t)sp->offset);
		if (got <= 0)
			break;
		if (memchr(sp->buf, '\n', (size_t)got) == NULL && (size_t)got == sp->cap) {
			if (sp->cap < sp->max) {
				size_t cap = sp->cap * 2 < sp->max ? sp->cap * 2 : sp->max;
				char *p = realloc(sp->buf, cap);
				if (p == NULL) {
					rc = NETRA_ENOMEM;
					break;
				}
				sp->buf = p;
				sp->cap = cap;
				continue;
			}
			netra_warn("collect", name, "%s: offset %lld: a line longer than %zu bytes; "
				   "skipped", sp->path, sp->offset, sp->max);
			/* Skip to the end of the long line at the next call. */
			sp->offset += got;
			*eof = 0;
			break;
		}
		break;
	}
	while (rc == NETRA_OK && got > 0 && taken < TAIL_BATCH) {
		char *nl = memchr(sp->buf + pos, '\n', (size_t)got - pos);
		size_t len;
		if (nl == NULL)
			break;
		len = (size_t)(nl - (sp->buf + pos));
		if (len > 0 && strspn(sp->buf + pos, " \t\r") < len) {
			rc = netra_sender_submit(tx, sp->buf + pos, len, netra_now_us());
			if (rc == NETRA_ERETRY)
				break;
			if (rc == NETRA_ETOOBIG) {
				netra_warn("collect", name, "%s: offset %lld: post too large; skipped",
					   sp->path, sp->offset + (long long)pos);
				rc = NETRA_OK;
			}
			if (rc != NETRA_OK)
				break;
			taken++;
		}
		pos += len + 1;
	}
	close(fd);
	if (rc == NETRA_ERETRY)
		rc = NETRA_OK;
	if (pos > 0) {
		int src = netra_sender_sync(tx);
		if (src != NETRA_OK)
			return src;
		sp->offset += (long long)pos;
		spool_save(sp);
	}
	if (rc != NETRA_OK)
		return rc;
	if (got > 0 && (size_t)pos < (size_t)got && memchr(sp->buf + pos, '\n', (size_t)got - pos))
		*eof = 0;
	if (taken == TAIL_BATCH)
		*eof = 0;
	return taken;
}

int netra_stage_collect(const struct netra_stage_args *a, int once)
{
	struct collect_thread t;
	struct spool sp;
	struct netra_journal *j = NULL;
	struct netra_sender *tx = NULL;
	char err[1024];
	char *text = NULL;
	size_t textlen = 0;
	int paused = 0;
	int rc;

	memset(&t, 0, sizeof(t));
	memset(&sp, 0, sizeof(sp));
	rc = open_journal(a, "collect", &j);
	if (rc != NETRA_OK)
		goto cleanup;
	rc = netra_sender_new(a->zctx, a->to, a->nto, "post", j, &a->link, a->name, &tx, err,
			      sizeof(err));
	if (rc != NETRA_OK) {
		netra_error("collect", a->name, "%s", err);
		goto cleanup;
	}
	pipeline_dir(a->cfg, "collected.jsonl", sp.path, sizeof(sp.path));
	snprintf(sp.offset_path, sizeof(sp.offset_path), "%s/pipeline/collect/spool.offset",
		 a->cfg->data_dir);
	if (netra_file_read(sp.offset_path, 64, &text, &textlen, err, sizeof(err)) == NETRA_OK)
		sp.offset = strtoll(text, NULL, 10);
	free(text);
	sp.max = a->link.max_payload + 1;
	sp.cap = SPOOL_CHUNK < sp.max ? SPOOL_CHUNK : sp.max;
	sp.buf = malloc(sp.cap);
	if (sp.buf == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	t.cfg = a->cfg;
	t.opt.out_path = sp.path;
	t.opt.once = once;
	rc = collector_start(&t, a->name);
	if (rc != NETRA_OK)
		goto cleanup;
	netra_info("collect", a->name, "sending posts to %s%s; %llu post(s) in the journal to "
		   "deliver", a->nto > 0 ? a->to[0] : "(nowhere)", a->nto > 1 ? " and others" : "",
		   (unsigned long long)netra_sender_pending(tx));
	for (;;) {
		zmq_pollitem_t pi = {netra_sender_socket(tx), 0, ZMQ_POLLIN, 0};
		int full = netra_sender_full(tx, HEADROOM);
		int eof = 1;
		long taken = 0;
		if (stopping(a))
			break;
		if (full && !paused) {
			paused = 1;
			netra_warn("collect", a->name, "journal quota full (%lld bytes): collecting "
				   "paused until the classifier catches up",
				   a->cfg->journal_quota_bytes);
			if (!once)
				collector_stop(&t);
		} else if (paused && netra_journal_bytes(j) < (uint64_t)a->cfg->journal_quota_bytes / 2) {
			paused = 0;
			netra_info("collect", a->name, "journal has room again; collecting resumes");
			if (!once && !t.running) {
				rc = collector_start(&t, a->name);
				if (rc != NETRA_OK)
					break;
			}
		}
		if (!full) {
			taken = spool_tail(&sp, tx, a->name, &eof);
			if (taken < 0) {
				rc = (int)taken;
				netra_error("collect", a->name, "spool: %s", netra_strerror(rc));
				break;
			}
		}
		rc = netra_sender_pump(tx);
		if (rc != NETRA_OK)
			break;
		if (once && t.running && atomic_load(&t.finished) && eof && !full &&
		    netra_sender_pending(tx) == 0) {
			/* Lines may have landed between the tail and the check. */
			taken = spool_tail(&sp, tx, a->name, &eof);
			if (taken == 0 && eof)
				break;
		}
		if (taken == 0 && zmq_poll(&pi, 1, POLL_MS) < 0 && errno != EINTR) {
			rc = NETRA_EIO;
			break;
		}
	}
	collector_stop(&t);
	if (rc == NETRA_OK && t.rc < 0)
		rc = t.rc;
	if (rc == NETRA_OK) {
		/* Journal what the collector wrote before it stopped. */
		int eof = 0;
		while (!eof && spool_tail(&sp, tx, a->name, &eof) > 0)
			;
	}
	netra_info("collect", a->name, "stopped: %llu post(s) still to deliver, %llu resent",
		   (unsigned long long)netra_sender_pending(tx),
		   (unsigned long long)netra_sender_resent(tx));
cleanup:
	atomic_store(&a->ctl->done, 1);
	collector_stop(&t);
	netra_sender_destroy(&tx);
	netra_journal_destroy(&j);
	free(sp.buf);
	return rc;
}
