/*
 * canvas.c - the page model of canvas.h: building pages of positioned
 * text runs, rectangles, lines and QR symbols, and canvas_dump(), the
 * plain-text back end used by layout golden tests.
 *
 * Exports the canvas_* functions of canvas.h.  Everything added is copied
 * (glyph arrays, strings, QR modules), so callers may reuse or free their
 * arrays at once.  Allocation failure exits through the x* wrappers of
 * err.h; nothing here can otherwise fail.
 *
 * Must not: draw, format PDF, read fonts, print, or keep global state.
 * The dump is part of the golden-test contract: change its format only
 * together with every golden file.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "canvas.h"

struct canvas *
canvas_new(void)
{
	return xcalloc(1, sizeof(struct canvas));
}

/* Free what one op owns (not the op itself). */
static void
op_free(struct canvas_op *op)
{
	switch (op->kind) {
	case CANVAS_TEXT:
		free(op->u.text.glyphs);
		free(op->u.text.actual_text);
		break;
	case CANVAS_QR:
		free(op->u.qr.modules);
		break;
	case CANVAS_IMAGE:
		free(op->u.image.data);
		break;
	case CANVAS_RECT:
	case CANVAS_LINE:
		break;
	}
}

void
canvas_free(struct canvas *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->npages; i++) {
		for (j = 0; j < c->pages[i].nops; j++)
			op_free(&c->pages[i].ops[j]);
		free(c->pages[i].ops);
	}
	free(c->pages);
	free(c->meta.title);
	free(c->meta.author);
	free(c->meta.subject);
	free(c->meta.language);
	free(c->meta.date);
	free(c);
}

/* Replace *dst by a copy of src (NULL clears). */
static void
set_str(char **dst, const char *src)
{
	free(*dst);
	*dst = src != NULL ? xstrdup(src) : NULL;
}

void
canvas_set_meta(struct canvas *c, const char *title, const char *author,
    const char *subject, const char *language, const char *date)
{
	set_str(&c->meta.title, title);
	set_str(&c->meta.author, author);
	set_str(&c->meta.subject, subject);
	set_str(&c->meta.language, language);
	set_str(&c->meta.date, date);
}

struct canvas_page *
canvas_add_page(struct canvas *c, int32_t width, int32_t height)
{
	struct canvas_page *p;

	c->pages = xgrow(c->pages, c->npages, &c->cap, 4, sizeof(*c->pages));
	p = &c->pages[c->npages++];
	memset(p, 0, sizeof(*p));
	p->width = width;
	p->height = height;
	return p;
}

