/*
 * json.c - strict RFC 8259 JSON parser, tree accessors, exact number
 * conversion, canonical serialiser and streaming writer (see json.h for
 * the rules and the error format).
 *
 * Exports only the json_* and jsonw_* functions of json.h.  It must not do
 * I/O, keep global state, use floating point, or trust its input: every
 * length is checked, nesting is bounded by JSON_MAX_DEPTH (which also
 * bounds the recursion here), and duplicate keys are found by sorting, so
 * no input makes the parser quadratic.
 *
 * Memory: a parsed document lives in one arena (a list of chunks) owned
 * by a struct json_doc whose first member is the root value, so
 * json_free(root) releases everything at once.  Containers store their
 * children in one array each, built on a scratch stack while parsing and
 * copied into the arena when the container closes.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "ascii.h"
#include "err.h"
#include "json.h"

struct json_member;

struct json {
	enum json_type type;
	size_t n;		/* string/lexeme bytes, or element/member count */
	union {
		const char *s;		/* JSON_STRING, JSON_NUMBER */
		struct json *items;	/* JSON_ARRAY */
		struct json_member *members; /* JSON_OBJECT */
	} u;
};

struct json_member {
	const char *key;	/* NUL-terminated, contains no NUL */
	struct json value;
};

struct chunk {
	struct chunk *next;
	size_t cap, used;
	max_align_t data[];
};

struct json_doc {
	struct json root;	/* first: json_free() casts back */
	struct chunk *chunks;
};

/* An object member while its object is still open. */
struct pmember {
	const char *key;
	size_t klen;
	size_t off;		/* byte offset of the key's opening quote */
	struct json value;
};

struct parser {
	const unsigned char *s;
	size_t len, pos;
	int depth;
	struct chunk *chunks;
	struct json *vstack;	/* pending array elements, all arrays */
	size_t vn, vcap;
	struct pmember *mstack;	/* pending object members, all objects */
	size_t mn, mcap;
	struct buf sbuf;	/* a string being decoded */
	struct gen_err *err;
};

#define ARENA_CHUNK	16384

/*
 * Allocate n bytes aligned to align (a power of two, at most that of
 * max_align_t) from the arena.  Returns NULL only when the size overflows;
 * out of memory exits (xmalloc).
 */
static void *
arena_alloc(struct chunk **head, size_t n, size_t align)
{
	struct chunk *c = *head, *nc;
	size_t off, cap;

	if (c != NULL) {
		off = (c->used + align - 1) & ~(align - 1);
		if (off <= c->cap && n <= c->cap - off) {
			c->used = off + n;
			return (char *)c->data + off;
		}
	}
	if (n > SIZE_MAX - sizeof(*nc) - ARENA_CHUNK)
		return NULL;
	cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
	nc = xmalloc(sizeof(*nc) + cap);
	nc->cap = cap;
	nc->used = n;
	if (cap == n && c != NULL) {
		/* A big block of its own: keep filling the current chunk. */
		nc->next = c->next;
		c->next = nc;
	} else {
		nc->next = c;
		*head = nc;
	}
	return nc->data;
}

static void
arena_free(struct chunk *c)
{
	struct chunk *next;

	for (; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
}

/* Copy n bytes into the arena and NUL-terminate them; NULL on overflow. */
static char *
arena_strndup(struct chunk **head, const void *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX || (p = arena_alloc(head, n + 1, 1)) == NULL)
		return NULL;
	if (n > 0)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* ---- UTF-8 ---------------------------------------------------------- */

/*
 * Decode the UTF-8 sequence at s[0..n), n >= 1, with ICU's U8_NEXT (a
 * macro: no call into the ICU library).  Returns 1 with the code point
 * in *cp and the sequence length in *adv; for ill-formed bytes 0, with
 * *cp U+FFFD and *adv the length of the maximal subpart (the bytes one
 * U+FFFD replaces, at least 1).
 */
static int
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, size_t *adv)
{
	size_t i = 0;
	UChar32 c;

	U8_NEXT(s, i, n, c);
	*adv = i;
	*cp = c < 0 ? 0xFFFD : (uint32_t)c;
	return c >= 0;
}

/*
 * Why the bytes at s[0..n) are not UTF-8 (utf8_decode said they are
 * not), for the parser's message, which ICU does not give: by the table
 * of well-formed byte sequences in the Unicode Standard (ch. 3, table
 * 3-7).
 */
static const char *
utf8_reason(const unsigned char *s, size_t n)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (c < 0xC0)
		return "unexpected continuation byte";
	if (c < 0xC2)
		return "overlong encoding";
	if (c >= 0xF8)
		return "byte never used in UTF-8";
	if (c >= 0xF5)
		return "code point above U+10FFFF";
	need = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	for (i = 1; i <= need; i++) {
		if (i >= n)
			return "sequence truncated at end of input";
		if ((s[i] & 0xC0) != 0x80)
			return "incomplete multi-byte sequence";
		if (i == 1 && s[i] < lo)
			return "overlong encoding";
		if (i == 1 && s[i] > hi)
			return c == 0xED ? "UTF-16 surrogate encoded in UTF-8" :
			    "code point above U+10FFFF";
	}
	return "invalid";
}

