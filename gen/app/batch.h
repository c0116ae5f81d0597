/*
 * batch.h - regenerating a period of issued documents (invgen batch,
 * invgen_batch() in invgen.h): worker threads, each with its own
 * read-only database connection and language cache, render the documents
 * of a period from their snapshots into an archive folder; the calling
 * thread writes the manifest in id order, records new hashes and reports
 * progress.  Exported here are only the small pure helpers, for the unit
 * tests; the engine itself is invgen_batch().
 *
 * What it must not do: write outside the output folder, change a
 * document, write a rendering that differs from its recorded hash, or
 * print (progress goes through the caller's callback).
 */
#ifndef INVGEN_BATCH_H
#define INVGEN_BATCH_H

#include "buf.h"
#include "err.h"

/* Output formats of a batch, as bits of a mask, in file order. */
enum batch_format { BATCH_PDF, BATCH_UBL, BATCH_CII, BATCH_FACTURX,
	BATCH_NFORMATS };

/* "pdf", "ubl", "cii", "facturx". */
const char *batch_format_name(enum batch_format f);

/*
 * Parse a comma list of kinds by their stored names ("invoice,
 * credit_note,transfer_order,prepayment_receipt,balance_use") into a mask
 * of 1 << DOC_*; NULL means all.  GEN_EUSAGE names the bad item.
 */
enum gen_rc batch_parse_kinds(const char *s, unsigned *mask,
    struct gen_err *err);
/* Parse "pdf,ubl,cii,facturx" into 1 << BATCH_*; NULL means pdf. */
enum gen_rc batch_parse_formats(const char *s, unsigned *mask,
    struct gen_err *err);
/* Parse "K/N" (1 <= K <= N <= 1000000); NULL gives 1/1. */
enum gen_rc batch_parse_shard(const char *s, unsigned *k, unsigned *n,
    struct gen_err *err);

/*
 * 1 if number can be used as a file name on any common file system: 1-120
 * bytes of valid UTF-8, no control characters, none of / \ : * ? " < > |,
 * no leading dot or space, no trailing dot or space.
 */
int batch_name_ok(const char *number);

/* 1 if name is a temporary file a batch or an export leaves when killed:
 * *.pdf.tmp.XXXXXX, *.xml.tmp.XXXXXX or *.csv.tmp.XXXXXX. */
int batch_is_stray(const char *name);

/* Append s as one CSV field: quoted, with quotes doubled, when it holds a
 * comma, a quote, CR or LF; NULL as an empty field.  A text starting with
 * = + - @ is quoted behind an apostrophe, so a spreadsheet never runs it
 * as a formula. */
void batch_csv_field(struct buf *b, const char *s);

#endif
