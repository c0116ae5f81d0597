/*
 * pdfout.c - the PDF back end: draws a struct canvas (canvas.h) into PDF
 * bytes with libharu 2.3.0.  The only file of invgen that includes
 * <hpdf.h>.
 *
 * Exports pdfout_render(), pdfout_render_pdfa3() and
 * pdfout_render_facturx() (pdfout.h).
 *
 * Design (decided, see /work/shared/perf/LIBHARU.md): libharu's own
 * TrueType path (HPDF_LoadTTFontFromFile + HPDF_GetFont "UTF-8") costs
 * about 14 ms and 60-100 KB per invoice because it maps and measures the
 * whole font.  So libharu is used only for its object layer - documents,
 * pages, dictionaries, arrays, streams, the cross-reference table and
 * saving - and this file writes the rest itself:
 *
 *   - fonts: each face a text run uses becomes a Type0 font (Identity-H)
 *     over a CIDFontType2 whose CIDs are the glyph ids of a subset built
 *     with ttf_subset_build() from exactly the glyphs the canvas draws
 *     (CIDToGIDMap /Identity), with /W widths, a FontDescriptor from
 *     ttf_metrics(), the subset as FontFile2 and a ToUnicode CMap;
 *   - page content: our own writer (text, rectangles, lines, QR modules),
 *     numbers formatted from integer millipoints by our own code, never
 *     with printf %f or floating point, so no locale can change a byte;
 *   - metadata: Producer "invgen" without a version number, dates from the
 *     canvas (never the clock), Title/Author/Subject as UTF-16BE, /Lang.
 *     No trailer /ID: same canvas, same bytes;
 *   - compression: every stream (content, FontFile2, ToUnicode) is
 *     deflated here with zlib, one z_stream per document, and libharu's
 *     filter is left off (see deflate_buf for why).  The bytes therefore
 *     depend on the zlib build too: same zlib, same bytes.
 *
 * PDF/A-3b and Factur-X (pdfout_render_pdfa3, pdfout_render_facturx):
 * libharu 2.3.0 knows PDF/A-1 only (HPDF_PDFA_SetPDFAConformance), and
 * that call adds a trailer /ID made from the clock; HPDF_AttachFile
 * writes none of what PDF/A-3 asks of an embedded file (see
 * /work/shared/perf/LIBHARU.md).  So neither is used: the same render
 * adds, through the object layer, what ISO 19005-3 level B needs on top
 * of what pdfout_render already does right (fonts embedded, no
 * encryption, transparency, actions or annotations, binary header line,
 * Info dictionary):
 *   - the XMP metadata stream (unfiltered) whose values are the Info
 *     dictionary's (build_xmp), with the Factur-X fx: properties and
 *     their PDF/A extension schema;
 *   - an sRGB output intent whose ICC profile is computed here from the
 *     IEC 61966-2-1 parameters (build_srgb_icc): no profile file to ship,
 *     license or load, and nothing copied;
 *   - each attachment as /EmbeddedFile (deflated, /Subtype MIME type,
 *     /Params /ModDate /Size) + /Filespec (/F, /UF, /Desc,
 *     /AFRelationship), in the catalog's /AF and /Names /EmbeddedFiles;
 *   - a trailer /ID written as zeros through the trailer's write_fn and
 *     filled in after saving with the first 16 bytes of the SHA-256 of
 *     the saved file (set_id): reproducible, and different for different
 *     files.
 * The checks PDF/A adds are refused up front (check_pdfa): no date, text
 * XMP cannot carry, .notdef drawn, bad attachment or Factur-X fields.
 * No PDF/A-3 validator is packaged in Debian 12; test-facturx checks the
 * clauses one by one and runs PDFBox's PDF/A-1b preflight, which shares
 * most of them.  Cost (test-facturx bench, -O2, one-page invoice with
 * an 8.5 KB CII XML, CPU medians on a loaded 2-core machine): PDF/A
 * without attachment +40-110 us and +2.7 KB over pdfout_render's
 * 310-420 us and 7.8 KB; Factur-X +200-290 us and +7.3 KB (XMP 3.2 KB,
 * XML 1.8 KB deflated, ICC 1 KB), the time mostly in deflating the XML
 * (about 70 us) and hashing the file for /ID (about 55 us).
 *
 * ToUnicode: a glyph maps to the code points of the first run glyph that
 * carries it with ncp > 0, in page and op order.  A glyph that stands for
 * different text elsewhere (rare: the same ligature or fallback glyph for
 * two spellings) keeps that first mapping, because a CMap maps each code
 * to one string.  Right-to-left runs are drawn in visual order and rely
 * on that per-glyph map: text extractors reorder right-to-left text to
 * logical order themselves (poppler does, measured; they must, for the
 * PDFs of LibreOffice and Word, which do the same).  A run's actual_text is
 * written as /ActualText only where the map cannot spell it (see
 * put_text: poppler reverses a logical-order ActualText of a whole RTL
 * run).
 *
 * libharu internals relied on (all exported by Debian's libhpdf 2.3.0 and
 * declared in its installed headers; re-check on a libharu upgrade):
 *   - struct _HPDF_Doc_Rec (hpdf_doc.h): mmgr, xref, catalog, info
 *     (created by HPDF_SetInfoAttr), pdf_version (no setter in 2.3.0),
 *     stream (the memory stream HPDF_SaveToStream fills), trailer (the
 *     xref's trailer dictionary, written with HPDF_Dict_Write - so its
 *     write_fn runs too - after "trailer\n" and before "startxref",
 *     within the file's last few hundred bytes; saving adds /Root, /Info
 *     and /Size only);
 *   - struct _HPDF_Dict_Rec (hpdf_objects.h): mmgr, stream, write_fn
 *     (called by HPDF_Dict_Write after the entries, before ">>"; unused
 *     by libharu for pages and plain dictionaries), attr;
 *     HPDF_Dict_Write skips HPDF_OTYPE_HIDDEN entries and drops a
 *     "Filter" entry of a stream whose filter is NONE;
 *   - struct _HPDF_PageAttr_Rec (hpdf_pages.h): contents, the page's
 *     content stream dictionary, written directly, not by HPDF_Page_*;
 *     the page made by HPDF_AddPage holds a Resources dictionary and a
 *     float MediaBox, which we remove;
 *   - HPDF_Dict_Add makes a reference for an object already in the xref
 *     (HPDF_Xref_Add) and takes ownership of a direct one;
 *   - exported internal functions: HPDF_Dict_New, HPDF_DictStream_New,
 *     HPDF_Dict_Add, HPDF_Dict_AddName, HPDF_Dict_AddNumber,
 *     HPDF_Dict_GetItem, HPDF_Dict_RemoveElement, HPDF_Array_New,
 *     HPDF_Array_Add, HPDF_Array_AddNumber, HPDF_String_New (NULL
 *     encoder: a literal string), HPDF_Binary_New / _GetValue / _GetLen
 *     (a <hex> string), HPDF_Xref_Add, HPDF_Stream_Write,
 *     HPDF_Page_GetInheritableItem, HPDF_MemStream_GetBufCount /
 *     _GetBufPtr.
 * Page sizes and the italic angle are not integers, and libharu would
 * write them from a float (HPDF_Real); a hidden Binary entry plus the
 * dictionary's write_fn writes our own text for them instead (d_raw), as
 * it does for the /Filter of the streams we deflate.
 *
 * Errors: libharu's error handler only records error_no and detail_no in
 * a struct on our stack (user_data) and returns - never longjmp.  The
 * object-layer functions do not call the handler; their status and the
 * document's error are checked after each step.  libharu allocates with
 * xmalloc (HPDF_NewEx), so out-of-memory exits as everywhere in invgen.
 *
 * Must not: read the clock, the locale or the environment, touch files,
 * print, or keep global state (threads render concurrently).  Floating
 * point only in build_srgb_icc (see there), never for page content.
 */
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <zlib.h>

#include "fault.h"
#include "pdfout.h"
#include "sha256.h"

/* What libharu's error handler saw (its user_data). */
struct hpdf_fail {
	HPDF_STATUS	 error_no;
	HPDF_STATUS	 detail_no;
};

/* One face of pdfout_fonts as the document uses it. */
struct face {
	const struct ttf		 *f;
	const char			 *name;
	uint16_t			 *gids;	/* every glyph drawn, repeats */
	size_t				  ngids, cap;
	struct ttf_subset		  sub;
	const struct canvas_glyph	**uni;	/* per CID: first with text */
	unsigned char			 *drawn;	/* per CID: shown at all */
	HPDF_Dict			  type0;
	size_t				  on_page;	/* 1 + last page listed */
};

/* The state of one render. */
struct pdf {
	HPDF_Doc		 doc;
	HPDF_STATUS		 st;	/* first failed libharu status */
	struct hpdf_fail	 fail;
	struct face		*faces;	/* indexed by font id */
	size_t			 nfaces;
	struct buf		 tmp;	/* content streams, CMaps, strings */
	int			 zrc;	/* zlib's failure, Z_OK if none */
	struct buf		 zout;	/* the last deflated stream */
};

/* Graphics state of a content stream being written, to skip repeats. */
struct gstate {
	int32_t		 fill, stroke;	/* 0xRRGGBB */
	int32_t		 line_width;
	int		 font;		/* -1: none yet */
	int32_t		 size;
	int		 in_text;	/* between BT and ET */
};

static const char hexdig[] = "0123456789ABCDEF";

/* ---- libharu plumbing ---- */

static void HPDF_STDCALL
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct hpdf_fail *f = user_data;

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

/* Has anything failed in libharu (or zlib) so far? */
static int
failed(const struct pdf *p)
{
	return p->st != HPDF_OK || p->fail.error_no != 0 || p->zrc != Z_OK ||
	    (p->doc != NULL && HPDF_GetError(p->doc) != HPDF_OK);
}

/* Record a libharu failure while writing `what' (printf format);
 * returns GEN_EPDF. */
static enum gen_rc
hpdf_failed(struct pdf *p, struct gen_err *err, const char *what, ...)
    __attribute__((format(printf, 3, 4)));

static enum gen_rc
hpdf_failed(struct pdf *p, struct gen_err *err, const char *what, ...)
{
	unsigned long no = p->fail.error_no, detail = p->fail.detail_no;
	char where[160];
	va_list ap;

	va_start(ap, what);
	vsnprintf(where, sizeof(where), what, ap);
	va_end(ap);
	if (p->zrc != Z_OK)
		return gen_err_set(err, GEN_EPDF, "%s: zlib error %d (%s)",
		    where, p->zrc, zError(p->zrc));

	if (no == 0 && p->doc != NULL) {
		no = HPDF_GetError(p->doc);
		detail = HPDF_GetErrorDetail(p->doc);
	}
	if (no == 0)
		no = p->st;
	return gen_err_set(err, GEN_EPDF, "%s: libharu error 0x%04lX "
	    "(detail %lu)", where, no, detail);
}

