/* The classifier engine: rules (classifier/rules.h) expanded against the
 * elections being watched, compiled once into PCRE2 JIT patterns and a
 * Vectorscan prefilter database, then applied to posts.
 *
 * Matching is in two stages: one Vectorscan pass per field over the
 * normalised text finds which patterns may match (prefilter mode never
 * misses a match but may report extra ones); only rules whose condition can
 * hold given those run their PCRE2 patterns. PCRE2 gives every verdict. */
#ifndef NETRA_ENGINE_H
#define NETRA_ENGINE_H

#include "classifier/rules.h"
#include "core/buf.h"
#include "core/election.h"
#include "core/watchlist.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct netra_engine_options {
	double threshold;       /* flag at or above this score (0.5) */
	size_t max_field_bytes; /* each field is cut here before matching */
	uint32_t match_limit;   /* PCRE2 match limit per pattern and field */
	int naive;              /* 1: skip the prefilter, run every rule (benchmarks) */
};

/* Fill the defaults (threshold 0.5, 64 KiB fields, match limit 100000). */
void netra_engine_options_default(struct netra_engine_options *o);

struct netra_engine;

/* Build an engine. rs, the elections and the watchlist (which may be NULL)
 * are borrowed and must outlive the engine. Problems (a pattern PCRE2
 * rejects, with its error text and offset; an unknown placeholder) are
 * appended to problems as "file:line: rule ID: message"; warnings (slow
 * rules) go to warnings when it is not NULL. Returns 0 and *out, or
 * NETRA_EINVAL (problems say why) or NETRA_ENOMEM. */
int netra_engine_new(const struct netra_ruleset *rs, struct netra_election *const *elections,
		     size_t nelections, const struct netra_watchlist *wl,
		     const struct netra_engine_options *opt, struct netra_engine **out,
		     struct netra_buf *problems, struct netra_buf *warnings);

/* Free. NULL-safe; sets *e to NULL. */
void netra_engine_destroy(struct netra_engine **e);

/* How many expanded patterns and rule instances the engine holds. */
size_t netra_engine_npatterns(const struct netra_engine *e);
size_t netra_engine_ninstances(const struct netra_engine *e);

/* Print every rule's final expanded patterns, "rule-id<TAB>pattern\n",
 * one line per pattern per candidate. */
int netra_engine_dump(const struct netra_engine *e, struct netra_buf *out);

/* Per-thread matching state (match data, Vectorscan scratch, normalised
 * fields). One scanner must not be used by two threads at once. */
struct netra_scanner;

/* Returns NULL on OOM. The engine is borrowed. */
struct netra_scanner *netra_scanner_new(const struct netra_engine *e);

/* Free. NULL-safe; sets *s to NULL. */
void netra_scanner_destroy(struct netra_scanner **s);

enum netra_subject {
	NETRA_SUBJECT_UNKNOWN = 0,
	NETRA_SUBJECT_WATCHLIST,
	NETRA_SUBJECT_BIO,
	NETRA_SUBJECT_REPORT
};

/* The name used in flags ("watchlist", ...). */
const char *netra_subject_name(enum netra_subject s);

/* One hit: a pattern's match inside a field of the post as given. */
struct netra_hit {
	const char *rule;     /* rule id, borrowed from the rule set */
	int category;         /* 0..7, or -1 for a suppress-all rule */
	int kind;             /* enum netra_rule_kind */
	char field[24];       /* "text", "ref.text", "media[0].alt", ... */
	size_t start;         /* byte offset in the field as given */
	size_t end;           /* end offset (exclusive) */
	const char *match;    /* the field's bytes at start (borrowed) */
	int election;         /* index of the election, or -1 */
	int number;           /* candidate's ballot number, or 0 */
};

/* The verdict on one post; valid until the scanner's next post. */
struct netra_verdict {
	int flagged;              /* some category reached the threshold */
	double score;             /* the highest category score */
	double category_score[NETRA_NCATEGORIES]; /* each category's score */
	unsigned categories;      /* bit i: category i reached the threshold */
	int election;             /* attributed election index, or -1 */
	int number;               /* attributed ballot number, or 0 */
	const char *stage;        /* stage at created_at, or NULL */
	enum netra_subject subject; /* who the author is */
	char nip[19];             /* the subject's NIP when known, else "" */
	double bio_score;         /* score of the subject rules on author.bio */
	const struct netra_hit *hits; /* the hits, bounded */
	size_t nhits;             /* entries in hits */
	int cut;                  /* some field was cut at max_field_bytes */
	int limit_hit;            /* some pattern hit its match limit */
	size_t pcre_runs;         /* PCRE2 matches run for this post (benchmarks) */
	size_t candidates;        /* rule instances the prefilter let through */
};

/* Classify one validated post. Returns 0 and *out (borrowed until the next
 * call), or NETRA_ENOMEM. A pattern that reaches its match limit counts as
 * not matching; the engine logs it once per pattern. */
int netra_scan_post(struct netra_scanner *s, const json_t *post,
		    const struct netra_verdict **out);

/* Append the flag line (contracts §4) for the last verdict: raw is the
 * post's JSON as read (copied unchanged), newline-terminated. all_verdicts
 * adds "flagged" and per-category scores (for `--all`). */
int netra_verdict_write(const struct netra_scanner *s, const char *raw, size_t rawlen,
			int all_verdicts, struct netra_buf *out);

/* Run every inline example of every rule (`netra rules test`). Each
 * result is appended to report as "PASS|FAIL rule-id (file:line)...";
 * *failed counts the failures. Returns 0, or NETRA_ENOMEM. */
int netra_engine_test_examples(const struct netra_engine *e, struct netra_buf *report,
			       size_t *passed, size_t *failed);

#endif
