/*
 * i18n.c - message catalogues and ICU formatting for invoices; see
 * i18n.h for the contract (tags, message syntax, thread safety).
 *
 * Exports the i18n_* functions of i18n.h and nothing else.  Must not read
 * the environment, call setlocale(), rely on ICU's default locale or time
 * zone, or turn money into floating point.
 *
 * ICU conventions translated here: every UErrorCode starts at U_ZERO_ERROR,
 * U_FAILURE() becomes GEN_EICU with u_errorName() in the message; warnings
 * (U_USING_DEFAULT_WARNING for a locale ICU serves from a parent) are not
 * failures.  ICU writes UTF-16; everything leaving this file is UTF-8.
 * Every number formatter rounds with UNUM_ROUND_UNNECESSARY, so a value
 * that would need rounding is an error (U_FORMAT_INEXACT_ERROR), never a
 * silently changed amount.
 *
 * Layout: small helpers and the ICU objects created on first use; the
 * message formatter (mf_*); catalogue files (cat_*); tags and opening;
 * labels and messages; numbers, amounts, dates, countries, currencies.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unicode/uchar.h>
#include <unicode/icudataver.h>
#include <unicode/ucurr.h>
#include <unicode/udat.h>
#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/ulocdata.h>
#include <unicode/unum.h>
#include <unicode/unumsys.h>
#include <unicode/upluralrules.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>
#include <unicode/utf8.h>

#include "ascii.h"
#include "err.h"
#include "i18n.h"
#include "memhash.h"
#include "tls.h"

/* Limits that keep a bad file or pattern from costing much. */
#define CAT_MAX_BYTES	(1024 * 1024)
#define KEY_MAX		64
#define MF_MAX_DEPTH	8
#define MF_MAX_BRANCHES	16
#define MF_MAX_NAMES	16
#define MF_MAX_PLURALS	8
#define NUM_MAX		((int64_t)1 << 53)
#define CUR_SLOTS	4

/* One "key = value" line of a catalogue. */
struct centry {
	const char *key;
	const char *val;
	unsigned line;
};

/* A parsed catalogue file; keys and values point into data. */
struct cat {
	char *path;
	char *data;
	struct centry *e;	/* file order */
	struct centry **sorted;	/* by key, for lookup */
	size_t n;
};

struct i18n {
	char tag[2 * I18N_TAG_MAX + 2];	/* canonical: "lt", "lt+en" */
	char locale[ULOC_FULLNAME_CAPACITY]; /* ICU ID: "de_AT" */
	/* The ICU ID of words: country names, month names and date patterns;
	 * "en" for a language without a catalogue opened with
	 * I18N_ENGLISH_WITHOUT_CATALOGUE, else locale. */
	char text_locale[ULOC_FULLNAME_CAPACITY];
	char lang[ULOC_LANG_CAPACITY];	/* language subtag: "de" */
	struct cat *cat;	/* the language's catalogue, or NULL */
	struct cat *en;		/* en.txt: fallback labels */
	struct cat *own[2];	/* the catalogues this object frees */
	/*
	 * ICU objects, created on first use (so that opening stays cheap)
	 * and then reused; this is why formatting is single-threaded.
	 */
	UPluralRules *plural;	/* the language's plural rules */
	UPluralRules *plural_en; /* for patterns that fell back to en.txt */
	UNumberFormat *num;	/* plain decimals, integers */
	UNumberFormat *pct;	/* percentages */
	UDateFormat *date;	/* long date, Gregorian, UTC */
	struct longdate *longdate; /* the same, expanded here: see below */
	int longdate_state;	/* 0: not tried; 1: longdate; -1: date */
	struct {		/* currency formatters, one per recent code */
		char code[4];
		UNumberFormat *f;
	} cur[CUR_SLOTS];
	unsigned cur_next;	/* the slot to reuse next */
	struct textslot *nm;	/* NUM_MEMO numbers formatted before */
	struct i18n *second;	/* bilingual: the secondary language */
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

/*
 * Create *slot on first use: a number formatter of the given style for
 * the object's locale that refuses to round.  Returns NULL (with err
 * set) when ICU fails.
 */
static UNumberFormat *
get_unum(struct i18n *i, UNumberFormat **slot, UNumberFormatStyle style,
    struct gen_err *err)
{
	UErrorCode st = U_ZERO_ERROR;

	if (*slot != NULL)
		return *slot;
	*slot = unum_open(style, NULL, 0, i->locale, NULL, &st);
	if (U_FAILURE(st)) {
		if (*slot != NULL)
			unum_close(*slot);
		*slot = NULL;
		gen_err_set(err, GEN_EICU, "number format for %s: %s",
		    i->locale, u_errorName(st));
		return NULL;
	}
	unum_setAttribute(*slot, UNUM_ROUNDING_MODE, UNUM_ROUND_UNNECESSARY);
	return *slot;
}

/* The plural rules of the locale (en = 0) or of English (en = 1). */
static const UPluralRules *
get_rules(struct i18n *i, int en, struct gen_err *err)
{
	UPluralRules **slot = en ? &i->plural_en : &i->plural;
	UErrorCode st = U_ZERO_ERROR;

	if (*slot != NULL)
		return *slot;
	*slot = uplrules_open(en ? "en" : i->locale, &st);
	if (U_FAILURE(st)) {
		if (*slot != NULL)
			uplrules_close(*slot);
		*slot = NULL;
		gen_err_set(err, GEN_EICU, "plural rules for %s: %s",
		    en ? "en" : i->locale, u_errorName(st));
		return NULL;
	}
	return *slot;
}

/* The long date formatter: Gregorian calendar whatever the locale's
 * default, UTC. */
static const UDateFormat *
get_date(struct i18n *i, struct gen_err *err)
{
	char dloc[ULOC_FULLNAME_CAPACITY];
	UErrorCode st = U_ZERO_ERROR;

	if (i->date != NULL)
		return i->date;
	memcpy(dloc, i->text_locale, sizeof(dloc));
	uloc_setKeywordValue("calendar", "gregorian", dloc, sizeof(dloc),
	    &st);
	if (U_SUCCESS(st))
		i->date = udat_open(UDAT_NONE, UDAT_LONG, dloc, u"UTC", -1,
		    NULL, 0, &st);
	if (U_FAILURE(st)) {
		if (i->date != NULL)
			udat_close(i->date);
		i->date = NULL;
		gen_err_set(err, GEN_EICU, "date format for %s: %s",
		    i->text_locale, u_errorName(st));
		return NULL;
	}
	return i->date;
}

/*
 * Long dates without a SimpleDateFormat.  Creating one costs ~0.9 ms in a
 * fresh process (calendar, time zone, symbols, a number formatter): most
 * of the ICU time of a payment order, which the bot waits for.  ICU's own
 * data gives the locale's Gregorian long-date pattern (DateTimePatterns
 * item 5, which is what UDAT_LONG reads) and its month names; a pattern
 * made only of y, M, d and literal text, in a locale that writes the
 * digits 0-9, is expanded here to what udat_format() gives (test-i18n
 * compares the two for 338,100 dates across every ICU locale; 497 of
 * 805 take this path).  Any other pattern (an
 * era, a weekday, an abbreviated month, an override) or any lookup that
 * fails leaves the date to the SimpleDateFormat, as before.
 */
#define LONGDATE_PATTERN_MAX	64
#define LONGDATE_MONTH_MAX	32

struct longdate {
	UChar pattern[LONGDATE_PATTERN_MAX];
	int32_t plen;
	UChar month[12][LONGDATE_MONTH_MAX];	/* format context, wide */
	int32_t mlen[12];
};

/*
 * The token of date pattern p (n units) at *k, moving *k past it: a field
 * letter repeated *w times (returned), or literal text (returns 0; *lit
 * and *w are its units: 'quoted text', '' for a quote, or any other
 * single unit).  -1 for a quote that is never closed.
 */
static int
longdate_token(const UChar *p, int32_t n, int32_t *k, const UChar **lit,
    int32_t *w)
{
	static const UChar quote = '\'';
	UChar c = p[*k];
	int32_t e;

	*w = 1;
	if (c == '\'' && *k + 1 < n && p[*k + 1] == '\'') {
		*lit = &quote;
		*k += 2;
		return 0;
	}
	if (c == '\'') {
		for (e = *k + 1; e < n && p[e] != '\''; e++)
			;
		if (e == n)
			return -1;
		*lit = p + *k + 1;
		*w = e - *k - 1;
		*k = e + 1;
		return 0;
	}
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
		*lit = p + (*k)++;
		return 0;
	}
	while (*k + *w < n && p[*k + *w] == c)
		(*w)++;
	*k += *w;
	return c;
}

/* Whether pattern p (n units) uses only fields longdate_format() can
 * expand: y of width 1..4, M/L of width 1, 2 or 4, d of width 1 or 2. */
static int
longdate_pattern_ok(const UChar *p, int32_t n)
{
	const UChar *lit;
	int32_t k = 0, w;
	int c;

	while (k < n) {
		if ((c = longdate_token(p, n, &k, &lit, &w)) < 0)
			return 0;
		if (c != 0 && !((c == 'y' && w <= 4) || ((c == 'M' ||
		    c == 'L') && (w <= 2 || w == 4)) || (c == 'd' && w <= 2)))
			return 0;
	}
	return 1;
}

/* Copy a resource string of at most cap - 1 units; 0 when it is not
 * there or longer. */
static int32_t
longdate_copy(const UChar *s, int32_t len, UErrorCode st, UChar *dst,
    int32_t cap)
{
	if (U_FAILURE(st) || s == NULL || len <= 0 || len >= cap)
		return 0;
	memcpy(dst, s, (size_t)len * sizeof(*dst));
	return len;
}

/* The resource at the '/'-separated path under rb, into r (reused).  Only
 * the first key may come from a parent locale's bundle (ures_getByKey on
 * a bundle); the rest is looked up inside what that key found. */
