#!/bin/sh
# t0200-json: --json everywhere or nowhere.  Every command that reports
# something prints JSON with --json that jq parses and that has the shape
# README "JSON output" documents (checked here member by member); a
# command without a JSON form refuses --json with exit 2; with --json an
# error is one JSON object on stderr (kind, field, option, message,
# exit_status) and the exit status is the same as without.  The kinds of
# documents are spelled as stored.  Run on the sample database.
. "$(dirname "$0")/lib.sh"

build_samples "$scratch/s" >/dev/null 2>build.err
db="$scratch/s/sample.db"
# The samples' documents, counted once, before any read is tested.
ndocs=$(sqlite3 "$db" "SELECT count(*) FROM document")
export INVGEN_NOW=2026-04-20T10:00:00Z
run() { "$INVGEN" --db "$db" --out-dir "$scratch/docs" "$@"; }
# shape FILE EXPR: FILE is one JSON value (jq parses it whole) for which
# EXPR is true.
shape() {
	jq -e -s "length == 1 and (.[0] | $2)" "$1" >/dev/null ||
	{ echo "shape of $1: $2" >&2; head -c 600 "$1" >&2; echo >&2; false; }
}
# The members of a document (README "JSON output"), with "existed" or
# without it.
doc='(has("number") and has("kind") and has("series") and has("seq") and
    has("order_no") and has("issue_date") and has("tax_point_date") and
    has("language") and has("currency") and has("currency_digits") and
    has("net_minor") and has("net") and has("vat_minor") and has("vat") and
    has("total_minor") and has("total") and has("treatment") and
    has("category") and has("rate") and has("layout_version") and
    has("seller") and has("payer") and has("customer") and has("lines") and
    has("vat_breakdown") and (.kind | IN("invoice", "credit_note",
    "transfer_order", "prepayment_receipt", "balance_use")) and
    (.total_minor | type == "number") and (.total | type == "string"))'
