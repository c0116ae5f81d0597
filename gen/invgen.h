/*
 * invgen.h - the public interface of libinvgen, the invoice and tax-document
 * generator of SIP.TG.  This is the only header a caller (the chat bot in C,
 * or any language through an FFI) needs; the command-line program invgen is
 * a client of exactly these functions.
 *
 * Conventions
 *   - Every function that can fail returns enum gen_rc (GEN_OK == 0) and
 *     fills the caller's struct gen_err with the code, the field the
 *     failure is about (when the message names one) and a message naming
 *     that field and what is allowed: plain UTF-8 text, one line.  A
 *     message names fields ("reason", "date"), never an option of the
 *     invgen program, which maps fields to its options.
 *   - Arguments are borrowed.  A char * returned (directly or through a
 *     char ** argument) is the caller's, released with invgen_free(); a
 *     const char * an accessor returns belongs to its result and lives as
 *     long as it.
 *   - A struct invgen handle is one SQLite connection and must be used by one
 *     thread at a time.  Open one handle per thread or process; any number
 *     of handles may work on the same database file concurrently.
 *
 * Results
 *   A call that makes or finds something returns a typed result: an opaque
 *   struct read with accessor functions and released with its *_free():
 *     struct invgen_doc      one document (issue, issue_due, credit,
 *                            transfer_order, show, served calls);
 *     struct invgen_docs     the documents of one call (terminate, refund);
 *     struct invgen_payment  a booked statement line and its invoice;
 *     struct invgen_file     a file written for the caller (render, export).
 *   Each has one *_json() that writes it as JSON, the form the invgen
 *   program prints with --json (README, "JSON output"), for callers that
 *   want the whole of it: a document's lines, parties and VAT breakdown
 *   are there.  The structs are opaque so that a field added later is a
 *   new accessor (in a new symbol version, see below), never a change of
 *   layout that would break a caller built against this header.
 *   Reports and lists (reports, list, explain, verify, batch, rates status,
 *   seller and order lists) return text, CSV or JSON by a format argument
 *   (enum invgen_format): their shapes are in the README too.
 *
 * ABI
 *   libinvgen.so.0 exports these functions in the symbol version INVGEN_0.
 *   The structs a caller fills (struct gen_err, invgen_options,
 *   invgen_batch_options, invgen_verify_options, invgen_draw) are fixed
 *   for that version: a new option or field is a new function in a new
 *   version node, never a change to them.
 */
#ifndef INVGEN_H
#define INVGEN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What went wrong; the exit status of the CLI follows from it. */
enum gen_rc {
	GEN_OK = 0,
	GEN_EINPUT,	/* input refused: bad field, unpaid order, ... (exit 1) */
	GEN_EUSAGE,	/* wrong command-line usage (exit 2) */
	GEN_ENOTFOUND,	/* no such order or document (exit 1) */
	GEN_ECONFLICT,	/* the request contradicts stored data (exit 1) */
	GEN_EDB,	/* SQLite failure, locked beyond the timeout (exit 3) */
	GEN_EIO,	/* file system failure (exit 3) */
	GEN_EPDF,	/* PDF generation failure (exit 3) */
	GEN_EXML,	/* XML generation or parsing failure (exit 3) */
	GEN_EICU,	/* ICU failure (exit 3) */
	GEN_EINTERNAL,	/* a bug: an invariant did not hold (exit 3) */
	GEN_ERETRY	/* the request is fine but cannot be done now: an
			   outside service (VIES) did not answer, or the
			   reference data (ECB rates) is not imported yet;
			   retry later (exit 3) */
};

#define GEN_ERR_MSG_SIZE 512
#define GEN_ERR_FIELD_SIZE 64

/*
 * A failure: its code, the field it is about when the message names one
 * ("paid_at", "lines[2].quantity", "order_line.description", "reason";
 * "" when none), and one line of UTF-8 that starts with that field.
 */
struct gen_err {
	enum gen_rc rc;
	char field[GEN_ERR_FIELD_SIZE];
	char msg[GEN_ERR_MSG_SIZE];
};

/* Short name of a code ("refused input", "database", ...). */
const char *invgen_rc_name(enum gen_rc rc);
/* A code as one stable word for programs: "ok", "input", "usage",
 * "not_found", "conflict", "database", "io", "pdf", "xml", "icu",
 * "internal", "retry". */
