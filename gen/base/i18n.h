/*
 * i18n.h - per-language labels and ICU formatting for invoices: message
 * catalogues (locales/LANG.txt), plural forms, currency amounts, plain
 * decimals, percentages, dates, country names, currency digits.
 *
 * Calling sequence
 *   struct i18n *i;
 *   if (i18n_open("locales", "lt+en", &i, &err) != GEN_OK) ...
 *   i18n_text(i, "seller")                      -> "Pardavėjas"
 *   i18n_format(i, "period_months",
 *       (struct i18n_arg[]){ I18N_INT("n", 6) }, 1, &out, &err)
 *                                               -> "6 mėnesiai"
 *   i18n_format_amount(i, 123456, "EUR", 2, &out, &err)
 *                                               -> "1 234,56 €"
 *   i18n_text(i18n_secondary(i), "seller")      -> "Seller"
 *   i18n_close(i);
 *
 * Language tags
 *   A BCP 47 tag: "en", "lt", "ru", "de", "de-AT", "ar-u-nu-latn".  The
 *   labels come from DIR/LANG.txt for the tag's language subtag (lt for
 *   "lt-LT"); a language without a catalogue file uses the English labels
 *   (i18n_has_catalogue() says which), but numbers, amounts, dates,
 *   plurals and country names are formatted by ICU for the tag itself:
 *   "de" gives English labels and "1.234,56 €" (i18n_open_opts() with
 *   I18N_ENGLISH_WITHOUT_CATALOGUE makes dates and country names English
 *   too).  A tag whose
 *   language ICU has no data for ("xx") is refused.
 *   Bilingual documents: "PRIMARY+SECONDARY" ("lt+en").  "lt-en" is
 *   accepted as the same thing because EN is not a country code, so it
 *   cannot be a region subtag; in general "xx-yy" means bilingual only
 *   when yy is an ISO 639 language and not an ISO 3166 country ("ru-lt"
 *   is Russian as used in Lithuania; write "ru+lt" for the pair).
 *   Bilingual objects format numbers, dates and messages in the primary
 *   language; i18n_secondary() gives the secondary language's object.
 *
 * Determinism
 *   Every ICU call gets an explicit locale ID; the process locale (LANG,
 *   LC_ALL) and time zone (TZ) are never consulted.  Dates are calendar
 *   dates formatted in the Gregorian calendar in UTC, whatever the
 *   locale's default calendar (th, fa).  Output depends only on the tag,
 *   the catalogue files and the ICU version (ICU 72 in Debian 12): a new
 *   ICU/CLDR can change a space or a month name, so the byte-exact tests
 *   pin 72 and documents that must regenerate byte-identically must be
 *   rendered with the same ICU.  The locale's own digits are used ("ar"
 *   gives Arabic-Indic digits; "ar-u-nu-latn" gives 0-9).
 *
 * Thread safety
 *   i18n_open() reads the catalogue once; labels are then immutable, so
 *   the const functions (i18n_text, i18n_text2, i18n_missing_keys,
 *   i18n_check, i18n_country_name, i18n_tag, ...) may be called from any
 *   number of threads (i18n_country_name keeps the names it looked up
 *   per thread, not in the object).  The formatting functions take a non-const
 *   struct i18n * because they create (on first use) and reuse the
 *   object's ICU formatters, which are not safe for concurrent use: one
 *   object must format on one thread at a time.  Open one object per
 *   thread or per document: opening costs about 30 us (en) to 60 us
 *   (lt, lt+en), plus 1-15 us for each kind of formatter first used.
 *   Different objects share nothing.
 *
 * Output
 *   Formatting functions append UTF-8 to a struct buf and leave it
 *   unchanged on failure.  Spaces are what ICU/CLDR puts there and are
 *   NOT plain spaces in many locales: lt and ru group digits with U+00A0
 *   and put U+00A0 before "€" and "%"; ru dates use U+202F before "г.";
 *   lt writes a minus as U+2212.
 *
 * Catalogue files (DIR/LANG.txt, UTF-8) -- see the comment at the top of
 * locales/en.txt for the full description:
 *   # comment
 *   key = text with {arguments}
 *   Keys are [a-z][a-z0-9_]*; a value runs to the end of the line with
 *   surrounding blanks removed; "\n" is a newline and "\\" a backslash;
 *   duplicate keys, bad UTF-8, control characters and message syntax
 *   errors are refused at open with file:line.
 *
 * Message syntax (i18n_format), a subset of ICU MessageFormat:
 *   {name}                 a string argument, or an integer formatted for
 *                          the locale ("1 234"); name is an identifier or
 *                          a position (0, 1, ...)
 *   {name, number}         an integer argument, formatted
 *   {name, plural, one {...} few {...} other {...}}
 *                          an integer argument; the branch is chosen by
 *                          "=N" exact values first, then by the locale's
 *                          plural category (ICU plural rules: en one/other,
 *                          lt one/few/many/other, ru one/few/many/other),
 *                          else "other"; "#" inside is the number
 *   {name, select, a {...} other {...}}
 *                          a string argument chosen by value
 *   ''  is an apostrophe; '{...}' quotes syntax characters ({ } and #
 *   inside plural branches), as ICU's default apostrophe mode does.  Any
 *   other apostrophe is literal ("payer's").
 *   The catalogues' messages are formatted by this code rather than by
 *   umsg_format(), whose C API reads its arguments as varargs typed by the
 *   pattern: a translated pattern with a different argument type would
 *   make it read the wrong type from the stack.  Here arguments are a
 *   typed array and a mismatch is an error.
 *
 * Must not: read the environment, call setlocale(), use the default ICU
 * locale or time zone, or use floating point for amounts.
 */
