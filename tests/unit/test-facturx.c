/*
 * test-facturx.c - unit tests of the PDF/A-3b / Factur-X side of the PDF
 * back end (pdfout_render_pdfa3, pdfout_render_facturx): a one-page
 * invoice canvas with the CII XML that cii_write makes of the
 * lt-standard sample (tests/einvoice/samples.h) embedded as
 * factur-x.xml, checked with external tools and by parsing the file:
 *
 *   - qpdf --check; the attachment listed and extracted byte for byte
 *     (qpdf --list-attachments / --show-attachment, pdfdetach);
 *   - the objects: catalog /AF, /Names /EmbeddedFiles, /OutputIntents,
 *     /Metadata; the /Filespec (/F, /UF, /Desc, /AFRelationship), the
 *     /EmbeddedFile (/Subtype text/xml, /Params /ModDate /Size, Flate);
 *   - the XMP packet parsed with libxml2: pdfaid part 3 / conformance B,
 *     dc:title/creator/description, xmp dates and pdf:Producer equal to
 *     the Info dictionary (pdfinfo), the fx: properties and their PDF/A
 *     extension schema;
 *   - the output intent's ICC profile is icc_srgb's (test-icc checks the
 *     profile);
 *   - the trailer /ID: the SHA-256 of the file with the /ID zeroed;
 *   - PDFBox preflight (a PDF/A-1b validator: no PDF/A-3 validator is
 *     packaged in Debian 12) reports only the four PDF/A-1-only rules a
 *     PDF/A-3 file with an attachment must break, and does catch an
 *     Info/XMP date mismatch planted in a copy;
 *   - pdftotext still extracts the text; the bytes are the same twice, in
 *     threads, and in a child under a French locale and a far time zone;
 *   - several attachments (name-tree order), no Factur-X block, no
 *     attachment; every refusal and its message.
 *
 * Tools (Debian 12 packages): qpdf, poppler-utils (pdfinfo, pdftotext,
 * pdfdetach), default-jre-headless + libpdfbox2-java +
 * libactivation-java + libjaxb-api-java (preflight).  A missing tool
 * prints "SKIP: ..." and its checks are not run; under make check, which
 * installs them, it fails.  Fonts as test-pdfout ($INVGEN_TEST_FONT_DIR,
 * else the tree's fonts/; a missing one is a failure).
 *
 * Modes
 *   test-facturx               run the tests
 *   test-facturx --write FILE  render the sample after setlocale(LC_ALL,
 *                              "") (the determinism child)
 * Environment: INVGEN_FACTURX_BENCH=1 prints the cost of the PDF/A-3
 * extras over pdfout_render (build with -O2 and without sanitizers for
 * real figures); INVGEN_FACTURX_KEEP=1 keeps the temporary directory.
 */
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "canvas.h"
#include "cii.h"
#include "err.h"
#include "icc.h"
#include "pdfout.h"
#include "qr.h"
#include "sha256.h"
#include "ttf.h"
#include "testlib.h"
#include "testtools.h"
#include "../einvoice/samples.h"

static struct ttf *noto;
static const struct ttf *faces[1];
static const char *const face_names[1] = { "NotoSans-Regular.ttf" };
static struct pdfout_fonts fonts = { faces, face_names, 1 };
static const char *font_dir;

static const struct canvas_color black = { 0, 0, 0 };

#define TITLE "Invoice INV-000101 \"\xc5\xbd" "inu\xc4\x8di\xc5\xb3\" & <Co>"
#define AUTHOR "MB \xc5\xbd" "inu\xc4\x8di\xc5\xb3 linija"
#define SUBJECT "S\xc4\x85skaita fakt\xc5\xabra"
#define LINE1 "PVM s\xc4\x85skaita fakt\xc5\xabra INV-000101"
#define LINE2 "Softphone subscription, 12 months"
#define FX_NS "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

/* PDF/A-1b rules PDFBox preflight applies that PDF/A-3 does not have:
 * no embedded files (two places), CIDSet for subset CID fonts (optional
 * since PDF/A-2), pdfaid:part 1. */
static const char *const pdfa1_only[] = { "1.4.7", "1.2.9", "3.1.11",
    "7.11.2" };

/* The jars preflight needs (Debian paths). */
static const char preflight_cp[] = "/usr/share/java/preflight.jar:"
    "/usr/share/java/pdfbox2.jar:/usr/share/java/fontbox2.jar:"
    "/usr/share/java/xmpbox.jar:/usr/share/java/commons-logging.jar:"
    "/usr/share/java/javax.activation.jar:/usr/share/java/jaxb-api.jar";

/* ---- helpers (as test-pdfout) ---- */

static int
file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

static int
open_fonts(void)
{
	char path[PATH_MAX + 256];
	struct gen_err err = { 0 };

	font_dir = test_font_dir();
	snprintf(path, sizeof(path), "%s/%s", font_dir, face_names[0]);
	if (ttf_open(path, &noto, &err) != GEN_OK) {
		printf("cannot open %s: %s\n", path, err.msg);
		CHECK(0);
		return 0;
	}
	faces[0] = noto;
	return 1;
}

static void
add_string(struct canvas_page *pg, int32_t size, int32_t x, int32_t y,
    const char *s)
{
	struct canvas_glyph g[128];
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	int k, len;

	while (*p != '\0' && n < 128) {
		memset(&g[n], 0, sizeof(g[n]));
		len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : 3;
		g[n].cp[0] = len == 1 ? *p : len == 2 ? (uint32_t)(*p & 0x1f)
		    : (uint32_t)(*p & 0x0f);
		for (k = 1; k < len; k++)
			g[n].cp[0] = g[n].cp[0] << 6 | (p[k] & 0x3f);
		p += len;
		g[n].ncp = 1;
		g[n].gid = ttf_glyph(noto, g[n].cp[0]);
		CHECK(g[n].gid != 0);
		n++;
	}
	canvas_add_text(pg, 0, size, x, y, black, g, n, NULL);
}

