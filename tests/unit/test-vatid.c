/*
 * test-vatid.c - unit tests of gen/tax/vatid.c: normalisation, the 28 national
 * checks (known-valid and known-invalid numbers for every prefix), the
 * messages, the length and character limits and the country mapping.
 *
 * With the argument --check-stdin it is instead the driver of
 * tests/unit/vatid-oracle.sh: it reads one number per line and prints
 * "1" (vatid_check accepts it) or "0" per line.
 *
 * Sources of the known-valid numbers, cited per group below:
 *   [eu]  python-stdnum tests/test_eu_vat.doctest (numbers found online)
 *   [doc] the docstring of the python-stdnum module named in the comment
 *   [gb]  python-stdnum tests/test_gb_vat.doctest (UK numbers, used here
 *         with the XI prefix, which shares the UK algorithm)
 *   [ref] the valid test numbers of the project's VAT reference notes
 *         (the sample seller LT100018548216 and the buyers of
 *         tests/einvoice/samples.h)
 *   [jsvat] se-panfilov/jsvat, Croatia test data
 *   [k37] koblas/stdnum-js issue #37 (GB340804329, a "9755" number)
 * The invalid checksum numbers marked [eu] come from the same file's list
 * of mangled numbers; the others are valid numbers changed by hand.  Every
 * number here was also confirmed with python3-stdnum 1.18.
 */
#include <stdio.h>
#include <string.h>

#include "vatid.h"
#include "testlib.h"

struct valid {
	const char *in;
	const char *norm;	/* expected canonical form */
};

struct invalid {
	const char *in;
	const char *frag;	/* expected in the message */
};