/* Keep the first failed status. */
static void
note(struct pdf *p, HPDF_STATUS st)
{
	if (p->st == HPDF_OK && st != HPDF_OK)
		p->st = st;
}

/* A new direct dictionary, or NULL once something failed. */
static HPDF_Dict
new_dict(struct pdf *p)
{
	return p->st == HPDF_OK ? HPDF_Dict_New(p->doc->mmgr) : NULL;
}

/* A new indirect dictionary (owned by the xref at once), or NULL. */
static HPDF_Dict
new_idict(struct pdf *p)
{
	HPDF_Dict d;

	if (p->st != HPDF_OK)
		return NULL;
	d = HPDF_Dict_New(p->doc->mmgr);
	note(p, HPDF_Xref_Add(p->doc->xref, d));
	return p->st == HPDF_OK ? d : NULL;
}

/* Add obj under key: a reference when obj is indirect, else obj itself,
 * which d then owns.  A NULL obj (an earlier failure) is a no-op. */
static void
d_obj(struct pdf *p, HPDF_Dict d, const char *key, void *obj)
{
	if (p->st == HPDF_OK && d != NULL && obj != NULL)
		note(p, HPDF_Dict_Add(d, key, obj));
	else if (p->st == HPDF_OK)
		note(p, HPDF_INVALID_OBJECT);
}

static void
d_name(struct pdf *p, HPDF_Dict d, const char *key, const char *name)
{
	if (p->st == HPDF_OK && d != NULL)
		note(p, HPDF_Dict_AddName(d, key, name));
}

static void
d_num(struct pdf *p, HPDF_Dict d, const char *key, int32_t v)
{
	if (p->st == HPDF_OK && d != NULL)
		note(p, HPDF_Dict_AddNumber(d, key, v));
}

/* Add a PDF byte string (written as <hex>) under key. */
static void
d_bytes(struct pdf *p, HPDF_Dict d, const char *key, const void *data,
    size_t len)
{
	if (p->st == HPDF_OK && d != NULL)
		d_obj(p, d, key, HPDF_Binary_New(p->doc->mmgr,
		    (HPDF_BYTE *)(uintptr_t)data, (HPDF_UINT)len));
}

static void
a_obj(struct pdf *p, HPDF_Array a, void *obj)
{
	if (p->st == HPDF_OK && a != NULL && obj != NULL)
		note(p, HPDF_Array_Add(a, obj));
	else if (p->st == HPDF_OK)
		note(p, HPDF_INVALID_OBJECT);
}

static void
a_num(struct pdf *p, HPDF_Array a, int32_t v)
{
	if (p->st == HPDF_OK && a != NULL)
		note(p, HPDF_Array_AddNumber(a, v));
}

/* zlib level of every stream (see deflate_buf). */
#define PDFOUT_ZLEVEL Z_BEST_SPEED

/* zlib's allocator: xcalloc, so deflateInit cannot fail for memory and
 * no output byte can depend on uninitialised memory. */
static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return xcalloc(items > 0 ? items : 1, size > 0 ? size : 1);
}

static void
z_free(voidpf opaque, voidpf ptr)
{
	(void)opaque;
	free(ptr);
}

/*
 * The deflater of the calling thread, kept from one document to the
 * next.  libharu's filter runs a deflateInit/deflateEnd per stream,
 * allocating and page-faulting ~270 KB of zlib state each time; one
 * z_stream per document saved ~15 % of a one-page invoice, and keeping it
 * per thread across documents saves the rest of that set-up in a batch.
 * deflateReset before every stream makes the output independent of what
 * the stream compressed before.  The pthread key's destructor frees it
 * when a thread ends.
 */
struct zcache {
	z_stream z;
	int ready;
};

static pthread_key_t zcache_key;
static pthread_once_t zcache_once = PTHREAD_ONCE_INIT;

static void
zcache_free(void *v)
{
	struct zcache *zc = v;

	if (zc != NULL && zc->ready)
		deflateEnd(&zc->z);
	free(zc);
}

static void
zcache_init(void)
{
	pthread_key_create(&zcache_key, zcache_free);
}

static z_stream *
thread_deflater(int *zrc)
{
	struct zcache *zc;

	pthread_once(&zcache_once, zcache_init);
	zc = pthread_getspecific(zcache_key);
	if (zc == NULL) {
		zc = xcalloc(1, sizeof(*zc));
		pthread_setspecific(zcache_key, zc);
	}
	if (!zc->ready) {
		zc->z.zalloc = z_alloc;
		zc->z.zfree = z_free;
		zc->z.opaque = Z_NULL;
		*zrc = deflateInit(&zc->z, PDFOUT_ZLEVEL);
		zc->ready = *zrc == Z_OK;
	} else
		*zrc = deflateReset(&zc->z);
	return &zc->z;
}

/*
 * Deflate len bytes into p->zout with the thread's deflater.  Level 1
 * (zlib's fastest): against the default level 6 it costs ~6 % more bytes
 * (a one-page invoice stays near 15 KB) and saves ~20 % of the render.
 * Returns 0 and sets p->zrc on failure.
 */
static int
deflate_buf(struct pdf *p, const void *data, size_t len)
{
	uLong bound;
	z_stream *z;
	int zrc;

	if (p->zrc != Z_OK)
		return 0;
	z = thread_deflater(&zrc);
	if (zrc == Z_OK && len > UINT32_MAX / 2)
		zrc = Z_BUF_ERROR;
	if (zrc != Z_OK) {
		p->zrc = zrc;
		return 0;
	}
	bound = deflateBound(z, (uLong)len);
	buf_reset(&p->zout);
	buf_grow(&p->zout, bound);
	z->next_in = (Bytef *)(uintptr_t)data;
	z->avail_in = (uInt)len;
	z->next_out = (Bytef *)p->zout.data;
	z->avail_out = (uInt)bound;
	zrc = deflate(z, Z_FINISH);
	if (zrc != Z_STREAM_END) {
		p->zrc = zrc != Z_OK ? zrc : Z_BUF_ERROR;
		return 0;
	}
	p->zout.len = z->total_out;
	return 1;
}

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
 * Give d entries written as raw PDF text ("/Key value\n..."), for what
 * libharu can only write from a float or would rewrite (a stream's
 * /Filter).  The text is kept in a hidden entry and written by d's
 * write_fn, which must be free; one call per dictionary.
 */
static void
d_raw(struct pdf *p, HPDF_Dict d, const void *text, size_t len)
{
	HPDF_Binary b;

	if (p->st != HPDF_OK || d == NULL)
		return;
	if (d->write_fn != NULL) {
		note(p, HPDF_INVALID_OBJECT);
		return;
	}
	b = HPDF_Binary_New(p->doc->mmgr, (HPDF_BYTE *)(uintptr_t)text,
	    (HPDF_UINT)len);
	d_obj(p, d, RAW_KEY, b);
	if (p->st != HPDF_OK)
		return;
	b->header.obj_id |= HPDF_OTYPE_HIDDEN;
	d->write_fn = write_raw;
}

static const char flate[] = "/Filter /FlateDecode\012";

/* Write len bytes of data deflated into stream dictionary d, with its
 * /Filter.  libharu's own filter stays off (HPDF_STREAM_FILTER_NONE). */
static void
put_deflated(struct pdf *p, HPDF_Dict d, const void *data, size_t len)
{
	if (p->st != HPDF_OK || d == NULL || !deflate_buf(p, data, len))
		return;
	note(p, HPDF_Stream_Write(d->stream, (HPDF_BYTE *)p->zout.data,
	    (HPDF_UINT)p->zout.len));
	d_raw(p, d, flate, sizeof(flate) - 1);
}

/* A new indirect stream holding len bytes of data, deflated or as they
 * are (the XMP metadata, which PDF/A wants readable unfiltered, and the
 * ICC profile); NULL once something failed. */
static HPDF_Dict
stream_of(struct pdf *p, const void *data, size_t len, int deflated)
{
	HPDF_Dict d;

	if (p->st != HPDF_OK)
		return NULL;
	d = HPDF_DictStream_New(p->doc->mmgr, p->doc->xref);
	if (d == NULL) {
		note(p, HPDF_INVALID_OBJECT);
		return NULL;
	}
	if (deflated)
		put_deflated(p, d, data, len);
	else
		note(p, HPDF_Stream_Write(d->stream,
		    (HPDF_BYTE *)(uintptr_t)data, (HPDF_UINT)len));
	return p->st == HPDF_OK ? d : NULL;
}

/* ---- number and string formatting (integers only) ---- */

/* Append v / 1000 as a PDF number without trailing zeros: 56693 ->
 * "56.693", 780000 -> "780", -1500 -> "-1.5". */
static void
put_milli(struct buf *b, int64_t v)
{
	char s[32], *e = s + sizeof(s), *q = e;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = u / 1000;
	unsigned fp = (unsigned)(u % 1000), digits = 3;

	if (fp != 0) {
		while (fp % 10 == 0) {
			fp /= 10;
			digits--;
		}
		while (digits-- > 0) {
			*--q = (char)('0' + fp % 10);
			fp /= 10;
		}
		*--q = '.';
	}
	do {
		*--q = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	if (v < 0)
		*--q = '-';
	buf_append(b, q, (size_t)(e - q));
}

static void
put_int(struct buf *b, int64_t v)
{
	put_milli(b, v * 1000);
}

/* A colour component 0..255 as 0..1 with three decimals. */
static void
put_component(struct buf *b, unsigned c)
{
	put_milli(b, (c * 1000 + 127) / 255);
}

static void
put_hex4(struct buf *b, unsigned v)
{
	char h[4] = { hexdig[v >> 12 & 15], hexdig[v >> 8 & 15],
	    hexdig[v >> 4 & 15], hexdig[v & 15] };

	buf_append(b, h, 4);
}

/* Decode one UTF-8 sequence at *s (NUL-terminated); advances *s.
 * Returns 0 and leaves *s on invalid input. */
static int
utf8_next(const unsigned char **s, uint32_t *cp)
{
	const unsigned char *p = *s;
	uint32_t c;
	int n, i;

	if (p[0] < 0x80) {
		c = p[0];
		n = 1;
	} else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		c = p[0] & 0x1f;
		n = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		c = p[0] & 0x0f;
		n = 3;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		c = p[0] & 0x07;
		n = 4;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	*s = p + n;
	return 1;
}

/* Code point to UTF-16 code units (1 or 2); invalid ones become U+FFFD. */
static int
utf16(uint32_t cp, uint16_t u[2])
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x10000) {
		u[0] = (uint16_t)cp;
		return 1;
	}
	cp -= 0x10000;
	u[0] = (uint16_t)(0xd800 | cp >> 10);
	u[1] = (uint16_t)(0xdc00 | (cp & 0x3ff));
	return 2;
}

