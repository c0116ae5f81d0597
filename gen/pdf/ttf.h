/*
 * ttf.h - read TrueType fonts and build small subset fonts for PDF.
 *
 * What it is for: the PDF back end embeds its own subset fonts
 * (CIDFontType2, Identity-H, FontFile2) instead of going through libharu's
 * TrueType path, which costs ~14 ms and 60-100 KB per invoice.  This
 * module gives it the code point -> glyph mapping, advance widths, the
 * FontDescriptor metrics and, per document, a minimal TrueType font that
 * holds only the glyphs the page uses.
 *
 * What it exports: struct ttf (opaque, read-only once opened),
 * struct ttf_metrics, struct ttf_subset and the ttf_* functions below.
 *
 * What it must not do: no drawing, no PDF syntax, no text shaping (the
 * caller passes glyph ids it chose), no global state, no printing.  Only
 * fonts with TrueType outlines ('glyf') are accepted; CFF-flavoured
 * OpenType ('OTTO') and collections ('ttcf') are refused.
 *
 * Calling sequence
 *     struct ttf *f;
 *     if (ttf_open(path, &f, err) != GEN_OK) return err->rc;
 *     gid = ttf_glyph(f, 0x0105);      // 0 = no glyph for that code point
 *     w = ttf_advance(f, gid);         // font units; ttf_pdf_units() scales
 *     ttf_subset_build(f, used, nused, &sub, err);  // FontFile2 bytes
 *     cid = ttf_subset_map(&sub, gid); // what the content stream shows
 *     ttf_subset_free(&sub); ttf_close(f);
 *
 * Threads: a struct ttf is never written after ttf_open returns, so one
 * opened font may be shared by any number of threads.  A struct
 * ttf_subset belongs to its builder.  Open each font once per process:
 * the parsing is cheap, but mapping and unmapping the file is not (on the
 * 2-core build VMs ttf_open takes 20-75 us, ttf_close 20-200 us).
 *
 * Errors: a file that cannot be read gives GEN_EIO; a font that is
 * truncated, malformed or of an unsupported kind gives GEN_EINPUT with a
 * message naming the file and the table ("NotoSans.ttf: table 'loca': ...").
 * Every read from the font is bounds-checked; lookups on a damaged font
 * return 0 rather than failing.
 */
#ifndef INVGEN_TTF_H
#define INVGEN_TTF_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "invgen.h"

struct ttf;

/*
 * Metrics for a PDF FontDescriptor and for layout.  All lengths are in
 * font units (units_per_em to the em) unless stated; y grows upwards.
 */
struct ttf_metrics {
	uint16_t units_per_em;	/* head; 16..16384 */
	uint16_t num_glyphs;	/* maxp */
	uint16_t cmap_format;	/* Unicode cmap used: 12 or 4; 0 when the
				 * font has none (it then maps nothing) */
	/* What layout and /Ascent, /Descent should use: the OS/2 typo
	 * values when OS/2 sets USE_TYPO_METRICS, else the hhea values. */
	int16_t	 ascender;
	int16_t	 descender;	/* negative below the baseline */
	int16_t	 line_gap;
	int16_t	 hhea_ascender, hhea_descender, hhea_line_gap;
	int16_t	 typo_ascender, typo_descender, typo_line_gap; /* 0: no OS/2 */
	uint16_t win_ascent, win_descent;		    /* 0: no OS/2 */
	/* OS/2 v2+ sCapHeight / sxHeight when present and non-zero, else
	 * the top of the glyph for 'H' / 'x', else 70 % / 50 % of ascender. */
	int16_t	 cap_height;
	int16_t	 x_height;
	int16_t	 bbox[4];	/* head: xMin, yMin, xMax, yMax */
	int32_t	 italic_angle;	/* post, 16.16 fixed-point degrees */
	uint16_t weight_class;	/* OS/2 usWeightClass (400 without OS/2) */
	uint16_t fs_type;	/* OS/2 embedding bits: 0x0002 = must not
				 * embed, 0x0100 = must not subset */
	int16_t	 stem_v;	/* estimate for /StemV from weight_class */
	uint32_t flags;		/* PDF FontDescriptor /Flags (see ttf.c) */
	char	 ps_name[64];	/* name id 6, ASCII 33..126 without PDF/PS
				 * delimiters; "Unnamed" when absent */
};

