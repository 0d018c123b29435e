#include "collectors/checkpoint.h"

#include "core/error.h"
#include "core/post.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { CHECKPOINT_MAX = 256 * 1024 * 1024, CHECKPOINT_VERSION = 1 };

/* One remembered id, in a hash chain. */
struct seen_node {
	struct seen_node *next; /* next in the bucket */
	char id[];              /* the post id */
};

struct netra_checkpoint {
	char *path;                /* the checkpoint file */
	json_t *cursors;           /* {"source name": cursor} */
	char *out_path;            /* output file of the last save, or NULL */
	long long out_size;        /* its size then */
	struct seen_node **buckets; /* hash table of ids */
	size_t nbuckets;           /* a power of two */
	struct seen_node **ring;   /* ids oldest first, circular */
	size_t max_seen;           /* ring capacity */
	size_t head;               /* index of the oldest id */
	size_t nseen;              /* ids in the ring */
};

static uint64_t hash_id(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

int netra_checkpoint_seen(const struct netra_checkpoint *cp, const char *id)
{
	size_t b = (size_t)(hash_id(id) & (cp->nbuckets - 1));

	for (const struct seen_node *n = cp->buckets[b]; n != NULL; n = n->next)
		if (strcmp(n->id, id) == 0)
			return 1;
	return 0;
}

static void forget_oldest(struct netra_checkpoint *cp)
{
	struct seen_node *old = cp->ring[cp->head];
	size_t b = (size_t)(hash_id(old->id) & (cp->nbuckets - 1));

	for (struct seen_node **pp = &cp->buckets[b]; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == old) {
			*pp = old->next;
			break;
		}
	}
	free(old);
	cp->ring[cp->head] = NULL;
	cp->head = (cp->head + 1) % cp->max_seen;
	cp->nseen--;
}

int netra_checkpoint_add_seen(struct netra_checkpoint *cp, const char *id)
{
	size_t len = strlen(id);
	struct seen_node *n;
	size_t b;

	if (netra_checkpoint_seen(cp, id))
		return NETRA_OK;
	n = malloc(sizeof(*n) + len + 1);
	if (n == NULL)
		return NETRA_ENOMEM;
	memcpy(n->id, id, len + 1);
	if (cp->nseen == cp->max_seen)
		forget_oldest(cp);
	b = (size_t)(hash_id(id) & (cp->nbuckets - 1));
	n->next = cp->buckets[b];
	cp->buckets[b] = n;
	cp->ring[(cp->head + cp->nseen) % cp->max_seen] = n;
	cp->nseen++;
	return NETRA_OK;
}

size_t netra_checkpoint_nseen(const struct netra_checkpoint *cp)
{
	return cp->nseen;
}

static int load(struct netra_checkpoint *cp, char *err, size_t errsz)
{
	char *text = NULL;
	size_t len = 0;
	json_t *root = NULL;
	json_error_t je;
	json_t *v;
	size_t i;
	int rc;

	rc = netra_file_read(cp->path, CHECKPOINT_MAX, &text, &len, err, errsz);
	if (rc != NETRA_OK)
		return rc;
	rc = NETRA_EINVAL;
	root = json_loadb(text, len, NETRA_JSON_DECODE_FLAGS, &je);
	if (root == NULL) {
		snprintf(err, errsz, "%s:%d: corrupt checkpoint: %s", cp->path, je.line, je.text);
		goto cleanup;
	}
	if (!json_is_object(root) ||
	    json_integer_value(json_object_get(root, "version")) != CHECKPOINT_VERSION) {
		snprintf(err, errsz, "%s: not a version %d collector checkpoint", cp->path,
			 CHECKPOINT_VERSION);
		goto cleanup;
	}
	v = json_object_get(root, "cursors");
	if (v != NULL) {
		if (!json_is_object(v)) {
			snprintf(err, errsz, "%s: cursors: not an object", cp->path);
			goto cleanup;
		}
		json_decref(cp->cursors);
		cp->cursors = json_deep_copy(v);
	}
	v = json_object_get(root, "out");
	if (json_is_object(v) && json_is_string(json_object_get(v, "path"))) {
		cp->out_path = netra_strdup(json_string_value(json_object_get(v, "path")));
		cp->out_size = json_integer_value(json_object_get(v, "size"));
	}
	v = json_object_get(root, "seen");
	if (v != NULL && !json_is_array(v)) {
		snprintf(err, errsz, "%s: seen: not an array", cp->path);
		goto cleanup;
	}
	for (i = 0; i < json_array_size(v); i++) {
		const char *id = json_string_value(json_array_get(v, i));
		if (id == NULL) {
			snprintf(err, errsz, "%s: seen[%zu]: not a string", cp->path, i);
			goto cleanup;
		}
		if (netra_checkpoint_add_seen(cp, id) != NETRA_OK) {
			rc = NETRA_ENOMEM;
			goto cleanup;
		}
	}
	rc = cp->cursors != NULL ? NETRA_OK : NETRA_ENOMEM;
cleanup:
	json_decref(root);
	free(text);
	return rc;
}

