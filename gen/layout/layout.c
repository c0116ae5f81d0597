/*
 * layout.c - the page layout engine (see layout.h): template tree +
 * display values -> measured slices -> pages of a struct canvas.
 *
 * Exports layout_view() and layout_document().  Must not format values
 * (docview.c and i18n.c do), read files, or draw anything but canvas ops
 * (a <qr> value becomes a module matrix through qr.c, drawn as a
 * canvas QR op).
 *
 * How it works
 *   1. Build.  The template tree is walked with the document's values;
 *      elements whose condition is false vanish.  Each element becomes an
 *      item measured at its width:
 *        ATOM   an unbreakable slice (one text line, a rule, a QR
 *               code) with its draw ops relative to the slice's
 *               top-left corner;
 *        GAP    vertical space, dropped at the top of a page;
 *        SEQ    items one below the other;
 *        PAR    columns side by side (a row, a box, a table row), with
 *               padding and decoration (fill, border, bottom rule) drawn
 *               around whatever part of it lands on a page;
 *        TABLE  a header PAR repeated atop each page's part of its body.
 *   2. Place.  place() puts as much of an item as fits in the height left
 *      on the page and returns the rest as a new item (a SEQ of what is
 *      left, a PAR of each column's rest, a TABLE of the body's rest), so
 *      a page break can fall inside any column or table cell.  At the top
 *      of a page at least one slice is always placed, so the loop always
 *      progresses.  keep="together" items and table rows are moved whole
 *      to the next page when they fit on one.
 *   3. Draw.  Once the number of pages is known, each page's ops go to
 *      the canvas in order (decoration first: a PAR reserves its slot
 *      before its columns are placed), then the running header and the
 *      footer with "page N of M".
 *
 * Memory: the items live in an arena freed at the end of the call; the
 * text lines (struct text_lines from text_layout) are kept in a list and
 * freed with it.  Coordinates are millipoints from the top-left corner of
 * the page while placing, and turned into the canvas's bottom-left origin
 * only when drawing.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "pdfout.h"
#include "qr.h"

#define MAX_PAGES	10000
#define FOOTER_GAP	6000	/* between content and footer / header */
#define FIELD_GAP	6000	/* between a field's label and value */
#define MIN_WIDTH	6000	/* narrowest column text may be set in */
#define QR_QUIET	4	/* light modules around a QR symbol */
#define QR_MIN_MODULE	709	/* 0.25 mm: smaller modules do not scan */
#define QR_EPC_VERSION	13	/* EPC069-12: version 13 at most */
#define QR_TEXT_VERSION	20	/* other payloads: 97 modules at most */

/* ---- arena ------------------------------------------------------------ */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct arena {
	struct chunk *head;
};

/* Zeroed memory that lives until arena_free(). */
static void *
amalloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (c == NULL || c->cap - c->used < need) {
		size_t cap = need > 65536 ? need : 65536;

		c = xmalloc(sizeof(*c) + cap);
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, n);
	return p;
}

static void
arena_free(struct arena *a)
{
	while (a->head != NULL) {
		struct chunk *n = a->head->next;

		free(a->head);
		a->head = n;
	}
}

/* ---- draw ops and items ------------------------------------------------ */

enum dop_kind { D_NONE, D_TEXT, D_RECT, D_LINE, D_QR, D_IMAGE };

/* A draw op; y grows downwards from the top of the page (or the item). */
struct dop {
	enum dop_kind kind;
	int32_t x, y;		/* text: pen start, baseline; rect: top-left;
				 * line: first end */
	int32_t w, h;		/* rect: size; line: the other end (x2, y2);
				 * qr: w = module side, h = modules per side */
	int32_t size;		/* text */
	int32_t lw;		/* rect stroke / line width */
	const struct text_line *line;
	const unsigned char *modules;	/* qr: h * h, 1 = dark (arena);
					 * image: its bytes (the document's) */
	size_t len;			/* image: bytes */
	struct canvas_color color;	/* text, line, rect fill */
	struct canvas_color color2;	/* rect stroke */
	int fill, stroke;
};

enum ikind { I_ATOM, I_GAP, I_SEQ, I_PAR, I_TABLE };

struct item;

struct pcol {
	int32_t x;		/* from the PAR's left edge */
	struct item *seq;	/* I_SEQ */
};

struct item {
	enum ikind kind;
	int32_t h;		/* natural (unbroken) height */
	int keep;
	/* I_ATOM */
	struct dop *ops;
	size_t nops;
	/* I_SEQ */
	struct item **items;
	size_t n;
	/* I_PAR */
	struct pcol *cols;
	size_t ncols;
	int32_t w, pad_top, pad_bottom;
	int fill;
	struct canvas_color fill_color;
	int32_t border;
	struct canvas_color border_color;
	int32_t rule;
	struct canvas_color rule_color;
	/* I_TABLE */
	struct item *head, *body;
};

/* A growable list of items while building a SEQ. */
struct ivec {
	struct item **v;
	size_t n, cap;
};

static void
ivec_add(struct ivec *v, struct item *it)
{
	v->v = xgrow(v->v, v->n, &v->cap, 16, sizeof(*v->v));
	v->v[v->n++] = it;
}

struct lpage {
	struct dop *ops;
	size_t n, cap;
};

/* Resolved (inherited) style. */
struct sty {
	int32_t size;
	int style;
	struct canvas_color color;
	int align;
	int32_t lh;
	int bilingual;
	int32_t sec_size;
	struct canvas_color sec_color;
	struct canvas_color label_color;
	int fit;			/* enum tpl_fit */
};

struct lctx {
	const struct template *t;
	const struct docview *v;
	struct i18n *i;
	struct i18n *sec;		/* secondary language or NULL */
	const struct fontset *fs;
	struct text_warnings *warn;
	struct gen_err *err;
	struct arena a;
	struct text_lines **tl;		/* every text_layout result */
	size_t ntl, captl;
	struct lpage *pages;
	size_t npages, cappages;
	struct lpage *cur;		/* page being filled */
	int32_t fresh_h;		/* content height of an empty page */
	int page_no, page_count;	/* while building page boxes */
	int overflow;			/* a slice did not fit an empty page */
	const struct tpl_node *overflow_node;
	int v2;				/* layout version 2 or later */
	/* Version 2: the fields of the list being built whose set label
	 * width is field_lw_set take field_lw_use (see build_kids). */
	int32_t field_lw_set, field_lw_use;
};

/* ---- building: text ---------------------------------------------------- */

/* The template's base style: where every page box and the body start. */
static void
sty_base(struct sty *s, const struct template *t)
{
	memset(s, 0, sizeof(*s));
	s->size = t->base.size;
	s->style = t->base.style;
	s->color = t->base.color;
	s->align = t->base.align;
	s->lh = t->base.line_height;
	s->fit = t->base.fit;
	s->bilingual = t->base.bilingual;
	s->sec_size = t->base.secondary_size;
	s->sec_color = t->base.secondary_color;
	s->label_color = t->base.label_color;
}

static void
sty_apply(struct sty *s, const struct tpl_style *t)
{
	if (t->size != 0)
		s->size = t->size;
	if (t->style >= 0)
		s->style = t->style;
	if (t->has_color)
		s->color = t->color;
	if (t->align >= 0)
		s->align = t->align;
	if (t->line_height != 0)
		s->lh = t->line_height;
	if (t->bilingual >= 0)
		s->bilingual = t->bilingual;
	if (t->secondary_size != 0)
		s->sec_size = t->secondary_size;
	if (t->has_secondary_color)
		s->sec_color = t->secondary_color;
	if (t->has_label_color)
		s->label_color = t->label_color;
	if (t->fit >= 0)
		s->fit = t->fit;
}

