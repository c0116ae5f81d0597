#!/bin/sh
# t0125-transfer-concurrency: 4 processes request payment orders for N
# unpaid bank-transfer orders each (40; ORDERS=250 for the full-scale run
# of earlier releases) at the same time, and request some of them again
# (a bot retrying): every order gets exactly one payment order, the
# numbers are 1..4N with no gap, no call fails (no
# "database is locked"), and each PDF is on disk once.
. "$(dirname "$0")/lib.sh"

P=4
N=${ORDERS:-40}
export INVGEN_NOW=2026-03-20T12:00:00Z
"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null

test_expect_success "store $((P * N)) unpaid bank-transfer orders" '
	{
		echo "["
		for p in $(seq 1 $P); do for i in $(seq 1 $N); do
			[ "$p$i" = 11 ] || echo ","
			consumer_order "T-$p-$i" LT EUR null |
			    sed "s/\"card\"/\"bank_transfer\"/; s/2025-08-01T08:00:00Z/2026-03-19T08:00:00Z/"
		done; done
		echo "]"
	} >orders.json &&
	"$INVGEN" --db t.db order add orders.json >out &&
	test_grep "^$((P * N)) orders stored" out
'
test_expect_success "$P processes request them at once, and again" '
	for p in $(seq 1 $P); do
		(
			for i in $(seq 1 $N); do
				"$INVGEN" --db t.db transfer-order "T-$p-$i" >/dev/null \
				    2>>"err.$p" || echo "T-$p-$i failed" >>"fail.$p"
				# every tenth: the bot asks again, and for a neighbour
				if [ $((i % 10)) = 0 ]; then
					"$INVGEN" --db t.db transfer-order "T-$p-$i" \
					    >/dev/null 2>>"err.$p" || echo "again T-$p-$i" >>"fail.$p"
					q=$((p % P + 1))
					"$INVGEN" --db t.db transfer-order "T-$q-$i" \
					    >/dev/null 2>>"err.$p" || echo "T-$q-$i" >>"fail.$p"
				fi
			done
		) &
	done
	wait
	cat err.* >all-err 2>/dev/null; cat fail.* >all-fail 2>/dev/null
	cat all-err all-fail
	test ! -s all-err && test ! -s all-fail
'
test_expect_success "numbers 1..$((P * N)): no gap, no duplicate; one per order" '
	sqlite3 t.db "SELECT seq FROM document WHERE kind = '\''transfer_order'\'' ORDER BY seq" >seqs &&
	seq 1 $((P * N)) >want && test_cmp want seqs &&
	test "$(sqlite3 t.db "SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM document d WHERE d.order_id = o.id AND d.kind = '\''transfer_order'\'') != 1")" = 0 &&
	test "$(sqlite3 t.db "SELECT count(DISTINCT payment_reference) FROM document")" = $((P * N))
'
test_expect_success 'every payment order PDF is there once, with its recorded hash' '
	test "$(ls documents | grep -c "\.pdf$")" = $((P * N)) &&
	! ls documents | grep -q "\.tmp\." &&
	"$INVGEN" --db t.db verify --from 2026-03-20 --to 2026-03-20 --archive documents >v.out &&
	test_grep "$((P * N)) documents, $((2 * P * N)) file checks ok, 0 problems" v.out
'
test_done