/* Append a zeroed op of the given kind to p and return it. */
static struct canvas_op *
new_op(struct canvas_page *p, enum canvas_op_kind kind)
{
	struct canvas_op *op;

	p->ops = xgrow(p->ops, p->nops, &p->cap, 32, sizeof(*p->ops));
	op = &p->ops[p->nops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	return op;
}

void
canvas_add_text(struct canvas_page *p, int font, int32_t size, int32_t x,
    int32_t y, struct canvas_color color, const struct canvas_glyph *glyphs,
    size_t n, const char *actual_text)
{
	canvas_add_text_flags(p, font, size, x, y, color, glyphs, n,
	    actual_text, 0);
}

void
canvas_add_text_flags(struct canvas_page *p, int font, int32_t size,
    int32_t x, int32_t y, struct canvas_color color,
    const struct canvas_glyph *glyphs, size_t n, const char *actual_text,
    int flags)
{
	struct canvas_op *op = new_op(p, CANVAS_TEXT);
	struct canvas_text *t = &op->u.text;

	t->font = font;
	t->size = size;
	t->x = x;
	t->y = y;
	t->color = color;
	if (n > 0) {
		t->glyphs = xmalloc(n * sizeof(*glyphs));
		memcpy(t->glyphs, glyphs, n * sizeof(*glyphs));
	}
	t->nglyphs = n;
	t->actual_text = actual_text != NULL ? xstrdup(actual_text) : NULL;
	t->flags = flags;
}

void
canvas_add_rect(struct canvas_page *p, int32_t x, int32_t y, int32_t w,
    int32_t h, const struct canvas_color *fill,
    const struct canvas_color *stroke, int32_t line_width)
{
	struct canvas_op *op = new_op(p, CANVAS_RECT);
	struct canvas_rect *r = &op->u.rect;

	r->x = x;
	r->y = y;
	r->w = w;
	r->h = h;
	if (fill != NULL) {
		r->fill = 1;
		r->fill_color = *fill;
	}
	if (stroke != NULL) {
		r->stroke = 1;
		r->stroke_color = *stroke;
	}
	r->line_width = line_width;
}

void
canvas_add_line(struct canvas_page *p, int32_t x1, int32_t y1, int32_t x2,
    int32_t y2, int32_t width, struct canvas_color color)
{
	struct canvas_op *op = new_op(p, CANVAS_LINE);
	struct canvas_line *l = &op->u.line;

	l->x1 = x1;
	l->y1 = y1;
	l->x2 = x2;
	l->y2 = y2;
	l->width = width;
	l->color = color;
}

void
canvas_add_qr(struct canvas_page *p, int32_t x, int32_t y, int32_t module,
    int size, const unsigned char *modules)
{
	struct canvas_op *op = new_op(p, CANVAS_QR);
	struct canvas_qr *q = &op->u.qr;
	size_t n;

	q->x = x;
	q->y = y;
	q->module = module;
	if (size <= 0 || modules == NULL)
		return;		/* an empty symbol draws nothing */
	n = (size_t)size * (size_t)size;
	q->size = size;
	q->modules = xmalloc(n);
	memcpy(q->modules, modules, n);
}

void
canvas_add_image(struct canvas_page *p, int32_t x, int32_t y, int32_t w,
    int32_t h, const unsigned char *data, size_t len)
{
	struct canvas_op *op = new_op(p, CANVAS_IMAGE);
	struct canvas_image *im = &op->u.image;

	im->x = x;
	im->y = y;
	im->w = w;
	im->h = h;
	im->data = xmalloc(len > 0 ? len : 1);
	if (len > 0)
		memcpy(im->data, data, len);
	im->len = len;
}

/* ---- dump ---- */

/* Append code point cp as UTF-8, escaping what would make the line
 * ambiguous: '"' and '\\' get a backslash, controls become \u{XX},
 * surrogates and values above U+10FFFF become \u{...} too. */
static void
dump_cp(struct buf *out, uint32_t cp)
{
	uint8_t u[U8_MAX_LENGTH];
	size_t n = 0;

	if (cp == '"' || cp == '\\') {
		buf_putc(out, '\\');
		buf_putc(out, (char)cp);
	} else if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff) {
		buf_printf(out, "\\u{%X}", (unsigned)cp);
	} else {
		U8_APPEND_UNSAFE(u, n, cp);
		buf_append(out, u, n);
	}
}

/* Append a UTF-8 string in double quotes; each byte of what is not valid
 * UTF-8 is shown as \x{XX}. */
static void
dump_utf8(struct buf *out, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, start, n = strlen(s);
	UChar32 cp;

	buf_putc(out, '"');
	while (i < n) {
		start = i;
		U8_NEXT(p, i, n, cp);
		if (cp >= 0)
			dump_cp(out, (uint32_t)cp);
		else {
			buf_printf(out, "\\x{%02X}", p[start]);
			i = start + 1;
		}
	}
	buf_putc(out, '"');
}

/* " name=#RRGGBB" */
static void
dump_color(struct buf *out, const char *name, struct canvas_color c)
{
	buf_printf(out, " %s=#%02X%02X%02X", name, c.r, c.g, c.b);
}

static void
dump_text(struct buf *out, const struct canvas_text *t)
{
	size_t i;
	int k;

	buf_printf(out, "text x=%ld y=%ld font=%d size=%ld", (long)t->x,
	    (long)t->y, t->font, (long)t->size);
	if (t->color.r != 0 || t->color.g != 0 || t->color.b != 0)
		dump_color(out, "color", t->color);
	if (t->flags & CANVAS_TEXT_EMBOLDEN)
		buf_puts(out, " embolden");
	if (t->flags & CANVAS_TEXT_POSITIONED) {
		int64_t w = 0;

		for (i = 0; i < t->nglyphs; i++)
			w += t->glyphs[i].adv;
		buf_printf(out, " w=%lld", (long long)w);
	}
	if (t->actual_text != NULL) {
		if (t->flags & CANVAS_TEXT_SPAN)
			buf_puts(out, " span");
		buf_puts(out, " actual ");
		dump_utf8(out, t->actual_text);
	} else {
		buf_puts(out, " \"");
		for (i = 0; i < t->nglyphs; i++)
			for (k = 0; k < t->glyphs[i].ncp && k < 3; k++)
				dump_cp(out, t->glyphs[i].cp[k]);
		buf_putc(out, '"');
	}
	buf_putc(out, '\n');
}

