/*
 * hbshape.c - HarfBuzz shaping of one run (see hbshape.h); the only
 * includer of <hb.h>.
 *
 * Exports hbshape_font_new(), hbshape_font_free(), hbshape_run() and
 * hbshape_version().  Must not pick fonts, order bidi text, print or keep
 * global state.
 *
 * HarfBuzz conventions translated here:
 *   - objects are reference-counted and never NULL: a failed allocation
 *     gives the library's inert "empty" object, which we detect with
 *     hb_buffer_allocation_successful() and turn into GEN_EINTERNAL;
 *   - the font's blob points at the mapped font file (HB_MEMORY_MODE_
 *     READONLY, no copy); the face and font are made immutable so that
 *     threads may share them;
 *   - the font's scale is its units_per_em, so positions come back in font
 *     units; no ppem, so no hinting;
 *   - clusters are the indices of the code points added with
 *     hb_buffer_add_codepoints(), grouped at grapheme level (HarfBuzz's
 *     default, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_GRAPHEMES);
 *   - the language is fixed ("und"): HarfBuzz's default language comes
 *     from setlocale(LC_CTYPE), which must never change our output;
 *   - the library is loaded when text is first shaped (dlopen of
 *     libharfbuzz.so.0 and its functions by name), not when the program
 *     starts: libharfbuzz brings six more shared libraries (FreeType,
 *     GLib, Graphite, PCRE, Brotli), 60 page faults and 0.4-0.6 ms at the
 *     start of every fresh process, which a command that prints no text
 *     (the bot's call handed to `invgen serve`, `order add`) need not pay.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>
#include <hb-ot.h>

#include "hbshape.h"
#include "memhash.h"
#include "tls.h"

struct hbshape_font {
	hb_blob_t	*blob;
	hb_face_t	*face;
	hb_font_t	*font;
};

/* The HarfBuzz functions used, loaded by name (see the file comment). */
#define HB_FUNCS(X) \
	X(hb_blob_create) X(hb_blob_destroy) X(hb_face_create) \
	X(hb_face_destroy) X(hb_face_make_immutable) X(hb_face_get_empty) \
	X(hb_font_create) X(hb_font_destroy) X(hb_font_set_scale) \
	X(hb_font_make_immutable) X(hb_font_get_empty) \
	X(hb_ot_font_set_funcs) X(hb_buffer_create) X(hb_buffer_destroy) \
	X(hb_buffer_reset) X(hb_buffer_add_codepoints) \
	X(hb_buffer_set_direction) X(hb_buffer_set_script) \
	X(hb_buffer_set_language) X(hb_buffer_set_flags) \
	X(hb_buffer_allocation_successful) X(hb_buffer_get_glyph_infos) \
	X(hb_buffer_get_glyph_positions) X(hb_script_from_string) \
	X(hb_language_from_string) X(hb_shape) X(hb_version_string)

#define HB_SONAME "libharfbuzz.so.0"

static struct {
#define X(f) __typeof__(f) *f;
	HB_FUNCS(X)
#undef X
} hb;
static pthread_once_t hb_once = PTHREAD_ONCE_INIT;
static char hb_error[256];	/* why loading failed; "" when loaded */

