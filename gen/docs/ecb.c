/*
 * ecb.c - the ECB's reference-rate files in, the stored rates' status out
 * (see ecb.h).  Exports ecb_parse, ecb_rates_free and ecb_status_write.
 * The only file of docs/ that includes libxml2; it reads, never writes,
 * and never touches the database.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "caldate.h"
#include "ecb.h"
#include "json.h"
#include "money.h"

#define NS_GESMES	"http://www.gesmes.org/xml/2002-08-01"
#define NS_EUROFXREF	"http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
#define ECB_MAX_COLUMNS	64	/* currencies of a CSV header */
#define RATE_MAX	30	/* characters of a rate */

static const char src_csv[] = "ECB euro foreign exchange reference rates "
    "(imported CSV)";
static const char src_xml[] = "ECB euro foreign exchange reference rates "
    "(imported XML)";

/* 1 if s is three capital letters (ISO 4217's form). */
static int
is_currency(const char *s, size_t n)
{
	return n == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

/*
 * Append the rate val of currency cur on date (both checked by the
 * caller) after checking val: a positive decimal of at most six
 * decimals.  where: "ECB CSV line 3, USD" for the message.
 */
static enum gen_rc
add_rate(struct ecb_rates *r, size_t *cap, const char *date, const char *cur,
    const char *val, size_t n, int line, const char *where,
    struct gen_err *err)
{
	struct store_fx_rate *x;
	char v[RATE_MAX + 1];
	int64_t scaled = 0;
	struct gen_err ignore = { 0 };

	snprintf(v, sizeof(v), "%.*s", (int)(n <= RATE_MAX ? n : RATE_MAX),
	    val);
	/* strlen(v) < n: a NUL byte inside the cell */
	if (n > RATE_MAX || strlen(v) != n || money_parse_decimal(v, 6,
	    &scaled, "", &ignore) != GEN_OK || scaled <= 0)
		return gen_err_set(err, GEN_EINPUT, "%s: '%s' is not a positive "
		    "decimal rate with at most 6 decimals", where, v);
	if (r->n == *cap)
		r->v = xrealloc(r->v, (*cap = *cap ? *cap * 2 : 256) *
		    sizeof(*r->v));
	x = &r->v[r->n++];
	memset(x, 0, sizeof(*x));	/* no byte left undefined */
	memcpy(x->currency, cur, 4);
	memcpy(x->date, date, CALDATE_LEN);
	memcpy(x->units, v, n + 1);
	x->line = line;
	return GEN_OK;
}

/* ---- CSV ------------------------------------------------------------- */

/*
 * eurofxref-hist.csv: "Date,USD,JPY,...," then "2026-04-13,1.1684,..."
 * lines, newest first; cells may carry spaces (eurofxref.csv has
 * "Date, USD, ..."), N/A or nothing where there is no rate.
 */
static enum gen_rc
parse_csv(const char *csv, size_t len, struct ecb_rates *r,
    struct gen_err *err)
{
	const char *p = csv, *end = csv + len, *eol;
	char cur[ECB_MAX_COLUMNS][4];
	size_t ncur = 0, cap = 0;
	int lineno = 0;
	enum gen_rc rc = GEN_OK;

	r->format = "ECB CSV";
	r->source = src_csv;
	for (; p < end && rc == GEN_OK; p = eol + (eol < end)) {
		const char *q, *cell;
		size_t col = 0;
		char date[CALDATE_LEN] = "";
		int32_t day;

		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		lineno++;
		for (q = p; q <= eol && rc == GEN_OK; col++) {
			char where[64];
			size_t n;

			cell = q;
			while (q < eol && *q != ',')
				q++;
			n = (size_t)(q - cell);
			while (n > 0 && (cell[n - 1] == '\r' || cell[n - 1] == ' '))
				n--;
			while (n > 0 && *cell == ' ')
				cell++, n--;
			q++;
			if (lineno == 1) {
				if (col == 0) {
					if (n != 4 || memcmp(cell, "Date", 4) != 0)
						rc = gen_err_set(err, GEN_EINPUT,
						    "ECB CSV line 1: expected a "
						    "header starting with Date");
					continue;
				}
				if (n == 0)
					continue;	/* trailing comma */
				if (!is_currency(cell, n) ||
				    ncur == ECB_MAX_COLUMNS) {
					rc = gen_err_set(err, GEN_EINPUT, "ECB "
					    "CSV line 1, column %zu: '%.*s' is not "
					    "a currency code", col + 1,
					    (int)(n < 40 ? n : 40), cell);
					continue;
				}
				memcpy(cur[ncur], cell, 3);
				cur[ncur++][3] = '\0';
				continue;
			}
			if (col == 0) {
				snprintf(date, sizeof(date), "%.*s",
				    (int)(n < 10 ? n : 10), cell);
				if (n != 10 || caldate_parse(date, &day,
				    "ECB CSV date", err) != GEN_OK)
					rc = gen_err_set(err, GEN_EINPUT, "ECB CSV "
					    "line %d: '%.*s' is not a date "
					    "YYYY-MM-DD", lineno,
					    (int)(n < 40 ? n : 40), cell);
				continue;
			}
			if (col > ncur || n == 0 ||
			    (n == 3 && memcmp(cell, "N/A", 3) == 0))
				continue;
			snprintf(where, sizeof(where), "ECB CSV line %d, %s",
			    lineno, cur[col - 1]);
			rc = add_rate(r, &cap, date, cur[col - 1], cell, n,
			    lineno, where, err);
		}
	}
	if (rc == GEN_OK && ncur == 0)
		rc = gen_err_set(err, GEN_EINPUT, "ECB CSV: no header line with "
		    "currencies");
	return rc;
}

/* ---- XML ------------------------------------------------------------- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init(void)
{
	xmlInitParser();
}

/* 1 if n is the element ns:name. */
static int
is_elem(const xmlNode *n, const char *ns, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    n->ns->href != NULL && strcmp((const char *)n->ns->href, ns) == 0 &&
	    strcmp((const char *)n->name, name) == 0;
}

/*
 * Check that n has no attribute but those named in allowed (NULL-ended)
 * and no text but white space; elements inside are the caller's.
 */
static enum gen_rc
check_node(const xmlNode *n, const char *const *allowed, struct gen_err *err)
{
	for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
		size_t i = 0;

		while (allowed[i] != NULL && (a->ns != NULL ||
		    strcmp((const char *)a->name, allowed[i]) != 0))
			i++;
		if (allowed[i] == NULL)
			return gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: "
			    "<%s> has an unexpected attribute '%s'",
			    xmlGetLineNo(n), (const char *)n->name,
			    (const char *)a->name);
	}
	for (const xmlNode *c = n->children; c != NULL; c = c->next) {
		const char *t = (const char *)c->content;

		if (c->type != XML_TEXT_NODE)
			continue;
		if (t != NULL && t[strspn(t, " \t\r\n")] != '\0')
			return gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: "
			    "unexpected text in <%s>", xmlGetLineNo(n),
			    (const char *)n->name);
	}
	return GEN_OK;
}

