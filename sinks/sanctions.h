/* The suggested-sanction table (rules/sanctions.tsv, docs/quality.md):
 * for each violation category and election-stage class, the sanction the
 * rule pack suggests and its legal basis. The table is data the users can
 * correct; the reviewer always decides. Also the Indonesian labels of the
 * categories and sanctions that case files print. */
#ifndef NETRA_SANCTIONS_H
#define NETRA_SANCTIONS_H

#include "core/election.h"

#include <stddef.h>
#include <stdint.h>

/* The two stage classes of the table. */
#define NETRA_STAGE_BEFORE "sebelum_penetapan"
#define NETRA_STAGE_AFTER "setelah_penetapan"

struct netra_sanctions;

/* Load a sanctions table (TSV: a header "category stage sanction basis",
 * '#' comments, one row per category and stage class or single stage).
 * On success *out is the caller's (netra_sanctions_destroy). Returns 0,
 * NETRA_EIO, or NETRA_EINVAL with err "file:line: reason". */
int netra_sanctions_load(const char *path, struct netra_sanctions **out, char *err,
			 size_t errsz);

/* Parse from memory; name labels messages. Same results as load. */
int netra_sanctions_parse(const char *text, size_t len, const char *name,
			  struct netra_sanctions **out, char *err, size_t errsz);

/* Free. NULL-safe; sets *s to NULL. */
void netra_sanctions_destroy(struct netra_sanctions **s);

/* The suggestion for category at stage (a stage name such as "kampanye",
 * or NULL) of class stage_class (NETRA_STAGE_BEFORE/AFTER, or NULL when
 * unknown). A row naming the stage itself wins over its class's row.
 * Returns 0 and *sanction and *basis (borrowed from the table), or
 * NETRA_ENOTFOUND. */
int netra_sanctions_suggest(const struct netra_sanctions *s, const char *category,
			    const char *stage, const char *stage_class, const char **sanction,
			    const char **basis);

/* The stage class of an act: stage is the stage name in force (or NULL),
 * e the election (or NULL), when the act's time (seconds since the epoch,
 * UTC; 0 when unknown). With an election that has a "penetapan" stage the
 * dates decide; otherwise the stage's name does. Returns NETRA_STAGE_BEFORE,
 * NETRA_STAGE_AFTER, or NULL when nothing tells. */
const char *netra_stage_class(const char *stage, const struct netra_election *e,
			      int64_t when);

/* 1 if name is a sanction kind (sanksi_moral, hukuman_disiplin_ringan,
 * hukuman_disiplin_sedang, hukuman_disiplin_berat, ptdh). */
int netra_sanction_valid(const char *name);

/* Severity rank of a sanction kind (1 moral .. 5 ptdh), 0 if unknown. */
int netra_sanction_rank(const char *name);

/* The sanction kinds, space-separated, for messages. */
const char *netra_sanction_kinds(void);

/* Indonesian label of a sanction kind ("Hukuman disiplin berat"); the name
 * itself when unknown. Borrowed. */
const char *netra_sanction_label(const char *name);

/* 1 if code is one of the eight category codes (contracts/categories.md). */
int netra_category_code_valid(const char *code);

/* The index (0..7, the order of contracts/categories.md) of a category
 * code, or -1. */
int netra_category_index(const char *code);

/* The code of category i (0..7); NULL otherwise. */
const char *netra_category_code(int i);

/* Indonesian label of a category code ("Ajakan memilih"); the code itself
 * when unknown. Borrowed. */
const char *netra_category_label(const char *code);

#endif
