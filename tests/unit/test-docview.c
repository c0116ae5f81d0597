/*
 * test-docview.c - the display values of issued documents (gen/layout/docview.c):
 * exact strings per VAT treatment and language (ICU 72 / CLDR 42 output,
 * as pinned in i18n.h: lt and ru group digits and put U+00A0 before "€"
 * and "%", lt writes a minus as U+2212), plural forms, bilingual texts,
 * flags, the name table, payment orders (bank account, RF reference,
 * the exact EPC QR payload and the plain-text one for other currencies),
 * and the failure paths.
 *
 * Run from the top of the repository (locales/ is read from there).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docfixture.h"
#include "docview.h"
#include "testlib.h"

#define NB	"\xc2\xa0"		/* U+00A0 no-break space */
#define MINUS	"\xe2\x88\x92"		/* U+2212 minus sign */
#define EURO	"\xe2\x82\xac"
#define NNB	"\xe2\x80\xaf"		/* U+202F narrow no-break space */

static const char *locales = "locales";

/* The view of d in d->language; the test owns d (freed by done()). */
struct fix {
	struct document *d;
	struct i18n *i;
	struct docview *v;
};

/* The view of d with the catalogues of directory dir. */
static int
open_view_dir(struct fix *f, struct document *d, const char *dir)
{
	struct gen_err err = {0};

	memset(f, 0, sizeof(*f));
	f->d = d;
	if (i18n_open(dir, d->language, &f->i, &err) != GEN_OK) {
		fprintf(stderr, "i18n_open: %s\n", err.msg);
		return -1;
	}
	if (docview_build(d, f->i, &f->v, &err) != GEN_OK) {
		fprintf(stderr, "docview_build: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static int
open_view(struct fix *f, struct document *d)
{
	return open_view_dir(f, d, locales);
}

static void
done(struct fix *f)
{
	docview_free(f->v);
	i18n_close(f->i);
	document_free(f->d);
}

static const char *
val(const struct fix *f, const char *name, size_t row)
{
	int id = docview_lookup(name, NULL, NULL);

	if (id < 0) {
		fprintf(stderr, "no such name %s\n", name);
		return "(unknown name)";
	}
	return docview_get(f->v, id, row).text;
}

static const char *
val2(const struct fix *f, const char *name, size_t row)
{
	return docview_get(f->v, docview_lookup(name, NULL, NULL), row).text2;
}

static int
flag(const struct fix *f, const char *name)
{
	return docview_test(f->v, docview_lookup(name, NULL, NULL), 0);
}

static void
test_names(void)
{
	enum docview_scope sc;
	int fl;
	struct buf b = {0};

	CHECK(docview_lookup("doc.title", &sc, &fl) >= 0);
	CHECK_INT(sc, DOCVIEW_DOC);
	CHECK_INT(fl, 0);
	CHECK(docview_lookup("line.net", &sc, &fl) >= 0);
	CHECK_INT(sc, DOCVIEW_LINE);
	CHECK(docview_lookup("vat.amount_eur", &sc, &fl) >= 0);
	CHECK_INT(sc, DOCVIEW_VAT);
	CHECK(docview_lookup("treatment.REVERSE_CHARGE", &sc, &fl) >= 0);
	CHECK_INT(fl, 1);
	CHECK_INT(docview_lookup("doc.titel", NULL, NULL), -1);
	CHECK_INT(docview_lookup("", NULL, NULL), -1);
	CHECK_STR(docview_name(docview_lookup("payer.name", NULL, NULL)),
	    "payer.name");
	CHECK(docview_name(-1) == NULL);
	CHECK(docview_name(100000) == NULL);
	CHECK_STR(docview_table_name(DOCVIEW_LINE), "lines");
	CHECK_STR(docview_table_name(DOCVIEW_VAT), "vats");
	CHECK(docview_table_name(DOCVIEW_DOC) == NULL);
	CHECK_INT(docview_table_scope("lines"), DOCVIEW_LINE);
	CHECK_INT(docview_table_scope("rows"), -1);

	/* Suggestions: the group's names, else the groups. */
	docview_suggest("seller.nmae", -1, &b);
	CHECK(strncmp(b.data, "seller.name, seller.address,", 28) == 0);
	CHECK(strstr(b.data, "payer.") == NULL);
	buf_reset(&b);
	docview_suggest("sellr", -1, &b);
	CHECK(strstr(b.data, "doc.*, seller.*, payer.*") != NULL);
	CHECK(strstr(b.data, "is_credit_note") != NULL);
	CHECK(strstr(b.data, "line.*") != NULL);
	buf_reset(&b);
	docview_suggest("x", DOCVIEW_VAT, &b);
	CHECK_STR(b.data, "vat.*");
	buf_free(&b);
}

/* LT_STANDARD, EUR, Lithuanian: the everyday invoice. */
static void
test_lt_standard(void)
{
	struct fix f;

	if (open_view(&f, fx_document(TAX_LT_STANDARD, "EUR", "lt")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "doc.title", 0), "PVM s\xc4\x85skaita fakt\xc5\xabra");
	CHECK(val2(&f, "doc.title", 0) == NULL);
	CHECK_STR(val(&f, "doc.number", 0), "ZLV-000012");
	CHECK_STR(val(&f, "doc.series", 0), "ZLV");
	CHECK_STR(val(&f, "doc.issue_date", 0),
	    "2025 m. rugpj\xc5\xab\xc4\x8dio 14 d.");
	CHECK_INT(flag(&f, "has_tax_point_date"), 0);
	CHECK_STR(val(&f, "seller.vat_number", 0), "LT100018548216");
	CHECK_STR(val(&f, "seller.company_code", 0), "305133662");
	CHECK_STR(val(&f, "seller.address", 0),
	    "V. Nagevi\xc4\x8diaus g. 3\n08237 Vilnius\nLietuva");
	CHECK_STR(val(&f, "seller.identity", 0), "MB \xe2\x80\x9e\xc5\xbdinu"
	    "\xc4\x8di\xc5\xb3 linija\xe2\x80\x9c \xc2\xb7 \xc4\xaemon\xc4\x97s "
	    "kodas 305133662 \xc2\xb7 PVM mok\xc4\x97tojo kodas LT100018548216 "
	    "\xc2\xb7 V. Nagevi\xc4\x8diaus g. 3, 08237 Vilnius, Lietuva");
	CHECK_STR(val(&f, "payer.vat_number", 0), "LT123456715");
	CHECK_STR(val(&f, "payer.country", 0), "Lietuva");
	CHECK_STR(val(&f, "customer.account", 0), "@jonas_p (ID 2002)");
	/* 120,00 less 10 % = 108,00; + 45,00 = 153,00; VAT 21 % = 32,13. */
	CHECK_STR(val(&f, "totals.net", 0), "153,00" NB EURO);
	CHECK_STR(val(&f, "totals.vat", 0), "32,13" NB EURO);
	CHECK_STR(val(&f, "totals.total", 0), "185,13" NB EURO);
	CHECK_STR(val(&f, "tax.rate", 0), "21" NB "%");
	CHECK(val(&f, "vat_eur.amount", 0) == NULL);
	CHECK(val(&f, "fx.rate_text", 0) == NULL);
	CHECK(val(&f, "note.reverse_charge", 0) == NULL);
	CHECK(val(&f, "note.oss", 0) == NULL);
	CHECK(val(&f, "note.not_vat_payer", 0) == NULL);
	CHECK_STR(val(&f, "payment.method", 0), "Mok\xc4\x97jimo kortel\xc4\x97");
	CHECK_STR(val(&f, "payment.paid_text", 0), "Apmok\xc4\x97ta 2025 m. "
	    "rugpj\xc5\xab\xc4\x8dio 14 d. (Mok\xc4\x97jimo kortel\xc4\x97)");

	/* Lines: period plurals, options, customer, discount. */
	CHECK_INT(docview_rows(f.v, DOCVIEW_LINE), 2);
	CHECK_STR(val(&f, "line.no", 1), "2");
	CHECK_STR(val(&f, "line.description", 0), "SIP.TG Softphone");
	CHECK_STR(val(&f, "line.period", 0), "12 m\xc4\x97nesi\xc5\xb3");
	CHECK_STR(val(&f, "line.period", 1), "6 m\xc4\x97nesiai");
	CHECK_STR(val(&f, "line.options", 0), "3 SIP paskyros, Pokalbi\xc5\xb3 "
	    "\xc4\xafra\xc5\xa1ymas: 30 dien\xc5\xb3");
	CHECK_STR(val(&f, "line.options", 1), "2 Gateway linijos");
	/* Two lines: the account they are for is said once (version 2). */
	CHECK_STR(val(&f, "line.details", 0), "Softphone prenumerata, 12 "
	    "m\xc4\x97nesi\xc5\xb3, 3 SIP paskyros, Pokalbi\xc5\xb3 "
	    "\xc4\xafra\xc5\xa1ymas: 30 dien\xc5\xb3");
	CHECK_STR(val(&f, "customer.all_lines", 0), "Visos eilut\xc4\x97s "
	    "\xe2\x80\x93 Telegram paskyrai @jonas_p (ID 2002)");
	CHECK_STR(val(&f, "line.qty", 0), "1");
	CHECK_STR(val(&f, "line.unit_price", 0), "120,00" NB EURO);
	CHECK_STR(val(&f, "line.discount", 0), "10" NB "%\n12,00" NB EURO);
	CHECK(val(&f, "line.discount", 1) == NULL);
	CHECK_STR(val(&f, "line.net", 0), "108,00" NB EURO);
	CHECK_STR(val(&f, "line.rate", 0), "21" NB "%");
	CHECK_INT(docview_test(f.v, docview_lookup("line.has_discount", NULL,
	    NULL), 0), 1);
	CHECK_INT(docview_test(f.v, docview_lookup("line.has_discount", NULL,
	    NULL), 1), 0);
	CHECK(val(&f, "line.net", 2) == NULL);	/* out of range */
	CHECK_STR(val(&f, "vat.label", 0), "21" NB "%");
	CHECK_STR(val(&f, "vat.taxable", 0), "153,00" NB EURO);
	CHECK_STR(val(&f, "vat.amount", 0), "32,13" NB EURO);
	CHECK(val(&f, "vat.amount_eur", 0) == NULL);

	CHECK_INT(flag(&f, "is_invoice"), 1);
	CHECK_INT(flag(&f, "is_credit_note"), 0);
	CHECK_INT(flag(&f, "seller_has_vat"), 1);
	CHECK_INT(flag(&f, "payer_has_vat"), 1);
	CHECK_INT(flag(&f, "vat_charged"), 1);
	CHECK_INT(flag(&f, "has_vat_eur"), 0);
	CHECK_INT(flag(&f, "has_discount"), 1);
	CHECK_INT(flag(&f, "is_bilingual"), 0);
	CHECK_INT(flag(&f, "treatment.LT_STANDARD"), 1);
	CHECK_INT(flag(&f, "treatment.REVERSE_CHARGE"), 0);
	/* A text name tests true when present. */
	CHECK_INT(flag(&f, "seller.vat_number"), 1);
	CHECK_INT(flag(&f, "note.oss"), 0);
	CHECK_STR(docview_language(f.v), "lt");
	CHECK_STR(docview_iso_date(f.v), "2025-08-14");
	done(&f);
}

/* Plurals of the period: 1 mėnuo, 6 mėnesiai, 12 mėnesių; ru too. */
static void
test_plurals(void)
{
	static const struct fx_line ls[] = {
		{ "softphone", "A", 1, 1, 100, 0, 1, 1, 1 },
		{ "softphone", "B", 21, 1, 100, 0, 22, 11, 5 },
		{ "topup", "C", 0, 3, 100, 0, 0, 0, 0 },
	};
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	struct fix f;

	for (size_t k = 0; k < d->nlines; k++) {
		free(d->lines[k].item);
		free(d->lines[k].description);
	}
	free(d->lines);
	free(d->vats);
	fx_lines(d, ls, 3);
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "line.period", 0), "1 m\xc4\x97nuo");
		CHECK_STR(val(&f, "line.options", 0), "1 SIP paskyra, "
		    "Pokalbi\xc5\xb3 \xc4\xafra\xc5\xa1ymas: 1 diena, 1 Gateway "
		    "linija");
		CHECK_STR(val(&f, "line.period", 1), "21 m\xc4\x97nuo");
		CHECK_STR(val(&f, "line.options", 1), "22 SIP paskyros, "
		    "Pokalbi\xc5\xb3 \xc4\xafra\xc5\xa1ymas: 11 dien\xc5\xb3, 5 "
		    "Gateway linijos");
		/* A top-up has a plan but no period or options. */
		CHECK_STR(val(&f, "line.plan", 2), "I\xc5\xa1" "ankstinio "
		    "mok\xc4\x97jimo liku\xc4\x8dio papildymas");
		CHECK(val(&f, "line.period", 2) == NULL);
		CHECK(val(&f, "line.options", 2) == NULL);
		CHECK_STR(val(&f, "line.qty", 2), "3");
	} else
		CHECK(0);
	done(&f);

	if (open_view(&f, fx_document(TAX_OUTSIDE_SCOPE, "USD", "ru")) == 0) {
		CHECK_STR(val(&f, "line.period", 0),
		    "12 \xd0\xbc\xd0\xb5\xd1\x81\xd1\x8f\xd1\x86\xd0\xb5\xd0\xb2");
		CHECK_STR(val(&f, "line.period", 1),
		    "6 \xd0\xbc\xd0\xb5\xd1\x81\xd1\x8f\xd1\x86\xd0\xb5\xd0\xb2");
	} else
		CHECK(0);
	done(&f);
}

