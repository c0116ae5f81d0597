-- 001-core.sql - invgen storage contract, schema version 1.
--
-- Who writes what:
--   the bot (or `invgen order add`):  payer, orders, order_line
--   the operator (or `invgen seller add`, `invgen rates import-ecb`):
--                                     seller_profile, vat_rate, exchange_rate
--   invgen only (issuing):            number_series, document, document_line,
--                                     document_vat, document_file
-- Dates are TEXT 'YYYY-MM-DD' (calendar dates, Lithuanian time for tax
-- points); timestamps are TEXT 'YYYY-MM-DDTHH:MM:SSZ' in UTC.  Money is
-- INTEGER minor units of the row's currency; VAT rates are INTEGER basis
-- points (2100 = 21 %, 2550 = 25.5 %).  The README documents every column.

CREATE TABLE seller_profile (
	id                INTEGER PRIMARY KEY,
	valid_from        TEXT NOT NULL,
	valid_to          TEXT,
	legal_name        TEXT NOT NULL,
	company_code      TEXT NOT NULL,
	vat_number        TEXT,
	address_line1     TEXT NOT NULL,
	address_line2     TEXT,
	city              TEXT NOT NULL,
	postal_code       TEXT NOT NULL,
	country           TEXT NOT NULL,
	email             TEXT,
	website           TEXT,
	invoice_series    TEXT NOT NULL,
	credit_series     TEXT NOT NULL,
	transfer_series   TEXT NOT NULL,
	number_format     TEXT NOT NULL DEFAULT '{series}-{seq:6}',
	transfer_due_days INTEGER NOT NULL DEFAULT 7
		CHECK (transfer_due_days BETWEEN 0 AND 365),
	oss_enabled       INTEGER NOT NULL DEFAULT 1 CHECK (oss_enabled IN (0, 1)),
	bank_beneficiary  TEXT,
	bank_iban         TEXT,
	bank_bic          TEXT,
	bank_name         TEXT,
	bank_address      TEXT,
	CHECK (valid_to IS NULL OR valid_to >= valid_from)
);

CREATE TABLE payer (
	id            INTEGER PRIMARY KEY,
	telegram_id   INTEGER,
	name          TEXT NOT NULL,
	address_line1 TEXT NOT NULL,
	address_line2 TEXT,
	city          TEXT NOT NULL,
	postal_code   TEXT,
	region        TEXT,
	country       TEXT NOT NULL,
	is_business   INTEGER NOT NULL CHECK (is_business IN (0, 1)),
	vat_number    TEXT,
	company_code  TEXT,
	email         TEXT
);
CREATE INDEX payer_telegram ON payer(telegram_id);

CREATE TABLE orders (
	id                     INTEGER PRIMARY KEY,
	order_no               TEXT NOT NULL UNIQUE,
	created_at             TEXT NOT NULL,
	paid_at                TEXT,
	currency               TEXT NOT NULL,
	payment_method         TEXT NOT NULL CHECK (payment_method IN
		('card', 'paypal', 'crypto', 'bank_transfer', 'balance')),
	language               TEXT NOT NULL,
	payer_id               INTEGER NOT NULL REFERENCES payer(id),
	customer_telegram_id   INTEGER,
	customer_username      TEXT,
	vat_check_status       TEXT CHECK (vat_check_status IN
		('valid', 'invalid', 'unavailable')),
	vat_check_at           TEXT,
	vat_check_reference    TEXT,
	evidence_billing_country TEXT,
	evidence_card_country  TEXT,
	evidence_ip_country    TEXT,
	source_sha256          TEXT
);
CREATE INDEX orders_payer ON orders(payer_id);

CREATE TABLE order_line (
	order_id         INTEGER NOT NULL REFERENCES orders(id),
	line_no          INTEGER NOT NULL,
	item             TEXT NOT NULL CHECK (item IN
		('softphone', 'gateway', 'option', 'topup')),
	description      TEXT NOT NULL,
	period_months    INTEGER CHECK (period_months BETWEEN 1 AND 120),
	quantity         INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 1000000),
	unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
	discount_bp      INTEGER NOT NULL DEFAULT 0
		CHECK (discount_bp BETWEEN 0 AND 10000),
	sip_accounts     INTEGER,
	recording_days   INTEGER,
	gateway_lines    INTEGER,
	PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;

CREATE TABLE vat_rate (
	country    TEXT NOT NULL,
	rate_bp    INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
	valid_from TEXT NOT NULL,
	valid_to   TEXT,
	source     TEXT NOT NULL,
	PRIMARY KEY (country, valid_from)
) WITHOUT ROWID;

CREATE TABLE exchange_rate (
	currency     TEXT NOT NULL,
	rate_date    TEXT NOT NULL,
	units_per_eur TEXT NOT NULL,
	source       TEXT NOT NULL DEFAULT 'ECB euro foreign exchange reference rates',
	PRIMARY KEY (currency, rate_date)
) WITHOUT ROWID;