static const struct valid valids[] = {
	/* AT [eu], ATU13585627 also [ref] and [doc at.uid] */
	{ "ATU 142 43 102", "ATU14243102" },
	{ "ATU13585627", "ATU13585627" },
	{ "ATU 64487479", "ATU64487479" },
	{ "atu46080404", "ATU46080404" },
	/* BE [eu]; 444.503.092 is the old 9-digit form; BE0403019261 [ref] */
	{ "BE 0202.239.951", "BE0202239951" },
	{ "BE 444.503.092", "BE0444503092" },
	{ "BE0428759497", "BE0428759497" },
	{ "BE0403019261", "BE0403019261" },
	/* BG [eu]: legal entity; EGN 7523169263; PNF 7111042925 */
	{ "BG 175 074 752", "BG175074752" },
	{ "BG7523169263", "BG7523169263" },
	{ "BG8032056031", "BG8032056031" },
	{ "BG7111042925", "BG7111042925" },
	/* CY [eu] */
	{ "CY-10259033P", "CY10259033P" },
	{ "CY 10246672X", "CY10246672X" },
	{ "CY00632993 F", "CY00632993F" },
	/* CZ [eu]: legal, special (640.., 682.. from stdnum issue #51), RC */
	{ "CZ 25123891", "CZ25123891" },
	{ "CZ 640903926", "CZ640903926" },
	{ "CZ 682127228", "CZ682127228" },
	{ "CZ 640229/4448", "CZ6402294448" },
	{ "CZ7103192745", "CZ7103192745" },	/* [doc cz.dic] */
	/* DE [eu]; DE136695976 [ref] */
	{ "DE136695976", "DE136695976" },
	{ "DE 181 207 708", "DE181207708" },
	{ "DE 221.304.969", "DE221304969" },
	{ "DE - 113866163", "DE113866163" },
	/* DK: DK 13585628 [doc dk.cvr], others [eu] */
	{ "DK 13585628", "DK13585628" },
	{ "DK 2566 2202", "DK25662202" },
	{ "DK-27630308", "DK27630308" },
	/* EE [eu] */
	{ "EE 100 931 558", "EE100931558" },
	{ "EE 100594102", "EE100594102" },
	{ "EE101256753", "EE101256753" },
	/* EL [eu]; EL 94051189 is the old 8-digit form; GR is the ISO code */
	{ "EL 094259216", "EL094259216" },
	{ "GR 094259216", "EL094259216" },
	{ "gr094501040", "EL094501040" },
	{ "El 800 179 925", "EL800179925" },
	{ "EL 94051189", "EL094051189" },
	/* ES [eu]: DNI, NIE (X Y Z), K/L/M [doc es.nif], CIF digit/letter */
	{ "ES 54362315K", "ES54362315K" },
	{ "ES X-5253868-R", "ESX5253868R" },
	{ "ES Y5277343F", "ESY5277343F" },
	{ "ES Z5277343K", "ESZ5277343K" },
	{ "ES M-1234567-L", "ESM1234567L" },
	{ "ES B-58378431", "ESB58378431" },
	{ "ES - Q0818001J", "ESQ0818001J" },
	{ "Es-a58951310", "ESA58951310" },
	{ "ES-x-2482300w", "ESX2482300W" },
	/* FI [eu] */
	{ "FI 20774740", "FI20774740" },
	{ "FI 0982651-1", "FI09826511" },
	{ "FI-214 95 540", "FI21495540" },
	/* FR [eu]: numeric keys, letter key, Monaco (SIREN 000..);
	 * 4Z123456782 [doc fr.tva] digit + letter key */
	{ "Fr 40 303 265 045", "FR40303265045" },
	{ "FR 84 323 140 392", "FR84323140392" },
	{ "FR K 7399859412", "FRK7399859412" },
	{ "FR4Z123456782", "FR4Z123456782" },
	{ "FR16000063601", "FR16000063601" },
	/* HR: 33392005961 [doc hr.oib], others [jsvat] */
	{ "HR 33392005961", "HR33392005961" },
	{ "HR02574432339", "HR02574432339" },
	{ "HR 8188978 5066", "HR81889785066" },
	/* HU [eu] */
	{ "HU-12892312", "HU12892312" },
	{ "HU 10672101", "HU10672101" },
	{ "HU11377304", "HU11377304" },
	/* IE [eu]: 2013 form with second letter, old form 8D79739I */
	{ "IE 6433435F", "IE6433435F" },
	{ "IE6433435OA", "IE6433435OA" },
	{ "IE6433435IH", "IE6433435IH" },
	{ "IE8D79739I", "IE8D79739I" },
	{ "IE 8223200u", "IE8223200U" },
	{ "IE9Y71814N", "IE9Y71814N" },
	/* IT [eu] */
	{ "IT 00743110157", "IT00743110157" },
	{ "IT 0 0 6 1 8 2 8 0 4 9 9", "IT00618280499" },
	{ "IT-01626160210", "IT01626160210" },
	/* LT [eu]: 9 digits, 12 digits, second weight step;
	 * LT100018548216 [ref] (the seller) */
	{ "LT 119511515", "LT119511515" },
	{ "LT 100001919017", "LT100001919017" },
	{ "LT100004801610", "LT100004801610" },
	{ "LT100018548216", "LT100018548216" },
	/* LU [eu] */
	{ "LU 150 274 42", "LU15027442" },
	{ "LU.248.70.640", "LU24870640" },
	{ "Lu 19980500", "LU19980500" },
	/* LV [eu]; personal code 161175-19997 [doc lv.pvn] */
	{ "LV 4000 3521 600", "LV40003521600" },
	{ "LV-40003241337", "LV40003241337" },
	{ "LV 161175-19997", "LV16117519997" },
	/* MT [eu] */
	{ "MT 1167-9112", "MT11679112" },
	{ "MT 17025737", "MT17025737" },
	{ "MT 2029 1423", "MT20291423" },
	/* NL [eu]: mod 11; short form padded; MOD 97-10 sole proprietors
	 * (002455799B11, 001452330B47 fail the mod 11 test) */
	{ "NL 004495445B01", "NL004495445B01" },
	{ "NL4495445B01", "NL004495445B01" },
	{ "NL.8143.26.584.B.01", "NL814326584B01" },
	{ "NL 8225.69.759 b01", "NL822569759B01" },
	{ "NL002455799B11", "NL002455799B11" },
	{ "NL001452330B47", "NL001452330B47" },
	/* PL [eu]; PL8567346215 [ref] */
	{ "PL 584-030-44-72", "PL5840304472" },
	{ "PL8567346215", "PL8567346215" },
	{ "PL5261025421", "PL5261025421" },
	/* PT [eu] */
	{ "PT 501 964 843", "PT501964843" },
	{ "PT 500135.495", "PT500135495" },
	{ "PT503038083", "PT503038083" },
	/* RO [eu]: CUI of 6-8 digits and a 13-digit CNP */
	{ "RO 185 472 90", "RO18547290" },
	{ "RO 573768", "RO573768" },
	{ "RO 241 30 20", "RO2413020" },
	{ "RO 1630615123457", "RO1630615123457" },
	/* SE [eu] */
	{ "SE 556.383.740.901", "SE556383740901" },
	{ "SE-5562245190-01", "SE556224519001" },
	{ "Se 556250398601", "SE556250398601" },
	/* SI [eu] */
	{ "SI 3609 7152", "SI36097152" },
	{ "SI-83815201", "SI83815201" },
	{ "SI 50223054", "SI50223054" },
	/* SK [eu]; SK7103192745 is the RČ of [doc cz.dic], accepted as
	 * Slovak number by sk.dph */
	{ "SK 2022193459", "SK2022193459" },
	{ "SK 202 274 96 19", "SK2022749619" },
	{ "SK 1078449064", "SK1078449064" },
	{ "SK7103192745", "SK7103192745" },
	/* XI: [gb] standard, restarting 100.., branch, GD/HA and their EU
	 * forms; XI123456782 [ref]; 340804329 [k37] (remainder 42) */
	{ "XI 980 7806 84", "XI980780684" },
	{ "XI123456782", "XI123456782" },
	{ "XI 100190874", "XI100190874" },
	{ "xi 340 8043 29", "XI340804329" },
	{ "XI 242 3380 87 388", "XI242338087388" },
	{ "XIGD100", "XIGD100" },
	{ "XI HA501", "XIHA501" },
	{ "XIGD888810003", "XIGD888810003" },
	{ "XIHA888856782", "XIHA888856782" },

	/*
	 * Constructed edge cases (no public source; each confirmed with
	 * python3-stdnum 1.18): rules that random numbers rarely reach.
	 */
	{ "XI 123456727", "XI123456727" },	/* remainder 42 ("9755") */
	{ "XI 123456740", "XI123456740" },	/* remainder 55 (stdnum) */
	{ "RO 1850615400021", "RO1850615400021" }, /* CNP sum 10 -> 1 */
	{ "CZ 845101/0030", "CZ8451010030" },	/* before 1985: 10 -> 0 */
	{ "CZ 530101/123", "CZ530101123" },	/* 9-digit birth number */
	{ "SI 10000020", "SI10000020" },	/* 11 - 1 = 10 -> 0 */
	{ "BG 100000086", "BG100000086" },	/* second weight step */
	{ "BG 1000000007", "BG1000000007" },	/* neither EGN nor PNF */
	{ "LV 010203-20007", "LV01020320007" },	/* personal, 2000s */
};

