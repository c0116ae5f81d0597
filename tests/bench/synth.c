/*
 * synth.c - builds a synthetic database of issued documents for the batch
 * benchmark (`make bench`) and the batch tests (t0110-batch): N invoices
 * with the mix of the sample orders (samples/orders.json) -- about twenty
 * countries, EUR/USD/GBP/JPY, en/lt/ru/lt-en, consumers and EU
 * businesses, mostly one to five lines and a few long invoices -- plus
 * credit notes (about 3 %, full and partial) and payment orders (about
 * 1 %), issued in time order through the library's own issue_* calls, so
 * every VAT decision, number and snapshot is real.  Deterministic: the
 * same N and seed give the same database.
 *
 * No rendering happens here (no finish callback): the documents have no
 * recorded file hash until a batch or an export records one.  The one
 * shortcut is PRAGMA synchronous = OFF on this connection: a throwaway
 * database need not survive a power cut, and an fsync per issued
 * document would make 100,000 of them take minutes.
 *
 * usage: synth DB N SELLER.json... [--seed S]
 * Prints "N documents in T s (R/s)" on stdout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_private.h"
#include "buf.h"
#include "caldate.h"
#include "err.h"
#include "issue.h"
#include "store_private.h"

/* xorshift64*: a small deterministic generator. */
static uint64_t rng_state = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

/* 0 <= r < n */
static unsigned
pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

struct country {
	const char *cc, *currency, *lang, *postal, *city, *street;
	unsigned weight;
	int script;		/* index into the name pools */
	const char *vat;	/* a valid VAT number of a business there */
};

enum { LATIN, LITHUANIAN, CYRILLIC, GREEK, CJK_JA, CJK_ZH, ARABIC, HEBREW };

/* Weights are per mille of orders, roughly the samples' mix. */
static const struct country countries[] = {
	{ "LT", "EUR", "lt", "01103", "Vilnius", "Gedimino pr. 1", 220,
	  LITHUANIAN, "LT100001919017" },
	{ "LV", "EUR", "ru", "LV-1001", "Rīga", "Brīvības iela 101", 50,
	  CYRILLIC, NULL },
	{ "EE", "EUR", "en", "10111", "Tallinn", "Narva mnt 5", 30, LATIN,
	  NULL },
	{ "PL", "EUR", "en", "00-001", "Warszawa", "ul. Marszałkowska 10", 50,
	  LATIN, NULL },
	{ "DE", "EUR", "en", "10117", "Berlin", "Friedrichstraße 123", 120,
	  LATIN, "DE136695976" },
	{ "FR", "EUR", "en", "75008", "Paris", "27 rue du Faubourg", 70,
	  LATIN, "FR40303265045" },
	{ "NL", "EUR", "en", "1017 BZ", "Amsterdam", "Herengracht 420", 40,
	  LATIN, "NL004495445B01" },
	{ "ES", "EUR", "en", "28001", "Madrid", "Calle de Serrano 41", 40,
	  LATIN, NULL },
	{ "IT", "EUR", "en", "00184", "Roma", "Via Nazionale 12", 40, LATIN,
	  NULL },
	{ "FI", "EUR", "en", "00100", "Helsinki", "Mannerheimintie 12", 25,
	  LATIN, NULL },
	{ "GR", "EUR", "en", "10563", "Αθήνα", "Οδός Ερμού 45", 20, GREEK,
	  NULL },
	{ "IE", "GBP", "en", "D06 F2X3", "Dublin", "12 Ráth Maonais", 20,
	  LATIN, NULL },
	{ "AT", "EUR", "en", "1010", "Wien", "Kärntner Straße 5", 25, LATIN,
	  NULL },
	{ "FR", "USD", "en", "06000", "Nice", "14 avenue Jean Médecin", 15,
	  LATIN, NULL },
	{ "US", "USD", "en", "10118", "New York", "350 Fifth Avenue", 80,
	  LATIN, NULL },
	{ "GB", "GBP", "en", "SW1A 1AA", "London", "10 Downing Street", 50,
	  LATIN, NULL },
	{ "JP", "JPY", "en", "100-0005", "東京都", "千代田区丸の内1-1-1", 20,
	  CJK_JA, NULL },
	{ "CN", "USD", "en", "100022", "北京市", "朝阳区建国路88号", 10,
	  CJK_ZH, NULL },
	{ "AE", "USD", "en", "00000", "دبي", "شارع الشيخ زايد 12", 10, ARABIC,
	  NULL },
	{ "IL", "USD", "en", "6578101", "תל אביב", "רחוב הרצל 10", 5, HEBREW,
	  NULL },
	{ "UA", "USD", "ru", "01001", "Київ", "вул. Хрещатик 1", 30, CYRILLIC,
	  NULL },
	{ "CA", "USD", "en", "M5V 2T6", "Toronto", "100 King Street W", 30,
	  LATIN, NULL },
};
#define NCOUNTRIES (sizeof(countries) / sizeof(countries[0]))