/* UTF-8 s to UTF-16BE bytes with a byte order mark, appended to out (as
 * bytes when hex is 0, as hex digits otherwise).  Returns 0 when s is not
 * valid UTF-8. */
static int
put_utf16be(struct buf *out, const char *s, int hex)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char bom[2] = { 0xfe, 0xff };
	uint16_t u[2];
	uint32_t cp;
	int i, n;

	if (hex)
		buf_puts(out, "FEFF");
	else
		buf_append(out, bom, 2);
	while (*p != '\0') {
		if (!utf8_next(&p, &cp))
			return 0;
		n = utf16(cp, u);
		for (i = 0; i < n; i++) {
			if (hex)
				put_hex4(out, u[i]);
			else {
				unsigned char be[2] = {
				    (unsigned char)(u[i] >> 8),
				    (unsigned char)u[i] };
				buf_append(out, be, 2);
			}
		}
	}
	return 1;
}

/* ---- checking the canvas and collecting glyphs ---- */

static const char *
face_name(const struct pdfout_fonts *fonts, size_t i)
{
	if (fonts->names != NULL && fonts->names[i] != NULL)
		return fonts->names[i];
	return "(unnamed)";
}

/* Is x + k * m inside int32 for k in 0..n? */
static int
span_fits(int64_t x, int64_t n, int64_t m)
{
	int64_t end = x + n * m;

	return end >= INT32_MIN && end <= INT32_MAX;
}

/*
 * Check every page and op of c against what can be drawn, and collect the
 * glyphs of each face into p->faces.  GEN_EINPUT names the page and op.
 */
static enum gen_rc
check_canvas(struct pdf *p, const struct canvas *c,
    const struct pdfout_fonts *fonts, struct gen_err *err)
{
	const struct canvas_op *op;
	const struct canvas_page *pg;
	struct face *fc;
	size_t i, j, k;

	if (c->npages == 0)
		return gen_err_set(err, GEN_EINPUT, "canvas: no pages; "
		    "allowed: at least one page");
	for (i = 0; i < c->npages; i++) {
		pg = &c->pages[i];
		if (pg->width <= 0 || pg->height <= 0)
			return gen_err_set(err, GEN_EINPUT, "page %zu: size "
			    "%ldx%ld mpt; allowed: positive width and height",
			    i + 1, (long)pg->width, (long)pg->height);
		for (j = 0; j < pg->nops; j++) {
			op = &pg->ops[j];
			switch (op->kind) {
			case CANVAS_TEXT:
				if (op->u.text.font < 0 ||
				    (size_t)op->u.text.font >= fonts->n ||
				    fonts->faces[op->u.text.font] == NULL)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: font %d unknown;"
					    " allowed: 0..%zu with a face",
					    i + 1, j + 1, op->u.text.font,
					    fonts->n > 0 ? fonts->n - 1 : 0);
				if (op->u.text.size <= 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: font size %ld;"
					    " allowed: > 0 mpt", i + 1, j + 1,
					    (long)op->u.text.size);
				if (op->u.text.nglyphs == 0)
					break;	/* draws nothing */
				fc = &p->faces[op->u.text.font];
				fc->f = fonts->faces[op->u.text.font];
				fc->name = face_name(fonts,
				    (size_t)op->u.text.font);
				for (k = 0; k < op->u.text.nglyphs; k++) {
					if (fc->ngids == fc->cap) {
						fc->cap = fc->cap ? fc->cap * 2
						    : 256;
						fc->gids = xrealloc(fc->gids,
						    fc->cap * sizeof(uint16_t));
					}
					fc->gids[fc->ngids++] =
					    op->u.text.glyphs[k].gid;
				}
				break;
			case CANVAS_RECT:
				if (op->u.rect.stroke &&
				    op->u.rect.line_width < 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: line width %ld;"
					    " allowed: >= 0", i + 1, j + 1,
					    (long)op->u.rect.line_width);
				break;
			case CANVAS_LINE:
				if (op->u.line.width < 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: line width %ld;"
					    " allowed: >= 0", i + 1, j + 1,
					    (long)op->u.line.width);
				break;
			case CANVAS_QR:
				if (op->u.qr.size < 0 || op->u.qr.module <= 0
				    || !span_fits(op->u.qr.x, op->u.qr.size,
				    op->u.qr.module) || !span_fits(op->u.qr.y,
				    op->u.qr.size, -(int64_t)op->u.qr.module))
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: QR of %d modules"
					    " of %ld mpt at (%ld, %ld); "
					    "allowed: module > 0 and the "
					    "symbol within +-2147483 pt",
					    i + 1, j + 1, op->u.qr.size,
					    (long)op->u.qr.module,
					    (long)op->u.qr.x,
					    (long)op->u.qr.y);
				break;
			}
		}
	}
	return GEN_OK;
}

/* A BCP 47 tag as PDF /Lang accepts it: letters, digits, '-'. */
static int
lang_ok(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
			return 0;
	return n >= 2 && n <= 35 && s[0] != '-' && s[n - 1] != '-';
}

/* Parse "YYYY-MM-DD" (a real calendar day, years 1000..9999). */
static int
parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1000 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return 0;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return !(*m == 2 && *d == 29 && !leap);
}

/* The longest metadata text in UTF-8 bytes: as UTF-16BE at most 32002
 * bytes, within libharu's 65535-byte limit for a string. */
#define META_MAX 16000

/* Check the metadata fields before anything is built. */
static enum gen_rc
check_meta(const struct canvas_meta *m, struct buf *tmp, struct gen_err *err)
{
	const char *names[] = { "title", "author", "subject" };
	const char *vals[] = { m->title, m->author, m->subject };
	int y, mo, d;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (vals[i] == NULL)
			continue;
		buf_reset(tmp);
		if (strlen(vals[i]) > META_MAX || !put_utf16be(tmp, vals[i],
		    0))
			return gen_err_set(err, GEN_EINPUT, "meta.%s: not "
			    "valid UTF-8 or longer than %d bytes; allowed: "
			    "UTF-8 text", names[i], META_MAX);
	}
	if (m->language != NULL && !lang_ok(m->language))
		return gen_err_set(err, GEN_EINPUT, "meta.language: '%.40s' "
		    "is not a language tag; allowed: BCP 47 such as lt or "
		    "pt-BR", m->language);
	if (m->date != NULL && !parse_date(m->date, &y, &mo, &d))
		return gen_err_set(err, GEN_EINPUT, "meta.date: '%.40s' is not"
		    " a date; allowed: YYYY-MM-DD", m->date);
	return GEN_OK;
}

/* ---- fonts ---- */

/*
 * Build the subset of a face and the per-CID tables (first text mapping,
 * drawn or not) from the canvas's runs.  GEN_EINPUT for a face that
 * forbids embedding or subsetting, or a glyph id outside the face.
 */
static enum gen_rc
build_subset(struct pdf *p, int id, const struct canvas *c,
    struct gen_err *err)
{
	struct face *fc = &p->faces[id];
	const struct ttf_metrics *m = ttf_metrics(fc->f);
	const struct canvas_text *t;
	uint16_t cid;
	size_t i, j, k;
	enum gen_rc rc;

	/* OS/2 fsType: 0x0002 alone is "restricted license"; with more
	 * bits set the least restrictive applies.  We always subset and
	 * embed outlines, so 0x0100 and 0x0200 forbid us too. */
	if ((m->fs_type & 0x000f) == 0x0002 || (m->fs_type & 0x0300) != 0)
		return gen_err_set(err, GEN_EINPUT, "font %d (%s): OS/2 "
		    "fsType 0x%04X forbids embedding a subset; allowed: fonts"
		    " licensed for embedding", id, fc->name,
		    (unsigned)m->fs_type);
	rc = ttf_subset_build(fc->f, fc->gids, fc->ngids, &fc->sub, err);
	if (rc != GEN_OK)
		return gen_err_prefix(err, "font %d (%s): ", id, fc->name);
	fc->uni = xcalloc(fc->sub.nglyphs, sizeof(*fc->uni));
	fc->drawn = xcalloc(fc->sub.nglyphs, 1);
	for (i = 0; i < c->npages; i++)
		for (j = 0; j < c->pages[i].nops; j++) {
			if (c->pages[i].ops[j].kind != CANVAS_TEXT ||
			    c->pages[i].ops[j].u.text.font != id)
				continue;
			t = &c->pages[i].ops[j].u.text;
			for (k = 0; k < t->nglyphs; k++) {
				cid = ttf_subset_map(&fc->sub,
				    t->glyphs[k].gid);
				fc->drawn[cid] = 1;
				if (fc->uni[cid] == NULL &&
				    t->glyphs[k].ncp > 0)
					fc->uni[cid] = &t->glyphs[k];
			}
		}
	return GEN_OK;
}

/* A bfrange or bfchar entry of a ToUnicode CMap. */
struct bfent {
	uint16_t lo, hi;
	uint16_t u[6];
	int	 n;
};

/* The UTF-16 text of CID cid in fc's ToUnicode map; 0 units when none. */
static int
cid_text(const struct face *fc, size_t cid, uint16_t u[6])
{
	const struct canvas_glyph *g = fc->uni[cid];
	int i, n = 0;

	if (g == NULL)
		return 0;
	for (i = 0; i < g->ncp && i < 3; i++)
		n += utf16(g->cp[i], u + n);
	return n;
}

/* Write count entries (bfrange when range) in blocks of at most 100. */
static void
put_bf(struct buf *b, const struct bfent *e, size_t count, int range)
{
	size_t i, j, blk;
	int k;

	for (i = 0; i < count; i += blk) {
		blk = count - i < 100 ? count - i : 100;
		put_int(b, (int64_t)blk);
		buf_puts(b, range ? " beginbfrange\n" : " beginbfchar\n");
		for (j = i; j < i + blk; j++) {
			buf_putc(b, '<');
			put_hex4(b, e[j].lo);
			if (range) {
				buf_puts(b, "> <");
				put_hex4(b, e[j].hi);
			}
			buf_puts(b, "> <");
			for (k = 0; k < e[j].n; k++)
				put_hex4(b, e[j].u[k]);
			buf_puts(b, ">\n");
		}
		buf_puts(b, range ? "endbfrange\n" : "endbfchar\n");
	}
}

/*
 * The ToUnicode CMap of a face into out.  Consecutive CIDs mapping to
 * consecutive single UTF-16 units (within one high byte on both sides)
 * are merged into bfrange entries; the rest are bfchar entries.
 */
