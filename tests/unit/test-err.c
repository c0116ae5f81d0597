/*
 * test-err.c - the error convention: messages set once, prefixes, exit
 * statuses, and messages kept one clean line of valid UTF-8 whatever
 * they quote (control characters, a UTF-8 sequence cut by "%.Ns"); and
 * the capacities xgrow() steps through.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "testlib.h"

int
main(void)
{
	struct gen_err err = { 0 };
	char big[600];

	CHECK_INT(gen_err_set(&err, GEN_EINPUT, "x: %d", 5), GEN_EINPUT);
	CHECK_STR(err.msg, "x: 5");
	CHECK_INT(gen_err_prefix(&err, "order %s: ", "A-1"), GEN_EINPUT);
	CHECK_STR(err.msg, "order A-1: x: 5");
	gen_err_clear(&err);
	CHECK_INT(err.rc, GEN_OK);
	CHECK_STR(err.msg, "");
	CHECK_INT(gen_err_set(NULL, GEN_EIO, "ignored"), GEN_EIO);
	CHECK_INT(gen_err_prefix(NULL, "x"), GEN_OK);

	/* Control characters never reach the message. */
	gen_err_set(&err, GEN_EINPUT, "name: '%s'", "a\nb\tc\033[31m\x7f");
	CHECK_STR(err.msg, "name: 'a?b?c?[31m?'");
	/* "%.5s" cuts "Ž" (C5 BD) after its first byte: the stray byte goes. */
	gen_err_set(&err, GEN_EINPUT, "'%.5s'", "abcdŽ");
	CHECK_STR(err.msg, "'abcd?'");
	/* Valid UTF-8 of every length survives. */
	gen_err_set(&err, GEN_EINPUT, "%s", "Ž Ж € 山 𝔸");
	CHECK_STR(err.msg, "Ž Ж € 山 𝔸");
	/* Overlong and surrogate forms are replaced byte by byte. */
	gen_err_set(&err, GEN_EINPUT, "%s", "\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80");
	CHECK_STR(err.msg, "??|???|????");
	/* A long message is cut to fit and stays valid. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	gen_err_set(&err, GEN_EINPUT, "%s", big);
	CHECK_INT(strlen(err.msg), GEN_ERR_MSG_SIZE - 1);
	gen_err_prefix(&err, "p: ");
	CHECK_INT(strlen(err.msg), GEN_ERR_MSG_SIZE - 1);
	CHECK(strncmp(err.msg, "p: xxx", 6) == 0);

	/* Exit statuses: 0 ok, 1 refused, 2 usage, 3 storage, I/O or retry
	 * later. */
	CHECK_INT(invgen_rc_exit_status(GEN_OK), 0);
	CHECK_INT(invgen_rc_exit_status(GEN_EINPUT), 1);
	CHECK_INT(invgen_rc_exit_status(GEN_ENOTFOUND), 1);
	CHECK_INT(invgen_rc_exit_status(GEN_ECONFLICT), 1);
	CHECK_INT(invgen_rc_exit_status(GEN_EUSAGE), 2);
	CHECK_INT(invgen_rc_exit_status(GEN_EDB), 3);
	CHECK_INT(invgen_rc_exit_status(GEN_EIO), 3);
	CHECK_INT(invgen_rc_exit_status(GEN_EPDF), 3);
	CHECK_STR(invgen_rc_name(GEN_EDB), "database");
	/* An outside service down or rates not imported: retry later. */
	CHECK_INT(invgen_rc_exit_status(GEN_ERETRY), 3);
	CHECK_STR(invgen_rc_name(GEN_ERETRY), "retry later");
	CHECK_STR(invgen_rc_kind(GEN_ENOTFOUND), "not_found");
	CHECK_STR(invgen_rc_kind(GEN_ERETRY), "retry");

	/* The field a refusal names: its first word when that is a field
	 * path followed by ':' or " of "; it stays through a prefix. */
	gen_err_set(&err, GEN_EINPUT, "lines[2].quantity: %d is out of range",
	    -1);
	CHECK_STR(err.field, "lines[2].quantity");
	gen_err_prefix(&err, "[3]: ");
	CHECK_STR(err.field, "lines[2].quantity");
	gen_err_set(&err, GEN_EINPUT, "payer.name of order B-1: 0 characters");
	CHECK_STR(err.field, "payer.name");
	gen_err_set(&err, GEN_EUSAGE, "kind: 'x' is not allowed");
	CHECK_STR(err.field, "kind");
	/* not a field: a module's word, a sentence, a storage failure */
	gen_err_set(&err, GEN_EINPUT, "qr: 300 bytes do not fit");
	CHECK_STR(err.field, "");
	gen_err_set(&err, GEN_EINPUT, "cannot read x: gone");
	CHECK_STR(err.field, "");
	gen_err_set(&err, GEN_EINPUT, "Order: x");
	CHECK_STR(err.field, "");
	gen_err_set(&err, GEN_EDB, "paid_at: database locked");
	CHECK_STR(err.field, "");
	CHECK_INT(gen_err_field(&err, "database", GEN_EDB), GEN_EDB);
	CHECK_STR(err.field, "database");
	gen_err_clear(&err);
	CHECK_STR(err.field, "");

	/* xgrow: room for one more, doubling from first. */
	{
		static const size_t want[] = { 4, 8, 16, 32, 64, 128 };
		size_t seen[8], nseen = 0, n, cap = 0;
		int *v = NULL;

		for (n = 0; n < 100; n++) {
			v = xgrow(v, n, &cap, 4, sizeof(*v));
			CHECK(cap > n);
			if (nseen == 0 || seen[nseen - 1] != cap) {
				if (nseen < 8)
					seen[nseen] = cap;
				nseen++;
			}
			v[n] = (int)n;
		}
		CHECK_INT(nseen, 6);
		for (n = 0; n < 6 && n < nseen; n++)
			CHECK_INT(seen[n], want[n]);
		CHECK_INT(v[99], 99);
		v = xgrow(v, 50, &cap, 4, sizeof(*v));
		CHECK_INT(cap, 128);		/* not full: unchanged */
		free(v);
	}
	return test_report();
}
