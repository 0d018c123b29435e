/* Sink "sqlite": the flags in one SQLite database (WAL) under the data
 * folder, data_dir/sink/flags.db, one row per post id. Writes go into one
 * transaction per batch, committed with synchronous=FULL, so a commit
 * that returned is on disk; INSERT OR IGNORE on the post id makes a
 * delivery received twice a no-op. */
#include "sinks/sink.h"

#include "core/error.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct netra_sink {
	sqlite3 *db;         /* the database */
	sqlite3_stmt *ins;   /* the INSERT OR IGNORE */
	int in_tx;           /* a transaction is open */
	char *path;          /* the database file, for messages */
};

static const char schema[] =
	"PRAGMA journal_mode=WAL;"
	"PRAGMA synchronous=FULL;"
	"CREATE TABLE IF NOT EXISTS flags ("
	" post_id TEXT PRIMARY KEY," /* the post's id (contracts §1) */
	" flag TEXT NOT NULL,"       /* the flag line, without its newline */
	" arrived_at TEXT NOT NULL," /* RFC 3339, UTC */
	" arrived_us INTEGER NOT NULL," /* microseconds since the epoch */
	" origin_us INTEGER NOT NULL"   /* when the post entered the pipeline */
	");";

static void sqlite_exit(struct netra_sink **sp)
{
	struct netra_sink *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	if (s->in_tx)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(s->ins);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
	*sp = NULL;
}

static int sqlite_init(const struct netra_config *cfg, struct netra_sink **out, char *err,
		       size_t errsz)
{
	const char *data_dir = cfg->data_dir;
	struct netra_sink *s = calloc(1, sizeof(*s));
	char *dir = NULL;
	char *msg = NULL;
	int rc = NETRA_EIO;

	*out = NULL;
	if (s == NULL)
		return NETRA_ENOMEM;
	dir = malloc(strlen(data_dir) + 16);
	s->path = malloc(strlen(data_dir) + 32);
	if (dir == NULL || s->path == NULL) {
		rc = NETRA_ENOMEM;
		goto fail;
	}
	snprintf(dir, strlen(data_dir) + 16, "%s/sink", data_dir);
	snprintf(s->path, strlen(data_dir) + 32, "%s/sink/flags.db", data_dir);
	if ((mkdir(data_dir, 0755) != 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) != 0 && errno != EEXIST)) {
		snprintf(err, errsz, "%s: cannot create: %s", dir, strerror(errno));
		goto fail;
	}
	if (sqlite3_open(s->path, &s->db) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (sqlite3_exec(s->db, schema, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", s->path, msg ? msg : "cannot set up");
		sqlite3_free(msg);
		goto fail;
	}
	if (sqlite3_prepare_v2(s->db,
			       "INSERT OR IGNORE INTO flags(post_id, flag, arrived_at, arrived_us, "
			       "origin_us) VALUES (?, ?, ?, ?, ?)",
			       -1, &s->ins, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", s->path, sqlite3_errmsg(s->db));
		goto fail;
	}
	free(dir);
	*out = s;
	return NETRA_OK;
fail:
	free(dir);
	sqlite_exit(&s);
	return rc;
}

static int sqlite_write(struct netra_sink *s, const char *post_id, const char *flag, size_t len,
			int64_t origin_us, int64_t arrived_us)
{
	char at[32];
	int rc;

	if (!s->in_tx) {
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
			netra_error("sink", "sqlite", "%s: BEGIN: %s", s->path, sqlite3_errmsg(s->db));
			return NETRA_EIO;
		}
		s->in_tx = 1;
	}
	netra_time_format_utc(arrived_us / 1000000, at, sizeof(at));
	sqlite3_reset(s->ins);
	sqlite3_bind_text(s->ins, 1, post_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->ins, 2, flag, (int)len, SQLITE_STATIC);
	sqlite3_bind_text(s->ins, 3, at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->ins, 4, arrived_us);
	sqlite3_bind_int64(s->ins, 5, origin_us);
	rc = sqlite3_step(s->ins);
	sqlite3_clear_bindings(s->ins);
	if (rc != SQLITE_DONE) {
		netra_error("sink", "sqlite", "%s: INSERT: %s", s->path, sqlite3_errmsg(s->db));
		return NETRA_EIO;
	}
	return NETRA_OK;
}

static int sqlite_commit(struct netra_sink *s)
{
	if (!s->in_tx)
		return NETRA_OK;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		netra_error("sink", "sqlite", "%s: COMMIT: %s", s->path, sqlite3_errmsg(s->db));
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->in_tx = 0;
		return NETRA_EIO;
	}
	s->in_tx = 0;
	return NETRA_OK;
}

static int sqlite_list(struct netra_sink *s, FILE *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT flag, arrived_at FROM flags ORDER BY rowid", -1, &st,
			       NULL) != SQLITE_OK) {
		netra_error("sink", "sqlite", "%s: %s", s->path, sqlite3_errmsg(s->db));
		return NETRA_EIO;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *flag = (const char *)sqlite3_column_text(st, 0);
		int len = sqlite3_column_bytes(st, 0);
		const char *at = (const char *)sqlite3_column_text(st, 1);
		/* The flag is one JSON object: add the arrival time as its
		 * last member, leaving the rest byte for byte. */
		while (len > 0 && flag[len - 1] != '}')
			len--;
		if (len < 2)
			continue;
		fwrite(flag, 1, (size_t)len - 1, out);
		fprintf(out, "%s\"arrived_at\":\"%s\"}\n", len > 2 ? "," : "", at);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		netra_error("sink", "sqlite", "%s: %s", s->path, sqlite3_errmsg(s->db));
		return NETRA_EIO;
	}
	return fflush(out) == 0 ? NETRA_OK : NETRA_EIO;
}

static long long sqlite_count(struct netra_sink *s)
{
	sqlite3_stmt *st = NULL;
	long long n = NETRA_EIO;

	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM flags", -1, &st, NULL) != SQLITE_OK)
		return NETRA_EIO;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

const struct netra_sink_plugin netra_sink_sqlite = {
	.name = "sqlite",
	.description = "flags in SQLite (WAL) at DATA_DIR/sink/flags.db, one row per post id",
	.init = sqlite_init,
	.write = sqlite_write,
	.commit = sqlite_commit,
	.list = sqlite_list,
	.count = sqlite_count,
	.exit = sqlite_exit,
};
