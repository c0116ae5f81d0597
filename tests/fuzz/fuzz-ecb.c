/*
 * fuzz-ecb.c - libFuzzer harness for gen/docs/ecb.c: the input is a file
 * given to `invgen rates import-ecb`, as curl downloads it (the ECB's
 * XML feeds or its CSV, or anything a failing download gives).
 *
 * Invariants checked:
 *   - the result is GEN_OK or GEN_EINPUT, a refusal's message starts
 *     "ECB " and no row is left;
 *   - the format follows the content: XML exactly when the first byte
 *     after a byte order mark and white space is '<';
 *   - an accepted file has rows, and every row has a currency of three
 *     capital letters, a date that exists, a positive decimal rate of at
 *     most six decimals and a line within the file;
 *   - parsing again gives the same rows.
 *
 * fuzz-options: -max_len=4096 -dict=tests/fuzz/ecb.dict
 */
#include <string.h>

#include "caldate.h"
#include "ecb.h"
#include "fuzz.h"
#include "money.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct ecb_rates r, again;
	struct gen_err err = { 0 }, err2 = { 0 };
	enum gen_rc rc, rc2;
	size_t skip = 0, lines = 1;
	int xml;

	if (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	while (skip < size && (text[skip] == ' ' || text[skip] == '\t' ||
	    text[skip] == '\r' || text[skip] == '\n'))
		skip++;
	xml = skip < size && text[skip] == '<';
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';

	rc = ecb_parse(text, size, &r, &err);
	FUZZ_CHECK(rc == GEN_OK || rc == GEN_EINPUT, "rc %d: %s", rc, err.msg);
	if (rc != GEN_OK) {
		FUZZ_CHECK(strncmp(err.msg, "ECB ", 4) == 0, "message '%s'",
		    err.msg);
		ecb_rates_free(&r);
		FUZZ_CHECK(r.n == 0 && r.v == NULL, "rows left after free");
		return 0;
	}
	FUZZ_CHECK(strcmp(r.format, xml ? "ECB XML" : "ECB CSV") == 0,
	    "format %s for content starting '%c'", r.format, text[skip]);
	FUZZ_CHECK(r.n > 0, "accepted without rows");
	for (size_t i = 0; i < r.n; i++) {
		const struct store_fx_rate *x = &r.v[i];
		struct gen_err e = { 0 };
		int64_t v = 0;
		int32_t d;

		FUZZ_CHECK(strlen(x->currency) == 3 &&
		    strspn(x->currency, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3,
		    "row %zu currency '%s'", i, x->currency);
		FUZZ_CHECK(strlen(x->date) == 10 && caldate_parse(x->date, &d,
		    "date", &e) == GEN_OK, "row %zu date '%s'", i, x->date);
		FUZZ_CHECK(money_parse_decimal(x->units, 6, &v, "rate", &e) ==
		    GEN_OK && v > 0, "row %zu rate '%s'", i, x->units);
		FUZZ_CHECK(x->line >= 1 && (size_t)x->line <= lines,
		    "row %zu line %d of %zu", i, x->line, lines);
	}
	rc2 = ecb_parse(text, size, &again, &err2);
	FUZZ_CHECK(rc2 == GEN_OK && again.n == r.n && memcmp(again.v, r.v,
	    r.n * sizeof(*r.v)) == 0, "a second parse differs");
	ecb_rates_free(&again);
	ecb_rates_free(&r);
	return 0;
}
