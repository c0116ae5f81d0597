/*
 * vatid.c - syntax and check digits of EU VAT identification numbers
 * (EU-27 + XI), see vatid.h for the interface.
 *
 * One table row per prefix holds the ISO country, the words used in
 * messages and the national check function.  Each check function gets the
 * number split into prefix and national part and either returns GEN_OK or
 * records why it refused the number.  Everything here is pure computation
 * on the caller's strings and constant tables: no I/O, no allocation, no
 * global mutable state, no <ctype.h> (its answers depend on the locale).
 *
 * The algorithms follow python-stdnum 1.18 (REFERENCE.md section 2.2),
 * written anew from its documented rules.  Deliberate differences, found
 * with tests/unit/vatid-oracle.sh:
 *  - Only ASCII letters, digits and the separators space . - / , are
 *    accepted (so stdnum's "BE (0)..." form and the old Irish numbers with
 *    '+' or '*' as second character are refused, as are ':' separators).
 *  - An old-style Irish number (digit, letter, 5 digits, check letter) has
 *    exactly 8 characters; stdnum also accepts a 9th letter after it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "vatid.h"

#define ALLOWED_PREFIXES "AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE " \
	"IT LT LU LV MT NL PL PT RO SE SI SK XI"
#define ALLOWED_CHARS "letters A-Z, digits 0-9 and the separators " \
	"space . - / ,"

struct vnum;

/* One VAT prefix. */
struct vstate {
	const char	*prefix;	/* "EL" */
	const char	*iso;		/* ISO 3166 country: "GR" */
	const char	*adj;		/* in messages: "Greek" */
	const char	*shape;		/* in messages: "EL + 9 digits" */
	enum gen_rc	(*check)(const struct vnum *, struct gen_err *);
};

/* A normalised number being checked. */
struct vnum {
	const struct vstate	*st;
	const char		*full;	/* prefix + national part */
	const char		*b;	/* national part */
	size_t			 n;	/* strlen(b) */
};

/* ---- small helpers ---------------------------------------------------- */

/* Digit value of c, which must be '0'..'9'. */
static int
dv(char c)
{
	return c - '0';
}

/* Non-zero when the n bytes at s are all digits (and n > 0). */
static int
alldig(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!ascii_is_digit(s[i]))
			return 0;
	return 1;
}

/* Value of n <= 18 digits at s. */
static long long
numval(const char *s, size_t n)
{
	long long v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v * 10 + dv(s[i]);
	return v;
}

/* Sum of w[i] * digit i over the first n digits of s. */
static int
wsum(const char *s, const int *w, size_t n)
{
	int sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += w[i] * dv(s[i]);
	return sum;
}

/* Non-negative remainder, for sums that may be negative. */
static int
pmod(int a, int m)
{
	int r = a % m;

	return r < 0 ? r + m : r;
}

/* Non-zero when y-m-d is a date of the Gregorian calendar (years 1-9999,
 * the range of the date type the reference implementation uses). */
static int
valid_date(int y, int m, int d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int last;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	last = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		last = 29;
	return d <= last;
}

/*
 * Luhn sum of the n digits at s, mod 10: from the right, every second
 * digit is doubled and its digits added.  0 means the Luhn check holds.
 */
static int
luhn_sum(const char *s, size_t n)
{
	int sum = 0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		d = dv(s[n - 1 - i]);
		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10;
}

/* The Luhn check digit to append to the n (<= 15) digits at s. */
static int
luhn_digit(const char *s, size_t n)
{
	char t[16];

	memcpy(t, s, n);
	t[n] = '0';
	return (10 - luhn_sum(t, n + 1)) % 10;
}

/* ISO 7064 MOD 11,10 over the n digits at s (check digit included). */
static int
mod11_10_ok(const char *s, size_t n)
{
	int c = 5;
	size_t i;

	for (i = 0; i < n; i++)
		c = ((c == 0 ? 10 : c) * 2 % 11 + dv(s[i])) % 10;
	return c == 1;
}

/* ---- messages --------------------------------------------------------- */

/* The national part does not have the expected shape. */
static enum gen_rc
bad_shape(const struct vnum *v, struct gen_err *err)
{
	return gen_err_set(err, GEN_EINPUT, "vat_number: '%s' must be %s",
	    v->full, v->st->shape);
}

/* The shape is right but the check digits are not; what names them. */
static enum gen_rc
bad_check(const struct vnum *v, const char *what, struct gen_err *err)
{
	return gen_err_set(err, GEN_EINPUT, "vat_number: %s fails the %s %s",
	    v->full, v->st->adj, what);
}

