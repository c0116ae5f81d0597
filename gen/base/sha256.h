/*
 * sha256.h - SHA-256 (FIPS 180-4), for the hashes of rendered files and of
 * stored orders.  No state outside the context struct, except which
 * compression function this CPU runs (chosen once per process, read-only
 * after that; see sha256.c), so threads may hash at once.
 */
#ifndef INVGEN_SHA256_H
#define INVGEN_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Compresses n 64-byte blocks at p into the state h. */
typedef void (*sha256_blocks_fn)(uint32_t h[8], const unsigned char *p,
    size_t n);

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char block[64];
	size_t used;
	sha256_blocks_fn blocks;	/* set by sha256_init */
};

/* Starts a hash with the fastest code this CPU runs. */
void sha256_init(struct sha256 *c);
/* The same with the portable C code, whatever the CPU: for the unit test. */
void sha256_init_portable(struct sha256 *c);
/* What sha256_init uses on this CPU: "sha-ni" or "portable". */
const char *sha256_impl(void);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* One call: lower-case hex digest of data into hex[65]. */
void sha256_hex(const void *data, size_t n, char hex[65]);
void sha256_to_hex(const unsigned char digest[32], char hex[65]);

#endif