/* 1 234,56 €: grouping with U+00A0. */
static void
test_grouping(void)
{
	static const struct fx_line ls[] = {
		{ "gateway", "Big", 36, 1, 123456, 0, 0, 0, 0 },
	};
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	struct fix f;

	for (size_t k = 0; k < d->nlines; k++) {
		free(d->lines[k].item);
		free(d->lines[k].description);
	}
	free(d->lines);
	free(d->vats);
	fx_lines(d, ls, 1);
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "line.net", 0), "1" NB "234,56" NB EURO);
		CHECK_STR(val(&f, "totals.total", 0), "1" NB "493,82" NB EURO);
		CHECK_STR(val(&f, "line.period", 0), "36 m\xc4\x97nesiai");
		CHECK(val(&f, "line.discount", 0) == NULL);
		CHECK_INT(flag(&f, "has_discount"), 0);
	} else
		CHECK(0);
	done(&f);
}

static void
test_not_vat_registered(void)
{
	struct fix f;

	if (open_view(&f, fx_document(TAX_NOT_VAT_REGISTERED, "EUR",
	    "lt")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "doc.title", 0), "S\xc4\x85skaita fakt\xc5\xabra");
	CHECK(val(&f, "seller.vat_number", 0) == NULL);
	CHECK_INT(flag(&f, "seller_has_vat"), 0);
	CHECK_INT(flag(&f, "vat_charged"), 0);
	CHECK_INT(flag(&f, "treatment.NOT_VAT_REGISTERED"), 1);
	CHECK_INT(flag(&f, "has_tax_point_date"), 1);
	CHECK_STR(val(&f, "doc.tax_point_date", 0),
	    "2025 m. gegu\xc5\xbe\xc4\x97s 9 d.");
	CHECK_STR(val(&f, "note.not_vat_payer", 0), "Paslaugų suteikimo dieną "
	    "pardavėjas nebuvo PVM mokėtojas; PVM netaikomas.");
	CHECK_STR(val(&f, "line.rate", 0), "\xe2\x80\x93");
	CHECK_STR(val(&f, "vat.label", 0), "PVM neskai\xc4\x8diuotas");
	/* The identity line leaves the VAT number out. */
	CHECK(strstr(val(&f, "seller.identity", 0), "PVM") == NULL);
	/* paid_at 2025-05-09T20:30Z is still the 9th in Vilnius (UTC+3). */
	CHECK_STR(val(&f, "payment.paid_date", 0),
	    "2025 m. gegu\xc5\xbe\xc4\x97s 9 d.");
	done(&f);
}

