/*
 * report.c - the tax reports of report.h: the OSS return of a quarter,
 * the i.SAF register of issued invoices of a month (XML through libxml2's
 * xmlTextWriter), the sales summary of a period, and the monthly VAT
 * return (FR0600) figures and FR0564 rows with the check that ties them to
 * the i.SAF register (JSON through json.h's writer).  report.h lists every
 * decision and assumption.
 *
 * Exports report_oss, report_isaf, report_sales, report_vat_return and
 * report_ec_sales.  Reads the database only through store.h and
 * store_report.h, in a read transaction; never writes to it, never
 * prints, never reads the clock or the environment.  All money is int64
 * minor units; the only roundings are money_to_eur_cents and, for the
 * forms' whole-euro column, money_muldiv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "caldate.h"
#include "err.h"
#include "json.h"
#include "model.h"
#include "money.h"
#include "report.h"
#include "store.h"
#include "store_report.h"
#include "tax.h"
#include "vatid.h"
#include "xmlw.h"

/* Days after a quarter's last day in which the next ECB publication is
 * looked for (the longest TARGET closure is Good Friday to Easter Monday
 * next to a weekend: 4 days). */
#define OSS_FX_LOOKAHEAD 7

#define ISAF_NS		"http://www.vmi.lt/cms/imas/isaf"
#define XSI_NS		"http://www.w3.org/2001/XMLSchema-instance"

/* ------------------------------------------------------------------ */
/* Periods                                                             */
/* ------------------------------------------------------------------ */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper2(const char *s)
{
	return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
	    s[2] == '\0';
}

/* A quarter as one integer: year * 4 + (quarter - 1). */
static int
quarter_index(int year, int q)
{
	return year * 4 + q - 1;
}

static void
quarter_label(int qi, char out[8])
{
	snprintf(out, 8, "%04uQ%c", (unsigned)(qi / 4) % 10000u,
	    (char)('1' + (qi & 3)));
}

static int32_t
quarter_first_day(int qi)
{
	return caldate_from_ymd(qi / 4, qi % 4 * 3 + 1, 1);
}

static int32_t
quarter_last_day(int qi)
{
	int y = qi / 4, m = qi % 4 * 3 + 3;

	return caldate_from_ymd(y, m, caldate_days_in_month(y, m));
}

/* "YYYYQn" (years 1900..2999, n 1..4) to a quarter index. */
static enum gen_rc
quarter_parse(const char *s, int *qi, struct gen_err *err)
{
	int y;

	if (s == NULL || strlen(s) != 6 || !is_digit(s[0]) ||
	    !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) ||
	    s[4] != 'Q' || s[5] < '1' || s[5] > '4')
		goto bad;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	if (y < 1900 || y > 2999)
		goto bad;
	*qi = quarter_index(y, s[5] - '0');
	return GEN_OK;
bad:
	return gen_err_set(err, GEN_EINPUT, "quarter: '%.40s' is not a "
	    "calendar quarter; allowed: YYYYQn with n 1 to 4 (e.g. 2025Q3)",
	    s == NULL ? "" : s);
}

/* The quarter index of a stored date. */
static enum gen_rc
quarter_of(const char *iso, int *qi, struct gen_err *err)
{
	int32_t day;
	int y, m, d;
	enum gen_rc rc;

	if ((rc = caldate_parse(iso, &day, "stored date", err)) != GEN_OK)
		return rc;
	caldate_to_ymd(day, &y, &m, &d);
	*qi = quarter_index(y, (m - 1) / 3 + 1);
	return GEN_OK;
}

/* "YYYY-MM" (years 1900..2999) to its first and last day. */
static enum gen_rc
month_parse(const char *s, int32_t *from, int32_t *to, struct gen_err *err)
{
	int y, m;

	if (s == NULL || strlen(s) != 7 || !is_digit(s[0]) ||
	    !is_digit(s[1]) || !is_digit(s[2]) || !is_digit(s[3]) ||
	    s[4] != '-' || !is_digit(s[5]) || !is_digit(s[6]))
		goto bad;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12)
		goto bad;
	*from = caldate_from_ymd(y, m, 1);
	*to = caldate_from_ymd(y, m, caldate_days_in_month(y, m));
	return GEN_OK;
bad:
	return gen_err_set(err, GEN_EINPUT, "month: '%.40s' is not a "
	    "month; allowed: YYYY-MM (e.g. 2025-08)", s == NULL ? "" : s);
}

/* English names of the member states, for the OSS table (ISO codes;
 * Greece also as EL). */
static const char *
member_state_name(const char *cc)
{
	static const char *const names[][2] = {
		{ "AT", "Austria" }, { "BE", "Belgium" }, { "BG", "Bulgaria" },
		{ "CY", "Cyprus" }, { "CZ", "Czechia" }, { "DE", "Germany" },
		{ "DK", "Denmark" }, { "EE", "Estonia" }, { "EL", "Greece" },
		{ "ES", "Spain" }, { "FI", "Finland" }, { "FR", "France" },
		{ "GR", "Greece" }, { "HR", "Croatia" }, { "HU", "Hungary" },
		{ "IE", "Ireland" }, { "IT", "Italy" }, { "LT", "Lithuania" },
		{ "LU", "Luxembourg" }, { "LV", "Latvia" }, { "MT", "Malta" },
		{ "NL", "Netherlands" }, { "PL", "Poland" },
		{ "PT", "Portugal" }, { "RO", "Romania" }, { "SE", "Sweden" },
		{ "SI", "Slovenia" }, { "SK", "Slovakia" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], cc) == 0)
			return names[i][1];
	return "?";
}

static void
fmt_eur(int64_t cents, char out[32])
{
	money_format(cents, 2, out, 32);
}

/* ------------------------------------------------------------------ */
/* OSS return                                                          */
/* ------------------------------------------------------------------ */

static void jw_eur(struct jsonw *w, const char *key, int64_t cents);
static void jw_amount(struct jsonw *w, const char *key, int64_t minor,
    int digits);

/* Sums of one (section, quarter, member state, rate, currency). */
struct oss_cell {
	int correction;		/* 1: correction of an earlier quarter */
	int qi;			/* the quarter the supplies belong to */
	char ms[3];
	int32_t rate_bp;
	char currency[4];
	int digits;
	int64_t taxable, vat;	/* minor units of currency */
	int64_t taxable_eur, vat_eur;
	size_t fx;		/* index into oss.fx; SIZE_MAX for EUR */
};

/* An ECB rate used: for a currency and the last day of a quarter. */
struct oss_fx {
	char currency[4];
	int qi;
	char target[CALDATE_LEN];	/* the quarter's last day */
	char date[CALDATE_LEN];		/* the day the rate is dated */
	char units[32];
};

/* One line of the return, in EUR. */
struct oss_line {
	int correction;
	int qi;
	char ms[3];
	int32_t rate_bp;
	int64_t taxable_eur, vat_eur;
};

struct oss {
	int qi;
	struct oss_cell *cells;
	size_t ncells;
	struct oss_fx *fx;
	size_t nfx;
	struct oss_line *lines;
	size_t nlines;
	int64_t tot_taxable[2], tot_vat[2];	/* [correction] */
};

static void
oss_free(struct oss *o)
{
	free(o->cells);
	free(o->fx);
	free(o->lines);
}

/* Add one VAT row of an OSS document to its cell. */
static enum gen_rc
oss_add(struct oss *o, const struct store_report_row *r,
    struct gen_err *err)
{
	struct oss_cell *c = NULL;
	int qi = o->qi, corr = 0;
	enum gen_rc rc;

	if (r->kind == DOC_CREDIT_NOTE) {
		if (r->corrects_tax_point_date[0] == '\0')
			return gen_err_set(err, GEN_EINTERNAL, "credit note %s: "
			    "no corrected invoice", r->number);
		if ((rc = quarter_of(r->corrects_tax_point_date, &qi, err)) !=
		    GEN_OK)
			return rc;
		if (qi > o->qi)
			return gen_err_set(err, GEN_EINTERNAL, "credit note %s "
			    "corrects invoice %s whose tax point %s is after "
			    "the quarter", r->number, r->corrects_number,
			    r->corrects_tax_point_date);
		corr = qi < o->qi;
	}
	if (!is_upper2(r->vat_country))
		return gen_err_set(err, GEN_EINTERNAL, "OSS document %s has no "
		    "member state of consumption (vat_country)", r->number);
	for (size_t i = 0; i < o->ncells; i++) {
		struct oss_cell *k = &o->cells[i];

		if (k->correction == corr && k->qi == qi &&
		    strcmp(k->ms, r->vat_country) == 0 &&
		    k->rate_bp == r->vat_rate_bp &&
		    strcmp(k->currency, r->currency) == 0) {
			c = k;
			break;
		}
	}
	if (c == NULL) {
		o->cells = xrealloc(o->cells, (o->ncells + 1) *
		    sizeof(*o->cells));
		c = &o->cells[o->ncells++];
		memset(c, 0, sizeof(*c));
		c->correction = corr;
		c->qi = qi;
		memcpy(c->ms, r->vat_country, sizeof(c->ms));
		c->rate_bp = r->vat_rate_bp;
		memcpy(c->currency, r->currency, sizeof(c->currency));
		c->digits = r->currency_digits;
	} else if (c->digits != r->currency_digits)
		return gen_err_set(err, GEN_EINTERNAL, "document %s: %s with %d "
		    "minor digits, other documents have %d", r->number,
		    r->currency, r->currency_digits, c->digits);
	if ((rc = money_add(&c->taxable, r->net_minor, "OSS taxable amount",
	    err)) != GEN_OK)
		return rc;
	return money_add(&c->vat, r->vat_minor, "OSS VAT amount", err);
}

/* The rate of a currency for a quarter's last day, looked up once. */
static enum gen_rc
oss_rate(struct store *s, struct oss *o, const char *currency, int qi,
    size_t *idx, struct gen_err *err)
{
	struct oss_fx *f;
	char label[8];
	enum gen_rc rc;
	int32_t last = quarter_last_day(qi);

	for (size_t i = 0; i < o->nfx; i++)
		if (o->fx[i].qi == qi && strcmp(o->fx[i].currency,
		    currency) == 0) {
			*idx = i;
			return GEN_OK;
		}
	o->fx = xrealloc(o->fx, (o->nfx + 1) * sizeof(*o->fx));
	f = &o->fx[o->nfx];
	memset(f, 0, sizeof(*f));
	memcpy(f->currency, currency, sizeof(f->currency));
	f->qi = qi;
	caldate_format(last, f->target);
	rc = store_report_fx_on_or_after(s, currency, last, OSS_FX_LOOKAHEAD,
	    f->units, sizeof(f->units), f->date, err);
	if (rc != GEN_OK) {
		quarter_label(qi, label);
		return gen_err_prefix(err, "OSS %s (rate of the quarter's last "
		    "day, VAT Directive Art. 369h): ", label);
	}
	*idx = o->nfx++;
	return GEN_OK;
}

static int
cell_cmp(const void *a, const void *b)
{
	const struct oss_cell *x = a, *y = b;
	int c;

	if (x->correction != y->correction)
		return x->correction - y->correction;
	if (x->qi != y->qi)
		return x->qi < y->qi ? -1 : 1;
	if ((c = strcmp(x->ms, y->ms)) != 0)
		return c;
	if (x->rate_bp != y->rate_bp)
		return x->rate_bp < y->rate_bp ? -1 : 1;
	return strcmp(x->currency, y->currency);
}

