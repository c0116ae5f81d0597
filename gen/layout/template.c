/*
 * template.c - reads and checks layout templates (see template.h and
 * templates/README.md for the language).
 *
 * Exports template_parse, template_free and template_get.  The only file
 * of the layout that includes libxml2.  Must not draw or format values.
 *
 * libxml2 conventions translated here: the parser is a private context
 * per call with XML_PARSE_NONET (no network), without entity expansion
 * and with errors collected from the context (XML_PARSE_NOERROR and
 * NOWARNING keep libxml2 from printing), and each message becomes
 * "file:line: ..." in a struct gen_err.  xmlInitParser() runs once per
 * process (pthread_once), as libxml2 asks of threaded programs.
 *
 * The cache of template_get() is the one piece of process state here: a
 * mutex-protected list of parsed trees, never freed (a tree may be in use
 * by another thread), re-validated by the size and modification time of
 * every file it was read from.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "ascii.h"
#include "docview.h"
#include "template.h"
#include "text.h"

#define TPL_MAX_DEPTH	32	/* nesting of elements */
#define TPL_MAX_NODES	4096	/* elements per template */
#define TPL_MAX_BYTES	(1024 * 1024)
#define QR_MIN_MM	15	/* <qr size>: smaller codes do not scan */
#define QR_MAX_MM	120
#define LOGO_MIN_MM	5	/* <logo height> */
#define LOGO_MAX_MM	60

/* ---- element and attribute tables ----------------------------------- */

/* Where an element may appear. */
enum place {
	P_ROOT = 1,		/* directly under <template> */
	P_FLOW = 2,		/* any block list */
	P_ROWKID = 4,		/* under <row> */
	P_TABLEKID = 8,		/* under <table> */
	P_PAGEBOX = 16		/* inside <footer> / <running-header> */
};

#define STYLE_ATTRS "size", "style", "color", "align", "line-height", "fit", \
	"bilingual", "secondary-size", "secondary-color", "label-color"
#define COMMON_ATTRS "if", "space-before", "space-after", "keep", STYLE_ATTRS

static const char *const a_template[] = { "page", "margin", "extends",
	STYLE_ATTRS, NULL };
static const char *const a_pagebox[] = { STYLE_ATTRS, NULL };
static const char *const a_group[] = { COMMON_ATTRS, NULL };
static const char *const a_if[] = { "test", COMMON_ATTRS, NULL };
static const char *const a_row[] = { "gap", COMMON_ATTRS, NULL };
static const char *const a_column[] = { "width", COMMON_ATTRS, NULL };
static const char *const a_tcolumn[] = { "width", "label", "bind",
	COMMON_ATTRS, NULL };
static const char *const a_text[] = { "bind", COMMON_ATTRS, NULL };
static const char *const a_label[] = { "key", COMMON_ATTRS, NULL };
static const char *const a_field[] = { "label", "bind", "label-width",
	COMMON_ATTRS, NULL };
static const char *const a_table[] = { "rows", "header-fill", "header-size",
	"rule", "rule-color", "padding", COMMON_ATTRS, NULL };
static const char *const a_rule[] = { "thickness", "color", "if",
	"space-before", "space-after", NULL };
static const char *const a_box[] = { "border", "border-color", "fill",
	"padding", COMMON_ATTRS, NULL };
static const char *const a_space[] = { "height", "if", NULL };
static const char *const a_pagenum[] = { "key", COMMON_ATTRS, NULL };
/* "size" of a <qr> is the symbol's side (a length), not a font size. */
static const char *const a_qr[] = { "bind", "size", "align", "if",
	"space-before", "space-after", NULL };
static const char *const a_logo[] = { "height", "align", "if",
	"space-before", "space-after", NULL };

struct elem {
	const char *name;
	enum tpl_kind kind;
	unsigned places;
	const char *const *attrs;
};

static const struct elem elems[] = {
	{ "group", TPL_BLOCK, P_FLOW, a_group },
	{ "if", TPL_BLOCK, P_FLOW, a_if },
	{ "row", TPL_ROW, P_FLOW, a_row },
	{ "column", TPL_COLUMN, P_ROWKID | P_TABLEKID, a_column },
	{ "text", TPL_TEXT, P_FLOW, a_text },
	{ "label", TPL_LABEL, P_FLOW, a_label },
	{ "field", TPL_FIELD, P_FLOW, a_field },
	{ "table", TPL_TABLE, P_FLOW, a_table },
	{ "rule", TPL_RULE, P_FLOW, a_rule },
	{ "box", TPL_BOX, P_FLOW, a_box },
	{ "space", TPL_SPACE, P_FLOW, a_space },
	{ "page-number", TPL_PAGE_NUMBER, P_FLOW, a_pagenum },
	{ "qr", TPL_QR, P_FLOW, a_qr },
	{ "logo", TPL_LOGO, P_FLOW, a_logo },
};
#define NELEMS (sizeof(elems) / sizeof(elems[0]))

/* ---- parse state ----------------------------------------------------- */

struct pctx {
	struct template *t;
	const char *file;		/* the file being read (in t->files) */
	struct gen_err *err;
	size_t nnodes;
	int in_pagebox;			/* inside <footer> / <running-header> */
	int row_scope;			/* row scope allowed besides doc */
};

