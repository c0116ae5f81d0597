#!/bin/sh
# t0190-credit-terms: an invoice issued before payment (issue --due):
# the tax point is the issue date, the PDF carries the due date, the RF
# reference and the EPC QR code of a payment order (decoded); payment
# match books parts against it without a second invoice until it is
# paid, then refuses a duplicate; report unpaid shows what is left.  A
# renewal's service period is on the order, the invoice and its PDF.  The
# database of the previous release migrates (widened CHECKs, nothing
# else changed) and still verifies; a document without VAT is no
# e-invoice.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
run() {
	now=$1
	shift
	INVGEN_NOW=$now "$INVGEN" --db t.db "$@"
}
# order NO METHOD [JQ]: an unpaid LT consumer order of 120.00 + 21 % VAT.
order() {
	consumer_order "$1" LT EUR null |
	    jq -c ".payment_method = \"$2\" |
	      .created_at = \"2026-03-20T08:00:00Z\" | ${3:-.}"
}
match() {
	now=$1
	shift
	run "$now" payment match --reference "$(cat ref)" --currency EUR "$@"
}

test_expect_success 'issue --due: the invoice of an unpaid order, due later' '
	order K-1 bank_transfer | run 2026-03-20T09:00:00Z order add - >/dev/null &&
	run 2026-03-20T10:00:00Z issue K-1 --due 2026-04-10 --json >k1.json &&
	test "$(jq -r .kind k1.json)" = invoice &&
	test "$(jq -r .tax_point_date k1.json)" = 2026-03-20 &&
	test "$(jq -r .issue_date k1.json)" = 2026-03-20 &&
	test "$(jq -r .due_date k1.json)" = 2026-04-10 &&
	test "$(jq -r .paid_at k1.json)" = null &&
	test "$(jq -r .total_minor k1.json)" = 14520 &&
	jq -r .payment_reference k1.json >ref &&
	grep -Eqx "RF[0-9]{2}K1" ref &&
	test "$(sqlite3 t.db "SELECT paid_at IS NULL FROM orders WHERE order_no = '\''K-1'\''")" = 1
'
test_expect_success 'its PDF: due date, reference, bank account, EPC QR code' '
	pdf=$(jq -r .path k1.json) &&
	pdftotext "$pdf" k1.txt &&
	test_grep "VAT invoice" k1.txt &&
	test_grep "Amount due" k1.txt &&
	test_grep "Due date" k1.txt && test_grep "2026 m. balandžio 10 d." k1.txt &&
	test_grep "LT12 1000 0111 0100 1000" k1.txt &&
	test_grep "$(jq -r .payment_reference k1.json | sed "s/^\(....\)/\1 /")" k1.txt &&
	pdftoppm -png -r 150 -f 1 -l 1 "$pdf" page &&
	zbarimg --quiet --raw --nodbus -Sbinary page-1.png >qr.bin &&
	printf "BCD\n002\n1\nSCT\n\nMB Žinučių linija\nLT121000011101001000\nEUR145.20\n\n%s" \
	    "$(cat ref)" >want.bin &&
	cmp want.bin qr.bin
'
test_expect_success 'issuing again returns it; --due is refused where it does not fit' '
	run 2026-03-21T10:00:00Z issue K-1 --json >again.json &&
	test "$(jq -r .existed again.json)" = true &&
	test "$(jq -r .number again.json)" = "$(jq -r .number k1.json)" &&
	test_must_fail 1 run 2026-03-21T10:00:00Z issue K-9 --due 2026-03-01 2>err &&
	test_grep "no order" err &&
	order K-2 bank_transfer | run 2026-03-21T09:00:00Z order add - >/dev/null &&
	test_must_fail 1 run 2026-03-21T10:00:00Z issue K-2 --due 2026-03-20 2>err &&
	test_grep "^invgen: --due: 2026-03-20 is before today (2026-03-21)" err &&
	order K-3 card ".paid_at = \"2026-03-20T09:00:00Z\"" |
	    run 2026-03-21T09:00:00Z order add - >/dev/null &&
	test_must_fail 1 run 2026-03-21T10:00:00Z issue K-3 --due 2026-04-01 2>err &&
	test_grep "already paid" err
