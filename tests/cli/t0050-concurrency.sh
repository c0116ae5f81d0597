#!/bin/sh
# t0050-concurrency: 8 processes issue N orders each (30; ORDERS=200 for
# the full-scale run of earlier releases) at the same time against one
# database; the invoice numbers must be exactly 1..8N, with no gap, no
# duplicate and no failed call (no "database is locked").
. "$(dirname "$0")/lib.sh"

P=8
N=${ORDERS:-30}
export INVGEN_NOW=2025-12-01T12:00:00Z
"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null

test_expect_success "store $((P * N)) paid orders" '
	{
		echo "["
		for p in $(seq 1 $P); do for i in $(seq 1 $N); do
			[ "$p$i" = 11 ] || echo ","
			consumer_order "C-$p-$i" LT EUR 2025-11-20T10:00:00Z
		done; done
		echo "]"
	} >orders.json &&
	"$INVGEN" --db t.db order add orders.json >out &&
	test_grep "^$((P * N)) orders stored" out
'
test_expect_success "$P processes issue at once, each also retrying" '
	for p in $(seq 1 $P); do
		(
			for i in $(seq 1 $N); do
				"$INVGEN" --db t.db issue "C-$p-$i" >/dev/null 2>>"err.$p" ||
				echo "C-$p-$i failed" >>"fail.$p"
			done
			# a bot retries: every call returns the existing invoice
			for i in 1 2 3; do
				"$INVGEN" --db t.db issue "C-$p-$i" >/dev/null 2>>"err.$p" ||
				echo "retry C-$p-$i failed" >>"fail.$p"
			done
		) &
	done
	wait
	cat err.* >all-err 2>/dev/null; cat fail.* >all-fail 2>/dev/null
	test ! -s all-err && test ! -s all-fail
'
test_expect_success "numbers 1..$((P * N)): no gap, no duplicate" '
	sqlite3 t.db "SELECT seq FROM document WHERE kind = '\''invoice'\'' ORDER BY seq" >seqs &&
	seq 1 $((P * N)) >want &&
	test_cmp want seqs &&
	test "$(sqlite3 t.db "SELECT count(DISTINCT number) FROM document")" = $((P * N)) &&
	test "$(sqlite3 t.db "SELECT last_seq FROM number_series WHERE series = '\''ZLV'\''")" = $((P * N))
'
test_expect_success 'every order has exactly one invoice' '
	test "$(sqlite3 t.db "SELECT count(*) FROM orders o WHERE (SELECT count(*) FROM document d WHERE d.order_id = o.id) != 1")" = 0 &&
	test "$(sqlite3 t.db "PRAGMA integrity_check")" = ok
'
test_done
