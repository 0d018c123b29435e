/* The audit log's hash chain. A record's hash is SHA-256 over its fields,
 * each written as "<length>:<bytes>\n" so that no choice of field contents
 * can make two different records encode alike. */
#include "sinks/audit.h"

#include "core/error.h"
#include "core/timeutil.h"
#include "sinks/sha256.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char genesis[] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS audit("
	" seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
	" action TEXT NOT NULL, object TEXT NOT NULL, reason TEXT NOT NULL,"
	" detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

int netra_audit_init(sqlite3 *db, char *err, size_t errsz)
{
	char *msg = NULL;

	if (sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "audit log: %s", msg != NULL ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return NETRA_EIO;
	}
	return NETRA_OK;
}

static void field(struct netra_sha256 *s, const char *v)
{
	char n[32];
	size_t len = v != NULL ? strlen(v) : 0;

	snprintf(n, sizeof(n), "%zu:", len);
	netra_sha256_update(s, n, strlen(n));
	netra_sha256_update(s, v != NULL ? v : "", len);
	netra_sha256_update(s, "\n", 1);
}

/* The hash of one record, as hex. */
static void record_hash(int64_t seq, const char *const f[7], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	struct netra_sha256 s;
	uint8_t d[32];
	char n[32];

	netra_sha256_init(&s);
	snprintf(n, sizeof(n), "%" PRId64, seq);
	field(&s, n);
	for (int i = 0; i < 7; i++)
		field(&s, f[i]);
	netra_sha256_final(&s, d);
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

int netra_audit_append(sqlite3 *db, const char *actor, const char *action,
		       const char *object, const char *reason, const char *detail, int64_t now,
		       char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	char prev[65];
	char hash[65];
	char at[32];
	char head[96];
	int64_t seq = 1;
	const char *f[7];
	int rc = NETRA_EIO;

	memcpy(prev, genesis, sizeof(prev));
	if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1,
			       &st, NULL) != SQLITE_OK)
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 1);
		seq = sqlite3_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", h != NULL ? (const char *)h : "");
	}
	sqlite3_finalize(st);
	st = NULL;
	netra_time_format_utc(now, at, sizeof(at));
	f[0] = at;
	f[1] = actor;
	f[2] = action;
	f[3] = object;
	f[4] = reason != NULL ? reason : "";
	f[5] = detail != NULL ? detail : "{}";
	f[6] = prev;
	record_hash(seq, f, hash);
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO audit(seq, at, actor, action, object, reason, detail,"
			       " prev, hash) VALUES(?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, seq);
	for (int i = 0; i < 7; i++)
		sqlite3_bind_text(st, i + 2, f[i], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	st = NULL;
	snprintf(head, sizeof(head), "%" PRId64 ":%s", seq, hash);
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('audit_head', ?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_text(st, 1, head, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto fail;
	rc = NETRA_OK;
fail:
	if (rc != NETRA_OK)
		snprintf(err, errsz, "audit log: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? (const char *)t : "";
}

int netra_audit_verify(sqlite3 *db, struct netra_audit_result *r)
{
	sqlite3_stmt *st = NULL;
	char prev[65];
	char hash[65];
	char head[96] = "";
	int64_t expect = 1;
	int step;
	int rc = NETRA_OK;

	memset(r, 0, sizeof(*r));
	memcpy(prev, genesis, sizeof(prev));
	if (sqlite3_prepare_v2(db,
			       "SELECT seq, at, actor, action, object, reason, detail, prev, hash"
			       " FROM audit ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(r->reason, sizeof(r->reason), "cannot read the audit log: %s",
			 sqlite3_errmsg(db));
		return NETRA_EIO;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *f[7];
		for (int i = 0; i < 7; i++)
			f[i] = col(st, i + 1);
		r->records++;
		if (seq != expect) {
			r->bad_seq = expect;
			snprintf(r->reason, sizeof(r->reason),
				 "record %" PRId64 " is missing (the next one is %" PRId64 ")", expect,
				 seq);
			rc = NETRA_EINVAL;
			break;
		}
		if (strcmp(f[6], prev) != 0) {
			r->bad_seq = seq;
			snprintf(r->reason, sizeof(r->reason),
				 "record %" PRId64 " does not follow the record before it "
				 "(previous hash differs)", seq);
			rc = NETRA_EINVAL;
			break;
		}
		record_hash(seq, f, hash);
		if (strcmp(hash, col(st, 8)) != 0) {
			r->bad_seq = seq;
			snprintf(r->reason, sizeof(r->reason),
				 "record %" PRId64 " was changed (its hash does not match its fields)",
				 seq);
			rc = NETRA_EINVAL;
			break;
		}
		memcpy(prev, hash, sizeof(prev));
		memcpy(r->head, hash, sizeof(r->head));
		expect++;
	}
	if (rc == NETRA_OK && step != SQLITE_DONE) {
		snprintf(r->reason, sizeof(r->reason), "cannot read the audit log: %s",
			 sqlite3_errmsg(db));
		rc = NETRA_EIO;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != NETRA_OK)
		return rc;
	/* The head recorded at the last append must be the chain's end. */
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'audit_head'", -1, &st,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(head, sizeof(head), "%s", col(st, 0));
	sqlite3_finalize(st);
	if (r->records > 0 || head[0] != '\0') {
		char want[96];
		snprintf(want, sizeof(want), "%" PRId64 ":%s", expect - 1, r->head);
		if (strcmp(want, head) != 0) {
			r->bad_seq = expect;
			snprintf(r->reason, sizeof(r->reason),
				 "the log ends at record %" PRId64 " but the store's head says %s "
				 "(records were cut off the end, or the head was changed)",
				 expect - 1, head[0] != '\0' ? head : "nothing");
			return NETRA_EINVAL;
		}
	}
	return NETRA_OK;
}

int netra_audit_list(sqlite3 *db, const char *object, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *arr = json_array();
	int step;

	*out = NULL;
	if (arr == NULL)
		return NETRA_ENOMEM;
	if (sqlite3_prepare_v2(db,
			       "SELECT seq, at, actor, action, object, reason, detail FROM audit"
			       " WHERE ?1 IS NULL OR object = ?1 ORDER BY seq",
			       -1, &st, NULL) != SQLITE_OK) {
		json_decref(arr);
		return NETRA_EIO;
	}
	if (object != NULL)
		sqlite3_bind_text(st, 1, object, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *detail = json_loads(col(st, 6), 0, NULL);
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "seq",
				      (json_int_t)sqlite3_column_int64(st, 0), "at", col(st, 1),
				      "actor", col(st, 2), "action", col(st, 3), "object", col(st, 4),
				      "reason", col(st, 5), "detail",
				      detail != NULL ? detail : json_object());
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			step = SQLITE_NOMEM;
			break;
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return step == SQLITE_NOMEM ? NETRA_ENOMEM : NETRA_EIO;
	}
	*out = arr;
	return NETRA_OK;
}
