/*
 * pdfout_meta.c - metadata and PDF/A-3 of the PDF back end
 * (pdfout_private.h): the Info dictionary (Producer "invgen" without a
 * version number, dates from the canvas, never the clock, Title, Author
 * and Subject as UTF-16BE), the catalog's /Lang, and what PDF/A-3
 * and Factur-X add.
 *
 * PDF/A-3b and Factur-X (pdfout_render_pdfa3, pdfout_render_facturx):
 * libharu 2.3.0 knows PDF/A-1 only (HPDF_PDFA_SetPDFAConformance), and
 * that call adds a trailer /ID made from the clock; HPDF_AttachFile
 * writes none of what PDF/A-3 asks of an embedded file
 * (gen/pdf/PERFORMANCE.md).  So neither is used: the same render
 * adds, through the object layer, what ISO 19005-3 level B needs on top
 * of what pdfout_render already does right (fonts embedded, no
 * encryption, transparency, actions or annotations, binary header line,
 * Info dictionary):
 *   - the XMP metadata stream (unfiltered) whose values are the Info
 *     dictionary's (build_xmp), with the Factur-X fx: properties and
 *     their PDF/A extension schema;
 *   - an sRGB output intent whose ICC profile icc.c computes from the
 *     IEC 61966-2-1 parameters: no profile file to ship, license or load,
 *     and nothing copied;
 *   - each attachment as /EmbeddedFile (deflated, /Subtype MIME type,
 *     /Params /ModDate /Size) + /Filespec (/F, /UF, /Desc,
 *     /AFRelationship), in the catalog's /AF and /Names /EmbeddedFiles;
 *   - a trailer /ID written as zeros through the trailer's write_fn and
 *     filled in after saving with the first 16 bytes of the SHA-256 of
 *     the saved file (po_set_id): reproducible, and different for different
 *     files.
 * The checks PDF/A adds are refused up front (po_check_pdfa): no date, text
 * XMP cannot carry, .notdef drawn, bad attachment or Factur-X fields.
 * No PDF/A-3 validator is packaged in Debian 12; test-facturx checks the
 * clauses one by one and runs PDFBox's PDF/A-1b preflight, which shares
 * most of them.  What it costs: gen/pdf/PERFORMANCE.md.
 *
 * Must not: read the clock, the locale or the environment, touch files
 * or print.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <unicode/utf8.h>

#include "icc.h"
#include "pdfout_private.h"
#include "sha256.h"

/* ---- the Info dictionary and /Lang ---- */

/* A BCP 47 tag as PDF /Lang accepts it: letters, digits, '-'. */
static int
lang_ok(const char *s)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
			return 0;
	return n >= 2 && n <= 35 && s[0] != '-' && s[n - 1] != '-';
}

/* Parse "YYYY-MM-DD" (a real calendar day, years 1000..9999). */
static int
parse_date(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1000 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return 0;
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	return !(*m == 2 && *d == 29 && !leap);
}

/* The longest metadata text in UTF-8 bytes: as UTF-16BE at most 32002
 * bytes, within libharu's 65535-byte limit for a string. */
#define META_MAX 16000

/* Check the metadata fields before anything is built. */
enum gen_rc
po_check_meta(const struct canvas_meta *m, struct buf *tmp, struct gen_err *err)
{
	const char *names[] = { "title", "author", "subject" };
	const char *vals[] = { m->title, m->author, m->subject };
	int y, mo, d;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (vals[i] == NULL)
			continue;
		buf_reset(tmp);
		if (strlen(vals[i]) > META_MAX || !po_utf16be(tmp, vals[i],
		    0))
			return gen_err_set(err, GEN_EINPUT, "meta.%s: not "
			    "valid UTF-8 or longer than %d bytes; allowed: "
			    "UTF-8 text", names[i], META_MAX);
	}
	if (m->language != NULL && !lang_ok(m->language))
		return gen_err_set(err, GEN_EINPUT, "meta.language: '%.40s' "
		    "is not a language tag; allowed: BCP 47 such as lt or "
		    "pt-BR", m->language);
	if (m->date != NULL && !parse_date(m->date, &y, &mo, &d))
		return gen_err_set(err, GEN_EINPUT, "meta.date: '%.40s' is not"
		    " a date; allowed: YYYY-MM-DD", m->date);
	return GEN_OK;
}

