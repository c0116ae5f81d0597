/*
 * test-qr.c - unit tests of gen/pdf/qr.c: versions and sizes at each level,
 * the EPC limit (331 bytes = version 13 at level M), structure of the
 * matrix (finder patterns, dark module), refusals, concurrent encoding,
 * and a decode of every symbol with zbarimg compared byte for byte.
 *
 * Decoding: the matrix is written as a PGM with a 4-module quiet zone,
 * 4 pixels per module, and read back with
 *     zbarimg --quiet --raw --nodbus -Sbinary FILE
 * -Sbinary is what makes the bytes exact: without it zbar guesses a
 * character set for byte-mode data and converts it to UTF-8 (Lithuanian
 * "už" came back as Shift-JIS "u鱉", 0xE9 as "é") and appends a newline.
 * With it the output is the encoded bytes, NULs included, and nothing else.
 * --nodbus stops zbarimg's D-Bus error lines on stderr.  When zbarimg is
 * missing (Debian package zbar-tools) the decode checks print
 * "SKIP: zbarimg not installed" and the rest still runs; under make
 * check, which installs it, it fails.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "qr.h"
#include "testlib.h"
#include "testtools.h"

#define QUIET	4	/* light modules around the symbol (ISO 18004) */
#define SCALE	4	/* pixels per module */

static int have_zbarimg;

/* An EPC069-12 payload with Lithuanian UTF-8 text, as epcqr.c builds it. */
static const char epc_payload[] =
    "BCD\n002\n1\nSCT\n\n"
    "UAB \xe2\x80\x9e\xc5\xa0viesos ry\xc5\xa1ys\xe2\x80\x9c\n"
    "LT121000011101001000\nEUR12.30\n\n\n"
    "Mok\xc4\x97jimas u\xc5\xbe s\xc4\x85skait\xc4\x85 A-1001 "
    "\xc4\x85\xc4\x8d\xc4\x99\xc4\x97\xc4\xaf\xc5\xa1\xc5\xb3\xc5\xab\xc5\xbe";

/* Write m as a binary PGM with quiet zone; returns 0 on success. */
static int
write_pgm(const struct qr_matrix *m, const char *path)
{
	FILE *f;
	int w, x, y, mx, my, dark;

	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	w = (m->size + 2 * QUIET) * SCALE;
	fprintf(f, "P5\n%d %d\n255\n", w, w);
	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x++) {
			my = y / SCALE - QUIET;
			mx = x / SCALE - QUIET;
			dark = my >= 0 && mx >= 0 && my < m->size &&
			    mx < m->size && m->modules[my * m->size + mx];
			fputc(dark ? 0 : 255, f);
		}
	}
	return fclose(f) == 0 ? 0 : -1;
}

/*
 * Decode the image at path with zbarimg into out (at most sz bytes);
 * returns the number of bytes read, or -1 when zbarimg failed.
 */
static long
zbar_decode(const char *path, unsigned char *out, size_t sz)
{
	char cmd[512];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "zbarimg --quiet --raw --nodbus -Sbinary "
	    "'%s' 2>/dev/null", path);
	if ((p = popen(cmd, "r")) == NULL)
		return -1;
	n = fread(out, 1, sz, p);
	if (pclose(p) != 0)
		return -1;
	return (long)n;
}

/* Encode data at level, decode the symbol, compare byte for byte. */
static void
round_trip(const void *data, size_t len, enum qr_ecl level, int max_version)
{
	static int seq;
	struct qr_matrix m = {0};
	struct gen_err err = {0};
	unsigned char got[4096];
	char path[128];
	long n;

	CHECK_INT(qr_encode(data, len, level, max_version, &m, &err), GEN_OK);
	if (m.modules == NULL) {
		fprintf(stderr, "  message: %s\n", err.msg);
		return;
	}
	CHECK(m.version <= max_version);
	CHECK_INT(m.size, 17 + 4 * m.version);
	if (!have_zbarimg)
		goto out;
	snprintf(path, sizeof(path), "/tmp/invgen-test-qr-%ld-%d.pgm",
	    (long)getpid(), seq++);
	CHECK_INT(write_pgm(&m, path), 0);
	n = zbar_decode(path, got, sizeof(got));
	CHECK_INT(n, (long)len);
	CHECK(n == (long)len && memcmp(got, data, len) == 0);
	unlink(path);
out:
	qr_matrix_free(&m);
}

