/*
 * pdfout_image.c - images of the PDF back end (pdfout_private.h): a
 * seller's logo, a PNG or JPEG file, checked (pdfout_image_check, also
 * for `invgen seller add`) and drawn as an image XObject.
 *
 * Exports pdfout_image_check() and pdfout_image_probe() (pdfout.h), and
 * po_image_id() and po_image_find() (pdfout_private.h).
 *
 * How the bytes reach the PDF, so that the same file always gives the
 * same PDF and a JPEG is never recompressed:
 *   - JPEG (baseline or progressive, 8-bit, grey or RGB): the file as it
 *     is, /Filter /DCTDecode;
 *   - PNG without transparency, grey or RGB: its image data (the zlib
 *     stream of the IDAT chunks) as it is, /Filter /FlateDecode with the
 *     PNG predictors (/DecodeParms /Predictor 15), as ISO 32000-1 7.4.4.4
 *     allows;
 *   - any other PNG (a palette, an alpha channel, a tRNS transparent
 *     colour): decoded here (inflate, the five row filters), the colour
 *     as 8-bit grey or RGB and the opacity as an 8-bit /SMask image, both
 *     deflated.
 * The last image a thread prepared is kept for its next document
 * (prepared below).
 * Refused, with a message saying what to save instead: interlaced PNGs,
 * 16-bit PNG channels, CMYK, 12-bit, lossless and arithmetic-coded JPEGs,
 * images larger than IMAGE_MAX_SIDE pixels a side or IMAGE_MAX_PIXELS in
 * all.  Chunk CRCs are not checked (the image data's own zlib checksum
 * is): the database keeps the bytes by their SHA-256 anyway.
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or use floating point.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdfout_private.h"
#include "tls.h"

#define IMAGE_MAX_SIDE		8192
#define IMAGE_MAX_PIXELS	(4 * 1024 * 1024)

/* A parsed image. */
struct img {
	int		 jpeg;
	uint32_t	 w, h;
	int		 comps;		/* JPEG: 1 or 3 */
	int		 depth, ctype;	/* PNG: IHDR */
	const uint8_t	*plte;		/* PNG: PLTE, nplte entries */
	size_t		 nplte;
	const uint8_t	*trns;		/* PNG: tRNS, ntrns bytes */
	size_t		 ntrns;
	struct buf	 idat;		/* PNG: the IDAT chunks joined */
};

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static unsigned
be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static enum gen_rc
check_size(uint32_t w, uint32_t h, struct gen_err *err)
{
	if (w == 0 || h == 0 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE ||
	    (uint64_t)w * h > IMAGE_MAX_PIXELS)
		return gen_err_set(err, GEN_EINPUT, "image: %ux%u pixels; "
		    "allowed: 1 to %d a side and %d pixels in all",
		    (unsigned)w, (unsigned)h, IMAGE_MAX_SIDE,
		    IMAGE_MAX_PIXELS);
	return GEN_OK;
}

/* Channels of a PNG colour type. */
static int
png_channels(int ctype)
{
	switch (ctype) {
	case 0: return 1;
	case 2: return 3;
	case 3: return 1;
	case 4: return 2;
	case 6: return 4;
	}
	return 0;
}

/* Bytes of one unfiltered row. */
static size_t
png_rowbytes(const struct img *im)
{
	return ((size_t)im->w * (size_t)png_channels(im->ctype) *
	    (size_t)im->depth + 7) / 8;
}

