/*
 * docfixture.h - hand-built issued documents (struct document) for the
 * tests of docview, layout and the PDF back end: one per VAT treatment,
 * a credit note, long and multi-script names.  Shared by
 * tests/unit/test-docview.c and test-layout.c (static functions, so each
 * test program gets its own copy); payment orders in EUR and USD.
 *
 * The seller is the one DESIGN.md names (MB "Žinučių linija", company
 * code 305133662, VAT number LT100018548216 from 2025-07-09); payers are
 * invented.  Amounts are computed with money.c exactly as issuing does
 * (line net rounded once, VAT once per category); the EUR figures use
 * the ECB reference rate of 2025-08-13 for USD, 1.1684 (as in the issue
 * text).
 */
#ifndef INVGEN_DOCFIXTURE_H
#define INVGEN_DOCFIXTURE_H

/* Not every test uses every fixture. */
#define FX_UNUSED __attribute__((unused))

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "model.h"
#include "money.h"

struct fx_line {
	const char *item;
	const char *description;
	int period_months;
	int64_t quantity;
	int64_t unit_price_minor;
	int64_t discount_bp;
	int64_t sip, rec, gw;
};

static FX_UNUSED void
fx_seller(struct party *p, int vat_registered)
{
	p->name = xstrdup("MB \xe2\x80\x9e\xc5\xbdinu\xc4\x8di\xc5\xb3 "
	    "linija\xe2\x80\x9c");
	p->address_line1 = xstrdup("V. Nagevi\xc4\x8diaus g. 3");
	p->postal_code = xstrdup("08237");
	p->city = xstrdup("Vilnius");
	memcpy(p->country, "LT", 3);
	p->company_code = xstrdup("305133662");
	p->email = xstrdup("billing@sip.tg");
	if (vat_registered)
		p->vat_number = xstrdup("LT100018548216");
	p->is_business = 1;
}

/* Fill lines, VAT row and totals the way issue.c does. */
static FX_UNUSED void
fx_lines(struct document *d, const struct fx_line *ls, size_t n)
{
	int64_t net = 0, vat = 0;
	struct gen_err err = {0};

	d->lines = xcalloc(n, sizeof(*d->lines));
	d->nlines = n;
	for (size_t k = 0; k < n; k++) {
		struct doc_line *l = &d->lines[k];

		l->line_no = (int)k + 1;
		l->item = xstrdup(ls[k].item);
		l->description = xstrdup(ls[k].description);
		l->period_months = ls[k].period_months;
		l->quantity = ls[k].quantity;
		l->unit_price_minor = ls[k].unit_price_minor;
		l->discount_bp = ls[k].discount_bp;
		l->options.sip_accounts = ls[k].sip;
		l->options.recording_days = ls[k].rec;
		l->options.gateway_lines = ls[k].gw;
		memcpy(l->vat_category, d->vat_category, 3);
		l->vat_rate_bp = d->vat_rate_bp;
		money_line(l->quantity, l->unit_price_minor, l->discount_bp,
		    &l->gross_minor, &l->discount_minor, &l->net_minor, &err);
		net += l->net_minor;
	}
	money_vat(net, d->vat_rate_bp, &vat, &err);
	d->net_minor = net;
	d->vat_minor = vat;
	d->total_minor = net + vat;
	d->vats = xcalloc(1, sizeof(*d->vats));
	d->nvats = 1;
	memcpy(d->vats[0].vat_category, d->vat_category, 3);
	d->vats[0].vat_rate_bp = d->vat_rate_bp;
	d->vats[0].taxable_minor = net;
	d->vats[0].vat_minor = vat;
	if (d->fx_units_per_eur != NULL) {
		money_to_eur_cents(net, d->currency_digits, d->fx_units_per_eur,
		    &d->vats[0].taxable_eur_minor, &err);
		money_to_eur_cents(vat, d->currency_digits, d->fx_units_per_eur,
		    &d->vats[0].vat_eur_minor, &err);
		d->vats[0].has_eur = 1;
		d->has_vat_eur = 1;
		d->vat_eur_minor = d->vats[0].vat_eur_minor;
	}
}

static FX_UNUSED const struct fx_line fx_std_lines[] = {
	{ "softphone", "SIP.TG Softphone", 12, 1, 12000, 1000, 3, 30, 0 },
	{ "gateway", "SIP.TG Gateway", 6, 1, 4500, 0, 0, 0, 2 },
};