/* A one-page invoice: a few runs, a rule, a box and a QR code. */
static struct canvas *
invoice_canvas(void)
{
	const struct canvas_color grey = { 200, 200, 200 };
	static const char qr_data[] = "BCD\n002\n1\nSCT\n\nMB Zinuciu "
	    "linija\nLT121000011101001000\nEUR145.20\n\n\nINV-000101";
	struct qr_matrix qm = { 0 };
	struct gen_err err = { 0 };
	struct canvas *c = canvas_new();
	struct canvas_page *pg = canvas_add_page(c, 595276, 841890);
	char line[64];
	int i;

	canvas_set_meta(c, TITLE, AUTHOR, SUBJECT, "lt", "2025-08-02");
	add_string(pg, 14000, 56693, 780000, LINE1);
	add_string(pg, 9000, 56693, 760000, AUTHOR);
	add_string(pg, 9000, 56693, 700000, LINE2);
	for (i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "Line %d: Additional SIP "
		    "accounts  %d.%02d EUR", i + 1, 10 + i, i * 3);
		add_string(pg, 9000, 56693, 680000 - i * 14000, line);
	}
	canvas_add_line(pg, 56693, 690000, 538583, 690000, 500, grey);
	canvas_add_rect(pg, 340000, 150000, 198583, 60000, NULL, &grey, 500);
	CHECK_INT(qr_encode(qr_data, strlen(qr_data), QR_ECL_M, 13, &qm,
	    &err), GEN_OK);
	canvas_add_qr(pg, 56693, 200000, 1500, qm.size, qm.modules);
	qr_matrix_free(&qm);
	return c;
}

/* The CII XML of the lt-standard sample into xml. */
static void
sample_xml(struct buf *xml)
{
	struct document *d = sample_lt_standard();
	struct gen_err err = { 0 };

	CHECK_INT(cii_write(d, xml, &err), GEN_OK);
	CHECK(xml->len > 1000);
	document_free(d);
}

/* The value of "/Key N 0 R" in a qpdf dictionary dump, or -1. */
static int
ref_of(const char *dict, const char *key)
{
	const char *p = dict != NULL ? strstr(dict, key) : NULL;
	int n;

	if (p == NULL || sscanf(p + strlen(key), " %d 0 R", &n) != 1)
		return -1;
	return n;
}

/* qpdf --show-object=what (a number or "trailer") into out. */
static int
show(const char *path, const char *what, struct buf *out)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "qpdf --show-object=%s '%s'", what, path);
	return run(cmd, out);
}

static int
show_n(const char *path, int n, struct buf *out)
{
	char what[16];

	snprintf(what, sizeof(what), "%d", n);
	return show(path, what, out);
}

/* The decoded data of stream object n into out. */
static int
stream_data(const char *path, int n, struct buf *out)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "qpdf --show-object=%d "
	    "--filtered-stream-data '%s'", n, path);
	return run(cmd, out);
}

/* ---- XMP ---- */

static const char *const xmp_ns[][2] = {
	{ "x", "adobe:ns:meta/" },
	{ "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#" },
	{ "pdfaid", "http://www.aiim.org/pdfa/ns/id/" },
	{ "dc", "http://purl.org/dc/elements/1.1/" },
	{ "xmp", "http://ns.adobe.com/xap/1.0/" },
	{ "pdf", "http://ns.adobe.com/pdf/1.3/" },
	{ "pdfaExtension", "http://www.aiim.org/pdfa/ns/extension/" },
	{ "pdfaSchema", "http://www.aiim.org/pdfa/ns/schema#" },
	{ "pdfaProperty", "http://www.aiim.org/pdfa/ns/property#" },
	{ "fx", FX_NS },
};

struct xmp {
	xmlDocPtr doc;
	xmlXPathContextPtr ctx;
	char val[4096];
};

static int
xmp_load(struct xmp *x, const struct buf *b)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->doc = xmlReadMemory(b->data, (int)b->len, "xmp.xml", NULL,
	    XML_PARSE_NONET);
	CHECK(x->doc != NULL);
	if (x->doc == NULL)
		return 0;
	x->ctx = xmlXPathNewContext(x->doc);
	for (i = 0; i < sizeof(xmp_ns) / sizeof(xmp_ns[0]); i++)
		xmlXPathRegisterNs(x->ctx, BAD_CAST xmp_ns[i][0],
		    BAD_CAST xmp_ns[i][1]);
	return 1;
}

static void
xmp_unload(struct xmp *x)
{
	xmlXPathFreeContext(x->ctx);
	xmlFreeDoc(x->doc);
}

/* string(expr) */
static const char *
xs(struct xmp *x, const char *expr)
{
	char q[1024];
	xmlXPathObjectPtr r;

	snprintf(q, sizeof(q), "string(%s)", expr);
	x->val[0] = '\0';
	r = xmlXPathEvalExpression(BAD_CAST q, x->ctx);
	if (r != NULL && r->stringval != NULL)
		snprintf(x->val, sizeof(x->val), "%s",
		    (const char *)r->stringval);
	xmlXPathFreeObject(r);
	return x->val;
}

/* number(count(expr)) */
static int
xcount(struct xmp *x, const char *expr)
{
	char q[1024];
	xmlXPathObjectPtr r;
	int n = -1;

	snprintf(q, sizeof(q), "count(%s)", expr);
	r = xmlXPathEvalExpression(BAD_CAST q, x->ctx);
	if (r != NULL)
		n = (int)r->floatval;
	xmlXPathFreeObject(r);
	return n;
}

