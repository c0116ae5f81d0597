/*
 * test-ecb.c - unit tests of gen/docs/ecb.c: the ECB's XML feeds (daily,
 * 90-day, with a byte order mark, either quoting) and CSV parsed into
 * rows with their lines; the refusals with their messages; the status
 * report as a table and as JSON.
 */
#include <stdlib.h>
#include <string.h>

#include "ecb.h"
#include "testlib.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/2002-08-01\"" \
	" xmlns=\"http://www.ecb.int/vocabulary/2002-08-01/eurofxref\">\n" \
	"\t<gesmes:subject>Reference rates</gesmes:subject>\n" \
	"\t<gesmes:Sender>\n\t\t<gesmes:name>European Central Bank" \
	"</gesmes:name>\n\t</gesmes:Sender>\n\t<Cube>\n"
#define TAIL "\t</Cube>\n</gesmes:Envelope>\n"

static const char daily[] = HEAD
    "\t\t<Cube time='2026-12-04'>\n"
    "\t\t\t<Cube currency='USD' rate='1.1642'/>\n"
    "\t\t\t<Cube currency='JPY' rate='180.55'/>\n"
    "\t\t</Cube>\n" TAIL;

static const char days90[] = "\xef\xbb\xbf" HEAD
    "\t\t<Cube time=\"2026-12-04\">\n"
    "\t\t\t<Cube currency=\"USD\" rate=\"1.1642\"/>\n"
    "\t\t</Cube>\n"
    "\t\t<!-- a comment is allowed -->\n"
    "\t\t<Cube time=\"2026-12-03\">\n"
    "\t\t\t<Cube currency=\"USD\" rate=\"1.1617\"/>\n"
    "\t\t\t<Cube currency=\"GBP\" rate=\"0.87250\"/>\n"
    "\t\t</Cube>\n" TAIL;

/* A file that must be refused with a message holding fragment. */
static void
refused(const char *text, const char *fragment)
{
	struct ecb_rates r;
	struct gen_err err = { 0 };

	CHECK_INT(ecb_parse(text, strlen(text), &r, &err), GEN_EINPUT);
	CHECK_MSG(err, fragment);
	ecb_rates_free(&r);
}

/* HEAD, the day 2026-12-09 holding line, TAIL. */
static void
refused_day(const char *line, const char *fragment)
{
	char buf[2048];

	snprintf(buf, sizeof(buf), "%s\t\t<Cube time='2026-12-09'>\n%s\n"
	    "\t\t</Cube>\n%s", HEAD, line, TAIL);
	refused(buf, fragment);
}