/*
 * A document of treatment t in currency cur ("EUR" or "USD") and
 * language lang, invoice number ZLV-000012 of 2025-08-14.
 */
static FX_UNUSED struct document *
fx_document(enum tax_treatment t, const char *cur, const char *lang)
{
	struct document *d = xcalloc(1, sizeof(*d));
	struct party *p = &d->payer;

	d->id = 12;
	d->kind = DOC_INVOICE;
	d->series = xstrdup("ZLV");
	d->seq = 12;
	d->number = xstrdup("ZLV-000012");
	d->order_no = xstrdup("A-2025-0815");
	memcpy(d->issue_date, "2025-08-14", CALDATE_LEN);
	memcpy(d->tax_point_date, "2025-08-14", CALDATE_LEN);
	d->paid_at = xstrdup("2025-08-14T09:30:00Z");
	d->payment_method = xstrdup("card");
	d->language = xstrdup(lang);
	memcpy(d->currency, cur, 4);
	d->currency_digits = 2;
	d->customer_telegram_id = 2002;
	d->customer_username = xstrdup("jonas_p");
	d->treatment = t;
	d->template_name = xstrdup("invoice");
	d->layout_version = LAYOUT_VERSION_CURRENT;
	fx_seller(&d->seller, t != TAX_NOT_VAT_REGISTERED);
	switch (t) {
	case TAX_NOT_VAT_REGISTERED:
		memcpy(d->issue_date, "2025-05-10", CALDATE_LEN);
		memcpy(d->tax_point_date, "2025-05-09", CALDATE_LEN);
		free(d->paid_at);
		d->paid_at = xstrdup("2025-05-09T20:30:00Z");
		snprintf(d->vat_category, sizeof(d->vat_category), "%s", "O");
		p->name = xstrdup("Jonas Petraitis");
		p->address_line1 = xstrdup("Laisv\xc4\x97s al. 10-5");
		p->postal_code = xstrdup("44240");
		p->city = xstrdup("Kaunas");
		memcpy(p->country, "LT", 3);
		break;
	case TAX_LT_STANDARD:
		snprintf(d->vat_category, sizeof(d->vat_category), "%s", "S");
		d->vat_rate_bp = 2100;
		memcpy(d->vat_country, "LT", 3);
		p->name = xstrdup("UAB \xe2\x80\x9ePavyzdys\xe2\x80\x9c");
		p->address_line1 = xstrdup("Gedimino pr. 1");
		p->postal_code = xstrdup("01103");
		p->city = xstrdup("Vilnius");
		memcpy(p->country, "LT", 3);
		p->vat_number = xstrdup("LT123456715");
		p->company_code = xstrdup("123456789");
		p->is_business = 1;
		break;
	case TAX_REVERSE_CHARGE:
		snprintf(d->vat_category, sizeof(d->vat_category), "%s", "AE");
		p->name = xstrdup("Beispiel GmbH");
		p->address_line1 = xstrdup("Friedrichstra\xc3\x9f" "e 100");
		p->postal_code = xstrdup("10117");
		p->city = xstrdup("Berlin");
		memcpy(p->country, "DE", 3);
		p->vat_number = xstrdup("DE136695976");
		p->is_business = 1;
		break;
	case TAX_OSS_DESTINATION:
		snprintf(d->vat_category, sizeof(d->vat_category), "%s", "S");
		d->vat_rate_bp = 1900;
		memcpy(d->vat_country, "DE", 3);
		p->name = xstrdup("Anna Schmidt");
		p->address_line1 = xstrdup("Hauptstra\xc3\x9f" "e 5");
		p->postal_code = xstrdup("80331");
		p->city = xstrdup("M\xc3\xbcnchen");
		memcpy(p->country, "DE", 3);
		break;
	case TAX_OUTSIDE_SCOPE:
		snprintf(d->vat_category, sizeof(d->vat_category), "%s", "O");
		p->name = xstrdup("Acme Telephony Inc.");
		p->address_line1 = xstrdup("500 Market Street");
		p->address_line2 = xstrdup("Suite 200");
		p->postal_code = xstrdup("94105");
		p->city = xstrdup("San Francisco");
		p->region = xstrdup("CA");
		memcpy(p->country, "US", 3);
		p->is_business = 1;
		break;
	case TAX_PREPAID:	/* not a VAT document: not a fixture */
		break;
	}
	memcpy(d->location_country, p->country, 3);
	if (strcmp(cur, "EUR") != 0 && strcmp(d->vat_category, "S") == 0) {
		d->fx_units_per_eur = xstrdup("1.1684");
		memcpy(d->fx_rate_date, "2025-08-13", CALDATE_LEN);
	}
	fx_lines(d, fx_std_lines, 2);
	return d;
}