static int
fx_cmp(const void *a, const void *b)
{
	const struct oss_fx *x = a, *y = b;

	if (x->qi != y->qi)
		return x->qi > y->qi ? -1 : 1;	/* this quarter first */
	return strcmp(x->currency, y->currency);
}

/*
 * Convert every cell to EUR, then sum the cells into the lines of the
 * return (sorted: supplies, then corrections by original quarter, member
 * state and rate) and the totals.
 */
static enum gen_rc
oss_finish(struct store *s, struct oss *o, struct gen_err *err)
{
	enum gen_rc rc;

	if (o->ncells > 1)
		qsort(o->cells, o->ncells, sizeof(*o->cells), cell_cmp);
	for (size_t i = 0; i < o->ncells; i++) {
		struct oss_cell *c = &o->cells[i];

		c->fx = SIZE_MAX;
		if (strcmp(c->currency, "EUR") == 0) {
			c->taxable_eur = c->taxable;
			c->vat_eur = c->vat;
			continue;
		}
		if ((rc = oss_rate(s, o, c->currency, c->qi, &c->fx, err)) !=
		    GEN_OK ||
		    (rc = money_to_eur_cents(c->taxable, c->digits,
		    o->fx[c->fx].units, &c->taxable_eur, err)) != GEN_OK ||
		    (rc = money_to_eur_cents(c->vat, c->digits,
		    o->fx[c->fx].units, &c->vat_eur, err)) != GEN_OK)
			return rc;
	}
	for (size_t i = 0; i < o->ncells; i++) {
		const struct oss_cell *c = &o->cells[i];
		struct oss_line *l = o->nlines ? &o->lines[o->nlines - 1] :
		    NULL;

		if (l == NULL || l->correction != c->correction ||
		    l->qi != c->qi || strcmp(l->ms, c->ms) != 0 ||
		    l->rate_bp != c->rate_bp) {
			o->lines = xrealloc(o->lines, (o->nlines + 1) *
			    sizeof(*o->lines));
			l = &o->lines[o->nlines++];
			memset(l, 0, sizeof(*l));
			l->correction = c->correction;
			l->qi = c->qi;
			memcpy(l->ms, c->ms, sizeof(l->ms));
			l->rate_bp = c->rate_bp;
		}
		if ((rc = money_add(&l->taxable_eur, c->taxable_eur,
		    "OSS taxable EUR", err)) != GEN_OK ||
		    (rc = money_add(&l->vat_eur, c->vat_eur, "OSS VAT EUR",
		    err)) != GEN_OK ||
		    (rc = money_add(&o->tot_taxable[c->correction],
		    c->taxable_eur, "OSS total taxable EUR", err)) != GEN_OK ||
		    (rc = money_add(&o->tot_vat[c->correction], c->vat_eur,
		    "OSS total VAT EUR", err)) != GEN_OK)
			return rc;
	}
	if (o->nfx > 1)
		qsort(o->fx, o->nfx, sizeof(*o->fx), fx_cmp);
	return GEN_OK;
}

static void
oss_csv(const struct oss *o, struct buf *b)
{
	char q[8], oq[8], rate[16], t[32], v[32];

	quarter_label(o->qi, q);
	buf_puts(b, "quarter,section,member_state,rate,original_quarter,"
	    "taxable_eur,vat_eur\n");
	for (size_t i = 0; i < o->nlines; i++) {
		const struct oss_line *l = &o->lines[i];

		quarter_label(l->qi, oq);
		money_format_rate(l->rate_bp, rate, sizeof(rate));
		fmt_eur(l->taxable_eur, t);
		fmt_eur(l->vat_eur, v);
		buf_printf(b, "%s,%s,%s,%s,%s,%s,%s\n", q, l->correction ?
		    "correction" : "supplies", l->ms, rate, l->correction ? oq :
		    "", t, v);
	}
}

/* The lines of one section of the readable return. */
static void
oss_text_section(const struct oss *o, int corr, struct buf *b)
{
	char oq[8], rate[16], t[32], v[32];
	int any = 0;

	if (corr)
		buf_printf(b, "%-8s", "orig");
	buf_printf(b, "%-4s%-14s%7s%15s%15s\n", "MS", "member state", "rate",
	    "taxable EUR", "VAT EUR");
	for (size_t i = 0; i < o->nlines; i++) {
		const struct oss_line *l = &o->lines[i];

		if (l->correction != corr)
			continue;
		any = 1;
		quarter_label(l->qi, oq);
		money_format_rate(l->rate_bp, rate, sizeof(rate));
		fmt_eur(l->taxable_eur, t);
		fmt_eur(l->vat_eur, v);
		if (corr)
			buf_printf(b, "%-8s", oq);
		buf_printf(b, "%-4s%-14s%7s%15s%15s\n", l->ms,
		    member_state_name(l->ms), rate, t, v);
	}
	if (!any)
		buf_puts(b, "none\n");
	fmt_eur(o->tot_taxable[corr], t);
	fmt_eur(o->tot_vat[corr], v);
	buf_printf(b, "%-*s%15s%15s\n", corr ? 33 : 25, "total", t, v);
}

static void
oss_json(const struct oss *o, struct buf *b)
{
	struct jsonw w;
	char q[8], oq[8], rate[16], day[CALDATE_LEN];

	jsonw_init(&w, b, 0);
	jsonw_object_begin(&w);
	quarter_label(o->qi, q);
	jsonw_key(&w, "quarter");
	jsonw_string(&w, q);
	caldate_format(quarter_first_day(o->qi), day);
	jsonw_key(&w, "from");
	jsonw_string(&w, day);
	caldate_format(quarter_last_day(o->qi), day);
	jsonw_key(&w, "to");
	jsonw_string(&w, day);
	for (int corr = 0; corr < 2; corr++) {
		jsonw_key(&w, corr ? "corrections" : "supplies");
		jsonw_array_begin(&w);
		for (size_t i = 0; i < o->nlines; i++) {
			const struct oss_line *l = &o->lines[i];

			if (l->correction != corr)
				continue;
			jsonw_object_begin(&w);
			if (corr) {
				quarter_label(l->qi, oq);
				jsonw_key(&w, "original_quarter");
				jsonw_string(&w, oq);
			}
			jsonw_key(&w, "member_state");
			jsonw_string(&w, l->ms);
			money_format_rate(l->rate_bp, rate, sizeof(rate));
			jsonw_key(&w, "rate");
			jsonw_raw(&w, rate);
			jw_eur(&w, "taxable_eur", l->taxable_eur);
			jw_eur(&w, "vat_eur", l->vat_eur);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		jsonw_key(&w, corr ? "corrections_total" : "supplies_total");
		jsonw_object_begin(&w);
		jw_eur(&w, "taxable_eur", o->tot_taxable[corr]);
		jw_eur(&w, "vat_eur", o->tot_vat[corr]);
		jsonw_object_end(&w);
	}
	jsonw_key(&w, "exchange_rates");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < o->nfx; i++) {
		const struct oss_fx *f = &o->fx[i];

		quarter_label(f->qi, oq);
		jsonw_object_begin(&w);
		jsonw_key(&w, "currency");
		jsonw_string(&w, f->currency);
		jsonw_key(&w, "quarter");
		jsonw_string(&w, oq);
		jsonw_key(&w, "date");
		jsonw_string(&w, f->date);
		jsonw_key(&w, "units_per_eur");
		jsonw_string(&w, f->units);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "conversions");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < o->ncells; i++) {
		const struct oss_cell *c = &o->cells[i];

		if (c->fx == SIZE_MAX)
			continue;
		quarter_label(c->qi, oq);
		money_format_rate(c->rate_bp, rate, sizeof(rate));
		jsonw_object_begin(&w);
		jsonw_key(&w, "quarter");
		jsonw_string(&w, oq);
		jsonw_key(&w, "member_state");
		jsonw_string(&w, c->ms);
		jsonw_key(&w, "rate");
		jsonw_raw(&w, rate);
		jsonw_key(&w, "currency");
		jsonw_string(&w, c->currency);
		jw_amount(&w, "taxable", c->taxable, c->digits);
		jw_amount(&w, "vat", c->vat, c->digits);
		jw_eur(&w, "taxable_eur", c->taxable_eur);
		jw_eur(&w, "vat_eur", c->vat_eur);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	buf_putc(b, '\n');
}

static void
oss_text(const struct oss *o, struct buf *b)
{
	char q[8], oq[8], rate[16], a[32], v[32], t[32], w[32];
	int any = 0;

	quarter_label(o->qi, q);
	caldate_format(quarter_first_day(o->qi), a);
	caldate_format(quarter_last_day(o->qi), v);
	buf_printf(b, "OSS return (Union scheme), quarter %s: %s to %s\n", q,
	    a, v);
	buf_puts(b, "From the issued OSS_DESTINATION invoices and credit "
	    "notes; amounts in EUR.\n\n");
	buf_puts(b, "Supplies of the quarter (VAT Directive Art. 369g(1)): "
	    "invoices whose tax point\nis in the quarter, net of the credit "
	    "notes issued in the quarter for them.\n");
	oss_text_section(o, 0, b);
	buf_puts(b, "\nCorrections of earlier quarters (Art. 369g(4)): credit "
	    "notes issued in the\nquarter for invoices whose tax point is in "
	    "an earlier quarter.\n");
	oss_text_section(o, 1, b);

	buf_puts(b, "\nExchange rates (ECB reference rates, units per 1 EUR; "
	    "Art. 369h: the last day\nof the quarter, or the next publication "
	    "day):\n");
	for (size_t i = 0; i < o->nfx; i++) {
		const struct oss_fx *f = &o->fx[i];

		quarter_label(f->qi, oq);
		buf_printf(b, "%-5s%-12s%-12s for %s", f->currency, f->date,
		    f->units, oq);
		if (strcmp(f->date, f->target) != 0)
			buf_printf(b, " (none published on %s)", f->target);
		buf_putc(b, '\n');
	}
	if (o->nfx == 0)
		buf_puts(b, "none (all documents in EUR)\n");

	buf_puts(b, "\nConverted sums (document currency to EUR, half up):\n");
	buf_printf(b, "%-8s%-4s%7s  %-4s%15s%15s%15s%15s\n", "quarter", "MS",
	    "rate", "cur", "taxable", "VAT", "taxable EUR", "VAT EUR");
	for (size_t i = 0; i < o->ncells; i++) {
		const struct oss_cell *c = &o->cells[i];

		if (c->fx == SIZE_MAX)
			continue;
		any = 1;
		quarter_label(c->qi, oq);
		money_format_rate(c->rate_bp, rate, sizeof(rate));
		money_format(c->taxable, c->digits, a, sizeof(a));
		money_format(c->vat, c->digits, v, sizeof(v));
		fmt_eur(c->taxable_eur, t);
		fmt_eur(c->vat_eur, w);
		buf_printf(b, "%-8s%-4s%7s  %-4s%15s%15s%15s%15s\n", oq, c->ms,
		    rate, c->currency, a, v, t, w);
	}
	if (!any)
		buf_puts(b, "none\n");
}

enum gen_rc
report_oss(struct store *s, const char *quarter, enum report_format format,
    struct buf *out, struct gen_err *err)
{
	struct oss o;
	struct store_report_rows rows = { 0 };
	struct buf b = { 0 };
	enum gen_rc rc;