static struct item *
new_item(struct lctx *L, enum ikind k)
{
	struct item *it = amalloc(&L->a, sizeof(*it));

	it->kind = k;
	return it;
}

static struct item *
seq_from(struct lctx *L, struct ivec *v)
{
	struct item *s = new_item(L, I_SEQ);

	s->n = v->n;
	s->items = amalloc(&L->a, (v->n + 1) * sizeof(*s->items));
	if (v->n > 0)
		memcpy(s->items, v->v, v->n * sizeof(*s->items));
	for (size_t k = 0; k < v->n; k++)
		s->h += v->v[k]->h;
	free(v->v);
	memset(v, 0, sizeof(*v));
	return s;
}

static void
add_gap(struct lctx *L, struct ivec *out, int32_t h)
{
	struct item *g;

	if (h <= 0)
		return;
	g = new_item(L, I_GAP);
	g->h = h;
	ivec_add(out, g);
}

/*
 * The baseline of a line box of height lh for text of size: the ink of
 * the faces (accents up to 0.95 em, descenders down to 0.24 em for Noto
 * Sans) is centred in the box, so capitals and digits sit in the middle
 * of a table cell and a line's ink never reaches the next line's.
 */
static int32_t
baseline_in(int32_t lh, int32_t size)
{
	return (lh - size * 119 / 100) / 2 + size * 95 / 100;
}

/* The widest line of tl. */
static int32_t
widest_line(const struct text_lines *tl)
{
	int32_t w = 0;

	for (size_t k = 0; k < tl->n; k++)
		if (tl->lines[k].width > w)
			w = tl->lines[k].width;
	return w;
}

/*
 * Set text s at *size into *tl, broken at width w.  Version 1 breaks a
 * word wider than w between characters.  Version 2 never does while it
 * can help it: it breaks only at ICU's line-break opportunities, and
 * when a word is wider than w (a long company name in a narrow cell) it
 * sets the whole text smaller, down to half its size, until every word
 * fits; only a word too wide even then is cut.  fit is the style's
 * enum tpl_fit (balance: lines of even length).
 */
static enum gen_rc
set_text(struct lctx *L, const char *s, int style, int32_t *size,
    int32_t w, int fit, struct text_lines *tl)
{
	int flags = fit == TPL_FIT_BALANCE ? TEXT_BALANCE : 0;
	int32_t sz = *size, widest, next;
	enum gen_rc rc;

	if (!L->v2)
		return text_layout(L->fs, (enum text_style)style, s,
		    strlen(s), sz, w, tl, L->warn, L->err);
	for (;;) {
		if ((rc = text_layout_opts(L->fs, (enum text_style)style, s,
		    strlen(s), sz, w, flags | TEXT_NO_CUT, tl, L->warn,
		    L->err)) != GEN_OK)
			return rc;
		if ((widest = widest_line(tl)) <= w)
			break;
		/* Widths scale with the size, up to rounding: aim at the
		 * size that fits, a tenth of a point at a time. */
		next = (int32_t)((int64_t)sz * w / widest);
		next -= next % 100;
		if (next >= sz)
			next = sz - 100;
		text_lines_free(tl);
		if (next < *size / 2) {
			sz = *size / 2;
			if ((rc = text_layout_opts(L->fs,
			    (enum text_style)style, s, strlen(s), sz, w, flags,
			    tl, L->warn, L->err)) != GEN_OK)
				return rc;
			break;
		}
		sz = next;
	}
	*size = sz;
	return GEN_OK;
}

/*
 * Lay out text s (style st, size) at width w and append one ATOM per
 * line.  align: enum tpl_align; a right-to-left paragraph set left is
 * set right instead (version 2: a text whose first line is right to left
 * is set right as a whole, so that the country line of an Arabic address
 * stays under the rest).
 */
static enum gen_rc
add_text(struct lctx *L, struct ivec *out, const char *s, int style,
    int32_t size, int32_t lhf, struct canvas_color color, int align,
    int32_t w, int fit, const struct tpl_node *where)
{
	struct text_lines *tl;
	int32_t lh;
	int block_rtl;
	enum gen_rc rc;

	if (s == NULL || s[0] == '\0')
		return GEN_OK;
	if (w < MIN_WIDTH)
		return gen_err_set(L->err, GEN_EINPUT, "%s:%d: <%s>: only %ld"
		    " pt wide; text needs at least %d pt (narrow the other "
		    "columns or the margins)", where->file, where->line,
		    where->kind == TPL_TEXT ? "text" : "element",
		    (long)(w / 1000), MIN_WIDTH / 1000);
	tl = xcalloc(1, sizeof(*tl));
	if ((rc = set_text(L, s, style, &size, w, fit, tl)) != GEN_OK) {
		free(tl);
		return rc;
	}
	lh = (int32_t)((int64_t)size * lhf / 1000);
	if (L->ntl == L->captl) {
		L->captl = L->captl ? L->captl * 2 : 64;
		L->tl = xrealloc(L->tl, L->captl * sizeof(*L->tl));
	}
	L->tl[L->ntl++] = tl;
	block_rtl = L->v2 && tl->n > 0 && tl->lines[0].rtl;
	for (size_t k = 0; k < tl->n; k++) {
		const struct text_line *ln = &tl->lines[k];
		struct item *it = new_item(L, I_ATOM);
		struct dop *d = amalloc(&L->a, sizeof(*d));
		int a = align;

		if (a == TPL_ALIGN_LEFT && (L->v2 ? block_rtl : ln->rtl))
			a = TPL_ALIGN_RIGHT;
		d->kind = D_TEXT;
		d->line = ln;
		d->size = size;
		d->color = color;
		d->y = baseline_in(lh, size);
		if (a == TPL_ALIGN_RIGHT)
			d->x = w - ln->width;
		else if (a == TPL_ALIGN_CENTER)
			d->x = (w - ln->width) / 2;
		if (d->x < 0)
			d->x = 0;
		it->h = lh;
		it->ops = d;
		it->nops = 1;
		ivec_add(out, it);
	}
	return GEN_OK;
}

/*
 * A text with its optional second-language text: below it in the
 * secondary size and colour, after it as "text / text2", or not at all.
 */
/*
 * fit="shrink": the size at which every line of t fits in w, never below
 * half of size (wider still, it wraps).  A one-line amount such as
 * "€1,899,998.10" thus stays whole in a narrow column.
 */
static int32_t
fit_size(struct lctx *L, const char *t, int style, int32_t size, int32_t w)
{
	int32_t width = 0, fit;
	struct gen_err ignore = {0};

	if (strchr(t, '\n') != NULL || text_width(L->fs,
	    (enum text_style)style, t, strlen(t), size, &width, &ignore) !=
	    GEN_OK || width <= w || width <= 0)
		return size;
	fit = (int32_t)((int64_t)size * w / width);
	fit -= fit % 100;		/* a tenth of a point, rounded down */
	return fit < size / 2 ? size / 2 : fit;
}

