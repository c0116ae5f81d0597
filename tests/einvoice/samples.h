/*
 * samples.h - hand-built issued snapshots (struct document) for the
 * e-invoice writers: one per VAT treatment, two credit notes and a
 * hostile one, shared by tests/unit/test-ubl.c and tests/unit/test-cii.c
 * (which assert on them) and by their --write mode, which writes every
 * sample to a directory for tests/einvoice/validate.sh.
 *
 * Amounts are computed with money.c exactly as issue.c does (half-up per
 * line and per VAT category, EUR VAT at the stored ECB rate), so the
 * samples are what invgen would have issued.  Seller data are the sample
 * seller of DESIGN.md; the IBAN is the SWIFT registry's example for
 * Lithuania (a sample, not the company's account).  Buyer VAT numbers are
 * REFERENCE.md 2.2's valid test numbers; 1.1404 and 1.1646 USD per EUR
 * are the ECB reference rates of 2025-08-01 and 2025-12-01 (shared
 * domain/ecb_eurofxref_2024-01-02_2026-04-13.csv).
 *
 * Header-only by design (static functions): each test program includes
 * it once.  Uses model.c, money.c, err.c.
 */
#ifndef INVGEN_TEST_SAMPLES_H
#define INVGEN_TEST_SAMPLES_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "model.h"
#include "money.h"

/* The seller as of the tax point: registered for VAT or not. */
static void
sample_seller(struct document *d, int vat_registered)
{
	d->seller.name = xstrdup("MB \"\xc5\xbdinu\xc4\x8di\xc5\xb3 linija\"");
	d->seller.address_line1 = xstrdup("V. Nagevi\xc4\x8diaus g. 3");
	d->seller.city = xstrdup("Vilnius");
	d->seller.postal_code = xstrdup("08237");
	memcpy(d->seller.country, "LT", 3);
	d->seller.company_code = xstrdup("305133662");
	d->seller.vat_number = vat_registered ? xstrdup("LT100018548216") :
	    NULL;
	d->seller.email = xstrdup("billing@example.com");
	d->bank.beneficiary = xstrdup("MB \xc5\xbdinu\xc4\x8di\xc5\xb3 "
	    "linija");
	d->bank.iban = xstrdup("LT121000011101001000");
	d->bank.bic = xstrdup("TESTLT22");
}

static struct document *
sample_new(const char *number, const char *issue, const char *tax_point,
    const char *currency, int digits, enum tax_treatment t,
    const char *category, int32_t rate_bp)
{
	struct document *d = xcalloc(1, sizeof(*d));

	d->kind = DOC_INVOICE;
	d->number = xstrdup(number);
	d->order_no = xstrdup("ORD-2025-0042");
	snprintf(d->issue_date, sizeof(d->issue_date), "%s", issue);
	snprintf(d->tax_point_date, sizeof(d->tax_point_date), "%s",
	    tax_point);
	snprintf(d->currency, sizeof(d->currency), "%s", currency);
	d->currency_digits = digits;
	d->language = xstrdup("en");
	d->treatment = t;
	snprintf(d->vat_category, sizeof(d->vat_category), "%s", category);
	d->vat_rate_bp = rate_bp;
	d->customer_telegram_id = 123456789;
	d->customer_username = xstrdup("sip_user");
	return d;
}

/* Append a line; amounts as money_line computes them. */
static void
sample_line(struct document *d, const char *item, const char *desc,
    int months, int64_t qty, int64_t price, int64_t disc_bp)
{
	struct doc_line *l;

	d->lines = xrealloc(d->lines, (d->nlines + 1) * sizeof(*d->lines));
	l = &d->lines[d->nlines];
	memset(l, 0, sizeof(*l));
	l->line_no = (int)++d->nlines;
	l->item = xstrdup(item);
	l->description = xstrdup(desc);
	l->period_months = months;
	l->quantity = qty;
	l->unit_price_minor = price;
	l->discount_bp = disc_bp;
	if (money_line(qty, price, disc_bp, &l->gross_minor,
	    &l->discount_minor, &l->net_minor, NULL) != GEN_OK)
		abort();
	memcpy(l->vat_category, d->vat_category, sizeof(l->vat_category));
	l->vat_rate_bp = d->vat_rate_bp;
}

