/*
 * textmemo.c - the per-thread memo of typeset text (textmemo.h): a
 * chained hash table per thread, found through a pthread key whose
 * destructor frees it when the thread ends.  Exports textmemo_find(),
 * textmemo_add(), textmemo_copy_lines(), textmemo_clear() and
 * textmemo_stats().
 *
 * Must not: share a table between threads, hand out a result the caller
 * could change, or typeset anything.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "memhash.h"
#include "textmemo.h"

#define NBUCKETS 4096		/* a power of two */

struct entry {
	struct entry		*next;	/* same bucket */
	uint64_t		 hash;
	struct textmemo_key	 key;	/* key.text points into text[] */
	struct text_lines	 lines;
	int64_t			 widest;
	uint32_t		*missing;
	size_t			 nmissing;
	char			 text[];
};

struct memo {
	struct entry	*bucket[NBUCKETS];
	size_t		 entries;
	size_t		 bytes;
	uint64_t	 hits, misses;
};

static pthread_key_t memo_key;
static pthread_once_t memo_once = PTHREAD_ONCE_INIT;

static void
entry_free(struct entry *e)
{
	text_lines_free(&e->lines);
	free(e->missing);
	free(e);
}

static void
memo_empty(struct memo *m)
{
	struct entry *e, *next;
	size_t i;

	for (i = 0; i < NBUCKETS; i++) {
		for (e = m->bucket[i]; e != NULL; e = next) {
			next = e->next;
			entry_free(e);
		}
		m->bucket[i] = NULL;
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

static void
memo_init(void)
{
	pthread_key_create(&memo_key, memo_free);
}

/* The calling thread's memo, made on first use. */
static struct memo *
thread_memo(void)
{
	struct memo *m;

	pthread_once(&memo_once, memo_init);
	if ((m = pthread_getspecific(memo_key)) == NULL) {
		m = xcalloc(1, sizeof(*m));
		pthread_setspecific(memo_key, m);
	}
	return m;
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

	for (e = m->bucket[h & (NBUCKETS - 1)]; e != NULL; e = e->next)
		if (e->hash == h && key_equal(&e->key, k)) {
			hit->lines = &e->lines;
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

/* The deep copy, adding the bytes it allocates to *bytes. */
static void
copy_lines(struct text_lines *dst, const struct text_lines *src,
    size_t *bytes)
{
	size_t i, k;

	dst->n = src->n;
	dst->lines = dup_bytes(src->lines, src->n * sizeof(*src->lines),
	    bytes);
	for (i = 0; i < src->n; i++) {
		struct text_line *dl = &dst->lines[i];
		const struct text_line *sl = &src->lines[i];

		dl->text = sl->text == NULL ? NULL :
		    dup_bytes(sl->text, strlen(sl->text) + 1, bytes);
		dl->runs = dup_bytes(sl->runs, sl->nruns * sizeof(*sl->runs),
		    bytes);
		for (k = 0; k < sl->nruns; k++) {
			struct text_run *dr = &dl->runs[k];
			const struct text_run *sr = &sl->runs[k];

			dr->glyphs = dup_bytes(sr->glyphs, sr->nglyphs *
			    sizeof(*sr->glyphs), bytes);
			dr->logical = sr->logical == NULL ? NULL :
			    dup_bytes(sr->logical, strlen(sr->logical) + 1,
			    bytes);
		}
	}
}

void
textmemo_copy_lines(struct text_lines *dst, const struct text_lines *src)
{
	size_t ignore = 0;

	copy_lines(dst, src, &ignore);
}

void
textmemo_add(const struct textmemo_key *k, const struct text_lines *lines,
    int64_t widest, const uint32_t *missing, size_t nmissing)
{
	struct memo *m = thread_memo();
	struct entry *e;
	size_t bytes = sizeof(*e) + k->len;
	uint64_t h;

	if (k->len > TEXTMEMO_MAX_TEXT)
		return;
	h = key_hash(k);
	e = xcalloc(1, sizeof(*e) + (k->len > 0 ? k->len : 1));
	e->hash = h;
	e->key = *k;
	memcpy(e->text, k->text, k->len);
	e->key.text = e->text;
	if (lines != NULL)
		copy_lines(&e->lines, lines, &bytes);
	e->widest = widest;
	e->missing = dup_bytes(missing, nmissing * sizeof(*missing), &bytes);
	e->nmissing = missing != NULL ? nmissing : 0;
	if (m->entries + 1 > TEXTMEMO_MAX_ENTRIES ||
	    m->bytes + bytes > TEXTMEMO_MAX_BYTES)
		memo_empty(m);
	e->next = m->bucket[h & (NBUCKETS - 1)];
	m->bucket[h & (NBUCKETS - 1)] = e;
	m->entries++;
	m->bytes += bytes;
}

void
textmemo_clear(void)
{
	memo_empty(thread_memo());
}

void
textmemo_stats(uint64_t *hits, uint64_t *misses)
{
	struct memo *m = thread_memo();

	*hits = m->hits;
	*misses = m->misses;
}
