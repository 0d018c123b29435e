/* netra: one binary, one subcommand per stage of the pipeline. */
#include "cli/command.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int netra_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

void netra_print_usage(const struct netra_command *cmd, FILE *fp)
{
	fputs(cmd->usage, fp);
}

int netra_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "netra %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'netra %s --help'.\n", cmd);
	return 2;
}

static void print_help(FILE *fp)
{
	fprintf(fp,
		"netra %s: watch public social media for breaches of civil-servant (ASN)\n"
		"political neutrality during elections.\n\n"
		"Usage: netra COMMAND [OPTIONS]\n\nCommands:\n",
		NETRA_VERSION);
	for (size_t i = 0; netra_commands[i] != NULL; i++)
		fprintf(fp, "  %-10s %s\n", netra_commands[i]->name, netra_commands[i]->summary);
	fprintf(fp, "\n'netra COMMAND --help' tells more; docs/ in the source tree has the manual.\n");
}

static const struct netra_command *find(const char *name)
{
	for (size_t i = 0; netra_commands[i] != NULL; i++) {
		if (strcmp(netra_commands[i]->name, name) == 0)
			return netra_commands[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const struct netra_command *cmd;

	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("netra %s\n", NETRA_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc > 2 && (cmd = find(argv[2])) != NULL) {
			netra_print_usage(cmd, stdout);
			return 0;
		}
		if (argc > 2) {
			fprintf(stderr, "netra: no command '%s'\n", argv[2]);
			return 2;
		}
		print_help(stdout);
		return 0;
	}
	cmd = find(argv[1]);
	if (cmd == NULL) {
		const char *names[64];
		size_t n = 0;
		const char *hint;
		for (size_t i = 0; netra_commands[i] != NULL && n < 64; i++)
			names[n++] = netra_commands[i]->name;
		hint = netra_did_you_mean(argv[1], names, n);
		fprintf(stderr, "netra: no command '%s'%s%s%s; 'netra help' lists them\n", argv[1],
			hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "");
		return 2;
	}
	if (netra_wants_help(argc - 1, argv + 1)) {
		netra_print_usage(cmd, stdout);
		return 0;
	}
	return cmd->run(argc - 1, argv + 1);
}
