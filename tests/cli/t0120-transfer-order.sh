#!/bin/sh
# t0120-transfer-order: payment orders as the payer gets them at
# bank-transfer checkout.  The two unpaid bank-transfer sample orders
# (S-2026-0305, S-2026-0306) and a USD order get their payment orders;
# each PDF is rendered to PNG (pdftoppm) and its QR code decoded (zbarimg):
# in EUR the bytes equal the EPC069-12 payload computed here from the JSON
# answer and the seller's bank account, and every line is checked against
# the standard; in USD the code holds the same details as plain text
# (templates/README.md) and the page says the EPC code is for euro only.
# The text shows the reference and IBAN in groups of four, the page
# count is 1, and rendering again gives the same bytes.
. "$(dirname "$0")/lib.sh"

build_samples "$scratch/s" >/dev/null 2>build.err
db="$scratch/s/sample.db"
seller="$TOP/samples/seller-2025.json"
po() {
	INVGEN_NOW=2026-03-25T17:00:00Z "$INVGEN" --db "$db" --out-dir \
	    "$scratch/po" transfer-order "$@"
}
# The QR code of page 1 of a PDF, as raw bytes, into $2.
qr_of() {
	rm -f page-1.png &&
	pdftoppm -png -r 150 -f 1 -l 1 "$1" page &&
	zbarimg --quiet --raw --nodbus -Sbinary page-1.png >"$2"
}
# Line $1 of file $2 (no trailing newline needed).
line() { sed -n "${1}p" "$2"; }
nchars() { printf '%s' "$1" | wc -m | tr -d ' '; }
# A python that has python-stdnum (the Debian package is in the system
# python, which a pyenv or venv python3 earlier in PATH does not see).
py=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 &&
	    "$p" -c "import stdnum.iso11649" >/dev/null 2>&1; then
		py=$p
		break
	fi
done

test_expect_success 'the samples are built' '
	test -s "$db" && test ! -s build.err
'
test_expect_success 'payment orders of the two unpaid bank-transfer orders' '
	po S-2026-0305 --json >j0305.json &&
	po S-2026-0306 --json >j0306.json &&
	for o in 0305 0306; do
		test "$(jq -r .kind j$o.json)" = transfer_order &&
		test "$(jq -r .currency j$o.json)" = EUR &&
		test -s "$(jq -r .path j$o.json)" || exit 1
	done
'
test_expect_success 'a paid bank-transfer order or a card order gets none' '
	test_must_fail 1 po S-2026-0302 2>err &&
	test_grep "already paid" err &&
	test_must_fail 1 po S-2026-0303 2>err &&
	test_grep "only for bank_transfer" err
'
test_expect_success 'each fits on one page' '
	for o in 0305 0306; do
		pdfinfo "$(jq -r .path j$o.json)" >info &&
		test_grep "^Pages: *1$" info || exit 1
	done
'
# The EPC payload from the JSON answer (amount, reference) and the seller's
# bank account (IBAN without spaces, beneficiary, BIC), built here without
# invgen: BCD / 002 / 1 / SCT / BIC / name / IBAN / EURn.nn / purpose /
# reference, LF between lines, nothing after the reference.
test_expect_success 'the QR code holds exactly the EPC payload' '
	iban=$(jq -r ".bank.iban" "$seller" | tr -d " ") &&
	name=$(jq -r ".bank.beneficiary" "$seller") &&
	bic=$(jq -r ".bank.bic // empty" "$seller") &&
	for o in 0305 0306; do
		qr_of "$(jq -r .path j$o.json)" got$o.bin &&
		printf "BCD\n002\n1\nSCT\n%s\n%s\n%s\nEUR%s\n\n%s" "$bic" \
		    "$name" "$iban" "$(jq -r .total j$o.json)" \
		    "$(jq -r .reference j$o.json)" >want$o.bin &&
		cmp want$o.bin got$o.bin || exit 1
	done