/* Parse a PNG's chunks into im (im->idat owned).  GEN_EINPUT otherwise. */
static enum gen_rc
parse_png(const uint8_t *d, size_t len, struct img *im, struct gen_err *err)
{
	size_t o = 8;
	int have_ihdr = 0, have_iend = 0;

	while (o + 12 <= len && !have_iend) {
		uint32_t n = be32(d + o);
		const uint8_t *type = d + o + 4, *data = d + o + 8;

		if (n > len - o - 12)
			return gen_err_set(err, GEN_EINPUT, "image: PNG chunk "
			    "at byte %zu runs past the end of the file; "
			    "allowed: a complete PNG file", o);
		if (!have_ihdr && memcmp(type, "IHDR", 4) != 0)
			return gen_err_set(err, GEN_EINPUT, "image: PNG "
			    "without IHDR first; allowed: a valid PNG file");
		if (memcmp(type, "IHDR", 4) == 0) {
			if (n != 13 || have_ihdr)
				return gen_err_set(err, GEN_EINPUT, "image: "
				    "bad PNG IHDR chunk; allowed: a valid PNG "
				    "file");
			have_ihdr = 1;
			im->w = be32(data);
			im->h = be32(data + 4);
			im->depth = data[8];
			im->ctype = data[9];
			if (data[10] != 0 || data[11] != 0)
				return gen_err_set(err, GEN_EINPUT, "image: "
				    "PNG compression %d, filter %d; allowed: "
				    "0 and 0", data[10], data[11]);
			if (data[12] != 0)
				return gen_err_set(err, GEN_EINPUT, "image: "
				    "interlaced PNG; allowed: a PNG saved "
				    "without interlacing");
		} else if (memcmp(type, "PLTE", 4) == 0) {
			if (n == 0 || n % 3 != 0 || n > 768)
				return gen_err_set(err, GEN_EINPUT, "image: "
				    "PNG palette of %u bytes; allowed: 1 to "
				    "256 RGB entries", (unsigned)n);
			im->plte = data;
			im->nplte = n / 3;
		} else if (memcmp(type, "tRNS", 4) == 0) {
			im->trns = data;
			im->ntrns = n;
		} else if (memcmp(type, "IDAT", 4) == 0) {
			buf_append(&im->idat, data, n);
		} else if (memcmp(type, "IEND", 4) == 0) {
			have_iend = 1;
		} else if (!(type[0] & 0x20)) {
			return gen_err_set(err, GEN_EINPUT, "image: PNG chunk "
			    "'%c%c%c%c' is critical and unknown; allowed: "
			    "IHDR, PLTE, IDAT, IEND and ancillary chunks",
			    type[0] >= 32 && type[0] < 127 ? type[0] : '?',
			    type[1] >= 32 && type[1] < 127 ? type[1] : '?',
			    type[2] >= 32 && type[2] < 127 ? type[2] : '?',
			    type[3] >= 32 && type[3] < 127 ? type[3] : '?');
		}
		o += 12 + (size_t)n;
	}
	if (!have_ihdr || !have_iend || im->idat.len == 0)
		return gen_err_set(err, GEN_EINPUT, "image: PNG without %s; "
		    "allowed: a complete PNG file", !have_ihdr ? "IHDR" :
		    !have_iend ? "IEND" : "image data");
	if (!((im->ctype == 0 && (im->depth == 1 || im->depth == 2 ||
	    im->depth == 4 || im->depth == 8)) ||
	    (im->ctype == 3 && (im->depth == 1 || im->depth == 2 ||
	    im->depth == 4 || im->depth == 8)) ||
	    ((im->ctype == 2 || im->ctype == 4 || im->ctype == 6) &&
	    im->depth == 8)))
		return gen_err_set(err, GEN_EINPUT, "image: PNG colour type "
		    "%d with %d bits; allowed: 8-bit grey, RGB, grey and "
		    "alpha, RGBA, or a palette (save it with 8 bits per "
		    "channel)", im->ctype, im->depth);
	if (im->ctype == 3 && im->plte == NULL)
		return gen_err_set(err, GEN_EINPUT, "image: PNG with a palette "
		    "colour type but no PLTE chunk; allowed: a valid PNG file");
	if (im->trns != NULL && ((im->ctype == 0 && im->ntrns != 2) ||
	    (im->ctype == 2 && im->ntrns != 6) ||
	    (im->ctype == 3 && im->ntrns > im->nplte) ||
	    im->ctype == 4 || im->ctype == 6))
		return gen_err_set(err, GEN_EINPUT, "image: bad PNG tRNS "
		    "chunk; allowed: a valid PNG file");
	return check_size(im->w, im->h, err);
}

