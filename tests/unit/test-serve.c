/*
 * test-serve.c - the parts of `invgen serve` below its sockets: the key
 * that must match for a server to make a caller's call (paths as written,
 * the working directory only for relative ones, busy timeout, pinned
 * clock), the socket's name and its length limit, and the wire format:
 * requests and replies round-trip, anything else is refused rather than
 * half-read.  The sockets themselves: tests/cli/t0150-serve.sh.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "buf.h"
#include "config.h"
#include "serve.h"
#include "testlib.h"

/* A string literal with its embedded NULs, and its length without the
 * one C adds at the end. */
#define BYTES(lit) lit, sizeof(lit) - 1

static char *
key_of(const struct config *cfg)
{
	struct buf b = { 0 };

	serve_key(cfg, &b);
	buf_putc(&b, '\0');
	return buf_detach(&b, NULL);
}

static int
parses(const char *req, size_t len)
{
	char copy[256];
	const char *k, *c, *a;

	memcpy(copy, req, len);
	return serve_request_parse(copy, len, &k, &c, &a);
}

static int
reply(const char *rep, size_t len, int *rc, char *payload, size_t sz)
{
	char copy[256];
	const char *p;
	int ok;

	memcpy(copy, rep, len);
	ok = serve_reply_parse(copy, len, rc, &p);
	snprintf(payload, sz, "%s", p);
	return ok;
}

int
main(void)
{
	struct config cfg = { .db_path = "/srv/a/t.db",
		.data_dir = "/usr/share/invgen", .out_dir = "/srv/a/out",
		.busy_timeout_ms = 30000 };
	struct sockaddr_un sa;
	struct buf b = { 0 };
	char *k1, *k2, big[200], payload[128];
	const char *key, *command, *arg;
	int rc = -1;

	/* The key: absolute paths leave the working directory out. */
	k1 = key_of(&cfg);
	CHECK(strstr(k1, "program=") == k1);
	CHECK(strstr(k1, "\ndb=/srv/a/t.db\ndata=/usr/share/invgen\n"
	    "out=/srv/a/out\nbusy=30000\nnow=clock\n") != NULL);
	CHECK(strstr(k1, "cwd=") == NULL);
	cfg.now_pinned = 1;
	cfg.now = 1773993600;		/* 2026-03-20T08:00:00Z */
	k2 = key_of(&cfg);
	CHECK(strstr(k2, "now=2026-03-20T08:00:00Z\n") != NULL);
	CHECK(strcmp(k1, k2) != 0);
	free(k2);
	cfg.now_pinned = 0;
	cfg.busy_timeout_ms = 200;
	k2 = key_of(&cfg);
	CHECK(strcmp(k1, k2) != 0);
	free(k2);
	cfg.busy_timeout_ms = 30000;
	k2 = key_of(&cfg);
	CHECK_STR(k2, k1);		/* the same program, the same key */
	free(k2);
	/* A relative path brings the working directory in. */
	cfg.out_dir = "out";
	k2 = key_of(&cfg);
	CHECK(strstr(k2, "\ncwd=/") != NULL);
	CHECK(strstr(k2, "\nout=out\n") != NULL);
	free(k2);
	free(k1);

	/* The socket beside the database, when it fits sun_path. */
	CHECK(serve_socket_path("t.db", sa.sun_path, sizeof(sa.sun_path)));
	CHECK_STR(sa.sun_path, "t.db.sock");
	memset(big, 'd', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(!serve_socket_path(big, sa.sun_path, sizeof(sa.sun_path)));
	big[sizeof(sa.sun_path) - 6] = '\0';	/* + ".sock" + NUL: fits */
	CHECK(serve_socket_path(big, sa.sun_path, sizeof(sa.sun_path)));
	big[sizeof(sa.sun_path) - 6] = 'd';
	big[sizeof(sa.sun_path) - 5] = '\0';	/* one byte too many */
	CHECK(!serve_socket_path(big, sa.sun_path, sizeof(sa.sun_path)));

	/* Requests round-trip; anything else is refused. */
	serve_request_encode(&b, "K", "transfer-order", "T-1");
	CHECK_INT(b.len, sizeof(SERVE_MAGIC) + 2 + 15 + 4);
	CHECK(serve_request_parse(b.data, b.len, &key, &command, &arg));
	CHECK_STR(key, "K");
	CHECK_STR(command, "transfer-order");
	CHECK_STR(arg, "T-1");
	buf_free(&b);
	CHECK(!parses(BYTES("invgen-serve/1\0K\0issue\0A-1")));	/* no NUL */
	CHECK(parses(BYTES("invgen-serve/1\0K\0issue\0A-1\0")));
	CHECK(!parses(BYTES("invgen-serve/1\0K\0issue\0A-1\0x\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0")));
	CHECK(!parses(BYTES("invgen-serve/1\0K\0issue\0")));
	CHECK(!parses(BYTES("")));

	/* Replies: "ok" with a known code, or "declined" with its reason. */
	CHECK(reply(BYTES("ok\0" "0\0{\"n\":1}\0"), &rc, payload,
	    sizeof(payload)));
	CHECK_INT(rc, 0);
	CHECK_STR(payload, "{\"n\":1}");
	CHECK(reply(BYTES("ok\0" "3\0order: no such order\0"), &rc, payload,
	    sizeof(payload)));
	CHECK_INT(rc, 3);
	CHECK_STR(payload, "order: no such order");
	CHECK(!reply(BYTES("declined\0busy\0"), &rc, payload,
	    sizeof(payload)));
	CHECK_STR(payload, "busy");
	/* A call refused for "retry later" (VIES down) travels back too. */
	CHECK(reply(BYTES("ok\0" "11\0VIES did not answer\0"), &rc, payload,
	    sizeof(payload)));
	CHECK_INT(rc, GEN_ERETRY);
	CHECK(!reply(BYTES("ok\0" "12\0x\0"), &rc, payload, sizeof(payload)));
	CHECK(!reply(BYTES("ok\0" "99\0x\0"), &rc, payload, sizeof(payload)));
	CHECK(!reply(BYTES("ok\0" "-1\0x\0"), &rc, payload, sizeof(payload)));
	CHECK(!reply(BYTES("ok\0" "1x\0x\0"), &rc, payload, sizeof(payload)));
	CHECK(!reply(BYTES("ok\0" "\0x\0"), &rc, payload, sizeof(payload)));
	CHECK(!reply(BYTES("ok\0" "0\0{\"n\""), &rc, payload, sizeof(payload)));
	CHECK(!reply(BYTES(""), &rc, payload, sizeof(payload)));
	return test_report();
}
