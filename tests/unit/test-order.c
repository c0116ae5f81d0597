/*
 * test-order.c - the order importer: a valid order in the documented
 * shape, content hashing independent of key order and spacing, and one
 * refusal per kind of bad input, each naming the field and what is
 * allowed.
 */
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "testlib.h"

static const char *good =
    "{\"order_no\": \"A-1001\", \"created_at\": \"2025-08-14T10:22:00Z\","
    " \"paid_at\": \"2025-08-14T12:25:00+02:00\", \"currency\": \"EUR\","
    " \"payment_method\": \"card\", \"language\": \"lt\","
    " \"payer\": {\"telegram_id\": 1001, \"name\": \"UAB Pavyzdys\","
    "   \"address\": {\"line1\": \"Gedimino pr. 1\", \"line2\": null,"
    "     \"city\": \"Vilnius\", \"postal_code\": \"01103\", \"region\": null},"
    "   \"country\": \"LT\", \"is_business\": true,"
    "   \"vat_number\": \"LT100001738313\","
    "   \"vat_check\": {\"status\": \"valid\","
    "     \"checked_at\": \"2025-08-14T10:21:00Z\", \"reference\": \"WAPI1\"},"
    "   \"evidence\": {\"billing_country\": \"LT\", \"card_country\": \"LT\","
    "     \"ip_country\": \"LT\"}},"
    " \"customer\": {\"telegram_id\": 2002, \"username\": \"@petras\"},"
    " \"lines\": [{\"item\": \"softphone\", \"description\": "
    "   \"Softphone subscription\", \"period_months\": 12, \"quantity\": 1,"
    "   \"unit_price_minor\": 12000, \"discount_percent\": 12.5,"
    "   \"options\": {\"sip_accounts\": 3, \"call_recording_days\": 30}}]}";

/* good with one substring replaced */
static char *
with(const char *from, const char *to)
{
	const char *at = strstr(good, from);
	size_t n = strlen(good) - strlen(from) + strlen(to) + 1;
	char *s = malloc(n);

	if (at == NULL) {
		fprintf(stderr, "fixture lacks %s\n", from);
		exit(2);
	}
	snprintf(s, n, "%.*s%s%s", (int)(at - good), good, to,
	    at + strlen(from));
	return s;
}

static void
refused(const char *from, const char *to, const char *fragment)
{
	char *s = with(from, to);
	struct order **o = NULL;
	size_t n = 99;
	struct gen_err err = { 0 };

	CHECK_INT(order_parse_json(s, strlen(s), &o, &n, &err), GEN_EINPUT);
	CHECK(o == NULL && n == 0);
	CHECK_MSG(err, fragment);
	for (size_t i = 0; o != NULL && i < n; i++)
		order_free(o[i]);
	free(o);
	free(s);
}

static void
accepted(const char *from, const char *to)
{
	char *s = with(from, to);
	struct order **o = NULL;
	size_t n = 0;
	struct gen_err err = { 0 };

	CHECK_INT(order_parse_json(s, strlen(s), &o, &n, &err), GEN_OK);
	if (err.msg[0])
		fprintf(stderr, "  unexpected: %s\n", err.msg);
	for (size_t i = 0; i < n; i++)
		order_free(o[i]);
	free(o);
	free(s);
}

/*
 * An order as stored, changed as the bot might with SQL, is checked by
 * the rules of order add and refused naming the stored column.
 */
