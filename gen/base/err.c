/*
 * err.c - error recording (gen_err_set, gen_err_prefix), the exit-status and
 * name tables of enum gen_rc, and the out-of-memory wrappers.  Nothing else
 * in invgen calls exit(); these wrappers do, because a command-line program
 * has nothing sensible left to do when malloc fails.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "err.h"

/*
 * Keep a message one clean line of valid UTF-8 whatever it quotes: control
 * characters become '?', and so does every byte of an invalid or cut
 * UTF-8 sequence (a "%.40s" of user text may end mid-character).  The
 * sequences are decoded with ICU's U8_NEXT, a macro with no call into
 * the ICU library.
 */
static void
sanitize(char *msg)
{
	uint8_t *p = (uint8_t *)msg;
	size_t i = 0, start, n = strlen(msg);
	UChar32 c;

	while (i < n) {
		start = i;
		U8_NEXT(p, i, n, c);
		if (c < 0)		/* ill-formed: each byte */
			memset(p + start, '?', i - start);
		else if (c < 0x20 || c == 0x7f)
			p[start] = '?';
	}
}

/*
 * Words that open the internal messages of a module ("qr: 300 bytes do
 * not fit ...", "verify: 2 problems found") rather than name a field.
 */
static const char *const not_fields[] = { "batch", "canonical", "document",
	"epcqr", "page", "qr", "rf", "scale", "serve", "size", "style",
	"text", "verify", NULL };

static int
field_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * The field a message names: its first word when that is a field path
 * (lower-case letters, digits and '_', with ".name" and "[N]" parts)
 * followed by ':' or " of " ("payer.name: ...", "order_line.description
 * of order B-2, line 1: ..."); "" otherwise, and for failures that are
 * not about the request (storage, I/O, rendering).
 */
static void
derive_field(struct gen_err *err)
{
	const char *m = err->msg;
	size_t i = 0;

	err->field[0] = '\0';
	if (err->rc != GEN_EINPUT && err->rc != GEN_EUSAGE &&
	    err->rc != GEN_ENOTFOUND && err->rc != GEN_ECONFLICT &&
	    err->rc != GEN_ERETRY)
		return;
	if (!(m[0] >= 'a' && m[0] <= 'z') && m[0] != '_')
		return;
	for (;;) {
		while (field_char(m[i]))
			i++;
		if (m[i] == '.' && field_char(m[i + 1]))
			i++;
		else if (m[i] == '[' && m[i + 1] >= '0' && m[i + 1] <= '9') {
			i++;
			while (m[i] >= '0' && m[i] <= '9')
				i++;
			if (m[i] != ']')
				return;
			i++;
		} else
			break;
	}
	if ((m[i] != ':' && strncmp(m + i, " of ", 4) != 0) ||
	    i >= sizeof(err->field))
		return;
	for (size_t k = 0; not_fields[k] != NULL; k++)
		if (strlen(not_fields[k]) == i &&
		    strncmp(m, not_fields[k], i) == 0)
			return;
	memcpy(err->field, m, i);
	err->field[i] = '\0';
}

enum gen_rc
gen_err_set(struct gen_err *err, enum gen_rc rc, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return rc;
	err->rc = rc;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	sanitize(err->msg);
	derive_field(err);
	return rc;
}

enum gen_rc
gen_err_prefix(struct gen_err *err, const char *fmt, ...)
{
	char old[sizeof(err->msg)];
	size_t n, keep;
	va_list ap;
	int len;

	if (err == NULL)
		return GEN_OK;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	len = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	n = len < 0 ? 0 : (size_t)len;
	if (n >= sizeof(err->msg) - 1)
		return err->rc;		/* the prefix alone fills it */
	/* Append the old message after the prefix, truncated to fit. */
	keep = strnlen(old, sizeof(old) - 1);
	if (keep > sizeof(err->msg) - 1 - n)
		keep = sizeof(err->msg) - 1 - n;
	memcpy(err->msg + n, old, keep);
	err->msg[n + keep] = '\0';
	sanitize(err->msg);
	return err->rc;
}

enum gen_rc
gen_err_field(struct gen_err *err, const char *field, enum gen_rc rc)
{
	if (err == NULL)
		return rc;
	snprintf(err->field, sizeof(err->field), "%s", field);
	return rc;
}

void
gen_err_clear(struct gen_err *err)
{
	if (err == NULL)
		return;
	err->rc = GEN_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}

const char *
invgen_rc_name(enum gen_rc rc)
{
	switch (rc) {
	case GEN_OK:       return "ok";
	case GEN_EINPUT:   return "refused input";
	case GEN_EUSAGE:   return "usage";
	case GEN_ENOTFOUND: return "not found";
	case GEN_ECONFLICT: return "conflict";
	case GEN_EDB:      return "database";
	case GEN_EIO:      return "i/o";
	case GEN_EPDF:     return "pdf";
	case GEN_EXML:     return "xml";
	case GEN_EICU:     return "icu";
	case GEN_EINTERNAL: return "internal";
	case GEN_ERETRY:   return "retry later";
	}
	return "unknown";
}

const char *
invgen_rc_kind(enum gen_rc rc)
{
	switch (rc) {
	case GEN_OK:       return "ok";
	case GEN_EINPUT:   return "input";
	case GEN_EUSAGE:   return "usage";
	case GEN_ENOTFOUND: return "not_found";
	case GEN_ECONFLICT: return "conflict";
	case GEN_EDB:      return "database";
	case GEN_EIO:      return "io";
	case GEN_EPDF:     return "pdf";
	case GEN_EXML:     return "xml";
	case GEN_EICU:     return "icu";
	case GEN_EINTERNAL: return "internal";
	case GEN_ERETRY:   return "retry";
	}
	return "unknown";
}

int
invgen_rc_exit_status(enum gen_rc rc)
{
	switch (rc) {
	case GEN_OK:
		return 0;
	case GEN_EINPUT:
	case GEN_ENOTFOUND:
	case GEN_ECONFLICT:
		return 1;
	case GEN_EUSAGE:
		return 2;
	case GEN_EDB:
	case GEN_EIO:
	case GEN_EPDF:
	case GEN_EXML:
	case GEN_EICU:
	case GEN_EINTERNAL:
	case GEN_ERETRY:
		return 3;
	}
	return 3;
}

static void
oom(size_t n)
{
	fprintf(stderr, "invgen: out of memory allocating %zu bytes\n", n);
	exit(3);
}

void
xfatal(const char *what)
{
	fprintf(stderr, "invgen: %s\n", what);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

void *
xgrow(void *p, size_t n, size_t *cap, size_t first, size_t size)
{
	size_t c;

	if (n < *cap)
		return p;
	c = *cap > 0 ? *cap * 2 : first;
	if (c <= *cap || c > SIZE_MAX / size)
		oom(SIZE_MAX);
	*cap = c;
	return xrealloc(p, c * size);
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
