/*
 * api.c - the public functions of libinvgen (invgen.h): a handle holds the
 * configuration and one database connection; each call validates its
 * arguments, runs one module (order, seller, issue, ...) and turns the
 * result into JSON or text for the caller.  The CLI (main.c) calls only
 * these functions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/utf8.h>

#include "api_private.h"
#include "caldate.h"
#include "i18n.h"
#include "json.h"
#include "jsonin.h"
#include "docjson.h"
#include "issue.h"
#include "render.h"
#include "money.h"
#include "order.h"
#include "pdfout.h"
#include "report.h"
#include "rfref.h"
#include "seller.h"
#include "sha256.h"

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
	/* What documents print must be printable: a character no shipped
	 * font has is refused now, so the bot can ask the payer again. */
	for (i = 0; i < n; i++) {
		char field[64];
		const char *t;

		for (size_t k = 0; (t = order_printed_text(orders[i], k, field,
		    sizeof(field))) != NULL; k++)
			if ((rc = render_check_text(&inv->cfg, field, t,
			    err)) != GEN_OK) {
				if (n > 1)
					gen_err_prefix(err, "[%zu].", i);
				goto out;
			}
	}
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

/* A seller's logo may be this large: it is embedded in every document. */
#define LOGO_MAX_BYTES (512 * 1024)

/*
 * Read the logo file the profile names (sp->logo_path, relative to the
 * current directory) into sp->logo, check it (pdfout_image_check) and
 * hash it.  GEN_EINPUT for a file that cannot be read or is not a usable
 * image, naming the field and the file.
 */
