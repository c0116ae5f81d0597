/*
 * rfref.c - ISO 11649 structured creditor references (see rfref.h).
 *
 * Check digits: 98 - ((body + "RF00") mod 97) with letters as 10..35, the
 * ISO 7064 MOD 97-10 scheme also used by IBANs (iban_mod97).  Must not
 * allocate, print or keep state.
 */
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "err.h"
#include "iban.h"
#include "rfref.h"

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
		if (ascii_is_upper((char)c) || ascii_is_digit((char)c)) {
			if (n < RFREF_BODY_MAX)
				body[n] = (char)c;
			n++;
		} else if (c < 0x20 || c >= 0x7f) {
			iban_describe_byte(c, what, sizeof(what));
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
	return iban_copy_out(body, n, "order_no", out, sz, err);
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
		if (ascii_is_upper(body[i]) || ascii_is_digit(body[i]))
			continue;
		iban_describe_byte((unsigned char)body[i], what, sizeof(what));
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
	char	 s[RFREF_SIZE], pr[RFREF_PRINT_SIZE];
	size_t	 n;
	enum gen_rc rc;

	if ((rc = iban_compact(in, "rf reference", s, RFREF_MAX, &n,
	    err)) != GEN_OK)
		return rc;
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
	if ((rc = iban_check_digits(s, n, "rf reference", "ISO 11649",
	    err)) != GEN_OK)
		return rc;
	if (n == 4)
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s has no "
		    "reference after the check digits; allowed: 1..%d letters "
		    "or digits", s, RFREF_BODY_MAX);
	if (!iban_rotated_ok(s, n)) {
		rfref_format(s, pr, sizeof(pr));
		return gen_err_set(err, GEN_EINPUT, "rf reference: %s fails "
		    "the check digits (ISO 11649 MOD 97-10)", pr);
	}
	return normalized != NULL ? iban_copy_out(s, n, "rf reference",
	    normalized, sz, err) : GEN_OK;
}

void
rfref_format(const char *normalized, char *out, size_t sz)
{
	/* Same grouping as an IBAN: fours, one space between. */
	iban_format(normalized, out, sz);
}