static enum gen_rc tfail(struct pctx *p, const xmlNode *n, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Record "file:line: message" and return GEN_EINPUT. */
static enum gen_rc
tfail(struct pctx *p, const xmlNode *n, const char *fmt, ...)
{
	char msg[GEN_ERR_MSG_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return gen_err_set(p->err, GEN_EINPUT, "%s:%ld: %s", p->file,
	    n != NULL ? xmlGetLineNo(n) : 0L, msg);
}

static const char *
xname(const xmlNode *n)
{
	return (const char *)n->name;
}

/* Attribute value (owned by libxml2's tree), or NULL. */
static const char *
attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 &&
		    a->children != NULL && a->children->content != NULL)
			return (const char *)a->children->content;
	return NULL;
}

static void
list_names(struct buf *b, const char *const *names)
{
	for (size_t k = 0; names[k] != NULL; k++) {
		buf_puts(b, k ? ", " : "");
		buf_puts(b, names[k]);
	}
}

/* Every attribute of n must be in allowed. */
static enum gen_rc
check_attrs(struct pctx *p, const xmlNode *n, const char *const *allowed)
{
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		size_t k;
		struct buf b = {0};
		enum gen_rc rc;

		for (k = 0; allowed[k] != NULL; k++)
			if (strcmp(allowed[k], (const char *)a->name) == 0)
				break;
		if (allowed[k] != NULL && a->ns == NULL)
			continue;
		list_names(&b, allowed);
		rc = tfail(p, n, "<%s>: unknown attribute '%s'; allowed: %s",
		    xname(n), (const char *)a->name, b.data);
		buf_free(&b);
		return rc;
	}
	return GEN_OK;
}

/* ---- values ---------------------------------------------------------- */

/*
 * A non-negative decimal with up to 3 fraction digits, in thousandths:
 * "12" -> 12000, "0.5" -> 500.  *end is left after the number.  -1 when
 * there is no number or it exceeds max (in whole units).
 */
static int
parse_milli(const char *s, const char **end, int64_t max, int64_t *out)
{
	int64_t v = 0;
	int digits = 0, frac = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (v > max)
			return -1;
		digits++;
	}
	v *= 1000;
	if (*s == '.') {
		int64_t scale = 100;

		s++;
		while (*s >= '0' && *s <= '9') {
			if (++frac > 3)
				return -1;
			v += (*s++ - '0') * scale;
			scale /= 10;
		}
	}
	if (digits + frac == 0)
		return -1;
	*end = s;
	*out = v;
	return 0;
}

/* A length: number + mm, cm, in or pt (no unit: pt), to millipoints. */
static int
parse_len(const char *s, int32_t *out)
{
	const char *e;
	int64_t v;

	if (parse_milli(s, &e, 10000, &v) != 0)
		return -1;
	if (strcmp(e, "mm") == 0)
		v = (v * 72000 + 12700) / 25400;
	else if (strcmp(e, "cm") == 0)
		v = (v * 720000 + 12700) / 25400;
	else if (strcmp(e, "in") == 0)
		v = v * 72;
	else if (strcmp(e, "pt") != 0 && *e != '\0')
		return -1;
	if (v > 5000000)	/* 5000 pt: larger than any page */
		return -1;
	*out = (int32_t)v;
	return 0;
}

/* One to four lengths, CSS order (top right bottom left). */
static int
parse_lens4(const char *s, int32_t out[4])
{
	int32_t v[4];
	int n = 0;
	char tok[32];

	while (*s != '\0') {
		size_t len;

		while (*s == ' ')
			s++;
		len = strcspn(s, " ");
		if (len == 0)
			break;
		if (n == 4 || len >= sizeof(tok))
			return -1;
		memcpy(tok, s, len);
		tok[len] = '\0';
		if (parse_len(tok, &v[n++]) != 0)
			return -1;
		s += len;
	}
	switch (n) {
	case 1:
		v[1] = v[2] = v[3] = v[0];
		break;
	case 2:
		v[2] = v[0];
		v[3] = v[1];
		break;
	case 3:
		v[3] = v[1];
		break;
	case 4:
		break;
	default:
		return -1;
	}
	memcpy(out, v, sizeof(v));
	return 0;
}

/* A factor such as "1.25" in thousandths, within lo..hi thousandths. */
static int
parse_factor(const char *s, int32_t lo, int32_t hi, int32_t *out)
{
	const char *e;
	int64_t v;

	if (parse_milli(s, &e, 100, &v) != 0 || *e != '\0' || v < lo || v > hi)
		return -1;
	*out = (int32_t)v;
	return 0;
}

/* "#rrggbb" or "#rgb". */
static int
parse_color(const char *s, struct canvas_color *c)
{
	size_t n = strlen(s);
	int h[6];

	if (s[0] != '#' || (n != 4 && n != 7))
		return -1;
	for (size_t k = 1; k < n; k++)
		if ((h[k - 1] = ascii_hex_value(s[k])) < 0)
			return -1;
	if (n == 4) {
		c->r = (uint8_t)(h[0] * 17);
		c->g = (uint8_t)(h[1] * 17);
		c->b = (uint8_t)(h[2] * 17);
	} else {
		c->r = (uint8_t)(h[0] * 16 + h[1]);
		c->g = (uint8_t)(h[2] * 16 + h[3]);
		c->b = (uint8_t)(h[4] * 16 + h[5]);
	}
	return 0;
}