/* A full credit note of the LT_STANDARD invoice, as issue.c makes it. */
static FX_UNUSED struct document *
fx_credit_note(const char *lang)
{
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", lang);

	d->kind = DOC_CREDIT_NOTE;
	free(d->series);
	free(d->number);
	d->series = xstrdup("ZLK");
	d->number = xstrdup("ZLK-000003");
	d->corrects_id = 12;
	d->corrects_number = xstrdup("ZLV-000012");
	memcpy(d->corrects_issue_date, "2025-08-14", CALDATE_LEN);
	d->credit_reason = xstrdup("refund: subscription cancelled");
	memcpy(d->issue_date, "2025-09-02", CALDATE_LEN);
	memcpy(d->tax_point_date, "2025-09-02", CALDATE_LEN);
	for (size_t k = 0; k < d->nlines; k++) {
		d->lines[k].quantity = -d->lines[k].quantity;
		d->lines[k].gross_minor = -d->lines[k].gross_minor;
		d->lines[k].discount_minor = -d->lines[k].discount_minor;
		d->lines[k].net_minor = -d->lines[k].net_minor;
	}
	d->net_minor = -d->net_minor;
	d->vat_minor = -d->vat_minor;
	d->total_minor = -d->total_minor;
	d->vats[0].taxable_minor = -d->vats[0].taxable_minor;
	d->vats[0].vat_minor = -d->vats[0].vat_minor;
	return d;
}

/*
 * A payment order (bank-transfer checkout) of treatment t in currency cur
 * and language lang, as issue_transfer_order() makes it: number
 * ZLVM-000004 of 2025-08-14, due 2025-08-21, unpaid, the seller's bank
 * account (the IBAN of the SWIFT registry's Lithuanian example, BIC
 * HABALT22) and the RF reference of order A-2025-0815: "A20250815" ->
 * RF76A20250815 (ISO 11649 MOD 97-10, computed by hand as REFERENCE.md
 * 5.2 shows: A20250815RF00 -> 1020250815271500, mod 97 = 22, 98 - 22 =
 * 76).
 */
static FX_UNUSED struct document *
fx_transfer_order(enum tax_treatment t, const char *cur, const char *lang)
{
	struct document *d = fx_document(t, cur, lang);

	d->kind = DOC_TRANSFER_ORDER;
	free(d->series);
	free(d->number);
	free(d->paid_at);
	free(d->payment_method);
	free(d->template_name);
	d->series = xstrdup("ZLVM");
	d->seq = 4;
	d->number = xstrdup("ZLVM-000004");
	d->paid_at = NULL;
	d->payment_method = xstrdup("bank_transfer");
	d->template_name = xstrdup("transfer-order");
	memcpy(d->due_date, "2025-08-21", CALDATE_LEN);
	d->payment_reference = xstrdup("RF76A20250815");
	d->bank.beneficiary = xstrdup("MB \xc5\xbdinu\xc4\x8di\xc5\xb3 "
	    "linija");
	d->bank.iban = xstrdup("LT121000011101001000");
	d->bank.bic = xstrdup("HABALT22");
	d->bank.name = xstrdup("Sample account (not a real bank account)");
	d->bank.address = xstrdup("Vilnius, Lithuania");
	return d;
}

/* An LT_STANDARD invoice of n lines (n >= 1). */
static FX_UNUSED struct document *
fx_many_lines(size_t n, const char *lang)
{
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", lang);
	struct fx_line *ls = xcalloc(n, sizeof(*ls));

	for (size_t k = 0; k < d->nlines; k++) {
		free(d->lines[k].item);
		free(d->lines[k].description);
	}
	free(d->lines);
	free(d->vats);
	for (size_t k = 0; k < n; k++) {
		ls[k] = fx_std_lines[k % 2];
		ls[k].unit_price_minor += (int64_t)k * 100;
	}
	fx_lines(d, ls, n);
	free(ls);
	return d;
}

#endif
