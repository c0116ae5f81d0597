/*
 * order.c - JSON orders to struct order (see order.h).  The walk over the
 * JSON tree carries a path string for messages; each field is read by a
 * typed getter that also enforces its documented limits (README, "Order
 * JSON").  Amounts are checked for int64 overflow here, so a stored order
 * can always be issued.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caldate.h"
#include "country.h"
#include "i18n.h"
#include "json.h"
#include "jsonin.h"
#include "money.h"
#include "order.h"
#include "sha256.h"

/* Language tag: "en", "lt", "ru", "lt-en" (bilingual), ISO 639-1 based. */
static enum gen_rc
get_language(const struct json *obj, const struct jsonin_path *at, char **out,
    struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, "language", &p);
	const char *s;
	size_t len;

	*out = NULL;
	if (v == NULL)
		return jsonin_missing(&p, "must be a language code such as en, lt, ru "
		    "or lt-en (Lithuanian with English)", err);
	s = json_str(v, &len);
	if (s != NULL && (len == 2 || len == 5) &&
	    s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' &&
	    (len == 2 || (s[2] == '-' && s[3] >= 'a' && s[3] <= 'z' &&
	    s[4] >= 'a' && s[4] <= 'z'))) {
		char tag[6];

		memcpy(tag, s, len);
		tag[len] = '\0';
		/* A language ICU has no data for could never be rendered. */
		if (i18n_check_tag(tag, err) != GEN_OK)
			return gen_err_prefix(err, "%s: ", p.s);
		*out = xstrndup(s, len);
		return GEN_OK;
	}
	return gen_err_set(err, GEN_EINPUT, "%s: '%.20s' is not allowed; use a "
	    "two-letter ISO 639-1 code (en, lt, ru, ...) or two of them for a "
	    "bilingual document (lt-en)", p.s, s ? s : "(not a string)");
}

static const char *const order_keys[] = { "order_no", "created_at",
	"paid_at", "currency", "payment_method", "language", "payer",
	"customer", "lines", "balance_draws", NULL };
static const char *const payer_keys[] = { "telegram_id", "name", "address",
	"country", "is_business", "vat_number", "company_code", "email",
	"vat_check", "evidence", NULL };
static const char *const address_keys[] = { "line1", "line2", "city",
	"postal_code", "region", NULL };
static const char *const vat_check_keys[] = { "status", "checked_at",
	"reference", NULL };
static const char *const evidence_keys[] = { "billing_country",
	"card_country", "ip_country", NULL };
static const char *const customer_keys[] = { "telegram_id", "username",
	NULL };
static const char *const line_keys[] = { "item", "description",
	"period_months", "quantity", "unit_price_minor", "discount_percent",
	"options", "service_period", NULL };
static const char *const period_keys[] = { "from", "to", NULL };
static const char *const draw_keys[] = { "invoice", "amount_minor", NULL };
static const char *const option_keys[] = { "sip_accounts",
	"call_recording_days", "gateway_lines", NULL };
static const char *const payment_methods[] = { "card", "paypal", "crypto",
	"bank_transfer", "balance", NULL };
static const char *const items[] = { "softphone", "gateway", "option",
	"topup", NULL };
static const char *const vat_statuses[] = { "valid", "invalid",
	"unavailable", NULL };

static enum gen_rc
parse_order_no(const struct json *obj, const struct jsonin_path *at, char **out,
    struct gen_err *err)
{
	struct jsonin_path p;
	enum gen_rc rc;

	if ((rc = jsonin_text(obj, at, "order_no", 1, 64, out, err)) != GEN_OK)
		return rc;
	jsonin_path(&p, at, "%sorder_no", at->s[0] ? "." : "");
	for (const char *c = *out; *c != '\0'; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || ((*c == '-' || *c == '_' ||
		    *c == '/' || *c == '.') && c != *out)))
			return gen_err_set(err, GEN_EINPUT, "%s: '%.64s' is not "
			    "allowed; use 1 to 64 letters A-Z a-z, digits and "
			    "- _ / . (not first)", p.s, *out);
	return GEN_OK;
}

static enum gen_rc
parse_payer(const struct json *obj, const struct jsonin_path *at, struct order *o,
    struct gen_err *err)
{
	const struct json *addr, *vc, *ev;
	struct jsonin_path pa, pv, pe;
	struct party *py = &o->payer;
	enum gen_rc rc;

