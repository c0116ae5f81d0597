/*
 * text.c - typesetting of UTF-8 text into lines of positioned glyph runs
 * (see text.h): the fontset cache, face fallback, measuring, ICU line
 * breaking, and the visual order of each line, with the text engine of
 * layout version 1 (ICU, steps 2 and 3 below) or of version 2
 * (HarfBuzz, collect_glyphs_hb: code points, ICU's bidi runs, a face and a
 * script per character, items of one face, script and direction shaped by
 * hbshape.c in the paragraph's context, then the same logical order of
 * clusters for breaking and the same visual order for drawing).
 *
 * Exports fontset_get(), fontset_get_list(), fontset_count(), fontset_face(),
 * fontset_face_name(), text_layout(), text_width(), text_metrics(),
 * text_draw_line(), text_lines_free() and text_warnings_free().
 * Must not print, write files or keep per-call state in globals (the
 * per-thread memo of results, textmemo.c, gives back exactly what a new
 * layout would); bidi ordering and Arabic shaping belong to shape.c, font
 * parsing to ttf.c.
 *
 * How a paragraph is laid out:
 *   1. The text is copied with ill-formed UTF-8 (maximal subparts, as
 *      shape.c does) and U+0000 replaced by U+FFFD, and cut into
 *      paragraphs at
 *      the bidi paragraph separators.
 *   2. A paragraph with right-to-left or Arabic characters goes through
 *      shape_paragraph() once, for the whole paragraph: Arabic forms and
 *      the resolved bidi order depend on the whole paragraph, not the
 *      line.  Plain left-to-right text skips it (one glyph per character
 *      in logical order is exactly what shape.c would give).
 *   3. The glyphs are put in logical order (shape.c gives each glyph's
 *      source byte range; ranges are disjoint and increasing) and each
 *      gets its face, glyph id and width.
 *   4. Lines are broken in logical order: the widest prefix ending at an
 *      ICU line-break opportunity whose width, without the spaces at its
 *      end, fits; a word wider than the line is cut at grapheme-cluster
 *      boundaries.  Never inside a glyph (a lam-alef ligature).
 *   5. Each line's visual order is the paragraph's visual order (shape.c's
 *      runs, left to right) restricted to the line's glyphs.  This is the
 *      Unicode bidi algorithm's per-line reordering (rule L2): the order
 *      of two characters depends only on the lowest embedding level
 *      between them, which a line (a contiguous logical range) keeps.
 *      Rule L1 (trailing spaces take the paragraph level) needs nothing:
 *      those spaces are not drawn.
 *
 * Process-global state: the fontset cache below, the only one (the memo
 * of typeset text is per thread: textmemo.h).  Fonts are
 * immutable and opening one costs page faults (ttf_open 30-200 us per
 * face, ttf_close 20-200 us, measured on the build VMs), so each fonts
 * directory is loaded once, under a mutex, and then only read.  Only the
 * first face of each style is opened with it; a fallback face is checked
 * then (ttf_probe: present, a TrueType file, its table directory inside
 * it) but opened when a character first needs it, under face_lock, and
 * published with a release store: a Latin invoice never maps the CJK
 * fonts, which saves a fresh process ~1 ms.  The ICU
 * line and character break iterators are opened once per fontset as
 * templates and ubrk_clone()d per text_layout() call that needs to break
 * (clone 0.14 us against ubrk_open 3.5 us; ICU documents cloning as
 * thread-safe), so no iterator is ever shared between threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include "err.h"
#include "hbshape.h"
#include "shape.h"
#include "text.h"
#include "textmemo.h"

#define FONTS_FILE	"fonts.txt"
#define FONTS_FILE_MAX	(64 * 1024)
#define FONTSET_MAX_FACES 48
#define TEXT_MAX_SIZE	1000000		/* 1000 pt */
#define NSTYLES		2
/* Characters below this have their face looked up at load time. */
#define FAST_CPS	0x180
/* A face of a style's chain drawn emboldened (fonts.txt). */
#define EMBOLDEN	"embolden:"
#define EMBOLDEN_LEN	(sizeof(EMBOLDEN) - 1)
/* Fixed locale for the break rules: never the process default. */
#define BREAK_LOCALE	"root"

struct face {
	char		*name;		/* file name in the fonts directory */
	char		*path;		/* dir/name */
	char		*where;		/* "dir/fonts.txt:LINE: ", for errors */
	struct ttf	*ttf;		/* NULL until opened: face_open() */
	int32_t		 upem;		/* set before ttf is published */
	struct hbshape_font *hb;	/* HarfBuzz engine: NULL until a run
					 * of the face is shaped: face_hb() */
	char		*error;		/* why opening failed, or NULL */
	enum gen_rc	 error_rc;
};

/* The fallback chain of one style. */
struct chain {
	int		 face[FONTSET_MAX_FACES];
	size_t		 n;
	int		 line;		/* fonts.txt line; 0: not defined */
	/* Per face id: 1 when the chain draws that face emboldened
	 * ("embolden:FACE.ttf"). */
	uint8_t		 embolden[FONTSET_MAX_FACES];
	/* U+0000..U+017F: the glyph in the chain's first face (-1: it
	 * has none, or pick_face() treats the character specially; then
	 * the rest of the chain is searched). */
	int8_t		 fast_face[FAST_CPS];
	uint16_t	 fast_gid[FAST_CPS];
};

struct fontset {
	char		*dir;		/* the cache key, as given, */
	char		*list;		/* with the font list's name */
	enum text_engine engine;	/* and the engine */
	struct face	 faces[FONTSET_MAX_FACES];
	size_t		 nfaces;
	struct chain	 chain[NSTYLES];
	UBreakIterator	*line_tmpl;	/* templates, only ever cloned */
	UBreakIterator	*char_tmpl;
	struct fontset	*next;
};

static const char *const style_names[NSTYLES] = { "regular", "bold" };

/* The fontset cache and lazily opened faces: see the file comment. */
static pthread_mutex_t fontset_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t face_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fontset *fontsets;

/* ---- characters ---- */

/* The code point at byte off of valid UTF-8 s (len bytes); its end in
 * *next when next is not NULL. */
static uint32_t
cp_at(const char *s, size_t len, size_t off, size_t *next)
{
	int32_t i = (int32_t)off;
	UChar32 c;

	U8_NEXT((const uint8_t *)s, i, (int32_t)len, c);
	if (next != NULL)
		*next = (size_t)i;
	return c < 0 ? 0xFFFD : (uint32_t)c;
}

/* A combining mark (general category Mn, Mc or Me). */
static int
is_mark(uint32_t c)
{
	return c >= 0x300 && (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/* Characters that draw nothing: default ignorables (ZWJ, ZWNJ, soft
 * hyphen, variation selectors, bidi controls, word joiner, ...). */
static int
is_ignorable(uint32_t c)
{
	return c >= 0xAD &&
	    u_hasBinaryProperty((UChar32)c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* Spaces that hang at the end of a line: neither drawn nor measured. */
static int
is_hanging_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200A && c != 0x2007) || c == 0x205F ||
	    c == 0x3000;
}

/* ---- fontset ---- */

/* Release a fontset that never entered the cache; NULL is a no-op. */
static void
fontset_free(struct fontset *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->nfaces; i++) {
		free(fs->faces[i].name);
		free(fs->faces[i].path);
		free(fs->faces[i].where);
		free(fs->faces[i].error);
		hbshape_font_free(fs->faces[i].hb);
		ttf_close(fs->faces[i].ttf);
	}
	if (fs->line_tmpl != NULL)
		ubrk_close(fs->line_tmpl);
	if (fs->char_tmpl != NULL)
		ubrk_close(fs->char_tmpl);
	free(fs->dir);
	free(fs->list);
	free(fs);
}

/*
 * Read the whole file at path into b.  GEN_EIO when it cannot be read,
 * GEN_EINPUT when it is larger than FONTS_FILE_MAX.
 */
static enum gen_rc
read_small_file(const char *path, struct buf *b, struct gen_err *err)
{
	char ebuf[128], chunk[4096];
	enum gen_rc rc = GEN_OK;
	FILE *f;
	size_t n;

	if ((f = fopen(path, "r")) == NULL)
		return gen_err_set(err, GEN_EIO, "%s: cannot open: %s; "
		    "allowed: a fonts directory holding " FONTS_FILE, path,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > FONTS_FILE_MAX) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: longer than %d "
			    "bytes; allowed up to %d", path, FONTS_FILE_MAX,
			    FONTS_FILE_MAX);
			goto out;
		}
		buf_append(b, chunk, n);
	}
	if (ferror(f))
		rc = gen_err_set(err, GEN_EIO, "%s: cannot read: %s", path,
		    strerror_r(errno, ebuf, sizeof(ebuf)));
out:
	fclose(f);
	return rc;
}

