/*
 * test-sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors
 * and a few padding-boundary digests, through both compression functions
 * (sha256_init: SHA-NI where the CPU has it; sha256_init_portable: the C
 * code), then every length 0..2000 with random bytes, random alignment
 * and random split points of sha256_update, the two paths compared byte
 * for byte.  It prints which path this CPU uses, and on x86-64 checks
 * that a CPU with the SHA extensions gets the SHA-NI path.
 */
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "testlib.h"

/* A deterministic generator (xorshift64), so a failure repeats. */
static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t
next(uint32_t bound)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32) % bound;
}

/*
 * Digest of data[0..n) in hex, fed in pieces cut at the sorted offsets
 * cuts[0..ncut), from the portable code or from sha256_init's choice.
 */
static void
digest(int portable, const unsigned char *data, size_t n,
    const size_t *cuts, int ncut, char hex[65])
{
	struct sha256 c;
	unsigned char d[32];
	size_t at = 0;

	if (portable)
		sha256_init_portable(&c);
	else
		sha256_init(&c);
	for (int i = 0; i < ncut; i++) {
		sha256_update(&c, data + at, cuts[i] - at);
		at = cuts[i];
	}
	sha256_update(&c, data + at, n - at);
	sha256_final(&c, d);
	sha256_to_hex(d, hex);
}

/* Both paths, in one piece and cut after every byte of the first 130. */
static void
check_vector(const void *data, size_t n, const char *want)
{
	char hex[65];

	for (int portable = 0; portable <= 1; portable++) {
		digest(portable, data, n, NULL, 0, hex);
		CHECK_STR(hex, want);
		for (size_t cut = 0; cut <= n && cut <= 130; cut++) {
			digest(portable, data, n, &cut, 1, hex);
			CHECK_STR(hex, want);
		}
	}
}

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

int
main(void)
{
	const char *abc2 =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	const char *abc4 =
	    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
	/* "a" repeated n times, digests from coreutils sha256sum */
	static const struct {
		size_t n;
		const char *hex;
	} as[] = {
		{ 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318" },
		{ 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb" },
		{ 119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb" },
		{ 120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c" },
	};
	static char million[1000000];
	static unsigned char buf[2000 + 16];
	char hex[65], fast[65], slow[65];
	int mismatches = 0;

	printf("test-sha256: this CPU uses the %s path\n", sha256_impl());
#if defined(__x86_64__)
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1") &&
	    __builtin_cpu_supports("ssse3"))
		CHECK_STR(sha256_impl(), "sha-ni");
	else
		CHECK_STR(sha256_impl(), "portable");
#else
	CHECK_STR(sha256_impl(), "portable");
#endif

	check_vector("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check_vector("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check_vector(abc2, strlen(abc2), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	check_vector(abc4, strlen(abc4), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	memset(million, 'a', sizeof(million));
	for (size_t i = 0; i < sizeof(as) / sizeof(as[0]); i++)
		check_vector(million, as[i].n, as[i].hex);
	for (int portable = 0; portable <= 1; portable++) {
		digest(portable, (const unsigned char *)million,
		    sizeof(million), NULL, 0, hex);
		CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	/* sha256_hex is sha256_init's path in one call */
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

	/*
	 * Every length 0..2000 of random bytes at a random alignment: the
	 * portable code in one piece against sha256_init's path in one
	 * piece and cut at up to four random offsets (and the portable code
	 * cut the same way).  Counted once, so a broken path reports one
	 * failure, not two thousand.
	 */
	for (size_t n = 0; n <= 2000; n++) {
		unsigned char *data = buf + next(16);
		size_t cuts[4];
		int ncut = (int)next(5);

		for (size_t i = 0; i < n; i++)
			data[i] = (unsigned char)next(256);
		for (int i = 0; i < ncut; i++)
			cuts[i] = next((uint32_t)n + 1);
		qsort(cuts, (size_t)ncut, sizeof(cuts[0]), cmp_size);
		digest(1, data, n, NULL, 0, slow);
		digest(0, data, n, NULL, 0, fast);
		if (strcmp(fast, slow) != 0 && mismatches++ < 3)
			fprintf(stderr, "length %zu: %s path %s, portable %s\n",
			    n, sha256_impl(), fast, slow);
		digest(0, data, n, cuts, ncut, fast);
		if (strcmp(fast, slow) != 0 && mismatches++ < 3)
			fprintf(stderr, "length %zu cut %d times: %s path %s, "
			    "portable %s\n", n, ncut, sha256_impl(), fast, slow);
		digest(1, data, n, cuts, ncut, hex);
		if (strcmp(hex, slow) != 0 && mismatches++ < 3)
			fprintf(stderr, "length %zu cut %d times: portable %s, "
			    "in one piece %s\n", n, ncut, hex, slow);
	}
	CHECK_INT(mismatches, 0);
	return test_report();
}