/* Append code point cp (valid, not a surrogate) as UTF-8. */
static void
utf8_put(struct buf *b, uint32_t cp)
{
	uint8_t u[U8_MAX_LENGTH];
	size_t n = 0;

	U8_APPEND_UNSAFE(u, n, cp);
	buf_append(b, u, n);
}

/* ---- string escaping (shared by the writer and the serialiser) ------- */

int
json_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t cp;
	size_t i = 0, adv;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (!utf8_decode(s + i, n - i, &cp, &adv))
			return 0;
		i += adv;
	}
	return 1;
}

/*
 * Append s[0..n) as a quoted JSON string.  Escapes '"', '\\' and control
 * characters; U+2028/U+2029 too if js_safe; replaces each invalid UTF-8
 * subpart by U+FFFD.
 */
static void
escape_string(struct buf *out, const char *str, size_t n, int js_safe)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run = 0, adv;
	uint32_t cp;
	char e[6];

	buf_putc(out, '"');
	while (i < n) {
		unsigned c = s[i];
		const char *rep = NULL;
		size_t replen = 2;

		if (c >= 0x80) {
			if (!utf8_decode(s + i, n - i, &cp, &adv))
				rep = "\xEF\xBF\xBD", replen = 3;
			else if (js_safe && (cp == 0x2028 || cp == 0x2029))
				rep = cp == 0x2028 ? "\\u2028" : "\\u2029",
				    replen = 6;
		} else {
			adv = 1;
			switch (c) {
			case '"':  rep = "\\\""; break;
			case '\\': rep = "\\\\"; break;
			case '\b': rep = "\\b"; break;
			case '\t': rep = "\\t"; break;
			case '\n': rep = "\\n"; break;
			case '\f': rep = "\\f"; break;
			case '\r': rep = "\\r"; break;
			default:
				if (c < 0x20) {
					memcpy(e, "\\u00", 4);
					e[4] = hex[c >> 4];
					e[5] = hex[c & 15];
					rep = e;
					replen = 6;
				}
				break;
			}
		}
		if (rep == NULL) {
			i += adv;
			run += adv;
			continue;
		}
		buf_append(out, s + i - run, run);
		buf_append(out, rep, replen);
		run = 0;
		i += adv;
	}
	buf_append(out, s + i - run, run);
	buf_putc(out, '"');
}

/* ---- parser errors -------------------------------------------------- */

/*
 * Record "JSON: <what> at line L, column C (byte offset B)" for the byte
 * at offset off (off == len means the end of the input).  Always returns
 * GEN_EINPUT.
 */
