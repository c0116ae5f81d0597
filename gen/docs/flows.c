/*
 * flows.c - the prepaid balance, terminations, refunds and credit terms
 * (see flows.h for the policy table).  Every document is built here and
 * numbered and stored through issue_private.h inside one transaction;
 * all reads and writes go through store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldate.h"
#include "flows.h"
#include "iban.h"
#include "issue_private.h"
#include "jsonin.h"
#include "money.h"
#include "rfref.h"

void
flows_result_free(struct flows_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		document_free(r->docs[i]);
	r->n = 0;
}

/* Keep d in r (owned by r from now on). */
static void
push(struct flows_result *r, struct document *d)
{
	r->docs[r->n++] = d;
}

int
flows_is_topup(const struct document *d)
{
	if (d->nlines == 0)
		return 0;
	for (size_t i = 0; i < d->nlines; i++)
		if (d->lines[i].item == NULL ||
		    strcmp(d->lines[i].item, "topup") != 0)
			return 0;
	return 1;
}

/* How many lines of an order are top-ups. */
static size_t
order_topups(const struct order *o)
{
	size_t n = 0;

	for (size_t i = 0; i < o->nlines; i++)
		n += strcmp(o->lines[i].item, "topup") == 0;
	return n;
}

enum gen_rc
flows_unspent(struct store *s, const struct document *inv, int64_t *unspent,
    struct gen_err *err)
{
	int64_t cred_net, cred_vat, cred_eur, drawn;
	enum gen_rc rc;

	*unspent = INT64_MAX;
	if (inv->kind != DOC_INVOICE || !flows_is_topup(inv))
		return GEN_OK;
	if ((rc = store_credited(s, inv->id, &cred_net, &cred_vat, &cred_eur,
	    err)) != GEN_OK ||
	    (rc = store_drawn(s, inv->id, 0, &drawn, err)) != GEN_OK)
		return rc;
	*unspent = inv->net_minor + cred_net - drawn;
	return GEN_OK;
}

/*
 * What an at_use balance source still holds: a prepayment receipt or a
 * credit note credited to the balance, less the refunds drawn on it;
 * -1 when d is not such a source.
 */
static enum gen_rc
at_use_left(struct store *s, const struct document *d, int64_t *left,
    struct gen_err *err)
{
	int64_t drawn;
	enum gen_rc rc;

	*left = -1;
	if (!(d->kind == DOC_PREPAYMENT_RECEIPT && d->total_minor > 0) &&
	    !(d->kind == DOC_CREDIT_NOTE && d->credit_to != NULL &&
	    strcmp(d->credit_to, "balance") == 0))
		return GEN_OK;
	if ((rc = store_drawn(s, d->id, 0, &drawn, err)) != GEN_OK)
		return rc;
	*left = (d->total_minor < 0 ? -d->total_minor : d->total_minor) -
	    drawn;
	return GEN_OK;
}

enum gen_rc
flows_order_kind(const struct order *o, const struct seller_profile *sp,
    enum doc_kind *kind, struct gen_err *err)
{
	size_t topups = order_topups(o);
	int from_balance = strcmp(o->payment_method, "balance") == 0;

	*kind = DOC_INVOICE;
	if (topups > 0 && from_balance)
		return gen_err_set(err, GEN_EINPUT, "payment_method: order %s "
		    "tops up the balance, so it cannot be paid from the "
		    "balance", o->order_no);
	if (sp->balance_policy == BALANCE_AT_USE) {
		if (topups > 0 && topups < o->nlines)
			return gen_err_set(err, GEN_EINPUT, "lines: order %s "
			    "mixes top-up lines with others; under the seller's "
			    "balance VAT policy at_use a top-up gets a "
			    "prepayment receipt, not a VAT invoice, so an order "
			    "that tops up holds only topup lines", o->order_no);
		if (o->ndraws > 0)
			return gen_err_set(err, GEN_EINPUT, "balance_draws: "
			    "under the seller's balance VAT policy at_use a "
			    "purchase from the balance is taxed on its own "
			    "invoice and draws on no top-up invoice; leave "
			    "balance_draws out (order %s)", o->order_no);
		if (topups > 0)
			*kind = DOC_PREPAYMENT_RECEIPT;
		return GEN_OK;
	}
	if (from_balance) {
		if (o->ndraws == 0)
			return gen_err_set(err, GEN_EINPUT, "balance_draws: "
			    "order %s is paid from the balance; under the "
			    "seller's balance VAT policy at_top_up it must say "
			    "which top-up invoices it draws on and how much of "
			    "each (balance_draws)", o->order_no);
		*kind = DOC_BALANCE_USE;
	}
	return GEN_OK;
}

