/*
 * jsonin.c - typed JSON field readers with paths in their messages (see
 * jsonin.h).  Text checks decode UTF-8 (which the JSON parser has
 * already validated) with ICU's U8_NEXT, a macro with no call into the
 * ICU library.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "caldate.h"
#include "country.h"
#include "jsonin.h"

/* Characters that draw nothing: blanks, fillers, joiners. */
static int
is_invisible(uint32_t c)
{
	return c == 0x20 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 &&
	    c <= 0x200a) || c == 0x202f || c == 0x205f || c == 0x3000 ||
	    c == 0x200c || c == 0x200d || c == 0x115f || c == 0x1160 ||
	    c == 0x3164 || c == 0xffa0 || c == 0x2800 || c == 0x034f ||
	    (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0xe0100 && c <= 0xe01ef);
}

enum gen_rc
jsonin_check_text(const char *s, size_t len, size_t max_chars, int required,
    const char *path, struct gen_err *err)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t chars = 0, visible = 0, i = 0, at;
	UChar32 c;

	while (i < len) {
		at = i;
		U8_NEXT(p, i, len, c);
		if (c < 0)
			return gen_err_set(err, GEN_EINPUT, "%s: invalid UTF-8 "
			    "at byte %zu", path, at);
		chars++;
		if (c < 0x20 || (c >= 0x7f && c < 0xa0))
			return gen_err_set(err, GEN_EINPUT, "%s: control "
			    "character U+%04X at byte %zu is not allowed", path,
			    (unsigned)c, at);
		if (c == 0x2028 || c == 0x2029)
			return gen_err_set(err, GEN_EINPUT, "%s: line or "
			    "paragraph separator U+%04X at byte %zu is not "
			    "allowed in a one-line field", path, (unsigned)c, at);
		if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
		    || c == 0x200e || c == 0x200f || c == 0x061c)
			return gen_err_set(err, GEN_EINPUT, "%s: bidirectional "
			    "control character U+%04X at byte %zu is not allowed "
			    "(text direction is decided by the renderer)", path,
			    (unsigned)c, at);
		if (c == 0x200b || c == 0x2060 || c == 0xfeff ||
		    (c >= 0x2061 && c <= 0x2064) || c == 0x00ad ||
		    (c >= 0xfff9 && c <= 0xfffb))
			return gen_err_set(err, GEN_EINPUT, "%s: invisible "
			    "character U+%04X at byte %zu is not allowed", path,
			    (unsigned)c, at);
		/* Noncharacters: XML 1.0 cannot carry U+FFFE/U+FFFF, and none
		 * of them belongs in a name. */
		if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
			return gen_err_set(err, GEN_EINPUT, "%s: noncharacter "
			    "U+%04X at byte %zu is not allowed", path, (unsigned)c,
			    at);
		if (!is_invisible(c))
			visible++;
	}
	if (chars > max_chars || (required && chars == 0))
		return gen_err_set(err, GEN_EINPUT, "%s: %zu characters; allowed "
		    "%d to %zu", path, chars, required ? 1 : 0, max_chars);
	if (required && visible == 0)
		return gen_err_set(err, GEN_EINPUT, "%s: must not be blank (only "
		    "spaces or invisible characters)", path);
	return GEN_OK;
}

void
jsonin_path(struct jsonin_path *dst, const struct jsonin_path *base, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	snprintf(dst->s, sizeof(dst->s), "%s", base->s);
	n = strlen(dst->s);
	va_start(ap, fmt);
	vsnprintf(dst->s + n, sizeof(dst->s) - n, fmt, ap);
	va_end(ap);
}

/* Refuse members not in the NULL-terminated allowed list. */
enum gen_rc
jsonin_keys(const struct json *obj, const struct jsonin_path *at,
    const char *const *allowed, struct gen_err *err)
{
	for (size_t i = 0; i < json_len(obj); i++) {
		const char *key = json_key_at(obj, i);
		const char *const *a;
		char list[400] = "";

		for (a = allowed; *a != NULL; a++)
			if (strcmp(key, *a) == 0)
				break;
		if (*a != NULL)
			continue;
		/* the list for the message only: issuing re-reads every
		 * stored order through here */
		for (a = allowed; *a != NULL; a++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
			    "%s%s", a == allowed ? "" : ", ", *a);
		return gen_err_set(err, GEN_EINPUT, "%s%s%.60s: unknown field; "
		    "allowed: %s", at->s, at->s[0] ? "." : "", key, list);
	}
	return GEN_OK;
}

/* The jsonin_member and its path; NULL jsonin_member when absent or JSON null. */
const struct json *
jsonin_member(const struct json *obj, const struct jsonin_path *at, const char *key,
    struct jsonin_path *p)
{
	const struct json *v = json_get(obj, key);

	jsonin_path(p, at, "%s%s", at->s[0] ? "." : "", key);
	return v == NULL || json_type(v) == JSON_NULL ? NULL : v;
}

enum gen_rc
jsonin_missing(const struct jsonin_path *p, const char *what, struct gen_err *err)
{
	return gen_err_set(err, GEN_EINPUT, "%s: missing; %s", p->s, what);
}