/*
 * The opened font of face id, opening it on first use; NULL with err set
 * (from ttf_open(), prefixed with "fonts.txt:LINE: "; GEN_EIO also for a
 * damaged font, which ttf_open() calls GEN_EINPUT) if it cannot be, then
 * and on every later call.  Safe from any thread.
 */
static const struct ttf *
face_open(const struct fontset *fs, int id, struct gen_err *err)
{
	/* The fontset is shared read-only; only this fills its faces. */
	struct face *f = (struct face *)&fs->faces[id];
	struct ttf *t = __atomic_load_n(&f->ttf, __ATOMIC_ACQUIRE);
	struct gen_err e = { 0 };

	if (t != NULL)
		return t;
	pthread_mutex_lock(&face_lock);
	if (f->ttf == NULL && f->error == NULL) {
		if (ttf_open(f->path, &t, &e) == GEN_OK) {
			f->upem = ttf_metrics(t)->units_per_em;
			__atomic_store_n(&f->ttf, t, __ATOMIC_RELEASE);
		} else {
			f->error = xstrdup(e.msg);
			/* A font file that is not a usable font is a damaged
			 * installation, not refused input. */
			f->error_rc = e.rc == GEN_EINPUT ? GEN_EIO : e.rc;
		}
	}
	t = f->ttf;
	if (t == NULL)
		gen_err_set(err, f->error_rc, "%s%s", f->where, f->error);
	pthread_mutex_unlock(&face_lock);
	return t;
}

/*
 * The HarfBuzz font of an opened face, made on first use (so that a
 * process that only checks characters, `invgen order add`, never loads
 * HarfBuzz); NULL with err set when HarfBuzz cannot be loaded or make it.
 * Safe from any thread.
 */
static const struct hbshape_font *
face_hb(const struct fontset *fs, int id, struct gen_err *err)
{
	struct face *f = (struct face *)&fs->faces[id];
	struct hbshape_font *h = __atomic_load_n(&f->hb, __ATOMIC_ACQUIRE);
	enum gen_rc rc = GEN_OK;

	if (h != NULL)
		return h;
	pthread_mutex_lock(&face_lock);
	if (f->hb == NULL && (rc = hbshape_font_new(f->ttf, &h, err)) ==
	    GEN_OK)
		__atomic_store_n(&f->hb, h, __ATOMIC_RELEASE);
	h = f->hb;
	pthread_mutex_unlock(&face_lock);
	if (h == NULL && rc == GEN_OK)
		gen_err_set(err, GEN_EINTERNAL, "%s: no HarfBuzz font",
		    f->name);
	return h;
}

/* The font of a face that is known to be open (it drew a glyph). */
static const struct ttf *
face_font(const struct fontset *fs, int id)
{
	return __atomic_load_n(&fs->faces[id].ttf, __ATOMIC_ACQUIRE);
}

/*
 * The face id of file name (len bytes) in fs, adding it on first use:
 * checked with ttf_probe() now, opened by face_open() when needed.
 * GEN_EIO or GEN_EINPUT from ttf_probe(), prefixed with "path:line: ".
 */
static enum gen_rc
face_id(struct fontset *fs, const char *path, int line, const char *name,
    size_t len, int *id, struct gen_err *err)
{
	struct buf fp = { 0 };
	struct face *f;
	enum gen_rc rc;
	size_t i;

	for (i = 0; i < fs->nfaces; i++)
		if (strlen(fs->faces[i].name) == len &&
		    memcmp(fs->faces[i].name, name, len) == 0) {
			*id = (int)i;
			return GEN_OK;
		}
	if (fs->nfaces == FONTSET_MAX_FACES)
		return gen_err_set(err, GEN_EINPUT, "%s:%d: more than %d "
		    "faces; allowed up to %d", path, line, FONTSET_MAX_FACES,
		    FONTSET_MAX_FACES);
	buf_printf(&fp, "%s/%.*s", fs->dir, (int)len, name);
	if ((rc = ttf_probe(fp.data, err)) != GEN_OK) {
		gen_err_prefix(err, "%s:%d: ", path, line);
		buf_free(&fp);
		return rc;
	}
	f = &fs->faces[fs->nfaces];
	f->path = buf_detach(&fp, NULL);
	f->name = xstrndup(name, len);
	buf_printf(&fp, "%s:%d: ", path, line);
	f->where = buf_detach(&fp, NULL);
	*id = (int)fs->nfaces++;
	return GEN_OK;
}

/*
 * Parse line number lineno (s, len bytes, without the newline) of
 * fonts.txt at path into fs: blank, a comment ('#' first), or a style
 * name and its faces.  GEN_EINPUT for a bad line, or a face's error.
 */
static enum gen_rc
parse_line(struct fontset *fs, const char *path, int lineno, const char *s,
    size_t len, struct gen_err *err)
{
	const char *tok[FONTSET_MAX_FACES + 1];
	size_t tlen[FONTSET_MAX_FACES + 1];
	size_t ntok = 0, i = 0, j, k, st;
	struct chain *ch;
	enum gen_rc rc;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\r'))
			i++;
		if (i == len)
			break;
		if (ntok == 0 && s[i] == '#')
			return GEN_OK;
		if (ntok == FONTSET_MAX_FACES + 1)
			return gen_err_set(err, GEN_EINPUT, "%s:%d: more than "
			    "%d faces; allowed up to %d", path, lineno,
			    FONTSET_MAX_FACES, FONTSET_MAX_FACES);
		tok[ntok] = s + i;
		while (i < len && s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			i++;
		tlen[ntok] = (size_t)(s + i - tok[ntok]);
		ntok++;
	}
	if (ntok == 0)
		return GEN_OK;
	for (st = 0; st < NSTYLES; st++)
		if (strlen(style_names[st]) == tlen[0] &&
		    memcmp(style_names[st], tok[0], tlen[0]) == 0)
			break;
	if (st == NSTYLES)
		return gen_err_set(err, GEN_EINPUT, "%s:%d: style '%.*s' "
		    "unknown; allowed: regular, bold", path, lineno,
		    (int)tlen[0], tok[0]);
	ch = &fs->chain[st];
	if (ch->line != 0)
		return gen_err_set(err, GEN_EINPUT, "%s:%d: style '%s' "
		    "already defined on line %d; allowed: one line per style",
		    path, lineno, style_names[st], ch->line);
	if (ntok == 1)
		return gen_err_set(err, GEN_EINPUT, "%s:%d: style '%s' names "
		    "no face; allowed: one or more font file names", path,
		    lineno, style_names[st]);
	ch->line = lineno;
	for (j = 1; j < ntok; j++) {
		int bold = 0;

		if (tlen[j] > EMBOLDEN_LEN &&
		    memcmp(tok[j], EMBOLDEN, EMBOLDEN_LEN) == 0) {
			bold = 1;
			tok[j] += EMBOLDEN_LEN;
			tlen[j] -= EMBOLDEN_LEN;
		}
		if (memchr(tok[j], '/', tlen[j]) != NULL ||
		    memchr(tok[j], ':', tlen[j]) != NULL ||
		    (tlen[j] == 1 && tok[j][0] == '.') ||
		    (tlen[j] == 2 && memcmp(tok[j], "..", 2) == 0))
			return gen_err_set(err, GEN_EINPUT, "%s:%d: face "
			    "'%.*s' is not a file name; allowed: names of "
			    "files in %s, without '/' or ':' (or "
			    "embolden:NAME)", path, lineno,
			    (int)tlen[j], tok[j], fs->dir);
		if ((rc = face_id(fs, path, lineno, tok[j], tlen[j],
		    &ch->face[ch->n], err)) != GEN_OK)
			return rc;
		for (k = 0; k < ch->n; k++)
			if (ch->face[k] == ch->face[ch->n])
				return gen_err_set(err, GEN_EINPUT, "%s:%d: "
				    "face '%.*s' listed twice; allowed: each "
				    "face once per style", path, lineno,
				    (int)tlen[j], tok[j]);
		ch->embolden[ch->face[ch->n]] = (uint8_t)bold;
		ch->n++;
	}
	return GEN_OK;
}

/* Open the chain's first face and fill its table for U+0000..U+017F. */
static enum gen_rc
prepare_chain(struct fontset *fs, struct chain *ch, struct gen_err *err)
{
	const struct ttf *first;
	uint16_t gid;
	uint32_t cp;

	if ((first = face_open(fs, ch->face[0], err)) == NULL)
		return err->rc;
	for (cp = 0; cp < FAST_CPS; cp++) {
		ch->fast_face[cp] = -1;
		if (cp == '\t' || is_ignorable(cp))
			continue;
		if ((gid = ttf_glyph(first, cp)) != 0) {
			ch->fast_face[cp] = (int8_t)ch->face[0];
			ch->fast_gid[cp] = gid;
		}
	}
	return GEN_OK;
}

