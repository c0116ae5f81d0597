/*
 * test-i18n.c - unit tests of gen/base/i18n.c: the shipped catalogues
 * (locales/en.txt, lt.txt, ru.txt), plural forms, amounts, decimals,
 * percentages, dates, country names, currency digits, bilingual objects,
 * language tags, catalogue and message errors, and independence from
 * ICU's default locale and time zone.
 *
 * Expected strings are what ICU 72.1 (Debian 12, CLDR 42) produces; the
 * spaces are spelled out: NBSP U+00A0, NNBSP U+202F, MINUS U+2212.  A
 * newer ICU may change them; then these tests say exactly what changed.
 * Plural categories: CLDR plural rules (lt: one = n%10=1 and n%100 not
 * 11..19; few = n%10=2..9 and n%100 not 11..19; many = fractions; ru:
 * one = 1, 21, ...; few = 2-4, 22-24, ...; many = 0, 5-20, 25-30, ...).
 * ISO 4217 minor units: REFERENCE.md 7.1.
 *
 * Usage: test-i18n [LOCALES_DIR]   (default "locales", run from the
 * repository root).
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "err.h"
#include "i18n.h"
#include "testlib.h"

#define NBSP	"\xc2\xa0"
#define NNBSP	"\xe2\x80\xaf"
#define MINUS	"\xe2\x88\x92"

static const char *dir = "locales";
static char tmpdir[64];
static struct buf out;
static char errtext[GEN_ERR_MSG_SIZE + 8];

/* Open a language of the shipped catalogues; NULL (and a failed check)
 * on error. */
static struct i18n *
open_lang(const char *tag)
{
	struct i18n *i = NULL;
	struct gen_err err = { 0 };

	test_checks++;
	if (i18n_open(dir, tag, &i, &err) != GEN_OK) {
		test_failures++;
		fprintf(stderr, "i18n_open(%s): %s\n", tag, err.msg);
	}
	return i;
}

/* The result of a formatting call: the text, or "ERR: message". */
static const char *
result(enum gen_rc rc, const struct gen_err *err)
{
	if (rc != GEN_OK) {
		snprintf(errtext, sizeof(errtext), "ERR: %s", err->msg);
		return errtext;
	}
	return out.data != NULL ? out.data : "";
}

static const char *
amount(struct i18n *i, int64_t minor, const char *cur, int digits)
{
	struct gen_err err = { 0 };

	buf_reset(&out);
	return result(i18n_format_amount(i, minor, cur, digits, &out, &err),
	    &err);
}

static const char *
decimal(struct i18n *i, int64_t v, int scale)
{
	struct gen_err err = { 0 };

	buf_reset(&out);
	return result(i18n_format_decimal(i, v, scale, &out, &err), &err);
}

static const char *
percent(struct i18n *i, int bp)
{
	struct gen_err err = { 0 };

	buf_reset(&out);
	return result(i18n_format_percent(i, bp, &out, &err), &err);
}

static const char *
date(struct i18n *i, const char *iso)
{
	struct gen_err err = { 0 };

	buf_reset(&out);
	return result(i18n_format_date(i, iso, &out, &err), &err);
}

static const char *
country(struct i18n *i, const char *cc)
{
	struct gen_err err = { 0 };

	buf_reset(&out);
	return result(i18n_country_name(i, cc, &out, &err), &err);
}

/* Format key with one integer argument n. */
static const char *
plural(struct i18n *i, const char *key, int64_t n)
{
	struct gen_err err = { 0 };
	struct i18n_arg a = I18N_INT("n", n);

	buf_reset(&out);
	return result(i18n_format(i, key, &a, 1, &out, &err), &err);
}

static const char *
message(struct i18n *i, const char *key, const struct i18n_arg *args,
    size_t n)
{
	struct gen_err err = { 0 };

	buf_reset(&out);
	return result(i18n_format(i, key, args, n, &out, &err), &err);
}

/* ------------------------------------------------------------------ */
/* Scratch catalogues in a temporary directory.                         */

static void
put_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static void
rm_file(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
}

/* Open tag from the scratch directory with en.txt = en (and lt.txt = lt
 * when not NULL); returns the rc and leaves the message in err. */
static enum gen_rc
open_scratch(const char *en, const char *lt, const char *tag,
    struct i18n **i, struct gen_err *err)
{
	rm_file("en.txt");
	rm_file("lt.txt");
	if (en != NULL)
		put_file("en.txt", en);
	if (lt != NULL)
		put_file("lt.txt", lt);
	gen_err_clear(err);
	*i = NULL;
	return i18n_open(tmpdir, tag, i, err);
}

/* ------------------------------------------------------------------ */

static void
test_open_and_tags(void)
{
	struct i18n *i;
	struct gen_err err = { 0 };
	static const struct {
		const char *tag, *canon, *locale, *second;
	} ok[] = {
		{ "en", "en", "en", NULL },
		{ "lt", "lt", "lt", NULL },
		{ "ru", "ru", "ru", NULL },
		{ "LT", "lt", "lt", NULL },
		{ "de-AT", "de-AT", "de_AT", NULL },
		{ "en-GB", "en-GB", "en_GB", NULL },
		{ "lt+en", "lt+en", "lt", "en" },
		{ "lt-en", "lt+en", "lt", "en" },	/* EN is no country */
		{ "ru+lt", "ru+lt", "ru", "lt" },
		{ "ru-lt", "ru-LT", "ru_LT", NULL },	/* LT: a country */
		{ "en+ru", "en+ru", "en", "ru" },
		{ "ar-u-nu-latn", "ar-u-nu-latn", "ar@numbers=latn", NULL },
		{ "es-419", "es-419", "es_419", NULL },
	};
	static const struct {
		const char *tag, *frag;
	} bad[] = {
		{ "", "1..63" },
		{ "xx", "no ICU locale data" },
		{ "tlh", "no ICU locale data" },
		{ "lt_LT", "contains '_'" },
		{ "lt LT", "contains ' '" },
		{ "lt+", "two joined by '+'" },
		{ "+en", "two joined by '+'" },
		{ "lt+en+ru", "two joined by '+'" },
		{ "en+en", "names 'en' twice" },
		{ "lt-", "not a well-formed BCP 47 tag" },
		{ "de-XX", "region 'XX'" },
		{ "lt+xx", "no ICU locale data" },
		{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "1..63" },
	};
	size_t k;

	for (k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		if ((i = open_lang(ok[k].tag)) == NULL)
			continue;
		CHECK_STR(i18n_tag(i), ok[k].canon);
		CHECK_STR(i18n_locale(i), ok[k].locale);
		if (ok[k].second == NULL)
			CHECK(i18n_secondary(i) == NULL);
		else
			CHECK(i18n_secondary(i) != NULL &&
			    strcmp(i18n_tag(i18n_secondary(i)),
			    ok[k].second) == 0);
		i18n_close(i);
	}
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		i = NULL;
		gen_err_clear(&err);
		CHECK_INT(i18n_open(dir, bad[k].tag, &i, &err), GEN_EINPUT);
		CHECK(i == NULL);
		CHECK_MSG(err, bad[k].frag);
	}
	CHECK_INT(i18n_open(dir, NULL, &i, &err), GEN_EINPUT);
	CHECK_MSG(err, "language: missing");
	CHECK_INT(i18n_open(NULL, "en", &i, &err), GEN_EINPUT);
	CHECK_INT(i18n_open("/nonexistent/locales", "en", &i, &err),
	    GEN_EIO);
	CHECK_MSG(err, "/nonexistent/locales/en.txt: cannot open");
	CHECK(i == NULL);
	i18n_close(NULL);
}

