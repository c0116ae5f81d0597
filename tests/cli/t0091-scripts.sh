#!/bin/sh
# t0091-scripts: any script for real, on the payer's paper (layout
# version 2).  pdftotext gives back the payer's name exactly in sixteen
# scripts, wrapped lines joined; a word longer than its box is never cut;
# Devanagari words carry their text as ActualText; a Chinese name in bold
# is emboldened; a character no font has is refused when the order is
# added (and a credit note's reason), changing nothing; the paper follows
# the payer's country or the seller profile; the logo's bytes are in the
# PDF and stay when the profile or the file changes.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
run() { "$INVGEN" --db t.db --out-dir docs "$@"; }
sql() { sqlite3 t.db "$@"; }

# name_order NO COUNTRY NAME LINE1 CITY: an outside-scope consumer order.
name_order() {
	cat <<JSON
{"order_no": "$1", "created_at": "2025-11-03T22:00:00Z",
 "paid_at": "2025-11-03T22:10:00Z", "currency": "USD",
 "payment_method": "card", "language": "en",
 "payer": {"name": "$3", "address": {"line1": "$4", "city": "$5"},
   "country": "$2", "is_business": false,
   "evidence": {"billing_country": "$2", "ip_country": "$2"}},
 "customer": {"telegram_id": 6001, "username": "@tester"},
 "lines": [{"item": "softphone", "description": "Softphone subscription",
   "period_months": 12, "quantity": 1, "unit_price_minor": 12000}]}
JSON
}

# The payers: script|order|country|name|street|city.  The Devanagari
# name is long enough to wrap in the buyer's box.
cat >payers.txt <<'EOF'
Latin|P-01|CH|Žydrūnas Čiurlionis-Gintautaitė|Bahnhofstrasse 1|Zürich
Greek|P-02|AL|Γιώργος Παπαδόπουλος|Οδός Ερμού 45|Αθήνα
Cyrillic|P-03|UA|Анна Кузнецова|вул. Хрещатик 1|Київ
Arabic|P-04|AE|محمد علي الحسن|شارع الشيخ زايد 12|دبي
Hebrew|P-05|IL|דוד כהן|רחוב הרצל 10|תל אביב
Armenian|P-06|AM|Արամ Խաչատրյան|Աբովյան 3|Երևան
Georgian|P-07|GE|ნინო ბერიძე|რუსთაველის გამზირი 12|თბილისი
Devanagari|P-08|IN|श्रीमती क्षमा त्रिपाठी श्रीवास्तव चतुर्वेदी द्विवेदी मिश्रा पाण्डेय उपाध्याय|कनॉट प्लेस 12|नई दिल्ली
Bengali|P-09|BD|শ্রীমতী ক্ষমা রায়চৌধুরী|গুলশান এভিনিউ ৫৪|ঢাকা
Tamil|P-10|LK|முருகன் சுப்பிரமணியம்|காந்தி சாலை 7|சென்னை
Thai|P-11|TH|นางสาวพิมพ์ชนก ศรีสวัสดิ์|ถนนสุขุมวิท 21|กรุงเทพมหานคร
Khmer|P-12|KH|សុខ សុភា|ផ្លូវ ២៧១|ភ្នំពេញ
Ethiopic|P-13|ET|አበበ ቢቂላ|ቦሌ መንገድ 5|አዲስ አበባ
Chinese|P-14|CN|王芳|朝阳区建国路 88 号|北京市
Japanese|P-15|JP|山田 たろう|千代田区丸の内 1|東京都
Korean|P-16|KR|김민준|강남구 테헤란로 1|서울특별시
EOF

test_expect_success 'orders in sixteen scripts are added and issued' '
	{ echo "["; sep=""; while IFS="|" read -r s no cc n l c; do
		printf "%s" "$sep"; name_order "$no" "$cc" "$n" "$l" "$c"; sep=","
	done <payers.txt; echo "]"; } >orders.json &&
	run order add orders.json >out && test_grep "^16 orders stored" out &&
	while IFS="|" read -r s no cc n l c; do
		INVGEN_NOW=2025-11-03T22:15:00Z run issue "$no" >/dev/null || exit 1
	done <payers.txt &&
	test "$(sql "SELECT count(*) FROM document WHERE layout_version = 2")" = 16
'
test_expect_success 'pdftotext gives back every name exactly (lines joined)' '
	while IFS="|" read -r s no cc n l c; do
		f=docs/$(sql "SELECT number FROM document d JOIN orders o ON o.id = d.order_id WHERE o.order_no = '\''$no'\''").pdf &&
		pdftotext "$f" - | tr "\n" " " | tr -s " " >"$s.txt" &&
		grep -qF -- "$n" "$s.txt" || { echo "$s: \"$n\" not in:"; cat "$s.txt"; exit 1; }
	done <payers.txt
