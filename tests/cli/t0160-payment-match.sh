#!/bin/sh
# t0160-payment-match: booking bank-statement lines.  A statement date is
# a Lithuanian calendar day, valid all day (a 07:00 UTC run over today's
# statement, an order created at 16:30 UTC and paid that day); a date in
# the future or before the order's creation is refused naming --date;
# four processes booking the same reference at once: exactly one books,
# every other is told it is a duplicate (exit 1, the invoice number); a
# statement CSV that starts with a byte order mark is read; an amount in
# exponent notation is refused as such.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
# A bank-transfer order of consumer $1 created at $2.
bt_order() {
	consumer_order "$1" LT EUR null |
	    sed "s/\"card\"/\"bank_transfer\"/; s/2025-08-01T08:00:00Z/$2/"
}
po() {
	INVGEN_NOW=$1 "$INVGEN" --db t.db transfer-order "$2" --json >"$2.po" &&
	jq -r .reference "$2.po"
}
match() {
	now=$1
	shift
	INVGEN_NOW=$now "$INVGEN" --db t.db payment match "$@"
}

test_expect_success 'orders and their payment orders' '
	{ echo "["; bt_order B-1 2026-03-19T09:00:00Z; echo ",";
	  bt_order B-2 2026-03-20T16:30:00Z; echo ",";
	  bt_order B-3 2026-03-20T08:00:00Z; echo ",";
	  bt_order B-4 2026-03-20T08:00:00Z; echo ",";
	  bt_order B-5 2026-03-20T08:00:00Z; echo ",";
	  bt_order B-6 2026-03-20T08:00:00Z; echo "]"; } >orders.json &&
	"$INVGEN" --db t.db order add orders.json >/dev/null &&
	for o in B-1 B-3 B-4 B-5 B-6; do
		po 2026-03-20T08:30:00Z $o >$o.ref || exit 1
	done &&
	po 2026-03-20T16:40:00Z B-2 >B-2.ref
'
test_expect_success 'a run at 07:00 UTC books the day'"'"'s statement line' '
	match 2026-03-20T07:00:00Z --reference "$(cat B-1.ref)" \
	    --amount 14520 --currency EUR --date 2026-03-20 --json >m1.json &&
	test "$(jq -r .invoice.tax_point_date m1.json)" = 2026-03-20 &&
	test "$(jq -r .invoice.paid_at m1.json)" = 2026-03-19T22:00:00Z
'
test_expect_success 'an order created at 16:30 UTC and paid that day' '
	match 2026-03-20T19:00:00Z --reference "$(cat B-2.ref)" \
	    --amount 14520 --currency EUR --date 2026-03-20 --json >m2.json &&
	test "$(jq -r .invoice.tax_point_date m2.json)" = 2026-03-20 &&
	test "$(jq -r .invoice.paid_at m2.json)" = 2026-03-20T16:30:00Z
'
test_expect_success 'a date in the future or before the order names --date' '
	test_must_fail 1 match 2026-03-20T21:30:00Z --reference \
	    "$(cat B-3.ref)" --amount 14520 --currency EUR \
	    --date 2026-03-22 2>err &&
	test_grep "^invgen: --date: 2026-03-22 is in the future (today is 2026-03-20 in Lithuania)" err &&
	! grep -q paid_at err &&
	test_must_fail 1 match 2026-03-20T21:30:00Z --reference \
	    "$(cat B-3.ref)" --amount 14520 --currency EUR \
	    --date 2026-03-19 2>err &&
	test_grep "^invgen: --date: 2026-03-19 is before order B-3 was created" err &&
	test "$(sqlite3 t.db "SELECT paid_at IS NULL FROM orders WHERE order_no = '\''B-3'\''")" = 1
'
test_expect_success 'just after midnight in Vilnius (22:10 UTC) it is the next day' '
	match 2026-03-20T22:10:00Z --reference "$(cat B-3.ref)" \
	    --amount 14520 --currency EUR --date 2026-03-21 --json >m3.json &&
	test "$(jq -r .invoice.issue_date m3.json)" = 2026-03-21
'
test_expect_success 'four processes book one reference: one books, three are duplicates' '
	ref=$(cat B-4.ref) &&
	for p in 1 2 3 4; do
		( match 2026-03-21T09:00:00Z --reference "$ref" --amount 14520 \
		    --currency EUR --date 2026-03-21 >out.$p 2>err.$p
		  echo $? >rc.$p ) &
	done
	wait
	cat rc.* | sort | tr "\n" " " >rcs &&
	test "$(cat rcs)" = "0 1 1 1 " &&
	inv=$(sqlite3 t.db "SELECT d.number FROM document d JOIN orders o ON o.id = d.order_id WHERE o.order_no = '\''B-4'\'' AND d.kind = '\''invoice'\''") &&
	test -n "$inv" &&
	n=0 && for p in 1 2 3 4; do
		if [ "$(cat rc.$p)" = 1 ]; then
			test_grep "duplicate" err.$p &&
			test_grep "invoiced as $inv" err.$p || exit 1
			n=$((n + 1))
		fi
	done && test $n = 3
'
test_expect_success 'a statement starting with a byte order mark is read' '
	printf "\357\273\277date,amount,currency,reference\r\n2026-03-21,145.20,EUR,%s\r\n" \
	    "$(cat B-5.ref)" >bom.csv &&
	match 2026-03-21T09:00:00Z --csv bom.csv >bom.out &&
	test_grep "^line 2: matched" bom.out &&
	test_grep "^1 matched, 0 unmatched, 0 refused" bom.out
'
test_expect_success 'an amount in exponent notation is refused as such' '
	printf "date,amount,currency,reference\n2026-03-21,1.452e2,EUR,%s\n" \
	    "$(cat B-6.ref)" >exp.csv &&
	test_must_fail 1 match 2026-03-21T09:00:00Z --csv exp.csv >exp.out &&
	test_grep "^line 2: refused: amount: .1.452e2. is in exponent notation" exp.out &&
	test "$(sqlite3 t.db "SELECT paid_at IS NULL FROM orders WHERE order_no = '\''B-6'\''")" = 1
'
test_done
