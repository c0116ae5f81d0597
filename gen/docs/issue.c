/*
 * issue.c - issuing invoices and credit notes (see issue.h).  Policy lives
 * here: which date is the tax point, which seller profile applies, how the
 * lines become amounts (money.c rounds), what a credit note may reverse,
 * what an invoice must agree with in the payment order it pays.  The rows
 * the bot or the operator may write with SQL (order, lines, payer,
 * seller profile) are checked again by the rules of `order add` and
 * `seller add` (order.c, seller.c) before anything is numbered.  All
 * reads and writes go through store.h inside one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldate.h"
#include "chain.h"
#include "country.h"
#include "fault.h"
#include "flows.h"
#include "iban.h"
#include "i18n.h"
#include "issue.h"
#include "issue_private.h"
#include "jsonin.h"
#include "layoutver.h"
#include "money.h"
#include "order.h"
#include "rfref.h"
#include "seller.h"
#include "tax.h"

enum gen_rc
issue_format_number(const char *format, const char *series, int64_t seq,
    char *out, size_t sz, struct gen_err *err)
{
	size_t len = 0;
	const char *p = format;

	while (*p != '\0') {
		int n = 0, width = 0;

		if (strncmp(p, "{series}", 8) == 0) {
			n = snprintf(out + len, sz - len, "%s", series);
			p += 8;
		} else if (strncmp(p, "{seq", 4) == 0) {
			p += 4;
			if (*p == ':') {
				p++;
				while (*p >= '0' && *p <= '9' && width < 100)
					width = width * 10 + (*p++ - '0');
			}
			if (*p != '}' || width > 18)
				goto bad;
			p++;
			n = snprintf(out + len, sz - len, "%0*lld", width,
			    (long long)seq);
		} else if (*p == '{' || *p == '}')
			goto bad;
		else
			n = snprintf(out + len, sz - len, "%c", *p++);
		if (n < 0 || (size_t)n >= sz - len)
			return gen_err_set(err, GEN_EINPUT, "number_format: "
			    "'%s' gives a number longer than %zu bytes", format,
			    sz - 1);
		len += (size_t)n;
	}
	if (strstr(format, "{seq") == NULL)
		goto bad;
	return GEN_OK;
bad:
	return gen_err_set(err, GEN_EINPUT, "number_format: '%s' is not "
	    "allowed; use text with {series} and {seq} or {seq:N} (N digits, "
	    "zero-padded), e.g. {series}-{seq:6}", format);
}

enum gen_rc
issue_decide(struct store *s, const struct order *o, int32_t date,
    struct seller_profile **seller, struct tax_decision *dec,
    struct gen_err *err)
{
	struct tax_rate *rates = NULL;
	struct tax_input in;
	size_t nrates = 0;
	enum gen_rc rc;

	*seller = NULL;
	if ((rc = store_seller_for_date(s, date, seller, err)) != GEN_OK)
		return rc;
	if ((rc = store_vat_rates(s, &rates, &nrates, err)) != GEN_OK)
		goto out;
	memset(&in, 0, sizeof(in));
	in.date = date;
	in.seller_vat_registered = (*seller)->party.vat_number != NULL;
	in.seller_country = (*seller)->party.country;
	in.oss_enabled = (*seller)->oss_enabled;
	in.payer_country = o->payer.country;
	in.postal_code = o->payer.postal_code;
	in.is_business = o->payer.is_business;
	in.vat_number = o->payer.vat_number;
	in.vat_check = o->vat_check_status;
	in.evidence_billing = o->evidence_billing;
	in.evidence_card = o->evidence_card;
	in.evidence_ip = o->evidence_ip;
	in.rates = rates;
	in.nrates = nrates;
	rc = tax_decide(&in, dec, err);
out:
	free(rates);
	if (rc != GEN_OK) {
		seller_profile_free(*seller);
		*seller = NULL;
	}
	return rc;
}

/* Copy the parts of the snapshot that come from the order. */
static void
snapshot_order(struct document *d, const struct order *o)
{
	d->order_no = xstrdup(o->order_no);
	d->paid_at = model_strdup(o->paid_at);
	d->payment_method = xstrdup(o->payment_method);
	d->language = xstrdup(o->language);
	memcpy(d->currency, o->currency, sizeof(d->currency));
	party_copy(&d->payer, &o->payer);
	d->customer_telegram_id = o->customer_telegram_id;
	d->customer_username = model_strdup(o->customer_username);
}

/* The seller's logo (layout version 2): its hash, and its bytes for the
 * renderer (the database keeps them under the hash, table logo). */
static void
snapshot_logo(struct document *d, const char *sha256,
    const unsigned char *logo, size_t len)
{
	if (sha256 == NULL || logo == NULL)
		return;
	d->logo_sha256 = xstrdup(sha256);
	d->logo = xmalloc(len > 0 ? len : 1);
	memcpy(d->logo, logo, len);
	d->logo_len = len;
}

