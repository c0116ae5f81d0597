/*
 * result.c - the typed results of libinvgen (see result.h): the opaque
 * struct invgen_doc (a document), invgen_docs (the documents of one
 * call), invgen_payment (a booked statement line) and invgen_file (a
 * file written for a caller), with their accessors and JSON.  No I/O.
 *
 * Accessors take NULL and then return NULL or 0, so a caller through an
 * FFI cannot crash the library with a missing result.  A const char *
 * an accessor returns lives as long as its result; every *_json()
 * returns a new string, the caller's to invgen_free().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "result.h"

/* Largest document JSON read back: far above any document of ours. */
#define DOC_JSON_MAX	(16 * 1024 * 1024)

struct invgen_doc {
	char *json;			/* the document's JSON, as received */
	struct json *root;		/* the same, parsed */
	int64_t net_minor, vat_minor, total_minor;
	int existed;			/* 0, 1, or -1: not said */
	uint32_t *missing;		/* missing_glyphs */
	size_t nmissing;
};

struct invgen_docs {
	struct invgen_doc **v;
	size_t n;
};

struct invgen_payment {
	char *reference, *order_no, *payment_order;
	int64_t paid_minor, overpaid_minor, left_minor;
	struct invgen_doc *invoice;
};

struct invgen_file {
	char *number, *format, *path, *sha256;
	int64_t size;
};

/* ---- documents ----------------------------------------------------- */

/* A string member of the document, or NULL (absent, null, not a string). */
static const char *
str(const struct invgen_doc *d, const char *key)
{
	return d == NULL ? NULL : json_str(json_get(d->root, key), NULL);
}

/* Check what the accessors promise and take the numbers out. */
static enum gen_rc
doc_read(struct invgen_doc *d, struct gen_err *err)
{
	static const char *const required[] = { "number", "kind", "series",
		"issue_date", "tax_point_date", "currency", "net", "vat",
		"total", "treatment", NULL };
	static const char *const strings[] = { "order_no", "due_date",
		"reference", "payment_reference", "amount", "path", "sha256",
		NULL };
	const struct json *v, *mg;
	enum gen_rc rc;

	if (json_type(d->root) != JSON_OBJECT)
		return gen_err_set(err, GEN_EINPUT, "document: not a JSON object");
	for (size_t i = 0; required[i] != NULL; i++)
		if (json_type(json_get(d->root, required[i])) != JSON_STRING)
			return gen_err_set(err, GEN_EINPUT, "%s: missing or not a "
			    "string in the document's JSON", required[i]);
	for (size_t i = 0; strings[i] != NULL; i++) {
		enum json_type t = json_type(json_get(d->root, strings[i]));

		if (t != JSON_STRING && t != JSON_NULL)
			return gen_err_set(err, GEN_EINPUT, "%s: not a string in "
			    "the document's JSON", strings[i]);
	}
	if ((rc = json_int64(json_get(d->root, "net_minor"), INT64_MIN,
	    INT64_MAX, &d->net_minor, err)) != GEN_OK ||
	    (rc = json_int64(json_get(d->root, "vat_minor"), INT64_MIN,
	    INT64_MAX, &d->vat_minor, err)) != GEN_OK ||
	    (rc = json_int64(json_get(d->root, "total_minor"), INT64_MIN,
	    INT64_MAX, &d->total_minor, err)) != GEN_OK)
		return gen_err_prefix(err, "the document's amounts: ");
	v = json_get(d->root, "existed");
	d->existed = json_type(v) == JSON_TRUE ? 1 : json_type(v) ==
	    JSON_FALSE ? 0 : -1;
	mg = json_get(d->root, "missing_glyphs");
	if (json_type(mg) != JSON_NULL && json_type(mg) != JSON_ARRAY)
		return gen_err_set(err, GEN_EINPUT, "missing_glyphs: not an "
		    "array in the document's JSON");
	if (json_len(mg) > 0)
		d->missing = xcalloc(json_len(mg), sizeof(*d->missing));
	for (size_t i = 0; i < json_len(mg); i++) {
		const char *s = json_str(json_at(mg, i), NULL);
		unsigned cp;
		int end = 0;

		if (s == NULL || sscanf(s, "U+%x%n", &cp, &end) != 1 ||
		    s[end] != '\0' || cp > 0x10ffff)
			return gen_err_set(err, GEN_EINPUT, "missing_glyphs[%zu]: "
			    "not a code point U+XXXX", i);
		d->missing[d->nmissing++] = cp;
	}
	return GEN_OK;
}

enum gen_rc
result_doc_parse(const char *json, size_t len, struct invgen_doc **out,
    struct gen_err *err)
{
	struct invgen_doc *d = xcalloc(1, sizeof(*d));
	enum gen_rc rc;