int netra_checkpoint_open(const char *path, size_t max_seen, struct netra_checkpoint **out,
			  char *err, size_t errsz)
{
	struct netra_checkpoint *cp = NULL;
	int rc = NETRA_ENOMEM;

	*out = NULL;
	if (max_seen == 0)
		max_seen = 1;
	cp = calloc(1, sizeof(*cp));
	if (cp == NULL)
		goto fail;
	cp->max_seen = max_seen;
	cp->nbuckets = 1024;
	while (cp->nbuckets < max_seen && cp->nbuckets < ((size_t)1 << 30))
		cp->nbuckets <<= 1;
	cp->buckets = calloc(cp->nbuckets, sizeof(*cp->buckets));
	cp->ring = calloc(max_seen, sizeof(*cp->ring));
	cp->path = netra_strdup(path);
	cp->cursors = json_object();
	cp->out_size = -1;
	if (cp->buckets == NULL || cp->ring == NULL || cp->path == NULL || cp->cursors == NULL)
		goto fail;
	if (access(path, F_OK) == 0) {
		rc = load(cp, err, errsz);
		if (rc != NETRA_OK)
			goto fail;
	}
	*out = cp;
	return NETRA_OK;
fail:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "%s: out of memory", path);
	netra_checkpoint_destroy(&cp);
	return rc;
}

void netra_checkpoint_destroy(struct netra_checkpoint **cpp)
{
	struct netra_checkpoint *cp;

	if (cpp == NULL || *cpp == NULL)
		return;
	cp = *cpp;
	if (cp->ring != NULL)
		while (cp->nseen > 0)
			forget_oldest(cp);
	free(cp->ring);
	free(cp->buckets);
	json_decref(cp->cursors);
	free(cp->out_path);
	free(cp->path);
	free(cp);
	*cpp = NULL;
}

const json_t *netra_checkpoint_cursor(const struct netra_checkpoint *cp, const char *name)
{
	return json_object_get(cp->cursors, name);
}

int netra_checkpoint_set_cursor(struct netra_checkpoint *cp, const char *name,
				const json_t *cursor)
{
	json_t *copy = json_deep_copy(cursor);

	/* json_object_set_new steals copy, even when it fails. */
	if (copy == NULL || json_object_set_new(cp->cursors, name, copy) != 0)
		return NETRA_ENOMEM;
	return NETRA_OK;
}

long long netra_checkpoint_out_size(const struct netra_checkpoint *cp, const char *out_path)
{
	if (cp->out_path == NULL || out_path == NULL || strcmp(cp->out_path, out_path) != 0)
		return -1;
	return cp->out_size;
}

int netra_checkpoint_set_out(struct netra_checkpoint *cp, const char *out_path,
			     long long size)
{
	char *p = netra_strdup(out_path);

	if (out_path != NULL && p == NULL)
		return NETRA_ENOMEM;
	free(cp->out_path);
	cp->out_path = p;
	cp->out_size = size;
	return NETRA_OK;
}

/* fsync the folder holding path, so that the rename itself is durable. */
static int sync_parent(const char *path, char *err, size_t errsz)
{
	char dir[4096];
	char *slash;
	int fd;
	int rc = NETRA_OK;

	netra_strlcpy(dir, path, sizeof(dir));
	slash = strrchr(dir, '/');
	if (slash == NULL)
		netra_strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) != 0) {
		snprintf(err, errsz, "%s: cannot sync folder: %s", dir, strerror(errno));
		rc = NETRA_EIO;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

int netra_checkpoint_save(struct netra_checkpoint *cp, char *err, size_t errsz)
{
	json_t *root = NULL;
	json_t *seen = NULL;
	json_t *out = NULL;
	char *text = NULL;
	int rc = NETRA_ENOMEM;

	root = json_object();
	seen = json_array();
	if (root == NULL || seen == NULL)
		goto cleanup;
	for (size_t i = 0; i < cp->nseen; i++)
		if (json_array_append_new(seen, json_string(cp->ring[(cp->head + i) % cp->max_seen]->id)) != 0)
			goto cleanup;
	if (cp->out_path != NULL) {
		out = json_pack("{s:s,s:I}", "path", cp->out_path, "size", (json_int_t)cp->out_size);
		if (out == NULL)
			goto cleanup;
	}
	/* The _new setters steal their values. */
	if (json_object_set_new(root, "version", json_integer(CHECKPOINT_VERSION)) != 0 ||
	    json_object_set(root, "cursors", cp->cursors) != 0)
		goto cleanup;
	if (out != NULL) {
		int bad = json_object_set_new(root, "out", out);
		out = NULL;
		if (bad != 0)
			goto cleanup;
	}
	{
		int bad = json_object_set_new(root, "seen", seen);
		seen = NULL;
		if (bad != 0)
			goto cleanup;
	}
	text = json_dumps(root, JSON_COMPACT);
	if (text == NULL)
		goto cleanup;
	rc = netra_file_write_atomic(cp->path, text, strlen(text), err, errsz);
	if (rc == NETRA_OK)
		rc = sync_parent(cp->path, err, errsz);
cleanup:
	if (rc == NETRA_ENOMEM)
		snprintf(err, errsz, "%s: out of memory", cp->path);
	free(text);
	json_decref(out);
	json_decref(seen);
	json_decref(root);
	return rc;
}