static const char *const first_names[][6] = {
	[LATIN] = { "Jürgen", "Camille", "María", "John", "Siobhán", "Aiko" },
	[LITHUANIAN] = { "Žydrūnas", "Rūta", "Ona", "Petras", "Gintarė",
	    "Vytautas" },
	[CYRILLIC] = { "Анна", "Владимир", "Ольга", "Сергей", "Мария",
	    "Дмитрий" },
	[GREEK] = { "Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Κώστας", "Σοφία" },
	[CJK_JA] = { "太郎", "花子", "健", "美咲", "翔", "陽菜" },
	[CJK_ZH] = { "芳", "伟", "娜", "强", "敏", "静" },
	[ARABIC] = { "محمد", "فاطمة", "علي", "مريم", "أحمد", "ليلى" },
	[HEBREW] = { "דוד", "שרה", "משה", "רחל", "יוסף", "מיכל" },
};
static const char *const last_names[][6] = {
	[LATIN] = { "Weiß", "Lefèvre", "Hernández", "O'Reilly", "Ní Bhriain",
	    "Virtanen" },
	[LITHUANIAN] = { "Čiurlionis", "Žemaitytė", "Jankauskienė", "Petraitis",
	    "Kazlauskaitė", "Šimkus" },
	[CYRILLIC] = { "Кузнецова", "Петров", "Иванова", "Смирнов", "Попова",
	    "Соколов" },
	[GREEK] = { "Παπαδόπουλος", "Παπαδοπούλου", "Οικονόμου", "Γεωργίου",
	    "Νικολάου", "Δημητρίου" },
	[CJK_JA] = { "山田", "佐藤", "鈴木", "高橋", "田中", "伊藤" },
	[CJK_ZH] = { "王", "李", "张", "刘", "陈", "杨" },
	[ARABIC] = { "الحسن", "العلي", "الخطيب", "النجار", "الحداد", "السيد" },
	[HEBREW] = { "כהן", "לוי", "מזרחי", "פרץ", "ביטון", "אברהם" },
};

static const struct country *
pick_country(void)
{
	unsigned total = 0, r;

	for (size_t i = 0; i < NCOUNTRIES; i++)
		total += countries[i].weight;
	r = pick(total);
	for (size_t i = 0; i < NCOUNTRIES; i++) {
		if (r < countries[i].weight)
			return &countries[i];
		r -= countries[i].weight;
	}
	return &countries[0];
}

/* A price in minor units of the currency for a base price in EUR cents. */
static long long
price(const char *currency, long long eur_cents)
{
	if (strcmp(currency, "JPY") == 0)
		return eur_cents * 165 / 100;	/* yen, no minor unit */
	if (strcmp(currency, "USD") == 0)
		return eur_cents * 116 / 100;
	if (strcmp(currency, "GBP") == 0)
		return eur_cents * 87 / 100;
	return eur_cents;
}

/* One order line as JSON. */
static void
line_json(struct buf *b, const char *currency, int k, int many)
{
	static const struct {
		const char *item, *desc;
		int months;
		long long eur;
	} kinds[] = {
		{ "softphone", "Softphone subscription", 12, 12000 },
		{ "softphone", "Softphone subscription", 6, 6600 },
		{ "softphone", "Softphone subscription", 1, 1100 },
		{ "gateway", "Gateway subscription", 12, 24000 },
		{ "option", "Call recording", 12, 2400 },
	};
	/* (no top-ups: under the sample sellers' at_use policy a top-up is
	 * a prepayment receipt of its own, never a line of an invoice) */
	unsigned i = pick(5);

	buf_printf(b, "%s{\"item\": \"%s\", \"description\": \"%s%s", k ? ","
	    : "", kinds[i].item, kinds[i].desc, many ? ", seat " : "");
	if (many)
		buf_printf(b, "%02d", k + 1);
	buf_printf(b, "\", ");
	if (kinds[i].months)
		buf_printf(b, "\"period_months\": %d, ", kinds[i].months);
	buf_printf(b, "\"quantity\": %u, \"unit_price_minor\": %lld",
	    pick(10) < 8 ? 1 : 1 + pick(5), price(currency, kinds[i].eur));
	if (pick(3) == 0)
		buf_printf(b, ", \"discount_percent\": %u", pick(4) * 10);
	if (strcmp(kinds[i].item, "softphone") == 0 && pick(4) == 0)
		buf_printf(b, ", \"options\": {\"sip_accounts\": %u}", 1 + pick(5));
	buf_puts(b, "}");
}