static void
test_labels(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru"), *de = open_lang("de"),
	    *bi = open_lang("lt-en");

	if (en == NULL || lt == NULL || ru == NULL || de == NULL ||
	    bi == NULL)
		goto out;
	CHECK_STR(i18n_text(en, "title_vat_invoice"), "VAT invoice");
	CHECK_STR(i18n_text(lt, "title_vat_invoice"),
	    "PVM sąskaita faktūra");
	CHECK_STR(i18n_text(lt, "title_invoice"), "Sąskaita faktūra");
	CHECK_STR(i18n_text(lt, "title_vat_credit_note"),
	    "Kreditinė PVM sąskaita faktūra");
	CHECK_STR(i18n_text(lt, "reverse_charge"),
	    "Atvirkštinis apmokestinimas");
	CHECK_STR(i18n_text(ru, "title_vat_invoice"), "Счёт-фактура НДС");
	CHECK_STR(i18n_text(ru, "seller"), "Продавец");
	CHECK_STR(i18n_text(en, "note_reverse_charge"),
	    "Reverse charge / Atvirkštinis apmokestinimas – VAT to be "
	    "accounted for by the customer (Art. 44 and 196 of Directive "
	    "2006/112/EC)");
	CHECK_STR(i18n_text(en, "note_outside_scope"),
	    "Outside the scope of EU VAT: the place of supply ({country}) is "
	    "outside the EU.");
	/* A language without a catalogue: English labels. */
	CHECK_INT(i18n_has_catalogue(de), 0);
	CHECK_INT(i18n_has_catalogue(lt), 1);
	CHECK_STR(i18n_text(de, "seller"), "Seller");
	/* Unknown key: the key itself. */
	CHECK_STR(i18n_text(lt, "no_such_key"), "no_such_key");
	CHECK_STR(message(lt, "no_such_key", NULL, 0), "no_such_key");

	/* Bilingual: primary / secondary; identical texts once. */
	buf_reset(&out);
	i18n_text2(bi, "title_vat_invoice", &out);
	CHECK_STR(out.data, "PVM sąskaita faktūra / VAT invoice");
	buf_reset(&out);
	i18n_text2(bi, "iban", &out);
	CHECK_STR(out.data, "IBAN");
	buf_reset(&out);
	i18n_text2(lt, "seller", &out);
	CHECK_STR(out.data, "Pardavėjas");
	CHECK_STR(i18n_text(bi, "seller"), "Pardavėjas");
	CHECK_STR(i18n_text(i18n_secondary(bi), "seller"), "Seller");
	/* The secondary formats in its own language. */
	CHECK_STR(plural(i18n_secondary(bi), "period_months", 6), "6 months");
	CHECK_STR(amount(i18n_secondary(bi), 123456, "EUR", 2), "€1,234.56");
	CHECK_STR(plural(bi, "period_months", 6), "6 mėnesiai");
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
	i18n_close(de);
	i18n_close(bi);
}

static void
test_plurals(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru"), *fr = open_lang("fr");

	if (en == NULL || lt == NULL || ru == NULL || fr == NULL)
		goto out;
	CHECK_STR(plural(en, "period_months", 1), "1 month");
	CHECK_STR(plural(en, "period_months", 6), "6 months");
	CHECK_STR(plural(en, "period_months", 12), "12 months");
	CHECK_STR(plural(en, "period_months", 0), "0 months");
	CHECK_STR(plural(en, "period_months", 1000), "1,000 months");

	CHECK_STR(plural(lt, "period_months", 1), "1 mėnuo");
	CHECK_STR(plural(lt, "period_months", 6), "6 mėnesiai");
	CHECK_STR(plural(lt, "period_months", 12), "12 mėnesių");
	CHECK_STR(plural(lt, "period_months", 21), "21 mėnuo");
	CHECK_STR(plural(lt, "period_months", 36), "36 mėnesiai");
	CHECK_STR(plural(lt, "period_months", 10), "10 mėnesių");
	CHECK_STR(plural(lt, "period_months", 11), "11 mėnesių");
	CHECK_STR(plural(lt, "period_months", 1000),
	    "1" NBSP "000 mėnesių");

	CHECK_STR(plural(ru, "period_months", 1), "1 месяц");
	CHECK_STR(plural(ru, "period_months", 6), "6 месяцев");
	CHECK_STR(plural(ru, "period_months", 12), "12 месяцев");
	CHECK_STR(plural(ru, "period_months", 36), "36 месяцев");
	CHECK_STR(plural(ru, "period_months", 2), "2 месяца");
	CHECK_STR(plural(ru, "period_months", 21), "21 месяц");
	CHECK_STR(plural(ru, "period_months", 11), "11 месяцев");
	CHECK_STR(plural(ru, "period_months", 22), "22 месяца");

	CHECK_STR(plural(en, "opt_sip_accounts", 1), "1 SIP account");
	CHECK_STR(plural(en, "opt_sip_accounts", 3), "3 SIP accounts");
	CHECK_STR(plural(lt, "opt_sip_accounts", 5), "5 SIP paskyros");
	CHECK_STR(plural(lt, "opt_sip_accounts", 15), "15 SIP paskyrų");
	CHECK_STR(plural(ru, "opt_sip_accounts", 5), "5 SIP-аккаунтов");
	CHECK_STR(plural(ru, "opt_sip_accounts", 3), "3 SIP-аккаунта");
	CHECK_STR(plural(en, "opt_call_recording", 30),
	    "Call recording: 30 days");
	CHECK_STR(plural(lt, "opt_call_recording", 30),
	    "Pokalbių įrašymas: 30 dienų");
	CHECK_STR(plural(ru, "opt_call_recording", 1),
	    "Запись звонков: 1 день");
	CHECK_STR(plural(en, "opt_gateway_lines", 2), "2 Gateway lines");
	CHECK_STR(plural(lt, "opt_gateway_lines", 2), "2 Gateway linijos");
	CHECK_STR(plural(ru, "opt_gateway_lines", 2), "2 линии Gateway");

	/* fr has no catalogue: the English pattern chooses by English rules
	 * (French calls 0 singular), but numbers are French. */
	CHECK_STR(plural(fr, "period_months", 0), "0 months");
	CHECK_STR(plural(fr, "period_months", 1000),
	    "1" NNBSP "000 months");
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
	i18n_close(fr);
}

