/*
 * bench-render.c - in-process rendering benchmark for `make bench`: loads
 * one issued document from a database and renders it N times in each
 * format given, then prints the median, the 99th percentile and the output
 * size.  It keeps a render cache across the renders, as a batch worker and
 * `invgen serve` do (the languages' catalogues are read once).  The same
 * document again and again is the warm case: the thread's memos
 * (gen/pdf/PERFORMANCE.md) already hold its texts, font subsets and font
 * streams.  So each format is also rendered N / 10 times each in a new
 * thread, whose memos are empty ("first in a thread"), which is closer
 * to what a document of a batch costs (its payer's texts are new; the
 * labels are not).  Figures only: nothing here asserts a time.
 *
 * usage: bench-render DB NUMBER N FORMAT...   (FORMAT: pdf, ubl, cii, ...)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "err.h"
#include "render.h"
#include "store.h"
#include "timing.h"

/* One render in a thread of its own. */
struct job {
	struct render_cache	*cache;
	const struct config	*cfg;
	const struct document	*d;
	const char		*format;
	double			 ms;
	enum gen_rc		 rc;
	struct gen_err		 err;
};

static void *
render_job(void *arg)
{
	struct job *j = arg;
	struct buf b = { 0 };
	double t0 = now_ms();

	j->rc = render_document_cached(j->cache, j->cfg, j->d, j->format, &b,
	    NULL, &j->err);
	j->ms = now_ms() - t0;
	buf_free(&b);
	return NULL;
}

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
		for (int i = 0; i < n / 10; i++) {
			struct job j = { cache, &cfg, d, argv[f], 0, GEN_OK,
			    { 0 } };
			pthread_t tid;

			if (pthread_create(&tid, NULL, render_job, &j) != 0 ||
			    pthread_join(tid, NULL) != 0 || j.rc != GEN_OK) {
				fprintf(stderr, "bench-render: %s\n", j.err.msg);
				return 3;
			}
			t[i] = j.ms;
		}
		if (n / 10 > 0) {
			times_sort(t, (size_t)(n / 10));
			printf("  first in a thread: median %.3f ms over %d "
			    "threads\n", t[n / 20], n / 10);
		}
		free(t);
	}
	render_cache_free(cache);
	document_free(d);
	store_close(s);
	config_free(&cfg);
	return 0;
}
