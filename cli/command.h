/* The `netra` command's subcommands: each is a const struct in one registry
 * (cli/commands.c); adding a command is one file and one registry line. */
#ifndef NETRA_COMMAND_H
#define NETRA_COMMAND_H

#include <stdio.h>

struct netra_command {
	const char *name;    /* as typed: "classify" */
	const char *summary; /* one line for `netra help` */
	const char *usage;   /* the full --help text */
	/* Run with argv[0] the command's name. Returns the exit status. */
	int (*run)(int argc, char **argv);
};

/* The registry, terminated by an entry whose name is NULL. */
extern const struct netra_command *const netra_commands[];

/* 1 if argv holds -h or --help (before any "--"). */
int netra_wants_help(int argc, char **argv);

/* Print cmd's usage to fp. */
void netra_print_usage(const struct netra_command *cmd, FILE *fp);

/* Report a usage error ("netra classify: --election needs a file") and a
 * pointer to --help on stderr. Returns 2, the usage exit status. */
int netra_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