#define D "/x:xmpmeta/rdf:RDF/rdf:Description"

static void
check_xmp(const struct buf *b, int with_fx)
{
	static const char head[] = "<?xpacket begin=\"\xef\xbb\xbf\" "
	    "id=\"W5M0MpCehiHzreSzNTczkc9d\"?>";
	static const char tail[] = "<?xpacket end=\"w\"?>";
	static const char *const props[] = { "DocumentFileName",
	    "DocumentType", "Version", "ConformanceLevel" };
	struct xmp x;
	char q[512];
	size_t i;

	CHECK(b->len > sizeof(head) && memcmp(b->data, head,
	    sizeof(head) - 1) == 0);
	CHECK(b->len > sizeof(tail) && memcmp(b->data + b->len -
	    (sizeof(tail) - 1), tail, sizeof(tail) - 1) == 0);
	if (!xmp_load(&x, b))
		return;
	CHECK_STR(xs(&x, D "/pdfaid:part"), "3");
	CHECK_STR(xs(&x, D "/pdfaid:conformance"), "B");
	CHECK_STR(xs(&x, D "/dc:title/rdf:Alt/rdf:li[@xml:lang='x-default']"),
	    TITLE);
	CHECK_INT(xcount(&x, D "/dc:creator/rdf:Seq/rdf:li"), 1);
	CHECK_STR(xs(&x, D "/dc:creator/rdf:Seq/rdf:li"), AUTHOR);
	CHECK_STR(xs(&x, D "/dc:description/rdf:Alt/rdf:li"
	    "[@xml:lang='x-default']"), SUBJECT);
	CHECK_STR(xs(&x, D "/xmp:CreateDate"), "2025-08-02T00:00:00+00:00");
	CHECK_STR(xs(&x, D "/xmp:ModifyDate"), "2025-08-02T00:00:00+00:00");
	CHECK_STR(xs(&x, D "/pdf:Producer"), "invgen");
	/* Nothing random: no instance ids at all. */
	CHECK(strstr(b->data, "xmpMM") == NULL);
	if (!with_fx) {
		CHECK_INT(xcount(&x, "//fx:*"), 0);
		CHECK_INT(xcount(&x, "//pdfaExtension:schemas"), 0);
		xmp_unload(&x);
		return;
	}
	CHECK_STR(xs(&x, D "/fx:DocumentType"), "INVOICE");
	CHECK_STR(xs(&x, D "/fx:DocumentFileName"), "factur-x.xml");
	CHECK_STR(xs(&x, D "/fx:Version"), "1.0");
	CHECK_STR(xs(&x, D "/fx:ConformanceLevel"), "EN 16931");
#define S D "/pdfaExtension:schemas/rdf:Bag/rdf:li"
	CHECK_INT(xcount(&x, S), 1);
	CHECK_STR(xs(&x, S "/pdfaSchema:namespaceURI"), FX_NS);
	CHECK_STR(xs(&x, S "/pdfaSchema:prefix"), "fx");
	CHECK(strlen(xs(&x, S "/pdfaSchema:schema")) > 0);
	CHECK_INT(xcount(&x, S "/pdfaSchema:property/rdf:Seq/rdf:li"), 4);
	for (i = 0; i < 4; i++) {
		snprintf(q, sizeof(q), S "/pdfaSchema:property/rdf:Seq/"
		    "rdf:li[pdfaProperty:name='%s']", props[i]);
		CHECK_INT(xcount(&x, q), 1);
		snprintf(q, sizeof(q), S "/pdfaSchema:property/rdf:Seq/"
		    "rdf:li[pdfaProperty:name='%s']/pdfaProperty:valueType",
		    props[i]);
		CHECK_STR(xs(&x, q), "Text");
		snprintf(q, sizeof(q), S "/pdfaSchema:property/rdf:Seq/"
		    "rdf:li[pdfaProperty:name='%s']/pdfaProperty:category",
		    props[i]);
		CHECK_STR(xs(&x, q), "external");
	}
#undef S
	xmp_unload(&x);
}

/* ---- the checks of the Factur-X file ---- */

/* The trailer /ID: both halves the first 16 bytes of the SHA-256 of the
 * file with the /ID hex digits zeroed. */
static void
check_id(const struct buf *pdf)
{
	struct buf z = { 0 };
	unsigned char md[32];
	char hex[33], *id;
	struct sha256 h;
	size_t i;

	buf_append(&z, pdf->data, pdf->len);
	id = memmem(z.data, z.len, "/ID [<", 6);
	CHECK(id != NULL && id > z.data + z.len - 400);
	if (id == NULL)
		goto out;
	id += 6;
	CHECK(memcmp(id, id + 34, 32) == 0 && id[32] == '>' && id[33] ==
	    '<');
	memset(id, '0', 32);
	memset(id + 34, '0', 32);
	sha256_init(&h);
	sha256_update(&h, z.data, z.len);
	sha256_final(&h, md);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02X", md[i]);
	id = memmem(pdf->data, pdf->len, "/ID [<", 6);
	CHECK(id != NULL && memcmp(id + 6, hex, 32) == 0 &&
	    memcmp(id + 40, hex, 32) == 0);
out:
	buf_free(&z);
}