/* The series of a kind of the profile, or GEN_EINPUT naming the field. */
static enum gen_rc
series_of(const struct seller_profile *sp, enum doc_kind kind,
    const char **series, struct gen_err *err)
{
	const char *v = kind == DOC_PREPAYMENT_RECEIPT ? sp->receipt_series :
	    kind == DOC_BALANCE_USE ? sp->balance_series :
	    kind == DOC_CREDIT_NOTE ? sp->credit_series : sp->invoice_series;

	*series = v;
	if (v == NULL)
		return gen_err_set(err, GEN_EINPUT, "seller_profile %lld: no %s "
		    "for %ss; add a profile that has one",
		    (long long)sp->id, kind == DOC_PREPAYMENT_RECEIPT ?
		    "receipt_series" : "balance_series", kind ==
		    DOC_PREPAYMENT_RECEIPT ? "prepayment receipt" :
		    "use of the balance");
	return GEN_OK;
}

/* The treatment of a document without VAT of the balance. */
static void
set_prepaid(struct document *d, const char *rule, const char *why)
{
	d->treatment = TAX_PREPAID;
	memcpy(d->vat_category, "O", 2);
	d->vat_rate_bp = 0;
	d->vat_country[0] = '\0';
	memcpy(d->location_country, d->payer.country,
	    sizeof(d->location_country));
	free(d->tax_rule);
	free(d->tax_explanation);
	d->tax_rule = xstrdup(rule);
	d->tax_explanation = xstrdup(why);
}

static const char why_receipt[] = "Money received into the prepaid "
    "balance. Under the seller's balance VAT policy at_use the VAT is "
    "charged when the balance is spent, on the invoice of each purchase "
    "(a multi-purpose voucher, VAT Directive Art. 30b(2)); this receipt is "
    "not a VAT invoice.";
static const char why_use[] = "Paid from the prepaid balance. Under the "
    "seller's balance VAT policy at_top_up the VAT was invoiced when the "
    "balance was topped up (VAT Directive Art. 65; Art. 30b(1)), on the "
    "top-up invoices this document draws on; it is not a VAT invoice.";
static const char why_refund[] = "Unused prepaid balance paid back. "
    "Under the seller's balance VAT policy at_use no VAT was charged on "
    "money still in the balance, so none is reversed; this document is "
    "not a VAT invoice.";

/*
 * Resolve and check the draws of a use of the balance: each source a
 * top-up invoice of the same currency (and payer, when both have a
 * Telegram id) with at least the amount unspent; together exactly the
 * document's net.
 */
static enum gen_rc
check_use_draws(struct store *s, struct document *d, const struct order *o,
    struct gen_err *err)
{
	int64_t sum = 0, unspent;
	enum gen_rc rc = GEN_OK;

