#!/bin/sh
# t0100-hostile-paths: order numbers, series, number formats and document
# numbers that look like paths or device names.  What could
# name a file outside the output directory is refused naming the field;
# what is accepted never puts a file outside the output directory, and a
# planted symlink in the output directory is replaced, not followed.
# Number formats that give non-portable or colliding file names are known
# gaps.
hostile_lib=$(cd "$(dirname "$0")" && pwd)/hostile-lib.sh
. "$(dirname "$0")/lib.sh"
. "$hostile_lib"

hostile_db t.db
out="$scratch/out"
mkdir -p "$out"

# Order numbers: refused ones.
while read -r no; do
	test_expect_success "refused: order_no '$no'" "
		order_json x --arg o '$no' '.order_no = \$o' >bad.json &&
		must_refuse t.db bad.json 'order_no: .* is not allowed; use 1 to 64 letters A-Z a-z, digits and - _ / . (not first)'
	"
done <<'CASES'
../../etc/x
/
/etc/passwd
.
..
.hidden
-rf
_x
A\B
A B
x;rm -rf ~
$(id)
%s%n
A:B
C:\x
Å-1
x*
CASES
test_expect_success 'refused: a 65-character order_no, naming the limit' '
	order_json x --arg o "$(head -c 65 /dev/zero | tr "\0" x)" ".order_no = \$o" >bad.json &&
	must_refuse t.db bad.json "order_no: 65 characters; allowed 1 to 64"
'

# new_files: the files below $scratch that were not in files.before
# (written by `find_files >files.before`), less the test's own.
find_files() {
	find "$scratch" -type f ! -name "*.json" ! -name "*.out" \
	    ! -name "t.db*" ! -name "out.*" ! -name err ! -name "files.*" |
	    sort
}
new_files() {
	find_files | comm -13 files.before -
}

# Accepted order numbers that look like paths or devices: the order
# number is never a file name, so every file lands in the output dir.
test_expect_success 'path-like and device-like order numbers: every file lands in the output directory' '
	find_files >files.before &&
	for no in con CON NUL aux a/../../../../tmp/invgen-escape x/ \
	    "a/./b" "b/../../$(basename "$scratch")-escape"; do
		order_json x --arg o "$no" ".order_no = \$o" >p.json &&
		"$INVGEN" --db t.db order add p.json >/dev/null &&
		"$INVGEN" --db t.db --out-dir "$out" issue "$no" --json >p.out &&
		test "$(jq -r .order_no p.out)" = "$no" &&
		num=$(jq -r .number p.out) &&
		"$INVGEN" --db t.db export ubl "$num" -o "$out" >/dev/null &&
		"$INVGEN" --db t.db export cii "$num" -o "$out" >/dev/null || exit 1
	done &&
	test ! -e /tmp/invgen-escape && test ! -e "$scratch/../$(basename "$scratch")-escape" &&
	new_files >files.new &&
	! grep -v "^$out/[^/]*$" files.new &&
	! grep -v "\.pdf$\|\.ubl\.xml$\|\.cii\.xml$" files.new &&
	test "$(grep -c "\.ubl\.xml$" files.new)" = 8
'
test_expect_success 'a payment order for a path-like order number stays in the output directory' '
	consumer_order "t/../../../../tmp/invgen-escape2" DE EUR null |
	    sed "s/\"card\"/\"bank_transfer\"/" >t.json &&
	"$INVGEN" --db t.db order add t.json >/dev/null &&
	find_files >files.before &&
	"$INVGEN" --db t.db --out-dir "$out" transfer-order "t/../../../../tmp/invgen-escape2" --json >t.out &&
	pdf=$(pdf_of t.out) && test "$(dirname "$pdf")" = "$out" &&
	test ! -e /tmp/invgen-escape2 &&
	new_files >files.new && test -s files.new &&
	! grep -v "^$out/[^/]*$" files.new
'
test_expect_success 'export of a path-like document number is "not found", nothing written' '
	for doc in ../../etc/passwd /etc/passwd ZLV-000001/../../x ""; do
		test_must_fail 1 "$INVGEN" --db t.db export ubl "$doc" -o "$out/e" 2>err &&
		test_grep "no document\|not found\|number" err || exit 1
	done &&
	test ! -e "$out/e"
'
# Issuing replaces a link planted in its output folder; an export (a
# target its caller names) refuses one, exit 1, and writes nothing.
test_expect_success 'a symlink planted where a file will go is never followed' '
	echo precious >victim &&
	order_json S-1 . >s.json &&
	"$INVGEN" --db t.db order add s.json >/dev/null &&
	next=$(sqlite3 t.db "SELECT last_seq + 1 FROM number_series WHERE series = '\''ZLV'\''") &&
	num=$(printf "ZLV-%06d" "$next") &&
	ln -s "$scratch/victim" "$out/$num.pdf" &&
	ln -s "$scratch/victim" "$out/$num.ubl.xml" &&
	"$INVGEN" --db t.db --out-dir "$out" issue S-1 --json >s.out &&
	test "$(jq -r .number s.out)" = "$num" &&
	test_must_fail 1 "$INVGEN" --db t.db export ubl "$num" -o "$out" \
	    >/dev/null 2>link.err &&
	test_grep "$num.ubl.xml: is a symbolic link" link.err &&
	test "$(cat victim)" = precious && test -L "$out/$num.ubl.xml" &&
	rm "$out/$num.ubl.xml" &&
	"$INVGEN" --db t.db export ubl "$num" -o "$out" >/dev/null &&
	test "$(cat victim)" = precious &&
	test ! -L "$out/$num.ubl.xml" &&
	xmllint --noout "$out/$num.ubl.xml" &&
	test "$(pdf_of s.out)" = "$out/$num.pdf" && test ! -L "$out/$num.pdf"
