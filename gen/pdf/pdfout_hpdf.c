/*
 * pdfout_hpdf.c - what the PDF back end needs of libharu beyond its
 * public API: the object layer (dictionaries, arrays, strings, streams,
 * the cross-reference table) and a few fields of its private structures,
 * behind the po_ object functions of pdfout_private.h.  The only file of
 * invgen that touches libharu's internals; the rest of the back end uses
 * these functions and, in pdfout_doc.c, the public API alone.
 *
 * Why the internals at all: libharu's public API draws pages with its
 * own fonts and writes numbers from floats.  Its own TrueType path
 * (HPDF_LoadTTFontFromFile + HPDF_GetFont "UTF-8") costs about 14 ms and
 * 60-100 KB per invoice, because it maps and measures the whole font;
 * its PDF/A-1 call adds a trailer /ID made from the clock, and
 * HPDF_AttachFile writes none of what PDF/A-3 asks of an embedded file
 * (gen/pdf/PERFORMANCE.md).  So invgen builds the fonts, the content and
 * the PDF/A objects itself and uses libharu for its object layer and for
 * saving.  Public replacements used instead of internals: HPDF_NewEx,
 * HPDF_AddPage, HPDF_SetInfoAttr / HPDF_SetInfoDateAttr (the Info
 * dictionary and its dates), HPDF_SaveToStream (saving, into the stream
 * po_save_into puts in place), HPDF_GetError.
 *
 * Written for libharu 2.3 (Debian 12 ships 2.3.0).  What is relied on,
 * all declared in its installed headers (re-check every point on an
 * upgrade; 2.4 already changed struct _HPDF_Doc_Rec and the default PDF
 * version, and added raw objects, HPDF_Direct, that could replace
 * po_put_raw):
 *   - struct _HPDF_Doc_Rec (hpdf_doc.h): mmgr, xref, catalog, info
 *     (created by HPDF_SetInfoAttr), pdf_version (no setter in 2.3),
 *     stream (where HPDF_SaveToStream writes: a memory stream it makes
 *     when there is none, emptied before saving only if it is one; freed
 *     by HPDF_Free);
 *     trailer (the xref's trailer dictionary, written with
 *     HPDF_Dict_Write - so its write_fn runs too - after "trailer\n" and
 *     before "startxref", within the file's last few hundred bytes;
 *     saving adds /Root, /Info and /Size only);
 *   - struct _HPDF_Dict_Rec (hpdf_objects.h): stream, write_fn (called
 *     by HPDF_Dict_Write after the entries, before ">>"; unused by
 *     libharu for pages and plain dictionaries), and an object header
 *     whose HPDF_OTYPE_HIDDEN bit makes HPDF_Dict_Write skip the entry;
 *     HPDF_Dict_Write drops a "Filter" entry of a stream whose filter is
 *     NONE, so a deflated stream's /Filter is written raw;
 *   - struct _HPDF_PageAttr_Rec (hpdf_pages.h): contents, the page's
 *     content stream dictionary, written directly, not by HPDF_Page_*;
 *     the page made by HPDF_AddPage holds a Resources dictionary and a
 *     float MediaBox, which is removed (pdfout_page.c writes its own);
 *   - HPDF_Dict_Add makes a reference for an object already in the xref
 *     (HPDF_Xref_Add) and takes ownership of a direct one;
 *   - exported internal functions: HPDF_Dict_New, HPDF_DictStream_New,
 *     HPDF_Dict_Add, HPDF_Dict_AddName, HPDF_Dict_AddNumber,
 *     HPDF_Dict_GetItem, HPDF_Dict_RemoveElement, HPDF_Array_New,
 *     HPDF_Array_Add, HPDF_Array_AddNumber, HPDF_String_New (NULL
 *     encoder: a literal string), HPDF_Binary_New / _GetValue / _GetLen
 *     (a <hex> string), HPDF_Xref_Add, HPDF_Stream_Write,
 *     HPDF_CallbackWriter_New (a stream whose write function gets each
 *     write; HPDF_Stream_Write adds its length to stream->size, which
 *     the cross-reference offsets are taken from),
 *     HPDF_Page_GetInheritableItem.
 * The version is checked when compiling (the #if below) and when
 * rendering (po_hpdf_check: the library loaded at run time, which a
 * static or differently packaged build could make another one).
 *
 * Errors: the object-layer functions do not call libharu's error
 * handler; their status is kept in p->st (po_note) and checked by the
 * caller.  libharu allocates with xmalloc (pdfout_doc.c), so
 * out-of-memory exits as everywhere in invgen.
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or keep global state (threads render concurrently).
 */
#include <stdint.h>
#include <string.h>

#include <hpdf.h>

#include "pdfout_private.h"

#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3
#error "pdfout_hpdf.c relies on libharu 2.3's private structures: check \
each point of its header against this libharu, then change this test"
#endif

/* The libharu version this file was written for (major.minor.). */
#define HPDF_WRITTEN_FOR	"2.3."