'
test_expect_success 'the long Devanagari name wraps, at a word' '
	pdftotext docs/ZLV-000008.pdf - >dev.txt &&
	test_grep "^श्रीमती क्षमा त्रिपाठी" dev.txt && ! grep -qxF "श्रीमती क्षमा त्रिपाठी श्रीवास्तव चतुर्वेदी द्विवेदी मिश्रा पाण्डेय उपाध्याय" dev.txt
'
test_expect_success 'shaped text: Devanagari words carry ActualText, Latin ones need none' '
	qpdf --qdf --object-streams=disable docs/ZLV-000008.pdf dev.qdf &&
	test "$(grep -ac "/ActualText" dev.qdf)" -ge 6 &&
	grep -a "TJ$" dev.qdf >tj.txt && test -s tj.txt &&
	qpdf --qdf --object-streams=disable docs/ZLV-000001.pdf lat.qdf &&
	! grep -aq "/ActualText" lat.qdf
'
test_expect_success 'a Chinese name in bold is emboldened (fill and stroke), a Latin one is not' '
	qpdf --qdf --object-streams=disable docs/ZLV-000014.pdf cn.qdf &&
	grep -aq "^2 Tr$" cn.qdf && grep -aq "^0.315 w$" cn.qdf &&
	! grep -aq "^2 Tr$" lat.qdf
'
test_expect_success 'a word longer than its box shrinks the text, never cut' '
	name_order W-1 CH "Nordwestdeutsche Telekommunikationsdienstleistungsgesellschaftsverwaltungsholding mbH" "Hauptstrasse 1" "Bern" >w.json &&
	run order add w.json >/dev/null &&
	INVGEN_NOW=2025-11-03T22:15:00Z run issue W-1 >/dev/null &&
	pdftotext docs/ZLV-000017.pdf - >w.txt &&
	test_grep "^Telekommunikationsdienstleistungsgesellschaftsverwaltungsholding" w.txt
'
test_expect_success 'a character no font has is refused at order add, naming field and code points' '
	name_order X-1 US "Ann 𓀀 Lee 𠀀" "Main St 1" "Town" >x.json &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 run order add x.json 2>err &&
	test_grep "^invgen: payer.name: U+13000 U+20000 are in no font" err &&
	name_order X-2 US "Ann Lee" "Main St 1" "Town" | sed "s/Softphone subscription/Softphone 𓀁/" >x2.json &&
	{ echo "["; name_order X-3 US "Bo" "Main St 1" "Town"; echo ","; cat x2.json; echo "]"; } >xa.json &&
	test_must_fail 1 run order add xa.json 2>err2 &&
	test_grep "\[1\].lines\[0\].description: U+13001 is in no font" err2 &&
	test "$(db_sum t.db)" = "$sum" &&
	test "$(sql "SELECT count(*) FROM orders WHERE order_no LIKE '\''X-%'\''")" = 0
'
test_expect_success 'a credit note reason no font can print is refused' '
	sum=$(db_sum t.db) &&
	test_must_fail 1 run credit ZLV-000001 --reason "Refund 𓀀" 2>err &&
	test_grep "^invgen: --reason: U+13000 is in no font" err &&
	test "$(db_sum t.db)" = "$sum"
'

# paper_order NO COUNTRY: an order of a payer in COUNTRY, in English.
paper_order() { name_order "$1" "$2" "Pat Doe" "Main St 1" "Town"; }

test_expect_success 'the paper is that of the payer country, never of the language' '
	{ echo "["; sep=""; for cc in US CA MX PH GB JP AU BR; do
		printf "%s" "$sep"; paper_order "Q-$cc" "$cc"; sep=","
	done; echo "]"; } >q.json &&
	run order add q.json >/dev/null &&
	for cc in US CA MX PH GB JP AU BR; do
		INVGEN_NOW=2025-11-03T22:15:00Z run issue "Q-$cc" --json >q-$cc.json &&
		f=$(jq -r ".files[0].path" q-$cc.json) &&
		size=$(pdfinfo "$f" | sed -n "s/^Page size: *//p") &&
		tpl=$(sql "SELECT template FROM document WHERE number = '\''$(jq -r .number q-$cc.json)'\''") &&
		echo "$cc $size $tpl" || exit 1
	done >paper.txt &&
	cat >paper.expect <<-EOF &&
	US 612 x 792 pts (letter) invoice-letter
	CA 612 x 792 pts (letter) invoice-letter
	MX 612 x 792 pts (letter) invoice-letter
	PH 612 x 792 pts (letter) invoice-letter
	GB 595.276 x 841.89 pts (A4) invoice
	JP 595.276 x 841.89 pts (A4) invoice
	AU 595.276 x 841.89 pts (A4) invoice
	BR 595.276 x 841.89 pts (A4) invoice
	EOF
	test_cmp paper.expect paper.txt
