/* netra classify: posts in, flags out (contracts §5). */
#include "cli/command.h"
#include "cli/setup.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/error.h"
#include "core/post.h"
#include "core/util.h"
#include "sinks/pipeline.h"

#include <jansson.h>
#include <signal.h>
#include <zmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { LINE_MAX_BYTES = 16 * 1024 * 1024, SERVE_MAX_TO = 16 };

/* --serve: where to listen and send, and the worker's name. */
struct serve_opts {
	int on;                          /* --serve was given */
	const char *listen;              /* --listen, or NULL for classify_endpoint */
	const char *to[SERVE_MAX_TO];    /* --to (repeatable), or none for sink_endpoint */
	size_t nto;                      /* entries in to */
	const char *worker;              /* --worker NAME: its journal folder */
};

static volatile sig_atomic_t serve_stop;

static void on_serve_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

/* Run as a classifier worker of the pipeline (sinks/pipeline.h) until
 * SIGINT or SIGTERM. cfg gives data_dir, the endpoints and the quota. */
static int serve(const struct netra_engine *engine, const struct netra_config *cfg,
		 const struct serve_opts *so)
{
	struct netra_stage_control ctl;
	struct netra_stage_args a;
	struct sigaction sa;
	const char *sink = cfg->sink_endpoint;
	char name[128];
	void *zctx = zmq_ctx_new();
	int rc;

	if (zctx == NULL)
		return 1;
	memset(&ctl, 0, sizeof(ctl));
	ctl.stop = &serve_stop;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_serve_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	snprintf(name, sizeof(name), "classify%s%s", so->worker ? "-" : "",
		 so->worker ? so->worker : "");
	netra_stage_args_init(&a, cfg, zctx, &ctl);
	a.name = name;
	a.listen = so->listen != NULL ? so->listen : cfg->classify_endpoint;
	a.to = so->nto > 0 ? so->to : &sink;
	a.nto = so->nto > 0 ? so->nto : 1;
	rc = netra_stage_classify(&a, engine);
	zmq_ctx_term(zctx);
	return rc == NETRA_OK ? 0 : 1;
}

/* Counters for the summary line. */
struct tally {
	size_t posts;       /* valid posts classified */
	size_t flagged;     /* of which flagged */
	size_t malformed;   /* lines skipped */
	size_t per_category[NETRA_NCATEGORIES]; /* flags per category */
	size_t unreadable;  /* inputs that could not be opened */
	size_t inputs;      /* inputs named */
};

static int classify_stream(struct netra_scanner *sc, FILE *fp, const char *name, int all,
			   struct tally *t)
{
	struct netra_lines *lines = netra_lines_new(fp, name, LINE_MAX_BYTES);
	struct netra_buf out;
	const char *line;
	size_t len;
	enum netra_line_result lr;
	int rc = NETRA_OK;

	if (lines == NULL)
		return NETRA_ENOMEM;
	netra_buf_init(&out, (size_t)LINE_MAX_BYTES * 2);
	while ((lr = netra_lines_next(lines, &line, &len)) != NETRA_LINE_EOF) {
		size_t no = netra_lines_number(lines);
		char err[512];
		json_t *post = NULL;
		const struct netra_verdict *v;
		if (lr == NETRA_LINE_ERROR) {
			fprintf(stderr, "%s:%zu: read error; the rest of this input is skipped\n", name, no);
			t->malformed++;
			break;
		}
		if (lr == NETRA_LINE_TOOLONG) {
			fprintf(stderr, "%s:%zu: line longer than %d bytes, skipped\n", name, no,
				LINE_MAX_BYTES);
			t->malformed++;
			continue;
		}
		if (strspn(line, " \t\r") == len)
			continue;
		if (netra_post_parse(line, len, &post, err, sizeof(err)) != NETRA_OK) {
			fprintf(stderr, "%s:%zu: %s; line skipped\n", name, no, err);
			t->malformed++;
			continue;
		}
		rc = netra_scan_post(sc, post, &v);
		if (rc == NETRA_OK && (v->flagged || all)) {
			netra_buf_reset(&out);
			rc = netra_verdict_write(sc, line, len, all, &out);
			if (rc == NETRA_OK && fwrite(out.data, 1, out.len, stdout) != out.len)
				rc = NETRA_EIO;
		}
		if (rc == NETRA_OK) {
			t->posts++;
			if (v->flagged) {
				t->flagged++;
				for (int c = 0; c < NETRA_NCATEGORIES; c++)
					t->per_category[c] += (v->categories >> c) & 1u;
			}
		}
		json_decref(post);
		if (rc != NETRA_OK) {
			fprintf(stderr, "%s:%zu: %s\n", name, no,
				rc == NETRA_EIO ? "cannot write the flags" : netra_strerror(rc));
			break;
		}
	}
	netra_buf_free(&out);
	netra_lines_destroy(&lines);
	return rc;
}

