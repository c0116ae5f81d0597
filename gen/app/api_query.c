/*
 * api_query.c - the public calls of libinvgen (invgen.h) that only read:
 * the list of documents, the explanation of a VAT decision, the tax
 * reports, the state of the ECB rates, and the seller profiles and
 * orders as an operator sees them.  Each returns text, CSV or JSON by
 * its format argument (enum invgen_format) and writes nothing, so it
 * works on a handle opened read-only.  Part of the api module
 * (api_private.h), split from api.c by concern.
 *
 * Text meant for a terminal shows every stored character that would act
 * on it instead (a control character, a bidi override, a line
 * separator) as U+FFFD; JSON carries the stored text escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "api_private.h"
#include "batch.h"
#include "caldate.h"
#include "docjson.h"
#include "ecb.h"
#include "issue.h"
#include "json.h"
#include "money.h"
#include "order.h"
#include "report.h"
#include "seller.h"

/* rc, and when it is GEN_OK the text written into b as *out (owned);
 * b is emptied either way. */
static enum gen_rc
text_out(enum gen_rc rc, struct buf *b, char **out)
{
	if (rc == GEN_OK)
		*out = buf_detach(b, NULL);
	buf_free(b);
	return rc;
}

/* The format argument, or GEN_EUSAGE naming what this call allows. */
static enum gen_rc
check_format(int format, int csv_ok, struct gen_err *err)
{
	if (format == INVGEN_TEXT || format == INVGEN_JSON ||
	    (csv_ok && format == INVGEN_CSV))
		return GEN_OK;
	return gen_err_set(err, GEN_EUSAGE, "format: %d is not allowed; "
	    "allowed: text (0), %sJSON (2)", format, csv_ok ? "CSV (1), " : "");
}

/* 1 for a character that would move or hide text on a terminal: C0 and
 * C1 controls, bidi controls, line and paragraph separators. */
static int
masked(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Append s padded or cut to width display columns (UTF-8 aware; width 0:
 * all of it, unpadded, no trailing space).  A character that would act
 * on the terminal instead of showing (a stored U+202E, a newline) and an
 * ill-formed sequence are shown as U+FFFD.
 */
static void
cell(struct buf *b, const char *s, size_t width, int right)
{
	size_t cols = 0, bytes = 0, n = s ? strlen(s) : 0;
	struct buf text = { 0 };

	while (bytes < n) {
		size_t next = bytes, w;
		UChar32 cp;

		U8_NEXT((const uint8_t *)s, next, n, cp);
		/* East Asian wide characters take two terminal columns. */
		w = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 &&
		    cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
		    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 &&
		    cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
		    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000 ? 2 : 1;
		if (width > 0 && cols + w > width)
			break;
		if (cp < 0 || masked((uint32_t)cp))
			buf_puts(&text, "\xEF\xBF\xBD");
		else
			buf_append(&text, s + bytes, next - bytes);
		bytes = next;
		cols += w;
	}
	if (right)
		for (size_t i = cols; i < width; i++)
			buf_putc(b, ' ');
	buf_append(b, text.data ? text.data : "", text.len);
	if (width == 0) {
		buf_free(&text);
		return;
	}
	if (!right)
		for (size_t i = cols; i < width; i++)
			buf_putc(b, ' ');
	buf_putc(b, ' ');
	buf_free(&text);
}

/* A column of a text table: its heading, its width in display columns
 * and whether it is right-aligned. */
struct column {
	const char *title;
	size_t width;
	int right;
};
#define NCOLUMNS(t)	(sizeof(t) / sizeof((t)[0]))

/* The cells of one row of a table as cell() pads them: the values v, or
 * the headings when v is NULL.  The caller writes the last column. */
static void
cells(struct buf *b, const struct column *cols, size_t n,
    const char *const *v)
{
	for (size_t i = 0; i < n; i++)
		cell(b, v != NULL ? v[i] : cols[i].title, cols[i].width,
		    cols[i].right);
}

/* The start of a list into b: with json a JSON array (w), else the
 * headings of a table of columns cols and a last one, last. */
static void
list_begin(struct buf *b, struct jsonw *w, int json,
    const struct column *cols, size_t n, const char *last)
{
	if (json) {
		jsonw_init(w, b, 0);
		jsonw_array_begin(w);
		return;
	}
	cells(b, cols, n, NULL);
	buf_printf(b, "%s\n", last);
}

/*
 * A JSON value as "path: value" lines, one per scalar (objects as
 * path.key, arrays as path[i]), strings shown as cell() shows them: the
 * readable form of the records seller show and order show print, which
 * follows their JSON form member for member.
 */
static void
text_lines(const struct json *v, const char *path, struct buf *out)
{
	char sub[256];

	switch (json_type(v)) {
	case JSON_OBJECT:
		for (size_t i = 0; i < json_len(v); i++) {
			snprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ?
			    "." : "", json_key_at(v, i));
			text_lines(json_value_at(v, i), sub, out);
		}
		return;
	case JSON_ARRAY:
		for (size_t i = 0; i < json_len(v); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			text_lines(json_at(v, i), sub, out);
		}
		return;
	default:
		break;
	}
	buf_printf(out, "%s: ", path);
	switch (json_type(v)) {
	case JSON_STRING:
		cell(out, json_str(v, NULL), 0, 0);
		break;
	case JSON_NUMBER:
		buf_puts(out, json_number_text(v));
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	default:
		buf_puts(out, "null");
		break;
	}
	buf_putc(out, '\n');
}

