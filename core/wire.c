#include "core/wire.h"

#include "core/error.h"

#include <stdio.h>
#include <string.h>

static const char *const commands[] = {NULL, "DATA", "ACK", "PING", "PONG"};

/* Parse a decimal number of 1 to 20 digits that fits in 64 bits. */
static int parse_u64(const struct netra_wire_frame *f, uint64_t *out)
{
	const unsigned char *p = f->data;
	uint64_t v = 0;

	if (f->len == 0 || f->len > 20)
		return -1;
	for (size_t i = 0; i < f->len; i++) {
		unsigned d;
		if (p[i] < '0' || p[i] > '9')
			return -1;
		d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static int frame_is(const struct netra_wire_frame *f, const char *s)
{
	size_t n = strlen(s);
	return f->len == n && memcmp(f->data, s, n) == 0;
}

int netra_wire_parse(const struct netra_wire_frame *f, size_t n, size_t max_payload,
		     struct netra_wire_msg *m, char *err, size_t errsz)
{
	uint64_t v;

	m->type = 0;
	m->nacks = 0;
	if (n == 0) {
		snprintf(err, errsz, "empty message");
		return NETRA_EINVAL;
	}
	for (int t = NETRA_WIRE_DATA; t <= NETRA_WIRE_PONG; t++) {
		if (frame_is(&f[0], commands[t]))
			m->type = (enum netra_wire_type)t;
	}
	switch (m->type) {
	case NETRA_WIRE_DATA:
		if (n != 5) {
			snprintf(err, errsz, "DATA: %zu frames, expected 5", n);
			return NETRA_EINVAL;
		}
		if (parse_u64(&f[1], &m->seq) != 0) {
			snprintf(err, errsz, "DATA: frame 1: the sequence number is not a decimal number");
			return NETRA_EINVAL;
		}
		if (f[2].len == 0 || f[2].len > NETRA_WIRE_KIND_MAX ||
		    memchr(f[2].data, '\0', f[2].len) != NULL) {
			snprintf(err, errsz, "DATA: frame 2: the kind must be 1 to %d bytes",
				 NETRA_WIRE_KIND_MAX);
			return NETRA_EINVAL;
		}
		memcpy(m->kind, f[2].data, f[2].len);
		m->kind[f[2].len] = '\0';
		if (f[3].len > max_payload) {
			snprintf(err, errsz, "DATA: frame 3: payload of %zu bytes is over the maximum of %zu",
				 f[3].len, max_payload);
			return NETRA_EINVAL;
		}
		m->payload = f[3].data;
		m->payload_len = f[3].len;
		if (parse_u64(&f[4], &v) != 0 || v > INT64_MAX) {
			snprintf(err, errsz, "DATA: frame 4: the origin time is not a decimal number");
			return NETRA_EINVAL;
		}
		m->origin_us = (int64_t)v;
		return NETRA_OK;
	case NETRA_WIRE_ACK:
		if (n < 2 || n > 1 + NETRA_WIRE_MAX_ACKS) {
			snprintf(err, errsz, "ACK: %zu frames, expected 2 to %d", n,
				 1 + NETRA_WIRE_MAX_ACKS);
			return NETRA_EINVAL;
		}
		for (size_t i = 1; i < n; i++) {
			if (parse_u64(&f[i], &m->acks[i - 1]) != 0) {
				snprintf(err, errsz, "ACK: frame %zu: not a decimal number", i);
				return NETRA_EINVAL;
			}
		}
		m->nacks = n - 1;
		return NETRA_OK;
	case NETRA_WIRE_PING:
	case NETRA_WIRE_PONG:
		if (n != 2 || parse_u64(&f[1], &m->token) != 0) {
			snprintf(err, errsz, "%s: expected 2 frames, the second a decimal number",
				 commands[m->type]);
			return NETRA_EINVAL;
		}
		return NETRA_OK;
	}
	snprintf(err, errsz, "frame 0: unknown command (%zu bytes)", f[0].len);
	return NETRA_EINVAL;
}

static void add_str(struct netra_wire_out *o, const char *s, size_t len)
{
	o->frames[o->n].data = s;
	o->frames[o->n].len = len;
	o->n++;
}

static void add_num(struct netra_wire_out *o, uint64_t v)
{
	int len = snprintf(o->nums[o->n], sizeof(o->nums[0]), "%llu", (unsigned long long)v);
	add_str(o, o->nums[o->n], (size_t)len);
}

void netra_wire_data(struct netra_wire_out *o, uint64_t seq, const char *kind,
		     const char *payload, size_t len, int64_t origin_us)
{
	o->n = 0;
	add_str(o, commands[NETRA_WIRE_DATA], 4);
	add_num(o, seq);
	add_str(o, kind, strlen(kind));
	add_str(o, payload, len);
	add_num(o, origin_us > 0 ? (uint64_t)origin_us : 0);
}

void netra_wire_ack_begin(struct netra_wire_out *o)
{
	o->n = 0;
	add_str(o, commands[NETRA_WIRE_ACK], 3);
}

int netra_wire_ack_add(struct netra_wire_out *o, uint64_t seq)
{
	if (o->n >= NETRA_WIRE_MAX_FRAMES)
		return NETRA_ETOOBIG;
	add_num(o, seq);
	return NETRA_OK;
}

size_t netra_wire_ack_count(const struct netra_wire_out *o)
{
	return o->n > 0 ? o->n - 1 : 0;
}

void netra_wire_ping(struct netra_wire_out *o, uint64_t token)
{
	o->n = 0;
	add_str(o, commands[NETRA_WIRE_PING], 4);
	add_num(o, token);
}

void netra_wire_pong(struct netra_wire_out *o, uint64_t token)
{
	o->n = 0;
	add_str(o, commands[NETRA_WIRE_PONG], 4);
	add_num(o, token);
}

int netra_wire_pack(const struct netra_wire_out *o, struct netra_buf *out)
{
	int rc = NETRA_OK;

	netra_buf_reset(out);
	for (size_t i = 0; i < o->n && rc == NETRA_OK; i++) {
		rc = netra_buf_printf(out, "%zu:", o->frames[i].len);
		if (rc == NETRA_OK)
			rc = netra_buf_add(out, o->frames[i].data, o->frames[i].len);
		if (rc == NETRA_OK)
			rc = netra_buf_add(out, ",", 1);
	}
	return rc;
}

int netra_wire_unpack(const void *data, size_t len, struct netra_wire_frame *fields, size_t max,
		      size_t *n, char *err, size_t errsz)
{
	const char *p = data;
	size_t pos = 0;

	*n = 0;
	while (pos < len) {
		size_t flen = 0;
		size_t digits = 0;
		while (pos < len && p[pos] >= '0' && p[pos] <= '9' && digits < 10) {
			flen = flen * 10 + (size_t)(p[pos] - '0');
			pos++;
			digits++;
		}
		if (digits == 0 || pos >= len || p[pos] != ':') {
			snprintf(err, errsz, "byte %zu: expected a netstring length and ':'", pos);
			return NETRA_EINVAL;
		}
		pos++;
		if (flen > len - pos || len - pos - flen < 1 || p[pos + flen] != ',') {
			snprintf(err, errsz, "byte %zu: a field of %zu bytes runs past the frame or lacks its ','",
				 pos, flen);
			return NETRA_EINVAL;
		}
		if (*n == max) {
			snprintf(err, errsz, "more than %zu fields", max);
			return NETRA_EINVAL;
		}
		fields[*n].data = p + pos;
		fields[*n].len = flen;
		(*n)++;
		pos += flen + 1;
	}
	return NETRA_OK;
}