static void
build_cmap(const struct face *fc, struct buf *out)
{
	struct bfent *ranges, *chars, cur;
	size_t nr = 0, nc = 0, cid, n = fc->sub.nglyphs;
	uint16_t u[6];
	int len;

	ranges = xmalloc((n + 1) * sizeof(*ranges));
	chars = xmalloc((n + 1) * sizeof(*chars));
	cur.n = 0;
	for (cid = 1; cid <= n; cid++) {
		len = cid < n ? cid_text(fc, cid, u) : 0;
		if (cur.n == 1 && len == 1 && cid == (size_t)cur.hi + 1 &&
		    (cid >> 8) == (size_t)(cur.lo >> 8) &&
		    u[0] == cur.u[0] + (cur.hi - cur.lo) + 1 &&
		    (u[0] >> 8) == (cur.u[0] >> 8)) {
			cur.hi = (uint16_t)cid;
			continue;
		}
		if (cur.n > 0) {
			if (cur.hi > cur.lo)
				ranges[nr++] = cur;
			else
				chars[nc++] = cur;
		}
		cur.n = len;
		if (len > 0) {
			cur.lo = cur.hi = (uint16_t)cid;
			memcpy(cur.u, u, sizeof(u));
		}
	}
	buf_puts(out, "/CIDInit /ProcSet findresource begin\n"
	    "12 dict begin\n"
	    "begincmap\n"
	    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
	    "/Supplement 0 >> def\n"
	    "/CMapName /Adobe-Identity-UCS def\n"
	    "/CMapType 2 def\n"
	    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	put_bf(out, chars, nc, 0);
	put_bf(out, ranges, nr, 1);
	buf_puts(out, "endcmap\n"
	    "CMapName currentdict /CMap defineresource pop\n"
	    "end\nend\n");
	free(ranges);
	free(chars);
}

/* The /W array of a face: [first [w ...] first [w ...]] over the runs of
 * consecutive drawn CIDs, widths in 1/1000 em. */
static HPDF_Array
build_widths(struct pdf *p, const struct face *fc)
{
	HPDF_Array w, run = NULL;
	size_t cid;
	uint16_t gid;

	if (p->st != HPDF_OK)
		return NULL;
	w = HPDF_Array_New(p->doc->mmgr);
	for (cid = 1; cid < fc->sub.nglyphs && w != NULL; cid++) {
		if (!fc->drawn[cid]) {
			run = NULL;
			continue;
		}
		if (run == NULL) {
			a_num(p, w, (int32_t)cid);
			run = HPDF_Array_New(p->doc->mmgr);
			a_obj(p, w, run);
		}
		gid = fc->sub.old_gid[cid];
		a_num(p, run, ttf_pdf_units(fc->f, ttf_advance(fc->f, gid)));
		if (p->st != HPDF_OK)
			break;
	}
	return w;
}

/*
 * The objects of one face: Type0 font -> CIDFontType2 -> FontDescriptor
 * -> FontFile2, and the ToUnicode CMap.  Failures are left in p->st.
 */
static void
font_objects(struct pdf *p, struct face *fc)
{
	const struct ttf_metrics *m = ttf_metrics(fc->f);
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict cidf, desc, file, cmap, sysinfo;
	HPDF_Array desc_arr, bbox;
	char tag[7], base[80];
	int i;

	ttf_subset_tag(&fc->sub, tag);
	snprintf(base, sizeof(base), "%s+%s", tag, m->ps_name);

	fc->type0 = new_idict(p);
	cidf = new_idict(p);
	desc = new_idict(p);
	file = stream_of(p, fc->sub.data.data, fc->sub.data.len, 1);
	buf_reset(&p->tmp);
	build_cmap(fc, &p->tmp);
	cmap = stream_of(p, p->tmp.data, p->tmp.len, 1);

	d_name(p, fc->type0, "Type", "Font");
	d_name(p, fc->type0, "Subtype", "Type0");
	d_name(p, fc->type0, "BaseFont", base);
	d_name(p, fc->type0, "Encoding", "Identity-H");
	desc_arr = p->st == HPDF_OK ? HPDF_Array_New(mm) : NULL;
	d_obj(p, fc->type0, "DescendantFonts", desc_arr);
	a_obj(p, desc_arr, cidf);
	d_obj(p, fc->type0, "ToUnicode", cmap);

	d_name(p, cidf, "Type", "Font");
	d_name(p, cidf, "Subtype", "CIDFontType2");
	d_name(p, cidf, "BaseFont", base);
	sysinfo = new_dict(p);
	d_obj(p, cidf, "CIDSystemInfo", sysinfo);
	if (p->st == HPDF_OK) {
		d_obj(p, sysinfo, "Registry", HPDF_String_New(mm, "Adobe",
		    NULL));
		d_obj(p, sysinfo, "Ordering", HPDF_String_New(mm, "Identity",
		    NULL));
	}
	d_num(p, sysinfo, "Supplement", 0);
	d_obj(p, cidf, "FontDescriptor", desc);
	d_num(p, cidf, "DW", ttf_pdf_units(fc->f, ttf_advance(fc->f, 0)));
	d_obj(p, cidf, "W", build_widths(p, fc));
	d_name(p, cidf, "CIDToGIDMap", "Identity");

	d_name(p, desc, "Type", "FontDescriptor");
	d_name(p, desc, "FontName", base);
	d_num(p, desc, "Flags", (int32_t)m->flags);
	bbox = p->st == HPDF_OK ? HPDF_Array_New(mm) : NULL;
	d_obj(p, desc, "FontBBox", bbox);
	for (i = 0; i < 4; i++)
		a_num(p, bbox, ttf_pdf_units(fc->f, m->bbox[i]));
	d_num(p, desc, "Ascent", ttf_pdf_units(fc->f, m->ascender));
	d_num(p, desc, "Descent", ttf_pdf_units(fc->f, m->descender));
	d_num(p, desc, "CapHeight", ttf_pdf_units(fc->f, m->cap_height));
	d_num(p, desc, "XHeight", ttf_pdf_units(fc->f, m->x_height));
	d_num(p, desc, "StemV", m->stem_v);
	d_obj(p, desc, "FontFile2", file);
	/* ItalicAngle: 16.16 fixed-point degrees, to three decimals. */
	buf_reset(&p->tmp);
	buf_puts(&p->tmp, "/ItalicAngle ");
	put_milli(&p->tmp, ((int64_t)m->italic_angle * 1000 +
	    (m->italic_angle < 0 ? -32768 : 32768)) / 65536);
	buf_putc(&p->tmp, '\012');
	d_raw(p, desc, p->tmp.data, p->tmp.len);

	d_num(p, file, "Length1", (int32_t)fc->sub.data.len);
}

/* ---- page content ---- */

static void
set_fill(struct buf *b, struct gstate *gs, struct canvas_color c)
{
	int32_t v = c.r << 16 | c.g << 8 | c.b;

	if (gs->fill == v)
		return;
	put_component(b, c.r);
	buf_putc(b, ' ');
	put_component(b, c.g);
	buf_putc(b, ' ');
	put_component(b, c.b);
	buf_puts(b, " rg\n");
	gs->fill = v;
}

static void
set_stroke(struct buf *b, struct gstate *gs, struct canvas_color c,
    int32_t width)
{
	int32_t v = c.r << 16 | c.g << 8 | c.b;

	if (gs->line_width != width) {
		put_milli(b, width);
		buf_puts(b, " w\n");
		gs->line_width = width;
	}
	if (gs->stroke == v)
		return;
	put_component(b, c.r);
	buf_putc(b, ' ');
	put_component(b, c.g);
	buf_putc(b, ' ');
	put_component(b, c.b);
	buf_puts(b, " RG\n");
	gs->stroke = v;
}

static void
end_text(struct buf *b, struct gstate *gs)
{
	if (gs->in_text) {
		buf_puts(b, "ET\n");
		gs->in_text = 0;
	}
}

/* "x y w h re" */
static void
put_re(struct buf *b, int64_t x, int64_t y, int64_t w, int64_t h)
{
	put_milli(b, x);
	buf_putc(b, ' ');
	put_milli(b, y);
	buf_putc(b, ' ');
	put_milli(b, w);
	buf_putc(b, ' ');
	put_milli(b, h);
	buf_puts(b, " re\n");
}

/*
 * Do the run's glyphs, through the face's ToUnicode map, already spell
 * actual_text, read left to right or right to left (glyph by glyph, each
 * glyph's code points in order)?  Returns -1 when actual_text is not
 * valid UTF-8.
 */
static int
glyphs_spell(const struct face *fc, const struct canvas_text *t)
{
	const unsigned char *s = (const unsigned char *)t->actual_text;
	const struct canvas_glyph *g;
	uint32_t *want, *fwd, *rev, cp;
	size_t nw = 0, nf = 0, nr = 0, i, max = strlen(t->actual_text);
	int k, same;

	want = xmalloc((max + 1) * sizeof(*want));
	while (*s != '\0') {
		if (!utf8_next(&s, &cp)) {
			free(want);
			return -1;
		}
		want[nw++] = cp;
	}
	fwd = xmalloc((t->nglyphs * 3 + 1) * sizeof(*fwd));
	rev = xmalloc((t->nglyphs * 3 + 1) * sizeof(*rev));
	for (i = 0; i < t->nglyphs; i++) {
		g = fc->uni[ttf_subset_map(&fc->sub, t->glyphs[i].gid)];
		for (k = 0; g != NULL && k < g->ncp && k < 3; k++)
			fwd[nf++] = g->cp[k];
		g = fc->uni[ttf_subset_map(&fc->sub,
		    t->glyphs[t->nglyphs - 1 - i].gid)];
		for (k = 0; g != NULL && k < g->ncp && k < 3; k++)
			rev[nr++] = g->cp[k];
	}
	same = (nf == nw && memcmp(fwd, want, nw * sizeof(*want)) == 0) ||
	    (nr == nw && memcmp(rev, want, nw * sizeof(*want)) == 0);
	free(want);
	free(fwd);
	free(rev);
	return same;
}

/*
 * A text run: font, colour, position, glyphs as 2-byte CIDs.
 *
 * actual_text becomes a /Span with /ActualText only when the glyphs'
 * ToUnicode text does not already spell it.  Measured with poppler 22.12
 * (pdftotext): it spreads an ActualText string left to right over the
 * span and then reorders right-to-left text from visual to logical
 * order, so a logical-order ActualText on a whole Hebrew or Arabic run
 * comes out reversed, while the glyphs in visual order with per-glyph
 * ToUnicode come out in logical order (as for LibreOffice's and Word's
 * PDFs).  So the span is kept for the cases ToUnicode cannot express
 * (a glyph mapped differently before, marks without text).
 * GEN_EINPUT when actual_text is not UTF-8.
 */
static enum gen_rc
put_text(struct pdf *p, struct buf *b, struct gstate *gs,
    const struct canvas_text *t, size_t page, size_t opno,
    struct gen_err *err)
{
	const struct face *fc = &p->faces[t->font];
	int span = 0;
	size_t i;

	if (t->nglyphs == 0)
		return GEN_OK;
	if (t->actual_text != NULL) {
		span = glyphs_spell(fc, t);
		if (span < 0)
			return gen_err_set(err, GEN_EINPUT, "page %zu op %zu:"
			    " actual_text is not valid UTF-8; allowed: UTF-8"
			    " text", page, opno);
		span = !span;
	}
	if (!gs->in_text) {
		buf_puts(b, "BT\n");
		gs->in_text = 1;
	}
	set_fill(b, gs, t->color);
	if (gs->font != t->font || gs->size != t->size) {
		buf_puts(b, "/F");
		put_int(b, t->font);
		buf_putc(b, ' ');
		put_milli(b, t->size);
		buf_puts(b, " Tf\n");
		gs->font = t->font;
		gs->size = t->size;
	}
	buf_puts(b, "1 0 0 1 ");
	put_milli(b, t->x);
	buf_putc(b, ' ');
	put_milli(b, t->y);
	buf_puts(b, " Tm\n");
	if (span) {
		buf_puts(b, "/Span <</ActualText <");
		put_utf16be(b, t->actual_text, 1);
		buf_puts(b, ">>> BDC\n");
	}
	buf_grow(b, t->nglyphs * 4 + 2);
	buf_putc(b, '<');
	for (i = 0; i < t->nglyphs; i++)
		put_hex4(b, ttf_subset_map(&fc->sub, t->glyphs[i].gid));
	buf_puts(b, "> Tj\n");
	if (span)
		buf_puts(b, "EMC\n");
	return GEN_OK;
}

static void
put_rect(struct buf *b, struct gstate *gs, const struct canvas_rect *r)
{
	if (!r->fill && !r->stroke)
		return;
	end_text(b, gs);
	if (r->fill)
		set_fill(b, gs, r->fill_color);
	if (r->stroke)
		set_stroke(b, gs, r->stroke_color, r->line_width);
	put_re(b, r->x, r->y, r->w, r->h);
	buf_puts(b, r->fill && r->stroke ? "B\n" : r->fill ? "f\n" : "S\n");
}

static void
put_line(struct buf *b, struct gstate *gs, const struct canvas_line *l)
{
	end_text(b, gs);
	set_stroke(b, gs, l->color, l->width);
	put_milli(b, l->x1);
	buf_putc(b, ' ');
	put_milli(b, l->y1);
	buf_puts(b, " m\n");
	put_milli(b, l->x2);
	buf_putc(b, ' ');
	put_milli(b, l->y2);
	buf_puts(b, " l\nS\n");
}

/* A QR symbol in black: one rectangle per horizontal run of dark
 * modules, all filled as one path (no seams between modules). */
static void
put_qr(struct buf *b, struct gstate *gs, const struct canvas_qr *q)
{
	const struct canvas_color black = { 0, 0, 0 };
	const unsigned char *row;
	int64_t m = q->module, top;
	int r, c0, c1, any = 0;

	end_text(b, gs);
	for (r = 0; r < q->size; r++) {
		row = q->modules + (size_t)r * (size_t)q->size;
		top = q->y - (int64_t)(r + 1) * m;
		for (c0 = 0; c0 < q->size; c0 = c1) {
			if (!row[c0]) {
				c1 = c0 + 1;
				continue;
			}
			for (c1 = c0 + 1; c1 < q->size && row[c1]; c1++)
				;
			if (!any) {
				set_fill(b, gs, black);
				any = 1;
			}
			put_re(b, q->x + c0 * m, top, (int64_t)(c1 - c0) * m,
			    m);
		}
	}
	if (any)
		buf_puts(b, "f\n");
}

/* The content stream of page number pn (from 1) into b. */
static enum gen_rc
build_content(struct pdf *p, const struct canvas_page *pg, size_t pn,
    struct buf *b, struct gen_err *err)
{
	struct gstate gs = { 0, 0, 1000, -1, 0, 0 };
	const struct canvas_op *op;
	enum gen_rc rc;
	size_t j;

	for (j = 0; j < pg->nops; j++) {
		op = &pg->ops[j];
		switch (op->kind) {
		case CANVAS_TEXT:
			rc = put_text(p, b, &gs, &op->u.text, pn, j + 1, err);
			if (rc != GEN_OK)
				return rc;
			break;
		case CANVAS_RECT:
			put_rect(b, &gs, &op->u.rect);
			break;
		case CANVAS_LINE:
			put_line(b, &gs, &op->u.line);
			break;
		case CANVAS_QR:
			put_qr(b, &gs, &op->u.qr);
			break;
		}
	}
	end_text(b, &gs);
	return GEN_OK;
}

/* Add page pn (from 1): size, font resources, content.  libharu failures
 * are left in p->st. */
static enum gen_rc
add_page(struct pdf *p, const struct canvas_page *pg, size_t pn,
    struct gen_err *err)
{
	HPDF_Page page;
	HPDF_Dict res, fontres = NULL;
	HPDF_PageAttr attr;
	char key[16];
	size_t j;
	int id;
	enum gen_rc rc;

	page = HPDF_AddPage(p->doc);
	if (page == NULL) {
		note(p, HPDF_INVALID_PAGE);
		return GEN_OK;
	}
	attr = (HPDF_PageAttr)page->attr;

	/* The MediaBox libharu made holds floats: replace it. */
	HPDF_Dict_RemoveElement(page, "MediaBox");
	buf_reset(&p->tmp);
	buf_puts(&p->tmp, "/MediaBox [0 0 ");
	put_milli(&p->tmp, pg->width);
	buf_putc(&p->tmp, ' ');
	put_milli(&p->tmp, pg->height);
	buf_puts(&p->tmp, "]\012");
	d_raw(p, page, p->tmp.data, p->tmp.len);

	res = HPDF_Page_GetInheritableItem(page, "Resources",
	    HPDF_OCLASS_DICT);
	if (res == NULL)
		note(p, HPDF_PAGE_CANNOT_FIND_OBJECT);
	for (j = 0; j < pg->nops && p->st == HPDF_OK; j++) {
		if (pg->ops[j].kind != CANVAS_TEXT ||
		    pg->ops[j].u.text.nglyphs == 0)
			continue;
		id = pg->ops[j].u.text.font;
		if (p->faces[id].on_page == pn)
			continue;
		p->faces[id].on_page = pn;
		if (fontres == NULL) {
			fontres = new_dict(p);
			d_obj(p, res, "Font", fontres);
		}
		snprintf(key, sizeof(key), "F%d", id);
		d_obj(p, fontres, key, p->faces[id].type0);
	}
	if (p->st != HPDF_OK)
		return GEN_OK;

	buf_reset(&p->tmp);
	rc = build_content(p, pg, pn, &p->tmp, err);
	if (rc != GEN_OK)
		return rc;
	put_deflated(p, attr->contents, p->tmp.data, p->tmp.len);
	return GEN_OK;
}

/* ---- document ---- */

/* Info dictionary and catalog entries from c->meta (already checked). */
static void
put_meta(struct pdf *p, const struct canvas_meta *m)
{
	const char *keys[] = { "Title", "Author", "Subject" };
	const char *vals[] = { m->title, m->author, m->subject };
	HPDF_Date date;
	size_t i;
	int y, mo, d;

	/* Replaces "Haru Free PDF Library 2.3.0" and creates the info
	 * dictionary.  No version: an upgrade must not change old
	 * documents' bytes. */
	if (HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, "invgen") !=
	    HPDF_OK || p->doc->info == NULL) {
		note(p, HPDF_INVALID_OBJECT);
		return;
	}
	for (i = 0; i < 3; i++) {
		if (vals[i] == NULL)
			continue;
		buf_reset(&p->tmp);
		put_utf16be(&p->tmp, vals[i], 0);
		d_bytes(p, p->doc->info, keys[i], p->tmp.data, p->tmp.len);
	}
	if (m->date != NULL && parse_date(m->date, &y, &mo, &d)) {
		/* '+' with a zero offset, not 'Z' (see LIBHARU.md). */
		memset(&date, 0, sizeof(date));
		date.year = y;
		date.month = mo;
		date.day = d;
		date.ind = '+';
		note(p, HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE,
		    date));
		note(p, HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE,
		    date));
	}
	if (m->language != NULL && p->st == HPDF_OK)
		d_obj(p, p->doc->catalog, "Lang",
		    HPDF_String_New(p->doc->mmgr, m->language, NULL));
}

