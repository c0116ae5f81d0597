/*
 * api.c - the public functions of libinvgen (invgen.h): a handle holds the
 * configuration and one database connection; each call validates its
 * arguments, runs one module (order, seller, issue, ...) and turns the
 * result into JSON or text for the caller.  The CLI (main.c) calls only
 * these functions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_private.h"
#include "caldate.h"
#include "docjson.h"
#include "issue.h"
#include "money.h"
#include "order.h"
#include "seller.h"

const char *
invgen_version(void)
{
	return INVGEN_VERSION;
}

void
invgen_free(void *p)
{
	free(p);
}

enum gen_rc
invgen_open(const struct invgen_options *opt, struct invgen **out,
    struct gen_err *err)
{
	struct invgen *inv;
	enum gen_rc rc;

	*out = NULL;
	inv = xcalloc(1, sizeof(*inv));
	if ((rc = config_init(&inv->cfg, opt, err)) != GEN_OK) {
		free(inv);
		return rc;
	}
	rc = store_open(inv->cfg.db_path, opt && opt->create ? STORE_CREATE : 0,
	    inv->cfg.busy_timeout_ms, &inv->store, err);
	if (rc != GEN_OK) {
		invgen_close(inv);
		return rc;
	}
	*out = inv;
	return GEN_OK;
}

void
invgen_close(struct invgen *inv)
{
	if (inv == NULL)
		return;
	store_close(inv->store);
	config_free(&inv->cfg);
	free(inv);
}

enum gen_rc
invgen_order_add(struct invgen *inv, const char *json, size_t len,
    size_t *stored, size_t *unchanged, struct gen_err *err)
{
	struct order **orders = NULL;
	size_t n = 0, i;
	enum gen_rc rc;

	*stored = *unchanged = 0;
	if ((rc = order_parse_json(json, len, &orders, &n, err)) != GEN_OK)
		return rc;
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		char hash[65];
		int existing;

		order_content_hash(orders[i], hash);
		rc = store_order_insert(inv->store, orders[i], hash, &existing,
		    err);
		if (rc != GEN_OK) {
			if (n > 1)
				gen_err_prefix(err, "[%zu]: ", i);
			break;
		}
		if (existing)
			(*unchanged)++;
		else
			(*stored)++;
	}
	if (rc == GEN_OK)
		rc = store_commit(inv->store, err);
	if (rc != GEN_OK) {
		store_rollback(inv->store);
		*stored = *unchanged = 0;
	}
out:
	for (i = 0; i < n; i++)
		order_free(orders[i]);
	free(orders);
	return rc;
}

enum gen_rc
invgen_order_paid(struct invgen *inv, const char *order_no,
    const char *paid_at, struct gen_err *err)
{
	struct order *o = NULL;
	char norm[TIMESTAMP_LEN];
	int64_t paid, created;
	enum gen_rc rc;

	if ((rc = timestamp_parse(paid_at, &paid, "paid_at", err)) != GEN_OK)
		return rc;
	timestamp_format(paid, norm);
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		return rc;
	if ((rc = store_order_load(inv->store, order_no, &o, err)) != GEN_OK)
		goto fail;
	if (o->paid_at != NULL) {
		if (strcmp(o->paid_at, norm) == 0) {
			store_rollback(inv->store);	/* already recorded */
			order_free(o);
			return GEN_OK;
		}
		rc = gen_err_set(err, GEN_ECONFLICT, "paid_at: order %s is "
		    "already paid at %s", order_no, o->paid_at);
		goto fail;
	}
	if ((rc = timestamp_parse(o->created_at, &created, "created_at",
	    err)) != GEN_OK)
		goto fail;
	if (paid < created) {
		rc = gen_err_set(err, GEN_EINPUT, "paid_at: %s is before the "
		    "order was created (%s)", norm, o->created_at);
		goto fail;
	}
	if (paid > inv->cfg.now + 300) {
		rc = gen_err_set(err, GEN_EINPUT, "paid_at: %s is in the future",
		    norm);
		goto fail;
	}
	if ((rc = store_order_set_paid(inv->store, o->id, norm, err)) !=
	    GEN_OK ||
	    (rc = store_commit(inv->store, err)) != GEN_OK)
		goto fail;
	order_free(o);
	return GEN_OK;
fail:
	store_rollback(inv->store);
	order_free(o);
	return rc;
}

enum gen_rc
invgen_seller_add(struct invgen *inv, const char *json, size_t len,
    struct gen_err *err)
{
	struct seller_profile *sp = NULL;
	int64_t other;
	enum gen_rc rc;

