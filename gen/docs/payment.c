/*
 * payment.c - bank statements and the booking of payments (see
 * payment.h for the rules).  All reads and writes go through store.h;
 * the invoice of a paid order is issued by issue_invoice_locked() inside
 * the booking's own transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caldate.h"
#include "i18n.h"
#include "json.h"
#include "money.h"
#include "payment.h"

/* ---- the statement ------------------------------------------------- */

/* Split one CSV line into at most n fields (no quoting needed: bank
 * exports of these four columns have none; quotes are stripped). */
static size_t
csv_fields(char *line, char **f, size_t n)
{
	size_t k = 0;
	char *p = line;

	while (k < n) {
		char *end = strchr(p, ',');
		size_t l;

		if (end != NULL)
			*end = '\0';
		while (*p == ' ' || *p == '"')
			p++;
		l = strlen(p);
		while (l > 0 && (p[l - 1] == ' ' || p[l - 1] == '"' ||
		    p[l - 1] == '\r'))
			p[--l] = '\0';
		f[k++] = p;
		if (end == NULL)
			break;
		p = end + 1;
	}
	return k;
}

void
payment_csv_free(struct payment_csv *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].date);
		free(c->v[i].amount);
		free(c->v[i].currency);
		free(c->v[i].reference);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* The amount of a line in minor units of its currency. */
static void
parse_amount(struct payment_line *l)
{
	struct gen_err e = { 0 };
	int digits = 2;

	l->parse_rc = i18n_currency_digits(l->currency, &digits, &e);
	if (l->parse_rc == GEN_OK)
		l->parse_rc = money_parse_decimal(l->amount, digits,
		    &l->amount_minor, "amount", &e);
	if (l->parse_rc != GEN_OK)
		snprintf(l->parse_msg, sizeof(l->parse_msg), "%s", e.msg);
}

enum gen_rc
payment_csv_parse(const char *csv, size_t len, struct payment_csv *out,
    struct gen_err *err)
{
	static const char *const names[4] = { "date", "amount", "currency",
		"reference" };
	int col[4] = { -1, -1, -1, -1 };
	char *text, *line, *next;
	size_t lineno = 0, cap = 0;
	enum gen_rc rc = GEN_OK;

	memset(out, 0, sizeof(*out));
	/* A byte order mark is how some banks' exports start. */
	if (len >= 3 && memcmp(csv, "\xef\xbb\xbf", 3) == 0) {
		csv += 3;
		len -= 3;
	}
	text = xstrndup(csv, len);
	for (line = text; line != NULL && rc == GEN_OK; line = next) {
		char *f[16];
		size_t nf;
		struct payment_line *l;

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
			for (int k = 0; k < 4 && rc == GEN_OK; k++)
				if (col[k] < 0)
					rc = gen_err_set(err, GEN_EINPUT, "CSV line "
					    "%zu: the header must name the columns "
					    "date, amount, currency, reference "
					    "(missing: %s)", lineno, names[k]);
			continue;
		}
		for (int k = 0; k < 4 && rc == GEN_OK; k++)
			if ((size_t)col[k] >= nf)
				rc = gen_err_set(err, GEN_EINPUT, "CSV line %zu: "
				    "%zu fields; the header has more", lineno, nf);
		if (rc != GEN_OK)
			break;
		if (out->n == cap)
			out->v = xrealloc(out->v, (cap = cap ? cap * 2 : 16) *
			    sizeof(*out->v));
		l = &out->v[out->n++];
		memset(l, 0, sizeof(*l));
		l->lineno = lineno;
		l->date = xstrdup(f[col[0]]);
		l->amount = xstrdup(f[col[1]]);
		l->currency = xstrdup(f[col[2]]);
		l->reference = xstrdup(f[col[3]]);
		parse_amount(l);
	}
	free(text);
	if (rc == GEN_OK && col[0] < 0)
		rc = gen_err_set(err, GEN_EINPUT, "CSV: empty; expected a header "
		    "line date,amount,currency,reference");
	if (rc != GEN_OK)
		payment_csv_free(out);
	return rc;
}

/* ---- booking -------------------------------------------------------- */

