#include "core/election.h"

#include "core/error.h"
#include "core/jsonpos.h"
#include "core/post.h"
#include "core/timeutil.h"
#include "core/util.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ELECTION_FILE_MAX = 4 * 1024 * 1024 };

struct netra_election {
	char *id;                          /* stable identifier */
	char *name;                        /* display name */
	int tz_minutes;                    /* UTC offset of the time zone */
	struct netra_stage *stages;        /* timeline */
	size_t nstages;                    /* entries in stages */
	struct netra_candidate *candidates; /* candidates */
	size_t ncandidates;                /* entries in candidates */
	struct netra_party *parties;       /* parties */
	size_t nparties;                   /* entries in parties */
};

/* Context for messages: the file's text lets errors carry line numbers. */
struct ectx {
	const char *name; /* file name for messages */
	const char *text; /* file text */
	size_t len;       /* its length */
	char *err;        /* message out */
	size_t errsz;     /* its size */
};

__attribute__((format(printf, 3, 4))) static int fail(struct ectx *c, const char *path,
						      const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%d: %s: %s", c->name,
		 netra_json_line(c->text, c->len, path), path[0] ? path : "(top level)", msg);
	return NETRA_EINVAL;
}

static void strv_free(struct netra_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* Read an optional (or required non-empty) array of non-empty strings. */
static int read_strv(struct ectx *c, const json_t *obj, const char *prefix,
		     const char *key, int required, struct netra_strv *out)
{
	const json_t *arr = json_object_get(obj, key);
	char path[128];
	size_t i;
	const json_t *v;

	snprintf(path, sizeof(path), "%s%s", prefix, key);
	if (arr == NULL) {
		if (required)
			return fail(c, path, "missing (required)");
		return NETRA_OK;
	}
	if (!json_is_array(arr))
		return fail(c, path, "must be an array of strings");
	if (required && json_array_size(arr) == 0)
		return fail(c, path, "must not be empty");
	out->v = calloc(json_array_size(arr) + 1, sizeof(char *));
	if (out->v == NULL)
		return NETRA_ENOMEM;
	json_array_foreach(arr, i, v) {
		char ipath[160];
		snprintf(ipath, sizeof(ipath), "%s[%zu]", path, i);
		if (!json_is_string(v))
			return fail(c, ipath, "must be a string");
		if (json_string_length(v) == 0)
			return fail(c, ipath, "must not be empty");
		out->v[out->n] = netra_strdup(json_string_value(v));
		if (out->v[out->n] == NULL)
			return NETRA_ENOMEM;
		out->n++;
	}
	return NETRA_OK;
}

static int read_string(struct ectx *c, const json_t *obj, const char *prefix,
		       const char *key, char **out)
{
	const json_t *v = json_object_get(obj, key);
	char path[128];

	snprintf(path, sizeof(path), "%s%s", prefix, key);
	if (v == NULL)
		return fail(c, path, "missing (required)");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return fail(c, path, "must be a non-empty string");
	*out = netra_strdup(json_string_value(v));
	return *out ? NETRA_OK : NETRA_ENOMEM;
}

static int check_keys(struct ectx *c, const json_t *obj, const char *prefix,
		      const char *const *known, size_t n)
{
	const char *key;
	const json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			found |= strcmp(key, known[i]) == 0;
		if (!found) {
			char path[160];
			const char *hint = netra_did_you_mean(key, known, n);
			snprintf(path, sizeof(path), "%s%s", prefix, key);
			if (hint != NULL)
				return fail(c, path, "unknown field (did you mean \"%s\"?)", hint);
			/* Unknown fields that are not typos are allowed (formats.md). */
		}
	}
	return NETRA_OK;
}

static int read_stages(struct ectx *c, const json_t *root, struct netra_election *e)
{
	static const char *const keys[] = {"name", "start", "end"};
	const json_t *arr = json_object_get(root, "stages");
	size_t i;
	const json_t *st;

	if (arr == NULL)
		return fail(c, "stages", "missing (required)");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(c, "stages", "must be a non-empty array");
	e->stages = calloc(json_array_size(arr), sizeof(*e->stages));
	if (e->stages == NULL)
		return NETRA_ENOMEM;
	json_array_foreach(arr, i, st) {
		char prefix[64];
		char path[96];
		struct netra_stage *s = &e->stages[e->nstages];
		const char *start;
		const char *end;
		int rc;
		snprintf(prefix, sizeof(prefix), "stages[%zu].", i);
		if (!json_is_object(st)) {
			snprintf(path, sizeof(path), "stages[%zu]", i);
			return fail(c, path, "must be an object with name, start and end");
		}
		if ((rc = check_keys(c, st, prefix, keys, 3)))
			return rc;
		e->nstages++;
		if ((rc = read_string(c, st, prefix, "name", &s->name)))
			return rc;
		start = json_string_value(json_object_get(st, "start"));
		end = json_string_value(json_object_get(st, "end"));
		snprintf(path, sizeof(path), "%sstart", prefix);
		if (start == NULL || netra_date_parse(start, &s->start) != 0)
			return fail(c, path, "must be a date YYYY-MM-DD");
		snprintf(path, sizeof(path), "%send", prefix);
		if (end == NULL || netra_date_parse(end, &s->end) != 0)
			return fail(c, path, "must be a date YYYY-MM-DD");
		if (s->end < s->start)
			return fail(c, path, "ends (%s) before it starts (%s)", end, start);
	}
	return NETRA_OK;
}

