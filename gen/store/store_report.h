/*
 * store_report.h - the queries behind the tax reports (report.c): the
 * VAT rows of issued OSS documents of a period, the totals of the
 * documents issued in a period, the documents of a VAT return month, the
 * documents of an i.SAF register, the days of a month on which the seller
 * was VAT-registered and the ECB rate on or after a date.
 *
 * Exports store_report_oss_rows, store_report_sales_rows,
 * store_report_return_rows, store_report_isaf_docs,
 * store_report_vat_days, store_report_fx_on_or_after,
 * store_report_rows_free and store_report_unpaid (invoices on credit
 * terms and what is still due on them).  Like the other store files,
 * store_report.c includes <sqlite3.h> and nothing outside the store does.
 *
 * Reads only the issued documents (document, document_vat), the
 * exchange_rate table and the validity periods and VAT numbers of the
 * seller profiles: never orders or payers, so a report always agrees
 * with what was issued.  Never writes.  Documents are selected by
 * explicit kind (invoice, credit_note): payment orders and any other
 * non-VAT kind are never returned.
 */
#ifndef INVGEN_STORE_REPORT_H
#define INVGEN_STORE_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "caldate.h"
#include "err.h"
#include "model.h"
#include "store.h"
#include "tax.h"

/*
 * One row of a report query: a VAT row of a document (OSS) or a whole
 * document (sales).  Strings are owned (store_report_rows_free).
 */
struct store_report_row {
	int64_t doc_id;
	enum doc_kind kind;
	char *number;
	char issue_date[CALDATE_LEN];
	char tax_point_date[CALDATE_LEN];
	enum tax_treatment treatment;
	char vat_country[3];		/* "" when NULL */
	char payer_country[3];
	char currency[4];
	int currency_digits;
	char vat_category[3];
	int32_t vat_rate_bp;
	int64_t net_minor;		/* OSS: the VAT row's taxable */
	int64_t vat_minor;
	int64_t total_minor;		/* sales only */
	int has_vat_eur;		/* vat_eur_minor was stored */
	int64_t vat_eur_minor;
	/* Credit notes: the corrected invoice's number and tax point. */
	char *corrects_number;
	char corrects_tax_point_date[CALDATE_LEN];
	char *fx_units_per_eur;		/* the stored ECB rate, or NULL */
	char fx_rate_date[CALDATE_LEN];	/* its date; "" when NULL */
	char *payer_vat_number;		/* as stored, or NULL */
	char *payer_name;
	int has_seller_vat;		/* seller_vat_number was stored */
};

struct store_report_rows {
	struct store_report_row *v;
	size_t n;
};

/* Free the rows' strings and array; r itself is the caller's; NULL ok. */
void store_report_rows_free(struct store_report_rows *r);

/*
 * The VAT rows (document_vat) of the OSS_DESTINATION documents that
 * belong to the days [from, to]: invoices whose tax point is in it and
 * credit notes issued in it (whatever their invoice's tax point), ordered
 * by document id and VAT row.  *out is filled (free with
 * store_report_rows_free), empty when there are none.  GEN_EDB on a
 * database failure.
 */
enum gen_rc store_report_oss_rows(struct store *s, int32_t from, int32_t to,
    struct store_report_rows *out, struct gen_err *err);

/*
 * The invoices and credit notes issued in [from, to] (issue_date), one
 * row per document with its net, VAT and total and the stored VAT in EUR,
 * ordered by document id.  vat_category and vat_rate_bp are the
 * document's.
 */
enum gen_rc store_report_sales_rows(struct store *s, int32_t from,
    int32_t to, struct store_report_rows *out, struct gen_err *err);

/*
 * The invoices and credit notes of a VAT return month [from, to]:
 * invoices whose tax point is in it and credit notes issued in it (a
 * credit note reduces the period it is issued in), one row per document
 * with the document's totals, stored VAT in EUR and rate, whatever their
 * treatment (the caller leaves out the NOT_VAT_REGISTERED ones), ordered
 * by that date, series and number.
 */
enum gen_rc store_report_return_rows(struct store *s, int32_t from,
    int32_t to, struct store_report_rows *out, struct gen_err *err);

/*
 * The days of [from, to] on which a seller profile with a VAT number was
 * valid: *first is the first such day, *last the last (from the earliest
 * valid_from to the latest valid_to of those profiles, clipped to [from,
 * to]).  GEN_ENOTFOUND (no message) when there is none: the seller was
 * not VAT-registered in the period.
 */
enum gen_rc store_report_vat_days(struct store *s, int32_t from, int32_t to,
    int32_t *first, int32_t *last, struct gen_err *err);

/* A document of an i.SAF register and the date its EUR rate is for. */
struct store_report_isaf_doc {
	int64_t id;
	/* The tax point of the document, or for a credit note that of its
	 * invoice (a credit note uses its invoice's rate). */
	char fx_date[CALDATE_LEN];
};

/*
 * The invoices and credit notes issued in [from, to] by a VAT-registered
 * seller (seller_vat_number not NULL), ordered by issue date, series and
 * number; with by_vat_point set, also those whose tax point (the i.SAF
 * VATPointDate) is in [from, to] whenever they were issued.  *docs is the
 * caller's to free().
 */
enum gen_rc store_report_isaf_docs(struct store *s, int32_t from,
    int32_t to, int by_vat_point, struct store_report_isaf_doc **docs,
    size_t *n, struct gen_err *err);

/*
 * The ECB rate of a currency dated `date`, or if there is none that day,
 * the first one published in the max_days days after it (the OSS rule,
 * VAT Directive Art. 369h: "the next day of publication").  units gets
 * the decimal string as published, rate_date its date.  A missing rate is
 * GEN_ERETRY naming the rates to import (GEN_EINPUT for a currency
 * without any stored rate), as store_fx_rate.
 */
enum gen_rc store_report_fx_on_or_after(struct store *s,
    const char *currency, int32_t date, int max_days, char *units,
    size_t unitsz, char rate_date[CALDATE_LEN], struct gen_err *err);

/* An invoice on credit terms and what was credited and paid on it. */
struct store_report_unpaid {
	char *number, *order_no, *payer;
	char issue_date[CALDATE_LEN], due_date[CALDATE_LEN];
	char currency[4];
	int currency_digits;
	int64_t total_minor;
	int64_t credited_minor;		/* its credit notes' totals (<= 0) */
	int64_t paid_minor;		/* payments booked against it */
};

/*
 * Every invoice on credit terms (a due date), by due date, with the sums
 * of its credit notes and booked payments; *out is freed with
 * store_report_unpaid_free().
 */
enum gen_rc store_report_unpaid(struct store *s,
    struct store_report_unpaid **out, size_t *n, struct gen_err *err);
void store_report_unpaid_free(struct store_report_unpaid *v, size_t n);

#endif
