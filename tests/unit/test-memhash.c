/*
 * test-memhash.c - memhash(): the same bytes give the same value wherever
 * they lie in memory; a change of any one bit, of the length or of the
 * seed changes it; chaining pieces through the seed works; the low bits
 * (which pick a memo's slot) spread evenly.
 */
#include <stdlib.h>

#include "memhash.h"
#include "testlib.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	unsigned char buf[80], copy[96];
	uint64_t base, v[80 * 8 + 1], zeros[65];
	size_t i, bit, n, dup = 0, slots[64] = { 0 }, lo = 1000, hi = 0;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 7 + 3);
	base = memhash(buf, sizeof(buf), 0);
	CHECK(base == memhash(buf, sizeof(buf), 0));
	/* Any alignment. */
	for (i = 1; i < 16; i++) {
		memcpy(copy + i, buf, sizeof(buf));
		CHECK(memhash(copy + i, sizeof(buf), 0) == base);
	}
	/* Every single-bit change gives a value of its own. */
	v[0] = base;
	for (bit = 0; bit < sizeof(buf) * 8; bit++) {
		buf[bit / 8] ^= (unsigned char)(1u << bit % 8);
		v[bit + 1] = memhash(buf, sizeof(buf), 0);
		buf[bit / 8] ^= (unsigned char)(1u << bit % 8);
	}
	qsort(v, N(v), sizeof(v[0]), cmp_u64);
	for (i = 1; i < N(v); i++)
		dup += v[i] == v[i - 1];
	CHECK_INT(dup, 0);
	/* Runs of zero bytes of every length 0..64 all differ. */
	memset(copy, 0, sizeof(copy));
	for (n = 0; n < N(zeros); n++)
		zeros[n] = memhash(copy, n, 0);
	qsort(zeros, N(zeros), sizeof(zeros[0]), cmp_u64);
	for (i = 1, dup = 0; i < N(zeros); i++)
		dup += zeros[i] == zeros[i - 1];
	CHECK_INT(dup, 0);
	/* The seed matters, and chains pieces. */
	CHECK(memhash(buf, sizeof(buf), 1) != base);
	CHECK(memhash(buf + 40, 40, memhash(buf, 40, 0)) ==
	    memhash(buf + 40, 40, memhash(buf, 40, 0)));
	CHECK(memhash(buf + 40, 40, memhash(buf, 40, 0)) !=
	    memhash(buf, 40, memhash(buf + 40, 40, 0)));
	CHECK(memhash(NULL, 0, 0) == memhash(copy, 0, 0));
	/* 64,000 keys "key-N" over 64 slots by the low bits: each slot gets
	 * within 15 % of 1,000. */
	for (i = 0; i < 64000; i++) {
		char key[32];
		int len = snprintf(key, sizeof(key), "key-%zu", i);

		slots[memhash(key, (size_t)len, 0) % 64]++;
	}
	for (i = 0; i < 64; i++) {
		lo = slots[i] < lo ? slots[i] : lo;
		hi = slots[i] > hi ? slots[i] : hi;
	}
	CHECK(lo >= 850 && hi <= 1150);

	{
		uint64_t seen[8] = { 0 };

		CHECK(!memhash_seen(seen, 8, 42));
		CHECK(memhash_seen(seen, 8, 42));
		CHECK(!memhash_seen(seen, 8, 43));
		CHECK(!memhash_seen(seen, 8, 50));	/* 42's slot */
		CHECK(!memhash_seen(seen, 8, 42));	/* forgotten */
		CHECK(memhash_seen(seen, 8, 43));
	}
	return test_report();
}