	d->draws = xcalloc(o->ndraws, sizeof(*d->draws));
	for (size_t i = 0; i < o->ndraws && rc == GEN_OK; i++) {
		const struct order_draw *od = &o->draws[i];
		struct document *src = NULL;
		struct doc_draw *w = &d->draws[d->ndraws];
		char u[32];

		rc = store_document_load(s, od->source, &src, err);
		if (rc == GEN_ENOTFOUND)
			rc = gen_err_set(err, GEN_EINPUT, "balance_draws[%zu]."
			    "invoice: no issued document numbered '%.96s'", i,
			    od->source);
		if (rc != GEN_OK)
			break;
		if (src->kind != DOC_INVOICE || !flows_is_topup(src))
			rc = gen_err_set(err, GEN_EINPUT, "balance_draws[%zu]."
			    "invoice: %s is not a top-up invoice (an invoice "
			    "whose lines are all top-ups)", i, src->number);
		else if (strcmp(src->currency, d->currency) != 0)
			rc = gen_err_set(err, GEN_EINPUT, "balance_draws[%zu]."
			    "invoice: %s is in %s, the purchase in %s; a "
			    "balance is drawn in its own currency", i,
			    src->number, src->currency, d->currency);
		else if (src->payer.telegram_id != 0 &&
		    d->payer.telegram_id != 0 &&
		    src->payer.telegram_id != d->payer.telegram_id)
			rc = gen_err_set(err, GEN_EINPUT, "balance_draws[%zu]."
			    "invoice: %s topped up the balance of payer %lld, "
			    "not of this payer (%lld)", i, src->number,
			    (long long)src->payer.telegram_id,
			    (long long)d->payer.telegram_id);
		else if (strcmp(src->issue_date, d->issue_date) > 0)
			rc = gen_err_set(err, GEN_EINPUT, "balance_draws[%zu]."
			    "invoice: %s is dated after today", i, src->number);
		else if ((rc = flows_unspent(s, src, &unspent, err)) == GEN_OK &&
		    unspent < od->amount_minor) {
			money_format(unspent, src->currency_digits, u, sizeof(u));
			rc = gen_err_set(err, GEN_EINPUT, "balance_draws[%zu]."
			    "amount_minor: top-up invoice %s has %s %s left "
			    "unspent; this purchase draws %lld minor units on "
			    "it", i, src->number, u, src->currency,
			    (long long)od->amount_minor);
		}
		if (rc == GEN_OK) {
			w->source_id = src->id;
			w->source_number = xstrdup(src->number);
			memcpy(w->source_issue_date, src->issue_date,
			    sizeof(w->source_issue_date));
			w->source_kind = src->kind;
			memcpy(w->source_vat_category, src->vat_category, 3);
			w->source_vat_rate_bp = src->vat_rate_bp;
			w->amount_minor = od->amount_minor;
			d->ndraws++;
			rc = money_add(&sum, od->amount_minor, "balance_draws",
			    err);
		}
		document_free(src);
	}
	if (rc == GEN_OK && sum != d->net_minor) {
		char a[32], b[32];

		money_format(sum, d->currency_digits, a, sizeof(a));
		money_format(d->net_minor, d->currency_digits, b, sizeof(b));
		rc = gen_err_set(err, GEN_EINPUT, "balance_draws: the draws add "
		    "up to %s %s but the purchase costs %s %s (net); they must "
		    "be equal", a, d->currency, b, d->currency);
	}
	return rc;
}

enum gen_rc
flows_issue_prepaid_locked(struct store *s, const struct config *cfg,
    const struct order *o, const struct seller_profile *sp,
    enum doc_kind kind, int32_t tax_point, const struct issue_finish *fin,
    struct document **out, struct gen_err *err)
{
	struct document *d;
	const char *series;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = series_of(sp, kind, &series, err)) != GEN_OK)
		return rc;
	d = issue_new(kind, "prepaid", cfg->today, tax_point);
	rc = issue_snapshot(cfg, d, o, sp, NULL, err);
	set_prepaid(d, kind == DOC_PREPAYMENT_RECEIPT ? "prepayment-receipt" :
	    "balance-use", kind == DOC_PREPAYMENT_RECEIPT ? why_receipt :
	    why_use);
	if (rc == GEN_OK &&
	    (rc = issue_amounts(s, d, o, tax_point, err)) == GEN_OK &&
	    (kind != DOC_BALANCE_USE ||
	    (rc = check_use_draws(s, d, o, err)) == GEN_OK) &&
	    (rc = issue_number_and_store(s, d, series, sp->number_format, fin,
	    err)) == GEN_OK) {
		*out = d;
		return GEN_OK;
	}
	document_free(d);
	return rc;
}

/* ---- credit terms -------------------------------------------------- */

enum gen_rc
flows_order_document(struct store *s, int64_t order_id, char *number,
    size_t sz, struct gen_err *err)
{
	static const enum doc_kind kinds[] = { DOC_INVOICE,
	    DOC_PREPAYMENT_RECEIPT, DOC_BALANCE_USE };
	enum gen_rc rc = GEN_ENOTFOUND;

	for (size_t i = 0; i < 3 && rc == GEN_ENOTFOUND; i++)
		rc = store_document_for_order(s, order_id, kinds[i], number,
		    sz, err);
	return rc;
}

