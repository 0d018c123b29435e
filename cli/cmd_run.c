/* netra run: the stages of the pipeline in one process (collect, classify,
 * sink), joined over inproc:// by the same acknowledged hops as between
 * processes (sinks/pipeline.h), or only some of them, joined to the other
 * processes over the configured endpoints. */
#include "cli/command.h"
#include "cli/setup.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "sinks/pipeline.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

enum { STAGE_COLLECT = 1, STAGE_CLASSIFY = 2, STAGE_SINK = 4, STAGE_ALL = 7 };

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* One stage and its thread. */
struct stage {
	struct netra_stage_args args;       /* what it is given */
	struct netra_stage_control ctl;     /* stop and drain */
	const char *to;                     /* its one downstream endpoint */
	const struct netra_engine *engine;  /* classify only */
	int once;                           /* collect only */
	int which;                          /* STAGE_* */
	pthread_t tid;                      /* its thread */
	int started;                        /* the thread runs */
	int rc;                             /* what the stage returned */
};

static void *stage_main(void *p)
{
	struct stage *s = p;

	if (s->which == STAGE_SINK)
		s->rc = netra_stage_sink(&s->args);
	else if (s->which == STAGE_CLASSIFY)
		s->rc = netra_stage_classify(&s->args, s->engine);
	else
		s->rc = netra_stage_collect(&s->args, s->once);
	/* A stage that fails stops the others. */
	if (s->rc != NETRA_OK)
		stop_flag = 1;
	return NULL;
}

static int parse_stages(const char *list, int *out)
{
	const char *p = list;

	*out = 0;
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		if (n == 7 && strncmp(p, "collect", n) == 0)
			*out |= STAGE_COLLECT;
		else if (n == 8 && strncmp(p, "classify", n) == 0)
			*out |= STAGE_CLASSIFY;
		else if (n == 4 && strncmp(p, "sink", n) == 0)
			*out |= STAGE_SINK;
		else
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	return *out != 0 ? 0 : -1;
}

