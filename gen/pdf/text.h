/*
 * text.h - typesetting: from UTF-8 text to positioned glyph runs.
 *
 *   fontset   the faces in fonts/ and their fallback chains per style,
 *             loaded once per process and shared by every thread
 *             (read-only after loading);
 *   text_*    shape a paragraph, pick a face per character (first face
 *             of the style's chain that has the glyph; a character no face
 *             has becomes a visible replacement glyph and is recorded in
 *             the warnings), measure, and break into lines no wider than a
 *             given width at ICU line-break opportunities (a word longer
 *             than the line is broken between characters, never clipped,
 *             unless the caller asks for TEXT_NO_CUT).
 *
 * Two text engines, chosen with the fontset (fontset_get_list):
 *
 *   TEXT_ENGINE_ICU        layout version 1, frozen: bidi order and Arabic
 *                          presentation forms through shape.c / ICU, one
 *                          glyph per character, advances from 'hmtx'
 *                          (runs are drawn with plain glyph advances);
 *   TEXT_ENGINE_HARFBUZZ   layout version 2 and later: ICU's bidi order
 *                          (shape_bidi), runs itemized by face, script and
 *                          direction and shaped with HarfBuzz (hbshape.h):
 *                          every script's OpenType forms, marks and
 *                          kerning; glyphs carry the shaper's advances and
 *                          offsets (runs are "positioned", canvas.h), and
 *                          a left-to-right word whose glyphs do not spell
 *                          its text one cluster per glyph is its own run
 *                          with its text as the run's ActualText.
 *
 * Font lists (fonts.txt, v1.txt): "STYLE FACE.ttf ..." per style, faces in
 * fallback order; "embolden:FACE.ttf" names a face that has no bold of its
 * own and is drawn emboldened in that style (TEXT_ENGINE_HARFBUZZ only).
 *
 * Widths and positions are integer millipoints (see canvas.h).  A glyph's
 * width is round(advance * size / units_per_em), half up, and a run's or
 * line's width is the sum of its glyphs' widths, so widths are additive
 * and the same on every machine.
 *
 * Lines: the text is split into paragraphs at '\n' (also "\r\n", '\r',
 * U+0085, U+2029 and the other bidi paragraph separators); each paragraph
 * gives one or more lines.  Empty text gives ZERO lines; a separator at
 * the very end does not start another line, but an empty paragraph
 * between two separators gives an empty line (no runs, width 0).  Spaces
 * at the end of a line (at a break or at the end of the paragraph) are
 * neither drawn nor counted in its width; they stay in text_line.text.
 * Default-ignorable characters (ZWJ, ZWNJ, soft hyphen, variation
 * selectors, bidi controls, ...) draw nothing; a tab draws as a space.
 *
 * Threads: once fontset_get() returns a fontset, only its fallback faces
 * change, each opened once under a lock when first needed; any number of
 * threads may call text_layout() and text_width() with it at once.
 */
#ifndef INVGEN_TEXT_H
#define INVGEN_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "canvas.h"
#include "err.h"
#include "ttf.h"

struct fontset;

/*
 * Characters that no face could draw, each recorded once (sorted
 * ascending, also across calls that share the struct).  Zero-initialise;
 * the caller reports them.
 */
struct text_warnings {
	uint32_t *missing;
	size_t n, cap;
};
void text_warnings_free(struct text_warnings *w);

/* Styles a template can ask for. */
enum text_style { TEXT_REGULAR, TEXT_BOLD };

/* The text engine of a fontset (see above). */
enum text_engine { TEXT_ENGINE_ICU = 1, TEXT_ENGINE_HARFBUZZ = 2 };

/*
 * The fontset of a fonts directory (its fonts.txt names the faces and the
 * fallback chain of each style), with the newest text engine
 * (TEXT_ENGINE_HARFBUZZ).  Loaded on first use and cached for the
 * life of the process, keyed by the fonts_dir string as given; thread-safe.
 * The returned pointer must not be freed.  A face named by both styles is
 * opened once and has one face id.  Each style's first face is opened
 * now; the others are checked now (ttf_probe) and opened when a character
 * first needs them.  GEN_EIO when fonts.txt or a face cannot be read or
 * a face opened now is damaged (not a usable font: a damaged
 * installation), GEN_EINPUT for a bad line or a face that fails the check
 * (the message names the file and line: "fonts/fonts.txt:9: ..."),
 * GEN_EICU when ICU's break iterators cannot be opened.  A failed load is
 * not cached.
 */
enum gen_rc fontset_get(const char *fonts_dir, const struct fontset **out,
    struct gen_err *err);
/*
 * The same with another font list than fonts.txt and a text engine: list
 * is a file name in fonts_dir ("v1.txt", the list of layout version 1),
 * whose faces are files of fonts_dir.  Cached per directory, list and
 * engine; fonts of two lists are opened separately.
 */
enum gen_rc fontset_get_list(const char *fonts_dir, const char *list,
    enum text_engine engine, const struct fontset **out,
    struct gen_err *err);
