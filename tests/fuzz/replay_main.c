/* Replay driver for the libFuzzer harnesses, so that each also builds with
 * gcc as a plain program ctest runs over its seed corpus: every argument
 * is a file, or a folder whose files are all fed to
 * LLVMFuzzerTestOneInput. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { REPLAY_MAX = 16 * 1024 * 1024 };

static int replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0;
	int rc = 1;

	if (fp == NULL) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 1;
	}
	buf = malloc(REPLAY_MAX);
	if (buf == NULL)
		goto cleanup;
	n = fread(buf, 1, REPLAY_MAX, fp);
	if (ferror(fp)) {
		fprintf(stderr, "%s: read error\n", path);
		goto cleanup;
	}
	/* Why a copy of the exact size: ASan then catches reads past the end. */
	{
		uint8_t *exact = malloc(n > 0 ? n : 1);
		if (exact == NULL)
			goto cleanup;
		memcpy(exact, buf, n);
		LLVMFuzzerTestOneInput(exact, n);
		free(exact);
	}
	rc = 0;
cleanup:
	free(buf);
	fclose(fp);
	return rc;
}

int main(int argc, char **argv)
{
	int failed = 0;
	int count = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "%s: not found\n", argv[i]);
			failed = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *de;
			if (d == NULL) {
				failed = 1;
				continue;
			}
			while ((de = readdir(d)) != NULL) {
				char path[4096];
				if (de->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
				failed |= replay_file(path);
				count++;
			}
			closedir(d);
		} else {
			failed |= replay_file(argv[i]);
			count++;
		}
	}
	printf("replayed %d inputs\n", count);
	return failed || count == 0 ? 1 : 0;
}
