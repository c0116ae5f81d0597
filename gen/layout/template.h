/*
 * template.h - declarative page-layout templates (templates/NAME.xml, the
 * language is described in templates/README.md), read with libxml2 and
 * checked strictly: an unknown element or attribute, a malformed value or
 * a binding name that docview does not provide is refused with the file,
 * the line and what is allowed.  A template is immutable once loaded.
 *
 * The tree below is visible rather than opaque because it is a plain data
 * record read node by node by exactly one consumer, layout.c; accessors
 * for every attribute would add noise, not safety.  Binding names are
 * resolved to docview ids at load time, so laying out never compares
 * strings.
 *
 * Calling sequence
 *     const struct template *t;
 *     if (template_get("templates/invoice.xml", &t, &err) != GEN_OK) ...
 *     layout_document(t, ...);      // t is cached: never free it
 *   or, uncached (tests, tools):
 *     struct template *t;
 *     template_parse(path, &t, &err); ... template_free(t);
 *
 * Threads: template_get() is safe to call from any number of threads;
 * it parses each file once per process (again when the file changes) and
 * returns a shared read-only tree.  Must not: draw, format values, or
 * touch anything but the template files.
 */
#ifndef INVGEN_TEMPLATE_H
#define INVGEN_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

#include "canvas.h"
#include "err.h"

enum tpl_kind {
	TPL_BLOCK,		/* a vertical list: <group>, <if>, the body */
	TPL_ROW,		/* columns side by side */
	TPL_COLUMN,		/* a column of a row or of a table */
	TPL_TEXT,		/* <text bind> or <text>literal</text> */
	TPL_LABEL,		/* <label key>: a catalogue label */
	TPL_FIELD,		/* <field label bind>: label, value */
	TPL_TABLE,		/* <table rows>: header + one row per item */
	TPL_RULE,		/* horizontal line */
	TPL_BOX,		/* bordered / filled block with padding */
	TPL_SPACE,		/* vertical space */
	TPL_PAGE_NUMBER,	/* "page N of M" */
	TPL_QR,			/* <qr bind size>: a QR code of a value */
	TPL_LOGO		/* <logo height>: the seller's logo */
};

enum tpl_width_kind {
	TPL_W_AUTO,		/* row columns: like "*"; else full width */
	TPL_W_FIXED,		/* v = millipoints */
	TPL_W_PERCENT,		/* v = hundredths of a percent */
	TPL_W_STAR		/* v = weight in thousandths ("2*" = 2000) */
};

struct tpl_width {
	enum tpl_width_kind kind;
	int32_t v;
};

enum tpl_align { TPL_ALIGN_LEFT, TPL_ALIGN_CENTER, TPL_ALIGN_RIGHT };

/* How a label's second language is shown in a bilingual document. */
enum tpl_bilingual { TPL_BI_BELOW, TPL_BI_INLINE, TPL_BI_NONE };

/*
 * Inheritable text style: a field left unset (size 0, style/align/
 * bilingual -1, has_* 0) takes the value of the enclosing element.
 */
struct tpl_style {
	int32_t size;			/* millipoints */
	int style;			/* enum text_style */
	int has_color;
	struct canvas_color color;
	int align;			/* enum tpl_align */
	int32_t line_height;		/* thousandths of the size */
	int bilingual;			/* enum tpl_bilingual */
	int32_t secondary_size;		/* thousandths of the size */
	int has_secondary_color;
	struct canvas_color secondary_color;
	int has_label_color;		/* <field> labels */
	struct canvas_color label_color;
	int fit;			/* enum tpl_fit; -1 = inherit */
};

/* What a text does when one of its words or numbers is wider than its
 * box: break it between characters (wrap), or shrink the font so that
 * every line fits (shrink; for amounts, which must stay whole); balance
 * wraps like wrap into lines of even length (titles).  From layout
 * version 2 a wrapped word wider than its box shrinks the text instead of
 * breaking between characters (layout.c). */
enum tpl_fit { TPL_FIT_WRAP, TPL_FIT_SHRINK, TPL_FIT_BALANCE };

struct tpl_node {
	enum tpl_kind kind;
	int line;			/* in the template file, for messages */
	const char *file;		/* borrowed from the template */
	struct tpl_style st;
	int cond;			/* docview id of the condition, or -1 */
	int cond_neg;			/* "!name" */
	int bind;			/* docview id, or -1 */
	char *key;			/* <label key>, <page-number key> */
	char *literal;			/* <text>literal</text> */
	char *label;			/* field label, table column label */
	int rows;			/* table: enum docview_scope of rows */
	int32_t header_size;		/* table: header font size, 0 = size */
	struct tpl_width width;		/* column; field: label width */
	int32_t space_before, space_after;
	int32_t padding[4];		/* top, right, bottom, left */
	int32_t gap;			/* row: between columns */
	int32_t height;			/* space; qr: the side of the symbol
					 * with its quiet zone; logo: its
					 * height */
	int32_t thickness;		/* rule; box border; table rules */
	int has_fill;			/* box fill; table header band */
	struct canvas_color fill;
	int has_stroke;			/* rule, box border, table rules */
	struct canvas_color stroke;
	int keep;			/* keep together on one page */
	struct tpl_node **kids;
	size_t nkids;
};

/* A page size by name: "A4", "Letter", ... */
struct template {
	char *path;			/* as given to template_parse */
	int32_t page_w, page_h;		/* millipoints */
	int32_t margin[4];		/* top, right, bottom, left */
	struct tpl_style base;		/* every field set */
	struct tpl_node *body;		/* TPL_BLOCK */
	struct tpl_node *footer;	/* TPL_BLOCK on every page, or NULL */
	struct tpl_node *running;	/* TPL_BLOCK atop pages 2.., or NULL */
	/* Files read (the template and what it extends), for the cache. */
	char *files[4];
	size_t nfiles;
};

/*
 * Parse and check the template file at path.  On success *out is a new
 * tree for template_free().  GEN_EIO when a file cannot be read,
 * GEN_EINPUT for a malformed or invalid template: the message starts with
 * "path:line: " and names what is allowed.
 */
enum gen_rc template_parse(const char *path, struct template **out,
    struct gen_err *err);

void template_free(struct template *t);

/*
 * The template at path, parsed once per process and shared (thread-safe,
 * read-only; do not free it).  A file whose size or modification time
 * changed is parsed again; trees handed out earlier stay valid.
 */
enum gen_rc template_get(const char *path, const struct template **out,
    struct gen_err *err);

#endif