/* The text engine of a fontset. */
enum text_engine fontset_engine(const struct fontset *fs);
/*
 * The characters of utf8[0..len) that no face of some style's chain has
 * (default-ignorable characters and the paragraph separators draw
 * nothing and are never missing), added to missing (sorted, each once).
 * Opens the fallback faces a character needs, like text_layout().
 * GEN_EIO when a face cannot be opened (its message); invalid UTF-8 is
 * GEN_EINPUT.
 */
enum gen_rc fontset_missing(const struct fontset *fs, const char *utf8,
    size_t len, struct text_warnings *missing, struct gen_err *err);
/* Number of distinct faces; face ids are 0 .. count - 1. */
size_t fontset_count(const struct fontset *fs);
/* The opened font of a face id; NULL when out of range or not opened
 * yet (no text has needed it; a face a canvas draws with is open). */
const struct ttf *fontset_face(const struct fontset *fs, int face);
/* The file name of a face ("NotoSans-Regular.ttf"); NULL when out of
 * range. */
const char *fontset_face_name(const struct fontset *fs, int face);


/*
 * A run of glyphs of one face and one direction, in visual order.  Each
 * glyph's cp[] holds the logical characters it stands for (an Arabic
 * presentation form: its base letter; a lam-alef ligature: lam and alef;
 * a mirrored bracket: the bracket in the text; a replacement glyph: the
 * character no face had).
 */
struct text_run {
	int face;
	int rtl;
	struct canvas_glyph *glyphs;
	size_t nglyphs;
	int32_t width;		/* at the size it was shaped for */
	char *logical;		/* right-to-left runs and span runs: the
				 * run's text in logical order (for
				 * /ActualText); NULL otherwise */
	int flags;		/* CANVAS_TEXT_* (canvas.h): POSITIONED for
				 * the HarfBuzz engine, EMBOLDEN, SPAN for a
				 * left-to-right word whose glyphs cannot
				 * spell its text */
};

/* One line: runs in visual order, left to right. */
struct text_line {
	struct text_run *runs;
	size_t nruns;
	int32_t width;
	int rtl;		/* paragraph direction: align right if set */
	char *text;		/* the line's logical text (ill-formed UTF-8
				 * replaced by U+FFFD), with the spaces at its
				 * end, without the paragraph separator */
	int newline;		/* 1: a paragraph separator ended the line */
};

struct text_lines {
	struct text_line *lines;
	size_t n;
	void *memo;		/* private: non-NULL when the lines are shared
				 * with the thread's memo (textmemo.h) and
				 * must not be changed */
};
void text_lines_free(struct text_lines *l);

/*
 * Shape and break utf8[0..len) set in style at size (millipoints) into
 * lines no wider than max_width (0: no limit, one line per paragraph;
 * '\n' always starts a new line).  Invalid UTF-8 and U+0000 are drawn
 * as U+FFFD
 * (not a warning).  A single grapheme cluster wider than max_width gets
 * a line of its own, the only case where a line is wider than max_width.
 * On success *out (overwritten, not freed) holds the lines, read-only
 * (a text set before may share them with the calling thread's memo,
 * textmemo.h); free them with text_lines_free(), from any thread.  Missing characters are added to warn (may be
 * NULL).  GEN_EINPUT for a bad style, a size outside 1..1000000, a
 * negative max_width, more than 1 MiB of text or a line wider than
 * INT32_MAX; GEN_EICU when ICU fails; a fallback face the text needs that
 * cannot be opened gives ttf_open()'s message after "fonts.txt:LINE: ",
 * with GEN_EIO (a damaged font is a damaged installation).
 * On failure *out is empty.
 */
enum gen_rc text_layout(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t max_width,
    struct text_lines *out, struct text_warnings *warn,
    struct gen_err *err);

/*
 * text_layout() with flags (TEXT_BALANCE below): TEXT_NO_CUT keeps a word
 * wider than max_width whole on a line of its own (wider than max_width)
 * instead of cutting it between characters, for a caller that shrinks the
 * text rather than break a name (layout.c, version 2).
 */
#define TEXT_NO_CUT 0x1
/*
 * TEXT_BALANCE: a paragraph that needs several lines is broken at the
 * narrowest width that gives it no more lines, so that its lines are of
 * even length (titles, table headers).
 */
#define TEXT_BALANCE 0x2
enum gen_rc text_layout_opts(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t max_width, int flags,
    struct text_lines *out, struct text_warnings *warn,
    struct gen_err *err);

/* Width of the text on one line (no breaking): the width text_layout()
 * gives the line with max_width 0; with several paragraphs, the widest.
 * Missing characters are measured as their replacement, silently. */
enum gen_rc text_width(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t *width,
    struct gen_err *err);

/* Ascent and descent (positive, millipoints) of a style at a size, from
 * its first face: for line heights. */
void text_metrics(const struct fontset *fs, enum text_style style,
    int32_t size, int32_t *ascent, int32_t *descent);

/* Draw a line onto a page with its left end at x and baseline y: one
 * canvas text op per run.  size must be the size it was laid out at. */
void text_draw_line(struct canvas_page *p, const struct text_line *line,
    int32_t size, int32_t x, int32_t y, struct canvas_color color);

#endif
