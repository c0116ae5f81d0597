/*
 * test-cii.c - unit tests of gen/einvoice/cii.c: every sample snapshot of
 * tests/einvoice/samples.h is written as a CII CrossIndustryInvoice,
 * parsed back with libxml2 and checked by XPath (type code, guideline,
 * dates in format 102, totals, categories and rates, VA/FC tax
 * registrations present or absent, BT-111 in EUR, credit notes positive,
 * hostile text round-tripping); the CII totals must equal the UBL ones of
 * the same snapshot; output is byte-identical on a second write; refusals
 * carry their messages.
 *
 * With "--write DIR" it only writes the samples to DIR/cii-NAME.xml for
 * tests/einvoice/validate.sh and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "cii.h"
#include "testlib.h"
#include "ubl.h"
#include "../einvoice/samples.h"

struct out {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	char val[4096];
};

static const char *const ns[][2] = {
	{ "rsm", "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:"
	    "100" },
	{ "ram", "urn:un:unece:uncefact:data:standard:"
	    "ReusableAggregateBusinessInformationEntity:100" },
	{ "udt", "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:"
	    "100" },
	{ "qdt", "urn:un:unece:uncefact:data:standard:QualifiedDataType:"
	    "100" },
	{ "cac", "urn:oasis:names:specification:ubl:schema:xsd:"
	    "CommonAggregateComponents-2" },
	{ "cbc", "urn:oasis:names:specification:ubl:schema:xsd:"
	    "CommonBasicComponents-2" },
};

/* Write d with fn and parse it; 0 after a failed check otherwise. */
static int
load_with(struct out *o, const struct document *d,
    enum gen_rc (*fn)(const struct document *, struct buf *,
    struct gen_err *))
{
	struct gen_err err = {0};
	struct buf b = {0};
	enum gen_rc rc;

	memset(o, 0, sizeof(*o));
	rc = fn(d, &b, &err);
	CHECK_INT(rc, GEN_OK);
	if (rc != GEN_OK) {
		fprintf(stderr, "write: %s\n", err.msg);
		buf_free(&b);
		return 0;
	}
	o->doc = xmlReadMemory(b.data, (int)b.len, "doc.xml", "UTF-8",
	    XML_PARSE_NONET);
	buf_free(&b);
	CHECK(o->doc != NULL);
	if (o->doc == NULL)
		return 0;
	o->ctx = xmlXPathNewContext(o->doc);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		xmlXPathRegisterNs(o->ctx, BAD_CAST ns[i][0],
		    BAD_CAST ns[i][1]);
	return 1;
}

static int
load(struct out *o, const struct document *d)
{
	return load_with(o, d, cii_write);
}

static void
unload(struct out *o)
{
	xmlXPathFreeContext(o->ctx);
	xmlFreeDoc(o->doc);
}

static const char *
xs(struct out *o, const char *expr)
{
	char q[1024];
	xmlXPathObjectPtr r;

	snprintf(q, sizeof(q), "string(%s)", expr);
	o->val[0] = '\0';
	r = xmlXPathEvalExpression(BAD_CAST q, o->ctx);
	if (r != NULL && r->type == XPATH_STRING && r->stringval != NULL)
		snprintf(o->val, sizeof(o->val), "%s", (char *)r->stringval);
	xmlXPathFreeObject(r);
	return o->val;
}

static int
xc(struct out *o, const char *expr)
{
	char q[1024];
	xmlXPathObjectPtr r;
	int n = -1;

	snprintf(q, sizeof(q), "count(%s)", expr);
	r = xmlXPathEvalExpression(BAD_CAST q, o->ctx);
	if (r != NULL && r->type == XPATH_NUMBER)
		n = (int)r->floatval;
	xmlXPathFreeObject(r);
	return n;
}

#define DOC	"/rsm:CrossIndustryInvoice/rsm:ExchangedDocument"
#define TX	"/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
#define AGR	TX "/ram:ApplicableHeaderTradeAgreement"
#define SELLER	AGR "/ram:SellerTradeParty"
#define BUYER	AGR "/ram:BuyerTradeParty"
#define SET	TX "/ram:ApplicableHeaderTradeSettlement"
#define SUM	SET "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
#define TAX	SET "/ram:ApplicableTradeTax"
#define LINE	TX "/ram:IncludedSupplyChainTradeLineItem"
#define PM	SET "/ram:SpecifiedTradeSettlementPaymentMeans"