/* The JSON text j (ours) as text_lines(), into out. */
static enum gen_rc
json_as_lines(const struct buf *j, struct buf *out, struct gen_err *err)
{
	struct json *root = NULL;
	enum gen_rc rc;

	if ((rc = json_parse(j->data, j->len, j->len + 1, &root, err)) !=
	    GEN_OK)
		return gen_err_prefix(err, "internal: ");
	text_lines(root, "", out);
	json_free(root);
	return GEN_OK;
}

/* ---- reports ------------------------------------------------------- */

enum gen_rc
invgen_report_oss(struct invgen *inv, const char *quarter, int format,
    char **out, struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 1, err)) != GEN_OK)
		return rc;
	return text_out(report_oss(inv->store, quarter,
	    (enum report_format)format, &b, err), &b, out);
}

enum gen_rc
invgen_report_sales(struct invgen *inv, const char *from, const char *to,
    const char *by, int format, char **out, struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 1, err)) != GEN_OK)
		return rc;
	return text_out(report_sales(inv->store, from ? from : "1900-01-01",
	    to ? to : "2999-12-31", by, (enum report_format)format, &b, err),
	    &b, out);
}

/* The two filing reports: report_vat_return or report_ec_sales. */
static enum gen_rc
filing_report(struct invgen *inv, int ec, const char *month, int format,
    char **out, struct gen_err *err)
{
	struct buf b = { 0 };
	int mismatch = 0;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 1, err)) != GEN_OK)
		return rc;
	rc = (ec ? report_ec_sales : report_vat_return)(inv->store, month,
	    (enum report_format)format, &b, &mismatch, err);
	if (rc == GEN_OK) {
		*out = buf_detach(&b, NULL);
		if (mismatch)
			rc = gen_err_set(err, GEN_ECONFLICT, "%s %s does not "
			    "agree with %s (see MISMATCH in the report)",
			    ec ? "FR0564" : "the VAT return", month, ec ?
			    "box 20 of the VAT return" :
			    "the i.SAF register or FR0564");
	}
	buf_free(&b);
	return rc;
}

enum gen_rc
invgen_report_vat_return(struct invgen *inv, const char *month, int format,
    char **out, struct gen_err *err)
{
	return filing_report(inv, 0, month, format, out, err);
}

enum gen_rc
invgen_report_ec_sales(struct invgen *inv, const char *month, int format,
    char **out, struct gen_err *err)
{
	return filing_report(inv, 1, month, format, out, err);
}

enum gen_rc
invgen_report_unpaid(struct invgen *inv, int format, char **out,
    struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 1, err)) != GEN_OK)
		return rc;
	config_tick(&inv->cfg);
	return text_out(report_unpaid(inv->store, inv->cfg.today,
	    (enum report_format)format, &b, err), &b, out);
}