/* The value of attribute name of n (checked present), for xmlFree(). */
static enum gen_rc
get_attr(const xmlNode *n, const char *name, xmlChar **out,
    struct gen_err *err)
{
	if ((*out = xmlGetNoNsProp(n, (const xmlChar *)name)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: <%s> "
		    "without its attribute '%s'", xmlGetLineNo(n),
		    (const char *)n->name, name);
	return GEN_OK;
}

/* Any element of n that is not a comment, text or an eurofxref Cube. */
static enum gen_rc
only_cubes(const xmlNode *n, struct gen_err *err)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !is_elem(c, NS_EUROFXREF, "Cube"))
			return gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: "
			    "unexpected element <%s> in <%s>; expected <Cube>",
			    xmlGetLineNo(c), (const char *)c->name,
			    (const char *)n->name);
		else if (c->type != XML_ELEMENT_NODE &&
		    c->type != XML_TEXT_NODE && c->type != XML_COMMENT_NODE)
			return gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: "
			    "unexpected content in <%s>", xmlGetLineNo(c),
			    (const char *)n->name);
	return GEN_OK;
}

/* One day: <Cube time="YYYY-MM-DD"> with a <Cube currency rate/> each. */
static enum gen_rc
parse_day(const xmlNode *day, struct ecb_rates *r, size_t *cap,
    struct gen_err *err)
{
	static const char *const a_day[] = { "time", NULL };
	static const char *const a_rate[] = { "currency", "rate", NULL };
	xmlChar *time = NULL;
	char date[CALDATE_LEN];
	int32_t d;
	enum gen_rc rc;

