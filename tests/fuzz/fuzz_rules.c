/* Fuzz the rule parser: any bytes must give a rule set or problems, never a
 * crash, and every problem line must name the file. */
#include "classifier/rules.h"
#include "core/error.h"

#include "tests/fuzz/fuzz_check.h"
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netra_ruleset *rs = NULL;
	struct netra_buf problems;
	size_t n = 0;
	int rc;

	netra_buf_init(&problems, 1 << 20);
	rc = netra_ruleset_parse((const char *)data, size, "fuzz.rules", &rs, &problems, &n);
	FUZZ_CHECK(rc == NETRA_OK || rc == NETRA_EINVAL || rc == NETRA_ENOMEM);
	FUZZ_CHECK((rc == NETRA_OK) == (rs != NULL));
	FUZZ_CHECK(rc != NETRA_EINVAL || (n > 0 && strncmp(netra_buf_str(&problems), "fuzz.rules:", 11) == 0));
	netra_ruleset_destroy(&rs);
	netra_buf_free(&problems);
	return 0;
}
