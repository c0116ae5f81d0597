/*
 * fuzz-xml.c - libFuzzer harness for the e-invoice writers (gen/einvoice/ubl.c,
 * gen/einvoice/cii.c): an issued snapshot (struct document) whose texts - names,
 * addresses, descriptions, numbers, reason, e-mail - are bytes of the
 * input, and whose amounts are consistent (computed with money.c as
 * issue.c does), is written as UBL and as CII.
 *
 * Input: byte 0 picks the VAT treatment (bits 0-2), credit note (bit 3),
 * paid (bit 4) and payment method (bits 5-7); byte 1 the currency (bits
 * 0-2) and the number of lines, 1..4 (bits 4-5); then 8 bytes per line
 * (quantity, unit price, discount, period, options); then the texts,
 * separated by NUL bytes, in the order of struct texts below.
 *
 * Invariants checked, for each writer:
 *   - the verdict is the one EN 16931 and en16931.h call for, decided here
 *     independently: a text XML 1.0 cannot carry (ill-formed UTF-8, C0
 *     controls but TAB LF CR, C1 controls, U+FFFE, U+FFFF) gives
 *     GEN_EINPUT; a blank mandatory text (seller or payer name, number,
 *     line description, corrected invoice of a credit note) or a
 *     3-decimal currency is refused; anything else is written (GEN_OK);
 *   - refused: a message, and out left empty;
 *   - written: libxml2 (XML_PARSE_NONET) finds the output well-formed
 *     and namespace-well-formed; the texts come back exactly as given
 *     (payer and seller names, number, line names), so markup in them
 *     was escaped and nothing was cut or altered; the tax-inclusive total
 *     is the snapshot's; writing the same snapshot again gives the same
 *     bytes.
 *
 * fuzz-options: -max_len=4096 -dict=tests/fuzz/xml.dict
 */
#include <inttypes.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "cii.h"
#include "err.h"
#include "fuzz.h"
#include "model.h"
#include "money.h"
#include "ubl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, silent);
	return 0;
}

/* The fuzzed texts, in input order. */
enum {
	T_PAYER_NAME, T_PAYER_LINE1, T_PAYER_LINE2, T_PAYER_CITY,
	T_PAYER_POSTCODE, T_PAYER_REGION, T_PAYER_EMAIL, T_PAYER_CODE,
	T_SELLER_NAME, T_NUMBER, T_ORDER_NO, T_USERNAME, T_REASON,
	T_REFERENCE, T_BENEFICIARY, T_CORRECTS, T_DESC0, T_NTEXTS = T_DESC0 + 4
};

/* 1 if XML 1.0 can carry s, as en16931.h defines it (NULL: absent, fine). */
static int
xml_text_ok(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n, k;
	uint32_t c;

	if (s == NULL)
		return 1;
	n = strlen(s);
	for (size_t i = 0; i < n; i += k) {
		k = fuzz_utf8_next(p, n, i, &c);
		if (c == UINT32_MAX || (c < 0x20 && c != '\t' && c != '\n' &&
		    c != '\r') || (c >= 0x7F && c <= 0x9F) || c == 0xFFFE ||
		    c == 0xFFFF)
			return 0;
	}
	return 1;
}

/* 1 if s is absent or only spaces, tabs and line breaks. */
static int
blank(const char *s)
{
	return s == NULL || s[strspn(s, " \t\r\n")] == '\0';
}

struct treatment {
	enum tax_treatment t;
	const char *category, *country;
	int32_t rate;
	int seller_vat;
};

static const struct treatment treatments[] = {
	{ TAX_LT_STANDARD, "S", "LT", 2100, 1 },
	{ TAX_OSS_DESTINATION, "S", "DE", 1900, 1 },
	{ TAX_OSS_DESTINATION, "S", "FI", 2550, 1 },
	{ TAX_REVERSE_CHARGE, "AE", "DE", 0, 1 },
	{ TAX_OUTSIDE_SCOPE, "O", "JP", 0, 1 },
	{ TAX_OUTSIDE_SCOPE, "O", "US", 0, 1 },
	{ TAX_NOT_VAT_REGISTERED, "O", "LT", 0, 0 },
	{ TAX_NOT_VAT_REGISTERED, "O", "FR", 0, 0 },
};

struct currency {
	const char *code;
	int digits;
	const char *fx;		/* ECB units per EUR, NULL: no EUR VAT */
};

