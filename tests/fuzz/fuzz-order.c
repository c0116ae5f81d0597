/*
 * fuzz-order.c - libFuzzer harness for the order importer (gen/docs/order.c,
 * over gen/base/json.c and gen/base/jsonin.c): the input is what `invgen order
 * add` reads, one JSON order or an array of them.
 *
 * Invariants checked, beyond "no crash, no leak, no UB":
 *   - determinism: parsing the same bytes twice gives the same verdict,
 *     the same message and the same content hashes;
 *   - a refusal is GEN_EINPUT with a message and returns no orders;
 *   - every accepted order satisfies the README's field table, checked
 *     here independently: texts are well-formed UTF-8 within their length
 *     in code points, free of control, bidi and invisible characters,
 *     required ones not blank; order_no's alphabet; ISO-shaped codes;
 *     timestamps "YYYY-MM-DDTHH:MM:SSZ" naming real calendar days, paid
 *     not before created; every number in range; and the amounts, with
 *     VAT at 100 %, computed here in 128 bits, fit in int64;
 *   - order_content_hash is stable (same order, same hash);
 *   - round trip: writing the accepted orders back as order JSON
 *     (order_write_json) and parsing that gives orders with the same
 *     hashes, and writing those again gives the same bytes.
 *
 * fuzz-options: -max_len=16384 -dict=tests/fuzz/order.dict
 */
#include <inttypes.h>
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "json.h"
#include "model.h"
#include "order.h"

/* ---- writing orders back (order_write_json, which order_check_stored
 * also relies on) ---- */

/* All orders: an array when the input was one (array != 0). */
static void
put_orders(struct buf *b, struct order **v, size_t n, int array)
{
	struct jsonw w;

	jsonw_init(&w, b, 0);
	if (array)
		jsonw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		order_write_json(v[i], &w);
	if (array)
		jsonw_array_end(&w);
}

/* ---- the README's field table, checked independently ---- */

/* A text field: NULL allowed unless required; 1..max code points (0 is
 * stored as NULL), none of the refused characters, not all spaces. */
static void
text_ok(const char *s, size_t max, int required, const char *field)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t n, k, chars = 0, spaces = 0;
	uint32_t c;

	if (s == NULL) {
		FUZZ_CHECK(!required, "%s: accepted without a value", field);
		return;
	}
	n = strlen(s);
	for (size_t i = 0; i < n; i += k) {
		k = fuzz_utf8_next(p, n, i, &c);
		FUZZ_CHECK(c != UINT32_MAX, "%s: accepted ill-formed UTF-8 at "
		    "byte %zu", field, i);
		FUZZ_CHECK(!(c < 0x20 || (c >= 0x7F && c <= 0x9F)), "%s: "
		    "accepted control character U+%04X", field, (unsigned)c);
		FUZZ_CHECK(!((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 &&
		    c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C),
		    "%s: accepted bidi control U+%04X", field, (unsigned)c);
		FUZZ_CHECK(!(c == 0x200B || (c >= 0x2060 && c <= 0x2064) ||
		    c == 0x00AD || c == 0xFEFF), "%s: accepted invisible "
		    "U+%04X", field, (unsigned)c);
		chars++;
		spaces += c == ' ';
	}
	FUZZ_CHECK(chars >= 1 && chars <= max, "%s: %zu characters accepted, "
	    "allowed 1..%zu", field, chars, max);
	FUZZ_CHECK(!required || spaces < chars, "%s: blank accepted", field);
}

static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* Two (or three) upper-case ASCII letters. */
static int
upper_code(const char *s, size_t n)
{
	if (s == NULL || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return 1;
}

/* A stored UTC timestamp: YYYY-MM-DDTHH:MM:SSZ naming a real instant. */
static int
timestamp_ok(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };
	int y, mo, d, h, mi, se, leap;

	if (s == NULL || strlen(s) != 20)
		return 0;
	for (int i = 0; i < 20; i++) {
		int want = i == 4 || i == 7 ? '-' : i == 10 ? 'T' :
		    i == 13 || i == 16 ? ':' : i == 19 ? 'Z' : 0;

		if (want != 0 ? s[i] != want : (s[i] < '0' || s[i] > '9'))
			return 0;
	}
#define NUM(a, b) (int)strtol((char[]){ s[a], s[b], 0 }, NULL, 10)
	y = NUM(0, 1) * 100 + NUM(2, 3);
	mo = NUM(5, 6);
	d = NUM(8, 9);
	h = NUM(11, 12);
	mi = NUM(14, 15);
	se = NUM(17, 18);
#undef NUM
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] &&
	    !(mo == 2 && d == 29 && !leap) && h <= 23 && mi <= 59 &&
	    se <= 59;
}