/* Save the document and append its bytes to out. */
static enum gen_rc
save(struct pdf *p, struct buf *out, struct gen_err *err)
{
	HPDF_UINT i, n, len;
	HPDF_UINT32 size;
	HPDF_BYTE *ptr;
	size_t start = out->len;

	if (HPDF_SaveToStream(p->doc) != HPDF_OK || failed(p))
		return hpdf_failed(p, err, "pdf: saving the document");
	size = HPDF_GetStreamSize(p->doc);
	buf_grow(out, size);
	n = HPDF_MemStream_GetBufCount(p->doc->stream);
	for (i = 0; i < n; i++) {
		ptr = HPDF_MemStream_GetBufPtr(p->doc->stream, i, &len);
		if (ptr == NULL)
			break;
		buf_append(out, ptr, len);
	}
	if (out->len - start != size) {
		out->len = start;
		note(p, HPDF_INVALID_STREAM);
		return hpdf_failed(p, err, "pdf: reading the saved document");
	}
	return GEN_OK;
}

static void
faces_free(struct pdf *p)
{
	size_t i;

	for (i = 0; i < p->nfaces; i++) {
		free(p->faces[i].gids);
		free(p->faces[i].uni);
		free(p->faces[i].drawn);
		ttf_subset_free(&p->faces[i].sub);
	}
	free(p->faces);
}

/* ---- PDF/A-3 ---- */

/* What pdfout_render_pdfa3 adds to a render. */
struct pdfa {
	const struct pdfout_attachment	*att;
	size_t				 natt;
	const struct pdfout_facturx	*fx;
	size_t				*order;	/* att sorted by name */
};

/* The /AFRelationship values ISO 19005-3 allows. */
static const char *const relationships[] = {
	"Source", "Data", "Alternative", "Supplement", "Unspecified"
};

/* Factur-X conformance levels (fx:ConformanceLevel), Factur-X 1.0. */
static const char *const fx_levels[] = {
	"MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG"
};

#define ATT_MAX		(1L << 30)	/* bytes of one attachment */

static int
in_set(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* An attachment name: 1..127 of A-Z a-z 0-9 . _ -, not "." or "..". */
static int
att_name_ok(const char *s)
{
	size_t n;

	if (s == NULL || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		    s[n] == '_' || s[n] == '-'))
			return 0;
	return n >= 1 && n <= 127;
}

