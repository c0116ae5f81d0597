/*
 * qr.h - bytes to a QR code module matrix, through libqrencode.
 *
 * Exports qr_encode and qr_matrix_free.  qr.c is the only file that
 * includes <qrencode.h>; callers see a plain matrix of dark and light
 * modules and draw it themselves (PDF, PBM).  The data are always encoded
 * whole in 8-bit (byte) mode, so UTF-8 text and NUL bytes pass unchanged.
 * Safe to call from several threads at once (see qr.c).
 */
#ifndef INVGEN_QR_H
#define INVGEN_QR_H

#include <stddef.h>

#include "invgen.h"

/* Error-correction level: recovers about 7, 15, 25, 30 % of the symbol. */
enum qr_ecl {
	QR_ECL_L,
	QR_ECL_M,	/* the EPC QR code's level */
	QR_ECL_Q,
	QR_ECL_H
};

/*
 * A QR symbol without its quiet zone (callers add the 4 light modules of
 * ISO/IEC 18004 around it).  modules holds size * size bytes, row after
 * row from the top left, 1 for dark and 0 for light.  size = 17 + 4 *
 * version.  Zero-initialise; release with qr_matrix_free.
 */
struct qr_matrix {
	int		 version;	/* 1..40 */
	int		 size;		/* modules per side */
	unsigned char	*modules;	/* size * size, owned */
};

/*
 * Encode len bytes of data in the smallest QR version that holds them at
 * level, in byte mode.  max_version (1..40) is the largest version the
 * caller accepts (EPC QR: 13 at level M).  On success out owns a new
 * matrix (anything it held before is not freed: pass an empty one).
 * Returns GEN_EINPUT when data is empty or needs a larger version than
 * max_version, GEN_EINTERNAL for bad arguments or a libqrencode failure.
 */
enum gen_rc	qr_encode(const void *data, size_t len, enum qr_ecl level,
		    int max_version, struct qr_matrix *out,
		    struct gen_err *err);

/* Free the modules and zero the matrix; m and its modules may be NULL. */
void		qr_matrix_free(struct qr_matrix *m);

/* libqrencode's version ("4.1.1"): the modules of a code depend on it. */
const char	*qr_lib_version(void);

#endif
