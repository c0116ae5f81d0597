/*
 * textmemo.h - a per-thread memo of typeset text for text.c: the lines of
 * text_layout_opts() and the widths of text_width(), keyed by everything
 * they depend on, so that the labels, dates and amounts every invoice
 * repeats are shaped and broken once per thread, not once per document.
 *
 * What it is for: a batch renders thousands of documents whose text is
 * mostly the same ("Invoice", "VAT rate", "21 %", "120,00 EUR", the
 * seller's block); shaping it again with HarfBuzz and ICU was a quarter of
 * a document's CPU time.  A result is a pure function of the key (the
 * fontset, the style, the size, the width limit, the flags and the text
 * bytes): the fontset is loaded once per process and never freed while
 * in use (text.h), and a fallback face, once opened, stays open.  So a
 * hit gives exactly the lines a new layout would: the bytes of a document
 * never depend on what the thread rendered before (the samples and
 * verify --archive compare them byte for byte).
 *
 * Sharing: a hit hands out the remembered lines themselves, read-only,
 * with a reference (struct text_lines.memo) that text_lines_free()
 * drops; an entry is freed when the memo has let go of it and the last
 * layout using it is freed (the count is atomic: lines may be freed by
 * another thread than the one that laid them out).  No copies.
 *
 * What it keeps: per thread (each thread its own table; no locks), a
 * result the second time its key is laid out (texts that come once per
 * document, its number, the payer's name, would otherwise push out those
 * that repeat), at most TEXTMEMO_MAX_ENTRIES results and
 * TEXTMEMO_MAX_BYTES of them; when either would be passed the thread's
 * table lets go of all it holds and starts again (bounded memory in a
 * batch of any length).  Failed layouts are never kept.  The table goes
 * when its thread ends.
 *
 * What it must not do: change a result once kept, or know how text is
 * typeset: text.c computes, this file remembers.
 */
#ifndef INVGEN_TEXTMEMO_H
#define INVGEN_TEXTMEMO_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define TEXTMEMO_MAX_ENTRIES	8192
#define TEXTMEMO_MAX_BYTES	(8u * 1024 * 1024)
/* Longer texts (notes, long addresses) are rare, unique and not kept. */
#define TEXTMEMO_MAX_TEXT	2048

/* What a typeset call depends on.  measure: 1 for text_width() (only
 * the widest line is kept), 0 for text_layout_opts(). */
struct textmemo_key {
	const struct fontset	*fs;
	int			 style;
	int32_t			 size;
	int32_t			 max_width;
	int			 flags;
	int			 measure;
	const char		*text;
	size_t			 len;
};

/* A remembered result: valid until the calling thread's next
 * textmemo_add() or textmemo_clear(), unless shared (textmemo_share). */
struct textmemo_hit {
	void			*entry;
	int64_t			 widest;
	const uint32_t		*missing;	/* characters no face had */
	size_t			 nmissing;
};

/* Look k up in the calling thread's memo: 1 and *hit filled, or 0. */
int textmemo_find(const struct textmemo_key *k, struct textmemo_hit *hit);

/* The lines of a hit into *out (overwritten), shared: out->memo holds a
 * reference that text_lines_free() gives back. */
void textmemo_share(const struct textmemo_hit *hit, struct text_lines *out);

/*
 * Remember a result for k, if k was seen before: the widest line, the
 * missing characters (sorted, each once) and, when lines is not NULL
 * (not measuring), the lines themselves, which the memo takes over: on
 * return *lines shares them (as textmemo_share).  A text longer than
 * TEXTMEMO_MAX_TEXT bytes is not kept (*lines is left as it was).
 */
void textmemo_add(const struct textmemo_key *k, struct text_lines *lines,
    int64_t widest, const uint32_t *missing, size_t nmissing);

/* Give back a reference of struct text_lines.memo (text_lines_free). */
void textmemo_release(void *entry);

/* Empty the calling thread's memo and forget what it has seen (tests;
 * bounded memory does the emptying alone). */
void textmemo_clear(void);

/* The calling thread's lookups that hit and missed, since it started. */
void textmemo_stats(uint64_t *hits, uint64_t *misses);

#endif
