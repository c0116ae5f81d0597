#!/bin/sh
# t0165-wording: the wording and legal content of layout version 2, in
# English, Lithuanian, Russian and the bilingual form (the documents of
# tests/golden/wording/build.sh).  Their text (pdftotext -layout) equals
# the golden text, and each rule is asserted where it shows: credit notes
# speak of credit notes (VMI KD-3815); the date an advance was received is
# labelled so (PVMĮ Art. 80(1)(8)); the Canary Islands are in the EU but
# outside its VAT territory (VAT Directive Art. 6), a third country is
# outside the EU; the Azores and Madeira take their own rates, named on
# the invoice; a reverse charge shows no rate; a payer in Lithuania gets a
# document bilingual with Lithuanian, and so does every payer when the
# seller profile says so; a language without a catalogue is wholly
# English, keeping only its number format.
. "$(dirname "$0")/lib.sh"

sh "$TOP/tests/golden/wording/build.sh" "$scratch/w" "$INVGEN" >build.out 2>&1
golden="$TOP/tests/golden/wording"
db="$scratch/w/wording.db"
# The text of NAME.pdf as laid out, and the same on one line with single
# spaces (for sentences that wrap).
lay() { pdftotext -layout "$scratch/w/$1.pdf" -; }
txt() { lay "$1" | tr -s ' \n' '  '; }

test_expect_success 'the documents build without a warning' '
	test -s "$db" && test ! -s build.out &&
	test "$(ls "$scratch"/w/*.pdf | wc -l)" = 24
