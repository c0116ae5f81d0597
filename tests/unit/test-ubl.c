/*
 * test-ubl.c - unit tests of gen/einvoice/ubl.c: every sample snapshot of
 * tests/einvoice/samples.h (one per VAT treatment, credit notes, hostile
 * text) is written as UBL, parsed back with libxml2 and checked by XPath:
 * document type, Peppol or core customization, totals, categories and
 * rates, VAT identifiers present or absent, schemes, payment, notes, line
 * allowances; byte-identical output on a second write; and every refusal
 * with its message.
 *
 * With "--write DIR" it only writes the samples to DIR/ubl-NAME.xml for
 * tests/einvoice/validate.sh and exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "en16931.h"
#include "testlib.h"
#include "ubl.h"
#include "../einvoice/samples.h"

/* The parsed output of one write, for XPath checks. */
struct out {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	char val[4096];
};

/* Write d as UBL and parse it; returns 0 (after a failed check) if the
 * writer or the parser failed. */
static int
load(struct out *o, const struct document *d)
{
	struct gen_err err = {0};
	struct buf b = {0};
	enum gen_rc rc;

	memset(o, 0, sizeof(*o));
	rc = ubl_write(d, &b, &err);
	CHECK_INT(rc, GEN_OK);
	if (rc != GEN_OK) {
		fprintf(stderr, "ubl_write: %s\n", err.msg);
		buf_free(&b);
		return 0;
	}
	o->doc = xmlReadMemory(b.data, (int)b.len, "ubl.xml", "UTF-8",
	    XML_PARSE_NONET);
	buf_free(&b);
	CHECK(o->doc != NULL);
	if (o->doc == NULL)
		return 0;
	o->ctx = xmlXPathNewContext(o->doc);
	xmlXPathRegisterNs(o->ctx, BAD_CAST "cac", BAD_CAST
	    "urn:oasis:names:specification:ubl:schema:xsd:"
	    "CommonAggregateComponents-2");
	xmlXPathRegisterNs(o->ctx, BAD_CAST "cbc", BAD_CAST
	    "urn:oasis:names:specification:ubl:schema:xsd:"
	    "CommonBasicComponents-2");
	return 1;
}

static void
unload(struct out *o)
{
	xmlXPathFreeContext(o->ctx);
	xmlFreeDoc(o->doc);
}

/* string(expr), copied into o->val. */
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

/* count(expr) */
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

#define SELLER	"/*/cac:AccountingSupplierParty/cac:Party"
#define BUYER	"/*/cac:AccountingCustomerParty/cac:Party"
#define TOTALS	"/*/cac:LegalMonetaryTotal"
#define SUBTOT	"/*/cac:TaxTotal/cac:TaxSubtotal"
#define PM	"/*/cac:PaymentMeans"
#define IL	"/*/cac:InvoiceLine"
#define CL	"/*/cac:CreditNoteLine"
#define NOTE	"/*/cbc:Note"

