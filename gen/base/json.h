/*
 * json.h - invgen's own strict JSON reader and writer (RFC 8259), for
 * `invgen order add` (orders come from the chat bot, perhaps from hostile
 * input) and for the one JSON object each command prints with --json.
 *
 * Exports
 *   json_parse() ... json_free()  a strict parser building a read-only tree;
 *   json_get(), json_at(), ...    tree accessors (NULL-safe);
 *   json_int64(), json_decimal()  exact conversion of number lexemes;
 *   json_write_canonical()        compact re-serialisation (order hashing);
 *   jsonw_*()                     a streaming writer over a struct buf.
 * It does no I/O, keeps no global state (safe to call from several threads
 * at once on different documents) and never uses floating point.
 *
 * What the parser accepts: exactly RFC 8259 JSON text, one value with
 * optional whitespace (space, tab, CR, LF) around it.  Refused: trailing
 * commas, comments, single quotes, NaN/Infinity, leading zeros, "1.", ".5",
 * a byte order mark, raw control characters inside strings, any byte
 * sequence that is not valid UTF-8 (overlong forms, encoded surrogates,
 * code points above U+10FFFF, truncated sequences), unpaired \u surrogate
 * escapes, duplicate keys within one object, \u0000 inside an object key
 * (keys are returned as C strings), nesting deeper than JSON_MAX_DEPTH, and
 * input longer than the caller's limit.  \u0000 inside a string value is
 * allowed: string values carry a length.
 *
 * Error handling: json_parse() returns GEN_EINPUT with a message
 *     "JSON: <what> at line L, column C (byte offset B)"
 * Lines and columns start at 1.  A line ends at each LF; the column counts
 * UTF-8 characters (code points), not bytes, so a tab, a CR or an "é" is
 * one column each.  The byte offset starts at 0.  The whole input is
 * checked for valid UTF-8 before the syntax, so an encoding error is
 * reported even when a syntax error comes earlier; likewise a string
 * without its closing quote is "unterminated" (at its opening quote)
 * before any bad escape inside it.  Duplicate keys are
 * checked when their object closes: a syntax error inside that object is
 * reported first.  The accessors' conversion errors are short phrases
 * ("must be an integer between 1 and 1000") for the caller to prefix with
 * the field path (gen_err_prefix).
 *
 * Ownership: the tree returned by json_parse() owns copies of all strings;
 * the input text may be freed right after the call.  Every pointer handed
 * out by an accessor lives until json_free(root).  The tree is never
 * modified after parsing, so several threads may read it at once.
 */
#ifndef INVGEN_JSON_H
#define INVGEN_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "invgen.h"

/* Deepest nesting of arrays and objects the parser accepts ([[1]] is 2). */
#define JSON_MAX_DEPTH 64

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT
};

/* One value of a parsed document; opaque, read it with the accessors. */
struct json;

/*
 * Parse text[0..len) (NUL bytes are data, not a terminator) into a tree.
 * Input longer than max_len bytes is refused before it is read (pass
 * SIZE_MAX for no limit).  On success *out is the root, to be released
 * with json_free(); on failure *out is NULL and err holds the message
 * (GEN_EINPUT), or GEN_EINTERNAL for text == NULL with len > 0.
 */
enum gen_rc json_parse(const char *text, size_t len, size_t max_len,
    struct json **out, struct gen_err *err);

/* Free a tree.  root must be what json_parse() returned, or NULL. */
void json_free(struct json *root);

/* The type of a value; NULL (an absent value) reads as JSON_NULL. */
enum json_type json_type(const struct json *v);

/*
 * The member called key of an object (keys are unique), or NULL if v is
 * NULL, not an object, or has no such member.
 */
const struct json *json_get(const struct json *obj, const char *key);

/* Number of elements of an array or members of an object; 0 otherwise. */
size_t json_len(const struct json *v);

/* Element i of an array, or NULL (not an array, i out of range). */
const struct json *json_at(const struct json *arr, size_t i);

/*
 * Key and value of member i of an object in document order, or NULL (not
 * an object, i out of range).  For rejecting unknown keys.
 */
const char *json_key_at(const struct json *obj, size_t i);
const struct json *json_value_at(const struct json *obj, size_t i);

/*
 * The decoded bytes of a string value, NUL-terminated, with their length
 * in *len (len may be NULL).  The value may itself contain NUL bytes
 * (from \u0000): a caller that needs a C string must check
 * strlen(s) == *len.  NULL (and *len = 0) if v is not a string.
 */
const char *json_str(const struct json *v, size_t *len);

/*
 * 1 if s[0..n) is well-formed UTF-8 (the same rules as the parser's: no
 * overlong forms, surrogates or code points above U+10FFFF).  For text
 * that did not come through the parser (a database column).
 */
