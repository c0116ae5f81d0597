/*
 * test-tax.c - table-driven tests of the VAT decision (gen/tax/tax.c) against
 * DESIGN.md's table and REFERENCE.md 1.3-1.6, with the repository's own
 * rate data (gen/data/vat_rates.txt, the embedded copy).  Valid VAT
 * numbers are the python-stdnum-confirmed examples of REFERENCE.md 2.2.
 */
#include <stdlib.h>
#include <string.h>

#include "caldate.h"
#include "money.h"
#include "schema.h"
#include "tax.h"
#include "testlib.h"

static struct tax_rate rates[128];
static size_t nrates;

/* Parse the embedded vat_rates.txt the way the store loads it. */
static void
load_rates(void)
{
	const char *p = schema_vat_rates_text();
	struct gen_err err = { 0 };

	while (*p != '\0') {
		char cc[3], pct[16], from[16], to[16];
		const char *eol = strchr(p, '\n');

		if (*p != '#' && *p != '\n' &&
		    sscanf(p, "%2s %15s %15s %15s", cc, pct, from, to) == 4) {
			struct tax_rate *r = &rates[nrates++];
			int64_t bp;

			memcpy(r->country, cc, 3);
			CHECK_INT(money_parse_decimal(pct, 2, &bp, "rate", &err),
			    GEN_OK);
			r->rate_bp = (int32_t)bp;
			CHECK_INT(caldate_parse(from, &r->valid_from, "from", &err),
			    GEN_OK);
			r->valid_to = INT32_MAX;
			if (strcmp(to, "-") != 0)
				CHECK_INT(caldate_parse(to, &r->valid_to, "to",
				    &err), GEN_OK);
		}
		p = eol ? eol + 1 : p + strlen(p);
	}
	CHECK(nrates >= 31);
	/* The regions' own rates (vat_rates_regional.txt). */
	for (p = schema_vat_rates_regional_text(); *p != '\0';) {
		char cc[3], region[16], pct[16], from[16], to[16];
		const char *eol = strchr(p, '\n');

		if (*p != '#' && *p != '\n' &&
		    sscanf(p, "%2s %15s %15s %15s %15s", cc, region, pct, from,
		    to) == 5) {
			struct tax_rate *r = &rates[nrates++];
			int64_t bp;

			memcpy(r->country, cc, 3);
			snprintf(r->region, sizeof(r->region), "%s", region);
			CHECK_INT(money_parse_decimal(pct, 2, &bp, "rate", &err),
			    GEN_OK);
			r->rate_bp = (int32_t)bp;
			CHECK_INT(caldate_parse(from, &r->valid_from, "from", &err),
			    GEN_OK);
			r->valid_to = INT32_MAX;
			if (strcmp(to, "-") != 0)
				CHECK_INT(caldate_parse(to, &r->valid_to, "to",
				    &err), GEN_OK);
		}
		p = eol ? eol + 1 : p + strlen(p);
	}
	CHECK(nrates >= 33);
}

/*
 * A consumer in Portugal at postal code postal on date: the decision's
 * rc, rate and territory (the Azores and Madeira take their own rates,
 * REFERENCE.md 1.6 and gen/data/vat_rates_regional.txt).
 */
static void
pt_consumer(const char *date, const char *postal, int oss, enum gen_rc rc,
    int rate_bp, const char *territory, const char *msg)
{
	struct tax_input in;
	struct tax_decision d;
	struct gen_err err = { 0 };

	memset(&in, 0, sizeof(in));
	caldate_parse(date, &in.date, "date", &err);
	in.seller_vat_registered = 1;
	in.seller_country = "LT";
	in.oss_enabled = oss;
	in.payer_country = "PT";
	in.postal_code = postal;
	in.evidence_card = "PT";
	in.rates = rates;
	in.nrates = nrates;
	CHECK_INT(tax_decide(&in, &d, &err), rc);
	if (rc != GEN_OK) {
		CHECK_MSG(err, msg);
		return;
	}
	CHECK_INT(d.rate_bp, rate_bp);
	CHECK_STR(d.territory, territory);
	if (msg != NULL)
		CHECK(strstr(d.explanation, msg) != NULL);
}