static enum gen_rc
perr(struct parser *p, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum gen_rc
perr(struct parser *p, size_t off, const char *fmt, ...)
{
	char what[320];
	size_t line = 1, col = 1, i;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Lines end at LF; columns count code points (lead bytes). */
	for (i = 0; i < off && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else if ((p->s[i] & 0xC0) != 0x80)
			col++;
	}
	return gen_err_set(p->err, GEN_EINPUT,
	    "JSON: %s at line %zu, column %zu (byte offset %zu)",
	    what, line, col, off);
}

/* Describe the character at off for a message: 'x', U+00E9, end of input. */
static const char *
found(const struct parser *p, size_t off, char *d, size_t dsz)
{
	uint32_t cp;
	size_t adv;
	unsigned c;

	if (off >= p->len)
		return "end of input";
	c = p->s[off];
	if (c > 0x20 && c < 0x7F)
		snprintf(d, dsz, "'%c'", (char)c);
	else if (c == 0)
		return "a NUL byte";
	else {
		/* The input was checked: this decodes. */
		utf8_decode(p->s + off, p->len - off, &cp, &adv);
		snprintf(d, dsz, "U+%04" PRIX32, cp);
	}
	return d;
}

/* Error for "expected <what>" at the current position. */
static enum gen_rc
expected(struct parser *p, const char *what)
{
	char d[16];

	if (p->pos >= p->len)
		return perr(p, p->pos, "unexpected end of input; expected %s",
		    what);
	return perr(p, p->pos, "expected %s, found %s", what,
	    found(p, p->pos, d, sizeof(d)));
}

/* ---- parser ---------------------------------------------------------- */

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* Read four hex digits at off into *v; -1 if they are not there. */
static int
hex4(const struct parser *p, size_t off, uint32_t *v)
{
	size_t i;
	int h;

	if (off > p->len || p->len - off < 4)
		return -1;
	*v = 0;
	for (i = 0; i < 4; i++) {
		if ((h = ascii_hex_value(p->s[off + i])) < 0)
			return -1;
		*v = *v << 4 | (uint32_t)h;
	}
	return 0;
}

/*
 * Parse the string starting at the '"' at p->pos into p->sbuf (decoded).
 * is_key refuses \u0000.  Leaves p->pos after the closing quote.
 */
static enum gen_rc
parse_string_raw(struct parser *p, int is_key)
{
	size_t start = p->pos, run;
	uint32_t cp, lo;
	unsigned char c, e;

	/*
	 * Find the closing quote first, so that a string cut off by the end
	 * of input reads "unterminated" rather than a half escape.
	 */
	for (run = p->pos + 1; run < p->len && p->s[run] != '"'; run++)
		if (p->s[run] == '\\')
			run++;
	if (run >= p->len)
		return perr(p, start, "unterminated string");

	buf_reset(&p->sbuf);
	p->pos++;
	for (;;) {
		/* Copy a run of plain bytes at once. */
		run = p->pos;
		while (p->pos < p->len && (c = p->s[p->pos]) != '"' &&
		    c != '\\' && c >= 0x20)
			p->pos++;
		buf_append(&p->sbuf, p->s + run, p->pos - run);
		if (p->pos >= p->len)
			return perr(p, start, "unterminated string");
		c = p->s[p->pos];
		if (c == '"') {
			p->pos++;
			return GEN_OK;
		}
		if (c < 0x20)
			return perr(p, p->pos, "unescaped control character "
			    "U+%04X in string; write it as \\u%04X",
			    (unsigned)c, (unsigned)c);
		/* A backslash. */
		if (p->pos + 1 >= p->len)
			return perr(p, start, "unterminated string");
		e = p->s[p->pos + 1];
		switch (e) {
		case '"':  buf_putc(&p->sbuf, '"'); break;
		case '\\': buf_putc(&p->sbuf, '\\'); break;
		case '/':  buf_putc(&p->sbuf, '/'); break;
		case 'b':  buf_putc(&p->sbuf, '\b'); break;
		case 'f':  buf_putc(&p->sbuf, '\f'); break;
		case 'n':  buf_putc(&p->sbuf, '\n'); break;
		case 'r':  buf_putc(&p->sbuf, '\r'); break;
		case 't':  buf_putc(&p->sbuf, '\t'); break;
		case 'u':
			if (hex4(p, p->pos + 2, &cp) < 0)
				return perr(p, p->pos, "invalid \\u escape; "
				    "expected four hex digits");
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return perr(p, p->pos, "unpaired surrogate "
				    "\\u%04" PRIX32 " (a low surrogate must "
				    "follow a high one)", cp);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (p->pos + 7 >= p->len ||
				    p->s[p->pos + 6] != '\\' ||
				    p->s[p->pos + 7] != 'u' ||
				    hex4(p, p->pos + 8, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return perr(p, p->pos, "unpaired "
					    "surrogate \\u%04" PRIX32 " (a high "
					    "surrogate must be followed by a "
					    "low one, \\uDC00-\\uDFFF)", cp);
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				    (lo - 0xDC00);
				p->pos += 6;
			}
			if (cp == 0 && is_key)
				return perr(p, p->pos, "\\u0000 is not allowed "
				    "in an object key");
			utf8_put(&p->sbuf, cp);
			p->pos += 4;
			break;
		default: {
			char d[16];

			return perr(p, p->pos, "invalid escape: backslash "
			    "followed by %s; allowed: \\\" \\\\ \\/ \\b \\f "
			    "\\n \\r \\t \\uXXXX",
			    found(p, p->pos + 1, d, sizeof(d)));
		}
		}
		p->pos += 2;
	}
}

/* Parse a number at p->pos into v, keeping the lexeme. */
static enum gen_rc
parse_number(struct parser *p, struct json *v)
{
	size_t start = p->pos;
	const char *lex;

	if (p->s[p->pos] == '-') {
		p->pos++;
		if (p->pos < p->len && p->s[p->pos] == 'I')
			return perr(p, start, "-Infinity is not allowed; "
			    "JSON numbers are finite");
		if (p->pos >= p->len || !ascii_is_digit(p->s[p->pos]))
			return expected(p, "a digit after '-'");
	}
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (p->pos < p->len && ascii_is_digit(p->s[p->pos]))
			return perr(p, start, "leading zeros are not allowed "
			    "in numbers");
	} else
		while (p->pos < p->len && ascii_is_digit(p->s[p->pos]))
			p->pos++;
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (p->pos >= p->len || !ascii_is_digit(p->s[p->pos]))
			return expected(p, "a digit after the decimal point");
		while (p->pos < p->len && ascii_is_digit(p->s[p->pos]))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len &&
		    (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (p->pos >= p->len || !ascii_is_digit(p->s[p->pos]))
			return expected(p, "a digit in the exponent");
		while (p->pos < p->len && ascii_is_digit(p->s[p->pos]))
			p->pos++;
	}
	lex = arena_strndup(&p->chunks, p->s + start, p->pos - start);
	if (lex == NULL)
		return perr(p, start, "document too large");
	v->type = JSON_NUMBER;
	v->u.s = lex;
	v->n = p->pos - start;
	return GEN_OK;
}

/* Does the input at p->pos start with the len bytes of word? */
static int
looking_at(const struct parser *p, const char *word, size_t len)
{
	return p->len - p->pos >= len && memcmp(p->s + p->pos, word, len) == 0;
}

/* Is the rest of the input a proper prefix of word? */
static int
cut_short(const struct parser *p, const char *word)
{
	size_t rest = p->len - p->pos;

	return rest < strlen(word) && memcmp(p->s + p->pos, word, rest) == 0;
}

static enum gen_rc parse_value(struct parser *, struct json *);

static void
vpush(struct parser *p, const struct json *v)
{
	p->vstack = xgrow(p->vstack, p->vn, &p->vcap, 64, sizeof(*p->vstack));
	p->vstack[p->vn++] = *v;
}

static void
mpush(struct parser *p, const struct pmember *m)
{
	p->mstack = xgrow(p->mstack, p->mn, &p->mcap, 32, sizeof(*p->mstack));
	p->mstack[p->mn++] = *m;
}

/*
 * After an element of an array or an object (close: ']' or '}'; what
 * names the element in messages): past close sets *done, past a comma
 * clears it for the next element.  Anything else, and a comma right
 * before close, is refused.
 */
static enum gen_rc
list_next(struct parser *p, char close, const char *what, int *done)
{
	char want[64];
	size_t comma;

	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		*done = 1;
		return GEN_OK;
	}
	if (p->pos >= p->len || p->s[p->pos] != ',') {
		snprintf(want, sizeof(want), "',' or '%c' after %s", close,
		    what);
		return expected(p, want);
	}
	comma = p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == close)
		return perr(p, comma, "trailing comma before '%c'", close);
	*done = 0;
	return GEN_OK;
}