static void
test_reverse_charge_en(void)
{
	struct fix f;

	if (open_view(&f, fx_document(TAX_REVERSE_CHARGE, "EUR", "en")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "doc.title", 0), "VAT invoice");
	CHECK_STR(val(&f, "note.reverse_charge", 0), "Reverse charge / "
	    "Atvirk\xc5\xa1tinis apmokestinimas \xe2\x80\x93 VAT to be "
	    "accounted for by the customer (Art. 44 and 196 of Directive "
	    "2006/112/EC)");
	CHECK(val(&f, "note.outside_scope", 0) == NULL);
	CHECK_STR(val(&f, "payer.vat_number", 0), "DE136695976");
	CHECK_STR(val(&f, "payer.country", 0), "Germany");
	CHECK_STR(val(&f, "payer.address", 0),
	    "Friedrichstra\xc3\x9f" "e 100\n10117 Berlin\nGermany");
	CHECK_STR(val(&f, "totals.vat", 0), EURO "0.00");
	CHECK_STR(val(&f, "totals.total", 0), EURO "153.00");
	CHECK_STR(val(&f, "vat.label", 0), "Reverse charge");
	CHECK_STR(val(&f, "line.rate", 0), "\xe2\x80\x93");
	CHECK_STR(val(&f, "tax.rate", 0), "\xe2\x80\x93");
	CHECK_STR(val(&f, "line.discount", 0), "10%\n" EURO "12.00");
	CHECK_STR(val(&f, "line.details", 1), "Gateway subscription, 6 months,"
	    " 2 Gateway lines");
	CHECK_STR(val(&f, "customer.all_lines", 0), "All lines are for "
	    "Telegram account @jonas_p (ID 2002)");
	CHECK_STR(val(&f, "payment.paid_text", 0),
	    "Paid on August 14, 2025 by Card");
	CHECK_INT(flag(&f, "treatment.REVERSE_CHARGE"), 1);
	CHECK_INT(flag(&f, "vat_charged"), 0);
	CHECK_INT(flag(&f, "payer_has_vat"), 1);
	done(&f);
}

