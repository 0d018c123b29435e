#include "core/config.h"

#include "core/error.h"
#include "core/jsonpos.h"
#include "core/post.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef NETRA_RULES_DIR
#define NETRA_RULES_DIR "rules"
#endif

enum { CONFIG_FILE_MAX = 1024 * 1024 };

enum key_type {
	KEY_STRING,    /* a string */
	KEY_PATH,      /* a path, resolved against the config file's folder */
	KEY_PATH_LIST, /* an array of paths */
	KEY_NUMBER,    /* a number in [min, max] */
	KEY_INTEGER,   /* an integer in [min, max] */
	KEY_ARRAY      /* an array of objects, kept as JSON for its consumer */
};

/* One configuration key. */
struct key_def {
	const char *name;        /* key in netra.json */
	enum key_type type;      /* value type */
	const char *def;         /* default, as text; NULL for none */
	size_t offset;           /* where it lands in struct netra_config */
	double min;              /* smallest number allowed */
	double max;              /* largest number allowed */
	const char *description; /* one sentence for --help and the docs */
};

#define OFF(f) offsetof(struct netra_config, f)

static const struct key_def keys[] = {
	{"elections", KEY_PATH_LIST, NULL, OFF(elections), 0, 0,
	 "Election files being watched (contracts §2). Several elections can be watched at once."},
	{"watchlist", KEY_PATH, NULL, OFF(watchlist), 0, 0,
	 "Watchlist of civil servants and their accounts (JSONL, contracts §3)."},
	{"rules", KEY_PATH, NETRA_RULES_DIR, OFF(rules), 0, 0,
	 "Rule pack: a folder of .rules files or one file. The environment variable "
	 "NETRA_RULES overrides the default."},
	{"data_dir", KEY_PATH, "netra-data", OFF(data_dir), 0, 0,
	 "Folder where Netra keeps its state and writes its output."},
	{"threshold", KEY_NUMBER, "0.5", OFF(threshold), 0.01, 1.0,
	 "A post is flagged when its score reaches this value (0.01 to 1)."},
	{"max_post_bytes", KEY_INTEGER, "65536", OFF(max_post_bytes), 256, 16777216,
	 "Each text field is cut at this many bytes before matching; the cut is reported."},
	{"match_limit", KEY_INTEGER, "100000", OFF(match_limit), 1000, 100000000,
	 "PCRE2 match limit for one pattern on one field, so that no pattern can hang a worker."},
	{"log_level", KEY_STRING, "info", OFF(log_level), 0, 0,
	 "How much Netra says on standard error: error, warn, info or debug."},
	{"reviewer", KEY_STRING, NULL, OFF(reviewer), 0, 0,
	 "Reviewer name recorded on review actions; the environment variable NETRA_REVIEWER "
	 "overrides it."},
	{"classify_endpoint", KEY_STRING, "tcp://127.0.0.1:5601", OFF(classify_endpoint), 0, 0,
	 "ZeroMQ endpoint (tcp:// or ipc://) where `netra classify --serve` listens for posts "
	 "and the collect stage sends them (docs/pipeline.md)."},
	{"sink_endpoint", KEY_STRING, "tcp://127.0.0.1:5602", OFF(sink_endpoint), 0, 0,
	 "ZeroMQ endpoint (tcp:// or ipc://) where `netra sink` listens for flags and "
	 "classifier workers send them."},
	{"journal_quota_bytes", KEY_INTEGER, "1073741824", OFF(journal_quota_bytes), 65536,
	 1099511627776.0,
	 "Disk quota of each stage's journal of unacknowledged messages; when it is full, "
	 "the stage stops taking input (collecting pauses) until the next stage catches up."},
	{"follow_up_days", KEY_INTEGER, "30", OFF(follow_up_days), 0, 3650,
	 "Days an agency head has to act on a recommendation before it counts as overdue "
	 "(`netra cases overdue` and the report's follow-up table)."},
	{"sink", KEY_STRING, "review", OFF(sink), 0, 0,
	 "Where `netra sink` and `netra run` keep flags: \"review\" (the case store reviewers "
	 "work from, plus the flag store) or \"sqlite\" (the flag store only)."},
	{"sources", KEY_ARRAY, NULL, OFF(sources), 0, 0,
	 "Sources for `netra collect`: an array of objects, each with a \"type\" and that "
	 "source's own keys (docs/sources.md)."},
};

static const size_t nkeys = sizeof(keys) / sizeof(keys[0]);

static void *field(struct netra_config *cfg, const struct key_def *k)
{
	return (char *)cfg + k->offset;
}

static void free_paths(char ***v, size_t *n)
{
	if (*v != NULL) {
		for (size_t i = 0; (*v)[i] != NULL; i++)
			free((*v)[i]);
	}
	free(*v);
	*v = NULL;
	*n = 0;
}

void netra_config_free(struct netra_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free_paths(&cfg->elections, &cfg->nelections);
	free(cfg->watchlist);
	free(cfg->rules);
	free(cfg->data_dir);
	free(cfg->log_level);
	free(cfg->reviewer);
	free(cfg->sink);
	free(cfg->classify_endpoint);
	free(cfg->sink_endpoint);
	json_decref(cfg->sources);
	memset(cfg, 0, sizeof(*cfg));
}