'
test_expect_success 'every line follows EPC069-12 (version 002, UTF-8, SCT)' '
	for o in 0305 0306; do
		f=got$o.bin
		# 10 lines: 9 LFs and no LF after the last element.
		test "$(tr -cd "\n" <$f | wc -c)" -eq 9 &&
		test "$(tail -c 1 $f | od -An -c | tr -d " ")" != "\n" &&
		test "$(wc -c <$f)" -le 331 &&
		test "$(line 1 $f)" = BCD &&
		test "$(line 2 $f)" = 002 &&
		test "$(line 3 $f)" = 1 &&
		test "$(line 4 $f)" = SCT || { echo "$o: lines 1-4"; exit 1; }
		bic=$(line 5 $f)
		[ -z "$bic" ] || printf "%s" "$bic" |
		    grep -Eqx "[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?" ||
		    { echo "$o: BIC $bic"; exit 1; }
		name=$(line 6 $f)
		n=$(nchars "$name")
		[ "$n" -ge 1 ] && [ "$n" -le 70 ] ||
		    { echo "$o: name of $n characters"; exit 1; }
		iban=$(line 7 $f)
		printf "%s" "$iban" |
		    grep -Eqx "[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}" ||
		    { echo "$o: IBAN $iban"; exit 1; }
		amount=$(line 8 $f)
		printf "%s" "$amount" | grep -Eqx "EUR[0-9]{1,9}\.[0-9]{2}" &&
		[ "$amount" != EUR0.00 ] ||
		    { echo "$o: amount $amount"; exit 1; }
		test "${amount#EUR}" = "$(jq -r .total j$o.json)" &&
		test -z "$(line 9 $f)" || { echo "$o: purpose"; exit 1; }
		ref=$(line 10 $f)
		printf "%s" "$ref" | grep -Eqx "RF[0-9]{2}[A-Z0-9]{1,21}" &&
		[ "$(nchars "$ref")" -le 35 ] &&
		test "$ref" = "$(jq -r .reference j$o.json)" ||
		    { echo "$o: reference $ref"; exit 1; }
		test -z "$(line 11 $f)" || { echo "$o: line 11"; exit 1; }
		# The check digits, by python-stdnum when it is installed.
		[ -z "$py" ] || "$py" -c "import sys
from stdnum import iban, iso11649
sys.exit(not iban.is_valid(sys.argv[1]) or
    not iso11649.is_valid(sys.argv[2]))" "$iban" "$ref" ||
		    { echo "$o: check digits"; exit 1; }
	done
'
test_expect_success 'the text shows the reference and IBAN in groups of four' '
	for o in 0305 0306; do
		pdftotext "$(jq -r .path j$o.json)" t$o.txt &&
		test_grep "$(jq -r .reference_formatted j$o.json)" t$o.txt &&
		test_grep "LT12 1000 0111 0100 1000" t$o.txt &&
		test_grep "$(jq -r .number j$o.json)" t$o.txt &&
		test_grep "S-2026-$o" t$o.txt || exit 1
	done &&
	test_grep "This document is not a VAT invoice." t0305.txt &&
	test_grep "Proforma invoice" t0305.txt &&
	test_grep "Scan to pay with your banking app" t0305.txt &&
	test_grep "Šis dokumentas nėra PVM sąskaita faktūra." t0306.txt &&
	test_grep "Išankstinė sąskaita" t0306.txt
'
test_expect_success 'rendering again gives the same bytes' '
	n=$(jq -r .number j0306.json) &&
	"$INVGEN" --db "$db" render "$n" -o r1.pdf &&
	"$INVGEN" --db "$db" render "$n" -o r2.pdf &&
	cmp r1.pdf r2.pdf &&
	cmp r1.pdf "$(jq -r .path j0306.json)"
'
test_expect_success 'asking again returns the same payment order' '
	po S-2026-0306 --json >again.json &&
	test "$(jq -r .existed again.json)" = true &&
	test "$(jq -r .number again.json)" = "$(jq -r .number j0306.json)" &&
	test "$(jq -r .sha256 again.json)" = "$(jq -r .sha256 j0306.json)"