	if ((rc = check_node(day, a_day, err)) != GEN_OK ||
	    (rc = only_cubes(day, err)) != GEN_OK ||
	    (rc = get_attr(day, "time", &time, err)) != GEN_OK)
		goto out;
	snprintf(date, sizeof(date), "%s", (const char *)time);
	if (strlen((const char *)time) != 10 || caldate_parse(date, &d, "time",
	    err) != GEN_OK) {
		rc = gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: time "
		    "'%.40s' is not a date YYYY-MM-DD", xmlGetLineNo(day),
		    (const char *)time);
		goto out;
	}
	for (const xmlNode *c = day->children; c != NULL && rc == GEN_OK;
	    c = c->next) {
		xmlChar *cur = NULL, *rate = NULL;
		char where[64];
		int line = (int)xmlGetLineNo(c);

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((rc = check_node(c, a_rate, err)) == GEN_OK &&
		    (rc = get_attr(c, "currency", &cur, err)) == GEN_OK)
			rc = get_attr(c, "rate", &rate, err);
		/* a rate's Cube holds nothing but white space */
		for (const xmlNode *k = c->children; k != NULL && rc == GEN_OK;
		    k = k->next)
			if (k->type != XML_TEXT_NODE &&
			    k->type != XML_COMMENT_NODE)
				rc = gen_err_set(err, GEN_EINPUT, "ECB XML line "
				    "%ld: unexpected content in the <Cube> of a "
				    "rate", xmlGetLineNo(k));
		if (rc == GEN_OK && !is_currency((const char *)cur,
		    strlen((const char *)cur)))
			rc = gen_err_set(err, GEN_EINPUT, "ECB XML line %d: "
			    "currency '%.40s' is not a currency code (three "
			    "capital letters)", line, (const char *)cur);
		if (rc == GEN_OK) {
			snprintf(where, sizeof(where), "ECB XML line %d, %s",
			    line, (const char *)cur);
			rc = add_rate(r, cap, date, (const char *)cur,
			    (const char *)rate, strlen((const char *)rate), line,
			    where, err);
		}
		xmlFree(cur);
		xmlFree(rate);
	}
out:
	xmlFree(time);
	return rc;
}

/*
 * eurofxref-daily.xml and its kin: gesmes:Envelope, its gesmes: elements
 * (subject, Sender) passed over, one eurofxref Cube of days.
 */
static enum gen_rc
parse_xml(const char *data, size_t len, struct ecb_rates *r,
    struct gen_err *err)
{
	static const char *const a_none[] = { NULL };
	xmlParserCtxt *ctx;
	xmlDoc *doc = NULL;
	const xmlNode *root, *cubes = NULL;
	size_t cap = 0;
	enum gen_rc rc = GEN_OK;

	r->format = "ECB XML";
	r->source = src_xml;
	if (len > INT_MAX)
		return gen_err_set(err, GEN_EINPUT, "ECB XML: %zu bytes is too "
		    "large", len);
	pthread_once(&xml_once, xml_init);
	if ((ctx = xmlNewParserCtxt()) == NULL)
		return gen_err_set(err, GEN_EXML, "ECB XML: libxml2 could not "
		    "create a parser");
	doc = xmlCtxtReadMemory(ctx, data, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES);
	if (doc == NULL || !ctx->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctx);
		char msg[256] = "not well-formed XML";

		if (e != NULL && e->message != NULL) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		rc = gen_err_set(err, GEN_EINPUT, "ECB XML line %d: %s",
		    e != NULL ? e->line : 0, msg);
		goto out;
	}
	if (doc->intSubset != NULL) {
		rc = gen_err_set(err, GEN_EINPUT, "ECB XML: a document type "
		    "declaration is not allowed");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is_elem(root, NS_GESMES, "Envelope")) {
		rc = gen_err_set(err, GEN_EINPUT, "ECB XML: the root element is "
		    "<%s>; expected the ECB's gesmes:Envelope", root ?
		    (const char *)root->name : "");
		goto out;
	}
	for (const xmlNode *c = root->children; c != NULL && rc == GEN_OK;
	    c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (c->ns != NULL && c->ns->href != NULL &&
		    strcmp((const char *)c->ns->href, NS_GESMES) == 0)
			continue;	/* subject, Sender */
		if (cubes == NULL && is_elem(c, NS_EUROFXREF, "Cube"))
			cubes = c;
		else
			rc = gen_err_set(err, GEN_EINPUT, "ECB XML line %ld: "
			    "unexpected element <%s> in the envelope",
			    xmlGetLineNo(c), (const char *)c->name);
	}
	if (rc == GEN_OK && cubes == NULL)
		rc = gen_err_set(err, GEN_EINPUT, "ECB XML: no <Cube> of rates "
		    "in the envelope");
	if (rc == GEN_OK && ((rc = check_node(cubes, a_none, err)) != GEN_OK ||
	    (rc = only_cubes(cubes, err)) != GEN_OK))
		goto out;
	for (const xmlNode *d = cubes ? cubes->children : NULL;
	    d != NULL && rc == GEN_OK; d = d->next)
		if (d->type == XML_ELEMENT_NODE)
			rc = parse_day(d, r, &cap, err);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctx);
	return rc;
}

