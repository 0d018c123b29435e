/* Fuzz the wire format: any received frame must be split and decoded or
 * refused with a reason, never read out of bounds. */
#include "core/error.h"
#include "core/wire.h"
#include "tests/fuzz/fuzz_check.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct netra_wire_frame f[NETRA_WIRE_MAX_FRAMES];
	static struct netra_wire_msg m;
	size_t n = 0;
	char err[256];
	int rc = netra_wire_unpack(data, size, f, NETRA_WIRE_MAX_FRAMES, &n, err, sizeof(err));

	FUZZ_CHECK(rc == NETRA_OK || rc == NETRA_EINVAL);
	if (rc != NETRA_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((const uint8_t *)f[i].data >= data &&
			   (const uint8_t *)f[i].data + f[i].len <= data + size);
	rc = netra_wire_parse(f, n, 1 << 20, &m, err, sizeof(err));
	FUZZ_CHECK(rc == NETRA_OK || rc == NETRA_EINVAL);
	if (rc == NETRA_OK && m.type == NETRA_WIRE_DATA)
		FUZZ_CHECK(m.payload_len <= 1 << 20 && strlen(m.kind) <= NETRA_WIRE_KIND_MAX);
	return 0;
}
