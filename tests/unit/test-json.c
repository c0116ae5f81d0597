/*
 * test-json.c - unit tests of gen/base/json.c: the strict parser (valid and
 * invalid documents with their messages and positions, every UTF-8 edge
 * case, escapes, duplicate keys, limits), the accessors, exact number
 * conversion, the canonical serialiser, the writer, and a deterministic
 * byte-mutation run that must never crash (run under ASan/UBSan).
 *
 * Test vectors: the UTF-8 cases follow the well-formed byte sequence table
 * of the Unicode Standard (ch. 3, table 3-7) and its "maximal subpart"
 * replacement practice (sec. 3.9); the JSON cases follow the grammar of
 * RFC 8259.  All documents were written for this file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "testlib.h"

#define MiB (1024 * 1024)

/* ---- helpers --------------------------------------------------------- */

/* Deep equality through the public API. */
static int
jeq(const struct json *a, const struct json *b)
{
	size_t i, la, lb;
	const char *sa, *sb;

	if (json_type(a) != json_type(b))
		return 0;
	switch (json_type(a)) {
	case JSON_NUMBER:
		return strcmp(json_number_text(a), json_number_text(b)) == 0;
	case JSON_STRING:
		sa = json_str(a, &la);
		sb = json_str(b, &lb);
		return la == lb && memcmp(sa, sb, la) == 0;
	case JSON_ARRAY:
		if (json_len(a) != json_len(b))
			return 0;
		for (i = 0; i < json_len(a); i++)
			if (!jeq(json_at(a, i), json_at(b, i)))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (json_len(a) != json_len(b))
			return 0;
		for (i = 0; i < json_len(a); i++)
			if (strcmp(json_key_at(a, i), json_key_at(b, i)) != 0 ||
			    !jeq(json_value_at(a, i), json_value_at(b, i)))
				return 0;
		return 1;
	default:
		return 1;
	}
}

/*
 * Parse, canonicalise, parse the canonical text again: the trees must be
 * equal and canonicalising again must give the same bytes.  Returns 1 if
 * all of that holds; *canon (if not NULL) receives the canonical text.
 */
static int
round_trip(const struct json *v, struct buf *canon)
{
	struct buf a = {0}, b = {0};
	struct json *v2 = NULL;
	struct gen_err err = {0};
	int ok = 0;

	json_write_canonical(v, &a);
	if (json_parse(a.data, a.len, SIZE_MAX, &v2, &err) != GEN_OK) {
		fprintf(stderr, "canonical text refused: %s\n", err.msg);
		goto out;
	}
	json_write_canonical(v2, &b);
	ok = jeq(v, v2) && a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
	if (canon != NULL)
		buf_append(canon, a.data, a.len);
out:
	json_free(v2);
	buf_free(&a);
	buf_free(&b);
	return ok;
}

/* xorshift64*: a deterministic PRNG; its state is the caller's. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* ---- valid documents ------------------------------------------------- */

struct valid {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *canon;	/* the expected canonical form */
};

