/*
 * test-epcqr.c - unit tests of gen/pdf/epcqr.c: the EPC069-12 payload line by
 * line, amount formats and limits, optional elements and the rule that
 * nothing follows the last populated one, character (not byte) counting
 * with Lithuanian UTF-8 text, and every refusal with its message.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "epcqr.h"
#include "err.h"
#include "testlib.h"

/* The SWIFT IBAN registry's example for Lithuania. */
#define LT_IBAN	"LT121000011101001000"

/* Number of lines of a payload (LF-separated, no trailing LF). */
static int
nlines(const char *s)
{
	int n = 1;

	for (; *s != '\0'; s++)
		if (*s == '\n')
			n++;
	return n;
}

/* Copy line i (0-based) of s into out; "" when there is no such line. */
static const char *
line_of(const char *s, int i, char *out, size_t sz)
{
	const char *end;
	size_t n;

	for (; i > 0 && s != NULL; i--)
		if ((s = strchr(s, '\n')) != NULL)
			s++;
	if (s == NULL) {
		out[0] = '\0';
		return out;
	}
	end = strchr(s, '\n');
	n = end != NULL ? (size_t)(end - s) : strlen(s);
	if (n >= sz)
		n = sz - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* A valid set of fields to start each test from. */
static struct epcqr_fields
base(void)
{
	struct epcqr_fields f = {0};

	f.name = "Example UAB";
	f.iban = LT_IBAN;
	f.amount_cents = 1230;
	f.reference = "RF51INV2025000123";
	return f;
}

/* Expect a refusal with a message fragment and an empty output. */
static void
refused(const struct epcqr_fields *f, const char *fragment)
{
	struct buf out = {0};
	struct gen_err err = {0};

	buf_puts(&out, "old");
	CHECK_INT(epcqr_payload(f, &out, &err), GEN_EINPUT);
	CHECK_INT(err.rc, GEN_EINPUT);
	CHECK_MSG(err, fragment);
	CHECK(strncmp(err.msg, "epcqr: ", 7) == 0);
	CHECK_INT(out.len, 0);
	CHECK_STR(out.data, "");
	buf_free(&out);
}

/* Build the payload of f; returns the line count, 0 on failure. */
static int
build(const struct epcqr_fields *f, struct buf *out)
{
	struct gen_err err = {0};
	enum gen_rc rc;

	rc = epcqr_payload(f, out, &err);
	CHECK_INT(rc, GEN_OK);
	if (rc != GEN_OK) {
		fprintf(stderr, "  message: %s\n", err.msg);
		return 0;
	}
	CHECK(out->len == strlen(out->data));
	CHECK(out->len <= EPCQR_MAX_BYTES);
	CHECK(out->len > 0 && out->data[out->len - 1] != '\n');
	return nlines(out->data);
}

static void
test_reference_example(void)
{
	struct epcqr_fields f = base();
	struct buf out = {0};
	char l[256];

	/* REFERENCE.md 5.1, with charset 1 and our two-decimal amount. */
	CHECK_INT(build(&f, &out), 10);
	CHECK_STR(out.data, "BCD\n002\n1\nSCT\n\nExample UAB\n"
	    "LT121000011101001000\nEUR12.30\n\nRF51INV2025000123");
	CHECK_STR(line_of(out.data, 0, l, sizeof(l)), "BCD");
	CHECK_STR(line_of(out.data, 1, l, sizeof(l)), "002");
	CHECK_STR(line_of(out.data, 2, l, sizeof(l)), "1");
	CHECK_STR(line_of(out.data, 3, l, sizeof(l)), "SCT");
	CHECK_STR(line_of(out.data, 4, l, sizeof(l)), "");
	CHECK_STR(line_of(out.data, 5, l, sizeof(l)), "Example UAB");
	CHECK_STR(line_of(out.data, 6, l, sizeof(l)), LT_IBAN);
	CHECK_STR(line_of(out.data, 7, l, sizeof(l)), "EUR12.30");
	CHECK_STR(line_of(out.data, 8, l, sizeof(l)), "");
	CHECK_STR(line_of(out.data, 9, l, sizeof(l)), "RF51INV2025000123");
	CHECK_INT(out.len, 75);

	/* The output buffer is replaced, not appended to. */
	buf_reset(&out);
	buf_puts(&out, "previous content\n");
	CHECK_INT(build(&f, &out), 10);
	CHECK(strncmp(out.data, "BCD\n", 4) == 0);
	buf_free(&out);
}

static void
test_amounts(void)
{
	static const struct {
		int64_t cents;
		const char *line;
	} ok[] = {
		{ 100, "EUR1.00" },
		{ 1230, "EUR12.30" },
		{ 1, "EUR0.01" },
		{ 10, "EUR0.10" },
		{ 99, "EUR0.99" },
		{ 100000, "EUR1000.00" },
		{ 99999999999LL, "EUR999999999.99" },
	};
	struct epcqr_fields f = base();
	struct buf out = {0};
	char l[64];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		f.amount_cents = ok[i].cents;
		CHECK_INT(build(&f, &out), 10);
		CHECK_STR(line_of(out.data, 7, l, sizeof(l)), ok[i].line);
	}
	/* At most 12 characters after "EUR". */
	CHECK_INT(strlen(line_of(out.data, 7, l, sizeof(l))) - 3, 12);
	buf_free(&out);

	f.amount_cents = 0;
	refused(&f, "epcqr: amount (line 8): EUR 0.00 is out of range; "
	    "allowed: 0.01..999999999.99 (EPC069-12)");
	f.amount_cents = 100000000000LL;
	refused(&f, "amount (line 8): EUR 1000000000.00 is out of range");
	f.amount_cents = -5;
	refused(&f, "EUR -0.05 is out of range");
	f.amount_cents = INT64_MIN;
	refused(&f, "EUR -92233720368547758.08 is out of range");
	f.amount_cents = INT64_MAX;
	refused(&f, "is out of range");
}