	if ((rc = jsonin_object(obj, at, err)) != GEN_OK ||
	    (rc = jsonin_keys(obj, at, payer_keys, err)) != GEN_OK ||
	    (rc = jsonin_int(obj, at, "telegram_id", 0, 1, INT64_MAX,
	    &py->telegram_id, err)) != GEN_OK ||
	    (rc = jsonin_text(obj, at, "name", 1, 200, &py->name, err)) != GEN_OK)
		return rc;
	addr = jsonin_member(obj, at, "address", &pa);
	if (addr == NULL)
		return jsonin_missing(&pa, "must be an object with line1, city, "
		    "postal_code, ...", err);
	if ((rc = jsonin_object(addr, &pa, err)) != GEN_OK ||
	    (rc = jsonin_keys(addr, &pa, address_keys, err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "line1", 1, 200, &py->address_line1,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "line2", 0, 200, &py->address_line2,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "city", 1, 100, &py->city, err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "postal_code", 0, 20, &py->postal_code,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "region", 0, 100, &py->region, err)) !=
	    GEN_OK ||
	    (rc = jsonin_country(obj, at, "country", 1, py->country, NULL, err)) !=
	    GEN_OK ||
	    (rc = jsonin_bool(obj, at, "is_business", &py->is_business, err)) !=
	    GEN_OK ||
	    (rc = jsonin_text(obj, at, "vat_number", 0, 64, &py->vat_number,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(obj, at, "company_code", 0, 35, &py->company_code,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(obj, at, "email", 0, 254, &py->email, err)) != GEN_OK)
		return rc;
	vc = jsonin_member(obj, at, "vat_check", &pv);
	if (vc != NULL) {
		if ((rc = jsonin_object(vc, &pv, err)) != GEN_OK ||
		    (rc = jsonin_keys(vc, &pv, vat_check_keys, err)) != GEN_OK ||
		    (rc = jsonin_enum(vc, &pv, "status", 1, vat_statuses,
		    &o->vat_check_status, err)) != GEN_OK ||
		    (rc = jsonin_timestamp(vc, &pv, "checked_at", 0,
		    &o->vat_check_at, NULL, err)) != GEN_OK ||
		    (rc = jsonin_text(vc, &pv, "reference", 0, 64,
		    &o->vat_check_reference, err)) != GEN_OK)
			return rc;
	}
	ev = jsonin_member(obj, at, "evidence", &pe);
	if (ev != NULL) {
		if ((rc = jsonin_object(ev, &pe, err)) != GEN_OK ||
		    (rc = jsonin_keys(ev, &pe, evidence_keys, err)) != GEN_OK ||
		    (rc = jsonin_country(ev, &pe, "billing_country", 0, NULL,
		    &o->evidence_billing, err)) != GEN_OK ||
		    (rc = jsonin_country(ev, &pe, "card_country", 0, NULL,
		    &o->evidence_card, err)) != GEN_OK ||
		    (rc = jsonin_country(ev, &pe, "ip_country", 0, NULL,
		    &o->evidence_ip, err)) != GEN_OK)
			return rc;
	}
	return GEN_OK;
}

/* A calendar date member "YYYY-MM-DD" into out (required). */
static enum gen_rc
get_date(const struct json *obj, const struct jsonin_path *at,
    const char *key, char out[CALDATE_LEN], int32_t *day,
    struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);
	const char *s;
	size_t len;

	if (v == NULL)
		return jsonin_missing(&p, "must be a date YYYY-MM-DD", err);
	s = json_str(v, &len);
	if (s == NULL || len != CALDATE_LEN - 1)
		return gen_err_set(err, GEN_EINPUT, "%s: must be a date "
		    "YYYY-MM-DD", p.s);
	memcpy(out, s, len);
	out[len] = '\0';
	return caldate_parse(out, day, p.s, err);
}

/* service_period: {"from": "2026-03-01", "to": "2027-02-28"}, from <= to. */
static enum gen_rc
parse_period(const struct json *obj, const struct jsonin_path *at,
    struct order_line *l, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, "service_period", &p);
	int32_t from, to;
	enum gen_rc rc;

	if (v == NULL)
		return GEN_OK;
	if ((rc = jsonin_object(v, &p, err)) != GEN_OK ||
	    (rc = jsonin_keys(v, &p, period_keys, err)) != GEN_OK ||
	    (rc = get_date(v, &p, "from", l->period_from, &from, err)) !=
	    GEN_OK ||
	    (rc = get_date(v, &p, "to", l->period_to, &to, err)) != GEN_OK)
		return rc;
	if (to < from)
		return gen_err_set(err, GEN_EINPUT, "%s.to: %s is before from "
		    "%s; a service period runs from its first to its last day",
		    p.s, l->period_to, l->period_from);
	return GEN_OK;
}

