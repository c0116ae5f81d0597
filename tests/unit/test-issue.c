/*
 * test-issue.c - issuing through the library on a scratch database:
 * number formats, an invoice's amounts, idempotency, a credit note that
 * reverses exactly what is left, and the check of an invoice against the
 * payment order it pays (the CLI tests cover the rest).
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

/*
 * An invoice pays its payment order: the same currency, lines and net;
 * the VAT may differ (decided at the tax point), the goods may not.
 */
static void
test_check_pays(void)
{
	struct doc_line pl = { 1, "softphone", "S", 12, 1, 12000, 0, 12000, 0,
		12000, "S", 2100, { 0, 0, 0 } };
	struct doc_line il = pl;
	struct document po = { 0 }, inv = { 0 };
	struct gen_err err = { 0 };

	po.number = "ZLVM-000001";
	po.order_no = inv.order_no = "T-1";
	memcpy(po.currency, "EUR", 4);
	memcpy(inv.currency, "EUR", 4);
	po.currency_digits = inv.currency_digits = 2;
	po.lines = &pl;
	inv.lines = &il;
	po.nlines = inv.nlines = 1;
	po.net_minor = inv.net_minor = 12000;
	po.total_minor = 14520;
	inv.total_minor = 12000;	/* reverse charge at the tax point */
	CHECK_INT(issue_check_pays(&po, &inv, &err), GEN_OK);
	memcpy(inv.currency, "JPY", 4);
	CHECK_INT(issue_check_pays(&po, &inv, &err), GEN_ECONFLICT);
	CHECK_MSG(err, "currency: the invoice of order T-1 would be in JPY, "
	    "but payment order ZLVM-000001 asked for EUR");
	memcpy(inv.currency, "EUR", 4);
	il.unit_price_minor = 100;
	il.net_minor = 100;
	inv.net_minor = 100;
	CHECK_INT(issue_check_pays(&po, &inv, &err), GEN_ECONFLICT);
	CHECK_MSG(err, "line 1 of the invoice of order T-1 differs from line 1 "
	    "of payment order ZLVM-000001");
	il = pl;
	il.description = "S2";
	inv.net_minor = 12000;
	CHECK_INT(issue_check_pays(&po, &inv, &err), GEN_ECONFLICT);
	il = pl;
	inv.nlines = 0;
	CHECK_INT(issue_check_pays(&po, &inv, &err), GEN_ECONFLICT);
	CHECK_MSG(err, "would have 0 lines, payment order ZLVM-000001 has 1");
	inv.nlines = 1;
	inv.net_minor = 11999;
	CHECK_INT(issue_check_pays(&po, &inv, &err), GEN_ECONFLICT);
	CHECK_MSG(err, "would be 119.99 EUR net, payment order ZLVM-000001 is "
	    "120.00 EUR");
}

int
main(void)
{
	char out[96], dir[] = "/tmp/invgen-test-issue-XXXXXX", db[256];
	char seller[1024];
	struct gen_err err = { 0 };
	struct invgen_options opt = { 0 };
	struct invgen *inv = NULL;
	struct invgen_doc *doc = NULL;
	size_t stored, unchanged;

	test_check_pays();

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
	CHECK_INT(invgen_seller_add(inv, seller, strlen(seller), NULL, &err), GEN_OK);
	CHECK_INT(invgen_order_add(inv, order, strlen(order), &stored,
	    &unchanged, &err), GEN_OK);
	/* 3 x 0.50 EUR = 1.50 at 19 %: VAT 0.285 rounded once -> 0.29. */
	CHECK_INT(invgen_issue(inv, "I-1", &doc, &err), GEN_OK);
	CHECK_STR(invgen_doc_number(doc), "A-000001");
	CHECK_STR(invgen_doc_kind(doc), "invoice");
	CHECK(invgen_doc_vat_minor(doc) == 29);
	CHECK(invgen_doc_total_minor(doc) == 179);
	CHECK_STR(invgen_doc_total(doc), "1.79");
	CHECK(invgen_doc_path(doc) != NULL && invgen_doc_sha256(doc) != NULL);
	CHECK(!invgen_doc_existed(doc));
	invgen_doc_free(doc);
	CHECK_INT(invgen_issue(inv, "I-1", &doc, &err), GEN_OK);
	CHECK(invgen_doc_existed(doc));
	invgen_doc_free(doc);
	/* Credit 1.00 (VAT 0.19), then the rest: 0.50 and exactly 0.10. */
	CHECK_INT(invgen_credit(inv, "A-000001", "r", 100, &doc, &err), GEN_OK);
	CHECK(invgen_doc_vat_minor(doc) == -19);
	CHECK_STR(invgen_doc_kind(doc), "credit_note");
	invgen_doc_free(doc);
	CHECK_INT(invgen_credit(inv, "A-000001", "r", -1, &doc, &err), GEN_OK);
	CHECK(invgen_doc_net_minor(doc) == -50);
	CHECK(invgen_doc_vat_minor(doc) == -10);
	invgen_doc_free(doc);
	CHECK_INT(invgen_credit(inv, "A-000001", "r", -1, &doc, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "already fully credited");
	invgen_close(inv);
	snprintf(db, sizeof(db), "rm -rf %s", dir);
	return system(db) == 0 ? test_report() : 1;
}