int netra_config_defaults(struct netra_config *cfg)
{
	const char *env_rules = getenv("NETRA_RULES");

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < nkeys; i++) {
		const struct key_def *k = &keys[i];
		void *f = field(cfg, k);
		switch (k->type) {
		case KEY_STRING:
		case KEY_PATH:
			if (k->def != NULL) {
				const char *d = k->def;
				if (strcmp(k->name, "rules") == 0 && env_rules && *env_rules)
					d = env_rules;
				*(char **)f = netra_strdup(d);
				if (*(char **)f == NULL)
					goto oom;
			}
			break;
		case KEY_NUMBER:
			*(double *)f = strtod(k->def, NULL);
			break;
		case KEY_INTEGER:
			*(long long *)f = strtoll(k->def, NULL, 10);
			break;
		case KEY_PATH_LIST:
			*(char ***)f = calloc(1, sizeof(char *));
			if (*(char ***)f == NULL)
				goto oom;
			break;
		case KEY_ARRAY:
			*(json_t **)f = json_array();
			if (*(json_t **)f == NULL)
				goto oom;
			break;
		}
	}
	return NETRA_OK;
oom:
	netra_config_free(cfg);
	return NETRA_ENOMEM;
}

struct cctx {
	const char *path; /* config file */
	const char *text; /* its text */
	size_t len;       /* its length */
	char *err;        /* message out */
	size_t errsz;     /* its size */
};

__attribute__((format(printf, 3, 4))) static int cfail(struct cctx *c, const char *key,
						       const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errsz, "%s:%d: %s: %s", c->path,
		 netra_json_line(c->text, c->len, key), key, msg);
	return NETRA_EINVAL;
}

static int set_key(struct cctx *c, struct netra_config *cfg, const struct key_def *k,
		   json_t *v)
{
	void *f = field(cfg, k);

	switch (k->type) {
	case KEY_STRING:
	case KEY_PATH: {
		char *s;
		if (!json_is_string(v) || json_string_length(v) == 0)
			return cfail(c, k->name, "must be a non-empty string");
		s = k->type == KEY_PATH ? netra_path_relative_to(c->path, json_string_value(v))
					: netra_strdup(json_string_value(v));
		if (s == NULL)
			return NETRA_ENOMEM;
		free(*(char **)f);
		*(char **)f = s;
		if (strcmp(k->name, "log_level") == 0 && strcmp(s, "error") != 0 &&
		    strcmp(s, "warn") != 0 && strcmp(s, "info") != 0 && strcmp(s, "debug") != 0)
			return cfail(c, k->name, "\"%s\" is not one of error, warn, info, debug", s);
		return NETRA_OK;
	}
	case KEY_NUMBER:
	case KEY_INTEGER: {
		double d;
		if (k->type == KEY_INTEGER ? !json_is_integer(v) : !json_is_number(v))
			return cfail(c, k->name, "must be %s",
				     k->type == KEY_INTEGER ? "an integer" : "a number");
		d = json_number_value(v);
		if (d < k->min || d > k->max)
			return cfail(c, k->name, "%g is outside the range %g to %g", d, k->min,
				     k->max);
		if (k->type == KEY_NUMBER)
			*(double *)f = d;
		else
			*(long long *)f = json_integer_value(v);
		return NETRA_OK;
	}
	case KEY_PATH_LIST: {
		size_t i;
		json_t *p;
		char ***vp = (char ***)f;
		size_t *np = &cfg->nelections;
		if (!json_is_array(v))
			return cfail(c, k->name, "must be an array of file names");
		free_paths(vp, np);
		*vp = calloc(json_array_size(v) + 1, sizeof(char *));
		if (*vp == NULL)
			return NETRA_ENOMEM;
		json_array_foreach(v, i, p) {
			char kp[96];
			snprintf(kp, sizeof(kp), "%s[%zu]", k->name, i);
			if (!json_is_string(p) || json_string_length(p) == 0)
				return cfail(c, kp, "must be a non-empty string");
			(*vp)[i] = netra_path_relative_to(c->path, json_string_value(p));
			if ((*vp)[i] == NULL)
				return NETRA_ENOMEM;
			(*np)++;
		}
		return NETRA_OK;
	}
	case KEY_ARRAY: {
		size_t i;
		json_t *p;
		if (!json_is_array(v))
			return cfail(c, k->name, "must be an array of objects");
		json_array_foreach(v, i, p) {
			char kp[96];
			snprintf(kp, sizeof(kp), "%s[%zu]", k->name, i);
			if (!json_is_object(p))
				return cfail(c, kp, "must be an object");
		}
		json_decref(*(json_t **)f);
		*(json_t **)f = json_incref(v);
		return NETRA_OK;
	}
	}
	return NETRA_EINVAL;
}