/*
 * balance_draws: [{"invoice": "ZLV-000020", "amount_minor": 10000}, ...]:
 * which top-up invoices a purchase paid from the balance draws on, and
 * how much of each (net, minor units); 1..100 of them, each invoice once.
 * Only with payment_method balance; checked against the invoices at issue.
 */
static enum gen_rc
parse_draws(const struct json *obj, const struct jsonin_path *at,
    struct order *o, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, "balance_draws", &p);
	enum gen_rc rc;

	if (v == NULL)
		return GEN_OK;
	if (json_type(v) != JSON_ARRAY || json_len(v) == 0 || json_len(v) > 100)
		return gen_err_set(err, GEN_EINPUT, "%s: must be an array of 1 to "
		    "100 draws {\"invoice\", \"amount_minor\"}", p.s);
	if (strcmp(o->payment_method, "balance") != 0)
		return gen_err_set(err, GEN_EINPUT, "%s: only an order paid from "
		    "the balance (payment_method balance) draws on top-up "
		    "invoices; this one is paid by %s", p.s, o->payment_method);
	o->ndraws = json_len(v);
	o->draws = xcalloc(o->ndraws, sizeof(*o->draws));
	for (size_t i = 0; i < o->ndraws; i++) {
		struct jsonin_path pd;
		const struct json *d = json_at(v, i);

		jsonin_path(&pd, &p, "[%zu]", i);
		if ((rc = jsonin_object(d, &pd, err)) != GEN_OK ||
		    (rc = jsonin_keys(d, &pd, draw_keys, err)) != GEN_OK ||
		    (rc = jsonin_text(d, &pd, "invoice", 1, 96,
		    &o->draws[i].source, err)) != GEN_OK ||
		    (rc = jsonin_int(d, &pd, "amount_minor", 1, 1,
		    ORDER_MAX_NET_MINOR, &o->draws[i].amount_minor, err)) !=
		    GEN_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(o->draws[j].source, o->draws[i].source) == 0)
				return gen_err_set(err, GEN_EINPUT, "%s.invoice: "
				    "%s is drawn on twice; give one draw per "
				    "invoice", pd.s, o->draws[i].source);
	}
	return GEN_OK;
}

static enum gen_rc
parse_line(const struct json *obj, const struct jsonin_path *at,
    struct order_line *l, struct gen_err *err)
{
	const struct json *opt;
	struct jsonin_path po;
	int64_t v;
	enum gen_rc rc;

	if ((rc = jsonin_object(obj, at, err)) != GEN_OK ||
	    (rc = jsonin_keys(obj, at, line_keys, err)) != GEN_OK ||
	    (rc = jsonin_enum(obj, at, "item", 1, items, &l->item, err)) != GEN_OK ||
	    (rc = jsonin_text(obj, at, "description", 1, 300, &l->description,
	    err)) != GEN_OK ||
	    (rc = jsonin_int(obj, at, "period_months", 0, 1, 120, &v, err)) !=
	    GEN_OK)
		return rc;
	l->period_months = (int)v;
	if ((rc = jsonin_int(obj, at, "quantity", 1, 1, 1000000, &l->quantity,
	    err)) != GEN_OK ||
	    (rc = jsonin_int(obj, at, "unit_price_minor", 1, 0, INT64_MAX,
	    &l->unit_price_minor, err)) != GEN_OK)
		return rc;
	{
		struct jsonin_path pd;
		const struct json *d = jsonin_member(obj, at, "discount_percent", &pd);

		if (d != NULL && json_decimal(d, 2, 0, 10000, &l->discount_bp,
		    err) != GEN_OK)
			return gen_err_set(err, GEN_EINPUT, "%s: must be a number "
			    "from 0 to 100 with at most 2 decimals", pd.s);
	}
	opt = jsonin_member(obj, at, "options", &po);
	if (opt != NULL) {
		if ((rc = jsonin_object(opt, &po, err)) != GEN_OK ||
		    (rc = jsonin_keys(opt, &po, option_keys, err)) != GEN_OK ||
		    (rc = jsonin_int(opt, &po, "sip_accounts", 0, 1, 10000,
		    &l->options.sip_accounts, err)) != GEN_OK ||
		    (rc = jsonin_int(opt, &po, "call_recording_days", 0, 1, 3650,
		    &l->options.recording_days, err)) != GEN_OK ||
		    (rc = jsonin_int(opt, &po, "gateway_lines", 0, 1, 1000,
		    &l->options.gateway_lines, err)) != GEN_OK)
			return rc;
	}
	return parse_period(obj, at, l, err);
}

