/*
 * epcqr.c - EPC069-12 QR payload builder (see epcqr.h).
 *
 * Validates each element (UTF-8, character counts, IBAN, RF reference,
 * BIC, amount range) and joins them with LF.  Uses iban.c and rfref.c for
 * the account and the reference.  Must not encode the QR symbol (qr.c does)
 * and must never shorten a field to make it fit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <unicode/utf8.h>

#include "epcqr.h"
#include "err.h"
#include "iban.h"
#include "rfref.h"

/* Element limits of EPC069-12, in characters. */
#define NAME_MAX_CHARS	70
#define TEXT_MAX_CHARS	140
#define INFO_MAX_CHARS	70

/*
 * IBAN countries of the EEA (EU 27 plus Iceland, Liechtenstein, Norway):
 * EPC069-12 version 002 makes the BIC optional only for these.
 */
static const char eea[][3] = {
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
	"GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MT",
	"NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
};

static int
is_empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static int
in_eea(const char *iban)
{
	size_t	 i;

	for (i = 0; i < sizeof(eea) / sizeof(eea[0]); i++)
		if (iban[0] == eea[i][0] && iban[1] == eea[i][1])
			return 1;
	return 0;
}

/*
 * Check a text element: well-formed UTF-8, no control or line-separator
 * characters, at most max characters.  what names the element in
 * messages.  Returns GEN_OK or GEN_EINPUT.
 */
static enum gen_rc
check_text(const char *what, const char *s, size_t max, struct gen_err *err)
{
	const uint8_t	*p = (const uint8_t *)s;
	size_t		 chars = 0, off = 0, next, n = strlen(s);
	UChar32		 cp;

	while (off < n) {
		next = off;
		U8_NEXT(p, next, n, cp);
		if (cp < 0)
			return gen_err_set(err, GEN_EINPUT, "epcqr: %s: byte "
			    "%zu (0x%02X) is not valid UTF-8; allowed: UTF-8 "
			    "text", what, off + 1, p[off]);
		chars++;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029)
			return gen_err_set(err, GEN_EINPUT, "epcqr: %s: "
			    "character %zu is a control character (U+%04" PRIX32
			    "); allowed: printable text on one line", what,
			    chars, (uint32_t)cp);
		off = next;
	}
	if (chars > max)
		return gen_err_set(err, GEN_EINPUT, "epcqr: %s: %zu "
		    "characters; allowed: at most %zu (EPC069-12)", what,
		    chars, max);
	return GEN_OK;
}

/*
 * BIC (ISO 9362): 4 letters or digits (institution), 2 letters (country),
 * 2 letters or digits (location), optionally 3 letters or digits (branch).
 */
static enum gen_rc
check_bic(const char *bic, struct gen_err *err)
{
	size_t	 i, n = strlen(bic);
	char	 c;

	if (n != 8 && n != 11)
		return gen_err_set(err, GEN_EINPUT, "epcqr: bic (line 5): %zu "
		    "characters; allowed: 8 or 11 (ISO 9362), e.g. HABALT22",
		    n);
	for (i = 0; i < n; i++) {
		c = bic[i];
		if (c >= 'A' && c <= 'Z')
			continue;
		if (c >= '0' && c <= '9' && i != 4 && i != 5)
			continue;
		return gen_err_set(err, GEN_EINPUT, "epcqr: bic (line 5): "
		    "character %zu is not allowed; allowed: capital letters "
		    "and digits, letters only in positions 5-6 (country)",
		    i + 1);
	}
	return GEN_OK;
}

/* Purpose code: ISO 20022 ExternalPurpose1Code, 4 capital letters. */
static enum gen_rc
check_purpose(const char *p, struct gen_err *err)
{
	size_t	 i;

	for (i = 0; p[i] != '\0'; i++)
		if (i >= 4 || p[i] < 'A' || p[i] > 'Z')
			break;
	if (i != 4 || p[i] != '\0')
		return gen_err_set(err, GEN_EINPUT, "epcqr: purpose (line 9): "
		    "not a purpose code; allowed: 4 capital letters (ISO 20022 "
		    "ExternalPurpose1Code), e.g. GDDS");
	return GEN_OK;
}

/* Write an amount in cents with sign as "-12.30" for messages. */
static void
euros(int64_t cents, char *out, size_t sz)
{
	uint64_t	 a;

	a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(out, sz, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "",
	    a / 100, a % 100);
}

