/*
 * icc.h - the sRGB ICC profile of the PDF/A output intent (pdfout_meta.c).
 *
 * Exports icc_srgb and ICC_SRGB_NAME.  Must not: read the clock, the
 * locale or the environment, touch files or print.
 *
 * The output intent needs an ICC profile of the colour space the content
 * draws in (DeviceRGB, taken as sRGB).  It is computed (icc.c) from the
 * published parameters of IEC 61966-2-1 (sRGB) rather than shipped as a
 * file: no data file to install, embed or license, and the numbers say
 * where they come from.  An ICC v2.1 display ('mntr') matrix/TRC profile
 * (ICC.1:2001-04), as the classic sRGB profiles are:
 *   - colorants rXYZ/gXYZ/bXYZ: the sRGB primaries and D65 white point
 *     (CIE xy) give the RGB to XYZ matrix, adapted to the PCS illuminant
 *     D50 (X 0.9642, Y 1, Z 0.8249) with the Bradford transform, as ICC
 *     requires of v2 colorants;
 *   - wtpt: the display's white, D65;
 *   - rTRC = gTRC = bTRC: one 'curv' of 256 samples of the sRGB
 *     transfer function (V / 12.92 up to 0.04045, else
 *     ((V + 0.055) / 1.055) ^ 2.4);
 *   - desc "sRGB IEC61966-2.1" (the output condition identifier), cprt.
 * Floating point is used only to compute these numbers, each rounded to
 * its 16.16 or 0.16 fixed-point field: only +, -, *, / (IEEE exact) and
 * one pow per sample, whose last-bit variation between C libraries is
 * far below the rounding step (test-facturx checks every sample is more
 * than 1e-6 away from a rounding boundary, and lcms2 reads the profile
 * as sRGB).  The header date is fixed, so the bytes never change.
 * 256 samples hit every 8-bit value exactly, and linear interpolation
 * between them is within 1e-5 of the curve (the second derivative of
 * x^2.4 is below 3.4); 1024, as some profiles have, would add 1.5 KB to
 * every invoice for nothing visible.  988 bytes, stored as they are.
 */
#ifndef INVGEN_ICC_H
#define INVGEN_ICC_H

#include "buf.h"

/* The profile's description: the output condition identifier. */
#define ICC_SRGB_NAME	"sRGB IEC61966-2.1"

/* Append the 988 bytes of the profile to out; the same bytes every time. */
void	icc_srgb(struct buf *out);

#endif
