/* The case store: evidence, cases, reviewers' decisions and the workflow,
 * in one SQLite database with the audit log beside them. */
#include "sinks/cases.h"

#include "core/error.h"
#include "core/nip.h"
#include "core/post.h"
#include "core/timeutil.h"
#include "core/util.h"
#include "sinks/audit.h"
#include "sinks/casefile.h"
#include "sinks/sha256.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum {
	FLAG_MAX_BYTES = 16 * 1024 * 1024, /* one flag line */
	DIRTY_MAX = 1 << 20,               /* cases awaiting their files */
	TEXT_FIELD_MAX = 1024              /* reasons, bases, decisions: checked by callers */
};

enum { STMT_CACHE_MAX = 64 };

/* A prepared statement kept for reuse: preparing costs more than running
 * most of these statements, and a flag runs several. */
struct cached_stmt {
	char *sql;        /* its text (owned) */
	size_t len;       /* strlen(sql) */
	sqlite3_stmt *st; /* the statement */
	int busy;         /* handed out and not yet released */
};

struct netra_cases {
	sqlite3 *db;              /* the store */
	char *path;               /* data_dir/cases.db */
	char *files_dir;          /* data_dir/kasus */
	char *actor;              /* who acts, for the audit log */
	const struct netra_watchlist *wl;        /* borrowed, or NULL */
	struct netra_election *const *elections; /* borrowed */
	size_t nelections;                       /* entries in elections */
	const struct netra_sanctions *sanctions; /* borrowed, or NULL */
	int64_t *dirty;           /* cases whose files must be rewritten */
	size_t ndirty;            /* entries in dirty */
	size_t dirty_cap;         /* allocated entries */
	struct cached_stmt cache[STMT_CACHE_MAX]; /* prepared statements, kept */
	size_t ncache;            /* entries in cache */
};

static const char *const state_names[NETRA_CASE_NSTATES][2] = {
	{"diterima", "Laporan diterima"},
	{"verifikasi", "Verifikasi"},
	{"investigasi", "Investigasi"},
	{"terbukti", "Terbukti melanggar"},
	{"tidak_terbukti", "Tidak terbukti"},
	{"rekomendasi", "Rekomendasi kepada PPK"},
	{"tindak_lanjut", "Tindak lanjut PPK"},
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS persons("
	" id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, nip TEXT, name TEXT,"
	" position TEXT, position_class TEXT, agency TEXT, province TEXT,"
	" identified_by TEXT NOT NULL);"
	"CREATE TABLE IF NOT EXISTS cases("
	" id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL REFERENCES persons(id),"
	" election TEXT NOT NULL, state TEXT NOT NULL, opened_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL, sanction TEXT, basis TEXT, recommended_at INTEGER,"
	" recommended_by TEXT, decision TEXT, decision_date TEXT, followed_up_at INTEGER,"
	" followed_up_by TEXT, UNIQUE(person_id, election));"
	"CREATE TABLE IF NOT EXISTS evidence("
	" id INTEGER PRIMARY KEY, post_id TEXT UNIQUE NOT NULL,"
	" case_id INTEGER REFERENCES cases(id), post TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" captured_at INTEGER NOT NULL, created_at TEXT, created_unix INTEGER, url TEXT,"
	" source TEXT, handle TEXT, act TEXT, categories TEXT NOT NULL, hits TEXT NOT NULL,"
	" election TEXT, candidate INTEGER, stage TEXT, stage_class TEXT, score REAL,"
	" subject TEXT NOT NULL, decision TEXT NOT NULL DEFAULT 'pending', decided_by TEXT,"
	" decided_at INTEGER, reason TEXT);"
	"CREATE INDEX IF NOT EXISTS evidence_pending ON evidence(decision, captured_at);"
	"CREATE INDEX IF NOT EXISTS evidence_case ON evidence(case_id);";

const char *netra_case_state_name(enum netra_case_state s)
{
	return (unsigned)s < NETRA_CASE_NSTATES ? state_names[s][0] : "?";
}

const char *netra_case_state_label(enum netra_case_state s)
{
	return (unsigned)s < NETRA_CASE_NSTATES ? state_names[s][1] : "?";
}

int netra_case_state_parse(const char *name, enum netra_case_state *out)
{
	for (int i = 0; name != NULL && i < NETRA_CASE_NSTATES; i++) {
		if (strcmp(state_names[i][0], name) == 0) {
			*out = (enum netra_case_state)i;
			return 0;
		}
	}
	return -1;
}

int netra_case_move_allowed(enum netra_case_state from, enum netra_case_state to)
{
	/* The plain moves of the workflow; everything else is refused. */
	static const int allowed[][2] = {
		{NETRA_CASE_DITERIMA, NETRA_CASE_VERIFIKASI},
		{NETRA_CASE_VERIFIKASI, NETRA_CASE_INVESTIGASI},
		{NETRA_CASE_VERIFIKASI, NETRA_CASE_TIDAK_TERBUKTI},
		{NETRA_CASE_INVESTIGASI, NETRA_CASE_TERBUKTI},
		{NETRA_CASE_INVESTIGASI, NETRA_CASE_TIDAK_TERBUKTI},
	};

	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (allowed[i][0] == (int)from && allowed[i][1] == (int)to)
			return 1;
	}
	return 0;
}

/* The order of states along the workflow, for "forward only" messages:
 * terbukti and tidak_terbukti are one step. */
static int state_rank(enum netra_case_state s)
{
	static const int rank[NETRA_CASE_NSTATES] = {0, 1, 2, 3, 3, 4, 5};

	return (unsigned)s < NETRA_CASE_NSTATES ? rank[s] : -1;
}

static int64_t now_unix(void)
{
	return (int64_t)time(NULL);
}

/* ---- small SQLite helpers ---- */

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? (const char *)t : NULL;
}

static json_t *col_json_str(sqlite3_stmt *st, int i)
{
	const char *s = col(st, i);

	return s != NULL ? json_string(s) : json_null();
}

static json_t *time_json(int64_t t)
{
	char buf[32];

	if (t == 0)
		return json_null();
	netra_time_format_utc(t, buf, sizeof(buf));
	return json_string(buf);
}

/* A statement for sql: a kept one when free, else a new one (kept while
 * there is room). Give it back with release(). */
static int prepare(struct netra_cases *c, const char *sql, sqlite3_stmt **st, char *err,
		   size_t errsz)
{
	size_t len = strlen(sql);

	for (size_t i = 0; i < c->ncache; i++) {
		struct cached_stmt *k = &c->cache[i];
		if (!k->busy && k->len == len && memcmp(k->sql, sql, len) == 0) {
			k->busy = 1;
			*st = k->st;
			return NETRA_OK;
		}
	}
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		return NETRA_EIO;
	}
	if (c->ncache < STMT_CACHE_MAX) {
		struct cached_stmt *k = &c->cache[c->ncache];
		k->sql = netra_strdup(sql);
		if (k->sql != NULL) {
			k->len = len;
			k->st = *st;
			k->busy = 1;
			c->ncache++;
		}
	}
	return NETRA_OK;
}

/* Give back a statement from prepare() (NULL is fine): a kept one is reset
 * for its next use, another is finalised. */
static void release(struct netra_cases *c, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < c->ncache; i++) {
		if (c->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			c->cache[i].busy = 0;
			return;
		}
	}
	sqlite3_finalize(st);
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int exec(struct netra_cases *c, const char *sql, char *err, size_t errsz)
{
	char *msg = NULL;

	if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", c->path, msg != NULL ? msg : sqlite3_errmsg(c->db));
		sqlite3_free(msg);
		return NETRA_EIO;
	}
	return NETRA_OK;
}

int netra_cases_begin(struct netra_cases *c, char *err, size_t errsz)
{
	return exec(c, "BEGIN IMMEDIATE", err, errsz);
}

int netra_cases_commit(struct netra_cases *c, char *err, size_t errsz)
{
	int rc = exec(c, "COMMIT", err, errsz);

	if (rc != NETRA_OK)
		netra_cases_rollback(c);
	return rc;
}