const char *invgen_rc_kind(enum gen_rc rc);
/* The CLI's exit status for a code: 0, 1 (refused), 2 (usage), 3 (storage,
 * I/O, or retry later). */
int invgen_rc_exit_status(enum gen_rc rc);

/* The output of reports and lists. */
enum invgen_format {
	INVGEN_TEXT = 0,	/* a readable table */
	INVGEN_CSV = 1,		/* CSV with a header line (reports only) */
	INVGEN_JSON = 2		/* one JSON value */
};

/* ---- opening ---- */

struct invgen;

struct invgen_options {
	const char *db_path;	/* NULL: $INVGEN_DB, else "invgen.db" */
	const char *data_dir;	/* templates/, fonts/, locales/; NULL: found */
	const char *out_dir;	/* rendered files; NULL: $INVGEN_OUT_DIR,
				   else "documents" beside the database */
	int busy_timeout_ms;	/* 0: $INVGEN_BUSY_TIMEOUT_MS, else 30000 */
	const char *now;	/* RFC 3339 clock override; NULL: $INVGEN_NOW,
				   else the system clock */
	int create;		/* create the database file if missing */
	int read_only;		/* only read: open the database without
				   writing to it or beside it (no migration;
				   works on a read-only file or file system);
				   a call that would write fails */
};

/*
 * Open a handle: reads the configuration, opens the database (WAL, busy
 * timeout, foreign keys) and migrates its schema forward.  opt may be NULL.
 * With opt->read_only the database is opened for reading only, as
 * SQLite's mode=ro, or, when that cannot work because its -shm file is
 * missing and cannot be made (a read-only folder) and there is no -wal
 * file with data in it, as an immutable file; a database that needs a
 * migration is then refused (GEN_EDB).
 */
enum gen_rc invgen_open(const struct invgen_options *opt, struct invgen **out,
    struct gen_err *err);
void invgen_close(struct invgen *inv);
/* The database path a handle opened (borrowed). */
const char *invgen_db_path(const struct invgen *inv);
/* The schema version of the handle's database (PRAGMA user_version). */
int invgen_schema_version(const struct invgen *inv);
/* Release a string returned by this library. */
void invgen_free(void *p);
/*
 * Write a file atomically (temporary file, fsync, rename), created with
 * mode 0666 less the umask.  A target that writing would destroy is
 * refused with GEN_EINPUT and nothing is written: the database of opt
 * (may be NULL) or one of its -wal, -shm, -journal files, anything that
 * exists and is not a regular file, a symbolic link.
 */
enum gen_rc invgen_write_file(const struct invgen_options *opt,
    const char *path, const void *data, size_t len, struct gen_err *err);
/*
 * Copy the issued PDF of document number from the output directory of opt
 * to dst, as invgen_write_file() writes: the source is opened without
 * following a symbolic link and must be a regular file whose SHA-256 is
 * sha256 (invgen_doc_sha256() of the document); GEN_EIO otherwise.
 */
enum gen_rc invgen_copy_document(const struct invgen_options *opt,
    const char *number, const char *sha256, const char *dst,
    struct gen_err *err);
/* The version of libinvgen, e.g. "0.1.0". */
const char *invgen_version(void);

/* ---- results ---- */

/*
 * A document.  Its accessors return what the JSON form (invgen_doc_json)
 * holds under the same name; a string that does not apply is NULL.
 */
struct invgen_doc;

const char *invgen_doc_number(const struct invgen_doc *d);
/* "invoice", "credit_note", "transfer_order", "prepayment_receipt",
 * "balance_use": the names the database stores. */
const char *invgen_doc_kind(const struct invgen_doc *d);
const char *invgen_doc_order_no(const struct invgen_doc *d);
const char *invgen_doc_issue_date(const struct invgen_doc *d);
const char *invgen_doc_tax_point_date(const struct invgen_doc *d);
/* A payment order's or an invoice on credit terms' due date; NULL else. */
const char *invgen_doc_due_date(const struct invgen_doc *d);
const char *invgen_doc_currency(const struct invgen_doc *d);
/* Amounts in minor units of the currency, and as plain decimals
 * ("130.68"). */