static void
test_optional_elements(void)
{
	struct epcqr_fields f = base();
	struct buf out = {0};
	char l[256];

	/* Nothing after the amount: 8 lines, the last is the amount. */
	f.reference = NULL;
	CHECK_INT(build(&f, &out), 8);
	CHECK_STR(out.data, "BCD\n002\n1\nSCT\n\nExample UAB\n"
	    "LT121000011101001000\nEUR12.30");
	/* "" means absent just like NULL. */
	f.reference = "";
	f.text = "";
	f.purpose = "";
	f.info = "";
	f.bic = "";
	CHECK_INT(build(&f, &out), 8);

	/* Purpose only: line 9 is the last. */
	f.purpose = "GDDS";
	CHECK_INT(build(&f, &out), 9);
	CHECK_STR(line_of(out.data, 8, l, sizeof(l)), "GDDS");

	/* Text only: line 10 empty, line 11 the text. */
	f.purpose = NULL;
	f.text = "Invoice A-1001";
	CHECK_INT(build(&f, &out), 11);
	CHECK_STR(line_of(out.data, 9, l, sizeof(l)), "");
	CHECK_STR(line_of(out.data, 10, l, sizeof(l)), "Invoice A-1001");

	/* Information only: lines 9 to 11 empty. */
	f.text = NULL;
	f.info = "Thank you";
	CHECK_INT(build(&f, &out), 12);
	CHECK_STR(out.data, "BCD\n002\n1\nSCT\n\nExample UAB\n"
	    "LT121000011101001000\nEUR12.30\n\n\n\nThank you");

	/* Everything, with a BIC and a reference written with spaces. */
	f.bic = "HABALT22";
	f.purpose = "SUPP";
	f.reference = "rf18 5390 0754 7034";
	f.iban = "lt12 1000 0111 0100 1000";
	CHECK_INT(build(&f, &out), 12);
	CHECK_STR(out.data, "BCD\n002\n1\nSCT\nHABALT22\nExample UAB\n"
	    "LT121000011101001000\nEUR12.30\nSUPP\nRF18539007547034\n\n"
	    "Thank you");
	f.bic = "DEUTDEFF500";
	CHECK_INT(build(&f, &out), 12);
	CHECK_STR(line_of(out.data, 4, l, sizeof(l)), "DEUTDEFF500");
	buf_free(&out);
}

