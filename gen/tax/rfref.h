/*
 * rfref.h - ISO 11649 structured creditor references ("RF18 5390 0754
 * 7034"): make one from an order number, check one typed by a payer or
 * read from a bank statement, print it in groups of four.
 *
 * Exports rfref_body_from_order_no, rfref_make, rfref_check, rfref_format.
 * Pure functions on caller buffers: no allocation, no I/O, no state.  The
 * MOD 97-10 arithmetic is iban_mod97 (iban.c), so link iban.c too.
 */
#ifndef INVGEN_RFREF_H
#define INVGEN_RFREF_H

#include <stddef.h>

#include "invgen.h"

#define RFREF_BODY_MAX	21			/* reference proper */
#define RFREF_MAX	(4 + RFREF_BODY_MAX)	/* "RF", 2 digits, body */
#define RFREF_BODY_SIZE	(RFREF_BODY_MAX + 1)
#define RFREF_SIZE	(RFREF_MAX + 1)
#define RFREF_PRINT_SIZE (RFREF_MAX + 6 + 1)	/* + a space per group */

/*
 * Derive a reference body from an order number: ASCII letters upper-cased,
 * digits kept, ASCII punctuation and spaces dropped ("A-1001" -> "A1001",
 * "2025/08-17" -> "20250817").  Deterministic; numbers differing only in
 * separators or case map to the same body, which is enough for matching a
 * payment to an order.  Refuses (GEN_EINPUT, message naming order_no)
 * control characters, non-ASCII text, an empty result and a result longer
 * than RFREF_BODY_MAX.  out needs RFREF_BODY_SIZE bytes (GEN_EINTERNAL if
 * smaller).
 */
enum gen_rc	rfref_body_from_order_no(const char *order_no, char *out,
		    size_t sz, struct gen_err *err);

/*
 * Make the reference "RF" + check digits + body for a body of 1..21
 * characters A-Z, 0-9 (no spaces, no lower case: use the function above).
 * out gets the electronic form and needs RFREF_SIZE bytes.  Returns
 * GEN_EINPUT for a refused body, GEN_EINTERNAL when out is too small.
 */
enum gen_rc	rfref_make(const char *body, char *out, size_t sz,
		    struct gen_err *err);

/*
 * Validate a reference as people and banks write it: spaces anywhere and
 * lower case are accepted ("rf18 5390 0754 7034").  It must be "RF", two
 * check digits 02..98 and 1..21 letters or digits whose MOD 97-10 check
 * holds.  On success the electronic form goes to normalized (may be NULL;
 * RFREF_SIZE bytes suffice); the body is normalized + 4.
 */
enum gen_rc	rfref_check(const char *in, char *normalized, size_t sz,
		    struct gen_err *err);

/*
 * Print a reference in electronic form in groups of four separated by one
 * space.  out is always NUL-terminated, truncated when sz is too small
 * (RFREF_PRINT_SIZE suffices).
 */
void		rfref_format(const char *normalized, char *out, size_t sz);

#endif
