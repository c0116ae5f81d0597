-- 003-archive.sql - schema version 3: frozen orders, VIES answers appended,
-- no REPLACE into immutable rows, and the hash chain of every series.
--
-- Frozen orders.  Once any document (payment order, invoice, credit note)
-- exists for an order, the order, its lines and the payer row it refers
-- to are what that document was issued from: they can be neither changed,
-- deleted nor added to.  Two things stay possible: orders.paid_at set once
-- (NULL to a value, never rewritten), and a new VIES answer, which is a
-- new row of vat_check (the latest row is what issuing reads; the
-- orders.vat_check_* columns keep the answer given with the order).
--
-- Immutable rows and REPLACE.  INSERT OR REPLACE (and REPLACE INTO) deletes
-- a conflicting row without firing DELETE triggers, so every immutable
-- table also refuses an INSERT whose key already exists.
--
-- The chain.  chain_link holds, per series, one link for each issued
-- document and one for each recorded file hash (document_file row), in
-- the order they were taken: the canonical text of the rows (form
-- `form`, defined in gen/store/chain.c), the previous link's SHA-256 and
-- its own.  invgen takes a link in the transaction that writes the rows;
-- `invgen verify` recomputes the chain and compares it with the rows.
-- Existing databases get their links when they are migrated (in C, after
-- every migration of the run: see schema.c).

CREATE INDEX document_order ON document(order_id);

CREATE TABLE vat_check (
	id          INTEGER PRIMARY KEY,
	order_id    INTEGER NOT NULL REFERENCES orders(id),
	status      TEXT NOT NULL CHECK (status IN
		('valid', 'invalid', 'unavailable')),
	checked_at  TEXT,
	reference   TEXT
);
CREATE INDEX vat_check_order ON vat_check(order_id, id);

-- A rowid table: its rows hold a canonical text of a few KB, which a
-- WITHOUT ROWID table would spread over overflow pages of its key's tree.
CREATE TABLE chain_link (
	id          INTEGER PRIMARY KEY,
	series      TEXT NOT NULL,
	pos         INTEGER NOT NULL CHECK (pos >= 1),
	kind        TEXT NOT NULL CHECK (kind IN ('document', 'file')),
	document_id INTEGER NOT NULL REFERENCES document(id),
	format      TEXT,
	form        INTEGER NOT NULL,
	canonical   TEXT NOT NULL,
	prev_sha256 TEXT NOT NULL,
	sha256      TEXT NOT NULL,
	UNIQUE (series, pos)
);
CREATE INDEX chain_link_document ON chain_link(document_id, kind, format);

-- ---- frozen orders ----

CREATE TRIGGER orders_frozen_u BEFORE UPDATE ON orders
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = OLD.id)
    AND NOT (OLD.paid_at IS NULL AND NEW.paid_at IS NOT NULL
	AND NEW.id IS OLD.id
	AND NEW.order_no IS OLD.order_no
	AND NEW.created_at IS OLD.created_at
	AND NEW.currency IS OLD.currency
	AND NEW.payment_method IS OLD.payment_method
	AND NEW.language IS OLD.language
	AND NEW.payer_id IS OLD.payer_id
	AND NEW.customer_telegram_id IS OLD.customer_telegram_id
	AND NEW.customer_username IS OLD.customer_username
	AND NEW.vat_check_status IS OLD.vat_check_status
	AND NEW.vat_check_at IS OLD.vat_check_at
	AND NEW.vat_check_reference IS OLD.vat_check_reference
	AND NEW.evidence_billing_country IS OLD.evidence_billing_country
	AND NEW.evidence_card_country IS OLD.evidence_card_country
	AND NEW.evidence_ip_country IS OLD.evidence_ip_country
	AND NEW.source_sha256 IS OLD.source_sha256)
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; it is frozen (paid_at can be set once)');
END;
-- An UPDATE OR REPLACE of another order that takes a frozen order's key
-- would delete the frozen one.
CREATE TRIGGER orders_frozen_key BEFORE UPDATE OF id, order_no ON orders
WHEN EXISTS (SELECT 1 FROM orders o WHERE (o.id = NEW.id OR
    o.order_no = NEW.order_no) AND o.id <> OLD.id AND
    EXISTS (SELECT 1 FROM document WHERE order_id = o.id))
BEGIN SELECT RAISE(ABORT, 'order has an issued document; it is frozen'); END;
CREATE TRIGGER orders_frozen_d BEFORE DELETE ON orders
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'order has an issued document; it is frozen'); END;
CREATE TRIGGER orders_frozen_i BEFORE INSERT ON orders
WHEN EXISTS (SELECT 1 FROM orders o WHERE (o.id = NEW.id OR
    o.order_no = NEW.order_no) AND
    EXISTS (SELECT 1 FROM document WHERE order_id = o.id))
BEGIN SELECT RAISE(ABORT, 'order has an issued document; it is frozen'); END;