void netra_cases_rollback(struct netra_cases *c)
{
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Begin a transaction unless the caller holds one, in which case a
 * savepoint lets this operation fail alone; *own says which. */
static int tx_enter(struct netra_cases *c, int *own, char *err, size_t errsz)
{
	*own = sqlite3_get_autocommit(c->db);
	return *own ? netra_cases_begin(c, err, errsz) : exec(c, "SAVEPOINT op", err, errsz);
}

/* End what tx_enter began: commit (or release) when rc is not an error,
 * else roll back (to the savepoint). */
static int tx_leave(struct netra_cases *c, int own, int rc, char *err, size_t errsz)
{
	if (!own) {
		if (rc < 0)
			sqlite3_exec(c->db, "ROLLBACK TO op", NULL, NULL, NULL);
		sqlite3_exec(c->db, "RELEASE op", NULL, NULL, NULL);
		return rc;
	}
	if (rc >= 0) {
		int crc = netra_cases_commit(c, err, errsz);
		return crc != NETRA_OK ? crc : rc;
	}
	netra_cases_rollback(c);
	return rc;
}

static int audit(struct netra_cases *c, const char *action, const char *object,
		 const char *reason, json_t *detail, char *err, size_t errsz)
{
	char *d = detail != NULL ? json_dumps(detail, NETRA_JSON_ENCODE_FLAGS | JSON_SORT_KEYS)
				 : NULL;
	int rc;

	if (detail != NULL && d == NULL)
		return NETRA_ENOMEM;
	rc = netra_audit_append(c->db, c->actor, action, object, reason, d, now_unix(), err,
				errsz);
	free(d);
	return rc;
}

static int mark_dirty(struct netra_cases *c, int64_t case_id)
{
	for (size_t i = 0; i < c->ndirty; i++) {
		if (c->dirty[i] == case_id)
			return NETRA_OK;
	}
	if (c->ndirty == c->dirty_cap) {
		size_t cap = c->dirty_cap ? c->dirty_cap * 2 : 16;
		int64_t *d;
		if (cap > DIRTY_MAX)
			return NETRA_ETOOBIG;
		d = realloc(c->dirty, cap * sizeof(*d));
		if (d == NULL)
			return NETRA_ENOMEM;
		c->dirty = d;
		c->dirty_cap = cap;
	}
	c->dirty[c->ndirty++] = case_id;
	return NETRA_OK;
}

/* ---- open and close ---- */

void netra_cases_destroy(struct netra_cases **cp)
{
	struct netra_cases *c;

	if (cp == NULL || *cp == NULL)
		return;
	c = *cp;
	for (size_t i = 0; i < c->ncache; i++) {
		sqlite3_finalize(c->cache[i].st);
		free(c->cache[i].sql);
	}
	if (c->db != NULL) {
		netra_cases_rollback(c);
		sqlite3_close(c->db);
	}
	free(c->path);
	free(c->files_dir);
	free(c->actor);
	free(c->dirty);
	free(c);
	*cp = NULL;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

int netra_cases_open(const char *data_dir, struct netra_cases **out, char *err,
		     size_t errsz)
{
	struct netra_cases *c = calloc(1, sizeof(*c));
	int rc = NETRA_ENOMEM;

	*out = NULL;
	if (c == NULL)
		return NETRA_ENOMEM;
	c->path = join(data_dir, "cases.db");
	c->files_dir = join(data_dir, "kasus");
	c->actor = netra_strdup("netra");
	if (c->path == NULL || c->files_dir == NULL || c->actor == NULL) {
		snprintf(err, errsz, "%s: out of memory", data_dir);
		goto fail;
	}
	if (mkdir(data_dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "%s: cannot create: %s", data_dir, strerror(errno));
		rc = NETRA_EIO;
		goto fail;
	}
	rc = NETRA_EIO;
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", c->path,
			 c->db != NULL ? sqlite3_errmsg(c->db) : "cannot open");
		goto fail;
	}
	/* Reviewers, importers and the sink share the store: wait for the
	 * write lock rather than fail. */
	sqlite3_busy_timeout(c->db, 30000);
	if (exec(c, "PRAGMA journal_mode=WAL", err, errsz) != NETRA_OK ||
	    exec(c, "PRAGMA foreign_keys=ON", err, errsz) != NETRA_OK ||
	    exec(c, "PRAGMA synchronous=NORMAL", err, errsz) != NETRA_OK)
		goto fail;
	if (netra_cases_begin(c, err, errsz) != NETRA_OK)
		goto fail;
	if (exec(c, schema, err, errsz) != NETRA_OK || netra_audit_init(c->db, err, errsz) != 0 ||
	    netra_cases_commit(c, err, errsz) != NETRA_OK)
		goto fail;
	*out = c;
	return NETRA_OK;
fail:
	netra_cases_destroy(&c);
	return rc;
}

int netra_cases_set_actor(struct netra_cases *c, const char *actor)
{
	char *a = netra_strdup(actor);

	if (a == NULL)
		return NETRA_ENOMEM;
	free(c->actor);
	c->actor = a;
	return NETRA_OK;
}

void netra_cases_set_context(struct netra_cases *c, const struct netra_watchlist *wl,
			     struct netra_election *const *elections, size_t nelections,
			     const struct netra_sanctions *sanctions)
{
	c->wl = wl;
	c->elections = elections;
	c->nelections = nelections;
	c->sanctions = sanctions;
}

sqlite3 *netra_cases_db(struct netra_cases *c)
{
	return c->db;
}

const char *netra_cases_path(const struct netra_cases *c)
{
	return c->path;
}

const char *netra_cases_files_dir(const struct netra_cases *c)
{
	return c->files_dir;
}

static const struct netra_election *find_election(const struct netra_cases *c, const char *id)
{
	for (size_t i = 0; id != NULL && i < c->nelections; i++) {
		if (strcmp(netra_election_id(c->elections[i]), id) == 0)
			return c->elections[i];
	}
	return NULL;
}

/* ---- filing a flag ---- */

/* The string field name ("text", "ref.text", "media[2].alt", ...) of a post
 * and its length; NULL if absent. Borrowed. */
static const char *post_field(const json_t *post, const char *name, size_t *len)
{
	const json_t *v = NULL;

	if (strncmp(name, "media[", 6) == 0) {
		char *end;
		unsigned long i = strtoul(name + 6, &end, 10);
		const json_t *m = json_array_get(json_object_get(post, "media"), i);
		if (end == name + 6 || *end != ']')
			return NULL;
		if (strcmp(end, "].alt") == 0)
			v = json_object_get(m, "alt");
		else if (strcmp(end, "].text") == 0)
			v = json_object_get(m, "text");
	} else if (strcmp(name, "text") == 0) {
		v = json_object_get(post, "text");
	} else if (strcmp(name, "ref.text") == 0) {
		v = json_object_get(json_object_get(post, "ref"), "text");
	} else if (strcmp(name, "author.bio") == 0) {
		v = json_object_get(json_object_get(post, "author"), "bio");
	} else if (strcmp(name, "report.description") == 0) {
		v = json_object_get(json_object_get(post, "report"), "description");
	}
	if (!json_is_string(v))
		return NULL;
	*len = json_string_length(v);
	return json_string_value(v);
}

/* Check a flag's shape (contracts §4) and that every hit selects its match. */
static int check_flag(const json_t *flag, char *err, size_t errsz)
{
	const json_t *post = json_object_get(flag, "post");
	const json_t *cats = json_object_get(flag, "categories");
	const json_t *hits = json_object_get(flag, "hits");
	const json_t *cand = json_object_get(flag, "candidate");
	const json_t *stage = json_object_get(flag, "stage");
	const json_t *subj = json_object_get(flag, "subject");
	const json_t *v;
	const char *asn;
	size_t i;
	char perr[400];

	if (!json_is_object(post)) {
		snprintf(err, errsz, "post: missing or not an object");
		return NETRA_EINVAL;
	}
	if (netra_post_validate(post, perr, sizeof(perr)) != NETRA_OK) {
		snprintf(err, errsz, "post.%s", perr);
		return NETRA_EINVAL;
	}
	if (!json_is_array(cats) || json_array_size(cats) == 0) {
		snprintf(err, errsz, "categories: must be a non-empty array");
		return NETRA_EINVAL;
	}
	json_array_foreach(cats, i, v) {
		if (!netra_category_code_valid(json_string_value(v))) {
			snprintf(err, errsz, "categories[%zu]: not a category code", i);
			return NETRA_EINVAL;
		}
	}
	if (cand != NULL && !json_is_null(cand) &&
	    (!json_is_object(cand) || !json_is_string(json_object_get(cand, "election")) ||
	     !json_is_integer(json_object_get(cand, "number")))) {
		snprintf(err, errsz, "candidate: must be {\"election\": string, \"number\": integer}");
		return NETRA_EINVAL;
	}
	if (stage != NULL && !json_is_null(stage) && !json_is_string(stage)) {
		snprintf(err, errsz, "stage: must be a string");
		return NETRA_EINVAL;
	}
	if (!json_is_object(subj) || (asn = json_string_value(json_object_get(subj, "asn"))) == NULL ||
	    (strcmp(asn, "watchlist") != 0 && strcmp(asn, "bio") != 0 &&
	     strcmp(asn, "report") != 0 && strcmp(asn, "unknown") != 0)) {
		snprintf(err, errsz, "subject.asn: must be watchlist, bio, report or unknown");
		return NETRA_EINVAL;
	}
	v = json_object_get(subj, "nip");
	if (v != NULL && !json_is_null(v)) {
		char nerr[200];
		if (!json_is_string(v) || json_string_length(v) != 18 ||
		    netra_nip_check(json_string_value(v), 18, NULL, nerr, sizeof(nerr)) != 0) {
			snprintf(err, errsz, "subject.nip: not a valid 18-digit NIP");
			return NETRA_EINVAL;
		}
	}
	if (!json_is_array(hits)) {
		snprintf(err, errsz, "hits: must be an array");
		return NETRA_EINVAL;
	}
	json_array_foreach(hits, i, v) {
		const char *fname = json_string_value(json_object_get(v, "field"));
		const char *match = json_string_value(json_object_get(v, "match"));
		const json_t *js = json_object_get(v, "start");
		const json_t *je = json_object_get(v, "end");
		const char *text;
		size_t tlen = 0;
		json_int_t s, e;
		if (fname == NULL || match == NULL || !json_is_integer(js) || !json_is_integer(je)) {
			snprintf(err, errsz, "hits[%zu]: needs field, start, end and match", i);
			return NETRA_EINVAL;
		}
		text = post_field(post, fname, &tlen);
		if (text == NULL) {
			snprintf(err, errsz, "hits[%zu].field: the post has no field \"%.40s\"", i,
				 fname);
			return NETRA_EINVAL;
		}
		s = json_integer_value(js);
		e = json_integer_value(je);
		if (s < 0 || e < s || (size_t)e > tlen ||
		    json_string_length(json_object_get(v, "match")) != (size_t)(e - s) ||
		    memcmp(text + s, match, (size_t)(e - s)) != 0) {
			snprintf(err, errsz, "hits[%zu]: bytes %lld..%lld of %s are not \"%.60s\"", i,
				 (long long)s, (long long)e, fname, match);
			return NETRA_EINVAL;
		}
	}
	return NETRA_OK;
}

