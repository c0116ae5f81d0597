/*
 * docjson.c - writes struct document as JSON (see docjson.h).  Amounts are
 * given twice: as integer minor units ("total_minor") for programs and as
 * plain decimal strings ("total": "145.20") that no client has to scale;
 * rates as decimal strings ("21.00").
 */
#include <stdio.h>
#include <string.h>

#include "docjson.h"
#include "json.h"
#include "money.h"
#include "rfref.h"
#include "text.h"

static void
kv_str(struct jsonw *w, const char *k, const char *v)
{
	jsonw_key(w, k);
	jsonw_string(w, v && v[0] ? v : NULL);
}

static void
kv_int(struct jsonw *w, const char *k, int64_t v)
{
	jsonw_key(w, k);
	jsonw_int(w, v);
}

static void
kv_amount(struct jsonw *w, const char *k, int64_t minor, int digits)
{
	char key[64], s[40];

	snprintf(key, sizeof(key), "%s_minor", k);
	kv_int(w, key, minor);
	money_format(minor, digits, s, sizeof(s));
	kv_str(w, k, s);
}

static void
kv_rate(struct jsonw *w, const char *k, int64_t bp)
{
	char s[24];

	money_format_rate(bp, s, sizeof(s));
	kv_str(w, k, s);
}

static void
party(struct jsonw *w, const char *key, const struct party *p)
{
	jsonw_key(w, key);
	jsonw_object_begin(w);
	kv_str(w, "name", p->name);
	kv_str(w, "address_line1", p->address_line1);
	kv_str(w, "address_line2", p->address_line2);
	kv_str(w, "city", p->city);
	kv_str(w, "postal_code", p->postal_code);
	kv_str(w, "region", p->region);
	kv_str(w, "country", p->country);
	kv_str(w, "vat_number", p->vat_number);
	kv_str(w, "company_code", p->company_code);
	if (p->telegram_id != 0)
		kv_int(w, "telegram_id", p->telegram_id);
	jsonw_object_end(w);
}

