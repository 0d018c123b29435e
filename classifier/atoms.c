#include "classifier/atoms.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum {
	SET_MAX = 512,  /* strings in one set before it is given up */
	STR_MAX = 48,   /* longest literal kept exact */
	DEPTH_MAX = 64  /* group nesting */
};

/* A set of strings; NULL means "unknown" (no exact set / no requirement). */
struct sset {
	char **s;    /* strings */
	size_t *len; /* lengths */
	size_t n;    /* count */
};

/* What is known about a sub-pattern: exact (the finite set of strings it
 * matches, when small) and req (a set one of which every match contains). */
struct info {
	struct sset *exact;  /* NULL: not a small finite set */
	struct sset *req;    /* NULL: no requirement known */
	struct sset *prefix; /* every match starts with one of these ("" = look further); NULL: unknown */
};

struct parse {
	const char *p; /* position in the pattern */
	int fail;      /* give up on the whole pattern (e.g. (?x) mode) */
	int oom;       /* allocation failed */
	int depth;     /* group nesting */
};

static void sset_free(struct sset *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->s[i]);
	free(s->s);
	free(s->len);
	free(s);
}

static struct sset *sset_new(struct parse *ps)
{
	struct sset *s = calloc(1, sizeof(*s));

	if (s == NULL)
		ps->oom = 1;
	return s;
}

/* Add a string unless present. Returns 0, or -1 when the set is full or OOM. */
static int sset_add(struct parse *ps, struct sset *s, const char *str, size_t len)
{
	char **ns;
	size_t *nl;

	for (size_t i = 0; i < s->n; i++) {
		if (s->len[i] == len && memcmp(s->s[i], str, len) == 0)
			return 0;
	}
	if (s->n >= SET_MAX)
		return -1;
	ns = realloc(s->s, (s->n + 1) * sizeof(*ns));
	if (ns == NULL) {
		ps->oom = 1;
		return -1;
	}
	s->s = ns;
	nl = realloc(s->len, (s->n + 1) * sizeof(*nl));
	if (nl == NULL) {
		ps->oom = 1;
		return -1;
	}
	s->len = nl;
	s->s[s->n] = malloc(len + 1);
	if (s->s[s->n] == NULL) {
		ps->oom = 1;
		return -1;
	}
	memcpy(s->s[s->n], str, len);
	s->s[s->n][len] = '\0';
	s->len[s->n] = len;
	s->n++;
	return 0;
}

static struct sset *sset_one(struct parse *ps, const char *str, size_t len)
{
	struct sset *s = sset_new(ps);

	if (s != NULL && sset_add(ps, s, str, len) != 0) {
		sset_free(s);
		return NULL;
	}
	return s;
}

static struct sset *sset_copy(struct parse *ps, const struct sset *a)
{
	struct sset *s;

	if (a == NULL)
		return NULL;
	s = sset_new(ps);
	for (size_t i = 0; s != NULL && i < a->n; i++) {
		if (sset_add(ps, s, a->s[i], a->len[i]) != 0) {
			sset_free(s);
			return NULL;
		}
	}
	return s;
}

/* Quality of a requirement: longer shortest string first, then fewer strings.
 * A set holding "" requires nothing. */
static long quality(const struct sset *s)
{
	size_t min = SIZE_MAX;

	if (s == NULL || s->n == 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		if (s->len[i] < min)
			min = s->len[i];
	}
	if (min == 0)
		return -1;
	if (min > 16)
		min = 16;
	return (long)min * 10000 - (long)s->n;
}

/* Keep the better of *best and cand (taking ownership of cand). */
static void keep_best(struct sset **best, struct sset *cand)
{
	if (quality(cand) > quality(*best)) {
		sset_free(*best);
		*best = cand;
	} else {
		sset_free(cand);
	}
}

static void info_free(struct info *i)
{
	sset_free(i->exact);
	sset_free(i->req);
	sset_free(i->prefix);
	i->exact = NULL;
	i->req = NULL;
	i->prefix = NULL;
}

static struct info info_empty(struct parse *ps)
{
	struct info i = {sset_one(ps, "", 0), NULL, sset_one(ps, "", 0)};

	return i;
}

static struct info info_unknown(void)
{
	struct info i = {NULL, NULL, NULL};

	return i;
}