static const struct valid valid_docs[] = {
	{ "null", 0, "null" },
	{ "true", 0, "true" },
	{ "false", 0, "false" },
	{ "0", 0, "0" },
	{ "-0", 0, "-0" },
	{ "1e5", 0, "1e5" },
	{ "-1.5E-3", 0, "-1.5E-3" },
	{ "1E+2", 0, "1E+2" },
	{ "0.0", 0, "0.0" },
	{ "123456789012345678901234567890", 0,
	    "123456789012345678901234567890" },
	{ " \t\r\n[ 1 , 2 ] \n", 0, "[1,2]" },
	{ "{}", 0, "{}" },
	{ "[]", 0, "[]" },
	{ "[[],{},[{}]]", 0, "[[],{},[{}]]" },
	{ "{ \"b\" : 1 , \"a\" : [ true , null ] }", 0,
	    "{\"b\":1,\"a\":[true,null]}" },
	{ "\"\"", 0, "\"\"" },
	{ "\"\\u00e9\\u00C9\"", 0, "\"\xC3\xA9\xC3\x89\"" },
	{ "\"\\/\"", 0, "\"/\"" },
	{ "\"\\b\\f\\n\\r\\t\\\"\\\\\"", 0, "\"\\b\\f\\n\\r\\t\\\"\\\\\"" },
	{ "\"\\u0001\\u001F\\u0020\"", 0, "\"\\u0001\\u001f \"" },
	{ "\"\\u007f\"", 0, "\"\x7f\"" },
	/* Surrogate pairs, either case of hex. */
	{ "\"\\ud83d\\ude00\"", 0, "\"\xF0\x9F\x98\x80\"" },
	{ "\"\\uD800\\uDC00\"", 0, "\"\xF0\x90\x80\x80\"" },
	{ "\"\\uDBFF\\uDFFF\"", 0, "\"\xF4\x8F\xBF\xBF\"" },
	/* Boundary code points written raw. */
	{ "\"\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
	    "\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"", 0,
	  "\"\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
	    "\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"" },
	/* U+2028 stays raw in canonical form (minimal escaping). */
	{ "\"\\u2028\xE2\x80\xA9\"", 0, "\"\xE2\x80\xA8\xE2\x80\xA9\"" },
	/* A BOM inside a string is just a character. */
	{ "\"\xEF\xBB\xBF\"", 0, "\"\xEF\xBB\xBF\"" },
	/* No Unicode normalisation: these keys differ. */
	{ "{\"\xC3\xA9\":1,\"e\\u0301\":2}", 0,
	    "{\"\xC3\xA9\":1,\"e\xCC\x81\":2}" },
	/* \u0000 inside a value. */
	{ "[\"a\\u0000b\"]", 0, "[\"a\\u0000b\"]" },
	/* Keys that differ only after their NUL-free prefix. */
	{ "{\"a\":1,\"ab\":2,\"b\":3}", 0, "{\"a\":1,\"ab\":2,\"b\":3}" },
};

static void
test_valid(void)
{
	struct gen_err err = {0};
	struct json *v;
	size_t i, len;

	for (i = 0; i < sizeof(valid_docs) / sizeof(valid_docs[0]); i++) {
		const struct valid *d = &valid_docs[i];
		struct buf canon = {0};

		len = d->len ? d->len : strlen(d->text);
		v = NULL;
		CHECK_INT(json_parse(d->text, len, MiB, &v, &err), GEN_OK);
		if (v == NULL) {
			fprintf(stderr, "  valid doc %zu: %s\n", i, err.msg);
			continue;
		}
		CHECK(round_trip(v, &canon));
		CHECK_STR(canon.data, d->canon);
		buf_free(&canon);
		json_free(v);
	}
}

/* ---- invalid documents ----------------------------------------------- */

struct invalid {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *frag;	/* part of the message */
	int line, col;		/* 0: no position in the message */
};

static const struct invalid invalid_docs[] = {
	{ "", 0, "input is empty", 1, 1 },
	{ "   ", 0, "unexpected end of input; expected a value", 1, 4 },
	{ "[", 0, "unexpected end of input; expected a value", 1, 2 },
	{ "[1", 0, "unexpected end of input; expected ',' or ']'", 1, 3 },
	{ "{\"a\":1", 0, "unexpected end of input; expected ',' or '}' "
	    "after an object member", 1, 7 },
	{ "{\"a\"", 0, "unexpected end of input; expected ':'", 1, 5 },
	/* Trailing commas, reported at the comma. */
	{ "[1,2,]", 0, "trailing comma before ']'", 1, 5 },
	{ "{\"a\":1,}", 0, "trailing comma before '}'", 1, 7 },
	{ "[\r\n1,\r\n]", 0, "trailing comma before ']'", 2, 2 },
	{ "[,1]", 0, "expected a value, found ','", 1, 2 },
	{ "[1,,2]", 0, "expected a value, found ','", 1, 4 },
	{ "[1 2]", 0, "expected ',' or ']' after an array element, "
	    "found '2'", 1, 4 },
	{ "{\"a\" 1}", 0, "expected ':' after an object key, found '1'",
	    1, 6 },
	{ "{\"a\":}", 0, "expected a value, found '}'", 1, 6 },
	{ "{\"a\":1 \"b\":2}", 0, "expected ',' or '}' after an object "
	    "member, found '\"'", 1, 8 },
	{ "{a:1}", 0, "expected a string key in double quotes, found 'a'",
	    1, 2 },
	{ "{1:1}", 0, "expected a string key", 1, 2 },
	{ "{'a':1}", 0, "single quotes are not allowed; keys", 1, 2 },
	{ "['a']", 0, "single quotes are not allowed; strings", 1, 2 },
	{ "[1] [2]", 0, "expected the end of input after the top-level "
	    "value, found '['", 1, 5 },
	{ "truex", 0, "after the top-level value, found 'x'", 1, 5 },
	/* Comments. */
	{ "/* c */ 1", 0, "comments are not allowed", 1, 1 },
	{ "[1,// c\n2]", 0, "comments are not allowed", 1, 4 },
	{ "[1]// c", 0, "after the top-level value, found '/'", 1, 4 },
	/* Numbers. */
	{ "01", 0, "leading zeros are not allowed", 1, 1 },
	{ "-01", 0, "leading zeros are not allowed", 1, 1 },
	{ "[00]", 0, "leading zeros are not allowed", 1, 2 },
	{ "1.", 0, "unexpected end of input; expected a digit after the "
	    "decimal point", 1, 3 },
	{ "[1.]", 0, "expected a digit after the decimal point, found ']'",
	    1, 4 },
	{ "1.e5", 0, "expected a digit after the decimal point, found 'e'",
	    1, 3 },
	{ ".5", 0, "a number must start with a digit or '-'", 1, 1 },
	{ "+1", 0, "a number must start with a digit or '-'", 1, 1 },
	{ "-", 0, "expected a digit after '-'", 1, 2 },
	{ "[-a]", 0, "expected a digit after '-', found 'a'", 1, 3 },
	{ "1e", 0, "expected a digit in the exponent", 1, 3 },
	{ "1e+", 0, "expected a digit in the exponent", 1, 4 },
	{ "[1E-x]", 0, "expected a digit in the exponent, found 'x'", 1, 5 },
	{ "0x10", 0, "after the top-level value, found 'x'", 1, 2 },
	{ "1,5", 0, "after the top-level value, found ','", 1, 2 },
	{ "NaN", 0, "NaN and Infinity are not allowed", 1, 1 },
	{ "[Infinity]", 0, "NaN and Infinity are not allowed", 1, 2 },
	{ "-Infinity", 0, "-Infinity is not allowed", 1, 1 },
	/* Literals. */
	{ "trux", 0, "invalid literal; expected true, false or null", 1, 1 },
	{ "tru", 0, "unexpected end of input in a literal", 1, 4 },
	{ "[f", 0, "unexpected end of input in a literal", 1, 3 },
	{ "[nul]", 0, "invalid literal", 1, 2 },
	{ "[nan]", 0, "invalid literal", 1, 2 },
	{ "True", 0, "expected a value, found 'T'", 1, 1 },
	{ "undefined", 0, "expected a value, found 'u'", 1, 1 },
	/* Strings. */
	{ "\"abc", 0, "unterminated string", 1, 1 },
	{ "[1,\n  \"abc\\", 0, "unterminated string", 2, 3 },
	{ "\"a\tb\"", 0, "unescaped control character U+0009 in string",
	    1, 3 },
	{ "\"a\nb\"", 0, "unescaped control character U+000A", 1, 3 },
	{ "\"a\x1F\"", 0, "unescaped control character U+001F", 1, 3 },
	{ "\"a\0b\"", 5, "unescaped control character U+0000", 1, 3 },
	{ "\"\\x\"", 0, "invalid escape: backslash followed by 'x'", 1, 2 },
	{ "\"\\U0041\"", 0, "invalid escape: backslash followed by 'U'",
	    1, 2 },
	{ "\"\\'\"", 0, "invalid escape", 1, 2 },
	{ "\"\\u12\"", 0, "invalid \\u escape; expected four hex digits",
	    1, 2 },
	{ "\"\\u12G4\"", 0, "invalid \\u escape", 1, 2 },
	{ "\"\\u", 0, "unterminated string", 1, 1 },
	{ "\"\\u\"", 0, "invalid \\u escape", 1, 2 },
	{ "\"\\uD800\"", 0, "unpaired surrogate \\uD800", 1, 2 },
	{ "\"\\uDBFF", 0, "unterminated string", 1, 1 },
	{ "\"\\uDBFF\"", 0, "unpaired surrogate \\uDBFF", 1, 2 },
	{ "\"\\uDBFF\\\"", 0, "unterminated string", 1, 1 },
	{ "\"\\uDBFF\\\\\"", 0, "unpaired surrogate \\uDBFF", 1, 2 },
	{ "\"\\uDBFF\\uDC0\"", 0, "unpaired surrogate \\uDBFF", 1, 2 },
	{ "[\"ok\",\"\\\"]", 0, "unterminated string", 1, 7 },
	{ "\"x\\uDC00\"", 0, "unpaired surrogate \\uDC00", 1, 3 },
	{ "\"\\uD800\\u0041\"", 0, "unpaired surrogate \\uD800", 1, 2 },
	{ "\"\\uD800\\uD800\"", 0, "unpaired surrogate \\uD800", 1, 2 },
	{ "\"\\uD800x\\uDC00\"", 0, "unpaired surrogate \\uD800", 1, 2 },
	{ "\"\\uDE00\\uD83D\"", 0, "unpaired surrogate \\uDE00", 1, 2 },
	{ "{\"a\\u0000\":1}", 0, "\\u0000 is not allowed in an object key",
	    1, 4 },
	/* Raw NUL and other characters outside strings. */
	{ "[1,\0]", 5, "expected a value, found a NUL byte", 1, 4 },
	{ "1\0", 2, "after the top-level value, found a NUL byte", 1, 2 },
	{ "\0", 1, "expected a value, found a NUL byte", 1, 1 },
	{ "[1,\v2]", 0, "expected a value, found U+000B", 1, 4 },
	{ "[1,\f2]", 0, "expected a value, found U+000C", 1, 4 },
	{ "[\xC2\xA0" "1]", 0, "expected a value, found U+00A0", 1, 2 },
	{ "[\xC3\xA9]", 0, "expected a value, found U+00E9", 1, 2 },
	{ "\xEF\xBB\xBF{}", 0, "byte order mark (U+FEFF) is not allowed",
	    1, 1 },
	/* Columns count characters: x is byte 8 but column 7. */
	{ "[\"\xE2\x82\xAC\", x]", 0, "found 'x' at line 1, column 7 "
	    "(byte offset 8)", 1, 7 },
	{ "\t\tx", 0, "found 'x'", 1, 3 },
	{ "{\n\t\"a\": [1,\n\t\t2,,]}", 0, "found ','", 3, 5 },
	/* Duplicate keys, at the repeat; decoding happens first. */
	{ "{\"x\":1,\"x\":2}", 0, "duplicate key \"x\"", 1, 8 },
	{ "{\n  \"a\": 1,\n  \"b\": 2,\n  \"a\": 3\n}", 0,
	    "duplicate key \"a\"", 4, 3 },
	{ "{\"a\":1,\"\\u0061\":2}", 0, "duplicate key \"a\"", 1, 8 },
	{ "{\"o\":{\"k\":[],\"k\":{}}}", 0, "duplicate key \"k\"", 1, 14 },
	{ "{\"b\":1,\"a\":1,\"b\":2,\"a\":2}", 0, "duplicate key \"b\"",
	    1, 14 },
	{ "{\"\":1,\"\":2}", 0, "duplicate key \"\"", 1, 7 },
	{ "{\"q\\\"\\n\":1,\"q\\\"\\n\":2}", 0,
	    "duplicate key \"q\\\"\\n\"", 1, 12 },
	{ "{\"0123456789012345678901234567890123456789xyz\":1,"
	    "\"0123456789012345678901234567890123456789xyz\":2}", 0,
	    "duplicate key \"0123456789012345678901234567890123456789\"...",
	    1, 50 },
	/* A syntax error inside the object wins over its duplicate. */
	{ "{\"x\":1,\"x\":2,}", 0, "trailing comma", 1, 13 },
	/* UTF-8, checked over the whole input before the syntax. */
	{ "\"\xC0\xAF\"", 0, "invalid UTF-8 (overlong encoding, byte 0xC0)",
	    1, 2 },
	{ "\"\xC1\xBF\"", 0, "overlong encoding, byte 0xC1", 1, 2 },
	{ "\"\xE0\x80\xAF\"", 0, "overlong encoding, byte 0xE0", 1, 2 },
	{ "\"\xE0\x9F\xBF\"", 0, "overlong encoding", 1, 2 },
	{ "\"\xF0\x80\x80\xAF\"", 0, "overlong encoding, byte 0xF0", 1, 2 },
	{ "\"\xF0\x8F\xBF\xBF\"", 0, "overlong encoding", 1, 2 },
	{ "\"\xED\xA0\x80\"", 0, "UTF-16 surrogate encoded in UTF-8, byte "
	    "0xED", 1, 2 },
	{ "\"\xED\xBF\xBF\"", 0, "UTF-16 surrogate encoded in UTF-8", 1, 2 },
	{ "\"\xED\xA0\xBD\xED\xB8\x80\"", 0, "UTF-16 surrogate", 1, 2 },
	{ "\"\xF4\x90\x80\x80\"", 0, "code point above U+10FFFF, byte 0xF4",
	    1, 2 },
	{ "\"\xF5\x80\x80\x80\"", 0, "code point above U+10FFFF, byte 0xF5",
	    1, 2 },
	{ "\"\xF7\xBF\xBF\xBF\"", 0, "code point above U+10FFFF", 1, 2 },
	{ "\"\xF8\x88\x80\x80\x80\"", 0, "byte never used in UTF-8, byte "
	    "0xF8", 1, 2 },
	{ "\"\xFF\"", 0, "byte never used in UTF-8, byte 0xFF", 1, 2 },
	{ "\"\xFE\"", 0, "byte 0xFE", 1, 2 },
	{ "\"\x80\"", 0, "unexpected continuation byte, byte 0x80", 1, 2 },
	{ "\"\xC3\xA9\xBF\"", 0, "unexpected continuation byte, byte 0xBF",
	    1, 3 },
	{ "\"\xC3\"", 0, "incomplete multi-byte sequence, byte 0xC3", 1, 2 },
	{ "\"\xE2\x82\"", 0, "incomplete multi-byte sequence, byte 0xE2",
	    1, 2 },
	{ "\"\xF0\x9F\x98x\"", 0, "incomplete multi-byte sequence", 1, 2 },
	{ "\"\xE2\x82", 0, "sequence truncated at end of input, byte 0xE2",
	    1, 2 },
	{ "\"\xF0\x9F\x98", 0, "sequence truncated at end of input", 1, 2 },
	{ "\"\xC3", 0, "sequence truncated at end of input", 1, 2 },
	{ "\xF4\x90", 0, "code point above U+10FFFF", 1, 1 },
	{ "[\"\xC3\xA9\xC3\xA9\",\n \"\xC3\xA9\xC0\"]", 0,
	    "invalid UTF-8 (overlong encoding, byte 0xC0) at line 2, "
	    "column 4 (byte offset 13)", 2, 4 },
	/* Encoding first: the UTF-8 error wins over an earlier ",,". */
	{ "[1,,\"\xFF\"]", 0, "invalid UTF-8", 1, 6 },
	/* Outside a string too. */
	{ "[1,\xFF]", 0, "invalid UTF-8", 1, 4 },
};

/* Check one refused document: rc, *out, message fragment and position. */
static void
check_invalid(const char *text, size_t len, size_t max_len, const char *frag,
    int line, int col)
{
	struct gen_err err = {0};
	struct json *v = (struct json *)&err;	/* must be reset to NULL */
	char pos[64];

	CHECK_INT(json_parse(text, len, max_len, &v, &err), GEN_EINPUT);
	CHECK(v == NULL);
	CHECK_INT(err.rc, GEN_EINPUT);
	CHECK(strncmp(err.msg, "JSON: ", 6) == 0);
	CHECK_MSG(err, frag);
	if (line > 0) {
		snprintf(pos, sizeof(pos), " at line %d, column %d (byte offset ",
		    line, col);
		CHECK_MSG(err, pos);
	}
	json_free(v);
}

static void
test_invalid(void)
{
	size_t i, len;

	for (i = 0; i < sizeof(invalid_docs) / sizeof(invalid_docs[0]); i++) {
		const struct invalid *d = &invalid_docs[i];

		len = d->len ? d->len : strlen(d->text);
		check_invalid(d->text, len, MiB, d->frag, d->line, d->col);
	}
}

/* ---- \u0000, accessors ----------------------------------------------- */

static void
test_nul_in_string(void)
{
	/* Raw NUL bytes are data for json_parse, not terminators. */
	static const char doc[] = "{\"k\":\"a\\u0000b\",\"n\":\"\\u0000\"}";
	static const char raw0[] = "[1]\0";
	struct gen_err err = {0};
	struct json *v = NULL;
	const char *s;
	size_t len;

	CHECK_INT(json_parse(doc, sizeof(doc) - 1, MiB, &v, &err), GEN_OK);
	s = json_str(json_get(v, "k"), &len);
	CHECK_INT(len, 3);
	CHECK(s != NULL && memcmp(s, "a\0b", 4) == 0);	/* and terminated */
	s = json_str(json_get(v, "n"), &len);
	CHECK_INT(len, 1);
	CHECK(s != NULL && s[0] == '\0');
	json_free(v);

	/* The NUL after "[1]" counts when it is inside len ... */
	v = NULL;
	CHECK_INT(json_parse(raw0, 4, MiB, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "found a NUL byte at line 1, column 4");
	/* ... and not when it is outside. */
	CHECK_INT(json_parse(raw0, 3, MiB, &v, &err), GEN_OK);
	CHECK_INT(json_len(v), 1);
	json_free(v);

	/* NULL text is empty input when len is 0, a bug otherwise. */
	CHECK_INT(json_parse(NULL, 0, MiB, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "input is empty");
	CHECK_INT(json_parse(NULL, 1, MiB, &v, &err), GEN_EINTERNAL);
	CHECK(v == NULL);
}

static void
test_accessors(void)
{
	static const char doc[] =
	    "{\"name\":\"Ada\",\"qty\":3,\"tags\":[\"x\",null,true,false],"
	    "\"sub\":{\"k\":\"v\"},\"e\":{},\"price\":\"12.50\"}";
	struct gen_err err = {0};
	struct json *v = NULL;
	const struct json *t;
	size_t len = 99;

	CHECK_INT(json_parse(doc, strlen(doc), MiB, &v, &err), GEN_OK);
	CHECK_INT(json_type(v), JSON_OBJECT);
	CHECK_INT(json_len(v), 6);
	CHECK_STR(json_key_at(v, 0), "name");
	CHECK_STR(json_key_at(v, 5), "price");
	CHECK(json_key_at(v, 6) == NULL);
	CHECK(json_value_at(v, 6) == NULL);
	CHECK(json_value_at(v, 1) == json_get(v, "qty"));
	CHECK_STR(json_str(json_get(v, "name"), &len), "Ada");
	CHECK_INT(len, 3);
	CHECK_STR(json_number_text(json_get(v, "qty")), "3");
	CHECK(json_get(v, "Name") == NULL);
	CHECK(json_get(v, "na") == NULL);
	CHECK(json_get(v, "") == NULL);
	CHECK(json_get(v, NULL) == NULL);
	t = json_get(v, "tags");
	CHECK_INT(json_type(t), JSON_ARRAY);
	CHECK_INT(json_len(t), 4);
	CHECK_STR(json_str(json_at(t, 0), NULL), "x");
	CHECK_INT(json_type(json_at(t, 1)), JSON_NULL);
	CHECK(json_at(t, 1) != NULL);		/* null, not absent */
	CHECK_INT(json_type(json_at(t, 2)), JSON_TRUE);
	CHECK_INT(json_type(json_at(t, 3)), JSON_FALSE);
	CHECK(json_at(t, 4) == NULL);
	CHECK(json_get(t, "x") == NULL);	/* not an object */
	CHECK(json_key_at(t, 0) == NULL);
	CHECK_STR(json_str(json_get(json_get(v, "sub"), "k"), NULL), "v");
	CHECK_INT(json_len(json_get(v, "e")), 0);
	CHECK(json_key_at(json_get(v, "e"), 0) == NULL);
	/* Wrong types and absent values. */
	len = 99;
	CHECK(json_str(json_get(v, "qty"), &len) == NULL);
	CHECK_INT(len, 0);
	CHECK(json_number_text(json_get(v, "price")) == NULL);
	CHECK(json_at(v, 0) == NULL);		/* not an array */
	CHECK_INT(json_len(json_get(v, "name")), 0);
	CHECK_INT(json_type(NULL), JSON_NULL);
	CHECK_INT(json_len(NULL), 0);
	CHECK(json_get(NULL, "a") == NULL);
	CHECK(json_at(NULL, 0) == NULL);
	CHECK(json_str(NULL, NULL) == NULL);
	CHECK(json_number_text(NULL) == NULL);
	json_free(v);
	json_free(NULL);
}

/* ---- limits ---------------------------------------------------------- */

static void
test_depth(void)
{
	char doc[2 * (JSON_MAX_DEPTH + 1) + 16];
	struct gen_err err = {0};
	struct json *v = NULL;
	const struct json *t;
	int i, d;

	/* 64 nested arrays are fine. */
	for (i = 0; i < JSON_MAX_DEPTH; i++) {
		doc[i] = '[';
		doc[JSON_MAX_DEPTH + i] = ']';
	}
	CHECK_INT(json_parse(doc, 2 * JSON_MAX_DEPTH, MiB, &v, &err), GEN_OK);
	for (d = 1, t = v; json_len(t) == 1; d++)
		t = json_at(t, 0);
	CHECK_INT(d, JSON_MAX_DEPTH);
	CHECK(round_trip(v, NULL));
	json_free(v);

	/* 65 are refused at the 65th bracket. */
	for (i = 0; i <= JSON_MAX_DEPTH; i++) {
		doc[i] = '[';
		doc[JSON_MAX_DEPTH + 1 + i] = ']';
	}
	check_invalid(doc, 2 * (JSON_MAX_DEPTH + 1), MiB,
	    "nesting deeper than 64 levels", 1, 65);

	/* Objects and arrays count alike: 32 pairs of {"a":[ ... ]}. */
	{
		struct buf b = {0};

		for (i = 0; i < 32; i++)
			buf_puts(&b, "{\"a\":[");
		buf_puts(&b, "1");
		for (i = 0; i < 32; i++)
			buf_puts(&b, "]}");
		CHECK_INT(json_parse(b.data, b.len, MiB, &v, &err), GEN_OK);
		json_free(v);
		buf_reset(&b);
		for (i = 0; i < 32; i++)
			buf_puts(&b, "{\"a\":[");
		buf_puts(&b, "{}");
		for (i = 0; i < 32; i++)
			buf_puts(&b, "]}");
		check_invalid(b.data, b.len, MiB, "nesting deeper than 64",
		    1, 32 * 6 + 1);
		buf_free(&b);
	}
}

static void
test_max_len(void)
{
	struct gen_err err = {0};
	struct json *v = NULL;
	struct buf b = {0};
	size_t i, end;

	check_invalid("[1,2]", 5, 4, "input is 5 bytes, more than the limit "
	    "of 4 bytes", 0, 0);
	CHECK_INT(json_parse("[1,2]", 5, 5, &v, &err), GEN_OK);
	json_free(v);
	/* The limit is checked before anything else. */
	check_invalid("\xFF\xFF", 2, 1, "more than the limit of 1 bytes", 0, 0);

	/*
	 * Exactly 1 MiB: one object of distinct keys (duplicate detection
	 * must not be quadratic), then the same with a repeat at the end.
	 */
	buf_putc(&b, '{');
	for (i = 0; b.len < MiB - 64; i++)
		buf_printf(&b, "%s\"k%07zu\":%zu", i ? "," : "", i, i);
	end = b.len;
	while (b.len < MiB - 1)
		buf_putc(&b, ' ');
	buf_putc(&b, '}');
	CHECK_INT(b.len, MiB);
	CHECK_INT(json_parse(b.data, b.len, MiB, &v, &err), GEN_OK);
	CHECK_INT(json_len(v), i);
	CHECK_STR(json_number_text(json_get(v, "k0000007")), "7");
	json_free(v);
	check_invalid(b.data, b.len, MiB - 1, "input is 1048576 bytes, more "
	    "than the limit of 1048575 bytes", 0, 0);
	b.len = end;
	buf_printf(&b, ",\"k0000003\":0}");
	check_invalid(b.data, b.len, MiB, "duplicate key \"k0000003\"", 1,
	    (int)end + 2);
	buf_free(&b);
}

/* ---- exact numbers --------------------------------------------------- */

/* Parse a one-number document; the caller frees it. */
static struct json *
num(const char *lexeme)
{
	struct gen_err err = {0};
	struct json *v = NULL;

	if (json_parse(lexeme, strlen(lexeme), MiB, &v, &err) != GEN_OK)
		fprintf(stderr, "num(%s): %s\n", lexeme, err.msg);
	return v;
}

static void
int_ok(const char *lexeme, int64_t min, int64_t max, int64_t want)
{
	struct gen_err err = {0};
	struct json *v = num(lexeme);
	int64_t got = 12345;

	CHECK_INT(json_int64(v, min, max, &got, &err), GEN_OK);
	CHECK_INT(got, want);
	json_free(v);
}

static void
int_bad(const char *text, int64_t min, int64_t max, const char *frag)
{
	struct gen_err err = {0};
	struct json *v = num(text);
	int64_t got = 12345;

	CHECK_INT(json_int64(v, min, max, &got, &err), GEN_EINPUT);
	CHECK_MSG(err, frag);
	CHECK_INT(got, 12345);			/* untouched */
	json_free(v);
}

static void
test_int64(void)
{
	struct gen_err err = {0};
	int64_t got = 7;

	int_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	int_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
	int_ok("-0", -5, 5, 0);
	int_ok("0", 0, 0, 0);
	int_ok("1", 1, 1000, 1);
	int_ok("1000", 1, 1000, 1000);
	int_ok("-42", -100, 100, -42);
	int_bad("9223372036854775808", INT64_MIN, INT64_MAX,
	    "must be an integer between -9223372036854775808 and "
	    "9223372036854775807");
	int_bad("-9223372036854775809", INT64_MIN, INT64_MAX,
	    "must be an integer between");
	int_bad("18446744073709551616", INT64_MIN, INT64_MAX,
	    "must be an integer between");
	int_bad("99999999999999999999999999", 0, 10,
	    "must be an integer between 0 and 10");
	int_bad("0", 1, 1000, "must be an integer between 1 and 1000");
	int_bad("1001", 1, 1000, "must be an integer between 1 and 1000");
	int_bad("-1", 0, 1000, "must be an integer between 0 and 1000");
	int_bad("12.0", 1, 1000, "must be an integer between 1 and 1000 "
	    "(no decimal point or exponent)");
	int_bad("1e2", 1, 1000, "(no decimal point or exponent)");
	int_bad("1E0", 1, 1000, "(no decimal point or exponent)");
	int_bad("\"5\"", 1, 1000, "must be an integer between 1 and 1000, "
	    "not a string");
	int_bad("null", 1, 1000, ", not null");
	int_bad("true", 1, 1000, ", not true");
	int_bad("[1]", 1, 1000, ", not an array");
	int_bad("{}", 1, 1000, ", not an object");
	CHECK_INT(json_int64(NULL, 1, 9, &got, &err), GEN_EINPUT);
	CHECK_STR(err.msg, "is missing; must be an integer between 1 and 9");
	CHECK_INT(got, 7);
	/* The message is meant to be prefixed with the field. */
	gen_err_prefix(&err, "lines[2].quantity: ");
	CHECK_STR(err.msg, "lines[2].quantity: is missing; must be an integer "
	    "between 1 and 9");
}

static void
dec_ok(const char *lexeme, int scale, int64_t min, int64_t max, int64_t want)
{
	struct gen_err err = {0};
	struct json *v = num(lexeme);
	int64_t got = 12345;

	CHECK_INT(json_decimal(v, scale, min, max, &got, &err), GEN_OK);
	if (err.rc != GEN_OK)
		fprintf(stderr, "  %s scale %d: %s\n", lexeme, scale, err.msg);
	CHECK_INT(got, want);
	json_free(v);
}

static void
dec_bad(const char *text, int scale, int64_t min, int64_t max,
    const char *want)
{
	struct gen_err err = {0};
	struct json *v = num(text);
	int64_t got = 12345;

	CHECK_INT(json_decimal(v, scale, min, max, &got, &err), GEN_EINPUT);
	CHECK_STR(err.msg, want);
	CHECK_INT(got, 12345);
	json_free(v);
}

static void
test_decimal(void)
{
	struct gen_err err = {0};
	struct json *v;
	int64_t got = 7;

	dec_ok("12.5", 2, 0, INT64_MAX, 1250);
	dec_ok("12.50", 2, 0, INT64_MAX, 1250);
	dec_ok("12.500", 2, 0, INT64_MAX, 1250);	/* exact: fine */
	dec_ok("12", 2, 0, INT64_MAX, 1200);
	dec_ok("0.01", 2, 0, INT64_MAX, 1);
	dec_ok("-0.01", 2, INT64_MIN, INT64_MAX, -1);
	dec_ok("-0", 2, 0, 0, 0);
	dec_ok("-0.000", 2, 0, 0, 0);
	dec_ok("1e2", 0, 0, 1000, 100);
	dec_ok("1E+2", 0, 0, 1000, 100);
	dec_ok("1.25e1", 2, 0, INT64_MAX, 1250);
	dec_ok("125e-2", 2, 0, INT64_MAX, 125);
	dec_ok("1250e-3", 2, 0, INT64_MAX, 125);
	dec_ok("0e999999999999999999", 2, 0, 0, 0);
	dec_ok("0.0e-99999", 0, 0, 0, 0);
	dec_ok("100000000000000000000e-20", 0, 0, 10, 1);
	dec_ok("0.00000000000000000000000001e26", 0, 0, 10, 1);
	dec_ok("92233720368547758.07", 2, INT64_MIN, INT64_MAX, INT64_MAX);
	dec_ok("-92233720368547758.08", 2, INT64_MIN, INT64_MAX, INT64_MIN);
	dec_ok("9223372036854775807", 0, INT64_MIN, INT64_MAX, INT64_MAX);
	dec_ok("9.223372036854775807e18", 0, INT64_MIN, INT64_MAX, INT64_MAX);
	dec_ok("1", 18, 0, INT64_MAX, 1000000000000000000LL);
	dec_ok("0.000000000000000001", 18, 0, INT64_MAX, 1);
	dec_ok("21.00", 2, 1, 100000000, 2100);

	dec_bad("12.505", 2, 0, 100000, "must have at most 2 decimal places");
	dec_bad("0.125", 2, 0, 100000, "must have at most 2 decimal places");
	dec_bad("125e-3", 2, 0, 100000, "must have at most 2 decimal places");
	dec_bad("0.05", 1, 0, 100000, "must have at most 1 decimal place");
	dec_bad("12.5", 0, 0, 100, "must be a whole number between 0 and 100");
	dec_bad("1e-999999999999", 2, 0, 100,
	    "must have at most 2 decimal places");
	dec_bad("1e999999999999", 2, 0, 100,
	    "must be a number between 0.00 and 1.00");
	dec_bad("92233720368547758.08", 2, INT64_MIN, INT64_MAX,
	    "must be a number between -92233720368547758.08 and "
	    "92233720368547758.07");
	dec_bad("-92233720368547758.09", 2, INT64_MIN, INT64_MAX,
	    "must be a number between -92233720368547758.08 and "
	    "92233720368547758.07");
	dec_bad("10", 18, 0, INT64_MAX, "must be a number between "
	    "0.000000000000000000 and 9.223372036854775807");
	dec_bad("123456789012345678901234567890", 0, 0, INT64_MAX,
	    "must be a number between 0 and 9223372036854775807");
	dec_bad("0", 2, 1, 100000000, "must be a number between 0.01 and "
	    "1000000.00");
	dec_bad("-0.51", 2, -50, 50, "must be a number between -0.50 and "
	    "0.50");
	dec_bad("\"12.50\"", 2, 1, 100000000, "must be a number between 0.01 "
	    "and 1000000.00, not a string");
	dec_bad("false", 2, 1, 100, "must be a number between 0.01 and 1.00, "
	    "not false");

	CHECK_INT(json_decimal(NULL, 2, 1, 100, &got, &err), GEN_EINPUT);
	CHECK_STR(err.msg, "is missing; must be a number between 0.01 and "
	    "1.00");
	v = num("1");
	CHECK_INT(json_decimal(v, 19, 0, 1, &got, &err), GEN_EINTERNAL);
	CHECK_MSG(err, "scale 19");
	CHECK_INT(json_decimal(v, -1, 0, 1, &got, &err), GEN_EINTERNAL);
	CHECK_INT(got, 7);
	json_free(v);
}

/* ---- canonical form -------------------------------------------------- */

static void
test_canonical(void)
{
	static const char doc[] =
	    "{\n"
	    "  \"order\": \"A-1\",\n"
	    "  \"payer\": {\"name\": \"J\\u00fcrgen \\\"J\\\" M\\u00fcller\","
	    " \"country\": \"DE\", \"note\": \"line1\\nline2\\u2028\"},\n"
	    "  \"lines\": [\n"
	    "    {\"sku\": \"x\", \"qty\": 2, \"price\": 12.50},\n"
	    "    {\"sku\": \"\\ud83d\\ude00\", \"qty\": 1, \"price\": 1E+2}\n"
	    "  ],\n"
	    "  \"paid\": true, \"ref\": null, \"tags\": []\n"
	    "}\n";
	static const char want[] =
	    "{\"order\":\"A-1\",\"payer\":{\"name\":\"J\xC3\xBCrgen \\\"J\\\" "
	    "M\xC3\xBCller\",\"country\":\"DE\",\"note\":\"line1\\nline2"
	    "\xE2\x80\xA8\"},\"lines\":[{\"sku\":\"x\",\"qty\":2,\"price\":"
	    "12.50},{\"sku\":\"\xF0\x9F\x98\x80\",\"qty\":1,\"price\":1E+2}],"
	    "\"paid\":true,\"ref\":null,\"tags\":[]}";
	struct gen_err err = {0};
	struct json *v = NULL, *w = NULL;
	struct buf a = {0}, b = {0};

	CHECK_INT(json_parse(doc, strlen(doc), MiB, &v, &err), GEN_OK);
	CHECK(round_trip(v, &a));
	CHECK_STR(a.data, want);
	/* Whitespace does not change the canonical form, order does. */
	CHECK_INT(json_parse(want, strlen(want), MiB, &w, &err), GEN_OK);
	json_write_canonical(w, &b);
	CHECK_STR(b.data, want);
	json_free(w);
	w = NULL;
	CHECK_INT(json_parse("{\"b\":1,\"a\":2}", 13, MiB, &w, &err), GEN_OK);
	buf_reset(&b);
	json_write_canonical(w, &b);
	CHECK_STR(b.data, "{\"b\":1,\"a\":2}");
	/* A subtree canonicalises on its own; NULL appends nothing. */
	buf_reset(&b);
	json_write_canonical(json_at(json_get(v, "lines"), 1), &b);
	json_write_canonical(NULL, &b);
	CHECK_STR(b.data, "{\"sku\":\"\xF0\x9F\x98\x80\",\"qty\":1,"
	    "\"price\":1E+2}");
	json_free(w);
	json_free(v);
	buf_free(&a);
	buf_free(&b);
}

/* ---- writer ---------------------------------------------------------- */

/* The writer calls of test_writer(), compact or pretty. */
static void
write_sample(struct buf *o, int pretty)
{
	struct jsonw w;

	buf_reset(o);
	jsonw_init(&w, o, pretty);
	jsonw_object_begin(&w);
	jsonw_key(&w, "ok");
	jsonw_bool(&w, 1);
	jsonw_key(&w, "number");
	jsonw_string(&w, "2025-0001");
	jsonw_key(&w, "total");
	jsonw_raw(&w, "21.00");
	jsonw_key(&w, "n");
	jsonw_int(&w, INT64_MIN);
	jsonw_key(&w, "files");
	jsonw_array_begin(&w);
	jsonw_string(&w, "a.pdf");
	jsonw_null(&w);
	jsonw_bool(&w, 0);
	jsonw_array_end(&w);
	jsonw_key(&w, "empty");
	jsonw_object_begin(&w);
	jsonw_object_end(&w);
	jsonw_key(&w, "none");
	jsonw_array_begin(&w);
	jsonw_array_end(&w);
	jsonw_key(&w, "nested");
	jsonw_array_begin(&w);
	jsonw_object_begin(&w);
	jsonw_key(&w, "k");
	jsonw_string(&w, NULL);
	jsonw_object_end(&w);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
}

static void
test_writer(void)
{
	static const char compact[] = "{\"ok\":true,\"number\":\"2025-0001\","
	    "\"total\":21.00,\"n\":-9223372036854775808,"
	    "\"files\":[\"a.pdf\",null,false],\"empty\":{},"
	    "\"none\":[],\"nested\":[{\"k\":null}]}";
	static const char pretty[] = "{\n"
	    "  \"ok\": true,\n"
	    "  \"number\": \"2025-0001\",\n"
	    "  \"total\": 21.00,\n"
	    "  \"n\": -9223372036854775808,\n"
	    "  \"files\": [\n"
	    "    \"a.pdf\",\n"
	    "    null,\n"
	    "    false\n"
	    "  ],\n"
	    "  \"empty\": {},\n"
	    "  \"none\": [],\n"
	    "  \"nested\": [\n"
	    "    {\n"
	    "      \"k\": null\n"
	    "    }\n"
	    "  ]\n"
	    "}";
	struct gen_err err = {0};
	struct json *v = NULL;
	struct buf b = {0}, b2 = {0};
	struct jsonw w;

	write_sample(&b, 0);
	CHECK_STR(b.data, compact);
	write_sample(&b2, 0);		/* byte-deterministic */
	CHECK(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
	write_sample(&b, 1);
	CHECK_STR(b.data, pretty);
	write_sample(&b2, 1);
	CHECK(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
	/* Pretty output parses back, to the compact form. */
	CHECK_INT(json_parse(b.data, b.len, MiB, &v, &err), GEN_OK);
	buf_reset(&b2);
	json_write_canonical(v, &b2);
	CHECK_STR(b2.data, compact);
	json_free(v);

	/* Top-level scalars; several top-level values on separate lines. */
	buf_reset(&b);
	jsonw_init(&w, &b, 0);
	jsonw_int(&w, 1);
	jsonw_array_begin(&w);
	jsonw_array_end(&w);
	jsonw_string(&w, "x");
	CHECK_STR(b.data, "1\n[]\n\"x\"");

	/* jsonw_raw writes only real JSON numbers. */
	buf_reset(&b);
	jsonw_init(&w, &b, 0);
	jsonw_array_begin(&w);
	jsonw_raw(&w, "-0.5e+3");
	jsonw_raw(&w, "0");
	jsonw_raw(&w, "1,5");
	jsonw_raw(&w, "NaN");
	jsonw_raw(&w, "01");
	jsonw_raw(&w, "1.");
	jsonw_raw(&w, "");
	jsonw_raw(&w, "1 ");
	jsonw_raw(&w, NULL);
	jsonw_int(&w, INT64_MAX);
	jsonw_array_end(&w);
	CHECK_STR(b.data, "[-0.5e+3,0,null,null,null,null,null,null,null,"
	    "9223372036854775807]");
	buf_free(&b);
	buf_free(&b2);
}

/* Write one string value with the writer and return the output. */
static void
wstr(struct buf *o, const char *s, size_t len)
{
	struct jsonw w;

	buf_reset(o);
	jsonw_init(&w, o, 0);
	jsonw_string_len(&w, s, len);
}

static void
test_writer_escaping(void)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} t[] = {
		{ "plain", 5, "\"plain\"" },
		{ "", 0, "\"\"" },
		{ "\"\\/", 3, "\"\\\"\\\\/\"" },
		{ "\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"" },
		{ "a\0b", 3, "\"a\\u0000b\"" },
		{ "\xE2\x80\xA8|\xE2\x80\xA9", 7, "\"\\u2028|\\u2029\"" },
		{ "\xC3\xA9\xF0\x9F\x98\x80", 6,
		    "\"\xC3\xA9\xF0\x9F\x98\x80\"" },
		/* Invalid UTF-8: one U+FFFD per maximal subpart. */
		{ "a\xFF" "b", 3, "\"a\xEF\xBF\xBD" "b\"" },
		{ "\x80", 1, "\"\xEF\xBF\xBD\"" },
		{ "\xE2\x82", 2, "\"\xEF\xBF\xBD\"" },
		{ "\xE2\x82x", 3, "\"\xEF\xBF\xBDx\"" },
		{ "\xF0\x9F\x98!", 4, "\"\xEF\xBF\xBD!\"" },
		{ "\xC0\xAF", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"" },
		{ "\xED\xA0\x80", 3,
		    "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"" },
		{ "\xF4\x90\x80\x80", 4, "\"\xEF\xBF\xBD\xEF\xBF\xBD"
		    "\xEF\xBF\xBD\xEF\xBF\xBD\"" },
		{ "\xF4\x8F\xBF\xBF", 4, "\"\xF4\x8F\xBF\xBF\"" },
		{ "\xE1\x80\xE2\xF0\x91\x92\xF1\xBF\x41", 9,
		    "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
		    "\x41\"" },
	};
	struct gen_err err = {0};
	struct json *v = NULL;
	struct buf o = {0};
	struct jsonw w;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		wstr(&o, t[i].in, t[i].len);
		CHECK_STR(o.data, t[i].out);
		/* Always valid JSON. */
		CHECK_INT(json_parse(o.data, o.len, MiB, &v, &err), GEN_OK);
		json_free(v);
		v = NULL;
	}
	/* Keys are escaped the same way; jsonw_string stops at NUL. */
	buf_reset(&o);
	jsonw_init(&w, &o, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "a\"\n\xFF\xE2\x80\xA8");
	jsonw_string(&w, "x\0y");
	jsonw_object_end(&w);
	CHECK_STR(o.data, "{\"a\\\"\\n\xEF\xBF\xBD\\u2028\":\"x\"}");
	CHECK_INT(json_parse(o.data, o.len, MiB, &v, &err), GEN_OK);
	CHECK_STR(json_key_at(v, 0), "a\"\n\xEF\xBF\xBD\xE2\x80\xA8");
	json_free(v);
	buf_free(&o);
}

/* Append code point cp as UTF-8 (test-local encoder). */
static void
put_cp(struct buf *b, uint32_t cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		buf_append(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		buf_append(b, u, 4);
	}
}

/*
 * Writer -> parser: random valid UTF-8 strings (any code point, NUL and
 * controls included) come back byte for byte; random byte strings always
 * give valid JSON.
 */
static void
test_writer_random(void)
{
	uint64_t seed = 0x9E3779B97F4A7C15ULL;
	struct gen_err err = {0};
	struct buf in = {0}, o = {0};
	struct json *v;
	const char *s;
	size_t len, n, i;
	int iter, same = 0, parsed = 0;
	uint32_t cp;

	for (iter = 0; iter < 2000; iter++) {
		buf_reset(&in);
		n = rnd(&seed) % 24;
		for (i = 0; i < n; i++) {
			switch (rnd(&seed) % 4) {
			case 0:
				cp = (uint32_t)(rnd(&seed) % 0x80);
				break;
			case 1:
				cp = 0x2026 + (uint32_t)(rnd(&seed) % 5);
				break;
			default:
				cp = (uint32_t)(rnd(&seed) % 0x110000);
				break;
			}
			if (cp >= 0xD800 && cp <= 0xDFFF)
				cp = 0xFFFD;
			put_cp(&in, cp);
		}
		wstr(&o, in.data ? in.data : "", in.len);
		v = NULL;
		if (json_parse(o.data, o.len, MiB, &v, &err) == GEN_OK) {
			s = json_str(v, &len);
			same += len == in.len && memcmp(s, in.data, len) == 0;
		}
		json_free(v);

		/* Arbitrary bytes. */
		buf_reset(&in);
		n = rnd(&seed) % 24;
		for (i = 0; i < n; i++)
			buf_putc(&in, (char)(rnd(&seed) & 0xFF));
		wstr(&o, in.data ? in.data : "", in.len);
		v = NULL;
		parsed += json_parse(o.data, o.len, MiB, &v, &err) == GEN_OK;
		json_free(v);
	}
	CHECK_INT(same, 2000);
	CHECK_INT(parsed, 2000);
	buf_free(&in);
	buf_free(&o);
}

/* ---- robustness ------------------------------------------------------ */

static const char *const seeds[] = {
	"{\"order\":\"A-1\",\"payer\":{\"name\":\"J\\u00fcrgen\",\"vat\":"
	    "\"DE123\"},\"lines\":[{\"qty\":2,\"price\":12.50,\"d\":\"\xE2\x82"
	    "\xAC \\ud83d\\ude00\"},{\"qty\":-1e3,\"x\":[true,false,null]}]}",
	"[0,-0.5,1E+9,\"\\\\\\\"\\/\\b\\f\\n\\r\\t\\u0000\",[],{},[[[[]]]]]",
	"{\"a\":{\"b\":{\"c\":{\"a\":1,\"b\":\"\xC3\xA9\xF4\x8F\xBF\xBF\"}}}}",
	" \"\\uD800\\uDC00\" ",
};

/* Every proper prefix of a document that ends with '}' is refused. */
static void
test_prefixes(void)
{
	struct gen_err err = {0};
	struct json *v;
	size_t len = strlen(seeds[0]), i;
	int bad = 0;

	for (i = 0; i < len; i++) {
		v = NULL;
		if (json_parse(seeds[0], i, MiB, &v, &err) != GEN_EINPUT ||
		    v != NULL || (strstr(err.msg, "end of input") == NULL &&
		    strstr(err.msg, "unterminated string") == NULL &&
		    strstr(err.msg, "input is empty") == NULL)) {
			fprintf(stderr, "  prefix %zu: %s\n", i, err.msg);
			bad++;
		}
		json_free(v);
	}
	CHECK_INT(bad, 0);
}

/*
 * Deterministic mutation run: byte-wise edits of valid documents must
 * give either a tree that survives the canonical round trip, or a
 * GEN_EINPUT with a positioned message.  ASan/UBSan catch the rest.
 */
static void
test_mutations(void)
{
	static const unsigned char interesting[] = {
		'"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '+',
		'.', 'e', 'u', 'D', 'n', ' ', '\n', 0x00, 0x1F, 0x7F, 0x80,
		0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF
	};
	uint64_t seed = 20250101;
	struct gen_err err;
	struct buf d = {0};
	struct json *v;
	size_t pos, n, k;
	int iter, edits, ok = 0, refused = 0, bad = 0;

	for (iter = 0; iter < 6000; iter++) {
		const char *s = seeds[rnd(&seed) % (sizeof(seeds) /
		    sizeof(seeds[0]))];

		buf_reset(&d);
		buf_puts(&d, s);
		for (edits = 1 + (int)(rnd(&seed) % 4); edits > 0; edits--) {
			unsigned char c = rnd(&seed) & 1 ?
			    interesting[rnd(&seed) % sizeof(interesting)] :
			    (unsigned char)rnd(&seed);

			pos = d.len ? rnd(&seed) % d.len : 0;
			switch (rnd(&seed) % 5) {
			case 0:		/* replace */
				if (d.len)
					d.data[pos] = (char)c;
				break;
			case 1:		/* insert */
				buf_putc(&d, 0);
				memmove(d.data + pos + 1, d.data + pos,
				    d.len - pos - 1);
				d.data[pos] = (char)c;
				break;
			case 2:		/* delete */
				if (d.len) {
					memmove(d.data + pos, d.data + pos + 1,
					    d.len - pos - 1);
					d.len--;
				}
				break;
			case 3:		/* duplicate a slice */
				n = d.len - pos < 16 ? d.len - pos : 16;
				for (k = 0; k < n; k++)
					buf_putc(&d, d.data[pos + k]);
				break;
			default:	/* truncate */
				d.len = pos;
				break;
			}
		}
		gen_err_clear(&err);
		v = NULL;
		/* Copy to an exact-size block so ASan sees over-reads. */
		{
			char *exact = xmalloc(d.len ? d.len : 1);

			memcpy(exact, d.data, d.len);
			if (json_parse(exact, d.len, MiB, &v, &err) == GEN_OK) {
				ok++;
				if (!round_trip(v, NULL))
					bad++;
			} else if (err.rc == GEN_EINPUT &&
			    strncmp(err.msg, "JSON: ", 6) == 0 &&
			    strstr(err.msg, " at line ") != NULL && v == NULL)
				refused++;
			else {
				fprintf(stderr, "  mutation %d: %s\n", iter,
				    err.msg);
				bad++;
			}
			free(exact);
		}
		json_free(v);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(ok + refused, 6000);
	/* The run must exercise both outcomes to mean anything. */
	CHECK(ok > 100);
	CHECK(refused > 1000);
	buf_free(&d);
}

int
main(void)
{
	test_valid();
	test_invalid();
	test_nul_in_string();
	test_accessors();
	test_depth();
	test_max_len();
	test_int64();
	test_decimal();
	test_canonical();
	test_writer();
	test_writer_escaping();
	test_writer_random();
	test_prefixes();
	test_mutations();
	return test_report();
}