static void
hb_load(void)
{
	void *lib = dlopen(HB_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		snprintf(hb_error, sizeof(hb_error), "%s", dlerror());
		return;
	}
#define X(f) \
	if (hb_error[0] == '\0' && \
	    (*(void **)(&hb.f) = dlsym(lib, #f)) == NULL) \
		snprintf(hb_error, sizeof(hb_error), HB_SONAME ": no %s", #f);
	HB_FUNCS(X)
#undef X
	/* The library stays loaded for the life of the process, like the
	 * fonts: shaped runs and fonts refer to its code. */
}

/* GEN_EIO naming the library when HarfBuzz cannot be loaded. */
static enum gen_rc
hb_ready(struct gen_err *err)
{
	pthread_once(&hb_once, hb_load);
	if (hb_error[0] != '\0')
		return gen_err_set(err, GEN_EIO, "HarfBuzz (%s) cannot be "
		    "loaded: %s; install Debian's libharfbuzz0b", HB_SONAME,
		    hb_error);
	return GEN_OK;
}

/*
 * What each thread keeps between calls: its HarfBuzz buffer
 * (hb_buffer_reset clears its text and settings, so no output depends on
 * what it shaped before) and the runs it shaped last.  An invoice shapes
 * the same short texts several times (a value is measured, then set; a
 * label on every page) and a batch the same labels in every document;
 * shaping is a pure function of the font, the text and the settings, so a
 * run found here gives the same glyphs HarfBuzz would.  Only paragraphs
 * up to CACHE_MAX_CPS code points are kept, CACHE_SLOTS of them, each
 * slot replaced by the next run that hashes to it.  tls.h frees it all
 * when a thread ends.
 */
#define CACHE_SLOTS	512
#define CACHE_MAX_CPS	256

struct cached {
	uint64_t		 hash;
	const struct hbshape_font *font;	/* NULL: empty slot */
	int			 rtl;
	char			 script[5];
	size_t			 start, len, ncps;
	uint32_t		*cps;
	struct hbshape_glyph	*g;
	size_t			 n;
};

struct thread_state {
	hb_buffer_t	*buf;
	struct cached	 slot[CACHE_SLOTS];
};


static void
state_free(void *v)
{
	struct thread_state *ts = v;

	if (ts == NULL)
		return;
	hb.hb_buffer_destroy(ts->buf);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(ts->slot[i].cps);
		free(ts->slot[i].g);
	}
	free(ts);
}

static struct tls_key state_key = TLS_KEY(sizeof(struct thread_state),
    state_free);

static struct thread_state *
thread_state(void)
{
	struct thread_state *ts = tls_get(&state_key);

	if (ts->buf == NULL)
		ts->buf = hb.hb_buffer_create();
	return ts;
}

/* A hash (memhash) of what a run's glyphs depend on. */
static uint64_t
run_hash(const struct hbshape_font *f, const uint32_t *cps, size_t ncps,
    size_t start, size_t len, int rtl, const char *script)
{
	uint64_t k[5] = { (uint64_t)(uintptr_t)f, ncps, start, len,
	    (uint64_t)rtl };
	char sc[4] = { 0 };

	memcpy(sc, script, strnlen(script, 4));
	return memhash(cps, ncps * sizeof(*cps),
	    memhash(sc, sizeof(sc), memhash(k, sizeof(k), 0)));
}

/* The slot that holds this run, or NULL. */
static const struct cached *
cache_find(const struct thread_state *ts, uint64_t h,
    const struct hbshape_font *f, const uint32_t *cps, size_t ncps,
    size_t start, size_t len, int rtl, const char *script)
{
	const struct cached *c = &ts->slot[h % CACHE_SLOTS];

	if (c->font != f || c->hash != h || c->ncps != ncps ||
	    c->start != start || c->len != len || c->rtl != rtl ||
	    strncmp(c->script, script, 4) != 0 ||
	    memcmp(c->cps, cps, ncps * sizeof(*cps)) != 0)
		return NULL;
	return c;
}

/* Keep a copy of a shaped run in its slot. */
static void
cache_put(struct thread_state *ts, uint64_t h, const struct hbshape_font *f,
    const uint32_t *cps, size_t ncps, size_t start, size_t len, int rtl,
    const char *script, const struct hbshape_glyph *g, size_t n)
{
	struct cached *c = &ts->slot[h % CACHE_SLOTS];

	free(c->cps);
	free(c->g);
	c->hash = h;
	c->font = f;
	c->rtl = rtl;
	snprintf(c->script, sizeof(c->script), "%.4s", script);
	c->start = start;
	c->len = len;
	c->ncps = ncps;
	c->cps = xmalloc((ncps + 1) * sizeof(*cps));
	memcpy(c->cps, cps, ncps * sizeof(*cps));
	c->g = xmalloc((n + 1) * sizeof(*g));
	memcpy(c->g, g, n * sizeof(*g));
	c->n = n;
}

enum gen_rc
hbshape_font_new(const struct ttf *f, struct hbshape_font **out,
    struct gen_err *err)
{
	struct hbshape_font *h;
	const uint8_t *data;
	size_t len;
	unsigned upem;
	enum gen_rc rc;

	*out = NULL;
	if ((rc = hb_ready(err)) != GEN_OK)
		return rc;
	data = ttf_data(f, &len);
	if (len > (size_t)1 << 30)
		return gen_err_set(err, GEN_EINPUT, "font: %zu bytes; allowed "
		    "up to 1 GiB for shaping", len);
	h = xcalloc(1, sizeof(*h));
	h->blob = hb.hb_blob_create((const char *)data, (unsigned)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	h->face = hb.hb_face_create(h->blob, 0);
	hb.hb_face_make_immutable(h->face);
	h->font = hb.hb_font_create(h->face);
	upem = ttf_metrics(f)->units_per_em;
	hb.hb_font_set_scale(h->font, (int)upem, (int)upem);
	hb.hb_ot_font_set_funcs(h->font);
	hb.hb_font_make_immutable(h->font);
	if (h->font == hb.hb_font_get_empty() ||
	    h->face == hb.hb_face_get_empty()) {
		hbshape_font_free(h);
		return gen_err_set(err, GEN_EINTERNAL, "HarfBuzz cannot create "
		    "a font (out of memory)");
	}
	*out = h;
	return GEN_OK;
}

void
hbshape_font_free(struct hbshape_font *f)
{
	if (f == NULL)
		return;
	hb.hb_font_destroy(f->font);
	hb.hb_face_destroy(f->face);
	hb.hb_blob_destroy(f->blob);
	free(f);
}

enum gen_rc
hbshape_run(const struct hbshape_font *f, const uint32_t *cps, size_t ncps,
    size_t start, size_t len, int rtl, const char *script,
    struct hbshape_glyph **out, size_t *n, struct gen_err *err)
{
	struct thread_state *ts;
	const struct cached *c;
	hb_buffer_t *buf;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned count, i, flags;
	struct hbshape_glyph *g;
	uint64_t h = 0;
	int cache = ncps <= CACHE_MAX_CPS;

	*out = NULL;
	*n = 0;
	if (ncps > HBSHAPE_MAX || start > ncps || len > ncps - start)
		return gen_err_set(err, GEN_EINPUT, "shape: run %zu+%zu of %zu "
		    "code points; allowed: inside the text, up to %d", start,
		    len, ncps, HBSHAPE_MAX);
	if (len == 0)
		return GEN_OK;
	ts = thread_state();
	if (cache) {
		h = run_hash(f, cps, ncps, start, len, rtl, script);
		if ((c = cache_find(ts, h, f, cps, ncps, start, len, rtl,
		    script)) != NULL) {
			*out = xmalloc((c->n + 1) * sizeof(**out));
			memcpy(*out, c->g, c->n * sizeof(**out));
			*n = c->n;
			return GEN_OK;
		}
	}
	buf = ts->buf;
	hb.hb_buffer_reset(buf);
	hb.hb_buffer_add_codepoints(buf, cps, (int)ncps, (unsigned)start,
	    (int)len);
	hb.hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL :
	    HB_DIRECTION_LTR);
	hb.hb_buffer_set_script(buf, hb.hb_script_from_string(script, -1));
	hb.hb_buffer_set_language(buf, hb.hb_language_from_string("und",
	    -1));
	flags = HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES;
	if (start == 0)
		flags |= HB_BUFFER_FLAG_BOT;
	if (start + len == ncps)
		flags |= HB_BUFFER_FLAG_EOT;
	hb.hb_buffer_set_flags(buf, (hb_buffer_flags_t)flags);
	hb.hb_shape(f->font, buf, NULL, 0);
	if (!hb.hb_buffer_allocation_successful(buf))
		return gen_err_set(err, GEN_EINTERNAL, "HarfBuzz ran out of "
		    "memory shaping %zu characters", len);
	info = hb.hb_buffer_get_glyph_infos(buf, &count);
	pos = hb.hb_buffer_get_glyph_positions(buf, NULL);
	g = xcalloc(count + 1, sizeof(*g));
	for (i = 0; i < count; i++) {
		g[i].gid = (uint16_t)info[i].codepoint;
		g[i].cluster = info[i].cluster;
		g[i].adv = pos[i].x_advance;
		g[i].dx = pos[i].x_offset;
		g[i].dy = pos[i].y_offset;
	}
	if (cache)
		cache_put(ts, h, f, cps, ncps, start, len, rtl, script, g,
		    count);
	*out = g;
	*n = count;
	return GEN_OK;
}

const char *
hbshape_version(void)
{
	struct gen_err err = { 0 };

	if (hb_ready(&err) != GEN_OK)
		return "unavailable";
	return hb.hb_version_string();
}
