/*
 * docview.h - the display values of an issued document: every string a
 * layout template can bind to, formatted for the document's language.
 *
 * A docview is a pure function of the snapshot (struct document) and an
 * i18n object: the same document and catalogues give the same strings.
 * It reads nothing else (no store, no clock, no today's seller profile).
 *
 * Names
 *   Values are addressed by dotted names ("doc.title", "seller.address",
 *   "line.net", ...).  There are three scopes:
 *     DOCVIEW_DOC   one value per document ("doc.number", "totals.vat")
 *     DOCVIEW_LINE  one value per invoice line, for <table rows="lines">
 *     DOCVIEW_VAT   one value per VAT breakdown row, for rows="vats"
 *   and some names are flags (booleans for conditionals: "is_credit_note",
 *   "treatment.REVERSE_CHARGE").  templates/README.md lists them all.
 *   A template resolves each name once, at load time, to an id with
 *   docview_lookup(); the layout then reads values by id.
 *
 * Values
 *   A value is UTF-8 text (may contain '\n' for a line break) or absent
 *   (NULL: the snapshot has no such datum, e.g. "seller.vat_number" of a
 *   seller who was not a VAT payer).  Label-like values (titles, notes,
 *   payment method) of a bilingual document also have a secondary text in
 *   the second language; numbers, amounts and dates are formatted in the
 *   primary language only (i18n.h).  A flag is 0 or 1; for a text name,
 *   docview_test() is 1 when the text is present and not empty.
 *
 * Threads: docview_build() formats with the i18n object, which must not
 * be used by another thread meanwhile; a built docview is read-only.
 * Must not: do I/O, read the clock, or format money with floating point.
 */
#ifndef INVGEN_DOCVIEW_H
#define INVGEN_DOCVIEW_H

#include <stddef.h>

#include "err.h"
#include "i18n.h"
#include "model.h"

enum docview_scope { DOCVIEW_DOC, DOCVIEW_LINE, DOCVIEW_VAT };

struct docview;

/* One value: primary text and, for bilingual label-like values, the
 * secondary language's text (NULL when none or equal to the primary). */
struct docview_text {
	const char *text;
	const char *text2;
};

/*
 * Resolve a name: returns its id (>= 0) and sets *scope and *is_flag, or
 * returns -1 for an unknown name.  Pure and thread-safe.
 */
int docview_lookup(const char *name, enum docview_scope *scope,
    int *is_flag);

/* The name of an id (for messages and dumps); NULL when out of range. */
const char *docview_name(int id);

/*
 * Append to out the names that a message about the unknown name `name`
 * should offer: the names of the same group ("seller.name, seller.address,
 * ...") when the part before the first dot is a known group, else the
 * groups ("doc.*, seller.*, ...").  scope_only >= 0 limits the list to
 * names of that scope.
 */
void docview_suggest(const char *name, int scope_only, struct buf *out);

/* The table name of a row scope: "lines", "vats"; NULL for DOCVIEW_DOC. */
const char *docview_table_name(enum docview_scope scope);
/* The scope of a table name, or -1. */
int docview_table_scope(const char *table);

/*
 * Build the view of d in the language of i (the caller opened i for
 * d->language).  On success *out is a new view, freed with
 * docview_free().  Returns GEN_EINPUT when the snapshot holds a value the
 * formatters refuse (an impossible date, a malformed currency or rate:
 * the message names the field) and for a payment order without a valid
 * IBAN or whose EPC QR payload breaks EPC069-12 (the message is
 * epcqr's, prefixed "payment.qr: "), GEN_EICU when ICU fails; *out is
 * then NULL.
 */
enum gen_rc docview_build(const struct document *d, struct i18n *i,
    struct docview **out, struct gen_err *err);

void docview_free(struct docview *v);

/* Number of rows of a row scope (DOCVIEW_LINE: lines, DOCVIEW_VAT: VAT
 * breakdown rows); 1 for DOCVIEW_DOC. */
size_t docview_rows(const struct docview *v, enum docview_scope scope);

/*
 * The value of id in row `row` of its scope (row is ignored for
 * DOCVIEW_DOC names).  Both texts are NULL for an absent value, for a
 * flag, or for an out-of-range id or row.  Borrowed from v.
 */
struct docview_text docview_get(const struct docview *v, int id, size_t row);

/* Truth of id in row: a flag's value, or 1 when the text is non-empty. */
int docview_test(const struct docview *v, int id, size_t row);

/* The document's primary language tag for metadata ("lt" for "lt+en"). */
const char *docview_language(const struct docview *v);

/* The layout version of the document (layoutver.h): the layout engine
 * branches on it where version 2 lays out differently. */
int docview_layout_version(const struct docview *v);

/* The seller's logo as issued (PNG or JPEG bytes, borrowed from the
 * document the view was built from), or NULL with *len 0. */
const unsigned char *docview_logo(const struct docview *v, size_t *len);

/* The issue date as stored, "YYYY-MM-DD" (for metadata), or NULL. */
const char *docview_iso_date(const struct docview *v);

#endif
