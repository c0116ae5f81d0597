#!/bin/sh
# t0170-issue-rules: rules of issuing that a review found wrong.
#   - The reverse charge needs VIES: "valid" gives it, "invalid" makes a
#     consumer, "unavailable" is exit 3 (retry later), no check at all is
#     exit 1 (ask VIES first); a payment order follows the same rule.
#   - A non-EUR sale with VAT after the last stored ECB rate is exit 3
#     naming the rates to import; once imported the same call succeeds.
#   - A credit note goes to the credit series of the profile that issued
#     its invoice (a pre-registration invoice's credit stays in ZLK).
#   - Dates never run backwards within a series (exit 1, nothing used).
#   - The issue date is read after the write lock is taken: a call that
#     waits for the lock over midnight is dated the new day (faketime).
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
# A business order: order_no country vat_number vat_check(JSON or null)
# paid_at payment_method.
business_order() {
	consumer_order "$1" "$2" EUR "$5" |
	    jq -c ".payer.is_business = true | .payer.vat_number = \"$3\" |
	      .payer.vat_check = $4 | .payment_method = \"$6\" |
	      .created_at = \"2026-03-01T08:00:00Z\" |
	      if .paid_at == null then . else .paid_at = \"$5\" end"
}
now() { INVGEN_NOW=$1; export INVGEN_NOW; }
issue() { "$INVGEN" --db t.db "$@"; }

test_expect_success 'VIES valid: reverse charge' '
	business_order V-1 DE DE136695976 "{\"status\": \"valid\"}" \
	    2026-03-02T10:00:00Z card >v1.json &&
	issue order add v1.json >/dev/null &&
	now 2026-03-02T10:05:00Z && issue issue V-1 --json >v1.out &&
	test "$(jq -r .treatment v1.out)" = REVERSE_CHARGE
'
test_expect_success 'VIES invalid: a consumer, VAT of DE through the OSS' '
	business_order V-2 DE DE136695976 "{\"status\": \"invalid\"}" \
	    2026-03-02T10:00:00Z card >v2.json &&
	issue order add v2.json >/dev/null &&
	now 2026-03-02T10:05:00Z && issue issue V-2 --json >v2.out &&
	test "$(jq -r .treatment v2.out)" = OSS_DESTINATION &&
	test "$(jq -r .vat_minor v2.out)" = 2280
'
test_expect_success 'VIES unavailable: exit 3, retry later, nothing written' '
	business_order V-3 DE DE136695976 "{\"status\": \"unavailable\"}" \
	    2026-03-02T10:00:00Z card >v3.json &&
	issue order add v3.json >/dev/null &&
	sum=$(db_sum t.db) &&
	now 2026-03-02T10:05:00Z &&
	test_must_fail 3 issue issue V-3 2>err &&
	test_grep "VIES did not answer for VAT number DE136695976" err &&
	test_grep "retry" err &&
	test "$(db_sum t.db)" = "$sum" &&
	test_must_fail 3 issue explain V-3 2>err &&
	test_grep "VIES did not answer" err
'
test_expect_success 'no VIES check for a business with a VAT number: exit 1' '
	business_order V-4 FR FR40303265045 null 2026-03-02T10:00:00Z card \
	    >v4.json &&
	issue order add v4.json >/dev/null &&
	sum=$(db_sum t.db) &&
	now 2026-03-02T10:05:00Z &&
	test_must_fail 1 issue issue V-4 2>err &&
	test_grep "vat_check: the payer is a business in FR" err &&
	test_grep "no VIES check is recorded" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'a payment order follows the same rule' '
	business_order V-5 DE DE136695976 "{\"status\": \"unavailable\"}" \
	    null bank_transfer >v5.json &&
	business_order V-6 DE DE136695976 null null bank_transfer >v6.json &&
	issue order add v5.json >/dev/null && issue order add v6.json >/dev/null &&
	now 2026-03-02T11:00:00Z &&
	test_must_fail 3 issue transfer-order V-5 2>err &&
	test_grep "VIES did not answer" err &&
	test_must_fail 1 issue transfer-order V-6 2>err &&
	test_grep "no VIES check is recorded" err &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document WHERE kind = '\''transfer_order'\''")" = 0
