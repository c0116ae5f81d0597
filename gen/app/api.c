/*
 * api.c - the public functions of libinvgen (invgen.h) that open a handle,
 * take input (orders, payments, seller profiles, rates) and issue
 * documents; api_query.c has the reports and lists, api_render.c render,
 * export and verify.  A handle holds the configuration and one database
 * connection; each call validates its arguments, runs one module (order,
 * seller, issue, flows, payment, ...), publishes the files it rendered
 * once its transaction holds (files.c) and returns a typed result
 * (result.c).  The invgen program calls only these functions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_private.h"
#include "caldate.h"
#include "docjson.h"
#include "ecb.h"
#include "files.h"
#include "flows.h"
#include "i18n.h"
#include "issue.h"
#include "jsonin.h"
#include "order.h"
#include "payment.h"
#include "pdfout.h"
#include "render.h"
#include "result.h"
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
	int flags = 0;

	*out = NULL;
	inv = xcalloc(1, sizeof(*inv));
	if ((rc = config_init(&inv->cfg, opt, err)) != GEN_OK) {
		free(inv);
		return rc;
	}
	inv->cache = render_cache_new();
	if (opt != NULL && opt->read_only) {
		flags |= STORE_READONLY;
		inv->read_only = 1;
	} else if (opt != NULL && opt->create)
		flags |= STORE_CREATE;
	rc = store_open(inv->cfg.db_path, flags, inv->cfg.busy_timeout_ms,
	    &inv->store, err);
	if (rc != GEN_OK) {
		invgen_close(inv);
		return rc;
	}
	inv->read_only |= store_readonly(inv->store);
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

const char *
invgen_db_path(const struct invgen *inv)
{
	return inv != NULL ? inv->cfg.db_path : NULL;
}

int
invgen_schema_version(const struct invgen *inv)
{
	return inv != NULL ? store_schema_version(inv->store) : -1;
}

/* ---- input ---------------------------------------------------------- */

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
    int64_t *id, struct gen_err *err)
{
	struct seller_profile *sp = NULL;
	int64_t other;
	enum gen_rc rc;

	if (id != NULL)
		*id = 0;
	if ((rc = seller_parse_json(json, len, &sp, err)) != GEN_OK)
		return rc;
	if (sp->logo_path != NULL && (rc = read_logo(sp, err)) != GEN_OK)
		goto out;
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		goto out;
	if ((rc = store_seller_overlap(inv->store, sp->valid_from,
	    sp->valid_to, &other, err)) == GEN_OK && other != 0)
		rc = gen_err_set(err, GEN_ECONFLICT, "valid_from: the period "
		    "%s..%s overlaps seller profile %lld; close that profile "
		    "first or choose other dates", sp->valid_from,
		    sp->valid_to[0] ? sp->valid_to : "open", (long long)other);
	if (rc == GEN_OK)
		rc = store_seller_insert(inv->store, sp, err);
	if (rc == GEN_OK)
		rc = store_commit(inv->store, err);
	if (rc != GEN_OK)
		store_rollback(inv->store);
	else if (id != NULL)
		*id = sp->id;
out:
	seller_profile_free(sp);
	return rc;
}

enum gen_rc
invgen_seller_close(struct invgen *inv, const char *date, int64_t *id,
    struct gen_err *err)
{
	enum gen_rc rc;

	if (id != NULL)
		*id = 0;
	if ((rc = store_begin(inv->store, err)) != GEN_OK)
		return rc;
	if ((rc = seller_close(inv->store, date, id, err)) == GEN_OK)
		rc = store_commit(inv->store, err);
	if (rc != GEN_OK)
		store_rollback(inv->store);
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

/* ---- documents ------------------------------------------------------ */

enum gen_rc
api_amount_text(struct invgen *inv, const struct document *d, char **amount,
    struct gen_err *err)
{
	struct i18n *lang = NULL;
	struct buf b = { 0 };
	int own = 0;
	enum gen_rc rc;

	*amount = NULL;
	if (d->kind != DOC_TRANSFER_ORDER)
		return GEN_OK;
	if ((rc = render_cache_lang(inv->cache, &inv->cfg, d->language, &lang,
	    &own, err)) == GEN_OK &&
	    (rc = i18n_format_amount(lang, d->total_minor, d->currency,
	    d->currency_digits, &b, err)) == GEN_OK)
		*amount = buf_detach(&b, NULL);
	if (own)
		i18n_close(lang);
	buf_free(&b);
	return rc;
}

/* The result of document d: its files (NULL: none listed), whether the
 * call returned it from earlier (< 0: not said), the warnings. */
static enum gen_rc
doc_result(struct invgen *inv, const struct document *d,
    const struct docjson_file *files, size_t nfiles, int existed,
    const struct text_warnings *warn, struct invgen_doc **out,
    struct gen_err *err)
{
	char *amount = NULL;
	enum gen_rc rc;