/* "*", "2*", "40%", or a length. */
static int
parse_width(const char *s, struct tpl_width *w)
{
	size_t n = strlen(s);
	const char *e;
	int64_t v;

	if (strcmp(s, "*") == 0) {
		w->kind = TPL_W_STAR;
		w->v = 1000;
		return 0;
	}
	if (n > 1 && s[n - 1] == '*') {
		if (parse_milli(s, &e, 1000, &v) != 0 || *e != '*' || v == 0)
			return -1;
		w->kind = TPL_W_STAR;
		w->v = (int32_t)v;
		return 0;
	}
	if (n > 1 && s[n - 1] == '%') {
		if (parse_milli(s, &e, 100, &v) != 0 || *e != '%' || v == 0 ||
		    v > 100000)
			return -1;
		w->kind = TPL_W_PERCENT;
		w->v = (int32_t)(v / 10);	/* hundredths of a percent */
		return 0;
	}
	w->kind = TPL_W_FIXED;
	return parse_len(s, &w->v);
}

static int
one_of(const char *s, const char *const *names)
{
	for (int k = 0; names[k] != NULL; k++)
		if (strcmp(s, names[k]) == 0)
			return k;
	return -1;
}

/* A label key: [a-z][a-z0-9_]*, at most 64 bytes. */
static int
valid_key(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t k = 1; k < n; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') ||
		    (s[k] >= '0' && s[k] <= '9') || s[k] == '_'))
			return 0;
	return 1;
}

/* ---- attribute readers ------------------------------------------------ */

static enum gen_rc
style_attrs(struct pctx *p, const xmlNode *n, struct tpl_style *st)
{
	static const char *const styles[] = { "regular", "bold", NULL };
	static const char *const aligns[] = { "left", "center", "right", NULL };
	static const char *const bis[] = { "below", "inline", "none", NULL };
	const char *v;
	int k;

	if ((v = attr(n, "size")) != NULL && strcmp(xname(n), "qr") != 0) {
		int32_t sz;

		if (parse_factor(v, 3000, 72000, &sz) != 0)
			return tfail(p, n, "<%s size='%s'>: not a font size; "
			    "allowed: 3 to 72 (points, up to 3 decimals)",
			    xname(n), v);
		st->size = sz;
	}
	if ((v = attr(n, "style")) != NULL) {
		if ((k = one_of(v, styles)) < 0)
			return tfail(p, n, "<%s style='%s'>: unknown style; "
			    "allowed: regular, bold", xname(n), v);
		st->style = k == 0 ? TEXT_REGULAR : TEXT_BOLD;
	}
	if ((v = attr(n, "align")) != NULL) {
		if ((k = one_of(v, aligns)) < 0)
			return tfail(p, n, "<%s align='%s'>: allowed: left, "
			    "center, right", xname(n), v);
		st->align = k;
	}
	if ((v = attr(n, "bilingual")) != NULL) {
		if ((k = one_of(v, bis)) < 0)
			return tfail(p, n, "<%s bilingual='%s'>: allowed: "
			    "below, inline, none", xname(n), v);
		st->bilingual = k;
	}
	if ((v = attr(n, "fit")) != NULL) {
		static const char *const fits[] = { "wrap", "shrink",
			"balance", NULL };

		if ((k = one_of(v, fits)) < 0)
			return tfail(p, n, "<%s fit='%s'>: allowed: wrap, "
			    "shrink, balance", xname(n), v);
		st->fit = k;
	}
	if ((v = attr(n, "line-height")) != NULL &&
	    parse_factor(v, 800, 3000, &st->line_height) != 0)
		return tfail(p, n, "<%s line-height='%s'>: allowed: a factor "
		    "from 0.8 to 3 (e.g. 1.25)", xname(n), v);
	if ((v = attr(n, "secondary-size")) != NULL &&
	    parse_factor(v, 300, 1000, &st->secondary_size) != 0)
		return tfail(p, n, "<%s secondary-size='%s'>: allowed: a "
		    "factor from 0.3 to 1 (e.g. 0.85)", xname(n), v);
	if ((v = attr(n, "color")) != NULL && n->parent != NULL &&
	    strcmp(xname(n), "rule") != 0) {
		if (parse_color(v, &st->color) != 0)
			return tfail(p, n, "<%s color='%s'>: allowed: #rrggbb "
			    "or #rgb", xname(n), v);
		st->has_color = 1;
	}
	if ((v = attr(n, "secondary-color")) != NULL) {
		if (parse_color(v, &st->secondary_color) != 0)
			return tfail(p, n, "<%s secondary-color='%s'>: allowed:"
			    " #rrggbb or #rgb", xname(n), v);
		st->has_secondary_color = 1;
	}
	if ((v = attr(n, "label-color")) != NULL) {
		if (parse_color(v, &st->label_color) != 0)
			return tfail(p, n, "<%s label-color='%s'>: allowed: "
			    "#rrggbb or #rgb", xname(n), v);
		st->has_label_color = 1;
	}
	return GEN_OK;
}

static enum gen_rc
len_attr(struct pctx *p, const xmlNode *n, const char *name, int32_t *out)
{
	const char *v = attr(n, name);

	if (v != NULL && parse_len(v, out) != 0)
		return tfail(p, n, "<%s %s='%s'>: not a length; allowed: a "
		    "number with mm, cm, in or pt (e.g. 4mm, 0.5pt)", xname(n),
		    name, v);
	return GEN_OK;
}

/* Attribute name as one to four lengths (parse_lens4), if present. */
static enum gen_rc
lens4_attr(struct pctx *p, const xmlNode *n, const char *name,
    int32_t out[4])
{
	const char *v = attr(n, name);

	if (v != NULL && parse_lens4(v, out) != 0)
		return tfail(p, n, "<%s %s='%s'>: allowed: 1 to 4 lengths",
		    xname(n), name, v);
	return GEN_OK;
}

static enum gen_rc
color_attr(struct pctx *p, const xmlNode *n, const char *name, int *has,
    struct canvas_color *out)
{
	const char *v = attr(n, name);

