/*
 * testlib.h - the unit-test helper shared by tests/unit/test-*.c.
 *
 * Each test file is one program: it calls the check macros, which print
 * the failing expression with file and line, and ends main() with
 *     return test_report();
 * which prints "test-NAME: N checks, M failed" and returns 0 or 1.
 */
#ifndef INVGEN_TESTLIB_H
#define INVGEN_TESTLIB_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int test_checks, test_failures;

#define CHECK(cond) do { \
	test_checks++; \
	if (!(cond)) { \
		test_failures++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", \
		    __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_INT(got, want) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	test_checks++; \
	if (g_ != w_) { \
		test_failures++; \
		fprintf(stderr, "%s:%d: %s = %lld, want %lld\n", \
		    __FILE__, __LINE__, #got, g_, w_); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	test_checks++; \
	if (g_ == NULL || w_ == NULL ? g_ != w_ : strcmp(g_, w_) != 0) { \
		test_failures++; \
		fprintf(stderr, "%s:%d: %s = \"%s\", want \"%s\"\n", \
		    __FILE__, __LINE__, #got, g_ ? g_ : "(null)", \
		    w_ ? w_ : "(null)"); \
	} \
} while (0)

/* The message of a gen_err must contain a fragment (field names, limits). */
#define CHECK_MSG(err, fragment) do { \
	test_checks++; \
	if (strstr((err).msg, (fragment)) == NULL) { \
		test_failures++; \
		fprintf(stderr, "%s:%d: message \"%s\" lacks \"%s\"\n", \
		    __FILE__, __LINE__, (err).msg, (fragment)); \
	} \
} while (0)

/* The text must contain s (a test string) as is; shows the text if not. */
#define CHECK_HAS(text, s) do { \
	int has_ = strstr((text), (s)) != NULL; \
	if (!has_) \
		printf("missing \"%s\" in:\n%s\n", (s), (text)); \
	CHECK(has_); \
} while (0)

static int
test_report_named(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, test_checks, test_failures);
	return test_failures == 0 ? 0 : 1;
}

#define test_report() test_report_named(__FILE__)

#endif