static enum gen_rc
add_bitext(struct lctx *L, struct ivec *out, const char *t, const char *t2,
    const struct sty *fs, struct canvas_color color, int32_t w,
    const struct tpl_node *where)
{
	struct sty shrunk, *s = &shrunk;
	enum gen_rc rc;

	if (t == NULL || t[0] == '\0')
		return GEN_OK;
	shrunk = *fs;
	if (fs->fit == TPL_FIT_SHRINK)
		shrunk.size = fit_size(L, t, fs->style, fs->size, w);
	if (t2 != NULL && t2[0] != '\0' && s->bilingual == TPL_BI_INLINE) {
		struct buf b = {0};

		buf_puts(&b, t);
		buf_puts(&b, " / ");
		buf_puts(&b, t2);
		rc = add_text(L, out, b.data, s->style, s->size, s->lh, color,
		    s->align, w, s->fit, where);
		buf_free(&b);
		return rc;
	}
	if ((rc = add_text(L, out, t, s->style, s->size, s->lh, color,
	    s->align, w, s->fit, where)) != GEN_OK)
		return rc;
	if (t2 != NULL && t2[0] != '\0' && s->bilingual == TPL_BI_BELOW)
		rc = add_text(L, out, t2, TEXT_REGULAR,
		    (int32_t)((int64_t)s->size * s->sec_size / 1000), s->lh,
		    s->sec_color, s->align, w, s->fit, where);
	return rc;
}

/* The label of key in both languages; GEN_EINPUT when it is unknown. */
static enum gen_rc
label_texts(struct lctx *L, const char *key, const struct tpl_node *where,
    const char **t, const char **t2)
{
	*t = i18n_text(L->i, key);
	*t2 = NULL;
	if (*t == key)
		return gen_err_set(L->err, GEN_EINPUT, "%s:%d: label key '%s' "
		    "is not in the catalogue (locales/en.txt)", where->file,
		    where->line, key);
	if (L->sec != NULL) {
		*t2 = i18n_text(L->sec, key);
		if (strcmp(*t, *t2) == 0)
			*t2 = NULL;
	}
	return GEN_OK;
}

/* ---- building: blocks --------------------------------------------------- */

static enum gen_rc build_kids(struct lctx *L, const struct tpl_node *n,
    const struct sty *s, int32_t w, size_t row, struct ivec *out);

static int
cond_true(struct lctx *L, const struct tpl_node *n, size_t row)
{
	if (n->cond < 0)
		return 1;
	return docview_test(L->v, n->cond, row) != n->cond_neg;
}

/* Widths of n's visible columns (conditions already applied) in w. */
static enum gen_rc
col_widths(struct lctx *L, const struct tpl_node *owner,
    const struct tpl_node **cols, size_t n, int32_t w, int32_t gap,
    int32_t *out)
{
	int64_t rest = (int64_t)w - (int64_t)gap * (int64_t)(n > 0 ? n - 1 : 0);
	int64_t stars = 0, avail;

	for (size_t k = 0; k < n; k++) {
		const struct tpl_width *cw = &cols[k]->width;

		out[k] = 0;
		if (cw->kind == TPL_W_FIXED)
			out[k] = cw->v;
		else if (cw->kind == TPL_W_PERCENT)
			out[k] = (int32_t)((int64_t)w * cw->v / 10000);
		else
			stars += cw->kind == TPL_W_STAR ? cw->v : 1000;
		rest -= out[k];
	}
	avail = rest;
	for (size_t k = 0; k < n && stars > 0; k++) {
		const struct tpl_width *cw = &cols[k]->width;
		int64_t wt;

		if (cw->kind == TPL_W_FIXED || cw->kind == TPL_W_PERCENT)
			continue;
		wt = cw->kind == TPL_W_STAR ? cw->v : 1000;
		out[k] = (int32_t)(avail > 0 ? avail * wt / stars : 0);
	}
	for (size_t k = 0; k < n; k++)
		if (out[k] < MIN_WIDTH || rest < 0)
			return gen_err_set(L->err, GEN_EINPUT, "%s:%d: <%s>: "
			    "the columns need %lld pt more than the %ld pt "
			    "available (column %zu gets %ld pt)", owner->file,
			    owner->line, owner->kind == TPL_TABLE ? "table" :
			    "row", rest < 0 ? (long long)(-rest / 1000) : 0LL,
			    (long)(w / 1000), k + 1, (long)(out[k] / 1000));
	return GEN_OK;
}

/* A <field>: label left (wrapping), value right, as a two-column PAR. */
static enum gen_rc
build_field(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, size_t row, struct ivec *out)
{
	struct docview_text v = docview_get(L->v, n->bind, row);
	struct ivec lv = {0}, vv = {0};
	const char *lt, *lt2;
	struct sty ls = *s, vs = *s;
	int32_t vw = 0, lw;
	struct item *par;
	enum gen_rc rc;

	if (v.text == NULL)
		return GEN_OK;
	if ((rc = label_texts(L, n->label, n, &lt, &lt2)) != GEN_OK)
		return rc;
	if ((rc = text_width(L->fs, (enum text_style)s->style, v.text,
	    strlen(v.text), s->size, &vw, L->err)) != GEN_OK)
		return rc;
	if (n->width.kind == TPL_W_FIXED || n->width.kind == TPL_W_PERCENT) {
		/* A set label width: the value follows it, aligned as set. */
		lw = n->width.kind == TPL_W_FIXED ? n->width.v :
		    (int32_t)((int64_t)w * n->width.v / 10000);
		if (L->v2 && n->width.kind == TPL_W_FIXED &&
		    lw == L->field_lw_set)
			lw = L->field_lw_use;
		if (lw > w - FIELD_GAP - MIN_WIDTH)
			lw = w - FIELD_GAP - MIN_WIDTH;
		vw = w - lw - FIELD_GAP;
		vs.align = s->align;
	} else {
		/* Label left, value flush right, as wide as it needs (at
		 * least MIN_WIDTH: a one-character value such as order "7"
		 * must not make the column too narrow to set). */
		if (vw < MIN_WIDTH)
			vw = MIN_WIDTH;
		if (vw > w * 6 / 10)
			vw = w * 6 / 10;
		lw = w - vw - FIELD_GAP;
		if (lw < w * 3 / 10) {
			lw = w * 3 / 10;
			vw = w - lw - FIELD_GAP;
		}
		vs.align = s->align == TPL_ALIGN_LEFT ? TPL_ALIGN_RIGHT :
		    s->align;
	}
	ls.align = TPL_ALIGN_LEFT;
	ls.fit = TPL_FIT_WRAP;		/* labels wrap; only values shrink */
	ls.style = TEXT_REGULAR;
	if (n->st.style >= 0 && n->st.style == TEXT_BOLD)
		ls.style = TEXT_BOLD;
	vs.bilingual = TPL_BI_NONE;
	if ((rc = add_bitext(L, &lv, lt, lt2, &ls, s->label_color, lw, n)) !=
	    GEN_OK || (rc = add_bitext(L, &vv, v.text, v.text2, &vs, s->color,
	    vw, n)) != GEN_OK) {
		free(lv.v);
		free(vv.v);
		return rc;
	}
	par = new_item(L, I_PAR);
	par->w = w;
	par->ncols = 2;
	par->cols = amalloc(&L->a, 2 * sizeof(*par->cols));
	par->cols[0].x = 0;
	par->cols[0].seq = seq_from(L, &lv);
	par->cols[1].x = lw + FIELD_GAP;
	par->cols[1].seq = seq_from(L, &vv);
	par->h = par->cols[0].seq->h > par->cols[1].seq->h ?
	    par->cols[0].seq->h : par->cols[1].seq->h;
	par->keep = 1;
	ivec_add(out, par);
	return GEN_OK;
}

