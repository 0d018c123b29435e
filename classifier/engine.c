#define PCRE2_CODE_UNIT_WIDTH 8
#include "classifier/engine.h"

#include "classifier/atoms.h"
#include "classifier/normalize.h"
#include "core/error.h"
#include "core/log.h"
#include "core/nip.h"
#include "core/post.h"
#include "core/timeutil.h"
#include "core/util.h"

#include <hs/hs.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	MEDIA_MAX = 8,               /* media items looked at per post */
	FIELDS_MAX = 4 + 2 * MEDIA_MAX, /* text, ref.text, report, bio + media */
	HITS_MAX = 64,               /* hits kept per post */
	NEAR_MATCHES = 16,           /* matches of each side compared by near() */
	POS_MAX = 8,                 /* literal positions kept per pattern and field */
	LAZY_LEN = 2,                /* leading-only literals this long are found by a scan of
				      * the field when a pattern needs their places (shorter
				      * ones are leading bytes) */
	LEAD_BYTES_MAX = 16,         /* one-byte leading literals (ASCII) scanned for */
	GATE_CLAUSES = 4,            /* clauses of an instance's quick test kept */
	CLAUSE_PATS = 4,             /* patterns in one clause */
	LIT_REQ = 1,                 /* a required literal: seeing it makes the pattern a candidate */
	LIT_LEAD = 2,                /* a leading literal: where a match can start */
	EXPAND_DEPTH = 8,            /* nesting of {define}s */
	EXPANDED_MAX = 1 << 20       /* longest expanded pattern */
};

static const char *const subject_names[] = {"unknown", "watchlist", "bio", "report"};

const char *netra_subject_name(enum netra_subject s)
{
	return (unsigned)s < 4 ? subject_names[s] : "unknown";
}

void netra_engine_options_default(struct netra_engine_options *o)
{
	o->threshold = 0.5;
	o->max_field_bytes = 65536;
	o->match_limit = 100000;
	o->naive = 0;
}

/* One distinct expanded pattern. */
struct epattern {
	char *src;          /* final PCRE2 source */
	pcre2_code *code;   /* compiled, JIT'd */
	int always;         /* no required literal: always run it */
	int word_start;     /* matches start only after a non-letter, non-digit (atoms.h) */
	int leading;        /* every match starts with one of its literals: confirm there */
	uint64_t lead_bytes[4]; /* leading literals of one byte (a digit, say), as a bit set
				 * over byte values: their places are found by a scan of
				 * the field when the pattern runs, not by Vectorscan */
	int has_lead_bytes; /* lead_bytes is not empty */
	int jit;            /* JIT-compiled: use the JIT's direct entry point */
	pcre2_code *anch;   /* leading patterns: compiled anchored, or NULL */
	int anch_jit;       /* anch is JIT-compiled */
	const char *rule;   /* first rule using it, for messages */
	const char *file;   /* that rule's file, for messages */
};

/* A quick test of an instance against the prefilter: every clause must have
 * one of its patterns seen (somewhere in the post) for the condition to hold,
 * to the prefilter's approximation. */
struct clause {
	size_t pat[CLAUSE_PATS]; /* engine pattern indexes */
	size_t n;                /* entries */
};

struct gate {
	struct clause c[GATE_CLAUSES]; /* all must hold */
	size_t n;                      /* entries; 0: always open */
};

/* One rule applied to one candidate (or to none). */
struct einstance {
	const struct netra_rule *rule; /* borrowed */
	size_t rule_index;  /* index of the rule in the rule set */
	int election;       /* election index, or -1 */
	int number;         /* ballot number, or 0 */
	size_t *pat;        /* engine pattern index of each rule pattern */
	size_t *lits;       /* prefilter literal ids (override), or NULL */
	size_t nlits;       /* entries in lits */
	struct gate gate;   /* what the prefilter must see for it to hold; its rarest
			     * clause first */
	size_t gate_from;   /* the first clause gate_open() tests: 1 when the
			     * instance is looked at only when the first held */
};

struct netra_engine {
	const struct netra_ruleset *rs;       /* borrowed */
	struct netra_election *const *elections; /* borrowed */
	size_t nelections;                    /* how many */
	const struct netra_watchlist *wl;     /* borrowed, may be NULL */
	struct netra_engine_options opt;      /* options */
	struct epattern *pats;                /* distinct patterns */
	unsigned char *filtered;              /* per pattern: the prefilter decides where it may
					       * match (not always, not naive) */
	size_t npats;                         /* entries */
	size_t nlits;                         /* prefilter literals (ids after pats) */
	struct einstance *inst;               /* rule instances */
	size_t ninst;                         /* entries */
	size_t *gaz;                          /* per (election, candidate): {cand} pattern */
	int *gaz_election;                    /* election of each gaz entry */
	int *gaz_number;                      /* number of each gaz entry */
	double *gaz_weight;                   /* attribution weight of each gaz entry */
	size_t ngaz;                          /* entries */
	hs_database_t *db;                    /* prefilter database, or NULL */
	size_t *lit_first;                    /* per distinct literal id: its first target */
	size_t *lit_count;                    /* per distinct literal id: how many targets */
	size_t *lit_len;                      /* per distinct literal id: its length in bytes */
	size_t ndlits;                        /* distinct literals */
	unsigned char *lit_lead;              /* per distinct literal: leading for some pattern */
	char **lit_lazy;                      /* per distinct literal: its text when it is short
					       * and only leads (LAZY_LEN), else NULL: not in the
					       * prefilter, found by find_lazy() when needed */
	size_t *lead_first;                   /* per pattern: first of its leading literals */
	size_t *lead_count;                   /* per pattern: how many */
	size_t *lead_nlazy;                   /* per pattern: how many of them (the first ones)
					       * are lazy */
	size_t *lead_lits;                    /* the leading literal ids, pattern by pattern */
	size_t seen_words;                    /* words in a bit set over patterns and override
					       * literals (npats + override index) */
	uint64_t *req_bits;                   /* per distinct literal: the patterns (and override
					       * literals) that require it, as such a bit set */
	uint32_t *req_first;                  /* per distinct literal: first of its required targets */
	uint32_t *req_pat;                    /* patterns (or npats + override) each literal is
					       * required by, literal by literal */
	size_t *tgt_pat;                      /* per target: pattern (or npats + override) */
	unsigned char *tgt_kind;              /* per target: LIT_REQ and/or LIT_LEAD */
	pcre2_code **place;                   /* per election: its place names, or NULL */
	size_t inst_words;                    /* words in each instance bit set */
	uint64_t *inst_always;                /* instances considered on every post */
	uint64_t *lit_inst;                   /* per distinct literal: instances it may start */
	uint64_t *inst_pass[2];               /* instances of each pass: evidence and subject, suppress */
};

/* ---- building ---------------------------------------------------------- */

struct build {
	struct netra_engine *e;     /* being built */
	struct netra_buf *problems; /* errors */
	struct netra_buf *warnings; /* warnings, may be NULL */
	size_t nproblems;           /* count */
	int oom;                    /* allocation failed */
	int needs_candidate;        /* the last expansion used a candidate placeholder */
	char **lit_src;             /* prefilter literal regexes, by id - npats */
	size_t nlit_src;            /* entries */
};

__attribute__((format(printf, 4, 5))) static void bproblem(struct build *b,
							   const struct netra_rule *r,
							   size_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	b->nproblems++;
	(void)netra_buf_printf(b->problems, "%s:%zu: rule %s: %s\n", r->file, line, r->id, msg);
}

static int is_candidate_placeholder(const char *name)
{
	static const char *const names[] = {"cand",   "name",  "nick",   "tag",     "slogan", "num",
					    "numword", "digit", "digit0", "gesture", "party"};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0)
			return 1;
	}
	return 0;
}

static int is_weak(const struct netra_engine *e, const char *norm)
{
	for (size_t i = 0; i < e->rs->ncommon; i++) {
		if (strcmp(e->rs->common[i], norm) == 0)
			return 1;
	}
	return 0;
}

/* Append one value (a name, alias, hashtag...) as a regex alternative:
 * normalised like post text, words joined by optional separators. A value
 * that is an everyday word (the pack's "common" list) only counts where
 * the post wrote it in capitals or as a hashtag: a callout checks that. */