/* Totals, the one VAT row, and the EUR figures when fx is given. */
static void
sample_finish(struct document *d, const char *fx, const char *fx_date)
{
	int64_t net = 0, vat;

	for (size_t i = 0; i < d->nlines; i++)
		net += d->lines[i].net_minor;
	if (money_vat(net, d->vat_rate_bp, &vat, NULL) != GEN_OK)
		abort();
	d->net_minor = net;
	d->vat_minor = vat;
	d->total_minor = net + vat;
	d->vats = xcalloc(1, sizeof(*d->vats));
	d->nvats = 1;
	memcpy(d->vats[0].vat_category, d->vat_category, 3);
	d->vats[0].vat_rate_bp = d->vat_rate_bp;
	d->vats[0].taxable_minor = net;
	d->vats[0].vat_minor = vat;
	if (fx != NULL) {
		d->fx_units_per_eur = xstrdup(fx);
		snprintf(d->fx_rate_date, sizeof(d->fx_rate_date), "%s",
		    fx_date);
		if (money_to_eur_cents(net, d->currency_digits, fx,
		    &d->vats[0].taxable_eur_minor, NULL) != GEN_OK ||
		    money_to_eur_cents(vat, d->currency_digits, fx,
		    &d->vats[0].vat_eur_minor, NULL) != GEN_OK ||
		    money_to_eur_cents(vat, d->currency_digits, fx,
		    &d->vat_eur_minor, NULL) != GEN_OK)
			abort();
		d->vats[0].has_eur = 1;
		d->has_vat_eur = 1;
	}
}

/* LT business buyer, 21 %, EUR, bank transfer with an RF reference; a
 * 10 % discount (exact: gets BT-137/138) and an option line.  Paid the
 * day before it was issued, so BT-7 differs from BT-2. */
static struct document *
sample_lt_standard(void)
{
	struct document *d = sample_new("INV-000101", "2025-08-02",
	    "2025-08-01", "EUR", 2, TAX_LT_STANDARD, "S", 2100);

	sample_seller(d, 1);
	d->payer.name = xstrdup("UAB Pavyzdys");
	d->payer.address_line1 = xstrdup("Gedimino pr. 1");
	d->payer.city = xstrdup("Vilnius");
	d->payer.postal_code = xstrdup("01103");
	memcpy(d->payer.country, "LT", 3);
	d->payer.vat_number = xstrdup("LT100001919017");
	d->payer.company_code = xstrdup("110053842");
	d->payer.email = xstrdup("buh@example.lt");
	d->payer.is_business = 1;
	d->payment_method = xstrdup("bank_transfer");
	d->payment_reference = xstrdup("RF18539007547034");
	d->paid_at = xstrdup("2025-08-01T09:30:00Z");
	sample_line(d, "softphone", "Softphone subscription, 12 months", 12,
	    1, 12000, 1000);
	sample_line(d, "option", "Additional SIP accounts", 12, 3, 250, 0);
	d->lines[1].options.sip_accounts = 3;
	sample_finish(d, NULL, NULL);
	return d;
}

/* German consumer, OSS at 19 %, USD with the VAT in EUR, card; a 30 %
 * discount that is not exactly base x percent (no BT-137/138). */
static struct document *
sample_oss_usd(void)
{
	struct document *d = sample_new("INV-000102", "2025-08-01",
	    "2025-08-01", "USD", 2, TAX_OSS_DESTINATION, "S", 1900);

	sample_seller(d, 1);
	memcpy(d->vat_country, "DE", 3);
	memcpy(d->location_country, "DE", 3);
	d->payer.name = xstrdup("J\xc3\xbcrgen M\xc3\xbcller");
	d->payer.address_line1 = xstrdup("Hauptstra\xc3\x9f" "e 5");
	d->payer.city = xstrdup("Berlin");
	d->payer.postal_code = xstrdup("10115");
	memcpy(d->payer.country, "DE", 3);
	d->payer.email = xstrdup("juergen@example.de");
	d->payment_method = xstrdup("card");
	d->paid_at = xstrdup("2025-08-01T12:00:00Z");
	sample_line(d, "gateway", "Gateway subscription, 36 months", 36, 1,
	    4999, 3000);
	d->lines[0].options.gateway_lines = 2;
	d->lines[0].options.recording_days = 30;
	sample_finish(d, "1.1404", "2025-08-01");
	return d;
}