	*out = NULL;
	d->json = xstrndup(json, len);
	if ((rc = json_parse(json, len, DOC_JSON_MAX, &d->root, err)) ==
	    GEN_OK)
		rc = doc_read(d, err);
	if (rc != GEN_OK) {
		invgen_doc_free(d);
		return rc;
	}
	*out = d;
	return GEN_OK;
}

enum gen_rc
result_doc_new(const struct document *d, const struct docjson_file *files,
    size_t nfiles, int existed, const char *amount_text,
    const struct text_warnings *warn, struct invgen_doc **out,
    struct gen_err *err)
{
	struct buf b = { 0 };
	enum gen_rc rc;

	docjson_write(d, files, nfiles, existed, amount_text, warn, &b);
	/* docjson's own JSON always reads back; if not, it is a bug. */
	if ((rc = result_doc_parse(b.data, b.len, out, err)) != GEN_OK) {
		gen_err_prefix(err, "%s: the document's JSON does not read "
		    "back: ", d->number);
		err->rc = rc = GEN_EINTERNAL;
	}
	buf_free(&b);
	return rc;
}

const char *
invgen_doc_number(const struct invgen_doc *d)
{
	return str(d, "number");
}

const char *
invgen_doc_kind(const struct invgen_doc *d)
{
	return str(d, "kind");
}

const char *
invgen_doc_order_no(const struct invgen_doc *d)
{
	return str(d, "order_no");
}

const char *
invgen_doc_issue_date(const struct invgen_doc *d)
{
	return str(d, "issue_date");
}

const char *
invgen_doc_tax_point_date(const struct invgen_doc *d)
{
	return str(d, "tax_point_date");
}

const char *
invgen_doc_due_date(const struct invgen_doc *d)
{
	return str(d, "due_date");
}

const char *
invgen_doc_currency(const struct invgen_doc *d)
{
	return str(d, "currency");
}

const char *
invgen_doc_net(const struct invgen_doc *d)
{
	return str(d, "net");
}

const char *
invgen_doc_vat(const struct invgen_doc *d)
{
	return str(d, "vat");
}

const char *
invgen_doc_total(const struct invgen_doc *d)
{
	return str(d, "total");
}

const char *
invgen_doc_treatment(const struct invgen_doc *d)
{
	return str(d, "treatment");
}

const char *
invgen_doc_amount(const struct invgen_doc *d)
{
	return str(d, "amount");
}

const char *
invgen_doc_path(const struct invgen_doc *d)
{
	return str(d, "path");
}

const char *
invgen_doc_sha256(const struct invgen_doc *d)
{
	return str(d, "sha256");
}

const char *
invgen_doc_reference(const struct invgen_doc *d)
{
	const char *r = str(d, "reference");

	return r != NULL ? r : str(d, "payment_reference");
}

int64_t
invgen_doc_net_minor(const struct invgen_doc *d)
{
	return d != NULL ? d->net_minor : 0;
}

int64_t
invgen_doc_vat_minor(const struct invgen_doc *d)
{
	return d != NULL ? d->vat_minor : 0;
}

int64_t
invgen_doc_total_minor(const struct invgen_doc *d)
{
	return d != NULL ? d->total_minor : 0;
}

int
invgen_doc_existed(const struct invgen_doc *d)
{
	return d != NULL && d->existed == 1;
}

size_t
invgen_doc_missing_glyphs(const struct invgen_doc *d)
{
	return d != NULL ? d->nmissing : 0;
}

uint32_t
invgen_doc_missing_glyph(const struct invgen_doc *d, size_t i)
{
	return d != NULL && i < d->nmissing ? d->missing[i] : 0;
}

char *
invgen_doc_json(const struct invgen_doc *d)
{
	return d != NULL ? xstrdup(d->json) : NULL;
}

void
invgen_doc_free(struct invgen_doc *d)
{
	if (d == NULL)
		return;
	free(d->json);
	json_free(d->root);
	free(d->missing);
	free(d);
}

/* ---- the documents of one call ------------------------------------- */

struct invgen_docs *
result_docs_new(void)
{
	return xcalloc(1, sizeof(struct invgen_docs));
}

void
result_docs_add(struct invgen_docs *s, struct invgen_doc *d)
{
	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = d;
}

size_t
invgen_docs_count(const struct invgen_docs *s)
{
	return s != NULL ? s->n : 0;
}

const struct invgen_doc *
invgen_docs_get(const struct invgen_docs *s, size_t i)
{
	return s != NULL && i < s->n ? s->v[i] : NULL;
}

char *
invgen_docs_json(const struct invgen_docs *s)
{
	struct buf b = { 0 };
	struct jsonw w;

	if (s == NULL)
		return NULL;
	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "documents");
	jsonw_array_begin(&w);
	for (size_t i = 0; i < s->n; i++)
		jsonw_json(&w, s->v[i]->json);
	jsonw_array_end(&w);
	jsonw_object_end(&w);
	return buf_detach(&b, NULL);
}

