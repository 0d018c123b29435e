/* Required literals ("atoms") of a PCRE2 pattern, for the prefilter: a set
 * of strings such that every match of the pattern contains at least one of
 * them. One literal pass over a post (Vectorscan's literal matcher) then
 * tells which patterns can possibly match, as YARA's atoms and Suricata's
 * fast_pattern do. The analysis is conservative: when it cannot prove a set,
 * it says so, and the pattern runs on every post. */
#ifndef NETRA_ATOMS_H
#define NETRA_ATOMS_H

#include <stddef.h>

/* A set of literal strings, owned by whoever received it. */
struct netra_atoms {
	char **s;      /* the literals (lower case for ASCII letters) */
	size_t *len;   /* their lengths in bytes */
	size_t n;      /* how many */
	int leading;   /* 1: every match also STARTS with one of them */
};

/* Extract the atoms of regex (PCRE2 syntax, matched caselessly against
 * case-folded text). Returns 0 and fills *req with the most selective set
 * of required literals (free with netra_atoms_free), or -1 when no
 * required literal could be found (the pattern must run on every post), or
 * -2 on OOM. lead, when not NULL, receives the leading literals (every
 * match starts with one of them; lead->n == 0 when there is no such set of
 * useful literals), which tell where a match can start. They are byte
 * prefixes: \d gives the ten ASCII digits and the one-byte strings 0xC2-0xF4
 * (the first byte of any longer digit), which are not whole characters. */
int netra_atoms_extract(const char *regex, struct netra_atoms *req, struct netra_atoms *lead);

/* 1 if every match of regex starts where the character before is neither
 * a letter nor a number (or at the start of the text): each alternative
 * begins, perhaps inside non-capturing groups, with a negative lookbehind
 * whose class holds both \p{L} and \p{N}, as the rule pack's word start
 * does. 0 when that cannot be shown (the answer is conservative). The
 * engine then skips literal places right after a letter or a digit. */
int netra_atoms_starts_after_boundary(const char *regex);

/* Free the set's contents. NULL-safe. */
void netra_atoms_free(struct netra_atoms *a);

#endif
