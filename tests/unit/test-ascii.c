/*
 * test-ascii.c - the ASCII classes and hex values: every byte value,
 * signed and unsigned, against the class it must be in.
 */
#include "ascii.h"
#include "testlib.h"

int
main(void)
{
	int c, digits = 0, uppers = 0, lowers = 0, alphas = 0, hex = 0;

	for (c = -128; c < 256; c++) {
		digits += ascii_is_digit(c) != 0;
		uppers += ascii_is_upper(c) != 0;
		lowers += ascii_is_lower(c) != 0;
		alphas += ascii_is_alpha(c) != 0;
		hex += ascii_hex_value(c) >= 0;
	}
	CHECK_INT(digits, 10);
	CHECK_INT(uppers, 26);
	CHECK_INT(lowers, 26);
	CHECK_INT(alphas, 52);
	CHECK_INT(hex, 22);
	CHECK(ascii_is_digit('0') && ascii_is_digit('9'));
	CHECK(!ascii_is_digit('/') && !ascii_is_digit(':'));
	CHECK(ascii_is_upper('A') && ascii_is_upper('Z'));
	CHECK(!ascii_is_upper('@') && !ascii_is_upper('[') &&
	    !ascii_is_upper('a'));
	CHECK(ascii_is_lower('a') && ascii_is_lower('z'));
	CHECK(!ascii_is_lower('`') && !ascii_is_lower('{') &&
	    !ascii_is_lower('A'));
	CHECK(ascii_is_alpha('q') && ascii_is_alpha('Q') &&
	    !ascii_is_alpha('5'));
	/* A byte of UTF-8 ("Ą" is C4 84) is in no class, as char or not. */
	CHECK(!ascii_is_alpha((char)0xc4) && !ascii_is_alpha(0xc4));
	CHECK(!ascii_is_digit((char)0xb9) && !ascii_is_digit(0xb9));
	CHECK_INT(ascii_hex_value('0'), 0);
	CHECK_INT(ascii_hex_value('9'), 9);
	CHECK_INT(ascii_hex_value('a'), 10);
	CHECK_INT(ascii_hex_value('f'), 15);
	CHECK_INT(ascii_hex_value('A'), 10);
	CHECK_INT(ascii_hex_value('F'), 15);
	CHECK_INT(ascii_hex_value('g'), -1);
	CHECK_INT(ascii_hex_value('G'), -1);
	CHECK_INT(ascii_hex_value(' '), -1);
	CHECK_INT(ascii_hex_value((char)0xe6), -1);
	return test_report();
}
