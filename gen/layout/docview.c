/*
 * docview.c - the display values of an issued document (see docview.h):
 * the table of names a template may bind to, and the one function that
 * formats a snapshot into them through i18n.
 *
 * Exports the docview_* functions of docview.h.  Must not do I/O, read
 * the clock or anything but the snapshot, or format money with floating
 * point: every amount goes through i18n_format_amount() with the
 * document's stored currency digits.  Payment orders also get the bank
 * account, the RF reference in groups of four and the QR payload
 * (epcqr.c for EUR, plain text otherwise; templates/README.md).
 *
 * Layout of this file: the name table (an X-macro, so the enum of ids and
 * the table of names cannot drift apart); lookup; the per-language texts
 * (built once per language of a bilingual document); the language-neutral
 * values; rows; the public functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldate.h"
#include "docview.h"
#include "epcqr.h"
#include "err.h"
#include "iban.h"
#include "money.h"
#include "rfref.h"

/*
 * X(id, "name", scope, flag).  Adding a name: add a line here, fill it in
 * lang_text() or fill_doc()/fill_line()/fill_vat(), document it in
 * templates/README.md.
 */
#define DV_NAMES(X) \
	X(DOC_TITLE,		"doc.title",		DOCVIEW_DOC, 0) \
	X(DOC_NUMBER,		"doc.number",		DOCVIEW_DOC, 0) \
	X(DOC_SERIES,		"doc.series",		DOCVIEW_DOC, 0) \
	X(DOC_ORDER_NO,		"doc.order_no",		DOCVIEW_DOC, 0) \
	X(DOC_ISSUE_DATE,	"doc.issue_date",	DOCVIEW_DOC, 0) \
	X(DOC_TAX_POINT_DATE,	"doc.tax_point_date",	DOCVIEW_DOC, 0) \
	X(DOC_DUE_DATE,		"doc.due_date",		DOCVIEW_DOC, 0) \
	X(DOC_CURRENCY,		"doc.currency",		DOCVIEW_DOC, 0) \
	X(DOC_CORRECTS_NUMBER,	"doc.corrects_number",	DOCVIEW_DOC, 0) \
	X(DOC_CORRECTS_DATE,	"doc.corrects_date",	DOCVIEW_DOC, 0) \
	X(DOC_CORRECTS_TEXT,	"doc.corrects_text",	DOCVIEW_DOC, 0) \
	X(DOC_CORRECTS_TITLE,	"doc.corrects_title",	DOCVIEW_DOC, 0) \
	X(DOC_CREDIT_REASON,	"doc.credit_reason",	DOCVIEW_DOC, 0) \
	X(DOC_CREDIT_REASON_TEXT, "doc.credit_reason_text", DOCVIEW_DOC, 0) \
	X(SELLER_NAME,		"seller.name",		DOCVIEW_DOC, 0) \
	X(SELLER_ADDRESS,	"seller.address",	DOCVIEW_DOC, 0) \
	X(SELLER_ADDRESS_LINE,	"seller.address_line",	DOCVIEW_DOC, 0) \
	X(SELLER_COUNTRY,	"seller.country",	DOCVIEW_DOC, 0) \
	X(SELLER_VAT_NUMBER,	"seller.vat_number",	DOCVIEW_DOC, 0) \
	X(SELLER_COMPANY_CODE,	"seller.company_code",	DOCVIEW_DOC, 0) \
	X(SELLER_EMAIL,		"seller.email",		DOCVIEW_DOC, 0) \
	X(SELLER_WEBSITE,	"seller.website",	DOCVIEW_DOC, 0) \
	X(SELLER_IDENTITY,	"seller.identity",	DOCVIEW_DOC, 0) \
	X(PAYER_NAME,		"payer.name",		DOCVIEW_DOC, 0) \
	X(PAYER_ADDRESS,	"payer.address",	DOCVIEW_DOC, 0) \
	X(PAYER_COUNTRY,	"payer.country",	DOCVIEW_DOC, 0) \
	X(PAYER_VAT_NUMBER,	"payer.vat_number",	DOCVIEW_DOC, 0) \
	X(PAYER_COMPANY_CODE,	"payer.company_code",	DOCVIEW_DOC, 0) \
	X(PAYER_EMAIL,		"payer.email",		DOCVIEW_DOC, 0) \
	X(CUSTOMER_ACCOUNT,	"customer.account",	DOCVIEW_DOC, 0) \
	X(CUSTOMER_TEXT,	"customer.text",	DOCVIEW_DOC, 0) \
	X(CUSTOMER_ALL_LINES,	"customer.all_lines",	DOCVIEW_DOC, 0) \
	X(TOTALS_NET,		"totals.net",		DOCVIEW_DOC, 0) \
	X(TOTALS_VAT,		"totals.vat",		DOCVIEW_DOC, 0) \
	X(TOTALS_TOTAL,		"totals.total",		DOCVIEW_DOC, 0) \
	X(TAX_RATE,		"tax.rate",		DOCVIEW_DOC, 0) \
	X(TAX_COUNTRY,		"tax.country",		DOCVIEW_DOC, 0) \
	X(TAX_TERRITORY,	"tax.territory",	DOCVIEW_DOC, 0) \
	X(VAT_EUR_AMOUNT,	"vat_eur.amount",	DOCVIEW_DOC, 0) \
	X(FX_RATE,		"fx.rate",		DOCVIEW_DOC, 0) \
	X(FX_RATE_TEXT,		"fx.rate_text",		DOCVIEW_DOC, 0) \
	X(FX_RATE_DATE,		"fx.rate_date",		DOCVIEW_DOC, 0) \
	X(FX_SOURCE,		"fx.source",		DOCVIEW_DOC, 0) \
	X(PAYMENT_METHOD,	"payment.method",	DOCVIEW_DOC, 0) \
	X(PAYMENT_PAID_DATE,	"payment.paid_date",	DOCVIEW_DOC, 0) \
	X(PAYMENT_PAID_TEXT,	"payment.paid_text",	DOCVIEW_DOC, 0) \
	X(PAYMENT_REFERENCE,	"payment.reference",	DOCVIEW_DOC, 0) \
	X(PAYMENT_BENEFICIARY,	"payment.beneficiary",	DOCVIEW_DOC, 0) \
	X(PAYMENT_IBAN,		"payment.iban",		DOCVIEW_DOC, 0) \
	X(PAYMENT_BIC,		"payment.bic",		DOCVIEW_DOC, 0) \
	X(PAYMENT_BANK_NAME,	"payment.bank_name",	DOCVIEW_DOC, 0) \
	X(PAYMENT_BANK_ADDRESS,	"payment.bank_address",	DOCVIEW_DOC, 0) \
	X(PAYMENT_AMOUNT,	"payment.amount",	DOCVIEW_DOC, 0) \
	X(PAYMENT_DUE_TEXT,	"payment.due_text",	DOCVIEW_DOC, 0) \
	X(PAYMENT_QR,		"payment.qr",		DOCVIEW_DOC, 0) \
	X(NOTE_REVERSE_CHARGE,	"note.reverse_charge",	DOCVIEW_DOC, 0) \
	X(NOTE_OUTSIDE_SCOPE,	"note.outside_scope",	DOCVIEW_DOC, 0) \
	X(NOTE_NOT_VAT_PAYER,	"note.not_vat_payer",	DOCVIEW_DOC, 0) \
	X(NOTE_OSS,		"note.oss",		DOCVIEW_DOC, 0) \
	X(NOTE_VAT_EUR,		"note.vat_eur",		DOCVIEW_DOC, 0) \
	X(NOTE_ELECTRONIC,	"note.electronic",	DOCVIEW_DOC, 0) \
	X(NOTE_NOT_VAT_INVOICE,	"note.not_vat_invoice",	DOCVIEW_DOC, 0) \
	X(NOTE_INVOICE_AFTER_PAYMENT, "note.invoice_after_payment", \
	    DOCVIEW_DOC, 0) \
	X(NOTE_EPC_EURO_ONLY,	"note.epc_euro_only",	DOCVIEW_DOC, 0) \
	X(NOTE_PREPAID,		"note.prepaid",		DOCVIEW_DOC, 0) \
	X(NOTE_BALANCE_CREDIT,	"note.balance_credit",	DOCVIEW_DOC, 0) \
	X(NOTE_CREDIT_TO,	"note.credit_to",	DOCVIEW_DOC, 0) \
	X(BALANCE_DRAWS,	"balance.draws",	DOCVIEW_DOC, 0) \
	X(F_IS_INVOICE,		"is_invoice",		DOCVIEW_DOC, 1) \
	X(F_IS_CREDIT_NOTE,	"is_credit_note",	DOCVIEW_DOC, 1) \
	X(F_IS_BILINGUAL,	"is_bilingual",		DOCVIEW_DOC, 1) \
	X(F_SELLER_HAS_VAT,	"seller_has_vat",	DOCVIEW_DOC, 1) \
	X(F_PAYER_HAS_VAT,	"payer_has_vat",	DOCVIEW_DOC, 1) \
	X(F_VAT_CHARGED,	"vat_charged",		DOCVIEW_DOC, 1) \
	X(F_HAS_VAT_EUR,	"has_vat_eur",		DOCVIEW_DOC, 1) \
	X(F_HAS_TAX_POINT_DATE,	"has_tax_point_date",	DOCVIEW_DOC, 1) \
	X(F_IS_PAID,		"is_paid",		DOCVIEW_DOC, 1) \
	X(F_HAS_DISCOUNT,	"has_discount",		DOCVIEW_DOC, 1) \
	X(F_HAS_CUSTOMER,	"has_customer",		DOCVIEW_DOC, 1) \
	X(F_HAS_CORRECTS,	"has_corrects",		DOCVIEW_DOC, 1) \
	X(F_IS_FOREIGN_CURRENCY, "is_foreign_currency",	DOCVIEW_DOC, 1) \
	X(F_IS_TRANSFER_ORDER,	"is_transfer_order",	DOCVIEW_DOC, 1) \
	X(F_IS_EUR,		"is_eur",		DOCVIEW_DOC, 1) \
	X(F_HAS_BIC,		"has_bic",		DOCVIEW_DOC, 1) \
	X(F_HAS_LOGO,		"has_logo",		DOCVIEW_DOC, 1) \
	X(F_T_NOT_VAT_REGISTERED, "treatment.NOT_VAT_REGISTERED", \
	    DOCVIEW_DOC, 1) \
	X(F_T_LT_STANDARD,	"treatment.LT_STANDARD", DOCVIEW_DOC, 1) \
	X(F_T_OSS_DESTINATION,	"treatment.OSS_DESTINATION", DOCVIEW_DOC, 1) \
	X(F_T_REVERSE_CHARGE,	"treatment.REVERSE_CHARGE", DOCVIEW_DOC, 1) \
	X(F_T_OUTSIDE_SCOPE,	"treatment.OUTSIDE_SCOPE", DOCVIEW_DOC, 1) \
	X(F_IS_PREPAID_DOCUMENT, "is_prepaid_document",	DOCVIEW_DOC, 1) \
	X(F_HAS_PAYMENT_DETAILS, "has_payment_details",	DOCVIEW_DOC, 1) \
	X(LINE_NO,		"line.no",		DOCVIEW_LINE, 0) \
	X(LINE_DESCRIPTION,	"line.description",	DOCVIEW_LINE, 0) \
	X(LINE_DETAILS,		"line.details",		DOCVIEW_LINE, 0) \
	X(LINE_PLAN,		"line.plan",		DOCVIEW_LINE, 0) \
	X(LINE_PERIOD,		"line.period",		DOCVIEW_LINE, 0) \
	X(LINE_OPTIONS,		"line.options",		DOCVIEW_LINE, 0) \
	X(LINE_CUSTOMER,	"line.customer",	DOCVIEW_LINE, 0) \
	X(LINE_QTY,		"line.qty",		DOCVIEW_LINE, 0) \
	X(LINE_UNIT_PRICE,	"line.unit_price",	DOCVIEW_LINE, 0) \
	X(LINE_GROSS,		"line.gross",		DOCVIEW_LINE, 0) \
	X(LINE_DISCOUNT,	"line.discount",	DOCVIEW_LINE, 0) \
	X(LINE_DISCOUNT_PERCENT, "line.discount_percent", DOCVIEW_LINE, 0) \
	X(LINE_DISCOUNT_AMOUNT,	"line.discount_amount",	DOCVIEW_LINE, 0) \
	X(LINE_NET,		"line.net",		DOCVIEW_LINE, 0) \
	X(LINE_RATE,		"line.rate",		DOCVIEW_LINE, 0) \
	X(LINE_CATEGORY,	"line.category",	DOCVIEW_LINE, 0) \
	X(LINE_SERVICE_PERIOD,	"line.service_period",	DOCVIEW_LINE, 0) \
	X(F_LINE_HAS_DISCOUNT,	"line.has_discount",	DOCVIEW_LINE, 1) \
	X(VAT_CATEGORY,		"vat.category",		DOCVIEW_VAT, 0) \
	X(VAT_RATE,		"vat.rate",		DOCVIEW_VAT, 0) \
	X(VAT_LABEL,		"vat.label",		DOCVIEW_VAT, 0) \
	X(VAT_TAXABLE,		"vat.taxable",		DOCVIEW_VAT, 0) \
	X(VAT_AMOUNT,		"vat.amount",		DOCVIEW_VAT, 0) \
	X(VAT_TAXABLE_EUR,	"vat.taxable_eur",	DOCVIEW_VAT, 0) \
	X(VAT_AMOUNT_EUR,	"vat.amount_eur",	DOCVIEW_VAT, 0) \
	X(F_VAT_HAS_EUR,	"vat.has_eur",		DOCVIEW_VAT, 1)