static void
check_objects(const char *path, const struct buf *pdf, const struct buf *xml)
{
	struct buf out = { 0 }, cat = { 0 }, obj = { 0 };
	char cmd[1600];
	int root, meta, icc, spec, ef, n;
	char *p;

	snprintf(cmd, sizeof(cmd), "qpdf --check '%s' 2>&1", path);
	CHECK_INT(run(cmd, &out), 0);
	CHECK_HAS(out.data, "No syntax or stream encoding errors");
	CHECK_HAS(out.data, "PDF Version: 1.7");
	CHECK_HAS(out.data, "File is not encrypted");

	snprintf(cmd, sizeof(cmd), "qpdf --list-attachments '%s'", path);
	CHECK_INT(run(cmd, &out), 0);
	CHECK(strncmp(out.data, "factur-x.xml -> ", 16) == 0);
	CHECK_INT(strchr(out.data, '\n') - out.data + 1, (long)out.len);
	snprintf(cmd, sizeof(cmd), "qpdf --show-attachment=factur-x.xml '%s'",
	    path);
	CHECK_INT(run(cmd, &out), 0);
	CHECK_INT(out.len, xml->len);
	CHECK(out.len == xml->len && memcmp(out.data, xml->data, xml->len) ==
	    0);

	/* trailer -> catalog */
	CHECK_INT(show(path, "trailer", &out), 0);
	CHECK_HAS(out.data, "/ID [ <");
	CHECK(strstr(out.data, "/Encrypt") == NULL);
	root = ref_of(out.data, "/Root");
	CHECK(root > 0);
	CHECK_INT(show_n(path, root, &cat), 0);
	CHECK_HAS(cat.data, "/Type /Catalog");
	CHECK_HAS(cat.data, "/Lang (lt)");
	CHECK_HAS(cat.data, "/OutputIntents [ << ");
	CHECK_HAS(cat.data, "/S /GTS_PDFA1");
	CHECK_HAS(cat.data, "/OutputConditionIdentifier (sRGB IEC61966-2.1)");
	CHECK_HAS(cat.data, "/Type /OutputIntent");
	CHECK(strstr(cat.data, "/OpenAction") == NULL &&
	    strstr(cat.data, "/AcroForm") == NULL &&
	    strstr(cat.data, "/JavaScript") == NULL);
	spec = ref_of(cat.data, "/AF [");
	CHECK(spec > 0);
	CHECK(strstr(cat.data, "/AF [ ") != NULL);
	snprintf(cmd, sizeof(cmd), "/Names << /EmbeddedFiles << /Names [ "
	    "(factur-x.xml) %d 0 R ] >> >>", spec);
	CHECK_HAS(cat.data, cmd);

	/* the metadata stream: not filtered */
	meta = ref_of(cat.data, "/Metadata");
	CHECK(meta > 0);
	CHECK_INT(show_n(path, meta, &obj), 0);
	CHECK_HAS(obj.data, "Object is stream");
	CHECK_HAS(obj.data, "/Subtype /XML");
	CHECK_HAS(obj.data, "/Type /Metadata");
	CHECK(strstr(obj.data, "/Filter") == NULL);
	CHECK_INT(stream_data(path, meta, &out), 0);
	check_xmp(&out, 1);

	/* the output intent's profile */
	icc = ref_of(cat.data, "/DestOutputProfile");
	CHECK(icc > 0);
	CHECK_INT(show_n(path, icc, &obj), 0);
	CHECK_HAS(obj.data, "/N 3");
	CHECK_INT(stream_data(path, icc, &out), 0);
	buf_reset(&obj);
	icc_srgb(&obj);		/* test-icc checks the profile itself */
	CHECK(out.len == obj.len && memcmp(out.data, obj.data, obj.len) == 0);

	/* the file specification and the embedded file */
	CHECK_INT(show_n(path, spec, &obj), 0);
	CHECK_HAS(obj.data, "/Type /Filespec");
	CHECK_HAS(obj.data, "/F (factur-x.xml)");
	CHECK_HAS(obj.data, "/UF (factur-x.xml)");
	CHECK_HAS(obj.data, "/AFRelationship /Alternative");
	CHECK_HAS(obj.data, "/Desc <feff0046006100630074007500720");
	ef = ref_of(obj.data, "/EF << /F");
	CHECK(ef > 0 && ef == ref_of(obj.data, "/UF"));
	CHECK_INT(show_n(path, ef, &obj), 0);
	CHECK_HAS(obj.data, "/Type /EmbeddedFile");
	CHECK_HAS(obj.data, "/Subtype /text#2fxml");
	CHECK_HAS(obj.data, "/Filter /FlateDecode");
	snprintf(cmd, sizeof(cmd), "/Params << /ModDate (D:20250802000000+00"
	    "'00') /Size %zu >>", xml->len);
	CHECK_HAS(obj.data, cmd);
	/* libharu writes the MIME type's "/" as #2F, qpdf lower-cases it */
	CHECK(memmem(pdf->data, pdf->len, "/Subtype /text#2Fxml", 20) !=
	    NULL);

	/* Every page: no annotations, no transparency group. */
	snprintf(cmd, sizeof(cmd), "qpdf --qdf --object-streams=disable "
	    "'%s' - | tr -d '\\000'", path);
	CHECK_INT(run(cmd, &out), 0);
	CHECK(strstr(out.data, "/Annots") == NULL);
	CHECK(strstr(out.data, "/Group") == NULL);
	CHECK(strstr(out.data, "/SMask") == NULL);
	CHECK(strstr(out.data, "/CA ") == NULL);
	/* the fonts are embedded */
	n = 0;
	for (p = out.data; (p = strstr(p, "/FontFile2")) != NULL; p++)
		n++;
	CHECK_INT(n, 1);

	if (have_tool("pdfdetach")) {
		snprintf(cmd, sizeof(cmd), "pdfdetach -list '%s'", path);
		CHECK_INT(run(cmd, &out), 0);
		CHECK_HAS(out.data, "1 embedded files\n1: factur-x.xml\n");
	}
	if (have_tool("pdfinfo")) {
		snprintf(cmd, sizeof(cmd), "pdfinfo -isodates '%s'", path);
		CHECK_INT(run(cmd, &out), 0);
		CHECK_HAS(out.data, "Title:           " TITLE "\n");
		CHECK_HAS(out.data, "Author:          " AUTHOR "\n");
		CHECK_HAS(out.data, "Subject:         " SUBJECT "\n");
		CHECK_HAS(out.data, "Producer:        invgen\n");
		CHECK_HAS(out.data, "CreationDate:    2025-08-02T00:00:00Z\n");
		CHECK_HAS(out.data, "ModDate:         2025-08-02T00:00:00Z\n");
		CHECK_HAS(out.data, "Metadata Stream: yes\n");
		CHECK_HAS(out.data, "PDF version:     1.7\n");
	}
	if (have_tool("pdftotext")) {
		snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
		CHECK_INT(run(cmd, &out), 0);
		CHECK_HAS(out.data, LINE1);
		CHECK_HAS(out.data, AUTHOR);
		CHECK_HAS(out.data, LINE2);
		CHECK_HAS(out.data, "Line 20: Additional SIP accounts");
	}
	buf_free(&out);
	buf_free(&cat);
	buf_free(&obj);
}