int64_t invgen_doc_net_minor(const struct invgen_doc *d);
int64_t invgen_doc_vat_minor(const struct invgen_doc *d);
int64_t invgen_doc_total_minor(const struct invgen_doc *d);
const char *invgen_doc_net(const struct invgen_doc *d);
const char *invgen_doc_vat(const struct invgen_doc *d);
const char *invgen_doc_total(const struct invgen_doc *d);
/* "LT_STANDARD", "OSS_DESTINATION", "REVERSE_CHARGE", "OUTSIDE_SCOPE",
 * "NOT_VAT_REGISTERED", "PREPAID". */
const char *invgen_doc_treatment(const struct invgen_doc *d);
/* The RF creditor reference to pay with (a payment order, an invoice on
 * credit terms); NULL else. */
const char *invgen_doc_reference(const struct invgen_doc *d);
/* A payment order's amount formatted for its language ("130,68 €"). */
const char *invgen_doc_amount(const struct invgen_doc *d);
/* Its PDF in the output directory, when it is there with the SHA-256
 * recorded at issue (always, after a call that issued or returned it);
 * NULL when not. */
const char *invgen_doc_path(const struct invgen_doc *d);
/* The SHA-256 of its PDF recorded at issue. */
const char *invgen_doc_sha256(const struct invgen_doc *d);
/* 1 when the call returned a document issued earlier (a retried issue or
 * transfer_order); 0 when it issued it, and for a document shown. */
int invgen_doc_existed(const struct invgen_doc *d);
/* Characters no font could draw, drawn as a replacement: how many, and
 * the code point of each. */
size_t invgen_doc_missing_glyphs(const struct invgen_doc *d);
uint32_t invgen_doc_missing_glyph(const struct invgen_doc *d, size_t i);
/* The document as one JSON object (README, "JSON output"). */
char *invgen_doc_json(const struct invgen_doc *d);
void invgen_doc_free(struct invgen_doc *d);

/* The documents of one call, in the order they were issued. */
struct invgen_docs;

size_t invgen_docs_count(const struct invgen_docs *s);
/* Document i (borrowed: it lives as long as s); NULL past the end. */
const struct invgen_doc *invgen_docs_get(const struct invgen_docs *s,
    size_t i);
/* {"documents": [...]}, each as invgen_doc_json(). */
char *invgen_docs_json(const struct invgen_docs *s);
void invgen_docs_free(struct invgen_docs *s);

/* A booked bank-statement line. */
struct invgen_payment;

/* The reference paid (electronic form, "RF04T1"). */
const char *invgen_payment_reference(const struct invgen_payment *p);
const char *invgen_payment_order_no(const struct invgen_payment *p);
/* The payment order paid; NULL for an invoice on credit terms. */
const char *invgen_payment_payment_order(const struct invgen_payment *p);
int64_t invgen_payment_paid_minor(const struct invgen_payment *p);
int64_t invgen_payment_overpaid_minor(const struct invgen_payment *p);
/* What is still due on the invoice after this payment. */
int64_t invgen_payment_left_minor(const struct invgen_payment *p);
/* The invoice issued (or, on credit terms, paid); borrowed. */
const struct invgen_doc *invgen_payment_invoice(
    const struct invgen_payment *p);
/* {"reference", "order_no", "payment_order", "paid_minor",
 * "overpaid_minor", "left_minor", "invoice": {...}}. */
char *invgen_payment_json(const struct invgen_payment *p);
void invgen_payment_free(struct invgen_payment *p);

/* A file written for the caller. */
struct invgen_file;

const char *invgen_file_number(const struct invgen_file *f);
/* "pdf", "ubl", "cii", "facturx". */
const char *invgen_file_format(const struct invgen_file *f);
const char *invgen_file_path(const struct invgen_file *f);
const char *invgen_file_sha256(const struct invgen_file *f);
int64_t invgen_file_size(const struct invgen_file *f);
/* {"number", "format", "path", "sha256", "size"}. */
char *invgen_file_json(const struct invgen_file *f);
void invgen_file_free(struct invgen_file *f);

/* ---- input ---- */

/*
 * Store one order (a JSON object) or several (a JSON array), all or none.
 * An order_no that exists with identical content is a no-op (counted in
 * *unchanged); with different content it is GEN_ECONFLICT.
 */
enum gen_rc invgen_order_add(struct invgen *inv, const char *json,
    size_t len, size_t *stored, size_t *unchanged, struct gen_err *err);
/* Record the payment time (RFC 3339) of an unpaid order. */
enum gen_rc invgen_order_paid(struct invgen *inv, const char *order_no,
    const char *paid_at, struct gen_err *err);
