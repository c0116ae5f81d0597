/*
 * ubl.c - the UBL 2.1 / Peppol BIS Billing 3.0 writer (ubl_write), with
 * libxml2's xmlTextWriter, from the EN 16931 reading of a snapshot that
 * en16931_build makes (see en16931.h for every decision and why).  Only
 * serialises.  The only file that turns a document into UBL; it reads
 * only the snapshot (no database, no clock) and never prints.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "en16931.h"
#include "err.h"
#include "ubl.h"
#include "xmlw.h"

/* The EN 16931 reading being written. */
#define F(x) ((const struct en16931 *)(x)->data)

#define NS_INVOICE	"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define NS_CREDITNOTE	"urn:oasis:names:specification:ubl:schema:xsd:" \
	"CreditNote-2"
#define NS_CAC		"urn:oasis:names:specification:ubl:schema:xsd:" \
	"CommonAggregateComponents-2"
#define NS_CBC		"urn:oasis:names:specification:ubl:schema:xsd:" \
	"CommonBasicComponents-2"

/* ------------------------------------------------------------------ */
/* The UBL writer                                                      */
/* ------------------------------------------------------------------ */

/* An amount in the document currency (or EUR for BT-111). */
static void
amount(struct xmlw *x, const char *name, int64_t minor, int digits,
    const char *currency)
{
	char s[48];

	en16931_amount(minor, digits, s, sizeof(s));
	xmlw_elem_attr(x, name, "currencyID", currency, s);
}

static void
doc_amount(struct xmlw *x, const char *name, int64_t minor)
{
	amount(x, name, minor, F(x)->digits, F(x)->currency);
}

static void
tax_scheme(struct xmlw *x, const char *id)
{
	xmlw_elem_in(x, "cac:TaxScheme", "cbc:ID", id);
}

/* A party's identifier id under tax scheme ("VAT", "TAX"), if it has one. */
static void
party_tax_scheme(struct xmlw *x, const char *id, const char *scheme)
{
	if (id == NULL)
		return;
	xmlw_start(x, "cac:PartyTaxScheme");
	xmlw_elem(x, "cbc:CompanyID", id);
	tax_scheme(x, scheme);
	xmlw_end(x);
}

static void
party(struct xmlw *x, const struct en16931_party *p, int seller)
{
	xmlw_start(x, "cac:Party");
	xmlw_elem_attr(x, "cbc:EndpointID", "schemeID", p->endpoint_scheme,
	    p->endpoint);
	xmlw_start(x, "cac:PostalAddress");
	xmlw_elem(x, "cbc:StreetName", p->street);
	xmlw_elem(x, "cbc:AdditionalStreetName", p->street2);
	xmlw_elem(x, "cbc:CityName", p->city);
	xmlw_elem(x, "cbc:PostalZone", p->postcode);
	xmlw_elem(x, "cbc:CountrySubentity", p->region);
	xmlw_start(x, "cac:Country");
	xmlw_elem(x, "cbc:IdentificationCode", p->country);
	xmlw_end(x);
	xmlw_end(x);
	party_tax_scheme(x, p->vat_id, "VAT");
	if (seller)
		party_tax_scheme(x, p->tax_reg_id, "TAX");
	xmlw_start(x, "cac:PartyLegalEntity");
	xmlw_elem(x, "cbc:RegistrationName", p->name);
	xmlw_elem_attr(x, "cbc:CompanyID", "schemeID", p->legal_scheme,
	    p->legal_id);
	xmlw_end(x);
	xmlw_elem_in(x, "cac:Contact", "cbc:ElectronicMail", p->email);
	xmlw_end(x);
}

static void
tax_category(struct xmlw *x, const char *elname, const char *cat, int has_rate,
    int32_t rate_bp, const char *code, const char *reason)
{
	xmlw_start(x, elname);
	xmlw_elem(x, "cbc:ID", cat);
	if (has_rate)
		xmlw_rate(x, "cbc:Percent", rate_bp);
	xmlw_elem(x, "cbc:TaxExemptionReasonCode", code);
	xmlw_elem(x, "cbc:TaxExemptionReason", reason);
	tax_scheme(x, "VAT");
	xmlw_end(x);
}

static void
payment_means(struct xmlw *x)
{
	const struct en16931 *f = F(x);

	if (f->pm_code == NULL)
		return;
	xmlw_start(x, "cac:PaymentMeans");
	xmlw_elem_attr(x, "cbc:PaymentMeansCode", "name", f->pm_text, f->pm_code);
	xmlw_elem(x, "cbc:PaymentID", f->payment_id);
	if (f->iban != NULL) {
		xmlw_start(x, "cac:PayeeFinancialAccount");
		xmlw_elem(x, "cbc:ID", f->iban);
		xmlw_elem(x, "cbc:Name", f->account_name);
		xmlw_elem_in(x, "cac:FinancialInstitutionBranch", "cbc:ID",
		    f->bic);
		xmlw_end(x);
	}
	xmlw_end(x);
}

