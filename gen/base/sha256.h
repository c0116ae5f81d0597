/*
 * sha256.h - SHA-256 (FIPS 180-4), for the hashes of rendered files and of
 * stored orders.  Pure, no state outside the context struct.
 */
#ifndef INVGEN_SHA256_H
#define INVGEN_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char block[64];
	size_t used;
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
void sha256_final(struct sha256 *c, unsigned char out[32]);
/* One call: lower-case hex digest of data into hex[65]. */
void sha256_hex(const void *data, size_t n, char hex[65]);
void sha256_to_hex(const unsigned char digest[32], char hex[65]);

#endif