/* German business with a valid VAT number: reverse charge, PayPal. */
static struct document *
sample_reverse_charge(void)
{
	struct document *d = sample_new("INV-000103", "2025-09-15",
	    "2025-09-15", "EUR", 2, TAX_REVERSE_CHARGE, "AE", 0);

	sample_seller(d, 1);
	memcpy(d->location_country, "DE", 3);
	d->payer.name = xstrdup("Beispiel GmbH");
	d->payer.address_line1 = xstrdup("Industriestra\xc3\x9f" "e 7");
	d->payer.city = xstrdup("M\xc3\xbcnchen");
	d->payer.postal_code = xstrdup("80331");
	d->payer.region = xstrdup("Bayern");
	memcpy(d->payer.country, "DE", 3);
	d->payer.vat_number = xstrdup("DE136695976");
	d->payer.email = xstrdup("ap@example.de");
	d->payer.is_business = 1;
	d->payment_method = xstrdup("paypal");
	d->paid_at = xstrdup("2025-09-15T08:00:00Z");
	sample_line(d, "gateway", "Gateway subscription, 6 months", 6, 2,
	    2500, 0);
	sample_finish(d, NULL, NULL);
	return d;
}

/* Japanese consumer: outside the scope of EU VAT, JPY (0 digits), paid
 * in crypto; the seller's VAT number must go to BT-32, not BT-31. */
static struct document *
sample_outside_jpy(void)
{
	struct document *d = sample_new("INV-000104", "2025-10-01",
	    "2025-10-01", "JPY", 0, TAX_OUTSIDE_SCOPE, "O", 0);

	sample_seller(d, 1);
	memcpy(d->location_country, "JP", 3);
	d->payer.name = xstrdup("\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa"
	    "\xe9\x83\x8e");	/* Yamada Taro in kanji */
	d->payer.city = xstrdup("\xe6\x9d\xb1\xe4\xba\xac");
	memcpy(d->payer.country, "JP", 3);
	d->payer.email = xstrdup("taro@example.jp");
	d->payment_method = xstrdup("crypto");
	d->paid_at = xstrdup("2025-10-01T03:00:00Z");
	sample_line(d, "softphone", "Softphone subscription, 6 months", 6, 1,
	    1450, 1000);
	sample_line(d, "topup", "Balance top-up", 0, 1, 3000, 0);
	sample_finish(d, NULL, NULL);
	return d;
}

/* Before 2025-07-09: no VAT, no seller VAT number; an LT business buyer
 * with only a company code (Peppol address 0200); paid from the balance. */
static struct document *
sample_not_registered(void)
{
	struct document *d = sample_new("INV-000007", "2025-03-03",
	    "2025-03-01", "EUR", 2, TAX_NOT_VAT_REGISTERED, "O", 0);

	sample_seller(d, 0);
	memcpy(d->location_country, "LT", 3);
	d->payer.name = xstrdup("MB Bandymas");
	d->payer.address_line1 = xstrdup("Laisv\xc4\x97s al. 10");
	d->payer.city = xstrdup("Kaunas");
	d->payer.postal_code = xstrdup("44001");
	memcpy(d->payer.country, "LT", 3);
	d->payer.company_code = xstrdup("304000000");
	d->payer.is_business = 1;
	d->payment_method = xstrdup("balance");
	d->paid_at = xstrdup("2025-03-01T10:00:00Z");
	sample_line(d, "softphone", "Softphone subscription, 1 month", 1, 1,
	    999, 0);
	sample_finish(d, NULL, NULL);
	return d;
}

/* A full reversal of inv, as issue.c builds it: negative quantities,
 * positive unit prices, negative amounts. */
