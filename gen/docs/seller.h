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
#include "model.h"

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

#endif