/* OSS in USD, bilingual lt-en: VAT in EUR, both languages of labels. */
static void
test_oss_usd_bilingual(void)
{
	struct fix f;

	if (open_view(&f, fx_document(TAX_OSS_DESTINATION, "USD",
	    "lt-en")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "doc.title", 0), "PVM s\xc4\x85skaita fakt\xc5\xabra");
	CHECK_STR(val2(&f, "doc.title", 0), "VAT invoice");
	/* 19 % of 153,00 = 29,07 USD; / 1.1684 = 24,88 EUR. */
	CHECK_STR(val(&f, "totals.vat", 0), "29,07" NB "USD");
	CHECK_STR(val(&f, "vat_eur.amount", 0), "24,88" NB EURO);
	CHECK_STR(val(&f, "vat.amount_eur", 0), "24,88" NB EURO);
	CHECK_STR(val(&f, "vat.taxable_eur", 0), "130,95" NB EURO);
	CHECK_STR(val(&f, "fx.rate", 0), "1,1684");
	CHECK_STR(val(&f, "fx.rate_text", 0), "1 EUR = 1,1684 USD");
	CHECK_STR(val(&f, "fx.rate_date", 0),
	    "2025 m. rugpj\xc5\xab\xc4\x8dio 13 d.");
	CHECK_STR(val(&f, "fx.source", 0), "ECB euro orientacinis kursas");
	CHECK_STR(val2(&f, "fx.source", 0), "ECB euro reference rate");
	CHECK_STR(val(&f, "note.oss", 0), "PVM pagal ES vieno langelio (OSS) "
	    "Sąjungos schemą: Vokietija, 19" NB "%");
	CHECK_STR(val2(&f, "note.oss", 0), "VAT of Germany at 19% under the EU "
	    "One-Stop-Shop (OSS) Union scheme");
	CHECK_STR(val2(&f, "note.vat_eur", 0), "VAT in EUR at the ECB euro "
	    "reference rate of August 13, 2025: 1 EUR = 1.1684 USD");
	CHECK_STR(val(&f, "vat.label", 0), "19" NB "% (Vokietija)");
	CHECK_STR(val2(&f, "vat.label", 0), "19% (Germany)");
	CHECK_STR(val(&f, "payer.country", 0), "Vokietija");
	CHECK_STR(val2(&f, "payer.country", 0), "Germany");
	CHECK_STR(val2(&f, "line.period", 0), "12 months");
	/* Names and numbers have no second text. */
	CHECK(val2(&f, "payer.name", 0) == NULL);
	CHECK(val2(&f, "totals.total", 0) == NULL);
	CHECK_INT(flag(&f, "has_vat_eur"), 1);
	CHECK_INT(flag(&f, "is_bilingual"), 1);
	CHECK_INT(flag(&f, "is_foreign_currency"), 1);
	CHECK_STR(docview_language(f.v), "lt");
	done(&f);
}

static void
test_outside_scope_ru(void)
{
	struct fix f;

	if (open_view(&f, fx_document(TAX_OUTSIDE_SCOPE, "USD", "ru")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "note.outside_scope", 0), "Вне сферы действия НДС "
	    "ЕС: место оказания услуг (Соединенные Штаты) находится за "
	    "пределами ЕС.");
	CHECK_STR(val(&f, "totals.total", 0), "153,00" NB "$");
	CHECK_STR(val(&f, "line.rate", 0), "\xe2\x80\x93");
	CHECK(val(&f, "vat_eur.amount", 0) == NULL);
	CHECK_INT(flag(&f, "has_vat_eur"), 0);
	CHECK_STR(val(&f, "payer.address", 0), "500 Market Street\nSuite 200\n"
	    "94105 San Francisco, CA\n\xd0\xa1\xd0\xbe\xd0\xb5\xd0\xb4\xd0\xb8"
	    "\xd0\xbd\xd0\xb5\xd0\xbd\xd0\xbd\xd1\x8b\xd0\xb5 \xd0\xa8\xd1\x82"
	    "\xd0\xb0\xd1\x82\xd1\x8b");
	CHECK_INT(flag(&f, "treatment.OUTSIDE_SCOPE"), 1);
	done(&f);
}

