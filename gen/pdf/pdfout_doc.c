/*
 * pdfout_doc.c - the PDF back end's document through libharu's public API
 * alone (pdfout_private.h): creating and freeing it, libharu's errors,
 * the Info dictionary's producer and dates, and saving.  HPDF_SHARED is
 * defined before <hpdf.h>, which then declares the public functions only
 * and makes every handle opaque: anything else used here would not
 * compile.  What the public API cannot do is in pdfout_hpdf.c.
 *
 * Errors: libharu's error handler only records error_no and detail_no in
 * p->fail (its user_data) and returns - never longjmp, which would skip
 * our cleanup.  libharu allocates with xmalloc (HPDF_NewEx), so
 * out-of-memory exits as everywhere in invgen.
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or keep global state (threads render concurrently).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HPDF_SHARED	/* the public API only */
#include <hpdf.h>

#include "pdfout_private.h"

static void HPDF_STDCALL
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct po_fail *f = user_data;

	if (f->error_no == 0) {
		f->error_no = error_no;
		f->detail_no = detail_no;
	}
}

static void * HPDF_STDCALL
hpdf_alloc(HPDF_UINT size)
{
	return xmalloc(size > 0 ? size : 1);
}

static void HPDF_STDCALL
hpdf_free(void *ptr)
{
	free(ptr);
}

enum gen_rc
po_doc_new(struct pdf *p, struct gen_err *err)
{
	p->doc = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, &p->fail);
	if (p->doc == NULL)
		return po_error(p, err, "pdf: creating the document");
	return GEN_OK;
}

void
po_doc_free(struct pdf *p)
{
	HPDF_Free(p->doc);
	p->doc = NULL;
}

int
po_failed(const struct pdf *p)
{
	return p->st != HPDF_OK || p->fail.error_no != 0 ||
	    p->zrc != 0 /* Z_OK */ ||
	    (p->doc != NULL && HPDF_GetError(p->doc) != HPDF_OK);
}

enum gen_rc
po_error(struct pdf *p, struct gen_err *err, const char *what, ...)
{
	unsigned long no = p->fail.error_no, detail = p->fail.detail_no;
	char where[160];
	va_list ap;

	va_start(ap, what);
	vsnprintf(where, sizeof(where), what, ap);
	va_end(ap);
	if (p->zrc != 0)
		return gen_err_set(err, GEN_EPDF, "%s: zlib error %d (%s)",
		    where, p->zrc, po_zerror(p->zrc));

	if (no == 0 && p->doc != NULL) {
		no = HPDF_GetError(p->doc);
		detail = HPDF_GetErrorDetail(p->doc);
	}
	if (no == 0)
		no = p->st;
	return gen_err_set(err, GEN_EPDF, "%s: libharu error 0x%04lX "
	    "(detail %lu)", where, no, detail);
}

void
po_note(struct pdf *p, unsigned long st)
{
	if (p->st == HPDF_OK && st != HPDF_OK)
		p->st = st;
}

/* Replaces "Haru Free PDF Library 2.3.0" and creates the Info
 * dictionary.  No version: an upgrade must not change old documents'
 * bytes. */
void
po_producer(struct pdf *p)
{
	if (p->st == HPDF_OK)
		po_note(p, HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER,
		    "invgen"));
}

/* The date with '+' and a zero offset, not 'Z' (PERFORMANCE.md, "The
 * Info dates"). */
void
po_dates(struct pdf *p, int year, int month, int day)
{
	HPDF_Date date;

	memset(&date, 0, sizeof(date));
	date.year = year;
	date.month = month;
	date.day = day;
	date.ind = '+';
	po_note(p, HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE,
	    date));
	po_note(p, HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, date));
}

enum gen_rc
po_save(struct pdf *p, struct buf *out, struct gen_err *err)
{
	po_save_into(p, out);
	if (po_failed(p) || HPDF_SaveToStream(p->doc) != HPDF_OK ||
	    po_failed(p))
		return po_error(p, err, "pdf: saving the document");
	return GEN_OK;
}

void
pdfout_lib_versions(struct buf *out)
{
	buf_printf(out, "libharu %s; zlib %s", HPDF_GetVersion(),
	    po_zlib_version());
}
