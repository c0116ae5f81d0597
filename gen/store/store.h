/*
 * store.h - the SQLite storage of invgen: opening and migrating the
 * database, transactions, and every query invgen runs but the reports'
 * (store_report.h).  The files of gen/store (store.c, store_order.c,
 * store_doc.c, store_report.c and chain.c, the archive's hash chain) are
 * the only ones that include <sqlite3.h>; SQLite's codes and messages are
 * turned into enum gen_rc / struct gen_err there.
 *
 * A struct store is one connection, used by one thread at a time.  It is
 * opened in WAL mode with foreign keys on and a busy timeout, so several
 * processes can issue documents at the same time: writers serialise on
 * BEGIN IMMEDIATE and wait up to the timeout for each other.
 */
#ifndef INVGEN_STORE_H
#define INVGEN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "tax.h"

struct store;

/* Open flags. */
#define STORE_CREATE	0x1	/* create the file if it does not exist */
#define STORE_READONLY	0x2	/* never write (no migration either) */

/*
 * Open the database at path and bring its schema up to date (forward
 * migrations in one transaction).  GEN_EDB when the file is not a database,
 * its schema is newer than this build, or it is locked beyond the timeout;
 * GEN_EIO when it does not exist and STORE_CREATE is not set (a missing
 * database is a set-up problem, not refused input).
 */
enum gen_rc store_open(const char *path, int flags, int busy_timeout_ms,
    struct store **out, struct gen_err *err);
void store_close(struct store *s);
int store_schema_version(struct store *s);
/* 1 when the connection cannot write: opened read-only, or SQLite could
 * open the file only for reading (a read-only file or file system). */
int store_readonly(struct store *s);

/* BEGIN IMMEDIATE (takes the write lock now), COMMIT, ROLLBACK. */
enum gen_rc store_begin(struct store *s, struct gen_err *err);
/* BEGIN (deferred): a consistent read snapshot. */
enum gen_rc store_begin_read(struct store *s, struct gen_err *err);
enum gen_rc store_commit(struct store *s, struct gen_err *err);
void store_rollback(struct store *s);

/* ---- reference data ---- */

/* All VAT rates (the table is small); *rates is the caller's to free(). */
enum gen_rc store_vat_rates(struct store *s, struct tax_rate **rates,
    size_t *n, struct gen_err *err);
/*
 * The ECB rate for a currency on a date: the rate dated that day, or else
 * the latest published in the 7 days before it (weekends and TARGET
 * holidays); anything older is a missing rate: GEN_ERETRY naming the
 * rates to import when the currency has rates but not for those days
 * (they are not imported yet: the operator's fix, the request is fine),
 * GEN_EINPUT when the currency has no ECB rate at all.  units receives the decimal string as published,
 * rate_date the date it was published for.
 */
enum gen_rc store_fx_rate(struct store *s, const char *currency,
    int32_t date, char *units, size_t unitsz, char rate_date[CALDATE_LEN],
    struct gen_err *err);
/* One ECB reference rate, as read from a file of the ECB (docs/ecb.c). */
struct store_fx_rate {
	char currency[4];		/* "USD" */
	char date[CALDATE_LEN];		/* the day the ECB published it for */
	char units[32];			/* units per 1 EUR, as published */
	int line;			/* where it was read, for messages */
};

/*
 * Store rates in one transaction, all or none: new (currency, date) pairs
 * are added, identical ones (the same value, whatever its trailing
 * zeros) skipped; a different value for a stored pair is GEN_ECONFLICT
 * "WHAT line N: ... published rates never change".  source goes into
 * exchange_rate.source.  *added counts the new rows (0 on failure).
 */
enum gen_rc store_fx_add(struct store *s, const struct store_fx_rate *r,
    size_t n, const char *what, const char *source, size_t *added,
    struct gen_err *err);

/* What is stored of one currency (store_fx_last). */
struct store_fx_last {
	char currency[4];
	char last[CALDATE_LEN];		/* the latest day stored */
	char units[32];			/* its rate */
	char first[CALDATE_LEN];	/* the earliest day stored */
	int64_t days;			/* days stored */
};

/*
 * The latest ECB rate stored of each currency, by currency code, or of
 * one (currency != NULL).  *out is the caller's to free(); *n may be 0.
 */
enum gen_rc store_fx_last(struct store *s, const char *currency,
    struct store_fx_last **out, size_t *n, struct gen_err *err);

/* ---- seller profiles ---- */

