/* The acknowledged hops of the pipeline (docs/pipeline.md, docs/wire.md).
 *
 * A sender (the collect stage, a classifier worker) keeps every item in its
 * journal (core/journal.h) until the next stage acknowledges it; it sends
 * from the journal over a ZeroMQ DEALER socket with at most `window` items
 * in flight, resends what is not acknowledged within the timeout or when
 * a silent peer answers again, and pings the peer to notice that it died.
 *
 * A receiver (a classifier worker, the sink) binds a ROUTER socket, hands
 * each item to a handler, asks for a durable commit once per batch, and
 * only then acknowledges the batch. */
#ifndef NETRA_LINK_H
#define NETRA_LINK_H

#include "core/journal.h"
#include "core/wire.h"

#include <stddef.h>
#include <stdint.h>

struct netra_link_options {
	size_t window;       /* items in flight, not yet acknowledged (512) */
	int ack_timeout_ms;  /* resend an item unacknowledged this long (3000) */
	int heartbeat_ms;    /* PING interval; 3 silent intervals = peer dead (500) */
	size_t max_payload;  /* largest item (16 MiB) */
	size_t batch;        /* receiver: items per durable commit (256) */
};

/* Fill the defaults. */
void netra_link_options_default(struct netra_link_options *o);

/* Microseconds since the epoch (the origin time carried by DATA). */
int64_t netra_now_us(void);

/* A monotonic clock in milliseconds, for intervals. */
int64_t netra_mono_ms(void);

/* 1 if endpoint is a tcp://, ipc:// or inproc:// endpoint. */
int netra_endpoint_valid(const char *endpoint);

struct netra_sender;

/* A sender of items of kind ("post" or "flag") that connects to each of
 * endpoints[0..n) (several receivers share the load, round robin). zctx
 * and the journal j are borrowed and must outlive the sender. name labels
 * log lines. Returns 0 (*out is the caller's), NETRA_EINVAL (bad endpoint)
 * or NETRA_EIO with err set. */
int netra_sender_new(void *zctx, const char *const *endpoints, size_t n, const char *kind,
		     struct netra_journal *j, const struct netra_link_options *o,
		     const char *name, struct netra_sender **out, char *err, size_t errsz);

/* Free (unacknowledged items stay in the journal). NULL-safe; sets *s to NULL. */
void netra_sender_destroy(struct netra_sender **s);

/* Journal one item (payload, len bytes of JSON) for sending; it is sent by
 * netra_sender_pump. origin_us is when it entered the pipeline. The item
 * is durable only after netra_sender_sync. Returns 0, NETRA_ERETRY when
 * the journal's quota is full, NETRA_ETOOBIG or NETRA_EIO. */
int netra_sender_submit(struct netra_sender *s, const char *payload, size_t len,
			int64_t origin_us);

/* Make every submitted item durable. Returns 0 or NETRA_EIO. */
int netra_sender_sync(struct netra_sender *s);

/* Do the sender's work without blocking: read ACKs and PONGs, fill the
 * window from the journal, resend what timed out, ping. Returns 0 or
 * NETRA_EIO (journal) / NETRA_ENOMEM. */
int netra_sender_pump(struct netra_sender *s);

/* The ZeroMQ socket, to wait on with zmq_poll (ZMQ_POLLIN). Borrowed. */
void *netra_sender_socket(struct netra_sender *s);

/* Items journaled and not yet acknowledged. */
uint64_t netra_sender_pending(const struct netra_sender *s);

/* 1 if the journal has no room for another item of about len bytes. */
int netra_sender_full(const struct netra_sender *s, size_t len);

/* Items resent so far (for the summary). */
uint64_t netra_sender_resent(const struct netra_sender *s);

struct netra_receiver;

/* Handle one item. Returns 0 when it is handled (it will be acknowledged
 * after the batch commits), NETRA_EINVAL when it is bad and can never be
 * handled (it is logged and acknowledged so that it is not resent for
 * ever), NETRA_ERETRY to leave it unacknowledged (the sender resends it),
 * or another negative status to stop. */
typedef int (*netra_receiver_handler)(void *arg, const struct netra_wire_msg *m);

/* Make every item handled since the last commit durable. Returns 0, or a
 * negative status (then nothing of the batch is acknowledged). */
typedef int (*netra_receiver_commit)(void *arg);

/* A receiver of items of kind bound at endpoint. Returns 0 (*out is the
 * caller's), NETRA_EINVAL or NETRA_EIO with err set (e.g. the address is
 * in use). */
int netra_receiver_new(void *zctx, const char *endpoint, const char *kind,
		       const struct netra_link_options *o, const char *name,
		       struct netra_receiver **out, char *err, size_t errsz);

/* Free. NULL-safe; sets *r to NULL. */
void netra_receiver_destroy(struct netra_receiver **r);

/* Receive what is waiting (at most one batch) without blocking: handle
 * each DATA, commit, then acknowledge; answer PINGs after the batch's ACKs.
 * *handled (may be NULL) is the number of DATA items seen. Returns 0, or
 * the handler's or commit's negative status. */
int netra_receiver_process(struct netra_receiver *r, netra_receiver_handler handle,
			   netra_receiver_commit commit, void *arg, size_t *handled);

/* The ZeroMQ socket, for zmq_poll. Borrowed. */
void *netra_receiver_socket(struct netra_receiver *r);

#endif