enum gen_rc
invgen_export_isaf(struct invgen *inv, const char *month, char **out,
    struct gen_err *err)
{
	struct buf b = { 0 };

	*out = NULL;
	config_tick(&inv->cfg);
	return text_out(report_isaf(inv->store, month, inv->cfg.now,
	    invgen_version(), &b, err), &b, out);
}

enum gen_rc
invgen_rates_status(struct invgen *inv, const char *currency, int format,
    char **out, struct gen_err *err)
{
	struct store_fx_last *last = NULL;
	struct buf b = { 0 };
	size_t n = 0;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK)
		return rc;
	if (currency != NULL && (strlen(currency) != 3 ||
	    strspn(currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
		return gen_err_set(err, GEN_EINPUT, "currency: '%.40s' is not a "
		    "currency code (three capital letters, e.g. USD)", currency);
	config_tick(&inv->cfg);
	if ((rc = store_fx_last(inv->store, currency, &last, &n, err)) !=
	    GEN_OK)
		return rc;
	if (n == 0)
		rc = gen_err_set(err, GEN_ENOTFOUND, "exchange_rate: no ECB rate "
		    "%s%s is stored", currency ? "of " : "", currency ?
		    currency : "");
	else {
		ecb_status_write(last, n, inv->cfg.today, format == INVGEN_JSON,
		    &b);
		*out = buf_detach(&b, NULL);
	}
	free(last);
	return rc;
}

/* ---- documents ----------------------------------------------------- */

/* The table of invgen_list, then its last column: the currency. */
static const struct column list_columns[] = {
	{ "number", 13, 0 }, { "kind", 18, 0 }, { "issued", 10, 0 },
	{ "payer", 26, 0 }, { "cc", 2, 0 }, { "treatment", 18, 0 },
	{ "rate", 5, 1 }, { "net", 11, 1 }, { "VAT", 9, 1 }, { "total", 11, 1 },
};

/* The row of document d in that table. */
static void
list_row(struct buf *b, const struct document *d)
{
	char a[40], v[40], tot[40], r[16];
	const char *row[NCOLUMNS(list_columns)] = { d->number,
	    doc_kind_name(d->kind), d->issue_date, d->payer.name,
	    d->payer.country, tax_treatment_name(d->treatment),
	    d->vat_category[0] == 'S' ? r : "-", a, v, tot };

	money_format(d->net_minor, d->currency_digits, a, sizeof(a));
	money_format(d->vat_minor, d->currency_digits, v, sizeof(v));
	money_format(d->total_minor, d->currency_digits, tot, sizeof(tot));
	money_format_rate(d->vat_rate_bp, r, sizeof(r));
	if (strcmp(r + strlen(r) - 3, ".00") == 0)
		r[strlen(r) - 3] = '\0';	/* "21", "25.50" */
	cells(b, list_columns, NCOLUMNS(list_columns), row);
	buf_printf(b, "%s\n", d->currency);
}

enum gen_rc
invgen_list(struct invgen *inv, const char *from, const char *to,
    const char *kinds, int format, char **out, struct gen_err *err)
{
	int32_t f = caldate_from_ymd(1900, 1, 1), t = caldate_from_ymd(2999, 12,
	    31);
	int64_t *ids = NULL;
	unsigned mask;
	size_t n = 0;
	struct buf b = { 0 };
	struct jsonw w;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK ||
	    (rc = batch_parse_kinds(kinds, &mask, err)) != GEN_OK)
		return rc;
	if ((from != NULL && (rc = caldate_parse(from, &f, "from", err)) !=
	    GEN_OK) || (to != NULL && (rc = caldate_parse(to, &t, "to",
	    err)) != GEN_OK))
		return rc;
	if ((rc = store_document_ids(inv->store, f, t, mask, &ids, &n, err)) !=
	    GEN_OK)
		return rc;
	list_begin(&b, &w, format == INVGEN_JSON, list_columns,
	    NCOLUMNS(list_columns), "cur");
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		struct document *d = NULL;
		char *amount = NULL;

		if ((rc = store_document_load_id(inv->store, ids[i], &d, err)) !=
		    GEN_OK)
			break;
		if (format == INVGEN_JSON) {
			struct buf one = { 0 };

			if ((rc = api_amount_text(inv, d, &amount, err)) ==
			    GEN_OK) {
				docjson_write(d, NULL, 0, -1, amount, NULL, &one);
				jsonw_json(&w, one.data);
			}
			buf_free(&one);
			free(amount);
		} else
			list_row(&b, d);
		document_free(d);
	}
	free(ids);
	if (rc != GEN_OK) {
		buf_free(&b);
		return rc;
	}
	if (format == INVGEN_JSON) {
		jsonw_array_end(&w);
		buf_putc(&b, '\n');
	} else
		buf_printf(&b, "%zu document%s\n", n, n == 1 ? "" : "s");
	*out = buf_detach(&b, NULL);
	return GEN_OK;
}

