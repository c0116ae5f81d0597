/*
 * serve.c - `invgen serve`: a resident process that keeps library handles
 * open on one database and makes `invgen issue` and `invgen
 * transfer-order` calls for the command line, which otherwise pays at
 * every call for loading the program and its libraries, opening SQLite,
 * the template, fonts and ICU (README, "Performance").  Also the client
 * half, invgen_served_call(), that main.c tries before making a call
 * itself.
 *
 * A call is handed over only when the server would do exactly what the
 * caller would: same program file, working directory, database, data and
 * output directories as written, busy timeout and clock (serve_key()).
 * Otherwise, or when no server answers, the caller makes the call itself.
 * Only idempotent calls are served, so a server lost half-way costs time,
 * never a second document.
 *
 * One request per connection on the Unix stream socket DB.sock; fields
 * end in NUL:
 *   request   SERVE_MAGIC key command argument
 *   reply     "ok" rc payload        payload: the JSON, or the message
 *             "declined" reason
 * Only processes of the server's own user are answered (SO_PEERCRED), the
 * socket is made mode 0600, and DB.sock.lock (flock) keeps a second
 * server of the same database from starting.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "caldate.h"
#include "err.h"
#include "invgen.h"
#include "serve.h"

#define WORKERS_MAX	16
#define IO_TIMEOUT_S	10	/* a server waits this long for a request */

/* ---- the key, the socket's name, the wire format ------------------- */

void
serve_key(const struct config *cfg, struct buf *out)
{
	char cwd[PATH_MAX], now[TIMESTAMP_LEN];
	struct stat sb;

	if (stat("/proc/self/exe", &sb) == 0)
		buf_printf(out, "program=%llu:%llu:%lld.%09ld\n",
		    (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
		    (long long)sb.st_mtim.tv_sec, (long)sb.st_mtim.tv_nsec);
	else
		buf_puts(out, "program=?\n");
	/* Paths as written, so that both print the same; the working
	 * directory matters only when one of them is relative. */
	if (cfg->db_path[0] != '/' || cfg->data_dir[0] != '/' ||
	    cfg->out_dir[0] != '/')
		buf_printf(out, "cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd :
		    "?");
	buf_printf(out, "db=%s\ndata=%s\nout=%s\nbusy=%d\n", cfg->db_path,
	    cfg->data_dir, cfg->out_dir, cfg->busy_timeout_ms);
	if (cfg->now_pinned) {
		timestamp_format(cfg->now, now);
		buf_printf(out, "now=%s\n", now);
	} else
		buf_puts(out, "now=clock\n");
}

int
serve_socket_path(const char *db_path, char *out, size_t sz)
{
	return snprintf(out, sz, "%s.sock", db_path) < (int)sz;
}

void
serve_request_encode(struct buf *out, const char *key, const char *command,
    const char *arg)
{
	buf_append(out, SERVE_MAGIC, sizeof(SERVE_MAGIC));
	buf_append(out, key, strlen(key) + 1);
	buf_append(out, command, strlen(command) + 1);
	buf_append(out, arg, strlen(arg) + 1);
}

/* Split buf into n NUL-ended fields; 0 unless there are exactly n. */
static int
split_fields(char *buf, size_t len, const char **field, int n)
{
	size_t at = 0;

	for (int i = 0; i < n; i++) {
		char *end;

		if (at >= len || (end = memchr(buf + at, '\0', len - at)) ==
		    NULL)
			return 0;
		field[i] = buf + at;
		at = (size_t)(end - buf) + 1;
	}
	return at == len;
}

int
serve_request_parse(char *req, size_t len, const char **key,
    const char **command, const char **arg)
{
	const char *f[4];

	if (!split_fields(req, len, f, 4) || strcmp(f[0], SERVE_MAGIC) != 0)
		return 0;
	*key = f[1];
	*command = f[2];
	*arg = f[3];
	return 1;
}

int
serve_reply_parse(char *rep, size_t len, int *rc, const char **payload)
{
	const char *f[3];
	char *end;
	long v;

	*payload = "";
	if (split_fields(rep, len, f, 2) && strcmp(f[0], "declined") == 0) {
		*payload = f[1];
		return 0;
	}
	if (!split_fields(rep, len, f, 3) || strcmp(f[0], "ok") != 0)
		return 0;
	errno = 0;
	v = strtol(f[1], &end, 10);
	if (errno || *end != '\0' || end == f[1] || v < GEN_OK ||
	    v > GEN_ERETRY)
		return 0;
	*rc = (int)v;
	*payload = f[2];
	return 1;
}

/* Write all of data; 0 on failure.  MSG_NOSIGNAL: a peer gone away is an
 * error here, not a SIGPIPE. */
static int
send_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		p += n;
		len -= (size_t)n;
	}
	return 1;
}

