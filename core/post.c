#include "core/post.h"

#include "core/error.h"
#include "core/jsonfast.h"
#include "core/timeutil.h"

#include <stdio.h>
#include <string.h>

static const char *const act_names[NETRA_ACT_COUNT] = {
	"post", "share", "comment", "like", "follow", "report"};

const char *netra_act_name(enum netra_act act)
{
	return (unsigned)act < NETRA_ACT_COUNT ? act_names[act] : "post";
}

int netra_act_parse(const char *name, enum netra_act *out)
{
	for (int i = 0; i < NETRA_ACT_COUNT; i++) {
		if (strcmp(name, act_names[i]) == 0) {
			*out = (enum netra_act)i;
			return 0;
		}
	}
	return -1;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* Check that obj[key], if present (or always when required), is a string. */
static int want_string(const json_t *obj, const char *prefix, const char *key,
		       int required, char *err, size_t errsz)
{
	const json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (!required)
			return NETRA_OK;
		snprintf(err, errsz, "%s%s: missing (required)", prefix, key);
		return NETRA_EINVAL;
	}
	if (!json_is_string(v)) {
		snprintf(err, errsz, "%s%s: must be a string, not %s", prefix, key,
			 type_name(v));
		return NETRA_EINVAL;
	}
	return NETRA_OK;
}

static int want_object(const json_t *obj, const char *prefix, const char *key,
		       const json_t **out, char *err, size_t errsz)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL)
		return NETRA_OK;
	if (!json_is_object(v)) {
		snprintf(err, errsz, "%s%s: must be an object, not %s", prefix, key,
			 type_name(v));
		return NETRA_EINVAL;
	}
	*out = v;
	return NETRA_OK;
}

static int check_strings(const json_t *obj, const char *prefix,
			 const char *const *keys, size_t n, char *err, size_t errsz)
{
	for (size_t i = 0; i < n; i++) {
		int rc = want_string(obj, prefix, keys[i], 0, err, errsz);
		if (rc != NETRA_OK)
			return rc;
	}
	return NETRA_OK;
}

static int check_time(const json_t *obj, const char *prefix, const char *key,
		      char *err, size_t errsz)
{
	const json_t *v = json_object_get(obj, key);
	int64_t t;

	if (v == NULL)
		return NETRA_OK;
	if (!json_is_string(v)) {
		snprintf(err, errsz, "%s%s: must be a string, not %s", prefix, key,
			 type_name(v));
		return NETRA_EINVAL;
	}
	if (netra_time_parse(json_string_value(v), &t) != 0) {
		snprintf(err, errsz,
			 "%s%s: '%.40s' is not an RFC 3339 time such as "
			 "2024-10-05T09:12:00+07:00",
			 prefix, key, json_string_value(v));
		return NETRA_EINVAL;
	}
	return NETRA_OK;
}

static int check_author(const json_t *author, const char *prefix, char *err,
			size_t errsz)
{
	static const char *const keys[] = {"id", "handle", "name", "bio"};

	return check_strings(author, prefix, keys, 4, err, errsz);
}

