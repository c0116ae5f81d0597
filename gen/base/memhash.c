/*
 * memhash.c - memhash() and memhash_seen() (memhash.h): each 8-byte word (read with memcpy:
 * any alignment) is xored in and multiplied by an odd 64-bit constant,
 * with a shift so that the high bits reach the low ones, and the value
 * is finished with two more multiply-shift steps, so that every input
 * bit reaches the low bits, which pick a memo's slot; the length is part
 * of the value.
 */
#include <string.h>

#include "memhash.h"

#define MUL 0xff51afd7ed558ccdULL

uint64_t
memhash(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = (seed ^ 0x9e3779b97f4a7c15ULL ^ n) * MUL, w;

	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * MUL;
		h ^= h >> 32;
	}
	w = 0;
	if (n > 0)
		memcpy(&w, s, n);
	h = (h ^ w) * MUL;
	/* The finish of MurmurHash3's 64-bit mix: every input bit reaches
	 * the low bits. */
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ h >> 33;
}

int
memhash_seen(uint64_t *seen, size_t n, uint64_t h)
{
	if (seen[h % n] == h)
		return 1;
	seen[h % n] = h;
	return 0;
}