static int add_value(struct build *b, struct netra_buf *alt, const char *value, int *first)
{
	char *norm = netra_norm_string(value, strlen(value));
	size_t words = 0;
	const unsigned char *s;
	int rc = NETRA_OK;

	if (norm == NULL)
		return NETRA_ENOMEM;
	s = (const unsigned char *)norm;
	/* Skip values that normalise to nothing. */
	while (*s && !(*s >= 0x80 || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
		s++;
	if (*s == '\0')
		goto cleanup;
	if (!*first)
		rc = netra_buf_adds(alt, "|");
	*first = 0;
	while (rc == NETRA_OK && *s) {
		size_t n = 0;
		while (s[n] && (s[n] >= 0x80 || (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9')))
			n++;
		if (n > 0) {
			if (words++ > 0)
				rc = netra_buf_adds(alt, "[\\s._\\x{2013}\\x{2014}-]*");
			if (rc == NETRA_OK)
				rc = netra_buf_add(alt, s, n);
			s += n;
		} else {
			s++;
		}
	}
	if (rc == NETRA_OK && words == 1 && is_weak(b->e, norm)) {
		/* The callout number carries the alias's length in bytes. */
		size_t len = strlen(norm);
		if (len < 255)
			rc = netra_buf_printf(alt, "(?C%zu)", len);
	}
cleanup:
	free(norm);
	return rc;
}

static int add_strv(struct build *b, struct netra_buf *alt, const struct netra_strv *v, int *first)
{
	int rc = NETRA_OK;

	for (size_t i = 0; i < v->n && rc == NETRA_OK; i++)
		rc = add_value(b, alt, v->v[i], first);
	return rc;
}

/* The lookbehind branches for the honorifics in the list at words
 * ("pak|bu|...)"): each word, starting a word, then a space or a dot, or
 * then a dot and a space. They go by last letter, each group behind a
 * one-letter test, so that a name after some other word tries a few
 * branches, not all of them: "(?<=k[\s.])(?<=W?pak[\s.]|W?bapak[\s.])|
 * (?<=k\.\s)(?<=W?pak\.\s|W?bapak\.\s)|...", where W? is the word start
 * (?<![\p{L}\p{N}]).
 * Returns NETRA_OK or NETRA_ENOMEM. */
static int honorifics_behind(struct netra_buf *behind, const char *words)
{
	unsigned char done[26] = {0};
	int rc = NETRA_OK;

	for (const char *w = words; rc == NETRA_OK && *w != ')'; w += *w == '|') {
		size_t n = strcspn(w, "|)");
		char last = n > 0 ? w[n - 1] : 'a';
		const char *at = w;
		w += n;
		if (n == 0 || done[last - 'a'])
			continue;
		done[last - 'a'] = 1;
		for (int dot = 0; dot < 2 && rc == NETRA_OK; dot++) {
			const char *after = dot ? "\\.\\s" : "[\\s.]";
			int any = 0;
			rc = netra_buf_printf(behind, "%s(?<=%c%s)(?<=", behind->len ? "|" : "", last, after);
			/* This word and the later ones with the same last letter. */
			for (const char *v = at; rc == NETRA_OK && *v != ')'; v += *v == '|') {
				size_t m = strcspn(v, "|)");
				if (m > 0 && v[m - 1] == last) {
					rc = netra_buf_printf(behind, "%s(?<![\\p{L}\\p{N}])%.*s%s",
							      any ? "|" : "", (int)m, v, after);
					any = 1;
				}
				v += m;
			}
			if (rc == NETRA_OK)
				rc = netra_buf_printf(behind, ")");
		}
	}
	return rc;
}

/* People call a candidate by an honorific and the first name ("Pak Frans",
 * "Bu Sitti", "Puang Andi"): {nick} is each multi-word name's first word
 * after the rule pack's {honorific}. Weaker than a full name (another
 * "Bu Kartika" is not the candidate), so rules use it in strong contexts. */
static int add_honorific_names(struct build *b, struct netra_buf *alt,
			       const struct netra_strv *names, int *first)
{
	const struct netra_define *h = netra_ruleset_define(b->e->rs, "honorific");
	struct netra_buf firsts;
	struct netra_buf behind;
	const char *r;
	int nfirst = 0;
	int rc = NETRA_OK;

	if (h == NULL)
		return NETRA_OK;
	netra_buf_init(&firsts, 1 << 16);
	netra_buf_init(&behind, 1 << 16);
	for (size_t i = 0; i < names->n && rc == NETRA_OK; i++) {
		char *norm = netra_norm_string(names->v[i], strlen(names->v[i]));
		size_t w;
		if (norm == NULL) {
			rc = NETRA_ENOMEM;
			break;
		}
		w = strcspn(norm, " \t");
		/* A first word of two letters or fewer is no name ("H.", "dr"). */
		if (norm[w] != '\0' && w > 2) {
			rc = netra_buf_printf(&firsts, "%s%.*s", nfirst ? "|" : "", (int)w, norm);
			nfirst++;
		}
		free(norm);
	}
	/* The honorifics go in a lookbehind, so that the first names (rarer
	 * than "pak" or "bu") are what the prefilter looks for. PCRE2 wants each
	 * lookbehind branch of a fixed length: that needs the define to be a
	 * plain list of words, "(?:pak|bu|...)"; otherwise it is used as is. */
	r = h->regex;
	if (rc == NETRA_OK && strncmp(r, "(?:", 3) == 0 && r[strlen(r) - 1] == ')' &&
	    strspn(r + 3, "abcdefghijklmnopqrstuvwxyz|") == strlen(r) - 4)
		rc = honorifics_behind(&behind, r + 3);
	else
		behind.len = 0;
	if (rc == NETRA_OK && nfirst > 0) {
		if (behind.len > 0)
			/* Cheap tests first: a lookahead for the first names (most
			 * places the pattern is tried at hold none), then the
			 * one-character lookbehind (a first name inside a hashtag
			 * or a longer word fails there), and only then the
			 * honorifics, by last letter. */
			rc = netra_buf_printf(alt, "%s(?=%s)(?<=[\\s.])(?:%s)(?:%s)", *first ? "" : "|",
					      netra_buf_str(&firsts), netra_buf_str(&behind),
					      netra_buf_str(&firsts));
		else
			rc = netra_buf_printf(alt, "%s(?:%s)[\\s.]+(?:%s)", *first ? "" : "|", h->regex,
					      netra_buf_str(&firsts));
		*first = 0;
	}
	netra_buf_free(&firsts);
	netra_buf_free(&behind);
	return rc;
}

/* A ticket is often called by its two first names ("Yusuf-Lina",
 * "Frans & Maria", "Yusuf dan Lina"): the first word of the first two names,
 * joined by a dash, slash, ampersand, "dan" or nothing. */
static int add_pair_names(struct netra_buf *alt, const struct netra_strv *names, int *first)
{
	char *a = NULL;
	char *b = NULL;
	size_t la;
	size_t lb;
	int rc = NETRA_OK;

	if (names->n < 2)
		return NETRA_OK;
	a = netra_norm_string(names->v[0], strlen(names->v[0]));
	b = netra_norm_string(names->v[1], strlen(names->v[1]));
	if (a == NULL || b == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	la = strcspn(a, " \t.,-");
	lb = strcspn(b, " \t.,-");
	if (la > 2 && lb > 2) {
		rc = netra_buf_printf(alt, "%s%.*s[\\s._/&+\\x{2013}\\x{2014}-]*(?:dan\\s+)?%.*s",
				      *first ? "" : "|", (int)la, a, (int)lb, b);
		*first = 0;
	}
cleanup:
	free(a);
	free(b);
	return rc;
}

/* The party names and aliases of one party reference ("PKB" or a name). */
static int add_party_ref(struct build *b, struct netra_buf *alt, const struct netra_election *el,
			 const char *ref, int *first)
{
	int rc = add_value(b, alt, ref, first);

	for (size_t i = 0; i < netra_election_nparties(el) && rc == NETRA_OK; i++) {
		const struct netra_party *p = netra_election_party(el, i);
		int same = strcmp(p->name, ref) == 0;
		for (size_t k = 0; k < p->aliases.n; k++)
			same |= strcmp(p->aliases.v[k], ref) == 0;
		if (!same)
			continue;
		rc = add_value(b, alt, p->name, first);
		if (rc == NETRA_OK)
			rc = add_strv(b, alt, &p->aliases, first);
	}
	return rc;
}

/* Expand a candidate or election placeholder into out. Returns 0, 1 if the
 * name is not a placeholder, or a negative error. */
static int expand_gazetteer(struct build *b, const char *name, int election, int number,
			    struct netra_buf *out)
{
	const struct netra_engine *e = b->e;
	const struct netra_election *el = election >= 0 ? e->elections[election] : NULL;
	const struct netra_candidate *c = el ? netra_election_candidate_by_number(el, number) : NULL;
	struct netra_buf alt;
	int first = 1;
	int rc = NETRA_OK;
	int words = 0;

	if (is_candidate_placeholder(name)) {
		b->needs_candidate = 1;
		if (c == NULL)
			return netra_buf_adds(out, "(?!)");
	} else if (strcmp(name, "anyparty") != 0 && strcmp(name, "anycand") != 0) {
		return 1;
	}
	netra_buf_init(&alt, EXPANDED_MAX);
	if (strcmp(name, "cand") == 0 || strcmp(name, "name") == 0) {
		rc = add_strv(b, &alt, &c->names, &first);
		if (rc == NETRA_OK)
			rc = add_strv(b, &alt, &c->aliases, &first);
		if (rc == NETRA_OK)
			rc = add_pair_names(&alt, &c->names, &first);
		if (rc == NETRA_OK && name[0] == 'c') {
			rc = add_strv(b, &alt, &c->hashtags, &first);
			if (rc == NETRA_OK)
				rc = add_strv(b, &alt, &c->slogans, &first);
		}
		words = 1;
	} else if (strcmp(name, "nick") == 0) {
		rc = add_honorific_names(b, &alt, &c->names, &first);
		words = 1;
	} else if (strcmp(name, "tag") == 0) {
		rc = add_strv(b, &alt, &c->hashtags, &first);
		words = 1;
	} else if (strcmp(name, "slogan") == 0) {
		rc = add_strv(b, &alt, &c->slogans, &first);
		words = 1;
	} else if (strcmp(name, "party") == 0) {
		for (size_t i = 0; i < c->parties.n && rc == NETRA_OK; i++)
			rc = add_party_ref(b, &alt, el, c->parties.v[i], &first);
		words = 1;
	} else if (strcmp(name, "anyparty") == 0) {
		for (size_t k = 0; k < e->nelections && rc == NETRA_OK; k++) {
			for (size_t i = 0; i < netra_election_nparties(e->elections[k]) && rc == NETRA_OK; i++) {
				const struct netra_party *p = netra_election_party(e->elections[k], i);
				rc = add_value(b, &alt, p->name, &first);
				if (rc == NETRA_OK)
					rc = add_strv(b, &alt, &p->aliases, &first);
			}
		}
		words = 1;
	} else if (strcmp(name, "anycand") == 0) {
		for (size_t k = 0; k < e->nelections && rc == NETRA_OK; k++) {
			for (size_t i = 0; i < netra_election_ncandidates(e->elections[k]) && rc == NETRA_OK; i++) {
				const struct netra_candidate *cc = netra_election_candidate(e->elections[k], i);
				rc = add_strv(b, &alt, &cc->names, &first);
				if (rc == NETRA_OK)
					rc = add_strv(b, &alt, &cc->aliases, &first);
				if (rc == NETRA_OK)
					rc = add_strv(b, &alt, &cc->hashtags, &first);
				if (rc == NETRA_OK)
					rc = add_strv(b, &alt, &cc->slogans, &first);
			}
		}
		words = 1;
	} else {
		/* num, digit, digit0, numword, gesture */
		int digits = strcmp(name, "num") == 0 || strcmp(name, "digit") == 0;
		int wordsok = strcmp(name, "num") == 0 || strcmp(name, "numword") == 0;
		int gest = strcmp(name, "gesture") == 0;
		if (digits) {
			rc = netra_buf_printf(&alt, "(?<![0-9])0?%d(?![0-9])", number);
			first = 0;
		} else if (strcmp(name, "digit0") == 0) {
			/* The zero-padded form only ("02"), which is rarely anything else. */
			rc = netra_buf_printf(&alt, "(?<![0-9])0%d(?![0-9])", number);
			first = 0;
		}
		for (size_t i = 0; i < e->rs->nnumwords && rc == NETRA_OK; i++) {
			const struct netra_numword *w = &e->rs->numwords[i];
			if (w->number != number || (w->gesture ? !gest : !wordsok))
				continue;
			if (w->gesture) {
				char *norm = netra_norm_string(w->word, strlen(w->word));
				if (norm == NULL) {
					rc = NETRA_ENOMEM;
					break;
				}
				if (norm[0] != '\0') {
					rc = netra_buf_printf(&alt, "%s\\Q%s\\E", first ? "" : "|", norm);
					first = 0;
				}
				free(norm);
			} else {
				rc = netra_buf_printf(&alt, "%s(?<![\\p{L}\\p{N}])", first ? "" : "|");
				first = 0;
				if (rc == NETRA_OK)
					rc = add_value(b, &alt, w->word, &(int){1});
				if (rc == NETRA_OK)
					rc = netra_buf_adds(&alt, "(?![\\p{L}\\p{N}])");
			}
		}
	}
	if (rc == NETRA_OK) {
		if (first)
			rc = netra_buf_adds(out, "(?!)");
		else if (words)
			rc = netra_buf_printf(out, "(?<![\\p{L}\\p{N}])(?:%s)(?![\\p{L}\\p{N}])",
					      netra_buf_str(&alt));
		else
			rc = netra_buf_printf(out, "(?:%s)", netra_buf_str(&alt));
	}
	netra_buf_free(&alt);
	return rc;
}

/* Expand {placeholders} in src into out. */
static int expand(struct build *b, const struct netra_rule *r, size_t line, const char *src,
		  int election, int number, struct netra_buf *out, int depth)
{
	const char *s = src;
	int rc = NETRA_OK;

	if (depth > EXPAND_DEPTH) {
		bproblem(b, r, line, "defines nest more than %d deep (a define uses itself?)",
			 EXPAND_DEPTH);
		return NETRA_EINVAL;
	}
	while (*s && rc == NETRA_OK) {
		if (*s == '\\' && s[1] != '\0') {
			rc = netra_buf_add(out, s, 2);
			s += 2;
		} else if (*s == '{' && ((s[1] >= 'a' && s[1] <= 'z') || s[1] == '_')) {
			const char *close = strchr(s, '}');
			char name[64];
			const struct netra_define *d;
			size_t n;
			if (close == NULL || (n = (size_t)(close - s - 1)) >= sizeof(name)) {
				bproblem(b, r, line, "unclosed placeholder at '%.20s'", s);
				return NETRA_EINVAL;
			}
			memcpy(name, s + 1, n);
			name[n] = '\0';
			if ((d = netra_ruleset_define(b->e->rs, name)) != NULL) {
				rc = netra_buf_adds(out, "(?:");
				if (rc == NETRA_OK)
					rc = expand(b, r, line, d->regex, election, number, out, depth + 1);
				if (rc == NETRA_OK)
					rc = netra_buf_adds(out, ")");
			} else {
				rc = expand_gazetteer(b, name, election, number, out);
				if (rc == 1) {
					bproblem(b, r, line,
						 "unknown placeholder {%s} (election placeholders: "
						 "cand, name, nick, tag, slogan, num, digit, digit0, numword, "
						 "gesture, party, anyparty, anycand; or a define)",
						 name);
					return NETRA_EINVAL;
				}
			}
			s = close + 1;
		} else {
			rc = netra_buf_add(out, s, 1);
			s++;
		}
	}
	if (rc == NETRA_ETOOBIG)
		bproblem(b, r, line, "expands to more than %d bytes", EXPANDED_MAX);
	return rc;
}

/* How every rule pattern is compiled. */
#define PATTERN_OPTIONS (PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF)

/* Find or add a distinct pattern; returns its index or -1 with a problem. */
static long intern_pattern(struct build *b, const struct netra_rule *r, size_t line,
			   const char *src)
{
	struct netra_engine *e = b->e;
	struct epattern *p;
	int errcode;
	PCRE2_SIZE erroffset;

	for (size_t i = 0; i < e->npats; i++) {
		if (strcmp(e->pats[i].src, src) == 0)
			return (long)i;
	}
	p = realloc(e->pats, (e->npats + 1) * sizeof(*p));
	if (p == NULL) {
		b->oom = 1;
		return -1;
	}
	e->pats = p;
	p = &e->pats[e->npats];
	memset(p, 0, sizeof(*p));
	p->src = netra_strdup(src);
	p->rule = r->id;
	p->file = r->file;
	if (p->src == NULL) {
		b->oom = 1;
		return -1;
	}
	p->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, PATTERN_OPTIONS, &errcode,
				&erroffset, NULL);
	if (p->code == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		bproblem(b, r, line, "PCRE2: %s at offset %zu of the expanded pattern: %.*s<<HERE>>%.40s",
			 (const char *)msg, (size_t)erroffset, (int)(erroffset > 60 ? 60 : erroffset),
			 src + (erroffset > 60 ? erroffset - 60 : 0), src + erroffset);
		free(p->src);
		return -1;
	}
	p->jit = pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE) == 0;
	return (long)e->npats++;
}

static int build_instance(struct build *b, size_t ri, int election, int number)
{
	struct netra_engine *e = b->e;
	const struct netra_rule *r = &e->rs->rules[ri];
	struct einstance *in;
	struct netra_buf src;
	int rc = NETRA_OK;

	in = realloc(e->inst, (e->ninst + 1) * sizeof(*in));
	if (in == NULL)
		return NETRA_ENOMEM;
	e->inst = in;
	in = &e->inst[e->ninst];
	memset(in, 0, sizeof(*in));
	in->rule = r;
	in->rule_index = ri;
	in->election = election;
	in->number = number;
	in->pat = calloc(r->npatterns, sizeof(size_t));
	if (in->pat == NULL)
		return NETRA_ENOMEM;
	e->ninst++;
	netra_buf_init(&src, EXPANDED_MAX);
	for (size_t i = 0; i < r->npatterns && rc == NETRA_OK; i++) {
		long idx;
		netra_buf_reset(&src);
		rc = expand(b, r, r->patterns[i].line, r->patterns[i].regex, election, number, &src, 0);
		if (rc != NETRA_OK)
			break;
		idx = intern_pattern(b, r, r->patterns[i].line, netra_buf_str(&src));
		if (idx < 0) {
			rc = b->oom ? NETRA_ENOMEM : NETRA_EINVAL;
			break;
		}
		in->pat[i] = (size_t)idx;
	}
	if (rc == NETRA_OK && r->nprefilter > 0) {
		in->lits = calloc(r->nprefilter, sizeof(size_t));
		if (in->lits == NULL)
			rc = NETRA_ENOMEM;
		for (size_t i = 0; i < r->nprefilter && rc == NETRA_OK; i++) {
			char *norm = netra_norm_string(r->prefilter[i], strlen(r->prefilter[i]));
			char **slot;
			size_t k;
			if (norm == NULL) {
				rc = NETRA_ENOMEM;
				break;
			}
			for (k = 0; k < b->nlit_src && strcmp(b->lit_src[k], norm) != 0; k++)
				;
			if (k == b->nlit_src) {
				slot = realloc(b->lit_src, (b->nlit_src + 1) * sizeof(*slot));
				if (slot == NULL) {
					free(norm);
					rc = NETRA_ENOMEM;
					break;
				}
				b->lit_src = slot;
				b->lit_src[b->nlit_src++] = norm;
			} else {
				free(norm);
			}
			in->lits[in->nlits++] = k;
		}
	}
	netra_buf_free(&src);
	return rc;
}

/* One (pattern, literal) entry, for sorting. */
struct lit_entry {
	const char *s; /* the literal */
	size_t len;    /* its length */
	size_t idx;    /* the entry's index */
};

/* Entries in order of their bytes, then of their index. */
static int cmp_entry(const void *a, const void *b)
{
	const struct lit_entry *x = a;
	const struct lit_entry *y = b;
	int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Each pattern's leading literals (distinct literal ids), so that the
 * places a pattern can start are gathered from its literals' places only
 * when the pattern runs: the lazy ones first (lead_nlazy of them), then
 * those the prefilter reports. Implied literals (never reported, their
 * places are a shorter one's) are left out. */
static int index_leading(struct netra_engine *e, const unsigned char *implied)
{
	size_t total = 0;
	size_t *fill;

	e->lead_first = calloc(e->npats + 1, sizeof(size_t));
	e->lead_count = calloc(e->npats + 1, sizeof(size_t));
	e->lead_nlazy = calloc(e->npats + 1, sizeof(size_t));
	for (size_t i = 0; i < e->ndlits; i++) {
		for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++)
			total += (e->tgt_kind[t] & LIT_LEAD) != 0 && e->tgt_pat[t] < e->npats;
	}
	e->lead_lits = calloc(total + 1, sizeof(size_t));
	fill = calloc(e->npats + 1, sizeof(size_t));
	if (e->lead_first == NULL || e->lead_count == NULL || e->lead_nlazy == NULL ||
	    e->lead_lits == NULL || fill == NULL) {
		free(fill);
		return NETRA_ENOMEM;
	}
	for (size_t i = 0; i < e->ndlits; i++) {
		for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++) {
			size_t p = e->tgt_pat[t];
			if ((e->tgt_kind[t] & LIT_LEAD) && p < e->npats && !implied[i]) {
				e->lead_count[p]++;
				e->lead_nlazy[p] += e->lit_lazy[i] != NULL;
			}
		}
	}
	for (size_t p = 1; p < e->npats; p++)
		e->lead_first[p] = e->lead_first[p - 1] + e->lead_count[p - 1];
	for (int lazy = 1; lazy >= 0; lazy--) {
		for (size_t i = 0; i < e->ndlits; i++) {
			if (implied[i] || (e->lit_lazy[i] != NULL) != lazy)
				continue;
			for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++) {
				size_t p = e->tgt_pat[t];
				if ((e->tgt_kind[t] & LIT_LEAD) && p < e->npats)
					e->lead_lits[e->lead_first[p] + fill[p]++] = i;
			}
		}
	}
	free(fill);
	/* And each literal's required targets, in one array. */
	total = 0;
	for (size_t i = 0; i < e->ndlits; i++) {
		for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++)
			total += (e->tgt_kind[t] & LIT_REQ) != 0;
	}
	e->req_first = calloc(e->ndlits + 1, sizeof(uint32_t));
	e->req_pat = calloc(total + 1, sizeof(uint32_t));
	if (e->req_first == NULL || e->req_pat == NULL)
		return NETRA_ENOMEM;
	total = 0;
	for (size_t i = 0; i < e->ndlits; i++) {
		e->req_first[i] = (uint32_t)total;
		for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++) {
			if (e->tgt_kind[t] & LIT_REQ)
				e->req_pat[total++] = (uint32_t)e->tgt_pat[t];
		}
	}
	e->req_first[e->ndlits] = (uint32_t)total;
	e->seen_words = (e->npats + e->nlits + 64) / 64;
	e->req_bits = calloc((e->ndlits + 1) * e->seen_words, sizeof(uint64_t));
	if (e->req_bits == NULL)
		return NETRA_ENOMEM;
	for (size_t i = 0; i < e->ndlits; i++) {
		for (uint32_t t = e->req_first[i]; t < e->req_first[i + 1]; t++) {
			uint32_t p = e->req_pat[t];
			e->req_bits[i * e->seen_words + p / 64] |= UINT64_C(1) << (p % 64);
		}
	}
	return NETRA_OK;
}

/* Is b[0..nb) inside a[0..na)? */
static int contains(const char *a, size_t na, const char *b, size_t nb)
{
	for (size_t k = 0; k + nb <= na; k++) {
		if (a[k] == b[0] && memcmp(a + k, b, nb) == 0)
			return 1;
	}
	return 0;
}

/* Does distinct literal j have target pattern p with all of kind's bits? */
static int has_target(const struct netra_engine *e, size_t j, size_t p, unsigned kind)
{
	for (size_t t = e->lit_first[j]; t < e->lit_first[j] + e->lit_count[j]; t++) {
		if (e->tgt_pat[t] == p && (e->tgt_kind[t] & kind) == kind)
			return 1;
	}
	return 0;
}

/* Is distinct literal i never needed in the prefilter? So when, for each
 * pattern it serves, a shorter literal serving the same pattern is always
 * seen with it: contained in it (a required literal: seeing i means seeing
 * that one, in the same field) or starting it (a leading literal: the same
 * places). "prabowogibran2024" then adds nothing to "prabowo". */
static int literal_implied(const struct netra_engine *e, const char *const *ex,
			   const size_t *ln, size_t d, size_t i)
{
	for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++) {
		size_t p = e->tgt_pat[t];
		int need_req = (e->tgt_kind[t] & LIT_REQ) != 0;
		int need_lead = (e->tgt_kind[t] & LIT_LEAD) != 0;
		for (size_t j = 0; j < d && (need_req || need_lead); j++) {
			if (ln[j] >= ln[i] || ln[j] == 0)
				continue;
			if (need_lead && memcmp(ex[i], ex[j], ln[j]) == 0 && has_target(e, j, p, LIT_LEAD))
				need_lead = 0;
			if (need_req && contains(ex[i], ln[i], ex[j], ln[j]) &&
			    has_target(e, j, p, LIT_REQ))
				need_req = 0;
		}
		if (need_req || need_lead)
			return 0;
	}
	return 1;
}

