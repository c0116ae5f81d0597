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

#endif
