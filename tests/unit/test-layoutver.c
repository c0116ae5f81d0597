/*
 * test-layoutver.c - the table of layout versions: one row per version
 * from 1 to the newest, none beyond; every version names templates,
 * catalogues and a font list that exist in the source tree, and the
 * fonts its list names; the newest version is the top-level files (where
 * a key or a template is added), older ones their own frozen copies.
 * Runs from the top of the source tree (tests/run.sh).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "layoutver.h"
#include "testlib.h"

static int
is_file(const char *dir, const char *name)
{
	char path[512];
	struct stat sb;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

/* Every face a font list names is a file of the fonts directory. */
static void
check_font_list(const struct layout_files *lf)
{
	char path[512], line[1024];
	FILE *f;
	int faces = 0;

	snprintf(path, sizeof(path), "%s/%s", lf->fonts_dir, lf->fonts_list);
	CHECK((f = fopen(path, "r")) != NULL);
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line;
		int tok = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		/* The style, then its faces, separated by blanks. */
		while (*(p += strspn(p, " \t\n")) != '\0') {
			size_t n = strcspn(p, " \t\n");
			char name[256];

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			/* "embolden:FACE.ttf": the face, drawn bold */
			if (strncmp(name, "embolden:", 9) == 0)
				memmove(name, name + 9, strlen(name + 9) + 1);
			if (tok++ > 0) {
				CHECK(is_file(lf->fonts_dir, name));
				faces++;
			}
			p += n;
		}
	}
	fclose(f);
	CHECK(faces >= 2);
}

int
main(void)
{
	static const char *const templates[] = { "invoice.xml",
	    "invoice-letter.xml", "transfer-order.xml" };
	static const char *const langs[] = { "en.txt", "lt.txt", "ru.txt" };

	CHECK(layoutver_files(0) == NULL);
	CHECK(layoutver_files(-1) == NULL);
	CHECK(layoutver_files(LAYOUT_VERSION_CURRENT + 1) == NULL);
	for (int v = 1; v <= LAYOUT_VERSION_CURRENT; v++) {
		const struct layout_files *lf = layoutver_files(v);

		CHECK(lf != NULL);
		if (lf == NULL)
			continue;
		CHECK_INT(lf->version, v);
		for (size_t k = 0; k < 3; k++) {
			CHECK(is_file(lf->templates, templates[k]));
			CHECK(is_file(lf->locales, langs[k]));
		}
		check_font_list(lf);
		/* Two versions never share a catalogue or template folder. */
		for (int w = 1; w < v; w++) {
			CHECK(strcmp(layoutver_files(w)->templates,
			    lf->templates) != 0);
			CHECK(strcmp(layoutver_files(w)->locales,
			    lf->locales) != 0);
			CHECK(strcmp(layoutver_files(w)->fonts_list,
			    lf->fonts_list) != 0);
		}
	}
	/* The newest version is the top-level files. */
	CHECK_STR(layoutver_files(LAYOUT_VERSION_CURRENT)->templates,
	    "templates");
	CHECK_STR(layoutver_files(LAYOUT_VERSION_CURRENT)->locales, "locales");
	CHECK_STR(layoutver_files(LAYOUT_VERSION_CURRENT)->fonts_list,
	    "fonts.txt");
	CHECK_STR(layoutver_files(1)->templates, "templates/v1");
	return test_report();
}
