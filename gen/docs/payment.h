/*
 * payment.h - payments received by bank transfer: reading a bank
 * statement (CSV) and booking each of its lines against the document it
 * pays, by the ISO 11649 RF reference printed on that document.
 *
 * Exports payment_csv_parse / payment_csv_free (the statement),
 * payment_book / payment_booking_clear (one line) and the payment_report_*
 * functions (the summary of a statement, as text or JSON).  The public
 * calls of api.c only hand over the files and the JSON of the invoice.
 *
 * Booking rules
 *   - A booking is one transaction (BEGIN IMMEDIATE): the duplicate check,
 *     marking the order paid, issuing its invoice and recording the
 *     booking are all or nothing, so of several processes booking the same
 *     reference at the same moment exactly one books it and every other
 *     is told it is a duplicate (GEN_ECONFLICT, naming the invoice).
 *   - The statement date is a Lithuanian calendar day (Europe/Vilnius):
 *     any day up to today is accepted, today included, whatever the hour
 *     of the run.  The order is marked paid at the first second of that
 *     day, or at its creation when it was created that same day; a date
 *     before the order's creation day is refused.  Messages name the
 *     date by its option or column (--date, date), not by paid_at.
 *   - A payment order: the currency must be the order's and the amount at
 *     least what it asks (an overpayment is booked and reported, an
 *     underpayment refused); the order is marked paid and its invoice
 *     issued.
 *   - An invoice on credit terms (flows_issue_due, the reference is on it):
 *     no second invoice is issued; the payment is booked against it, in
 *     parts if need be, until what is due (its total less its credit
 *     notes) is paid, when the order is marked paid.  A payment when
 *     nothing is due any more, or a second line with the same date and
 *     amount (a statement read twice), is a duplicate.
 *   - Every booking is recorded (table payment) against the invoice it
 *     pays.
 *
 * Must not: print, exit, or read the clock other than through
 * config_tick().
 */
#ifndef INVGEN_PAYMENT_H
#define INVGEN_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "issue.h"
#include "json.h"
#include "model.h"
#include "rfref.h"
#include "store.h"

/* One line of a bank statement, as read (strings owned). */
struct payment_line {
	size_t lineno;			/* 1-based line of the CSV */
	char *date;
	char *amount;			/* as written, e.g. "130.68" */
	char *currency;
	char *reference;
	int64_t amount_minor;		/* when parse_rc is GEN_OK */
	enum gen_rc parse_rc;		/* GEN_EINPUT: amount or currency bad */
	char parse_msg[GEN_ERR_MSG_SIZE];
};

struct payment_csv {
	struct payment_line *v;
	size_t n;
};

/*
 * Read a statement: a header naming the columns date, amount, currency
 * and reference (any order, any case, more columns allowed), then one
 * payment per line; empty lines are skipped, a UTF-8 byte order mark at
 * the start and quotes and spaces around fields are ignored.  A line
 * whose currency is unknown or whose amount is not a plain decimal with
 * at most the currency's digits (exponent notation is named as such) is
 * kept with parse_rc set, so the summary lists it as refused.  GEN_EINPUT
 * for a missing header or column and for a line with fewer fields than
 * the header; *out is then empty.  Free with payment_csv_free().
 */
enum gen_rc payment_csv_parse(const char *csv, size_t len,
    struct payment_csv *out, struct gen_err *err);
void payment_csv_free(struct payment_csv *c);

/* The outcome of one booking (strings and document owned). */
struct payment_booking {
	char reference[RFREF_SIZE];	/* electronic form */
	char *order_no;
	char *paid_document;		/* the payment order or invoice whose
					   reference was paid */
	int paid_invoice;		/* 1: an invoice on credit terms */
	int64_t paid_minor;
	int64_t overpaid_minor;
	int64_t left_minor;		/* still due on the invoice after it */
	struct document *invoice;	/* the invoice issued or paid */
};

/*
 * Book one statement line (see "Booking rules"): reference as banks print
 * it, amount in minor units of currency, date YYYY-MM-DD named date_what
 * in messages ("date").  fin renders the invoice's files inside
 * the transaction.  GEN_ENOTFOUND when no document has the reference
 * (unmatched), GEN_EINPUT for a wrong currency, an underpayment or a bad
 * date, GEN_ECONFLICT for a duplicate; nothing is written then.
 */
enum gen_rc payment_book(struct store *s, struct config *cfg,
    const char *reference, int64_t amount_minor, const char *currency,
    const char *date, const char *date_what, const struct issue_finish *fin,
    struct payment_booking *out, struct gen_err *err);
void payment_booking_clear(struct payment_booking *b);

/*
 * The JSON of a booking: {"reference", "order_no", "payment_order" (null
 * for an invoice on credit terms), "paid_minor", "overpaid_minor",
 * "left_minor", "invoice": invoice_json} (invoice_json is the invoice as
 * docjson writes it), appended to out.
 */
void payment_booking_json(const struct payment_booking *b,
    const char *invoice_json, struct buf *out);

/* The summary of a statement, built line by line. */
struct payment_report {
	struct buf out;
	struct jsonw w;		/* into out, when json (do not move r) */
	int json;
	size_t matched, unmatched, refused;
};

void payment_report_begin(struct payment_report *r, int json);
/*
 * Add the outcome of line l: rc GEN_OK (booked: invoice is its invoice's
 * number, booking_json the booking), GEN_ENOTFOUND (unmatched) or a
 * refusal (message msg).
 */
void payment_report_line(struct payment_report *r,
    const struct payment_line *l, enum gen_rc rc, const char *msg,
    const char *invoice, const char *booking_json);
/* End the summary with "N matched, M unmatched, K refused" and return
 * its text (owned); the counts stay in r. */
char *payment_report_finish(struct payment_report *r);

#endif