static const struct currency currencies[] = {
	{ "EUR", 2, NULL }, { "USD", 2, "1.1404" }, { "JPY", 0, "161.54" },
	{ "GBP", 2, "0.8613" }, { "KWD", 3, "0.3521" }, { "ILS", 2, NULL },
	{ "EUR", 2, NULL }, { "HUF", 2, "395.1" },
};

static const char *const methods[] = { "card", "paypal", "crypto",
	"bank_transfer", "balance", "card", "bank_transfer", "paypal" };

/* Take ownership of s (NULL allowed). */
static char *
own(char **texts, int i)
{
	char *s = texts[i];

	texts[i] = NULL;
	return s;
}

/* Build the snapshot; *bad_text and *refuse say what the verdict must
 * be.  texts[] are consumed. */
static struct document *
build(struct fuzz_in *in, char **texts, int *bad_text, int *refuse)
{
	struct document *d = xcalloc(1, sizeof(*d));
	uint8_t b0 = fuzz_byte(in), b1 = fuzz_byte(in);
	const struct treatment *tr = &treatments[b0 & 7];
	const struct currency *cur = &currencies[b1 & 7];
	int credit = (b0 >> 3) & 1, sign = credit ? -1 : 1;
	size_t nlines = 1 + ((b1 >> 4) & 3);
	int64_t net = 0, vat;

	d->kind = credit ? DOC_CREDIT_NOTE : DOC_INVOICE;
	memcpy(d->issue_date, "2025-09-01", 11);
	memcpy(d->tax_point_date, (b0 & 16) ? "2025-08-31" : "2025-09-01",
	    11);
	memcpy(d->currency, cur->code, 4);
	d->currency_digits = cur->digits;
	d->language = xstrdup("en");
	d->treatment = tr->t;
	memcpy(d->vat_category, tr->category, strlen(tr->category) + 1);
	d->vat_rate_bp = tr->rate;
	memcpy(d->vat_country, tr->country, 3);
	memcpy(d->location_country, tr->country, 3);
	d->payment_method = xstrdup(methods[(b0 >> 5) & 7]);
	if ((b0 & 16) && !credit)
		d->paid_at = xstrdup("2025-08-31T21:30:00Z");
	if (strcmp(d->payment_method, "bank_transfer") == 0 && !(b0 & 16))
		memcpy(d->due_date, "2025-09-08", 11);

	d->seller.address_line1 = xstrdup("V. Nagevi\xc4\x8diaus g. 3");
	d->seller.city = xstrdup("Vilnius");
	d->seller.postal_code = xstrdup("08237");
	memcpy(d->seller.country, "LT", 3);
	d->seller.company_code = xstrdup("305133662");
	if (tr->seller_vat)
		d->seller.vat_number = xstrdup("LT100018548216");
	d->seller.email = xstrdup("billing@example.com");
	d->bank.iban = xstrdup("LT121000011101001000");
	d->bank.bic = xstrdup("TESTLT22");
	memcpy(d->payer.country, tr->country, 3);
	if (tr->t == TAX_REVERSE_CHARGE)
		d->payer.vat_number = xstrdup("DE136695976");
	else if (tr->t == TAX_LT_STANDARD)
		d->payer.vat_number = xstrdup("LT100001919017");
	d->customer_telegram_id = 123456789;

	for (size_t i = 0; i < nlines; i++) {
		struct doc_line l;
		uint8_t opt;

		memset(&l, 0, sizeof(l));
		l.line_no = (int)i + 1;
		l.quantity = 1 + (int64_t)fuzz_uint(in, 2);
		l.unit_price_minor = (int64_t)fuzz_uint(in, 3);
		l.discount_bp = (int64_t)(fuzz_uint(in, 2) % 10001);
		l.period_months = fuzz_byte(in) % 121;
		opt = fuzz_byte(in);
		l.options.sip_accounts = opt & 3;
		l.options.recording_days = (opt >> 2) & 7;
		l.options.gateway_lines = opt >> 5;
		if (money_line(l.quantity, l.unit_price_minor, l.discount_bp,
		    &l.gross_minor, &l.discount_minor, &l.net_minor, NULL) !=
		    GEN_OK)
			abort();
		l.quantity *= sign;
		l.gross_minor *= sign;
		l.discount_minor *= sign;
		l.net_minor *= sign;
		net += l.net_minor;
		memcpy(l.vat_category, tr->category, strlen(tr->category) + 1);
		l.vat_rate_bp = tr->rate;
		l.item = xstrdup(i == 0 ? "softphone" : "option");
		d->lines = xrealloc(d->lines, (i + 1) * sizeof(*d->lines));
		d->lines[i] = l;
		d->nlines = i + 1;
	}
	/* VAT on the absolute net, negated for a credit note (as issue.c). */
	if (money_vat(net * sign, tr->rate, &vat, NULL) != GEN_OK)
		abort();
	vat *= sign;
	d->net_minor = net;
	d->vat_minor = vat;
	d->total_minor = net + vat;
	d->vats = xcalloc(1, sizeof(*d->vats));
	d->nvats = 1;
	memcpy(d->vats[0].vat_category, tr->category, strlen(tr->category) +
	    1);
	d->vats[0].vat_rate_bp = tr->rate;
	d->vats[0].taxable_minor = net;
	d->vats[0].vat_minor = vat;
	if (cur->fx != NULL && tr->rate != 0) {
		int64_t te, ve;

		if (money_to_eur_cents(net * sign, cur->digits, cur->fx, &te,
		    NULL) != GEN_OK || money_to_eur_cents(vat * sign,
		    cur->digits, cur->fx, &ve, NULL) != GEN_OK)
			abort();
		d->fx_units_per_eur = xstrdup(cur->fx);
		memcpy(d->fx_rate_date, "2025-08-29", 11);
		d->vats[0].has_eur = 1;
		d->vats[0].taxable_eur_minor = te * sign;
		d->vats[0].vat_eur_minor = ve * sign;
		d->has_vat_eur = 1;
		d->vat_eur_minor = ve * sign;
	}

	/* The texts. */
	for (int i = 0; i < T_NTEXTS; i++)
		texts[i] = fuzz_str(in);
	*bad_text = 0;
	for (int i = 0; i < T_NTEXTS; i++)
		if (!xml_text_ok(texts[i]) && (i < T_DESC0 + (int)nlines) &&
		    (i != T_CORRECTS || credit) && (i != T_REASON || credit))
			*bad_text = 1;
	*refuse = cur->digits > 2 || blank(texts[T_PAYER_NAME]) ||
	    blank(texts[T_SELLER_NAME]) || blank(texts[T_NUMBER]) ||
	    (credit && blank(texts[T_CORRECTS]));
	for (size_t i = 0; i < nlines; i++)
		*refuse |= blank(texts[T_DESC0 + i]);

	d->payer.name = own(texts, T_PAYER_NAME);
	d->payer.address_line1 = own(texts, T_PAYER_LINE1);
	d->payer.address_line2 = own(texts, T_PAYER_LINE2);
	d->payer.city = own(texts, T_PAYER_CITY);
	d->payer.postal_code = own(texts, T_PAYER_POSTCODE);
	d->payer.region = own(texts, T_PAYER_REGION);
	d->payer.email = own(texts, T_PAYER_EMAIL);
	d->payer.company_code = own(texts, T_PAYER_CODE);
	d->seller.name = own(texts, T_SELLER_NAME);
	d->number = own(texts, T_NUMBER);
	d->order_no = own(texts, T_ORDER_NO);
	d->customer_username = own(texts, T_USERNAME);
	d->payment_reference = own(texts, T_REFERENCE);
	d->bank.beneficiary = own(texts, T_BENEFICIARY);
	if (credit) {
		d->credit_reason = own(texts, T_REASON);
		d->corrects_number = own(texts, T_CORRECTS);
		memcpy(d->corrects_issue_date, "2025-08-14", 11);
	}
	for (size_t i = 0; i < nlines; i++)
		d->lines[i].description = own(texts, T_DESC0 + (int)i);
	return d;
}

