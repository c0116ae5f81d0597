/*
 * fuzz-serve.c - libFuzzer harness for the wire format of `invgen serve`
 * (gen/app/serve.c): the input is read both as a request, as a server reads
 * what another process sent, and as a reply, as a caller reads what came
 * back.
 *
 * Invariants checked:
 *   - a request is accepted exactly when it is five NUL-ended fields, the
 *     first SERVE_MAGIC and the last four octal digits up to 0777 (computed here
 *     independently); then the three strings point inside the input at
 *     the starts of fields 2..4, the umask is the last field's value, and
 *     encoding them again gives the input byte for byte;
 *   - a reply is accepted exactly when it is three NUL-ended fields,
 *     "ok", a decimal code GEN_OK..GEN_EINTERNAL written the way
 *     strtol reads it, and the payload; the code and payload returned are
 *     those; "declined" with its reason is refused with the reason as
 *     the payload; anything else is refused with an empty payload;
 *   - nothing is read past the input (ASan).
 *
 * fuzz-options: -max_len=512
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "invgen.h"
#include "serve.h"

/* The input as NUL-ended fields: their count (-1 when the last one has
 * no NUL), the starts of the first five in start[]. */
static int
fields(const char *p, size_t len, const char *start[5])
{
	size_t at = 0;
	int n = 0;

	while (at < len) {
		const char *nul = memchr(p + at, '\0', len - at);

		if (nul == NULL)
			return -1;
		if (n < 5)
			start[n] = p + at;
		n++;
		at = (size_t)(nul - p) + 1;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *req = malloc(size + 1), *rep = malloc(size + 1);
	const char *f[5] = { NULL }, *key, *command, *arg, *payload;
	struct buf again = { 0 };
	unsigned um = 0, want_um = 0;
	int n, rc = -1, ok, want;

	memcpy(req, data, size);
	memcpy(rep, data, size);
	n = fields((const char *)data, size, f);

	/* As a request. */
	want = n == 5 && strcmp(f[0], SERVE_MAGIC) == 0 && strlen(f[4]) == 4;
	for (int i = 0; want && i < 4; i++) {
		if (f[4][i] < '0' || f[4][i] > '7')
			want = 0;
		want_um = want_um * 8 + (unsigned)(f[4][i] - '0');
	}
	if (want_um > 0777)
		want = 0;		/* "1000" and up: no permission bits */
	ok = serve_request_parse(req, size, &key, &command, &arg, &um);
	FUZZ_CHECK(ok == want, "request of %zu bytes, %d fields: parse %d, "
	    "want %d", size, n, ok, want);
	if (ok) {
		FUZZ_CHECK(key == req + (f[1] - (const char *)data) &&
		    command == req + (f[2] - (const char *)data) &&
		    arg == req + (f[3] - (const char *)data),
		    "fields at the wrong places");
		FUZZ_CHECK(um == want_um, "umask %o, want %o", um, want_um);
		serve_request_encode(&again, key, command, arg, um);
		FUZZ_CHECK(again.len == size && memcmp(again.data, data, size) ==
		    0, "request does not encode back to itself");
	}

	/* As a reply. */
	ok = serve_reply_parse(rep, size, &rc, &payload);
	if (n == 3 && strcmp(f[0], "ok") == 0) {
		char *end;
		long v;

		errno = 0;
		v = strtol(f[1], &end, 10);
		want = !errno && *end == '\0' && end != f[1] && v >= GEN_OK &&
		    v <= GEN_EINTERNAL;
		FUZZ_CHECK(ok == want, "reply code '%s': parse %d", f[1], ok);
		if (ok)
			FUZZ_CHECK(rc == v && strcmp(payload, f[2]) == 0,
			    "reply code %d payload '%s'", rc, payload);
	} else {
		FUZZ_CHECK(!ok, "reply of %d fields accepted", n);
		if (n == 2 && strcmp(f[0], "declined") == 0)
			FUZZ_CHECK(strcmp(payload, f[1]) == 0, "reason '%s'",
			    payload);
		else
			FUZZ_CHECK(payload[0] == '\0', "payload '%s' of a "
			    "refused reply", payload);
	}
	buf_free(&again);
	free(req);
	free(rep);
	return 0;
}