enum gen_rc
flows_issue_due(struct store *s, struct config *cfg, const char *order_no,
    const char *due, const struct issue_finish *fin, struct document **out,
    int *existed, struct gen_err *err)
{
	struct order *o = NULL;
	struct seller_profile *sp = NULL;
	struct document *d = NULL;
	struct tax_decision dec;
	char number[96], ref[RFREF_SIZE], iban[IBAN_SIZE], today[CALDATE_LEN];
	enum doc_kind kind;
	int32_t due_day;
	enum gen_rc rc;

	*out = NULL;
	*existed = 0;
	if ((rc = caldate_parse(due, &due_day, "due", err)) != GEN_OK)
		return rc;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	config_tick(cfg);	/* the issue date: the day the lock was taken */
	caldate_format(cfg->today, today);
	if ((rc = store_order_load(s, order_no, &o, err)) != GEN_OK)
		goto done;
	rc = flows_order_document(s, o->id, number, sizeof(number), err);
	if (rc == GEN_OK) {
		*existed = 1;
		rc = store_document_load(s, number, out, err);
		store_rollback(s);
		order_free(o);
		return rc;
	}
	if (rc != GEN_ENOTFOUND)
		goto done;
	gen_err_clear(err);
	rc = GEN_OK;
	if (o->paid_at != NULL) {
		rc = gen_err_set(err, GEN_EINPUT, "due: order %s is already "
		    "paid (%s); issue its invoice without a due date", order_no,
		    o->paid_at);
		goto done;
	}
	if (due_day < cfg->today) {
		rc = gen_err_set(err, GEN_EINPUT, "due: %s is before today "
		    "(%s); allowed: today or a later date", due, today);
		goto done;
	}
	if (strcmp(o->payment_method, "balance") == 0 || order_topups(o) > 0) {
		rc = gen_err_set(err, GEN_EINPUT, "due: order %s %s; credit "
		    "terms are for purchases paid later", order_no,
		    order_topups(o) > 0 ? "tops up the balance, which is paid "
		    "first" : "is paid from the balance at once");
		goto done;
	}
	if ((rc = issue_decide(s, o, cfg->today, &sp, &dec, err)) != GEN_OK ||
	    (rc = flows_order_kind(o, sp, &kind, err)) != GEN_OK)
		goto done;
	/* The payment details: the seller's account and the reference of
	 * the order, as its payment order has (or would have) it. */
	if ((rc = issue_seller_iban(sp, "an invoice paid by transfer", iban,
	    err)) != GEN_OK ||
	    (rc = issue_order_reference(s, order_no, ref, err)) != GEN_OK)
		goto done;

	d = issue_new(DOC_INVOICE, "invoice", cfg->today, cfg->today);
	memcpy(d->due_date, due, CALDATE_LEN - 1);
	d->due_date[CALDATE_LEN - 1] = '\0';
	rc = issue_snapshot(cfg, d, o, sp, &dec, err);
	issue_pay_to(d, iban, ref);
	if (rc != GEN_OK ||
	    (rc = issue_amounts(s, d, o, cfg->today, err)) != GEN_OK ||
	    (rc = issue_number_and_store(s, d, sp->invoice_series,
	    sp->number_format, fin, err)) != GEN_OK ||
	    (rc = store_commit(s, err)) != GEN_OK)
		goto done;
	*out = d;
	d = NULL;
done:
	if (rc != GEN_OK)
		store_rollback(s);
	order_free(o);
	seller_profile_free(sp);
	document_free(d);
	return rc;
}

/* ---- terminations and refunds -------------------------------------- */

/*
 * at_top_up: the unused part of a purchase paid otherwise, credited to
 * the balance, becomes an advance for later purchases: a top-up invoice
 * of that net amount with today's VAT decision (the credit note cn has
 * just reversed the VAT of the original invoice inv).
 */
static enum gen_rc
balance_credit_invoice(struct store *s, const struct config *cfg,
    const struct document *inv, const struct document *cn, int64_t unused,
    const struct issue_finish *fin, struct document **out,
    struct gen_err *err)
{
	struct order *o = NULL, one;
	struct order_line line;
	struct seller_profile *sp = NULL;
	struct tax_decision dec;
	struct document *d = NULL;
	char desc[300];
	int64_t now = cfg->now;
	char ts[TIMESTAMP_LEN];
	enum gen_rc rc;