/* Parse a JPEG's markers up to its frame header into im. */
static enum gen_rc
parse_jpeg(const uint8_t *d, size_t len, struct img *im, struct gen_err *err)
{
	size_t o = 2;
	unsigned m, n;

	for (;;) {
		while (o < len && d[o] == 0xFF && o + 1 < len &&
		    d[o + 1] == 0xFF)
			o++;		/* fill bytes */
		if (o + 4 > len || d[o] != 0xFF)
			break;
		m = d[o + 1];
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
			o += 2;
			continue;
		}
		if (m == 0xD9 || m == 0xDA)
			break;		/* no frame before the scan */
		n = be16(d + o + 2);
		if (n < 2 || n > len - o - 2)
			break;
		if (m == 0xC0 || m == 0xC1 || m == 0xC2) {
			if (n < 8)
				break;
			if (d[o + 4] != 8)
				return gen_err_set(err, GEN_EINPUT, "image: "
				    "%d-bit JPEG; allowed: 8-bit JPEG",
				    d[o + 4]);
			im->h = be16(d + o + 5);
			im->w = be16(d + o + 7);
			im->comps = d[o + 9];
			if (im->comps != 1 && im->comps != 3)
				return gen_err_set(err, GEN_EINPUT, "image: "
				    "JPEG with %d colour components; allowed: "
				    "grey or RGB (save CMYK as RGB)",
				    im->comps);
			im->jpeg = 1;
			return check_size(im->w, im->h, err);
		}
		if ((m >= 0xC3 && m <= 0xCF) && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC)
			return gen_err_set(err, GEN_EINPUT, "image: JPEG frame "
			    "type 0x%02X (lossless, hierarchical or arithmetic "
			    "coding); allowed: baseline or progressive JPEG",
			    m);
		o += 2 + n;
	}
	return gen_err_set(err, GEN_EINPUT, "image: JPEG without a frame "
	    "header; allowed: a complete JPEG file");
}

/* Parse data (PNG or JPEG) into im; GEN_EINPUT names what is wrong. */
static enum gen_rc
parse(const uint8_t *d, size_t len, struct img *im, struct gen_err *err)
{
	memset(im, 0, sizeof(*im));
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return parse_png(d, len, im, err);
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return parse_jpeg(d, len, im, err);
	return gen_err_set(err, GEN_EINPUT, "image: neither a PNG nor a JPEG "
	    "file; allowed: PNG or JPEG");
}

/* The Paeth predictor of the PNG specification. */
static uint8_t
paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	if (pa <= pb && pa <= pc)
		return (uint8_t)a;
	return (uint8_t)(pb <= pc ? b : c);
}

/*
 * The PNG's rows, unfiltered, into rows (h rows of png_rowbytes() bytes).
 * GEN_EINPUT for image data that does not inflate to the size the header
 * gives or a row filter other than 0..4.
 */
static enum gen_rc
png_rows(const struct img *im, struct buf *rows, struct gen_err *err)
{
	size_t rb = png_rowbytes(im), bpp, r, i;
	struct buf raw = { 0 };
	uint8_t *cur, *prev;
	const uint8_t *in;
	enum gen_rc rc = GEN_OK;

	bpp = ((size_t)png_channels(im->ctype) * (size_t)im->depth + 7) / 8;
	if (!po_inflate(im->idat.data, im->idat.len, (rb + 1) * im->h,
	    &raw)) {
		rc = gen_err_set(err, GEN_EINPUT, "image: the PNG's image data "
		    "is damaged or not %ux%u pixels; allowed: a valid PNG "
		    "file", (unsigned)im->w, (unsigned)im->h);
		goto out;
	}
	buf_reset(rows);
	buf_grow(rows, rb * im->h + 1);
	for (r = 0; r < im->h; r++) {
		in = (const uint8_t *)raw.data + r * (rb + 1);
		cur = (uint8_t *)rows->data + r * rb;
		prev = r > 0 ? cur - rb : NULL;
		if (in[0] > 4) {
			rc = gen_err_set(err, GEN_EINPUT, "image: PNG row %zu "
			    "has filter %d; allowed: 0 to 4", r, in[0]);
			goto out;
		}
		for (i = 0; i < rb; i++) {
			int a = i >= bpp ? cur[i - bpp] : 0;
			int b = prev != NULL ? prev[i] : 0;
			int c = prev != NULL && i >= bpp ? prev[i - bpp] : 0;
			int x = in[1 + i];

			switch (in[0]) {
			case 1: x += a; break;
			case 2: x += b; break;
			case 3: x += (a + b) / 2; break;
			case 4: x += paeth(a, b, c); break;
			}
			cur[i] = (uint8_t)x;
		}
	}
	rows->len = rb * im->h;
out:
	buf_free(&raw);
	return rc;
}