void
payment_booking_clear(struct payment_booking *b)
{
	free(b->order_no);
	free(b->paid_document);
	document_free(b->invoice);
	memset(b, 0, sizeof(*b));
}

/*
 * When the order was paid, for a statement line of Lithuanian day `day`:
 * the first second of that day, or the order's creation when it was
 * created that day.  GEN_EINPUT (naming date_what) when the order was
 * created after that day.
 */
static enum gen_rc
paid_time(const struct order *o, int32_t day, const char *date_what,
    char out[TIMESTAMP_LEN], struct gen_err *err)
{
	int64_t created, at;
	char d[CALDATE_LEN];
	enum gen_rc rc;

	if ((rc = timestamp_parse(o->created_at, &created, "created_at",
	    err)) != GEN_OK)
		return rc;
	at = timestamp_lt_day_start(day);
	if (created > at)
		at = created;
	if (timestamp_lt_date(at) != day) {
		caldate_format(day, d);
		return gen_err_set(err, GEN_EINPUT, "%s: %s is before order %s "
		    "was created (%s); a payment cannot precede its order",
		    date_what, d, o->order_no, o->created_at);
	}
	timestamp_format(at, out);
	return GEN_OK;
}

/*
 * Book a payment against an invoice on credit terms inv (order o), in the
 * caller's transaction: what is due is its total less its credit notes,
 * less what was paid before.
 */
static enum gen_rc
book_on_invoice(struct store *s, const struct config *cfg,
    struct document *inv, const struct order *o, int64_t amount_minor,
    const char *currency, int32_t day, const char *date_what,
    struct payment_booking *out, struct gen_err *err)
{
	int64_t cred_net, cred_vat, cred_eur, paid, left;
	char date[CALDATE_LEN], at[TIMESTAMP_LEN], a[40], p[40];
	int same;
	enum gen_rc rc;

	caldate_format(day, date);
	if (strcmp(inv->currency, currency) != 0)
		return gen_err_set(err, GEN_EINPUT, "currency: paid in %s but "
		    "invoice %s (order %s) is in %s; nothing booked", currency,
		    inv->number, inv->order_no, inv->currency);
	if ((rc = store_credited(s, inv->id, &cred_net, &cred_vat, &cred_eur,
	    err)) != GEN_OK ||
	    (rc = store_payments(s, inv->id, date, amount_minor, &paid, &same,
	    err)) != GEN_OK)
		return rc;
	left = inv->total_minor + cred_net + cred_vat - paid;
	money_format(paid, inv->currency_digits, p, sizeof(p));
	if (left <= 0)
		return gen_err_set(err, GEN_ECONFLICT, "reference: invoice %s "
		    "(order %s) is paid in full (%s %s booked); this payment is "
		    "a duplicate (refund it or keep it as credit)", inv->number,
		    inv->order_no, p, currency);
	if (same > 0) {
		money_format(amount_minor, inv->currency_digits, a, sizeof(a));
		return gen_err_set(err, GEN_ECONFLICT, "reference: a payment of "
		    "%s %s dated %s is already booked against invoice %s; this "
		    "statement line is a duplicate", a, currency, date,
		    inv->number);
	}
	timestamp_format(cfg->now, at);
	if ((rc = store_payment_insert(s, inv->id, out->reference, date,
	    amount_minor, currency, at, err)) != GEN_OK)
		return rc;
	/* Paid in full: the order is paid (once), on that day. */
	if (amount_minor >= left && o->paid_at == NULL) {
		char paid_at[TIMESTAMP_LEN];

		if ((rc = paid_time(o, day, date_what, paid_at, err)) != GEN_OK ||
		    (rc = store_order_set_paid(s, o->id, paid_at, err)) !=
		    GEN_OK)
			return rc;
	}
	out->order_no = xstrdup(inv->order_no);
	out->paid_document = xstrdup(inv->number);
	out->paid_invoice = 1;
	out->paid_minor = amount_minor;
	out->overpaid_minor = amount_minor > left ? amount_minor - left : 0;
	out->left_minor = amount_minor < left ? left - amount_minor : 0;
	out->invoice = inv;
	return GEN_OK;
}