/* Many patterns share a literal (every rule naming a candidate has the
 * candidate's names): give Vectorscan each literal once, so that one
 * occurrence is one callback, which then visits every pattern ("target")
 * the literal belongs to. On entry the m entries are one per (pattern,
 * literal) with tgt_pat, tgt_kind and lit_len by entry; on return they are
 * the distinct literals, with their targets grouped in tgt_pat and
 * tgt_kind, and *m their number. */
static int group_literals(struct netra_engine *e, const char **exprs, size_t *lens,
			  unsigned *flags, unsigned *ids, size_t *m)
{
	size_t n = *m;
	struct lit_entry *order = calloc(n + 1, sizeof(*order));
	size_t *tp = calloc(n + 1, sizeof(*tp));
	unsigned char *tk = calloc(n + 1, 1);
	const char **ex = calloc(n + 1, sizeof(*ex));
	size_t *ln = calloc(n + 1, sizeof(*ln));
	unsigned char *implied = NULL; /* per distinct literal: never seen */
	size_t d = 0;
	int rc = NETRA_OK;

	e->lit_first = calloc(n + 1, sizeof(*e->lit_first));
	e->lit_count = calloc(n + 1, sizeof(*e->lit_count));
	e->lit_lead = calloc(n + 1, 1);
	e->lit_lazy = calloc(n + 1, sizeof(*e->lit_lazy));
	implied = calloc(n + 1, 1);
	if (order == NULL || tp == NULL || tk == NULL || ex == NULL || ln == NULL || implied == NULL ||
	    e->lit_first == NULL || e->lit_count == NULL || e->lit_lead == NULL ||
	    e->lit_lazy == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (struct lit_entry){exprs[i], lens[i], i};
	qsort(order, n, sizeof(*order), cmp_entry);
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k].idx;
		if (k == 0 || lens[i] != ln[d - 1] || memcmp(exprs[i], ex[d - 1], lens[i]) != 0) {
			ex[d] = exprs[i];
			ln[d] = lens[i];
			e->lit_first[d] = k;
			d++;
		}
		e->lit_count[d - 1]++;
		tp[k] = e->tgt_pat[i];
		tk[k] = e->tgt_kind[i];
	}
	memcpy(e->tgt_pat, tp, n * sizeof(*tp));
	memcpy(e->tgt_kind, tk, n);
	for (size_t i = 0, w = 0; i < d; i++) {
		int lead = 0;
		int lead_only = 1;
		for (size_t t = e->lit_first[i]; t < e->lit_first[i] + e->lit_count[i]; t++) {
			lead |= (tk[t] & LIT_LEAD) != 0;
			lead_only &= tk[t] == LIT_LEAD && tp[t] < e->npats;
		}
		e->lit_len[i] = ln[i];
		e->lit_lead[i] = (unsigned char)lead;
		if (literal_implied(e, ex, ln, d, i)) {
			implied[i] = 1;
			continue; /* never needed: a shorter literal says the same */
		}
		if (lead_only && ln[i] == LAZY_LEN) {
			/* Short, and only a place to confirm at: "ga", "di" and
			 * "ke" would report all over a post, for patterns that
			 * seldom run. gather_positions() finds them instead,
			 * when a pattern they lead runs. */
			e->lit_lazy[i] = strndup(ex[i], ln[i]);
			if (e->lit_lazy[i] == NULL) {
				rc = NETRA_ENOMEM;
				goto cleanup;
			}
			continue;
		}
		exprs[w] = ex[i];
		lens[w] = ln[i];
		ids[w] = (unsigned)i;
		/* Leading literals report every occurrence (each is a place to
		 * confirm); required ones only need to be seen once. The text is
		 * case-folded already, and so are the literals. */
		flags[w] = lead ? 0 : HS_FLAG_SINGLEMATCH;
		*m = ++w;
	}
	e->ndlits = d;
	rc = index_leading(e, implied);
cleanup:
	free(implied);
	free(order);
	free(tp);
	free(tk);
	free(ex);
	free(ln);
	return rc;
}

/* A pattern whose matches all start with a literal is confirmed where the
 * prefilter saw one, anchored there (not right after a letter or digit when
 * it starts at a word: word_start). The JIT ignores PCRE2_ANCHORED given
 * at match time (it would search on to the end of the field from each
 * place), so such patterns get a second, anchored compilation. */
static int compile_anchored(struct netra_engine *e)
{
	for (size_t i = 0; i < e->npats; i++) {
		struct epattern *p = &e->pats[i];
		int errcode;
		PCRE2_SIZE erroffset;
		if (!p->leading)
			continue;
		p->word_start = netra_atoms_starts_after_boundary(p->src);
		p->anch = pcre2_compile((PCRE2_SPTR)p->src, PCRE2_ZERO_TERMINATED,
					PATTERN_OPTIONS | PCRE2_ANCHORED, &errcode, &erroffset, NULL);
		if (p->anch == NULL) {
			if (errcode == PCRE2_ERROR_NOMEMORY)
				return NETRA_ENOMEM;
			p->leading = 0; /* compiled once already: cannot happen */
			continue;
		}
		p->anch_jit = pcre2_jit_compile(p->anch, PCRE2_JIT_COMPLETE) == 0;
	}
	return NETRA_OK;
}

/* Can the condition hold, to the prefilter's approximation, with no
 * literal seen at all (patterns that always run, negations)? */
static int holds_unseen(const struct netra_engine *e, const struct einstance *in,
			const struct netra_cond *c)
{
	switch (c->op) {
	case NETRA_C_PAT:
		return e->pats[in->pat[c->pat]].always;
	case NETRA_C_NEAR:
		return e->pats[in->pat[c->pat]].always && e->pats[in->pat[c->pat2]].always;
	case NETRA_C_NOT:
		return 1;
	case NETRA_C_AND:
		return holds_unseen(e, in, c->a) && holds_unseen(e, in, c->b);
	case NETRA_C_OR:
		return holds_unseen(e, in, c->a) || holds_unseen(e, in, c->b);
	}
	return 1;
}

/* Is every pattern of clause a also in b (a says at least as much)? */
static int clause_within(const struct clause *a, const struct clause *b)
{
	for (size_t i = 0; i < a->n; i++) {
		size_t j;
		for (j = 0; j < b->n && b->pat[j] != a->pat[i]; j++)
			;
		if (j == b->n)
			return 0;
	}
	return 1;
}

/* Add clause k to the gate, unless a clause already there says as much;
 * clauses k says more than go. A full gate keeps what it has: a weaker
 * test, never a wrong one. */
static void gate_add(struct gate *g, const struct clause *k)
{
	size_t w = 0;

	for (size_t i = 0; i < g->n; i++) {
		if (clause_within(&g->c[i], k))
			return;
	}
	for (size_t i = 0; i < g->n; i++) {
		if (!clause_within(k, &g->c[i]))
			g->c[w++] = g->c[i];
	}
	g->n = w;
	if (g->n < GATE_CLAUSES)
		g->c[g->n++] = *k;
}

/* The clause "pattern p is seen"; none for a pattern that runs on every
 * post (it holds without a literal). */
static void gate_add_pattern(const struct netra_engine *e, struct gate *g, size_t p)
{
	struct clause k = {{p}, 1};

	if (!e->pats[p].always)
		gate_add(g, &k);
}

/* The gate of condition c, in conjunctive form: a pattern is one clause, a
 * "near" two, an "and" the clauses of both sides, an "or" the union of each
 * clause of one side with each of the other, a "not" none (it may hold with
 * nothing seen). Clauses too long to keep are left out. */
static void gate_of(const struct netra_engine *e, const struct einstance *in,
		    const struct netra_cond *c, struct gate *g)
{
	g->n = 0;
	switch (c->op) {
	case NETRA_C_PAT:
		gate_add_pattern(e, g, in->pat[c->pat]);
		break;
	case NETRA_C_NEAR:
		gate_add_pattern(e, g, in->pat[c->pat]);
		gate_add_pattern(e, g, in->pat[c->pat2]);
		break;
	case NETRA_C_AND: {
		struct gate b;
		gate_of(e, in, c->a, g);
		gate_of(e, in, c->b, &b);
		for (size_t j = 0; j < b.n; j++)
			gate_add(g, &b.c[j]);
		break;
	}
	case NETRA_C_OR: {
		struct gate a;
		struct gate b;
		gate_of(e, in, c->a, &a);
		gate_of(e, in, c->b, &b);
		for (size_t i = 0; i < a.n; i++) {
			for (size_t j = 0; j < b.n; j++) {
				struct clause k = a.c[i];
				int fits = 1;
				for (size_t q = 0; q < b.c[j].n && fits; q++) {
					struct clause one = {{b.c[j].pat[q]}, 1};
					if (clause_within(&one, &k))
						continue;
					if (k.n == CLAUSE_PATS)
						fits = 0;
					else
						k.pat[k.n++] = b.c[j].pat[q];
				}
				if (fits)
					gate_add(g, &k);
			}
		}
		break;
	}
	case NETRA_C_NOT:
		break;
	}
}

/* Which instances a post's literals can make candidates: an instance needs
 * a look only when one of its patterns' (or its override's) literals was
 * seen, or when it can hold without any. This spares visiting all of them
 * on every post; instance_holds() still decides. */
static void mark_instance(uint64_t *set, size_t i)
{
	set[i / 64] |= (uint64_t)1 << (i % 64);
}

/* A gate's clauses, the one most likely to be rare first: fewest literals
 * between its patterns first (a candidate's names and hashtags are many and
 * common; "jari" or "salam" are two). */
static void order_clauses(struct gate *g, const size_t *nreq)
{
	size_t n[GATE_CLAUSES];

	for (size_t i = 0; i < g->n; i++) {
		n[i] = 0;
		for (size_t j = 0; j < g->c[i].n; j++)
			n[i] += nreq[g->c[i].pat[j]];
	}
	/* Fewest literals first; equal ones keep their order. */
	for (size_t i = 1; i < g->n; i++) {
		for (size_t k = i; k > 0 && n[k - 1] > n[k]; k--) {
			struct clause c = g->c[k];
			size_t t = n[k];
			g->c[k] = g->c[k - 1];
			n[k] = n[k - 1];
			g->c[k - 1] = c;
			n[k - 1] = t;
		}
	}
}

static int build_instance_index(struct netra_engine *e)
{
	size_t ids = e->npats + e->nlits + 1;
	/* Per pattern (or npats + override literal): the instances it is in;
	 * folded into lit_inst, by literal, at the end. */
	uint64_t *inst_of = NULL;
	size_t *nreq = NULL; /* per pattern: how many literals make it a candidate */
	int rc = NETRA_OK;

	e->inst_words = e->ninst > 0 ? (e->ninst + 63) / 64 : 1;
	inst_of = calloc(ids * e->inst_words, sizeof(uint64_t));
	nreq = calloc(ids, sizeof(*nreq));
	if (nreq == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < e->ndlits; i++) {
		for (uint32_t t = e->req_first[i]; t < e->req_first[i + 1]; t++)
			nreq[e->req_pat[t]]++;
	}
	e->inst_always = calloc(e->inst_words, sizeof(uint64_t));
	e->inst_pass[0] = calloc(e->inst_words, sizeof(uint64_t));
	e->inst_pass[1] = calloc(e->inst_words, sizeof(uint64_t));
	e->lit_inst = calloc((e->ndlits + 1) * e->inst_words, sizeof(uint64_t));
	if (inst_of == NULL || e->inst_always == NULL || e->inst_pass[0] == NULL ||
	    e->inst_pass[1] == NULL || e->lit_inst == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < e->ninst; i++) {
		const struct einstance *in = &e->inst[i];
		int unseen;
		mark_instance(e->inst_pass[in->rule->kind == NETRA_RULE_SUPPRESS], i);
		if (in->nlits > 0) {
			for (size_t k = 0; k < in->nlits; k++)
				mark_instance(&inst_of[(e->npats + in->lits[k]) * e->inst_words], i);
			continue;
		}
		unseen = holds_unseen(e, in, in->rule->cond);
		if (unseen)
			mark_instance(e->inst_always, i);
		gate_of(e, in, in->rule->cond, &e->inst[i].gate);
		order_clauses(&e->inst[i].gate, nreq);
		if (in->gate.n > 0) {
			/* It cannot hold unless one pattern of each clause was
			 * seen: a look is due only when one of the rarest
			 * clause's was, and the look then tests the others. */
			const struct clause *k = &in->gate.c[0];
			for (size_t j = 0; j < k->n; j++)
				mark_instance(&inst_of[k->pat[j] * e->inst_words], i);
			e->inst[i].gate_from = unseen ? 0 : 1;
			continue;
		}
		for (size_t k = 0; k < in->rule->npatterns; k++)
			mark_instance(&inst_of[in->pat[k] * e->inst_words], i);
	}
	/* By literal: the instances its sight may start, so that the
	 * prefilter's callback gathers them as literals arrive. */
	for (size_t i = 0; i < e->ndlits; i++) {
		for (uint32_t t = e->req_first[i]; t < e->req_first[i + 1]; t++) {
			const uint64_t *of = &inst_of[e->req_pat[t] * e->inst_words];
			for (size_t w = 0; w < e->inst_words; w++)
				e->lit_inst[i * e->inst_words + w] |= of[w];
		}
	}
cleanup:
	free(inst_of);
	free(nreq);
	return rc;
}