/* A credit note: negative amounts, the corrected invoice, the reason. */
static void
test_credit_note(void)
{
	struct fix f;

	if (open_view(&f, fx_credit_note("lt")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "doc.title", 0), "Kreditin\xc4\x97 PVM s\xc4\x85skaita "
	    "fakt\xc5\xabra");
	CHECK_STR(val(&f, "totals.net", 0), MINUS "153,00" NB EURO);
	CHECK_STR(val(&f, "totals.vat", 0), MINUS "32,13" NB EURO);
	CHECK_STR(val(&f, "totals.total", 0), MINUS "185,13" NB EURO);
	CHECK_STR(val(&f, "line.qty", 0), MINUS "1");
	CHECK_STR(val(&f, "line.unit_price", 0), "120,00" NB EURO);
	CHECK_STR(val(&f, "line.net", 0), MINUS "108,00" NB EURO);
	CHECK_STR(val(&f, "doc.corrects_number", 0), "ZLV-000012");
	CHECK_STR(val(&f, "doc.corrects_date", 0),
	    "2025 m. rugpj\xc5\xab\xc4\x8dio 14 d.");
	CHECK_STR(val(&f, "doc.corrects_text", 0), "Koreguojama PVM sąskaita "
	    "faktūra ZLV-000012, išrašyta 2025 m. rugpjūčio 14 d.");
	CHECK_STR(val(&f, "doc.corrects_title", 0), "Koreguojama PVM sąskaita "
	    "faktūra");
	CHECK_STR(val(&f, "note.electronic", 0), "Kreditinė PVM sąskaita "
	    "faktūra išrašyta elektroniniu būdu ir galioja be parašo.");
	CHECK_STR(val(&f, "doc.credit_reason", 0),
	    "refund: subscription cancelled");
	CHECK_STR(val(&f, "doc.credit_reason_text", 0),
	    "Prie\xc5\xbe" "astis: refund: subscription cancelled");
	CHECK_INT(flag(&f, "is_credit_note"), 1);
	CHECK_INT(flag(&f, "has_corrects"), 1);
	done(&f);

	/* A credit note of a seller without a VAT number. */
	{
		struct document *d = fx_credit_note("en");

		free(d->seller.vat_number);
		d->seller.vat_number = NULL;
		if (open_view(&f, d) == 0)
			CHECK_STR(val(&f, "doc.title", 0), "Credit note");
		else
			CHECK(0);
		done(&f);
	}
}

/* The payment's calendar date is Vilnius time. */
static void
test_paid_date(void)
{
	struct document *d = fx_document(TAX_LT_STANDARD, "EUR", "en");
	struct fix f;

	free(d->paid_at);
	d->paid_at = xstrdup("2025-08-14T22:30:00Z");
	free(d->customer_username);
	d->customer_username = NULL;
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "payment.paid_date", 0), "August 15, 2025");
		CHECK_STR(val(&f, "customer.account", 0), "ID 2002");
	} else
		CHECK(0);
	done(&f);

	d = fx_document(TAX_LT_STANDARD, "EUR", "en");
	free(d->paid_at);
	d->paid_at = NULL;
	d->customer_telegram_id = 0;
	free(d->customer_username);
	d->customer_username = NULL;
	if (open_view(&f, d) == 0) {
		CHECK(val(&f, "payment.paid_date", 0) == NULL);
		CHECK(val(&f, "payment.paid_text", 0) == NULL);
		CHECK(val(&f, "customer.account", 0) == NULL);
		CHECK_STR(val(&f, "line.details", 0), "Softphone subscription, "
		    "12 months, 3 SIP accounts, Call recording: 30 days");
		CHECK_INT(flag(&f, "is_paid"), 0);
		CHECK_INT(flag(&f, "has_customer"), 0);
	} else
		CHECK(0);
	done(&f);
}

/*
 * Payment orders: the bank account, the reference in groups of four and
 * the QR payload.  The EPC payload is written out by hand from EPC069-12
 * (REFERENCE.md 5.1): BCD, 002, 1 (UTF-8), SCT, BIC, name, IBAN,
 * EUR + amount, empty purpose, the RF reference, nothing after it.
 */