/* Who a flag is about. */
struct who {
	char key[300];             /* persons.key, "" for the unknown queue */
	const char *nip;           /* or NULL */
	const char *name;          /* or NULL */
	const char *position;      /* or NULL */
	const char *position_class; /* or NULL */
	const char *agency;        /* or NULL */
	const char *province;      /* or NULL */
	const char *identified_by; /* subject.asn */
};

static void lower_copy(char *dst, size_t dstsz, const char *s)
{
	size_t j = 0;
	int space = 0;

	/* Case and runs of spaces do not make a different person. */
	for (size_t i = 0; s[i] != '\0' && j + 1 < dstsz; i++) {
		char ch = s[i];
		if (ch == ' ' || ch == '\t') {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < dstsz)
			dst[j++] = ' ';
		space = 0;
		dst[j++] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
	}
	dst[j] = '\0';
}

static void identify(const struct netra_cases *c, const json_t *flag, struct who *w)
{
	const json_t *post = json_object_get(flag, "post");
	const json_t *subj = json_object_get(flag, "subject");
	const char *nip = json_string_value(json_object_get(subj, "nip"));
	const struct netra_asn *a = NULL;
	char lowered[256];

	memset(w, 0, sizeof(*w));
	w->identified_by = json_string_value(json_object_get(subj, "asn"));
	if (nip == NULL && c->wl != NULL && strcmp(w->identified_by, "watchlist") == 0) {
		a = netra_watchlist_find(c->wl, netra_post_get(post, "source"),
					 netra_post_get(post, "author.handle"),
					 netra_post_get(post, "platform"));
		if (a != NULL)
			nip = a->nip;
	}
	if (nip != NULL) {
		if (a == NULL && c->wl != NULL)
			a = netra_watchlist_find_nip(c->wl, nip);
		snprintf(w->key, sizeof(w->key), "nip:%s", nip);
		w->nip = nip;
		if (a != NULL) {
			w->name = a->name;
			w->position = a->position;
			w->position_class = a->position_class;
			w->agency = a->agency;
			w->province = a->province;
		} else if (netra_post_get(post, "report.subject.name") != NULL) {
			w->name = netra_post_get(post, "report.subject.name");
			w->agency = netra_post_get(post, "report.subject.agency");
		} else {
			w->name = netra_post_get(post, "author.name");
		}
		return;
	}
	if (strcmp(w->identified_by, "report") == 0 &&
	    netra_post_get(post, "report.subject.name") != NULL) {
		w->name = netra_post_get(post, "report.subject.name");
		w->agency = netra_post_get(post, "report.subject.agency");
		lower_copy(lowered, sizeof(lowered), w->name);
		snprintf(w->key, sizeof(w->key), "nama:%s", lowered);
		return;
	}
	w->key[0] = '\0';
}

static int find_or_add_person(struct netra_cases *c, const struct who *w, int64_t *id,
			      char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(c,
		     "INSERT INTO persons(key, nip, name, position, position_class, agency,"
		     " province, identified_by) VALUES(?,?,?,?,?,?,?,?)"
		     " ON CONFLICT(key) DO UPDATE SET name = coalesce(name, excluded.name),"
		     " position = coalesce(position, excluded.position),"
		     " position_class = coalesce(position_class, excluded.position_class),"
		     " agency = coalesce(agency, excluded.agency),"
		     " province = coalesce(province, excluded.province)",
		     &st, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	bind_text(st, 1, w->key);
	bind_text(st, 2, w->nip);
	bind_text(st, 3, w->name);
	bind_text(st, 4, w->position);
	bind_text(st, 5, w->position_class);
	bind_text(st, 6, w->agency);
	bind_text(st, 7, w->province);
	bind_text(st, 8, w->identified_by);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto io;
	release(c, st);
	if (prepare(c, "SELECT id FROM persons WHERE key = ?", &st, err, errsz) != NETRA_OK)
		return NETRA_EIO;
	bind_text(st, 1, w->key);
	if (sqlite3_step(st) != SQLITE_ROW)
		goto io;
	*id = sqlite3_column_int64(st, 0);
	release(c, st);
	return NETRA_OK;
io:
	snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
	release(c, st);
	return NETRA_EIO;
}

static int find_or_open_case(struct netra_cases *c, int64_t person, const char *election,
			     int64_t *id, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	char object[64];
	json_t *detail;
	int rc;

	if (prepare(c, "SELECT id FROM cases WHERE person_id = ? AND election = ?", &st, err,
		    errsz) != NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, person);
	bind_text(st, 2, election);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		release(c, st);
		return NETRA_OK;
	}
	release(c, st);
	if (rc != SQLITE_DONE ||
	    prepare(c,
		    "INSERT INTO cases(person_id, election, state, opened_at, updated_at)"
		    " VALUES(?, ?, 'diterima', ?, ?)",
		    &st, err, errsz) != NETRA_OK)
		goto io;
	sqlite3_bind_int64(st, 1, person);
	bind_text(st, 2, election);
	sqlite3_bind_int64(st, 3, now_unix());
	sqlite3_bind_int64(st, 4, now_unix());
	if (sqlite3_step(st) != SQLITE_DONE)
		goto io;
	release(c, st);
	*id = sqlite3_last_insert_rowid(c->db);
	snprintf(object, sizeof(object), "case:%" PRId64, *id);
	detail = json_pack("{s:s, s:I}", "election", election, "person", (json_int_t)person);
	rc = audit(c, "case.open", object, "bukti pertama diterima", detail, err, errsz);
	json_decref(detail);
	return rc;
io:
	snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
	release(c, st);
	return NETRA_EIO;
}

/* The filing itself, inside a transaction. */
static int file_flag(struct netra_cases *c, json_t *flag, int64_t captured_at, char *err,
		     size_t errsz)
{
	const json_t *post = json_object_get(flag, "post");
	const char *post_id = json_string_value(json_object_get(post, "id"));
	const json_t *cand = json_object_get(flag, "candidate");
	const char *election = json_string_value(json_object_get(cand, "election"));
	const char *stage = json_string_value(json_object_get(flag, "stage"));
	const char *created = netra_post_get(post, "created_at");
	const char *stage_class;
	sqlite3_stmt *st = NULL;
	char *post_text = NULL;
	char *cats = NULL;
	char *hits = NULL;
	char *subject = NULL;
	char hex[65];
	char object[64];
	struct who w;
	int64_t created_unix = 0;
	int64_t person = 0;
	int64_t case_id = 0;
	int64_t id;
	json_t *detail = NULL;
	int rc;

	if (prepare(c, "SELECT 1 FROM evidence WHERE post_id = ?", &st, err, errsz) != NETRA_OK)
		return NETRA_EIO;
	bind_text(st, 1, post_id);
	rc = sqlite3_step(st);
	release(c, st);
	st = NULL;
	if (rc == SQLITE_ROW)
		return NETRA_ADD_DUPLICATE;
	if (rc != SQLITE_DONE) {
		snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		return NETRA_EIO;
	}
	if (election == NULL && c->nelections == 1)
		election = netra_election_id(c->elections[0]);
	if (created != NULL && netra_time_parse(created, &created_unix) != 0)
		created_unix = 0;
	stage_class = netra_stage_class(stage, find_election(c, election), created_unix);
	identify(c, flag, &w);
	rc = NETRA_ENOMEM;
	post_text = json_dumps(post, NETRA_JSON_ENCODE_FLAGS);
	cats = json_dumps(json_object_get(flag, "categories"), NETRA_JSON_ENCODE_FLAGS);
	hits = json_dumps(json_object_get(flag, "hits"), NETRA_JSON_ENCODE_FLAGS);
	subject = json_dumps(json_object_get(flag, "subject"), NETRA_JSON_ENCODE_FLAGS);
	if (post_text == NULL || cats == NULL || hits == NULL || subject == NULL)
		goto done;
	/* The digest is of the post exactly as stored (compact JSON, keys in
	 * their original order), so anyone can recompute it from the case file. */
	netra_sha256_hex(post_text, strlen(post_text), hex);
	if (w.key[0] != '\0') {
		rc = find_or_add_person(c, &w, &person, err, errsz);
		if (rc == NETRA_OK)
			rc = find_or_open_case(c, person, election != NULL ? election : "", &case_id,
					       err, errsz);
		if (rc != NETRA_OK)
			goto done;
	}
	rc = prepare(c,
		     "INSERT INTO evidence(post_id, case_id, post, sha256, captured_at,"
		     " created_at, created_unix, url, source, handle, act, categories, hits,"
		     " election, candidate, stage, stage_class, score, subject)"
		     " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		     &st, err, errsz);
	if (rc != NETRA_OK)
		goto done;
	bind_text(st, 1, post_id);
	if (case_id != 0)
		sqlite3_bind_int64(st, 2, case_id);
	bind_text(st, 3, post_text);
	bind_text(st, 4, hex);
	sqlite3_bind_int64(st, 5, captured_at > 0 ? captured_at : now_unix());
	bind_text(st, 6, created);
	sqlite3_bind_int64(st, 7, created_unix);
	bind_text(st, 8, netra_post_get(post, "url"));
	bind_text(st, 9, netra_post_get(post, "source"));
	bind_text(st, 10, netra_post_get(post, "author.handle"));
	bind_text(st, 11, netra_act_name(netra_post_act(post)));
	bind_text(st, 12, cats);
	bind_text(st, 13, hits);
	bind_text(st, 14, election);
	if (json_is_integer(json_object_get(cand, "number")))
		sqlite3_bind_int64(st, 15, json_integer_value(json_object_get(cand, "number")));
	bind_text(st, 16, stage);
	bind_text(st, 17, stage_class);
	if (json_is_number(json_object_get(flag, "score")))
		sqlite3_bind_double(st, 18, json_number_value(json_object_get(flag, "score")));
	bind_text(st, 19, subject);
	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		rc = NETRA_EIO;
		goto done;
	}
	id = sqlite3_last_insert_rowid(c->db);
	snprintf(object, sizeof(object), "evidence:%" PRId64, id);
	detail = json_pack("{s:s, s:s, s:o}", "post", post_id, "sha256", hex, "case",
			   case_id != 0 ? json_integer(case_id) : json_null());
	rc = audit(c, "evidence.add", object,
		   case_id != 0 ? "ditandai pengklasifikasi" : "ditandai; penulis tidak dikenal",
		   detail, err, errsz);
	if (rc == NETRA_OK && case_id != 0) {
		release(c, st);
		st = NULL;
		rc = prepare(c, "UPDATE cases SET updated_at = ? WHERE id = ?", &st, err, errsz);
		if (rc == NETRA_OK) {
			sqlite3_bind_int64(st, 1, now_unix());
			sqlite3_bind_int64(st, 2, case_id);
			rc = sqlite3_step(st) == SQLITE_DONE ? NETRA_OK : NETRA_EIO;
		}
		if (rc == NETRA_OK)
			rc = mark_dirty(c, case_id);
	}
done:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "out of memory");
	json_decref(detail);
	release(c, st);
	free(post_text);
	free(cats);
	free(hits);
	free(subject);
	return rc;
}

