/*
 * cii.h - EN 16931 e-invoices in the UN/CEFACT Cross Industry Invoice
 * syntax (CII D16B), Factur-X / ZUGFeRD profile EN 16931 (guideline ID
 * urn:cen.eu:en16931:2017): the XML that is also embedded in the hybrid
 * PDF/A-3.  Written from an issued snapshot (struct document) only: no
 * database, no clock.  Same snapshot, same bytes.
 *
 * Exports cii_write.  The content decisions (sign of credit notes,
 * categories, identifiers and schemes, notes, payment) are
 * en16931_build's, so the CII and the UBL document of one snapshot say
 * the same thing; see en16931.h for them.  CII specifics: type code 380 or
 * 381 with positive amounts; dates in format 102 (YYYYMMDD); BT-31 with
 * schemeID VA and BT-32 with schemeID FC; the EUR VAT total (BT-111) is a
 * second TaxTotalAmount with currencyID EUR; the document note may carry
 * several lines in one IncludedNote.  Must not include libxml2 in this
 * header, print, or change the snapshot.
 */
#ifndef INVGEN_CII_H
#define INVGEN_CII_H

#include "buf.h"
#include "invgen.h"
#include "model.h"

#define CII_GUIDELINE	"urn:cen.eu:en16931:2017"

/*
 * Write d as a CrossIndustryInvoice, UTF-8, replacing what out held (out
 * is left empty on failure).  Errors as ubl_write: GEN_EINPUT for a
 * transfer order or an incomplete/inconsistent snapshot, GEN_EXML for
 * text XML cannot carry, a 3-decimal currency, or a libxml2 failure.
 */
enum gen_rc	cii_write(const struct document *d, struct buf *out,
		    struct gen_err *err);

#endif