static enum gen_rc
read_logo(struct seller_profile *sp, struct gen_err *err)
{
	struct pdfout_image_info info;
	struct stat stb;
	char ebuf[128], hex[65];
	ssize_t n;
	size_t got = 0;
	int fd;
	enum gen_rc rc;

	if ((fd = open(sp->logo_path, O_RDONLY | O_CLOEXEC)) < 0)
		return gen_err_set(err, GEN_EINPUT, "logo: cannot open '%s': %s;"
		    " allowed: a PNG or JPEG file", sp->logo_path,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
	if (fstat(fd, &stb) != 0 || !S_ISREG(stb.st_mode) ||
	    stb.st_size <= 0 || stb.st_size > LOGO_MAX_BYTES) {
		close(fd);
		return gen_err_set(err, GEN_EINPUT, "logo: '%s' is not a file "
		    "of 1 to %d bytes; allowed: a PNG or JPEG file up to %d "
		    "KB", sp->logo_path, LOGO_MAX_BYTES, LOGO_MAX_BYTES / 1024);
	}
	sp->logo_len = (size_t)stb.st_size;
	sp->logo = xmalloc(sp->logo_len);
	while (got < sp->logo_len &&
	    (n = read(fd, sp->logo + got, sp->logo_len - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got != sp->logo_len)
		return gen_err_set(err, GEN_EINPUT, "logo: cannot read '%s'",
		    sp->logo_path);
	if ((rc = pdfout_image_check(sp->logo, sp->logo_len, &info, err)) !=
	    GEN_OK) {
		gen_err_prefix(err, "logo: %s: ", sp->logo_path);
		return rc;
	}
	sp->logo_media_type = info.media_type;
	sha256_hex(sp->logo, sp->logo_len, hex);
	sp->logo_sha256 = xstrdup(hex);
	return GEN_OK;
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
	if (sp->logo_path != NULL && (rc = read_logo(sp, err)) != GEN_OK)
		goto out;
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
to_json(const struct document *d, const struct api_files *f, int existed,
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
	struct api_files files;
	int existed = 0;
	enum gen_rc rc;

	config_tick(&inv->cfg);
	if (json != NULL)
		*json = NULL;
	api_files_init(&files, inv);
	rc = issue_invoice(inv->store, &inv->cfg, order_no, &files.finish, &d,
	    &existed, err);
	if (rc == GEN_OK && existed)
		rc = api_files_existing(&files, d, err);
	if (rc == GEN_OK && (rc = api_files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "%s %s; its file could not be written (issue "
		    "the order again to write it): ", d->number, existed ?
		    "exists" : "was issued");
	if (rc == GEN_OK)
		to_json(d, &files, existed, json);
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

	config_tick(&inv->cfg);
	if (json != NULL)
		*json = NULL;
	/* The reason is printed: after the checks every text gets, every
	 * character must be in a shipped font (as for an order's texts). */
	if (reason != NULL && reason[0] != '\0' &&
	    ((rc = jsonin_check_text(reason, strlen(reason), 500, 1,
	    "--reason", err)) != GEN_OK ||
	    (rc = render_check_text(&inv->cfg, "--reason", reason, err)) !=
	    GEN_OK))
		return rc;
	api_files_init(&files, inv);
	rc = issue_credit_note(inv->store, &inv->cfg, invoice_number, reason,
	    amount_minor, &files.finish, &d, err);
	if (rc == GEN_OK && (rc = api_files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "credit note %s was issued; its file could "
		    "not be written (do not credit again: `invgen show %s` "
		    "writes it): ", d->number, d->number);
	if (rc == GEN_OK)
		to_json(d, &files, 0, json);
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
	    (rc = api_files_existing(&files, d, err)) == GEN_OK &&
	    (rc = api_files_publish(&files, err)) == GEN_OK)
		to_json(d, &files, 1, json);
	api_files_free(&files);
	document_free(d);
	return rc;
}

/* Append s padded or cut to width display columns (UTF-8 aware; an
 * ill-formed sequence counts as one column). */
static void
cell(struct buf *b, const char *s, size_t width, int right)
{
	size_t cols = 0, bytes = 0, n = s ? strlen(s) : 0;

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
		bytes = next;
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
	struct api_files files;
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
		rc = api_files_existing(&files, d, err);
	if (rc == GEN_OK && (rc = api_files_publish(&files, err)) != GEN_OK)
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
	api_files_free(&files);
	document_free(d);
	return rc;
}

/* Match one payment; *result is a JSON object (owned) on success. */
static enum gen_rc
match_one(struct invgen *inv, const char *reference, int64_t amount_minor,
    const char *currency, const char *date, char **result,
    struct gen_err *err)
{
	struct document *po = NULL;
	char ref[RFREF_SIZE], number[96], paid_at[TIMESTAMP_LEN];
	char due[40], got[40], inv_no[96];
	int already_paid;
	char *invoice = NULL;
	struct buf b = { 0 };
	struct jsonw w;
	int32_t day;
	enum gen_rc rc;

	*result = NULL;
	config_tick(&inv->cfg);
	if ((rc = rfref_check(reference, ref, sizeof(ref), err)) != GEN_OK)
		return rc;
	if ((rc = caldate_parse(date, &day, "date", err)) != GEN_OK)
		return rc;
	if (day > inv->cfg.today)
		return gen_err_set(err, GEN_EINPUT, "date: %s is in the future",
		    date);
	if ((rc = store_transfer_by_reference(inv->store, ref, number,
	    sizeof(number), err)) != GEN_OK ||
	    (rc = store_document_load(inv->store, number, &po, err)) != GEN_OK)
		return rc;
	{
		struct order *o = NULL;

		if ((rc = store_order_load(inv->store, po->order_no, &o, err)) !=
		    GEN_OK)
			goto out;
		already_paid = o->paid_at != NULL;
		if (already_paid && store_document_for_order(inv->store, o->id,
		    DOC_INVOICE, inv_no, sizeof(inv_no), err) == GEN_OK) {
			rc = gen_err_set(err, GEN_ECONFLICT, "reference: payment "
			    "order %s (order %s) was already paid at %s and "
			    "invoiced as %s; this payment is a duplicate (refund "
			    "it or keep it as credit)", number, po->order_no,
			    o->paid_at, inv_no);
			order_free(o);
			goto out;
		}
		gen_err_clear(err);
		order_free(o);
	}
	if (strcmp(po->currency, currency) != 0) {
		rc = gen_err_set(err, GEN_EINPUT, "currency: paid in %s but "
		    "payment order %s (order %s) is in %s; nothing issued",
		    currency, number, po->order_no, po->currency);
		goto out;
	}
	if (amount_minor < po->total_minor) {
		money_format(po->total_minor, po->currency_digits, due,
		    sizeof(due));
		money_format(amount_minor, po->currency_digits, got, sizeof(got));
		rc = gen_err_set(err, GEN_EINPUT, "amount: %s %s paid but %s %s "
		    "is due on payment order %s (order %s): underpayment, "
		    "nothing issued", got, currency, due, currency, number,
		    po->order_no);
		goto out;
	}
	/* A bank statement gives the booking date: 10:00 UTC is that day
	 * in Lithuania all year (12:00 or 13:00 local). */
	timestamp_format((int64_t)day * 86400 + 36000, paid_at);
	/* Paid earlier but not invoiced (the issue failed then): issue now. */
	if ((!already_paid && (rc = invgen_order_paid(inv, po->order_no,
	    paid_at, err)) != GEN_OK) ||
	    (rc = invgen_issue(inv, po->order_no, &invoice, err)) != GEN_OK)
		goto out;
	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "reference");
	jsonw_string(&w, ref);
	jsonw_key(&w, "order_no");
	jsonw_string(&w, po->order_no);
	jsonw_key(&w, "payment_order");
	jsonw_string(&w, number);
	jsonw_key(&w, "paid_minor");
	jsonw_int(&w, amount_minor);
	jsonw_key(&w, "overpaid_minor");
	jsonw_int(&w, amount_minor - po->total_minor);
	jsonw_key(&w, "invoice");
	buf_puts(&b, invoice);		/* already a JSON object */
	w.has_items = 1;
	w.after_key = 0;
	jsonw_object_end(&w);
	*result = buf_detach(&b, NULL);
out:
	free(invoice);
	document_free(po);
	return rc;
}

enum gen_rc
invgen_payment_match(struct invgen *inv, const char *reference,
    int64_t amount_minor, const char *currency, const char *date,
    char **json, struct gen_err *err)
{
	char *r = NULL;
	enum gen_rc rc;

	rc = match_one(inv, reference, amount_minor, currency, date, &r, err);
	if (json != NULL)
		*json = r;
	else
		free(r);
	return rc;
}

/* Split one CSV line into at most n fields (no quoting needed: bank
 * exports of these four columns have none; quotes are stripped). */
static size_t
csv_fields(char *line, char **f, size_t n)
{
	size_t k = 0;
	char *p = line;

	while (k < n) {
		char *end = strchr(p, ',');

		if (end != NULL)
			*end = '\0';
		while (*p == ' ' || *p == '"')
			p++;
		{
			size_t l = strlen(p);

			while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '"' ||
			    p[l - 1] == '\r'))
				p[--l] = '\0';
		}
		f[k++] = p;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return k;
}

enum gen_rc
invgen_payment_match_csv(struct invgen *inv, const char *csv, size_t len,
    int json, char **report, struct gen_err *err)
{
	char *text = xstrndup(csv, len), *line, *next;
	int col[4] = { -1, -1, -1, -1 };	/* date amount currency reference */
	static const char *const names[4] = { "date", "amount", "currency",
		"reference" };
	size_t matched = 0, unmatched = 0, refused = 0, lineno = 0;
	struct buf b = { 0 };
	enum gen_rc rc = GEN_OK;

	*report = NULL;
	if (json)
		buf_puts(&b, "{\"lines\":[");
	for (line = text; line != NULL && rc == GEN_OK; line = next) {
		char *f[16];
		size_t nf;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (line[0] == '\0' || (line[0] == '\r' && line[1] == '\0'))
			continue;
		nf = csv_fields(line, f, 16);
		if (col[0] < 0) {		/* the header */
			for (size_t i = 0; i < nf; i++)
				for (int k = 0; k < 4; k++)
					if (strcasecmp(f[i], names[k]) == 0)
						col[k] = (int)i;
			for (int k = 0; k < 4; k++)
				if (col[k] < 0)
					rc = gen_err_set(err, GEN_EINPUT, "CSV line "
					    "%zu: the header must name the columns "
					    "date, amount, currency, reference "
					    "(missing: %s)", lineno, names[k]);
			continue;
		}
		{
			const char *date, *amt, *cur, *ref;
			char *res = NULL;
			int64_t minor = 0;
			int digits = 2;
			struct gen_err e = { 0 };
			enum gen_rc r;

			if ((size_t)col[0] >= nf || (size_t)col[1] >= nf ||
			    (size_t)col[2] >= nf || (size_t)col[3] >= nf) {
				rc = gen_err_set(err, GEN_EINPUT, "CSV line %zu: "
				    "%zu fields; the header has more", lineno,
				    nf);
				break;
			}
			date = f[col[0]];
			amt = f[col[1]];
			cur = f[col[2]];
			ref = f[col[3]];
			r = i18n_currency_digits(cur, &digits, &e);
			if (r == GEN_OK)
				r = money_parse_decimal(amt, digits, &minor,
				    "amount", &e);
			if (r == GEN_OK)
				r = match_one(inv, ref, minor, cur, date, &res,
				    &e);
			if (r == GEN_OK)
				matched++;
			else if (r == GEN_ENOTFOUND)
				unmatched++;
			else if (r == GEN_EINPUT || r == GEN_ECONFLICT)
				refused++;
			else {
				rc = r;
				*err = e;
				free(res);
				break;
			}
			if (json) {
				struct jsonw w;

				if (matched + unmatched + refused > 1)
					buf_putc(&b, ',');
				jsonw_init(&w, &b, 0);
				jsonw_object_begin(&w);
				jsonw_key(&w, "line");
				jsonw_int(&w, (int64_t)lineno);
				jsonw_key(&w, "status");
				jsonw_string(&w, r == GEN_OK ? "matched" :
				    r == GEN_ENOTFOUND ? "unmatched" : "refused");
				jsonw_key(&w, "reference");
				jsonw_string(&w, ref);
				jsonw_key(&w, "message");
				jsonw_string(&w, r == GEN_OK ? NULL : e.msg);
				jsonw_key(&w, "result");
				if (res != NULL) {
					buf_puts(&b, res);
					w.has_items = 1;
					w.after_key = 0;
				} else
					jsonw_null(&w);
				jsonw_object_end(&w);
			} else if (r == GEN_OK) {
				static const char pat[] =
				    "\"invoice\":{\"number\":\"";
				const char *inv_no = strstr(res, pat);
				int n = 0;

				if (inv_no != NULL) {
					inv_no += sizeof(pat) - 1;
					n = (int)strcspn(inv_no, "\"");
				}
				buf_printf(&b, "line %zu: matched %s %s %s -> "
				    "invoice %.*s\n", lineno, ref, amt, cur, n,
				    inv_no ? inv_no : "");
			} else
				buf_printf(&b, "line %zu: %s: %s\n", lineno,
				    r == GEN_ENOTFOUND ? "unmatched" : "refused",
				    e.msg);
			free(res);
		}
	}
	free(text);
	if (rc == GEN_OK && col[0] < 0)
		rc = gen_err_set(err, GEN_EINPUT, "CSV: empty; expected a header "
		    "line date,amount,currency,reference");
	if (rc != GEN_OK) {
		buf_free(&b);
		return rc;
	}
	if (json)
		buf_printf(&b, "],\"matched\":%zu,\"unmatched\":%zu,"
		    "\"refused\":%zu}\n", matched, unmatched, refused);
	else
		buf_printf(&b, "%zu matched, %zu unmatched, %zu refused\n",
		    matched, unmatched, refused);
	*report = buf_detach(&b, NULL);
	if (unmatched + refused > 0)
		return gen_err_set(err, GEN_EINPUT, "%zu statement line%s not "
		    "matched (see the report)", unmatched + refused,
		    unmatched + refused == 1 ? "" : "s");
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