int netra_config_load(const char *path, struct netra_config *cfg, char *err,
		      size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	json_t *root = NULL;
	json_error_t jerr;
	const char *key;
	json_t *v;
	struct cctx c;
	int rc;

	rc = netra_config_defaults(cfg);
	if (rc != NETRA_OK) {
		snprintf(err, errsz, "%s: out of memory", path);
		return rc;
	}
	rc = netra_file_read(path, CONFIG_FILE_MAX, &text, &len, err, errsz);
	if (rc != NETRA_OK)
		goto cleanup;
	c.path = path;
	c.text = text;
	c.len = len;
	c.err = err;
	c.errsz = errsz;
	root = json_loadb(text, len, NETRA_JSON_DECODE_FLAGS, &jerr);
	if (root == NULL) {
		snprintf(err, errsz, "%s:%d: invalid JSON: %s", path, jerr.line, jerr.text);
		rc = NETRA_EINVAL;
		goto cleanup;
	}
	if (!json_is_object(root)) {
		snprintf(err, errsz, "%s:1: the configuration must be one JSON object", path);
		rc = NETRA_EINVAL;
		goto cleanup;
	}
	json_object_foreach(root, key, v) {
		const struct key_def *k = NULL;
		for (size_t i = 0; i < nkeys; i++) {
			if (strcmp(keys[i].name, key) == 0)
				k = &keys[i];
		}
		if (k == NULL) {
			const char *names[sizeof(keys) / sizeof(keys[0])];
			const char *hint;
			for (size_t i = 0; i < nkeys; i++)
				names[i] = keys[i].name;
			hint = netra_did_you_mean(key, names, nkeys);
			if (hint != NULL)
				rc = cfail(&c, key, "unknown key (did you mean \"%s\"?)", hint);
			else
				rc = cfail(&c, key, "unknown key (see `netra config keys`)");
			goto cleanup;
		}
		rc = set_key(&c, cfg, k, v);
		if (rc != NETRA_OK)
			goto cleanup;
	}
	/* Relative defaults are relative to the configuration file too. */
	for (size_t i = 0; i < nkeys; i++) {
		char **f = (char **)field(cfg, &keys[i]);
		char *resolved;
		if (keys[i].type != KEY_PATH || json_object_get(root, keys[i].name) != NULL ||
		    *f == NULL || keys[i].def == NULL || strcmp(*f, keys[i].def) != 0)
			continue;
		resolved = netra_path_relative_to(path, *f);
		if (resolved == NULL) {
			rc = NETRA_ENOMEM;
			goto cleanup;
		}
		free(*f);
		*f = resolved;
	}
	cfg->path = netra_strdup(path);
	if (cfg->path == NULL)
		rc = NETRA_ENOMEM;
cleanup:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "%s: out of memory", path);
	if (rc != NETRA_OK)
		netra_config_free(cfg);
	json_decref(root);
	free(text);
	return rc;
}

static const char *type_label(enum key_type t)
{
	switch (t) {
	case KEY_STRING: return "string";
	case KEY_PATH: return "path";
	case KEY_PATH_LIST: return "array of paths";
	case KEY_NUMBER: return "number";
	case KEY_INTEGER: return "integer";
	case KEY_ARRAY: return "array of objects";
	}
	return "?";
}

int netra_config_describe(struct netra_buf *out)
{
	int rc = NETRA_OK;

	for (size_t i = 0; i < nkeys && rc == NETRA_OK; i++) {
		const struct key_def *k = &keys[i];
		rc = netra_buf_printf(out, "  %-15s %s (default: %s)\n      %s\n", k->name,
				      type_label(k->type), k->def ? k->def : "none",
				      k->description);
	}
	return rc;
}

int netra_config_markdown(struct netra_buf *out)
{
	int rc = netra_buf_adds(
		out,
		"# Configuration: netra.json\n\n"
		"<!-- Generated by `netra config docs` from the key table in core/config.c;\n"
		"     a test fails when this file and the table disagree. -->\n\n"
		"Netra reads one JSON object from the file given with `--config`. Paths are\n"
		"relative to the folder of the configuration file. An unknown key stops\n"
		"start-up with the file, the line and a \"did you mean\" hint; a value of\n"
		"the wrong type or out of range does the same. `netra config check --config\n"
		"FILE` checks a file without running anything.\n\n"
		"| key | type | default | meaning |\n|---|---|---|---|\n");

	for (size_t i = 0; i < nkeys && rc == NETRA_OK; i++) {
		const struct key_def *k = &keys[i];
		rc = netra_buf_printf(out, "| `%s` | %s | %s%s%s | %s |\n", k->name,
				      type_label(k->type), k->def ? "`" : "",
				      k->def ? (strcmp(k->name, "rules") == 0 ? "rules/ of the source tree" : k->def) : "none",
				      k->def ? "`" : "", k->description);
	}
	if (rc == NETRA_OK)
		rc = netra_buf_adds(out,
				    "\nA minimal example (examples/netra.json):\n\n"
				    "```json\n"
				    "{\n"
				    "  \"elections\": [\"election-kab-contoh.json\"],\n"
				    "  \"watchlist\": \"watchlist.jsonl\",\n"
				    "  \"data_dir\": \"../build/demo\",\n"
				    "  \"threshold\": 0.5\n"
				    "}\n"
				    "```\n");
	return rc;
}