int
main(void)
{
	struct ecb_rates r;
	struct gen_err err = { 0 };
	struct buf b = { 0 };
	const char *csv = "Date, USD, JPY, \r\n2026-12-09, 1.1700, N/A, \r\n"
	    "2026-12-08,1.1690,181.2,\n";
	struct store_fx_last last[2] = {
		{ "GBP", "2026-12-03", "0.87250", "2024-01-02", 580 },
		{ "USD", "2026-12-04", "1.1642", "2024-01-02", 582 },
	};

	CHECK_INT(ecb_parse(daily, strlen(daily), &r, &err), GEN_OK);
	CHECK_STR(r.format, "ECB XML");
	CHECK_INT(r.n, 2);
	CHECK_STR(r.v[0].currency, "USD");
	CHECK_STR(r.v[0].date, "2026-12-04");
	CHECK_STR(r.v[0].units, "1.1642");
	CHECK_INT(r.v[0].line, 9);
	CHECK_STR(r.v[1].units, "180.55");
	ecb_rates_free(&r);

	CHECK_INT(ecb_parse(days90, strlen(days90), &r, &err), GEN_OK);
	CHECK_INT(r.n, 3);
	CHECK_STR(r.v[2].currency, "GBP");
	CHECK_STR(r.v[2].date, "2026-12-03");
	CHECK_STR(r.v[2].units, "0.87250");	/* as published */
	ecb_rates_free(&r);

	CHECK_INT(ecb_parse(csv, strlen(csv), &r, &err), GEN_OK);
	CHECK_STR(r.format, "ECB CSV");
	CHECK_INT(r.n, 3);
	CHECK_STR(r.v[0].currency, "USD");
	CHECK_STR(r.v[0].date, "2026-12-09");
	CHECK_STR(r.v[2].currency, "JPY");
	CHECK_STR(r.v[2].units, "181.2");
	CHECK_INT(r.v[2].line, 3);
	ecb_rates_free(&r);

	refused("", "the input is empty");
	refused(" \n\t\r\n", "the input is empty");
	refused(HEAD TAIL, "ECB XML: no rates in the file");
	refused("Date,USD\n", "ECB CSV: no rates in the file");
	refused("<?xml version=\"1.0\"?>\n<a>", "ECB XML line 2: ");
	refused("<html><body>Service unavailable</body></html>",
	    "root element is <html>");
	refused("<?xml version=\"1.0\"?>\n<!DOCTYPE e [<!ENTITY x \"y\">]>\n"
	    "<gesmes:Envelope xmlns:gesmes=\"http://www.gesmes.org/xml/"
	    "2002-08-01\"/>", "document type declaration");
	refused_day("<Cube currency='usd' rate='1.1'/>", "currency 'usd' is not");
	refused_day("<Cube currency='USD' rate='-1.1'/>", "ECB XML line 9, USD: "
	    "'-1.1' is not a positive decimal rate");
	refused_day("<Cube currency='USD' rate='1e3'/>", "'1e3' is not");
	refused_day("<Cube currency='USD' rate=''/>", "'' is not");
	refused_day("<Cube currency='USD' rate='0.0000001'/>", "at most 6");
	refused_day("<Cube currency='USD' rate='1234567890123456789012345678901'/>",
	    "is not a positive decimal");
	refused_day("<Cube rate='1.1'/>", "without its attribute 'currency'");
	refused_day("<Cube currency='USD' rate='1' time='x'/>",
	    "unexpected attribute 'time'");
	refused_day("<Cube currency='USD' rate='1'><Cube/></Cube>",
	    "unexpected content in the <Cube> of a rate");
	refused_day("<rate currency='USD' rate='1'/>",
	    "unexpected element <rate> in <Cube>");
	refused_day("text", "ECB XML line 8: unexpected text in <Cube>");
	refused("Date,usd\n2026-12-09,1\n", "column 2: 'usd' is not a currency");
	refused("Day,USD\n", "expected a header starting with Date");
	refused("Date,USD\n2026-02-30,1.1\n", "line 2: '2026-02-30' is not a date");
	refused("Date,USD\n2026-12-09,abc\n", "ECB CSV line 2, USD: 'abc'");
	{
		/* a NUL byte inside a rate is no part of a number */
		static const char nul[] = "Date,USD\n2026-12-09,1.17\0x\n";

		CHECK_INT(ecb_parse(nul, sizeof(nul) - 1, &r, &err), GEN_EINPUT);
		CHECK_MSG(err, "ECB CSV line 2, USD: '1.17' is not");
		ecb_rates_free(&r);
	}

	/* a day stored after "today" (a pinned clock) has a negative age */
	ecb_status_write(last, 2, 20794 - 5, 0, &b);
	buf_putc(&b, '\0');
	CHECK(strstr(b.data, "2026-12-04, -2 days before today (2026-12-02)")
	    != NULL);
	buf_free(&b);
	/* 2026-12-07: 3 days after the USD day, 4 after the GBP one */
	ecb_status_write(last, 2, 20794, 0, &b);
	buf_putc(&b, '\0');
	CHECK_STR(b.data, "last ECB day stored: 2026-12-04, 3 days before "
	    "today (2026-12-07)\n"
	    "currency last day   units per EUR      age  since        days\n"
	    "GBP      2026-12-03       0.87250      4d  2024-01-02    580\n"
	    "USD      2026-12-04        1.1642      3d  2024-01-02    582\n");
	buf_free(&b);
	ecb_status_write(last + 1, 1, 20794, 1, &b);
	buf_putc(&b, '\0');
	CHECK_STR(b.data, "{\"today\":\"2026-12-07\",\"last_day\":\"2026-12-04\","
	    "\"age_days\":3,\"currencies\":[{\"currency\":\"USD\",\"last_day\":"
	    "\"2026-12-04\",\"units_per_eur\":\"1.1642\",\"age_days\":3,"
	    "\"first_day\":\"2024-01-02\",\"days\":582}]}\n");
	buf_free(&b);
	return test_report();
}