/* Read until end of file, at most max bytes; 0 on failure or overflow. */
static int
recv_all(int fd, struct buf *b, size_t max)
{
	for (;;) {
		ssize_t n;

		buf_grow(b, 4096);
		n = recv(fd, b->data + b->len, b->cap - b->len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 0;
		if (n == 0)
			return 1;
		b->len += (size_t)n;
		if (b->len > max)
			return 0;
	}
}

static void
set_timeout(int fd, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static const char *const call_names[] = {
	[INVGEN_SERVED_ISSUE] = "issue",
	[INVGEN_SERVED_TRANSFER_ORDER] = "transfer-order",
};

/* ---- the client ---------------------------------------------------- */

enum gen_rc
invgen_served_call(const struct invgen_options *opt, enum invgen_served call,
    const char *order_no, int *served, char **json, struct gen_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct gen_err ignored = { 0 };
	struct config cfg;
	struct buf key = { 0 }, req = { 0 }, rep = { 0 };
	const char *payload;
	int fd, rc = GEN_OK;

	*served = 0;
	*json = NULL;
	if ((unsigned)call > INVGEN_SERVED_TRANSFER_ORDER ||
	    config_init(&cfg, opt, &ignored) != GEN_OK)
		return GEN_OK;	/* the call made here reports the problem */
	if (!serve_socket_path(cfg.db_path, sa.sun_path, sizeof(sa.sun_path)) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		config_free(&cfg);
		return GEN_OK;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto done;	/* no server: the usual case */
	serve_key(&cfg, &key);
	buf_putc(&key, '\0');
	serve_request_encode(&req, key.data, call_names[call], order_no);
	/* Past the database's own busy timeout the server is stuck: the
	 * call is then made here. */
	set_timeout(fd, cfg.busy_timeout_ms / 1000 + 60);
	if (!send_all(fd, req.data, req.len) || shutdown(fd, SHUT_WR) != 0 ||
	    !recv_all(fd, &rep, SERVE_REPLY_MAX))
		goto done;
	if (!serve_reply_parse(rep.data, rep.len, &rc, &payload))
		goto done;
	*served = 1;
	if (rc == GEN_OK)
		*json = xstrdup(payload);
	else
		gen_err_set(err, (enum gen_rc)rc, "%s", payload);
done:
	close(fd);
	buf_free(&key);
	buf_free(&req);
	buf_free(&rep);
	config_free(&cfg);
	return *served ? (enum gen_rc)rc : GEN_OK;
}

/* ---- the server ---------------------------------------------------- */

struct server {
	struct config cfg;
	struct buf key;			/* NUL-terminated */
	int listen_fd;
	FILE *log;
	pthread_mutex_t log_lock;
};

struct worker {
	struct server *srv;
	struct invgen *inv;
	pthread_t thread;
};

/* The program this process runs is no longer the file at its path. */
static int
program_replaced(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	static const char deleted[] = " (deleted)";

	if (n <= 0)
		return 0;
	path[n] = '\0';
	return (size_t)n > sizeof(deleted) - 1 &&
	    strcmp(path + n - (sizeof(deleted) - 1), deleted) == 0;
}

/* Copy s into out, control bytes (s came from another process) as '?'. */
static void
printable(char *out, size_t sz, const char *s)
{
	snprintf(out, sz, "%s", s);
	for (; *out != '\0'; out++)
		if ((unsigned char)*out < 0x20 || *out == 0x7f)
			*out = '?';
}

static void
logf_line(struct server *srv, const char *what, const char *order_no,
    const char *outcome)
{
	char w[40], o[80];

	if (srv->log == NULL)
		return;
	printable(w, sizeof(w), what);
	printable(o, sizeof(o), order_no);
	pthread_mutex_lock(&srv->log_lock);
	fprintf(srv->log, "invgen serve: %s%s%s: %s\n", w, o[0] ? " " : "", o,
	    outcome);
	fflush(srv->log);
	pthread_mutex_unlock(&srv->log_lock);
}

static void
reply_declined(int fd, const char *reason)
{
	struct buf b = { 0 };

	buf_append(&b, "declined", sizeof("declined"));
	buf_append(&b, reason, strlen(reason) + 1);
	(void)send_all(fd, b.data, b.len);
	buf_free(&b);
}

static void
serve_one(struct worker *w, int fd)
{
	struct server *srv = w->srv;
	struct gen_err err = { 0 };
	struct buf req = { 0 }, rep = { 0 };
	const char *key, *command, *arg, *payload;
	struct ucred cred;
	socklen_t len = sizeof(cred);
	char *json = NULL, outcome[96];
	struct timespec t0, t1;
	enum gen_rc rc;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    cred.uid != geteuid()) {
		logf_line(srv, "connection", "", "refused: another user");
		return;
	}
	set_timeout(fd, IO_TIMEOUT_S);
	if (!recv_all(fd, &req, SERVE_REQUEST_MAX) ||
	    !serve_request_parse(req.data, req.len, &key, &command, &arg)) {
		reply_declined(fd, "malformed request");
		logf_line(srv, "request", "", "declined: malformed");
		goto done;
	}
	/* A caller running a replaced program file (an upgrade) has another
	 * key too; the main loop notices the replacement and stops. */
	if (strcmp(key, srv->key.data) != 0) {
		reply_declined(fd, "another program, working directory or "
		    "configuration");
		logf_line(srv, command, arg, "declined: another program, "
		    "working directory or configuration");
		goto done;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (strcmp(command, call_names[INVGEN_SERVED_ISSUE]) == 0)
		rc = invgen_issue(w->inv, arg, &json, &err);
	else if (strcmp(command, call_names[INVGEN_SERVED_TRANSFER_ORDER]) == 0)
		rc = invgen_transfer_order(w->inv, arg, &json, &err);
	else {
		reply_declined(fd, "unknown call");
		logf_line(srv, "call", command, "declined: unknown");
		goto done;
	}
	payload = rc == GEN_OK ? json : err.msg;
	buf_append(&rep, "ok", 3);
	buf_printf(&rep, "%d", (int)rc);
	buf_putc(&rep, '\0');
	buf_append(&rep, payload, strlen(payload) + 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(outcome, sizeof(outcome), "%s (%.1f ms)%s", rc == GEN_OK ?
	    "ok" : invgen_rc_name(rc), (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6, send_all(fd, rep.data,
	    rep.len) ? "" : ", but the caller was gone");
	logf_line(srv, command, arg, outcome);
done:
	invgen_free(json);
	buf_free(&req);
	buf_free(&rep);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		int fd = accept4(w->srv->listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0) {
			struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };

			if (errno == EINVAL || errno == EBADF)
				break;		/* shut down */
			/* Out of descriptors or memory for a moment: a
			 * worker that gave up would leave callers queued
			 * with nobody to answer them. */
			if (errno != EINTR && errno != ECONNABORTED)
				nanosleep(&pause, NULL);
			continue;
		}
		serve_one(w, fd);
		close(fd);
	}
	return NULL;
}

/* Take DB.sock.lock; refuse when another server holds it. */
static enum gen_rc
take_lock(const char *sock, int *lock_fd, struct gen_err *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s.lock", sock);
	*lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*lock_fd < 0)
		return gen_err_set(err, GEN_EIO, "serve: cannot open %s: %s",
		    path, strerror(errno));
	if (flock(*lock_fd, LOCK_EX | LOCK_NB) != 0) {
		close(*lock_fd);
		*lock_fd = -1;
		return gen_err_set(err, GEN_ECONFLICT, "serve: %s is already "
		    "served by another invgen serve (%s is locked)", sock, path);
	}
	return GEN_OK;
}

static enum gen_rc
listen_on(const char *sock, int *fd, struct gen_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int ok;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	/* A socket left by a server that was killed; the lock says no
	 * server owns it now. */
	if (unlink(sock) != 0 && errno != ENOENT)
		return gen_err_set(err, GEN_EIO, "serve: cannot remove the old "
		    "socket %s: %s", sock, strerror(errno));
	if ((*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return gen_err_set(err, GEN_EIO, "serve: socket: %s",
		    strerror(errno));
	old = umask(0177);
	ok = bind(*fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	umask(old);
	if (!ok || listen(*fd, 128) != 0) {
		int e = errno;

		close(*fd);
		*fd = -1;
		return gen_err_set(err, GEN_EIO, "serve: cannot listen on %s: "
		    "%s", sock, strerror(e));
	}
	return GEN_OK;
}

enum gen_rc
invgen_serve(const struct invgen_options *opt, int workers,
    volatile sig_atomic_t *stop, FILE *log, struct gen_err *err)
{
	struct server srv = { .listen_fd = -1, .log = log };
	struct worker w[WORKERS_MAX];
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int lock_fd = -1, started = 0, opened = 0, replaced = 0;
	sigset_t all, old;
	enum gen_rc rc;

	if (workers < 1 || workers > WORKERS_MAX)
		return gen_err_set(err, GEN_EUSAGE, "serve: --workers %d must "
		    "be between 1 and %d", workers, WORKERS_MAX);
	if ((rc = config_init(&srv.cfg, opt, err)) != GEN_OK)
		return rc;
	if (!serve_socket_path(srv.cfg.db_path, sock, sizeof(sock))) {
		rc = gen_err_set(err, GEN_EUSAGE, "serve: the socket %s.sock "
		    "would be longer than %zu bytes; give --db a shorter "
		    "(relative) path", srv.cfg.db_path, sizeof(sock) - 1);
		config_free(&srv.cfg);
		return rc;
	}
	pthread_mutex_init(&srv.log_lock, NULL);
	serve_key(&srv.cfg, &srv.key);
	buf_putc(&srv.key, '\0');
	memset(w, 0, sizeof(w));
	/* The handles first: a database that cannot be opened is reported
	 * before anything is created. */
	for (opened = 0; opened < workers; opened++) {
		w[opened].srv = &srv;
		if ((rc = invgen_open(opt, &w[opened].inv, err)) != GEN_OK)
			goto out;
	}
	if ((rc = take_lock(sock, &lock_fd, err)) != GEN_OK ||
	    (rc = listen_on(sock, &srv.listen_fd, err)) != GEN_OK)
		goto out;
	/* Signals (the caller's SIGTERM) go to this thread, whose sleep
	 * they cut short, not to a worker in the middle of a call. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (started = 0; started < workers; started++)
		if (pthread_create(&w[started].thread, NULL, worker_main,
		    &w[started]) != 0) {
			rc = gen_err_set(err, GEN_EINTERNAL, "serve: cannot "
			    "start a worker thread");
			break;
		}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == GEN_OK && log != NULL) {
		pthread_mutex_lock(&srv.log_lock);
		fprintf(log, "invgen serve: %s on %s, %d worker%s\n",
		    srv.cfg.db_path, sock, workers, workers == 1 ? "" : "s");
		fflush(log);
		pthread_mutex_unlock(&srv.log_lock);
	}
	while (rc == GEN_OK && !*stop && !replaced) {
		struct timespec tick = { .tv_nsec = 100 * 1000 * 1000 };

		nanosleep(&tick, NULL);
		replaced = program_replaced();
	}
	/* New callers find no socket and make their calls themselves; the
	 * calls under way finish before the workers see the shutdown. */
	unlink(sock);
	shutdown(srv.listen_fd, SHUT_RDWR);
	for (int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	if (rc == GEN_OK && replaced && log != NULL)
		fprintf(log, "invgen serve: the program file was replaced; "
		    "stopped (start the new one)\n");
out:
	if (srv.listen_fd >= 0)
		close(srv.listen_fd);
	if (lock_fd >= 0)
		close(lock_fd);
	for (int i = 0; i < opened; i++)
		invgen_close(w[i].inv);
	buf_free(&srv.key);
	config_free(&srv.cfg);
	pthread_mutex_destroy(&srv.log_lock);
	return rc;
}
