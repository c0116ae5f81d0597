/*
 * test-batch.c - the pure helpers of the batch module: option lists,
 * shards, safe file names, stray temporary names, CSV fields.  The engine
 * itself is tested end to end by tests/cli/t0110-batch.sh.
 */
#include <string.h>

#include "batch.h"
#include "model.h"
#include "testlib.h"

static void
test_kinds(void)
{
	struct gen_err err = { 0 };
	unsigned m;

	CHECK_INT(batch_parse_kinds(NULL, &m, &err), GEN_OK);
	CHECK_INT(m, 1u << DOC_INVOICE | 1u << DOC_CREDIT_NOTE |
	    1u << DOC_TRANSFER_ORDER | 1u << DOC_PREPAYMENT_RECEIPT |
	    1u << DOC_BALANCE_USE);
	CHECK_INT(batch_parse_kinds("prepayment_receipt,balance_use", &m,
	    &err), GEN_OK);
	CHECK_INT(m, 1u << DOC_PREPAYMENT_RECEIPT | 1u << DOC_BALANCE_USE);
	CHECK_INT(batch_parse_kinds("credit_note", &m, &err), GEN_OK);
	CHECK_INT(m, 1u << DOC_CREDIT_NOTE);
	/* one spelling: the stored name, and no other */
	CHECK_INT(batch_parse_kinds("credit-note", &m, &err), GEN_EUSAGE);
	CHECK_STR(err.field, "kind");
	CHECK_INT(batch_parse_kinds("credit", &m, &err), GEN_EUSAGE);
	CHECK_INT(batch_parse_kinds("invoice,transfer_order", &m, &err),
	    GEN_OK);
	CHECK_INT(m, 1u << DOC_INVOICE | 1u << DOC_TRANSFER_ORDER);
	CHECK_INT(batch_parse_kinds("invoice,receipt", &m, &err), GEN_EUSAGE);
	CHECK_MSG(err, "kind: 'receipt' is not allowed; allowed: invoice, "
	    "credit_note, transfer_order, prepayment_receipt, balance_use");
	CHECK_INT(batch_parse_kinds("invoice,", &m, &err), GEN_EUSAGE);
	CHECK_MSG(err, "kind: 'invoice,' is not a list of names");
	CHECK_INT(batch_parse_kinds("", &m, &err), GEN_EUSAGE);
}

static void
test_formats(void)
{
	struct gen_err err = { 0 };
	unsigned m;

	CHECK_INT(batch_parse_formats(NULL, &m, &err), GEN_OK);
	CHECK_INT(m, 1u << BATCH_PDF);
	CHECK_INT(batch_parse_formats("cii,pdf,ubl,facturx", &m, &err),
	    GEN_OK);
	CHECK_INT(m, 15);
	CHECK_STR(batch_format_name(BATCH_FACTURX), "facturx");
	CHECK_INT(batch_parse_formats("PDF", &m, &err), GEN_EINPUT);
	CHECK_MSG(err, "formats: 'PDF' is not allowed; allowed: pdf, ubl, "
	    "cii, facturx");
	CHECK_INT(batch_parse_formats("pdf,,ubl", &m, &err), GEN_EINPUT);
}

static void
test_shard(void)
{
	struct gen_err err = { 0 };
	unsigned k, n;

	CHECK_INT(batch_parse_shard(NULL, &k, &n, &err), GEN_OK);
	CHECK(k == 1 && n == 1);
	CHECK_INT(batch_parse_shard("2/8", &k, &n, &err), GEN_OK);
	CHECK(k == 2 && n == 8);
	CHECK_INT(batch_parse_shard("1000000/1000000", &k, &n, &err), GEN_OK);
	static const char *const bad[] = { "0/2", "3/2", "1/0", "1/", "/2",
		"2", "1/2x", "-1/2", "1/1000001", "a/b", "1/2/3", "" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(batch_parse_shard(bad[i], &k, &n, &err), GEN_EINPUT);
		CHECK_MSG(err, "allowed: K/N with 1 <= K <= N <= 1000000");
	}
}

static void
test_names(void)
{
	static const char *const good[] = { "ZLV-000001", "A_1", "INV2025.7",
		"Sąskaita-1", "請求-0001", "X" };
	static const char *const bad[] = { "", ".", "..", "../x", "a/b",
		"a\\b", ".hidden", "x.", " x", "x ", "a:b", "a*b", "a?b",
		"a\"b", "a<b", "a>b", "a|b", "a\tb", "a\x7f", "\xc2\x85",
		"\xc3", "\xe0\x80\x80", "\xed\xa0\x80", "\xff" };
	char longname[130];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(batch_name_ok(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(!batch_name_ok(bad[i]));
	memset(longname, 'A', sizeof(longname) - 1);
	longname[120] = '\0';
	CHECK(batch_name_ok(longname));
	longname[120] = 'A';
	longname[121] = '\0';
	CHECK(!batch_name_ok(longname));
}

static void
test_strays(void)
{
	CHECK(batch_is_stray("ZLV-000001.pdf.tmp.AbC123"));
	CHECK(batch_is_stray("ZLV-000001.ubl.xml.tmp.000000"));
	CHECK(batch_is_stray("manifest.csv.tmp.zzzzzz"));
	CHECK(batch_is_stray("manifest-1-of-2.csv.tmp.q1w2e3"));
	CHECK(!batch_is_stray("ZLV-000001.pdf"));
	CHECK(!batch_is_stray("notes.tmp.AbC123"));
	CHECK(!batch_is_stray("ZLV-000001.pdf.tmp.AbC12"));
	CHECK(!batch_is_stray("ZLV-000001.pdf.tmp.AbC1234"));
	CHECK(!batch_is_stray("ZLV-000001.pdf.tmp.AbC-23"));
	CHECK(!batch_is_stray(".pdf.tmp.AbC123"));
	CHECK(!batch_is_stray(".invgen-batch.lock"));
}

static void
test_csv(void)
{
	struct buf b = { 0 };

	batch_csv_field(&b, "plain");
	buf_putc(&b, '|');
	batch_csv_field(&b, "a,b");
	buf_putc(&b, '|');
	batch_csv_field(&b, "say \"hi\"");
	buf_putc(&b, '|');
	batch_csv_field(&b, "two\nlines");
	buf_putc(&b, '|');
	batch_csv_field(&b, NULL);
	buf_putc(&b, '|');
	batch_csv_field(&b, "UAB „Šviesos tinklai“");
	buf_putc(&b, '|');
	batch_csv_field(&b, "=HYPERLINK(\"x\")");	/* CSV injection */
	buf_putc(&b, '|');
	batch_csv_field(&b, "@SUM(1)");
	buf_putc(&b, '\0');
	CHECK_STR(b.data, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"||"
	    "UAB „Šviesos tinklai“|\"'=HYPERLINK(\"\"x\"\")\"|\"'@SUM(1)\"");
	buf_free(&b);
}

int
main(void)
{
	test_kinds();
	test_formats();
	test_shard();
	test_names();
	test_strays();
	test_csv();
	return test_report();
}