'
test_expect_success 'a credit note of a payer in the United States is on Letter too' '
	INVGEN_NOW=2025-11-04T09:00:00Z run credit "$(jq -r .number q-US.json)" --reason "Refund" --json >cr.json &&
	pdfinfo "$(jq -r ".files[0].path" cr.json)" >cr.info && test_grep "612 x 792" cr.info
'
test_expect_success 'a payment order of a payer in Canada is on Letter' '
	paper_order T-CA CA | sed -e "s/\"card\"/\"bank_transfer\"/" \
	    -e "s/\"paid_at\": \"[^\"]*\",/\"paid_at\": null,/" >t.json &&
	run order add t.json >/dev/null &&
	INVGEN_NOW=2025-11-03T22:15:00Z run transfer-order T-CA --json >t-out.json &&
	pdfinfo "$(jq -r ".files[0].path" t-out.json)" >t.info &&
	test_grep "612 x 792" t.info &&
	test "$(sql "SELECT template FROM document WHERE number = '\''$(jq -r .number t-out.json)'\''")" = transfer-order-letter
'

# A seller of its own, with a logo and a forced paper.
seller_json() { # VALID_FROM VALID_TO LOGO PAPER
	sed -e "s|\"valid_from\": \"2025-07-09\",|\"valid_from\": \"$1\", \"valid_to\": $2, \"logo\": \"$3\", \"paper\": \"$4\",|" \
	    "$TOP/samples/seller-2025.json"
}
test_expect_success 'a logo: its bytes are in the PDF, the profile forces Letter' '
	"$INVGEN" --db l.db init >/dev/null &&
	pdftoppm -jpeg -r 20 -f 1 -l 1 docs/ZLV-000001.pdf logo && mv logo-1.jpg logo.jpg &&
	seller_json 2025-07-09 "\"2025-12-31\"" logo.jpg Letter >s1.json &&
	"$INVGEN" --db l.db seller add s1.json &&
	name_order L-1 DE "Pat Doe" "Main St 1" "Town" >l1.json &&
	"$INVGEN" --db l.db order add l1.json >/dev/null &&
	INVGEN_NOW=2025-11-03T22:15:00Z "$INVGEN" --db l.db --out-dir ldocs issue L-1 >/dev/null &&
	pdfinfo ldocs/ZLV-000001.pdf | grep -q "612 x 792" &&
	pdfimages -all ldocs/ZLV-000001.pdf img && cmp img-000.jpg logo.jpg &&
	test "$(sqlite3 l.db "SELECT logo_sha256 FROM document")" = "$(sha256sum logo.jpg | cut -d" " -f1)"
'
test_expect_success 'a later profile with another logo, or a changed file, changes no issued document' '
	seller_json 2026-01-01 null "$TOP/samples/logo.png" A4 >s2.json &&
	"$INVGEN" --db l.db seller add s2.json &&
	sed -e "s/L-1/L-2/" -e "s/2025-11-03T22:/2026-01-05T10:/g" l1.json >l2.json &&
	"$INVGEN" --db l.db order add l2.json >/dev/null &&
	INVGEN_NOW=2026-01-05T10:15:00Z "$INVGEN" --db l.db --out-dir ldocs issue L-2 >/dev/null &&
	pdfinfo ldocs/ZLV-000002.pdf | grep -q "A4" &&
	pdfimages -list ldocs/ZLV-000002.pdf >list2.txt && test_grep "smask" list2.txt &&
	echo "not the logo any more" >logo.jpg &&
	"$INVGEN" --db l.db render ZLV-000001 -o again.pdf >/dev/null &&
	pdfimages -all again.pdf again && cmp again-000.jpg img-000.jpg &&
	"$INVGEN" --db l.db verify ZLV-000001 ZLV-000002 >v.out && test_grep "0 problems" v.out &&
	test_must_fail sqlite3 l.db "UPDATE logo SET data = x'\''00'\''" 2>err &&
	test_grep "logos are immutable" err
'
test_expect_success 'the PNG logo with its alpha channel draws the same pixels' '
	pdfimages -png ldocs/ZLV-000002.pdf png &&
	python3 "$TOP/tests/cli/png-pixels.py" "$TOP/samples/logo.png" png-000.png png-001.png
'
test_expect_success 'a file that is no image is refused at seller add' '
	echo "plain text" >notes.txt &&
	seller_json 2027-01-01 null notes.txt A4 >s3.json &&
	test_must_fail 1 "$INVGEN" --db l.db seller add s3.json 2>err &&
	test_grep "logo: notes.txt: image: neither a PNG nor a JPEG" err &&
	seller_json 2027-01-01 null missing.png A4 >s4.json &&
	test_must_fail 1 "$INVGEN" --db l.db seller add s4.json 2>err &&
	test_grep "logo: cannot open .missing.png." err
'
test_done