	if (v == NULL)
		return GEN_OK;
	if (parse_color(v, out) != 0)
		return tfail(p, n, "<%s %s='%s'>: allowed: #rrggbb or #rgb",
		    xname(n), name, v);
	*has = 1;
	return GEN_OK;
}

/* Resolve a binding name for n; scope must be the document's or p's rows. */
static enum gen_rc
resolve(struct pctx *p, const xmlNode *n, const char *what, const char *name,
    int want_text, int *id)
{
	enum docview_scope scope;
	int flag, k = docview_lookup(name, &scope, &flag);
	struct buf b = {0};
	enum gen_rc rc;

	if (k >= 0 && (scope == DOCVIEW_DOC || (int)scope == p->row_scope) &&
	    !(want_text && flag)) {
		*id = k;
		return GEN_OK;
	}
	if (k >= 0 && want_text && flag)
		rc = tfail(p, n, "<%s %s='%s'>: a flag has no text; bind a "
		    "value name, or use it in if/test", xname(n), what, name);
	else if (k >= 0)
		rc = tfail(p, n, "<%s %s='%s'>: a name of table rows='%s' "
		    "can be used only inside that table's columns", xname(n),
		    what, name, docview_table_name(scope));
	else {
		docview_suggest(name, -1, &b);
		rc = tfail(p, n, "<%s %s='%s'>: unknown name; allowed: %s",
		    xname(n), what, name, b.data);
	}
	buf_free(&b);
	return rc;
}

/* ---- nodes ----------------------------------------------------------- */

static void
node_free(struct tpl_node *x)
{
	if (x == NULL)
		return;
	for (size_t k = 0; k < x->nkids; k++)
		node_free(x->kids[k]);
	free(x->kids);
	free(x->key);
	free(x->literal);
	free(x->label);
	free(x);
}

static struct tpl_node *
node_new(struct pctx *p, enum tpl_kind kind, const xmlNode *n)
{
	struct tpl_node *x = xcalloc(1, sizeof(*x));

	x->kind = kind;
	x->line = n != NULL ? (int)xmlGetLineNo(n) : 0;
	x->file = p->file;
	x->st.style = -1;
	x->st.align = -1;
	x->st.bilingual = -1;
	x->st.fit = -1;
	x->cond = -1;
	x->bind = -1;
	x->rows = -1;
	return x;
}

static void
add_kid(struct tpl_node *x, struct tpl_node *k)
{
	x->kids = xrealloc(x->kids, (x->nkids + 1) * sizeof(*x->kids));
	x->kids[x->nkids++] = k;
}

/* Collapse runs of XML white space into one space; trim the ends. */
static char *
collapse(const char *s)
{
	struct buf b = {0};
	int sp = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			buf_putc(&b, ' ');
		sp = 0;
		buf_putc(&b, *s);
	}
	if (b.data == NULL)
		return xstrdup("");
	return buf_detach(&b, NULL);
}

static int
blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static enum gen_rc parse_kids(struct pctx *p, const xmlNode *n,
    struct tpl_node *x, unsigned place, int depth);

/* Parse the attributes common to flow elements. */
static enum gen_rc
common_attrs(struct pctx *p, const xmlNode *n, struct tpl_node *x)
{
	const char *v, *what;
	enum gen_rc rc;

	if ((rc = style_attrs(p, n, &x->st)) != GEN_OK ||
	    (rc = len_attr(p, n, "space-before", &x->space_before)) != GEN_OK ||
	    (rc = len_attr(p, n, "space-after", &x->space_after)) != GEN_OK)
		return rc;
	if ((v = attr(n, "keep")) != NULL) {
		if (strcmp(v, "together") != 0)
			return tfail(p, n, "<%s keep='%s'>: allowed: together",
			    xname(n), v);
		x->keep = 1;
	}
	what = strcmp(xname(n), "if") == 0 ? "test" : "if";
	if ((v = attr(n, what)) != NULL) {
		if (v[0] == '!') {
			x->cond_neg = 1;
			v++;
		}
		if ((rc = resolve(p, n, what, v, 0, &x->cond)) != GEN_OK)
			return rc;
	} else if (strcmp(xname(n), "if") == 0)
		return tfail(p, n, "<if>: attribute 'test' is required (a "
		    "name, or !name)");
	return GEN_OK;
}

/* Parse one element n found at `place` into a new node *out. */
static enum gen_rc
parse_elem(struct pctx *p, const xmlNode *n, unsigned place, int depth,
    struct tpl_node **out)
{
	const struct elem *e = NULL;
	struct tpl_node *x = NULL;
	const char *v;
	int saved_scope = p->row_scope;
	enum gen_rc rc;