/* Sample k (depth bits) of a packed row. */
static unsigned
sample(const uint8_t *row, size_t k, int depth)
{
	size_t bit = k * (size_t)depth;

	if (depth == 8)
		return row[k];
	return (row[bit / 8] >> (8 - depth - (int)(bit % 8))) &
	    ((1u << depth) - 1);
}

/*
 * Decode a PNG that cannot pass as it is into 8-bit colour (grey: 1
 * channel, else RGB) and 8-bit opacity.  *opaque is 1 when every pixel
 * is opaque (no /SMask needed).
 */
static enum gen_rc
png_decode(const struct img *im, struct buf *color, int *gray,
    struct buf *alpha, int *opaque, struct gen_err *err)
{
	struct buf rows = { 0 };
	size_t rb = png_rowbytes(im), x, y, n = (size_t)im->w * im->h;
	unsigned maxv = (1u << im->depth) - 1, v;
	uint8_t *c, *a;
	enum gen_rc rc;

	if ((rc = png_rows(im, &rows, err)) != GEN_OK)
		goto out;
	*gray = im->ctype == 0 || im->ctype == 4;
	buf_reset(color);
	buf_grow(color, n * (*gray ? 1 : 3) + 1);
	buf_reset(alpha);
	buf_grow(alpha, n + 1);
	c = (uint8_t *)color->data;
	a = (uint8_t *)alpha->data;
	*opaque = 1;
	for (y = 0; y < im->h; y++) {
		const uint8_t *row = (const uint8_t *)rows.data + y * rb;

		for (x = 0; x < im->w; x++) {
			uint8_t op = 255;

			switch (im->ctype) {
			case 0:
				v = sample(row, x, im->depth);
				*c++ = (uint8_t)(v * 255 / maxv);
				if (im->trns != NULL && v == be16(im->trns))
					op = 0;
				break;
			case 2:
				memcpy(c, row + 3 * x, 3);
				if (im->trns != NULL &&
				    row[3 * x] == be16(im->trns) &&
				    row[3 * x + 1] == be16(im->trns + 2) &&
				    row[3 * x + 2] == be16(im->trns + 4))
					op = 0;
				c += 3;
				break;
			case 3:
				v = sample(row, x, im->depth);
				if (v >= im->nplte) {
					rc = gen_err_set(err, GEN_EINPUT,
					    "image: PNG pixel uses palette "
					    "entry %u of %zu; allowed: a valid "
					    "PNG file", v, im->nplte);
					goto out;
				}
				memcpy(c, im->plte + 3 * v, 3);
				c += 3;
				if (v < im->ntrns)
					op = im->trns[v];
				break;
			case 4:
				*c++ = row[2 * x];
				op = row[2 * x + 1];
				break;
			case 6:
				memcpy(c, row + 4 * x, 3);
				c += 3;
				op = row[4 * x + 3];
				break;
			}
			*a++ = op;
			if (op != 255)
				*opaque = 0;
		}
	}
	color->len = (size_t)(c - (uint8_t *)color->data);
	alpha->len = n;
out:
	buf_free(&rows);
	return rc;
}