static int run_run(int argc, char **argv)
{
	struct netra_config cfg;
	struct netra_setup st;
	struct stage stages[3];
	struct sigaction sa;
	const char *config = NULL;
	const char *classify_ep;
	const char *sink_ep;
	enum netra_log_level level;
	int which = STAGE_ALL;
	int once = 0;
	int have_cfg = 0;
	int status = 0;
	void *zctx = NULL;
	char err[1024];

	memset(stages, 0, sizeof(stages));
	netra_setup_init(&st);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--stages") == 0) {
			if (i + 1 >= argc)
				return netra_usage_error("run", "%s needs a value", argv[i]);
			if (strcmp(argv[i], "--config") == 0)
				config = argv[++i];
			else if (parse_stages(argv[++i], &which) != 0)
				return netra_usage_error("run", "--stages takes a comma-separated list "
							 "of collect, classify and sink");
		} else if (strcmp(argv[i], "--once") == 0) {
			once = 1;
		} else {
			return netra_usage_error("run", "unknown argument \"%s\"", argv[i]);
		}
	}
	if (config == NULL)
		return netra_usage_error("run", "--config FILE is required");
	/* Why before loading: rules and elections take a while to load, and
	 * a SIGTERM meanwhile must still stop the process cleanly. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (netra_config_load(config, &cfg, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "netra run: %s\n", err);
		return 2;
	}
	have_cfg = 1;
	if (netra_log_parse_level(cfg.log_level, &level) == 0)
		netra_log_set_level(level);
	if (which & STAGE_CLASSIFY) {
		for (size_t i = 0; i < cfg.nelections && st.nelection_paths < SETUP_MAX_ELECTIONS; i++)
			st.election_paths[st.nelection_paths++] = cfg.elections[i];
		if (st.nelection_paths == 0) {
			fprintf(stderr, "netra run: %s: elections: name at least one election file\n",
				config);
			status = 2;
			goto cleanup;
		}
		st.watchlist_path = cfg.watchlist;
		st.rules_path = cfg.rules;
		st.opt.threshold = cfg.threshold;
		st.opt.max_field_bytes = (size_t)cfg.max_post_bytes;
		st.opt.match_limit = (uint32_t)cfg.match_limit;
		status = netra_setup_load(&st, "run", 0);
		if (status != 0)
			goto cleanup;
	}
	/* Why inproc: all stages in one process still go through the same
	 * journals and acknowledgements, only without a network hop. */
	classify_ep = which == STAGE_ALL ? "inproc://netra-classify" : cfg.classify_endpoint;
	sink_ep = which == STAGE_ALL ? "inproc://netra-sink" : cfg.sink_endpoint;
	zctx = zmq_ctx_new();
	if (zctx == NULL) {
		status = 1;
		goto cleanup;
	}
	/* Downstream first, so that inproc endpoints are bound before use. */
	for (int k = 2; k >= 0; k--) {
		struct stage *s = &stages[k];
		int w = k == 0 ? STAGE_COLLECT : k == 1 ? STAGE_CLASSIFY : STAGE_SINK;
		s->which = w;
		if (!(which & w))
			continue;
		s->ctl.stop = &stop_flag;
		s->ctl.drain = once;
		if (k > 0 && (which & (w >> 1)))
			s->ctl.upstream_done = &stages[k - 1].ctl.done;
		netra_stage_args_init(&s->args, &cfg, zctx, &s->ctl);
		s->engine = st.engine;
		s->once = once;
		s->args.name = w == STAGE_COLLECT ? "collect" : w == STAGE_CLASSIFY ? "classify" : "sink";
		s->args.listen = w == STAGE_CLASSIFY ? classify_ep : w == STAGE_SINK ? sink_ep : NULL;
		s->to = w == STAGE_COLLECT ? classify_ep : w == STAGE_CLASSIFY ? sink_ep : NULL;
		s->args.to = &s->to;
		s->args.nto = s->to != NULL ? 1 : 0;
	}
	for (int k = 2; k >= 0; k--) {
		if (!(which & stages[k].which))
			continue;
		if (pthread_create(&stages[k].tid, NULL, stage_main, &stages[k]) != 0) {
			stop_flag = 1;
			status = 1;
			break;
		}
		stages[k].started = 1;
	}
	for (int k = 0; k < 3; k++) {
		if (!stages[k].started)
			continue;
		pthread_join(stages[k].tid, NULL);
		if (stages[k].rc != NETRA_OK)
			status = 1;
	}
	/* Only what ran alone ends by itself; say why the process stops. */
	if (status == 0 && stop_flag)
		netra_info("run", NULL, "stopped by a signal; unacknowledged items stay in the "
			   "journals and are sent at the next start");
cleanup:
	if (zctx != NULL)
		zmq_ctx_term(zctx);
	netra_setup_free(&st);
	if (have_cfg)
		netra_config_free(&cfg);
	return status;
}

const struct netra_command netra_cmd_run = {
	.name = "run",
	.summary = "run the pipeline (collect, classify, sink) in one process",
	.usage =
		"Usage: netra run --config FILE [--once] [--stages LIST]\n\n"
		"Runs the stages of the pipeline: the collectors (\"sources\" of netra.json),\n"
		"the classifier (elections, watchlist, rules) and the sink (flags stored in\n"
		"SQLite under data_dir; `netra sink --config FILE --list` prints them).\n"
		"With every stage in this process they are joined over inproc://; with\n"
		"--stages, only the stages named run here, joined to the others (run by\n"
		"`netra classify --serve` and `netra sink`, on this machine or others) over\n"
		"classify_endpoint and sink_endpoint. Each hop keeps what the next stage has\n"
		"not acknowledged in a journal under data_dir/pipeline/, so nothing is lost\n"
		"when a process dies; SIGINT or SIGTERM finishes the batches in hand and\n"
		"stops.\n\n"
		"  --config FILE   netra.json\n"
		"  --once          poll each source once, deliver everything, then stop\n"
		"  --stages LIST   comma-separated: collect, classify, sink (default: all)\n\n"
		"docs/pipeline.md tells how the stages connect.\n",
	.run = run_run,
};
