/*
 * order.h - orders in: parse and validate the JSON the bot hands to
 * `invgen order add` (one order object or an array of them) into struct
 * order records, and hash an order's content for duplicate detection.
 *
 * Every field is checked: type, range, ISO 3166 / ISO 4217 codes, text
 * length in characters and the characters themselves (no control
 * characters, no bidi overrides or invisible format characters; valid
 * UTF-8 is guaranteed by the JSON parser).  The first problem found is
 * reported with its path ("[2].payer.address.city: must be a string of 1
 * to 100 characters").  Unknown fields are refused, so a typo never goes
 * unnoticed.  No I/O.
 */
#ifndef INVGEN_ORDER_H
#define INVGEN_ORDER_H

#include <stddef.h>

#include "err.h"
#include "json.h"
#include "model.h"

/* Inputs larger than this are refused before parsing. */
#define ORDER_JSON_MAX (8u * 1024 * 1024)
/* At most this many orders in one array, lines in one order. */
#define ORDER_MAX_BATCH 10000
#define ORDER_MAX_LINES 500
/*
 * The largest net amount of an order (and gross amount of a line), in
 * minor units: 5 x 10^12, i.e. 50,000,000,000.00 EUR or 5 trillion JPY.
 * Far above any real order, it keeps every amount of a document (total
 * with VAT below 10^13) short enough to print whole in its column.
 */
#define ORDER_MAX_NET_MINOR 5000000000000LL

/*
 * Parse text into *n validated orders (*orders is an array of owned
 * pointers; free each with order_free and the array with free).
 * GEN_EINPUT names the first bad field; nothing is returned then.
 */
enum gen_rc order_parse_json(const char *text, size_t len,
    struct order ***orders, size_t *n, struct gen_err *err);

/*
 * The k-th text of o that its documents print (k from 0: the payer's
 * name, address, codes and e-mail, the customer's username, each line's
 * description), with its field's path in name ("payer.name",
 * "lines[2].description"); absent texts are skipped.  NULL after the
 * last.  For the check that a shipped font has every character.
 */
const char *order_printed_text(const struct order *o, size_t k, char *name,
    size_t namesz);

/* SHA-256 (hex) of the order's content in a fixed canonical form. */
void order_content_hash(const struct order *o, char hex[65]);

/*
 * Check an order as stored (store_order_load: the bot may have written
 * its rows with SQL) by exactly the rules of order_parse_json: it is
 * written out as that JSON and parsed again.  Lines must also be numbered
 * 1, 2, 3, ...  GEN_EINPUT names the stored column and the order:
 * "payer.name of order A-1: ...", "order_line.description of order A-1,
 * line 2: ...", "vat_check.status of order A-1 (vat_check row 7): ...".
 * Texts must be valid UTF-8 (store_order_load checks it).
 */
enum gen_rc order_check_stored(const struct order *o, struct gen_err *err);

/* The order as the JSON object `invgen order add` reads, written to w. */
void order_write_json(const struct order *o, struct jsonw *w);

#endif
