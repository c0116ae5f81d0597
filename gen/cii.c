/*
 * cii.c - the UN/CEFACT CII D16B writer (Factur-X EN 16931 profile), with
 * libxml2's xmlTextWriter, from the EN 16931 reading of a snapshot that
 * ubl.c's ubl_facts_build makes (see ubl.h and cii.h).  Only serialises:
 * every decision about content is made there.  No database, no clock, no
 * printing.
 */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "cii.h"
#include "err.h"
#include "money.h"
#include "ubl.h"

#define NS_RSM	"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
#define NS_RAM	"urn:un:unece:uncefact:data:standard:" \
	"ReusableAggregateBusinessInformationEntity:100"
#define NS_UDT	"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
#define NS_QDT	"urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

/* xmlTextWriter with a sticky error, as in ubl.c. */
struct xw {
	xmlTextWriterPtr	 w;
	struct gen_err		*err;
	enum gen_rc		 rc;
	const struct ubl_facts	*f;
};

static void
xw_check(struct xw *x, int r, const char *what)
{
	if (r < 0 && x->rc == GEN_OK)
		x->rc = gen_err_set(x->err, GEN_EXML, "cii: libxml2 could not "
		    "write %s", what);
}

static void
start(struct xw *x, const char *name)
{
	if (x->rc == GEN_OK)
		xw_check(x, xmlTextWriterStartElement(x->w, BAD_CAST name),
		    name);
}

static void
end(struct xw *x)
{
	if (x->rc == GEN_OK)
		xw_check(x, xmlTextWriterEndElement(x->w), "an end tag");
}

static void
attr(struct xw *x, const char *name, const char *value)
{
	if (x->rc == GEN_OK)
		xw_check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
		    BAD_CAST value), name);
}

/* <name attrname="attrval">text</name>; nothing when text is NULL, no
 * attribute when attrval is NULL. */
static void
elem_attr(struct xw *x, const char *name, const char *attrname,
    const char *attrval, const char *text)
{
	if (text == NULL || x->rc != GEN_OK)
		return;
	start(x, name);
	if (attrval != NULL)
		attr(x, attrname, attrval);
	if (x->rc == GEN_OK)
		xw_check(x, xmlTextWriterWriteString(x->w, BAD_CAST text),
		    name);
	end(x);
}

static void
elem(struct xw *x, const char *name, const char *text)
{
	elem_attr(x, name, NULL, NULL, text);
}

/* Amounts carry no currency in CII, except the VAT totals (BT-110/111). */
static void
amount(struct xw *x, const char *name, int64_t minor)
{
	char s[48];

	ubl_amount(minor, x->f->digits, s, sizeof(s));
	elem(x, name, s);
}

static void
percent(struct xw *x, const char *name, int32_t bp)
{
	char s[24];

	money_format_rate(bp, s, sizeof(s));
	elem(x, name, s);
}

static void
integer(struct xw *x, const char *name, const char *attrname,
    const char *attrval, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	elem_attr(x, name, attrname, attrval, s);
}

/* <wrapper><inner format="102">YYYYMMDD</inner></wrapper> from an
 * already checked YYYY-MM-DD. */
static void
date102(struct xw *x, const char *wrapper, const char *inner,
    const char *ymd)
{
	char s[9];

	if (ymd == NULL)
		return;
	memcpy(s, ymd, 4);
	memcpy(s + 4, ymd + 5, 2);
	memcpy(s + 6, ymd + 8, 2);
	s[8] = '\0';
	start(x, wrapper);
	elem_attr(x, inner, "format", "102", s);
	end(x);
}

static void
party(struct xw *x, const char *elname, const struct ubl_party *p)
{
	start(x, elname);
	elem(x, "ram:Name", p->name);
	if (p->legal_id != NULL) {
		start(x, "ram:SpecifiedLegalOrganization");
		elem_attr(x, "ram:ID", "schemeID", p->legal_scheme,
		    p->legal_id);
		end(x);
	}
	if (p->email != NULL) {
		start(x, "ram:DefinedTradeContact");
		start(x, "ram:EmailURIUniversalCommunication");
		elem(x, "ram:URIID", p->email);
		end(x);
		end(x);
	}
	start(x, "ram:PostalTradeAddress");
	elem(x, "ram:PostcodeCode", p->postcode);
	elem(x, "ram:LineOne", p->street);
	elem(x, "ram:LineTwo", p->street2);
	elem(x, "ram:CityName", p->city);
	elem(x, "ram:CountryID", p->country);
	elem(x, "ram:CountrySubDivisionName", p->region);
	end(x);
	if (p->endpoint != NULL) {
		start(x, "ram:URIUniversalCommunication");
		elem_attr(x, "ram:URIID", "schemeID", p->endpoint_scheme,
		    p->endpoint);
		end(x);
	}
	if (p->vat_id != NULL) {
		start(x, "ram:SpecifiedTaxRegistration");
		elem_attr(x, "ram:ID", "schemeID", "VA", p->vat_id);
		end(x);
	}
	if (p->tax_reg_id != NULL) {
		start(x, "ram:SpecifiedTaxRegistration");
		elem_attr(x, "ram:ID", "schemeID", "FC", p->tax_reg_id);
		end(x);
	}
	end(x);
}