	*out = NULL;
	if ((rc = store_order_load(s, inv->order_no, &o, err)) != GEN_OK ||
	    (rc = issue_decide(s, o, cfg->today, &sp, &dec, err)) != GEN_OK)
		goto out;
	snprintf(desc, sizeof(desc), "Prepaid balance: the unused part of %s "
	    "(credit note %s)", inv->number, cn->number);
	memset(&line, 0, sizeof(line));
	line.line_no = 1;
	line.item = "topup";
	line.description = desc;
	line.quantity = 1;
	line.unit_price_minor = unused;
	memset(&one, 0, sizeof(one));
	one.lines = &line;
	one.nlines = 1;
	d = issue_new(DOC_INVOICE, "invoice", cfg->today, cfg->today);
	rc = issue_snapshot(cfg, d, o, sp, &dec, err);
	/* Paid now, by the credit note's money. */
	free(d->paid_at);
	timestamp_format(now, ts);
	d->paid_at = xstrdup(ts);
	d->origin_id = cn->id;
	d->origin_number = xstrdup(cn->number);
	if (rc != GEN_OK ||
	    (rc = issue_amounts(s, d, &one, cfg->today, err)) != GEN_OK ||
	    (rc = issue_number_and_store(s, d, sp->invoice_series,
	    sp->number_format, fin, err)) != GEN_OK)
		goto out;
	*out = d;
	d = NULL;
out:
	order_free(o);
	seller_profile_free(sp);
	document_free(d);
	return rc;
}

/* Check the common arguments of a termination or refund. */
static enum gen_rc
check_args(const char *reason, const char *to, size_t ndraws,
    struct gen_err *err)
{
	enum gen_rc rc;

	if (reason == NULL || reason[0] == '\0')
		return gen_err_set(err, GEN_EINPUT, "reason: say why (e.g. "
		    "\"subscription cancelled on request\")");
	if ((rc = jsonin_check_text(reason, strlen(reason), 500, 1, "reason",
	    err)) != GEN_OK)
		return rc;
	if (to != NULL && strcmp(to, "balance") != 0 &&
	    strcmp(to, "refund") != 0)
		return gen_err_set(err, GEN_EINPUT, "to: '%.20s' is not "
		    "allowed; allowed: balance (credited to the prepaid "
		    "balance), refund (paid back)", to);
	if (ndraws > 8)
		return gen_err_set(err, GEN_EINPUT, "draw: %zu draws; allowed: "
		    "at most 8 in one call", ndraws);
	return GEN_OK;
}

/*
 * at_top_up: return the unused part of a use of the balance u to the
 * top-up invoices it drew on (a negative use of the balance), then, for a
 * refund, credit those top-ups.
 */
static enum gen_rc
terminate_use(struct store *s, const struct config *cfg,
    const struct document *u, int64_t unused, const char *to,
    const char *reason, const struct flows_draw *draws, size_t ndraws,
    const struct issue_finish *fin, struct flows_result *out,
    struct gen_err *err)
{
	struct flows_draw one;
	struct seller_profile *sp = NULL;
	struct document *r = NULL;
	const char *series;
	int64_t returned, sum = 0;
	enum gen_rc rc;

