/*
 * iban.h - International Bank Account Numbers (ISO 13616): normalise,
 * validate, print.
 *
 * Exports iban_check (spaces and lower case accepted, then country code,
 * registry length, character class and MOD 97-10 check digits), iban_format
 * (groups of four), iban_country_length (the SWIFT IBAN registry table) and
 * iban_mod97 (ISO 7064 MOD 97-10 remainder, shared with rfref.c).
 * Pure functions on caller buffers: no allocation, no I/O, no state, so
 * they are safe to call from any thread.  The per-country BBAN structure
 * (which positions are digits) is deliberately not checked: it changes
 * between registry releases and the check digits already catch typos.
 */
#ifndef INVGEN_IBAN_H
#define INVGEN_IBAN_H

#include <stddef.h>

#include "invgen.h"

/* Longest IBAN in electronic format (ISO 13616-1), and buffer sizes. */
#define IBAN_MAX	34
/* Electronic format + NUL; printed format: + a space between groups. */
#define IBAN_SIZE	(IBAN_MAX + 1)
#define IBAN_PRINT_SIZE	(IBAN_MAX + 8 + 1)

/*
 * Validate an IBAN typed by a person: ASCII spaces are dropped and letters
 * upper-cased, then the country must be in the SWIFT IBAN registry, the
 * length must be that country's, the check digits 02..98 and the MOD 97-10
 * remainder 1.  On success the electronic form (no spaces) is written to
 * normalized (which may be NULL; otherwise sz >= IBAN_SIZE is enough).
 * Returns GEN_EINPUT with a message starting "iban: " when the input is
 * refused, GEN_EINTERNAL when normalized is too small.
 */
enum gen_rc	iban_check(const char *in, char *normalized, size_t sz,
		    struct gen_err *err);

/*
 * Print an IBAN in electronic format in groups of four separated by one
 * space ("LT12 1000 0111 0100 1000").  out is always NUL-terminated and
 * truncated when sz is too small (IBAN_PRINT_SIZE always suffices).
 */
void		iban_format(const char *normalized, char *out, size_t sz);

/*
 * Total IBAN length for a two-letter country code (upper case) according
 * to the SWIFT IBAN registry, or 0 when the country does not issue IBANs.
 */
int		iban_country_length(const char *cc);

/*
 * ISO 7064 MOD 97-10 remainder of a string of digits and upper-case letters
 * (A = 10 ... Z = 35), computed digit by digit so any length works.
 * Returns -1 when s holds any other character.
 */
int		iban_mod97(const char *s);

#endif