/* Info dictionary and catalog entries from c->meta (already checked). */
void
po_meta(struct pdf *p, const struct canvas_meta *m)
{
	const char *keys[] = { "Title", "Author", "Subject" };
	const char *vals[] = { m->title, m->author, m->subject };
	struct pdf_obj *info;
	size_t i;
	int y, mo, d;

	po_producer(p);
	if ((info = po_info(p)) == NULL || p->st != 0)
		return;
	for (i = 0; i < 3; i++) {
		if (vals[i] == NULL)
			continue;
		buf_reset(&p->tmp);
		po_utf16be(&p->tmp, vals[i], 0);
		po_put_bytes(p, info, keys[i], p->tmp.data, p->tmp.len);
	}
	if (m->date != NULL && parse_date(m->date, &y, &mo, &d))
		po_dates(p, y, mo, d);
	if (m->language != NULL)
		po_put(p, po_catalog(p), "Lang", po_string(p, m->language));
}

/* ---- checking what PDF/A-3 adds ---- */

/* The /AFRelationship values ISO 19005-3 allows. */
static const char *const relationships[] = {
	"Source", "Data", "Alternative", "Supplement", "Unspecified"
};

/* Factur-X conformance levels (fx:ConformanceLevel), Factur-X 1.0. */
static const char *const fx_levels[] = {
	"MINIMUM", "BASIC WL", "BASIC", "EN 16931", "EXTENDED", "XRECHNUNG"
};

#define ATT_MAX		(1L << 30)	/* bytes of one attachment */

static int
in_set(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* An attachment name: 1..127 of A-Z a-z 0-9 . _ -, not "." or "..". */
static int
att_name_ok(const char *s)
{
	size_t n;

	if (s == NULL || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		    s[n] == '_' || s[n] == '-'))
			return 0;
	return n >= 1 && n <= 127;
}

/* A MIME type "type/subtype" of RFC 6838 name characters, < 100 bytes. */
static int
mime_ok(const char *s)
{
	size_t n, slash = 0, at = 0;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++) {
		if (s[n] == '/') {
			slash++;
			at = n;
		} else if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') ||
		    strchr("!#$&^_.+-", s[n]) != NULL))
			return 0;
	}
	return slash == 1 && at > 0 && at + 1 < n && n < 100;
}

/* Text XMP can carry: valid UTF-8 (checked before) without the control
 * characters and non-characters XML 1.0 excludes. */
static int
xml_text_ok(const char *s)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t i = 0, n = strlen(s);
	UChar32 cp;

	while (i < n) {
		U8_NEXT(p, i, n, cp);
		if (cp < 0)
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    cp == 0xfffe || cp == 0xffff)
			return 0;
	}
	return 1;
}

/* A Factur-X text field: 1..63 bytes of [A-Za-z0-9 ._-]. */
static int
fx_word_ok(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		    (s[n] >= 'A' && s[n] <= 'Z') ||
		    (s[n] >= '0' && s[n] <= '9') || strchr(" ._-", s[n])))
			return 0;
	return n >= 1 && n < 64;
}

/*
 * Check what PDF/A-3 adds to a render (see pdfout.h) and sort the
 * attachments by name into pa->order (the name tree's key order).
 * GEN_EINPUT names the field.
 */
enum gen_rc
po_check_pdfa(const struct canvas *c, const struct pdfa *pa, struct buf *tmp,
    struct gen_err *err)
{
	const char *names[] = { "title", "author", "subject" };
	const char *vals[] = { c->meta.title, c->meta.author,
	    c->meta.subject };
	const struct pdfout_attachment *a;
	const struct pdfout_facturx *fx = pa->fx;
	const struct canvas_text *t;
	size_t i, j, k;