static UResourceBundle *
longdate_find(const UResourceBundle *rb, const char *path,
    UResourceBundle *r, UErrorCode *st)
{
	char key[64];
	const char *p = path, *slash;

	while (U_SUCCESS(*st) && *p != '\0') {
		slash = strchr(p, '/');
		snprintf(key, sizeof(key), "%.*s", slash ? (int)(slash - p) :
		    (int)strlen(p), p);
		r = ures_getByKey(p == path ? rb : r, key, r, st);
		p = slash ? slash + 1 : p + strlen(p);
	}
	return r;
}

/*
 * Fill ld for locale; 1 if the fast path applies, 0 if not.  The pattern
 * and the month names must both be in the most specific "calendar" table
 * of the locale's chain (what ICU's fallback finds first too); when
 * either is inherited from further up, ICU's formatter is used.
 */
static int
longdate_load(const char *locale, struct longdate *ld)
{
	UErrorCode st = U_ZERO_ERROR;
	UNumberingSystem *ns;
	UResourceBundle *rb, *r = NULL;
	const UChar *s;
	int32_t len = 0;
	int ok = 0;

	/* keywords (@numbers=..., @calendar=...) change what udat does */
	if (strchr(locale, '@') != NULL)
		return 0;
	ns = unumsys_open(locale, &st);
	if (U_FAILURE(st) || strcmp(unumsys_getName(ns), "latn") != 0) {
		unumsys_close(ns);
		return 0;
	}
	unumsys_close(ns);
	rb = ures_open(NULL, locale, &st);
	r = longdate_find(rb, "calendar/gregorian/DateTimePatterns", r, &st);
	/* an item that is an array carries a numbering override */
	s = ures_getStringByIndex(r, 5, &len, &st);
	if ((ld->plen = longdate_copy(s, len, st, ld->pattern,
	    LONGDATE_PATTERN_MAX)) == 0 ||
	    !longdate_pattern_ok(ld->pattern, ld->plen))
		goto out;
	r = longdate_find(rb, "calendar/gregorian/monthNames/format/wide", r,
	    &st);
	if (U_FAILURE(st) || ures_getSize(r) != 12)
		goto out;
	for (int m = 0; m < 12; m++) {
		s = ures_getStringByIndex(r, m, &len, &st);
		if ((ld->mlen[m] = longdate_copy(s, len, st, ld->month[m],
		    LONGDATE_MONTH_MAX)) == 0)
			goto out;
	}
	ok = 1;
out:
	ures_close(r);
	ures_close(rb);
	return ok;
}

/* Append n units of s to u (cap units, *o used); 0 if they do not fit. */
static int
longdate_put(UChar *u, int32_t *o, int32_t cap, const UChar *s, int32_t n)
{
	if (n > cap - *o)
		return 0;
	memcpy(u + *o, s, (size_t)n * sizeof(*u));
	*o += n;
	return 1;
}

/* Append v (0..9999) in at least w (1..4) digits 0-9; 0 if it does not
 * fit. */
static int
longdate_number(UChar *u, int32_t *o, int32_t cap, int v, int w)
{
	UChar d[4];
	int32_t n = 0;

	for (int x = v; n < 4 && (x > 0 || n < w); x /= 10)
		d[3 - n++] = (UChar)('0' + x % 10);
	return longdate_put(u, o, cap, d + 4 - n, n);
}

/* Expand the pattern for y-m-d (a valid date, y 1583..9999); the length
 * in units, or -1 if cap is too small.  The pattern passed
 * longdate_pattern_ok(). */
static int32_t
longdate_format(const struct longdate *ld, int y, int m, int d, UChar *u,
    int32_t cap)
{
	const UChar *lit;
	int32_t k = 0, o = 0, w;
	int ok = 1, c;

	while (k < ld->plen && ok) {
		c = longdate_token(ld->pattern, ld->plen, &k, &lit, &w);
		if (c < 0)
			ok = 0;
		else if (c == 0)
			ok = longdate_put(u, &o, cap, lit, w);
		else if (c == 'y')
			ok = longdate_number(u, &o, cap, w == 2 ? y % 100 : y, w);
		else if (c == 'd')
			ok = longdate_number(u, &o, cap, d, w);
		else if (w <= 2)
			ok = longdate_number(u, &o, cap, m, w);
		else
			ok = longdate_put(u, &o, cap, ld->month[m - 1],
			    ld->mlen[m - 1]);
	}
	return ok ? o : -1;
}

/*
 * A currency formatter set to code: a slot that has it, an empty slot,
 * or the least recently filled one, switched to code (switching costs
 * about as much as a new formatter, so a document alternating between
 * its currency and EUR keeps one formatter for each).
 */
static UNumberFormat *
get_currency(struct i18n *i, const char *code, struct gen_err *err)
{
	UChar u[4];
	UErrorCode st = U_ZERO_ERROR;
	unsigned k;

	for (k = 0; k < CUR_SLOTS; k++)
		if (i->cur[k].f != NULL && strcmp(i->cur[k].code, code) == 0)
			return i->cur[k].f;
	for (k = 0; k < CUR_SLOTS && i->cur[k].f != NULL; k++)
		;
	if (k == CUR_SLOTS)
		k = i->cur_next++ % CUR_SLOTS;
	i->cur[k].code[0] = '\0';
	if (get_unum(i, &i->cur[k].f, UNUM_CURRENCY, err) == NULL)
		return NULL;
	u_charsToUChars(code, u, 4);
	unum_setTextAttribute(i->cur[k].f, UNUM_CURRENCY_CODE, u, 3, &st);
	if (U_FAILURE(st)) {
		gen_err_set(err, GEN_EICU, "currency %s: %s", code,
		    u_errorName(st));
		return NULL;
	}
	memcpy(i->cur[k].code, code, 4);
	return i->cur[k].f;
}

/* Append n UTF-16 units to out as UTF-8. */
static enum gen_rc
put_u16(struct buf *out, const UChar *u, int32_t n, struct gen_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t got = 0;

	buf_grow(out, (size_t)n * 3);
	u_strToUTF8(out->data + out->len, n * 3 + 1, &got, u, n, &st);
	if (U_FAILURE(st))
		return gen_err_set(err, GEN_EICU, "UTF-16 to UTF-8: %s",
		    u_errorName(st));
	out->len += (size_t)got;
	out->data[out->len] = '\0';
	return GEN_OK;
}

/* An ICU call that writes UTF-16 into (u, cap) and returns the length. */
typedef int32_t (*u16_fn)(const void *ctx, UChar *u, int32_t cap,
    UErrorCode *st);

/*
 * Run fn into a stack buffer, again into a heap buffer of the size it
 * asked for when that was too small, and append the result to out.
 * what names the operation in the error message.
 */
static enum gen_rc
icu_to_buf(u16_fn fn, const void *ctx, struct buf *out, const char *what,
    struct gen_err *err)
{
	UChar small[128], *u = small, *big = NULL;
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;
	enum gen_rc rc;

	n = fn(ctx, small, (int32_t)(sizeof(small) / sizeof(small[0])), &st);
	if (st == U_BUFFER_OVERFLOW_ERROR && n > 0) {
		big = xmalloc(((size_t)n + 1) * sizeof(*big));
		st = U_ZERO_ERROR;
		n = fn(ctx, big, n + 1, &st);
		u = big;
	}
	if (U_FAILURE(st))
		rc = gen_err_set(err, GEN_EICU, "%s: %s", what,
		    u_errorName(st));
	else
		rc = put_u16(out, u, n, err);
	free(big);
	return rc;
}

struct num_ctx {
	const UNumberFormat *f;
	const char *dec;
};

static int32_t
num_fn(const void *ctx, UChar *u, int32_t cap, UErrorCode *st)
{
	const struct num_ctx *c = ctx;

	return unum_formatDecimal(c->f, c->dec, -1, u, cap, NULL, st);
}

/*
 * Write v * 10^-scale as a plain decimal string ("-1234.05") into s,
 * which must hold 40 bytes.  Exact for every int64_t (INT64_MIN too).
 */
static void
dec_string(int64_t v, int scale, char *s, size_t cap)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t p = 1;
	int k;

	for (k = 0; k < scale; k++)
		p *= 10;
	if (scale == 0)
		snprintf(s, cap, "%s%" PRIu64, v < 0 ? "-" : "", a);
	else
		snprintf(s, cap, "%s%" PRIu64 ".%0*" PRIu64, v < 0 ? "-" : "",
		    a / p, scale, a % p);
}

/*
 * Texts kept by key: the numbers a language object formatted and the
 * country names a thread looked up (below).  Direct-mapped by memhash,
 * the newest text wins a slot; keys are short (a longer one is not
 * kept).
 */
struct textslot {
	char	 key[64];
	char	*text;
};

/* The slot of tab[0..n) for key (shorter than its size); *hit is 1 when
 * it holds key's text. */
static struct textslot *
textslot_find(struct textslot *tab, size_t n, const char *key, int *hit)
{
	struct textslot *t = &tab[memhash(key, strlen(key), 0) % n];

	*hit = t->text != NULL && strcmp(t->key, key) == 0;
	return t;
}

/* Keep text as key's in slot t, in place of what it held. */
static void
textslot_keep(struct textslot *t, const char *key, const char *text)
{
	free(t->text);
	t->text = xstrdup(text);
	snprintf(t->key, sizeof(t->key), "%s", key);
}

static void
textslots_free(struct textslot *tab, size_t n)
{
	if (tab != NULL)
		for (size_t k = 0; k < n; k++)
			free(tab[k].text);
	free(tab);
}

/*
 * Numbers an object formatted before, by what formats them (kind: "n" a
 * plain number, "%" a percentage, a currency code an amount), their
 * fraction digits and their decimal string ("EUR|2|2|1234.50"): an
 * invoice formats the same prices, rates and totals again and again, and
 * ICU's formatting was 3 % of a batch.  The text depends on nothing else
 * (the object's locale is fixed, and a formatter gives the same text
 * whatever it formatted before), so a hit is the text ICU would give.
 */
#define NUM_MEMO 256

/*
 * Format the decimal string dec with f (of kind, see above), showing
 * between minfrac and maxfrac fraction digits, and append it to out.
 */