static void
test_lt_standard(void)
{
	struct document *d = sample_lt_standard();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, "/rsm:CrossIndustryInvoice/"
		    "rsm:ExchangedDocumentContext/"
		    "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
		    "urn:cen.eu:en16931:2017");
		CHECK_STR(xs(&o, DOC "/ram:ID"), "INV-000101");
		CHECK_STR(xs(&o, DOC "/ram:TypeCode"), "380");
		CHECK_STR(xs(&o, DOC "/ram:IssueDateTime/udt:DateTimeString"),
		    "20250802");
		CHECK_STR(xs(&o, DOC "/ram:IssueDateTime/udt:DateTimeString/"
		    "@format"), "102");
		CHECK_INT(xc(&o, DOC "/ram:IncludedNote"), 0);
		CHECK_STR(xs(&o, TAX "/ram:TaxPointDate/udt:DateString"),
		    "20250801");
		CHECK_STR(xs(&o, TAX "/ram:CategoryCode"), "S");
		CHECK_STR(xs(&o, TAX "/ram:RateApplicablePercent"), "21.00");
		CHECK_STR(xs(&o, TAX "/ram:BasisAmount"), "115.50");
		CHECK_STR(xs(&o, TAX "/ram:CalculatedAmount"), "24.26");
		CHECK_STR(xs(&o, SUM "/ram:LineTotalAmount"), "115.50");
		CHECK_STR(xs(&o, SUM "/ram:TaxBasisTotalAmount"), "115.50");
		CHECK_STR(xs(&o, SUM "/ram:TaxTotalAmount[@currencyID='EUR']"),
		    "24.26");
		CHECK_INT(xc(&o, SUM "/ram:TaxTotalAmount"), 1);
		CHECK_STR(xs(&o, SUM "/ram:GrandTotalAmount"), "139.76");
		CHECK_STR(xs(&o, SUM "/ram:TotalPrepaidAmount"), "139.76");
		CHECK_STR(xs(&o, SUM "/ram:DuePayableAmount"), "0.00");
		CHECK_STR(xs(&o, SELLER "/ram:SpecifiedTaxRegistration/"
		    "ram:ID[@schemeID='VA']"), "LT100018548216");
		CHECK_INT(xc(&o, SELLER "/ram:SpecifiedTaxRegistration/"
		    "ram:ID[@schemeID='FC']"), 0);
		CHECK_STR(xs(&o, BUYER "/ram:SpecifiedTaxRegistration/"
		    "ram:ID[@schemeID='VA']"), "LT100001919017");
		CHECK_STR(xs(&o, SELLER "/ram:SpecifiedLegalOrganization/"
		    "ram:ID/@schemeID"), "0200");
		CHECK_STR(xs(&o, SELLER "/ram:URIUniversalCommunication/"
		    "ram:URIID/@schemeID"), "0200");
		CHECK_STR(xs(&o, BUYER "/ram:URIUniversalCommunication/"
		    "ram:URIID/@schemeID"), "9937");
		CHECK_STR(xs(&o, AGR "/ram:BuyerOrderReferencedDocument/"
		    "ram:IssuerAssignedID"), "ORD-2025-0042");
		CHECK_STR(xs(&o, SET "/ram:PaymentReference"),
		    "RF18539007547034");
		CHECK_STR(xs(&o, PM "/ram:TypeCode"), "58");
		CHECK_STR(xs(&o, PM "/ram:PayeePartyCreditorFinancialAccount/"
		    "ram:IBANID"),
		    "LT121000011101001000");
		CHECK_INT(xc(&o, LINE), 2);
		CHECK_STR(xs(&o, LINE "[1]/ram:SpecifiedLineTradeDelivery/"
		    "ram:BilledQuantity/@unitCode"), "C62");
		CHECK_STR(xs(&o, LINE "[1]/ram:SpecifiedLineTradeSettlement/"
		    "ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount"),
		    "12.00");
		CHECK_STR(xs(&o, LINE "[1]/ram:SpecifiedLineTradeSettlement/"
		    "ram:SpecifiedTradeAllowanceCharge/ram:CalculationPercent"),
		    "10.00");
		CHECK_STR(xs(&o, LINE "[1]/ram:SpecifiedLineTradeSettlement/"
		    "ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator/"
		    "udt:Indicator"), "false");
		CHECK_STR(xs(&o, LINE "[1]/ram:SpecifiedLineTradeAgreement/"
		    "ram:NetPriceProductTradePrice/ram:ChargeAmount"),
		    "120.00");
		CHECK_STR(xs(&o, LINE "[1]/ram:SpecifiedLineTradeSettlement/"
		    "ram:SpecifiedTradeSettlementLineMonetarySummation/"
		    "ram:LineTotalAmount"), "108.00");
		CHECK_STR(xs(&o, LINE "[2]/ram:SpecifiedTradeProduct/"
		    "ram:Description"), "Period: 12 months; SIP accounts: 3");
		CHECK_STR(xs(&o, LINE "[1]/ram:AssociatedDocumentLineDocument/"
		    "ram:IncludedNote/ram:Content"),
		    "Customer (Telegram account): @sip_user, id 123456789");
		unload(&o);
	}
	document_free(d);
}

