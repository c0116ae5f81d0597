/*
 * layout.h - the page layout engine: a template (template.h), an issued
 * document's display values (docview.h), labels (i18n.h) and the fonts
 * (text.h) in; laid-out pages (canvas.h) out.
 *
 * Measure, then place.  Every block is measured at the width it gets
 * (every text goes through text_layout(), so long names and addresses
 * wrap and are never clipped), turned into a tree of unbreakable slices
 * (a text line, a rule) grouped into vertical lists, side-by-side columns
 * and tables, and then placed page by page: content that does not fit is
 * pushed to the next page, never drawn over other content or past the
 * margins.  Columns and table rows break across pages (a single text
 * taller than a page breaks between its lines); a table repeats its
 * header row on every page it spans; keep="together" blocks and table
 * rows move to the next page whole when they fit on one.  The footer and
 * its "page N of M" are drawn once the page count is known.  All
 * coordinates are integer millipoints.
 *
 * Pure: the same template, document, catalogues and fonts give the same
 * canvas, whatever the thread, clock, LANG or TZ.  Must not: do I/O other
 * than what its inputs already did, draw PDF, or format values itself
 * (docview and i18n do).
 */
#ifndef INVGEN_LAYOUT_H
#define INVGEN_LAYOUT_H

#include "canvas.h"
#include "docview.h"
#include "err.h"
#include "i18n.h"
#include "model.h"
#include "template.h"
#include "text.h"

/*
 * Lay out the view v with template t, labels from i (the same language v
 * was built with; it formats "page N of M", so it is used on this thread
 * only) and fonts fs.  On success *out is a new canvas for canvas_free(),
 * with its metadata set (title "doc.title doc.number", author the
 * seller, language, issue date).  Characters no font has are added to
 * warn (may be NULL).  GEN_EINPUT when the template cannot lay out this
 * document: a <label> key missing from the catalogue, columns narrower
 * than the page allows, a line taller than a page, a <qr> value that
 * does not fit its QR version limit or size (the message names the
 * template file and line); GEN_EICU from the text engine.
 */
enum gen_rc layout_view(const struct template *t, const struct docview *v,
    struct i18n *i, const struct fontset *fs, struct canvas **out,
    struct text_warnings *warn, struct gen_err *err);

/* docview_build() + layout_view() + docview_free(). */
enum gen_rc layout_document(const struct template *t,
    const struct document *d, struct i18n *i, const struct fontset *fs,
    struct canvas **out, struct text_warnings *warn, struct gen_err *err);

#endif
