/*
 * en16931.c - the EN 16931 reading of an issued snapshot (en16931_build):
 * which business term gets which value, sign, code and scheme, decided
 * once for both e-invoice writers (ubl.c and cii.c), which only
 * serialise it, and en16931_write, which runs one of them through
 * xmlw.c.  Every decision and why is in en16931.h.  Reads only the
 * snapshot: no database, no clock, no libxml2 call, no printing.  UTF-8
 * is decoded with ICU's U8_NEXT (a macro: no call into ICU).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "buf.h"
#include "caldate.h"
#include "en16931.h"
#include "err.h"
#include "money.h"

/* ------------------------------------------------------------------ */
/* Checks on text and identifiers                                      */
/* ------------------------------------------------------------------ */

/*
 * Refuse text that XML 1.0 cannot carry: invalid or overlong UTF-8,
 * surrogates, code points above U+10FFFF, C0 controls other than TAB, LF
 * and CR, C1 controls (allowed by XML 1.0 but "discouraged", and refused
 * by the importer), U+FFFE and U+FFFF.  NULL is fine (absent).
 */
static enum gen_rc
text_check(const char *s, const char *field, struct gen_err *err)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, n;

	if (s == NULL)
		return GEN_OK;
	n = strlen(s);
	while (i < n) {
		size_t at = i;
		UChar32 cp;

		U8_NEXT(p, i, n, cp);
		if (cp < 0)
			return gen_err_set(err, GEN_EINPUT, "%s: invalid UTF-8 "
			    "at byte %zu; e-invoices are UTF-8 text", field,
			    at);
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe ||
		    cp == 0xffff)
			return gen_err_set(err, GEN_EINPUT, "%s: character "
			    "U+%04lX at byte %zu cannot appear in an XML 1.0 "
			    "e-invoice; allowed: printable Unicode text, tab "
			    "and line breaks", field, (unsigned long)cp, at);
	}
	return GEN_OK;
}