	if (out == NULL)	/* the caller does not want it */
		return GEN_OK;
	if ((rc = api_amount_text(inv, d, &amount, err)) == GEN_OK)
		rc = result_doc_new(d, files, nfiles, existed, amount, warn, out,
		    err);
	free(amount);
	return rc;
}

/*
 * The end of a call that issued (or returned, existed) document d into
 * files f: an earlier document's files are re-created if missing, the new
 * ones published, and the result made.  what names the document in the
 * message when its file cannot be written.
 */
static enum gen_rc
issued(struct invgen *inv, struct files *f, const struct document *d,
    int existed, const char *what, struct invgen_doc **out,
    struct gen_err *err)
{
	enum gen_rc rc = GEN_OK;

	if (existed)
		rc = files_existing(f, d, err);
	if (rc == GEN_OK && (rc = files_publish(f, err)) != GEN_OK)
		gen_err_prefix(err, "%s %s %s; its file could not be written "
		    "(%s again to write it): ", what, d->number, existed ?
		    "exists" : "was issued", what[0] == 'p' ? "ask" : "issue "
		    "the order");
	if (rc == GEN_OK)
		rc = doc_result(inv, d, f->list, f->n, existed, &f->warn, out,
		    err);
	return rc;
}

/* What a call of one order issues (or returns, when it exists). */
enum order_doc {
	ORDER_INVOICE,		/* the invoice of a paid order (issue.c) */
	ORDER_DUE,		/* an invoice on credit terms (flows.c) */
	ORDER_TRANSFER		/* the payment order (issue.c) */
};

/*
 * Issue the document `which` of order order_no (due: the due date of
 * ORDER_DUE), publish its files and make the result.
 */
static enum gen_rc
issue_order(struct invgen *inv, const char *order_no, enum order_doc which,
    const char *due, struct invgen_doc **out, struct gen_err *err)
{
	static const char *const what[] = { "document", "invoice",
	    "payment order" };
	struct document *d = NULL;
	struct files files;
	int existed = 0;
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	config_tick(&inv->cfg);
	api_files_init(&files, inv);
	if (which == ORDER_DUE)
		rc = flows_issue_due(inv->store, &inv->cfg, order_no, due,
		    &files.finish, &d, &existed, err);
	else if (which == ORDER_TRANSFER)
		rc = issue_transfer_order(inv->store, &inv->cfg, order_no,
		    &files.finish, &d, &existed, err);
	else
		rc = issue_invoice(inv->store, &inv->cfg, order_no,
		    &files.finish, &d, &existed, err);
	if (rc == GEN_OK)
		rc = issued(inv, &files, d, existed, what[which], out, err);
	files_free(&files);
	document_free(d);
	return rc;
}

enum gen_rc
invgen_issue(struct invgen *inv, const char *order_no,
    struct invgen_doc **out, struct gen_err *err)
{
	return issue_order(inv, order_no, ORDER_INVOICE, NULL, out, err);
}

enum gen_rc
invgen_issue_due(struct invgen *inv, const char *order_no,
    const char *due_date, struct invgen_doc **out, struct gen_err *err)
{
	return issue_order(inv, order_no, ORDER_DUE, due_date, out, err);
}

enum gen_rc
invgen_transfer_order(struct invgen *inv, const char *order_no,
    struct invgen_doc **out, struct gen_err *err)
{
	return issue_order(inv, order_no, ORDER_TRANSFER, NULL, out, err);
}

enum gen_rc
invgen_credit(struct invgen *inv, const char *invoice_number,
    const char *reason, int64_t amount_minor, struct invgen_doc **out,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct files files;
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	config_tick(&inv->cfg);
	/* The reason is printed: after the checks every text gets, every
	 * character must be in a shipped font (as for an order's texts). */
	if (reason != NULL && reason[0] != '\0' &&
	    ((rc = jsonin_check_text(reason, strlen(reason), 500, 1,
	    "reason", err)) != GEN_OK ||
	    (rc = render_check_text(&inv->cfg, "reason", reason, err)) !=
	    GEN_OK))
		return rc;
	api_files_init(&files, inv);
	rc = issue_credit_note(inv->store, &inv->cfg, invoice_number, reason,
	    amount_minor, NULL, &files.finish, &d, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "credit note %s was issued; its file could "
		    "not be written (do not credit again: export its pdf to "
		    "write it): ", d->number);
	if (rc == GEN_OK)
		rc = doc_result(inv, d, files.list, files.n, 0, &files.warn, out,
		    err);
	files_free(&files);
	document_free(d);
	return rc;
}

/*
 * The documents of a flow, each with its own files (a file belongs to
 * the document whose number its name starts with).
 */
static enum gen_rc
flow_result(struct invgen *inv, const struct flows_result *r,
    const struct files *f, struct invgen_docs **out, struct gen_err *err)
{
	enum gen_rc rc = GEN_OK;

	if (out == NULL)	/* the caller does not want them */
		return GEN_OK;
	*out = result_docs_new();
	for (size_t i = 0; i < r->n && rc == GEN_OK; i++) {
		const struct document *d = r->docs[i];
		struct docjson_file mine[FILES_MAX];
		struct invgen_doc *doc = NULL;
		size_t n = 0, len = strlen(d->number);

		for (size_t k = 0; k < f->n; k++) {
			const char *base = strrchr(f->list[k].path, '/');

			base = base != NULL ? base + 1 : f->list[k].path;
			if (strncmp(base, d->number, len) == 0 &&
			    base[len] == '.')
				mine[n++] = f->list[k];
		}
		if ((rc = doc_result(inv, d, mine, n, 0, &f->warn, &doc,
		    err)) == GEN_OK)
			result_docs_add(*out, doc);
	}
	if (rc != GEN_OK) {
		invgen_docs_free(*out);
		if (out != NULL)
		*out = NULL;
	}
	return rc;
}

/* Publish a flow's files; the message says what was issued. */
static enum gen_rc
flow_publish(struct files *f, const struct flows_result *r,
    struct gen_err *err)
{
	enum gen_rc rc;