	if (c->meta.date == NULL)
		return gen_err_set(err, GEN_EINPUT, "meta.date: missing; "
		    "allowed: YYYY-MM-DD (PDF/A needs the document's date)");
	for (i = 0; i < 3; i++)
		if (vals[i] != NULL && !xml_text_ok(vals[i]))
			return gen_err_set(err, GEN_EINPUT, "meta.%s: control "
			    "character; allowed in PDF/A: text without "
			    "control characters other than tab and line "
			    "breaks", names[i]);
	for (i = 0; i < c->npages; i++)
		for (j = 0; j < c->pages[i].nops; j++) {
			if (c->pages[i].ops[j].kind != CANVAS_TEXT)
				continue;
			t = &c->pages[i].ops[j].u.text;
			for (k = 0; k < t->nglyphs; k++)
				if (t->glyphs[k].gid == 0)
					return gen_err_set(err, GEN_EINPUT,
					    "page %zu op %zu: glyph %zu is 0 "
					    "(.notdef); allowed in PDF/A: "
					    "glyphs the font has", i + 1,
					    j + 1, k + 1);
		}

	if (pa->att == NULL && pa->natt > 0)
		return gen_err_set(err, GEN_EINPUT, "attachments: NULL with %zu"
		    " entries; allowed: an array of natt attachments",
		    pa->natt);
	for (i = 0; i < pa->natt; i++) {
		a = &pa->att[i];
		if (!att_name_ok(a->name))
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "name: '%.40s'; allowed: 1 to 127 of A-Z a-z 0-9 "
			    ". _ -", i, a->name != NULL ? a->name : "(null)");
		if (!mime_ok(a->mime))
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "mime: '%.40s'; allowed: a MIME type such as "
			    "text/xml", i, a->mime != NULL ? a->mime :
			    "(null)");
		if (!in_set(a->relationship, relationships,
		    sizeof(relationships) / sizeof(relationships[0])))
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "relationship: '%.40s'; allowed: Source, Data, "
			    "Alternative, Supplement, Unspecified", i,
			    a->relationship != NULL ? a->relationship :
			    "(null)");
		if (a->data == NULL || a->len == 0 || a->len > ATT_MAX)
			return gen_err_set(err, GEN_EINPUT, "attachments[%zu]."
			    "%s: %zu bytes%s; allowed: 1 byte to 1 GiB", i,
			    a->data == NULL ? "data" : "len", a->len,
			    a->data == NULL ? " at NULL" : "");
		if (a->description != NULL) {
			buf_reset(tmp);
			if (strlen(a->description) > META_MAX ||
			    !po_utf16be(tmp, a->description, 0))
				return gen_err_set(err, GEN_EINPUT,
				    "attachments[%zu].description: not valid "
				    "UTF-8 or longer than %d bytes; allowed: "
				    "UTF-8 text", i, META_MAX);
		}
		/* insertion sort by name; equal names are refused */
		for (j = i; j > 0; j--) {
			int cmp = strcmp(pa->att[pa->order[j - 1]].name,
			    a->name);

			if (cmp == 0)
				return gen_err_set(err, GEN_EINPUT,
				    "attachments[%zu].name: '%s' is also "
				    "attachments[%zu]; allowed: distinct names",
				    i, a->name, pa->order[j - 1]);
			if (cmp < 0)
				break;
			pa->order[j] = pa->order[j - 1];
		}
		pa->order[j] = i;
	}

	if (fx == NULL)
		return GEN_OK;
	if (fx->document_type == NULL ||
	    strcmp(fx->document_type, "INVOICE") != 0)
		return gen_err_set(err, GEN_EINPUT, "facturx.document_type: "
		    "'%.40s'; allowed: INVOICE", fx->document_type != NULL ?
		    fx->document_type : "(null)");
	if (!in_set(fx->conformance_level, fx_levels,
	    sizeof(fx_levels) / sizeof(fx_levels[0])))
		return gen_err_set(err, GEN_EINPUT, "facturx.conformance_level:"
		    " '%.40s'; allowed: MINIMUM, BASIC WL, BASIC, EN 16931, "
		    "EXTENDED, XRECHNUNG", fx->conformance_level != NULL ?
		    fx->conformance_level : "(null)");
	if (!fx_word_ok(fx->version) ||
	    strspn(fx->version, "0123456789.") != strlen(fx->version))
		return gen_err_set(err, GEN_EINPUT, "facturx.version: '%.40s';"
		    " allowed: a version such as 1.0", fx->version != NULL ?
		    fx->version : "(null)");
	for (i = 0; i < pa->natt; i++)
		if (fx->file_name != NULL &&
		    strcmp(fx->file_name, pa->att[i].name) == 0)
			return GEN_OK;
	return gen_err_set(err, GEN_EINPUT, "facturx.file_name: '%.40s' is "
	    "not attached; allowed: the name of one of the attachments",
	    fx->file_name != NULL ? fx->file_name : "(null)");
}

