/*
 * test-sha256.c - SHA-256 against the FIPS 180-4 / NIST example vectors,
 * and incremental updates split at every offset.
 */
#include <string.h>

#include "sha256.h"
#include "testlib.h"

int
main(void)
{
	char hex[65];
	const char *abc2 =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct sha256 c;
	unsigned char d[32];
	static char million[1000000];

	sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex(abc2, strlen(abc2), hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	sha256_hex(million, sizeof(million), hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* split updates give the same digest */
	for (size_t cut = 0; cut <= strlen(abc2); cut++) {
		sha256_init(&c);
		sha256_update(&c, abc2, cut);
		sha256_update(&c, abc2 + cut, strlen(abc2) - cut);
		sha256_final(&c, d);
		sha256_to_hex(d, hex);
		CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	}
	return test_report();
}
