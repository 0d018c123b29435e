/* The suggested-sanction table and the labels case files print. */
#include "sinks/sanctions.h"

#include "core/error.h"
#include "core/timeutil.h"
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SANCTIONS_FILE_MAX = 1024 * 1024, SANCTIONS_ROWS_MAX = 4096 };

/* One row of the table. */
struct row {
	char *category; /* category code */
	char *stage;    /* a stage class or a single stage's name */
	char *sanction; /* sanction kind */
	char *basis;    /* legal basis, free text */
	size_t line;    /* line in the file */
};

struct netra_sanctions {
	struct row *rows; /* the rows in file order */
	size_t n;         /* entries in rows */
};

/* Code and label of each sanction kind, mildest first. */
static const char *const sanctions[][2] = {
	{"sanksi_moral", "Sanksi moral"},
	{"hukuman_disiplin_ringan", "Hukuman disiplin ringan"},
	{"hukuman_disiplin_sedang", "Hukuman disiplin sedang"},
	{"hukuman_disiplin_berat", "Hukuman disiplin berat"},
	{"ptdh", "Pemberhentian tidak dengan hormat (PTDH)"},
};

/* Code and label of each category (contracts/categories.md). */
static const char *const categories[][2] = {
	{"dukungan", "Dukungan di media sosial"},
	{"ajakan", "Ajakan memilih"},
	{"foto", "Foto atau gestur bersama calon"},
	{"baliho", "Baliho dan alat peraga kampanye"},
	{"kegiatan", "Kegiatan kampanye"},
	{"pencalonan", "Pencalonan diri"},
	{"parpol", "Keanggotaan partai politik"},
	{"fasilitas", "Penyalahgunaan jabatan atau fasilitas"},
};

/* Stages at or after candidates are formally set (docs/quality.md), for
 * when no election file tells the dates. */
static const char *const after_stages[] = {"penetapan", "pengundian_nomor_urut", "kampanye",
					   "masa_tenang", "pemungutan", "rekapitulasi"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int netra_sanction_rank(const char *name)
{
	for (size_t i = 0; name != NULL && i < COUNT(sanctions); i++) {
		if (strcmp(sanctions[i][0], name) == 0)
			return (int)i + 1;
	}
	return 0;
}

int netra_sanction_valid(const char *name)
{
	return netra_sanction_rank(name) > 0;
}

const char *netra_sanction_kinds(void)
{
	return "sanksi_moral hukuman_disiplin_ringan hukuman_disiplin_sedang "
	       "hukuman_disiplin_berat ptdh";
}

const char *netra_sanction_label(const char *name)
{
	int r = netra_sanction_rank(name);

	return r > 0 ? sanctions[r - 1][1] : name;
}

int netra_category_index(const char *code)
{
	for (size_t i = 0; code != NULL && i < COUNT(categories); i++) {
		if (strcmp(categories[i][0], code) == 0)
			return (int)i;
	}
	return -1;
}

const char *netra_category_code(int i)
{
	return i >= 0 && (size_t)i < COUNT(categories) ? categories[i][0] : NULL;
}

int netra_category_code_valid(const char *code)
{
	return netra_category_index(code) >= 0;
}

const char *netra_category_label(const char *code)
{
	for (size_t i = 0; code != NULL && i < COUNT(categories); i++) {
		if (strcmp(categories[i][0], code) == 0)
			return categories[i][1];
	}
	return code;
}

void netra_sanctions_destroy(struct netra_sanctions **sp)
{
	struct netra_sanctions *s;

	if (sp == NULL || *sp == NULL)
		return;
	s = *sp;
	for (size_t i = 0; i < s->n; i++) {
		free(s->rows[i].category);
		free(s->rows[i].stage);
		free(s->rows[i].sanction);
		free(s->rows[i].basis);
	}
	free(s->rows);
	free(s);
	*sp = NULL;
}

/* Copy n bytes of p into a new string. */
static char *dupn(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* Split one line (without its newline) into exactly four tab-separated
 * fields. Returns the number of fields found (at most 5). */
static size_t split(const char *line, size_t len, const char *f[4], size_t flen[4])
{
	size_t nf = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			if (nf < 4) {
				f[nf] = line + start;
				flen[nf] = i - start;
			}
			nf++;
			start = i + 1;
			if (nf > 4)
				break;
		}
	}
	return nf;
}