static void
snapshot_seller(struct document *d, const struct seller_profile *sp)
{
	d->seller_profile_id = sp->id;
	party_copy(&d->seller, &sp->party);
	bank_account_copy(&d->bank, &sp->bank);
	snapshot_logo(d, sp->logo_sha256, sp->logo, sp->logo_len);
}

static void
snapshot_decision(struct document *d, const struct tax_decision *dec)
{
	d->treatment = dec->treatment;
	memcpy(d->vat_category, dec->category, sizeof(d->vat_category));
	d->vat_rate_bp = dec->rate_bp;
	memcpy(d->vat_country, dec->vat_country, sizeof(d->vat_country));
	memcpy(d->location_country, dec->location_country,
	    sizeof(d->location_country));
	d->tax_rule = xstrdup(dec->rule);
	d->tax_explanation = xstrdup(dec->explanation);
	d->territory = dec->territory[0] != '\0' ? xstrdup(dec->territory) :
	    NULL;
	/* The buyer's VAT number is printed normalised when it was valid. */
	if (dec->payer_vat_number[0] != '\0') {
		free(d->payer.vat_number);
		d->payer.vat_number = xstrdup(dec->payer_vat_number);
	}
}

/*
 * Lines and totals from the order: each line net rounded once, VAT once for
 * the category's sum (one category per document: the treatment decides it).
 */
static enum gen_rc
compute_lines(struct document *d, const struct order *o, struct gen_err *err)
{
	int64_t net = 0, vat = 0, total;
	enum gen_rc rc;

	if (o->nlines == 0)
		return gen_err_set(err, GEN_EINPUT, "lines: the order has no "
		    "lines");
	d->lines = xcalloc(o->nlines, sizeof(*d->lines));
	d->nlines = o->nlines;
	for (size_t i = 0; i < o->nlines; i++) {
		const struct order_line *ol = &o->lines[i];
		struct doc_line *l = &d->lines[i];

		l->line_no = ol->line_no;
		l->item = xstrdup(ol->item);
		l->description = xstrdup(ol->description);
		l->period_months = ol->period_months;
		l->quantity = ol->quantity;
		l->unit_price_minor = ol->unit_price_minor;
		l->discount_bp = ol->discount_bp;
		l->options = ol->options;
		memcpy(l->period_from, ol->period_from, sizeof(l->period_from));
		memcpy(l->period_to, ol->period_to, sizeof(l->period_to));
		memcpy(l->vat_category, d->vat_category, sizeof(l->vat_category));
		l->vat_rate_bp = d->vat_rate_bp;
		rc = money_line(ol->quantity, ol->unit_price_minor,
		    ol->discount_bp, &l->gross_minor, &l->discount_minor,
		    &l->net_minor, err);
		if (rc == GEN_OK)
			rc = money_add(&net, l->net_minor, "net total", err);
		if (rc != GEN_OK)
			return gen_err_prefix(err, "lines[%zu]: ", i);
	}
	if ((rc = money_vat(net, d->vat_rate_bp, &vat, err)) != GEN_OK)
		return rc;
	total = net;
	if ((rc = money_add(&total, vat, "grand total", err)) != GEN_OK)
		return rc;	/* issue_one_vat_row's sum cannot overflow */
	issue_one_vat_row(d, net, vat);
	return GEN_OK;
}

/* VAT in EUR at the ECB rate of the tax point (REFERENCE.md 3.4). */
static enum gen_rc
compute_eur(struct store *s, struct document *d, int32_t tax_point,
    struct gen_err *err)
{
	char units[32];
	enum gen_rc rc;

	if (strcmp(d->currency, "EUR") == 0 ||
	    strcmp(d->vat_category, "S") != 0)
		return GEN_OK;
	rc = store_fx_rate(s, d->currency, tax_point, units, sizeof(units),
	    d->fx_rate_date, err);
	if (rc != GEN_OK)
		return rc;
	d->fx_units_per_eur = xstrdup(units);
	return GEN_OK;
}

/* The EUR figures of the VAT rows and the document, from fx_units_per_eur. */
static enum gen_rc
convert_eur(struct document *d, struct gen_err *err)
{
	enum gen_rc rc;

	if (d->fx_units_per_eur == NULL)
		return GEN_OK;
	for (size_t i = 0; i < d->nvats; i++) {
		struct doc_vat *v = &d->vats[i];

		if ((rc = money_to_eur_cents(v->taxable_minor, d->currency_digits,
		    d->fx_units_per_eur, &v->taxable_eur_minor, err)) != GEN_OK ||
		    (rc = money_to_eur_cents(v->vat_minor, d->currency_digits,
		    d->fx_units_per_eur, &v->vat_eur_minor, err)) != GEN_OK)
			return rc;
		v->has_eur = 1;
	}
	d->has_vat_eur = 1;
	return money_to_eur_cents(d->vat_minor, d->currency_digits,
	    d->fx_units_per_eur, &d->vat_eur_minor, err);
}

/* Two texts equal, NULL and "" alike. */
static int
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

enum gen_rc
issue_check_pays(const struct document *po, const struct document *inv,
    struct gen_err *err)
{
	char a[40], b[40];

