/*
 * err.h - the one error convention of invgen.
 *
 * Every function that can fail returns enum gen_rc (GEN_OK == 0) and takes
 * a last parameter struct gen_err *err.  The function that detects the
 * failure writes the message once with gen_err_set(), naming the field and
 * what is allowed ("lines[2].quantity: -1 is out of range; allowed
 * 1..1000000").  Callers pass the error up unchanged; only main.c prints it
 * and chooses the exit status (gen_rc_exit_status()).
 *
 * The enum and struct themselves are part of the public API and live in
 * invgen.h; this header adds the internal helpers.
 */
#ifndef INVGEN_ERR_H
#define INVGEN_ERR_H

#include "invgen.h"

/*
 * Record a failure: sets err->rc, formats the message into err->msg
 * (truncated to fit) and takes err->field from it: its first word when
 * that is a field path followed by ':' or " of " ("lines[2].quantity:
 * ...", "payer.name of order B-1: ..."), for a refusal (not a storage,
 * I/O or rendering failure).  So a message starts with the field it is
 * about, never with an option of the invgen program ("reason: ...", not
 * "--reason: ..."), which the program puts in.  Returns rc, so a caller
 * can write
 *     return gen_err_set(err, GEN_EINPUT, "currency: ...");
 * err may be NULL (the message is then discarded).
 */
enum gen_rc gen_err_set(struct gen_err *err, enum gen_rc rc,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * Prepend context to an error already recorded: "order A-1: " + old message.
 * err->field stays.  Returns err->rc (or GEN_OK when err is NULL).
 */
enum gen_rc gen_err_prefix(struct gen_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Name the field of an error already recorded, for a message that does
 * not start with it ("database x.db: ..."); returns err->rc, so
 *     return gen_err_field(err, "database", gen_err_set(err, ...));
 */
enum gen_rc gen_err_field(struct gen_err *err, const char *field,
    enum gen_rc rc);

/* Reset to GEN_OK and an empty message. */
void gen_err_clear(struct gen_err *err);

/* Out-of-memory wrappers: print and exit(3) instead of returning NULL
 * (kcgi's kstrdup convention; the only place allowed to exit). */
void *xmalloc(size_t n);
/* The same for another resource the program cannot go on without (a
 * thread-specific key): print "invgen: WHAT" and exit(3). */
void xfatal(const char *what) __attribute__((noreturn));
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/*
 * Room for one more element in array p, which holds n elements of size
 * bytes with room for *cap: when it is full, *cap doubles (to first when
 * it was 0) and p is reallocated.  Returns p, possibly moved; usage:
 *     v = xgrow(v, n, &cap, 16, sizeof(*v));
 *     v[n++] = x;
 */
void *xgrow(void *p, size_t n, size_t *cap, size_t first, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