/* The decision as a JSON object (explain --json). */
static void
explain_json(const struct order *o, const char *day,
    const struct tax_decision *dec, const char *issued, struct buf *b)
{
	struct jsonw w;
	char rate[16];

	jsonw_init(&w, b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "order_no");
	jsonw_string(&w, o->order_no);
	jsonw_key(&w, "paid");
	jsonw_bool(&w, o->paid_at != NULL);
	jsonw_key(&w, "decision_date");
	jsonw_string(&w, day);
	jsonw_key(&w, "payer");
	jsonw_object_begin(&w);
	jsonw_key(&w, "name");
	jsonw_string(&w, o->payer.name);
	jsonw_key(&w, "country");
	jsonw_string(&w, o->payer.country);
	jsonw_key(&w, "is_business");
	jsonw_bool(&w, o->payer.is_business);
	jsonw_key(&w, "vat_number");
	jsonw_string(&w, o->payer.vat_number);
	jsonw_object_end(&w);
	money_format_rate(dec->rate_bp, rate, sizeof(rate));
	jsonw_key(&w, "treatment");
	jsonw_string(&w, tax_treatment_name(dec->treatment));
	jsonw_key(&w, "category");
	jsonw_string(&w, dec->category);
	jsonw_key(&w, "rate");
	jsonw_string(&w, rate);
	jsonw_key(&w, "vat_country");
	jsonw_string(&w, dec->vat_country[0] ? dec->vat_country : NULL);
	jsonw_key(&w, "location_country");
	jsonw_string(&w, dec->location_country[0] ? dec->location_country :
	    NULL);
	jsonw_key(&w, "territory");
	jsonw_string(&w, dec->territory[0] ? dec->territory : NULL);
	jsonw_key(&w, "rule");
	jsonw_string(&w, dec->rule);
	jsonw_key(&w, "basis");
	jsonw_string(&w, dec->basis);
	jsonw_key(&w, "exemption_code");
	jsonw_string(&w, dec->exemption_code);
	jsonw_key(&w, "explanation");
	jsonw_string(&w, dec->explanation);
	jsonw_key(&w, "issued_as");
	jsonw_string(&w, issued);
	jsonw_object_end(&w);
	buf_putc(b, '\n');
}

