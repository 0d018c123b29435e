#include "core/watchlist.h"

#include "core/error.h"
#include "core/post.h"
#include "core/util.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { WATCHLIST_LINE_MAX = 64 * 1024 };

/* One lookup key: "source" US "handle", lower case, no leading '@'. */
struct account_key {
	char *key;                     /* owned */
	const struct netra_account *account; /* borrowed from the person */
	size_t person;                 /* index into people */
};

struct netra_watchlist {
	struct netra_asn *people; /* watched people */
	size_t n;                 /* entries used */
	size_t cap;               /* entries allocated */
	struct account_key *keys; /* sorted, for bsearch */
	size_t nkeys;             /* entries in keys */
};

static const char *const position_classes[] = {
	"jpt", "administrator", "pengawas", "fungsional", "pelaksana", "kepala_wilayah", "pppk"};

int netra_position_class_valid(const char *name)
{
	for (size_t i = 0; i < sizeof(position_classes) / sizeof(position_classes[0]); i++) {
		if (strcmp(name, position_classes[i]) == 0)
			return 1;
	}
	return 0;
}

static char *make_key(const char *source, const char *handle)
{
	size_t ls = strlen(source);
	size_t lh;
	char *k;

	if (handle[0] == '@')
		handle++;
	lh = strlen(handle);
	k = malloc(ls + lh + 2);
	if (k == NULL)
		return NULL;
	for (size_t i = 0; i < ls; i++)
		k[i] = (char)tolower((unsigned char)source[i]);
	k[ls] = '\x1f';
	for (size_t i = 0; i < lh; i++)
		k[ls + 1 + i] = (char)tolower((unsigned char)handle[i]);
	k[ls + 1 + lh] = '\0';
	return k;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct account_key *)a)->key, ((const struct account_key *)b)->key);
}

static void person_free(struct netra_asn *p)
{
	free(p->name);
	free(p->position);
	free(p->position_class);
	free(p->agency);
	free(p->province);
	for (size_t i = 0; i < p->naccounts; i++) {
		free(p->accounts[i].source);
		free(p->accounts[i].handle);
		free(p->accounts[i].platform);
	}
	free(p->accounts);
}

void netra_watchlist_destroy(struct netra_watchlist **wp)
{
	struct netra_watchlist *w;

	if (wp == NULL || *wp == NULL)
		return;
	w = *wp;
	for (size_t i = 0; i < w->n; i++)
		person_free(&w->people[i]);
	free(w->people);
	for (size_t i = 0; i < w->nkeys; i++)
		free(w->keys[i].key);
	free(w->keys);
	free(w);
	*wp = NULL;
}

static int opt_string(const json_t *obj, const char *key, char **out, const char *where,
		      char *err, size_t errsz)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return NETRA_OK;
	if (!json_is_string(v)) {
		snprintf(err, errsz, "%s: %s: must be a string", where, key);
		return NETRA_EINVAL;
	}
	*out = netra_strdup(json_string_value(v));
	return *out ? NETRA_OK : NETRA_ENOMEM;
}