	memset(&o, 0, sizeof(o));
	if ((rc = quarter_parse(quarter, &o.qi, err)) != GEN_OK)
		return rc;
	if ((rc = store_begin_read(s, err)) != GEN_OK)
		return rc;
	if ((rc = store_report_oss_rows(s, quarter_first_day(o.qi),
	    quarter_last_day(o.qi), &rows, err)) != GEN_OK)
		goto done;
	for (size_t i = 0; i < rows.n && rc == GEN_OK; i++)
		rc = oss_add(&o, &rows.v[i], err);
	if (rc == GEN_OK)
		rc = oss_finish(s, &o, err);
	if (rc != GEN_OK)
		goto done;
	if (format == REPORT_CSV)
		oss_csv(&o, &b);
	else if (format == REPORT_JSON)
		oss_json(&o, &b);
	else
		oss_text(&o, &b);
	buf_append(out, b.data, b.len);
done:
	store_rollback(s);
	store_report_rows_free(&rows);
	oss_free(&o);
	buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* i.SAF register                                                      */
/* ------------------------------------------------------------------ */

/* Code points of UTF-8 text (stored text is valid UTF-8). */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* GEN_EINPUT unless text has 1..max characters. */
static enum gen_rc
isaf_len(const char *doc, const char *field, const char *text, size_t max,
    struct gen_err *err)
{
	size_t n = text == NULL ? 0 : utf8_len(text);

	if (n == 0 || n > max)
		return gen_err_set(err, GEN_EINPUT, "i.SAF: document %s: %s "
		    "'%.80s' has %zu characters; allowed: 1 to %zu", doc, field,
		    text == NULL ? "" : text, n, max);
	return GEN_OK;
}

/* One DocumentTotal. */
struct isaf_total {
	const char *code;	/* PVM1, PVM15 */
	int32_t rate_bp;	/* -1: TaxPercentage nil */
	int64_t taxable_cents;
	int64_t vat_cents;
};

/* Everything one Invoice element needs, checked against the i.SAF types. */
struct isaf_inv {
	const struct document *d;
	char customer_id[72];
	char vat_number[VATID_MAX + 1];	/* or "ND" */
	const char *reg_number;		/* company code or "ND" */
	struct isaf_total *totals;
	size_t ntotals;
};

/* A non-EUR amount in euro cents at the document's rate (see report.h). */
static enum gen_rc
isaf_eur(struct store *s, const struct document *d, const char *fx_date,
    int64_t minor, int64_t *cents, struct gen_err *err)
{
	char units[32], rate_date[CALDATE_LEN];
	int32_t day;
	enum gen_rc rc;

	if (strcmp(d->currency, "EUR") == 0) {
		*cents = minor;
		return GEN_OK;
	}
	if (d->fx_units_per_eur != NULL)
		return money_to_eur_cents(minor, d->currency_digits,
		    d->fx_units_per_eur, cents, err);
	if ((rc = caldate_parse(fx_date, &day, "tax point", err)) != GEN_OK ||
	    (rc = store_fx_rate(s, d->currency, day, units, sizeof(units),
	    rate_date, err)) != GEN_OK)
		return gen_err_prefix(err, "i.SAF: document %s: ", d->number);
	return money_to_eur_cents(minor, d->currency_digits, units, cents,
	    err);
}

/* 18 digits at most (ISAFmonetaryType). */
static enum gen_rc
isaf_amount_ok(const struct document *d, int64_t cents, struct gen_err *err)
{
	if (cents <= -1000000000000000000LL || cents >= 1000000000000000000LL)
		return gen_err_set(err, GEN_EINPUT, "i.SAF: document %s: an "
		    "amount has more than 18 digits", d->number);
	return GEN_OK;
}

/* Build and check the Invoice of document d. */
static enum gen_rc
isaf_inv_build(struct store *s, const struct document *d,
    const char *fx_date, struct isaf_inv *inv, struct gen_err *err)
{
	const char *code;
	char norm[VATID_MAX + 1];
	enum gen_rc rc;

	memset(inv, 0, sizeof(*inv));
	inv->d = d;
	if ((rc = isaf_len(d->number, "InvoiceNo", d->number, 70, err)) !=
	    GEN_OK)
		return rc;
	if (d->payer.telegram_id > 0)
		snprintf(inv->customer_id, sizeof(inv->customer_id), "%lld",
		    (long long)d->payer.telegram_id);
	else {
		if ((rc = isaf_len(d->number, "CustomerID (order number)",
		    d->order_no, 70, err)) != GEN_OK)
			return rc;
		snprintf(inv->customer_id, sizeof(inv->customer_id), "%s",
		    d->order_no);
	}
	/* An OSS document treated the payer as a consumer: a VAT number
	 * given with it was not accepted, so the register says ND. */
	snprintf(inv->vat_number, sizeof(inv->vat_number), "ND");
	if (d->payer.is_business && d->payer.vat_number != NULL &&
	    d->treatment != TAX_OSS_DESTINATION &&
	    vatid_check(d->payer.vat_number, norm, sizeof(norm), NULL) ==
	    GEN_OK && strlen(norm) <= 35)
		memcpy(inv->vat_number, norm, sizeof(norm));
	inv->reg_number = "ND";
	if (d->payer.company_code != NULL && d->payer.company_code[0] != '\0') {
		if ((rc = isaf_len(d->number, "RegistrationNumber (payer "
		    "company code)", d->payer.company_code, 35, err)) != GEN_OK)
			return rc;
		inv->reg_number = d->payer.company_code;
	}
	if ((rc = isaf_len(d->number, "Name (payer)", d->payer.name, 256,
	    err)) != GEN_OK)
		return rc;
	if (!is_upper2(d->payer.country))
		return gen_err_set(err, GEN_EINPUT, "i.SAF: document %s: payer "
		    "country '%s' is not an ISO 3166 code", d->number,
		    d->payer.country);
	if (d->kind == DOC_CREDIT_NOTE && (d->corrects_number == NULL ||
	    d->corrects_issue_date[0] == '\0'))
		return gen_err_set(err, GEN_EINTERNAL, "i.SAF: credit note %s "
		    "has no corrected invoice", d->number);

	switch (d->treatment) {
	case TAX_LT_STANDARD:
		code = "PVM1";
		break;
	case TAX_REVERSE_CHARGE:
	case TAX_OUTSIDE_SCOPE:
	case TAX_OSS_DESTINATION:
		code = "PVM15";
		break;
	default:
		return gen_err_set(err, GEN_EINPUT, "i.SAF: document %s: "
		    "treatment %s has no i.SAF tax code (a VAT-registered "
		    "seller's document cannot have it)", d->number,
		    tax_treatment_name(d->treatment));
	}
	inv->totals = xcalloc(d->nvats ? d->nvats : 1, sizeof(*inv->totals));
	for (size_t i = 0; i < d->nvats; i++) {
		const struct doc_vat *v = &d->vats[i];
		struct isaf_total *t = NULL;
		int32_t rate = -1;
		int64_t taxable, vat = 0;

		if (d->treatment == TAX_LT_STANDARD) {
			if (v->vat_rate_bp != 2100)
				return gen_err_set(err, GEN_EINPUT, "i.SAF: "
				    "document %s: no i.SAF tax code is mapped "
				    "for Lithuanian VAT at %d.%02d %%; allowed: "
				    "21 %% (PVM1)", d->number,
				    v->vat_rate_bp / 100, v->vat_rate_bp % 100);
			rate = v->vat_rate_bp;
		}
		if (v->has_eur)
			taxable = v->taxable_eur_minor;
		else if ((rc = isaf_eur(s, d, fx_date, v->taxable_minor,
		    &taxable, err)) != GEN_OK)
			return rc;
		if (rate >= 0) {
			if (v->has_eur)
				vat = v->vat_eur_minor;
			else if ((rc = isaf_eur(s, d, fx_date, v->vat_minor,
			    &vat, err)) != GEN_OK)
				return rc;
		}
		for (size_t k = 0; k < inv->ntotals; k++)
			if (inv->totals[k].rate_bp == rate)
				t = &inv->totals[k];
		if (t == NULL) {
			t = &inv->totals[inv->ntotals++];
			t->code = code;
			t->rate_bp = rate;
		}
		if ((rc = money_add(&t->taxable_cents, taxable, "i.SAF "
		    "TaxableValue", err)) != GEN_OK ||
		    (rc = money_add(&t->vat_cents, vat, "i.SAF Amount", err)) !=
		    GEN_OK ||
		    (rc = isaf_amount_ok(d, t->taxable_cents, err)) != GEN_OK ||
		    (rc = isaf_amount_ok(d, t->vat_cents, err)) != GEN_OK)
			return rc;
	}
	if (inv->ntotals == 0)
		return gen_err_set(err, GEN_EINTERNAL, "i.SAF: document %s has "
		    "no VAT rows", d->number);
	return GEN_OK;
}

/* <name xsi:nil="true"/> */
static void
xw_nil(struct xmlw *x, const char *name)
{
	xmlw_start(x, name);
	xmlw_attr(x, "xsi:nil", "true");
	xmlw_end(x);
}

static void
xw_cents(struct xmlw *x, const char *name, int64_t cents)
{
	char a[32];

	fmt_eur(cents, a);
	xmlw_elem(x, name, a);
}

static void
isaf_write_invoice(struct xmlw *x, const struct isaf_inv *inv)
{
	const struct document *d = inv->d;
	char rate[16];

	xmlw_start(x, "Invoice");
	xmlw_elem(x, "InvoiceNo", d->number);
	xmlw_start(x, "CustomerInfo");
	xmlw_elem(x, "CustomerID", inv->customer_id);
	xmlw_elem(x, "VATRegistrationNumber", inv->vat_number);
	xmlw_elem(x, "RegistrationNumber", inv->reg_number);
	xmlw_elem(x, "Country", d->payer.country);
	xmlw_elem(x, "Name", d->payer.name);
	xmlw_end(x);
	xmlw_elem(x, "InvoiceDate", d->issue_date);
	xmlw_elem(x, "InvoiceType", d->kind == DOC_CREDIT_NOTE ? "KS" : "SF");
	xmlw_elem(x, "SpecialTaxation", "");
	xmlw_start(x, "References");
	if (d->kind == DOC_CREDIT_NOTE) {
		xmlw_start(x, "Reference");
		xmlw_elem(x, "ReferenceNo", d->corrects_number);
		xmlw_elem(x, "ReferenceDate", d->corrects_issue_date);
		xmlw_end(x);
	}
	xmlw_end(x);
	if (strcmp(d->tax_point_date, d->issue_date) != 0)
		xmlw_elem(x, "VATPointDate", d->tax_point_date);
	else
		xw_nil(x, "VATPointDate");
	xmlw_start(x, "DocumentTotals");
	for (size_t i = 0; i < inv->ntotals; i++) {
		const struct isaf_total *t = &inv->totals[i];

		xmlw_start(x, "DocumentTotal");
		xw_cents(x, "TaxableValue", t->taxable_cents);
		xmlw_elem(x, "TaxCode", t->code);
		if (t->rate_bp >= 0) {
			money_format_rate(t->rate_bp, rate, sizeof(rate));
			xmlw_elem(x, "TaxPercentage", rate);
		} else
			xw_nil(x, "TaxPercentage");
		xw_cents(x, "Amount", t->vat_cents);
		xw_nil(x, "VATPointDate2");
		xmlw_end(x);
	}
	xmlw_end(x);
	xmlw_end(x);
}

static const char isaf_comment[] =
    " invgen i.SAF register of issued invoices (DataType S).\n"
    "     Assumptions (REFERENCE.md 6.2, UNVERIFIED: confirm with VMI):\n"
    "     REVERSE_CHARGE, OUTSIDE_SCOPE and OSS_DESTINATION documents are\n"
    "     reported with TaxCode PVM15 (supplied outside Lithuania),\n"
    "     TaxPercentage nil and Amount 0.00.  The VAT of OSS supplies is the\n"
    "     member state of consumption's VAT, declared and paid through the\n"
    "     OSS return, not Lithuanian VAT, so it is not in Amount.\n"
    "     Amounts in EUR: the VAT-in-EUR figures stored at issue; other\n"
    "     amounts at the document's stored ECB rate, else the ECB rate of\n"
    "     its tax point (a credit note: of its invoice). ";

/* The whole file. */
static enum gen_rc
isaf_write(const char *month_first, const char *month_last,
    const char *created, const char *software_version,
    const char *company_code, const struct isaf_inv *invs, size_t n,
    struct buf *out, struct gen_err *err)
{
	struct xmlw x;
	enum gen_rc rc;

