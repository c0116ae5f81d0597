-- 005-layout-versions.sql - schema version 5: versioned rendering, the
-- rendering environment, territories, regional VAT rates and the
-- Lithuanian-language setting of a seller profile.
--
-- document.layout_version: the layout version a document was issued with
--   (gen/model/layoutver.h).  Every document issued before this migration
--   was rendered with version 1: the default gives them exactly that.
-- document.render_env: what rendering depended on outside invgen when the
--   document was issued (ICU and its data, libharu, zlib, libqrencode,
--   libxml2); NULL for documents issued before it was recorded.
-- document.territory: the special territory or VAT region of the place of
--   supply whose rules applied ("canary_islands", "azores", ...), NULL for
--   none and for documents issued before it was recorded.
-- seller_profile.lithuanian_for_all: 1 = every accounting document of the
--   period is bilingual with Lithuanian, not only those of payers in
--   Lithuania.
-- vat_rate_region: standard rates of regions that have their own (the
--   Azores and Madeira), loaded from gen/data/vat_rates_regional.txt by
--   the same migration.

ALTER TABLE document ADD COLUMN layout_version INTEGER NOT NULL DEFAULT 1
	CHECK (layout_version >= 1);
ALTER TABLE document ADD COLUMN render_env TEXT;
ALTER TABLE document ADD COLUMN territory TEXT;

ALTER TABLE seller_profile ADD COLUMN lithuanian_for_all INTEGER NOT NULL
	DEFAULT 0 CHECK (lithuanian_for_all IN (0, 1));

CREATE TABLE vat_rate_region (
	country    TEXT NOT NULL,
	region     TEXT NOT NULL,
	rate_bp    INTEGER NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
	valid_from TEXT NOT NULL,
	valid_to   TEXT,
	source     TEXT NOT NULL,
	PRIMARY KEY (country, region, valid_from)
) WITHOUT ROWID;
