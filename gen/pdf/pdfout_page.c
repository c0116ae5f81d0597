/*
 * pdfout_page.c - page content of the PDF back end (pdfout_private.h):
 * the content stream of each page (text runs through pdfout_text.c,
 * rectangles, lines, QR symbols), written by our own code with numbers
 * from integer millipoints, and the page objects around it (size, font
 * resources).
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or use floating point.
 */
#include <stdint.h>
#include <stdio.h>

#include "pdfout_private.h"

/* ---- graphics state ---- */

/* Set colour c with operator op ("rg" fill, "RG" stroke) unless *cur,
 * the current one (0xRRGGBB), is c already. */
static void
set_color(struct buf *b, int32_t *cur, struct canvas_color c, const char *op)
{
	int32_t v = c.r << 16 | c.g << 8 | c.b;

	if (*cur == v)
		return;
	po_component(b, c.r);
	buf_putc(b, ' ');
	po_component(b, c.g);
	buf_putc(b, ' ');
	po_component(b, c.b);
	buf_putc(b, ' ');
	buf_puts(b, op);
	buf_putc(b, '\n');
	*cur = v;
}

void
po_fill(struct buf *b, struct gstate *gs, struct canvas_color c)
{
	set_color(b, &gs->fill, c, "rg");
}

void
po_stroke(struct buf *b, struct gstate *gs, struct canvas_color c,
    int32_t width)
{
	if (gs->line_width != width) {
		po_milli(b, width);
		buf_puts(b, " w\n");
		gs->line_width = width;
	}
	set_color(b, &gs->stroke, c, "RG");
}

static void
end_text(struct buf *b, struct gstate *gs)
{
	if (gs->in_text) {
		buf_puts(b, "ET\n");
		gs->in_text = 0;
	}
}

/* "x y w h re" */
static void
put_re(struct buf *b, int64_t x, int64_t y, int64_t w, int64_t h)
{
	po_milli(b, x);
	buf_putc(b, ' ');
	po_milli(b, y);
	buf_putc(b, ' ');
	po_milli(b, w);
	buf_putc(b, ' ');
	po_milli(b, h);
	buf_puts(b, " re\n");
}

/* ---- drawing ---- */

static void
put_rect(struct buf *b, struct gstate *gs, const struct canvas_rect *r)
{
	if (!r->fill && !r->stroke)
		return;
	end_text(b, gs);
	if (r->fill)
		po_fill(b, gs, r->fill_color);
	if (r->stroke)
		po_stroke(b, gs, r->stroke_color, r->line_width);
	put_re(b, r->x, r->y, r->w, r->h);
	buf_puts(b, r->fill && r->stroke ? "B\n" : r->fill ? "f\n" : "S\n");
}

static void
put_line(struct buf *b, struct gstate *gs, const struct canvas_line *l)
{
	end_text(b, gs);
	po_stroke(b, gs, l->color, l->width);
	po_milli(b, l->x1);
	buf_putc(b, ' ');
	po_milli(b, l->y1);
	buf_puts(b, " m\n");
	po_milli(b, l->x2);
	buf_putc(b, ' ');
	po_milli(b, l->y2);
	buf_puts(b, " l\nS\n");
}

/* A QR symbol in black: one rectangle per horizontal run of dark
 * modules, all filled as one path (no seams between modules). */
static void
put_qr(struct buf *b, struct gstate *gs, const struct canvas_qr *q)
{
	const struct canvas_color black = { 0, 0, 0 };
	const unsigned char *row;
	int64_t m = q->module, top;
	int r, c0, c1, any = 0;

	end_text(b, gs);
	for (r = 0; r < q->size; r++) {
		row = q->modules + (size_t)r * (size_t)q->size;
		top = q->y - (int64_t)(r + 1) * m;
		for (c0 = 0; c0 < q->size; c0 = c1) {
			if (!row[c0]) {
				c1 = c0 + 1;
				continue;
			}
			for (c1 = c0 + 1; c1 < q->size && row[c1]; c1++)
				;
			if (!any) {
				po_fill(b, gs, black);
				any = 1;
			}
			put_re(b, q->x + c0 * m, top, (int64_t)(c1 - c0) * m,
			    m);
		}
	}
	if (any)
		buf_puts(b, "f\n");
}

