/*
 * pdfout_private.h - what the files of the PDF back end (pdfout.h) share;
 * not for use outside them.  The back end is split by concern:
 *
 *   pdfout.c       the one render: checks the canvas, collects the glyphs
 *                  of each face, and drives the files below
 *   pdfout_doc.c   the document through libharu's public API only:
 *                  creating and freeing it, libharu's memory (a
 *                  per-thread arena), its errors, the Info dictionary's
 *                  producer and dates, saving
 *   pdfout_hpdf.c  what that API cannot do: libharu's object layer and
 *                  private structures, behind the po_ object functions
 *                  below; checked against the libharu version it was
 *                  written for (see there)
 *   pdfout_enc.c   numbers, hex and UTF-16BE as PDF writes them, and the
 *                  Flate (zlib) compression of streams
 *   pdfout_text.c  fonts and text: subsets, ToUnicode CMaps, widths, the
 *                  font objects and the text-showing operators
 *   pdfout_page.c  page content: the graphics state, rectangles, lines,
 *                  QR symbols, images, the page objects
 *   pdfout_image.c images (a logo, PNG or JPEG) as image XObjects
 *   pdfout_meta.c  metadata and PDF/A-3: Info entries, /Lang, XMP, the
 *                  output intent, attachments, the trailer /ID
 * and icc.c, the sRGB profile of the output intent (its own module).
 *
 * Names shared between these files start with po_.  libharu's objects
 * travel between them as struct pdf_obj * (a dictionary, array, stream
 * dictionary or string), opaque everywhere but in pdfout_hpdf.c; only
 * pdfout_doc.c (which sees the public API alone) and pdfout_hpdf.c
 * include <hpdf.h>, only pdfout_enc.c includes <zlib.h>.
 *
 * Failures: every libharu call records the first failed status in p->st
 * (po_note), and the po_ object functions do nothing once it is set, so
 * a sequence of them is checked once, at its end (po_failed, po_error).
 * See pdfout.c for the design and its measurements.
 */
#ifndef INVGEN_PDFOUT_PRIVATE_H
#define INVGEN_PDFOUT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "canvas.h"
#include "err.h"
#include "pdfout.h"
#include "ttf.h"

struct pdf_doc;		/* libharu's document (HPDF_Doc) */
struct pdf_obj;		/* a libharu object (HPDF_Dict, HPDF_Array) */

/* What libharu's error handler saw (its user_data). */
struct po_fail {
	unsigned long	 error_no;	/* HPDF_STATUS */
	unsigned long	 detail_no;
};

/* One face of pdfout_fonts as the document uses it. */
struct face {
	const struct ttf		 *f;
	const char			 *name;
	uint16_t			 *gids;	/* every glyph drawn, repeats */
	size_t				  ngids, cap;
	const struct ttf_subset		 *sub;	/* &own, or the thread's memo's
						 * (po_font_subset) */
	struct ttf_subset		  own;	/* built for this render */
	const struct buf		 *file;	/* sub's FontFile2 deflated:
						 * &own_file, or the memo's */
	struct buf			  own_file;
	uint16_t			 *set;	/* the glyphs asked for, sorted,
						 * each once: the memo's key */
	size_t				  nset;
	uint64_t			  font_id, set_hash;
	const struct canvas_glyph	**uni;	/* per CID: first with text */
	unsigned char			 *drawn;	/* per CID: shown at all */
	struct pdf_obj			 *type0;
	size_t				  on_page;	/* 1 + last page listed */
};

/* An image XObject of the document (a logo), by its bytes. */
struct po_img {
	const unsigned char	*data;	/* borrowed from the canvas */
	size_t			 len;
	struct pdf_obj		*obj;
	size_t			 on_page;	/* 1 + last page listed */
};

/* The state of one render. */
struct pdf {
	struct pdf_doc		*doc;
	unsigned long		 st;	/* first failed libharu status */
	struct po_fail		 fail;
	struct face		*faces;	/* indexed by font id */
	size_t			 nfaces;
	struct buf		 tmp;	/* content streams, CMaps, strings */
	int			 zrc;	/* zlib's failure, Z_OK (0) if none */
	struct buf		 zout;	/* the last deflated stream */
	struct po_img		*imgs;	/* images, in the order first drawn */
	size_t			 nimgs;
};

/* Graphics state of a content stream being written, to skip repeats. */
struct gstate {
	int32_t		 fill, stroke;	/* 0xRRGGBB */
	int32_t		 line_width;
	int		 font;		/* -1: none yet */
	int32_t		 size;
	int		 in_text;	/* between BT and ET */
	int		 render;	/* text rendering mode (Tr): 0 fill,
					 * 2 fill and stroke (emboldened) */
};

/* ---- pdfout_doc.c: the document, through libharu's public API ---- */