static enum gen_rc
parse_order(const struct json *obj, const struct jsonin_path *at, struct order *o,
    struct gen_err *err)
{
	const struct json *payer, *cust, *lines;
	struct jsonin_path p;
	int64_t created, paid = 0, net = 0;
	enum gen_rc rc;
	char *cc = NULL;
	int digits;

	if ((rc = jsonin_object(obj, at, err)) != GEN_OK ||
	    (rc = jsonin_keys(obj, at, order_keys, err)) != GEN_OK ||
	    (rc = parse_order_no(obj, at, &o->order_no, err)) != GEN_OK ||
	    (rc = jsonin_timestamp(obj, at, "created_at", 1, &o->created_at,
	    &created, err)) != GEN_OK ||
	    (rc = jsonin_timestamp(obj, at, "paid_at", 0, &o->paid_at, &paid,
	    err)) != GEN_OK)
		return rc;
	if (o->paid_at != NULL && paid < created) {
		jsonin_path(&p, at, "%spaid_at", at->s[0] ? "." : "");
		return gen_err_set(err, GEN_EINPUT, "%s: %s is before created_at "
		    "%s", p.s, o->paid_at, o->created_at);
	}
	if ((rc = jsonin_text(obj, at, "currency", 1, 3, &cc, err)) != GEN_OK)
		return rc;
	jsonin_path(&p, at, "%scurrency", at->s[0] ? "." : "");
	if (strlen(cc) != 3 || !i18n_currency_known(cc)) {
		rc = gen_err_set(err, GEN_EINPUT, "%s: '%s' is not an active ISO "
		    "4217 currency code (three upper-case letters, e.g. EUR, "
		    "USD, JPY)", p.s, cc);
		free(cc);
		return rc;
	}
	memcpy(o->currency, cc, 4);
	free(cc);
	{
		/* A withdrawn currency (HRK since 2023) cannot be paid in. */
		char day[CALDATE_LEN];
		struct gen_err e = { 0 };

		snprintf(day, sizeof(day), "%.10s", o->created_at);
		if (i18n_currency_valid_on(o->currency, day, &e) != GEN_OK)
			return gen_err_set(err, GEN_EINPUT, "%s: '%s' was not in "
			    "use on %s (the order's date); allowed: a current "
			    "ISO 4217 currency", p.s, o->currency, day);
	}
	if ((rc = jsonin_enum(obj, at, "payment_method", 1, payment_methods,
	    &o->payment_method, err)) != GEN_OK ||
	    (rc = get_language(obj, at, &o->language, err)) != GEN_OK)
		return rc;
	payer = jsonin_member(obj, at, "payer", &p);
	if (payer == NULL)
		return jsonin_missing(&p, "must be an object (the payer: name, address, "
		    "country, is_business)", err);
	if ((rc = parse_payer(payer, &p, o, err)) != GEN_OK)
		return rc;
	cust = jsonin_member(obj, at, "customer", &p);
	if (cust != NULL) {
		if ((rc = jsonin_object(cust, &p, err)) != GEN_OK ||
		    (rc = jsonin_keys(cust, &p, customer_keys, err)) != GEN_OK ||
		    (rc = jsonin_int(cust, &p, "telegram_id", 1, 1, INT64_MAX,
		    &o->customer_telegram_id, err)) != GEN_OK ||
		    (rc = jsonin_text(cust, &p, "username", 0, 64,
		    &o->customer_username, err)) != GEN_OK)
			return rc;
	}
	lines = jsonin_member(obj, at, "lines", &p);
	if (lines == NULL || json_type(lines) != JSON_ARRAY ||
	    json_len(lines) == 0 || json_len(lines) > ORDER_MAX_LINES)
		return gen_err_set(err, GEN_EINPUT, "%s: must be an array of 1 to "
		    "%d lines", p.s, ORDER_MAX_LINES);
	o->nlines = json_len(lines);
	o->lines = xcalloc(o->nlines, sizeof(*o->lines));
	if ((rc = i18n_currency_digits(o->currency, &digits, err)) != GEN_OK)
		return rc;
	for (size_t i = 0; i < o->nlines; i++) {
		struct jsonin_path pl;
		int64_t gross, disc, lnet, vat;

		jsonin_path(&pl, &p, "[%zu]", i);
		o->lines[i].line_no = (int)i + 1;
		if ((rc = parse_line(json_at(lines, i), &pl, &o->lines[i],
		    err)) != GEN_OK)
			return rc;
		/* Refuse now what could not be issued later: an overflow, or
		 * a total too long to print whole in the documents. */
		if (money_line(o->lines[i].quantity,
		    o->lines[i].unit_price_minor, o->lines[i].discount_bp,
		    &gross, &disc, &lnet, err) != GEN_OK ||
		    money_add(&net, lnet, "order net total", err) != GEN_OK ||
		    money_vat(net, 10000, &vat, err) != GEN_OK ||
		    money_add(&vat, net, "order total with VAT", err) != GEN_OK)
			return gen_err_prefix(err, "%s: ", pl.s);
		if (gross > ORDER_MAX_NET_MINOR || net > ORDER_MAX_NET_MINOR)
			return gen_err_set(err, GEN_EINPUT, "%s: the order's net "
			    "amount %lld minor units is over the allowed maximum "
			    "of %lld minor units", pl.s, (long long)(gross > net ?
			    gross : net), (long long)ORDER_MAX_NET_MINOR);
	}
	return parse_draws(obj, at, o, err);
}

