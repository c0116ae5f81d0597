/*
 * test-iban.c - unit tests of gen/tax/iban.c: every SWIFT IBAN registry country
 * accepted with its registry example, printing in groups of four, and the
 * refusals (check digits, length, country, characters) with their messages.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "iban.h"
#include "testlib.h"

/*
 * The "IBAN electronic format example" of every country in the SWIFT IBAN
 * Registry (iban-registry_1.txt, swift.com), one per country, sorted.  The
 * same examples appear in python-stdnum's and other validators' tests.
 */
static const char *registry_examples[] = {
	"AD1200012030200359100100", "AE070331234567890123456",
	"AL47212110090000000235698741", "AT611904300234573201",
	"AZ21NABZ00000000137010001944", "BA391290079401028494",
	"BE68539007547034", "BG80BNBG96611020345678",
	"BH67BMAG00001299123456", "BI4210000100010000332045181",
	"BR1800360305000010009795493C1", "BY13NBRB3600900000002Z00AB00",
	"CH9300762011623852957", "CR05015202001026284066",
	"CY17002001280000001200527600", "CZ6508000000192000145399",
	"DE89370400440532013000", "DJ2100010000000154000100186",
	"DK5000400440116243", "DO28BAGR00000001212453611324",
	"EE382200221020145685", "EG380019000500000000263180002",
	"ES9121000418450200051332", "FI2112345600000785",
	"FK88SC123456789012", "FO6264600001631634",
	"FR1420041010050500013M02606", "GB29NWBK60161331926819",
	"GE29NB0000000101904917", "GI75NWBK000000007099453",
	"GL8964710001000206", "GR1601101250000000012300695",
	"GT82TRAJ01020000001210029690", "HN88CABF00000000000250005469",
	"HR1210010051863000160", "HU42117730161111101800000000",
	"IE29AIBK93115212345678", "IL620108000000099999999",
	"IQ98NBIQ850123456789012", "IS140159260076545510730339",
	"IT60X0542811101000000123456", "JO94CBJO0010000000000131000302",
	"KW81CBKU0000000000001234560101", "KZ86125KZT5004100100",
	"LB62099900000001001901229114", "LC55HEMM000100010012001200023015",
	"LI21088100002324013AA", "LT121000011101001000",
	"LU280019400644750000", "LV80BANK0000435195001",
	"LY83002048000020100120361", "MC5811222000010123456789030",
	"MD24AG000225100013104168", "ME25505000012345678951",
	"MK07250120000058984", "MN121234123456789123",
	"MR1300020001010000123456753", "MT84MALT011000012345MTLCAST001S",
	"MU17BOMM0101101030300200000MUR", "NI45BAPR00000013000003558124",
	"NL91ABNA0417164300", "NO9386011117947",
	"OM810180000001299123456", "PK36SCBL0000001123456702",
	"PL61109010140000071219812874", "PS92PALS000000000400123456702",
	"PT50000201231234567890154", "QA58DOHB00001234567890ABCDEFG",
	"RO49AAAA1B31007593840000", "RS35260005601001611379",
	"RU0304452522540817810538091310419", "SA0380000000608010167519",
	"SC18SSCB11010000000000001497USD", "SD2129010501234001",
	"SE4550000000058398257466", "SI56263300012039086",
	"SK3112000000198742637541", "SM86U0322509800000000270100",
	"SO211000001001000100141", "ST23000100010051845310146",
	"SV62CENR00000000000000700025", "TL380080012345678910157",
	"TN5910006035183598478831", "TR330006100519786457841326",
	"UA213223130000026007233566001", "VA59001123000012345678",
	"VG96VPVG0000012345678901", "XK051212012345678906",
	"YE15CBYE0001018861234567891234",
};
#define NEXAMPLES (sizeof(registry_examples) / sizeof(registry_examples[0]))

/* Check one refused input: the code, and a fragment of the message. */
static void
refused(const char *in, const char *fragment)
{
	struct gen_err err = {0};
	char norm[IBAN_SIZE] = "untouched";

	CHECK_INT(iban_check(in, norm, sizeof(norm), &err), GEN_EINPUT);
	CHECK_INT(err.rc, GEN_EINPUT);
	CHECK_MSG(err, fragment);
	CHECK(strncmp(err.msg, "iban: ", 6) == 0);
	CHECK_STR(norm, "untouched");
}