	if ((rc = seller_parse_json(json, len, &sp, err)) != GEN_OK)
		return rc;
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		goto out;
	if ((rc = store_seller_overlap(inv->store, sp->valid_from,
	    sp->valid_to, &other, err)) == GEN_OK && other != 0)
		rc = gen_err_set(err, GEN_ECONFLICT, "valid_from, valid_to: the "
		    "period %s..%s overlaps seller profile %lld; close that "
		    "profile first or choose other dates", sp->valid_from,
		    sp->valid_to[0] ? sp->valid_to : "open", (long long)other);
	if (rc == GEN_OK)
		rc = store_seller_insert(inv->store, sp, err);
	if (rc == GEN_OK)
		rc = store_commit(inv->store, err);
	if (rc != GEN_OK)
		store_rollback(inv->store);
out:
	seller_profile_free(sp);
	return rc;
}

enum gen_rc
invgen_rates_import_ecb(struct invgen *inv, const char *csv, size_t len,
    size_t *added, struct gen_err *err)
{
	return store_import_ecb_csv(inv->store, csv, len, added, err);
}

/* The document as JSON with its files, into *json (may be NULL). */
static void
to_json(const struct document *d, const struct docjson_file *files,
    size_t nfiles, int existed, char **json)
{
	struct buf b = { 0 };

	if (json == NULL)
		return;
	docjson_write(d, files, nfiles, existed, 0, &b);
	*json = buf_detach(&b, NULL);
}

