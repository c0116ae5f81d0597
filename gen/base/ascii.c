/*
 * ascii.c - ASCII character classes and hex digit values (see ascii.h).
 * Must not depend on the locale or keep state.
 */
#include "ascii.h"

int
ascii_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int
ascii_is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

int
ascii_is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

int
ascii_is_alpha(int c)
{
	return ascii_is_upper(c) || ascii_is_lower(c);
}

int
ascii_hex_value(int c)
{
	if (ascii_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