	if ((rc = files_publish(f, err)) != GEN_OK && r->n > 0)
		gen_err_prefix(err, "%s%s were issued; their files could not be "
		    "written (do not repeat the call: export their pdf to "
		    "write them): ", r->docs[0]->number, r->n > 1 ? " and "
		    "the others" : "");
	return rc;
}

/* The caller's draws as flows_draw; GEN_EINPUT past 8. */
static enum gen_rc
flow_draws(const struct invgen_draw *draws, size_t ndraws,
    struct flows_draw fd[8], struct gen_err *err)
{
	if (ndraws > 8)
		return gen_err_set(err, GEN_EINPUT, "draw: %zu draws; allowed: "
		    "at most 8 in one call", ndraws);
	for (size_t i = 0; i < ndraws; i++) {
		fd[i].source = draws[i].number;
		fd[i].amount_minor = draws[i].amount_minor;
	}
	return GEN_OK;
}

/*
 * A termination of the document numbered number (unused_minor, to), or
 * when terminate is 0 a refund; its documents' files published and the
 * result made.
 */
static enum gen_rc
flow(struct invgen *inv, int terminate, const char *number,
    int64_t unused_minor, const char *to, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, struct invgen_docs **out,
    struct gen_err *err)
{
	struct flows_draw fd[8];
	struct flows_result r = { 0 };
	struct files files;
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	if ((rc = flow_draws(draws, ndraws, fd, err)) != GEN_OK)
		return rc;
	api_files_init(&files, inv);
	if (terminate)
		rc = flows_terminate(inv->store, &inv->cfg, number, unused_minor,
		    to, reason, fd, ndraws, &files.finish, &r, err);
	else
		rc = flows_refund(inv->store, &inv->cfg, reason, fd, ndraws,
		    &files.finish, &r, err);
	if (rc == GEN_OK && (rc = flow_publish(&files, &r, err)) == GEN_OK)
		rc = flow_result(inv, &r, &files, out, err);
	files_free(&files);
	flows_result_free(&r);
	return rc;
}

enum gen_rc
invgen_terminate(struct invgen *inv, const char *number,
    int64_t unused_minor, const char *to, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, struct invgen_docs **out,
    struct gen_err *err)
{
	return flow(inv, 1, number, unused_minor, to, reason, draws, ndraws,
	    out, err);
}

enum gen_rc
invgen_refund(struct invgen *inv, const char *reason,
    const struct invgen_draw *draws, size_t ndraws, struct invgen_docs **out,
    struct gen_err *err)
{
	return flow(inv, 0, NULL, 0, NULL, reason, draws, ndraws, out, err);
}

enum gen_rc
invgen_show(struct invgen *inv, const char *number, struct invgen_doc **out,
    struct gen_err *err)
{
	struct document *d = NULL;
	struct store_file sf[8];
	struct docjson_file list[8];
	char *paths[8] = { NULL };
	size_t n = 0;
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	if ((rc = store_document_load(inv->store, number, &d, err)) != GEN_OK ||
	    (rc = store_file_list(inv->store, d->id, sf, &n, err)) != GEN_OK)
		goto out;
	/* A file is named only when it is in the output folder as issued;
	 * nothing is written or re-created. */
	for (size_t i = 0; i < n; i++) {
		list[i].format = sf[i].format;
		list[i].sha256 = sf[i].sha256;
		list[i].size = sf[i].size;
		list[i].path = paths[i] = files_issued_path(&inv->cfg, d->number,
		    sf[i].format, sf[i].sha256);
	}
	rc = doc_result(inv, d, list, n, -1, NULL, out, err);
out:
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	document_free(d);
	return rc;
}

/* ---- payments ------------------------------------------------------- */

/*
 * Book one statement line (payment.c) and publish the invoice's files;
 * *out is the booking on success.
 */
static enum gen_rc
match_one(struct invgen *inv, const char *reference, int64_t amount_minor,
    const char *currency, const char *date, const char *date_what,
    struct invgen_payment **out, struct gen_err *err)
{
	struct payment_booking b;
	struct invgen_doc *doc = NULL;
	struct files files;
	enum gen_rc rc;