static void
test_oss_usd(void)
{
	struct document *d = sample_oss_usd();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, SET "/ram:TaxCurrencyCode"), "EUR");
		CHECK_STR(xs(&o, SET "/ram:InvoiceCurrencyCode"), "USD");
		CHECK_STR(xs(&o, SUM "/ram:TaxTotalAmount[@currencyID='USD']"),
		    "6.65");
		CHECK_STR(xs(&o, SUM "/ram:TaxTotalAmount[@currencyID='EUR']"),
		    "5.83");
		CHECK_STR(xs(&o, BUYER "/ram:URIUniversalCommunication/"
		    "ram:URIID/@schemeID"), "EM");
		CHECK_INT(xc(&o, BUYER "/ram:SpecifiedTaxRegistration"), 0);
		CHECK_INT(xc(&o, TAX "/ram:TaxPointDate"), 0);
		CHECK_INT(xc(&o, LINE "/ram:SpecifiedLineTradeSettlement/"
		    "ram:SpecifiedTradeAllowanceCharge/ram:CalculationPercent"),
		    0);
		CHECK(strstr(xs(&o, DOC "/ram:IncludedNote/ram:Content"),
		    "VAT in EUR: 5.83") != NULL);
		unload(&o);
	}
	document_free(d);
}

static void
test_reverse_charge(void)
{
	struct document *d = sample_reverse_charge();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, TAX "/ram:CategoryCode"), "AE");
		CHECK_STR(xs(&o, TAX "/ram:RateApplicablePercent"), "0.00");
		CHECK_STR(xs(&o, TAX "/ram:ExemptionReasonCode"),
		    "VATEX-EU-AE");
		CHECK_STR(xs(&o, TAX "/ram:ExemptionReason"), "Reverse charge");
		CHECK_STR(xs(&o, TAX "/ram:CalculatedAmount"), "0.00");
		CHECK_STR(xs(&o, BUYER "/ram:SpecifiedTaxRegistration/"
		    "ram:ID[@schemeID='VA']"), "DE136695976");
		CHECK_STR(xs(&o, SELLER "/ram:SpecifiedTaxRegistration/"
		    "ram:ID[@schemeID='VA']"), "LT100018548216");
		CHECK_STR(xs(&o, BUYER "/ram:PostalTradeAddress/"
		    "ram:CountrySubDivisionName"), "Bayern");
		unload(&o);
	}
	document_free(d);
}

static void
test_outside_jpy(void)
{
	struct document *d = sample_outside_jpy();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, TAX "/ram:CategoryCode"), "O");
		CHECK_INT(xc(&o, "//ram:RateApplicablePercent"), 0);
		CHECK_STR(xs(&o, TAX "/ram:ExemptionReasonCode"), "VATEX-EU-O");
		CHECK_INT(xc(&o, "//ram:ID[@schemeID='VA']"), 0);
		CHECK_STR(xs(&o, SELLER "/ram:SpecifiedTaxRegistration/"
		    "ram:ID[@schemeID='FC']"), "LT100018548216");
		CHECK_STR(xs(&o, SUM "/ram:GrandTotalAmount"), "4305");
		CHECK_STR(xs(&o, SUM "/ram:TaxTotalAmount[@currencyID='JPY']"),
		    "0");
		unload(&o);
	}
	document_free(d);
}

