/*
 * money.c - integer money arithmetic (see money.h).  All products are
 * formed in __int128 so that a * b never overflows before the division, and
 * every result is checked back into int64 range.  Pure: no I/O, no state.
 */
#include <stdio.h>
#include <string.h>

#include "money.h"

int64_t
money_pow10(int n)
{
	int64_t p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* round_half_up(num / den) for den > 0, half away from zero. */
static __int128
div_half_up(__int128 num, __int128 den)
{
	__int128 q, r;
	int neg = num < 0;

	if (neg)
		num = -num;
	q = num / den;
	r = num % den;
	if (r * 2 >= den)
		q++;
	return neg ? -q : q;
}

static int
fits_int64(__int128 v)
{
	return v >= INT64_MIN && v <= INT64_MAX;
}

enum gen_rc
money_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out,
    const char *what, struct gen_err *err)
{
	__int128 v;

	if (den <= 0)
		return gen_err_set(err, GEN_EINTERNAL,
		    "%s: division by %lld", what, (long long)den);
	v = div_half_up((__int128)a * b, den);
	if (!fits_int64(v))
		return gen_err_set(err, GEN_EINPUT,
		    "%s: amount overflows the 64-bit range of minor units", what);
	*out = (int64_t)v;
	return GEN_OK;
}

enum gen_rc
money_add(int64_t *acc, int64_t v, const char *what, struct gen_err *err)
{
	int64_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return gen_err_set(err, GEN_EINPUT,
		    "%s: sum overflows the 64-bit range of minor units", what);
	*acc = r;
	return GEN_OK;
}

enum gen_rc
money_line(int64_t quantity, int64_t unit_price_minor, int64_t discount_bp,
    int64_t *gross, int64_t *discount, int64_t *net, struct gen_err *err)
{
	enum gen_rc rc;

	if (discount_bp < 0 || discount_bp > 10000)
		return gen_err_set(err, GEN_EINPUT,
		    "discount_percent: %lld basis points out of range; "
		    "allowed 0..100 %%", (long long)discount_bp);
	if (__builtin_mul_overflow(quantity, unit_price_minor, gross))
		return gen_err_set(err, GEN_EINPUT, "quantity x unit_price_minor:"
		    " amount overflows the 64-bit range of minor units");
	rc = money_muldiv(*gross, 10000 - discount_bp, 10000, net,
	    "line net", err);
	if (rc != GEN_OK)
		return rc;
	*discount = *gross - *net;
	return GEN_OK;
}

enum gen_rc
money_vat(int64_t taxable_minor, int64_t rate_bp, int64_t *vat,
    struct gen_err *err)
{
	return money_muldiv(taxable_minor, rate_bp, 10000, vat, "VAT", err);
}

enum gen_rc
money_parse_decimal(const char *s, int scale, int64_t *out, const char *what,
    struct gen_err *err)
{
	__int128 v = 0;
	int decimals = -1;
	const char *p;

	if (s == NULL || *s == '\0')
		return gen_err_set(err, GEN_EINPUT, "%s: empty number", what);
	/* "1.452e2" is a number a spreadsheet may write, but not one that
	 * may be rounded into an amount: name what is wrong with it. */
	if (strpbrk(s, "eE") != NULL && strspn(s, "0123456789.eE+-") ==
	    strlen(s))
		return gen_err_set(err, GEN_EINPUT, "%s: '%s' is in exponent "
		    "notation; write it as a plain decimal number like 145.20",
		    what, s);
	for (p = s; *p != '\0'; p++) {
		if (*p == '.') {
			if (decimals >= 0 || p == s || p[1] == '\0')
				goto bad;
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			goto bad;
		if (decimals >= 0 && ++decimals > scale)
			return gen_err_set(err, GEN_EINPUT,
			    "%s: '%s' has more than %d decimals", what, s, scale);
		v = v * 10 + (*p - '0');
		if (v > INT64_MAX)
			return gen_err_set(err, GEN_EINPUT,
			    "%s: '%s' is too large", what, s);
	}
	if (decimals < 0)
		decimals = 0;
	for (; decimals < scale; decimals++) {
		v *= 10;
		if (v > INT64_MAX)
			return gen_err_set(err, GEN_EINPUT,
			    "%s: '%s' is too large", what, s);
	}
	*out = (int64_t)v;
	return GEN_OK;
bad:
	return gen_err_set(err, GEN_EINPUT,
	    "%s: '%s' is not a plain decimal number like 1.2345", what, s);
}

enum gen_rc
money_to_eur_cents(int64_t minor, int digits, const char *units_per_eur,
    int64_t *cents, struct gen_err *err)
{
	int64_t rate_micro;	/* units per EUR x 10^6 */
	__int128 num, den, v;
	enum gen_rc rc;

	rc = money_parse_decimal(units_per_eur, 6, &rate_micro,
	    "exchange rate", err);
	if (rc != GEN_OK)
		return rc;
	if (rate_micro == 0)
		return gen_err_set(err, GEN_EINPUT,
		    "exchange rate: must be greater than zero");
	if (digits < 0 || digits > 6)
		return gen_err_set(err, GEN_EINTERNAL,
		    "currency digits %d out of range", digits);
	/* cents = minor / 10^digits / (rate_micro / 10^6) * 100 */
	num = (__int128)minor * 100 * 1000000;
	den = (__int128)rate_micro * money_pow10(digits);
	v = div_half_up(num, den);
	if (!fits_int64(v))
		return gen_err_set(err, GEN_EINPUT,
		    "EUR amount: overflows the 64-bit range of minor units");
	*cents = (int64_t)v;
	return GEN_OK;
}

void
money_format(int64_t minor, int digits, char *out, size_t sz)
{
	char tmp[48], *p = tmp + sizeof(tmp);
	unsigned long long mag;
	int n = 0;

	/* -INT64_MIN does not fit; go through unsigned. */
	mag = minor < 0 ? 0ULL - (unsigned long long)minor
	    : (unsigned long long)minor;
	*--p = '\0';
	do {
		if (digits > 0 && n == digits)
			*--p = '.';
		*--p = (char)('0' + mag % 10);
		mag /= 10;
		n++;
	} while (mag > 0 || n <= digits);
	if (minor < 0)
		*--p = '-';
	snprintf(out, sz, "%s", p);
}

void
money_format_rate(int64_t rate_bp, char *out, size_t sz)
{
	money_format(rate_bp, 2, out, sz);
}