static int read_candidates(struct ectx *c, const json_t *root, struct netra_election *e)
{
	static const char *const keys[] = {"number", "names",   "aliases",
					   "hashtags", "slogans", "parties"};
	const json_t *arr = json_object_get(root, "candidates");
	size_t i;
	const json_t *cj;

	if (arr == NULL)
		return fail(c, "candidates", "missing (required)");
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return fail(c, "candidates", "must be a non-empty array");
	e->candidates = calloc(json_array_size(arr), sizeof(*e->candidates));
	if (e->candidates == NULL)
		return NETRA_ENOMEM;
	json_array_foreach(arr, i, cj) {
		char prefix[64];
		char path[96];
		struct netra_candidate *cand = &e->candidates[e->ncandidates];
		const json_t *num;
		int rc;
		snprintf(prefix, sizeof(prefix), "candidates[%zu].", i);
		snprintf(path, sizeof(path), "candidates[%zu]", i);
		if (!json_is_object(cj))
			return fail(c, path, "must be an object");
		if ((rc = check_keys(c, cj, prefix, keys, 6)))
			return rc;
		e->ncandidates++;
		num = json_object_get(cj, "number");
		snprintf(path, sizeof(path), "%snumber", prefix);
		if (num == NULL)
			return fail(c, path, "missing (required)");
		if (!json_is_integer(num) || json_integer_value(num) < 1 ||
		    json_integer_value(num) > 99)
			return fail(c, path, "must be a ballot number from 1 to 99");
		cand->number = (int)json_integer_value(num);
		for (size_t k = 0; k + 1 < e->ncandidates; k++) {
			if (e->candidates[k].number == cand->number)
				return fail(c, path, "ballot number %d is used twice",
					    cand->number);
		}
		if ((rc = read_strv(c, cj, prefix, "names", 1, &cand->names)) ||
		    (rc = read_strv(c, cj, prefix, "aliases", 0, &cand->aliases)) ||
		    (rc = read_strv(c, cj, prefix, "hashtags", 0, &cand->hashtags)) ||
		    (rc = read_strv(c, cj, prefix, "slogans", 0, &cand->slogans)) ||
		    (rc = read_strv(c, cj, prefix, "parties", 0, &cand->parties)))
			return rc;
		for (size_t k = 0; k < cand->hashtags.n; k++) {
			if (cand->hashtags.v[k][0] == '#') {
				snprintf(path, sizeof(path), "%shashtags[%zu]", prefix, k);
				return fail(c, path, "write hashtags without '#' (\"%s\")",
					    cand->hashtags.v[k] + 1);
			}
		}
	}
	return NETRA_OK;
}

static int read_parties(struct ectx *c, const json_t *root, struct netra_election *e)
{
	static const char *const keys[] = {"name", "aliases"};
	const json_t *arr = json_object_get(root, "parties");
	size_t i;
	const json_t *pj;

	if (arr == NULL)
		return NETRA_OK;
	if (!json_is_array(arr))
		return fail(c, "parties", "must be an array");
	e->parties = calloc(json_array_size(arr) + 1, sizeof(*e->parties));
	if (e->parties == NULL)
		return NETRA_ENOMEM;
	json_array_foreach(arr, i, pj) {
		char prefix[64];
		char path[96];
		struct netra_party *p = &e->parties[e->nparties];
		int rc;
		snprintf(prefix, sizeof(prefix), "parties[%zu].", i);
		snprintf(path, sizeof(path), "parties[%zu]", i);
		if (!json_is_object(pj))
			return fail(c, path, "must be an object with name and aliases");
		if ((rc = check_keys(c, pj, prefix, keys, 2)))
			return rc;
		e->nparties++;
		if ((rc = read_string(c, pj, prefix, "name", &p->name)) ||
		    (rc = read_strv(c, pj, prefix, "aliases", 0, &p->aliases)))
			return rc;
	}
	return NETRA_OK;
}

