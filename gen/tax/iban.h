/*
 * iban.h - International Bank Account Numbers (ISO 13616): normalise,
 * validate, print.
 *
 * Exports iban_check (spaces and lower case accepted, then country code,
 * registry length, character class and MOD 97-10 check digits), iban_format
 * (groups of four), iban_country_length (the SWIFT IBAN registry table),
 * and the steps of checking an ISO 7064 MOD 97-10 code, which ISO 11649
 * creditor references share (rfref.c): iban_mod97, iban_compact,
 * iban_check_digits, iban_rotated_ok, iban_copy_out, iban_describe_byte.
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

/*
 * The letters and digits of in as people type them: ASCII spaces dropped,
 * letters upper-cased, into out, of which max bytes are kept; *n counts
 * them all (out is not terminated).  Any other byte is GEN_EINPUT "<what>:
 * character N (...) is not allowed; allowed: letters A-Z, digits 0-9 and
 * spaces".  in may be NULL (empty).
 */
enum gen_rc	iban_compact(const char *in, const char *what, char *out,
		    size_t max, size_t *n, struct gen_err *err);

/*
 * The check digits of code s (n characters, "CC" + two digits + ...): its
 * characters 3 and 4 must be digits 02..98, else GEN_EINPUT naming what
 * and the standard ("ISO 13616").
 */
enum gen_rc	iban_check_digits(const char *s, size_t n, const char *what,
		    const char *standard, struct gen_err *err);

/* Does code s (n >= 4) pass MOD 97-10 with its first four characters
 * moved to the end? */
int		iban_rotated_ok(const char *s, size_t n);

/*
 * Copy code s (n characters and its NUL) into out of sz bytes, as the
 * check functions hand it back; a buffer too small is GEN_EINTERNAL
 * naming what.
 */
enum gen_rc	iban_copy_out(const char *s, size_t n, const char *what,
		    char *out, size_t sz, struct gen_err *err);

/* A refused byte for a message: printable ASCII as 'c', else hex. */
void		iban_describe_byte(unsigned char c, char *out, size_t sz);

#endif
