/*
 * config.h - the one configuration object of a libinvgen handle: database
 * path, data directory (templates/, fonts/, locales/), output directory,
 * busy timeout and the clock.  Built once by config_init(); after that
 * only config_tick() changes it, moving the clock.
 *
 * "Now" is read here and nowhere else: INVGEN_NOW (an RFC 3339 timestamp)
 * pins it for tests and for regenerating the samples, the way git's
 * test_tick pins commit times.
 */
#ifndef INVGEN_CONFIG_H
#define INVGEN_CONFIG_H

#include <stdint.h>

#include "err.h"

struct invgen_options;

struct config {
	char *db_path;
	char *data_dir;
	char *out_dir;
	int busy_timeout_ms;
	int64_t now;		/* UTC epoch seconds */
	int32_t today;		/* Lithuanian calendar date of now */
	int now_pinned;		/* set by INVGEN_NOW or the option: now
				   never moves */
};

/*
 * Fill cfg from the caller's options, then the environment (INVGEN_DB,
 * INVGEN_DATA_DIR, INVGEN_OUT_DIR, INVGEN_BUSY_TIMEOUT_MS, INVGEN_NOW),
 * then defaults.  GEN_EINPUT for a malformed INVGEN_NOW or timeout;
 * GEN_EIO when no data directory with locales/ can be found.
 */
enum gen_rc config_init(struct config *cfg, const struct invgen_options *opt,
    struct gen_err *err);
void config_free(struct config *cfg);
/*
 * Set now and today from the system clock, unless pinned.  Every libinvgen
 * call that dates something calls this first: a handle kept open over
 * midnight, or over a VAT rate change, dates by the day of the call, not
 * the day it was opened.
 */
void config_tick(struct config *cfg);
/*
 * What rendering depends on outside invgen in this process: the versions
 * of ICU and its data, libharu, zlib, libqrencode, libxml2 and HarfBuzz,
 * as one line ("icu 72.1 (data 72.1, cldr 42.0, unicode 15.0); libharu
 * 2.3.0; zlib 1.2.13; libqrencode 4.1.1; libxml2 2.9.14; harfbuzz
 * 6.0.0").  Issuing records it
 * with the document; verify compares it when a file no longer renders as
 * recorded.  Made on first call and kept for the life of the process
 * (borrowed); thread-safe.
 */
const char *config_render_env(void);

#endif
