/*
 * store_doc.c - queries on issued documents: insert a snapshot with its
 * lines and VAT rows, load it back, list documents, credited sums and file
 * hashes (see store.h).  Documents are only ever inserted: triggers in the
 * schema refuse UPDATE, DELETE and REPLACE.  Every document and file hash
 * inserted here gets its link in the archive chain (chain.h) in the same
 * transaction.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "store.h"
#include "store_private.h"

#define D struct document
static const struct col_map doc_map[] = {
	MAP_S(D, "series", series),
	MAP_L(D, "seq", seq),
	MAP_S(D, "number", number),
	MAP_Z(D, "corrects_id", corrects_id),
	MAP_S(D, "credit_reason", credit_reason),
	MAP_A(D, "issue_date", issue_date),
	MAP_A(D, "tax_point_date", tax_point_date),
	MAP_A(D, "due_date", due_date),
	MAP_S(D, "paid_at", paid_at),
	MAP_S(D, "payment_method", payment_method),
	MAP_S(D, "payment_reference", payment_reference),
	MAP_S(D, "language", language),
	MAP_A(D, "currency", currency),
	MAP_I(D, "currency_digits", currency_digits),
	MAP_L(D, "seller_profile_id", seller_profile_id),
	MAP_S(D, "seller_legal_name", seller.name),
	MAP_S(D, "seller_company_code", seller.company_code),
	MAP_S(D, "seller_vat_number", seller.vat_number),
	MAP_S(D, "seller_address_line1", seller.address_line1),
	MAP_S(D, "seller_address_line2", seller.address_line2),
	MAP_S(D, "seller_city", seller.city),
	MAP_S(D, "seller_postal_code", seller.postal_code),
	MAP_A(D, "seller_country", seller.country),
	MAP_S(D, "seller_email", seller.email),
	MAP_S(D, "seller_website", seller.website),
	MAP_S(D, "bank_beneficiary", bank.beneficiary),
	MAP_S(D, "bank_iban", bank.iban),
	MAP_S(D, "bank_bic", bank.bic),
	MAP_S(D, "bank_name", bank.name),
	MAP_S(D, "bank_address", bank.address),
	MAP_Z(D, "payer_telegram_id", payer.telegram_id),
	MAP_S(D, "payer_name", payer.name),
	MAP_S(D, "payer_address_line1", payer.address_line1),
	MAP_S(D, "payer_address_line2", payer.address_line2),
	MAP_S(D, "payer_city", payer.city),
	MAP_S(D, "payer_postal_code", payer.postal_code),
	MAP_S(D, "payer_region", payer.region),
	MAP_A(D, "payer_country", payer.country),
	MAP_I(D, "payer_is_business", payer.is_business),
	MAP_S(D, "payer_vat_number", payer.vat_number),
	MAP_S(D, "payer_company_code", payer.company_code),
	MAP_S(D, "payer_email", payer.email),
	MAP_Z(D, "customer_telegram_id", customer_telegram_id),
	MAP_S(D, "customer_username", customer_username),
	MAP_A(D, "vat_category", vat_category),
	MAP_W(D, "vat_rate_bp", vat_rate_bp),
	MAP_A(D, "vat_country", vat_country),
	MAP_A(D, "location_country", location_country),
	MAP_S(D, "tax_rule", tax_rule),
	MAP_S(D, "tax_explanation", tax_explanation),
	MAP_L(D, "net_minor", net_minor),
	MAP_L(D, "vat_minor", vat_minor),
	MAP_L(D, "total_minor", total_minor),
	MAP_S(D, "fx_units_per_eur", fx_units_per_eur),
	MAP_A(D, "fx_rate_date", fx_rate_date),
	MAP_S(D, "template", template_name),
	MAP_I(D, "layout_version", layout_version),
	MAP_S(D, "render_env", render_env),
	MAP_S(D, "territory", territory),
	MAP_S(D, "credit_to", credit_to),
	MAP_Z(D, "origin_id", origin_id),
	MAP_S(D, "logo_sha256", logo_sha256),
};
#undef D

#define L struct doc_line
static const struct col_map line_map[] = {
	MAP_I(L, "line_no", line_no),
	MAP_S(L, "item", item),
	MAP_S(L, "description", description),
	MAP_IZ(L, "period_months", period_months),
	MAP_L(L, "quantity", quantity),
	MAP_L(L, "unit_price_minor", unit_price_minor),
	MAP_L(L, "discount_bp", discount_bp),
	MAP_L(L, "gross_minor", gross_minor),
	MAP_L(L, "discount_minor", discount_minor),
	MAP_L(L, "net_minor", net_minor),
	MAP_A(L, "vat_category", vat_category),
	MAP_W(L, "vat_rate_bp", vat_rate_bp),
	MAP_Z(L, "sip_accounts", options.sip_accounts),
	MAP_Z(L, "recording_days", options.recording_days),
	MAP_Z(L, "gateway_lines", options.gateway_lines),
	MAP_A(L, "period_from", period_from),
	MAP_A(L, "period_to", period_to),
};
#undef L

static const struct store_rows line_rows = {
	.map = line_map, .nmap = NELEM(line_map),
	.size = sizeof(struct doc_line), .table = "document_line",
	.parent = "document_id", .order = "line_no", .cached = 1,
	.insert_what = "insert document line",
	.read_what = "read document lines",
};

/* The EUR amounts are NULL together when the currency is EUR. */
#define V struct doc_vat
static const struct col_map vat_map[] = {
	MAP_F(V, "taxable_eur_minor", taxable_eur_minor, has_eur),
	MAP_F(V, "vat_eur_minor", vat_eur_minor, has_eur),
	MAP_A(V, "vat_category", vat_category),
	MAP_W(V, "vat_rate_bp", vat_rate_bp),
	MAP_L(V, "taxable_minor", taxable_minor),
	MAP_L(V, "vat_minor", vat_minor),
};
#undef V