static int parse_person(const json_t *o, struct netra_asn *p, const char *where, char *err,
			size_t errsz)
{
	static const char *const known[] = {"nip",    "name",     "position", "position_class",
					    "agency", "province", "accounts"};
	const char *key;
	const json_t *v;
	const char *nip;
	char why[160];
	const json_t *accts;
	size_t i;
	int rc;

	json_object_foreach((json_t *)o, key, v) {
		int found = 0;
		for (size_t k = 0; k < 7; k++)
			found |= strcmp(key, known[k]) == 0;
		if (!found) {
			const char *hint = netra_did_you_mean(key, known, 7);
			if (hint != NULL) {
				snprintf(err, errsz, "%s: %s: unknown field (did you mean \"%s\"?)",
					 where, key, hint);
				return NETRA_EINVAL;
			}
		}
	}
	nip = json_string_value(json_object_get(o, "nip"));
	if (nip == NULL) {
		snprintf(err, errsz, "%s: nip: missing or not a string (18 digits)", where);
		return NETRA_EINVAL;
	}
	if (netra_nip_check(nip, strlen(nip), &p->nipd, why, sizeof(why)) != NETRA_OK) {
		snprintf(err, errsz, "%s: nip: %s", where, why);
		return NETRA_EINVAL;
	}
	{
		size_t n = 0;
		for (const char *s = nip; *s && n < 18; s++) {
			if (*s != ' ')
				p->nip[n++] = *s;
		}
		p->nip[n] = '\0';
	}
	if ((rc = opt_string(o, "name", &p->name, where, err, errsz)) ||
	    (rc = opt_string(o, "position", &p->position, where, err, errsz)) ||
	    (rc = opt_string(o, "position_class", &p->position_class, where, err, errsz)) ||
	    (rc = opt_string(o, "agency", &p->agency, where, err, errsz)) ||
	    (rc = opt_string(o, "province", &p->province, where, err, errsz)))
		return rc;
	if (p->name == NULL || p->name[0] == '\0') {
		snprintf(err, errsz, "%s: name: missing (required)", where);
		return NETRA_EINVAL;
	}
	if (p->position_class != NULL && !netra_position_class_valid(p->position_class)) {
		const char *hint = netra_did_you_mean(p->position_class, position_classes, 7);
		snprintf(err, errsz,
			 "%s: position_class: \"%s\" is not one of jpt, administrator, pengawas, "
			 "fungsional, pelaksana, kepala_wilayah, pppk%s%s%s",
			 where, p->position_class, hint ? " (did you mean \"" : "",
			 hint ? hint : "", hint ? "\"?)" : "");
		return NETRA_EINVAL;
	}
	accts = json_object_get(o, "accounts");
	if (accts == NULL || !json_is_array(accts)) {
		snprintf(err, errsz, "%s: accounts: missing or not an array", where);
		return NETRA_EINVAL;
	}
	p->accounts = calloc(json_array_size(accts) + 1, sizeof(*p->accounts));
	if (p->accounts == NULL)
		return NETRA_ENOMEM;
	json_array_foreach(accts, i, v) {
		struct netra_account *a = &p->accounts[p->naccounts];
		char awhere[96];
		if (!json_is_object(v)) {
			snprintf(err, errsz, "%s: accounts[%zu]: must be an object", where, i);
			return NETRA_EINVAL;
		}
		p->naccounts++;
		snprintf(awhere, sizeof(awhere), "%s: accounts[%zu]", where, i);
		if ((rc = opt_string(v, "source", &a->source, awhere, err, errsz)) ||
		    (rc = opt_string(v, "handle", &a->handle, awhere, err, errsz)) ||
		    (rc = opt_string(v, "platform", &a->platform, awhere, err, errsz)))
			return rc;
		if (a->source == NULL || a->source[0] == '\0') {
			snprintf(err, errsz, "%s.source: missing (required)", awhere);
			return NETRA_EINVAL;
		}
		if (a->handle == NULL || a->handle[0] == '\0') {
			snprintf(err, errsz, "%s.handle: missing (required)", awhere);
			return NETRA_EINVAL;
		}
	}
	return NETRA_OK;
}

static int build_keys(struct netra_watchlist *w, const char *path, char *err, size_t errsz)
{
	size_t total = 0;

	for (size_t i = 0; i < w->n; i++)
		total += w->people[i].naccounts;
	w->keys = calloc(total + 1, sizeof(*w->keys));
	if (w->keys == NULL)
		return NETRA_ENOMEM;
	for (size_t i = 0; i < w->n; i++) {
		for (size_t k = 0; k < w->people[i].naccounts; k++) {
			struct account_key *ak = &w->keys[w->nkeys];
			const struct netra_account *a = &w->people[i].accounts[k];
			ak->key = make_key(a->source, a->handle);
			if (ak->key == NULL)
				return NETRA_ENOMEM;
			ak->account = a;
			ak->person = i;
			w->nkeys++;
		}
	}
	qsort(w->keys, w->nkeys, sizeof(*w->keys), key_cmp);
	for (size_t i = 1; i < w->nkeys; i++) {
		const struct account_key *x = &w->keys[i - 1];
		const struct account_key *y = &w->keys[i];
		const char *px = x->account->platform;
		const char *py = y->account->platform;
		if (strcmp(x->key, y->key) == 0 && x->person != y->person &&
		    (px == NULL || py == NULL || strcmp(px, py) == 0)) {
			snprintf(err, errsz,
				 "%s:%zu: accounts: %s account \"%s\" is already listed for %s "
				 "(line %zu)",
				 path, w->people[y->person].line, y->account->source,
				 y->account->handle, w->people[x->person].name,
				 w->people[x->person].line);
			return NETRA_EINVAL;
		}
	}
	return NETRA_OK;
}

