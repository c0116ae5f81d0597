/*
 * textmemo.c - the per-thread memo of typeset text (textmemo.h): an
 * open-addressing hash table per thread (each slot holds its entry's
 * hash, so a lookup touches an entry only when the hash matches: walking
 * chains of entries was a cache miss per step, 3 % of a batch), found
 * through tls.h, whose
 * destructor lets go of it when the thread ends; entries counted by
 * reference (the table's own and one per layout sharing the lines).
 * Exports textmemo_find(), textmemo_share(), textmemo_add(),
 * textmemo_release(), textmemo_clear() and textmemo_stats().
 *
 * Must not: share a table between threads, change an entry once kept,
 * or typeset anything.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "memhash.h"
#include "textmemo.h"
#include "tls.h"

#define NSLOTS	 (2 * TEXTMEMO_MAX_ENTRIES)	/* a power of two: at
						 * most half full */
#define NSEEN	 16384		/* hashes of texts seen once */

struct entry {
	atomic_uint		 refs;	/* the table's + each sharer's */
	struct textmemo_key	 key;	/* key.text points into text[] */
	struct text_lines	 lines;
	int64_t			 widest;
	uint32_t		*missing;
	size_t			 nmissing;
	char			 text[];
};

struct slot {
	uint64_t	 hash;
	struct entry	*e;		/* NULL: empty */
};

struct memo {
	struct slot	 slot[NSLOTS];
	uint64_t	 seen[NSEEN];
	size_t		 entries;
	size_t		 bytes;
	uint64_t	 hits, misses;
};


static void
entry_free(struct entry *e)
{
	text_lines_free(&e->lines);	/* its own: memo is NULL */
	free(e->missing);
	free(e);
}

void
textmemo_release(void *entry)
{
	struct entry *e = entry;

	if (e != NULL && atomic_fetch_sub(&e->refs, 1) == 1)
		entry_free(e);
}

static void
memo_empty(struct memo *m)
{
	size_t i;

	for (i = 0; i < NSLOTS; i++)
		if (m->slot[i].e != NULL) {
			textmemo_release(m->slot[i].e);
			m->slot[i].e = NULL;
		}
	m->entries = m->bytes = 0;
}

static void
memo_free(void *v)
{
	struct memo *m = v;

	if (m == NULL)
		return;
	memo_empty(m);
	free(m);
}

static struct tls_key memo_key = TLS_KEY(sizeof(struct memo), memo_free);

/* The calling thread's memo, made on first use. */
static struct memo *
thread_memo(void)
{
	return tls_get(&memo_key);
}

static uint64_t
key_hash(const struct textmemo_key *k)
{
	int32_t f[5] = { k->style, k->size, k->max_width, k->flags,
	    k->measure };

	return memhash(k->text, k->len, memhash(f, sizeof(f),
	    (uint64_t)(uintptr_t)k->fs));
}

static int
key_equal(const struct textmemo_key *a, const struct textmemo_key *b)
{
	return a->fs == b->fs && a->style == b->style && a->size == b->size &&
	    a->max_width == b->max_width && a->flags == b->flags &&
	    a->measure == b->measure && a->len == b->len &&
	    memcmp(a->text, b->text, a->len) == 0;
}

int
textmemo_find(const struct textmemo_key *k, struct textmemo_hit *hit)
{
	struct memo *m = thread_memo();
	uint64_t h = key_hash(k);
	struct entry *e;

	for (size_t i = h & (NSLOTS - 1); (e = m->slot[i].e) != NULL;
	    i = (i + 1) & (NSLOTS - 1))
		if (m->slot[i].hash == h && key_equal(&e->key, k)) {
			hit->entry = e;
			hit->widest = e->widest;
			hit->missing = e->missing;
			hit->nmissing = e->nmissing;
			m->hits++;
			return 1;
		}
	m->misses++;
	return 0;
}

/* A copy of the n bytes at s (NULL stays NULL), counted in *bytes. */
static void *
dup_bytes(const void *s, size_t n, size_t *bytes)
{
	void *d;

	if (s == NULL)
		return NULL;
	d = xmalloc(n > 0 ? n : 1);
	memcpy(d, s, n);
	*bytes += n;
	return d;
}

/* The bytes the lines hold (for the table's limit). */
static size_t
lines_bytes(const struct text_lines *l)
{
	size_t i, k, n = l->n * sizeof(*l->lines);

	for (i = 0; i < l->n; i++) {
		const struct text_line *ln = &l->lines[i];

		n += ln->nruns * sizeof(*ln->runs);
		n += ln->text != NULL ? strlen(ln->text) + 1 : 0;
		for (k = 0; k < ln->nruns; k++)
			n += ln->runs[k].nglyphs * sizeof(*ln->runs[k].glyphs)
			    + (ln->runs[k].logical != NULL ?
			    strlen(ln->runs[k].logical) + 1 : 0);
	}
	return n;
}

void
textmemo_share(const struct textmemo_hit *hit, struct text_lines *out)
{
	struct entry *e = hit->entry;

	atomic_fetch_add(&e->refs, 1);
	out->lines = e->lines.lines;
	out->n = e->lines.n;
	out->memo = e;
}

void
textmemo_add(const struct textmemo_key *k, struct text_lines *lines,
    int64_t widest, const uint32_t *missing, size_t nmissing)
{
	struct memo *m = thread_memo();
	struct textmemo_hit hit;
	struct entry *e;
	size_t bytes = sizeof(*e) + k->len, i;
	uint64_t h;

	if (k->len > TEXTMEMO_MAX_TEXT || (lines != NULL && lines->memo !=
	    NULL))
		return;
	h = key_hash(k);
	/* Kept the second time (memhash_seen): a document's own number,
	 * its payer's name and address come once. */
	if (!memhash_seen(m->seen, NSEEN, h))
		return;
	e = xcalloc(1, sizeof(*e) + (k->len > 0 ? k->len : 1));
	atomic_init(&e->refs, 1);	/* the table's */
	e->key = *k;
	memcpy(e->text, k->text, k->len);
	e->key.text = e->text;
	e->widest = widest;
	e->missing = dup_bytes(missing, nmissing * sizeof(*missing), &bytes);
	e->nmissing = missing != NULL ? nmissing : 0;
	if (lines != NULL) {
		e->lines = *lines;	/* taken over */
		bytes += lines_bytes(lines);
		hit.entry = e;
		textmemo_share(&hit, lines);
	}
	if (m->entries + 1 > TEXTMEMO_MAX_ENTRIES ||
	    m->bytes + bytes > TEXTMEMO_MAX_BYTES)
		memo_empty(m);
	for (i = h & (NSLOTS - 1); m->slot[i].e != NULL;
	    i = (i + 1) & (NSLOTS - 1))
		;
	m->slot[i].hash = h;
	m->slot[i].e = e;
	m->entries++;
	m->bytes += bytes;
}

void
textmemo_clear(void)
{
	struct memo *m = thread_memo();

	memo_empty(m);
	memset(m->seen, 0, sizeof(m->seen));
}

void
textmemo_stats(uint64_t *hits, uint64_t *misses)
{
	struct memo *m = thread_memo();

	*hits = m->hits;
	*misses = m->misses;
}
