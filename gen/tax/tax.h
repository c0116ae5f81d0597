/*
 * tax.h - the VAT decision: which treatment, category and rate apply to a
 * sale, and why, in plain words with the legal source.
 *
 * Pure: no I/O, no clock, no database.  The caller passes everything in,
 * including the VAT rate table, and gets a complete decision back.  The
 * rules are those of DESIGN.md's table and REFERENCE.md 1.3-1.6:
 *
 *   seller not a VAT payer on the tax-point date -> NOT_VAT_REGISTERED, O
 *   customer located in Lithuania               -> LT_STANDARD, S, LT rate
 *   EU business, VAT number confirmed by VIES    -> REVERSE_CHARGE, AE, 0
 *   EU consumer (or invalid VAT number)         -> OSS_DESTINATION, S,
 *                                                  rate of that state (of
 *                                                  its region: the Azores,
 *                                                  Madeira)
 *   outside the EU VAT area                     -> OUTSIDE_SCOPE, O
 */
#ifndef INVGEN_TAX_H
#define INVGEN_TAX_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum tax_treatment {
	TAX_NOT_VAT_REGISTERED,
	TAX_LT_STANDARD,
	TAX_OSS_DESTINATION,
	TAX_REVERSE_CHARGE,
	TAX_OUTSIDE_SCOPE,
	/* Not a decision of tax_decide(): the treatment stored on the
	 * documents without VAT of a prepaid balance (a prepayment receipt,
	 * a use of the balance whose VAT was invoiced on top-up). */
	TAX_PREPAID
};

/*
 * One row of the VAT rate table; valid_to is inclusive, INT32_MAX = open.
 * region is "" for the national rate, else a region with its own rate
 * ("azores": the vat_rate_region table).
 */
struct tax_rate {
	char country[3];
	char region[16];
	int32_t rate_bp;
	int32_t valid_from;
	int32_t valid_to;
};

struct tax_input {
	int32_t date;			/* tax-point date (day number) */
	int seller_vat_registered;	/* seller profile of that date has a VAT number */
	const char *seller_country;	/* "LT" */
	int oss_enabled;		/* seller uses the OSS (above the EU threshold) */
	const char *payer_country;	/* ISO 3166 of the payer's address */
	const char *postal_code;	/* payer's postal code, may be NULL */
	int is_business;
	const char *vat_number;		/* as given, may be NULL */
	const char *vat_check;		/* "valid", "invalid", "unavailable" or NULL */
	const char *evidence_billing;	/* ISO 3166 or NULL (then payer_country) */
	const char *evidence_card;	/* card or bank country, or NULL */
	const char *evidence_ip;	/* IP geolocation country, or NULL */
	const struct tax_rate *rates;
	size_t nrates;
};

struct tax_decision {
	enum tax_treatment treatment;
	char category[3];		/* EN 16931 / UNCL5305: S, AE, O */
	int32_t rate_bp;		/* 0 unless S */
	char vat_country[3];		/* member state whose VAT applies, "" if none */
	char location_country[3];	/* where the customer is, for VAT */
	/* The member state's territory or region whose rules applied
	 * ("canary_islands", "azores": country.h), "" for none. */
	char territory[24];
	char payer_vat_number[72];	/* normalised, when valid, else "" */
	const char *rule;		/* short rule id, e.g. "oss-destination" */
	const char *exemption_code;	/* VATEX-EU-AE, VATEX-EU-O or NULL */
	const char *basis;		/* legal basis of the outcome */
	char explanation[1536];		/* the reasoning, in plain English */
};

/*
 * Decide.  Returns GEN_OK with *out filled, or GEN_EINPUT when the facts do
 * not allow a decision: location evidence that does not agree (the message
 * names every item), no VAT rate for the country and date, or a business
 * in another member state whose VAT number was never checked with VIES.
 * A VIES answer "invalid" makes the payer a consumer; "unavailable" for a
 * would-be reverse charge is GEN_ERETRY (VIES is down: retry later).
 */
enum gen_rc tax_decide(const struct tax_input *in, struct tax_decision *out,
    struct gen_err *err);

/* "LT_STANDARD", ... as stored and printed. */
const char *tax_treatment_name(enum tax_treatment t);
/* Parse a stored name; -1 if unknown. */
int tax_treatment_from_name(const char *name);

/*
 * The rate valid for country on date (region NULL or "": the national
 * rate; else that region's own, never the national one in its place), or
 * GEN_EINPUT naming them.
 */
enum gen_rc tax_rate_lookup(const struct tax_rate *rates, size_t n,
    const char *country, const char *region, int32_t date, int32_t *rate_bp,
    int32_t *from, struct gen_err *err);

#endif