	if ((rc = xmlw_open(&x, "i.SAF", err)) != GEN_OK)
		return rc;
	xmlw_comment(&x, isaf_comment);
	xmlw_start(&x, "iSAFFile");
	xmlw_attr(&x, "xmlns", ISAF_NS);
	xmlw_attr(&x, "xmlns:xsi", XSI_NS);
	xmlw_start(&x, "Header");
	xmlw_start(&x, "FileDescription");
	xmlw_elem(&x, "FileVersion", "iSAF1.2");
	xmlw_elem(&x, "FileDateCreated", created);
	xmlw_elem(&x, "DataType", "S");
	xmlw_elem(&x, "SoftwareCompanyName", "SIP.TG");
	xmlw_elem(&x, "SoftwareName", "invgen");
	xmlw_elem(&x, "SoftwareVersion", software_version);
	xmlw_elem(&x, "RegistrationNumber", company_code);
	xmlw_elem(&x, "NumberOfParts", "1");
	xmlw_elem(&x, "PartNumber", "1");
	xmlw_start(&x, "SelectionCriteria");
	xmlw_elem(&x, "SelectionStartDate", month_first);
	xmlw_elem(&x, "SelectionEndDate", month_last);
	xmlw_end(&x);
	xmlw_end(&x);
	xmlw_end(&x);
	xmlw_start(&x, "SourceDocuments");
	if (n > 0) {
		xmlw_start(&x, "SalesInvoices");
		for (size_t i = 0; i < n; i++)
			isaf_write_invoice(&x, &invs[i]);
		xmlw_end(&x);
	}
	xmlw_end(&x);
	xmlw_end(&x);
	return xmlw_finish(&x, out);
}

/* 1..11 digits (ISAFRegistrationNumberType). */
static int
isaf_company_code_ok(const char *s)
{
	size_t n = s == NULL ? 0 : strlen(s);

	if (n == 0 || n > 11)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

enum gen_rc
report_isaf(struct store *s, const char *month, int64_t created,
    const char *software_version, struct buf *out, struct gen_err *err)
{
	struct store_report_isaf_doc *refs = NULL;
	struct document **docs = NULL;
	struct isaf_inv *invs = NULL;
	struct seller_profile *sp = NULL;
	char first[CALDATE_LEN], last[CALDATE_LEN], ts[TIMESTAMP_LEN];
	const char *company = NULL, *company_doc = NULL;
	int32_t from = 0, to = 0;
	size_t n = 0;
	struct buf b = { 0 };
	enum gen_rc rc;

	if ((rc = month_parse(month, &from, &to, err)) != GEN_OK)
		return rc;
	if (software_version == NULL || software_version[0] == '\0' ||
	    utf8_len(software_version) > 24)
		return gen_err_set(err, GEN_EINPUT, "i.SAF: SoftwareVersion "
		    "'%.40s': allowed 1 to 24 characters",
		    software_version == NULL ? "" : software_version);
	caldate_format(from, first);
	caldate_format(to, last);
	timestamp_format(created, ts);
	if ((rc = store_begin_read(s, err)) != GEN_OK)
		return rc;
	if ((rc = store_report_isaf_docs(s, from, to, 0, &refs, &n, err)) !=
	    GEN_OK)
		goto done;
	docs = xcalloc(n ? n : 1, sizeof(*docs));
	invs = xcalloc(n ? n : 1, sizeof(*invs));
	for (size_t i = 0; i < n; i++) {
		const struct document *d;

		if ((rc = store_document_load_id(s, refs[i].id, &docs[i],
		    err)) != GEN_OK)
			goto done;
		d = docs[i];
		if (company == NULL) {
			company = d->seller.company_code;
			company_doc = d->number;
		} else if (strcmp(company, d->seller.company_code) != 0) {
			rc = gen_err_set(err, GEN_EINPUT, "i.SAF: the seller "
			    "company code of %s (%s) differs from that of %s "
			    "(%s); one register is for one company", d->number,
			    d->seller.company_code, company_doc, company);
			goto done;
		}
		if ((rc = isaf_inv_build(s, d, refs[i].fx_date, &invs[i],
		    err)) != GEN_OK)
			goto done;
	}
	if (company == NULL) {
		/* A nil register: the company of the period's profile. */
		rc = store_seller_for_date(s, to, &sp, err);
		if (rc == GEN_OK && sp->party.vat_number == NULL)
			rc = GEN_ENOTFOUND;
		if (rc == GEN_ENOTFOUND) {
			rc = gen_err_set(err, GEN_EINPUT, "month: %s: the "
			    "seller was not VAT-registered on %s, so there is no "
			    "i.SAF register for that month", month, last);
			goto done;
		}
		if (rc != GEN_OK)
			goto done;
		company = sp->party.company_code;
		company_doc = "the seller profile";
	}
	if (!isaf_company_code_ok(company)) {
		rc = gen_err_set(err, GEN_EINPUT, "i.SAF: RegistrationNumber: "
		    "seller company code '%.40s' (%s) must be 1 to 11 digits",
		    company, company_doc);
		goto done;
	}
	if ((rc = isaf_write(first, last, ts, software_version, company, invs,
	    n, &b, err)) != GEN_OK)
		goto done;
	buf_append(out, b.data, b.len);
done:
	store_rollback(s);
	for (size_t i = 0; i < n && docs != NULL; i++) {
		free(invs[i].totals);
		document_free(docs[i]);
	}
	free(invs);
	free(docs);
	free(refs);
	seller_profile_free(sp);
	buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Sales summary                                                       */
/* ------------------------------------------------------------------ */

struct sales_group {
	char key[24];
	char currency[4];
	int digits;
	int64_t docs;
	int64_t net, vat, total, vat_eur;
	int vat_eur_missing;
};

struct sales {
	struct sales_group *g;
	size_t n;
};

/* Add one document to the group (key, currency) of set. */
static enum gen_rc
sales_add(struct sales *set, const char *key,
    const struct store_report_row *r, struct gen_err *err)
{
	struct sales_group *g = NULL;
	enum gen_rc rc;

	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->g[i].key, key) == 0 &&
		    strcmp(set->g[i].currency, r->currency) == 0) {
			g = &set->g[i];
			break;
		}
	if (g == NULL) {
		set->g = xrealloc(set->g, (set->n + 1) * sizeof(*set->g));
		g = &set->g[set->n++];
		memset(g, 0, sizeof(*g));
		snprintf(g->key, sizeof(g->key), "%s", key);
		memcpy(g->currency, r->currency, sizeof(g->currency));
		g->digits = r->currency_digits;
	}
	g->docs++;
	if ((rc = money_add(&g->net, r->net_minor, "sales net", err)) !=
	    GEN_OK ||
	    (rc = money_add(&g->vat, r->vat_minor, "sales VAT", err)) !=
	    GEN_OK ||
	    (rc = money_add(&g->total, r->total_minor, "sales total", err)) !=
	    GEN_OK)
		return rc;
	if (strcmp(r->currency, "EUR") == 0)
		return money_add(&g->vat_eur, r->vat_minor, "sales VAT EUR",
		    err);
	if (r->has_vat_eur)
		return money_add(&g->vat_eur, r->vat_eur_minor,
		    "sales VAT EUR", err);
	if (r->vat_minor != 0)
		g->vat_eur_missing = 1;
	return GEN_OK;
}

static int
group_cmp(const void *a, const void *b)
{
	const struct sales_group *x = a, *y = b;
	int c;

	if ((c = strcmp(x->key, y->key)) != 0)
		return c;
	return strcmp(x->currency, y->currency);
}

static void
sales_amounts(const struct sales_group *g, char net[32], char vat[32],
    char total[32], char eur[32])
{
	money_format(g->net, g->digits, net, 32);
	money_format(g->vat, g->digits, vat, 32);
	money_format(g->total, g->digits, total, 32);
	if (g->vat_eur_missing)
		snprintf(eur, 32, "n/a");
	else
		fmt_eur(g->vat_eur, eur);
}

static void
sales_text_row(struct buf *b, const struct sales_group *g)
{
	char net[32], vat[32], total[32], eur[32];

	sales_amounts(g, net, vat, total, eur);
	buf_printf(b, "%-19s%-4s%6lld%16s%16s%16s%16s\n", g->key,
	    g->currency, (long long)g->docs, net, vat, total, eur);
}

/* A group (with its key when keyed) as a JSON object. */
static void
sales_json_row(struct jsonw *w, const struct sales_group *g, int keyed)
{
	jsonw_object_begin(w);
	if (keyed) {
		jsonw_key(w, "group");
		jsonw_string(w, g->key);
	}
	jsonw_key(w, "currency");
	jsonw_string(w, g->currency);
	jsonw_key(w, "documents");
	jsonw_int(w, g->docs);
	jw_amount(w, "net", g->net, g->digits);
	jw_amount(w, "vat", g->vat, g->digits);
	jw_amount(w, "total", g->total, g->digits);
	if (g->vat_eur_missing) {
		jsonw_key(w, "vat_eur");
		jsonw_null(w);
	} else
		jw_eur(w, "vat_eur", g->vat_eur);
	jsonw_object_end(w);
}

enum gen_rc
report_sales(struct store *s, const char *from, const char *to,
    const char *by, enum report_format format, struct buf *out,
    struct gen_err *err)
{
	struct store_report_rows rows = { 0 };
	struct sales groups = { 0 }, totals = { 0 };
	struct buf b = { 0 };
	int32_t f, t;
	int64_t eur_total = 0;
	int eur_missing = 0;
	enum gen_rc rc;

