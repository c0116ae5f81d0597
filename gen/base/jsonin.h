/*
 * jsonin.h - typed readers for fields of a parsed JSON object, shared by
 * the order and seller-profile importers.  Each reader enforces its type
 * and limits and, on failure, writes one message that starts with the
 * field's path ("[2].payer.address.city: ...") and says what is allowed.
 * A member that is absent or JSON null counts as absent.  No I/O.
 */
#ifndef INVGEN_JSONIN_H
#define INVGEN_JSONIN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "json.h"

/* A path in the JSON tree, for messages: "[2].lines[0].quantity". */
struct jsonin_path {
	char s[160];
};

/* dst = base + formatted suffix. */
void jsonin_path(struct jsonin_path *dst, const struct jsonin_path *base,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Check a text field: valid UTF-8; 1..max_chars code points (0 allowed
 * when !required); no C0/C1 control characters, no line or paragraph
 * separators (U+2028, U+2029), no bidi embedding/override/isolate/mark
 * controls, no invisible format characters other than ZWNJ/ZWJ, no
 * noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF); when required, at
 * least one visible character.  path names the field in the message.
 */
enum gen_rc jsonin_check_text(const char *s, size_t len, size_t max_chars,
    int required, const char *path, struct gen_err *err);

/* Refuse members not in the NULL-terminated allowed list. */
enum gen_rc jsonin_keys(const struct json *obj, const struct jsonin_path *at,
    const char *const *allowed, struct gen_err *err);
/* The member (NULL when absent or null) and its path in *p. */
const struct json *jsonin_member(const struct json *obj,
    const struct jsonin_path *at, const char *key, struct jsonin_path *p);
/* "<path>: missing; <what>" */
enum gen_rc jsonin_missing(const struct jsonin_path *p, const char *what,
    struct gen_err *err);
/* GEN_EINPUT unless v is an object. */
enum gen_rc jsonin_object(const struct json *v, const struct jsonin_path *p,
    struct gen_err *err);

/* Text checked with jsonin_check_text; *out owned, NULL when absent. */
enum gen_rc jsonin_text(const struct json *obj, const struct jsonin_path *at,
    const char *key, int required, size_t max_chars, char **out,
    struct gen_err *err);
/* Integer in [min, max]; *out = 0 when absent and not required. */
enum gen_rc jsonin_int(const struct json *obj, const struct jsonin_path *at,
    const char *key, int required, int64_t min, int64_t max, int64_t *out,
    struct gen_err *err);
/* Required boolean. */
enum gen_rc jsonin_bool(const struct json *obj, const struct jsonin_path *at,
    const char *key, int *out, struct gen_err *err);
/* One of the NULL-terminated values; *out owned. */
enum gen_rc jsonin_enum(const struct json *obj, const struct jsonin_path *at,
    const char *key, int required, const char *const *values, char **out,
    struct gen_err *err);
/* ISO 3166-1 alpha-2 code into out3 (3 bytes) and/or an owned *outp. */
enum gen_rc jsonin_country(const struct json *obj,
    const struct jsonin_path *at, const char *key, int required, char *out3,
    char **outp, struct gen_err *err);
/* RFC 3339 timestamp, normalised to "YYYY-MM-DDTHH:MM:SSZ"; *out owned. */
enum gen_rc jsonin_timestamp(const struct json *obj,
    const struct jsonin_path *at, const char *key, int required, char **out,
    int64_t *epoch, struct gen_err *err);

#endif