'
test_expect_success 'report unpaid lists it' '
	run 2026-03-21T10:00:00Z report unpaid --csv >u1.csv &&
	test_grep "^$(jq -r .number k1.json),K-1,2026-03-20,2026-04-10,EUR,145.20,0.00,0.00,145.20,0$" u1.csv
'
test_expect_success 'a part payment is booked against it; no second invoice' '
	match 2026-03-25T10:00:00Z --amount 10000 --date 2026-03-25 --json >m1.json &&
	test "$(jq -r .invoice.number m1.json)" = "$(jq -r .number k1.json)" &&
	test "$(jq -r .payment_order m1.json)" = null &&
	test "$(jq -r .left_minor m1.json)" = 4520 &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document d JOIN orders o ON o.id = d.order_id WHERE o.order_no = '\''K-1'\''")" = 1 &&
	test "$(sqlite3 t.db "SELECT paid_at IS NULL FROM orders WHERE order_no = '\''K-1'\''")" = 1 &&
	run 2026-03-25T10:00:00Z report unpaid --csv >u2.csv &&
	test_grep ",145.20,0.00,100.00,45.20,0$" u2.csv
'
test_expect_success 'the same statement line again is a duplicate' '
	test_must_fail 1 match 2026-03-25T11:00:00Z --amount 10000 \
	    --date 2026-03-25 2>err &&
	test_grep "already booked against invoice $(jq -r .number k1.json)" err
'
test_expect_success 'the rest pays it: the order is paid, nothing is unpaid' '
	match 2026-03-28T10:00:00Z --amount 4520 --date 2026-03-28 --json >m2.json &&
	test "$(jq -r .left_minor m2.json)" = 0 &&
	test "$(sqlite3 t.db "SELECT paid_at FROM orders WHERE order_no = '\''K-1'\''")" = 2026-03-27T22:00:00Z &&
	run 2026-04-20T10:00:00Z report unpaid >u3.txt &&
	test_grep "^0 invoices unpaid" u3.txt &&
	test_must_fail 1 match 2026-03-29T10:00:00Z --amount 100 --date 2026-03-29 2>err &&
	test_grep "paid in full" err &&
	test_grep "duplicate" err
'
test_expect_success 'overdue: days after the due date' '
	order K-4 bank_transfer | run 2026-03-22T09:00:00Z order add - >/dev/null &&
	run 2026-03-22T10:00:00Z issue K-4 --due 2026-03-31 --json >k4.json &&
	run 2026-04-05T10:00:00Z report unpaid --csv >u4.csv &&
	test_grep "^$(jq -r .number k4.json),K-4,.*,145.20,5$" u4.csv
'
test_expect_success 'a payment order first, then credit terms: one reference' '
	order K-5 bank_transfer | run 2026-03-23T09:00:00Z order add - >/dev/null &&
	run 2026-03-23T09:30:00Z transfer-order K-5 --json >po.json &&
	run 2026-03-23T10:00:00Z issue K-5 --due 2026-04-23 --json >k5.json &&
	test "$(jq -r .payment_reference k5.json)" = "$(jq -r .reference po.json)" &&
	jq -r .reference po.json >ref &&
	match 2026-03-24T10:00:00Z --amount 14520 --date 2026-03-24 --json >m5.json &&
	test "$(jq -r .invoice.number m5.json)" = "$(jq -r .number k5.json)" &&
	test "$(sqlite3 t.db "SELECT count(*) FROM document d JOIN orders o ON o.id = d.order_id WHERE o.order_no = '\''K-5'\'' AND d.kind = '\''invoice'\''")" = 1
'
test_expect_success 'no payment order beside it; its reference is its own' '
	test_must_fail 1 run 2026-03-23T10:00:00Z transfer-order K-4 2>err &&
	test_grep "has invoice $(jq -r .number k4.json), on credit terms" err &&
	order K4 bank_transfer | run 2026-03-23T09:00:00Z order add - >/dev/null &&
	test_must_fail 1 run 2026-03-23T10:00:00Z transfer-order K4 2>err &&
	test_grep "already used by $(jq -r .number k4.json)" err