/* A <row> of columns. */
static enum gen_rc
build_row(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, size_t row, struct ivec *out)
{
	const struct tpl_node **cols = xcalloc(n->nkids, sizeof(*cols));
	int32_t *cw = xcalloc(n->nkids + 1, sizeof(*cw));
	size_t nc = 0;
	struct item *par = NULL;
	int32_t x = 0;
	enum gen_rc rc;

	for (size_t k = 0; k < n->nkids; k++)
		if (cond_true(L, n->kids[k], row))
			cols[nc++] = n->kids[k];
	if ((rc = col_widths(L, n, cols, nc, w, n->gap, cw)) != GEN_OK)
		goto out;
	par = new_item(L, I_PAR);
	par->w = w;
	par->ncols = nc;
	par->keep = n->keep;
	par->cols = amalloc(&L->a, (nc + 1) * sizeof(*par->cols));
	for (size_t k = 0; k < nc; k++) {
		struct ivec cv = {0};
		struct sty cs = *s;

		sty_apply(&cs, &cols[k]->st);
		if ((rc = build_kids(L, cols[k], &cs, cw[k], row, &cv)) !=
		    GEN_OK) {
			free(cv.v);
			goto out;
		}
		par->cols[k].x = x;
		par->cols[k].seq = seq_from(L, &cv);
		if (par->cols[k].seq->h > par->h)
			par->h = par->cols[k].seq->h;
		x += cw[k] + n->gap;
	}
	ivec_add(out, par);
out:
	free(cols);
	free(cw);
	return rc;
}

/* A <box>: one padded column with fill and border. */
static enum gen_rc
build_box(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, size_t row, struct ivec *out)
{
	struct ivec cv = {0};
	struct item *par;
	int32_t iw = w - n->padding[1] - n->padding[3];
	enum gen_rc rc;

	if ((rc = build_kids(L, n, s, iw, row, &cv)) != GEN_OK) {
		free(cv.v);
		return rc;
	}
	par = new_item(L, I_PAR);
	par->w = w;
	par->ncols = 1;
	par->cols = amalloc(&L->a, sizeof(*par->cols));
	par->cols[0].x = n->padding[3];
	par->cols[0].seq = seq_from(L, &cv);
	par->pad_top = n->padding[0];
	par->pad_bottom = n->padding[2];
	par->h = par->cols[0].seq->h + par->pad_top + par->pad_bottom;
	par->keep = n->keep;
	par->fill = n->has_fill;
	par->fill_color = n->fill;
	par->border = n->thickness;
	par->border_color = n->has_stroke ? n->stroke :
	    (struct canvas_color){ 0, 0, 0 };
	ivec_add(out, par);
	return GEN_OK;
}

/* One table row (header when row == SIZE_MAX) as a PAR of cells. */
static enum gen_rc
build_table_row(struct lctx *L, const struct tpl_node *n,
    const struct tpl_node **cols, const int32_t *cw, size_t nc,
    const struct sty *s, size_t row, int32_t w, struct item **out)
{
	struct item *par = new_item(L, I_PAR);
	int32_t x = 0;
	enum gen_rc rc;

	par->w = w;
	par->ncols = nc;
	par->cols = amalloc(&L->a, (nc + 1) * sizeof(*par->cols));
	par->pad_top = n->padding[0];
	par->pad_bottom = n->padding[2];
	for (size_t k = 0; k < nc; k++) {
		struct ivec cv = {0};
		struct sty cs = *s;
		int32_t iw = cw[k] - n->padding[1] - n->padding[3];

		sty_apply(&cs, &cols[k]->st);
		if (row == SIZE_MAX) {
			const char *t = NULL, *t2 = NULL;

			cs.style = TEXT_BOLD;
			cs.color = s->label_color;
			/* a header wraps (version 2: into lines of even
			 * length); fit="shrink" is for the column's values */
			cs.fit = L->v2 ? TPL_FIT_BALANCE : TPL_FIT_WRAP;
			if (n->header_size > 0)
				cs.size = n->header_size;
			if (cols[k]->label != NULL &&
			    (rc = label_texts(L, cols[k]->label, cols[k], &t,
			    &t2)) != GEN_OK)
				return rc;
			rc = add_bitext(L, &cv, t, t2, &cs, cs.color, iw,
			    cols[k]);
		} else
			rc = build_kids(L, cols[k], &cs, iw, row, &cv);
		if (rc != GEN_OK) {
			free(cv.v);
			return rc;
		}
		par->cols[k].x = x + n->padding[3];
		par->cols[k].seq = seq_from(L, &cv);
		if (par->cols[k].seq->h > par->h)
			par->h = par->cols[k].seq->h;
		x += cw[k];
	}
	par->h += par->pad_top + par->pad_bottom;
	if (row == SIZE_MAX) {
		par->fill = n->has_fill;
		par->fill_color = n->fill;
	}
	par->rule = n->thickness;
	par->rule_color = n->has_stroke ? n->stroke :
	    (struct canvas_color){ 0xc8, 0xc8, 0xc8 };
	par->keep = 1;
	*out = par;
	return GEN_OK;
}

static enum gen_rc
build_table(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, size_t drow, struct ivec *out)
{
	size_t nrows = docview_rows(L->v, (enum docview_scope)n->rows);
	const struct tpl_node **cols = xcalloc(n->nkids, sizeof(*cols));
	int32_t *cw = xcalloc(n->nkids + 1, sizeof(*cw));
	struct ivec body = {0};
	struct item *tab = NULL, *r;
	size_t nc = 0;
	enum gen_rc rc;

	(void)drow;
	if (nrows == 0) {
		rc = GEN_OK;
		goto out;
	}
	for (size_t k = 0; k < n->nkids; k++)
		if (cond_true(L, n->kids[k], 0))
			cols[nc++] = n->kids[k];
	if ((rc = col_widths(L, n, cols, nc, w, 0, cw)) != GEN_OK)
		goto out;
	for (size_t k = 0; k < nc; k++)
		if (cw[k] - n->padding[1] - n->padding[3] < MIN_WIDTH) {
			rc = gen_err_set(L->err, GEN_EINPUT, "%s:%d: <column>: "
			    "%ld pt wide, too narrow for its padding",
			    cols[k]->file, cols[k]->line, (long)(cw[k] / 1000));
			goto out;
		}
	tab = new_item(L, I_TABLE);
	if ((rc = build_table_row(L, n, cols, cw, nc, s, SIZE_MAX, w,
	    &tab->head)) != GEN_OK)
		goto out;
	for (size_t k = 0; k < nrows; k++) {
		if ((rc = build_table_row(L, n, cols, cw, nc, s, k, w, &r)) !=
		    GEN_OK)
			goto out;
		ivec_add(&body, r);
	}
	tab->body = seq_from(L, &body);
	tab->h = tab->head->h + tab->body->h;
	tab->keep = n->keep;
	ivec_add(out, tab);
out:
	free(body.v);
	free(cols);
	free(cw);
	return rc;
}

