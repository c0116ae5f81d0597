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

/* Append the rendering of d in format to out.  GEN_EINPUT for an unknown
 * format; the back end's code (GEN_EPDF, GEN_EXML, ...) otherwise. */
enum gen_rc render_document(const struct config *cfg, const struct document *d,
    const char *format, struct buf *out, struct gen_err *err);

#endif