/* NULL for NULL or blank (only spaces, tabs, line breaks) text. */
static const char *
present(const char *s)
{
	if (s == NULL)
		return NULL;
	for (const char *p = s; *p != '\0'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return s;
	return NULL;
}

static int
is_upper2(const char *s)
{
	return s != NULL && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z' && s[2] == '\0';
}

/* All decimal digits, exactly n of them. */
static int
is_digits(const char *s, size_t n)
{
	if (s == NULL || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* A VAT identifier as BR-CO-09 wants it: two capital letters (the
 * country or EL), then 2..16 capital letters or digits. */
static int
vat_shaped(const char *s)
{
	size_t n;

	if (s == NULL || !(s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z'))
		return 0;
	n = strlen(s);
	if (n < 4 || n > 18)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' &&
		    s[i] <= '9')))
			return 0;
	return 1;
}

/*
 * The Peppol electronic address scheme (EAS) for a VAT number, by its
 * prefix: the active "<country>:VAT" schemes of the Peppol participant
 * identifier code list (DK uses 0198 DK:ERST, IT 0211 PARTITA IVA).
 * Finland's 0213 and Sweden's 9955 were removed from the list, so FI and
 * SE numbers have no Peppol address here.  NULL if none.
 */
static const char *
eas_vat(const char *vat)
{
	static const char map[][2][5] = {
		{ "AT", "9914" }, { "BE", "9925" }, { "BG", "9926" },
		{ "CY", "9928" }, { "CZ", "9929" }, { "DE", "9930" },
		{ "DK", "0198" }, { "EE", "9931" }, { "EL", "9933" },
		{ "ES", "9920" }, { "FR", "9957" }, { "HR", "9934" },
		{ "HU", "9910" }, { "IE", "9935" }, { "IT", "0211" },
		{ "LT", "9937" }, { "LU", "9938" }, { "LV", "9939" },
		{ "MT", "9943" }, { "NL", "9944" }, { "PL", "9945" },
		{ "PT", "9946" }, { "RO", "9947" }, { "SI", "9949" },
		{ "SK", "9950" },
	};

	if (!vat_shaped(vat))
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (vat[0] == map[i][0][0] && vat[1] == map[i][0][1])
			return map[i][1];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The EN 16931 reading of a snapshot                                  */
/* ------------------------------------------------------------------ */

/* The text built in b, or NULL when nothing was written (no empty
 * elements, Peppol R008); b is left empty either way. */
static char *
detach_text(struct buf *b)
{
	if (b->len == 0) {
		buf_free(b);
		return NULL;
	}
	return buf_detach(b, NULL);
}

void
en16931_amount(int64_t minor, int digits, char *out, size_t sz)
{
	money_format(minor, digits, out, sz);
}

enum gen_rc
en16931_write(const struct document *d, const char *who,
    void (*body)(struct xmlw *), struct buf *out, struct gen_err *err)
{
	struct en16931 f;
	enum gen_rc rc;

	buf_reset(out);
	if ((rc = en16931_build(d, &f, err)) == GEN_OK)
		rc = xmlw_document(who, body, &f, out, err);
	en16931_free(&f);
	return rc;
}

void
en16931_free(struct en16931 *f)
{
	if (f == NULL)
		return;
	free(f->note);
	free(f->line_note);
	free(f->terms);
	for (size_t i = 0; i < f->nlines; i++)
		free(f->lines[i].description);
	free(f->lines);
	free(f->vats);
	memset(f, 0, sizeof(*f));
}

/* *out = sign * v, refusing INT64_MIN (whose negation does not exist). */
static enum gen_rc
signed_amount(int64_t v, int sign, int64_t *out, const char *what,
    struct gen_err *err)
{
	if (v == INT64_MIN)
		return gen_err_set(err, GEN_EINPUT, "%s: amount out of range",
		    what);
	*out = sign < 0 ? -v : v;
	return GEN_OK;
}

/* Every string of the snapshot a writer may emit must be XML-safe. */
static enum gen_rc
check_texts(const struct document *d, struct gen_err *err)
{
	const struct {
		const char *field;
		const char *s;
	} t[] = {
		{ "number", d->number },
		{ "order_no", d->order_no },
		{ "corrects_number", d->corrects_number },
		{ "credit_reason", d->credit_reason },
		{ "paid_at", d->paid_at },
		{ "payment_method", d->payment_method },
		{ "payment_reference", d->payment_reference },
		{ "customer_username", d->customer_username },
		{ "fx_units_per_eur", d->fx_units_per_eur },
		{ "fx_rate_date", d->fx_rate_date },
		{ "seller.name", d->seller.name },
		{ "seller.address_line1", d->seller.address_line1 },
		{ "seller.address_line2", d->seller.address_line2 },
		{ "seller.city", d->seller.city },
		{ "seller.postal_code", d->seller.postal_code },
		{ "seller.region", d->seller.region },
		{ "seller.vat_number", d->seller.vat_number },
		{ "seller.company_code", d->seller.company_code },
		{ "seller.email", d->seller.email },
		{ "payer.name", d->payer.name },
		{ "payer.address_line1", d->payer.address_line1 },
		{ "payer.address_line2", d->payer.address_line2 },
		{ "payer.city", d->payer.city },
		{ "payer.postal_code", d->payer.postal_code },
		{ "payer.region", d->payer.region },
		{ "payer.vat_number", d->payer.vat_number },
		{ "payer.company_code", d->payer.company_code },
		{ "payer.email", d->payer.email },
		{ "bank.beneficiary", d->bank.beneficiary },
		{ "bank.iban", d->bank.iban },
		{ "bank.bic", d->bank.bic },
	};
	char field[48];
	enum gen_rc rc;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if ((rc = text_check(t[i].s, t[i].field, err)) != GEN_OK)
			return rc;
	for (size_t i = 0; i < d->nlines; i++) {
		snprintf(field, sizeof(field), "lines[%zu].description", i);
		if ((rc = text_check(d->lines[i].description, field, err)) !=
		    GEN_OK)
			return rc;
		snprintf(field, sizeof(field), "lines[%zu].item", i);
		if ((rc = text_check(d->lines[i].item, field, err)) != GEN_OK)
			return rc;
	}
	return GEN_OK;
}

/* A date field: "" (absent, when optional) or a valid YYYY-MM-DD. */
static enum gen_rc
check_date(const char *s, int required, const char *what,
    struct gen_err *err)
{
	int32_t days;

	if (s[0] == '\0' && !required)
		return GEN_OK;
	return caldate_parse(s, &days, what, err);
}

static enum gen_rc
check_category(const char *cat, int32_t rate_bp, const char *what,
    struct gen_err *err)
{
	if (strcmp(cat, "S") == 0) {
		if (rate_bp <= 0 || rate_bp >= 10000)
			return gen_err_set(err, GEN_EINPUT, "%s: category S "
			    "with rate %d bp; a standard rate must be above 0 "
			    "and below 100 %% (BR-S-05)", what, (int)rate_bp);
		return GEN_OK;
	}
	if (strcmp(cat, "AE") == 0 || strcmp(cat, "O") == 0) {
		if (rate_bp != 0)
			return gen_err_set(err, GEN_EINPUT, "%s: category %s "
			    "with rate %d bp; it must be 0", what, cat,
			    (int)rate_bp);
		return GEN_OK;
	}
	return gen_err_set(err, GEN_EINPUT, "%s: VAT category '%.3s' is not "
	    "supported by the e-invoice writers; allowed: S, AE, O", what, cat);
}

/* The party's legal registration id and its ICD scheme. */
static void
legal_id(const struct party *p, struct en16931_party *u)
{
	u->legal_id = present(p->company_code);
	if (u->legal_id != NULL && strcmp(p->country, "LT") == 0 &&
	    is_digits(u->legal_id, 9))
		u->legal_scheme = "0200";
}

static void
address(const struct party *p, struct en16931_party *u)
{
	u->street = present(p->address_line1);
	u->street2 = present(p->address_line2);
	u->city = present(p->city);
	u->postcode = present(p->postal_code);
	u->region = present(p->region);
	u->country = p->country;
	u->email = present(p->email);
}

static enum gen_rc
parties(const struct document *d, struct en16931 *f, int has_o,
    int has_vat_category, struct gen_err *err)
{
	struct en16931_party *s = &f->seller, *b = &f->buyer;
	const char *svat = present(d->seller.vat_number);
	const char *bvat = present(d->payer.vat_number);
	int has_ae = 0;

	for (size_t i = 0; i < f->nvats; i++)
		if (strcmp(f->vats[i].category, "AE") == 0)
			has_ae = 1;

	if ((s->name = present(d->seller.name)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "seller.name: empty; the "
		    "seller's legal name is mandatory (BR-6)");
	if ((b->name = present(d->payer.name)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "payer.name: empty; the "
		    "buyer's name is mandatory (BR-7)");
	if (!is_upper2(d->seller.country))
		return gen_err_set(err, GEN_EINPUT, "seller.country: '%.3s' is "
		    "not an ISO 3166-1 alpha-2 code (BR-9)", d->seller.country);
	if (!is_upper2(d->payer.country))
		return gen_err_set(err, GEN_EINPUT, "payer.country: '%.3s' is "
		    "not an ISO 3166-1 alpha-2 code (BR-11)", d->payer.country);
	address(&d->seller, s);
	address(&d->payer, b);
	legal_id(&d->seller, s);
	legal_id(&d->payer, b);

	/* Seller: BT-31 unless category O (BR-O-02), then BT-32. */
	if (has_o)
		s->tax_reg_id = svat;
	else if (svat == NULL && has_vat_category)
		return gen_err_set(err, GEN_EINPUT, "seller.vat_number: the "
		    "snapshot has no seller VAT number but its VAT category is "
		    "S or AE; the seller's VAT identifier is mandatory there "
		    "(BR-S-02, BR-AE-02)");
	else if (svat != NULL && !vat_shaped(svat))
		return gen_err_set(err, GEN_EINPUT, "seller.vat_number: "
		    "'%.40s' is not a VAT identifier (a country prefix, then "
		    "capital letters and digits; BR-CO-09)", svat);
	else
		s->vat_id = svat;

	/* Buyer: BT-48 for AE (mandatory), LT_STANDARD if well formed. */
	if (has_ae) {
		if (!vat_shaped(bvat))
			return gen_err_set(err, GEN_EINPUT, "payer.vat_number: "
			    "'%.40s' is not a VAT identifier (country prefix, "
			    "letters and digits); reverse charge needs the "
			    "buyer's VAT identifier (BR-AE-02)",
			    bvat ? bvat : "");
		b->vat_id = bvat;
	} else if (!has_o && d->treatment == TAX_LT_STANDARD &&
	    vat_shaped(bvat))
		b->vat_id = bvat;

	/* Electronic addresses (see en16931.h). */
	if (s->legal_scheme != NULL) {
		s->endpoint = s->legal_id;
		s->endpoint_scheme = s->legal_scheme;
	} else if (s->vat_id != NULL && eas_vat(s->vat_id) != NULL) {
		s->endpoint = s->vat_id;
		s->endpoint_scheme = eas_vat(s->vat_id);
	} else if (s->email != NULL) {
		s->endpoint = s->email;
		s->endpoint_scheme = "EM";
	}
	if (b->vat_id != NULL && eas_vat(b->vat_id) != NULL) {
		b->endpoint = b->vat_id;
		b->endpoint_scheme = eas_vat(b->vat_id);
	} else if (b->legal_scheme != NULL) {
		b->endpoint = b->legal_id;
		b->endpoint_scheme = b->legal_scheme;
	} else if (b->email != NULL) {
		b->endpoint = b->email;
		b->endpoint_scheme = "EM";
	}
	f->peppol = s->endpoint_scheme != NULL && b->endpoint_scheme != NULL &&
	    strcmp(s->endpoint_scheme, "EM") != 0 &&
	    strcmp(b->endpoint_scheme, "EM") != 0;
	return GEN_OK;
}

/* BT-154: the period and options of a line, or NULL. */
static char *
line_description(const struct doc_line *l)
{
	struct buf b = {0};
	const char *sep = "";

	if (l->period_months > 0) {
		buf_printf(&b, "Period: %d month%s", l->period_months,
		    l->period_months == 1 ? "" : "s");
		sep = "; ";
	}
	if (l->options.sip_accounts > 0) {
		buf_printf(&b, "%sSIP accounts: %lld", sep,
		    (long long)l->options.sip_accounts);
		sep = "; ";
	}
	if (l->options.recording_days > 0) {
		buf_printf(&b, "%sCall recording: %lld days", sep,
		    (long long)l->options.recording_days);
		sep = "; ";
	}
	if (l->options.gateway_lines > 0)
		buf_printf(&b, "%sGateway lines: %lld", sep,
		    (long long)l->options.gateway_lines);
	return detach_text(&b);
}

/*
 * One line: quantity, price, allowance and net, sign-corrected, and the
 * proof that quantity x price - allowance = net holds exactly.
 */
static enum gen_rc
line(const struct document *d, size_t i, int sign, struct en16931_line *u,
    struct gen_err *err)
{
	const struct doc_line *l = &d->lines[i];
	int64_t gross = 0, qp = 0;
	char what[48];
	enum gen_rc rc;

	snprintf(what, sizeof(what), "lines[%zu]", i);
	if ((rc = check_category(l->vat_category, l->vat_rate_bp, what,
	    err)) != GEN_OK)
		return rc;
	if ((u->name = present(l->description)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "%s.description: empty; "
		    "the item name is mandatory (BR-25)", what);
	u->id = l->line_no;
	u->item_id = present(l->item);
	u->category = l->vat_category;
	u->has_rate = strcmp(l->vat_category, "O") != 0;
	u->rate_bp = l->vat_rate_bp;
	if ((rc = signed_amount(l->quantity, sign, &u->quantity, what,
	    err)) != GEN_OK ||
	    (rc = signed_amount(l->unit_price_minor, 1, &u->price, what,
	    err)) != GEN_OK ||
	    (rc = signed_amount(l->gross_minor, sign, &gross, what,
	    err)) != GEN_OK ||
	    (rc = signed_amount(l->discount_minor, sign, &u->allowance, what,
	    err)) != GEN_OK ||
	    (rc = signed_amount(l->net_minor, sign, &u->net, what,
	    err)) != GEN_OK)
		return rc;
	if (u->price < 0) {		/* a partial credit: -1 x -p */
		u->price = -u->price;
		u->quantity = -u->quantity;
	}
	if (u->allowance < 0)
		return gen_err_set(err, GEN_EINPUT, "%s: negative discount "
		    "%lld; a discount reduces the line", what,
		    (long long)u->allowance);
	if ((rc = money_muldiv(u->quantity, u->price, 1, &qp, what,
	    err)) != GEN_OK)
		return rc;
	if (qp != gross || gross - u->allowance != u->net)
		return gen_err_set(err, GEN_EINPUT, "%s: quantity %lld x unit "
		    "price %lld = %lld, less discount %lld, does not give the "
		    "stored gross %lld / net %lld", what,
		    (long long)u->quantity, (long long)u->price, (long long)qp,
		    (long long)u->allowance, (long long)gross,
		    (long long)u->net);
	/* BT-137/138 only when base x percent is the amount exactly. */
	u->allowance_bp = -1;
	if (u->allowance > 0 && l->discount_bp > 0 &&
	    l->discount_bp <= 10000 && gross > 0) {
		int64_t a = l->discount_bp, b = 10000, t;

		while (b != 0) {	/* gcd(discount_bp, 10000) */
			t = a % b;
			a = b;
			b = t;
		}
		if (gross % (10000 / a) == 0 &&
		    gross / (10000 / a) * (l->discount_bp / a) ==
		    u->allowance) {
			u->allowance_bp = (int32_t)l->discount_bp;
			u->allowance_base = gross;
		}
	}
	u->description = line_description(l);
	return GEN_OK;
}

/* VAT rows: codes, exemption reasons, and the sums they must match. */
static enum gen_rc
vats(const struct document *d, int sign, struct en16931 *f,
    struct gen_err *err)
{
	int64_t sum_vat = 0, sum_taxable = 0;
	char what[48];
	enum gen_rc rc;

	if (d->nvats == 0)
		return gen_err_set(err, GEN_EINPUT, "vat_breakdown: empty; an "
		    "invoice needs at least one VAT breakdown (BR-CO-18)");
	f->vats = xcalloc(d->nvats, sizeof(*f->vats));
	f->nvats = d->nvats;
	for (size_t i = 0; i < d->nvats; i++) {
		const struct doc_vat *v = &d->vats[i];
		struct en16931_vat *u = &f->vats[i];
		int64_t lines_sum = 0;

		snprintf(what, sizeof(what), "vat_breakdown[%zu]", i);
		if ((rc = check_category(v->vat_category, v->vat_rate_bp, what,
		    err)) != GEN_OK)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(f->vats[j].category, v->vat_category) == 0 &&
			    f->vats[j].rate_bp == v->vat_rate_bp)
				return gen_err_set(err, GEN_EINPUT, "%s: "
				    "category %s at %d bp appears twice", what,
				    v->vat_category, (int)v->vat_rate_bp);
		u->category = v->vat_category;
		u->rate_bp = v->vat_rate_bp;
		u->has_rate = strcmp(v->vat_category, "O") != 0;
		if ((rc = signed_amount(v->taxable_minor, sign, &u->taxable,
		    what, err)) != GEN_OK ||
		    (rc = signed_amount(v->vat_minor, sign, &u->vat, what,
		    err)) != GEN_OK)
			return rc;
		if (strcmp(v->vat_category, "AE") == 0) {
			u->exemption_code = "VATEX-EU-AE";
			u->exemption_reason = "Reverse charge";
		} else if (strcmp(v->vat_category, "O") == 0) {
			u->exemption_code = "VATEX-EU-O";
			u->exemption_reason = "Not subject to VAT";
		}
		if (!u->has_rate || strcmp(u->category, "AE") == 0) {
			if (u->vat != 0)
				return gen_err_set(err, GEN_EINPUT, "%s: "
				    "category %s with VAT %lld; it must be 0",
				    what,
				    u->category, (long long)u->vat);
		}
		for (size_t k = 0; k < f->nlines; k++)
			if (strcmp(f->lines[k].category, u->category) == 0 &&
			    f->lines[k].rate_bp == u->rate_bp &&
			    (rc = money_add(&lines_sum, f->lines[k].net, what,
			    err)) != GEN_OK)
				return rc;
		if (lines_sum != u->taxable)
			return gen_err_set(err, GEN_EINPUT, "%s: taxable "
			    "amount %lld but the lines of category %s at %d bp "
			    "sum to %lld (BR-S-08, BR-AE-08, BR-O-08)", what,
			    (long long)u->taxable, u->category,
			    (int)u->rate_bp, (long long)lines_sum);
		if ((rc = money_add(&sum_vat, u->vat, what, err)) != GEN_OK ||
		    (rc = money_add(&sum_taxable, u->taxable, what,
		    err)) != GEN_OK)
			return rc;
	}
	for (size_t k = 0; k < f->nlines; k++) {
		size_t j;

		for (j = 0; j < f->nvats; j++)
			if (strcmp(f->vats[j].category, f->lines[k].category) ==
			    0 && f->vats[j].rate_bp == f->lines[k].rate_bp)
				break;
		if (j == f->nvats)
			return gen_err_set(err, GEN_EINPUT, "lines[%zu]: "
			    "category %s at %d bp has no VAT breakdown row", k,
			    f->lines[k].category, (int)f->lines[k].rate_bp);
	}
	if (sum_vat != f->vat_total)
		return gen_err_set(err, GEN_EINPUT, "vat: total %lld but the "
		    "VAT breakdown sums to %lld (BR-CO-14)",
		    (long long)f->vat_total, (long long)sum_vat);
	if (sum_taxable != f->tax_exclusive)
		return gen_err_set(err, GEN_EINPUT, "net: total %lld but the "
		    "VAT breakdown's taxable amounts sum to %lld",
		    (long long)f->tax_exclusive, (long long)sum_taxable);
	return GEN_OK;
}

/* BT-81..86: how the document is (or was) paid. */
static enum gen_rc
payment(const struct document *d, struct en16931 *f, struct gen_err *err)
{
	const char *m = present(d->payment_method);

	f->payment_id = present(d->payment_reference);
	if (m == NULL)
		return GEN_OK;
	if (strcmp(m, "bank_transfer") == 0) {
		if ((f->iban = present(d->bank.iban)) == NULL)
			return gen_err_set(err, GEN_EINPUT, "bank.iban: "
			    "payment by bank transfer, but the snapshot has no "
			    "seller IBAN; a credit transfer needs the payment "
			    "account (BR-61)");
		if (strcmp(d->currency, "EUR") == 0) {
			f->pm_code = "58";
			f->pm_text = "SEPA credit transfer";
		} else {
			f->pm_code = "30";
			f->pm_text = "Credit transfer";
		}
		f->account_name = present(d->bank.beneficiary);
		f->bic = present(d->bank.bic);
	} else if (strcmp(m, "card") == 0) {
		f->pm_code = "48";
		f->pm_text = "Bank card";
	} else if (strcmp(m, "paypal") == 0) {
		f->pm_code = "68";
		f->pm_text = "Online payment service (PayPal)";
	} else if (strcmp(m, "crypto") == 0) {
		f->pm_code = "ZZZ";
		f->pm_text = "Crypto-asset transfer";
	} else if (strcmp(m, "balance") == 0) {
		f->pm_code = "ZZZ";
		f->pm_text = "Prepaid balance";
	} else {
		f->pm_code = "ZZZ";
		f->pm_text = m;
	}
	return GEN_OK;
}

/* BT-22: the one document note (Peppol R002), or NULL. */
static char *
document_note(const struct document *d, const struct en16931 *f)
{
	struct buf b = {0};
	const char *sep = "";
	char rate[24], eur[40];

	switch (d->treatment) {
	case TAX_REVERSE_CHARGE:
		buf_puts(&b, "Reverse charge: VAT to be accounted for by the "
		    "customer (Articles 44 and 196 of Directive 2006/112/EC).");
		sep = "\n";
		break;
	case TAX_OUTSIDE_SCOPE:
		buf_puts(&b, "Outside the scope of EU VAT: the place of supply "
		    "is outside the EU (Articles 44 and 58 of Directive "
		    "2006/112/EC).");
		sep = "\n";
		break;
	case TAX_NOT_VAT_REGISTERED:
		buf_puts(&b, "The seller was not registered for VAT on the "
		    "date of supply; no VAT is charged.");
		sep = "\n";
		break;
	case TAX_OSS_DESTINATION:
		money_format_rate(d->vat_rate_bp, rate, sizeof(rate));
		if (is_upper2(d->vat_country)) {
			buf_printf(&b, "VAT of %s at %s %% (EU One-Stop Shop, "
			    "Union scheme).", d->vat_country, rate);
			sep = "\n";
		}
		break;
	case TAX_LT_STANDARD:
	case TAX_PREPAID:	/* not a VAT document: never exported */
		break;
	}
	if (f->tax_currency != NULL) {
		money_format(f->vat_accounting, 2, eur, sizeof(eur));
		buf_printf(&b, "%sVAT in EUR: %s", sep, eur);
		if (present(d->fx_units_per_eur) != NULL &&
		    d->fx_rate_date[0] != '\0')
			buf_printf(&b, " (ECB reference rate of %s: %s %s per "
			    "EUR)", d->fx_rate_date, d->fx_units_per_eur,
			    d->currency);
		buf_puts(&b, ".");
		sep = "\n";
	}
	if (f->credit) {
		buf_printf(&b, "%sCredit note to invoice %s", sep,
		    f->preceding_number);
		if (f->preceding_date != NULL)
			buf_printf(&b, " of %s", f->preceding_date);
		buf_puts(&b, ".");
		if (present(d->credit_reason) != NULL)
			buf_printf(&b, " Reason: %s", d->credit_reason);
	}
	return detach_text(&b);
}

enum gen_rc
en16931_build(const struct document *d, struct en16931 *f,
    struct gen_err *err)
{
	int sign, has_o = 0, has_vat_category = 0;
	int64_t sum = 0, total;
	struct buf b = {0};
	enum gen_rc rc;

	memset(f, 0, sizeof(*f));
	if (d->kind != DOC_INVOICE && d->kind != DOC_CREDIT_NOTE)
		return gen_err_set(err, GEN_EINPUT, "kind: a %s is not an "
		    "invoice; EN 16931 e-invoices exist only for invoices and "
		    "credit notes", d->kind == DOC_TRANSFER_ORDER ?
		    "payment order" : d->kind == DOC_PREPAYMENT_RECEIPT ?
		    "prepayment receipt" : "use of the prepaid balance");
	f->credit = d->kind == DOC_CREDIT_NOTE;
	sign = f->credit ? -1 : 1;
	f->type_code = f->credit ? "381" : "380";
	if ((rc = check_texts(d, err)) != GEN_OK)
		return rc;
	if ((f->number = present(d->number)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "number: empty; the "
		    "document number is mandatory (BR-2)");
	if ((rc = check_date(d->issue_date, 1, "issue_date", err)) != GEN_OK ||
	    (rc = check_date(d->tax_point_date, 0, "tax_point_date",
	    err)) != GEN_OK ||
	    (rc = check_date(d->due_date, 0, "due_date", err)) != GEN_OK)
		return rc;
	f->issue_date = d->issue_date;
	if (d->tax_point_date[0] != '\0' &&
	    strcmp(d->tax_point_date, d->issue_date) != 0)
		f->tax_point_date = d->tax_point_date;

	if (strlen(d->currency) != 3 || !(d->currency[0] >= 'A' &&
	    d->currency[0] <= 'Z' && d->currency[1] >= 'A' &&
	    d->currency[1] <= 'Z' && d->currency[2] >= 'A' &&
	    d->currency[2] <= 'Z'))
		return gen_err_set(err, GEN_EINPUT, "currency: '%.4s' is not "
		    "an ISO 4217 code (three capital letters)", d->currency);
	if (d->currency_digits < 0 || d->currency_digits > 18)
		return gen_err_set(err, GEN_EINPUT, "currency_digits: %d is "
		    "out of range 0..18", d->currency_digits);
	if (d->currency_digits > 2)
		return gen_err_set(err, GEN_EINPUT, "currency: %s has %d minor "
		    "digits, but EN 16931 amounts (UBL and CII) allow at most "
		    "2 decimals; a %s document cannot be written as an "
		    "e-invoice without rounding its amounts", d->currency,
		    d->currency_digits, d->currency);
	f->currency = d->currency;
	f->digits = d->currency_digits;

	if ((rc = signed_amount(d->net_minor, sign, &f->tax_exclusive, "net",
	    err)) != GEN_OK ||
	    (rc = signed_amount(d->vat_minor, sign, &f->vat_total, "vat",
	    err)) != GEN_OK ||
	    (rc = signed_amount(d->total_minor, sign, &f->tax_inclusive,
	    "total", err)) != GEN_OK)
		return rc;
	total = f->tax_exclusive;
	if ((rc = money_add(&total, f->vat_total, "total", err)) != GEN_OK)
		return rc;
	if (total != f->tax_inclusive)
		return gen_err_set(err, GEN_EINPUT, "total: %lld is not net "
		    "%lld + VAT %lld (BR-CO-15)", (long long)f->tax_inclusive,
		    (long long)f->tax_exclusive, (long long)f->vat_total);

	if (d->nlines == 0)
		return gen_err_set(err, GEN_EINPUT, "lines: none; an invoice "
		    "needs at least one line (BR-16)");
	f->lines = xcalloc(d->nlines, sizeof(*f->lines));
	f->nlines = d->nlines;
	for (size_t i = 0; i < d->nlines; i++) {
		if ((rc = line(d, i, sign, &f->lines[i], err)) != GEN_OK)
			return rc;
		if ((rc = money_add(&sum, f->lines[i].net, "line total",
		    err)) != GEN_OK)
			return rc;
		if (strcmp(f->lines[i].category, "O") == 0)
			has_o = 1;
		else
			has_vat_category = 1;
	}
	f->line_total = sum;
	if (sum != f->tax_exclusive)
		return gen_err_set(err, GEN_EINPUT, "net: total %lld but the "
		    "line nets sum to %lld (BR-CO-10, BR-CO-13)",
		    (long long)f->tax_exclusive, (long long)sum);
	if (has_o && has_vat_category)
		return gen_err_set(err, GEN_EINPUT, "lines: category O mixed "
		    "with S or AE; a document outside the scope of VAT has "
		    "only O lines (BR-O-11)");
	if ((rc = vats(d, sign, f, err)) != GEN_OK)
		return rc;
	if (strcmp(d->currency, "EUR") != 0 && d->has_vat_eur) {
		f->tax_currency = "EUR";
		if ((rc = signed_amount(d->vat_eur_minor, sign,
		    &f->vat_accounting, "vat_eur", err)) != GEN_OK)
			return rc;
	}

	if ((rc = parties(d, f, has_o, has_vat_category, err)) != GEN_OK)
		return rc;
	f->customization = f->peppol ? EN16931_CUSTOMIZATION_PEPPOL :
	    EN16931_CUSTOMIZATION_CORE;
	f->profile = f->peppol ? EN16931_PROFILE_PEPPOL : NULL;
	f->order_ref = present(d->order_no);
	if (f->credit) {
		if ((f->preceding_number = present(d->corrects_number)) == NULL)
			return gen_err_set(err, GEN_EINPUT, "corrects_number: "
			    "empty; a credit note must name the invoice it "
			    "corrects (BR-55)");
		if ((rc = check_date(d->corrects_issue_date, 0,
		    "corrects_issue_date", err)) != GEN_OK)
			return rc;
		if (d->corrects_issue_date[0] != '\0')
			f->preceding_date = d->corrects_issue_date;
	}
	if ((rc = payment(d, f, err)) != GEN_OK)
		return rc;

	if (!f->credit && present(d->paid_at) != NULL) {
		f->has_prepaid = 1;
		f->prepaid = f->tax_inclusive;
		f->payable = 0;
		buf_printf(&b, "Paid in full on %s.", d->paid_at);
	} else {
		f->payable = f->tax_inclusive;
		if (f->credit)
			buf_printf(&b, "Amount credited to the payer (credit "
			    "note to invoice %s).", f->preceding_number);
		else if (d->due_date[0] != '\0') {
			f->due_date = d->due_date;
			buf_printf(&b, "Payment due on %s.", d->due_date);
		} else
			buf_puts(&b, "Payable on receipt.");
	}
	f->terms = detach_text(&b);

	if (d->customer_telegram_id != 0) {
		const char *u = present(d->customer_username);

		if (u != NULL && u[0] == '@')
			u++;
		if (u != NULL && u[0] != '\0')
			buf_printf(&b, "Customer (Telegram account): @%s, id "
			    "%lld", u, (long long)d->customer_telegram_id);
		else
			buf_printf(&b, "Customer (Telegram account): id %lld",
			    (long long)d->customer_telegram_id);
		f->line_note = detach_text(&b);
	}
	f->note = document_note(d, f);
	return GEN_OK;
}