/* A MIME type "type/subtype" of RFC 6838 name characters, < 100 bytes. */
static int
mime_ok(const char *s)
{
	size_t n, slash = 0, at = 0;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++) {
		if (s[n] == '/') {
			slash++;
			at = n;
		} else if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') ||
		    strchr("!#$&^_.+-", s[n]) != NULL))
			return 0;
	}
	return slash == 1 && at > 0 && at + 1 < n && n < 100;
}

/* Text XMP can carry: valid UTF-8 (checked before) without the control
 * characters and non-characters XML 1.0 excludes. */
static int
xml_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p != '\0') {
		if (!utf8_next(&p, &cp))
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xfffe || cp == 0xffff)
			return 0;
	}
	return 1;
}

/* A Factur-X text field: 1..63 bytes of [A-Za-z0-9 ._-]. */
static int
fx_word_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || strchr(" ._-", s[n])))
			return 0;
	return n >= 1 && n < 64;
}

/*
 * Check what PDF/A-3 adds to a render (see pdfout.h) and sort the
 * attachments by name into pa->order (the name tree's key order).
 * GEN_EINPUT names the field.
 */
static enum gen_rc
check_pdfa(const struct canvas *c, const struct pdfa *pa, struct buf *tmp,
    struct gen_err *err)
{
	const char *names[] = { "title", "author", "subject" };
	const char *vals[] = { c->meta.title, c->meta.author,
	    c->meta.subject };
	const struct pdfout_attachment *a;
	const struct pdfout_facturx *fx = pa->fx;
	const struct canvas_text *t;
	size_t i, j, k;

	if (c->meta.date == NULL)
		return gen_err_set(err, GEN_EINPUT, "meta.date: missing; "
		    "allowed: YYYY-MM-DD (PDF/A needs the document's date)");
	for (i = 0; i < 3; i++)
		if (vals[i] != NULL && !xml_text_ok(vals[i]))
			return gen_err_set(err, GEN_EINPUT, "meta.%s: control "
			    "character; allowed in PDF/A: text without "
			    "control characters other than tab and line "
			    "breaks", names[i]);
	for (i = 0; i < c->npages; i++)
		for (j = 0; j < c->pages[i].nops; j++) {
			if (c->pages[i].ops[j].kind != CANVAS_TEXT)
				continue;
			t = &c->pages[i].ops[j].u.text;
			for (k = 0; k < t->nglyphs; k++)
				if (t->glyphs[k].gid == 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: glyph %zu is 0 "
					    "(.notdef); allowed in PDF/A: "
					    "glyphs the font has", i + 1,
					    j + 1, k + 1);
		}

	if (pa->att == NULL && pa->natt > 0)
		return gen_err_set(err, GEN_EINPUT, "attachments: NULL with %zu"
		    " entries; allowed: an array of natt attachments",
		    pa->natt);
	for (i = 0; i < pa->natt; i++) {
		a = &pa->att[i];
		if (!att_name_ok(a->name))
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "name: '%.40s'; allowed: 1 to 127 of A-Z a-z 0-9 "
			    ". _ -", i, a->name != NULL ? a->name : "(null)");
		if (!mime_ok(a->mime))
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "mime: '%.40s'; allowed: a MIME type such as "
			    "text/xml", i, a->mime != NULL ? a->mime :
			    "(null)");
		if (!in_set(a->relationship, relationships,
		    sizeof(relationships) / sizeof(relationships[0])))
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "relationship: '%.40s'; allowed: Source, Data, "
			    "Alternative, Supplement, Unspecified", i,
			    a->relationship != NULL ? a->relationship :
			    "(null)");
		if (a->data == NULL || a->len == 0 || a->len > ATT_MAX)
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "%s: %zu bytes%s; allowed: 1 byte to 1 GiB", i,
			    a->data == NULL ? "data" : "len", a->len,
			    a->data == NULL ? " at NULL" : "");
		if (a->description != NULL) {
			buf_reset(tmp);
			if (strlen(a->description) > META_MAX ||
			    !put_utf16be(tmp, a->description, 0))
				return gen_err_set(err, GEN_EINPUT,
				    "attachments[%zu].description: not valid "
				    "UTF-8 or longer than %d bytes; allowed: "
				    "UTF-8 text", i, META_MAX);
		}
		/* insertion sort by name; equal names are refused */
		for (j = i; j > 0; j--) {
			int cmp = strcmp(pa->att[pa->order[j - 1]].name,
			    a->name);

			if (cmp == 0)
				return gen_err_set(err, GEN_EINPUT,
				    "attachments[%zu].name: '%s' is also "
				    "attachments[%zu]; allowed: distinct names",
				    i, a->name, pa->order[j - 1]);
			if (cmp < 0)
				break;
			pa->order[j] = pa->order[j - 1];
		}
		pa->order[j] = i;
	}

	if (fx == NULL)
		return GEN_OK;
	if (fx->document_type == NULL ||
	    strcmp(fx->document_type, "INVOICE") != 0)
		return gen_err_set(err, GEN_EINPUT, "facturx.document_type: "
		    "'%.40s'; allowed: INVOICE", fx->document_type != NULL ?
		    fx->document_type : "(null)");
	if (!in_set(fx->conformance_level, fx_levels,
	    sizeof(fx_levels) / sizeof(fx_levels[0])))
		return gen_err_set(err, GEN_EINPUT, "facturx.conformance_level:"
		    " '%.40s'; allowed: MINIMUM, BASIC WL, BASIC, EN 16931, "
		    "EXTENDED, XRECHNUNG", fx->conformance_level != NULL ?
		    fx->conformance_level : "(null)");
	if (!fx_word_ok(fx->version) ||
	    strspn(fx->version, "0123456789.") != strlen(fx->version))
		return gen_err_set(err, GEN_EINPUT, "facturx.version: '%.40s';"
		    " allowed: a version such as 1.0", fx->version != NULL ?
		    fx->version : "(null)");
	for (i = 0; i < pa->natt; i++)
		if (fx->file_name != NULL &&
		    strcmp(fx->file_name, pa->att[i].name) == 0)
			return GEN_OK;
	return gen_err_set(err, GEN_EINPUT, "facturx.file_name: '%.40s' is "
	    "not attached; allowed: the name of one of the attachments",
	    fx->file_name != NULL ? fx->file_name : "(null)");
}

