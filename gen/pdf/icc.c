/*
 * icc.c - the sRGB ICC profile of invgen's PDF/A output intent
 * (icc_srgb), computed from the published parameters of IEC 61966-2-1;
 * icc.h says what the profile holds and why it is computed.
 *
 * The only floating point of the PDF back end: 3x3 matrix maths for the
 * colorants and one pow per tone-curve sample, each number rounded to
 * its fixed-point field, so the bytes never change.
 *
 * Must not: read the clock, the locale or the environment, touch files
 * or print.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "icc.h"

/* Samples of the tone curve (see icc.h). */
#define ICC_TRC_N	256

static void
mat_mul(const double a[3][3], const double b[3][3], double r[3][3])
{
	int i, j, k;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			r[i][j] = 0;
			for (k = 0; k < 3; k++)
				r[i][j] += a[i][k] * b[k][j];
		}
}

static void
mat_vec(const double a[3][3], const double v[3], double r[3])
{
	int i;

	for (i = 0; i < 3; i++)
		r[i] = a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2];
}

/* The inverse of m (the matrices here are far from singular). */
static void
mat_inv(const double m[3][3], double r[3][3])
{
	double det;
	int i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			r[j][i] = m[(i + 1) % 3][(j + 1) % 3] *
			    m[(i + 2) % 3][(j + 2) % 3] -
			    m[(i + 1) % 3][(j + 2) % 3] *
			    m[(i + 2) % 3][(j + 1) % 3];
	det = m[0][0] * r[0][0] + m[0][1] * r[1][0] + m[0][2] * r[2][0];
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			r[i][j] /= det;
}

/* XYZ (Y = 1) of CIE chromaticity x, y. */
static void
xy_to_xyz(double x, double y, double r[3])
{
	r[0] = x / y;
	r[1] = 1;
	r[2] = (1 - x - y) / y;
}

/*
 * The D50-adapted sRGB colorants: c[j] is the XYZ of primary j (R, G, B)
 * at full intensity.  Exported to the tests through the profile bytes.
 */
static void
srgb_colorants(double c[3][3])
{
	/* IEC 61966-2-1: primaries and white point, CIE 1931 xy. */
	static const double prim[3][2] = {
		{ 0.64, 0.33 }, { 0.30, 0.60 }, { 0.15, 0.06 }
	};
	/* The Bradford cone response matrix. */
	static const double brad[3][3] = {
		{ 0.8951, 0.2664, -0.1614 },
		{ -0.7502, 1.7135, 0.0367 },
		{ 0.0389, -0.0685, 1.0296 }
	};
	static const double d50[3] = { 0.9642, 1.0, 0.8249 };
	double p[3][3], pi[3][3], w[3], s[3], m[3][3], bi[3][3], cs[3], cd[3];
	double d[3][3], t[3][3], a[3][3], v[3];
	int i, j;

	for (j = 0; j < 3; j++) {
		xy_to_xyz(prim[j][0], prim[j][1], v);
		for (i = 0; i < 3; i++)
			p[i][j] = v[i];
	}
	xy_to_xyz(0.3127, 0.3290, w);
	mat_inv(p, pi);
	mat_vec(pi, w, s);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			m[i][j] = p[i][j] * s[j];	/* RGB -> XYZ, D65 */
	mat_vec(brad, w, cs);
	mat_vec(brad, d50, cd);
	memset(d, 0, sizeof(d));
	for (i = 0; i < 3; i++)
		d[i][i] = cd[i] / cs[i];
	mat_inv(brad, bi);
	mat_mul(bi, d, t);
	mat_mul(t, brad, a);			/* D65 -> D50 */
	mat_mul(a, m, t);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			c[j][i] = t[i][j];
}

/* A fixed-point number v * scale, rounded half up, as 32 bits. */
static void
icc_fixed(struct buf *b, double v, double scale)
{
	double r = floor(v * scale + 0.5);

	buf_put_u32be(b, (uint32_t)(int32_t)r);
}

