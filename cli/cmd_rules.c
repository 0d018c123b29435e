/* netra rules: check, test and dump the rule pack. */
#include "cli/command.h"
#include "cli/setup.h"
#include "core/buf.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>

static int run_rules(int argc, char **argv)
{
	struct netra_setup st;
	struct netra_buf out;
	const char *action;
	int status = 0;
	static char test_election[4096];

	if (argc < 2)
		return netra_usage_error("rules", "say check, test or dump");
	action = argv[1];
	if (strcmp(action, "check") != 0 && strcmp(action, "test") != 0 &&
	    strcmp(action, "dump") != 0)
		return netra_usage_error("rules", "unknown action '%s' (check, test or dump)", action);
	netra_setup_init(&st);
	netra_buf_init(&out, 64u << 20);
	for (int i = 2; i < argc; i++) {
		if ((strcmp(argv[i], "--election") == 0 || strcmp(argv[i], "--rules") == 0) &&
		    i + 1 >= argc) {
			status = netra_usage_error("rules", "%s needs a value", argv[i]);
			goto cleanup;
		}
		if (strcmp(argv[i], "--election") == 0) {
			if (st.nelection_paths >= SETUP_MAX_ELECTIONS) {
				status = netra_usage_error("rules", "too many elections");
				goto cleanup;
			}
			st.election_paths[st.nelection_paths++] = argv[++i];
		} else if (strcmp(argv[i], "--rules") == 0) {
			st.rules_path = argv[++i];
		} else {
			status = netra_usage_error("rules", "unknown argument '%s'", argv[i]);
			goto cleanup;
		}
	}
	if (st.nelection_paths == 0) {
		if (strcmp(action, "dump") == 0) {
			status = netra_usage_error("rules", "dump needs --election FILE");
			goto cleanup;
		}
		/* Examples and checks use the pack's own test election. */
		snprintf(test_election, sizeof(test_election), "%s/test-election.json", st.rules_path);
		st.election_paths[st.nelection_paths++] = test_election;
	}
	status = netra_setup_load(&st, "rules", strcmp(action, "check") == 0);
	if (status != 0)
		goto cleanup;
	if (strcmp(action, "check") == 0) {
		printf("%s: %zu rules, %zu defines, %zu rule instances, %zu distinct patterns: ok\n",
		       st.rules_path, st.rs->nrules, st.rs->ndefines,
		       netra_engine_ninstances(st.engine), netra_engine_npatterns(st.engine));
	} else if (strcmp(action, "dump") == 0) {
		if (netra_engine_dump(st.engine, &out) != NETRA_OK) {
			fprintf(stderr, "netra rules: out of memory\n");
			status = 1;
		} else {
			fputs(netra_buf_str(&out), stdout);
		}
	} else {
		size_t passed;
		size_t failed;
		if (netra_engine_test_examples(st.engine, &out, &passed, &failed) != NETRA_OK) {
			fprintf(stderr, "netra rules: out of memory\n");
			status = 1;
		} else {
			fputs(netra_buf_str(&out), stdout);
			printf("%zu passed, %zu failed\n", passed, failed);
			status = failed > 0 ? 1 : 0;
		}
	}
cleanup:
	netra_buf_free(&out);
	netra_setup_free(&st);
	return status;
}

const struct netra_command netra_cmd_rules = {
	.name = "rules",
	.summary = "check, test or dump the rule pack",
	.usage = "Usage: netra rules check [--rules PATH] [--election FILE]...\n"
		 "       netra rules test  [--rules PATH] [--election FILE]...\n"
		 "       netra rules dump  --election FILE [--rules PATH]\n\n"
		 "check  compiles every rule and reports each problem as file:line: message\n"
		 "       (PCRE2's own error text and offset), and warns about slow rules.\n"
		 "test   runs every rule's inline examples and reports PASS or FAIL per rule;\n"
		 "       every rule needs at least two examples that match and two that\n"
		 "       do not. Exit status 1 if any rule fails.\n"
		 "dump   prints each rule's final expanded pattern(s), one per line:\n"
		 "       rule id, a tab, the pattern.\n\n"
		 "Without --election, check and test use the pack's test-election.json.\n"
		 "The rule pack is --rules, else NETRA_RULES, else the source tree's rules/.\n",
	.run = run_rules,
};
