/*
 * model.h - the in-memory records invgen works on: an order as the bot
 * wrote it, a seller profile, and an issued document (the snapshot every
 * renderer reads: PDF, UBL, CII, reports).
 *
 * These structs are deliberately visible rather than opaque: they are plain
 * data records read field by field by several back ends, and accessor
 * functions for sixty fields would add noise, not safety.  Strings are
 * owned, NUL-terminated UTF-8 (NULL when absent); free a record with its
 * *_free function, which accepts NULL.
 */
#ifndef INVGEN_MODEL_H
#define INVGEN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "caldate.h"
#include "layoutver.h"
#include "tax.h"

/*
 * The kinds of documents.  Only invoices and credit notes are VAT
 * documents (PVM sąskaitos faktūros, in the OSS return, i.SAF and the
 * sales report); the others are not:
 *   DOC_TRANSFER_ORDER     a payment order (proforma) before payment;
 *   DOC_PREPAYMENT_RECEIPT money received into the prepaid balance under
 *                          the at_use VAT policy (negative: unused balance
 *                          paid back);
 *   DOC_BALANCE_USE        a purchase paid from the prepaid balance under
 *                          the at_top_up policy, whose VAT was invoiced
 *                          on the top-ups it draws on (negative: an unused
 *                          part returned to the balance).
 */
enum doc_kind { DOC_INVOICE, DOC_CREDIT_NOTE, DOC_TRANSFER_ORDER,
	DOC_PREPAYMENT_RECEIPT, DOC_BALANCE_USE };
#define DOC_KINDS 5

/* "invoice", "credit_note", "transfer_order", "prepayment_receipt",
 * "balance_use" */
const char *doc_kind_name(enum doc_kind k);
int doc_kind_from_name(const char *name);	/* -1 if unknown */
/* 1 for the VAT documents: invoices and credit notes. */
int doc_kind_is_vat(enum doc_kind k);

/*
 * The VAT policy of a prepaid balance (seller_profile.balance_vat_policy;
 * README "Prepaid balance"): BALANCE_AT_USE (the default) taxes a purchase
 * paid from the balance and gives a top-up a prepayment receipt;
 * BALANCE_AT_TOP_UP taxes the top-up (an advance invoice) and gives a
 * purchase from the balance a document without VAT.
 */
enum balance_policy { BALANCE_AT_USE, BALANCE_AT_TOP_UP };
/* "at_use", "at_top_up" */
const char *balance_policy_name(enum balance_policy p);
int balance_policy_from_name(const char *name);	/* -1 if unknown */

/* A postal address and the identity of a party. */
struct party {
	char *name;
	char *address_line1;
	char *address_line2;
	char *city;
	char *postal_code;
	char *region;
	char country[3];
	char *vat_number;
	char *company_code;
	char *email;
	char *website;
	int64_t telegram_id;		/* 0 when unknown */
	int is_business;
};

struct bank_account {
	char *beneficiary;
	char *iban;
	char *bic;
	char *name;
	char *address;
};

/* Paid options of a subscription line; 0 = not part of the line. */
struct line_options {
	int64_t sip_accounts;
	int64_t recording_days;
	int64_t gateway_lines;
};

struct order_line {
	int line_no;			/* 1-based */
	char *item;			/* softphone, gateway, option, topup */
	char *description;
	int period_months;		/* 0 when not a subscription period */
	int64_t quantity;
	int64_t unit_price_minor;
	int64_t discount_bp;		/* basis points of the gross, 0..10000 */
	struct line_options options;
	char period_from[CALDATE_LEN];	/* the service period, or "" */
	char period_to[CALDATE_LEN];
};

/* A draw on a top-up invoice of a purchase paid from the balance. */
struct order_draw {
	char *source;			/* the top-up invoice's number */
	int64_t amount_minor;		/* net amount drawn, > 0 */
};

struct order {
	int64_t id;
	char *order_no;
	char *created_at;		/* UTC timestamp */
	char *paid_at;			/* UTC timestamp or NULL */
	char currency[4];
	char *payment_method;
	char *language;
	struct party payer;
	int64_t customer_telegram_id;
	char *customer_username;
	char *vat_check_status;		/* the latest VIES answer: */
	char *vat_check_at;
	char *vat_check_reference;
	int64_t vat_check_id;		/* its vat_check row; 0: the one
					   given with the order */
	char *evidence_billing;
	char *evidence_card;
	char *evidence_ip;
	struct order_line *lines;
	size_t nlines;
	struct order_draw *draws;	/* balance_draws (at_top_up) */
	size_t ndraws;
};

