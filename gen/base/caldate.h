/*
 * caldate.h - calendar dates and UTC timestamps without the C library's
 * time zone machinery (no TZ, no localtime): a date is a day number
 * (days since 1970-01-01, proleptic Gregorian), a timestamp is seconds since
 * the epoch in UTC.
 *
 * The tax-point date of a payment is its date in Lithuania (Europe/Vilnius:
 * UTC+2, and UTC+3 during EU summer time, from 01:00 UTC on the last Sunday
 * of March to 01:00 UTC on the last Sunday of October; EU rule since 1996).
 * Pure: no I/O, no clock.
 */
#ifndef INVGEN_CALDATE_H
#define INVGEN_CALDATE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CALDATE_LEN 11		/* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_LEN 21	/* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Day number of a valid civil date. */
int32_t caldate_from_ymd(int y, int m, int d);
void caldate_to_ymd(int32_t days, int *y, int *m, int *d);
int caldate_days_in_month(int y, int m);

/*
 * Parse exactly "YYYY-MM-DD" (years 1900..2999, a day that exists:
 * 2025-02-30 is refused).  GEN_EINPUT "<what>: ..." otherwise.
 */
enum gen_rc caldate_parse(const char *s, int32_t *days, const char *what,
    struct gen_err *err);
void caldate_format(int32_t days, char out[CALDATE_LEN]);
/* 0 = Monday .. 6 = Sunday. */
int caldate_weekday(int32_t days);

/*
 * Parse an RFC 3339 timestamp: "YYYY-MM-DDTHH:MM:SS" with optional
 * fraction ".sss" (ignored: truncated to the second) and a zone "Z" or
 * "+HH:MM" / "-HH:MM".  A missing zone is refused (ambiguous).
 */
enum gen_rc timestamp_parse(const char *s, int64_t *epoch, const char *what,
    struct gen_err *err);
/* "YYYY-MM-DDTHH:MM:SSZ" */
void timestamp_format(int64_t epoch, char out[TIMESTAMP_LEN]);
/* The UTC calendar date of a timestamp. */
int32_t timestamp_utc_date(int64_t epoch);
/* The Lithuanian calendar date of a timestamp (see above). */
int32_t timestamp_lt_date(int64_t epoch);
/* The first second (UTC epoch) of a Lithuanian calendar date: its
 * midnight in Vilnius. */
int64_t timestamp_lt_day_start(int32_t day);

#endif
