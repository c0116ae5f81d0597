/*
 * fuzz-json.c - libFuzzer harness for gen/base/json.c, the strict JSON reader
 * under `invgen order add` and the writer behind every --json output.
 *
 * Invariants checked:
 *   - json_parse refuses with GEN_EINPUT and a message "JSON: ... at line
 *     L, column C (byte offset B)" or accepts; ill-formed UTF-8 (checked
 *     here with an independent decoder) is never accepted;
 *   - canonical form is a fixpoint: parse -> json_write_canonical ->
 *     parse -> json_write_canonical gives the same bytes, and the
 *     canonical text is well-formed UTF-8;
 *   - the writer is total: the input bytes written with
 *     jsonw_string_len (as a hostile name would be) always give JSON that
 *     json_parse accepts, whose string value is the input with every
 *     ill-formed sequence replaced by U+FFFD (maximal subparts), and that
 *     contains no raw U+2028/U+2029 and no raw control character.
 *
 * fuzz-options: -max_len=4096 -dict=tests/fuzz/order.dict
 */
#include <string.h>

#include "err.h"
#include "fuzz.h"
#include "json.h"

static void
canonical_fixpoint(const uint8_t *data, size_t size)
{
	struct json *t1 = NULL, *t2 = NULL;
	struct gen_err err = {0};
	struct buf c1 = {0}, c2 = {0};
	enum gen_rc rc;

	rc = json_parse((const char *)data, size, SIZE_MAX, &t1, &err);
	if (rc != GEN_OK) {
		FUZZ_CHECK(rc == GEN_EINPUT && t1 == NULL, "json_parse "
		    "returned %d", rc);
		FUZZ_CHECK(strncmp(err.msg, "JSON: ", 6) == 0 &&
		    strstr(err.msg, " at line ") != NULL &&
		    strstr(err.msg, "(byte offset ") != NULL, "message '%s'",
		    err.msg);
		return;
	}
	FUZZ_CHECK(fuzz_utf8_valid(data, size), "ill-formed UTF-8 accepted");
	json_write_canonical(t1, &c1);
	FUZZ_CHECK(fuzz_utf8_valid((const uint8_t *)c1.data, c1.len),
	    "canonical form is not UTF-8");
	rc = json_parse(c1.data, c1.len, SIZE_MAX, &t2, &err);
	FUZZ_CHECK(rc == GEN_OK, "canonical form refused: %s\n%.*s", err.msg,
	    (int)c1.len, c1.data);
	json_write_canonical(t2, &c2);
	FUZZ_CHECK(c1.len == c2.len && memcmp(c1.data, c2.data, c1.len) == 0,
	    "canonical form not a fixpoint:\n%.*s\n%.*s", (int)c1.len,
	    c1.data, (int)c2.len, c2.data);
	json_free(t1);
	json_free(t2);
	buf_free(&c1);
	buf_free(&c2);
}

static void
writer_total(const uint8_t *data, size_t size)
{
	struct buf out = {0}, want = {0};
	struct json *t = NULL;
	struct gen_err err = {0};
	struct jsonw w;
	const char *s;
	size_t len;
	uint32_t c;

	jsonw_init(&w, &out, size & 1);
	jsonw_object_begin(&w);
	jsonw_key(&w, "name");
	jsonw_string_len(&w, (const char *)data, size);
	jsonw_object_end(&w);
	for (size_t i = 0, k; i < out.len; i += k) {
		k = fuzz_utf8_next((const uint8_t *)out.data, out.len, i, &c);
		FUZZ_CHECK(c != UINT32_MAX, "writer output ill-formed at %zu",
		    i);
		FUZZ_CHECK(c >= 0x20 || c == '\n' || c == ' ', "raw control "
		    "U+%04X in writer output", (unsigned)c);
		FUZZ_CHECK(c != 0x2028 && c != 0x2029, "raw U+%04X in writer "
		    "output", (unsigned)c);
	}
	FUZZ_CHECK(json_parse(out.data, out.len, SIZE_MAX, &t, &err) ==
	    GEN_OK, "writer output refused: %s\n%.*s", err.msg, (int)out.len,
	    out.data);
	s = json_str(json_get(t, "name"), &len);
	fuzz_utf8_sanitise(data, size, &want);
	FUZZ_CHECK(s != NULL && len == want.len && (len == 0 ||
	    memcmp(s, want.data, len) == 0), "string does not survive the "
	    "writer: %zu bytes in, %zu expected, %zu out", size, want.len,
	    len);
	json_free(t);
	buf_free(&out);
	buf_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	canonical_fixpoint(data, size);
	writer_total(data, size);
	return 0;
}