static int sset_has_empty(const struct sset *s)
{
	for (size_t i = 0; s != NULL && i < s->n; i++) {
		if (s->len[i] == 0)
			return 1;
	}
	return 0;
}

/* a ∪ b as a new set (NULL if either is NULL or the union is too large). */
static struct sset *sset_union(struct parse *ps, const struct sset *a, const struct sset *b)
{
	struct sset *r;

	if (a == NULL || b == NULL)
		return NULL;
	r = sset_copy(ps, a);
	for (size_t i = 0; r != NULL && i < b->n; i++) {
		if (sset_add(ps, r, b->s[i], b->len[i]) != 0) {
			sset_free(r);
			return NULL;
		}
	}
	return r;
}

/* The prefix an info offers: its exact set when it has one. */
static struct sset *info_prefix(struct parse *ps, const struct info *i)
{
	return sset_copy(ps, i->exact != NULL ? i->exact : i->prefix);
}

/* The best requirement an info offers, as a new set. */
static struct sset *info_best(struct parse *ps, const struct info *i)
{
	struct sset *best = sset_copy(ps, i->exact);

	keep_best(&best, sset_copy(ps, i->req));
	return best;
}

/* a followed by b; consumes both. */
static struct info concat(struct parse *ps, struct info a, struct info b)
{
	struct info r = {NULL, NULL, NULL};

	if (a.exact != NULL && b.exact != NULL && a.exact->n * b.exact->n <= SET_MAX) {
		int ok = 1;
		r.exact = sset_new(ps);
		for (size_t i = 0; r.exact != NULL && ok && i < a.exact->n; i++) {
			for (size_t j = 0; ok && j < b.exact->n; j++) {
				char buf[2 * STR_MAX + 2];
				size_t la = a.exact->len[i];
				size_t lb = b.exact->len[j];
				if (la + lb > STR_MAX) {
					ok = 0;
					break;
				}
				memcpy(buf, a.exact->s[i], la);
				memcpy(buf + la, b.exact->s[j], lb);
				if (sset_add(ps, r.exact, buf, la + lb) != 0)
					ok = 0;
			}
		}
		if (ok && r.exact != NULL) {
			r.prefix = sset_copy(ps, r.exact);
			/* The parts' requirements still hold; keep the best of all. */
			r.req = info_best(ps, &a);
			keep_best(&r.req, info_best(ps, &b));
			info_free(&a);
			info_free(&b);
			return r;
		}
		sset_free(r.exact);
		r.exact = NULL;
	}
	r.req = info_best(ps, &a);
	keep_best(&r.req, info_best(ps, &b));
	info_free(&a);
	info_free(&b);
	return r;
}

/* a | b; consumes both. */
static struct info alternate(struct parse *ps, struct info a, struct info b)
{
	struct info r = {NULL, NULL, NULL};
	struct sset *ra;
	struct sset *rb;

	if (a.exact != NULL && b.exact != NULL) {
		r.exact = sset_copy(ps, a.exact);
		for (size_t i = 0; r.exact != NULL && i < b.exact->n; i++) {
			if (sset_add(ps, r.exact, b.exact->s[i], b.exact->len[i]) != 0) {
				sset_free(r.exact);
				r.exact = NULL;
			}
		}
	}
	ra = info_best(ps, &a);
	rb = info_best(ps, &b);
	if (quality(ra) >= 0 && quality(rb) >= 0) {
		r.req = ra;
		ra = NULL;
		for (size_t i = 0; r.req != NULL && i < rb->n; i++) {
			if (sset_add(ps, r.req, rb->s[i], rb->len[i]) != 0) {
				sset_free(r.req);
				r.req = NULL;
			}
		}
	}
	sset_free(ra);
	sset_free(rb);
	{
		struct sset *pa = info_prefix(ps, &a);
		struct sset *pb = info_prefix(ps, &b);
		r.prefix = sset_union(ps, pa, pb);
		sset_free(pa);
		sset_free(pb);
	}
	info_free(&a);
	info_free(&b);
	return r;
}

static int is_cased(uint32_t cp)
{
	return utf8proc_tolower((utf8proc_int32_t)cp) != (utf8proc_int32_t)cp ||
	       utf8proc_toupper((utf8proc_int32_t)cp) != (utf8proc_int32_t)cp;
}