/* Some part of the number holds a value that cannot occur. */
static enum gen_rc
bad_part(const struct vnum *v, struct gen_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum gen_rc
bad_part(const struct vnum *v, struct gen_err *err, const char *fmt, ...)
{
	char why[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return gen_err_set(err, GEN_EINPUT, "vat_number: %s: %s", v->full,
	    why);
}

/* ---- birth numbers shared by several countries ------------------------ */

enum rc_result { RC_OK, RC_DATE, RC_LATE9, RC_CHECK };

/*
 * Czech and Slovak birth number (rodné číslo) of 9 or 10 digits: YYMMDD
 * (month + 50 for women, + 20 when the serials ran out), a serial and, for
 * 10 digits, a mod 11 check digit (mod 11 then mod 10 before 1985).
 */
static enum rc_result
birthno_test(const char *b, size_t n)
{
	int y, m, d;

	y = 1900 + (int)numval(b, 2);
	m = (int)numval(b + 2, 2) % 50 % 20;
	d = (int)numval(b + 4, 2);
	if (n == 9) {
		if (y >= 1980)
			y -= 100;
		if (y > 1953)
			return RC_LATE9;
	} else if (y < 1954)
		y += 100;
	if (!valid_date(y, m, d))
		return RC_DATE;
	if (n == 10) {
		int c = (int)(numval(b, 9) % 11);

		if (y < 1985)
			c %= 10;
		if (c != dv(b[9]))
			return RC_CHECK;
	}
	return RC_OK;
}

/* Bulgarian personal number (EGN): YYMMDD (+20/+40 for other centuries),
 * serial, weighted mod 11 check digit. */
static int
bg_egn_ok(const char *b)
{
	static const int w[9] = { 2, 4, 8, 5, 10, 9, 7, 3, 6 };
	int y, m, d;

	y = 1900 + (int)numval(b, 2);
	m = (int)numval(b + 2, 2);
	d = (int)numval(b + 4, 2);
	if (m > 40) {
		y += 100;
		m -= 40;
	} else if (m > 20) {
		y -= 100;
		m -= 20;
	}
	if (!valid_date(y, m, d))
		return 0;
	return wsum(b, w, 9) % 11 % 10 == dv(b[9]);
}

/* Bulgarian number of a foreigner (PNF). */
static int
bg_pnf_ok(const char *b)
{
	static const int w[9] = { 21, 19, 17, 13, 11, 9, 7, 3, 1 };

	return wsum(b, w, 9) % 10 == dv(b[9]);
}

/* Other 10-digit Bulgarian VAT numbers. */
static int
bg_other_ok(const char *b)
{
	static const int w[9] = { 4, 3, 2, 7, 6, 5, 4, 3, 2 };

	return (11 - wsum(b, w, 9) % 11) % 11 == dv(b[9]);
}

/* ---- the national checks, in prefix order ----------------------------- */

/* Austria (at.uid): U + 8 digits, a Luhn variant over digits 1-7. */
static enum gen_rc
chk_at(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 9 || v->b[0] != 'U' || !alldig(v->b + 1, 8))
		return bad_shape(v, err);
	if ((16 - luhn_sum(v->b + 1, 7)) % 10 != dv(v->b[8]))
		return bad_check(v, "check digit (Luhn variant)", err);
	return GEN_OK;
}

/* Belgium (be.vat): 10 digits, the last two are 97 - (first 8 mod 97). */
static enum gen_rc
chk_be(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 10 || !alldig(v->b, 10) || numval(v->b, 10) == 0)
		return bad_shape(v, err);
	if ((numval(v->b, 8) + numval(v->b + 8, 2)) % 97 != 0)
		return bad_check(v, "check digits (97 - first 8 digits mod 97)",
		    err);
	return GEN_OK;
}

/* Bulgaria (bg.vat): 9 digits for legal entities, 10 for natural persons
 * (EGN), foreigners (PNF) and others. */
static enum gen_rc
chk_bg(const struct vnum *v, struct gen_err *err)
{
	const char *b = v->b;
	int c, i;

	if ((v->n != 9 && v->n != 10) || !alldig(b, v->n))
		return bad_shape(v, err);
	if (v->n == 10) {
		if (bg_egn_ok(b) || bg_pnf_ok(b) || bg_other_ok(b))
			return GEN_OK;
		return bad_check(v, "check digit (of an EGN, a PNF or another "
		    "10-digit number)", err);
	}
	for (c = 0, i = 0; i < 8; i++)
		c += (i + 1) * dv(b[i]);
	c %= 11;
	if (c == 10) {
		for (c = 0, i = 0; i < 8; i++)
			c += (i + 3) * dv(b[i]);
		c %= 11;
	}
	if (c % 10 != dv(b[8]))
		return bad_check(v, "check digit (legal entity, weighted mod 11)",
		    err);
	return GEN_OK;
}

/* Cyprus (cy.vat): 8 digits and a check letter. */
static enum gen_rc
chk_cy(const struct vnum *v, struct gen_err *err)
{
	static const int even[10] = { 1, 0, 5, 7, 9, 13, 15, 17, 19, 21 };
	int sum = 0, i;

	if (v->n != 9 || !alldig(v->b, 8) || !ascii_is_upper(v->b[8]))
		return bad_shape(v, err);
	if (v->b[0] == '1' && v->b[1] == '2')
		return bad_part(v, err, "Cypriot numbers cannot start with 12");
	for (i = 0; i < 8; i++)
		sum += i % 2 == 0 ? even[dv(v->b[i])] : dv(v->b[i]);
	if ('A' + sum % 26 != v->b[8])
		return bad_check(v, "check letter", err);
	return GEN_OK;
}

/* Czech Republic (cz.dic): 8 digits (legal entity), 9 digits starting
 * with 6 (special), otherwise a 9- or 10-digit birth number. */
