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
 * output directories as written, busy timeout and clock (serve_key()),
 * and the caller's umask, which the worker takes for the call.
 * Otherwise, or when no server answers in time, the caller makes the call
 * itself.  Only idempotent calls are served, so a server lost half-way
 * costs time, never a second document.
 *
 * Trust, both ways.  The server answers only processes of its own user
 * (SO_PEERCRED of the caller); the caller talks only to a server of its
 * own user (SO_PEERCRED of the listener, checked before anything is
 * sent), takes no path from the answer and accepts it only when the
 * document it names is in its own output directory with the SHA-256 the
 * answer gives (files_read_document()).
 *
 * Bounded waits.  The main thread accepts and reads every request itself
 * (poll, non-blocking): a request must arrive whole within REQUEST_MS or
 * it is dropped, so slow connections never hold a worker.  A complete
 * request is acknowledged at once with SERVE_BEAT and queued for the
 * workers; while it waits or runs the main thread repeats SERVE_BEAT
 * every BEAT_MS.  A caller gives up, and makes the call itself, when the
 * connection is not accepted at once, or nothing (acknowledgement, beat
 * or answer) arrives for ANSWER_MS; a working server that keeps beating
 * is waited for up to the busy timeout plus a minute.
 *
 * One request per connection on the Unix stream socket DB.sock; fields
 * end in NUL:
 *   request   SERVE_MAGIC key command argument umask
 *   reply     SERVE_BEAT...  then  "ok" rc payload    payload: the
 *                                                     document's JSON
 *                                                     (invgen_doc_json),
 *                                                     or the message
 *                                or  "declined" reason
 * The caller reads the JSON with the library's parser into the typed
 * result a call made here gives (result.c); a payload that is not a
 * document, or names a file that is not in the caller's output folder
 * with its SHA-256, is not taken: the caller makes the call itself.
 * The socket is made mode 0600, and DB.sock.lock (flock) keeps a second
 * server of the same database from starting.  The server stops by itself
 * when its program file changes (replaced, rewritten or only touched:
 * callers' keys would no longer match) or a shared library it has mapped
 * is replaced (/proc/self/maps says "(deleted)"), so that a supervisor
 * starts the new code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "api_private.h"
#include "files.h"
#include "caldate.h"
#include "err.h"
#include "i18n.h"
#include "invgen.h"
#include "json.h"
#include "result.h"
#include "serve.h"

#define WORKERS_MAX	16
#define CONNS_MAX	256	/* connections a server holds at once */
#define REQUEST_MS	1000	/* a request arrives whole within this */
#define BEAT_MS		250	/* a server says it is working this often */
#define ANSWER_MS	1000	/* a caller waits this long for a sign of life */
#define REPLY_SEND_MS	2000	/* a server waits this long to hand a reply */
#define TICK_MS		50	/* the main thread's longest sleep */
#define CHECK_MS	500	/* program and libraries checked this often */

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
    const char *arg, unsigned umask_bits)
{
	buf_append(out, SERVE_MAGIC, sizeof(SERVE_MAGIC));
	buf_append(out, key, strlen(key) + 1);
	buf_append(out, command, strlen(command) + 1);
	buf_append(out, arg, strlen(arg) + 1);
	buf_printf(out, "%04o", umask_bits & 0777);
	buf_putc(out, '\0');
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
    const char **command, const char **arg, unsigned *umask_bits)
{
	const char *f[5];
	unsigned v = 0;

	if (!split_fields(req, len, f, 5) || strcmp(f[0], SERVE_MAGIC) != 0 ||
	    strlen(f[4]) != 4)
		return 0;
	for (const char *p = f[4]; *p != '\0'; p++) {
		if (*p < '0' || *p > '7')
			return 0;
		v = v * 8 + (unsigned)(*p - '0');
	}
	if (v > 0777)
		return 0;
	*key = f[1];
	*command = f[2];
	*arg = f[3];
	*umask_bits = v;
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

int
serve_maps_replaced(const char *maps, char *which, size_t sz)
{
	static const char deleted[] = " (deleted)";
	const size_t dl = sizeof(deleted) - 1;

	while (*maps != '\0') {
		const char *end = strchr(maps, '\n'), *perms, *path;
		size_t len = end ? (size_t)(end - maps) : strlen(maps);

		/* address perms offset dev inode path */
		perms = memchr(maps, ' ', len);
		path = memchr(maps, '/', len);
		if (perms != NULL && (size_t)(perms - maps) + 4 < len &&
		    perms[3] == 'x' && path != NULL && path > perms &&
		    (size_t)(maps + len - path) > dl &&
		    memcmp(maps + len - dl, deleted, dl) == 0) {
			snprintf(which, sz, "%.*s",
			    (int)(maps + len - dl - path), path);
			return 1;
		}
		if (end == NULL)
			break;
		maps = end + 1;
	}
	return 0;
}

/* Milliseconds of the monotonic clock. */
static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until fd is ready for events or the deadline; 1 when ready. */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline - now_ms();
		int n;

		if (left <= 0)
			return 0;
		n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		return n > 0;
	}
}

