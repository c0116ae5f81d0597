/*
 * sha256.c - SHA-256 as specified in FIPS 180-4 section 6.2, written from
 * the specification (constants are the first 32 bits of the fractional
 * parts of the cube roots of the first 64 primes).
 *
 * Two block-compression functions compute the same thing:
 *   blocks_portable  plain C, the fallback on every CPU and every platform;
 *   blocks_shani     x86-64 only: the SHA extensions (sha256rnds2 does two
 *                    rounds, sha256msg1/sha256msg2 the message schedule),
 *                    written from Intel's description of the instructions;
 *                    about 8 times faster (1.5 GB/s against 0.19 GB/s on
 *                    an AMD EPYC, 15 KB messages).  Batch hashes every
 *                    rendered PDF, which made SHA-256 a visible part of
 *                    its CPU time.
 * The choice is made once per process (pthread_once, so threads hashing
 * at once see one settled pointer): blocks_shani when the CPU reports SHA,
 * SSSE3 and SSE4.1, blocks_portable otherwise.  sha256_init stores the
 * choice in the context; sha256_init_portable forces the C code, so that
 * the unit test can run both on the same inputs, and sha256_impl names
 * the choice (no environment variable changes it).  sha256_update hands
 * whole 64-byte blocks straight from the caller's buffer, many per call;
 * only a partial block is copied into c->block.
 */
#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "sha256.h"

static const uint32_t k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Compresses n 64-byte blocks at p into the state h, in plain C. */
static void
blocks_portable(uint32_t h[8], const unsigned char *p, size_t n)
{
	uint32_t w[64], a, b, cc, d, e, f, g, hh, t1, t2;

	for (; n > 0; n--, p += 64) {
		for (int i = 0; i < 16; i++)
			w[i] = (uint32_t)p[4 * i] << 24 |
			    (uint32_t)p[4 * i + 1] << 16 |
			    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
		for (int i = 16; i < 64; i++) {
			uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^
			    (w[i - 15] >> 3);
			uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^
			    (w[i - 2] >> 10);
			w[i] = w[i - 16] + s0 + w[i - 7] + s1;
		}
		a = h[0]; b = h[1]; cc = h[2]; d = h[3];
		e = h[4]; f = h[5]; g = h[6]; hh = h[7];
		for (int i = 0; i < 64; i++) {
			t1 = hh + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) +
			    ((e & f) ^ (~e & g)) + k[i] + w[i];
			t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) +
			    ((a & b) ^ (a & cc) ^ (b & cc));
			hh = g; g = f; f = e; e = d + t1;
			d = cc; cc = b; b = a; a = t1 + t2;
		}
		h[0] += a; h[1] += b; h[2] += cc; h[3] += d;
		h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
	}
}

#if defined(__x86_64__)
/*
 * Compresses n 64-byte blocks at p into h with the SHA extensions, as
 * Intel's instruction reference describes them:
 *   sha256rnds2 (_mm_sha256rnds2_epu32(cdgh, abef, wk)) runs two rounds on
 *     a state split in two registers, {A,B,E,F} and {C,D,G,H} (A and C in
 *     the top 32 bits), taking W[t]+K[t] and W[t+1]+K[t+1] from the low
 *     64 bits of wk; it returns the new {A,B,E,F}, and the old {A,B,E,F}
 *     is the new {C,D,G,H};
 *   sha256msg1(W[t-16..t-13], W[t-12..t-9]) gives W[t-16] + s0(W[t-15])
 *     for the four words t..t+3;
 *   sha256msg2(that + W[t-7..t-4], W[t-4..t-1]) adds s1(W[t-2]) and
 *     returns W[t..t+3] (the last two need the first two, which it does).
 * Vectors hold four message words with the lowest-numbered word in the
 * low 32 bits; the input is big-endian, hence the byte shuffle on load.
 */
