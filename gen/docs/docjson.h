/*
 * docjson.h - the JSON form of an issued document, as printed by
 * `invgen show DOC --json`, `invgen issue --json` and `invgen credit
 * --json`: one object with the number, kind, dates, amounts in minor
 * units and as plain decimal strings, the VAT decision, parties, lines,
 * the VAT breakdown and any file paths and hashes.  No I/O.
 */
#ifndef INVGEN_DOCJSON_H
#define INVGEN_DOCJSON_H

#include "buf.h"
#include "model.h"

struct text_warnings;

/* A rendered file of a document, listed under "files". */
struct docjson_file {
	const char *format;	/* "pdf", ... */
	const char *path;	/* NULL if not written by this call */
	const char *sha256;
	int64_t size;
};

/*
 * Append the document as one JSON object (compact, or pretty when pretty
 * is set) to out.  existed: the call returned an earlier document.  warn
 * (may be NULL): characters no font could draw, listed as
 * "missing_glyphs": ["U+E000", ...] when there are any.
 */
void docjson_write(const struct document *d, const struct docjson_file *files,
    size_t nfiles, int existed, int pretty, const struct text_warnings *warn,
    struct buf *out);

/*
 * The same with the payment fields of a payment order: "reference"
 * (electronic), "reference_formatted" (groups of four), "amount_minor" and
 * "amount" (amount_text: the total formatted for the document's language).
 */
void docjson_write_transfer(const struct document *d,
    const struct docjson_file *files, size_t nfiles, int existed,
    const char *amount_text, const struct text_warnings *warn,
    struct buf *out);

#endif