int json_utf8_valid(const char *s, size_t n);

/* The number exactly as written ("-0", "12.50", "1E+2"), or NULL. */
const char *json_number_text(const struct json *v);

/*
 * Convert an integer lexeme (no fraction, no exponent: "12.0" and "1e2"
 * are refused) in [min, max] to *out.  GEN_EINPUT otherwise, with a
 * message like "must be an integer between 1 and 1000" (plus ", not a
 * string" and the like for other types, or "is missing; ..." for v ==
 * NULL).  *out is untouched on failure.
 */
enum gen_rc json_int64(const struct json *v, int64_t min, int64_t max,
    int64_t *out, struct gen_err *err);

/*
 * Convert a number to fixed point with scale decimals (0..18), exactly:
 * "12.5" with scale 2 gives 1250.  A value that cannot be represented
 * exactly ("12.505" with scale 2) is refused, never rounded; trailing
 * zeros and exponents are fine when the result is exact ("12.500" and
 * "1.25e1" with scale 2 give 1250, "1e2" with scale 0 gives 100).  The
 * result must lie in [min, max] (in units of 10^-scale); messages show
 * the bounds as decimals: "must be a number between 0.01 and 1000.00",
 * "must have at most 2 decimal places".  GEN_EINTERNAL for a scale out
 * of range.  *out is untouched on failure.
 */
enum gen_rc json_decimal(const struct json *v, int scale, int64_t min,
    int64_t max, int64_t *out, struct gen_err *err);

/*
 * Append v to out as compact canonical JSON: no whitespace, members in
 * document order (not sorted), numbers as their lexemes, strings escaped
 * minimally (only '"', '\\' and U+0000..U+001F; \b \t \n \f \r as short
 * escapes, the rest as \u00XX with lowercase hex).  Parsing the output
 * gives an equal tree, and canonicalising that gives the same bytes.
 * Appends nothing if v is NULL.
 */
void json_write_canonical(const struct json *v, struct buf *out);

/*
 * The writer.  It is a plain value on the caller's stack (hence visible);
 * treat the fields as private.  Calling sequence:
 *
 *     struct buf b = {0};
 *     struct jsonw w;
 *     jsonw_init(&w, &b, 0);
 *     jsonw_object_begin(&w);
 *     jsonw_key(&w, "number"); jsonw_string(&w, "2025-0001");
 *     jsonw_key(&w, "total");  jsonw_raw(&w, "21.00");
 *     jsonw_object_end(&w);
 *     ... b.data, b.len ...
 *     buf_free(&b);
 *
 * Commas are inserted automatically.  Compact output has no whitespace;
 * pretty output puts each member and element on its own line, indented
 * by two spaces, with ": " after keys and "{}"/"[]" for empty containers.
 * No newline is written after the last value; several top-level values
 * are separated by "\n".  Strings are escaped per RFC 8259 ('"', '\\',
 * \b \t \n \f \r, other control characters as \u00XX), and also U+2028
 * and U+2029 (\u2028, \u2029) so the output is safe inside JavaScript;
 * every invalid UTF-8 sequence (maximal subpart, as Unicode recommends) is
 * replaced by U+FFFD, so the output is always valid UTF-8 and valid JSON.
 * Output is byte-for-byte deterministic.  Keys and values must alternate
 * inside objects and every begin needs its end; the writer checks only a
 * little of that (assert), so a caller's structure is the caller's job.
 */
struct jsonw {
	struct buf *out;
	int pretty;
	size_t depth;		/* open containers */
	int has_items;		/* the current container has a value already */
	int after_key;		/* a key was written, its value is next */
};

void jsonw_init(struct jsonw *w, struct buf *out, int pretty);
void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
/* A member's key (a C string); the member's value must follow. */
void jsonw_key(struct jsonw *w, const char *key);
/* A string value; NULL writes null. */
void jsonw_string(struct jsonw *w, const char *s);
/* A string value of len bytes, which may include NUL (written \u0000). */
void jsonw_string_len(struct jsonw *w, const char *s, size_t len);
void jsonw_int(struct jsonw *w, int64_t v);
/*
 * A number written as given, e.g. an amount "21.00" from the money
 * formatter.  A lexeme that is not a valid JSON number (NULL, "1,5",
 * "NaN") is written as null so the output stays valid JSON.
 */
void jsonw_raw(struct jsonw *w, const char *number_lexeme);
/*
 * A value that is JSON text already (one value, written by this writer:
 * a document nested in a booking, an element of a list); NULL writes
 * null.  The text is appended as it is, not checked.
 */
void jsonw_json(struct jsonw *w, const char *json);
void jsonw_bool(struct jsonw *w, int v);
void jsonw_null(struct jsonw *w);

#endif