	if (strcmp(po->currency, inv->currency) != 0)
		return gen_err_set(err, GEN_ECONFLICT, "currency: the invoice "
		    "of order %s would be in %s, but payment order %s asked "
		    "for %s; the order was changed after its payment order, "
		    "nothing issued", inv->order_no, inv->currency, po->number,
		    po->currency);
	if (po->nlines != inv->nlines)
		return gen_err_set(err, GEN_ECONFLICT, "lines: the invoice of "
		    "order %s would have %zu line%s, payment order %s has %zu; "
		    "the order was changed after its payment order, nothing "
		    "issued", inv->order_no, inv->nlines, inv->nlines == 1 ? "" :
		    "s", po->number, po->nlines);
	for (size_t i = 0; i < po->nlines; i++) {
		const struct doc_line *p = &po->lines[i], *l = &inv->lines[i];

		if (p->line_no != l->line_no || !same_text(p->item, l->item) ||
		    !same_text(p->description, l->description) ||
		    p->period_months != l->period_months ||
		    p->quantity != l->quantity ||
		    p->unit_price_minor != l->unit_price_minor ||
		    p->discount_bp != l->discount_bp ||
		    p->net_minor != l->net_minor ||
		    p->options.sip_accounts != l->options.sip_accounts ||
		    p->options.recording_days != l->options.recording_days ||
		    p->options.gateway_lines != l->options.gateway_lines)
			return gen_err_set(err, GEN_ECONFLICT, "lines[%zu]: "
			    "line %d of the invoice of order %s differs from "
			    "line %d of payment order %s (the order was changed "
			    "after its payment order); nothing issued", i,
			    l->line_no, inv->order_no, p->line_no, po->number);
	}
	if (po->net_minor != inv->net_minor) {
		money_format(inv->net_minor, inv->currency_digits, a, sizeof(a));
		money_format(po->net_minor, po->currency_digits, b, sizeof(b));
		return gen_err_set(err, GEN_ECONFLICT, "net amount: the invoice "
		    "of order %s would be %s %s net, payment order %s is %s "
		    "%s; nothing issued", inv->order_no, a, inv->currency,
		    po->number, b, po->currency);
	}
	return GEN_OK;
}

/* An invoice pays the order's payment order, when it has one. */
static enum gen_rc
check_payment_order(struct store *s, const struct order *o,
    const struct document *d, struct gen_err *err)
{
	struct document *po = NULL;
	char number[96];
	enum gen_rc rc;

	rc = store_document_for_order(s, o->id, DOC_TRANSFER_ORDER, number,
	    sizeof(number), err);
	if (rc == GEN_ENOTFOUND) {
		gen_err_clear(err);
		return GEN_OK;
	}
	if (rc == GEN_OK && (rc = store_document_load(s, number, &po, err)) ==
	    GEN_OK)
		rc = issue_check_pays(po, d, err);
	document_free(po);
	return rc;
}

/*
 * The next number of the series for d.  The dates of a series never run
 * backwards (Lithuanian numbering: a later number never has an earlier
 * date), so a clock set back, or a day read before a long wait for the
 * lock, is refused here instead of numbering out of order.
 */
static enum gen_rc
take_number(struct store *s, struct document *d, const char *series,
    const char *format, struct gen_err *err)
{
	char number[96], last[96], last_date[CALDATE_LEN];
	enum gen_rc rc;

	if ((rc = store_series_last(s, series, last, sizeof(last), last_date,
	    err)) != GEN_OK)
		return rc;
	if (strcmp(d->issue_date, last_date) < 0)
		return gen_err_set(err, GEN_EINPUT, "issue_date: %s is before "
		    "%s, the date of %s, the last document of series %s; the "
		    "dates of a series never run backwards (check the clock)",
		    d->issue_date, last_date, last, series);
	if ((rc = store_series_next(s, series, d->kind, &d->seq, err)) !=
	    GEN_OK ||
	    (rc = chain_check_series(s, series, d->seq, err)) != GEN_OK)
		return rc;
	if ((rc = issue_format_number(format, series, d->seq, number,
	    sizeof(number), err)) != GEN_OK)
		return rc;
	d->series = xstrdup(series);
	d->number = xstrdup(number);
	return GEN_OK;
}

/* Store the document and run the caller's finish step; no commit. */
static enum gen_rc
store_and_finish(struct store *s, struct document *d,
    const struct issue_finish *fin, struct gen_err *err)
{
	enum gen_rc rc;

	if ((rc = store_document_insert(s, d, err)) != GEN_OK)
		return rc;
	if (fin != NULL && fin->fn != NULL &&
	    (rc = fin->fn(fin->ctx, s, d, err)) != GEN_OK)
		return rc;
	return GEN_OK;
}

/*
 * The paper of a new document: the seller profile's when it sets one,
 * else the paper people in the payer's country use (ICU's paper size of
 * und_<country>, i18n_country_letter), never the document's language.
 * US Letter gives the template's Letter twin ("invoice" ->
 * "invoice-letter"; every template of the newest layout version has one,
 * templates/NAME-letter.xml).  Chosen at issue and kept in the snapshot
 * as the template's name.
 */
