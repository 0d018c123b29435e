/* The audit log: every review action (who, when, what, why) as one record
 * of an append-only table in the case store. Each record carries the
 * SHA-256 of the record before it and its own hash over all its fields, so
 * that changing or deleting a record breaks the chain; the chain's head is
 * also kept in the store's meta table, so that cutting records off the end
 * is seen too. Triggers refuse UPDATE and DELETE on the table; the chain is
 * what catches someone who drops them. */
#ifndef NETRA_AUDIT_H
#define NETRA_AUDIT_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Create the audit table, its triggers and the meta table if missing.
 * Returns 0 or NETRA_EIO with err set. */
int netra_audit_init(sqlite3 *db, char *err, size_t errsz);

/* Append one record, inside the caller's write transaction (BEGIN
 * IMMEDIATE, so that the chain has one writer at a time). actor, action
 * ("case.move"), object ("case:3", "evidence:12") and reason are text;
 * detail is a JSON object's text ("{}" when NULL); now is seconds since the
 * epoch. Returns 0 or NETRA_EIO with err set. */
int netra_audit_append(sqlite3 *db, const char *actor, const char *action,
		       const char *object, const char *reason, const char *detail, int64_t now,
		       char *err, size_t errsz);

/* What a walk of the chain found. */
struct netra_audit_result {
	int64_t records;  /* records read */
	int64_t bad_seq;  /* the first bad record's number, 0 when intact */
	char head[65];    /* hash of the last good record ("" when empty) */
	char reason[256]; /* why the record is bad */
};

/* Walk the whole chain. Returns 0 when intact, NETRA_EINVAL when a record
 * was changed, deleted or added out of band (r says which and why), or
 * NETRA_EIO when the table cannot be read (r->reason). */
int netra_audit_verify(sqlite3 *db, struct netra_audit_result *r);

/* The records about object (NULL: all), oldest first, as a new JSON array
 * of objects {seq, at, actor, action, object, reason, detail} (*out, the
 * caller's). Returns 0 or NETRA_EIO. */
int netra_audit_list(sqlite3 *db, const char *object, json_t **out);

#endif