static enum gen_rc
chk_cz(const struct vnum *v, struct gen_err *err)
{
	const char *b = v->b;
	int c, i;

	if (v->n < 8 || v->n > 10 || !alldig(b, v->n))
		return bad_shape(v, err);
	if (v->n == 8) {
		if (b[0] == '9')
			return bad_part(v, err, "8-digit Czech numbers (legal "
			    "entities) cannot start with 9");
		for (c = 0, i = 0; i < 7; i++)
			c += (8 - i) * dv(b[i]);
		c = (11 - c % 11) % 11;
		if (c == 0)
			c = 1;
		if (c % 10 != dv(b[7]))
			return bad_check(v, "check digit (legal entity, "
			    "weighted mod 11)", err);
		return GEN_OK;
	}
	if (v->n == 9 && b[0] == '6') {
		for (c = 0, i = 0; i < 7; i++)
			c += (8 - i) * dv(b[i + 1]);
		c %= 11;
		if (pmod(8 - (10 - c) % 11, 10) != dv(b[8]))
			return bad_check(v, "check digit (9-digit special "
			    "number, weighted mod 11)", err);
		return GEN_OK;
	}
	switch (birthno_test(b, v->n)) {
	case RC_OK:
		return GEN_OK;
	case RC_LATE9:
		return bad_part(v, err, "9-digit Czech birth numbers exist only "
		    "for births before 1954");
	case RC_DATE:
		return bad_part(v, err, "the date YYMMDD of this Czech birth "
		    "number is not a valid date");
	case RC_CHECK:
	default:
		return bad_check(v, "check digit (birth number mod 11)", err);
	}
}

/* Germany (de.vat): 9 digits, ISO 7064 MOD 11,10. */
static enum gen_rc
chk_de(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 9 || !alldig(v->b, 9) || v->b[0] == '0')
		return bad_shape(v, err);
	if (!mod11_10_ok(v->b, 9))
		return bad_check(v, "check digit (ISO 7064 MOD 11,10)", err);
	return GEN_OK;
}

/* Denmark (dk.cvr): 8 digits, weighted sum divisible by 11. */
static enum gen_rc
chk_dk(const struct vnum *v, struct gen_err *err)
{
	static const int w[8] = { 2, 7, 6, 5, 4, 3, 2, 1 };

	if (v->n != 8 || !alldig(v->b, 8) || v->b[0] == '0')
		return bad_shape(v, err);
	if (wsum(v->b, w, 8) % 11 != 0)
		return bad_check(v, "check digit (weighted mod 11)", err);
	return GEN_OK;
}

/* Estonia (ee.kmkr): 9 digits, weights 3 7 1, sum divisible by 10. */
static enum gen_rc
chk_ee(const struct vnum *v, struct gen_err *err)
{
	static const int w[9] = { 3, 7, 1, 3, 7, 1, 3, 7, 1 };

	if (v->n != 9 || !alldig(v->b, 9))
		return bad_shape(v, err);
	if (wsum(v->b, w, 9) % 10 != 0)
		return bad_check(v, "check digit (weights 3 7 1, mod 10)", err);
	return GEN_OK;
}

/* Greece (gr.vat): 9 digits, weights powers of two, mod 11. */
static enum gen_rc
chk_el(const struct vnum *v, struct gen_err *err)
{
	int c = 0, i;

	if (v->n != 9 || !alldig(v->b, 9))
		return bad_shape(v, err);
	for (i = 0; i < 8; i++)
		c = c * 2 + dv(v->b[i]);
	if (c * 2 % 11 % 10 != dv(v->b[8]))
		return bad_check(v, "check digit (powers of 2, mod 11)", err);
	return GEN_OK;
}

/*
 * Spain (es.nif): 9 characters, the middle 7 digits.  A digit first: DNI
 * (8 digits + letter); X Y Z: NIE; K L M: DNI letter over the 7 digits;
 * A-W organisation letters: CIF (Luhn digit, or the letter for it).
 */
static enum gen_rc
chk_es(const struct vnum *v, struct gen_err *err)
{
	static const char dni[] = "TRWAGMYFPDXBNJZSQVHLCKE";
	static const char cifl[] = "JABCDEFGHI";
	const char *b = v->b;
	char f = b[0];
	long long x;
	int c;

	if (v->n != 9 || !alldig(b + 1, 7))
		return bad_shape(v, err);
	if (ascii_is_digit(f) || f == 'X' || f == 'Y' || f == 'Z') {
		x = numval(b + 1, 7);
		if (ascii_is_digit(f))
			x += dv(f) * 10000000LL;
		else
			x += (f - 'X') * 10000000LL;
		if (dni[x % 23] != b[8])
			return bad_check(v, ascii_is_digit(f) ?
			    "check letter (DNI, number mod 23)" :
			    "check letter (NIE, mod 23)", err);
		return GEN_OK;
	}
	if (f == 'K' || f == 'L' || f == 'M') {
		if (dni[numval(b + 1, 7) % 23] != b[8])
			return bad_check(v, "check letter (K/L/M form, "
			    "number mod 23)", err);
		return GEN_OK;
	}
	if (strchr("ABCDEFGHJNPQRSUVW", f) == NULL)
		return bad_part(v, err, "Spanish numbers cannot start with '%c'; "
		    "allowed: a digit or one of A B C D E F G H J K L M N P Q R "
		    "S U V W X Y Z", f);
	c = luhn_digit(b + 1, 7);
	if (b[8] != '0' + c && b[8] != cifl[c])
		return bad_check(v, "check character (CIF, Luhn)", err);
	return GEN_OK;
}