static void
test_messages(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru");
	struct gen_err err = { 0 };
	struct i18n_arg pages[] = { I18N_INT("page", 2),
	    I18N_INT("pages", 3) };
	struct i18n_arg inv[] = { I18N_STR("number", "TLS 000123"),
	    I18N_STR("date", "2025-08-14") };
	struct i18n_arg oss[] = { I18N_STR("country", "Germany"),
	    I18N_STR("rate", "19%") };

	if (en == NULL || lt == NULL || ru == NULL)
		goto out;
	CHECK_STR(message(en, "page_n_of_m", pages, 2), "Page 2 of 3");
	CHECK_STR(message(lt, "page_n_of_m", pages, 2), "Puslapis 2 iš 3");
	CHECK_STR(message(ru, "page_n_of_m", pages, 2), "Страница 2 из 3");
	CHECK_STR(message(en, "corrects_invoice", inv, 2),
	    "Corrects invoice TLS 000123 of 2025-08-14");
	CHECK_STR(message(ru, "corrects_invoice", inv, 2),
	    "Корректирует счёт-фактуру TLS 000123 от 2025-08-14");
	CHECK_STR(message(en, "note_oss", oss, 2), "VAT of Germany at 19% "
	    "under the EU One-Stop-Shop (OSS) Union scheme");
	CHECK_STR(message(en, "paid_on",
	    (struct i18n_arg[]){ I18N_STR("date", "August 14, 2025") }, 1),
	    "Paid on August 14, 2025");

	/* Appends, and leaves the buffer alone on failure. */
	buf_reset(&out);
	buf_puts(&out, "> ");
	CHECK_INT(i18n_format(en, "page_n_of_m", pages, 2, &out, &err),
	    GEN_OK);
	CHECK_STR(out.data, "> Page 2 of 3");
	CHECK_INT(i18n_format(en, "page_n_of_m", pages, 1, &out, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "page_n_of_m: argument 'pages' not supplied");
	CHECK_STR(out.data, "> Page 2 of 3");

	/* Wrong types and ranges. */
	CHECK_STR(message(en, "period_months",
	    (struct i18n_arg[]){ I18N_STR("n", "6") }, 1),
	    "ERR: period_months: argument 'n' must be an integer");
	CHECK_STR(plural(en, "period_months", ((int64_t)1 << 53) + 1),
	    "ERR: period_months: argument 'n' = 9007199254740993 is out of "
	    "range; allowed -2^53..2^53");
	CHECK_STR(message(en, "paid_on",
	    (struct i18n_arg[]){ I18N_STR("date", NULL) }, 1),
	    "ERR: paid_on: argument 'date' is a NULL string");
	/* An integer in a plain {name} is formatted for the locale. */
	CHECK_STR(message(lt, "paid_on",
	    (struct i18n_arg[]){ I18N_INT("date", 20250814) }, 1),
	    "Apmokėta 20" NBSP "250" NBSP "814");
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
}

static void
test_amounts(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru"), *de = open_lang("de"),
	    *gb = open_lang("en-GB");

	if (en == NULL || lt == NULL || ru == NULL || de == NULL ||
	    gb == NULL)
		goto out;
	CHECK_STR(amount(en, 123456, "EUR", 2), "€1,234.56");
	CHECK_STR(amount(en, -1200, "EUR", 2), "-€12.00");
	CHECK_STR(amount(en, 0, "EUR", 2), "€0.00");
	CHECK_STR(amount(en, -5, "EUR", 2), "-€0.05");
	CHECK_STR(amount(en, 123456, "USD", 2), "$1,234.56");
	CHECK_STR(amount(gb, 123456, "USD", 2), "US$1,234.56");
	CHECK_STR(amount(en, 1450, "JPY", 0), "¥1,450");
	CHECK_STR(amount(en, 1234, "IQD", 3), "IQD" NBSP "1.234");
	CHECK_STR(amount(en, 1257, "CHF", 2), "CHF" NBSP "12.57");
	CHECK_STR(amount(en, 12345, "BTC", 4), "BTC" NBSP "1.2345");
	/* Exact at the ends of int64_t (no double anywhere). */
	CHECK_STR(amount(en, INT64_MAX, "EUR", 2),
	    "€92,233,720,368,547,758.07");
	CHECK_STR(amount(en, INT64_MIN, "EUR", 2),
	    "-€92,233,720,368,547,758.08");
	CHECK_STR(amount(en, 900719925474099399, "EUR", 2),
	    "€9,007,199,254,740,993.99");

	CHECK_STR(amount(lt, 123456, "EUR", 2), "1" NBSP "234,56" NBSP "€");
	CHECK_STR(amount(lt, -1200, "EUR", 2), MINUS "12,00" NBSP "€");
	CHECK_STR(amount(lt, 123456, "USD", 2),
	    "1" NBSP "234,56" NBSP "USD");
	CHECK_STR(amount(ru, 123456, "EUR", 2), "1" NBSP "234,56" NBSP "€");
	CHECK_STR(amount(ru, -1200, "EUR", 2), "-12,00" NBSP "€");
	CHECK_STR(amount(de, 123456, "EUR", 2), "1.234,56" NBSP "€");
	/* Alternating currencies (the EUR VAT box) keeps both right. */
	CHECK_STR(amount(lt, 100, "USD", 2), "1,00" NBSP "USD");
	CHECK_STR(amount(lt, 100, "EUR", 2), "1,00" NBSP "€");
	CHECK_STR(amount(lt, 100, "GBP", 2), "1,00" NBSP "GBP");
	CHECK_STR(amount(lt, 100, "PLN", 2), "1,00" NBSP "PLN");
	CHECK_STR(amount(lt, 100, "SEK", 2), "1,00" NBSP "SEK");
	CHECK_STR(amount(lt, 100, "USD", 2), "1,00" NBSP "USD");
	CHECK_STR(amount(lt, 1, "JPY", 0), "1" NBSP "JPY");

	CHECK_STR(amount(en, 100, "eur", 2), "ERR: currency: 'eur' is not "
	    "a currency code; allowed: three capital letters (ISO 4217)");
	CHECK_STR(amount(en, 100, "EURO", 2), "ERR: currency: 'EURO' is "
	    "not a currency code; allowed: three capital letters (ISO 4217)");
	CHECK_STR(amount(en, 100, NULL, 2), "ERR: currency: '(null)' is "
	    "not a currency code; allowed: three capital letters (ISO 4217)");
	CHECK_STR(amount(en, 100, "EUR", 5),
	    "ERR: digits: 5 is out of range; allowed 0..4");
	CHECK_STR(amount(en, 100, "EUR", -1),
	    "ERR: digits: -1 is out of range; allowed 0..4");
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
	i18n_close(de);
	i18n_close(gb);
}

static void
test_numbers(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru"), *ar = open_lang("ar");

	if (en == NULL || lt == NULL || ru == NULL || ar == NULL)
		goto out;
	CHECK_STR(decimal(en, 15, 1), "1.5");
	CHECK_STR(decimal(lt, 15, 1), "1,5");
	CHECK_STR(decimal(lt, 1234567, 0), "1" NBSP "234" NBSP "567");
	CHECK_STR(decimal(en, -1500, 3), "-1.500");
	CHECK_STR(decimal(en, 3, 0), "3");
	CHECK_STR(decimal(en, 5, 9), "0.000000005");
	CHECK_STR(decimal(en, 1, 10),
	    "ERR: scale: 10 is out of range; allowed 0..9");
	CHECK_STR(decimal(en, 1, -1),
	    "ERR: scale: -1 is out of range; allowed 0..9");

	CHECK_STR(percent(en, 2100), "21%");
	CHECK_STR(percent(en, 2550), "25.5%");
	CHECK_STR(percent(lt, 2100), "21" NBSP "%");
	CHECK_STR(percent(lt, 2550), "25,5" NBSP "%");
	CHECK_STR(percent(ru, 2550), "25,5" NBSP "%");
	CHECK_STR(percent(en, 0), "0%");
	CHECK_STR(percent(en, 1), "0.01%");
	CHECK_STR(percent(en, 1999), "19.99%");
	CHECK_STR(percent(en, 100000), "1,000%");
	/* Arabic: the locale's own digits, percent sign and ALM. */
	CHECK_STR(percent(ar, 2100), "\xd9\xa2\xd9\xa1\xd9\xaa\xd8\x9c");
	CHECK_STR(percent(en, -1), "ERR: rate: -1 basis points is out of "
	    "range; allowed 0..100000");
	CHECK_STR(percent(en, 100001), "ERR: rate: 100001 basis points is "
	    "out of range; allowed 0..100000");
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
	i18n_close(ar);
}

static void
test_dates(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru"), *gb = open_lang("en-GB"),
	    *de = open_lang("de"), *th = open_lang("th");

	if (en == NULL || lt == NULL || ru == NULL || gb == NULL ||
	    de == NULL || th == NULL)
		goto out;
	CHECK_STR(date(en, "2025-08-14"), "August 14, 2025");
	CHECK_STR(date(gb, "2025-08-14"), "14 August 2025");
	CHECK_STR(date(lt, "2025-08-14"), "2025 m. rugpjūčio 14 d.");
	CHECK_STR(date(ru, "2025-08-14"), "14 августа 2025" NNBSP "г.");
	CHECK_STR(date(de, "2025-08-14"), "14. August 2025");
	/* Thai: Gregorian (ค.ศ. = AD), not the Buddhist year 2568. */
	CHECK_STR(date(th, "2025-08-14"), "14 สิงหาคม ค.ศ. 2025");
	CHECK_STR(date(en, "2024-02-29"), "February 29, 2024");
	CHECK_STR(date(en, "2000-02-29"), "February 29, 2000");
	CHECK_STR(date(en, "1970-01-01"), "January 1, 1970");
	CHECK_STR(date(en, "1583-01-01"), "January 1, 1583");
	CHECK_STR(date(en, "9999-12-31"), "December 31, 9999");
	CHECK_STR(date(lt, "2025-07-09"), "2025 m. liepos 9 d.");

	CHECK_STR(date(en, "2025-02-29"), "ERR: date: day 29 in "
	    "'2025-02-29' does not exist; allowed 01..28");
	CHECK_STR(date(en, "1900-02-29"), "ERR: date: day 29 in "
	    "'1900-02-29' does not exist; allowed 01..28");
	CHECK_STR(date(en, "2025-04-31"), "ERR: date: day 31 in "
	    "'2025-04-31' does not exist; allowed 01..30");
	CHECK_STR(date(en, "2025-13-01"), "ERR: date: month 13 in "
	    "'2025-13-01' is out of range; allowed 01..12");
	CHECK_STR(date(en, "2025-00-10"), "ERR: date: month 00 in "
	    "'2025-00-10' is out of range; allowed 01..12");
	CHECK_STR(date(en, "2025-08-00"), "ERR: date: day 00 in "
	    "'2025-08-00' does not exist; allowed 01..31");
	CHECK_STR(date(en, "1582-10-15"),
	    "ERR: date: year 1582 is out of range; allowed 1583..9999");
	CHECK_STR(date(en, "2025-8-14"),
	    "ERR: date: '2025-8-14' is not a date; allowed: YYYY-MM-DD");
	CHECK_STR(date(en, "2025-08-14T00:00"), "ERR: date: "
	    "'2025-08-14T00:00' is not a date; allowed: YYYY-MM-DD");
	CHECK_STR(date(en, "14.08.2025"),
	    "ERR: date: '14.08.2025' is not a date; allowed: YYYY-MM-DD");
	CHECK_STR(date(en, ""),
	    "ERR: date: '' is not a date; allowed: YYYY-MM-DD");
	CHECK_STR(date(en, NULL),
	    "ERR: date: missing; allowed: a date YYYY-MM-DD");
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
	i18n_close(gb);
	i18n_close(de);
	i18n_close(th);
}

/*
 * i18n_format_date() expands simple long-date patterns itself; in every
 * locale ICU has, for every month and a spread of days and years, it must
 * give exactly what a SimpleDateFormat (UDAT_LONG, Gregorian, UTC) gives.
 */
static void
test_dates_match_icu(void)
{
	static const int days[] = { 1, 2, 9, 10, 28 };
	static const int years[] = { 1583, 1900, 1999, 2000, 2025, 2026, 9999 };
	static const char *const shipped[] = { "en", "lt", "ru" };
	int32_t n = uloc_countAvailable(), direct = 0, compared = 0;
	UErrorCode st = U_ZERO_ERROR;
	UCalendar *cal;

	for (size_t k = 0; k < sizeof(shipped) / sizeof(shipped[0]); k++) {
		struct i18n *i = open_lang(shipped[k]);

		/* the languages of the shipped catalogues take the fast path */
		CHECK(i != NULL && i18n_date_is_direct(i));
		i18n_close(i);
	}
	cal = ucal_open(u"UTC", -1, "en_US_POSIX", UCAL_GREGORIAN, &st);
	CHECK(U_SUCCESS(st));
	for (int32_t l = 0; l < n && U_SUCCESS(st); l++) {
		const char *loc = uloc_getAvailable(l);
		char tag[64], iculoc[ULOC_FULLNAME_CAPACITY];
		struct i18n *i = NULL;
		struct gen_err err = { 0 };
		UDateFormat *f;

		uloc_toLanguageTag(loc, tag, sizeof(tag), 1, &st);
		if (U_FAILURE(st) || i18n_open(dir, tag, &i, &err) != GEN_OK) {
			st = U_ZERO_ERROR;
			continue;	/* refused tags are tested above */
		}
		snprintf(iculoc, sizeof(iculoc), "%s", loc);
		uloc_setKeywordValue("calendar", "gregorian", iculoc,
		    sizeof(iculoc), &st);
		f = udat_open(UDAT_NONE, UDAT_LONG, iculoc, u"UTC", -1, NULL, 0,
		    &st);
		CHECK(U_SUCCESS(st));
		direct += i18n_date_is_direct(i);
		for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++)
			for (int m = 1; m <= 12 && U_SUCCESS(st); m++)
				for (size_t d = 0; d < sizeof(days) /
				    sizeof(days[0]) && U_SUCCESS(st); d++) {
					char iso[40], want[512];
					UChar u[256];
					int32_t len;

					snprintf(iso, sizeof(iso), "%04d-%02d-"
					    "%02d", years[y], m, days[d]);
					ucal_clear(cal);
					ucal_setDateTime(cal, years[y], m - 1,
					    days[d], 0, 0, 0, &st);
					len = udat_format(f, ucal_getMillis(cal,
					    &st), u, 256, NULL, &st);
					u_strToUTF8(want, sizeof(want), NULL, u,
					    len, &st);
					if (U_FAILURE(st))
						break;
					compared++;
					if (strcmp(date(i, iso), want) != 0)
						fprintf(stderr, "locale %s:\n",
						    loc);
					CHECK_STR(date(i, iso), want);
				}
		CHECK(U_SUCCESS(st));
		udat_close(f);
		i18n_close(i);
	}
	ucal_close(cal);
	/* most locales' long dates are plain y, M and d patterns */
	printf("long dates: %d of %d ICU locales expanded directly, %d dates "
	    "compared with udat_format\n", direct, n, compared);
	CHECK(direct > n / 2);
	CHECK(compared > 100000);
}