'
# Temporary files are PATH.tmp.000000 .. .000015 (gen/app/files.c): a writer
# takes the first slot no live writer holds, clearing a killed writer's
# file there, and once its file is published clears the abandoned slots
# of its path by name, without reading the folder (a bot's folder holds
# every payment order ever made).  A slot a live writer holds (its flock)
# and other documents' temporary files are left alone.
test_expect_success 'a missing file is written again past abandoned and locked temporaries' '
	pdf=$(jq -r .path j0305.json) &&
	rm "$pdf" &&
	echo killed >"$pdf.tmp.000000" &&
	echo killed >"$pdf.tmp.000003" &&
	echo other >"$scratch/po/ZLVM-999999.pdf.tmp.000000" &&
	rm -f locked &&
	{ flock -o "$pdf.tmp.000001" sh -c "touch locked; exec sleep 20" & } &&
	holder=$! && i=0 &&
	while [ ! -e locked ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
	po S-2026-0305 --json >again.json
	st=$?
	kill $holder 2>/dev/null
	test $st = 0 &&
	test "$(jq -r .existed again.json)" = true &&
	test "$(sha256sum <"$pdf" | cut -d" " -f1)" = \
	    "$(jq -r .sha256 j0305.json)" &&
	test ! -e "$pdf.tmp.000000" && test ! -e "$pdf.tmp.000003" &&
	test -e "$pdf.tmp.000001" &&
	test -e "$scratch/po/ZLVM-999999.pdf.tmp.000000" &&
	rm "$pdf.tmp.000001" "$scratch/po/ZLVM-999999.pdf.tmp.000000"
'
test_expect_success 'publishing a file reads no directory (strace)' '
	if ! command -v strace >/dev/null 2>&1 ||
	    ! strace -qq -o /dev/null true 2>/dev/null; then
		skip "strace is not available here (ptrace must be allowed)"
		exit 0
	fi
	pdf=$(jq -r .path j0306.json) &&
	rm "$pdf" &&
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	    strace -f -qq -o calls -e trace=getdents64,getdents,rename \
	    "$INVGEN" --db "$db" --out-dir "$scratch/po" transfer-order \
	    S-2026-0306 >/dev/null &&
	test -s "$pdf" && test_grep "rename" calls &&
	! grep getdents calls
'
test_expect_success 'a USD order: the details as plain text, EPC is euro only' '
	cat >usd.json <<-\JSON &&
	{"order_no": "T-USD-0120", "created_at": "2026-03-25T16:00:00Z",
	 "currency": "USD", "payment_method": "bank_transfer", "language": "en",
	 "payer": {"telegram_id": 9120, "name": "Acme Telephony Inc.",
	   "address": {"line1": "500 Market Street", "city": "San Francisco",
	     "postal_code": "94105", "region": "CA"},
	   "country": "US", "is_business": true,
	   "evidence": {"card_country": "US", "ip_country": "US"}},
	 "customer": {"telegram_id": 9121, "username": "@acme"},
	 "lines": [{"item": "gateway", "description": "Gateway subscription",
	   "period_months": 12, "quantity": 1, "unit_price_minor": 24000,
	   "discount_percent": 10}]}
	JSON
	"$INVGEN" --db "$db" order add usd.json >/dev/null &&
	po T-USD-0120 --json >jusd.json &&
	test "$(jq -r .currency jusd.json)" = USD &&
	f=$(jq -r .path jusd.json) &&
	pdfinfo "$f" >info && test_grep "^Pages: *1$" info &&
	qr_of "$f" gotusd.bin &&
	printf "IBAN: %s\nBeneficiary: %s\nAmount: %s USD\nReference: %s" \
	    "$(jq -r ".bank.iban" "$seller" | tr -d " ")" \
	    "$(jq -r ".bank.beneficiary" "$seller")" \
	    "$(jq -r .total jusd.json)" "$(jq -r .reference jusd.json)" \
	    >wantusd.bin &&
	cmp wantusd.bin gotusd.bin &&
	! grep -q "^BCD" gotusd.bin &&
	pdftotext "$f" - | tr "\n" " " >tusd.txt &&
	test_grep "The EPC QR code works for payments in euro only." tusd.txt &&
	test_grep "The QR code contains the payment details." tusd.txt &&
	test_grep "$(jq -r .reference_formatted jusd.json)" tusd.txt &&
	! grep -q "Scan to pay" tusd.txt
'
test_expect_success 'EUR payment orders carry no EUR-only note' '
	! grep -q "euro only" t0305.txt &&
	! grep -q "tik mokėjimams eurais" t0306.txt
'
test_done