enum gen_rc
invgen_issue(struct invgen *inv, const char *order_no, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct api_files files;
	int existed = 0;
	enum gen_rc rc;

	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = issue_invoice(inv->store, &inv->cfg, order_no, &files.finish, &d,
	    &existed, err);
	if (rc == GEN_OK && existed)
		rc = api_files_existing(&files, d, err);
	if (rc == GEN_OK)
		rc = api_files_publish(&files, err);
	if (rc == GEN_OK)
		to_json(d, files.list, files.n, existed, json);
	api_files_free(&files);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_credit(struct invgen *inv, const char *invoice_number,
    const char *reason, int64_t amount_minor, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct api_files files;
	enum gen_rc rc;

	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = issue_credit_note(inv->store, &inv->cfg, invoice_number, reason,
	    amount_minor, &files.finish, &d, err);
	if (rc == GEN_OK)
		rc = api_files_publish(&files, err);
	if (rc == GEN_OK)
		to_json(d, files.list, files.n, 0, json);
	api_files_free(&files);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_show(struct invgen *inv, const char *number, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct api_files files;
	enum gen_rc rc;

	*json = NULL;
	api_files_init(&files, inv);
	if ((rc = store_document_load(inv->store, number, &d, err)) == GEN_OK &&
	    (rc = api_files_existing(&files, d, err)) == GEN_OK)
		to_json(d, files.list, files.n, 1, json);
	api_files_free(&files);
	document_free(d);
	return rc;
}

/* Append s padded or cut to width display columns (UTF-8 aware). */
static void
cell(struct buf *b, const char *s, size_t width, int right)
{
	size_t cols = 0, bytes = 0, n = s ? strlen(s) : 0;

	while (bytes < n) {
		unsigned char c = (unsigned char)s[bytes];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		uint32_t cp = c < 0x80 ? c : c & (0x3f >> (len - 1));
		size_t w;

		if (bytes + len > n)
			break;
		for (size_t k = 1; k < len; k++)
			cp = cp << 6 | ((unsigned char)s[bytes + k] & 0x3f);
		/* East Asian wide characters take two terminal columns. */
		w = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 &&
		    cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
		    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 &&
		    cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
		    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000 ? 2 : 1;
		if (cols + w > width)
			break;
		bytes += len;
		cols += w;
	}
	if (right)
		for (size_t i = cols; i < width; i++)
			buf_putc(b, ' ');
	buf_append(b, s ? s : "", bytes);
	if (!right)
		for (size_t i = cols; i < width; i++)
			buf_putc(b, ' ');
	buf_putc(b, ' ');
}

enum gen_rc
invgen_list(struct invgen *inv, const char *from, const char *to, int json,
    char **out, struct gen_err *err)
{
	int32_t f = caldate_from_ymd(1900, 1, 1), t = caldate_from_ymd(2999, 12,
	    31);
	int64_t *ids = NULL;
	size_t n = 0;
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	if ((from != NULL && (rc = caldate_parse(from, &f, "--from", err)) !=
	    GEN_OK) || (to != NULL && (rc = caldate_parse(to, &t, "--to",
	    err)) != GEN_OK))
		return rc;
	if ((rc = store_document_ids(inv->store, f, t, 7, &ids, &n, err)) !=
	    GEN_OK)
		return rc;
	if (json)
		buf_putc(&b, '[');
	else {
		cell(&b, "number", 13, 0);
		cell(&b, "kind", 7, 0);
		cell(&b, "issued", 10, 0);
		cell(&b, "payer", 26, 0);
		cell(&b, "cc", 2, 0);
		cell(&b, "treatment", 18, 0);
		cell(&b, "rate", 5, 1);
		cell(&b, "net", 11, 1);
		cell(&b, "VAT", 9, 1);
		cell(&b, "total", 11, 1);
		buf_puts(&b, "cur\n");
	}
	for (size_t i = 0; i < n && rc == GEN_OK; i++) {
		struct document *d = NULL;
		char a[40], v[40], tot[40], r[16];

		if ((rc = store_document_load_id(inv->store, ids[i], &d, err)) !=
		    GEN_OK)
			break;
		if (json) {
			if (i > 0)
				buf_putc(&b, ',');
			docjson_write(d, NULL, 0, 1, 0, &b);
		} else {
			money_format(d->net_minor, d->currency_digits, a, sizeof(a));
			money_format(d->vat_minor, d->currency_digits, v, sizeof(v));
			money_format(d->total_minor, d->currency_digits, tot,
			    sizeof(tot));
			money_format_rate(d->vat_rate_bp, r, sizeof(r));
			if (strcmp(r + strlen(r) - 3, ".00") == 0)
				r[strlen(r) - 3] = '\0';	/* "21", "25.50" */
			cell(&b, d->number, 13, 0);
			cell(&b, d->kind == DOC_INVOICE ? "invoice" :
			    d->kind == DOC_CREDIT_NOTE ? "credit" : "order", 7, 0);
			cell(&b, d->issue_date, 10, 0);
			cell(&b, d->payer.name, 26, 0);
			cell(&b, d->payer.country, 2, 0);
			cell(&b, tax_treatment_name(d->treatment), 18, 0);
			cell(&b, d->vat_category[0] == 'S' ? r : "-", 5, 1);
			cell(&b, a, 11, 1);
			cell(&b, v, 9, 1);
			cell(&b, tot, 11, 1);
			buf_printf(&b, "%s\n", d->currency);
		}
		document_free(d);
	}
	free(ids);
	if (rc != GEN_OK) {
		buf_free(&b);
		return rc;
	}
	if (json)
		buf_puts(&b, "]\n");
	else
		buf_printf(&b, "%zu document%s\n", n, n == 1 ? "" : "s");
	*out = buf_detach(&b, NULL);
	return GEN_OK;
}

enum gen_rc
invgen_explain(struct invgen *inv, const char *order_no, char **text,
    struct gen_err *err)
{
	struct order *o = NULL;
	struct seller_profile *sp = NULL;
	struct tax_decision dec;
	struct buf b = { 0 };
	char number[96], rate[16], day[CALDATE_LEN];
	int32_t date = inv->cfg.today;
	int64_t paid;
	enum gen_rc rc;

	*text = NULL;
	if ((rc = store_order_load(inv->store, order_no, &o, err)) != GEN_OK)
		return rc;
	if (o->paid_at != NULL) {
		if ((rc = timestamp_parse(o->paid_at, &paid, "paid_at", err)) !=
		    GEN_OK)
			goto out;
		date = timestamp_lt_date(paid);
	}
	caldate_format(date, day);
	buf_printf(&b, "Order %s, %s, payer %s (%s%s%s).\n", o->order_no,
	    o->paid_at ? "paid" : "not yet paid; decision as of today",
	    o->payer.name, o->payer.country,
	    o->payer.is_business ? ", business" : "",
	    o->payer.vat_number ? ", VAT number given" : "");
	rc = issue_decide(inv->store, o, date, &sp, &dec, err);
	if (rc != GEN_OK) {
		buf_printf(&b, "No decision is possible: %s\n", err->msg);
		goto out;
	}
	money_format_rate(dec.rate_bp, rate, sizeof(rate));
	buf_printf(&b, "Decision: %s, VAT category %s, rate %s %%%s%s.\n",
	    tax_treatment_name(dec.treatment), dec.category, rate,
	    dec.vat_country[0] ? ", VAT of " : "", dec.vat_country);
	buf_printf(&b, "Rule: %s. Legal basis: %s.\n", dec.rule, dec.basis);
	if (dec.exemption_code != NULL)
		buf_printf(&b, "Exemption reason code (EN 16931): %s.\n",
		    dec.exemption_code);
	buf_printf(&b, "Why: %s\n", dec.explanation);
	if (store_document_for_order(inv->store, o->id, DOC_INVOICE, number,
	    sizeof(number), err) == GEN_OK)
		buf_printf(&b, "Issued as invoice %s (the stored snapshot keeps "
		    "the decision made at issue time).\n", number);
	gen_err_clear(err);
out:
	if (rc == GEN_OK)
		*text = buf_detach(&b, NULL);
	buf_free(&b);
	order_free(o);
	seller_profile_free(sp);
	return rc;
}
