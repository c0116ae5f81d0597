/*
 * seller.c - the seller-profile importer (see seller.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caldate.h"
#include "iban.h"
#include "issue.h"
#include "jsonin.h"
#include "seller.h"
#include "vatid.h"

static const char *const seller_keys[] = { "valid_from", "valid_to",
	"legal_name", "company_code", "vat_number", "address", "email",
	"website", "invoice_series", "credit_series", "transfer_series",
	"number_format", "transfer_due_days", "oss_enabled",
	"lithuanian_for_all", "bank", "balance_vat_policy", "receipt_series",
	"balance_series", "paper", "logo", NULL };
static const char *const policies[] = { "at_use", "at_top_up", NULL };
static const char *const address_keys[] = { "line1", "line2", "city",
	"postal_code", "country", NULL };
static const char *const bank_keys[] = { "beneficiary", "iban", "bic",
	"name", "address", NULL };

/* A date member "YYYY-MM-DD" copied into out. */
static enum gen_rc
get_date(const struct json *obj, const struct jsonin_path *at,
    const char *key, int required, char out[CALDATE_LEN],
    struct gen_err *err)
{
	struct jsonin_path p;
	char *s = NULL;
	int32_t day;
	enum gen_rc rc;

	out[0] = '\0';
	if ((rc = jsonin_text(obj, at, key, required, 10, &s, err)) != GEN_OK)
		return rc;
	if (s == NULL)
		return GEN_OK;
	jsonin_path(&p, at, "%s", key);
	rc = caldate_parse(s, &day, p.s, err);
	if (rc == GEN_OK)
		caldate_format(day, out);
	free(s);
	return rc;
}

/* Series names become part of document numbers and file names. */
static enum gen_rc
check_series(const char *s, const char *path, struct gen_err *err)
{
	for (const char *c = s; *c != '\0'; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return gen_err_set(err, GEN_EINPUT, "%s: '%s' is not "
			    "allowed; use 1 to 16 upper-case letters A-Z and "
			    "digits", path, s);
	return GEN_OK;
}

/* 1 if b is a followed by one or more digits only. */
static int
digits_after(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (strncmp(a, b, n) != 0 || b[n] == '\0')
		return 0;
	for (b += n; *b != '\0'; b++)
		if (*b < '0' || *b > '9')
			return 0;
	return 1;
}

/*
 * Numbers become file names on every system the archive may reach, and
 * must never collide: the format must contain {series} (invoices, credit
 * notes and payment orders would share numbers otherwise), its literal
 * text is limited to letters, digits and - _ . (not first), and when
 * {seq} follows {series} directly, no series may be another series plus
 * digits (A and A1 would both give A11).  example is the number of seq 1.
 */
static enum gen_rc
check_number_format(const struct seller_profile *sp, const char *example,
    struct gen_err *err)
{
	const char *f = sp->number_format;
	const char *series[5] = { sp->invoice_series, sp->credit_series,
		sp->transfer_series, sp->receipt_series, sp->balance_series };

	if (strstr(f, "{series}") == NULL)
		return gen_err_set(err, GEN_EINPUT, "number_format: '%s' has no "
		    "{series}; invoices, credit notes and payment orders would "
		    "get the same numbers", f);
	for (const char *c = example; *c != '\0'; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || ((*c == '-' || *c == '_' ||
		    *c == '.') && c != example)))
			return gen_err_set(err, GEN_EINPUT, "number_format: '%s' "
			    "gives '%s'; numbers become file names, so allowed "
			    "are letters, digits and - _ . (not first)", f,
			    example);
	if (strstr(f, "{series}{seq") != NULL)
		for (int i = 0; i < 5; i++)
			for (int j = 0; j < 5; j++)
				if (i != j && series[i] != NULL &&
				    series[j] != NULL &&
				    digits_after(series[i], series[j]))
					return gen_err_set(err, GEN_EINPUT,
					    "number_format: with {series}{seq} "
					    "the series %s and %s give the same "
					    "numbers (%s11); put a separator "
					    "between them or rename a series",
					    series[i], series[j], series[i]);
	return GEN_OK;
}