/* Run preflight on path; the codes it reports (" code" each) into codes.
 * Returns 0 when preflight could not run. */
static int
preflight(const char *path, struct buf *codes)
{
	struct buf out = { 0 };
	char cmd[1600], code[32];
	const char *line;
	int st;

	snprintf(cmd, sizeof(cmd), "java -cp '%s' "
	    "org.apache.pdfbox.preflight.Validator_A1b '%s' 2>&1",
	    preflight_cp, path);
	st = run(cmd, &out);
	buf_reset(codes);
	buf_append(codes, "", 0);
	if (strstr(out.data, "PDF/A-1b file") == NULL) {
		printf("preflight did not run (status %d):\n%s\n", st,
		    out.data);
		buf_free(&out);
		return 0;
	}
	for (line = out.data; line != NULL && *line != '\0';
	    line = strchr(line, '\n') != NULL ? strchr(line, '\n') + 1 :
	    NULL)
		if (sscanf(line, "%31[0-9.] : ", code) == 1 &&
		    strstr(line, " : ") != NULL) {
			buf_putc(codes, ' ');
			buf_puts(codes, code);
			if (strstr(line, "7.11.2") == NULL) {
				size_t i, n = sizeof(pdfa1_only) /
				    sizeof(pdfa1_only[0]);

				for (i = 0; i < n; i++)
					if (strcmp(code, pdfa1_only[i]) == 0)
						break;
				if (i == n)
					printf("preflight: %.*s\n",
					    (int)strcspn(line, "\n"), line);
			}
		}
	buf_free(&out);
	return 1;
}

static void
check_preflight(const char *dir, const char *path, const struct buf *pdf)
{
	struct buf codes = { 0 }, bad = { 0 };
	char jar[64], copy[600], *p;
	const char *c;
	size_t i, n = sizeof(pdfa1_only) / sizeof(pdfa1_only[0]);

	if (!have_tool("java"))
		return;
	for (c = preflight_cp; *c != '\0'; c += strcspn(c, ":") +
	    (c[strcspn(c, ":")] == ':')) {
		snprintf(jar, sizeof(jar), "%.*s", (int)strcspn(c, ":"), c);
		if (!file_exists(jar)) {
			char what[128];

			snprintf(what, sizeof(what), "%s not installed "
			    "(preflight)", jar);
			tool_missing(what);
			return;
		}
	}
	CHECK(preflight(path, &codes));
	/* Exactly the PDF/A-1-only rules; 7.11.2 (part must be 1) shows it
	 * read our XMP. */
	for (i = 0; i < n; i++) {
		char want[16];

		snprintf(want, sizeof(want), " %s", pdfa1_only[i]);
		CHECK_HAS(codes.data, want);
		while ((p = strstr(codes.data, want)) != NULL)
			memmove(p, p + strlen(want), strlen(p + strlen(want))
			    + 1);
	}
	CHECK_STR(codes.data, "");

	/* A copy whose XMP CreateDate disagrees with the Info dictionary
	 * must fail 7.2: the validator does compare them. */
	buf_append(&bad, pdf->data, pdf->len);
	p = memmem(bad.data, bad.len, "<xmp:CreateDate>2025-08-02", 26);
	CHECK(p != NULL);
	if (p != NULL) {
		p[25] = '3';
		snprintf(copy, sizeof(copy), "%s/bad-date.pdf", dir);
		CHECK(write_file(copy, bad.data, bad.len));
		CHECK(preflight(copy, &codes));
		CHECK_HAS(codes.data, " 7.2");
	}
	buf_free(&codes);
	buf_free(&bad);
}

/* ---- more shapes of the API ---- */

