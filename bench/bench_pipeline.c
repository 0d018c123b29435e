/* bench_pipeline: the whole pipeline in one process (collect -> classify ->
 * sink over inproc://, with the journals, fsyncs and acknowledgements of
 * `netra run`), on N generated posts (the examples' posts with unique ids).
 * Prints throughput (posts/s) and end-to-end latency (from the post
 * entering the collect stage's journal to the flag's SQLite commit):
 * median and 99th percentile.
 *
 *   bench_pipeline [POSTS] [DIR] [SINK]
 *
 * (default 20000 posts, a folder in /tmp, and the configuration's default
 * sink, "review": each flag also filed as evidence into the case store,
 * with the case files rewritten every 2 s and at the end; "sqlite" keeps
 * the flags only). The examples' authors are a handful of people, so all
 * the evidence falls into a few cases of thousands of items each. */
#include "cli/setup.h"
#include "core/config.h"
#include "core/error.h"
#include "core/log.h"
#include "core/post.h"
#include "sinks/pipeline.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/* One stage's thread. */
struct bstage {
	struct netra_stage_args a;      /* its arguments */
	struct netra_stage_control ctl; /* drain */
	const char *to;                 /* downstream endpoint */
	const struct netra_engine *e;   /* classify only */
	int which;                      /* 0 collect, 1 classify, 2 sink */
	pthread_t tid;                  /* thread */
	int rc;                         /* result */
};

static void *bstage_main(void *p)
{
	struct bstage *s = p;

	if (s->which == 2)
		s->rc = netra_stage_sink(&s->a);
	else if (s->which == 1)
		s->rc = netra_stage_classify(&s->a, s->e);
	else
		s->rc = netra_stage_collect(&s->a, 1);
	return NULL;
}

static int write_posts(const char *path, long n)
{
	FILE *in = fopen(NETRA_SOURCE_DIR "/examples/posts.jsonl", "r");
	FILE *out = fopen(path, "w");
	json_t *base[64];
	size_t nb = 0;
	char line[65536];

	if (in == NULL || out == NULL)
		return -1;
	while (nb < 64 && fgets(line, sizeof(line), in) != NULL) {
		json_t *p = NULL;
		char err[256];
		if (netra_post_parse(line, strlen(line), &p, err, sizeof(err)) == NETRA_OK)
			base[nb++] = p;
	}
	fclose(in);
	for (long i = 0; i < n && nb > 0; i++) {
		json_t *p = json_deep_copy(base[(size_t)i % nb]);
		char id[96];
		char *s;
		snprintf(id, sizeof(id), "%s:bench:%ld", json_string_value(json_object_get(p, "source")),
			 i);
		json_object_set_new(p, "id", json_string(id));
		s = json_dumps(p, NETRA_JSON_ENCODE_FLAGS);
		fprintf(out, "%s\n", s);
		free(s);
		json_decref(p);
	}
	for (size_t i = 0; i < nb; i++)
		json_decref(base[i]);
	return fclose(out) == 0 && nb > 0 ? 0 : -1;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a;
	long long y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
	char dir[256] = "/tmp/netra-bench-XXXXXX";
	char path[512];
	char cfgpath[512];
	struct netra_config cfg;
	struct netra_setup st;
	struct bstage s[3];
	struct timespec t0;
	struct timespec t1;
	char err[1024];
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	long long *lat = NULL;
	size_t nlat = 0;
	void *zctx;
	FILE *fp;
	double secs;

	const char *sink = argc > 3 ? argv[3] : "review";

	if (argc > 2 && strcmp(argv[2], "-") != 0)
		snprintf(dir, sizeof(dir), "%s", argv[2]);
	else if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/posts.jsonl", dir);
	snprintf(cfgpath, sizeof(cfgpath), "%s/netra.json", dir);
	if (write_posts(path, n) != 0) {
		fprintf(stderr, "bench_pipeline: cannot write %s\n", path);
		return 1;
	}
	fp = fopen(cfgpath, "w");
	if (fp == NULL)
		return 1;
	fprintf(fp, "{\"elections\": [\"%s/examples/election-kab-contoh.json\"],\n"
		    " \"watchlist\": \"%s/examples/watchlist.jsonl\", \"data_dir\": \"data\",\n"
		    " \"log_level\": \"warn\", \"sink\": \"%s\",\n"
		    " \"sources\": [{\"type\": \"jsonl\", \"name\": \"bench\", \"path\": \"%s\","
		    " \"max_lines\": 100000}]}\n",
		    NETRA_SOURCE_DIR, NETRA_SOURCE_DIR, sink, path);
	fclose(fp);
	if (netra_config_load(cfgpath, &cfg, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "bench_pipeline: %s\n", err);
		return 1;
	}
	netra_log_set_level(NETRA_LOG_WARN);
	netra_setup_init(&st);
	st.election_paths[st.nelection_paths++] = cfg.elections[0];
	st.watchlist_path = cfg.watchlist;
	st.rules_path = cfg.rules;
	if (netra_setup_load(&st, "bench", 0) != 0)
		return 1;
	zctx = zmq_ctx_new();
	memset(s, 0, sizeof(s));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int k = 2; k >= 0; k--) {
		s[k].which = k;
		s[k].ctl.drain = 1;
		if (k > 0)
			s[k].ctl.upstream_done = &s[k - 1].ctl.done;
		netra_stage_args_init(&s[k].a, &cfg, zctx, &s[k].ctl);
		s[k].a.name = k == 0 ? "collect" : k == 1 ? "classify" : "sink";
		s[k].a.listen = k == 1 ? "inproc://c" : k == 2 ? "inproc://s" : NULL;
		s[k].to = k == 0 ? "inproc://c" : k == 1 ? "inproc://s" : NULL;
		s[k].a.to = &s[k].to;
		s[k].a.nto = k < 2 ? 1 : 0;
		s[k].e = st.engine;
		pthread_create(&s[k].tid, NULL, bstage_main, &s[k]);
	}
	for (int k = 0; k < 3; k++)
		pthread_join(s[k].tid, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	snprintf(path, sizeof(path), "%s/sink/flags.db", cfg.data_dir);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT arrived_us - origin_us FROM flags", -1, &q, NULL) !=
		    SQLITE_OK)
		return 1;
	lat = calloc((size_t)n + 1, sizeof(*lat));
	while (lat != NULL && nlat <= (size_t)n && sqlite3_step(q) == SQLITE_ROW)
		lat[nlat++] = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	qsort(lat, nlat, sizeof(*lat), cmp_ll);
	printf("pipeline (netra run, inproc, 1 classifier worker, sink %s): %ld posts, %zu flags, "
	       "%.2f s, %.0f posts/s\n", sink, n, nlat, secs, (double)n / secs);
	if (nlat > 0)
		printf("end-to-end latency (journal in -> SQLite commit): median %.1f ms, "
		       "p99 %.1f ms, max %.1f ms\n", (double)lat[nlat / 2] / 1000.0,
		       (double)lat[(nlat * 99) / 100] / 1000.0, (double)lat[nlat - 1] / 1000.0);
	printf("stages: collect %d, classify %d, sink %d (0 = ok); data in %s\n", s[0].rc, s[1].rc,
	       s[2].rc, dir);
	free(lat);
	zmq_ctx_term(zctx);
	netra_setup_free(&st);
	netra_config_free(&cfg);
	return s[0].rc || s[1].rc || s[2].rc;
}