void
invgen_docs_free(struct invgen_docs *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++)
		invgen_doc_free(s->v[i]);
	free(s->v);
	free(s);
}

/* ---- a booked statement line --------------------------------------- */

struct invgen_payment *
result_payment_new(const struct payment_booking *b,
    struct invgen_doc *invoice)
{
	struct invgen_payment *p = xcalloc(1, sizeof(*p));

	p->reference = xstrdup(b->reference);
	p->order_no = xstrdup(b->order_no != NULL ? b->order_no : "");
	if (!b->paid_invoice && b->paid_document != NULL)
		p->payment_order = xstrdup(b->paid_document);
	p->paid_minor = b->paid_minor;
	p->overpaid_minor = b->overpaid_minor;
	p->left_minor = b->left_minor;
	p->invoice = invoice;
	return p;
}

const char *
invgen_payment_reference(const struct invgen_payment *p)
{
	return p != NULL ? p->reference : NULL;
}

const char *
invgen_payment_order_no(const struct invgen_payment *p)
{
	return p != NULL ? p->order_no : NULL;
}

const char *
invgen_payment_payment_order(const struct invgen_payment *p)
{
	return p != NULL ? p->payment_order : NULL;
}

int64_t
invgen_payment_paid_minor(const struct invgen_payment *p)
{
	return p != NULL ? p->paid_minor : 0;
}

int64_t
invgen_payment_overpaid_minor(const struct invgen_payment *p)
{
	return p != NULL ? p->overpaid_minor : 0;
}

int64_t
invgen_payment_left_minor(const struct invgen_payment *p)
{
	return p != NULL ? p->left_minor : 0;
}

const struct invgen_doc *
invgen_payment_invoice(const struct invgen_payment *p)
{
	return p != NULL ? p->invoice : NULL;
}

char *
invgen_payment_json(const struct invgen_payment *p)
{
	struct buf b = { 0 };
	struct jsonw w;

	if (p == NULL)
		return NULL;
	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "reference");
	jsonw_string(&w, p->reference);
	jsonw_key(&w, "order_no");
	jsonw_string(&w, p->order_no);
	jsonw_key(&w, "payment_order");
	jsonw_string(&w, p->payment_order);
	jsonw_key(&w, "paid_minor");
	jsonw_int(&w, p->paid_minor);
	jsonw_key(&w, "overpaid_minor");
	jsonw_int(&w, p->overpaid_minor);
	jsonw_key(&w, "left_minor");
	jsonw_int(&w, p->left_minor);
	jsonw_key(&w, "invoice");
	jsonw_json(&w, p->invoice != NULL ? p->invoice->json : NULL);
	jsonw_object_end(&w);
	return buf_detach(&b, NULL);
}

void
invgen_payment_free(struct invgen_payment *p)
{
	if (p == NULL)
		return;
	free(p->reference);
	free(p->order_no);
	free(p->payment_order);
	invgen_doc_free(p->invoice);
	free(p);
}

/* ---- a file written for a caller ----------------------------------- */

struct invgen_file *
result_file_new(const char *number, const char *format, const char *path,
    const char *sha256, int64_t size)
{
	struct invgen_file *f = xcalloc(1, sizeof(*f));

	f->number = xstrdup(number);
	f->format = xstrdup(format);
	f->path = xstrdup(path);
	f->sha256 = xstrdup(sha256);
	f->size = size;
	return f;
}

const char *
invgen_file_number(const struct invgen_file *f)
{
	return f != NULL ? f->number : NULL;
}

const char *
invgen_file_format(const struct invgen_file *f)
{
	return f != NULL ? f->format : NULL;
}

const char *
invgen_file_path(const struct invgen_file *f)
{
	return f != NULL ? f->path : NULL;
}

const char *
invgen_file_sha256(const struct invgen_file *f)
{
	return f != NULL ? f->sha256 : NULL;
}

int64_t
invgen_file_size(const struct invgen_file *f)
{
	return f != NULL ? f->size : 0;
}

char *
invgen_file_json(const struct invgen_file *f)
{
	struct buf b = { 0 };
	struct jsonw w;

	if (f == NULL)
		return NULL;
	jsonw_init(&w, &b, 0);
	jsonw_object_begin(&w);
	jsonw_key(&w, "number");
	jsonw_string(&w, f->number);
	jsonw_key(&w, "format");
	jsonw_string(&w, f->format);
	jsonw_key(&w, "path");
	jsonw_string(&w, f->path);
	jsonw_key(&w, "sha256");
	jsonw_string(&w, f->sha256);
	jsonw_key(&w, "size");
	jsonw_int(&w, f->size);
	jsonw_object_end(&w);
	return buf_detach(&b, NULL);
}

void
invgen_file_free(struct invgen_file *f)
{
	if (f == NULL)
		return;
	free(f->number);
	free(f->format);
	free(f->path);
	free(f->sha256);
	free(f);
}
