/*
 * caldate.c - civil-date arithmetic (days from civil and back, after the
 * well-known era-based algorithm), strict ISO 8601 parsing and the
 * Europe/Vilnius offset rule.  Pure: no I/O, no clock, no TZ.
 */
#include <stdio.h>
#include <string.h>

#include "caldate.h"

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
caldate_days_in_month(int y, int m)
{
	static const int dim[12] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int32_t
caldate_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
caldate_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int
caldate_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((days % 7 + 7 + 3) % 7);

	return w;
}

/* Read exactly n decimal digits. */
static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int
parse_ymd(const char *s, int *y, int *m, int *d)
{
	return digits(s, 4, y) && s[4] == '-' && digits(s + 5, 2, m) &&
	    s[7] == '-' && digits(s + 8, 2, d) && *y >= 1900 && *y <= 2999 &&
	    *m >= 1 && *m <= 12 && *d >= 1 && *d <= caldate_days_in_month(*y, *m);
}

enum gen_rc
caldate_parse(const char *s, int32_t *days, const char *what,
    struct gen_err *err)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || !parse_ymd(s, &y, &m, &d))
		return gen_err_set(err, GEN_EINPUT, "%s: '%.40s' is not a valid "
		    "date; expected YYYY-MM-DD (a day that exists, years "
		    "1900..2999)", what, s ? s : "");
	*days = caldate_from_ymd(y, m, d);
	return GEN_OK;
}

/* Write v as exactly n decimal digits (v >= 0). */
static char *
put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

void
caldate_format(int32_t days, char out[CALDATE_LEN])
{
	int y, m, d;
	char *p = out;

	caldate_to_ymd(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	p = put_digits(p, y, 4);
	*p++ = '-';
	p = put_digits(p, m, 2);
	*p++ = '-';
	p = put_digits(p, d, 2);
	*p = '\0';
}

enum gen_rc
timestamp_parse(const char *s, int64_t *epoch, const char *what,
    struct gen_err *err)
{
	int y, m, d, hh, mm, ss, oh = 0, om = 0, sign = 0;
	const char *p;

	if (s == NULL || strlen(s) < 20 || strlen(s) > 40)
		goto bad;
	if (!parse_ymd(s, &y, &m, &d) || s[10] != 'T' ||
	    !digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mm) ||
	    s[16] != ':' || !digits(s + 17, 2, &ss) ||
	    hh > 23 || mm > 59 || ss > 59)
		goto bad;
	p = s + 19;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			goto bad;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (p[0] == 'Z' && p[1] == '\0')
		sign = 0;
	else if ((p[0] == '+' || p[0] == '-') && strlen(p) == 6 &&
	    digits(p + 1, 2, &oh) && p[3] == ':' && digits(p + 4, 2, &om) &&
	    oh <= 14 && om <= 59)
		sign = p[0] == '+' ? 1 : -1;
	else
		goto bad;
	*epoch = (int64_t)caldate_from_ymd(y, m, d) * 86400 +
	    hh * 3600 + mm * 60 + ss - sign * (oh * 3600 + om * 60);
	return GEN_OK;
bad:
	return gen_err_set(err, GEN_EINPUT, "%s: '%.40s' is not a valid "
	    "timestamp; expected RFC 3339 like 2025-08-14T10:22:00Z or "
	    "2025-08-14T12:22:00+02:00", what, s ? s : "");
}

static int32_t
floor_div_day(int64_t epoch)
{
	return (int32_t)(epoch >= 0 ? epoch / 86400 : (epoch - 86399) / 86400);
}

void
timestamp_format(int64_t epoch, char out[TIMESTAMP_LEN])
{
	int32_t days = floor_div_day(epoch);
	int64_t sec = epoch - (int64_t)days * 86400;

	char *p = out;

	caldate_format(days, out);
	p = out + 10;
	*p++ = 'T';
	p = put_digits(p, (int)(sec / 3600), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec / 60 % 60), 2);
	*p++ = ':';
	p = put_digits(p, (int)(sec % 60), 2);
	*p++ = 'Z';
	*p = '\0';
}

int32_t
timestamp_utc_date(int64_t epoch)
{
	return floor_div_day(epoch);
}

/* 01:00 UTC on the last Sunday of month m of year y, as an epoch. */
static int64_t
last_sunday_0100(int y, int m)
{
	int32_t last = caldate_from_ymd(y, m, caldate_days_in_month(y, m));
	int32_t sunday = last - (caldate_weekday(last) + 1) % 7;

	return (int64_t)sunday * 86400 + 3600;
}

int32_t
timestamp_lt_date(int64_t epoch)
{
	int y, m, d;
	int64_t offset = 2 * 3600;

	caldate_to_ymd(floor_div_day(epoch), &y, &m, &d);
	if (epoch >= last_sunday_0100(y, 3) && epoch < last_sunday_0100(y, 10))
		offset = 3 * 3600;
	return floor_div_day(epoch + offset);
}

int64_t
timestamp_lt_day_start(int32_t day)
{
	/* Midnight in Vilnius is 21:00 UTC of the day before in summer time,
	 * 22:00 UTC in winter; clocks never change at midnight there. */
	int64_t t = (int64_t)day * 86400 - 3 * 3600;

	if (timestamp_lt_date(t) != day)
		t += 3600;
	return t;
}