/* An XYZType tag body. */
static void
icc_xyz(struct buf *b, const double v[3])
{
	int i;

	buf_puts(b, "XYZ ");
	buf_put_u32be(b, 0);
	for (i = 0; i < 3; i++)
		icc_fixed(b, v[i], 65536.0);
}

/* Pad b to a multiple of 4 bytes (tag data alignment). */
static void
icc_align(struct buf *b)
{
	while (b->len % 4 != 0)
		buf_putc(b, '\0');
}

/* The sRGB profile described above, appended to out. */
void
icc_srgb(struct buf *out)
{
	static const char desc[] = ICC_SRGB_NAME;
	static const char cprt[] = "No copyright, use freely";
	static const char *const sigs[] = {
		"desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC",
		"gTRC", "bTRC"
	};
	enum { NTAGS = 9, DATA = 128 + 4 + NTAGS * 12 };
	struct buf data = { 0 };
	size_t off[NTAGS], len[NTAGS], i;
	double col[3][3], w[3], v, lin;
	unsigned char zero[80];

	memset(zero, 0, sizeof(zero));
	srgb_colorants(col);
	xy_to_xyz(0.3127, 0.3290, w);

	/* desc: textDescriptionType, ASCII only (no Unicode, no Mac). */
	off[0] = data.len;
	buf_puts(&data, "desc");
	buf_put_u32be(&data, 0);
	buf_put_u32be(&data, sizeof(desc));
	buf_append(&data, desc, sizeof(desc));
	buf_append(&data, zero, 4 + 4 + 2 + 1 + 67);
	len[0] = data.len - off[0];
	icc_align(&data);
	off[1] = data.len;
	buf_puts(&data, "text");
	buf_put_u32be(&data, 0);
	buf_append(&data, cprt, sizeof(cprt));
	len[1] = data.len - off[1];
	icc_align(&data);
	off[2] = data.len;
	icc_xyz(&data, w);
	len[2] = data.len - off[2];
	for (i = 0; i < 3; i++) {
		off[3 + i] = data.len;
		icc_xyz(&data, col[i]);
		len[3 + i] = data.len - off[3 + i];
	}
	off[6] = off[7] = off[8] = data.len;
	buf_puts(&data, "curv");
	buf_put_u32be(&data, 0);
	buf_put_u32be(&data, ICC_TRC_N);
	for (i = 0; i < ICC_TRC_N; i++) {
		v = (double)i / (ICC_TRC_N - 1);
		lin = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
		buf_put_u16be(&data, (uint16_t)floor(lin * 65535.0 + 0.5));
	}
	len[6] = len[7] = len[8] = data.len - off[6];
	icc_align(&data);

	buf_put_u32be(out, (uint32_t)(DATA + data.len));	/* size */
	buf_put_u32be(out, 0);			/* preferred CMM: none */
	buf_put_u32be(out, 0x02100000);		/* version 2.1.0 */
	buf_puts(out, "mntrRGB XYZ ");		/* class, data space, PCS */
	buf_put_u16be(out, 2024);		/* creation date, fixed */
	buf_put_u16be(out, 1);
	buf_put_u16be(out, 1);
	buf_put_u16be(out, 0);
	buf_put_u16be(out, 0);
	buf_put_u16be(out, 0);
	buf_puts(out, "acsp");
	buf_append(out, zero, 4 + 4 + 4 + 4 + 8);	/* platform .. attrs */
	buf_put_u32be(out, 0);			/* intent: perceptual */
	icc_fixed(out, 0.9642, 65536.0);	/* PCS illuminant D50 */
	icc_fixed(out, 1.0, 65536.0);
	icc_fixed(out, 0.8249, 65536.0);
	buf_append(out, zero, 4 + 16 + 28);	/* creator, ID, reserved */
	buf_put_u32be(out, NTAGS);
	for (i = 0; i < NTAGS; i++) {
		buf_puts(out, sigs[i]);
		buf_put_u32be(out, (uint32_t)(DATA + off[i]));
		buf_put_u32be(out, (uint32_t)len[i]);
	}
	buf_append(out, data.data, data.len);
	buf_free(&data);
}