	*out = NULL;
	if (depth > TPL_MAX_DEPTH)
		return tfail(p, n, "<%s>: elements nested deeper than %d",
		    xname(n), TPL_MAX_DEPTH);
	if (++p->nnodes > TPL_MAX_NODES)
		return tfail(p, n, "more than %d elements", TPL_MAX_NODES);
	for (size_t k = 0; k < NELEMS; k++)
		if (strcmp(elems[k].name, xname(n)) == 0)
			e = &elems[k];
	if (n->ns != NULL)
		e = NULL;
	if (e == NULL || (e->places & place) == 0 ||
	    (e->kind == TPL_PAGE_NUMBER && !p->in_pagebox)) {
		struct buf b = {0};
		size_t cnt = 0;

		for (size_t k = 0; k < NELEMS; k++) {
			if ((elems[k].places & place) == 0 ||
			    (elems[k].kind == TPL_PAGE_NUMBER &&
			    !p->in_pagebox))
				continue;
			buf_puts(&b, cnt++ ? ", " : "");
			buf_puts(&b, elems[k].name);
		}
		if (place & P_ROOT)
			buf_puts(&b, ", footer, running-header");
		rc = tfail(p, n, "<%s>: %s here; allowed: %s", xname(n),
		    e == NULL ? "unknown element" : "not allowed", b.data);
		buf_free(&b);
		return rc;
	}
	if ((rc = check_attrs(p, n, e->kind == TPL_COLUMN &&
	    (place & P_TABLEKID) ? a_tcolumn : e->attrs)) != GEN_OK)
		return rc;
	x = node_new(p, e->kind, n);
	/* A table column's condition is about the document, not a row. */
	if (e->kind == TPL_COLUMN && (place & P_TABLEKID))
		p->row_scope = -1;
	rc = common_attrs(p, n, x);
	p->row_scope = saved_scope;
	if (rc != GEN_OK)
		goto fail;

