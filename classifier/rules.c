#include "classifier/rules.h"

#include "core/error.h"
#include "core/post.h"
#include "core/util.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { RULE_FILE_MAX = 8 * 1024 * 1024, MAX_PATTERNS = 32, MAX_PROBLEMS = 200 };

static const char *const categories[NETRA_NCATEGORIES] = {
	"dukungan", "ajakan", "foto", "baliho", "kegiatan", "pencalonan", "parpol", "fasilitas"};

const char *netra_category_name(int i)
{
	return i >= 0 && i < NETRA_NCATEGORIES ? categories[i] : "*";
}

int netra_category_parse(const char *name)
{
	for (int i = 0; i < NETRA_NCATEGORIES; i++) {
		if (strcmp(name, categories[i]) == 0)
			return i;
	}
	return -1;
}

/* Parser state for one load (possibly several files). */
struct parser {
	struct netra_ruleset *rs;  /* being built */
	const char *file;          /* current file name */
	size_t line;               /* current line */
	struct netra_rule *rule;   /* rule being read, or NULL at top level */
	int rule_bad;              /* the current rule had a problem */
	int have_category;         /* the current rule said "category" */
	int have_weight;           /* ... "weight" */
	char *cond_text;           /* ... its condition, parsed at "end" */
	size_t cond_line;          /* where the condition was */
	struct netra_buf *problems; /* messages out */
	size_t nproblems;          /* count */
	int oom;                   /* allocation failed */
};

__attribute__((format(printf, 3, 4))) static void problem(struct parser *p, size_t line,
							  const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	p->nproblems++;
	if (p->rule != NULL)
		p->rule_bad = 1;
	if (p->nproblems > MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)netra_buf_printf(p->problems, "%s:%zu: %s\n", p->file, line, msg);
}

static void cond_free(struct netra_cond *c)
{
	if (c == NULL)
		return;
	cond_free(c->a);
	cond_free(c->b);
	free(c);
}

static void rule_free(struct netra_rule *r)
{
	free(r->id);
	free(r->description);
	free(r->reference);
	for (size_t i = 0; i < r->npatterns; i++) {
		free(r->patterns[i].name);
		free(r->patterns[i].regex);
	}
	free(r->patterns);
	cond_free(r->cond);
	for (size_t i = 0; i < r->nprefilter; i++)
		free(r->prefilter[i]);
	free(r->prefilter);
	for (size_t i = 0; i < r->nexamples; i++) {
		for (size_t k = 0; k < r->examples[i].nparts; k++)
			free(r->examples[i].text[k]);
		free(r->examples[i].act);
	}
	free(r->examples);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

void netra_ruleset_destroy(struct netra_ruleset **rsp)
{
	struct netra_ruleset *rs;

	if (rsp == NULL || *rsp == NULL)
		return;
	rs = *rsp;
	for (size_t i = 0; i < rs->nrules; i++)
		rule_free(&rs->rules[i]);
	free(rs->rules);
	for (size_t i = 0; i < rs->ndefines; i++) {
		free(rs->defines[i].name);
		free(rs->defines[i].regex);
		free(rs->defines[i].file);
	}
	free(rs->defines);
	for (size_t i = 0; i < rs->nnumwords; i++)
		free(rs->numwords[i].word);
	free(rs->numwords);
	for (size_t i = 0; i < rs->ncommon; i++)
		free(rs->common[i]);
	free(rs->common);
	free(rs);
	*rsp = NULL;
}

const struct netra_define *netra_ruleset_define(const struct netra_ruleset *rs,
						const char *name)
{
	for (size_t i = 0; i < rs->ndefines; i++) {
		if (strcmp(rs->defines[i].name, name) == 0)
			return &rs->defines[i];
	}
	return NULL;
}

/* Grow an array by one element; returns the new element or NULL on OOM. */
static void *grow(void **arr, size_t *n, size_t elem)
{
	char *p = realloc(*arr, (*n + 1) * elem);

	if (p == NULL)
		return NULL;
	*arr = p;
	memset(p + *n * elem, 0, elem);
	return p + (*n)++ * elem;
}

static char *dup_trim(const char *s)
{
	size_t n;
	char *out;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	/* Optional surrounding double quotes. */
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static int valid_name(const char *s, int allow_dots)
{
	if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return 0;
	for (; *s; s++) {
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' ||
		      *s == '_' || (allow_dots && *s == '.')))
			return 0;
	}
	return 1;
}