issued="($doc and (.existed | type == \"boolean\") and
    (.files | length) >= 1 and (.path | type == \"string\") and
    (.sha256 | test(\"^[0-9a-f]{64}$\")))"
# err FILE KIND STATUS: FILE is one JSON error object of that kind and
# exit status.
err() {
	shape "$1" "(keys == [\"exit_status\", \"field\", \"kind\", \"message\",
	    \"option\"]) and .kind == \"$2\" and .exit_status == $3 and
	    (.message | type == \"string\")"
}

test_expect_success 'samples build' '
	test -s "$db" && test ! -s build.err
'
test_expect_success 'init: the database path, escaped; its schema version' '
	"$INVGEN" --db "we\"ird\\\\.db" init --json >i.json &&
	shape i.json "keys == [\"database\", \"schema_version\"] and
	    .database == \"we\\\"ird\\\\\\\\.db\" and
	    .schema_version == $(latest_schema_version)" &&
	"$INVGEN" --db "we\"ird\\\\.db" init >i.txt &&
	test_grep "^database ready: we\"ird\\\\\\\\.db$" i.txt
'
test_expect_success 'seller add, seller list, seller show, order add, order paid' '
	"$INVGEN" --db j.db init >/dev/null &&
	"$INVGEN" --db j.db seller add "$TOP/samples/seller-2025.json" --json >sa.json &&
	shape sa.json "keys == [\"id\"] and .id == 1" &&
	"$INVGEN" --db j.db seller list --json >sl.json &&
	shape sl.json "length == 1 and (.[0] | .id == 1 and .valid_from ==
	    \"2025-07-09\" and .open == true and .last_document == null and
	    .bank.iban == \"LT121000011101001000\")" &&
	"$INVGEN" --db j.db seller show 1 --json >ss.json &&
	shape ss.json ".id == 1 and .invoice_series == \"ZLV\" and
	    .balance_vat_policy == \"at_use\"" &&
	consumer_order J-1 LT EUR null >o.json &&
	"$INVGEN" --db j.db order add o.json --json >oa.json &&
	shape oa.json "keys == [\"stored\", \"unchanged\"] and .stored == 1" &&
	"$INVGEN" --db j.db order paid J-1 --at 2025-08-02T10:00:00Z --json >op.json &&
	shape op.json "keys == [\"order_no\", \"paid_at\"] and .order_no == \"J-1\""
'
test_expect_success 'issue, show and list: documents, kinds as stored' '
	"$INVGEN" --db j.db issue J-1 --json >is.json &&
	shape is.json "$issued and .existed == false and .kind == \"invoice\"" &&
	"$INVGEN" --db j.db issue J-1 --json >is2.json &&
	shape is2.json ".existed == true" &&
	run show ZLV-000001 --json >sh.json &&
	shape sh.json "$doc and (has(\"existed\") | not) and
	    (.files[0] | keys == [\"format\", \"path\", \"sha256\", \"size\"])" &&
	run show ZLVM-000001 --json >shm.json &&
	shape shm.json "$doc and .kind == \"transfer_order\" and
	    (.amount | type == \"string\") and .amount_minor == 21600 and
	    (.reference | test(\"^RF\"))" &&
	run list --json >l.json &&
	shape l.json "length == $ndocs and all(.[]; $doc and (has(\"files\") | not)
	    and (has(\"existed\") | not))" &&
	jq -r ".[].kind" l.json | sort -u | tr "\n" " " >kinds &&
	printf "credit_note invoice prepayment_receipt transfer_order " >want &&
	test_cmp want kinds &&
	run list --kind credit_note,prepayment_receipt --json >lk.json &&
	shape lk.json "length == 7" &&
	run list | sed -n "s/^[A-Z]*-[0-9]* *\([a-z_]*\) .*/\1/p" | sort -u |
	    tr "\n" " " >kinds && test_cmp want kinds
'
test_expect_success 'a kind not spelled as stored is a usage error' '
	for k in credit order receipt credit-note transfer-order; do
		test_must_fail 2 run list --kind $k 2>e &&
		test_grep "^invgen: --kind: .$k. is not allowed; allowed: invoice, credit_note, transfer_order, prepayment_receipt, balance_use" e &&
		test_must_fail 2 run list --kind $k --json 2>e.json &&
		err e.json usage 2 && shape e.json ".field == \"kind\" and
		    .option == \"--kind\"" || exit 1
	done
'
test_expect_success 'credit, transfer-order, payment match, terminate, refund' '
	run credit ZLV-000020 --reason "Goodwill" --amount 500 --json >c.json &&
	shape c.json "$issued and .kind == \"credit_note\" and
	    .corrects == \"ZLV-000020\" and .reason == \"Goodwill\"" &&
	run transfer-order S-2026-0306 --json >t.json &&
	shape t.json "$issued and .existed == true and .number == \"ZLVM-000002\"
	    and (.amount | type == \"string\") and (.due_date | type == \"string\")
	    and (.reference_formatted | type == \"string\")" &&
	ref=$(jq -r .reference t.json) &&
	run payment match --reference "$ref" --amount 13068 --currency EUR \
	    --date 2026-04-20 --json >p.json &&
	shape p.json "keys == [\"invoice\", \"left_minor\", \"order_no\",
	    \"overpaid_minor\", \"paid_minor\", \"payment_order\", \"reference\"]
	    and .payment_order == \"ZLVM-000002\" and .paid_minor == 13068 and
	    (.invoice | $issued and .kind == \"invoice\")" &&
	printf "date,amount,currency,reference\n2026-04-20,1.00,EUR,RF18539007547034\n" >st.csv &&
	test_must_fail 1 run payment match --csv st.csv --json >pc.json 2>pc.err &&
	shape pc.json "keys == [\"lines\", \"matched\", \"refused\", \"unmatched\"]
	    and .unmatched == 1 and .lines[0].status == \"unmatched\"" &&
	err pc.err input 1 &&
	run terminate ZLV-000021 --unused 1000 --to refund --reason "Ended" \
	    --json >te.json &&
	shape te.json "keys == [\"documents\"] and (.documents | length == 1) and
	    (.documents[0] | $issued and .kind == \"credit_note\" and
	    .credit_to == \"refund\")" &&
	run refund --draw ZLVA-000001=1000 --reason "Back" --json >rf.json &&
	shape rf.json "(.documents | length == 1) and (.documents[0] | $issued
	    and .kind == \"prepayment_receipt\" and (.draws | length == 1))"
'
test_expect_success 'explain, render, export, export isaf' '
	run explain S-2025-0203 --json >ex.json &&
	shape ex.json ".order_no == \"S-2025-0203\" and .paid == true and
	    (.treatment | type == \"string\") and (.rule | type == \"string\") and
	    (.explanation | type == \"string\") and
	    (.issued_as | type == \"string\")" &&
	run render ZLV-000001 -o r.pdf --json >rd.json &&
	shape rd.json "keys == [\"format\", \"number\", \"path\", \"sha256\", \"size\"]
	    and .path == \"r.pdf\" and .format == \"pdf\"" &&
	run export ubl ZLV-000001 ZLV-000002 -o x --json >eu.json &&
	shape eu.json "keys == [\"files\"] and (.files | length == 2) and
	    (.files[1].path == \"x/ZLV-000002.ubl.xml\")" &&
	run export isaf --month 2025-09 -o i.xml --json >ei.json &&
	shape ei.json ".month == \"2025-09\" and .path == \"i.xml\" and
	    .xml == null and .size > 0" &&
	run export isaf --month 2025-09 --json >ei2.json &&
	shape ei2.json ".path == null and (.xml | startswith(\"<?xml\"))"
'
test_expect_success 'reports: oss, sales, vat-return, ec-sales, unpaid' '
	run report oss --quarter 2025Q4 --json >ro.json &&
	shape ro.json ".quarter == \"2025Q4\" and (.supplies | length > 0) and
	    (.supplies[0] | has(\"member_state\") and has(\"rate\") and
	    has(\"taxable_eur\") and has(\"vat_eur\")) and
	    (.supplies_total.vat_eur | type == \"number\") and
	    (.corrections | type == \"array\") and
	    (.exchange_rates | type == \"array\") and
	    (.conversions | type == \"array\")" &&
	run report sales --by country --json >rs.json &&
	shape rs.json ".by == \"country\" and (.groups[0] | has(\"group\") and
	    has(\"currency\") and has(\"documents\") and has(\"net\") and
	    has(\"vat\") and has(\"total\") and has(\"vat_eur\")) and
	    (.totals | length > 0)" &&
	run report vat-return --month 2025-09 --json >rv.json &&
	shape rv.json "type == \"object\"" &&
	run report ec-sales --month 2025-09 --json >rc.json &&
	shape rc.json "type == \"object\"" &&
	run report unpaid --json >ru.json &&
	shape ru.json ".as_of == \"2026-04-20\" and (.invoices | length == 1) and
	    (.invoices[0] | .number == \"ZLV-000019\" and .days_overdue == 0 and
	    .left_minor == 58080)" &&
	test_must_fail 2 run report unpaid --csv --json 2>e.json && err e.json usage 2
'
test_expect_success 'verify, batch, rates status, order list, order show' '
	run verify ZLV-000001 --json >v.json &&
	shape v.json ".documents == 1 and .file_checks_ok >= 1 and
	    .problem_count == 0 and .problems == [] and
	    (.chains | length == 5) and (.chains[0] | keys == [\"documents\",
	    \"file_hashes\", \"head\", \"links\", \"series\"]) and .anchors == []" &&
	run batch --from 2025-08-01 --to 2025-08-31 --out b --json >b.json &&
	shape b.json ".documents == 2 and .written == 2 and .errors == 0 and
	    .problems == [] and (.manifest | endswith(\"manifest.csv\"))" &&
	run rates status --currency USD --json >rt.json &&
	shape rt.json ".currencies[0].currency == \"USD\"" &&
	run order list --unpaid --json >ol.json &&
	shape ol.json "length == 2 and all(.[]; .status == \"unpaid\") and
	    (.[0].awaiting | .kind == \"transfer_order\" and .past_due == true)" &&
	run order show S-2026-0308 --json >os.json &&
	shape os.json ".order.order_no == \"S-2026-0308\" and .status == \"unpaid\"
	    and .awaiting.kind == \"invoice\" and .awaiting.past_due == false and
	    .documents[0].number == \"ZLV-000019\""
'
test_expect_success 'help and serve have no JSON form: --json is exit 2' '
	for c in help serve; do
		test_must_fail 2 run $c --json >out 2>e.json &&
		test ! -s out && err e.json usage 2 || exit 1
	done
'
test_expect_success 'errors under --json are JSON on stderr, nothing on stdout' '
	test_must_fail 1 run issue NOPE --json >out 2>e1 &&
	test ! -s out && err e1 not_found 1 &&
	test_must_fail 2 run credit ZLV-000001 --json >out 2>e2 &&
	err e2 usage 2 && shape e2 ".field == \"reason\" and .option == \"--reason\"" &&
	test_must_fail 1 run payment match --reference RF04T1 --amount 1 \
	    --currency EUR --date 2026-04-22 --json 2>e3 &&
	err e3 input 1 &&
	shape e3 ".field == \"date\" and .option == \"--date\" and
	    (.message | startswith(\"--date: 2026-04-22 is in the future\"))" &&
	test_must_fail 3 "$INVGEN" --db nowhere.db list --json 2>e4 &&
	err e4 io 3 && shape e4 ".field == \"database\" and
	    (.message | test(\"invgen init\"))" &&
	test_must_fail 2 run frobnicate --json 2>e5 && err e5 usage 2 &&
	test_must_fail 2 run list --frob --json 2>e6 && err e6 usage 2 &&
	test_must_fail 1 run show NOPE 2>t1 && test_grep "^invgen: " t1
'
test_done
