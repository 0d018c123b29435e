/* The case store (SQLite, WAL, data_dir/cases.db): a flagged item
 * (contracts §4) is evidence; the evidence about one civil servant in one
 * election forms one case; evidence whose author is unknown waits in its
 * own queue. Reviewers confirm or dismiss evidence and move cases through
 * the workflow of docs/review.md:
 *
 *   diterima -> verifikasi -> investigasi -> terbukti | tidak_terbukti
 *            terbukti -> rekomendasi -> tindak_lanjut
 *   (verifikasi -> tidak_terbukti is allowed too)
 *
 * Moves go forward only, each with a reason; a case cannot be closed
 * (terbukti, tidak_terbukti) with evidence still unreviewed. Every change
 * is written to the audit log (sinks/audit.h) in the same transaction.
 *
 * Writes take the database's write lock (BEGIN IMMEDIATE), so several
 * processes (importers, `netra sink`, reviewers) can use one store at once. */
#ifndef NETRA_CASES_H
#define NETRA_CASES_H

#include "core/election.h"
#include "core/watchlist.h"
#include "sinks/sanctions.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

enum netra_case_state {
	NETRA_CASE_DITERIMA = 0,   /* laporan diterima: opened by its first evidence */
	NETRA_CASE_VERIFIKASI,     /* the evidence is being checked */
	NETRA_CASE_INVESTIGASI,    /* an indication of a breach is investigated */
	NETRA_CASE_TERBUKTI,       /* proven (closed) */
	NETRA_CASE_TIDAK_TERBUKTI, /* not proven (closed, final) */
	NETRA_CASE_REKOMENDASI,    /* a sanction was recommended to the agency head */
	NETRA_CASE_TINDAK_LANJUT,  /* the agency head's decision is recorded (final) */
	NETRA_CASE_NSTATES
};

/* The state's code ("verifikasi"). */
const char *netra_case_state_name(enum netra_case_state s);

/* Its Indonesian label ("Laporan diterima"). */
const char *netra_case_state_label(enum netra_case_state s);

/* Parse a state code. Returns 0, or -1 if unknown. */
int netra_case_state_parse(const char *name, enum netra_case_state *out);

/* 1 if the workflow allows from -> to as a plain move (`cases move`);
 * rekomendasi and tindak_lanjut are reached through recommend and
 * follow-up, which carry their own data. */
int netra_case_move_allowed(enum netra_case_state from, enum netra_case_state to);

struct netra_cases;

/* Open (creating if needed) the store in data_dir (created too). On
 * success *out is the caller's (netra_cases_destroy). Returns 0, NETRA_EIO
 * or NETRA_ENOMEM with err set. */
int netra_cases_open(const char *data_dir, struct netra_cases **out, char *err,
		     size_t errsz);

/* Close. NULL-safe; sets *c to NULL. Pending case files are not written:
 * call netra_cases_flush_files first. */
void netra_cases_destroy(struct netra_cases **c);

/* Who is acting, recorded on every audit record (copied). Until set, the
 * actor is "netra". Returns 0 or NETRA_ENOMEM. */
int netra_cases_set_actor(struct netra_cases *c, const char *actor);

/* What imports and case files use, all borrowed and outliving c, each may
 * be NULL: the watchlist (name, position, agency, province of a NIP), the
 * elections (names; stage classes by date) and the sanctions table (the
 * suggestion and legal basis in case files). */
void netra_cases_set_context(struct netra_cases *c, const struct netra_watchlist *wl,
			     struct netra_election *const *elections, size_t nelections,
			     const struct netra_sanctions *sanctions);

/* The store's database, for the audit commands. Borrowed. */
sqlite3 *netra_cases_db(struct netra_cases *c);

/* The store's path (data_dir/cases.db) and the case files' folder
 * (data_dir/kasus). Borrowed. */
const char *netra_cases_path(const struct netra_cases *c);
const char *netra_cases_files_dir(const struct netra_cases *c);

/* Results of netra_cases_add_flag besides errors. */
enum netra_add_result {
	NETRA_ADD_NEW = 0,      /* stored as new evidence */
	NETRA_ADD_DUPLICATE = 1 /* the post id is already stored; nothing changed */
};

/* File one flag (contracts §4: one JSON object, flag_json, len bytes; no
 * NUL needed) as evidence, captured at captured_at (seconds since the
 * epoch, UTC; 0 means now). Idempotent by post id. The subject decides the
 * case: subject.nip (with the watchlist's details) keys a civil servant, the
 * same NIP across accounts being one case per election (candidate.election,
 * else the only election of the context, else none); a report without a
 * NIP keys by the reported name; anyone else goes to the unknown-author
 * queue. Hits must select their match in the post (byte offsets). Inside a
 * transaction begun with netra_cases_begin it joins it; otherwise it
 * commits on its own. The case's files are written by the next
 * netra_cases_flush_files. Returns NETRA_ADD_NEW, NETRA_ADD_DUPLICATE,
 * NETRA_EINVAL (a bad flag: err says which field and why), NETRA_ENOMEM or
 * NETRA_EIO (err set). */
