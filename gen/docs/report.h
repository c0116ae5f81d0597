/*
 * report.h - the accountants' tax reports, computed from the issued
 * documents only (tables document and document_vat, plus exchange_rate
 * for the OSS conversion; never orders, payers or today's seller
 * profile), so a report always agrees with what was issued:
 *
 *   report_oss()    the OSS return (Union scheme) of a calendar quarter,
 *                   as a readable table or CSV;
 *   report_isaf()   the i.SAF register of issued PVM invoices of a month
 *                   (XML, iSAF1.2);
 *   report_sales()  sales totals of a period grouped by payer country,
 *                   currency or VAT treatment, as a table or CSV.
 *
 * Each CLI command is one call: the output is appended to a struct buf
 * (the caller's; zero-initialise it, buf_free() it), and nothing is
 * appended when the call fails.  The output depends only on the database
 * and the arguments: no clock (the i.SAF creation time is a parameter),
 * no locale, no environment; the bytes are the same on every machine.
 * Each call reads in one read transaction (store_begin_read), so it sees
 * one consistent snapshot while other processes issue documents; call it
 * outside any transaction of the same connection.  Library code: never
 * prints, never exits.
 *
 * OSS return (VAT Directive Art. 369g; REFERENCE.md 6.5)
 *   - Supplies of quarter Q, per member state of consumption
 *     (document.vat_country) and VAT rate: the OSS_DESTINATION invoices
 *     whose tax point is in Q, plus the credit notes issued in Q for
 *     invoices whose tax point is in Q (netted).
 *   - Corrections (Art. 369g(4)): a credit note issued in Q for an invoice
 *     whose tax point is in an earlier quarter P is not netted into Q; it
 *     is listed per (P, member state, rate) as delta taxable and delta VAT.
 *   - Currency (Art. 369h): EUR documents count as they are.  Other
 *     currencies are summed per (quarter, member state, rate, currency) in
 *     their own minor units and converted once with money_to_eur_cents
 *     (half up) at the ECB rate of the last day of the quarter, or, when
 *     the ECB published none that day, of the next publication day (at
 *     most 7 days later).  ASSUMPTION: a correction of quarter P is
 *     converted at the rate of P's last day, the rate the original return
 *     used, so a full credit reverses exactly what P declared.  A missing
 *     rate is GEN_ERETRY naming the rates to import.  The readable
 *     output lists every rate used (currency, date, rate) and every
 *     converted sum; the CSV has the figures of the return only.
 *   - The per-document VAT in EUR stored at issue (rate of the tax point,
 *     REFERENCE.md 3.4) is NOT used here: that is the invoice's figure,
 *     not the return's.
 *
 * i.SAF register of issued invoices (REFERENCE.md 6.1, 6.2)
 *   - Invoices and credit notes issued in the month (issue_date) by a
 *     VAT-registered seller (document.seller_vat_number not NULL): plain
 *     invoices before the VAT registration are not PVM invoices.
 *   - Element order and cardinality follow the XSD as transcribed in
 *     versada/pyisaf (schema_v1_2.py, builder/v1_2.py): every element of
 *     an Invoice is written; the nillable ones without a value carry
 *     xsi:nil="true" (VATPointDate when the tax point equals the issue
 *     date, TaxPercentage for PVM15, VATPointDate2 always);
 *     References is empty for invoices.  MasterFiles (optional) is not
 *     written; SalesInvoices is left out in a month without invoices
 *     (a nil register: SourceDocuments is empty).
 *   - InvoiceType SF for invoices, KS for credit notes (with
 *     References/Reference = the corrected invoice's number and date);
 *     amounts of credit notes are negative.
 *   - CustomerInfo: CustomerID = the payer's Telegram id, else the order
 *     number; VATRegistrationNumber = the payer's VAT number when it
 *     passes vatid_check, else "ND"; RegistrationNumber = the payer's
 *     company code or "ND"; Country = the payer's country; Name.
 *   - Tax codes (VMI "PVM klasifikatorius", REFERENCE.md 6.2): PVM1 for
 *     LT_STANDARD at 21 % (another LT rate is refused: no code is mapped
 *     for it); PVM15 (supplied outside Lithuania, with the right to deduct)
 *     for REVERSE_CHARGE, OUTSIDE_SCOPE and OSS_DESTINATION.  ASSUMPTION,
 *     UNVERIFIED (REFERENCE.md 6.2 and section 8 item 6): that OSS B2C
 *     supplies belong in i.SAF at all, and with PVM15.
 *   - Amount (VAT in EUR): the stored EUR VAT for PVM1.  For PVM15 it is
 *     0.00, also for OSS documents: their VAT is the member state of
 *     consumption's VAT, declared and paid through the OSS return, not
 *     Lithuanian VAT; the register feeds the Lithuanian VAT return, where
 *     these supplies are not taxable, so listing the foreign VAT would
 *     overstate the Lithuanian VAT.  TaxPercentage is nil for PVM15 (no
 *     Lithuanian rate applies).  Both decisions are written into the file
 *     as an XML comment.
 *   - TaxableValue in EUR: the stored taxable_eur_minor of the VAT row when
 *     there is one; else converted (half up) with the document's stored
 *     fx_units_per_eur; else (non-EUR documents without VAT, e.g. reverse
 *     charge or outside scope in USD) at the ECB rate of the tax point, as
 *     issuing would have (store_fx_rate: that day or the last publication
 *     in the 7 days before); a credit note uses its invoice's date, so it
 *     mirrors the invoice.
 *   - RegistrationNumber (header) = the seller company code of the month's
 *     documents (all must agree; 1..11 digits).  In a month without
 *     documents it is taken from the seller profile valid on the month's
 *     last day (the period's profile, not today's); when that profile has
 *     no VAT number the seller was not a VAT payer and there is no
 *     register: GEN_EINPUT.
 *   - FileDateCreated is the caller's `created` (UTC epoch seconds; the
 *     CLI passes its configured "now"), written "YYYY-MM-DDTHH:MM:SSZ".
 *     SoftwareCompanyName "SIP.TG", SoftwareName "invgen".
 *
 * Sales summary
 *   - Invoices and credit notes issued in [from, to] (transfer orders are
 *     not sales).  Per group and currency: number of documents, net, VAT
 *     and total in that currency (different currencies are never added),
 *     and the VAT in EUR: EUR documents' VAT as is, other currencies' the
 *     stored vat_eur_minor; "n/a" when a document with VAT has none stored.
 *     Then totals per currency and the total VAT in EUR.
 */