static void
test_transfer_order(void)
{
	struct fix f;
	struct document *d;

	if (open_view(&f, fx_transfer_order(TAX_LT_STANDARD, "EUR",
	    "lt")) != 0) {
		CHECK(0);
		done(&f);
		return;
	}
	CHECK_STR(val(&f, "doc.title", 0), "I\xc5\xa1" "ankstin\xc4\x97 "
	    "s\xc4\x85" "skaita");
	CHECK_STR(val(&f, "doc.number", 0), "ZLVM-000004");
	CHECK_STR(val(&f, "doc.due_date", 0),
	    "2025 m. rugpj\xc5\xab\xc4\x8dio 21 d.");
	CHECK_STR(val(&f, "payment.reference", 0), "RF76 A202 5081 5");
	CHECK_STR(val(&f, "payment.iban", 0), "LT12 1000 0111 0100 1000");
	CHECK_STR(val(&f, "payment.bic", 0), "HABALT22");
	CHECK_STR(val(&f, "payment.beneficiary", 0),
	    "MB \xc5\xbdinu\xc4\x8di\xc5\xb3 linija");
	CHECK_STR(val(&f, "payment.bank_name", 0),
	    "Sample account (not a real bank account)");
	CHECK_STR(val(&f, "payment.bank_address", 0), "Vilnius, Lithuania");
	CHECK_STR(val(&f, "payment.amount", 0), "185,13" NB EURO);
	CHECK_STR(val(&f, "payment.due_text", 0), "Pra\xc5\xa1ome "
	    "sumok\xc4\x97ti iki 2025 m. rugpj\xc5\xab\xc4\x8dio 21 d.");
	CHECK_STR(val(&f, "payment.qr", 0), "BCD\n002\n1\nSCT\nHABALT22\n"
	    "MB \xc5\xbdinu\xc4\x8di\xc5\xb3 linija\nLT121000011101001000\n"
	    "EUR185.13\n\nRF76A20250815");
	CHECK_STR(val(&f, "note.not_vat_invoice", 0), "\xc5\xa0is "
	    "dokumentas n\xc4\x97ra PVM s\xc4\x85skaita fakt\xc5\xabra.");
	CHECK_STR(val(&f, "note.invoice_after_payment", 0), "S\xc4\x85skaita "
	    "fakt\xc5\xabra bus i\xc5\xa1ra\xc5\xa1yta gavus "
	    "apmok\xc4\x97jim\xc4\x85.");
	CHECK(val(&f, "note.epc_euro_only", 0) == NULL);
	CHECK(val(&f, "payment.paid_text", 0) == NULL);
	CHECK_INT(flag(&f, "is_transfer_order"), 1);
	CHECK_INT(flag(&f, "is_invoice"), 0);
	CHECK_INT(flag(&f, "is_credit_note"), 0);
	CHECK_INT(flag(&f, "is_eur"), 1);
	CHECK_INT(flag(&f, "has_bic"), 1);
	CHECK_INT(flag(&f, "is_paid"), 0);
	done(&f);

	/* Bilingual: the title and notes in both languages. */
	if (open_view(&f, fx_transfer_order(TAX_LT_STANDARD, "EUR",
	    "lt-en")) == 0) {
		CHECK_STR(val2(&f, "doc.title", 0), "Proforma invoice");
		CHECK_STR(val2(&f, "note.not_vat_invoice", 0),
		    "This document is not a VAT invoice.");
		CHECK_STR(val2(&f, "payment.due_text", 0),
		    "Please pay by August 21, 2025");
		CHECK(val2(&f, "payment.qr", 0) == NULL);
		CHECK(val2(&f, "payment.iban", 0) == NULL);
	} else
		CHECK(0);
	done(&f);

	/* Russian. */
	if (open_view(&f, fx_transfer_order(TAX_LT_STANDARD, "EUR",
	    "ru")) == 0)
		CHECK_STR(val(&f, "doc.title", 0), "\xd0\xa1\xd1\x87\xd1\x91"
		    "\xd1\x82 \xd0\xbd\xd0\xb0 \xd0\xbe\xd0\xbf\xd0\xbb"
		    "\xd0\xb0\xd1\x82\xd1\x83");
	else
		CHECK(0);
	done(&f);

	/* No BIC (an EEA account): line 5 stays, empty. */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	free(d->bank.bic);
	d->bank.bic = NULL;
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "payment.qr", 0), "BCD\n002\n1\nSCT\n\n"
		    "MB \xc5\xbdinu\xc4\x8di\xc5\xb3 linija\n"
		    "LT121000011101001000\nEUR185.13\n\nRF76A20250815");
		CHECK(val(&f, "payment.bic", 0) == NULL);
		CHECK_INT(flag(&f, "has_bic"), 0);
		CHECK_STR(val(&f, "payment.amount", 0), EURO "185.13");
		CHECK_STR(val(&f, "doc.title", 0), "Proforma invoice");
	} else
		CHECK(0);
	done(&f);

	/* USD: the same details as plain text, and the EUR-only note. */
	if (open_view(&f, fx_transfer_order(TAX_OUTSIDE_SCOPE, "USD",
	    "en")) == 0) {
		CHECK_STR(val(&f, "payment.qr", 0), "IBAN: "
		    "LT121000011101001000\nBIC: HABALT22\nBeneficiary: MB "
		    "\xc5\xbdinu\xc4\x8di\xc5\xb3 linija\nAmount: 153.00 USD\n"
		    "Reference: RF76A20250815");
		CHECK_STR(val(&f, "note.epc_euro_only", 0),
		    "The EPC QR code works for payments in euro only.");
		CHECK_STR(val(&f, "payment.amount", 0), "$153.00");
		CHECK_STR(val(&f, "payment.reference", 0), "RF76 A202 5081 5");
		CHECK_INT(flag(&f, "is_eur"), 0);
		CHECK_INT(flag(&f, "is_transfer_order"), 1);
	} else
		CHECK(0);
	done(&f);

	/* USD without a BIC or a beneficiary: those lines are left out. */
	d = fx_transfer_order(TAX_OUTSIDE_SCOPE, "USD", "lt");
	free(d->bank.bic);
	free(d->bank.beneficiary);
	d->bank.bic = d->bank.beneficiary = NULL;
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "payment.qr", 0), "IBAN: "
		    "LT121000011101001000\nAmount: 153.00 USD\nReference: "
		    "RF76A20250815");
		CHECK_STR(val(&f, "note.epc_euro_only", 0), "EPC QR kodas "
		    "tinka tik mok\xc4\x97jimams eurais.");
	} else
		CHECK(0);
	done(&f);

	/* An invoice has none of it. */
	if (open_view(&f, fx_document(TAX_LT_STANDARD, "EUR", "lt")) == 0) {
		CHECK(val(&f, "payment.qr", 0) == NULL);
		CHECK(val(&f, "payment.iban", 0) == NULL);
		CHECK(val(&f, "doc.due_date", 0) == NULL);
		CHECK(val(&f, "note.not_vat_invoice", 0) == NULL);
		CHECK(val(&f, "payment.due_text", 0) == NULL);
		CHECK_INT(flag(&f, "is_transfer_order"), 0);
		CHECK_INT(flag(&f, "is_eur"), 1);
	} else
		CHECK(0);
	done(&f);
}