/* One literal code point as an info (lower-cased ASCII; cased non-ASCII
 * letters are unknown, since caseless matching could meet another form). */
static struct info literal_cp(struct parse *ps, uint32_t cp)
{
	utf8proc_uint8_t buf[4];
	utf8proc_ssize_t n;
	struct info i = {NULL, NULL, NULL};

	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	if (cp >= 0x80 && is_cased(cp))
		return info_unknown();
	n = utf8proc_encode_char((utf8proc_int32_t)cp, buf);
	if (n <= 0)
		return info_unknown();
	i.exact = sset_one(ps, (const char *)buf, (size_t)n);
	i.prefix = sset_copy(ps, i.exact);
	return i;
}

/* Read one UTF-8 code point at *p. */
static uint32_t next_cp(struct parse *ps)
{
	utf8proc_int32_t cp = 0;
	utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)ps->p, -1, &cp);

	if (n <= 0) {
		ps->p++;
		return 0xFFFD;
	}
	ps->p += n;
	return (uint32_t)cp;
}

static struct info parse_alt(struct parse *ps);

/* A character class: exact when it is a short list of plain characters. */
static struct info parse_class(struct parse *ps)
{
	struct sset *s = sset_new(ps);
	int simple = 1;
	int first = 1;

	ps->p++; /* '[' */
	if (*ps->p == '^') {
		simple = 0;
		ps->p++;
	}
	while (*ps->p && (first || *ps->p != ']')) {
		uint32_t cp;
		first = 0;
		if (ps->p[0] == '[' && ps->p[1] == ':') {
			const char *end = strstr(ps->p, ":]");
			simple = 0;
			ps->p = end ? end + 2 : ps->p + 2;
			continue;
		}
		if (*ps->p == '\\') {
			ps->p++;
			if (*ps->p == '\0')
				break;
			if (strchr("dDwWsShHvVpPNRXC", *ps->p) != NULL || (*ps->p >= '0' && *ps->p <= '9') ||
			    *ps->p == 'x' || *ps->p == 'o' || *ps->p == 'c') {
				simple = 0;
				if ((*ps->p == 'p' || *ps->p == 'P' || *ps->p == 'x' || *ps->p == 'o') && ps->p[1] == '{') {
					const char *end = strchr(ps->p, '}');
					ps->p = end ? end + 1 : ps->p + 1;
				} else {
					ps->p++;
				}
				continue;
			}
			cp = next_cp(ps);
			if (cp == 'n')
				cp = '\n';
			else if (cp == 't')
				cp = '\t';
		} else {
			cp = next_cp(ps);
		}
		if (*ps->p == '-' && ps->p[1] != ']' && ps->p[1] != '\0') {
			/* A range: only short ASCII ranges stay exact. */
			uint32_t hi;
			ps->p++;
			if (*ps->p == '\\') {
				simple = 0;
				ps->p++;
				if (*ps->p)
					(void)next_cp(ps);
				continue;
			}
			hi = next_cp(ps);
			if (hi < cp || hi - cp > 8 || hi >= 0x80) {
				simple = 0;
				continue;
			}
			for (uint32_t c = cp; simple && s != NULL && c <= hi; c++) {
				struct info li = literal_cp(ps, c);
				if (li.exact == NULL || sset_add(ps, s, li.exact->s[0], li.exact->len[0]) != 0)
					simple = 0;
				info_free(&li);
			}
			continue;
		}
		if (simple && s != NULL) {
			struct info li = literal_cp(ps, cp);
			if (li.exact == NULL || sset_add(ps, s, li.exact->s[0], li.exact->len[0]) != 0)
				simple = 0;
			info_free(&li);
		}
	}
	if (*ps->p == ']')
		ps->p++;
	if (!simple || s == NULL || s->n == 0 || s->n > 16) {
		sset_free(s);
		return info_unknown();
	}
	{
		struct info i = {s, NULL, NULL};
		i.prefix = sset_copy(ps, s);
		return i;
	}
}

/* \d: no literal, but a known first byte. With PCRE2_UCP it is any decimal
 * digit (\p{Nd}): an ASCII digit, or a character of two to four bytes whose
 * first byte is a UTF-8 lead byte (0xC2-0xF4). Those bytes, one-byte strings
 * that are not all whole characters, are its prefix: every match starts with
 * one of them. */