	if (by == NULL || by[0] == '\0')
		by = "treatment";
	if (strcmp(by, "country") != 0 && strcmp(by, "currency") != 0 &&
	    strcmp(by, "treatment") != 0)
		return gen_err_set(err, GEN_EINPUT, "by: '%.40s' is not a "
		    "grouping; allowed: country, currency, treatment", by);
	if ((rc = caldate_parse(from, &f, "from", err)) != GEN_OK ||
	    (rc = caldate_parse(to, &t, "to", err)) != GEN_OK)
		return rc;
	if (t < f)
		return gen_err_set(err, GEN_EINPUT, "to: %s is before from "
		    "%s; allowed: a date on or after from", to, from);
	if ((rc = store_begin_read(s, err)) != GEN_OK)
		return rc;
	rc = store_report_sales_rows(s, f, t, &rows, err);
	store_rollback(s);
	if (rc != GEN_OK)
		return rc;
	for (size_t i = 0; i < rows.n && rc == GEN_OK; i++) {
		const struct store_report_row *r = &rows.v[i];
		const char *key = strcmp(by, "country") == 0 ?
		    r->payer_country : strcmp(by, "currency") == 0 ?
		    r->currency : tax_treatment_name(r->treatment);

		if ((rc = sales_add(&groups, key, r, err)) == GEN_OK)
			rc = sales_add(&totals, "total", r, err);
	}
	if (rc != GEN_OK)
		goto done;
	if (groups.n > 1)
		qsort(groups.g, groups.n, sizeof(*groups.g), group_cmp);
	if (totals.n > 1)
		qsort(totals.g, totals.n, sizeof(*totals.g), group_cmp);
	for (size_t i = 0; i < totals.n && rc == GEN_OK; i++) {
		eur_missing |= totals.g[i].vat_eur_missing;
		rc = money_add(&eur_total, totals.g[i].vat_eur, "sales VAT EUR",
		    err);
	}
	if (rc != GEN_OK)
		goto done;

	if (format == REPORT_JSON) {
		struct jsonw w;

		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "from");
		jsonw_string(&w, from);
		jsonw_key(&w, "to");
		jsonw_string(&w, to);
		jsonw_key(&w, "by");
		jsonw_string(&w, by);
		for (int tot = 0; tot < 2; tot++) {
			const struct sales *set = tot ? &totals : &groups;

			jsonw_key(&w, tot ? "totals" : "groups");
			jsonw_array_begin(&w);
			for (size_t i = 0; i < set->n; i++)
				sales_json_row(&w, &set->g[i], !tot);
			jsonw_array_end(&w);
		}
		jsonw_key(&w, "vat_eur");
		if (eur_missing)
			jsonw_null(&w);
		else {
			char eur[32];

			fmt_eur(eur_total, eur);
			jsonw_raw(&w, eur);
		}
		jsonw_object_end(&w);
		buf_putc(&b, '\n');
	} else if (format == REPORT_CSV) {
		buf_puts(&b, "from,to,by,group,currency,documents,net,vat,"
		    "total,vat_eur\n");
		for (size_t i = 0; i < groups.n; i++) {
			const struct sales_group *g = &groups.g[i];
			char net[32], vat[32], total[32], eur[32];

			sales_amounts(g, net, vat, total, eur);
			buf_printf(&b, "%s,%s,%s,%s,%s,%lld,%s,%s,%s,%s\n", from,
			    to, by, g->key, g->currency, (long long)g->docs,
			    net, vat, total, g->vat_eur_missing ? "" : eur);
		}
	} else {
		char eur[32];

		buf_printf(&b, "Sales from %s to %s by %s: invoices and credit "
		    "notes by issue date.\nAmounts in the document currency; "
		    "different currencies are never added.\n\n", from, to, by);
		buf_printf(&b, "%-19s%-4s%6s%16s%16s%16s%16s\n", by, "cur",
		    "docs", "net", "VAT", "total", "VAT EUR");
		for (size_t i = 0; i < groups.n; i++)
			sales_text_row(&b, &groups.g[i]);
		if (groups.n == 0)
			buf_puts(&b, "none\n");
		for (size_t i = 0; i < totals.n; i++)
			sales_text_row(&b, &totals.g[i]);
		if (eur_missing)
			snprintf(eur, sizeof(eur), "n/a");
		else
			fmt_eur(eur_total, eur);
		buf_printf(&b, "%-77s%16s\n", "VAT in EUR, all currencies",
		    eur);
	}
	buf_append(out, b.data, b.len);
done:
	store_report_rows_free(&rows);
	free(groups.g);
	free(totals.g);
	buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------------ */
/* VAT return (FR0600) and recapitulative statement (FR0564)           */
/* ------------------------------------------------------------------ */

/* Where a document of the return goes: box 11 (and 29), or a part of
 * box 20. */
enum fl_part {
	PART_LT,		/* box 11, its VAT box 29 */
	PART_RC,		/* box 20: reverse charge, EU VAT payers */
	PART_OUTSIDE,		/* box 20: outside the EU VAT area */
	PART_OSS,		/* box 20: OSS supplies (UNVERIFIED) */
	NPARTS
};

static const char *const part_key[NPARTS] = {
	"", "reverse_charge", "outside_eu", "oss"
};

/* One document of the return with its figures in euro cents. */
struct fl_doc {
	const struct store_report_row *r;
	enum fl_part part;
	int64_t taxable_eur;
	int64_t vat_eur;		/* PART_LT only */
	char rate[32];			/* the ECB rate used; "" for EUR */
	char rate_date[CALDATE_LEN];
	char vat[VATID_MAX + 1];	/* PART_RC: the normalised number */
};

/* A document of the month that does not enter the return, and why. */
struct fl_left {
	const struct store_report_row *r;
	char why[160];
};

/* One FR0564 row. */
struct ec_row {
	char vat[VATID_MAX + 1];	/* normalised, with the prefix */
	const char *name;
	int64_t eur;
	int64_t whole;
};

/* A document whose VAT point date and invoice date are in different
 * months, as the i.SAF code writes it. */
struct fl_timing {
	const struct document *d;
	char vat_point[CALDATE_LEN];
	char isaf_month[8];		/* the register it is in */
	char return_month[8];		/* the return it is in */
	const char *code;
	int64_t taxable, vat;
};

/* Everything both reports need. */
struct filing {
	char month[8];
	int32_t from, to;		/* the calendar month */
	char first[CALDATE_LEN];	/* the VAT days of the month */
	char last[CALDATE_LEN];
	char seller_vat[VATID_MAX + 1];
	char company_code[32];
	struct store_report_rows rows;
	struct fl_doc *docs;
	size_t ndocs;
	struct fl_left *left;
	size_t nleft;
	int64_t part[NPARTS];
	int64_t box11, box20, box29;
	struct ec_row *ec;
	size_t nec;
	int64_t ec_total, ec_total_whole;
	/* The i.SAF side. */
	struct document **idocs;
	struct isaf_inv *iinvs;
	size_t nidocs;
	int64_t pvm1_taxable, pvm1_vat, pvm15_taxable;
	struct fl_timing *tim;
	size_t ntim;
	/* The check. */
	char mismatch[4][160];
	size_t nmismatch;
};

/* Free what filing_build allocated; f itself is the caller's. */
static void
filing_free(struct filing *f)
{
	for (size_t i = 0; i < f->nidocs; i++) {
		free(f->iinvs[i].totals);
		document_free(f->idocs[i]);
	}
	free(f->idocs);
	free(f->iinvs);
	free(f->tim);
	free(f->ec);
	free(f->left);
	free(f->docs);
	store_report_rows_free(&f->rows);
}

/* The month "YYYY-MM" of an ISO date. */
static void
month_of(const char *iso, char out[8])
{
	snprintf(out, 8, "%.7s", iso);
}

/* Cents rounded half up (away from zero) to whole euros. */
static enum gen_rc
whole_eur(int64_t cents, int64_t *whole, struct gen_err *err)
{
	return money_muldiv(cents, 1, 100, whole, "whole euros", err);
}

/*
 * An amount (minor units) of the document of row r in euro cents: EUR as
 * it is; else at the document's stored rate; else at the ECB rate of its
 * tax point (a credit note: of its invoice's), the rule issuing and the
 * i.SAF register follow.  rate and rate_date get the rate used ("" for
 * EUR).
 */
static enum gen_rc
fl_eur(struct store *s, const struct store_report_row *r, int64_t minor,
    int64_t *cents, char rate[32], char rate_date[CALDATE_LEN],
    struct gen_err *err)
{
	const char *day = r->kind == DOC_CREDIT_NOTE ?
	    r->corrects_tax_point_date : r->tax_point_date;
	int32_t d;
	enum gen_rc rc;

	rate[0] = rate_date[0] = '\0';
	if (strcmp(r->currency, "EUR") == 0) {
		*cents = minor;
		return GEN_OK;
	}
	if (r->fx_units_per_eur != NULL) {
		snprintf(rate, 32, "%s", r->fx_units_per_eur);
		snprintf(rate_date, CALDATE_LEN, "%s", r->fx_rate_date);
	} else if ((rc = caldate_parse(day, &d, "tax point", err)) != GEN_OK ||
	    (rc = store_fx_rate(s, r->currency, d, rate, 32, rate_date,
	    err)) != GEN_OK)
		return gen_err_prefix(err, "document %s: ", r->number);
	return money_to_eur_cents(minor, r->currency_digits, rate, cents, err);
}

/* Add row r to the return (or to the left-out list). */
static enum gen_rc
filing_add(struct store *s, struct filing *f,
    const struct store_report_row *r, struct gen_err *err)
{
	struct fl_doc *x;
	enum gen_rc rc;

	if (r->treatment == TAX_NOT_VAT_REGISTERED || !r->has_seller_vat) {
		struct fl_left *l = &f->left[f->nleft++];

		l->r = r;
		if (r->kind == DOC_CREDIT_NOTE)
			snprintf(l->why, sizeof(l->why), "corrects %s, "
			    "invoiced before the VAT registration: never in a "
			    "return", r->corrects_number ? r->corrects_number :
			    "?");
		else
			snprintf(l->why, sizeof(l->why), "supplied on %s, "
			    "before the VAT registration", r->tax_point_date);
		return GEN_OK;
	}
	x = &f->docs[f->ndocs];
	memset(x, 0, sizeof(*x));
	x->r = r;
	switch (r->treatment) {
	case TAX_LT_STANDARD:
		if (r->vat_rate_bp != 2100)
			return gen_err_set(err, GEN_EINPUT, "FR0600: document "
			    "%s: no box is mapped for Lithuanian VAT at %d.%02d "
			    "%%; allowed: 21 %% (box 11)", r->number,
			    r->vat_rate_bp / 100, r->vat_rate_bp % 100);
		x->part = PART_LT;
		break;
	case TAX_REVERSE_CHARGE:
		x->part = PART_RC;
		if (r->payer_vat_number == NULL ||
		    vatid_check(r->payer_vat_number, x->vat, sizeof(x->vat),
		    err) != GEN_OK)
			return gen_err_set(err, GEN_EINPUT, "FR0564: document "
			    "%s: the payer's VAT number '%.40s' is not a valid "
			    "EU VAT number; a reverse-charge row needs one",
			    r->number, r->payer_vat_number ?
			    r->payer_vat_number : "");
		break;
	case TAX_OUTSIDE_SCOPE:
		x->part = PART_OUTSIDE;
		break;
	case TAX_OSS_DESTINATION:
		x->part = PART_OSS;
		break;
	default:
		return gen_err_set(err, GEN_EINTERNAL, "document %s: treatment "
		    "%s has no FR0600 box", r->number,
		    tax_treatment_name(r->treatment));
	}
	if ((rc = fl_eur(s, r, r->net_minor, &x->taxable_eur, x->rate,
	    x->rate_date, err)) != GEN_OK)
		return rc;
	if (x->part == PART_LT) {
		if (strcmp(r->currency, "EUR") == 0)
			x->vat_eur = r->vat_minor;
		else if (r->has_vat_eur)
			x->vat_eur = r->vat_eur_minor;
		else
			return gen_err_set(err, GEN_EINTERNAL, "document %s: "
			    "no VAT in EUR was stored", r->number);
		if ((rc = money_add(&f->box29, x->vat_eur, "FR0600 box 29",
		    err)) != GEN_OK)
			return rc;
	}
	if ((rc = money_add(&f->part[x->part], x->taxable_eur, "FR0600 box",
	    err)) != GEN_OK)
		return rc;
	f->ndocs++;
	return GEN_OK;
}

/* FR0564 rows by VAT number, prefix first. */
static int
ec_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ec_row *)a)->vat,
	    ((const struct ec_row *)b)->vat);
}