/* Two attachments and no Factur-X block; then none at all. */
static void
test_general(const char *dir)
{
	static const char csv[] = "a;b\n1;2\n", txt[] = "hello\n";
	const struct pdfout_attachment att[2] = {
		{ "b-notes.txt", "text/plain", "Notes", "Supplement", txt,
		    sizeof(txt) - 1 },
		{ "a_data.csv", "text/csv", NULL, "Data", csv,
		    sizeof(csv) - 1 },
	};
	struct buf pdf = { 0 }, out = { 0 }, cat = { 0 };
	struct gen_err err = { 0 };
	struct canvas *c = invoice_canvas();
	char path[600], cmd[1600];
	int root, meta, a, b;

	snprintf(path, sizeof(path), "%s/general.pdf", dir);
	CHECK_INT(pdfout_render_pdfa3(c, &fonts, att, 2, NULL, &pdf, &err),
	    GEN_OK);
	CHECK(write_file(path, pdf.data, pdf.len));
	snprintf(cmd, sizeof(cmd), "qpdf --check '%s' >/dev/null && "
	    "qpdf --list-attachments '%s'", path, path);
	CHECK_INT(run(cmd, &out), 0);
	CHECK(strncmp(out.data, "a_data.csv -> ", 14) == 0);
	CHECK_HAS(out.data, "\nb-notes.txt -> ");
	snprintf(cmd, sizeof(cmd), "qpdf --show-attachment=b-notes.txt '%s'",
	    path);
	CHECK_INT(run(cmd, &out), 0);
	CHECK_STR(out.data, txt);
	CHECK_INT(show(path, "trailer", &out), 0);
	root = ref_of(out.data, "/Root");
	CHECK_INT(show_n(path, root, &cat), 0);
	/* name tree keys in byte order; /AF in the same order */
	a = ref_of(cat.data, "(a_data.csv)");
	b = ref_of(cat.data, "(b-notes.txt)");
	CHECK(a > 0 && b > 0 && a != b);
	snprintf(cmd, sizeof(cmd), "/AF [ %d 0 R %d 0 R ]", a, b);
	CHECK_HAS(cat.data, cmd);
	CHECK_INT(show_n(path, a, &out), 0);
	CHECK_HAS(out.data, "/AFRelationship /Data");
	CHECK(strstr(out.data, "/Desc") == NULL);
	CHECK_INT(show_n(path, b, &out), 0);
	CHECK_HAS(out.data, "/AFRelationship /Supplement");
	meta = ref_of(cat.data, "/Metadata");
	CHECK_INT(stream_data(path, meta, &out), 0);
	check_xmp(&out, 0);

	/* no attachments: PDF/A-3b all the same, without /AF or /Names */
	buf_reset(&pdf);
	CHECK_INT(pdfout_render_pdfa3(c, &fonts, NULL, 0, NULL, &pdf, &err),
	    GEN_OK);
	CHECK(write_file(path, pdf.data, pdf.len));
	CHECK_INT(show(path, "trailer", &out), 0);
	root = ref_of(out.data, "/Root");
	CHECK_INT(show_n(path, root, &cat), 0);
	CHECK(strstr(cat.data, "/AF") == NULL);
	CHECK(strstr(cat.data, "/Names") == NULL);
	CHECK_HAS(cat.data, "/OutputIntents");
	CHECK_HAS(cat.data, "/Metadata");
	check_id(&pdf);

	/* the plain render has none of it */
	buf_reset(&pdf);
	CHECK_INT(pdfout_render(c, &fonts, &pdf, &err), GEN_OK);
	CHECK(memmem(pdf.data, pdf.len, "/ID", 3) == NULL);
	CHECK(memmem(pdf.data, pdf.len, "/Metadata", 9) == NULL);
	CHECK(memmem(pdf.data, pdf.len, "/OutputIntents", 14) == NULL);

	canvas_free(c);
	buf_free(&pdf);
	buf_free(&out);
	buf_free(&cat);
}

/* Render expecting failure rc with a message containing msg; out must
 * keep what it held. */
static void
expect_fail(const struct canvas *c, const struct pdfout_attachment *att,
    size_t natt, const struct pdfout_facturx *fx, const char *msg)
{
	struct buf out = { 0 };
	struct gen_err err = { 0 };

	buf_puts(&out, "keep");
	CHECK_INT(pdfout_render_pdfa3(c, &fonts, att, natt, fx, &out, &err),
	    GEN_EINPUT);
	CHECK_MSG(err, msg);
	CHECK_INT(out.len, 4);
	CHECK_STR(out.data, "keep");
	buf_free(&out);
}