/* Leading literals of one byte would report places all over a post through
 * Vectorscan: they move from lead into the pattern's lead_bytes, whose
 * places gather_positions() finds by scanning the field, only when the
 * pattern runs. Returns -1 when they are too common to be worth it (more
 * than LEAD_BYTES_MAX ASCII bytes: the pattern then searches the field, and
 * lead keeps them so the caller drops it). */
static int split_lead_bytes(struct epattern *p, struct netra_atoms *lead)
{
	size_t w = 0;
	size_t ascii = 0;

	for (size_t k = 0; k < lead->n; k++)
		ascii += lead->len[k] == 1 && (unsigned char)lead->s[k][0] < 0x80;
	if (ascii > LEAD_BYTES_MAX)
		return -1;
	for (size_t k = 0; k < lead->n; k++) {
		if (lead->len[k] == 1) {
			unsigned char c = (unsigned char)lead->s[k][0];
			p->lead_bytes[c >> 6] |= UINT64_C(1) << (c & 63);
			p->has_lead_bytes = 1;
			free(lead->s[k]);
			continue;
		}
		lead->s[w] = lead->s[k];
		lead->len[w] = lead->len[k];
		w++;
	}
	lead->n = w;
	return 0;
}

/* Compile the prefilter: the required literals ("atoms") of every pattern,
 * and the rules' literal overrides, in one Vectorscan literal database. A
 * pattern with no atom runs on every post and is reported as slow. */
static int build_prefilter(struct build *b)
{
	struct netra_engine *e = b->e;
	const char **exprs = NULL;
	size_t *lens = NULL;
	unsigned *flags = NULL;
	unsigned *ids = NULL;
	struct netra_atoms *req = NULL;
	struct netra_atoms *lead = NULL;
	size_t m = 0;
	size_t cap = 0;
	int rc = NETRA_OK;
	hs_compile_error_t *cerr = NULL;

	req = calloc(e->npats + 1, sizeof(*req));
	lead = calloc(e->npats + 1, sizeof(*lead));
	if (req == NULL || lead == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < e->npats; i++) {
		int r = netra_atoms_extract(e->pats[i].src, &req[i], &lead[i]);
		if (r == -2) {
			rc = NETRA_ENOMEM;
			goto cleanup;
		}
		if (r != 0) {
			e->pats[i].always = 1;
			if (b->warnings != NULL)
				(void)netra_buf_printf(b->warnings,
						       "%s: rule %s: slow pattern: no required literal, so it "
						       "runs on every post (add a literal, or a prefilter "
						       "line)\n",
						       e->pats[i].file, e->pats[i].rule);
		}
		if (split_lead_bytes(&e->pats[i], &lead[i]) != 0)
			netra_atoms_free(&lead[i]);
		e->pats[i].leading = lead[i].n > 0 || e->pats[i].has_lead_bytes;
		cap += req[i].n + lead[i].n;
	}
	cap += b->nlit_src;
	e->tgt_pat = calloc(cap + 1, sizeof(*e->tgt_pat));
	e->lit_len = calloc(cap + 1, sizeof(*e->lit_len));
	e->tgt_kind = calloc(cap + 1, 1);
	exprs = calloc(cap + 1, sizeof(*exprs));
	lens = calloc(cap + 1, sizeof(*lens));
	flags = calloc(cap + 1, sizeof(*flags));
	ids = calloc(cap + 1, sizeof(*ids));
	if (e->tgt_pat == NULL || e->lit_len == NULL || e->tgt_kind == NULL || exprs == NULL ||
	    lens == NULL || flags == NULL || ids == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < e->npats; i++) {
		size_t first = m;
		for (int kind = LIT_REQ; kind <= LIT_LEAD; kind <<= 1) {
			const struct netra_atoms *a = kind == LIT_REQ ? &req[i] : &lead[i];
			for (size_t k = 0; k < a->n; k++) {
				size_t j;
				/* The same literal in both sets is one entry with both kinds. */
				for (j = first; j < m; j++) {
					if (lens[j] == a->len[k] && memcmp(exprs[j], a->s[k], lens[j]) == 0)
						break;
				}
				if (j == m) {
					exprs[m] = a->s[k];
					lens[m] = a->len[k];
					e->tgt_pat[m] = i;
					e->lit_len[m] = a->len[k];
					m++;
				}
				e->tgt_kind[j] |= (unsigned char)kind;
			}
		}
	}
	for (size_t i = 0; i < b->nlit_src; i++) {
		exprs[m] = b->lit_src[i];
		lens[m] = strlen(b->lit_src[i]);
		e->tgt_pat[m] = e->npats + i;
		e->lit_len[m] = lens[m];
		e->tgt_kind[m] = LIT_REQ;
		m++;
	}
	e->nlits = b->nlit_src;
	if ((rc = group_literals(e, exprs, lens, flags, ids, &m)) != NETRA_OK)
		goto cleanup;
	if (m > 0 && hs_compile_lit_multi(exprs, flags, ids, lens, (unsigned)m, HS_MODE_BLOCK, NULL,
					  &e->db, &cerr) != HS_SUCCESS) {
		(void)netra_buf_printf(b->problems, "prefilter: Vectorscan could not compile the literals: %s\n",
				       cerr ? cerr->message : "?");
		b->nproblems++;
		hs_free_compile_error(cerr);
		rc = NETRA_EINVAL;
	}
cleanup:
	for (size_t i = 0; i < e->npats && req != NULL && lead != NULL; i++) {
		netra_atoms_free(&req[i]);
		netra_atoms_free(&lead[i]);
	}
	free(req);
	free(lead);
	free(exprs);
	free(lens);
	free(flags);
	free(ids);
	return rc;
}

/* Words of an election's name and id that say where it is ("Jakarta",
 * "Lembahhijau"), for telling elections apart when a post only gives a
 * ballot number that several elections share. */
static int is_generic_word(const char *w)
{
	static const char *const generic[] = {
		"pemilihan", "pemilu", "pilkada", "pilwalkot", "pilbup", "pilgub", "pilpres",
		"pileg", "gubernur", "wakil", "bupati", "wali", "walikota", "kota", "kabupaten",
		"kab", "provinsi", "prov", "daerah", "khusus", "istimewa", "dan", "presiden",
		"dewan", "perwakilan", "rakyat", "umum", "serentak", "tahun", "calon", "anggota",
		"legislatif", "test", "rule", "examples", "pemerintah"};

	if (strlen(w) < 3)
		return 1;
	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++) {
		if (strcmp(w, generic[i]) == 0)
			return 1;
	}
	for (const char *c = w; *c; c++) {
		if (*c < '0' || *c > '9')
			return 0;
	}
	return 1;
}

