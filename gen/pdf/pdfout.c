/*
 * pdfout.c - the PDF back end: draws a struct canvas (canvas.h) into PDF
 * bytes.  Exports pdfout_render(), pdfout_render_pdfa3() and
 * pdfout_render_facturx() (pdfout.h).  This file is the one render: it
 * checks the canvas, collects the glyphs of each face and drives the
 * other files of the back end, split by concern (pdfout_private.h lists
 * them): the document through libharu's public API (pdfout_doc.c),
 * libharu's object layer and internals (pdfout_hpdf.c), numbers and
 * compression (pdfout_enc.c), fonts and text (pdfout_text.c), page
 * content (pdfout_page.c), images (pdfout_image.c), metadata and PDF/A-3
 * (pdfout_meta.c).
 *
 * Design: libharu's own TrueType path costs about 14 ms and 60-100 KB
 * per invoice because it maps and measures the whole font
 * (gen/pdf/PERFORMANCE.md).  So libharu is used only for its object
 * layer - documents, pages, dictionaries, arrays, streams, the
 * cross-reference table - and for saving, and the back end writes the
 * rest itself:
 *   - fonts: a subset of exactly the glyphs the canvas draws, embedded
 *     as a Type0 / CIDFontType2 font with a ToUnicode map
 *     (pdfout_text.c);
 *   - page content: our own writer, numbers formatted from integer
 *     millipoints by our own code, never with printf %f or floating
 *     point, so no locale can change a byte (pdfout_page.c,
 *     pdfout_enc.c);
 *   - metadata: Producer "invgen" without a version number, dates from
 *     the canvas (never the clock), Title/Author/Subject as UTF-16BE,
 *     /Lang.  No trailer /ID in a plain render: same canvas, same bytes
 *     (pdfout_meta.c, which also adds what PDF/A-3 and Factur-X need);
 *   - compression: every stream deflated with zlib, one z_stream per
 *     thread, libharu's filter left off (pdfout_enc.c).  The bytes
 *     therefore depend on the zlib build too: same zlib, same bytes.
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or keep global state (threads render concurrently) beyond what
 * each thread keeps for its next document and never changes the bytes:
 * its zlib stream and its memo of deflated font streams (pdfout_enc.c),
 * its memo of font subsets (pdfout_text.c), the arena libharu's objects
 * come from (pdfout_doc.c) and the last image it prepared
 * (pdfout_image.c).  Floating point only in icc.c, never for page
 * content.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "pdfout_private.h"

/* ---- checking the canvas and collecting glyphs ---- */

/* Is x + k * m inside int32 for k in 0..n? */
static int
span_fits(int64_t x, int64_t n, int64_t m)
{
	int64_t end = x + n * m;

	return end >= INT32_MIN && end <= INT32_MAX;
}

/*
 * Check every page and op of c against what can be drawn, and collect the
 * glyphs of each face into p->faces.  GEN_EINPUT names the page and op.
 */
static enum gen_rc
check_canvas(struct pdf *p, const struct canvas *c,
    const struct pdfout_fonts *fonts, struct gen_err *err)
{
	const struct canvas_op *op;
	const struct canvas_page *pg;
	size_t i, j;
	int32_t lw;

	if (c->npages == 0)
		return gen_err_set(err, GEN_EINPUT, "canvas: no pages; "
		    "allowed: at least one page");
	for (i = 0; i < c->npages; i++) {
		pg = &c->pages[i];
		if (pg->width <= 0 || pg->height <= 0)
			return gen_err_set(err, GEN_EINPUT, "page %zu: size "
			    "%ldx%ld mpt; allowed: positive width and height",
			    i + 1, (long)pg->width, (long)pg->height);
		for (j = 0; j < pg->nops; j++) {
			op = &pg->ops[j];
			switch (op->kind) {
			case CANVAS_TEXT:
				if (op->u.text.font < 0 ||
				    (size_t)op->u.text.font >= fonts->n ||
				    fonts->faces[op->u.text.font] == NULL)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: font %d unknown;"
					    " allowed: 0..%zu with a face",
					    i + 1, j + 1, op->u.text.font,
					    fonts->n > 0 ? fonts->n - 1 : 0);
				if (op->u.text.size <= 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: font size %ld;"
					    " allowed: > 0 mpt", i + 1, j + 1,
					    (long)op->u.text.size);
				if (op->u.text.nglyphs == 0)
					break;	/* draws nothing */
				po_font_collect(p, fonts, &op->u.text);
				break;
			case CANVAS_RECT:
			case CANVAS_LINE:
				/* The width of the stroke (an unstroked
				 * rectangle has none). */
				lw = op->kind == CANVAS_LINE ?
				    op->u.line.width : op->u.rect.stroke ?
				    op->u.rect.line_width : 0;
				if (lw < 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: line width %ld;"
					    " allowed: >= 0", i + 1, j + 1,
					    (long)lw);
				break;
			case CANVAS_IMAGE:
				if (op->u.image.w <= 0 ||
				    op->u.image.h <= 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: image of %ldx%ld "
					    "mpt; allowed: positive width and "
					    "height", i + 1, j + 1,
					    (long)op->u.image.w,
					    (long)op->u.image.h);
				break;
			case CANVAS_QR:
				if (op->u.qr.size < 0 || op->u.qr.module <= 0
				    || !span_fits(op->u.qr.x, op->u.qr.size,
				    op->u.qr.module) || !span_fits(op->u.qr.y,
				    op->u.qr.size, -(int64_t)op->u.qr.module))
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: QR of %d modules"
					    " of %ld mpt at (%ld, %ld); "
					    "allowed: module > 0 and the "
					    "symbol within +-2147483 pt",
					    i + 1, j + 1, op->u.qr.size,
					    (long)op->u.qr.module,
					    (long)op->u.qr.x,
					    (long)op->u.qr.y);
				break;
			}
		}
	}
	return GEN_OK;
}