static int apply_config(struct netra_setup *st, struct netra_config *cfg, const char *path)
{
	char err[1024];

	if (netra_config_load(path, cfg, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	for (size_t i = 0; i < cfg->nelections && st->nelection_paths < SETUP_MAX_ELECTIONS; i++)
		st->election_paths[st->nelection_paths++] = cfg->elections[i];
	if (cfg->watchlist != NULL)
		st->watchlist_path = cfg->watchlist;
	st->rules_path = cfg->rules;
	st->opt.threshold = cfg->threshold;
	st->opt.max_field_bytes = (size_t)cfg->max_post_bytes;
	st->opt.match_limit = (uint32_t)cfg->match_limit;
	return 0;
}

static int run_classify(int argc, char **argv)
{
	struct netra_setup st;
	struct netra_config cfg;
	struct netra_scanner *sc = NULL;
	struct serve_opts so;
	struct tally t;
	const char **inputs = NULL;
	size_t ninputs = 0;
	int all = 0;
	int status = 0;
	int have_cfg = 0;
	struct timespec t0;
	struct timespec t1;
	double secs;

	memset(&t, 0, sizeof(t));
	memset(&so, 0, sizeof(so));
	memset(&cfg, 0, sizeof(cfg));
	netra_setup_init(&st);
	inputs = calloc((size_t)argc + 1, sizeof(char *));
	if (inputs == NULL)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int takes = strcmp(a, "--election") == 0 || strcmp(a, "--watchlist") == 0 ||
			    strcmp(a, "--rules") == 0 || strcmp(a, "--config") == 0 ||
			    strcmp(a, "--threshold") == 0 || strcmp(a, "--listen") == 0 ||
			    strcmp(a, "--to") == 0 || strcmp(a, "--worker") == 0;
		if (takes && i + 1 >= argc) {
			status = netra_usage_error("classify", "%s needs a value", a);
			goto cleanup;
		}
		if (strcmp(a, "--election") == 0) {
			if (st.nelection_paths >= SETUP_MAX_ELECTIONS) {
				status = netra_usage_error("classify", "at most %d elections",
							   SETUP_MAX_ELECTIONS);
				goto cleanup;
			}
			st.election_paths[st.nelection_paths++] = argv[++i];
		} else if (strcmp(a, "--watchlist") == 0) {
			st.watchlist_path = argv[++i];
		} else if (strcmp(a, "--rules") == 0) {
			st.rules_path = argv[++i];
		} else if (strcmp(a, "--config") == 0) {
			if (have_cfg) {
				status = netra_usage_error("classify", "--config is given twice");
				goto cleanup;
			}
			have_cfg = 1;
			status = apply_config(&st, &cfg, argv[++i]);
			if (status != 0)
				goto cleanup;
		} else if (strcmp(a, "--threshold") == 0) {
			char *end;
			double th = strtod(argv[++i], &end);
			if (*end != '\0' || th < 0.01 || th > 1.0) {
				status = netra_usage_error("classify", "--threshold takes a number from 0.01 to 1");
				goto cleanup;
			}
			st.opt.threshold = th;
		} else if (strcmp(a, "--serve") == 0) {
			so.on = 1;
		} else if (strcmp(a, "--listen") == 0) {
			so.listen = argv[++i];
		} else if (strcmp(a, "--worker") == 0) {
			so.worker = argv[++i];
			if (strspn(so.worker, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(so.worker)) {
				status = netra_usage_error("classify", "--worker takes a-z, 0-9, _ and -");
				goto cleanup;
			}
		} else if (strcmp(a, "--to") == 0) {
			if (so.nto >= SERVE_MAX_TO) {
				status = netra_usage_error("classify", "at most %d --to", SERVE_MAX_TO);
				goto cleanup;
			}
			so.to[so.nto++] = argv[++i];
		} else if (strcmp(a, "--all") == 0) {
			all = 1;
		} else if (strcmp(a, "--naive") == 0) {
			st.opt.naive = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			status = netra_usage_error("classify", "unknown option '%s'", a);
			goto cleanup;
		} else {
			inputs[ninputs++] = a;
		}
	}
	if (st.nelection_paths == 0) {
		status = netra_usage_error("classify", "name at least one --election FILE (or --config)");
		goto cleanup;
	}
	if (so.on && ninputs > 0) {
		status = netra_usage_error("classify", "--serve reads posts from the pipeline, not files");
		goto cleanup;
	}
	if (so.on && !have_cfg) {
		if (netra_config_defaults(&cfg) != NETRA_OK) {
			status = 1;
			goto cleanup;
		}
		have_cfg = 1;
	}
	status = netra_setup_load(&st, "classify", 0);
	if (status != 0)
		goto cleanup;
	if (so.on) {
		status = serve(st.engine, &cfg, &so);
		goto cleanup;
	}
	sc = netra_scanner_new(st.engine);
	if (sc == NULL) {
		fprintf(stderr, "netra classify: out of memory\n");
		status = 1;
		goto cleanup;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ninputs == 0) {
		t.inputs = 1;
		if (classify_stream(sc, stdin, "<stdin>", all, &t) != NETRA_OK)
			status = 1;
	}
	for (size_t i = 0; i < ninputs && status == 0; i++) {
		FILE *fp = strcmp(inputs[i], "-") == 0 ? stdin : fopen(inputs[i], "r");
		t.inputs++;
		if (fp == NULL) {
			fprintf(stderr, "%s: cannot open; skipped\n", inputs[i]);
			t.unreadable++;
			continue;
		}
		if (classify_stream(sc, fp, fp == stdin ? "<stdin>" : inputs[i], all, &t) != NETRA_OK)
			status = 1;
		if (fp != stdin)
			fclose(fp);
	}
	if (fflush(stdout) != 0) {
		fprintf(stderr, "netra classify: cannot write the flags\n");
		status = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr, "netra classify: %zu posts, %zu flagged (", t.posts, t.flagged);
	for (int c = 0, first = 1; c < NETRA_NCATEGORIES; c++) {
		if (t.per_category[c] == 0)
			continue;
		fprintf(stderr, "%s%s %zu", first ? "" : ", ", netra_category_name(c), t.per_category[c]);
		first = 0;
	}
	fprintf(stderr, "), %zu malformed line(s) skipped, %.2f s\n", t.malformed, secs);
	if (status == 0 && t.inputs > 0 && t.unreadable == t.inputs)
		status = 2;
cleanup:
	netra_scanner_destroy(&sc);
	netra_setup_free(&st);
	if (have_cfg)
		netra_config_free(&cfg);
	free(inputs);
	return status;
}

const struct netra_command netra_cmd_classify = {
	.name = "classify",
	.summary = "flag posts that may breach ASN neutrality (posts in, flags out)",
	.usage =
		"Usage: netra classify --election FILE [--election FILE ...] [--watchlist FILE]\n"
		"                      [--rules PATH] [--config FILE] [--threshold X] [--all]\n"
		"                      [POSTS.jsonl ...]\n"
		"       netra classify --serve --config FILE [--listen ENDPOINT] [--to ENDPOINT ...]\n"
		"                      [--worker NAME]\n\n"
		"Reads posts (JSONL; standard input when no file is named), writes one flag\n"
		"line per flagged post to standard output, and a one-line summary to\n"
		"standard error. A malformed line is reported with its line number and\n"
		"skipped.\n\n"
		"  --election FILE   an election being watched (repeatable)\n"
		"  --watchlist FILE  civil servants and their accounts\n"
		"  --rules PATH      rule pack folder or file (default: NETRA_RULES, else the\n"
		"                    source tree's rules/)\n"
		"  --config FILE     take elections, watchlist, rules, threshold and limits\n"
		"                    from a netra.json; options given after it override it\n"
		"  --threshold X     flag at this score or above (default 0.5)\n"
		"  --all             write a verdict for every post, with \"flagged\" and\n"
		"                    every category's score (for evaluation)\n"
		"  --naive           skip the prefilter; run every pattern on every post\n"
		"                    (slow; gives the same flags, for checking the engine)\n\n"
		"As a worker of the pipeline (docs/pipeline.md):\n"
		"  --serve           receive posts at classify_endpoint, send flags to\n"
		"                    sink_endpoint, until SIGINT or SIGTERM; flags not yet\n"
		"                    acknowledged by the sink are kept in a journal under\n"
		"                    data_dir/pipeline/\n"
		"  --listen ENDPOINT listen here instead (tcp://HOST:PORT or ipc://PATH)\n"
		"  --to ENDPOINT     send flags here instead (repeatable)\n"
		"  --worker NAME     a second worker with the same data_dir needs its own name\n"
		"                    (its journal is data_dir/pipeline/classify-NAME)\n\n"
		"Exit status: 0, also when lines were skipped; 2 when a rule, election or\n"
		"watchlist file is invalid (file:line: reason) or no input could be read.\n",
	.run = run_classify,
};