CREATE TABLE number_series (
	series   TEXT PRIMARY KEY,
	kind     TEXT NOT NULL CHECK (kind IN
		('invoice', 'credit_note', 'transfer_order')),
	last_seq INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE document (
	id                     INTEGER PRIMARY KEY,
	kind                   TEXT NOT NULL CHECK (kind IN
		('invoice', 'credit_note', 'transfer_order')),
	series                 TEXT NOT NULL,
	seq                    INTEGER NOT NULL,
	number                 TEXT NOT NULL UNIQUE,
	order_id               INTEGER NOT NULL REFERENCES orders(id),
	corrects_id            INTEGER REFERENCES document(id),
	credit_reason          TEXT,
	issue_date             TEXT NOT NULL,
	tax_point_date         TEXT NOT NULL,
	due_date               TEXT,
	paid_at                TEXT,
	payment_method         TEXT NOT NULL,
	payment_reference      TEXT,
	language               TEXT NOT NULL,
	currency               TEXT NOT NULL,
	currency_digits        INTEGER NOT NULL,
	seller_profile_id      INTEGER NOT NULL REFERENCES seller_profile(id),
	seller_legal_name      TEXT NOT NULL,
	seller_company_code    TEXT NOT NULL,
	seller_vat_number      TEXT,
	seller_address_line1   TEXT NOT NULL,
	seller_address_line2   TEXT,
	seller_city            TEXT NOT NULL,
	seller_postal_code     TEXT NOT NULL,
	seller_country         TEXT NOT NULL,
	seller_email           TEXT,
	seller_website         TEXT,
	bank_beneficiary       TEXT,
	bank_iban              TEXT,
	bank_bic               TEXT,
	bank_name              TEXT,
	bank_address           TEXT,
	payer_telegram_id      INTEGER,
	payer_name             TEXT NOT NULL,
	payer_address_line1    TEXT NOT NULL,
	payer_address_line2    TEXT,
	payer_city             TEXT NOT NULL,
	payer_postal_code      TEXT,
	payer_region           TEXT,
	payer_country          TEXT NOT NULL,
	payer_is_business      INTEGER NOT NULL,
	payer_vat_number       TEXT,
	payer_company_code     TEXT,
	payer_email            TEXT,
	customer_telegram_id   INTEGER,
	customer_username      TEXT,
	treatment              TEXT NOT NULL CHECK (treatment IN
		('NOT_VAT_REGISTERED', 'LT_STANDARD', 'OSS_DESTINATION',
		 'REVERSE_CHARGE', 'OUTSIDE_SCOPE')),
	vat_category           TEXT NOT NULL CHECK (vat_category IN ('S', 'AE', 'O')),
	vat_rate_bp            INTEGER NOT NULL,
	vat_country            TEXT,
	location_country       TEXT,
	tax_rule               TEXT NOT NULL,
	tax_explanation        TEXT NOT NULL,
	net_minor              INTEGER NOT NULL,
	vat_minor              INTEGER NOT NULL,
	total_minor            INTEGER NOT NULL,
	fx_units_per_eur       TEXT,
	fx_rate_date           TEXT,
	vat_eur_minor          INTEGER,
	template               TEXT NOT NULL DEFAULT 'invoice',
	UNIQUE (series, seq)
);
CREATE UNIQUE INDEX document_one_invoice ON document(order_id)
	WHERE kind = 'invoice';
CREATE UNIQUE INDEX document_one_transfer ON document(order_id)
	WHERE kind = 'transfer_order';
CREATE UNIQUE INDEX document_transfer_reference ON document(payment_reference)
	WHERE kind = 'transfer_order';
CREATE INDEX document_issue_date ON document(issue_date);
CREATE INDEX document_corrects ON document(corrects_id);

CREATE TABLE document_line (
	document_id      INTEGER NOT NULL REFERENCES document(id),
	line_no          INTEGER NOT NULL,
	item             TEXT NOT NULL,
	description      TEXT NOT NULL,
	period_months    INTEGER,
	quantity         INTEGER NOT NULL,
	unit_price_minor INTEGER NOT NULL,
	discount_bp      INTEGER NOT NULL,
	gross_minor      INTEGER NOT NULL,
	discount_minor   INTEGER NOT NULL,
	net_minor        INTEGER NOT NULL,
	vat_category     TEXT NOT NULL,
	vat_rate_bp      INTEGER NOT NULL,
	sip_accounts     INTEGER,
	recording_days   INTEGER,
	gateway_lines    INTEGER,
	PRIMARY KEY (document_id, line_no)
) WITHOUT ROWID;

CREATE TABLE document_vat (
	document_id    INTEGER NOT NULL REFERENCES document(id),
	vat_category   TEXT NOT NULL,
	vat_rate_bp    INTEGER NOT NULL,
	taxable_minor  INTEGER NOT NULL,
	vat_minor      INTEGER NOT NULL,
	taxable_eur_minor INTEGER,
	vat_eur_minor  INTEGER,
	PRIMARY KEY (document_id, vat_category, vat_rate_bp)
) WITHOUT ROWID;

CREATE TABLE document_file (
	document_id INTEGER NOT NULL REFERENCES document(id),
	format      TEXT NOT NULL CHECK (format IN ('pdf', 'ubl', 'cii', 'facturx')),
	sha256      TEXT NOT NULL,
	size        INTEGER NOT NULL,
	PRIMARY KEY (document_id, format)
) WITHOUT ROWID;

-- An issued document is never changed or deleted: a correction is a credit
-- note plus a new invoice.
CREATE TRIGGER document_immutable_u BEFORE UPDATE ON document
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_immutable_d BEFORE DELETE ON document
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_line_immutable_u BEFORE UPDATE ON document_line
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_line_immutable_d BEFORE DELETE ON document_line
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_vat_immutable_u BEFORE UPDATE ON document_vat
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_vat_immutable_d BEFORE DELETE ON document_vat
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_file_immutable_u BEFORE UPDATE ON document_file
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_file_immutable_d BEFORE DELETE ON document_file
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
-- An order that has an issued document keeps the content it was issued from.
CREATE TRIGGER order_line_frozen BEFORE UPDATE ON order_line
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = OLD.order_id)
BEGIN SELECT RAISE(ABORT, 'order has an issued document; its lines are frozen'); END;
