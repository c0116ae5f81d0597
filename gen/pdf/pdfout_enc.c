/*
 * pdfout_enc.c - the PDF back end's encodings (pdfout_private.h): numbers
 * from integer millipoints, hex digits, UTF-8 to UTF-16BE, and the Flate
 * compression of streams with zlib, the only file of the back end that
 * includes <zlib.h>.
 *
 * UTF-8 and UTF-16 through ICU's macros (U8_NEXT, U16_APPEND_UNSAFE: no
 * call into ICU).  Numbers are formatted by our own code, never with printf %f or floating
 * point, so no locale can change a byte.  Every stream (content,
 * FontFile2, ToUnicode, attachments) is deflated here, one z_stream per
 * thread, and libharu's filter is left off (see po_deflate for why); the
 * bytes therefore depend on the zlib build too: same zlib, same bytes.
 * ToUnicode maps that come again are taken from the thread's memo of
 * what it deflated before (po_deflate_memo); a font subset's stream is
 * kept deflated with the subset (pdfout_text.c).
 *
 * Must not: read the clock, the locale or the environment, or print.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <zlib.h>

#include "memhash.h"
#include "pdfout_private.h"
#include "tls.h"

const char po_hexdig[] = "0123456789ABCDEF";

/* ---- number and string formatting (integers only) ---- */

/* Append v / 1000 as a PDF number without trailing zeros: 56693 ->
 * "56.693", 780000 -> "780", -1500 -> "-1.5". */
void
po_milli(struct buf *b, int64_t v)
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

void
po_int(struct buf *b, int64_t v)
{
	po_milli(b, v * 1000);
}

/* A colour component 0..255 as 0..1 with three decimals. */
void
po_component(struct buf *b, unsigned c)
{
	po_milli(b, (c * 1000 + 127) / 255);
}

void
po_hex4(struct buf *b, unsigned v)
{
	char h[4] = { po_hexdig[v >> 12 & 15], po_hexdig[v >> 8 & 15],
	    po_hexdig[v >> 4 & 15], po_hexdig[v & 15] };

	buf_append(b, h, 4);
}

/* Code point to UTF-16 code units (1 or 2); invalid ones become U+FFFD. */
int
po_utf16(uint32_t cp, uint16_t u[2])
{
	int n = 0;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	U16_APPEND_UNSAFE(u, n, cp);
	return n;
}

/* UTF-8 s to UTF-16BE bytes with a byte order mark, appended to out (as
 * bytes when hex is 0, as hex digits otherwise).  Returns 0 when s is not
 * valid UTF-8. */
