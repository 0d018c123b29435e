/* The rule language (docs/rules.md): a rule pack is a folder of .rules
 * files. This module parses them into rules; classifier/engine.c expands
 * their placeholders against election files and compiles them. */
#ifndef NETRA_RULES_H
#define NETRA_RULES_H

#include "core/buf.h"

#include <stddef.h>

/* The eight violation categories (contracts/categories.md), in order. */
enum { NETRA_NCATEGORIES = 8 };

/* The code of category i ("dukungan" ...). */
const char *netra_category_name(int i);

/* The index of a category code, or -1. */
int netra_category_parse(const char *name);

/* Evidence fields a rule may look at (a bit set). */
enum netra_field_class {
	NETRA_F_TEXT = 1u << 0,   /* text */
	NETRA_F_REF = 1u << 1,    /* ref.text */
	NETRA_F_ALT = 1u << 2,    /* media[N].alt */
	NETRA_F_OCR = 1u << 3,    /* media[N].text */
	NETRA_F_REPORT = 1u << 4, /* report.description */
	NETRA_F_BIO = 1u << 5,    /* author.bio (subject rules only) */
	NETRA_F_EVIDENCE = NETRA_F_TEXT | NETRA_F_REF | NETRA_F_ALT | NETRA_F_OCR | NETRA_F_REPORT
};

enum netra_rule_kind {
	NETRA_RULE_EVIDENCE = 0, /* raises its category's score */
	NETRA_RULE_SUPPRESS = 1, /* lowers a category's (or every) score: news, reminders */
	NETRA_RULE_SUBJECT = 2   /* says whether author.bio is a civil servant's */
};

enum netra_rule_status { NETRA_STATUS_EXPERIMENTAL, NETRA_STATUS_STABLE, NETRA_STATUS_DEPRECATED };

/* A condition over a rule's named patterns. */
enum netra_cond_op { NETRA_C_PAT, NETRA_C_AND, NETRA_C_OR, NETRA_C_NOT, NETRA_C_NEAR };

struct netra_cond {
	enum netra_cond_op op;  /* node type */
	int pat;                /* PAT, NEAR: index of the (first) pattern */
	int pat2;               /* NEAR: index of the second pattern */
	int distance;           /* NEAR: most characters between the two */
	struct netra_cond *a;   /* AND, OR, NOT: left / only operand */
	struct netra_cond *b;   /* AND, OR: right operand */
};

struct netra_rule_pattern {
	char *name;      /* as used in the condition */
	char *regex;     /* PCRE2 source with {placeholders} */
	unsigned fields; /* NETRA_F_* bits it looks at ("name@text,ref"); 0 = the rule's */
	size_t line;     /* where it was written */
};

enum { NETRA_EXAMPLE_PARTS = 4 };

struct netra_rule_example {
	int must_match;   /* 1 for "match", 0 for "nomatch" */
	char *act;        /* act of the example post, or NULL */
	size_t nparts;    /* texts, each for one field ("ref: ... || text: ...") */
	unsigned field[NETRA_EXAMPLE_PARTS]; /* one NETRA_F_* bit per part */
	char *text[NETRA_EXAMPLE_PARTS];     /* the texts */
	size_t line;      /* where it was written */
};

struct netra_rule {
	char *id;                 /* stable id, e.g. "ajakan.coblos-nomor" */
	int rev;                  /* revision */
	enum netra_rule_status status; /* experimental, stable, deprecated */
	enum netra_rule_kind kind; /* evidence, suppress or subject */
	int category;             /* 0..7; -1 for "*" (suppress only) */
	char *description;        /* one line */
	char *reference;          /* legal reference */
	double weight;            /* 0 < weight <= 1 */
	unsigned fields;          /* NETRA_F_* bits the rule looks at */
	unsigned acts;            /* bit (1 << netra_act) per act; 0 = all acts */
	struct netra_rule_pattern *patterns; /* named patterns */
	size_t npatterns;         /* entries in patterns */
	struct netra_cond *cond;  /* condition over the patterns */
	char **prefilter;         /* literal override for the prefilter, or NULL */
	size_t nprefilter;        /* entries in prefilter */
	struct netra_rule_example *examples; /* inline examples */
	size_t nexamples;         /* entries in examples */
	char *file;               /* file it came from */
	size_t line;              /* line of "rule" */
};

/* A named snippet usable as {name} in patterns. */
struct netra_define {
	char *name;  /* placeholder name */
	char *regex; /* replacement */
	char *file;  /* where it was written */
	size_t line; /* line */
};

/* Words or symbols for a ballot number ("dua", "loro", "✌"). */
struct netra_numword {
	int number;   /* 1..99 */
	int gesture;  /* 1 for a gesture symbol, 0 for a word */
	char *word;   /* the word or symbol */
};

/* A parsed rule pack. Immutable once loaded. */
struct netra_ruleset {
	struct netra_rule *rules;     /* rules, in load order */
	size_t nrules;                /* entries */
	struct netra_define *defines; /* defines */
	size_t ndefines;              /* entries */
	struct netra_numword *numwords; /* number words and gestures */
	size_t nnumwords;             /* entries */
	char **common;                /* everyday words: aliases equal to one are weak */
	size_t ncommon;               /* entries */
};

/* Load every *.rules file of a folder (in name order) or one file. Every
 * problem found is appended to problems as "file:line: message\n"; the
 * count is returned in *nproblems. Returns 0 when the pack parsed with no
 * problem (then *out is the caller's), NETRA_EINVAL when there were
 * problems (*out is NULL), or NETRA_EIO/NETRA_ENOMEM. */
int netra_ruleset_load(const char *path, struct netra_ruleset **out,
		       struct netra_buf *problems, size_t *nproblems);

/* Parse one file's text (for tests and fuzzing). Same contract. */
int netra_ruleset_parse(const char *text, size_t len, const char *name,
			struct netra_ruleset **out, struct netra_buf *problems,
			size_t *nproblems);

/* Free. NULL-safe; sets *rs to NULL. */
void netra_ruleset_destroy(struct netra_ruleset **rs);

/* The define named name, or NULL. */
const struct netra_define *netra_ruleset_define(const struct netra_ruleset *rs,
						const char *name);

#endif