enum gen_rc
order_parse_json(const char *text, size_t len, struct order ***orders,
    size_t *n, struct gen_err *err)
{
	struct json *root = NULL;
	struct order **v = NULL;
	size_t count = 0, i;
	struct jsonin_path top = { "" };
	enum gen_rc rc;

	*orders = NULL;
	*n = 0;
	if ((rc = json_parse(text, len, ORDER_JSON_MAX, &root, err)) != GEN_OK)
		return rc;
	if (json_type(root) == JSON_ARRAY) {
		count = json_len(root);
		if (count == 0 || count > ORDER_MAX_BATCH) {
			rc = gen_err_set(err, GEN_EINPUT, "orders: an array must "
			    "hold 1 to %d orders", ORDER_MAX_BATCH);
			goto out;
		}
	} else
		count = 1;
	v = xcalloc(count, sizeof(*v));
	for (i = 0; i < count; i++) {
		struct jsonin_path at;

		if (json_type(root) == JSON_ARRAY)
			jsonin_path(&at, &top, "[%zu]", i);
		else
			at = top;
		v[i] = xcalloc(1, sizeof(*v[i]));
		rc = parse_order(json_type(root) == JSON_ARRAY ?
		    json_at(root, i) : root, &at, v[i], err);
		if (rc != GEN_OK) {
			i++;
			goto out;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(v[j]->order_no, v[i]->order_no) == 0) {
				rc = gen_err_set(err, GEN_EINPUT, "%s.order_no: '%s' "
				    "appears twice in this input", at.s,
				    v[i]->order_no);
				i++;
				goto out;
			}
	}
out:
	json_free(root);
	if (rc != GEN_OK) {
		for (size_t j = 0; j < i && v != NULL; j++)
			order_free(v[j]);
		free(v);
		return rc;
	}
	*orders = v;
	*n = count;
	return GEN_OK;
}

static void
w_str(struct jsonw *w, const char *key, const char *v)
{
	jsonw_key(w, key);
	jsonw_string(w, v);
}

static void
w_int(struct jsonw *w, const char *key, int64_t v)
{
	jsonw_key(w, key);
	jsonw_int(w, v);
}

