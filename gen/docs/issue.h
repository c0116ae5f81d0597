/*
 * issue.h - issuing: the only operation that creates documents.  In one
 * BEGIN IMMEDIATE transaction it takes the next number of a gap-free series,
 * decides VAT, computes the amounts and stores the complete snapshot
 * (seller as of the tax-point date, payer and customer as on the order,
 * lines, VAT breakdown, totals, EUR VAT, language) with its link in the
 * series' hash chain (chain.h).  Before a number is taken, the stored
 * order, payer and seller profile are checked by the rules of `order add`
 * and `seller add`, and the number by the documents of its series (a
 * damaged series is GEN_EDB).  If anything fails the transaction is
 * rolled back: no number is used, no row is written.
 *
 * The issue date is today's date read after BEGIN IMMEDIATE took the
 * write lock (config_tick), never before a wait for it, so two calls
 * racing around midnight date in the order they number; a date before
 * that of the series' last document is refused (GEN_EINPUT): within a
 * series, numbers and dates rise together.
 *
 * Rendering is not done here: the caller passes a finish callback that
 * runs inside the transaction after the snapshot is stored (it renders
 * the files into temporary names and records their hashes); the
 * transaction commits only when it succeeds.
 */
#ifndef INVGEN_ISSUE_H
#define INVGEN_ISSUE_H

#include <stdint.h>

#include "config.h"
#include "model.h"
#include "store.h"

/* Called inside the issuing transaction with the stored document. */
struct issue_finish {
	enum gen_rc (*fn)(void *ctx, struct store *s, struct document *d,
	    struct gen_err *err);
	void *ctx;
};

/*
 * The decision inputs of an order, gathered from the store: the tax-point
 * date (Lithuanian date of paid_at, or `date` for a not-yet-paid order),
 * the seller profile of that date, the rates.  Used by issuing, by
 * transfer orders and by `invgen explain`.
 */
enum gen_rc issue_decide(struct store *s, const struct order *o,
    int32_t date, struct seller_profile **seller, struct tax_decision *dec,
    struct gen_err *err);

/*
 * Issue the invoice of a paid order.  When the order already has one, that
 * document is returned with *existed = 1 and nothing is written.  An unpaid
 * order, a tax point after today, or facts that allow no VAT decision are
 * GEN_EINPUT.  *out is the caller's to document_free().
 */
enum gen_rc issue_invoice(struct store *s, struct config *cfg,
    const char *order_no, const struct issue_finish *fin,
    struct document **out, int *existed, struct gen_err *err);
/*
 * The same inside the caller's transaction (store_begin() done, cfg
 * ticked after it): nothing is committed or rolled back here, so a
 * caller can book a payment and issue its invoice as one transaction.
 */
enum gen_rc issue_invoice_locked(struct store *s, const struct config *cfg,
    const char *order_no, const struct issue_finish *fin,
    struct document **out, int *existed, struct gen_err *err);

/*
 * Issue a credit note against an invoice: amount_minor < 0 credits all
 * that is left (the invoice's lines, negated, when nothing was credited
 * before), otherwise a partial credit of that net amount, never more than
 * what is still uncredited.  VAT is reversed in the invoice's category and
 * rate; the last credit reverses exactly the VAT that is left.  The credit
 * note is numbered in the credit series of the seller profile that issued
 * the invoice (a pre-registration invoice's credit stays in that period's
 * series).  credit_to ("balance", "refund" or NULL) says where the money
 * of the credited part went.  A top-up invoice (at_top_up) can be credited
 * only as far as its money is still unspent in the balance.
 */
enum gen_rc issue_credit_note(struct store *s, struct config *cfg,
    const char *invoice_number, const char *reason, int64_t amount_minor,
    const char *credit_to, const struct issue_finish *fin,
    struct document **out, struct gen_err *err);

/*
 * Issue the payment order (proforma, not a VAT invoice) of an unpaid
 * bank-transfer order: today's VAT decision and amounts, the seller's bank
 * account of today (its IBAN checked), an ISO 11649 RF reference derived
 * from the order number, a due date transfer_due_days ahead.  Once per
 * order: a second call returns the same document with *existed = 1.
 */
enum gen_rc issue_transfer_order(struct store *s, struct config *cfg,
    const char *order_no, const struct issue_finish *fin,
    struct document **out, int *existed, struct gen_err *err);

/*
 * The goods of an invoice about to be issued (inv: its snapshot, not yet
 * stored) against the payment order it pays (po: that order's snapshot
 * as the payer was asked to pay it): the same currency, the same lines
 * (item, description, period, quantity, unit price, discount, options,
 * net) and the same net amount.  The VAT may differ (it is decided at the
 * tax point: a new VIES answer, a new rate), the goods may not.
 * GEN_ECONFLICT names what differs.  issue_invoice() runs it inside its
 * transaction, before taking a number, for every order that has a
 * payment order, so `payment match` and `issue` both get it.
 */
enum gen_rc issue_check_pays(const struct document *po,
    const struct document *inv, struct gen_err *err);

/* Format a document number: "{series}-{seq:6}" -> "ZLV-000012". */
enum gen_rc issue_format_number(const char *format, const char *series,
    int64_t seq, char *out, size_t sz, struct gen_err *err);

#endif