/* Write all of data to the non-blocking fd by the deadline; 0 on failure.
 * MSG_NOSIGNAL: a peer gone away is an error here, not a SIGPIPE. */
static int
send_by(int fd, const void *data, size_t len, int64_t deadline)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!wait_fd(fd, POLLOUT, deadline))
				return 0;
			continue;
		}
		if (n <= 0)
			return 0;
		p += n;
		len -= (size_t)n;
	}
	return 1;
}

static const char *const call_names[] = {
	[INVGEN_SERVED_ISSUE] = "issue",
	[INVGEN_SERVED_TRANSFER_ORDER] = "transfer-order",
};

/* ---- the client ---------------------------------------------------- */

/* 1 if the process at the other end of fd runs as this user. */
static int
peer_is_us(int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
	    len == sizeof(cred) && cred.pid > 0 && cred.uid == geteuid();
}

/*
 * Read the server's answer until end of file, at most SERVE_REPLY_MAX
 * bytes, dropping the SERVE_BEATs in front of it: the first must come
 * by first_by, each later byte within ANSWER_MS of the one before, all
 * by cap.  0 on failure or silence.
 */
static int
recv_reply(int fd, struct buf *b, int64_t first_by, int64_t cap)
{
	int64_t by = first_by;

	for (;;) {
		size_t skip = 0;
		ssize_t n;

		if (!wait_fd(fd, POLLIN, by < cap ? by : cap))
			return 0;
		buf_grow(b, 4096);
		n = recv(fd, b->data + b->len, b->cap - b->len, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN ||
		    errno == EWOULDBLOCK))
			continue;
		if (n < 0)
			return 0;
		if (n == 0)
			return 1;
		if (b->len == 0) {
			while (skip < (size_t)n && b->data[skip] == SERVE_BEAT)
				skip++;
			memmove(b->data, b->data + skip, (size_t)n - skip);
		}
		b->len += (size_t)n - skip;
		if (b->len > SERVE_REPLY_MAX)
			return 0;
		by = now_ms() + ANSWER_MS;
	}
}

/*
 * The answer json read into a document result (result.c, with the
 * library's JSON parser), only if it is a document whose file is in the
 * caller's output directory with the SHA-256 the answer gives; NULL
 * otherwise.
 */
static struct invgen_doc *
answer_document(const struct config *cfg, const char *json, size_t len)
{
	struct gen_err e = { 0 };
	struct invgen_doc *d = NULL;

	if (result_doc_parse(json, len, &d, &e) != GEN_OK)
		return NULL;
	if (files_read_document(cfg, invgen_doc_number(d), invgen_doc_sha256(d),
	    NULL, &e) != GEN_OK) {
		invgen_doc_free(d);
		return NULL;
	}
	return d;
}