enum gen_rc
invgen_explain(struct invgen *inv, const char *order_no, int format,
    char **out, struct gen_err *err)
{
	struct order *o = NULL;
	struct seller_profile *sp = NULL;
	struct tax_decision dec;
	struct buf b = { 0 };
	char number[96], rate[16], day[CALDATE_LEN];
	int32_t date;
	int64_t paid;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK)
		return rc;
	config_tick(&inv->cfg);
	date = inv->cfg.today;
	if ((rc = store_order_load(inv->store, order_no, &o, err)) != GEN_OK)
		return rc;
	if (o->paid_at != NULL) {
		if ((rc = timestamp_parse(o->paid_at, &paid, "paid_at", err)) !=
		    GEN_OK)
			goto out;
		date = timestamp_lt_date(paid);
	}
	caldate_format(date, day);
	if ((rc = issue_decide(inv->store, o, date, &sp, &dec, err)) != GEN_OK)
		goto out;
	number[0] = '\0';
	if (store_document_for_order(inv->store, o->id, DOC_INVOICE, number,
	    sizeof(number), err) != GEN_OK)
		number[0] = '\0';
	gen_err_clear(err);
	if (format == INVGEN_JSON) {
		explain_json(o, day, &dec, number[0] ? number : NULL, &b);
		goto out;
	}
	buf_printf(&b, "Order %s, %s, payer %s (%s%s%s).\n", o->order_no,
	    o->paid_at ? "paid" : "not yet paid; decision as of today",
	    o->payer.name, o->payer.country,
	    o->payer.is_business ? ", business" : "",
	    o->payer.vat_number ? ", VAT number given" : "");
	money_format_rate(dec.rate_bp, rate, sizeof(rate));
	buf_printf(&b, "Decision: %s, VAT category %s, rate %s %%%s%s.\n",
	    tax_treatment_name(dec.treatment), dec.category, rate,
	    dec.vat_country[0] ? ", VAT of " : "", dec.vat_country);
	buf_printf(&b, "Rule: %s. Legal basis: %s.\n", dec.rule, dec.basis);
	if (dec.exemption_code != NULL)
		buf_printf(&b, "Exemption reason code (EN 16931): %s.\n",
		    dec.exemption_code);
	buf_printf(&b, "Why: %s\n", dec.explanation);
	if (number[0] != '\0')
		buf_printf(&b, "Issued as invoice %s (the stored snapshot keeps "
		    "the decision made at issue time).\n", number);
out:
	if (rc == GEN_OK)
		*out = buf_detach(&b, NULL);
	buf_free(&b);
	order_free(o);
	seller_profile_free(sp);
	return rc;
}

/* ---- seller profiles ----------------------------------------------- */

/*
 * A profile as JSON: its id, every field `seller add` takes, whether it
 * is open (no end date), the documents it issued and the latest tax
 * point among them.
 */
static enum gen_rc
seller_json(struct invgen *inv, int64_t id, struct jsonw *w,
    struct gen_err *err)
{
	struct seller_profile *sp = NULL;
	char last[CALDATE_LEN], number[128];
	enum gen_rc rc;

	if ((rc = store_seller_by_id(inv->store, id, &sp, err)) != GEN_OK ||
	    (rc = store_seller_last_tax_point(inv->store, id, last, number,
	    sizeof(number), err)) != GEN_OK) {
		seller_profile_free(sp);
		return rc;
	}
	jsonw_object_begin(w);
	jsonw_key(w, "id");
	jsonw_int(w, sp->id);
	seller_write_members(sp, w);
	jsonw_key(w, "open");
	jsonw_bool(w, sp->valid_to[0] == '\0');
	jsonw_key(w, "last_document");
	jsonw_string(w, number[0] ? number : NULL);
	jsonw_key(w, "last_tax_point");
	jsonw_string(w, last[0] ? last : NULL);
	jsonw_object_end(w);
	seller_profile_free(sp);
	return GEN_OK;
}

/* The table of invgen_seller_list, then its last column: the IBAN. */
static const struct column seller_columns[] = {
	{ "id", 4, 1 }, { "from", 10, 0 }, { "to", 10, 0 },
	{ "legal name", 24, 0 }, { "VAT number", 16, 0 }, { "series", 26, 0 },
};

/* The row of profile sp in that table. */
static void
seller_row(struct buf *b, const struct seller_profile *sp)
{
	char id[24], series[128];
	const char *row[NCOLUMNS(seller_columns)] = { id, sp->valid_from,
	    sp->valid_to[0] ? sp->valid_to : "open", sp->party.name,
	    sp->party.vat_number ? sp->party.vat_number : "-", series };

	snprintf(id, sizeof(id), "%lld", (long long)sp->id);
	snprintf(series, sizeof(series), "%s %s %s", sp->invoice_series,
	    sp->credit_series, sp->transfer_series);
	cells(b, seller_columns, NCOLUMNS(seller_columns), row);
	cell(b, sp->bank.iban ? sp->bank.iban : "-", 0, 0);
	buf_putc(b, '\n');
}