/* Finland (fi.alv): 8 digits, weighted sum divisible by 11. */
static enum gen_rc
chk_fi(const struct vnum *v, struct gen_err *err)
{
	static const int w[8] = { 7, 9, 10, 5, 8, 4, 2, 1 };

	if (v->n != 8 || !alldig(v->b, 8))
		return bad_shape(v, err);
	if (wsum(v->b, w, 8) % 11 != 0)
		return bad_check(v, "check digit (weighted mod 11)", err);
	return GEN_OK;
}

/* Index of c in the French key alphabet 0-9 A-Z without I and O, or -1. */
static int
fr_index(char c)
{
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
	const char *p;

	if (c == '\0' || (p = strchr(alpha, c)) == NULL)
		return -1;
	return (int)(p - alpha);
}

/*
 * France (fr.tva): a 2-character key and the 9-digit SIREN (Luhn; not
 * checked for Monaco, SIREN 000...).  A numeric key is
 * (SIREN * 100 + 12) mod 97; the alphanumeric keys of the "new" system
 * are checked with their mod 11 rule.
 */
static enum gen_rc
chk_fr(const struct vnum *v, struct gen_err *err)
{
	const char *b = v->b;
	long long siren;
	int c, k0, k1;

	if (v->n != 11 || !alldig(b + 2, 9) || (k0 = fr_index(b[0])) < 0 ||
	    (k1 = fr_index(b[1])) < 0)
		return bad_shape(v, err);
	if (memcmp(b + 2, "000", 3) != 0 && luhn_sum(b + 2, 9) != 0)
		return bad_check(v, "SIREN check digit (Luhn)", err);
	siren = numval(b + 2, 9);
	if (k0 < 10 && k1 < 10) {
		if (k0 * 10 + k1 != (siren * 100 + 12) % 97)
			return bad_check(v, "check key ((SIREN * 100 + 12) "
			    "mod 97)", err);
		return GEN_OK;
	}
	c = k0 < 10 ? k0 * 24 + k1 - 10 : k0 * 34 + k1 - 100;
	if ((siren + 1 + c / 11) % 11 != c % 11)
		return bad_check(v, "alphanumeric check key", err);
	return GEN_OK;
}

/* Croatia (hr.oib): 11 digits, ISO 7064 MOD 11,10. */
static enum gen_rc
chk_hr(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 11 || !alldig(v->b, 11))
		return bad_shape(v, err);
	if (!mod11_10_ok(v->b, 11))
		return bad_check(v, "check digit (ISO 7064 MOD 11,10)", err);
	return GEN_OK;
}

/* Hungary (hu.anum): 8 digits, weights 9 7 3 1, sum divisible by 10. */
static enum gen_rc
chk_hu(const struct vnum *v, struct gen_err *err)
{
	static const int w[8] = { 9, 7, 3, 1, 9, 7, 3, 1 };

	if (v->n != 8 || !alldig(v->b, 8))
		return bad_shape(v, err);
	if (wsum(v->b, w, 8) % 10 != 0)
		return bad_check(v, "check digit (weights 9 7 3 1, mod 10)", err);
	return GEN_OK;
}

/* Irish letter value: W=0, A=1 ... V=22; -1 for X, Y, Z and non-letters. */
static int
ie_value(char c)
{
	if (c == 'W')
		return 0;
	if (c >= 'A' && c <= 'V')
		return c - 'A' + 1;
	return -1;
}

/*
 * Ireland (ie.vat): 7 digits, a check letter and optionally a second
 * letter (2013 form), or the old form digit, letter, 5 digits, check
 * letter.  The check letter is a weighted sum mod 23 (as letter value).
 */
static enum gen_rc
chk_ie(const struct vnum *v, struct gen_err *err)
{
	static const char letter[] = "WABCDEFGHIJKLMNOPQRSTUV";
	const char *b = v->b;
	int sum, i;

	if ((v->n != 8 && v->n != 9) || !alldig(b, 1) || !alldig(b + 2, 5) ||
	    ie_value(b[7]) < 0)
		return bad_shape(v, err);
	if (ascii_is_digit(b[1])) {
		sum = 0;
		if (v->n == 9) {
			if (ie_value(b[8]) < 0)
				return bad_shape(v, err);
			sum = 9 * ie_value(b[8]);
		}
		for (i = 0; i < 7; i++)
			sum += (8 - i) * dv(b[i]);
	} else {
		/* old form: the leading digit moves to the end */
		if (v->n != 8 || !ascii_is_upper(b[1]))
			return bad_shape(v, err);
		sum = 2 * dv(b[0]);
		for (i = 2; i < 7; i++)
			sum += (9 - i) * dv(b[i]);
	}
	if (letter[sum % 23] != b[7])
		return bad_check(v, "check letter (weighted mod 23)", err);
	return GEN_OK;
}

/* Italy (it.iva): 11 digits, office code in digits 8-10, Luhn. */
static enum gen_rc
chk_it(const struct vnum *v, struct gen_err *err)
{
	long long office;

	if (v->n != 11 || !alldig(v->b, 11))
		return bad_shape(v, err);
	if (numval(v->b, 7) == 0)
		return bad_part(v, err, "the first 7 digits of an Italian "
		    "number cannot all be 0");
	office = numval(v->b + 7, 3);
	if (!((office >= 1 && office <= 100) || office == 120 ||
	    office == 121 || office == 888 || office == 999))
		return bad_part(v, err, "digits 8-10 of an Italian number are "
		    "an office code; allowed: 001-100, 120, 121, 888, 999, "
		    "not %03lld", office);
	if (luhn_sum(v->b, 11) != 0)
		return bad_check(v, "check digit (Luhn)", err);
	return GEN_OK;
}