/* The FR0564 rows from the reverse-charge documents of the return. */
static enum gen_rc
filing_ec(struct filing *f, struct gen_err *err)
{
	size_t n = 0;
	enum gen_rc rc;

	f->ec = xcalloc(f->ndocs ? f->ndocs : 1, sizeof(*f->ec));
	for (size_t i = 0; i < f->ndocs; i++) {
		const struct fl_doc *x = &f->docs[i];
		struct ec_row *e = NULL;

		if (x->part != PART_RC)
			continue;
		for (size_t k = 0; k < n; k++)
			if (strcmp(f->ec[k].vat, x->vat) == 0)
				e = &f->ec[k];
		if (e == NULL) {
			e = &f->ec[n++];
			memcpy(e->vat, x->vat, sizeof(e->vat));
		}
		e->name = x->r->payer_name;
		if ((rc = money_add(&e->eur, x->taxable_eur, "FR0564 row",
		    err)) != GEN_OK)
			return rc;
	}
	/* A row that nets to nothing reports no supply. */
	f->nec = 0;
	for (size_t k = 0; k < n; k++)
		if (f->ec[k].eur != 0)
			f->ec[f->nec++] = f->ec[k];
	if (f->nec > 1)
		qsort(f->ec, f->nec, sizeof(*f->ec), ec_cmp);
	for (size_t k = 0; k < f->nec; k++)
		if ((rc = whole_eur(f->ec[k].eur, &f->ec[k].whole, err)) !=
		    GEN_OK ||
		    (rc = money_add(&f->ec_total, f->ec[k].eur, "FR0564 total",
		    err)) != GEN_OK ||
		    (rc = money_add(&f->ec_total_whole, f->ec[k].whole,
		    "FR0564 total", err)) != GEN_OK)
			return rc;
	return GEN_OK;
}

/*
 * The i.SAF side of the check: every i.SAF Invoice of the seller whose
 * VATPointDate (else InvoiceDate) or InvoiceDate is in the month, built by
 * the i.SAF code.  Sums the totals of those whose VAT point is in the
 * month and lists the timing differences.
 */
static enum gen_rc
filing_isaf(struct store *s, struct filing *f, struct gen_err *err)
{
	struct store_report_isaf_doc *refs = NULL;
	size_t n = 0;
	enum gen_rc rc;

	if ((rc = store_report_isaf_docs(s, f->from, f->to, 1, &refs, &n,
	    err)) != GEN_OK)
		return rc;
	f->idocs = xcalloc(n ? n : 1, sizeof(*f->idocs));
	f->iinvs = xcalloc(n ? n : 1, sizeof(*f->iinvs));
	f->tim = xcalloc(n ? n : 1, sizeof(*f->tim));
	for (size_t i = 0; i < n; i++) {
		const struct document *d;
		const struct isaf_inv *inv;
		struct fl_timing *t;
		char vp[CALDATE_LEN], vm[8], im[8];
		int64_t taxable = 0, vat = 0;
		const char *code = NULL;

		if ((rc = store_document_load_id(s, refs[i].id, &f->idocs[i],
		    err)) != GEN_OK)
			goto done;
		f->nidocs++;
		d = f->idocs[i];
		if ((rc = isaf_inv_build(s, d, refs[i].fx_date, &f->iinvs[i],
		    err)) != GEN_OK)
			goto done;
		inv = &f->iinvs[i];
		/* VATPointDate when it differs from InvoiceDate, else
		 * InvoiceDate: what the register says (isaf_write_invoice). */
		snprintf(vp, sizeof(vp), "%s", strcmp(d->tax_point_date,
		    d->issue_date) != 0 ? d->tax_point_date : d->issue_date);
		month_of(vp, vm);
		month_of(d->issue_date, im);
		for (size_t k = 0; k < inv->ntotals; k++) {
			const struct isaf_total *x = &inv->totals[k];

			code = x->code;
			if ((rc = money_add(&taxable, x->taxable_cents,
			    "i.SAF TaxableValue", err)) != GEN_OK ||
			    (rc = money_add(&vat, x->vat_cents, "i.SAF Amount",
			    err)) != GEN_OK)
				goto done;
		}
		if (strcmp(vm, f->month) == 0) {
			int pvm1 = code != NULL && strcmp(code, "PVM1") == 0;

			if ((rc = money_add(pvm1 ? &f->pvm1_taxable :
			    &f->pvm15_taxable, taxable, "i.SAF TaxableValue",
			    err)) != GEN_OK ||
			    (pvm1 && (rc = money_add(&f->pvm1_vat, vat,
			    "i.SAF Amount", err)) != GEN_OK))
				goto done;
		}
		if (strcmp(vm, im) == 0)
			continue;
		t = &f->tim[f->ntim++];
		t->d = d;
		memcpy(t->vat_point, vp, sizeof(t->vat_point));
		memcpy(t->isaf_month, im, sizeof(t->isaf_month));
		memcpy(t->return_month, vm, sizeof(t->return_month));
		t->code = code;
		t->taxable = taxable;
		t->vat = vat;
	}
done:
	free(refs);
	return rc;
}

/* Record a mismatch when ours differs from theirs (at most four). */
static void
filing_compare(struct filing *f, const char *what, int64_t ours,
    const char *theirs_what, int64_t theirs)
{
	char a[32], b[32];

	if (ours == theirs || f->nmismatch >= 4)
		return;
	fmt_eur(ours, a);
	fmt_eur(theirs, b);
	snprintf(f->mismatch[f->nmismatch++], sizeof(f->mismatch[0]),
	    "%s %s differs from %s %s", what, a, theirs_what, b);
}

/* Compute the return, the FR0564 rows and the check of month. */
static enum gen_rc
filing_build(struct store *s, const char *month, struct filing *f,
    struct gen_err *err)
{
	struct seller_profile *sp = NULL;
	int32_t first, last;
	enum gen_rc rc;

