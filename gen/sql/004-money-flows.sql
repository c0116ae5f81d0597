-- 004-money-flows.sql - prepaid balance, terminations, refunds, credit
-- terms and service periods (README "Prepaid balance, terminations and
-- refunds", "Credit terms").
--
-- Before this script runs, invgen widens three CHECK constraints in place
-- (store.c, widen_checks(): SQLite's documented writable_schema procedure
-- for a constraint that only gets looser, which keeps every row, rowid,
-- trigger and foreign key of document as it is):
--   document.kind and number_series.kind also allow 'prepayment_receipt'
--   and 'balance_use'; document.treatment also allows 'PREPAID'.

-- The seller's VAT policy for the prepaid balance and the series of the
-- documents without VAT it issues.
ALTER TABLE seller_profile ADD COLUMN balance_vat_policy TEXT NOT NULL
	DEFAULT 'at_use' CHECK (balance_vat_policy IN ('at_use', 'at_top_up'));
ALTER TABLE seller_profile ADD COLUMN receipt_series TEXT;
ALTER TABLE seller_profile ADD COLUMN balance_series TEXT;

-- The service period of a line (a renewal states the dates it covers).
ALTER TABLE order_line ADD COLUMN period_from TEXT;
ALTER TABLE order_line ADD COLUMN period_to TEXT;
ALTER TABLE document_line ADD COLUMN period_from TEXT;
ALTER TABLE document_line ADD COLUMN period_to TEXT;

-- What a purchase paid from the balance draws on (at_top_up): written by
-- the bot with the order.
CREATE TABLE order_draw (
	order_id      INTEGER NOT NULL REFERENCES orders(id),
	draw_no       INTEGER NOT NULL,
	source_number TEXT NOT NULL,
	amount_minor  INTEGER NOT NULL CHECK (amount_minor > 0),
	PRIMARY KEY (order_id, draw_no)
) WITHOUT ROWID;

-- A credit note says where the money of the unused part went; an invoice
-- that credits the balance (at_top_up) names the credit note it follows.
ALTER TABLE document ADD COLUMN credit_to TEXT
	CHECK (credit_to IN ('balance', 'refund'));
ALTER TABLE document ADD COLUMN origin_id INTEGER REFERENCES document(id);

-- One invoice per order, besides the invoices crediting the balance with
-- the unused part of that order's subscription.
DROP INDEX document_one_invoice;
CREATE UNIQUE INDEX document_one_invoice ON document(order_id)
	WHERE kind = 'invoice' AND origin_id IS NULL;
CREATE UNIQUE INDEX document_one_receipt ON document(order_id)
	WHERE kind = 'prepayment_receipt' AND total_minor > 0;
CREATE UNIQUE INDEX document_one_balance_use ON document(order_id)
	WHERE kind = 'balance_use' AND total_minor > 0;
-- A credit-terms invoice carries the payment reference of its order.
CREATE UNIQUE INDEX document_invoice_reference ON document(payment_reference)
	WHERE kind = 'invoice' AND payment_reference IS NOT NULL;

-- What a document draws on a balance source (> 0) or returns to it (< 0).
CREATE TABLE document_draw (
	document_id  INTEGER NOT NULL REFERENCES document(id),
	draw_no      INTEGER NOT NULL,
	source_id    INTEGER NOT NULL REFERENCES document(id),
	amount_minor INTEGER NOT NULL CHECK (amount_minor != 0),
	PRIMARY KEY (document_id, draw_no)
) WITHOUT ROWID;
CREATE INDEX document_draw_source ON document_draw(source_id);

-- Payments booked from bank statements against the invoice they pay.
CREATE TABLE payment (
	id           INTEGER PRIMARY KEY,
	document_id  INTEGER NOT NULL REFERENCES document(id),
	reference    TEXT NOT NULL,
	booked_on    TEXT NOT NULL,
	amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
	currency     TEXT NOT NULL,
	booked_at    TEXT NOT NULL
);
CREATE INDEX payment_document ON payment(document_id);

CREATE TRIGGER document_draw_immutable_u BEFORE UPDATE ON document_draw
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_draw_immutable_d BEFORE DELETE ON document_draw
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER payment_immutable_u BEFORE UPDATE ON payment
BEGIN SELECT RAISE(ABORT, 'booked payments are immutable'); END;
CREATE TRIGGER payment_immutable_d BEFORE DELETE ON payment
BEGIN SELECT RAISE(ABORT, 'booked payments are immutable'); END;

-- An order's draws are frozen with the order (003-archive.sql), and an
-- immutable row is never replaced (REPLACE deletes without firing the
-- DELETE triggers); no draw is added to a document linked in the chain.
CREATE TRIGGER order_draw_frozen_u BEFORE UPDATE ON order_draw
WHEN EXISTS (SELECT 1 FROM document WHERE order_id IN (OLD.order_id,
    NEW.order_id))
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; its draws are frozen'); END;
CREATE TRIGGER order_draw_frozen_d BEFORE DELETE ON order_draw
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = OLD.order_id)
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; its draws are frozen'); END;
CREATE TRIGGER order_draw_frozen_i BEFORE INSERT ON order_draw
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = NEW.order_id)
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; its draws are frozen'); END;
CREATE TRIGGER document_draw_immutable_i BEFORE INSERT ON document_draw
WHEN EXISTS (SELECT 1 FROM document_draw WHERE document_id = NEW.document_id
	AND draw_no = NEW.draw_no)
    OR EXISTS (SELECT 1 FROM chain_link WHERE document_id = NEW.document_id
	AND kind = 'document')
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER payment_immutable_i BEFORE INSERT ON payment
WHEN EXISTS (SELECT 1 FROM payment WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'booked payments are immutable'); END;
-- The same for every unique index of document (INSERT OR REPLACE would
-- delete the row that holds the key): 003's trigger, with this
-- version's indexes.
DROP TRIGGER document_immutable_i;
CREATE TRIGGER document_immutable_i BEFORE INSERT ON document
WHEN EXISTS (SELECT 1 FROM document WHERE id = NEW.id)
    OR EXISTS (SELECT 1 FROM document WHERE number = NEW.number)
    OR EXISTS (SELECT 1 FROM document WHERE series = NEW.series AND
	seq = NEW.seq)
    OR (NEW.kind = 'invoice' AND NEW.origin_id IS NULL AND EXISTS (SELECT 1
	FROM document WHERE order_id = NEW.order_id AND kind = 'invoice' AND
	origin_id IS NULL))
    OR (NEW.kind = 'transfer_order' AND EXISTS (SELECT 1 FROM document
	WHERE order_id = NEW.order_id AND kind = 'transfer_order'))
    OR (NEW.kind = 'transfer_order' AND EXISTS (SELECT 1 FROM document WHERE
	kind = 'transfer_order' AND payment_reference = NEW.payment_reference))
    OR (NEW.kind IN ('prepayment_receipt', 'balance_use') AND
	NEW.total_minor > 0 AND EXISTS (SELECT 1 FROM document WHERE
	order_id = NEW.order_id AND kind = NEW.kind AND total_minor > 0))
    OR (NEW.kind = 'invoice' AND NEW.payment_reference IS NOT NULL AND
	EXISTS (SELECT 1 FROM document WHERE kind = 'invoice' AND
	payment_reference = NEW.payment_reference))
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
