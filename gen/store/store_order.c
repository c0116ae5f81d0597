/*
 * store_order.c - queries on seller profiles, payers, orders and number
 * series (see store.h), and the column-map helpers of store_private.h
 * (store_colmap_*, store_rows_*).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "store.h"
#include "store_private.h"

/* Append the n bytes at p to out (size sz, *len used), cut to fit and
 * kept NUL-terminated. */
static void
put_part(char *out, size_t sz, size_t *len, const char *p, size_t n)
{
	if (*len + 1 >= sz)
		return;
	if (n > sz - 1 - *len)
		n = sz - 1 - *len;
	memcpy(out + *len, p, n);
	*len += n;
	out[*len] = '\0';
}

/* Every document read builds its column list again (a prepared
 * statement is found by its text), so no printf here. */
void
store_colmap_names(const struct col_map *m, size_t n, char *out, size_t sz,
    int placeholders)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put_part(out, sz, &len, ", ", 2);
		if (placeholders)
			put_part(out, sz, &len, "?", 1);
		else
			put_part(out, sz, &len, m[i].name, strlen(m[i].name));
	}
}

void
store_colmap_qualified(const struct col_map *m, size_t n, const char *alias,
    char *out, size_t sz)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			put_part(out, sz, &len, ", ", 2);
		put_part(out, sz, &len, alias, strlen(alias));
		put_part(out, sz, &len, ".", 1);
		put_part(out, sz, &len, m[i].name, strlen(m[i].name));
	}
}

void
store_colmap_bind(sqlite3_stmt *st, int first, const struct col_map *m,
    size_t n, const void *rec)
{
	const char *base = rec;

	for (size_t i = 0; i < n; i++) {
		const void *f = base + m[i].off;
		int at = first + (int)i;

		switch (m[i].type) {
		case COL_STR:
			store_bind_text(st, at, *(char *const *)f);
			break;
		case COL_ARR:
			store_bind_text(st, at, (const char *)f);
			break;
		case COL_I64:
			sqlite3_bind_int64(st, at, *(const int64_t *)f);
			break;
		case COL_I64Z:
			if (*(const int64_t *)f == 0)
				sqlite3_bind_null(st, at);
			else
				sqlite3_bind_int64(st, at, *(const int64_t *)f);
			break;
		case COL_I64F:
			if (*(const int *)(base + m[i].size) == 0)
				sqlite3_bind_null(st, at);
			else
				sqlite3_bind_int64(st, at, *(const int64_t *)f);
			break;
		case COL_INT:
			sqlite3_bind_int(st, at, *(const int *)f);
			break;
		case COL_INTZ:
			if (*(const int *)f == 0)
				sqlite3_bind_null(st, at);
			else
				sqlite3_bind_int(st, at, *(const int *)f);
			break;
		case COL_I32:
			sqlite3_bind_int(st, at, *(const int32_t *)f);
			break;
		}
	}
}

void
store_colmap_read(sqlite3_stmt *st, int first, const struct col_map *m,
    size_t n, void *rec)
{
	char *base = rec;

	for (size_t i = 0; i < n; i++) {
		void *f = base + m[i].off;
		int at = first + (int)i;

		switch (m[i].type) {
		case COL_STR:
			*(char **)f = store_col_text(st, at);
			break;
		case COL_ARR:
			store_col_copy(st, at, (char *)f, m[i].size);
			break;
		case COL_I64:
		case COL_I64Z:
			*(int64_t *)f = sqlite3_column_int64(st, at);
			break;
		case COL_I64F:
			*(int *)(base + m[i].size) = sqlite3_column_type(st,
			    at) != SQLITE_NULL;
			*(int64_t *)f = sqlite3_column_int64(st, at);
			break;
		case COL_INT:
		case COL_INTZ:
			*(int *)f = sqlite3_column_int(st, at);
			break;
		case COL_I32:
			*(int32_t *)f = sqlite3_column_int(st, at);
			break;
		}
	}
}

