/* netra collect: run the configured sources and write their posts as
 * JSONL (collectors/collect.h), or send them to a classifier through the
 * collect stage's journal (--to, sinks/pipeline.h). */
#include "cli/command.h"
#include "collectors/collect.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "sinks/pipeline.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

enum { COLLECT_MAX_TO = 16 };

/* --to: the collect stage of the pipeline, sending to the endpoints (round
 * robin when there are several classifier workers). Returns the exit
 * status. */
static int collect_to(const struct netra_config *cfg, const char *const *endpoints, size_t n,
		      int once)
{
	struct netra_stage_control ctl;
	struct netra_stage_args a;
	void *zctx = zmq_ctx_new();
	int rc;

	if (zctx == NULL) {
		fprintf(stderr, "netra collect: cannot create a ZeroMQ context\n");
		return 3;
	}
	memset(&ctl, 0, sizeof(ctl));
	ctl.stop = &stop_flag;
	ctl.drain = once;
	netra_stage_args_init(&a, cfg, zctx, &ctl);
	a.name = "collect";
	a.to = endpoints;
	a.nto = n;
	rc = netra_stage_collect(&a, once);
	zmq_ctx_term(zctx);
	if (rc == NETRA_EINVAL)
		return 2;
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra collect: stopped: %s\n", netra_strerror(rc));
		return 3;
	}
	return atomic_load(&ctl.sources_failed) ? 1 : 0;
}

static int run_collect(int argc, char **argv)
{
	struct netra_config cfg;
	struct netra_collect_options opt;
	struct netra_collector *coll = NULL;
	struct sigaction sa;
	const char *config = NULL;
	const char *to[COLLECT_MAX_TO];
	size_t nto = 0;
	enum netra_log_level level;
	char err[1024];
	int rc;

	memset(&opt, 0, sizeof(opt));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--out") == 0) {
			if (i + 1 >= argc)
				return netra_usage_error("collect", "%s needs a file", argv[i]);
			if (strcmp(argv[i], "--config") == 0)
				config = argv[++i];
			else
				opt.out_path = argv[++i];
		} else if (strcmp(argv[i], "--to") == 0) {
			if (i + 1 >= argc)
				return netra_usage_error("collect", "--to needs an endpoint "
							 "(tcp://HOST:PORT or ipc://PATH)");
			if (nto == COLLECT_MAX_TO)
				return netra_usage_error("collect", "at most %d --to endpoints",
							 COLLECT_MAX_TO);
			to[nto] = argv[++i];
			if (!netra_endpoint_valid(to[nto]))
				return netra_usage_error("collect", "--to %s: not a tcp://, ipc:// "
							 "or inproc:// endpoint", to[nto]);
			nto++;
		} else if (strcmp(argv[i], "--once") == 0) {
			opt.once = 1;
		} else if (strcmp(argv[i], "--list-sources") == 0) {
			char *md = netra_collect_sources_markdown();
			if (md == NULL)
				return 1;
			fputs(md, stdout);
			free(md);
			return 0;
		} else {
			return netra_usage_error("collect", "unknown argument \"%s\"", argv[i]);
		}
	}
	if (config == NULL)
		return netra_usage_error("collect", "--config FILE is required");
	if (nto > 0 && opt.out_path != NULL)
		return netra_usage_error("collect", "--to and --out exclude each other");
	if (netra_config_load(config, &cfg, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra collect: %s\n", err);
		return 2;
	}
	if (netra_log_parse_level(cfg.log_level, &level) == 0)
		netra_log_set_level(level);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (nto > 0) {
		rc = collect_to(&cfg, to, nto, opt.once);
		netra_config_free(&cfg);
		return rc;
	}
	opt.stop = &stop_flag;
	rc = netra_collector_new(&cfg, &opt, &coll, err, sizeof(err));
	if (rc != NETRA_OK) {
		fprintf(stderr, "netra collect: %s\n", err);
		netra_config_free(&cfg);
		return 2;
	}
	rc = netra_collector_run(coll);
	netra_collector_destroy(&coll);
	netra_config_free(&cfg);
	if (rc < 0) {
		fprintf(stderr, "netra collect: stopped: %s\n", netra_strerror(rc));
		return 3;
	}
	return rc;
}

const struct netra_command netra_cmd_collect = {
	.name = "collect",
	.summary = "collect public posts from the configured sources (JSONL, or to a classifier)",
	.usage = "Usage: netra collect --config FILE [--once] [--out FILE | --to ENDPOINT ...]\n"
		 "       netra collect --list-sources\n"
		 "\n"
		 "Polls every source in the configuration's \"sources\" array\n"
		 "(docs/sources.md) and writes new posts (contracts §1) as JSONL to\n"
		 "FILE, or to standard output. Progress goes to standard error, one\n"
		 "line per source and poll: fetched, new, duplicates, errors, next poll.\n"
		 "Cursors are kept under data_dir/collect/ and saved only after the\n"
		 "posts they cover are written and synced: a restart, even after a\n"
		 "crash, goes on with no gap and no duplicate (with --out).\n"
		 "\n"
		 "With --to, posts go instead into the collect stage's journal under\n"
		 "data_dir/pipeline/collect (fsync'd before the cursors move) and are\n"
		 "sent to the classifier at ENDPOINT (`netra classify --serve`), which\n"
		 "acknowledges them (docs/pipeline.md); this is `netra run --stages\n"
		 "collect` with the endpoint named here instead of classify_endpoint.\n"
		 "While the journal's quota is full, collecting pauses. With --once,\n"
		 "the command exits once every post is acknowledged. Name --to once per\n"
		 "classifier worker to share the load among them (round robin).\n"
		 "\n"
		 "  --config FILE   netra.json with a \"sources\" array\n"
		 "  --once          poll each source once, then exit\n"
		 "  --out FILE      append posts to FILE instead of standard output\n"
		 "  --to ENDPOINT   send posts to a classifier (tcp://HOST:PORT, ipc://PATH);\n"
		 "                  repeat it for several workers\n"
		 "  --list-sources  print every source type and its keys (Markdown)\n"
		 "\n"
		 "Exit status: 0 all polls succeeded; 1 a source failed (the others\n"
		 "went on); 2 bad configuration or usage; 3 output or state could not\n"
		 "be written.\n",
	.run = run_collect,
};