/* Payment orders whose QR code would break a rule are refused. */
static void
test_transfer_order_errors(void)
{
	struct gen_err err = {0};
	struct i18n *i = NULL;
	struct docview *v = (struct docview *)&err;
	struct document *d;
	struct buf name = {0};

	if (i18n_open(locales, "en", &i, &err) != GEN_OK) {
		CHECK(0);
		return;
	}
	/* A beneficiary name of 71 characters (EPC069-12: 70). */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	free(d->bank.beneficiary);
	for (int k = 0; k < 71; k++)
		buf_puts(&name, k % 7 ? "\xc5\xbe" : " ");
	d->bank.beneficiary = buf_detach(&name, NULL);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK(v == NULL);
	CHECK_MSG(err, "payment.qr: epcqr: beneficiary name (line 6): 71 "
	    "characters; allowed: at most 70");
	/* 70 characters are fine. */
	free(d->bank.beneficiary);
	for (int k = 0; k < 70; k++)
		buf_puts(&name, k % 7 ? "\xc5\xbe" : " ");
	d->bank.beneficiary = buf_detach(&name, NULL);
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_OK);
	docview_free(v);
	document_free(d);

	/* 70 characters of 4 bytes: over the 331 bytes of a payload. */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	free(d->bank.beneficiary);
	for (int k = 0; k < 70; k++)
		buf_puts(&name, "\xf0\x9d\x94\xb8");	/* U+1D538 */
	d->bank.beneficiary = buf_detach(&name, NULL);
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "payment.qr: epcqr: payload: 349 bytes; allowed: at "
	    "most 331");
	document_free(d);

	/* The amount must be at least EUR 0.01. */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	d->total_minor = 0;
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "payment.qr: epcqr: amount (line 8)");
	document_free(d);

	/* A malformed BIC is refused, not repaired. */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	free(d->bank.bic);
	d->bank.bic = xstrdup("habalt22");
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "payment.qr: epcqr: bic (line 5)");
	document_free(d);

	/* No IBAN, a wrong IBAN. */
	d = fx_transfer_order(TAX_OUTSIDE_SCOPE, "USD", "en");
	free(d->bank.iban);
	d->bank.iban = NULL;
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "bank.iban: missing");
	d->bank.iban = xstrdup("LT131000011101001000");
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "bank.iban: ");
	document_free(d);

	/* A line break in a plain-text value would forge a line. */
	d = fx_transfer_order(TAX_OUTSIDE_SCOPE, "USD", "en");
	free(d->bank.beneficiary);
	d->bank.beneficiary = xstrdup("Acme\nAmount: 1.00 USD");
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "payment.qr: Beneficiary: holds a control character");
	document_free(d);

	/* An impossible due date. */
	d = fx_transfer_order(TAX_LT_STANDARD, "EUR", "en");
	memcpy(d->due_date, "2025-08-32", CALDATE_LEN);
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "due_date: ");
	document_free(d);
	i18n_close(i);
}

/* Refused snapshots: the message names the field. */
static void
test_errors(void)
{
	struct gen_err err = {0};
	struct i18n *i = NULL;
	struct docview *v = (struct docview *)&err;
	struct document *d;

	if (i18n_open(locales, "lt", &i, &err) != GEN_OK) {
		CHECK(0);
		return;
	}
	d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	memcpy(d->issue_date, "2025-02-30", CALDATE_LEN);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK(v == NULL);
	CHECK_MSG(err, "issue_date: ");
	document_free(d);

	d = fx_document(TAX_OSS_DESTINATION, "USD", "lt");
	free(d->fx_units_per_eur);
	d->fx_units_per_eur = xstrdup("1.2x");
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "fx_units_per_eur");
	document_free(d);

	d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	memcpy(d->currency, "E1R", 4);
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "totals.net: ");
	document_free(d);

	d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	free(d->paid_at);
	d->paid_at = xstrdup("yesterday");
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "paid_at");
	document_free(d);

	d = fx_document(TAX_LT_STANDARD, "EUR", "lt");
	memcpy(d->payer.country, "QQ", 3);
	gen_err_clear(&err);
	CHECK_INT(docview_build(d, i, &v, &err), GEN_EINPUT);
	CHECK_MSG(err, "payer.country");
	document_free(d);

	docview_free(NULL);
	i18n_close(i);
}

/*
 * Layout versions: a version-1 document, with version 1's catalogues,
 * keeps every text it was issued with; version 2 changed them (credit
 * notes speak of credit notes, no "0 %" on a reverse charge, outside-scope
 * notes say where the place of supply is, regional rates).
 */
static struct document *
version(struct document *d, int v)
{
	d->layout_version = v;
	return d;
}

