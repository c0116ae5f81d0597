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

#include <unicode/utf8.h>

#include "api_private.h"
#include "files.h"
#include "caldate.h"
#include "i18n.h"
#include "json.h"
#include "docjson.h"
#include "ecb.h"
#include "flows.h"
#include "issue.h"
#include "render.h"
#include "money.h"
#include "order.h"
#include "payment.h"
#include "report.h"
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
	inv->cache = render_cache_new();
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
	render_cache_free(inv->cache);
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

	config_tick(&inv->cfg);
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
invgen_rates_import_ecb(struct invgen *inv, const char *data, size_t len,
    size_t *added, struct gen_err *err)
{
	struct ecb_rates r;
	enum gen_rc rc;

	*added = 0;
	if ((rc = ecb_parse(data, len, &r, err)) == GEN_OK)
		rc = store_fx_add(inv->store, r.v, r.n, r.format, r.source,
		    added, err);
	ecb_rates_free(&r);
	return rc;
}

enum gen_rc
invgen_rates_status(struct invgen *inv, const char *currency, int json,
    char **out, struct gen_err *err)
{
	struct store_fx_last *last = NULL;
	struct buf b = { 0 };
	size_t n = 0;
	enum gen_rc rc;

	*out = NULL;
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
		ecb_status_write(last, n, inv->cfg.today, json, &b);
		*out = buf_detach(&b, NULL);
	}
	free(last);
	return rc;
}

/* The document as JSON with its files, into *json (may be NULL). */
static void
to_json(const struct document *d, const struct files *f, int existed,
    char **json)
{
	struct buf b = { 0 };

	if (json == NULL)
		return;
	docjson_write(d, f->list, f->n, existed, 0, &f->warn, &b);
	*json = buf_detach(&b, NULL);
}

