/* Classifier benchmark: prints, in one run over the same posts, the speed of
 * the engine alone, of the whole `netra classify` path (parse, classify,
 * write) and of the naive mode (every pattern of every rule on every post),
 * their ratio, a check that naive and fast verdicts are identical, and the
 * peak memory of the real `netra classify` process at 1x and 4x the input.
 *
 * The posts are the real campaign tweets in ../shared/corpora, turned into
 * posts at run time (their text is never copied into the repository). */
#include "classifier/engine.h"
#include "classifier/rules.h"
#include "core/buf.h"
#include "core/election.h"
#include "core/error.h"
#include "core/post.h"
#include "core/util.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
	CSV_MAX = 64 * 1024 * 1024,
	BATCH = 64 /* posts parsed at a time for the rounds over fresh posts */
};

struct posts {
	char **line;  /* post JSON lines */
	size_t *len;  /* their lengths */
	json_t **obj; /* parsed */
	size_t n;     /* how many */
	size_t bytes; /* total JSON bytes */
	size_t text_bytes; /* total text bytes */
};

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Round times of one mode. */
struct times {
	double t[4096];
	size_t n;
};

static void times_add(struct times *t, double x)
{
	if (t->n < sizeof(t->t) / sizeof(t->t[0]))
		t->t[t->n++] = x;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a;
	double y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double times_median(struct times *t)
{
	qsort(t->t, t->n, sizeof(t->t[0]), cmp_double);
	return t->t[t->n / 2];
}

static double times_best(struct times *t)
{
	qsort(t->t, t->n, sizeof(t->t[0]), cmp_double);
	return t->t[0];
}

/* What the first round of a mode counts. */
struct tally {
	size_t flagged;
	size_t pcre_runs;
	size_t candidates;
};

static void tally_add(struct tally *t, const struct netra_verdict *v)
{
	if (t == NULL)
		return;
	t->flagged += (size_t)v->flagged;
	t->pcre_runs += v->pcre_runs;
	t->candidates += v->candidates;
}

/* One round of sc over every post as `netra classify` hands posts to the
 * engine: each parsed just before it is scanned, so that it is in the
 * cache. Posts are parsed BATCH at a time with the clock stopped; the
 * round's time is the time spent scanning. */
static double round_fresh(struct netra_scanner *sc, const struct posts *ps, struct tally *tl)
{
	json_t *batch[BATCH];
	char err[256];
	double spent = 0.0;

	for (size_t i = 0; i < ps->n; i += BATCH) {
		size_t k = 0;
		double r0;
		for (size_t j = i; j < ps->n && j < i + BATCH; j++) {
			/* The lines were written from parsed posts: a failure
			 * here is the benchmark's own bug, and the rates would
			 * count posts never scanned. */
			if (netra_post_parse(ps->line[j], ps->len[j], &batch[k], err, sizeof(err)) != NETRA_OK) {
				fprintf(stderr, "bench_classify: post %zu: %s\n", j + 1, err);
				exit(1);
			}
			k++;
		}
		r0 = now();
		for (size_t j = 0; j < k; j++) {
			const struct netra_verdict *v;
			netra_scan_post(sc, batch[j], &v);
			tally_add(tl, v);
		}
		spent += now() - r0;
		for (size_t j = 0; j < k; j++)
			json_decref(batch[j]);
	}
	return spent;
}

/* One round of sc over the posts parsed at start-up: 21,263 parse trees,
 * far more than the cache holds, so each post comes from memory. */
static double round_cold(struct netra_scanner *sc, const struct posts *ps, struct tally *tl)
{
	double r0 = now();

	for (size_t i = 0; i < ps->n; i++) {
		const struct netra_verdict *v;
		netra_scan_post(sc, ps->obj[i], &v);
		tally_add(tl, v);
	}
	return now() - r0;
}

/* The engine's speed-up over the naive mode, on medians and best rounds. */
static void print_ratio(struct times *naive, struct times *engine)
{
	printf("engine / naive speed-up: %.1fx (medians), %.1fx (best rounds)\n",
	       times_median(naive) / times_median(engine), times_best(naive) / times_best(engine));
}

static void print_mode(const char *name, struct times *t, size_t posts, size_t bytes)
{
	double med = times_median(t);

	printf("%-36s %12.0f %12.0f %10.1f\n", name, (double)posts / med,
	       (double)posts / times_best(t), (double)bytes / 1e6 / med);
}

/* Read one CSV field starting at *p (RFC 4180 quoting); returns a new string. */
static char *csv_field(const char **p, int *end_of_row)
{
	struct netra_buf b;
	const char *s = *p;

	netra_buf_init(&b, 1 << 20);
	if (*s == '"') {
		s++;
		while (*s) {
			if (*s == '"' && s[1] == '"') {
				(void)netra_buf_add(&b, "\"", 1);
				s += 2;
			} else if (*s == '"') {
				s++;
				break;
			} else {
				(void)netra_buf_add(&b, s++, 1);
			}
		}
	} else {
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			(void)netra_buf_add(&b, s++, 1);
	}
	if (*s == '\r')
		s++;
	*end_of_row = *s != ',';
	if (*s)
		s++;
	*p = s;
	return netra_buf_steal(&b);
}

/* "Tue Nov 14 00:17:33 +0000 2023" to "2023-11-14T00:17:33+00:00". */
static void twitter_time(const char *in, char *out, size_t outsz)
{
	static const char *const months = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4] = {0};
	const char *m;

	if (strlen(in) < 30) {
		snprintf(out, outsz, "2024-01-01T00:00:00+00:00");
		return;
	}
	memcpy(mon, in + 4, 3);
	m = strstr(months, mon);
	snprintf(out, outsz, "%.4s-%02d-%.2sT%.8s%c%.2s:%.2s", in + 26,
		 m ? (int)((m - months) / 3 + 1) : 1, in + 8, in + 11, in[20], in + 21, in + 23);
}