enum gen_rc
invgen_served_call(const struct invgen_options *opt, enum invgen_served call,
    const char *order_no, int *served, struct invgen_doc **out,
    struct gen_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct gen_err ignored = { 0 };
	struct config cfg;
	struct buf key = { 0 }, req = { 0 }, rep = { 0 };
	const char *payload;
	int fd, rc = GEN_OK;
	int64_t t0;

	*served = 0;
	*out = NULL;
	if ((unsigned)call > INVGEN_SERVED_TRANSFER_ORDER ||
	    config_init(&cfg, opt, &ignored) != GEN_OK)
		return GEN_OK;	/* the call made here reports the problem */
	if (!serve_socket_path(cfg.db_path, sa.sun_path, sizeof(sa.sun_path)) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0) {
		config_free(&cfg);
		return GEN_OK;
	}
	t0 = now_ms();
	/* No server (the usual case), a dead one's socket, or a server
	 * whose queue is full (EAGAIN: it is stopped or flooded). */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = 0;
		socklen_t elen = sizeof(e);

		if (errno != EINPROGRESS || !wait_fd(fd, POLLOUT, t0 +
		    ANSWER_MS) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
		    &elen) != 0 || e != 0)
			goto done;
	}
	/* Whoever listens must be this user: anyone who can write to the
	 * database's folder can put a socket there. */
	if (!peer_is_us(fd))
		goto done;
	serve_key(&cfg, &key);
	buf_putc(&key, '\0');
	serve_request_encode(&req, key.data, call_names[call], order_no,
	    (unsigned)files_umask());
	/* Past the database's own busy timeout the server is stuck even
	 * though it beats: the call is then made here. */
	if (!send_by(fd, req.data, req.len, t0 + ANSWER_MS) ||
	    shutdown(fd, SHUT_WR) != 0 ||
	    !recv_reply(fd, &rep, t0 + ANSWER_MS, t0 + cfg.busy_timeout_ms +
	    60 * 1000))
		goto done;
	if (!serve_reply_parse(rep.data, rep.len, &rc, &payload))
		goto done;
	if (rc == GEN_OK && (*out = answer_document(&cfg, payload,
	    strlen(payload))) == NULL)
		goto done;
	*served = 1;
	if (rc != GEN_OK)
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

enum conn_state {
	C_READING,		/* the main thread reads the request */
	C_QUEUED,		/* taken, waiting for a worker */
	C_WORKING,		/* a worker makes the call */
	C_DONE			/* a worker sends the reply: no more beats */
};

struct conn {
	int fd;
	enum conn_state state;
	struct buf req;
	int64_t deadline;	/* C_READING: the request whole by then */
	int64_t beat;		/* C_QUEUED, C_WORKING: the last SERVE_BEAT */
	const char *command, *arg;	/* into req, once taken */
	unsigned umask_bits;
	struct conn *next;	/* the queue */
};

struct server {
	struct config cfg;
	struct buf key;			/* NUL-terminated */
	int listen_fd;
	mode_t umask_bits;		/* the server's own */
	FILE *log;
	pthread_mutex_t log_lock;
	/* lock guards conns, the queue, the states and stopping; the
	 * main thread alone touches a C_READING connection's buffer */
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct conn *conns[CONNS_MAX];
	size_t nconns;
	struct conn *head, *tail;	/* C_QUEUED, oldest first */
	int stopping;
};

struct worker {
	struct server *srv;
	struct invgen *inv;
	pthread_t thread;
	int own_umask;		/* unshare(CLONE_FS) worked: umask per call */
};

/* The program file the server runs, as it was when it started. */
struct program {
	char path[PATH_MAX];
	struct stat sb;
};

static void
program_init(struct program *p)
{
	ssize_t n = readlink("/proc/self/exe", p->path, sizeof(p->path) - 1);

	p->path[n > 0 ? n : 0] = '\0';
	if (stat("/proc/self/exe", &p->sb) != 0)
		memset(&p->sb, 0, sizeof(p->sb));
}

/* The program file is no longer the one started: replaced, rewritten or
 * touched (the key, which has its modification time, changed with it). */