'
test_expect_success 'pdftotext output equals the golden text' '
	for f in "$scratch"/w/*.pdf; do
		n=$(basename "$f" .pdf)
		pdftotext -layout "$f" got.txt &&
		diff -u "$golden/$n.txt" got.txt || exit 1
	done &&
	test "$(ls "$golden"/*.txt | wc -l)" = 24
'
test_expect_success 'credit notes speak of credit notes, in every language' '
	txt credit-note-en >c.txt &&
	test_grep "This VAT credit note was issued electronically" c.txt &&
	test_grep "Corrects VAT invoice ZLV-000001 of April 2, 2026" c.txt &&
	test_grep "Corrected VAT invoice" c.txt && ! grep -q "This invoice" c.txt &&
	txt credit-note-lt >c.txt &&
	test_grep "Kreditinė PVM sąskaita faktūra išrašyta elektroniniu būdu" c.txt &&
	test_grep "Koreguojama PVM sąskaita faktūra ZLV-000002, išrašyta 2026 m. balandžio 3 d." c.txt &&
	! grep -q "Koreguojama sąskaita" c.txt && ! grep -q "^Sąskaita faktūra išrašyta\| Sąskaita faktūra išrašyta" c.txt &&
	txt credit-note-ru >c.txt &&
	test_grep "Кредитовый счёт-фактура НДС составлен в электронном виде" c.txt &&
	test_grep "Корректирует счёт-фактуру НДС ZLV-000003" c.txt &&
	! grep -q "Документ составлен" c.txt &&
	for l in lt-en lt-ru; do
		txt credit-note-$l >c.txt &&
		test_grep "Kreditinė PVM sąskaita faktūra išrašyta elektroniniu būdu" c.txt || exit 1
	done &&
	txt credit-note-lt-en >c.txt && test_grep "This VAT credit note was issued" c.txt &&
	txt credit-note-lt-ru >c.txt && test_grep "Кредитовый счёт-фактура НДС составлен" c.txt
'
test_expect_success 'the date an advance was received is labelled as such' '
	txt advance-azores-en >a.txt && test_grep "Advance payment received April 1, 2026" a.txt &&
	txt advance-azores-lt >a.txt && test_grep "Avanso gavimo data 2026 m. balandžio 2 d." a.txt &&
	txt advance-azores-ru >a.txt && test_grep "Дата получения аванса 3 апреля 2026" a.txt &&
	lay advance-azores-lt-en >a.txt &&
	test_grep "Avanso gavimo data *2026 m. balandžio 4 d." a.txt &&
	test_grep "  Advance payment received$" a.txt &&
	for f in "$scratch"/w/*.pdf; do
		! pdftotext "$f" - | grep -q "Date of supply\|Paslaugų suteikimo data\|Дата оказания услуг" || exit 1
	done
'
test_expect_success 'the Canary Islands: in the EU, outside its VAT territory' '
	txt canary-islands-en >t.txt &&
	test_grep "the place of supply, the Canary Islands, is part of the EU but outside its VAT territory (Art. 6 of Directive 2006/112/EC)" t.txt &&
	! grep -q "outside the EU)" t.txt &&
	txt canary-islands-lt >t.txt &&
	test_grep "paslaugų teikimo vieta – Kanarų salos – yra Europos Sąjungos dalis, tačiau nepriklauso ES PVM teritorijai" t.txt &&
	txt canary-islands-ru >t.txt &&
	test_grep "место оказания услуг (Канарские острова) входит в ЕС, но находится вне его территории НДС" t.txt &&
	txt canary-islands-lt-en >t.txt &&
	test_grep "Kanarų salos" t.txt && test_grep "the Canary Islands, is part of the EU" t.txt &&
	test "$(sqlite3 "$db" "SELECT DISTINCT territory FROM document WHERE order_id IN (SELECT id FROM orders WHERE order_no LIKE '\''W-IC-%'\'')")" = canary_islands
'
test_expect_success 'a third country is outside the EU' '
	txt third-country-en >t.txt &&
	test_grep "Outside the scope of EU VAT: the place of supply (United States) is outside the EU." t.txt &&
	txt third-country-lt >t.txt &&
	test_grep "paslaugų teikimo vieta (Jungtinės Valstijos) yra ne Europos Sąjungoje" t.txt
'
test_expect_success 'the Azores and Madeira take their own rates, named on the invoice' '
	txt advance-azores-en >r.txt &&
	test_grep "16% (the Azores, Portugal)" r.txt &&
	test_grep "VAT of Portugal at the rate of the Azores (16%) under the EU One-Stop-Shop" r.txt &&
	test_grep "Total VAT €17.28" r.txt &&
	txt advance-azores-lt >r.txt && test_grep "Portugalija (Azorų salos), 16 %" r.txt &&
	txt advance-azores-ru >r.txt && test_grep "Португалия (Азорские острова), 16 %" r.txt &&
	txt madeira-en >r.txt && test_grep "22% (Madeira, Portugal)" r.txt &&
	test "$(sqlite3 "$db" "SELECT group_concat(vat_rate_bp || territory, '\'' '\'') FROM document WHERE number IN ('\''ZLV-000001'\'', '\''ZLV-000018'\'')")" = "1600azores 2200madeira" &&
	"$INVGEN" --db "$db" explain W-AZ-en >e.txt &&
	test_grep "Portuguese VAT Code Art. 6(10)(h), 6(16) and 18(3); VAT Directive Art. 105(2)" e.txt
'
test_expect_success 'a reverse charge shows no rate' '
	for l in en lt ru lt-en; do
		pdftotext -layout "$scratch/w/reverse-charge-$l.pdf" rc.txt &&
		! grep -q "0 *%" rc.txt || { echo "$l: a 0 % rate"; exit 1; }
	done &&
	lay reverse-charge-en >rc.txt && test_grep "^ *Reverse charge  *€240.00  *€0.00" rc.txt &&
	test_grep "^ *1 Gateway subscription  *1  *€240.00  *–  *€240.00" rc.txt &&
	lay reverse-charge-lt >rc.txt && test_grep "^ *Atvirkštinis apmokestinimas  *240,00 €  *0,00 €" rc.txt &&
	lay reverse-charge-ru >rc.txt && test_grep "^ *Обратное начисление НДС  *240,00 €  *0,00 €" rc.txt
'
test_expect_success 'payers in Lithuania get documents bilingual with Lithuanian' '
	test "$(sqlite3 "$db" "SELECT group_concat(language, '\'' '\'') FROM document WHERE number IN ('\''ZLV-000015'\'', '\''ZLV-000016'\'', '\''ZLV-000017'\'', '\''ZLVK-000005'\'') ORDER BY id")" = "lt+ru lt+en de lt+ru" &&
	lay lithuania-ru >l.txt &&
	test_grep "^ *MB \"Žinučių linija\"  *PVM sąskaita faktūra$" l.txt &&
	test_grep "^ *Счёт-фактура НДС$" l.txt &&
	test_grep "^ *Pirkėjas (mokėtojas)" l.txt && test_grep "^ *Покупатель (плательщик)" l.txt &&
	lay lithuania-de >l.txt &&
	test_grep "  VAT invoice$" l.txt && test_grep "^ *Buyer (payer)" l.txt &&
	! grep -q "Rechnung\|Käufer" l.txt
'
test_expect_success 'a seller-profile setting extends that to every payer' '
	test "$(sqlite3 "$db" "SELECT language FROM document WHERE number = '\''ZLV-000019'\''")" = lt+ru &&
	txt lithuanian-for-all-ru >l.txt &&
	test_grep "PVM pagal ES vieno langelio (OSS) Sąjungos schemą: Vokietija, 19 %" l.txt &&
	test_grep "НДС по схеме ЕС «единое окно» (OSS, схема Союза): Германия, 19 %" l.txt
'
test_expect_success 'a language without a catalogue renders wholly in English' '
	lay consumer-de >d.txt &&
	test_grep "Date of issue  *April 9, 2026" d.txt && test_grep "^ *Germany$" d.txt &&
	test_grep "VAT of Germany at 19 % under" d.txt && test_grep "128,52 €" d.txt &&
	! grep -q "Deutschland\|Litauen\|April 2026\|9. April" d.txt
'
test_done