static int load_tweets(const char *path, struct posts *ps)
{
	char *text = NULL;
	size_t len;
	char err[512];
	const char *p;
	size_t cap = 0;
	int end;
	int col_id = -1;
	int col_time = -1;
	int col_text = -1;

	if (netra_file_read(path, CSV_MAX, &text, &len, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return -1;
	}
	p = text;
	if (strncmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	for (int col = 0;; col++) {
		char *f = csv_field(&p, &end);
		if (strcmp(f, "id_str") == 0)
			col_id = col;
		else if (strcmp(f, "created_at") == 0)
			col_time = col;
		else if (strcmp(f, "full_text") == 0)
			col_text = col;
		free(f);
		if (end)
			break;
	}
	if (col_id < 0 || col_time < 0 || col_text < 0) {
		fprintf(stderr, "bench: %s: no id_str, created_at and full_text columns\n", path);
		free(text);
		return -1;
	}
	while (*p) {
		char *id = NULL;
		char *when = NULL;
		char *body = NULL;
		char rfc[40];
		json_t *o;
		for (int col = 0;; col++) {
			char *f = csv_field(&p, &end);
			if (col == col_id)
				id = f;
			else if (col == col_time)
				when = f;
			else if (col == col_text)
				body = f;
			else
				free(f);
			if (end)
				break;
		}
		if (id != NULL && body != NULL && when != NULL) {
			char pid[64];
			twitter_time(when, rfc, sizeof(rfc));
			snprintf(pid, sizeof(pid), "jsonl:twitter.com:%s", id);
			o = json_pack("{ss ss ss ss s{ss} ss}", "id", pid, "source", "jsonl", "created_at", rfc,
				      "act", "post", "author", "handle", "tweeter", "text", body);
			if (o != NULL) {
				if (ps->n == cap) {
					cap = cap ? cap * 2 : 1024;
					ps->line = realloc(ps->line, cap * sizeof(char *));
					ps->len = realloc(ps->len, cap * sizeof(size_t));
					ps->obj = realloc(ps->obj, cap * sizeof(json_t *));
					if (ps->line == NULL || ps->len == NULL || ps->obj == NULL)
						abort();
				}
				ps->line[ps->n] = json_dumps(o, NETRA_JSON_ENCODE_FLAGS);
				ps->len[ps->n] = strlen(ps->line[ps->n]);
				ps->obj[ps->n] = o;
				ps->bytes += ps->len[ps->n];
				ps->text_bytes += strlen(body);
				ps->n++;
			}
		}
		free(id);
		free(when);
		free(body);
	}
	free(text);
	return 0;
}

static int build(const char *rules, struct netra_election **el, int naive,
		 struct netra_ruleset **rs, struct netra_engine **eng)
{
	struct netra_buf pb;
	struct netra_engine_options opt;
	size_t n;
	int rc;

	netra_buf_init(&pb, 1 << 20);
	netra_engine_options_default(&opt);
	opt.naive = naive;
	rc = netra_ruleset_load(rules, rs, &pb, &n);
	if (rc == NETRA_OK)
		rc = netra_engine_new(*rs, el, 1, NULL, &opt, eng, &pb, NULL);
	if (rc != NETRA_OK)
		fprintf(stderr, "bench: %s", netra_buf_str(&pb));
	netra_buf_free(&pb);
	return rc;
}

/* A child forked at start-up, while this process is still small, that
 * later runs `netra classify` on a file it is sent the name of. (A child
 * forked later would count this process's memory in its peak.) */
struct runner {
	pid_t pid; /* the child */
	int fd;    /* write end: the input file's name, then close */
};

static struct runner runner_start(const char *netra, const char *rules, const char *election)
{
	struct runner r = {-1, -1};
	int p[2];

	if (netra == NULL || pipe(p) != 0)
		return r;
	r.pid = fork();
	if (r.pid == 0) {
		char path[4096];
		ssize_t n;
		size_t got = 0;
		int in;
		int devnull = open("/dev/null", O_WRONLY);
		close(p[1]);
		/* The name ends with a newline: EOF may never come, for a later
		 * runner holds a copy of this pipe's write end. */
		while (got + 1 < sizeof(path) && (n = read(p[0], path + got, 1)) > 0 && path[got] != '\n')
			got++;
		path[got] = '\0';
		if (got == 0)
			_exit(0);
		in = open(path, O_RDONLY);
		if (in < 0 || devnull < 0)
			_exit(126);
		dup2(in, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execl(netra, netra, "classify", "--rules", rules, "--election", election, (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	r.fd = p[1];
	return r;
}

/* Peak resident memory (KiB) of the runner's `netra classify` fed the posts
 * `copies` times, or -1. */
static long runner_peak_kib(struct runner *r, const struct posts *ps, int copies)
{
	char path[] = "/tmp/netra-bench-XXXXXX";
	int fd;
	FILE *fp;
	int status;
	struct rusage ru;
	long kib = -1;

	if (r->pid <= 0)
		return -1;
	fd = mkstemp(path);
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fp == NULL)
		goto done;
	for (int c = 0; c < copies; c++) {
		for (size_t i = 0; i < ps->n; i++) {
			fwrite(ps->line[i], 1, ps->len[i], fp);
			fputc('\n', fp);
		}
	}
	fclose(fp);
	if (write(r->fd, path, strlen(path)) < 0 || write(r->fd, "\n", 1) < 0)
		goto done;
	close(r->fd);
	r->fd = -1;
	if (wait4(r->pid, &status, 0, &ru) >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		kib = ru.ru_maxrss;
	r->pid = -1;
done:
	unlink(path);
	return kib;
}

/* Compare two verdicts: categories, candidate, hits and their spans. */
static int same_verdict(const struct netra_verdict *a, unsigned cats, int number, size_t nhits,
			const size_t *spans)
{
	if (a->categories != cats || a->number != number || a->nhits != nhits)
		return 0;
	for (size_t i = 0; i < nhits && i < 64; i++) {
		if (a->hits[i].start != spans[2 * i] || a->hits[i].end != spans[2 * i + 1])
			return 0;
	}
	return 1;
}

int main(int argc, char **argv)
{
	const char *tweets = NETRA_SHARED_DIR "/corpora/pilpres2024-prabowogibran-tweets/"
			     "prabowogibran_tweets_2023-11-15_2023-12-15.csv";
	const char *rules = NETRA_RULES_DIR;
	const char *election = NETRA_SOURCE_DIR "/tests/quality/pilpres-2024.json";
	const char *netra = NULL;
	double min_seconds = 2.0;
	struct posts ps;
	struct netra_election *el = NULL;
	struct netra_ruleset *rs = NULL;
	struct netra_ruleset *rs_naive = NULL;
	struct netra_engine *fast = NULL;
	struct netra_engine *naive = NULL;
	struct netra_scanner *sf = NULL;
	struct netra_scanner *sn = NULL;
	struct netra_buf out;
	char err[512];
	double t0;
	static struct times t_engine;
	static struct times t_engine_cold;
	static struct times t_path;
	static struct times t_naive;
	static struct times t_naive_cold;
	struct tally tf = {0};
	struct tally tn = {0};
	int cycles = 5;
	size_t mismatches = 0;
	FILE *devnull;
	long kib1;
	long kib4;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--tweets") == 0 && i + 1 < argc)
			tweets = argv[++i];
		else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			rules = argv[++i];
		else if (strcmp(argv[i], "--election") == 0 && i + 1 < argc)
			election = argv[++i];
		else if (strcmp(argv[i], "--netra") == 0 && i + 1 < argc)
			netra = argv[++i];
		else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
			min_seconds = strtod(argv[++i], NULL);
		else if (strcmp(argv[i], "--cycles") == 0 && i + 1 < argc)
			cycles = atoi(argv[++i]);
		else {
			fprintf(stderr,
				"usage: bench_classify [--tweets CSV] [--rules DIR] [--election FILE]\n"
				"                      [--netra PATH] [--seconds S] [--cycles N]\n");
			return 2;
		}
	}
	if (cycles < 1 || cycles > 100 || !(min_seconds > 0.0)) {
		fprintf(stderr, "bench_classify: --cycles takes 1 to 100, --seconds a positive number\n");
		return 2;
	}
	struct runner r1 = runner_start(netra, rules, election);
	struct runner r4 = runner_start(netra, rules, election);

	memset(&ps, 0, sizeof(ps));
	if (load_tweets(tweets, &ps) != 0)
		return 1;
	if (netra_election_load(election, &el, err, sizeof(err)) != NETRA_OK) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	if (build(rules, &el, 0, &rs, &fast) != NETRA_OK || build(rules, &el, 1, &rs_naive, &naive) != NETRA_OK)
		return 1;
	sf = netra_scanner_new(fast);
	sn = netra_scanner_new(naive);
	devnull = fopen("/dev/null", "w");
	if (sf == NULL || sn == NULL || devnull == NULL)
		return 1;
	netra_buf_init(&out, 1 << 24);
	printf("bench_classify: %zu posts (%.1f MB of JSON, %.1f MB of text) from %s\n", ps.n,
	       (double)ps.bytes / 1e6, (double)ps.text_bytes / 1e6, tweets);
	printf("rule pack %s: %zu rules, %zu instances, %zu patterns; election %s\n", rules, rs->nrules,
	       netra_engine_ninstances(fast), netra_engine_npatterns(fast), netra_election_id(el));

	/* The three modes take turns, cycle after cycle, so that a shared
	 * machine's slow spells fall on all of them; each mode's rounds are
	 * timed one by one. */
	for (int cycle = 0; cycle < cycles; cycle++) {
		/* 1. The engine alone, over posts just parsed (as in netra
		 * classify), and over the posts parsed at start-up. */
		t0 = now();
		do
			times_add(&t_engine, round_fresh(sf, &ps, cycle == 0 && t_engine.n == 0 ? &tf : NULL));
		while (now() - t0 < min_seconds / cycles);
		t0 = now();
		do
			times_add(&t_engine_cold, round_cold(sf, &ps, NULL));
		while (now() - t0 < min_seconds / cycles);

		/* 2. The whole classify path: parse the line, classify, write. */
		t0 = now();
		do {
			double r0 = now();
			for (size_t i = 0; i < ps.n; i++) {
				json_t *post = NULL;
				const struct netra_verdict *v;
				if (netra_post_parse(ps.line[i], ps.len[i], &post, err, sizeof(err)) !=
				    NETRA_OK)
					continue;
				netra_scan_post(sf, post, &v);
				if (v->flagged) {
					netra_buf_reset(&out);
					netra_verdict_write(sf, ps.line[i], ps.len[i], 0, &out);
					fwrite(out.data, 1, out.len, devnull);
				}
				json_decref(post);
			}
			times_add(&t_path, now() - r0);
		} while (now() - t0 < min_seconds / cycles);

		/* 3. Naive: every rule's patterns on every post, one round each
		 * way. */
		times_add(&t_naive, round_fresh(sn, &ps, cycle == 0 ? &tn : NULL));
		times_add(&t_naive_cold, round_cold(sn, &ps, NULL));
	}
	/* And the equality check. */
	for (size_t i = 0; i < ps.n; i++) {
		const struct netra_verdict *a;
		const struct netra_verdict *b;
		size_t spans[128];
		unsigned cats;
		int number;
		size_t nhits;
		netra_scan_post(sf, ps.obj[i], &a);
		cats = a->categories;
		number = a->number;
		nhits = a->nhits;
		for (size_t k = 0; k < nhits && k < 64; k++) {
			spans[2 * k] = a->hits[k].start;
			spans[2 * k + 1] = a->hits[k].end;
		}
		netra_scan_post(sn, ps.obj[i], &b);
		if (!same_verdict(b, cats, number, nhits, spans))
			mismatches++;
	}

	printf("\n%d cycles; posts/s of the median round and of the best one\n", cycles);
	printf("%-36s %12s %12s %10s\n", "mode (one core)", "median", "best", "MB/s");
	printf("posts just parsed, %d at a time, as netra classify scans them:\n", BATCH);
	print_mode("engine alone (prefilter + PCRE2)", &t_engine, ps.n, ps.text_bytes);
	print_mode("naive (every pattern on every post)", &t_naive, ps.n, ps.text_bytes);
	print_ratio(&t_naive, &t_engine);
	printf("posts parsed at start-up (%zu parse trees, read from memory):\n", ps.n);
	print_mode("engine alone (prefilter + PCRE2)", &t_engine_cold, ps.n, ps.text_bytes);
	print_mode("naive (every pattern on every post)", &t_naive_cold, ps.n, ps.text_bytes);
	print_ratio(&t_naive_cold, &t_engine_cold);
	printf("the real command, from JSON lines:\n");
	print_mode("whole path (parse, classify, write)", &t_path, ps.n, ps.bytes);
	printf("flagged: %zu of %zu posts (%.1f%%)\n", tf.flagged, ps.n,
	       100.0 * (double)tf.flagged / (double)ps.n);
	printf("per post: %.1f rule instances of %zu pass the prefilter, %.1f PCRE2 runs "
	       "(naive: %.1f)\n",
	       (double)tf.candidates / (double)ps.n, netra_engine_ninstances(fast),
	       (double)tf.pcre_runs / (double)ps.n, (double)tn.pcre_runs / (double)ps.n);
	printf("naive and fast verdicts identical: %s (%zu of %zu differ)\n", mismatches ? "NO" : "yes",
	       mismatches, ps.n);
	if (netra != NULL) {
		kib1 = runner_peak_kib(&r1, &ps, 1);
		kib4 = runner_peak_kib(&r4, &ps, 4);
		printf("netra classify peak memory: %.1f MB at 1x input (%.1f MB), %.1f MB at 4x (%.1f MB)\n",
		       (double)kib1 / 1024.0, (double)ps.bytes / 1e6, (double)kib4 / 1024.0,
		       4.0 * (double)ps.bytes / 1e6);
	}
	netra_buf_free(&out);
	fclose(devnull);
	netra_scanner_destroy(&sf);
	netra_scanner_destroy(&sn);
	netra_engine_destroy(&fast);
	netra_engine_destroy(&naive);
	netra_ruleset_destroy(&rs);
	netra_ruleset_destroy(&rs_naive);
	netra_election_destroy(&el);
	for (size_t i = 0; i < ps.n; i++) {
		free(ps.line[i]);
		json_decref(ps.obj[i]);
	}
	free(ps.line);
	free(ps.len);
	free(ps.obj);
	return mismatches ? 1 : 0;
}
