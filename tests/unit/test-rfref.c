/*
 * test-rfref.c - unit tests of gen/tax/rfref.c: the REFERENCE.md examples,
 * published valid references, refusals with their messages, and the round
 * trip order number -> body -> reference -> printed -> checked -> body.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "rfref.h"
#include "testlib.h"

/*
 * Valid references generated with the mobilefish.com creditor reference
 * service, as listed in python-stdnum tests/test_iso11649.doctest (a
 * selection: shortest and longest bodies, check digits 02, 97 and 98).
 */
static const char *published[] = {
	"RF03SW3EZRUFBK", "RF20QQHM7PAW61EOWO", "RF206KCJWVH20",
	"RF97XX5ZIC", "RF66A4E7BF6OI8F23P9", "RF888F7P5VQ8TOFTY3LZ",
	"RF056TXFK", "RF23EF4UHBVNPLHKG3HZ9SGGT", "RF72YW", "RF724P",
	"RF0891RPECRY4EKAIWQK4UZUP", "RF08P", "RF4480GWBS4ON16IRYL7T5VN2",
	"RF02YFL1INOWMIYT2AN", "RF2939KX5US7LX3PAN1BNWC0H",
	"RF02RLPTC78WPBRBZFWSU", "RF529", "RF02MT56MM6RK3NSA88RKVK",
	"RF68C", "RF097", "RF95B", "RF57G", "RF72813", "RF98FIKGWHA2AK04NMI",
	"RF67J7L", "RF22EM",
};
#define NPUBLISHED (sizeof(published) / sizeof(published[0]))

static void
refused_check(const char *in, const char *fragment)
{
	struct gen_err err = {0};
	char norm[RFREF_SIZE] = "untouched";

	CHECK_INT(rfref_check(in, norm, sizeof(norm), &err), GEN_EINPUT);
	CHECK_MSG(err, fragment);
	CHECK(strncmp(err.msg, "rf reference: ", 14) == 0);
	CHECK_STR(norm, "untouched");
}

