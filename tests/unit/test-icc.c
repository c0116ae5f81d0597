/*
 * test-icc.c - unit tests of gen/pdf/icc.c: the sRGB profile of the PDF/A
 * output intent, checked field by field against ICC.1:2001-04 and
 * IEC 61966-2-1 and read by two outside programs; the same bytes on
 * every call, appended to what the buffer held; and its SHA-256, so that
 * any change to a byte (which would change every Factur-X invoice issued
 * from then on) fails here first.
 *
 * Tools (Debian 12 packages): liblcms2-utils (transicc), argyll
 * (iccdump).  A missing tool prints "SKIP: ..." and its checks are not
 * run (under make check, which installs them, it fails instead).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "icc.h"
#include "sha256.h"
#include "testlib.h"
#include "testtools.h"

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static double
s15(const unsigned char *p)
{
	return (int32_t)be32(p) / 65536.0;
}

/* The tag sig of profile p (len bytes): its data, or NULL. */
static const unsigned char *
icc_tag(const unsigned char *p, size_t len, const char *sig,
    uint32_t *size)
{
	uint32_t n = be32(p + 128), i, off;

	for (i = 0; i < n && 132 + 12 * (i + 1) <= len; i++)
		if (memcmp(p + 132 + 12 * i, sig, 4) == 0) {
			off = be32(p + 136 + 12 * i);
			*size = be32(p + 140 + 12 * i);
			if (off % 4 != 0 || off + *size > len)
				return NULL;
			return p + off;
		}
	return NULL;
}

/*
 * The profile against the standards and two outside readers: header
 * fields, colorants against published values and the D50 white, every
 * tone-curve sample against the IEC 61966-2-1 formula (and away from
 * rounding boundaries), lcms2's transicc against its built-in sRGB,
 * Argyll's iccdump.  dir is a scratch folder.
 */
