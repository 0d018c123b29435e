/* Fuzz the engine's prefilter against its naive mode with rules the fuzzer
 * writes. The input is four lines and a text: three patterns (a, b, c), a
 * condition over them, then the post's text. The harness wraps them in one
 * rule (with the pack's word edges {b} and {e}), compiles it with the rule
 * pack's test election, and when it compiles, the fast
 * engine (literals, leading places, leading bytes, the instances' gates)
 * and the naive one (every pattern run) must give the same verdict on the
 * text: categories, candidate and every hit. A difference would be a post
 * the prefilter lets through unflagged. */
#include "classifier/engine.h"
#include "classifier/rules.h"
#include "core/election.h"
#include "core/error.h"
#include "core/post.h"

#include "tests/fuzz/fuzz_check.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { LINES = 4, LINE_MAX = 300 };

static struct netra_election *el;

static void cleanup(void)
{
	netra_election_destroy(&el);
}

/* The next line of the input (without its newline), or NULL when too long
 * or missing or holding a NUL. */
static const char *next_line(const uint8_t **p, const uint8_t *end, size_t *len)
{
	const uint8_t *start = *p;
	const uint8_t *nl = memchr(start, '\n', (size_t)(end - start));

	if (nl == NULL || nl - start > LINE_MAX || memchr(start, '\0', (size_t)(nl - start)) != NULL)
		return NULL;
	*len = (size_t)(nl - start);
	*p = nl + 1;
	return (const char *)start;
}

/* One post with text as its text (a JSON string), or NULL. */
static json_t *make_post(const char *text, size_t len)
{
	json_t *post = json_object();
	json_t *t = json_stringn_nocheck(text, len);

	if (post == NULL || t == NULL || json_object_set_new(post, "text", t) != 0 ||
	    json_object_set_new(post, "id", json_string("f1")) != 0 ||
	    json_object_set_new(post, "source", json_string("fuzz")) != 0 ||
	    json_object_set_new(post, "created_at", json_string("2024-10-01T08:00:00+07:00")) != 0) {
		json_decref(post);
		return NULL;
	}
	return post;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data;
	const uint8_t *end = data + size;
	const char *line[LINES];
	size_t len[LINES];
	char rules[2048];
	struct netra_ruleset *rs = NULL;
	struct netra_engine *fast = NULL;
	struct netra_engine *naive = NULL;
	struct netra_scanner *sf = NULL;
	struct netra_scanner *sn = NULL;
	struct netra_engine_options opt;
	struct netra_buf pb;
	json_t *post = NULL;
	const struct netra_verdict *v;
	const struct netra_verdict *n;
	size_t nrules = 0;
	int w;

	if (el == NULL) {
		char err[256];
		if (netra_election_load(NETRA_RULES_DIR "/test-election.json", &el, err, sizeof(err)) !=
		    NETRA_OK)
			abort();
		atexit(cleanup);
	}
	for (int i = 0; i < LINES; i++) {
		line[i] = next_line(&p, end, &len[i]);
		if (line[i] == NULL)
			return 0;
	}
	w = snprintf(rules, sizeof(rules),
		     "define b (?<![\\p{L}\\p{N}])\ndefine e (?![\\p{L}\\p{N}])\n"
		     "rule ajakan.fuzz\n  category ajakan\n  description f\n  reference r\n  weight 0.9\n"
		     "  pattern a %.*s\n  pattern b %.*s\n  pattern c %.*s\n  condition %.*s\nend\n",
		     (int)len[0], line[0], (int)len[1], line[1], (int)len[2], line[2], (int)len[3], line[3]);
	if (w < 0 || (size_t)w >= sizeof(rules))
		return 0;
	netra_buf_init(&pb, 1 << 16);
	if (netra_ruleset_parse(rules, (size_t)w, "fuzz.rules", &rs, &pb, &nrules) != NETRA_OK)
		goto cleanup;
	netra_engine_options_default(&opt);
	opt.max_field_bytes = 4096;
	opt.match_limit = 20000;
	if (netra_engine_new(rs, &el, 1, NULL, &opt, &fast, &pb, NULL) != NETRA_OK)
		goto cleanup;
	opt.naive = 1;
	FUZZ_CHECK(netra_engine_new(rs, &el, 1, NULL, &opt, &naive, &pb, NULL) == NETRA_OK);
	sf = netra_scanner_new(fast);
	sn = netra_scanner_new(naive);
	post = make_post((const char *)p, (size_t)(end - p));
	FUZZ_CHECK(sf != NULL && sn != NULL && post != NULL);
	FUZZ_CHECK(netra_scan_post(sf, post, &v) == NETRA_OK);
	FUZZ_CHECK(netra_scan_post(sn, post, &n) == NETRA_OK);
	/* A pattern that reached its match limit counts as not matching, and
	 * the two modes may reach it at different places: no comparison. */
	if (!v->limit_hit && !n->limit_hit) {
		FUZZ_CHECK(v->categories == n->categories);
		FUZZ_CHECK(v->number == n->number && v->election == n->election);
		FUZZ_CHECK(v->nhits == n->nhits);
		for (size_t i = 0; i < v->nhits; i++)
			FUZZ_CHECK(v->hits[i].start == n->hits[i].start && v->hits[i].end == n->hits[i].end);
	}
cleanup:
	json_decref(post);
	netra_scanner_destroy(&sf);
	netra_scanner_destroy(&sn);
	netra_engine_destroy(&fast);
	netra_engine_destroy(&naive);
	netra_ruleset_destroy(&rs);
	netra_buf_free(&pb);
	return 0;
}