	memset(f, 0, sizeof(*f));
	if ((rc = month_parse(month, &f->from, &f->to, err)) != GEN_OK)
		return rc;
	snprintf(f->month, sizeof(f->month), "%s", month);
	if ((rc = store_begin_read(s, err)) != GEN_OK)
		return rc;
	rc = store_report_vat_days(s, f->from, f->to, &first, &last, err);
	if (rc == GEN_ENOTFOUND) {
		rc = gen_err_set(err, GEN_EINPUT, "month: %s: the seller was "
		    "not VAT-registered in that month (no seller profile with a "
		    "VAT number is valid in it), so there is no VAT return "
		    "(FR0600) and no FR0564 for it", month);
		goto done;
	}
	if (rc != GEN_OK ||
	    (rc = store_seller_for_date(s, first, &sp, err)) != GEN_OK)
		goto done;
	caldate_format(first, f->first);
	caldate_format(last, f->last);
	snprintf(f->seller_vat, sizeof(f->seller_vat), "%s",
	    sp->party.vat_number ? sp->party.vat_number : "");
	snprintf(f->company_code, sizeof(f->company_code), "%s",
	    sp->party.company_code ? sp->party.company_code : "");
	if ((rc = store_report_return_rows(s, f->from, f->to, &f->rows,
	    err)) != GEN_OK)
		goto done;
	f->docs = xcalloc(f->rows.n ? f->rows.n : 1, sizeof(*f->docs));
	f->left = xcalloc(f->rows.n ? f->rows.n : 1, sizeof(*f->left));
	for (size_t i = 0; i < f->rows.n && rc == GEN_OK; i++)
		rc = filing_add(s, f, &f->rows.v[i], err);
	if (rc != GEN_OK || (rc = filing_ec(f, err)) != GEN_OK ||
	    (rc = filing_isaf(s, f, err)) != GEN_OK)
		goto done;
	f->box11 = f->part[PART_LT];
	for (int p = PART_RC; p < NPARTS && rc == GEN_OK; p++)
		rc = money_add(&f->box20, f->part[p], "FR0600 box 20", err);
	if (rc != GEN_OK)
		goto done;
	filing_compare(f, "box 11", f->box11, "the i.SAF PVM1 TaxableValue",
	    f->pvm1_taxable);
	filing_compare(f, "box 29", f->box29, "the i.SAF PVM1 Amount",
	    f->pvm1_vat);
	filing_compare(f, "box 20", f->box20, "the i.SAF PVM15 TaxableValue",
	    f->pvm15_taxable);
	filing_compare(f, "box 20 reverse charge", f->part[PART_RC],
	    "the FR0564 total", f->ec_total);
done:
	store_rollback(s);
	seller_profile_free(sp);
	if (rc != GEN_OK)
		filing_free(f);
	return rc;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break. */
static void
csv_field(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* An amount in euro cents as a JSON member. */
static void
jw_eur(struct jsonw *w, const char *key, int64_t cents)
{
	char a[32];

	fmt_eur(cents, a);
	jsonw_key(w, key);
	jsonw_raw(w, a);
}

/* An amount in minor units of a currency with digits as a JSON
 * member (a number: "125.10", "4350"). */
static void
jw_amount(struct jsonw *w, const char *key, int64_t minor, int digits)
{
	char a[40];

	money_format(minor, digits, a, sizeof(a));
	jsonw_key(w, key);
	jsonw_raw(w, a);
}

/* The kind as the tables print it: its stored name. */
static const char *
kind_label(enum doc_kind k)
{
	return doc_kind_name(k);
}

/* The date a document counts by: tax point, or issue date of a credit
 * note. */
static const char *
fl_date(const struct store_report_row *r)
{
	return r->kind == DOC_CREDIT_NOTE ? r->issue_date : r->tax_point_date;
}

/* The box a part of the return belongs to. */
static int
fl_box(enum fl_part p)
{
	return p == PART_LT ? 11 : 20;
}

/* The first lines of both reports. */
static void
fl_head(const struct filing *f, const char *what, struct buf *b)
{
	char first_day[CALDATE_LEN], last_day[CALDATE_LEN];

	caldate_format(f->from, first_day);
	caldate_format(f->to, last_day);
	buf_printf(b, "%s, %s: %s to %s\n", what, f->month, f->first,
	    f->last);
	buf_printf(b, "Seller %s, company code %s.\n", f->seller_vat,
	    f->company_code);
	if (strcmp(f->first, first_day) != 0)
		buf_printf(b, "The seller is a VAT payer from %s; what was "
		    "supplied before that day is in no return.\n", f->first);
	if (strcmp(f->last, last_day) != 0)
		buf_printf(b, "The seller is a VAT payer until %s.\n", f->last);
	buf_puts(b, "Invoices by their VAT point date (the tax point), credit "
	    "notes by their issue\ndate; amounts in EUR: other currencies at "
	    "the document's ECB rate (VAT in EUR\nas issued).\n");
}

/* ---- the VAT return ---- */

/* One line of the box table: box, label, EUR and (with_whole) whole
 * euros. */
static void
vr_box_line(struct buf *b, const char *box, const char *what, int64_t cents,
    int with_whole)
{
	char a[32];
	int64_t w = 0;

	fmt_eur(cents, a);
	buf_printf(b, "%-5s%-52s%14s", box, what, a);
	if (with_whole && whole_eur(cents, &w, NULL) == GEN_OK)
		buf_printf(b, "%11lld", (long long)w);
	buf_putc(b, '\n');
}

/* The readable return: boxes, documents, left out, check, timing. */
static void
vr_text(const struct filing *f, struct buf *b)
{
	static const char *const part_label[NPARTS] = {
		"",
		"  of which reverse charge, EU VAT payers (FR0564)",
		"  of which outside the EU VAT area",
		"  of which OSS supplies (UNVERIFIED, see README)",
	};
	char a[32], v[32], t[32];

	fl_head(f, "VAT return (FR0600)", b);
	buf_puts(b, "\"whole\": rounded half up to whole euros (UNVERIFIED "
	    "that the form wants them).\n\n");
	buf_printf(b, "%-5s%-52s%14s%11s\n", "box", "", "EUR", "whole");
	vr_box_line(b, "11", "supplies at the standard rate (21 %), taxable",
	    f->box11, 1);
	vr_box_line(b, "20", "supplies outside Lithuania (not LT VAT objects)",
	    f->box20, 1);
	for (int p = PART_RC; p < NPARTS; p++)
		vr_box_line(b, "", part_label[p], f->part[p], 0);
	vr_box_line(b, "29", "output VAT at the standard rate (21 %)",
	    f->box29, 1);

	buf_printf(b, "\nDocuments in the return (%zu)\n", f->ndocs);
	buf_printf(b, "%-13s%-12s%-11s %-16s%-4s%13s %4s%13s%11s  %s\n",
	    "number", "kind", "date", "treatment", "cur", "net", "box",
	    "taxable EUR", "VAT EUR", "ECB rate");
	for (size_t i = 0; i < f->ndocs; i++) {
		const struct fl_doc *x = &f->docs[i];
		const struct store_report_row *r = x->r;

		money_format(r->net_minor, r->currency_digits, a, sizeof(a));
		fmt_eur(x->taxable_eur, t);
		if (x->part == PART_LT)
			fmt_eur(x->vat_eur, v);
		else
			snprintf(v, sizeof(v), "-");
		buf_printf(b, "%-13s%-12s%-11s %-16s%-4s%13s %4d%13s%11s",
		    r->number, kind_label(r->kind), fl_date(r),
		    tax_treatment_name(r->treatment), r->currency, a,
		    fl_box(x->part), t, v);
		if (x->rate[0] != '\0')
			buf_printf(b, "  %s of %s", x->rate, x->rate_date);
		buf_putc(b, '\n');
	}
	if (f->ndocs == 0)
		buf_puts(b, "none\n");
	buf_puts(b, "\nLeft out (not VAT documents of a VAT payer)\n");
	for (size_t i = 0; i < f->nleft; i++)
		buf_printf(b, "%-13s%-12s%-11s %s\n", f->left[i].r->number,
		    kind_label(f->left[i].r->kind), fl_date(f->left[i].r),
		    f->left[i].why);
	if (f->nleft == 0)
		buf_puts(b, "none\n");

	buf_puts(b, "\nCheck against the i.SAF register (the Invoice elements "
	    "whose VATPointDate, else\nInvoiceDate, is in the month, whatever "
	    "month's register they are in) and FR0564\n");
	buf_printf(b, "%-44s%14s%14s\n", "", "return", "i.SAF/FR0564");
	{
		const struct { const char *what; int64_t a, b; } c[] = {
			{ "box 11 = PVM1 TaxableValue", f->box11,
			    f->pvm1_taxable },
			{ "box 29 = PVM1 Amount", f->box29, f->pvm1_vat },
			{ "box 20 = PVM15 TaxableValue", f->box20,
			    f->pvm15_taxable },
			{ "box 20 reverse charge = FR0564 total",
			    f->part[PART_RC], f->ec_total },
		};

		for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			fmt_eur(c[i].a, a);
			fmt_eur(c[i].b, v);
			buf_printf(b, "%-44s%14s%14s  %s\n", c[i].what, a, v,
			    c[i].a == c[i].b ? "ok" : "MISMATCH");
		}
	}
	buf_puts(b, "\nTiming differences (VAT point date and invoice date in "
	    "different months)\n");
	buf_printf(b, "%-13s%-13s%-12s%-9s%-9s%-7s%13s%11s\n", "number",
	    "invoice date", "VAT point", "i.SAF", "return", "code",
	    "taxable EUR", "VAT EUR");
	for (size_t i = 0; i < f->ntim; i++) {
		const struct fl_timing *x = &f->tim[i];

		fmt_eur(x->taxable, t);
		fmt_eur(x->vat, v);
		buf_printf(b, "%-13s%-13s%-12s%-9s%-9s%-7s%13s%11s\n",
		    x->d->number, x->d->issue_date, x->vat_point, x->isaf_month,
		    x->return_month, x->code ? x->code : "-", t, v);
	}
	if (f->ntim == 0)
		buf_puts(b, "none\n");
	if (f->nmismatch == 0)
		buf_puts(b, "\nResult: the return agrees with the i.SAF "
		    "register and with FR0564.\n");
	else
		for (size_t i = 0; i < f->nmismatch; i++)
			buf_printf(b, "%sMISMATCH: %s\n", i == 0 ? "\n" : "",
			    f->mismatch[i]);
}

/* The return as CSV (the figures only; report.h gives the header). */
static void
vr_csv(const struct filing *f, struct buf *b)
{
	const struct { const char *box; int p; int64_t v; } l[] = {
		{ "11", -1, f->box11 },
		{ "20", -1, f->box20 },
		{ "20", PART_RC, f->part[PART_RC] },
		{ "20", PART_OUTSIDE, f->part[PART_OUTSIDE] },
		{ "20", PART_OSS, f->part[PART_OSS] },
		{ "29", -1, f->box29 },
	};
	char a[32];

	buf_puts(b, "month,box,part,eur,whole_eur\n");
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++) {
		int64_t w = 0;

		fmt_eur(l[i].v, a);
		buf_printf(b, "%s,%s,%s,%s,", f->month, l[i].box,
		    l[i].p < 0 ? "" : part_key[l[i].p], a);
		if (l[i].p < 0 && whole_eur(l[i].v, &w, NULL) == GEN_OK)
			buf_printf(b, "%lld", (long long)w);
		buf_putc(b, '\n');
	}
}

/* The members both JSON objects start with. */
static void
fl_json_head(const struct filing *f, const char *form, struct jsonw *w)
{
	jsonw_key(w, "form");
	jsonw_string(w, form);
	jsonw_key(w, "month");
	jsonw_string(w, f->month);
	jsonw_key(w, "from");
	jsonw_string(w, f->first);
	jsonw_key(w, "to");
	jsonw_string(w, f->last);
	jsonw_key(w, "seller_vat_number");
	jsonw_string(w, f->seller_vat);
	jsonw_key(w, "company_code");
	jsonw_string(w, f->company_code);
}

/* 1 when the check of a form fails; for FR0564 (ec) only its own: box
 * 20's reverse-charge part against the statement's total. */
static int
fl_disagrees(const struct filing *f, int ec)
{
	return ec ? f->part[PART_RC] != f->ec_total : f->nmismatch > 0;
}

/* The check as a JSON member; for FR0564 (ec) only its own. */
static void
fl_json_check(const struct filing *f, int ec, struct jsonw *w)
{
	jsonw_key(w, "check");
	jsonw_object_begin(w);
	if (!ec) {
		jw_eur(w, "isaf_pvm1_taxable_eur", f->pvm1_taxable);
		jw_eur(w, "isaf_pvm1_amount_eur", f->pvm1_vat);
		jw_eur(w, "isaf_pvm15_taxable_eur", f->pvm15_taxable);
	}
	jw_eur(w, "box20_reverse_charge_eur", f->part[PART_RC]);
	jw_eur(w, "fr0564_total_eur", f->ec_total);
	jsonw_key(w, "agrees");
	jsonw_bool(w, !fl_disagrees(f, ec));
	jsonw_key(w, "mismatches");
	jsonw_array_begin(w);
	for (size_t i = 0; i < f->nmismatch; i++)
		if (!ec || strncmp(f->mismatch[i], "box 20 reverse", 14) == 0)
			jsonw_string(w, f->mismatch[i]);
	jsonw_array_end(w);
	jsonw_object_end(w);
}

/* The return as one JSON object (README "Tax reports"). */
static void
vr_json(const struct filing *f, struct buf *b)
{
	const struct { int box; int64_t v; } boxes[] = {
		{ 11, f->box11 }, { 20, f->box20 }, { 29, f->box29 },
	};
	struct jsonw w;

	jsonw_init(&w, b, 0);
	jsonw_object_begin(&w);
	fl_json_head(f, "FR0600", &w);
	jsonw_key(&w, "boxes");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
		int64_t whole = 0;

		(void)whole_eur(boxes[i].v, &whole, NULL);
		jsonw_object_begin(&w);
		jsonw_key(&w, "box");
		jsonw_int(&w, boxes[i].box);
		jw_eur(&w, "eur", boxes[i].v);
		jsonw_key(&w, "whole_eur");
		jsonw_int(&w, whole);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "box20_parts");
	jsonw_object_begin(&w);
	for (int p = PART_RC; p < NPARTS; p++)
		jw_eur(&w, part_key[p], f->part[p]);
	jsonw_object_end(&w);
	jsonw_key(&w, "documents");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < f->ndocs; i++) {
		const struct fl_doc *x = &f->docs[i];
		char a[32];

		money_format(x->r->net_minor, x->r->currency_digits, a,
		    sizeof(a));
		jsonw_object_begin(&w);
		jsonw_key(&w, "number");
		jsonw_string(&w, x->r->number);
		jsonw_key(&w, "kind");
		jsonw_string(&w, doc_kind_name(x->r->kind));
		jsonw_key(&w, "date");
		jsonw_string(&w, fl_date(x->r));
		jsonw_key(&w, "treatment");
		jsonw_string(&w, tax_treatment_name(x->r->treatment));
		jsonw_key(&w, "currency");
		jsonw_string(&w, x->r->currency);
		jsonw_key(&w, "net");
		jsonw_raw(&w, a);
		jsonw_key(&w, "box");
		jsonw_int(&w, fl_box(x->part));
		jsonw_key(&w, "part");
		jsonw_string(&w, x->part == PART_LT ? NULL : part_key[x->part]);
		jw_eur(&w, "taxable_eur", x->taxable_eur);
		if (x->part == PART_LT)
			jw_eur(&w, "vat_eur", x->vat_eur);
		jsonw_key(&w, "fx_units_per_eur");
		jsonw_string(&w, x->rate[0] ? x->rate : NULL);
		jsonw_key(&w, "fx_rate_date");
		jsonw_string(&w, x->rate_date[0] ? x->rate_date : NULL);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_key(&w, "left_out");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < f->nleft; i++) {
		jsonw_object_begin(&w);
		jsonw_key(&w, "number");
		jsonw_string(&w, f->left[i].r->number);
		jsonw_key(&w, "kind");
		jsonw_string(&w, doc_kind_name(f->left[i].r->kind));
		jsonw_key(&w, "date");
		jsonw_string(&w, fl_date(f->left[i].r));
		jsonw_key(&w, "reason");
		jsonw_string(&w, f->left[i].why);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	fl_json_check(f, 0, &w);
	jsonw_key(&w, "timing_differences");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < f->ntim; i++) {
		const struct fl_timing *x = &f->tim[i];

		jsonw_object_begin(&w);
		jsonw_key(&w, "number");
		jsonw_string(&w, x->d->number);
		jsonw_key(&w, "invoice_date");
		jsonw_string(&w, x->d->issue_date);
		jsonw_key(&w, "vat_point_date");
		jsonw_string(&w, x->vat_point);
		jsonw_key(&w, "isaf_month");
		jsonw_string(&w, x->isaf_month);
		jsonw_key(&w, "return_month");
		jsonw_string(&w, x->return_month);
		jsonw_key(&w, "tax_code");
		jsonw_string(&w, x->code);
		jw_eur(&w, "taxable_eur", x->taxable);
		jw_eur(&w, "vat_eur", x->vat);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	buf_putc(b, '\n');
}