/*
 * Load the fontset of dir: parse dir/list (fonts.txt), open its faces and
 * the break iterator templates.  On success *out is a new fontset.
 */
static enum gen_rc
fontset_load(const char *dir, const char *list, enum text_engine engine,
    struct fontset **out, struct gen_err *err)
{
	struct fontset *fs;
	struct buf path = { 0 }, data = { 0 };
	UErrorCode st = U_ZERO_ERROR;
	enum gen_rc rc;
	const char *p, *end, *nl;
	int lineno = 0;
	size_t i;

	*out = NULL;
	fs = xcalloc(1, sizeof(*fs));
	fs->dir = xstrdup(dir);
	fs->list = xstrdup(list);
	fs->engine = engine;
	buf_printf(&path, "%s/%s", dir, list);
	if ((rc = read_small_file(path.data, &data, err)) != GEN_OK)
		goto out;
	p = data.data;
	end = p + data.len;
	while (p != NULL && p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		lineno++;
		if ((rc = parse_line(fs, path.data, lineno, p,
		    (size_t)((nl != NULL ? nl : end) - p), err)) != GEN_OK)
			goto out;
		p = nl != NULL ? nl + 1 : NULL;
	}
	for (i = 0; i < NSTYLES; i++) {
		if (fs->chain[i].line == 0) {
			rc = gen_err_set(err, GEN_EINPUT, "%s: style '%s' "
			    "missing; allowed: a line '%s FACE.ttf ...'",
			    path.data, style_names[i], style_names[i]);
			goto out;
		}
		if ((rc = prepare_chain(fs, &fs->chain[i], err)) != GEN_OK)
			goto out;
	}
	fs->line_tmpl = ubrk_open(UBRK_LINE, BREAK_LOCALE, NULL, 0, &st);
	if (U_SUCCESS(st))
		fs->char_tmpl = ubrk_open(UBRK_CHARACTER, BREAK_LOCALE, NULL,
		    0, &st);
	if (U_FAILURE(st)) {
		rc = gen_err_set(err, GEN_EICU, "%s: cannot open ICU break "
		    "iterators: %s", dir, u_errorName(st));
		goto out;
	}
	*out = fs;
	fs = NULL;
out:
	fontset_free(fs);
	buf_free(&path);
	buf_free(&data);
	return rc;
}

enum gen_rc
fontset_get(const char *fonts_dir, const struct fontset **out,
    struct gen_err *err)
{
	return fontset_get_list(fonts_dir, FONTS_FILE, TEXT_ENGINE_HARFBUZZ,
	    out, err);
}

enum gen_rc
fontset_get_list(const char *fonts_dir, const char *list,
    enum text_engine engine, const struct fontset **out,
    struct gen_err *err)
{
	struct fontset *fs;
	enum gen_rc rc = GEN_OK;

	*out = NULL;
	if (fonts_dir == NULL || *fonts_dir == '\0')
		return gen_err_set(err, GEN_EINPUT, "fonts_dir: empty; "
		    "allowed: a directory holding " FONTS_FILE);
	if (list == NULL || *list == '\0' || strchr(list, '/') != NULL)
		return gen_err_set(err, GEN_EINPUT, "font list: '%s' is not a "
		    "file name; allowed: a name without '/' (fonts.txt)",
		    list != NULL ? list : "");
	if (engine != TEXT_ENGINE_ICU && engine != TEXT_ENGINE_HARFBUZZ)
		return gen_err_set(err, GEN_EINPUT, "text engine: %d unknown; "
		    "allowed: TEXT_ENGINE_ICU, TEXT_ENGINE_HARFBUZZ",
		    (int)engine);
	pthread_mutex_lock(&fontset_lock);
	for (fs = fontsets; fs != NULL; fs = fs->next)
		if (strcmp(fs->dir, fonts_dir) == 0 &&
		    strcmp(fs->list, list) == 0 && fs->engine == engine)
			break;
	if (fs == NULL && (rc = fontset_load(fonts_dir, list, engine, &fs,
	    err)) == GEN_OK) {
		fs->next = fontsets;
		fontsets = fs;
	}
	pthread_mutex_unlock(&fontset_lock);
	*out = fs;
	return rc;
}

enum text_engine
fontset_engine(const struct fontset *fs)
{
	return fs->engine;
}

size_t
fontset_count(const struct fontset *fs)
{
	return fs->nfaces;
}

const struct ttf *
fontset_face(const struct fontset *fs, int face)
{
	if (face < 0 || (size_t)face >= fs->nfaces)
		return NULL;
	return face_font(fs, face);
}

const char *
fontset_face_name(const struct fontset *fs, int face)
{
	if (face < 0 || (size_t)face >= fs->nfaces)
		return NULL;
	return fs->faces[face].name;
}

/* ---- warnings ---- */

void
text_warnings_free(struct text_warnings *w)
{
	if (w == NULL)
		return;
	free(w->missing);
	w->missing = NULL;
	w->n = w->cap = 0;
}

