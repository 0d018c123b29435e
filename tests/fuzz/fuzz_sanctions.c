/* Fuzz the suggested-sanction table parser (rules/sanctions.tsv). */
#include "core/error.h"
#include "sinks/sanctions.h"
#include "tests/fuzz/fuzz_check.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netra_sanctions *s = NULL;
	char err[1024];
	int rc = netra_sanctions_parse((const char *)data, size, "fuzz.tsv", &s, err, sizeof(err));

	FUZZ_CHECK((rc == NETRA_OK) == (s != NULL));
	FUZZ_CHECK(rc == NETRA_OK || strncmp(err, "fuzz.tsv", 8) == 0);
	netra_sanctions_destroy(&s);
	return 0;
}