static enum gen_rc
fmt_number(struct i18n *i, UNumberFormat *f, const char *kind,
    const char *dec, int minfrac, int maxfrac, struct buf *out,
    const char *what, struct gen_err *err)
{
	struct num_ctx c = { f, dec };
	struct textslot *t = NULL;
	char key[sizeof(t->key)];
	size_t start = out->len, kl = strlen(kind), dl = strlen(dec);
	int hit = 0;
	enum gen_rc rc;

	/* kind|minfrac|maxfrac|dec; the digits are 0..9 */
	if (kl + dl + 7 <= sizeof(key) && minfrac >= 0 && minfrac <= 9 &&
	    maxfrac >= 0 && maxfrac <= 9) {
		memcpy(key, kind, kl);
		memcpy(key + kl, "|0|0|", 5);
		key[kl + 1] = (char)('0' + minfrac);
		key[kl + 3] = (char)('0' + maxfrac);
		memcpy(key + kl + 5, dec, dl + 1);
		if (i->nm == NULL)
			i->nm = xcalloc(NUM_MEMO, sizeof(*i->nm));
		t = textslot_find(i->nm, NUM_MEMO, key, &hit);
		if (hit) {
			buf_puts(out, t->text);
			return GEN_OK;
		}
	}
	unum_setAttribute(f, UNUM_MIN_FRACTION_DIGITS, minfrac);
	unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, maxfrac);
	rc = icu_to_buf(num_fn, &c, out, what, err);
	if (rc == GEN_OK && t != NULL)
		textslot_keep(t, key, out->data + start);
	return rc;
}

/* Restore out to length len (undo a partial append). */
static void
buf_truncate(struct buf *out, size_t len)
{
	if (out->data != NULL && out->len > len) {
		out->len = len;
		out->data[len] = '\0';
	}
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parse a calendar date "YYYY-MM-DD" (years 1583..9999, the Gregorian
 * era) into days since 1970-01-01.  field names the input in messages.
 */
static enum gen_rc
parse_date(const char *iso, const char *field, int64_t *days,
    struct gen_err *err)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int64_t y, m, d, era, yoe, doy, doe;
	int k, dim;

	if (iso == NULL)
		return gen_err_set(err, GEN_EINPUT, "%s: missing; allowed: "
		    "a date YYYY-MM-DD", field);
	for (k = 0; k < 10; k++) {
		if (k == 4 || k == 7 ? iso[k] != '-' : !ascii_is_digit(iso[k]))
			break;
	}
	if (k < 10 || iso[10] != '\0')
		return gen_err_set(err, GEN_EINPUT, "%s: '%.20s' is not a date;"
		    " allowed: YYYY-MM-DD", field, iso);
	y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 +
	    (iso[2] - '0') * 10 + (iso[3] - '0');
	m = (iso[5] - '0') * 10 + (iso[6] - '0');
	d = (iso[8] - '0') * 10 + (iso[9] - '0');
	if (y < 1583)
		return gen_err_set(err, GEN_EINPUT, "%s: year %d is out of "
		    "range; allowed 1583..9999", field, (int)y);
	if (m < 1 || m > 12)
		return gen_err_set(err, GEN_EINPUT, "%s: month %02d in '%s' is "
		    "out of range; allowed 01..12", field, (int)m, iso);
	dim = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	if (d < 1 || d > dim)
		return gen_err_set(err, GEN_EINPUT, "%s: day %02d in '%s' does "
		    "not exist; allowed 01..%02d", field, (int)d, iso, dim);
	/* Days from civil (proleptic Gregorian), integer arithmetic. */
	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return GEN_OK;
}

/* Is code three capital ASCII letters? */
static int
currency_wellformed(const char *code)
{
	return code != NULL && code[0] >= 'A' && code[0] <= 'Z' &&
	    code[1] >= 'A' && code[1] <= 'Z' && code[2] >= 'A' &&
	    code[2] <= 'Z' && code[3] == '\0';
}

/* ------------------------------------------------------------------ */
/* Message formatter                                                   */

enum mf_kind {
	MF_ANY,		/* {name}: string or integer */
	MF_INT,		/* number, plural */
	MF_STR		/* select */
};

static const char *const plural_kw[] = {
	"zero", "one", "two", "few", "many", "other"
};
#define PLURAL_NKW (sizeof(plural_kw) / sizeof(plural_kw[0]))

struct mf_name {
	const char *p;
	size_t len;
	enum mf_kind kind;
};

/* One formatting (or checking) run over one pattern. */
struct mf {
	struct i18n *i;		/* formatters; NULL when only checking */
	const UPluralRules *rules; /* of the pattern's language */
	const char *key;	/* for messages */
	const char *start;	/* the whole pattern, for offsets */
	const struct i18n_arg *args;
	size_t nargs;
	struct buf *out;	/* NULL when only checking */
	struct gen_err *err;
	/* Filled when checking: argument names and plural keyword masks. */
	struct mf_name names[MF_MAX_NAMES];
	size_t nnames;
	unsigned plurals[MF_MAX_PLURALS];
	size_t nplurals;
};

static enum gen_rc mf_msg(struct mf *, const char **, const char *, int,
    int, const char *, int);

static enum gen_rc
mf_syntax(struct mf *m, const char *at, const char *what)
{
	return gen_err_set(m->err, GEN_EINPUT, "%s: message syntax: %s at "
	    "byte %td", m->key, what, at - m->start);
}

static void
mf_put(struct mf *m, int emit, const char *s, size_t n)
{
	if (emit && m->out != NULL)
		buf_append(m->out, s, n);
}

static void
skip_ws(const char **pp, const char *end)
{
	while (*pp < end && (is_blank(**pp) || **pp == '\n'))
		(*pp)++;
}

/* Remember an argument name (checking only); kind conflicts are errors. */
static enum gen_rc
mf_name(struct mf *m, const char *p, size_t len, enum mf_kind kind)
{
	size_t k;

	if (m->out != NULL)
		return GEN_OK;
	for (k = 0; k < m->nnames; k++) {
		struct mf_name *n = &m->names[k];

		if (n->len != len || memcmp(n->p, p, len) != 0)
			continue;
		if (n->kind != MF_ANY && kind != MF_ANY && n->kind != kind)
			return gen_err_set(m->err, GEN_EINPUT, "%s: argument "
			    "'%.*s' is used both as a string and as a number",
			    m->key, (int)len, p);
		if (n->kind == MF_ANY)
			n->kind = kind;
		return GEN_OK;
	}
	if (m->nnames == MF_MAX_NAMES)
		return gen_err_set(m->err, GEN_EINPUT, "%s: more than %d "
		    "argument names", m->key, MF_MAX_NAMES);
	m->names[m->nnames++] = (struct mf_name){ p, len, kind };
	return GEN_OK;
}

/* Find the caller's argument for a name (a position when numeric). */
static const struct i18n_arg *
mf_lookup(const struct mf *m, const char *p, size_t len)
{
	size_t k, idx = 0;

	if (ascii_is_digit(p[0])) {
		for (k = 0; k < len && idx < 1000; k++)
			idx = idx * 10 + (size_t)(p[k] - '0');
		return idx < m->nargs ? &m->args[idx] : NULL;
	}
	for (k = 0; k < m->nargs; k++) {
		const char *n = m->args[k].name;

		if (n != NULL && strncmp(n, p, len) == 0 && n[len] == '\0')
			return &m->args[k];
	}
	return NULL;
}

/* Look up an argument for emission and check its type. */
static enum gen_rc
mf_arg_value(struct mf *m, const char *p, size_t len, enum mf_kind kind,
    const struct i18n_arg **out)
{
	const struct i18n_arg *a = mf_lookup(m, p, len);

	if (a == NULL)
		return gen_err_set(m->err, GEN_EINPUT, "%s: argument '%.*s' "
		    "not supplied", m->key, (int)len, p);
	if (a->type == I18N_ARG_INT) {
		if (kind == MF_STR)
			return gen_err_set(m->err, GEN_EINPUT, "%s: argument "
			    "'%.*s' must be a string", m->key, (int)len, p);
		if (a->num > NUM_MAX || a->num < -NUM_MAX)
			return gen_err_set(m->err, GEN_EINPUT, "%s: argument "
			    "'%.*s' = %" PRId64 " is out of range; allowed "
			    "-2^53..2^53", m->key, (int)len, p, a->num);
	} else if (a->type == I18N_ARG_STR) {
		if (kind == MF_INT)
			return gen_err_set(m->err, GEN_EINPUT, "%s: argument "
			    "'%.*s' must be an integer", m->key, (int)len, p);
		if (a->str == NULL)
			return gen_err_set(m->err, GEN_EINPUT, "%s: argument "
			    "'%.*s' is a NULL string", m->key, (int)len, p);
	} else {
		return gen_err_set(m->err, GEN_EINPUT, "%s: argument '%.*s' "
		    "has no valid type", m->key, (int)len, p);
	}
	*out = a;
	return GEN_OK;
}

/* Format an integer argument for the locale into out. */
static enum gen_rc
mf_int(struct mf *m, int64_t v, struct buf *out)
{
	char dec[40];

	dec_string(v, 0, dec, sizeof(dec));
	if (get_unum(m->i, &m->i->num, UNUM_DECIMAL, m->err) == NULL)
		return GEN_EICU;
	return fmt_number(m->i, m->i->num, "n", dec, 0, 0, out, m->key,
	    m->err);
}

/* One branch of a plural or select argument. */
struct mf_branch {
	const char *sel;
	size_t sellen;
	const char *b, *e;	/* the sub-message */
};

/*
 * Parse the branches of a plural (plural = 1) or select argument after
 * its "type," up to and including the closing brace, and emit the chosen
 * one when a (the argument) is not NULL.
 */