int
po_utf16be(struct buf *out, const char *s, int hex)
{
	const uint8_t *p = (const uint8_t *)s;
	unsigned char bom[2] = { 0xfe, 0xff };
	size_t j = 0, len = strlen(s);
	uint16_t u[2];
	UChar32 cp;
	int i, n;

	if (hex)
		buf_puts(out, "FEFF");
	else
		buf_append(out, bom, 2);
	while (j < len) {
		U8_NEXT(p, j, len, cp);
		if (cp < 0)
			return 0;
		n = po_utf16((uint32_t)cp, u);
		for (i = 0; i < n; i++) {
			if (hex)
				po_hex4(out, u[i]);
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

/* ---- Flate ---- */

/* zlib level of every stream (see po_deflate). */
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
 * Streams this thread deflated before, by their bytes (po_deflate_memo):
 * a face's ToUnicode map repeats from one document to the next whenever
 * the documents draw the same glyphs (the regular face of a month's
 * invoices: 450 different sets in 8,500 documents; the subset itself is
 * kept deflated with the kept subset, pdfout_text.c).  A slot per hash value
 * (direct-mapped, the newest stream wins), each holding the input, so a
 * hit is proven by comparing the bytes, and the output; at most
 * ZMEMO_SLOTS streams of at most ZMEMO_MAX_IN bytes each, ZMEMO_MAX_BYTES
 * in all.
 */
#define ZMEMO_SLOTS	1024
#define ZMEMO_MAX_IN	(64 * 1024)
#define ZMEMO_MAX_BYTES	(4 * 1024 * 1024)
#define ZMEMO_SEEN	4096

struct zmemo {
	uint64_t	 hash;
	struct buf	 in;
	struct buf	 out;
};

/*
 * The deflater of the calling thread, kept from one document to the
 * next.  libharu's filter runs a deflateInit/deflateEnd per stream,
 * allocating and page-faulting ~270 KB of zlib state each time; one
 * z_stream per document saved ~15 % of a one-page invoice, and keeping it
 * per thread across documents saves the rest of that set-up in a batch.
 * deflateReset before every stream makes the output independent of what
 * the stream compressed before.  tls.h frees it when a thread ends.
 */
struct zcache {
	z_stream z;
	int ready;
	struct zmemo *memo;	/* ZMEMO_SLOTS, made on first use */
	uint64_t *seen;		/* ZMEMO_SEEN hashes of streams seen */
	uint64_t memo_hits;
	size_t memo_bytes;	/* held by memo[]: at most ZMEMO_MAX_BYTES */
};

static void
zcache_free(void *v)
{
	struct zcache *zc = v;
	size_t i;

	if (zc != NULL && zc->ready)
		deflateEnd(&zc->z);
	if (zc != NULL && zc->memo != NULL) {
		for (i = 0; i < ZMEMO_SLOTS; i++) {
			buf_free(&zc->memo[i].in);
			buf_free(&zc->memo[i].out);
		}
		free(zc->memo);
		free(zc->seen);
	}
	free(zc);
}

static struct tls_key zcache_key = TLS_KEY(sizeof(struct zcache), zcache_free);

static struct zcache *
thread_zcache(void)
{
	return tls_get(&zcache_key);
}

static z_stream *
thread_deflater(int *zrc)
{
	struct zcache *zc = thread_zcache();

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
int
po_deflate(struct pdf *p, const void *data, size_t len)
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

/*
 * po_deflate for a stream likely to come again (a ToUnicode map): the
 * same bytes deflated before by this thread give the output of then,
 * which is what deflating them again would give (the deflater is reset
 * before every stream; same input, same output).
 */
int
po_deflate_memo(struct pdf *p, const void *data, size_t len)
{
	struct zcache *zc;
	struct zmemo *m;
	uint64_t h;

	if (p->zrc != Z_OK)
		return 0;
	if (len > ZMEMO_MAX_IN)
		return po_deflate(p, data, len);
	zc = thread_zcache();
	if (zc->memo == NULL) {
		zc->memo = xcalloc(ZMEMO_SLOTS, sizeof(*zc->memo));
		zc->seen = xcalloc(ZMEMO_SEEN, sizeof(*zc->seen));
	}
	h = memhash(data, len, 0);
	m = &zc->memo[h % ZMEMO_SLOTS];
	if (m->in.data != NULL && m->hash == h && m->in.len == len &&
	    memcmp(m->in.data, data, len) == 0) {
		buf_reset(&p->zout);
		buf_append(&p->zout, m->out.data, m->out.len);
		zc->memo_hits++;
		return 1;
	}
	if (!po_deflate(p, data, len))
		return 0;
	/* Kept the second time (memhash_seen): the map of a face with the
	 * payer's name never comes again. */
	if (!memhash_seen(zc->seen, ZMEMO_SEEN, h))
		return 1;
	/* The slot's stream goes; the new one stays if the memo has room
	 * for what its copies take (their allocations, counted). */
	zc->memo_bytes -= m->in.cap + m->out.cap;
	buf_free(&m->in);
	buf_free(&m->out);
	buf_append(&m->in, data, len);
	buf_append(&m->out, p->zout.data, p->zout.len);
	if (zc->memo_bytes + m->in.cap + m->out.cap > ZMEMO_MAX_BYTES) {
		buf_free(&m->in);	/* full */
		buf_free(&m->out);
		return 1;
	}
	m->hash = h;
	zc->memo_bytes += m->in.cap + m->out.cap;
	return 1;
}

/* The calling thread's streams po_deflate_memo() did not deflate again. */
uint64_t
po_deflate_memo_hits(void)
{
	return thread_zcache()->memo_hits;
}

/* The bytes the calling thread's memo holds. */
size_t
po_deflate_memo_bytes(void)
{
	return thread_zcache()->memo_bytes;
}

/* zlib's name of a failure code, for messages. */
const char *
po_zerror(int zrc)
{
	return zError(zrc);
}

const char *
po_zlib_version(void)
{
	return zlibVersion();
}

/*
 * Inflate the zlib stream of len bytes at data into out (reset first),
 * which must come to exactly want bytes: a PNG's image data, whose size
 * its header fixes.  Returns 0 for a stream that is damaged, ends early,
 * holds more than want bytes or has bytes after its end.
 */
int
po_inflate(const void *data, size_t len, size_t want, struct buf *out)
{
	z_stream z;
	int zrc, ok;

	if (len > UINT32_MAX / 2 || want > UINT32_MAX / 2)
		return 0;
	memset(&z, 0, sizeof(z));
	z.zalloc = z_alloc;
	z.zfree = z_free;
	if (inflateInit(&z) != Z_OK)
		return 0;
	buf_reset(out);
	buf_grow(out, want + 1);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)out->data;
	z.avail_out = (uInt)want + 1;
	zrc = inflate(&z, Z_FINISH);
	ok = zrc == Z_STREAM_END && z.total_out == want && z.avail_in == 0;
	out->len = ok ? want : 0;
	inflateEnd(&z);
	return ok;
}
