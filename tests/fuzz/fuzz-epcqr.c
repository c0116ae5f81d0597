/*
 * fuzz-epcqr.c - libFuzzer harness for gen/pdf/epcqr.c, the EPC QR code
 * ("GiroCode") payload printed on bank-transfer documents.
 *
 * Input: byte 0 says which optional elements are present (bit 0 BIC,
 * 1 purpose, 2 structured reference, 3 text, 4 information) and where
 * the IBAN comes from (bits 5-7: a valid IBAN of a table, or 6-7: the
 * input); bytes 1-8 are the amount in cents (signed, little-endian); the
 * rest are the texts separated by NUL bytes: BIC, name, IBAN, purpose,
 * reference, text, information.
 *
 * Invariants checked:
 *   - a refusal is GEN_EINPUT with a message starting "epcqr: " and
 *     leaves out empty (it held junk before the call);
 *   - amounts outside 0.01..999999999.99 and a structured reference
 *     together with a text are always refused;
 *   - an accepted payload is at most 331 bytes of well-formed UTF-8
 *     without CR, NUL or a trailing LF; its lines are exactly
 *     BCD / 002 / 1 / SCT / BIC / name / IBAN (electronic form, as
 *     iban_check gives it) / EUR amount / purpose / RF reference (as
 *     rfref_check gives it) / text / information, each element as given,
 *     with no empty elements at the end; the name is 1..70 characters.
 *
 * fuzz-options: -max_len=1024 -dict=tests/fuzz/epcqr.dict
 */
#include <inttypes.h>
#include <string.h>

#include "epcqr.h"
#include "err.h"
#include "fuzz.h"
#include "iban.h"
#include "rfref.h"

static const char *const ibans[] = { "LT121000011101001000",
	"DE89 3704 0044 0532 0130 00", "GB29NWBK60161331926819",
	"ch9300762011623852957", "FR1420041010050500013M02606",
	"NO9386011117947" };

/* NULL for absent (NULL or ""), as epcqr.h defines it. */
static const char *
opt(const char *s)
{
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* Line i (0-based) of the payload p, copied into out; "" past the end. */
static void
line_at(const char *p, int i, char *out, size_t sz)
{
	const char *e;

	for (; i > 0 && p != NULL; i--)
		p = (p = strchr(p, '\n')) != NULL ? p + 1 : NULL;
	if (p == NULL) {
		out[0] = '\0';
		return;
	}
	e = strchr(p, '\n');
	snprintf(out, sz, "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
}

static void
same_line(const char *payload, int i, const char *want)
{
	char got[400];

	line_at(payload, i, got, sizeof(got));
	FUZZ_CHECK(strcmp(got, want != NULL ? want : "") == 0, "line %d is "
	    "'%s', want '%s'\n%s", i + 1, got, want ? want : "", payload);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct epcqr_fields f;
	struct gen_err err = {0};
	struct buf out = {0};
	char *s[7], norm[IBAN_SIZE], ref[RFREF_SIZE], amount[40];
	uint8_t flags = fuzz_byte(&in);
	enum gen_rc rc;
	size_t chars = 0, k, lines = 1;
	uint32_t c;

	memset(&f, 0, sizeof(f));
	f.amount_cents = (int64_t)fuzz_uint(&in, 8);
	for (int i = 0; i < 7; i++)
		s[i] = fuzz_str(&in);
	f.bic = (flags & 1) ? s[0] : NULL;
	f.name = s[1];
	f.iban = (flags >> 5) >= 6 ? s[2] : ibans[flags >> 5];
	f.purpose = (flags & 2) ? s[3] : NULL;
	f.reference = (flags & 4) ? s[4] : NULL;
	f.text = (flags & 8) ? s[5] : NULL;
	f.info = (flags & 16) ? s[6] : NULL;

	buf_puts(&out, "junk");
	rc = epcqr_payload(&f, &out, &err);
	if (rc != GEN_OK) {
		FUZZ_CHECK(rc == GEN_EINPUT && strncmp(err.msg, "epcqr: ", 7)
		    == 0, "refused with %d '%s'", rc, err.msg);
		FUZZ_CHECK(out.len == 0, "refused, but %zu bytes out",
		    out.len);
		goto done;
	}
	FUZZ_CHECK(f.amount_cents >= EPCQR_AMOUNT_MIN && f.amount_cents <=
	    EPCQR_AMOUNT_MAX, "amount %" PRId64 " accepted", f.amount_cents);
	FUZZ_CHECK(opt(f.reference) == NULL || opt(f.text) == NULL,
	    "reference and text both accepted");
	buf_putc(&out, '\0');
	out.len--;
	FUZZ_CHECK(out.len <= EPCQR_MAX_BYTES && strlen(out.data) == out.len
	    && fuzz_utf8_valid((const uint8_t *)out.data, out.len) &&
	    memchr(out.data, '\r', out.len) == NULL && out.len > 0 &&
	    out.data[out.len - 1] != '\n', "payload shape:\n%s", out.data);
	for (size_t i = 0; i < out.len; i++)
		lines += out.data[i] == '\n';
	FUZZ_CHECK(lines >= 8 && lines <= 12, "%zu lines", lines);

	same_line(out.data, 0, "BCD");
	same_line(out.data, 1, "002");
	same_line(out.data, 2, "1");
	same_line(out.data, 3, "SCT");
	same_line(out.data, 4, opt(f.bic));
	same_line(out.data, 5, f.name);
	FUZZ_CHECK(iban_check(f.iban, norm, sizeof(norm), &err) == GEN_OK,
	    "accepted IBAN '%s' fails iban_check", f.iban);
	same_line(out.data, 6, norm);
	snprintf(amount, sizeof(amount), "EUR%" PRId64 ".%02" PRId64,
	    f.amount_cents / 100, f.amount_cents % 100);
	same_line(out.data, 7, amount);
	same_line(out.data, 8, opt(f.purpose));
	if (opt(f.reference) != NULL) {
		FUZZ_CHECK(rfref_check(f.reference, ref, sizeof(ref), &err) ==
		    GEN_OK, "accepted reference fails rfref_check");
		same_line(out.data, 9, ref);
	} else
		same_line(out.data, 9, NULL);
	same_line(out.data, 10, opt(f.text));
	same_line(out.data, 11, opt(f.info));
	for (size_t i = 0, n = strlen(f.name); i < n; i += k) {
		k = fuzz_utf8_next((const uint8_t *)f.name, n, i, &c);
		chars++;
	}
	FUZZ_CHECK(chars >= 1 && chars <= 70, "name of %zu characters",
	    chars);
done:
	for (int i = 0; i < 7; i++)
		free(s[i]);
	buf_free(&out);
	return 0;
}