static void
test_layout_versions(void)
{
	struct fix f;
	struct document *d;

	/* Version 1, its own catalogues: the texts as issued. */
	if (open_view_dir(&f, version(fx_credit_note("lt"), 1),
	    "locales/v1") == 0) {
		CHECK_STR(val(&f, "doc.corrects_text", 0), "Koreguojama sąskaita "
		    "faktūra ZLV-000012, išrašyta 2025 m. rugpjūčio 14 d.");
		CHECK_STR(val(&f, "note.electronic", 0), "Sąskaita faktūra "
		    "išrašyta elektroniniu būdu ir galioja be parašo.");
		CHECK_STR(val(&f, "doc.corrects_title", 0), "Koreguojama "
		    "sąskaita faktūra");
	} else
		CHECK(0);
	done(&f);
	if (open_view_dir(&f, version(fx_document(TAX_REVERSE_CHARGE, "EUR",
	    "en"), 1), "locales/v1") == 0) {
		CHECK_STR(val(&f, "vat.label", 0), "0% – Reverse charge");
		CHECK_STR(val(&f, "line.rate", 0), "0%");
		/* each line names the account, none says it once */
		CHECK_STR(val(&f, "line.details", 1), "Gateway subscription, 6 "
		    "months, 2 Gateway lines\nfor Telegram account @jonas_p "
		    "(ID 2002)");
		CHECK(val(&f, "customer.all_lines", 0) == NULL);
		CHECK_STR(val(&f, "note.electronic", 0), "This invoice was "
		    "issued electronically and is valid without a signature.");
	} else
		CHECK(0);
	done(&f);
	if (open_view_dir(&f, version(fx_document(TAX_OUTSIDE_SCOPE, "USD",
	    "en"), 1), "locales/v1") == 0)
		CHECK_STR(val(&f, "note.outside_scope", 0), "Outside the scope "
		    "of EU VAT (place of supply outside the EU)");
	else
		CHECK(0);
	done(&f);

	/* Version 2: each kind of document names itself. */
	if (open_view(&f, fx_credit_note("en")) == 0) {
		CHECK_STR(val(&f, "note.electronic", 0), "This VAT credit note "
		    "was issued electronically and is valid without a "
		    "signature.");
		CHECK_STR(val(&f, "doc.corrects_text", 0), "Corrects VAT invoice "
		    "ZLV-000012 of August 14, 2025");
		CHECK_STR(val(&f, "doc.corrects_title", 0),
		    "Corrected VAT invoice");
	} else
		CHECK(0);
	done(&f);
	d = fx_credit_note("ru");
	free(d->seller.vat_number);
	d->seller.vat_number = NULL;
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "note.electronic", 0), "Кредитовый "
		    "счёт-фактура составлен в электронном виде и действителен "
		    "без подписи.");
		CHECK_STR(val(&f, "doc.corrects_text", 0), "Корректирует "
		    "счёт-фактуру ZLV-000012 от 14 августа 2025" NNB "г.");
	} else
		CHECK(0);
	done(&f);
	if (open_view(&f, fx_document(TAX_LT_STANDARD, "EUR", "lt+en")) == 0) {
		CHECK_STR(val(&f, "note.electronic", 0), "PVM sąskaita faktūra "
		    "išrašyta elektroniniu būdu ir galioja be parašo.");
		CHECK_STR(val2(&f, "note.electronic", 0), "This VAT invoice was "
		    "issued electronically and is valid without a signature.");
		CHECK(val(&f, "doc.corrects_title", 0) == NULL);
	} else
		CHECK(0);
	done(&f);

	/* A territory outside the EU VAT area, in every language. */
	d = fx_document(TAX_OUTSIDE_SCOPE, "EUR", "lt+en");
	memcpy(d->location_country, "ES", 3);
	d->territory = xstrdup("canary_islands");
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "note.outside_scope", 0), "Ne ES PVM objektas: "
		    "paslaugų teikimo vieta – Kanarų salos – yra Europos "
		    "Sąjungos dalis, tačiau nepriklauso ES PVM teritorijai "
		    "(Direktyvos 2006/112/EB 6 straipsnis).");
		CHECK_STR(val2(&f, "note.outside_scope", 0), "Outside the scope "
		    "of EU VAT: the place of supply, the Canary Islands, is part "
		    "of the EU but outside its VAT territory (Art. 6 of "
		    "Directive 2006/112/EC).");
		CHECK_STR(val(&f, "tax.territory", 0), "Kanarų salos");
	} else
		CHECK(0);
	done(&f);
	/* Version 1 ignores the territory. */
	d = version(fx_document(TAX_OUTSIDE_SCOPE, "EUR", "en"), 1);
	d->territory = xstrdup("canary_islands");
	if (open_view_dir(&f, d, "locales/v1") == 0) {
		CHECK_STR(val(&f, "note.outside_scope", 0), "Outside the scope "
		    "of EU VAT (place of supply outside the EU)");
		CHECK(val(&f, "tax.territory", 0) == NULL);
	} else
		CHECK(0);
	done(&f);

	/* A regional rate: the Azores. */
	d = fx_document(TAX_OSS_DESTINATION, "EUR", "ru");
	memcpy(d->vat_country, "PT", 3);
	d->territory = xstrdup("azores");
	d->vat_rate_bp = d->vats[0].vat_rate_bp = 1600;
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "note.oss", 0), "НДС по схеме ЕС «единое "
		    "окно» (OSS, схема Союза): Португалия (Азорские острова), "
		    "16" NB "%");
		CHECK_STR(val(&f, "vat.label", 0), "16" NB "% (Азорские "
		    "острова, Португалия)");
		CHECK_STR(val(&f, "tax.territory", 0), "Азорские острова");
	} else
		CHECK(0);
	done(&f);
	d = fx_document(TAX_OSS_DESTINATION, "EUR", "en");
	memcpy(d->vat_country, "PT", 3);
	d->territory = xstrdup("azores");
	d->vat_rate_bp = d->vats[0].vat_rate_bp = 1600;
	if (open_view(&f, d) == 0) {
		CHECK_STR(val(&f, "note.oss", 0), "VAT of Portugal at the rate of "
		    "the Azores (16%) under the EU One-Stop-Shop (OSS) Union "
		    "scheme");
		CHECK_STR(val(&f, "vat.label", 0), "16% (the Azores, Portugal)");
	} else
		CHECK(0);
	done(&f);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		locales = argv[1];
	test_names();
	test_lt_standard();
	test_plurals();
	test_grouping();
	test_not_vat_registered();
	test_reverse_charge_en();
	test_oss_usd_bilingual();
	test_outside_scope_ru();
	test_credit_note();
	test_layout_versions();
	test_paid_date();
	test_transfer_order();
	test_transfer_order_errors();
	test_errors();
	return test_report();
}