/* Parse an array at the '[' at p->pos into v. */
static enum gen_rc
parse_array(struct parser *p, struct json *v)
{
	size_t base = p->vn, n;
	enum gen_rc rc;
	struct json item;
	int done;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']')
		p->pos++;
	else for (;;) {
		if ((rc = parse_value(p, &item)) != GEN_OK)
			return rc;
		vpush(p, &item);
		if ((rc = list_next(p, ']', "an array element", &done)) !=
		    GEN_OK)
			return rc;
		if (done)
			break;
	}
	n = p->vn - base;
	v->type = JSON_ARRAY;
	v->n = n;
	v->u.items = NULL;
	if (n > 0) {
		if (n > SIZE_MAX / sizeof(struct json) ||
		    (v->u.items = arena_alloc(&p->chunks, n *
		    sizeof(struct json), _Alignof(struct json))) == NULL)
			return perr(p, p->pos, "document too large");
		memcpy(v->u.items, p->vstack + base, n * sizeof(struct json));
	}
	p->vn = base;
	return GEN_OK;
}

/* Order pending members by key bytes, then by position. */
static int
pmember_cmp(const void *a, const void *b)
{
	const struct pmember *x = a, *y = b;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c;

	if ((c = memcmp(x->key, y->key, n)) != 0)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Refuse duplicate keys among the n pending members at m (which this
 * reorders), naming the repeat that comes first in the document.
 */
static enum gen_rc
check_duplicates(struct parser *p, struct pmember *m, size_t n)
{
	const struct pmember *dup = NULL;
	struct buf k = {0};
	size_t i, cut;
	enum gen_rc rc;

	if (n < 2)
		return GEN_OK;
	qsort(m, n, sizeof(*m), pmember_cmp);
	for (i = 1; i < n; i++)
		if (m[i].klen == m[i - 1].klen &&
		    memcmp(m[i].key, m[i - 1].key, m[i].klen) == 0 &&
		    (dup == NULL || m[i].off < dup->off))
			dup = &m[i];
	if (dup == NULL)
		return GEN_OK;
	/* Show at most ~40 bytes of the key, cut at a character boundary. */
	cut = dup->klen;
	if (cut > 40) {
		cut = 40;
		while (cut > 0 && ((unsigned char)dup->key[cut] & 0xC0) == 0x80)
			cut--;
	}
	escape_string(&k, dup->key, cut, 1);
	rc = perr(p, dup->off, "duplicate key %s%s", k.data,
	    cut < dup->klen ? "..." : "");
	buf_free(&k);
	return rc;
}

/* Parse an object at the '{' at p->pos into v. */
static enum gen_rc
parse_object(struct parser *p, struct json *v)
{
	size_t base = p->mn, n, i;
	struct json_member *mem;
	struct pmember m;
	enum gen_rc rc;
	int done;

	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}')
		p->pos++;
	else for (;;) {
		if (p->pos >= p->len || p->s[p->pos] != '"') {
			if (p->pos < p->len && p->s[p->pos] == '\'')
				return perr(p, p->pos, "single quotes are "
				    "not allowed; keys need double quotes");
			return expected(p, "a string key in double quotes");
		}
		m.off = p->pos;
		if ((rc = parse_string_raw(p, 1)) != GEN_OK)
			return rc;
		m.klen = p->sbuf.len;
		m.key = arena_strndup(&p->chunks, p->sbuf.data, m.klen);
		if (m.key == NULL)
			return perr(p, m.off, "document too large");
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':')
			return expected(p, "':' after an object key");
		p->pos++;
		if ((rc = parse_value(p, &m.value)) != GEN_OK)
			return rc;
		mpush(p, &m);
		if ((rc = list_next(p, '}', "an object member", &done)) !=
		    GEN_OK)
			return rc;
		if (done)
			break;
	}
	n = p->mn - base;
	v->type = JSON_OBJECT;
	v->n = n;
	v->u.members = NULL;
	if (n > 0) {
		if (n > SIZE_MAX / sizeof(*mem) ||
		    (mem = arena_alloc(&p->chunks, n * sizeof(*mem),
		    _Alignof(struct json_member))) == NULL)
			return perr(p, p->pos, "document too large");
		for (i = 0; i < n; i++) {
			mem[i].key = p->mstack[base + i].key;
			mem[i].value = p->mstack[base + i].value;
		}
		v->u.members = mem;
		if ((rc = check_duplicates(p, p->mstack + base, n)) != GEN_OK)
			return rc;
	}
	p->mn = base;
	return GEN_OK;
}