void
order_content_hash(const struct order *o, char hex[65])
{
	struct buf b = { 0 };
	struct jsonw w;

	/* Every stored field, in a fixed order: key order and spacing of the
	 * input do not matter, content does. */
	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	w_str(&w, "order_no", o->order_no);
	w_str(&w, "created_at", o->created_at);
	w_str(&w, "paid_at", o->paid_at);
	w_str(&w, "currency", o->currency);
	w_str(&w, "payment_method", o->payment_method);
	w_str(&w, "language", o->language);
	w_int(&w, "payer.telegram_id", o->payer.telegram_id);
	w_str(&w, "payer.name", o->payer.name);
	w_str(&w, "payer.line1", o->payer.address_line1);
	w_str(&w, "payer.line2", o->payer.address_line2);
	w_str(&w, "payer.city", o->payer.city);
	w_str(&w, "payer.postal_code", o->payer.postal_code);
	w_str(&w, "payer.region", o->payer.region);
	w_str(&w, "payer.country", o->payer.country);
	w_int(&w, "payer.is_business", o->payer.is_business);
	w_str(&w, "payer.vat_number", o->payer.vat_number);
	w_str(&w, "payer.company_code", o->payer.company_code);
	w_str(&w, "payer.email", o->payer.email);
	w_str(&w, "vat_check.status", o->vat_check_status);
	w_str(&w, "vat_check.checked_at", o->vat_check_at);
	w_str(&w, "vat_check.reference", o->vat_check_reference);
	w_str(&w, "evidence.billing", o->evidence_billing);
	w_str(&w, "evidence.card", o->evidence_card);
	w_str(&w, "evidence.ip", o->evidence_ip);
	w_int(&w, "customer.telegram_id", o->customer_telegram_id);
	w_str(&w, "customer.username", o->customer_username);
	jsonw_key(&w, "lines");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		jsonw_object_begin(&w);
		w_str(&w, "item", l->item);
		w_str(&w, "description", l->description);
		w_int(&w, "period_months", l->period_months);
		w_int(&w, "quantity", l->quantity);
		w_int(&w, "unit_price_minor", l->unit_price_minor);
		w_int(&w, "discount_bp", l->discount_bp);
		w_int(&w, "sip_accounts", l->options.sip_accounts);
		w_int(&w, "recording_days", l->options.recording_days);
		w_int(&w, "gateway_lines", l->options.gateway_lines);
		/* Later fields only when given, so that an order added by an
		 * earlier version keeps its hash. */
		if (l->period_from[0] != '\0') {
			w_str(&w, "period_from", l->period_from);
			w_str(&w, "period_to", l->period_to);
		}
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	if (o->ndraws > 0) {
		jsonw_key(&w, "balance_draws");
		jsonw_array_begin(&w);
		for (size_t i = 0; i < o->ndraws; i++) {
			jsonw_object_begin(&w);
			w_str(&w, "invoice", o->draws[i].source);
			w_int(&w, "amount_minor", o->draws[i].amount_minor);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
	}
	jsonw_object_end(&w);
	sha256_hex(b.data, b.len, hex);
	buf_free(&b);
}

/*
 * ---- stored orders --------------------------------------------------------
 *
 * The bot may write orders with SQL, past `order add`.  At issue the
 * order as stored is written out as the JSON `order add` takes and parsed
 * with the very same rules; a refusal names the stored column instead of
 * the JSON path.
 */

/* JSON paths of the order shape -> stored columns ("lines[]": any line). */
static const struct {
	const char *path, *column, *column_vc;
} stored_columns[] = {
	{ "order_no", "orders.order_no", NULL },
	{ "created_at", "orders.created_at", NULL },
	{ "paid_at", "orders.paid_at", NULL },
	{ "currency", "orders.currency", NULL },
	{ "payment_method", "orders.payment_method", NULL },
	{ "language", "orders.language", NULL },
	{ "payer.telegram_id", "payer.telegram_id", NULL },
	{ "payer.name", "payer.name", NULL },
	{ "payer.address.line1", "payer.address_line1", NULL },
	{ "payer.address.line2", "payer.address_line2", NULL },
	{ "payer.address.city", "payer.city", NULL },
	{ "payer.address.postal_code", "payer.postal_code", NULL },
	{ "payer.address.region", "payer.region", NULL },
	{ "payer.country", "payer.country", NULL },
	{ "payer.is_business", "payer.is_business", NULL },
	{ "payer.vat_number", "payer.vat_number", NULL },
	{ "payer.company_code", "payer.company_code", NULL },
	{ "payer.email", "payer.email", NULL },
	{ "payer.vat_check.status", "orders.vat_check_status",
	  "vat_check.status" },
	{ "payer.vat_check.checked_at", "orders.vat_check_at",
	  "vat_check.checked_at" },
	{ "payer.vat_check.reference", "orders.vat_check_reference",
	  "vat_check.reference" },
	{ "payer.evidence.billing_country", "orders.evidence_billing_country",
	  NULL },
	{ "payer.evidence.card_country", "orders.evidence_card_country", NULL },
	{ "payer.evidence.ip_country", "orders.evidence_ip_country", NULL },
	{ "customer.telegram_id", "orders.customer_telegram_id", NULL },
	{ "customer.username", "orders.customer_username", NULL },
	{ "lines[].item", "order_line.item", NULL },
	{ "lines[].description", "order_line.description", NULL },
	{ "lines[].period_months", "order_line.period_months", NULL },
	{ "lines[].quantity", "order_line.quantity", NULL },
	{ "lines[].unit_price_minor", "order_line.unit_price_minor", NULL },
	{ "lines[].discount_percent", "order_line.discount_bp", NULL },
	{ "lines[].options.sip_accounts", "order_line.sip_accounts", NULL },
	{ "lines[].options.call_recording_days", "order_line.recording_days",
	  NULL },
	{ "lines[].options.gateway_lines", "order_line.gateway_lines", NULL },
	{ "lines[]", "order_line", NULL },
};

/*
 * Turn a message of the JSON parser ("lines[0].description: must be ...")
 * into one about the stored row ("order_line.description of order A-1,
 * line 1: must be ...").
 */
static enum gen_rc
restate(const struct order *o, struct gen_err *err)
{
	char msg[sizeof(err->msg)], key[sizeof(err->msg)], where[160];
	const char *rest = err->msg, *column = NULL;
	size_t best = 0;
	long idx = -1;

	snprintf(msg, sizeof(msg), "%s", err->msg);
	snprintf(key, sizeof(key), "%s", msg);
	if (strncmp(msg, "lines[", 6) == 0) {
		char *end;

		idx = strtol(msg + 6, &end, 10);
		if (*end == ']' && end > msg + 6)
			snprintf(key, sizeof(key), "lines[]%s", end + 1);
		else
			idx = -1;
	}
	for (size_t i = 0; i < sizeof(stored_columns) /
	    sizeof(stored_columns[0]); i++) {
		size_t n = strlen(stored_columns[i].path);

		if (n > best && strncmp(key, stored_columns[i].path, n) == 0 &&
		    key[n] == ':') {
			best = n;
			column = o->vat_check_id != 0 &&
			    stored_columns[i].column_vc != NULL ?
			    stored_columns[i].column_vc : stored_columns[i].column;
			rest = strchr(msg, ':');
		}
	}
	if (idx >= 0 && (size_t)idx < o->nlines)
		snprintf(where, sizeof(where), "order %.64s, line %d",
		    o->order_no, o->lines[idx].line_no);
	else if (column != NULL && o->vat_check_id != 0 &&
	    strncmp(column, "vat_check.", 10) == 0)
		snprintf(where, sizeof(where), "order %.64s (vat_check row %lld)",
		    o->order_no, (long long)o->vat_check_id);
	else
		snprintf(where, sizeof(where), "order %.64s", o->order_no);
	if (column == NULL)
		return gen_err_set(err, GEN_EINPUT, "%s as stored: %s", where, msg);
	return gen_err_set(err, GEN_EINPUT, "%s of %s%s", column, where, rest);
}

void
order_write_json(const struct order *o, struct jsonw *w)
{
	jsonw_object_begin(w);
	w_str(w, "order_no", o->order_no);
	w_str(w, "created_at", o->created_at);
	w_str(w, "paid_at", o->paid_at);
	w_str(w, "currency", o->currency);
	w_str(w, "payment_method", o->payment_method);
	w_str(w, "language", o->language);
	jsonw_key(w, "payer");
	jsonw_object_begin(w);
	if (o->payer.telegram_id != 0)
		w_int(w, "telegram_id", o->payer.telegram_id);
	w_str(w, "name", o->payer.name);
	jsonw_key(w, "address");
	jsonw_object_begin(w);
	w_str(w, "line1", o->payer.address_line1);
	w_str(w, "line2", o->payer.address_line2);
	w_str(w, "city", o->payer.city);
	w_str(w, "postal_code", o->payer.postal_code);
	w_str(w, "region", o->payer.region);
	jsonw_object_end(w);
	w_str(w, "country", o->payer.country);
	jsonw_key(w, "is_business");
	jsonw_bool(w, o->payer.is_business);
	w_str(w, "vat_number", o->payer.vat_number);
	w_str(w, "company_code", o->payer.company_code);
	w_str(w, "email", o->payer.email);
	if (o->vat_check_status != NULL || o->vat_check_at != NULL ||
	    o->vat_check_reference != NULL) {
		jsonw_key(w, "vat_check");
		jsonw_object_begin(w);
		w_str(w, "status", o->vat_check_status);
		w_str(w, "checked_at", o->vat_check_at);
		w_str(w, "reference", o->vat_check_reference);
		jsonw_object_end(w);
	}
	if (o->evidence_billing != NULL || o->evidence_card != NULL ||
	    o->evidence_ip != NULL) {
		jsonw_key(w, "evidence");
		jsonw_object_begin(w);
		w_str(w, "billing_country", o->evidence_billing);
		w_str(w, "card_country", o->evidence_card);
		w_str(w, "ip_country", o->evidence_ip);
		jsonw_object_end(w);
	}
	jsonw_object_end(w);
	if (o->customer_telegram_id != 0 || o->customer_username != NULL) {
		jsonw_key(w, "customer");
		jsonw_object_begin(w);
		if (o->customer_telegram_id != 0)
			w_int(w, "telegram_id", o->customer_telegram_id);
		w_str(w, "username", o->customer_username);
		jsonw_object_end(w);
	}
	jsonw_key(w, "lines");
	jsonw_array_begin(w);
	for (size_t i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];
		char pct[48];

		jsonw_object_begin(w);
		w_str(w, "item", l->item);
		w_str(w, "description", l->description);
		if (l->period_months != 0)
			w_int(w, "period_months", l->period_months);
		w_int(w, "quantity", l->quantity);
		w_int(w, "unit_price_minor", l->unit_price_minor);
		if (l->discount_bp != 0) {
			uint64_t a = l->discount_bp < 0 ?
			    0 - (uint64_t)l->discount_bp : (uint64_t)l->discount_bp;

			/* basis points as the percentage order add reads */
			snprintf(pct, sizeof(pct), "%s%llu.%02llu",
			    l->discount_bp < 0 ? "-" : "",
			    (unsigned long long)(a / 100),
			    (unsigned long long)(a % 100));
			jsonw_key(w, "discount_percent");
			jsonw_raw(w, pct);
		}
		if (l->options.sip_accounts != 0 ||
		    l->options.recording_days != 0 ||
		    l->options.gateway_lines != 0) {
			jsonw_key(w, "options");
			jsonw_object_begin(w);
			if (l->options.sip_accounts != 0)
				w_int(w, "sip_accounts", l->options.sip_accounts);
			if (l->options.recording_days != 0)
				w_int(w, "call_recording_days",
				    l->options.recording_days);
			if (l->options.gateway_lines != 0)
				w_int(w, "gateway_lines", l->options.gateway_lines);
			jsonw_object_end(w);
		}
		if (l->period_from[0] != '\0') {
			jsonw_key(w, "service_period");
			jsonw_object_begin(w);
			w_str(w, "from", l->period_from);
			w_str(w, "to", l->period_to);
			jsonw_object_end(w);
		}
		jsonw_object_end(w);
	}
	jsonw_array_end(w);
	if (o->ndraws > 0) {
		jsonw_key(w, "balance_draws");
		jsonw_array_begin(w);
		for (size_t i = 0; i < o->ndraws; i++) {
			jsonw_object_begin(w);
			w_str(w, "invoice", o->draws[i].source);
			w_int(w, "amount_minor", o->draws[i].amount_minor);
			jsonw_object_end(w);
		}
		jsonw_array_end(w);
	}
	jsonw_object_end(w);
}