static void
test_refusals(void)
{
	static const char x[] = "<a/>";
	const struct pdfout_facturx fx = { "INVOICE", "factur-x.xml", "1.0",
	    "EN 16931" };
	struct pdfout_attachment att[2] = {
		{ "factur-x.xml", "text/xml", "d", "Alternative", x, 4 },
		{ "other.xml", "text/xml", NULL, "Data", x, 4 },
	};
	struct pdfout_facturx f;
	struct canvas_glyph g = { 0, 1, { 'x', 0, 0 } };
	struct canvas *c = invoice_canvas();
	struct buf out = { 0 };
	struct gen_err err = { 0 };
	char *saved;

	saved = c->meta.date;
	c->meta.date = NULL;
	expect_fail(c, att, 1, &fx, "meta.date: missing; allowed: "
	    "YYYY-MM-DD");
	c->meta.date = saved;
	saved = c->meta.title;
	c->meta.title = "Invoice\x01";
	expect_fail(c, att, 1, &fx, "meta.title: control character");
	c->meta.title = saved;
	/* pdfout_render's own checks come first */
	saved = c->meta.date;
	c->meta.date = "2025-02-30";
	expect_fail(c, att, 1, &fx, "meta.date: '2025-02-30' is not a date");
	c->meta.date = saved;

	att[0].name = "factur x.xml";
	expect_fail(c, att, 1, &fx, "attachments[0].name: 'factur x.xml'; "
	    "allowed: 1 to 127 of A-Z a-z 0-9 . _ -");
	att[0].name = "..";
	expect_fail(c, att, 1, &fx, "attachments[0].name: '..'");
	att[0].name = NULL;
	expect_fail(c, att, 1, &fx, "attachments[0].name: '(null)'");
	att[0].name = "factur-x.xml";
	att[1].mime = "text";
	expect_fail(c, att, 2, &fx, "attachments[1].mime: 'text'; allowed: "
	    "a MIME type");
	att[1].mime = "text/x ml";
	expect_fail(c, att, 2, &fx, "attachments[1].mime: 'text/x ml'");
	att[1].mime = "text/xml";
	att[1].relationship = "alternative";
	expect_fail(c, att, 2, &fx, "attachments[1].relationship: "
	    "'alternative'; allowed: Source, Data, Alternative, Supplement, "
	    "Unspecified");
	att[1].relationship = "Data";
	att[1].len = 0;
	expect_fail(c, att, 2, &fx, "attachments[1].len: 0 bytes; allowed: "
	    "1 byte to 1 GiB");
	att[1].len = 4;
	att[1].data = NULL;
	expect_fail(c, att, 2, &fx, "attachments[1].data: 4 bytes at NULL");
	att[1].data = x;
	att[1].description = "bad \xff";
	expect_fail(c, att, 2, &fx, "attachments[1].description: not valid "
	    "UTF-8");
	att[1].description = NULL;
	att[1].name = "factur-x.xml";
	expect_fail(c, att, 2, &fx, "attachments[1].name: 'factur-x.xml' is "
	    "also attachments[0]; allowed: distinct names");
	att[1].name = "other.xml";

	f = fx;
	f.document_type = "ORDER";
	expect_fail(c, att, 2, &f, "facturx.document_type: 'ORDER'; allowed:"
	    " INVOICE");
	f = fx;
	f.conformance_level = "EN16931";
	expect_fail(c, att, 2, &f, "facturx.conformance_level: 'EN16931'; "
	    "allowed: MINIMUM, BASIC WL, BASIC, EN 16931, EXTENDED, "
	    "XRECHNUNG");
	f = fx;
	f.version = "1.0<";
	expect_fail(c, att, 2, &f, "facturx.version: '1.0<'");
	f = fx;
	f.file_name = "zugferd-invoice.xml";
	expect_fail(c, att, 2, &f, "facturx.file_name: 'zugferd-invoice.xml'"
	    " is not attached");
	expect_fail(c, NULL, 0, &fx, "facturx.file_name: 'factur-x.xml' is "
	    "not attached");
	expect_fail(c, NULL, 2, NULL, "attachments: NULL with 2 entries");

	/* .notdef drawn: fine for pdfout_render, refused for PDF/A */
	canvas_add_text(&c->pages[0], 0, 10000, 0, 0, black, &g, 1, NULL);
	CHECK_INT(pdfout_render(c, &fonts, &out, &err), GEN_OK);
	expect_fail(c, att, 1, &fx, "page 1 op ");
	expect_fail(c, att, 1, &fx, "glyph 1 is 0 (.notdef); allowed in "
	    "PDF/A: glyphs the font has");
	buf_reset(&out);
	buf_puts(&out, "keep");
	CHECK_INT(pdfout_render_facturx(c, &fonts, x, 4, &out, &err),
	    GEN_EINPUT);
	CHECK_STR(out.data, "keep");
	canvas_free(c);
	buf_free(&out);
}

/* ---- determinism ---- */

static int
render_sample(struct buf *pdf, struct gen_err *err)
{
	struct buf xml = { 0 };
	struct canvas *c = invoice_canvas();
	int rc;

	sample_xml(&xml);
	rc = pdfout_render_facturx(c, &fonts, xml.data, xml.len, pdf, err);
	canvas_free(c);
	buf_free(&xml);
	return rc;
}

/* Threads render one canvas and XML built beforehand (the check macros
 * are not thread-safe: threads only count). */
struct job {
	const struct canvas	*c;
	const struct buf	*xml;
	const struct buf	*want;
	int			 same;
};

static void *
render_job(void *arg)
{
	struct job *j = arg;
	struct buf pdf = { 0 };
	struct gen_err err = { 0 };
	int i;

	for (i = 0; i < 5; i++) {
		buf_reset(&pdf);
		if (pdfout_render_facturx(j->c, &fonts, j->xml->data,
		    j->xml->len, &pdf, &err) == GEN_OK &&
		    pdf.len == j->want->len &&
		    memcmp(pdf.data, j->want->data, pdf.len) == 0)
			j->same++;
	}
	buf_free(&pdf);
	return NULL;
}

static void
test_determinism(const char *self, const char *dir, const struct buf *pdf)
{
	struct buf again = { 0 }, other = { 0 }, xml = { 0 };
	struct gen_err err = { 0 };
	struct canvas *c = invoice_canvas();
	struct job jobs[3];
	pthread_t tid[3];
	char path[600], cmd[1400];
	int st, i;

	CHECK_INT(render_sample(&again, &err), GEN_OK);
	CHECK(again.len == pdf->len && memcmp(again.data, pdf->data,
	    pdf->len) == 0);

	sample_xml(&xml);
	for (i = 0; i < 3; i++) {
		jobs[i].c = c;
		jobs[i].xml = &xml;
		jobs[i].want = pdf;
		jobs[i].same = 0;
		CHECK_INT(pthread_create(&tid[i], NULL, render_job, &jobs[i]),
		    0);
	}
	for (i = 0; i < 3; i++) {
		CHECK_INT(pthread_join(tid[i], NULL), 0);
		CHECK_INT(jobs[i].same, 5);
	}
	buf_free(&xml);

	snprintf(path, sizeof(path), "%s/child.pdf", dir);
	snprintf(cmd, sizeof(cmd), "LANG=fr_FR.UTF-8 LC_ALL=fr_FR.UTF-8 "
	    "TZ=Pacific/Chatham INVGEN_TEST_FONT_DIR='%s' '%s' --write '%s'",
	    font_dir, self, path);
	st = system(cmd);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (st == 3)
		tool_missing("locale fr_FR.UTF-8 not installed (compared "
		    "bytes under TZ=Pacific/Chatham only)");
	CHECK(st == 0 || st == 3);
	CHECK(read_file(path, &other));
	CHECK(other.len == pdf->len && memcmp(other.data, pdf->data,
	    pdf->len) == 0);

	/* A different attachment gives a different /ID. */
	buf_reset(&again);
	CHECK_INT(pdfout_render_facturx(c, &fonts, "<x/>", 4, &again, &err),
	    GEN_OK);
	canvas_free(c);
	CHECK(memcmp(memmem(again.data, again.len, "/ID [<", 6),
	    memmem(pdf->data, pdf->len, "/ID [<", 6), 40) != 0);
	buf_free(&again);
	buf_free(&other);
}

