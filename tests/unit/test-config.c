/*
 * test-config.c - the handle's configuration: options before environment
 * before defaults, refused values named with what is allowed, and the
 * clock: pinned by INVGEN_NOW, otherwise read again by config_tick() at
 * every dating call, so that a handle kept open over midnight dates by
 * the day of the call.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "caldate.h"
#include "config.h"
#include "invgen.h"
#include "testlib.h"

static void
clear_env(void)
{
	unsetenv("INVGEN_DB");
	unsetenv("INVGEN_OUT_DIR");
	unsetenv("INVGEN_BUSY_TIMEOUT_MS");
	unsetenv("INVGEN_NOW");
}

int
main(void)
{
	struct invgen_options opt = { 0 };
	struct gen_err err = { 0 };
	struct config cfg;
	const char *data = getenv("INVGEN_DATA_DIR");
	int64_t before, after;

	clear_env();
	if (data == NULL)
		data = INVGEN_SRCDIR;
	opt.data_dir = data;

	/* Defaults: invgen.db, "documents" beside it, 30 s. */
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_OK);
	CHECK_STR(cfg.db_path, "invgen.db");
	CHECK_STR(cfg.out_dir, "./documents");
	CHECK_STR(cfg.data_dir, data);
	CHECK_INT(cfg.busy_timeout_ms, 30000);
	config_free(&cfg);

	/* The environment, then the options over it. */
	setenv("INVGEN_DB", "/srv/a/shop.db", 1);
	setenv("INVGEN_BUSY_TIMEOUT_MS", "1500", 1);
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_OK);
	CHECK_STR(cfg.db_path, "/srv/a/shop.db");
	CHECK_STR(cfg.out_dir, "/srv/a/documents");
	CHECK_INT(cfg.busy_timeout_ms, 1500);
	config_free(&cfg);
	opt.db_path = "/srv/b/x.db";
	opt.out_dir = "/srv/out";
	opt.busy_timeout_ms = 200;
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_OK);
	CHECK_STR(cfg.db_path, "/srv/b/x.db");
	CHECK_STR(cfg.out_dir, "/srv/out");
	CHECK_INT(cfg.busy_timeout_ms, 200);
	config_free(&cfg);
	memset(&opt, 0, sizeof(opt));
	opt.data_dir = data;
	clear_env();

	/* Refused values name the variable and what is allowed. */
	setenv("INVGEN_BUSY_TIMEOUT_MS", "0", 1);
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_EINPUT);
	CHECK_MSG(err, "INVGEN_BUSY_TIMEOUT_MS");
	CHECK_MSG(err, "between 1 and 3600000");
	unsetenv("INVGEN_BUSY_TIMEOUT_MS");
	setenv("INVGEN_NOW", "2026-02-30T10:00:00Z", 1);
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_EINPUT);
	CHECK_MSG(err, "INVGEN_NOW");
	unsetenv("INVGEN_NOW");

	/* A pinned clock: 23:30 UTC is already the next day in Vilnius, and
	 * config_tick() leaves it where it was pinned. */
	setenv("INVGEN_NOW", "2025-12-31T23:30:00Z", 1);
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_OK);
	CHECK_INT(cfg.now, 1767223800);
	CHECK_INT(cfg.today, caldate_from_ymd(2026, 1, 1));
	config_tick(&cfg);
	CHECK_INT(cfg.now, 1767223800);
	CHECK_INT(cfg.today, caldate_from_ymd(2026, 1, 1));
	config_free(&cfg);
	unsetenv("INVGEN_NOW");

	/* The system clock, read at open and again at every tick: a handle
	 * opened yesterday (now and today set back here) dates by today. */
	before = (int64_t)time(NULL);
	CHECK_INT(config_init(&cfg, &opt, &err), GEN_OK);
	after = (int64_t)time(NULL);
	CHECK(cfg.now >= before && cfg.now <= after);
	cfg.now -= 86400;
	cfg.today -= 1;
	before = (int64_t)time(NULL);
	config_tick(&cfg);
	after = (int64_t)time(NULL);
	CHECK(cfg.now >= before && cfg.now <= after);
	CHECK(cfg.today == timestamp_lt_date(before) ||
	    cfg.today == timestamp_lt_date(after));
	config_free(&cfg);
	return test_report();
}
