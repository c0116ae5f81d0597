/*
 * chain.c - the hash chain of every number series (see chain.h): the
 * canonical forms, the links taken when a document or a file hash is
 * recorded, the links an existing archive gets at migration, the number
 * check before issuing, and verification.  Part of the store module: it
 * reads and writes rows with SQLite directly, and reads every column of
 * a form generically (sqlite3_column_type), so the canonical text is
 * exactly what is stored, whatever the C structs make of it.
 *
 * Canonical text grammar (form N):
 *     "invgen canonical form N\n"
 *     then for each row: "[" TABLE "]\n" for the one document or file row,
 *     "[" TABLE " " I "]\n" for the I-th line (by line_no), VAT row (by
 *     category, rate) or draw on the balance (by draw_no), then one
 *     "VALUE\n" per column of the form, in the
 *     form's order (the form names them: a link holds a few hundred
 *     bytes less than with the names, which decides how many fit a page).
 *     VALUE: null | a decimal integer | "real:" %.17g | x'HEX' (a blob) |
 *     "TEXT" with \" \\ \n \r \t and \u00XX for other bytes below 0x20
 *     and 0x7f; other bytes as stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "chain.h"
#include "sha256.h"
#include "store_private.h"

/*
 * Canonical form 1: every column of these tables in the first release
 * that has the chain, one per line so that adding a column is a one-line
 * change.  A released form never changes: a column added by a later migration goes into a new
 * form (copy the lists, add it, raise CHAIN_FORM in chain.h).  test-chain
 * fails when a table has a column the current form does not list.
 */
static const char *const form1_document[] = {
	"id",
	"kind",
	"series",
	"seq",
	"number",
	"order_id",
	"corrects_id",
	"credit_reason",
	"issue_date",
	"tax_point_date",
	"due_date",
	"paid_at",
	"payment_method",
	"payment_reference",
	"language",
	"currency",
	"currency_digits",
	"seller_profile_id",
	"seller_legal_name",
	"seller_company_code",
	"seller_vat_number",
	"seller_address_line1",
	"seller_address_line2",
	"seller_city",
	"seller_postal_code",
	"seller_country",
	"seller_email",
	"seller_website",
	"bank_beneficiary",
	"bank_iban",
	"bank_bic",
	"bank_name",
	"bank_address",
	"payer_telegram_id",
	"payer_name",
	"payer_address_line1",
	"payer_address_line2",
	"payer_city",
	"payer_postal_code",
	"payer_region",
	"payer_country",
	"payer_is_business",
	"payer_vat_number",
	"payer_company_code",
	"payer_email",
	"customer_telegram_id",
	"customer_username",
	"treatment",
	"vat_category",
	"vat_rate_bp",
	"vat_country",
	"location_country",
	"tax_rule",
	"tax_explanation",
	"net_minor",
	"vat_minor",
	"total_minor",
	"fx_units_per_eur",
	"fx_rate_date",
	"vat_eur_minor",
	"template",
	"layout_version",
	"render_env",
	"territory",
	"credit_to",
	"origin_id",
	"logo_sha256",
	NULL
};

static const char *const form1_line[] = {
	"document_id",
	"line_no",
	"item",
	"description",
	"period_months",
	"quantity",
	"unit_price_minor",
	"discount_bp",
	"gross_minor",
	"discount_minor",
	"net_minor",
	"vat_category",
	"vat_rate_bp",
	"sip_accounts",
	"recording_days",
	"gateway_lines",
	"period_from",
	"period_to",
	NULL
};

static const char *const form1_vat[] = {
	"document_id",
	"vat_category",
	"vat_rate_bp",
	"taxable_minor",
	"vat_minor",
	"taxable_eur_minor",
	"vat_eur_minor",
	NULL
};

static const char *const form1_file[] = {
	"document_id",
	"format",
	"sha256",
	"size",
	NULL
};

static const char *const form1_draw[] = {
	"document_id",
	"draw_no",
	"source_id",
	"amount_minor",
	NULL
};

struct form {
	int version;
	const char *const *columns[CHAIN_NTABLES];
};

static const struct form forms[] = {
	{ 1, { form1_document, form1_line, form1_vat, form1_file,
	    form1_draw } },
};

static const char *const table_names[CHAIN_NTABLES] = { "document",
	"document_line", "document_vat", "document_file", "document_draw" };

/* How each table's rows of one document are selected, in canonical order. */
static const char *const table_where[CHAIN_NTABLES] = {
	"WHERE id = ?1",
	"WHERE document_id = ?1 ORDER BY line_no",
	"WHERE document_id = ?1 ORDER BY vat_category, vat_rate_bp",
	"WHERE document_id = ?1 AND format = ?2",
	"WHERE document_id = ?1 ORDER BY draw_no",
};

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

const char *
chain_table_name(enum chain_table t)
{
	return (unsigned)t < CHAIN_NTABLES ? table_names[t] : "?";
}

const char *const *
chain_form_columns(int form, enum chain_table t)
{
	if ((unsigned)t >= CHAIN_NTABLES)
		return NULL;
	for (size_t i = 0; i < NELEM(forms); i++)
		if (forms[i].version == form)
			return forms[i].columns[t];
	return NULL;
}

/* ---- canonical text ---------------------------------------------------- */

/* Append s[0..n) as a quoted canonical text value. */
static void
put_text(struct buf *b, const char *s, size_t n)
{
	size_t run = 0;

	buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[8];

		if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\') {
			run++;
			continue;
		}
		buf_append(b, s + i - run, run);
		run = 0;
		switch (c) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			snprintf(e, sizeof(e), "\\u%04x", c);
			buf_puts(b, e);
			break;
		}
	}
	buf_append(b, s + n - run, run);
	buf_putc(b, '"');
}