static struct document *
sample_credit_full(void)
{
	struct document *inv = sample_lt_standard();
	struct document *d = inv;

	d->kind = DOC_CREDIT_NOTE;
	d->corrects_number = d->number;
	d->number = xstrdup("CN-000011");
	memcpy(d->corrects_issue_date, d->issue_date, CALDATE_LEN);
	memcpy(d->issue_date, "2025-09-01", CALDATE_LEN);
	memcpy(d->tax_point_date, "2025-09-01", CALDATE_LEN);
	d->credit_reason = xstrdup("refund: subscription cancelled");
	free(d->payment_reference);
	d->payment_reference = NULL;
	for (size_t i = 0; i < d->nlines; i++) {
		d->lines[i].quantity = -d->lines[i].quantity;
		d->lines[i].gross_minor = -d->lines[i].gross_minor;
		d->lines[i].discount_minor = -d->lines[i].discount_minor;
		d->lines[i].net_minor = -d->lines[i].net_minor;
	}
	d->net_minor = -d->net_minor;
	d->vat_minor = -d->vat_minor;
	d->total_minor = -d->total_minor;
	d->vats[0].taxable_minor = -d->vats[0].taxable_minor;
	d->vats[0].vat_minor = -d->vats[0].vat_minor;
	return d;
}

/* A partial credit of the USD invoice: one line, quantity 1, negative unit
 * price, negative VAT in EUR. */
static struct document *
sample_credit_partial_usd(void)
{
	struct document *d = sample_oss_usd();
	int64_t vat;

	d->kind = DOC_CREDIT_NOTE;
	d->corrects_number = d->number;
	d->number = xstrdup("CN-000012");
	memcpy(d->corrects_issue_date, d->issue_date, CALDATE_LEN);
	memcpy(d->issue_date, "2025-08-20", CALDATE_LEN);
	memcpy(d->tax_point_date, "2025-08-20", CALDATE_LEN);
	d->credit_reason = xstrdup("goodwill: 10.00 USD back");
	free(d->lines[0].item);
	free(d->lines[0].description);
	memset(&d->lines[0], 0, sizeof(d->lines[0]));
	d->lines[0].line_no = 1;
	d->lines[0].item = xstrdup("credit");
	d->lines[0].description = xstrdup(d->credit_reason);
	d->lines[0].quantity = 1;
	d->lines[0].unit_price_minor = -1000;
	d->lines[0].gross_minor = -1000;
	d->lines[0].net_minor = -1000;
	memcpy(d->lines[0].vat_category, "S", 2);
	d->lines[0].vat_rate_bp = 1900;
	if (money_vat(1000, 1900, &vat, NULL) != GEN_OK)
		abort();
	d->net_minor = -1000;
	d->vat_minor = -vat;
	d->total_minor = -1000 - vat;
	d->vats[0].taxable_minor = -1000;
	d->vats[0].vat_minor = -vat;
	if (money_to_eur_cents(-1000, 2, d->fx_units_per_eur,
	    &d->vats[0].taxable_eur_minor, NULL) != GEN_OK ||
	    money_to_eur_cents(-vat, 2, d->fx_units_per_eur,
	    &d->vats[0].vat_eur_minor, NULL) != GEN_OK)
		abort();
	d->vat_eur_minor = d->vats[0].vat_eur_minor;
	return d;
}

/* A full reversal of the reverse-charge invoice (AE credit note). */
static struct document *
sample_credit_reverse_charge(void)
{
	struct document *d = sample_reverse_charge();

	d->kind = DOC_CREDIT_NOTE;
	d->corrects_number = d->number;
	d->number = xstrdup("CN-000013");
	memcpy(d->corrects_issue_date, d->issue_date, CALDATE_LEN);
	memcpy(d->issue_date, "2025-10-01", CALDATE_LEN);
	memcpy(d->tax_point_date, "2025-10-01", CALDATE_LEN);
	d->credit_reason = xstrdup("duplicate order");
	d->lines[0].quantity = -d->lines[0].quantity;
	d->lines[0].gross_minor = -d->lines[0].gross_minor;
	d->lines[0].net_minor = -d->lines[0].net_minor;
	d->net_minor = -d->net_minor;
	d->total_minor = -d->total_minor;
	d->vats[0].taxable_minor = -d->vats[0].taxable_minor;
	return d;
}

/* Not (yet) paid: USD bank transfer (code 30, not SEPA), a due date
 * (BT-9), a free line (100 % discount) and a zero-price line.  invgen
 * issues invoices on payment, but the writer must handle the snapshot. */
