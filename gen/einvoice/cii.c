/*
 * cii.c - the UN/CEFACT CII D16B writer (Factur-X EN 16931 profile), with
 * libxml2's xmlTextWriter, from the EN 16931 reading of a snapshot that
 * en16931_build makes (see en16931.h and cii.h).  Only serialises:
 * every decision about content is made there.  No database, no clock, no
 * printing.
 */
#include <string.h>

#include "cii.h"
#include "en16931.h"
#include "err.h"
#include "xmlw.h"

/* The EN 16931 reading being written (en16931_build made it). */
#define F(x) ((const struct en16931 *)(x)->data)

#define NS_RSM	"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
#define NS_RAM	"urn:un:unece:uncefact:data:standard:" \
	"ReusableAggregateBusinessInformationEntity:100"
#define NS_UDT	"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
#define NS_QDT	"urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

/* Amounts carry no currency in CII, except the VAT totals (BT-110/111). */
static void
amount(struct xmlw *x, const char *name, int64_t minor)
{
	char s[48];

	en16931_amount(minor, F(x)->digits, s, sizeof(s));
	xmlw_elem(x, name, s);
}

/* <wrapper><inner format="102">YYYYMMDD</inner></wrapper> from an
 * already checked YYYY-MM-DD. */
static void
date102(struct xmlw *x, const char *wrapper, const char *inner,
    const char *ymd)
{
	char s[9];

	if (ymd == NULL)
		return;
	memcpy(s, ymd, 4);
	memcpy(s + 4, ymd + 5, 2);
	memcpy(s + 6, ymd + 8, 2);
	s[8] = '\0';
	xmlw_start(x, wrapper);
	xmlw_elem_attr(x, inner, "format", "102", s);
	xmlw_end(x);
}

static void
party(struct xmlw *x, const char *elname, const struct en16931_party *p)
{
	xmlw_start(x, elname);
	xmlw_elem(x, "ram:Name", p->name);
	xmlw_elem_attr_in(x, "ram:SpecifiedLegalOrganization", "ram:ID",
	    "schemeID", p->legal_scheme, p->legal_id);
	if (p->email != NULL) {
		xmlw_start(x, "ram:DefinedTradeContact");
		xmlw_elem_in(x, "ram:EmailURIUniversalCommunication",
		    "ram:URIID", p->email);
		xmlw_end(x);
	}
	xmlw_start(x, "ram:PostalTradeAddress");
	xmlw_elem(x, "ram:PostcodeCode", p->postcode);
	xmlw_elem(x, "ram:LineOne", p->street);
	xmlw_elem(x, "ram:LineTwo", p->street2);
	xmlw_elem(x, "ram:CityName", p->city);
	xmlw_elem(x, "ram:CountryID", p->country);
	xmlw_elem(x, "ram:CountrySubDivisionName", p->region);
	xmlw_end(x);
	xmlw_elem_attr_in(x, "ram:URIUniversalCommunication", "ram:URIID",
	    "schemeID", p->endpoint_scheme, p->endpoint);
	xmlw_elem_attr_in(x, "ram:SpecifiedTaxRegistration", "ram:ID",
	    "schemeID", "VA", p->vat_id);
	xmlw_elem_attr_in(x, "ram:SpecifiedTaxRegistration", "ram:ID",
	    "schemeID", "FC", p->tax_reg_id);
	xmlw_end(x);
}

static void
line_xml(struct xmlw *x, const struct en16931_line *l)
{
	const struct en16931 *f = F(x);

	xmlw_start(x, "ram:IncludedSupplyChainTradeLineItem");
	xmlw_start(x, "ram:AssociatedDocumentLineDocument");
	xmlw_int(x, "ram:LineID", NULL, NULL, l->id);
	xmlw_elem_in(x, "ram:IncludedNote", "ram:Content", f->line_note);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedTradeProduct");
	xmlw_elem(x, "ram:SellerAssignedID", l->item_id);
	xmlw_elem(x, "ram:Name", l->name);
	xmlw_elem(x, "ram:Description", l->description);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedLineTradeAgreement");
	xmlw_start(x, "ram:NetPriceProductTradePrice");
	amount(x, "ram:ChargeAmount", l->price);
	xmlw_end(x);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedLineTradeDelivery");
	xmlw_int(x, "ram:BilledQuantity", "unitCode", "C62", l->quantity);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedLineTradeSettlement");
	xmlw_start(x, "ram:ApplicableTradeTax");
	xmlw_elem(x, "ram:TypeCode", "VAT");
	xmlw_elem(x, "ram:CategoryCode", l->category);
	if (l->has_rate)
		xmlw_rate(x, "ram:RateApplicablePercent", l->rate_bp);
	xmlw_end(x);
	if (l->allowance != 0) {
		xmlw_start(x, "ram:SpecifiedTradeAllowanceCharge");
		xmlw_elem_in(x, "ram:ChargeIndicator", "udt:Indicator",
		    "false");
		if (l->allowance_bp >= 0) {
			xmlw_rate(x, "ram:CalculationPercent", l->allowance_bp);
			amount(x, "ram:BasisAmount", l->allowance_base);
		}
		amount(x, "ram:ActualAmount", l->allowance);
		xmlw_elem(x, "ram:ReasonCode", "95");
		xmlw_elem(x, "ram:Reason", "Discount");
		xmlw_end(x);
	}
	xmlw_start(x, "ram:SpecifiedTradeSettlementLineMonetarySummation");
	amount(x, "ram:LineTotalAmount", l->net);
	xmlw_end(x);
	xmlw_end(x);
	xmlw_end(x);
}