enum gen_rc
store_colmap_check(sqlite3_stmt *st, int first, const struct col_map *m,
    size_t n, const char *table, const char *what, struct gen_err *err)
{
	static const char *const types[] = { "?", "an integer",
		"a real number", "text", "a blob", "NULL" };

	for (size_t i = 0; i < n; i++) {
		int at = first + (int)i, type = sqlite3_column_type(st, at);
		int text = m[i].type == COL_STR || m[i].type == COL_ARR;
		const char *v;
		size_t len;

		if (type == SQLITE_NULL)
			continue;
		if (type != (text ? SQLITE_TEXT : SQLITE_INTEGER))
			return gen_err_set(err, GEN_EINPUT, "%s.%s of %s: the "
			    "stored value is %s; it must be %s", table, m[i].name,
			    what, types[type >= 1 && type <= 5 ? type : 0], text ?
			    "text" : "an integer");
		if (!text) {
			if ((m[i].type == COL_I64Z || m[i].type == COL_INTZ) &&
			    sqlite3_column_int64(st, at) == 0)
				return gen_err_set(err, GEN_EINPUT, "%s.%s of %s: 0 "
				    "is not allowed (NULL when there is none)",
				    table, m[i].name, what);
			continue;
		}
		v = (const char *)sqlite3_column_text(st, at);
		len = (size_t)sqlite3_column_bytes(st, at);
		if (v == NULL || strlen(v) != len || !json_utf8_valid(v, len))
			return gen_err_set(err, GEN_EINPUT, "%s.%s of %s: the "
			    "stored text is not valid UTF-8 or contains a NUL "
			    "byte", table, m[i].name, what);
		if (m[i].type == COL_ARR && len >= m[i].size)
			return gen_err_set(err, GEN_EINPUT, "%s.%s of %s: '%.40s' "
			    "is too long (at most %zu bytes)", table, m[i].name,
			    what, v, m[i].size - 1);
	}
	return GEN_OK;
}

/* Free the text fields (COL_STR) of n records of t, and the array. */
static void
rows_free(const struct store_rows *t, void *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *rec = (char *)rows + i * t->size;

		for (size_t k = 0; k < t->nmap; k++)
			if (t->map[k].type == COL_STR)
				free(*(char **)(rec + t->map[k].off));
	}
	free(rows);
}

enum gen_rc
store_rows_collect(struct store *s, sqlite3_stmt *st,
    const struct store_rows *t, const char *owner, void **rows, size_t *n,
    struct gen_err *err)
{
	size_t cap = 0;
	enum gen_rc rc = GEN_OK;
	int step;

	*rows = NULL;
	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char *rec;

		if (owner != NULL) {
			char what[160];

			snprintf(what, sizeof(what), "%s, line %d", owner,
			    sqlite3_column_int(st, 0));
			if ((rc = store_colmap_check(st, 0, t->map, t->nmap,
			    t->table, what, err)) != GEN_OK)
				break;
		}
		if (*n == cap)
			*rows = xrealloc(*rows, (cap = cap ? cap * 2 : 8) *
			    t->size);
		rec = (char *)*rows + *n * t->size;
		memset(rec, 0, t->size);
		store_colmap_read(st, 0, t->map, t->nmap, rec);
		(*n)++;
	}
	if (rc == GEN_OK && step != SQLITE_DONE)
		rc = store_dberr(s, err, t->read_what);
	if (rc != GEN_OK) {
		rows_free(t, *rows, *n);
		*rows = NULL;
		*n = 0;
	}
	return rc;
}

enum gen_rc
store_ids(struct store *s, const char *sql, int64_t bind, int64_t **ids,
    size_t *n, const char *what, struct gen_err *err)
{
	static const struct col_map id_map[] = {
		{ "id", COL_I64, 0, 0 },
	};
	const struct store_rows t = {
		.map = id_map, .nmap = NELEM(id_map), .size = sizeof(int64_t),
		.read_what = what,
	};
	sqlite3_stmt *st = NULL;
	void *v;
	enum gen_rc rc;

	*ids = NULL;
	*n = 0;
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	if (bind != 0)
		sqlite3_bind_int64(st, 1, bind);
	rc = store_rows_collect(s, st, &t, NULL, &v, n, err);
	sqlite3_finalize(st);
	*ids = v;
	return rc;
}

/* Prepare sql the way t says (cached or not); release with rows_done(). */
static enum gen_rc
rows_prepare(struct store *s, const struct store_rows *t, const char *sql,
    sqlite3_stmt **st, struct gen_err *err)
{
	return t->cached ? store_prepare_cached(s, sql, st, err) :
	    store_prepare(s, sql, st, err);
}

static void
rows_done(const struct store_rows *t, sqlite3_stmt *st)
{
	if (t->cached)
		store_done(st);
	else
		sqlite3_finalize(st);
}

