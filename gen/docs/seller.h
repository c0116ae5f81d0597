/*
 * seller.h - seller profiles in: parse and validate the JSON given to
 * `invgen seller add` into a struct seller_profile.  The company's legal
 * identity, VAT registration (a VAT number only from the date it became a
 * VAT payer), number series and bank account are checked here: a VAT
 * number must pass its check digits, an IBAN its ISO 13616 check, a number
 * format must be usable; "paper" is A4 or Letter.  No I/O: "logo" is a
 * file name left in sp->logo_path for the caller to read (api.c).
 */
#ifndef INVGEN_SELLER_H
#define INVGEN_SELLER_H

#include <stddef.h>

#include "err.h"
#include "json.h"
#include "model.h"
#include "store.h"

enum gen_rc seller_parse_json(const char *text, size_t len,
    struct seller_profile **out, struct gen_err *err);

/*
 * Check a profile as stored (an operator may have edited its row with
 * SQL) by exactly the rules of seller_parse_json: it is written out as
 * that JSON and parsed again.  GEN_EINPUT names the column:
 * "seller_profile.invoice_series of seller profile 2: '../x' is not
 * allowed; ...".
 */
enum gen_rc seller_check_stored(const struct seller_profile *sp,
    struct gen_err *err);

/*
 * The members of the JSON object `invgen seller add` reads (every field
 * of the profile, the ones stored as NULL or empty left out), written to
 * w inside an object the caller opened.
 */
void seller_write_members(const struct seller_profile *sp, struct jsonw *w);

/*
 * Close the open seller profile (the one without valid_to) on date, its
 * last day, inside the caller's write transaction.  GEN_EINPUT for a date
 * before the profile's first day or before the tax point of a document
 * it issued (a document keeps the seller of its tax point, so every one
 * must stay in the period); GEN_ENOTFOUND when no profile is open.
 * *closed (may be NULL) receives its id.
 */
enum gen_rc seller_close(struct store *s, const char *date, int64_t *closed,
    struct gen_err *err);

#endif
