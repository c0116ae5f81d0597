/*
 * memhash.h - a fast 64-bit hash of bytes, for the per-thread memos of the
 * render path (typeset text, deflated font streams): eight bytes per
 * step, not cryptographic, and the same value on every run of the same
 * build (no random seed).  A memo compares the bytes of a hit; the hash
 * only picks where to look.
 */
#ifndef INVGEN_MEMHASH_H
#define INVGEN_MEMHASH_H

#include <stddef.h>
#include <stdint.h>

/* The hash of n bytes at p, continuing from seed (0 to start; the result
 * of one call may seed the next, to hash several pieces). */
uint64_t memhash(const void *p, size_t n, uint64_t seed);

/*
 * The memos' admission rule, "second sighting": 1 when hash h was seen
 * before in seen[0..n) (zeroed at first), else 0 after noting it.  A memo
 * keeps a result only the second time its key comes, so that what comes
 * once per document (its number, the payer's name) does not push out
 * what every document repeats.  A slot holds the last hash noted there.
 */
int memhash_seen(uint64_t *seen, size_t n, uint64_t h);

#endif