static void
snapshot_paper(struct document *d, const struct seller_profile *sp)
{
	int letter = sp->paper != NULL ? strcmp(sp->paper, "Letter") == 0 :
	    i18n_country_letter(d->payer.country);
	size_t n = strlen(d->template_name);
	struct buf t = { 0 };

	if (!letter || (n >= 7 && strcmp(d->template_name + n - 7,
	    "-letter") == 0))
		return;
	buf_printf(&t, "%s-letter", d->template_name);
	free(d->template_name);
	d->template_name = buf_detach(&t, NULL);
}

/*
 * What every new document records about how it renders: the newest
 * layout version, the rendering environment (layoutver.h, config.h) and
 * its paper (sp: the seller profile of its issue date; NULL for a
 * document copied from another, whose template it keeps).
 */
static void
snapshot_rendering(struct document *d, const struct seller_profile *sp)
{
	d->layout_version = LAYOUT_VERSION_CURRENT;
	free(d->render_env);
	d->render_env = xstrdup(config_render_env());
	if (sp != NULL)
		snapshot_paper(d, sp);
}

/*
 * The language of an accounting document (invoice, credit note).
 * Lithuanian accounting documents are drawn up in Lithuanian (the Law on
 * Accounting, as VMI's guidance on VAT invoices cites it; the article is
 * not verified here): for a payer in Lithuania, or for every payer when
 * the seller profile says lithuanian_for_all, a document in another
 * language becomes bilingual with Lithuanian first: "ru" -> "lt+ru",
 * "en+lt" -> "lt+en".  The second language is the payer's own when it
 * has a catalogue in the newest layout version (or is one invgen ships,
 * whose missing file is then an error when rendering), else English.  A
 * language whose first part is Lithuanian is kept as it is ("lt",
 * "lt-en").  On success d->language
 * is replaced; GEN_EINPUT for a tag i18n refuses (never stored: orders
 * are checked when added).
 */
static enum gen_rc
accounting_language(const struct config *cfg, const struct seller_profile *sp,
    struct document *d, struct gen_err *err)
{
	char l1[I18N_LANG_MAX + 1], l2[I18N_LANG_MAX + 1], dir[4096];
	const char *second;
	enum gen_rc rc;

	if (strcmp(d->payer.country, "LT") != 0 && !sp->lithuanian_for_all)
		return GEN_OK;
	if ((rc = i18n_tag_languages(d->language, l1, l2, err)) != GEN_OK)
		return rc;
	if (strcmp(l1, "lt") == 0)
		return GEN_OK;
	snprintf(dir, sizeof(dir), "%s/%s", cfg->data_dir,
	    layoutver_files(LAYOUT_VERSION_CURRENT)->locales);
	if (i18n_catalogue_exists(dir, l1))
		second = l1;
	else if (l2[0] != '\0' && strcmp(l2, "lt") != 0 &&
	    i18n_catalogue_exists(dir, l2))
		second = l2;
	else
		second = "en";
	free(d->language);
	d->language = xmalloc(strlen(second) + 4);
	snprintf(d->language, strlen(second) + 4, "lt+%s", second);
	return GEN_OK;
}

enum gen_rc
issue_invoice_locked(struct store *s, const struct config *cfg,
    const char *order_no, const struct issue_finish *fin,
    struct document **out, int *existed, struct gen_err *err)
{
	struct order *o = NULL;
	struct seller_profile *sp = NULL;
	struct document *d = NULL;
	struct tax_decision dec;
	char number[96];
	int64_t paid;
	int32_t tax_point;
	enum doc_kind kind;
	enum gen_rc rc;

	*out = NULL;
	*existed = 0;
	if ((rc = store_order_load(s, order_no, &o, err)) != GEN_OK)
		goto done;
	rc = flows_order_document(s, o->id, number, sizeof(number), err);
	if (rc == GEN_OK) {
		*existed = 1;
		order_free(o);
		return store_document_load(s, number, out, err);
	}
	if (rc != GEN_ENOTFOUND)
		goto done;
	gen_err_clear(err);
	if ((rc = order_check_stored(o, err)) != GEN_OK)
		goto done;
	if (o->paid_at == NULL) {
		rc = gen_err_set(err, GEN_EINPUT, "paid_at: order %s is not paid; "
		    "an invoice is issued when the payment has arrived (record "
		    "the payment first)", order_no);
		goto done;
	}
	if ((rc = timestamp_parse(o->paid_at, &paid, "paid_at", err)) != GEN_OK)
		goto done;
	tax_point = timestamp_lt_date(paid);
	if (tax_point > cfg->today) {
		rc = gen_err_set(err, GEN_EINPUT, "paid_at: %s is in the future "
		    "(today is the issue date); check the clock or the order",
		    o->paid_at);
		goto done;
	}
	/* The seller's balance VAT policy decides whether a top-up or a
	 * purchase from the balance gets a VAT invoice (flows.c). */
	if ((rc = store_seller_for_date(s, tax_point, &sp, err)) != GEN_OK ||
	    (rc = seller_check_stored(sp, err)) != GEN_OK ||
	    (rc = flows_order_kind(o, sp, &kind, err)) != GEN_OK)
		goto done;
	if (kind != DOC_INVOICE) {
		rc = flows_issue_prepaid_locked(s, cfg, o, sp, kind, tax_point,
		    fin, out, err);
		goto done;
	}
	seller_profile_free(sp);
	sp = NULL;
	if ((rc = issue_decide(s, o, tax_point, &sp, &dec, err)) != GEN_OK)
		goto done;

