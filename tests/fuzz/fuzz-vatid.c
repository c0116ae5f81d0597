/*
 * fuzz-vatid.c - libFuzzer harness for gen/tax/vatid.c: the input (cut at its
 * first NUL, as the C-string API sees it) is a VAT number as typed.
 *
 * Invariants checked, beyond "no crash, no leak, no UB":
 *   - refusals are GEN_EINPUT with a message naming vat_number (never
 *     GEN_EINTERNAL with a correct buffer size);
 *   - vatid_normalize is idempotent and never makes a number longer;
 *   - vatid_check gives the same verdict and the same normalised text
 *     whether it is given the raw input, vatid_normalize's output or its
 *     own normalised output;
 *   - an accepted number has a known prefix: vatid_country maps it to a
 *     country and vatid_prefix_for_country maps that country back to the
 *     prefix (XI, Northern Ireland, maps to GB, which has no prefix);
 *     it is upper-case letters and digits only.
 *
 * fuzz-options: -max_len=256 -dict=tests/fuzz/vatid.dict
 */
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "vatid.h"

/* vatid_check of s: its rc, normalised text in norm. */
static enum gen_rc
check(const char *s, char norm[VATID_MAX + 1])
{
	struct gen_err err = {0};
	enum gen_rc rc;

	memset(norm, 0x55, VATID_MAX + 1);
	rc = vatid_check(s, norm, VATID_MAX + 1, &err);
	FUZZ_CHECK(rc == GEN_OK || rc == GEN_EINPUT, "vatid_check('%s') "
	    "returned %d: %s", s, rc, err.msg);
	FUZZ_CHECK(memchr(norm, '\0', VATID_MAX + 1) != NULL, "vatid_check('%s') "
	    "left normalized unterminated", s);
	if (rc != GEN_OK)
		FUZZ_CHECK(err.msg[0] != '\0' && strstr(err.msg, "vat_number")
		    != NULL, "vatid_check('%s') refused without naming "
		    "vat_number: '%s'", s, err.msg);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char n1[VATID_MAX + 1], n2[VATID_MAX + 1];
	char c1[VATID_MAX + 1], c2[VATID_MAX + 1], c3[VATID_MAX + 1];
	struct gen_err err = {0};
	enum gen_rc rn, rc, r2;
	const char *cc, *prefix;

	/* Normalisation: idempotent, never longer. */
	rn = vatid_normalize(s, n1, sizeof(n1), &err);
	FUZZ_CHECK(rn == GEN_OK || rn == GEN_EINPUT, "vatid_normalize('%s') "
	    "returned %d: %s", s, rn, err.msg);
	if (rn == GEN_OK) {
		FUZZ_CHECK(strlen(n1) <= strlen(s), "'%s' normalised to the "
		    "longer '%s'", s, n1);
		gen_err_clear(&err);
		FUZZ_CHECK(vatid_normalize(n1, n2, sizeof(n2), &err) == GEN_OK,
		    "normalised '%s' is refused: %s", n1, err.msg);
		FUZZ_CHECK(strcmp(n1, n2) == 0, "normalising twice: '%s' then "
		    "'%s'", n1, n2);
	} else
		FUZZ_CHECK(err.msg[0] != '\0', "refused without a message");

	/* The check: same verdict and text from raw, normalised and
	 * canonical input. */
	rc = check(s, c1);
	if (rc == GEN_OK)
		FUZZ_CHECK(rn == GEN_OK, "'%s' passes vatid_check but not "
		    "vatid_normalize", s);
	if (rn == GEN_OK) {
		r2 = check(n1, c2);
		FUZZ_CHECK(r2 == rc, "'%s' gives %d, its normal form '%s' %d",
		    s, rc, n1, r2);
		FUZZ_CHECK(strcmp(c1, c2) == 0, "'%s' -> '%s', but '%s' -> "
		    "'%s'", s, c1, n1, c2);
	}
	if (c1[0] != '\0') {
		r2 = check(c1, c3);
		FUZZ_CHECK(r2 == rc, "'%s' gives %d, its canonical form '%s' "
		    "%d", s, rc, c1, r2);
		FUZZ_CHECK(strcmp(c1, c3) == 0, "canonical form not stable: "
		    "'%s' -> '%s' -> '%s'", s, c1, c3);
	}

	/* An accepted number: known prefix, letters and digits only. */
	if (rc == GEN_OK) {
		for (const char *p = c1; *p != '\0'; p++)
			FUZZ_CHECK((*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9'), "accepted '%s' has "
			    "character '%c'", c1, *p);
		cc = vatid_country(c1);
		FUZZ_CHECK(cc != NULL, "accepted '%s' has no country", c1);
		prefix = vatid_prefix_for_country(cc);
		if (strncmp(c1, "XI", 2) == 0)
			FUZZ_CHECK(strcmp(cc, "GB") == 0 && prefix == NULL,
			    "XI number '%s' maps to '%s'", c1, cc);
		else
			FUZZ_CHECK(prefix != NULL && strncmp(prefix, c1, 2) ==
			    0, "'%s' -> country %s -> prefix %s", c1, cc,
			    prefix ? prefix : "(none)");
	}
	free(s);
	return 0;
}