/* ---- the interface ---------------------------------------------------- */

enum gen_rc
ecb_parse(const char *data, size_t len, struct ecb_rates *out,
    struct gen_err *err)
{
	size_t skip = 0;
	enum gen_rc rc;

	memset(out, 0, sizeof(*out));
	out->format = "ECB rates";
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		skip = 3;	/* a UTF-8 byte order mark */
	while (skip < len && strchr(" \t\r\n", data[skip]) != NULL &&
	    data[skip] != '\0')
		skip++;
	if (skip == len)
		return gen_err_set(err, GEN_EINPUT, "ECB rates: the input is "
		    "empty; expected the ECB's CSV (eurofxref-hist.csv) or XML "
		    "(eurofxref-daily.xml, eurofxref-hist-90d.xml)");
	if (data[skip] == '<')
		rc = parse_xml(data, len, out, err);
	else
		rc = parse_csv(data + skip, len - skip, out, err);
	if (rc == GEN_OK && out->n == 0)
		rc = gen_err_set(err, GEN_EINPUT, "%s: no rates in the file",
		    out->format);
	return rc;
}

void
ecb_rates_free(struct ecb_rates *r)
{
	if (r == NULL)
		return;
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

void
ecb_status_write(const struct store_fx_last *last, size_t n, int32_t today,
    int json, struct buf *out)
{
	char now[CALDATE_LEN];
	size_t newest = 0;
	int32_t d;
	struct gen_err ignore = { 0 };

	/* The overall last day is the newest of any currency's. */
	for (size_t i = 1; i < n; i++)
		if (strcmp(last[i].last, last[newest].last) > 0)
			newest = i;
	caldate_format(today, now);
	if (json) {
		struct jsonw w;

		jsonw_init(&w, out, 0);
		jsonw_object_begin(&w);
		jsonw_key(&w, "today");
		jsonw_string(&w, now);
		jsonw_key(&w, "last_day");
		jsonw_string(&w, last[newest].last);
		jsonw_key(&w, "age_days");
		d = 0;
		caldate_parse(last[newest].last, &d, "", &ignore);
		jsonw_int(&w, today - d);
		jsonw_key(&w, "currencies");
		jsonw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			d = 0;
			caldate_parse(last[i].last, &d, "", &ignore);
			jsonw_object_begin(&w);
			jsonw_key(&w, "currency");
			jsonw_string(&w, last[i].currency);
			jsonw_key(&w, "last_day");
			jsonw_string(&w, last[i].last);
			jsonw_key(&w, "units_per_eur");
			jsonw_string(&w, last[i].units);
			jsonw_key(&w, "age_days");
			jsonw_int(&w, today - d);
			jsonw_key(&w, "first_day");
			jsonw_string(&w, last[i].first);
			jsonw_key(&w, "days");
			jsonw_int(&w, last[i].days);
			jsonw_object_end(&w);
		}
		jsonw_array_end(&w);
		jsonw_object_end(&w);
		buf_putc(out, '\n');
		return;
	}
	d = 0;
	caldate_parse(last[newest].last, &d, "", &ignore);
	buf_printf(out, "last ECB day stored: %s, %d day%s before today (%s)\n",
	    last[newest].last, (int)(today - d), today - d == 1 ? "" : "s",
	    now);
	buf_printf(out, "%-8s %-10s %13s %8s  %-10s %6s\n", "currency",
	    "last day", "units per EUR", "age", "since", "days");
	for (size_t i = 0; i < n; i++) {
		d = 0;
		caldate_parse(last[i].last, &d, "", &ignore);
		buf_printf(out, "%-8s %-10s %13s %6dd  %-10s %6lld\n",
		    last[i].currency, last[i].last, last[i].units,
		    (int)(today - d), last[i].first, (long long)last[i].days);
	}
}
