/*
 * pdfout.h - the PDF back end: a struct canvas (canvas.h) to PDF bytes.
 *
 * What it exports: struct pdfout_fonts (the faces the canvas's font ids
 * refer to) and pdfout_render(); for archival and hybrid invoices
 * pdfout_render_pdfa3() (PDF/A-3b with embedded files and optional
 * Factur-X metadata) and pdfout_render_facturx() (the Factur-X EN 16931
 * hybrid invgen issues).  Built from pdfout.c and the pdfout_*.c files
 * (pdfout_private.h lists them); only pdfout_doc.c and pdfout_hpdf.c
 * include <hpdf.h> (libharu 2.3.0).
 *
 * Output is a pure function of the canvas and the font files: no clock,
 * no random /ID, no locale-dependent number formatting, so the same
 * canvas gives the same bytes in any process, thread, LANG or TZ (the
 * PDF/A variants: same canvas, attachments and metadata, same bytes; their
 * trailer /ID is a hash of the file itself).  Every
 * face used is embedded as a subset (Type0 / CIDFontType2, Identity-H)
 * with a ToUnicode map, so text can be searched and copied.
 *
 * Calling sequence
 *     const struct ttf *faces[] = { noto, arabic, hebrew };
 *     const char *names[] = { "NotoSans-Regular.ttf", ... };
 *     struct pdfout_fonts fonts = { faces, names, 3 };
 *     struct buf pdf = {0};
 *     if (pdfout_render(canvas, &fonts, &pdf, err) != GEN_OK) ...
 *     write pdf.data, pdf.len; buf_free(&pdf);
 *
 * A Factur-X invoice (the CII XML from cii_write, the canvas's meta.date
 * set to the issue date):
 *     if (pdfout_render_facturx(canvas, &fonts, xml.data, xml.len, &pdf,
 *         err) != GEN_OK) ...
 *
 * Threads: pdfout_render keeps all its state on the stack and in its own
 * libharu document, so any number of threads may render at once, sharing
 * the (read-only) fonts.
 */
#ifndef INVGEN_PDFOUT_H
#define INVGEN_PDFOUT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "canvas.h"
#include "err.h"
#include "ttf.h"

/*
 * The faces a canvas's text runs refer to: font id i is faces[i], whose
 * file name (for messages only) is names[i].  names may be NULL.  Build it
 * from a text.h fontset (fontset_face / fontset_face_name) or from plain
 * ttf handles.  Faces no run uses are not embedded and may be NULL; a
 * canvas without text may pass NULL for the whole struct.
 */
struct pdfout_fonts {
	const struct ttf *const	*faces;
	const char *const	*names;
	size_t			 n;
};

/*
 * What pdfout_image_check() finds in an image file: its media type
 * ("image/png", "image/jpeg", static) and size in pixels.
 */
struct pdfout_image_info {
	const char	*media_type;
	uint32_t	 width, height;
};

/*
 * Check that len bytes at data are an image the back end can draw (a
 * canvas image op): a PNG (8-bit grey, RGB, grey and alpha, RGBA, or a
 * palette; not interlaced) or a JPEG (8-bit grey or RGB, baseline or
 * progressive), at most 8192 pixels a side and 4 Mpixels; a PNG is
 * decoded in full.  GEN_EINPUT names what is wrong and what to save
 * instead.  Pure: no I/O.
 */
enum gen_rc pdfout_image_check(const void *data, size_t len,
    struct pdfout_image_info *info, struct gen_err *err);
/* The same from the headers alone (no decoding): for a layout that needs
 * only the size of an image checked before. */
enum gen_rc pdfout_image_probe(const void *data, size_t len,
    struct pdfout_image_info *info, struct gen_err *err);

/*
 * Render every page of c into a PDF appended to out (out is not reset;
 * on failure out->len is restored to its value on entry).  Returns
 * GEN_EINPUT for a canvas that cannot be drawn (no pages, an empty page
 * size, a font id outside fonts, a glyph id outside its face, a face that
 * forbids embedding or subsetting, a bad metadata field) with a message
 * naming the page, op and field; GEN_EIO naming the font file for a
 * damaged font (its 'loca' and 'glyf' disagree); GEN_EPDF with libharu's
 * error and detail numbers when libharu fails.
 */
