/*
 * ubl.h - EN 16931 e-invoices in the UBL 2.1 syntax: an Invoice, or a
 * CreditNote for kind DOC_CREDIT_NOTE, following Peppol BIS Billing 3.0,
 * written from an issued snapshot (struct document) and nothing else: no
 * database, no clock, no locale.  Same snapshot, same bytes.
 *
 * Exports ubl_write.  What the document says is decided by en16931.c
 * (see en16931.h for every decision); this writer only puts it into UBL's
 * elements.  Must not include libxml2 in this header, print, or change
 * the snapshot.
 */
#ifndef INVGEN_UBL_H
#define INVGEN_UBL_H

#include "buf.h"
#include "err.h"
#include "model.h"

/*
 * Write d as a UBL 2.1 Invoice (kind DOC_INVOICE) or CreditNote
 * (DOC_CREDIT_NOTE), UTF-8, replacing what out held (out is left empty on
 * failure).  GEN_EINPUT: a transfer order, a snapshot that is incomplete
 * or inconsistent (totals, categories, missing names), text XML cannot
 * carry, a 3-decimal currency; GEN_EXML: a libxml2 failure.
 */
enum gen_rc	ubl_write(const struct document *d, struct buf *out,
		    struct gen_err *err);

#endif
