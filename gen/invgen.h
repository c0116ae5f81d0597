/*
 * invgen.h - the public interface of libinvgen, the invoice and tax-document
 * generator of SIP.TG.  This is the only header a caller (the chat bot in C,
 * or any language through an FFI) needs; the command-line program invgen is
 * a thin layer over exactly these functions.
 *
 * Conventions
 *   - Every function that can fail returns enum gen_rc (GEN_OK == 0) and
 *     fills the caller's struct gen_err with a message naming the field and
 *     what is allowed.  The message is plain UTF-8 text, one line.
 *   - Arguments are borrowed; returned pointers belong to the caller and are
 *     released with the matching *_free function (or free() where stated).
 *   - A struct invgen handle is one SQLite connection and must be used by one
 *     thread at a time.  Open one handle per thread or process; any number
 *     of handles may work on the same database file concurrently.
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

struct gen_err {
	enum gen_rc rc;
	char msg[GEN_ERR_MSG_SIZE];
};

/* Short name of a code ("refused input", "database", ...). */
const char *invgen_rc_name(enum gen_rc rc);
/* The CLI's exit status for a code: 0, 1 (refused), 2 (usage), 3 (storage,
 * I/O, or retry later). */
int invgen_rc_exit_status(enum gen_rc rc);

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
};

/*
 * Open a handle: reads the configuration, opens the database (WAL, busy
 * timeout, foreign keys) and migrates its schema forward.  opt may be NULL.
 */
enum gen_rc invgen_open(const struct invgen_options *opt, struct invgen **out,
    struct gen_err *err);
void invgen_close(struct invgen *inv);
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
 * sha256 (the one invgen_issue() or invgen_transfer_order() returned);
 * GEN_EIO otherwise.
 */
enum gen_rc invgen_copy_document(const struct invgen_options *opt,
    const char *number, const char *sha256, const char *dst,
    struct gen_err *err);
/* The version of libinvgen, e.g. "0.1.0". */
const char *invgen_version(void);

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
/* Add a seller profile (JSON, see README); GEN_ECONFLICT on overlap. */
enum gen_rc invgen_seller_add(struct invgen *inv, const char *json,
    size_t len, struct gen_err *err);
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
/*
 * What ECB rates are stored: the last day overall and per currency (all,
 * or only currency, "USD"), with its rate and its age in days on today's
 * Lithuanian date; a table, or (json) one JSON object (README, "Exchange
 * rates").  GEN_ENOTFOUND when none is stored.
 */
enum gen_rc invgen_rates_status(struct invgen *inv, const char *currency,
    int json, char **out, struct gen_err *err);

/* ---- documents ---- */

/*
 * Issue the invoice of a paid order (or return the one it already has)
 * and write its PDF.  *json receives the document as one JSON object
 * (see README, "JSON output"); release it with invgen_free.  json may be
 * NULL.
 */
enum gen_rc invgen_issue(struct invgen *inv, const char *order_no,
    char **json, struct gen_err *err);
/*
 * Issue a credit note against an invoice: amount_minor < 0 credits all
 * that is still uncredited, otherwise that net amount in minor units.
 */
enum gen_rc invgen_credit(struct invgen *inv, const char *invoice_number,
    const char *reason, int64_t amount_minor, char **json,
    struct gen_err *err);
/*
 * Credit terms: issue the VAT invoice of an unpaid order now (a payer with
 * a credit limit, a company invoiced before it pays), with the issue date
 * as tax point, a due date (YYYY-MM-DD, today or later) and the payment
 * details of a payment order (the seller's bank account, the order's RF
 * reference, an EPC QR code in EUR).  invgen_payment_match() books
 * payments against it, in parts if need be.  An order that has its
 * invoice gets it back ("existed": true).  *json as invgen_issue().
 */
enum gen_rc invgen_issue_due(struct invgen *inv, const char *order_no,
    const char *due_date, char **json, struct gen_err *err);

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
 * empty when it drew on one).  *json: {"documents": [...]}, each as
 * invgen_issue() prints it.
 */
enum gen_rc invgen_terminate(struct invgen *inv, const char *number,
    int64_t unused_minor, const char *to, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, char **json,
    struct gen_err *err);

