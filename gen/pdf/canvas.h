/*
 * canvas.h - the laid-out pages of a document: what goes where, in
 * integer millipoints (1/1000 of a PDF point, 1 pt = 1/72 inch), origin at
 * the bottom-left of the page.  The layout engine (layout.c) builds a
 * canvas; a back end (pdfout for PDF, a text dump for tests) draws it.
 * Integers, not doubles, so that output is byte-identical everywhere and
 * never depends on the C locale's decimal separator.
 *
 * Ownership: a struct canvas owns everything added to it (glyph arrays and
 * strings are copied); free it with canvas_free().  Font ids refer to the
 * struct fontset the canvas was laid out with (text.h).
 */
#ifndef INVGEN_CANVAS_H
#define INVGEN_CANVAS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define MPT_PER_PT 1000
/* Whole millimetres to millipoints (1 mm = 2834.6457 mpt), rounded. */
#define MM_TO_MPT(mm) ((int32_t)(((int64_t)(mm) * 2834646 + 500) / 1000))

struct canvas_color {
	uint8_t r, g, b;
};

/* One glyph of a text run and the text it stands for (for copy/paste and
 * search: the PDF's ToUnicode map).  A ligature stands for several code
 * points; a mark glyph may stand for none (ncp = 0).  In a positioned run
 * (CANVAS_TEXT_POSITIONED) adv is the pen's advance after the glyph and
 * dx, dy its offset from the pen (millipoints, y up), as the shaper
 * placed it; otherwise they are 0 and the advance is the font's. */
struct canvas_glyph {
	uint16_t gid;		/* glyph id in the original font */
	uint8_t ncp;
	uint32_t cp[3];
	int32_t adv, dx, dy;
};

/* Flags of a text run. */
#define CANVAS_TEXT_POSITIONED	0x1	/* glyphs carry adv, dx, dy */
#define CANVAS_TEXT_EMBOLDEN	0x2	/* drawn bold from a regular face:
					 * filled and stroked */
#define CANVAS_TEXT_SPAN	0x4	/* actual_text is always written
					 * (a word whose glyphs cannot spell
					 * it); else only when needed */

/*
 * A run of glyphs of one font face at one size on one baseline, in visual
 * (left-to-right drawing) order; the pen advances by each glyph's advance
 * width from the font.  actual_text, when set, is the run's text in
 * logical order (right-to-left runs set it so that text extraction gets
 * the reading order, not the visual one).
 */
struct canvas_text {
	int font;		/* face id in the fontset */
	int32_t size;		/* font size, millipoints */
	int32_t x, y;		/* start of the baseline */
	struct canvas_color color;
	struct canvas_glyph *glyphs;
	size_t nglyphs;
	char *actual_text;	/* UTF-8 or NULL */
	int flags;		/* CANVAS_TEXT_* */
};

struct canvas_rect {
	int32_t x, y, w, h;
	int fill, stroke;	/* booleans */
	struct canvas_color fill_color, stroke_color;
	int32_t line_width;
};

struct canvas_line {
	int32_t x1, y1, x2, y2;
	int32_t width;
	struct canvas_color color;
};

/* A QR symbol: size x size modules, 1 = dark, drawn as vector squares of
 * `module` millipoints with its top-left corner at (x, y). */
struct canvas_qr {
	int32_t x, y;
	int32_t module;
	int size;
	unsigned char *modules;
};

/* An image (pdfout_image_check(): PNG or JPEG bytes, copied) drawn into
 * the rectangle whose bottom-left corner is (x, y). */
struct canvas_image {
	int32_t x, y, w, h;
	unsigned char *data;
	size_t len;
};

enum canvas_op_kind { CANVAS_TEXT, CANVAS_RECT, CANVAS_LINE, CANVAS_QR,
	CANVAS_IMAGE };

struct canvas_op {
	enum canvas_op_kind kind;
	union {
		struct canvas_text text;
		struct canvas_rect rect;
		struct canvas_line line;
		struct canvas_qr qr;
		struct canvas_image image;
	} u;
};

struct canvas_page {
	int32_t width, height;
	struct canvas_op *ops;
	size_t nops, cap;
};

/* Document-level facts the back end writes into the file's metadata.
 * Dates come from the snapshot, never from the clock. */
struct canvas_meta {
	char *title;
	char *author;
	char *subject;
	char *language;		/* BCP 47, e.g. "lt" */
	char *date;		/* "YYYY-MM-DD": the issue date */
};

struct canvas {
	struct canvas_page *pages;
	size_t npages, cap;
	struct canvas_meta meta;
};

struct canvas *canvas_new(void);
void canvas_free(struct canvas *c);
/* Set a metadata field (copied; NULL clears). */
void canvas_set_meta(struct canvas *c, const char *title, const char *author,
    const char *subject, const char *language, const char *date);
/* Append a page; the pointer stays valid until the next canvas_add_page. */
struct canvas_page *canvas_add_page(struct canvas *c, int32_t width,
    int32_t height);
/* Add a run; glyphs and actual_text are copied. */
void canvas_add_text(struct canvas_page *p, int font, int32_t size,
    int32_t x, int32_t y, struct canvas_color color,
    const struct canvas_glyph *glyphs, size_t n, const char *actual_text);
/* The same with CANVAS_TEXT_* flags. */
void canvas_add_text_flags(struct canvas_page *p, int font, int32_t size,
    int32_t x, int32_t y, struct canvas_color color,
    const struct canvas_glyph *glyphs, size_t n, const char *actual_text,
    int flags);
void canvas_add_rect(struct canvas_page *p, int32_t x, int32_t y, int32_t w,
    int32_t h, const struct canvas_color *fill,
    const struct canvas_color *stroke, int32_t line_width);
void canvas_add_line(struct canvas_page *p, int32_t x1, int32_t y1,
    int32_t x2, int32_t y2, int32_t width, struct canvas_color color);
/* Add a QR symbol; modules (size*size bytes) are copied. */
void canvas_add_qr(struct canvas_page *p, int32_t x, int32_t y,
    int32_t module, int size, const unsigned char *modules);

/* Add an image; its len bytes are copied. */
void canvas_add_image(struct canvas_page *p, int32_t x, int32_t y,
    int32_t w, int32_t h, const unsigned char *data, size_t len);

/*
 * A plain-text dump of the canvas, one op per line ("text p1 x=... font=2
 * 'Invoice'"), for golden tests and debugging: the layout's answer to
 * lowdown's tree back end.  The text of a run is taken from its glyphs'
 * code points (logical text when actual_text is set).
 */
void canvas_dump(const struct canvas *c, struct buf *out);

#endif