static enum gen_rc
mf_branches(struct mf *m, const char **pp, const char *end, int depth,
    int plural, const struct i18n_arg *a)
{
	struct mf_branch br[MF_MAX_BRANCHES];
	const struct mf_branch *pick = NULL, *other = NULL;
	const char *p = *pp, *q;
	size_t nb = 0, k;
	unsigned mask = 0;
	enum gen_rc rc;

	for (;;) {
		const char *sel;
		size_t sellen;

		skip_ws(&p, end);
		if (p >= end)
			return mf_syntax(m, p, "unterminated argument");
		if (*p == '}') {
			p++;
			break;
		}
		sel = p;
		if (*p == '=') {
			p++;
			while (p < end && ascii_is_digit(*p) && p - sel < 19)
				p++;
			if (!plural || p - sel < 2)
				return mf_syntax(m, sel, "'=' must be followed "
				    "by digits, in a plural only");
		} else {
			while (p < end && (ascii_is_alpha(*p) ||
			    ascii_is_digit(*p) || *p == '_' || *p == '-'))
				p++;
		}
		sellen = (size_t)(p - sel);
		if (sellen == 0)
			return mf_syntax(m, sel, "selector expected");
		if (plural && sel[0] != '=') {
			for (k = 0; k < PLURAL_NKW; k++)
				if (strlen(plural_kw[k]) == sellen &&
				    memcmp(plural_kw[k], sel, sellen) == 0)
					break;
			if (k == PLURAL_NKW)
				return mf_syntax(m, sel, "plural keyword "
				    "unknown (allowed: zero, one, two, few, "
				    "many, other, =N)");
			mask |= 1u << k;
		}
		for (k = 0; k < nb; k++)
			if (br[k].sellen == sellen &&
			    memcmp(br[k].sel, sel, sellen) == 0)
				return mf_syntax(m, sel, "duplicate selector");
		if (nb == MF_MAX_BRANCHES)
			return mf_syntax(m, sel, "too many branches");
		skip_ws(&p, end);
		if (p >= end || *p != '{')
			return mf_syntax(m, p, "'{' expected after selector");
		p++;
		br[nb].sel = sel;
		br[nb].sellen = sellen;
		br[nb].b = p;
		if ((rc = mf_msg(m, &p, end, depth + 1, plural, NULL, 0)) !=
		    GEN_OK)
			return rc;
		if (p >= end)
			return mf_syntax(m, p, "unterminated branch");
		br[nb].e = p++;
		if (sellen == 5 && memcmp(sel, "other", 5) == 0)
			other = &br[nb];
		nb++;
	}
	if (other == NULL)
		return mf_syntax(m, p - 1, "branch 'other' missing");
	if (plural && m->out == NULL) {
		if (m->nplurals == MF_MAX_PLURALS)
			return mf_syntax(m, p, "too many plural arguments");
		m->plurals[m->nplurals++] = mask;
	}
	*pp = p;
	if (a == NULL)
		return GEN_OK;

	if (plural) {
		UChar kw[32];
		char kw8[32];
		UErrorCode st = U_ZERO_ERROR;
		int32_t n;
		struct buf hash = { 0 };

		/* Exact values first, then the locale's category. */
		for (k = 0; k < nb && pick == NULL; k++) {
			int64_t v = 0;

			if (br[k].sel[0] != '=')
				continue;
			for (q = br[k].sel + 1; q < br[k].sel + br[k].sellen;
			    q++)
				v = v * 10 + (*q - '0');
			if (v == a->num)
				pick = &br[k];
		}
		if (pick == NULL) {
			n = uplrules_select(m->rules, (double)a->num, kw,
			    32, &st);
			if (U_FAILURE(st) || n >= 32)
				return gen_err_set(m->err, GEN_EICU, "%s: "
				    "plural rules: %s", m->key,
				    u_errorName(st));
			u_UCharsToChars(kw, kw8, n);
			kw8[n] = '\0';
			for (k = 0; k < nb && pick == NULL; k++)
				if (strlen(kw8) == br[k].sellen &&
				    memcmp(kw8, br[k].sel, br[k].sellen) == 0)
					pick = &br[k];
		}
		if (pick == NULL)
			pick = other;
		if ((rc = mf_int(m, a->num, &hash)) == GEN_OK) {
			q = pick->b;
			rc = mf_msg(m, &q, pick->e, depth + 1, 1,
			    hash.data != NULL ? hash.data : "", 1);
		}
		buf_free(&hash);
		return rc;
	}
	for (k = 0; k < nb && pick == NULL; k++)
		if (strlen(a->str) == br[k].sellen &&
		    memcmp(a->str, br[k].sel, br[k].sellen) == 0)
			pick = &br[k];
	if (pick == NULL)
		pick = other;
	q = pick->b;
	return mf_msg(m, &q, pick->e, depth + 1, 0, NULL, 1);
}

/* Parse one {argument} at *pp (which points at '{'); emit if asked. */
static enum gen_rc
mf_arg(struct mf *m, const char **pp, const char *end, int depth, int emit)
{
	const char *p = *pp + 1, *name, *type;
	const struct i18n_arg *a = NULL;
	size_t nlen, tlen;
	enum gen_rc rc;

	skip_ws(&p, end);
	name = p;
	if (p < end && ascii_is_digit(*p)) {
		while (p < end && ascii_is_digit(*p))
			p++;
	} else if (p < end && (ascii_is_alpha(*p) || *p == '_')) {
		while (p < end && (ascii_is_alpha(*p) || ascii_is_digit(*p) ||
		    *p == '_'))
			p++;
	} else {
		return mf_syntax(m, p, "argument name expected");
	}
	nlen = (size_t)(p - name);
	if (nlen > KEY_MAX)
		return mf_syntax(m, name, "argument name too long");
	skip_ws(&p, end);
	if (p >= end)
		return mf_syntax(m, p, "unterminated argument");
	if (*p == '}') {
		if ((rc = mf_name(m, name, nlen, MF_ANY)) != GEN_OK)
			return rc;
		*pp = p + 1;
		if (!emit || m->out == NULL)
			return GEN_OK;
		if ((rc = mf_arg_value(m, name, nlen, MF_ANY, &a)) != GEN_OK)
			return rc;
		if (a->type == I18N_ARG_STR) {
			buf_puts(m->out, a->str);
			return GEN_OK;
		}
		return mf_int(m, a->num, m->out);
	}
	if (*p != ',')
		return mf_syntax(m, p, "',' or '}' expected after the argument "
		    "name");
	p++;
	skip_ws(&p, end);
	type = p;
	while (p < end && ascii_is_lower(*p))
		p++;
	tlen = (size_t)(p - type);
	skip_ws(&p, end);
	if (tlen == 6 && memcmp(type, "number", 6) == 0) {
		if (p >= end || *p != '}')
			return mf_syntax(m, p, "'}' expected: number takes no "
			    "style");
		if ((rc = mf_name(m, name, nlen, MF_INT)) != GEN_OK)
			return rc;
		*pp = p + 1;
		if (!emit || m->out == NULL)
			return GEN_OK;
		if ((rc = mf_arg_value(m, name, nlen, MF_INT, &a)) != GEN_OK)
			return rc;
		return mf_int(m, a->num, m->out);
	}
	if ((tlen == 6 && memcmp(type, "plural", 6) == 0) ||
	    (tlen == 6 && memcmp(type, "select", 6) == 0)) {
		int plural = type[0] == 'p';
		enum mf_kind kind = plural ? MF_INT : MF_STR;

		if (p >= end || *p != ',')
			return mf_syntax(m, p, "',' expected after the "
			    "argument type");
		p++;
		if ((rc = mf_name(m, name, nlen, kind)) != GEN_OK)
			return rc;
		if (emit && m->out != NULL &&
		    (rc = mf_arg_value(m, name, nlen, kind, &a)) != GEN_OK)
			return rc;
		*pp = p;
		return mf_branches(m, pp, end, depth, plural, a);
	}
	return mf_syntax(m, type, "argument type not supported (allowed: "
	    "number, plural, select)");
}

/*
 * Parse (and, when emit is set, append) a message from *pp up to end or
 * an unquoted '}' closing a sub-message (depth > 0; not consumed).
 * in_plural makes '#' the number hash.
 */
static enum gen_rc
mf_msg(struct mf *m, const char **pp, const char *end, int depth,
    int in_plural, const char *hash, int emit)
{
	const char *p = *pp;
	enum gen_rc rc;

	if (depth > MF_MAX_DEPTH)
		return mf_syntax(m, p, "arguments nested too deeply");
	while (p < end) {
		char c = *p;

		if (c == '\'') {
			if (p + 1 < end && p[1] == '\'') {
				mf_put(m, emit, "'", 1);
				p += 2;
				continue;
			}
			if (p + 1 < end && (p[1] == '{' || p[1] == '}' ||
			    (in_plural && p[1] == '#'))) {
				const char *open = p++;

				for (;;) {
					if (p >= end)
						return mf_syntax(m, open,
						    "unterminated quote");
					if (*p == '\'' && p + 1 < end &&
					    p[1] == '\'') {
						mf_put(m, emit, "'", 1);
						p += 2;
					} else if (*p == '\'') {
						p++;
						break;
					} else {
						mf_put(m, emit, p, 1);
						p++;
					}
				}
				continue;
			}
			mf_put(m, emit, "'", 1);
			p++;
		} else if (c == '{') {
			if ((rc = mf_arg(m, &p, end, depth, emit)) != GEN_OK)
				return rc;
		} else if (c == '}') {
			if (depth == 0)
				return mf_syntax(m, p, "unmatched '}'");
			break;
		} else if (c == '#' && in_plural) {
			if (hash != NULL)
				mf_put(m, emit, hash, strlen(hash));
			p++;
		} else {
			mf_put(m, emit, p, 1);
			p++;
		}
	}
	*pp = p;
	return GEN_OK;
}

/* Check the syntax of a pattern and collect its names and plurals. */
static enum gen_rc
mf_check(struct mf *m, const char *key, const char *pat,
    struct gen_err *err)
{
	const char *p = pat;