static struct info digit_prefix(struct parse *ps)
{
	struct info i = {NULL, NULL, sset_new(ps)};

	for (unsigned b = '0'; i.prefix != NULL && b <= 0xF4; b = b == '9' ? 0xC2 : b + 1) {
		char c = (char)b;
		if (sset_add(ps, i.prefix, &c, 1) != 0) {
			sset_free(i.prefix);
			i.prefix = NULL;
		}
	}
	return i;
}

/* An escape after '\\'. */
static struct info parse_escape(struct parse *ps)
{
	char c;

	ps->p++; /* '\\' */
	c = *ps->p;
	if (c == '\0')
		return info_unknown();
	if (c == 'Q') {
		/* \Q...\E: a literal run. */
		struct info acc;
		ps->p++;
		acc = info_empty(ps);
		while (*ps->p && !(ps->p[0] == '\\' && ps->p[1] == 'E'))
			acc = concat(ps, acc, literal_cp(ps, next_cp(ps)));
		if (*ps->p)
			ps->p += 2;
		return acc;
	}
	if (c == 'E') {
		ps->p++;
		return info_empty(ps);
	}
	if (c == 'x' || c == 'o') {
		char *end;
		unsigned long v;
		ps->p++;
		if (*ps->p == '{') {
			v = strtoul(ps->p + 1, &end, c == 'x' ? 16 : 8);
			ps->p = *end == '}' ? end + 1 : end;
		} else {
			char hex[3] = {0};
			size_t k = 0;
			while (k < 2 && ((*ps->p >= '0' && *ps->p <= '9') || (*ps->p >= 'a' && *ps->p <= 'f') ||
					 (*ps->p >= 'A' && *ps->p <= 'F')))
				hex[k++] = *ps->p++;
			v = strtoul(hex, NULL, 16);
		}
		return literal_cp(ps, (uint32_t)v);
	}
	ps->p++;
	switch (c) {
	case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K':
		return info_empty(ps);
	case 'n': return literal_cp(ps, '\n');
	case 't': return literal_cp(ps, '\t');
	case 'r': return literal_cp(ps, '\r');
	case 'f': return literal_cp(ps, '\f');
	case 'e': return literal_cp(ps, 0x1b);
	case 'a': return literal_cp(ps, 0x07);
	case 'p': case 'P': case 'g': case 'k':
		if (*ps->p == '{' || *ps->p == '<' || *ps->p == '\'') {
			const char *end = strpbrk(ps->p, "}>'");
			ps->p = end ? end + 1 : ps->p + 1;
		} else if (*ps->p) {
			ps->p++;
		}
		return info_unknown();
	case 'd':
		return digit_prefix(ps);
	default:
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			return info_unknown(); /* \w \s \1 ... */
		ps->p--;
		return literal_cp(ps, next_cp(ps));
	}
}

/* A group after '('. */
static struct info parse_group(struct parse *ps)
{
	struct info inner;
	int zero_width = 0;

	ps->p++; /* '(' */
	if (*ps->p == '*') {
		/* (*VERB) */
		const char *end = strchr(ps->p, ')');
		ps->p = end ? end + 1 : ps->p + strlen(ps->p);
		return info_empty(ps);
	}
	if (*ps->p == '?') {
		const char *q = ps->p + 1;
		if (*q == '#') {
			const char *end = strchr(q, ')');
			ps->p = end ? end + 1 : q + strlen(q);
			return info_empty(ps);
		}
		if (*q == 'C') {
			const char *end = strchr(q, ')');
			ps->p = end ? end + 1 : q + strlen(q);
			return info_empty(ps);
		}
		if (*q == ':' || *q == '>' || *q == '|') {
			ps->p = q + 1;
		} else if (*q == '=' || *q == '!') {
			ps->p = q + 1;
			zero_width = 1;
		} else if (*q == '<' && (q[1] == '=' || q[1] == '!')) {
			ps->p = q + 2;
			zero_width = 1;
		} else if (*q == '<' || *q == '\'' || (*q == 'P' && q[1] == '<')) {
			const char *end = strpbrk(q, ">'");
			if (end == NULL) {
				ps->fail = 1;
				return info_unknown();
			}
			ps->p = end + 1;
		} else {
			/* Option settings: (?i) (?-i) (?i:...); extended mode breaks parsing. */
			const char *s = q;
			while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '^') {
				if (*s == 'x') {
					ps->fail = 1;
					return info_unknown();
				}
				s++;
			}
			if (*s == ')') {
				ps->p = s + 1;
				return info_empty(ps);
			}
			if (*s == ':') {
				ps->p = s + 1;
			} else {
				/* (?R), (?1), conditionals...: unknown, and skip it whole. */
				ps->fail = 1;
				return info_unknown();
			}
		}
	}
	if (++ps->depth > DEPTH_MAX) {
		ps->fail = 1;
		return info_unknown();
	}
	inner = parse_alt(ps);
	ps->depth--;
	if (*ps->p == ')')
		ps->p++;
	else
		ps->fail = 1;
	if (zero_width) {
		info_free(&inner);
		return info_empty(ps);
	}
	return inner;
}

