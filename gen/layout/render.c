/*
 * render.c - picks the back end for a format (see render.h): one switch,
 * the way lowdown's library.c picks its output formats.  The PDF path is
 * snapshot -> template (templates/NAME.xml) -> layout with the fontset
 * and the document's language -> canvas -> pdfout; Factur-X is the same
 * PDF as PDF/A-3b with the CII export embedded as factur-x.xml.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cii.h"
#include "i18n.h"
#include "layout.h"
#include "layoutver.h"
#include "pdfout.h"
#include "render.h"
#include "template.h"
#include "text.h"
#include "ubl.h"

/*
 * The language objects of one thread, by locales directory and tag.  An
 * i18n object keeps the ICU formatters it created, so reusing one across
 * documents saves the catalogue read (30-60 us) and the formatter set-up
 * (1-15 us each) of every render; the formatters give the same output
 * whatever they formatted before.
 */
#define RENDER_CACHE_MAX 64

struct render_cache {
	struct {
		char *key;		/* "DIR\nTAG" */
		unsigned flags;		/* i18n_open_opts() flags */
		struct i18n *lang;
	} v[RENDER_CACHE_MAX];
	size_t n;
};

struct render_cache *
render_cache_new(void)
{
	return xcalloc(1, sizeof(struct render_cache));
}

void
render_cache_free(struct render_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		i18n_close(c->v[i].lang);
	}
	free(c);
}

/*
 * The language object for tag from dir, opened with flags (i18n_open_opts):
 * from the cache (kept there, *own set to 0) or opened (*own set to 1: the
 * caller closes it).
 */
static enum gen_rc
lang_get(struct render_cache *c, const char *dir, const char *tag,
    unsigned flags, struct i18n **lang, int *own, struct gen_err *err)
{
	size_t dl = strlen(dir), tl = strlen(tag);
	char *key;
	enum gen_rc rc;

	*own = 1;
	if (c == NULL)
		return i18n_open_opts(dir, tag, flags, lang, err);
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].flags == flags &&
		    strncmp(c->v[i].key, dir, dl) == 0 &&
		    c->v[i].key[dl] == '\n' &&
		    strcmp(c->v[i].key + dl + 1, tag) == 0) {
			*lang = c->v[i].lang;
			*own = 0;
			return GEN_OK;
		}
	if ((rc = i18n_open_opts(dir, tag, flags, lang, err)) != GEN_OK ||
	    c->n == RENDER_CACHE_MAX)
		return rc;
	key = xmalloc(dl + tl + 2);
	memcpy(key, dir, dl);
	key[dl] = '\n';
	memcpy(key + dl + 1, tag, tl + 1);
	c->v[c->n].key = key;
	c->v[c->n].flags = flags;
	c->v[c->n++].lang = *lang;
	*own = 0;
	return GEN_OK;
}

/*
 * How a layout version opens its languages: from version 2, a language
 * without a catalogue is wholly English (labels, country and month
 * names), keeping only its number format; version 1 took country and
 * month names from the language itself.
 */
static unsigned
version_i18n_flags(const struct layout_files *lf)
{
	return lf->version >= 2 ? I18N_ENGLISH_WITHOUT_CATALOGUE : 0;
}

enum gen_rc
render_cache_lang(struct render_cache *c, const struct config *cfg,
    const char *tag, struct i18n **lang, int *own, struct gen_err *err)
{
	const struct layout_files *lf = layoutver_files(LAYOUT_VERSION_CURRENT);
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s/%s", cfg->data_dir, lf->locales) >=
	    (int)sizeof(dir))
		return gen_err_set(err, GEN_EIO, "locales path too long");
	return lang_get(c, dir, tag, version_i18n_flags(lf), lang, own, err);
}

/*
 * The text engine of a layout version: version 1 keeps ICU's Arabic
 * presentation forms and one glyph per character, as it was issued;
 * from version 2 text is shaped with HarfBuzz (text.h).
 */
static enum text_engine
version_engine(const struct layout_files *lf)
{
	return lf->version >= 2 ? TEXT_ENGINE_HARFBUZZ : TEXT_ENGINE_ICU;
}

/*
 * A damaged template, font list or catalogue is a fault of the
 * installation, not refused input: exit status 3, like a missing file,
 * so that a caller retries after fixing it rather than blaming the order.
 */
static enum gen_rc
data_error(enum gen_rc rc, struct gen_err *err)
{
	if (rc != GEN_EINPUT)
		return rc;
	err->rc = GEN_EIO;
	return gen_err_prefix(err, "data directory: ");
}

/*
 * The files of the document's layout version (layoutver.h), or an error
 * for a version this invgen does not know (a database written by a newer
 * one): never render a document with another version's files.
 */
static enum gen_rc
version_files(const struct document *d, const struct layout_files **lf,
    struct gen_err *err)
{
	if ((*lf = layoutver_files(d->layout_version)) == NULL)
		return gen_err_set(err, GEN_EINPUT, "layout_version: %d is not "
		    "a layout version this invgen knows (1..%d); upgrade invgen",
		    d->layout_version, LAYOUT_VERSION_CURRENT);
	return GEN_OK;
}

/* The language object of d in its layout version's catalogues. */
static enum gen_rc
version_lang(struct render_cache *cache, const struct config *cfg,
    const struct document *d, const struct layout_files *lf,
    struct i18n **lang, int *own, struct gen_err *err)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", cfg->data_dir,
	    lf->locales) >= (int)sizeof(path))
		return gen_err_set(err, GEN_EIO, "locales path too long");
	return lang_get(cache, path, d->language, version_i18n_flags(lf),
	    lang, own, err);
}