static void
test_countries(void)
{
	struct i18n *en = open_lang("en"), *lt = open_lang("lt"),
	    *ru = open_lang("ru");

	if (en == NULL || lt == NULL || ru == NULL)
		goto out;
	CHECK_STR(country(en, "DE"), "Germany");
	CHECK_STR(country(lt, "DE"), "Vokietija");
	CHECK_STR(country(ru, "DE"), "Германия");
	CHECK_STR(country(lt, "LT"), "Lietuva");
	CHECK_STR(country(en, "GR"), "Greece");
	CHECK_STR(country(en, "EL"), "ERR: country: 'EL' is not an ISO "
	    "3166-1 alpha-2 code; allowed e.g. LT, DE, US (Greece is GR, not "
	    "EL)");
	CHECK(strncmp(country(en, "de"), "ERR: country: 'de'", 18) == 0);
	CHECK(strncmp(country(en, "ZZ"), "ERR: country: 'ZZ'", 18) == 0);
	CHECK(strncmp(country(en, "DEU"), "ERR: country: 'DEU'", 19) == 0);
	CHECK(strncmp(country(en, NULL), "ERR: country: '(null)'", 22) == 0);
out:
	i18n_close(en);
	i18n_close(lt);
	i18n_close(ru);
}

/*
 * Layout version 2 opens languages with I18N_ENGLISH_WITHOUT_CATALOGUE:
 * a language without a catalogue (de) is wholly English, keeping only
 * its number format; a language with one (lt), and every language
 * without the flag, keeps its own country and month names.
 */