/*
 * Open the font file at path: the file is mapped read-only and its
 * tables located and checked.  On success *out owns the mapping; release
 * it with ttf_close().  GEN_EIO when the file cannot be opened or mapped,
 * GEN_EINPUT when it is not a usable TrueType font.
 */
enum gen_rc ttf_open(const char *path, struct ttf **out, struct gen_err *err);

/*
 * What ttf_open() checks first, with the same errors, without mapping the
 * file: a regular file of 12 bytes to 4 GiB, a TrueType sfnt version and
 * a table directory whose tables lie inside the file.  For a caller that
 * opens a font only when a glyph is needed but wants a missing, empty or
 * truncated file reported at once.
 */
enum gen_rc ttf_probe(const char *path, struct gen_err *err);

/*
 * Like ttf_open() on len bytes at data, without copying: data must stay
 * valid and unchanged until ttf_close().  name labels error messages
 * (NULL: "<memory>").
 */
enum gen_rc ttf_open_memory(const void *data, size_t len, const char *name,
    struct ttf **out, struct gen_err *err);

/* Release a font (unmaps the file).  NULL is a no-op. */
void ttf_close(struct ttf *f);

/* The font's metrics; valid until ttf_close(). */
const struct ttf_metrics *ttf_metrics(const struct ttf *f);

/*
 * The whole font file as opened (borrowed, valid and unchanged until
 * ttf_close()), for a shaping engine that reads the OpenType layout
 * tables itself (hbshape.c).  Its table directory was checked at open.
 */
const uint8_t *ttf_data(const struct ttf *f, size_t *len);

/*
 * Glyph id for a Unicode code point through the cmap (format 12 or 4,
 * binary search, O(log n)); 0 when the font has no glyph for it.
 */
uint16_t ttf_glyph(const struct ttf *f, uint32_t codepoint);

/* Advance width of glyph gid in font units; 0 when gid is out of range. */
uint16_t ttf_advance(const struct ttf *f, uint16_t gid);

/* v font units scaled to PDF glyph space (1/1000 em), rounded. */
int32_t ttf_pdf_units(const struct ttf *f, int32_t v);

/*
 * The raw 'glyf' record of glyph gid, borrowed from the font (valid until
 * ttf_close()); *len is 0 for an empty glyph such as the space.
 * GEN_EINPUT when gid is out of range or 'loca' points outside 'glyf'.
 */
enum gen_rc ttf_glyph_data(const struct ttf *f, uint16_t gid,
    const uint8_t **data, size_t *len, struct gen_err *err);

/*
 * A subset font.  data holds a complete TrueType file for a PDF FontFile2
 * (tables glyf, head, hhea, hmtx, loca, maxp, post; no hinting, no cmap).
 * New glyph i came from old glyph old_gid[i]: 0 is .notdef, then the
 * requested glyphs in ascending old order, then the components that
 * composite glyphs pulled in, in ascending old order.
 */
struct ttf_subset {
	struct buf data;
	uint16_t  *old_gid;	/* nglyphs entries */
	size_t	   nglyphs;
	uint16_t  *by_old;	/* private: the new gid of each old gid of
				 * the font (0: not in the subset) */
	size_t	   nfont;	/* private: entries of by_old */
};

/*
 * Build the subset holding glyph 0 and the n glyph ids in gids (any order,
 * duplicates and 0 allowed) plus every component they use.  The bytes
 * depend only on the font and the set of ids.  On success *out is filled
 * and must be released with ttf_subset_free(); on failure it is left
 * empty.  GEN_EINPUT when an id is out of range or a glyph is malformed.
 */
enum gen_rc ttf_subset_build(const struct ttf *f, const uint16_t *gids,
    size_t n, struct ttf_subset *out, struct gen_err *err);

/* New glyph id of old glyph old_gid in the subset; 0 when absent. */
uint16_t ttf_subset_map(const struct ttf_subset *s, uint16_t old_gid);

/*
 * The six upper-case letters for the subset's PDF name ("ABCDEF+Name"),
 * derived from the glyph set, so equal sets give equal tags.  tag must
 * hold 7 bytes; it is NUL-terminated.
 */
void ttf_subset_tag(const struct ttf_subset *s, char tag[7]);

/* Release a subset's memory; the struct is left zeroed.  NULL is a no-op. */
void ttf_subset_free(struct ttf_subset *s);

#endif