/* A rule as an ATOM of its thickness. */
static void
build_rule(struct lctx *L, const struct tpl_node *n, int32_t w,
    struct ivec *out)
{
	struct item *it = new_item(L, I_ATOM);
	struct dop *d = amalloc(&L->a, sizeof(*d));
	int32_t t = n->thickness > 0 ? n->thickness : 1;

	d->kind = D_LINE;
	d->x = 0;
	d->y = t / 2;
	d->w = w;
	d->h = t / 2;
	d->lw = t;
	d->color = n->has_stroke ? n->stroke :
	    (struct canvas_color){ 0xb0, 0xb0, 0xb0 };
	it->h = t;
	it->ops = d;
	it->nops = 1;
	ivec_add(out, it);
}

/*
 * A <qr>: the value encoded at level M (EPC069-12's level, a fair
 * compromise for any payload) as one ATOM of the element's size: a
 * white square (the quiet zone stays light on a filled box) with the
 * symbol centred in it, QR_QUIET modules from each edge, placed by the
 * alignment in w.  An EPC payload (first line "BCD", the standard's
 * service tag) may use version 13 at most, anything else version 20.
 * The module side is the size over the modules plus the quiet zone,
 * rounded down to a millipoint.  GEN_EINPUT naming the template line
 * when the payload does not fit, the column is narrower than the symbol
 * or the modules would be smaller than 0.25 mm.  An absent value draws
 * nothing.
 */
static enum gen_rc
build_qr(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, size_t row, struct ivec *out)
{
	struct docview_text v = docview_get(L->v, n->bind, row);
	struct qr_matrix m = {0};
	int32_t size = n->height, module, x0, off;
	struct item *it;
	struct dop *d;
	unsigned char *mods;
	size_t len, cells;
	int maxv;
	enum gen_rc rc;

	if (v.text == NULL || v.text[0] == '\0')
		return GEN_OK;
	if (w < size)
		return gen_err_set(L->err, GEN_EINPUT, "%s:%d: <qr>: only %ld "
		    "pt wide; the QR code needs %ld pt (widen the column or "
		    "lower size)", n->file, n->line, (long)(w / 1000),
		    (long)((size + 999) / 1000));
	len = strlen(v.text);
	maxv = strncmp(v.text, "BCD\n", 4) == 0 ? QR_EPC_VERSION :
	    QR_TEXT_VERSION;
	if ((rc = qr_encode(v.text, len, QR_ECL_M, maxv, &m, L->err)) !=
	    GEN_OK) {
		gen_err_prefix(L->err, "%s:%d: <qr bind='%s'>: ", n->file,
		    n->line, docview_name(n->bind));
		return rc;
	}
	module = size / (m.size + 2 * QR_QUIET);
	if (module < QR_MIN_MODULE) {
		rc = gen_err_set(L->err, GEN_EINPUT, "%s:%d: <qr size>: %d "
		    "modules of %ld.%03ld pt; allowed: modules of at least "
		    "0.25 mm (size %ld pt or more for this code)", n->file,
		    n->line, m.size, (long)(module / 1000),
		    (long)(module % 1000), (long)(((int64_t)QR_MIN_MODULE *
		    (m.size + 2 * QR_QUIET) + 999) / 1000));
		qr_matrix_free(&m);
		return rc;
	}
	cells = (size_t)m.size * (size_t)m.size;
	mods = amalloc(&L->a, cells);
	memcpy(mods, m.modules, cells);

	x0 = 0;
	if (s->align == TPL_ALIGN_RIGHT)
		x0 = w - size;
	else if (s->align == TPL_ALIGN_CENTER)
		x0 = (w - size) / 2;
	off = (size - module * (m.size + 2 * QR_QUIET)) / 2 +
	    module * QR_QUIET;
	it = new_item(L, I_ATOM);
	it->h = size;
	it->ops = d = amalloc(&L->a, 2 * sizeof(*d));
	it->nops = 2;
	d[0].kind = D_RECT;
	d[0].x = x0;
	d[0].w = d[0].h = size;
	d[0].fill = 1;
	d[0].color = (struct canvas_color){ 0xff, 0xff, 0xff };
	d[1].kind = D_QR;
	d[1].x = x0 + off;
	d[1].y = off;
	d[1].w = module;
	d[1].h = m.size;
	d[1].modules = mods;
	ivec_add(out, it);
	qr_matrix_free(&m);
	return GEN_OK;
}

/*
 * A <logo>: the seller's logo as issued, at the element's height and the
 * width its aspect ratio gives (smaller when the column is narrower), as
 * one ATOM placed by the alignment in w.  Nothing when the document has
 * no logo.  GEN_EINPUT when the bytes are not an image (a damaged
 * snapshot; pdfout_image_check() passed them at seller add).
 */
static enum gen_rc
build_logo(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, struct ivec *out)
{
	struct pdfout_image_info info;
	const unsigned char *data;
	struct item *it;
	struct dop *d;
	int64_t h = n->height, lw;
	size_t len;
	enum gen_rc rc;

	if ((data = docview_logo(L->v, &len)) == NULL)
		return GEN_OK;
	if ((rc = pdfout_image_probe(data, len, &info, L->err)) != GEN_OK) {
		gen_err_prefix(L->err, "%s:%d: <logo>: ", n->file, n->line);
		return rc;
	}
	lw = h * info.width / info.height;
	if (lw > w) {
		lw = w;
		h = lw * info.height / info.width;
	}
	if (lw < 1 || h < 1)
		return GEN_OK;
	it = new_item(L, I_ATOM);
	it->h = (int32_t)h;
	it->ops = d = amalloc(&L->a, sizeof(*d));
	it->nops = 1;
	d->kind = D_IMAGE;
	d->w = (int32_t)lw;
	d->h = (int32_t)h;
	if (s->align == TPL_ALIGN_RIGHT)
		d->x = w - (int32_t)lw;
	else if (s->align == TPL_ALIGN_CENTER)
		d->x = (w - (int32_t)lw) / 2;
	d->modules = data;
	d->len = len;
	ivec_add(out, it);
	return GEN_OK;
}

/* "page N of M" in the primary (and secondary) language. */
static enum gen_rc
build_page_number(struct lctx *L, const struct tpl_node *n,
    const struct sty *s, int32_t w, struct ivec *out)
{
	struct i18n_arg args[2] = { I18N_INT("page", L->page_no),
	    I18N_INT("pages", L->page_count) };
	struct buf a = {0}, b = {0};
	const char *t, *t2;
	enum gen_rc rc;

	if ((rc = label_texts(L, n->key, n, &t, &t2)) != GEN_OK)
		return rc;
	if ((rc = i18n_format(L->i, n->key, args, 2, &a, L->err)) == GEN_OK &&
	    L->sec != NULL)
		rc = i18n_format(L->sec, n->key, args, 2, &b, L->err);
	if (rc == GEN_OK)
		rc = add_bitext(L, out, a.data, b.len > 0 &&
		    strcmp(a.data, b.data) != 0 ? b.data : NULL, s, s->color,
		    w, n);
	buf_free(&a);
	buf_free(&b);
	return rc;
}

/* Insert a gap of h at index at of out. */
static void
insert_gap(struct lctx *L, struct ivec *out, size_t at, int32_t h)
{
	struct item *g;

	if (h <= 0)
		return;
	add_gap(L, out, h);
	g = out->v[out->n - 1];
	memmove(out->v + at + 1, out->v + at, (out->n - 1 - at) *
	    sizeof(*out->v));
	out->v[at] = g;
}