	switch (e->kind) {
	case TPL_BLOCK:
		rc = parse_kids(p, n, x, P_FLOW, depth);
		break;
	case TPL_ROW:
		if ((rc = len_attr(p, n, "gap", &x->gap)) == GEN_OK)
			rc = parse_kids(p, n, x, P_ROWKID, depth);
		if (rc == GEN_OK && x->nkids == 0)
			rc = tfail(p, n, "<row>: needs at least one <column>");
		break;
	case TPL_COLUMN:
		x->width.kind = TPL_W_AUTO;
		if ((v = attr(n, "width")) != NULL &&
		    parse_width(v, &x->width) != 0) {
			rc = tfail(p, n, "<column width='%s'>: allowed: *, N*, "
			    "a percentage (40%%) or a length (30mm)", v);
			break;
		}
		if ((v = attr(n, "label")) != NULL) {
			if (!valid_key(v)) {
				rc = tfail(p, n, "<column label='%s'>: not a "
				    "catalogue key ([a-z][a-z0-9_]*)", v);
				break;
			}
			x->label = xstrdup(v);
		}
		if ((v = attr(n, "bind")) != NULL) {
			struct tpl_node *t;

			if ((rc = resolve(p, n, "bind", v, 1, &x->bind)) !=
			    GEN_OK)
				break;
			/* Shorthand for one <text bind> child. */
			t = node_new(p, TPL_TEXT, n);
			t->bind = x->bind;
			add_kid(x, t);
			if (n->children != NULL) {
				for (const xmlNode *c = n->children; c != NULL;
				    c = c->next)
					if (c->type == XML_ELEMENT_NODE ||
					    (c->type == XML_TEXT_NODE &&
					    !blank((const char *)c->content))) {
						rc = tfail(p, c, "<column bind>"
						    " has no content; use "
						    "either bind or children");
						goto fail;
					}
			}
			break;
		}
		rc = parse_kids(p, n, x, P_FLOW, depth);
		break;
	case TPL_TEXT:
		if ((v = attr(n, "bind")) != NULL) {
			if ((rc = resolve(p, n, "bind", v, 1, &x->bind)) !=
			    GEN_OK)
				break;
		}
		for (const xmlNode *c = n->children; c != NULL; c = c->next) {
			if (c->type == XML_COMMENT_NODE)
				continue;
			if (c->type != XML_TEXT_NODE &&
			    c->type != XML_CDATA_SECTION_NODE) {
				rc = tfail(p, c, "<text>: holds text only, "
				    "not <%s>", xname(c));
				goto fail;
			}
			if (blank((const char *)c->content))
				continue;
			if (x->bind >= 0) {
				rc = tfail(p, n, "<text>: has both bind and "
				    "literal text; use one");
				goto fail;
			}
			if (x->literal == NULL) {
				xmlChar *all = xmlNodeGetContent(n);

				x->literal = collapse((const char *)all);
				xmlFree(all);
			}
		}
		if (x->bind < 0 && x->literal == NULL)
			rc = tfail(p, n, "<text>: needs bind='name' or literal "
			    "text");
		break;
	case TPL_LABEL:
	case TPL_PAGE_NUMBER:
		v = attr(n, "key");
		if (v == NULL && e->kind == TPL_PAGE_NUMBER)
			v = "page_n_of_m";
		if (v == NULL || !valid_key(v)) {
			rc = tfail(p, n, "<%s>: key='%s' is not a catalogue key"
			    " ([a-z][a-z0-9_]*, see locales/en.txt)", xname(n),
			    v != NULL ? v : "");
			break;
		}
		x->key = xstrdup(v);
		break;
	case TPL_FIELD:
		if ((v = attr(n, "label")) == NULL || !valid_key(v)) {
			rc = tfail(p, n, "<field>: label='%s' is not a "
			    "catalogue key ([a-z][a-z0-9_]*)", v ? v : "");
			break;
		}
		x->label = xstrdup(v);
		x->width.kind = TPL_W_AUTO;
		if ((v = attr(n, "label-width")) != NULL &&
		    (parse_width(v, &x->width) != 0 ||
		    x->width.kind == TPL_W_STAR)) {
			rc = tfail(p, n, "<field label-width='%s'>: allowed: a "
			    "percentage (35%%) or a length (30mm)", v);
			break;
		}
		if ((v = attr(n, "bind")) == NULL) {
			rc = tfail(p, n, "<field>: attribute 'bind' is "
			    "required");
			break;
		}
		rc = resolve(p, n, "bind", v, 1, &x->bind);
		break;
	case TPL_TABLE:
		if ((v = attr(n, "rows")) == NULL ||
		    (x->rows = docview_table_scope(v)) < 0) {
			rc = tfail(p, n, "<table rows='%s'>: allowed: lines, "
			    "vats", v ? v : "");
			break;
		}
		x->thickness = 500;
		x->padding[0] = x->padding[2] = 2000;
		x->padding[1] = x->padding[3] = 3000;
		if ((rc = color_attr(p, n, "header-fill", &x->has_fill,
		    &x->fill)) != GEN_OK ||
		    (rc = color_attr(p, n, "rule-color", &x->has_stroke,
		    &x->stroke)) != GEN_OK ||
		    (rc = len_attr(p, n, "rule", &x->thickness)) != GEN_OK)
			break;
		if ((rc = lens4_attr(p, n, "padding", x->padding)) != GEN_OK)
			break;
		if ((v = attr(n, "header-size")) != NULL &&
		    parse_factor(v, 3000, 72000, &x->header_size) != 0) {
			rc = tfail(p, n, "<table header-size='%s'>: not a font "
			    "size; allowed: 3 to 72 (points)", v);
			break;
		}
		p->row_scope = x->rows;
		rc = parse_kids(p, n, x, P_TABLEKID, depth);
		p->row_scope = saved_scope;
		if (rc == GEN_OK && x->nkids == 0)
			rc = tfail(p, n, "<table>: needs at least one "
			    "<column>");
		break;
	case TPL_RULE:
		x->thickness = 500;
		if ((rc = len_attr(p, n, "thickness", &x->thickness)) ==
		    GEN_OK)
			rc = color_attr(p, n, "color", &x->has_stroke,
			    &x->stroke);
		break;
	case TPL_BOX:
		if ((rc = len_attr(p, n, "border", &x->thickness)) != GEN_OK ||
		    (rc = color_attr(p, n, "border-color", &x->has_stroke,
		    &x->stroke)) != GEN_OK ||
		    (rc = color_attr(p, n, "fill", &x->has_fill, &x->fill)) !=
		    GEN_OK)
			break;
		if ((rc = lens4_attr(p, n, "padding", x->padding)) != GEN_OK)
			break;
		rc = parse_kids(p, n, x, P_FLOW, depth);
		break;
	case TPL_QR:
		if ((v = attr(n, "bind")) == NULL) {
			rc = tfail(p, n, "<qr>: attribute 'bind' is required "
			    "(the value to encode, e.g. payment.qr)");
			break;
		}
		if ((rc = resolve(p, n, "bind", v, 1, &x->bind)) != GEN_OK)
			break;
		if ((v = attr(n, "size")) == NULL) {
			rc = tfail(p, n, "<qr>: attribute 'size' is required "
			    "(the side of the symbol with its quiet zone, "
			    "e.g. 40mm)");
			break;
		}
		if (parse_len(v, &x->height) != 0 ||
		    x->height < MM_TO_MPT(QR_MIN_MM) ||
		    x->height > MM_TO_MPT(QR_MAX_MM)) {
			rc = tfail(p, n, "<qr size='%s'>: allowed: a length "
			    "from %dmm to %dmm (e.g. 40mm)", v, QR_MIN_MM,
			    QR_MAX_MM);
			break;
		}
		break;
	case TPL_LOGO:
		if ((v = attr(n, "height")) == NULL ||
		    parse_len(v, &x->height) != 0 ||
		    x->height < MM_TO_MPT(LOGO_MIN_MM) ||
		    x->height > MM_TO_MPT(LOGO_MAX_MM)) {
			rc = tfail(p, n, "<logo height='%s'>: allowed: a "
			    "length from %dmm to %dmm (e.g. 12mm)",
			    v != NULL ? v : "", LOGO_MIN_MM, LOGO_MAX_MM);
			break;
		}
		break;
	case TPL_SPACE:
		if ((v = attr(n, "height")) == NULL) {
			rc = tfail(p, n, "<space>: attribute 'height' is "
			    "required");
			break;
		}
		rc = len_attr(p, n, "height", &x->height);
		break;
	}
	if (rc == GEN_OK && e->kind != TPL_BLOCK && e->kind != TPL_ROW &&
	    e->kind != TPL_COLUMN && e->kind != TPL_TABLE &&
	    e->kind != TPL_BOX && e->kind != TPL_TEXT) {
		for (const xmlNode *c = n->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE ||
			    (c->type == XML_TEXT_NODE &&
			    !blank((const char *)c->content))) {
				rc = tfail(p, c, "<%s>: must be empty",
				    xname(n));
				break;
			}
	}
	if (rc != GEN_OK)
		goto fail;
	*out = x;
	return GEN_OK;
fail:
	p->row_scope = saved_scope;
	node_free(x);
	return rc;
}

/* Parse the element children of n into x; text must be blank. */
static enum gen_rc
parse_kids(struct pctx *p, const xmlNode *n, struct tpl_node *x,
    unsigned place, int depth)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		struct tpl_node *k;
		enum gen_rc rc;

		if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (!blank((const char *)c->content))
				return tfail(p, c, "<%s>: text is allowed only "
				    "inside <text>", xname(n));
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			return tfail(p, c, "<%s>: unexpected XML node (type "
			    "%d)", xname(n), (int)c->type);
		if ((rc = parse_elem(p, c, place, depth + 1, &k)) != GEN_OK)
			return rc;
		add_kid(x, k);
	}
	return GEN_OK;
}

/* ---- files ------------------------------------------------------------ */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