	memset(m, 0, sizeof(*m));
	m->key = key;
	m->start = pat;
	m->err = err;
	return mf_msg(m, &p, pat + strlen(pat), 0, 0, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Catalogues                                                          */

static void
cat_free(struct cat *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->data);
	free(c->e);
	free(c->sorted);
	free(c);
}

static int
centry_cmp(const void *a, const void *b)
{
	const struct centry *x = *(const struct centry *const *)a;
	const struct centry *y = *(const struct centry *const *)b;

	return strcmp(x->key, y->key);
}

static const struct centry *
cat_find(const struct cat *c, const char *key)
{
	size_t lo = 0, hi;

	if (c == NULL || key == NULL)
		return NULL;
	hi = c->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, c->sorted[mid]->key);

		if (r == 0)
			return c->sorted[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * Read a whole file into a new NUL-terminated buffer.  Returns GEN_EIO
 * (with errno kept in *eno) when it cannot be read, GEN_EINPUT when it is
 * larger than CAT_MAX_BYTES.
 */
static enum gen_rc
read_file(const char *path, char **data, size_t *len, int *eno,
    struct gen_err *err)
{
	FILE *f;
	struct buf b = { 0 };
	char chunk[8192], ebuf[128];
	size_t n;
	enum gen_rc rc = GEN_OK;

	*eno = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		*eno = errno;
		return gen_err_set(err, GEN_EIO, "%s: cannot open: %s", path,
		    strerror_r(*eno, ebuf, sizeof(ebuf)));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > CAT_MAX_BYTES) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: larger than %d "
			    "bytes", path, CAT_MAX_BYTES);
			goto out;
		}
		buf_append(&b, chunk, n);
	}
	if (ferror(f)) {
		*eno = errno;
		rc = gen_err_set(err, GEN_EIO, "%s: read error: %s", path,
		    strerror_r(*eno, ebuf, sizeof(ebuf)));
		goto out;
	}
	if (b.data == NULL)
		buf_append(&b, "", 0);
	*data = buf_detach(&b, len);
out:
	fclose(f);
	buf_free(&b);
	return rc;
}

/*
 * Parse one line (NUL-terminated, in place) into e.  Returns 1 for an
 * entry, 0 for a blank or comment line, or an error code in *rc.
 */
static int
cat_line(const char *path, unsigned lineno, char *s, struct centry *e,
    enum gen_rc *rc, struct gen_err *err)
{
	char *key, *v, *w, *end;
	size_t klen;