static void
test_lt_standard(void)
{
	struct document *d = sample_lt_standard();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, "local-name(/*)"), "Invoice");
		CHECK_STR(xs(&o, "/*/cbc:CustomizationID"),
		    EN16931_CUSTOMIZATION_PEPPOL);
		CHECK_STR(xs(&o, "/*/cbc:ProfileID"), EN16931_PROFILE_PEPPOL);
		CHECK_STR(xs(&o, "/*/cbc:ID"), "INV-000101");
		CHECK_STR(xs(&o, "/*/cbc:InvoiceTypeCode"), "380");
		CHECK_STR(xs(&o, "/*/cbc:IssueDate"), "2025-08-02");
		CHECK_STR(xs(&o, "/*/cbc:TaxPointDate"), "2025-08-01");
		CHECK_INT(xc(&o, "/*/cbc:Note"), 0);
		CHECK_INT(xc(&o, "/*/cbc:TaxCurrencyCode"), 0);
		CHECK_STR(xs(&o, "/*/cac:OrderReference/cbc:ID"),
		    "ORD-2025-0042");
		/* 108.00 + 7.50 = 115.50; 21 % = 24.255 -> 24.26 */
		CHECK_STR(xs(&o, TOTALS "/cbc:LineExtensionAmount"), "115.50");
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxExclusiveAmount"), "115.50");
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxInclusiveAmount"), "139.76");
		CHECK_STR(xs(&o, TOTALS "/cbc:PrepaidAmount"), "139.76");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount"), "0.00");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount/@currencyID"),
		    "EUR");
		CHECK_STR(xs(&o, "/*/cac:TaxTotal/cbc:TaxAmount"), "24.26");
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:ID"), "S");
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:Percent"),
		    "21.00");
		CHECK_STR(xs(&o, SELLER "/cac:PartyTaxScheme[cac:TaxScheme/"
		    "cbc:ID='VAT']/cbc:CompanyID"), "LT100018548216");
		CHECK_STR(xs(&o, BUYER "/cac:PartyTaxScheme[cac:TaxScheme/"
		    "cbc:ID='VAT']/cbc:CompanyID"), "LT100001919017");
		CHECK_STR(xs(&o, SELLER "/cbc:EndpointID"), "305133662");
		CHECK_STR(xs(&o, SELLER "/cbc:EndpointID/@schemeID"), "0200");
		CHECK_STR(xs(&o, SELLER "/cac:PartyLegalEntity/cbc:CompanyID/"
		    "@schemeID"), "0200");
		CHECK_STR(xs(&o, SELLER "/cac:PartyLegalEntity/"
		    "cbc:RegistrationName"),
		    "MB \"\xc5\xbdinu\xc4\x8di\xc5\xb3 linija\"");
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID"), "LT100001919017");
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID/@schemeID"), "9937");
		CHECK_STR(xs(&o, BUYER "/cac:Contact/cbc:ElectronicMail"),
		    "buh@example.lt");
		CHECK_STR(xs(&o, PM "/cbc:PaymentMeansCode"),
		    "58");
		CHECK_STR(xs(&o, PM "/cbc:PaymentID"),
		    "RF18539007547034");
		CHECK_STR(xs(&o, PM "/cac:PayeeFinancialAccount"
		    "/cbc:ID"), "LT121000011101001000");
		CHECK_STR(xs(&o, PM "/cac:PayeeFinancialAccount"
		    "/cac:FinancialInstitutionBranch/cbc:ID"), "TESTLT22");
		CHECK(strstr(xs(&o, "/*/cac:PaymentTerms/cbc:Note"),
		    "2025-08-01T09:30:00Z") != NULL);
		CHECK_INT(xc(&o, IL), 2);
		CHECK_STR(xs(&o, IL "[1]/cbc:InvoicedQuantity/"
		    "@unitCode"), "C62");
		CHECK_STR(xs(&o, IL "[1]/cbc:LineExtensionAmount"),
		    "108.00");
		CHECK_STR(xs(&o, IL "[1]/cac:Price/"
		    "cbc:PriceAmount"), "120.00");
		CHECK_STR(xs(&o, IL "[1]/cac:AllowanceCharge/"
		    "cbc:Amount"), "12.00");
		CHECK_STR(xs(&o, IL "[1]/cac:AllowanceCharge/"
		    "cbc:MultiplierFactorNumeric"), "10.00");
		CHECK_STR(xs(&o, IL "[1]/cac:AllowanceCharge/"
		    "cbc:BaseAmount"), "120.00");
		CHECK_STR(xs(&o, IL "[1]/cac:AllowanceCharge/"
		    "cbc:AllowanceChargeReasonCode"), "95");
		CHECK_INT(xc(&o, IL "[2]/cac:AllowanceCharge"),
		    0);
		CHECK_STR(xs(&o, IL "[2]/cbc:InvoicedQuantity"),
		    "3");
		CHECK_STR(xs(&o, IL "[2]/cac:Item/"
		    "cbc:Description"), "Period: 12 months; SIP accounts: 3");
		CHECK_STR(xs(&o, IL "[1]/cac:Item/"
		    "cac:SellersItemIdentification/cbc:ID"), "softphone");
		CHECK_STR(xs(&o, IL "[1]/cbc:Note"),
		    "Customer (Telegram account): @sip_user, id 123456789");
		CHECK_STR(xs(&o, IL "[1]/cac:Item/"
		    "cac:ClassifiedTaxCategory/cbc:Percent"), "21.00");
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
		/* A consumer has no Peppol address: EN 16931 core + EM. */
		CHECK_STR(xs(&o, "/*/cbc:CustomizationID"),
		    EN16931_CUSTOMIZATION_CORE);
		CHECK_INT(xc(&o, "/*/cbc:ProfileID"), 0);
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID/@schemeID"), "EM");
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID"),
		    "juergen@example.de");
		CHECK_INT(xc(&o, BUYER "/cac:PartyTaxScheme"), 0);
		CHECK_INT(xc(&o, "/*/cbc:TaxPointDate"), 0);
		CHECK_STR(xs(&o, "/*/cbc:DocumentCurrencyCode"), "USD");
		CHECK_STR(xs(&o, "/*/cbc:TaxCurrencyCode"), "EUR");
		/* 49.99 - 30 % = 34.993 -> 34.99; 19 % = 6.6481 -> 6.65;
		 * 6.65 / 1.1404 = 5.8313 -> 5.83 EUR */
		CHECK_STR(xs(&o, "/*/cac:TaxTotal[cac:TaxSubtotal]/"
		    "cbc:TaxAmount"), "6.65");
		CHECK_STR(xs(&o, "/*/cac:TaxTotal[not(cac:TaxSubtotal)]/"
		    "cbc:TaxAmount"), "5.83");
		CHECK_STR(xs(&o, "/*/cac:TaxTotal[not(cac:TaxSubtotal)]/"
		    "cbc:TaxAmount/@currencyID"), "EUR");
		CHECK_INT(xc(&o, "/*/cac:TaxTotal"), 2);
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxInclusiveAmount"), "41.64");
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:Percent"),
		    "19.00");
		CHECK_STR(xs(&o, IL "/cac:AllowanceCharge/"
		    "cbc:Amount"), "15.00");
		CHECK_INT(xc(&o, IL "/cac:AllowanceCharge/"
		    "cbc:MultiplierFactorNumeric"), 0);
		CHECK_INT(xc(&o, IL "/cac:AllowanceCharge/"
		    "cbc:BaseAmount"), 0);
		CHECK_STR(xs(&o, IL "/cac:Item/cbc:Description"),
		    "Period: 36 months; Call recording: 30 days; "
		    "Gateway lines: 2");
		CHECK(strstr(xs(&o, NOTE), "VAT of DE at 19.00 %") !=
		    NULL);
		CHECK(strstr(xs(&o, NOTE), "VAT in EUR: 5.83 (ECB "
		    "reference rate of 2025-08-01: 1.1404 USD per EUR)") !=
		    NULL);
		CHECK_STR(xs(&o, PM "/cbc:PaymentMeansCode"),
		    "48");
		CHECK_INT(xc(&o, PM "/cac:PayeeFinancialAccount"),
		    0);
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
		CHECK_STR(xs(&o, "/*/cbc:CustomizationID"),
		    EN16931_CUSTOMIZATION_PEPPOL);
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:ID"), "AE");
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:Percent"),
		    "0.00");
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/"
		    "cbc:TaxExemptionReasonCode"), "VATEX-EU-AE");
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/"
		    "cbc:TaxExemptionReason"), "Reverse charge");
		CHECK_STR(xs(&o, SUBTOT "/cbc:TaxableAmount"), "50.00");
		CHECK_STR(xs(&o, SUBTOT "/cbc:TaxAmount"), "0.00");
		CHECK_STR(xs(&o, SELLER "/cac:PartyTaxScheme[cac:TaxScheme/"
		    "cbc:ID='VAT']/cbc:CompanyID"), "LT100018548216");
		CHECK_STR(xs(&o, BUYER "/cac:PartyTaxScheme[cac:TaxScheme/"
		    "cbc:ID='VAT']/cbc:CompanyID"), "DE136695976");
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID/@schemeID"), "9930");
		CHECK_STR(xs(&o, BUYER "/cac:PostalAddress/"
		    "cbc:CountrySubentity"), "Bayern");
		CHECK(strncmp(xs(&o, NOTE), "Reverse charge", 14) == 0);
		CHECK_STR(xs(&o, PM "/cbc:PaymentMeansCode"),
		    "68");
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxInclusiveAmount"), "50.00");
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
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:ID"), "O");
		/* BR-O-05 and friends: no rate anywhere */
		CHECK_INT(xc(&o, "//cbc:Percent"), 0);
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/"
		    "cbc:TaxExemptionReasonCode"), "VATEX-EU-O");
		/* BR-O-02: no BT-31, the seller VAT number is BT-32 */
		CHECK_INT(xc(&o, "//cac:PartyTaxScheme[cac:TaxScheme/"
		    "cbc:ID='VAT']"), 0);
		CHECK_STR(xs(&o, SELLER "/cac:PartyTaxScheme[cac:TaxScheme/"
		    "cbc:ID='TAX']/cbc:CompanyID"), "LT100018548216");
		CHECK_INT(xc(&o, BUYER "/cac:PartyTaxScheme"), 0);
		/* JPY: no decimals; 1450 - 10 % = 1305, + 3000 */
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxExclusiveAmount"), "4305");
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxInclusiveAmount"), "4305");
		CHECK_STR(xs(&o, "/*/cac:TaxTotal/cbc:TaxAmount"), "0");
		CHECK_STR(xs(&o, IL "[1]/cac:AllowanceCharge/"
		    "cbc:Amount"), "145");
		CHECK_STR(xs(&o, IL "[1]/cac:AllowanceCharge/"
		    "cbc:MultiplierFactorNumeric"), "10.00");
		CHECK_INT(xc(&o, "/*/cbc:TaxCurrencyCode"), 0);
		CHECK(strncmp(xs(&o, NOTE), "Outside the scope of EU "
		    "VAT", 26) == 0);
		CHECK_STR(xs(&o, PM "/cbc:PaymentMeansCode"),
		    "ZZZ");
		CHECK_STR(xs(&o, BUYER "/cac:PartyLegalEntity/"
		    "cbc:RegistrationName"), "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4"
		    "\xaa\xe9\x83\x8e");
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
		CHECK_STR(xs(&o, "/*/cbc:CustomizationID"),
		    EN16931_CUSTOMIZATION_PEPPOL);
		CHECK_INT(xc(&o, "//cac:PartyTaxScheme"), 0);
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:ID"), "O");
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID/@schemeID"), "0200");
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID"), "304000000");
		CHECK_STR(xs(&o, "/*/cbc:TaxPointDate"), "2025-03-01");
		CHECK_STR(xs(&o, PM "/cbc:PaymentMeansCode/"
		    "@name"), "Prepaid balance");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount"), "0.00");
		CHECK(strstr(xs(&o, NOTE), "not registered for VAT") !=
		    NULL);
		unload(&o);
	}
	document_free(d);
}