/*
 * pdfout_image_check() (decode: a PNG's data is decoded too) and
 * pdfout_image_probe() (headers only).  info is filled only on success.
 */
static enum gen_rc
examine(const void *data, size_t len, int decode,
    struct pdfout_image_info *info, struct gen_err *err)
{
	struct img im;
	struct buf c = { 0 }, a = { 0 };
	int gray, opaque;
	enum gen_rc rc;

	memset(info, 0, sizeof(*info));
	if ((rc = parse(data, len, &im, err)) == GEN_OK && decode && !im.jpeg)
		rc = png_decode(&im, &c, &gray, &a, &opaque, err);
	if (rc == GEN_OK) {
		info->media_type = im.jpeg ? "image/jpeg" : "image/png";
		info->width = im.w;
		info->height = im.h;
	}
	buf_free(&im.idat);
	buf_free(&c);
	buf_free(&a);
	return rc;
}

enum gen_rc
pdfout_image_check(const void *data, size_t len,
    struct pdfout_image_info *info, struct gen_err *err)
{
	return examine(data, len, 1, info, err);
}

enum gen_rc
pdfout_image_probe(const void *data, size_t len,
    struct pdfout_image_info *info, struct gen_err *err)
{
	return examine(data, len, 0, info, err);
}

/*
 * What an image's bytes become in a PDF: its size and colour, and the
 * stream data (the JPEG or the PNG's image data as they are, or the
 * decoded colour and opacity, deflated).  A pure function of the bytes.
 */
struct prepared {
	unsigned char	*key;		/* the image's bytes */
	size_t		 keylen;
	int		 jpeg, pass;	/* JPEG; PNG image data as it is */
	uint32_t	 w, h;
	int		 gray, depth, colors;
	struct buf	 color;		/* stream data */
	struct buf	 alpha;		/* deflated opacity; empty: opaque */
};

/*
 * The last image the calling thread prepared: a seller's logo is on
 * every document of the seller, and decoding and deflating it again was
 * a third of the render of a one-page invoice.  Freed when the thread
 * ends (tls.h).
 */

static void
prep_clear(struct prepared *pr)
{
	free(pr->key);
	buf_free(&pr->color);
	buf_free(&pr->alpha);
	memset(pr, 0, sizeof(*pr));
}

static void
prep_free(void *v)
{
	if (v != NULL)
		prep_clear(v);
	free(v);
}

static struct tls_key prep_key = TLS_KEY(sizeof(struct prepared), prep_free);

/* Prepare pr (cleared first) from the image's bytes; GEN_EINPUT for bytes
 * pdfout_image_check() refuses, GEN_EPDF when zlib fails. */
static enum gen_rc
prepare(struct pdf *p, const unsigned char *data, size_t len,
    struct prepared *pr, struct gen_err *err)
{
	struct img im;
	struct buf a = { 0 };
	int opaque;
	enum gen_rc rc;

	prep_clear(pr);
	if ((rc = parse(data, len, &im, err)) != GEN_OK)
		goto out;
	pr->w = im.w;
	pr->h = im.h;
	pr->depth = 8;
	if (im.jpeg) {
		pr->jpeg = 1;
		pr->gray = im.comps == 1;
		buf_append(&pr->color, data, len);
	} else if ((im.ctype == 0 || im.ctype == 2) && im.trns == NULL) {
		/* The data must inflate to what the header says. */
		if ((rc = png_rows(&im, &a, err)) != GEN_OK)
			goto out;
		pr->pass = 1;
		pr->gray = im.ctype == 0;
		pr->depth = im.depth;
		pr->colors = png_channels(im.ctype);
		buf_append(&pr->color, im.idat.data, im.idat.len);
	} else {
		struct buf c = { 0 };

		rc = png_decode(&im, &c, &pr->gray, &a, &opaque, err);
		if (rc == GEN_OK && po_deflate(p, c.data, c.len))
			buf_append(&pr->color, p->zout.data, p->zout.len);
		if (rc == GEN_OK && !opaque && po_deflate(p, a.data, a.len))
			buf_append(&pr->alpha, p->zout.data, p->zout.len);
		buf_free(&c);
		if (rc == GEN_OK && p->zrc != 0)
			rc = po_error(p, err, "pdf: image");
		if (rc != GEN_OK)
			goto out;
	}
	pr->key = xmalloc(len > 0 ? len : 1);
	memcpy(pr->key, data, len);
	pr->keylen = len;
out:
	if (rc != GEN_OK)
		prep_clear(pr);
	buf_free(&im.idat);
	buf_free(&a);
	return rc;
}