/*
 * Build one element (its condition already true) into out, with its
 * space-before and space-after around it when it produced anything.  A
 * keep="together" element becomes one SEQ item, so that it moves whole.
 */
static enum gen_rc
build_node(struct lctx *L, const struct tpl_node *n, const struct sty *ps,
    int32_t w, size_t row, struct ivec *out)
{
	struct sty s = *ps;
	struct ivec inner = {0};
	struct ivec *dst = n->keep ? &inner : out;
	size_t mark = out->n;
	struct docview_text v;
	const char *t, *t2;
	enum gen_rc rc = GEN_OK;

	sty_apply(&s, &n->st);
	switch (n->kind) {
	case TPL_BLOCK:
	case TPL_COLUMN:
		rc = build_kids(L, n, &s, w, row, dst);
		break;
	case TPL_TEXT:
		if (n->bind >= 0) {
			v = docview_get(L->v, n->bind, row);
			rc = add_bitext(L, dst, v.text, v.text2, &s, s.color, w,
			    n);
		} else
			rc = add_bitext(L, dst, n->literal, NULL, &s, s.color,
			    w, n);
		break;
	case TPL_LABEL:
		if ((rc = label_texts(L, n->key, n, &t, &t2)) == GEN_OK)
			rc = add_bitext(L, dst, t, t2, &s, s.color, w, n);
		break;
	case TPL_PAGE_NUMBER:
		rc = build_page_number(L, n, &s, w, dst);
		break;
	case TPL_FIELD:
		rc = build_field(L, n, &s, w, row, dst);
		break;
	case TPL_ROW:
		rc = build_row(L, n, &s, w, row, dst);
		break;
	case TPL_BOX:
		rc = build_box(L, n, &s, w, row, dst);
		break;
	case TPL_TABLE:
		rc = build_table(L, n, &s, w, row, dst);
		break;
	case TPL_RULE:
		build_rule(L, n, w, dst);
		break;
	case TPL_SPACE:
		add_gap(L, dst, n->height);
		break;
	case TPL_QR:
		rc = build_qr(L, n, &s, w, row, dst);
		break;
	case TPL_LOGO:
		rc = build_logo(L, n, &s, w, dst);
		break;
	}
	if (rc != GEN_OK) {
		free(inner.v);
		return rc;
	}
	if (dst == &inner) {
		if (inner.n > 0) {
			struct item *sq = seq_from(L, &inner);

			sq->keep = 1;
			ivec_add(out, sq);
		}
		free(inner.v);
	}
	if (out->n > mark && n->kind != TPL_SPACE) {
		insert_gap(L, out, mark, n->space_before);
		add_gap(L, out, n->space_after);
	}
	return GEN_OK;
}

/*
 * Version 2: the label column of the <field>s of list n that share a set
 * label-width (the first such field's) widens, for all of them alike, to
 * their widest label when that is wider and their values still fit
 * beside it, so that a long label ("Код плательщика НДС") does not wrap
 * and the values stay aligned.  *set and *use: the set width and the one
 * to use (equal when nothing widens).  Errors of text_width().
 */
static enum gen_rc
field_label_width(struct lctx *L, const struct tpl_node *n,
    const struct sty *s, int32_t w, size_t row, int32_t *set, int32_t *use)
{
	int32_t lab = 0, val = 0, tw, cap;
	enum gen_rc rc;

	*set = *use = -1;
	for (size_t k = 0; k < n->nkids; k++) {
		const struct tpl_node *f = n->kids[k];
		struct docview_text v;
		const char *t, *t2;
		struct sty fs = *s;
		int style;

		if (f->kind != TPL_FIELD || f->width.kind != TPL_W_FIXED ||
		    (*set >= 0 && f->width.v != *set) || !cond_true(L, f, row))
			continue;
		v = docview_get(L->v, f->bind, row);
		if (v.text == NULL)
			continue;
		*set = f->width.v;
		sty_apply(&fs, &f->st);
		style = f->st.style == TEXT_BOLD ? TEXT_BOLD : TEXT_REGULAR;
		if ((rc = label_texts(L, f->label, f, &t, &t2)) != GEN_OK ||
		    (rc = text_width(L->fs, (enum text_style)style, t,
		    strlen(t), fs.size, &tw, L->err)) != GEN_OK)
			return rc;
		if (tw > lab)
			lab = tw;
		if (t2 != NULL && fs.bilingual == TPL_BI_BELOW) {
			if ((rc = text_width(L->fs, TEXT_REGULAR, t2,
			    strlen(t2), (int32_t)((int64_t)fs.size *
			    fs.sec_size / 1000), &tw, L->err)) != GEN_OK)
				return rc;
			if (tw > lab)
				lab = tw;
		}
		if ((rc = text_width(L->fs, (enum text_style)fs.style, v.text,
		    strlen(v.text), fs.size, &tw, L->err)) != GEN_OK)
			return rc;
		if (tw > val)
			val = tw;
	}
	*use = *set;
	if (*set < 0 || lab <= *set)
		return GEN_OK;
	cap = w - FIELD_GAP - (val > MIN_WIDTH ? val : MIN_WIDTH);
	lab += 500;	/* half a point: clear of rounding */
	*use = lab < cap ? lab : cap;
	if (*use < *set)
		*use = *set;
	return GEN_OK;
}

static enum gen_rc
build_kids(struct lctx *L, const struct tpl_node *n, const struct sty *s,
    int32_t w, size_t row, struct ivec *out)
{
	int32_t saved_set = L->field_lw_set, saved_use = L->field_lw_use;
	enum gen_rc rc = GEN_OK;

	if (L->v2 && (rc = field_label_width(L, n, s, w, row,
	    &L->field_lw_set, &L->field_lw_use)) != GEN_OK)
		goto out;
	for (size_t k = 0; k < n->nkids; k++) {
		if (!cond_true(L, n->kids[k], row))
			continue;
		if ((rc = build_node(L, n->kids[k], s, w, row, out)) != GEN_OK)
			goto out;
	}
out:
	L->field_lw_set = saved_set;
	L->field_lw_use = saved_use;
	return rc;
}

/* ---- placing ------------------------------------------------------------ */

static struct dop *
page_op(struct lctx *L)
{
	struct lpage *p = L->cur;

	p->ops = xgrow(p->ops, p->n, &p->cap, 256, sizeof(*p->ops));
	memset(&p->ops[p->n], 0, sizeof(p->ops[0]));
	return &p->ops[p->n++];
}

static void
emit_atom(struct lctx *L, const struct item *it, int32_t x, int32_t y)
{
	for (size_t k = 0; k < it->nops; k++) {
		struct dop *d = page_op(L);

		*d = it->ops[k];
		d->x += x;
		d->y += y;
		if (d->kind == D_LINE) {
			d->w += x;
			d->h += y;
		}
	}
}

/* The least height that must fit for item to start on a page. */
static int32_t
min_h(const struct lctx *L, const struct item *it)
{
	int32_t m = 0;

	if (it->keep && it->h <= L->fresh_h)
		return it->h;
	switch (it->kind) {
	case I_ATOM:
	case I_GAP:
		return it->h;
	case I_SEQ:
		for (size_t k = 0; k < it->n; k++)
			if (it->items[k]->kind != I_GAP)
				return min_h(L, it->items[k]);
		return 0;
	case I_PAR:
		for (size_t k = 0; k < it->ncols; k++) {
			int32_t c = min_h(L, it->cols[k].seq);

			if (c > m)
				m = c;
		}
		return m + it->pad_top + it->pad_bottom;
	case I_TABLE:
		return it->head->h + min_h(L, it->body);
	}
	return 0;
}