	d = issue_new(DOC_INVOICE, "invoice", cfg->today, tax_point);
	if ((rc = issue_snapshot(cfg, d, o, sp, &dec, err)) != GEN_OK ||
	    (rc = issue_amounts(s, d, o, tax_point, err)) != GEN_OK ||
	    (rc = check_payment_order(s, o, d, err)) != GEN_OK ||
	    (rc = issue_number_and_store(s, d, sp->invoice_series,
	    sp->number_format, fin, err)) != GEN_OK)
		goto done;
	*out = d;
	d = NULL;
done:
	order_free(o);
	seller_profile_free(sp);
	document_free(d);
	return rc;
}

enum gen_rc
issue_invoice(struct store *s, struct config *cfg, const char *order_no,
    const struct issue_finish *fin, struct document **out, int *existed,
    struct gen_err *err)
{
	enum gen_rc rc;

	*out = NULL;
	*existed = 0;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	/* The issue date is the day the write lock was taken, not the day
	 * the call started waiting for it. */
	config_tick(cfg);
	rc = issue_invoice_locked(s, cfg, order_no, fin, out, existed, err);
	if (rc == GEN_OK && *existed) {
		store_rollback(s);
		return GEN_OK;
	}
	if (rc == GEN_OK && (rc = store_commit(s, err)) != GEN_OK) {
		document_free(*out);
		*out = NULL;
	}
	if (rc != GEN_OK)
		store_rollback(s);
	return rc;
}

/* Copy the invoice's snapshot into a new credit note. */
static struct document *
credit_from_invoice(const struct document *inv, int32_t day)
{
	struct document *d = issue_copy_head(inv, DOC_CREDIT_NOTE, "invoice",
	    day);

	d->corrects_id = inv->id;
	d->corrects_number = xstrdup(inv->number);
	memcpy(d->corrects_issue_date, inv->issue_date,
	    sizeof(d->corrects_issue_date));
	if (inv->territory == NULL && inv->treatment == TAX_OUTSIDE_SCOPE) {
		/*
		 * An invoice issued before territories were recorded: its
		 * credit note's note says where the place of supply is, so
		 * find the territory the way the decision did (a regional rate
		 * was never charged then: nothing to find for OSS).
		 */
		struct vat_territory t;

		country_vat_territory(inv->location_country,
		    strcmp(inv->location_country, inv->payer.country) == 0 ?
		    inv->payer.postal_code : NULL, &t);
		if (t.id != NULL && t.vat_country == NULL)
			d->territory = xstrdup(t.id);
	}
	d->fx_units_per_eur = model_strdup(inv->fx_units_per_eur);
	memcpy(d->fx_rate_date, inv->fx_rate_date, sizeof(d->fx_rate_date));
	/* The seller as on the invoice, its logo included. */
	snapshot_logo(d, inv->logo_sha256, inv->logo, inv->logo_len);
	return d;
}

enum gen_rc
issue_credit_locked(struct store *s, const struct config *cfg,
    const struct document *inv, const char *reason, int64_t amount_minor,
    const char *credit_to, const struct issue_finish *fin,
    struct document **out, struct gen_err *err)
{
	const char *invoice_number = inv->number;
	struct document *d = NULL;
	struct seller_profile *sp = NULL;
	int64_t cred_net, cred_vat, cred_eur, left_net, left_vat, left_eur;
	int64_t net, vat, unspent;
	int full_reversal;
	enum gen_rc rc;