/*
 * Add a seller profile (JSON, see README); GEN_ECONFLICT on overlap.
 * *id (may be NULL) receives the new profile's id.
 */
enum gen_rc invgen_seller_add(struct invgen *inv, const char *json,
    size_t len, int64_t *id, struct gen_err *err);
/*
 * Close the open seller profile (the one without an end date) on date
 * (YYYY-MM-DD): its last day, so that a profile with a new bank account
 * or address can start the day after.  Refused (GEN_EINPUT) for a date
 * before the profile's first day or before the tax point of a document it
 * issued (documents keep the seller of their tax point); GEN_ENOTFOUND
 * when no profile is open.  *id (may be NULL) receives the profile's id.
 */
enum gen_rc invgen_seller_close(struct invgen *inv, const char *date,
    int64_t *id, struct gen_err *err);
/*
 * Import ECB reference rates, all or none, from any file the ECB
 * publishes them in, told apart by its content: eurofxref-hist.csv, or
 * the XML feeds eurofxref-daily.xml, eurofxref-hist-90d.xml and
 * eurofxref-hist.xml.  Rates already stored are skipped; a different
 * value for a stored day is GEN_ECONFLICT (published rates never
 * change).  *added counts new rates.
 */
enum gen_rc invgen_rates_import_ecb(struct invgen *inv, const char *data,
    size_t len, size_t *added, struct gen_err *err);

/* ---- documents ---- */

/*
 * Issue the invoice of a paid order (or return the one it already has:
 * invgen_doc_existed) and write its PDF.  *out is the caller's to
 * invgen_doc_free().
 */
enum gen_rc invgen_issue(struct invgen *inv, const char *order_no,
    struct invgen_doc **out, struct gen_err *err);
/*
 * Issue a credit note against an invoice: amount_minor < 0 credits all
 * that is still uncredited, otherwise that net amount in minor units.
 */
enum gen_rc invgen_credit(struct invgen *inv, const char *invoice_number,
    const char *reason, int64_t amount_minor, struct invgen_doc **out,
    struct gen_err *err);
/*
 * Credit terms: issue the VAT invoice of an unpaid order now (a payer with
 * a credit limit, a company invoiced before it pays), with the issue date
 * as tax point, a due date (YYYY-MM-DD, today or later) and the payment
 * details of a payment order (the seller's bank account, the order's RF
 * reference, an EPC QR code in EUR).  invgen_payment_match() books
 * payments against it, in parts if need be.  An order that has its
 * invoice gets it back (invgen_doc_existed).
 */
enum gen_rc invgen_issue_due(struct invgen *inv, const char *order_no,
    const char *due_date, struct invgen_doc **out, struct gen_err *err);

/* A draw on a document that brought money into the prepaid balance. */
struct invgen_draw {
	const char *number;	/* the document's number */
	int64_t amount_minor;	/* minor units */
};

/*
 * Terminate the subscription of a document (its invoice, or its use of
 * the balance): unused_minor, the net amount not used, goes to `to`:
 * "balance" (credited to the prepaid balance) or "refund" (paid back).
 * Issues, in one transaction, what the seller's balance VAT policy needs
 * (README, "Prepaid balance, terminations and refunds"): a credit note
 * saying where the money went, and under at_top_up a top-up invoice of
 * the amount credited to the balance, or, for a purchase paid from the
 * balance, its return to the top-up invoices named by draws (may be
 * empty when it drew on one).
 */
enum gen_rc invgen_terminate(struct invgen *inv, const char *number,
    int64_t unused_minor, const char *to, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, struct invgen_docs **out,
    struct gen_err *err);

/*
 * Pay back unused prepaid balance: draws name the documents the money
 * came from and how much of each (top-up invoices under at_top_up: a
 * credit note against each reverses its VAT; prepayment receipts or
 * credit notes credited to the balance under at_use: one refund receipt
 * without VAT).
 */
enum gen_rc invgen_refund(struct invgen *inv, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, struct invgen_docs **out,
    struct gen_err *err);

/*
 * The payment order of an unpaid bank-transfer order (created once; a
 * retry returns the same document) with its PDF: invgen_doc_reference(),
 * invgen_doc_amount() (formatted for the order's language),
 * invgen_doc_due_date(), invgen_doc_path().
 */
enum gen_rc invgen_transfer_order(struct invgen *inv, const char *order_no,
    struct invgen_doc **out, struct gen_err *err);