static const struct store_rows vat_rows = {
	.map = vat_map, .nmap = NELEM(vat_map),
	.size = sizeof(struct doc_vat), .table = "document_vat",
	.parent = "document_id", .order = "vat_category, vat_rate_bp",
	.cached = 1, .insert_what = "insert document VAT row",
	.read_what = "read document VAT rows",
};

/* Written only: read back with the source document's fields (load). */
#define W struct doc_draw
static const struct col_map draw_map[] = {
	MAP_L(W, "source_id", source_id),
	MAP_L(W, "amount_minor", amount_minor),
};
#undef W

static const struct store_rows draw_rows = {
	.map = draw_map, .nmap = NELEM(draw_map),
	.size = sizeof(struct doc_draw), .table = "document_draw",
	.parent = "document_id", .seq = "draw_no", .cached = 1,
	.insert_what = "insert document draw",
};

enum gen_rc
store_document_insert(struct store *s, struct document *d,
    struct gen_err *err)
{
	char cols[2400], qs[400], sql[3000];
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	/* A number taken twice is the seller profile's fault, said so here:
	 * the schema's trigger would only say "immutable". */
	if ((rc = store_prepare_cached(s, "SELECT 1 FROM document WHERE number "
	    "= ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, d->number, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = gen_err_set(err, GEN_ECONFLICT, "number: %s is already the "
		    "number of another document; the seller profile's series and "
		    "number_format must give distinct numbers", d->number);
	store_done(st);
	if (rc != GEN_OK)
		return rc;

	store_colmap_names(doc_map, NELEM(doc_map), cols, sizeof(cols), 0);
	store_colmap_names(doc_map, NELEM(doc_map), qs, sizeof(qs), 1);
	snprintf(sql, sizeof(sql), "INSERT INTO document(kind, order_id, "
	    "treatment, vat_eur_minor, %s) VALUES (?, (SELECT id FROM orders "
	    "WHERE order_no = ?), ?, ?, %s)", cols, qs);
	/* Cached: with the schema's triggers, preparing an INSERT compiles
	 * them too, which a handle that issues often need not repeat. */
	if ((rc = store_prepare_cached(s, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, doc_kind_name(d->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, d->order_no, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, tax_treatment_name(d->treatment), -1,
	    SQLITE_STATIC);
	if (d->has_vat_eur)
		sqlite3_bind_int64(st, 4, d->vat_eur_minor);
	else
		sqlite3_bind_null(st, 4);
	store_colmap_bind(st, 5, doc_map, NELEM(doc_map), d);
	if (sqlite3_step(st) != SQLITE_DONE) {
		if (sqlite3_extended_errcode(s->db) ==
		    SQLITE_CONSTRAINT_UNIQUE && strstr(sqlite3_errmsg(s->db),
		    "document.number") != NULL)
			rc = gen_err_set(err, GEN_ECONFLICT, "number: %s is "
			    "already the number of another document; the seller "
			    "profile's series and number_format must give "
			    "distinct numbers", d->number);
		else
			rc = store_dberr(s, err, "insert document");
	}
	d->id = sqlite3_last_insert_rowid(s->db);
	store_done(st);
	if (rc != GEN_OK)
		return rc;

	if ((rc = store_rows_insert(s, &line_rows, d->id, d->lines,
	    d->nlines, err)) == GEN_OK &&
	    (rc = store_rows_insert(s, &vat_rows, d->id, d->vats, d->nvats,
	    err)) == GEN_OK)
		rc = store_rows_insert(s, &draw_rows, d->id, d->draws,
		    d->ndraws, err);
	/* The link covers the rows as stored, in the same transaction. */
	if (rc == GEN_OK)
		rc = chain_link_document(s, d->id, err);
	return rc;
}

/* Load the document selected by "WHERE d.<key> = ?". */
static enum gen_rc
load(struct store *s, const char *key, const char *text, int64_t id,
    struct document **out, struct gen_err *err)
{
	char cols[2600], sql[3400];
	sqlite3_stmt *st = NULL;
	struct document *d = NULL;
	void *v;
	enum gen_rc rc;
	size_t cap = 0;
	int step;

	*out = NULL;
	store_colmap_qualified(doc_map, NELEM(doc_map), "d", cols,
	    sizeof(cols));
	snprintf(sql, sizeof(sql), "SELECT d.id, d.kind, d.treatment, "
	    "d.vat_eur_minor, o.order_no, c.number, c.issue_date, g.number, %s "
	    "FROM document d JOIN orders o ON o.id = d.order_id LEFT JOIN "
	    "document c ON c.id = d.corrects_id LEFT JOIN document g ON g.id = "
	    "d.origin_id WHERE d.%s = ?", cols, key);
	if ((rc = store_prepare_cached(s, sql, &st, err)) != GEN_OK)
		return rc;
	if (text != NULL)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		if (step == SQLITE_DONE && text != NULL)
			rc = gen_err_set(err, GEN_ENOTFOUND, "document: no issued "
			    "document numbered '%.100s'", text);
		else if (step == SQLITE_DONE)
			rc = gen_err_set(err, GEN_ENOTFOUND, "document: no issued "
			    "document with id %lld", (long long)id);
		else
			rc = store_dberr(s, err, "read document");
		store_done(st);
		return rc;
	}
	d = xcalloc(1, sizeof(*d));
	d->id = sqlite3_column_int64(st, 0);
	d->kind = (enum doc_kind)doc_kind_from_name(
	    (const char *)sqlite3_column_text(st, 1));
	d->treatment = (enum tax_treatment)tax_treatment_from_name(
	    (const char *)sqlite3_column_text(st, 2));
	d->has_vat_eur = sqlite3_column_type(st, 3) != SQLITE_NULL;
	d->vat_eur_minor = sqlite3_column_int64(st, 3);
	d->order_no = store_col_text(st, 4);
	d->corrects_number = store_col_text(st, 5);
	store_col_copy(st, 6, d->corrects_issue_date,
	    sizeof(d->corrects_issue_date));
	d->origin_number = store_col_text(st, 7);
	store_colmap_read(st, 8, doc_map, NELEM(doc_map), d);
	store_done(st);
	if (d->logo_sha256 != NULL && (rc = store_logo_get(s, d->logo_sha256,
	    &d->logo, &d->logo_len, err)) != GEN_OK)
		goto fail;

	rc = store_rows_read(s, &line_rows, d->id, NULL, &v, &d->nlines, err);
	d->lines = v;
	if (rc != GEN_OK)
		goto fail;
	rc = store_rows_read(s, &vat_rows, d->id, NULL, &v, &d->nvats, err);
	d->vats = v;
	if (rc != GEN_OK)
		goto fail;

	if ((rc = store_prepare_cached(s, "SELECT dd.source_id, dd.amount_minor, "
	    "x.number, x.issue_date, x.kind, x.vat_category, x.vat_rate_bp FROM "
	    "document_draw dd JOIN document x ON x.id = dd.source_id WHERE "
	    "dd.document_id = ? ORDER BY dd.draw_no", &st, err)) != GEN_OK)
		goto fail;
	sqlite3_bind_int64(st, 1, d->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct doc_draw *w;
		int k;

		if (d->ndraws == cap)
			d->draws = xrealloc(d->draws,
			    (cap = cap ? cap * 2 : 4) * sizeof(*d->draws));
		w = &d->draws[d->ndraws++];
		memset(w, 0, sizeof(*w));
		w->source_id = sqlite3_column_int64(st, 0);
		w->amount_minor = sqlite3_column_int64(st, 1);
		w->source_number = store_col_text(st, 2);
		store_col_copy(st, 3, w->source_issue_date,
		    sizeof(w->source_issue_date));
		k = doc_kind_from_name((const char *)sqlite3_column_text(st, 4));
		w->source_kind = k < 0 ? DOC_INVOICE : (enum doc_kind)k;
		store_col_copy(st, 5, w->source_vat_category,
		    sizeof(w->source_vat_category));
		w->source_vat_rate_bp = sqlite3_column_int(st, 6);
	}
	if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "read document draws");
	store_done(st);
	if (rc != GEN_OK)
		goto fail;
	*out = d;
	return GEN_OK;
fail:
	document_free(d);
	return rc;
}

enum gen_rc
store_document_load(struct store *s, const char *number,
    struct document **out, struct gen_err *err)
{
	return load(s, "number", number, 0, out, err);
}

enum gen_rc
store_document_load_id(struct store *s, int64_t id, struct document **out,
    struct gen_err *err)
{
	return load(s, "id", NULL, id, out, err);
}

enum gen_rc
store_document_for_order(struct store *s, int64_t order_id,
    enum doc_kind kind, char *number, size_t sz, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare_cached(s, "SELECT number FROM document WHERE "
	    "order_id = ? AND kind = ? ORDER BY id LIMIT 1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, order_id);
	sqlite3_bind_text(st, 2, doc_kind_name(kind), -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		store_col_copy(st, 0, number, sz);
	else if (step == SQLITE_DONE)
		rc = gen_err_set(err, GEN_ENOTFOUND, "no %s for this order",
		    doc_kind_name(kind));
	else
		rc = store_dberr(s, err, "find document");
	store_done(st);
	return rc;
}

/*
 * The number of the document sql finds by the payment reference ?1, into
 * number: GEN_ENOTFOUND (no message) when there is none; what names the
 * query in a database error.
 */
static enum gen_rc
number_by_reference(struct store *s, const char *sql, const char *ref,
    char *number, size_t sz, const char *what, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		store_col_copy(st, 0, number, sz);
	else if (step == SQLITE_DONE)
		rc = GEN_ENOTFOUND;
	else
		rc = store_dberr(s, err, what);
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_transfer_by_reference(struct store *s, const char *ref, char *number,
    size_t sz, struct gen_err *err)
{
	enum gen_rc rc;

	rc = number_by_reference(s, "SELECT number FROM document WHERE kind = "
	    "'transfer_order' AND payment_reference = ?", ref, number, sz,
	    "find payment order", err);
	if (rc == GEN_ENOTFOUND)
		rc = gen_err_set(err, GEN_ENOTFOUND, "reference: no payment "
		    "order has the reference %s", ref);
	return rc;
}

/*
 * Step st, a query of one row of sums (prepared and bound), read its
 * columns 0..n-1 into *v[0..n-1] and finalize it; what names the query in
 * a database error.
 */
static enum gen_rc
read_sums(struct store *s, sqlite3_stmt *st, int64_t *const *v, size_t n,
    const char *what, struct gen_err *err)
{
	enum gen_rc rc = GEN_OK;

	if (sqlite3_step(st) == SQLITE_ROW)
		for (size_t i = 0; i < n; i++)
			*v[i] = sqlite3_column_int64(st, (int)i);
	else
		rc = store_dberr(s, err, what);
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_credited(struct store *s, int64_t invoice_id, int64_t *net_minor,
    int64_t *vat_minor, int64_t *vat_eur_minor, struct gen_err *err)
{
	int64_t *const v[] = { net_minor, vat_minor, vat_eur_minor };
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	if ((rc = store_prepare(s, "SELECT coalesce(sum(net_minor), 0), "
	    "coalesce(sum(vat_minor), 0), coalesce(sum(vat_eur_minor), 0) FROM "
	    "document WHERE corrects_id = ? AND kind = 'credit_note'", &st,
	    err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, invoice_id);
	return read_sums(s, st, v, NELEM(v), "sum credit notes", err);
}

enum gen_rc
store_file_insert(struct store *s, int64_t document_id, const char *format,
    const char *sha256, int64_t size, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	if ((rc = store_prepare_cached(s, "INSERT INTO document_file("
	    "document_id, format, sha256, size) VALUES (?, ?, ?, ?)", &st,
	    err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	sqlite3_bind_text(st, 2, format, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, size);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "record file hash");
	store_done(st);
	if (rc == GEN_OK)
		rc = chain_link_file(s, document_id, format, err);
	return rc;
}

enum gen_rc
store_file_get(struct store *s, int64_t document_id, const char *format,
    char sha256[65], int64_t *size, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare(s, "SELECT sha256, size FROM document_file "
	    "WHERE document_id = ? AND format = ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	sqlite3_bind_text(st, 2, format, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		store_col_copy(st, 0, sha256, 65);
		if (size != NULL)
			*size = sqlite3_column_int64(st, 1);
	} else if (step == SQLITE_DONE)
		rc = gen_err_set(err, GEN_ENOTFOUND, "no stored %s hash for "
		    "document %lld", format, (long long)document_id);
	else
		rc = store_dberr(s, err, "read file hash");
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_document_ids(struct store *s, int32_t from, int32_t to,
    unsigned kind_mask, int64_t **ids, size_t *n, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	char f[CALDATE_LEN], t[CALDATE_LEN];
	int64_t *v = NULL;
	size_t len = 0, cap = 0;
	enum gen_rc rc;
	int step;

	caldate_format(from, f);
	caldate_format(to, t);
	if ((rc = store_prepare(s, "SELECT id, kind FROM document WHERE "
	    "issue_date BETWEEN ? AND ? ORDER BY id", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, t, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		int k = doc_kind_from_name((const char *)sqlite3_column_text(st,
		    1));

		if (k < 0 || !(kind_mask & (1u << k)))
			continue;
		if (len == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 256) * sizeof(*v));
		v[len++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "list documents");
	sqlite3_finalize(st);
	if (rc != GEN_OK) {
		free(v);
		return rc;
	}
	*ids = v;
	*n = len;
	return GEN_OK;
}

enum gen_rc
store_file_list(struct store *s, int64_t document_id,
    struct store_file files[8], size_t *n, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	*n = 0;
	if ((rc = store_prepare_cached(s, "SELECT format, sha256, size FROM "
	    "document_file WHERE document_id = ? ORDER BY format", &st,
	    err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < 8) {
		store_col_copy(st, 0, files[*n].format, sizeof(files[*n].format));
		store_col_copy(st, 1, files[*n].sha256, sizeof(files[*n].sha256));
		files[*n].size = sqlite3_column_int64(st, 2);
		(*n)++;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = store_dberr(s, err, "list file hashes");
	store_done(st);
	return rc;
}

enum gen_rc
store_file_known(struct store *s, const char *number, const char *format,
    int *known, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	*known = 0;
	if ((rc = store_prepare_cached(s, "SELECT 1 FROM document d JOIN "
	    "document_file f ON f.document_id = d.id WHERE d.number = ?1 AND "
	    "f.format = ?2", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, format, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*known = 1;
	else if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "find a file hash");
	store_done(st);
	return rc;
}

enum gen_rc
store_drawn(struct store *s, int64_t source_id, int64_t by_document,
    int64_t *sum, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	*sum = 0;
	if ((rc = store_prepare(s, by_document == 0 ?
	    "SELECT coalesce(sum(amount_minor), 0) FROM document_draw WHERE "
	    "source_id = ?1" :
	    "SELECT coalesce(sum(dd.amount_minor), 0) FROM document_draw dd "
	    "JOIN document d ON d.id = dd.document_id WHERE dd.source_id = ?1 "
	    "AND (d.id = ?2 OR d.corrects_id = ?2)", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, source_id);
	if (by_document != 0)
		sqlite3_bind_int64(st, 2, by_document);
	return read_sums(s, st, &sum, 1, "sum the draws on a document", err);
}

enum gen_rc
store_corrections(struct store *s, int64_t document_id, enum doc_kind kind,
    int64_t *net_minor, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	*net_minor = 0;
	if ((rc = store_prepare(s, "SELECT coalesce(sum(net_minor), 0) FROM "
	    "document WHERE corrects_id = ? AND kind = ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	sqlite3_bind_text(st, 2, doc_kind_name(kind), -1, SQLITE_STATIC);
	return read_sums(s, st, &net_minor, 1, "sum the corrections of a "
	    "document", err);
}

enum gen_rc
store_document_by_reference(struct store *s, const char *ref, char *number,
    size_t sz, struct gen_err *err)
{
	enum gen_rc rc;

	/* An invoice on credit terms first: once it exists, payments of its
	 * order are booked against it, not against a payment order. */
	rc = number_by_reference(s, "SELECT number FROM document WHERE "
	    "payment_reference = ? AND kind IN ('invoice', 'transfer_order') "
	    "ORDER BY kind = 'invoice' DESC LIMIT 1", ref, number, sz,
	    "find a document by its reference", err);
	if (rc == GEN_ENOTFOUND)
		rc = gen_err_set(err, GEN_ENOTFOUND, "reference: no payment "
		    "order or invoice has the reference %s", ref);
	return rc;
}

enum gen_rc
store_payment_insert(struct store *s, int64_t document_id, const char *ref,
    const char *booked_on, int64_t amount_minor, const char *currency,
    const char *booked_at, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	if ((rc = store_prepare(s, "INSERT INTO payment(document_id, reference, "
	    "booked_on, amount_minor, currency, booked_at) VALUES (?, ?, ?, ?, "
	    "?, ?)", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	sqlite3_bind_text(st, 2, ref, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, booked_on, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, amount_minor);
	sqlite3_bind_text(st, 5, currency, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, booked_at, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "book a payment");
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_payments(struct store *s, int64_t document_id, const char *booked_on,
    int64_t amount_minor, int64_t *sum, int *same, struct gen_err *err)
{
	int64_t nsame = 0;
	int64_t *const v[] = { sum, &nsame };
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	*sum = 0;
	*same = 0;
	if ((rc = store_prepare(s, "SELECT coalesce(sum(amount_minor), 0), "
	    "coalesce(sum(booked_on = ?2 AND amount_minor = ?3), 0) FROM "
	    "payment WHERE document_id = ?1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	store_bind_text(st, 2, booked_on);
	sqlite3_bind_int64(st, 3, amount_minor);
	rc = read_sums(s, st, v, NELEM(v), "sum the payments of a document",
	    err);
	*same = (int)nsame;
	return rc;
}