static void
refused_order(const char *order_no, const char *fragment)
{
	struct gen_err err = {0};
	char body[RFREF_BODY_SIZE] = "untouched";

	CHECK_INT(rfref_body_from_order_no(order_no, body, sizeof(body), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, fragment);
	CHECK(strncmp(err.msg, "order_no", 8) == 0);
	CHECK_STR(body, "untouched");
}

static void
test_reference_examples(void)
{
	struct gen_err err = {0};
	char ref[RFREF_SIZE], pr[RFREF_PRINT_SIZE];

	/* REFERENCE.md 5.2, both worked examples. */
	CHECK_INT(rfref_make("539007547034", ref, sizeof(ref), &err), GEN_OK);
	CHECK_STR(ref, "RF18539007547034");
	CHECK_INT(rfref_make("INV2025000123", ref, sizeof(ref), &err),
	    GEN_OK);
	CHECK_STR(ref, "RF51INV2025000123");
	rfref_format("RF18539007547034", pr, sizeof(pr));
	CHECK_STR(pr, "RF18 5390 0754 7034");
	rfref_format("RF51INV2025000123", pr, sizeof(pr));
	CHECK_STR(pr, "RF51 INV2 0250 0012 3");

	/* As banks and payers write them. */
	CHECK_INT(rfref_check("RF18 5390 0754 7034", ref, sizeof(ref), &err),
	    GEN_OK);
	CHECK_STR(ref, "RF18539007547034");
	CHECK_INT(rfref_check("rf51 inv2 0250 0012 3", ref, sizeof(ref), &err),
	    GEN_OK);
	CHECK_STR(ref, "RF51INV2025000123");
	CHECK_INT(rfref_check("  RF18539007547034  ", ref, sizeof(ref), &err),
	    GEN_OK);
	CHECK_STR(ref, "RF18539007547034");
	CHECK_INT(rfref_check("RF 18 5390 07547034", NULL, 0, &err), GEN_OK);
	/* Same check digits, other body (computed): 5390075470Y. */
	CHECK_INT(rfref_check("RF18 5390 0754 70Y", ref, sizeof(ref), &err),
	    GEN_OK);
	CHECK_STR(ref, "RF185390075470Y");
}

static void
test_published(void)
{
	struct gen_err err = {0};
	char ref[RFREF_SIZE], made[RFREF_SIZE], pr[RFREF_PRINT_SIZE];
	size_t i;

	for (i = 0; i < NPUBLISHED; i++) {
		memset(ref, 0, sizeof(ref));
		CHECK_INT(rfref_check(published[i], ref, sizeof(ref), &err),
		    GEN_OK);
		CHECK_STR(ref, published[i]);
		/* Making the reference from its body gives the same digits. */
		memset(made, 0, sizeof(made));
		CHECK_INT(rfref_make(published[i] + 4, made, sizeof(made),
		    &err), GEN_OK);
		CHECK_STR(made, published[i]);
		/* The printed form checks too. */
		rfref_format(published[i], pr, sizeof(pr));
		CHECK_INT(rfref_check(pr, ref, sizeof(ref), &err), GEN_OK);
		CHECK_STR(ref, published[i]);
	}
	rfref_format("RF23EF4UHBVNPLHKG3HZ9SGGT", pr, sizeof(pr));
	CHECK_STR(pr, "RF23 EF4U HBVN PLHK G3HZ 9SGG T");
	CHECK_INT(strlen(pr) + 1, RFREF_PRINT_SIZE);
}

static void
test_check_refusals(void)
{
	struct gen_err err = {0};
	char small[10];

	/* One changed or missing character. */
	refused_check("RF18 5390 0754 70Z", "rf reference: RF18 5390 0754 "
	    "70Z fails the check digits (ISO 11649 MOD 97-10)");
	refused_check("RF18539007547035", "RF18 5390 0754 7035 fails");
	refused_check("RF19539007547034", "fails the check digits");
	refused_check("RF51INV2025000124", "fails the check digits");
	/* Swapped neighbours. */
	refused_check("RF18539007547043", "fails the check digits");

	refused_check("", "rf reference: empty; allowed: a reference such as "
	    "RF18 5390 0754 7034");
	refused_check(NULL, "empty");
	refused_check("  ", "empty");
	refused_check("RX18539007547034", "RX18539007547034 does not start "
	    "with RF");
	refused_check("539007547034", "does not start with RF");
	refused_check("R", "R does not start with RF");
	refused_check("RF", "characters 3 and 4 must be the check digits");
	refused_check("RF1", "characters 3 and 4 must be the check digits");
	refused_check("RFAB539007547034", "characters 3 and 4 must be the "
	    "check digits; allowed: 02..98");
	refused_check("RF18", "RF18 has no reference after the check digits; "
	    "allowed: 1..21");
	refused_check("RF00539007547034", "check digits 00 are out of range");
	refused_check("RF01539007547034", "check digits 01 are out of range");
	refused_check("RF99YFL1INOWMIYT2AN", "check digits 99 are out of "
	    "range; allowed: 02..98 (ISO 11649)");
	refused_check("RF23EF4UHBVNPLHKG3HZ9SGGTX", "rf reference: 26 letters "
	    "and digits; allowed: at most 25");
	refused_check("RF18-5390-0754-7034", "character 5 ('-') is not "
	    "allowed; allowed: letters A-Z, digits 0-9 and spaces");
	refused_check("RF18\t539007547034", "character 5 (byte 0x09)");
	refused_check("RF18 5390 0754 703\xc4\x85", "(byte 0xC4)");

	CHECK_INT(rfref_check("RF18539007547034", small, sizeof(small), &err),
	    GEN_EINTERNAL);
	CHECK_MSG(err, "too small");
}

static void
test_make_refusals(void)
{
	struct gen_err err = {0};
	char ref[RFREF_SIZE], small[8];

	CHECK_INT(rfref_make("", ref, sizeof(ref), &err), GEN_EINPUT);
	CHECK_MSG(err, "rf reference: body has 0 characters; allowed: 1..21");
	CHECK_INT(rfref_make(NULL, ref, sizeof(ref), &err), GEN_EINPUT);
	CHECK_MSG(err, "body has 0 characters");
	CHECK_INT(rfref_make("1234567890123456789012", ref, sizeof(ref),
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "body has 22 characters; allowed: 1..21 (ISO 11649)");
	CHECK_INT(rfref_make("inv1", ref, sizeof(ref), &err), GEN_EINPUT);
	CHECK_MSG(err, "body character 1 ('i') is not allowed; allowed: A-Z, "
	    "0-9");
	CHECK_INT(rfref_make("A-1", ref, sizeof(ref), &err), GEN_EINPUT);
	CHECK_MSG(err, "body character 2 ('-')");
	CHECK_INT(rfref_make("A 1", ref, sizeof(ref), &err), GEN_EINPUT);
	CHECK_MSG(err, "body character 2 (' ')");
	CHECK_INT(rfref_make("123456789012345678901", ref, sizeof(ref), &err),
	    GEN_OK);
	CHECK_INT(strlen(ref), 25);
	CHECK_INT(rfref_check(ref, NULL, 0, &err), GEN_OK);
	/* One-character bodies, from the published list above. */
	CHECK_INT(rfref_make("C", ref, sizeof(ref), &err), GEN_OK);
	CHECK_STR(ref, "RF68C");
	CHECK_INT(rfref_make("9", ref, sizeof(ref), &err), GEN_OK);
	CHECK_STR(ref, "RF529");
	/* Output buffer: exactly enough, then one byte short. */
	CHECK_INT(rfref_make("ABC", small, 8, &err), GEN_OK);
	CHECK_INT(rfref_make("ABCD", small, 8, &err), GEN_EINTERNAL);
	CHECK_MSG(err, "too small");
}

static void
test_order_no(void)
{
	struct gen_err err = {0};
	char body[RFREF_BODY_SIZE], small[4];
	static const struct {
		const char *order_no, *body;
	} map[] = {
		{ "A-1001", "A1001" },
		{ "2025/08-17", "20250817" },
		{ "inv-2025-000123", "INV2025000123" },
		{ "Order #42 (web)", "ORDER42WEB" },
		{ "a.b_c:d", "ABCD" },
		{ "007", "007" },
		{ "123456789012345678901", "123456789012345678901" },
		{ "1234-5678-9012-3456-7890-1", "123456789012345678901" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		memset(body, 0, sizeof(body));
		CHECK_INT(rfref_body_from_order_no(map[i].order_no, body,
		    sizeof(body), &err), GEN_OK);
		CHECK_STR(body, map[i].body);
	}

	refused_order("1234567890123456789012", "order_no "
	    "\"1234567890123456789012\": 22 letters and digits without "
	    "separators; allowed: at most 21 in an ISO 11649 creditor "
	    "reference");
	refused_order("ORDER-2025-08-17-CUSTOMER-991", "24 letters and "
	    "digits");
	refused_order("", "order_no \"\": no letters or digits for an ISO "
	    "11649 creditor reference; allowed: 1..21");
	refused_order("--/--", "order_no \"--/--\": no letters or digits");
	refused_order(NULL, "no letters or digits");
	refused_order("A\n1001", "order_no: character 2 (byte 0x0A) cannot "
	    "go into an ISO 11649 creditor reference");
	refused_order("U\xc5\xbe-1", "character 2 (byte 0xC5)");
	refused_order("A\x7f" "1", "(byte 0x7F)");

	CHECK_INT(rfref_body_from_order_no("A-1001", small, sizeof(small),
	    &err), GEN_EINTERNAL);
	CHECK_MSG(err, "too small");
}

/* order_no -> body -> reference -> printed -> checked -> body again. */
static void
test_round_trip(void)
{
	static const char *orders[] = {
		"A-1001", "2025/08-17", "inv-2025-000123", "X", "0",
		"1234-5678-9012-3456-7890-1", "zz top 99",
	};
	struct gen_err err = {0};
	char body[RFREF_BODY_SIZE], ref[RFREF_SIZE], pr[RFREF_PRINT_SIZE];
	char back[RFREF_SIZE], body2[RFREF_BODY_SIZE];
	size_t i;

	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		CHECK_INT(rfref_body_from_order_no(orders[i], body,
		    sizeof(body), &err), GEN_OK);
		CHECK_INT(rfref_make(body, ref, sizeof(ref), &err), GEN_OK);
		rfref_format(ref, pr, sizeof(pr));
		CHECK_INT(rfref_check(pr, back, sizeof(back), &err), GEN_OK);
		CHECK_STR(back, ref);
		CHECK_STR(back + 4, body);
		/* Matching a payment: the body maps to itself. */
		CHECK_INT(rfref_body_from_order_no(back + 4, body2,
		    sizeof(body2), &err), GEN_OK);
		CHECK_STR(body2, body);
	}
	CHECK_INT(rfref_body_from_order_no("inv-2025-000123", body,
	    sizeof(body), &err), GEN_OK);
	CHECK_INT(rfref_make(body, ref, sizeof(ref), &err), GEN_OK);
	CHECK_STR(ref, "RF51INV2025000123");
}

int
main(void)
{
	test_reference_examples();
	test_published();
	test_check_refusals();
	test_make_refusals();
	test_order_no();
	test_round_trip();
	return test_report();
}