#ifndef INVGEN_I18N_H
#define INVGEN_I18N_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "invgen.h"

struct i18n;

/* The longest tag accepted by i18n_open(). */
#define I18N_TAG_MAX 63

enum i18n_arg_type {
	I18N_ARG_STR = 1,
	I18N_ARG_INT
};

/*
 * One message argument.  name is matched against {name}; a numeric
 * {N} uses args[N] whatever its name.  Strings are UTF-8 and copied
 * verbatim; integers must lie within +-2^53 (exact in plural rules).
 */
struct i18n_arg {
	const char *name;
	enum i18n_arg_type type;
	const char *str;
	int64_t num;
};

#define I18N_STR(n, s) \
	((struct i18n_arg){ .name = (n), .type = I18N_ARG_STR, .str = (s) })
#define I18N_INT(n, v) \
	((struct i18n_arg){ .name = (n), .type = I18N_ARG_INT, .num = (v) })

/*
 * Open the catalogues of DIR for a language tag (see "Language tags").
 * DIR/en.txt must exist (the fallback for every key); DIR/LANG.txt is
 * read when it exists.  On success *out is a new object the caller
 * closes with i18n_close().  Returns GEN_EINPUT for a malformed or
 * unsupported tag or a malformed catalogue (with file:line), GEN_EIO when
 * a file cannot be read, GEN_EICU when ICU fails; *out is then NULL.
 */
enum gen_rc i18n_open(const char *dir, const char *tag, struct i18n **out,
    struct gen_err *err);

/*
 * The same with options (flags, ORed):
 *   I18N_ENGLISH_WITHOUT_CATALOGUE  a language without a catalogue file
 *       is wholly English: country names, month names and the long-date
 *       pattern come from "en" like its labels; only numbers, amounts
 *       and percentages keep the language's format ("de": "August 14,
 *       2025", "Germany", "1.234,56 €").  Without it (layout version 1)
 *       country and month names are the language's own.
 */
#define I18N_ENGLISH_WITHOUT_CATALOGUE	1u
enum gen_rc i18n_open_opts(const char *dir, const char *tag, unsigned flags,
    struct i18n **out, struct gen_err *err);

/* Close an object from i18n_open(); NULL is allowed. */
/*
 * Check a language tag the way i18n_open would, without reading any
 * catalogue: well-formed, one language or two ("lt+en", "lt-en"), each
 * with ICU locale data.  GEN_EINPUT "language: ..." otherwise.
 */
enum gen_rc i18n_check_tag(const char *tag, struct gen_err *err);
void i18n_close(struct i18n *i);

/* The longest language subtag i18n_tag_languages() gives ("lt", "haw"). */
#define I18N_LANG_MAX 11

/*
 * The language subtags of a tag as i18n_open() reads it: "lt-en" -> "lt",
 * "en"; "ru-LT" -> "ru", ""; "de-AT+lt" -> "de", "lt".  lang2 is "" for a
 * monolingual tag.  GEN_EINPUT as i18n_check_tag().
 */
