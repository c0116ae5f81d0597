/*
 * store_report.c - the read-only queries of the tax reports (see
 * store_report.h): OSS VAT rows, sales totals, the documents of a VAT
 * return month, the documents of an i.SAF register, the seller's VAT
 * days of a month and the ECB rate on or after a date.  Reads issued
 * documents, exchange rates and the validity of seller profiles only;
 * never writes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_private.h"
#include "store_report.h"

/* The columns every row query selects, in struct store_report_row order;
 * the query supplies the VAT row columns (cols 10..15); ROW_TAIL adds the
 * corrected invoice, the stored rate, the payer's VAT number and name, the
 * seller's VAT number and the stored rate's date (cols 16..22). */
#define ROW_HEAD "d.id, d.kind, d.number, d.issue_date, d.tax_point_date, " \
	"d.treatment, d.vat_country, d.payer_country, d.currency, " \
	"d.currency_digits, "
#define ROW_TAIL ", c.number, c.tax_point_date, d.fx_units_per_eur, " \
	"d.payer_vat_number, d.payer_name, d.seller_vat_number, d.fx_rate_date"

void
store_report_rows_free(struct store_report_rows *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].number);
		free(r->v[i].corrects_number);
		free(r->v[i].fx_units_per_eur);
		free(r->v[i].payer_vat_number);
		free(r->v[i].payer_name);
	}
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

/* Run a row query bound to [from, to] and collect its rows. */
static enum gen_rc
rows_query(struct store *s, const char *sql, int32_t from, int32_t to,
    struct store_report_rows *out, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	char f[CALDATE_LEN], t[CALDATE_LEN];
	size_t cap = 0;
	enum gen_rc rc;
	int step;

	out->v = NULL;
	out->n = 0;
	caldate_format(from, f);
	caldate_format(to, t);
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_report_row *r;
		int k, tr;

		if (out->n == cap)
			out->v = xrealloc(out->v,
			    (cap = cap ? cap * 2 : 64) * sizeof(*out->v));
		r = &out->v[out->n];
		memset(r, 0, sizeof(*r));
		k = doc_kind_from_name(
		    (const char *)sqlite3_column_text(st, 1));
		tr = tax_treatment_from_name(
		    (const char *)sqlite3_column_text(st, 5));
		if (k < 0 || tr < 0) {
			rc = gen_err_set(err, GEN_EINTERNAL, "document %lld: "
			    "unknown kind or treatment in the database",
			    (long long)sqlite3_column_int64(st, 0));
			break;
		}
		out->n++;
		r->doc_id = sqlite3_column_int64(st, 0);
		r->kind = (enum doc_kind)k;
		r->number = store_col_text(st, 2);
		store_col_copy(st, 3, r->issue_date, sizeof(r->issue_date));
		store_col_copy(st, 4, r->tax_point_date,
		    sizeof(r->tax_point_date));
		r->treatment = (enum tax_treatment)tr;
		store_col_copy(st, 6, r->vat_country, sizeof(r->vat_country));
		store_col_copy(st, 7, r->payer_country,
		    sizeof(r->payer_country));
		store_col_copy(st, 8, r->currency, sizeof(r->currency));
		r->currency_digits = sqlite3_column_int(st, 9);
		store_col_copy(st, 10, r->vat_category,
		    sizeof(r->vat_category));
		r->vat_rate_bp = (int32_t)sqlite3_column_int64(st, 11);
		r->net_minor = sqlite3_column_int64(st, 12);
		r->vat_minor = sqlite3_column_int64(st, 13);
		r->total_minor = sqlite3_column_int64(st, 14);
		r->has_vat_eur = sqlite3_column_type(st, 15) != SQLITE_NULL;
		r->vat_eur_minor = sqlite3_column_int64(st, 15);
		r->corrects_number = store_col_text(st, 16);
		store_col_copy(st, 17, r->corrects_tax_point_date,
		    sizeof(r->corrects_tax_point_date));
		r->fx_units_per_eur = store_col_text(st, 18);
		r->payer_vat_number = store_col_text(st, 19);
		r->payer_name = store_col_text(st, 20);
		r->has_seller_vat = sqlite3_column_type(st, 21) != SQLITE_NULL;
		store_col_copy(st, 22, r->fx_rate_date,
		    sizeof(r->fx_rate_date));
	}
	if (rc == GEN_OK && step != SQLITE_DONE)
		rc = store_dberr(s, err, "read report rows");
	sqlite3_finalize(st);
	if (rc != GEN_OK)
		store_report_rows_free(out);
	return rc;
}