/*
 * Lithuania (lt.pvm): 9 digits (legal entities, 8th digit 1) or 12 digits
 * (11th digit 1).  Weights 1..9,1,2 mod 11; when that gives 10 the weights
 * are shifted by two (3..9,1,2,3,4) and a second 10 counts as 0.
 */
static enum gen_rc
chk_lt(const struct vnum *v, struct gen_err *err)
{
	const char *b = v->b;
	size_t i, m;
	int c;

	if ((v->n != 9 && v->n != 12) || !alldig(b, v->n))
		return bad_shape(v, err);
	if (v->n == 9 && b[7] != '1')
		return bad_part(v, err, "the 8th digit of a 9-digit Lithuanian "
		    "number must be 1");
	if (v->n == 12 && b[10] != '1')
		return bad_part(v, err, "the 11th digit of a 12-digit "
		    "Lithuanian number must be 1");
	m = v->n - 1;
	for (c = 0, i = 0; i < m; i++)
		c += (int)(1 + i % 9) * dv(b[i]);
	c %= 11;
	if (c == 10) {
		for (c = 0, i = 0; i < m; i++)
			c += (int)(1 + (i + 2) % 9) * dv(b[i]);
		c %= 11;
	}
	if (c % 10 != dv(b[m]))
		return bad_check(v, "check digit (weighted mod 11)", err);
	return GEN_OK;
}

/* Luxembourg (lu.tva): 8 digits, the last two are the first 6 mod 89. */
static enum gen_rc
chk_lu(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 8 || !alldig(v->b, 8))
		return bad_shape(v, err);
	if (numval(v->b, 6) % 89 != numval(v->b + 6, 2))
		return bad_check(v, "check digits (first 6 digits mod 89)", err);
	return GEN_OK;
}

/*
 * Latvia (lv.pvn): 11 digits.  First digit above 3: legal entity,
 * weighted sum mod 11 must be 3.  Otherwise a personal code DDMMYY + a
 * century digit (0 = 1800s, 1 = 1900s, 2 = 2000s) with its own check digit.
 */
static enum gen_rc
chk_lv(const struct vnum *v, struct gen_err *err)
{
	static const int wl[11] = { 9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1 };
	static const int wp[10] = { 10, 5, 8, 4, 2, 1, 6, 3, 7, 9 };
	const char *b = v->b;
	int y;

	if (v->n != 11 || !alldig(b, 11))
		return bad_shape(v, err);
	if (b[0] > '3') {
		if (wsum(b, wl, 11) % 11 != 3)
			return bad_check(v, "check digit (legal entity, "
			    "weighted mod 11)", err);
		return GEN_OK;
	}
	y = (int)numval(b + 4, 2) + 1800 + 100 * dv(b[6]);
	if (!valid_date(y, (int)numval(b + 2, 2), (int)numval(b, 2)))
		return bad_part(v, err, "a Latvian personal code starts with "
		    "the birth date DDMMYY, and %.6s is not a valid date", b);
	if ((1 + wsum(b, wp, 10)) % 11 % 10 != dv(b[10]))
		return bad_check(v, "check digit (personal code, weighted "
		    "mod 11)", err);
	return GEN_OK;
}

/* Malta (mt.vat): 8 digits, weighted sum divisible by 37. */
static enum gen_rc
chk_mt(const struct vnum *v, struct gen_err *err)
{
	static const int w[8] = { 3, 4, 6, 7, 8, 9, 10, 1 };

	if (v->n != 8 || !alldig(v->b, 8) || v->b[0] == '0')
		return bad_shape(v, err);
	if (wsum(v->b, w, 8) % 37 != 0)
		return bad_check(v, "check digits (weighted mod 37)", err);
	return GEN_OK;
}

/*
 * Netherlands (nl.btw): 9 digits, B, 2 digits (not 00).  Valid when the 9
 * digits pass the BSN "11 test" or, for sole proprietors' numbers since
 * 2020, when "NL" + the 12 characters pass ISO 7064 MOD 97-10.
 */
static enum gen_rc
chk_nl(const struct vnum *v, struct gen_err *err)
{
	static const int w[9] = { 9, 8, 7, 6, 5, 4, 3, 2, -1 };
	const char *s;
	int r;

	if (v->n != 12 || !alldig(v->b, 9) || v->b[9] != 'B' ||
	    !alldig(v->b + 10, 2) || numval(v->b, 9) == 0 ||
	    numval(v->b + 10, 2) == 0)
		return bad_shape(v, err);
	if (wsum(v->b, w, 9) % 11 == 0)
		return GEN_OK;
	for (r = 0, s = v->full; *s != '\0'; s++)
		r = ascii_is_digit(*s) ? (r * 10 + dv(*s)) % 97 :
		    (r * 100 + (*s - 'A' + 10)) % 97;
	if (r != 1)
		return bad_check(v, "check digit (mod 11, nor the MOD 97-10 "
		    "of sole proprietors)", err);
	return GEN_OK;
}