enum gen_rc i18n_tag_languages(const char *tag, char lang1[I18N_LANG_MAX + 1],
    char lang2[I18N_LANG_MAX + 1], struct gen_err *err);

/*
 * 1 when the language has its own catalogue: DIR/LANG.txt is a file, or
 * the language is one invgen ships (en, lt, ru), whose file must be there
 * (i18n_open refuses a shipped language whose file is missing, so that a
 * damaged installation is an error, never English labels).
 */
int i18n_catalogue_exists(const char *dir, const char *lang);

/*
 * The secondary language of a bilingual object, or NULL.  Borrowed: it
 * lives and dies with i (do not close it) and is used on i's thread.
 * Non-const like strchr(), so that it can format.
 */
struct i18n *i18n_secondary(const struct i18n *i);

/* The canonical tag the object was opened for: "lt", "de-AT", "lt+en". */
const char *i18n_tag(const struct i18n *i);

/* The ICU locale ID used for formatting (primary language): "de_AT". */
const char *i18n_locale(const struct i18n *i);

/* 1 if the primary language has its own catalogue file, 0 if its labels
 * all come from en.txt. */
int i18n_has_catalogue(const struct i18n *i);

/*
 * The label for key in the primary language: its catalogue, else en.txt,
 * else the key itself.  The text is returned verbatim (a message's
 * pattern is not formatted).  Borrowed, valid until i18n_close().
 */
const char *i18n_text(const struct i18n *i, const char *key);

/*
 * Append the label for key: "primary / secondary" for a bilingual object
 * whose two texts differ, else just the primary text.
 */
void i18n_text2(const struct i18n *i, const char *key, struct buf *out);

/*
 * Format the message key (see "Message syntax") in the primary language
 * with nargs arguments and append it to out.  Returns GEN_EINPUT when an
 * argument is missing or of the wrong type ("period_months: argument 'n'
 * must be an integer"), GEN_EICU when ICU fails.  A missing key formats
 * the key itself, like i18n_text().
 */
enum gen_rc i18n_format(struct i18n *i, const char *key,
    const struct i18n_arg *args, size_t nargs, struct buf *out,
    struct gen_err *err);

/*
 * The keys of en.txt that the primary language's catalogue lacks, in
 * en.txt's order.  *keys is set to a new array (free() it; the strings
 * are borrowed from i); returns its length.  A language without a
 * catalogue lacks every key.
 */
size_t i18n_missing_keys(const struct i18n *i, const char ***keys);

/*
 * Check the primary catalogue against en.txt: no missing and no extra
 * keys, every message uses the same argument names as in English, and
 * every plural has a branch for each plural category of the language
 * (and none it cannot select).  Returns GEN_EINPUT naming the first
 * problem ("locales/lt.txt:12: period_months: no branch for plural
 * category 'many'").
 */
enum gen_rc i18n_check(const struct i18n *i, struct gen_err *err);

/*
 * Append an amount of minor units with digits fraction digits (0..4) in
 * currency (three capital letters; codes ICU does not know are shown as
 * the code) for the locale: en "€1,234.56", "-€12.00"; lt
 * "1 234,56 €", "−12,00 €".  Exact for every int64_t: the number goes to
 * ICU as a decimal string.  digits is the caller's (the invoice's stored
 * exponent, see i18n_currency_digits()), not ICU's.  Returns GEN_EINPUT
 * for a malformed currency or digits out of range.
 */
enum gen_rc i18n_format_amount(struct i18n *i, int64_t minor,
    const char *currency, int digits, struct buf *out, struct gen_err *err);

/*
 * Append value * 10^-scale (scale 0..9), showing exactly scale fraction
 * digits and the locale's grouping: (15, 1) -> en "1.5", lt "1,5";
 * (1234567, 0) -> lt "1 234 567".  Returns GEN_EINPUT for a bad scale.
 */
enum gen_rc i18n_format_decimal(struct i18n *i, int64_t value, int scale,
    struct buf *out, struct gen_err *err);

/*
 * Append a rate in basis points (0..100000, i.e. 0 % .. 1000 %) as a
 * percentage with up to two fraction digits, trailing zeros dropped: 2100
 * -> en "21%", lt "21 %"; 2550 -> en "25.5%", lt "25,5 %".  Returns
 * GEN_EINPUT when out of range.
 */