/* The VAT row columns (cols 10..15) of a document's own totals, and the
 * tables and WHERE of a row query on documents alone. */
#define DOC_VAT "d.vat_category, d.vat_rate_bp, d.net_minor, d.vat_minor, " \
	"d.total_minor, d.vat_eur_minor"
#define DOC_FROM " FROM document d LEFT JOIN document c ON c.id = " \
	"d.corrects_id WHERE "
/* The documents of the VAT period ?1..?2: an invoice by its tax point, a
 * credit note by its issue date. */
#define IN_VAT_PERIOD "(d.kind = 'invoice' AND d.tax_point_date BETWEEN " \
	"?1 AND ?2) OR (d.kind = 'credit_note' AND d.issue_date BETWEEN ?1 " \
	"AND ?2)"

enum gen_rc
store_report_oss_rows(struct store *s, int32_t from, int32_t to,
    struct store_report_rows *out, struct gen_err *err)
{
	return rows_query(s, "SELECT " ROW_HEAD "v.vat_category, "
	    "v.vat_rate_bp, v.taxable_minor, v.vat_minor, 0, v.vat_eur_minor"
	    ROW_TAIL " FROM document d JOIN document_vat v ON v.document_id = "
	    "d.id LEFT JOIN document c ON c.id = d.corrects_id WHERE "
	    "d.treatment = 'OSS_DESTINATION' AND (" IN_VAT_PERIOD ") ORDER BY "
	    "d.id, v.vat_category, v.vat_rate_bp", from, to, out, err);
}

enum gen_rc
store_report_sales_rows(struct store *s, int32_t from, int32_t to,
    struct store_report_rows *out, struct gen_err *err)
{
	return rows_query(s, "SELECT " ROW_HEAD DOC_VAT ROW_TAIL DOC_FROM
	    "d.kind IN ('invoice', 'credit_note') AND d.issue_date BETWEEN ?1 "
	    "AND ?2 ORDER BY d.id", from, to, out, err);
}

enum gen_rc
store_report_return_rows(struct store *s, int32_t from, int32_t to,
    struct store_report_rows *out, struct gen_err *err)
{
	/* Explicit kinds: other document kinds (payment orders and whatever
	 * non-VAT documents come later) are never VAT return rows. */
	return rows_query(s, "SELECT " ROW_HEAD DOC_VAT ROW_TAIL DOC_FROM
	    IN_VAT_PERIOD " ORDER BY CASE d.kind WHEN 'invoice' THEN "
	    "d.tax_point_date ELSE d.issue_date END, d.series, d.seq", from, to,
	    out, err);
}