/* ---- XMP ---- */

/* s as XML character data (& < > escaped; the text was checked). */
static void
xml_puts(struct buf *b, const char *s)
{
	size_t n;

	while (*s != '\0') {
		n = strcspn(s, "&<>");
		buf_append(b, s, n);
		s += n;
		if (*s == '\0')
			break;
		buf_puts(b, *s == '&' ? "&amp;" : *s == '<' ? "&lt;" :
		    "&gt;");
		s++;
	}
}

/* One property of the Factur-X extension schema: Text, external. */
static void
xmp_fx_property(struct buf *b, const char *name, const char *desc)
{
	buf_puts(b, "<rdf:li rdf:parseType=\"Resource\">\n"
	    "<pdfaProperty:name>");
	buf_puts(b, name);
	buf_puts(b, "</pdfaProperty:name>\n"
	    "<pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
	    "<pdfaProperty:category>external</pdfaProperty:category>\n"
	    "<pdfaProperty:description>");
	buf_puts(b, desc);
	buf_puts(b, "</pdfaProperty:description>\n</rdf:li>\n");
}

#define FX_NS	"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

/*
 * The XMP packet (ISO 16684-1 / XMP 2005) into b: PDF/A identification,
 * the Info dictionary's values in their XMP properties (ISO 19005-3
 * 6.6.2.3: Title = dc:title, Author = dc:creator, Subject =
 * dc:description, Producer = pdf:Producer, CreationDate / ModDate =
 * xmp:CreateDate / ModifyDate) and, with Factur-X, the fx: properties and
 * their PDF/A extension schema (6.6.2.3.3: a schema outside XMP's own
 * must be described in the file).  m->date was checked.  The packet id is
 * the fixed one the XMP specification prescribes.
 */