static void
test_registry(void)
{
	struct gen_err err = {0};
	char norm[IBAN_SIZE], pr[IBAN_PRINT_SIZE], lower[IBAN_PRINT_SIZE];
	size_t i, j;

	CHECK_INT(NEXAMPLES, 89);
	for (i = 0; i < NEXAMPLES; i++) {
		const char *ex = registry_examples[i];

		/* One example per country, in code order. */
		if (i > 0)
			CHECK(strncmp(registry_examples[i - 1], ex, 2) < 0);
		CHECK_INT(iban_country_length(ex), strlen(ex));
		CHECK_INT(iban_check(ex, norm, sizeof(norm), &err), GEN_OK);
		CHECK_STR(norm, ex);

		/* The printed form, and in lower case, come back the same. */
		iban_format(ex, pr, sizeof(pr));
		for (j = 0; pr[j] != '\0'; j++)
			lower[j] = (pr[j] >= 'A' && pr[j] <= 'Z') ?
			    (char)(pr[j] - 'A' + 'a') : pr[j];
		lower[j] = '\0';
		memset(norm, 0, sizeof(norm));
		CHECK_INT(iban_check(pr, norm, sizeof(norm), &err), GEN_OK);
		CHECK_STR(norm, ex);
		memset(norm, 0, sizeof(norm));
		CHECK_INT(iban_check(lower, norm, sizeof(norm), &err), GEN_OK);
		CHECK_STR(norm, ex);
	}

	/* Not in the registry: no IBANs, or covered by a parent's code. */
	CHECK_INT(iban_country_length("US"), 0);
	CHECK_INT(iban_country_length("AX"), 0);
	CHECK_INT(iban_country_length("XX"), 0);
	CHECK_INT(iban_country_length("lt"), 0);
	CHECK_INT(iban_country_length(""), 0);
	CHECK_INT(iban_country_length(NULL), 0);
	CHECK_INT(iban_country_length("LT"), 20);
	CHECK_INT(iban_country_length("NO"), 15);
	CHECK_INT(iban_country_length("RU"), 33);
}

static void
test_valid_other(void)
{
	struct gen_err err = {0};
	char norm[IBAN_SIZE];

	/* ECBS/Wikipedia example of the MOD 97-10 computation. */
	CHECK_INT(iban_check("GB82 WEST 1234 5698 7654 32", norm, sizeof(norm),
	    &err), GEN_OK);
	CHECK_STR(norm, "GB82WEST12345698765432");
	/* REFERENCE.md 5.3, as printed; extra and missing spaces are fine. */
	CHECK_INT(iban_check("LT12 1000 0111 0100 1000", norm, sizeof(norm),
	    &err), GEN_OK);
	CHECK_STR(norm, "LT121000011101001000");
	CHECK_INT(iban_check("  lt12  10000111 0100 1000 ", norm, sizeof(norm),
	    &err), GEN_OK);
	CHECK_STR(norm, "LT121000011101001000");
	/* Check digits 02, the smallest (computed for this test). */
	CHECK_INT(iban_check("LT021000011101000016", NULL, 0, &err), GEN_OK);
	/* Exactly the needed buffer. */
	CHECK_INT(iban_check("NO9386011117947", norm, 16, &err), GEN_OK);
	CHECK_STR(norm, "NO9386011117947");
}