int netra_cases_add_flag(struct netra_cases *c, const char *flag_json, size_t len,
			 int64_t captured_at, char *err, size_t errsz);

/* Group several writes into one transaction (faster imports). Returns 0 or
 * NETRA_EIO (err set). rollback discards everything since begin. */
int netra_cases_begin(struct netra_cases *c, char *err, size_t errsz);
int netra_cases_commit(struct netra_cases *c, char *err, size_t errsz);
void netra_cases_rollback(struct netra_cases *c);

/* Write the md, json and html files of every case changed through c since
 * the last flush into netra_cases_files_dir (see sinks/casefile.h).
 * Returns 0 or the first error (err set); the others are still tried. */
int netra_cases_flush_files(struct netra_cases *c, char *err, size_t errsz);

/* Filters of the review queue; NULL fields do not filter. */
struct netra_queue_filter {
	const char *election; /* election id */
	const char *category; /* a category code */
	const char *agency;   /* agency, exact */
	const char *province; /* province, exact */
	int unknown_only;     /* 1: only the unknown-author queue */
	long limit;           /* at most this many; 0 for all */
};

/* Evidence not yet reviewed, oldest capture first, as a new JSON array
 * (*out, caller's) of {id, case, captured_at, created_at, url, source,
 * handle, act, categories, election, candidate, stage, nip, name, agency,
 * province, text}. Returns 0, NETRA_EIO or NETRA_ENOMEM. */
int netra_cases_queue(struct netra_cases *c, const struct netra_queue_filter *f,
		      json_t **out);

/* One evidence item in full, as a new JSON object (*out, caller's): the
 * queue's fields plus post (the post as captured), sha256, hits, score,
 * subject, decision, decided_by, decided_at, reason, and teks (each field
 * with hits, its content and its marked spans, as in case files). Returns 0,
 * NETRA_ENOTFOUND, NETRA_EIO or NETRA_ENOMEM. */
int netra_cases_evidence(struct netra_cases *c, int64_t id, json_t **out);

/* Confirm (confirm = 1) or dismiss (0) one evidence item, with a reason
 * (required to dismiss). A decision already taken can be changed only
 * while its case is open (before terbukti/tidak_terbukti). Returns 0,
 * NETRA_ENOTFOUND, NETRA_EINVAL (err says why the workflow refuses) or
 * NETRA_EIO. */
int netra_cases_decide(struct netra_cases *c, int64_t evidence_id, int confirm,
		       const char *reason, char *err, size_t errsz);

/* Cases as a new JSON array (*out) of {id, state, nip, name, agency,
 * province, election, evidence, pending, confirmed, dismissed, opened_at,
 * updated_at}, by id; state and election (NULL: any) filter. Returns 0,
 * NETRA_EINVAL (unknown state) or NETRA_EIO. */
int netra_cases_list(struct netra_cases *c, const char *state, const char *election,
		     json_t **out);

/* The case file's document (docs/casefile.schema.json), in Bahasa
 * Indonesia, as a new JSON object (*out). Returns 0, NETRA_ENOTFOUND,
 * NETRA_EIO or NETRA_ENOMEM. */
int netra_cases_document(struct netra_cases *c, int64_t case_id, json_t **out);

/* Move a case to state with a reason (required). Returns 0,
 * NETRA_ENOTFOUND, NETRA_EINVAL (err: why the workflow refuses) or
 * NETRA_EIO. */
int netra_cases_move(struct netra_cases *c, int64_t case_id, enum netra_case_state to,
		     const char *reason, char *err, size_t errsz);

/* The rule pack's suggestion for a case as a new JSON object (*out):
 * {"sanksi": kind or null, "kategori": [{kode, tahapan, sanksi, dasar}]},
 * the heaviest suggestion over the categories of its confirmed evidence
 * (or of all undismissed evidence when none is confirmed yet). */
int netra_cases_suggest(struct netra_cases *c, int64_t case_id, json_t **out);

/* Recommend a sanction (kind per netra_sanction_valid) with its basis to
 * the agency head: terbukti -> rekomendasi. Returns 0, NETRA_ENOTFOUND,
 * NETRA_EINVAL (err) or NETRA_EIO. */
int netra_cases_recommend(struct netra_cases *c, int64_t case_id, const char *sanction,
			  const char *basis, char *err, size_t errsz);

/* Record the agency head's decision and its date ("YYYY-MM-DD"):
 * rekomendasi -> tindak_lanjut. Returns as netra_cases_recommend. */
int netra_cases_follow_up(struct netra_cases *c, int64_t case_id, const char *decision,
			  const char *date, char *err, size_t errsz);

/* Recommendations without a follow-up whose deadline (days after the
 * recommendation) is before as_of (seconds since the epoch), as a new JSON
 * array (*out) of {agency, cases: [{id, nip, name, sanction,
 * recommended_at, deadline, days_late}]}, by agency. Returns 0 or
 * NETRA_EIO. */
int netra_cases_overdue(struct netra_cases *c, long days, int64_t as_of, json_t **out);

#endif