int netra_watchlist_load(const char *path, struct netra_watchlist **out, char *err,
			 size_t errsz)
{
	struct netra_watchlist *w = NULL;
	struct netra_lines *lines = NULL;
	FILE *fp = NULL;
	json_t *o = NULL;
	const char *line;
	size_t len;
	enum netra_line_result lr;
	int rc = NETRA_OK;

	*out = NULL;
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errsz, "%s: cannot open watchlist", path);
		rc = NETRA_EIO;
		goto cleanup;
	}
	w = calloc(1, sizeof(*w));
	lines = netra_lines_new(fp, path, WATCHLIST_LINE_MAX);
	if (w == NULL || lines == NULL) {
		rc = NETRA_ENOMEM;
		goto cleanup;
	}
	while ((lr = netra_lines_next(lines, &line, &len)) != NETRA_LINE_EOF) {
		size_t no = netra_lines_number(lines);
		char where[600];
		json_error_t jerr;
		char why[400];
		if (lr == NETRA_LINE_ERROR) {
			snprintf(err, errsz, "%s:%zu: read error", path, no);
			rc = NETRA_EIO;
			goto cleanup;
		}
		if (lr == NETRA_LINE_TOOLONG) {
			snprintf(err, errsz, "%s:%zu: line longer than %d bytes", path, no,
				 WATCHLIST_LINE_MAX);
			rc = NETRA_EINVAL;
			goto cleanup;
		}
		while (len > 0 && isspace((unsigned char)line[len - 1]))
			len--;
		if (len == 0)
			continue;
		o = json_loadb(line, len, NETRA_JSON_DECODE_FLAGS, &jerr);
		if (o == NULL || !json_is_object(o)) {
			snprintf(err, errsz, "%s:%zu: %s", path, no,
				 o ? "each line must be one JSON object" : jerr.text);
			rc = NETRA_EINVAL;
			goto cleanup;
		}
		if (w->n == w->cap) {
			size_t cap = w->cap ? w->cap * 2 : 64;
			struct netra_asn *p = realloc(w->people, cap * sizeof(*p));
			if (p == NULL) {
				rc = NETRA_ENOMEM;
				goto cleanup;
			}
			w->people = p;
			w->cap = cap;
		}
		memset(&w->people[w->n], 0, sizeof(w->people[0]));
		w->people[w->n].line = no;
		snprintf(where, sizeof(where), "%s:%zu", path, no);
		rc = parse_person(o, &w->people[w->n], where, why, sizeof(why));
		w->n++;
		if (rc != NETRA_OK) {
			netra_strlcpy(err, why, errsz);
			goto cleanup;
		}
		for (size_t i = 0; i + 1 < w->n; i++) {
			if (strcmp(w->people[i].nip, w->people[w->n - 1].nip) == 0) {
				snprintf(err, errsz, "%s: nip: %s is already on line %zu", where,
					 w->people[i].nip, w->people[i].line);
				rc = NETRA_EINVAL;
				goto cleanup;
			}
		}
		json_decref(o);
		o = NULL;
	}
	rc = build_keys(w, path, err, errsz);
	if (rc != NETRA_OK)
		goto cleanup;
	*out = w;
	w = NULL;
cleanup:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "%s: out of memory", path);
	json_decref(o);
	netra_lines_destroy(&lines);
	if (fp != NULL)
		fclose(fp);
	netra_watchlist_destroy(&w);
	return rc;
}

size_t netra_watchlist_size(const struct netra_watchlist *w)
{
	return w->n;
}

const struct netra_asn *netra_watchlist_at(const struct netra_watchlist *w, size_t i)
{
	return i < w->n ? &w->people[i] : NULL;
}

const struct netra_asn *netra_watchlist_find(const struct netra_watchlist *w,
					     const char *source, const char *handle,
					     const char *platform)
{
	struct account_key probe;
	const struct account_key *hit;
	size_t lo;
	const struct netra_asn *found = NULL;

	if (w == NULL || source == NULL || handle == NULL)
		return NULL;
	probe.key = make_key(source, handle);
	if (probe.key == NULL)
		return NULL;
	hit = bsearch(&probe, w->keys, w->nkeys, sizeof(*w->keys), key_cmp);
	if (hit != NULL) {
		/* Walk all entries with this key: the platform may tell them apart. */
		lo = (size_t)(hit - w->keys);
		while (lo > 0 && strcmp(w->keys[lo - 1].key, probe.key) == 0)
			lo--;
		for (; lo < w->nkeys && strcmp(w->keys[lo].key, probe.key) == 0; lo++) {
			const char *ap = w->keys[lo].account->platform;
			if (ap == NULL || platform == NULL || strcasecmp(ap, platform) == 0) {
				found = &w->people[w->keys[lo].person];
				break;
			}
		}
	}
	free(probe.key);
	return found;
}

const struct netra_asn *netra_watchlist_find_nip(const struct netra_watchlist *w,
						 const char *nip)
{
	if (w == NULL || nip == NULL)
		return NULL;
	for (size_t i = 0; i < w->n; i++) {
		if (strcmp(w->people[i].nip, nip) == 0)
			return &w->people[i];
	}
	return NULL;
}