	if (u->total_minor < 0)
		return gen_err_set(err, GEN_EINPUT, "document: %s returns money "
		    "to the balance; terminate the purchase it returns",
		    u->number);
	if ((rc = store_corrections(s, u->id, DOC_BALANCE_USE, &returned,
	    err)) != GEN_OK)
		return rc;
	if (unused > u->net_minor + returned) {
		char l[32];

		money_format(u->net_minor + returned, u->currency_digits, l,
		    sizeof(l));
		return gen_err_set(err, GEN_EINPUT, "unused: %s has %s %s "
		    "left to return (net)", u->number, l, u->currency);
	}
	if (ndraws == 0) {
		if (u->ndraws != 1)
			return gen_err_set(err, GEN_EINPUT, "draw: %s drew on "
			    "%zu top-up invoices; say which get the unused part "
			    "back and how much (draws: NUMBER=AMOUNT)", u->number,
			    u->ndraws);
		one.source = u->draws[0].source_number;
		one.amount_minor = unused;
		draws = &one;
		ndraws = 1;
	}
	r = issue_copy_head(u, DOC_BALANCE_USE, NULL, cfg->today);
	r->corrects_id = u->id;
	r->corrects_number = xstrdup(u->number);
	memcpy(r->corrects_issue_date, u->issue_date, CALDATE_LEN);
	r->credit_reason = xstrdup(reason);
	r->credit_to = xstrdup(to);
	issue_one_line(r, "credit", reason, -unused);
	issue_one_vat_row(r, -unused, 0);	/* category O: no VAT */
	r->draws = xcalloc(ndraws, sizeof(*r->draws));
	for (size_t i = 0; i < ndraws && rc == GEN_OK; i++) {
		const struct doc_draw *w = NULL;
		int64_t still;

		for (size_t k = 0; k < u->ndraws; k++)
			if (strcmp(u->draws[k].source_number, draws[i].source) ==
			    0)
				w = &u->draws[k];
		for (size_t j = 0; j < i && w != NULL; j++)
			if (strcmp(draws[j].source, draws[i].source) == 0)
				w = NULL;
		if (w == NULL) {
			rc = gen_err_set(err, GEN_EINPUT, "draw: %s drew "
			    "nothing on %.96s", u->number, draws[i].source);
			break;
		}
		if ((rc = store_drawn(s, w->source_id, u->id, &still, err)) !=
		    GEN_OK)
			break;
		if (draws[i].amount_minor <= 0 || draws[i].amount_minor > still) {
			rc = gen_err_set(err, GEN_EINPUT, "draw: %s=%lld: %s "
			    "has %lld minor units of %s to give back", w->source_number,
			    (long long)draws[i].amount_minor, u->number,
			    (long long)still, w->source_number);
			break;
		}
		r->draws[r->ndraws] = *w;
		r->draws[r->ndraws].source_number = xstrdup(w->source_number);
		r->draws[r->ndraws++].amount_minor = -draws[i].amount_minor;
		sum += draws[i].amount_minor;
	}
	if (rc == GEN_OK && sum != unused)
		rc = gen_err_set(err, GEN_EINPUT, "draw: the amounts add up to "
		    "%lld minor units, unused is %lld; they must be equal",
		    (long long)sum, (long long)unused);
	if (rc == GEN_OK &&
	    (rc = store_seller_by_id(s, u->seller_profile_id, &sp, err)) ==
	    GEN_OK &&
	    (rc = series_of(sp, DOC_BALANCE_USE, &series, err)) == GEN_OK &&
	    (rc = issue_number_and_store(s, r, series, sp->number_format, fin,
	    err)) == GEN_OK) {
		push(out, r);
		r = NULL;
	}
	/* A refund: the money returned to each top-up is paid back from it. */
	for (size_t i = 0; rc == GEN_OK && strcmp(to, "refund") == 0 &&
	    i < ndraws; i++) {
		struct document *t = NULL, *cn = NULL;

		if ((rc = store_document_load(s, draws[i].source, &t, err)) ==
		    GEN_OK &&
		    (rc = issue_credit_locked(s, cfg, t, reason,
		    draws[i].amount_minor, "refund", fin, &cn, err)) == GEN_OK)
			push(out, cn);
		document_free(t);
	}
	document_free(r);
	seller_profile_free(sp);
	return rc;
}

enum gen_rc
flows_terminate(struct store *s, struct config *cfg, const char *number,
    int64_t unused_minor, const char *to, const char *reason,
    const struct flows_draw *draws, size_t ndraws,
    const struct issue_finish *fin, struct flows_result *out,
    struct gen_err *err)
{
	struct document *d = NULL, *cn = NULL, *bi = NULL;
	struct seller_profile *today = NULL;
	enum gen_rc rc;