enum gen_rc i18n_format_percent(struct i18n *i, int rate_bp,
    struct buf *out, struct gen_err *err);

/*
 * Append the calendar date iso ("YYYY-MM-DD", years 1583..9999) in the
 * locale's long date format (ICU UDAT_LONG, Gregorian, UTC): en "August
 * 14, 2025", en-GB "14 August 2025", lt "2025 m. rugpjūčio 14 d.", ru
 * "14 августа 2025 г.".  Returns GEN_EINPUT for a malformed or
 * impossible date ("2025-02-29").
 */
enum gen_rc i18n_format_date(struct i18n *i, const char *iso,
    struct buf *out, struct gen_err *err);

/*
 * 1 when i18n_format_date() expands the locale's long-date pattern itself
 * (from ICU's pattern and month names; a SimpleDateFormat costs ~0.9 ms
 * to create), 0 when it uses a SimpleDateFormat; the output is the same.
 * For tests.
 */
int i18n_date_is_direct(struct i18n *i);

/*
 * Append the name of the country with ISO 3166-1 alpha-2 code cc in the
 * primary language: "DE" -> lt "Vokietija".  Returns GEN_EINPUT for a
 * code ICU does not list as a country.
 */
enum gen_rc i18n_country_name(const struct i18n *i, const char *cc,
    struct buf *out, struct gen_err *err);

/*
 * The number of minor-unit digits (ISO 4217 exponent) of a currency.
 * ICU's value (ucurr_getDefaultFractionDigitsForUsage, standard usage)
 * except for the currencies where CLDR departs from ISO 4217, which a
 * table in i18n.c sets back to ISO 4217 (IQD 3, RSD 2, ...).  Returns
 * GEN_EINPUT for a malformed or unknown code (see i18n_currency_known).
 */
enum gen_rc i18n_currency_digits(const char *code, int *digits,
    struct gen_err *err);

/*
 * 1 if code is an ISO 4217 currency in current use according to ICU
 * (ucurr_openISOCurrencies(UCURR_COMMON | UCURR_NON_DEPRECATED)), else 0.
 * Not tied to a date: ICU 72 still lists HRK, which the euro replaced on
 * 2023-01-01; use i18n_currency_valid_on() for a document's date.
 */
int i18n_currency_known(const char *code);

/*
 * GEN_OK when code is known (i18n_currency_known) and not withdrawn by
 * the calendar date iso (a table in i18n.c of the currencies replaced
 * since 2000: HRK from 2023-01-01, BGN from 2026-01-01, ...); GEN_EINPUT
 * otherwise ("currency: HRK was withdrawn on 2023-01-01; ...").
 */
enum gen_rc i18n_currency_valid_on(const char *code, const char *iso,
    struct gen_err *err);

/*
 * s made safe to show on a terminal or in a log, into out (at most sz - 1
 * bytes and a NUL, cut only between characters): every character ICU
 * does not call printable (u_isprint: controls, format characters such
 * as U+202E and the other bidi controls, unassigned, private use,
 * surrogates), every line or paragraph separator, bidi control or other
 * default-ignorable character (zero-width space, joiners, variation
 * selectors, fillers) and every byte of invalid UTF-8 becomes '?'.
 */
void i18n_printable(const char *s, char *out, size_t sz);

/*
 * The paper that people in country cc (ISO 3166-1 alpha-2) expect: 1 for
 * US Letter, 0 for A4 (and the other ISO sizes).  ICU's paper size of the
 * locale und_CC (CLDR's territory data, ulocdata_getPaperSize): Letter in
 * the United States, Canada, Mexico, the Philippines and the other
 * countries CLDR lists (ICU 72: BZ, CA, CL, CO, CR, GT, MX, NI, PA, PH,
 * PR, SV, US, VE).  Never the language's: plain "en" is Letter too.  An
 * unknown or malformed code gives 0.
 */
int i18n_country_letter(const char *cc);

/*
 * Append the versions of ICU and of the data it formats with, which the
 * output depends on (a new CLDR can change a space or a month name):
 * "icu 72.1 (data 72.1, cldr 42.0, unicode 15.0)".  Recorded with each
 * issued document (render_env).
 */
void i18n_icu_versions(struct buf *out);

#endif