/* Parse any value at p->pos (after whitespace) into v. */
static enum gen_rc
parse_value(struct parser *p, struct json *v)
{
	enum gen_rc rc;
	unsigned char c;
	uint32_t cp;
	size_t adv;

	skip_ws(p);
	if (p->pos >= p->len)
		return expected(p, "a value");
	c = p->s[p->pos];
	switch (c) {
	case '{':
	case '[':
		if (p->depth >= JSON_MAX_DEPTH)
			return perr(p, p->pos, "nesting deeper than %d levels",
			    JSON_MAX_DEPTH);
		p->depth++;
		rc = c == '{' ? parse_object(p, v) : parse_array(p, v);
		p->depth--;
		return rc;
	case '"':
		if ((rc = parse_string_raw(p, 0)) != GEN_OK)
			return rc;
		v->type = JSON_STRING;
		v->n = p->sbuf.len;
		v->u.s = arena_strndup(&p->chunks, p->sbuf.data, p->sbuf.len);
		if (v->u.s == NULL)
			return perr(p, p->pos, "document too large");
		return GEN_OK;
	case 't':
	case 'f':
	case 'n':
		if (looking_at(p, "true", 4)) {
			v->type = JSON_TRUE;
			p->pos += 4;
		} else if (looking_at(p, "false", 5)) {
			v->type = JSON_FALSE;
			p->pos += 5;
		} else if (looking_at(p, "null", 4)) {
			v->type = JSON_NULL;
			p->pos += 4;
		} else if (cut_short(p, "true") || cut_short(p, "false") ||
		    cut_short(p, "null"))
			return perr(p, p->len, "unexpected end of input in "
			    "a literal (true, false or null)");
		else
			return perr(p, p->pos, "invalid literal; expected "
			    "true, false or null (lowercase)");
		v->n = 0;
		v->u.s = NULL;
		return GEN_OK;
	case '\'':
		return perr(p, p->pos, "single quotes are not allowed; "
		    "strings need double quotes");
	case '/':
		return perr(p, p->pos, "comments are not allowed");
	case '.':
	case '+':
		return perr(p, p->pos, "a number must start with a digit "
		    "or '-'");
	default:
		break;
	}
	if (c == '-' || ascii_is_digit(c))
		return parse_number(p, v);
	if (looking_at(p, "NaN", 3) || looking_at(p, "Infinity", 8))
		return perr(p, p->pos, "NaN and Infinity are not allowed; "
		    "JSON numbers are finite");
	if (c == 0xEF && utf8_decode(p->s + p->pos, p->len - p->pos, &cp,
	    &adv) && cp == 0xFEFF)
		return perr(p, p->pos, "byte order mark (U+FEFF) is not "
		    "allowed");
	return expected(p, "a value");
}

enum gen_rc
json_parse(const char *text, size_t len, size_t max_len, struct json **out,
    struct gen_err *err)
{
	struct parser p;
	struct json_doc *doc;
	struct json root;
	enum gen_rc rc;
	uint32_t cp;
	size_t i, adv;

	*out = NULL;
	if (text == NULL && len > 0)
		return gen_err_set(err, GEN_EINTERNAL,
		    "json_parse: text is NULL");
	if (len > max_len)
		return gen_err_set(err, GEN_EINPUT, "JSON: input is %zu bytes, "
		    "more than the limit of %zu bytes", len, max_len);
	memset(&p, 0, sizeof(p));
	p.s = (const unsigned char *)text;
	p.len = len;
	p.err = err;