static void
line_xml(struct xw *x, const struct ubl_line *l)
{
	const struct ubl_facts *f = x->f;

	start(x, "ram:IncludedSupplyChainTradeLineItem");
	start(x, "ram:AssociatedDocumentLineDocument");
	integer(x, "ram:LineID", NULL, NULL, l->id);
	if (f->line_note != NULL) {
		start(x, "ram:IncludedNote");
		elem(x, "ram:Content", f->line_note);
		end(x);
	}
	end(x);
	start(x, "ram:SpecifiedTradeProduct");
	elem(x, "ram:SellerAssignedID", l->item_id);
	elem(x, "ram:Name", l->name);
	elem(x, "ram:Description", l->description);
	end(x);
	start(x, "ram:SpecifiedLineTradeAgreement");
	start(x, "ram:NetPriceProductTradePrice");
	amount(x, "ram:ChargeAmount", l->price);
	end(x);
	end(x);
	start(x, "ram:SpecifiedLineTradeDelivery");
	integer(x, "ram:BilledQuantity", "unitCode", "C62", l->quantity);
	end(x);
	start(x, "ram:SpecifiedLineTradeSettlement");
	start(x, "ram:ApplicableTradeTax");
	elem(x, "ram:TypeCode", "VAT");
	elem(x, "ram:CategoryCode", l->category);
	if (l->has_rate)
		percent(x, "ram:RateApplicablePercent", l->rate_bp);
	end(x);
	if (l->allowance != 0) {
		start(x, "ram:SpecifiedTradeAllowanceCharge");
		start(x, "ram:ChargeIndicator");
		elem(x, "udt:Indicator", "false");
		end(x);
		if (l->allowance_bp >= 0) {
			percent(x, "ram:CalculationPercent", l->allowance_bp);
			amount(x, "ram:BasisAmount", l->allowance_base);
		}
		amount(x, "ram:ActualAmount", l->allowance);
		elem(x, "ram:ReasonCode", "95");
		elem(x, "ram:Reason", "Discount");
		end(x);
	}
	start(x, "ram:SpecifiedTradeSettlementLineMonetarySummation");
	amount(x, "ram:LineTotalAmount", l->net);
	end(x);
	end(x);
	end(x);
}

static void
settlement(struct xw *x)
{
	const struct ubl_facts *f = x->f;
	char s[48];

	start(x, "ram:ApplicableHeaderTradeSettlement");
	elem(x, "ram:PaymentReference", f->payment_id);
	elem(x, "ram:TaxCurrencyCode", f->tax_currency);
	elem(x, "ram:InvoiceCurrencyCode", f->currency);
	if (f->pm_code != NULL) {
		start(x, "ram:SpecifiedTradeSettlementPaymentMeans");
		elem(x, "ram:TypeCode", f->pm_code);
		elem(x, "ram:Information", f->pm_text);
		if (f->iban != NULL) {
			start(x, "ram:PayeePartyCreditorFinancialAccount");
			elem(x, "ram:IBANID", f->iban);
			elem(x, "ram:AccountName", f->account_name);
			end(x);
		}
		if (f->iban != NULL && f->bic != NULL) {
			start(x,
			    "ram:PayeeSpecifiedCreditorFinancialInstitution");
			elem(x, "ram:BICID", f->bic);
			end(x);
		}
		end(x);
	}
	for (size_t i = 0; i < f->nvats; i++) {
		const struct ubl_vat *v = &f->vats[i];

		start(x, "ram:ApplicableTradeTax");
		amount(x, "ram:CalculatedAmount", v->vat);
		elem(x, "ram:TypeCode", "VAT");
		elem(x, "ram:ExemptionReason", v->exemption_reason);
		amount(x, "ram:BasisAmount", v->taxable);
		elem(x, "ram:CategoryCode", v->category);
		elem(x, "ram:ExemptionReasonCode", v->exemption_code);
		date102(x, "ram:TaxPointDate", "udt:DateString",
		    f->tax_point_date);
		if (v->has_rate)
			percent(x, "ram:RateApplicablePercent", v->rate_bp);
		end(x);
	}
	if (f->terms != NULL || f->due_date != NULL) {
		start(x, "ram:SpecifiedTradePaymentTerms");
		elem(x, "ram:Description", f->terms);
		date102(x, "ram:DueDateDateTime", "udt:DateTimeString",
		    f->due_date);
		end(x);
	}
	start(x, "ram:SpecifiedTradeSettlementHeaderMonetarySummation");
	amount(x, "ram:LineTotalAmount", f->line_total);
	amount(x, "ram:TaxBasisTotalAmount", f->tax_exclusive);
	ubl_amount(f->vat_total, f->digits, s, sizeof(s));
	elem_attr(x, "ram:TaxTotalAmount", "currencyID", f->currency, s);
	if (f->tax_currency != NULL) {
		ubl_amount(f->vat_accounting, 2, s, sizeof(s));
		elem_attr(x, "ram:TaxTotalAmount", "currencyID",
		    f->tax_currency, s);
	}
	amount(x, "ram:GrandTotalAmount", f->tax_inclusive);
	if (f->has_prepaid)
		amount(x, "ram:TotalPrepaidAmount", f->prepaid);
	amount(x, "ram:DuePayableAmount", f->payable);
	end(x);
	if (f->preceding_number != NULL) {
		start(x, "ram:InvoiceReferencedDocument");
		elem(x, "ram:IssuerAssignedID", f->preceding_number);
		date102(x, "ram:FormattedIssueDateTime", "qdt:DateTimeString",
		    f->preceding_date);
		end(x);
	}
	end(x);
}