static struct item *
seq_rest(struct lctx *L, struct item *first, struct item **more, size_t n)
{
	struct item *s = new_item(L, I_SEQ);

	s->n = (first != NULL) + n;
	s->items = amalloc(&L->a, (s->n + 1) * sizeof(*s->items));
	if (first != NULL)
		s->items[0] = first;
	if (n > 0)
		memcpy(s->items + (first != NULL), more, n * sizeof(*more));
	for (size_t k = 0; k < s->n; k++)
		s->h += s->items[k]->h;
	return s;
}

static void place(struct lctx *L, struct item *it, int32_t x, int32_t y,
    int32_t avail, int top, int32_t *used, struct item **rest);

static void
place_seq(struct lctx *L, struct item *it, int32_t x, int32_t y,
    int32_t avail, int top, int32_t *used, struct item **rest)
{
	int32_t u = 0;

	*rest = NULL;
	for (size_t k = 0; k < it->n; k++) {
		struct item *c = it->items[k], *r;
		int at_top = top && u == 0;
		int32_t cu;

		if (c->kind == I_GAP) {
			if (at_top)
				continue;
			if (c->h > avail - u) {
				if (k + 1 < it->n)
					*rest = seq_rest(L, NULL,
					    it->items + k + 1, it->n - k - 1);
				break;
			}
			u += c->h;
			continue;
		}
		if (!at_top && min_h(L, c) > avail - u) {
			*rest = seq_rest(L, NULL, it->items + k, it->n - k);
			break;
		}
		place(L, c, x, y + u, avail - u, at_top, &cu, &r);
		u += cu;
		if (r != NULL) {
			*rest = seq_rest(L, r, it->items + k + 1,
			    it->n - k - 1);
			break;
		}
	}
	*used = u;
}

static void
place_par(struct lctx *L, struct item *it, int32_t x, int32_t y,
    int32_t avail, int top, int32_t *used, struct item **rest)
{
	size_t mark = L->cur->n, slot = 0;
	int32_t inner = avail - it->pad_top - it->pad_bottom, maxu = 0, h;
	struct item **rests = amalloc(&L->a, (it->ncols + 1) * sizeof(*rests));
	int any_rest = 0, placed;
	int has_slot = it->fill || it->border > 0;

	*used = 0;
	*rest = it;
	if (inner < 0) {
		if (!top)
			return;
		inner = 0;
	}
	if (has_slot) {
		slot = L->cur->n;
		page_op(L)->kind = D_NONE;
	}
	for (size_t k = 0; k < it->ncols; k++) {
		int32_t cu;

		place(L, it->cols[k].seq, x + it->cols[k].x, y + it->pad_top,
		    inner, top, &cu, &rests[k]);
		if (cu > maxu)
			maxu = cu;
		if (rests[k] != NULL)
			any_rest = 1;
	}
	placed = L->cur->n > mark + (size_t)has_slot;
	if (!placed && !top && any_rest) {
		L->cur->n = mark;	/* nothing drawn: move it all on */
		return;
	}
	h = maxu + it->pad_top + it->pad_bottom;
	if (has_slot) {
		struct dop *d = &L->cur->ops[slot];

		d->kind = D_RECT;
		d->x = x;
		d->y = y;
		d->w = it->w;
		d->h = h;
		d->fill = it->fill;
		d->color = it->fill_color;
		d->stroke = it->border > 0;
		d->color2 = it->border_color;
		d->lw = it->border;
	}
	if (it->rule > 0) {
		struct dop *d = page_op(L);

		d->kind = D_LINE;
		d->x = x;
		d->w = x + it->w;
		d->y = d->h = y + h - it->rule / 2;
		d->lw = it->rule;
		d->color = it->rule_color;
	}
	*used = h;
	*rest = NULL;
	if (any_rest) {
		struct item *r = new_item(L, I_PAR);

		*r = *it;
		r->cols = amalloc(&L->a, (it->ncols + 1) * sizeof(*r->cols));
		r->h = 0;
		for (size_t k = 0; k < it->ncols; k++) {
			r->cols[k].x = it->cols[k].x;
			r->cols[k].seq = rests[k] != NULL ? rests[k] :
			    seq_rest(L, NULL, NULL, 0);
			if (r->cols[k].seq->h > r->h)
				r->h = r->cols[k].seq->h;
		}
		r->h += r->pad_top + r->pad_bottom;
		*rest = r;
	}
}

static void
place_table(struct lctx *L, struct item *it, int32_t x, int32_t y,
    int32_t avail, int top, int32_t *used, struct item **rest)
{
	int32_t hu, bu;
	struct item *hr, *br;

	*used = 0;
	*rest = it;
	if (!top && it->head->h + min_h(L, it->body) > avail)
		return;
	place(L, it->head, x, y, avail, 1, &hu, &hr);
	place(L, it->body, x, y + hu, avail - hu, top, &bu, &br);
	*used = hu + bu;
	*rest = NULL;
	if (br != NULL) {
		struct item *r = new_item(L, I_TABLE);

		r->head = it->head;
		r->body = br;
		r->h = r->head->h + br->h;
		*rest = r;
	}
}

/*
 * Put as much of it as fits in avail at (x, y); *used is the height
 * taken, *rest what is left (NULL when all of it was placed; it itself
 * when nothing was).  At the top of a page (top) something is always
 * placed.
 */
static void
place(struct lctx *L, struct item *it, int32_t x, int32_t y, int32_t avail,
    int top, int32_t *used, struct item **rest)
{
	switch (it->kind) {
	case I_ATOM:
		if (it->h <= avail || top) {
			if (it->h > avail)
				L->overflow = 1;
			emit_atom(L, it, x, y);
			*used = it->h;
			*rest = NULL;
		} else {
			*used = 0;
			*rest = it;
		}
		break;
	case I_GAP:
		*used = top ? 0 : (it->h < avail ? it->h : avail);
		*rest = NULL;
		break;
	case I_SEQ:
		place_seq(L, it, x, y, avail, top, used, rest);
		break;
	case I_PAR:
		place_par(L, it, x, y, avail, top, used, rest);
		break;
	case I_TABLE:
		place_table(L, it, x, y, avail, top, used, rest);
		break;
	}
}

/* ---- pages ------------------------------------------------------------ */

static void
new_page(struct lctx *L)
{
	if (L->npages == L->cappages) {
		L->cappages = L->cappages ? L->cappages * 2 : 4;
		L->pages = xrealloc(L->pages, L->cappages * sizeof(*L->pages));
	}
	memset(&L->pages[L->npages], 0, sizeof(L->pages[0]));
	L->cur = &L->pages[L->npages++];
}

/* Build a page box (footer, running header) for the current page_no. */
static enum gen_rc
build_box_block(struct lctx *L, const struct tpl_node *n,
    struct item **out)
{
	const struct template *t = L->t;
	struct ivec v = {0};
	struct sty s;
	enum gen_rc rc;