int netra_election_parse(const char *text, size_t len, const char *name,
			 struct netra_election **out, char *err, size_t errsz)
{
	static const char *const keys[] = {"id",     "name",       "timezone",
					   "stages", "candidates", "parties"};
	struct ectx c = {name, text, len, err, errsz};
	struct netra_election *e = NULL;
	json_t *root = NULL;
	json_error_t jerr;
	const char *tz;
	int rc;

	*out = NULL;
	root = json_loadb(text, len, NETRA_JSON_DECODE_FLAGS, &jerr);
	if (root == NULL) {
		snprintf(err, errsz, "%s:%d: invalid JSON: %s", name, jerr.line, jerr.text);
		rc = NETRA_EINVAL;
		goto cleanup;
	}
	if (!json_is_object(root)) {
		rc = fail(&c, "", "an election file must hold one JSON object");
		goto cleanup;
	}
	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	if ((rc = check_keys(&c, root, "", keys, 6)) ||
	    (rc = read_string(&c, root, "", "id", &e->id)) ||
	    (rc = read_string(&c, root, "", "name", &e->name)))
		goto cleanup;
	tz = json_string_value(json_object_get(root, "timezone"));
	if (tz == NULL) {
		rc = fail(&c, "timezone", "missing (required; e.g. \"Asia/Jakarta\")");
		goto cleanup;
	}
	if (netra_tz_offset(tz, &e->tz_minutes) != 0) {
		rc = fail(&c, "timezone", "unknown time zone \"%s\" (Netra knows %s)", tz,
			  netra_tz_known());
		goto cleanup;
	}
	if ((rc = read_stages(&c, root, e)) || (rc = read_candidates(&c, root, e)) ||
	    (rc = read_parties(&c, root, e)))
		goto cleanup;
	*out = e;
	e = NULL;
cleanup:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "%s: out of memory", name);
	netra_election_destroy(&e);
	json_decref(root);
	return rc;
}

int netra_election_load(const char *path, struct netra_election **out, char *err,
			size_t errsz)
{
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	rc = netra_file_read(path, ELECTION_FILE_MAX, &text, &len, err, errsz);
	if (rc == NETRA_OK)
		rc = netra_election_parse(text, len, path, out, err, errsz);
	free(text);
	return rc;
}

void netra_election_destroy(struct netra_election **ep)
{
	struct netra_election *e;

	if (ep == NULL || *ep == NULL)
		return;
	e = *ep;
	for (size_t i = 0; i < e->nstages; i++)
		free(e->stages[i].name);
	free(e->stages);
	for (size_t i = 0; i < e->ncandidates; i++) {
		strv_free(&e->candidates[i].names);
		strv_free(&e->candidates[i].aliases);
		strv_free(&e->candidates[i].hashtags);
		strv_free(&e->candidates[i].slogans);
		strv_free(&e->candidates[i].parties);
	}
	free(e->candidates);
	for (size_t i = 0; i < e->nparties; i++) {
		free(e->parties[i].name);
		strv_free(&e->parties[i].aliases);
	}
	free(e->parties);
	free(e->id);
	free(e->name);
	free(e);
	*ep = NULL;
}

const char *netra_election_id(const struct netra_election *e) { return e->id; }
const char *netra_election_name(const struct netra_election *e) { return e->name; }
int netra_election_tz_minutes(const struct netra_election *e) { return e->tz_minutes; }
size_t netra_election_ncandidates(const struct netra_election *e) { return e->ncandidates; }
size_t netra_election_nparties(const struct netra_election *e) { return e->nparties; }
size_t netra_election_nstages(const struct netra_election *e) { return e->nstages; }

const struct netra_candidate *netra_election_candidate(const struct netra_election *e,
							size_t i)
{
	return i < e->ncandidates ? &e->candidates[i] : NULL;
}

const struct netra_candidate *netra_election_candidate_by_number(
	const struct netra_election *e, int number)
{
	for (size_t i = 0; i < e->ncandidates; i++) {
		if (e->candidates[i].number == number)
			return &e->candidates[i];
	}
	return NULL;
}

const struct netra_party *netra_election_party(const struct netra_election *e, size_t i)
{
	return i < e->nparties ? &e->parties[i] : NULL;
}

const struct netra_stage *netra_election_stage(const struct netra_election *e, size_t i)
{
	return i < e->nstages ? &e->stages[i] : NULL;
}

const char *netra_election_stage_at(const struct netra_election *e, int64_t unix_utc)
{
	int64_t local = unix_utc + (int64_t)e->tz_minutes * 60;
	int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;

	for (size_t i = 0; i < e->nstages; i++) {
		if (day >= e->stages[i].start && day <= e->stages[i].end)
			return e->stages[i].name;
	}
	return NULL;
}