static void
check_icc(const char *dir, const struct buf *icc)
{
	/*
	 * The D50 (Bradford-adapted) sRGB colorants as published in Bruce
	 * Lindbloom's "RGB/XYZ Matrices" table (sRGB, D50 reference white),
	 * which uses D50 Z 0.82521 against ICC's 0.8249: hence 5e-4.
	 */
	static const double want[3][3] = {
		{ 0.4360747, 0.2225045, 0.0139322 },
		{ 0.3850649, 0.7168786, 0.0971045 },
		{ 0.1430804, 0.0606169, 0.7141733 },
	};
	static const double d50[3] = { 0.9642, 1.0, 0.8249 };
	static const char *const col[3] = { "rXYZ", "gXYZ", "bXYZ" };
	const unsigned char *p = (const unsigned char *)icc->data, *t, *trc;
	char path[600], cmd[1600];
	struct buf out = { 0 }, ref = { 0 };
	double sum[3] = { 0, 0, 0 }, v, lin, x, a[3], b[3];
	uint32_t size, trc_size, n, i;
	int j, bad = 0, near = 0, got, k;
	const char *q, *r;

	CHECK(icc->len > 300);
	if (icc->len <= 300)
		return;
	CHECK_INT(be32(p), icc->len);
	CHECK_INT(be32(p + 8), 0x02100000);
	CHECK(memcmp(p + 12, "mntrRGB XYZ ", 12) == 0);
	CHECK(memcmp(p + 36, "acsp", 4) == 0);
	CHECK_INT(be32(p + 68), 0xf6d6);	/* D50 X 0.9642 */
	CHECK_INT(be32(p + 72), 0x10000);
	CHECK_INT(be32(p + 76), 0xd32d);	/* D50 Z 0.8249 */
	t = icc_tag(p, icc->len, "desc", &size);
	CHECK(t != NULL && size > 30 && memcmp(t, "desc", 4) == 0 &&
	    be32(t + 8) == 18 && memcmp(t + 12, "sRGB IEC61966-2.1", 18) ==
	    0);
	t = icc_tag(p, icc->len, "cprt", &size);
	CHECK(t != NULL && memcmp(t, "text", 4) == 0);
	t = icc_tag(p, icc->len, "wtpt", &size);
	CHECK(t != NULL && size == 20);
	if (t != NULL) {	/* D65: x 0.3127, y 0.3290 */
		CHECK(fabs(s15(t + 8) - 0.3127 / 0.3290) < 1e-4);
		CHECK(fabs(s15(t + 12) - 1.0) < 1e-4);
		CHECK(fabs(s15(t + 16) - (1 - 0.3127 - 0.3290) / 0.3290) <
		    1e-4);
	}
	for (j = 0; j < 3; j++) {
		t = icc_tag(p, icc->len, col[j], &size);
		CHECK(t != NULL && size == 20 && memcmp(t, "XYZ ", 4) == 0);
		if (t == NULL)
			return;
		for (k = 0; k < 3; k++) {
			v = s15(t + 8 + 4 * k);
			sum[k] += v;
			if (fabs(v - want[j][k]) > 5e-4)
				printf("%s[%d] = %.7f, want %.7f\n", col[j], k,
				    v, want[j][k]);
			CHECK(fabs(v - want[j][k]) <= 5e-4);
		}
	}
	/* R + G + B = the PCS white: within the rounding of three values. */
	for (k = 0; k < 3; k++)
		CHECK(fabs(sum[k] - d50[k]) <= 3.0 / 65536);

	/* One curve shared by the three channels. */
	trc = icc_tag(p, icc->len, "rTRC", &trc_size);
	CHECK(trc != NULL && icc_tag(p, icc->len, "gTRC", &size) == trc &&
	    icc_tag(p, icc->len, "bTRC", &size) == trc);
	if (trc == NULL)
		return;
	CHECK(memcmp(trc, "curv", 4) == 0);
	n = be32(trc + 8);
	CHECK(n >= 256 && trc_size == 12 + 2 * n);
	for (i = 0; i < n && 12 + 2 * i + 1 < trc_size; i++) {
		v = (double)i / (n - 1);
		lin = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
		x = lin * 65535.0;
		got = trc[12 + 2 * i] << 8 | trc[13 + 2 * i];
		if (got != (int)floor(x + 0.5))
			bad++;
		/* a C library's last-bit pow error cannot flip a sample */
		if (fabs(x - floor(x) - 0.5) < 1e-6)
			near++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(near, 0);

	snprintf(path, sizeof(path), "%s/srgb.icc", dir);
	CHECK(write_file(path, icc->data, icc->len));
	if (have_tool("iccdump")) {
		snprintf(cmd, sizeof(cmd), "iccdump -v 1 '%s' 2>&1", path);
		CHECK_INT(run(cmd, &out), 0);
		CHECK_HAS(out.data, "Device Class = Display");
		CHECK(strstr(out.data, "rror") == NULL);
	}
	if (have_tool("transicc")) {
		/* Our profile and lcms2's built-in sRGB agree to 0.05 in
		 * CIELAB on the primaries, white, greys and a mixed colour.
		 */
		static const char rgb[] = "255 255 255\n255 0 0\n0 255 0\n"
		    "0 0 255\n128 128 128\n10 10 10\n200 100 50\n0 0 0\n";

		snprintf(cmd, sizeof(cmd), "printf '%s' | transicc -i '%s' "
		    "-o '*Lab' -t 1 -n 2>/dev/null", rgb, path);
		CHECK_INT(run(cmd, &out), 0);
		snprintf(cmd, sizeof(cmd), "printf '%s' | transicc -i '*sRGB' "
		    "-o '*Lab' -t 1 -n 2>/dev/null", rgb);
		CHECK_INT(run(cmd, &ref), 0);
		q = out.data;
		r = ref.data;
		for (k = 0; k < 8; k++) {
			while (*q != '\0' && sscanf(q, "%lf %lf %lf", &a[0],
			    &a[1], &a[2]) != 3)
				q = strchr(q, '\n') != NULL ?
				    strchr(q, '\n') + 1 : "";
			while (*r != '\0' && sscanf(r, "%lf %lf %lf", &b[0],
			    &b[1], &b[2]) != 3)
				r = strchr(r, '\n') != NULL ?
				    strchr(r, '\n') + 1 : "";
			CHECK(*q != '\0' && *r != '\0');
			if (*q == '\0' || *r == '\0')
				break;
			for (j = 0; j < 3; j++)
				if (fabs(a[j] - b[j]) > 0.05) {
					printf("transicc line %d: %s vs %s\n",
					    k + 1, q, r);
					CHECK(0);
				}
			q = strchr(q, '\n') != NULL ? strchr(q, '\n') + 1 : "";
			r = strchr(r, '\n') != NULL ? strchr(r, '\n') + 1 : "";
		}
	}
	buf_free(&out);
	buf_free(&ref);
}

/* The bytes as issued: a different profile would change the bytes of
 * every Factur-X invoice from then on (and no longer verify old ones). */
#define SRGB_SHA256 \
    "5df5fdd18d9871e3867ba03bc65416916ca40302348d0bc6282bde1fb5a2d93a"

int
main(void)
{
	char dir[] = "/tmp/test-icc-XXXXXX", hex[65], path[64];
	struct buf a = { 0 }, b = { 0 };
	unsigned char md[32];
	struct sha256 h;
	int i;

	icc_srgb(&a);
	CHECK_INT(a.len, 988);
	buf_puts(&b, "prefix");
	icc_srgb(&b);
	CHECK(b.len == 6 + a.len && memcmp(b.data, "prefix", 6) == 0 &&
	    memcmp(b.data + 6, a.data, a.len) == 0);

	sha256_init(&h);
	sha256_update(&h, a.data, a.len);
	sha256_final(&h, md);
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	CHECK_STR(hex, SRGB_SHA256);

	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	check_icc(dir, &a);
	snprintf(path, sizeof(path), "%s/srgb.icc", dir);
	unlink(path);
	rmdir(dir);
	buf_free(&a);
	buf_free(&b);
	return test_report();
}