enum gen_rc
invgen_seller_list(struct invgen *inv, int format, char **out,
    struct gen_err *err)
{
	struct buf b = { 0 };
	struct jsonw w;
	int64_t *ids = NULL;
	size_t n = 0;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK ||
	    (rc = store_begin_read(inv->store, err)) != GEN_OK)
		return rc;
	if ((rc = store_seller_ids(inv->store, &ids, &n, err)) != GEN_OK)
		goto out;
	list_begin(&b, &w, format == INVGEN_JSON, seller_columns,
	    NCOLUMNS(seller_columns), "IBAN");
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		struct seller_profile *sp = NULL;

		if (format == INVGEN_JSON)
			rc = seller_json(inv, ids[i], &w, err);
		else if ((rc = store_seller_by_id(inv->store, ids[i], &sp,
		    err)) == GEN_OK)
			seller_row(&b, sp);
		seller_profile_free(sp);
	}
	if (rc == GEN_OK && format == INVGEN_JSON) {
		jsonw_array_end(&w);
		buf_putc(&b, '\n');
	} else if (rc == GEN_OK)
		buf_printf(&b, "%zu seller profile%s\n", n, n == 1 ? "" : "s");
out:
	store_rollback(inv->store);
	free(ids);
	return text_out(rc, &b, out);
}

enum gen_rc
invgen_seller_show(struct invgen *inv, int64_t id, int format, char **out,
    struct gen_err *err)
{
	struct buf j = { 0 }, b = { 0 };
	struct jsonw w;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK ||
	    (rc = store_begin_read(inv->store, err)) != GEN_OK)
		return rc;
	jsonw_init(&w, &j, 0);
	rc = seller_json(inv, id, &w, err);
	store_rollback(inv->store);
	if (rc == GEN_OK && format == INVGEN_JSON) {
		buf_putc(&j, '\n');
		*out = buf_detach(&j, NULL);
	} else if (rc == GEN_OK && (rc = json_as_lines(&j, &b, err)) ==
	    GEN_OK)
		*out = buf_detach(&b, NULL);
	buf_free(&j);
	buf_free(&b);
	return rc;
}

/* ---- orders -------------------------------------------------------- */

/* What an order is waiting for and when it was due. */
struct awaiting {
	const struct store_order_doc *doc;	/* NULL: paid, or none */
	int64_t left_minor;		/* still to pay on it */
	long days_overdue;		/* > 0: past its due date */
};

/*
 * The document an unpaid order waits to be paid by: its invoice on
 * credit terms (what is left of it), else its payment order; the days
 * past the due date as of today.
 */
static void
awaiting_of(const char *paid_at, const struct store_order_doc *docs,
    size_t n, int32_t today, struct awaiting *a)
{
	int32_t due;

	memset(a, 0, sizeof(*a));
	if (paid_at != NULL)
		return;
	for (size_t i = 0; i < n && a->doc == NULL; i++)
		if (docs[i].kind == DOC_INVOICE && docs[i].due_date[0] != '\0') {
			a->doc = &docs[i];
			a->left_minor = docs[i].total_minor +
			    docs[i].credited_minor - docs[i].paid_minor;
		}
	for (size_t i = 0; i < n && a->doc == NULL; i++)
		if (docs[i].kind == DOC_TRANSFER_ORDER) {
			a->doc = &docs[i];
			a->left_minor = docs[i].total_minor;
		}
	if (a->doc != NULL && a->doc->due_date[0] != '\0' &&
	    caldate_parse(a->doc->due_date, &due, "due_date", NULL) == GEN_OK &&
	    today > due)
		a->days_overdue = (long)(today - due);
}

/* The order's own document (its invoice, receipt or use of the balance),
 * or NULL. */
static const struct store_order_doc *
own_document(const struct store_order_doc *docs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (docs[i].kind == DOC_INVOICE ||
		    docs[i].kind == DOC_PREPAYMENT_RECEIPT ||
		    docs[i].kind == DOC_BALANCE_USE)
			return &docs[i];
	return NULL;
}