static void
test_check_stored(void)
{
	struct order **o = NULL, *x;
	size_t n = 0;
	struct gen_err err = { 0 };
	char *keep;

	CHECK_INT(order_parse_json(good, strlen(good), &o, &n, &err), GEN_OK);
	x = o[0];
	/* an order that came through order add passes as it is */
	CHECK_INT(order_check_stored(x, &err), GEN_OK);
	/* a bidi override and a newline in the payer's name */
	keep = x->payer.name;
	x->payer.name = "\xE2\x80\xAE evil \n x";
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "payer.name of order A-1001: bidirectional control "
	    "character U+202E");
	x->payer.name = keep;
	/* an empty description: the rule, not a database constraint */
	keep = x->lines[0].description;
	x->lines[0].description = "";
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "order_line.description of order A-1001, line 1: 0 "
	    "characters; allowed 1 to 300");
	x->lines[0].description = keep;
	/* columns that map to other names */
	keep = x->payer.city;
	x->payer.city = "";
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "payer.city of order A-1001:");
	x->payer.city = keep;
	x->lines[0].discount_bp = 10001;
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "order_line.discount_bp of order A-1001, line 1:");
	x->lines[0].discount_bp = 1250;
	memcpy(x->currency, "XXX", 4);
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "orders.currency of order A-1001: 'XXX'");
	memcpy(x->currency, "EUR", 4);
	x->lines[0].quantity = 0;
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "order_line.quantity of order A-1001, line 1:");
	x->lines[0].quantity = 1;
	x->lines[0].unit_price_minor = 6000000000000LL;
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "order_line of order A-1001, line 1: the order's net "
	    "amount");
	x->lines[0].unit_price_minor = 12000;
	x->lines[0].line_no = 2;
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "order_line.line_no of order A-1001");
	x->lines[0].line_no = 1;
	/* the VIES answer: from orders, or from a vat_check row */
	keep = x->vat_check_status;
	x->vat_check_status = "maybe";
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "orders.vat_check_status of order A-1001:");
	x->vat_check_id = 7;
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "vat_check.status of order A-1001 (vat_check row 7):");
	x->vat_check_status = keep;
	x->vat_check_id = 0;
	/* a customer without telegram_id, as order add refuses it */
	x->customer_telegram_id = 0;
	CHECK_INT(order_check_stored(x, &err), GEN_EINPUT);
	CHECK_MSG(err, "orders.customer_telegram_id of order A-1001:");
	x->customer_telegram_id = 2002;
	CHECK_INT(order_check_stored(x, &err), GEN_OK);
	order_free(x);
	free(o);
}

