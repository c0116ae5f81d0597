#!/bin/sh
# t0100-hostile-dates: timestamps and dates that do not exist, are out of
# range or not RFC 3339, and real ones in odd time zones.  The
# impossible ones are refused naming the field, with the database
# unchanged; the odd zones are stored in UTC and the tax point is the
# payment's date in Vilnius whatever zone the bot wrote; the date options
# and INVGEN_NOW are checked the same way.
hostile_lib=$(cd "$(dirname "$0")" && pwd)/hostile-lib.sh
. "$(dirname "$0")/lib.sh"
. "$hostile_lib"

hostile_db t.db

# created_at values that must be refused.
while read -r ts; do
	test_expect_success "refused: created_at '$ts'" "
		consumer_order D-1 DE EUR 2025-08-14T10:25:00Z |
		    sed 's/\"2025-08-01T08:00:00Z\"/\"$ts\"/' >bad.json &&
		must_refuse t.db bad.json \"created_at: '$ts' is not a valid timestamp; expected RFC 3339\"
	"
done <<'CASES'
2025-02-30T08:00:00Z
2025-02-29T08:00:00Z
1900-02-29T08:00:00Z
2025-04-31T08:00:00Z
2025-13-01T08:00:00Z
2025-00-10T08:00:00Z
2025-01-00T08:00:00Z
2025-01-32T08:00:00Z
2025-01-01T24:00:00Z
2025-01-01T23:60:00Z
2025-06-30T23:59:60Z
2025-08-01T08:00:00
2025-08-01T08:00:00+24:00
2025-08-01T08:00:00+23:59
2025-08-01T08:00:00+0200
2025-08-01T08:00:00+02
2025-08-01t08:00:00z
2025-08-01_08:00:00Z
2025-8-1T08:00:00Z
20250801T080000Z
2025-08-01T08:00Z
+2025-08-01T08:00:00Z
-2025-08-01T08:00:00Z
0000-01-01T00:00:00Z
9999-12-31T23:59:59Z
2025-08-01T08:00:00＋02:00
CASES

test_expect_success 'refused: a paid_at that is before created_at once both are in UTC' '
	consumer_order D-2 DE EUR 2025-08-01T08:30:00+02:00 |
	    sed "s/\"2025-08-01T08:00:00Z\"/\"2025-08-01T10:00:00+03:00\"/" >bad.json &&
	must_refuse t.db bad.json "paid_at: 2025-08-01T06:30:00Z is before created_at 2025-08-01T07:00:00Z"
'
test_expect_success 'refused: an impossible vat_check.checked_at' '
	order_json D-3 ".payer.vat_check = {status: \"valid\", checked_at: \"2025-02-30T00:00:00Z\"}" >bad.json &&
	must_refuse t.db bad.json "payer.vat_check.checked_at: .2025-02-30T00:00:00Z. is not a valid timestamp"
'

# Odd but real: stored as the same instant in UTC.
n=0
while IFS='|' read -r given utc; do
	n=$((n + 1))
	test_expect_success "accepted: created_at '$given' is stored as $utc" "
		consumer_order 'Z-$n' DE EUR null |
		    sed 's/\"2025-08-01T08:00:00Z\"/\"$given\"/' >ok.json &&
		\"\$INVGEN\" --db t.db order add ok.json >/dev/null &&
		test \"\$(sqlite3 t.db \"SELECT created_at FROM orders WHERE order_no = 'Z-$n'\")\" = '$utc'
	"
done <<'CASES'
2024-02-29T12:00:00Z|2024-02-29T12:00:00Z
2025-08-01T08:00:00+14:00|2025-07-31T18:00:00Z
2025-08-01T08:00:00-12:00|2025-08-01T20:00:00Z
2025-08-01T08:00:00+05:45|2025-08-01T02:15:00Z
2025-08-01T08:00:00-00:00|2025-08-01T08:00:00Z
2025-08-01T08:00:00.999999Z|2025-08-01T08:00:00Z
2024-12-31T23:30:00-01:00|2025-01-01T00:30:00Z
CASES

