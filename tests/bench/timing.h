/*
 * timing.h - what the benchmark programs share: a monotonic clock in
 * milliseconds, sorting a run's times, and the one-line latency report
 * of bench-spawn and bench-api ("LABEL: median ..., p99 ..., max ...").
 * Inline, so that a program using part of it compiles warning-free.
 */
#ifndef INVGEN_BENCH_TIMING_H
#define INVGEN_BENCH_TIMING_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline int
cmp_ms(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sort t[0..n) ascending, for t[n / 2] (median) and t[n * 99 / 100]. */
static inline void
times_sort(double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_ms);
}

/* Print the latency line of n > 0 calls and sort t on the way. */
static inline void
times_report(const char *label, double *t, size_t n)
{
	times_sort(t, n);
	printf("%s: median %.1f ms, p99 %.1f ms, max %.1f ms over %zu calls\n",
	    label, t[n / 2], t[(n * 99) / 100], t[n - 1], n);
}

#endif