/* A 7x7 finder pattern with its top-left module at (r, c). */
static int
is_finder(const struct qr_matrix *m, int r, int c)
{
	int i, j, ring, want;

	for (i = 0; i < 7; i++) {
		for (j = 0; j < 7; j++) {
			ring = (i == 0 || i == 6 || j == 0 || j == 6);
			want = ring || (i >= 2 && i <= 4 && j >= 2 && j <= 4);
			if (m->modules[(r + i) * m->size + (c + j)] != want)
				return 0;
		}
	}
	return 1;
}

static void
test_versions(void)
{
	struct qr_matrix m = {0};
	struct gen_err err = {0};
	unsigned char big[3000];
	size_t i, dark = 0;

	memset(big, 'x', sizeof(big));

	/* Byte-mode capacities of ISO/IEC 18004 table 7. */
	CHECK_INT(qr_encode(big, 14, QR_ECL_M, 40, &m, &err), GEN_OK);
	CHECK_INT(m.version, 1);
	CHECK_INT(m.size, 21);
	for (i = 0; i < 21 * 21; i++) {
		CHECK(m.modules[i] <= 1);
		dark += m.modules[i];
	}
	CHECK(dark > 100 && dark < 21 * 21 - 100);
	CHECK(is_finder(&m, 0, 0));
	CHECK(is_finder(&m, 0, 14));
	CHECK(is_finder(&m, 14, 0));
	CHECK(!is_finder(&m, 14, 14));
	/* The dark module beside the bottom-left finder: (4V + 9, 8). */
	CHECK_INT(m.modules[13 * 21 + 8], 1);
	/* Separator row under the top-left finder is light. */
	for (i = 0; i < 8; i++)
		CHECK_INT(m.modules[7 * 21 + i], 0);
	qr_matrix_free(&m);
	CHECK(m.modules == NULL && m.size == 0 && m.version == 0);

	CHECK_INT(qr_encode(big, 15, QR_ECL_M, 40, &m, &err), GEN_OK);
	CHECK_INT(m.version, 2);
	qr_matrix_free(&m);
	CHECK_INT(qr_encode(big, 17, QR_ECL_L, 40, &m, &err), GEN_OK);
	CHECK_INT(m.version, 1);
	qr_matrix_free(&m);
	CHECK_INT(qr_encode(big, 8, QR_ECL_H, 40, &m, &err), GEN_OK);
	CHECK_INT(m.version, 2);
	qr_matrix_free(&m);
	CHECK_INT(qr_encode(big, 11, QR_ECL_Q, 40, &m, &err), GEN_OK);
	CHECK_INT(m.version, 1);
	qr_matrix_free(&m);

	/* EPC069-12: 331 bytes is version 13 at level M ... */
	CHECK_INT(qr_encode(big, 331, QR_ECL_M, 13, &m, &err), GEN_OK);
	CHECK_INT(m.version, 13);
	CHECK_INT(m.size, 69);
	qr_matrix_free(&m);
	/* ... and one byte more needs version 14. */
	CHECK_INT(qr_encode(big, 332, QR_ECL_M, 13, &m, &err), GEN_EINPUT);
	CHECK_MSG(err, "qr: 332 bytes need QR version 14 at level M; allowed: "
	    "version 13 at most");
	CHECK(m.modules == NULL);
	CHECK_INT(qr_encode(big, 332, QR_ECL_M, 14, &m, &err), GEN_OK);
	CHECK_INT(m.version, 14);
	qr_matrix_free(&m);

	/* Version 40-L holds 2953 bytes, nothing holds 2954. */
	CHECK_INT(qr_encode(big, 2953, QR_ECL_L, 40, &m, &err), GEN_OK);
	CHECK_INT(m.version, 40);
	CHECK_INT(m.size, 177);
	qr_matrix_free(&m);
	CHECK_INT(qr_encode(big, 2954, QR_ECL_L, 40, &m, &err), GEN_EINPUT);
	CHECK_MSG(err, "qr: 2954 bytes do not fit in any QR version at level "
	    "L");
	CHECK(m.modules == NULL);
}

