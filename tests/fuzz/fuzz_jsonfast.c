/* Fuzz the fast JSON reader against jansson: whatever it accepts, jansson
 * must accept too and give an equal value, keys in the same order (the
 * compact dumps are byte for byte the same); whatever jansson refuses, it
 * must decline. */
#include "core/jsonfast.h"
#include "core/post.h"
#include "tests/fuzz/fuzz_check.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *fast = netra_json_fast_parse((const char *)data, size);
	json_t *ref = json_loadb((const char *)data, size, NETRA_JSON_DECODE_FLAGS, &jerr);

	if (fast != NULL) {
		char *a;
		char *b;
		FUZZ_CHECK(ref != NULL);
		FUZZ_CHECK(json_equal(fast, ref));
		a = json_dumps(fast, NETRA_JSON_ENCODE_FLAGS | JSON_ENCODE_ANY);
		b = json_dumps(ref, NETRA_JSON_ENCODE_FLAGS | JSON_ENCODE_ANY);
		FUZZ_CHECK(a != NULL && b != NULL && strcmp(a, b) == 0);
		free(a);
		free(b);
	}
	json_decref(fast);
	json_decref(ref);
	return 0;
}
