/* fuzz_telegram.c - libFuzzer harness for the Telegram channel preview
 * parser (collectors/telegram.c).
 *
 * Invariants: never a crash; a successful parse yields exactly the
 * returned number of posts, each valid by contract §1 with an id
 * "telegram:t.me:CHANNEL/N"; an error leaves a message.
 */
#include "collectors/telegram.h"
#include "core/post.h"

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
	json_t *posts = json_array();
	long long lowest = -1;
	char err[512] = "";
	long n;
	size_t i;
	json_t *p;

	FUZZ_CHECK(posts != NULL);
	n = netra_telegram_parse((const char *)data, size, posts, &lowest, err, sizeof(err));
	if (n < 0) {
		FUZZ_CHECK(err[0] != '\0');
	} else {
		FUZZ_CHECK((size_t)n == json_array_size(posts));
		FUZZ_CHECK(lowest >= 0);
		json_array_foreach(posts, i, p) {
			char verr[512];
			FUZZ_CHECK(netra_post_validate(p, verr, sizeof(verr)) == 0);
			FUZZ_CHECK(strncmp(json_string_value(json_object_get(p, "id")), "telegram:t.me:",
					   14) == 0);
		}
	}
	json_decref(posts);
	return 0;
}
