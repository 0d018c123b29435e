/* A durable journal of messages not yet acknowledged by the next stage of
 * the pipeline (docs/pipeline.md). It is a folder of append-only segment
 * files, each named after the sequence number of its first record
 * ("00000000000000000042.jnl"). A record is
 *
 *     u32 payload length | u32 CRC-32C of (seq, payload) | u64 seq | payload
 *
 * (little-endian). Appends are written at once and fsync'd in batches
 * (netra_journal_sync); on open, a torn tail (a record cut short or whose
 * checksum fails, as a crash mid-write leaves it) is cut back to the last
 * whole record. Acknowledgements are kept in memory only: after a restart
 * every record still on disk is sent again, which the receivers tolerate
 * (delivery is at-least-once and the sink is idempotent). A segment is
 * deleted only when every record in it is acknowledged. */
#ifndef NETRA_JOURNAL_H
#define NETRA_JOURNAL_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>

struct netra_journal_options {
	size_t segment_bytes;  /* a new segment is started past this size (4 MiB) */
	uint64_t quota_bytes;  /* the segments may not use more than this (1 GiB) */
	size_t max_record;     /* largest payload accepted (16 MiB) */
	size_t sync_every;     /* fsync after this many unsynced appends (0: only on
				* netra_journal_sync) */
};

/* Fill the defaults. */
void netra_journal_options_default(struct netra_journal_options *o);

struct netra_journal;

/* Open (creating it if needed) the journal in folder dir. Torn tails are
 * cut (and logged); a bad record that is not at the tail of the last
 * segment is an error naming the file and offset. Returns 0 (*out is the
 * caller's), NETRA_ENOMEM, NETRA_EIO or NETRA_EINVAL with err set. */
int netra_journal_open(const char *dir, const struct netra_journal_options *opt,
		       struct netra_journal **out, char *err, size_t errsz);

/* Sync what is pending and free. NULL-safe; sets *j to NULL. */
void netra_journal_destroy(struct netra_journal **j);

/* Append one record. On success *seq (may be NULL) is its sequence number.
 * Returns 0; NETRA_ERETRY when the quota is full (retry after acks);
 * NETRA_ETOOBIG when len is over max_record (never fits); NETRA_EIO. */
int netra_journal_append(struct netra_journal *j, const void *data, size_t len,
			 uint64_t *seq);

/* fsync every record appended so far. Returns 0 or NETRA_EIO. */
int netra_journal_sync(struct netra_journal *j);

/* Read the next record after the read cursor (in sequence order) into out
 * (reset first) and advance the cursor. Records already acknowledged are
 * skipped. Returns 0 and *seq, NETRA_ENOTFOUND when the cursor is at the
 * end, NETRA_EIO, or NETRA_ETOOBIG if out cannot hold it. */
int netra_journal_read(struct netra_journal *j, uint64_t *seq, struct netra_buf *out);

/* Mark record seq acknowledged; deletes segments that become wholly
 * acknowledged (except the one being appended to). Unknown or repeated
 * sequence numbers are ignored (returns NETRA_ENOTFOUND). Returns 0 or
 * NETRA_EIO. */
int netra_journal_ack(struct netra_journal *j, uint64_t seq);

/* Records written and not yet acknowledged. */
uint64_t netra_journal_unacked(const struct netra_journal *j);

/* Records after the read cursor (not yet read). */
uint64_t netra_journal_unread(const struct netra_journal *j);

/* Bytes on disk (all segments). */
uint64_t netra_journal_bytes(const struct netra_journal *j);

/* 1 if a record of len bytes would not fit in the quota now. */
int netra_journal_full(const struct netra_journal *j, size_t len);

/* Segment files currently on disk. */
size_t netra_journal_nsegments(const struct netra_journal *j);

/* CRC-32C (Castagnoli) of n bytes, continuing from crc (start with 0). */
uint32_t netra_crc32c(uint32_t crc, const void *data, size_t n);

#endif