	/* Encoding first: afterwards every byte >= 0x80 is valid UTF-8. */
	for (i = 0; i < len; i += adv) {
		if (p.s[i] < 0x80) {
			adv = 1;
			continue;
		}
		if (!utf8_decode(p.s + i, len - i, &cp, &adv))
			return perr(&p, i, "invalid UTF-8 (%s, byte 0x%02X)",
			    utf8_reason(p.s + i, len - i), (unsigned)p.s[i]);
	}

	if (len == 0) {
		rc = perr(&p, 0, "input is empty; expected a JSON value");
		goto out;
	}
	if ((rc = parse_value(&p, &root)) != GEN_OK)
		goto out;
	skip_ws(&p);
	if (p.pos < p.len) {
		rc = expected(&p, "the end of input after the top-level value");
		goto out;
	}
	doc = xmalloc(sizeof(*doc));
	doc->root = root;
	doc->chunks = p.chunks;
	p.chunks = NULL;
	*out = &doc->root;
out:
	arena_free(p.chunks);
	free(p.vstack);
	free(p.mstack);
	buf_free(&p.sbuf);
	return rc;
}

void
json_free(struct json *root)
{
	struct json_doc *doc = (struct json_doc *)root;

	if (doc == NULL)
		return;
	arena_free(doc->chunks);
	free(doc);
}

/* ---- accessors ------------------------------------------------------- */

enum json_type
json_type(const struct json *v)
{
	return v == NULL ? JSON_NULL : v->type;
}

const struct json *
json_get(const struct json *obj, const char *key)
{
	size_t i;

	if (obj == NULL || obj->type != JSON_OBJECT || key == NULL)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->u.members[i].key, key) == 0)
			return &obj->u.members[i].value;
	return NULL;
}

size_t
json_len(const struct json *v)
{
	if (v == NULL || (v->type != JSON_ARRAY && v->type != JSON_OBJECT))
		return 0;
	return v->n;
}

const struct json *
json_at(const struct json *arr, size_t i)
{
	if (arr == NULL || arr->type != JSON_ARRAY || i >= arr->n)
		return NULL;
	return &arr->u.items[i];
}

const char *
json_key_at(const struct json *obj, size_t i)
{
	if (obj == NULL || obj->type != JSON_OBJECT || i >= obj->n)
		return NULL;
	return obj->u.members[i].key;
}

const struct json *
json_value_at(const struct json *obj, size_t i)
{
	if (obj == NULL || obj->type != JSON_OBJECT || i >= obj->n)
		return NULL;
	return &obj->u.members[i].value;
}

const char *
json_str(const struct json *v, size_t *len)
{
	if (v == NULL || v->type != JSON_STRING) {
		if (len != NULL)
			*len = 0;
		return NULL;
	}
	if (len != NULL)
		*len = v->n;
	return v->u.s;
}

const char *
json_number_text(const struct json *v)
{
	if (v == NULL || v->type != JSON_NUMBER)
		return NULL;
	return v->u.s;
}

/* ---- exact numbers --------------------------------------------------- */

/* ", not a string" and the like, for a value of the wrong type. */
static const char *
not_type(const struct json *v)
{
	switch (v->type) {
	case JSON_NULL:		return ", not null";
	case JSON_FALSE:	return ", not false";
	case JSON_TRUE:		return ", not true";
	case JSON_NUMBER:	return "";
	case JSON_STRING:	return ", not a string";
	case JSON_ARRAY:	return ", not an array";
	case JSON_OBJECT:	return ", not an object";
	}
	return "";
}

/*
 * Turn a sign and a magnitude into an int64 in [min, max].  Returns -1
 * if it is out of that range.
 */
