#!/bin/sh
# build.sh - issues the documents of the wording golden test
# (tests/cli/t0165-wording.sh): for each wording rule of layout version 2,
# a document in English, Lithuanian, Russian and Lithuanian-English, from
# orders.json and two seller profiles (the second, from 2026-06-01, makes
# every document bilingual with Lithuanian).  Each PDF is saved as
# DIR/NAME.pdf; `make samples` turns them into the golden NAME.txt files.
#
# usage: build.sh DIR INVGEN
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
invgen=$2
: "${INVGEN_DATA_DIR:=$(cd "$here/../../.." && pwd)}"
export INVGEN_DATA_DIR LC_ALL=C.UTF-8
unset INVGEN_NOW INVGEN_OUT_DIR
rm -rf "$dir"
mkdir -p "$dir"
db="$dir/wording.db"
run() { "$invgen" --db "$db" --out-dir "$dir/out" "$@"; }

run init >/dev/null
run seller add "$here/seller-a.json" >/dev/null
run seller add "$here/seller-b.json" >/dev/null
run order add "$here/orders.json" >/dev/null

# NAME NOW COMMAND...: make the document and keep its PDF as NAME.pdf.
doc() {
	name=$1 now=$2
	shift 2
	number=$(INVGEN_NOW=$now run "$@" |
	    sed -n 's/^issued.* \([A-Z][A-Z]*-[0-9][0-9]*\): .*/\1/p')
	mv "$dir/out/$number.pdf" "$dir/$name.pdf"
	echo "$number $name" >>"$dir/numbers"
}

# Advance payments to consumers in the Azores, invoiced the next morning:
# the date the advance was received, the region's rate.
doc advance-azores-en 2026-04-02T08:00:00Z issue W-AZ-en
doc advance-azores-lt 2026-04-03T08:00:00Z issue W-AZ-lt
doc advance-azores-ru 2026-04-04T08:00:00Z issue W-AZ-ru
doc advance-azores-lt-en 2026-04-05T08:00:00Z issue W-AZ-lten
# Reverse charge: no rate.
for l in en lt ru lten; do
	doc "reverse-charge-$(echo $l | sed 's/lten/lt-en/')" \
	    2026-04-06T18:00:00Z issue "W-RC-$l"
done
# The Canary Islands: in the EU, outside its VAT territory.
for l in en lt ru lten; do
	doc "canary-islands-$(echo $l | sed 's/lten/lt-en/')" \
	    2026-04-07T18:00:00Z issue "W-IC-$l"
done
# A third country.
doc third-country-en 2026-04-08T18:00:00Z issue W-US-en
doc third-country-lt 2026-04-08T18:00:00Z issue W-US-lt
# Payers in Lithuania: bilingual with Lithuanian; a language without a
# catalogue is wholly English (here too as the second language).
doc lithuania-ru 2026-04-09T18:00:00Z issue W-LT-ru
doc lithuania-de 2026-04-09T18:00:00Z issue W-LT-de
doc consumer-de 2026-04-09T18:00:00Z issue W-DE-de
doc madeira-en 2026-04-09T18:00:00Z issue W-MA-en
# The seller profile from 2026-06-01 makes every payer's bilingual.
doc lithuanian-for-all-ru 2026-06-02T12:00:00Z issue W-DE-ru
# Credit notes of the Azores invoices and of the Lithuanian-Russian one.
doc credit-note-en 2026-04-20T09:00:00Z credit ZLV-000001 --reason "Refund"
doc credit-note-lt 2026-04-20T09:00:00Z credit ZLV-000002 --reason "Grąžinimas"
doc credit-note-ru 2026-04-20T09:00:00Z credit ZLV-000003 --reason "Возврат"
doc credit-note-lt-en 2026-04-20T09:00:00Z credit ZLV-000004 \
    --reason "Grąžinimas / Refund"
doc credit-note-lt-ru 2026-04-20T09:00:00Z credit ZLV-000015 \
    --reason "Grąžinimas / Возврат" --amount 5000
rm -rf "$dir/out"