enum gen_rc
payment_book(struct store *s, struct config *cfg, const char *reference,
    int64_t amount_minor, const char *currency, const char *date,
    const char *date_what, const struct issue_finish *fin,
    struct payment_booking *out, struct gen_err *err)
{
	struct document *po = NULL;
	struct order *o = NULL;
	char number[96], inv_no[96], paid_at[TIMESTAMP_LEN];
	char today[CALDATE_LEN], due[40], got[40];
	int32_t day;
	int existed = 0;
	enum gen_rc rc;

	memset(out, 0, sizeof(*out));
	if ((rc = rfref_check(reference, out->reference,
	    sizeof(out->reference), err)) != GEN_OK)
		return rc;
	if ((rc = caldate_parse(date, &day, date_what, err)) != GEN_OK)
		return rc;
	if (amount_minor <= 0)
		return gen_err_set(err, GEN_EINPUT, "amount: %lld is not a "
		    "payment; allowed: more than 0", (long long)amount_minor);
	if ((rc = store_begin(s, err)) != GEN_OK)
		return rc;
	/* Today is read once the write lock is held. */
	config_tick(cfg);
	if (day > cfg->today) {
		caldate_format(cfg->today, today);
		rc = gen_err_set(err, GEN_EINPUT, "%s: %s is in the future "
		    "(today is %s in Lithuania)", date_what, date, today);
		goto fail;
	}
	if ((rc = store_document_by_reference(s, out->reference, number,
	    sizeof(number), err)) != GEN_OK ||
	    (rc = store_document_load(s, number, &po, err)) != GEN_OK ||
	    (rc = store_order_load(s, po->order_no, &o, err)) != GEN_OK)
		goto fail;
	if (po->kind == DOC_INVOICE) {
		if ((rc = book_on_invoice(s, cfg, po, o, amount_minor, currency,
		    day, date_what, out, err)) != GEN_OK)
			goto fail;
		po = NULL;	/* out->invoice now */
		if ((rc = store_commit(s, err)) != GEN_OK)
			goto fail;
		order_free(o);
		return GEN_OK;
	}
	rc = store_document_for_order(s, o->id, DOC_INVOICE, inv_no,
	    sizeof(inv_no), err);
	if (rc == GEN_OK && o->paid_at != NULL) {
		rc = gen_err_set(err, GEN_ECONFLICT, "reference: payment order "
		    "%s (order %s) was already paid at %s and invoiced as %s; "
		    "this payment is a duplicate (refund it or keep it as "
		    "credit)", number, po->order_no, o->paid_at, inv_no);
		goto fail;
	}
	if (rc != GEN_OK && rc != GEN_ENOTFOUND)
		goto fail;
	gen_err_clear(err);
	rc = GEN_OK;
	if (strcmp(po->currency, currency) != 0) {
		rc = gen_err_set(err, GEN_EINPUT, "currency: paid in %s but "
		    "payment order %s (order %s) is in %s; nothing issued",
		    currency, number, po->order_no, po->currency);
		goto fail;
	}
	if (amount_minor < po->total_minor) {
		money_format(po->total_minor, po->currency_digits, due,
		    sizeof(due));
		money_format(amount_minor, po->currency_digits, got, sizeof(got));
		rc = gen_err_set(err, GEN_EINPUT, "amount: %s %s paid but %s %s "
		    "is due on payment order %s (order %s): underpayment, "
		    "nothing issued", got, currency, due, currency, number,
		    po->order_no);
		goto fail;
	}
	/* Paid earlier but not invoiced (the issue failed then): issue now. */
	if (o->paid_at == NULL &&
	    ((rc = paid_time(o, day, date_what, paid_at, err)) != GEN_OK ||
	    (rc = store_order_set_paid(s, o->id, paid_at, err)) != GEN_OK))
		goto fail;
	if ((rc = issue_invoice_locked(s, cfg, po->order_no, fin,
	    &out->invoice, &existed, err)) != GEN_OK)
		goto fail;
	/* issue_invoice_locked() has checked the invoice against the payment
	 * order it pays (issue_check_pays: same lines, currency and net
	 * amount), so an order changed behind invgen's back books nothing. */
	timestamp_format(cfg->now, paid_at);
	caldate_format(day, today);
	if ((rc = store_payment_insert(s, out->invoice->id, out->reference,
	    today, amount_minor, currency, paid_at, err)) != GEN_OK ||
	    (rc = store_commit(s, err)) != GEN_OK)
		goto fail;
	out->order_no = xstrdup(po->order_no);
	out->paid_document = xstrdup(number);
	out->paid_minor = amount_minor;
	out->overpaid_minor = amount_minor - po->total_minor;
	document_free(po);
	order_free(o);
	return GEN_OK;
fail:
	store_rollback(s);
	document_free(po);
	order_free(o);
	payment_booking_clear(out);
	return rc;
}