int
main(void)
{
	struct order **o = NULL;
	size_t n = 0;
	struct gen_err err = { 0 };
	char h1[65], h2[65];
	char *s;

	CHECK_INT(order_parse_json(good, strlen(good), &o, &n, &err), GEN_OK);
	CHECK_INT(n, 1);
	CHECK_STR(o[0]->order_no, "A-1001");
	CHECK_STR(o[0]->paid_at, "2025-08-14T10:25:00Z");	/* to UTC */
	CHECK_STR(o[0]->currency, "EUR");
	CHECK_STR(o[0]->payer.country, "LT");
	CHECK_INT(o[0]->payer.is_business, 1);
	CHECK(o[0]->payer.address_line2 == NULL);
	CHECK_STR(o[0]->vat_check_status, "valid");
	CHECK_STR(o[0]->evidence_card, "LT");
	CHECK_INT(o[0]->customer_telegram_id, 2002);
	CHECK_INT(o[0]->nlines, 1);
	CHECK_INT(o[0]->lines[0].discount_bp, 1250);
	CHECK_INT(o[0]->lines[0].period_months, 12);
	CHECK_INT(o[0]->lines[0].options.sip_accounts, 3);
	CHECK_INT(o[0]->lines[0].options.recording_days, 30);
	CHECK_INT(o[0]->lines[0].options.gateway_lines, 0);
	order_content_hash(o[0], h1);
	order_free(o[0]);
	free(o);

	/* Same content, other key order and spacing: same hash. */
	s = with("\"currency\": \"EUR\", \"payment_method\": \"card\",",
	    "\"payment_method\":\"card\",   \"currency\":\"EUR\",");
	CHECK_INT(order_parse_json(s, strlen(s), &o, &n, &err), GEN_OK);
	order_content_hash(o[0], h2);
	CHECK_STR(h1, h2);
	order_free(o[0]);
	free(o);
	free(s);
	/* Different content: different hash. */
	s = with("\"quantity\": 1", "\"quantity\": 2");
	CHECK_INT(order_parse_json(s, strlen(s), &o, &n, &err), GEN_OK);
	order_content_hash(o[0], h2);
	CHECK(strcmp(h1, h2) != 0);
	order_free(o[0]);
	free(o);
	free(s);

	/* An array: all or none. */
	{
		size_t len = strlen(good) * 2 + 8;
		char *arr = malloc(len);
		char *second = with("A-1001", "A-1002");

		snprintf(arr, len, "[%s,%s]", good, second);
		CHECK_INT(order_parse_json(arr, strlen(arr), &o, &n, &err),
		    GEN_OK);
		CHECK_INT(n, 2);
		CHECK_STR(o[1]->order_no, "A-1002");
		order_free(o[0]);
		order_free(o[1]);
		free(o);
		snprintf(arr, len, "[%s,%s]", good, good);
		CHECK_INT(order_parse_json(arr, strlen(arr), &o, &n, &err),
		    GEN_EINPUT);
		CHECK_MSG(err, "[1].order_no: 'A-1001' appears twice");
		snprintf(arr, len, "[%s, 5]", second);
		CHECK_INT(order_parse_json(arr, strlen(arr), &o, &n, &err),
		    GEN_EINPUT);
		CHECK_MSG(err, "[1]: must be an object");
		CHECK_INT(order_parse_json("[]", 2, &o, &n, &err), GEN_EINPUT);
		CHECK_MSG(err, "1 to 10000 orders");
		free(arr);
		free(second);
	}

	/* Each refusal names the field and what is allowed. */
	refused("\"order_no\": \"A-1001\", ", "", "order_no: missing");
	refused("\"A-1001\"", "\"../../etc/x\"", "order_no: '../../etc/x' is "
	    "not allowed");
	refused("\"A-1001\"", "\"A 1001\"", "order_no");
	refused("\"A-1001\"", "1001", "order_no: must be a string");
	refused("\"2025-08-14T10:22:00Z\"", "\"2025-02-30T10:22:00Z\"",
	    "created_at: '2025-02-30T10:22:00Z' is not a valid timestamp");
	refused("\"2025-08-14T12:25:00+02:00\"", "\"2025-08-14T09:00:00Z\"",
	    "paid_at: 2025-08-14T09:00:00Z is before created_at");
	refused("\"EUR\"", "\"XXY\"", "currency: 'XXY' is not an active ISO "
	    "4217");
	refused("\"EUR\"", "\"eur\"", "currency");
	refused("\"card\"", "\"cash\"", "payment_method: 'cash' is not allowed; "
	    "allowed: card, paypal, crypto, bank_transfer, balance");
	refused("\"lt\"", "\"lithuanian\"", "language");
	refused("\"country\": \"LT\"", "\"country\": \"XX\"",
	    "payer.country: 'XX' is not an ISO 3166-1 alpha-2");
	refused("\"country\": \"LT\"", "\"country\": \"lt\"", "payer.country");
	refused("\"is_business\": true", "\"is_business\": \"yes\"",
	    "payer.is_business: must be true or false");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"\"",
	    "payer.name: 0 characters; allowed 1 to 200");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"   \"",
	    "payer.name: must not be blank");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"UAB\\u0000X\"",
	    "payer.name: control character U+0000");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"UAB\\u0007X\"",
	    "control character U+0007");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"UAB\\u202eX\"",
	    "bidirectional control character U+202E");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"UAB\\u200bX\"",
	    "invisible character U+200B");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"UAB \xff\"",
	    "JSON: invalid UTF-8");
	refused("\"name\": \"UAB Pavyzdys\"", "\"name\": \"UAB \xc0\xaf\"",
	    "JSON: ");
	refused("\"city\": \"Vilnius\"", "\"town\": \"Vilnius\"",
	    "payer.address.town: unknown field; allowed: line1, line2, city, "
	    "postal_code, region");
	refused("\"line1\": \"Gedimino pr. 1\",", "",
	    "payer.address.line1: missing");
	refused("\"quantity\": 1", "\"quantity\": -1",
	    "lines[0].quantity: must be an integer between 1 and 1000000");
	refused("\"quantity\": 1", "\"quantity\": 0", "lines[0].quantity");
	refused("\"quantity\": 1", "\"quantity\": 1.5", "lines[0].quantity");
	refused("\"quantity\": 1", "\"quantity\": \"1\"", "lines[0].quantity");
	refused("\"unit_price_minor\": 12000", "\"unit_price_minor\": -5",
	    "lines[0].unit_price_minor");
	refused("\"unit_price_minor\": 12000",
	    "\"unit_price_minor\": 9223372036854775808", "lines[0].unit_price_minor");
	refused("\"unit_price_minor\": 12000",
	    "\"unit_price_minor\": 9223372036854775807", "overflows");
	refused("\"unit_price_minor\": 12000",
	    "\"unit_price_minor\": 5000000000001", "over the allowed maximum "
	    "of 5000000000000 minor units");
	accepted("\"unit_price_minor\": 12000",
	    "\"unit_price_minor\": 5000000000000");
	refused("\"discount_percent\": 12.5", "\"discount_percent\": 101",
	    "lines[0].discount_percent: must be a number from 0 to 100");
	refused("\"discount_percent\": 12.5", "\"discount_percent\": -1",
	    "discount_percent");
	refused("\"discount_percent\": 12.5", "\"discount_percent\": 12.555",
	    "at most 2 decimals");
	refused("\"item\": \"softphone\"", "\"item\": \"phone\"",
	    "lines[0].item: 'phone' is not allowed; allowed: softphone, gateway, "
	    "option, topup");
	refused("\"period_months\": 12", "\"period_months\": 0",
	    "lines[0].period_months");
	refused("\"sip_accounts\": 3", "\"sip_accounts\": 0",
	    "lines[0].options.sip_accounts");
	refused("\"sip_accounts\": 3", "\"sip_acounts\": 3",
	    "lines[0].options.sip_acounts: unknown field");
	refused("\"status\": \"valid\"", "\"status\": \"ok\"",
	    "payer.vat_check.status: 'ok' is not allowed");
	refused("\"ip_country\": \"LT\"", "\"ip_country\": \"Lithuania\"",
	    "payer.evidence.ip_country");
	{
		const char *at = strstr(good, "\"lines\": [");
		char buf[4096];

		snprintf(buf, sizeof(buf), "%.*s\"lines\": []}",
		    (int)(at - good), good);
		CHECK_INT(order_parse_json(buf, strlen(buf), &o, &n, &err),
		    GEN_EINPUT);
		CHECK_MSG(err, "lines: must be an array of 1 to 500 lines");
	}
	refused("\"customer\": {\"telegram_id\": 2002,",
	    "\"customer\": {\"telegram_id\": -3,", "customer.telegram_id");
	refused("{\"order_no\"", "{\"extra\": 1, \"order_no\"",
	    "extra: unknown field; allowed: order_no");
	refused("\"description\":    \"Softphone subscription\"",
	    "\"description\": 5", "lines[0].description: must be a string");
	/* over the documented lengths */
	{
		char big[1200] = "\"name\": \"";
		size_t l = strlen(big);

		memset(big + l, 'x', 201);
		strcpy(big + l + 201, "\"");
		refused("\"name\": \"UAB Pavyzdys\"", big,
		    "payer.name: 201 characters; allowed 1 to 200");
	}
	/* accepted variants */
	accepted("\"paid_at\": \"2025-08-14T12:25:00+02:00\"", "\"paid_at\": null");
	accepted("\"customer\": {\"telegram_id\": 2002, \"username\": \"@petras\"},",
	    "");
	accepted("\"name\": \"UAB Pavyzdys\"",
	    "\"name\": \"Müller & Söhne <GmbH> \\\"quoted\\\"\"");
	accepted("\"name\": \"UAB Pavyzdys\"", "\"name\": \"محمد علي\"");
	accepted("\"name\": \"UAB Pavyzdys\"", "\"name\": \"Иван\\u200dов\"");
	accepted("\"currency\": \"EUR\"", "\"currency\": \"JPY\"");
	accepted("\"language\": \"lt\"", "\"language\": \"lt-en\"");
	accepted("\"discount_percent\": 12.5", "\"discount_percent\": 100");
	/* Not JSON at all. */
	CHECK_INT(order_parse_json("{", 1, &o, &n, &err), GEN_EINPUT);
	CHECK_MSG(err, "JSON: ");
	CHECK_INT(order_parse_json("", 0, &o, &n, &err), GEN_EINPUT);
	test_check_stored();
	return test_report();
}
