/*
 * render.c - picks the back end for a format (see render.h): one switch,
 * the way lowdown's library.c picks its output formats.
 */
#include <string.h>

#include "cii.h"
#include "render.h"
#include "ubl.h"

enum gen_rc
render_document(const struct config *cfg, const struct document *d,
    const char *format, struct buf *out, struct gen_err *err)
{
	(void)cfg;
	if (strcmp(format, "ubl") == 0)
		return ubl_write(d, out, err);
	if (strcmp(format, "cii") == 0)
		return cii_write(d, out, err);
	return gen_err_set(err, GEN_EINPUT, "format: '%s' is not one of the "
	    "formats this build renders", format);
}
