/* Fuzz classification: the input is one post line. The shipped rule pack
 * and its test election are compiled once. Every verdict's hits must lie
 * inside the field they name, the flag line must be valid JSON, and the
 * naive mode (no prefilter, every pattern run) must give the same verdict:
 * categories, candidate and every hit. */
#include "classifier/engine.h"
#include "classifier/rules.h"
#include "core/election.h"
#include "core/error.h"
#include "core/post.h"

#include "tests/fuzz/fuzz_check.h"
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct netra_ruleset *rs;
static struct netra_election *el;
static struct netra_engine *eng;
static struct netra_scanner *sc;
static struct netra_engine *naive_eng;
static struct netra_scanner *naive_sc;

static void cleanup(void)
{
	netra_scanner_destroy(&naive_sc);
	netra_engine_destroy(&naive_eng);
	netra_scanner_destroy(&sc);
	netra_engine_destroy(&eng);
	netra_election_destroy(&el);
	netra_ruleset_destroy(&rs);
}

static void init(void)
{
	struct netra_buf pb;
	struct netra_engine_options opt;
	char err[512];
	size_t n;

	netra_buf_init(&pb, 1 << 20);
	netra_engine_options_default(&opt);
	opt.max_field_bytes = 4096;
	if (netra_ruleset_load(NETRA_RULES_DIR, &rs, &pb, &n) != NETRA_OK ||
	    netra_election_load(NETRA_RULES_DIR "/test-election.json", &el, err, sizeof(err)) != NETRA_OK ||
	    netra_engine_new(rs, &el, 1, NULL, &opt, &eng, &pb, NULL) != NETRA_OK ||
	    (sc = netra_scanner_new(eng)) == NULL)
		abort();
	opt.naive = 1;
	if (netra_engine_new(rs, &el, 1, NULL, &opt, &naive_eng, &pb, NULL) != NETRA_OK ||
	    (naive_sc = netra_scanner_new(naive_eng)) == NULL)
		abort();
	netra_buf_free(&pb);
	atexit(cleanup);
}

/* The field a hit names, as given in the post (NULL if absent). */
static const json_t *field_of(const json_t *post, const char *name)
{
	if (strcmp(name, "text") == 0)
		return json_object_get(post, "text");
	if (strcmp(name, "ref.text") == 0)
		return json_object_get(json_object_get(post, "ref"), "text");
	if (strcmp(name, "report.description") == 0)
		return json_object_get(json_object_get(post, "report"), "description");
	if (strcmp(name, "author.bio") == 0)
		return json_object_get(json_object_get(post, "author"), "bio");
	if (strncmp(name, "media[", 6) == 0) {
		char *end;
		unsigned long i = strtoul(name + 6, &end, 10);
		const json_t *m = json_array_get(json_object_get(post, "media"), i);
		return json_object_get(m, strcmp(end, "].alt") == 0 ? "alt" : "text");
	}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *post = NULL;
	char err[512];
	const struct netra_verdict *v;
	struct netra_buf out;

	if (eng == NULL)
		init();
	if (netra_post_parse((const char *)data, size, &post, err, sizeof(err)) != NETRA_OK)
		return 0;
	netra_buf_init(&out, 1 << 24);
	FUZZ_CHECK(netra_scan_post(sc, post, &v) == NETRA_OK);
	for (size_t i = 0; i < v->nhits; i++) {
		const struct netra_hit *h = &v->hits[i];
		const json_t *f = field_of(post, h->field);
		FUZZ_CHECK(f != NULL && json_is_string(f));
		FUZZ_CHECK(h->start <= h->end && h->end <= json_string_length(f));
		FUZZ_CHECK(h->match == json_string_value(f) + h->start);
	}
	{
		/* The naive verdict, against a copy of the fast one (the
		 * scanners own their verdicts; scanning again reuses them). */
		unsigned cats = v->categories;
		int number = v->number;
		int election = v->election;
		size_t nhits = v->nhits;
		size_t spans[2 * 64];
		const struct netra_verdict *n;
		for (size_t i = 0; i < nhits && i < 64; i++) {
			spans[2 * i] = v->hits[i].start;
			spans[2 * i + 1] = v->hits[i].end;
		}
		FUZZ_CHECK(netra_scan_post(naive_sc, post, &n) == NETRA_OK);
		FUZZ_CHECK(n->categories == cats && n->number == number && n->election == election);
		FUZZ_CHECK(n->nhits == nhits);
		for (size_t i = 0; i < nhits && i < 64; i++)
			FUZZ_CHECK(n->hits[i].start == spans[2 * i] && n->hits[i].end == spans[2 * i + 1]);
	}
	FUZZ_CHECK(netra_verdict_write(sc, (const char *)data, size, 1, &out) == NETRA_OK);
	{
		json_error_t jerr;
		json_t *flag = json_loadb(out.data, out.len, JSON_ALLOW_NUL, &jerr);
		FUZZ_CHECK(flag != NULL);
		json_decref(flag);
	}
	netra_buf_free(&out);
	json_decref(post);
	return 0;
}
