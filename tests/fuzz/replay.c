/*
 * replay.c - runs one fuzz harness (tests/fuzz/fuzz-NAME.c) over files,
 * once each, without libFuzzer: what `make check` does with the committed
 * corpus and the saved crashes of every target.  Deterministic, and built
 * with the test build's compiler and sanitizers, so `make check` needs no
 * third build of the library; exploring new inputs stays with libFuzzer
 * (`make fuzz`, tests/fuzz/Makefile.fuzz).
 *
 *   build/san/replay-NAME FILE|DIR...
 *
 * A directory stands for its files, in name order.  The harness's
 * LLVMFuzzerInitialize runs first when it has one.  A failed invariant
 * aborts (FUZZ_CHECK) and a sanitizer report ends the process, as under
 * libFuzzer; otherwise the exit status is 0 and one line says how many
 * inputs ran.  Exit 2 when an argument cannot be read.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Run the harness on the file at path; 0 when it could not be read. */
static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return 0;
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			if ((data = realloc(data, cap)) == NULL)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	/* libFuzzer hands the harness its own copy of exactly len bytes. */
	LLVMFuzzerTestOneInput(len ? data : (const uint8_t *)"", len);
	free(data);
	return 1;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	size_t runs = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;
		char **names = NULL;
		size_t n = 0;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			return 2;
		}
		if (!S_ISDIR(st.st_mode)) {
			if (!run_file(argv[i])) {
				fprintf(stderr, "replay: %s: cannot read\n",
				    argv[i]);
				return 2;
			}
			runs++;
			continue;
		}
		if ((d = opendir(argv[i])) == NULL) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			return 2;
		}
		while ((e = readdir(d)) != NULL) {
			size_t sz = strlen(argv[i]) + strlen(e->d_name) + 2;
			char *p;

			if (e->d_name[0] == '.')
				continue;
			if ((p = malloc(sz)) == NULL ||
			    (names = realloc(names, (n + 1) * sizeof(*names))) ==
			    NULL)
				abort();
			snprintf(p, sz, "%s/%s", argv[i], e->d_name);
			names[n++] = p;
		}
		closedir(d);
		qsort(names, n, sizeof(*names), by_name);
		for (size_t k = 0; k < n; k++) {
			if (stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
				if (!run_file(names[k])) {
					fprintf(stderr, "replay: %s: cannot "
					    "read\n", names[k]);
					return 2;
				}
				runs++;
			}
			free(names[k]);
		}
		free(names);
	}
	printf("replay: %zu inputs, no failure\n", runs);
	return 0;
}