static struct document *
sample_unpaid_transfer_usd(void)
{
	struct document *d = sample_new("INV-000106", "2025-12-01",
	    "2025-12-01", "USD", 2, TAX_LT_STANDARD, "S", 2100);

	sample_seller(d, 1);
	d->payer.name = xstrdup("UAB Testas");
	d->payer.address_line1 = xstrdup("Vilniaus g. 2");
	d->payer.city = xstrdup("Vilnius");
	memcpy(d->payer.country, "LT", 3);
	d->payer.company_code = xstrdup("111111111");
	d->payer.is_business = 1;
	d->payment_method = xstrdup("bank_transfer");
	d->payment_reference = xstrdup("RF51INV2025000123");
	memcpy(d->due_date, "2025-12-08", CALDATE_LEN);
	sample_line(d, "softphone", "Softphone subscription, 6 months", 6, 2,
	    1999, 0);
	sample_line(d, "option", "Call recording (promotion)", 6, 1, 500,
	    10000);
	sample_line(d, "option", "Extra SIP account (free)", 6, 1, 0, 0);
	sample_finish(d, "1.1646", "2025-12-01");
	return d;
}

/* Markup characters, quotes and right-to-left text (Arabic, Hebrew) in
 * every kind of field; an LT consumer, so the EN 16931 core is used. */
#define HOSTILE_NAME	"<Ali & \"Sons\"> 'Ltd' \xd8\xb9\xd9\x84\xd9\x8a " \
	"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d ]]> &amp;"
#define HOSTILE_DESC	"Softphone <b>12</b> & \"more\" \xe2\x80\x8f" \
	"\xd7\x9e\xd7\xa0\xd7\x95\xd7\x99\xe2\x80\x8f </item>"

static struct document *
sample_hostile(void)
{
	struct document *d = sample_new("INV-000105", "2025-11-05",
	    "2025-11-05", "EUR", 2, TAX_LT_STANDARD, "S", 2100);

	sample_seller(d, 1);
	d->payer.name = xstrdup(HOSTILE_NAME);
	d->payer.address_line1 = xstrdup("\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9 "
	    "<7> & 'x'");
	d->payer.address_line2 = xstrdup("   ");	/* blank: left out */
	d->payer.city = xstrdup("Vilnius\tcentre");
	memcpy(d->payer.country, "LT", 3);
	d->payer.email = xstrdup("a&b@example.com");
	free(d->customer_username);
	d->customer_username = xstrdup("@<evil>&\"user\"");
	d->payment_method = xstrdup("card");
	d->paid_at = xstrdup("2025-11-05T10:00:00Z");
	sample_line(d, "softphone", HOSTILE_DESC, 12, 1, 9999, 0);
	sample_finish(d, NULL, NULL);
	return d;
}

struct sample {
	const char *name;
	struct document *(*make)(void);
};

static const struct sample samples[] = {
	{ "lt-standard-eur", sample_lt_standard },
	{ "oss-destination-usd", sample_oss_usd },
	{ "reverse-charge", sample_reverse_charge },
	{ "outside-scope-jpy", sample_outside_jpy },
	{ "not-vat-registered", sample_not_registered },
	{ "credit-note-full", sample_credit_full },
	{ "credit-note-partial-usd", sample_credit_partial_usd },
	{ "credit-note-reverse-charge", sample_credit_reverse_charge },
	{ "unpaid-transfer-usd", sample_unpaid_transfer_usd },
	{ "hostile-text", sample_hostile },
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/*
 * --write mode: write every sample with fn to DIR/PREFIX-NAME.xml.
 * Returns the exit status (0, or 1 after printing what failed).
 */
static int
samples_write(const char *dir, const char *prefix,
    enum gen_rc (*fn)(const struct document *, struct buf *,
    struct gen_err *))
{
	int status = 0;

	for (size_t i = 0; i < NSAMPLES; i++) {
		struct document *d = samples[i].make();
		struct gen_err err = {0};
		struct buf b = {0};
		char path[4096];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s-%s.xml", dir, prefix,
		    samples[i].name);
		if (fn(d, &b, &err) != GEN_OK) {
			fprintf(stderr, "%s: %s\n", samples[i].name, err.msg);
			status = 1;
		} else if ((fp = fopen(path, "wb")) == NULL) {
			fprintf(stderr, "%s: %s\n", path, strerror(errno));
			status = 1;
		} else {
			size_t n = fwrite(b.data, 1, b.len, fp);

			if (fclose(fp) != 0 || n != b.len) {
				fprintf(stderr, "%s: write failed\n", path);
				status = 1;
			}
		}
		buf_free(&b);
		document_free(d);
	}
	return status;
}

#endif
