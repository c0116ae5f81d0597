/*
 * bench-api.c - the bot's other way in, for `make bench`: one libinvgen
 * handle kept open, invgen_transfer_order() called once per order number
 * read from stdin (database transaction, PDF rendered, written and synced
 * on each call), then the median and 99th percentile wall time.  Figures
 * only: nothing here asserts a time.  A call that fails stops it.
 *
 * usage: bench-api LABEL DB OUT_DIR < order numbers
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "invgen.h"
#include "timing.h"

int
main(int argc, char **argv)
{
	struct invgen_options opt = { 0 };
	struct gen_err err = { 0 };
	struct invgen *inv;
	char line[256];
	double *t = NULL;
	size_t n = 0, cap = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: %s LABEL DB OUT_DIR < order numbers\n",
		    argv[0]);
		return 2;
	}
	opt.db_path = argv[2];
	opt.out_dir = argv[3];
	if (invgen_open(&opt, &inv, &err) != GEN_OK) {
		fprintf(stderr, "bench-api: %s\n", err.msg);
		return 3;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		struct invgen_doc *doc = NULL;
		double t0;

		line[strcspn(line, "\n")] = '\0';
		t0 = now_ms();
		if (invgen_transfer_order(inv, line, &doc, &err) != GEN_OK) {
			fprintf(stderr, "bench-api: %s: %s\n", line, err.msg);
			invgen_close(inv);
			free(t);
			return 1;
		}
		if (n == cap)
			t = realloc(t, (cap = cap ? cap * 2 : 256) * sizeof(*t));
		t[n++] = now_ms() - t0;
		invgen_doc_free(doc);
	}
	invgen_close(inv);
	if (n == 0)
		return 1;
	times_report(argv[1], t, n);
	free(t);
	return 0;
}