/* string(expr) in the parsed document; owned. */
static char *
xpath_string(xmlXPathContextPtr ctx, const char *expr)
{
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s;

	FUZZ_CHECK(r != NULL && r->type == XPATH_STRING, "XPath %s", expr);
	s = xstrdup((const char *)r->stringval);
	xmlXPathFreeObject(r);
	return s;
}

static void
same_text(xmlXPathContextPtr ctx, const char *expr, const char *want,
    const char *what)
{
	char *got = xpath_string(ctx, expr);

	FUZZ_CHECK(strcmp(got, want) == 0, "%s: %s gives '%s', the snapshot "
	    "has '%s'", what, expr, got, want);
	free(got);
}

#define L(name) "*[local-name()='" name "']"

/* Parse the output, require well-formedness, compare texts. */
static void
check_output(const struct buf *b, const struct document *d, int cii,
    const char *what)
{
	xmlParserCtxtPtr pc = xmlNewParserCtxt();
	xmlXPathContextPtr ctx;
	xmlDocPtr doc;
	char total[48], expr[256];

	FUZZ_CHECK(pc != NULL, "xmlNewParserCtxt");
	doc = xmlCtxtReadMemory(pc, b->data, (int)b->len, "out.xml", "UTF-8",
	    XML_PARSE_NONET);
	FUZZ_CHECK(doc != NULL && pc->wellFormed && pc->nsWellFormed,
	    "%s output is not well-formed XML:\n%.*s", what, (int)b->len,
	    b->data);
	ctx = xmlXPathNewContext(doc);
	FUZZ_CHECK(ctx != NULL, "xmlXPathNewContext");
	money_format(d->total_minor < 0 ? -d->total_minor : d->total_minor,
	    d->currency_digits, total, sizeof(total));
	if (!cii) {
		same_text(ctx, "string(//" L("AccountingCustomerParty") "//"
		    L("PartyLegalEntity") "/" L("RegistrationName") ")",
		    d->payer.name, what);
		same_text(ctx, "string(//" L("AccountingSupplierParty") "//"
		    L("PartyLegalEntity") "/" L("RegistrationName") ")",
		    d->seller.name, what);
		same_text(ctx, "string(/*/" L("ID") ")", d->number, what);
		same_text(ctx, "string(/*/" L("LegalMonetaryTotal") "/"
		    L("TaxInclusiveAmount") ")", total, what);
		for (size_t i = 0; i < d->nlines; i++) {
			snprintf(expr, sizeof(expr), "string(/*/*[local-name()"
			    "='InvoiceLine' or local-name()='CreditNoteLine']"
			    "[%zu]/" L("Item") "/" L("Name") ")", i + 1);
			same_text(ctx, expr, d->lines[i].description, what);
		}
	} else {
		same_text(ctx, "string(//" L("BuyerTradeParty") "/" L("Name")
		    ")", d->payer.name, what);
		same_text(ctx, "string(//" L("SellerTradeParty") "/"
		    L("Name") ")", d->seller.name, what);
		same_text(ctx, "string(/*/" L("ExchangedDocument") "/" L("ID")
		    ")", d->number, what);
		same_text(ctx, "string(//" L("GrandTotalAmount") ")", total,
		    what);
		for (size_t i = 0; i < d->nlines; i++) {
			snprintf(expr, sizeof(expr), "string(//"
			    L("IncludedSupplyChainTradeLineItem") "[%zu]/"
			    L("SpecifiedTradeProduct") "/" L("Name") ")", i + 1);
			same_text(ctx, expr, d->lines[i].description, what);
		}
	}
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(pc);
}

