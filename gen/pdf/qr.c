/*
 * qr.c - QR code encoding with libqrencode (see qr.h); the only includer of
 * <qrencode.h>.
 *
 * Turns libqrencode's QRcode (one byte per module, bit 0 = dark, plus
 * bits we do not need) into struct qr_matrix, and its NULL + errno into
 * enum gen_rc.  Must not draw or write files.
 *
 * Threads: qrencode.h marks every encoding function "THREAD UNSAFE when
 * pthread is disabled": a libqrencode configured without pthread support
 * initialises shared Reed-Solomon tables without a lock.  Debian's build
 * has the support (libqrencode.so.4 imports pthread_mutex_lock), but
 * nothing in the header tells at compile time which kind we link, so
 * qr_lock serialises our calls into the library.  It is the one piece of
 * static mutable state here; an encode takes well under a millisecond,
 * so the lock costs nothing measurable.  Link with -lpthread.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#include <qrencode.h>

#include "err.h"
#include "qr.h"

static pthread_mutex_t qr_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *
ecl_name(enum qr_ecl level)
{
	switch (level) {
	case QR_ECL_L:	return "L";
	case QR_ECL_M:	return "M";
	case QR_ECL_Q:	return "Q";
	case QR_ECL_H:	return "H";
	}
	return "?";
}

enum gen_rc
qr_encode(const void *data, size_t len, enum qr_ecl level, int max_version,
    struct qr_matrix *out, struct gen_err *err)
{
	QRcode		*code;
	QRecLevel	 ql;
	enum gen_rc	 rc = GEN_OK;
	size_t		 i, n;
	int		 saved;

	switch (level) {
	case QR_ECL_L:	ql = QR_ECLEVEL_L;	break;
	case QR_ECL_M:	ql = QR_ECLEVEL_M;	break;
	case QR_ECL_Q:	ql = QR_ECLEVEL_Q;	break;
	case QR_ECL_H:	ql = QR_ECLEVEL_H;	break;
	default:
		return gen_err_set(err, GEN_EINTERNAL, "qr: error-correction "
		    "level %d unknown; allowed: L, M, Q, H", (int)level);
	}
	if (max_version < 1 || max_version > 40)
		return gen_err_set(err, GEN_EINTERNAL, "qr: max_version %d; "
		    "allowed: 1..40", max_version);
	if (data == NULL || len == 0)
		return gen_err_set(err, GEN_EINPUT, "qr: no data to encode; "
		    "allowed: 1 or more bytes");
	if (len > INT_MAX)
		return gen_err_set(err, GEN_EINPUT, "qr: %zu bytes do not fit "
		    "in any QR version at level %s", len, ecl_name(level));

	/* Version 0: the smallest version that holds the data. */
	pthread_mutex_lock(&qr_lock);
	errno = 0;
	code = QRcode_encodeData((int)len, data, 0, ql);
	saved = errno;
	pthread_mutex_unlock(&qr_lock);

	if (code == NULL) {
		if (saved == ERANGE)
			return gen_err_set(err, GEN_EINPUT, "qr: %zu bytes do "
			    "not fit in any QR version at level %s; allowed: "
			    "version %d at most", len, ecl_name(level),
			    max_version);
		return gen_err_set(err, GEN_EINTERNAL, "qr: libqrencode "
		    "failed on %zu bytes (errno %d)", len, saved);
	}
	if (code->version > max_version) {
		rc = gen_err_set(err, GEN_EINPUT, "qr: %zu bytes need QR "
		    "version %d at level %s; allowed: version %d at most", len,
		    code->version, ecl_name(level), max_version);
		goto out;
	}

	n = (size_t)code->width * (size_t)code->width;
	out->version = code->version;
	out->size = code->width;
	out->modules = xmalloc(n);
	for (i = 0; i < n; i++)
		out->modules[i] = code->data[i] & 1;
out:
	QRcode_free(code);
	return rc;
}

void
qr_matrix_free(struct qr_matrix *m)
{
	if (m == NULL)
		return;
	free(m->modules);
	m->modules = NULL;
	m->size = 0;
	m->version = 0;
}

const char *
qr_lib_version(void)
{
	return QRcode_APIVersionString();
}