/* Append a decimal integer (no printf: this runs for every column). */
static void
put_int(struct buf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_append(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Append column i of the current row as a canonical value. */
static void
put_value(struct buf *b, sqlite3_stmt *st, int i)
{
	static const char hex[] = "0123456789abcdef";

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		put_int(b, sqlite3_column_int64(st, i));
		break;
	case SQLITE_FLOAT:
		buf_printf(b, "real:%.17g", sqlite3_column_double(st, i));
		break;
	case SQLITE_TEXT:
		put_text(b, (const char *)sqlite3_column_text(st, i),
		    (size_t)sqlite3_column_bytes(st, i));
		break;
	case SQLITE_BLOB: {
		const unsigned char *p = sqlite3_column_blob(st, i);
		int n = sqlite3_column_bytes(st, i);

		buf_puts(b, "x'");
		for (int k = 0; k < n; k++) {
			buf_putc(b, hex[p[k] >> 4]);
			buf_putc(b, hex[p[k] & 15]);
		}
		buf_putc(b, '\'');
		break;
	}
	default:
		buf_puts(b, "null");
		break;
	}
}

/*
 * Append the rows of one table of a document (format: the file row's
 * format, for CHAIN_FILE) in canonical form; *nrows counts them.  When
 * capture is set, the first row's "series" and "number" columns are
 * copied into it (owned).
 */
static enum gen_rc
put_rows(struct store *s, const char *const *cols, enum chain_table t,
    int64_t document_id, const char *format, struct buf *out, size_t *nrows,
    char **capture, struct gen_err *err)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step, ncols = 0;

	*nrows = 0;
	buf_puts(&sql, "SELECT ");
	for (; cols[ncols] != NULL; ncols++) {
		if (ncols > 0)
			buf_puts(&sql, ", ");
		buf_puts(&sql, cols[ncols]);
	}
	buf_puts(&sql, " FROM ");
	buf_puts(&sql, table_names[t]);
	buf_putc(&sql, ' ');
	buf_puts(&sql, table_where[t]);
	rc = store_prepare_cached(s, sql.data, &st, err);
	buf_free(&sql);
	if (rc != GEN_OK)
		return gen_err_prefix(err, "canonical %s: ", table_names[t]);
	sqlite3_bind_int64(st, 1, document_id);
	if (format != NULL)
		sqlite3_bind_text(st, 2, format, -1, SQLITE_TRANSIENT);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		++*nrows;
		buf_putc(out, '[');
		buf_puts(out, table_names[t]);
		if (t == CHAIN_LINE || t == CHAIN_VAT || t == CHAIN_DRAW) {
			buf_putc(out, ' ');
			put_int(out, (int64_t)*nrows);
		}
		buf_puts(out, "]\n");
		for (int i = 0; i < ncols; i++) {
			put_value(out, st, i);
			buf_putc(out, '\n');
		}
		if (capture != NULL && *nrows == 1)
			for (int i = 0; i < ncols; i++) {
				if (strcmp(cols[i], "series") == 0)
					capture[0] = store_col_text(st, i);
				else if (strcmp(cols[i], "number") == 0)
					capture[1] = store_col_text(st, i);
			}
	}
	if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the canonical rows");
	store_done(st);
	return rc;
}

/* The canonical text of a document; capture as in put_rows. */
static enum gen_rc
canonical_document(struct store *s, int form, int64_t id, struct buf *out,
    char **capture, struct gen_err *err)
{
	const char *const *cols;
	size_t n;
	enum gen_rc rc;

	if (chain_form_columns(form, CHAIN_DOCUMENT) == NULL)
		return gen_err_set(err, GEN_EINTERNAL, "canonical form %d is not "
		    "known to this invgen", form);
	buf_printf(out, "invgen canonical form %d\n", form);
	cols = chain_form_columns(form, CHAIN_DOCUMENT);
	if ((rc = put_rows(s, cols, CHAIN_DOCUMENT, id, NULL, out, &n, capture,
	    err)) != GEN_OK)
		return rc;
	if (n == 0)
		return gen_err_set(err, GEN_ENOTFOUND, "document: no document "
		    "with id %lld", (long long)id);
	if ((rc = put_rows(s, chain_form_columns(form, CHAIN_LINE), CHAIN_LINE,
	    id, NULL, out, &n, NULL, err)) != GEN_OK)
		return rc;
	if ((rc = put_rows(s, chain_form_columns(form, CHAIN_VAT), CHAIN_VAT,
	    id, NULL, out, &n, NULL, err)) != GEN_OK)
		return rc;
	return put_rows(s, chain_form_columns(form, CHAIN_DRAW), CHAIN_DRAW, id,
	    NULL, out, &n, NULL, err);
}

enum gen_rc
chain_canonical_document(struct store *s, int form, int64_t document_id,
    struct buf *out, struct gen_err *err)
{
	return canonical_document(s, form, document_id, out, NULL, err);
}

enum gen_rc
chain_canonical_file(struct store *s, int form, int64_t document_id,
    const char *format, struct buf *out, struct gen_err *err)
{
	const char *const *cols = chain_form_columns(form, CHAIN_FILE);
	size_t n;
	enum gen_rc rc;

	if (cols == NULL)
		return gen_err_set(err, GEN_EINTERNAL, "canonical form %d is not "
		    "known to this invgen", form);
	buf_printf(out, "invgen canonical form %d\n", form);
	if ((rc = put_rows(s, cols, CHAIN_FILE, document_id, format, out, &n,
	    NULL, err)) != GEN_OK)
		return rc;
	if (n == 0)
		return gen_err_set(err, GEN_ENOTFOUND, "document_file: no %s "
		    "hash for document %lld", format, (long long)document_id);
	return GEN_OK;
}

