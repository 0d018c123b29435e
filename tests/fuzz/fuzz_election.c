/* Fuzz the election-file parser: any bytes give an election or an error
 * naming the file and a line, never a crash. */
#include "core/election.h"
#include "core/error.h"
#include "tests/fuzz/fuzz_check.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netra_election *e = NULL;
	char err[1024];
	int rc = netra_election_parse((const char *)data, size, "fuzz.json", &e, err, sizeof(err));

	FUZZ_CHECK(rc == NETRA_OK || rc == NETRA_EINVAL || rc == NETRA_ENOMEM);
	FUZZ_CHECK((rc == NETRA_OK) == (e != NULL));
	FUZZ_CHECK(rc != NETRA_EINVAL || strncmp(err, "fuzz.json:", 10) == 0);
	if (e != NULL) {
		/* Every stage lookup stays inside the election. */
		for (int64_t t = 0; t < 4; t++)
			(void)netra_election_stage_at(e, t * 1000000000);
		FUZZ_CHECK(netra_election_ncandidates(e) > 0);
	}
	netra_election_destroy(&e);
	return 0;
}
