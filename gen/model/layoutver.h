/*
 * layoutver.h - layout versions: which templates, catalogues and font
 * list a document is rendered with.
 *
 * An issued document records the layout version it was issued with
 * (struct document.layout_version, column document.layout_version) and
 * renders with that version's files for ever, so that it regenerates
 * byte for byte after the look of new documents has changed.  New
 * documents get LAYOUT_VERSION_CURRENT.
 *
 * Where the files of a version are, relative to the data directory:
 *
 *   version 1     templates/v1/   locales/v1/   fonts/v1.txt
 *   version 2     templates/      locales/      fonts/fonts.txt  (newest)
 *
 * A released version's files never change (tests/fixtures/layout-v1.sha256
 * pins version 1's, fonts included).  The newest version lives at the top
 * of templates/ and locales/: adding a template or a catalogue key to it
 * is an ordinary edit there, and changes no issued document as long as
 * no existing template uses the new key.  Font files are shared by all
 * versions and never change: a version's font list names the files it
 * uses, and a changed font gets a new file name.
 *
 * Code that renders differently in a newer version branches on the
 * document's version (d->layout_version >= 2 ...) and keeps the older
 * path as it was; the version is in the document model, so every
 * renderer (docview, layout, text, pdfout) can see it.  README ("Layout
 * versions") describes how to add version 3.
 *
 * Pure data: no I/O.
 */
#ifndef INVGEN_LAYOUTVER_H
#define INVGEN_LAYOUTVER_H

/* The version new documents are issued with. */
#define LAYOUT_VERSION_CURRENT 2

/* The files of one layout version, relative to the data directory. */
struct layout_files {
	int version;
	const char *templates;	/* directory: templates/NAME.xml */
	const char *locales;	/* directory: LANG.txt */
	const char *fonts_dir;	/* directory of the font files */
	const char *fonts_list;	/* file in fonts_dir naming the faces */
};

/*
 * The files of version v, or NULL when this invgen does not know it
 * (v < 1, or newer than LAYOUT_VERSION_CURRENT).
 */
const struct layout_files *layoutver_files(int v);

#endif