/* Create p->doc (GEN_EPDF when libharu cannot); po_doc_free frees it. */
enum gen_rc po_doc_new(struct pdf *p, struct gen_err *err);
void po_doc_free(struct pdf *p);
/* Has anything failed in libharu (or zlib) so far? */
int po_failed(const struct pdf *p);
/* GEN_EPDF naming what (printf format) and the libharu or zlib error. */
enum gen_rc po_error(struct pdf *p, struct gen_err *err, const char *what, ...)
    __attribute__((format(printf, 3, 4)));
/* Keep the first failed status st (an HPDF_STATUS; 0 is HPDF_OK). */
void po_note(struct pdf *p, unsigned long st);
/* The Info dictionary's /Producer "invgen" (which creates the
 * dictionary) and its creation and modification dates (a day, 00:00
 * UTC); failures are left in p->st. */
void po_producer(struct pdf *p);
void po_dates(struct pdf *p, int year, int month, int day);
/* Save the document and append its bytes to out. */
enum gen_rc po_save(struct pdf *p, struct buf *out, struct gen_err *err);

/* ---- pdfout_hpdf.c: libharu's object layer and private structures ---- */

/* GEN_EPDF unless the libharu loaded is the one pdfout_hpdf.c was
 * written for. */
enum gen_rc po_hpdf_check(struct gen_err *err);
/* Write the document as PDF 1.7 (libharu 2.3.0 has no setter). */
void po_pdf17(struct pdf *p);
/* Make HPDF_SaveToStream append the document's bytes to out as it
 * writes them (instead of into libharu's memory stream, to be copied out
 * after); a failure is left in p->st. */
void po_save_into(struct pdf *p, struct buf *out);
/* The document's catalog, Info dictionary (NULL before po_producer)
 * and trailer dictionary. */
struct pdf_obj *po_catalog(struct pdf *p);
struct pdf_obj *po_info(struct pdf *p);
struct pdf_obj *po_trailer(struct pdf *p);
/* New objects, or NULL once something failed: a direct dictionary (its
 * container will own it), an indirect one (owned by the document at
 * once), an array, a literal string, an indirect stream holding len bytes
 * of data (deflated, or as they are: enum po_filter). */
struct pdf_obj *po_dict(struct pdf *p);
struct pdf_obj *po_idict(struct pdf *p);
struct pdf_obj *po_array(struct pdf *p);
struct pdf_obj *po_string(struct pdf *p, const char *s);
enum po_filter {
	PO_RAW,			/* the bytes as they are */
	PO_DEFLATE,		/* deflated */
	PO_DEFLATE_MEMO,	/* deflated, through the thread's memo of
				 * streams that repeat (po_deflate_memo) */
	PO_DEFLATED		/* deflated already: written as they are,
				 * with /Filter /FlateDecode */
};
struct pdf_obj *po_stream(struct pdf *p, const void *data, size_t len,
    enum po_filter filter);
/* Dictionary entries: an object (a reference when it is indirect, else
 * the dictionary takes it; NULL after a failure is a no-op), a name, an
 * integer, a byte string (written as <hex>), and raw PDF text
 * ("/Key value\n...", for what libharu would write from a float or
 * rewrite; one call per dictionary). */
void po_put(struct pdf *p, struct pdf_obj *d, const char *key,
    struct pdf_obj *obj);
void po_put_name(struct pdf *p, struct pdf_obj *d, const char *key,
    const char *name);
void po_put_num(struct pdf *p, struct pdf_obj *d, const char *key, int32_t v);
void po_put_bytes(struct pdf *p, struct pdf_obj *d, const char *key,
    const void *data, size_t len);
void po_put_raw(struct pdf *p, struct pdf_obj *d, const void *text,
    size_t len);
/* Array elements: an object, an integer. */
void po_push(struct pdf *p, struct pdf_obj *a, struct pdf_obj *obj);
void po_push_num(struct pdf *p, struct pdf_obj *a, int32_t v);
/* Write len bytes of data deflated into stream dictionary d, with its
 * /Filter (filter: PO_DEFLATE or PO_DEFLATE_MEMO). */
void po_put_deflated(struct pdf *p, struct pdf_obj *d, const void *data,
    size_t len, enum po_filter filter);
/* Add a page: *page is its dictionary without a /MediaBox (libharu's
 * holds floats), *res its /Resources, *contents its content stream.
 * Failures are left in p->st. */
void po_page_new(struct pdf *p, struct pdf_obj **page, struct pdf_obj **res,
    struct pdf_obj **contents);

/* ---- pdfout_enc.c: PDF number and string syntax, Flate ---- */

extern const char po_hexdig[];	/* "0123456789ABCDEF" */
/* v / 1000 as a PDF number without trailing zeros: 56693 -> "56.693",
 * 780000 -> "780", -1500 -> "-1.5"; po_int an integer. */