static void
line_xml(struct xmlw *x, const struct en16931_line *l)
{
	const struct en16931 *f = F(x);

	xmlw_start(x, f->credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
	xmlw_int(x, "cbc:ID", NULL, NULL, l->id);
	xmlw_elem(x, "cbc:Note", f->line_note);
	xmlw_int(x, f->credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity",
	    "unitCode", "C62", l->quantity);
	doc_amount(x, "cbc:LineExtensionAmount", l->net);
	if (l->allowance != 0) {
		xmlw_start(x, "cac:AllowanceCharge");
		xmlw_elem(x, "cbc:ChargeIndicator", "false");
		xmlw_elem(x, "cbc:AllowanceChargeReasonCode", "95");
		xmlw_elem(x, "cbc:AllowanceChargeReason", "Discount");
		if (l->allowance_bp >= 0)
			xmlw_rate(x, "cbc:MultiplierFactorNumeric",
			    l->allowance_bp);
		doc_amount(x, "cbc:Amount", l->allowance);
		if (l->allowance_bp >= 0)
			doc_amount(x, "cbc:BaseAmount", l->allowance_base);
		xmlw_end(x);
	}
	xmlw_start(x, "cac:Item");
	xmlw_elem(x, "cbc:Description", l->description);
	xmlw_elem(x, "cbc:Name", l->name);
	xmlw_elem_in(x, "cac:SellersItemIdentification", "cbc:ID", l->item_id);
	tax_category(x, "cac:ClassifiedTaxCategory", l->category, l->has_rate,
	    l->rate_bp, NULL, NULL);
	xmlw_end(x);
	xmlw_start(x, "cac:Price");
	doc_amount(x, "cbc:PriceAmount", l->price);
	xmlw_end(x);
	xmlw_end(x);
}

/* The whole document, in the XSD's element order. */
static void
document_xml(struct xmlw *x)
{
	const struct en16931 *f = F(x);

	xmlw_start(x, f->credit ? "CreditNote" : "Invoice");
	xmlw_attr(x, "xmlns", f->credit ? NS_CREDITNOTE : NS_INVOICE);
	xmlw_attr(x, "xmlns:cac", NS_CAC);
	xmlw_attr(x, "xmlns:cbc", NS_CBC);
	xmlw_elem(x, "cbc:CustomizationID", f->customization);
	xmlw_elem(x, "cbc:ProfileID", f->profile);
	xmlw_elem(x, "cbc:ID", f->number);
	xmlw_elem(x, "cbc:IssueDate", f->issue_date);
	if (f->credit) {
		xmlw_elem(x, "cbc:TaxPointDate", f->tax_point_date);
		xmlw_elem(x, "cbc:CreditNoteTypeCode", f->type_code);
		xmlw_elem(x, "cbc:Note", f->note);
	} else {
		xmlw_elem(x, "cbc:DueDate", f->due_date);
		xmlw_elem(x, "cbc:InvoiceTypeCode", f->type_code);
		xmlw_elem(x, "cbc:Note", f->note);
		xmlw_elem(x, "cbc:TaxPointDate", f->tax_point_date);
	}
	xmlw_elem(x, "cbc:DocumentCurrencyCode", f->currency);
	xmlw_elem(x, "cbc:TaxCurrencyCode", f->tax_currency);
	xmlw_elem_in(x, "cac:OrderReference", "cbc:ID", f->order_ref);
	if (f->preceding_number != NULL) {
		xmlw_start(x, "cac:BillingReference");
		xmlw_start(x, "cac:InvoiceDocumentReference");
		xmlw_elem(x, "cbc:ID", f->preceding_number);
		xmlw_elem(x, "cbc:IssueDate", f->preceding_date);
		xmlw_end(x);
		xmlw_end(x);
	}
	xmlw_start(x, "cac:AccountingSupplierParty");
	party(x, &f->seller, 1);
	xmlw_end(x);
	xmlw_start(x, "cac:AccountingCustomerParty");
	party(x, &f->buyer, 0);
	xmlw_end(x);
	payment_means(x);
	xmlw_elem_in(x, "cac:PaymentTerms", "cbc:Note", f->terms);
	xmlw_start(x, "cac:TaxTotal");
	doc_amount(x, "cbc:TaxAmount", f->vat_total);
	for (size_t i = 0; i < f->nvats; i++) {
		const struct en16931_vat *v = &f->vats[i];

		xmlw_start(x, "cac:TaxSubtotal");
		doc_amount(x, "cbc:TaxableAmount", v->taxable);
		doc_amount(x, "cbc:TaxAmount", v->vat);
		tax_category(x, "cac:TaxCategory", v->category, v->has_rate,
		    v->rate_bp, v->exemption_code, v->exemption_reason);
		xmlw_end(x);
	}
	xmlw_end(x);
	if (f->tax_currency != NULL) {
		xmlw_start(x, "cac:TaxTotal");
		amount(x, "cbc:TaxAmount", f->vat_accounting, 2,
		    f->tax_currency);
		xmlw_end(x);
	}
	xmlw_start(x, "cac:LegalMonetaryTotal");
	doc_amount(x, "cbc:LineExtensionAmount", f->line_total);
	doc_amount(x, "cbc:TaxExclusiveAmount", f->tax_exclusive);
	doc_amount(x, "cbc:TaxInclusiveAmount", f->tax_inclusive);
	if (f->has_prepaid)
		doc_amount(x, "cbc:PrepaidAmount", f->prepaid);
	doc_amount(x, "cbc:PayableAmount", f->payable);
	xmlw_end(x);
	for (size_t i = 0; i < f->nlines; i++)
		line_xml(x, &f->lines[i]);
	xmlw_end(x);
}

enum gen_rc
ubl_write(const struct document *d, struct buf *out, struct gen_err *err)
{
	return en16931_write(d, "ubl", document_xml, out, err);
}