static void
test_credit_full(void)
{
	struct document *d = sample_credit_full();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, "local-name(/*)"), "CreditNote");
		CHECK_STR(xs(&o, "/*/cbc:CreditNoteTypeCode"), "381");
		CHECK_STR(xs(&o, "/*/cac:BillingReference/"
		    "cac:InvoiceDocumentReference/cbc:ID"), "INV-000101");
		CHECK_STR(xs(&o, "/*/cac:BillingReference/"
		    "cac:InvoiceDocumentReference/cbc:IssueDate"),
		    "2025-08-02");
		CHECK_INT(xc(&o, "/*/cbc:TaxPointDate"), 0);
		/* amounts positive in a CreditNote */
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxInclusiveAmount"), "139.76");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount"), "139.76");
		CHECK_INT(xc(&o, TOTALS "/cbc:PrepaidAmount"), 0);
		CHECK_STR(xs(&o, "/*/cac:TaxTotal/cbc:TaxAmount"), "24.26");
		CHECK_INT(xc(&o, CL), 2);
		CHECK_STR(xs(&o, CL "[1]/cbc:CreditedQuantity"),
		    "1");
		CHECK_STR(xs(&o, CL "[2]/cbc:CreditedQuantity"),
		    "3");
		CHECK_STR(xs(&o, CL "[1]/"
		    "cbc:LineExtensionAmount"), "108.00");
		CHECK_STR(xs(&o, CL "[1]/cac:AllowanceCharge/"
		    "cbc:Amount"), "12.00");
		CHECK_INT(xc(&o, "//*[starts-with(normalize-space(.), '-')]"),
		    0);
		CHECK(strstr(xs(&o, NOTE), "Credit note to invoice "
		    "INV-000101 of 2025-08-02. Reason: refund: subscription "
		    "cancelled") != NULL);
		CHECK(strstr(xs(&o, "/*/cac:PaymentTerms/cbc:Note"),
		    "INV-000101") != NULL);
		unload(&o);
	}
	document_free(d);
}