/* s as XML character data (& < > escaped; the text was checked). */
static void
xml_puts(struct buf *b, const char *s)
{
	size_t n;

	while (*s != '\0') {
		n = strcspn(s, "&<>");
		buf_append(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		buf_puts(b, *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
		    "&gt;");
		s++;
	}
}

/* One property of the Factur-X extension schema: Text, external. */
static void
xmp_fx_property(struct buf *b, const char *name, const char *desc)
{
	buf_puts(b, "<rdf:li rdf:parseType=\"Resource\">\n"
	    "<pdfaProperty:name>");
	buf_puts(b, name);
	buf_puts(b, "</pdfaProperty:name>\n"
	    "<pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
	    "<pdfaProperty:category>external</pdfaProperty:category>\n"
	    "<pdfaProperty:description>");
	buf_puts(b, desc);
	buf_puts(b, "</pdfaProperty:description>\n</rdf:li>\n");
}

#define FX_NS	"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

/*
 * The XMP packet (ISO 16684-1 / XMP 2005) into b: PDF/A identification,
 * the Info dictionary's values in their XMP properties (ISO 19005-3
 * 6.6.2.3: Title = dc:title, Author = dc:creator, Subject =
 * dc:description, Producer = pdf:Producer, CreationDate / ModDate =
 * xmp:CreateDate / ModifyDate) and, with Factur-X, the fx: properties and
 * their PDF/A extension schema (6.6.2.3.3: a schema outside XMP's own
 * must be described in the file).  m->date was checked.  The packet id is
 * the fixed one the XMP specification prescribes.
 */
static void
build_xmp(const struct canvas_meta *m, const struct pdfout_facturx *fx,
    struct buf *b)
{
	buf_puts(b, "<?xpacket begin=\"\xef\xbb\xbf\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	    "\">\n"
	    "<rdf:Description rdf:about=\"\" "
	    "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	    "<pdfaid:part>3</pdfaid:part>\n"
	    "<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n");
	if (m->title != NULL || m->author != NULL || m->subject != NULL) {
		buf_puts(b, "<rdf:Description rdf:about=\"\" "
		    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
		if (m->title != NULL) {
			buf_puts(b, "<dc:title><rdf:Alt><rdf:li xml:lang=\""
			    "x-default\">");
			xml_puts(b, m->title);
			buf_puts(b, "</rdf:li></rdf:Alt></dc:title>\n");
		}
		if (m->author != NULL) {
			buf_puts(b, "<dc:creator><rdf:Seq><rdf:li>");
			xml_puts(b, m->author);
			buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
		}
		if (m->subject != NULL) {
			buf_puts(b, "<dc:description><rdf:Alt><rdf:li "
			    "xml:lang=\"x-default\">");
			xml_puts(b, m->subject);
			buf_puts(b, "</rdf:li></rdf:Alt></dc:description>\n");
		}
		buf_puts(b, "</rdf:Description>\n");
	}
	/* The Info dictionary's dates are this day at 00:00 UTC. */
	buf_puts(b, "<rdf:Description rdf:about=\"\" "
	    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n<xmp:CreateDate>");
	buf_puts(b, m->date);
	buf_puts(b, "T00:00:00+00:00</xmp:CreateDate>\n<xmp:ModifyDate>");
	buf_puts(b, m->date);
	buf_puts(b, "T00:00:00+00:00</xmp:ModifyDate>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" "
	    "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
	    "<pdf:Producer>invgen</pdf:Producer>\n</rdf:Description>\n");
	if (fx != NULL) {
		buf_puts(b, "<rdf:Description rdf:about=\"\" "
		    "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/"
		    "extension/\" "
		    "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
		    "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/"
		    "property#\">\n"
		    "<pdfaExtension:schemas>\n<rdf:Bag>\n"
		    "<rdf:li rdf:parseType=\"Resource\">\n"
		    "<pdfaSchema:schema>Factur-X PDFA Extension Schema"
		    "</pdfaSchema:schema>\n"
		    "<pdfaSchema:namespaceURI>" FX_NS
		    "</pdfaSchema:namespaceURI>\n"
		    "<pdfaSchema:prefix>fx</pdfaSchema:prefix>\n"
		    "<pdfaSchema:property>\n<rdf:Seq>\n");
		xmp_fx_property(b, "DocumentFileName", "The file name of the "
		    "embedded invoice XML");
		xmp_fx_property(b, "DocumentType", "The type of the hybrid "
		    "document: INVOICE");
		xmp_fx_property(b, "Version", "The version of the Factur-X XML"
		    " schema");
		xmp_fx_property(b, "ConformanceLevel", "The Factur-X profile "
		    "of the embedded XML");
		buf_puts(b, "</rdf:Seq>\n</pdfaSchema:property>\n</rdf:li>\n"
		    "</rdf:Bag>\n</pdfaExtension:schemas>\n"
		    "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:fx=\"" FX_NS
		    "\">\n<fx:DocumentType>");
		buf_puts(b, fx->document_type);
		buf_puts(b, "</fx:DocumentType>\n<fx:DocumentFileName>");
		buf_puts(b, fx->file_name);
		buf_puts(b, "</fx:DocumentFileName>\n<fx:Version>");
		buf_puts(b, fx->version);
		buf_puts(b, "</fx:Version>\n<fx:ConformanceLevel>");
		buf_puts(b, fx->conformance_level);
		buf_puts(b, "</fx:ConformanceLevel>\n</rdf:Description>\n");
	}
	buf_puts(b, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
}

/* ---- the sRGB ICC profile ---- */

/*
 * The output intent needs an ICC profile of the colour space the content
 * draws in (DeviceRGB, taken as sRGB).  It is computed here from the
 * published parameters of IEC 61966-2-1 (sRGB) rather than shipped as a
 * file: no data file to install, embed or license, and the numbers say
 * where they come from.  An ICC v2.1 display ('mntr') matrix/TRC profile
 * (ICC.1:2001-04), as the classic sRGB profiles are:
 *   - colorants rXYZ/gXYZ/bXYZ: the sRGB primaries and D65 white point
 *     (CIE xy) give the RGB to XYZ matrix, adapted to the PCS illuminant
 *     D50 (X 0.9642, Y 1, Z 0.8249) with the Bradford transform, as ICC
 *     requires of v2 colorants;
 *   - wtpt: the display's white, D65;
 *   - rTRC = gTRC = bTRC: one 'curv' of 256 samples of the sRGB
 *     transfer function (V / 12.92 up to 0.04045, else
 *     ((V + 0.055) / 1.055) ^ 2.4);
 *   - desc "sRGB IEC61966-2.1" (the output condition identifier), cprt.
 * Floating point is used only to compute these numbers, each rounded to
 * its 16.16 or 0.16 fixed-point field: only +, -, *, / (IEEE exact) and
 * one pow per sample, whose last-bit variation between C libraries is
 * far below the rounding step (test-facturx checks every sample is more
 * than 1e-6 away from a rounding boundary, and lcms2 reads the profile
 * as sRGB).  The header date is fixed, so the bytes never change.
 * 256 samples hit every 8-bit value exactly, and linear interpolation
 * between them is within 1e-5 of the curve (the second derivative of
 * x^2.4 is below 3.4); 1024, as some profiles have, would add 1.5 KB to
 * every invoice for nothing visible.  988 bytes, stored as they are.
 */
#define ICC_TRC_N	256

static void
mat_mul(const double a[3][3], const double b[3][3], double r[3][3])
{
	int i, j, k;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			r[i][j] = 0;
			for (k = 0; k < 3; k++)
				r[i][j] += a[i][k] * b[k][j];
		}
}

static void
mat_vec(const double a[3][3], const double v[3], double r[3])
{
	int i;

	for (i = 0; i < 3; i++)
		r[i] = a[i][0] * v[0] + a[i][1] * v[1] + a[i][2] * v[2];
}

/* The inverse of m (the matrices here are far from singular). */
static void
mat_inv(const double m[3][3], double r[3][3])
{
	double det;
	int i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			r[j][i] = m[(i + 1) % 3][(j + 1) % 3] *
			    m[(i + 2) % 3][(j + 2) % 3] -
			    m[(i + 1) % 3][(j + 2) % 3] *
			    m[(i + 2) % 3][(j + 1) % 3];
	det = m[0][0] * r[0][0] + m[0][1] * r[1][0] + m[0][2] * r[2][0];
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			r[i][j] /= det;
}

/* XYZ (Y = 1) of CIE chromaticity x, y. */
static void
xy_to_xyz(double x, double y, double r[3])
{
	r[0] = x / y;
	r[1] = 1;
	r[2] = (1 - x - y) / y;
}

/*
 * The D50-adapted sRGB colorants: c[j] is the XYZ of primary j (R, G, B)
 * at full intensity.  Exported to the tests through the profile bytes.
 */
static void
srgb_colorants(double c[3][3])
{
	/* IEC 61966-2-1: primaries and white point, CIE 1931 xy. */
	static const double prim[3][2] = {
		{ 0.64, 0.33 }, { 0.30, 0.60 }, { 0.15, 0.06 }
	};
	/* The Bradford cone response matrix. */
	static const double brad[3][3] = {
		{ 0.8951, 0.2664, -0.1614 },
		{ -0.7502, 1.7135, 0.0367 },
		{ 0.0389, -0.0685, 1.0296 }
	};
	static const double d50[3] = { 0.9642, 1.0, 0.8249 };
	double p[3][3], pi[3][3], w[3], s[3], m[3][3], bi[3][3], cs[3], cd[3];
	double d[3][3], t[3][3], a[3][3], v[3];
	int i, j;

	for (j = 0; j < 3; j++) {
		xy_to_xyz(prim[j][0], prim[j][1], v);
		for (i = 0; i < 3; i++)
			p[i][j] = v[i];
	}
	xy_to_xyz(0.3127, 0.3290, w);
	mat_inv(p, pi);
	mat_vec(pi, w, s);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			m[i][j] = p[i][j] * s[j];	/* RGB -> XYZ, D65 */
	mat_vec(brad, w, cs);
	mat_vec(brad, d50, cd);
	memset(d, 0, sizeof(d));
	for (i = 0; i < 3; i++)
		d[i][i] = cd[i] / cs[i];
	mat_inv(brad, bi);
	mat_mul(bi, d, t);
	mat_mul(t, brad, a);			/* D65 -> D50 */
	mat_mul(a, m, t);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			c[j][i] = t[i][j];
}

/* A fixed-point number v * scale, rounded half up, as 32 bits. */
static void
icc_fixed(struct buf *b, double v, double scale)
{
	double r = floor(v * scale + 0.5);

	buf_put_u32be(b, (uint32_t)(int32_t)r);
}

/* An XYZType tag body. */
static void
icc_xyz(struct buf *b, const double v[3])
{
	int i;

	buf_puts(b, "XYZ ");
	buf_put_u32be(b, 0);
	for (i = 0; i < 3; i++)
		icc_fixed(b, v[i], 65536.0);
}

/* Pad b to a multiple of 4 bytes (tag data alignment). */
static void
icc_align(struct buf *b)
{
	while (b->len % 4 != 0)
		buf_putc(b, '\0');
}

/* The sRGB profile described above into out. */
static void
build_srgb_icc(struct buf *out)
{
	static const char desc[] = "sRGB IEC61966-2.1";
	static const char cprt[] = "No copyright, use freely";
	static const char *const sigs[] = {
		"desc", "cprt", "wtpt", "rXYZ", "gXYZ", "bXYZ", "rTRC",
		"gTRC", "bTRC"
	};
	enum { NTAGS = 9, DATA = 128 + 4 + NTAGS * 12 };
	struct buf data = { 0 };
	size_t off[NTAGS], len[NTAGS], i;
	double col[3][3], w[3], v, lin;
	unsigned char zero[80];

	memset(zero, 0, sizeof(zero));
	srgb_colorants(col);
	xy_to_xyz(0.3127, 0.3290, w);

	/* desc: textDescriptionType, ASCII only (no Unicode, no Mac). */
	off[0] = data.len;
	buf_puts(&data, "desc");
	buf_put_u32be(&data, 0);
	buf_put_u32be(&data, sizeof(desc));
	buf_append(&data, desc, sizeof(desc));
	buf_append(&data, zero, 4 + 4 + 2 + 1 + 67);
	len[0] = data.len - off[0];
	icc_align(&data);
	off[1] = data.len;
	buf_puts(&data, "text");
	buf_put_u32be(&data, 0);
	buf_append(&data, cprt, sizeof(cprt));
	len[1] = data.len - off[1];
	icc_align(&data);
	off[2] = data.len;
	icc_xyz(&data, w);
	len[2] = data.len - off[2];
	for (i = 0; i < 3; i++) {
		off[3 + i] = data.len;
		icc_xyz(&data, col[i]);
		len[3 + i] = data.len - off[3 + i];
	}
	off[6] = off[7] = off[8] = data.len;
	buf_puts(&data, "curv");
	buf_put_u32be(&data, 0);
	buf_put_u32be(&data, ICC_TRC_N);
	for (i = 0; i < ICC_TRC_N; i++) {
		v = (double)i / (ICC_TRC_N - 1);
		lin = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
		buf_put_u16be(&data, (uint16_t)floor(lin * 65535.0 + 0.5));
	}
	len[6] = len[7] = len[8] = data.len - off[6];
	icc_align(&data);

	buf_put_u32be(out, (uint32_t)(DATA + data.len));	/* size */
	buf_put_u32be(out, 0);			/* preferred CMM: none */
	buf_put_u32be(out, 0x02100000);		/* version 2.1.0 */
	buf_puts(out, "mntrRGB XYZ ");		/* class, data space, PCS */
	buf_put_u16be(out, 2024);		/* creation date, fixed */
	buf_put_u16be(out, 1);
	buf_put_u16be(out, 1);
	buf_put_u16be(out, 0);
	buf_put_u16be(out, 0);
	buf_put_u16be(out, 0);
	buf_puts(out, "acsp");
	buf_append(out, zero, 4 + 4 + 4 + 4 + 8);	/* platform .. attrs */
	buf_put_u32be(out, 0);			/* intent: perceptual */
	icc_fixed(out, 0.9642, 65536.0);	/* PCS illuminant D50 */
	icc_fixed(out, 1.0, 65536.0);
	icc_fixed(out, 0.8249, 65536.0);
	buf_append(out, zero, 4 + 16 + 28);	/* creator, ID, reserved */
	buf_put_u32be(out, NTAGS);
	for (i = 0; i < NTAGS; i++) {
		buf_puts(out, sigs[i]);
		buf_put_u32be(out, (uint32_t)(DATA + off[i]));
		buf_put_u32be(out, (uint32_t)len[i]);
	}
	buf_append(out, data.data, data.len);
	buf_free(&data);
}

/* The date "YYYY-MM-DD" (checked) as a PDF date string, as libharu
 * writes the Info dates: "D:YYYYMMDD000000+00'00'". */
static void
pdf_date(const char *date, char out[24])
{
	snprintf(out, 24, "D:%.4s%.2s%.2s000000+00'00'", date, date + 5,
	    date + 8);
}

/* One attachment: its /EmbeddedFile stream and /Filespec (returned,
 * indirect), or NULL after a failure. */
static HPDF_Dict
put_attachment(struct pdf *p, const struct pdfout_attachment *a,
    const char *moddate)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict ef, spec, efd, params;

	ef = stream_of(p, a->data, a->len, 1);
	d_name(p, ef, "Type", "EmbeddedFile");
	d_name(p, ef, "Subtype", a->mime);	/* "/" is written #2F */
	params = new_dict(p);
	d_obj(p, ef, "Params", params);
	if (p->st == HPDF_OK)
		d_obj(p, params, "ModDate", HPDF_String_New(mm, moddate,
		    NULL));
	d_num(p, params, "Size", (int32_t)a->len);

	spec = new_idict(p);
	d_name(p, spec, "Type", "Filespec");
	if (p->st == HPDF_OK) {
		d_obj(p, spec, "F", HPDF_String_New(mm, a->name, NULL));
		d_obj(p, spec, "UF", HPDF_String_New(mm, a->name, NULL));
	}
	if (a->description != NULL) {
		buf_reset(&p->tmp);
		put_utf16be(&p->tmp, a->description, 0);
		d_bytes(p, spec, "Desc", p->tmp.data, p->tmp.len);
	}
	d_name(p, spec, "AFRelationship", a->relationship);
	efd = new_dict(p);
	d_obj(p, spec, "EF", efd);
	d_obj(p, efd, "F", ef);
	d_obj(p, efd, "UF", ef);
	return p->st == HPDF_OK ? spec : NULL;
}

#define ID_PLACEHOLDER "/ID [<00000000000000000000000000000000>" \
    "<00000000000000000000000000000000>]\012"

/*
 * The catalog entries of PDF/A-3: /Metadata (XMP, not compressed, as
 * PDF/A readers expect to find it), /OutputIntents (sRGB), /AF and
 * /Names /EmbeddedFiles for the attachments, and a zero /ID in the
 * trailer that set_id() fills in after saving.  Failures are left in
 * p->st.
 */
static void
put_pdfa(struct pdf *p, const struct canvas_meta *m, const struct pdfa *pa)
{
	HPDF_MMgr mm = p->doc->mmgr;
	HPDF_Dict cat = p->doc->catalog, xmp, icc, oi, names, ef;
	HPDF_Array ois, af = NULL, tree = NULL;
	char moddate[24];
	size_t i;

	buf_reset(&p->tmp);
	build_xmp(m, pa->fx, &p->tmp);
	xmp = stream_of(p, p->tmp.data, p->tmp.len, 0);
	d_name(p, xmp, "Type", "Metadata");
	d_name(p, xmp, "Subtype", "XML");
	d_obj(p, cat, "Metadata", xmp);

	/* Not deflated: 988 bytes would become 762, for about 50 us of
	 * zlib per invoice (measured). */
	buf_reset(&p->tmp);
	build_srgb_icc(&p->tmp);
	icc = stream_of(p, p->tmp.data, p->tmp.len, 0);
	d_num(p, icc, "N", 3);
	ois = p->st == HPDF_OK ? HPDF_Array_New(mm) : NULL;
	d_obj(p, cat, "OutputIntents", ois);
	oi = new_dict(p);
	a_obj(p, ois, oi);
	d_name(p, oi, "Type", "OutputIntent");
	d_name(p, oi, "S", "GTS_PDFA1");
	if (p->st == HPDF_OK) {
		d_obj(p, oi, "OutputConditionIdentifier", HPDF_String_New(mm,
		    "sRGB IEC61966-2.1", NULL));
		d_obj(p, oi, "Info", HPDF_String_New(mm, "sRGB IEC61966-2.1",
		    NULL));
		d_obj(p, oi, "RegistryName", HPDF_String_New(mm,
		    "http://www.color.org", NULL));
	}
	d_obj(p, oi, "DestOutputProfile", icc);

	if (pa->natt > 0) {
		pdf_date(m->date, moddate);
		af = p->st == HPDF_OK ? HPDF_Array_New(mm) : NULL;
		d_obj(p, cat, "AF", af);
		names = new_dict(p);
		d_obj(p, cat, "Names", names);
		ef = new_dict(p);
		d_obj(p, names, "EmbeddedFiles", ef);
		tree = p->st == HPDF_OK ? HPDF_Array_New(mm) : NULL;
		d_obj(p, ef, "Names", tree);
	}
	for (i = 0; i < pa->natt && p->st == HPDF_OK; i++) {
		const struct pdfout_attachment *a = &pa->att[pa->order[i]];
		HPDF_Dict spec = put_attachment(p, a, moddate);

		a_obj(p, af, spec);
		if (p->st == HPDF_OK)
			a_obj(p, tree, HPDF_String_New(mm, a->name, NULL));
		a_obj(p, tree, spec);
	}
	d_raw(p, p->doc->trailer, ID_PLACEHOLDER,
	    sizeof(ID_PLACEHOLDER) - 1);
}

/*
 * Fill in the trailer /ID of the PDF saved at out->data + start: both
 * halves are the first 16 bytes of the SHA-256 of the whole file as saved
 * (with the zero /ID), so the same document always gets the same /ID and
 * a different one practically never does.  GEN_EPDF if the placeholder
 * is not where libharu writes the trailer.
 */
static enum gen_rc
set_id(struct buf *out, size_t start, struct gen_err *err)
{
	static const char key[] = "/ID [<";
	unsigned char md[32];
	struct sha256 h;
	char *pdf = out->data + start, *t = NULL, *id;
	size_t n = out->len - start, i, k, tail;

	tail = n < 1024 ? n : 1024;
	for (i = n - tail; i + 8 <= n; i++)
		if (memcmp(pdf + i, "trailer\012", 8) == 0)
			t = pdf + i;
	id = t != NULL ? memmem(t, (size_t)(pdf + n - t), key,
	    sizeof(key) - 1) : NULL;
	if (id == NULL || (size_t)(pdf + n - id) < sizeof(ID_PLACEHOLDER) - 1
	    || memcmp(id, ID_PLACEHOLDER, sizeof(ID_PLACEHOLDER) - 1) != 0)
		return gen_err_set(err, GEN_EPDF, "pdf: the trailer /ID "
		    "placeholder is missing from the saved document");
	sha256_init(&h);
	sha256_update(&h, pdf, n);
	sha256_final(&h, md);
	id += sizeof(key) - 1;
	for (k = 0; k < 2; k++, id += 34)
		for (i = 0; i < 16; i++) {
			id[2 * i] = hexdig[md[i] >> 4];
			id[2 * i + 1] = hexdig[md[i] & 15];
		}
	return GEN_OK;
}

/*
 * The one render: pdfout_render when pa is NULL, PDF/A-3b otherwise (see
 * the PDF/A section).  out is restored on failure.
 */
static enum gen_rc
render(const struct canvas *c, const struct pdfout_fonts *fonts,
    const struct pdfa *pa, struct buf *out, struct gen_err *err)
{
	struct pdfout_fonts none = { NULL, NULL, 0 };
	struct pdf p;
	size_t i, start = out->len;
	enum gen_rc rc;

	if (fonts == NULL)
		fonts = &none;	/* a canvas without text needs no faces */
	memset(&p, 0, sizeof(p));
	p.nfaces = fonts->n;
	p.faces = xcalloc(p.nfaces > 0 ? p.nfaces : 1, sizeof(*p.faces));

	if ((rc = check_canvas(&p, c, fonts, err)) != GEN_OK ||
	    (rc = check_meta(&c->meta, &p.tmp, err)) != GEN_OK ||
	    (pa != NULL && (rc = check_pdfa(c, pa, &p.tmp, err)) != GEN_OK))
		goto out;
	for (i = 0; i < p.nfaces; i++)
		if (p.faces[i].f != NULL &&
		    (rc = build_subset(&p, (int)i, c, err)) != GEN_OK)
			goto out;

	p.doc = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, &p.fail);
	if (p.doc == NULL) {
		rc = hpdf_failed(&p, err, "pdf: creating the document");
		goto out;
	}
	/* ActualText needs PDF 1.5; Factur-X (PDF/A-3) builds on 1.7. */
	p.doc->pdf_version = HPDF_VER_17;
	put_meta(&p, &c->meta);
	if (failed(&p)) {
		rc = hpdf_failed(&p, err, "pdf: document information");
		goto out;
	}
	for (i = 0; i < p.nfaces; i++) {
		if (p.faces[i].f == NULL)
			continue;
		font_objects(&p, &p.faces[i]);
		if (failed(&p)) {
			rc = hpdf_failed(&p, err, "pdf: font %zu (%s)", i,
			    p.faces[i].name);
			goto out;
		}
	}
	for (i = 0; i < c->npages; i++) {
		if ((rc = add_page(&p, &c->pages[i], i + 1, err)) != GEN_OK)
			goto out;
		if (failed(&p)) {
			rc = hpdf_failed(&p, err, "pdf: page %zu", i + 1);
			goto out;
		}
	}
	if (pa != NULL) {
		put_pdfa(&p, &c->meta, pa);
		if (failed(&p)) {
			rc = hpdf_failed(&p, err, "pdf: PDF/A-3 objects");
			goto out;
		}
	}
	rc = save(&p, out, err);
	if (rc == GEN_OK && pa != NULL)
		rc = set_id(out, start, err);
	if (rc == GEN_OK && FAULT("pdf-byte"))
		out->data[start + (out->len - start) / 2] ^= 0x20;
out:
	if (rc != GEN_OK)
		out->len = start;
	if (out->data != NULL)
		out->data[out->len] = '\0';
	HPDF_Free(p.doc);
	faces_free(&p);
	buf_free(&p.tmp);
	buf_free(&p.zout);
	return rc;
}

enum gen_rc
pdfout_render(const struct canvas *c, const struct pdfout_fonts *fonts,
    struct buf *out, struct gen_err *err)
{
	return render(c, fonts, NULL, out, err);
}

enum gen_rc
pdfout_render_pdfa3(const struct canvas *c, const struct pdfout_fonts *fonts,
    const struct pdfout_attachment *att, size_t natt,
    const struct pdfout_facturx *fx, struct buf *out, struct gen_err *err)
{
	struct pdfa pa;
	enum gen_rc rc;

	pa.att = att;
	pa.natt = natt;
	pa.fx = fx;
	pa.order = xcalloc(pa.natt > 0 ? pa.natt : 1, sizeof(*pa.order));
	rc = render(c, fonts, &pa, out, err);
	free(pa.order);
	return rc;
}

enum gen_rc
pdfout_render_facturx(const struct canvas *c,
    const struct pdfout_fonts *fonts, const void *xml, size_t len,
    struct buf *out, struct gen_err *err)
{
	const struct pdfout_attachment att = {
		PDFOUT_FACTURX_NAME, "text/xml",
		"Factur-X invoice: UN/CEFACT CII D16B, EN 16931 profile",
		"Alternative", xml, len
	};
	const struct pdfout_facturx fx = {
		"INVOICE", PDFOUT_FACTURX_NAME, "1.0", PDFOUT_FACTURX_LEVEL
	};

	return pdfout_render_pdfa3(c, fonts, &att, 1, &fx, out, err);
}
