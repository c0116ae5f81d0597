/*
 * test-en16931.c - unit tests of gen/einvoice/en16931.c: the EN 16931
 * reading of the sample snapshots of tests/einvoice/samples.h, checked
 * field by field (the writers test-ubl and test-cii check the XML made
 * from it): document type and sign of credit notes, Peppol or core
 * specification, the seller's and buyer's VAT identifiers and
 * electronic addresses per treatment, line allowances, VAT rows and
 * their exemption codes, the EUR VAT of another currency, payment
 * means, terms and notes; and the refusals, with their messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "en16931.h"
#include "testlib.h"
#include "../einvoice/samples.h"

/* Build the reading of d; 0 (after a failed check) when it fails. */
static int
build(const struct document *d, struct en16931 *f)
{
	struct gen_err err = {0};
	enum gen_rc rc = en16931_build(d, f, &err);

	CHECK_INT(rc, GEN_OK);
	if (rc != GEN_OK)
		fprintf(stderr, "en16931_build: %s\n", err.msg);
	return rc == GEN_OK;
}

/* A Lithuanian business buyer with a VAT number, EUR, bank transfer. */
static void
test_lt_standard(void)
{
	struct document *d = sample_lt_standard();
	struct en16931 f;

	if (build(d, &f)) {
		CHECK(!f.credit);
		CHECK(f.peppol);
		CHECK_STR(f.customization, EN16931_CUSTOMIZATION_PEPPOL);
		CHECK_STR(f.profile, EN16931_PROFILE_PEPPOL);
		CHECK_STR(f.type_code, "380");
		CHECK_STR(f.number, "INV-000101");
		CHECK_STR(f.issue_date, "2025-08-02");
		CHECK_STR(f.tax_point_date, "2025-08-01");	/* differs */
		CHECK_STR(f.currency, "EUR");
		CHECK_INT(f.digits, 2);
		CHECK(f.tax_currency == NULL);
		CHECK_STR(f.order_ref, "ORD-2025-0042");
		/* seller: BT-31, address 0200 + company code */
		CHECK_STR(f.seller.vat_id, "LT100018548216");
		CHECK(f.seller.tax_reg_id == NULL);
		CHECK_STR(f.seller.legal_scheme, "0200");
		CHECK_STR(f.seller.endpoint, "305133662");
		CHECK_STR(f.seller.endpoint_scheme, "0200");
		/* buyer: BT-48 (LT_STANDARD), Peppol LT:VAT address */
		CHECK_STR(f.buyer.vat_id, "LT100001919017");
		CHECK_STR(f.buyer.endpoint_scheme, "9937");
		CHECK_STR(f.buyer.endpoint, "LT100001919017");
		/* line 1: 10 % of 120.00 is exact, so BT-137/138 */
		CHECK_INT(f.nlines, 2);
		CHECK_INT(f.lines[0].quantity, 1);
		CHECK_INT(f.lines[0].price, 12000);
		CHECK_INT(f.lines[0].allowance, 1200);
		CHECK_INT(f.lines[0].allowance_bp, 1000);
		CHECK_INT(f.lines[0].allowance_base, 12000);
		CHECK_INT(f.lines[0].net, 10800);
		CHECK_STR(f.lines[0].description, "Period: 12 months");
		CHECK_INT(f.lines[1].allowance, 0);
		CHECK_INT(f.lines[1].allowance_bp, -1);
		CHECK_STR(f.lines[1].description,
		    "Period: 12 months; SIP accounts: 3");
		/* totals: 108.00 + 7.50, VAT 21 % half up */
		CHECK_INT(f.line_total, 11550);
		CHECK_INT(f.tax_exclusive, 11550);
		CHECK_INT(f.vat_total, 2426);
		CHECK_INT(f.tax_inclusive, 13976);
		CHECK_INT(f.nvats, 1);
		CHECK_STR(f.vats[0].category, "S");
		CHECK(f.vats[0].has_rate);
		CHECK_INT(f.vats[0].rate_bp, 2100);
		CHECK(f.vats[0].exemption_code == NULL);
		/* paid before it was issued */
		CHECK(f.has_prepaid);
		CHECK_INT(f.prepaid, 13976);
		CHECK_INT(f.payable, 0);
		CHECK_STR(f.terms, "Paid in full on 2025-08-01T09:30:00Z.");
		CHECK_STR(f.pm_code, "58");
		CHECK_STR(f.payment_id, "RF18539007547034");
		CHECK_STR(f.iban, "LT121000011101001000");
		CHECK_STR(f.bic, "TESTLT22");
		CHECK(f.note == NULL);	/* LT standard: nothing to say */
		CHECK_STR(f.line_note, "Customer (Telegram account): "
		    "@sip_user, id 123456789");
	}
	en16931_free(&f);
	document_free(d);
}

