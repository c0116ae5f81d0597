/*
 * hbshape.h - OpenType shaping of one run of text with HarfBuzz, for the
 * text engine of layout version 2 and later (text.c).
 *
 * What it is for: HarfBuzz is the shaping engine of the browsers and of
 * LibreOffice.  It applies a font's own OpenType tables (GSUB, GPOS):
 * contextual forms and ligatures, the reordering and conjuncts of
 * Devanagari, Bengali, Tamil, Khmer and the other Indic and South-East
 * Asian scripts, mark positioning (Thai, Arabic, Hebrew, Latin accents)
 * and kerning.  This is the one file that includes <hb.h>: HarfBuzz's
 * objects and conventions stay here.
 *
 * What it exports: struct hbshape_font (a HarfBuzz face and font over the
 * bytes of an opened struct ttf, created once per face and shared by every
 * thread), struct hbshape_glyph and the hbshape_* functions below.
 *
 * What it must not do: pick fonts, order bidirectional text (ICU does
 * that in shape.c), break lines, measure in points, or depend on the
 * process locale: the language is always set (HarfBuzz would take the
 * default from setlocale() otherwise), so the same text gives the same
 * glyphs under any LANG.
 *
 * Units: advances and offsets are in font units at a scale of
 * units_per_em (no hinting, no ppem): the caller scales them.
 *
 * Threads: a font is immutable once hbshape_font_new() returns
 * (hb_font_make_immutable); any number of threads may shape with it at
 * once.  Each thread shapes in its own HarfBuzz buffer, kept between
 * calls (freed when the thread ends).
 */
#ifndef INVGEN_HBSHAPE_H
#define INVGEN_HBSHAPE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ttf.h"

struct hbshape_font;

/* One glyph of a shaped run, in visual order (left to right). */
struct hbshape_glyph {
	uint16_t gid;		/* glyph id in the font */
	uint32_t cluster;	/* index in cps of the cluster's first
				 * character (logical order) */
	int32_t	 adv;		/* horizontal advance, font units */
	int32_t	 dx, dy;	/* offset from the pen, font units, y up */
};

/*
 * A HarfBuzz font over the bytes of f (borrowed: f must stay open until
 * hbshape_font_free()).  The first call loads the HarfBuzz library
 * (libharfbuzz.so.0, with dlopen: see hbshape.c): GEN_EIO naming it when
 * it cannot be loaded, a damaged installation.  GEN_EINTERNAL when
 * HarfBuzz cannot create the font (out of memory).
 */
enum gen_rc hbshape_font_new(const struct ttf *f, struct hbshape_font **out,
    struct gen_err *err);
/* Release a font; NULL is a no-op. */
void hbshape_font_free(struct hbshape_font *f);

/*
 * Shape cps[start .. start + len) (code points of one paragraph, all of
 * which give the shaper its context) as one run of direction rtl (1:
 * right to left) and script (an ISO 15924 code such as "Latn", "Deva";
 * "Zyyy" for common characters).  Default-ignorable characters (ZWJ,
 * ZWNJ, variation selectors) take part in shaping and draw nothing.  On
 * success *out is a new array of *n glyphs in visual order, which the
 * caller frees.  GEN_EINPUT for a range outside cps or more than
 * HBSHAPE_MAX code points; GEN_EINTERNAL when HarfBuzz runs out of
 * memory.
 */
#define HBSHAPE_MAX (1024 * 1024)
enum gen_rc hbshape_run(const struct hbshape_font *f, const uint32_t *cps,
    size_t ncps, size_t start, size_t len, int rtl, const char *script,
    struct hbshape_glyph **out, size_t *n, struct gen_err *err);

/* The version of the HarfBuzz library in use, e.g. "6.0.0" (the glyphs
 * and positions of every shaped text depend on it); "unavailable" when it
 * cannot be loaded. */
const char *hbshape_version(void);

#endif