enum gen_rc
store_rows_insert(struct store *s, const struct store_rows *t,
    int64_t parent, const void *rows, size_t n, struct gen_err *err)
{
	char cols[1024], qs[256], sql[1500];
	const char *seq = t->seq != NULL ? t->seq : "";
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	if (n == 0)
		return GEN_OK;
	store_colmap_names(t->map, t->nmap, cols, sizeof(cols), 0);
	store_colmap_names(t->map, t->nmap, qs, sizeof(qs), 1);
	snprintf(sql, sizeof(sql), "INSERT INTO %s(%s, %s%s%s) VALUES (?, %s%s)",
	    t->table, t->parent, seq, seq[0] ? ", " : "", cols,
	    seq[0] ? "?, " : "", qs);
	if ((rc = rows_prepare(s, t, sql, &st, err)) != GEN_OK)
		return rc;
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, parent);
		if (seq[0])
			sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		store_colmap_bind(st, seq[0] ? 3 : 2, t->map, t->nmap,
		    (const char *)rows + i * t->size);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_dberr(s, err, t->insert_what);
	}
	rows_done(t, st);
	return rc;
}

enum gen_rc
store_rows_read(struct store *s, const struct store_rows *t, int64_t parent,
    const char *owner, void **rows, size_t *n, struct gen_err *err)
{
	char cols[1024], sql[1400];
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	store_colmap_names(t->map, t->nmap, cols, sizeof(cols), 0);
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE %s = ? ORDER BY %s",
	    cols, t->table, t->parent, t->order);
	if ((rc = rows_prepare(s, t, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, parent);
	rc = store_rows_collect(s, st, t, owner, rows, n, err);
	rows_done(t, st);
	return rc;
}

#define SP struct seller_profile
static const struct col_map seller_map[] = {
	MAP_A(SP, "valid_from", valid_from),
	MAP_A(SP, "valid_to", valid_to),
	MAP_S(SP, "legal_name", party.name),
	MAP_S(SP, "company_code", party.company_code),
	MAP_S(SP, "vat_number", party.vat_number),
	MAP_S(SP, "address_line1", party.address_line1),
	MAP_S(SP, "address_line2", party.address_line2),
	MAP_S(SP, "city", party.city),
	MAP_S(SP, "postal_code", party.postal_code),
	MAP_A(SP, "country", party.country),
	MAP_S(SP, "email", party.email),
	MAP_S(SP, "website", party.website),
	MAP_S(SP, "invoice_series", invoice_series),
	MAP_S(SP, "credit_series", credit_series),
	MAP_S(SP, "transfer_series", transfer_series),
	MAP_S(SP, "number_format", number_format),
	MAP_I(SP, "transfer_due_days", transfer_due_days),
	MAP_I(SP, "oss_enabled", oss_enabled),
	MAP_I(SP, "lithuanian_for_all", lithuanian_for_all),
	MAP_S(SP, "bank_beneficiary", bank.beneficiary),
	MAP_S(SP, "bank_iban", bank.iban),
	MAP_S(SP, "bank_bic", bank.bic),
	MAP_S(SP, "bank_name", bank.name),
	MAP_S(SP, "bank_address", bank.address),
	MAP_S(SP, "receipt_series", receipt_series),
	MAP_S(SP, "balance_series", balance_series),
	MAP_S(SP, "paper", paper),
	MAP_S(SP, "logo_sha256", logo_sha256),
};
#undef SP

/*
 * Prepare "SELECT id, <the map's columns>, balance_vat_policy FROM
 * seller_profile WHERE <where>": the query of seller_read().
 */
static enum gen_rc
seller_prepare(struct store *s, const char *where, sqlite3_stmt **st,
    struct gen_err *err)
{
	char cols[1024], sql[1300];

	store_colmap_names(seller_map, NELEM(seller_map), cols, sizeof(cols), 0);
	snprintf(sql, sizeof(sql), "SELECT id, %s, balance_vat_policy FROM "
	    "seller_profile WHERE %s", cols, where);
	return store_prepare(s, sql, st, err);
}

/* The seller profile of the current row of a seller_prepare() query. */
static struct seller_profile *
seller_read(sqlite3_stmt *st)
{
	struct seller_profile *p = xcalloc(1, sizeof(*p));
	int v;

	p->id = sqlite3_column_int64(st, 0);
	store_colmap_read(st, 1, seller_map, NELEM(seller_map), p);
	v = balance_policy_from_name((const char *)sqlite3_column_text(st,
	    1 + (int)NELEM(seller_map)));
	p->balance_policy = v < 0 ? BALANCE_AT_USE : (enum balance_policy)v;
	return p;
}

enum gen_rc
store_logo_put(struct store *s, const char *sha256, const char *media_type,
    const void *data, size_t len, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	/* Only a row of the same hash is not an error (the same bytes):
	 * OR IGNORE would also drop a row its CHECKs refuse. */
	if ((rc = store_prepare_cached(s, "INSERT INTO logo(sha256, "
	    "media_type, data) VALUES (?, ?, ?) ON CONFLICT(sha256) DO "
	    "NOTHING", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, media_type, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob64(st, 3, data, len, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "insert logo");
	store_done(st);
	return rc;
}

enum gen_rc
store_logo_get(struct store *s, const char *sha256, unsigned char **data,
    size_t *len, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step, n;

	*data = NULL;
	*len = 0;
	if ((rc = store_prepare_cached(s, "SELECT data FROM logo WHERE "
	    "sha256 = ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 0);
		*data = xmalloc((size_t)n + 1);
		if (n > 0)
			memcpy(*data, sqlite3_column_blob(st, 0), (size_t)n);
		*len = (size_t)n;
	} else if (step == SQLITE_DONE)
		rc = gen_err_set(err, GEN_EIO, "logo: no logo with SHA-256 %s "
		    "in the database, which a document or seller profile "
		    "names; the database is damaged", sha256);
	else
		rc = store_dberr(s, err, "read logo");
	store_done(st);
	return rc;
}

enum gen_rc
store_seller_for_date(struct store *s, int32_t date,
    struct seller_profile **out, struct gen_err *err)
{
	char day[CALDATE_LEN];
	sqlite3_stmt *st = NULL;
	struct seller_profile *p;
	enum gen_rc rc;
	int step;

	*out = NULL;
	caldate_format(date, day);
	if ((rc = seller_prepare(s, "valid_from <= ?1 AND (valid_to IS NULL OR "
	    "valid_to >= ?1) ORDER BY valid_from DESC LIMIT 2", &st, err)) !=
	    GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		sqlite3_finalize(st);
		return gen_err_set(err, GEN_ENOTFOUND, "seller_profile: no "
		    "seller profile is valid on %s; add one for that date",
		    day);
	}
	if (step != SQLITE_ROW) {
		rc = store_dberr(s, err, "read seller profile");
		sqlite3_finalize(st);
		return rc;
	}
	{
		char what[64];

		snprintf(what, sizeof(what), "seller profile %lld",
		    (long long)sqlite3_column_int64(st, 0));
		if ((rc = store_colmap_check(st, 1, seller_map,
		    NELEM(seller_map), "seller_profile", what, err)) != GEN_OK) {
			sqlite3_finalize(st);
			return rc;
		}
	}
	p = seller_read(st);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_finalize(st);
		seller_profile_free(p);
		return gen_err_set(err, GEN_ECONFLICT, "seller_profile: more "
		    "than one seller profile is valid on %s; their validity "
		    "periods must not overlap", day);
	}
	sqlite3_finalize(st);
	if (p->logo_sha256 != NULL && (rc = store_logo_get(s, p->logo_sha256,
	    &p->logo, &p->logo_len, err)) != GEN_OK) {
		seller_profile_free(p);
		return rc;
	}
	*out = p;
	return GEN_OK;
}

enum gen_rc
store_seller_by_id(struct store *s, int64_t id, struct seller_profile **out,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	*out = NULL;
	if ((rc = seller_prepare(s, "id = ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? gen_err_set(err, GEN_ENOTFOUND,
		    "seller_profile: no seller profile with id %lld",
		    (long long)id) : store_dberr(s, err, "read seller profile");
		sqlite3_finalize(st);
		return rc;
	}
	*out = seller_read(st);
	sqlite3_finalize(st);
	return GEN_OK;
}

enum gen_rc
store_series_last(struct store *s, const char *series, char *number,
    size_t sz, char issue_date[CALDATE_LEN], struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	number[0] = '\0';
	issue_date[0] = '\0';
	if ((rc = store_prepare(s, "SELECT number, issue_date FROM document "
	    "WHERE series = ? ORDER BY seq DESC LIMIT 1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		store_col_copy(st, 0, number, sz);
		store_col_copy(st, 1, issue_date, CALDATE_LEN);
	} else if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the last document of a series");
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_seller_insert(struct store *s, struct seller_profile *p,
    struct gen_err *err)
{
	char cols[1024], qs[256], sql[1400];
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	if (p->logo != NULL && (rc = store_logo_put(s, p->logo_sha256,
	    p->logo_media_type, p->logo, p->logo_len, err)) != GEN_OK)
		return rc;
	store_colmap_names(seller_map, NELEM(seller_map), cols, sizeof(cols), 0);
	store_colmap_names(seller_map, NELEM(seller_map), qs, sizeof(qs), 1);
	snprintf(sql, sizeof(sql), "INSERT INTO seller_profile(%s, "
	    "balance_vat_policy) VALUES (%s, ?)", cols, qs);
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	store_colmap_bind(st, 1, seller_map, NELEM(seller_map), p);
	sqlite3_bind_text(st, 1 + (int)NELEM(seller_map),
	    balance_policy_name(p->balance_policy), -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "insert seller profile");
	else
		p->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_seller_ids(struct store *s, int64_t **ids, size_t *n,
    struct gen_err *err)
{
	return store_ids(s, "SELECT id FROM seller_profile ORDER BY valid_from, "
	    "id", 0, ids, n, "list seller profiles", err);
}

enum gen_rc
store_seller_open(struct store *s, int64_t *id, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	*id = 0;
	if ((rc = store_prepare(s, "SELECT id FROM seller_profile WHERE "
	    "valid_to IS NULL ORDER BY valid_from DESC", &st, err)) != GEN_OK)
		return rc;
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	if (step == SQLITE_ROW && sqlite3_step(st) == SQLITE_ROW)
		rc = gen_err_set(err, GEN_ECONFLICT, "seller_profile: more than "
		    "one seller profile has no end date; their validity periods "
		    "must not overlap");
	else if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_dberr(s, err, "read seller profiles");
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_seller_last_tax_point(struct store *s, int64_t id,
    char day[CALDATE_LEN], char *number, size_t sz, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	day[0] = '\0';
	number[0] = '\0';
	if ((rc = store_prepare(s, "SELECT tax_point_date, number FROM "
	    "document WHERE seller_profile_id = ? ORDER BY tax_point_date "
	    "DESC, id DESC LIMIT 1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		store_col_copy(st, 0, day, CALDATE_LEN);
		store_col_copy(st, 1, number, sz);
	} else if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the documents of a seller "
		    "profile");
	sqlite3_finalize(st);
	return rc;
}

/*
 * Run sql, an UPDATE setting a column still NULL of the row with id ?2 to
 * the text ?1: GEN_ENOTFOUND (no message) when it changed no row (the
 * column was set already); what names it in a database error.
 */
static enum gen_rc
set_once(struct store *s, const char *sql, const char *text, int64_t id,
    const char *what, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;

	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, what);
	else if (sqlite3_changes(s->db) != 1)
		rc = GEN_ENOTFOUND;
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_seller_set_valid_to(struct store *s, int64_t id, const char *day,
    struct gen_err *err)
{
	enum gen_rc rc;

	rc = set_once(s, "UPDATE seller_profile SET valid_to = ? WHERE id = ? "
	    "AND valid_to IS NULL", day, id, "close the seller profile", err);
	if (rc == GEN_ENOTFOUND)
		rc = gen_err_set(err, GEN_EINTERNAL, "seller_profile %lld: not "
		    "open any more", (long long)id);
	return rc;
}

#define PA struct party
static const struct col_map payer_map[] = {
	MAP_Z(PA, "telegram_id", telegram_id),
	MAP_S(PA, "name", name),
	MAP_S(PA, "address_line1", address_line1),
	MAP_S(PA, "address_line2", address_line2),
	MAP_S(PA, "city", city),
	MAP_S(PA, "postal_code", postal_code),
	MAP_S(PA, "region", region),
	MAP_A(PA, "country", country),
	MAP_I(PA, "is_business", is_business),
	MAP_S(PA, "vat_number", vat_number),
	MAP_S(PA, "company_code", company_code),
	MAP_S(PA, "email", email),
};
#undef PA

#define OR struct order
static const struct col_map order_map[] = {
	MAP_S(OR, "order_no", order_no),
	MAP_S(OR, "created_at", created_at),
	MAP_S(OR, "paid_at", paid_at),
	MAP_A(OR, "currency", currency),
	MAP_S(OR, "payment_method", payment_method),
	MAP_S(OR, "language", language),
	MAP_Z(OR, "customer_telegram_id", customer_telegram_id),
	MAP_S(OR, "customer_username", customer_username),
	MAP_S(OR, "vat_check_status", vat_check_status),
	MAP_S(OR, "vat_check_at", vat_check_at),
	MAP_S(OR, "vat_check_reference", vat_check_reference),
	MAP_S(OR, "evidence_billing_country", evidence_billing),
	MAP_S(OR, "evidence_card_country", evidence_card),
	MAP_S(OR, "evidence_ip_country", evidence_ip),
};
#undef OR

#define OL struct order_line
static const struct col_map line_map[] = {
	MAP_I(OL, "line_no", line_no),
	MAP_S(OL, "item", item),
	MAP_S(OL, "description", description),
	MAP_IZ(OL, "period_months", period_months),
	MAP_L(OL, "quantity", quantity),
	MAP_L(OL, "unit_price_minor", unit_price_minor),
	MAP_L(OL, "discount_bp", discount_bp),
	MAP_Z(OL, "sip_accounts", options.sip_accounts),
	MAP_Z(OL, "recording_days", options.recording_days),
	MAP_Z(OL, "gateway_lines", options.gateway_lines),
	MAP_A(OL, "period_from", period_from),
	MAP_A(OL, "period_to", period_to),
};
#undef OL

/* A bot may write order lines with SQL: they are checked when read. */
static const struct store_rows line_rows = {
	.map = line_map, .nmap = NELEM(line_map),
	.size = sizeof(struct order_line), .table = "order_line",
	.parent = "order_id", .order = "line_no",
	.insert_what = "insert order line", .read_what = "read order lines",
};

#define OD struct order_draw
static const struct col_map draw_map[] = {
	MAP_S(OD, "source_number", source),
	MAP_L(OD, "amount_minor", amount_minor),
};
#undef OD

static const struct store_rows draw_rows = {
	.map = draw_map, .nmap = NELEM(draw_map),
	.size = sizeof(struct order_draw), .table = "order_draw",
	.parent = "order_id", .seq = "draw_no", .order = "draw_no",
	.insert_what = "insert order draw", .read_what = "read order draws",
};

/* Find an identical payer row (same telegram id and every field) or add one. */
static enum gen_rc
payer_id(struct store *s, const struct party *p, int64_t *id,
    struct gen_err *err)
{
	char cols[512], where[1024], sql[1700], qs[128];
	size_t len = 0;
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	for (size_t i = 0; i < NELEM(payer_map); i++)
		len += (size_t)snprintf(where + len, sizeof(where) - len,
		    "%s%s IS ?%zu", i ? " AND " : "", payer_map[i].name, i + 1);
	snprintf(sql, sizeof(sql), "SELECT id FROM payer WHERE %s LIMIT 1",
	    where);
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	store_colmap_bind(st, 1, payer_map, NELEM(payer_map), p);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return GEN_OK;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_dberr(s, err, "find payer");
	store_colmap_names(payer_map, NELEM(payer_map), cols, sizeof(cols), 0);
	store_colmap_names(payer_map, NELEM(payer_map), qs, sizeof(qs), 1);
	snprintf(sql, sizeof(sql), "INSERT INTO payer(%s) VALUES (%s)", cols,
	    qs);
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	store_colmap_bind(st, 1, payer_map, NELEM(payer_map), p);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "insert payer");
	else
		*id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_order_insert(struct store *s, struct order *o,
    const char *source_sha256, int *existing, struct gen_err *err)
{
	char cols[1024], qs[256], sql[1500];
	sqlite3_stmt *st = NULL;
	int64_t pid = 0;
	enum gen_rc rc;
	int step;

	*existing = 0;
	if ((rc = store_prepare(s, "SELECT id, source_sha256 FROM orders "
	    "WHERE order_no = ?", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, o->order_no, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 1);

		*existing = 1;
		o->id = sqlite3_column_int64(st, 0);
		rc = h != NULL && strcmp(h, source_sha256) == 0 ? GEN_OK :
		    gen_err_set(err, GEN_ECONFLICT, "order_no: order %s already "
		    "exists with different content; an order cannot be "
		    "changed once stored (use a new order_no)", o->order_no);
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_dberr(s, err, "find order");

	if ((rc = payer_id(s, &o->payer, &pid, err)) != GEN_OK)
		return rc;
	store_colmap_names(order_map, NELEM(order_map), cols, sizeof(cols), 0);
	store_colmap_names(order_map, NELEM(order_map), qs, sizeof(qs), 1);
	snprintf(sql, sizeof(sql), "INSERT INTO orders(payer_id, source_sha256,"
	    " %s) VALUES (?, ?, %s)", cols, qs);
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, pid);
	store_bind_text(st, 2, source_sha256);
	store_colmap_bind(st, 3, order_map, NELEM(order_map), o);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "insert order");
	o->id = sqlite3_last_insert_rowid(s->db);
	sqlite3_finalize(st);
	if (rc != GEN_OK)
		return rc;

	if ((rc = store_rows_insert(s, &line_rows, o->id, o->lines, o->nlines,
	    err)) != GEN_OK)
		return rc;
	return store_rows_insert(s, &draw_rows, o->id, o->draws, o->ndraws,
	    err);
}

#define VC struct order
static const struct col_map vat_check_map[] = {
	MAP_S(VC, "status", vat_check_status),
	MAP_S(VC, "checked_at", vat_check_at),
	MAP_S(VC, "reference", vat_check_reference),
};
#undef VC

/*
 * The latest VIES answer recorded in vat_check replaces the one given
 * with the order (orders.vat_check_*): answers are appended, the last one
 * counts.
 */
static enum gen_rc
latest_vat_check(struct store *s, struct order *o, const char *what,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare_cached(s, "SELECT id, status, checked_at, "
	    "reference FROM vat_check WHERE order_id = ?1 ORDER BY id DESC "
	    "LIMIT 1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, o->id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && (rc = store_colmap_check(st, 1,
	    vat_check_map, NELEM(vat_check_map), "vat_check", what, err)) ==
	    GEN_OK) {
		free(o->vat_check_status);
		free(o->vat_check_at);
		free(o->vat_check_reference);
		o->vat_check_id = sqlite3_column_int64(st, 0);
		store_colmap_read(st, 1, vat_check_map, NELEM(vat_check_map), o);
	} else if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the VIES answers");
	store_done(st);
	return rc;
}

enum gen_rc
store_order_load(struct store *s, const char *order_no, struct order **out,
    struct gen_err *err)
{
	char ocols[1024], pcols[512], sql[2400], what[80];
	sqlite3_stmt *st = NULL;
	struct order *o = NULL;
	void *v;
	enum gen_rc rc;
	int step;

	*out = NULL;
	/* payer columns are qualified to avoid clashes with orders */
	store_colmap_qualified(order_map, NELEM(order_map), "o", ocols,
	    sizeof(ocols));
	store_colmap_qualified(payer_map, NELEM(payer_map), "p", pcols,
	    sizeof(pcols));
	snprintf(sql, sizeof(sql), "SELECT o.id, %s, %s FROM orders o JOIN "
	    "payer p ON p.id = o.payer_id WHERE o.order_no = ?", ocols, pcols);
	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, order_no, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? gen_err_set(err, GEN_ENOTFOUND,
		    "order: no order with order_no '%.100s'", order_no) :
		    store_dberr(s, err, "read order");
		sqlite3_finalize(st);
		return rc;
	}
	snprintf(what, sizeof(what), "order %.64s", order_no);
	if ((rc = store_colmap_check(st, 1, order_map, NELEM(order_map),
	    "orders", what, err)) != GEN_OK ||
	    (rc = store_colmap_check(st, 1 + (int)NELEM(order_map), payer_map,
	    NELEM(payer_map), "payer", what, err)) != GEN_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	o = xcalloc(1, sizeof(*o));
	o->id = sqlite3_column_int64(st, 0);
	store_colmap_read(st, 1, order_map, NELEM(order_map), o);
	store_colmap_read(st, 1 + (int)NELEM(order_map), payer_map,
	    NELEM(payer_map), &o->payer);
	sqlite3_finalize(st);

	rc = store_rows_read(s, &line_rows, o->id, what, &v, &o->nlines, err);
	o->lines = v;
	if (rc != GEN_OK || (rc = latest_vat_check(s, o, what, err)) != GEN_OK)
		goto fail;
	rc = store_rows_read(s, &draw_rows, o->id, NULL, &v, &o->ndraws, err);
	o->draws = v;
	if (rc != GEN_OK)
		goto fail;
	*out = o;
	return GEN_OK;
fail:
	order_free(o);
	return rc;
}

enum gen_rc
store_order_set_paid(struct store *s, int64_t order_id, const char *paid_at,
    struct gen_err *err)
{
	enum gen_rc rc;

	rc = set_once(s, "UPDATE orders SET paid_at = ? WHERE id = ? AND "
	    "paid_at IS NULL", paid_at, order_id, "mark order paid", err);
	if (rc == GEN_ENOTFOUND)
		rc = gen_err_set(err, GEN_ECONFLICT, "paid_at: the order is "
		    "already marked paid");
	return rc;
}

enum gen_rc
store_series_next(struct store *s, const char *series, enum doc_kind kind,
    int64_t *seq, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare(s, "INSERT INTO number_series(series, kind, "
	    "last_seq) VALUES (?1, ?2, 1) ON CONFLICT(series) DO UPDATE SET "
	    "last_seq = last_seq + 1 WHERE kind = ?2 RETURNING last_seq", &st,
	    err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, doc_kind_name(kind), -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*seq = sqlite3_column_int64(st, 0);
	else if (step == SQLITE_DONE)
		rc = gen_err_set(err, GEN_ECONFLICT, "number_series: series '%s' "
		    "is used for another kind of document than %s", series,
		    doc_kind_name(kind));
	else
		rc = store_dberr(s, err, "take the next number");
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
store_seller_overlap(struct store *s, const char *from, const char *to,
    int64_t *id, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	*id = 0;
	if ((rc = store_prepare(s, "SELECT id FROM seller_profile WHERE "
	    "valid_from <= coalesce(?2, '9999-12-31') AND coalesce(valid_to, "
	    "'9999-12-31') >= ?1 LIMIT 1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	store_bind_text(st, 2, to);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "check seller profiles");
	sqlite3_finalize(st);
	return rc;
}

/* The columns of store_order_rows' query, in its order. */
#define RO struct store_order_row
static const struct col_map order_row_map[] = {
	MAP_L(RO, "o.id", id),
	MAP_S(RO, "o.order_no", order_no),
	MAP_S(RO, "o.created_at", created_at),
	MAP_S(RO, "o.paid_at", paid_at),
	MAP_S(RO, "o.currency", currency),
	MAP_S(RO, "o.payment_method", payment_method),
	MAP_S(RO, "p.name", payer_name),
	MAP_S(RO, "p.country", payer_country),
};
#undef RO

static const struct store_rows order_rows = {
	.map = order_row_map, .nmap = NELEM(order_row_map),
	.size = sizeof(struct store_order_row), .read_what = "list orders",
};

enum gen_rc
store_order_rows(struct store *s, int unpaid, struct store_order_row **rows,
    size_t *n, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	void *v;
	enum gen_rc rc;

	*rows = NULL;
	*n = 0;
	if ((rc = store_prepare(s, unpaid ?
	    "SELECT o.id, o.order_no, o.created_at, o.paid_at, o.currency, "
	    "o.payment_method, p.name, p.country FROM orders o JOIN payer p "
	    "ON p.id = o.payer_id WHERE o.paid_at IS NULL ORDER BY "
	    "o.created_at, o.id" :
	    "SELECT o.id, o.order_no, o.created_at, o.paid_at, o.currency, "
	    "o.payment_method, p.name, p.country FROM orders o JOIN payer p "
	    "ON p.id = o.payer_id ORDER BY o.created_at, o.id", &st, err)) !=
	    GEN_OK)
		return rc;
	rc = store_rows_collect(s, st, &order_rows, NULL, &v, n, err);
	sqlite3_finalize(st);
	*rows = v;
	return rc;
}

void
store_order_rows_free(struct store_order_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].order_no);
		free(rows[i].created_at);
		free(rows[i].paid_at);
		free(rows[i].currency);
		free(rows[i].payment_method);
		free(rows[i].payer_name);
		free(rows[i].payer_country);
	}
	free(rows);
}

enum gen_rc
store_order_docs(struct store *s, int64_t order_id,
    struct store_order_doc **docs, size_t *n, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	enum gen_rc rc;
	int step;

	*docs = NULL;
	*n = 0;
	if ((rc = store_prepare_cached(s, "SELECT d.number, d.kind, "
	    "d.issue_date, d.due_date, d.currency, d.currency_digits, "
	    "d.total_minor, (SELECT coalesce(sum(amount_minor), 0) FROM "
	    "payment WHERE document_id = d.id), (SELECT "
	    "coalesce(sum(total_minor), 0) FROM document c WHERE "
	    "c.corrects_id = d.id) FROM document d WHERE d.order_id = ?1 "
	    "ORDER BY d.id", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, order_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_order_doc *d;
		int kind;

		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*docs = xrealloc(*docs, cap * sizeof(**docs));
		}
		d = &(*docs)[(*n)++];
		memset(d, 0, sizeof(*d));
		d->number = store_col_text(st, 0);
		kind = doc_kind_from_name((const char *)sqlite3_column_text(st,
		    1));
		d->kind = kind < 0 ? DOC_INVOICE : (enum doc_kind)kind;
		store_col_copy(st, 2, d->issue_date, sizeof(d->issue_date));
		store_col_copy(st, 3, d->due_date, sizeof(d->due_date));
		store_col_copy(st, 4, d->currency, sizeof(d->currency));
		d->currency_digits = sqlite3_column_int(st, 5);
		d->total_minor = sqlite3_column_int64(st, 6);
		d->paid_minor = sqlite3_column_int64(st, 7);
		d->credited_minor = sqlite3_column_int64(st, 8);
	}
	if (step != SQLITE_DONE) {
		rc = store_dberr(s, err, "list the documents of an order");
		store_order_docs_free(*docs, *n);
		*docs = NULL;
		*n = 0;
	}
	store_done(st);
	return rc;
}

void
store_order_docs_free(struct store_order_doc *docs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(docs[i].number);
	free(docs);
}
