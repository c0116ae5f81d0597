/*
 * fault.h - faults planted on purpose, so that a test can show the suite
 * catches them (tests/cli/t0005-faults-caught.sh).
 *
 * FAULT("name") is true when the environment variable INVGEN_FAULT is
 * "name", and only in the test build: the Makefile defines INVGEN_FAULTS
 * in CFLAGS_SAN alone.  Everywhere else FAULT() is the constant 0, so the
 * release program holds no code, string or environment read of it (t0005
 * checks that the variable's name is not in build/rel/invgen).
 *
 * The faults (each where one line of code decides what the suite must
 * guard):
 *   vat-rate      tax_rate_lookup returns the rate plus 1 percentage point
 *   credit-limit  a credit note may exceed what is left of its invoice
 *   pdf-byte      every rendered PDF has one byte flipped
 * and the faults the machine cannot produce on demand (gen/app/outdir.c):
 *   no-tmpfile         open(O_TMPFILE) fails with EOPNOTSUPP, as on NFS
 *   no-tmpfile-eisdir  the same with EISDIR, as on a kernel before 3.11
 *   no-tmpfile-link    linking the unnamed file fails, as without /proc
 *
 * Must not: be used for anything but a planted or simulated fault; no
 * behaviour of the release program may depend on it.
 */
#ifndef INVGEN_FAULT_H
#define INVGEN_FAULT_H

#ifdef INVGEN_FAULTS
#include <stdlib.h>
#include <string.h>

static inline int
fault_on(const char *name)
{
	const char *v = getenv("INVGEN_FAULT");

	return v != NULL && strcmp(v, name) == 0;
}
#define FAULT(name)	fault_on(name)
#else
#define FAULT(name)	0
#endif

#endif