static int build_places(struct netra_engine *e)
{
	e->place = calloc(e->nelections + 1, sizeof(*e->place));
	if (e->place == NULL)
		return NETRA_ENOMEM;
	for (size_t k = 0; k < e->nelections; k++) {
		struct netra_buf alt;
		int first = 1;
		int rc = NETRA_OK;
		const char *srcs[2] = {netra_election_name(e->elections[k]),
				       netra_election_id(e->elections[k])};
		netra_buf_init(&alt, 1 << 16);
		for (int which = 0; which < 2 && rc == NETRA_OK; which++) {
			char *norm = netra_norm_string(srcs[which], strlen(srcs[which]));
			char *save = NULL;
			char *tok;
			if (norm == NULL) {
				rc = NETRA_ENOMEM;
				break;
			}
			for (tok = strtok_r(norm, " -_.,()/", &save); tok && rc == NETRA_OK;
			     tok = strtok_r(NULL, " -_.,()/", &save)) {
				int plain = 1;
				for (const char *c = tok; *c; c++)
					plain &= (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9');
				if (!plain || is_generic_word(tok))
					continue;
				rc = netra_buf_printf(&alt, "%s%s", first ? "" : "|", tok);
				first = 0;
			}
			free(norm);
		}
		if (rc == NETRA_OK && !first) {
			struct netra_buf re;
			int errcode;
			PCRE2_SIZE erroffset;
			netra_buf_init(&re, 1 << 17);
			rc = netra_buf_printf(&re, "(?<![a-z0-9])(?:%s)(?![a-z0-9])", netra_buf_str(&alt));
			if (rc == NETRA_OK) {
				e->place[k] = pcre2_compile((PCRE2_SPTR)re.data, PCRE2_ZERO_TERMINATED,
							    PCRE2_UTF | PCRE2_CASELESS, &errcode, &erroffset, NULL);
				if (e->place[k] != NULL)
					(void)pcre2_jit_compile(e->place[k], PCRE2_JIT_COMPLETE);
			}
			netra_buf_free(&re);
		}
		netra_buf_free(&alt);
		if (rc != NETRA_OK)
			return rc;
	}
	return NETRA_OK;
}

int netra_engine_new(const struct netra_ruleset *rs, struct netra_election *const *elections,
		     size_t nelections, const struct netra_watchlist *wl,
		     const struct netra_engine_options *opt, struct netra_engine **out,
		     struct netra_buf *problems, struct netra_buf *warnings)
{
	struct build b;
	struct netra_engine *e;
	struct netra_buf tmp;
	int rc = NETRA_OK;

	*out = NULL;
	memset(&b, 0, sizeof(b));
	netra_buf_init(&tmp, EXPANDED_MAX);
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		return NETRA_ENOMEM;
	e->rs = rs;
	e->elections = elections;
	e->nelections = nelections;
	e->wl = wl;
	e->opt = *opt;
	b.e = e;
	b.problems = problems;
	b.warnings = warnings;
	for (size_t ri = 0; ri < rs->nrules && rc != NETRA_ENOMEM; ri++) {
		const struct netra_rule *r = &rs->rules[ri];
		int per_candidate = 0;
		if (r->status == NETRA_STATUS_DEPRECATED)
			continue;
		/* Does any pattern use a candidate placeholder? */
		for (size_t i = 0; i < r->npatterns; i++) {
			b.needs_candidate = 0;
			netra_buf_reset(&tmp);
			if (expand(&b, r, r->patterns[i].line, r->patterns[i].regex, -1, 0, &tmp, 0) != NETRA_OK)
				break;
			per_candidate |= b.needs_candidate;
		}
		if (b.nproblems > 0)
			continue;
		if (!per_candidate) {
			rc = build_instance(&b, ri, -1, 0);
			continue;
		}
		for (size_t k = 0; k < nelections && rc != NETRA_ENOMEM; k++) {
			for (size_t c = 0; c < netra_election_ncandidates(elections[k]); c++) {
				rc = build_instance(&b, ri, (int)k,
						    netra_election_candidate(elections[k], c)->number);
				if (rc != NETRA_OK)
					break;
			}
		}
	}
	/* The gazetteer: each candidate's names, aliases, hashtags and slogans,
	 * and (weaker, looked for only to break a tie) its ballot number named
	 * as such ("paslon 3", "nomor urut 03"; a bare digit is no mention)
	 * and {nick} ("Pak Frans"), used to say whom a flagged post favours. */
	for (size_t k = 0; k < nelections && rc == NETRA_OK && b.nproblems == 0; k++) {
		for (size_t c = 0; c < netra_election_ncandidates(elections[k]) && rc == NETRA_OK; c++) {
			int number = netra_election_candidate(elections[k], c)->number;
			static const struct netra_rule gaz_rule = {.id = (char *)"gazetteer",
								   .file = (char *)"(election)"};
			for (int kind = 0; kind < 3 && rc == NETRA_OK; kind++) {
				long idx;
				size_t *g;
				int *ge;
				int *gn;
				double *gw;
				netra_buf_reset(&tmp);
				if (kind == 0)
					rc = expand_gazetteer(&b, "cand", (int)k, number, &tmp);
				else if (kind == 2)
					rc = expand_gazetteer(&b, "nick", (int)k, number, &tmp);
				else
					rc = netra_buf_printf(&tmp,
							      "(?<![\\p{L}\\p{N}])(?:paslon|pasangan\\s+calon|"
							      "calon|nomor\\s+urut|no\\.?\\s*urut|nomor|nomer|no\\.?)"
							      "\\s*0?%d(?![0-9])",
							      number);
				if (rc != NETRA_OK)
					break;
				idx = intern_pattern(&b, &gaz_rule, 0, netra_buf_str(&tmp));
				if (idx < 0) {
					rc = b.oom ? NETRA_ENOMEM : NETRA_EINVAL;
					break;
				}
				g = realloc(e->gaz, (e->ngaz + 1) * sizeof(*g));
				if (g != NULL)
					e->gaz = g;
				ge = realloc(e->gaz_election, (e->ngaz + 1) * sizeof(*ge));
				if (ge != NULL)
					e->gaz_election = ge;
				gn = realloc(e->gaz_number, (e->ngaz + 1) * sizeof(*gn));
				if (gn != NULL)
					e->gaz_number = gn;
				gw = realloc(e->gaz_weight, (e->ngaz + 1) * sizeof(*gw));
				if (gw != NULL)
					e->gaz_weight = gw;
				if (g == NULL || ge == NULL || gn == NULL || gw == NULL) {
					rc = NETRA_ENOMEM;
					break;
				}
				e->gaz[e->ngaz] = (size_t)idx;
				e->gaz_election[e->ngaz] = (int)k;
				e->gaz_number[e->ngaz] = number;
				e->gaz_weight[e->ngaz] = kind == 0 ? 0.25 : 0.15;
				e->ngaz++;
			}
		}
	}
	if (rc == NETRA_OK && b.nproblems == 0)
		rc = build_places(e);
	if (rc == NETRA_OK && b.nproblems == 0 && !b.oom)
		rc = build_prefilter(&b);
	if (rc == NETRA_OK && b.nproblems == 0 && !b.oom)
		rc = build_instance_index(e);
	if (rc == NETRA_OK && b.nproblems == 0 && !b.oom)
		rc = compile_anchored(e);
	if (rc == NETRA_OK && (e->filtered = calloc(e->npats + 1, 1)) == NULL)
		rc = NETRA_ENOMEM;
	for (size_t i = 0; rc == NETRA_OK && i < e->npats && e->db != NULL && !e->opt.naive; i++)
		e->filtered[i] = !e->pats[i].always;
	if (b.oom)
		rc = NETRA_ENOMEM;
	if (rc == NETRA_OK && b.nproblems > 0)
		rc = NETRA_EINVAL;
	if (rc != NETRA_OK && rc != NETRA_ENOMEM)
		rc = NETRA_EINVAL;
	for (size_t i = 0; i < b.nlit_src; i++)
		free(b.lit_src[i]);
	free(b.lit_src);
	netra_buf_free(&tmp);
	if (rc != NETRA_OK) {
		netra_engine_destroy(&e);
		return rc;
	}
	*out = e;
	return NETRA_OK;
}

void netra_engine_destroy(struct netra_engine **ep)
{
	struct netra_engine *e;

	if (ep == NULL || *ep == NULL)
		return;
	e = *ep;
	for (size_t i = 0; i < e->npats; i++) {
		free(e->pats[i].src);
		pcre2_code_free(e->pats[i].code);
		pcre2_code_free(e->pats[i].anch);
	}
	free(e->pats);
	free(e->filtered);
	for (size_t i = 0; i < e->ninst; i++) {
		free(e->inst[i].pat);
		free(e->inst[i].lits);
	}
	free(e->inst);
	free(e->gaz);
	free(e->gaz_election);
	free(e->gaz_number);
	free(e->gaz_weight);
	for (size_t k = 0; e->place != NULL && k < e->nelections; k++)
		pcre2_code_free(e->place[k]);
	free(e->place);
	hs_free_database(e->db);
	free(e->inst_always);
	free(e->lit_inst);
	free(e->inst_pass[0]);
	free(e->inst_pass[1]);
	free(e->lit_lead);
	for (size_t i = 0; e->lit_lazy != NULL && i < e->ndlits; i++)
		free(e->lit_lazy[i]);
	free(e->lit_lazy);
	free(e->lead_first);
	free(e->lead_count);
	free(e->lead_nlazy);
	free(e->lead_lits);
	free(e->req_bits);
	free(e->req_first);
	free(e->req_pat);
	free(e->lit_first);
	free(e->lit_count);
	free(e->lit_len);
	free(e->tgt_pat);
	free(e->tgt_kind);
	free(e);
	*ep = NULL;
}

size_t netra_engine_npatterns(const struct netra_engine *e)
{
	return e->npats;
}

size_t netra_engine_ninstances(const struct netra_engine *e)
{
	return e->ninst;
}

int netra_engine_dump(const struct netra_engine *e, struct netra_buf *out)
{
	int rc = NETRA_OK;

	for (size_t i = 0; i < e->ninst && rc == NETRA_OK; i++) {
		const struct einstance *in = &e->inst[i];
		for (size_t k = 0; k < in->rule->npatterns && rc == NETRA_OK; k++)
			rc = netra_buf_printf(out, "%s\t%s\n", in->rule->id, e->pats[in->pat[k]].src);
	}
	return rc;
}

/* ---- scanning ------------------------------------------------------------ */

struct sfield {
	unsigned cls;            /* NETRA_F_* bit */
	char name[24];           /* name in hits */
	const char *orig;        /* the field as given (borrowed from the post) */
	size_t olen;             /* its length */
	struct netra_norm *norm; /* normalised text and offset map */
};

struct netra_scanner {
	const struct netra_engine *e;   /* borrowed */
	pcre2_match_data *md;           /* reused match data */
	pcre2_match_context *mctx;      /* limits and the weak-alias callout */
	pcre2_jit_stack *jit_stack;     /* a larger JIT stack than the default 32 KiB */
	hs_scratch_t *scratch;          /* Vectorscan scratch */
	struct sfield fields[FIELDS_MAX]; /* this post's fields */
	size_t nfields;                 /* used */
	int cur_field;                  /* field being matched (for the callout) */
	const char *bio;                /* this post's author.bio, or NULL (borrowed) */
	uint32_t gen;                   /* post counter: stamps below are valid if == gen */
	uint64_t *seen;                 /* per field: the patterns (and override literals)
					 * the prefilter saw a required literal of, as a bit
					 * set of seen_words words (set by prepare()) */
	uint64_t *seen_any;             /* the same, in any field */
	uint64_t *cand;                 /* instances to look at this post */
	uint32_t *pos;                  /* per pattern and field: literal start offsets */
	uint8_t *pos_n;                 /* per pattern and field: how many */
	uint32_t *pos_h;                /* per pattern and field: every place below it is in pos */
	uint32_t *pos_gen;              /* per pattern and field: gathered stamp (valid if == gen) */
	uint32_t *lpos;                 /* per literal and field: where it starts, in order */
	uint8_t *lpos_n;                /* per literal and field: how many (POS_MAX + 1: too many) */
	uint32_t *lpos_gen;             /* per literal: stamp of lpos_n and lit_fields */
	uint32_t *lit_fields;           /* per lazy literal: fields it was looked for in */
	uint32_t *m_gen;                /* per pattern: PCRE2 memo stamp */
	uint32_t *m_done;               /* per pattern: fields already run */
	uint32_t *m_match;              /* per pattern: fields where it matched */
	size_t *m_start;                /* per pattern and field: first match, normalised */
	size_t *m_end;                  /* ... its end */
	uint32_t *rule_gen;             /* per rule: counted for the score this post */
	uint8_t *limit_reported;        /* per pattern: match-limit warning given */
	struct netra_hit hits[HITS_MAX]; /* hits of this post */
	struct netra_verdict v;         /* the verdict */
	double *cand_score;             /* attribution per slot election*100+number */
	int *slots;                     /* slots with a score above zero, ascending */
	size_t nslots;                  /* entries */
	size_t ncand_score;             /* entries in cand_score */
	const char *post_id;            /* for messages */
};

static int weak_alias_callout(pcre2_callout_block *cb, void *data)
{
	struct netra_scanner *s = data;
	const struct sfield *f;
	size_t len = cb->callout_number;
	size_t ostart;
	size_t oend;
	int upper = 0;

	if (s->cur_field < 0 || len == 0 || cb->current_position < len)
		return 0;
	f = &s->fields[s->cur_field];
	netra_norm_map(f->norm, cb->current_position - len, cb->current_position, &ostart, &oend);
	if (ostart > 0 && f->orig[ostart - 1] == '#')
		return 0;
	for (size_t i = ostart; i < oend; i++) {
		char c = f->orig[i];
		if (c >= 'a' && c <= 'z')
			return 1; /* written in lower case: the everyday word */
		if (c >= 'A' && c <= 'Z')
			upper = 1;
	}
	return upper ? 0 : 1;
}

struct netra_scanner *netra_scanner_new(const struct netra_engine *e)
{
	struct netra_scanner *s = calloc(1, sizeof(*s));
	size_t n = e->npats + e->nlits + 1;

	if (s == NULL)
		return NULL;
	s->e = e;
	s->md = pcre2_match_data_create(4, NULL);
	s->mctx = pcre2_match_context_create(NULL);
	s->seen = calloc(FIELDS_MAX * e->seen_words, sizeof(uint64_t));
	s->seen_any = calloc(e->seen_words, sizeof(uint64_t));
	s->cand = calloc(e->inst_words + 1, sizeof(uint64_t));
	s->m_gen = calloc(n, sizeof(uint32_t));
	s->m_done = calloc(n, sizeof(uint32_t));
	s->m_match = calloc(n, sizeof(uint32_t));
	s->m_start = calloc(n * FIELDS_MAX, sizeof(size_t));
	s->pos = calloc(n * FIELDS_MAX * POS_MAX, sizeof(uint32_t));
	s->pos_n = calloc(n * FIELDS_MAX, 1);
	s->pos_h = calloc(n * FIELDS_MAX, sizeof(uint32_t));
	s->pos_gen = calloc(n * FIELDS_MAX, sizeof(uint32_t));
	s->lpos = calloc((e->ndlits + 1) * FIELDS_MAX * POS_MAX, sizeof(uint32_t));
	s->lpos_n = calloc((e->ndlits + 1) * FIELDS_MAX, 1);
	s->lpos_gen = calloc(e->ndlits + 1, sizeof(uint32_t));
	s->lit_fields = calloc(e->ndlits + 1, sizeof(uint32_t));
	s->m_end = calloc(n * FIELDS_MAX, sizeof(size_t));
	s->rule_gen = calloc(e->rs->nrules + 1, sizeof(uint32_t));
	s->limit_reported = calloc(n, 1);
	s->ncand_score = e->nelections * 100 + 1;
	s->cand_score = calloc(s->ncand_score, sizeof(double));
	s->slots = calloc(s->ncand_score, sizeof(int));
	if (s->cand == NULL || s->cand_score == NULL || s->slots == NULL || s->md == NULL || s->mctx == NULL || s->seen == NULL || s->seen_any == NULL ||
	    s->m_gen == NULL || s->m_done == NULL || s->m_match == NULL || s->m_start == NULL ||
	    s->m_end == NULL || s->rule_gen == NULL || s->limit_reported == NULL ||
	    s->pos == NULL || s->pos_n == NULL || s->pos_h == NULL || s->pos_gen == NULL ||
	    s->lpos == NULL ||
	    s->lpos_n == NULL || s->lpos_gen == NULL || s->lit_fields == NULL)
		goto fail;
	if (e->db != NULL && hs_alloc_scratch(e->db, &s->scratch) != HS_SUCCESS)
		goto fail;
	for (size_t i = 0; i < FIELDS_MAX; i++) {
		s->fields[i].norm = netra_norm_new(e->opt.max_field_bytes);
		if (s->fields[i].norm == NULL)
			goto fail;
	}
	s->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (s->jit_stack == NULL)
		goto fail;
	pcre2_jit_stack_assign(s->mctx, NULL, s->jit_stack);
	pcre2_set_match_limit(s->mctx, e->opt.match_limit);
	pcre2_set_depth_limit(s->mctx, e->opt.match_limit / 10 + 100);
	pcre2_set_callout(s->mctx, weak_alias_callout, s);
	s->cur_field = -1;
	return s;
fail:
	netra_scanner_destroy(&s);
	return NULL;
}

void netra_scanner_destroy(struct netra_scanner **sp)
{
	struct netra_scanner *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	pcre2_match_data_free(s->md);
	pcre2_match_context_free(s->mctx);
	pcre2_jit_stack_free(s->jit_stack);
	hs_free_scratch(s->scratch);
	for (size_t i = 0; i < FIELDS_MAX; i++)
		netra_norm_destroy(&s->fields[i].norm);
	free(s->seen);
	free(s->seen_any);
	free(s->cand);
	free(s->m_gen);
	free(s->m_done);
	free(s->m_match);
	free(s->m_start);
	free(s->m_end);
	free(s->pos);
	free(s->pos_n);
	free(s->pos_h);
	free(s->pos_gen);
	free(s->lpos);
	free(s->lpos_n);
	free(s->lpos_gen);
	free(s->lit_fields);
	free(s->rule_gen);
	free(s->limit_reported);
	free(s->cand_score);
	free(s->slots);
	free(s);
	*sp = NULL;
}

static int add_field(struct netra_scanner *s, unsigned cls, const char *name, const char *text,
		     size_t len)
{
	struct sfield *f;

	if (text == NULL || len == 0 || s->nfields >= FIELDS_MAX)
		return NETRA_OK;
	f = &s->fields[s->nfields];
	f->cls = cls;
	netra_strlcpy(f->name, name, sizeof(f->name));
	f->orig = text;
	f->olen = len;
	if (netra_norm_run(f->norm, text, len) != 0)
		return NETRA_ENOMEM;
	if (netra_norm_truncated(f->norm)) {
		s->v.cut = 1;
		netra_warn("classifier", s->post_id, "field %s is %zu bytes; matched only the first %zu",
			   name, len, s->e->opt.max_field_bytes);
	}
	s->nfields++;
	return NETRA_OK;
}

/* Keep at, the next place in order of literal id in field f. Returns 0, or
 * -1 once the literal has more places than the first POS_MAX, which are
 * kept. */
static inline int record_place(struct netra_scanner *s, size_t id, size_t f, uint32_t at)
{
	uint8_t *n = &s->lpos_n[id * FIELDS_MAX + f];

	if (*n >= POS_MAX) {
		*n = POS_MAX + 1;
		return -1;
	}
	s->lpos[(id * FIELDS_MAX + f) * POS_MAX + (*n)++] = at;
	return 0;
}

static int on_prefilter_match(unsigned int id, unsigned long long from, unsigned long long to,
			      unsigned int flags, void *ctx)
{
	struct netra_scanner *s = ctx;
	const struct netra_engine *e = s->e;
	size_t f = (size_t)s->cur_field;

	(void)from;
	(void)flags;
	if (s->lpos_gen[id] != s->gen) {
		const uint64_t *of = &e->lit_inst[id * e->inst_words];
		s->lpos_gen[id] = s->gen;
		for (size_t w = 0; w < e->inst_words; w++)
			s->cand[w] |= of[w];
		if (e->lit_lead[id])
			memset(&s->lpos_n[id * FIELDS_MAX], 0, FIELDS_MAX);
	}
	if (e->lit_lead[id])
		/* Where it starts, once for all the patterns it leads; one
		 * literal's places arrive in order. */
		(void)record_place(s, id, f, (uint32_t)(to - e->lit_len[id]));
	/* The patterns that require it learn of it, in this field. */
	{
		uint64_t *row = &s->seen[f * e->seen_words];
		const uint64_t *req = &e->req_bits[id * e->seen_words];
		for (size_t w = 0; w < e->seen_words; w++)
			row[w] |= req[w];
	}
	return 0;
}

/* ASCII letters and digits, as a bit set over byte values. */
static const uint64_t ascii_alnum[4] = {UINT64_C(0x03FF000000000000), UINT64_C(0x07FFFFFE07FFFFFE), 0, 0};

/* Is the byte before offset at an ASCII letter or digit? */
static inline int after_alnum(const unsigned char *text, size_t at)
{
	return at > 0 && (ascii_alnum[text[at - 1] >> 6] >> (text[at - 1] & 63) & 1);
}

/* Put place at into the sorted list pos (n entries, at most POS_MAX),
 * lowering the horizon *h when a place has to go. Returns 0, or -1 when the
 * list is full and at comes after all of it: *h is then at, and places from
 * there on need not be offered. */
static inline int add_place(uint32_t *pos, size_t *n, uint32_t *h, uint32_t at)
{
	size_t k;

	for (k = *n; k > 0 && pos[k - 1] > at; k--)
		;
	if (k > 0 && pos[k - 1] == at)
		return 0;
	if (*n == POS_MAX) {
		/* Full: the last place goes, and with it completeness from
		 * there on. */
		if (k == POS_MAX) {
			*h = at;
			return -1;
		}
		if (pos[POS_MAX - 1] < *h)
			*h = pos[POS_MAX - 1];
		(*n)--;
	}
	for (size_t j = *n; j > k; j--)
		pos[j] = pos[j - 1];
	pos[k] = at;
	(*n)++;
	return 0;
}

/* The places of lazy literal id in field f (text, len bytes), found once
 * per post and field, in order, kept as the prefilter's callback keeps the
 * places it reports. */
static void find_lazy(struct netra_scanner *s, size_t id, size_t f, const unsigned char *text,
		      size_t len)
{
	const unsigned char *lit = (const unsigned char *)s->e->lit_lazy[id];
	uint32_t bit = 1u << f;

	if (s->lpos_gen[id] != s->gen) {
		s->lpos_gen[id] = s->gen;
		s->lit_fields[id] = 0;
		memset(&s->lpos_n[id * FIELDS_MAX], 0, FIELDS_MAX);
	}
	if (s->lit_fields[id] & bit)
		return;
	s->lit_fields[id] |= bit;
	/* Each place of its first byte with its second byte after it. */
	for (const unsigned char *q = text; len >= LAZY_LEN && q < text + len - 1; q++) {
		q = memchr(q, lit[0], (size_t)(text + len - 1 - q));
		if (q == NULL)
			break;
		if (q[1] == lit[1] && record_place(s, id, f, (uint32_t)(q - text)) != 0)
			break;
	}
}

/* The places in field f where pattern p can start: its leading literals'
 * and leading bytes' places, sorted and distinct, gathered once per post. At
 * most POS_MAX are kept, the first ones: pos_h is where that list stops being
 * complete (every place below it is in the list; past the end of the field if
 * all are). */
static void gather_positions(struct netra_scanner *s, size_t p, size_t f)
{
	const struct netra_engine *e = s->e;
	const struct epattern *ep = &e->pats[p];
	size_t pf = p * FIELDS_MAX + f;
	uint32_t *pos = &s->pos[pf * POS_MAX];
	const unsigned char *text = (const unsigned char *)netra_norm_text(s->fields[f].norm);
	size_t len = netra_norm_len(s->fields[f].norm);
	int word_start = ep->word_start;
	const size_t *ids = &e->lead_lits[e->lead_first[p]];
	size_t nids = e->lead_count[p];
	uint32_t gen = s->gen;
	uint32_t h = UINT32_MAX;
	size_t n = 0;

	if (s->pos_gen[pf] == gen)
		return;
	s->pos_gen[pf] = gen;
	for (size_t i = 0; i < e->lead_nlazy[p]; i++)
		find_lazy(s, ids[i], f, text, len);
	for (size_t i = 0; i < nids; i++) {
		size_t id = ids[i];
		size_t ln;
		const uint32_t *lp;
		if (s->lpos_gen[id] != gen)
			continue;
		ln = s->lpos_n[id * FIELDS_MAX + f];
		lp = &s->lpos[(id * FIELDS_MAX + f) * POS_MAX];
		if (ln > POS_MAX) {
			/* The literal's first POS_MAX places are known, and no
			 * other place of it comes before the last of them. */
			ln = POS_MAX;
			if (lp[POS_MAX - 1] + 1 < h)
				h = lp[POS_MAX - 1] + 1;
		}
		for (size_t q = 0; q < ln && lp[q] < h; q++) {
			/* Right after an ASCII letter or digit, a pattern that
			 * starts at a word cannot. */
			if (word_start && after_alnum(text, lp[q]))
				continue;
			if (add_place(pos, &n, &h, lp[q]) != 0)
				break;
		}
	}
	if (ep->has_lead_bytes) {
		/* One-byte leading literals: a scan of the field, in order. */
		for (size_t i = 0; i < len && i < h; i++) {
			if (!(ep->lead_bytes[text[i] >> 6] >> (text[i] & 63) & 1))
				continue;
			if (word_start && after_alnum(text, i))
				continue;
			if (add_place(pos, &n, &h, (uint32_t)i) != 0)
				break;
		}
	}
	/* Places at or past the horizon may be incomplete: drop them. */
	while (n > 0 && pos[n - 1] >= h)
		n--;
	s->pos_n[pf] = (uint8_t)n;
	s->pos_h[pf] = h;
}

/* The top-level members of a post the engine reads, found in one walk
 * over its keys rather than a hash lookup each. */
struct post_view {
	const json_t *text, *ref, *report, *media, *author;
	const json_t *created_at, *id, *act, *source, *platform;
};

static void view_post(const json_t *post, struct post_view *pv)
{
	const char *key;
	json_t *value;

	memset(pv, 0, sizeof(*pv));
	/* json_object_foreach only reads the object, though it takes it
	 * without const. */
	json_object_foreach((json_t *)(uintptr_t)post, key, value) {
		switch (key[0]) {
		case 'a':
			if (strcmp(key, "author") == 0)
				pv->author = value;
			else if (strcmp(key, "act") == 0)
				pv->act = value;
			break;
		case 'c':
			if (strcmp(key, "created_at") == 0)
				pv->created_at = value;
			break;
		case 'i':
			if (strcmp(key, "id") == 0)
				pv->id = value;
			break;
		case 'm':
			if (strcmp(key, "media") == 0)
				pv->media = value;
			break;
		case 'p':
			if (strcmp(key, "platform") == 0)
				pv->platform = value;
			break;
		case 'r':
			if (strcmp(key, "ref") == 0)
				pv->ref = value;
			else if (strcmp(key, "report") == 0)
				pv->report = value;
			break;
		case 's':
			if (strcmp(key, "source") == 0)
				pv->source = value;
			break;
		case 't':
			if (strcmp(key, "text") == 0)
				pv->text = value;
			break;
		default:
			break;
		}
	}
}

/* Collect the post's fields, normalise them and run the prefilter. */
static int prepare(struct netra_scanner *s, const struct post_view *pv)
{
	const json_t *media;
	size_t i;
	const json_t *m;
	int rc;
	char name[24];
	const json_t *v;

	s->nfields = 0;
	if (++s->gen == 0) {
		/* The stamps wrapped: forget them all. */
		size_t n = s->e->npats + s->e->nlits + 1;
		memset(s->m_gen, 0, n * sizeof(uint32_t));
		memset(s->pos_gen, 0, n * FIELDS_MAX * sizeof(uint32_t));
		memset(s->lpos_gen, 0, (s->e->ndlits + 1) * sizeof(uint32_t));
		memset(s->rule_gen, 0, (s->e->rs->nrules + 1) * sizeof(uint32_t));
		s->gen = 1;
	}
	v = pv->text;
	if ((rc = add_field(s, NETRA_F_TEXT, "text", json_string_value(v), json_string_length(v))))
		return rc;
	v = json_object_get(pv->ref, "text");
	if ((rc = add_field(s, NETRA_F_REF, "ref.text", json_string_value(v), json_string_length(v))))
		return rc;
	v = json_object_get(pv->report, "description");
	if ((rc = add_field(s, NETRA_F_REPORT, "report.description", json_string_value(v),
			    json_string_length(v))))
		return rc;
	media = pv->media;
	json_array_foreach(media, i, m) {
		if (i >= MEDIA_MAX)
			break;
		v = json_object_get(m, "alt");
		snprintf(name, sizeof(name), "media[%zu].alt", i);
		if ((rc = add_field(s, NETRA_F_ALT, name, json_string_value(v), json_string_length(v))))
			return rc;
		v = json_object_get(m, "text");
		snprintf(name, sizeof(name), "media[%zu].text", i);
		if ((rc = add_field(s, NETRA_F_OCR, name, json_string_value(v), json_string_length(v))))
			return rc;
	}
	v = json_object_get(pv->author, "bio");
	s->bio = json_string_value(v);
	if ((rc = add_field(s, NETRA_F_BIO, "author.bio", s->bio, json_string_length(v))))
		return rc;
	if (s->e->db != NULL && !s->e->opt.naive) {
		/* The instances worth a look: those that may hold with no
		 * literal, and those the literals seen may start. */
		memcpy(s->cand, s->e->inst_always, s->e->inst_words * sizeof(uint64_t));
		memset(s->seen, 0, s->nfields * s->e->seen_words * sizeof(uint64_t));
		for (size_t f = 0; f < s->nfields; f++) {
			s->cur_field = (int)f;
			if (hs_scan(s->e->db, netra_norm_text(s->fields[f].norm),
				    (unsigned)netra_norm_len(s->fields[f].norm), 0, s->scratch,
				    on_prefilter_match, s) != HS_SUCCESS)
				return NETRA_ENOMEM;
		}
		for (size_t w = 0; w < s->e->seen_words; w++) {
			uint64_t any = 0;
			for (size_t f = 0; f < s->nfields; f++)
				any |= s->seen[f * s->e->seen_words + w];
			s->seen_any[w] = any;
		}
	}
	s->cur_field = -1;
	return NETRA_OK;
}

/* The field-index mask of the fields a rule looks at. */
static uint32_t scope_mask(const struct netra_scanner *s, unsigned classes)
{
	uint32_t m = 0;

	for (size_t f = 0; f < s->nfields; f++) {
		if (s->fields[f].cls & classes)
			m |= 1u << f;
	}
	return m;
}

/* The fields where the prefilter saw a required literal of pattern (or
 * npats + override literal) p on this post. */
static inline uint32_t seen_fields(const struct netra_scanner *s, size_t p)
{
	const uint64_t *col = &s->seen[p / 64];
	uint64_t bit = UINT64_C(1) << (p % 64);
	size_t words = s->e->seen_words;
	uint32_t m = 0;

	/* Most posts have one field, and most patterns were not seen. */
	if (!(s->seen_any[p / 64] & bit))
		return 0;
	if (s->nfields == 1)
		return 1;
	for (size_t f = 0; f < s->nfields; f++) {
		if (col[f * words] & bit)
			m |= 1u << f;
	}
	return m;
}

/* Fields (within mask) where pattern p may match, by the prefilter. */
static inline uint32_t maybe_fields(const struct netra_scanner *s, size_t p, uint32_t mask)
{
	if (!s->e->filtered[p])
		return mask;
	return seen_fields(s, p) & mask;
}

static int pcre_limit(struct netra_scanner *s, size_t p, size_t f, int rc)
{
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		s->v.limit_hit = 1;
		if (!s->limit_reported[p]) {
			s->limit_reported[p] = 1;
			netra_warn("classifier", s->e->pats[p].rule,
				   "a pattern reached its match limit on post %s (%s); it counts as "
				   "not matching there, and this is reported once per pattern",
				   s->post_id ? s->post_id : "?", s->fields[f].name);
		}
	}
	return 0;
}