static int
program_changed(const struct program *p)
{
	struct stat now;

	if (p->path[0] == '\0' || p->sb.st_ino == 0)
		return 0;
	return stat(p->path, &now) != 0 || now.st_dev != p->sb.st_dev ||
	    now.st_ino != p->sb.st_ino ||
	    now.st_mtim.tv_sec != p->sb.st_mtim.tv_sec ||
	    now.st_mtim.tv_nsec != p->sb.st_mtim.tv_nsec ||
	    now.st_size != p->sb.st_size;
}

/* A mapped shared library (or the program) replaced on disk: its path
 * into which.  Reads /proc/self/maps. */
static int
library_replaced(char *which, size_t sz)
{
	struct buf b = { 0 };
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC), hit = 0;

	if (fd < 0)
		return 0;
	for (;;) {
		ssize_t n;

		buf_grow(&b, 65536);
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b.len += (size_t)n;
	}
	close(fd);
	if (b.data != NULL) {
		b.data[b.len] = '\0';
		hit = serve_maps_replaced(b.data, which, sz);
	}
	buf_free(&b);
	return hit;
}

/* One log line: what, order_no (may be ""), outcome.  Text that came
 * from another process is masked (i18n_printable). */
static void
log_line(struct server *srv, const char *what, const char *order_no,
    const char *outcome)
{
	char w[64], o[160], out[160];

	if (srv->log == NULL)
		return;
	i18n_printable(what, w, sizeof(w));
	i18n_printable(order_no, o, sizeof(o));
	i18n_printable(outcome, out, sizeof(out));
	pthread_mutex_lock(&srv->log_lock);
	fprintf(srv->log, "invgen serve: %s%s%s: %s\n", w, o[0] ? " " : "", o,
	    out);
	fflush(srv->log);
	pthread_mutex_unlock(&srv->log_lock);
}

