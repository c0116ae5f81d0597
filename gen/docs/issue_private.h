/*
 * issue_private.h - the steps of issuing that issue.c shares with
 * flows.c (the prepaid balance, terminations, refunds, credit terms):
 * building a snapshot or copying one, lines and totals, the payment
 * details of a transfer, numbering and storing, each inside the caller's
 * transaction.  Not for use outside gen/docs/.
 */
#ifndef INVGEN_ISSUE_PRIVATE_H
#define INVGEN_ISSUE_PRIVATE_H

#include <stdint.h>

#include "config.h"
#include "iban.h"
#include "issue.h"
#include "model.h"
#include "rfref.h"
#include "store.h"

/* The parts of a snapshot that come from the order, the seller profile
 * and the VAT decision (may be NULL), the newest layout version and the
 * rendering environment, and the language of an accounting document
 * (bilingual with Lithuanian for a payer in Lithuania; issue.c,
 * accounting_language).  d->kind must be set.  GEN_EINPUT for a
 * language tag that cannot be read. */
enum gen_rc issue_snapshot(const struct config *cfg, struct document *d,
    const struct order *o, const struct seller_profile *sp,
    const struct tax_decision *dec, struct gen_err *err);
/* Lines and totals of d from the order's lines (VAT at d's rate), then
 * VAT in EUR at the ECB rate of the tax point. */
enum gen_rc issue_amounts(struct store *s, struct document *d,
    const struct order *o, int32_t tax_point, struct gen_err *err);
/* Number d in series (dates of a series never run backwards), store it
 * and run the finish step; no commit.  A document whose layout version is
 * not set yet (one not built by issue_snapshot) gets the newest. */
enum gen_rc issue_number_and_store(struct store *s, struct document *d,
    const char *series, const char *format, const struct issue_finish *fin,
    struct gen_err *err);
/* A new document of kind and template, issued on day with the tax point
 * tax_point, and nothing else yet.  Returned owned. */
struct document *issue_new(enum doc_kind kind, const char *template_name,
    int32_t day, int32_t tax_point);
/*
 * A new document of kind with the parties, currency and VAT treatment of
 * src (a correction of it, or a document of the same payer), of template
 * template_name (NULL: src's), issued on day with its tax point that
 * day; no lines, amounts or number yet.  Returned owned.
 */
struct document *issue_copy_head(const struct document *src,
    enum doc_kind kind, const char *template_name, int32_t day);
/* d's one line: quantity 1 at net, in d's VAT category and rate. */
void issue_one_line(struct document *d, const char *item,
    const char *description, int64_t net);
/* d's totals (net, VAT, their sum) and its one VAT row, of d's category
 * and rate (a document has one: its treatment decides it). */
void issue_one_vat_row(struct document *d, int64_t net, int64_t vat);
/*
 * The seller's IBAN, checked and normalised, for a document that asks to
 * be paid by transfer (what: "payment orders"); GEN_EINPUT naming the
 * profile when it has none or a wrong one.
 */
enum gen_rc issue_seller_iban(const struct seller_profile *sp,
    const char *what, char iban[IBAN_SIZE], struct gen_err *err);
/*
 * The RF payment reference of an order (its payment order's, or its
 * invoice's on credit terms); GEN_ECONFLICT when a document of another
 * order has it (order numbers that differ only in punctuation or case).
 */
enum gen_rc issue_order_reference(struct store *s, const char *order_no,
    char ref[RFREF_SIZE], struct gen_err *err);
/* The payment details of d, a document paid by transfer: the seller's
 * IBAN as issue_seller_iban normalised it, and the RF reference. */
void issue_pay_to(struct document *d, const char *iban, const char *ref);
/*
 * A credit note against the loaded invoice inv, inside the caller's
 * transaction (issue_credit_note() without BEGIN and COMMIT); credit_to:
 * "balance", "refund" or NULL.
 */
enum gen_rc issue_credit_locked(struct store *s, const struct config *cfg,
    const struct document *inv, const char *reason, int64_t amount_minor,
    const char *credit_to, const struct issue_finish *fin,
    struct document **out, struct gen_err *err);

#endif
