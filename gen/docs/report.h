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
 *                   currency or VAT treatment, as a table or CSV;
 *   report_vat_return()  the figures of the Lithuanian VAT return (form
 *                   FR0600) of a month, box by box, with the check that
 *                   ties them to the i.SAF register and to FR0564;
 *   report_ec_sales()    the rows of the recapitulative statement of
 *                   services to VAT payers of other member states (form
 *                   FR0564) of a month;
 *                   both as a readable table, CSV or JSON.
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
 * VAT return, FR0600 (README "Tax reports" cites the filling rules)
 *   - Period: a calendar month, from its first day on which a seller
 *     profile with a VAT number is valid (July 2025: from 2025-07-09) to
 *     its last such day.  A month without such a day has no return:
 *     GEN_EINPUT saying so (never a return of zeros).
 *   - Documents: kinds invoice and credit_note only (explicit kinds;
 *     other kinds are not VAT documents).  Invoices by their tax point
 *     (the VAT point date), credit notes by their issue date: a credit
 *     note reduces the period it is issued in.  NOT_VAT_REGISTERED
 *     documents, including credit notes of invoices of before the VAT
 *     registration, never enter a return; they are listed as left out.
 *   - Amounts in euro cents from the document totals: EUR documents as
 *     they are; other currencies at the document's stored ECB rate (the
 *     VAT in EUR is the one stored at issue), else, for documents without
 *     VAT, at the ECB rate of the tax point (a credit note: of its
 *     invoice), as issuing and the i.SAF register convert.
 *   - Box 11: taxable value of LT_STANDARD documents (21 %; another
 *     Lithuanian rate is refused: no box is mapped for it).  Box 29: their
 *     VAT in EUR.  Box 20: taxable value of REVERSE_CHARGE, OUTSIDE_SCOPE
 *     and OSS_DESTINATION documents, shown with those three parts.
 *     ASSUMPTION, UNVERIFIED: that OSS supplies belong in box 20 (as in
 *     i.SAF with PVM15) and not in the OSS return only.  The "whole"
 *     column rounds each box half up to whole euros (UNVERIFIED that the
 *     form takes whole euros).
 *   - Check: the i.SAF Invoice elements whose VATPointDate, else
 *     InvoiceDate, is in the month (built by the i.SAF code, whatever
 *     month's register they are in): PVM1 TaxableValue = box 11, PVM1
 *     Amount = box 29, PVM15 TaxableValue = box 20; and box 20's
 *     reverse-charge part = the FR0564 total.  Documents whose VAT point
 *     date and invoice date are in different months are listed (timing
 *     differences).  A difference sets *mismatch and is printed; the
 *     figures are printed all the same.
 *
 * Recapitulative statement, FR0564
 *   - The REVERSE_CHARGE documents of the VAT return month (same dates),
 *     one row per payer VAT number (normalised by vatid_check; a number
 *     that fails it is GEN_EINPUT naming the document): member state code
 *     (the VAT prefix, EL for Greece), the number without the prefix, the
 *     customer name (of the row's last document) and the services value
 *     in EUR, credit notes netted into the row of the month they are
 *     issued in (a row may be negative).  Rows that net to 0.00 are not
 *     listed.  Rows sorted by VAT number; the total is their sum.
 *     UNVERIFIED: negative rows and netting (see README).
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

/* Output of the reports: the values of enum invgen_format. */
enum report_format {
	REPORT_TEXT = 0,
	REPORT_CSV = 1,
	REPORT_JSON = 2
};

/*
 * The OSS return of quarter ("YYYYQn", n 1..4, e.g. "2025Q3") as format:
 * a readable table; CSV with the header line
 *   quarter,section,member_state,rate,original_quarter,taxable_eur,vat_eur
 * (section "supplies" or "correction"; original_quarter empty for
 * supplies); or one JSON object: quarter, from, to, supplies and
 * corrections (member_state, rate, taxable_eur, vat_eur; original_quarter
 * for a correction) with their totals, exchange_rates and conversions.
 * GEN_EINPUT for a malformed quarter (naming the allowed form
 * YYYYQn); GEN_ERETRY for an ECB rate not imported yet; GEN_EDB on a
 * database failure.
 */
enum gen_rc report_oss(struct store *s, const char *quarter,
    enum report_format format, struct buf *out, struct gen_err *err);

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
 * "treatment" (NULL: treatment), as format: a table; CSV with the
 * header line
 *   from,to,by,group,currency,documents,net,vat,total,vat_eur
 * (amounts as plain decimals of the row's currency, vat_eur in EUR); or
 * one JSON object: from, to, by, groups (group, currency, documents, net,
 * vat, total, vat_eur: null when not known), totals per currency and
 * vat_eur of all.
 * GEN_EINPUT for a malformed date, to before from, or an unknown `by`.
 */
enum gen_rc report_sales(struct store *s, const char *from, const char *to,
    const char *by, enum report_format format, struct buf *out,
    struct gen_err *err);

/*
 * The FR0600 figures of month ("YYYY-MM") as format: text; CSV with the
 * header line
 *   month,box,part,eur,whole_eur
 * (part empty for a box, "reverse_charge", "outside_eu" or "oss" for the
 * parts of box 20; whole_eur empty for parts); or one JSON object.
 * *mismatch is set to 1 when the check against the i.SAF register or
 * FR0564 fails (the output says where), else 0.  GEN_EINPUT for a
 * malformed month, a month without VAT registration, an unmapped VAT rate
 * or a missing ECB rate; GEN_EDB on a database failure.
 */
enum gen_rc report_vat_return(struct store *s, const char *month,
    enum report_format format, struct buf *out, int *mismatch,
    struct gen_err *err);

/*
 * The FR0564 rows of month as format: text; CSV with the header line
 *   month,row,member_state,vat_number,customer,services_eur,
 *   services_whole_eur
 * (one line; customer quoted as CSV needs); or one JSON object.
 * *mismatch is set when the total differs from box 20's reverse-charge
 * part of the same month's VAT return.  Errors as report_vat_return, and
 * GEN_EINPUT for a reverse-charge document whose payer VAT number fails
 * vatid_check.
 */
enum gen_rc report_ec_sales(struct store *s, const char *month,
    enum report_format format, struct buf *out, int *mismatch,
    struct gen_err *err);

/*
 * The invoices on credit terms (issued before payment, with a due date)
 * on which something is still due: their total less their credit notes
 * less the payments booked against them, with the days overdue as of
 * today (a day number: the caller's clock), as format: a table; CSV with
 * the header
 *   number,order_no,issue_date,due_date,currency,total,credited,paid,
 *   left,days_overdue
 * or one JSON object {"as_of", "invoices": [the same and left_minor]}.
 */
enum gen_rc report_unpaid(struct store *s, int32_t today,
    enum report_format format, struct buf *out, struct gen_err *err);

#endif