struct tcase {
	const char *name;
	const char *date;
	int registered;		/* seller VAT payer on that date */
	const char *country;
	const char *postal;
	int business;
	const char *vat;
	const char *vies;
	const char *billing, *card, *ip;
	/* expected */
	enum gen_rc rc;
	enum tax_treatment t;
	const char *cat;
	int rate_bp;
	const char *vat_country;
	const char *msg;	/* fragment of the explanation or error */
};

#define CONSUMER(cc) 0, NULL, NULL, NULL, cc, cc
#define B2B(num) 1, num, "valid", NULL, NULL, NULL
#define OK GEN_OK
#define EI GEN_EINPUT
#define NVR TAX_NOT_VAT_REGISTERED
#define LTS TAX_LT_STANDARD
#define OSS TAX_OSS_DESTINATION
#define RC TAX_REVERSE_CHARGE
#define OUT TAX_OUTSIDE_SCOPE

static const struct tcase cases[] = {
	/* Registration date: 2025-07-08 vs 2025-07-09 (DESIGN row 1). */
	{ "LT consumer before registration", "2025-07-08", 0, "LT", "01103",
	  CONSUMER("LT"), OK, NVR, "O", 0, "", "not registered" },
	{ "LT consumer on registration day", "2025-07-09", 1, "LT", "01103",
	  CONSUMER("LT"), OK, LTS, "S", 2100, "LT", "own country" },
	{ "DE business before registration", "2025-07-08", 0, "DE", "10115",
	  B2B("DE136695976"), OK, NVR, "O", 0, "", NULL },
	{ "US consumer before registration", "2024-03-01", 0, "US", "10001",
	  0, NULL, NULL, NULL, NULL, NULL, OK, NVR, "O", 0, "", NULL },
	{ "DE business on registration day", "2025-07-09", 1, "DE", "10115",
	  B2B("DE136695976"), OK, RC, "AE", 0, "DE", "Reverse charge" },
	/* LT (DESIGN row 2). */
	{ "LT business with LT VAT number", "2025-08-14", 1, "LT", "01103",
	  B2B("LT100001919017"), OK, LTS, "S", 2100, "LT", NULL },
	{ "LT business without VAT number", "2025-08-14", 1, "LT", "01103",
	  1, NULL, NULL, NULL, "LT", "LT", OK, LTS, "S", 2100, "LT", NULL },
	{ "LT consumer, card LT, IP elsewhere", "2025-08-14", 1, "LT", NULL,
	  0, NULL, NULL, NULL, "LT", "PL", OK, LTS, "S", 2100, "LT", NULL },
	/* EU consumers, OSS at each state's rate (DESIGN row 4). */
	{ "AT consumer", "2025-09-01", 1, "AT", "1010", CONSUMER("AT"), OK,
	  OSS, "S", 2000, "AT", "One-Stop-Shop" },
	{ "BE consumer", "2025-09-01", 1, "BE", "1000", CONSUMER("BE"), OK,
	  OSS, "S", 2100, "BE", NULL },
	{ "BG consumer", "2025-09-01", 1, "BG", "1000", CONSUMER("BG"), OK,
	  OSS, "S", 2000, "BG", NULL },
	{ "CY consumer", "2025-09-01", 1, "CY", "1010", CONSUMER("CY"), OK,
	  OSS, "S", 1900, "CY", NULL },
	{ "CZ consumer", "2025-09-01", 1, "CZ", "11000", CONSUMER("CZ"), OK,
	  OSS, "S", 2100, "CZ", NULL },
	{ "DE consumer", "2025-09-01", 1, "DE", "10115", CONSUMER("DE"), OK,
	  OSS, "S", 1900, "DE", NULL },
	{ "DK consumer", "2025-09-01", 1, "DK", "1050", CONSUMER("DK"), OK,
	  OSS, "S", 2500, "DK", NULL },
	{ "EE consumer", "2025-09-01", 1, "EE", "10111", CONSUMER("EE"), OK,
	  OSS, "S", 2400, "EE", NULL },
	{ "ES consumer (mainland)", "2025-09-01", 1, "ES", "28001",
	  CONSUMER("ES"), OK, OSS, "S", 2100, "ES", NULL },
	{ "FI consumer", "2025-09-01", 1, "FI", "00100", CONSUMER("FI"), OK,
	  OSS, "S", 2550, "FI", NULL },
	{ "FR consumer", "2025-09-01", 1, "FR", "75001", CONSUMER("FR"), OK,
	  OSS, "S", 2000, "FR", NULL },
	{ "GR consumer", "2025-09-01", 1, "GR", "10558", CONSUMER("GR"), OK,
	  OSS, "S", 2400, "GR", NULL },
	{ "HR consumer", "2025-09-01", 1, "HR", "10000", CONSUMER("HR"), OK,
	  OSS, "S", 2500, "HR", NULL },
	{ "HU consumer", "2025-09-01", 1, "HU", "1011", CONSUMER("HU"), OK,
	  OSS, "S", 2700, "HU", NULL },
	{ "IE consumer", "2025-09-01", 1, "IE", "D02", CONSUMER("IE"), OK,
	  OSS, "S", 2300, "IE", NULL },
	{ "IT consumer", "2025-09-01", 1, "IT", "00118", CONSUMER("IT"), OK,
	  OSS, "S", 2200, "IT", NULL },
	{ "LU consumer", "2025-09-01", 1, "LU", "1111", CONSUMER("LU"), OK,
	  OSS, "S", 1700, "LU", NULL },
	{ "LV consumer", "2025-09-01", 1, "LV", "1050", CONSUMER("LV"), OK,
	  OSS, "S", 2100, "LV", NULL },
	{ "MT consumer", "2025-09-01", 1, "MT", "VLT", CONSUMER("MT"), OK,
	  OSS, "S", 1800, "MT", NULL },
	{ "NL consumer", "2025-09-01", 1, "NL", "1011", CONSUMER("NL"), OK,
	  OSS, "S", 2100, "NL", NULL },
	{ "PL consumer", "2025-09-01", 1, "PL", "00001", CONSUMER("PL"), OK,
	  OSS, "S", 2300, "PL", NULL },
	{ "PT consumer", "2025-09-01", 1, "PT", "1000", CONSUMER("PT"), OK,
	  OSS, "S", 2300, "PT", NULL },
	{ "RO consumer", "2025-09-01", 1, "RO", "010011", CONSUMER("RO"), OK,
	  OSS, "S", 2100, "RO", NULL },
	{ "SE consumer", "2025-09-01", 1, "SE", "11120", CONSUMER("SE"), OK,
	  OSS, "S", 2500, "SE", NULL },
	{ "SI consumer", "2025-09-01", 1, "SI", "1000", CONSUMER("SI"), OK,
	  OSS, "S", 2200, "SI", NULL },
	{ "SK consumer", "2025-09-01", 1, "SK", "81101", CONSUMER("SK"), OK,
	  OSS, "S", 2300, "SK", NULL },
	/* Rate changes: the day before and the day of. */
	{ "EE day before 24 %", "2025-06-30", 1, "EE", "10111",
	  CONSUMER("EE"), OK, OSS, "S", 2200, "EE", NULL },
	{ "EE first day of 24 %", "2025-07-01", 1, "EE", "10111",
	  CONSUMER("EE"), OK, OSS, "S", 2400, "EE", "valid from 2025-07-01" },
	{ "FI day before 25.5 %", "2024-08-31", 1, "FI", "00100",
	  CONSUMER("FI"), OK, OSS, "S", 2400, "FI", NULL },
	{ "FI first day of 25.5 %", "2024-09-01", 1, "FI", "00100",
	  CONSUMER("FI"), OK, OSS, "S", 2550, "FI", "25.50" },
	{ "RO day before 21 %", "2025-07-31", 1, "RO", "010011",
	  CONSUMER("RO"), OK, OSS, "S", 1900, "RO", NULL },
	{ "RO first day of 21 %", "2025-08-01", 1, "RO", "010011",
	  CONSUMER("RO"), OK, OSS, "S", 2100, "RO", NULL },
	{ "SK day before 23 %", "2024-12-31", 1, "SK", "81101",
	  CONSUMER("SK"), OK, OSS, "S", 2000, "SK", NULL },
	{ "SK first day of 23 %", "2025-01-01", 1, "SK", "81101",
	  CONSUMER("SK"), OK, OSS, "S", 2300, "SK", NULL },
	/* EU businesses with valid VAT numbers (DESIGN row 3). */
	{ "AT business", "2025-09-01", 1, "AT", "1010", B2B("ATU13585627"), OK,
	  RC, "AE", 0, "AT", NULL },
	{ "FR business", "2025-09-01", 1, "FR", "75001", B2B("FR40303265045"),
	  OK, RC, "AE", 0, "FR", NULL },
	{ "NL business", "2025-09-01", 1, "NL", "1011", B2B("NL004495445B01"),
	  OK, RC, "AE", 0, "NL", NULL },
	{ "GR business, EL number", "2025-09-01", 1, "GR", "10558",
	  B2B("EL094259216"), OK, RC, "AE", 0, "GR", "EL094259216" },
	{ "GR business, GR prefix normalised", "2025-09-01", 1, "GR", "10558",
	  B2B("GR094259216"), OK, RC, "AE", 0, "GR", "EL094259216" },
	{ "EE business", "2025-09-01", 1, "EE", "10111", B2B("EE100931558"),
	  OK, RC, "AE", 0, "EE", NULL },
	{ "RO business", "2025-09-01", 1, "RO", "010011", B2B("RO18547290"),
	  OK, RC, "AE", 0, "RO", NULL },
	{ "IE business", "2025-09-01", 1, "IE", "D02", B2B("IE6433435F"), OK,
	  RC, "AE", 0, "IE", NULL },
	{ "PL business", "2025-09-01", 1, "PL", "00001", B2B("PL8567346215"),
	  OK, RC, "AE", 0, "PL", NULL },
	{ "IT business", "2025-09-01", 1, "IT", "00118", B2B("IT00743110157"),
	  OK, RC, "AE", 0, "IT", NULL },
	{ "ES business", "2025-09-01", 1, "ES", "28001", B2B("ES54362315K"),
	  OK, RC, "AE", 0, "ES", NULL },
	{ "BE business", "2025-09-01", 1, "BE", "1000", B2B("BE0403019261"),
	  OK, RC, "AE", 0, "BE", NULL },
	{ "DE business, spaced number", "2025-09-01", 1, "DE", "10115",
	  B2B("de 136 695 976"), OK, RC, "AE", 0, "DE", "DE136695976" },
	/* The reverse charge needs VIES's confirmation (IR 282/2011 Art.
	 * 18(1)(a)): VIES down is "retry later", no check at all is refused
	 * (the bot must ask VIES first). */
	{ "DE business, VIES unavailable", "2025-09-01", 1, "DE", "10115",
	  1, "DE136695976", "unavailable", NULL, NULL, NULL, GEN_ERETRY, 0,
	  NULL, 0, NULL, "VIES did not answer" },
	{ "DE business, no VIES record", "2025-09-01", 1, "DE", "10115",
	  1, "DE136695976", NULL, NULL, "DE", "DE", EI, 0, NULL, 0, NULL,
	  "no VIES check is recorded" },
	/* Where VIES does not change the outcome, it is not needed. */
	{ "LT business, VIES unavailable", "2025-08-14", 1, "LT", "01103",
	  1, "LT100001919017", "unavailable", NULL, NULL, NULL, OK, LTS, "S",
	  2100, "LT", "VIES: unavailable" },
	{ "LT business, no VIES record", "2025-08-14", 1, "LT", "01103",
	  1, "LT100001919017", NULL, NULL, NULL, NULL, OK, LTS, "S", 2100, "LT",
	  "VIES: not checked" },
	{ "Northern Ireland business, no VIES record", "2025-09-01", 1, "GB",
	  "BT1 1AA", 1, "XI123456782", NULL, NULL, NULL, NULL, OK, OUT, "O", 0,
	  "", NULL },
	/* Invalid numbers make the payer a consumer. */
	{ "DE bad check digit -> OSS", "2025-09-01", 1, "DE", "10115",
	  1, "DE136695975", "valid", NULL, "DE", "DE", OK, OSS, "S", 1900, "DE",
	  "fails its check" },
	{ "AT bad check digit -> OSS", "2025-09-01", 1, "AT", "1010",
	  1, "ATU13585626", NULL, NULL, "AT", "AT", OK, OSS, "S", 2000, "AT",
	  NULL },
	{ "EL bad check digit -> OSS", "2025-09-01", 1, "GR", "10558",
	  1, "EL123456781", NULL, NULL, "GR", "GR", OK, OSS, "S", 2400, "GR",
	  NULL },
	{ "FR bad check digit -> OSS", "2025-09-01", 1, "FR", "75001",
	  1, "FR40303265046", NULL, NULL, "FR", "FR", OK, OSS, "S", 2000, "FR",
	  NULL },
	{ "VIES said invalid -> OSS", "2025-09-01", 1, "DE", "10115",
	  1, "DE136695976", "invalid", NULL, "DE", "DE", OK, OSS, "S", 1900,
	  "DE", "VIES reported" },
	{ "VIES invalid and no evidence -> refused", "2025-09-01", 1, "DE",
	  "10115", 1, "DE136695976", "invalid", NULL, NULL, NULL, EI, 0, NULL,
	  0, NULL, "evidence" },
	{ "number of another state -> consumer", "2025-09-01", 1, "DE",
	  "10115", 1, "FR40303265045", "valid", NULL, "DE", "DE", OK, OSS, "S",
	  1900, "DE", "belongs to FR" },
	{ "consumer gives a VAT number", "2025-09-01", 1, "DE", "10115",
	  0, "DE136695976", "valid", NULL, "DE", "DE", OK, OSS, "S", 1900, "DE",
	  "not a business" },
	{ "business without VAT number", "2025-09-01", 1, "FR", "75001",
	  1, NULL, NULL, NULL, "FR", "FR", OK, OSS, "S", 2000, "FR",
	  "gave no VAT" },
	{ "non-EU prefix", "2025-09-01", 1, "DE", "10115", 1, "US123456789",
	  NULL, NULL, "DE", "DE", OK, OSS, "S", 1900, "DE", "fails its check" },
	/* Outside the EU (DESIGN row 5). */
	{ "US consumer", "2025-09-01", 1, "US", "10001", CONSUMER("US"), OK,
	  OUT, "O", 0, "", "outside the EU VAT area" },
	{ "CH consumer", "2025-09-01", 1, "CH", "8001", CONSUMER("CH"), OK,
	  OUT, "O", 0, "", NULL },
	{ "GB consumer", "2025-09-01", 1, "GB", "SW1A 1AA", CONSUMER("GB"), OK,
	  OUT, "O", 0, "", NULL },
	{ "NO consumer", "2025-09-01", 1, "NO", "0150", CONSUMER("NO"), OK,
	  OUT, "O", 0, "", NULL },
	{ "JP consumer", "2025-09-01", 1, "JP", "100-0001", CONSUMER("JP"), OK,
	  OUT, "O", 0, "", NULL },
	{ "UA consumer", "2025-09-01", 1, "UA", "01001", CONSUMER("UA"), OK,
	  OUT, "O", 0, "", NULL },
	{ "US business without EU number", "2025-09-01", 1, "US", "10001",
	  1, NULL, NULL, NULL, "US", "US", OK, OUT, "O", 0, "", NULL },
	{ "Northern Ireland business, XI number", "2025-09-01", 1, "GB",
	  "BT1 1AA", B2B("XI123456782"), OK, OUT, "O", 0, "",
	  "Northern Ireland" },
	{ "Isle of Man consumer", "2025-09-01", 1, "IM", "IM1 1AA",
	  CONSUMER("IM"), OK, OUT, "O", 0, "", "Isle of Man" },
	/* Special territories (REFERENCE.md 1.6). */
	{ "Canary Islands (Las Palmas)", "2025-09-01", 1, "ES", "35001",
	  CONSUMER("ES"), OK, OUT, "O", 0, "", "Canary Islands" },
	{ "Canary Islands (Tenerife)", "2025-09-01", 1, "ES", "38001",
	  CONSUMER("ES"), OK, OUT, "O", 0, "", "Canary Islands" },
	{ "Canary Islands business", "2025-09-01", 1, "ES", "35001",
	  B2B("ES54362315K"), OK, OUT, "O", 0, "", "Canary Islands" },
	{ "Ceuta", "2025-09-01", 1, "ES", "51001", CONSUMER("ES"), OK, OUT, "O",
	  0, "", "Ceuta" },
	{ "Melilla", "2025-09-01", 1, "ES", "52001", CONSUMER("ES"), OK, OUT,
	  "O", 0, "", "Melilla" },
	{ "Aland by postal code", "2025-09-01", 1, "FI", "22100",
	  CONSUMER("FI"), OK, OUT, "O", 0, "", "Åland" },
	{ "Aland by AX code", "2025-09-01", 1, "AX", "22100", CONSUMER("AX"),
	  OK, OUT, "O", 0, "", "Åland" },
	{ "Mount Athos", "2025-09-01", 1, "GR", "63086", CONSUMER("GR"), OK,
	  OUT, "O", 0, "", "Mount Athos" },
	{ "Thessaloniki (not Athos)", "2025-09-01", 1, "GR", "54624",
	  CONSUMER("GR"), OK, OSS, "S", 2400, "GR", NULL },
	{ "Busingen", "2025-09-01", 1, "DE", "78266", CONSUMER("DE"), OK, OUT,
	  "O", 0, "", "Büsingen" },
	{ "Heligoland", "2025-09-01", 1, "DE", "27498", CONSUMER("DE"), OK,
	  OUT, "O", 0, "", "Heligoland" },
	{ "Livigno", "2025-09-01", 1, "IT", "23041", CONSUMER("IT"), OK, OUT,
	  "O", 0, "", "Livigno" },
	{ "Campione d'Italia", "2025-09-01", 1, "IT", "22061", CONSUMER("IT"),
	  OK, OUT, "O", 0, "", "Campione" },
	{ "Guadeloupe by postal code", "2025-09-01", 1, "FR", "97110",
	  CONSUMER("FR"), OK, OUT, "O", 0, "", "Guadeloupe" },
	{ "Reunion by RE code", "2025-09-01", 1, "RE", "97400",
	  CONSUMER("RE"), OK, OUT, "O", 0, "", "Réunion" },
	{ "Monaco consumer -> French VAT", "2025-09-01", 1, "MC", "98000",
	  CONSUMER("MC"), OK, OSS, "S", 2000, "FR", "Monaco" },
	{ "Monaco business, FR number", "2025-09-01", 1, "MC", "98000",
	  B2B("FR40303265045"), OK, RC, "AE", 0, "FR", NULL },
	/* Evidence rules (IR 282/2011 Art. 24b, 24f). */
	{ "evidence disagrees -> refused", "2025-09-01", 1, "DE", "10115",
	  0, NULL, NULL, NULL, "FR", "PL", EI, 0, NULL, 0, NULL,
	  "billing_country=DE, card_country=FR, ip_country=PL" },
	{ "one item only -> refused", "2025-09-01", 1, "DE", "10115",
	  0, NULL, NULL, NULL, NULL, NULL, EI, 0, NULL, 0, NULL, "1 item" },
	{ "outside EU needs evidence too", "2025-09-01", 1, "US", "10001",
	  0, NULL, NULL, NULL, NULL, "CA", EI, 0, NULL, 0, NULL, "disagree" },
	{ "card and IP outvote billing", "2025-09-01", 1, "DE", "10115",
	  0, NULL, NULL, NULL, "AT", "AT", OK, OSS, "S", 2000, "AT",
	  "located in AT" },
	{ "explicit billing evidence", "2025-09-01", 1, "DE", "10115",
	  0, NULL, NULL, "FR", "FR", NULL, OK, OSS, "S", 2000, "FR", NULL },
	{ "billing and IP agree, card differs", "2025-09-01", 1, "PL", "00001",
	  0, NULL, NULL, NULL, "DE", "PL", OK, OSS, "S", 2300, "PL", NULL },
	{ "postal code ignored when located elsewhere", "2025-09-01", 1, "ES",
	  "35001", 0, NULL, NULL, NULL, "FR", "FR", OK, OSS, "S", 2000, "FR",
	  NULL },
	/* Missing rate data is an error, never a guess. */
	{ "no rate for the date", "1990-01-01", 1, "DE", "10115",
	  CONSUMER("DE"), EI, 0, NULL, 0, NULL, "no VAT rate for DE" },
};

