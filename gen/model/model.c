/*
 * model.c - constructors, copies and destructors of the records in
 * model.h.  No I/O, no policy: those live in store.c and issue.c.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "model.h"

static const char *const kind_names[DOC_KINDS] = {
	"invoice", "credit_note", "transfer_order", "prepayment_receipt",
	"balance_use"
};

const char *
doc_kind_name(enum doc_kind k)
{
	return kind_names[k];
}

int
doc_kind_from_name(const char *name)
{
	for (int i = 0; i < DOC_KINDS; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return i;
	return -1;
}

int
doc_kind_is_vat(enum doc_kind k)
{
	return k == DOC_INVOICE || k == DOC_CREDIT_NOTE;
}

static const char *const policy_names[] = { "at_use", "at_top_up" };

const char *
balance_policy_name(enum balance_policy p)
{
	return policy_names[p];
}

int
balance_policy_from_name(const char *name)
{
	for (int i = 0; i < 2; i++)
		if (name != NULL && strcmp(name, policy_names[i]) == 0)
			return i;
	return -1;
}

char *
model_strdup(const char *s)
{
	return s == NULL ? NULL : xstrdup(s);
}

void
party_clear(struct party *p)
{
	free(p->name);
	free(p->address_line1);
	free(p->address_line2);
	free(p->city);
	free(p->postal_code);
	free(p->region);
	free(p->vat_number);
	free(p->company_code);
	free(p->email);
	free(p->website);
	memset(p, 0, sizeof(*p));
}

void
party_copy(struct party *dst, const struct party *src)
{
	dst->name = model_strdup(src->name);
	dst->address_line1 = model_strdup(src->address_line1);
	dst->address_line2 = model_strdup(src->address_line2);
	dst->city = model_strdup(src->city);
	dst->postal_code = model_strdup(src->postal_code);
	dst->region = model_strdup(src->region);
	memcpy(dst->country, src->country, sizeof(dst->country));
	dst->vat_number = model_strdup(src->vat_number);
	dst->company_code = model_strdup(src->company_code);
	dst->email = model_strdup(src->email);
	dst->website = model_strdup(src->website);
	dst->telegram_id = src->telegram_id;
	dst->is_business = src->is_business;
}

void
bank_account_clear(struct bank_account *b)
{
	free(b->beneficiary);
	free(b->iban);
	free(b->bic);
	free(b->name);
	free(b->address);
	memset(b, 0, sizeof(*b));
}

void
bank_account_copy(struct bank_account *dst, const struct bank_account *src)
{
	dst->beneficiary = model_strdup(src->beneficiary);
	dst->iban = model_strdup(src->iban);
	dst->bic = model_strdup(src->bic);
	dst->name = model_strdup(src->name);
	dst->address = model_strdup(src->address);
}

void
order_free(struct order *o)
{
	if (o == NULL)
		return;
	free(o->order_no);
	free(o->created_at);
	free(o->paid_at);
	free(o->payment_method);
	free(o->language);
	party_clear(&o->payer);
	free(o->customer_username);
	free(o->vat_check_status);
	free(o->vat_check_at);
	free(o->vat_check_reference);
	free(o->evidence_billing);
	free(o->evidence_card);
	free(o->evidence_ip);
	for (size_t i = 0; i < o->nlines; i++) {
		free(o->lines[i].item);
		free(o->lines[i].description);
	}
	free(o->lines);
	for (size_t i = 0; i < o->ndraws; i++)
		free(o->draws[i].source);
	free(o->draws);
	free(o);
}

void
seller_profile_free(struct seller_profile *s)
{
	if (s == NULL)
		return;
	party_clear(&s->party);
	free(s->invoice_series);
	free(s->credit_series);
	free(s->transfer_series);
	free(s->number_format);
	bank_account_clear(&s->bank);
	free(s->receipt_series);
	free(s->balance_series);
	free(s->paper);
	free(s->logo_sha256);
	free(s->logo);
	free(s->logo_path);
	free(s);
}

void
document_free(struct document *d)
{
	if (d == NULL)
		return;
	free(d->series);
	free(d->number);
	free(d->order_no);
	free(d->corrects_number);
	free(d->credit_reason);
	free(d->paid_at);
	free(d->payment_method);
	free(d->payment_reference);
	free(d->language);
	party_clear(&d->seller);
	bank_account_clear(&d->bank);
	party_clear(&d->payer);
	free(d->customer_username);
	free(d->tax_rule);
	free(d->tax_explanation);
	free(d->fx_units_per_eur);
	free(d->template_name);
	free(d->render_env);
	free(d->territory);
	free(d->logo_sha256);
	free(d->logo);
	for (size_t i = 0; i < d->nlines; i++) {
		free(d->lines[i].item);
		free(d->lines[i].description);
	}
	free(d->lines);
	free(d->vats);
	free(d->credit_to);
	free(d->origin_number);
	for (size_t i = 0; i < d->ndraws; i++)
		free(d->draws[i].source_number);
	free(d->draws);
	free(d);
}