static int
to_range(int neg, uint64_t mag, int64_t min, int64_t max, int64_t *out)
{
	int64_t v;

	if (neg) {
		if (mag > (uint64_t)INT64_MAX + 1)
			return -1;
		v = mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)mag;
	} else {
		if (mag > (uint64_t)INT64_MAX)
			return -1;
		v = (int64_t)mag;
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

enum gen_rc
json_int64(const struct json *v, int64_t min, int64_t max, int64_t *out,
    struct gen_err *err)
{
	const char *s;
	uint64_t mag = 0;
	int neg = 0, over = 0;

	if (v == NULL)
		return gen_err_set(err, GEN_EINPUT, "is missing; must be an "
		    "integer between %" PRId64 " and %" PRId64, min, max);
	if (v->type != JSON_NUMBER)
		return gen_err_set(err, GEN_EINPUT, "must be an integer "
		    "between %" PRId64 " and %" PRId64 "%s", min, max,
		    not_type(v));
	s = v->u.s;
	if (*s == '-')
		neg = 1, s++;
	for (; ascii_is_digit(*s); s++) {
		if (__builtin_mul_overflow(mag, 10, &mag) ||
		    __builtin_add_overflow(mag, (uint64_t)(*s - '0'), &mag))
			over = 1;
	}
	if (*s != '\0')
		return gen_err_set(err, GEN_EINPUT, "must be an integer "
		    "between %" PRId64 " and %" PRId64 " (no decimal point "
		    "or exponent)", min, max);
	if (over || to_range(neg, mag, min, max, out) < 0)
		return gen_err_set(err, GEN_EINPUT, "must be an integer "
		    "between %" PRId64 " and %" PRId64, min, max);
	return GEN_OK;
}

/* Format v with scale (0..18) decimals, "-12.50", into d (>= 24 bytes). */
static void
fmt_fixed(char *d, size_t dsz, int64_t v, int scale)
{
	char rev[24];
	uint64_t mag;
	size_t n = 0, w = 0;

	/* Digits in reverse, at least scale + 1 of them (zero-padded). */
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	do {
		rev[n++] = (char)('0' + mag % 10);
		mag /= 10;
	} while (mag > 0 || n < (size_t)scale + 1);
	if (dsz < n + 3)
		return;
	if (v < 0)
		d[w++] = '-';
	while (n > 0) {
		if (scale > 0 && n == (size_t)scale)
			d[w++] = '.';
		d[w++] = rev[--n];
	}
	d[w] = '\0';
}

/* Is s a well-formed JSON number lexeme? */
static int
number_ok(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (ascii_is_digit(*s))
		while (ascii_is_digit(*s))
			s++;
	else
		return 0;
	if (*s == '.') {
		if (!ascii_is_digit(*++s))
			return 0;
		while (ascii_is_digit(*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!ascii_is_digit(*s))
			return 0;
		while (ascii_is_digit(*s))
			s++;
	}
	return *s == '\0';
}

/* Digit j of the integer and fraction digits taken together. */
static char
digit_at(const char *ip, size_t nint, const char *fp, size_t j)
{
	return j < nint ? ip[j] : fp[j - nint];
}

enum gen_rc
json_decimal(const struct json *v, int scale, int64_t min, int64_t max,
    int64_t *out, struct gen_err *err)
{
	char lo[32], hi[32];
	const char *s, *ip, *fp = "";
	size_t nint, nfrac = 0, first, last, j;
	long long exp = 0, shift;
	uint64_t mag = 0;
	int neg = 0, eneg = 0;

	if (scale < 0 || scale > 18)
		return gen_err_set(err, GEN_EINTERNAL, "json_decimal: scale "
		    "%d out of range 0..18", scale);
	fmt_fixed(lo, sizeof(lo), min, scale);
	fmt_fixed(hi, sizeof(hi), max, scale);
	if (v == NULL)
		return gen_err_set(err, GEN_EINPUT, "is missing; must be a "
		    "number between %s and %s", lo, hi);
	if (v->type != JSON_NUMBER)
		return gen_err_set(err, GEN_EINPUT, "must be a number between "
		    "%s and %s%s", lo, hi, not_type(v));

	/* Split the lexeme (well-formed: the parser checked it). */
	s = v->u.s;
	if (*s == '-')
		neg = 1, s++;
	ip = s;
	while (ascii_is_digit(*s))
		s++;
	nint = (size_t)(s - ip);
	if (*s == '.') {
		fp = ++s;
		while (ascii_is_digit(*s))
			s++;
		nfrac = (size_t)(s - fp);
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			eneg = *s++ == '-';
		/* Saturate: an exponent past 10^9 is hopeless either way. */
		for (; ascii_is_digit(*s); s++)
			if (exp < 1000000000)
				exp = exp * 10 + (*s - '0');
		if (eneg)
			exp = -exp;
	}

	/*
	 * The value is D * 10^(exp - nfrac), D being the integer and the
	 * fraction digits together; in units of 10^-scale it is
	 * D * 10^shift.  Only D's digits first..last-1 matter: leading
	 * zeros add nothing, and trailing zeros may absorb a negative
	 * shift.  Any other digit a negative shift would cut off makes the
	 * value inexact.  (nfrac is bounded by the input length, far below
	 * LLONG_MAX.)
	 */
	shift = exp - (long long)nfrac + scale;
	last = nint + nfrac;
	for (first = 0; first < last; first++)
		if (digit_at(ip, nint, fp, first) != '0')
			break;
	if (first == last)
		goto done;		/* zero, whatever the exponent */
	for (; shift < 0; shift++, last--)
		if (digit_at(ip, nint, fp, last - 1) != '0')
			goto inexact;	/* stops at first at the latest */
	/* A nonzero leading digit: 20 or more digits exceed 2^63. */
	if ((long long)(last - first) + shift > 19)
		goto range;
	for (j = first; j < last; j++)
		mag = mag * 10 + (uint64_t)(digit_at(ip, nint, fp, j) - '0');
	for (; shift > 0; shift--)
		if (__builtin_mul_overflow(mag, 10, &mag))
			goto range;
done:
	if (to_range(neg, mag, min, max, out) < 0)
		goto range;
	return GEN_OK;
inexact:
	if (scale == 0)
		return gen_err_set(err, GEN_EINPUT, "must be a whole number "
		    "between %s and %s", lo, hi);
	return gen_err_set(err, GEN_EINPUT, "must have at most %d decimal "
	    "place%s", scale, scale == 1 ? "" : "s");
range:
	return gen_err_set(err, GEN_EINPUT, "must be a number between %s "
	    "and %s", lo, hi);
}

/* ---- canonical serialiser -------------------------------------------- */

/* Append v compactly; recursion is bounded by the parser's depth limit. */
void
json_write_canonical(const struct json *v, struct buf *out)
{
	size_t i;

	if (v == NULL)
		return;
	switch (v->type) {
	case JSON_NULL:
		buf_puts(out, "null");
		break;
	case JSON_FALSE:
		buf_puts(out, "false");
		break;
	case JSON_TRUE:
		buf_puts(out, "true");
		break;
	case JSON_NUMBER:
		buf_append(out, v->u.s, v->n);
		break;
	case JSON_STRING:
		escape_string(out, v->u.s, v->n, 0);
		break;
	case JSON_ARRAY:
		buf_putc(out, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(out, ',');
			json_write_canonical(&v->u.items[i], out);
		}
		buf_putc(out, ']');
		break;
	case JSON_OBJECT:
		buf_putc(out, '{');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(out, ',');
			escape_string(out, v->u.members[i].key,
			    strlen(v->u.members[i].key), 0);
			buf_putc(out, ':');
			json_write_canonical(&v->u.members[i].value, out);
		}
		buf_putc(out, '}');
		break;
	}
}

/* ---- writer ---------------------------------------------------------- */

void
jsonw_init(struct jsonw *w, struct buf *out, int pretty)
{
	w->out = out;
	w->pretty = pretty;
	w->depth = 0;
	w->has_items = 0;
	w->after_key = 0;
}

static void
newline_indent(struct jsonw *w, size_t depth)
{
	size_t i;

	buf_putc(w->out, '\n');
	for (i = 0; i < depth; i++)
		buf_append(w->out, "  ", 2);
}

/* Separator before a value: none after a key, else ',' (or "\n"). */
static void
before_value(struct jsonw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0) {
		if (w->has_items)
			buf_putc(w->out, '\n');
		return;
	}
	if (w->has_items)
		buf_putc(w->out, ',');
	if (w->pretty)
		newline_indent(w, w->depth);
}