/* ---- conditions ------------------------------------------------------ */

struct cparse {
	struct parser *p;           /* for problems */
	const struct netra_rule *r; /* pattern names */
	const char *s;              /* text */
	size_t pos;                 /* position */
	int failed;                 /* a problem was reported */
};

static void cskip(struct cparse *c)
{
	while (c->s[c->pos] == ' ' || c->s[c->pos] == '\t')
		c->pos++;
}

static int cword(struct cparse *c, char *out, size_t outsz)
{
	size_t n = 0;

	cskip(c);
	while (isalnum((unsigned char)c->s[c->pos]) || c->s[c->pos] == '_' || c->s[c->pos] == '-') {
		if (n + 1 < outsz)
			out[n++] = c->s[c->pos];
		c->pos++;
	}
	out[n] = '\0';
	return n > 0;
}

static int pattern_index(const struct netra_rule *r, const char *name)
{
	for (size_t i = 0; i < r->npatterns; i++) {
		if (strcmp(r->patterns[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

static struct netra_cond *cnode(struct cparse *c, enum netra_cond_op op)
{
	struct netra_cond *n = calloc(1, sizeof(*n));

	if (n == NULL)
		c->p->oom = 1;
	else
		n->op = op;
	return n;
}

__attribute__((format(printf, 2, 3))) static void cfail(struct cparse *c, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (c->failed)
		return;
	c->failed = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	problem(c->p, c->p->cond_line, "condition, at column %zu: %s", c->pos + 1, msg);
}

static struct netra_cond *cexpr(struct cparse *c, int depth);

static int cpattern(struct cparse *c, const char *name)
{
	int i = pattern_index(c->r, name);

	if (i < 0) {
		const char *names[MAX_PATTERNS];
		const char *hint;
		for (size_t k = 0; k < c->r->npatterns; k++)
			names[k] = c->r->patterns[k].name;
		hint = netra_did_you_mean(name, names, c->r->npatterns);
		cfail(c, "no pattern named '%s'%s%s%s", name, hint ? " (did you mean '" : "",
		      hint ? hint : "", hint ? "'?)" : "");
	}
	return i;
}

static struct netra_cond *cprimary(struct cparse *c, int depth)
{
	char w[64];
	struct netra_cond *n;

	cskip(c);
	if (depth > 32) {
		cfail(c, "nested too deeply");
		return NULL;
	}
	if (c->s[c->pos] == '(') {
		c->pos++;
		n = cexpr(c, depth + 1);
		cskip(c);
		if (c->s[c->pos] != ')') {
			cfail(c, "expected ')'");
			cond_free(n);
			return NULL;
		}
		c->pos++;
		return n;
	}
	if (!cword(c, w, sizeof(w))) {
		cfail(c, "expected a pattern name, 'not', 'near(...)' or '('");
		return NULL;
	}
	if (strcmp(w, "not") == 0) {
		n = cnode(c, NETRA_C_NOT);
		if (n != NULL)
			n->a = cprimary(c, depth + 1);
		if (n != NULL && n->a == NULL) {
			cond_free(n);
			return NULL;
		}
		return n;
	}
	if (strcmp(w, "near") == 0) {
		char a[64];
		char b[64];
		char d[16];
		long dist;
		cskip(c);
		if (c->s[c->pos] != '(') {
			cfail(c, "near takes (pattern, pattern, characters)");
			return NULL;
		}
		c->pos++;
		if (!cword(c, a, sizeof(a)) || (cskip(c), c->s[c->pos] != ',')) {
			cfail(c, "near takes (pattern, pattern, characters)");
			return NULL;
		}
		c->pos++;
		if (!cword(c, b, sizeof(b)) || (cskip(c), c->s[c->pos] != ',')) {
			cfail(c, "near takes (pattern, pattern, characters)");
			return NULL;
		}
		c->pos++;
		if (!cword(c, d, sizeof(d)) || (cskip(c), c->s[c->pos] != ')')) {
			cfail(c, "near takes (pattern, pattern, characters)");
			return NULL;
		}
		c->pos++;
		dist = strtol(d, NULL, 10);
		if (dist < 1 || dist > 10000 || strspn(d, "0123456789") != strlen(d)) {
			cfail(c, "near distance must be a number of characters from 1 to 10000");
			return NULL;
		}
		n = cnode(c, NETRA_C_NEAR);
		if (n == NULL)
			return NULL;
		n->pat = cpattern(c, a);
		n->pat2 = cpattern(c, b);
		n->distance = (int)dist;
		if (n->pat < 0 || n->pat2 < 0) {
			cond_free(n);
			return NULL;
		}
		return n;
	}
	if (strcmp(w, "and") == 0 || strcmp(w, "or") == 0) {
		cfail(c, "'%s' needs something before it", w);
		return NULL;
	}
	n = cnode(c, NETRA_C_PAT);
	if (n == NULL)
		return NULL;
	n->pat = cpattern(c, w);
	if (n->pat < 0) {
		cond_free(n);
		return NULL;
	}
	return n;
}

static struct netra_cond *cbinary(struct cparse *c, int depth, const char *op,
				  enum netra_cond_op kind)
{
	struct netra_cond *left = kind == NETRA_C_OR ? cbinary(c, depth, "and", NETRA_C_AND)
						     : cprimary(c, depth);

	while (left != NULL) {
		size_t save = c->pos;
		char w[64];
		struct netra_cond *n;
		if (!cword(c, w, sizeof(w)) || strcmp(w, op) != 0) {
			c->pos = save;
			break;
		}
		n = cnode(c, kind);
		if (n == NULL) {
			cond_free(left);
			return NULL;
		}
		n->a = left;
		n->b = kind == NETRA_C_OR ? cbinary(c, depth, "and", NETRA_C_AND)
					  : cprimary(c, depth);
		if (n->b == NULL) {
			cond_free(n);
			return NULL;
		}
		left = n;
	}
	return left;
}

static struct netra_cond *cexpr(struct cparse *c, int depth)
{
	return cbinary(c, depth, "or", NETRA_C_OR);
}

static struct netra_cond *parse_condition(struct parser *p, const struct netra_rule *r,
					  const char *text)
{
	struct cparse c = {p, r, text, 0, 0};
	struct netra_cond *n = cexpr(&c, 0);

	cskip(&c);
	if (n != NULL && c.s[c.pos] != '\0') {
		cfail(&c, "unexpected '%s'", c.s + c.pos);
		cond_free(n);
		n = NULL;
	}
	return n;
}

/* 1 if the condition can be true with no pattern matching (e.g. "not x"):
 * such a rule would fire on every post. */
static int cond_true_when_empty(const struct netra_cond *c)
{
	switch (c->op) {
	case NETRA_C_PAT:
	case NETRA_C_NEAR: return 0;
	case NETRA_C_NOT: return !cond_true_when_empty(c->a);
	case NETRA_C_AND: return cond_true_when_empty(c->a) && cond_true_when_empty(c->b);
	case NETRA_C_OR: return cond_true_when_empty(c->a) || cond_true_when_empty(c->b);
	}
	return 0;
}

/* ---- rule keywords --------------------------------------------------- */

static unsigned field_bit(const char *name)
{
	static const struct {
		const char *name;
		unsigned bit;
	} f[] = {{"text", NETRA_F_TEXT},   {"ref", NETRA_F_REF},       {"alt", NETRA_F_ALT},
		 {"ocr", NETRA_F_OCR},     {"media", NETRA_F_ALT | NETRA_F_OCR},
		 {"report", NETRA_F_REPORT}, {"bio", NETRA_F_BIO},
		 {"evidence", NETRA_F_EVIDENCE}};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (strcmp(name, f[i].name) == 0)
			return f[i].bit;
	}
	return 0;
}

static void finish_rule(struct parser *p, size_t line)
{
	struct netra_rule *r = p->rule;

	if (!p->have_category && r->kind != NETRA_RULE_SUBJECT)
		problem(p, r->line, "rule %s: no category", r->id);
	if (!p->have_weight)
		problem(p, r->line, "rule %s: no weight", r->id);
	if (r->npatterns == 0)
		problem(p, r->line, "rule %s: no pattern", r->id);
	if (r->description == NULL)
		problem(p, r->line, "rule %s: no description", r->id);
	if (r->kind == NETRA_RULE_EVIDENCE && r->reference == NULL)
		problem(p, r->line, "rule %s: no reference (the legal basis)", r->id);
	if (r->kind == NETRA_RULE_EVIDENCE && (r->fields & NETRA_F_BIO))
		problem(p, r->line, "rule %s: evidence rules cannot look at bio (use kind subject)",
			r->id);
	if (r->kind == NETRA_RULE_SUBJECT)
		r->fields = NETRA_F_BIO;
	else if (r->fields == 0)
		r->fields = NETRA_F_EVIDENCE;
	for (size_t i = 0; i < r->npatterns; i++)
		r->fields |= r->patterns[i].fields;
	if (p->cond_text != NULL) {
		r->cond = parse_condition(p, r, p->cond_text);
	} else if (r->npatterns == 1) {
		r->cond = calloc(1, sizeof(*r->cond));
		if (r->cond == NULL)
			p->oom = 1;
	} else if (r->npatterns > 1) {
		problem(p, r->line, "rule %s: has %zu patterns but no condition", r->id,
			r->npatterns);
	}
	if (r->cond != NULL && cond_true_when_empty(r->cond))
		problem(p, p->cond_line, "rule %s: condition is true when nothing matches", r->id);
	(void)line;
	free(p->cond_text);
	p->cond_text = NULL;
	if (p->rule_bad) {
		rule_free(r);
		p->rs->nrules--;
	}
	p->rule = NULL;
}

static void rule_keyword(struct parser *p, const char *kw, const char *rest)
{
	struct netra_rule *r = p->rule;

	if (strcmp(kw, "rev") == 0) {
		char *end;
		long v = strtol(rest, &end, 10);
		if (end == rest || *end != '\0' || v < 1 || v > 1000000)
			problem(p, p->line, "rev must be a positive integer");
		r->rev = (int)v;
	} else if (strcmp(kw, "status") == 0) {
		if (strcmp(rest, "experimental") == 0)
			r->status = NETRA_STATUS_EXPERIMENTAL;
		else if (strcmp(rest, "stable") == 0)
			r->status = NETRA_STATUS_STABLE;
		else if (strcmp(rest, "deprecated") == 0)
			r->status = NETRA_STATUS_DEPRECATED;
		else
			problem(p, p->line, "status must be experimental, stable or deprecated");
	} else if (strcmp(kw, "kind") == 0) {
		if (strcmp(rest, "evidence") == 0)
			r->kind = NETRA_RULE_EVIDENCE;
		else if (strcmp(rest, "suppress") == 0)
			r->kind = NETRA_RULE_SUPPRESS;
		else if (strcmp(rest, "subject") == 0)
			r->kind = NETRA_RULE_SUBJECT;
		else
			problem(p, p->line, "kind must be evidence, suppress or subject");
	} else if (strcmp(kw, "category") == 0) {
		p->have_category = 1;
		if (strcmp(rest, "*") == 0) {
			r->category = -1;
		} else if ((r->category = netra_category_parse(rest)) < 0) {
			const char *hint = netra_did_you_mean(rest, categories, NETRA_NCATEGORIES);
			problem(p, p->line, "unknown category '%s'%s%s%s", rest,
				hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		}
	} else if (strcmp(kw, "description") == 0 || strcmp(kw, "reference") == 0) {
		char **f = kw[0] == 'd' ? &r->description : &r->reference;
		free(*f);
		*f = dup_trim(rest);
		if (*f == NULL)
			p->oom = 1;
	} else if (strcmp(kw, "weight") == 0) {
		char *end;
		double w = strtod(rest, &end);
		p->have_weight = 1;
		if (end == rest || *end != '\0' || !(w > 0.0 && w <= 1.0))
			problem(p, p->line, "weight must be a number above 0 and at most 1");
		r->weight = w;
	} else if (strcmp(kw, "fields") == 0 || strcmp(kw, "acts") == 0) {
		char buf[256];
		char *save = NULL;
		char *tok;
		netra_strlcpy(buf, rest, sizeof(buf));
		for (tok = strtok_r(buf, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
			if (kw[0] == 'f') {
				unsigned b = field_bit(tok);
				if (b == 0)
					problem(p, p->line,
						"unknown field '%s' (text, ref, alt, ocr, media, "
						"report, evidence, bio)",
						tok);
				r->fields |= b;
			} else {
				enum netra_act a;
				if (netra_act_parse(tok, &a) != 0)
					problem(p, p->line,
						"unknown act '%s' (post, share, comment, like, "
						"follow, report)",
						tok);
				else
					r->acts |= 1u << a;
			}
		}
	} else if (strcmp(kw, "pattern") == 0) {
		char name[64];
		size_t n = strcspn(rest, " \t");
		const char *re = rest + n;
		struct netra_rule_pattern *pat;
		while (*re == ' ' || *re == '\t')
			re++;
		if (n == 0 || n >= sizeof(name) || *re == '\0') {
			problem(p, p->line, "pattern needs a name and a regular expression");
			return;
		}
		memcpy(name, rest, n);
		name[n] = '\0';
		{
			char *at = strchr(name, '@');
			unsigned pf = 0;
			if (at != NULL) {
				char *save = NULL;
				char *tok;
				*at = '\0';
				for (tok = strtok_r(at + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
					unsigned b = field_bit(tok);
					if (b == 0) {
						problem(p, p->line, "pattern %s: unknown field '%s'", name, tok);
						return;
					}
					pf |= b;
				}
			}
			n = pf; /* reused below as the field mask */
		}
		if (!valid_name(name, 0)) {
			problem(p, p->line, "pattern name '%s' must be lower-case letters, digits, - or _",
				name);
			return;
		}
		if (pattern_index(r, name) >= 0) {
			problem(p, p->line, "pattern '%s' is defined twice", name);
			return;
		}
		if (r->npatterns >= MAX_PATTERNS) {
			problem(p, p->line, "more than %d patterns in one rule", MAX_PATTERNS);
			return;
		}
		pat = grow((void **)&r->patterns, &r->npatterns, sizeof(*pat));
		if (pat == NULL || (pat->name = netra_strdup(name)) == NULL ||
		    (pat->regex = netra_strdup(re)) == NULL) {
			p->oom = 1;
			return;
		}
		pat->line = p->line;
		pat->fields = (unsigned)n;
	} else if (strcmp(kw, "condition") == 0) {
		if (p->cond_text != NULL)
			problem(p, p->line, "a rule has one condition");
		free(p->cond_text);
		p->cond_text = netra_strdup(rest);
		p->cond_line = p->line;
		if (p->cond_text == NULL)
			p->oom = 1;
	} else if (strcmp(kw, "prefilter") == 0) {
		const char *s = rest;
		while (*s) {
			const char *q;
			char **lit;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '\0')
				break;
			if (*s != '"' || (q = strchr(s + 1, '"')) == NULL || q == s + 1) {
				problem(p, p->line, "prefilter takes one or more \"quoted literals\"");
				return;
			}
			lit = grow((void **)&r->prefilter, &r->nprefilter, sizeof(*lit));
			if (lit == NULL || (*lit = malloc((size_t)(q - s))) == NULL) {
				p->oom = 1;
				return;
			}
			memcpy(*lit, s + 1, (size_t)(q - s - 1));
			(*lit)[q - s - 1] = '\0';
			s = q + 1;
		}
	} else if (strcmp(kw, "match") == 0 || strcmp(kw, "nomatch") == 0) {
		struct netra_rule_example *ex;
		const char *s = rest;
		char *act = NULL;
		size_t n = strcspn(s, " \t:");
		enum netra_act a;
		char word[32];
		/* Optional act first: "like ref: text". */
		if (n > 0 && n < sizeof(word) && (s[n] == ' ' || s[n] == '\t')) {
			memcpy(word, s, n);
			word[n] = '\0';
			if (netra_act_parse(word, &a) == 0 && strchr(s + n, ':') != NULL) {
				act = netra_strdup(word);
				if (act == NULL)
					p->oom = 1;
				s += n;
				while (*s == ' ' || *s == '\t')
					s++;
			}
		}
		ex = grow((void **)&r->examples, &r->nexamples, sizeof(*ex));
		if (ex == NULL) {
			free(act);
			p->oom = 1;
			return;
		}
		ex->must_match = kw[0] == 'm';
		ex->act = act;
		ex->line = p->line;
		/* Parts: "field: text || field: text"; the first may have no field. */
		while (*s != '\0' && ex->nparts < NETRA_EXAMPLE_PARTS) {
			const char *sep = strstr(s, " || ");
			size_t len = sep ? (size_t)(sep - s) : strlen(s);
			unsigned field = 0;
			char part[4096];
			size_t fn = strcspn(s, " \t:");
			if (fn > 0 && fn < sizeof(word) && fn < len && s[fn] == ':') {
				memcpy(word, s, fn);
				word[fn] = '\0';
				field = field_bit(word);
				if (field != 0) {
					s += fn + 1;
					len -= fn + 1;
				}
			}
			if (field & (field - 1))
				field = NETRA_F_ALT;
			if (field == 0)
				field = r->kind == NETRA_RULE_SUBJECT ? NETRA_F_BIO : NETRA_F_TEXT;
			if (len >= sizeof(part))
				len = sizeof(part) - 1;
			memcpy(part, s, len);
			part[len] = '\0';
			ex->field[ex->nparts] = field;
			ex->text[ex->nparts] = dup_trim(part);
			if (ex->text[ex->nparts] == NULL) {
				p->oom = 1;
				return;
			}
			if (ex->text[ex->nparts][0] == '\0')
				problem(p, p->line, "%s needs an example text", kw);
			ex->nparts++;
			s = sep ? sep + 4 : s + len;
		}
		if (ex->nparts == 0)
			problem(p, p->line, "%s needs an example text", kw);
	} else {
		static const char *const kws[] = {"rev",       "status",  "kind",      "category",
						  "description", "reference", "weight", "fields",
						  "acts",      "pattern", "condition", "prefilter",
						  "match",     "nomatch", "end"};
		const char *hint = netra_did_you_mean(kw, kws, sizeof(kws) / sizeof(kws[0]));
		problem(p, p->line, "unknown keyword '%s'%s%s%s", kw, hint ? " (did you mean '" : "",
			hint ? hint : "", hint ? "'?)" : "");
	}
}

static void top_keyword(struct parser *p, const char *kw, const char *rest)
{
	struct netra_ruleset *rs = p->rs;

	if (strcmp(kw, "rule") == 0) {
		struct netra_rule *r;
		if (!valid_name(rest, 1) || strchr(rest, '.') == NULL) {
			problem(p, p->line,
				"rule id '%s' must look like category.name (lower case, digits, "
				"'-', '_', '.')",
				rest);
		}
		for (size_t i = 0; i < rs->nrules; i++) {
			if (strcmp(rs->rules[i].id, rest) == 0) {
				problem(p, p->line, "rule id '%s' is already used at %s:%zu", rest,
					rs->rules[i].file, rs->rules[i].line);
				break;
			}
		}
		r = grow((void **)&rs->rules, &rs->nrules, sizeof(*r));
		if (r == NULL || (r->id = netra_strdup(rest)) == NULL ||
		    (r->file = netra_strdup(p->file)) == NULL) {
			p->oom = 1;
			return;
		}
		r->line = p->line;
		r->rev = 1;
		r->status = NETRA_STATUS_STABLE;
		p->rule = r;
		p->rule_bad = 0;
		p->have_category = 0;
		p->have_weight = 0;
	} else if (strcmp(kw, "define") == 0) {
		size_t n = strcspn(rest, " \t");
		const char *re = rest + n;
		struct netra_define *d;
		char name[64];
		while (*re == ' ' || *re == '\t')
			re++;
		if (n == 0 || n >= sizeof(name) || *re == '\0') {
			problem(p, p->line, "define needs a name and a regular expression");
			return;
		}
		memcpy(name, rest, n);
		name[n] = '\0';
		if (!valid_name(name, 0)) {
			problem(p, p->line, "define name '%s' must be lower-case letters, digits, - or _",
				name);
			return;
		}
		if (netra_ruleset_define(rs, name) != NULL) {
			problem(p, p->line, "'%s' is already defined", name);
			return;
		}
		d = grow((void **)&rs->defines, &rs->ndefines, sizeof(*d));
		if (d == NULL || (d->name = netra_strdup(name)) == NULL ||
		    (d->regex = netra_strdup(re)) == NULL || (d->file = netra_strdup(p->file)) == NULL) {
			p->oom = 1;
			return;
		}
		d->line = p->line;
	} else if (strcmp(kw, "number") == 0 || strcmp(kw, "gesture") == 0) {
		char buf[1024];
		char *save = NULL;
		char *tok;
		char *end;
		long num;
		netra_strlcpy(buf, rest, sizeof(buf));
		tok = strtok_r(buf, " \t", &save);
		num = tok ? strtol(tok, &end, 10) : 0;
		if (tok == NULL || *end != '\0' || num < 1 || num > 99) {
			problem(p, p->line, "%s takes a ballot number (1-99) and then its %s", kw,
				kw[0] == 'n' ? "words" : "symbols");
			return;
		}
		while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
			struct netra_numword *w =
				grow((void **)&rs->numwords, &rs->nnumwords, sizeof(*w));
			if (w == NULL || (w->word = netra_strdup(tok)) == NULL) {
				p->oom = 1;
				return;
			}
			w->number = (int)num;
			w->gesture = kw[0] == 'g';
		}
	} else if (strcmp(kw, "common") == 0) {
		char buf[4096];
		char *save = NULL;
		char *tok;
		netra_strlcpy(buf, rest, sizeof(buf));
		for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
			char **w = grow((void **)&rs->common, &rs->ncommon, sizeof(*w));
			if (w == NULL || (*w = netra_strdup(tok)) == NULL) {
				p->oom = 1;
				return;
			}
		}
	} else {
		static const char *const kws[] = {"rule", "define", "number", "gesture", "common"};
		const char *hint = netra_did_you_mean(kw, kws, 5);
		problem(p, p->line, "unknown keyword '%s' outside a rule%s%s%s", kw,
			hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
	}
}

static void parse_text(struct parser *p, const char *text, size_t len)
{
	size_t pos = 0;

	p->line = 0;
	while (pos < len && !p->oom) {
		size_t end = pos;
		char line[4096];
		char kw[32];
		size_t n;
		char *rest;
		char *s;
		while (end < len && text[end] != '\n')
			end++;
		p->line++;
		n = end - pos;
		if (n >= sizeof(line)) {
			problem(p, p->line, "line longer than %zu bytes", sizeof(line) - 1);
			pos = end + 1;
			continue;
		}
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos = end + 1;
		if (memchr(line, '\0', n) != NULL || !netra_utf8_valid(line, n)) {
			problem(p, p->line, "not valid UTF-8 text");
			continue;
		}
		while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
			line[--n] = '\0';
		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		n = strcspn(s, " \t");
		if (n >= sizeof(kw)) {
			problem(p, p->line, "unknown keyword '%.20s...'", s);
			continue;
		}
		memcpy(kw, s, n);
		kw[n] = '\0';
		rest = s + n;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (p->rule != NULL) {
			if (strcmp(kw, "end") == 0)
				finish_rule(p, p->line);
			else if (strcmp(kw, "rule") == 0) {
				problem(p, p->line, "rule %s is not closed with 'end' before this rule",
					p->rule->id);
				finish_rule(p, p->line);
				top_keyword(p, kw, rest);
			} else
				rule_keyword(p, kw, rest);
		} else if (strcmp(kw, "end") == 0) {
			problem(p, p->line, "'end' outside a rule");
		} else {
			top_keyword(p, kw, rest);
		}
	}
	if (p->rule != NULL) {
		problem(p, p->line, "rule %s is not closed with 'end'", p->rule->id);
		finish_rule(p, p->line);
	}
}

static int parse_file(struct parser *p, const char *path)
{
	char *text = NULL;
	size_t len;
	char err[512];
	int rc = netra_file_read(path, RULE_FILE_MAX, &text, &len, err, sizeof(err));

	if (rc != NETRA_OK) {
		(void)netra_buf_printf(p->problems, "%s\n", err);
		p->nproblems++;
		return rc;
	}
	p->file = path;
	parse_text(p, text, len);
	free(text);
	return NETRA_OK;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int finish_load(struct parser *p, struct netra_ruleset **out, size_t *nproblems)
{
	*nproblems = p->nproblems;
	if (p->oom) {
		netra_ruleset_destroy(&p->rs);
		return NETRA_ENOMEM;
	}
	if (p->nproblems > 0) {
		if (p->nproblems > MAX_PROBLEMS)
			(void)netra_buf_printf(p->problems, "(%zu more problems not shown)\n",
					       p->nproblems - MAX_PROBLEMS);
		netra_ruleset_destroy(&p->rs);
		return NETRA_EINVAL;
	}
	*out = p->rs;
	p->rs = NULL;
	return NETRA_OK;
}

int netra_ruleset_parse(const char *text, size_t len, const char *name,
			struct netra_ruleset **out, struct netra_buf *problems,
			size_t *nproblems)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	*out = NULL;
	p.problems = problems;
	p.rs = calloc(1, sizeof(*p.rs));
	if (p.rs == NULL)
		return NETRA_ENOMEM;
	p.file = name;
	parse_text(&p, text, len);
	return finish_load(&p, out, nproblems);
}

int netra_ruleset_load(const char *path, struct netra_ruleset **out,
		       struct netra_buf *problems, size_t *nproblems)
{
	struct parser p;
	struct stat st;
	char **names = NULL;
	size_t nnames = 0;
	DIR *dir = NULL;
	int rc = NETRA_OK;

	memset(&p, 0, sizeof(p));
	*out = NULL;
	*nproblems = 0;
	p.problems = problems;
	if (stat(path, &st) != 0) {
		(void)netra_buf_printf(problems, "%s: rule pack not found\n", path);
		*nproblems = 1;
		return NETRA_EIO;
	}
	p.rs = calloc(1, sizeof(*p.rs));
	if (p.rs == NULL)
		return NETRA_ENOMEM;
	if (S_ISDIR(st.st_mode)) {
		struct dirent *de;
		dir = opendir(path);
		if (dir == NULL) {
			(void)netra_buf_printf(problems, "%s: cannot open the folder\n", path);
			p.nproblems++;
			rc = NETRA_EIO;
			goto cleanup;
		}
		while ((de = readdir(dir)) != NULL) {
			size_t n = strlen(de->d_name);
			char **slot;
			if (n < 7 || strcmp(de->d_name + n - 6, ".rules") != 0 || de->d_name[0] == '.')
				continue;
			slot = grow((void **)&names, &nnames, sizeof(*slot));
			if (slot == NULL) {
				rc = NETRA_ENOMEM;
				goto cleanup;
			}
			{
				struct netra_buf b;
				netra_buf_init(&b, 8192);
				if (netra_buf_printf(&b, "%s/%s", path, de->d_name) != NETRA_OK) {
					netra_buf_free(&b);
					*slot = NULL;
					rc = NETRA_ENOMEM;
					goto cleanup;
				}
				*slot = netra_buf_steal(&b);
			}
		}
		if (nnames == 0) {
			(void)netra_buf_printf(problems, "%s: no .rules files in this folder\n", path);
			p.nproblems++;
		}
		qsort(names, nnames, sizeof(*names), name_cmp);
		for (size_t i = 0; i < nnames && !p.oom; i++)
			(void)parse_file(&p, names[i]);
	} else {
		(void)parse_file(&p, path);
	}
	rc = finish_load(&p, out, nproblems);
cleanup:
	if (dir != NULL)
		closedir(dir);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (rc != NETRA_OK && p.rs != NULL)
		netra_ruleset_destroy(&p.rs);
	if (rc == NETRA_EIO || rc == NETRA_ENOMEM)
		*nproblems = p.nproblems ? p.nproblems : 1;
	return rc;
}
