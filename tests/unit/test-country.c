/*
 * test-country.c - ISO 3166 codes, EU membership and the territories
 * outside the EU VAT area (REFERENCE.md 1.6).
 */
#include <string.h>

#include "country.h"
#include "testlib.h"

static void
terr(const char *cc, const char *postal, const char *want_vat,
    const char *want_name)
{
	struct vat_territory t;

	country_vat_territory(cc, postal, &t);
	CHECK_STR(t.vat_country, want_vat);
	if (want_name == NULL)
		CHECK(t.territory == NULL);
	else
		CHECK(t.territory != NULL &&
		    strstr(t.territory, want_name) != NULL);
}

/* The territory id and region flag of an address. */
static void
ids(const char *cc, const char *postal, const char *want_id, int region)
{
	struct vat_territory t;
	int listed = want_id == NULL;

	country_vat_territory(cc, postal, &t);
	CHECK_STR(t.id, want_id);
	CHECK_INT(t.region, region);
	for (const char *const *p = country_territory_ids();
	    want_id != NULL && *p != NULL; p++)
		listed |= strcmp(*p, want_id) == 0;
	CHECK(listed);
}

int
main(void)
{
	struct gen_err err = { 0 };
	int eu = 0, known = 0;
	char cc[3] = "AA";

	for (cc[0] = 'A'; cc[0] <= 'Z'; cc[0]++)
		for (cc[1] = 'A'; cc[1] <= 'Z'; cc[1]++) {
			known += country_is_known(cc);
			eu += country_is_eu(cc);
			if (country_is_eu(cc))
				CHECK(country_is_known(cc));
		}
	CHECK_INT(known, 249);
	CHECK_INT(eu, 27);
	CHECK(country_is_eu("GR"));
	CHECK(!country_is_eu("EL"));		/* VAT prefix, not a country */
	CHECK(!country_is_eu("GB"));
	CHECK(!country_is_known("XI"));
	CHECK(!country_is_known("lt"));
	CHECK(!country_is_known("LTU"));
	CHECK(!country_is_known(""));
	CHECK(!country_is_known(NULL));
	CHECK_INT(country_check("ZZ", "payer.country", &err), GEN_EINPUT);
	CHECK_MSG(err, "payer.country: 'ZZ' is not an ISO 3166-1 alpha-2");
	CHECK_INT(country_check("LT", "payer.country", &err), GEN_OK);

	terr("DE", "10115", "DE", NULL);
	terr("ES", "35001", NULL, "Canary");
	terr("ES", "38 001", NULL, "Canary");	/* spacing ignored */
	terr("ES", "3500", "ES", NULL);		/* not a Spanish code */
	terr("ES", "28001", "ES", NULL);
	terr("ES", "51001", NULL, "Ceuta");
	terr("ES", "52001", NULL, "Melilla");
	terr("FI", "22100", NULL, "Åland");
	terr("FI", "00100", "FI", NULL);
	terr("AX", NULL, NULL, "Åland");
	terr("GR", "63086", NULL, "Athos");
	terr("GR", "630 86", NULL, "Athos");
	terr("GR", "63087", "GR", NULL);
	terr("DE", "78266", NULL, "Büsingen");
	terr("DE", "27498", NULL, "Heligoland");
	terr("IT", "23041", NULL, "Livigno");
	terr("IT", "22061", NULL, "Campione");
	terr("FR", "97110", NULL, "Guadeloupe");
	terr("FR", "97200", NULL, "Martinique");
	terr("FR", "97300", NULL, "Guiana");
	terr("FR", "97400", NULL, "Réunion");
	terr("FR", "97600", NULL, "Mayotte");
	terr("FR", "97150", NULL, "Saint-Martin");	/* before 971 rule? */
	terr("FR", "75001", "FR", NULL);
	terr("MC", "98000", "FR", "Monaco");
	terr("IM", "IM1 1AA", NULL, "Isle of Man");
	terr("US", "10001", NULL, NULL);
	terr("GB", "BT1 1AA", NULL, NULL);
	terr("LT", NULL, "LT", NULL);
	/* Regions with rates of their own stay in the VAT area. */
	terr("PT", "9000", "PT", "Madeira");
	terr("PT", "9500-321", "PT", "Azores");
	terr("PT", "9999-999", "PT", "Azores");
	terr("PT", "9499-000", "PT", "Madeira");
	terr("PT", "1000-001", "PT", NULL);
	terr("PT", "95001", "PT", NULL);	/* 5 digits: not Portuguese */
	ids("PT", "9500-321", "azores", 1);
	ids("PT", "9050-100", "madeira", 1);
	ids("PT", "4000-001", NULL, 0);
	ids("ES", "35002", "canary_islands", 0);
	ids("ES", "51001", "ceuta", 0);
	ids("AX", NULL, "aland", 0);
	ids("GP", NULL, "guadeloupe", 0);
	ids("MC", "98000", NULL, 0);		/* not a member state's territory */
	ids("IM", NULL, NULL, 0);
	/* Every id is listed once, is a catalogue-key suffix. */
	for (const char *const *p = country_territory_ids(); *p != NULL; p++) {
		CHECK(strspn(*p, "abcdefghijklmnopqrstuvwxyz_") == strlen(*p));
		for (const char *const *q = p + 1; *q != NULL; q++)
			CHECK(strcmp(*p, *q) != 0);
	}
	return test_report();
}