# The tax point is the payment's day in Vilnius (UTC+3 in summer), and
# the seller registered for VAT on 2025-07-09: the zone the bot wrote the
# payment in must not move an invoice across that line.
while IFS='|' read -r paid day series; do
	n=$((n + 1))
	test_expect_success "paid_at '$paid': tax point $day, series $series" "
		consumer_order 'TP-$n' DE EUR '$paid' |
		    sed 's/2025-08-01T08:00:00Z/2025-07-01T08:00:00Z/' >tp.json &&
		\"\$INVGEN\" --db t.db order add tp.json >/dev/null &&
		issue_json t.db 'TP-$n' tp.out &&
		test \"\$(jq -r .tax_point_date tp.out)\" = '$day' &&
		test \"\$(jq -r .series tp.out)\" = '$series'
	"
done <<'CASES'
2025-07-08T20:59:59Z|2025-07-08|ZL
2025-07-08T21:00:00Z|2025-07-09|ZLV
2025-07-09T08:00:00+14:00|2025-07-08|ZL
2025-07-08T23:30:00-02:00|2025-07-09|ZLV
2025-07-09T00:30:00+03:00|2025-07-09|ZLV
2025-07-09T00:30:00+04:00|2025-07-08|ZL
CASES
test_expect_success 'winter time: 22:30 UTC on 31 December is 1 January in Vilnius' '
	consumer_order W-1 DE EUR 2025-12-31T22:30:00Z |
	    sed "s/2025-08-01T08:00:00Z/2025-12-01T08:00:00Z/" >w.json &&
	"$INVGEN" --db t.db order add w.json >/dev/null &&
	env INVGEN_NOW=2026-01-02T10:00:00Z "$INVGEN" --db t.db issue W-1 --json >w.out &&
	test "$(jq -r .tax_point_date w.out)" = 2026-01-01
'

test_expect_success 'a payment dated after "today" is refused at issue; no number is used' '
	consumer_order F-1 DE EUR 2025-08-14T10:25:00Z >f.json &&
	"$INVGEN" --db t.db order add f.json >/dev/null &&
	before=$(sqlite3 t.db "SELECT group_concat(series || last_seq) FROM number_series") &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 env INVGEN_NOW=2025-08-13T10:00:00Z "$INVGEN" --db t.db issue F-1 2>err &&
	test_grep "paid_at: 2025-08-14T10:25:00Z is in the future" err &&
	test "$(db_sum t.db)" = "$sum" &&
	# (on the day of the series'"'"' last document: its dates never run
	# backwards)
	INVGEN_NOW=2026-01-02T10:00:00Z && export INVGEN_NOW &&
	issue_json t.db F-1 f.out &&
	test "$(sqlite3 t.db "SELECT group_concat(series || last_seq) FROM number_series")" != "$before"
'
test_expect_success 'order paid --at: impossible and zone-less timestamps are refused' '
	consumer_order P-1 DE EUR null >p.json &&
	"$INVGEN" --db t.db order add p.json >/dev/null &&
	for at in 2025-02-30T00:00:00Z 2025-08-02T07:00:00 2025-08-02T25:00:00Z ""; do
		sum=$(db_sum t.db) &&
		test_must_fail "$INVGEN" --db t.db order paid P-1 --at "$at" 2>err &&
		test_grep "paid_at\|--at" err &&
		test "$(db_sum t.db)" = "$sum" || exit 1
	done &&
	"$INVGEN" --db t.db order paid P-1 --at 2025-08-02T09:00:00+14:00 &&
	test "$(sqlite3 t.db "SELECT paid_at FROM orders WHERE order_no = '\''P-1'\''")" = 2025-08-01T19:00:00Z
'
test_expect_success 'list and report: impossible dates and quarters are refused' '
	test_must_fail "$INVGEN" --db t.db list --from 2025-02-30 2>err &&
	test_grep "from: .2025-02-30. is not a valid date" err &&
	test_must_fail "$INVGEN" --db t.db list --to 2025-13-01 2>err &&
	test_grep "to: .2025-13-01. is not a valid date" err &&
	test_must_fail "$INVGEN" --db t.db report oss --quarter 2025Q5 2>err &&
	test_grep "quarter" err
'
test_expect_success 'INVGEN_NOW: an impossible clock is refused, not guessed' '
	sum=$(db_sum t.db) &&
	test_must_fail env INVGEN_NOW=2025-02-30T00:00:00Z "$INVGEN" --db t.db issue P-1 2>err &&
	test_grep "INVGEN_NOW: .2025-02-30T00:00:00Z. is not a valid timestamp" err &&
	test_must_fail env INVGEN_NOW=yesterday "$INVGEN" --db t.db list 2>err &&
	test_grep "INVGEN_NOW" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_done