static void
dump_rect(struct buf *out, const struct canvas_rect *r)
{
	buf_printf(out, "rect x=%ld y=%ld w=%ld h=%ld", (long)r->x,
	    (long)r->y, (long)r->w, (long)r->h);
	if (r->fill)
		dump_color(out, "fill", r->fill_color);
	if (r->stroke) {
		dump_color(out, "stroke", r->stroke_color);
		buf_printf(out, " lw=%ld", (long)r->line_width);
	}
	buf_putc(out, '\n');
}

static void
dump_qr(struct buf *out, const struct canvas_qr *q)
{
	size_t i, n = (size_t)(q->size > 0 ? q->size : 0);
	size_t dark = 0;

	for (i = 0; i < n * n; i++)
		dark += q->modules[i] != 0;
	buf_printf(out, "qr x=%ld y=%ld module=%ld size=%d dark=%zu\n",
	    (long)q->x, (long)q->y, (long)q->module, q->size, dark);
}

/* One "meta" line with the fields that are set; nothing when none is. */
static void
dump_meta(struct buf *out, const struct canvas_meta *m)
{
	const char *names[] = { "title", "author", "subject", "language",
	    "date" };
	const char *vals[] = { m->title, m->author, m->subject, m->language,
	    m->date };
	size_t i;
	int any = 0;

	for (i = 0; i < 5; i++) {
		if (vals[i] == NULL)
			continue;
		buf_puts(out, any ? " " : "meta ");
		buf_printf(out, "%s=", names[i]);
		dump_utf8(out, vals[i]);
		any = 1;
	}
	if (any)
		buf_putc(out, '\n');
}

/*
 * The dump, one line per page and per op, all numbers in millipoints:
 *   meta title="..." author="..." subject="..." language="lt" date="..."
 *   page 1 595276x841890
 *   text x=56693 y=780000 font=0 size=9000 "Invoice No."
 *   text x=... font=2 size=9000 actual "<logical text>"
 *   rect x= y= w= h= fill=#RRGGBB stroke=#RRGGBB lw=500
 *   line x1= y1= x2= y2= w=500
 *   qr x= y= module=1500 size=29 dark=431
 *   image x= y= w= h= bytes=2412
 * A text run shows its glyphs' code points (visual order), or, after the
 * word "actual", its actual_text (logical order) when set; a positioned
 * run its width (the sum of its glyphs' advances) as w=, an emboldened
 * one the word "embolden", a word with its text always written "span".  Colours
 * appear only when not black (text, line) or when used (rect fill,
 * stroke).  Quotes and backslashes in text get a backslash, control
 * characters and invalid code points show as \u{XX}, bytes of invalid
 * UTF-8 as \x{XX}; "dark" counts the QR's dark modules.
 */
void
canvas_dump(const struct canvas *c, struct buf *out)
{
	const struct canvas_op *op;
	size_t i, j;

	dump_meta(out, &c->meta);
	for (i = 0; i < c->npages; i++) {
		buf_printf(out, "page %zu %ldx%ld\n", i + 1,
		    (long)c->pages[i].width, (long)c->pages[i].height);
		for (j = 0; j < c->pages[i].nops; j++) {
			op = &c->pages[i].ops[j];
			switch (op->kind) {
			case CANVAS_TEXT:
				dump_text(out, &op->u.text);
				break;
			case CANVAS_RECT:
				dump_rect(out, &op->u.rect);
				break;
			case CANVAS_LINE:
				buf_printf(out, "line x1=%ld y1=%ld x2=%ld "
				    "y2=%ld w=%ld", (long)op->u.line.x1,
				    (long)op->u.line.y1, (long)op->u.line.x2,
				    (long)op->u.line.y2,
				    (long)op->u.line.width);
				if (op->u.line.color.r != 0 ||
				    op->u.line.color.g != 0 ||
				    op->u.line.color.b != 0)
					dump_color(out, "color",
					    op->u.line.color);
				buf_putc(out, '\n');
				break;
			case CANVAS_QR:
				dump_qr(out, &op->u.qr);
				break;
			case CANVAS_IMAGE:
				buf_printf(out, "image x=%ld y=%ld w=%ld h=%ld "
				    "bytes=%zu\n", (long)op->u.image.x,
				    (long)op->u.image.y, (long)op->u.image.w,
				    (long)op->u.image.h, op->u.image.len);
				break;
			}
		}
	}
}
