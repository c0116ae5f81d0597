/*
 * flows.h - the money flows around a subscription besides a plain paid
 * order: the prepaid balance under the seller's VAT policy, terminations,
 * refunds and credit terms.  Every flow issues its documents in one
 * transaction (all or none), through the steps of issue_private.h; the
 * README ("Prepaid balance, terminations and refunds", "Credit terms")
 * has the table of what each flow issues and what VAT each report shows.
 *
 * The balance VAT policy (seller_profile.balance_vat_policy)
 *   at_use (default)  a top-up gets a prepayment receipt (no VAT, series
 *                     receipt_series); a purchase paid from the balance
 *                     gets the VAT invoice.  A termination credited to the
 *                     balance is a credit note saying so (its VAT
 *                     reversed: the money is prepaid money again); a
 *                     refund of unused balance is a negative prepayment
 *                     receipt, drawing on the receipts and credit notes
 *                     that brought the money in.
 *   at_top_up         a top-up gets the VAT invoice (an advance, VAT
 *                     Directive Art. 65); a purchase paid from the balance
 *                     gets a balance-use document without VAT (series
 *                     balance_series) that says which top-up invoices it
 *                     draws on, how much of each (net) and that the VAT
 *                     was invoiced there.  A termination of such a
 *                     purchase returns its unused part to those top-ups
 *                     (a negative balance use); a termination of a
 *                     purchase paid otherwise, credited to the balance, is
 *                     a credit note plus a top-up invoice of that amount
 *                     (VAT reversed, then charged again as the advance it
 *                     has become); a refund of unused balance is a credit
 *                     note against each top-up invoice drawn on.  Nothing
 *                     may draw more than a top-up invoice has left.
 *
 * Must not: print, exit, or read the clock other than by config_tick()
 * after the write lock is taken.
 */
#ifndef INVGEN_FLOWS_H
#define INVGEN_FLOWS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "issue.h"
#include "model.h"
#include "store.h"

/* One draw of a termination or refund: a document number and an amount
 * in minor units (net for top-up invoices, paid for at_use sources). */
struct flows_draw {
	const char *source;
	int64_t amount_minor;
};

/* The documents a flow issued, in the order issued (owned). */
struct flows_result {
	struct document *docs[16];
	size_t n;
};
void flows_result_free(struct flows_result *r);

/* 1 if every line of d is a top-up (a top-up invoice or receipt). */
int flows_is_topup(const struct document *d);

/*
 * What of a top-up invoice is still unspent in the balance: its net, less
 * what credit notes took back, less what purchases drew on it, plus what
 * terminations returned to it.  INT64_MAX for any other invoice (nothing
 * is drawn on it).
 */
enum gen_rc flows_unspent(struct store *s, const struct document *inv,
    int64_t *unspent, struct gen_err *err);

/*
 * The kind of document a paid order gets under the policy of sp:
 * DOC_INVOICE, DOC_PREPAYMENT_RECEIPT (at_use, every line a top-up) or
 * DOC_BALANCE_USE (at_top_up, paid from the balance).  GEN_EINPUT names
 * the field for an order no policy allows: top-up lines mixed with others
 * under at_use, a top-up paid from the balance, balance_draws under
 * at_use, a purchase from the balance without balance_draws under
 * at_top_up.
 */
enum gen_rc flows_order_kind(const struct order *o,
    const struct seller_profile *sp, enum doc_kind *kind,
    struct gen_err *err);

/* The number of the document a paid order got: its invoice, prepayment
 * receipt or use of the balance (the first one); GEN_ENOTFOUND. */
enum gen_rc flows_order_document(struct store *s, int64_t order_id,
    char *number, size_t sz, struct gen_err *err);

/*
 * Issue the prepayment receipt or balance use (kind) of a paid order, in
 * the caller's transaction (from issue_invoice_locked): no VAT, the
 * lines of the order, the draws of a balance use checked and recorded.
 */
enum gen_rc flows_issue_prepaid_locked(struct store *s,
    const struct config *cfg, const struct order *o,
    const struct seller_profile *sp, enum doc_kind kind, int32_t tax_point,
    const struct issue_finish *fin, struct document **out,
    struct gen_err *err);

/*
 * Credit terms: the VAT invoice of an unpaid order, issued before the
 * payment (a payer with a credit limit, a company paying by transfer):
 * tax point and issue date today, due date `due` (YYYY-MM-DD, today or
 * later), the seller's bank account (IBAN checked) and the order's RF
 * payment reference, as on a payment order.  An order that has an invoice
 * gets it back (*existed).  Payments are booked against it by
 * payment_book(), in parts if need be.
 */
enum gen_rc flows_issue_due(struct store *s, struct config *cfg,
    const char *order_no, const char *due, const struct issue_finish *fin,
    struct document **out, int *existed, struct gen_err *err);

/*
 * Terminate the subscription of document `number` (an invoice, or a
 * balance use under at_top_up) with the net amount unused_minor left
 * unused, the money going to "balance" or "refund" (to).  draws: for a
 * balance use, which top-up invoices the unused part goes back to (may be
 * empty when it drew on one only).  See the policy table above.
 */
enum gen_rc flows_terminate(struct store *s, struct config *cfg,
    const char *number, int64_t unused_minor, const char *to,
    const char *reason, const struct flows_draw *draws, size_t ndraws,
    const struct issue_finish *fin, struct flows_result *out,
    struct gen_err *err);

/*
 * Pay back unused balance: draws name the documents that brought the
 * money in (top-up invoices under at_top_up; prepayment receipts or
 * credit notes credited to the balance under at_use) and how much of
 * each; none may give more than it has left.
 */
enum gen_rc flows_refund(struct store *s, struct config *cfg,
    const char *reason, const struct flows_draw *draws, size_t ndraws,
    const struct issue_finish *fin, struct flows_result *out,
    struct gen_err *err);

#endif