int netra_post_validate(const json_t *post, char *err, size_t errsz)
{
	static const char *const top[] = {"url", "lang"};
	const json_t *author;
	const json_t *ref;
	const json_t *report;
	const json_t *v;
	int rc;
	enum netra_act act;

	if (!json_is_object(post)) {
		snprintf(err, errsz, "post must be a JSON object, not %s", type_name(post));
		return NETRA_EINVAL;
	}
	if ((rc = want_string(post, "", "id", 1, err, errsz)) ||
	    (rc = want_string(post, "", "source", 1, err, errsz)) ||
	    (rc = want_string(post, "", "text", 1, err, errsz)) ||
	    (rc = check_strings(post, "", top, 2, err, errsz)) ||
	    (rc = check_time(post, "", "created_at", err, errsz)))
		return rc;
	if (json_string_length(json_object_get(post, "id")) == 0) {
		snprintf(err, errsz, "id: must not be empty");
		return NETRA_EINVAL;
	}
	if (json_string_length(json_object_get(post, "source")) == 0) {
		snprintf(err, errsz, "source: must not be empty");
		return NETRA_EINVAL;
	}
	v = json_object_get(post, "act");
	if (v != NULL) {
		if (!json_is_string(v)) {
			snprintf(err, errsz, "act: must be a string, not %s", type_name(v));
			return NETRA_EINVAL;
		}
		if (netra_act_parse(json_string_value(v), &act) != 0) {
			snprintf(err, errsz,
				 "act: '%.40s' is not one of post, share, comment, like, "
				 "follow, report",
				 json_string_value(v));
			return NETRA_EINVAL;
		}
	}
	if ((rc = want_object(post, "", "author", &author, err, errsz)))
		return rc;
	if (author != NULL && (rc = check_author(author, "author.", err, errsz)))
		return rc;
	v = json_object_get(post, "tags");
	if (v != NULL) {
		size_t i;
		const json_t *t;
		if (!json_is_array(v)) {
			snprintf(err, errsz, "tags: must be an array, not %s", type_name(v));
			return NETRA_EINVAL;
		}
		json_array_foreach(v, i, t) {
			if (!json_is_string(t)) {
				snprintf(err, errsz, "tags[%zu]: must be a string, not %s", i,
					 type_name(t));
				return NETRA_EINVAL;
			}
		}
	}
	v = json_object_get(post, "media");
	if (v != NULL) {
		static const char *const mkeys[] = {"type", "url", "alt", "text"};
		size_t i;
		const json_t *m;
		if (!json_is_array(v)) {
			snprintf(err, errsz, "media: must be an array, not %s", type_name(v));
			return NETRA_EINVAL;
		}
		json_array_foreach(v, i, m) {
			char prefix[32];
			if (!json_is_object(m)) {
				snprintf(err, errsz, "media[%zu]: must be an object, not %s", i,
					 type_name(m));
				return NETRA_EINVAL;
			}
			snprintf(prefix, sizeof(prefix), "media[%zu].", i);
			if ((rc = check_strings(m, prefix, mkeys, 4, err, errsz)))
				return rc;
		}
	}
	if ((rc = want_object(post, "", "ref", &ref, err, errsz)))
		return rc;
	if (ref != NULL) {
		static const char *const rkeys[] = {"id", "url", "text"};
		const json_t *rauthor;
		if ((rc = check_strings(ref, "ref.", rkeys, 3, err, errsz)) ||
		    (rc = want_object(ref, "ref.", "author", &rauthor, err, errsz)))
			return rc;
		if (rauthor != NULL && (rc = check_author(rauthor, "ref.author.", err, errsz)))
			return rc;
	}
	if ((rc = want_object(post, "", "report", &report, err, errsz)))
		return rc;
	if (report != NULL) {
		static const char *const pkeys[] = {"reporter", "description"};
		static const char *const skeys[] = {"name", "nip", "agency"};
		const json_t *subject;
		if ((rc = check_strings(report, "report.", pkeys, 2, err, errsz)) ||
		    (rc = check_time(report, "report.", "reported_at", err, errsz)) ||
		    (rc = want_object(report, "report.", "subject", &subject, err, errsz)))
			return rc;
		if (subject != NULL &&
		    (rc = check_strings(subject, "report.subject.", skeys, 3, err, errsz)))
			return rc;
	}
	return NETRA_OK;
}

int netra_post_parse(const char *line, size_t len, json_t **out, char *err,
		     size_t errsz)
{
	json_error_t jerr;
	json_t *post;
	int rc;

	*out = NULL;
	/* The fast reader takes the plain JSON posts are made of; anything
	 * else (and every error, with its message) is jansson's. */
	post = netra_json_fast_parse(line, len);
	if (post == NULL)
		post = json_loadb(line, len, NETRA_JSON_DECODE_FLAGS, &jerr);
	if (post == NULL) {
		snprintf(err, errsz, "column %d: %s", jerr.column, jerr.text);
		return NETRA_EINVAL;
	}
	rc = netra_post_validate(post, err, errsz);
	if (rc != NETRA_OK) {
		json_decref(post);
		return rc;
	}
	*out = post;
	return NETRA_OK;
}

const char *netra_post_get(const json_t *post, const char *path)
{
	const json_t *cur = post;
	char key[64];

	while (cur != NULL && *path != '\0') {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		cur = json_object_get(cur, key);
		path += n + (dot != NULL);
	}
	return json_string_value(cur);
}

enum netra_act netra_act_of(const json_t *act)
{
	const char *a = json_string_value(act);
	enum netra_act out = NETRA_ACT_POST;

	if (a != NULL)
		(void)netra_act_parse(a, &out);
	return out;
}

enum netra_act netra_post_act(const json_t *post)
{
	return netra_act_of(json_object_get(post, "act"));
}

char *netra_post_dump(const json_t *post)
{
	return json_dumps(post, NETRA_JSON_ENCODE_FLAGS);
}