'
test_expect_success 'a USD sale after the last stored ECB rate: exit 3 naming the rates' '
	consumer_order R-1 FR USD 2026-05-04T10:00:00Z |
	    jq ".created_at = \"2026-05-04T09:00:00Z\"" >r1.json &&
	issue order add r1.json >/dev/null &&
	sum=$(db_sum t.db) &&
	now 2026-05-04T10:05:00Z &&
	test_must_fail 3 issue issue R-1 2>err &&
	test_grep "no ECB reference rate for USD on 2026-05-04" err &&
	test_grep "the latest stored is of 2026-04-13" err &&
	test_grep "import the ECB rates of 2026-04-13 to 2026-05-04" err &&
	test "$(db_sum t.db)" = "$sum" &&
	printf "Date,USD,\n2026-05-04,1.1500,\n" >ecb.csv &&
	issue rates import-ecb ecb.csv >/dev/null &&
	issue issue R-1 --json >r1.out &&
	test "$(jq -r .fx_units_per_eur r1.out)" = 1.1500
'
test_expect_success 'a currency without any ECB rate stays exit 1' '
	consumer_order R-2 FR AED 2026-03-02T10:00:00Z |
	    jq ".created_at = \"2026-03-02T09:00:00Z\"" >r2.json &&
	issue order add r2.json >/dev/null &&
	now 2026-05-04T10:05:00Z &&
	test_must_fail 1 issue issue R-2 2>err &&
	test_grep "none is stored for AED at all" err
'
test_expect_success 'a credit note of a pre-registration invoice stays in its series' '
	consumer_order P-1 LT EUR 2025-03-03T10:00:00Z |
	    jq ".created_at = \"2025-03-03T09:00:00Z\"" >p1.json &&
	issue order add p1.json >/dev/null &&
	now 2025-03-03T10:05:00Z && issue issue P-1 --json >p1.out &&
	test "$(jq -r .number p1.out)" = ZL-000001 &&
	now 2026-05-04T11:00:00Z &&
	issue credit ZL-000001 --reason "Refund" --json >c1.out &&
	test "$(jq -r .number c1.out)" = ZLK-000001 &&
	test "$(jq -r .seller.vat_number c1.out)" = null &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document WHERE series = '\''ZLVK'\''")" = 0
'
test_expect_success 'dates never run backwards within a series' '
	consumer_order D-1 LT EUR 2026-05-03T10:00:00Z |
	    jq ".created_at = \"2026-05-03T09:00:00Z\"" >d1.json &&
	issue order add d1.json >/dev/null &&
	sum=$(db_sum t.db) &&
	now 2026-05-03T12:00:00Z &&
	test_must_fail 1 issue issue D-1 2>err &&
	test_grep "issue_date: 2026-05-03 is before 2026-05-04, the date of ZLV-000003, the last document of series ZLV" err &&
	test "$(db_sum t.db)" = "$sum" &&
	now 2026-05-04T12:00:00Z && issue issue D-1 --json >d1.out &&
	test "$(jq -r .number d1.out)" = ZLV-000004
'
test_expect_success 'a call that waits for the lock over midnight is dated the new day' '
	consumer_order M-1 LT EUR 2026-05-04T18:00:00Z |
	    jq ".created_at = \"2026-05-04T17:00:00Z\"" >m1.json &&
	issue order add m1.json >/dev/null &&
	unset INVGEN_NOW &&
	rm -f locked &&
	{
		# Only the lock holder in the background (an "&" at the end
		# of the list would take the steps above with it).
		printf "BEGIN IMMEDIATE;\n.shell touch locked\n.shell sleep 4\nCOMMIT;\n" |
		    sqlite3 t.db >/dev/null &
	} &&
	while [ ! -e locked ]; do sleep 0.1; done
	# 20:59:58 UTC is 23:59:58 in Vilnius (summer time); the lock is
	# held for 4 seconds more.
	TZ=UTC faketime -f "@2026-05-04 20:59:58" "$INVGEN_REL" --db t.db \
	    issue M-1 --json >m1.out &&
	wait &&
	test "$(jq -r .issue_date m1.out)" = 2026-05-05 &&
	test "$(jq -r .tax_point_date m1.out)" = 2026-05-04
'
test_done
