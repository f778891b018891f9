/*
 * Replay driver for libFuzzer harnesses.
 *
 * Linked instead of libFuzzer's own main() in the normal build, it feeds every
 * file named on the command line (directories are walked one level deep) to
 * LLVMFuzzerTestOneInput(), so seed corpora and crash reproducers run as
 * ordinary regression tests, under ASan/UBSan when the build has them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (f == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: %s: cannot size file\n", path);
		fclose(f);
		return -1;
	}
	/* an exact-size heap copy, so ASan sees any read past the input */
	buf = malloc(len > 0 ? (size_t)len : 1);
	if (buf == NULL || (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)) {
		fprintf(stderr, "replay: %s: read failed\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, count = 0, errors = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			errors++;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *de;

			if (d == NULL) {
				errors++;
				continue;
			}
			while ((de = readdir(d)) != NULL) {
				char path[4096];

				if (de->d_name[0] == '.') {
					continue;
				}
				snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
				errors += replay_file(path) != 0;
				count++;
			}
			closedir(d);
		} else {
			errors += replay_file(argv[i]) != 0;
			count++;
		}
	}
	if (count == 0) {
		fprintf(stderr, "replay: no inputs given\n");
		return 1;
	}
	printf("replayed %d inputs, %d unreadable\n", count, errors);
	return errors ? 1 : 0;
}
