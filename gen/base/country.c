/*
 * country.c - ISO 3166-1 alpha-2 code list (the 249 officially assigned
 * codes, ISO 3166 Maintenance Agency, as of 2024), EU membership and the
 * postal-code rules for territories outside the EU VAT area and for the
 * regions with VAT rates of their own (the Azores, Madeira).  The postal
 * prefixes come from REFERENCE.md 1.6 (flagged there as a convenience for
 * the evidence step, to be confirmed against national post-code lists).
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "country.h"

static const char iso3166[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
    "HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP "
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ "
    "UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW ";

static const char eu27[] =
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL "
    "PT RO SE SI SK ";

static int
in_list(const char *list, const char *code)
{
	if (code == NULL || strlen(code) != 2 || !isupper((unsigned char)code[0])
	    || !isupper((unsigned char)code[1]))
		return 0;
	for (const char *p = list; *p != '\0'; p += 3)
		if (p[0] == code[0] && p[1] == code[1])
			return 1;
	return 0;
}

int
country_is_known(const char *code)
{
	return in_list(iso3166, code);
}

int
country_is_eu(const char *code)
{
	return in_list(eu27, code);
}

enum gen_rc
country_check(const char *code, const char *what, struct gen_err *err)
{
	if (!country_is_known(code))
		return gen_err_set(err, GEN_EINPUT, "%s: '%.16s' is not an ISO "
		    "3166-1 alpha-2 country code (two upper-case letters, e.g. "
		    "LT, DE, US)", what, code ? code : "");
	return GEN_OK;
}

/* Postal code digits only ("35 001" -> "35001"), at most outsz-1 of them. */
static void
postal_digits(const char *postal, char *out, size_t outsz)
{
	size_t n = 0;

	if (postal != NULL)
		for (; *postal != '\0' && n + 1 < outsz; postal++)
			if (isdigit((unsigned char)*postal))
				out[n++] = *postal;
	out[n] = '\0';
}

struct postal_rule {
	const char *country;
	const char *prefix;	/* of the digits of the postal code */
	const char *territory;
	const char *id;
	const char *basis;
};

/* Territories of member states that are outside the EU VAT area; the
 * first matching prefix wins, so longer prefixes come first. */
static const struct postal_rule excluded[] = {
	{ "ES", "35", "Canary Islands", "canary_islands",
	    "VAT Directive Art. 6(1)(b)" },
	{ "ES", "38", "Canary Islands", "canary_islands",
	    "VAT Directive Art. 6(1)(b)" },
	{ "ES", "51", "Ceuta", "ceuta", "VAT Directive Art. 6(2)(c)" },
	{ "ES", "52", "Melilla", "melilla", "VAT Directive Art. 6(2)(d)" },
	{ "FI", "22", "Åland Islands", "aland", "VAT Directive Art. 6(1)(d)" },
	{ "GR", "63086", "Mount Athos", "mount_athos",
	    "VAT Directive Art. 6(1)(a)" },
	{ "DE", "78266", "Büsingen am Hochrhein", "busingen",
	    "VAT Directive Art. 6(2)(b)" },
	{ "DE", "27498", "Heligoland", "heligoland",
	    "VAT Directive Art. 6(2)(a)" },
	{ "IT", "23041", "Livigno", "livigno", "VAT Directive Art. 6(2)(e)" },
	{ "IT", "22061", "Campione d'Italia", "campione",
	    "VAT Directive Art. 6(1)(f)" },
	{ "FR", "97150", "Saint-Martin", "saint_martin",
	    "VAT Directive Art. 6(1)(c)" },
	{ "FR", "971", "Guadeloupe", "guadeloupe", "VAT Directive Art. 6(1)(c)" },
	{ "FR", "972", "Martinique", "martinique", "VAT Directive Art. 6(1)(c)" },
	{ "FR", "973", "French Guiana", "french_guiana",
	    "VAT Directive Art. 6(1)(c)" },
	{ "FR", "974", "Réunion", "reunion", "VAT Directive Art. 6(1)(c)" },
	{ "FR", "976", "Mayotte", "mayotte", "VAT Directive Art. 6(1)(c)" },
};