/*
 * For every prefix: wrong check digits, wrong length, wrong pattern (and
 * impossible components where a country has them).
 */
static const struct invalid invalids[] = {
	{ "ATU 143 43 102", "fails the Austrian check digit" },	/* [eu] */
	{ "ATU46080904", "fails the Austrian check digit" },	/* [eu] */
	{ "ATU 151592092", "'ATU151592092' must be ATU + 8 digits" },
	{ "AT1 142 43 102", "must be ATU + 8 digits" },		/* [eu] */
	{ "ATU 1515B209", "must be ATU + 8 digits" },		/* [eu] */

	{ "BE 0406.139.583", "fails the Belgian check digits" },	/* [eu] */
	{ "BE697449982", "BE0697449982 fails the Belgian check" },	/* [eu] */
	{ "BE04030192611", "must be BE + 10 digits" },
	{ "BE 02A2.239.951", "must be BE + 10 digits" },	/* [eu] */
	{ "BE0000000000", "must be BE + 10 digits" },

	{ "BG 131 172 009", "fails the Bulgarian check digit (legal" },
	{ "BG 1037735942", "fails the Bulgarian check digit (of an EGN" },
	{ "BG12345678", "must be BG + 9 or 10 digits" },
	{ "BG 10X8735941", "must be BG + 9 or 10 digits" },	/* [eu] */

	{ "CY 10246672F", "fails the Cypriot check letter" },	/* [eu] */
	{ "CY102590331", "must be CY + 8 digits + 1 letter" },
	{ "CY-1225903322", "must be CY + 8 digits + 1 letter" },	/* [eu] */
	{ "CY-102590Z3P", "must be CY + 8 digits + 1 letter" },	/* [eu] */
	{ "CY-12259033P", "Cypriot numbers cannot start with 12" },	/* [eu] */

	{ "CZ 25557481", "fails the Czech check digit (legal entity" },
	{ "CZ 640913926", "fails the Czech check digit (9-digit special" },
	{ "CZ 8058018314", "fails the Czech check digit (birth number" },
	{ "CZ 95123891", "8-digit Czech numbers (legal entities) cannot" },
	{ "CZ 6402304448", "is not a valid date" },
	{ "CZ 540229123", "only for births before 1954" },
	{ "CZ 1234567", "must be CZ + 8, 9 or 10 digits" },
	{ "CZ 2512389A", "must be CZ + 8, 9 or 10 digits" },

	{ "DE136695975", "vat_number: DE136695975 fails the German check "
	    "digit (ISO 7064 MOD 11,10)" },			/* [ref] */
	{ "DE 125014855", "fails the German check digit" },	/* [eu] */
	{ "DE12", "vat_number: 'DE12' must be DE + 9 digits" },
	{ "DE 246X595 415", "must be DE + 9 digits" },		/* [eu] */
	{ "DE 011125440", "not starting with 0" },		/* [eu] */

	{ "DK 13585627", "fails the Danish check digit" },	/* [doc] */
	{ "DK 2565 2202", "fails the Danish check digit" },	/* [eu] */
	{ "DK 1358562", "must be DK + 8 digits" },
	{ "DK 03585628", "must be DK + 8 digits, not starting with 0" },
	{ "DK 1358562A", "must be DK + 8 digits" },

	{ "EE 100 941 558", "fails the Estonian check digit" },	/* [eu] */
	{ "EE101256754", "fails the Estonian check digit" },	/* [eu] */
	{ "EE 10093155", "must be EE + 9 digits" },
	{ "EE10093155X", "must be EE + 9 digits" },

	{ "EL123456781", "fails the Greek check digit" },	/* [ref] */
	{ "EL 094013834", "fails the Greek check digit" },	/* [eu] */
	{ "GR 094013834", "EL094013834 fails the Greek" },
	{ "EL 0942592160", "must be EL + 9 digits" },
	{ "EL09425921A", "must be EL + 9 digits" },

	{ "ES 54362415K", "fails the Spanish check letter (DNI" },	/* [eu] */
	{ "ES-x-2322300w", "fails the Spanish check letter (NIE" },
	{ "ES K-2814015-F", "fails the Spanish check letter (K/L/M" },
	{ "Es-a48951310", "fails the Spanish check character (CIF" },
	{ "ES B-583784312", "must be ES + 9 characters" },	/* [eu] */
	{ "ESB583A8431", "must be ES + 9 characters" },
	{ "ESI58378431", "Spanish numbers cannot start with 'I'" },

	{ "FI 20774741", "fails the Finnish check digit" },	/* [doc] */
	{ "FI 2077474", "must be FI + 8 digits" },
	{ "FI 2077474A", "must be FI + 8 digits" },

	{ "FR40303265046", "fails the French SIREN check digit" },	/* [ref] */
	{ "FR 21 326 565 603", "fails the French check key" },	/* [eu] */
	{ "FR K 7399859312", "fails the French SIREN check digit" },
	{ "FR L 7399859412", "fails the French alphanumeric check key" },
	{ "FR000076090", "must be FR + a 2-character key" },	/* [eu] */
	{ "FRIO334175221", "letters except I and O" },	/* [doc fr.tva] */
	{ "FR4O123456782", "must be FR + a 2-character key" },

	{ "HR 33392005962", "fails the Croatian check digit (ISO 7064" },
	{ "HR9363442948", "must be HR + 11 digits" },		/* [jsvat] */
	{ "HR3339200596A", "must be HR + 11 digits" },

	{ "HU-12892313", "fails the Hungarian check digit" },	/* [doc] */
	{ "HU 1289231", "must be HU + 8 digits" },
	{ "HU 1289231X", "must be HU + 8 digits" },

	{ "IE 4731823H", "fails the Irish check letter" },	/* [eu] */
	{ "IE8D79729I", "fails the Irish check letter" },	/* [eu] */
	{ "IE123456", "must be IE + 7 digits and 1 or 2 letters" },
	{ "IE 4550C59S", "must be IE + 7 digits" },		/* [eu] */
	{ "IE 069385V8", "must be IE + 7 digits" },		/* [eu] */
	{ "IE6433435X", "must be IE + 7 digits" },
	/* deliberate difference: stdnum accepts a 9th letter after the old
	 * form */
	{ "IE8D79739IA", "must be IE + 7 digits" },

	{ "IT 00743110158", "fails the Italian check digit (Luhn)" },
	{ "IT 00687129980", "office code; allowed: 001-100, 120, 121, 888, "
	    "999, not 998" },					/* [eu] */
	{ "IT00000001234", "first 7 digits of an Italian number" },
	{ "IT 0074311015", "must be IT + 11 digits" },
	{ "IT0074311015A", "must be IT + 11 digits" },

	{ "LT 100001919018", "fails the Lithuanian check digit" },	/* [doc] */
	{ "LT 119511516", "fails the Lithuanian check digit" },
	{ "LT 100001354", "8th digit of a 9-digit Lithuanian" },	/* [eu] */
	{ "LT 100001509922", "11th digit of a 12-digit" },	/* [eu] */
	{ "LT 1000019190", "must be LT + 9 or 12 digits" },
	{ "LT11951151A", "must be LT + 9 or 12 digits" },

	{ "LU 150 274 43", "fails the Luxembourg check digits" },	/* [doc] */
	{ "LU 1502744", "must be LU + 8 digits" },
	{ "LU1502744A", "must be LU + 8 digits" },

	{ "LV 40003189715", "fails the Latvian check digit (legal" },
	{ "LV 161175-19996", "fails the Latvian check digit (personal" },
	{ "LV 161375-19997", "161375 is not a valid date" },	/* [doc] */
	{ "LV 4000352160", "must be LV + 11 digits" },
	{ "LV4000352160A", "must be LV + 11 digits" },

	{ "MT 1167 9113", "fails the Maltese check digits" },
	{ "MT 1167911", "must be MT + 8 digits" },
	{ "MT 0167 9112", "must be MT + 8 digits, not starting with 0" },
	{ "MT116791A2", "must be MT + 8 digits" },

	{ "NL004495446B01", "fails the Dutch check digit (mod 11, nor" },
	{ "NL006866304B021", "must be NL + 9 digits + B + 2 digits" },	/* [eu] */
	{ "NL 001241643801", "must be NL + 9 digits + B" },	/* [eu] */
	{ "NL 009122746B00", "(not 00)" },			/* [eu] */
	{ "NL B06753742B01", "must be NL + 9 digits + B" },	/* [eu] */
	{ "NL000000000B01", "must be NL + 9 digits + B" },

	{ "PL 8567346216", "fails the Polish check digit" },
	{ "PL 856734621", "must be PL + 10 digits" },
	{ "PL 856734621A", "must be PL + 10 digits" },

	{ "PT 501 964 844", "fails the Portuguese check digit" },
	{ "PT 50196484", "must be PT + 9 digits" },
	{ "PT 001 964 843", "must be PT + 9 digits, not starting with 0" },

	{ "RO 18547291", "fails the Romanian check digit (CUI" },
	{ "RO 1630615123458", "fails the Romanian check digit (CNP" },
	{ "RO 1631315123457", "631315 is not a valid date" },
	{ "RO 0630615123457", "a Romanian CNP cannot start with 0" },
	{ "RO 1", "must be RO + 2 to 10 digits" },
	{ "RO 12345678901", "must be RO + 2 to 10 digits" },
	{ "RO 01854729", "not starting with 0" },

	{ "SE 556383740801", "fails the Swedish check digit (Luhn" },
	{ "SE 55643359201", "must be SE + 12 digits ending in 01" },	/* [eu] */
	{ "SE 5567003255201", "must be SE + 12 digits" },	/* [eu] */
	{ "SE 556383740902", "ending in 01" },

	{ "SI 50223055", "fails the Slovenian check digit" },
	{ "SI 5022305", "must be SI + 8 digits" },
	{ "SI 05022305", "must be SI + 8 digits, not starting with 0" },

	{ "SK 1078449164", "fails the Slovak check (number divisible by 11)" },
	{ "SK 302 274 96 19", "fails the Slovak check" },	/* [eu] */
	{ "SK 202274961", "must be SK + 10 digits" },
	{ "SK A078449064", "must be SK + 10 digits" },		/* [eu] */
	{ "SK 012 274 96 19", "cannot start with 0" },		/* [eu] */
	{ "SK 2010 237 945", "third digit must be 2, 3, 4, 7, 8 or 9" },

	{ "XI 802311781", "fails the Northern Ireland check digits "
	    "(weighted mod 97" },				/* [gb] */
	{ "XI001234567", "fails the Northern Ireland check digits" },
	{ "XIHA888856700", "fails the Northern Ireland check digits "
	    "(number mod 97)" },				/* [gb] */
	{ "XI9807806842", "must be XI + 9 or 12 digits" },	/* [gb] */
	{ "XI9807806B4", "must be XI + 9 or 12 digits" },	/* [gb] */
	{ "XIGD600", "not GD600" },				/* [gb] */
	{ "XIHA201", "health authorities HA500-HA999" },	/* [gb] */
	{ "XIGD88881000", "must be XI + 9 or 12 digits" },

	/* constructed edge cases, see the end of valids[] */
	{ "XI001234589", "fails the Northern Ireland check digits" },
	{ "RO 1850615400020", "fails the Romanian check digit (CNP" },
	{ "CZ 855101/0040", "fails the Czech check digit (birth number" },
	{ "CZ 540101/123", "only for births before 1954" },
	{ "SI 10000070", "fails the Slovenian check digit" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char *const prefixes[] = {
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI",
	"FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL",
	"PT", "RO", "SE", "SI", "SK", "XI",
};

/* Every known-valid number passes and normalises as expected. */
static void
test_valid(void)
{
	char norm[VATID_MAX + 1];
	struct gen_err err;
	size_t i;

	for (i = 0; i < NELEM(valids); i++) {
		gen_err_clear(&err);
		if (vatid_check(valids[i].in, norm, sizeof(norm), &err) !=
		    GEN_OK)
			fprintf(stderr, "refused %s: %s\n", valids[i].in,
			    err.msg);
		CHECK_INT(err.rc, GEN_OK);
		CHECK_STR(norm, valids[i].norm);
		/* the canonical form checks too, and stays the same */
		CHECK_INT(vatid_check(norm, NULL, 0, &err), GEN_OK);
	}
}

/* Every known-invalid number is refused with the expected message. */
static void
test_invalid(void)
{
	char norm[VATID_MAX + 1];
	struct gen_err err;
	size_t i;

	for (i = 0; i < NELEM(invalids); i++) {
		gen_err_clear(&err);
		CHECK_INT(vatid_check(invalids[i].in, norm, sizeof(norm),
		    &err), GEN_EINPUT);
		CHECK_INT(err.rc, GEN_EINPUT);
		CHECK_MSG(err, "vat_number: ");
		CHECK_MSG(err, invalids[i].frag);
		/* the refused number is still reported normalised */
		CHECK(norm[0] != '\0' && strchr(norm, ' ') == NULL);
	}
}

/*
 * The tables above hold at least 3 valid numbers and 3 invalid ones per
 * prefix, so a country cannot silently lose its coverage.
 */
static void
test_coverage(void)
{
	char norm[VATID_MAX + 1];
	size_t i, j;
	int nv, ni;

	for (i = 0; i < NELEM(prefixes); i++) {
		nv = ni = 0;
		for (j = 0; j < NELEM(valids); j++)
			if (strncmp(valids[j].norm, prefixes[i], 2) == 0)
				nv++;
		for (j = 0; j < NELEM(invalids); j++) {
			if (vatid_normalize(invalids[j].in, norm, sizeof(norm),
			    NULL) == GEN_OK &&
			    strncmp(norm, prefixes[i], 2) == 0)
				ni++;
		}
		if (nv < 3 || ni < 3)
			fprintf(stderr, "%s: %d valid, %d invalid vectors\n",
			    prefixes[i], nv, ni);
		CHECK(nv >= 3);
		CHECK(ni >= 3);
	}
}

static void
test_normalize(void)
{
	char out[VATID_MAX + 1], small[8];
	char longin[VATID_MAX + 2];
	struct gen_err err;

	gen_err_clear(&err);
	CHECK_INT(vatid_normalize(" de 136.695-976/, ", out, sizeof(out),
	    &err), GEN_OK);
	CHECK_STR(out, "DE136695976");
	CHECK_INT(vatid_normalize("gr 094259216", out, sizeof(out), &err),
	    GEN_OK);
	CHECK_STR(out, "EL094259216");
	/* GR only as prefix: nothing else is rewritten, no check digits */
	CHECK_INT(vatid_normalize("ESGR", out, sizeof(out), &err), GEN_OK);
	CHECK_STR(out, "ESGR");
	CHECK_INT(vatid_normalize("us 12", out, sizeof(out), &err), GEN_OK);
	CHECK_STR(out, "US12");
	/* normalisation does not pad; vatid_check does */
	CHECK_INT(vatid_normalize("BE 444.503.092", out, sizeof(out), &err),
	    GEN_OK);
	CHECK_STR(out, "BE444503092");

	/* characters */
	CHECK_INT(vatid_normalize("DE 136695976!", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "vat_number: character '!' at position 13 is not "
	    "allowed; allowed: letters A-Z, digits 0-9 and the separators");
	CHECK_STR(out, "");
	CHECK_INT(vatid_normalize("DE\t136695976", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "byte 0x09 at position 3");
	CHECK_INT(vatid_normalize("DE13669597\xc3\xa9", out, sizeof(out),
	    &err), GEN_EINPUT);
	CHECK_MSG(err, "byte 0xC3 at position 11");
	CHECK_INT(vatid_normalize("DE: 136695976", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "character ':' at position 3");
	CHECK_INT(vatid_normalize("BE (0)403019261", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "character '('");

	/* empty and missing */
	CHECK_INT(vatid_normalize("", out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "vat_number: empty; allowed: a 2-letter prefix (AT BE");
	CHECK_INT(vatid_normalize(" .-/, ", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "vat_number: empty");
	CHECK_INT(vatid_normalize(NULL, out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "vat_number: missing");

	/* length: 64 bytes pass, 65 do not, even when mostly separators */
	memset(longin, ' ', sizeof(longin));
	memcpy(longin, "DE136695976", 11);
	longin[VATID_MAX] = '\0';
	CHECK_INT(vatid_normalize(longin, out, sizeof(out), &err), GEN_OK);
	CHECK_STR(out, "DE136695976");
	CHECK_INT(vatid_check(longin, out, sizeof(out), &err), GEN_OK);
	longin[VATID_MAX] = ' ';
	longin[VATID_MAX + 1] = '\0';
	CHECK_INT(vatid_normalize(longin, out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "vat_number: too long; allowed: at most 64 characters");
	CHECK_INT(vatid_check(longin, out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "at most 64 characters");
	CHECK_STR(out, "");
	/* 64 letters and digits normalise to 64 characters */
	memset(longin, '7', VATID_MAX);
	longin[0] = 'D';
	longin[1] = 'E';
	longin[VATID_MAX] = '\0';
	CHECK_INT(vatid_normalize(longin, out, sizeof(out), &err), GEN_OK);
	CHECK_INT(strlen(out), VATID_MAX);
	CHECK_INT(vatid_check(longin, out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "must be DE + 9 digits");

	/* the caller's buffer */
	CHECK_INT(vatid_normalize("DE136695976", small, sizeof(small), &err),
	    GEN_EINTERNAL);
	CHECK_MSG(err, "need 65");
	CHECK_INT(vatid_check("DE136695976", small, sizeof(small), &err),
	    GEN_EINTERNAL);
	/* err may be NULL */
	CHECK_INT(vatid_normalize("DE!", out, sizeof(out), NULL), GEN_EINPUT);
	CHECK_INT(vatid_check("DE136695975", NULL, 0, NULL), GEN_EINPUT);
	CHECK_INT(vatid_check("DE136695976", NULL, 0, NULL), GEN_OK);
}

static void
test_prefix(void)
{
	char out[VATID_MAX + 1];
	struct gen_err err;

	gen_err_clear(&err);
	CHECK_INT(vatid_check("US123456789", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "vat_number: prefix 'US' is not an EU VAT prefix; "
	    "allowed: AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU "
	    "LV MT NL PL PT RO SE SI SK XI");
	CHECK_STR(out, "US123456789");
	CHECK_INT(vatid_check("QQ 124567", out, sizeof(out), &err),
	    GEN_EINPUT);					/* [eu] */
	CHECK_MSG(err, "prefix 'QQ' is not an EU VAT prefix");
	CHECK_INT(vatid_check("GB980780684", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "prefix 'GB' is not an EU VAT prefix");
	CHECK_MSG(err, "use XI");
	CHECK_INT(vatid_check("CHE-116.281.710", out, sizeof(out), &err),
	    GEN_EINPUT);					/* [ref] */
	CHECK_MSG(err, "prefix 'CH' is not an EU VAT prefix");
	CHECK_INT(vatid_check("136695976", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "vat_number: '136695976' must start with a 2-letter "
	    "country prefix; allowed: AT BE");
	CHECK_INT(vatid_check("D", out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "must start with a 2-letter country prefix");
	CHECK_INT(vatid_check("DE", out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "'DE' must be DE + 9 digits");
	CHECK_INT(vatid_check("EL", out, sizeof(out), &err), GEN_EINPUT);
	CHECK_MSG(err, "'EL' must be EL + 9 digits");
	/* the prefix is not repeated inside the number */
	CHECK_INT(vatid_check("DEDE136695976", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_INT(vatid_check("XIGB980780684", out, sizeof(out), &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "must be XI + 9 or 12 digits");
}

static void
test_country(void)
{
	size_t i;

	CHECK_STR(vatid_country("EL094259216"), "GR");
	CHECK_STR(vatid_country("XI980780684"), "GB");
	CHECK_STR(vatid_country("DE136695976"), "DE");
	CHECK_STR(vatid_country("LT100018548216"), "LT");
	CHECK_STR(vatid_country("GR094259216"), NULL);
	CHECK_STR(vatid_country("GB980780684"), NULL);
	CHECK_STR(vatid_country("de136695976"), NULL);
	CHECK_STR(vatid_country("D"), NULL);
	CHECK_STR(vatid_country(""), NULL);
	CHECK_STR(vatid_country(NULL), NULL);

	CHECK_STR(vatid_prefix_for_country("GR"), "EL");
	CHECK_STR(vatid_prefix_for_country("DE"), "DE");
	CHECK_STR(vatid_prefix_for_country("LT"), "LT");
	CHECK_STR(vatid_prefix_for_country("GB"), NULL);
	CHECK_STR(vatid_prefix_for_country("XI"), NULL);
	CHECK_STR(vatid_prefix_for_country("EL"), NULL);
	CHECK_STR(vatid_prefix_for_country("US"), NULL);
	CHECK_STR(vatid_prefix_for_country("gr"), NULL);
	CHECK_STR(vatid_prefix_for_country("GRC"), NULL);
	CHECK_STR(vatid_prefix_for_country(NULL), NULL);

	/* the two mappings agree for the 27 member states */
	for (i = 0; i < NELEM(prefixes); i++) {
		const char *iso = vatid_country(prefixes[i]);

		CHECK(iso != NULL);
		if (iso == NULL)
			continue;
		if (strcmp(prefixes[i], "XI") == 0)
			CHECK_STR(vatid_prefix_for_country(iso), NULL);
		else
			CHECK_STR(vatid_prefix_for_country(iso), prefixes[i]);
	}
}

/*
 * Driver mode for vatid-oracle.sh: one number per line on stdin, "1" or
 * "0" per line on stdout.  Over-long lines are consumed and answered "0"
 * (vatid_check refuses them anyway).
 */
static int
check_stdin(void)
{
	char line[512];
	size_t n;
	int c;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		n = strlen(line);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		else if (!feof(stdin)) {
			while ((c = getchar()) != EOF && c != '\n')
				continue;
			puts("0");
			continue;
		}
		puts(vatid_check(line, NULL, 0, NULL) == GEN_OK ? "1" : "0");
	}
	return ferror(stdin) || fflush(stdout) != 0 ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "--check-stdin") == 0)
		return check_stdin();
	if (argc != 1) {
		fprintf(stderr, "usage: test-vatid [--check-stdin]\n");
		return 2;
	}
	test_valid();
	test_invalid();
	test_coverage();
	test_normalize();
	test_prefix();
	test_country();
	return test_report();
}