/* The members of an order's state: status, document, awaiting. */
static void
state_json(const char *paid_at, const struct store_order_doc *docs,
    size_t n, const struct awaiting *a, struct jsonw *w)
{
	const struct store_order_doc *own = own_document(docs, n);

	jsonw_key(w, "status");
	jsonw_string(w, paid_at != NULL ? "paid" : "unpaid");
	jsonw_key(w, "document");
	if (own != NULL) {
		jsonw_object_begin(w);
		jsonw_key(w, "number");
		jsonw_string(w, own->number);
		jsonw_key(w, "kind");
		jsonw_string(w, doc_kind_name(own->kind));
		jsonw_object_end(w);
	} else
		jsonw_null(w);
	jsonw_key(w, "awaiting");
	if (a->doc != NULL) {
		char left[40];

		money_format(a->left_minor, a->doc->currency_digits, left,
		    sizeof(left));
		jsonw_object_begin(w);
		jsonw_key(w, "number");
		jsonw_string(w, a->doc->number);
		jsonw_key(w, "kind");
		jsonw_string(w, doc_kind_name(a->doc->kind));
		jsonw_key(w, "due_date");
		jsonw_string(w, a->doc->due_date[0] ? a->doc->due_date : NULL);
		jsonw_key(w, "left_minor");
		jsonw_int(w, a->left_minor);
		jsonw_key(w, "left");
		jsonw_string(w, left);
		jsonw_key(w, "past_due");
		jsonw_bool(w, a->days_overdue > 0);
		jsonw_key(w, "days_overdue");
		jsonw_int(w, a->days_overdue);
		jsonw_object_end(w);
	} else
		jsonw_null(w);
}

/* The table of invgen_order_list, then its last column: the days
 * overdue. */
static const struct column order_columns[] = {
	{ "order", 14, 0 }, { "created", 10, 0 }, { "payer", 24, 0 },
	{ "cc", 2, 0 }, { "cur", 3, 0 }, { "status", 6, 0 },
	{ "document", 13, 0 }, { "awaiting", 13, 0 }, { "left", 11, 1 },
	{ "due", 10, 0 },
};

/* The row of order r in that table: own, its own document, and a, what
 * it waits for. */
static void
order_row(struct buf *b, const struct store_order_row *r,
    const struct store_order_doc *own, const struct awaiting *a)
{
	char day[16], left[40], over[48];
	const char *row[NCOLUMNS(order_columns)] = { r->order_no, day,
	    r->payer_name, r->payer_country, r->currency,
	    r->paid_at != NULL ? "paid" : "unpaid",
	    own != NULL ? own->number : "-",
	    a->doc != NULL ? a->doc->number : "-",
	    a->doc != NULL ? left : "-",
	    a->doc != NULL && a->doc->due_date[0] ? a->doc->due_date : "-" };

	snprintf(day, sizeof(day), "%.10s", r->created_at ? r->created_at :
	    "");	/* its date */
	left[0] = '\0';
	if (a->doc != NULL)
		money_format(a->left_minor, a->doc->currency_digits, left,
		    sizeof(left));
	if (a->days_overdue > 0)
		snprintf(over, sizeof(over), "PAST DUE %ld day%s",
		    a->days_overdue, a->days_overdue == 1 ? "" : "s");
	else
		snprintf(over, sizeof(over), "-");
	cells(b, order_columns, NCOLUMNS(order_columns), row);
	buf_printf(b, "%s\n", a->doc != NULL ? over : "-");
}