enum dv_id {
#define X(id, name, scope, flag) DV_##id,
	DV_NAMES(X)
#undef X
	DV_COUNT
};

static const struct dv_name {
	const char *name;
	enum docview_scope scope;
	int flag;
} dv_names[DV_COUNT] = {
#define X(id, name, scope, flag) { name, scope, flag },
	DV_NAMES(X)
#undef X
};

/* One stored value; t2 is the secondary language's text. */
struct dv_val {
	char *t, *t2;
	int flag;
};

struct docview {
	struct dv_val *doc;		/* DV_COUNT values */
	struct dv_val *rows[3];		/* [scope]: nrows * DV_COUNT */
	size_t nrows[3];
	char lang[I18N_TAG_MAX + 1];
	char issue_date[CALDATE_LEN];
	int layout_version;
	const unsigned char *logo;	/* borrowed from the document */
	size_t logo_len;
};

/* What building needs at hand. */
struct ctx {
	const struct document *d;
	struct docview *v;
	struct i18n *i;			/* the primary language */
};

/* ---- names ---------------------------------------------------------- */

int
docview_lookup(const char *name, enum docview_scope *scope, int *is_flag)
{
	for (int k = 0; k < DV_COUNT; k++)
		if (strcmp(dv_names[k].name, name) == 0) {
			if (scope != NULL)
				*scope = dv_names[k].scope;
			if (is_flag != NULL)
				*is_flag = dv_names[k].flag;
			return k;
		}
	return -1;
}

const char *
docview_name(int id)
{
	return id >= 0 && id < DV_COUNT ? dv_names[id].name : NULL;
}

/* Length of a name's group ("seller" of "seller.name"); 0 if none. */
static size_t
group_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot != NULL ? (size_t)(dot - name) : 0;
}

void
docview_suggest(const char *name, int scope_only, struct buf *out)
{
	size_t g = group_len(name), n = 0;

	/* Names of the same group, when the group exists. */
	for (int k = 0; g > 0 && k < DV_COUNT; k++) {
		if ((scope_only >= 0 && (int)dv_names[k].scope != scope_only) ||
		    group_len(dv_names[k].name) != g ||
		    strncmp(dv_names[k].name, name, g) != 0)
			continue;
		buf_puts(out, n++ ? ", " : "");
		buf_puts(out, dv_names[k].name);
	}
	if (n > 0)
		return;
	/* Else the groups, and the flags (names without a group). */
	for (int k = 0; k < DV_COUNT; k++) {
		size_t kg = group_len(dv_names[k].name);
		int seen = 0;

		if (scope_only >= 0 && (int)dv_names[k].scope != scope_only)
			continue;
		for (int j = 0; j < k && !seen; j++)
			seen = (scope_only < 0 ||
			    (int)dv_names[j].scope == scope_only) &&
			    group_len(dv_names[j].name) == kg && kg > 0 &&
			    strncmp(dv_names[j].name, dv_names[k].name,
			    kg) == 0;
		if (seen)
			continue;
		buf_puts(out, n++ ? ", " : "");
		if (kg > 0) {
			buf_append(out, dv_names[k].name, kg);
			buf_puts(out, ".*");
		} else
			buf_puts(out, dv_names[k].name);
	}
}

const char *
docview_table_name(enum docview_scope scope)
{
	switch (scope) {
	case DOCVIEW_LINE:
		return "lines";
	case DOCVIEW_VAT:
		return "vats";
	default:
		return NULL;
	}
}

int
docview_table_scope(const char *table)
{
	if (strcmp(table, "lines") == 0)
		return DOCVIEW_LINE;
	if (strcmp(table, "vats") == 0)
		return DOCVIEW_VAT;
	return -1;
}

/* ---- small helpers -------------------------------------------------- */