	if (out != NULL)
		*out = NULL;
	memset(&b, 0, sizeof(b));
	api_files_init(&files, inv);
	rc = payment_book(inv->store, &inv->cfg, reference, amount_minor,
	    currency, date, date_what, &files.finish, &b, err);
	if (rc == GEN_OK && b.paid_invoice)	/* issued earlier */
		rc = files_existing(&files, b.invoice, err);
	if (rc == GEN_OK && (rc = files_publish(&files, err)) != GEN_OK)
		gen_err_prefix(err, "%s was issued; its file could not be "
		    "written (issue the order again to write it): ",
		    b.invoice->number);
	if (rc == GEN_OK && out != NULL && (rc = doc_result(inv, b.invoice,
	    files.list, files.n, b.paid_invoice, &files.warn, &doc, err)) ==
	    GEN_OK)
		*out = result_payment_new(&b, doc);
	files_free(&files);
	payment_booking_clear(&b);
	return rc;
}

enum gen_rc
invgen_payment_match(struct invgen *inv, const char *reference,
    int64_t amount_minor, const char *currency, const char *date,
    struct invgen_payment **out, struct gen_err *err)
{
	return match_one(inv, reference, amount_minor, currency, date, "date",
	    out, err);
}

enum gen_rc
invgen_payment_match_csv(struct invgen *inv, const char *csv, size_t len,
    int format, char **report, struct gen_err *err)
{
	struct payment_csv lines;
	struct payment_report r;
	enum gen_rc rc = GEN_OK;

	*report = NULL;
	if (format != INVGEN_TEXT && format != INVGEN_JSON)
		return gen_err_set(err, GEN_EUSAGE, "format: %d is not allowed; "
		    "allowed: text (0), JSON (2)", format);
	if ((rc = payment_csv_parse(csv, len, &lines, err)) != GEN_OK)
		return rc;
	payment_report_begin(&r, format == INVGEN_JSON);
	for (size_t i = 0; i < lines.n; i++) {
		const struct payment_line *l = &lines.v[i];
		struct invgen_payment *p = NULL;
		struct gen_err e = { 0 };
		char *res = NULL;
		enum gen_rc lr = l->parse_rc;

		if (lr == GEN_OK)
			lr = match_one(inv, l->reference, l->amount_minor,
			    l->currency, l->date, "date", &p, &e);
		if (lr != GEN_OK && lr != GEN_ENOTFOUND && lr != GEN_EINPUT &&
		    lr != GEN_ECONFLICT) {
			/* storage or I/O: stop, the rest would fail too */
			*err = e;
			rc = lr;
		} else {
			res = invgen_payment_json(p);
			payment_report_line(&r, l, lr, l->parse_rc != GEN_OK ?
			    l->parse_msg : e.msg, invgen_doc_number(
			    invgen_payment_invoice(p)), res);
		}
		free(res);
		invgen_payment_free(p);
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