enum gen_rc
invgen_order_list(struct invgen *inv, int unpaid, int format, char **out,
    struct gen_err *err)
{
	struct store_order_row *rows = NULL;
	struct buf b = { 0 };
	struct jsonw w;
	size_t n = 0, past = 0;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK)
		return rc;
	config_tick(&inv->cfg);
	if ((rc = store_begin_read(inv->store, err)) != GEN_OK)
		return rc;
	if ((rc = store_order_rows(inv->store, unpaid, &rows, &n, err)) !=
	    GEN_OK)
		goto out;
	list_begin(&b, &w, format == INVGEN_JSON, order_columns,
	    NCOLUMNS(order_columns), "overdue");
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		const struct store_order_row *r = &rows[i];
		struct store_order_doc *docs = NULL;
		const struct store_order_doc *own;
		struct awaiting a;
		size_t nd = 0;

		if ((rc = store_order_docs(inv->store, r->id, &docs, &nd, err)) !=
		    GEN_OK)
			break;
		awaiting_of(r->paid_at, docs, nd, inv->cfg.today, &a);
		past += a.days_overdue > 0;
		own = own_document(docs, nd);
		if (format == INVGEN_JSON) {
			jsonw_object_begin(&w);
			jsonw_key(&w, "order_no");
			jsonw_string(&w, r->order_no);
			jsonw_key(&w, "created_at");
			jsonw_string(&w, r->created_at);
			jsonw_key(&w, "paid_at");
			jsonw_string(&w, r->paid_at);
			jsonw_key(&w, "currency");
			jsonw_string(&w, r->currency);
			jsonw_key(&w, "payment_method");
			jsonw_string(&w, r->payment_method);
			jsonw_key(&w, "payer");
			jsonw_object_begin(&w);
			jsonw_key(&w, "name");
			jsonw_string(&w, r->payer_name);
			jsonw_key(&w, "country");
			jsonw_string(&w, r->payer_country);
			jsonw_object_end(&w);
			state_json(r->paid_at, docs, nd, &a, &w);
			jsonw_object_end(&w);
		} else
			order_row(&b, r, own, &a);
		store_order_docs_free(docs, nd);
	}
	if (rc != GEN_OK)
		goto out;
	if (format == INVGEN_JSON) {
		jsonw_array_end(&w);
		buf_putc(&b, '\n');
	} else
		buf_printf(&b, "%zu %sorder%s, %zu past due\n", n, unpaid ?
		    "unpaid " : "", n == 1 ? "" : "s", past);
out:
	store_rollback(inv->store);
	store_order_rows_free(rows, n);
	return text_out(rc, &b, out);
}

enum gen_rc
invgen_order_show(struct invgen *inv, const char *order_no, int format,
    char **out, struct gen_err *err)
{
	struct order *o = NULL;
	struct store_order_doc *docs = NULL;
	struct buf j = { 0 }, b = { 0 };
	struct jsonw w;
	struct awaiting a;
	size_t nd = 0;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = check_format(format, 0, err)) != GEN_OK)
		return rc;
	config_tick(&inv->cfg);
	if ((rc = store_begin_read(inv->store, err)) != GEN_OK)
		return rc;
	if ((rc = store_order_load(inv->store, order_no, &o, err)) != GEN_OK ||
	    (rc = store_order_docs(inv->store, o->id, &docs, &nd, err)) !=
	    GEN_OK)
		goto out;
	awaiting_of(o->paid_at, docs, nd, inv->cfg.today, &a);
	jsonw_init(&w, &j, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "order");
	order_write_json(o, &w);
	state_json(o->paid_at, docs, nd, &a, &w);
	jsonw_key(&w, "documents");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < nd; i++) {
		char total[40];

		money_format(docs[i].total_minor, docs[i].currency_digits, total,
		    sizeof(total));
		jsonw_object_begin(&w);
		jsonw_key(&w, "number");
		jsonw_string(&w, docs[i].number);
		jsonw_key(&w, "kind");
		jsonw_string(&w, doc_kind_name(docs[i].kind));
		jsonw_key(&w, "issue_date");
		jsonw_string(&w, docs[i].issue_date);
		jsonw_key(&w, "currency");
		jsonw_string(&w, docs[i].currency);
		jsonw_key(&w, "total_minor");
		jsonw_int(&w, docs[i].total_minor);
		jsonw_key(&w, "total");
		jsonw_string(&w, total);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	if (format == INVGEN_JSON) {
		buf_putc(&j, '\n');
		*out = buf_detach(&j, NULL);
	} else if ((rc = json_as_lines(&j, &b, err)) == GEN_OK)
		*out = buf_detach(&b, NULL);
out:
	store_rollback(inv->store);
	store_order_docs_free(docs, nd);
	order_free(o);
	buf_free(&j);
	buf_free(&b);
	return rc;
}