	memset(out, 0, sizeof(*out));
	if (to == NULL)
		return gen_err_set(err, GEN_EINPUT, "to: say where the unused "
		    "part goes: balance or refund");
	if ((rc = check_args(reason, to, ndraws, err)) != GEN_OK)
		return rc;
	if (unused_minor <= 0)
		return gen_err_set(err, GEN_EINPUT, "unused: %lld; allowed: "
		    "the unused net amount in minor units, more than 0",
		    (long long)unused_minor);
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	config_tick(cfg);	/* the issue date: the day the lock was taken */
	if ((rc = store_document_load(s, number, &d, err)) != GEN_OK)
		goto fail;
	switch (d->kind) {
	case DOC_INVOICE:
		if (flows_is_topup(d)) {
			rc = gen_err_set(err, GEN_EINPUT, "document: %s tops up "
			    "the balance; it is not a subscription to terminate "
			    "(unused balance is paid back by a refund)",
			    number);
			break;
		}
		if (ndraws > 0) {
			rc = gen_err_set(err, GEN_EINPUT, "draw: only the "
			    "termination of a purchase paid from the balance "
			    "(at_top_up) gives money back to top-up invoices");
			break;
		}
		if ((rc = issue_credit_locked(s, cfg, d, reason, unused_minor, to,
		    fin, &cn, err)) != GEN_OK)
			break;
		push(out, cn);
		if (strcmp(to, "balance") != 0)
			break;
		if ((rc = store_seller_for_date(s, cfg->today, &today, err)) !=
		    GEN_OK)
			break;
		if (today->balance_policy == BALANCE_AT_TOP_UP &&
		    (rc = balance_credit_invoice(s, cfg, d, cn, unused_minor, fin,
		    &bi, err)) == GEN_OK)
			push(out, bi);
		break;
	case DOC_BALANCE_USE:
		rc = terminate_use(s, cfg, d, unused_minor, to, reason, draws,
		    ndraws, fin, out, err);
		break;
	default:
		rc = gen_err_set(err, GEN_EINPUT, "document: %s is a %s; a "
		    "subscription is terminated on its invoice (or its use of "
		    "the balance)", number, doc_kind_name(d->kind));
		break;
	}
	if (rc == GEN_OK)
		rc = store_commit(s, err);
fail:
	if (rc != GEN_OK) {
		store_rollback(s);
		flows_result_free(out);
	}
	document_free(d);
	seller_profile_free(today);
	return rc;
}

/* at_use: pay back balance drawn on the sources (one negative receipt). */
static enum gen_rc
refund_at_use(struct store *s, const struct config *cfg,
    struct document **src, const struct flows_draw *draws, size_t n,
    const char *reason, const struct issue_finish *fin,
    struct flows_result *out, struct gen_err *err)
{
	struct seller_profile *sp = NULL;
	struct document *p;
	const char *series;
	int64_t total = 0, left;
	enum gen_rc rc = GEN_OK;

	p = issue_copy_head(src[0], DOC_PREPAYMENT_RECEIPT, "prepaid",
	    cfg->today);
	set_prepaid(p, "prepayment-refund", why_refund);
	p->credit_reason = xstrdup(reason);
	p->credit_to = xstrdup("refund");
	free(p->paid_at);		/* money out, not a payment received */
	p->paid_at = NULL;
	p->lines = xcalloc(n, sizeof(*p->lines));
	p->draws = xcalloc(n, sizeof(*p->draws));
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		struct doc_line *l = &p->lines[i];
		char desc[300];

		if (strcmp(src[i]->currency, p->currency) != 0) {
			rc = gen_err_set(err, GEN_EINPUT, "draw: %s is in %s, "
			    "%s in %s; one refund is in one currency",
			    src[i]->number, src[i]->currency, src[0]->number,
			    p->currency);
			break;
		}
		if ((rc = at_use_left(s, src[i], &left, err)) != GEN_OK)
			break;
		if (draws[i].amount_minor > left) {
			rc = gen_err_set(err, GEN_EINPUT, "draw: %s has %lld "
			    "minor units left in the balance; %lld asked",
			    src[i]->number, (long long)left,
			    (long long)draws[i].amount_minor);
			break;
		}
		snprintf(desc, sizeof(desc), "Refund of unused prepaid balance "
		    "(%s)", src[i]->number);
		l->line_no = (int)i + 1;
		l->item = xstrdup("refund");
		l->description = xstrdup(desc);
		l->quantity = 1;
		l->unit_price_minor = -draws[i].amount_minor;
		l->gross_minor = l->net_minor = -draws[i].amount_minor;
		memcpy(l->vat_category, "O", 2);
		p->nlines++;
		p->draws[p->ndraws].source_id = src[i]->id;
		p->draws[p->ndraws].source_number = xstrdup(src[i]->number);
		memcpy(p->draws[p->ndraws].source_issue_date,
		    src[i]->issue_date, CALDATE_LEN);
		p->draws[p->ndraws].source_kind = src[i]->kind;
		memcpy(p->draws[p->ndraws].source_vat_category,
		    src[i]->vat_category, 3);
		p->draws[p->ndraws].source_vat_rate_bp = src[i]->vat_rate_bp;
		p->draws[p->ndraws++].amount_minor = draws[i].amount_minor;
		rc = money_add(&total, -draws[i].amount_minor, "refund", err);
	}
	if (rc == GEN_OK) {
		p->net_minor = p->total_minor = total;
		p->nvats = 1;
		p->vats = xcalloc(1, sizeof(*p->vats));
		memcpy(p->vats[0].vat_category, "O", 2);
		p->vats[0].taxable_minor = total;
	}
	if (rc == GEN_OK &&
	    (rc = store_seller_by_id(s, src[0]->seller_profile_id, &sp, err)) ==
	    GEN_OK &&
	    (rc = series_of(sp, DOC_PREPAYMENT_RECEIPT, &series, err)) ==
	    GEN_OK &&
	    (rc = issue_number_and_store(s, p, series, sp->number_format, fin,
	    err)) == GEN_OK) {
		push(out, p);
		p = NULL;
	}
	document_free(p);
	seller_profile_free(sp);
	return rc;
}