static void
test_refusals(void)
{
	struct qr_matrix m = {0};
	struct gen_err err = {0};

	CHECK_INT(qr_encode("", 0, QR_ECL_M, 13, &m, &err), GEN_EINPUT);
	CHECK_MSG(err, "qr: no data to encode");
	CHECK_INT(qr_encode(NULL, 5, QR_ECL_M, 13, &m, &err), GEN_EINPUT);
	CHECK_MSG(err, "qr: no data to encode");
	CHECK_INT(qr_encode("abc", 3, QR_ECL_M, 0, &m, &err), GEN_EINTERNAL);
	CHECK_MSG(err, "qr: max_version 0; allowed: 1..40");
	CHECK_INT(qr_encode("abc", 3, QR_ECL_M, 41, &m, &err), GEN_EINTERNAL);
	CHECK_MSG(err, "max_version 41");
	CHECK_INT(qr_encode("abc", 3, (enum qr_ecl)7, 13, &m, &err),
	    GEN_EINTERNAL);
	CHECK_MSG(err, "qr: error-correction level 7 unknown");
	CHECK(m.modules == NULL);
	qr_matrix_free(&m);
	qr_matrix_free(NULL);
}

static void
test_decode(void)
{
	static const unsigned char binary[] = { 'a', 0, 'b', 0xff, 0x80, 0 };
	unsigned char big[331];
	size_t i;

	have_zbarimg = have_tool("zbarimg");

	round_trip(epc_payload, strlen(epc_payload), QR_ECL_M, 13);
	round_trip("HELLO", 5, QR_ECL_M, 13);
	round_trip("u\xc5\xbe", 3, QR_ECL_M, 13);	/* "už" */
	round_trip("caf\xe9", 4, QR_ECL_M, 13);	/* Latin-1 bytes */
	round_trip("line\n", 5, QR_ECL_L, 40);	/* trailing LF kept */
	round_trip(binary, sizeof(binary), QR_ECL_H, 40);
	/* A full EPC-sized payload of varied bytes. */
	for (i = 0; i < sizeof(big); i++)
		big[i] = (unsigned char)(' ' + i % 90);
	round_trip(big, sizeof(big), QR_ECL_M, 13);
	round_trip("https://example.com/i/A-1001", 28, QR_ECL_Q, 40);
}

/* Threads encode the same data at once; all must get the same symbol. */
struct job {
	const struct qr_matrix	*want;
	int			 bad;
};

static void *
encode_many(void *arg)
{
	struct job *j = arg;
	struct qr_matrix m;
	struct gen_err err;
	int i;

	for (i = 0; i < 50; i++) {
		memset(&m, 0, sizeof(m));
		if (qr_encode(epc_payload, strlen(epc_payload), QR_ECL_M, 13,
		    &m, &err) != GEN_OK || m.size != j->want->size ||
		    memcmp(m.modules, j->want->modules,
		    (size_t)m.size * (size_t)m.size) != 0)
			j->bad++;
		qr_matrix_free(&m);
	}
	return NULL;
}

static void
test_threads(void)
{
	struct qr_matrix want = {0};
	struct gen_err err = {0};
	pthread_t t[4];
	struct job jobs[4];
	int i;

	CHECK_INT(qr_encode(epc_payload, strlen(epc_payload), QR_ECL_M, 13,
	    &want, &err), GEN_OK);
	for (i = 0; i < 4; i++) {
		jobs[i].want = &want;
		jobs[i].bad = 0;
		CHECK_INT(pthread_create(&t[i], NULL, encode_many, &jobs[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		CHECK_INT(pthread_join(t[i], NULL), 0);
		CHECK_INT(jobs[i].bad, 0);
	}
	qr_matrix_free(&want);
}

int
main(void)
{
	test_versions();
	test_refusals();
	test_decode();
	test_threads();
	return test_report();
}