/* An OSS consumer in USD: EN 16931 core (no Peppol address for the
 * buyer), the EUR VAT (BT-6, BT-111), an inexact discount. */
static void
test_oss_usd(void)
{
	struct document *d = sample_oss_usd();
	struct en16931 f;

	if (build(d, &f)) {
		CHECK(!f.peppol);
		CHECK_STR(f.customization, EN16931_CUSTOMIZATION_CORE);
		CHECK(f.profile == NULL);
		CHECK(f.tax_point_date == NULL);	/* same day */
		CHECK(f.buyer.vat_id == NULL);
		CHECK_STR(f.buyer.endpoint_scheme, "EM");
		CHECK_STR(f.buyer.endpoint, "juergen@example.de");
		CHECK_STR(f.tax_currency, "EUR");
		CHECK_INT(f.vat_accounting, d->vat_eur_minor);
		CHECK_INT(f.lines[0].allowance_bp, -1);	/* not exact */
		CHECK_INT(f.lines[0].net, d->lines[0].net_minor);
		CHECK_STR(f.lines[0].description, "Period: 36 months; Call "
		    "recording: 30 days; Gateway lines: 2");
		CHECK_STR(f.pm_code, "48");
		CHECK(f.note != NULL && strstr(f.note, "VAT of DE at 19.00 % "
		    "(EU One-Stop Shop, Union scheme).\nVAT in EUR: ") ==
		    f.note);
		CHECK(f.note != NULL && strstr(f.note, "(ECB reference rate "
		    "of 2025-08-01: 1.1404 USD per EUR).") != NULL);
	}
	en16931_free(&f);
	document_free(d);
}

/* Reverse charge: AE, the buyer's VAT number mandatory, VATEX-EU-AE. */
static void
test_reverse_charge(void)
{
	struct document *d = sample_reverse_charge();
	struct en16931 f;
	struct gen_err err = {0};

	if (build(d, &f)) {
		CHECK_STR(f.vats[0].category, "AE");
		CHECK_STR(f.vats[0].exemption_code, "VATEX-EU-AE");
		CHECK_STR(f.vats[0].exemption_reason, "Reverse charge");
		CHECK_INT(f.vat_total, 0);
		CHECK_STR(f.seller.vat_id, "LT100018548216");
		CHECK_STR(f.buyer.vat_id, "DE136695976");
		CHECK_STR(f.buyer.endpoint_scheme, "9930");
		CHECK_STR(f.pm_code, "68");
		CHECK(f.note != NULL && strncmp(f.note, "Reverse charge: ",
		    16) == 0);
	}
	en16931_free(&f);

	/* Without the buyer's VAT number there is no reverse charge. */
	free(d->payer.vat_number);
	d->payer.vat_number = NULL;
	CHECK_INT(en16931_build(d, &f, &err), GEN_EINPUT);
	CHECK_MSG(err, "payer.vat_number: '' is not a VAT identifier");
	CHECK_MSG(err, "(BR-AE-02)");
	en16931_free(&f);
	document_free(d);
}

/* Outside the scope of VAT, JPY: category O has no rate, and the
 * seller's VAT number moves from BT-31 to BT-32 (BR-O-02). */