static int
write_mode(const char *path)
{
	struct buf pdf = { 0 };
	struct gen_err err = { 0 };
	int french, ok;

	french = setlocale(LC_ALL, "") != NULL &&
	    strcmp(localeconv()->decimal_point, ",") == 0;
	tzset();
	if (!open_fonts())
		return 1;
	ok = render_sample(&pdf, &err) == GEN_OK && write_file(path, pdf.data,
	    pdf.len);
	if (!ok)
		fprintf(stderr, "write mode: %s\n", err.msg);
	buf_free(&pdf);
	ttf_close(noto);
	return !ok ? 1 : french ? 0 : 3;
}

/* ---- benchmark ---- */

static int
cmp_ns(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Median CPU time and size of pdfout_render, of pdfout_render_pdfa3
 * without attachments (XMP, ICC profile, /ID) and of
 * pdfout_render_facturx (plus the CII XML) on the same canvas. */
static void
bench(void)
{
	enum { RUNS = 1001 };
	static const char *const what[3] = { "pdfout_render",
	    "pdfout_render_pdfa3 (no attachment)", "pdfout_render_facturx" };
	int64_t *t[3], t0;
	struct buf pdf = { 0 }, xml = { 0 };
	struct gen_err err = { 0 };
	struct canvas *c = invoice_canvas();
	size_t len[3] = { 0, 0, 0 }, i;
	enum gen_rc rc;
	int k;

	sample_xml(&xml);
	for (k = 0; k < 3; k++) {
		t[k] = calloc(RUNS, sizeof(int64_t));
		for (i = 0; i < RUNS; i++) {
			buf_reset(&pdf);
			t0 = now_ns();
			rc = k == 0 ? pdfout_render(c, &fonts, &pdf, &err) :
			    k == 1 ? pdfout_render_pdfa3(c, &fonts, NULL, 0,
			    NULL, &pdf, &err) : pdfout_render_facturx(c,
			    &fonts, xml.data, xml.len, &pdf, &err);
			if (rc != GEN_OK)
				break;
			t[k][i] = now_ns() - t0;
			len[k] = pdf.len;
		}
		CHECK_INT(i, RUNS);
		qsort(t[k], RUNS, sizeof(int64_t), cmp_ns);
		printf("facturx bench: %s: cpu median %lld us, %zu bytes "
		    "(%+lld us, %+lld bytes)\n", what[k],
		    (long long)t[k][RUNS / 2] / 1000, len[k],
		    (long long)(t[k][RUNS / 2] - t[0][RUNS / 2]) / 1000,
		    (long long)len[k] - (long long)len[0]);
	}
	printf("facturx bench: CII XML %zu bytes, %d renders each\n",
	    xml.len, RUNS);
	for (k = 0; k < 3; k++)
		free(t[k]);
	buf_free(&pdf);
	buf_free(&xml);
	canvas_free(c);
}

int
main(int argc, char **argv)
{
	struct buf pdf = { 0 }, xml = { 0 };
	struct gen_err err = { 0 };
	char dir[] = "/tmp/test-facturx.XXXXXX", path[600], cmd[700];
	struct canvas *c;
	const unsigned char *h;

	(void)samples_write;	/* samples.h's, for test-ubl/test-cii */
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_mode(argv[2]);
	if (!open_fonts())
		return test_report();
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}

	sample_xml(&xml);
	c = invoice_canvas();
	buf_puts(&pdf, "prefix");
	CHECK_INT(pdfout_render_facturx(c, &fonts, xml.data, xml.len, &pdf,
	    &err), GEN_OK);
	CHECK_STR(err.msg, "");
	canvas_free(c);
	CHECK(pdf.len > 6 && memcmp(pdf.data, "prefix%PDF-1.7\n%", 16) == 0);
	memmove(pdf.data, pdf.data + 6, pdf.len - 6);
	pdf.len -= 6;
	/* the binary comment: four bytes >= 128 (ISO 19005-3 6.1.2) */
	h = (const unsigned char *)pdf.data + 10;
	CHECK(pdf.len > 15 && h[0] >= 128 && h[1] >= 128 && h[2] >= 128 &&
	    h[3] >= 128 && h[4] == '\n');
	CHECK(pdf.len > 6 && memcmp(pdf.data + pdf.len - 6, "%%EOF\n", 6) ==
	    0);
	check_id(&pdf);

	snprintf(path, sizeof(path), "%s/facturx.pdf", dir);
	CHECK(write_file(path, pdf.data, pdf.len));
	if (have_tool("qpdf")) {
		check_objects(path, &pdf, &xml);
		test_general(dir);
	}
	check_preflight(dir, path, &pdf);
	test_determinism(argv[0], dir, &pdf);
	test_refusals();
	if (getenv("INVGEN_FACTURX_BENCH") != NULL)
		bench();

	buf_free(&pdf);
	buf_free(&xml);
	ttf_close(noto);
	xmlCleanupParser();
	if (getenv("INVGEN_FACTURX_KEEP") != NULL)
		printf("kept %s\n", dir);
	else {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		CHECK_INT(system(cmd), 0);
	}
	return test_report();
}