static void
test_english_without_catalogue(void)
{
	struct gen_err err = { 0 };
	struct i18n *de = NULL, *de1 = NULL, *lt = NULL, *ltde = NULL;
	char l1[I18N_LANG_MAX + 1], l2[I18N_LANG_MAX + 1];

	CHECK_INT(i18n_open_opts(dir, "de", I18N_ENGLISH_WITHOUT_CATALOGUE,
	    &de, &err), GEN_OK);
	CHECK_INT(i18n_open_opts(dir, "de", 0, &de1, &err), GEN_OK);
	CHECK_INT(i18n_open_opts(dir, "lt", I18N_ENGLISH_WITHOUT_CATALOGUE,
	    &lt, &err), GEN_OK);
	CHECK_INT(i18n_open_opts(dir, "lt+de", I18N_ENGLISH_WITHOUT_CATALOGUE,
	    &ltde, &err), GEN_OK);
	if (de == NULL || de1 == NULL || lt == NULL || ltde == NULL)
		goto out;
	CHECK(!i18n_has_catalogue(de));
	CHECK_STR(country(de, "DE"), "Germany");
	CHECK_STR(country(de, "LT"), "Lithuania");
	CHECK_STR(date(de, "2025-08-14"), "August 14, 2025");
	CHECK_STR(amount(de, 123456, "EUR", 2), "1.234,56\xc2\xa0\xe2\x82\xac");
	CHECK_STR(i18n_text(de, "title_vat_invoice"), "VAT invoice");
	CHECK_STR(plural(de, "period_months", 1), "1 month");
	CHECK_STR(country(de1, "DE"), "Deutschland");
	CHECK_STR(date(de1, "2025-08-14"), "14. August 2025");
	CHECK_STR(country(lt, "DE"), "Vokietija");
	CHECK_STR(country(i18n_secondary(ltde), "DE"), "Germany");
	CHECK_STR(country(ltde, "DE"), "Vokietija");
out:
	i18n_close(de);
	i18n_close(de1);
	i18n_close(lt);
	i18n_close(ltde);

	/* The language subtags of a tag, and which have a catalogue. */
	CHECK_INT(i18n_tag_languages("lt-en", l1, l2, &err), GEN_OK);
	CHECK_STR(l1, "lt");
	CHECK_STR(l2, "en");
	CHECK_INT(i18n_tag_languages("ru-LT", l1, l2, &err), GEN_OK);
	CHECK_STR(l1, "ru");
	CHECK_STR(l2, "");
	CHECK_INT(i18n_tag_languages("de-AT+lt", l1, l2, &err), GEN_OK);
	CHECK_STR(l1, "de");
	CHECK_STR(l2, "lt");
	CHECK_INT(i18n_tag_languages("xx", l1, l2, &err), GEN_EINPUT);
	CHECK(i18n_catalogue_exists(dir, "lt"));
	CHECK(!i18n_catalogue_exists(dir, "de"));
}