void
chain_link_hash(const char *series, int64_t pos, const char *prev,
    const char *canonical, size_t len, char hex[65])
{
	struct buf head = { 0 };
	struct sha256 c;
	unsigned char dig[32];

	buf_puts(&head, "invgen chain link 1\nseries=");
	put_text(&head, series, strlen(series));
	buf_printf(&head, "\npos=%lld\nprev=%s\n", (long long)pos, prev);
	sha256_init(&c);
	sha256_update(&c, head.data, head.len);
	sha256_update(&c, canonical, len);
	sha256_final(&c, dig);
	sha256_to_hex(dig, hex);
	buf_free(&head);
}

/* The position of a column in a table of a form, or -1. */
static int
column_index(int form, enum chain_table t, const char *column)
{
	const char *const *cols = chain_form_columns(form, t);

	for (int i = 0; cols != NULL && cols[i] != NULL; i++)
		if (strcmp(cols[i], column) == 0)
			return i;
	return -1;
}

/* The canonical form a text was written in ("invgen canonical form N"),
 * or -1. */
static int
canon_form(const char *text)
{
	static const char head[] = "invgen canonical form ";
	int form = 0;

	if (text == NULL || strncmp(text, head, sizeof(head) - 1) != 0)
		return -1;
	for (text += sizeof(head) - 1; *text >= '0' && *text <= '9'; text++)
		if ((form = form * 10 + (*text - '0')) > 1000000)
			return -1;
	return *text == '\n' ? form : -1;
}

/*
 * The value of a column of the first row (the document or file row) of a
 * canonical text, as written (quotes included for text); NULL when
 * absent.
 */