enum gen_rc
flows_refund(struct store *s, struct config *cfg, const char *reason,
    const struct flows_draw *draws, size_t ndraws,
    const struct issue_finish *fin, struct flows_result *out,
    struct gen_err *err)
{
	struct document *src[8] = { NULL };
	size_t topups = 0;
	enum gen_rc rc;

	memset(out, 0, sizeof(*out));
	if (ndraws == 0)
		return gen_err_set(err, GEN_EINPUT, "draw: name what the "
		    "money came from and how much of it (draws: NUMBER=AMOUNT)");
	if ((rc = check_args(reason, NULL, ndraws, err)) != GEN_OK)
		return rc;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	config_tick(cfg);	/* the issue date: the day the lock was taken */
	for (size_t i = 0; i < ndraws && rc == GEN_OK; i++) {
		int64_t left;

		for (size_t j = 0; j < i; j++)
			if (strcmp(draws[j].source, draws[i].source) == 0)
				rc = gen_err_set(err, GEN_EINPUT, "draw: %.96s "
				    "is named twice", draws[i].source);
		if (rc == GEN_OK && draws[i].amount_minor <= 0)
			rc = gen_err_set(err, GEN_EINPUT, "draw: %.96s=%lld; "
			    "allowed: an amount of minor units above 0",
			    draws[i].source, (long long)draws[i].amount_minor);
		if (rc == GEN_OK)
			rc = store_document_load(s, draws[i].source, &src[i], err);
		if (rc != GEN_OK)
			break;
		if (src[i]->kind == DOC_INVOICE && flows_is_topup(src[i]))
			topups++;
		else if ((rc = at_use_left(s, src[i], &left, err)) == GEN_OK &&
		    left < 0)
			rc = gen_err_set(err, GEN_EINPUT, "draw: %s (kind %s) "
			    "brought no money into the balance; unused balance "
			    "comes from a top-up invoice (at_top_up), a "
			    "prepayment receipt or a credit note credited to the "
			    "balance (at_use)", src[i]->number,
			    doc_kind_name(src[i]->kind));
	}
	if (rc == GEN_OK && topups > 0 && topups < ndraws)
		rc = gen_err_set(err, GEN_EINPUT, "draw: top-up invoices "
		    "(at_top_up) and prepayment receipts (at_use) are refunded "
		    "separately");
	/* at_top_up: the VAT each top-up charged is reversed by a credit
	 * note against it, for the amount paid back (VAT on top). */
	for (size_t i = 0; rc == GEN_OK && topups > 0 && i < ndraws; i++) {
		struct document *cn = NULL;

		if ((rc = issue_credit_locked(s, cfg, src[i], reason,
		    draws[i].amount_minor, "refund", fin, &cn, err)) == GEN_OK)
			push(out, cn);
	}
	if (rc == GEN_OK && topups == 0)
		rc = refund_at_use(s, cfg, src, draws, ndraws, reason, fin, out,
		    err);
	if (rc == GEN_OK)
		rc = store_commit(s, err);
	if (rc != GEN_OK) {
		store_rollback(s);
		flows_result_free(out);
	}
	for (size_t i = 0; i < ndraws && i < 8; i++)
		document_free(src[i]);
	return rc;
}
