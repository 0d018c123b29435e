/* Source "jsonl": posts already in Netra's format (contracts §1), one per
 * line, from a file or from every *.jsonl file of a watched folder
 * (exports from other platforms, partners' batches). The cursor is the
 * byte offset of the last complete line read in each file, so a line still
 * being written is read at the next poll, once it is whole. */
#include "collectors/source.h"

#include "core/buf.h"
#include "core/error.h"
#include "core/log.h"
#include "core/post.h"
#include "core/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct netra_source_key jsonl_keys[] = {
	{"path", NETRA_KEY_PATH, 1, NULL, 0, 0,
	 "A JSONL file of posts, or a folder: every file in it ending in the suffix is read, "
	 "in name order, and new files and lines are picked up at each poll."},
	{"suffix", NETRA_KEY_STRING, 0, ".jsonl", 0, 0,
	 "In a folder, only files whose name ends with this are read."},
	{"max_line", NETRA_KEY_INTEGER, 0, "4194304", 1024, 268435456,
	 "Longest line accepted, in bytes; a longer line is reported and skipped."},
	{"max_lines", NETRA_KEY_INTEGER, 0, "10000", 1, 100000000,
	 "Lines read per poll; the rest is read by the next poll, at once."},
	{NULL, NETRA_KEY_STRING, 0, NULL, 0, 0, NULL},
};

/* Read the new complete lines of one file from its cursor entry, at most
 * *budget of them (decremented). */