/* One order as JSON; *business set when it is a reverse charge. */
static void
order_json(struct buf *b, long n, int64_t paid, int transfer)
{
	const struct country *c = pick_country();
	char created[TIMESTAMP_LEN], paid_s[TIMESTAMP_LEN];
	unsigned nlines, r = pick(1000);
	int business = c->vat != NULL && pick(10) == 0;
	const char *lang = c->lang;

	timestamp_format(paid - 60 - pick(3000), created);
	timestamp_format(paid, paid_s);
	if (strcmp(lang, "lt") == 0 && pick(3) == 0)
		lang = "lt-en";
	else if (strcmp(lang, "en") == 0 && pick(20) == 0)
		lang = "ru";
	nlines = r < 700 ? 1 : r < 850 ? 2 : r < 995 ? 3 + pick(3) :
	    20 + pick(41);
	buf_printf(b, "{\"order_no\": \"SY-%07ld\", \"created_at\": \"%s\", "
	    "\"paid_at\": ", n, created);
	if (transfer)
		buf_puts(b, "null");
	else
		buf_printf(b, "\"%s\"", paid_s);
	buf_printf(b, ", \"currency\": \"%s\", \"payment_method\": \"%s\", "
	    "\"language\": \"%s\", \"payer\": {\"telegram_id\": %ld, ",
	    transfer ? "EUR" : c->currency, transfer ? "bank_transfer" :
	    pick(4) == 0 ? "paypal" : "card", lang, 100000 + n);
	if (business)
		buf_printf(b, "\"name\": \"%s Telecom %ld\", ", c->cc, n);
	else
		buf_printf(b, "\"name\": \"%s %s\", ",
		    first_names[c->script][pick(6)],
		    last_names[c->script][pick(6)]);
	buf_printf(b, "\"address\": {\"line1\": \"%s\", \"city\": \"%s\", "
	    "\"postal_code\": \"%s\"}, \"country\": \"%s\", "
	    "\"is_business\": %s", c->street, c->city, c->postal, c->cc,
	    business ? "true" : "false");
	if (business)
		buf_printf(b, ", \"vat_number\": \"%s\", \"vat_check\": "
		    "{\"status\": \"valid\", \"checked_at\": \"%s\", "
		    "\"reference\": \"WAPI%07ld\"}", c->vat, created, n);
	else
		buf_printf(b, ", \"evidence\": {\"card_country\": \"%s\", "
		    "\"ip_country\": \"%s\"}", c->cc, c->cc);
	buf_printf(b, "}, \"customer\": {\"telegram_id\": %ld, \"username\": "
	    "\"@user%ld\"}, \"lines\": [", 500000 + n, n);
	for (unsigned k = 0; k < nlines; k++)
		line_json(b, transfer ? "EUR" : c->currency, (int)k, nlines > 5);
	buf_puts(b, "]}");
}

static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Set the handle's clock (issue date) to epoch. */
static void
set_clock(struct invgen *inv, int64_t epoch)
{
	inv->cfg.now = epoch;
	inv->cfg.today = timestamp_lt_date(epoch);
	inv->cfg.now_pinned = 1;	/* issuing ticks the clock after BEGIN */
}

#define ORDERS_PER_ADD	2000
#define TRANSFER(i)	((i) % 100 == 37)	/* 1 % bank transfers */
#define CREDIT_DELAY	50	/* a credit note 50 orders after its invoice */

