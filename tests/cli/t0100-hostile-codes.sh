#!/bin/sh
# t0100-hostile-codes: currency, country, language and the other coded
# fields with unknown, obsolete, lower-case, private-use and look-alike
# codes.  Refused naming the field and what is allowed, with the
# database unchanged; a valid but awkward code (a 3-decimal currency) is
# issued, and its e-invoice export is refused cleanly.  Codes accepted
# when the order is added but refused when it is issued are known gaps
# (README: every stored order can be issued).
hostile_lib=$(cd "$(dirname "$0")" && pwd)/hostile-lib.sh
. "$(dirname "$0")/lib.sh"
. "$hostile_lib"

hostile_db t.db

# A jq assignment, "|", the message fragment.
while IFS='|' read -r filter fragment; do
	test_expect_success "refused: $filter" "
		order_json K-1 '$filter' >bad.json &&
		must_refuse t.db bad.json \"$fragment\"
	"
done <<'CASES'
.currency = "eur"|currency: .eur. is not an active ISO 4217 currency code
.currency = "EURO"|currency: 4 characters; allowed 1 to 3
.currency = ""|currency: 0 characters
.currency = "E R"|currency: .E R. is not an active ISO 4217
.currency = "XXX"|currency: .XXX. is not an active ISO 4217
.currency = "XTS"|currency: .XTS. is not an active ISO 4217
.currency = "XAU"|currency: .XAU. is not an active ISO 4217
.currency = "BTC"|currency: .BTC. is not an active ISO 4217
.currency = "DEM"|currency: .DEM. is not an active ISO 4217
.currency = "ZWD"|currency: .ZWD. is not an active ISO 4217
.currency = "E\u0000R"|currency: control character U+0000
.currency = 978|currency: must be a string
.payer.country = "XX"|payer.country: .XX. is not an ISO 3166-1 alpha-2 country code
.payer.country = "UK"|payer.country: .UK. is not an ISO 3166-1 alpha-2
.payer.country = "EL"|payer.country: .EL. is not an ISO 3166-1 alpha-2
.payer.country = "XI"|payer.country: .XI. is not an ISO 3166-1 alpha-2
.payer.country = "EU"|payer.country: .EU. is not an ISO 3166-1 alpha-2
.payer.country = "XK"|payer.country: .XK. is not an ISO 3166-1 alpha-2
.payer.country = "de"|payer.country: .de. is not an ISO 3166-1 alpha-2
.payer.country = "DEU"|payer.country: .DEU. is not an ISO 3166-1 alpha-2
.payer.country = ""|payer.country: .. is not an ISO 3166-1 alpha-2
.payer.country = "D\u0301"|payer.country: .* is not an ISO 3166-1 alpha-2
.payer.evidence.card_country = "UK"|payer.evidence.card_country: .UK. is not an ISO 3166-1
.payer.evidence.ip_country = "A1"|payer.evidence.ip_country: .A1. is not an ISO 3166-1
.payer.evidence.billing_country = "ZZ"|payer.evidence.billing_country: .ZZ. is not an ISO 3166-1
.language = "LT"|language: .LT. is not allowed; use a two-letter ISO 639-1 code
.language = "lt-EN"|language: .lt-EN. is not allowed
.language = "lt_en"|language: .lt_en. is not allowed
.language = "eng"|language: .eng. is not allowed
.language = "e"|language: .e. is not allowed
.language = ""|language: .. is not allowed
.payment_method = "CARD"|payment_method: .CARD. is not allowed; allowed: card, paypal, crypto, bank_transfer, balance
.payment_method = "cheque"|payment_method: .cheque. is not allowed
.lines[0].item = "Softphone"|lines.0..item: .Softphone. is not allowed; allowed: softphone, gateway, option, topup
.payer.vat_check = {status: "VALID"}|payer.vat_check.status: .VALID. is not allowed
.payer.is_business = "yes"|payer.is_business: must be true or false
.payer.is_business = 1|payer.is_business: must be true or false
CASES

test_expect_success 'a 3-decimal currency (KWD) outside the EU: issued; the e-invoice export is refused naming the currency, writing nothing' '
	consumer_order KW-1 US KWD 2025-08-14T10:25:00Z >kw.json &&
	"$INVGEN" --db t.db order add kw.json >/dev/null &&
	issue_json t.db KW-1 kw.out &&
	test "$(jq -r .currency_digits kw.out)" = 3 &&
	test "$(jq -r .total kw.out)" = 12.000 &&
	num=$(jq -r .number kw.out) &&
	test_must_fail "$INVGEN" --db t.db export ubl "$num" -o kx 2>err &&
	test_grep "currency: KWD has 3 minor digits" err &&
	test_must_fail "$INVGEN" --db t.db export cii "$num" -o kx 2>err &&
	test_grep "KWD" err &&
	test ! -e kx/"$num".ubl.xml && test ! -e kx/"$num".cii.xml &&
	pdf=$(pdf_of kw.out) &&
	pdf_shows "$pdf" "12.000"
'
test_expect_success 'a valid but unusual country (AQ) is accepted; evidence decides the VAT' '
	order_json AQ-1 ".payer.country = \"AQ\"" >aq.json &&
	"$INVGEN" --db t.db order add aq.json >/dev/null &&
	issue_json t.db AQ-1 aq.out &&
	test "$(jq -r .location_country aq.out)" = DE &&
	exports_ok t.db "$(jq -r .number aq.out)"
'
test_expect_success 'an unknown language is refused when the order is issued, and nothing is used' '
	order_json LG-1 ".language = \"xx\"" >lg.json &&
	if ! "$INVGEN" --db t.db order add lg.json 2>err >/dev/null; then
		test_grep "language" err; exit $?
	fi &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db issue LG-1 2>err &&
	test_grep "language: .xx. has no ICU locale data" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_expect_success 'an unknown language (xx, zz-qq) is refused when the order is added' '
	order_json LG-2 ".language = \"zz-qq\"" >bad.json &&
	must_refuse t.db bad.json "language: .zz-qq." &&
	order_json LG-2 ".language = \"xx\"" >bad.json &&
	must_refuse t.db bad.json "language: .xx."
'
test_expect_success 'a withdrawn currency (HRK since 2023, VEF since 2018) is refused when the order is added' '
	order_json CU-1 ".currency = \"HRK\"" >bad.json &&
	must_refuse t.db bad.json "currency: .HRK." &&
	order_json CU-1 ".currency = \"VEF\"" >bad.json &&
	must_refuse t.db bad.json "currency: .VEF."
'
test_expect_success 'a currency without an ECB rate, for an EU consumer: refused at issue naming the currency, nothing used' '
	consumer_order CU-2 DE KWD 2025-08-14T10:25:00Z >cu.json &&
	"$INVGEN" --db t.db order add cu.json >/dev/null &&
	sum=$(db_sum t.db) &&
	test_must_fail 1 "$INVGEN" --db t.db issue CU-2 2>err &&
	test_grep "no ECB reference rate for KWD" err &&
	test "$(db_sum t.db)" = "$sum"
'
test_done
