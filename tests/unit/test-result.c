/*
 * test-result.c - the typed results (gen/app/result.c): a document's
 * accessors give what its JSON holds, the JSON read back (as a served
 * call's answer is) gives the same result member for member, a JSON that
 * is not a document of ours is refused naming the member, the lists,
 * bookings and files write valid JSON, and accessors take NULL.
 */
#include <string.h>

#include "docfixture.h"
#include "json.h"
#include "result.h"
#include "testlib.h"

/* 1 if text is one JSON value the parser takes. */
static int
parses(const char *text)
{
	struct json *root = NULL;
	struct gen_err err = { 0 };
	int ok = text != NULL && json_parse(text, strlen(text), 1 << 24,
	    &root, &err) == GEN_OK;

	json_free(root);
	return ok;
}

/* Every accessor of a and b gives the same. */
static void
same(const struct invgen_doc *a, const struct invgen_doc *b)
{
	CHECK_STR(invgen_doc_number(a), invgen_doc_number(b));
	CHECK_STR(invgen_doc_kind(a), invgen_doc_kind(b));
	CHECK_STR(invgen_doc_order_no(a), invgen_doc_order_no(b));
	CHECK_STR(invgen_doc_issue_date(a), invgen_doc_issue_date(b));
	CHECK_STR(invgen_doc_due_date(a), invgen_doc_due_date(b));
	CHECK_STR(invgen_doc_total(a), invgen_doc_total(b));
	CHECK_STR(invgen_doc_reference(a), invgen_doc_reference(b));
	CHECK_STR(invgen_doc_amount(a), invgen_doc_amount(b));
	CHECK_STR(invgen_doc_path(a), invgen_doc_path(b));
	CHECK(invgen_doc_total_minor(a) == invgen_doc_total_minor(b));
	CHECK(invgen_doc_existed(a) == invgen_doc_existed(b));
	CHECK(invgen_doc_missing_glyphs(a) == invgen_doc_missing_glyphs(b));
}

static void
test_document(void)
{
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	struct docjson_file f = { "pdf", "docs/ZLV-000012.pdf",
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		1234 };
	struct text_warnings warn = { 0 };
	struct invgen_doc *doc = NULL, *back = NULL;
	struct gen_err err = { 0 };
	uint32_t cp = 0xE000;
	char *json;

	warn.missing = &cp;
	warn.n = 1;
	CHECK_INT(result_doc_new(d, &f, 1, 1, NULL, &warn, &doc, &err), GEN_OK);
	CHECK_STR(invgen_doc_number(doc), d->number);
	CHECK_STR(invgen_doc_kind(doc), "invoice");
	CHECK(invgen_doc_total_minor(doc) == d->total_minor);
	CHECK(invgen_doc_vat_minor(doc) == d->vat_minor);
	CHECK_STR(invgen_doc_treatment(doc), "LT_STANDARD");
	CHECK_STR(invgen_doc_path(doc), "docs/ZLV-000012.pdf");
	CHECK_STR(invgen_doc_sha256(doc), f.sha256);
	CHECK(invgen_doc_existed(doc) == 1);
	CHECK(invgen_doc_missing_glyphs(doc) == 1);
	CHECK(invgen_doc_missing_glyph(doc, 0) == 0xE000);
	CHECK(invgen_doc_missing_glyph(doc, 1) == 0);
	CHECK(invgen_doc_reference(doc) == NULL);
	CHECK(invgen_doc_amount(doc) == NULL);
	/* What a served call receives reads back to the same result. */
	json = invgen_doc_json(doc);
	CHECK(parses(json));
	CHECK_INT(result_doc_parse(json, strlen(json), &back, &err), GEN_OK);
	same(doc, back);
	invgen_free(json);
	invgen_doc_free(back);
	invgen_doc_free(doc);
	/* A stored document shown: no "existed", no files. */
	CHECK_INT(result_doc_new(d, NULL, 0, -1, NULL, NULL, &doc, &err),
	    GEN_OK);
	json = invgen_doc_json(doc);
	CHECK(json != NULL && strstr(json, "\"existed\"") == NULL);
	CHECK(json != NULL && strstr(json, "\"files\"") == NULL);
	CHECK(invgen_doc_existed(doc) == 0);
	CHECK(invgen_doc_path(doc) == NULL);
	invgen_free(json);
	invgen_doc_free(doc);
	document_free(d);

	/* A payment order: its reference and its amount for people. */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "lt");
	CHECK_INT(result_doc_new(d, &f, 1, 0, "130,68 €", NULL, &doc, &err),
	    GEN_OK);
	CHECK_STR(invgen_doc_kind(doc), "transfer_order");
	CHECK_STR(invgen_doc_amount(doc), "130,68 €");
	CHECK(invgen_doc_reference(doc) != NULL &&
	    strncmp(invgen_doc_reference(doc), "RF", 2) == 0);
	CHECK(invgen_doc_due_date(doc) != NULL);
	invgen_doc_free(doc);
	document_free(d);
}