/*
 * Regions inside the EU VAT area with rates of their own, by the first
 * digits of a Portuguese postal code (NNNN-NNN: Madeira 9000-9499, the
 * Azores 9500-9999).  The rates and their sources are reference data
 * (gen/data/vat_rates_regional.txt), with the legal basis of both.
 */
#define REGION_BASIS "Portuguese VAT Code Art. 6(10)(h), 6(16) and " \
	"18(3); VAT Directive Art. 105(2)"

static const struct postal_rule regions[] = {
	{ "PT", "90", "Madeira", "madeira", NULL },
	{ "PT", "91", "Madeira", "madeira", NULL },
	{ "PT", "92", "Madeira", "madeira", NULL },
	{ "PT", "93", "Madeira", "madeira", NULL },
	{ "PT", "94", "Madeira", "madeira", NULL },
	{ "PT", "95", "the Azores", "azores", NULL },
	{ "PT", "96", "the Azores", "azores", NULL },
	{ "PT", "97", "the Azores", "azores", NULL },
	{ "PT", "98", "the Azores", "azores", NULL },
	{ "PT", "99", "the Azores", "azores", NULL },
};

/* ISO codes of their own for places that belong to a member state. */
struct code_rule {
	const char *code;
	const char *vat_country;	/* NULL: outside the EU VAT area */
	const char *territory;
	const char *id;			/* NULL: not an EU territory */
	const char *basis;
};

static const struct code_rule own_codes[] = {
	{ "AX", NULL, "Åland Islands", "aland", "VAT Directive Art. 6(1)(d)" },
	{ "GP", NULL, "Guadeloupe", "guadeloupe",
	    "VAT Directive Art. 6(1)(c)" },
	{ "MQ", NULL, "Martinique", "martinique",
	    "VAT Directive Art. 6(1)(c)" },
	{ "GF", NULL, "French Guiana", "french_guiana",
	    "VAT Directive Art. 6(1)(c)" },
	{ "RE", NULL, "Réunion", "reunion", "VAT Directive Art. 6(1)(c)" },
	{ "YT", NULL, "Mayotte", "mayotte", "VAT Directive Art. 6(1)(c)" },
	{ "MF", NULL, "Saint-Martin", "saint_martin",
	    "VAT Directive Art. 6(1)(c)" },
	{ "MC", "FR", "Monaco (treated as France)", NULL,
	    "VAT Directive Art. 7" },
	{ "IM", NULL, "Isle of Man (treated as the United Kingdom)", NULL,
	    "VAT Directive Art. 7" },
};

void
country_vat_territory(const char *code, const char *postal_code,
    struct vat_territory *out)
{
	char dig[16];
	size_t n;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(own_codes) / sizeof(own_codes[0]); i++)
		if (strcmp(code, own_codes[i].code) == 0) {
			out->vat_country = own_codes[i].vat_country;
			out->territory = own_codes[i].territory;
			out->id = own_codes[i].id;
			out->basis = own_codes[i].basis;
			return;
		}
	if (!country_is_eu(code))
		return;
	postal_digits(postal_code, dig, sizeof(dig));
	n = strlen(dig);
	for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++) {
		const struct postal_rule *r = &excluded[i];

		if (strcmp(code, r->country) == 0 &&
		    strncmp(dig, r->prefix, strlen(r->prefix)) == 0 && n == 5) {
			out->territory = r->territory;
			out->id = r->id;
			out->basis = r->basis;
			return;
		}
	}
	out->vat_country = code;
	/* A Portuguese code has 4 digits, or 7 with the street part. */
	for (size_t i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		const struct postal_rule *r = &regions[i];

		if (strcmp(code, r->country) == 0 && (n == 4 || n == 7) &&
		    strncmp(dig, r->prefix, strlen(r->prefix)) == 0) {
			out->territory = r->territory;
			out->id = r->id;
			out->basis = REGION_BASIS;
			out->region = 1;
			return;
		}
	}
}

const char *const *
country_territory_ids(void)
{
	static const char *const ids[] = {
		"canary_islands", "ceuta", "melilla", "aland", "mount_athos",
		"busingen", "heligoland", "livigno", "campione",
		"saint_martin", "guadeloupe", "martinique", "french_guiana",
		"reunion", "mayotte", "madeira", "azores", NULL
	};

	return ids;
}