void
payment_booking_json(const struct payment_booking *b,
    const char *invoice_json, struct buf *out)
{
	struct jsonw w;

	jsonw_init(&w, out, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "reference");
	jsonw_string(&w, b->reference);
	jsonw_key(&w, "order_no");
	jsonw_string(&w, b->order_no);
	jsonw_key(&w, "payment_order");
	jsonw_string(&w, b->paid_invoice ? NULL : b->paid_document);
	jsonw_key(&w, "paid_minor");
	jsonw_int(&w, b->paid_minor);
	jsonw_key(&w, "overpaid_minor");
	jsonw_int(&w, b->overpaid_minor);
	jsonw_key(&w, "left_minor");
	jsonw_int(&w, b->left_minor);
	jsonw_key(&w, "invoice");
	jsonw_json(&w, invoice_json);
	jsonw_object_end(&w);
}

/* ---- the summary of a statement ------------------------------------ */

void
payment_report_begin(struct payment_report *r, int json)
{
	memset(r, 0, sizeof(*r));
	r->json = json;
	if (json) {
		jsonw_init(&r->w, &r->out, 0);
		jsonw_object_begin(&r->w);
		jsonw_key(&r->w, "lines");
		jsonw_array_begin(&r->w);
	}
}

void
payment_report_line(struct payment_report *r, const struct payment_line *l,
    enum gen_rc rc, const char *msg, const char *invoice,
    const char *booking_json)
{
	const char *status = rc == GEN_OK ? "matched" : rc == GEN_ENOTFOUND ?
	    "unmatched" : "refused";

	if (rc == GEN_OK)
		r->matched++;
	else if (rc == GEN_ENOTFOUND)
		r->unmatched++;
	else
		r->refused++;
	if (r->json) {
		struct jsonw *w = &r->w;

		jsonw_object_begin(w);
		jsonw_key(w, "line");
		jsonw_int(w, (int64_t)l->lineno);
		jsonw_key(w, "status");
		jsonw_string(w, status);
		jsonw_key(w, "reference");
		jsonw_string(w, l->reference);
		jsonw_key(w, "message");
		jsonw_string(w, rc == GEN_OK ? NULL : msg);
		jsonw_key(w, "result");
		jsonw_json(w, rc == GEN_OK ? booking_json : NULL);
		jsonw_object_end(w);
	} else if (rc == GEN_OK)
		buf_printf(&r->out, "line %zu: matched %s %s %s -> invoice %s\n",
		    l->lineno, l->reference, l->amount, l->currency,
		    invoice != NULL ? invoice : "");
	else
		buf_printf(&r->out, "line %zu: %s: %s\n", l->lineno, status, msg);
}

char *
payment_report_finish(struct payment_report *r)
{
	if (r->json) {
		jsonw_array_end(&r->w);
		jsonw_key(&r->w, "matched");
		jsonw_int(&r->w, (int64_t)r->matched);
		jsonw_key(&r->w, "unmatched");
		jsonw_int(&r->w, (int64_t)r->unmatched);
		jsonw_key(&r->w, "refused");
		jsonw_int(&r->w, (int64_t)r->refused);
		jsonw_object_end(&r->w);
		buf_putc(&r->out, '\n');
	} else
		buf_printf(&r->out, "%zu matched, %zu unmatched, %zu refused\n",
		    r->matched, r->unmatched, r->refused);
	return buf_detach(&r->out, NULL);
}