	*out = NULL;
	if (reason == NULL || reason[0] == '\0')
		return gen_err_set(err, GEN_EINPUT, "reason: a credit note must "
		    "state why it is issued (e.g. \"refund: subscription "
		    "cancelled\")");
	/* The reason is printed and exported for ever: the same rules as
	 * every text of an order. */
	if ((rc = jsonin_check_text(reason, strlen(reason), 500, 1, "reason",
	    err)) != GEN_OK)
		return rc;
	if (inv->kind != DOC_INVOICE) {
		rc = gen_err_set(err, GEN_EINPUT, "invoice: %s is a %s; only an "
		    "invoice can be credited", invoice_number,
		    doc_kind_name(inv->kind));
		goto fail;
	}
	if ((rc = store_credited(s, inv->id, &cred_net, &cred_vat, &cred_eur,
	    err)) != GEN_OK)
		goto fail;
	left_net = inv->net_minor + cred_net;
	left_vat = inv->vat_minor + cred_vat;
	left_eur = inv->vat_eur_minor + cred_eur;
	/* A top-up's money spent from the balance is no longer there to be
	 * credited: at most what is left unspent (flows.c). */
	if ((rc = flows_unspent(s, inv, &unspent, err)) != GEN_OK)
		goto fail;
	if (unspent < left_net) {
		char u[32];

		money_format(unspent, inv->currency_digits, u, sizeof(u));
		if (amount_minor > unspent || (amount_minor < 0 && unspent <= 0)) {
			rc = gen_err_set(err, GEN_EINPUT, "amount: top-up "
			    "invoice %s has %s %s left unspent in the balance "
			    "(the rest was drawn by purchases paid from it); "
			    "at most that can be credited", invoice_number, u,
			    inv->currency);
			goto fail;
		}
		if (amount_minor < 0)
			amount_minor = unspent;
	}
	if (left_net <= 0) {
		rc = gen_err_set(err, GEN_EINPUT, "invoice: %s is already fully "
		    "credited", invoice_number);
		goto fail;
	}
	if (amount_minor == 0 || (amount_minor > left_net &&
	    !FAULT("credit-limit"))) {
		char a[32], l[32];

		money_format(amount_minor, inv->currency_digits, a, sizeof(a));
		money_format(left_net, inv->currency_digits, l, sizeof(l));
		rc = gen_err_set(err, GEN_EINPUT, "amount: %s %s is not allowed;"
		    " the net amount still uncredited on %s is %s %s (give "
		    "minor units, 1..%lld)", a, inv->currency, invoice_number, l,
		    inv->currency, (long long)left_net);
		goto fail;
	}
	if (amount_minor < 0)
		amount_minor = left_net;
	full_reversal = amount_minor == inv->net_minor;

	/* The credit series of the profile that issued the invoice: a credit
	 * note of a pre-registration invoice stays in that period's series
	 * (one series per VAT status, no gap in what the tax authority
	 * sees). */
	if ((rc = store_seller_by_id(s, inv->seller_profile_id, &sp, err)) !=
	    GEN_OK || (rc = seller_check_stored(sp, err)) != GEN_OK)
		goto fail;
	d = credit_from_invoice(inv, cfg->today);
	snapshot_rendering(d, sp);
	if ((rc = accounting_language(cfg, sp, d, err)) != GEN_OK)
		goto fail;
	d->credit_reason = xstrdup(reason);
	d->credit_to = model_strdup(credit_to);
	if (strcmp(d->issue_date, inv->issue_date) < 0) {
		rc = gen_err_set(err, GEN_EINPUT, "credit note: today (%s) is "
		    "before the invoice's issue date %s", d->issue_date,
		    inv->issue_date);
		goto fail;
	}

	net = -amount_minor;
	if (amount_minor == left_net)
		vat = -left_vat;	/* the last credit reverses exactly */
	else {
		if ((rc = money_vat(amount_minor, inv->vat_rate_bp, &vat,
		    err)) != GEN_OK)
			goto fail;
		vat = -vat;
	}
	if (full_reversal) {
		d->nlines = inv->nlines;
		d->lines = xcalloc(inv->nlines, sizeof(*d->lines));
		for (size_t i = 0; i < inv->nlines; i++) {
			d->lines[i] = inv->lines[i];
			d->lines[i].item = xstrdup(inv->lines[i].item);
			d->lines[i].description =
			    xstrdup(inv->lines[i].description);
			d->lines[i].quantity = -inv->lines[i].quantity;
			d->lines[i].gross_minor = -inv->lines[i].gross_minor;
			d->lines[i].discount_minor =
			    -inv->lines[i].discount_minor;
			d->lines[i].net_minor = -inv->lines[i].net_minor;
		}
	} else
		issue_one_line(d, "credit", reason, net);
	issue_one_vat_row(d, net, vat);
	if ((rc = convert_eur(d, err)) != GEN_OK)
		goto fail;
	if (d->has_vat_eur && amount_minor == left_net) {
		d->vat_eur_minor = -left_eur;
		d->vats[0].vat_eur_minor = -left_eur;
	}
	if ((rc = take_number(s, d, sp->credit_series, sp->number_format,
	    err)) != GEN_OK ||
	    (rc = store_and_finish(s, d, fin, err)) != GEN_OK)
		goto fail;
	seller_profile_free(sp);
	*out = d;
	return GEN_OK;
fail:
	document_free(d);
	seller_profile_free(sp);
	return rc;
}

