/*
 * ecb.h - the euro foreign exchange reference rates of the European
 * Central Bank, in and out: reading the files the ECB publishes into rows
 * for store_fx_add(), and the report of what is stored (`invgen rates
 * status`).  No I/O and no SQLite: the caller reads the file and stores
 * the rows.
 *
 * The files, told apart by their content (XML starts with '<'):
 *   - eurofxref-hist.csv (and eurofxref.csv): a header "Date,USD,JPY,..."
 *     then one line per day, "N/A" or empty where a currency has no rate;
 *   - eurofxref-daily.xml, eurofxref-hist-90d.xml, eurofxref-hist.xml: a
 *     gesmes:Envelope (namespace http://www.gesmes.org/xml/2002-08-01)
 *     holding one Cube of the eurofxref vocabulary
 *     (http://www.ecb.int/vocabulary/2002-08-01/eurofxref), in it one
 *     <Cube time="YYYY-MM-DD"> per day and in each day one
 *     <Cube currency="USD" rate="1.0866"/> per currency.
 * Every row is checked: a date that exists, a currency of three capital
 * letters, a positive decimal rate with at most six decimals.  Anything
 * else in the Cube tree (another element or attribute, text) refuses the
 * whole file, so a change of format is noticed rather than half-read.
 *
 * libxml2 conventions translated here (as in template.c, the reader of
 * layout templates): a private parser context per call, XML_PARSE_NONET,
 * no entity expansion, errors taken from the context (NOERROR/NOWARNING
 * keep libxml2 from printing) and turned into "ECB XML line N: ...".  A
 * document type declaration is refused.
 */
#ifndef INVGEN_ECB_H
#define INVGEN_ECB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "store.h"

/* A file of the ECB, parsed. */
struct ecb_rates {
	struct store_fx_rate *v;	/* the rows, in file order */
	size_t n;
	const char *format;		/* "ECB CSV" or "ECB XML", for messages */
	const char *source;		/* for exchange_rate.source */
};

/*
 * Parse data[0..len) (CSV or XML, see above) into *out; release it with
 * ecb_rates_free() (also after a failure).  GEN_EINPUT names the line
 * and what is wrong; a file without a single rate (an empty download) is
 * refused too.
 */
enum gen_rc ecb_parse(const char *data, size_t len, struct ecb_rates *out,
    struct gen_err *err);
void ecb_rates_free(struct ecb_rates *r);

/*
 * `invgen rates status`: the latest day stored, overall and per currency,
 * with its rate and its age in days on `today`, as a table or (json) one
 * JSON object; appended to out.  last: store_fx_last()'s rows, n > 0.
 */
void ecb_status_write(const struct store_fx_last *last, size_t n,
    int32_t today, int json, struct buf *out);

#endif
