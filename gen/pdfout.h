/*
 * pdfout.h - the PDF back end: a struct canvas (canvas.h) to PDF bytes.
 *
 * What it exports: struct pdfout_fonts (the faces the canvas's font ids
 * refer to) and pdfout_render().  pdfout.c is the only file of invgen
 * that includes <hpdf.h> (libharu 2.3.0).
 *
 * Output is a pure function of the canvas and the font files: no clock,
 * no random /ID, no locale-dependent number formatting, so the same
 * canvas gives the same bytes in any process, thread, LANG or TZ.  Every
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
 * Threads: pdfout_render keeps all its state on the stack and in its own
 * libharu document, so any number of threads may render at once, sharing
 * the (read-only) fonts.
 */
#ifndef INVGEN_PDFOUT_H
#define INVGEN_PDFOUT_H

#include <stddef.h>

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
 * Render every page of c into a PDF appended to out (out is not reset;
 * on failure out->len is restored to its value on entry).  Returns
 * GEN_EINPUT for a canvas that cannot be drawn (no pages, an empty page
 * size, a font id outside fonts, a glyph id outside its face, a face that
 * forbids embedding or subsetting, a bad metadata field) with a message
 * naming the page, op and field; GEN_EPDF with libharu's error and detail
 * numbers when libharu fails.
 */
enum gen_rc pdfout_render(const struct canvas *c,
    const struct pdfout_fonts *fonts, struct buf *out, struct gen_err *err);

#endif