/* One PCRE2 match, searching from start or (anchored) only at start: the
 * JIT's direct entry point skips argument checks that cannot fail here
 * (valid UTF-8 from the normaliser, sane offsets). */
static int pcre_match(const struct epattern *pat, PCRE2_SPTR text, size_t len, size_t start,
		      int anchored, struct netra_scanner *s)
{
	if (anchored) {
		if (pat->anch_jit)
			return pcre2_jit_match(pat->anch, text, len, start, 0, s->md, s->mctx);
		return pcre2_match(pat->anch, text, len, start, 0, s->md, s->mctx);
	}
	if (pat->jit)
		return pcre2_jit_match(pat->code, text, len, start, 0, s->md, s->mctx);
	return pcre2_match(pat->code, text, len, start, 0, s->md, s->mctx);
}

/* The first match of pattern p in field f at or after from. Where every
 * match starts with one of the pattern's literals and the prefilter saw
 * where they are, PCRE2 confirms anchored at just those places; the result
 * is the same leftmost match an unanchored search finds. */
static int run_pcre(struct netra_scanner *s, size_t p, size_t f, size_t from, size_t *start,
		    size_t *end)
{
	const struct sfield *fl = &s->fields[f];
	const struct netra_engine *e = s->e;
	PCRE2_SPTR text = (PCRE2_SPTR)netra_norm_text(fl->norm);
	size_t len = netra_norm_len(fl->norm);
	size_t pf = p * FIELDS_MAX + f;
	int anchored = !e->opt.naive && e->db != NULL && e->pats[p].leading;
	int rc;

	s->cur_field = (int)f;
	if (anchored) {
		/* Below the horizon, only a leading literal's place can start a
		 * match; from there on (if the field goes that far) a search. */
		const uint32_t *pos;
		size_t n;
		gather_positions(s, p, f);
		pos = &s->pos[pf * POS_MAX];
		n = s->pos_n[pf];
		for (size_t k = 0; k < n; k++) {
			if (pos[k] < from)
				continue;
			s->v.pcre_runs++;
			rc = pcre_match(&e->pats[p], text, len, pos[k], 1, s);
			if (rc >= 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
				*start = ov[0];
				*end = ov[1];
				s->cur_field = -1;
				return 1;
			}
			if (rc != PCRE2_ERROR_NOMATCH)
				pcre_limit(s, p, f, rc);
		}
		if (s->pos_h[pf] > len) {
			s->cur_field = -1;
			return 0;
		}
		if (s->pos_h[pf] > from)
			from = s->pos_h[pf];
	}
	s->v.pcre_runs++;
	rc = pcre_match(&e->pats[p], text, len, from, 0, s);
	s->cur_field = -1;
	if (rc >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
		*start = ov[0];
		*end = ov[1];
		return 1;
	}
	return pcre_limit(s, p, f, rc);
}

/* Fields (within mask) where pattern p matches; memoised per post. */
static uint32_t match_fields(struct netra_scanner *s, size_t p, uint32_t mask)
{
	uint32_t todo;

	if (s->m_gen[p] != s->gen) {
		s->m_gen[p] = s->gen;
		s->m_done[p] = 0;
		s->m_match[p] = 0;
	}
	todo = maybe_fields(s, p, mask) & ~s->m_done[p];
	for (size_t f = 0; todo != 0; f++) {
		size_t st;
		size_t en;
		if (!(todo & (1u << f)))
			continue;
		todo &= ~(1u << f);
		s->m_done[p] |= 1u << f;
		if (run_pcre(s, p, f, 0, &st, &en)) {
			s->m_match[p] |= 1u << f;
			s->m_start[p * FIELDS_MAX + f] = st;
			s->m_end[p * FIELDS_MAX + f] = en;
		}
	}
	/* Fields the prefilter ruled out never match. */
	return s->m_match[p] & mask;
}

/* The next match of pattern p in field f at or after from; the first one
 * (from 0) is already known from match_fields() and is not searched again. */
static int next_match(struct netra_scanner *s, size_t p, size_t f, size_t from, size_t *start,
		      size_t *end)
{
	if (from == 0 && s->m_gen[p] == s->gen && (s->m_done[p] & (1u << f))) {
		if (!(s->m_match[p] & (1u << f)))
			return 0;
		*start = s->m_start[p * FIELDS_MAX + f];
		*end = s->m_end[p * FIELDS_MAX + f];
		return 1;
	}
	return run_pcre(s, p, f, from, start, end);
}

/* Is a match of pattern pa within dist characters of one of pb in field f?
 * The first NEAR_MATCHES matches of each side count. Both sides' matches
 * come in order, each starting at or after the end of the one before, so
 * the two lists are walked together: a match too far before the other
 * side's current one is too far before all its later ones too, and goes.
 * Matches are looked for only as the walk needs them. */