static void
test_utf8_names(void)
{
	/* "UAB „Šviesos ryšys“": Lithuanian letters and quotes. */
	static const char lt_name[] = "UAB \xe2\x80\x9e\xc5\xa0viesos "
	    "ry\xc5\xa1ys\xe2\x80\x9c";
	/* "ąčęėįšųūž" */
	static const char lt_letters[] = "\xc4\x85\xc4\x8d\xc4\x99\xc4\x97"
	    "\xc4\xaf\xc5\xa1\xc5\xb3\xc5\xab\xc5\xbe";
	struct epcqr_fields f = base();
	struct buf out = {0};
	char name[512], l[512];
	int i;

	f.name = lt_name;
	f.text = "Mok\xc4\x97jimas u\xc5\xbe s\xc4\x85skait\xc4\x85 A-1001";
	f.reference = NULL;
	CHECK_INT(build(&f, &out), 11);
	CHECK_STR(line_of(out.data, 5, l, sizeof(l)), lt_name);
	CHECK_STR(line_of(out.data, 10, l, sizeof(l)), f.text);

	/* 70 two-byte letters (140 bytes) are 70 characters: accepted. */
	for (i = 0; i < 70; i++)
		memcpy(name + 2 * i, lt_letters + 2 * (i % 9), 2);
	name[140] = '\0';
	CHECK_INT(strlen(name), 140);
	f.name = name;
	f.text = NULL;
	CHECK_INT(build(&f, &out), 8);
	CHECK_STR(line_of(out.data, 5, l, sizeof(l)), name);
	/* 71 are too many, counted in characters. */
	memcpy(name + 140, lt_letters, 2);	/* one more "ą" */
	name[142] = '\0';
	refused(&f, "epcqr: beneficiary name (line 6): 71 characters; "
	    "allowed: at most 70 (EPC069-12)");

	/* A 4-byte character (U+1F600) counts as one. */
	memset(name, 'a', 69);
	memcpy(name + 69, "\xf0\x9f\x98\x80", 5);
	CHECK_INT(build(&f, &out), 8);
	buf_free(&out);
}

static void
test_text_refusals(void)
{
	struct epcqr_fields f = base();
	char s[256];

	/* Control characters and line separators. */
	f.name = "Example\nUAB";
	refused(&f, "epcqr: beneficiary name (line 6): character 8 is a "
	    "control character (U+000A); allowed: printable text on one line");
	f.name = "Example\tUAB";
	refused(&f, "(U+0009)");
	f.name = "Example\rUAB";
	refused(&f, "(U+000D)");
	f.name = "Example\x7fUAB";
	refused(&f, "(U+007F)");
	f.name = "Example\xc2\x85UAB";
	refused(&f, "character 8 is a control character (U+0085)");
	f.name = "Example\xe2\x80\xa8UAB";
	refused(&f, "(U+2028)");

	/* Not UTF-8. */
	f.name = "Example \xff";
	refused(&f, "beneficiary name (line 6): byte 9 (0xFF) is not valid "
	    "UTF-8");
	f.name = "\xc0\xaf";		/* overlong "/" */
	refused(&f, "byte 1 (0xC0) is not valid UTF-8");
	f.name = "a\xe0\x80\xaf";	/* overlong, 3 bytes */
	refused(&f, "byte 2 (0xE0) is not valid UTF-8");
	f.name = "\xed\xa0\x80";	/* surrogate U+D800 */
	refused(&f, "byte 1 (0xED) is not valid UTF-8");
	f.name = "\xf4\x90\x80\x80";	/* U+110000 */
	refused(&f, "byte 1 (0xF4) is not valid UTF-8");
	f.name = "UAB \xc4";		/* truncated at the end */
	refused(&f, "byte 5 (0xC4) is not valid UTF-8");
	f.name = "\x85";		/* lone continuation byte */
	refused(&f, "byte 1 (0x85) is not valid UTF-8");

	/* Missing or blank name. */
	f.name = NULL;
	refused(&f, "epcqr: beneficiary name (line 6): missing; allowed: "
	    "1..70 characters");
	f.name = "";
	refused(&f, "beneficiary name (line 6): missing");
	f.name = "   ";
	refused(&f, "beneficiary name (line 6): only spaces");

	/* Remittance text: 140 characters fit, 141 do not. */
	f = base();
	f.reference = NULL;
	memset(s, 'x', 141);
	s[141] = '\0';
	f.text = s;
	refused(&f, "epcqr: remittance text (line 11): 141 characters; "
	    "allowed: at most 140 (EPC069-12)");
	s[140] = '\0';
	{
		struct buf out = {0};

		CHECK_INT(build(&f, &out), 11);
		buf_free(&out);
	}
	f.text = "Invoice\nA-1001";
	refused(&f, "remittance text (line 11): character 8 is a control");

	/* Information: 70 characters fit, 71 do not. */
	f = base();
	memset(s, 'y', 71);
	s[71] = '\0';
	f.info = s;
	refused(&f, "epcqr: information (line 12): 71 characters; allowed: "
	    "at most 70 (EPC069-12)");
	s[70] = '\0';
	{
		struct buf out = {0};

		CHECK_INT(build(&f, &out), 12);
		buf_free(&out);
	}
	f.info = "a\x01";
	refused(&f, "information (line 12): character 2 is a control "
	    "character (U+0001)");
}