static void
test_credit_partial(void)
{
	struct document *d = sample_credit_partial_usd();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, "local-name(/*)"), "CreditNote");
		CHECK_STR(xs(&o, CL "/cbc:CreditedQuantity"),
		    "1");
		CHECK_STR(xs(&o, CL "/cac:Price/"
		    "cbc:PriceAmount"), "10.00");
		CHECK_STR(xs(&o, CL "/cac:Item/cbc:Name"),
		    "goodwill: 10.00 USD back");
		/* 10.00 x 19 % = 1.90; 1.90 / 1.1404 = 1.6661 -> 1.67 EUR */
		CHECK_STR(xs(&o, "/*/cac:TaxTotal[cac:TaxSubtotal]/"
		    "cbc:TaxAmount"), "1.90");
		CHECK_STR(xs(&o, "/*/cac:TaxTotal[not(cac:TaxSubtotal)]/"
		    "cbc:TaxAmount"), "1.67");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount"), "11.90");
		unload(&o);
	}
	document_free(d);
}

static void
test_credit_reverse_charge(void)
{
	struct document *d = sample_credit_reverse_charge();
	struct out o;

	if (load(&o, d)) {
		CHECK_STR(xs(&o, "/*/cbc:CustomizationID"),
		    EN16931_CUSTOMIZATION_PEPPOL);
		CHECK_STR(xs(&o, SUBTOT "/cac:TaxCategory/cbc:ID"), "AE");
		CHECK_STR(xs(&o, CL "/cbc:CreditedQuantity"),
		    "2");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount"), "50.00");
		CHECK_STR(xs(&o, BUYER "/cac:PartyTaxScheme/cbc:CompanyID"),
		    "DE136695976");
		CHECK(strstr(xs(&o, NOTE), "Reverse charge") != NULL);
		CHECK(strstr(xs(&o, NOTE), "Reason: duplicate order") !=
		    NULL);
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
		/* an LT company code is a Peppol address (0200) */
		CHECK_STR(xs(&o, "/*/cbc:CustomizationID"),
		    EN16931_CUSTOMIZATION_PEPPOL);
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID/@schemeID"), "0200");
		CHECK_INT(xc(&o, BUYER "/cac:PartyTaxScheme"), 0);
		CHECK_STR(xs(&o, "/*/cbc:DueDate"), "2025-12-08");
		CHECK_STR(xs(&o, PM "/cbc:PaymentMeansCode"),
		    "30");
		CHECK_STR(xs(&o, PM "/cbc:PaymentID"),
		    "RF51INV2025000123");
		/* 39.98 + 0 + 0; 21 % = 8.3958 -> 8.40; / 1.1646 -> 7.21 */
		CHECK_STR(xs(&o, TOTALS "/cbc:TaxInclusiveAmount"), "48.38");
		CHECK_STR(xs(&o, TOTALS "/cbc:PayableAmount"), "48.38");
		CHECK_INT(xc(&o, TOTALS "/cbc:PrepaidAmount"), 0);
		CHECK_STR(xs(&o, "/*/cac:TaxTotal[not(cac:TaxSubtotal)]/"
		    "cbc:TaxAmount"), "7.21");
		CHECK_STR(xs(&o, IL "[2]/cac:AllowanceCharge/"
		    "cbc:Amount"), "5.00");
		CHECK_STR(xs(&o, IL "[2]/cac:AllowanceCharge/"
		    "cbc:MultiplierFactorNumeric"), "100.00");
		CHECK_STR(xs(&o, IL "[2]/cbc:LineExtensionAmount"),
		    "0.00");
		CHECK_STR(xs(&o, IL "[3]/cac:Price/"
		    "cbc:PriceAmount"), "0.00");
		CHECK_STR(xs(&o, "/*/cac:PaymentTerms/cbc:Note"),
		    "Payment due on 2025-12-08.");
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
		CHECK_STR(xs(&o, BUYER "/cac:PartyLegalEntity/"
		    "cbc:RegistrationName"), HOSTILE_NAME);
		CHECK_STR(xs(&o, IL "/cac:Item/cbc:Name"),
		    HOSTILE_DESC);
		CHECK_STR(xs(&o, BUYER "/cac:PostalAddress/cbc:StreetName"),
		    "\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9 <7> & 'x'");
		CHECK_STR(xs(&o, BUYER "/cac:PostalAddress/cbc:CityName"),
		    "Vilnius\tcentre");
		CHECK_INT(xc(&o, BUYER "/cac:PostalAddress/"
		    "cbc:AdditionalStreetName"), 0);
		CHECK_STR(xs(&o, BUYER "/cbc:EndpointID"), "a&b@example.com");
		CHECK_STR(xs(&o, IL "/cbc:Note"),
		    "Customer (Telegram account): @<evil>&\"user\", id "
		    "123456789");
		/* no element is empty (Peppol R008) */
		CHECK_INT(xc(&o, "//*[not(*) and not(normalize-space())]"), 0);
		unload(&o);
	}
	document_free(d);
}

