/* netra config: check a configuration file, list the keys, write the docs. */
#include "cli/command.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"

#include <stdio.h>
#include <string.h>

static int run_config(int argc, char **argv)
{
	struct netra_buf out;
	int rc = 0;

	netra_buf_init(&out, 1 << 20);
	if (argc < 2)
		return netra_usage_error("config", "say check, keys or docs");
	if (strcmp(argv[1], "keys") == 0 || strcmp(argv[1], "docs") == 0) {
		int r = strcmp(argv[1], "keys") == 0 ? netra_config_describe(&out)
						     : netra_config_markdown(&out);
		if (r != NETRA_OK) {
			fprintf(stderr, "netra config: %s\n", netra_strerror(r));
			rc = 1;
		} else {
			fputs(netra_buf_str(&out), stdout);
		}
	} else if (strcmp(argv[1], "check") == 0) {
		struct netra_config cfg;
		char err[1024];
		const char *path = NULL;
		for (int i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
				path = argv[++i];
			else
				return netra_usage_error("config", "unexpected argument '%s'", argv[i]);
		}
		if (path == NULL)
			return netra_usage_error("config", "check needs --config FILE");
		if (netra_config_load(path, &cfg, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s\n", err);
			rc = 2;
		} else {
			printf("%s: ok (%zu election file(s), watchlist %s, rules %s, data in %s)\n",
			       path, cfg.nelections, cfg.watchlist ? cfg.watchlist : "none",
			       cfg.rules, cfg.data_dir);
			netra_config_free(&cfg);
		}
	} else {
		rc = netra_usage_error("config", "unknown action '%s' (check, keys or docs)", argv[1]);
	}
	netra_buf_free(&out);
	return rc;
}

const struct netra_command netra_cmd_config = {
	.name = "config",
	.summary = "check a netra.json, list its keys, or print docs/configuration.md",
	.usage = "Usage: netra config check --config FILE\n"
		 "       netra config keys\n"
		 "       netra config docs\n\n"
		 "check  loads FILE as Netra would and reports the first problem as\n"
		 "       file:line: key: reason (exit 2), or a summary (exit 0).\n"
		 "keys   lists every configuration key, its type, default and meaning.\n"
		 "docs   prints docs/configuration.md, generated from the same table.\n",
	.run = run_config,
};
