/* fuzz_bluesky.c - libFuzzer harness for the Bluesky feed item parser
 * (collectors/bluesky.c).
 *
 * Invariants: any JSON value (an array is read item by item, as a feed
 * page) either gives a post valid by contract §1 whose id starts with
 * "bluesky:", or an error message; never a crash.
 */
#include "collectors/bluesky.h"
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

static void one(const json_t *st)
{
	char err[256] = "";
	json_t *post = netra_bluesky_feed_item(st, err, sizeof(err));

	if (post == NULL) {
		FUZZ_CHECK(err[0] != '\0');
		return;
	}
	{
		char verr[512];
		int ok = netra_post_validate(post, verr, sizeof(verr));
		/* created_at comes from the platform as is; the driver rejects
		 * a post whose time is malformed, so only that may fail here. */
		FUZZ_CHECK(ok == 0 || strncmp(verr, "created_at", 10) == 0);
	}
	FUZZ_CHECK(strncmp(json_string_value(json_object_get(post, "id")), "bluesky:", 8) == 0);
	json_decref(post);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *root = json_loadb((const char *)data, size, NETRA_JSON_DECODE_FLAGS, &je);
	size_t i;
	json_t *v;

	if (root == NULL)
		return 0;
	if (json_is_array(json_object_get(root, "feed"))) {
		/* A whole getAuthorFeed page. */
		json_array_foreach(json_object_get(root, "feed"), i, v)
			one(v);
	} else if (json_is_array(root)) {
		json_array_foreach(root, i, v)
			one(v);
	} else {
		one(root);
	}
	json_decref(root);
	return 0;
}
