/* The wire format between the stages of the pipeline (docs/wire.md): the
 * messages a sender (collect, classify) and a receiver (classify, sink)
 * exchange. A message is a list of fields, and travels as ONE ZeroMQ frame
 * holding them as netstrings ("4:DATA,3:123,..."): libzmq asserts when a
 * peer disconnects in the middle of a multipart message (libzmq issues
 * 1588, 3485), which a SIGKILL'd stage would otherwise provoke. This module
 * only encodes and decodes;
 * the sockets are in sinks/link.h. Every frame is plain bytes: commands and
 * numbers are ASCII (numbers in decimal), payloads are one JSON object in
 * UTF-8, so that any ZeroMQ client can read the stream.
 *
 *   DATA  seq kind payload origin_us   sender -> receiver
 *   ACK   seq [seq ...]                receiver -> sender
 *   PING  token                        sender -> receiver
 *   PONG  token                        receiver -> sender */
#ifndef NETRA_WIRE_H
#define NETRA_WIRE_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

enum netra_wire_type {
	NETRA_WIRE_DATA = 1, /* one item (a post or a flag) to deliver */
	NETRA_WIRE_ACK,      /* items the receiver has durably handled */
	NETRA_WIRE_PING,     /* heartbeat from the sender */
	NETRA_WIRE_PONG      /* the receiver's answer to a PING */
};

enum {
	NETRA_WIRE_MAX_ACKS = 256,                     /* sequence numbers in one ACK */
	NETRA_WIRE_MAX_FRAMES = 1 + NETRA_WIRE_MAX_ACKS, /* frames in any message */
	NETRA_WIRE_KIND_MAX = 16                       /* longest kind name */
};

/* One frame: borrowed bytes. */
struct netra_wire_frame {
	const void *data; /* the bytes (borrowed) */
	size_t len;       /* how many */
};

/* A decoded message. Pointers borrow from the frames it was parsed from. */
struct netra_wire_msg {
	enum netra_wire_type type;  /* which command */
	uint64_t seq;               /* DATA: the sender's sequence number */
	char kind[NETRA_WIRE_KIND_MAX + 1]; /* DATA: "post" or "flag" */
	const char *payload;        /* DATA: JSON object, not NUL-terminated */
	size_t payload_len;         /* DATA: its length */
	int64_t origin_us;          /* DATA: when the item entered the pipeline
				     * (microseconds since the epoch; 0 unknown) */
	uint64_t token;             /* PING, PONG: echoed token */
	size_t nacks;               /* ACK: entries in acks */
	uint64_t acks[NETRA_WIRE_MAX_ACKS]; /* ACK: acknowledged sequence numbers */
};

/* Decode the n frames of one message (without any ROUTER identity frame).
 * A payload over max_payload bytes is refused. Returns 0, or NETRA_EINVAL
 * with err saying which frame is wrong and why (never asserts: frames come
 * from the network). */
int netra_wire_parse(const struct netra_wire_frame *frames, size_t n, size_t max_payload,
		     struct netra_wire_msg *m, char *err, size_t errsz);

/* Frames being built, with room for the numbers they point into. Large
 * (about 10 KiB): allocate it once per socket. */
struct netra_wire_out {
	struct netra_wire_frame frames[NETRA_WIRE_MAX_FRAMES]; /* the message */
	size_t n;                                              /* frames used */
	char nums[NETRA_WIRE_MAX_FRAMES][24];                  /* decimal numbers */
};

/* Build a DATA message; payload (borrowed) must outlive o's use. kind is at
 * most NETRA_WIRE_KIND_MAX bytes. */
void netra_wire_data(struct netra_wire_out *o, uint64_t seq, const char *kind,
		     const char *payload, size_t len, int64_t origin_us);

/* Start an empty ACK message. */
void netra_wire_ack_begin(struct netra_wire_out *o);

/* Add a sequence number to an ACK. Returns 0, or NETRA_ETOOBIG when the
 * message already holds NETRA_WIRE_MAX_ACKS (send it and start another). */
int netra_wire_ack_add(struct netra_wire_out *o, uint64_t seq);

/* Number of sequence numbers in the ACK being built. */
size_t netra_wire_ack_count(const struct netra_wire_out *o);

/* Pack the fields of o as netstrings into out (reset first): the one frame
 * that goes on the wire. Returns 0, NETRA_ETOOBIG or NETRA_ENOMEM. */
int netra_wire_pack(const struct netra_wire_out *o, struct netra_buf *out);

/* Split one received frame into its fields (pointing into data). Returns 0
 * and *n, or NETRA_EINVAL with err saying where the netstrings break. */
int netra_wire_unpack(const void *data, size_t len, struct netra_wire_frame *fields, size_t max,
		      size_t *n, char *err, size_t errsz);

/* Build a PING or PONG. */
void netra_wire_ping(struct netra_wire_out *o, uint64_t token);
void netra_wire_pong(struct netra_wire_out *o, uint64_t token);

#endif