static void
test_other_refusals(void)
{
	struct epcqr_fields f = base();
	struct buf out = {0};

	/* Both kinds of remittance information. */
	f.text = "Invoice A-1001";
	refused(&f, "epcqr: remittance: both a structured reference (line 10) "
	    "and a text (line 11); allowed: one of them (EPC069-12)");

	/* A reference that is not ISO 11649. */
	f = base();
	f.reference = "RF52INV2025000123";
	refused(&f, "epcqr: remittance reference (line 10): rf reference: "
	    "RF52 INV2 0250 0012 3 fails the check digits");
	f.reference = "A-1001";
	refused(&f, "remittance reference (line 10): rf reference: "
	    "character 2");
	f.reference = "INV2025000123";
	refused(&f, "does not start with RF");

	/* The account. */
	f = base();
	f.iban = NULL;
	refused(&f, "epcqr: beneficiary account (line 7): missing; allowed: "
	    "an IBAN");
	f.iban = "LT12 1000 0111 0100 1001";
	refused(&f, "epcqr: beneficiary account (line 7): iban: LT12 1000 0111 "
	    "0100 1001 fails the check digits (ISO 13616 MOD 97-10)");
	f.iban = "US12100001110100100012";
	refused(&f, "iban: country code US does not issue IBANs");

	/* Outside the EEA the BIC is required. */
	f.iban = "GB29NWBK60161331926819";
	refused(&f, "epcqr: bic (line 5): missing; required because the "
	    "IBAN's country GB is outside the EEA");
	f.iban = "CH9300762011623852957";
	refused(&f, "country CH is outside the EEA");
	f.bic = "UBSWCHZH80A";
	CHECK_INT(build(&f, &out), 10);
	f.iban = "NO9386011117947";	/* EEA, not EU */
	f.bic = NULL;
	CHECK_INT(build(&f, &out), 10);
	buf_free(&out);

	/* BIC shape. */
	f = base();
	f.bic = "HABALT2";
	refused(&f, "epcqr: bic (line 5): 7 characters; allowed: 8 or 11 "
	    "(ISO 9362)");
	f.bic = "HABALT22X";
	refused(&f, "bic (line 5): 9 characters");
	f.bic = "habalt22";
	refused(&f, "bic (line 5): character 1 is not allowed");
	f.bic = "HABA1T22";
	refused(&f, "bic (line 5): character 5 is not allowed");
	f.bic = "HABA LT22";
	refused(&f, "bic (line 5): 9 characters");

	/* Purpose code. */
	f = base();
	f.purpose = "gdds";
	refused(&f, "epcqr: purpose (line 9): not a purpose code; allowed: "
	    "4 capital letters");
	f.purpose = "GDD";
	refused(&f, "purpose (line 9)");
	f.purpose = "GDDSS";
	refused(&f, "purpose (line 9)");
	f.purpose = "GD1S";
	refused(&f, "purpose (line 9)");
}

/* Build a text of two-byte letters ("ž") followed by one-byte ones. */
static void
mixed_text(char *s, int two_byte, int one_byte)
{
	size_t o = 0;
	int i;

	for (i = 0; i < two_byte; i++, o += 2)
		memcpy(s + o, "\xc5\xbe", 2);
	for (i = 0; i < one_byte; i++)
		s[o++] = 'z';
	s[o] = '\0';
}

static void
test_total_limit(void)
{
	struct epcqr_fields f = base();
	struct buf out = {0};
	char name[80], text[400];

	/*
	 * 15 bytes of header lines, name + LF, IBAN + LF (21), amount + LF
	 * (9), empty purpose and reference lines (2), text: 48 + name +
	 * text bytes.  A 70-byte name leaves 213 bytes for the text.
	 */
	memset(name, 'N', 70);
	name[70] = '\0';
	f.name = name;
	f.reference = NULL;
	f.text = text;
	mixed_text(text, 73, 67);		/* 140 chars, 213 bytes */
	CHECK_INT(build(&f, &out), 11);
	CHECK_INT(out.len, EPCQR_MAX_BYTES);
	buf_free(&out);

	mixed_text(text, 74, 66);		/* 140 chars, 214 bytes */
	refused(&f, "epcqr: payload: 332 bytes; allowed: at most 331 "
	    "(EPC069-12)");

	/* Far over: every text element full of two-byte letters. */
	mixed_text(name, 35, 0);
	mixed_text(text, 140, 0);
	f.name = name;
	f.text = text;
	f.info = "Aa";
	refused(&f, "bytes; allowed: at most 331");
}

int
main(void)
{
	test_reference_example();
	test_amounts();
	test_optional_elements();
	test_utf8_names();
	test_text_refusals();
	test_other_refusals();
	test_total_limit();
	return test_report();
}
