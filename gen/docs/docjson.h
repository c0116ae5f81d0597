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
 * Append the document as one compact JSON object to out.
 *   files, nfiles  its rendered files, listed under "files" (a file's
 *                  path NULL: not in the output folder), the first one's
 *                  also as "path" (when not NULL) and "sha256"; files
 *                  NULL: no "files", "path" nor "sha256" (a list of
 *                  documents);
 *   existed        1: the call returned a document issued earlier, 0: it
 *                  issued it; < 0: no "existed" (a stored document shown);
 *   amount_text    a payment order's total formatted for its language,
 *                  written as "amount" beside "reference",
 *                  "reference_formatted" and "amount_minor";
 *   warn           (may be NULL) characters no font could draw, listed as
 *                  "missing_glyphs": ["U+E000", ...] when there are any.
 */
void docjson_write(const struct document *d, const struct docjson_file *files,
    size_t nfiles, int existed, const char *amount_text,
    const struct text_warnings *warn, struct buf *out);

#endif