static void
test_currencies(void)
{
	struct gen_err err = { 0 };
	static const struct {
		const char *code;
		int digits;
	} iso[] = {
		/* REFERENCE.md 7.1 (ISO 4217 List One). */
		{ "EUR", 2 }, { "USD", 2 }, { "GBP", 2 }, { "JPY", 0 },
		{ "KRW", 0 }, { "ISK", 0 }, { "CLP", 0 }, { "VND", 0 },
		{ "XOF", 0 }, { "HUF", 2 }, { "CZK", 2 }, { "TWD", 2 },
		{ "BHD", 3 }, { "KWD", 3 }, { "OMR", 3 }, { "JOD", 3 },
		{ "TND", 3 }, { "LYD", 3 },
		/* CLDR says 0; ISO 4217 (and i18n.c's table) says: */
		{ "IQD", 3 }, { "RSD", 2 }, { "ALL", 2 }, { "IRR", 2 },
		{ "LBP", 2 }, { "MMK", 2 }, { "YER", 2 },
	};
	size_t k;
	int d;

	for (k = 0; k < sizeof(iso) / sizeof(iso[0]); k++) {
		d = -1;
		CHECK_INT(i18n_currency_digits(iso[k].code, &d, &err), GEN_OK);
		test_checks++;
		if (d != iso[k].digits) {
			test_failures++;
			fprintf(stderr, "%s: %d digits, want %d\n",
			    iso[k].code, d, iso[k].digits);
		}
	}
	CHECK_INT(i18n_currency_digits("XYZ", &d, &err), GEN_EINPUT);
	CHECK_MSG(err, "currency: 'XYZ' is not an ISO 4217 currency in use");
	CHECK_INT(i18n_currency_digits("eur", &d, &err), GEN_EINPUT);
	CHECK_INT(i18n_currency_digits(NULL, &d, &err), GEN_EINPUT);

	CHECK_INT(i18n_currency_known("EUR"), 1);
	CHECK_INT(i18n_currency_known("BGN"), 1);
	CHECK_INT(i18n_currency_known("HRK"), 1);	/* still in ICU 72 */
	CHECK_INT(i18n_currency_known("LTL"), 0);	/* deprecated */
	CHECK_INT(i18n_currency_known("DEM"), 0);
	CHECK_INT(i18n_currency_known("XXX"), 0);	/* no currency */
	CHECK_INT(i18n_currency_known("XAU"), 0);	/* gold */
	CHECK_INT(i18n_currency_known("BTC"), 0);
	CHECK_INT(i18n_currency_known("eur"), 0);
	CHECK_INT(i18n_currency_known("EURO"), 0);
	CHECK_INT(i18n_currency_known(NULL), 0);

	CHECK_INT(i18n_currency_valid_on("EUR", "2025-08-14", &err), GEN_OK);
	CHECK_INT(i18n_currency_valid_on("HRK", "2022-12-31", &err), GEN_OK);
	CHECK_INT(i18n_currency_valid_on("HRK", "2025-08-14", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "currency: HRK was withdrawn on 2023-01-01");
	/* ICU 72's ucurr_isAvailable says GBP is not in use: not used. */
	CHECK_INT(i18n_currency_valid_on("GBP", "2026-02-16", &err), GEN_OK);
	CHECK_INT(i18n_currency_valid_on("BGN", "2025-12-31", &err), GEN_OK);
	CHECK_INT(i18n_currency_valid_on("BGN", "2026-01-01", &err),
	    GEN_EINPUT);
	CHECK_INT(i18n_currency_valid_on("LTL", "2010-01-01", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "'LTL' is not an ISO 4217 currency in use");
	CHECK_INT(i18n_currency_valid_on("EUR", "2025-02-30", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "day 30");
}

static void
test_shipped_catalogues(void)
{
	static const char *const langs[] = { "en", "lt", "ru" };
	const char **keys = NULL;
	struct gen_err err = { 0 };
	struct i18n *i;
	size_t k, n;

	for (k = 0; k < 3; k++) {
		if ((i = open_lang(langs[k])) == NULL)
			continue;
		n = i18n_missing_keys(i, &keys);
		test_checks++;
		if (n != 0) {
			test_failures++;
			fprintf(stderr, "%s lacks %zu keys, first %s\n",
			    langs[k], n, keys[0]);
		}
		free(keys);
		gen_err_clear(&err);
		CHECK_INT(i18n_check(i, &err), GEN_OK);
		if (err.msg[0] != '\0')
			fprintf(stderr, "i18n_check(%s): %s\n", langs[k],
			    err.msg);
		i18n_close(i);
	}
	/* The frozen catalogues of layout version 1 stay consistent too. */
	for (k = 0; k < 3 && strcmp(dir, "locales") == 0; k++) {
		CHECK_INT(i18n_open("locales/v1", langs[k], &i, &err), GEN_OK);
		if (i == NULL)
			continue;
		CHECK_INT(i18n_missing_keys(i, &keys), 0);
		free(keys);
		CHECK_INT(i18n_check(i, &err), GEN_OK);
		i18n_close(i);
	}
	/* A language without a catalogue lacks every key. */
	if ((i = open_lang("de")) != NULL) {
		struct i18n *en = open_lang("en");

		n = i18n_missing_keys(i, &keys);
		CHECK(n > 50 && keys[n] == NULL &&
		    strcmp(keys[0], "title_vat_invoice") == 0);
		free(keys);
		CHECK_INT(i18n_check(i, &err), GEN_EINPUT);
		CHECK_MSG(err, "language 'de': no catalogue file");
		if (en != NULL)
			CHECK_INT(i18n_missing_keys(en, &keys), 0);
		if (en != NULL)
			free(keys);
		i18n_close(en);
		i18n_close(i);
	}
}

/* A catalogue that must be refused at open, with a message fragment. */
static void
bad_catalogue(const char *text, const char *frag, int line)
{
	struct i18n *i;
	struct gen_err err = { 0 };

	test_checks++;
	if (open_scratch(text, NULL, "en", &i, &err) != GEN_EINPUT ||
	    strstr(err.msg, frag) == NULL) {
		test_failures++;
		fprintf(stderr, "line %d: got \"%s\", want \"%s\"\n", line,
		    err.msg, frag);
	}
	i18n_close(i);
}

static void
test_catalogue_errors(void)
{
	struct i18n *i;
	struct gen_err err = { 0 };
	char path[128], deep[512];
	int k;

	bad_catalogue("a = x\nb = y\na = z\n", "en.txt:3: duplicate key 'a' "
	    "(also on line 1)", __LINE__);
	bad_catalogue("a = x\\t\n", "en.txt:1: a: unknown escape '\\t'; "
	    "allowed: \\n, \\\\", __LINE__);
	bad_catalogue("# c\n\na =   \n", "en.txt:3: a: empty value",
	    __LINE__);
	bad_catalogue("a x\n", "en.txt:1: '=' expected after key 'a'",
	    __LINE__);
	bad_catalogue("Title = x\n", "en.txt:1: key expected", __LINE__);
	bad_catalogue("1a = x\n", "en.txt:1: key expected", __LINE__);
	bad_catalogue("a = \xc3\x28\n", "en.txt:1: invalid UTF-8 at byte 4",
	    __LINE__);
	bad_catalogue("a = x\nb = y\x01z\n", "en.txt:2: b: control "
	    "character 0x01", __LINE__);
	bad_catalogue("a = x\tz\n", "en.txt:1: a: control character 0x09",
	    __LINE__);
	bad_catalogue("a = x\n\nb = {n\n", "en.txt:3: b: message syntax: "
	    "unterminated argument at byte 2", __LINE__);
	bad_catalogue("b = a }\n", "en.txt:1: b: message syntax: unmatched "
	    "'}' at byte 2", __LINE__);
	bad_catalogue("b = {}\n", "b: message syntax: argument name "
	    "expected at byte 1", __LINE__);
	bad_catalogue("b = {n, date}\n", "b: message syntax: argument type "
	    "not supported (allowed: number, plural, select) at byte 4",
	    __LINE__);
	bad_catalogue("b = {n, plural, one {x}}\n", "b: message syntax: "
	    "branch 'other' missing", __LINE__);
	bad_catalogue("b = {n, plural, one {x} lots {y} other {z}}\n",
	    "b: message syntax: plural keyword unknown", __LINE__);
	bad_catalogue("b = {n, plural, one {x} one {y} other {z}}\n",
	    "b: message syntax: duplicate selector at byte 20", __LINE__);
	bad_catalogue("b = {n, select, =1 {x} other {z}}\n",
	    "b: message syntax: '=' must be followed by digits, in a plural "
	    "only", __LINE__);
	bad_catalogue("b = {n, plural, other {x}\n",
	    "b: message syntax: unterminated argument", __LINE__);
	bad_catalogue("b = {n, plural, other {x\n",
	    "b: message syntax: unterminated branch", __LINE__);
	bad_catalogue("b = '{x\n", "b: message syntax: unterminated quote",
	    __LINE__);
	bad_catalogue("b = {n, number, integer}\n", "number takes no style",
	    __LINE__);
	bad_catalogue("b = {n} {n, plural, other {#}} {n, select, other {}}\n",
	    "b: argument 'n' is used both as a string and as a number",
	    __LINE__);
	bad_catalogue("b = {a{b}}\n", "b: message syntax: ',' or '}' "
	    "expected after the argument name at byte 2", __LINE__);
	snprintf(deep, sizeof(deep), "b = ");
	for (k = 0; k < 10; k++)
		snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep),
		    "{m, select, other {");
	for (k = 0; k < 10; k++)
		snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep),
		    "}}");
	snprintf(deep + strlen(deep), sizeof(deep) - strlen(deep), "\n");
	bad_catalogue(deep, "b: message syntax: arguments nested too deeply",
	    __LINE__);

	/* en.txt and the shipped lt.txt and ru.txt are required (a missing
	 * one would issue Lithuanian invoices in English); any other
	 * language's file is optional. */
	CHECK_INT(open_scratch(NULL, NULL, "en", &i, &err), GEN_EIO);
	CHECK_MSG(err, "en.txt: cannot open: No such file or directory");
	CHECK_INT(open_scratch("a = A\n", NULL, "lt", &i, &err), GEN_EIO);
	CHECK_MSG(err, "lt.txt: cannot open");
	CHECK_INT(open_scratch("a = A\n", NULL, "de", &i, &err), GEN_OK);
	CHECK(i != NULL && i18n_has_catalogue(i) == 0);
	if (i != NULL)
		CHECK_STR(i18n_text(i, "a"), "A");
	i18n_close(i);
	/* A catalogue that exists but is unreadable is an error. */
	snprintf(path, sizeof(path), "%s/lt.txt", tmpdir);
	if (open_scratch("a = A\n", "a = Ą\n", "lt", &i, &err) == GEN_OK &&
	    geteuid() != 0) {
		i18n_close(i);
		chmod(path, 0);
		CHECK_INT(i18n_open(tmpdir, "lt", &i, &err), GEN_EIO);
		CHECK_MSG(err, "lt.txt: cannot open: Permission denied");
		chmod(path, 0644);
	}
	i18n_close(i);

	/* A BOM, CRLF line ends, comments, blanks and escapes are fine. */
	CHECK_INT(open_scratch("\xef\xbb\xbf# x\r\n\r\n  a  =  A  b \r\n"
	    "b = x\\ny \\\\ z\r\nc=d", NULL, "en", &i, &err), GEN_OK);
	if (i != NULL) {
		CHECK_STR(i18n_text(i, "a"), "A  b");
		CHECK_STR(i18n_text(i, "b"), "x\ny \\ z");
		CHECK_STR(i18n_text(i, "c"), "d");
	}
	i18n_close(i);
}