static void
settlement(struct xmlw *x)
{
	const struct en16931 *f = F(x);
	char s[48];

	xmlw_start(x, "ram:ApplicableHeaderTradeSettlement");
	xmlw_elem(x, "ram:PaymentReference", f->payment_id);
	xmlw_elem(x, "ram:TaxCurrencyCode", f->tax_currency);
	xmlw_elem(x, "ram:InvoiceCurrencyCode", f->currency);
	if (f->pm_code != NULL) {
		xmlw_start(x, "ram:SpecifiedTradeSettlementPaymentMeans");
		xmlw_elem(x, "ram:TypeCode", f->pm_code);
		xmlw_elem(x, "ram:Information", f->pm_text);
		if (f->iban != NULL) {
			xmlw_start(x, "ram:PayeePartyCreditorFinancialAccount");
			xmlw_elem(x, "ram:IBANID", f->iban);
			xmlw_elem(x, "ram:AccountName", f->account_name);
			xmlw_end(x);
		}
		if (f->iban != NULL)
			xmlw_elem_in(x,
			    "ram:PayeeSpecifiedCreditorFinancialInstitution",
			    "ram:BICID", f->bic);
		xmlw_end(x);
	}
	for (size_t i = 0; i < f->nvats; i++) {
		const struct en16931_vat *v = &f->vats[i];

		xmlw_start(x, "ram:ApplicableTradeTax");
		amount(x, "ram:CalculatedAmount", v->vat);
		xmlw_elem(x, "ram:TypeCode", "VAT");
		xmlw_elem(x, "ram:ExemptionReason", v->exemption_reason);
		amount(x, "ram:BasisAmount", v->taxable);
		xmlw_elem(x, "ram:CategoryCode", v->category);
		xmlw_elem(x, "ram:ExemptionReasonCode", v->exemption_code);
		date102(x, "ram:TaxPointDate", "udt:DateString",
		    f->tax_point_date);
		if (v->has_rate)
			xmlw_rate(x, "ram:RateApplicablePercent", v->rate_bp);
		xmlw_end(x);
	}
	if (f->terms != NULL || f->due_date != NULL) {
		xmlw_start(x, "ram:SpecifiedTradePaymentTerms");
		xmlw_elem(x, "ram:Description", f->terms);
		date102(x, "ram:DueDateDateTime", "udt:DateTimeString",
		    f->due_date);
		xmlw_end(x);
	}
	xmlw_start(x, "ram:SpecifiedTradeSettlementHeaderMonetarySummation");
	amount(x, "ram:LineTotalAmount", f->line_total);
	amount(x, "ram:TaxBasisTotalAmount", f->tax_exclusive);
	en16931_amount(f->vat_total, f->digits, s, sizeof(s));
	xmlw_elem_attr(x, "ram:TaxTotalAmount", "currencyID", f->currency, s);
	if (f->tax_currency != NULL) {
		en16931_amount(f->vat_accounting, 2, s, sizeof(s));
		xmlw_elem_attr(x, "ram:TaxTotalAmount", "currencyID",
		    f->tax_currency, s);
	}
	amount(x, "ram:GrandTotalAmount", f->tax_inclusive);
	if (f->has_prepaid)
		amount(x, "ram:TotalPrepaidAmount", f->prepaid);
	amount(x, "ram:DuePayableAmount", f->payable);
	xmlw_end(x);
	if (f->preceding_number != NULL) {
		xmlw_start(x, "ram:InvoiceReferencedDocument");
		xmlw_elem(x, "ram:IssuerAssignedID", f->preceding_number);
		date102(x, "ram:FormattedIssueDateTime", "qdt:DateTimeString",
		    f->preceding_date);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/* The whole document, in the XSD's element order. */
static void
document_xml(struct xmlw *x)
{
	const struct en16931 *f = F(x);

	xmlw_start(x, "rsm:CrossIndustryInvoice");
	xmlw_attr(x, "xmlns:rsm", NS_RSM);
	xmlw_attr(x, "xmlns:ram", NS_RAM);
	xmlw_attr(x, "xmlns:qdt", NS_QDT);
	xmlw_attr(x, "xmlns:udt", NS_UDT);
	xmlw_start(x, "rsm:ExchangedDocumentContext");
	xmlw_elem_in(x, "ram:GuidelineSpecifiedDocumentContextParameter",
	    "ram:ID", CII_GUIDELINE);
	xmlw_end(x);
	xmlw_start(x, "rsm:ExchangedDocument");
	xmlw_elem(x, "ram:ID", f->number);
	xmlw_elem(x, "ram:TypeCode", f->type_code);
	date102(x, "ram:IssueDateTime", "udt:DateTimeString", f->issue_date);
	xmlw_elem_in(x, "ram:IncludedNote", "ram:Content", f->note);
	xmlw_end(x);
	xmlw_start(x, "rsm:SupplyChainTradeTransaction");
	for (size_t i = 0; i < f->nlines; i++)
		line_xml(x, &f->lines[i]);
	xmlw_start(x, "ram:ApplicableHeaderTradeAgreement");
	party(x, "ram:SellerTradeParty", &f->seller);
	party(x, "ram:BuyerTradeParty", &f->buyer);
	xmlw_elem_in(x, "ram:BuyerOrderReferencedDocument",
	    "ram:IssuerAssignedID", f->order_ref);
	xmlw_end(x);
	xmlw_start(x, "ram:ApplicableHeaderTradeDelivery");
	xmlw_end(x);
	settlement(x);
	xmlw_end(x);
	xmlw_end(x);
}

enum gen_rc
cii_write(const struct document *d, struct buf *out, struct gen_err *err)
{
	return en16931_write(d, "cii", document_xml, out, err);
}