enum gen_rc pdfout_render(const struct canvas *c,
    const struct pdfout_fonts *fonts, struct buf *out, struct gen_err *err);

/*
 * A file embedded in a PDF/A-3 document and associated with the document
 * as a whole (ISO 19005-3 6.8): an /EmbeddedFile stream (deflated, with
 * /Subtype and /Params /ModDate /Size) under a /Filespec with /F, /UF,
 * /Desc and /AFRelationship, listed in the catalog's /AF array and its
 * /EmbeddedFiles name tree.  All fields are borrowed.
 */
struct pdfout_attachment {
	const char	*name;		/* 1..127 of A-Z a-z 0-9 . _ - */
	const char	*mime;		/* "type/subtype", e.g. "text/xml" */
	const char	*description;	/* /Desc, UTF-8; NULL: none */
	const char	*relationship;	/* Source, Data, Alternative,
					 * Supplement or Unspecified */
	const void	*data;
	size_t		 len;
};

/*
 * The Factur-X identification of a hybrid invoice, written to the XMP
 * metadata as the fx: properties with their PDF/A extension schema
 * (namespace urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#).
 * file_name must be the name of one of the attachments.
 */
struct pdfout_facturx {
	const char	*document_type;		/* "INVOICE" */
	const char	*file_name;		/* "factur-x.xml" */
	const char	*version;		/* "1.0" */
	const char	*conformance_level;	/* MINIMUM, BASIC WL, BASIC,
						 * EN 16931, EXTENDED or
						 * XRECHNUNG */
};

/* What pdfout_render_facturx embeds. */
#define PDFOUT_FACTURX_NAME	"factur-x.xml"
#define PDFOUT_FACTURX_LEVEL	"EN 16931"

/*
 * Render c as PDF/A-3b (ISO 19005-3, conformance level B) with the natt
 * attachments att (natt may be 0) and, when fx is not NULL, the Factur-X
 * XMP properties; appended to out as pdfout_render does.  On top of
 * pdfout_render's document: an XMP metadata stream (pdfaid part 3 /
 * conformance B, dc:title/creator/description, xmp:CreateDate and
 * ModifyDate, pdf:Producer - the same values as the Info dictionary), an
 * sRGB output intent with an ICC profile built from the IEC 61966-2-1
 * parameters, and a trailer /ID: the first 16 bytes of the SHA-256 of the
 * file with the /ID zeroed, so the bytes stay reproducible.
 *
 * Besides pdfout_render's refusals, GEN_EINPUT for: no meta.date (the
 * dates PDF/A and the attachments' /ModDate need), a control character in
 * meta.title/author/subject (XMP cannot carry it), a text run drawing
 * glyph 0 (.notdef, which PDF/A forbids), an attachment name, MIME type or
 * relationship outside the sets above, two attachments with one name, an
 * empty or over-large (> 1 GiB) attachment, a Factur-X field outside its
 * set or a file_name naming no attachment.  Messages name the field
 * ("attachments[1].name: ...", "facturx.conformance_level: ...").
 */
enum gen_rc pdfout_render_pdfa3(const struct canvas *c,
    const struct pdfout_fonts *fonts, const struct pdfout_attachment *att,
    size_t natt, const struct pdfout_facturx *fx, struct buf *out,
    struct gen_err *err);

/*
 * The Factur-X hybrid invoice of invgen: pdfout_render_pdfa3 with the CII
 * XML (xml, len bytes, as cii_write wrote it: profile EN 16931) embedded
 * as factur-x.xml, MIME type text/xml, /AFRelationship /Alternative (the
 * XML is the complete invoice, equivalent to the PDF: Factur-X asks
 * Alternative for BASIC, EN 16931 and EXTENDED, Data only for MINIMUM and
 * BASIC WL, whose XML is partial), and fx: DocumentType INVOICE, Version
 * 1.0, ConformanceLevel EN 16931.  Errors as pdfout_render_pdfa3.
 */
enum gen_rc pdfout_render_facturx(const struct canvas *c,
    const struct pdfout_fonts *fonts, const void *xml, size_t len,
    struct buf *out, struct gen_err *err);

/*
 * Append the versions of the libraries the PDF bytes depend on: libharu
 * and the zlib that compresses the streams ("libharu 2.3.0; zlib
 * 1.2.13").  Recorded with each issued document (render_env).
 */
void pdfout_lib_versions(struct buf *out);

#endif