/* Same snapshot, same bytes; and a known prologue. */
static void
test_deterministic(void)
{
	for (size_t i = 0; i < NSAMPLES; i++) {
		struct document *d = samples[i].make();
		struct buf a = {0}, b = {0};
		struct gen_err err = {0};

		CHECK_INT(ubl_write(d, &a, &err), GEN_OK);
		CHECK_INT(ubl_write(d, &b, &err), GEN_OK);
		CHECK(a.len > 0 && a.len == b.len &&
		    memcmp(a.data, b.data, a.len) == 0);
		CHECK(a.len > 40 && strncmp(a.data, "<?xml version=\"1.0\" "
		    "encoding=\"UTF-8\"?>\n", 39) == 0);
		buf_free(&a);
		buf_free(&b);
		document_free(d);
	}
}

/* Write d, expect rc and a message fragment, and an empty buffer. */
static void
expect_fail(struct document *d, enum gen_rc want, const char *fragment)
{
	struct gen_err err = {0};
	struct buf b = {0};

	buf_puts(&b, "stale");
	CHECK_INT(ubl_write(d, &b, &err), want);
	CHECK_INT(err.rc, want);
	CHECK_MSG(err, fragment);
	CHECK_INT(b.len, 0);
	buf_free(&b);
	document_free(d);
}