/*
 * Pay back unused prepaid balance: draws name the documents the money
 * came from and how much of each (top-up invoices under at_top_up: a
 * credit note against each reverses its VAT; prepayment receipts or
 * credit notes credited to the balance under at_use: one refund receipt
 * without VAT).  *json: {"documents": [...]}.
 */
enum gen_rc invgen_refund(struct invgen *inv, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, char **json,
    struct gen_err *err);

/*
 * The payment order of an unpaid bank-transfer order (created once; a
 * retry returns the same document) with its PDF.  *json: the document
 * with "reference", "amount_minor", "amount" (formatted for the order's
 * language), "currency", "due_date", "path", "sha256".
 */
enum gen_rc invgen_transfer_order(struct invgen *inv, const char *order_no,
    char **json, struct gen_err *err);
/*
 * One bank-statement line: find the payment order by its RF reference
 * (spacing and case as banks print it), check currency and amount (an
 * underpayment or another currency is GEN_EINPUT and nothing is issued),
 * mark the order paid on date (YYYY-MM-DD) and issue its invoice; for an
 * invoice on credit terms (invgen_issue_due) book the payment against it.
 * The check and the booking are one transaction: a duplicate is
 * GEN_ECONFLICT naming the invoice.  *json: {"reference", "order_no",
 * "payment_order", "paid_minor", "overpaid_minor", "left_minor",
 * "invoice": {...}}.
 */
enum gen_rc invgen_payment_match(struct invgen *inv, const char *reference,
    int64_t amount_minor, const char *currency, const char *date,
    char **json, struct gen_err *err);
/*
 * A CSV of statement lines (header: date,amount,currency,reference in any
 * order; amount as a decimal like 130.68): each line is matched as above,
 * reported, or listed as unmatched; *report ends with a summary.  Returns
 * GEN_EINPUT when some line was not matched (the others are still
 * processed) and for a malformed CSV.
 */
enum gen_rc invgen_payment_match_csv(struct invgen *inv, const char *csv,
    size_t len, int json, char **report, struct gen_err *err);
/*
 * Export a document as "ubl" (UBL 2.1, Peppol BIS 3.0), "cii" (UN/CEFACT
 * CII D16B, Factur-X EN 16931 profile) or "pdf" into dir (NULL: the
 * output directory) as NUMBER.ubl.xml, NUMBER.cii.xml or NUMBER.pdf,
 * written atomically.  The SHA-256 of the first export of a format is
 * recorded; a later export that differs is GEN_ECONFLICT.  *json: {"number",
 * "format", "path", "sha256", "size"}.
 */
enum gen_rc invgen_export(struct invgen *inv, const char *format,
    const char *number, const char *dir, char **json, struct gen_err *err);
/* ---- reports ---- */

/*
 * The OSS return data of a quarter ("2025Q3"): text table, or CSV when
 * csv is set.  See README, "Tax reports", for the rules.
 */
enum gen_rc invgen_report_oss(struct invgen *inv, const char *quarter,
    int csv, char **out, struct gen_err *err);
/* Sales totals of a period; by: "country", "currency", "treatment" (NULL). */
enum gen_rc invgen_report_sales(struct invgen *inv, const char *from,
    const char *to, const char *by, int csv, char **out, struct gen_err *err);
/*
 * The invoices on credit terms with something still due: number, order,
 * payer, issue and due dates, total, credited, paid, left, days overdue
 * (as of today); a text table or CSV.
 */
enum gen_rc invgen_report_unpaid(struct invgen *inv, int csv, char **out,
    struct gen_err *err);
/* The i.SAF register (XML) of a month ("2025-08"). */
enum gen_rc invgen_export_isaf(struct invgen *inv, const char *month,
    char **out, struct gen_err *err);
/*
 * The Lithuanian VAT return (FR0600) figures of a month ("2025-08"), box
 * by box, and the rows of its recapitulative statement of services to
 * other member states (FR0564); format 0: text, 1: CSV, 2: JSON.  Both
 * check themselves against the i.SAF register and each other: when a
 * figure differs, *out still holds the whole report, which says where,
 * and the call returns GEN_ECONFLICT.  A month in which the seller was
 * not VAT-registered has neither (GEN_EINPUT).  See README, "Tax reports".
 */