/* Poland (pl.nip): 10 digits, weighted sum mod 11 equals the last digit. */
static enum gen_rc
chk_pl(const struct vnum *v, struct gen_err *err)
{
	static const int w[10] = { 6, 5, 7, 2, 3, 4, 5, 6, 7, -1 };

	if (v->n != 10 || !alldig(v->b, 10))
		return bad_shape(v, err);
	if (wsum(v->b, w, 10) % 11 != 0)
		return bad_check(v, "check digit (weighted mod 11)", err);
	return GEN_OK;
}

/* Portugal (pt.nif): 9 digits, weights 9..2, 11 - sum mod 11 (10 -> 0). */
static enum gen_rc
chk_pt(const struct vnum *v, struct gen_err *err)
{
	static const int w[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };

	if (v->n != 9 || !alldig(v->b, 9) || v->b[0] == '0')
		return bad_shape(v, err);
	if ((11 - wsum(v->b, w, 8) % 11) % 11 % 10 != dv(v->b[8]))
		return bad_check(v, "check digit (weighted mod 11)", err);
	return GEN_OK;
}

/*
 * Romania (ro.cf): a CUI of 2-10 digits (check digit: 10 * weighted sum of
 * the zero-padded rest, mod 11, mod 10), or a 13-digit personal CNP.
 */
static enum gen_rc
chk_ro(const struct vnum *v, struct gen_err *err)
{
	static const int wcui[9] = { 7, 5, 3, 2, 1, 7, 5, 3, 2 };
	static const int wcnp[12] = { 2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9 };
	const char *b = v->b;
	int c, y;
	size_t i, pad;

	if (v->n == 13 && alldig(b, 13)) {
		if (b[0] == '0')
			return bad_part(v, err, "a Romanian CNP cannot start "
			    "with 0");
		switch (b[0]) {
		case '3': case '4':
			y = 1800;
			break;
		case '5': case '6':
			y = 2000;
			break;
		default:
			y = 1900;
			break;
		}
		y += (int)numval(b + 1, 2);
		if (!valid_date(y, (int)numval(b + 3, 2),
		    (int)numval(b + 5, 2)))
			return bad_part(v, err, "digits 2-7 of a Romanian CNP "
			    "are the birth date YYMMDD, and %.6s is not a "
			    "valid date", b + 1);
		c = wsum(b, wcnp, 12) % 11;
		if ((c == 10 ? 1 : c) != dv(b[12]))
			return bad_check(v, "check digit (CNP, weighted mod 11)",
			    err);
		return GEN_OK;
	}
	if (v->n < 2 || v->n > 10 || !alldig(b, v->n) || b[0] == '0')
		return bad_shape(v, err);
	pad = 9 - (v->n - 1);
	for (c = 0, i = 0; i < v->n - 1; i++)
		c += wcui[pad + i] * dv(b[i]);
	if (10 * c % 11 % 10 != dv(b[v->n - 1]))
		return bad_check(v, "check digit (CUI, weights 7 5 3 2 1 7 5 3 "
		    "2)", err);
	return GEN_OK;
}

/* Sweden (se.vat): the 10-digit organisation number (Luhn) + 01. */
static enum gen_rc
chk_se(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 12 || !alldig(v->b, 12) || v->b[10] != '0' ||
	    v->b[11] != '1')
		return bad_shape(v, err);
	if (luhn_sum(v->b, 10) != 0)
		return bad_check(v, "check digit (Luhn on the first 10 digits)",
		    err);
	return GEN_OK;
}

/* Slovenia (si.ddv): 8 digits, 11 - weighted sum mod 11 (10 -> 0; a
 * result of 11 cannot be written, so no number has it). */
static enum gen_rc
chk_si(const struct vnum *v, struct gen_err *err)
{
	static const int w[7] = { 8, 7, 6, 5, 4, 3, 2 };
	int c;

	if (v->n != 8 || !alldig(v->b, 8) || v->b[0] == '0')
		return bad_shape(v, err);
	c = 11 - wsum(v->b, w, 7) % 11;
	if (c == 10)
		c = 0;
	if (c != dv(v->b[7]))
		return bad_check(v, "check digit (weighted mod 11)", err);
	return GEN_OK;
}

/* Slovakia (sk.dph): 10 digits divisible by 11, first digit not 0 and
 * third digit 2, 3, 4, 7, 8 or 9; a valid birth number is accepted too. */
static enum gen_rc
chk_sk(const struct vnum *v, struct gen_err *err)
{
	if (v->n != 10 || !alldig(v->b, 10))
		return bad_shape(v, err);
	if (birthno_test(v->b, 10) == RC_OK)
		return GEN_OK;
	if (v->b[0] == '0' || strchr("234789", v->b[2]) == NULL)
		return bad_part(v, err, "a Slovak number cannot start with 0 "
		    "and its third digit must be 2, 3, 4, 7, 8 or 9 (unless it "
		    "is a birth number)");
	if (numval(v->b, 10) % 11 != 0)
		return bad_check(v, "check (number divisible by 11)", err);
	return GEN_OK;
}

/*
 * Northern Ireland (gb.vat with prefix XI): 9 digits, or 12 with a branch
 * number; weights 8..2, 10, 1 mod 97 must give 0, or for numbers from 100
 * on also 42 (the "9755" series) or 55 (accepted by stdnum).  GD000-GD499
 * (government departments), HA500-HA999 (health authorities), and their
 * 11-character EU forms GD8888nnncc / HA8888nnncc with cc = nnn mod 97.
 */
