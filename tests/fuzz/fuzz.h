/*
 * fuzz.h - helpers shared by the libFuzzer harnesses tests/fuzz/fuzz-*.c:
 * an invariant check that aborts with a message (libFuzzer then saves
 * the input as a crash), a byte reader that turns fuzz input into
 * parameters and strings, and an independent UTF-8 decoder (Unicode 15,
 * section 3.9, Table 3-7; ill-formed input replaced per maximal subpart,
 * "U+FFFD Substitution of Maximal Subparts") used as the oracle against
 * which the library's own decoders are checked.
 *
 * Header-only (static inline functions), so every harness stays one file
 * and needs nothing but this header and the library.  Must not keep
 * state between inputs: a harness is deterministic, the same input always
 * gives the same result.
 */
#ifndef INVGEN_FUZZ_H
#define INVGEN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* libFuzzer's entry point, declared for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Check an invariant; on failure print where and why, then abort() so
 * libFuzzer records the input as a crash artifact. */
#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: invariant failed: %s\n    ", \
		    __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* A cursor over the fuzz input. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

/* The next byte, 0 once the input is exhausted. */
static inline uint8_t
fuzz_byte(struct fuzz_in *in)
{
	uint8_t b;

	if (in->n == 0)
		return 0;
	b = *in->p++;
	in->n--;
	return b;
}

/* The next n (<= 8) bytes as a little-endian unsigned number. */
static inline uint64_t
fuzz_uint(struct fuzz_in *in, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)fuzz_byte(in) << (8 * i);
	return v;
}

/* The next string: the bytes up to a NUL (dropped) or the end of the
 * input, as an owned NUL-terminated copy; NULL once the input is
 * exhausted. */
static inline char *
fuzz_str(struct fuzz_in *in)
{
	const uint8_t *z;
	size_t len;
	char *s;

	if (in->n == 0)
		return NULL;
	z = memchr(in->p, 0, in->n);
	len = z != NULL ? (size_t)(z - in->p) : in->n;
	s = malloc(len + 1);
	if (s == NULL)
		abort();
	memcpy(s, in->p, len);
	s[len] = '\0';
	in->p += len;
	in->n -= len;
	if (z != NULL) {
		in->p++;
		in->n--;
	}
	return s;
}

/* The whole input as an owned C string (cut at its first NUL). */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char *s = fuzz_str(&in);

	if (s == NULL) {
		s = malloc(1);
		if (s == NULL)
			abort();
		s[0] = '\0';
	}
	return s;
}

/*
 * Decode the character at s[i] (i < n).  Returns the number of bytes it
 * takes and sets *cp; an ill-formed sequence gives *cp = UINT32_MAX and
 * the length of its maximal subpart (at least 1), which is what one
 * U+FFFD replaces.
 */
static inline size_t
fuzz_utf8_next(const uint8_t *s, size_t n, size_t i, uint32_t *cp)
{
	uint8_t b = s[i], lo = 0x80, hi = 0xBF;
	size_t need, k;
	uint32_t c;

	*cp = UINT32_MAX;
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		need = 1;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0;
		else if (b == 0xED)
			hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F;
	} else
		return 1;
	for (k = 1; k <= need; k++) {
		if (i + k >= n)
			return k;
		b = s[i + k];
		if (b < lo || b > hi)
			return k;
		lo = 0x80;
		hi = 0xBF;
		c = c << 6 | (b & 0x3F);
	}
	*cp = c;
	return need + 1;
}

/* 1 if s[0..n) is well-formed UTF-8. */
static inline int
fuzz_utf8_valid(const uint8_t *s, size_t n)
{
	uint32_t c;
	size_t k;

	for (size_t i = 0; i < n; i += k) {
		k = fuzz_utf8_next(s, n, i, &c);
		if (c == UINT32_MAX)
			return 0;
	}
	return 1;
}

/* Append s[0..n) to b with each maximal subpart of an ill-formed
 * sequence replaced by U+FFFD. */
static inline void
fuzz_utf8_sanitise(const uint8_t *s, size_t n, struct buf *b)
{
	uint32_t c;
	size_t k;

	for (size_t i = 0; i < n; i += k) {
		k = fuzz_utf8_next(s, n, i, &c);
		if (c == UINT32_MAX)
			buf_append(b, "\xEF\xBF\xBD", 3);
		else
			buf_append(b, s + i, k);
	}
}

#endif