enum gen_rc invgen_report_vat_return(struct invgen *inv, const char *month,
    int format, char **out, struct gen_err *err);
enum gen_rc invgen_report_ec_sales(struct invgen *inv, const char *month,
    int format, char **out, struct gen_err *err);

/* Render a document's PDF from its snapshot to path, atomically. */
enum gen_rc invgen_render(struct invgen *inv, const char *number,
    const char *path, struct gen_err *err);
/*
 * Re-render documents and compare with the SHA-256 recorded when they were
 * issued (and exported): the given numbers (numbers != NULL, n of them),
 * or every document issued between from and to.  With archive_dir, also
 * check the files there (NUMBER.pdf, NUMBER.ubl.xml, ...) against the
 * recorded hashes and list every missing one.  *report lists every
 * mismatch and ends with a summary; GEN_ECONFLICT when anything differs
 * or is missing.  Under each mismatch it says why: the rendering
 * environment recorded at issue (ICU and its data, libharu, zlib, ...)
 * is the current one, so the stored document or its layout files
 * changed; or it differs (or was not recorded), and then whether the
 * archived file (archive_dir, else the output directory) still has the
 * recorded hash.
 * The archive's hash chain is verified too: this is invgen_verify_ex()
 * without anchors (see there for what it reports and returns).
 */
enum gen_rc invgen_verify(struct invgen *inv, const char *const *numbers,
    size_t n, const char *from, const char *to, const char *archive_dir,
    char **report, struct gen_err *err);

/* What invgen_verify_ex() checks. */
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
 * invgen_verify() and the archive's hash chain (README, "Reliability"):
 * the documents are re-rendered as above; every series' chain is
 * recomputed and compared with the rows, whatever the period, and the
 * report names by document number any changed column, a removed,
 * inserted or renumbered document, a gap, a file hash recorded behind
 * invgen's back; it ends with one line per series, "chain SERIES: ...,
 * head SHA256", before the summary.  Each expect_heads anchor (a head
 * printed earlier and kept outside the database) must still be a link of
 * its series' chain.  With archive_dir, files there that are not files of
 * issued documents are listed too (a batch's manifest and temporary files
 * are not).  GEN_EDB ("damaged archive") when number_series does not
 * match the documents of a series; otherwise GEN_ECONFLICT when anything
 * differs; GEN_EINPUT for a malformed anchor.
 */
enum gen_rc invgen_verify_ex(struct invgen *inv,
    const struct invgen_verify_options *opt, char **report,
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
	const char *kinds;	/* "invoice,credit-note,transfer-order" (any
				   of them); NULL: all three */
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
 * *summary (release with invgen_free) lists the problems and ends with
 * the counts; it is set whenever the batch ran, also when it returns an
 * error.  Returns GEN_ECONFLICT when a rendering differed from its
 * recorded hash, the code of the first failure when a document could not
 * be rendered, GEN_EIO (and stops) when a file cannot be written.
 */
enum gen_rc invgen_batch(struct invgen *inv,
    const struct invgen_batch_options *opt, char **summary,
    struct gen_err *err);

/* A stored document as JSON. */
enum gen_rc invgen_show(struct invgen *inv, const char *number, char **json,
    struct gen_err *err);
/*
 * The documents issued between two dates (YYYY-MM-DD, inclusive; NULL: no
 * bound), as a readable table or (json) one JSON array of summaries.
 */
enum gen_rc invgen_list(struct invgen *inv, const char *from, const char *to,
    int json, char **out, struct gen_err *err);
/* The VAT decision for an order, in plain words with its legal sources. */
enum gen_rc invgen_explain(struct invgen *inv, const char *order_no,
    char **text, struct gen_err *err);

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
 * the result is the call's, exactly as if made here.  Otherwise *served
 * is 0 and GEN_OK is returned: the caller makes the call itself.  That
 * is also the case when the server runs as another user (checked before
 * anything is sent), does not take the connection at once, is silent
 * for a second, or answers with a document that is not in the output
 * directory with the SHA-256 it gives.  Both calls are idempotent, so a
 * server lost half-way costs only time.
 */
enum gen_rc invgen_served_call(const struct invgen_options *opt,
    enum invgen_served call, const char *order_no, int *served, char **json,
    struct gen_err *err);

#ifdef __cplusplus
}
#endif

#endif