/* An image XObject's common entries. */
static void
image_dict(struct pdf *p, struct pdf_obj *o, const struct prepared *pr,
    int gray, int depth)
{
	po_put_name(p, o, "Type", "XObject");
	po_put_name(p, o, "Subtype", "Image");
	po_put_num(p, o, "Width", (int32_t)pr->w);
	po_put_num(p, o, "Height", (int32_t)pr->h);
	po_put_name(p, o, "ColorSpace", gray ? "DeviceGray" : "DeviceRGB");
	po_put_num(p, o, "BitsPerComponent", depth);
}

/* The XObject of an image; NULL (and err set, or p->st) on failure. */
static struct pdf_obj *
image_object(struct pdf *p, const unsigned char *data, size_t len,
    struct gen_err *err)
{
	struct prepared *pr;
	struct pdf_obj *o, *mask;
	struct buf raw = { 0 };

	pr = tls_get(&prep_key);
	if ((pr->key == NULL || pr->keylen != len ||
	    memcmp(pr->key, data, len) != 0) &&
	    prepare(p, data, len, pr, err) != GEN_OK)
		return NULL;
	/* libharu drops a /Filter entry of a stream it did not filter
	 * itself: the filter goes in as raw text (pdfout_hpdf.c). */
	o = po_stream(p, pr->color.data, pr->color.len, PO_RAW);
	image_dict(p, o, pr, pr->gray, pr->depth);
	buf_printf(&raw, "/Filter /%s\012", pr->jpeg ? "DCTDecode" :
	    "FlateDecode");
	if (pr->pass)
		buf_printf(&raw, "/DecodeParms << /Predictor 15 /Colors %d "
		    "/BitsPerComponent %d /Columns %u >>\012", pr->colors,
		    pr->depth, (unsigned)pr->w);
	po_put_raw(p, o, raw.data, raw.len);
	if (pr->alpha.len > 0) {
		mask = po_stream(p, pr->alpha.data, pr->alpha.len, PO_RAW);
		image_dict(p, mask, pr, 1, 8);
		po_put_raw(p, mask, "/Filter /FlateDecode\012", 21);
		po_put(p, o, "SMask", mask);
	}
	buf_free(&raw);
	return o;
}

int
po_image_find(const struct pdf *p, const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < p->nimgs; i++)
		if (p->imgs[i].len == len && (p->imgs[i].data == data ||
		    memcmp(p->imgs[i].data, data, len) == 0))
			return (int)i;
	return -1;
}

enum gen_rc
po_image_id(struct pdf *p, const unsigned char *data, size_t len, int *id,
    struct gen_err *err)
{
	struct pdf_obj *o;

	if ((*id = po_image_find(p, data, len)) >= 0)
		return GEN_OK;
	err->rc = GEN_OK;
	if ((o = image_object(p, data, len, err)) == NULL)
		return err->rc != GEN_OK ? err->rc : GEN_OK;
	p->imgs = xrealloc(p->imgs, (p->nimgs + 1) * sizeof(*p->imgs));
	p->imgs[p->nimgs].data = data;
	p->imgs[p->nimgs].len = len;
	p->imgs[p->nimgs].obj = o;
	p->imgs[p->nimgs].on_page = 0;
	*id = (int)p->nimgs++;
	return GEN_OK;
}