/*
 * One bank-statement line: find the payment order by its RF reference
 * (spacing and case as banks print it), check currency and amount (an
 * underpayment or another currency is GEN_EINPUT and nothing is issued),
 * mark the order paid on date (YYYY-MM-DD) and issue its invoice; for an
 * invoice on credit terms (invgen_issue_due) book the payment against it.
 * The check and the booking are one transaction: a duplicate is
 * GEN_ECONFLICT naming the invoice.
 */
enum gen_rc invgen_payment_match(struct invgen *inv, const char *reference,
    int64_t amount_minor, const char *currency, const char *date,
    struct invgen_payment **out, struct gen_err *err);
/*
 * A CSV of statement lines (header: date,amount,currency,reference in any
 * order; amount as a decimal like 130.68): each line is matched as above,
 * reported, or listed as unmatched; *report (format INVGEN_TEXT or
 * INVGEN_JSON) ends with a summary.  Returns GEN_EINPUT when some line
 * was not matched (the others are still processed) and for a malformed
 * CSV.
 */
enum gen_rc invgen_payment_match_csv(struct invgen *inv, const char *csv,
    size_t len, int format, char **report, struct gen_err *err);
/*
 * Export a document as "ubl" (UBL 2.1, Peppol BIS 3.0), "cii" (UN/CEFACT
 * CII D16B, Factur-X EN 16931 profile), "facturx" or "pdf" into dir
 * (NULL: the output directory) as NUMBER.ubl.xml, NUMBER.cii.xml,
 * NUMBER.facturx.pdf or NUMBER.pdf, written atomically.  The SHA-256 of
 * the first export of a format is recorded (not on a handle opened
 * read-only: it is compared when recorded, else left unrecorded); a later
 * export that differs is GEN_ECONFLICT.  *out (may be NULL) describes the
 * file written.
 */
enum gen_rc invgen_export(struct invgen *inv, const char *format,
    const char *number, const char *dir, struct invgen_file **out,
    struct gen_err *err);
/* Render a document's PDF from its snapshot to path, atomically; *out
 * (may be NULL) describes the file written. */
enum gen_rc invgen_render(struct invgen *inv, const char *number,
    const char *path, struct invgen_file **out, struct gen_err *err);
/*
 * A stored document.  Nothing is written: invgen_doc_path() is its PDF
 * in the output directory when it is there with the recorded SHA-256,
 * else NULL (invgen_export() with "pdf" writes it again).
 */
enum gen_rc invgen_show(struct invgen *inv, const char *number,
    struct invgen_doc **out, struct gen_err *err);

/* ---- reports and lists ---- */

/*
 * The OSS return data of a quarter ("2025Q3") as format.  See README,
 * "Tax reports", for the rules.
 */
enum gen_rc invgen_report_oss(struct invgen *inv, const char *quarter,
    int format, char **out, struct gen_err *err);
/* Sales totals of a period; by: "country", "currency", "treatment" (NULL). */
enum gen_rc invgen_report_sales(struct invgen *inv, const char *from,
    const char *to, const char *by, int format, char **out,
    struct gen_err *err);
/*
 * The invoices on credit terms with something still due: number, order,
 * payer, issue and due dates, total, credited, paid, left, days overdue
 * (as of today), as format.
 */
enum gen_rc invgen_report_unpaid(struct invgen *inv, int format, char **out,
    struct gen_err *err);
/* The i.SAF register (XML) of a month ("2025-08"). */
enum gen_rc invgen_export_isaf(struct invgen *inv, const char *month,
    char **out, struct gen_err *err);
/*
 * The Lithuanian VAT return (FR0600) figures of a month ("2025-08"), box
 * by box, and the rows of its recapitulative statement of services to
 * other member states (FR0564), as format.  Both check themselves against
 * the i.SAF register and each other: when a figure differs, *out still
 * holds the whole report, which says where, and the call returns
 * GEN_ECONFLICT.  A month in which the seller was not VAT-registered has
 * neither (GEN_EINPUT).  See README, "Tax reports".
 */
enum gen_rc invgen_report_vat_return(struct invgen *inv, const char *month,
    int format, char **out, struct gen_err *err);
enum gen_rc invgen_report_ec_sales(struct invgen *inv, const char *month,
    int format, char **out, struct gen_err *err);