/* The profile valid on date; GEN_ENOTFOUND when none is. */
enum gen_rc store_seller_for_date(struct store *s, int32_t date,
    struct seller_profile **out, struct gen_err *err);
/* The profile with that id (the one that issued a document); GEN_ENOTFOUND
 * when there is none. */
enum gen_rc store_seller_by_id(struct store *s, int64_t id,
    struct seller_profile **out, struct gen_err *err);
/* The id of a profile whose validity overlaps [from, to] (to "" or NULL:
 * open), or 0. */
enum gen_rc store_seller_overlap(struct store *s, const char *from,
    const char *to, int64_t *id, struct gen_err *err);
/* Insert a profile (the caller validated it, its logo too: the bytes
 * p->logo with p->logo_sha256, stored in table logo once); sets p->id. */
enum gen_rc store_seller_insert(struct store *s, struct seller_profile *p,
    struct gen_err *err);
/* The ids of every profile, by valid_from; *ids is the caller's to
 * free(). */
enum gen_rc store_seller_ids(struct store *s, int64_t **ids, size_t *n,
    struct gen_err *err);
/* The id of the profile without an end date (valid_to NULL), or 0;
 * GEN_ECONFLICT when there are several. */
enum gen_rc store_seller_open(struct store *s, int64_t *id,
    struct gen_err *err);
/* The latest tax point of the documents issued by profile id, and that
 * document's number; "" when it issued none. */
enum gen_rc store_seller_last_tax_point(struct store *s, int64_t id,
    char day[CALDATE_LEN], char *number, size_t sz, struct gen_err *err);
/* Set the end date of the open profile id (inside the caller's
 * transaction). */
enum gen_rc store_seller_set_valid_to(struct store *s, int64_t id,
    const char *day, struct gen_err *err);

/* ---- logos (immutable, by the SHA-256 of their bytes) ---- */

/* Keep len bytes of a logo under its hash (a no-op when kept already). */
enum gen_rc store_logo_put(struct store *s, const char *sha256,
    const char *media_type, const void *data, size_t len,
    struct gen_err *err);
/* The bytes of the logo sha256, in a new buffer *data of *len bytes;
 * GEN_EIO when the database lacks it (damaged: a row names it). */
enum gen_rc store_logo_get(struct store *s, const char *sha256,
    unsigned char **data, size_t *len, struct gen_err *err);

/* ---- orders ---- */

/* An order as listed (store_order_rows): owned strings, NULL for NULL. */
struct store_order_row {
	int64_t id;
	char *order_no, *created_at, *paid_at, *currency, *payment_method;
	char *payer_name, *payer_country;
};
/* Every order (unpaid: only those without paid_at), oldest first. */
enum gen_rc store_order_rows(struct store *s, int unpaid,
    struct store_order_row **rows, size_t *n, struct gen_err *err);
void store_order_rows_free(struct store_order_row *rows, size_t n);

/* A document of an order (store_order_docs). */
struct store_order_doc {
	char *number;			/* owned */
	enum doc_kind kind;
	char issue_date[CALDATE_LEN];
	char due_date[CALDATE_LEN];	/* "" when none */
	char currency[4];
	int currency_digits;
	int64_t total_minor;
	int64_t paid_minor;		/* payments booked against it */
	int64_t credited_minor;		/* its credit notes' totals, <= 0 */
};
/* The documents of an order, in the order they were issued. */
enum gen_rc store_order_docs(struct store *s, int64_t order_id,
    struct store_order_doc **docs, size_t *n, struct gen_err *err);
void store_order_docs_free(struct store_order_doc *docs, size_t n);

/*
 * Store a validated order with its payer and lines, unless order_no exists:
 * then *existing is set to 1 and, if the stored source hash differs from
 * source_sha256, GEN_ECONFLICT is returned.  Call inside store_begin().
 */
enum gen_rc store_order_insert(struct store *s, struct order *o,
    const char *source_sha256, int *existing, struct gen_err *err);
/*
 * Load an order with its payer and lines, and the latest VIES answer of
 * its vat_check rows in place of the one given with the order.
 * GEN_ENOTFOUND names order_no; GEN_EINPUT names TABLE.COLUMN when a
 * stored value is not of its column's type (see store_colmap_check).
 */
enum gen_rc store_order_load(struct store *s, const char *order_no,
    struct order **out, struct gen_err *err);
/* Set paid_at of an unpaid order (inside a transaction). */
enum gen_rc store_order_set_paid(struct store *s, int64_t order_id,
    const char *paid_at, struct gen_err *err);

/* ---- numbering ---- */

