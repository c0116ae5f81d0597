/*
 * epcqr.h - the payload of the EPC QR code ("GiroCode") that lets a payer's
 * banking app fill in a SEPA credit transfer: EPC069-12, version 002,
 * character set 1 (UTF-8), identification SCT, service tag BCD.
 *
 * Exports epcqr_payload, which validates every element and builds the text;
 * turning it into a symbol is qr.c's job (level M, version <= 13).  Must not
 * truncate or repair input: anything outside the standard's limits is
 * refused with GEN_EINPUT naming the element.  No state, no I/O.
 *
 * Payload produced (one element per line, LF between lines, no separator
 * after the last populated element, empty lines for absent elements that
 * have a populated element after them):
 *
 *	BCD / 002 / 1 / SCT / BIC / name / IBAN / EURn.nn / purpose /
 *	RF reference / text / information
 *
 * Amount format, chosen and fixed: "EUR" + euros without leading zeros +
 * "." + exactly two decimals ("EUR1.00", "EUR12.30", "EUR0.01",
 * "EUR999999999.99").  EPC069-12 allows at most two decimals, so this is
 * valid, and it matches how the amount is printed on the invoice.
 */
#ifndef INVGEN_EPCQR_H
#define INVGEN_EPCQR_H

#include <stdint.h>

#include "buf.h"
#include "invgen.h"

#define EPCQR_MAX_BYTES		331	/* whole payload, EPC069-12 */
#define EPCQR_MAX_VERSION	13	/* largest QR version allowed */
#define EPCQR_AMOUNT_MIN	1LL		/* EUR 0.01, in cents */
#define EPCQR_AMOUNT_MAX	99999999999LL	/* EUR 999999999.99 */

/*
 * The elements of a payment.  Strings are UTF-8 and borrowed; NULL and ""
 * both mean "absent" for the optional ones.  Lengths are counted in
 * characters (code points), not bytes; control characters (U+0000-U+001F,
 * U+007F-U+009F, U+2028, U+2029) are refused everywhere.
 */
struct epcqr_fields {
	/* Line 5, AT-23: 8 or 11 characters (ISO 9362).  Optional when the
	 * IBAN's country is in the EEA, required otherwise. */
	const char	*bic;
	/* Line 6, AT-21: required, 1..70 characters. */
	const char	*name;
	/* Line 7, AT-20: required; checked with iban_check and written in
	 * electronic format (spaces removed, upper case). */
	const char	*iban;
	/* Line 8, AT-04: required here (optional in the standard), in euro
	 * cents, EPCQR_AMOUNT_MIN..EPCQR_AMOUNT_MAX. */
	int64_t		 amount_cents;
	/* Line 9, AT-44: optional ISO 20022 purpose code, 4 capital letters
	 * ("GDDS"). */
	const char	*purpose;
	/* Line 10, AT-05 structured: optional ISO 11649 creditor reference,
	 * checked with rfref_check and written without spaces (at most 25
	 * characters, within the standard's 35). */
	const char	*reference;
	/* Line 11, AT-05 unstructured: optional, 1..140 characters.  Lines
	 * 10 and 11 are mutually exclusive; both may be absent. */
	const char	*text;
	/* Line 12, beneficiary to originator information (shown to the
	 * payer, not transmitted): optional, 1..70 characters. */
	const char	*info;
};

/*
 * Validate f and write the payload to out, replacing what out held (out is
 * left empty on failure).  The payload is text without a trailing LF and
 * at most EPCQR_MAX_BYTES bytes.  Returns GEN_EINPUT with a message
 * starting "epcqr: " and naming the element, line and limit.
 */
enum gen_rc	epcqr_payload(const struct epcqr_fields *f, struct buf *out,
		    struct gen_err *err);

#endif
