/* fuzz_feed.c - libFuzzer harness for the RSS/Atom parser (collectors/rss.c).
 *
 * Invariants: parsing never crashes; a successful parse yields exactly the
 * returned number of posts, each valid by contract §1 (netra_post_validate)
 * with an id in the "rss:SITE:" namespace; an error leaves a message.
 */
#include "collectors/feed.h"
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
	char err[512] = "";
	long n;
	size_t i;
	json_t *p;

	FUZZ_CHECK(posts != NULL);
	n = netra_feed_parse((const char *)data, size, "fuzz.example", posts, err, sizeof(err));
	if (n < 0) {
		FUZZ_CHECK(err[0] != '\0');
	} else {
		FUZZ_CHECK((size_t)n == json_array_size(posts));
		json_array_foreach(posts, i, p) {
			char verr[512];
			FUZZ_CHECK(netra_post_validate(p, verr, sizeof(verr)) == 0);
			FUZZ_CHECK(strncmp(json_string_value(json_object_get(p, "id")), "rss:fuzz.example:",
					   17) == 0);
		}
	}
	json_decref(posts);
	return 0;
}