/* A text jsonin_member: *out is an owned copy, or NULL when absent/null. */
enum gen_rc
jsonin_text(const struct json *obj, const struct jsonin_path *at, const char *key,
    int required, size_t max_chars, char **out, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);
	const char *s;
	size_t len;
	enum gen_rc rc;

	*out = NULL;
	if (v == NULL) {
		if (!required)
			return GEN_OK;
		return gen_err_set(err, GEN_EINPUT, "%s: missing; must be a "
		    "string of 1 to %zu characters", p.s, max_chars);
	}
	if ((s = json_str(v, &len)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "%s: must be a string of %d "
		    "to %zu characters", p.s, required, max_chars);
	if ((rc = jsonin_check_text(s, len, max_chars, required, p.s, err)) !=
	    GEN_OK)
		return rc;
	if (len == 0)
		return GEN_OK;
	*out = xstrndup(s, len);
	return GEN_OK;
}

enum gen_rc
jsonin_int(const struct json *obj, const struct jsonin_path *at, const char *key,
    int required, int64_t min, int64_t max, int64_t *out, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);

	*out = 0;
	if (v == NULL) {
		if (!required)
			return GEN_OK;
		return gen_err_set(err, GEN_EINPUT, "%s: missing; must be an "
		    "integer between %lld and %lld", p.s, (long long)min,
		    (long long)max);
	}
	if (json_int64(v, min, max, out, err) != GEN_OK)
		return gen_err_prefix(err, "%s: ", p.s);
	return GEN_OK;
}

enum gen_rc
jsonin_bool(const struct json *obj, const struct jsonin_path *at, const char *key,
    int *out, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);

	if (v == NULL)
		return jsonin_missing(&p, "must be true or false", err);
	if (json_type(v) != JSON_TRUE && json_type(v) != JSON_FALSE)
		return gen_err_set(err, GEN_EINPUT, "%s: must be true or false",
		    p.s);
	*out = json_type(v) == JSON_TRUE;
	return GEN_OK;
}

/* A string member that must be one of the NULL-terminated values. */
enum gen_rc
jsonin_enum(const struct json *obj, const struct jsonin_path *at, const char *key,
    int required, const char *const *values, char **out, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);
	char list[200] = "";
	const char *s;
	size_t len;

	*out = NULL;
	for (const char *const *a = values; *a != NULL; a++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%s%s", a == values ? "" : ", ", *a);
	if (v == NULL && !required)
		return GEN_OK;
	if (v == NULL)
		return gen_err_set(err, GEN_EINPUT, "%s: missing; allowed: %s",
		    p.s, list);
	s = json_str(v, &len);
	for (const char *const *a = values; s != NULL && *a != NULL; a++)
		if (strlen(*a) == len && memcmp(*a, s, len) == 0) {
			*out = xstrdup(*a);
			return GEN_OK;
		}
	return gen_err_set(err, GEN_EINPUT, "%s: '%.40s' is not allowed; "
	    "allowed: %s", p.s, s ? s : "(not a string)", list);
}

enum gen_rc
jsonin_country(const struct json *obj, const struct jsonin_path *at, const char *key,
    int required, char *out3, char **outp, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);
	const char *s;
	size_t len;

	if (out3 != NULL)
		out3[0] = '\0';
	if (outp != NULL)
		*outp = NULL;
	if (v == NULL)
		return required ? gen_err_set(err, GEN_EINPUT, "%s: missing; must "
		    "be an ISO 3166-1 alpha-2 country code such as LT", p.s) :
		    GEN_OK;
	s = json_str(v, &len);
	if (s == NULL || len != 2 || !country_is_known(s))
		return gen_err_set(err, GEN_EINPUT, "%s: '%.20s' is not an ISO "
		    "3166-1 alpha-2 country code (two upper-case letters, e.g. "
		    "LT, DE, US)", p.s, s ? s : "(not a string)");
	if (out3 != NULL)
		memcpy(out3, s, 3);
	if (outp != NULL)
		*outp = xstrndup(s, 2);
	return GEN_OK;
}

/* An RFC 3339 timestamp jsonin_member, stored normalised to UTC. */
enum gen_rc
jsonin_timestamp(const struct json *obj, const struct jsonin_path *at, const char *key,
    int required, char **out, int64_t *epoch, struct gen_err *err)
{
	struct jsonin_path p;
	const struct json *v = jsonin_member(obj, at, key, &p);
	char ts[TIMESTAMP_LEN], tmp[48];
	const char *s;
	size_t len;
	int64_t e;

	*out = NULL;
	if (v == NULL)
		return required ? gen_err_set(err, GEN_EINPUT, "%s: missing; must "
		    "be an RFC 3339 timestamp like 2025-08-14T10:22:00Z", p.s) :
		    GEN_OK;
	s = json_str(v, &len);
	if (s == NULL || len >= sizeof(tmp))
		return gen_err_set(err, GEN_EINPUT, "%s: must be an RFC 3339 "
		    "timestamp like 2025-08-14T10:22:00Z", p.s);
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (timestamp_parse(tmp, &e, p.s, err) != GEN_OK)
		return GEN_EINPUT;
	timestamp_format(e, ts);
	*out = xstrdup(ts);
	if (epoch != NULL)
		*epoch = e;
	return GEN_OK;
}

enum gen_rc
jsonin_object(const struct json *v, const struct jsonin_path *p,
    struct gen_err *err)
{
	if (v == NULL || json_type(v) != JSON_OBJECT)
		return gen_err_set(err, GEN_EINPUT, "%s: must be an object",
		    p->s[0] ? p->s : "order");
	return GEN_OK;
}

