/*
 * vatid.h - VAT identification numbers of the 27 EU member states and of
 * Northern Ireland (XI): normalise what a customer typed, check the syntax
 * and the national check digits, map prefixes to ISO 3166 countries.
 *
 * Exports vatid_normalize, vatid_check, vatid_country and
 * vatid_prefix_for_country.  The module is pure: no I/O, no allocation, no
 * global mutable state, no ICU, no locale; any thread may call it at any
 * time.  It must not ask VIES: a number that passes vatid_check is well
 * formed, not necessarily registered.
 *
 * The check algorithms are those of python-stdnum 1.18 (the modules named
 * in REFERENCE.md section 2.2), re-implemented here; the few deliberate
 * differences are listed at the top of vatid.c.
 */
#ifndef INVGEN_VATID_H
#define INVGEN_VATID_H

#include <stddef.h>

#include "err.h"

/*
 * Longest raw input accepted, in bytes, and therefore the longest
 * normalised number: normalising never makes a number longer.  Output
 * buffers must hold VATID_MAX + 1 bytes.
 */
#define VATID_MAX 64

/*
 * Normalise a VAT number as typed: drop spaces, dots, dashes, slashes and
 * commas, upper-case ASCII letters and turn a leading GR (Greece, ISO) into
 * EL (Greece, VAT).  Writes the result to out, which must hold at least
 * VATID_MAX + 1 bytes.  Returns GEN_EINPUT with a message for a missing or
 * empty number, more than VATID_MAX bytes, or any other byte (the message
 * names it and its position); GEN_EINTERNAL when outsz is too small.  On
 * failure out holds "" (when it could be written at all).
 */
enum gen_rc vatid_normalize(const char *in, char *out, size_t outsz,
    struct gen_err *err);

/*
 * Check a VAT number, raw or normalised: normalise it, check the prefix,
 * the national format and the check digits.  Returns GEN_OK when all pass;
 * otherwise GEN_EINPUT and a message such as
 *   vat_number: DE136695975 fails the German check digit (ISO 7064 MOD 11,10)
 *   vat_number: 'DE12' must be DE + 9 digits, not starting with 0
 *   vat_number: prefix 'US' is not an EU VAT prefix; allowed: AT BE ... XI
 * normalized may be NULL; otherwise it must hold VATID_MAX + 1 bytes
 * (GEN_EINTERNAL if normsz is smaller) and receives the canonical number:
 * prefix and national part without separators, and the leading zero of the
 * old short Belgian (9 digits), Greek (8 digits) and Dutch forms restored
 * ("BE 428.759.497" -> "BE0428759497").  It is set on refusal too, as far
 * as normalisation got ("" if not at all).
 */
enum gen_rc vatid_check(const char *number, char *normalized, size_t normsz,
    struct gen_err *err);

/*
 * The ISO 3166 alpha-2 country of a normalised number's prefix: "EL..."
 * gives "GR", "XI..." gives "GB", "DE..." gives "DE".  Returns NULL when
 * the number is NULL or does not start with one of the 28 prefixes in
 * upper case.  The string is static.
 */
const char *vatid_country(const char *normalized);

/*
 * The VAT prefix of an EU member state given its ISO 3166 alpha-2 code in
 * upper case: "GR" gives "EL", "DE" gives "DE".  Returns NULL for anything
 * else, including "GB" (XI is a regime, not a country) and "EL".  The
 * string is static.
 */
const char *vatid_prefix_for_country(const char *iso2);

#endif