static void
test_not_registered(void)
{
	struct document *d = sample_not_registered();
	struct out o;

	if (load(&o, d)) {
		CHECK_INT(xc(&o, "//ram:SpecifiedTaxRegistration"), 0);
		CHECK_STR(xs(&o, TAX "/ram:CategoryCode"), "O");
		CHECK_STR(xs(&o, TAX "/ram:TaxPointDate/udt:DateString"),
		    "20250301");
		CHECK_STR(xs(&o, PM "/ram:Information"), "Prepaid balance");
		unload(&o);
	}
	document_free(d);
}

static void
test_credit_notes(void)
{
	struct document *d = sample_credit_full();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, DOC "/ram:TypeCode"), "381");
		CHECK_STR(xs(&o, SET "/ram:InvoiceReferencedDocument/"
		    "ram:IssuerAssignedID"), "INV-000101");
		CHECK_STR(xs(&o, SET "/ram:InvoiceReferencedDocument/"
		    "ram:FormattedIssueDateTime/qdt:DateTimeString"),
		    "20250802");
		CHECK_STR(xs(&o, SUM "/ram:GrandTotalAmount"), "139.76");
		CHECK_STR(xs(&o, SUM "/ram:DuePayableAmount"), "139.76");
		CHECK_INT(xc(&o, SUM "/ram:TotalPrepaidAmount"), 0);
		CHECK_STR(xs(&o, LINE "[2]/ram:SpecifiedLineTradeDelivery/"
		    "ram:BilledQuantity"), "3");
		CHECK_INT(xc(&o, "//*[starts-with(normalize-space(.), '-')]"),
		    0);
		unload(&o);
	}
	document_free(d);

	d = sample_credit_partial_usd();
	if (load(&o, d)) {
		CHECK_STR(xs(&o, DOC "/ram:TypeCode"), "381");
		CHECK_STR(xs(&o, LINE "/ram:SpecifiedLineTradeAgreement/"
		    "ram:NetPriceProductTradePrice/ram:ChargeAmount"), "10.00");
		CHECK_STR(xs(&o, SUM "/ram:TaxTotalAmount[@currencyID='EUR']"),
		    "1.67");
		CHECK_STR(xs(&o, SUM "/ram:DuePayableAmount"), "11.90");
		unload(&o);
	}
	document_free(d);
}

static void
test_unpaid(void)
{
	struct document *d = sample_unpaid_transfer_usd();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, SET "/ram:SpecifiedTradePaymentTerms/"
		    "ram:DueDateDateTime/udt:DateTimeString"), "20251208");
		CHECK_STR(xs(&o, PM "/ram:TypeCode"), "30");
		CHECK_STR(xs(&o, SUM "/ram:DuePayableAmount"), "48.38");
		CHECK_INT(xc(&o, SUM "/ram:TotalPrepaidAmount"), 0);
		CHECK_STR(xs(&o, LINE "[2]/ram:SpecifiedLineTradeSettlement/"
		    "ram:SpecifiedTradeAllowanceCharge/ram:BasisAmount"),
		    "5.00");
		unload(&o);
	}
	document_free(d);
}

static void
test_hostile(void)
{
	struct document *d = sample_hostile();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, BUYER "/ram:Name"), HOSTILE_NAME);
		CHECK_STR(xs(&o, LINE "/ram:SpecifiedTradeProduct/ram:Name"),
		    HOSTILE_DESC);
		CHECK_STR(xs(&o, BUYER "/ram:PostalTradeAddress/ram:LineOne"),
		    "\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9 <7> & 'x'");
		CHECK_INT(xc(&o, BUYER "/ram:PostalTradeAddress/ram:LineTwo"),
		    0);
		CHECK_STR(xs(&o, BUYER "/ram:DefinedTradeContact/"
		    "ram:EmailURIUniversalCommunication/ram:URIID"),
		    "a&b@example.com");
		unload(&o);
	}
	document_free(d);
}

