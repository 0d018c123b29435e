/* Set-up shared by the review commands. */
#include "sinks/reviewenv.h"

#include "core/error.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int netra_review_env_option(struct netra_review_env *env, const char *cmd, int argc,
			    char **argv, int *i)
{
	const char *a = argv[*i];
	int is_config = strcmp(a, "--config") == 0;

	if (!is_config && strcmp(a, "--data-dir") != 0)
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "netra %s: %s needs a value\nTry 'netra %s --help'.\n", cmd, a, cmd);
		return 2;
	}
	if (is_config)
		env->config_path = argv[++*i];
	else
		env->data_dir_opt = argv[++*i];
	return 1;
}

/* The sanctions table beside the rule pack: rules/sanctions.tsv, or the
 * folder of a single rule file. New string, or NULL on OOM. */
static char *sanctions_path(const char *rules)
{
	struct stat sb;
	size_t n = strlen(rules) + sizeof("/sanctions.tsv");
	char *p = malloc(n);

	if (p == NULL)
		return NULL;
	if (stat(rules, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(p, n, "%s/sanctions.tsv", rules);
	} else {
		const char *slash = strrchr(rules, '/');
		if (slash == NULL)
			snprintf(p, n, "sanctions.tsv");
		else
			snprintf(p, n, "%.*s/sanctions.tsv", (int)(slash - rules), rules);
	}
	return p;
}

int netra_review_env_open(struct netra_review_env *env, const char *cmd, int need_reviewer)
{
	const char *who = getenv("NETRA_REVIEWER");
	char err[1024];
	char *spath = NULL;
	struct stat sb;
	int status = 0;

	if (env->config_path != NULL) {
		if (netra_config_load(env->config_path, &env->cfg, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			return 2;
		}
	} else if (netra_config_defaults(&env->cfg) != NETRA_OK) {
		fprintf(stderr, "netra %s: out of memory\n", cmd);
		return 1;
	}
	env->cfg_loaded = 1;
	env->reviewer = who != NULL && *who != '\0' ? who : env->cfg.reviewer;
	if (need_reviewer && env->reviewer == NULL) {
		fprintf(stderr,
			"netra %s: who is reviewing? Set NETRA_REVIEWER or \"reviewer\" in "
			"netra.json; it is recorded on every action\n",
			cmd);
		return 2;
	}
	if (env->cfg.watchlist != NULL &&
	    netra_watchlist_load(env->cfg.watchlist, &env->wl, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "%s\n", err);
		status = 2;
	}
	for (size_t i = 0; i < env->cfg.nelections && i < REVIEWENV_MAX_ELECTIONS; i++) {
		if (netra_election_load(env->cfg.elections[i], &env->elections[env->nelections], err,
					sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			status = 2;
			continue;
		}
		env->nelections++;
	}
	spath = sanctions_path(env->cfg.rules);
	if (spath == NULL) {
		fprintf(stderr, "netra %s: out of memory\n", cmd);
		return 1;
	}
	if (stat(spath, &sb) == 0) {
		if (netra_sanctions_load(spath, &env->sanctions, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			status = 2;
		}
	} else {
		fprintf(stderr, "netra %s: %s: not found; no sanction will be suggested\n", cmd,
			spath);
	}
	free(spath);
	if (status != 0)
		return status;
	if (netra_cases_open(env->data_dir_opt != NULL ? env->data_dir_opt : env->cfg.data_dir,
			     &env->cases, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra %s: %s\n", cmd, err);
		return 1;
	}
	if (env->reviewer != NULL && netra_cases_set_actor(env->cases, env->reviewer) != NETRA_OK) {
		fprintf(stderr, "netra %s: out of memory\n", cmd);
		return 1;
	}
	netra_cases_set_context(env->cases, env->wl, env->elections, env->nelections,
				env->sanctions);
	return 0;
}

int netra_review_env_flush(struct netra_review_env *env, const char *cmd)
{
	char err[1024];

	if (env->cases == NULL ||
	    netra_cases_flush_files(env->cases, err, sizeof(err)) == NETRA_OK)
		return 0;
	fprintf(stderr, "netra %s: cannot write a case file: %s\n", cmd, err);
	return 1;
}

void netra_review_env_close(struct netra_review_env *env)
{
	netra_cases_destroy(&env->cases);
	netra_sanctions_destroy(&env->sanctions);
	for (size_t i = 0; i < env->nelections; i++)
		netra_election_destroy(&env->elections[i]);
	env->nelections = 0;
	netra_watchlist_destroy(&env->wl);
	if (env->cfg_loaded)
		netra_config_free(&env->cfg);
	env->cfg_loaded = 0;
}

int netra_review_parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0)
		return -1;
	*out = (int64_t)v;
	return 0;
}

const char *netra_review_str(const json_t *obj, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s != NULL ? s : dflt;
}
