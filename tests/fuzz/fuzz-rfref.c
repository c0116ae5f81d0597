/*
 * fuzz-rfref.c - libFuzzer harness for gen/tax/rfref.c (ISO 11649 creditor
 * references).  The input (cut at its first NUL) is given to all three
 * entry points: as a reference a payer typed, as an order number, and as
 * a reference body.
 *
 * Invariants checked:
 *   - refusals are GEN_EINPUT with a message; never GEN_EINTERNAL with
 *     buffers of the documented sizes;
 *   - rfref_check: an accepted reference is "RF", two check digits 02..98
 *     and a 1..21 character body of A-Z 0-9 whose MOD 97-10 remainder
 *     (body + "RF" + check digits, computed here independently) is 1;
 *     checking it again, or its printed form (rfref_format), gives OK and
 *     the same text;
 *   - rfref_body_from_order_no: an accepted order number gives a body of
 *     1..21 characters A-Z 0-9, and the body is its own body (idempotent);
 *   - rfref_make(body) succeeds exactly for bodies of 1..21 characters
 *     A-Z 0-9, and what it makes always passes rfref_check unchanged,
 *     with the body after the first four characters.
 *
 * fuzz-options: -max_len=96
 */
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "rfref.h"

/* MOD 97-10 remainder of s (0-9 A-Z only; -1 otherwise). */
static int
ref_mod97(const char *s)
{
	int r = 0;

	for (; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			r = (r * 10 + (*s - '0')) % 97;
		else if (*s >= 'A' && *s <= 'Z')
			r = (r * 100 + (*s - 'A' + 10)) % 97;
		else
			return -1;
	}
	return r;
}

/* 1 if s is 1..21 characters A-Z 0-9. */
static int
body_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > RFREF_BODY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' &&
		    s[i] <= '9')))
			return 0;
	return 1;
}

/* rc must be OK or EINPUT with a message. */
static void
refusal_ok(enum gen_rc rc, const struct gen_err *err, const char *what,
    const char *s)
{
	FUZZ_CHECK(rc == GEN_OK || (rc == GEN_EINPUT && err->msg[0] != '\0'),
	    "%s('%s') returned %d: '%s'", what, s, rc, err->msg);
}

/* A reference that rfref_check accepted: its shape and check. */
static void
valid_reference(const char *r)
{
	char tmp[RFREF_SIZE + 4];
	int cd;

	FUZZ_CHECK(strncmp(r, "RF", 2) == 0 && r[2] >= '0' && r[2] <= '9' &&
	    r[3] >= '0' && r[3] <= '9' && body_ok(r + 4), "accepted "
	    "reference '%s'", r);
	cd = (r[2] - '0') * 10 + (r[3] - '0');
	FUZZ_CHECK(cd >= 2 && cd <= 98, "'%s': check digits %d", r, cd);
	snprintf(tmp, sizeof(tmp), "%s%.4s", r + 4, r);
	FUZZ_CHECK(ref_mod97(tmp) == 1, "'%s' accepted with remainder %d", r,
	    ref_mod97(tmp));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char n1[RFREF_SIZE], n2[RFREF_SIZE], printed[RFREF_PRINT_SIZE];
	char body[RFREF_BODY_SIZE], body2[RFREF_BODY_SIZE], made[RFREF_SIZE];
	struct gen_err err = {0};
	enum gen_rc rc;

	/* As a reference. */
	rc = rfref_check(s, n1, sizeof(n1), &err);
	refusal_ok(rc, &err, "rfref_check", s);
	if (rc == GEN_OK) {
		valid_reference(n1);
		gen_err_clear(&err);
		FUZZ_CHECK(rfref_check(n1, n2, sizeof(n2), &err) == GEN_OK &&
		    strcmp(n1, n2) == 0, "'%s' -> '%s' -> '%s' (%s)", s, n1,
		    n2, err.msg);
		rfref_format(n1, printed, sizeof(printed));
		FUZZ_CHECK(rfref_check(printed, n2, sizeof(n2), &err) ==
		    GEN_OK && strcmp(n1, n2) == 0, "printed '%s' -> '%s' (%s)",
		    printed, n2, err.msg);
	}

	/* As an order number. */
	gen_err_clear(&err);
	rc = rfref_body_from_order_no(s, body, sizeof(body), &err);
	refusal_ok(rc, &err, "rfref_body_from_order_no", s);
	if (rc == GEN_OK) {
		FUZZ_CHECK(body_ok(body), "order number '%s' gave body '%s'",
		    s, body);
		FUZZ_CHECK(rfref_body_from_order_no(body, body2, sizeof(body2),
		    &err) == GEN_OK && strcmp(body, body2) == 0, "body '%s' "
		    "-> '%s' (%s)", body, body2, err.msg);
		FUZZ_CHECK(rfref_make(body, made, sizeof(made), &err) ==
		    GEN_OK, "rfref_make('%s'): %s", body, err.msg);
		valid_reference(made);
	}

	/* As a body. */
	gen_err_clear(&err);
	rc = rfref_make(s, made, sizeof(made), &err);
	refusal_ok(rc, &err, "rfref_make", s);
	FUZZ_CHECK((rc == GEN_OK) == body_ok(s), "rfref_make('%s') returned "
	    "%d", s, rc);
	if (rc == GEN_OK) {
		valid_reference(made);
		FUZZ_CHECK(strcmp(made + 4, s) == 0, "rfref_make('%s') = '%s'",
		    s, made);
		gen_err_clear(&err);
		FUZZ_CHECK(rfref_check(made, n1, sizeof(n1), &err) == GEN_OK &&
		    strcmp(made, n1) == 0, "made '%s' -> '%s' (%s)", made, n1,
		    err.msg);
	}
	free(s);
	return 0;
}
