/*
 * test-issue.c - issuing through the library on a scratch database:
 * number formats, an invoice's amounts, idempotency, and a credit note
 * that reverses exactly what is left (the CLI tests cover the rest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "issue.h"
#include "testlib.h"

static const char *order =
    "{\"order_no\": \"I-1\", \"created_at\": \"2025-08-01T08:00:00Z\","
    " \"paid_at\": \"2025-08-01T09:00:00Z\", \"currency\": \"EUR\","
    " \"payment_method\": \"card\", \"language\": \"en\","
    " \"payer\": {\"name\": \"P\", \"address\": {\"line1\": \"L\","
    "   \"city\": \"C\", \"postal_code\": \"10115\"}, \"country\": \"DE\","
    "   \"is_business\": false, \"evidence\": {\"card_country\": \"DE\"}},"
    " \"lines\": [{\"item\": \"softphone\", \"description\": \"S\","
    "   \"quantity\": 3, \"unit_price_minor\": 50}]}";

int
main(void)
{
	char out[96], dir[] = "/tmp/invgen-test-issue-XXXXXX", db[256];
	char seller[1024];
	struct gen_err err = { 0 };
	struct invgen_options opt = { 0 };
	struct invgen *inv = NULL;
	char *json = NULL;
	size_t stored, unchanged;

	CHECK_INT(issue_format_number("{series}-{seq:6}", "ZLV", 12, out,
	    sizeof(out), &err), GEN_OK);
	CHECK_STR(out, "ZLV-000012");
	CHECK_INT(issue_format_number("{series}/{seq}", "A", 1234567, out,
	    sizeof(out), &err), GEN_OK);
	CHECK_STR(out, "A/1234567");
	CHECK_INT(issue_format_number("INV{seq:3}", "X", 7, out, sizeof(out),
	    &err), GEN_OK);
	CHECK_STR(out, "INV007");
	CHECK_INT(issue_format_number("{series}", "X", 7, out, sizeof(out),
	    &err), GEN_EINPUT);
	CHECK_INT(issue_format_number("{seq:99}", "X", 7, out, sizeof(out),
	    &err), GEN_EINPUT);
	CHECK_INT(issue_format_number("{seq", "X", 7, out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_INT(issue_format_number("{series}-{seq}", "X", 7, out, 3, &err),
	    GEN_EINPUT);

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(db, sizeof(db), "%s/t.db", dir);
	opt.db_path = db;
	opt.out_dir = dir;
	opt.data_dir = ".";
	opt.now = "2025-08-02T10:00:00Z";
	opt.create = 1;
	CHECK_INT(invgen_open(&opt, &inv, &err), GEN_OK);
	snprintf(seller, sizeof(seller), "{\"valid_from\": \"2025-07-09\", "
	    "\"legal_name\": \"S\", \"company_code\": \"1\", \"vat_number\": "
	    "\"LT100018548216\", \"address\": {\"line1\": \"L\", \"city\": \"V\","
	    " \"postal_code\": \"1\", \"country\": \"LT\"}, \"invoice_series\": "
	    "\"A\", \"credit_series\": \"B\", \"transfer_series\": \"C\"}");
	CHECK_INT(invgen_seller_add(inv, seller, strlen(seller), &err), GEN_OK);
	CHECK_INT(invgen_order_add(inv, order, strlen(order), &stored,
	    &unchanged, &err), GEN_OK);
	/* 3 x 0.50 EUR = 1.50 at 19 %: VAT 0.285 rounded once -> 0.29. */
	CHECK_INT(invgen_issue(inv, "I-1", &json, &err), GEN_OK);
	CHECK(json != NULL && strstr(json, "\"number\":\"A-000001\"") != NULL);
	CHECK(json != NULL && strstr(json, "\"vat_minor\":29,") != NULL);
	CHECK(json != NULL && strstr(json, "\"total_minor\":179,") != NULL);
	CHECK(json != NULL && strstr(json, "\"format\":\"pdf\"") != NULL);
	invgen_free(json);
	CHECK_INT(invgen_issue(inv, "I-1", &json, &err), GEN_OK);
	CHECK(json != NULL && strstr(json, "\"existed\":true") != NULL);
	invgen_free(json);
	/* Credit 1.00 (VAT 0.19), then the rest: 0.50 and exactly 0.10. */
	CHECK_INT(invgen_credit(inv, "A-000001", "r", 100, &json, &err), GEN_OK);
	CHECK(json != NULL && strstr(json, "\"vat_minor\":-19,") != NULL);
	invgen_free(json);
	CHECK_INT(invgen_credit(inv, "A-000001", "r", -1, &json, &err), GEN_OK);
	CHECK(json != NULL && strstr(json, "\"net_minor\":-50,") != NULL);
	CHECK(json != NULL && strstr(json, "\"vat_minor\":-10,") != NULL);
	invgen_free(json);
	CHECK_INT(invgen_credit(inv, "A-000001", "r", -1, &json, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "already fully credited");
	invgen_close(inv);
	snprintf(db, sizeof(db), "rm -rf %s", dir);
	return system(db) == 0 ? test_report() : 1;
}