static struct dv_val *
slot(struct ctx *c, int id, size_t row)
{
	enum docview_scope s = dv_names[id].scope;

	if (s == DOCVIEW_DOC)
		return &c->v->doc[id];
	return &c->v->rows[s][row * DV_COUNT + id];
}

/* Store text (copied; an empty or NULL text stores nothing). */
static void
set_text(struct ctx *c, int id, size_t row, const char *s)
{
	struct dv_val *v = slot(c, id, row);

	free(v->t);
	v->t = s != NULL && s[0] != '\0' ? xstrdup(s) : NULL;
}

static void
set_flag(struct ctx *c, int id, size_t row, int on)
{
	slot(c, id, row)->flag = on != 0;
}

static int
present(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/*
 * Layout version 2 (layoutver.h) changed what these texts say; version 1
 * documents keep the version 1 texts, so each change below branches here:
 * credit notes call themselves credit notes, outside-scope notes say
 * where the place of supply is, regions have their own rates, and a
 * reverse charge shows no rate.  (The label of the advance date is the
 * template's: templates/invoice.xml of version 2.)
 */
static int
v2(const struct document *d)
{
	return d->layout_version >= 2;
}

/* The catalogue key of the territory or region name, "" when none. */
static void
territory_key(const struct document *d, char *key, size_t sz)
{
	key[0] = '\0';
	if (present(d->territory))
		snprintf(key, sz, "territory_%s", d->territory);
}

/* 1 when the document's VAT is that of a region with its own rates. */
static int
is_region(const struct document *d)
{
	return v2(d) && present(d->territory) &&
	    d->treatment == TAX_OSS_DESTINATION;
}

/* Append sep unless out is empty, then s. */
static void
join(struct buf *out, const char *sep, const char *s)
{
	if (!present(s))
		return;
	if (out->len > 0)
		buf_puts(out, sep);
	buf_puts(out, s);
}

/* An amount in the document's currency with its stored digits. */
static enum gen_rc
fmt_doc_amount(struct ctx *c, struct i18n *l, int64_t minor,
    struct buf *out, struct gen_err *err)
{
	return i18n_format_amount(l, minor, c->d->currency,
	    c->d->currency_digits, out, err);
}

/* The calendar date (Lithuania) of the payment timestamp, or "". */
static enum gen_rc
paid_date(const struct document *d, char out[CALDATE_LEN],
    struct gen_err *err)
{
	int64_t epoch;
	enum gen_rc rc;

	out[0] = '\0';
	if (!present(d->paid_at))
		return GEN_OK;
	if ((rc = timestamp_parse(d->paid_at, &epoch, "paid_at", err)) !=
	    GEN_OK)
		return rc;
	caldate_format(timestamp_lt_date(epoch), out);
	return GEN_OK;
}

/* "1.1684" -> i18n decimal with as many fraction digits as given. */
static enum gen_rc
fmt_rate_string(struct i18n *l, const char *s, struct buf *out,
    struct gen_err *err)
{
	const char *dot = strchr(s, '.');
	int scale = dot != NULL ? (int)strlen(dot + 1) : 0;
	int64_t v;
	enum gen_rc rc;

	if (scale > 9)
		return gen_err_set(err, GEN_EINPUT, "fx_units_per_eur: '%.40s' "
		    "has more than 9 decimals", s);
	if ((rc = money_parse_decimal(s, scale, &v, "fx_units_per_eur",
	    err)) != GEN_OK)
		return rc;
	return i18n_format_decimal(l, v, scale, out, err);
}

/*
 * The rate text of a VAT category: "21 %", or "–" when no rate applies:
 * category O, and from layout version 2 a reverse charge (AE), whose
 * "0 %" read as zero-rated.
 */
static enum gen_rc
fmt_cat_rate(const struct document *d, struct i18n *l, const char *cat,
    int32_t rate_bp, struct buf *out, struct gen_err *err)
{
	if (strcmp(cat, "O") == 0 || (v2(d) && strcmp(cat, "AE") == 0)) {
		buf_puts(out, "\xe2\x80\x93");
		return GEN_OK;
	}
	return i18n_format_percent(l, rate_bp, out, err);
}

/*
 * Version 2: a document of several lines says once whose Telegram account
 * they are for (customer.all_lines), not on every line: the account is
 * the document's, so all its lines share it.
 */
static int
customer_once(const struct document *d)
{
	return v2(d) && d->nlines > 1 && (present(d->customer_username) ||
	    d->customer_telegram_id != 0);
}

/* "@username (ID 2002)", "ID 2002", "@username" or "". */
static void
customer_account(const struct document *d, struct buf *out)
{
	if (present(d->customer_username)) {
		if (d->customer_username[0] != '@')
			buf_putc(out, '@');
		buf_puts(out, d->customer_username);
		if (d->customer_telegram_id != 0)
			buf_printf(out, " (ID %lld)",
			    (long long)d->customer_telegram_id);
	} else if (d->customer_telegram_id != 0)
		buf_printf(out, "ID %lld", (long long)d->customer_telegram_id);
}

/*
 * A postal address, one element per line: street lines, "postal city,
 * region", then the country's name in language l when with_country.
 */
static enum gen_rc
fmt_address(struct i18n *l, const struct party *p, int with_country,
    const char *sep, struct buf *out, struct gen_err *err)
{
	struct buf city = {0};
	enum gen_rc rc = GEN_OK;

	join(out, sep, p->address_line1);
	join(out, sep, p->address_line2);
	if (present(p->postal_code))
		buf_puts(&city, p->postal_code);
	join(&city, " ", p->city);
	join(&city, ", ", p->region);
	if (city.len > 0)
		join(out, sep, city.data);
	if (with_country && p->country[0] != '\0') {
		struct buf cn = {0};

		rc = i18n_country_name(l, p->country, &cn, err);
		if (rc == GEN_OK)
			join(out, sep, cn.data);
		buf_free(&cn);
	}
	buf_free(&city);
	return rc;
}

/* ---- texts that exist in each language of a bilingual document ------ */

static int
is_lang_text(int id)
{
	switch (id) {
	case DV_DOC_TITLE:
	case DV_DOC_CORRECTS_TEXT:
	case DV_DOC_CORRECTS_TITLE:
	case DV_DOC_CREDIT_REASON_TEXT:
	case DV_SELLER_COUNTRY:
	case DV_SELLER_IDENTITY:
	case DV_PAYER_COUNTRY:
	case DV_CUSTOMER_TEXT:
	case DV_CUSTOMER_ALL_LINES:
	case DV_TAX_COUNTRY:
	case DV_TAX_TERRITORY:
	case DV_FX_SOURCE:
	case DV_PAYMENT_METHOD:
	case DV_PAYMENT_PAID_TEXT:
	case DV_NOTE_REVERSE_CHARGE:
	case DV_NOTE_OUTSIDE_SCOPE:
	case DV_NOTE_NOT_VAT_PAYER:
	case DV_NOTE_OSS:
	case DV_NOTE_VAT_EUR:
	case DV_NOTE_ELECTRONIC:
	case DV_NOTE_NOT_VAT_INVOICE:
	case DV_NOTE_INVOICE_AFTER_PAYMENT:
	case DV_NOTE_EPC_EURO_ONLY:
	case DV_PAYMENT_DUE_TEXT:
	case DV_LINE_DETAILS:
	case DV_LINE_PLAN:
	case DV_LINE_PERIOD:
	case DV_LINE_OPTIONS:
	case DV_LINE_CUSTOMER:
	case DV_VAT_LABEL:
	case DV_NOTE_PREPAID:
	case DV_NOTE_BALANCE_CREDIT:
	case DV_NOTE_CREDIT_TO:
	case DV_BALANCE_DRAWS:
	case DV_LINE_SERVICE_PERIOD:
		return 1;
	default:
		return 0;
	}
}

static int
seller_has_vat(const struct document *d)
{
	return present(d->seller.vat_number);
}

static int
is_eur(const struct document *d)
{
	return strcmp(d->currency, "EUR") == 0;
}

/*
 * A document with the payment block of a payment order: a payment order,
 * or an invoice on credit terms (a due date and a payment reference).
 */
static int
has_payment_details(const struct document *d)
{
	return d->kind == DOC_TRANSFER_ORDER || (d->kind == DOC_INVOICE &&
	    present(d->due_date) && present(d->payment_reference));
}

/* The catalogue key of the payment method, or NULL. */
static const char *
method_key(const char *m)
{
	static const char *const map[][2] = {
		{ "card", "pay_card" }, { "paypal", "pay_paypal" },
		{ "crypto", "pay_crypto" },
		{ "bank_transfer", "pay_bank_transfer" },
		{ "balance", "pay_balance" },
	};

	for (size_t k = 0; m != NULL && k < sizeof(map) / sizeof(map[0]); k++)
		if (strcmp(map[k][0], m) == 0)
			return map[k][1];
	return NULL;
}

static const char *
method_text(struct i18n *l, const char *m)
{
	const char *key = method_key(m);

	return key != NULL ? i18n_text(l, key) : m;
}

static const char *
plan_key(const char *item)
{
	if (item == NULL)
		return NULL;
	if (strcmp(item, "softphone") == 0)
		return "product_softphone";
	if (strcmp(item, "gateway") == 0)
		return "product_gateway";
	if (strcmp(item, "topup") == 0)
		return "product_balance_topup";
	return NULL;
}

/* Message key with the one integer argument {n}. */
static enum gen_rc
fmt_int_msg(struct i18n *l, const char *key, int64_t n, struct buf *out,
    struct gen_err *err)
{
	struct i18n_arg a = I18N_INT("n", n);

	return i18n_format(l, key, &a, 1, out, err);
}

/* Message key with the one text argument {name} = value. */
static enum gen_rc
fmt_str_msg(struct i18n *l, const char *key, const char *name,
    const char *value, struct buf *out, struct gen_err *err)
{
	struct i18n_arg a = I18N_STR(name, value);

	return i18n_format(l, key, &a, 1, out, err);
}

/* The options of a line: "3 SIP accounts, Call recording: 30 days". */
static enum gen_rc
fmt_options(struct i18n *l, const struct line_options *o, struct buf *out,
    struct gen_err *err)
{
	static const char *const keys[3] = { "opt_sip_accounts",
	    "opt_call_recording", "opt_gateway_lines" };
	const int64_t n[3] = { o->sip_accounts, o->recording_days,
	    o->gateway_lines };
	enum gen_rc rc;

	for (int k = 0; k < 3; k++) {
		if (n[k] <= 0)
			continue;
		if (out->len > 0)
			buf_puts(out, ", ");
		if ((rc = fmt_int_msg(l, keys[k], n[k], out, err)) != GEN_OK)
			return rc;
	}
	return GEN_OK;
}

/* "for Telegram account @user (ID 2002)" in language l, or nothing. */
static enum gen_rc
fmt_customer_text(struct i18n *l, const struct document *d, struct buf *out,
    struct gen_err *err)
{
	struct buf acc = {0};
	enum gen_rc rc = GEN_OK;

	customer_account(d, &acc);
	if (acc.len > 0)
		rc = fmt_str_msg(l, "line_for_customer", "account", acc.data,
		    out, err);
	buf_free(&acc);
	return rc;
}

/* "Service period: March 1, 2026 – February 28, 2027", or nothing. */
static enum gen_rc
fmt_service_period(struct i18n *l, const struct doc_line *ln,
    struct buf *out, struct gen_err *err)
{
	struct buf f = {0}, t = {0};
	enum gen_rc rc = GEN_OK;

	if (ln == NULL || ln->period_from[0] == '\0')
		return GEN_OK;
	if ((rc = i18n_format_date(l, ln->period_from, &f, err)) == GEN_OK &&
	    (rc = i18n_format_date(l, ln->period_to, &t, err)) == GEN_OK)
		rc = i18n_format(l, "line_service_period", (struct i18n_arg[]){
		    I18N_STR("from", f.data), I18N_STR("to", t.data) }, 2, out,
		    err);
	if (rc != GEN_OK)
		gen_err_prefix(err, "service_period: ");
	buf_free(&f);
	buf_free(&t);
	return rc;
}

/*
 * The draws of a document on the balance, one per line: "100,00 € from
 * top-up invoice ZLV-000020 of March 1, 2026 (VAT 21 % invoiced there:
 * 21,00 €)", or for a refund receipt "48,40 € from ZLVA-000001".
 */
static enum gen_rc
fmt_draws(struct ctx *c, struct i18n *l, struct buf *out,
    struct gen_err *err)
{
	const struct document *d = c->d;
	enum gen_rc rc = GEN_OK;

	for (size_t k = 0; k < d->ndraws && rc == GEN_OK; k++) {
		const struct doc_draw *w = &d->draws[k];
		int64_t amount = w->amount_minor < 0 ? -w->amount_minor :
		    w->amount_minor, vat = 0;
		struct buf a = {0}, dt = {0}, r = {0}, v = {0};

		if ((rc = fmt_doc_amount(c, l, amount, &a, err)) != GEN_OK ||
		    (rc = i18n_format_date(l, w->source_issue_date, &dt,
		    err)) != GEN_OK)
			goto next;
		if (out->len > 0)
			buf_putc(out, '\n');
		if (w->source_kind == DOC_INVOICE &&
		    strcmp(w->source_vat_category, "S") == 0) {
			if ((rc = money_vat(amount, w->source_vat_rate_bp, &vat,
			    err)) != GEN_OK ||
			    (rc = i18n_format_percent(l, w->source_vat_rate_bp,
			    &r, err)) != GEN_OK ||
			    (rc = fmt_doc_amount(c, l, vat, &v, err)) != GEN_OK)
				goto next;
			rc = i18n_format(l, w->amount_minor < 0 ?
			    "draw_returned_vat" : "draw_topup_vat",
			    (struct i18n_arg[]){ I18N_STR("amount", a.data),
			    I18N_STR("number", w->source_number),
			    I18N_STR("date", dt.data), I18N_STR("rate", r.data),
			    I18N_STR("vat", v.data) }, 5, out, err);
		} else
			rc = i18n_format(l, w->amount_minor < 0 ?
			    "draw_returned" : "draw_from",
			    (struct i18n_arg[]){ I18N_STR("amount", a.data),
			    I18N_STR("number", w->source_number),
			    I18N_STR("date", dt.data) }, 3, out, err);
next:
		buf_free(&a);
		buf_free(&dt);
		buf_free(&r);
		buf_free(&v);
	}
	if (rc != GEN_OK)
		gen_err_prefix(err, "balance.draws: ");
	return rc;
}

/*
 * Append the text of a language-dependent value id (row: the line or VAT
 * row) in language l.  Appends nothing when the value does not apply.
 */
static enum gen_rc
lang_text(struct ctx *c, struct i18n *l, int id, size_t row,
    struct buf *out, struct gen_err *err)
{
	const struct document *d = c->d;
	const struct doc_line *ln = row < d->nlines ? &d->lines[row] : NULL;
	const struct doc_vat *vr = row < d->nvats ? &d->vats[row] : NULL;
	struct buf t = {0}, u = {0};
	enum gen_rc rc = GEN_OK;
	const char *key;

	switch (id) {
	case DV_DOC_TITLE:
		if (d->kind == DOC_CREDIT_NOTE)
			key = seller_has_vat(d) ? "title_vat_credit_note" :
			    "title_credit_note";
		else if (d->kind == DOC_TRANSFER_ORDER)
			key = "title_payment_order";
		else if (d->kind == DOC_PREPAYMENT_RECEIPT)
			key = d->total_minor < 0 ? "title_prepayment_refund" :
			    "title_prepayment_receipt";
		else if (d->kind == DOC_BALANCE_USE)
			key = d->total_minor < 0 ? "title_balance_return" :
			    "title_balance_use";
		else
			key = seller_has_vat(d) ? "title_vat_invoice" :
			    "title_invoice";
		buf_puts(out, i18n_text(l, key));
		break;
	case DV_DOC_CORRECTS_TEXT:
		if (!present(d->corrects_number))
			break;
		if (d->corrects_issue_date[0] != '\0' &&
		    (rc = i18n_format_date(l, d->corrects_issue_date, &t,
		    err)) != GEN_OK) {
			gen_err_prefix(err, "corrects_issue_date: ");
			break;
		}
		rc = i18n_format(l, v2(d) && seller_has_vat(d) ?
		    "corrects_vat_invoice" : "corrects_invoice",
		    (struct i18n_arg[]){
		    I18N_STR("number", d->corrects_number),
		    I18N_STR("date", t.data != NULL ? t.data : "") }, 2, out,
		    err);
		break;
	case DV_DOC_CORRECTS_TITLE:
		/* The box title naming the corrected invoice by its kind. */
		if (present(d->corrects_number))
			buf_puts(out, i18n_text(l, v2(d) && seller_has_vat(d) ?
			    "original_vat_invoice" : "original_invoice"));
		break;
	case DV_DOC_CREDIT_REASON_TEXT:
		if (present(d->credit_reason))
			rc = fmt_str_msg(l, "credit_reason", "reason",
			    d->credit_reason, out, err);
		break;
	case DV_SELLER_COUNTRY:
	case DV_PAYER_COUNTRY:
		key = id == DV_SELLER_COUNTRY ? d->seller.country :
		    d->payer.country;
		if (key[0] != '\0' &&
		    (rc = i18n_country_name(l, key, out, err)) != GEN_OK)
			gen_err_prefix(err, "%s: ", dv_names[id].name);
		break;
	case DV_SELLER_IDENTITY:
		/* "Name · Company code 1 · VAT number LT1 · address". */
		join(out, " \xc2\xb7 ", d->seller.name);
		if (present(d->seller.company_code)) {
			buf_printf(&t, "%s %s", i18n_text(l, "company_code"),
			    d->seller.company_code);
			join(out, " \xc2\xb7 ", t.data);
			buf_reset(&t);
		}
		if (present(d->seller.vat_number)) {
			buf_printf(&t, "%s %s", i18n_text(l, "vat_number"),
			    d->seller.vat_number);
			join(out, " \xc2\xb7 ", t.data);
			buf_reset(&t);
		}
		if ((rc = fmt_address(l, &d->seller, 1, ", ", &t, err)) ==
		    GEN_OK)
			join(out, " \xc2\xb7 ", t.data);
		break;
	case DV_TAX_COUNTRY:
		if (d->vat_country[0] != '\0' &&
		    (rc = i18n_country_name(l, d->vat_country, out, err)) !=
		    GEN_OK)
			gen_err_prefix(err, "vat_country: ");
		break;
	case DV_TAX_TERRITORY: {
		char tk[64];

		territory_key(d, tk, sizeof(tk));
		if (v2(d) && tk[0] != '\0')
			buf_puts(out, i18n_text(l, tk));
		break;
	}
	case DV_CUSTOMER_TEXT:
	case DV_LINE_CUSTOMER:
		rc = fmt_customer_text(l, d, out, err);
		break;
	case DV_CUSTOMER_ALL_LINES:
		/* Version 2: the account every line is for, said once. */
		if (customer_once(d)) {
			struct buf acc = {0};
			struct i18n_arg a;

			customer_account(d, &acc);
			a = I18N_STR("account", acc.data);
			rc = i18n_format(l, "lines_for_customer", &a, 1, out,
			    err);
			buf_free(&acc);
		}
		break;
	case DV_FX_SOURCE:
		if (present(d->fx_units_per_eur))
			buf_puts(out, i18n_text(l, "fx_source_ecb"));
		break;
	case DV_PAYMENT_METHOD:
		if (present(d->payment_method))
			buf_puts(out, method_text(l, d->payment_method));
		break;
	case DV_PAYMENT_PAID_TEXT: {
		char day[CALDATE_LEN];

		if ((rc = paid_date(d, day, err)) != GEN_OK || day[0] == '\0')
			break;
		if ((rc = i18n_format_date(l, day, &t, err)) != GEN_OK)
			break;
		if (present(d->payment_method))
			rc = i18n_format(l, "paid_on_by", (struct i18n_arg[]){
			    I18N_STR("date", t.data), I18N_STR("method",
			    method_text(l, d->payment_method)) }, 2, out, err);
		else
			rc = fmt_str_msg(l, "paid_on", "date", t.data, out,
			    err);
		break;
	}
	case DV_NOTE_REVERSE_CHARGE:
		if (d->treatment == TAX_REVERSE_CHARGE)
			buf_puts(out, i18n_text(l, "note_reverse_charge"));
		break;
	case DV_NOTE_OUTSIDE_SCOPE:
		if (d->treatment != TAX_OUTSIDE_SCOPE)
			break;
		if (!v2(d)) {
			buf_puts(out, i18n_text(l, "note_outside_scope"));
			break;
		}
		/*
		 * Say where the place of supply is: a member state's territory
		 * outside the EU VAT area (VAT Directive Art. 6) is in the EU,
		 * a third country is not.
		 */
		if (present(d->territory)) {
			char tk[64];

			territory_key(d, tk, sizeof(tk));
			rc = fmt_str_msg(l, "note_outside_vat_territory",
			    "territory", i18n_text(l, tk), out, err);
			break;
		}
		key = d->location_country[0] != '\0' ? d->location_country :
		    d->payer.country;
		if ((rc = i18n_country_name(l, key, &t, err)) != GEN_OK) {
			gen_err_prefix(err, "location_country: ");
			break;
		}
		rc = fmt_str_msg(l, "note_outside_scope", "country", t.data,
		    out, err);
		break;
	case DV_NOTE_NOT_VAT_PAYER:
		if (d->treatment == TAX_NOT_VAT_REGISTERED)
			buf_puts(out, i18n_text(l, "note_not_vat_payer"));
		break;
	case DV_NOTE_OSS:
		if (d->treatment != TAX_OSS_DESTINATION ||
		    d->vat_country[0] == '\0')
			break;
		if ((rc = i18n_country_name(l, d->vat_country, &t, err)) !=
		    GEN_OK || (rc = i18n_format_percent(l, d->vat_rate_bp, &u,
		    err)) != GEN_OK)
			break;
		if (is_region(d)) {
			char tk[64];

			territory_key(d, tk, sizeof(tk));
			rc = i18n_format(l, "note_oss_region",
			    (struct i18n_arg[]){ I18N_STR("country", t.data),
			    I18N_STR("region", i18n_text(l, tk)),
			    I18N_STR("rate", u.data) }, 3, out, err);
			break;
		}
		rc = i18n_format(l, "note_oss", (struct i18n_arg[]){
		    I18N_STR("country", t.data), I18N_STR("rate", u.data) }, 2,
		    out, err);
		break;
	case DV_NOTE_VAT_EUR:
		if (!d->has_vat_eur || !present(d->fx_units_per_eur))
			break;
		if ((rc = i18n_format_date(l, d->fx_rate_date, &t, err)) !=
		    GEN_OK) {
			gen_err_prefix(err, "fx_rate_date: ");
			break;
		}
		if ((rc = fmt_rate_string(l, d->fx_units_per_eur, &u, err)) !=
		    GEN_OK)
			break;
		rc = i18n_format(l, "note_vat_eur", (struct i18n_arg[]){
		    I18N_STR("date", t.data), I18N_STR("rate", u.data),
		    I18N_STR("currency", d->currency) }, 3, out, err);
		break;
	case DV_NOTE_ELECTRONIC:
		/* From version 2 the sentence names the kind of document. */
		if (!v2(d) || d->kind == DOC_TRANSFER_ORDER)
			key = "electronic_document";
		else if (d->kind == DOC_CREDIT_NOTE)
			key = seller_has_vat(d) ? "electronic_vat_credit_note" :
			    "electronic_credit_note";
		else
			key = seller_has_vat(d) ? "electronic_vat_invoice" :
			    "electronic_invoice";
		buf_puts(out, i18n_text(l, key));
		break;
	case DV_NOTE_NOT_VAT_INVOICE:
		if (d->kind == DOC_TRANSFER_ORDER ||
		    d->kind == DOC_PREPAYMENT_RECEIPT ||
		    d->kind == DOC_BALANCE_USE)
			buf_puts(out, i18n_text(l, "note_not_vat_invoice"));
		break;
	case DV_NOTE_PREPAID:
		if (d->kind == DOC_PREPAYMENT_RECEIPT)
			buf_puts(out, i18n_text(l, d->total_minor < 0 ?
			    "note_prepayment_refund" : "note_prepayment_receipt"));
		else if (d->kind == DOC_BALANCE_USE)
			buf_puts(out, i18n_text(l, d->total_minor < 0 ?
			    "note_balance_return" : "note_balance_use"));
		break;
	case DV_NOTE_BALANCE_CREDIT:
		if (present(d->origin_number))
			rc = fmt_str_msg(l, "note_balance_credit", "number",
			    d->origin_number, out, err);
		break;
	case DV_NOTE_CREDIT_TO:
		if (present(d->credit_to))
			buf_puts(out, i18n_text(l, strcmp(d->credit_to,
			    "balance") == 0 ? "note_credit_to_balance" :
			    "note_credit_to_refund"));
		break;
	case DV_BALANCE_DRAWS:
		rc = fmt_draws(c, l, out, err);
		break;
	case DV_LINE_SERVICE_PERIOD:
		rc = fmt_service_period(l, ln, out, err);
		break;
	case DV_NOTE_INVOICE_AFTER_PAYMENT:
		if (d->kind == DOC_TRANSFER_ORDER)
			buf_puts(out, i18n_text(l,
			    "note_invoice_after_payment"));
		break;
	case DV_NOTE_EPC_EURO_ONLY:
		if (d->kind == DOC_TRANSFER_ORDER && !is_eur(d))
			buf_puts(out, i18n_text(l, "epc_qr_euro_only"));
		break;
	case DV_PAYMENT_DUE_TEXT:
		if (!has_payment_details(d) || !present(d->due_date))
			break;
		if ((rc = i18n_format_date(l, d->due_date, &t, err)) !=
		    GEN_OK) {
			gen_err_prefix(err, "due_date: ");
			break;
		}
		rc = fmt_str_msg(l, "pay_by", "date", t.data, out, err);
		break;
	case DV_LINE_PLAN:
		if ((key = plan_key(ln->item)) != NULL)
			buf_puts(out, i18n_text(l, key));
		break;
	case DV_LINE_PERIOD:
		if (ln->period_months > 0)
			rc = fmt_int_msg(l, "period_months", ln->period_months,
			    out, err);
		break;
	case DV_LINE_OPTIONS:
		rc = fmt_options(l, &ln->options, out, err);
		break;
	case DV_LINE_DETAILS:
		/* "Plan, 12 months, 3 SIP accounts" + "\n" + customer. */
		if ((key = plan_key(ln->item)) != NULL)
			buf_puts(out, i18n_text(l, key));
		if (ln->period_months > 0) {
			if ((rc = fmt_int_msg(l, "period_months",
			    ln->period_months, &t, err)) != GEN_OK)
				break;
			join(out, ", ", t.data);
		}
		if ((rc = fmt_options(l, &ln->options, &u, err)) != GEN_OK)
			break;
		join(out, ", ", u.data);
		/* The dates a renewal covers, when the order gave them, on
		 * a line of their own. */
		buf_reset(&u);
		if ((rc = fmt_service_period(l, ln, &u, err)) != GEN_OK)
			break;
		join(out, "\n", u.data);
		buf_reset(&t);
		if (customer_once(d))
			break;		/* customer.all_lines says it */
		if ((rc = fmt_customer_text(l, d, &t, err)) != GEN_OK)
			break;
		join(out, "\n", t.data);
		break;
	case DV_VAT_LABEL:
		if (strcmp(vr->vat_category, "AE") == 0) {
			/* Version 2: no "0 %", which reads as zero-rated. */
			if (!v2(d)) {
				if ((rc = i18n_format_percent(l, vr->vat_rate_bp,
				    out, err)) != GEN_OK)
					break;
				buf_puts(out, " \xe2\x80\x93 ");
			}
			buf_puts(out, i18n_text(l, "reverse_charge"));
		} else if (strcmp(vr->vat_category, "O") == 0) {
			buf_puts(out, i18n_text(l,
			    d->treatment == TAX_NOT_VAT_REGISTERED ?
			    "vat_not_charged" : "vat_outside_scope_short"));
		} else {
			if ((rc = i18n_format_percent(l, vr->vat_rate_bp, out,
			    err)) != GEN_OK)
				break;
			if (d->treatment == TAX_OSS_DESTINATION &&
			    d->vat_country[0] != '\0') {
				if ((rc = i18n_country_name(l, d->vat_country,
				    &t, err)) != GEN_OK)
					break;
				buf_puts(out, " (");
				/* "16 % (the Azores, Portugal)" */
				if (is_region(d)) {
					char tk[64];

					territory_key(d, tk, sizeof(tk));
					buf_puts(out, i18n_text(l, tk));
					buf_puts(out, ", ");
				}
				buf_puts(out, t.data);
				buf_putc(out, ')');
			}
		}
		break;
	default:
		break;
	}
	buf_free(&t);
	buf_free(&u);
	return rc;
}

/* Fill a language-dependent value in the primary and secondary language. */
static enum gen_rc
fill_lang(struct ctx *c, int id, size_t row, struct gen_err *err)
{
	struct i18n *sec = i18n_secondary(c->i);
	struct buf a = {0}, b = {0};
	struct dv_val *v;
	enum gen_rc rc;

	if ((rc = lang_text(c, c->i, id, row, &a, err)) != GEN_OK)
		goto out;
	if (sec != NULL &&
	    (rc = lang_text(c, sec, id, row, &b, err)) != GEN_OK)
		goto out;
	v = slot(c, id, row);
	v->t = a.len > 0 ? buf_detach(&a, NULL) : NULL;
	if (v->t != NULL && b.len > 0 && strcmp(v->t, b.data) != 0)
		v->t2 = buf_detach(&b, NULL);
out:
	buf_free(&a);
	buf_free(&b);
	return rc;
}

/* ---- language-neutral values ------------------------------------------ */

/* Value id of row: minor units of currency (digits decimals). */
static enum gen_rc
put_money(struct ctx *c, int id, size_t row, int64_t minor,
    const char *currency, int digits, struct gen_err *err)
{
	struct buf b = {0};
	enum gen_rc rc;

	if ((rc = i18n_format_amount(c->i, minor, currency, digits, &b,
	    err)) == GEN_OK)
		set_text(c, id, row, b.data);
	else
		gen_err_prefix(err, "%s: ", dv_names[id].name);
	buf_free(&b);
	return rc;
}

/* Value id of row: an amount in the document's currency. */
static enum gen_rc
put_amount(struct ctx *c, int id, size_t row, int64_t minor,
    struct gen_err *err)
{
	return put_money(c, id, row, minor, c->d->currency,
	    c->d->currency_digits, err);
}

/* Value id of row: an amount in euro cents (VAT in EUR, BT-111). */
static enum gen_rc
put_eur(struct ctx *c, int id, size_t row, int64_t cents, struct gen_err *err)
{
	return put_money(c, id, row, cents, "EUR", 2, err);
}

static enum gen_rc
put_date(struct ctx *c, int id, const char *iso, const char *field,
    struct gen_err *err)
{
	struct buf b = {0};
	enum gen_rc rc = GEN_OK;

	if (present(iso)) {
		if ((rc = i18n_format_date(c->i, iso, &b, err)) == GEN_OK)
			set_text(c, id, 0, b.data);
		else
			gen_err_prefix(err, "%s: ", field);
	}
	buf_free(&b);
	return rc;
}

/*
 * The QR payload of a payment order in another currency than the euro:
 * the details a payer types into a transfer, one "Name: value" per line,
 * LF between lines, no LF at the end (templates/README.md):
 *
 *	IBAN: LT121000011101001000
 *	BIC: HABALT22				(only when there is one)
 *	Beneficiary: MB Zinuciu linija		(only when there is one)
 *	Amount: 216.00 USD
 *	Reference: RF18539007547034		(only when there is one)
 *
 * The IBAN and the reference in electronic form (what a banking app
 * accepts when pasted), the amount with '.' and the currency's digits.
 * GEN_EINPUT when a value holds a control character (it would break the
 * lines).
 */
static enum gen_rc
plain_payload(const struct document *d, const char *iban, struct buf *out,
    struct gen_err *err)
{
	static const char *const names[5] = { "IBAN", "BIC", "Beneficiary",
	    "Amount", "Reference" };
	const char *vals[5];
	char amount[48];

	money_format(d->total_minor, d->currency_digits, amount,
	    sizeof(amount));
	snprintf(amount + strlen(amount), sizeof(amount) - strlen(amount),
	    " %s", d->currency);
	vals[0] = iban;
	vals[1] = d->bank.bic;
	vals[2] = d->bank.beneficiary;
	vals[3] = amount;
	vals[4] = d->payment_reference;
	for (int k = 0; k < 5; k++) {
		if (!present(vals[k]))
			continue;
		for (const unsigned char *p = (const unsigned char *)vals[k];
		    *p != '\0'; p++)
			if (*p < 0x20 || *p == 0x7f)
				return gen_err_set(err, GEN_EINPUT,
				    "payment.qr: %s: holds a control "
				    "character (0x%02X); allowed: text on "
				    "one line", names[k], *p);
		if (out->len > 0)
			buf_putc(out, '\n');
		buf_printf(out, "%s: %s", names[k], vals[k]);
	}
	return GEN_OK;
}

/*
 * The values of a payment order: due date, the seller's bank account
 * (IBAN checked and printed in groups of four), the amount and the QR
 * payload (EPC069-12 for EUR, plain text otherwise).  GEN_EINPUT when the
 * IBAN is missing or invalid or the EPC payload is refused (the message
 * is epcqr's, prefixed with "payment.qr: ").
 */
static enum gen_rc
fill_transfer(struct ctx *c, struct gen_err *err)
{
	const struct document *d = c->d;
	const struct bank_account *bk = &d->bank;
	char iban[IBAN_SIZE], printed[IBAN_PRINT_SIZE];
	struct buf b = {0};
	enum gen_rc rc;

	if ((rc = put_date(c, DV_DOC_DUE_DATE, d->due_date, "due_date",
	    err)) != GEN_OK ||
	    (rc = put_amount(c, DV_PAYMENT_AMOUNT, 0, d->total_minor, err)) !=
	    GEN_OK)
		return rc;
	if (!present(bk->iban))
		return gen_err_set(err, GEN_EINPUT, "bank.iban: missing; a "
		    "payment order needs the seller's IBAN");
	if ((rc = iban_check(bk->iban, iban, sizeof(iban), err)) != GEN_OK) {
		gen_err_prefix(err, "bank.");	/* "bank.iban: ..." */
		return rc;
	}
	iban_format(iban, printed, sizeof(printed));
	set_text(c, DV_PAYMENT_IBAN, 0, printed);
	set_text(c, DV_PAYMENT_BIC, 0, bk->bic);
	set_text(c, DV_PAYMENT_BENEFICIARY, 0, bk->beneficiary);
	set_text(c, DV_PAYMENT_BANK_NAME, 0, bk->name);
	set_text(c, DV_PAYMENT_BANK_ADDRESS, 0, bk->address);

	if (is_eur(d)) {
		struct epcqr_fields f = {
			.bic = bk->bic,
			.name = bk->beneficiary,
			.iban = iban,
			.amount_cents = d->total_minor,
			.reference = d->payment_reference,
		};

		if (d->currency_digits != 2)
			return gen_err_set(err, GEN_EINPUT, "currency_digits:"
			    " %d for EUR; allowed: 2", d->currency_digits);
		if ((rc = epcqr_payload(&f, &b, err)) != GEN_OK) {
			gen_err_prefix(err, "payment.qr: ");
			goto out;
		}
	} else if ((rc = plain_payload(d, iban, &b, err)) != GEN_OK)
		goto out;
	set_text(c, DV_PAYMENT_QR, 0, b.data);
out:
	buf_free(&b);
	return rc;
}

static enum gen_rc
fill_doc(struct ctx *c, struct gen_err *err)
{
	const struct document *d = c->d;
	struct buf b = {0};
	char day[CALDATE_LEN];
	int has_discount = 0;
	enum gen_rc rc;

	set_text(c, DV_DOC_NUMBER, 0, d->number);
	set_text(c, DV_DOC_SERIES, 0, d->series);
	set_text(c, DV_DOC_ORDER_NO, 0, d->order_no);
	set_text(c, DV_DOC_CURRENCY, 0, d->currency);
	set_text(c, DV_DOC_CORRECTS_NUMBER, 0, d->corrects_number);
	set_text(c, DV_DOC_CREDIT_REASON, 0, d->credit_reason);
	if ((rc = put_date(c, DV_DOC_ISSUE_DATE, d->issue_date, "issue_date",
	    err)) != GEN_OK ||
	    (rc = put_date(c, DV_DOC_TAX_POINT_DATE, d->tax_point_date,
	    "tax_point_date", err)) != GEN_OK ||
	    (rc = put_date(c, DV_DOC_CORRECTS_DATE, d->corrects_issue_date,
	    "corrects_issue_date", err)) != GEN_OK ||
	    (rc = put_date(c, DV_FX_RATE_DATE, d->fx_units_per_eur != NULL ?
	    d->fx_rate_date : NULL, "fx_rate_date", err)) != GEN_OK)
		goto out;

	set_text(c, DV_SELLER_NAME, 0, d->seller.name);
	set_text(c, DV_SELLER_VAT_NUMBER, 0, d->seller.vat_number);
	set_text(c, DV_SELLER_COMPANY_CODE, 0, d->seller.company_code);
	set_text(c, DV_SELLER_EMAIL, 0, d->seller.email);
	set_text(c, DV_SELLER_WEBSITE, 0, d->seller.website);
	if ((rc = fmt_address(c->i, &d->seller, 1, "\n", &b, err)) != GEN_OK)
		goto out;
	set_text(c, DV_SELLER_ADDRESS, 0, b.data);
	buf_reset(&b);
	if ((rc = fmt_address(c->i, &d->seller, 1, ", ", &b, err)) != GEN_OK)
		goto out;
	set_text(c, DV_SELLER_ADDRESS_LINE, 0, b.data);
	buf_reset(&b);

	set_text(c, DV_PAYER_NAME, 0, d->payer.name);
	set_text(c, DV_PAYER_VAT_NUMBER, 0, d->payer.vat_number);
	set_text(c, DV_PAYER_COMPANY_CODE, 0, d->payer.company_code);
	set_text(c, DV_PAYER_EMAIL, 0, d->payer.email);
	if ((rc = fmt_address(c->i, &d->payer, 1, "\n", &b, err)) != GEN_OK) {
		gen_err_prefix(err, "payer.country: ");
		goto out;
	}
	set_text(c, DV_PAYER_ADDRESS, 0, b.data);
	buf_reset(&b);

	customer_account(d, &b);
	set_text(c, DV_CUSTOMER_ACCOUNT, 0, b.data);
	buf_reset(&b);

	if ((rc = put_amount(c, DV_TOTALS_NET, 0, d->net_minor, err)) !=
	    GEN_OK ||
	    (rc = put_amount(c, DV_TOTALS_VAT, 0, d->vat_minor, err)) !=
	    GEN_OK ||
	    (rc = put_amount(c, DV_TOTALS_TOTAL, 0, d->total_minor, err)) !=
	    GEN_OK)
		goto out;
	if ((rc = fmt_cat_rate(d, c->i, d->vat_category, d->vat_rate_bp, &b,
	    err)) != GEN_OK)
		goto out;
	set_text(c, DV_TAX_RATE, 0, b.data);
	buf_reset(&b);

	if (d->has_vat_eur && (rc = put_eur(c, DV_VAT_EUR_AMOUNT, 0,
	    d->vat_eur_minor, err)) != GEN_OK)
		goto out;
	if (present(d->fx_units_per_eur)) {
		if ((rc = fmt_rate_string(c->i, d->fx_units_per_eur, &b,
		    err)) != GEN_OK)
			goto out;
		set_text(c, DV_FX_RATE, 0, b.data);
		buf_reset(&b);
		buf_puts(&b, "1 EUR = ");
		if ((rc = fmt_rate_string(c->i, d->fx_units_per_eur, &b,
		    err)) != GEN_OK)
			goto out;
		buf_printf(&b, " %s", d->currency);
		set_text(c, DV_FX_RATE_TEXT, 0, b.data);
		buf_reset(&b);
	}

	if ((rc = paid_date(d, day, err)) != GEN_OK ||
	    (rc = put_date(c, DV_PAYMENT_PAID_DATE, day, "paid_at", err)) !=
	    GEN_OK)
		goto out;
	if (present(d->payment_reference)) {
		char ref[RFREF_PRINT_SIZE];

		rfref_format(d->payment_reference, ref, sizeof(ref));
		set_text(c, DV_PAYMENT_REFERENCE, 0, ref);
	}
	if (has_payment_details(d) && (rc = fill_transfer(c, err)) != GEN_OK)
		goto out;

	for (size_t k = 0; k < d->nlines; k++)
		if (d->lines[k].discount_minor != 0 ||
		    d->lines[k].discount_bp != 0)
			has_discount = 1;
	set_flag(c, DV_F_IS_INVOICE, 0, d->kind == DOC_INVOICE);
	set_flag(c, DV_F_IS_CREDIT_NOTE, 0, d->kind == DOC_CREDIT_NOTE);
	set_flag(c, DV_F_IS_BILINGUAL, 0, i18n_secondary(c->i) != NULL);
	set_flag(c, DV_F_SELLER_HAS_VAT, 0, seller_has_vat(d));
	set_flag(c, DV_F_PAYER_HAS_VAT, 0, present(d->payer.vat_number));
	set_flag(c, DV_F_VAT_CHARGED, 0, strcmp(d->vat_category, "S") == 0);
	set_flag(c, DV_F_HAS_VAT_EUR, 0, d->has_vat_eur);
	set_flag(c, DV_F_HAS_TAX_POINT_DATE, 0, d->tax_point_date[0] != '\0' &&
	    strcmp(d->tax_point_date, d->issue_date) != 0);
	set_flag(c, DV_F_IS_PAID, 0, present(d->paid_at));
	set_flag(c, DV_F_HAS_DISCOUNT, 0, has_discount);
	set_flag(c, DV_F_HAS_CUSTOMER, 0, d->customer_telegram_id != 0 ||
	    present(d->customer_username));
	set_flag(c, DV_F_HAS_CORRECTS, 0, present(d->corrects_number));
	set_flag(c, DV_F_IS_FOREIGN_CURRENCY, 0, !is_eur(d));
	set_flag(c, DV_F_IS_TRANSFER_ORDER, 0, d->kind == DOC_TRANSFER_ORDER);
	set_flag(c, DV_F_IS_EUR, 0, is_eur(d));
	set_flag(c, DV_F_HAS_LOGO, 0, d->logo != NULL && d->logo_len > 0);
	set_flag(c, DV_F_HAS_BIC, 0, has_payment_details(d) &&
	    present(d->bank.bic));
	set_flag(c, DV_F_IS_PREPAID_DOCUMENT, 0, d->kind ==
	    DOC_PREPAYMENT_RECEIPT || d->kind == DOC_BALANCE_USE);
	set_flag(c, DV_F_HAS_PAYMENT_DETAILS, 0, has_payment_details(d));
	set_flag(c, DV_F_T_NOT_VAT_REGISTERED, 0,
	    d->treatment == TAX_NOT_VAT_REGISTERED);
	set_flag(c, DV_F_T_LT_STANDARD, 0, d->treatment == TAX_LT_STANDARD);
	set_flag(c, DV_F_T_OSS_DESTINATION, 0,
	    d->treatment == TAX_OSS_DESTINATION);
	set_flag(c, DV_F_T_REVERSE_CHARGE, 0,
	    d->treatment == TAX_REVERSE_CHARGE);
	set_flag(c, DV_F_T_OUTSIDE_SCOPE, 0,
	    d->treatment == TAX_OUTSIDE_SCOPE);
out:
	buf_free(&b);
	return rc;
}

static enum gen_rc
fill_line(struct ctx *c, size_t row, struct gen_err *err)
{
	const struct doc_line *l = &c->d->lines[row];
	struct buf b = {0}, p = {0}, a = {0};
	enum gen_rc rc;

	buf_printf(&b, "%d", l->line_no);
	set_text(c, DV_LINE_NO, row, b.data);
	buf_reset(&b);
	set_text(c, DV_LINE_DESCRIPTION, row, l->description);
	set_text(c, DV_LINE_CATEGORY, row, l->vat_category);
	if ((rc = i18n_format_decimal(c->i, l->quantity, 0, &b, err)) !=
	    GEN_OK)
		goto out;
	set_text(c, DV_LINE_QTY, row, b.data);
	buf_reset(&b);
	if ((rc = put_amount(c, DV_LINE_UNIT_PRICE, row, l->unit_price_minor,
	    err)) != GEN_OK ||
	    (rc = put_amount(c, DV_LINE_GROSS, row, l->gross_minor, err)) !=
	    GEN_OK ||
	    (rc = put_amount(c, DV_LINE_NET, row, l->net_minor, err)) != GEN_OK)
		goto out;
	if (l->discount_bp != 0) {
		if ((rc = i18n_format_percent(c->i, (int)l->discount_bp, &p,
		    err)) != GEN_OK)
			goto out;
		set_text(c, DV_LINE_DISCOUNT_PERCENT, row, p.data);
	}
	if (l->discount_minor != 0) {
		if ((rc = fmt_doc_amount(c, c->i, l->discount_minor, &a,
		    err)) != GEN_OK)
			goto out;
		set_text(c, DV_LINE_DISCOUNT_AMOUNT, row, a.data);
	}
	join(&b, "\n", p.data);
	join(&b, "\n", a.data);
	set_text(c, DV_LINE_DISCOUNT, row, b.data);
	set_flag(c, DV_F_LINE_HAS_DISCOUNT, row, b.len > 0);
	buf_reset(&b);
	if ((rc = fmt_cat_rate(c->d, c->i, l->vat_category, l->vat_rate_bp,
	    &b, err)) != GEN_OK)
		goto out;
	set_text(c, DV_LINE_RATE, row, b.data);
out:
	if (rc != GEN_OK)
		gen_err_prefix(err, "lines[%zu]: ", row);
	buf_free(&b);
	buf_free(&p);
	buf_free(&a);
	return rc;
}

static enum gen_rc
fill_vat(struct ctx *c, size_t row, struct gen_err *err)
{
	const struct doc_vat *v = &c->d->vats[row];
	struct buf b = {0};
	enum gen_rc rc;

	set_text(c, DV_VAT_CATEGORY, row, v->vat_category);
	if ((rc = fmt_cat_rate(c->d, c->i, v->vat_category, v->vat_rate_bp,
	    &b, err)) != GEN_OK)
		goto out;
	set_text(c, DV_VAT_RATE, row, b.data);
	if ((rc = put_amount(c, DV_VAT_TAXABLE, row, v->taxable_minor, err)) !=
	    GEN_OK ||
	    (rc = put_amount(c, DV_VAT_AMOUNT, row, v->vat_minor, err)) !=
	    GEN_OK)
		goto out;
	if (v->has_eur &&
	    ((rc = put_eur(c, DV_VAT_TAXABLE_EUR, row, v->taxable_eur_minor,
	    err)) != GEN_OK ||
	    (rc = put_eur(c, DV_VAT_AMOUNT_EUR, row, v->vat_eur_minor, err)) !=
	    GEN_OK))
		goto out;
	set_flag(c, DV_F_VAT_HAS_EUR, row, v->has_eur);
out:
	if (rc != GEN_OK)
		gen_err_prefix(err, "vats[%zu]: ", row);
	buf_free(&b);
	return rc;
}

/* ---- public --------------------------------------------------------- */

enum gen_rc
docview_build(const struct document *d, struct i18n *i,
    struct docview **out, struct gen_err *err)
{
	struct docview *v = xcalloc(1, sizeof(*v));
	struct ctx c = { d, v, i };
	const char *tag = i18n_tag(i);
	size_t taglen = strcspn(tag, "+");
	enum gen_rc rc;

	*out = NULL;
	if (taglen > I18N_TAG_MAX)
		taglen = I18N_TAG_MAX;
	memcpy(v->lang, tag, taglen);
	memcpy(v->issue_date, d->issue_date, sizeof(v->issue_date));
	v->issue_date[CALDATE_LEN - 1] = '\0';
	v->layout_version = d->layout_version;
	v->logo = d->logo;
	v->logo_len = d->logo != NULL ? d->logo_len : 0;
	v->doc = xcalloc(DV_COUNT, sizeof(*v->doc));
	v->nrows[DOCVIEW_DOC] = 1;
	v->nrows[DOCVIEW_LINE] = d->nlines;
	v->nrows[DOCVIEW_VAT] = d->nvats;
	v->rows[DOCVIEW_LINE] = xcalloc(d->nlines * DV_COUNT + 1,
	    sizeof(struct dv_val));
	v->rows[DOCVIEW_VAT] = xcalloc(d->nvats * DV_COUNT + 1,
	    sizeof(struct dv_val));

	if ((rc = fill_doc(&c, err)) != GEN_OK)
		goto fail;
	for (int id = 0; id < DV_COUNT; id++) {
		if (!is_lang_text(id))
			continue;
		switch (dv_names[id].scope) {
		case DOCVIEW_DOC:
			rc = fill_lang(&c, id, 0, err);
			break;
		default:
			for (size_t r = 0; rc == GEN_OK &&
			    r < v->nrows[dv_names[id].scope]; r++)
				rc = fill_lang(&c, id, r, err);
			break;
		}
		if (rc != GEN_OK)
			goto fail;
	}
	for (size_t r = 0; r < d->nlines; r++)
		if ((rc = fill_line(&c, r, err)) != GEN_OK)
			goto fail;
	for (size_t r = 0; r < d->nvats; r++)
		if ((rc = fill_vat(&c, r, err)) != GEN_OK)
			goto fail;
	*out = v;
	return GEN_OK;
fail:
	docview_free(v);
	return rc;
}

static void
free_vals(struct dv_val *a, size_t n)
{
	for (size_t k = 0; a != NULL && k < n; k++) {
		free(a[k].t);
		free(a[k].t2);
	}
	free(a);
}

void
docview_free(struct docview *v)
{
	if (v == NULL)
		return;
	free_vals(v->doc, DV_COUNT);
	free_vals(v->rows[DOCVIEW_LINE], v->nrows[DOCVIEW_LINE] * DV_COUNT);
	free_vals(v->rows[DOCVIEW_VAT], v->nrows[DOCVIEW_VAT] * DV_COUNT);
	free(v);
}

size_t
docview_rows(const struct docview *v, enum docview_scope scope)
{
	return (int)scope >= 0 && scope <= DOCVIEW_VAT ? v->nrows[scope] : 0;
}

static const struct dv_val *
get_val(const struct docview *v, int id, size_t row)
{
	enum docview_scope s;

	if (id < 0 || id >= DV_COUNT)
		return NULL;
	s = dv_names[id].scope;
	if (s == DOCVIEW_DOC)
		return &v->doc[id];
	if (row >= v->nrows[s])
		return NULL;
	return &v->rows[s][row * DV_COUNT + id];
}

struct docview_text
docview_get(const struct docview *v, int id, size_t row)
{
	const struct dv_val *x = get_val(v, id, row);
	struct docview_text t = { NULL, NULL };

	if (x != NULL) {
		t.text = x->t;
		t.text2 = x->t2;
	}
	return t;
}

int
docview_test(const struct docview *v, int id, size_t row)
{
	const struct dv_val *x = get_val(v, id, row);

	if (x == NULL)
		return 0;
	return dv_names[id].flag ? x->flag : present(x->t);
}

const char *
docview_language(const struct docview *v)
{
	return v->lang;
}

int
docview_layout_version(const struct docview *v)
{
	return v->layout_version;
}

const unsigned char *
docview_logo(const struct docview *v, size_t *len)
{
	*len = v->logo_len;
	return v->logo_len > 0 ? v->logo : NULL;
}

const char *
docview_iso_date(const struct docview *v)
{
	return v->issue_date[0] != '\0' ? v->issue_date : NULL;
}