	*out = NULL;
	sty_base(&s, t);
	sty_apply(&s, &n->st);
	if ((rc = build_kids(L, n, &s, t->page_w - t->margin[1] -
	    t->margin[3], 0, &v)) != GEN_OK) {
		free(v.v);
		return rc;
	}
	*out = seq_from(L, &v);
	return GEN_OK;
}

/* Natural height of a page box, measured with a four-digit page count. */
static enum gen_rc
box_height(struct lctx *L, const struct tpl_node *n, int32_t *h)
{
	struct item *it;
	enum gen_rc rc;

	*h = 0;
	if (n == NULL)
		return GEN_OK;
	L->page_no = L->page_count = 8888;
	if ((rc = build_box_block(L, n, &it)) == GEN_OK)
		*h = it->h;
	return rc;
}

static void
draw_ops(struct canvas_page *cp, const struct lpage *p, int32_t ph)
{
	for (size_t k = 0; k < p->n; k++) {
		const struct dop *d = &p->ops[k];

		switch (d->kind) {
		case D_NONE:
			break;
		case D_TEXT:
			text_draw_line(cp, d->line, d->size, d->x, ph - d->y,
			    d->color);
			break;
		case D_RECT:
			canvas_add_rect(cp, d->x, ph - d->y - d->h, d->w, d->h,
			    d->fill ? &d->color : NULL,
			    d->stroke ? &d->color2 : NULL, d->lw);
			break;
		case D_LINE:
			canvas_add_line(cp, d->x, ph - d->y, d->w, ph - d->h,
			    d->lw, d->color);
			break;
		case D_QR:
			canvas_add_qr(cp, d->x, ph - d->y, d->w, d->h,
			    d->modules);
			break;
		case D_IMAGE:
			canvas_add_image(cp, d->x, ph - d->y - d->h, d->w,
			    d->h, d->modules, d->len);
			break;
		}
	}
}

/* Place a page box's SEQ on the current page at y, all of it. */
static void
place_box(struct lctx *L, struct item *it, int32_t y)
{
	int32_t u;
	struct item *r;

	place(L, it, L->t->margin[3], y, INT32_MAX / 4, 1, &u, &r);
}

static void
set_meta(struct lctx *L, struct canvas *c)
{
	struct buf title = {0};
	struct docview_text tt, num, seller, date;
	int id_title = docview_lookup("doc.title", NULL, NULL);
	int id_num = docview_lookup("doc.number", NULL, NULL);
	int id_seller = docview_lookup("seller.name", NULL, NULL);
	int id_date = docview_lookup("doc.issue_date", NULL, NULL);

	tt = docview_get(L->v, id_title, 0);
	num = docview_get(L->v, id_num, 0);
	seller = docview_get(L->v, id_seller, 0);
	date = docview_get(L->v, id_date, 0);
	(void)date;
	if (tt.text != NULL)
		buf_puts(&title, tt.text);
	if (num.text != NULL) {
		buf_puts(&title, title.len > 0 ? " " : "");
		buf_puts(&title, num.text);
	}
	canvas_set_meta(c, title.len > 0 ? title.data : NULL, seller.text,
	    tt.text, docview_language(L->v), docview_iso_date(L->v));
	buf_free(&title);
}

enum gen_rc
layout_view(const struct template *t, const struct docview *v,
    struct i18n *i, const struct fontset *fs, struct canvas **out,
    struct text_warnings *warn, struct gen_err *err)
{
	struct lctx L;
	struct canvas *c = NULL;
	struct item *rest, *body, *box;
	struct sty s;
	int32_t foot_h, run_h, content_w, bottom, top;
	enum gen_rc rc;

	*out = NULL;
	memset(&L, 0, sizeof(L));
	L.t = t;
	L.v = v;
	L.i = i;
	L.sec = i18n_secondary(i);
	L.fs = fs;
	L.v2 = docview_layout_version(v) >= 2;
	L.warn = warn;
	L.err = err;
	content_w = t->page_w - t->margin[1] - t->margin[3];

	if ((rc = box_height(&L, t->footer, &foot_h)) != GEN_OK ||
	    (rc = box_height(&L, t->running, &run_h)) != GEN_OK)
		goto out;
	bottom = t->page_h - t->margin[2] - (foot_h > 0 ? foot_h +
	    FOOTER_GAP : 0);
	top = t->margin[0] + (run_h > 0 ? run_h + FOOTER_GAP : 0);
	L.fresh_h = bottom - top;
	if (L.fresh_h < 72000) {
		rc = gen_err_set(err, GEN_EINPUT, "%s: the footer and running "
		    "header leave less than 1 inch of the page for content",
		    t->path);
		goto out;
	}

	sty_base(&s, t);
	{
		struct ivec bv = {0};

		if ((rc = build_kids(&L, t->body, &s, content_w, 0, &bv)) !=
		    GEN_OK) {
			free(bv.v);
			goto out;
		}
		body = seq_from(&L, &bv);
	}

	/* Place page after page. */
	rest = body;
	while (rest != NULL) {
		int32_t used, y0;

		if (L.npages == MAX_PAGES) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: the document "
			    "needs more than %d pages", t->path, MAX_PAGES);
			goto out;
		}
		new_page(&L);
		y0 = L.npages == 1 ? t->margin[0] : top;
		place(&L, rest, t->margin[3], y0, bottom - y0, 1, &used,
		    &rest);
		if (L.overflow) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: a line is "
			    "taller than the page's content area (font size "
			    "or padding too large)", t->path);
			goto out;
		}
		/* place() always puts something at the top of a page. */
		if (rest != NULL && L.cur->n == 0) {
			rc = gen_err_set(err, GEN_EINTERNAL, "%s: page %zu: "
			    "layout made no progress", t->path, L.npages);
			goto out;
		}
	}

	/* Draw, with the page count known. */
	c = canvas_new();
	set_meta(&L, c);
	L.page_count = (int)L.npages;
	for (size_t p = 0; p < L.npages; p++) {
		struct canvas_page *cp;

		L.page_no = (int)p + 1;
		L.cur = &L.pages[p];
		if (t->running != NULL && p > 0) {
			if ((rc = build_box_block(&L, t->running, &box)) !=
			    GEN_OK)
				goto out;
			place_box(&L, box, t->margin[0]);
		}
		if (t->footer != NULL) {
			if ((rc = build_box_block(&L, t->footer, &box)) !=
			    GEN_OK)
				goto out;
			place_box(&L, box, t->page_h - t->margin[2] - box->h);
		}
		cp = canvas_add_page(c, t->page_w, t->page_h);
		draw_ops(cp, &L.pages[p], t->page_h);
	}
	*out = c;
	c = NULL;
	rc = GEN_OK;
out:
	canvas_free(c);
	for (size_t k = 0; k < L.ntl; k++) {
		text_lines_free(L.tl[k]);
		free(L.tl[k]);
	}
	free(L.tl);
	for (size_t p = 0; p < L.npages; p++)
		free(L.pages[p].ops);
	free(L.pages);
	arena_free(&L.a);
	return rc;
}

enum gen_rc
layout_document(const struct template *t, const struct document *d,
    struct i18n *i, const struct fontset *fs, struct canvas **out,
    struct text_warnings *warn, struct gen_err *err)
{
	struct docview *v = NULL;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = docview_build(d, i, &v, err)) != GEN_OK)
		return rc;
	rc = layout_view(t, v, i, fs, out, warn, err);
	docview_free(v);
	return rc;
}