static void
test_invalid(void)
{
	const char *de = "DE89370400440532013000";
	char buf[IBAN_SIZE], long_in[64];
	struct gen_err err = {0};
	size_t i;
	int d;

	/* The brief's example: one changed digit. */
	refused("LT12 1000 0111 0100 1001", "iban: LT12 1000 0111 0100 1001 "
	    "fails the check digits (ISO 13616 MOD 97-10)");
	refused("GB82WEST12345698765433", "fails the check digits");
	refused("FR1420041010050500013N02606", "FR14 2004 1010 0505 0001 3N02 "
	    "606 fails the check digits");
	/* MOD 97-10 catches every single substituted digit ... */
	for (i = 4; i < strlen(de); i++) {
		for (d = 1; d < 10; d++) {
			memcpy(buf, de, strlen(de) + 1);
			buf[i] = (char)('0' + (de[i] - '0' + d) % 10);
			CHECK_INT(iban_check(buf, NULL, 0, &err), GEN_EINPUT);
		}
	}
	/* ... and every swap of two adjacent different digits. */
	for (i = 4; i + 1 < strlen(de); i++) {
		if (de[i] == de[i + 1])
			continue;
		memcpy(buf, de, strlen(de) + 1);
		buf[i] = de[i + 1];
		buf[i + 1] = de[i];
		CHECK_INT(iban_check(buf, NULL, 0, &err), GEN_EINPUT);
	}
	/* Changed check digits. */
	refused("DE88370400440532013000", "DE88 3704 0044 0532 0130 00 fails");

	/* Wrong length for the country. */
	refused("LT12100001110100100", "iban: LT12100001110100100 has 19 "
	    "characters; allowed: 20 for an IBAN of country LT");
	refused("LT1210000111010010000", "has 21 characters; allowed: 20");
	refused("GB82WEST1234569876543", "allowed: 22 for an IBAN of "
	    "country GB");
	refused("LT", "LT has 2 characters; allowed: 20");
	/* Longer than any IBAN. */
	memset(long_in, '1', 40);
	memcpy(long_in, "LT", 2);
	long_in[40] = '\0';
	refused(long_in, "iban: 40 letters and digits; allowed: at most 34");

	/* Unknown country or no country. */
	refused("US12100001110100100012", "iban: country code US does not "
	    "issue IBANs (not in the SWIFT IBAN registry)");
	refused("XX121000011101001000", "country code XX");
	refused("1210000111010010LT00", "does not start with a two-letter "
	    "country code");
	refused("L", "L does not start with a two-letter country code");

	/* Check digits that are not digits or out of 02..98. */
	refused("LTAB1000011101001000", "characters 3 and 4 must be the "
	    "check digits");
	refused("LT001000011101001000", "check digits 00 are out of range; "
	    "allowed: 02..98");
	/* 99 = 2 (mod 97): passes the remainder test, still refused. */
	refused("LT991000011101000016", "check digits 99 are out of range");

	/* Characters other than letters, digits and spaces. */
	refused("LT12-1000-0111-0100-1000", "iban: character 5 ('-') is not "
	    "allowed; allowed: letters A-Z, digits 0-9 and spaces");
	refused("LT12\t1000011101001000", "character 5 (byte 0x09)");
	refused("LT12100001110100100\xc4\x85", "character 20 (byte 0xC4)");
	refused("LT12\xc2\xa0" "1000011101001000", "byte 0xC2");
	refused("LT12.1000", "('.')");

	/* Nothing at all. */
	refused("", "iban: empty; allowed: an IBAN such as LT12");
	refused("   ", "iban: empty");
	refused(NULL, "iban: empty");
}

static void
test_buffers(void)
{
	struct gen_err err = {0};
	char small[20], pr[IBAN_PRINT_SIZE], tiny[8];

	CHECK_INT(iban_check("LT121000011101001000", small, sizeof(small),
	    &err), GEN_EINTERNAL);
	CHECK_MSG(err, "too small");
	/* err may be NULL. */
	CHECK_INT(iban_check("XX", NULL, 0, NULL), GEN_EINPUT);

	iban_format("LT121000011101001000", pr, sizeof(pr));
	CHECK_STR(pr, "LT12 1000 0111 0100 1000");
	iban_format("NO9386011117947", pr, sizeof(pr));
	CHECK_STR(pr, "NO93 8601 1117 947");
	iban_format("MT84MALT011000012345MTLCAST001S", pr, sizeof(pr));
	CHECK_STR(pr, "MT84 MALT 0110 0001 2345 MTLC AST0 01S");
	iban_format("LC55HEMM000100010012001200023015", pr, sizeof(pr));
	CHECK_STR(pr, "LC55 HEMM 0001 0001 0012 0012 0002 3015");
	iban_format("", pr, sizeof(pr));
	CHECK_STR(pr, "");
	/* Truncated, but always terminated. */
	iban_format("LT121000011101001000", tiny, sizeof(tiny));
	CHECK_STR(tiny, "LT12 10");
	iban_format("LT121000011101001000", tiny, 5);
	CHECK_STR(tiny, "LT12");
	iban_format("LT121000011101001000", tiny, 6);
	CHECK_STR(tiny, "LT12 ");
}

static void
test_mod97(void)
{
	/* REFERENCE.md 5.3 steps 3 and 4. */
	CHECK_INT(iban_mod97("1000011101001000212900"), 86);
	CHECK_INT(iban_mod97("1000011101001000212912"), 1);
	CHECK_INT(iban_mod97("1000011101001000LT12"), 1);
	/* REFERENCE.md 5.2 (ISO 11649): 539007547034 + RF00 -> 80. */
	CHECK_INT(iban_mod97("539007547034RF00"), 80);
	CHECK_INT(iban_mod97("539007547034271518"), 1);
	CHECK_INT(iban_mod97(""), 0);
	CHECK_INT(iban_mod97("96"), 96);
	CHECK_INT(iban_mod97("97"), 0);
	CHECK_INT(iban_mod97("Z"), 35);
	CHECK_INT(iban_mod97("lt12"), -1);
	CHECK_INT(iban_mod97("12 3"), -1);
}

int
main(void)
{
	test_registry();
	test_valid_other();
	test_invalid();
	test_buffers();
	test_mod97();
	return test_report();
}