static void
test_message_syntax(void)
{
	static const char en[] =
	    "q = It''s '{literal}' and it's {x}\n"
	    "pos = {1} before {0}\n"
	    "sel = {m, select, card {by card} paypal {by PayPal} other "
	    "{by {m}}}\n"
	    "exact = {n, plural, =0 {none} one {# item} =12 {a dozen} other "
	    "{# items}}\n"
	    "hash = {n, plural, other {#, '#' and {m, select, other {#}}}}\n"
	    "num = {n, number} / {n}\n"
	    "nested = {m, select, card {{n, plural, one {# card} other "
	    "{# cards}}} other {-}}\n";
	struct i18n *i;
	struct gen_err err = { 0 };

	if (open_scratch(en, NULL, "en", &i, &err) != GEN_OK) {
		CHECK_MSG(err, "(should open)");
		return;
	}
	CHECK_STR(message(i, "q", (struct i18n_arg[]){ I18N_STR("x", "X") },
	    1), "It's {literal} and it's X");
	CHECK_STR(message(i, "pos", (struct i18n_arg[]){ I18N_STR(NULL, "a"),
	    I18N_STR(NULL, "b") }, 2), "b before a");
	CHECK_STR(message(i, "sel", (struct i18n_arg[]){ I18N_STR("m",
	    "card") }, 1), "by card");
	CHECK_STR(message(i, "sel", (struct i18n_arg[]){ I18N_STR("m",
	    "crypto") }, 1), "by crypto");
	CHECK_STR(message(i, "sel", (struct i18n_arg[]){ I18N_INT("m", 1) },
	    1), "ERR: sel: argument 'm' must be a string");
	CHECK_STR(plural(i, "exact", 0), "none");
	CHECK_STR(plural(i, "exact", 1), "1 item");
	CHECK_STR(plural(i, "exact", 12), "a dozen");
	CHECK_STR(plural(i, "exact", 13), "13 items");
	/* CLDR plural operands use the absolute value: -1 is "one". */
	CHECK_STR(plural(i, "exact", -1), "-1 item");
	CHECK_STR(message(i, "hash", (struct i18n_arg[]){ I18N_INT("n", 1234),
	    I18N_STR("m", "x") }, 2), "1,234, # and #");
	CHECK_STR(plural(i, "num", 1234), "1,234 / 1,234");
	CHECK_STR(message(i, "nested", (struct i18n_arg[]){ I18N_STR("m",
	    "card"), I18N_INT("n", 2) }, 2), "2 cards");
	CHECK_STR(message(i, "nested", (struct i18n_arg[]){ I18N_STR("m",
	    "paypal") }, 1), "-");
	i18n_close(i);
}

static void
test_check_errors(void)
{
	static const char en[] =
	    "a = A\n"
	    "m = {n, plural, one {# x} other {# xs}}\n"
	    "p = Paid on {date}\n";
	static const struct {
		const char *lt, *frag;
	} cases[] = {
		{ "a = Ą\nm = {n, plural, one {#} few {#} many {#} "
		    "other {#}}\n", "lt.txt: key 'p' missing (" },
		{ "a = Ą\nm = {n, plural, one {#} few {#} many {#} "
		    "other {#}}\np = {date}\nz = Z\n",
		    "lt.txt:4: key 'z' is not in " },
		{ "a = Ą\nm = {n, plural, one {#} few {#} many {#} "
		    "other {#}}\np = Apmokėta {data}\n",
		    "lt.txt:3: p: argument 'data' is not used in both" },
		{ "a = Ą\nm = {n, plural, one {#} few {#} other {#}}\n"
		    "p = {date}\n",
		    "lt.txt:2: m: no branch for plural category 'many' of lt" },
		{ "a = Ą\nm = {n, plural, one {#} two {#} few {#} many {#} "
		    "other {#}}\np = {date}\n",
		    "lt.txt:2: m: plural category 'two' does not exist in lt" },
	};
	struct i18n *i;
	struct gen_err err = { 0 };
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		if (open_scratch(en, cases[k].lt, "lt", &i, &err) != GEN_OK) {
			CHECK_MSG(err, "(should open)");
			continue;
		}
		CHECK_INT(i18n_check(i, &err), GEN_EINPUT);
		CHECK_MSG(err, cases[k].frag);
		i18n_close(i);
	}
	/* The same catalogue, complete: passes. */
	CHECK_INT(open_scratch(en, "a = Ą\nm = {n, plural, one {# x} few "
	    "{# y} many {# z} other {# w}}\np = Apmokėta {date}\n", "lt", &i,
	    &err), GEN_OK);
	if (i != NULL) {
		const char **keys;

		CHECK_INT(i18n_check(i, &err), GEN_OK);
		CHECK_INT(i18n_missing_keys(i, &keys), 0);
		free(keys);
		CHECK_STR(plural(i, "m", 2), "2 y");
	}
	i18n_close(i);
	/* A partial catalogue: missing keys listed, in en.txt's order. */
	CHECK_INT(open_scratch(en, "m = {n, plural, one {# x} few {# y} many "
	    "{# z} other {# w}}\n", "lt", &i, &err), GEN_OK);
	if (i != NULL) {
		const char **keys;

		CHECK_INT(i18n_missing_keys(i, &keys), 2);
		CHECK_STR(keys[0], "a");
		CHECK_STR(keys[1], "p");
		free(keys);
		/* The fallback text for a, the language's text for m. */
		CHECK_STR(i18n_text(i, "a"), "A");
		CHECK_STR(plural(i, "m", 5), "5 y");
	}
	i18n_close(i);
}

/*
 * Output must not depend on ICU's default locale or time zone (which
 * ICU takes from LANG/LC_ALL/TZ): change both and compare.  Kiritimati
 * is UTC+14 and Pago Pago UTC-11, so a date formatted in the default
 * zone would move a day.
 */
static void
test_defaults_ignored(void)
{
	static const UChar *const zones[] = { u"Pacific/Kiritimati",
	    u"Pacific/Pago_Pago" };
	static const char *const locs[] = { "fr_FR", "ar_EG" };
	UErrorCode st = U_ZERO_ERROR;
	struct i18n *lt;
	int k;

	for (k = 0; k < 2; k++) {
		uloc_setDefault(locs[k], &st);
		ucal_setDefaultTimeZone(zones[k], &st);
		CHECK(U_SUCCESS(st));
		if ((lt = open_lang("lt")) == NULL)
			continue;
		CHECK_STR(date(lt, "2025-08-14"), "2025 m. rugpjūčio 14 d.");
		CHECK_STR(date(lt, "2025-01-01"), "2025 m. sausio 1 d.");
		CHECK_STR(amount(lt, -123456, "EUR", 2),
		    MINUS "1" NBSP "234,56" NBSP "€");
		CHECK_STR(percent(lt, 2550), "25,5" NBSP "%");
		CHECK_STR(plural(lt, "period_months", 21), "21 mėnuo");
		CHECK_STR(country(lt, "DE"), "Vokietija");
		i18n_close(lt);
	}
	uloc_setDefault("en_US", &st);
	ucal_setDefaultTimeZone(u"UTC", &st);
}