static int is_stage_name(const char *p, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
			return 0;
	}
	return 1;
}

int netra_sanctions_parse(const char *text, size_t len, const char *name,
			  struct netra_sanctions **out, char *err, size_t errsz)
{
	struct netra_sanctions *s = calloc(1, sizeof(*s));
	size_t lineno = 0;
	size_t pos = 0;
	int header = 0;
	int rc = NETRA_EINVAL;

	*out = NULL;
	if (s == NULL)
		return NETRA_ENOMEM;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - pos;
		const char *f[4];
		size_t flen[4];
		size_t nf;
		struct row *r;
		char tmp[128];

		pos += n + (nl != NULL);
		lineno++;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n == 0 || line[0] == '#')
			continue;
		if (!netra_utf8_valid(line, n)) {
			snprintf(err, errsz, "%s:%zu: not valid UTF-8", name, lineno);
			goto fail;
		}
		nf = split(line, n, f, flen);
		if (nf != 4) {
			snprintf(err, errsz, "%s:%zu: %zu tab-separated field(s), want 4 (category, "
				 "stage, sanction, basis)", name, lineno, nf);
			goto fail;
		}
		if (!header) {
			if (!(flen[0] == 8 && memcmp(f[0], "category", 8) == 0 && flen[1] == 5 &&
			      memcmp(f[1], "stage", 5) == 0 && flen[2] == 8 &&
			      memcmp(f[2], "sanction", 8) == 0 && flen[3] == 5 &&
			      memcmp(f[3], "basis", 5) == 0)) {
				snprintf(err, errsz, "%s:%zu: the first row must be the header "
					 "\"category<TAB>stage<TAB>sanction<TAB>basis\"", name, lineno);
				goto fail;
			}
			header = 1;
			continue;
		}
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(flen[0] < 100 ? flen[0] : 100), f[0]);
		if (!netra_category_code_valid(tmp) || flen[0] >= 100) {
			snprintf(err, errsz, "%s:%zu: category \"%s\" is not one of dukungan, ajakan, "
				 "foto, baliho, kegiatan, pencalonan, parpol, fasilitas", name, lineno, tmp);
			goto fail;
		}
		if (!is_stage_name(f[1], flen[1])) {
			snprintf(err, errsz, "%s:%zu: stage \"%.*s\" must be %s, %s or a stage name "
				 "(a-z, 0-9, _)", name, lineno, (int)(flen[1] < 64 ? flen[1] : 64), f[1],
				 NETRA_STAGE_BEFORE, NETRA_STAGE_AFTER);
			goto fail;
		}
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(flen[2] < 100 ? flen[2] : 100), f[2]);
		if (!netra_sanction_valid(tmp) || flen[2] >= 100) {
			snprintf(err, errsz, "%s:%zu: sanction \"%s\" is not one of %s", name, lineno,
				 tmp, netra_sanction_kinds());
			goto fail;
		}
		if (flen[3] == 0) {
			snprintf(err, errsz, "%s:%zu: the basis is empty", name, lineno);
			goto fail;
		}
		for (size_t i = 0; i < s->n; i++) {
			if (strlen(s->rows[i].category) == flen[0] &&
			    memcmp(s->rows[i].category, f[0], flen[0]) == 0 &&
			    strlen(s->rows[i].stage) == flen[1] &&
			    memcmp(s->rows[i].stage, f[1], flen[1]) == 0) {
				snprintf(err, errsz, "%s:%zu: %s/%s is already given on line %zu", name,
					 lineno, s->rows[i].category, s->rows[i].stage, s->rows[i].line);
				goto fail;
			}
		}
		if (s->n >= SANCTIONS_ROWS_MAX) {
			snprintf(err, errsz, "%s:%zu: more than %d rows", name, lineno,
				 SANCTIONS_ROWS_MAX);
			goto fail;
		}
		r = realloc(s->rows, (s->n + 1) * sizeof(*r));
		if (r == NULL)
			goto oom;
		s->rows = r;
		r = &s->rows[s->n];
		memset(r, 0, sizeof(*r));
		s->n++;
		r->line = lineno;
		r->category = dupn(f[0], flen[0]);
		r->stage = dupn(f[1], flen[1]);
		r->sanction = dupn(f[2], flen[2]);
		r->basis = dupn(f[3], flen[3]);
		if (r->category == NULL || r->stage == NULL || r->sanction == NULL ||
		    r->basis == NULL)
			goto oom;
	}
	if (!header) {
		snprintf(err, errsz, "%s:%zu: no header row", name, lineno);
		goto fail;
	}
	*out = s;
	return NETRA_OK;
