/*
 * shape.h - bidirectional ordering and Arabic shaping of one paragraph of
 * text for the PDF renderer (ICU ubidi + u_shapeArabic).
 *
 * The renderer draws glyphs left to right.  shape_paragraph() turns one
 * paragraph of logical-order UTF-8 text into visual-order runs, each a
 * list of code points to draw, left to right:
 *
 *   - Arabic letters become their contextual presentation forms
 *     (U+FB50..U+FDFF, U+FE70..U+FEFF): isolated, initial, medial, final.
 *     Lam followed by alef becomes one ligature (U+FEF5..U+FEFC) whose
 *     glyph stands for both source characters.
 *   - Right-to-left runs are reversed and mirrored characters are
 *     replaced by their mirror image ("(" drawn as ")"), as ubidi does with
 *     UBIDI_DO_MIRRORING.  A combining mark stays right after its base
 *     glyph, in left-to-right and right-to-left runs alike (ubidi's
 *     UBIDI_KEEP_BASE_COMBINING), so the renderer always finds a mark's
 *     base just before it.
 *   - Everything else (Latin, Cyrillic, Greek, CJK, Hebrew, digits) is
 *     drawn unchanged; Hebrew only needs the reordering.
 *   - Bidi control characters (LRM, RLM, ALM, LRE..RLO, PDF, LRI..PDI)
 *     produce no glyph (ubidi's UBIDI_REMOVE_BIDI_CONTROLS); they remain
 *     in the logical text.
 *
 * Each glyph keeps the byte range of the ORIGINAL logical characters it
 * stands for, so the renderer can write ToUnicode entries and /ActualText
 * spans with the logical text (shape_run_text() gives a run's text).
 *
 * Invalid UTF-8 is never refused and never crashes: every ill-formed
 * sequence (maximal subpart, as ICU's U8_NEXT finds it) is replaced by
 * U+FFFD.  All byte offsets refer to shape_text.text, a copy of the input
 * with those replacements made (byte-identical to the input when it was
 * valid UTF-8).
 *
 * Not handled (drawn unshaped): Syriac, N'Ko, Mongolian and Indic scripts,
 * which need OpenType shaping; ICU has presentation forms only for
 * Arabic.  That is the text engine of layout version 1; from version 2
 * text.c shapes with HarfBuzz (hbshape.h) and takes only the bidi order
 * from here (shape_bidi()).
 *
 * Refused with GEN_EINPUT: a paragraph separator inside the text (U+000A,
 * U+000D, U+001C..U+001E, U+0085, U+2029; split lines first) and text
 * longer than SHAPE_MAX_BYTES.
 *
 * Thread safety: no shared state; any number of threads may call
 * shape_paragraph() at once.  This module must not draw, measure or pick
 * fonts; it only orders and shapes code points.
 */
#ifndef INVGEN_SHAPE_H
#define INVGEN_SHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "invgen.h"

#define SHAPE_MAX_BYTES (1024 * 1024)

/* Base (paragraph) direction. */
enum shape_dir {
	SHAPE_AUTO,	/* first strong character decides; LTR if none */
	SHAPE_LTR,
	SHAPE_RTL
};

/*
 * One glyph to draw.  Source ranges of the glyphs of one text are disjoint
 * and increase in logical order.  srclen is 0 only for a combining mark
 * that sits inside a lam-alef ligature's range (lam, mark, alef): its
 * character is already part of the ligature glyph's range.
 */
struct shape_glyph {
	uint32_t cp;	/* code point to draw (presentation form, mirror) */
	size_t src;	/* byte offset of the first source character */
	size_t srclen;	/* bytes of source text this glyph stands for */
};

/* A directional run: a contiguous range of the logical text. */
struct shape_run {
	int rtl;			/* 1 right-to-left, 0 left-to-right */
	size_t start, len;		/* logical byte range in text */
	struct shape_glyph *glyphs;	/* visual order, left to right */
	size_t n;			/* number of glyphs (may be 0) */
};

struct shape_text {
	char *text;		/* the input, U+FFFD for bad bytes, NUL */
	size_t len;		/* bytes in text */
	int rtl;		/* resolved paragraph direction: 1 RTL */
	int replaced;		/* ill-formed sequences replaced */
	struct shape_run *runs;	/* visual order, left to right */
	size_t nruns;		/* 0 for empty text */
};

/*
 * Shape and order one paragraph of len bytes of UTF-8 (need not be
 * NUL-terminated; U+0000 is an ordinary character).  On success *out is a
 * new struct shape_text the caller frees with shape_text_free().
 * Returns GEN_EINPUT for a paragraph separator or oversized text,
 * GEN_EICU when ICU fails; *out is then NULL.
 */
enum gen_rc shape_paragraph(const char *utf8, size_t len, enum shape_dir dir,
    struct shape_text **out, struct gen_err *err);

/*
 * Only the bidi part of shape_paragraph(), for a shaping engine that
 * forms glyphs itself (HarfBuzz, hbshape.h): the same resolved direction
 * and visual runs (start, len, rtl), without glyphs (every run's n is 0)
 * and without Arabic presentation forms.  Same errors.
 */
enum gen_rc shape_bidi(const char *utf8, size_t len, enum shape_dir dir,
    struct shape_text **out, struct gen_err *err);

/*
 * Refuse what no function of shape.c or text.c takes as text: more than
 * SHAPE_MAX_BYTES, or NULL with a length.  GEN_EINPUT naming "text".
 */
enum gen_rc shape_check_text(const char *utf8, size_t len,
    struct gen_err *err);

/* Free a shaped text; NULL is allowed. */
void shape_text_free(struct shape_text *t);

/*
 * The logical text of run number i (for /ActualText): a pointer into
 * t->text (borrowed, not NUL-terminated at the run's end) and its length
 * in *len.  Returns NULL when i is out of range.
 */
const char *shape_run_text(const struct shape_text *t, size_t i,
    size_t *len);

#endif
