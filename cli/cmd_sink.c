/* netra sink: receive flags from classifier workers and store them
 * (sinks/pipeline.h); `--list` prints what the store holds. */
#include "cli/command.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "sinks/pipeline.h"
#include "sinks/sink.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <zmq.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int list_flags(const struct netra_config *cfg, int count_only)
{
	const struct netra_sink_plugin *p = netra_sink_plugin_find(cfg->sink);
	struct netra_sink *s = NULL;
	char err[1024];
	int rc;

	if (p == NULL) {
		fprintf(stderr, "netra sink: no sink named \"%s\" (key \"sink\")\n", cfg->sink);
		return 2;
	}
	if (p->init(cfg, &s, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra sink: %s\n", err);
		return 1;
	}
	if (count_only) {
		long long n = p->count(s);
		rc = n < 0 ? (int)n : NETRA_OK;
		if (n >= 0)
			printf("%lld\n", n);
	} else {
		rc = p->list(s, stdout);
	}
	p->exit(&s);
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra sink: cannot list the flags: %s\n", netra_strerror(rc));
		return 1;
	}
	return 0;
}

static int run_sink(int argc, char **argv)
{
	struct netra_config cfg;
	struct netra_stage_control ctl;
	struct netra_stage_args a;
	struct sigaction sa;
	const char *config = NULL;
	const char *listen = NULL;
	enum netra_log_level level;
	int list = 0;
	int count = 0;
	void *zctx = NULL;
	char err[1024];
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--listen") == 0) {
			if (i + 1 >= argc)
				return netra_usage_error("sink", "%s needs a value", argv[i]);
			if (strcmp(argv[i], "--config") == 0)
				config = argv[++i];
			else
				listen = argv[++i];
		} else if (strcmp(argv[i], "--list") == 0) {
			list = 1;
		} else if (strcmp(argv[i], "--count") == 0) {
			count = 1;
		} else {
			return netra_usage_error("sink", "unknown argument \"%s\"", argv[i]);
		}
	}
	if (config == NULL)
		return netra_usage_error("sink", "--config FILE is required");
	if (netra_config_load(config, &cfg, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra sink: %s\n", err);
		return 2;
	}
	if (netra_log_parse_level(cfg.log_level, &level) == 0)
		netra_log_set_level(level);
	if (list || count) {
		rc = list_flags(&cfg, count);
		netra_config_free(&cfg);
		return rc;
	}
	memset(&ctl, 0, sizeof(ctl));
	ctl.stop = &stop_flag;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	zctx = zmq_ctx_new();
	if (zctx == NULL) {
		netra_config_free(&cfg);
		return 1;
	}
	netra_stage_args_init(&a, &cfg, zctx, &ctl);
	a.listen = listen != NULL ? listen : cfg.sink_endpoint;
	a.name = "sink";
	rc = netra_stage_sink(&a);
	zmq_ctx_term(zctx);
	netra_config_free(&cfg);
	return rc == NETRA_OK ? 0 : 1;
}

const struct netra_command netra_cmd_sink = {
	.name = "sink",
	.summary = "receive flags and file them into the case store; --list prints them",
	.usage =
		"Usage: netra sink --config FILE [--listen ENDPOINT]\n"
		"       netra sink --config FILE --list | --count\n\n"
		"Listens at sink_endpoint (or ENDPOINT: tcp://HOST:PORT or ipc://PATH) for the\n"
		"flags that `netra classify --serve` workers send, and stores each one, with\n"
		"its arrival time, in SQLite under the data folder (DATA_DIR/sink/flags.db).\n"
		"A flag is acknowledged only once it is on disk; the same post id arriving\n"
		"twice is stored once. SIGINT or SIGTERM finishes the batch in hand and stops.\n\n"
		"  --config FILE      netra.json: data_dir, sink_endpoint\n"
		"  --listen ENDPOINT  listen here instead of sink_endpoint\n"
		"  --list             print the stored flags as JSONL (each flag of\n"
		"                     contracts §4 plus \"arrived_at\"), in arrival order\n"
		"  --count            print how many flags are stored\n\n"
		"docs/pipeline.md tells how the stages connect; docs/wire.md is the wire format.\n",
	.run = run_sink,
};
