-- 007-topup-invoices.sql - schema version 7: the invoice that credits the
-- prepaid balance with the unused part of a terminated subscription
-- (at_top_up; document.origin_id names the credit note it follows) is
-- issued for the order of that subscription, which has its own invoice
-- already.  004-money-flows.sql allowed it in the unique index
-- document_one_invoice (origin_id IS NULL only), but the no-REPLACE
-- trigger of 003-archive.sql still refused a second invoice of an order:
-- it now counts the order's own invoice the same way.  Nothing else of
-- the trigger changes.

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
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
