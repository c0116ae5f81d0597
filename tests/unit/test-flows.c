/*
 * test-flows.c - which document an order gets under each balance VAT
 * policy (flows_order_kind) and what counts as a top-up document; the
 * flows themselves (issuing, drawing, refunds, credit terms) are tested
 * end to end from the command line (t0180, t0190).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "testlib.h"

static struct order_line lines[2];
static struct order_draw draw = { "ZLV-000001", 100 };

/* An order of n lines of item (then "softphone"), paid by method. */
static void
make(struct order *o, const char *item, size_t n, const char *method,
    int with_draw)
{
	memset(o, 0, sizeof(*o));
	o->order_no = "O-1";
	o->payment_method = (char *)method;
	lines[0].item = (char *)item;
	lines[1].item = "softphone";
	o->lines = lines;
	o->nlines = n;
	o->draws = with_draw ? &draw : NULL;
	o->ndraws = with_draw ? 1 : 0;
}

int
main(void)
{
	struct seller_profile use = { .balance_policy = BALANCE_AT_USE };
	struct seller_profile top = { .balance_policy = BALANCE_AT_TOP_UP };
	struct gen_err err = { 0 };
	struct order o;
	enum doc_kind k;
	struct doc_line dl[2] = { { .item = "topup" }, { .item = "topup" } };
	struct document d = { .lines = dl, .nlines = 2 };

	/* at_use: a top-up gets a receipt; a purchase from the balance its
	 * VAT invoice, drawing on nothing. */
	make(&o, "topup", 1, "card", 0);
	CHECK_INT(flows_order_kind(&o, &use, &k, &err), GEN_OK);
	CHECK_INT(k, DOC_PREPAYMENT_RECEIPT);
	make(&o, "softphone", 1, "balance", 0);
	CHECK_INT(flows_order_kind(&o, &use, &k, &err), GEN_OK);
	CHECK_INT(k, DOC_INVOICE);
	make(&o, "softphone", 1, "balance", 1);
	CHECK_INT(flows_order_kind(&o, &use, &k, &err), GEN_EINPUT);
	CHECK_MSG(err, "balance_draws: under the seller's balance VAT policy "
	    "at_use");
	make(&o, "topup", 2, "card", 0);
	CHECK_INT(flows_order_kind(&o, &use, &k, &err), GEN_EINPUT);
	CHECK_MSG(err, "mixes top-up lines with others");

	/* at_top_up: a top-up gets the VAT invoice (mixed lines too); a
	 * purchase from the balance a use of it, with its draws. */
	make(&o, "topup", 1, "card", 0);
	CHECK_INT(flows_order_kind(&o, &top, &k, &err), GEN_OK);
	CHECK_INT(k, DOC_INVOICE);
	make(&o, "topup", 2, "paypal", 0);
	CHECK_INT(flows_order_kind(&o, &top, &k, &err), GEN_OK);
	CHECK_INT(k, DOC_INVOICE);
	make(&o, "softphone", 1, "balance", 1);
	CHECK_INT(flows_order_kind(&o, &top, &k, &err), GEN_OK);
	CHECK_INT(k, DOC_BALANCE_USE);
	make(&o, "softphone", 1, "balance", 0);
	CHECK_INT(flows_order_kind(&o, &top, &k, &err), GEN_EINPUT);
	CHECK_MSG(err, "must say which top-up invoices it draws on");
	make(&o, "softphone", 1, "card", 0);
	CHECK_INT(flows_order_kind(&o, &top, &k, &err), GEN_OK);
	CHECK_INT(k, DOC_INVOICE);

	/* Under either policy a top-up is never paid from the balance. */
	make(&o, "topup", 1, "balance", 0);
	CHECK_INT(flows_order_kind(&o, &use, &k, &err), GEN_EINPUT);
	CHECK_MSG(err, "cannot be paid from the balance");
	CHECK_INT(flows_order_kind(&o, &top, &k, &err), GEN_EINPUT);

	/* A top-up document: every line a top-up. */
	CHECK(flows_is_topup(&d));
	dl[1].item = "softphone";
	CHECK(!flows_is_topup(&d));
	d.nlines = 0;
	CHECK(!flows_is_topup(&d));
	return test_report();
}