static enum gen_rc
chk_xi(const struct vnum *v, struct gen_err *err)
{
	static const int w[9] = { 8, 7, 6, 5, 4, 3, 2, 10, 1 };
	const char *b = v->b;
	int gd, ha, r;
	long long k;

	gd = v->n >= 2 && b[0] == 'G' && b[1] == 'D';
	ha = v->n >= 2 && b[0] == 'H' && b[1] == 'A';
	if ((gd || ha) && (v->n == 5 || v->n == 11)) {
		if (v->n == 11 && (memcmp(b + 2, "8888", 4) != 0 ||
		    !alldig(b + 6, 5)))
			return bad_shape(v, err);
		if (v->n == 5 && !alldig(b + 2, 3))
			return bad_shape(v, err);
		k = numval(b + (v->n == 5 ? 2 : 6), 3);
		if ((gd && k >= 500) || (ha && k < 500))
			return bad_part(v, err, "government departments are "
			    "GD000-GD499 and health authorities HA500-HA999, "
			    "not %.2s%03lld", b, k);
		if (v->n == 11 && k % 97 != numval(b + 9, 2))
			return bad_check(v, "check digits (number mod 97)",
			    err);
		return GEN_OK;
	}
	if ((v->n != 9 && v->n != 12) || !alldig(b, v->n))
		return bad_shape(v, err);
	r = wsum(b, w, 9) % 97;
	if (r == 0 || (numval(b, 3) >= 100 && (r == 42 || r == 55)))
		return GEN_OK;
	return bad_check(v, "check digits (weighted mod 97, or the 9755 "
	    "variant)", err);
}

/* Sorted by prefix; vatid_country and the error messages rely on it. */
static const struct vstate states[] = {
	{ "AT", "AT", "Austrian", "ATU + 8 digits", chk_at },
	{ "BE", "BE", "Belgian",
	    "BE + 10 digits (or 9 digits of the old form)", chk_be },
	{ "BG", "BG", "Bulgarian", "BG + 9 or 10 digits", chk_bg },
	{ "CY", "CY", "Cypriot", "CY + 8 digits + 1 letter", chk_cy },
	{ "CZ", "CZ", "Czech", "CZ + 8, 9 or 10 digits", chk_cz },
	{ "DE", "DE", "German", "DE + 9 digits, not starting with 0",
	    chk_de },
	{ "DK", "DK", "Danish", "DK + 8 digits, not starting with 0",
	    chk_dk },
	{ "EE", "EE", "Estonian", "EE + 9 digits", chk_ee },
	{ "EL", "GR", "Greek", "EL + 9 digits", chk_el },
	{ "ES", "ES", "Spanish",
	    "ES + 9 characters: a letter or digit, 7 digits, a letter or "
	    "digit", chk_es },
	{ "FI", "FI", "Finnish", "FI + 8 digits", chk_fi },
	{ "FR", "FR", "French",
	    "FR + a 2-character key (digits, or letters except I and O) + "
	    "9 digits", chk_fr },
	{ "HR", "HR", "Croatian", "HR + 11 digits", chk_hr },
	{ "HU", "HU", "Hungarian", "HU + 8 digits", chk_hu },
	{ "IE", "IE", "Irish",
	    "IE + 7 digits and 1 or 2 letters A-W, or the old form digit, "
	    "letter, 5 digits, letter A-W", chk_ie },
	{ "IT", "IT", "Italian", "IT + 11 digits", chk_it },
	{ "LT", "LT", "Lithuanian", "LT + 9 or 12 digits", chk_lt },
	{ "LU", "LU", "Luxembourg", "LU + 8 digits", chk_lu },
	{ "LV", "LV", "Latvian", "LV + 11 digits", chk_lv },
	{ "MT", "MT", "Maltese", "MT + 8 digits, not starting with 0",
	    chk_mt },
	{ "NL", "NL", "Dutch",
	    "NL + 9 digits + B + 2 digits (not 00), e.g. NL004495445B01",
	    chk_nl },
	{ "PL", "PL", "Polish", "PL + 10 digits", chk_pl },
	{ "PT", "PT", "Portuguese", "PT + 9 digits, not starting with 0",
	    chk_pt },
	{ "RO", "RO", "Romanian",
	    "RO + 2 to 10 digits, not starting with 0, or a 13-digit CNP",
	    chk_ro },
	{ "SE", "SE", "Swedish", "SE + 12 digits ending in 01", chk_se },
	{ "SI", "SI", "Slovenian", "SI + 8 digits, not starting with 0",
	    chk_si },
	{ "SK", "SK", "Slovak", "SK + 10 digits", chk_sk },
	{ "XI", "GB", "Northern Ireland",
	    "XI + 9 or 12 digits, or GD/HA + 3 digits", chk_xi },
};

#define NSTATES (sizeof(states) / sizeof(states[0]))

/* The row for the first two characters of s, or NULL. */
static const struct vstate *
state_find(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || s[1] == '\0')
		return NULL;
	for (i = 0; i < NSTATES; i++)
		if (states[i].prefix[0] == s[0] && states[i].prefix[1] == s[1])
			return &states[i];
	return NULL;
}

/* ---- exported ---------------------------------------------------------- */

