/* The collectors' durable state: each source's cursor, the ids of posts
 * already handed on (bounded, oldest forgotten first) and how far the
 * output file had been written when they were saved. Saved atomically
 * (temporary file, fsync, rename, fsync of the folder), so that after a
 * crash the file holds either the old state or the new one. */
#ifndef NETRA_CHECKPOINT_H
#define NETRA_CHECKPOINT_H

#include <jansson.h>
#include <stddef.h>

struct netra_checkpoint;

/* Open the store at path, loading it if it exists. max_seen bounds the ids
 * remembered. Returns 0 (*out is the caller's), NETRA_ENOMEM, or
 * NETRA_EINVAL / NETRA_EIO with err naming the file and the reason (a
 * corrupt checkpoint is an error, never silently reset). */
int netra_checkpoint_open(const char *path, size_t max_seen, struct netra_checkpoint **out,
			  char *err, size_t errsz);

/* Free. NULL-safe; sets *cp to NULL. */
void netra_checkpoint_destroy(struct netra_checkpoint **cp);

/* The saved cursor of source name, or NULL. Borrowed. */
const json_t *netra_checkpoint_cursor(const struct netra_checkpoint *cp, const char *name);

/* Replace the cursor of source name with a deep copy of cursor. Returns 0
 * or NETRA_ENOMEM. */
int netra_checkpoint_set_cursor(struct netra_checkpoint *cp, const char *name,
				const json_t *cursor);

/* 1 if the id has been handed on already, else 0. */
int netra_checkpoint_seen(const struct netra_checkpoint *cp, const char *id);

/* Remember an id (forgetting the oldest beyond max_seen). 0 or NETRA_ENOMEM. */
int netra_checkpoint_add_seen(struct netra_checkpoint *cp, const char *id);

/* Ids remembered. */
size_t netra_checkpoint_nseen(const struct netra_checkpoint *cp);

/* The size the output file at out_path had at the last save, or -1 if the
 * checkpoint was saved for another output (or none). */
long long netra_checkpoint_out_size(const struct netra_checkpoint *cp, const char *out_path);

/* Record the output file and its size, for the next save. */
int netra_checkpoint_set_out(struct netra_checkpoint *cp, const char *out_path,
			     long long size);

/* Save durably. Returns 0 or NETRA_EIO / NETRA_ENOMEM with err set. */
int netra_checkpoint_save(struct netra_checkpoint *cp, char *err, size_t errsz);

#endif