enum gen_rc
issue_credit_note(struct store *s, struct config *cfg,
    const char *invoice_number, const char *reason, int64_t amount_minor,
    const char *credit_to, const struct issue_finish *fin,
    struct document **out, struct gen_err *err)
{
	struct document *inv = NULL;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	config_tick(cfg);	/* the issue date: the day the lock was taken */
	if ((rc = store_document_load(s, invoice_number, &inv, err)) ==
	    GEN_OK &&
	    (rc = issue_credit_locked(s, cfg, inv, reason, amount_minor,
	    credit_to, fin, out, err)) == GEN_OK &&
	    (rc = store_commit(s, err)) != GEN_OK) {
		document_free(*out);
		*out = NULL;
	}
	if (rc != GEN_OK)
		store_rollback(s);
	document_free(inv);
	return rc;
}

enum gen_rc
issue_transfer_order(struct store *s, struct config *cfg,
    const char *order_no, const struct issue_finish *fin,
    struct document **out, int *existed, struct gen_err *err)
{
	struct order *o = NULL;
	struct seller_profile *sp = NULL;
	struct document *d = NULL;
	struct tax_decision dec;
	char number[96], ref[RFREF_SIZE], other[96], iban[IBAN_SIZE];
	enum gen_rc rc;

	*out = NULL;
	*existed = 0;
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	config_tick(cfg);	/* the issue date: the day the lock was taken */
	if ((rc = store_order_load(s, order_no, &o, err)) != GEN_OK)
		goto done;
	rc = store_document_for_order(s, o->id, DOC_TRANSFER_ORDER, number,
	    sizeof(number), err);
	if (rc == GEN_OK) {
		store_rollback(s);
		*existed = 1;
		order_free(o);
		return store_document_load(s, number, out, err);
	}
	if (rc != GEN_ENOTFOUND)
		goto done;
	gen_err_clear(err);
	if ((rc = order_check_stored(o, err)) != GEN_OK)
		goto done;
	if (strcmp(o->payment_method, "bank_transfer") != 0) {
		rc = gen_err_set(err, GEN_EINPUT, "payment_method: order %s is "
		    "paid by %s; a payment order is only for bank_transfer",
		    order_no, o->payment_method);
		goto done;
	}
	if (o->paid_at != NULL) {
		rc = gen_err_set(err, GEN_EINPUT, "paid_at: order %s is already "
		    "paid (%s); issue its invoice instead", order_no, o->paid_at);
		goto done;
	}
	/* An invoice on credit terms carries the payment details already. */
	if (store_document_for_order(s, o->id, DOC_INVOICE, other,
	    sizeof(other), err) == GEN_OK) {
		rc = gen_err_set(err, GEN_EINPUT, "order_no: order %s has "
		    "invoice %s, on credit terms; it is paid with the reference "
		    "on that invoice", order_no, other);
		goto done;
	}
	gen_err_clear(err);
	if ((rc = issue_order_reference(s, order_no, ref, err)) != GEN_OK ||
	    (rc = issue_decide(s, o, cfg->today, &sp, &dec, err)) != GEN_OK ||
	    (rc = seller_check_stored(sp, err)) != GEN_OK ||
	    (rc = issue_seller_iban(sp, "payment orders", iban, err)) != GEN_OK)
		goto done;

