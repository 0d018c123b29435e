/* The registry of subcommands. */
#include "cli/command.h"

extern const struct netra_command netra_cmd_classify;
extern const struct netra_command netra_cmd_collect;
extern const struct netra_command netra_cmd_config;
extern const struct netra_command netra_cmd_rules;
extern const struct netra_command netra_cmd_run;
extern const struct netra_command netra_cmd_sink;
extern const struct netra_command netra_cmd_validate;
extern const struct netra_command netra_cmd_review;
extern const struct netra_command netra_cmd_cases;
extern const struct netra_command netra_cmd_audit;
extern const struct netra_command netra_cmd_report;

const struct netra_command *const netra_commands[] = {
	&netra_cmd_classify,
	&netra_cmd_rules,
	&netra_cmd_validate,
	&netra_cmd_collect,
	&netra_cmd_config,
	&netra_cmd_run,
	&netra_cmd_sink,
	&netra_cmd_review,
	&netra_cmd_cases,
	&netra_cmd_audit,
	&netra_cmd_report,
	NULL,
};
