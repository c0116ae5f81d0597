/*
 * en16931.h - the EN 16931 reading of an issued snapshot (struct
 * document): which business terms (BT-n) and groups (BG-n) get which
 * values, signs, codes and schemes, decided once so that the UBL
 * (ubl.c) and the CII (cii.c) document of one snapshot carry the same
 * content.  The writers only serialise struct en16931.
 *
 * Exports struct en16931 with its parties, lines and VAT rows,
 * en16931_build and en16931_free, en16931_write (the build, one writer
 * and the free that ubl_write and cii_write share), en16931_amount, and
 * the specification identifiers (BT-24, BT-23).  Must not: call libxml2
 * (xmlw.c does), read the database or the clock, print, or change the
 * snapshot.
 *
 * Decisions:
 *   - Credit notes: the snapshot stores negative amounts; EN 16931 credit
 *     notes (UBL CreditNote, CII type 381) carry them positive, so every
 *     amount and quantity is negated.  A line whose snapshot unit price is
 *     negative (a partial credit) keeps a positive price (BR-27).
 *   - Amounts: at most 2 decimals in EN 16931.  Currencies with 0 or 2
 *     minor digits print exactly (JPY "1450", EUR "12.30"); 3-digit
 *     currencies (BHD, KWD, ...) are refused with GEN_EINPUT naming the
 *     currency: they cannot be represented without rounding.
 *   - Categories: S (rate), AE (rate 0, VATEX-EU-AE "Reverse charge"),
 *     O (no rate anywhere, BR-O-05; VATEX-EU-O "Not subject to VAT").
 *     Other UNCL 5305 codes are refused with GEN_EINPUT.
 *   - Seller VAT number: BT-31 for S and AE.  With category O, BR-O-02
 *     forbids BT-31, so a seller VAT number (after 2025-07-09) goes to
 *     BT-32, the tax registration identifier (UBL PartyTaxScheme with
 *     TaxScheme "TAX", CII SpecifiedTaxRegistration schemeID "FC").  No
 *     VAT number in the snapshot (not yet registered): neither.
 *   - Buyer VAT number (BT-48): always for AE (BR-AE-02), for S only when
 *     the treatment is LT_STANDARD (a Lithuanian buyer's number, shown as
 *     PVMI Art. 80 asks), never for O (BR-O-02) and not for OSS consumers.
 *   - Legal registration ids: seller company code BT-30 and payer
 *     company code BT-47, with ICD scheme 0200 (Lithuanian legal entity
 *     code) when the party is in LT and the code is 9 digits.
 *   - Electronic addresses (BT-34/BT-49): Peppol accepts only its EAS
 *     list, which has no e-mail scheme.  The seller uses 0200 + company
 *     code.  The buyer uses the Peppol VAT scheme of its printed VAT
 *     number (9930 DE, 9937 LT, ... see eas_vat in en16931.c) or, in LT,
 *     0200 + company code.  A buyer with neither (a consumer) has no
 *     Peppol address at all; rather than invent one, such a document
 *     declares the plain EN 16931 core (CustomizationID
 *     urn:cen.eu:en16931:2017, no Peppol ProfileID) and gives the payer's
 *     e-mail with scheme EM, which the EN 16931 EAS list allows (no BT-49
 *     when there is no e-mail either; it is optional in EN 16931).
 *   - Order number: BT-13 purchase order reference (Peppol R003 needs
 *     BT-10 or BT-13).  No BT-10.
 *   - Tax point date BT-7 only when it differs from the issue date; BT-8
 *     never (BR-CO-03: mutually exclusive).
 *   - VAT accounting currency: BT-6 "EUR" and BT-111 (vat_eur_minor) when
 *     the currency is not EUR and has_vat_eur is set (BR-53).
 *   - Payment: an invoice with paid_at is already paid: BT-113 paid
 *     amount = total, BT-115 due = 0, BT-20 "Paid in full on ...".
 *     Credit notes and unpaid invoices: due = total, BT-9 from due_date
 *     (invoices only) and BT-20 text.  BT-81: bank_transfer 58 (SEPA
 *     credit transfer, EUR) or 30 (credit transfer, other currencies) with
 *     the seller IBAN (BT-84), BIC (BT-86) and payment_reference (BT-83);
 *     card 48; paypal 68 (online payment service); crypto and balance ZZZ
 *     with a text.
 *   - Lines: quantity with unit code C62 ("one": a count of
 *     subscriptions, options or top-ups; the period is in the item
 *     description), price BT-146 = unit price, the discount as one line
 *     allowance BG-27 (reason code 95 "Discount"; percentage and base
 *     BT-137/138 only when the amount is exactly base x percent), net
 *     BT-131.  Item name BT-153 = description, BT-154 = period and
 *     options, BT-155 = item kind.  The customer (Telegram account) is a
 *     line note BT-127, never the buyer.  No line period (no dates).
 *   - Notes: one BT-22 (Peppol R002 allows one) joining, by line feed,
 *     the treatment wording (reverse charge, outside scope, not
 *     registered, OSS country and rate), the EUR VAT conversion and, for
 *     credit notes, the corrected invoice and reason.
 *   - Text: UTF-8 that XML 1.0 can carry.  Invalid UTF-8, C0 controls
 *     other than TAB/LF/CR, C1 controls and U+FFFE/U+FFFF are refused
 *     with GEN_EINPUT naming the field (the order importer already refuses
 *     them; the writer never emits invalid XML).  Markup characters are
 *     escaped by libxml2.  Blank optional fields are left out (Peppol
 *     R008: no empty elements); blank mandatory ones are GEN_EINPUT.
 */
