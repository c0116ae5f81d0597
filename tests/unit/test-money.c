/*
 * test-money.c - integer money arithmetic: half-up rounding at its edges
 * (REFERENCE.md 7.2 examples), line nets with discounts, per-category VAT
 * rounded once, EUR conversion, overflow, and the machine formats.
 */
#include <stdint.h>

#include "money.h"
#include "testlib.h"

static int64_t
vat(int64_t net, int64_t bp)
{
	struct gen_err err = { 0 };
	int64_t v = -999;

	CHECK_INT(money_vat(net, bp, &v, &err), GEN_OK);
	return v;
}

static void
line(int64_t q, int64_t p, int64_t d, int64_t want_net, int64_t want_disc)
{
	struct gen_err err = { 0 };
	int64_t g, dis, n;

	CHECK_INT(money_line(q, p, d, &g, &dis, &n, &err), GEN_OK);
	CHECK_INT(n, want_net);
	CHECK_INT(dis, want_disc);
	CHECK_INT(g, q * p);
}

static const char *
fmt(int64_t minor, int digits)
{
	static char out[48];

	money_format(minor, digits, out, sizeof(out));
	return out;
}

static int64_t
eur(int64_t minor, int digits, const char *rate)
{
	struct gen_err err = { 0 };
	int64_t c = -999;

	CHECK_INT(money_to_eur_cents(minor, digits, rate, &c, &err), GEN_OK);
	return c;
}