oom:
	rc = NETRA_ENOMEM;
	snprintf(err, errsz, "%s: out of memory", name);
fail:
	netra_sanctions_destroy(&s);
	return rc;
}

int netra_sanctions_load(const char *path, struct netra_sanctions **out, char *err,
			 size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = netra_file_read(path, SANCTIONS_FILE_MAX, &text, &len, err, errsz);
	if (rc == NETRA_OK)
		rc = netra_sanctions_parse(text, len, path, out, err, errsz);
	free(text);
	return rc;
}

int netra_sanctions_suggest(const struct netra_sanctions *s, const char *category,
			    const char *stage, const char *stage_class, const char **sanction,
			    const char **basis)
{
	const struct row *by_class = NULL;

	for (size_t i = 0; s != NULL && category != NULL && i < s->n; i++) {
		const struct row *r = &s->rows[i];
		if (strcmp(r->category, category) != 0)
			continue;
		if (stage != NULL && strcmp(r->stage, stage) == 0) {
			*sanction = r->sanction;
			*basis = r->basis;
			return NETRA_OK;
		}
		if (stage_class != NULL && strcmp(r->stage, stage_class) == 0)
			by_class = r;
	}
	if (by_class == NULL)
		return NETRA_ENOTFOUND;
	*sanction = by_class->sanction;
	*basis = by_class->basis;
	return NETRA_OK;
}

const char *netra_stage_class(const char *stage, const struct netra_election *e,
			      int64_t when)
{
	const struct netra_stage *set = NULL;

	for (size_t i = 0; e != NULL && i < netra_election_nstages(e); i++) {
		if (strcmp(netra_election_stage(e, i)->name, "penetapan") == 0)
			set = netra_election_stage(e, i);
	}
	if (set != NULL) {
		/* The dates decide: the stage's first day, else the act's date in
		 * the election's time zone. */
		for (size_t i = 0; stage != NULL && i < netra_election_nstages(e); i++) {
			const struct netra_stage *st = netra_election_stage(e, i);
			if (strcmp(st->name, stage) == 0)
				return st->start >= set->start ? NETRA_STAGE_AFTER : NETRA_STAGE_BEFORE;
		}
		if (when != 0) {
			int64_t local = when + (int64_t)netra_election_tz_minutes(e) * 60;
			int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
			return day >= set->start ? NETRA_STAGE_AFTER : NETRA_STAGE_BEFORE;
		}
	}
	if (stage == NULL)
		return NULL;
	for (size_t i = 0; i < COUNT(after_stages); i++) {
		if (strcmp(after_stages[i], stage) == 0)
			return NETRA_STAGE_AFTER;
	}
	return NETRA_STAGE_BEFORE;
}
