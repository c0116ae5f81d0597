/*
 * test-buf.c - the growable buffer: appends, printf, big-endian
 * integers, NUL termination, reset and detach; appends and printf that
 * just fit, fill the last byte or overflow the room there is (the inline
 * append and the one-pass printf each have a path for room and one for
 * growing).
 */
#include <stdlib.h>
#include <wchar.h>
#include <string.h>

#include "buf.h"
#include "testlib.h"

int
main(void)
{
	struct buf b = { 0 };
	char *p;
	size_t n;

	buf_puts(&b, "abc");
	buf_putc(&b, '-');
	buf_printf(&b, "%d/%s", 42, "x");
	CHECK_STR(b.data, "abc-42/x");
	CHECK_INT(b.len, 8);
	buf_reset(&b);
	CHECK_INT(b.len, 0);
	CHECK_STR(b.data, "");
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	CHECK_INT(b.len, 10000);
	CHECK(b.data[10000] == '\0');
	CHECK(b.data[9999] == 'a' + 9999 % 26);
	buf_reset(&b);
	buf_put_u16be(&b, 0x1234);
	buf_put_u32be(&b, 0xdeadbeef);
	CHECK_INT(b.len, 6);
	CHECK(memcmp(b.data, "\x12\x34\xde\xad\xbe\xef", 6) == 0);
	buf_append(&b, "\0z", 2);	/* embedded NUL is data */
	CHECK_INT(b.len, 8);
	p = buf_detach(&b, &n);
	CHECK_INT(n, 8);
	CHECK(b.data == NULL && b.len == 0);
	free(p);
	p = buf_detach(&b, &n);		/* an empty buffer detaches "" */
	CHECK_STR(p, "");
	CHECK_INT(n, 0);
	free(p);
	buf_free(&b);
	buf_free(&b);			/* twice is harmless */

	/* Every length of append and printf around the capacity. */
	for (size_t pre = 0; pre < 70; pre++)
		for (size_t k = 0; k < 70; k++) {
			char want[256], piece[80];
			struct buf c = { 0 };

			memset(want, 'p', pre);
			for (size_t j = 0; j < k; j++)
				piece[j] = (char)('a' + j % 26);
			piece[k] = '\0';
			memcpy(want + pre, piece, k);
			memcpy(want + pre + k, piece, k);
			want[pre + 2 * k] = '\0';
			for (size_t j = 0; j < pre; j++)
				buf_putc(&c, 'p');
			buf_append(&c, piece, k);
			buf_printf(&c, "%s", piece);
			n = c.len;
			CHECK(n == pre + 2 * k && strcmp(c.data, want) == 0 &&
			    c.cap > c.len);
			buf_free(&c);
		}
	/* A printf that fails (invalid wide character) appends nothing. */
	buf_puts(&b, "ok");
	buf_printf(&b, "%lc", (wint_t)0xD800);
	CHECK_STR(b.data, "ok");
	buf_free(&b);
	return test_report();
}