static void
build_xmp(const struct canvas_meta *m, const struct pdfout_facturx *fx,
    struct buf *b)
{
	buf_puts(b, "<?xpacket begin=\"\xef\xbb\xbf\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
	    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
	    "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	    "\">\n"
	    "<rdf:Description rdf:about=\"\" "
	    "xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
	    "<pdfaid:part>3</pdfaid:part>\n"
	    "<pdfaid:conformance>B</pdfaid:conformance>\n"
	    "</rdf:Description>\n");
	if (m->title != NULL || m->author != NULL || m->subject != NULL) {
		buf_puts(b, "<rdf:Description rdf:about=\"\" "
		    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
		if (m->title != NULL) {
			buf_puts(b, "<dc:title><rdf:Alt><rdf:li xml:lang=\""
			    "x-default\">");
			xml_puts(b, m->title);
			buf_puts(b, "</rdf:li></rdf:Alt></dc:title>\n");
		}
		if (m->author != NULL) {
			buf_puts(b, "<dc:creator><rdf:Seq><rdf:li>");
			xml_puts(b, m->author);
			buf_puts(b, "</rdf:li></rdf:Seq></dc:creator>\n");
		}
		if (m->subject != NULL) {
			buf_puts(b, "<dc:description><rdf:Alt><rdf:li "
			    "xml:lang=\"x-default\">");
			xml_puts(b, m->subject);
			buf_puts(b, "</rdf:li></rdf:Alt></dc:description>\n");
		}
		buf_puts(b, "</rdf:Description>\n");
	}
	/* The Info dictionary's dates are this day at 00:00 UTC. */
	buf_puts(b, "<rdf:Description rdf:about=\"\" "
	    "xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n<xmp:CreateDate>");
	buf_puts(b, m->date);
	buf_puts(b, "T00:00:00+00:00</xmp:CreateDate>\n<xmp:ModifyDate>");
	buf_puts(b, m->date);
	buf_puts(b, "T00:00:00+00:00</xmp:ModifyDate>\n</rdf:Description>\n"
	    "<rdf:Description rdf:about=\"\" "
	    "xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n"
	    "<pdf:Producer>invgen</pdf:Producer>\n</rdf:Description>\n");
	if (fx != NULL) {
		buf_puts(b, "<rdf:Description rdf:about=\"\" "
		    "xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/"
		    "extension/\" "
		    "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
		    "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/"
		    "property#\">\n"
		    "<pdfaExtension:schemas>\n<rdf:Bag>\n"
		    "<rdf:li rdf:parseType=\"Resource\">\n"
		    "<pdfaSchema:schema>Factur-X PDFA Extension Schema"
		    "</pdfaSchema:schema>\n"
		    "<pdfaSchema:namespaceURI>" FX_NS
		    "</pdfaSchema:namespaceURI>\n"
		    "<pdfaSchema:prefix>fx</pdfaSchema:prefix>\n"
		    "<pdfaSchema:property>\n<rdf:Seq>\n");
		xmp_fx_property(b, "DocumentFileName", "The file name of the "
		    "embedded invoice XML");
		xmp_fx_property(b, "DocumentType", "The type of the hybrid "
		    "document: INVOICE");
		xmp_fx_property(b, "Version", "The version of the Factur-X XML"
		    " schema");
		xmp_fx_property(b, "ConformanceLevel", "The Factur-X profile "
		    "of the embedded XML");
		buf_puts(b, "</rdf:Seq>\n</pdfaSchema:property>\n</rdf:li>\n"
		    "</rdf:Bag>\n</pdfaExtension:schemas>\n"
		    "</rdf:Description>\n"
		    "<rdf:Description rdf:about=\"\" xmlns:fx=\"" FX_NS
		    "\">\n<fx:DocumentType>");
		buf_puts(b, fx->document_type);
		buf_puts(b, "</fx:DocumentType>\n<fx:DocumentFileName>");
		buf_puts(b, fx->file_name);
		buf_puts(b, "</fx:DocumentFileName>\n<fx:Version>");
		buf_puts(b, fx->version);
		buf_puts(b, "</fx:Version>\n<fx:ConformanceLevel>");
		buf_puts(b, fx->conformance_level);
		buf_puts(b, "</fx:ConformanceLevel>\n</rdf:Description>\n");
	}
	buf_puts(b, "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>");
}

/* ---- the PDF/A-3 objects ---- */

/* The date "YYYY-MM-DD" (checked) as a PDF date string, as libharu
 * writes the Info dates: "D:YYYYMMDD000000+00'00'". */
static void
pdf_date(const char *date, char out[24])
{
	snprintf(out, 24, "D:%.4s%.2s%.2s000000+00'00'", date, date + 5,
	    date + 8);
}

/* One attachment: its /EmbeddedFile stream and /Filespec (returned,
 * indirect), or NULL after a failure. */
static struct pdf_obj *
put_attachment(struct pdf *p, const struct pdfout_attachment *a,
    const char *moddate)
{
	struct pdf_obj *ef, *spec, *efd, *params;

	ef = po_stream(p, a->data, a->len, PO_DEFLATE);
	po_put_name(p, ef, "Type", "EmbeddedFile");
	po_put_name(p, ef, "Subtype", a->mime);	/* "/" is written #2F */
	params = po_dict(p);
	po_put(p, ef, "Params", params);
	po_put(p, params, "ModDate", po_string(p, moddate));
	po_put_num(p, params, "Size", (int32_t)a->len);

	spec = po_idict(p);
	po_put_name(p, spec, "Type", "Filespec");
	po_put(p, spec, "F", po_string(p, a->name));
	po_put(p, spec, "UF", po_string(p, a->name));
	if (a->description != NULL) {
		buf_reset(&p->tmp);
		po_utf16be(&p->tmp, a->description, 0);
		po_put_bytes(p, spec, "Desc", p->tmp.data, p->tmp.len);
	}
	po_put_name(p, spec, "AFRelationship", a->relationship);
	efd = po_dict(p);
	po_put(p, spec, "EF", efd);
	po_put(p, efd, "F", ef);
	po_put(p, efd, "UF", ef);
	return p->st == 0 ? spec : NULL;
}

#define ID_PLACEHOLDER "/ID [<00000000000000000000000000000000>" \
    "<00000000000000000000000000000000>]\012"

/*
 * The catalog entries of PDF/A-3: /Metadata (XMP, not compressed, as
 * PDF/A readers expect to find it), /OutputIntents (sRGB), /AF and
 * /Names /EmbeddedFiles for the attachments, and a zero /ID in the
 * trailer that po_set_id() fills in after saving.  Failures are left in
 * p->st.
 */
void
po_pdfa(struct pdf *p, const struct canvas_meta *m, const struct pdfa *pa)
{
	struct pdf_obj *cat = po_catalog(p), *xmp, *icc, *oi, *names, *ef;
	struct pdf_obj *ois, *af = NULL, *tree = NULL;
	char moddate[24];
	size_t i;

	buf_reset(&p->tmp);
	build_xmp(m, pa->fx, &p->tmp);
	xmp = po_stream(p, p->tmp.data, p->tmp.len, PO_RAW);
	po_put_name(p, xmp, "Type", "Metadata");
	po_put_name(p, xmp, "Subtype", "XML");
	po_put(p, cat, "Metadata", xmp);

	/* Not deflated: 988 bytes would become 762, for about 50 us of
	 * zlib per invoice (measured). */
	buf_reset(&p->tmp);
	icc_srgb(&p->tmp);
	icc = po_stream(p, p->tmp.data, p->tmp.len, PO_RAW);
	po_put_num(p, icc, "N", 3);
	ois = po_array(p);
	po_put(p, cat, "OutputIntents", ois);
	oi = po_dict(p);
	po_push(p, ois, oi);
	po_put_name(p, oi, "Type", "OutputIntent");
	po_put_name(p, oi, "S", "GTS_PDFA1");
	po_put(p, oi, "OutputConditionIdentifier", po_string(p,
	    ICC_SRGB_NAME));
	po_put(p, oi, "Info", po_string(p, ICC_SRGB_NAME));
	po_put(p, oi, "RegistryName", po_string(p, "http://www.color.org"));
	po_put(p, oi, "DestOutputProfile", icc);

	if (pa->natt > 0) {
		pdf_date(m->date, moddate);
		af = po_array(p);
		po_put(p, cat, "AF", af);
		names = po_dict(p);
		po_put(p, cat, "Names", names);
		ef = po_dict(p);
		po_put(p, names, "EmbeddedFiles", ef);
		tree = po_array(p);
		po_put(p, ef, "Names", tree);
	}
	for (i = 0; i < pa->natt && p->st == 0; i++) {
		const struct pdfout_attachment *a = &pa->att[pa->order[i]];
		struct pdf_obj *spec = put_attachment(p, a, moddate);

		po_push(p, af, spec);
		po_push(p, tree, po_string(p, a->name));
		po_push(p, tree, spec);
	}
	po_put_raw(p, po_trailer(p), ID_PLACEHOLDER,
	    sizeof(ID_PLACEHOLDER) - 1);
}

/*
 * Fill in the trailer /ID of the PDF saved at out->data + start: both
 * halves are the first 16 bytes of the SHA-256 of the whole file as saved
 * (with the zero /ID), so the same document always gets the same /ID and
 * a different one practically never does.  GEN_EPDF if the placeholder
 * is not where libharu writes the trailer.
 */
enum gen_rc
po_set_id(struct buf *out, size_t start, struct gen_err *err)
{
	static const char key[] = "/ID [<";
	unsigned char md[32];
	struct sha256 h;
	char *pdf = out->data + start, *t = NULL, *id;
	size_t n = out->len - start, i, k, tail;

	tail = n < 1024 ? n : 1024;
	for (i = n - tail; i + 8 <= n; i++)
		if (memcmp(pdf + i, "trailer\012", 8) == 0)
			t = pdf + i;
	id = t != NULL ? memmem(t, (size_t)(pdf + n - t), key,
	    sizeof(key) - 1) : NULL;
	if (id == NULL || (size_t)(pdf + n - id) < sizeof(ID_PLACEHOLDER) - 1
	    || memcmp(id, ID_PLACEHOLDER, sizeof(ID_PLACEHOLDER) - 1) != 0)
		return gen_err_set(err, GEN_EPDF, "pdf: the trailer /ID "
		    "placeholder is missing from the saved document");
	sha256_init(&h);
	sha256_update(&h, pdf, n);
	sha256_final(&h, md);
	id += sizeof(key) - 1;
	for (k = 0; k < 2; k++, id += 34)
		for (i = 0; i < 16; i++) {
			id[2 * i] = po_hexdig[md[i] >> 4];
			id[2 * i + 1] = po_hexdig[md[i] & 15];
		}
	return GEN_OK;
}