'
test_expect_success 'a renewal states the period it covers' '
	consumer_order R-1 LT EUR 2026-04-01T10:00:00Z |
	    jq ".created_at = \"2026-04-01T09:00:00Z\" |
	      .lines[0].service_period = {\"from\": \"2026-04-01\", \"to\": \"2027-03-31\"}" >r1.json &&
	run 2026-04-01T10:00:00Z order add r1.json >/dev/null &&
	run 2026-04-01T10:00:00Z order add r1.json >again.out &&
	test_grep "0 orders stored, 1 already present unchanged" again.out &&
	run 2026-04-01T10:05:00Z issue R-1 --json >r1.out &&
	test "$(jq -c .lines[0].service_period r1.out)" = \
	    "{\"from\":\"2026-04-01\",\"to\":\"2027-03-31\"}" &&
	pdftotext "$(jq -r .path r1.out)" - | tr "\n" " " >r1.txt &&
	# a payer in Lithuania: bilingual, the line details in Lithuanian
	test_grep "Paslaugų laikotarpis: 2026 m. balandžio 1 d. – 2027 m. kovo 31 d." r1.txt &&
	jq ".order_no = \"R-2\" | .lines[0].service_period.to = \"2026-03-31\"" \
	    r1.json >r2.json &&
	test_must_fail 1 run 2026-04-01T10:00:00Z order add r2.json 2>err &&
	test_grep "service_period.to: 2026-03-31 is before from 2026-04-01" err
'
test_expect_success 'a document without VAT is no e-invoice' '
	jq ".receipt_series = \"ZLVA\" | .balance_series = \"ZLVB\" |
	    .valid_from = \"2026-05-01\"" "$TOP/samples/seller-2025.json" >s3.json &&
	sqlite3 t.db "UPDATE seller_profile SET valid_to = '\''2026-04-30'\'' WHERE valid_to IS NULL" &&
	run 2026-05-01T08:00:00Z seller add s3.json &&
	consumer_order U-1 LT EUR 2026-05-02T10:00:00Z |
	    jq ".created_at = \"2026-05-02T09:00:00Z\" | .lines[0].item = \"topup\"" |
	    run 2026-05-02T10:00:00Z order add - >/dev/null &&
	run 2026-05-02T10:05:00Z issue U-1 --json >u1.json &&
	test "$(jq -r .kind u1.json)" = prepayment_receipt &&
	test_must_fail 1 run 2026-05-02T10:05:00Z export ubl "$(jq -r .number u1.json)" \
	    -o x 2>err &&
	test_grep "a prepayment receipt is not an invoice" err
'
test_expect_success 'the database of the previous release migrates and verifies' '
	zcat "$TOP/tests/fixtures/v1-sample.sql.gz" | sqlite3 v1.db &&
	test "$(sqlite3 v1.db "PRAGMA user_version")" = 2 &&
	n=$(sqlite3 v1.db "SELECT count(*) || '\'' '\'' || sum(total_minor) FROM document") &&
	"$INVGEN" --db v1.db init >/dev/null &&
	"$INVGEN" --db v1.db verify --from 2020-01-01 --to 2030-12-31 >v.out &&
	test_grep " 0 problems" v.out &&
	test "$(sqlite3 v1.db "PRAGMA user_version")" = "$(latest_schema_version)" &&
	test "$(sqlite3 v1.db "PRAGMA integrity_check")" = ok &&
	test "$(sqlite3 v1.db "SELECT count(*) || '\'' '\'' || sum(total_minor) FROM document")" = "$n" &&
	test_must_fail sqlite3 v1.db "INSERT INTO number_series VALUES ('\''Q'\'', '\''bogus'\'', 0)" 2>err &&
	test_grep "CHECK constraint failed" err &&
	sqlite3 v1.db "INSERT INTO number_series VALUES ('\''Q'\'', '\''balance_use'\'', 0)" &&
	test "$(sqlite3 v1.db "SELECT sql LIKE '\''%PREPAID%'\'' FROM sqlite_master WHERE name = '\''document'\''")" = 1
'
test_done