enum gen_rc
epcqr_payload(const struct epcqr_fields *f, struct buf *out,
    struct gen_err *err)
{
	char		 iban[IBAN_SIZE], ref[RFREF_SIZE], amount[32];
	const char	*line[12];
	enum gen_rc	 rc;
	int		 i, last;

	buf_reset(out);

	/* Line 7 first: whether the BIC is required depends on it. */
	if (is_empty(f->iban))
		return gen_err_set(err, GEN_EINPUT, "epcqr: beneficiary "
		    "account (line 7): missing; allowed: an IBAN");
	if ((rc = iban_check(f->iban, iban, sizeof(iban), err)) != GEN_OK)
		return gen_err_prefix(err, "epcqr: beneficiary account "
		    "(line 7): ");

	if (is_empty(f->bic)) {
		if (!in_eea(iban))
			return gen_err_set(err, GEN_EINPUT, "epcqr: bic "
			    "(line 5): missing; required because the IBAN's "
			    "country %.2s is outside the EEA (EPC069-12 "
			    "version 002)", iban);
	} else if ((rc = check_bic(f->bic, err)) != GEN_OK)
		return rc;

	if (is_empty(f->name))
		return gen_err_set(err, GEN_EINPUT, "epcqr: beneficiary name "
		    "(line 6): missing; allowed: 1..%d characters",
		    NAME_MAX_CHARS);
	if (strspn(f->name, " ") == strlen(f->name))
		return gen_err_set(err, GEN_EINPUT, "epcqr: beneficiary name "
		    "(line 6): only spaces; allowed: 1..%d characters",
		    NAME_MAX_CHARS);
	if ((rc = check_text("beneficiary name (line 6)", f->name,
	    NAME_MAX_CHARS, err)) != GEN_OK)
		return rc;

	if (f->amount_cents < EPCQR_AMOUNT_MIN ||
	    f->amount_cents > EPCQR_AMOUNT_MAX) {
		euros(f->amount_cents, amount, sizeof(amount));
		return gen_err_set(err, GEN_EINPUT, "epcqr: amount (line 8): "
		    "EUR %s is out of range; allowed: 0.01..999999999.99 "
		    "(EPC069-12)", amount);
	}
	snprintf(amount, sizeof(amount), "EUR%" PRId64 ".%02" PRId64,
	    f->amount_cents / 100, f->amount_cents % 100);

	if (!is_empty(f->purpose) &&
	    (rc = check_purpose(f->purpose, err)) != GEN_OK)
		return rc;

	if (!is_empty(f->reference) && !is_empty(f->text))
		return gen_err_set(err, GEN_EINPUT, "epcqr: remittance: both "
		    "a structured reference (line 10) and a text (line 11); "
		    "allowed: one of them (EPC069-12)");
	if (!is_empty(f->reference) &&
	    (rc = rfref_check(f->reference, ref, sizeof(ref), err)) != GEN_OK)
		return gen_err_prefix(err, "epcqr: remittance reference "
		    "(line 10): ");
	if (!is_empty(f->text) && (rc = check_text("remittance text "
	    "(line 11)", f->text, TEXT_MAX_CHARS, err)) != GEN_OK)
		return rc;
	if (!is_empty(f->info) && (rc = check_text("information (line 12)",
	    f->info, INFO_MAX_CHARS, err)) != GEN_OK)
		return rc;

	line[0] = "BCD";
	line[1] = "002";
	line[2] = "1";
	line[3] = "SCT";
	line[4] = is_empty(f->bic) ? "" : f->bic;
	line[5] = f->name;
	line[6] = iban;
	line[7] = amount;
	line[8] = is_empty(f->purpose) ? "" : f->purpose;
	line[9] = is_empty(f->reference) ? "" : ref;
	line[10] = is_empty(f->text) ? "" : f->text;
	line[11] = is_empty(f->info) ? "" : f->info;

	/* Nothing after the last populated element. */
	for (last = 11; line[last][0] == '\0'; last--)
		continue;
	for (i = 0; i <= last; i++) {
		if (i > 0)
			buf_putc(out, '\n');
		buf_puts(out, line[i]);
	}
	if (out->len > EPCQR_MAX_BYTES) {
		size_t n = out->len;

		buf_reset(out);
		return gen_err_set(err, GEN_EINPUT, "epcqr: payload: %zu "
		    "bytes; allowed: at most %d (EPC069-12); shorten the "
		    "name, remittance text or information", n,
		    EPCQR_MAX_BYTES);
	}
	return GEN_OK;
}