#ifndef INVGEN_REPORT_H
#define INVGEN_REPORT_H

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "store.h"

/*
 * The OSS return of quarter ("YYYYQn", n 1..4, e.g. "2025Q3"); csv 0: a
 * readable table, 1: CSV with the header line
 *   quarter,section,member_state,rate,original_quarter,taxable_eur,vat_eur
 * (section "supplies" or "correction"; original_quarter empty for
 * supplies).  GEN_EINPUT for a malformed quarter (naming the allowed form
 * YYYYQn); GEN_ERETRY for an ECB rate not imported yet; GEN_EDB on a
 * database failure.
 */
enum gen_rc report_oss(struct store *s, const char *quarter, int csv,
    struct buf *out, struct gen_err *err);

/*
 * The i.SAF register (DataType S) of month ("YYYY-MM") as XML.  created
 * is FileDateCreated (UTC epoch seconds); software_version goes to
 * SoftwareVersion (at most 24 characters).  GEN_EINPUT for a malformed
 * month, a seller that was not VAT-registered, a value the i.SAF types
 * cannot carry (named); GEN_ERETRY for an ECB rate not imported yet;
 * GEN_EXML when libxml2 fails; GEN_EDB on a database failure.
 */
enum gen_rc report_isaf(struct store *s, const char *month, int64_t created,
    const char *software_version, struct buf *out, struct gen_err *err);

/*
 * Sales totals of the documents issued from `from` to `to` (YYYY-MM-DD,
 * inclusive) grouped by `by`: "country" (payer country), "currency" or
 * "treatment" (NULL: treatment).  csv 1: CSV with the header line
 *   from,to,by,group,currency,documents,net,vat,total,vat_eur
 * (amounts as plain decimals of the row's currency, vat_eur in EUR).
 * GEN_EINPUT for a malformed date, to before from, or an unknown `by`.
 */
enum gen_rc report_sales(struct store *s, const char *from, const char *to,
    const char *by, int csv, struct buf *out, struct gen_err *err);

/*
 * The invoices on credit terms (issued before payment, with a due date)
 * on which something is still due: their total less their credit notes
 * less the payments booked against them, with the days overdue as of
 * today (a day number: the caller's clock).  csv 1: CSV with the header
 *   number,order_no,issue_date,due_date,currency,total,credited,paid,
 *   left,days_overdue
 */
enum gen_rc report_unpaid(struct store *s, int32_t today, int csv,
    struct buf *out, struct gen_err *err);

#endif