/* Lay the document out on its template: the canvas and the fontset. */
static enum gen_rc
lay_out(struct render_cache *cache, const struct config *cfg,
    const struct document *d, struct canvas **canvas,
    const struct fontset **fs, struct text_warnings *warn,
    struct gen_err *err)
{
	char path[PATH_MAX];
	const struct layout_files *lf;
	const struct template *t;
	struct i18n *lang = NULL;
	int own = 1;
	enum gen_rc rc;

	*canvas = NULL;
	if ((rc = version_files(d, &lf, err)) != GEN_OK)
		return rc;
	if (snprintf(path, sizeof(path), "%s/%s/%s.xml", cfg->data_dir,
	    lf->templates, d->template_name ? d->template_name : "invoice") >=
	    (int)sizeof(path))
		return gen_err_set(err, GEN_EIO, "template path too long");
	if ((rc = template_get(path, &t, err)) != GEN_OK)
		return data_error(rc, err);
	snprintf(path, sizeof(path), "%s/%s", cfg->data_dir, lf->fonts_dir);
	if ((rc = fontset_get_list(path, lf->fonts_list, version_engine(lf),
	    fs, err)) != GEN_OK)
		return data_error(rc, err);
	if ((rc = version_lang(cache, cfg, d, lf, &lang, &own, err)) !=
	    GEN_OK)
		return data_error(rc, err);
	rc = layout_document(t, d, lang, *fs, canvas, warn, err);
	if (own)
		i18n_close(lang);
	return rc;
}

/* The PDF, or with facturx the PDF/A-3b with the CII XML embedded. */
static enum gen_rc
render_pdf(struct render_cache *cache, const struct config *cfg,
    const struct document *d, int facturx, struct buf *out,
    struct text_warnings *warn, struct gen_err *err)
{
	const struct fontset *fs = NULL;
	struct canvas *c = NULL;
	struct pdfout_fonts fonts;
	const struct ttf **faces = NULL;
	const char **names = NULL;
	enum gen_rc rc;
	size_t n;

	if ((rc = lay_out(cache, cfg, d, &c, &fs, warn, err)) != GEN_OK)
		goto out;
	n = fontset_count(fs);
	faces = xcalloc(n, sizeof(*faces));
	names = xcalloc(n, sizeof(*names));
	for (size_t i = 0; i < n; i++) {
		faces[i] = fontset_face(fs, (int)i);
		names[i] = fontset_face_name(fs, (int)i);
	}
	fonts.faces = faces;
	fonts.names = names;
	fonts.n = n;
	if (facturx) {
		struct buf xml = { 0 };

		if ((rc = cii_write(d, &xml, err)) == GEN_OK)
			rc = pdfout_render_facturx(c, &fonts, xml.data, xml.len,
			    out, err);
		buf_free(&xml);
	} else
		rc = pdfout_render(c, &fonts, out, err);
out:
	free(faces);
	free(names);
	canvas_free(c);
	return rc;
}

enum gen_rc
render_document(const struct config *cfg, const struct document *d,
    const char *format, struct buf *out, struct text_warnings *warn,
    struct gen_err *err)
{
	return render_document_cached(NULL, cfg, d, format, out, warn, err);
}

enum gen_rc
render_document_cached(struct render_cache *cache, const struct config *cfg,
    const struct document *d, const char *format, struct buf *out,
    struct text_warnings *warn, struct gen_err *err)
{
	if (strcmp(format, "pdf") == 0)
		return render_pdf(cache, cfg, d, 0, out, warn, err);
	if (strcmp(format, "facturx") == 0)
		return render_pdf(cache, cfg, d, 1, out, warn, err);
	if (strcmp(format, "ubl") == 0)
		return ubl_write(d, out, err);
	if (strcmp(format, "cii") == 0)
		return cii_write(d, out, err);
	return gen_err_set(err, GEN_EINPUT, "format: '%.20s' is not allowed; "
	    "allowed: pdf, ubl, cii, facturx", format);
}

enum gen_rc
render_check_text(const struct config *cfg, const char *field,
    const char *text, struct gen_err *err)
{
	const struct layout_files *lf = layoutver_files(LAYOUT_VERSION_CURRENT);
	const struct fontset *fs;
	struct text_warnings miss = { 0 };
	struct buf cps = { 0 };
	char path[PATH_MAX];
	enum gen_rc rc;

	if (text == NULL)
		return GEN_OK;
	if (snprintf(path, sizeof(path), "%s/%s", cfg->data_dir,
	    lf->fonts_dir) >= (int)sizeof(path))
		return gen_err_set(err, GEN_EIO, "fonts path too long");
	if ((rc = fontset_get_list(path, lf->fonts_list, version_engine(lf),
	    &fs, err)) != GEN_OK)
		return data_error(rc, err);
	if ((rc = fontset_missing(fs, text, strlen(text), &miss, err)) !=
	    GEN_OK) {
		if (rc == GEN_EINPUT)
			gen_err_prefix(err, "%s: ", field);
		else
			data_error(rc, err);
		goto out;
	}
	if (miss.n == 0)
		goto out;
	for (size_t i = 0; i < miss.n && i < 8; i++)
		buf_printf(&cps, "%sU+%04X", i ? " " : "",
		    (unsigned)miss.missing[i]);
	if (miss.n > 8)
		buf_printf(&cps, " and %zu more", miss.n - 8);
	rc = gen_err_set(err, GEN_EINPUT, "%s: %s %s in no font invgen "
	    "prints with; allowed: the letters, digits and signs of the "
	    "scripts listed in README, \"PDF invoices\" (ask the payer to "
	    "write it so)", field, cps.data, miss.n == 1 ? "is" : "are");
out:
	text_warnings_free(&miss);
	buf_free(&cps);
	return rc;
}