/* Read and parse the XML of path; *doc for xmlFreeDoc(). */
static enum gen_rc
read_xml(const char *path, xmlDoc **doc, struct gen_err *err)
{
	xmlParserCtxt *ctx;
	struct stat st;
	enum gen_rc rc = GEN_OK;

	*doc = NULL;
	if (stat(path, &st) != 0)
		return gen_err_set(err, GEN_EIO, "%s: cannot read template: %s",
		    path, strerror(errno));
	if (st.st_size > TPL_MAX_BYTES)
		return gen_err_set(err, GEN_EINPUT, "%s: %lld bytes; a template"
		    " may have at most %d", path, (long long)st.st_size,
		    TPL_MAX_BYTES);
	pthread_once(&xml_once, xml_init);
	if ((ctx = xmlNewParserCtxt()) == NULL)
		return gen_err_set(err, GEN_EXML, "%s: libxml2 could not "
		    "create a parser", path);
	*doc = xmlCtxtReadFile(ctx, path, "UTF-8", XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
	    XML_PARSE_BIG_LINES);
	if (*doc == NULL || !ctx->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctx);
		char msg[256] = "not well-formed XML";

		if (e != NULL && e->message != NULL) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		rc = gen_err_set(err, e != NULL && e->domain == XML_FROM_IO ?
		    GEN_EIO : GEN_EINPUT, "%s:%d: %s", path, e != NULL ?
		    e->line : 0, msg);
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	xmlFreeParserCtxt(ctx);
	return rc;
}

static const struct { const char *name; int32_t w, h; } pages[] = {
	{ "A4", 595276, 841890 },
	{ "A5", 419528, 595276 },
	{ "Letter", 612000, 792000 },
	{ "Legal", 612000, 1008000 },
};

/* The root's own attributes, applied over what t already has. */
static enum gen_rc
root_attrs(struct pctx *p, const xmlNode *root)
{
	struct template *t = p->t;
	const char *v;
	enum gen_rc rc;

	if ((rc = check_attrs(p, root, a_template)) != GEN_OK ||
	    (rc = style_attrs(p, root, &t->base)) != GEN_OK)
		return rc;
	if ((v = attr(root, "page")) != NULL) {
		size_t k;

		for (k = 0; k < sizeof(pages) / sizeof(pages[0]); k++)
			if (strcmp(pages[k].name, v) == 0)
				break;
		if (k == sizeof(pages) / sizeof(pages[0]))
			return tfail(p, root, "<template page='%s'>: unknown "
			    "page size; allowed: A4, A5, Letter, Legal", v);
		t->page_w = pages[k].w;
		t->page_h = pages[k].h;
	}
	if ((v = attr(root, "margin")) != NULL &&
	    parse_lens4(v, t->margin) != 0)
		return tfail(p, root, "<template margin='%s'>: allowed: 1 to 4 "
		    "lengths (top right bottom left), e.g. 18mm", v);
	return GEN_OK;
}

/* Set every style field the file left unset to the built-in default. */
static void
default_style(struct tpl_style *s)
{
	if (s->size == 0)
		s->size = 9000;
	if (s->style < 0)
		s->style = TEXT_REGULAR;
	if (!s->has_color)
		s->has_color = 1;	/* black */
	if (s->align < 0)
		s->align = TPL_ALIGN_LEFT;
	if (s->line_height == 0)
		s->line_height = 1250;
	if (s->fit < 0)
		s->fit = TPL_FIT_WRAP;
	if (s->bilingual < 0)
		s->bilingual = TPL_BI_BELOW;
	if (s->secondary_size == 0)
		s->secondary_size = 850;
	if (!s->has_secondary_color) {
		s->has_secondary_color = 1;
		s->secondary_color = (struct canvas_color){ 0x70, 0x70, 0x70 };
	}
	if (!s->has_label_color) {
		s->has_label_color = 1;
		s->label_color = s->color;
	}
}

static enum gen_rc parse_file(struct pctx *p, const char *path, int depth);

/* The directory part of path joined with the file name rel. */
static char *
sibling(const char *path, const char *rel)
{
	const char *slash = strrchr(path, '/');
	struct buf b = {0};

	if (slash != NULL)
		buf_append(&b, path, (size_t)(slash - path + 1));
	buf_puts(&b, rel);
	return buf_detach(&b, NULL);
}