enum gen_rc
order_check_stored(const struct order *o, struct gen_err *err)
{
	struct buf b = { 0 };
	struct order **parsed = NULL;
	size_t n = 0;
	enum gen_rc rc;

	if (o->nlines == 0 || o->nlines > ORDER_MAX_LINES)
		return gen_err_set(err, GEN_EINPUT, "order_line of order %.64s: "
		    "the order has %zu lines; it must have 1 to %d", o->order_no,
		    o->nlines, ORDER_MAX_LINES);
	for (size_t i = 0; i < o->nlines; i++)
		if (o->lines[i].line_no != (int)i + 1)
			return gen_err_set(err, GEN_EINPUT, "order_line.line_no of "
			    "order %.64s: line %zu of the order is numbered %d; "
			    "lines must be numbered 1, 2, 3, ... without gaps",
			    o->order_no, i + 1, o->lines[i].line_no);
	{
		struct jsonw w;

		jsonw_init(&w, &b, 0);
		order_write_json(o, &w);
	}
	rc = order_parse_json(b.data, b.len, &parsed, &n, err);
	buf_free(&b);
	if (rc != GEN_OK)
		return rc == GEN_EINPUT ? restate(o, err) : rc;
	for (size_t i = 0; i < n; i++)
		order_free(parsed[i]);
	free(parsed);
	return GEN_OK;
}

const char *
order_printed_text(const struct order *o, size_t k, char *name,
    size_t namesz)
{
	const struct party *p = &o->payer;
	const struct { const char *name; const char *text; } f[] = {
		{ "payer.name", p->name },
		{ "payer.address.line1", p->address_line1 },
		{ "payer.address.line2", p->address_line2 },
		{ "payer.address.city", p->city },
		{ "payer.address.postal_code", p->postal_code },
		{ "payer.address.region", p->region },
		{ "payer.vat_number", p->vat_number },
		{ "payer.company_code", p->company_code },
		{ "payer.email", p->email },
		{ "customer.username", o->customer_username },
	};
	size_t i, nf = sizeof(f) / sizeof(f[0]);

	for (i = 0; i < nf; i++) {
		if (f[i].text == NULL)
			continue;
		if (k-- == 0) {
			snprintf(name, namesz, "%s", f[i].name);
			return f[i].text;
		}
	}
	for (i = 0; i < o->nlines; i++) {
		if (o->lines[i].description == NULL)
			continue;
		if (k-- == 0) {
			snprintf(name, namesz, "lines[%zu].description", i);
			return o->lines[i].description;
		}
	}
	return NULL;
}