static const char *
canon_field(const char *text, const char *column, size_t *len)
{
	int form = canon_form(text), want;
	const char *hdr, *p;

	if (form < 0 || (hdr = strchr(text, '\n')) == NULL || hdr[1] != '[' ||
	    (p = strchr(++hdr, '\n')) == NULL)
		return NULL;
	want = column_index(form, strncmp(hdr, "[document_file]\n", 16) == 0 ?
	    CHAIN_FILE : CHAIN_DOCUMENT, column);
	if (want < 0)
		return NULL;
	for (p++; *p != '\0' && *p != '['; want--) {
		const char *eol = strchr(p, '\n');

		if (eol == NULL)
			eol = p + strlen(p);
		if (want == 0) {
			*len = (size_t)(eol - p);
			return p;
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}

/* An integer column of the first row of a canonical text, or -1. */
static int64_t
canon_int(const char *text, const char *column)
{
	size_t len;
	const char *v = canon_field(text, column, &len);
	int64_t x = 0;

	if (v == NULL || len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	return x;
}

/* A text column of the first row, unquoted (escapes kept), into out. */
static void
canon_text(const char *text, const char *column, char *out, size_t sz)
{
	size_t len;
	const char *v = canon_field(text, column, &len);

	if (v == NULL || len < 2 || v[0] != '"')
		snprintf(out, sz, "?");
	else
		snprintf(out, sz, "%.*s", (int)(len - 2), v + 1);
}

/* ---- links --------------------------------------------------------------- */

/* The last link of a series: *pos 0 and the zero hash when there is none. */
static enum gen_rc
last_link(struct store *s, const char *series, int64_t *pos, char prev[65],
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	*pos = 0;
	memcpy(prev, zero_hash, 65);
	if ((rc = store_prepare_cached(s, "SELECT pos, sha256 FROM chain_link "
	    "WHERE series = ?1 ORDER BY pos DESC LIMIT 1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*pos = sqlite3_column_int64(st, 0);
		store_col_copy(st, 1, prev, 65);
	} else if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the chain");
	store_done(st);
	return rc;
}

/* Append a link to series' chain. */
static enum gen_rc
append(struct store *s, const char *series, const char *kind,
    int64_t document_id, const char *format, const struct buf *canon,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	char prev[65], hash[65];
	int64_t pos;
	enum gen_rc rc;

	if ((rc = last_link(s, series, &pos, prev, err)) != GEN_OK)
		return rc;
	chain_link_hash(series, pos + 1, prev, canon->data, canon->len, hash);
	if ((rc = store_prepare_cached(s, "INSERT INTO chain_link(series, pos, "
	    "kind, document_id, format, form, canonical, prev_sha256, sha256) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, pos + 1);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, document_id);
	store_bind_text(st, 5, format);
	sqlite3_bind_int(st, 6, CHAIN_FORM);
	sqlite3_bind_text(st, 7, canon->data, (int)canon->len,
	    SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 8, prev, 64, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, hash, 64, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_dberr(s, err, "append to the archive chain");
	store_done(st);
	return rc;
}

enum gen_rc
chain_link_document(struct store *s, int64_t document_id,
    struct gen_err *err)
{
	struct buf canon = { 0 };
	char *cap[2] = { NULL, NULL };
	enum gen_rc rc;

	rc = canonical_document(s, CHAIN_FORM, document_id, &canon, cap, err);
	if (rc == GEN_OK && cap[0] == NULL)
		rc = gen_err_set(err, GEN_EINTERNAL, "document %lld has no "
		    "series", (long long)document_id);
	if (rc == GEN_OK)
		rc = append(s, cap[0], "document", document_id, NULL, &canon,
		    err);
	free(cap[0]);
	free(cap[1]);
	buf_free(&canon);
	return rc;
}

enum gen_rc
chain_link_file(struct store *s, int64_t document_id, const char *format,
    struct gen_err *err)
{
	struct buf canon = { 0 };
	sqlite3_stmt *st = NULL;
	char series[128] = "";
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare_cached(s, "SELECT series FROM document WHERE "
	    "id = ?1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		store_col_copy(st, 0, series, sizeof(series));
	else
		rc = step == SQLITE_DONE ? gen_err_set(err, GEN_ENOTFOUND,
		    "document: no document with id %lld", (long long)document_id) :
		    store_dberr(s, err, "read document");
	store_done(st);
	if (rc == GEN_OK)
		rc = chain_canonical_file(s, CHAIN_FORM, document_id, format,
		    &canon, err);
	if (rc == GEN_OK)
		rc = append(s, series, "file", document_id, format, &canon, err);
	buf_free(&canon);
	return rc;
}

/* A file row to link: its document and format. */
struct file_key {
	int64_t id;
	char format[16];
};

static const struct col_map file_key_map[] = {
	MAP_L(struct file_key, "document_id", id),
	MAP_A(struct file_key, "format", format),
};

static const struct store_rows file_key_rows = {
	.map = file_key_map, .nmap = NELEM(file_key_map),
	.size = sizeof(struct file_key),
	.read_what = "list file hashes to link",
};

/* Link the file rows of a document (0: of every document) not linked. */
static enum gen_rc
link_missing_files(struct store *s, int64_t document_id, size_t *added,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	struct file_key *v;
	void *rows;
	size_t n;
	enum gen_rc rc;

	if ((rc = store_prepare(s, "SELECT document_id, format FROM "
	    "document_file f WHERE (?1 = 0 OR document_id = ?1) AND NOT EXISTS "
	    "(SELECT 1 FROM chain_link c WHERE c.document_id = f.document_id "
	    "AND c.kind = 'file' AND c.format = f.format) ORDER BY document_id, "
	    "format", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_int64(st, 1, document_id);
	rc = store_rows_collect(s, st, &file_key_rows, NULL, &rows, &n, err);
	sqlite3_finalize(st);
	v = rows;
	for (size_t i = 0; i < n && rc == GEN_OK; i++)
		if ((rc = chain_link_file(s, v[i].id, v[i].format, err)) ==
		    GEN_OK)
			++*added;
	free(v);
	return rc;
}

enum gen_rc
chain_link_missing(struct store *s, size_t *added, struct gen_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0;
	enum gen_rc rc;

	*added = 0;
	rc = store_ids(s, "SELECT id FROM document d WHERE NOT EXISTS (SELECT "
	    "1 FROM chain_link c WHERE c.document_id = d.id AND c.kind = "
	    "'document') ORDER BY series, seq", 0, &ids, &n, "list rows to link",
	    err);
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		if ((rc = chain_link_document(s, ids[i], err)) == GEN_OK) {
			++*added;
			rc = link_missing_files(s, ids[i], added, err);
		}
	}
	free(ids);
	if (rc == GEN_OK)
		rc = link_missing_files(s, 0, added, err);
	return rc;
}

enum gen_rc
chain_check_series(struct store *s, const char *series, int64_t seq,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t last_doc = 0, last_link = 0;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare_cached(s, "SELECT coalesce(max(seq), 0) FROM "
	    "document WHERE series = ?1", &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
	if ((step = sqlite3_step(st)) == SQLITE_ROW)
		last_doc = sqlite3_column_int64(st, 0);
	else
		rc = store_dberr(s, err, "read the series");
	store_done(st);
	if (rc != GEN_OK)
		return rc;
	if ((rc = store_prepare_cached(s, "SELECT canonical FROM chain_link "
	    "WHERE series = ?1 AND kind = 'document' ORDER BY pos DESC LIMIT 1",
	    &st, err)) != GEN_OK)
		return rc;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_TRANSIENT);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		last_link = canon_int((const char *)sqlite3_column_text(st, 0),
		    "seq");
	else if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the chain");
	store_done(st);
	if (rc != GEN_OK)
		return rc;
	if (last_doc != seq - 1)
		return gen_err_set(err, GEN_EDB, "damaged archive: number_series "
		    "'%s' gives the next number %lld, but the last document of "
		    "the series is number %lld (last_seq was changed by hand, "
		    "or documents were removed); nothing issued: restore the "
		    "database and verify it", series, (long long)seq,
		    (long long)last_doc);
	if (last_link != seq - 1)
		return gen_err_set(err, GEN_EDB, "damaged archive: the chain of "
		    "series '%s' ends at number %lld, but number_series gives "
		    "the next number %lld (documents were removed); nothing "
		    "issued: restore the database and verify it", series,
		    (long long)last_link, (long long)seq);
	return GEN_OK;
}

/* ---- verification ----------------------------------------------------- */

/* One value line of a canonical text: its row section and column. */
struct entry {
	const char *sec, *name, *val;
	size_t seclen, vallen;
	int seen;
};

/* The table of a section ("document_line 2" -> CHAIN_LINE), or -1. */
static int
section_table(const char *sec, size_t len)
{
	for (int t = 0; t < CHAIN_NTABLES; t++) {
		size_t n = strlen(table_names[t]);

		if (len >= n && memcmp(sec, table_names[t], n) == 0 &&
		    (len == n || sec[n] == ' '))
			return t;
	}
	return -1;
}

/* Split a canonical text into entries named by its form; *out owned. */
static size_t
entries(const char *text, size_t len, struct entry **out)
{
	const char *p = text, *end = text + len, *sec = "", *eol;
	const char *const *cols = NULL;
	size_t seclen = 0, n = 0, cap = 0, col = 0;
	int form = canon_form(text);

	*out = NULL;
	for (; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (p == text)
			continue;		/* the form line */
		if (*p == '[' && eol > p + 1 && eol[-1] == ']') {
			int t;

			sec = p + 1;
			seclen = (size_t)(eol - p - 2);
			t = section_table(sec, seclen);
			cols = t < 0 ? NULL : chain_form_columns(form,
			    (enum chain_table)t);
			col = 0;
			continue;
		}
		if (n == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 128) *
			    sizeof(**out));
		(*out)[n].sec = sec;
		(*out)[n].seclen = seclen;
		(*out)[n].name = "?";
		for (size_t k = 0; cols != NULL && cols[k] != NULL; k++)
			if (k == col) {
				(*out)[n].name = cols[k];
				break;
			}
		(*out)[n].val = p;
		(*out)[n].vallen = (size_t)(eol - p);
		(*out)[n].seen = 0;
		n++;
		col++;
		if (eol == end)
			break;
	}
	return n;
}

static int
same_key(const struct entry *a, const struct entry *b)
{
	return a->seclen == b->seclen && strcmp(a->name, b->name) == 0 &&
	    memcmp(a->sec, b->sec, a->seclen) == 0;
}

static int
has_section(const struct entry *v, size_t n, const struct entry *e)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].seclen == e->seclen &&
		    memcmp(v[i].sec, e->sec, e->seclen) == 0)
			return 1;
	return 0;
}

/* A value for a message: at most about 60 bytes, cut on a character. */
static void
show(struct buf *b, const char *v, size_t n)
{
	size_t cut = n;

	if (n > 60) {
		cut = 60;
		while (cut > 0 && ((unsigned char)v[cut] & 0xc0) == 0x80)
			cut--;
	}
	buf_append(b, v, cut);
	if (cut < n)
		buf_puts(b, "...");
}

/* "document.payer_name" or "document_line 2, net_minor". */
static void
field_name(struct buf *b, const struct entry *e)
{
	int row = memchr(e->sec, ' ', e->seclen) != NULL;

	buf_printf(b, "%.*s%s%s", (int)e->seclen, e->sec, row ? ", " : ".",
	    e->name);
}

#define DIFF_MAX_LINES 12

/* The lines of one report_diff() in the making. */
struct diff {
	struct buf *rep;
	const char *who;
	size_t lines;			/* differences found */
	size_t more;			/* those past DIFF_MAX_LINES */
	const struct entry *last_row;	/* of the last row said gone */
};

/* Count a difference: 1 when its line is written, 0 past the limit. */
static int
diff_room(struct diff *d)
{
	if (d->lines++ >= DIFF_MAX_LINES) {
		d->more++;
		return 0;
	}
	return 1;
}

/* Start the line of a difference in a column: 0 past the limit. */
static int
diff_field(struct diff *d, const struct entry *e)
{
	if (!diff_room(d))
		return 0;
	buf_printf(d->rep, "%s: changed since it was linked: ", d->who);
	field_name(d->rep, e);
	return 1;
}

/* The row of e is not in the other text: say so once per row ("removed"
 * from the live text, "added" to it). */
static void
diff_row(struct diff *d, const struct entry *e, const char *how)
{
	if (d->last_row != NULL && d->last_row->seclen == e->seclen &&
	    memcmp(d->last_row->sec, e->sec, e->seclen) == 0)
		return;
	d->last_row = e;
	if (diff_room(d))
		buf_printf(d->rep, "%s: changed since it was linked: row %.*s "
		    "%s\n", d->who, (int)e->seclen, e->sec, how);
}

/*
 * Report how the live canonical text differs from the one in the chain,
 * one line per changed column (or per row removed or added), each
 * starting with who ("ZLV-000003" or "ZLV-000003 ubl").
 */
static void
report_diff(struct buf *rep, const char *who, const char *chain,
    size_t clen, const char *live, size_t llen)
{
	struct entry *a = NULL, *b = NULL;
	size_t na = entries(chain, clen, &a), nb = entries(live, llen, &b);
	size_t hint = 0;
	struct diff d = { rep, who, 0, 0, NULL };

	for (size_t i = 0; i < na; i++) {
		const struct entry *e = &a[i];
		size_t j, k;

		for (k = 0, j = hint; k < nb; k++, j = (j + 1) % nb)
			if (!b[j].seen && same_key(e, &b[j]))
				break;
		if (k < nb) {
			b[j].seen = 1;
			hint = (j + 1) % nb;
			if (e->vallen == b[j].vallen &&
			    memcmp(e->val, b[j].val, e->vallen) == 0)
				continue;
			if (diff_field(&d, e)) {
				buf_puts(rep, " was ");
				show(rep, e->val, e->vallen);
				buf_puts(rep, ", is ");
				show(rep, b[j].val, b[j].vallen);
				buf_putc(rep, '\n');
			}
		} else if (!has_section(b, nb, e))
			diff_row(&d, e, "removed");
		else if (diff_field(&d, e))
			buf_puts(rep, " is missing\n");
	}
	d.last_row = NULL;
	for (size_t j = 0; j < nb; j++) {
		if (b[j].seen)
			continue;
		if (!has_section(a, na, &b[j]))
			diff_row(&d, &b[j], "added");
		else if (diff_field(&d, &b[j]))
			buf_puts(rep, " was added\n");
	}
	if (d.more > 0)
		buf_printf(rep, "%s: ... and %zu more difference%s\n", who,
		    d.more, d.more == 1 ? "" : "s");
	free(a);
	free(b);
}

/* An anchor given to verify: SERIES=SHA256. */
struct anchor {
	char series[128];
	char sha[65];
	int64_t pos;		/* where it was found; 0: not found */
};

static enum gen_rc
parse_anchor(const char *arg, struct anchor *a, struct gen_err *err)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;

	memset(a, 0, sizeof(*a));
	if (eq == NULL || n == 0 || n >= sizeof(a->series) ||
	    strlen(eq + 1) != 64)
		goto bad;
	for (size_t i = 0; i < 64; i++) {
		char c = eq[1 + i];

		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			goto bad;
		a->sha[i] = c;
	}
	memcpy(a->series, arg, n);
	return GEN_OK;
bad:
	return gen_err_set(err, GEN_EINPUT, "expect_head: '%.100s' is not "
	    "allowed; give SERIES=SHA256 (the head verify printed: the series "
	    "name, '=', 64 hexadecimal digits)", arg);
}

/* The state of the series being walked. */
struct walk {
	char *series;		/* owned; NULL before the first link */
	int64_t pos;		/* last position seen */
	int64_t seq;		/* last document number linked */
	char prev[65];		/* SHA-256 of the last link */
	size_t docs, files;
};

/* End of a series: its head in res. */
static void
walk_end(struct walk *w, struct chain_result *res)
{
	if (w->series != NULL) {
		struct chain_head *h;

		res->heads = xrealloc(res->heads, (res->nheads + 1) *
		    sizeof(*res->heads));
		h = &res->heads[res->nheads++];
		snprintf(h->series, sizeof(h->series), "%s", w->series);
		h->documents = w->docs;
		h->files = w->files;
		h->links = w->pos;
		memcpy(h->head, w->prev, sizeof(h->head));
	}
	free(w->series);
	memset(w, 0, sizeof(*w));
}

void
chain_heads_text(const struct chain_result *res, struct buf *out)
{
	for (size_t i = 0; i < res->nheads; i++) {
		const struct chain_head *h = &res->heads[i];

		buf_printf(out, "chain %s: %zu document%s, %zu file hash%s, "
		    "%lld link%s, head %s\n", h->series, h->documents,
		    h->documents == 1 ? "" : "s", h->files, h->files == 1 ? "" :
		    "es", (long long)h->links, h->links == 1 ? "" : "s",
		    h->head);
	}
	for (size_t i = 0; i < res->nanchors; i++)
		buf_printf(out, "anchor %s=%s: link %lld, history up to it "
		    "unchanged\n", res->anchors[i].series,
		    res->anchors[i].sha256, (long long)res->anchors[i].link);
}

void
chain_result_free(struct chain_result *res)
{
	free(res->heads);
	free(res->anchors);
	res->heads = NULL;
	res->anchors = NULL;
	res->nheads = res->nanchors = 0;
}

/* The number of the document with an id, for messages. */
static void
number_of(struct store *s, int64_t id, char *out, size_t sz)
{
	sqlite3_stmt *st = NULL;
	struct gen_err e = { 0 };

	snprintf(out, sz, "document id %lld", (long long)id);
	if (store_prepare_cached(s, "SELECT number FROM document WHERE id = ?1",
	    &st, &e) != GEN_OK)
		return;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		store_col_copy(st, 0, out, sz);
		store_done(st);
		return;
	}
	store_done(st);
	/* gone: the number its document link recorded */
	if (store_prepare_cached(s, "SELECT canonical FROM chain_link WHERE "
	    "document_id = ?1 AND kind = 'document' ORDER BY series, pos LIMIT "
	    "1", &st, &e) != GEN_OK)
		return;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		canon_text((const char *)sqlite3_column_text(st, 0), "number",
		    out, sz);
	store_done(st);
}

/* Check one link against its place in the chain and the live rows. */
static enum gen_rc
check_link(struct store *s, sqlite3_stmt *st, struct walk *w,
    struct anchor *anchors, size_t nanchors, struct buf *rep,
    struct chain_result *res, struct gen_err *err)
{
	const char *series = (const char *)sqlite3_column_text(st, 0);
	int64_t pos = sqlite3_column_int64(st, 1);
	const char *kind = (const char *)sqlite3_column_text(st, 2);
	int64_t doc = sqlite3_column_int64(st, 3);
	const char *format = (const char *)sqlite3_column_text(st, 4);
	int form = sqlite3_column_int(st, 5);
	const char *canon = (const char *)sqlite3_column_text(st, 6);
	size_t clen = (size_t)sqlite3_column_bytes(st, 6);
	const char *prev = (const char *)sqlite3_column_text(st, 7);
	const char *sha = (const char *)sqlite3_column_text(st, 8);
	struct buf live = { 0 }, who = { 0 };
	char number[128], hash[65];
	int is_doc = kind != NULL && strcmp(kind, "document") == 0;
	enum gen_rc rc;

	/* NOT NULL columns, unless the table itself was rebuilt */
	if (series == NULL)
		series = "";
	if (canon == NULL)
		canon = "", clen = 0;
	if (prev == NULL)
		prev = "";
	if (sha == NULL)
		sha = "";
	if (is_doc)
		canon_text(canon, "number", number, sizeof(number));
	else
		number_of(s, doc, number, sizeof(number));
	buf_puts(&who, number);
	if (!is_doc)
		buf_printf(&who, " %s", format ? format : "?");

	if (pos == w->pos + 2) {
		buf_printf(rep, "chain %s: link %lld missing (before %s)\n",
		    series, (long long)(w->pos + 1), who.data);
		res->problems++;
	} else if (pos != w->pos + 1) {
		buf_printf(rep, "chain %s: links %lld to %lld missing (before "
		    "%s)\n", series, (long long)(w->pos + 1), (long long)(pos - 1),
		    who.data);
		res->problems++;
	}
	if (strcmp(prev, w->prev) != 0) {
		buf_printf(rep, "chain %s: link %lld (%s) does not follow link "
		    "%lld: the chain was rewritten or links were removed before "
		    "it\n", series, (long long)pos, who.data, (long long)w->pos);
		res->problems++;
	}
	chain_link_hash(series, pos, prev, canon, clen, hash);
	if (strcmp(hash, sha) != 0) {
		buf_printf(rep, "chain %s: link %lld (%s) was altered: its "
		    "SHA-256 does not match its content\n", series,
		    (long long)pos, who.data);
		res->problems++;
	}
	for (size_t i = 0; i < nanchors; i++)
		if (anchors[i].pos == 0 && strcmp(anchors[i].series, series) ==
		    0 && strcmp(anchors[i].sha, sha) == 0)
			anchors[i].pos = pos;
	w->pos = pos;
	snprintf(w->prev, sizeof(w->prev), "%s", sha);
	res->links++;

	if (is_doc) {
		int64_t seq = canon_int(canon, "seq");
		char lser[128];

		w->docs++;
		canon_text(canon, "series", lser, sizeof(lser));
		if (strcmp(lser, series) != 0) {
			buf_printf(rep, "%s: linked in the chain of %s but its "
			    "series was %s\n", who.data, series, lser);
			res->problems++;
		}
		if (seq == w->seq + 2) {
			buf_printf(rep, "chain %s: number %lld is not in the chain "
			    "(a gap before %s)\n", series, (long long)(w->seq + 1),
			    who.data);
			res->problems++;
		} else if (seq > w->seq + 2) {
			buf_printf(rep, "chain %s: numbers %lld to %lld are not in "
			    "the chain (a gap before %s)\n", series,
			    (long long)(w->seq + 1), (long long)(seq - 1), who.data);
			res->problems++;
		} else if (seq <= w->seq) {
			buf_printf(rep, "chain %s: %s (number %lld) is linked "
			    "after number %lld\n", series, who.data,
			    (long long)seq, (long long)w->seq);
			res->problems++;
		}
		if (seq > w->seq)
			w->seq = seq;
		rc = chain_canonical_document(s, form, doc, &live, err);
	} else {
		w->files++;
		rc = format == NULL ? gen_err_set(err, GEN_ENOTFOUND, "no format") :
		    chain_canonical_file(s, form, doc, format, &live, err);
	}
	if (rc == GEN_ENOTFOUND) {
		gen_err_clear(err);
		buf_printf(rep, "%s: removed: chain %s link %lld records it, the "
		    "database has no such %s row\n", who.data, series,
		    (long long)pos, is_doc ? "document" : "document_file");
		res->problems++;
		rc = GEN_OK;
	} else if (rc == GEN_EINTERNAL) {
		buf_printf(rep, "%s: chain %s link %lld: %s\n", who.data, series,
		    (long long)pos, err->msg);
		gen_err_clear(err);
		res->problems++;
		rc = GEN_OK;
	} else if (rc == GEN_OK && (live.len != clen ||
	    memcmp(live.data, canon, clen) != 0)) {
		report_diff(rep, who.data, canon, clen, live.data, live.len);
		res->problems++;
	}
	buf_free(&live);
	buf_free(&who);
	return rc;
}

/* Rows a query lists as problems: each row's columns joined by the format. */
static enum gen_rc
list_problems(struct store *s, const char *sql, const char *fmt,
    struct buf *rep, size_t *count, struct gen_err *err)
{
	sqlite3_stmt *st = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare(s, sql, &st, err)) != GEN_OK)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *a = (const char *)sqlite3_column_text(st, 0);
		const char *b = (const char *)sqlite3_column_text(st, 1);

		buf_printf(rep, fmt, a ? a : "?", b ? b : "?");
		buf_putc(rep, '\n');
		++*count;
	}
	if (step != SQLITE_DONE)
		rc = store_dberr(s, err, "verify the chain");
	sqlite3_finalize(st);
	return rc;
}

/* number_series against the documents; holes in the numbers. */
static enum gen_rc
check_series(struct store *s, struct buf *rep, struct chain_result *res,
    struct gen_err *err)
{
	sqlite3_stmt *st = NULL, *seqs = NULL;
	enum gen_rc rc;
	int step;

	if ((rc = store_prepare(s, "SELECT n.series, n.last_seq, (SELECT "
	    "coalesce(max(seq), 0) FROM document d WHERE d.series = n.series), "
	    "(SELECT count(*) FROM document d WHERE d.series = n.series) FROM "
	    "number_series n UNION ALL SELECT series, NULL, max(seq), count(*) "
	    "FROM document WHERE series NOT IN (SELECT series FROM "
	    "number_series) GROUP BY series ORDER BY 1", &st, err)) != GEN_OK)
		return rc;
	if ((rc = store_prepare(s, "SELECT seq FROM document WHERE series = ?1 "
	    "ORDER BY seq", &seqs, err)) != GEN_OK) {
		sqlite3_finalize(st);
		return rc;
	}
	while (rc == GEN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *series = (const char *)sqlite3_column_text(st, 0);
		int64_t last = sqlite3_column_int64(st, 1);
		int64_t max = sqlite3_column_int64(st, 2);
		int64_t count = sqlite3_column_int64(st, 3);
		int64_t want = 1, reported = 0;

		if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
			buf_printf(rep, "damaged archive: series %s has documents "
			    "(up to number %lld) but no number_series row\n",
			    series, (long long)max);
			res->damaged++;
		} else if (last != max) {
			buf_printf(rep, "damaged archive: number_series %s has "
			    "last_seq %lld, but the last document of the series is "
			    "number %lld (%s)\n", series, (long long)last,
			    (long long)max, last > max ? "a gap: numbers were "
			    "skipped" : "numbers would be given twice");
			res->damaged++;
		}
		if (count == max)
			continue;
		/* Holes: numbers below the last that no document has. */
		sqlite3_reset(seqs);
		sqlite3_bind_text(seqs, 1, series, -1, SQLITE_TRANSIENT);
		while ((step = sqlite3_step(seqs)) == SQLITE_ROW) {
			int64_t q = sqlite3_column_int64(seqs, 0);

			for (; want < q; want++)
				if (reported++ < 10) {
					buf_printf(rep, "series %s: number %lld is "
					    "missing (no document has it)\n", series,
					    (long long)want);
					res->problems++;
				}
			want = q + 1;
		}
		if (step != SQLITE_DONE)
			rc = store_dberr(s, err, "verify the series");
		if (reported > 10)
			buf_printf(rep, "series %s: ... and %lld more missing "
			    "numbers\n", series, (long long)(reported - 10));
	}
	if (rc == GEN_OK && step != SQLITE_DONE)
		rc = store_dberr(s, err, "verify the series");
	sqlite3_finalize(seqs);
	sqlite3_finalize(st);
	return rc;
}

enum gen_rc
chain_verify(struct store *s, const char *const *expect, size_t nexpect,
    struct buf *rep, struct chain_result *res, struct gen_err *err)
{
	struct anchor *anchors = NULL;
	struct walk w;
	sqlite3_stmt *st = NULL;
	enum gen_rc rc = GEN_OK;
	int step;

	memset(res, 0, sizeof(*res));
	memset(&w, 0, sizeof(w));
	if (nexpect > 0)
		anchors = xcalloc(nexpect, sizeof(*anchors));
	for (size_t i = 0; i < nexpect && rc == GEN_OK; i++)
		rc = parse_anchor(expect[i], &anchors[i], err);
	if (rc == GEN_OK)
		rc = store_prepare(s, "SELECT series, pos, kind, document_id, "
		    "format, form, canonical, prev_sha256, sha256 FROM chain_link "
		    "ORDER BY series, pos", &st, err);
	while (rc == GEN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *series = (const char *)sqlite3_column_text(st, 0);

		if (w.series == NULL || strcmp(w.series, series ? series : "") !=
		    0) {
			walk_end(&w, res);
			w.series = xstrdup(series ? series : "");
			memcpy(w.prev, zero_hash, sizeof(w.prev));
		}
		rc = check_link(s, st, &w, anchors, nexpect, rep, res, err);
	}
	if (rc == GEN_OK && step != SQLITE_DONE)
		rc = store_dberr(s, err, "read the chain");
	sqlite3_finalize(st);
	walk_end(&w, res);

	/* Rows no link covers: inserted after issue, or their link removed. */
	if (rc == GEN_OK)
		rc = list_problems(s, "SELECT number, series FROM document d WHERE "
		    "NOT EXISTS (SELECT 1 FROM chain_link c WHERE c.document_id = "
		    "d.id AND c.kind = 'document') ORDER BY series, seq",
		    "%s: not in the chain of series %s (inserted after issue, or "
		    "its link removed)", rep, &res->problems, err);
	if (rc == GEN_OK)
		rc = list_problems(s, "SELECT coalesce(d.number, 'document id ' "
		    "|| f.document_id), f.format FROM document_file f LEFT JOIN "
		    "document d ON d.id = f.document_id WHERE NOT EXISTS (SELECT 1 "
		    "FROM chain_link c WHERE c.document_id = f.document_id AND "
		    "c.kind = 'file' AND c.format = f.format) ORDER BY 1, 2",
		    "%s %s: file hash not in the chain (recorded behind invgen's "
		    "back)", rep, &res->problems, err);
	if (rc == GEN_OK)
		rc = list_problems(s, "SELECT coalesce(d.number, 'document id ' || "
		    "c.document_id), coalesce(c.format, 'document') FROM chain_link "
		    "c LEFT JOIN document d ON d.id = c.document_id GROUP BY "
		    "c.document_id, c.kind, c.format HAVING count(*) > 1 ORDER BY 1",
		    "%s: linked more than once (%s)", rep, &res->problems, err);
	if (rc == GEN_OK)
		rc = check_series(s, rep, res, err);
	for (size_t i = 0; i < nexpect && rc == GEN_OK; i++) {
		if (anchors[i].pos > 0) {
			struct chain_anchor *a;

			res->anchors = xrealloc(res->anchors, (res->nanchors +
			    1) * sizeof(*res->anchors));
			a = &res->anchors[res->nanchors++];
			snprintf(a->series, sizeof(a->series), "%s",
			    anchors[i].series);
			memcpy(a->sha256, anchors[i].sha, sizeof(a->sha256));
			a->link = anchors[i].pos;
			continue;
		}
		buf_printf(rep, "chain %s: the expected head %s is not in the "
		    "chain: history before it was rewritten\n",
		    anchors[i].series, anchors[i].sha);
		res->problems++;
	}
	free(anchors);
	return rc;
}
