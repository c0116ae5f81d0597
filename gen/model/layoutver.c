/*
 * layoutver.c - the table of layout versions and their files (see
 * layoutver.h).  Exports layoutver_files().  No I/O: the render layer
 * opens the files.
 *
 * Adding version N+1: freeze version N first (copy each templates/NAME.xml
 * to templates/vN/, each locales/LANG.txt to locales/vN/, fonts/fonts.txt
 * to fonts/vN.txt, and point version N's row here at the copies, which
 * give the same bytes), then add the row of N+1 at the top-level files,
 * raise LAYOUT_VERSION_CURRENT, and change the top-level files.
 */
#include <stddef.h>

#include "layoutver.h"

static const struct layout_files versions[] = {
	{ 1, "templates/v1", "locales/v1", "fonts", "v1.txt" },
	{ 2, "templates", "locales", "fonts", "fonts.txt" },
};

_Static_assert(sizeof(versions) / sizeof(versions[0]) ==
    LAYOUT_VERSION_CURRENT, "one row per layout version, the newest last");

const struct layout_files *
layoutver_files(int v)
{
	if (v < 1 || v > LAYOUT_VERSION_CURRENT)
		return NULL;
	return &versions[v - 1];
}