static void
test_outside_jpy(void)
{
	struct document *d = sample_outside_jpy();
	struct en16931 f;

	if (build(d, &f)) {
		CHECK_INT(f.digits, 0);
		CHECK(f.seller.vat_id == NULL);
		CHECK_STR(f.seller.tax_reg_id, "LT100018548216");
		CHECK(f.buyer.vat_id == NULL);
		CHECK_STR(f.vats[0].category, "O");
		CHECK(!f.vats[0].has_rate);
		CHECK(!f.lines[0].has_rate);
		CHECK_STR(f.vats[0].exemption_code, "VATEX-EU-O");
		CHECK_STR(f.pm_code, "ZZZ");
		CHECK_STR(f.pm_text, "Crypto-asset transfer");
		CHECK_INT(f.line_total, d->net_minor);
	}
	en16931_free(&f);
	document_free(d);
}

/* Before the VAT registration: neither BT-31 nor BT-32; the buyer's
 * Peppol address is 0200 + company code. */
static void
test_not_registered(void)
{
	struct document *d = sample_not_registered();
	struct en16931 f;

	if (build(d, &f)) {
		CHECK(f.seller.vat_id == NULL);
		CHECK(f.seller.tax_reg_id == NULL);
		CHECK_STR(f.buyer.endpoint_scheme, "0200");
		CHECK_STR(f.buyer.endpoint, "304000000");
		CHECK(f.peppol);
		CHECK_STR(f.pm_text, "Prepaid balance");
	}
	en16931_free(&f);
	document_free(d);
}

/* Credit notes: type 381, every amount and quantity positive, the
 * preceding invoice (BT-25/26), nothing prepaid; a partial credit's
 * negative unit price becomes a positive price (BR-27). */
static void
test_credit_notes(void)
{
	struct document *d = sample_credit_full();
	struct en16931 f;

	if (build(d, &f)) {
		CHECK(f.credit);
		CHECK_STR(f.type_code, "381");
		CHECK_INT(f.tax_exclusive, 11550);
		CHECK_INT(f.vat_total, 2426);
		CHECK_INT(f.tax_inclusive, 13976);
		CHECK_INT(f.lines[0].quantity, 1);
		CHECK_INT(f.lines[0].allowance, 1200);
		CHECK_INT(f.lines[1].quantity, 3);
		CHECK_INT(f.vats[0].taxable, 11550);
		CHECK_STR(f.preceding_number, "INV-000101");
		CHECK_STR(f.preceding_date, "2025-08-02");
		CHECK(!f.has_prepaid);
		CHECK_INT(f.payable, 13976);
		CHECK(f.due_date == NULL);
		CHECK_STR(f.terms, "Amount credited to the payer (credit note "
		    "to invoice INV-000101).");
		CHECK_STR(f.note, "Credit note to invoice INV-000101 of "
		    "2025-08-02. Reason: refund: subscription cancelled");
	}
	en16931_free(&f);
	document_free(d);

	d = sample_credit_partial_usd();
	if (build(d, &f)) {
		CHECK_INT(f.lines[0].quantity, 1);
		CHECK_INT(f.lines[0].price, 1000);
		CHECK_INT(f.lines[0].net, 1000);
		CHECK_INT(f.tax_exclusive, 1000);
		CHECK(f.vat_accounting > 0);
		CHECK_INT(f.vat_accounting, -d->vat_eur_minor);
	}
	en16931_free(&f);
	document_free(d);
}

/* Unpaid, USD bank transfer: code 30 (not SEPA), the due date, a line
 * with a 100 % discount. */
static void
test_unpaid(void)
{
	struct document *d = sample_unpaid_transfer_usd();
	struct en16931 f;

	if (build(d, &f)) {
		CHECK_STR(f.pm_code, "30");
		CHECK_STR(f.pm_text, "Credit transfer");
		CHECK_STR(f.due_date, "2025-12-08");
		CHECK_STR(f.terms, "Payment due on 2025-12-08.");
		CHECK(!f.has_prepaid);
		CHECK_INT(f.payable, f.tax_inclusive);
		CHECK_INT(f.lines[1].allowance, 500);
		CHECK_INT(f.lines[1].allowance_bp, 10000);
		CHECK_INT(f.lines[1].net, 0);
		CHECK_INT(f.lines[2].price, 0);
	}
	en16931_free(&f);
	document_free(d);
}

