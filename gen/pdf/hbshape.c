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
 *     from setlocale(LC_CTYPE), which must never change our output.
 */
#include <stdlib.h>

#include <hb.h>
#include <hb-ot.h>

#include "hbshape.h"

struct hbshape_font {
	hb_blob_t	*blob;
	hb_face_t	*face;
	hb_font_t	*font;
};

enum gen_rc
hbshape_font_new(const struct ttf *f, struct hbshape_font **out,
    struct gen_err *err)
{
	struct hbshape_font *h;
	const uint8_t *data;
	size_t len;
	unsigned upem;

	*out = NULL;
	data = ttf_data(f, &len);
	if (len > (size_t)1 << 30)
		return gen_err_set(err, GEN_EINPUT, "font: %zu bytes; allowed "
		    "up to 1 GiB for shaping", len);
	h = xcalloc(1, sizeof(*h));
	h->blob = hb_blob_create((const char *)data, (unsigned)len,
	    HB_MEMORY_MODE_READONLY, NULL, NULL);
	h->face = hb_face_create(h->blob, 0);
	hb_face_make_immutable(h->face);
	h->font = hb_font_create(h->face);
	upem = ttf_metrics(f)->units_per_em;
	hb_font_set_scale(h->font, (int)upem, (int)upem);
	hb_ot_font_set_funcs(h->font);
	hb_font_make_immutable(h->font);
	if (h->font == hb_font_get_empty() || h->face == hb_face_get_empty()) {
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
	hb_font_destroy(f->font);
	hb_face_destroy(f->face);
	hb_blob_destroy(f->blob);
	free(f);
}

enum gen_rc
hbshape_run(const struct hbshape_font *f, const uint32_t *cps, size_t ncps,
    size_t start, size_t len, int rtl, const char *script,
    struct hbshape_glyph **out, size_t *n, struct gen_err *err)
{
	hb_buffer_t *buf;
	hb_glyph_info_t *info;
	hb_glyph_position_t *pos;
	unsigned count, i, flags;
	struct hbshape_glyph *g;
	enum gen_rc rc = GEN_OK;

	*out = NULL;
	*n = 0;
	if (ncps > HBSHAPE_MAX || start > ncps || len > ncps - start)
		return gen_err_set(err, GEN_EINPUT, "shape: run %zu+%zu of %zu "
		    "code points; allowed: inside the text, up to %d", start,
		    len, ncps, HBSHAPE_MAX);
	if (len == 0)
		return GEN_OK;
	buf = hb_buffer_create();
	hb_buffer_add_codepoints(buf, cps, (int)ncps, (unsigned)start,
	    (int)len);
	hb_buffer_set_direction(buf, rtl ? HB_DIRECTION_RTL :
	    HB_DIRECTION_LTR);
	hb_buffer_set_script(buf, hb_script_from_string(script, -1));
	hb_buffer_set_language(buf, hb_language_from_string("und", -1));
	flags = HB_BUFFER_FLAG_REMOVE_DEFAULT_IGNORABLES;
	if (start == 0)
		flags |= HB_BUFFER_FLAG_BOT;
	if (start + len == ncps)
		flags |= HB_BUFFER_FLAG_EOT;
	hb_buffer_set_flags(buf, (hb_buffer_flags_t)flags);
	hb_shape(f->font, buf, NULL, 0);
	if (!hb_buffer_allocation_successful(buf)) {
		rc = gen_err_set(err, GEN_EINTERNAL, "HarfBuzz ran out of "
		    "memory shaping %zu characters", len);
		goto out;
	}
	info = hb_buffer_get_glyph_infos(buf, &count);
	pos = hb_buffer_get_glyph_positions(buf, NULL);
	g = xcalloc(count + 1, sizeof(*g));
	for (i = 0; i < count; i++) {
		g[i].gid = (uint16_t)info[i].codepoint;
		g[i].cluster = info[i].cluster;
		g[i].adv = pos[i].x_advance;
		g[i].dx = pos[i].x_offset;
		g[i].dy = pos[i].y_offset;
	}
	*out = g;
	*n = count;
out:
	hb_buffer_destroy(buf);
	return rc;
}

const char *
hbshape_version(void)
{
	return hb_version_string();
}
