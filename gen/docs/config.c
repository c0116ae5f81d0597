/*
 * config.c - builds struct config (see config.h).  The data directory is
 * found, in order, from the option, $INVGEN_DATA_DIR, the directory of the
 * loaded libinvgen or program (../share/invgen, then the source tree two
 * levels up, for an uninstalled build/rel/invgen), and the compiled-in
 * INVGEN_DATADIR.  The first that contains locales/ wins.
 */
#include <dlfcn.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "caldate.h"
#include "config.h"
#include "hbshape.h"
#include "i18n.h"
#include "pdfout.h"
#include "qr.h"
#include "xmlw.h"

#ifndef INVGEN_DATADIR
#define INVGEN_DATADIR "/usr/local/share/invgen"
#endif

static int
has_templates(const char *dir)
{
	char path[PATH_MAX];
	struct stat sb;

	if (snprintf(path, sizeof(path), "%s/locales", dir) >=
	    (int)sizeof(path))
		return 0;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Directory of the object file that contains this function. */
static int
self_dir(char *out, size_t sz)
{
	Dl_info info;
	char buf[PATH_MAX], *dir;

	if (dladdr((void *)self_dir, &info) == 0 || info.dli_fname == NULL)
		return 0;
	if (realpath(info.dli_fname, buf) == NULL) {
		/* A static program: dli_fname is argv[0]-like; try /proc. */
		ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

		if (n <= 0)
			return 0;
		buf[n] = '\0';
	}
	dir = dirname(buf);
	return snprintf(out, sz, "%s", dir) < (int)sz;
}

static char *
find_data_dir(const char *opt)
{
	char self[PATH_MAX], cand[PATH_MAX + 32];
	const char *env = getenv("INVGEN_DATA_DIR");

	if (opt != NULL)
		return xstrdup(opt);
	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	if (self_dir(self, sizeof(self))) {
		snprintf(cand, sizeof(cand), "%s/../share/invgen", self);
		if (has_templates(cand))
			return xstrdup(cand);
		snprintf(cand, sizeof(cand), "%s/../..", self);
		if (has_templates(cand))
			return xstrdup(cand);
	}
	if (has_templates(INVGEN_DATADIR))
		return xstrdup(INVGEN_DATADIR);
	return NULL;
}

enum gen_rc
config_init(struct config *cfg, const struct invgen_options *opt,
    struct gen_err *err)
{
	const char *v;
	enum gen_rc rc;

	memset(cfg, 0, sizeof(*cfg));
	v = opt && opt->db_path ? opt->db_path : getenv("INVGEN_DB");
	cfg->db_path = xstrdup(v && *v ? v : "invgen.db");

	cfg->data_dir = find_data_dir(opt ? opt->data_dir : NULL);
	if (cfg->data_dir == NULL) {
		rc = gen_err_set(err, GEN_EIO, "data directory: no locales/ "
		    "found beside the program or in %s; set INVGEN_DATA_DIR",
		    INVGEN_DATADIR);
		goto fail;
	}

	v = opt && opt->out_dir ? opt->out_dir : getenv("INVGEN_OUT_DIR");
	if (v != NULL && *v != '\0')
		cfg->out_dir = xstrdup(v);
	else {
		/* default: "documents" beside the database */
		char tmp[PATH_MAX];

		snprintf(tmp, sizeof(tmp), "%s", cfg->db_path);
		cfg->out_dir = xmalloc(strlen(tmp) + 16);
		snprintf(cfg->out_dir, strlen(tmp) + 16, "%s/documents",
		    dirname(tmp));
	}

	cfg->busy_timeout_ms = opt && opt->busy_timeout_ms > 0 ?
	    opt->busy_timeout_ms : 30000;
	v = getenv("INVGEN_BUSY_TIMEOUT_MS");
	if ((opt == NULL || opt->busy_timeout_ms <= 0) && v != NULL && *v) {
		char *end;
		long ms;

		errno = 0;
		ms = strtol(v, &end, 10);
		if (errno || *end || ms < 1 || ms > 3600000) {
			rc = gen_err_set(err, GEN_EINPUT, "INVGEN_BUSY_TIMEOUT_MS: "
			    "'%.20s' must be milliseconds between 1 and "
			    "3600000", v);
			goto fail;
		}
		cfg->busy_timeout_ms = (int)ms;
	}

	v = opt && opt->now ? opt->now : getenv("INVGEN_NOW");
	if (v != NULL && *v != '\0') {
		if ((rc = timestamp_parse(v, &cfg->now, "INVGEN_NOW", err)) !=
		    GEN_OK)
			goto fail;
		cfg->now_pinned = 1;
		cfg->today = timestamp_lt_date(cfg->now);
	} else
		config_tick(cfg);
	return GEN_OK;
fail:
	config_free(cfg);
	return rc;
}

void
config_tick(struct config *cfg)
{
	if (cfg->now_pinned)
		return;
	cfg->now = (int64_t)time(NULL);
	cfg->today = timestamp_lt_date(cfg->now);
}

void
config_free(struct config *cfg)
{
	free(cfg->db_path);
	free(cfg->data_dir);
	free(cfg->out_dir);
	memset(cfg, 0, sizeof(*cfg));
}

/* The process's rendering environment: the libraries cannot change while
 * it runs, so it is made once (kept until exit, like ICU's own data). */
static pthread_once_t render_env_once = PTHREAD_ONCE_INIT;
static char *render_env;

static void
render_env_make(void)
{
	struct buf b = { 0 };

	i18n_icu_versions(&b);
	buf_puts(&b, "; ");
	pdfout_lib_versions(&b);
	buf_printf(&b, "; libqrencode %s; ", qr_lib_version());
	xmlw_lib_version(&b);
	buf_printf(&b, "; harfbuzz %s", hbshape_version());
	render_env = buf_detach(&b, NULL);
}

const char *
config_render_env(void)
{
	pthread_once(&render_env_once, render_env_make);
	return render_env;
}
