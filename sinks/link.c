#include "sinks/link.h"

#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zmq.h>

enum {
	ORIGIN_BYTES = 8,   /* a journal record is the origin time, then the payload */
	IDENTITY_MAX = 256, /* ROUTER identities are at most 255 bytes */
	NAME_MAX_BYTES = 128
};

void netra_link_options_default(struct netra_link_options *o)
{
	o->window = 512;
	o->ack_timeout_ms = 3000;
	o->heartbeat_ms = 500;
	o->max_payload = 16u * 1024 * 1024;
	o->batch = 256;
}

int64_t netra_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t netra_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int netra_endpoint_valid(const char *ep)
{
	return ep != NULL && (strncmp(ep, "tcp://", 6) == 0 || strncmp(ep, "ipc://", 6) == 0 ||
			      strncmp(ep, "inproc://", 9) == 0) &&
	       strlen(ep) > 9;
}

/* Send o as one frame of netstrings (core/wire.h says why one frame),
 * after the peer's identity on a ROUTER (which ZeroMQ strips locally).
 * Returns 0, or -1 with errno (EAGAIN: no peer or its queue is full;
 * nothing was sent). */
static int send_frames(void *sock, const struct netra_wire_out *o, const void *ident,
		       size_t identlen)
{
	struct netra_buf b;
	int rc = -1;

	netra_buf_init(&b, (size_t)64 << 20);
	if (netra_wire_pack(o, &b) != NETRA_OK) {
		errno = ENOMEM;
		goto cleanup;
	}
	if (ident != NULL && zmq_send(sock, ident, identlen, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		goto cleanup;
	if (zmq_send(sock, netra_buf_str(&b), b.len, ZMQ_DONTWAIT) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	netra_buf_free(&b);
	return rc;
}

/* One message as received: up to NETRA_WIRE_MAX_FRAMES + 1 frames. */
struct inmsg {
	zmq_msg_t parts[NETRA_WIRE_MAX_FRAMES + 1]; /* the frames */
	size_t n;                                   /* frames kept */
	int overflow;                               /* more frames were discarded */
};

static void inmsg_close(struct inmsg *m)
{
	for (size_t i = 0; i < m->n; i++)
		zmq_msg_close(&m->parts[i]);
	m->n = 0;
}

/* Receive one whole message without blocking. Returns 1, 0 if none is
 * waiting, or -1 on a socket error. */
static int recv_msg(void *sock, struct inmsg *m)
{
	int more = 1;

	m->n = 0;
	m->overflow = 0;
	while (more) {
		zmq_msg_t part;
		zmq_msg_init(&part);
		if (zmq_msg_recv(&part, sock, m->n == 0 && !m->overflow ? ZMQ_DONTWAIT : 0) < 0) {
			int e = errno;
			zmq_msg_close(&part);
			inmsg_close(m);
			return e == EAGAIN ? 0 : -1;
		}
		more = zmq_msg_more(&part);
		if (m->n < NETRA_WIRE_MAX_FRAMES + 1) {
			m->parts[m->n++] = part;
		} else {
			m->overflow = 1;
			zmq_msg_close(&part);
		}
	}
	return 1;
}

static int msg_parse(struct inmsg *m, size_t skip, size_t max_payload, struct netra_wire_msg *w,
		     char *err, size_t errsz)
{
	struct netra_wire_frame f[NETRA_WIRE_MAX_FRAMES];
	size_t n = 0;
	int rc;

	if (m->overflow || m->n != skip + 1) {
		snprintf(err, errsz, "%zu frames; a message is one frame (after a ROUTER's identity)",
			 m->n > skip ? m->n - skip : 0);
		return NETRA_EINVAL;
	}
	rc = netra_wire_unpack(zmq_msg_data(&m->parts[skip]), zmq_msg_size(&m->parts[skip]), f,
			       NETRA_WIRE_MAX_FRAMES, &n, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	return netra_wire_parse(f, n, max_payload, w, err, errsz);
}

/* ---- sender ---- */

/* One item in flight. */
struct slot {
	uint64_t seq;      /* journal sequence number */
	int64_t origin_us; /* when it entered the pipeline */
	char *payload;     /* the JSON (owned) */
	size_t len;        /* its length */
	int64_t sent_ms;   /* when last sent (monotonic), 0 if not yet */
	int acked;         /* acknowledged; freed when it reaches the head */
};

struct netra_sender {
	void *sock;                     /* DEALER */
	struct netra_journal *j;        /* borrowed */
	struct netra_link_options o;    /* limits */
	char kind[NETRA_WIRE_KIND_MAX + 1]; /* "post" or "flag" */
	char name[NAME_MAX_BYTES];      /* for logs */
	struct slot *ring;              /* in-flight items, by sequence number */
	size_t head;                    /* index of the oldest */
	size_t count;                   /* slots used */
	struct netra_buf rd;            /* journal read buffer */
	struct netra_wire_out *out;     /* frames being sent */
	struct netra_wire_msg *in;      /* message being read */
	struct inmsg *raw;              /* its frames */
	int64_t last_rx_ms;             /* last message from a peer */
	int64_t last_ping_ms;           /* last PING sent */
	uint64_t ping_token;            /* counter */
	int peer_down;                  /* no answer for 3 heartbeats */
	uint64_t resent;                /* items resent */
};

void netra_sender_destroy(struct netra_sender **sp)
{
	struct netra_sender *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	if (s->sock != NULL)
		zmq_close(s->sock);
	for (size_t i = 0; s->ring != NULL && i < s->count; i++)
		free(s->ring[(s->head + i) % s->o.window].payload);
	free(s->ring);
	netra_buf_free(&s->rd);
	free(s->out);
	free(s->in);
	free(s->raw);
	free(s);
	*sp = NULL;
}

static int set_int(void *sock, int opt, int v)
{
	return zmq_setsockopt(sock, opt, &v, sizeof(v));
}

int netra_sender_new(void *zctx, const char *const *endpoints, size_t n, const char *kind,
		     struct netra_journal *j, const struct netra_link_options *o,
		     const char *name, struct netra_sender **out, char *err, size_t errsz)
{
	struct netra_sender *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL) {
		snprintf(err, errsz, "out of memory");
		return NETRA_ENOMEM;
	}
	if (o != NULL)
		s->o = *o;
	else
		netra_link_options_default(&s->o);
	if (s->o.window == 0)
		s->o.window = 1;
	s->j = j;
	netra_strlcpy(s->kind, kind, sizeof(s->kind));
	netra_strlcpy(s->name, name, sizeof(s->name));
	netra_buf_init(&s->rd, s->o.max_payload + ORIGIN_BYTES);
	s->ring = calloc(s->o.window, sizeof(*s->ring));
	s->out = calloc(1, sizeof(*s->out));
	s->in = calloc(1, sizeof(*s->in));
	s->raw = calloc(1, sizeof(*s->raw));
	if (s->ring == NULL || s->out == NULL || s->in == NULL || s->raw == NULL) {
		snprintf(err, errsz, "out of memory");
		netra_sender_destroy(&s);
		return NETRA_ENOMEM;
	}
	s->sock = zmq_socket(zctx, ZMQ_DEALER);
	if (s->sock == NULL) {
		snprintf(err, errsz, "cannot create a socket: %s", zmq_strerror(errno));
		netra_sender_destroy(&s);
		return NETRA_EIO;
	}
	/* Why: the journal, not ZeroMQ's queues, keeps what is undelivered;
	 * queue nothing for a peer that is not connected (IMMEDIATE) and
	 * drop what is queued at close (LINGER 0). */
	set_int(s->sock, ZMQ_LINGER, 0);
	set_int(s->sock, ZMQ_IMMEDIATE, 1);
	set_int(s->sock, ZMQ_SNDHWM, (int)s->o.window + 16);
	set_int(s->sock, ZMQ_RECONNECT_IVL, 100);
	set_int(s->sock, ZMQ_RECONNECT_IVL_MAX, 1000);
	set_int(s->sock, ZMQ_HEARTBEAT_IVL, s->o.heartbeat_ms);
	set_int(s->sock, ZMQ_HEARTBEAT_TIMEOUT, 3 * s->o.heartbeat_ms);
	for (size_t i = 0; i < n; i++) {
		if (!netra_endpoint_valid(endpoints[i])) {
			snprintf(err, errsz, "%s: not a tcp://, ipc:// or inproc:// endpoint",
				 endpoints[i]);
			netra_sender_destroy(&s);
			return NETRA_EINVAL;
		}
		if (zmq_connect(s->sock, endpoints[i]) != 0) {
			snprintf(err, errsz, "%s: cannot connect: %s", endpoints[i],
				 zmq_strerror(errno));
			netra_sender_destroy(&s);
			return NETRA_EIO;
		}
	}
	s->last_rx_ms = netra_mono_ms();
	*out = s;
	return NETRA_OK;
}

int netra_sender_submit(struct netra_sender *s, const char *payload, size_t len,
			int64_t origin_us)
{
	struct netra_buf rec;
	unsigned char o[ORIGIN_BYTES];
	int rc;

	if (len > s->o.max_payload)
		return NETRA_ETOOBIG;
	for (int i = 0; i < ORIGIN_BYTES; i++)
		o[i] = (unsigned char)((uint64_t)origin_us >> (8 * i));
	netra_buf_init(&rec, len + ORIGIN_BYTES);
	rc = netra_buf_add(&rec, o, sizeof(o));
	if (rc == NETRA_OK && len > 0)
		rc = netra_buf_add(&rec, payload, len);
	if (rc == NETRA_OK)
		rc = netra_journal_append(s->j, rec.data, rec.len, NULL);
	netra_buf_free(&rec);
	return rc;
}

int netra_sender_sync(struct netra_sender *s)
{
	return netra_journal_sync(s->j);
}

void *netra_sender_socket(struct netra_sender *s)
{
	return s->sock;
}

uint64_t netra_sender_pending(const struct netra_sender *s)
{
	return netra_journal_unacked(s->j);
}

int netra_sender_full(const struct netra_sender *s, size_t len)
{
	return netra_journal_full(s->j, len + ORIGIN_BYTES);
}

uint64_t netra_sender_resent(const struct netra_sender *s)
{
	return s->resent;
}

static struct slot *slot_at(struct netra_sender *s, size_t i)
{
	return &s->ring[(s->head + i) % s->o.window];
}

/* Send one slot. Returns 0, 1 if the socket cannot take it now. */
static int send_slot(struct netra_sender *s, struct slot *sl, int64_t now)
{
	netra_wire_data(s->out, sl->seq, s->kind, sl->payload, sl->len, sl->origin_us);
	if (send_frames(s->sock, s->out, NULL, 0) != 0)
		return 1;
	if (sl->sent_ms != 0)
		s->resent++;
	sl->sent_ms = now;
	return 0;
}

static int handle_ack(struct netra_sender *s, uint64_t seq)
{
	size_t lo = 0;
	size_t hi = s->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (slot_at(s, mid)->seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->count && slot_at(s, lo)->seq == seq && !slot_at(s, lo)->acked) {
		struct slot *sl = slot_at(s, lo);
		int rc = netra_journal_ack(s->j, seq);
		if (rc != NETRA_OK && rc != NETRA_ENOTFOUND)
			return rc;
		sl->acked = 1;
		free(sl->payload);
		sl->payload = NULL;
	}
	while (s->count > 0 && slot_at(s, 0)->acked) {
		s->head = (s->head + 1) % s->o.window;
		s->count--;
	}
	return NETRA_OK;
}

int netra_sender_pump(struct netra_sender *s)
{
	int64_t now = netra_mono_ms();
	char err[256];
	int blocked = 0;
	int r;
	int rc;

	/* Answers first: they free room in the window. */
	while ((r = recv_msg(s->sock, s->raw)) == 1) {
		if (msg_parse(s->raw, 0, 0, s->in, err, sizeof(err)) != NETRA_OK) {
			netra_warn("link", s->name, "bad message from the receiver: %s", err);
			inmsg_close(s->raw);
			continue;
		}
		inmsg_close(s->raw);
		s->last_rx_ms = now;
		if (s->peer_down) {
			s->peer_down = 0;
			netra_info("link", s->name, "receiver answers again; resending %zu "
				   "unacknowledged item(s)", s->count);
			for (size_t i = 0; i < s->count; i++)
				slot_at(s, i)->sent_ms = 0;
		}
		for (size_t i = 0; s->in->type == NETRA_WIRE_ACK && i < s->in->nacks; i++) {
			rc = handle_ack(s, s->in->acks[i]);
			if (rc != NETRA_OK)
				return rc;
		}
	}
	if (r < 0 && errno != EAGAIN && errno != EINTR)
		netra_warn("link", s->name, "receive: %s", zmq_strerror(errno));
	/* Resend what is unsent or timed out. */
	for (size_t i = 0; i < s->count && !blocked; i++) {
		struct slot *sl = slot_at(s, i);
		if (sl->acked)
			continue;
		if (sl->sent_ms == 0 || now - sl->sent_ms >= s->o.ack_timeout_ms)
			blocked = send_slot(s, sl, now);
	}
	/* Fill the window from the journal. */
	while (!blocked && s->count < s->o.window) {
		struct slot *sl;
		uint64_t seq;
		int64_t origin = 0;
		rc = netra_journal_read(s->j, &seq, &s->rd);
		if (rc == NETRA_ENOTFOUND)
			break;
		if (rc != NETRA_OK)
			return rc;
		if (s->rd.len < ORIGIN_BYTES) {
			netra_warn("link", s->name, "journal record %llu is too short; dropped",
				   (unsigned long long)seq);
			netra_journal_ack(s->j, seq);
			continue;
		}
		for (int i = ORIGIN_BYTES - 1; i >= 0; i--)
			origin = (int64_t)(((uint64_t)origin << 8) | (unsigned char)s->rd.data[i]);
		sl = slot_at(s, s->count);
		memset(sl, 0, sizeof(*sl));
		sl->seq = seq;
		sl->origin_us = origin;
		sl->len = s->rd.len - ORIGIN_BYTES;
		sl->payload = malloc(sl->len + 1);
		if (sl->payload == NULL)
			return NETRA_ENOMEM;
		memcpy(sl->payload, s->rd.data + ORIGIN_BYTES, sl->len);
		sl->payload[sl->len] = '\0';
		s->count++;
		blocked = send_slot(s, sl, now);
	}
	/* Heartbeat, and notice a silent peer. */
	if (now - s->last_ping_ms >= s->o.heartbeat_ms) {
		netra_wire_ping(s->out, ++s->ping_token);
		send_frames(s->sock, s->out, NULL, 0);
		s->last_ping_ms = now;
	}
	if (!s->peer_down && s->count > 0 && now - s->last_rx_ms > 3 * (int64_t)s->o.heartbeat_ms) {
		s->peer_down = 1;
		netra_warn("link", s->name, "no answer from the receiver for %lld ms; %zu item(s) "
			   "kept in the journal until it is back", (long long)(now - s->last_rx_ms),
			   s->count);
	}
	return NETRA_OK;
}

/* ---- receiver ---- */

/* One item of the batch waiting for its commit. */
struct pending_ack {
	unsigned char ident[IDENTITY_MAX]; /* the sender's ROUTER identity */
	size_t identlen;                   /* its length */
	uint64_t seq;                      /* the sender's sequence number */
};

struct netra_receiver {
	void *sock;                     /* ROUTER */
	struct netra_link_options o;    /* limits */
	char kind[NETRA_WIRE_KIND_MAX + 1]; /* the kind of item accepted */
	char name[NAME_MAX_BYTES];      /* for logs */
	struct pending_ack *acks;       /* this batch's items */
	size_t nacks;                   /* entries */
	struct pending_ack *pings;      /* PINGs to answer after the batch */
	uint64_t *ping_tokens;          /* their tokens */
	size_t npings;                  /* entries */
	struct netra_wire_out *out;     /* frames being sent */
	struct netra_wire_msg *in;      /* message being read */
	struct inmsg *raw;              /* its frames */
};

void netra_receiver_destroy(struct netra_receiver **rp)
{
	struct netra_receiver *r;

	if (rp == NULL || *rp == NULL)
		return;
	r = *rp;
	if (r->sock != NULL)
		zmq_close(r->sock);
	free(r->acks);
	free(r->pings);
	free(r->ping_tokens);
	free(r->out);
	free(r->in);
	free(r->raw);
	free(r);
	*rp = NULL;
}

int netra_receiver_new(void *zctx, const char *endpoint, const char *kind,
		       const struct netra_link_options *o, const char *name,
		       struct netra_receiver **out, char *err, size_t errsz)
{
	struct netra_receiver *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (r == NULL) {
		snprintf(err, errsz, "out of memory");
		return NETRA_ENOMEM;
	}
	if (o != NULL)
		r->o = *o;
	else
		netra_link_options_default(&r->o);
	if (r->o.batch == 0)
		r->o.batch = 1;
	netra_strlcpy(r->kind, kind, sizeof(r->kind));
	netra_strlcpy(r->name, name, sizeof(r->name));
	r->acks = calloc(r->o.batch, sizeof(*r->acks));
	r->pings = calloc(r->o.batch, sizeof(*r->pings));
	r->ping_tokens = calloc(r->o.batch, sizeof(*r->ping_tokens));
	r->out = calloc(1, sizeof(*r->out));
	r->in = calloc(1, sizeof(*r->in));
	r->raw = calloc(1, sizeof(*r->raw));
	if (r->acks == NULL || r->pings == NULL || r->ping_tokens == NULL || r->out == NULL ||
	    r->in == NULL || r->raw == NULL) {
		snprintf(err, errsz, "out of memory");
		netra_receiver_destroy(&r);
		return NETRA_ENOMEM;
	}
	if (!netra_endpoint_valid(endpoint)) {
		snprintf(err, errsz, "%s: not a tcp://, ipc:// or inproc:// endpoint",
			 endpoint ? endpoint : "(none)");
		netra_receiver_destroy(&r);
		return NETRA_EINVAL;
	}
	r->sock = zmq_socket(zctx, ZMQ_ROUTER);
	if (r->sock == NULL) {
		snprintf(err, errsz, "cannot create a socket: %s", zmq_strerror(errno));
		netra_receiver_destroy(&r);
		return NETRA_EIO;
	}
	/* ACKs already sent should reach the peer after a clean stop. */
	set_int(r->sock, ZMQ_LINGER, 500);
	set_int(r->sock, ZMQ_RCVHWM, (int)r->o.batch * 8);
	set_int(r->sock, ZMQ_HEARTBEAT_IVL, r->o.heartbeat_ms);
	set_int(r->sock, ZMQ_HEARTBEAT_TIMEOUT, 3 * r->o.heartbeat_ms);
	if (zmq_bind(r->sock, endpoint) != 0) {
		snprintf(err, errsz, "%s: cannot listen: %s", endpoint, zmq_strerror(errno));
		netra_receiver_destroy(&r);
		return NETRA_EIO;
	}
	*out = r;
	return NETRA_OK;
}

void *netra_receiver_socket(struct netra_receiver *r)
{
	return r->sock;
}

/* Send the batch's ACKs, one message per run of the same sender. */
static void send_acks(struct netra_receiver *r)
{
	size_t i = 0;

	while (i < r->nacks) {
		const struct pending_ack *first = &r->acks[i];
		netra_wire_ack_begin(r->out);
		while (i < r->nacks && r->acks[i].identlen == first->identlen &&
		       memcmp(r->acks[i].ident, first->ident, first->identlen) == 0 &&
		       netra_wire_ack_add(r->out, r->acks[i].seq) == NETRA_OK)
			i++;
		/* A peer that went away will resend: nothing to do on failure. */
		send_frames(r->sock, r->out, first->ident, first->identlen);
	}
	r->nacks = 0;
}

int netra_receiver_process(struct netra_receiver *r, netra_receiver_handler handle,
			   netra_receiver_commit commit, void *arg, size_t *handled)
{
	size_t seen = 0;
	char err[256];
	int rc = NETRA_OK;
	int got;

	r->nacks = 0;
	r->npings = 0;
	while (r->nacks < r->o.batch && r->npings < r->o.batch &&
	       (got = recv_msg(r->sock, r->raw)) == 1) {
		size_t identlen = zmq_msg_size(&r->raw->parts[0]);
		struct pending_ack *pa;
		int hrc;
		if (r->raw->n < 2 || identlen > IDENTITY_MAX) {
			inmsg_close(r->raw);
			continue;
		}
		if (msg_parse(r->raw, 1, r->o.max_payload, r->in, err, sizeof(err)) != NETRA_OK) {
			netra_warn("link", r->name, "bad message ignored: %s", err);
			inmsg_close(r->raw);
			continue;
		}
		if (r->in->type == NETRA_WIRE_PING) {
			pa = &r->pings[r->npings];
			memcpy(pa->ident, zmq_msg_data(&r->raw->parts[0]), identlen);
			pa->identlen = identlen;
			r->ping_tokens[r->npings++] = r->in->token;
			inmsg_close(r->raw);
			continue;
		}
		if (r->in->type != NETRA_WIRE_DATA) {
			inmsg_close(r->raw);
			continue;
		}
		seen++;
		if (strcmp(r->in->kind, r->kind) != 0) {
			netra_warn("link", r->name, "item %llu is a \"%s\", expected \"%s\"; "
				   "acknowledged and dropped", (unsigned long long)r->in->seq,
				   r->in->kind, r->kind);
			hrc = NETRA_EINVAL;
		} else {
			hrc = handle(arg, r->in);
		}
		if (hrc == NETRA_OK || hrc == NETRA_EINVAL) {
			pa = &r->acks[r->nacks++];
			memcpy(pa->ident, zmq_msg_data(&r->raw->parts[0]), identlen);
			pa->identlen = identlen;
			pa->seq = r->in->seq;
		}
		inmsg_close(r->raw);
		if (hrc != NETRA_OK && hrc != NETRA_EINVAL && hrc != NETRA_ERETRY) {
			rc = hrc;
			break;
		}
	}
	if (handled != NULL)
		*handled = seen;
	if (rc != NETRA_OK)
		return rc;
	if (r->nacks > 0) {
		rc = commit(arg);
		if (rc != NETRA_OK)
			return rc;
		send_acks(r);
	}
	for (size_t i = 0; i < r->npings; i++) {
		netra_wire_pong(r->out, r->ping_tokens[i]);
		send_frames(r->sock, r->out, r->pings[i].ident, r->pings[i].identlen);
	}
	r->npings = 0;
	return NETRA_OK;
}