/* Apply a quantifier, if one follows, to atom. */
static struct info quantify(struct parse *ps, struct info atom)
{
	unsigned long min = 1;
	unsigned long max = 1;
	struct info r = {NULL, NULL, NULL};

	if (*ps->p == '?') {
		min = 0;
		ps->p++;
	} else if (*ps->p == '*') {
		min = 0;
		max = ULONG_MAX;
		ps->p++;
	} else if (*ps->p == '+') {
		max = ULONG_MAX;
		ps->p++;
	} else if (*ps->p == '{' && ps->p[1] >= '0' && ps->p[1] <= '9') {
		char *end;
		min = strtoul(ps->p + 1, &end, 10);
		max = min;
		if (*end == ',') {
			if (end[1] == '}') {
				max = ULONG_MAX;
				end++;
			} else {
				max = strtoul(end + 1, &end, 10);
			}
		}
		if (*end != '}')
			return atom; /* a literal '{' follows; handled by the caller */
		ps->p = end + 1;
	} else {
		return atom;
	}
	if (*ps->p == '?' || *ps->p == '+')
		ps->p++; /* lazy or possessive: same strings */
	if (min == 0) {
		struct sset *pre = info_prefix(ps, &atom);
		if (pre != NULL && sset_add(ps, pre, "", 0) != 0) {
			sset_free(pre);
			pre = NULL;
		}
		r.prefix = pre;
		if (max == 1 && atom.exact != NULL) {
			r.exact = sset_copy(ps, atom.exact);
			if (r.exact != NULL && sset_add(ps, r.exact, "", 0) != 0) {
				sset_free(r.exact);
				r.exact = NULL;
			}
		}
		info_free(&atom);
		return r;
	}
	if (min == max && min <= 4 && atom.exact != NULL) {
		struct info acc = info_empty(ps);
		for (unsigned long k = 0; k < min; k++) {
			struct info copy = {sset_copy(ps, atom.exact), sset_copy(ps, atom.req), NULL};
			acc = concat(ps, acc, copy);
		}
		info_free(&atom);
		return acc;
	}
	r.req = info_best(ps, &atom);
	r.prefix = info_prefix(ps, &atom);
	info_free(&atom);
	return r;
}

/* Add the non-empty strings of b to *a (a NULL *a stays NULL: unknown);
 * b NULL makes *a unknown. */
static void add_nonempty(struct parse *ps, struct sset **a, const struct sset *b)
{
	if (*a == NULL)
		return;
	if (b == NULL) {
		sset_free(*a);
		*a = NULL;
		return;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (b->len[i] > 0 && sset_add(ps, *a, b->s[i], b->len[i]) != 0) {
			sset_free(*a);
			*a = NULL;
			return;
		}
	}
}

/* A sequence. Literal runs are built across items ("ja" "r" "i" -> "jari")
 * and flushed into the best requirement when a non-literal item breaks
 * them, so "\\s*jari" still requires "jari".
 *
 * Its prefix: while everything so far may match nothing (an optional
 * "(?:wakil\\s+)?", a lookbehind), the strings any of it may start with are
 * gathered in pend and the next items are looked at too; the first item that
 * cannot be empty closes the prefix. A sequence that may match nothing at all
 * has "" in its prefix: its caller looks further. */
static struct info parse_seq(struct parse *ps)
{
	struct info run = info_empty(ps); /* exact strings of the current literal run */
	struct sset *req = NULL;          /* best requirement seen */
	int broken = 0;                   /* some item was not exact */
	struct sset *pend = sset_new(ps); /* non-empty prefixes of the items so far (NULL: unknown) */
	int open = 1;                     /* all items so far may be empty: the prefix is not closed */

