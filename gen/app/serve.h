/*
 * serve.h - the pieces of `invgen serve` (serve.c) below the public
 * invgen_serve() and invgen_served_call() of invgen.h: the key that
 * decides whether a server may run a caller's call, the socket's name and
 * the wire format.  Separate so that test-serve.c can check them.
 */
#ifndef INVGEN_SERVE_H
#define INVGEN_SERVE_H

#include <stddef.h>

#include "buf.h"
#include "config.h"

#define SERVE_MAGIC		"invgen-serve/2"
/* Sent by a server when it has taken a request, then while it works on
 * it; never the first byte of a reply. */
#define SERVE_BEAT		'+'
#define SERVE_REQUEST_MAX	(64 * 1024)
#define SERVE_REPLY_MAX		(16 * 1024 * 1024)

/*
 * What must be equal between a caller and a server for the server to run
 * the caller's call: the program file (device, inode, modification time),
 * the working directory, the database, data and output directories as
 * written, the busy timeout and the clock (pinned time, or "clock").
 * Appended to out as text.
 */
void serve_key(const struct config *cfg, struct buf *out);

/* The socket beside the database: DB.sock.  0 when it does not fit a
 * sockaddr_un (at most sz - 1 bytes). */
int serve_socket_path(const char *db_path, char *out, size_t sz);

/* A request: SERVE_MAGIC, key, command, argument and the caller's umask
 * (four octal digits), each ending in NUL. */
void serve_request_encode(struct buf *out, const char *key,
    const char *command, const char *arg, unsigned umask_bits);

/*
 * Split a request of len bytes in place; the pointers point into req.
 * 0 when it is not exactly the five NUL-ended fields with SERVE_MAGIC
 * first and four octal digits last.
 */
int serve_request_parse(char *req, size_t len, const char **key,
    const char **command, const char **arg, unsigned *umask_bits);

/*
 * Read a reply: "ok" rc payload, or "declined" reason.  Returns 1 with
 * *rc and *payload (into rep) for "ok" with a known rc, 0 otherwise
 * (*payload then is the reason when there is one, else "").
 */
int serve_reply_parse(char *rep, size_t len, int *rc, const char **payload);

/*
 * 1 if the text of /proc/self/maps (NUL-terminated) has an executable
 * mapping of a file that was replaced or removed ("... r-xp ... /path
 * (deleted)"): a shared library or the program updated on disk while
 * the old code runs.  Its path (without " (deleted)") into which.
 */
int serve_maps_replaced(const char *maps, char *which, size_t sz);

#endif
