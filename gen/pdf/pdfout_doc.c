/*
 * pdfout_doc.c - the PDF back end's document through libharu's public API
 * alone (pdfout_private.h): creating and freeing it, the memory libharu
 * gets (a per-thread arena, below), libharu's errors, the Info
 * dictionary's producer and dates, and saving.  HPDF_SHARED is
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
 * print, or keep global state (threads render concurrently) beyond each
 * thread's arena.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HPDF_SHARED	/* the public API only */
#include <hpdf.h>

#include "pdfout_private.h"
#include "tls.h"

static void HPDF_STDCALL
on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct po_fail *f = user_data;

	if (f->error_no == 0) {
		f->error_no = error_no;
		f->detail_no = detail_no;
	}
}

/*
 * libharu's memory.  A document makes a few thousand small objects
 * (dictionary entries, names, numbers, stream buffers), each a malloc and
 * a free: 4 % of a batch.  So each thread hands libharu memory from an
 * arena of its own: bump allocation in 64 KB blocks, 16-byte aligned,
 * nothing freed one by one, and all of it taken back at once when the
 * document is freed (po_doc_free), up to 16 blocks kept for the thread's
 * next document (freed when the thread ends).  A render has one libharu
 * document at a time in a thread, from po_doc_new to po_doc_free; outside
 * that span libharu gets malloc and free.  Which memory libharu gets
 * changes no byte it writes.
 */
#define ARENA_BLOCK	(64 * 1024)
#define ARENA_ALIGN	16
#define ARENA_KEEP	16	/* blocks kept between documents: 1 MB */

struct arena_block {
	struct arena_block	*next;
	size_t			 size, used;
	unsigned char		*data;	/* ARENA_ALIGN-aligned */
};

struct arena {
	struct arena_block	*blocks;	/* in the order used */
	struct arena_block	*cur;		/* where the next comes from */
	struct arena_block	*big;	/* allocations over a quarter block */
	int			 live;	/* a document is using it */
};


static void
blocks_free(struct arena_block *b)
{
	struct arena_block *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
}

static void
arena_free(void *v)
{
	struct arena *a = v;

	if (a == NULL)
		return;
	blocks_free(a->blocks);
	blocks_free(a->big);
	free(a);
}

static struct tls_key arena_key = TLS_KEY(sizeof(struct arena), arena_free);

static struct arena *
thread_arena(void)
{
	return tls_get(&arena_key);
}

/* A block of at least size bytes of data. */
static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b = xmalloc(sizeof(*b) + size + ARENA_ALIGN);
	uintptr_t d = (uintptr_t)(b + 1);

	b->next = NULL;
	b->size = size;
	b->used = 0;
	b->data = (unsigned char *)((d + ARENA_ALIGN - 1) &
	    ~(uintptr_t)(ARENA_ALIGN - 1));
	return b;
}

static void * HPDF_STDCALL
hpdf_alloc(HPDF_UINT size)
{
	struct arena *a = thread_arena();
	struct arena_block *b;
	size_t n = ((size_t)size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *ptr;

	if (!a->live)
		return xmalloc(size > 0 ? size : 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (n > ARENA_BLOCK / 4) {
		b = block_new(n);
		b->next = a->big;
		a->big = b;
		return b->data;
	}
	if (a->cur == NULL) {
		a->blocks = a->cur = block_new(ARENA_BLOCK);
	} else if (a->cur->size - a->cur->used < n) {
		/* The next block (emptied by po_doc_free), or a new one. */
		if (a->cur->next == NULL)
			a->cur->next = block_new(ARENA_BLOCK);
		a->cur = a->cur->next;
	}
	b = a->cur;
	ptr = b->data + b->used;
	b->used += n;
	return ptr;
}

static void HPDF_STDCALL
hpdf_free(void *ptr)
{
	if (!thread_arena()->live)
		free(ptr);
	/* else: taken back with the whole arena (po_doc_free) */
}

enum gen_rc
po_doc_new(struct pdf *p, struct gen_err *err)
{
	struct arena *a = thread_arena();

	a->live = 1;
	p->doc = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, &p->fail);
	if (p->doc == NULL) {
		po_doc_free(p);
		return po_error(p, err, "pdf: creating the document");
	}
	return GEN_OK;
}

void
po_doc_free(struct pdf *p)
{
	struct arena *a = thread_arena();
	struct arena_block *b;
	size_t k;

	HPDF_Free(p->doc);
	p->doc = NULL;
	if (!a->live)
		return;
	a->live = 0;
	/* Keep ARENA_KEEP blocks for the next document; a long one's more
	 * go back to malloc. */
	for (b = a->blocks, k = 1; b != NULL; b = b->next, k++) {
		b->used = 0;
		if (k == ARENA_KEEP) {
			blocks_free(b->next);
			b->next = NULL;
		}
	}
	a->cur = a->blocks;
	blocks_free(a->big);
	a->big = NULL;
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
