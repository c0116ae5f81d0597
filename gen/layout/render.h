/*
 * render.h - turns an issued document into the bytes of one output format
 * ("pdf", later "ubl", "cii", "facturx").  A pure function of the stored
 * snapshot, the templates, fonts and locales in the data directory: the
 * same inputs give the same bytes in any process, under any LANG or TZ.
 */
#ifndef INVGEN_RENDER_H
#define INVGEN_RENDER_H

#include "buf.h"
#include "config.h"
#include "model.h"
#include "text.h"

/*
 * Append the rendering of d in format to out.  GEN_EINPUT for an unknown
 * format; the back end's code (GEN_EPDF, GEN_EXML, ...) otherwise.
 * Characters no font could draw are drawn as a visible replacement and
 * added to warn (may be NULL) so the caller can report them.
 */
enum gen_rc render_document(const struct config *cfg, const struct document *d,
    const char *format, struct buf *out, struct text_warnings *warn,
    struct gen_err *err);

/*
 * The same with a cache of per-language objects (i18n) kept between
 * documents: for a thread rendering many documents (invgen batch).  A
 * cache belongs to one thread at a time; cache may be NULL.  The bytes
 * are the same as render_document's.
 */
struct i18n;
struct render_cache;
struct render_cache *render_cache_new(void);
void render_cache_free(struct render_cache *c);
enum gen_rc render_document_cached(struct render_cache *cache,
    const struct config *cfg, const struct document *d, const char *format,
    struct buf *out, struct text_warnings *warn, struct gen_err *err);
/*
 * The language object for tag (locales of cfg's data directory) from the
 * cache, opened on first use and kept: for what a caller formats beside a
 * render, such as the amount in a JSON answer.  *own is 1 when the cache
 * was full and the caller must i18n_close() it, else 0.  Errors of
 * i18n_open().
 */
enum gen_rc render_cache_lang(struct render_cache *c, const struct config *cfg,
    const char *tag, struct i18n **lang, int *own, struct gen_err *err);

/*
 * Refuse a text that new documents would print with a character no font
 * of the newest layout version has (text.h, fontset_missing): GEN_EINPUT
 * "FIELD: U+0F00 U+0F01 are in no font ...", naming the field and up to
 * eight code points, so that the caller can ask for the text again.
 * Cheap: the fontset is loaded once per process, and a fallback face is
 * opened only when a character needs it.  GEN_EIO for a damaged font
 * installation.
 */
enum gen_rc render_check_text(const struct config *cfg, const char *field,
    const char *text, struct gen_err *err);

#endif