/* Our opaque handles as libharu's types, and back. */
#define DOC(p)		((HPDF_Doc)(void *)(p)->doc)
#define DICT(o)		((HPDF_Dict)(void *)(o))
#define ARRAY(o)	((HPDF_Array)(void *)(o))
#define OBJ(x)		((struct pdf_obj *)(void *)(x))

enum gen_rc
po_hpdf_check(struct gen_err *err)
{
	const char *v = HPDF_GetVersion();

	if (v == NULL || strncmp(v, HPDF_WRITTEN_FOR,
	    sizeof(HPDF_WRITTEN_FOR) - 1) != 0)
		return gen_err_set(err, GEN_EPDF, "pdf: libharu %s is loaded, "
		    "but invgen was built for libharu %sx and relies on its "
		    "private structures (gen/pdf/pdfout_hpdf.c); rebuild "
		    "invgen with the libharu it runs with", v != NULL ? v :
		    "(unknown)", HPDF_WRITTEN_FOR);
	return GEN_OK;
}

void
po_pdf17(struct pdf *p)
{
	DOC(p)->pdf_version = HPDF_VER_17;
}

/* libharu's write function of the stream po_save_into makes: stream->attr
 * is the struct buf. */
static HPDF_STATUS
write_to_buf(HPDF_Stream stream, const HPDF_BYTE *data, HPDF_UINT len)
{
	buf_append(stream->attr, data, len);
	return HPDF_OK;
}

/*
 * HPDF_SaveToStream writes into the document's stream, which it creates
 * as a memory stream when there is none; libharu copies into and out of
 * those a byte at a time (HPDF_MemCpy), which was 5 % of a batch.  A
 * callback stream (HPDF_CallbackWriter_New) put there first takes each
 * write straight into out; HPDF_SaveToStream only empties memory streams
 * (HPDF_MemStream_FreeData checks the type) and HPDF_Free frees it.
 */
void
po_save_into(struct pdf *p, struct buf *out)
{
	HPDF_Stream s;

	if (p->st != HPDF_OK)
		return;
	if (DOC(p)->stream != NULL) {
		po_note(p, HPDF_INVALID_STREAM);	/* saved before */
		return;
	}
	s = HPDF_CallbackWriter_New(DOC(p)->mmgr, write_to_buf, out);
	if (s == NULL) {
		po_note(p, HPDF_INVALID_STREAM);
		return;
	}
	DOC(p)->stream = s;
}

struct pdf_obj *
po_catalog(struct pdf *p)
{
	return OBJ(DOC(p)->catalog);
}

/* NULL (and a failure noted) when HPDF_SetInfoAttr has not made it. */
struct pdf_obj *
po_info(struct pdf *p)
{
	if (DOC(p)->info == NULL)
		po_note(p, HPDF_INVALID_OBJECT);
	return OBJ(DOC(p)->info);
}

struct pdf_obj *
po_trailer(struct pdf *p)
{
	return OBJ(DOC(p)->trailer);
}

struct pdf_obj *
po_dict(struct pdf *p)
{
	return p->st == HPDF_OK ? OBJ(HPDF_Dict_New(DOC(p)->mmgr)) : NULL;
}

struct pdf_obj *
po_idict(struct pdf *p)
{
	HPDF_Dict d;

	if (p->st != HPDF_OK)
		return NULL;
	d = HPDF_Dict_New(DOC(p)->mmgr);
	po_note(p, HPDF_Xref_Add(DOC(p)->xref, d));
	return p->st == HPDF_OK ? OBJ(d) : NULL;
}

struct pdf_obj *
po_array(struct pdf *p)
{
	return p->st == HPDF_OK ? OBJ(HPDF_Array_New(DOC(p)->mmgr)) : NULL;
}

struct pdf_obj *
po_string(struct pdf *p, const char *s)
{
	return p->st == HPDF_OK ? OBJ(HPDF_String_New(DOC(p)->mmgr, s, NULL)) :
	    NULL;
}

void
po_put(struct pdf *p, struct pdf_obj *d, const char *key,
    struct pdf_obj *obj)
{
	if (p->st == HPDF_OK && d != NULL && obj != NULL)
		po_note(p, HPDF_Dict_Add(DICT(d), key, obj));
	else if (p->st == HPDF_OK)
		po_note(p, HPDF_INVALID_OBJECT);
}

void
po_put_name(struct pdf *p, struct pdf_obj *d, const char *key,
    const char *name)
{
	if (p->st == HPDF_OK && d != NULL)
		po_note(p, HPDF_Dict_AddName(DICT(d), key, name));
}

void
po_put_num(struct pdf *p, struct pdf_obj *d, const char *key, int32_t v)
{
	if (p->st == HPDF_OK && d != NULL)
		po_note(p, HPDF_Dict_AddNumber(DICT(d), key, v));
}

void
po_put_bytes(struct pdf *p, struct pdf_obj *d, const char *key,
    const void *data, size_t len)
{
	if (p->st == HPDF_OK && d != NULL)
		po_put(p, d, key, OBJ(HPDF_Binary_New(DOC(p)->mmgr,
		    (HPDF_BYTE *)(uintptr_t)data, (HPDF_UINT)len)));
}