/*
 * What ECB rates are stored: the last day overall and per currency (all,
 * or only currency, "USD"), with its rate and its age in days on today's
 * Lithuanian date, as format (text or JSON; README, "Exchange rates").
 * GEN_ENOTFOUND when none is stored.
 */
enum gen_rc invgen_rates_status(struct invgen *inv, const char *currency,
    int format, char **out, struct gen_err *err);
/*
 * The documents issued between two dates (YYYY-MM-DD, inclusive; NULL: no
 * bound), of the kinds named in kinds ("invoice,credit_note": a comma
 * list of stored kind names; NULL: all), as a readable table or one JSON
 * array of documents (as invgen_doc_json() without files).
 */
enum gen_rc invgen_list(struct invgen *inv, const char *from, const char *to,
    const char *kinds, int format, char **out, struct gen_err *err);
/* The VAT decision for an order, in plain words with its legal sources,
 * or as one JSON object. */
enum gen_rc invgen_explain(struct invgen *inv, const char *order_no,
    int format, char **out, struct gen_err *err);
/* The seller profiles, oldest first. */
enum gen_rc invgen_seller_list(struct invgen *inv, int format, char **out,
    struct gen_err *err);
/* One seller profile, every field (id: as listed). */
enum gen_rc invgen_seller_show(struct invgen *inv, int64_t id, int format,
    char **out, struct gen_err *err);
/*
 * The orders: all, or (unpaid) those not paid yet, each with its invoice
 * or the document it waits to be paid by (a payment order, an invoice on
 * credit terms) and its due date; one past its due date (today, in
 * Lithuania) is marked with the days overdue.
 */
enum gen_rc invgen_order_list(struct invgen *inv, int unpaid, int format,
    char **out, struct gen_err *err);
/* One order as stored (the JSON of invgen_order_add()), its state and its
 * documents. */
enum gen_rc invgen_order_show(struct invgen *inv, const char *order_no,
    int format, char **out, struct gen_err *err);

/*
 * Re-render documents and compare with the SHA-256 recorded when they were
 * issued (and exported), and verify the archive's hash chain (README,
 * "Reliability").
 */
struct invgen_verify_options {
	const char *const *numbers;	/* documents to re-render (n of them), */
	size_t n;
	const char *from, *to;		/* or those issued in [from, to] (NULL:
					   no bound) when numbers is NULL */
	const char *archive_dir;	/* NULL, or a folder of files to check */
	const char *const *expect_heads;	/* "SERIES=SHA256" anchors */
	size_t nexpect;
};

/*
 * The documents are re-rendered (numbers, or those issued in the
 * period); with archive_dir the files there are checked against the
 * recorded hashes, every missing one listed, and files that are not
 * files of issued documents listed too (a batch's manifest and temporary
 * files are not).  Under each mismatch it says why: the rendering
 * environment recorded at issue (ICU and its data, libharu, zlib, ...)
 * is the current one, so the stored document or its layout files
 * changed; or it differs (or was not recorded), and then whether the
 * archived file (archive_dir, else the output directory) still has the
 * recorded hash.  Every series' chain is recomputed and compared with the
 * rows, whatever the period: the report names by document number any
 * changed column, a removed, inserted or renumbered document, a gap, a
 * file hash recorded behind invgen's back, and gives each series' head.
 * Each expect_heads anchor (a head printed earlier and kept outside the
 * database) must still be a link of its series' chain.  *report (format
 * text or JSON) is set whenever the checks ran.  GEN_EDB ("damaged
 * archive") when number_series does not match the documents of a series;
 * otherwise GEN_ECONFLICT when anything differs; GEN_EINPUT for a
 * malformed anchor.
 */
enum gen_rc invgen_verify(struct invgen *inv,
    const struct invgen_verify_options *opt, int format, char **report,
    struct gen_err *err);

/* ---- batch regeneration ---- */

/* Where a batch is; passed to the progress callback. */
struct invgen_batch_progress {
	size_t done;		/* documents finished */
	size_t total;		/* documents in the batch (this shard) */
	int64_t elapsed_ms;	/* since the batch started */
	int final;		/* 1 on the last call */
};

