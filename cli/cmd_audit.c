/* netra audit: check the audit log's hash chain, or list its records. */
#include "cli/command.h"
#include "core/error.h"
#include "sinks/audit.h"
#include "sinks/cases.h"
#include "sinks/reviewenv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char cmd[] = "audit";

static int run_audit(int argc, char **argv)
{
	struct netra_review_env env;
	struct netra_audit_result r;
	const char *sub = argc > 1 ? argv[1] : NULL;
	const char *object = NULL;
	char objbuf[64];
	int as_json = 0;
	int status = 0;

	memset(&env, 0, sizeof(env));
	if (sub == NULL || (strcmp(sub, "verify") != 0 && strcmp(sub, "log") != 0))
		return netra_usage_error(cmd, "name a subcommand: verify or log");
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int rr = netra_review_env_option(&env, cmd, argc, argv, &i);
		if (rr == 2)
			return 2;
		if (rr == 1)
			continue;
		if ((strcmp(a, "--case") == 0 || strcmp(a, "--evidence") == 0) && i + 1 < argc) {
			char *end;
			long long id = strtoll(argv[++i], &end, 10);
			if (*end != '\0' || id <= 0)
				return netra_usage_error(cmd, "%s takes a number", a);
			snprintf(objbuf, sizeof(objbuf), "%s:%lld",
				 strcmp(a, "--case") == 0 ? "case" : "evidence", id);
			object = objbuf;
		} else if (strcmp(a, "--json") == 0) {
			as_json = 1;
		} else {
			return netra_usage_error(cmd, "unexpected '%s'", a);
		}
	}
	status = netra_review_env_open(&env, sub, 0);
	if (status != 0)
		goto cleanup;
	if (strcmp(sub, "verify") == 0) {
		int rc = netra_audit_verify(netra_cases_db(env.cases), &r);
		if (rc == NETRA_OK) {
			printf("%s: audit log intact: %" PRId64 " record(s), head %s\n",
			       netra_cases_path(env.cases), r.records, r.head[0] ? r.head : "-");
		} else if (rc == NETRA_EINVAL) {
			printf("%s: audit log BROKEN at record %" PRId64 ": %s\n",
			       netra_cases_path(env.cases), r.bad_seq, r.reason);
			status = 1;
		} else {
			fprintf(stderr, "netra audit verify: %s\n", r.reason);
			status = 1;
		}
	} else {
		json_t *arr = NULL;
		size_t i;
		json_t *v;
		if (netra_audit_list(netra_cases_db(env.cases), object, &arr) != NETRA_OK) {
			fprintf(stderr, "netra audit log: cannot read the audit log\n");
			status = 1;
			goto cleanup;
		}
		if (as_json) {
			char *text = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			if (text != NULL)
				puts(text);
			free(text);
		} else {
			json_array_foreach(arr, i, v) {
				char *detail = json_dumps(json_object_get(v, "detail"),
							  JSON_COMPACT | JSON_SORT_KEYS);
				printf("%6" JSON_INTEGER_FORMAT "  %s  %-12s %-17s %-14s %s  %s\n",
				       json_integer_value(json_object_get(v, "seq")),
				       json_string_value(json_object_get(v, "at")),
				       json_string_value(json_object_get(v, "actor")),
				       json_string_value(json_object_get(v, "action")),
				       json_string_value(json_object_get(v, "object")),
				       json_string_value(json_object_get(v, "reason")),
				       detail != NULL ? detail : "");
				free(detail);
			}
		}
		json_decref(arr);
	}
cleanup:
	netra_review_env_close(&env);
	return status;
}

const struct netra_command netra_cmd_audit = {
	.name = "audit",
	.summary = "check the review audit log's hash chain, or list it",
	.usage =
		"Usage: netra audit verify [--config FILE] [--data-dir DIR]\n"
		"       netra audit log [--case N | --evidence N] [--json]\n\n"
		"Every review action (who, when, what, why) is one record of the case\n"
		"store's append-only audit log; each record holds the SHA-256 of the one\n"
		"before it and of its own fields. verify walks the chain and reports the\n"
		"first record that was changed, deleted or cut off, and the head hash to\n"
		"note down elsewhere.\n\n"
		"Exit status: 0 intact; 1 broken or unreadable; 2 usage or configuration.\n",
	.run = run_audit,
};