/* The number and issue date of the last document of a series (the
 * highest seq); both "" when the series has none. */
enum gen_rc store_series_last(struct store *s, const char *series,
    char *number, size_t sz, char issue_date[CALDATE_LEN],
    struct gen_err *err);
/* Take the next number of a series (inside store_begin()); issuing then
 * checks it against the documents with chain_check_series (chain.h). */
enum gen_rc store_series_next(struct store *s, const char *series,
    enum doc_kind kind, int64_t *seq, struct gen_err *err);

/* ---- documents ---- */

/* Insert an issued document with its lines and VAT rows, and its link in
 * the archive chain (chain.h); sets d->id. */
enum gen_rc store_document_insert(struct store *s, struct document *d,
    struct gen_err *err);
/* Load by number ("ZLV-000012"); GEN_ENOTFOUND names it. */
enum gen_rc store_document_load(struct store *s, const char *number,
    struct document **out, struct gen_err *err);
enum gen_rc store_document_load_id(struct store *s, int64_t id,
    struct document **out, struct gen_err *err);
/* The number of the order's document of a kind, or GEN_ENOTFOUND. */
enum gen_rc store_document_for_order(struct store *s, int64_t order_id,
    enum doc_kind kind, char *number, size_t sz, struct gen_err *err);
/* The number of the payment order with an RF reference, or GEN_ENOTFOUND. */
enum gen_rc store_transfer_by_reference(struct store *s, const char *ref,
    char *number, size_t sz, struct gen_err *err);
/* Sums of the credit notes already issued against an invoice (<= 0). */
enum gen_rc store_credited(struct store *s, int64_t invoice_id,
    int64_t *net_minor, int64_t *vat_minor, int64_t *vat_eur_minor,
    struct gen_err *err);

/*
 * The sum of the draws on a balance source (> 0 drawn, < 0 returned):
 * of every document when by_document is 0, else of that document and the
 * documents correcting it (a purchase from the balance and its returns).
 */
enum gen_rc store_drawn(struct store *s, int64_t source_id,
    int64_t by_document, int64_t *sum, struct gen_err *err);
/* The sum of the net amounts of the documents of a kind that correct a
 * document (corrects_id): its returns to the balance, its refunds. */
enum gen_rc store_corrections(struct store *s, int64_t document_id,
    enum doc_kind kind, int64_t *net_minor, struct gen_err *err);
/* The number of the document a payment reference pays: the invoice on
 * credit terms that carries it, else the payment order; GEN_ENOTFOUND. */
enum gen_rc store_document_by_reference(struct store *s, const char *ref,
    char *number, size_t sz, struct gen_err *err);
/* Book a payment (statement date booked_on, time booked_at) against the
 * invoice it pays. */
enum gen_rc store_payment_insert(struct store *s, int64_t document_id,
    const char *ref, const char *booked_on, int64_t amount_minor,
    const char *currency, const char *booked_at, struct gen_err *err);
/* The sum of the payments booked against a document, and how many of
 * them have that statement date and amount (*same). */
enum gen_rc store_payments(struct store *s, int64_t document_id,
    const char *booked_on, int64_t amount_minor, int64_t *sum, int *same,
    struct gen_err *err);

/* Record (with its link in the archive chain) / read the SHA-256 of a
 * rendered file of a document. */
enum gen_rc store_file_insert(struct store *s, int64_t document_id,
    const char *format, const char *sha256, int64_t size,
    struct gen_err *err);
/* GEN_ENOTFOUND when no hash is stored for that format. */
enum gen_rc store_file_get(struct store *s, int64_t document_id,
    const char *format, char sha256[65], int64_t *size, struct gen_err *err);

/* The stored hashes of a document, at most 8 formats. */
struct store_file {
	char format[16];
	char sha256[65];
	int64_t size;
};
enum gen_rc store_file_list(struct store *s, int64_t document_id,
    struct store_file files[8], size_t *n, struct gen_err *err);
/* *known = 1 if the document numbered number has a recorded hash of
 * format ("pdf", "ubl", ...). */
enum gen_rc store_file_known(struct store *s, const char *number,
    const char *format, int *known, struct gen_err *err);

/*
 * Documents whose issue date is in [from, to] (day numbers), of the kinds
 * in kind_mask (1 << DOC_INVOICE | ...), ordered by id.  *ids is the
 * caller's to free().
 */
enum gen_rc store_document_ids(struct store *s, int32_t from, int32_t to,
    unsigned kind_mask, int64_t **ids, size_t *n, struct gen_err *err);

#endif