void po_milli(struct buf *b, int64_t v);
void po_int(struct buf *b, int64_t v);
/* A colour component 0..255 as 0..1 with three decimals. */
void po_component(struct buf *b, unsigned c);
/* Four hex digits. */
void po_hex4(struct buf *b, unsigned v);
/* Code point to UTF-16 code units (1 or 2); invalid ones become U+FFFD. */
int po_utf16(uint32_t cp, uint16_t u[2]);
/* UTF-8 s to UTF-16BE with a byte order mark, appended to out as bytes
 * (hex 0) or hex digits; 0 when s is not valid UTF-8. */
int po_utf16be(struct buf *out, const char *s, int hex);
/* Deflate len bytes into p->zout; 0 (and p->zrc set) on failure. */
int po_deflate(struct pdf *p, const void *data, size_t len);
/* The same for a stream likely to repeat across documents (a ToUnicode
 * map): bytes this thread deflated before are not
 * deflated again (same bytes out).  po_deflate_memo_hits() counts the
 * calling thread's streams it did not deflate again. */
int po_deflate_memo(struct pdf *p, const void *data, size_t len);
uint64_t po_deflate_memo_hits(void);
/* The bytes the calling thread's memo holds (at most 4 MB). */
size_t po_deflate_memo_bytes(void);
/* Inflate a zlib stream that must give exactly want bytes, into out;
 * 0 when it does not (pdfout_enc.c). */
int po_inflate(const void *data, size_t len, size_t want, struct buf *out);
/* zlib's text for a failure code. */
const char *po_zerror(int zrc);
/* zlib's version, e.g. "1.2.13" (the bytes of every stream depend on it). */
const char *po_zlib_version(void);

/* ---- pdfout_text.c: fonts and text ---- */

/* Add the glyphs of text run t (its font id checked) to its face. */
void po_font_collect(struct pdf *p, const struct pdfout_fonts *fonts,
    const struct canvas_text *t);

/* The subset of face id and its per-CID tables, from the canvas's runs;
 * GEN_EINPUT for a face that forbids embedding or a glyph outside it. */
enum gen_rc po_font_subset(struct pdf *p, int id, const struct canvas *c,
    struct gen_err *err);
/* Offer the subsets this render built to the thread's memo (at the end
 * of a render: until then faces may borrow subsets from it), and free
 * what it does not keep. */
void po_font_keep(struct pdf *p);
/* The calling thread's faces whose subset came from its memo. */
uint64_t po_font_subset_hits(void);
/* The PDF objects of a face (fc->type0 and what it refers to). */
void po_font_objects(struct pdf *p, struct face *fc);
/* A text run into content stream b (page and opno for messages);
 * GEN_EINPUT when its actual_text is not UTF-8. */
enum gen_rc po_text(struct pdf *p, struct buf *b, struct gstate *gs,
    const struct canvas_text *t, size_t page, size_t opno,
    struct gen_err *err);

/* ---- pdfout_image.c: images ---- */

/* The index in p->imgs of the image of len bytes at data, its XObject
 * made on first use; GEN_EINPUT for bytes pdfout_image_check() refuses
 * (*id is then -1; also after a libharu failure, left in p->st). */
enum gen_rc po_image_id(struct pdf *p, const unsigned char *data,
    size_t len, int *id, struct gen_err *err);
/* The index of an image already made, or -1. */
int po_image_find(const struct pdf *p, const unsigned char *data,
    size_t len);

/* ---- pdfout_page.c: page content ---- */

/* Set the fill colour (skipped when it is already c). */
void po_fill(struct buf *b, struct gstate *gs, struct canvas_color c);
/* Set the stroke colour and line width (each skipped when unchanged). */
void po_stroke(struct buf *b, struct gstate *gs, struct canvas_color c,
    int32_t width);
/* Add page pn (from 1): size, font resources, content. */
enum gen_rc po_page(struct pdf *p, const struct canvas_page *pg, size_t pn,
    struct gen_err *err);

/* ---- pdfout_meta.c: metadata and PDF/A-3 ---- */

/* What pdfout_render_pdfa3 adds to a render. */
struct pdfa {
	const struct pdfout_attachment	*att;
	size_t				 natt;
	const struct pdfout_facturx	*fx;
	size_t				*order;	/* att sorted by name */
};

/* Check the metadata fields before anything is built (GEN_EINPUT). */
enum gen_rc po_check_meta(const struct canvas_meta *m, struct buf *tmp,
    struct gen_err *err);
/* The Info dictionary and catalog entries of m (checked). */
void po_meta(struct pdf *p, const struct canvas_meta *m);
/* Check what PDF/A-3 adds and sort the attachments (GEN_EINPUT). */
enum gen_rc po_check_pdfa(const struct canvas *c, const struct pdfa *pa,
    struct buf *tmp, struct gen_err *err);
/* The PDF/A-3 objects, with a zero trailer /ID. */
void po_pdfa(struct pdf *p, const struct canvas_meta *m,
    const struct pdfa *pa);
/* Fill in the trailer /ID of the PDF saved at out->data + start. */
enum gen_rc po_set_id(struct buf *out, size_t start, struct gen_err *err);

#endif