int netra_cases_add_flag(struct netra_cases *c, const char *flag_json, size_t len,
			 int64_t captured_at, char *err, size_t errsz)
{
	json_t *flag = NULL;
	json_error_t jerr;
	int own = 0;
	int rc;

	if (len > FLAG_MAX_BYTES) {
		snprintf(err, errsz, "the flag is longer than %d bytes", FLAG_MAX_BYTES);
		return NETRA_EINVAL;
	}
	flag = json_loadb(flag_json, len, NETRA_JSON_DECODE_FLAGS, &jerr);
	if (flag == NULL) {
		snprintf(err, errsz, "invalid JSON at column %d: %s", jerr.column, jerr.text);
		return NETRA_EINVAL;
	}
	if (!json_is_object(flag)) {
		snprintf(err, errsz, "a flag must be a JSON object");
		json_decref(flag);
		return NETRA_EINVAL;
	}
	rc = check_flag(flag, err, errsz);
	if (rc == NETRA_OK)
		rc = tx_enter(c, &own, err, errsz);
	if (rc == NETRA_OK) {
		rc = file_flag(c, flag, captured_at, err, errsz);
		rc = tx_leave(c, own, rc, err, errsz);
	}
	json_decref(flag);
	return rc;
}

/* ---- reading ---- */

/* The first non-empty text of a post, for one-line listings. Borrowed. */
static const char *post_snippet(const json_t *post)
{
	static const char *const fields[] = {"text", "report.description", "ref.text"};

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *t = netra_post_get(post, fields[i]);
		if (t != NULL && *t != '\0')
			return t;
	}
	return "";
}

/* The columns every evidence listing reads, in this order. */
#define EVIDENCE_COLUMNS                                                                   \
	"e.id, e.case_id, e.captured_at, e.created_at, e.url, e.source, e.handle, e.act,"  \
	" e.categories, e.election, e.candidate, e.stage, p.nip, p.name, p.agency,"        \
	" p.province, e.post, e.sha256, e.hits, e.score, e.subject, e.decision,"           \
	" e.decided_by, e.decided_at, e.reason, e.stage_class"
#define EVIDENCE_FROM                                                                      \
	" FROM evidence e LEFT JOIN cases c ON c.id = e.case_id"                           \
	" LEFT JOIN persons p ON p.id = c.person_id"

static json_t *marked_fields(const json_t *post, const json_t *hits);

static json_t *load_json_col(sqlite3_stmt *st, int i)
{
	const char *s = col(st, i);
	json_t *v = s != NULL ? json_loads(s, NETRA_JSON_DECODE_FLAGS, NULL) : NULL;

	return v != NULL ? v : json_null();
}

/* One row of EVIDENCE_COLUMNS as a JSON object; full adds everything. */
static json_t *evidence_row(sqlite3_stmt *st, int full)
{
	json_t *post = load_json_col(st, 16);
	json_t *o = json_object();
	int ok;

	if (o == NULL) {
		json_decref(post);
		return NULL;
	}
	ok = json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0))) == 0 &&
	     json_object_set_new(o, "case", sqlite3_column_type(st, 1) == SQLITE_NULL
						    ? json_null()
						    : json_integer(sqlite3_column_int64(st, 1))) == 0 &&
	     json_object_set_new(o, "captured_at", time_json(sqlite3_column_int64(st, 2))) == 0 &&
	     json_object_set_new(o, "created_at", col_json_str(st, 3)) == 0 &&
	     json_object_set_new(o, "url", col_json_str(st, 4)) == 0 &&
	     json_object_set_new(o, "source", col_json_str(st, 5)) == 0 &&
	     json_object_set_new(o, "handle", col_json_str(st, 6)) == 0 &&
	     json_object_set_new(o, "act", col_json_str(st, 7)) == 0 &&
	     json_object_set_new(o, "categories", load_json_col(st, 8)) == 0 &&
	     json_object_set_new(o, "election", col_json_str(st, 9)) == 0 &&
	     json_object_set_new(o, "candidate", sqlite3_column_type(st, 10) == SQLITE_NULL
							 ? json_null()
							 : json_integer(sqlite3_column_int64(st, 10))) == 0 &&
	     json_object_set_new(o, "stage", col_json_str(st, 11)) == 0 &&
	     json_object_set_new(o, "nip", col_json_str(st, 12)) == 0 &&
	     json_object_set_new(o, "name", col_json_str(st, 13)) == 0 &&
	     json_object_set_new(o, "agency", col_json_str(st, 14)) == 0 &&
	     json_object_set_new(o, "province", col_json_str(st, 15)) == 0 &&
	     json_object_set_new(o, "text", json_string(post_snippet(post))) == 0;
	if (ok && full) {
		ok = json_object_set(o, "post", post) == 0 &&
		     json_object_set_new(o, "sha256", col_json_str(st, 17)) == 0 &&
		     json_object_set_new(o, "hits", load_json_col(st, 18)) == 0 &&
		     json_object_set_new(o, "score", sqlite3_column_type(st, 19) == SQLITE_NULL
							     ? json_null()
							     : json_real(sqlite3_column_double(st, 19))) == 0 &&
		     json_object_set_new(o, "subject", load_json_col(st, 20)) == 0 &&
		     json_object_set_new(o, "decision", col_json_str(st, 21)) == 0 &&
		     json_object_set_new(o, "decided_by", col_json_str(st, 22)) == 0 &&
		     json_object_set_new(o, "decided_at", time_json(sqlite3_column_int64(st, 23))) == 0 &&
		     json_object_set_new(o, "reason", col_json_str(st, 24)) == 0 &&
		     json_object_set_new(o, "stage_class", col_json_str(st, 25)) == 0;
	}
	json_decref(post);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Run a prepared evidence query into a new array. */
static int evidence_rows(struct netra_cases *c, sqlite3_stmt *st, int full, json_t **out)
{
	json_t *arr = json_array();
	int step;

	(void)c;
	if (arr == NULL)
		return NETRA_ENOMEM;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = evidence_row(st, full);
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			json_decref(arr);
			return NETRA_ENOMEM;
		}
	}
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return NETRA_EIO;
	}
	*out = arr;
	return NETRA_OK;
}

int netra_cases_queue(struct netra_cases *c, const struct netra_queue_filter *f,
		      json_t **out)
{
	sqlite3_stmt *st = NULL;
	char err[256];
	int rc;

	*out = NULL;
	rc = prepare(c,
		     "SELECT " EVIDENCE_COLUMNS EVIDENCE_FROM
		     " WHERE e.decision = 'pending'"
		     " AND (?1 IS NULL OR e.election = ?1)"
		     " AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(e.categories)"
		     "      WHERE value = ?2))"
		     " AND (?3 IS NULL OR p.agency = ?3)"
		     " AND (?4 IS NULL OR p.province = ?4)"
		     " AND (?5 = 0 OR e.case_id IS NULL)"
		     " ORDER BY e.captured_at, e.id LIMIT ?6",
		     &st, err, sizeof(err));
	if (rc != NETRA_OK)
		return rc;
	bind_text(st, 1, f->election);
	bind_text(st, 2, f->category);
	bind_text(st, 3, f->agency);
	bind_text(st, 4, f->province);
	sqlite3_bind_int(st, 5, f->unknown_only);
	sqlite3_bind_int64(st, 6, f->limit > 0 ? f->limit : -1);
	rc = evidence_rows(c, st, 0, out);
	release(c, st);
	return rc;
}

int netra_cases_evidence(struct netra_cases *c, int64_t id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	char err[256];
	json_t *arr = NULL;
	int rc;

	*out = NULL;
	rc = prepare(c, "SELECT " EVIDENCE_COLUMNS EVIDENCE_FROM " WHERE e.id = ?", &st, err,
		     sizeof(err));
	if (rc != NETRA_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = evidence_rows(c, st, 1, &arr);
	release(c, st);
	if (rc != NETRA_OK)
		return rc;
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return NETRA_ENOTFOUND;
	}
	*out = json_incref(json_array_get(arr, 0));
	json_decref(arr);
	if (json_object_set_new(*out, "teks", marked_fields(json_object_get(*out, "post"),
							     json_object_get(*out, "hits"))) != 0) {
		json_decref(*out);
		*out = NULL;
		return NETRA_ENOMEM;
	}
	return NETRA_OK;
}

