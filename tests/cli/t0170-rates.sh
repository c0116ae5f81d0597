#!/bin/sh
# t0170-rates: the ECB's XML feeds (eurofxref-daily.xml,
# eurofxref-hist-90d.xml) imported with rates import-ecb, told apart from
# the CSV by their content; malformed or unexpected files refused with
# nothing stored; rates status; an imported rate used by an invoice.
. "$(dirname "$0")/lib.sh"

"$INVGEN" --db t.db init >/dev/null && add_sellers t.db >/dev/null
export INVGEN_NOW=2026-12-07T10:00:00Z
rate() {
	sqlite3 t.db "SELECT units_per_eur FROM exchange_rate WHERE currency = '$1' AND rate_date = '$2'"
}

# The ECB's files as published (single quotes, tabs, the gesmes envelope);
# the daily file has one day, the 90-day file one Cube per day, newest
# first (written here with double quotes, which XML allows as well).
envelope_head() {
	cat <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
	<gesmes:subject>Reference rates</gesmes:subject>
	<gesmes:Sender>
		<gesmes:name>European Central Bank</gesmes:name>
	</gesmes:Sender>
	<Cube>
EOF
}
envelope_tail() {
	printf '\t</Cube>\n</gesmes:Envelope>\n'
}
{
	envelope_head
	cat <<'EOF'
		<Cube time='2026-12-04'>
			<Cube currency='USD' rate='1.1642'/>
			<Cube currency='JPY' rate='180.55'/>
			<Cube currency='GBP' rate='0.87250'/>
			<Cube currency='ISK' rate='147.90'/>
		</Cube>
EOF
	envelope_tail
} >eurofxref-daily.xml
{
	envelope_head
	cat <<'EOF'
		<Cube time="2026-12-04">
			<Cube currency="USD" rate="1.1642"/>
			<Cube currency="JPY" rate="180.55"/>
		</Cube>
		<Cube time="2026-12-03">
			<Cube currency="USD" rate="1.1617"/>
			<Cube currency="JPY" rate="180.81"/>
		</Cube>
		<Cube time="2026-12-02">
			<Cube currency="USD" rate="1.1590"/>
			<Cube currency="JPY" rate="181.02"/>
		</Cube>
EOF
	envelope_tail
} >eurofxref-hist-90d.xml

test_expect_success 'the daily XML feed, from stdin as curl gives it' '
	"$INVGEN" --db t.db rates import-ecb - <eurofxref-daily.xml >out &&
	test_grep "^4 exchange rates added" out &&
	test "$(rate USD 2026-12-04)" = 1.1642 &&
	test "$(rate GBP 2026-12-04)" = 0.87250 &&
	test "$(rate ISK 2026-12-04)" = 147.90 &&
	test "$(sqlite3 t.db "SELECT source FROM exchange_rate WHERE currency = '\''JPY'\'' AND rate_date = '\''2026-12-04'\''")" = \
	    "ECB euro foreign exchange reference rates (imported XML)"
'
test_expect_success 'the 90-day feed: the days not yet stored are added' '
	"$INVGEN" --db t.db rates import-ecb eurofxref-hist-90d.xml >out &&
	test_grep "^4 exchange rates added" out &&
	test "$(rate USD 2026-12-02)" = 1.1590 &&
	test "$(rate JPY 2026-12-03)" = 180.81 &&
	sum=$(db_sum t.db) &&
	"$INVGEN" --db t.db rates import-ecb eurofxref-hist-90d.xml >out &&
	test_grep "^0 exchange rates added" out && test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'a published rate never changes: the whole file is refused' '
	sum=$(db_sum t.db) &&
	sed "s/2026-12-04/2026-12-08/; s/1.1617/1.1618/" eurofxref-hist-90d.xml \
	    >changed.xml &&
	test_must_fail 1 "$INVGEN" --db t.db rates import-ecb changed.xml 2>err &&
	test_grep "ECB XML line 13: USD on 2026-12-03 is 1.1618 but the database has 1.1617; published rates never change" err &&
	test "$(db_sum t.db)" = "$sum" && test -z "$(rate USD 2026-12-08)"
'
# Each refused file: what it looks like, and what the message must say.
refused() {
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db rates import-ecb bad.xml 2>err &&
	test_grep "$1" err && test "$(db_sum t.db)" = "$sum" &&
	test -z "$(rate USD 2026-12-09)"
}
day9() {
	{
		envelope_head
		printf "\t\t<Cube time='2026-12-09'>\n"
		printf "\t\t\t<Cube currency='USD' rate='1.1700'/>\n"
		printf '%s\n' "$@"
		printf '\t\t</Cube>\n'
		envelope_tail
	} >bad.xml
}
test_expect_success 'malformed XML (a download cut short) is refused, nothing stored' '
	day9 && head -c 400 bad.xml >cut.xml && mv cut.xml bad.xml &&
	refused "^invgen: ECB XML line [0-9]*: .*" &&
	day9 "<Cube currency=\"JPY\" rate=\"181\"></Rate>" && refused "ECB XML line 10: "