#ifndef INVGEN_EN16931_H
#define INVGEN_EN16931_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "model.h"
#include "xmlw.h"

/* Specification identifiers (BT-24) and the Peppol process (BT-23). */
#define EN16931_CUSTOMIZATION_PEPPOL "urn:cen.eu:en16931:2017#compliant#" \
	"urn:fdc:peppol.eu:2017:poacc:billing:3.0"
#define EN16931_PROFILE_PEPPOL	"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
#define EN16931_CUSTOMIZATION_CORE	"urn:cen.eu:en16931:2017"

/* A party as EN 16931 sees it; NULL = absent.  Strings point into the
 * document or are constants. */
struct en16931_party {
	const char	*name;		/* BT-27 / BT-44 */
	const char	*street;	/* BT-35 / BT-50 */
	const char	*street2;	/* BT-36 / BT-51 */
	const char	*city;		/* BT-37 / BT-52 */
	const char	*postcode;	/* BT-38 / BT-53 */
	const char	*region;	/* BT-39 / BT-54 */
	const char	*country;	/* BT-40 / BT-55, always set */
	const char	*legal_id;	/* BT-30 / BT-47 */
	const char	*legal_scheme;	/* its ICD, e.g. "0200", or NULL */
	const char	*vat_id;	/* BT-31 / BT-48 */
	const char	*tax_reg_id;	/* BT-32 (seller only) */
	const char	*endpoint;	/* BT-34 / BT-49 */
	const char	*endpoint_scheme; /* EAS code, "EM" only in core */
	const char	*email;		/* BT-43 / BT-58 contact e-mail */
};

struct en16931_line {
	int64_t		 id;		/* BT-126: the line number */
	int64_t		 quantity;	/* BT-129, unit C62 */
	int64_t		 price;		/* BT-146, >= 0 */
	int64_t		 allowance;	/* BG-27 BT-136; 0 = no allowance */
	int64_t		 allowance_base; /* BT-137, if allowance_bp >= 0 */
	int32_t		 allowance_bp;	/* BT-138 in basis points, -1 = none */
	int64_t		 net;		/* BT-131 */
	const char	*item_id;	/* BT-155 */
	const char	*name;		/* BT-153 */
	char		*description;	/* BT-154, owned, NULL if none */
	const char	*category;	/* BT-151 */
	int		 has_rate;	/* BT-152 present (not for O) */
	int32_t		 rate_bp;
};

