/*
 * tax.c - the VAT decision (see tax.h).  Pure: no I/O.  Each outcome sets a
 * rule id, the legal basis and an explanation that `invgen explain` prints
 * as it is, so an accountant can follow the reasoning step by step.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "caldate.h"
#include "country.h"
#include "fault.h"
#include "money.h"
#include "tax.h"
#include "vatid.h"

static const char *const treatment_names[] = {
	"NOT_VAT_REGISTERED", "LT_STANDARD", "OSS_DESTINATION",
	"REVERSE_CHARGE", "OUTSIDE_SCOPE", "PREPAID"
};

const char *
tax_treatment_name(enum tax_treatment t)
{
	return treatment_names[t];
}

int
tax_treatment_from_name(const char *name)
{
	for (int i = 0; i < 6; i++)
		if (strcmp(name, treatment_names[i]) == 0)
			return i;
	return -1;
}

/* Append a sentence to the explanation (truncating if it is full). */
static void explain(struct tax_decision *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
explain(struct tax_decision *d, const char *fmt, ...)
{
	size_t len = strlen(d->explanation);
	va_list ap;

	if (len + 2 >= sizeof(d->explanation))
		return;
	if (len > 0)
		d->explanation[len++] = ' ', d->explanation[len] = '\0';
	va_start(ap, fmt);
	vsnprintf(d->explanation + len, sizeof(d->explanation) - len, fmt, ap);
	va_end(ap);
}

enum gen_rc
tax_rate_lookup(const struct tax_rate *rates, size_t n, const char *country,
    const char *region, int32_t date, int32_t *rate_bp, int32_t *from,
    struct gen_err *err)
{
	char day[CALDATE_LEN];

	if (region == NULL)
		region = "";
	for (size_t i = 0; i < n; i++)
		if (strcmp(rates[i].country, country) == 0 &&
		    strcmp(rates[i].region, region) == 0 &&
		    rates[i].valid_from <= date && date <= rates[i].valid_to) {
			*rate_bp = rates[i].rate_bp + (FAULT("vat-rate") ?
			    100 : 0);
			if (from != NULL)
				*from = rates[i].valid_from;
			return GEN_OK;
		}
	caldate_format(date, day);
	if (region[0] != '\0')
		return gen_err_set(err, GEN_EINPUT, "vat_rate: no VAT rate for "
		    "%s (region %s) valid on %s; add it to the vat_rate_region "
		    "table", country, region, day);
	return gen_err_set(err, GEN_EINPUT, "vat_rate: no VAT rate for %s valid "
	    "on %s; add it to the vat_rate table", country, day);
}

static void
set_outcome(struct tax_decision *d, enum tax_treatment t, const char *cat,
    int32_t rate_bp, const char *vat_country, const char *rule,
    const char *exemption, const char *basis)
{
	d->treatment = t;
	snprintf(d->category, sizeof(d->category), "%s", cat);
	d->rate_bp = rate_bp;
	snprintf(d->vat_country, sizeof(d->vat_country), "%s",
	    vat_country ? vat_country : "");
	d->rule = rule;
	d->exemption_code = exemption;
	d->basis = basis;
}

/*
 * The customer's location from the evidence (IR 282/2011 Art. 24b(d),
 * 24f): the country named by at least two items.  The billing address is
 * the payer's address country unless evidence.billing_country is given.
 */
static enum gen_rc
locate_consumer(const struct tax_input *in, struct tax_decision *d,
    struct gen_err *err)
{
	const char *names[3] = { "billing_country", "card_country", "ip_country" };
	const char *items[3];
	char list[160] = "";
	int present = 0;

	items[0] = in->evidence_billing ? in->evidence_billing : in->payer_country;
	items[1] = in->evidence_card;
	items[2] = in->evidence_ip;
	for (int i = 0; i < 3; i++) {
		if (items[i] == NULL)
			continue;
		present++;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s=%s", strlen(list) ? ", " : "", names[i], items[i]);
	}
	for (int i = 0; i < 3; i++) {
		int agree = 0;
		char with[64] = "";

		if (items[i] == NULL)
			continue;
		for (int j = 0; j < 3; j++)
			if (items[j] != NULL && strcmp(items[i], items[j]) == 0) {
				agree++;
				if (j != i)
					snprintf(with, sizeof(with), "%s", names[j]);
			}
		if (agree >= 2) {
			snprintf(d->location_country,
			    sizeof(d->location_country), "%s", items[i]);
			explain(d, "The customer is located in %s: %s and %s "
			    "agree (evidence: %s; Implementing Regulation "
			    "282/2011 Art. 24b(d) and 24f require two "
			    "non-contradictory items).", items[i], names[i],
			    with, list);
			return GEN_OK;
		}
	}
	return gen_err_set(err, GEN_EINPUT, "evidence: the customer's location "
	    "needs two items of evidence naming the same country, got %s%s "
	    "(%d item%s); ask the payer for more evidence (billing_country, "
	    "card_country, ip_country)", list,
	    present < 2 ? " only" : " which disagree", present,
	    present == 1 ? "" : "s");
}

static enum gen_rc
decide_rate(const struct tax_input *in, struct tax_decision *d,
    const char *country, const char *region, enum tax_treatment t,
    const char *rule, const char *basis, struct gen_err *err)
{
	int32_t rate, from;
	char fromday[CALDATE_LEN], pct[16];
	enum gen_rc rc;

	rc = tax_rate_lookup(in->rates, in->nrates, country, region, in->date,
	    &rate, &from, err);
	if (rc != GEN_OK)
		return rc;
	set_outcome(d, t, "S", rate, country, rule, NULL, basis);
	caldate_format(from, fromday);
	money_format(rate, 2, pct, sizeof(pct));
	if (region != NULL)
		explain(d, "The %s (%s) standard rate on the tax-point date is "
		    "%s %% (valid from %s).", country, region, pct, fromday);
	else
		explain(d, "The %s standard rate on the tax-point date is %s %% "
		    "(valid from %s).", country, pct, fromday);
	return GEN_OK;
}

/* Record the territory or region whose rules applied. */
static void
set_territory(struct tax_decision *d, const struct vat_territory *t)
{
	snprintf(d->territory, sizeof(d->territory), "%s",
	    t->id != NULL ? t->id : "");
}

enum gen_rc
tax_decide(const struct tax_input *in, struct tax_decision *d,
    struct gen_err *err)
{
	char day[CALDATE_LEN], norm[VATID_MAX + 1] = "";
	struct vat_territory terr;
	struct gen_err vat_err = { 0 };
	const char *vat_cc = NULL;
	int business = 0;
	enum gen_rc rc;

	memset(d, 0, sizeof(*d));
	caldate_format(in->date, day);
	explain(d, "Tax point %s.", day);

	if (!in->seller_vat_registered) {
		set_outcome(d, TAX_NOT_VAT_REGISTERED, "O", 0, NULL,
		    "seller-not-registered", "VATEX-EU-O",
		    "seller not registered for VAT on the tax-point date");
		explain(d, "The seller was not registered for VAT on that "
		    "date (it is a VAT payer from the date in its seller "
		    "profile), so no VAT is charged and no seller VAT number "
		    "is shown.");
		return GEN_OK;
	}
	explain(d, "The seller is registered for VAT in %s.",
	    in->seller_country);

	/* Is the payer a taxable person (IR 282/2011 Art. 18)? */
	if (in->vat_number != NULL && in->vat_number[0] != '\0') {
		if (!in->is_business)
			explain(d, "A VAT number was given but the payer is "
			    "not a business: treated as a consumer.");
		else if (vatid_check(in->vat_number, norm, sizeof(norm),
		    &vat_err) != GEN_OK)
			explain(d, "The VAT number fails its check (%s): the "
			    "payer is treated as a consumer (IR 282/2011 Art. "
			    "18).", vat_err.msg);
		else if (in->vat_check != NULL &&
		    strcmp(in->vat_check, "invalid") == 0)
			explain(d, "VIES reported the VAT number %s invalid: the "
			    "payer is treated as a consumer (IR 282/2011 Art. "
			    "18(1)).", norm);
		else {
			business = 1;
			vat_cc = vatid_country(norm);
			explain(d, "The payer is a business with VAT number %s "
			    "(syntax and check digits valid; VIES: %s).", norm,
			    in->vat_check ? in->vat_check : "not checked");
		}
	} else if (in->is_business)
		explain(d, "The payer says it is a business but gave no VAT "
		    "number: treated as a consumer (IR 282/2011 Art. 18(2)).");
	else
		explain(d, "The payer is a consumer (no VAT number).");

	if (business) {
		country_vat_territory(in->payer_country, in->postal_code, &terr);
		snprintf(d->location_country, sizeof(d->location_country), "%s",
		    in->payer_country);
		if (terr.vat_country == NULL) {
			snprintf(d->payer_vat_number, sizeof(d->payer_vat_number),
			    "%s", norm);
			set_territory(d, &terr);
			goto outside;
		}
		if (strcmp(terr.vat_country, in->seller_country) == 0) {
			snprintf(d->payer_vat_number, sizeof(d->payer_vat_number),
			    "%s", norm);
			explain(d, "The business is established in %s, the "
			    "seller's own country.", terr.vat_country);
			return decide_rate(in, d, in->seller_country, NULL,
			    TAX_LT_STANDARD, "lt-domestic",
			    "VAT Directive Art. 44; PVMĮ Art. 19(1)", err);
		}
		if (vat_cc != NULL && strcmp(vat_cc, terr.vat_country) == 0) {
			/*
			 * The reverse charge needs the number confirmed by VIES
			 * (IR 282/2011 Art. 18(1)(a)): no check at all is the
			 * caller's to fix; VIES not answering is not, the same
			 * request will do once it answers.
			 */
			if (in->vat_check == NULL)
				return gen_err_set(err, GEN_EINPUT, "vat_check: "
				    "the payer is a business in %s with VAT number "
				    "%s but no VIES check is recorded; a reverse "
				    "charge needs the number confirmed by VIES (IR "
				    "282/2011 Art. 18(1)(a)): check it and record "
				    "payer.vat_check first", terr.vat_country, norm);
			if (strcmp(in->vat_check, "valid") != 0)
				return gen_err_set(err, GEN_ERETRY, "vat_check: "
				    "VIES did not answer for VAT number %s (status "
				    "%s); a reverse charge needs it confirmed: retry "
				    "when VIES answers and record the new check (the "
				    "invoice may wait until the 15th of the next "
				    "month, VAT Directive Art. 222)", norm,
				    in->vat_check);
			snprintf(d->payer_vat_number, sizeof(d->payer_vat_number),
			    "%s", norm);
			set_outcome(d, TAX_REVERSE_CHARGE, "AE", 0,
			    terr.vat_country, "reverse-charge", "VATEX-EU-AE",
			    "VAT Directive Art. 44 and 196");
			explain(d, "The business is established in %s, another "
			    "member state: the place of supply is there (VAT "
			    "Directive Art. 44) and the customer accounts for "
			    "the VAT (Art. 196). The invoice says \"Reverse "
			    "charge\" and shows both VAT numbers (Art. 226(4), "
			    "(11a)).", terr.vat_country);
			return GEN_OK;
		}
		explain(d, "The VAT number belongs to %s but the payer's address "
		    "is in %s: it cannot support a reverse charge there, so the "
		    "payer is treated as a consumer.", vat_cc ? vat_cc : "?",
		    in->payer_country);
	}

	rc = locate_consumer(in, d, err);
	if (rc != GEN_OK)
		return rc;
	country_vat_territory(d->location_country,
	    strcmp(d->location_country, in->payer_country) == 0 ?
	    in->postal_code : NULL, &terr);
	set_territory(d, &terr);
	if (terr.vat_country == NULL)
		goto outside;
	if (terr.territory != NULL && !terr.region)
		explain(d, "%s is treated as %s for VAT (%s).", terr.territory,
		    terr.vat_country, terr.basis);
	if (strcmp(terr.vat_country, in->seller_country) == 0) {
		explain(d, "Telecommunications and electronically supplied "
		    "services to a consumer are taxed where the consumer is "
		    "(VAT Directive Art. 58): here, the seller's own country.");
		return decide_rate(in, d, in->seller_country, NULL,
		    TAX_LT_STANDARD, "lt-domestic", "VAT Directive Art. 58; "
		    "PVMĮ Art. 19(1)", err);
	}
	if (!in->oss_enabled) {
		explain(d, "The seller has not passed the EUR 10,000 threshold "
		    "nor opted for destination taxation (VAT Directive Art. "
		    "59c): Lithuanian VAT applies.");
		memset(d->territory, 0, sizeof(d->territory));
		return decide_rate(in, d, in->seller_country, NULL,
		    TAX_LT_STANDARD, "lt-below-threshold",
		    "VAT Directive Art. 59c", err);
	}
	explain(d, "Telecommunications and electronically supplied services "
	    "to a consumer in another member state are taxed there (VAT "
	    "Directive Art. 58) and declared through the One-Stop-Shop "
	    "(Art. 369a-369k).");
	if (terr.region) {
		explain(d, "The customer's address (postal code %s) is in %s, "
		    "a region of %s with VAT rates of its own: a supply to a "
		    "consumer domiciled there is taxed there (%s).",
		    in->postal_code, terr.territory,
		    terr.vat_country, terr.basis);
		return decide_rate(in, d, terr.vat_country, terr.id,
		    TAX_OSS_DESTINATION, "oss-destination",
		    "VAT Directive Art. 58, 105(2), 369a-369k", err);
	}
	return decide_rate(in, d, terr.vat_country, NULL, TAX_OSS_DESTINATION,
	    "oss-destination", "VAT Directive Art. 58, 369a-369k", err);

outside:
	set_outcome(d, TAX_OUTSIDE_SCOPE, "O", 0, NULL, "outside-eu",
	    "VATEX-EU-O", business ? "VAT Directive Art. 44" :
	    "VAT Directive Art. 58");
	if (terr.territory != NULL)
		explain(d, "%s is outside the EU VAT area (%s).", terr.territory,
		    terr.basis);
	else if (strcmp(d->location_country, "GB") == 0 && business &&
	    strncmp(norm, "XI", 2) == 0)
		explain(d, "Northern Ireland follows EU VAT rules for goods only; "
		    "for services it is part of the United Kingdom (Windsor "
		    "Framework).");
	else
		explain(d, "%s is outside the EU VAT area.", d->location_country);
	explain(d, "The place of supply is outside the EU (VAT Directive Art. "
	    "%s), so the supply is outside the scope of EU VAT; no VAT is "
	    "charged.", business ? "44" : "58");
	return GEN_OK;
}