struct invgen_batch_options {
	const char *from, *to;	/* issue dates YYYY-MM-DD, inclusive; NULL:
				   no bound */
	const char *kinds;	/* "invoice,credit_note,transfer_order" (a
				   comma list of stored kind names); NULL:
				   all */
	const char *formats;	/* "pdf,ubl,cii,facturx" (any of them);
				   NULL: "pdf" */
	const char *out_dir;	/* required; created if missing */
	int jobs;		/* worker threads, 1..256; 0: one per CPU */
	const char *shard;	/* "K/N": only documents whose id % N is
				   K - 1; NULL: all */
	/* Called on the calling thread at most 10 times a second and once
	 * at the end (final); may be NULL. */
	void (*progress)(void *ctx, const struct invgen_batch_progress *p);
	void *progress_ctx;
};

/*
 * Re-render every document issued in a period from its snapshot into
 * out_dir, in parallel (one read-only connection and one thread per job):
 * NUMBER.pdf, NUMBER.ubl.xml, NUMBER.cii.xml, NUMBER.facturx.pdf (the
 * e-invoice formats for invoices and credit notes only).  Each file
 * appears complete or not at all: written as an unnamed file (O_TMPFILE)
 * and linked under its name, or, where the file system lacks O_TMPFILE
 * or the name is taken, written under a temporary name
 * NUMBER.EXT.tmp.NNNNNN in out_dir and renamed; never through a link.
 * Files get the mode 0666 less the umask.  They are flushed to disk once
 * at the end (syncfs), not one by one.  A file already present whose SHA-256 is the recorded one is
 * kept ("already present"), so an interrupted batch resumes where it
 * stopped; a present file that differs is re-rendered and replaced.
 * Temporary files left by a killed batch are removed first (unless
 * another batch is running in out_dir).  A rendering that differs from
 * the recorded SHA-256 is not written and is listed as a mismatch; the
 * batch goes on.  A format with no recorded hash (never exported) gets
 * its hash recorded in document_file, as a first export would.
 * out_dir/manifest.csv (manifest-K-of-N.csv for a shard) lists every
 * file: number, kind, issue_date, tax_point_date, buyer, country,
 * currency, net, vat, total, treatment, format, file, sha256.
 *
 * *summary (format text or JSON) lists the problems and ends with the
 * counts; it is set whenever the batch ran, also when it returns an
 * error.  Returns GEN_ECONFLICT when a rendering differed from its
 * recorded hash, the code of the first failure when a document could not
 * be rendered, GEN_EIO (and stops) when a file cannot be written.
 */
enum gen_rc invgen_batch(struct invgen *inv,
    const struct invgen_batch_options *opt, int format, char **summary,
    struct gen_err *err);

/* ---- a resident server for the command line ---- */

/* The calls invgen_serve() makes for other processes. */
enum invgen_served {
	INVGEN_SERVED_ISSUE,		/* invgen_issue() */
	INVGEN_SERVED_TRANSFER_ORDER	/* invgen_transfer_order() */
};

/*
 * Make invgen_issue() and invgen_transfer_order() for other processes of
 * the same user, on the Unix socket DB.sock beside the database, with
 * `workers` threads (1..16) each holding its own handle, until *stop
 * becomes non-zero, the program file changes (replaced, rewritten or
 * touched) or a shared library it has mapped is replaced (a security
 * update); then it returns GEN_OK for a supervisor to start it again.
 * Each call is made with its caller's umask.  A process asks through
 * invgen_served_call().  One line per call goes to log (may be NULL),
 * with what callers sent masked.  Fails when another server holds the
 * database, the socket cannot be made or a handle cannot be opened.
 */
enum gen_rc invgen_serve(const struct invgen_options *opt, int workers,
    volatile sig_atomic_t *stop, FILE *log, struct gen_err *err);

/*
 * A call made by a running invgen_serve() of the same program, working
 * directory and configuration, when one answers: *served is set to 1 and
 * the result is the call's, exactly as if made here (*out, the document
 * read from the server's answer with the library's JSON parser).
 * Otherwise *served is 0 and GEN_OK is returned: the caller makes the
 * call itself.  That is also the case when the server runs as another
 * user (checked before anything is sent), does not take the connection
 * at once, is silent for a second, or answers with something that is not
 * a document in the output directory with the SHA-256 it gives.  Both
 * calls are idempotent, so a server lost half-way costs only time.
 */
enum gen_rc invgen_served_call(const struct invgen_options *opt,
    enum invgen_served call, const char *order_no, int *served,
    struct invgen_doc **out, struct gen_err *err);

#ifdef __cplusplus
}
#endif

#endif