static enum gen_rc
parse_root(struct pctx *p, const xmlNode *root, int depth)
{
	struct template *t = p->t;
	const char *ext;
	enum gen_rc rc;

	if (root == NULL || root->ns != NULL ||
	    strcmp(xname(root), "template") != 0)
		return tfail(p, root, "the root element must be <template>, "
		    "not <%s>", root != NULL ? xname(root) : "");
	ext = attr(root, "extends");
	if (ext != NULL) {
		const char *self = p->file;
		char *base;

		if (*ext == '\0' || strchr(ext, '/') != NULL ||
		    strcmp(ext, ".") == 0 || strcmp(ext, "..") == 0)
			return tfail(p, root, "<template extends='%s'>: not a "
			    "file name; allowed: the name of another template "
			    "in the same directory, without '/'", ext);
		if (depth >= 3)
			return tfail(p, root, "<template extends='%s'>: more "
			    "than 3 levels of extends (a cycle?)", ext);
		for (const xmlNode *c = root->children; c != NULL; c = c->next)
			if (c->type == XML_ELEMENT_NODE ||
			    (c->type == XML_TEXT_NODE &&
			    !blank((const char *)c->content)))
				return tfail(p, c, "<template extends>: must "
				    "be empty (it takes the content of '%s')",
				    ext);
		base = sibling(self, ext);
		rc = parse_file(p, base, depth + 1);
		free(base);
		p->file = self;
		if (rc != GEN_OK)
			return rc;
		return root_attrs(p, root);
	}
	if ((rc = root_attrs(p, root)) != GEN_OK)
		return rc;
	t->body = node_new(p, TPL_BLOCK, root);
	for (const xmlNode *c = root->children; c != NULL; c = c->next) {
		struct tpl_node *k, **slot = NULL;

		if (c->type != XML_ELEMENT_NODE || c->ns != NULL) {
			if (c->type == XML_TEXT_NODE &&
			    !blank((const char *)c->content))
				return tfail(p, c, "<template>: text is "
				    "allowed only inside <text>");
			continue;
		}
		if (strcmp(xname(c), "footer") == 0)
			slot = &t->footer;
		else if (strcmp(xname(c), "running-header") == 0)
			slot = &t->running;
		if (slot == NULL) {
			if ((rc = parse_elem(p, c, P_ROOT | P_FLOW, 1, &k)) !=
			    GEN_OK)
				return rc;
			add_kid(t->body, k);
			continue;
		}
		if (*slot != NULL)
			return tfail(p, c, "<%s>: only one per template",
			    xname(c));
		if ((rc = check_attrs(p, c, a_pagebox)) != GEN_OK)
			return rc;
		*slot = node_new(p, TPL_BLOCK, c);
		if ((rc = style_attrs(p, c, &(*slot)->st)) != GEN_OK)
			return rc;
		p->in_pagebox = 1;
		rc = parse_kids(p, c, *slot, P_FLOW | P_PAGEBOX, 1);
		p->in_pagebox = 0;
		if (rc != GEN_OK)
			return rc;
	}
	return GEN_OK;
}

static enum gen_rc
parse_file(struct pctx *p, const char *path, int depth)
{
	struct template *t = p->t;
	xmlDoc *doc = NULL;
	enum gen_rc rc;

	if (t->nfiles == sizeof(t->files) / sizeof(t->files[0]))
		return gen_err_set(p->err, GEN_EINPUT, "%s: too many levels "
		    "of extends", path);
	t->files[t->nfiles++] = xstrdup(path);
	p->file = t->files[t->nfiles - 1];
	if ((rc = read_xml(path, &doc, p->err)) != GEN_OK)
		return rc;
	rc = parse_root(p, xmlDocGetRootElement(doc), depth);
	xmlFreeDoc(doc);
	return rc;
}

enum gen_rc
template_parse(const char *path, struct template **out, struct gen_err *err)
{
	struct template *t = xcalloc(1, sizeof(*t));
	struct pctx p = { .t = t, .err = err, .row_scope = -1 };
	enum gen_rc rc;
	int32_t content_w;

	*out = NULL;
	t->path = xstrdup(path);
	t->page_w = pages[0].w;
	t->page_h = pages[0].h;
	for (int k = 0; k < 4; k++)
		t->margin[k] = MM_TO_MPT(18);
	t->base.style = t->base.align = t->base.bilingual = -1;
	t->base.fit = -1;
	if ((rc = parse_file(&p, path, 0)) != GEN_OK)
		goto fail;
	default_style(&t->base);
	content_w = t->page_w - t->margin[1] - t->margin[3];
	if (content_w < 72000 ||
	    t->page_h - t->margin[0] - t->margin[2] < 144000) {
		rc = gen_err_set(err, GEN_EINPUT, "%s: the margins leave less "
		    "than 1 x 2 inches of the page for content", path);
		goto fail;
	}
	*out = t;
	return GEN_OK;
fail:
	template_free(t);
	return rc;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	node_free(t->body);
	node_free(t->footer);
	node_free(t->running);
	for (size_t k = 0; k < t->nfiles; k++)
		free(t->files[k]);
	free(t->path);
	free(t);
}

/* ---- the process-wide cache ---------------------------------------- */

struct stamp {
	long long size, mtime_s, mtime_ns, ino;
};

struct centry {
	struct template *t;
	struct stamp st[4];
	struct centry *next;
};

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct centry *cache_head;

static int
stamp_of(const char *path, struct stamp *s)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	s->size = (long long)st.st_size;
	s->mtime_s = (long long)st.st_mtim.tv_sec;
	s->mtime_ns = (long long)st.st_mtim.tv_nsec;
	s->ino = (long long)st.st_ino;
	return 0;
}

static int
entry_fresh(const struct centry *e)
{
	for (size_t k = 0; k < e->t->nfiles; k++) {
		struct stamp s;

		if (stamp_of(e->t->files[k], &s) != 0 ||
		    memcmp(&s, &e->st[k], sizeof(s)) != 0)
			return 0;
	}
	return 1;
}

enum gen_rc
template_get(const char *path, const struct template **out,
    struct gen_err *err)
{
	struct centry *e;
	struct template *t;
	enum gen_rc rc = GEN_OK;

	*out = NULL;
	pthread_mutex_lock(&cache_lock);
	for (e = cache_head; e != NULL; e = e->next)
		if (strcmp(e->t->path, path) == 0 && entry_fresh(e)) {
			*out = e->t;
			goto done;
		}
	if ((rc = template_parse(path, &t, err)) != GEN_OK)
		goto done;
	e = xcalloc(1, sizeof(*e));
	e->t = t;
	for (size_t k = 0; k < t->nfiles; k++)
		if (stamp_of(t->files[k], &e->st[k]) != 0)
			memset(&e->st[k], 0xff, sizeof(e->st[k]));
	e->next = cache_head;
	cache_head = e;
	*out = t;
done:
	pthread_mutex_unlock(&cache_lock);
	return rc;
}