enum gen_rc
vatid_normalize(const char *in, char *out, size_t outsz, struct gen_err *err)
{
	size_t i, len, o = 0;
	unsigned char c;

	if (out == NULL || outsz < VATID_MAX + 1)
		return gen_err_set(err, GEN_EINTERNAL, "vatid_normalize: "
		    "output buffer of %zu bytes; need %d", outsz,
		    VATID_MAX + 1);
	out[0] = '\0';
	if (in == NULL)
		return gen_err_set(err, GEN_EINPUT, "vat_number: missing; "
		    "allowed: a 2-letter prefix (" ALLOWED_PREFIXES ") and the "
		    "national number");
	for (len = 0; len <= VATID_MAX && in[len] != '\0'; len++)
		continue;
	if (len > VATID_MAX)
		return gen_err_set(err, GEN_EINPUT, "vat_number: too long; "
		    "allowed: at most %d characters", VATID_MAX);
	for (i = 0; i < len; i++) {
		c = (unsigned char)in[i];
		if (c == ' ' || c == '.' || c == '-' || c == '/' || c == ',')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!ascii_is_digit((char)c) && !ascii_is_upper((char)c)) {
			out[0] = '\0';
			if (c > 0x20 && c < 0x7f)
				return gen_err_set(err, GEN_EINPUT,
				    "vat_number: character '%c' at position "
				    "%zu is not allowed; allowed: "
				    ALLOWED_CHARS, c, i + 1);
			return gen_err_set(err, GEN_EINPUT, "vat_number: byte "
			    "0x%02X at position %zu is not allowed; allowed: "
			    ALLOWED_CHARS, c, i + 1);
		}
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (o == 0)
		return gen_err_set(err, GEN_EINPUT, "vat_number: empty; "
		    "allowed: a 2-letter prefix (" ALLOWED_PREFIXES ") and the "
		    "national number");
	if (o >= 2 && out[0] == 'G' && out[1] == 'R') {
		out[0] = 'E';
		out[1] = 'L';
	}
	return GEN_OK;
}

/*
 * Restore leading zeros that the old short forms omit: Belgian 9 digits,
 * Greek 8 digits, Dutch fewer than 9 digits before B + 2 characters.
 * num holds a normalised number and has room for VATID_MAX + 1 bytes;
 * the padded numbers are at most 14 characters.
 */
static void
pad_short_forms(char *num)
{
	size_t n = strlen(num) - 2, pad = 0;
	char *b = num + 2;

	if (memcmp(num, "BE", 2) == 0 && n == 9 && alldig(b, 9))
		pad = 1;
	else if (memcmp(num, "EL", 2) == 0 && n == 8 && alldig(b, 8))
		pad = 1;
	else if (memcmp(num, "NL", 2) == 0 && n >= 4 && n < 12 &&
	    b[n - 3] == 'B' && alldig(b, n - 3))
		pad = 12 - n;
	if (pad == 0)
		return;
	memmove(b + pad, b, n + 1);
	memset(b, '0', pad);
}

enum gen_rc
vatid_check(const char *number, char *normalized, size_t normsz,
    struct gen_err *err)
{
	char num[VATID_MAX + 1];
	const struct vstate *st;
	struct vnum v;
	enum gen_rc rc;

	if (normalized != NULL) {
		if (normsz < VATID_MAX + 1)
			return gen_err_set(err, GEN_EINTERNAL, "vatid_check: "
			    "output buffer of %zu bytes; need %d", normsz,
			    VATID_MAX + 1);
		normalized[0] = '\0';
	}
	rc = vatid_normalize(number, num, sizeof(num), err);
	if (rc != GEN_OK)
		return rc;
	if (!ascii_is_upper(num[0]) || !ascii_is_upper(num[1])) {
		rc = gen_err_set(err, GEN_EINPUT, "vat_number: '%s' must start "
		    "with a 2-letter country prefix; allowed: "
		    ALLOWED_PREFIXES, num);
		goto out;
	}
	if ((st = state_find(num)) == NULL) {
		if (num[0] == 'G' && num[1] == 'B')
			rc = gen_err_set(err, GEN_EINPUT, "vat_number: prefix "
			    "'GB' is not an EU VAT prefix (Great Britain left "
			    "the EU VAT area; Northern Ireland traders in "
			    "goods use XI); allowed: " ALLOWED_PREFIXES);
		else
			rc = gen_err_set(err, GEN_EINPUT, "vat_number: prefix "
			    "'%.2s' is not an EU VAT prefix; allowed: "
			    ALLOWED_PREFIXES, num);
		goto out;
	}
	pad_short_forms(num);
	v.st = st;
	v.full = num;
	v.b = num + 2;
	v.n = strlen(v.b);
	rc = st->check(&v, err);
out:
	if (normalized != NULL)
		memcpy(normalized, num, strlen(num) + 1);
	return rc;
}

const char *
vatid_country(const char *normalized)
{
	const struct vstate *st = state_find(normalized);

	return st == NULL ? NULL : st->iso;
}

const char *
vatid_prefix_for_country(const char *iso2)
{
	size_t i;

	if (iso2 == NULL || strlen(iso2) != 2)
		return NULL;
	for (i = 0; i < NSTATES; i++)
		if (strcmp(states[i].prefix, "XI") != 0 &&
		    strcmp(states[i].iso, iso2) == 0)
			return states[i].prefix;
	return NULL;
}