enum gen_rc
seller_parse_json(const char *text, size_t len, struct seller_profile **out,
    struct gen_err *err)
{
	struct json *root = NULL;
	struct seller_profile *sp;
	struct jsonin_path top = { "" }, pa, pb;
	const struct json *addr, *bank;
	int64_t v;
	char norm[VATID_MAX + 1], num[96];
	enum gen_rc rc;

	*out = NULL;
	if ((rc = json_parse(text, len, 1 << 20, &root, err)) != GEN_OK)
		return rc;
	sp = xcalloc(1, sizeof(*sp));
	if ((rc = jsonin_object(root, &top, err)) != GEN_OK ||
	    (rc = jsonin_keys(root, &top, seller_keys, err)) != GEN_OK ||
	    (rc = get_date(root, &top, "valid_from", 1, sp->valid_from,
	    err)) != GEN_OK ||
	    (rc = get_date(root, &top, "valid_to", 0, sp->valid_to, err)) !=
	    GEN_OK ||
	    (rc = jsonin_text(root, &top, "legal_name", 1, 200, &sp->party.name,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(root, &top, "company_code", 1, 35,
	    &sp->party.company_code, err)) != GEN_OK ||
	    (rc = jsonin_text(root, &top, "vat_number", 0, 64,
	    &sp->party.vat_number, err)) != GEN_OK ||
	    (rc = jsonin_text(root, &top, "email", 0, 254, &sp->party.email,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(root, &top, "website", 0, 200,
	    &sp->party.website, err)) != GEN_OK)
		goto out;
	if (sp->valid_to[0] && strcmp(sp->valid_to, sp->valid_from) < 0) {
		rc = gen_err_set(err, GEN_EINPUT, "valid_to: %s is before "
		    "valid_from %s", sp->valid_to, sp->valid_from);
		goto out;
	}
	if (sp->party.vat_number != NULL) {
		if ((rc = vatid_check(sp->party.vat_number, norm, sizeof(norm),
		    err)) != GEN_OK)
			goto out;
		free(sp->party.vat_number);
		sp->party.vat_number = xstrdup(norm);
	}
	addr = jsonin_member(root, &top, "address", &pa);
	if (addr == NULL) {
		rc = jsonin_missing(&pa, "must be an object with line1, city, "
		    "postal_code, country", err);
		goto out;
	}
	if ((rc = jsonin_object(addr, &pa, err)) != GEN_OK ||
	    (rc = jsonin_keys(addr, &pa, address_keys, err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "line1", 1, 200,
	    &sp->party.address_line1, err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "line2", 0, 200,
	    &sp->party.address_line2, err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "city", 1, 100, &sp->party.city,
	    err)) != GEN_OK ||
	    (rc = jsonin_text(addr, &pa, "postal_code", 1, 20,
	    &sp->party.postal_code, err)) != GEN_OK ||
	    (rc = jsonin_country(addr, &pa, "country", 1, sp->party.country,
	    NULL, err)) != GEN_OK)
		goto out;
	sp->party.is_business = 1;
	if ((rc = jsonin_text(root, &top, "invoice_series", 1, 16,
	    &sp->invoice_series, err)) != GEN_OK ||
	    (rc = check_series(sp->invoice_series, "invoice_series", err)) !=
	    GEN_OK ||
	    (rc = jsonin_text(root, &top, "credit_series", 1, 16,
	    &sp->credit_series, err)) != GEN_OK ||
	    (rc = check_series(sp->credit_series, "credit_series", err)) !=
	    GEN_OK ||
	    (rc = jsonin_text(root, &top, "transfer_series", 1, 16,
	    &sp->transfer_series, err)) != GEN_OK ||
	    (rc = check_series(sp->transfer_series, "transfer_series", err)) !=
	    GEN_OK ||
	    (rc = jsonin_text(root, &top, "receipt_series", 0, 16,
	    &sp->receipt_series, err)) != GEN_OK ||
	    (sp->receipt_series != NULL && (rc = check_series(
	    sp->receipt_series, "receipt_series", err)) != GEN_OK) ||
	    (rc = jsonin_text(root, &top, "balance_series", 0, 16,
	    &sp->balance_series, err)) != GEN_OK ||
	    (sp->balance_series != NULL && (rc = check_series(
	    sp->balance_series, "balance_series", err)) != GEN_OK) ||
	    (rc = jsonin_text(root, &top, "number_format", 0, 40,
	    &sp->number_format, err)) != GEN_OK)
		goto out;
	{
		const char *all[5] = { sp->invoice_series, sp->credit_series,
		    sp->transfer_series, sp->receipt_series,
		    sp->balance_series };

		for (int i = 0; i < 5 && rc == GEN_OK; i++)
			for (int j = i + 1; j < 5 && rc == GEN_OK; j++)
				if (all[i] != NULL && all[j] != NULL &&
				    strcmp(all[i], all[j]) == 0)
					rc = gen_err_set(err, GEN_EINPUT,
					    "invoice_series, credit_series, "
					    "transfer_series, receipt_series, "
					    "balance_series: each kind of "
					    "document needs its own series");
		if (rc != GEN_OK)
			goto out;
	}
	{
		char *policy = NULL;

		if ((rc = jsonin_enum(root, &top, "balance_vat_policy", 0,
		    policies, &policy, err)) != GEN_OK)
			goto out;
		sp->balance_policy = policy != NULL &&
		    strcmp(policy, "at_top_up") == 0 ? BALANCE_AT_TOP_UP :
		    BALANCE_AT_USE;
		free(policy);
	}
	if (sp->number_format == NULL)
		sp->number_format = xstrdup("{series}-{seq:6}");
	if ((rc = issue_format_number(sp->number_format, sp->invoice_series, 1,
	    num, sizeof(num), err)) != GEN_OK)
		goto out;
	if ((rc = check_number_format(sp, num, err)) != GEN_OK)
		goto out;
	if ((rc = jsonin_int(root, &top, "transfer_due_days", 0, 0, 365, &v,
	    err)) != GEN_OK)
		goto out;
	sp->transfer_due_days = json_get(root, "transfer_due_days") ? (int)v : 7;
	sp->oss_enabled = 1;
	if (json_get(root, "oss_enabled") != NULL &&
	    (rc = jsonin_bool(root, &top, "oss_enabled", &sp->oss_enabled,
	    err)) != GEN_OK)
		goto out;
	if (json_get(root, "lithuanian_for_all") != NULL &&
	    (rc = jsonin_bool(root, &top, "lithuanian_for_all",
	    &sp->lithuanian_for_all, err)) != GEN_OK)
		goto out;
	if ((rc = jsonin_text(root, &top, "paper", 0, 6, &sp->paper, err)) !=
	    GEN_OK)
		goto out;
	if (sp->paper != NULL && strcmp(sp->paper, "A4") != 0 &&
	    strcmp(sp->paper, "Letter") != 0) {
		rc = gen_err_set(err, GEN_EINPUT, "paper: '%s' is not allowed; "
		    "allowed: A4, Letter, or no paper for the paper of each "
		    "payer's country", sp->paper);
		goto out;
	}
	if ((rc = jsonin_text(root, &top, "logo", 0, 1024, &sp->logo_path,
	    err)) != GEN_OK)
		goto out;
	bank = jsonin_member(root, &top, "bank", &pb);
	if (bank != NULL) {
		if ((rc = jsonin_object(bank, &pb, err)) != GEN_OK ||
		    (rc = jsonin_keys(bank, &pb, bank_keys, err)) != GEN_OK ||
		    (rc = jsonin_text(bank, &pb, "beneficiary", 1, 70,
		    &sp->bank.beneficiary, err)) != GEN_OK ||
		    (rc = jsonin_text(bank, &pb, "iban", 1, 42, &sp->bank.iban,
		    err)) != GEN_OK ||
		    (rc = jsonin_text(bank, &pb, "bic", 0, 11, &sp->bank.bic,
		    err)) != GEN_OK ||
		    (rc = jsonin_text(bank, &pb, "name", 0, 100, &sp->bank.name,
		    err)) != GEN_OK ||
		    (rc = jsonin_text(bank, &pb, "address", 0, 200,
		    &sp->bank.address, err)) != GEN_OK)
			goto out;
		if ((rc = iban_check(sp->bank.iban, norm, sizeof(norm), err)) !=
		    GEN_OK) {
			gen_err_prefix(err, "bank.");	/* "bank.iban: ..." */
			goto out;
		}
		free(sp->bank.iban);
		sp->bank.iban = xstrdup(norm);
	}
out:
	json_free(root);
	if (rc != GEN_OK) {
		seller_profile_free(sp);
		return rc;
	}
	*out = sp;
	return GEN_OK;
}

/*
 * ---- stored profiles ------------------------------------------------------
 *
 * A seller profile edited with SQL is checked at issue by the rules of
 * `seller add`: written out as its JSON and parsed again.
 */

/* JSON paths of the profile -> seller_profile columns. */
static const struct {
	const char *path, *column;
} stored_columns[] = {
	{ "valid_from", "valid_from" },
	{ "valid_to", "valid_to" },
	{ "legal_name", "legal_name" },
	{ "company_code", "company_code" },
	{ "vat_number", "vat_number" },
	{ "address.line1", "address_line1" },
	{ "address.line2", "address_line2" },
	{ "address.city", "city" },
	{ "address.postal_code", "postal_code" },
	{ "address.country", "country" },
	{ "email", "email" },
	{ "website", "website" },
	{ "invoice_series", "invoice_series" },
	{ "credit_series", "credit_series" },
	{ "transfer_series", "transfer_series" },
	{ "number_format", "number_format" },
	{ "transfer_due_days", "transfer_due_days" },
	{ "oss_enabled", "oss_enabled" },
	{ "lithuanian_for_all", "lithuanian_for_all" },
	{ "balance_vat_policy", "balance_vat_policy" },
	{ "receipt_series", "receipt_series" },
	{ "balance_series", "balance_series" },
	{ "bank.beneficiary", "bank_beneficiary" },
	{ "bank.iban", "bank_iban" },
	{ "bank.bic", "bank_bic" },
	{ "bank.name", "bank_name" },
	{ "bank.address", "bank_address" },
};

static void
put_str(struct jsonw *w, const char *key, const char *v)
{
	if (v == NULL || v[0] == '\0')
		return;
	jsonw_key(w, key);
	jsonw_string(w, v);
}

void
seller_write_members(const struct seller_profile *sp, struct jsonw *w)
{
	const struct bank_account *bk = &sp->bank;

	put_str(w, "valid_from", sp->valid_from);
	put_str(w, "valid_to", sp->valid_to);
	put_str(w, "legal_name", sp->party.name);
	put_str(w, "company_code", sp->party.company_code);
	put_str(w, "vat_number", sp->party.vat_number);
	jsonw_key(w, "address");
	jsonw_object_begin(w);
	put_str(w, "line1", sp->party.address_line1);
	put_str(w, "line2", sp->party.address_line2);
	put_str(w, "city", sp->party.city);
	put_str(w, "postal_code", sp->party.postal_code);
	put_str(w, "country", sp->party.country);
	jsonw_object_end(w);
	put_str(w, "email", sp->party.email);
	put_str(w, "website", sp->party.website);
	put_str(w, "invoice_series", sp->invoice_series);
	put_str(w, "credit_series", sp->credit_series);
	put_str(w, "transfer_series", sp->transfer_series);
	put_str(w, "number_format", sp->number_format);
	jsonw_key(w, "transfer_due_days");
	jsonw_int(w, sp->transfer_due_days);
	jsonw_key(w, "oss_enabled");
	if (sp->oss_enabled == 0 || sp->oss_enabled == 1)
		jsonw_bool(w, sp->oss_enabled);
	else
		jsonw_int(w, sp->oss_enabled);	/* refused as not a boolean */
	jsonw_key(w, "lithuanian_for_all");
	if (sp->lithuanian_for_all == 0 || sp->lithuanian_for_all == 1)
		jsonw_bool(w, sp->lithuanian_for_all);
	else
		jsonw_int(w, sp->lithuanian_for_all);
	put_str(w, "balance_vat_policy", balance_policy_name(sp->balance_policy));
	put_str(w, "receipt_series", sp->receipt_series);
	put_str(w, "balance_series", sp->balance_series);
	if (bk->beneficiary || bk->iban || bk->bic || bk->name || bk->address) {
		jsonw_key(w, "bank");
		jsonw_object_begin(w);
		put_str(w, "beneficiary", bk->beneficiary);
		put_str(w, "iban", bk->iban);
		put_str(w, "bic", bk->bic);
		put_str(w, "name", bk->name);
		put_str(w, "address", bk->address);
		jsonw_object_end(w);
	}
}

enum gen_rc
seller_check_stored(const struct seller_profile *sp, struct gen_err *err)
{
	struct seller_profile *parsed = NULL;
	struct buf b = { 0 };
	struct jsonw w;
	char msg[sizeof(err->msg)];
	const char *rest, *column = NULL;
	size_t best = 0;
	enum gen_rc rc;

	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	seller_write_members(sp, &w);
	jsonw_object_end(&w);
	rc = seller_parse_json(b.data, b.len, &parsed, err);
	buf_free(&b);
	seller_profile_free(parsed);
	if (rc != GEN_EINPUT)
		return rc;
	/* "invoice_series: ..." -> "seller_profile.invoice_series of seller
	 * profile 2: ..." */
	snprintf(msg, sizeof(msg), "%s", err->msg);
	rest = msg;
	for (size_t i = 0; i < sizeof(stored_columns) /
	    sizeof(stored_columns[0]); i++) {
		size_t n = strlen(stored_columns[i].path);

		if (n > best && strncmp(msg, stored_columns[i].path, n) == 0 &&
		    msg[n] == ':') {
			best = n;
			column = stored_columns[i].column;
			rest = msg + n;
		}
	}
	if (column == NULL)
		return gen_err_set(err, GEN_EINPUT, "seller_profile of seller "
		    "profile %lld as stored: %s", (long long)sp->id, msg);
	return gen_err_set(err, GEN_EINPUT, "seller_profile.%s of seller profile "
	    "%lld%s", column, (long long)sp->id, rest);
}

enum gen_rc
seller_close(struct store *s, const char *date, int64_t *closed,
    struct gen_err *err)
{
	struct seller_profile *sp = NULL;
	char day[CALDATE_LEN], last[CALDATE_LEN], number[128];
	int32_t d, from;
	int64_t id;
	enum gen_rc rc;

	if (closed != NULL)
		*closed = 0;
	if ((rc = caldate_parse(date, &d, "date", err)) != GEN_OK)
		return rc;
	caldate_format(d, day);
	if ((rc = store_seller_open(s, &id, err)) != GEN_OK)
		return rc;
	if (id == 0)
		return gen_err_set(err, GEN_ENOTFOUND, "seller_profile: every "
		    "seller profile has an end date; there is none to close");
	if ((rc = store_seller_by_id(s, id, &sp, err)) != GEN_OK)
		return rc;
	if ((rc = caldate_parse(sp->valid_from, &from, "valid_from", err)) !=
	    GEN_OK)
		goto out;
	if (d < from) {
		rc = gen_err_set(err, GEN_EINPUT, "date: %s is before seller "
		    "profile %lld starts (%s); allowed: its first day or later",
		    day, (long long)id, sp->valid_from);
		goto out;
	}
	/* A document keeps the seller of its tax point: every document
	 * the profile issued must stay inside its period. */
	if ((rc = store_seller_last_tax_point(s, id, last, number,
	    sizeof(number), err)) != GEN_OK)
		goto out;
	if (last[0] != '\0' && strcmp(last, day) > 0) {
		rc = gen_err_set(err, GEN_EINPUT, "date: %s is before the tax "
		    "point of %s (%s), which seller profile %lld issued; "
		    "allowed: %s or later", day, number, last, (long long)id,
		    last);
		goto out;
	}
	if ((rc = store_seller_set_valid_to(s, id, day, err)) == GEN_OK &&
	    closed != NULL)
		*closed = id;
out:
	seller_profile_free(sp);
	return rc;
}