/* The whole document, in the XSD's element order. */
static void
document_xml(struct xw *x)
{
	const struct ubl_facts *f = x->f;

	if (x->rc == GEN_OK)
		xw_check(x, xmlTextWriterStartDocument(x->w, NULL, "UTF-8",
		    NULL), "the XML declaration");
	start(x, "rsm:CrossIndustryInvoice");
	attr(x, "xmlns:rsm", NS_RSM);
	attr(x, "xmlns:ram", NS_RAM);
	attr(x, "xmlns:qdt", NS_QDT);
	attr(x, "xmlns:udt", NS_UDT);
	start(x, "rsm:ExchangedDocumentContext");
	start(x, "ram:GuidelineSpecifiedDocumentContextParameter");
	elem(x, "ram:ID", CII_GUIDELINE);
	end(x);
	end(x);
	start(x, "rsm:ExchangedDocument");
	elem(x, "ram:ID", f->number);
	elem(x, "ram:TypeCode", f->type_code);
	date102(x, "ram:IssueDateTime", "udt:DateTimeString", f->issue_date);
	if (f->note != NULL) {
		start(x, "ram:IncludedNote");
		elem(x, "ram:Content", f->note);
		end(x);
	}
	end(x);
	start(x, "rsm:SupplyChainTradeTransaction");
	for (size_t i = 0; i < f->nlines; i++)
		line_xml(x, &f->lines[i]);
	start(x, "ram:ApplicableHeaderTradeAgreement");
	party(x, "ram:SellerTradeParty", &f->seller);
	party(x, "ram:BuyerTradeParty", &f->buyer);
	if (f->order_ref != NULL) {
		start(x, "ram:BuyerOrderReferencedDocument");
		elem(x, "ram:IssuerAssignedID", f->order_ref);
		end(x);
	}
	end(x);
	start(x, "ram:ApplicableHeaderTradeDelivery");
	end(x);
	settlement(x);
	end(x);
	end(x);
	if (x->rc == GEN_OK)
		xw_check(x, xmlTextWriterEndDocument(x->w), "the document end");
}

enum gen_rc
cii_write(const struct document *d, struct buf *out, struct gen_err *err)
{
	struct ubl_facts f;
	struct xw x = {0};
	xmlBufferPtr xb = NULL;
	enum gen_rc rc;

	buf_reset(out);
	if ((rc = ubl_facts_build(d, &f, err)) != GEN_OK)
		goto done;
	xmlInitParser();
	x.err = err;
	x.f = &f;
	if ((xb = xmlBufferCreate()) == NULL ||
	    (x.w = xmlNewTextWriterMemory(xb, 0)) == NULL) {
		rc = gen_err_set(err, GEN_EXML, "cii: libxml2 could not create "
		    "a writer (out of memory)");
		goto done;
	}
	if (xmlTextWriterSetIndent(x.w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x.w, BAD_CAST "  ") < 0) {
		rc = gen_err_set(err, GEN_EXML, "cii: libxml2 could not set "
		    "indentation");
		goto done;
	}
	document_xml(&x);
	xmlFreeTextWriter(x.w);		/* flushes into xb */
	x.w = NULL;
	if ((rc = x.rc) != GEN_OK)
		goto done;
	buf_append(out, xmlBufferContent(xb), (size_t)xmlBufferLength(xb));
done:
	if (x.w != NULL)
		xmlFreeTextWriter(x.w);
	if (xb != NULL)
		xmlBufferFree(xb);
	if (rc != GEN_OK)
		buf_reset(out);
	ubl_facts_free(&f);
	return rc;
}