/* The two syntaxes of one snapshot say the same thing. */
static void
test_same_as_ubl(void)
{
	static const char *const pairs[][2] = {
		{ "/*/cac:LegalMonetaryTotal/cbc:LineExtensionAmount",
		    SUM "/ram:LineTotalAmount" },
		{ "/*/cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount",
		    SUM "/ram:TaxBasisTotalAmount" },
		{ "/*/cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount",
		    SUM "/ram:TaxTotalAmount[1]" },
		{ "/*/cac:TaxTotal[not(cac:TaxSubtotal)]/cbc:TaxAmount",
		    SUM "/ram:TaxTotalAmount[2]" },
		{ "/*/cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount",
		    SUM "/ram:GrandTotalAmount" },
		{ "/*/cac:LegalMonetaryTotal/cbc:PrepaidAmount",
		    SUM "/ram:TotalPrepaidAmount" },
		{ "/*/cac:LegalMonetaryTotal/cbc:PayableAmount",
		    SUM "/ram:DuePayableAmount" },
		{ "/*/cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID",
		    TAX "/ram:CategoryCode" },
		{ "/*/cbc:ID", DOC "/ram:ID" },
		{ "/*/cac:AccountingCustomerParty/cac:Party/cbc:EndpointID",
		    BUYER "/ram:URIUniversalCommunication/ram:URIID" },
		{ "/*/cac:AccountingSupplierParty/cac:Party/"
		    "cac:PartyTaxScheme/cbc:CompanyID",
		    SELLER "/ram:SpecifiedTaxRegistration/ram:ID" },
		{ "/*/cbc:Note", DOC "/ram:IncludedNote/ram:Content" },
	};

	for (size_t i = 0; i < NSAMPLES; i++) {
		struct document *d = samples[i].make();
		struct out u, c;
		char a[256];

		if (load_with(&u, d, ubl_write)) {
			if (load(&c, d)) {
				for (size_t k = 0; k < sizeof(pairs) /
				    sizeof(pairs[0]); k++) {
					snprintf(a, sizeof(a), "%s",
					    xs(&u, pairs[k][0]));
					CHECK_STR(xs(&c, pairs[k][1]), a);
				}
				CHECK_INT(xc(&u, "//cac:InvoiceLine | "
				    "//cac:CreditNoteLine"), xc(&c, LINE));
				unload(&c);
			}
			unload(&u);
		}
		document_free(d);
	}
}

static void
test_deterministic(void)
{
	for (size_t i = 0; i < NSAMPLES; i++) {
		struct document *d = samples[i].make();
		struct buf a = {0}, b = {0};
		struct gen_err err = {0};

		CHECK_INT(cii_write(d, &a, &err), GEN_OK);
		CHECK_INT(cii_write(d, &b, &err), GEN_OK);
		CHECK(a.len > 0 && a.len == b.len &&
		    memcmp(a.data, b.data, a.len) == 0);
		buf_free(&a);
		buf_free(&b);
		document_free(d);
	}
}

static void
expect_fail(struct document *d, enum gen_rc want, const char *fragment)
{
	struct gen_err err = {0};
	struct buf b = {0};

	buf_puts(&b, "stale");
	CHECK_INT(cii_write(d, &b, &err), want);
	CHECK_MSG(err, fragment);
	CHECK_INT(b.len, 0);
	buf_free(&b);
	document_free(d);
}

static void
test_refusals(void)
{
	struct document *d;

	d = sample_oss_usd();
	d->kind = DOC_TRANSFER_ORDER;
	expect_fail(d, GEN_EINPUT, "kind:");

	d = sample_oss_usd();
	memcpy(d->currency, "KWD", 4);
	d->currency_digits = 3;
	expect_fail(d, GEN_EINPUT, "currency: KWD has 3 minor digits");

	d = sample_oss_usd();
	free(d->payer.city);
	d->payer.city = xstrdup("Berlin\x1b[0m");
	expect_fail(d, GEN_EINPUT, "payer.city: character U+001B");

	d = sample_outside_jpy();
	memcpy(d->lines[0].vat_category, "S", 2);
	d->lines[0].vat_rate_bp = 2100;
	expect_fail(d, GEN_EINPUT, "BR-O-11");
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return samples_write(argv[2], "cii", cii_write);
	if (argc != 1) {
		fprintf(stderr, "usage: test-cii [--write DIR]\n");
		return 2;
	}
	test_lt_standard();
	test_oss_usd();
	test_reverse_charge();
	test_outside_jpy();
	test_not_registered();
	test_credit_notes();
	test_unpaid();
	test_hostile();
	test_same_as_ubl();
	test_deterministic();
	test_refusals();
	xmlCleanupParser();
	return test_report();
}