static int near_in_field(struct netra_scanner *s, size_t pa, size_t pb, size_t f, int dist)
{
	size_t len = netra_norm_len(s->fields[f].norm);
	size_t as;
	size_t ae;
	size_t bs;
	size_t be;
	size_t na = 1;
	size_t nb = 1;

	if (!next_match(s, pa, f, 0, &as, &ae) || !next_match(s, pb, f, 0, &bs, &be))
		return 0;
	for (;;) {
		size_t lo = as > bs ? as : bs;
		size_t hi = ae < be ? ae : be;
		size_t from;
		/* The gap between the two matches (0 if they overlap). */
		if (lo <= hi || lo - hi <= (size_t)dist)
			return 1;
		if (ae < bs) {
			/* a ends too far before b: on to a's next match. */
			from = ae > as ? ae : as + 1;
			if (na == NEAR_MATCHES || from > len || !next_match(s, pa, f, from, &as, &ae))
				return 0;
			na++;
		} else {
			from = be > bs ? be : bs + 1;
			if (nb == NEAR_MATCHES || from > len || !next_match(s, pb, f, from, &bs, &be))
				return 0;
			nb++;
		}
	}
}

/* The fields pattern i of a rule looks at: its own "@fields", else the rule's. */
static inline uint32_t pat_mask(const struct netra_scanner *s, const struct einstance *in,
				int i, uint32_t mask)
{
	unsigned own = in->rule->patterns[i].fields;

	return own != 0 ? scope_mask(s, own) : mask;
}

/* Is pattern p known not to match in fields m without running PCRE2:
 * ruled out by the prefilter, or already run there on this post without a
 * match? */
static inline int known_no_match(const struct netra_scanner *s, size_t p, uint32_t m)
{
	uint32_t maybe = maybe_fields(s, p, m);

	return maybe == 0 || (s->m_gen[p] == s->gen && (maybe & ~s->m_done[p]) == 0 &&
			      (s->m_match[p] & maybe) == 0);
}

/* Is condition c, a pattern or a "near", known not to hold without running
 * PCRE2? (Other conditions: not known.) */
static int known_false(const struct netra_scanner *s, const struct einstance *in,
		       const struct netra_cond *c, uint32_t mask)
{
	if (c->op != NETRA_C_PAT && c->op != NETRA_C_NEAR)
		return 0;
	return known_no_match(s, in->pat[c->pat], pat_mask(s, in, c->pat, mask)) ||
	       (c->op == NETRA_C_NEAR &&
		known_no_match(s, in->pat[c->pat2], pat_mask(s, in, c->pat2, mask)));
}

/* Evaluate a condition. PCRE2 runs only where the prefilter saw a pattern's
 * literals, and once per pattern and field (match_fields() remembers). */
static int eval(struct netra_scanner *s, const struct einstance *in, const struct netra_cond *c,
		uint32_t mask)
{
	switch (c->op) {
	case NETRA_C_PAT:
		return match_fields(s, in->pat[c->pat], pat_mask(s, in, c->pat, mask)) != 0;
	case NETRA_C_NEAR: {
		uint32_t both;
		uint32_t ma = pat_mask(s, in, c->pat, mask);
		uint32_t mb = pat_mask(s, in, c->pat2, mask);
		/* The second side first when it is known to fail. */
		if (known_no_match(s, in->pat[c->pat2], mb))
			return 0;
		both = match_fields(s, in->pat[c->pat], ma);
		if (both != 0)
			both &= match_fields(s, in->pat[c->pat2], mb);
		for (size_t f = 0; both != 0; f++) {
			if (!(both & (1u << f)))
				continue;
			both &= ~(1u << f);
			if (near_in_field(s, in->pat[c->pat], in->pat[c->pat2], f, c->distance))
				return 1;
		}
		return 0;
	}
	case NETRA_C_NOT:
		return !eval(s, in, c->a, mask);
	case NETRA_C_AND:
		/* The second side first when it is known to fail. */
		if (known_false(s, in, c->b, mask))
			return 0;
		return eval(s, in, c->a, mask) && eval(s, in, c->b, mask);
	case NETRA_C_OR:
		return eval(s, in, c->a, mask) || eval(s, in, c->b, mask);
	}
	return 0;
}

/* Does the instance's gate open: has the prefilter seen, somewhere in the
 * post, one pattern of each clause? A quick test before instance_holds(),
 * when there is a prefilter. */
static int gate_open(const struct netra_scanner *s, const struct einstance *in)
{
	for (size_t i = in->gate_from; i < in->gate.n; i++) {
		const struct clause *k = &in->gate.c[i];
		size_t j;
		for (j = 0; j < k->n && !(s->seen_any[k->pat[j] / 64] >> (k->pat[j] % 64) & 1); j++)
			;
		if (j == k->n)
			return 0;
	}
	return 1;
}

/* Does the instance hold on this post? */
static int instance_holds(struct netra_scanner *s, const struct einstance *in, unsigned act)
{
	uint32_t mask;

	if (in->rule->acts != 0 && !(in->rule->acts & (1u << act)))
		return 0;
	mask = scope_mask(s, in->rule->fields);
	if (mask == 0)
		return 0;
	if (in->nlits > 0 && !s->e->opt.naive) {
		int any = 0;
		for (size_t i = 0; i < in->nlits && !any; i++) {
			size_t id = s->e->npats + in->lits[i];
			any = (seen_fields(s, id) & mask) != 0;
		}
		if (!any)
			return 0;
	}
	s->v.candidates++;
	return eval(s, in, in->rule->cond, mask);
}

static void add_hit(struct netra_scanner *s, const struct einstance *in, size_t p, size_t f)
{
	struct netra_hit *h;
	size_t ns = s->m_start[p * FIELDS_MAX + f];
	size_t ne = s->m_end[p * FIELDS_MAX + f];
	const struct sfield *fl = &s->fields[f];

	if (s->v.nhits >= HITS_MAX)
		return;
	for (size_t i = 0; i < s->v.nhits; i++) {
		/* One hit per rule and field and span. */
		if (s->hits[i].rule == in->rule->id && strcmp(s->hits[i].field, fl->name) == 0 &&
		    s->hits[i].match == fl->orig + s->hits[i].start) {
			size_t os;
			size_t oe;
			if (ne > ns)
				netra_norm_map(fl->norm, ns, ne, &os, &oe);
			else
				os = oe = 0;
			if (s->hits[i].start == os && s->hits[i].end == oe)
				return;
		}
	}
	h = &s->hits[s->v.nhits];
	h->rule = in->rule->id;
	h->category = in->rule->category;
	h->kind = (int)in->rule->kind;
	netra_strlcpy(h->field, fl->name, sizeof(h->field));
	if (ne > ns) {
		netra_norm_map(fl->norm, ns, ne, &h->start, &h->end);
	} else {
		h->start = 0;
		h->end = 0;
	}
	h->match = fl->orig + h->start;
	h->election = in->election;
	h->number = in->number;
	s->v.nhits++;
}

static void collect_hits(struct netra_scanner *s, const struct einstance *in,
			 const struct netra_cond *c, uint32_t mask)
{
	switch (c->op) {
	case NETRA_C_PAT:
	case NETRA_C_NEAR: {
		int idx[2] = {c->pat, c->op == NETRA_C_NEAR ? c->pat2 : c->pat};
		for (int k = 0; k < (c->op == NETRA_C_NEAR ? 2 : 1); k++) {
			size_t pat = in->pat[idx[k]];
			uint32_t m = match_fields(s, pat, pat_mask(s, in, idx[k], mask));
			for (size_t f = 0; m != 0; f++) {
				if (m & (1u << f)) {
					m &= ~(1u << f);
					add_hit(s, in, pat, f);
				}
			}
		}
		break;
	}
	case NETRA_C_NOT:
		break;
	case NETRA_C_AND:
	case NETRA_C_OR:
		collect_hits(s, in, c->a, mask);
		collect_hits(s, in, c->b, mask);
		break;
	}
}

static int cand_slot(const struct netra_engine *e, int election, int number)
{
	(void)e;
	return election * 100 + number;
}

/* Add to a slot's score, keeping the list of slots above zero in order
 * (a post names few candidates, so the list is short). */
static void add_score(struct netra_scanner *s, int slot, double w)
{
	if (s->cand_score[slot] == 0.0 && w > 0.0) {
		size_t k = s->nslots;
		for (; k > 0 && s->slots[k - 1] > slot; k--)
			s->slots[k] = s->slots[k - 1];
		s->slots[k] = slot;
		s->nslots++;
	}
	s->cand_score[slot] += w;
}

/* Which election a post belongs to when no candidate says: the one whose
 * stages hold its date, else the first. */
static int pick_election(const struct netra_scanner *s, int64_t t, int have_time)
{
	const struct netra_engine *e = s->e;

	if (e->nelections == 0)
		return -1;
	for (size_t k = 0; have_time && k < e->nelections; k++) {
		if (netra_election_stage_at(e->elections[k], t) != NULL)
			return (int)k;
	}
	return 0;
}

static void decide_subject(struct netra_scanner *s, const struct post_view *pv, unsigned act)
{
	const struct netra_engine *e = s->e;
	const struct netra_asn *asn = NULL;
	const char *bio = s->bio;
	char nip[19];

	s->v.subject = NETRA_SUBJECT_UNKNOWN;
	s->v.nip[0] = '\0';
	if (e->wl != NULL) {
		const char *handle = json_string_value(json_object_get(pv->author, "handle"));
		if (handle != NULL)
			asn = netra_watchlist_find(e->wl, json_string_value(pv->source), handle,
						   json_string_value(pv->platform));
	}
	if (asn != NULL) {
		s->v.subject = NETRA_SUBJECT_WATCHLIST;
		netra_strlcpy(s->v.nip, asn->nip, sizeof(s->v.nip));
		return;
	}
	if (act == NETRA_ACT_REPORT) {
		const json_t *subj = json_object_get(pv->report, "subject");
		const char *sn = json_string_value(json_object_get(subj, "nip"));
		const char *name = json_string_value(json_object_get(subj, "name"));
		char why[160];
		if ((sn != NULL && *sn) || (name != NULL && *name)) {
			s->v.subject = NETRA_SUBJECT_REPORT;
			if (sn != NULL && netra_nip_check(sn, strlen(sn), NULL, why, sizeof(why)) == NETRA_OK) {
				size_t n = 0;
				for (const char *c = sn; *c && n < 18; c++) {
					if (*c != ' ')
						s->v.nip[n++] = *c;
				}
				s->v.nip[n] = '\0';
			}
			return;
		}
	}
	if (bio != NULL && netra_nip_find(bio, strlen(bio), nip)) {
		s->v.subject = NETRA_SUBJECT_BIO;
		netra_strlcpy(s->v.nip, nip, sizeof(s->v.nip));
		return;
	}
	if (s->v.bio_score >= 0.5)
		s->v.subject = NETRA_SUBJECT_BIO;
}

static int place_in(const struct netra_engine *e, size_t k, pcre2_match_data *md, const char *text,
		    size_t len)
{
	return e->place[k] != NULL &&
	       pcre2_match(e->place[k], (PCRE2_SPTR)text, len, 0, 0, md, NULL) >= 0;
}

/* When candidates of several elections are in the running (a bare "nomor
 * 2" fits every election's number 2), favour the election the post is
 * about: its place named in the post or in the author's agency or province
 * on the watchlist, and its timeline holding the post's date. The bonus is
 * small: it only breaks ties. */
static void election_context(struct netra_scanner *s, const json_t *post, int64_t t, int have_time)
{
	const struct netra_engine *e = s->e;
	size_t in_running = 0;
	const struct netra_asn *asn = NULL;

	for (size_t i = 0, last = SIZE_MAX; i < s->nslots; i++) {
		/* Slots are in order: count the elections among them. */
		size_t k = (size_t)s->slots[i] / 100;
		if (s->slots[i] % 100 != 0 && k != last) {
			in_running++;
			last = k;
		}
	}
	if (in_running < 2)
		return;
	if (e->wl != NULL) {
		const json_t *author = json_object_get(post, "author");
		asn = netra_watchlist_find(e->wl, json_string_value(json_object_get(post, "source")),
					   json_string_value(json_object_get(author, "handle")),
					   json_string_value(json_object_get(post, "platform")));
	}
	for (size_t k = 0; k < e->nelections; k++) {
		double bonus = 0.0;
		for (size_t f = 0; f < s->nfields; f++) {
			if ((s->fields[f].cls & NETRA_F_EVIDENCE) &&
			    place_in(e, k, s->md, netra_norm_text(s->fields[f].norm),
				     netra_norm_len(s->fields[f].norm))) {
				bonus += 0.05;
				break;
			}
		}
		if (asn != NULL) {
			const char *where[2] = {asn->agency, asn->province};
			for (int w = 0; w < 2; w++) {
				char *norm = where[w] ? netra_norm_string(where[w], strlen(where[w])) : NULL;
				if (norm != NULL && place_in(e, k, s->md, norm, strlen(norm)))
					bonus += 0.04;
				free(norm);
			}
		}
		if (have_time && netra_election_stage_at(e->elections[k], t) != NULL)
			bonus += 0.01;
		for (size_t i = 0; i < s->nslots && bonus > 0.0; i++) {
			if ((size_t)s->slots[i] / 100 == k && s->slots[i] % 100 != 0)
				s->cand_score[s->slots[i]] += bonus;
		}
	}
}

/* The slot with the highest candidate score (and that score in *best), -2
 * when two or more share it, or -1 when no candidate scores. */
static int top_slot(const struct netra_scanner *s, double *best)
{
	int slot_best = -1;

	*best = 0.0;
	/* Slots at zero can neither lead nor tie (a leader is above zero). */
	for (size_t i = 0; i < s->nslots; i++) {
		int slot = s->slots[i];
		if (s->cand_score[slot] > *best + 1e-9) {
			*best = s->cand_score[slot];
			slot_best = slot;
		} else if (slot_best != -1 && s->cand_score[slot] > *best - 1e-9) {
			/* A tie at the top: rules that hold alike for every
			 * candidate ("paslon") name none of them. */
			slot_best = -2;
		}
	}
	return slot_best;
}

/* Among candidates tied at score best, the one whose name (gazetteer) the
 * post mentions first; -1 when none of them is named (the rules that held
 * were alike for every candidate). */
static int first_named(struct netra_scanner *s, double best)
{
	const struct netra_engine *e = s->e;
	uint32_t mask = scope_mask(s, NETRA_F_EVIDENCE);
	int pick = -1;
	size_t pick_at = SIZE_MAX;

	for (size_t g = 0; g < e->ngaz; g++) {
		int slot = cand_slot(e, e->gaz_election[g], e->gaz_number[g]);
		uint32_t m;
		if (e->gaz_weight[g] < 0.2 || s->cand_score[slot] < best - 1e-9)
			continue; /* not a name pattern, or not among the tied */
		m = match_fields(s, e->gaz[g], mask);
		for (size_t f = 0; m != 0 && f < s->nfields; f++) {
			size_t at;
			if (!(m & (1u << f)))
				continue;
			/* Fields in order (text first), then the offset within. */
			at = f * 1000000u + s->m_start[e->gaz[g] * FIELDS_MAX + f];
			if (at < pick_at) {
				pick_at = at;
				pick = slot;
			}
			break;
		}
	}
	return pick;
}

