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
 * Islands).  territory names the special case ("Canary Islands"), or NULL;
 * basis is the legal basis of the special case, or NULL.
 */
struct vat_territory {
	const char *vat_country;
	const char *territory;
	const char *basis;
};

void country_vat_territory(const char *code, const char *postal_code,
    struct vat_territory *out);

#endif