static void
run_case(const struct tcase *c, int oss)
{
	struct tax_input in;
	struct tax_decision d;
	struct gen_err err = { 0 };
	enum gen_rc rc;
	int ok;

	memset(&in, 0, sizeof(in));
	CHECK_INT(caldate_parse(c->date, &in.date, "date", &err), GEN_OK);
	in.seller_vat_registered = c->registered;
	in.seller_country = "LT";
	in.oss_enabled = oss;
	in.payer_country = c->country;
	in.postal_code = c->postal;
	in.is_business = c->business;
	in.vat_number = c->vat;
	in.vat_check = c->vies;
	in.evidence_billing = c->billing;
	in.evidence_card = c->card;
	in.evidence_ip = c->ip;
	in.rates = rates;
	in.nrates = nrates;
	rc = tax_decide(&in, &d, &err);
	ok = rc == c->rc;
	if (ok && rc == GEN_OK)
		ok = d.treatment == c->t && strcmp(d.category, c->cat) == 0 &&
		    d.rate_bp == c->rate_bp &&
		    strcmp(d.vat_country, c->vat_country) == 0 &&
		    (c->msg == NULL || strstr(d.explanation, c->msg) != NULL);
	else if (ok && c->msg != NULL)
		ok = strstr(err.msg, c->msg) != NULL;
	test_checks++;
	if (!ok) {
		test_failures++;
		fprintf(stderr, "case \"%s\": rc %d treatment %s %s %d [%s]\n  %s\n",
		    c->name, rc, rc ? "-" : tax_treatment_name(d.treatment),
		    rc ? "-" : d.category, rc ? 0 : d.rate_bp,
		    rc ? "" : d.vat_country, rc ? err.msg : d.explanation);
	}
	/* Every outcome carries its legal basis and rule. */
	if (rc == GEN_OK)
		CHECK(d.basis != NULL && d.rule != NULL);
}

