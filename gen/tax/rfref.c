/*
 * rfref.c - ISO 11649 structured creditor references (see rfref.h).
 *
 * Check digits: 98 - ((body + "RF00") mod 97) with letters as 10..35, the
 * ISO 7064 MOD 97-10 scheme also used by IBANs (iban_mod97).  Must not
 * allocate, print or keep state.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "iban.h"
#include "rfref.h"

static int
is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Printable ASCII as itself, anything else as hex, for messages. */
static void
describe_byte(unsigned char c, char *out, size_t sz)
{
	if (c >= 0x20 && c < 0x7f)
		snprintf(out, sz, "'%c'", c);
	else
		snprintf(out, sz, "byte 0x%02X", c);
}

enum gen_rc
rfref_body_from_order_no(const char *order_no, char *out, size_t sz,
    struct gen_err *err)
{
	char	 body[RFREF_BODY_SIZE], what[16];
	size_t	 i, n = 0;

	if (order_no == NULL)
		order_no = "";
	for (i = 0; order_no[i] != '\0'; i++) {
		unsigned char c = (unsigned char)order_no[i];

		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (is_upper((char)c) || is_digit((char)c)) {
			if (n < RFREF_BODY_MAX)
				body[n] = (char)c;
			n++;
		} else if (c < 0x20 || c >= 0x7f) {
			describe_byte(c, what, sizeof(what));
			return gen_err_set(err, GEN_EINPUT, "order_no: "
			    "character %zu (%s) cannot go into an ISO 11649 "
			    "creditor reference; allowed: ASCII letters, "
			    "digits and separators", i + 1, what);
		}
		/* Other printable ASCII is a separator and dropped. */
	}
	if (n == 0)
		return gen_err_set(err, GEN_EINPUT, "order_no \"%.80s\": no "
		    "letters or digits for an ISO 11649 creditor reference; "
		    "allowed: 1..%d", order_no, RFREF_BODY_MAX);
	if (n > RFREF_BODY_MAX)
		return gen_err_set(err, GEN_EINPUT, "order_no \"%.80s\": %zu "
		    "letters and digits without separators; allowed: at most "
		    "%d in an ISO 11649 creditor reference", order_no, n,
		    RFREF_BODY_MAX);
	body[n] = '\0';
	if (sz < n + 1)
		return gen_err_set(err, GEN_EINTERNAL, "order_no: output "
		    "buffer of %zu bytes is too small for %zu", sz, n + 1);
	memcpy(out, body, n + 1);
	return GEN_OK;
}

/*
 * Compute the check digits of a valid body (A-Z, 0-9, 1..21 characters)
 * as an int 2..98.
 */
static int
check_digits(const char *body)
{
	char	 tmp[RFREF_BODY_MAX + 5];
	size_t	 n = strlen(body);

	memcpy(tmp, body, n);
	memcpy(tmp + n, "RF00", 5);
	return 98 - iban_mod97(tmp);
}

enum gen_rc
rfref_make(const char *body, char *out, size_t sz, struct gen_err *err)
{
	char	 what[16];
	size_t	 i, n;

	if (body == NULL)
		body = "";
	for (i = 0; body[i] != '\0'; i++) {
		if (is_upper(body[i]) || is_digit(body[i]))
			continue;
		describe_byte((unsigned char)body[i], what, sizeof(what));
		return gen_err_set(err, GEN_EINPUT, "rf reference: body "
		    "character %zu (%s) is not allowed; allowed: A-Z, 0-9",
		    i + 1, what);
	}
	n = i;
	if (n == 0 || n > RFREF_BODY_MAX)
		return gen_err_set(err, GEN_EINPUT, "rf reference: body has "
		    "%zu characters; allowed: 1..%d (ISO 11649)", n,
		    RFREF_BODY_MAX);
	if (sz < n + 5)
		return gen_err_set(err, GEN_EINTERNAL, "rf reference: output "
		    "buffer of %zu bytes is too small for %zu", sz, n + 5);
	snprintf(out, sz, "RF%02d%s", check_digits(body), body);
	return GEN_OK;
}

enum gen_rc
rfref_check(const char *in, char *normalized, size_t sz, struct gen_err *err)
{
	char	 s[RFREF_SIZE], moved[RFREF_SIZE], pr[RFREF_PRINT_SIZE];
	char	 what[16];
	size_t	 i, n = 0;
	int	 cd;

	if (in == NULL)
		in = "";
	for (i = 0; in[i] != '\0'; i++) {
		char c = in[i];

		if (c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!is_upper(c) && !is_digit(c)) {
			describe_byte((unsigned char)in[i], what, sizeof(what));
			return gen_err_set(err, GEN_EINPUT, "rf reference: "
			    "character %zu (%s) is not allowed; allowed: "
			    "letters A-Z, digits 0-9 and spaces", i + 1, what);
		}
		if (n < RFREF_MAX)
			s[n] = c;
		n++;
	}
	if (n == 0)
		return gen_err_set(err, GEN_EINPUT, "rf reference: empty; "
		    "allowed: a reference such as RF18 5390 0754 7034");
	if (n > RFREF_MAX)
		return gen_err_set(err, GEN_EINPUT, "rf reference: %zu "
		    "letters and digits; allowed: at most %d (ISO 11649)", n,
		    RFREF_MAX);
	s[n] = '\0';
	if (n < 2 || s[0] != 'R' || s[1] != 'F')
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s does "
		    "not start with RF (ISO 11649)", s);
	if (n < 4 || !is_digit(s[2]) || !is_digit(s[3]))
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s: "
		    "characters 3 and 4 must be the check digits; allowed: "
		    "02..98", s);
	cd = (s[2] - '0') * 10 + (s[3] - '0');
	if (cd < 2 || cd > 98)
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s: check "
		    "digits %02d are out of range; allowed: 02..98 (ISO 11649)",
		    s, cd);
	if (n == 4)
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s has no "
		    "reference after the check digits; allowed: 1..%d letters "
		    "or digits", s, RFREF_BODY_MAX);

	memcpy(moved, s + 4, n - 4);
	memcpy(moved + n - 4, s, 4);
	moved[n] = '\0';
	if (iban_mod97(moved) != 1) {
		rfref_format(s, pr, sizeof(pr));
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s fails "
		    "the check digits (ISO 11649 MOD 97-10)", pr);
	}
	if (normalized != NULL) {
		if (sz < n + 1)
			return gen_err_set(err, GEN_EINTERNAL, "rf reference: "
			    "output buffer of %zu bytes is too small for %zu",
			    sz, n + 1);
		memcpy(normalized, s, n + 1);
	}
	return GEN_OK;
}

void
rfref_format(const char *normalized, char *out, size_t sz)
{
	/* Same grouping as an IBAN: fours, one space between. */
	iban_format(normalized, out, sz);
}