'

# Seller profiles: series and number formats become file names.
# s JQ_ARGS...: the sample 2025 seller profile changed by jq; seller_db
# DB: a database without seller profiles.
s() { jq "$@" "$TOP/samples/seller-2025.json"; }
seller_db() { rm -f "$1" && "$INVGEN" --db "$1" init >/dev/null; }
while IFS='|' read -r filter fragment; do
	test_expect_success "seller refused: $filter" "
		seller_db s.db &&
		s '$filter' >bad.json &&
		sum=\$(db_sum s.db) &&
		test_must_fail 1 \"\$INVGEN\" --db s.db seller add bad.json 2>err &&
		test_grep \"$fragment\" err &&
		test \"\$(db_sum s.db)\" = \"\$sum\"
	"
done <<'CASES'
.invoice_series = "../../etc/x"|invoice_series: .../../etc/x. is not allowed; use 1 to 16 upper-case letters A-Z and digits
.invoice_series = "/"|invoice_series: ./. is not allowed
.invoice_series = "con"|invoice_series: .con. is not allowed
.credit_series = "A/B"|credit_series: .A/B. is not allowed
.transfer_series = ".."|transfer_series: .\.\.. is not allowed
.invoice_series = ""|invoice_series: 0 characters
.invoice_series = "ABCDEFGHIJKLMNOPQ"|invoice_series: 17 characters; allowed 1 to 16
.number_format = "{series}/{seq}"|number_format: .{series}/{seq}. gives .ZLV/1.; numbers become file names
.number_format = "../{series}{seq}"|number_format: .../{series}{seq}. gives .../ZLV1.
.number_format = ".{series}{seq}"|number_format: ..{series}{seq}. gives ..ZLV1.
.number_format = "{series}\\{seq}"|number_format: .* gives .ZLV.1.; numbers become file names
.number_format = "{series} {seq}"|number_format: .{series} {seq}. gives .ZLV 1.
.number_format = "{series}"|number_format: .{series}. is not allowed; use text with {series} and {seq}
.number_format = "CON"|number_format: .CON. is not allowed
.number_format = "{series}-{seq:19}"|number_format: .{series}-{seq:19}. is not allowed
.number_format = "{series}{seq}\u0000"|number_format: control character U+0000
.number_format = "{series}\u000a{seq}"|number_format: control character U+000A
CASES

test_expect_success 'series CON: the file is CON1.pdf inside the output directory' '
	seller_db c.db &&
	s ".invoice_series = \"CON\" | .number_format = \"{series}{seq}\"" >con.json &&
	"$INVGEN" --db c.db seller add con.json >/dev/null &&
	order_json C-1 . >c.json &&
	"$INVGEN" --db c.db order add c.json >/dev/null &&
	"$INVGEN" --db c.db --out-dir "$out/c" issue C-1 --json >c.out &&
	test "$(jq -r .number c.out)" = CON1 &&
	test "$(pdf_of c.out)" = "$out/c/CON1.pdf"
'
test_expect_success 'number formats that give non-portable file names (: * ? | " < > and a leading -) are refused' '
	for f in "{series}:{seq}" "{series}*?|{seq}" "{series}\"<>{seq}" "-{seq}" "~{seq}"; do
		seller_db f.db &&
		s --arg f "$f" ".number_format = \$f" >f.json &&
		test_must_fail 1 "$INVGEN" --db f.db seller add f.json 2>err &&
		test_grep "number_format" err || exit 1
	done
'
test_expect_success 'series whose numbers can collide (A and A1 with {series}{seq}) are refused' '
	seller_db a.db &&
	s ".invoice_series = \"A\" | .credit_series = \"A1\" | .number_format = \"{series}{seq}\"" >a.json &&
	test_must_fail 1 "$INVGEN" --db a.db seller add a.json 2>err &&
	test_grep "series" err
'
test_expect_success 'a number format without {series} is refused (kinds would share numbers)' '
	seller_db o.db &&
	s ".number_format = \"{seq}\"" >o.json &&
	test_must_fail 1 "$INVGEN" --db o.db seller add o.json 2>err &&
	test_grep "has no {series}" err
'
test_expect_success 'one-character order and document numbers lay out and issue' '
	seller_db q.db &&
	s ".number_format = \"{series}{seq}\" | .invoice_series = \"A\" | .credit_series = \"B\" | .transfer_series = \"C\"" >q.json &&
	"$INVGEN" --db q.db seller add q.json >/dev/null &&
	order_json 7 . >q1.json &&
	"$INVGEN" --db q.db order add q1.json >/dev/null &&
	"$INVGEN" --db q.db --out-dir "$out/q" issue 7 --json >q.out &&
	test "$(jq -r .number q.out)" = A1 && test -f "$out/q/A1.pdf"
'
test_done
