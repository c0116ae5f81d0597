/*
 * test-serve.c - the parts of `invgen serve` below its sockets: the key
 * that must match for a server to make a caller's call (paths as written,
 * the working directory only for relative ones, busy timeout, pinned
 * clock), the socket's name and its length limit, the wire format
 * (requests with the caller's umask and replies round-trip, anything else
 * is refused rather than half-read), and how a replaced shared library is
 * found in /proc/self/maps.  The sockets themselves:
 * tests/cli/t0150-serve.sh and t0151-serve-trust.sh.
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
	unsigned u;

	memcpy(copy, req, len);
	return serve_request_parse(copy, len, &k, &c, &a, &u);
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
	unsigned um = 0;

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
	serve_request_encode(&b, "K", "transfer-order", "T-1", 022);
	CHECK_INT(b.len, sizeof(SERVE_MAGIC) + 2 + 15 + 4 + 5);
	CHECK(serve_request_parse(b.data, b.len, &key, &command, &arg, &um));
	CHECK_STR(key, "K");
	CHECK_STR(command, "transfer-order");
	CHECK_STR(arg, "T-1");
	CHECK_INT(um, 022);
	buf_free(&b);
	serve_request_encode(&b, "K", "issue", "A-1", 077);
	CHECK(serve_request_parse(b.data, b.len, &key, &command, &arg, &um));
	CHECK_INT(um, 077);
	buf_free(&b);
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "0022")));
	CHECK(parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "0022\0")));
	CHECK(parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "0777\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "0022\0x\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "0028\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "022\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "1000\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0A-1\0" "-022\0")));
	/* the format before the umask travelled with the request */
	CHECK(!parses(BYTES("invgen-serve/1\0K\0issue\0A-1\0")));
	CHECK(!parses(BYTES("invgen-serve/1\0K\0issue\0A-1\0" "0022\0")));
	CHECK(!parses(BYTES("invgen-serve/2\0K\0issue\0")));
	CHECK(!parses(BYTES("")));
	CHECK(SERVE_BEAT != 'o' && SERVE_BEAT != 'd');

	/* A replaced library: an executable mapping of a deleted file. */
	CHECK(!serve_maps_replaced(
	    "55d0c0000000-55d0c0001000 r--p 00000000 08:01 1234 "
	    "/usr/local/bin/invgen\n"
	    "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	    "7f0000100000-7f0000200000 r-xp 00001000 08:01 77 "
	    "/usr/lib/x86_64-linux-gnu/libqrencode.so.4.1.1\n"
	    "7f0000300000-7f0000400000 r--p 00000000 08:01 78 "
	    "/srv/fonts/NotoSans-Regular.ttf (deleted)\n"
	    "7f0000500000-7f0000501000 rw-s 00000000 00:05 99 "
	    "/dev/shm/x (deleted)\n"
	    "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]\n",
	    payload, sizeof(payload)));
	CHECK(serve_maps_replaced(
	    "7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
	    "7f0000100000-7f0000200000 r-xp 00001000 08:01 77 "
	    "/usr/lib/x86_64-linux-gnu/libicuuc.so.72.1 (deleted)\n"
	    "7f0000200000-7f0000210000 r--p 00101000 08:01 77 "
	    "/usr/lib/x86_64-linux-gnu/libicuuc.so.72.1 (deleted)\n",
	    payload, sizeof(payload)));
	CHECK_STR(payload, "/usr/lib/x86_64-linux-gnu/libicuuc.so.72.1");
	CHECK(serve_maps_replaced(
	    "55d0c0001000-55d0c0100000 r-xp 00001000 08:01 1234 "
	    "/opt/my dir/invgen (deleted)", payload, sizeof(payload)));
	CHECK_STR(payload, "/opt/my dir/invgen");
	CHECK(!serve_maps_replaced("", payload, sizeof(payload)));
	CHECK(!serve_maps_replaced(" (deleted)\nx r-xp (deleted)\n",
	    payload, sizeof(payload)));

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