struct en16931_vat {
	const char	*category;	/* BT-118 */
	int		 has_rate;
	int32_t		 rate_bp;	/* BT-119 */
	int64_t		 taxable;	/* BT-116 */
	int64_t		 vat;		/* BT-117 */
	const char	*exemption_code;   /* BT-121 or NULL */
	const char	*exemption_reason; /* BT-120 or NULL */
};

struct en16931 {
	int		 credit;	/* credit note: amounts were negated */
	int		 peppol;	/* Peppol BIS 3.0, else EN 16931 core */
	const char	*customization;	/* BT-24 */
	const char	*profile;	/* BT-23, NULL in core */
	const char	*type_code;	/* BT-3: "380" or "381" */
	const char	*number;	/* BT-1 */
	const char	*issue_date;	/* BT-2, YYYY-MM-DD */
	const char	*tax_point_date; /* BT-7 or NULL */
	const char	*due_date;	/* BT-9 or NULL (invoices only) */
	const char	*currency;	/* BT-5 */
	int		 digits;	/* 0 or 2 */
	const char	*tax_currency;	/* BT-6 "EUR" or NULL */
	int64_t		 vat_accounting; /* BT-111 in euro cents */
	char		*note;		/* BT-22, owned, NULL if none */
	const char	*order_ref;	/* BT-13 */
	const char	*preceding_number; /* BT-25 (credit notes) */
	const char	*preceding_date;   /* BT-26 or NULL */
	struct en16931_party seller;
	struct en16931_party buyer;
	char		*line_note;	/* BT-127 of every line, owned/NULL */
	const char	*pm_code;	/* BT-81 */
	const char	*pm_text;	/* BT-82 */
	const char	*payment_id;	/* BT-83 or NULL */
	const char	*iban;		/* BT-84 or NULL */
	const char	*account_name;	/* BT-85 or NULL */
	const char	*bic;		/* BT-86 or NULL */
	char		*terms;		/* BT-20, owned, or NULL */
	int64_t		 line_total;	/* BT-106 */
	int64_t		 tax_exclusive;	/* BT-109 */
	int64_t		 vat_total;	/* BT-110 */
	int64_t		 tax_inclusive;	/* BT-112 */
	int		 has_prepaid;
	int64_t		 prepaid;	/* BT-113 */
	int64_t		 payable;	/* BT-115 */
	struct en16931_line *lines;
	size_t		 nlines;
	struct en16931_vat *vats;
	size_t		 nvats;
};

/*
 * Fill f from d (f is overwritten; free it with en16931_free even on
 * failure).  Checks everything both writers rely on: kind, currency
 * digits, dates, categories and rates, that line nets, VAT rows and totals
 * add up, mandatory names, and that every string is XML-safe.
 * GEN_EINPUT, naming the field: a transfer order, a snapshot that is
 * incomplete or inconsistent, text XML 1.0 cannot carry, a 3-decimal
 * currency.
 */
enum gen_rc	en16931_build(const struct document *d, struct en16931 *f,
		    struct gen_err *err);
void		en16931_free(struct en16931 *f);

/*
 * One e-invoice of d into out (replaced; empty on failure): build the
 * EN 16931 reading, hand it to body (ubl.c's or cii.c's document writer,
 * which finds it in x->data) through xmlw_document for who ("ubl",
 * "cii"), free it.  en16931_build's and the writer's codes.
 */
enum gen_rc	en16931_write(const struct document *d, const char *who,
		    void (*body)(struct xmlw *), struct buf *out,
		    struct gen_err *err);

/* Plain amount text of minor units with 0 or 2 digits: "-12.30", "1450". */
void		en16931_amount(int64_t minor, int digits, char *out, size_t sz);

#endif