/* Naive mode: the first match of every pattern of every rule instance in
 * every field that pattern looks at (memoised per post, so a pattern that
 * several rules share runs once a field). */
static void run_every_pattern(struct netra_scanner *s)
{
	const struct netra_engine *e = s->e;

	for (size_t i = 0; i < e->ninst; i++) {
		const struct einstance *in = &e->inst[i];
		uint32_t mask = scope_mask(s, in->rule->fields);
		for (size_t k = 0; k < in->rule->npatterns; k++)
			(void)match_fields(s, in->pat[k], pat_mask(s, in, (int)k, mask));
	}
}

int netra_scan_post(struct netra_scanner *s, const json_t *post, const struct netra_verdict **out)
{
	const struct netra_engine *e = s->e;
	double keep[NETRA_NCATEGORIES];
	double sup[NETRA_NCATEGORIES];
	double bio_keep = 1.0;
	double bio_sup = 1.0;
	struct post_view pv;
	unsigned act;
	const char *created;
	int64_t t = 0;
	int have_time;
	int rc;
	double best = 0.0;
	int best_slot = -1;
	int election;
	int gated = !e->opt.naive && e->db != NULL;

	memset(&s->v, 0, sizeof(s->v));
	s->v.hits = s->hits;
	s->v.election = -1;
	view_post(post, &pv);
	act = (unsigned)netra_act_of(pv.act);
	created = json_string_value(pv.created_at);
	have_time = created != NULL && netra_time_parse(created, &t) == 0;
	s->post_id = json_string_value(pv.id);
	*out = &s->v;
	rc = prepare(s, &pv);
	if (rc != NETRA_OK)
		return rc;
	for (int c = 0; c < NETRA_NCATEGORIES; c++) {
		keep[c] = 1.0;
		sup[c] = 1.0;
	}
	for (size_t i = 0; i < s->nslots; i++)
		s->cand_score[s->slots[i]] = 0.0;
	s->nslots = 0;
	/* The naive mode runs every pattern of every rule on every field the
	 * rule looks at, as a rule engine without a prefilter would; the
	 * conditions below then read the memoised answers. */
	if (e->opt.naive)
		run_every_pattern(s);
	/* The instances worth a look: all of them without a prefilter. */
	if (e->opt.naive || e->db == NULL) {
		memset(s->cand, 0xff, e->inst_words * sizeof(uint64_t));
	}
	/* Evidence and subject rules first; suppress rules can only lower a
	 * score that is already above zero, so they run only then. */
	for (int pass = 0; pass < 2; pass++) {
		int any_evidence = 0;
		for (int c = 0; c < NETRA_NCATEGORIES; c++)
			any_evidence |= keep[c] < 1.0;
		if (pass == 1 && !any_evidence && bio_keep >= 1.0)
			break;
		/* The pass's instances worth a look, in order. */
		for (size_t w = 0; w < e->inst_words; w++) {
			for (uint64_t bits = s->cand[w] & e->inst_pass[pass][w]; bits != 0;
			     bits &= bits - 1) {
				const struct einstance *in;
				const struct netra_rule *r;
				int first_for_rule;
				in = &e->inst[w * 64 + (size_t)__builtin_ctzll(bits)];
				r = in->rule;
				if (pass == 1 && !(any_evidence && (r->fields & NETRA_F_EVIDENCE)) &&
				    !(bio_keep < 1.0 && (r->fields & NETRA_F_BIO)))
					continue;
				if (gated && !gate_open(s, in))
					continue;
				if (!instance_holds(s, in, act))
					continue;
				first_for_rule = s->rule_gen[in->rule_index] != s->gen;
				s->rule_gen[in->rule_index] = s->gen;
				if (r->kind == NETRA_RULE_SUBJECT) {
					if (first_for_rule)
						bio_keep *= 1.0 - r->weight;
					continue;
				}
				if (r->kind == NETRA_RULE_SUPPRESS) {
					if (!first_for_rule)
						continue;
					if (r->fields & NETRA_F_BIO)
						bio_sup *= 1.0 - r->weight;
					if (r->fields & NETRA_F_EVIDENCE) {
						for (int c = 0; c < NETRA_NCATEGORIES; c++) {
							if (r->category < 0 || r->category == c)
								sup[c] *= 1.0 - r->weight;
						}
					}
					continue;
				}
				if (first_for_rule)
					keep[r->category] *= 1.0 - r->weight;
				if (in->election >= 0)
					add_score(s, cand_slot(e, in->election, in->number), r->weight);
				collect_hits(s, in, r->cond, scope_mask(s, r->fields));
			}
		}
	}
	s->v.bio_score = (1.0 - bio_keep) * bio_sup;
	for (int c = 0; c < NETRA_NCATEGORIES; c++) {
		s->v.category_score[c] = (1.0 - keep[c]) * sup[c];
		if (s->v.category_score[c] >= e->opt.threshold) {
			s->v.categories |= 1u << c;
			s->v.flagged = 1;
		}
		if (s->v.category_score[c] > s->v.score)
			s->v.score = s->v.category_score[c];
	}
	if (s->v.flagged) {
		/* Whom does it favour? Rule evidence first, then names mentioned;
		 * ballot numbers named as such only when that leaves a tie (they
		 * are common words to look for, so not looked for otherwise). */
		uint32_t mask = scope_mask(s, NETRA_F_EVIDENCE);
		for (int pass = 0; pass < 2; pass++) {
			for (size_t g = 0; g < e->ngaz; g++) {
				int slot = cand_slot(e, e->gaz_election[g], e->gaz_number[g]);
				if ((e->gaz_weight[g] >= 0.2) != (pass == 0))
					continue;
				if (match_fields(s, e->gaz[g], mask))
					add_score(s, slot, e->gaz_weight[g]);
			}
			if (pass == 0 && top_slot(s, &best) >= 0)
				break;
		}
		election_context(s, post, t, have_time);
		best_slot = top_slot(s, &best);
		if (best_slot == -2)
			best_slot = first_named(s, best);
		if (best_slot >= 0) {
			s->v.election = best_slot / 100;
			s->v.number = best_slot % 100;
		}
	}
	election = s->v.election >= 0 ? s->v.election : pick_election(s, t, have_time);
	if (election >= 0 && have_time)
		s->v.stage = netra_election_stage_at(e->elections[election], t);
	decide_subject(s, &pv, act);
	return NETRA_OK;
}

/* ---- output --------------------------------------------------------------- */

static int json_str(struct netra_buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = netra_buf_add(out, "\"", 1);
	size_t run = 0;

	for (size_t i = 0; i < n && rc == NETRA_OK; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = netra_buf_add(out, s + run, i - run);
		if (rc == NETRA_OK) {
			char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			if (c == '"' || c == '\\') {
				esc[1] = (char)c;
				esc[2] = 0;
			} else if (c == '\n') {
				esc[1] = 'n';
				esc[2] = 0;
			} else if (c == '\t') {
				esc[1] = 't';
				esc[2] = 0;
			}
			rc = netra_buf_adds(out, esc);
		}
		run = i + 1;
	}
	if (rc == NETRA_OK)
		rc = netra_buf_add(out, s + run, n - run);
	if (rc == NETRA_OK)
		rc = netra_buf_add(out, "\"", 1);
	return rc;
}

int netra_verdict_write(const struct netra_scanner *s, const char *raw, size_t rawlen,
			int all_verdicts, struct netra_buf *out)
{
	const struct netra_verdict *v = &s->v;
	const struct netra_engine *e = s->e;
	int rc;
	int first = 1;

	while (rawlen > 0 && (raw[rawlen - 1] == '\n' || raw[rawlen - 1] == '\r' ||
			      raw[rawlen - 1] == ' ' || raw[rawlen - 1] == '\t'))
		rawlen--;
	rc = netra_buf_adds(out, "{\"post\":");
	if (rc == NETRA_OK)
		rc = netra_buf_add(out, raw, rawlen);
	if (rc == NETRA_OK && all_verdicts)
		rc = netra_buf_printf(out, ",\"flagged\":%s", v->flagged ? "true" : "false");
	if (rc == NETRA_OK)
		rc = netra_buf_adds(out, ",\"categories\":[");
	for (int c = 0; c < NETRA_NCATEGORIES && rc == NETRA_OK; c++) {
		if (v->categories & (1u << c)) {
			rc = netra_buf_printf(out, "%s\"%s\"", first ? "" : ",", netra_category_name(c));
			first = 0;
		}
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(out, "]");
	if (rc == NETRA_OK && v->election >= 0 && v->number > 0) {
		rc = netra_buf_adds(out, ",\"candidate\":{\"election\":");
		if (rc == NETRA_OK) {
			const char *id = netra_election_id(e->elections[v->election]);
			rc = json_str(out, id, strlen(id));
		}
		if (rc == NETRA_OK)
			rc = netra_buf_printf(out, ",\"number\":%d}", v->number);
	}
	if (rc == NETRA_OK && v->stage != NULL) {
		rc = netra_buf_adds(out, ",\"stage\":");
		if (rc == NETRA_OK)
			rc = json_str(out, v->stage, strlen(v->stage));
	}
	if (rc == NETRA_OK)
		rc = netra_buf_printf(out, ",\"score\":%.3f,\"hits\":[", v->score);
	for (size_t i = 0; i < v->nhits && rc == NETRA_OK; i++) {
		const struct netra_hit *h = &v->hits[i];
		rc = netra_buf_printf(out, "%s{\"rule\":\"%s\",\"category\":\"%s\",\"field\":\"%s\","
					   "\"start\":%zu,\"end\":%zu,\"match\":",
				      i ? "," : "", h->rule, netra_category_name(h->category), h->field,
				      h->start, h->end);
		if (rc == NETRA_OK)
			rc = json_str(out, h->match, h->end - h->start);
		if (rc == NETRA_OK)
			rc = netra_buf_adds(out, "}");
	}
	if (rc == NETRA_OK)
		rc = netra_buf_printf(out, "],\"subject\":{\"asn\":\"%s\"", netra_subject_name(v->subject));
	if (rc == NETRA_OK && v->nip[0] != '\0')
		rc = netra_buf_printf(out, ",\"nip\":\"%s\"", v->nip);
	if (rc == NETRA_OK)
		rc = netra_buf_adds(out, "}");
	if (rc == NETRA_OK && all_verdicts) {
		rc = netra_buf_printf(out, ",\"bio_score\":%.3f,\"category_scores\":{", v->bio_score);
		for (int c = 0; c < NETRA_NCATEGORIES && rc == NETRA_OK; c++)
			rc = netra_buf_printf(out, "%s\"%s\":%.3f", c ? "," : "", netra_category_name(c),
					      v->category_score[c]);
		if (rc == NETRA_OK)
			rc = netra_buf_adds(out, "}");
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(out, "}\n");
	return rc;
}

/* ---- inline examples ------------------------------------------------------ */

static int example_holds(struct netra_scanner *s, size_t rule_index,
			 const struct netra_rule_example *ex, int *holds)
{
	const struct netra_rule *r = &s->e->rs->rules[rule_index];
	json_t *post = json_object();
	enum netra_act act = NETRA_ACT_POST;
	struct post_view pv;
	int rc = NETRA_ENOMEM;

	*holds = 0;
	if (post == NULL)
		return NETRA_ENOMEM;
	if (ex->act != NULL) {
		(void)netra_act_parse(ex->act, &act);
	} else if (r->acts != 0 && !(r->acts & 1u)) {
		for (int a = 0; a < NETRA_ACT_COUNT; a++) {
			if (r->acts & (1u << a)) {
				act = (enum netra_act)a;
				break;
			}
		}
	}
	if (json_object_set_new(post, "id", json_string("example")) ||
	    json_object_set_new(post, "source", json_string("example")) ||
	    json_object_set_new(post, "act", json_string(netra_act_name(act))) ||
	    json_object_set_new(post, "text", json_string("")))
		goto cleanup;
	for (size_t k = 0; k < ex->nparts; k++) {
		const char *t = ex->text[k];
		json_t *media = json_object_get(post, "media");
		int bad = 0;
		switch (ex->field[k]) {
		case NETRA_F_TEXT: bad = json_object_set_new(post, "text", json_string(t)); break;
		case NETRA_F_REF: bad = json_object_set_new(post, "ref", json_pack("{ss}", "text", t)); break;
		case NETRA_F_REPORT:
			bad = json_object_set_new(post, "report", json_pack("{ss}", "description", t));
			break;
		case NETRA_F_BIO: bad = json_object_set_new(post, "author", json_pack("{ss}", "bio", t)); break;
		default:
			if (media == NULL) {
				media = json_array();
				bad = json_object_set_new(post, "media", media);
			}
			if (!bad)
				bad = json_array_append_new(media, json_pack("{ssss}", "type", "image",
									 ex->field[k] == NETRA_F_OCR ? "text" : "alt", t));
			break;
		}
		if (bad)
			goto cleanup;
	}
	s->v.hits = s->hits;
	s->v.nhits = 0;
	s->post_id = "example";
	view_post(post, &pv);
	rc = prepare(s, &pv);
	for (size_t i = 0; i < s->e->ninst && rc == NETRA_OK && !*holds; i++) {
		if (s->e->inst[i].rule_index == rule_index)
			*holds = instance_holds(s, &s->e->inst[i], act);
	}
cleanup:
	json_decref(post);
	return rc;
}

int netra_engine_test_examples(const struct netra_engine *e, struct netra_buf *report,
			       size_t *passed, size_t *failed)
{
	struct netra_scanner *s = netra_scanner_new(e);
	int rc = NETRA_OK;

	*passed = 0;
	*failed = 0;
	if (s == NULL)
		return NETRA_ENOMEM;
	for (size_t ri = 0; ri < e->rs->nrules && rc == NETRA_OK; ri++) {
		const struct netra_rule *r = &e->rs->rules[ri];
		size_t bad = 0;
		size_t nmatch = 0;
		size_t nnomatch = 0;
		if (r->status == NETRA_STATUS_DEPRECATED)
			continue;
		for (size_t i = 0; i < r->nexamples && rc == NETRA_OK; i++) {
			const struct netra_rule_example *ex = &r->examples[i];
			int holds;
			rc = example_holds(s, ri, ex, &holds);
			if (ex->must_match)
				nmatch++;
			else
				nnomatch++;
			if (rc == NETRA_OK && holds != ex->must_match) {
				bad++;
				rc = netra_buf_printf(report, "FAIL %s (%s:%zu): %s \"%s\"\n", r->id, r->file,
						      ex->line, ex->must_match ? "should match" : "should not match",
						      ex->text[0]);
			}
		}
		if (rc == NETRA_OK && (nmatch < 2 || nnomatch < 2)) {
			bad++;
			rc = netra_buf_printf(report,
					      "FAIL %s (%s:%zu): needs at least 2 match and 2 nomatch "
					      "examples (has %zu and %zu)\n",
					      r->id, r->file, r->line, nmatch, nnomatch);
		}
		if (rc == NETRA_OK && bad == 0)
			rc = netra_buf_printf(report, "PASS %s (%zu examples)\n", r->id, r->nexamples);
		if (bad == 0)
			(*passed)++;
		else
			(*failed)++;
	}
	netra_scanner_destroy(&s);
	return rc;
}