__attribute__((target("sha,sse4.1,ssse3")))
static void
blocks_shani(uint32_t h[8], const unsigned char *p, size_t n)
{
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
	    4, 5, 6, 7, 0, 1, 2, 3);
	__m128i abcd = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	__m128i efgh = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	/* {D,C,B,A} and {H,G,F,E}, highest lane first as Intel writes them */
	__m128i dcba = _mm_shuffle_epi32(abcd, 0x1B);
	__m128i hgfe = _mm_shuffle_epi32(efgh, 0x1B);
	__m128i abef = _mm_unpackhi_epi64(hgfe, dcba);
	__m128i cdgh = _mm_unpacklo_epi64(hgfe, dcba);

	for (; n > 0; n--, p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh, w[4], wk;

		for (int i = 0; i < 4; i++)
			w[i] = _mm_shuffle_epi8(_mm_loadu_si128(
			    (const __m128i *)(const void *)(p + 16 * i)), bswap);
		/* 16 groups of four rounds; w[i % 4] holds W[4i..4i+3] */
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			if (i >= 4) {
				__m128i t = _mm_sha256msg1_epu32(w[i % 4],
				    w[(i + 1) % 4]);

				t = _mm_add_epi32(t, _mm_alignr_epi8(
				    w[(i + 3) % 4], w[(i + 2) % 4], 4));
				w[i % 4] = _mm_sha256msg2_epu32(t,
				    w[(i + 3) % 4]);
			}
			wk = _mm_add_epi32(w[i % 4], _mm_loadu_si128(
			    (const __m128i *)(const void *)&k[4 * i]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
			abef = _mm_sha256rnds2_epu32(abef, cdgh,
			    _mm_shuffle_epi32(wk, 0x0E));
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	dcba = _mm_unpackhi_epi64(cdgh, abef);
	hgfe = _mm_unpacklo_epi64(cdgh, abef);
	_mm_storeu_si128((__m128i *)(void *)&h[0], _mm_shuffle_epi32(dcba, 0x1B));
	_mm_storeu_si128((__m128i *)(void *)&h[4], _mm_shuffle_epi32(hgfe, 0x1B));
}
#endif

static sha256_blocks_fn picked;
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;

/* Runs once per process: the fastest compression this CPU can run. */
static void
pick(void)
{
	picked = blocks_portable;
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") &&
	    __builtin_cpu_supports("ssse3"))
		picked = blocks_shani;
#endif
}

static sha256_blocks_fn
chosen(void)
{
	pthread_once(&pick_once, pick);
	return picked;
}

const char *
sha256_impl(void)
{
#if defined(__x86_64__)
	if (chosen() == blocks_shani)
		return "sha-ni";
#endif
	return "portable";
}

static void
start(struct sha256 *c, sha256_blocks_fn blocks)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->used = 0;
	c->blocks = blocks;
}

void
sha256_init(struct sha256 *c)
{
	start(c, chosen());
}

void
sha256_init_portable(struct sha256 *c)
{
	start(c, blocks_portable);
}

/*
 * Tops up a partial block first; then every whole block goes to the
 * compression function in one call, read where the caller keeps it.
 */
void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->len += n;
	if (c->used > 0) {
		size_t take = 64 - c->used < n ? 64 - c->used : n;

		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		n -= take;
		if (c->used < 64)
			return;
		c->blocks(c->h, c->block, 1);
		c->used = 0;
	}
	if (n >= 64) {
		c->blocks(c->h, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	if (n > 0)
		memcpy(c->block, p, n);
	c->used = n;
}

/*
 * Pads as FIPS 180-4 section 5.1.1 says: a 1 bit, zeros up to 56 bytes
 * into the last block (in a further block if fewer than 9 bytes are left),
 * then the message length in bits as a 64-bit big-endian number.
 */
void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;

	c->block[c->used++] = 0x80;
	if (c->used > 56) {
		memset(c->block + c->used, 0, 64 - c->used);
		c->blocks(c->h, c->block, 1);
		c->used = 0;
	}
	memset(c->block + c->used, 0, 56 - c->used);
	for (int i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	c->blocks(c->h, c->block, 1);
	c->used = 0;
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(c->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)c->h[i];
	}
}

void
sha256_to_hex(const unsigned char digest[32], char hex[65])
{
	static const char x[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = x[digest[i] >> 4];
		hex[2 * i + 1] = x[digest[i] & 15];
	}
	hex[64] = '\0';
}

void
sha256_hex(const void *data, size_t n, char hex[65])
{
	struct sha256 c;
	unsigned char d[32];

	sha256_init(&c);
	sha256_update(&c, data, n);
	sha256_final(&c, d);
	sha256_to_hex(d, hex);
}