typedef enum gen_rc (*writer)(const struct document *, struct buf *,
    struct gen_err *);

static void
one_writer(writer wr, const struct document *d, int bad_text, int refuse,
    int cii)
{
	const char *what = cii ? "CII" : "UBL";
	struct buf b = {0}, again = {0};
	struct gen_err err = {0};
	enum gen_rc rc;

	buf_puts(&b, "junk");
	rc = wr(d, &b, &err);
	if (bad_text)
		FUZZ_CHECK(rc == GEN_EINPUT, "%s: text XML cannot carry gave rc "
		    "%d (%s)", what, rc, err.msg);
	else if (refuse)
		FUZZ_CHECK(rc != GEN_OK, "%s: blank mandatory text or 3-digit "
		    "currency written", what);
	else
		FUZZ_CHECK(rc == GEN_OK, "%s refused a valid snapshot: %d %s",
		    what, rc, err.msg);
	if (rc != GEN_OK) {
		FUZZ_CHECK(err.msg[0] != '\0' && b.len == 0, "%s: refused "
		    "with message '%s' and %zu bytes out", what, err.msg,
		    b.len);
		buf_free(&b);
		return;
	}
	check_output(&b, d, cii, what);
	FUZZ_CHECK(wr(d, &again, &err) == GEN_OK && again.len == b.len &&
	    memcmp(again.data, b.data, b.len) == 0, "%s: same snapshot, "
	    "different bytes", what);
	buf_free(&b);
	buf_free(&again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	char *texts[T_NTEXTS] = {0};
	struct document *d;
	int bad_text, refuse;

	d = build(&in, texts, &bad_text, &refuse);
	one_writer(ubl_write, d, bad_text, refuse, 0);
	one_writer(cii_write, d, bad_text, refuse, 1);
	for (int i = 0; i < T_NTEXTS; i++)
		free(texts[i]);
	document_free(d);
	return 0;
}