/* Record cp once, keeping the list sorted; w may be NULL. */
static void
warn_add(struct text_warnings *w, uint32_t cp)
{
	size_t lo = 0, hi, mid;

	if (w == NULL)
		return;
	hi = w->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->missing[mid] == cp)
			return;
		if (w->missing[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	w->missing = xgrow(w->missing, w->n, &w->cap, 8, sizeof(*w->missing));
	memmove(w->missing + lo + 1, w->missing + lo,
	    (w->n - lo) * sizeof(*w->missing));
	w->missing[lo] = cp;
	w->n++;
}

/* ---- layout ---- */

/* A glyph of a paragraph; the paragraph keeps them in logical order. */
struct pglyph {
	uint32_t	 cp;		/* drawn: presentation form, mirror */
	size_t		 src, srclen;	/* logical bytes it stands for (the
					 * HarfBuzz engine: its cluster's) */
	int		 face;		/* -1: draws nothing (ignorable) */
	uint16_t	 gid;
	int64_t		 w;		/* advance at the size, millipoints */
	/* The HarfBuzz engine only: */
	int32_t		 dx, dy;	/* offset from the pen, millipoints */
	int32_t		 item;		/* the shaped item it came from */
	int32_t		 word;		/* left-to-right word number, or -1 */
	uint8_t		 text;		/* carries its cluster's text */
	uint8_t		 rtl;		/* its item is right-to-left */
	uint8_t		 span;		/* its word needs /ActualText */
	uint8_t		 bold;		/* drawn emboldened (both engines) */
};

struct para {
	const char	*text;		/* valid UTF-8, no separator */
	size_t		 len;
	int		 newline;	/* a separator followed it */
	int		 rtl;		/* resolved paragraph direction */
	struct shape_text *st;		/* NULL: plain left-to-right text */
	struct pglyph	*g;		/* logical order, src increasing */
	size_t		 ng;
	int32_t		*gat;		/* shaped: byte offset -> g index */
	int		 hb;		/* the HarfBuzz engine made g */
	int32_t		*vis;		/* HarfBuzz: g indices, visual order */
	size_t		 nvis;
	int64_t		*pre;		/* pre[i]: width of g[0..i) */
	size_t		*maxend;	/* maxend[i]: last end in g[0..i) */
	size_t		*opps;		/* line-break opportunities */
	size_t		 nopps;
	int		 have_opps;
};

/* What one text_layout() or text_width() call works with. */
struct ctx {
	const struct fontset	*fs;
	const struct chain	*ch;
	int32_t			 size;
	int32_t			 max;		/* 0: no limit */
	struct text_warnings	*warn;
	struct text_lines	*out;		/* NULL: measure only */
	int			 nocut;		/* TEXT_NO_CUT */
	int			 balance;	/* TEXT_BALANCE */
	int			 dry;		/* count lines, emit nothing */
	size_t			 dry_lines;
	int64_t			 dry_widest;
	size_t			 cap;		/* of out->lines */
	int64_t			 widest;
	UBreakIterator		*lb, *cb;	/* clones, opened lazily */
	int			 lb_para, cb_para; /* their text */
	UText			*ut;
	int			 ut_para;	/* ut holds this paragraph */
	int			 npara;		/* current paragraph */
	struct gen_err		*err;
	enum gen_rc		 rc;		/* a face that failed to open */
};

/* Does the paragraph need shape.c (right-to-left or Arabic text, bidi
 * embeddings or isolates)?  Everything else is one left-to-right run of
 * one glyph per character. */
static int
needs_shaping(const char *s, size_t len)
{
	size_t o = 0;
	uint32_t c;

	while (o < len) {
		if ((unsigned char)s[o] < 0x80) {
			o++;
			continue;
		}
		c = cp_at(s, len, o, &o);
		if (c < 0x590)
			continue;
		switch (u_charDirection((UChar32)c)) {
		case U_RIGHT_TO_LEFT:
		case U_RIGHT_TO_LEFT_ARABIC:
		case U_ARABIC_NUMBER:
		case U_LEFT_TO_RIGHT_EMBEDDING:
		case U_LEFT_TO_RIGHT_OVERRIDE:
		case U_RIGHT_TO_LEFT_EMBEDDING:
		case U_RIGHT_TO_LEFT_OVERRIDE:
		case U_POP_DIRECTIONAL_FORMAT:
		case U_LEFT_TO_RIGHT_ISOLATE:
		case U_RIGHT_TO_LEFT_ISOLATE:
		case U_FIRST_STRONG_ISOLATE:
		case U_POP_DIRECTIONAL_ISOLATE:
			return 1;
		default:
			break;
		}
	}
	return 0;
}

static int64_t
scale(const struct ctx *c, int face, int64_t v)
{
	int64_t upem = c->fs->faces[face].upem;

	if (v < 0)
		return -((-v * c->size + upem / 2) / upem);
	return (v * c->size + upem / 2) / upem;
}

/* The first face of the chain with a glyph for cp; -1 if none (or a
 * face could not be opened: c->rc says so). */
static int
chain_find(struct ctx *c, uint32_t cp, uint16_t *gid)
{
	const struct ttf *t;
	size_t i;

	for (i = 0; i < c->ch->n; i++) {
		if ((t = face_open(c->fs, c->ch->face[i], c->err)) == NULL) {
			c->rc = c->err->rc;
			return -1;
		}
		if ((*gid = ttf_glyph(t, cp)) != 0)
			return c->ch->face[i];
	}
	return -1;
}

/* What draws a missing character: U+FFFD from the first face that has
 * it, else '?', else glyph 0 of the first face. */
static int
replacement(struct ctx *c, uint16_t *gid)
{
	int face;

	if ((face = chain_find(c, 0xFFFD, gid)) >= 0 ||
	    (face = chain_find(c, '?', gid)) >= 0)
		return face;
	*gid = 0;
	return c->ch->face[0];
}

/*
 * Give g its face, glyph and width.  lcp is the logical character at
 * g->src; base is the face of the preceding base character (-1: none).
 * A character no face has draws as the replacement and is recorded.
 */
static void
pick_face(struct ctx *c, struct pglyph *g, uint32_t lcp, int base)
{
	uint16_t gid = 0;
	int face = -1;

	if (is_ignorable(lcp)) {
		g->face = -1;
		g->w = 0;
		return;
	}
	if (g->cp < FAST_CPS && c->ch->fast_face[g->cp] >= 0) {
		face = c->ch->fast_face[g->cp];
		gid = c->ch->fast_gid[g->cp];
		goto found;
	}
	if (g->cp == '\t')
		g->cp = ' ';
	if (base >= 0 && is_mark(lcp))
		if ((gid = ttf_glyph(face_font(c->fs, base), g->cp)) != 0)
			face = base;
	if (face < 0)
		face = chain_find(c, g->cp, &gid);
	if (face < 0 && lcp != g->cp && lcp != '\t' &&
	    (face = chain_find(c, lcp, &gid)) >= 0)
		g->cp = lcp;	/* no presentation form: draw the letter */
	if (face < 0 && c->rc == GEN_OK) {
		warn_add(c->warn, lcp);
		face = replacement(c, &gid);
	}
	if (c->rc != GEN_OK) {
		/* the layout fails; keep the glyph harmless meanwhile */
		face = c->ch->face[0];
		gid = 0;
	}
found:
	g->face = face;
	g->gid = gid;
	g->w = scale(c, face, ttf_advance(face_font(c->fs, face), gid));
}

/* Index of the first glyph of p with src >= off. */
static size_t
first_at(const struct para *p, size_t off)
{
	size_t lo = 0, hi = p->ng, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (p->g[mid].src < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Width of the glyphs whose source starts in [s, e). */
static int64_t
width_of(const struct para *p, size_t s, size_t e)
{
	return p->pre[first_at(p, e)] - p->pre[first_at(p, s)];
}

/* May a line end at byte off (not inside a glyph's source range)? */
static int
breakable(const struct para *p, size_t off)
{
	return off == 0 || off >= p->len || p->maxend[first_at(p, off)] <= off;
}

/* The end of [s, e) without the hanging spaces at its end. */
static size_t
trim(const struct para *p, size_t s, size_t e)
{
	int32_t i;
	UChar32 ch;

	while (e > s) {
		i = (int32_t)e;
		U8_PREV((const uint8_t *)p->text, (int32_t)s, i, ch);
		if (ch < 0 || !is_hanging_space((uint32_t)ch))
			break;
		e = (size_t)i;
	}
	return e;
}

/*
 * Fill p->g (logical order) from plain text or from p->st, then give
 * each glyph its face and width and build the prefix arrays.
 */
static void
collect_glyphs(struct ctx *c, struct para *p)
{
	size_t i, k, o, n = 0, next;
	int base = -1;
	uint32_t lcp;

	if (p->st == NULL) {
		p->g = xcalloc(p->len + 1, sizeof(*p->g));
		for (o = 0; o < p->len; o = next) {
			p->g[n].cp = cp_at(p->text, p->len, o, &next);
			p->g[n].src = o;
			p->g[n].srclen = next - o;
			n++;
		}
	} else {
		/* Mark the source offsets, number them in logical order,
		 * then place each glyph at its number. */
		p->gat = xmalloc((p->len + 1) * sizeof(*p->gat));
		for (o = 0; o <= p->len; o++)
			p->gat[o] = -1;
		for (i = 0; i < p->st->nruns; i++)
			for (k = 0; k < p->st->runs[i].n; k++)
				p->gat[p->st->runs[i].glyphs[k].src] = 0;
		for (o = 0; o < p->len; o++)
			if (p->gat[o] == 0)
				p->gat[o] = (int32_t)n++;
		p->g = xcalloc(n + 1, sizeof(*p->g));
		for (i = 0; i < p->st->nruns; i++)
			for (k = 0; k < p->st->runs[i].n; k++) {
				const struct shape_glyph *sg =
				    &p->st->runs[i].glyphs[k];
				struct pglyph *g = &p->g[p->gat[sg->src]];

				g->cp = sg->cp;
				g->src = sg->src;
				g->srclen = sg->srclen;
			}
	}
	p->ng = n;
	p->pre = xmalloc((n + 1) * sizeof(*p->pre));
	p->maxend = xmalloc((n + 1) * sizeof(*p->maxend));
	p->pre[0] = 0;
	p->maxend[0] = 0;
	for (i = 0; i < n; i++) {
		struct pglyph *g = &p->g[i];
		size_t end = g->src + g->srclen;

		lcp = cp_at(p->text, p->len, g->src, NULL);
		pick_face(c, g, lcp, base);
		if (g->face >= 0 && !is_mark(lcp))
			base = g->face;
		p->pre[i + 1] = p->pre[i] + g->w;
		p->maxend[i + 1] = end > p->maxend[i] ? end : p->maxend[i];
	}
}

/* ---- the HarfBuzz engine (layout version 2 and later) ---- */

/* One shaped item: code points [s, e) of one bidi run, face, script. */
struct hbitem {
	size_t		 s, e;
	int		 face;
	UScriptCode	 sc;
	int		 rtl;
	uint8_t		 bold;
	uint8_t		 missing;	/* drawn as the replacement glyph */
	uint16_t	 rgid;		/* the replacement's glyph id */
};

/* A glyph as shaped, in visual order, before it joins p->g. */
struct hbg {
	uint16_t	 gid;
	size_t		 cl;		/* cluster: index of a code point */
	int64_t		 w;
	int32_t		 dx, dy;
	int32_t		 item;
};

/*
 * The face for code point cp after a character drawn with face prev
 * (-1: none): a mark, an inherited or a common character (space, digit,
 * punctuation) stays in prev's face when it has the glyph, so that a run
 * is not cut at every space; anything else takes the first face of the
 * chain that has it.  -1 when no face has it (or a face could not be
 * opened: c->rc says so).
 */
static int
hb_pick(struct ctx *c, uint32_t cp, UScriptCode sc, int prev)
{
	uint16_t gid;

	if (cp < FAST_CPS && c->ch->fast_face[cp] >= 0 &&
	    (prev < 0 || prev == c->ch->fast_face[cp] ||
	    (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED)))
		return c->ch->fast_face[cp];
	if (prev >= 0 && (is_mark(cp) || sc == USCRIPT_COMMON ||
	    sc == USCRIPT_INHERITED) && ttf_glyph(face_font(c->fs, prev),
	    cp) != 0)
		return prev;
	return chain_find(c, cp, &gid);
}

/* Index of the code point starting at byte off (off[] ascending). */
static size_t
cp_index(const size_t *off, size_t n, size_t o)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (off[mid] < o)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Whether a left-to-right word, glyphs v[a..b) in visual order, needs its
 * text as /ActualText: its glyphs do not spell it one cluster per glyph,
 * in order, at the pen (a conjunct, a reordered vowel, a positioned mark).
 * Text extractors then put spaces into the word or the marks in the wrong
 * place; measured with poppler on Devanagari and Bengali names.
 */
static int
word_needs_span(const struct hbg *v, size_t a, size_t b)
{
	size_t i;

	for (i = a; i < b; i++) {
		if (v[i].dx != 0 || v[i].dy != 0)
			return 1;
		if (i > a && v[i].cl <= v[i - 1].cl)
			return 1;	/* two glyphs of a cluster, or
					 * reordered */
	}
	return 0;
}

/*
 * The HarfBuzz engine's glyphs of paragraph p: code points, bidi runs
 * (shape_bidi), a face and a script per code point, items (a bidi run's
 * longest stretches of one face, script and emboldening), each shaped
 * with HarfBuzz in the paragraph's context; then p->g in logical order
 * (by cluster) with p->vis, the visual order, and the prefix arrays.
 * Errors go to c->rc.
 */
static void
collect_glyphs_hb(struct ctx *c, struct para *p)
{
	uint32_t *cps = NULL;
	size_t *off = NULL, n = 0, o, next, i, k, ni = 0, capi = 16;
	size_t nv = 0, capv = 0, *start = NULL, *runs = NULL, nruns;
	int *face = NULL, prev;
	UScriptCode *sc = NULL, last;
	struct hbitem *it = NULL;
	struct hbg *v = NULL;
	struct shape_text *st = NULL;
	UErrorCode ust = U_ZERO_ERROR;
	enum gen_rc rc;
	int32_t word = 0;

	/* Code points; a tab draws as a space. */
	cps = xmalloc((p->len + 1) * sizeof(*cps));
	off = xmalloc((p->len + 1) * sizeof(*off));
	for (o = 0; o < p->len; o = next) {
		off[n] = o;
		cps[n] = cp_at(p->text, p->len, o, &next);
		if (cps[n] == '\t')
			cps[n] = ' ';
		n++;
	}
	off[n] = p->len;

	/* Bidi runs as [start, end, rtl] triples of code point indices, in
	 * visual order. */
	if (needs_shaping(p->text, p->len)) {
		if ((rc = shape_bidi(p->text, p->len, SHAPE_AUTO, &st,
		    c->err)) != GEN_OK) {
			c->rc = rc;
			goto out;
		}
		p->rtl = st->rtl;
		nruns = st->nruns;
		runs = xmalloc((nruns + 1) * 3 * sizeof(*runs));
		for (i = 0; i < nruns; i++) {
			runs[3 * i] = cp_index(off, n, st->runs[i].start);
			runs[3 * i + 1] = cp_index(off, n, st->runs[i].start +
			    st->runs[i].len);
			runs[3 * i + 2] = (size_t)st->runs[i].rtl;
		}
	} else {
		nruns = n > 0;
		runs = xmalloc(3 * sizeof(*runs));
		runs[0] = 0;
		runs[1] = n;
		runs[2] = 0;
	}

	/* Scripts: common and inherited characters take the script before
	 * them (the first real one at the start). */
	sc = xmalloc((n + 1) * sizeof(*sc));
	last = USCRIPT_COMMON;
	for (i = 0; i < n; i++) {
		sc[i] = uscript_getScript((UChar32)cps[i], &ust);
		if (U_FAILURE(ust))
			sc[i] = USCRIPT_COMMON;
		ust = U_ZERO_ERROR;
	}
	/* Faces, with the script as ICU gives it (common, inherited). */
	face = xmalloc((n + 1) * sizeof(*face));
	it = xmalloc(capi * sizeof(*it));
	prev = -1;
	for (i = 0; i < n; i++) {
		if (is_ignorable(cps[i])) {
			face[i] = -2;		/* follows its neighbours */
			continue;
		}
		face[i] = hb_pick(c, cps[i], sc[i], prev);
		if (c->rc != GEN_OK)
			goto out;
		if (face[i] >= 0)
			prev = face[i];
		else
			warn_add(c->warn, cps[i]);
	}
	for (i = n; i-- > 0;)		/* ignorables: the next face */
		if (face[i] == -2)
			face[i] = i + 1 < n && face[i + 1] >= 0 ?
			    face[i + 1] : -3;
	for (i = 0, prev = c->ch->face[0]; i < n; i++) {
		if (face[i] == -3)	/* ... else the one before */
			face[i] = prev;
		if (face[i] >= 0)
			prev = face[i];
	}
	for (i = 0; i < n; i++) {
		if (sc[i] == USCRIPT_COMMON || sc[i] == USCRIPT_INHERITED ||
		    sc[i] == USCRIPT_UNKNOWN)
			sc[i] = last;
		else
			last = sc[i];
	}
	for (i = n, last = USCRIPT_COMMON; i-- > 0;) {
		if (sc[i] == USCRIPT_COMMON)
			sc[i] = last;
		else
			last = sc[i];
	}

	/* Items, in logical order within each bidi run. */
	for (k = 0; k < nruns; k++) {
		size_t rs = runs[3 * k], re = runs[3 * k + 1];

		for (i = rs; i < re; i++) {
			struct hbitem *cur = ni > 0 ? &it[ni - 1] : NULL;
			int f = face[i], miss = f == -1;

			if (miss) {
				uint16_t rg;

				f = replacement(c, &rg);
				if (c->rc != GEN_OK)
					goto out;
				cur = NULL;	/* each its own item */
				it = xgrow(it, ni, &capi, 16, sizeof(*it));
				it[ni].rgid = rg;
			} else if (cur != NULL && cur->e == i && !cur->missing &&
			    cur->face == f && cur->sc == sc[i]) {
				cur->e = i + 1;
				continue;
			}
			it = xgrow(it, ni, &capi, 16, sizeof(*it));
			it[ni].s = i;
			it[ni].e = i + 1;
			it[ni].face = f;
			it[ni].sc = sc[i];
			it[ni].rtl = (int)runs[3 * k + 2];
			it[ni].bold = c->ch->embolden[f];
			it[ni].missing = (uint8_t)miss;
			ni++;
		}
	}

	/* Shape: bidi runs in visual order, the items of a right-to-left
	 * run from its logical end. */
	for (k = 0, i = 0; k < nruns; k++) {
		size_t a = i, b, j;

		while (i < ni && it[i].s < runs[3 * k + 1] &&
		    it[i].s >= runs[3 * k])
			i++;
		b = i;
		for (j = 0; j < b - a; j++) {
			size_t x = runs[3 * k + 2] ? b - 1 - j : a + j;
			struct hbitem *t = &it[x];
			const struct hbshape_font *hf = NULL;
			struct hbshape_glyph *hg = NULL;
			size_t nh = 0, h;

			if (t->missing) {
				const struct ttf *tf = face_font(c->fs,
				    t->face);

				nh = 1;
				hg = xcalloc(1, sizeof(*hg));
				hg->gid = t->rgid;
				hg->cluster = (uint32_t)t->s;
				hg->adv = ttf_advance(tf, t->rgid);
			} else if ((hf = face_hb(c->fs, t->face, c->err)) ==
			    NULL || (rc = hbshape_run(hf, cps, n, t->s,
			    t->e - t->s, t->rtl, uscript_getShortName(t->sc),
			    &hg, &nh, c->err)) != GEN_OK) {
				c->rc = hf == NULL ? c->err->rc : rc;
				goto out;
			}
			if (nv + nh + 1 > capv) {
				capv = 2 * (nv + nh + 1);
				v = xrealloc(v, capv * sizeof(*v));
			}
			for (h = 0; h < nh; h++) {
				v[nv].gid = hg[h].gid;
				v[nv].cl = hg[h].cluster;
				v[nv].w = scale(c, t->face, hg[h].adv);
				v[nv].dx = (int32_t)scale(c, t->face, hg[h].dx);
				v[nv].dy = (int32_t)scale(c, t->face, hg[h].dy);
				v[nv].item = (int32_t)x;
				nv++;
			}
			free(hg);
		}
	}

	/* Logical order: by cluster, stable (a cluster's glyphs keep their
	 * visual order). */
	start = xcalloc(n + 2, sizeof(*start));
	for (i = 0; i < nv; i++)
		start[v[i].cl + 1]++;
	for (i = 0; i < n; i++)
		start[i + 1] += start[i];
	p->g = xcalloc(nv + 1, sizeof(*p->g));
	p->vis = xmalloc((nv + 1) * sizeof(*p->vis));
	p->nvis = nv;
	for (i = 0; i < nv; i++) {
		size_t at = start[v[i].cl]++;
		struct pglyph *g = &p->g[at];
		const struct hbitem *t = &it[v[i].item];

		p->vis[i] = (int32_t)at;
		g->cp = cps[v[i].cl];
		g->src = v[i].cl;	/* a code point index for now */
		g->face = t->face;
		g->gid = v[i].gid;
		g->w = v[i].w;
		g->dx = v[i].dx;
		g->dy = v[i].dy;
		g->item = v[i].item;
		g->rtl = (uint8_t)t->rtl;
		g->bold = t->bold;
		g->word = -1;
	}
	p->ng = nv;

	/* Clusters: each glyph's text is its cluster, up to the next
	 * cluster of its item; the widest glyph of a cluster carries it. */
	for (i = 0; i < nv; i = k) {
		size_t end, best = i;

		for (k = i + 1; k < nv && p->g[k].src == p->g[i].src &&
		    p->g[k].item == p->g[i].item; k++)
			if (p->g[k].w > p->g[best].w)
				best = k;
		end = k < nv && p->g[k].item == p->g[i].item ? p->g[k].src :
		    it[p->g[i].item].e;
		p->g[best].text = 1;
		if (i == 0 || p->g[i - 1].item != p->g[i].item)
			start[0] = it[p->g[i].item].s;	/* the item's first
							 * cluster takes
							 * what HarfBuzz
							 * removed before it */
		else
			start[0] = p->g[i].src;
		for (size_t j = i; j < k; j++) {
			p->g[j].srclen = off[end] - off[start[0]];
			p->g[j].src = off[start[0]];
		}
	}

	/* Words of left-to-right items, and which need /ActualText. */
	for (i = 0; i < nv; i = k) {
		const struct pglyph *g = &p->g[p->vis[i]];
		int space = u_isUWhiteSpace((UChar32)g->cp);

		for (k = i + 1; k < nv; k++) {
			const struct pglyph *h = &p->g[p->vis[k]];

			if (h->item != g->item || h->rtl ||
			    u_isUWhiteSpace((UChar32)h->cp) != space)
				break;
		}
		if (g->rtl || space)
			continue;
		{
			int span = word_needs_span(v, i, k);

			for (size_t j = i; j < k; j++) {
				p->g[p->vis[j]].word = word;
				p->g[p->vis[j]].span = (uint8_t)span;
			}
			word++;
		}
	}

	p->pre = xmalloc((nv + 1) * sizeof(*p->pre));
	p->maxend = xmalloc((nv + 1) * sizeof(*p->maxend));
	p->pre[0] = 0;
	p->maxend[0] = 0;
	for (i = 0; i < nv; i++) {
		size_t end = p->g[i].src + p->g[i].srclen;

		p->pre[i + 1] = p->pre[i] + p->g[i].w;
		p->maxend[i + 1] = end > p->maxend[i] ? end : p->maxend[i];
	}
out:
	shape_text_free(st);
	free(cps);
	free(off);
	free(runs);
	free(sc);
	free(face);
	free(it);
	free(v);
	free(start);
}

/*
 * Clone *it from tmpl on first use and point it at paragraph p's text
 * (*it_para: the paragraph it holds).  GEN_EICU when ICU fails.
 */
static enum gen_rc
breaker(struct ctx *c, struct para *p, UBreakIterator **it, int *it_para,
    const UBreakIterator *tmpl)
{
	UErrorCode st = U_ZERO_ERROR;

	if (*it == NULL) {
		*it = ubrk_clone(tmpl, &st);
		if (U_FAILURE(st))
			return gen_err_set(c->err, GEN_EICU, "text: cannot "
			    "clone a break iterator: %s", u_errorName(st));
		*it_para = -1;
	}
	if (c->ut_para != c->npara) {
		c->ut = utext_openUTF8(c->ut, p->text, (int64_t)p->len, &st);
		c->ut_para = c->npara;
	}
	if (U_SUCCESS(st) && *it_para != c->npara) {
		ubrk_setUText(*it, c->ut, &st);
		*it_para = c->npara;
	}
	if (U_FAILURE(st))
		return gen_err_set(c->err, GEN_EICU, "text: line breaking "
		    "failed: %s", u_errorName(st));
	return GEN_OK;
}

/* All line-break opportunities of p after offset 0, ascending. */
static enum gen_rc
find_opps(struct ctx *c, struct para *p)
{
	size_t cap = 16;
	int32_t b;
	enum gen_rc rc;

	if ((rc = breaker(c, p, &c->lb, &c->lb_para, c->fs->line_tmpl)) !=
	    GEN_OK)
		return rc;
	p->opps = xmalloc(cap * sizeof(*p->opps));
	for (b = ubrk_first(c->lb); b != UBRK_DONE; b = ubrk_next(c->lb)) {
		if (b <= 0)
			continue;
		p->opps = xgrow(p->opps, p->nopps, &cap, 16, sizeof(*p->opps));
		p->opps[p->nopps++] = (size_t)b;
	}
	p->have_opps = 1;
	return GEN_OK;
}

/*
 * Where to cut a word that does not fit: the last grapheme-cluster
 * boundary in (s, wend) after which [s, cut) fits, else the first one
 * (a cluster wider than the line gets a line of its own), else wend.
 */
static enum gen_rc
cut_word(struct ctx *c, struct para *p, size_t s, size_t wend, int32_t max,
    size_t *cut)
{
	size_t best = 0, first = 0;
	int32_t g;
	enum gen_rc rc;

	if ((rc = breaker(c, p, &c->cb, &c->cb_para, c->fs->char_tmpl)) !=
	    GEN_OK)
		return rc;
	for (g = ubrk_following(c->cb, (int32_t)s);
	    g != UBRK_DONE && (size_t)g < wend; g = ubrk_next(c->cb)) {
		if (!breakable(p, (size_t)g))
			continue;
		if (first == 0)
			first = (size_t)g;
		if (width_of(p, s, trim(p, s, (size_t)g)) > max)
			break;
		best = (size_t)g;
	}
	*cut = best != 0 ? best : first != 0 ? first : wend;
	return GEN_OK;
}

/* A run being built. */
struct runb {
	struct text_run	*r;
	size_t		 cap;
	size_t		 lo, hi;	/* logical byte range of its glyphs */
	int		 vrun;		/* index of the shape run (HarfBuzz:
					 * of the item) */
	int		 word;		/* the word of a span run, else -1 */
};

/* The logical characters glyph g stands for (at most three). */
static void
glyph_cps(const struct para *p, const struct pglyph *g,
    struct canvas_glyph *cg)
{
	size_t o = g->src, end = g->src + g->srclen, next;
	uint32_t ch;

	cg->ncp = 0;
	if (p->hb) {
		/* The glyph that carries its cluster's text. */
		while (g->text && o < end && cg->ncp < 3) {
			cg->cp[cg->ncp++] = cp_at(p->text, p->len, o, &next);
			o = next;
		}
		return;
	}
	if (g->srclen == 0) {
		cg->cp[cg->ncp++] = cp_at(p->text, p->len, o, NULL);
		return;
	}
	/* A ligature: its letters, not the marks inside it (they have
	 * glyphs of their own). */
	while (o < end && cg->ncp < 3) {
		ch = cp_at(p->text, p->len, o, &next);
		if (o == g->src || !is_mark(ch))
			cg->cp[cg->ncp++] = ch;
		o = next;
	}
}

/* Finish the run being built: a right-to-left run and a span run get
 * their logical text (their glyphs come from one contiguous logical
 * range). */
static void
close_run(const struct para *p, struct runb *rb)
{
	if (rb->r != NULL && (rb->r->rtl || (rb->r->flags & CANVAS_TEXT_SPAN)))
		rb->r->logical = xstrndup(p->text + rb->lo, rb->hi - rb->lo);
	rb->r = NULL;
}

/* Add glyph gi of p, from shape run vrun of direction rtl, to line l:
 * a new run starts where the face, the direction or the shape run
 * changes.  Glyphs that draw nothing are left out. */
static void
add_glyph(const struct para *p, struct text_line *l, struct runb *rb,
    size_t gi, int rtl, int vrun)
{
	const struct pglyph *g = &p->g[gi];
	struct text_run *r = rb->r;
	struct canvas_glyph *cg;
	int word = g->span ? g->word : -1;
	int flags = (p->hb ? CANVAS_TEXT_POSITIONED : 0) |
	    (g->bold ? CANVAS_TEXT_EMBOLDEN : 0) |
	    (word >= 0 ? CANVAS_TEXT_SPAN : 0);

	if (g->face < 0)
		return;
	if (r == NULL || r->face != g->face || r->rtl != rtl ||
	    rb->vrun != vrun || rb->word != word || r->flags != flags) {
		close_run(p, rb);
		l->runs = xrealloc(l->runs, (l->nruns + 1) * sizeof(*l->runs));
		r = rb->r = &l->runs[l->nruns++];
		memset(r, 0, sizeof(*r));
		r->face = g->face;
		r->rtl = rtl;
		r->flags = flags;
		rb->cap = 0;
		rb->lo = g->src;
		rb->hi = g->src + g->srclen;
		rb->vrun = vrun;
		rb->word = word;
	}
	r->glyphs = xgrow(r->glyphs, r->nglyphs, &rb->cap, 16,
	    sizeof(*r->glyphs));
	cg = &r->glyphs[r->nglyphs++];
	memset(cg, 0, sizeof(*cg));
	cg->gid = g->gid;
	glyph_cps(p, g, cg);
	if (p->hb) {
		cg->adv = (int32_t)g->w;
		cg->dx = g->dx;
		cg->dy = g->dy;
	}
	r->width += (int32_t)g->w;
	l->width += (int32_t)g->w;
	if (g->src < rb->lo)
		rb->lo = g->src;
	if (g->src + g->srclen > rb->hi)
		rb->hi = g->src + g->srclen;
}

/*
 * Emit the line [s, b) of p, drawn part [s, e), into c->out with its runs
 * in visual order: the paragraph's visual order restricted to the line.
 * GEN_EINPUT when it is wider than INT32_MAX millipoints.
 */
static enum gen_rc
emit_line(struct ctx *c, struct para *p, size_t s, size_t b, size_t e)
{
	struct text_line *l;
	struct runb rb = { NULL, 0, 0, 0, -1, -1 };
	size_t i, k, gi;
	int64_t w = width_of(p, s, e);

	if (w > INT32_MAX)
		return gen_err_set(c->err, GEN_EINPUT, "text: a line is %lld "
		    "millipoints wide; allowed up to %d", (long long)w,
		    INT32_MAX);
	if (c->dry) {
		c->dry_lines++;
		if (w > c->dry_widest)
			c->dry_widest = w;
		return GEN_OK;
	}
	if (w > c->widest)
		c->widest = w;
	if (c->out == NULL)
		return GEN_OK;
	c->out->lines = xgrow(c->out->lines, c->out->n, &c->cap, 4,
	    sizeof(*c->out->lines));
	l = &c->out->lines[c->out->n++];
	memset(l, 0, sizeof(*l));
	l->rtl = p->rtl;
	l->text = xstrndup(p->text + s, b - s);
	l->newline = b == p->len && p->newline;
	if (p->hb) {
		for (i = 0; i < p->nvis; i++) {
			gi = (size_t)p->vis[i];
			if (p->g[gi].src >= s && p->g[gi].src < e)
				add_glyph(p, l, &rb, gi, p->g[gi].rtl,
				    p->g[gi].item);
		}
	} else if (p->st == NULL) {
		for (gi = first_at(p, s); gi < p->ng && p->g[gi].src < e; gi++)
			add_glyph(p, l, &rb, gi, 0, 0);
	} else {
		for (i = 0; i < p->st->nruns; i++) {
			const struct shape_run *sr = &p->st->runs[i];

			if (sr->start >= e || sr->start + sr->len <= s)
				continue;
			for (k = 0; k < sr->n; k++) {
				gi = (size_t)p->gat[sr->glyphs[k].src];
				if (p->g[gi].src >= s && p->g[gi].src < e)
					add_glyph(p, l, &rb, gi, sr->rtl,
					    (int)i);
			}
		}
	}
	close_run(p, &rb);
	return GEN_OK;
}

/* Free what a paragraph owns (not its text). */
static void
para_free(struct para *p)
{
	shape_text_free(p->st);
	free(p->g);
	free(p->gat);
	free(p->vis);
	free(p->pre);
	free(p->maxend);
	free(p->opps);
	memset(p, 0, sizeof(*p));
}

/*
 * Break paragraph p into lines no wider than max (0: no limit), greedily
 * (each line takes the most text that fits), and emit them (with c->dry,
 * only count them).  Errors from ICU or emit_line().
 */
static enum gen_rc
break_para(struct ctx *c, struct para *p, int32_t max)
{
	size_t s = 0, k = 0, j, e, best, wend;
	enum gen_rc rc;

	for (;;) {
		e = trim(p, s, p->len);
		if (max == 0 || width_of(p, s, e) <= max)
			return emit_line(c, p, s, p->len, e);
		if (!p->have_opps && (rc = find_opps(c, p)) != GEN_OK)
			return rc;
		while (k < p->nopps && p->opps[k] <= s)
			k++;
		/* The last opportunity that fits; wend: the end of the
		 * first word when even that does not fit. */
		best = 0;
		wend = p->len;
		for (j = k; j < p->nopps && p->opps[j] < p->len; j++) {
			if (!breakable(p, p->opps[j]))
				continue;
			if (width_of(p, s, trim(p, s, p->opps[j])) > max) {
				wend = p->opps[j];
				break;
			}
			best = p->opps[j];
		}
		/* Nothing fits: the first word alone, whole (TEXT_NO_CUT,
		 * wider than the line) or cut between characters. */
		if (best == 0 && c->nocut)
			best = wend;
		else if (best == 0 && (rc = cut_word(c, p, s, wend, max,
		    &best)) != GEN_OK)
			return rc;
		if ((rc = emit_line(c, p, s, best, trim(p, s, best))) !=
		    GEN_OK)
			return rc;
		if (best >= p->len)
			return GEN_OK;
		s = best;
	}
}

/*
 * The narrowest width, to a tenth of a point, at which p breaks into no
 * more lines than at c->max and no line is wider than at c->max
 * (TEXT_BALANCE): the lines come out of even length ("Unit price / excl.
 * VAT", not "Unit price excl. / VAT").  Breaking an already shaped
 * paragraph again is cheap: only the widths are summed.
 */
static enum gen_rc
balanced_width(struct ctx *c, struct para *p, int32_t *out)
{
	size_t n;
	int64_t widest;
	int32_t lo = 0, hi = c->max, mid;
	enum gen_rc rc = GEN_OK;

	*out = c->max;
	c->dry = 1;
	c->dry_lines = 0;
	c->dry_widest = 0;
	if ((rc = break_para(c, p, c->max)) != GEN_OK || c->dry_lines < 2)
		goto out;
	n = c->dry_lines;
	widest = c->dry_widest;
	while (hi - lo > 100) {
		mid = lo + (hi - lo) / 2;
		c->dry_lines = 0;
		c->dry_widest = 0;
		if ((rc = break_para(c, p, mid)) != GEN_OK)
			goto out;
		if (c->dry_lines <= n && c->dry_widest <= widest &&
		    c->dry_widest <= mid)
			hi = mid;
		else
			lo = mid;
	}
	*out = hi;
out:
	c->dry = 0;
	return rc;
}

/*
 * Lay out paragraph p: shape it (ICU or HarfBuzz, by the fontset's
 * engine), give its glyphs faces and widths, and emit its lines.  Errors
 * from shaping, ICU or emit_line().
 */
static enum gen_rc
layout_para(struct ctx *c, struct para *p)
{
	int32_t max = c->max;
	enum gen_rc rc;

	if (c->fs->engine == TEXT_ENGINE_HARFBUZZ) {
		p->hb = 1;
		collect_glyphs_hb(c, p);
	} else {
		if (needs_shaping(p->text, p->len)) {
			if ((rc = shape_paragraph(p->text, p->len, SHAPE_AUTO,
			    &p->st, c->err)) != GEN_OK)
				return rc;
			p->rtl = p->st->rtl;
		}
		collect_glyphs(c, p);
	}
	if (c->rc != GEN_OK)
		return c->rc;
	if (c->balance && max > 0 && width_of(p, 0, trim(p, 0, p->len)) >
	    max && (rc = balanced_width(c, p, &max)) != GEN_OK)
		return rc;
	return break_para(c, p, max);
}

/* Is c a paragraph separator (bidi class B, as shape.c refuses)? */
static int
is_separator(uint32_t c)
{
	if (c < 0x80)
		return c == '\n' || c == '\r' || (c >= 0x1C && c <= 0x1E);
	return u_charDirection((UChar32)c) == U_BLOCK_SEPARATOR;
}

/* Copy len bytes of utf8 into b with every ill-formed sequence (maximal
 * subpart, ICU's U8_NEXT) and every U+0000 replaced by U+FFFD: a NUL
 * would end the text for ICU's shaping and for C strings downstream. */
static void
sanitise(const char *utf8, size_t len, struct buf *b)
{
	const uint8_t *s = (const uint8_t *)utf8;
	int32_t i = 0, n = (int32_t)len, start, run = 0;
	UChar32 ch;

	buf_grow(b, len + 1);
	while (i < n) {
		if (s[i] == 0) {
			buf_append(b, s + run, (size_t)(i - run));
			buf_append(b, "\xEF\xBF\xBD", 3);
			run = ++i;
			continue;
		}
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		start = i;
		U8_NEXT(s, i, n, ch);
		if (ch >= 0)
			continue;
		buf_append(b, s + run, (size_t)(start - run));
		buf_append(b, "\xEF\xBF\xBD", 3);
		run = i;
	}
	buf_append(b, s + run, (size_t)(n - run));
}

/*
 * The common body of text_layout() (out set) and text_width() (out
 * NULL; *widest gets the widest line).  See text_layout() for errors.
 */
static enum gen_rc
typeset(const struct fontset *fs, enum text_style style, const char *utf8,
    size_t len, int32_t size, int32_t max, int flags, struct text_lines *out,
    struct text_warnings *warn, int64_t *widest, struct gen_err *err)
{
	struct ctx c;
	struct para p;
	struct buf t = { 0 };
	size_t o, next, ps;
	uint32_t ch;
	enum gen_rc rc = GEN_OK;

	memset(&p, 0, sizeof(p));
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (fs == NULL)
		return gen_err_set(err, GEN_EINPUT, "fontset: NULL; allowed: "
		    "one from fontset_get()");
	if ((unsigned)style >= NSTYLES)
		return gen_err_set(err, GEN_EINPUT, "style: %d unknown; "
		    "allowed: TEXT_REGULAR, TEXT_BOLD", (int)style);
	if (size < 1 || size > TEXT_MAX_SIZE)
		return gen_err_set(err, GEN_EINPUT, "size: %ld millipoints is "
		    "out of range; allowed 1..%d", (long)size, TEXT_MAX_SIZE);
	if (max < 0)
		return gen_err_set(err, GEN_EINPUT, "max_width: %ld is "
		    "negative; allowed 0 (no limit) or more", (long)max);
	if ((rc = shape_check_text(utf8, len, err)) != GEN_OK)
		return rc;

	memset(&c, 0, sizeof(c));
	c.fs = fs;
	c.ch = &fs->chain[style];
	c.size = size;
	c.max = max;
	c.nocut = (flags & TEXT_NO_CUT) != 0;
	c.balance = (flags & TEXT_BALANCE) != 0;
	c.warn = warn;
	c.out = out;
	c.ut_para = c.lb_para = c.cb_para = -1;
	c.err = err;
	if (len > 0)
		sanitise(utf8, len, &t);

	for (o = ps = 0; o < t.len; o = next) {
		if ((unsigned char)t.data[o] < 0x80) {
			ch = (unsigned char)t.data[o];
			next = o + 1;
		} else
			ch = cp_at(t.data, t.len, o, &next);
		if (!is_separator(ch))
			continue;
		p.text = t.data + ps;
		p.len = o - ps;
		p.newline = 1;
		if ((rc = layout_para(&c, &p)) != GEN_OK)
			goto out;
		para_free(&p);
		c.npara++;
		if (ch == '\r' && next < t.len && t.data[next] == '\n')
			next++;
		ps = next;
	}
	if (ps < t.len) {
		p.text = t.data + ps;
		p.len = t.len - ps;
		if ((rc = layout_para(&c, &p)) != GEN_OK)
			goto out;
	}
	if (widest != NULL)
		*widest = c.widest;
out:
	para_free(&p);
	if (c.lb != NULL)
		ubrk_close(c.lb);
	if (c.cb != NULL)
		ubrk_close(c.cb);
	utext_close(c.ut);
	buf_free(&t);
	if (rc != GEN_OK && out != NULL)
		text_lines_free(out);
	return rc;
}

/*
 * typeset() through the calling thread's memo (textmemo.h): a text set
 * before with the same fontset, style, size, width and flags gives the
 * lines it gave then, shared read-only (and its missing characters,
 * reported again), without shaping.  Only successful layouts are
 * remembered.
 */
static enum gen_rc
typeset_memo(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t max, int flags,
    struct text_lines *out, struct text_warnings *warn, int64_t *widest,
    struct gen_err *err)
{
	struct textmemo_key k = { fs, (int)style, size, max, flags,
	    out == NULL, len > 0 ? utf8 : "", len };
	struct text_warnings missing = { NULL, 0, 0 };
	struct textmemo_hit hit;
	int64_t w = 0;
	size_t i;
	enum gen_rc rc;

	if (fs == NULL || (utf8 == NULL && len > 0) ||
	    len > TEXTMEMO_MAX_TEXT)
		return typeset(fs, style, utf8, len, size, max, flags, out,
		    warn, widest, err);
	if (textmemo_find(&k, &hit)) {
		if (out != NULL)
			textmemo_share(&hit, out);
		for (i = 0; i < hit.nmissing; i++)
			warn_add(warn, hit.missing[i]);
		if (widest != NULL)
			*widest = hit.widest;
		return GEN_OK;
	}
	rc = typeset(fs, style, utf8, len, size, max, flags, out, &missing,
	    &w, err);
	if (rc == GEN_OK) {
		for (i = 0; i < missing.n; i++)
			warn_add(warn, missing.missing[i]);
		if (widest != NULL)
			*widest = w;
		textmemo_add(&k, out, w, missing.missing, missing.n);
	}
	text_warnings_free(&missing);
	return rc;
}

enum gen_rc
text_layout(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t max_width,
    struct text_lines *out, struct text_warnings *warn,
    struct gen_err *err)
{
	return typeset_memo(fs, style, utf8, len, size, max_width, 0, out,
	    warn, NULL, err);
}

enum gen_rc
text_layout_opts(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t max_width, int flags,
    struct text_lines *out, struct text_warnings *warn,
    struct gen_err *err)
{
	return typeset_memo(fs, style, utf8, len, size, max_width, flags, out,
	    warn, NULL, err);
}

enum gen_rc
text_width(const struct fontset *fs, enum text_style style,
    const char *utf8, size_t len, int32_t size, int32_t *width,
    struct gen_err *err)
{
	int64_t w = 0;
	enum gen_rc rc;

	*width = 0;
	if ((rc = typeset_memo(fs, style, utf8, len, size, 0, 0, NULL, NULL,
	    &w, err)) == GEN_OK)
		*width = (int32_t)w;
	return rc;
}

void
text_metrics(const struct fontset *fs, enum text_style style, int32_t size,
    int32_t *ascent, int32_t *descent)
{
	const struct ttf_metrics *m;
	struct ctx c;
	int face;

	if ((unsigned)style >= NSTYLES)
		style = TEXT_REGULAR;
	face = fs->chain[style].face[0];
	m = ttf_metrics(face_font(fs, face));
	memset(&c, 0, sizeof(c));
	c.fs = fs;
	c.size = size;
	*ascent = (int32_t)scale(&c, face, m->ascender);
	*descent = (int32_t)scale(&c, face, -(int64_t)m->descender);
	if (*descent < 0)
		*descent = 0;
}

void
text_draw_line(struct canvas_page *p, const struct text_line *line,
    int32_t size, int32_t x, int32_t y, struct canvas_color color)
{
	size_t i;

	for (i = 0; i < line->nruns; i++) {
		const struct text_run *r = &line->runs[i];

		canvas_add_text_flags(p, r->face, size, x, y, color, r->glyphs,
		    r->nglyphs, r->logical, r->flags);
		x += r->width;
	}
}

void
text_lines_free(struct text_lines *l)
{
	size_t i, k;

	if (l == NULL)
		return;
	if (l->memo != NULL) {		/* shared with a memo */
		textmemo_release(l->memo);
		l->memo = NULL;
		l->lines = NULL;
		l->n = 0;
		return;
	}
	for (i = 0; i < l->n; i++) {
		for (k = 0; k < l->lines[i].nruns; k++) {
			free(l->lines[i].runs[k].glyphs);
			free(l->lines[i].runs[k].logical);
		}
		free(l->lines[i].runs);
		free(l->lines[i].text);
	}
	free(l->lines);
	l->lines = NULL;
	l->n = 0;
}

enum gen_rc
fontset_missing(const struct fontset *fs, const char *utf8, size_t len,
    struct text_warnings *missing, struct gen_err *err)
{
	const uint8_t *s = (const uint8_t *)utf8;
	struct ctx c;
	int32_t i = 0, n = (int32_t)len, at;
	UChar32 ch;
	uint16_t gid;
	size_t st;
	enum gen_rc rc;

	if ((rc = shape_check_text(utf8, len, err)) != GEN_OK)
		return rc;
	memset(&c, 0, sizeof(c));
	c.fs = fs;
	c.err = err;
	while (i < n) {
		at = i;
		U8_NEXT(s, i, n, ch);
		if (ch < 0)
			return gen_err_set(err, GEN_EINPUT, "text: byte %d is "
			    "not valid UTF-8", (int)at);
		if (ch == '\t')
			ch = ' ';
		if (is_ignorable((uint32_t)ch) || is_separator((uint32_t)ch))
			continue;
		for (st = 0; st < NSTYLES; st++) {
			c.ch = &fs->chain[st];
			if (ch < FAST_CPS && c.ch->fast_face[ch] >= 0)
				continue;
			if (chain_find(&c, (uint32_t)ch, &gid) >= 0)
				continue;
			if (c.rc != GEN_OK)
				return c.rc;
			warn_add(missing, (uint32_t)ch);
			break;
		}
	}
	return GEN_OK;
}