/* A refusal: the build fails with GEN_EINPUT and a message holding frag;
 * f can be freed after it. */
static void
refused(struct document *d, const char *frag)
{
	struct gen_err err = {0};
	struct en16931 f;

	CHECK_INT(en16931_build(d, &f, &err), GEN_EINPUT);
	CHECK_MSG(err, frag);
	en16931_free(&f);
	document_free(d);
}

static void
test_refusals(void)
{
	struct document *d;

	d = sample_lt_standard();
	d->kind = DOC_TRANSFER_ORDER;
	refused(d, "kind: a payment order is not an invoice");

	d = sample_lt_standard();
	memcpy(d->currency, "KWD", 4);
	d->currency_digits = 3;
	refused(d, "currency: KWD has 3 minor digits");

	d = sample_lt_standard();
	d->total_minor++;
	refused(d, "total: 13977 is not net 11550 + VAT 2426 (BR-CO-15)");

	d = sample_lt_standard();
	d->lines[0].net_minor--;
	refused(d, "lines[0]: quantity 1 x unit price 12000 = 12000, less "
	    "discount 1200, does not give the stored gross 12000 / net 10799");

	d = sample_lt_standard();
	d->vats[0].taxable_minor--;
	refused(d, "vat_breakdown[0]: taxable amount 11549 but the lines of "
	    "category S at 2100 bp sum to 11550");

	d = sample_lt_standard();
	memcpy(d->lines[0].vat_category, "Z", 2);
	refused(d, "lines[0]: VAT category 'Z' is not supported");

	d = sample_lt_standard();
	free(d->payer.name);
	d->payer.name = xstrdup("A\001B");
	refused(d, "payer.name");

	d = sample_lt_standard();
	free(d->payer.name);
	d->payer.name = xstrdup("  ");
	refused(d, "payer.name: empty; the buyer's name is mandatory (BR-7)");

	d = sample_credit_full();
	free(d->corrects_number);
	d->corrects_number = NULL;
	refused(d, "corrects_number: empty");

	d = sample_outside_jpy();
	memcpy(d->lines[1].vat_category, "S", 2);
	d->lines[1].vat_rate_bp = 2100;
	refused(d, "lines: category O mixed with S or AE");
}

static void
test_amount(void)
{
	char s[48];

	en16931_amount(-1230, 2, s, sizeof(s));
	CHECK_STR(s, "-12.30");
	en16931_amount(1450, 0, s, sizeof(s));
	CHECK_STR(s, "1450");
	en16931_amount(5, 2, s, sizeof(s));
	CHECK_STR(s, "0.05");
}

/* The same snapshot gives the same reading, and free leaves f empty. */
static void
test_free(void)
{
	struct document *d = sample_hostile();
	struct en16931 f, g;

	if (build(d, &f) && build(d, &g)) {
		CHECK_STR(f.note, g.note);
		CHECK_STR(f.line_note, g.line_note);
		CHECK_STR(f.buyer.name, HOSTILE_NAME);
		CHECK(f.buyer.street2 == NULL);	/* blank: left out */
	}
	en16931_free(&f);
	en16931_free(&g);
	CHECK(f.lines == NULL && f.nlines == 0 && f.note == NULL);
	en16931_free(NULL);
	document_free(d);
}

int
main(void)
{
	(void)samples_write;	/* samples.h's, for the --write modes */
	test_lt_standard();
	test_oss_usd();
	test_reverse_charge();
	test_outside_jpy();
	test_not_registered();
	test_credit_notes();
	test_unpaid();
	test_refusals();
	test_amount();
	test_free();
	return test_report();
}