/* A case's state and counts of its evidence by decision. */
struct case_status {
	enum netra_case_state state; /* current state */
	int64_t pending;             /* evidence not yet reviewed */
	int64_t confirmed;           /* confirmed evidence */
	int64_t dismissed;           /* dismissed evidence */
	char pending_ids[200];       /* the first pending ids, "5, 7" */
	int64_t recommended_at;      /* when the recommendation was made, or 0 */
};

static int case_status(struct netra_cases *c, int64_t case_id, struct case_status *cs,
		       char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(cs, 0, sizeof(*cs));
	if (prepare(c, "SELECT state, coalesce(recommended_at, 0) FROM cases WHERE id = ?", &st,
		    err, errsz) != NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, case_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		release(c, st);
		if (rc == SQLITE_DONE) {
			snprintf(err, errsz, "there is no case %" PRId64, case_id);
			return NETRA_ENOTFOUND;
		}
		snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		return NETRA_EIO;
	}
	if (netra_case_state_parse(col(st, 0), &cs->state) != 0) {
		snprintf(err, errsz, "case %" PRId64 " has an unknown state \"%s\"", case_id,
			 col(st, 0) != NULL ? col(st, 0) : "");
		release(c, st);
		return NETRA_EIO;
	}
	cs->recommended_at = sqlite3_column_int64(st, 1);
	release(c, st);
	if (prepare(c, "SELECT id, decision FROM evidence WHERE case_id = ? ORDER BY id", &st, err,
		    errsz) != NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, case_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *d = col(st, 1);
		if (d != NULL && strcmp(d, "confirmed") == 0) {
			cs->confirmed++;
		} else if (d != NULL && strcmp(d, "dismissed") == 0) {
			cs->dismissed++;
		} else {
			size_t n = strlen(cs->pending_ids);
			if (cs->pending < 10)
				snprintf(cs->pending_ids + n, sizeof(cs->pending_ids) - n,
					 "%s%" PRId64, n ? ", " : "", (int64_t)sqlite3_column_int64(st, 0));
			cs->pending++;
		}
	}
	release(c, st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		return NETRA_EIO;
	}
	return NETRA_OK;
}

static int case_closed(enum netra_case_state s)
{
	return state_rank(s) >= state_rank(NETRA_CASE_TERBUKTI);
}

static int decide(struct netra_cases *c, int64_t id, int confirm, const char *reason,
		  char *err, size_t errsz)
{
	const char *to = confirm ? "confirmed" : "dismissed";
	sqlite3_stmt *st = NULL;
	struct case_status cs;
	char object[64];
	char *from = NULL;
	int64_t case_id = 0;
	json_t *detail = NULL;
	int rc;

	if (prepare(c, "SELECT decision, case_id FROM evidence WHERE id = ?", &st, err, errsz) !=
	    NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			snprintf(err, errsz, "there is no evidence %" PRId64, id);
		else
			snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		release(c, st);
		return rc == SQLITE_DONE ? NETRA_ENOTFOUND : NETRA_EIO;
	}
	from = netra_strdup(col(st, 0));
	case_id = sqlite3_column_int64(st, 1);
	release(c, st);
	st = NULL;
	if (from == NULL)
		return NETRA_ENOMEM;
	rc = NETRA_EINVAL;
	if (strcmp(from, to) == 0) {
		snprintf(err, errsz, "evidence %" PRId64 " is already %s", id, to);
		goto done;
	}
	if (case_id != 0) {
		rc = case_status(c, case_id, &cs, err, errsz);
		if (rc != NETRA_OK)
			goto done;
		if (strcmp(from, "pending") != 0 && case_closed(cs.state)) {
			snprintf(err, errsz,
				 "evidence %" PRId64 " is already %s and case %" PRId64
				 " is closed (%s): its decisions can no longer change",
				 id, from, case_id, netra_case_state_name(cs.state));
			rc = NETRA_EINVAL;
			goto done;
		}
	}
	rc = prepare(c,
		     "UPDATE evidence SET decision = ?, decided_by = ?, decided_at = ?, reason = ?"
		     " WHERE id = ?",
		     &st, err, errsz);
	if (rc != NETRA_OK)
		goto done;
	bind_text(st, 1, to);
	bind_text(st, 2, c->actor);
	sqlite3_bind_int64(st, 3, now_unix());
	bind_text(st, 4, reason);
	sqlite3_bind_int64(st, 5, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
		rc = NETRA_EIO;
		goto done;
	}
	snprintf(object, sizeof(object), "evidence:%" PRId64, id);
	detail = json_pack("{s:s, s:s, s:o}", "from", from, "to", to, "case",
			   case_id != 0 ? json_integer(case_id) : json_null());
	rc = audit(c, confirm ? "evidence.confirm" : "evidence.dismiss", object,
		   reason != NULL ? reason : "", detail, err, errsz);
	if (rc == NETRA_OK && case_id != 0)
		rc = mark_dirty(c, case_id);
done:
	json_decref(detail);
	release(c, st);
	free(from);
	return rc;
}

int netra_cases_decide(struct netra_cases *c, int64_t evidence_id, int confirm,
		       const char *reason, char *err, size_t errsz)
{
	int own = 0;
	int rc;

	if (!confirm && (reason == NULL || *reason == '\0')) {
		snprintf(err, errsz, "dismissing evidence needs a reason");
		return NETRA_EINVAL;
	}
	rc = tx_enter(c, &own, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	rc = decide(c, evidence_id, confirm, reason, err, errsz);
	return tx_leave(c, own, rc, err, errsz);
}

int netra_cases_list(struct netra_cases *c, const char *state, const char *election,
		     json_t **out)
{
	sqlite3_stmt *st = NULL;
	enum netra_case_state s;
	json_t *arr = NULL;
	char err[256];
	int step;

	*out = NULL;
	if (state != NULL && netra_case_state_parse(state, &s) != 0)
		return NETRA_EINVAL;
	if (prepare(c,
		    "SELECT c.id, c.state, p.nip, p.name, p.agency, p.province, c.election,"
		    " (SELECT count(*) FROM evidence e WHERE e.case_id = c.id),"
		    " (SELECT count(*) FROM evidence e WHERE e.case_id = c.id AND e.decision = 'pending'),"
		    " (SELECT count(*) FROM evidence e WHERE e.case_id = c.id AND e.decision = 'confirmed'),"
		    " (SELECT count(*) FROM evidence e WHERE e.case_id = c.id AND e.decision = 'dismissed'),"
		    " c.opened_at, c.updated_at"
		    " FROM cases c JOIN persons p ON p.id = c.person_id"
		    " WHERE (?1 IS NULL OR c.state = ?1) AND (?2 IS NULL OR c.election = ?2)"
		    " ORDER BY c.id",
		    &st, err, sizeof(err)) != NETRA_OK)
		return NETRA_EIO;
	bind_text(st, 1, state);
	bind_text(st, 2, election);
	arr = json_array();
	if (arr == NULL) {
		release(c, st);
		return NETRA_ENOMEM;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:I, s:I, s:I, s:I, s:o, s:o}",
				      "id", (json_int_t)sqlite3_column_int64(st, 0), "state",
				      col_json_str(st, 1), "nip", col_json_str(st, 2), "name",
				      col_json_str(st, 3), "agency", col_json_str(st, 4), "province",
				      col_json_str(st, 5), "election", col_json_str(st, 6), "evidence",
				      (json_int_t)sqlite3_column_int64(st, 7), "pending",
				      (json_int_t)sqlite3_column_int64(st, 8), "confirmed",
				      (json_int_t)sqlite3_column_int64(st, 9), "dismissed",
				      (json_int_t)sqlite3_column_int64(st, 10), "opened_at",
				      time_json(sqlite3_column_int64(st, 11)), "updated_at",
				      time_json(sqlite3_column_int64(st, 12)));
		if (o == NULL || json_array_append_new(arr, o) != 0) {
			step = SQLITE_NOMEM;
			break;
		}
	}
	release(c, st);
	if (step != SQLITE_DONE) {
		json_decref(arr);
		return step == SQLITE_NOMEM ? NETRA_ENOMEM : NETRA_EIO;
	}
	*out = arr;
	return NETRA_OK;
}

/* ---- workflow ---- */

static int set_state(struct netra_cases *c, int64_t case_id, enum netra_case_state from,
		     enum netra_case_state to, const char *action, const char *reason,
		     json_t *extra, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	char object[64];
	json_t *detail = extra != NULL ? json_incref(extra) : json_object();
	int rc;

	if (detail == NULL)
		return NETRA_ENOMEM;
	rc = prepare(c, "UPDATE cases SET state = ?, updated_at = ? WHERE id = ?", &st, err,
		     errsz);
	if (rc == NETRA_OK) {
		bind_text(st, 1, netra_case_state_name(to));
		sqlite3_bind_int64(st, 2, now_unix());
		sqlite3_bind_int64(st, 3, case_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
			rc = NETRA_EIO;
		}
	}
	release(c, st);
	if (rc == NETRA_OK &&
	    (json_object_set_new(detail, "from", json_string(netra_case_state_name(from))) != 0 ||
	     json_object_set_new(detail, "to", json_string(netra_case_state_name(to))) != 0))
		rc = NETRA_ENOMEM;
	snprintf(object, sizeof(object), "case:%" PRId64, case_id);
	if (rc == NETRA_OK)
		rc = audit(c, action, object, reason, detail, err, errsz);
	if (rc == NETRA_OK)
		rc = mark_dirty(c, case_id);
	json_decref(detail);
	return rc;
}

