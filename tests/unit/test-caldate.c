/*
 * test-caldate.c - civil dates, strict parsing (2025-02-30 refused), RFC
 * 3339 timestamps with offsets, and the Lithuanian tax-point date across
 * the EU summer-time changes.
 */
#include "caldate.h"
#include "testlib.h"

static int32_t
day(const char *s)
{
	struct gen_err err = { 0 };
	int32_t d = -1;

	CHECK_INT(caldate_parse(s, &d, "date", &err), GEN_OK);
	return d;
}

static const char *
fmt(int32_t d)
{
	static char out[CALDATE_LEN];

	caldate_format(d, out);
	return out;
}

static int64_t
ts(const char *s)
{
	struct gen_err err = { 0 };
	int64_t e = 0;

	CHECK_INT(timestamp_parse(s, &e, "paid_at", &err), GEN_OK);
	return e;
}

static const char *
lt(const char *s)
{
	return fmt(timestamp_lt_date(ts(s)));
}

int
main(void)
{
	struct gen_err err = { 0 };
	char out[TIMESTAMP_LEN];
	int32_t d;
	int64_t e;

	CHECK_INT(day("1970-01-01"), 0);
	CHECK_INT(day("2000-03-01") - day("2000-02-28"), 2);	/* leap */
	CHECK_INT(day("1900-03-01") - day("1900-02-28"), 1);	/* not leap */
	CHECK_STR(fmt(day("2025-07-09")), "2025-07-09");
	CHECK_STR(fmt(day("2024-02-29")), "2024-02-29");
	CHECK_STR(fmt(day("2025-12-31") + 1), "2026-01-01");
	/* every day of 1900..2999 round-trips */
	for (int32_t x = day("1900-01-01"); x <= day("2999-12-31"); x += 7)
		CHECK_INT(day(fmt(x)), x);
	CHECK_INT(caldate_weekday(day("2025-07-09")), 2);	/* Wednesday */
	CHECK_INT(caldate_weekday(day("1970-01-01")), 3);	/* Thursday */

	/* refused dates name the field and the rule */
	CHECK_INT(caldate_parse("2025-02-30", &d, "issue_date", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "issue_date: '2025-02-30' is not a valid date");
	CHECK_INT(caldate_parse("2025-13-01", &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse("2025-1-01", &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse("2025-01-01 ", &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse("1899-12-31", &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse("3000-01-01", &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse("", &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse(NULL, &d, "x", &err), GEN_EINPUT);
	CHECK_INT(caldate_parse("2023-02-29", &d, "x", &err), GEN_EINPUT);

	/* timestamps: zones, fractions */
	CHECK_INT(ts("1970-01-01T00:00:00Z"), 0);
	CHECK_INT(ts("2025-08-14T12:22:00+02:00"), ts("2025-08-14T10:22:00Z"));
	CHECK_INT(ts("2025-08-14T05:22:00-05:00"), ts("2025-08-14T10:22:00Z"));
	CHECK_INT(ts("2025-08-14T10:22:00.999Z"), ts("2025-08-14T10:22:00Z"));
	CHECK_INT(ts("2025-08-14T10:22:00+14:00"), ts("2025-08-13T20:22:00Z"));
	timestamp_format(ts("2025-08-14T12:22:07+02:00"), out);
	CHECK_STR(out, "2025-08-14T10:22:07Z");
	timestamp_format(ts("1969-12-31T23:59:59Z"), out);
	CHECK_STR(out, "1969-12-31T23:59:59Z");
	CHECK_INT(timestamp_parse("2025-08-14T10:22:00", &e, "paid_at", &err),
	    GEN_EINPUT);
	CHECK_MSG(err, "paid_at: '2025-08-14T10:22:00' is not a valid timestamp");
	CHECK_INT(timestamp_parse("2025-08-14 10:22:00Z", &e, "x", &err),
	    GEN_EINPUT);
	CHECK_INT(timestamp_parse("2025-02-30T10:22:00Z", &e, "x", &err),
	    GEN_EINPUT);
	CHECK_INT(timestamp_parse("2025-08-14T24:00:00Z", &e, "x", &err),
	    GEN_EINPUT);
	CHECK_INT(timestamp_parse("2025-08-14T10:22:60Z", &e, "x", &err),
	    GEN_EINPUT);
	CHECK_INT(timestamp_parse("2025-08-14T10:22:00+15:00", &e, "x", &err),
	    GEN_EINPUT);
	CHECK_INT(timestamp_parse("2025-08-14T10:22:00.Z", &e, "x", &err),
	    GEN_EINPUT);
	CHECK_INT(timestamp_parse("2025-08-14T10:22:00+0200", &e, "x", &err),
	    GEN_EINPUT);

	/* Lithuanian date: UTC+3 in summer, UTC+2 in winter. */
	CHECK_STR(lt("2025-07-08T20:59:59Z"), "2025-07-08");
	CHECK_STR(lt("2025-07-08T21:00:00Z"), "2025-07-09");	/* midnight EEST */
	CHECK_STR(lt("2025-01-15T21:59:59Z"), "2025-01-15");
	CHECK_STR(lt("2025-01-15T22:00:00Z"), "2025-01-16");	/* midnight EET */
	/* 2025: summer time from 2025-03-30 01:00 UTC to 2025-10-26 01:00 UTC */
	CHECK_STR(lt("2025-03-29T21:30:00Z"), "2025-03-29");	/* 23:30 EET */
	CHECK_STR(lt("2025-03-29T22:00:00Z"), "2025-03-30");
	CHECK_STR(lt("2025-10-25T20:59:59Z"), "2025-10-25");	/* 23:59 EEST */
	CHECK_STR(lt("2025-10-25T21:00:00Z"), "2025-10-26");
	CHECK_STR(lt("2025-12-31T21:59:59Z"), "2025-12-31");
	CHECK_STR(lt("2025-12-31T22:00:00Z"), "2026-01-01");
	/* the change instants themselves */
	CHECK_INT(timestamp_lt_date(ts("2025-03-30T00:59:59Z")),
	    day("2025-03-30"));
	CHECK_INT(timestamp_lt_date(ts("2024-10-27T00:59:59Z")),
	    day("2024-10-27"));
	CHECK_INT(timestamp_utc_date(ts("2025-07-08T21:00:00Z")),
	    day("2025-07-08"));
	/* Midnight in Vilnius: 22:00 UTC in winter, 21:00 UTC in summer,
	 * also on the days the clocks change. */
	CHECK_INT(timestamp_lt_day_start(day("2026-03-20")),
	    ts("2026-03-19T22:00:00Z"));
	CHECK_INT(timestamp_lt_day_start(day("2026-07-01")),
	    ts("2026-06-30T21:00:00Z"));
	CHECK_INT(timestamp_lt_day_start(day("2025-03-30")),
	    ts("2025-03-29T22:00:00Z"));
	CHECK_INT(timestamp_lt_day_start(day("2025-03-31")),
	    ts("2025-03-30T21:00:00Z"));
	CHECK_INT(timestamp_lt_day_start(day("2025-10-26")),
	    ts("2025-10-25T21:00:00Z"));
	CHECK_INT(timestamp_lt_day_start(day("2025-10-27")),
	    ts("2025-10-26T22:00:00Z"));
	return test_report();
}