struct seller_profile {
	int64_t id;
	char valid_from[CALDATE_LEN];
	char valid_to[CALDATE_LEN];	/* "" when open */
	struct party party;		/* vat_number NULL: not a VAT payer */
	char *invoice_series;
	char *credit_series;
	char *transfer_series;
	char *number_format;
	int transfer_due_days;
	int oss_enabled;
	/* 1: every invoice and credit note is bilingual with Lithuanian,
	 * not only those of payers in Lithuania (layout version 2). */
	int lithuanian_for_all;
	struct bank_account bank;
	enum balance_policy balance_policy;
	char *receipt_series;		/* prepayment receipts, or NULL */
	char *balance_series;		/* uses of the balance, or NULL */
	/* The paper of its invoices, credit notes and payment orders: "A4"
	 * or "Letter", or NULL for the paper of the payer's country
	 * (i18n_country_letter).  Layout version 2. */
	char *paper;
	/* The logo printed in the header of its documents (layout version
	 * 2): the SHA-256 (hex) of bytes kept immutably in the database
	 * (table logo), and the bytes themselves when loaded or given;
	 * NULL / 0 for none.  logo_path: the file the profile's JSON names,
	 * until the bytes are read. */
	char *logo_sha256;
	unsigned char *logo;
	size_t logo_len;
	const char *logo_media_type;	/* static: "image/png", "image/jpeg" */
	char *logo_path;
};

struct doc_line {
	int line_no;
	char *item;
	char *description;
	int period_months;
	int64_t quantity;
	int64_t unit_price_minor;
	int64_t discount_bp;
	int64_t gross_minor;
	int64_t discount_minor;
	int64_t net_minor;
	char vat_category[3];
	int32_t vat_rate_bp;
	struct line_options options;
	char period_from[CALDATE_LEN];	/* the service period, or "" */
	char period_to[CALDATE_LEN];
};

/*
 * A draw of a document on a balance source: a top-up invoice (at_top_up;
 * net amounts) or a prepayment receipt or credit note credited to the
 * balance (at_use; amounts paid).  amount_minor > 0 is drawn from the
 * source, < 0 returned to it.  The source's number, date and VAT rate are
 * read with the document (the source is an issued document too).
 */
struct doc_draw {
	int64_t source_id;
	char *source_number;
	char source_issue_date[CALDATE_LEN];
	enum doc_kind source_kind;
	char source_vat_category[3];
	int32_t source_vat_rate_bp;
	int64_t amount_minor;
};

struct doc_vat {
	char vat_category[3];
	int32_t vat_rate_bp;
	int64_t taxable_minor;
	int64_t vat_minor;
	int has_eur;
	int64_t taxable_eur_minor;
	int64_t vat_eur_minor;
};

/* An issued document: everything a renderer may use, and nothing else. */
struct document {
	int64_t id;
	enum doc_kind kind;
	char *series;
	int64_t seq;
	char *number;
	char *order_no;
	int64_t corrects_id;		/* credit note: the invoice */
	char *corrects_number;
	char corrects_issue_date[CALDATE_LEN];
	char *credit_reason;
	char issue_date[CALDATE_LEN];
	char tax_point_date[CALDATE_LEN];
	char due_date[CALDATE_LEN];	/* transfer orders; else "" */
	char *paid_at;
	char *payment_method;
	char *payment_reference;
	char *language;
	char currency[4];
	int currency_digits;
	int64_t seller_profile_id;
	struct party seller;
	struct bank_account bank;
	struct party payer;
	int64_t customer_telegram_id;
	char *customer_username;
	enum tax_treatment treatment;
	char vat_category[3];
	int32_t vat_rate_bp;
	char vat_country[3];
	char location_country[3];
	char *tax_rule;
	char *tax_explanation;
	int64_t net_minor;
	int64_t vat_minor;
	int64_t total_minor;
	char *fx_units_per_eur;		/* NULL unless VAT in EUR was computed */
	char fx_rate_date[CALDATE_LEN];
	int has_vat_eur;
	int64_t vat_eur_minor;
	char *template_name;
	/*
	 * The layout version the document was issued with (layoutver.h):
	 * it picks the templates, catalogues and fonts it renders with, and
	 * rendering code that changed between versions branches on it.
	 */
	int layout_version;
	/*
	 * What rendering depended on outside invgen when it was issued:
	 * "icu 72.1 (data 72.1, cldr 42.0, unicode 15.0); libharu 2.3.0;
	 * ..." (render_env_describe()); NULL for documents issued before it
	 * was recorded.
	 */
	char *render_env;
	/*
	 * The special territory or VAT region of the place of supply whose
	 * rules applied ("canary_islands", "azores", ...; country.h), or
	 * NULL for none.
	 */
	char *territory;
	/*
	 * The seller's logo as issued (layout version 2): the SHA-256 (hex)
	 * of its bytes, which the database keeps immutably (table logo), and
	 * the bytes, loaded with the document; NULL / 0 for none.  A later
	 * change of the seller profile never changes an issued document.
	 */
	char *logo_sha256;
	unsigned char *logo;
	size_t logo_len;
	struct doc_line *lines;
	size_t nlines;
	struct doc_vat *vats;
	size_t nvats;
	char *credit_to;		/* credit note: "balance", "refund" or
					   NULL (not said) */
	int64_t origin_id;		/* an invoice crediting the balance:
					   the credit note it comes from */
	char *origin_number;
	struct doc_draw *draws;
	size_t ndraws;
};

void party_clear(struct party *p);
void bank_account_clear(struct bank_account *b);
void order_free(struct order *o);
void seller_profile_free(struct seller_profile *s);
void document_free(struct document *d);

/* Deep copies (the snapshot copies the seller and payer into a document). */
void party_copy(struct party *dst, const struct party *src);
void bank_account_copy(struct bank_account *dst, const struct bank_account *src);

/* xstrdup that maps NULL to NULL. */
char *model_strdup(const char *s);

#endif