int
main(void)
{
	struct tax_input in;
	struct tax_decision d;
	struct gen_err err = { 0 };
	size_t n = sizeof(cases) / sizeof(cases[0]);

	load_rates();
	CHECK(n >= 80);
	for (size_t i = 0; i < n; i++)
		run_case(&cases[i], 1);

	/* Below the EUR 10,000 threshold and not opted in: LT VAT (Art. 59c). */
	memset(&in, 0, sizeof(in));
	caldate_parse("2025-09-01", &in.date, "date", &err);
	in.seller_vat_registered = 1;
	in.seller_country = "LT";
	in.oss_enabled = 0;
	in.payer_country = "DE";
	in.evidence_card = "DE";
	in.rates = rates;
	in.nrates = nrates;
	CHECK_INT(tax_decide(&in, &d, &err), GEN_OK);
	CHECK_INT(d.treatment, TAX_LT_STANDARD);
	CHECK_INT(d.rate_bp, 2100);
	CHECK_STR(d.rule, "lt-below-threshold");

	/* Exemption codes for the e-invoices. */
	in.oss_enabled = 1;
	in.payer_country = "US";
	in.evidence_card = "US";
	CHECK_INT(tax_decide(&in, &d, &err), GEN_OK);
	CHECK_STR(d.exemption_code, "VATEX-EU-O");
	in.payer_country = "DE";
	in.is_business = 1;
	in.vat_number = "DE136695976";
	in.vat_check = "valid";
	CHECK_INT(tax_decide(&in, &d, &err), GEN_OK);
	CHECK_STR(d.exemption_code, "VATEX-EU-AE");
	CHECK_STR(d.payer_vat_number, "DE136695976");

	/* Regional rates: the Azores and Madeira, from their start dates. */
	pt_consumer("2025-09-01", "9500-321", 1, GEN_OK, 1600, "azores",
	    "in the Azores, a region of PT with VAT rates of its own");
	pt_consumer("2025-09-01", "9500-321", 1, GEN_OK, 1600, "azores",
	    "The PT (azores) standard rate on the tax-point date is 16.00 % "
	    "(valid from 2021-07-01)");
	pt_consumer("2021-07-01", "9700", 1, GEN_OK, 1600, "azores", NULL);
	pt_consumer("2025-09-01", "9000-100", 1, GEN_OK, 2200, "madeira",
	    "Portuguese VAT Code Art. 6(10)(h), 6(16) and 18(3)");
	pt_consumer("2025-09-01", "1000-001", 1, GEN_OK, 2300, "", NULL);
	pt_consumer("2021-06-30", "9500-321", 1, GEN_EINPUT, 0, NULL,
	    "no VAT rate for PT (region azores) valid on 2021-06-30");
	/* Below the threshold: Lithuanian VAT, no region. */
	pt_consumer("2025-09-01", "9500-321", 0, GEN_OK, 2100, "", NULL);
	/* A business in the Azores: reverse charge, no rate, no region. */
	memset(&in, 0, sizeof(in));
	caldate_parse("2025-09-01", &in.date, "date", &err);
	in.seller_vat_registered = 1;
	in.seller_country = "LT";
	in.oss_enabled = 1;
	in.payer_country = "PT";
	in.postal_code = "9500-321";
	in.is_business = 1;
	in.vat_number = "PT500697256";
	in.vat_check = "valid";
	in.rates = rates;
	in.nrates = nrates;
	CHECK_INT(tax_decide(&in, &d, &err), GEN_OK);
	CHECK_INT(d.treatment, TAX_REVERSE_CHARGE);
	CHECK_STR(d.territory, "");
	/* The territory of an outside-scope place is recorded. */
	in.payer_country = "ES";
	in.postal_code = "35002";
	in.is_business = 0;
	in.vat_number = NULL;
	in.evidence_card = "ES";
	CHECK_INT(tax_decide(&in, &d, &err), GEN_OK);
	CHECK_INT(d.treatment, TAX_OUTSIDE_SCOPE);
	CHECK_STR(d.territory, "canary_islands");
	in.payer_country = "US";
	in.postal_code = "10001";
	in.evidence_card = "US";
	CHECK_INT(tax_decide(&in, &d, &err), GEN_OK);
	CHECK_STR(d.territory, "");

	/* Names round-trip. */
	for (int t = 0; t < 5; t++)
		CHECK_INT(tax_treatment_from_name(tax_treatment_name(t)), t);
	CHECK_INT(tax_treatment_from_name("VAT"), -1);
	return test_report();
}