static void
order_ok(const struct order *o)
{
	static const char *const methods[] = { "card", "paypal", "crypto",
		"bank_transfer", "balance", NULL };
	static const char *const items[] = { "softphone", "gateway",
		"option", "topup", NULL };
	static const char *const statuses[] = { "valid", "invalid",
		"unavailable", NULL };
	const struct party *p = &o->payer;
	const char *l = o->language;
	__int128 net = 0;

	text_ok(o->order_no, 64, 1, "order_no");
	for (const char *c = o->order_no; *c != '\0'; c++)
		FUZZ_CHECK((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z')
		    || (*c >= '0' && *c <= '9') || (c != o->order_no &&
		    strchr("-_/.", *c) != NULL), "order_no '%s' accepted",
		    o->order_no);
	FUZZ_CHECK(timestamp_ok(o->created_at), "created_at '%s'",
	    o->created_at);
	FUZZ_CHECK(o->paid_at == NULL || (timestamp_ok(o->paid_at) &&
	    strcmp(o->paid_at, o->created_at) >= 0), "paid_at '%s' with "
	    "created_at '%s'", o->paid_at, o->created_at);
	FUZZ_CHECK(upper_code(o->currency, 3), "currency '%s'", o->currency);
	FUZZ_CHECK(o->payment_method != NULL && in_list(o->payment_method,
	    methods), "payment_method '%s'", o->payment_method);
	FUZZ_CHECK(l != NULL && (strlen(l) == 2 || (strlen(l) == 5 &&
	    l[2] == '-')) && l[0] >= 'a' && l[0] <= 'z' && l[1] >= 'a' &&
	    l[1] <= 'z' && (l[2] == '\0' || (l[3] >= 'a' && l[3] <= 'z' &&
	    l[4] >= 'a' && l[4] <= 'z')), "language '%s'", l);

	FUZZ_CHECK(p->telegram_id >= 0, "payer.telegram_id %" PRId64,
	    p->telegram_id);
	text_ok(p->name, 200, 1, "payer.name");
	text_ok(p->address_line1, 200, 1, "payer.address.line1");
	text_ok(p->address_line2, 200, 0, "payer.address.line2");
	text_ok(p->city, 100, 1, "payer.address.city");
	text_ok(p->postal_code, 20, 0, "payer.address.postal_code");
	text_ok(p->region, 100, 0, "payer.address.region");
	FUZZ_CHECK(upper_code(p->country, 2), "payer.country '%s'",
	    p->country);
	FUZZ_CHECK(p->is_business == 0 || p->is_business == 1,
	    "is_business %d", p->is_business);
	text_ok(p->vat_number, 64, 0, "payer.vat_number");
	text_ok(p->company_code, 35, 0, "payer.company_code");
	text_ok(p->email, 254, 0, "payer.email");
	FUZZ_CHECK(o->vat_check_status == NULL ? o->vat_check_at == NULL &&
	    o->vat_check_reference == NULL : in_list(o->vat_check_status,
	    statuses), "vat_check.status '%s'", o->vat_check_status);
	FUZZ_CHECK(o->vat_check_at == NULL || timestamp_ok(o->vat_check_at),
	    "vat_check.checked_at '%s'", o->vat_check_at);
	text_ok(o->vat_check_reference, 64, 0, "vat_check.reference");
	FUZZ_CHECK(o->evidence_billing == NULL ||
	    upper_code(o->evidence_billing, 2), "billing_country");
	FUZZ_CHECK(o->evidence_card == NULL || upper_code(o->evidence_card,
	    2), "card_country");
	FUZZ_CHECK(o->evidence_ip == NULL || upper_code(o->evidence_ip, 2),
	    "ip_country");
	FUZZ_CHECK(o->customer_telegram_id >= 0, "customer.telegram_id");
	FUZZ_CHECK(o->customer_telegram_id != 0 || o->customer_username ==
	    NULL, "customer.username without customer.telegram_id");
	text_ok(o->customer_username, 64, 0, "customer.username");

	FUZZ_CHECK(o->nlines >= 1 && o->nlines <= 500, "%zu lines",
	    o->nlines);
	for (size_t i = 0; i < o->nlines; i++) {
		const struct order_line *ln = &o->lines[i];
		__int128 gross, disc;

		FUZZ_CHECK(ln->line_no == (int)i + 1, "line_no %d at %zu",
		    ln->line_no, i);
		FUZZ_CHECK(ln->item != NULL && in_list(ln->item, items),
		    "lines[%zu].item '%s'", i, ln->item);
		text_ok(ln->description, 300, 1, "lines[].description");
		FUZZ_CHECK(ln->period_months >= 0 && ln->period_months <= 120,
		    "period_months %d", ln->period_months);
		FUZZ_CHECK(ln->quantity >= 1 && ln->quantity <= 1000000,
		    "quantity %" PRId64, ln->quantity);
		FUZZ_CHECK(ln->unit_price_minor >= 0, "unit_price_minor %"
		    PRId64, ln->unit_price_minor);
		FUZZ_CHECK(ln->discount_bp >= 0 && ln->discount_bp <= 10000,
		    "discount_bp %" PRId64, ln->discount_bp);
		FUZZ_CHECK(ln->options.sip_accounts >= 0 &&
		    ln->options.sip_accounts <= 10000 &&
		    ln->options.recording_days >= 0 &&
		    ln->options.recording_days <= 3650 &&
		    ln->options.gateway_lines >= 0 &&
		    ln->options.gateway_lines <= 1000, "options out of range");
		/* net = gross - round_half_up(gross * bp / 10000) */
		gross = (__int128)ln->quantity * ln->unit_price_minor;
		disc = (gross * ln->discount_bp + 5000) / 10000;
		net += gross - disc;
		FUZZ_CHECK(gross <= INT64_MAX && 2 * net <= INT64_MAX,
		    "line %zu: amounts past int64 accepted", i);
	}
}

/* ---- the harness ---- */

struct parsed {
	enum gen_rc rc;
	struct gen_err err;
	struct order **v;
	size_t n;
	char (*hash)[65];
};

static void
parse(const char *text, size_t len, struct parsed *r)
{
	memset(r, 0, sizeof(*r));
	r->rc = order_parse_json(text, len, &r->v, &r->n, &r->err);
	if (r->rc != GEN_OK) {
		FUZZ_CHECK(r->rc == GEN_EINPUT && r->err.msg[0] != '\0',
		    "refused with rc %d, message '%s'", r->rc, r->err.msg);
		FUZZ_CHECK(r->v == NULL && r->n == 0, "refused, but %zu "
		    "orders returned", r->n);
		return;
	}
	FUZZ_CHECK(r->v != NULL && r->n >= 1, "accepted, but no orders");
	r->hash = malloc(r->n * sizeof(*r->hash));
	if (r->hash == NULL)
		abort();
	for (size_t i = 0; i < r->n; i++)
		order_content_hash(r->v[i], r->hash[i]);
}

static void
parsed_free(struct parsed *r)
{
	for (size_t i = 0; i < r->n; i++)
		order_free(r->v[i]);
	free(r->v);
	free(r->hash);
}

/* 1 if the first non-blank byte of the JSON text is '['. */
static int
is_array(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r'))
		i++;
	return i < n && p[i] == '[';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parsed a, b, c;
	struct buf out1 = {0}, out2 = {0};
	char h[65];
	int array;

	parse((const char *)data, size, &a);
	parse((const char *)data, size, &b);
	FUZZ_CHECK(a.rc == b.rc && strcmp(a.err.msg, b.err.msg) == 0 &&
	    a.n == b.n, "two parses differ: %d '%s' / %d '%s'", a.rc,
	    a.err.msg, b.rc, b.err.msg);
	if (a.rc != GEN_OK)
		goto out;
	array = is_array(data, size);
	for (size_t i = 0; i < a.n; i++) {
		order_ok(a.v[i]);
		order_content_hash(a.v[i], h);
		FUZZ_CHECK(strcmp(h, a.hash[i]) == 0 && strcmp(h, b.hash[i]) ==
		    0, "order %zu: hash not stable", i);
	}

	/* Round trip through the canonical serialisation. */
	put_orders(&out1, a.v, a.n, array);
	parse(out1.data, out1.len, &c);
	FUZZ_CHECK(c.rc == GEN_OK, "the serialisation of accepted orders is "
	    "refused: %s\n%.*s", c.err.msg, (int)out1.len, out1.data);
	FUZZ_CHECK(c.n == a.n, "%zu orders written, %zu read back", a.n,
	    c.n);
	for (size_t i = 0; i < a.n; i++)
		FUZZ_CHECK(strcmp(a.hash[i], c.hash[i]) == 0, "order %zu: hash "
		    "changes over a round trip:\n%.*s", i, (int)out1.len,
		    out1.data);
	put_orders(&out2, c.v, c.n, array);
	FUZZ_CHECK(out1.len == out2.len && memcmp(out1.data, out2.data,
	    out1.len) == 0, "serialisation is not a fixpoint:\n%.*s\n%.*s",
	    (int)out1.len, out1.data, (int)out2.len, out2.data);
	parsed_free(&c);
out:
	buf_free(&out1);
	buf_free(&out2);
	parsed_free(&a);
	parsed_free(&b);
	return 0;
}
