/*
 * api_private.h - the handle behind struct invgen, shared by the files of
 * the api module: api.c (opening, orders, issuing, reports), api_render.c
 * (render, export, verify), batch.c (invgen_batch) and serve.c
 * (invgen_serve).  Not installed.  The files a call writes are files.c's
 * (files.h), which knows nothing of the handle.
 */
#ifndef INVGEN_API_PRIVATE_H
#define INVGEN_API_PRIVATE_H

#include "config.h"
#include "files.h"
#include "render.h"
#include "store.h"

struct invgen {
	struct config cfg;
	struct store *store;
	/* language objects kept between the handle's renders (a handle is
	 * used by one thread at a time) */
	struct render_cache *cache;
	int read_only;		/* opened with invgen_options.read_only */
};

/*
 * A payment order's total formatted for its language ("130,68 €"), into
 * *amount (owned, or NULL for other kinds).  ICU's errors.
 */
enum gen_rc api_amount_text(struct invgen *inv, const struct document *d,
    char **amount, struct gen_err *err);

/* files_init() for a call on inv. */
static inline void
api_files_init(struct files *f, struct invgen *inv)
{
	files_init(f, &inv->cfg, inv->store, inv->cache);
}

#endif