enum gen_rc
store_report_vat_days(struct store *s, int32_t from, int32_t to,
    int32_t *first, int32_t *last, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	char f[CALDATE_LEN], t[CALDATE_LEN];
	enum gen_rc rc;
	int step;

	caldate_format(from, f);
	caldate_format(to, t);
	if ((rc = store_prepare(s, "SELECT min(valid_from), "
	    "max(coalesce(valid_to, ?2)) FROM seller_profile WHERE vat_number "
	    "IS NOT NULL AND valid_from <= ?2 AND (valid_to IS NULL OR "
	    "valid_to >= ?1)", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = GEN_ENOTFOUND;
	else if (step == SQLITE_ROW) {
		char a[CALDATE_LEN], b[CALDATE_LEN];

		store_col_copy(st, 0, a, sizeof(a));
		store_col_copy(st, 1, b, sizeof(b));
		if ((rc = caldate_parse(a, first, "seller_profile.valid_from",
		    err)) == GEN_OK &&
		    (rc = caldate_parse(b, last, "seller_profile.valid_to",
		    err)) == GEN_OK) {
			if (*first < from)
				*first = from;
			if (*last > to)
				*last = to;
		}
	} else
		rc = store_dberr(s, err, "read seller profiles");
	sqlite3_finalize(st);
	return rc;
}

/* The columns of store_report_isaf_docs' query, in its order. */
#define I struct store_report_isaf_doc
static const struct col_map isaf_doc_map[] = {
	MAP_L(I, "d.id", id),
	MAP_A(I, "fx_date", fx_date),
};
#undef I

static const struct store_rows isaf_doc_rows = {
	.map = isaf_doc_map, .nmap = NELEM(isaf_doc_map),
	.size = sizeof(struct store_report_isaf_doc),
	.read_what = "list i.SAF documents",
};

enum gen_rc
store_report_isaf_docs(struct store *s, int32_t from, int32_t to,
    int by_vat_point, struct store_report_isaf_doc **docs, size_t *n,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	char f[CALDATE_LEN], t[CALDATE_LEN];
	void *v;
	enum gen_rc rc;

	*docs = NULL;
	*n = 0;
	caldate_format(from, f);
	caldate_format(to, t);
	if ((rc = store_prepare(s, by_vat_point ? "SELECT d.id, "
	    "coalesce(c.tax_point_date, d.tax_point_date) FROM document d LEFT "
	    "JOIN document c ON c.id = d.corrects_id WHERE d.kind IN "
	    "('invoice', 'credit_note') AND d.seller_vat_number IS NOT NULL "
	    "AND (d.issue_date BETWEEN ?1 AND ?2 OR d.tax_point_date BETWEEN "
	    "?1 AND ?2) ORDER BY d.issue_date, d.series, d.seq" :
	    "SELECT d.id, coalesce(c.tax_point_date, "
	    "d.tax_point_date) FROM document d LEFT JOIN document c ON c.id = "
	    "d.corrects_id WHERE d.kind IN ('invoice', 'credit_note') AND "
	    "d.seller_vat_number IS NOT NULL AND d.issue_date BETWEEN ?1 AND ?2 "
	    "ORDER BY d.issue_date, d.series, d.seq", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	rc = store_rows_collect(s, st, &isaf_doc_rows, NULL, &v, n, err);
	sqlite3_finalize(st);
	*docs = v;
	return rc;
}

enum gen_rc
store_report_fx_on_or_after(struct store *s, const char *currency,
    int32_t date, int max_days, char *units, size_t unitsz,
    char rate_date[CALDATE_LEN], struct gen_err *err)
{
	char day[CALDATE_LEN], last[CALDATE_LEN], what[64];

	caldate_format(date, day);
	caldate_format(date + max_days, last);
	snprintf(what, sizeof(what), "on %s or in the %d days after it", day,
	    max_days);
	return store_fx_between(s, currency, day, last, 0, what, units, unitsz,
	    rate_date, err);
}

void
store_report_unpaid_free(struct store_report_unpaid *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++) {
		free(v[i].number);
		free(v[i].order_no);
		free(v[i].payer);
	}
	free(v);
}

/* The columns of store_report_unpaid's query, in its order. */
#define U struct store_report_unpaid
static const struct col_map unpaid_map[] = {
	MAP_S(U, "d.number", number),
	MAP_S(U, "o.order_no", order_no),
	MAP_S(U, "d.payer_name", payer),
	MAP_A(U, "d.issue_date", issue_date),
	MAP_A(U, "d.due_date", due_date),
	MAP_A(U, "d.currency", currency),
	MAP_I(U, "d.currency_digits", currency_digits),
	MAP_L(U, "d.total_minor", total_minor),
	MAP_L(U, "credited", credited_minor),
	MAP_L(U, "paid", paid_minor),
};
#undef U

static const struct store_rows unpaid_rows = {
	.map = unpaid_map, .nmap = NELEM(unpaid_map),
	.size = sizeof(struct store_report_unpaid),
	.read_what = "list invoices on credit terms",
};

enum gen_rc
store_report_unpaid(struct store *s, struct store_report_unpaid **out,
    size_t *n, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	void *v;
	enum gen_rc rc;

	*out = NULL;
	*n = 0;
	if ((rc = store_prepare(s, "SELECT d.number, o.order_no, d.payer_name, "
	    "d.issue_date, d.due_date, d.currency, d.currency_digits, "
	    "d.total_minor, coalesce((SELECT sum(c.total_minor) FROM document "
	    "c WHERE c.corrects_id = d.id AND c.kind = 'credit_note'), 0), "
	    "coalesce((SELECT sum(p.amount_minor) FROM payment p WHERE "
	    "p.document_id = d.id), 0) FROM document d JOIN orders o ON o.id = "
	    "d.order_id WHERE d.kind = 'invoice' AND d.due_date IS NOT NULL "
	    "ORDER BY d.due_date, d.id", &st, err)) != GEN_OK)
		return rc;
	rc = store_rows_collect(s, st, &unpaid_rows, NULL, &v, n, err);
	sqlite3_finalize(st);
	*out = v;
	return rc;
}
