/*
 * test-seller.c - the seller-profile importer: a valid profile, the VAT
 * number and IBAN checks, series and number-format rules (numbers become
 * file names), and unknown fields.
 */
#include <stdlib.h>
#include <string.h>

#include "seller.h"
#include "testlib.h"

static const char *good =
    "{\"valid_from\": \"2025-07-09\", \"legal_name\": \"MB \\\"Z\\\"\","
    " \"company_code\": \"305133662\", \"vat_number\": \"lt 100018548216\","
    " \"address\": {\"line1\": \"V. Nageviciaus g. 3\", \"city\": \"Vilnius\","
    "   \"postal_code\": \"08237\", \"country\": \"LT\"},"
    " \"invoice_series\": \"ZLV\", \"credit_series\": \"ZLVK\","
    " \"transfer_series\": \"ZLVM\", \"number_format\": \"{series}-{seq:6}\","
    " \"bank\": {\"beneficiary\": \"MB Z\", \"iban\": \"lt12 1000 0111 0100 1000\"}}";

static void
refused(const char *from, const char *to, const char *fragment)
{
	const char *at = strstr(good, from);
	size_t n = strlen(good) + strlen(to) + 1;
	char *s = malloc(n);
	struct seller_profile *sp = NULL;
	struct gen_err err = { 0 };

	if (at == NULL) {
		fprintf(stderr, "fixture lacks %s\n", from);
		exit(2);
	}
	snprintf(s, n, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	CHECK_INT(seller_parse_json(s, strlen(s), &sp, &err), GEN_EINPUT);
	CHECK(sp == NULL);
	CHECK_MSG(err, fragment);
	seller_profile_free(sp);
	free(s);
}

int
main(void)
{
	struct seller_profile *sp = NULL;
	struct gen_err err = { 0 };

	CHECK_INT(seller_parse_json(good, strlen(good), &sp, &err), GEN_OK);
	CHECK_STR(sp->party.vat_number, "LT100018548216");	/* normalised */
	CHECK_STR(sp->bank.iban, "LT121000011101001000");
	CHECK_STR(sp->valid_to, "");
	CHECK_INT(sp->transfer_due_days, 7);
	CHECK_INT(sp->oss_enabled, 1);
	seller_profile_free(sp);

	refused("\"lt 100018548216\"", "\"LT100018548217\"", "vat_number");
	refused("\"lt12 1000 0111 0100 1000\"", "\"LT12 1000 0111 0100 1001\"",
	    "bank.iban");
	refused("\"ZLVK\"", "\"ZLV\"", "each kind of document needs its own");
	refused("\"ZLV\",", "\"Z/V\",", "invoice_series: 'Z/V' is not allowed");
	refused("\"{series}-{seq:6}\"", "\"../{series}{seq}\"", "number_format");
	refused("\"{series}-{seq:6}\"", "\"{series} {seq}\"", "number_format");
	refused("\"{series}-{seq:6}\"", "\"{series}\"", "number_format");
	refused("\"{series}-{seq:6}\"", "\"{year}-{seq}\"", "number_format");
	refused("\"2025-07-09\"", "\"2025-02-30\"", "valid_from");
	refused("\"valid_from\": \"2025-07-09\",",
	    "\"valid_from\": \"2025-07-09\", \"valid_to\": \"2025-01-01\",",
	    "valid_to: 2025-01-01 is before valid_from");
	refused("\"country\": \"LT\"", "\"country\": \"XX\"", "address.country");
	refused("\"legal_name\"", "\"legalname\"", "legalname: unknown field");

	/* A stored profile edited with SQL: the same rules, named columns. */
	CHECK_INT(seller_parse_json(good, strlen(good), &sp, &err), GEN_OK);
	sp->id = 2;
	CHECK_INT(seller_check_stored(sp, &err), GEN_OK);
	free(sp->invoice_series);
	sp->invoice_series = strdup("../../evil");
	CHECK_INT(seller_check_stored(sp, &err), GEN_EINPUT);
	CHECK_MSG(err, "seller_profile.invoice_series of seller profile 2: "
	    "'../../evil' is not allowed");
	free(sp->invoice_series);
	sp->invoice_series = strdup("ZLV");
	free(sp->bank.iban);
	sp->bank.iban = strdup("LT121000011101001001");
	CHECK_INT(seller_check_stored(sp, &err), GEN_EINPUT);
	CHECK_MSG(err, "seller_profile.bank_iban of seller profile 2:");
	free(sp->bank.iban);
	sp->bank.iban = strdup("LT121000011101001000");
	memcpy(sp->party.country, "XX", 3);
	CHECK_INT(seller_check_stored(sp, &err), GEN_EINPUT);
	CHECK_MSG(err, "seller_profile.country of seller profile 2:");
	memcpy(sp->party.country, "LT", 3);
	free(sp->party.name);
	sp->party.name = strdup("MB\tZ");
	CHECK_INT(seller_check_stored(sp, &err), GEN_EINPUT);
	CHECK_MSG(err, "seller_profile.legal_name of seller profile 2:");
	seller_profile_free(sp);
	return test_report();
}