static void
faces_free(struct pdf *p)
{
	size_t i;

	po_font_keep(p);
	for (i = 0; i < p->nfaces; i++) {
		free(p->faces[i].gids);
		free(p->faces[i].uni);
		free(p->faces[i].drawn);
		free(p->faces[i].set);
		ttf_subset_free(&p->faces[i].own);
		buf_free(&p->faces[i].own_file);
	}
	free(p->faces);
}

/*
 * The one render: pdfout_render when pa is NULL, PDF/A-3b otherwise (see
 * the PDF/A section).  out is restored on failure.
 */
static enum gen_rc
render(const struct canvas *c, const struct pdfout_fonts *fonts,
    const struct pdfa *pa, struct buf *out, struct gen_err *err)
{
	struct pdfout_fonts none = { NULL, NULL, 0 };
	struct pdf p;
	size_t i, start = out->len;
	enum gen_rc rc;

	if (fonts == NULL)
		fonts = &none;	/* a canvas without text needs no faces */
	memset(&p, 0, sizeof(p));
	p.nfaces = fonts->n;
	p.faces = xcalloc(p.nfaces > 0 ? p.nfaces : 1, sizeof(*p.faces));

	if ((rc = check_canvas(&p, c, fonts, err)) != GEN_OK ||
	    (rc = po_check_meta(&c->meta, &p.tmp, err)) != GEN_OK ||
	    (pa != NULL && (rc = po_check_pdfa(c, pa, &p.tmp, err)) != GEN_OK))
		goto out;
	for (i = 0; i < p.nfaces; i++)
		if (p.faces[i].f != NULL &&
		    (rc = po_font_subset(&p, (int)i, c, err)) != GEN_OK)
			goto out;

	if ((rc = po_hpdf_check(err)) != GEN_OK ||
	    (rc = po_doc_new(&p, err)) != GEN_OK)
		goto out;
	/* ActualText needs PDF 1.5; Factur-X (PDF/A-3) builds on 1.7. */
	po_pdf17(&p);
	po_meta(&p, &c->meta);
	if (po_failed(&p)) {
		rc = po_error(&p, err, "pdf: document information");
		goto out;
	}
	for (i = 0; i < p.nfaces; i++) {
		if (p.faces[i].f == NULL)
			continue;
		po_font_objects(&p, &p.faces[i]);
		if (po_failed(&p)) {
			rc = po_error(&p, err, "pdf: font %zu (%s)", i,
			    p.faces[i].name);
			goto out;
		}
	}
	for (i = 0; i < c->npages; i++) {
		if ((rc = po_page(&p, &c->pages[i], i + 1, err)) != GEN_OK)
			goto out;
		if (po_failed(&p)) {
			rc = po_error(&p, err, "pdf: page %zu", i + 1);
			goto out;
		}
	}
	if (pa != NULL) {
		po_pdfa(&p, &c->meta, pa);
		if (po_failed(&p)) {
			rc = po_error(&p, err, "pdf: PDF/A-3 objects");
			goto out;
		}
	}
	rc = po_save(&p, out, err);
	if (rc == GEN_OK && pa != NULL)
		rc = po_set_id(out, start, err);
	if (rc == GEN_OK && FAULT("pdf-byte"))
		out->data[start + (out->len - start) / 2] ^= 0x20;
out:
	if (rc != GEN_OK)
		out->len = start;
	if (out->data != NULL)
		out->data[out->len] = '\0';
	po_doc_free(&p);
	faces_free(&p);
	free(p.imgs);
	buf_free(&p.tmp);
	buf_free(&p.zout);
	return rc;
}

enum gen_rc
pdfout_render(const struct canvas *c, const struct pdfout_fonts *fonts,
    struct buf *out, struct gen_err *err)
{
	return render(c, fonts, NULL, out, err);
}

enum gen_rc
pdfout_render_pdfa3(const struct canvas *c, const struct pdfout_fonts *fonts,
    const struct pdfout_attachment *att, size_t natt,
    const struct pdfout_facturx *fx, struct buf *out, struct gen_err *err)
{
	struct pdfa pa;
	enum gen_rc rc;

	pa.att = att;
	pa.natt = natt;
	pa.fx = fx;
	pa.order = xcalloc(pa.natt > 0 ? pa.natt : 1, sizeof(*pa.order));
	rc = render(c, fonts, &pa, out, err);
	free(pa.order);
	return rc;
}

enum gen_rc
pdfout_render_facturx(const struct canvas *c,
    const struct pdfout_fonts *fonts, const void *xml, size_t len,
    struct buf *out, struct gen_err *err)
{
	const struct pdfout_attachment att = {
		PDFOUT_FACTURX_NAME, "text/xml",
		"Factur-X invoice: UN/CEFACT CII D16B, EN 16931 profile",
		"Alternative", xml, len
	};
	const struct pdfout_facturx fx = {
		"INVOICE", PDFOUT_FACTURX_NAME, "1.0", PDFOUT_FACTURX_LEVEL
	};

	return pdfout_render_pdfa3(c, fonts, &att, 1, &fx, out, err);
}