int
main(int argc, char **argv)
{
	struct invgen_options opt = { 0 };
	struct invgen *inv = NULL;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	char **credit_of = NULL;
	int64_t start, span, t;
	long n, docs = 0, seed = 1;
	int nsellers = 0;
	const char *sellers[8];
	double t0;

	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtol(argv[++i], NULL, 10);
		else if (nsellers < 8)
			sellers[nsellers++] = argv[i];
	}
	if (argc < 4 || (n = strtol(argv[2], NULL, 10)) < 1 || n > 10000000 ||
	    nsellers == 0) {
		fprintf(stderr, "usage: synth DB N SELLER.json... [--seed S]\n");
		return 2;
	}
	rng_state ^= (uint64_t)seed * 0x9e3779b97f4a7c15ull;
	opt.db_path = argv[1];
	opt.create = 1;
	t0 = seconds();
	if (invgen_open(&opt, &inv, &err) != GEN_OK)
		goto fail;
	sqlite3_exec(inv->store->db, "PRAGMA synchronous = OFF", NULL, NULL,
	    NULL);
	for (int i = 0; i < nsellers; i++) {
		struct buf in = { 0 };
		char chunk[4096];
		size_t got;
		FILE *fp = fopen(sellers[i], "rb");

		if (fp == NULL) {
			gen_err_set(&err, GEN_EIO, "cannot read %s", sellers[i]);
			goto fail;
		}
		while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
			buf_append(&in, chunk, got);
		fclose(fp);
		if (invgen_seller_add(inv, in.data, in.len, NULL, &err) != GEN_OK) {
			buf_free(&in);
			goto fail;
		}
		buf_free(&in);
	}
	/* Payments spread over 2025-04-01 .. 2026-04-10 (the ECB rates of
	 * the reference data end in April 2026); the first three months are
	 * before the seller's VAT registration. */
	start = (int64_t)caldate_from_ymd(2025, 4, 1) * 86400 + 8 * 3600;
	span = (int64_t)(caldate_from_ymd(2026, 4, 10) -
	    caldate_from_ymd(2025, 4, 1)) * 86400;
	credit_of = xcalloc((size_t)n, sizeof(*credit_of));
	for (long first = 0; first < n; first += ORDERS_PER_ADD) {
		long last = first + ORDERS_PER_ADD < n ? first + ORDERS_PER_ADD : n;
		size_t stored, unchanged;

		/* The orders of this slice, then issue them in time order. */
		buf_reset(&b);
		buf_putc(&b, '[');
		for (long i = first; i < last; i++) {
			if (i > first)
				buf_putc(&b, ',');
			t = start + span * i / n + pick(600);
			order_json(&b, i + 1, t, TRANSFER(i));
		}
		buf_putc(&b, ']');
		if (invgen_order_add(inv, b.data, b.len, &stored, &unchanged,
		    &err) != GEN_OK)
			goto fail;
		for (long i = first; i < last; i++) {
			struct document *d = NULL;
			char no[32];
			int existed;

			t = start + span * i / n + 3600;
			set_clock(inv, t);
			snprintf(no, sizeof(no), "SY-%07ld", i + 1);
			/* A pending credit note first, issued this day. */
			if (i >= CREDIT_DELAY && credit_of[i - CREDIT_DELAY]) {
				int partial = pick(2);

				if (issue_credit_note(inv->store, &inv->cfg,
				    credit_of[i - CREDIT_DELAY], partial ?
				    "Goodwill refund" : "Subscription cancelled "
				    "within 14 days", partial ? 100 : -1, NULL, NULL, &d,
				    &err) != GEN_OK)
					goto fail;
				document_free(d);
				d = NULL;
				docs++;
			}
			/* An unpaid bank-transfer order gets a payment order. */
			if (TRANSFER(i)) {
				if (issue_transfer_order(inv->store, &inv->cfg, no,
				    NULL, &d, &existed, &err) != GEN_OK)
					goto fail;
			} else {
				if (issue_invoice(inv->store, &inv->cfg, no, NULL,
				    &d, &existed, &err) != GEN_OK)
					goto fail;
				if (pick(33) == 0 && d->total_minor > 100)
					credit_of[i] = xstrdup(d->number);
			}
			document_free(d);
			docs++;
		}
	}
	printf("%ld documents in %.1f s (%.0f/s)\n", docs, seconds() - t0,
	    docs / (seconds() - t0));
	for (long i = 0; i < n; i++)
		free(credit_of[i]);
	free(credit_of);
	buf_free(&b);
	invgen_close(inv);
	return 0;
fail:
	fprintf(stderr, "synth: %s\n", err.msg);
	if (credit_of != NULL)
		for (long i = 0; i < n; i++)
			free(credit_of[i]);
	free(credit_of);
	buf_free(&b);
	invgen_close(inv);
	return 3;
}