void
docjson_write(const struct document *d, const struct docjson_file *files,
    size_t nfiles, int existed, const char *amount_text,
    const struct text_warnings *warn, struct buf *out)
{
	struct jsonw w;
	int dg = d->currency_digits;

	jsonw_init(&w, out, 0);
	jsonw_object_begin(&w);
	kv_str(&w, "number", d->number);
	if (d->kind == DOC_TRANSFER_ORDER && d->payment_reference != NULL) {
		char ref[RFREF_PRINT_SIZE];

		rfref_format(d->payment_reference, ref, sizeof(ref));
		kv_str(&w, "reference", d->payment_reference);
		kv_str(&w, "reference_formatted", ref);
		kv_int(&w, "amount_minor", d->total_minor);
		kv_str(&w, "amount", amount_text);
	}
	kv_str(&w, "kind", doc_kind_name(d->kind));
	kv_str(&w, "series", d->series);
	kv_int(&w, "seq", d->seq);
	kv_str(&w, "order_no", d->order_no);
	if (existed >= 0) {
		jsonw_key(&w, "existed");
		jsonw_bool(&w, existed);
	}
	kv_str(&w, "issue_date", d->issue_date);
	kv_str(&w, "tax_point_date", d->tax_point_date);
	if (d->due_date[0])
		kv_str(&w, "due_date", d->due_date);
	kv_str(&w, "language", d->language);
	kv_str(&w, "currency", d->currency);
	kv_int(&w, "currency_digits", dg);
	kv_amount(&w, "net", d->net_minor, dg);
	kv_amount(&w, "vat", d->vat_minor, dg);
	kv_amount(&w, "total", d->total_minor, dg);
	kv_str(&w, "treatment", tax_treatment_name(d->treatment));
	kv_str(&w, "category", d->vat_category);
	kv_rate(&w, "rate", d->vat_rate_bp);
	kv_str(&w, "vat_country", d->vat_country);
	kv_str(&w, "location_country", d->location_country);
	kv_str(&w, "tax_rule", d->tax_rule);
	if (d->territory != NULL)
		kv_str(&w, "territory", d->territory);
	kv_int(&w, "layout_version", d->layout_version);
	if (d->render_env != NULL)
		kv_str(&w, "render_env", d->render_env);
	if (d->has_vat_eur) {
		kv_amount(&w, "vat_eur", d->vat_eur_minor, 2);
		kv_str(&w, "fx_units_per_eur", d->fx_units_per_eur);
		kv_str(&w, "fx_rate_date", d->fx_rate_date);
	}
	kv_str(&w, "payment_method", d->payment_method);
	kv_str(&w, "paid_at", d->paid_at);
	if (d->payment_reference != NULL && d->kind != DOC_TRANSFER_ORDER)
		kv_str(&w, "payment_reference", d->payment_reference);
	if (d->kind == DOC_CREDIT_NOTE || d->corrects_number != NULL) {
		kv_str(&w, "corrects", d->corrects_number);
		kv_str(&w, "corrects_issue_date", d->corrects_issue_date);
	}
	if (d->kind == DOC_CREDIT_NOTE || d->credit_reason != NULL)
		kv_str(&w, "reason", d->credit_reason);
	/* Later fields only where they apply, so that the JSON of the
	 * documents of earlier versions is unchanged. */
	if (d->credit_to != NULL)
		kv_str(&w, "credit_to", d->credit_to);
	if (d->origin_number != NULL)
		kv_str(&w, "balance_credit_of", d->origin_number);
	if (d->ndraws > 0) {
		jsonw_key(&w, "draws");
		jsonw_array_begin(&w);
		for (size_t i = 0; i < d->ndraws; i++) {
			const struct doc_draw *x = &d->draws[i];

			jsonw_object_begin(&w);
			kv_str(&w, "source", x->source_number);
			kv_str(&w, "source_kind", doc_kind_name(x->source_kind));
			kv_str(&w, "source_issue_date", x->source_issue_date);
			kv_amount(&w, "amount", x->amount_minor, dg);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
	}
	party(&w, "seller", &d->seller);
	party(&w, "payer", &d->payer);
	jsonw_key(&w, "customer");
	if (d->customer_telegram_id != 0) {
		jsonw_object_begin(&w);
		kv_int(&w, "telegram_id", d->customer_telegram_id);
		kv_str(&w, "username", d->customer_username);
		jsonw_object_end(&w);
	} else
		jsonw_null(&w);
	jsonw_key(&w, "lines");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < d->nlines; i++) {
		const struct doc_line *l = &d->lines[i];

		jsonw_object_begin(&w);
		kv_int(&w, "line_no", l->line_no);
		kv_str(&w, "item", l->item);
		kv_str(&w, "description", l->description);
		if (l->period_months)
			kv_int(&w, "period_months", l->period_months);
		if (l->period_from[0] != '\0') {
			jsonw_key(&w, "service_period");
			jsonw_object_begin(&w);
			kv_str(&w, "from", l->period_from);
			kv_str(&w, "to", l->period_to);
			jsonw_object_end(&w);
		}
		kv_int(&w, "quantity", l->quantity);
		kv_amount(&w, "unit_price", l->unit_price_minor, dg);
		kv_rate(&w, "discount_percent", l->discount_bp);
		kv_amount(&w, "net", l->net_minor, dg);
		kv_str(&w, "category", l->vat_category);
		kv_rate(&w, "rate", l->vat_rate_bp);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "vat_breakdown");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < d->nvats; i++) {
		const struct doc_vat *v = &d->vats[i];

		jsonw_object_begin(&w);
		kv_str(&w, "category", v->vat_category);
		kv_rate(&w, "rate", v->vat_rate_bp);
		kv_amount(&w, "taxable", v->taxable_minor, dg);
		kv_amount(&w, "vat", v->vat_minor, dg);
		if (v->has_eur) {
			kv_amount(&w, "taxable_eur", v->taxable_eur_minor, 2);
			kv_amount(&w, "vat_eur", v->vat_eur_minor, 2);
		}
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	if (files == NULL)
		goto warnings;
	jsonw_key(&w, "files");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < nfiles; i++) {
		jsonw_object_begin(&w);
		kv_str(&w, "format", files[i].format);
		kv_str(&w, "path", files[i].path);
		kv_str(&w, "sha256", files[i].sha256);
		kv_int(&w, "size", files[i].size);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	if (nfiles > 0 && files[0].path != NULL)
		kv_str(&w, "path", files[0].path);
	if (nfiles > 0)
		kv_str(&w, "sha256", files[0].sha256);
warnings:
	if (warn != NULL && warn->n > 0) {
		jsonw_key(&w, "missing_glyphs");
		jsonw_array_begin(&w);
		for (size_t i = 0; i < warn->n; i++) {
			char cp[16];

			snprintf(cp, sizeof(cp), "U+%04X", (unsigned)warn->missing[i]);
			jsonw_string(&w, cp);
		}
		jsonw_array_end(&w);
	}
	jsonw_object_end(&w);
}