/* The writers of one form of the month's filing. */
struct fl_form {
	int ec;		/* FR0564: its check is only its own */
	void (*text)(const struct filing *, struct buf *);
	void (*csv)(const struct filing *, struct buf *);
	void (*json)(const struct filing *, struct buf *);
};

/*
 * One form of the filing of month, in format, appended to out; *mismatch
 * is set when its check fails (the form is still written whole: it says
 * where).
 */
static enum gen_rc
filing_report(struct store *s, const char *month, const struct fl_form *form,
    enum report_format format, struct buf *out, int *mismatch,
    struct gen_err *err)
{
	struct filing f;
	struct buf b = { 0 };
	enum gen_rc rc;

	*mismatch = 0;
	if ((rc = filing_build(s, month, &f, err)) != GEN_OK)
		return rc;
	if (format == REPORT_CSV)
		form->csv(&f, &b);
	else if (format == REPORT_JSON)
		form->json(&f, &b);
	else
		form->text(&f, &b);
	*mismatch = fl_disagrees(&f, form->ec);
	buf_append(out, b.data, b.len);
	buf_free(&b);
	filing_free(&f);
	return GEN_OK;
}

enum gen_rc
report_vat_return(struct store *s, const char *month,
    enum report_format format, struct buf *out, int *mismatch,
    struct gen_err *err)
{
	static const struct fl_form fr0600 = { 0, vr_text, vr_csv, vr_json };

	return filing_report(s, month, &fr0600, format, out, mismatch, err);
}

/* ---- FR0564 ---- */

/* The readable FR0564: rows, total, documents, check. */
static void
ec_text(const struct filing *f, struct buf *b)
{
	char a[32], t[32];
	int any = 0;

	fl_head(f, "Recapitulative statement (FR0564)", b);
	buf_puts(b, "Services to VAT payers of other member states (reverse "
	    "charge): one row per\ncustomer VAT number, credit notes netted "
	    "into the row of the month they are\nissued in.  \"whole\": "
	    "rounded half up to whole euros (UNVERIFIED).\n\n");
	buf_printf(b, "%-5s%-4s%-16s%14s%11s  %s\n", "row", "MS", "VAT number",
	    "services EUR", "whole", "customer");
	for (size_t i = 0; i < f->nec; i++) {
		const struct ec_row *e = &f->ec[i];

		fmt_eur(e->eur, a);
		buf_printf(b, "%-5zu%-4.2s%-16s%14s%11lld  %s\n", i + 1, e->vat,
		    e->vat + 2, a, (long long)e->whole, e->name);
	}
	if (f->nec == 0)
		buf_puts(b, "none\n");
	fmt_eur(f->ec_total, a);
	buf_printf(b, "%-25s%14s%11lld\n", "total", a,
	    (long long)f->ec_total_whole);

	buf_puts(b, "\nDocuments\n");
	buf_printf(b, "%-13s%-12s%-11s %-18s%14s\n", "number", "kind", "date",
	    "VAT number", "EUR");
	for (size_t i = 0; i < f->ndocs; i++) {
		const struct fl_doc *x = &f->docs[i];

		if (x->part != PART_RC)
			continue;
		any = 1;
		fmt_eur(x->taxable_eur, t);
		buf_printf(b, "%-13s%-12s%-11s %-18s%14s\n", x->r->number,
		    kind_label(x->r->kind), fl_date(x->r), x->vat, t);
	}
	if (!any)
		buf_puts(b, "none\n");
	fmt_eur(f->part[PART_RC], a);
	fmt_eur(f->ec_total, t);
	buf_printf(b, "\nCheck: FR0600 box 20, reverse-charge part %s; FR0564 "
	    "total %s: %s\n", a, t, f->part[PART_RC] == f->ec_total ? "ok" :
	    "MISMATCH");
}

/* FR0564 as CSV (the rows only). */
static void
ec_csv(const struct filing *f, struct buf *b)
{
	char a[32];

	buf_puts(b, "month,row,member_state,vat_number,customer,services_eur,"
	    "services_whole_eur\n");
	for (size_t i = 0; i < f->nec; i++) {
		const struct ec_row *e = &f->ec[i];

		fmt_eur(e->eur, a);
		buf_printf(b, "%s,%zu,%.2s,%s,", f->month, i + 1, e->vat,
		    e->vat + 2);
		csv_field(b, e->name);
		buf_printf(b, ",%s,%lld\n", a, (long long)e->whole);
	}
}

/* FR0564 as one JSON object. */
static void
ec_json(const struct filing *f, struct buf *b)
{
	struct jsonw w;
	char ms[3];

	jsonw_init(&w, b, 0);
	jsonw_object_begin(&w);
	fl_json_head(f, "FR0564", &w);
	jsonw_key(&w, "rows");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < f->nec; i++) {
		const struct ec_row *e = &f->ec[i];

		snprintf(ms, sizeof(ms), "%.2s", e->vat);
		jsonw_object_begin(&w);
		jsonw_key(&w, "row");
		jsonw_int(&w, (int64_t)i + 1);
		jsonw_key(&w, "member_state");
		jsonw_string(&w, ms);
		jsonw_key(&w, "vat_number");
		jsonw_string(&w, e->vat + 2);
		jsonw_key(&w, "full_vat_number");
		jsonw_string(&w, e->vat);
		jsonw_key(&w, "customer");
		jsonw_string(&w, e->name);
		jw_eur(&w, "services_eur", e->eur);
		jsonw_key(&w, "services_whole_eur");
		jsonw_int(&w, e->whole);
		jsonw_key(&w, "documents");
		jsonw_array_begin(&w);
		for (size_t k = 0; k < f->ndocs; k++)
			if (f->docs[k].part == PART_RC &&
			    strcmp(f->docs[k].vat, e->vat) == 0)
				jsonw_string(&w, f->docs[k].r->number);
		jsonw_array_end(&w);
		jsonw_object_end(&w);
	}
	jsonw_array_end(&w);
	jw_eur(&w, "total_eur", f->ec_total);
	jsonw_key(&w, "total_whole_eur");
	jsonw_int(&w, f->ec_total_whole);
	fl_json_check(f, 1, &w);
	jsonw_object_end(&w);
	buf_putc(b, '\n');
}

enum gen_rc
report_ec_sales(struct store *s, const char *month,
    enum report_format format, struct buf *out, int *mismatch,
    struct gen_err *err)
{
	static const struct fl_form fr0564 = { 1, ec_text, ec_csv, ec_json };

	return filing_report(s, month, &fr0564, format, out, mismatch, err);
}

/* ------------------------------------------------------------------ */
/* What is unpaid on credit terms                                      */
/* ------------------------------------------------------------------ */

enum gen_rc
report_unpaid(struct store *s, int32_t today, enum report_format format,
    struct buf *out, struct gen_err *err)
{
	struct jsonw w;
	int csv = format == REPORT_CSV, json = format == REPORT_JSON;
	struct store_report_unpaid *v = NULL;
	struct buf b = { 0 };
	char day[CALDATE_LEN];
	size_t n = 0, shown = 0;
	enum gen_rc rc;

	if ((rc = store_begin_read(s, err)) != GEN_OK)
		return rc;
	rc = store_report_unpaid(s, &v, &n, err);
	store_rollback(s);
	if (rc != GEN_OK)
		return rc;
	caldate_format(today, day);
	if (json) {
		jsonw_init(&w, &b, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "as_of");
		jsonw_string(&w, day);
		jsonw_key(&w, "invoices");
		jsonw_array_begin(&w);
	} else if (csv)
		buf_puts(&b, "number,order_no,issue_date,due_date,currency,total,"
		    "credited,paid,left,days_overdue\n");
	else
		buf_printf(&b, "Invoices on credit terms with something still "
		    "due, as of %s:\n%-13s %-14s %-10s %-10s %12s %12s %12s "
		    "%12s %-4s %s\n", day, "number", "order", "issued", "due",
		    "total", "credited", "paid", "left", "cur", "overdue");
	for (size_t i = 0; i < n; i++) {
		const struct store_report_unpaid *u = &v[i];
		char t[32], c[32], p[32], l[32];
		int64_t left = u->total_minor + u->credited_minor - u->paid_minor;
		int32_t due = 0;
		long overdue = 0;

		if (left <= 0)
			continue;
		if (caldate_parse(u->due_date, &due, "due_date", err) != GEN_OK) {
			rc = GEN_EINTERNAL;
			break;
		}
		overdue = today > due ? (long)(today - due) : 0;
		money_format(u->total_minor, u->currency_digits, t, sizeof(t));
		money_format(u->credited_minor, u->currency_digits, c, sizeof(c));
		money_format(u->paid_minor, u->currency_digits, p, sizeof(p));
		money_format(left, u->currency_digits, l, sizeof(l));
		if (json) {
			jsonw_object_begin(&w);
			jsonw_key(&w, "number");
			jsonw_string(&w, u->number);
			jsonw_key(&w, "order_no");
			jsonw_string(&w, u->order_no);
			jsonw_key(&w, "issue_date");
			jsonw_string(&w, u->issue_date);
			jsonw_key(&w, "due_date");
			jsonw_string(&w, u->due_date);
			jsonw_key(&w, "currency");
			jsonw_string(&w, u->currency);
			jsonw_key(&w, "total");
			jsonw_raw(&w, t);
			jsonw_key(&w, "credited");
			jsonw_raw(&w, c);
			jsonw_key(&w, "paid");
			jsonw_raw(&w, p);
			jsonw_key(&w, "left");
			jsonw_raw(&w, l);
			jsonw_key(&w, "left_minor");
			jsonw_int(&w, left);
			jsonw_key(&w, "days_overdue");
			jsonw_int(&w, overdue);
			jsonw_object_end(&w);
		} else if (csv)
			buf_printf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%ld\n",
			    u->number, u->order_no, u->issue_date, u->due_date,
			    u->currency, t, c, p, l, overdue);
		else
			buf_printf(&b, "%-13s %-14s %-10s %-10s %12s %12s %12s "
			    "%12s %-4s %ld days\n", u->number, u->order_no,
			    u->issue_date, u->due_date, t, c, p, l, u->currency,
			    overdue);
		shown++;
	}
	if (rc == GEN_OK && json) {
		jsonw_array_end(&w);
		jsonw_object_end(&w);
		buf_putc(&b, '\n');
	} else if (rc == GEN_OK && !csv)
		buf_printf(&b, "%zu invoice%s unpaid\n", shown, shown == 1 ? "" :
		    "s");
	if (rc == GEN_OK)
		buf_append(out, b.data, b.len);
	buf_free(&b);
	store_report_unpaid_free(v, n);
	return rc;
}