static void
replace(char **field, const char *s)
{
	free(*field);
	*field = s != NULL ? xstrdup(s) : NULL;
}

static void
test_refusals(void)
{
	struct document *d;

	d = sample_lt_standard();
	d->kind = DOC_TRANSFER_ORDER;
	expect_fail(d, GEN_EINPUT, "kind: a payment order is not an invoice");

	d = sample_lt_standard();
	memcpy(d->currency, "BHD", 4);
	d->currency_digits = 3;
	expect_fail(d, GEN_EINPUT, "currency: BHD has 3 minor digits");

	d = sample_lt_standard();
	replace(&d->payer.name, "A\x01" "B");
	expect_fail(d, GEN_EINPUT, "payer.name: character U+0001 at byte 1");

	d = sample_lt_standard();
	replace(&d->seller.city, "Vil\xc2\x85nius");	/* C1 NEL */
	expect_fail(d, GEN_EINPUT, "seller.city: character U+0085");

	d = sample_lt_standard();
	replace(&d->payer.address_line1, "x\xef\xbf\xbe");	/* U+FFFE */
	expect_fail(d, GEN_EINPUT, "payer.address_line1: character U+FFFE");

	d = sample_lt_standard();
	replace(&d->lines[1].description, "bad \xc3\x28 utf8");
	expect_fail(d, GEN_EINPUT, "lines[1].description: invalid UTF-8 at "
	    "byte 4");

	d = sample_lt_standard();
	replace(&d->credit_reason, "\xc0\xaf");		/* overlong '/' */
	expect_fail(d, GEN_EINPUT, "credit_reason: invalid UTF-8");

	d = sample_lt_standard();
	replace(&d->customer_username, "\xed\xa0\x80");	/* surrogate */
	expect_fail(d, GEN_EINPUT, "customer_username: invalid UTF-8");

	d = sample_lt_standard();
	replace(&d->payer.name, " \t ");
	expect_fail(d, GEN_EINPUT, "payer.name: empty");

	d = sample_lt_standard();
	d->total_minor += 1;
	expect_fail(d, GEN_EINPUT, "BR-CO-15");

	d = sample_lt_standard();
	d->lines[0].net_minor += 1;	/* totals follow, the line does not */
	d->net_minor += 1;
	d->total_minor += 1;
	d->vats[0].taxable_minor += 1;
	expect_fail(d, GEN_EINPUT, "lines[0]: quantity 1 x unit price 12000");

	d = sample_lt_standard();
	d->vat_minor += 1;
	d->total_minor += 1;
	expect_fail(d, GEN_EINPUT, "BR-CO-14");

	d = sample_reverse_charge();
	replace(&d->payer.vat_number, NULL);
	expect_fail(d, GEN_EINPUT, "payer.vat_number: '' is not a VAT "
	    "identifier");

	d = sample_lt_standard();
	replace(&d->seller.vat_number, NULL);
	expect_fail(d, GEN_EINPUT, "seller.vat_number: the snapshot has no "
	    "seller VAT number");

	d = sample_lt_standard();
	memcpy(d->vats[0].vat_category, "Z", 2);
	memcpy(d->lines[0].vat_category, "Z", 2);
	expect_fail(d, GEN_EINPUT, "allowed: S, AE, O");

	d = sample_credit_full();
	replace(&d->corrects_number, NULL);
	expect_fail(d, GEN_EINPUT, "corrects_number: empty");

	d = sample_lt_standard();
	replace(&d->bank.iban, NULL);
	expect_fail(d, GEN_EINPUT, "bank.iban:");

	d = sample_lt_standard();
	memcpy(d->issue_date, "2025-02-30", CALDATE_LEN);
	expect_fail(d, GEN_EINPUT, "issue_date:");
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return samples_write(argv[2], "ubl", ubl_write);
	if (argc != 1) {
		fprintf(stderr, "usage: test-ubl [--write DIR]\n");
		return 2;
	}
	test_lt_standard();
	test_oss_usd();
	test_reverse_charge();
	test_outside_jpy();
	test_not_registered();
	test_credit_full();
	test_credit_partial();
	test_credit_reverse_charge();
	test_unpaid();
	test_hostile();
	test_deterministic();
	test_refusals();
	xmlCleanupParser();
	return test_report();
}