enum gen_rc
invgen_issue(struct invgen *inv, const char *order_no, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct files files;
	int existed = 0;
	enum gen_rc rc;

	config_tick(&inv->cfg);
	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = issue_invoice(inv->store, &inv->cfg, order_no, &files.finish, &d,
	    &existed, err);
	if (rc == GEN_OK && existed)
		rc = files_existing(&files, d, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "%s %s; its file could not be written (issue "
		    "the order again to write it): ", d->number, existed ?
		    "exists" : "was issued");
	if (rc == GEN_OK)
		to_json(d, &files, existed, json);
	files_free(&files);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_issue_due(struct invgen *inv, const char *order_no,
    const char *due_date, char **json, struct gen_err *err)
{
	struct document *d = NULL;
	struct files files;
	int existed = 0;
	enum gen_rc rc;

	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = flows_issue_due(inv->store, &inv->cfg, order_no, due_date,
	    &files.finish, &d, &existed, err);
	if (rc == GEN_OK && existed)
		rc = files_existing(&files, d, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "%s %s; its file could not be written (issue "
		    "the order again to write it): ", d->number, existed ?
		    "exists" : "was issued");
	if (rc == GEN_OK)
		to_json(d, &files, existed, json);
	files_free(&files);
	document_free(d);
	return rc;
}

/*
 * The documents of a flow as {"documents": [...]}, each with its own
 * files (a file belongs to the document whose number its name starts
 * with).
 */
static void
flow_json(const struct flows_result *r, const struct files *f,
    char **json)
{
	struct buf b = { 0 };

	if (json == NULL)
		return;
	buf_puts(&b, "{\"documents\":[");
	for (size_t i = 0; i < r->n; i++) {
		const struct document *d = r->docs[i];
		struct docjson_file mine[FILES_MAX];
		size_t n = 0, len = strlen(d->number);

		for (size_t k = 0; k < f->n; k++) {
			const char *base = strrchr(f->list[k].path, '/');

			base = base != NULL ? base + 1 : f->list[k].path;
			if (strncmp(base, d->number, len) == 0 &&
			    base[len] == '.')
				mine[n++] = f->list[k];
		}
		if (i > 0)
			buf_putc(&b, ',');
		docjson_write(d, mine, n, 0, 0, &f->warn, &b);
	}
	buf_puts(&b, "]}");
	*json = buf_detach(&b, NULL);
}

/* Publish a flow's files; the message says what was issued. */
static enum gen_rc
flow_publish(struct files *f, const struct flows_result *r,
    struct gen_err *err)
{
	enum gen_rc rc;

	if ((rc = files_publish(f, err)) != GEN_OK && r->n > 0)
		gen_err_prefix(err, "%s%s were issued; their files could not be "
		    "written (do not repeat the call: `invgen show NUMBER` "
		    "writes them): ", r->docs[0]->number, r->n > 1 ? " and "
		    "the others" : "");
	return rc;
}

enum gen_rc
invgen_terminate(struct invgen *inv, const char *number,
    int64_t unused_minor, const char *to, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, char **json,
    struct gen_err *err)
{
	struct flows_draw fd[8];
	struct flows_result r = { 0 };
	struct files files;
	enum gen_rc rc;

	if (json != NULL)
		*json = NULL;
	if (ndraws > 8)
		return gen_err_set(err, GEN_EINPUT, "--draw: %zu draws; allowed: "
		    "at most 8 in one call", ndraws);
	for (size_t i = 0; i < ndraws; i++) {
		fd[i].source = draws[i].number;
		fd[i].amount_minor = draws[i].amount_minor;
	}
	api_files_init(&files, inv);
	rc = flows_terminate(inv->store, &inv->cfg, number, unused_minor, to,
	    reason, fd, ndraws, &files.finish, &r, err);
	if (rc == GEN_OK && (rc = flow_publish(&files, &r, err)) == GEN_OK)
		flow_json(&r, &files, json);
	files_free(&files);
	flows_result_free(&r);
	return rc;
}

enum gen_rc
invgen_refund(struct invgen *inv, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, char **json,
    struct gen_err *err)
{
	struct flows_draw fd[8];
	struct flows_result r = { 0 };
	struct files files;
	enum gen_rc rc;

	if (json != NULL)
		*json = NULL;
	if (ndraws > 8)
		return gen_err_set(err, GEN_EINPUT, "--draw: %zu draws; allowed: "
		    "at most 8 in one call", ndraws);
	for (size_t i = 0; i < ndraws; i++) {
		fd[i].source = draws[i].number;
		fd[i].amount_minor = draws[i].amount_minor;
	}
	api_files_init(&files, inv);
	rc = flows_refund(inv->store, &inv->cfg, reason, fd, ndraws,
	    &files.finish, &r, err);
	if (rc == GEN_OK && (rc = flow_publish(&files, &r, err)) == GEN_OK)
		flow_json(&r, &files, json);
	files_free(&files);
	flows_result_free(&r);
	return rc;
}

enum gen_rc
invgen_credit(struct invgen *inv, const char *invoice_number,
    const char *reason, int64_t amount_minor, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct files files;
	enum gen_rc rc;

	config_tick(&inv->cfg);
	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = issue_credit_note(inv->store, &inv->cfg, invoice_number, reason,
	    amount_minor, NULL, &files.finish, &d, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "credit note %s was issued; its file could "
		    "not be written (do not credit again: `invgen show %s` "
		    "writes it): ", d->number, d->number);
	if (rc == GEN_OK)
		to_json(d, &files, 0, json);
	files_free(&files);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_show(struct invgen *inv, const char *number, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct files files;
	enum gen_rc rc;

	*json = NULL;
	api_files_init(&files, inv);
	if ((rc = store_document_load(inv->store, number, &d, err)) == GEN_OK &&
	    (rc = files_existing(&files, d, err)) == GEN_OK &&
	    (rc = files_publish(&files, err)) == GEN_OK)
		to_json(d, &files, 1, json);
	files_free(&files);
	document_free(d);
	return rc;
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
 * Append s padded or cut to width display columns (UTF-8 aware).  A
 * character that would act on the terminal instead of showing (a stored
 * U+202E, a newline) and an ill-formed sequence are shown as U+FFFD.
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
		if (cols + w > width)
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
	if (!right)
		for (size_t i = cols; i < width; i++)
			buf_putc(b, ' ');
	buf_putc(b, ' ');
	buf_free(&text);
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
	if ((rc = store_document_ids(inv->store, f, t, (1u << DOC_KINDS) - 1,
	    &ids, &n, err)) !=
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
			docjson_write(d, NULL, 0, 1, 0, NULL, &b);
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
			    d->kind == DOC_CREDIT_NOTE ? "credit" :
			    d->kind == DOC_PREPAYMENT_RECEIPT ? "receipt" :
			    d->kind == DOC_BALANCE_USE ? "balance" : "order", 7,
			    0);
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
	int32_t date;
	int64_t paid;
	enum gen_rc rc;

	config_tick(&inv->cfg);
	date = inv->cfg.today;
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

enum gen_rc
invgen_transfer_order(struct invgen *inv, const char *order_no, char **json,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct files files;
	struct i18n *lang = NULL;
	struct buf amount = { 0 }, b = { 0 };
	int existed = 0, own = 0;
	enum gen_rc rc;

	config_tick(&inv->cfg);
	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = issue_transfer_order(inv->store, &inv->cfg, order_no,
	    &files.finish, &d, &existed, err);
	if (rc == GEN_OK && existed)
		rc = files_existing(&files, d, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "payment order %s %s; its file could not be "
		    "written (ask again to write it): ", d->number, existed ?
		    "exists" : "was created");
	if (rc == GEN_OK && (rc = render_cache_lang(inv->cache, &inv->cfg,
	    d->language, &lang, &own, err)) == GEN_OK)
		rc = i18n_format_amount(lang, d->total_minor, d->currency,
		    d->currency_digits, &amount, err);
	if (rc == GEN_OK && json != NULL) {
		docjson_write_transfer(d, files.list, files.n, existed,
		    amount.data, &files.warn, &b);
		*json = buf_detach(&b, NULL);
	}
	if (own)
		i18n_close(lang);
	buf_free(&amount);
	files_free(&files);
	document_free(d);
	return rc;
}

/*
 * Book one statement line (payment.c) and publish the invoice's files;
 * *booking_json (owned) is the booking's JSON on success.
 */
static enum gen_rc
match_one(struct invgen *inv, const char *reference, int64_t amount_minor,
    const char *currency, const char *date, const char *date_what,
    struct payment_booking *b, char **booking_json, struct gen_err *err)
{
	struct files files;
	struct buf doc = { 0 }, out = { 0 };
	enum gen_rc rc;

	*booking_json = NULL;
	api_files_init(&files, inv);
	rc = payment_book(inv->store, &inv->cfg, reference, amount_minor,
	    currency, date, date_what, &files.finish, b, err);
	if (rc == GEN_OK && b->paid_invoice)	/* issued earlier */
		rc = files_existing(&files, b->invoice, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "%s was issued; its file could not be "
		    "written (issue the order again to write it): ",
		    b->invoice->number);
	if (rc == GEN_OK) {
		docjson_write(b->invoice, files.list, files.n, b->paid_invoice,
		    0, &files.warn, &doc);
		payment_booking_json(b, doc.data, &out);
		*booking_json = buf_detach(&out, NULL);
	}
	buf_free(&doc);
	files_free(&files);
	return rc;
}

enum gen_rc
invgen_payment_match(struct invgen *inv, const char *reference,
    int64_t amount_minor, const char *currency, const char *date,
    char **json, struct gen_err *err)
{
	struct payment_booking b;
	char *r = NULL;
	enum gen_rc rc;

	rc = match_one(inv, reference, amount_minor, currency, date, "--date",
	    &b, &r, err);
	payment_booking_clear(&b);
	if (json != NULL)
		*json = r;
	else
		free(r);
	return rc;
}

enum gen_rc
invgen_payment_match_csv(struct invgen *inv, const char *csv, size_t len,
    int json, char **report, struct gen_err *err)
{
	struct payment_csv lines;
	struct payment_report r;
	enum gen_rc rc = GEN_OK;

	*report = NULL;
	if ((rc = payment_csv_parse(csv, len, &lines, err)) != GEN_OK)
		return rc;
	payment_report_begin(&r, json);
	for (size_t i = 0; i < lines.n; i++) {
		const struct payment_line *l = &lines.v[i];
		struct payment_booking b;
		struct gen_err e = { 0 };
		char *res = NULL;
		enum gen_rc lr = l->parse_rc;

		memset(&b, 0, sizeof(b));
		if (lr == GEN_OK)
			lr = match_one(inv, l->reference, l->amount_minor,
			    l->currency, l->date, "date", &b, &res, &e);
		if (lr != GEN_OK && lr != GEN_ENOTFOUND && lr != GEN_EINPUT &&
		    lr != GEN_ECONFLICT) {
			/* storage or I/O: stop, the rest would fail too */
			*err = e;
			rc = lr;
		} else
			payment_report_line(&r, l, lr, l->parse_rc != GEN_OK ?
			    l->parse_msg : e.msg, &b, res);
		free(res);
		payment_booking_clear(&b);
		if (rc != GEN_OK)
			break;
	}
	payment_csv_free(&lines);
	*report = payment_report_finish(&r);
	if (rc != GEN_OK) {
		free(*report);
		*report = NULL;
		return rc;
	}
	if (r.unmatched + r.refused > 0)
		return gen_err_set(err, GEN_EINPUT, "%zu statement line%s not "
		    "matched (see the report)", r.unmatched + r.refused,
		    r.unmatched + r.refused == 1 ? "" : "s");
	return GEN_OK;
}

enum gen_rc
invgen_report_oss(struct invgen *inv, const char *quarter, int csv,
    char **out, struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	if ((rc = report_oss(inv->store, quarter, csv, &b, err)) == GEN_OK)
		*out = buf_detach(&b, NULL);
	buf_free(&b);
	return rc;
}

enum gen_rc
invgen_report_sales(struct invgen *inv, const char *from, const char *to,
    const char *by, int csv, char **out, struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	if ((rc = report_sales(inv->store, from ? from : "1900-01-01",
	    to ? to : "2999-12-31", by, csv, &b, err)) ==
	    GEN_OK)
		*out = buf_detach(&b, NULL);
	buf_free(&b);
	return rc;
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
	if (format < REPORT_TEXT || format > REPORT_JSON)
		return gen_err_set(err, GEN_EINPUT, "format %d: allowed 0 (text), "
		    "1 (CSV), 2 (JSON)", format);
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
invgen_report_unpaid(struct invgen *inv, int csv, char **out,
    struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	config_tick(&inv->cfg);
	if ((rc = report_unpaid(inv->store, inv->cfg.today, csv, &b, err)) ==
	    GEN_OK)
		*out = buf_detach(&b, NULL);
	buf_free(&b);
	return rc;
}

enum gen_rc
invgen_export_isaf(struct invgen *inv, const char *month, char **out,
    struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	*out = NULL;
	config_tick(&inv->cfg);
	if ((rc = report_isaf(inv->store, month, inv->cfg.now, invgen_version(),
	    &b, err)) == GEN_OK)
		*out = buf_detach(&b, NULL);
	buf_free(&b);
	return rc;
}
