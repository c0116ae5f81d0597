/*
 * fuzz-iban.c - libFuzzer harness for gen/tax/iban.c: the input (cut at its
 * first NUL) is an IBAN as a person types it, and also a string for
 * iban_mod97.
 *
 * Invariants checked:
 *   - iban_mod97 agrees with an independent MOD 97-10 computation here
 *     (-1 for a character outside 0-9 A-Z, else the remainder);
 *   - a refusal is GEN_EINPUT with a message starting "iban: ";
 *   - an accepted IBAN: the normalised form is upper-case letters and
 *     digits, as long as iban_country_length says for its country, its
 *     check digits are 02..98 and its MOD 97-10 remainder is 1; checking
 *     it again, and checking its printed form (iban_format), gives OK and
 *     the same normalised text; the printed form is groups of four
 *     separated by single spaces.
 *
 * fuzz-options: -max_len=128 -dict=tests/fuzz/iban.dict
 */
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "iban.h"

/* ISO 7064 MOD 97-10 of s after moving nothing (iban_mod97's contract):
 * digits are themselves, A..Z are 10..35; -1 for anything else. */
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

/* iban_check of s with a fresh error; the rc, the text in norm. */
static enum gen_rc
check(const char *s, char norm[IBAN_SIZE], struct gen_err *err)
{
	enum gen_rc rc;

	memset(err, 0, sizeof(*err));
	memset(norm, 0, IBAN_SIZE);
	rc = iban_check(s, norm, IBAN_SIZE, err);
	FUZZ_CHECK(rc == GEN_OK || rc == GEN_EINPUT, "iban_check('%s') "
	    "returned %d: %s", s, rc, err->msg);
	if (rc != GEN_OK)
		FUZZ_CHECK(strncmp(err->msg, "iban: ", 6) == 0, "iban_check("
		    "'%s') message '%s'", s, err->msg);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char n1[IBAN_SIZE], n2[IBAN_SIZE], n3[IBAN_SIZE];
	char printed[IBAN_PRINT_SIZE], move[IBAN_SIZE];
	struct gen_err err;
	size_t len;
	int m, want, cd;

	m = iban_mod97(s);
	want = ref_mod97(s);
	FUZZ_CHECK(m == want, "iban_mod97('%s') = %d, want %d", s, m, want);

	if (check(s, n1, &err) == GEN_OK) {
		len = strlen(n1);
		FUZZ_CHECK(len >= 5 && len <= IBAN_MAX, "'%s' accepted as "
		    "'%s' (%zu characters)", s, n1, len);
		for (size_t i = 0; i < len; i++)
			FUZZ_CHECK((n1[i] >= 'A' && n1[i] <= 'Z') ||
			    (n1[i] >= '0' && n1[i] <= '9'), "accepted '%s' "
			    "has '%c'", n1, n1[i]);
		FUZZ_CHECK((int)len == iban_country_length(n1), "'%s' has "
		    "%zu characters; its country has %d", n1, len,
		    iban_country_length(n1));
		FUZZ_CHECK(n1[2] >= '0' && n1[2] <= '9' && n1[3] >= '0' &&
		    n1[3] <= '9', "check digits of '%s'", n1);
		cd = (n1[2] - '0') * 10 + (n1[3] - '0');
		FUZZ_CHECK(cd >= 2 && cd <= 98, "'%s': check digits %d", n1,
		    cd);
		/* The check proper: BBAN, then country and check digits. */
		snprintf(move, sizeof(move), "%s%.4s", n1 + 4, n1);
		FUZZ_CHECK(ref_mod97(move) == 1, "'%s' accepted, remainder "
		    "%d", n1, ref_mod97(move));

		FUZZ_CHECK(check(n1, n2, &err) == GEN_OK && strcmp(n1, n2) ==
		    0, "normalised '%s' -> '%s' (%s)", n1, n2, err.msg);
		iban_format(n1, printed, sizeof(printed));
		FUZZ_CHECK(strlen(printed) == len + (len - 1) / 4,
		    "'%s' printed as '%s'", n1, printed);
		for (size_t i = 0; printed[i] != '\0'; i++)
			FUZZ_CHECK((printed[i] == ' ') == (i % 5 == 4),
			    "'%s' printed as '%s'", n1, printed);
		FUZZ_CHECK(check(printed, n3, &err) == GEN_OK &&
		    strcmp(n1, n3) == 0, "printed '%s' -> '%s' (%s)", printed,
		    n3, err.msg);
	}
	free(s);
	return 0;
}