static void
container_begin(struct jsonw *w, char c)
{
	before_value(w);
	buf_putc(w->out, c);
	w->depth++;
	w->has_items = 0;
}

static void
container_end(struct jsonw *w, char c)
{
	assert(w->depth > 0 && !w->after_key);
	if (w->depth > 0)
		w->depth--;
	if (w->pretty && w->has_items)
		newline_indent(w, w->depth);
	buf_putc(w->out, c);
	w->has_items = 1;
}

void
jsonw_object_begin(struct jsonw *w)
{
	container_begin(w, '{');
}

void
jsonw_object_end(struct jsonw *w)
{
	container_end(w, '}');
}

void
jsonw_array_begin(struct jsonw *w)
{
	container_begin(w, '[');
}

void
jsonw_array_end(struct jsonw *w)
{
	container_end(w, ']');
}

void
jsonw_key(struct jsonw *w, const char *key)
{
	assert(w->depth > 0 && !w->after_key);
	if (w->has_items)
		buf_putc(w->out, ',');
	if (w->pretty)
		newline_indent(w, w->depth);
	escape_string(w->out, key != NULL ? key : "",
	    key != NULL ? strlen(key) : 0, 1);
	buf_putc(w->out, ':');
	if (w->pretty)
		buf_putc(w->out, ' ');
	w->after_key = 1;
	/* The comma before the next key is due once this value is out. */
	w->has_items = 1;
}

void
jsonw_string(struct jsonw *w, const char *s)
{
	if (s == NULL)
		jsonw_null(w);
	else
		jsonw_string_len(w, s, strlen(s));
}

void
jsonw_string_len(struct jsonw *w, const char *s, size_t len)
{
	before_value(w);
	escape_string(w->out, s != NULL ? s : "", s != NULL ? len : 0, 1);
	w->has_items = 1;
}

void
jsonw_json(struct jsonw *w, const char *json)
{
	if (json == NULL) {
		jsonw_null(w);
		return;
	}
	before_value(w);
	buf_puts(w->out, json);
	w->has_items = 1;
}

void
jsonw_int(struct jsonw *w, int64_t v)
{
	before_value(w);
	buf_printf(w->out, "%" PRId64, v);
	w->has_items = 1;
}

void
jsonw_raw(struct jsonw *w, const char *number_lexeme)
{
	before_value(w);
	if (number_lexeme != NULL && number_ok(number_lexeme))
		buf_puts(w->out, number_lexeme);
	else
		buf_puts(w->out, "null");
	w->has_items = 1;
}

void
jsonw_bool(struct jsonw *w, int v)
{
	before_value(w);
	buf_puts(w->out, v ? "true" : "false");
	w->has_items = 1;
}

void
jsonw_null(struct jsonw *w)
{
	before_value(w);
	buf_puts(w->out, "null");
	w->has_items = 1;
}