static int read_file(struct netra_source *src, const char *path, const char *key,
		     long long *budget)
{
	json_t *files = json_object_get(netra_source_cursor(src), "files");
	json_t *entry = json_object_get(files, key);
	long long offset = json_integer_value(json_object_get(entry, "offset"));
	long long lineno = json_integer_value(json_object_get(entry, "line"));
	size_t max_line = (size_t)netra_source_int(src, "max_line");
	struct netra_buf line;
	char chunk[65536];
	FILE *fp = NULL;
	struct stat st;
	int too_long = 0;
	long long pos;
	int rc = NETRA_OK;

	netra_buf_init(&line, max_line);
	fp = fopen(path, "rb");
	if (fp == NULL || fstat(fileno(fp), &st) != 0) {
		netra_source_fail(src, 0, "%s: cannot open: %s", path, strerror(errno));
		rc = NETRA_EIO;
		goto cleanup;
	}
	if ((long long)st.st_size < offset) {
		netra_warn("source", netra_source_name(src),
			   "%s: shorter than already read (%lld < %lld bytes): reading it again",
			   path, (long long)st.st_size, offset);
		offset = 0;
		lineno = 0;
	}
	if (fseeko(fp, (off_t)offset, SEEK_SET) != 0) {
		netra_source_fail(src, 0, "%s: cannot seek: %s", path, strerror(errno));
		rc = NETRA_EIO;
		goto cleanup;
	}
	pos = offset;
	while (*budget > 0 && fgets(chunk, sizeof(chunk), fp) != NULL) {
		size_t n = strlen(chunk);
		int complete = n > 0 && chunk[n - 1] == '\n';
		/* Why strlen: a NUL byte inside a line ends fgets' copy early;
		 * such a line fails validation and is reported. */
		if (!too_long && netra_buf_add(&line, chunk, n) != NETRA_OK)
			too_long = 1;
		if (!complete) {
			if (feof(fp))
				break; /* a partial last line: wait for the rest */
			continue;
		}
		pos = (long long)ftello(fp);
		lineno++;
		(*budget)--;
		if (too_long) {
			netra_warn("source", netra_source_name(src),
				   "%s:%lld: line longer than %zu bytes, skipped", path, lineno, max_line);
			netra_source_count_fetched(src, 1);
			netra_source_emit(src, NULL);
		} else {
			char err[512];
			json_t *post = NULL;
			size_t len = line.len;
			while (len > 0 && (line.data[len - 1] == '\n' || line.data[len - 1] == '\r'))
				len--;
			if (strspn(line.data, " \t\r\n") < len) {
				netra_source_count_fetched(src, 1);
				if (netra_post_parse(line.data, len, &post, err, sizeof(err)) != NETRA_OK) {
					netra_warn("source", netra_source_name(src), "%s:%lld: %s", path,
						   lineno, err);
					netra_source_emit(src, NULL);
				} else {
					netra_source_emit(src, post);
				}
			}
		}
		too_long = 0;
		netra_buf_reset(&line);
	}
	if (*budget == 0 && (long long)st.st_size > pos)
		netra_source_more(src);
	if (ferror(fp)) {
		netra_source_fail(src, 0, "%s: read error", path);
		rc = NETRA_EIO;
		goto cleanup;
	}
	entry = json_pack("{s:I,s:I}", "offset", (json_int_t)pos, "line", (json_int_t)lineno);
	if (entry == NULL || json_object_set_new(files, key, entry) != 0) {
		netra_source_fail(src, 0, "out of memory");
		rc = NETRA_ENOMEM;
	}
cleanup:
	if (fp != NULL)
		fclose(fp);
	netra_buf_free(&line);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int jsonl_poll(struct netra_source *src)
{
	const char *path = netra_source_str(src, "path");
	const char *suffix = netra_source_str(src, "suffix");
	json_t *cursor = netra_source_cursor(src);
	struct stat st;
	DIR *dir = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t nnames = 0;
	size_t cap = 0;
	size_t sl = strlen(suffix);
	long long budget = netra_source_int(src, "max_lines");
	int rc = NETRA_OK;

	if (!json_is_object(json_object_get(cursor, "files")))
		json_object_set_new(cursor, "files", json_object());
	if (stat(path, &st) != 0) {
		netra_source_fail(src, 0, "%s: %s", path, strerror(errno));
		return NETRA_EIO;
	}
	if (!S_ISDIR(st.st_mode))
		return read_file(src, path, "", &budget);
	dir = opendir(path);
	if (dir == NULL) {
		netra_source_fail(src, 0, "%s: cannot open folder: %s", path, strerror(errno));
		return NETRA_EIO;
	}
	while ((de = readdir(dir)) != NULL) {
		size_t nl = strlen(de->d_name);
		if (de->d_name[0] == '.' || nl < sl || strcmp(de->d_name + nl - sl, suffix) != 0)
			continue;
		if (nnames == cap) {
			size_t ncap = cap == 0 ? 16 : cap * 2;
			char **n = realloc(names, ncap * sizeof(*names));
			if (n == NULL) {
				rc = NETRA_ENOMEM;
				goto cleanup;
			}
			names = n;
			cap = ncap;
		}
		if ((names[nnames] = netra_strdup(de->d_name)) == NULL) {
			rc = NETRA_ENOMEM;
			goto cleanup;
		}
		nnames++;
	}
	if (nnames > 0)
		qsort(names, nnames, sizeof(*names), cmp_names);
	{
		/* Forget files that left the folder, so the cursor stays small. */
		json_t *files = json_object_get(cursor, "files");
		const char *key;
		json_t *v;
		void *tmp;
		json_object_foreach_safe(files, tmp, key, v) {
			int found = 0;
			for (size_t i = 0; i < nnames && !found; i++)
				found = strcmp(names[i], key) == 0;
			if (!found)
				json_object_del(files, key);
		}
	}
	for (size_t i = 0; i < nnames && rc == NETRA_OK; i++) {
		struct netra_buf full;
		if (budget == 0) {
			netra_source_more(src);
			break;
		}
		netra_buf_init(&full, 8192);
		if (netra_buf_printf(&full, "%s/%s", path, names[i]) != NETRA_OK)
			rc = NETRA_ENOMEM;
		else
			rc = read_file(src, full.data, names[i], &budget);
		netra_buf_free(&full);
	}
cleanup:
	if (rc == NETRA_ENOMEM)
		netra_source_fail(src, 0, "out of memory");
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	if (dir != NULL)
		closedir(dir);
	return rc;
}

const struct netra_source_plugin netra_source_jsonl = {
	.name = "jsonl",
	.description = "Posts in Netra's JSONL format from a file or a watched folder",
	.config = jsonl_keys,
	.init = NULL,
	.poll = jsonl_poll,
	.exit = NULL,
};