	d = issue_new(DOC_TRANSFER_ORDER, "transfer-order", cfg->today,
	    cfg->today);
	caldate_format(cfg->today + sp->transfer_due_days, d->due_date);
	snapshot_order(d, o);
	snapshot_seller(d, sp);
	snapshot_decision(d, &dec);
	snapshot_rendering(d, sp);
	issue_pay_to(d, iban, ref);
	if ((rc = i18n_currency_digits(d->currency, &d->currency_digits,
	    err)) != GEN_OK ||
	    (rc = compute_lines(d, o, err)) != GEN_OK ||
	    (rc = issue_number_and_store(s, d, sp->transfer_series,
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

/* ---- the steps shared with flows.c (issue_private.h) ---------------- */

enum gen_rc
issue_snapshot(const struct config *cfg, struct document *d,
    const struct order *o, const struct seller_profile *sp,
    const struct tax_decision *dec, struct gen_err *err)
{
	snapshot_order(d, o);
	snapshot_seller(d, sp);
	if (dec != NULL)
		snapshot_decision(d, dec);
	snapshot_rendering(d, sp);
	return accounting_language(cfg, sp, d, err);
}

enum gen_rc
issue_amounts(struct store *s, struct document *d, const struct order *o,
    int32_t tax_point, struct gen_err *err)
{
	enum gen_rc rc;

	if ((rc = i18n_currency_digits(d->currency, &d->currency_digits,
	    err)) != GEN_OK ||
	    (rc = compute_lines(d, o, err)) != GEN_OK ||
	    (rc = compute_eur(s, d, tax_point, err)) != GEN_OK)
		return rc;
	return convert_eur(d, err);
}

enum gen_rc
issue_number_and_store(struct store *s, struct document *d,
    const char *series, const char *format, const struct issue_finish *fin,
    struct gen_err *err)
{
	enum gen_rc rc;

	if (d->layout_version == 0)	/* a document not built from an order */
		snapshot_rendering(d, NULL);
	if ((rc = take_number(s, d, series, format, err)) != GEN_OK)
		return rc;
	return store_and_finish(s, d, fin, err);
}

void
issue_one_line(struct document *d, const char *item, const char *description,
    int64_t net)
{
	d->nlines = 1;
	d->lines = xcalloc(1, sizeof(*d->lines));
	d->lines[0].line_no = 1;
	d->lines[0].item = xstrdup(item);
	d->lines[0].description = xstrdup(description);
	d->lines[0].quantity = 1;
	d->lines[0].unit_price_minor = net;
	d->lines[0].gross_minor = net;
	d->lines[0].net_minor = net;
	memcpy(d->lines[0].vat_category, d->vat_category,
	    sizeof(d->lines[0].vat_category));
	d->lines[0].vat_rate_bp = d->vat_rate_bp;
}

void
issue_one_vat_row(struct document *d, int64_t net, int64_t vat)
{
	d->net_minor = net;
	d->vat_minor = vat;
	d->total_minor = net + vat;
	d->nvats = 1;
	d->vats = xcalloc(1, sizeof(*d->vats));
	memcpy(d->vats[0].vat_category, d->vat_category,
	    sizeof(d->vats[0].vat_category));
	d->vats[0].vat_rate_bp = d->vat_rate_bp;
	d->vats[0].taxable_minor = net;
	d->vats[0].vat_minor = vat;
}

struct document *
issue_copy_head(const struct document *src, enum doc_kind kind,
    const char *template_name, int32_t day)
{
	struct document *d = issue_new(kind, template_name != NULL ?
	    template_name : src->template_name, day, day);

	d->order_no = xstrdup(src->order_no);
	d->paid_at = model_strdup(src->paid_at);
	d->payment_method = xstrdup(src->payment_method);
	d->language = xstrdup(src->language);
	memcpy(d->currency, src->currency, sizeof(d->currency));
	d->currency_digits = src->currency_digits;
	d->seller_profile_id = src->seller_profile_id;
	party_copy(&d->seller, &src->seller);
	bank_account_copy(&d->bank, &src->bank);
	party_copy(&d->payer, &src->payer);
	d->customer_telegram_id = src->customer_telegram_id;
	d->customer_username = model_strdup(src->customer_username);
	d->treatment = src->treatment;
	memcpy(d->vat_category, src->vat_category, sizeof(d->vat_category));
	d->vat_rate_bp = src->vat_rate_bp;
	memcpy(d->vat_country, src->vat_country, sizeof(d->vat_country));
	memcpy(d->location_country, src->location_country,
	    sizeof(d->location_country));
	d->tax_rule = xstrdup(src->tax_rule);
	d->tax_explanation = xstrdup(src->tax_explanation);
	d->territory = model_strdup(src->territory);
	return d;
}

enum gen_rc
issue_seller_iban(const struct seller_profile *sp, const char *what,
    char iban[IBAN_SIZE], struct gen_err *err)
{
	enum gen_rc rc;

	if (sp->bank.iban == NULL)
		return gen_err_set(err, GEN_EINPUT, "seller_profile %lld: no bank "
		    "account (bank_iban) for %s", (long long)sp->id, what);
	/* never print a wrong IBAN on a document that asks to be paid */
	if ((rc = iban_check(sp->bank.iban, iban, IBAN_SIZE, err)) != GEN_OK)
		gen_err_prefix(err, "seller_profile %lld bank_", (long long)sp->id);
	return rc;
}

void
issue_pay_to(struct document *d, const char *iban, const char *ref)
{
	free(d->bank.iban);
	d->bank.iban = xstrdup(iban);
	free(d->payment_reference);
	d->payment_reference = xstrdup(ref);
}

enum gen_rc
issue_order_reference(struct store *s, const char *order_no,
    char ref[RFREF_SIZE], struct gen_err *err)
{
	char body[RFREF_BODY_SIZE], other[96];
	struct document *x = NULL;
	enum gen_rc rc;

	if ((rc = rfref_body_from_order_no(order_no, body, sizeof(body),
	    err)) != GEN_OK ||
	    (rc = rfref_make(body, ref, RFREF_SIZE, err)) != GEN_OK)
		return rc;
	rc = store_document_by_reference(s, ref, other, sizeof(other), err);
	if (rc == GEN_ENOTFOUND) {
		gen_err_clear(err);
		return GEN_OK;
	}
	if (rc != GEN_OK)
		return rc;
	if ((rc = store_document_load(s, other, &x, err)) == GEN_OK &&
	    strcmp(x->order_no, order_no) != 0)
		rc = gen_err_set(err, GEN_ECONFLICT, "order_no: %s gives the "
		    "payment reference %s, already used by %s; order numbers "
		    "must differ in more than punctuation or case", order_no,
		    ref, other);
	document_free(x);
	return rc;
}

struct document *
issue_new(enum doc_kind kind, const char *template_name, int32_t day,
    int32_t tax_point)
{
	struct document *d = xcalloc(1, sizeof(*d));

	d->kind = kind;
	d->template_name = xstrdup(template_name);
	caldate_format(day, d->issue_date);
	caldate_format(tax_point, d->tax_point_date);
	return d;
}