'
test_expect_success 'a file that is not the ECB format is refused, nothing stored' '
	day9 "<Cube currency=\"JPY\" rate=\"181,02\"/>" &&
	refused "ECB XML line 10, JPY: .181,02. is not a positive decimal rate" &&
	day9 "<Cube currency=\"JPY\" rate=\"0\"/>" &&
	refused "not a positive decimal rate" &&
	day9 "<Cube currency=\"JPY\" rate=\"1.1234567\"/>" &&
	refused "at most 6 decimals" &&
	day9 "<Cube currency=\"jpy\" rate=\"181\"/>" &&
	refused "currency .jpy. is not a currency code" &&
	day9 "<Cube currency=\"JPY\"/>" &&
	refused "ECB XML line 10: <Cube> without its attribute .rate." &&
	day9 "<Cube currency=\"JPY\" rate=\"181\" note=\"x\"/>" &&
	refused "unexpected attribute .note." &&
	day9 "<Rate currency=\"JPY\" rate=\"181\"/>" &&
	refused "unexpected element <Rate>" &&
	day9 "<Cube currency=\"JPY\" rate=\"181\">x</Cube>" &&
	refused "unexpected text" &&
	day9 && sed "s/2026-12-09/2026-12-32/" bad.xml >b && mv b bad.xml &&
	refused "time .2026-12-32. is not a date" &&
	day9 && sed "s/eurofxref\"/eurofxref-x\"/" bad.xml >b && mv b bad.xml &&
	refused "unexpected element <Cube> in the envelope" &&
	printf "<?xml version=\"1.0\"?>\n<Envelope/>\n" >bad.xml &&
	refused "root element is <Envelope>" &&
	{ printf "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n"; \
	  sed 1d eurofxref-daily.xml; } >bad.xml &&
	refused "document type declaration is not allowed" &&
	{ envelope_head; envelope_tail; } >bad.xml &&
	refused "ECB XML: no rates in the file" &&
	: >bad.xml && refused "the input is empty"
'
test_expect_success 'the CSV is still read, and told apart from XML' '
	printf "Date,USD,JPY,\n2026-12-09,1.1700,N/A,\n" >r.csv &&
	"$INVGEN" --db t.db rates import-ecb <r.csv >out &&
	test_grep "^1 exchange rate added" out && test "$(rate USD 2026-12-09)" = 1.1700 &&
	test "$(sqlite3 t.db "SELECT source FROM exchange_rate WHERE rate_date = '\''2026-12-09'\''")" = \
	    "ECB euro foreign exchange reference rates (imported CSV)"
'
test_expect_success 'rates status: the last day overall and per currency, and its age' '
	INVGEN_NOW=2026-12-10T10:00:00Z "$INVGEN" --db t.db rates status >st &&
	test_grep "^last ECB day stored: 2026-12-09, 1 day before today (2026-12-10)$" st &&
	grep "^USD " st >usd && test_grep "^USD *2026-12-09 *1.1700 *1d *2024-01-02 *58[0-9]$" usd &&
	grep "^GBP " st >gbp && test_grep "^GBP *2026-12-04 *0.87250 *6d " gbp &&
	grep "^AUD " st >aud && test_grep "^AUD *2026-04-13 .* 241d " aud &&
	INVGEN_NOW=2026-12-14T10:00:00Z "$INVGEN" --db t.db rates status \
	    --currency JPY --json >st.json &&
	jq -e ".today == \"2026-12-14\" and .last_day == \"2026-12-04\" and
	    .age_days == 10 and (.currencies | length) == 1 and
	    .currencies[0].currency == \"JPY\" and
	    .currencies[0].units_per_eur == \"180.55\" and
	    .currencies[0].age_days == 10 and .currencies[0].days > 500" st.json
'
test_expect_success 'rates status refuses a currency it cannot have' '
	test_must_fail 1 "$INVGEN" --db t.db rates status --currency XYZ 2>err &&
	test_grep "no ECB rate of XYZ is stored" err &&
	test_must_fail 1 "$INVGEN" --db t.db rates status --currency usd 2>err &&
	test_grep "is not a currency code" err
'
test_expect_success 'an invoice in USD takes the imported rate of its tax point' '
	consumer_order FX-1 FR USD 2026-12-03T10:00:00Z 2500 >o.json &&
	"$INVGEN" --db t.db order add o.json >/dev/null &&
	"$INVGEN" --db t.db issue FX-1 --json >inv.json &&
	jq -e ".fx_rate_date == \"2026-12-03\" and .fx_units_per_eur == \"1.1617\"" \
	    inv.json
'
test_done