static int move(struct netra_cases *c, int64_t case_id, enum netra_case_state to,
		const char *reason, char *err, size_t errsz)
{
	struct case_status cs;
	int rc = case_status(c, case_id, &cs, err, errsz);

	if (rc != NETRA_OK)
		return rc;
	if (to == cs.state) {
		snprintf(err, errsz, "case %" PRId64 " is already %s", case_id,
			 netra_case_state_name(to));
		return NETRA_EINVAL;
	}
	if (state_rank(to) <= state_rank(cs.state)) {
		snprintf(err, errsz,
			 "case %" PRId64 " is %s: cases move forward only, never back to %s",
			 case_id, netra_case_state_name(cs.state), netra_case_state_name(to));
		return NETRA_EINVAL;
	}
	if (to == NETRA_CASE_REKOMENDASI || to == NETRA_CASE_TINDAK_LANJUT) {
		snprintf(err, errsz, "%s is reached with `netra cases %s`, which records the %s",
			 netra_case_state_name(to),
			 to == NETRA_CASE_REKOMENDASI ? "recommend" : "follow-up",
			 to == NETRA_CASE_REKOMENDASI ? "sanction and its basis"
						      : "agency head's decision and its date");
		return NETRA_EINVAL;
	}
	if (!netra_case_move_allowed(cs.state, to)) {
		snprintf(err, errsz, "case %" PRId64 " is %s: the next step is %s, not %s", case_id,
			 netra_case_state_name(cs.state),
			 cs.state == NETRA_CASE_DITERIMA   ? "verifikasi"
			 : cs.state == NETRA_CASE_VERIFIKASI ? "investigasi or tidak_terbukti"
			 : cs.state == NETRA_CASE_INVESTIGASI ? "terbukti or tidak_terbukti"
			 : cs.state == NETRA_CASE_TERBUKTI    ? "rekomendasi (netra cases recommend)"
			 : cs.state == NETRA_CASE_REKOMENDASI ? "tindak_lanjut (netra cases follow-up)"
							      : "none: the case is final",
			 netra_case_state_name(to));
		return NETRA_EINVAL;
	}
	if (case_closed(to) && cs.pending > 0) {
		snprintf(err, errsz,
			 "case %" PRId64 " cannot be closed: %" PRId64
			 " evidence item(s) not yet reviewed (%s%s); confirm or dismiss them first",
			 case_id, cs.pending, cs.pending_ids, cs.pending > 10 ? ", ..." : "");
		return NETRA_EINVAL;
	}
	if (to == NETRA_CASE_TERBUKTI && cs.confirmed == 0) {
		snprintf(err, errsz,
			 "case %" PRId64 " cannot be proven: none of its evidence is confirmed",
			 case_id);
		return NETRA_EINVAL;
	}
	return set_state(c, case_id, cs.state, to, "case.move", reason, NULL, err, errsz);
}

int netra_cases_move(struct netra_cases *c, int64_t case_id, enum netra_case_state to,
		     const char *reason, char *err, size_t errsz)
{
	int own = 0;
	int rc;

	if (reason == NULL || *reason == '\0') {
		snprintf(err, errsz, "every move needs a reason");
		return NETRA_EINVAL;
	}
	rc = tx_enter(c, &own, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	rc = move(c, case_id, to, reason, err, errsz);
	return tx_leave(c, own, rc, err, errsz);
}

/* Per category: present, and the latest stage class seen with it. */
struct cat_seen {
	int present;         /* some counted evidence has the category */
	char stage[64];      /* a stage name of that evidence ("" if none) */
	const char *cls;     /* NETRA_STAGE_BEFORE/AFTER, or NULL */
};

static int suggest(struct netra_cases *c, int64_t case_id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	struct cat_seen seen[8];
	json_t *o = NULL;
	json_t *list = NULL;
	const char *best = NULL;
	char err[256];
	int confirmed_only = 0;
	int step;

	*out = NULL;
	memset(seen, 0, sizeof(seen));
	if (prepare(c,
		    "SELECT count(*) FROM evidence WHERE case_id = ? AND decision = 'confirmed'",
		    &st, err, sizeof(err)) != NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, case_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		confirmed_only = sqlite3_column_int64(st, 0) > 0;
	release(c, st);
	if (prepare(c,
		    "SELECT categories, stage, stage_class FROM evidence WHERE case_id = ?1"
		    " AND decision != 'dismissed' AND (?2 = 0 OR decision = 'confirmed')"
		    " ORDER BY id",
		    &st, err, sizeof(err)) != NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int(st, 2, confirmed_only);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *cats = load_json_col(st, 0);
		const char *stage = col(st, 1);
		const char *cls = col(st, 2);
		size_t i;
		json_t *v;
		json_array_foreach(cats, i, v) {
			int k = netra_category_index(json_string_value(v));
			if (k < 0)
				continue;
			/* The stage class after penetapan weighs more: keep it. */
			if (!seen[k].present || (cls != NULL && strcmp(cls, NETRA_STAGE_AFTER) == 0) ||
			    seen[k].cls == NULL) {
				snprintf(seen[k].stage, sizeof(seen[k].stage), "%s",
					 stage != NULL ? stage : "");
				if (cls != NULL)
					seen[k].cls = strcmp(cls, NETRA_STAGE_AFTER) == 0
							      ? NETRA_STAGE_AFTER
							      : NETRA_STAGE_BEFORE;
			}
			seen[k].present = 1;
		}
		json_decref(cats);
	}
	release(c, st);
	if (step != SQLITE_DONE)
		return NETRA_EIO;
	list = json_array();
	if (list == NULL)
		return NETRA_ENOMEM;
	for (int k = 0; k < 8; k++) {
		const char *sanction = NULL;
		const char *basis = NULL;
		json_t *row;
		if (!seen[k].present)
			continue;
		if (netra_sanctions_suggest(c->sanctions, netra_category_code(k),
					    seen[k].stage[0] ? seen[k].stage : NULL, seen[k].cls,
					    &sanction, &basis) != NETRA_OK) {
			sanction = NULL;
			basis = NULL;
		}
		if (sanction != NULL &&
		    (best == NULL || netra_sanction_rank(sanction) > netra_sanction_rank(best)))
			best = sanction;
		row = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "kode", netra_category_code(k),
				"nama", netra_category_label(netra_category_code(k)), "tahapan",
				seen[k].stage[0] ? json_string(seen[k].stage) : json_null(),
				"kelas_tahapan", seen[k].cls ? json_string(seen[k].cls) : json_null(),
				"saran_sanksi", sanction ? json_string(sanction) : json_null(),
				"saran_sanksi_label",
				sanction ? json_string(netra_sanction_label(sanction)) : json_null(),
				"dasar_hukum", basis ? json_string(basis) : json_null());
		if (row == NULL || json_array_append_new(list, row) != 0) {
			json_decref(list);
			return NETRA_ENOMEM;
		}
	}
	o = json_pack("{s:o, s:o, s:o}", "sanksi", best ? json_string(best) : json_null(), "label",
		      best ? json_string(netra_sanction_label(best)) : json_null(), "kategori", list);
	if (o == NULL)
		return NETRA_ENOMEM;
	*out = o;
	return NETRA_OK;
}

int netra_cases_suggest(struct netra_cases *c, int64_t case_id, json_t **out)
{
	struct case_status cs;
	char err[256];
	int rc = case_status(c, case_id, &cs, err, sizeof(err));

	*out = NULL;
	if (rc != NETRA_OK)
		return rc;
	return suggest(c, case_id, out);
}

static int recommend(struct netra_cases *c, int64_t case_id, const char *sanction,
		     const char *basis, char *err, size_t errsz)
{
	struct case_status cs;
	sqlite3_stmt *st = NULL;
	json_t *sugg = NULL;
	json_t *extra = NULL;
	int rc = case_status(c, case_id, &cs, err, errsz);

	if (rc != NETRA_OK)
		return rc;
	if (cs.state != NETRA_CASE_TERBUKTI) {
		snprintf(err, errsz,
			 "case %" PRId64 " is %s: only a proven case (terbukti) gets a "
			 "recommendation",
			 case_id, netra_case_state_name(cs.state));
		return NETRA_EINVAL;
	}
	rc = suggest(c, case_id, &sugg);
	if (rc != NETRA_OK)
		return rc;
	extra = json_pack("{s:s, s:O}", "sanction", sanction, "suggested",
			  json_object_get(sugg, "sanksi"));
	json_decref(sugg);
	if (extra == NULL)
		return NETRA_ENOMEM;
	rc = prepare(c,
		     "UPDATE cases SET sanction = ?, basis = ?, recommended_at = ?,"
		     " recommended_by = ? WHERE id = ?",
		     &st, err, errsz);
	if (rc == NETRA_OK) {
		bind_text(st, 1, sanction);
		bind_text(st, 2, basis);
		sqlite3_bind_int64(st, 3, now_unix());
		bind_text(st, 4, c->actor);
		sqlite3_bind_int64(st, 5, case_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
			rc = NETRA_EIO;
		}
	}
	release(c, st);
	if (rc == NETRA_OK)
		rc = set_state(c, case_id, cs.state, NETRA_CASE_REKOMENDASI, "case.recommend", basis,
			       extra, err, errsz);
	json_decref(extra);
	return rc;
}

int netra_cases_recommend(struct netra_cases *c, int64_t case_id, const char *sanction,
			  const char *basis, char *err, size_t errsz)
{
	int own = 0;
	int rc;

	if (!netra_sanction_valid(sanction)) {
		snprintf(err, errsz, "sanction \"%s\" is not one of %s", sanction ? sanction : "",
			 netra_sanction_kinds());
		return NETRA_EINVAL;
	}
	if (basis == NULL || *basis == '\0') {
		snprintf(err, errsz, "a recommendation needs its basis");
		return NETRA_EINVAL;
	}
	rc = tx_enter(c, &own, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	rc = recommend(c, case_id, sanction, basis, err, errsz);
	return tx_leave(c, own, rc, err, errsz);
}

static int follow_up(struct netra_cases *c, int64_t case_id, const char *decision,
		     const char *date, char *err, size_t errsz)
{
	struct case_status cs;
	sqlite3_stmt *st = NULL;
	json_t *extra = NULL;
	int rc = case_status(c, case_id, &cs, err, errsz);

	if (rc != NETRA_OK)
		return rc;
	if (cs.state != NETRA_CASE_REKOMENDASI) {
		snprintf(err, errsz,
			 "case %" PRId64 " is %s: a follow-up is recorded after a recommendation "
			 "(rekomendasi)",
			 case_id, netra_case_state_name(cs.state));
		return NETRA_EINVAL;
	}
	rc = prepare(c,
		     "UPDATE cases SET decision = ?, decision_date = ?, followed_up_at = ?,"
		     " followed_up_by = ? WHERE id = ?",
		     &st, err, errsz);
	if (rc == NETRA_OK) {
		bind_text(st, 1, decision);
		bind_text(st, 2, date);
		sqlite3_bind_int64(st, 3, now_unix());
		bind_text(st, 4, c->actor);
		sqlite3_bind_int64(st, 5, case_id);
		if (sqlite3_step(st) != SQLITE_DONE) {
			snprintf(err, errsz, "%s: %s", c->path, sqlite3_errmsg(c->db));
			rc = NETRA_EIO;
		}
	}
	release(c, st);
	extra = json_pack("{s:s}", "date", date);
	if (extra == NULL)
		rc = NETRA_ENOMEM;
	if (rc == NETRA_OK)
		rc = set_state(c, case_id, cs.state, NETRA_CASE_TINDAK_LANJUT, "case.follow_up",
			       decision, extra, err, errsz);
	json_decref(extra);
	return rc;
}

int netra_cases_follow_up(struct netra_cases *c, int64_t case_id, const char *decision,
			  const char *date, char *err, size_t errsz)
{
	int64_t days;
	int own = 0;
	int rc;

	if (decision == NULL || *decision == '\0') {
		snprintf(err, errsz, "a follow-up needs the agency head's decision");
		return NETRA_EINVAL;
	}
	if (date == NULL || strlen(date) != 10 || netra_date_parse(date, &days) != 0) {
		snprintf(err, errsz, "date \"%s\" is not a date (YYYY-MM-DD)", date ? date : "");
		return NETRA_EINVAL;
	}
	rc = tx_enter(c, &own, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	rc = follow_up(c, case_id, decision, date, err, errsz);
	return tx_leave(c, own, rc, err, errsz);
}

int netra_cases_overdue(struct netra_cases *c, long days, int64_t as_of, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *groups = json_array();
	json_t *group = NULL;
	char err[256];
	char last[512] = "";
	int first = 1;
	int step;

	*out = NULL;
	if (groups == NULL)
		return NETRA_ENOMEM;
	if (prepare(c,
		    "SELECT c.id, p.nip, p.name, coalesce(p.agency, '(instansi tidak diketahui)'),"
		    " c.sanction, c.recommended_at, c.recommended_at + ?1 * 86400"
		    " FROM cases c JOIN persons p ON p.id = c.person_id"
		    " WHERE c.state = 'rekomendasi' AND c.recommended_at + ?1 * 86400 < ?2"
		    " ORDER BY 4, c.recommended_at, c.id",
		    &st, err, sizeof(err)) != NETRA_OK) {
		json_decref(groups);
		return NETRA_EIO;
	}
	sqlite3_bind_int64(st, 1, days);
	sqlite3_bind_int64(st, 2, as_of);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *agency = col(st, 3);
		int64_t deadline = sqlite3_column_int64(st, 6);
		json_t *row;
		if (first || strcmp(agency, last) != 0) {
			group = json_pack("{s:s, s:[]}", "agency", agency, "cases");
			if (group == NULL || json_array_append_new(groups, group) != 0) {
				step = SQLITE_NOMEM;
				break;
			}
			snprintf(last, sizeof(last), "%s", agency);
			first = 0;
		}
		row = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:I}", "id",
				(json_int_t)sqlite3_column_int64(st, 0), "nip", col_json_str(st, 1),
				"name", col_json_str(st, 2), "sanction", col_json_str(st, 4),
				"recommended_at", time_json(sqlite3_column_int64(st, 5)), "deadline",
				time_json(deadline), "days_late",
				(json_int_t)((as_of - deadline) / 86400));
		if (row == NULL || json_array_append_new(json_object_get(group, "cases"), row) != 0) {
			step = SQLITE_NOMEM;
			break;
		}
	}
	release(c, st);
	if (step != SQLITE_DONE) {
		json_decref(groups);
		return step == SQLITE_NOMEM ? NETRA_ENOMEM : NETRA_EIO;
	}
	*out = groups;
	return NETRA_OK;
}