/* "declined" reason, without waiting (it fits any socket buffer). */
static void
reply_declined(int fd, const char *reason)
{
	struct buf b = { 0 };

	buf_append(&b, "declined", sizeof("declined"));
	buf_append(&b, reason, strlen(reason) + 1);
	(void)send(fd, b.data, b.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	buf_free(&b);
}

/* Forget c: out of the table (srv->lock held), closed, freed. */
static void
conn_drop(struct server *srv, struct conn *c)
{
	for (size_t i = 0; i < srv->nconns; i++)
		if (srv->conns[i] == c) {
			srv->conns[i] = srv->conns[--srv->nconns];
			break;
		}
	close(c->fd);
	buf_free(&c->req);
	free(c);
}

/* A whole request in c (srv->lock held): declined, or acknowledged and
 * queued for a worker. */
static void
conn_take(struct server *srv, struct conn *c, int64_t now)
{
	const char *key, *reason = NULL;
	char beat = SERVE_BEAT;

	if (!serve_request_parse(c->req.data, c->req.len, &key, &c->command,
	    &c->arg, &c->umask_bits)) {
		reply_declined(c->fd, "malformed request");
		log_line(srv, "request", "", "declined: malformed");
		conn_drop(srv, c);
		return;
	}
	/* A caller running a replaced program file (an upgrade) has another
	 * key too; the main loop notices the replacement and stops. */
	if (strcmp(key, srv->key.data) != 0)
		reason = "another program, working directory or configuration";
	else if (strcmp(c->command, call_names[INVGEN_SERVED_ISSUE]) != 0 &&
	    strcmp(c->command, call_names[INVGEN_SERVED_TRANSFER_ORDER]) != 0)
		reason = "unknown call";
	if (reason != NULL) {
		char outcome[96];

		snprintf(outcome, sizeof(outcome), "declined: %s", reason);
		reply_declined(c->fd, reason);
		log_line(srv, c->command, c->arg, outcome);
		conn_drop(srv, c);
		return;
	}
	(void)send(c->fd, &beat, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
	c->beat = now;
	c->state = C_QUEUED;
	c->next = NULL;
	if (srv->tail != NULL)
		srv->tail->next = c;
	else
		srv->head = c;
	srv->tail = c;
	pthread_cond_signal(&srv->work);
}

/* Read what has arrived of c's request (srv->lock held); take it once
 * the caller has shut its side. */
static void
conn_read(struct server *srv, struct conn *c, int64_t now)
{
	for (;;) {
		ssize_t n;

		buf_grow(&c->req, 4096);
		n = recv(c->fd, c->req.data + c->req.len, c->req.cap -
		    c->req.len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			conn_drop(srv, c);
			return;
		}
		if (n == 0) {
			conn_take(srv, c, now);
			return;
		}
		c->req.len += (size_t)n;
		if (c->req.len > SERVE_REQUEST_MAX) {
			reply_declined(c->fd, "malformed request");
			log_line(srv, "request", "", "declined: too long");
			conn_drop(srv, c);
			return;
		}
	}
}

/* A new connection (srv->lock held): only this user, only CONNS_MAX. */
static void
conn_admit(struct server *srv, int fd, int64_t now)
{
	struct conn *c;

	if (!peer_is_us(fd)) {
		log_line(srv, "connection", "", "refused: another user");
		close(fd);
		return;
	}
	if (srv->nconns == CONNS_MAX) {
		reply_declined(fd, "busy");
		log_line(srv, "connection", "", "declined: busy");
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	c->state = C_READING;
	c->deadline = now + REQUEST_MS;
	srv->conns[srv->nconns++] = c;
	conn_read(srv, c, now);		/* usually all there already */
}

/* Drop the requests not whole by their deadline and beat for the queued
 * and running ones (srv->lock held).  Returns the number of connections
 * a worker has. */
static size_t
conns_tick(struct server *srv, int64_t now)
{
	char beat = SERVE_BEAT;
	size_t busy = 0;

	for (size_t i = 0; i < srv->nconns;) {
		struct conn *c = srv->conns[i];

		if (c->state == C_READING && now >= c->deadline) {
			log_line(srv, "request", "", "dropped: not whole "
			    "within 1 s");
			conn_drop(srv, c);	/* moves the last one to i */
			continue;
		}
		if ((c->state == C_QUEUED || c->state == C_WORKING) &&
		    now - c->beat >= BEAT_MS) {
			(void)send(c->fd, &beat, 1, MSG_NOSIGNAL |
			    MSG_DONTWAIT);
			c->beat = now;
		}
		if (c->state == C_WORKING || c->state == C_DONE)
			busy++;
		i++;
	}
	return busy;
}

/* Make c's call on w's handle; the reply into rep, the log line's
 * outcome into outcome. */
static void
make_call(struct worker *w, struct conn *c, struct buf *rep, char *outcome,
    size_t sz)
{
	struct gen_err err = { 0 };
	struct timespec t0, t1;
	struct invgen_doc *doc = NULL;
	const char *payload;
	char *json = NULL;
	enum gen_rc rc;

	/* The files of the call get the caller's umask, as if the caller
	 * wrote them; a worker that cannot have its own declines another
	 * one rather than write with the wrong one. */
	if (w->own_umask)
		umask((mode_t)c->umask_bits);
	else if ((mode_t)c->umask_bits != w->srv->umask_bits) {
		buf_append(rep, "declined", sizeof("declined"));
		buf_puts(rep, "another umask");
		buf_putc(rep, '\0');
		snprintf(outcome, sz, "declined: another umask (%04o)",
		    c->umask_bits);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (strcmp(c->command, call_names[INVGEN_SERVED_ISSUE]) == 0)
		rc = invgen_issue(w->inv, c->arg, &doc, &err);
	else
		rc = invgen_transfer_order(w->inv, c->arg, &doc, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* The answer is the document's JSON, which the caller reads back
	 * into the same result (answer_document). */
	if (rc == GEN_OK)
		json = invgen_doc_json(doc);
	invgen_doc_free(doc);
	payload = rc == GEN_OK ? json : err.msg;
	buf_append(rep, "ok", 3);
	buf_printf(rep, "%d", (int)rc);
	buf_putc(rep, '\0');
	buf_append(rep, payload, strlen(payload) + 1);
	snprintf(outcome, sz, "%s (%.1f ms)", rc == GEN_OK ? "ok" :
	    invgen_rc_name(rc), (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	invgen_free(json);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct server *srv = w->srv;

	/* Its own umask (Linux: the file-system attributes of this thread
	 * alone), so that each call can take its caller's. */
	w->own_umask = unshare(CLONE_FS) == 0;
	for (;;) {
		struct buf rep = { 0 };
		char outcome[128];
		struct conn *c;
		int sent;

		pthread_mutex_lock(&srv->lock);
		while (srv->head == NULL && !srv->stopping)
			pthread_cond_wait(&srv->work, &srv->lock);
		if ((c = srv->head) == NULL) {
			pthread_mutex_unlock(&srv->lock);
			break;
		}
		srv->head = c->next;
		if (srv->head == NULL)
			srv->tail = NULL;
		c->state = C_WORKING;
		pthread_mutex_unlock(&srv->lock);

		make_call(w, c, &rep, outcome, sizeof(outcome));

		pthread_mutex_lock(&srv->lock);
		c->state = C_DONE;		/* no beat after this */
		pthread_mutex_unlock(&srv->lock);
		sent = send_by(c->fd, rep.data, rep.len, now_ms() +
		    REPLY_SEND_MS);
		if (!sent)
			snprintf(outcome + strlen(outcome), sizeof(outcome) -
			    strlen(outcome), ", but the caller was gone");
		log_line(srv, c->command, c->arg, outcome);
		buf_free(&rep);
		pthread_mutex_lock(&srv->lock);
		conn_drop(srv, c);
		pthread_mutex_unlock(&srv->lock);
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
	if ((*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
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

/*
 * The main thread's loop: accept, read requests, drop slow ones, beat,
 * and every CHECK_MS look for a change of the program prog or a replaced
 * library.  Returns when *stop is set or something was replaced (why
 * says what).
 */
static void
serve_loop(struct server *srv, const struct program *prog,
    volatile sig_atomic_t *stop, char *why, size_t sz)
{
	struct pollfd pfd[1 + CONNS_MAX];
	struct conn *pc[1 + CONNS_MAX];
	int64_t next_check = 0, accept_after = 0;
	char lib[PATH_MAX];

	while (!*stop) {
		size_t n = 0;
		int64_t now = now_ms();

		if (now >= next_check) {
			next_check = now + CHECK_MS;
			if (program_changed(prog)) {
				snprintf(why, sz, "the program file %s was "
				    "replaced or changed", prog->path);
				return;
			}
			if (library_replaced(lib, sizeof(lib))) {
				snprintf(why, sz, "the shared library %s was "
				    "replaced", lib);
				return;
			}
		}
		pthread_mutex_lock(&srv->lock);
		if (now >= accept_after) {
			pfd[n] = (struct pollfd){ .fd = srv->listen_fd,
			    .events = POLLIN };
			pc[n++] = NULL;
		}
		for (size_t i = 0; i < srv->nconns; i++)
			if (srv->conns[i]->state == C_READING) {
				pfd[n] = (struct pollfd){ .fd =
				    srv->conns[i]->fd, .events = POLLIN };
				pc[n++] = srv->conns[i];
			}
		pthread_mutex_unlock(&srv->lock);
		/* Only this thread removes a connection being read, so pc[]
		 * stays valid while the lock is released. */
		if (poll(pfd, n, TICK_MS) < 0 && errno != EINTR)
			break;
		now = now_ms();
		pthread_mutex_lock(&srv->lock);
		for (size_t i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (pc[i] != NULL) {
				conn_read(srv, pc[i], now);
				continue;
			}
			for (int k = 0; k < 64; k++) {
				int fd = accept4(srv->listen_fd, NULL, NULL,
				    SOCK_NONBLOCK | SOCK_CLOEXEC);

				if (fd >= 0) {
					conn_admit(srv, fd, now);
					continue;
				}
				/* Out of descriptors or memory: leave the
				 * queue alone for a tick, not a busy loop. */
				if (errno != EAGAIN && errno != EWOULDBLOCK &&
				    errno != EINTR && errno != ECONNABORTED)
					accept_after = now + TICK_MS;
				break;
			}
		}
		conns_tick(srv, now);
		pthread_mutex_unlock(&srv->lock);
	}
}

/*
 * Stop: no new connections, the requests not yet begun dropped (their
 * callers make their calls themselves), the calls under way finished
 * while their callers still get beats.
 */
static void
serve_drain(struct server *srv)
{
	pthread_mutex_lock(&srv->lock);
	srv->stopping = 1;
	for (struct conn *c = srv->head; c != NULL;) {
		struct conn *next = c->next;

		conn_drop(srv, c);
		c = next;
	}
	srv->head = srv->tail = NULL;
	for (size_t i = 0; i < srv->nconns;)
		if (srv->conns[i]->state == C_READING)
			conn_drop(srv, srv->conns[i]);
		else
			i++;
	pthread_cond_broadcast(&srv->work);
	pthread_mutex_unlock(&srv->lock);
	for (;;) {
		struct timespec tick = { .tv_nsec = TICK_MS * 1000 * 1000 };
		size_t busy;

		pthread_mutex_lock(&srv->lock);
		busy = conns_tick(srv, now_ms());
		pthread_mutex_unlock(&srv->lock);
		if (busy == 0)
			break;
		nanosleep(&tick, NULL);
	}
}

enum gen_rc
invgen_serve(const struct invgen_options *opt, int workers,
    volatile sig_atomic_t *stop, FILE *log, struct gen_err *err)
{
	struct server srv = { .listen_fd = -1, .log = log };
	struct worker w[WORKERS_MAX];
	struct program prog;
	char sock[sizeof(((struct sockaddr_un *)0)->sun_path)], why[PATH_MAX +
	    64] = "";
	int lock_fd = -1, started = 0, opened = 0;
	sigset_t all, old;
	enum gen_rc rc;

	if (workers < 1 || workers > WORKERS_MAX)
		return gen_err_set(err, GEN_EUSAGE, "workers: %d must "
		    "be between 1 and %d", workers, WORKERS_MAX);
	if ((rc = config_init(&srv.cfg, opt, err)) != GEN_OK)
		return rc;
	if (!serve_socket_path(srv.cfg.db_path, sock, sizeof(sock))) {
		rc = gen_err_set(err, GEN_EUSAGE, "db_path: the socket %s.sock "
		    "would be longer than %zu bytes; give the database a "
		    "shorter (relative) path", srv.cfg.db_path, sizeof(sock) - 1);
		config_free(&srv.cfg);
		return rc;
	}
	pthread_mutex_init(&srv.log_lock, NULL);
	pthread_mutex_init(&srv.lock, NULL);
	pthread_cond_init(&srv.work, NULL);
	srv.umask_bits = files_umask();
	/* The program as it is before the key is taken from it: a change
	 * from here on stops the server. */
	program_init(&prog);
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
	/* Signals (the caller's SIGTERM) go to this thread, whose poll
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
	if (rc == GEN_OK)
		serve_loop(&srv, &prog, stop, why, sizeof(why));
	/* New callers find no socket and make their calls themselves; the
	 * calls under way finish before the workers see the shutdown. */
	unlink(sock);
	close(srv.listen_fd);
	srv.listen_fd = -1;
	serve_drain(&srv);
	for (int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	if (rc == GEN_OK && why[0] != '\0' && log != NULL) {
		char safe[sizeof(why)];

		i18n_printable(why, safe, sizeof(safe));
		fprintf(log, "invgen serve: %s; stopped (to be started "
		    "again)\n", safe);
		fflush(log);
	}
out:
	if (srv.listen_fd >= 0)
		close(srv.listen_fd);
	if (lock_fd >= 0)
		close(lock_fd);
	for (int i = 0; i < opened; i++)
		invgen_close(w[i].inv);
	buf_free(&srv.key);
	config_free(&srv.cfg);
	pthread_cond_destroy(&srv.work);
	pthread_mutex_destroy(&srv.lock);
	pthread_mutex_destroy(&srv.log_lock);
	return rc;
}
