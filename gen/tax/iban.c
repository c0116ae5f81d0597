/*
 * iban.c - ISO 13616 IBAN validation and printing (see iban.h).
 *
 * Holds the SWIFT IBAN registry's country lengths and the ISO 7064
 * MOD 97-10 arithmetic.  Must not allocate, print or keep state: every
 * function works on the caller's buffers only.
 */
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "err.h"
#include "iban.h"

/*
 * Total IBAN length per country, from the SWIFT IBAN Registry
 * (iban-registry_1.txt, https://www.swift.com/standards/data-standards/iban):
 * 4 (country code and check digits) plus the BBAN length of the registry's
 * "BBAN structure" column.  89 countries, including the recent additions
 * FK, HN, MN, NI, OM, SO and YE; cross-checked against python-stdnum's
 * stdnum/iban.dat, which is generated from the same registry file (the
 * older copy in Debian 12's python3-stdnum 1.18 lacks those seven), and
 * against the registry's example IBANs (tests/unit/test-iban.c).
 * Territories that use another country's IBAN (Aland: FI, French overseas
 * departments: FR, Guernsey/Jersey/Isle of Man: GB) are not listed: their
 * IBANs start with the parent country's code.  Sorted by code.
 */
static const struct {
	char	 cc[3];
	int	 len;
} registry[] = {
	{"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20},
	{"BE", 16}, {"BG", 22}, {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28},
	{"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DJ", 27},
	{"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
	{"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23},
	{"GL", 18}, {"GR", 27}, {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28},
	{"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30},
	{"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
	{"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22},
	{"MK", 19}, {"MN", 20}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28},
	{"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24}, {"PL", 28}, {"PS", 29},
	{"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
	{"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27},
	{"SO", 23}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26},
	{"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20}, {"YE", 30},
};

int
iban_country_length(const char *cc)
{
	size_t	 i;

	if (cc == NULL || !ascii_is_upper(cc[0]) || !ascii_is_upper(cc[1]))
		return 0;
	for (i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
		if (registry[i].cc[0] == cc[0] && registry[i].cc[1] == cc[1])
			return registry[i].len;
	return 0;
}

/*
 * One step per character: a digit shifts the remainder by one decimal
 * place, a letter (two digits, 10..35) by two.  The remainder stays below
 * 97, so 96 * 100 + 35 fits an int and no big numbers are needed.
 */
int
iban_mod97(const char *s)
{
	int	 r = 0;

	for (; *s != '\0'; s++) {
		if (ascii_is_digit(*s))
			r = (r * 10 + (*s - '0')) % 97;
		else if (ascii_is_upper(*s))
			r = (r * 100 + (*s - 'A' + 10)) % 97;
		else
			return -1;
	}
	return r;
}

void
iban_format(const char *normalized, char *out, size_t sz)
{
	size_t	 i, o = 0;

	if (sz == 0)
		return;
	for (i = 0; normalized[i] != '\0'; i++) {
		if (i > 0 && i % 4 == 0) {
			if (o + 1 >= sz)
				break;
			out[o++] = ' ';
		}
		if (o + 1 >= sz)
			break;
		out[o++] = normalized[i];
	}
	out[o] = '\0';
}

void
iban_describe_byte(unsigned char c, char *out, size_t sz)
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(out, sz, "'%c'", c);
	else
		snprintf(out, sz, "byte 0x%02X", c);
}

enum gen_rc
iban_compact(const char *in, const char *what, char *out, size_t max,
    size_t *n, struct gen_err *err)
{
	char	 b[16];
	size_t	 i;

	*n = 0;
	for (i = 0; in != NULL && in[i] != '\0'; i++) {
		char c = in[i];

		if (c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!ascii_is_upper(c) && !ascii_is_digit(c)) {
			iban_describe_byte((unsigned char)in[i], b, sizeof(b));
			return gen_err_set(err, GEN_EINPUT, "%s: character "
			    "%zu (%s) is not allowed; allowed: letters A-Z, "
			    "digits 0-9 and spaces", what, i + 1, b);
		}
		if (*n < max)
			out[*n] = c;
		(*n)++;
	}
	return GEN_OK;
}

enum gen_rc
iban_check_digits(const char *s, size_t n, const char *what,
    const char *standard, struct gen_err *err)
{
	int cd;

	if (n < 4 || !ascii_is_digit(s[2]) || !ascii_is_digit(s[3]))
		return gen_err_set(err, GEN_EINPUT, "%s: %s: characters 3 "
		    "and 4 must be the check digits; allowed: 02..98", what, s);
	cd = (s[2] - '0') * 10 + (s[3] - '0');
	if (cd < 2 || cd > 98)
		return gen_err_set(err, GEN_EINPUT, "%s: %s: check digits "
		    "%02d are out of range; allowed: 02..98 (%s)", what, s, cd,
		    standard);
	return GEN_OK;
}

enum gen_rc
iban_copy_out(const char *s, size_t n, const char *what, char *out,
    size_t sz, struct gen_err *err)
{
	if (sz < n + 1)
		return gen_err_set(err, GEN_EINTERNAL, "%s: output buffer of "
		    "%zu bytes is too small for %zu", what, sz, n + 1);
	memcpy(out, s, n + 1);
	return GEN_OK;
}

/* The country code (or "RF") and the check digits go behind the rest. */
int
iban_rotated_ok(const char *s, size_t n)
{
	char moved[64];

	if (n < 4 || n >= sizeof(moved))
		return 0;
	memcpy(moved, s + 4, n - 4);
	memcpy(moved + n - 4, s, 4);
	moved[n] = '\0';
	return iban_mod97(moved) == 1;
}

enum gen_rc
iban_check(const char *in, char *normalized, size_t sz, struct gen_err *err)
{
	char	 s[IBAN_SIZE], pr[IBAN_PRINT_SIZE];
	size_t	 n;
	int	 want;
	enum gen_rc rc;

	if ((rc = iban_compact(in, "iban", s, IBAN_MAX, &n, err)) != GEN_OK)
		return rc;
	if (n == 0)
		return gen_err_set(err, GEN_EINPUT, "iban: empty; allowed: "
		    "an IBAN such as LT12 1000 0111 0100 1000");
	if (n > IBAN_MAX)
		return gen_err_set(err, GEN_EINPUT, "iban: %zu letters and "
		    "digits; allowed: at most %d (ISO 13616)", n, IBAN_MAX);
	s[n] = '\0';

	if (n < 2 || !ascii_is_upper(s[0]) || !ascii_is_upper(s[1]))
		return gen_err_set(err, GEN_EINPUT, "iban: %s does not start "
		    "with a two-letter country code (ISO 13616)", s);
	if ((want = iban_country_length(s)) == 0)
		return gen_err_set(err, GEN_EINPUT, "iban: country code %.2s "
		    "does not issue IBANs (not in the SWIFT IBAN registry)", s);
	if ((int)n != want)
		return gen_err_set(err, GEN_EINPUT, "iban: %s has %zu "
		    "characters; allowed: %d for an IBAN of country %.2s",
		    s, n, want, s);
	if ((rc = iban_check_digits(s, n, "iban", "ISO 13616", err)) != GEN_OK)
		return rc;
	if (!iban_rotated_ok(s, n)) {
		iban_format(s, pr, sizeof(pr));
		return gen_err_set(err, GEN_EINPUT, "iban: %s fails the check "
		    "digits (ISO 13616 MOD 97-10)", pr);
	}

	return normalized != NULL ? iban_copy_out(s, n, "iban", normalized, sz,
	    err) : GEN_OK;
}