	while (*ps->p && *ps->p != '|' && *ps->p != ')' && !ps->fail && !ps->oom) {
		struct info atom;
		char c = *ps->p;
		if (c == '(') {
			atom = parse_group(ps);
		} else if (c == '[') {
			atom = parse_class(ps);
		} else if (c == '\\') {
			atom = parse_escape(ps);
		} else if (c == '.') {
			ps->p++;
			atom = info_unknown();
		} else if (c == '^' || c == '$') {
			ps->p++;
			atom = info_empty(ps);
		} else {
			atom = literal_cp(ps, next_cp(ps));
		}
		atom = quantify(ps, atom);
		if (atom.exact != NULL && run.exact != NULL) {
			struct sset *keep = atom.req;
			atom.req = NULL;
			run = concat(ps, run, atom);
			keep_best(&req, keep);
			if (run.exact == NULL) {
				/* The run grew too large: keep what it required, start afresh.
				 * The prefix is unknown from here (simplest sound answer). */
				if (open) {
					open = 0;
					sset_free(pend);
					pend = NULL;
				}
				keep_best(&req, run.req);
				run.req = NULL;
				run = info_empty(ps);
				broken = 1;
			}
			continue;
		}
		/* A non-literal item: the run ends here. */
		if (open) {
			add_nonempty(ps, &pend, run.exact);
			if (!sset_has_empty(run.exact)) {
				open = 0; /* the run cannot be empty: it closes the prefix */
			} else {
				/* The run may be empty: a match may start with this item. */
				add_nonempty(ps, &pend, atom.prefix);
				if (atom.prefix == NULL || !sset_has_empty(atom.prefix))
					open = 0;
			}
		}
		keep_best(&req, sset_copy(ps, run.exact));
		keep_best(&req, run.req);
		run.req = NULL;
		info_free(&run);
		keep_best(&req, info_best(ps, &atom));
		info_free(&atom);
		run = info_empty(ps);
		broken = 1;
	}
	if (!broken) {
		keep_best(&run.req, req);
		sset_free(run.prefix);
		run.prefix = sset_copy(ps, run.exact);
		sset_free(pend);
		return run;
	}
	if (open) {
		/* The last run decides; if it too may be empty, so may the whole. */
		add_nonempty(ps, &pend, run.exact);
		if (sset_has_empty(run.exact) && pend != NULL && sset_add(ps, pend, "", 0) != 0) {
			sset_free(pend);
			pend = NULL;
		}
	}
	keep_best(&req, sset_copy(ps, run.exact));
	keep_best(&req, run.req);
	run.req = NULL;
	info_free(&run);
	{
		struct info r = {NULL, req, pend};
		return r;
	}
}

static struct info parse_alt(struct parse *ps)
{
	struct info acc = parse_seq(ps);

	while (*ps->p == '|' && !ps->fail && !ps->oom) {
		ps->p++;
		acc = alternate(ps, acc, parse_seq(ps));
	}
	return acc;
}

static void to_atoms(struct sset *set, struct netra_atoms *out, int leading)
{
	out->s = set->s;
	out->len = set->len;
	out->n = set->n;
	out->leading = leading;
	free(set);
}

int netra_atoms_extract(const char *regex, struct netra_atoms *req, struct netra_atoms *lead)
{
	struct parse ps = {regex, 0, 0, 0};
	struct info top;
	struct sset *best;
	struct sset *first = NULL;

	memset(req, 0, sizeof(*req));
	if (lead != NULL)
		memset(lead, 0, sizeof(*lead));
	top = parse_alt(&ps);
	if (*ps.p != '\0')
		ps.fail = 1; /* an unbalanced ')' */
	best = ps.fail ? NULL : info_best(&ps, &top);
	if (!ps.fail) {
		first = info_prefix(&ps, &top);
		if (first != NULL && (first->n == 0 || sset_has_empty(first))) {
			sset_free(first);
			first = NULL;
		}
	}
	info_free(&top);
	if (ps.oom) {
		sset_free(best);
		sset_free(first);
		return -2;
	}
	if (quality(best) < 0) {
		sset_free(best);
		sset_free(first);
		return -1;
	}
	to_atoms(best, req, 0);
	if (first != NULL && lead != NULL)
		to_atoms(first, lead, 1);
	else
		sset_free(first);
	return 0;
}