/* i18n_printable: what a log or terminal may show as it is. */
static void
test_printable(void)
{
	char o[64];

	i18n_printable("T-1 A\xc5\xbe\xd0\x96\xd9\x85\xe4\xb8\xad \xe2\x82\xac",
	    o, sizeof(o));
	CHECK_STR(o, "T-1 A\xc5\xbe\xd0\x96\xd9\x85\xe4\xb8\xad \xe2\x82\xac");
	/* C0, DEL, C1 */
	i18n_printable("a\tb\x1b[31mc\x7f" "d\xc2\x85" "e", o, sizeof(o));
	CHECK_STR(o, "a?b?[31mc?d?e");
	/* bidi controls: LRE..RLO, LRI..PDI, LRM, RLM, ALM */
	i18n_printable("\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9"
	    "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c" "x", o, sizeof(o));
	CHECK_STR(o, "???????x");
	/* zero width space and joiner, BOM, soft hyphen, word joiner,
	 * variation selector, Hangul filler, line and paragraph separator */
	i18n_printable("\xe2\x80\x8b\xe2\x80\x8d\xef\xbb\xbf\xc2\xad\xe2\x81\xa0"
	    "\xef\xb8\x8f\xe3\x85\xa4\xe2\x80\xa8\xe2\x80\xa9" "y", o, sizeof(o));
	CHECK_STR(o, "?????????y");
	/* private use, unassigned, noncharacter, invalid UTF-8 */
	i18n_printable("\xee\x80\x80\xf3\xb0\x80\x80\xef\xb7\x90\xef\xbf\xbf"
	    "\xff\xc3(\xed\xa0\x80" "z", o, sizeof(o));
	CHECK(strchr(o, 'z') != NULL && strspn(o, "?(") == strlen(o) - 1);
	/* cut only between characters */
	i18n_printable("ab\xe4\xb8\xad", o, 5);
	CHECK_STR(o, "ab");
	i18n_printable("abc", o, 1);
	CHECK_STR(o, "");
}

/*
 * The memo of formatted numbers: one object formats amounts in three
 * currencies, plain numbers and percentages forwards, another in reverse
 * order, each twice (the second time from its memo where the slot
 * still holds it), and every text agrees; more values than the memo has
 * slots, so slots are shared.
 */
static void
test_number_memo(void)
{
	static const char *const curs[] = { "EUR", "USD", "JPY" };
	enum { VALUES = 400, KINDS = 5 };
	struct i18n *a = open_lang("de"), *b = open_lang("de");
	char *fwd[VALUES][KINDS];
	size_t same = 0, k, pass;
	int v;

	if (a == NULL || b == NULL)
		return;
	for (pass = 0; pass < 2; pass++)
		for (v = 0; v < VALUES; v++)
			for (k = 0; k < KINDS; k++) {
				int64_t x = (int64_t)v * 1237 % 100000;
				const char *t = k < 3 ? amount(a, x, curs[k],
				    k == 2 ? 0 : 2) : k == 3 ? decimal(a, x, 2) :
				    percent(a, (int)(x % 10000));

				if (pass == 0)
					fwd[v][k] = xstrdup(t);
				else
					same += strcmp(t, fwd[v][k]) == 0;
			}
	CHECK_INT(same, VALUES * KINDS);
	same = 0;
	for (v = VALUES - 1; v >= 0; v--)
		for (k = KINDS; k-- > 0;) {
			int64_t x = (int64_t)v * 1237 % 100000;
			const char *t = k < 3 ? amount(b, x, curs[k],
			    k == 2 ? 0 : 2) : k == 3 ? decimal(b, x, 2) :
			    percent(b, (int)(x % 10000));

			same += strcmp(t, fwd[v][k]) == 0;
			free(fwd[v][k]);
		}
	CHECK_INT(same, VALUES * KINDS);
	CHECK_STR(amount(a, 123450, "EUR", 2), "1.234,50\xc2\xa0\xe2\x82\xac");
	CHECK_STR(amount(a, 123450, "USD", 2), "1.234,50\xc2\xa0$");
	i18n_close(a);
	i18n_close(b);
}

/*
 * The per-thread memo of country names: every ISO country in three
 * languages, three times over in turns (64 slots, so they are shared):
 * each name stays the one ICU gave first, per language; a bad code is
 * refused after good ones; another thread on the same objects gets the
 * same names.
 */
struct cn_job {
	struct i18n	*lang[3];
	size_t		 same;
	char		 *(*want)[3];
	size_t		 n;
};

static void *
cn_worker(void *arg)
{
	struct cn_job *j = arg;
	const char *const *cc = uloc_getISOCountries();
	struct buf b = { 0 };
	struct gen_err err = { 0 };

	for (size_t r = 0; r < 2; r++)
		for (size_t k = 0; k < j->n; k++)
			for (size_t l = 0; l < 3; l++) {
				buf_reset(&b);
				if (i18n_country_name(j->lang[l], cc[k], &b,
				    &err) == GEN_OK && b.data != NULL &&
				    strcmp(b.data, j->want[k][l]) == 0)
					j->same++;
			}
	buf_free(&b);
	return NULL;
}

static void
test_country_memo(void)
{
	const char *const *cc = uloc_getISOCountries();
	struct cn_job j = { { open_lang("en"), open_lang("lt"),
	    open_lang("ru") }, 0, NULL, 0 };
	size_t k, l, same = 0;
	pthread_t t;

	if (j.lang[0] == NULL || j.lang[1] == NULL || j.lang[2] == NULL)
		return;
	while (cc[j.n] != NULL)
		j.n++;
	j.want = calloc(j.n, sizeof(*j.want));
	for (k = 0; k < j.n; k++)
		for (l = 0; l < 3; l++)
			j.want[k][l] = xstrdup(country(j.lang[l], cc[k]));
	for (int r = 0; r < 3; r++)
		for (k = j.n; k-- > 0;)
			for (l = 0; l < 3; l++)
				same += strcmp(country(j.lang[l], cc[k]),
				    j.want[k][l]) == 0;
	CHECK_INT(same, 3 * 3 * j.n);
	CHECK(strcmp(j.want[0][0], j.want[0][1]) != 0);
	CHECK_STR(country(j.lang[1], "EL"), "ERR: country: 'EL' is not an "
	    "ISO 3166-1 alpha-2 code; allowed e.g. LT, DE, US (Greece is GR, "
	    "not EL)");
	CHECK_INT(pthread_create(&t, NULL, cn_worker, &j), 0);
	CHECK_INT(pthread_join(t, NULL), 0);
	CHECK_INT(j.same, 2 * 3 * j.n);
	for (k = 0; k < j.n; k++)
		for (l = 0; l < 3; l++)
			free(j.want[k][l]);
	free(j.want);
	for (l = 0; l < 3; l++)
		i18n_close(j.lang[l]);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		dir = argv[1];
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-i18n.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_open_and_tags();
	test_labels();
	test_plurals();
	test_messages();
	test_amounts();
	test_numbers();
	test_number_memo();
	test_dates();
	test_dates_match_icu();
	test_countries();
	test_country_memo();
	test_english_without_catalogue();
	test_currencies();
	test_shipped_catalogues();
	test_catalogue_errors();
	test_message_syntax();
	test_check_errors();
	test_defaults_ignored();
	test_printable();
	rm_file("en.txt");
	rm_file("lt.txt");
	rmdir(tmpdir);
	buf_free(&out);
	return test_report();
}