static void
test_refused(void)
{
	static const char *const bad[] = {
		"[]",
		"{\"kind\":\"invoice\"}",
		"{\"number\":1,\"kind\":\"invoice\"}",
		"not json",
	};
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "en");
	struct invgen_doc *doc = NULL;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	char *s;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(result_doc_parse(bad[i], strlen(bad[i]), &doc, &err),
		    GEN_EINPUT);
		CHECK(doc == NULL);
	}
	/* A document whose total_minor is text, or whose missing glyphs are
	 * not code points, names the member. */
	docjson_write(d, NULL, 0, -1, NULL, NULL, &b);
	s = strstr(b.data, "\"total_minor\":");
	CHECK(s != NULL);
	if (s != NULL) {
		memcpy(s + 14, "\"", 1);
		CHECK_INT(result_doc_parse(b.data, b.len, &doc, &err),
		    GEN_EINPUT);
	}
	buf_free(&b);
	document_free(d);
	s = "{\"number\":\"A\",\"kind\":\"invoice\",\"series\":\"A\","
	    "\"issue_date\":\"x\",\"tax_point_date\":\"x\",\"currency\":"
	    "\"EUR\",\"net\":\"1\",\"vat\":\"0\",\"total\":\"1\","
	    "\"treatment\":\"X\",\"net_minor\":1,\"vat_minor\":0,"
	    "\"total_minor\":1,\"missing_glyphs\":[\"E000\"]}";
	CHECK_INT(result_doc_parse(s, strlen(s), &doc, &err), GEN_EINPUT);
	CHECK_MSG(err, "missing_glyphs[0]");
}

static void
test_others(void)
{
	struct document *d = fx_document(TAX_OSS_DESTINATION, "USD", "en");
	struct invgen_docs *s = result_docs_new();
	struct invgen_doc *a = NULL, *b = NULL;
	struct payment_booking bk;
	struct invgen_payment *p;
	struct invgen_file *f;
	struct gen_err err = { 0 };
	char *json;

	CHECK_INT(result_doc_new(d, NULL, 0, 0, NULL, NULL, &a, &err), GEN_OK);
	CHECK_INT(result_doc_new(d, NULL, 0, 0, NULL, NULL, &b, &err), GEN_OK);
	result_docs_add(s, a);
	CHECK(invgen_docs_count(s) == 1);
	CHECK(invgen_docs_get(s, 0) == a && invgen_docs_get(s, 1) == NULL);
	json = invgen_docs_json(s);
	CHECK(parses(json) && strncmp(json, "{\"documents\":[{", 15) == 0);
	invgen_free(json);
	invgen_docs_free(s);

	memset(&bk, 0, sizeof(bk));
	snprintf(bk.reference, sizeof(bk.reference), "RF04T1");
	bk.order_no = "T-1";
	bk.paid_document = "ZLVM-000001";
	bk.paid_minor = 100;
	p = result_payment_new(&bk, b);
	CHECK_STR(invgen_payment_payment_order(p), "ZLVM-000001");
	CHECK(invgen_payment_invoice(p) == b);
	json = invgen_payment_json(p);
	CHECK(parses(json));
	invgen_free(json);
	invgen_payment_free(p);
	document_free(d);

	f = result_file_new("A\"1", "ubl", "x/A\"1.ubl.xml", "ab", 7);
	json = invgen_file_json(f);
	CHECK(parses(json));
	CHECK_STR(json, "{\"number\":\"A\\\"1\",\"format\":\"ubl\",\"path\":"
	    "\"x/A\\\"1.ubl.xml\",\"sha256\":\"ab\",\"size\":7}");
	invgen_free(json);
	invgen_file_free(f);

	/* NULL in, NULL or 0 out. */
	CHECK(invgen_doc_number(NULL) == NULL);
	CHECK(invgen_doc_total_minor(NULL) == 0);
	CHECK(invgen_doc_json(NULL) == NULL);
	CHECK(invgen_docs_count(NULL) == 0);
	CHECK(invgen_payment_invoice(NULL) == NULL);
	CHECK(invgen_file_path(NULL) == NULL);
	invgen_doc_free(NULL);
	invgen_docs_free(NULL);
	invgen_payment_free(NULL);
	invgen_file_free(NULL);
}

int
main(void)
{
	test_document();
	test_refused();
	test_others();
	return test_report();
}