void
po_push(struct pdf *p, struct pdf_obj *a, struct pdf_obj *obj)
{
	if (p->st == HPDF_OK && a != NULL && obj != NULL)
		po_note(p, HPDF_Array_Add(ARRAY(a), obj));
	else if (p->st == HPDF_OK)
		po_note(p, HPDF_INVALID_OBJECT);
}

void
po_push_num(struct pdf *p, struct pdf_obj *a, int32_t v)
{
	if (p->st == HPDF_OK && a != NULL)
		po_note(p, HPDF_Array_AddNumber(ARRAY(a), v));
}

/* ---- raw entries ---- */

#define RAW_KEY "InvgenRaw"

/* HPDF_Dict_OnWriteFunc: write the dictionary's hidden raw text. */
static HPDF_STATUS
write_raw(HPDF_Dict d, HPDF_Stream s)
{
	HPDF_Binary b = HPDF_Dict_GetItem(d, RAW_KEY, HPDF_OCLASS_BINARY);

	if (b == NULL)
		return HPDF_INVALID_OBJECT;
	return HPDF_Stream_Write(s, HPDF_Binary_GetValue(b),
	    HPDF_Binary_GetLen(b));
}

/*
 * The text is kept in a hidden entry (libharu does not write it) and
 * written by d's write_fn, which must be free: one call per dictionary.
 * Used for what libharu can only write from a float (page sizes, the
 * italic angle) or would rewrite (a deflated stream's /Filter), and for
 * the trailer's /ID placeholder.
 */
void
po_put_raw(struct pdf *p, struct pdf_obj *obj, const void *text, size_t len)
{
	HPDF_Dict d = DICT(obj);
	HPDF_Binary b;

	if (p->st != HPDF_OK || d == NULL)
		return;
	if (d->write_fn != NULL) {
		po_note(p, HPDF_INVALID_OBJECT);
		return;
	}
	b = HPDF_Binary_New(DOC(p)->mmgr, (HPDF_BYTE *)(uintptr_t)text,
	    (HPDF_UINT)len);
	po_put(p, obj, RAW_KEY, OBJ(b));
	if (p->st != HPDF_OK)
		return;
	b->header.obj_id |= HPDF_OTYPE_HIDDEN;
	d->write_fn = write_raw;
}

/* ---- streams ---- */

static const char flate[] = "/Filter /FlateDecode\012";

/* libharu's own filter stays off (HPDF_STREAM_FILTER_NONE): the data is
 * deflated by po_deflate (pdfout_enc.c). */
void
po_put_deflated(struct pdf *p, struct pdf_obj *obj, const void *data,
    size_t len, enum po_filter filter)
{
	HPDF_Dict d = DICT(obj);

	if (p->st != HPDF_OK || d == NULL || !(filter == PO_DEFLATE_MEMO ?
	    po_deflate_memo(p, data, len) : po_deflate(p, data, len)))
		return;
	po_note(p, HPDF_Stream_Write(d->stream, (HPDF_BYTE *)p->zout.data,
	    (HPDF_UINT)p->zout.len));
	po_put_raw(p, obj, flate, sizeof(flate) - 1);
}

/* Not deflated: the XMP metadata, which PDF/A wants readable unfiltered,
 * and the ICC profile. */
struct pdf_obj *
po_stream(struct pdf *p, const void *data, size_t len,
    enum po_filter filter)
{
	HPDF_Dict d;

	if (p->st != HPDF_OK)
		return NULL;
	d = HPDF_DictStream_New(DOC(p)->mmgr, DOC(p)->xref);
	if (d == NULL) {
		po_note(p, HPDF_INVALID_OBJECT);
		return NULL;
	}
	if (filter == PO_DEFLATED) {
		po_note(p, HPDF_Stream_Write(d->stream,
		    (HPDF_BYTE *)(uintptr_t)data, (HPDF_UINT)len));
		po_put_raw(p, OBJ(d), flate, sizeof(flate) - 1);
	} else if (filter != PO_RAW)
		po_put_deflated(p, OBJ(d), data, len, filter);
	else
		po_note(p, HPDF_Stream_Write(d->stream,
		    (HPDF_BYTE *)(uintptr_t)data, (HPDF_UINT)len));
	return p->st == HPDF_OK ? OBJ(d) : NULL;
}

/* ---- pages ---- */

void
po_page_new(struct pdf *p, struct pdf_obj **page, struct pdf_obj **res,
    struct pdf_obj **contents)
{
	HPDF_Page pg;

	*page = *res = *contents = NULL;
	pg = HPDF_AddPage(DOC(p));
	if (pg == NULL) {
		po_note(p, HPDF_INVALID_PAGE);
		return;
	}
	HPDF_Dict_RemoveElement(pg, "MediaBox");
	*page = OBJ(pg);
	*contents = OBJ(((HPDF_PageAttr)pg->attr)->contents);
	*res = OBJ(HPDF_Page_GetInheritableItem(pg, "Resources",
	    HPDF_OCLASS_DICT));
	if (*res == NULL)
		po_note(p, HPDF_PAGE_CANNOT_FIND_OBJECT);
}