/* ---- the case file's document ---- */

/* One marked span of a field. */
struct span {
	size_t start; /* byte offset */
	size_t end;   /* exclusive */
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a;
	const struct span *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* Indonesian label of a post field. */
static void field_label(const char *name, char *out, size_t outsz)
{
	if (strcmp(name, "text") == 0) {
		snprintf(out, outsz, "Teks unggahan");
	} else if (strcmp(name, "ref.text") == 0) {
		snprintf(out, outsz, "Konten yang ditanggapi");
	} else if (strcmp(name, "author.bio") == 0) {
		snprintf(out, outsz, "Bio akun");
	} else if (strcmp(name, "report.description") == 0) {
		snprintf(out, outsz, "Uraian laporan");
	} else if (strncmp(name, "media[", 6) == 0) {
		unsigned long i = strtoul(name + 6, NULL, 10);
		snprintf(out, outsz, "%s gambar %lu",
			 strstr(name, ".alt") != NULL ? "Teks alternatif" : "Teks dalam", i + 1);
	} else {
		snprintf(out, outsz, "%s", name);
	}
}

/* The "teks" of an evidence item: each field with hits (and the post's own
 * text), its content and its marked spans (the union of overlapping hits). */
static json_t *marked_fields(const json_t *post, const json_t *hits)
{
	const char *names[64];
	size_t nnames = 0;
	json_t *out = json_array();
	size_t i;
	json_t *h;

	if (out == NULL)
		return NULL;
	names[nnames++] = "text";
	json_array_foreach(hits, i, h) {
		const char *f = json_string_value(json_object_get(h, "field"));
		int seen = 0;
		for (size_t k = 0; f != NULL && k < nnames; k++)
			seen |= strcmp(names[k], f) == 0;
		if (f != NULL && !seen && nnames < sizeof(names) / sizeof(names[0]))
			names[nnames++] = f;
	}
	for (size_t k = 0; k < nnames; k++) {
		size_t len = 0;
		const char *text = post_field(post, names[k], &len);
		struct span *sp = NULL;
		size_t nsp = 0;
		json_t *marks = json_array();
		json_t *f;
		char label[64];
		if (marks == NULL)
			goto oom;
		if (text == NULL || (len == 0 && strcmp(names[k], "text") == 0)) {
			json_decref(marks);
			continue;
		}
		sp = calloc(json_array_size(hits) + 1, sizeof(*sp));
		if (sp == NULL) {
			json_decref(marks);
			goto oom;
		}
		json_array_foreach(hits, i, h) {
			const char *fn = json_string_value(json_object_get(h, "field"));
			json_int_t s = json_integer_value(json_object_get(h, "start"));
			json_int_t e = json_integer_value(json_object_get(h, "end"));
			if (fn == NULL || strcmp(fn, names[k]) != 0 || s < 0 || e <= s ||
			    (size_t)e > len)
				continue;
			sp[nsp].start = (size_t)s;
			sp[nsp].end = (size_t)e;
			nsp++;
		}
		qsort(sp, nsp, sizeof(*sp), span_cmp);
		for (size_t a = 0; a < nsp;) {
			struct span m = sp[a];
			json_t *rules = json_array();
			json_t *mark;
			size_t b = a;
			while (b < nsp && sp[b].start < m.end) {
				if (sp[b].end > m.end)
					m.end = sp[b].end;
				b++;
			}
			/* The rules whose hits fall in this span, once each. */
			json_array_foreach(hits, i, h) {
				const char *fn = json_string_value(json_object_get(h, "field"));
				json_int_t s = json_integer_value(json_object_get(h, "start"));
				const json_t *rule = json_object_get(h, "rule");
				int dup = 0;
				size_t r;
				json_t *rv;
				if (fn == NULL || strcmp(fn, names[k]) != 0 || !json_is_string(rule) ||
				    s < (json_int_t)m.start || s >= (json_int_t)m.end)
					continue;
				json_array_foreach(rules, r, rv)
					dup |= json_equal(rv, rule);
				if (!dup)
					json_array_append(rules, (json_t *)rule);
			}
			mark = json_pack("{s:I, s:I, s:o, s:o}", "awal", (json_int_t)m.start, "akhir",
					 (json_int_t)m.end, "kata",
					 json_stringn(text + m.start, m.end - m.start), "aturan", rules);
			if (mark == NULL || json_array_append_new(marks, mark) != 0) {
				free(sp);
				json_decref(marks);
				goto oom;
			}
			a = b;
		}
		free(sp);
		field_label(names[k], label, sizeof(label));
		f = json_pack("{s:s, s:s, s:o, s:o}", "bidang", names[k], "label", label, "isi",
			      json_stringn(text, len), "tanda", marks);
		if (f == NULL || json_array_append_new(out, f) != 0)
			goto oom;
	}
	return out;
oom:
	json_decref(out);
	return NULL;
}

static const char *act_label(const char *act)
{
	static const char *const labels[][2] = {
		{"post", "Mengunggah"},     {"share", "Membagikan"}, {"comment", "Mengomentari"},
		{"like", "Menyukai"},       {"follow", "Mengikuti"}, {"report", "Laporan mitra"},
	};

	for (size_t i = 0; act != NULL && i < sizeof(labels) / sizeof(labels[0]); i++) {
		if (strcmp(labels[i][0], act) == 0)
			return labels[i][1];
	}
	return act != NULL ? act : "Mengunggah";
}

static const char *decision_code(const char *d)
{
	if (d != NULL && strcmp(d, "confirmed") == 0)
		return "dikonfirmasi";
	if (d != NULL && strcmp(d, "dismissed") == 0)
		return "ditolak";
	return "belum_ditinjau";
}

static json_t *str_or_null(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_string(v) || json_is_number(v) ? json_copy((json_t *)v) : json_null();
}

/* The case file's form of one evidence item (from evidence_row, full). */
static json_t *evidence_document(const json_t *e)
{
	const json_t *post = json_object_get(e, "post");
	json_t *teks = marked_fields(post, json_object_get(e, "hits"));
	json_t *decision;
	json_t *o;

	if (teks == NULL)
		return NULL;
	decision = json_pack("{s:s, s:o, s:o, s:o}", "status",
			     decision_code(json_string_value(json_object_get(e, "decision"))), "oleh",
			     str_or_null(e, "decided_by"), "waktu", str_or_null(e, "decided_at"),
			     "alasan", str_or_null(e, "reason"));
	o = json_pack("{s:O, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:O, s:o, s:o, "
		      "s:o, s:o, s:o}",
		      "id", json_object_get(e, "id"), "id_unggahan",
		      str_or_null(post, "id"), "tautan", str_or_null(e, "url"), "sumber",
		      str_or_null(e, "source"), "akun", str_or_null(e, "handle"), "tindakan",
		      act_label(json_string_value(json_object_get(e, "act"))), "waktu_unggah",
		      str_or_null(e, "created_at"), "waktu_tangkap", str_or_null(e, "captured_at"),
		      "tahapan", str_or_null(e, "stage"), "kelas_tahapan",
		      str_or_null(e, "stage_class"), "calon", str_or_null(e, "candidate"),
		      "kategori", json_object_get(e, "categories"), "skor", str_or_null(e, "score"),
		      "sha256", str_or_null(e, "sha256"), "teks", teks, "keputusan", decision,
		      "unggahan", json_copy((json_t *)post));
	return o;
}

static json_t *history(struct netra_cases *c, int64_t case_id)
{
	char object[64];
	json_t *records = NULL;
	json_t *out = json_array();
	size_t i;
	json_t *r;

	snprintf(object, sizeof(object), "case:%" PRId64, case_id);
	if (out == NULL || netra_audit_list(c->db, object, &records) != NETRA_OK) {
		json_decref(out);
		return NULL;
	}
	json_array_foreach(records, i, r) {
		const json_t *d = json_object_get(r, "detail");
		json_t *h = json_pack("{s:O, s:O, s:O, s:o, s:o, s:O}", "waktu",
				      json_object_get(r, "at"), "oleh", json_object_get(r, "actor"),
				      "aksi", json_object_get(r, "action"), "dari",
				      str_or_null(d, "from"), "ke", str_or_null(d, "to"), "alasan",
				      json_object_get(r, "reason"));
		if (h == NULL || json_array_append_new(out, h) != 0) {
			json_decref(records);
			json_decref(out);
			return NULL;
		}
	}
	json_decref(records);
	return out;
}

int netra_cases_document(struct netra_cases *c, int64_t case_id, json_t **out)
{
	sqlite3_stmt *st = NULL;
	json_t *doc = NULL;
	json_t *evidence = NULL;
	json_t *items = NULL;
	json_t *sugg = NULL;
	json_t *hist = NULL;
	json_t *rec = NULL;
	json_t *fu = NULL;
	const struct netra_election *el;
	enum netra_case_state state = NETRA_CASE_DITERIMA;
	char err[256];
	char number[32];
	size_t i;
	json_t *e;
	int rc;

	*out = NULL;
	if (prepare(c,
		    "SELECT c.id, c.state, c.election, c.opened_at, c.updated_at, c.sanction,"
		    " c.basis, c.recommended_at, c.recommended_by, c.decision, c.decision_date,"
		    " c.followed_up_at, c.followed_up_by, p.nip, p.name, p.position,"
		    " p.position_class, p.agency, p.province, p.identified_by"
		    " FROM cases c JOIN persons p ON p.id = c.person_id WHERE c.id = ?",
		    &st, err, sizeof(err)) != NETRA_OK)
		return NETRA_EIO;
	sqlite3_bind_int64(st, 1, case_id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		release(c, st);
		return rc == SQLITE_DONE ? NETRA_ENOTFOUND : NETRA_EIO;
	}
	if (netra_case_state_parse(col(st, 1), &state) != 0)
		state = NETRA_CASE_DITERIMA;
	el = find_election(c, col(st, 2));
	snprintf(number, sizeof(number), "KASUS-%06" PRId64, case_id);
	if (col(st, 5) != NULL)
		rec = json_pack("{s:s, s:s, s:o, s:o, s:o}", "sanksi", col(st, 5), "label",
				netra_sanction_label(col(st, 5)), "dasar", col_json_str(st, 6), "oleh",
				col_json_str(st, 8), "waktu", time_json(sqlite3_column_int64(st, 7)));
	if (col(st, 9) != NULL)
		fu = json_pack("{s:s, s:o, s:o, s:o}", "keputusan", col(st, 9), "tanggal",
			       col_json_str(st, 10), "oleh", col_json_str(st, 12), "dicatat",
			       time_json(sqlite3_column_int64(st, 11)));
	doc = json_pack(
		"{s:i, s:o, s:{s:I, s:s, s:s, s:s, s:o, s:o}, "
		"s:{s:o, s:o, s:o, s:o, s:o, s:o, s:o}, s:{s:o, s:o}}",
		"versi_format", 1, "dibuat", time_json(now_unix()), "kasus", "id",
		(json_int_t)case_id, "nomor", number, "status", netra_case_state_name(state),
		"status_label", netra_case_state_label(state), "dibuka",
		time_json(sqlite3_column_int64(st, 3)), "diperbarui",
		time_json(sqlite3_column_int64(st, 4)), "asn", "nip", col_json_str(st, 13), "nama",
		col_json_str(st, 14), "jabatan", col_json_str(st, 15), "kelas_jabatan",
		col_json_str(st, 16), "instansi", col_json_str(st, 17), "provinsi",
		col_json_str(st, 18), "dikenali_dari", col_json_str(st, 19), "pemilihan", "id",
		col(st, 2) != NULL && *col(st, 2) ? json_string(col(st, 2)) : json_null(), "nama",
		el != NULL ? json_string(netra_election_name(el)) : json_null());
	release(c, st);
	st = NULL;
	if (doc == NULL)
		goto oom;
	if (prepare(c,
		    "SELECT " EVIDENCE_COLUMNS EVIDENCE_FROM
		    " WHERE e.case_id = ? ORDER BY coalesce(e.created_unix, 0), e.id",
		    &st, err, sizeof(err)) != NETRA_OK) {
		rc = NETRA_EIO;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, case_id);
	rc = evidence_rows(c, st, 1, &evidence);
	release(c, st);
	if (rc != NETRA_OK)
		goto fail;
	items = json_array();
	if (items == NULL)
		goto oom;
	json_array_foreach(evidence, i, e) {
		json_t *d = evidence_document(e);
		if (d == NULL || json_array_append_new(items, d) != 0)
			goto oom;
	}
	rc = suggest(c, case_id, &sugg);
	if (rc != NETRA_OK)
		goto fail;
	hist = history(c, case_id);
	if (hist == NULL)
		goto oom;
	if (json_object_set_new(doc, "bukti", items) != 0 ||
	    json_object_set(doc, "kategori", json_object_get(sugg, "kategori")) != 0 ||
	    json_object_set_new(doc, "saran_sanksi",
				json_pack("{s:O, s:O}", "sanksi", json_object_get(sugg, "sanksi"),
					  "label", json_object_get(sugg, "label"))) != 0 ||
	    json_object_set_new(doc, "rekomendasi", rec != NULL ? rec : json_null()) != 0 ||
	    json_object_set_new(doc, "tindak_lanjut", fu != NULL ? fu : json_null()) != 0 ||
	    json_object_set_new(doc, "riwayat", hist) != 0) {
		items = rec = fu = hist = NULL;
		goto oom;
	}
	json_decref(sugg);
	json_decref(evidence);
	*out = doc;
	items = rec = fu = hist = NULL;
	return NETRA_OK;
oom:
	rc = NETRA_ENOMEM;
fail:
	json_decref(doc);
	json_decref(evidence);
	json_decref(sugg);
	json_decref(items);
	json_decref(rec);
	json_decref(fu);
	json_decref(hist);
	return rc;
}

int netra_cases_flush_files(struct netra_cases *c, char *err, size_t errsz)
{
	int first = NETRA_OK;

	for (size_t i = 0; i < c->ndirty; i++) {
		json_t *doc = NULL;
		char e2[512];
		int rc = netra_cases_document(c, c->dirty[i], &doc);
		if (rc == NETRA_OK)
			rc = netra_casefile_write_all(c->files_dir, doc, e2, sizeof(e2));
		else
			snprintf(e2, sizeof(e2), "case %" PRId64 ": %s", c->dirty[i],
				 netra_strerror(rc));
		json_decref(doc);
		if (rc != NETRA_OK && first == NETRA_OK) {
			first = rc;
			snprintf(err, errsz, "%s", e2);
		}
	}
	c->ndirty = 0;
	return first;
}