/* An image, "q w 0 0 h x y cm /ImN Do Q" (its XObject made by po_page). */
static void
put_image(struct pdf *p, struct buf *b, struct gstate *gs,
    const struct canvas_image *im)
{
	int id = po_image_find(p, im->data, im->len);

	if (id < 0)
		return;
	end_text(b, gs);
	buf_puts(b, "q ");
	po_milli(b, im->w);
	buf_puts(b, " 0 0 ");
	po_milli(b, im->h);
	buf_putc(b, ' ');
	po_milli(b, im->x);
	buf_putc(b, ' ');
	po_milli(b, im->y);
	buf_puts(b, " cm /Im");
	po_int(b, id);
	buf_puts(b, " Do Q\n");
}

/* The content stream of page number pn (from 1) into b. */
static enum gen_rc
build_content(struct pdf *p, const struct canvas_page *pg, size_t pn,
    struct buf *b, struct gen_err *err)
{
	struct gstate gs = { 0, 0, 1000, -1, 0, 0, 0 };
	const struct canvas_op *op;
	enum gen_rc rc;
	size_t j;

	for (j = 0; j < pg->nops; j++) {
		op = &pg->ops[j];
		switch (op->kind) {
		case CANVAS_TEXT:
			rc = po_text(p, b, &gs, &op->u.text, pn, j + 1, err);
			if (rc != GEN_OK)
				return rc;
			break;
		case CANVAS_RECT:
			put_rect(b, &gs, &op->u.rect);
			break;
		case CANVAS_LINE:
			put_line(b, &gs, &op->u.line);
			break;
		case CANVAS_QR:
			put_qr(b, &gs, &op->u.qr);
			break;
		case CANVAS_IMAGE:
			put_image(p, b, &gs, &op->u.image);
			break;
		}
	}
	end_text(b, &gs);
	return GEN_OK;
}

/* ---- the page ---- */

/*
 * Name obj prefix+id (/F3, /Im0) in the category dictionary kind of the
 * page's resources res; *dict is that dictionary, made on first use.
 */
static void
put_resource(struct pdf *p, struct pdf_obj *res, const char *kind,
    struct pdf_obj **dict, const char *prefix, int id, struct pdf_obj *obj)
{
	char key[16];

	if (*dict == NULL) {
		*dict = po_dict(p);
		po_put(p, res, kind, *dict);
	}
	snprintf(key, sizeof(key), "%s%d", prefix, id);
	po_put(p, *dict, key, obj);
}

/* Add page pn (from 1): size, font resources, content.  libharu failures
 * are left in p->st. */
enum gen_rc
po_page(struct pdf *p, const struct canvas_page *pg, size_t pn,
    struct gen_err *err)
{
	struct pdf_obj *page, *res, *contents, *fontres = NULL, *xres = NULL;
	size_t j;
	int id;
	enum gen_rc rc;

	/* The MediaBox libharu made held floats: ours is written raw. */
	po_page_new(p, &page, &res, &contents);
	buf_reset(&p->tmp);
	buf_puts(&p->tmp, "/MediaBox [0 0 ");
	po_milli(&p->tmp, pg->width);
	buf_putc(&p->tmp, ' ');
	po_milli(&p->tmp, pg->height);
	buf_puts(&p->tmp, "]\012");
	po_put_raw(p, page, p->tmp.data, p->tmp.len);

	for (j = 0; j < pg->nops && p->st == 0; j++) {
		if (pg->ops[j].kind != CANVAS_TEXT ||
		    pg->ops[j].u.text.nglyphs == 0)
			continue;
		id = pg->ops[j].u.text.font;
		if (p->faces[id].on_page == pn)
			continue;
		p->faces[id].on_page = pn;
		put_resource(p, res, "Font", &fontres, "F", id,
		    p->faces[id].type0);
	}
	for (j = 0; j < pg->nops && p->st == 0; j++) {
		const struct canvas_image *im = &pg->ops[j].u.image;

		if (pg->ops[j].kind != CANVAS_IMAGE)
			continue;
		if ((rc = po_image_id(p, im->data, im->len, &id, err)) !=
		    GEN_OK) {
			gen_err_prefix(err, "page %zu op %zu: ", pn, j + 1);
			return rc;
		}
		if (id < 0 || p->imgs[id].on_page == pn)
			continue;
		p->imgs[id].on_page = pn;
		put_resource(p, res, "XObject", &xres, "Im", id,
		    p->imgs[id].obj);
	}
	if (p->st != 0)
		return GEN_OK;

	buf_reset(&p->tmp);
	rc = build_content(p, pg, pn, &p->tmp, err);
	if (rc != GEN_OK)
		return rc;
	po_put_deflated(p, contents, p->tmp.data, p->tmp.len,
	    PO_DEFLATE);
	return GEN_OK;
}