/* ---- word-start analysis ------------------------------------------------ */

/* Past the character class starting at p ('['), read by the atoms parser;
 * NULL if unterminated. */
static const char *skip_class(const char *p)
{
	struct parse ps = {p, 0, 0, 0};
	struct info i = parse_class(&ps);

	info_free(&i);
	return ps.fail || ps.oom || ps.p[-1] != ']' ? NULL : ps.p;
}

/* Past the group opening at p ('('), after its ')'; NULL if unbalanced.
 * (Not parse_group(): that builds the literal sets of everything inside,
 * and this is asked of each group at each level.) */
static const char *skip_group(const char *p)
{
	int depth = 0;

	while (*p != '\0') {
		if (*p == '\\') {
			if (p[1] == '\0')
				return NULL;
			p += 2;
			continue;
		}
		if (*p == '[') {
			p = skip_class(p);
			if (p == NULL)
				return NULL;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
		p++;
	}
	return NULL;
}

/* Is p the negative lookbehind "(?<![...])" with \p{L} and \p{N} in a
 * class that is not negated? */
static int word_start_assertion(const char *p)
{
	const char *cls = p + 4;
	const char *end;
	int letters = 0;
	int numbers = 0;

	if (strncmp(p, "(?<![", 5) != 0 || cls[1] == '^')
		return 0;
	end = skip_class(cls);
	/* The class must close the lookbehind, and no quantifier may make
	 * the assertion optional ("(?<![...])?"). */
	if (end == NULL || *end != ')' || end[1] == '?' || end[1] == '*' || end[1] == '+' ||
	    end[1] == '{')
		return 0;
	/* The class's items, escapes read whole ("\\p{L}" is a backslash and
	 * "p{L}", not \p{L}). */
	for (const char *q = cls + 1; q < end - 1; q++) {
		if (*q != '\\')
			continue;
		if (q[1] == 'Q')
			return 0; /* quoted text: not worth reading */
		if (strncmp(q + 1, "p{L}", 4) == 0)
			letters = 1;
		else if (strncmp(q + 1, "p{N}", 4) == 0)
			numbers = 1;
		q++; /* the escaped character */
	}
	return letters && numbers;
}

static int alternatives_start_after_boundary(const char *p, const char *end, int depth);

/* Does the alternative starting at p begin with the word-start assertion? */
static int alternative_starts_after_boundary(const char *p, const char *end, int depth)
{
	const char *after;

	if (depth > DEPTH_MAX || p >= end)
		return 0;
	if (word_start_assertion(p))
		return 1;
	if (strncmp(p, "(?:", 3) != 0)
		return 0;
	after = skip_group(p);
	if (after == NULL || after > end)
		return 0;
	/* The group must not be optional or repeated. */
	if (*after == '?' || *after == '*' || *after == '{' || *after == '+')
		return 0;
	return alternatives_start_after_boundary(p + 3, after - 1, depth + 1);
}

/* Do all the alternatives in [p, end) (one group's inside, or the whole
 * pattern) begin with the word-start assertion? */
static int alternatives_start_after_boundary(const char *p, const char *end, int depth)
{
	const char *alt = p;

	while (p < end) {
		if (*p == '\\') {
			p += 2;
		} else if (*p == '[') {
			p = skip_class(p);
			if (p == NULL || p > end)
				return 0;
		} else if (*p == '(') {
			p = skip_group(p);
			if (p == NULL || p > end)
				return 0;
		} else if (*p == '|') {
			if (!alternative_starts_after_boundary(alt, p, depth))
				return 0;
			alt = ++p;
		} else {
			p++;
		}
	}
	return alternative_starts_after_boundary(alt, end, depth);
}

int netra_atoms_starts_after_boundary(const char *regex)
{
	/* Option settings such as (?x) at the start change the syntax. */
	if (regex == NULL || strncmp(regex, "(*", 2) == 0)
		return 0;
	return alternatives_start_after_boundary(regex, regex + strlen(regex), 0);
}

void netra_atoms_free(struct netra_atoms *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++)
		free(a->s[i]);
	free(a->s);
	free(a->len);
	memset(a, 0, sizeof(*a));
}