	*rc = GEN_OK;
	while (is_blank(*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	key = s;
	while (ascii_is_lower(*s) || ascii_is_digit(*s) || *s == '_')
		s++;
	klen = (size_t)(s - key);
	if (klen == 0 || !ascii_is_lower(key[0]) || klen > KEY_MAX ||
	    !(is_blank(*s) || *s == '=')) {
		*rc = gen_err_set(err, GEN_EINPUT, "%s:%u: key expected; "
		    "allowed: [a-z][a-z0-9_]* (at most %d characters), then "
		    "'='", path, lineno, KEY_MAX);
		return -1;
	}
	while (is_blank(*s))
		*s++ = '\0';
	if (*s != '=') {
		*rc = gen_err_set(err, GEN_EINPUT, "%s:%u: '=' expected after "
		    "key '%.*s'", path, lineno, (int)klen, key);
		return -1;
	}
	*s++ = '\0';
	while (is_blank(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_blank(end[-1]))
		*--end = '\0';
	if (*s == '\0') {
		*rc = gen_err_set(err, GEN_EINPUT, "%s:%u: %s: empty value",
		    path, lineno, key);
		return -1;
	}
	/* Unescape in place; refuse control characters. */
	for (v = w = s; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 || *v == 0x7f) {
			*rc = gen_err_set(err, GEN_EINPUT, "%s:%u: %s: control "
			    "character 0x%02x; write \\n for a newline",
			    path, lineno, key, (unsigned char)*v);
			return -1;
		}
		if (*v != '\\') {
			*w++ = *v;
			continue;
		}
		if (v[1] == 'n')
			*w++ = '\n';
		else if (v[1] == '\\')
			*w++ = '\\';
		else {
			*rc = gen_err_set(err, GEN_EINPUT, "%s:%u: %s: unknown "
			    "escape '\\%c'; allowed: \\n, \\\\", path, lineno,
			    key, v[1] != '\0' ? v[1] : ' ');
			return -1;
		}
		v++;
	}
	*w = '\0';
	e->key = key;
	e->val = s;
	e->line = lineno;
	return 1;
}

/*
 * Load DIR/LANG.txt.  A missing file is not an error when optional is
 * set: *out is then NULL.  Returns GEN_EINPUT with file:line for a
 * malformed catalogue, GEN_EIO when it cannot be read.
 */
static enum gen_rc
cat_load(const char *dir, const char *lang, int optional, struct cat **out,
    struct gen_err *err)
{
	struct cat *c = NULL;
	char path[4096], *s, *nl;
	size_t len, cap = 0, k;
	unsigned lineno = 0;
	int eno, n;
	int32_t i, ilen;
	UChar32 ch;
	enum gen_rc rc;

	*out = NULL;
	n = snprintf(path, sizeof(path), "%s/%s.txt", dir, lang);
	if (n < 0 || (size_t)n >= sizeof(path))
		return gen_err_set(err, GEN_EINPUT, "locales directory: path "
		    "too long (%d bytes); allowed up to %zu", n,
		    sizeof(path) - 16);
	c = xcalloc(1, sizeof(*c));
	c->path = xstrdup(path);
	if ((rc = read_file(path, &c->data, &len, &eno, err)) != GEN_OK) {
		if (optional && eno == ENOENT) {
			gen_err_clear(err);
			rc = GEN_OK;
		}
		goto out;
	}
	/* The whole file must be UTF-8 (a leading BOM is skipped). */
	ilen = (int32_t)len;
	for (i = 0; i < ilen;) {
		int32_t at = i;

		if ((unsigned char)c->data[i] - 1u < 0x7fu) {
			i++;	/* ASCII other than NUL */
			continue;
		}
		U8_NEXT((const uint8_t *)c->data, i, ilen, ch);
		if (ch < 0 || ch == 0) {
			for (k = 0, lineno = 1; k < (size_t)at; k++)
				lineno += c->data[k] == '\n';
			rc = gen_err_set(err, GEN_EINPUT, "%s:%u: %s at "
			    "byte %d", path, lineno, ch < 0 ? "invalid UTF-8" :
			    "NUL character", (int)at);
			goto out;
		}
	}
	s = c->data;
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	lineno = 0;
	while (s != NULL && *s != '\0') {
		struct centry e;
		int got;

		lineno++;
		if ((nl = strchr(s, '\n')) != NULL)
			*nl = '\0';
		if (nl != NULL && nl > s && nl[-1] == '\r')
			nl[-1] = '\0';
		got = cat_line(path, lineno, s, &e, &rc, err);
		if (got < 0)
			goto out;
		if (got > 0) {
			c->e = xgrow(c->e, c->n, &cap, 128, sizeof(*c->e));
			c->e[c->n++] = e;
		}
		s = nl != NULL ? nl + 1 : NULL;
	}
	c->sorted = xmalloc((c->n + 1) * sizeof(*c->sorted));
	for (k = 0; k < c->n; k++)
		c->sorted[k] = &c->e[k];
	qsort(c->sorted, c->n, sizeof(*c->sorted), centry_cmp);
	for (k = 1; k < c->n; k++) {
		if (strcmp(c->sorted[k - 1]->key, c->sorted[k]->key) != 0)
			continue;
		rc = gen_err_set(err, GEN_EINPUT, "%s:%u: duplicate key '%s' "
		    "(also on line %u)", path,
		    c->sorted[k - 1]->line > c->sorted[k]->line ?
		    c->sorted[k - 1]->line : c->sorted[k]->line,
		    c->sorted[k]->key,
		    c->sorted[k - 1]->line > c->sorted[k]->line ?
		    c->sorted[k]->line : c->sorted[k - 1]->line);
		goto out;
	}
	for (k = 0; k < c->n; k++) {
		struct mf m;

		/* Without braces a value is literal text; nothing to check. */
		if (strpbrk(c->e[k].val, "{}") == NULL)
			continue;
		if ((rc = mf_check(&m, c->e[k].key, c->e[k].val, err)) !=
		    GEN_OK) {
			gen_err_prefix(err, "%s:%u: ", path, c->e[k].line);
			goto out;
		}
	}
	*out = c;
	c = NULL;
out:
	cat_free(c);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Tags and opening                                                    */

static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

/* Does ICU have locale data for this language subtag? */
static int
icu_has_language(const char *lang)
{
	size_t len = strlen(lang);
	int32_t k, n = uloc_countAvailable();

	for (k = 0; k < n; k++) {
		const char *a = uloc_getAvailable(k);

		if (strncmp(a, lang, len) == 0 &&
		    (a[len] == '\0' || a[len] == '_'))
			return 1;
	}
	return 0;
}

/*
 * Turn one BCP 47 tag into an ICU locale ID, its language subtag and the
 * canonical tag.  Refuses (GEN_EINPUT) a tag ICU cannot parse completely,
 * a language without ICU data and a region that is no ISO 3166 country
 * or UN M.49 area.
 */
static enum gen_rc
resolve_tag(const char *tag, struct i18n *i, struct gen_err *err)
{
	char region[ULOC_COUNTRY_CAPACITY];
	int32_t parsed = 0;
	UErrorCode st = U_ZERO_ERROR;

	uloc_forLanguageTag(tag, i->locale, sizeof(i->locale), &parsed, &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING ||
	    parsed != (int32_t)strlen(tag) || i->locale[0] == '\0')
		return gen_err_set(err, GEN_EINPUT, "language: '%s' is not a "
		    "well-formed BCP 47 tag; allowed e.g. en, lt, ru, de-AT, "
		    "lt+en", tag);
	uloc_getLanguage(i->locale, i->lang, sizeof(i->lang), &st);
	uloc_getCountry(i->locale, region, sizeof(region), &st);
	if (U_FAILURE(st) || i->lang[0] == '\0' ||
	    !icu_has_language(i->lang))
		return gen_err_set(err, GEN_EINPUT, "language: '%s' has no "
		    "ICU locale data; allowed: a language ICU knows (en, lt, "
		    "ru, de, ...)", tag);
	if (region[0] != '\0' && !in_list(uloc_getISOCountries(), region) &&
	    !(ascii_is_digit(region[0]) && strlen(region) == 3))
		return gen_err_set(err, GEN_EINPUT, "language: region '%s' of "
		    "'%s' is not an ISO 3166 country", region, tag);
	uloc_toLanguageTag(i->locale, i->tag, I18N_TAG_MAX + 1, 1, &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		return gen_err_set(err, GEN_EINPUT, "language: '%s' cannot be "
		    "canonicalised: %s", tag, u_errorName(st));
	return GEN_OK;
}

/*
 * Split a tag into primary and secondary ("lt+en", or "lt-en" where EN is
 * a language but no country).  Writes into p1 and p2 (each
 * I18N_TAG_MAX + 1 bytes); p2 is empty for a monolingual tag.
 */
static enum gen_rc
split_tag(const char *tag, char *p1, char *p2, struct gen_err *err)
{
	const char *plus, *s;
	size_t len;
	char sub[4];

	if (tag == NULL || (len = strlen(tag)) == 0 || len > I18N_TAG_MAX)
		return gen_err_set(err, GEN_EINPUT, "language: %s; allowed: a "
		    "BCP 47 tag of 1..%d characters", tag == NULL ? "missing" :
		    "wrong length", I18N_TAG_MAX);
	for (s = tag; *s != '\0'; s++)
		if (!ascii_is_alpha(*s) && !ascii_is_digit(*s) && *s != '-' &&
		    *s != '+')
			return gen_err_set(err, GEN_EINPUT, "language: '%s' "
			    "contains '%c'; allowed: letters, digits, '-', and "
			    "'+' between two languages", tag, *s);
	p2[0] = '\0';
	if ((plus = strchr(tag, '+')) != NULL) {
		if (strchr(plus + 1, '+') != NULL || plus == tag ||
		    plus[1] == '\0')
			return gen_err_set(err, GEN_EINPUT, "language: '%s': "
			    "allowed: one language, or two joined by '+' "
			    "(lt+en)", tag);
		memcpy(p1, tag, (size_t)(plus - tag));
		p1[plus - tag] = '\0';
		memcpy(p2, plus + 1, strlen(plus + 1) + 1);
		return GEN_OK;
	}
	memcpy(p1, tag, len + 1);
	/* "xx-yy": yy an ISO 639 language and not an ISO 3166 country. */
	if ((len == 5 || len == 6) && tag[2] == '-' &&
	    ascii_is_alpha(tag[0]) && ascii_is_alpha(tag[1]) &&
	    ascii_is_alpha(tag[3]) && ascii_is_alpha(tag[4]) &&
	    (len == 5 || ascii_is_alpha(tag[5]))) {
		size_t k, n = len - 3;

		for (k = 0; k < n; k++)
			sub[k] = (char)(tag[3 + k] | 0x20);
		sub[n] = '\0';
		if (in_list(uloc_getISOLanguages(), sub)) {
			char up[4];

			for (k = 0; k < n; k++)
				up[k] = (char)(sub[k] & ~0x20);
			up[n] = '\0';
			if (!in_list(uloc_getISOCountries(), up)) {
				p1[2] = '\0';
				memcpy(p2, sub, n + 1);
			}
		}
	}
	return GEN_OK;
}

enum gen_rc
i18n_check_tag(const char *tag, struct gen_err *err)
{
	char p1[I18N_TAG_MAX + 1], p2[I18N_TAG_MAX + 1];
	struct i18n *probe;
	enum gen_rc rc;

	if ((rc = split_tag(tag, p1, p2, err)) != GEN_OK)
		return rc;
	probe = xcalloc(1, sizeof(*probe));
	rc = resolve_tag(p1, probe, err);
	if (rc == GEN_OK && p2[0] != '\0')
		rc = resolve_tag(p2, probe, err);
	free(probe);
	return rc;
}

enum gen_rc
i18n_tag_languages(const char *tag, char lang1[I18N_LANG_MAX + 1],
    char lang2[I18N_LANG_MAX + 1], struct gen_err *err)
{
	char p1[I18N_TAG_MAX + 1], p2[I18N_TAG_MAX + 1];
	struct i18n *probe;
	enum gen_rc rc;

	lang1[0] = lang2[0] = '\0';
	if ((rc = split_tag(tag, p1, p2, err)) != GEN_OK)
		return rc;
	probe = xcalloc(1, sizeof(*probe));
	if ((rc = resolve_tag(p1, probe, err)) == GEN_OK) {
		snprintf(lang1, I18N_LANG_MAX + 1, "%s", probe->lang);
		if (p2[0] != '\0' && (rc = resolve_tag(p2, probe, err)) ==
		    GEN_OK)
			snprintf(lang2, I18N_LANG_MAX + 1, "%s", probe->lang);
	}
	free(probe);
	return rc;
}

/* The languages invgen ships a catalogue for: their file must exist. */
static int
shipped_language(const char *lang)
{
	return strcmp(lang, "en") == 0 || strcmp(lang, "lt") == 0 ||
	    strcmp(lang, "ru") == 0;
}

int
i18n_catalogue_exists(const char *dir, const char *lang)
{
	char path[4096];
	struct stat sb;

	if (shipped_language(lang))
		return 1;
	if (snprintf(path, sizeof(path), "%s/%s.txt", dir, lang) >=
	    (int)sizeof(path))
		return 0;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void
i18n_free_one(struct i18n *i)
{
	unsigned k;

	if (i == NULL)
		return;
	if (i->plural != NULL)
		uplrules_close(i->plural);
	if (i->plural_en != NULL)
		uplrules_close(i->plural_en);
	if (i->num != NULL)
		unum_close(i->num);
	for (k = 0; k < CUR_SLOTS; k++)
		if (i->cur[k].f != NULL)
			unum_close(i->cur[k].f);
	free(i->longdate);
	textslots_free(i->nm, NUM_MEMO);
	if (i->pct != NULL)
		unum_close(i->pct);
	if (i->date != NULL)
		udat_close(i->date);
	cat_free(i->own[0]);
	cat_free(i->own[1]);
	free(i);
}

/*
 * Open one language: resolve the tag and load its catalogue (en is passed
 * in, or loaded and owned when en is NULL).  The ICU formatters are
 * created when first used.
 */
static enum gen_rc
open_one(const char *dir, const char *tag, struct cat *en, unsigned flags,
    struct i18n **out, struct gen_err *err)
{
	struct i18n *i = xcalloc(1, sizeof(*i));
	enum gen_rc rc;

	*out = NULL;
	if ((rc = resolve_tag(tag, i, err)) != GEN_OK)
		goto fail;
	if (en == NULL) {
		if ((rc = cat_load(dir, "en", 0, &i->own[0], err)) != GEN_OK)
			goto fail;
		en = i->own[0];
	}
	i->en = en;
	if (strcmp(i->lang, "en") == 0)
		i->cat = en;
	else {
		/*
		 * The catalogues invgen ships must be there: a missing lt.txt
		 * would silently issue Lithuanian invoices in English.  Any
		 * other language may have none (English labels, its own
		 * number and date formats).
		 */
		int shipped = shipped_language(i->lang);

		if ((rc = cat_load(dir, i->lang, !shipped, &i->own[1],
		    err)) != GEN_OK)
			goto fail;
		i->cat = i->own[1];
	}
	memcpy(i->text_locale, i->locale, sizeof(i->text_locale));
	if (i->cat == NULL && (flags & I18N_ENGLISH_WITHOUT_CATALOGUE))
		snprintf(i->text_locale, sizeof(i->text_locale), "en");

	*out = i;
	return GEN_OK;
fail:
	i18n_free_one(i);
	return rc;
}

enum gen_rc
i18n_open(const char *dir, const char *tag, struct i18n **out,
    struct gen_err *err)
{
	return i18n_open_opts(dir, tag, 0, out, err);
}

enum gen_rc
i18n_open_opts(const char *dir, const char *tag, unsigned flags,
    struct i18n **out, struct gen_err *err)
{
	char p1[I18N_TAG_MAX + 1], p2[I18N_TAG_MAX + 1];
	struct i18n *i = NULL, *s = NULL;
	enum gen_rc rc;

	*out = NULL;
	if (dir == NULL)
		return gen_err_set(err, GEN_EINPUT, "locales directory: "
		    "missing");
	if ((rc = split_tag(tag, p1, p2, err)) != GEN_OK)
		return rc;
	if ((rc = open_one(dir, p1, NULL, flags, &i, err)) != GEN_OK)
		return rc;
	if (p2[0] != '\0') {
		if ((rc = open_one(dir, p2, i->en, flags, &s, err)) != GEN_OK)
			goto fail;
		if (strcmp(i->lang, s->lang) == 0) {
			rc = gen_err_set(err, GEN_EINPUT, "language: '%s' "
			    "names '%s' twice; allowed: two different "
			    "languages", tag, i->lang);
			goto fail;
		}
		i->second = s;
		s = NULL;
		/* The canonical tag of the pair: "lt+en". */
		snprintf(i->tag + strlen(i->tag), sizeof(i->tag) -
		    strlen(i->tag), "+%s", i->second->tag);
	}
	*out = i;
	return GEN_OK;
fail:
	i18n_free_one(s);
	i18n_close(i);
	return rc;
}

void
i18n_close(struct i18n *i)
{
	if (i == NULL)
		return;
	i18n_free_one(i->second);
	i18n_free_one(i);
}

struct i18n *
i18n_secondary(const struct i18n *i)
{
	return i != NULL ? i->second : NULL;
}

const char *
i18n_tag(const struct i18n *i)
{
	return i->tag;
}

const char *
i18n_locale(const struct i18n *i)
{
	return i->locale;
}

int
i18n_has_catalogue(const struct i18n *i)
{
	return i->cat != NULL;
}

/* ------------------------------------------------------------------ */
/* Labels and messages                                                 */

/* The catalogue entry for key: the language's, else English, else NULL. */
static const struct centry *
lookup(const struct i18n *i, const char *key)
{
	const struct centry *e = cat_find(i->cat, key);

	return e != NULL ? e : cat_find(i->en, key);
}

const char *
i18n_text(const struct i18n *i, const char *key)
{
	const struct centry *e = lookup(i, key);

	return e != NULL ? e->val : key;
}

void
i18n_text2(const struct i18n *i, const char *key, struct buf *out)
{
	const char *a = i18n_text(i, key), *b;

	buf_puts(out, a);
	if (i->second == NULL)
		return;
	b = i18n_text(i->second, key);
	if (strcmp(a, b) != 0) {
		buf_puts(out, " / ");
		buf_puts(out, b);
	}
}

enum gen_rc
i18n_format(struct i18n *i, const char *key, const struct i18n_arg *args,
    size_t nargs, struct buf *out, struct gen_err *err)
{
	struct mf m;
	const struct centry *e = cat_find(i->cat, key);
	const char *pat, *p;
	size_t len0 = out->len;
	enum gen_rc rc;

	memset(&m, 0, sizeof(m));
	if (e == NULL && (e = cat_find(i->en, key)) != NULL &&
	    strcmp(i->lang, "en") != 0)
		m.rules = get_rules(i, 1, err);
	else
		m.rules = get_rules(i, 0, err);
	if (m.rules == NULL)
		return GEN_EICU;
	pat = p = e != NULL ? e->val : key;
	m.i = i;
	m.key = key;
	m.start = pat;
	m.args = args;
	m.nargs = nargs;
	m.out = out;
	m.err = err;
	buf_grow(out, strlen(pat));
	rc = mf_msg(&m, &p, pat + strlen(pat), 0, 0, NULL, 1);
	if (rc != GEN_OK)
		buf_truncate(out, len0);
	return rc;
}

size_t
i18n_missing_keys(const struct i18n *i, const char ***keys)
{
	size_t k, n = 0;

	*keys = xmalloc((i->en->n + 1) * sizeof(**keys));
	for (k = 0; k < i->en->n; k++)
		if (i->cat == NULL || (i->cat != i->en &&
		    cat_find(i->cat, i->en->e[k].key) == NULL))
			(*keys)[n++] = i->en->e[k].key;
	(*keys)[n] = NULL;
	return n;
}

/* Bit mask (plural_kw order) of the plural categories of the locale. */
static enum gen_rc
plural_mask(const struct i18n *i, unsigned *mask, struct gen_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UPluralRules *r = uplrules_open(i->locale, &st);
	UEnumeration *e = NULL;
	const char *kw;
	size_t k;

	*mask = 0;
	if (U_SUCCESS(st))
		e = uplrules_getKeywords(r, &st);
	while (U_SUCCESS(st) && (kw = uenum_next(e, NULL, &st)) != NULL)
		for (k = 0; k < PLURAL_NKW; k++)
			if (strcmp(kw, plural_kw[k]) == 0)
				*mask |= 1u << k;
	if (e != NULL)
		uenum_close(e);
	if (r != NULL)
		uplrules_close(r);
	if (U_FAILURE(st))
		return gen_err_set(err, GEN_EICU, "plural rules of %s: %s",
		    i->locale, u_errorName(st));
	return GEN_OK;
}

/* Is every name of a also in b (same kind where both know it)? */
static const struct mf_name *
names_missing(const struct mf *a, const struct mf *b)
{
	size_t x, y;

	for (x = 0; x < a->nnames; x++) {
		for (y = 0; y < b->nnames; y++)
			if (a->names[x].len == b->names[y].len &&
			    memcmp(a->names[x].p, b->names[y].p,
			    a->names[x].len) == 0)
				break;
		if (y == b->nnames)
			return &a->names[x];
	}
	return NULL;
}

enum gen_rc
i18n_check(const struct i18n *i, struct gen_err *err)
{
	const struct cat *c = i->cat;
	const struct centry *en;
	const struct mf_name *nm;
	struct mf m, me;
	unsigned want;
	size_t k, p, w;
	enum gen_rc rc;

	if (c == NULL)
		return gen_err_set(err, GEN_EINPUT, "language '%s': no "
		    "catalogue file; every label falls back to en.txt",
		    i->lang);
	if ((rc = plural_mask(i, &want, err)) != GEN_OK)
		return rc;
	for (k = 0; k < i->en->n; k++)
		if (cat_find(c, i->en->e[k].key) == NULL)
			return gen_err_set(err, GEN_EINPUT, "%s: key '%s' "
			    "missing (%s:%u)", c->path, i->en->e[k].key,
			    i->en->path, i->en->e[k].line);
	for (k = 0; k < c->n; k++) {
		const struct centry *e = &c->e[k];

		if ((en = cat_find(i->en, e->key)) == NULL)
			return gen_err_set(err, GEN_EINPUT, "%s:%u: key '%s' "
			    "is not in %s", c->path, e->line, e->key,
			    i->en->path);
		if ((rc = mf_check(&m, e->key, e->val, err)) != GEN_OK ||
		    (rc = mf_check(&me, en->key, en->val, err)) != GEN_OK)
			return rc;
		if ((nm = names_missing(&m, &me)) != NULL ||
		    (nm = names_missing(&me, &m)) != NULL)
			return gen_err_set(err, GEN_EINPUT, "%s:%u: %s: "
			    "argument '%.*s' is not used in both %s and %s",
			    c->path, e->line, e->key, (int)nm->len, nm->p,
			    c->path, i->en->path);
		for (p = 0; p < m.nplurals; p++) {
			unsigned have = m.plurals[p];

			for (w = 0; w < PLURAL_NKW; w++) {
				unsigned bit = 1u << w;

				if ((want & bit) && !(have & bit))
					return gen_err_set(err, GEN_EINPUT,
					    "%s:%u: %s: no branch for plural "
					    "category '%s' of %s", c->path,
					    e->line, e->key, plural_kw[w],
					    i->lang);
				if ((have & bit) && !(want & bit))
					return gen_err_set(err, GEN_EINPUT,
					    "%s:%u: %s: plural category '%s' "
					    "does not exist in %s", c->path,
					    e->line, e->key, plural_kw[w],
					    i->lang);
			}
		}
	}
	return GEN_OK;
}

/* ------------------------------------------------------------------ */
/* Numbers, amounts, dates, countries, currencies                      */

enum gen_rc
i18n_format_amount(struct i18n *i, int64_t minor, const char *currency,
    int digits, struct buf *out, struct gen_err *err)
{
	UNumberFormat *f;
	char dec[40];

	if (!currency_wellformed(currency))
		return gen_err_set(err, GEN_EINPUT, "currency: '%.8s' is not a "
		    "currency code; allowed: three capital letters (ISO 4217)",
		    currency != NULL ? currency : "(null)");
	if (digits < 0 || digits > 4)
		return gen_err_set(err, GEN_EINPUT, "digits: %d is out of "
		    "range; allowed 0..4", digits);
	if ((f = get_currency(i, currency, err)) == NULL)
		return GEN_EICU;
	dec_string(minor, digits, dec, sizeof(dec));
	return fmt_number(i, f, currency, dec, digits, digits, out, "amount",
	    err);
}

enum gen_rc
i18n_format_decimal(struct i18n *i, int64_t value, int scale,
    struct buf *out, struct gen_err *err)
{
	char dec[40];

	if (scale < 0 || scale > 9)
		return gen_err_set(err, GEN_EINPUT, "scale: %d is out of range;"
		    " allowed 0..9", scale);
	if (get_unum(i, &i->num, UNUM_DECIMAL, err) == NULL)
		return GEN_EICU;
	dec_string(value, scale, dec, sizeof(dec));
	return fmt_number(i, i->num, "n", dec, scale, scale, out, "number",
	    err);
}

enum gen_rc
i18n_format_percent(struct i18n *i, int rate_bp, struct buf *out,
    struct gen_err *err)
{
	char dec[40];

	if (rate_bp < 0 || rate_bp > 100000)
		return gen_err_set(err, GEN_EINPUT, "rate: %d basis points is "
		    "out of range; allowed 0..100000", rate_bp);
	/* 2550 bp = 0.2550; ICU's percent style multiplies by 100. */
	if (get_unum(i, &i->pct, UNUM_PERCENT, err) == NULL)
		return GEN_EICU;
	dec_string(rate_bp, 4, dec, sizeof(dec));
	return fmt_number(i, i->pct, "%", dec, 0, 2, out, "percentage", err);
}

struct date_ctx {
	const UDateFormat *f;
	UDate t;
};

static int32_t
date_fn(const void *ctx, UChar *u, int32_t cap, UErrorCode *st)
{
	const struct date_ctx *c = ctx;

	return udat_format(c->f, c->t, u, cap, NULL, st);
}

int
i18n_date_is_direct(struct i18n *i)
{
	if (i->longdate_state == 0) {
		i->longdate = xcalloc(1, sizeof(*i->longdate));
		i->longdate_state = longdate_load(i->text_locale, i->longdate) ?
		    1 : -1;
	}
	return i->longdate_state == 1;
}

enum gen_rc
i18n_format_date(struct i18n *i, const char *iso, struct buf *out,
    struct gen_err *err)
{
	struct date_ctx c;
	int64_t days;
	enum gen_rc rc;

	if ((rc = parse_date(iso, "date", &days, err)) != GEN_OK)
		return rc;
	if (i18n_date_is_direct(i)) {
		UChar u[LONGDATE_PATTERN_MAX + 12 * LONGDATE_MONTH_MAX];
		int32_t n = longdate_format(i->longdate, atoi(iso),
		    atoi(iso + 5), atoi(iso + 8), u,
		    (int32_t)(sizeof(u) / sizeof(u[0])));

		if (n >= 0)
			return put_u16(out, u, n, err);
	}
	if ((c.f = get_date(i, err)) == NULL)
		return GEN_EICU;
	/* Milliseconds of 00:00 UTC; exact in a double (< 2^53). */
	c.t = (UDate)(days * 86400000);
	return icu_to_buf(date_fn, &c, out, "date", err);
}

struct country_ctx {
	const char *id;		/* "_DE" */
	const char *display;	/* locale of the name */
};

static int32_t
country_fn(const void *ctx, UChar *u, int32_t cap, UErrorCode *st)
{
	const struct country_ctx *c = ctx;

	return uloc_getDisplayCountry(c->id, c->display, u, cap, st);
}

/*
 * Country names this thread looked up before, by display locale and
 * code: every document names its payer's and its seller's country, some
 * several times, and ICU's lookup (with the check of the code against
 * ICU's list) was 2 % of a batch.  Per thread, so that
 * i18n_country_name stays safe to call from any thread on a shared
 * object; the name depends on nothing else (ICU's data is fixed).
 */
#define CN_SLOTS 64

static void
cn_free(void *v)
{
	textslots_free(v, CN_SLOTS);
}

static struct tls_key cn_key = TLS_KEY(CN_SLOTS * sizeof(struct textslot),
    cn_free);

enum gen_rc
i18n_country_name(const struct i18n *i, const char *cc, struct buf *out,
    struct gen_err *err)
{
	char id[4], key[sizeof(((struct textslot *)0)->key)];
	struct country_ctx c = { id, i->text_locale };
	size_t start = out->len;
	struct textslot *t = NULL;
	int hit = 0;
	enum gen_rc rc;

	/* "lt|DE" */
	if (cc != NULL && strlen(cc) == 2 && snprintf(key, sizeof(key),
	    "%s|%s", i->text_locale, cc) < (int)sizeof(key)) {
		t = textslot_find(tls_get(&cn_key), CN_SLOTS, key, &hit);
		if (hit) {
			buf_puts(out, t->text);
			return GEN_OK;
		}
	}
	if (cc == NULL || strlen(cc) != 2 ||
	    !in_list(uloc_getISOCountries(), cc))
		return gen_err_set(err, GEN_EINPUT, "country: '%.8s' is not an "
		    "ISO 3166-1 alpha-2 code; allowed e.g. LT, DE, US (Greece "
		    "is GR, not EL)", cc != NULL ? cc : "(null)");
	id[0] = '_';
	id[1] = cc[0];
	id[2] = cc[1];
	id[3] = '\0';
	rc = icu_to_buf(country_fn, &c, out, "country name", err);
	if (rc == GEN_OK && t != NULL)
		textslot_keep(t, key, out->data + start);
	return rc;
}

int
i18n_currency_known(const char *code)
{
	UErrorCode st = U_ZERO_ERROR;
	UEnumeration *e;
	const char *s;
	int found = 0;

	if (!currency_wellformed(code))
		return 0;
	e = ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED, &st);
	while (U_SUCCESS(st) && !found &&
	    (s = uenum_next(e, NULL, &st)) != NULL)
		found = strcmp(s, code) == 0;
	uenum_close(e);
	return found;
}

/*
 * Where CLDR (and so ICU 72) departs from ISO 4217's minor units for a
 * currency ICU lists as current.  Source: ISO 4217 List One as shipped in
 * OpenJDK 17.0.15 java.util.Currency.getDefaultFractionDigits(), compared
 * with ICU 72.1 ucurr_getDefaultFractionDigitsForUsage(STANDARD) for
 * every code of ucurr_openISOCurrencies(UCURR_COMMON |
 * UCURR_NON_DEPRECATED).  CLDR gives 0 where the minor unit is not used
 * in practice; an invoice's amounts follow ISO 4217 (REFERENCE.md 7.1).
 */
static const struct {
	char code[4];
	int digits;
} iso_digits[] = {
	{ "AFN", 2 }, { "ALL", 2 }, { "IQD", 3 }, { "IRR", 2 },
	{ "KPW", 2 }, { "LAK", 2 }, { "LBP", 2 }, { "MGA", 2 },
	{ "MMK", 2 }, { "RSD", 2 }, { "SLL", 2 }, { "SOS", 2 },
	{ "SYP", 2 }, { "YER", 2 },
};

enum gen_rc
i18n_currency_digits(const char *code, int *digits, struct gen_err *err)
{
	UChar u[4];
	UErrorCode st = U_ZERO_ERROR;
	int32_t d;
	size_t k;

	if (!i18n_currency_known(code))
		return gen_err_set(err, GEN_EINPUT, "currency: '%.8s' is not "
		    "an ISO 4217 currency in use; allowed e.g. EUR, USD, GBP",
		    code != NULL ? code : "(null)");
	for (k = 0; k < sizeof(iso_digits) / sizeof(iso_digits[0]); k++)
		if (strcmp(iso_digits[k].code, code) == 0) {
			*digits = iso_digits[k].digits;
			return GEN_OK;
		}
	u_charsToUChars(code, u, 4);
	d = ucurr_getDefaultFractionDigitsForUsage(u, UCURR_USAGE_STANDARD,
	    &st);
	if (U_FAILURE(st) || d < 0 || d > 4)
		return gen_err_set(err, GEN_EICU, "currency %s: no minor "
		    "units from ICU: %s", code, u_errorName(st));
	*digits = d;
	return GEN_OK;
}

/*
 * Currencies withdrawn since 2000 that ICU 72 may still list as current,
 * with the first day they were no longer legal tender (ISO 4217
 * amendments; the euro changeovers from the EU Council decisions).
 * ICU's own ucurr_isAvailable() is not used: in ICU 72 it answers "not
 * available" for GBP today.
 */
static const struct {
	const char *code;
	const char *until;	/* first day not in use */
} withdrawn[] = {
	{ "SIT", "2007-01-01" },	/* Slovenia: euro */
	{ "CYP", "2008-01-01" },	/* Cyprus: euro */
	{ "MTL", "2008-01-01" },	/* Malta: euro */
	{ "SKK", "2009-01-01" },	/* Slovakia: euro */
	{ "EEK", "2011-01-01" },	/* Estonia: euro */
	{ "LVL", "2014-01-01" },	/* Latvia: euro */
	{ "LTL", "2015-01-01" },	/* Lithuania: euro */
	{ "MRO", "2018-01-01" },	/* Mauritania: MRU */
	{ "STD", "2018-01-01" },	/* Sao Tome and Principe: STN */
	{ "VEF", "2018-08-20" },	/* Venezuela: VES */
	{ "HRK", "2023-01-01" },	/* Croatia: euro */
	{ "BGN", "2026-01-01" },	/* Bulgaria: euro */
};

enum gen_rc
i18n_currency_valid_on(const char *code, const char *iso,
    struct gen_err *err)
{
	int64_t days;
	enum gen_rc rc;

	if ((rc = parse_date(iso, "date", &days, err)) != GEN_OK)
		return rc;
	if (!i18n_currency_known(code))
		return gen_err_set(err, GEN_EINPUT, "currency: '%.8s' is not "
		    "an ISO 4217 currency in use; allowed e.g. EUR, USD, GBP",
		    code != NULL ? code : "(null)");
	for (size_t k = 0; k < sizeof(withdrawn) / sizeof(withdrawn[0]); k++)
		if (strcmp(code, withdrawn[k].code) == 0 &&
		    strcmp(iso, withdrawn[k].until) >= 0)
			return gen_err_set(err, GEN_EINPUT, "currency: %s was "
			    "withdrawn on %s; allowed: a currency in use on %s",
			    code, withdrawn[k].until, iso);
	return GEN_OK;
}

/* 1 if c may be shown as it is (see i18n_printable). */
static int
shows_as_itself(UChar32 c)
{
	int8_t t = u_charType(c);

	return u_isprint(c) && t != U_LINE_SEPARATOR &&
	    t != U_PARAGRAPH_SEPARATOR && t != U_PRIVATE_USE_CHAR &&
	    !u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL) &&
	    !u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

void
i18n_printable(const char *s, char *out, size_t sz)
{
	const uint8_t *p = (const uint8_t *)s;
	int32_t i = 0, len = (int32_t)strnlen(s, 1 << 20);
	size_t o = 0;

	if (sz == 0)
		return;
	while (i < len) {
		int32_t start = i;
		UChar32 c;
		size_t n;

		U8_NEXT(p, i, len, c);
		n = c >= 0 && shows_as_itself(c) ? (size_t)(i - start) : 1;
		if (o + n >= sz)
			break;
		if (n == 1 && (c < 0 || !shows_as_itself(c)))
			out[o] = '?';
		else
			memcpy(out + o, s + start, n);
		o += n;
	}
	out[o] = '\0';
}

/* Append "72.1" for v, or "?" when st failed. */
static void
put_version(const UVersionInfo v, UErrorCode st, struct buf *out)
{
	char s[U_MAX_VERSION_STRING_LENGTH];

	if (U_FAILURE(st)) {
		buf_putc(out, '?');
		return;
	}
	u_versionToString(v, s);
	buf_puts(out, s);
}

void
i18n_icu_versions(struct buf *out)
{
	UVersionInfo v;
	UErrorCode st = U_ZERO_ERROR;

	u_getVersion(v);
	buf_puts(out, "icu ");
	put_version(v, U_ZERO_ERROR, out);
	u_getDataVersion(v, &st);
	buf_puts(out, " (data ");
	put_version(v, st, out);
	st = U_ZERO_ERROR;
	ulocdata_getCLDRVersion(v, &st);
	buf_puts(out, ", cldr ");
	put_version(v, st, out);
	u_getUnicodeVersion(v);
	buf_puts(out, ", unicode ");
	put_version(v, U_ZERO_ERROR, out);
	buf_putc(out, ')');
}

int
i18n_country_letter(const char *cc)
{
	char loc[8];
	int32_t h = 0, w = 0;
	UErrorCode st = U_ZERO_ERROR;

	if (cc == NULL || strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' ||
	    cc[1] < 'A' || cc[1] > 'Z')
		return 0;
	snprintf(loc, sizeof(loc), "und_%s", cc);
	ulocdata_getPaperSize(loc, &h, &w, &st);
	/* Letter is 279 x 216 mm in CLDR; A4 297 x 210. */
	return U_SUCCESS(st) && h == 279 && w == 216;
}