int
main(void)
{
	struct gen_err err = { 0 };
	int64_t v;

	/* REFERENCE.md 7.2: half-up, not banker's rounding. */
	CHECK_INT(vat(50, 2100), 11);		/* 0.105 -> 0.11 */
	CHECK_INT(vat(50, 1700), 9);		/* 0.085 -> 0.09 */
	CHECK_INT(vat(150, 1900), 29);		/* 0.285 -> 0.29 */
	CHECK_INT(vat(150, 2300), 35);		/* 0.345 -> 0.35 */
	CHECK_INT(vat(1450, 2100), 305);	/* JPY 304.5 -> 305 */
	CHECK_INT(vat(150, 2100), 32);		/* 3 x 0.50 summed first */
	CHECK_INT(vat(50, 2100) * 3, 33);	/* per-line would give 0.33 */
	CHECK_INT(vat(10000, 2550), 2550);	/* Finland 25.5 % */
	CHECK_INT(vat(1, 2550), 0);		/* 0.255 -> 0 */
	CHECK_INT(vat(2, 2550), 1);		/* 0.51 -> 1 */
	CHECK_INT(vat(0, 2100), 0);
	CHECK_INT(vat(12345, 0), 0);
	/* Symmetric for credit notes: round(-x) = -round(x). */
	CHECK_INT(vat(-50, 2100), -11);
	CHECK_INT(vat(-1450, 2100), -305);
	CHECK_INT(vat(-150, 1900), -29);
	/* Estonia's 24 % can never hit an exact half. */
	for (int64_t n = 1; n < 1000; n++) {
		__int128 num = (__int128)n * 2400;
		CHECK(num % 10000 != 5000);
	}

	/* Line nets: discounts rounded once per line. */
	line(1, 12000, 1000, 10800, 1200);	/* 120.00 less 10 % */
	line(1, 999, 3000, 699, 300);		/* 6.993 -> 6.99 */
	line(3, 333, 1000, 899, 100);		/* 8.991 -> 8.99 */
	line(1, 5, 5000, 3, 2);			/* 0.025 -> 0.03 */
	line(1, 1, 5000, 1, 0);			/* 0.005 -> 0.01 */
	line(2, 1450, 0, 2900, 0);
	line(1, 100, 10000, 0, 100);		/* free */
	line(7, 1234, 1250, 7558, 1080);	/* 12.5 %: 75.5825 -> 75.58 */

	/* Overflow is an error naming the amount. */
	CHECK_INT(money_line(1000000, INT64_MAX / 10, 0, &v, &v, &v, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "overflows");
	CHECK_INT(money_vat(INT64_MAX, 10000, &v, &err), GEN_OK);
	CHECK_INT(v, INT64_MAX);
	CHECK_INT(money_muldiv(INT64_MAX, 3, 2, &v, "x", &err), GEN_EINPUT);
	v = INT64_MAX;
	CHECK_INT(money_add(&v, 1, "total", &err), GEN_EINPUT);
	CHECK_MSG(err, "total");
	CHECK_INT(money_line(1, 100, 10001, &v, &v, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "discount_percent");

	/* Decimal parsing, exact. */
	CHECK_INT(money_parse_decimal("25.5", 2, &v, "rate", &err), GEN_OK);
	CHECK_INT(v, 2550);
	CHECK_INT(money_parse_decimal("0.87058", 6, &v, "rate", &err), GEN_OK);
	CHECK_INT(v, 870580);
	CHECK_INT(money_parse_decimal("20082.05", 6, &v, "rate", &err), GEN_OK);
	CHECK_INT(v, 20082050000);
	CHECK_INT(money_parse_decimal("1.2345678", 6, &v, "rate", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "more than 6 decimals");
	CHECK_INT(money_parse_decimal("-1", 2, &v, "rate", &err), GEN_EINPUT);
	CHECK_INT(money_parse_decimal("1.", 2, &v, "rate", &err), GEN_EINPUT);
	CHECK_INT(money_parse_decimal(".5", 2, &v, "rate", &err), GEN_EINPUT);
	CHECK_INT(money_parse_decimal("1e3", 2, &v, "rate", &err), GEN_EINPUT);
	/* Exponent notation is named as such, not as too many decimals. */
	CHECK_INT(money_parse_decimal("1.452e2", 2, &v, "amount", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "exponent notation");
	CHECK_INT(money_parse_decimal("1E-2", 2, &v, "amount", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "exponent notation");
	CHECK_INT(money_parse_decimal("99999999999999999999", 0, &v, "x", &err),
	    GEN_EINPUT);

	/* EUR conversion at an ECB rate (units per EUR). */
	CHECK_INT(eur(2520, 2, "1.1684"), 2157);	/* 25.20 USD */
	CHECK_INT(eur(-2520, 2, "1.1684"), -2157);
	CHECK_INT(eur(2100, 0, "186.75"), 1124);	/* 2100 JPY */
	CHECK_INT(eur(1000, 2, "1"), 1000);
	CHECK_INT(eur(1000, 3, "0.4"), 250);		/* 1.000 BHD-like */
	CHECK_INT(eur(100000000, 2, "20082.05"), 4980);	/* IDR */
	CHECK_INT(money_to_eur_cents(1, 2, "0", &v, &err), GEN_EINPUT);
	CHECK_INT(money_to_eur_cents(1, 2, "abc", &v, &err), GEN_EINPUT);

	/* Machine formats. */
	CHECK_STR(fmt(14520, 2), "145.20");
	CHECK_STR(fmt(-5, 2), "-0.05");
	CHECK_STR(fmt(0, 2), "0.00");
	CHECK_STR(fmt(305, 0), "305");
	CHECK_STR(fmt(1234, 3), "1.234");
	CHECK_STR(fmt(7, 3), "0.007");
	CHECK_STR(fmt(INT64_MIN, 2), "-92233720368547758.08");
	CHECK_STR(fmt(INT64_MAX, 0), "9223372036854775807");
	{
		char r[16];

		money_format_rate(2100, r, sizeof(r));
		CHECK_STR(r, "21.00");
		money_format_rate(2550, r, sizeof(r));
		CHECK_STR(r, "25.50");
		money_format_rate(0, r, sizeof(r));
		CHECK_STR(r, "0.00");
	}
	CHECK_INT(money_pow10(0), 1);
	CHECK_INT(money_pow10(18), 1000000000000000000LL);
	return test_report();
}
