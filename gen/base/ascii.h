/*
 * ascii.h - ASCII character classes and hex digit values, the same in
 * every locale (<ctype.h> follows setlocale() and wants unsigned char).
 * The parsers and checkers of invgen (JSON, templates, locale files,
 * IBANs, RF references, VAT numbers) read codes that are ASCII by
 * definition; a byte of a UTF-8 sequence is in no class.
 *
 * Each function takes a char or an unsigned char (as an int) and
 * returns non-zero when c is in its class.  Pure, no state.
 */
#ifndef INVGEN_ASCII_H
#define INVGEN_ASCII_H

int	ascii_is_digit(int c);		/* 0-9 */
int	ascii_is_upper(int c);		/* A-Z */
int	ascii_is_lower(int c);		/* a-z */
int	ascii_is_alpha(int c);		/* A-Z, a-z */

/* The value of hex digit c (0-9, a-f, A-F), or -1 for anything else. */
int	ascii_hex_value(int c);

#endif
