/*
 * test-payment.c - reading bank statements (payment_csv_parse): the
 * header in any order, a byte order mark, quotes and CR LF, amounts in
 * the currency's digits, exponent notation and unknown currencies kept
 * as refused lines, and a malformed statement refused whole.  Booking is
 * tested from the command line (t0160, t0170).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payment.h"
#include "testlib.h"

static enum gen_rc
parse(const char *csv, struct payment_csv *c, struct gen_err *err)
{
	return payment_csv_parse(csv, strlen(csv), c, err);
}

int
main(void)
{
	struct gen_err err = { 0 };
	struct payment_csv c;

	/* Columns in another order, a BOM, quotes, CR LF, an empty line. */
	CHECK_INT(parse("\xef\xbb\xbfReference,\"Amount\",Date,Currency,Memo\r\n"
	    "RF18 5390 0754 7034,\"130.68\",2026-03-20,EUR,x\r\n\r\n"
	    "RF51INV2025000123,1450,2026-03-21,JPY,\r\n", &c, &err), GEN_OK);
	CHECK_INT(c.n, 2);
	if (c.n == 2) {
		CHECK_INT(c.v[0].lineno, 2);
		CHECK_STR(c.v[0].reference, "RF18 5390 0754 7034");
		CHECK_STR(c.v[0].date, "2026-03-20");
		CHECK_STR(c.v[0].currency, "EUR");
		CHECK_INT(c.v[0].parse_rc, GEN_OK);
		CHECK_INT(c.v[0].amount_minor, 13068);
		CHECK_INT(c.v[1].lineno, 4);
		CHECK_INT(c.v[1].amount_minor, 1450);	/* JPY: no decimals */
	}
	payment_csv_free(&c);

	/* Bad amounts and currencies are lines refused, not a bad file. */
	CHECK_INT(parse("date,amount,currency,reference\n"
	    "2026-03-20,1.452e2,EUR,RF18539007547034\n"
	    "2026-03-20,1.234,EUR,RF18539007547034\n"
	    "2026-03-20,10.5,JPY,RF18539007547034\n"
	    "2026-03-20,10,XYZ,RF18539007547034\n", &c, &err), GEN_OK);
	CHECK_INT(c.n, 4);
	if (c.n == 4) {
		CHECK_INT(c.v[0].parse_rc, GEN_EINPUT);
		CHECK(strstr(c.v[0].parse_msg, "exponent notation") != NULL);
		CHECK(strstr(c.v[0].parse_msg, "more than") == NULL);
		CHECK_INT(c.v[1].parse_rc, GEN_EINPUT);
		CHECK(strstr(c.v[1].parse_msg, "more than 2 decimals") != NULL);
		CHECK_INT(c.v[2].parse_rc, GEN_EINPUT);
		CHECK(strstr(c.v[2].parse_msg, "more than 0 decimals") != NULL);
		CHECK_INT(c.v[3].parse_rc, GEN_EINPUT);
	}
	payment_csv_free(&c);

	/* A header without a needed column, a short line, nothing at all. */
	CHECK_INT(parse("date,amount,reference\n2026-03-20,1,RF18\n", &c,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "missing: currency");
	CHECK_INT(c.n, 0);
	CHECK_INT(parse("date,amount,currency,reference\n2026-03-20,1\n", &c,
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "CSV line 2: 2 fields");
	CHECK_INT(parse("\xef\xbb\xbf", &c, &err), GEN_EINPUT);
	CHECK_MSG(err, "CSV: empty");
	CHECK_INT(parse("", &c, &err), GEN_EINPUT);
	return test_report();
}
