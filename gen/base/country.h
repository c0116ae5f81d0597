/*
 * country.h - ISO 3166-1 alpha-2 codes, EU membership and the special
 * territories that lie outside the EU VAT area (VAT Directive Art. 5-7,
 * REFERENCE.md 1.6), recognised from the country code and the postal code.
 * Pure: no I/O; the tables are constants because they are facts of the
 * code standards and the Directive, not business data.
 */
#ifndef INVGEN_COUNTRY_H
#define INVGEN_COUNTRY_H

#include "err.h"

/* 1 if code is an assigned ISO 3166-1 alpha-2 code (upper case). */
int country_is_known(const char *code);

/* GEN_EINPUT "<what>: 'XX' is not an ISO 3166-1 alpha-2 country code". */
enum gen_rc country_check(const char *code, const char *what,
    struct gen_err *err);

/* 1 if code is one of the 27 EU member states (ISO codes; Greece is GR). */
int country_is_eu(const char *code);

/*
 * Where an address lies for EU VAT.  vat_country is the member state whose
 * VAT applies (Monaco -> FR), or NULL when the place is outside the EU VAT
 * area (third country, or an excluded territory such as the Canary
 * Islands).  territory names the special case in English ("Canary
 * Islands"), or NULL; basis is the legal basis of the special case, or
 * NULL.  id is the special case's stable name when it is a territory of a
 * member state ("canary_islands", "azores"; country_territory_ids()):
 * stored with an issued document and used as a catalogue key suffix
 * ("territory_azores"), so an id never changes once used.  region is 1
 * when the place is inside the EU VAT area in a region with rates of its
 * own (the Azores, Madeira: vat_country PT, rates in vat_rate_region).
 */
struct vat_territory {
	const char *vat_country;
	const char *territory;
	const char *id;
	const char *basis;
	int region;
};

void country_vat_territory(const char *code, const char *postal_code,
    struct vat_territory *out);

/* Every territory id country_vat_territory() can give, NULL-terminated. */
const char *const *country_territory_ids(void);

#endif
