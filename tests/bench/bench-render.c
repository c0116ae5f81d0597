/*
 * bench-render.c - in-process rendering benchmark for `make bench`: loads
 * one issued document from a database and renders it N times in each
 * format given, then prints the median, the 99th percentile and the output
 * size.  It keeps a render cache across the renders, as a batch worker and
 * `invgen serve` do (the languages' catalogues are read once).  Figures
 * only: nothing here asserts a time.
 *
 * usage: bench-render DB NUMBER N FORMAT...   (FORMAT: pdf, ubl, cii, ...)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "render.h"
#include "store.h"
#include "timing.h"

int
main(int argc, char **argv)
{
	struct config cfg;
	struct store *s = NULL;
	struct document *d = NULL;
	struct gen_err err = { 0 };
	struct invgen_options opt = { 0 };
	struct render_cache *cache = render_cache_new();
	int n;

	if (argc < 5) {
		fprintf(stderr, "usage: %s DB NUMBER N FORMAT...\n", argv[0]);
		return 2;
	}
	n = atoi(argv[3]);
	opt.db_path = argv[1];
	if (config_init(&cfg, &opt, &err) != GEN_OK ||
	    store_open(argv[1], STORE_READONLY, 5000, &s, &err) != GEN_OK ||
	    store_document_load(s, argv[2], &d, &err) != GEN_OK) {
		fprintf(stderr, "bench-render: %s\n", err.msg);
		return 3;
	}
	for (int f = 4; f < argc; f++) {
		double *t = calloc((size_t)n, sizeof(*t));
		size_t size = 0;

		for (int i = 0; i < n; i++) {
			struct buf b = { 0 };
			double t0 = now_ms();

			if (render_document_cached(cache, &cfg, d, argv[f], &b,
			    NULL, &err) != GEN_OK) {
				fprintf(stderr, "bench-render: %s\n", err.msg);
				return 3;
			}
			t[i] = now_ms() - t0;
			size = b.len;
			buf_free(&b);
		}
		times_sort(t, (size_t)n);
		printf("render %-4s %s: median %.3f ms, p99 %.3f ms over %d runs, "
		    "%zu bytes\n", argv[f], argv[2], t[n / 2],
		    t[(n * 99) / 100], n, size);
		free(t);
	}
	render_cache_free(cache);
	document_free(d);
	store_close(s);
	config_free(&cfg);
	return 0;
}
