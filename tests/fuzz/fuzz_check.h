/* Harness checks that stay on in release builds (assert() would vanish
 * under NDEBUG): a failed check prints where and aborts, which libFuzzer and
 * the replay programs both report as a failure. */
#ifndef NETRA_FUZZ_CHECK_H
#define NETRA_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                          \
	do {                                                                      \
		if (!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,    \
				__LINE__, #cond);                                 \
			abort();                                                  \
		}                                                                 \
	} while (0)

#endif