-- order_line_frozen (001) refuses UPDATE of a frozen order's lines.
CREATE TRIGGER order_line_frozen_to BEFORE UPDATE ON order_line
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = NEW.order_id)
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; its lines are frozen'); END;
CREATE TRIGGER order_line_frozen_d BEFORE DELETE ON order_line
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = OLD.order_id)
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; its lines are frozen'); END;
CREATE TRIGGER order_line_frozen_i BEFORE INSERT ON order_line
WHEN EXISTS (SELECT 1 FROM document WHERE order_id = NEW.order_id)
BEGIN SELECT RAISE(ABORT,
    'order has an issued document; its lines are frozen'); END;

CREATE TRIGGER payer_frozen_u BEFORE UPDATE ON payer
WHEN EXISTS (SELECT 1 FROM orders o WHERE o.payer_id IN (OLD.id, NEW.id) AND
    EXISTS (SELECT 1 FROM document WHERE order_id = o.id))
BEGIN SELECT RAISE(ABORT,
    'payer of an order with an issued document; it is frozen'); END;
CREATE TRIGGER payer_frozen_d BEFORE DELETE ON payer
WHEN EXISTS (SELECT 1 FROM orders o WHERE o.payer_id = OLD.id AND
    EXISTS (SELECT 1 FROM document WHERE order_id = o.id))
BEGIN SELECT RAISE(ABORT,
    'payer of an order with an issued document; it is frozen'); END;
CREATE TRIGGER payer_frozen_i BEFORE INSERT ON payer
WHEN EXISTS (SELECT 1 FROM orders o WHERE o.payer_id = NEW.id AND
    EXISTS (SELECT 1 FROM document WHERE order_id = o.id))
BEGIN SELECT RAISE(ABORT,
    'payer of an order with an issued document; it is frozen'); END;

-- ---- VIES answers: appended, never changed ----

CREATE TRIGGER vat_check_immutable_u BEFORE UPDATE ON vat_check
BEGIN SELECT RAISE(ABORT, 'VIES answers are appended, never changed'); END;
CREATE TRIGGER vat_check_immutable_d BEFORE DELETE ON vat_check
BEGIN SELECT RAISE(ABORT, 'VIES answers are appended, never changed'); END;
CREATE TRIGGER vat_check_immutable_i BEFORE INSERT ON vat_check
WHEN EXISTS (SELECT 1 FROM vat_check WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'VIES answers are appended, never changed'); END;

-- ---- no REPLACE into issued documents, no rows added to them ----

CREATE TRIGGER document_immutable_i BEFORE INSERT ON document
WHEN EXISTS (SELECT 1 FROM document WHERE id = NEW.id)
    OR EXISTS (SELECT 1 FROM document WHERE number = NEW.number)
    OR EXISTS (SELECT 1 FROM document WHERE series = NEW.series AND
	seq = NEW.seq)
    OR (NEW.kind IN ('invoice', 'transfer_order') AND EXISTS (SELECT 1 FROM
	document WHERE order_id = NEW.order_id AND kind = NEW.kind))
    OR (NEW.kind = 'transfer_order' AND EXISTS (SELECT 1 FROM document WHERE
	kind = 'transfer_order' AND payment_reference = NEW.payment_reference))
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
-- Lines and VAT rows are written before the document's chain link, in the
-- same transaction; once it is linked nothing can be added.
CREATE TRIGGER document_line_immutable_i BEFORE INSERT ON document_line
WHEN EXISTS (SELECT 1 FROM document_line WHERE document_id = NEW.document_id
	AND line_no = NEW.line_no)
    OR EXISTS (SELECT 1 FROM chain_link WHERE document_id = NEW.document_id
	AND kind = 'document')
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_vat_immutable_i BEFORE INSERT ON document_vat
WHEN EXISTS (SELECT 1 FROM document_vat WHERE document_id = NEW.document_id
	AND vat_category = NEW.vat_category AND vat_rate_bp = NEW.vat_rate_bp)
    OR EXISTS (SELECT 1 FROM chain_link WHERE document_id = NEW.document_id
	AND kind = 'document')
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_file_immutable_i BEFORE INSERT ON document_file
WHEN EXISTS (SELECT 1 FROM document_file WHERE document_id = NEW.document_id
	AND format = NEW.format)
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;

-- ---- the chain: appended, never changed ----

CREATE TRIGGER chain_link_immutable_u BEFORE UPDATE ON chain_link
BEGIN SELECT RAISE(ABORT, 'the archive chain is append-only'); END;
CREATE TRIGGER chain_link_immutable_d BEFORE DELETE ON chain_link
BEGIN SELECT RAISE(ABORT, 'the archive chain is append-only'); END;
CREATE TRIGGER chain_link_immutable_i BEFORE INSERT ON chain_link
WHEN EXISTS (SELECT 1 FROM chain_link WHERE id = NEW.id)
    OR EXISTS (SELECT 1 FROM chain_link WHERE series = NEW.series AND
	pos = NEW.pos)
BEGIN SELECT RAISE(ABORT, 'the archive chain is append-only'); END;
