#!/bin/sh
# build.sh - builds the sample database from samples/*.json and issues its
# documents, the way the bot would: the clock of each call is pinned
# (INVGEN_NOW) a few minutes after the payment, so the sample documents
# are the same on every run and every machine.
#
# usage: samples/build.sh DIR [INVGEN]
#   DIR     where sample.db and the rendered documents go (created):
#           DIR/pdf/NUMBER.pdf (as issued), DIR/ubl/NUMBER.ubl.xml,
#           DIR/cii/NUMBER.cii.xml, DIR/facturx/NUMBER.facturx.pdf
#           (exported)
#   INVGEN  the invgen binary (default build/rel/invgen)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
dir=$(cd "$1" && pwd)
invgen=${2:-$top/build/rel/invgen}
case $invgen in /*) ;; */*) invgen=$PWD/$invgen ;; esac
export INVGEN_DATA_DIR="$top" LC_ALL=C.UTF-8
unset INVGEN_NOW INVGEN_OUT_DIR
mkdir -p "$dir"
db="$dir/sample.db"
rm -rf "$db" "$db-wal" "$db-shm" "$dir/pdf" "$dir/ubl" "$dir/cii" "$dir/facturx"
run() { "$invgen" --db "$db" --out-dir "$dir/pdf" "$@"; }

run init >/dev/null
run seller add "$top/samples/seller-2020.json" >/dev/null
# The sample seller's logo, samples/logo.png, by its absolute path (a
# profile names its logo relative to the current directory).
sed 's|^ "email": "billing@sip.tg", "website": "https://sip.tg",$|&\
 "logo": "'"$top/samples/logo.png"'",|' "$top/samples/seller-2025.json" |
    run seller add - >/dev/null
run order add "$top/samples/orders.json" >/dev/null

# issue_paid FROM TO: issue every paid order with FROM <= paid_at < TO, in
# payment order (the file's), five minutes after it was paid; S-2026-0402,
# a bank transfer seen on the next morning's statement, the day after it
# was paid (its invoice shows the date the advance payment was received).
# The dates of a series never run backwards, so the orders of April are
# issued after March's termination and credit terms below.
issue_paid() {
	sed -n 's/^  "order_no": "\(.*\)",$/\1/p' "$top/samples/orders.json" |
	while read -r no; do
		paid=$(sed -n "/\"order_no\": \"$no\"/,/\"currency\"/s/^  \"paid_at\": \"\(.*\)\",$/\1/p" \
		    "$top/samples/orders.json")
		[ -n "$paid" ] || continue
		awk -v p="$paid" -v a="$1" -v b="$2" \
		    'BEGIN { exit !(p >= a && p < b) }' || continue
		if [ "$no" = S-2026-0402 ]; then
			now=2026-04-10T07:45:00Z
		else
			now=$(date -u -d "$paid 5 minutes" +%Y-%m-%dT%H:%M:%SZ)
		fi
		INVGEN_NOW=$now run issue "$no" >/dev/null || exit 1
	done
}
issue_paid 2000-01-01 2026-04-01

# Credit notes: a partial refund and a full one.
INVGEN_NOW=2025-10-15T09:00:00Z run credit ZLV-000003 \
    --reason "Refund of 3 unused months (goodwill)" --amount 2700 >/dev/null
INVGEN_NOW=2025-12-02T08:00:00Z run credit ZLV-000007 \
    --reason "Subscription cancelled within 14 days" >/dev/null

# Payment orders of the two unpaid bank-transfer orders.
INVGEN_NOW=2026-03-20T10:30:00Z run transfer-order S-2026-0305 >/dev/null
INVGEN_NOW=2026-03-25T16:45:00Z run transfer-order S-2026-0306 >/dev/null

# The termination of the 36-month subscription paid from the balance
# (ZLV-000017) after 12 months, the unused part credited to the balance:
# under the sample seller's policy (at_use) a credit note saying so.
INVGEN_NOW=2026-03-29T08:00:00Z run terminate ZLV-000017 --unused 15120 \
    --to balance --reason "Subscription terminated after 12 of 36 months" \
    >/dev/null

# Credit terms: a company's renewal invoiced before it pays.
INVGEN_NOW=2026-03-30T08:00:00Z run issue S-2026-0308 --due 2026-04-29 \
    >/dev/null

# April: an Azores consumer, the late bank transfer, payers who write in
# Devanagari, Thai, Bengali and Georgian.
issue_paid 2026-04-01 2026-05-01

# A credit note in Lithuanian, in Russian, and a Lithuanian-Russian one.
INVGEN_NOW=2026-04-15T09:00:00Z run credit ZLV-000001 \
    --reason "Grąžinimas už 2 nepanaudotus mėnesius" --amount 1800 >/dev/null
INVGEN_NOW=2026-04-16T09:00:00Z run credit ZLV-000006 \
    --reason "Возврат: отказ от подписки" >/dev/null
INVGEN_NOW=2026-04-17T09:00:00Z run credit ZLV-000017 \
    --reason "Grąžinimas / Возврат: 1 SIP paskyra" --amount 5000 >/dev/null

# The e-invoices of every invoice and credit note.
numbers=$(run list --kind invoice,credit_note | sed -n 's/^\([A-Z]*-[0-9]*\) .*/\1/p')
run export ubl $numbers -o "$dir/ubl" >/dev/null
run export cii $numbers -o "$dir/cii" >/dev/null
run export facturx $numbers -o "$dir/facturx" >/dev/null
