/*
 * issue_private.h - the steps of issuing that issue.c shares with
 * flows.c (the prepaid balance, terminations, refunds, credit terms):
 * building a snapshot, computing amounts, numbering and storing, each
 * inside the caller's transaction.  Not for use outside gen/docs/.
 */
#ifndef INVGEN_ISSUE_PRIVATE_H
#define INVGEN_ISSUE_PRIVATE_H

#include <stdint.h>

#include "config.h"
#include "issue.h"
#include "model.h"
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
