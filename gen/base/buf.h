/*
 * buf.h - a growable byte buffer, the one way invgen builds strings and
 * files in memory (JSON, PDF content streams, fonts, XML text).
 *
 * A struct buf is a plain value: zero-initialise it (struct buf b = {0}),
 * append, use b.data / b.len, then buf_free().  data is always
 * NUL-terminated after any append, so text can be used as a C string.
 * Allocation failure exits (see xmalloc in err.h).
 */
#ifndef INVGEN_BUF_H
#define INVGEN_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_free(struct buf *b);
/* Set len to 0 and keep the allocation. */
void buf_reset(struct buf *b);
/* Make room for n more bytes. */
void buf_grow(struct buf *b, size_t n);
/* Append n bytes.  Inline while there is room: content streams, fonts
 * and numbers are written a few bytes at a time, and the call was 2 %
 * of a batch; buf_append_grow (buf.c) does the rest. */
void buf_append_grow(struct buf *b, const void *data, size_t n);
static inline void
buf_append(struct buf *b, const void *data, size_t n)
{
	if (b->len + n < b->cap) {
		if (n > 0)
			memcpy(b->data + b->len, data, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else
		buf_append_grow(b, data, n);
}
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Big-endian integers, for binary formats (TrueType). */
void buf_put_u16be(struct buf *b, uint16_t v);
void buf_put_u32be(struct buf *b, uint32_t v);
/* Take ownership of the data (NUL-terminated); the buffer is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
