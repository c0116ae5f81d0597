-- 006-paper-logo.sql - schema version 6: the paper and the logo of a
-- seller's documents (layout version 2).
--
-- logo: the bytes of every logo a seller profile ever named (a PNG or a
--   JPEG file), by the SHA-256 of the bytes.  Issued documents print a
--   logo by its hash, so a logo is never changed or deleted: a new logo is
--   a new row, and a later profile never changes an issued document.
-- seller_profile.paper: 'A4' or 'Letter' for every document of the
--   period, or NULL for the paper of the payer's country (ICU's paper
--   size of und_<country>).
-- seller_profile.logo_sha256: the logo of the period's documents, or NULL.
-- document.logo_sha256: the logo the document was issued with, or NULL.
--   (The paper an issued document was given is its template: 'invoice'
--   on A4, 'invoice-letter' on US Letter.)

CREATE TABLE logo (
	sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
	media_type TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
	data       BLOB NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER logo_immutable_u BEFORE UPDATE ON logo
BEGIN SELECT RAISE(ABORT, 'logos are immutable: issued documents print them'); END;
CREATE TRIGGER logo_immutable_d BEFORE DELETE ON logo
BEGIN SELECT RAISE(ABORT, 'logos are immutable: issued documents print them'); END;

ALTER TABLE seller_profile ADD COLUMN paper TEXT
	CHECK (paper IS NULL OR paper IN ('A4', 'Letter'));
ALTER TABLE seller_profile ADD COLUMN logo_sha256 TEXT REFERENCES logo(sha256);
ALTER TABLE document ADD COLUMN logo_sha256 TEXT REFERENCES logo(sha256);
