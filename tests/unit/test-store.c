/*
 * test-store.c - the storage layer on a scratch database: creation and
 * migration, refusing a newer schema, the ECB rate rule for days without
 * a rate (last rate published before, at most 7 days back), the rate
 * import, gap-free series per kind, seller profile lookup by date and
 * overlap detection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caldate.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "testtools.h"

static int32_t
day(const char *s)
{
	struct gen_err err = { 0 };
	int32_t d = 0;

	caldate_parse(s, &d, "d", &err);
	return d;
}

int
main(void)
{
	char dir[] = "/tmp/invgen-test-store-XXXXXX", path[256];
	char units[32], rdate[CALDATE_LEN];
	struct store *s = NULL;
	struct gen_err err = { 0 };
	struct tax_rate *rates = NULL;
	size_t n = 0, added = 0;
	int64_t seq = 0, id;
	struct seller_profile *sp = NULL;

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(path, sizeof(path), "%s/t.db", dir);

	/* A missing file is not created without STORE_CREATE. */
	CHECK_INT(store_open(path, 0, 1000, &s, &err), GEN_EIO);
	CHECK_MSG(err, "No such file or directory; it must be created first");
	CHECK_STR(err.field, "database");
	CHECK(access(path, F_OK) != 0);
	CHECK_INT(store_open(path, STORE_CREATE, 1000, &s, &err), GEN_OK);
	CHECK_INT(store_schema_version(s), schema_latest_version());

	/* Reference data: 31 national rates and the two regional ones. */
	CHECK_INT(store_vat_rates(s, &rates, &n, &err), GEN_OK);
	CHECK_INT(n, 33);
	for (size_t k = 0; k < n; k++)
		if (strcmp(rates[k].region, "") != 0) {
			CHECK_STR(rates[k].country, "PT");
			CHECK(strcmp(rates[k].region, "azores") == 0 ?
			    rates[k].rate_bp == 1600 &&
			    rates[k].valid_from == day("2021-07-01") :
			    strcmp(rates[k].region, "madeira") == 0 &&
			    rates[k].rate_bp == 2200);
			CHECK_INT(rates[k].valid_to, INT32_MAX);
			added++;
		}
	CHECK_INT(added, 2);
	added = 0;
	free(rates);

	/* Logos: kept by hash, once; a hash no row has is a damage. */
	{
		static const char sha[] = "26b5ae1fea5ca250b15f3472ac1d36bb"
		    "bb2b7ac7f08cb36a61f6f32e17ed8231";
		unsigned char *data = NULL;
		size_t len = 0;

		CHECK_INT(store_logo_put(s, sha, "image/png", "PNGDATA", 7,
		    &err), GEN_OK);
		CHECK_INT(store_logo_put(s, sha, "image/png", "PNGDATA", 7,
		    &err), GEN_OK);
		CHECK_INT(store_logo_get(s, sha, &data, &len, &err), GEN_OK);
		CHECK(len == 7 && data != NULL &&
		    memcmp(data, "PNGDATA", 7) == 0);
		free(data);
		CHECK_INT(store_logo_get(s, "00", &data, &len, &err),
		    GEN_EIO);
		CHECK_MSG(err, "logo: no logo with SHA-256 00");
		CHECK(data == NULL && len == 0);
		CHECK_INT(store_logo_put(s, "short", "image/png", "x", 1,
		    &err), GEN_ECONFLICT);
	}

	/* ECB rates: a business day, a weekend, 7 days back at most. */
	CHECK_INT(store_fx_rate(s, "USD", day("2025-08-15"), units,
	    sizeof(units), rdate, &err), GEN_OK);
	CHECK_STR(rdate, "2025-08-15");
	CHECK_INT(store_fx_rate(s, "USD", day("2025-08-17"), units,
	    sizeof(units), rdate, &err), GEN_OK);	/* Sunday */
	CHECK_STR(rdate, "2025-08-15");
	CHECK_INT(store_fx_rate(s, "USD", day("2025-12-26"), units,
	    sizeof(units), rdate, &err), GEN_OK);	/* TARGET holiday */
	CHECK_STR(rdate, "2025-12-24");
	/* After the last stored rate: the operator imports the rates and the
	 * same request succeeds (exit 3, "retry later"), naming them. */
	CHECK_INT(store_fx_rate(s, "USD", day("2026-11-26"), units,
	    sizeof(units), rdate, &err), GEN_ERETRY);
	CHECK_MSG(err, "no ECB reference rate for USD on 2026-11-26");
	CHECK_MSG(err, "the latest stored is of 2026-04-13");
	CHECK_MSG(err, "import the ECB rates of 2026-04-13 to 2026-11-26");
	CHECK_INT(store_fx_rate(s, "AED", day("2025-08-15"), units,
	    sizeof(units), rdate, &err), GEN_EINPUT);	/* not published */
	CHECK_MSG(err, "none is stored for AED at all");

	/* Import: new days added, identical ones skipped, changes refused,
	 * all or none. */
	{
		struct store_fx_rate rows[] = {
			{ "USD", "2026-11-25", "1.1500", 2 },
			{ "JPY", "2026-11-25", "170.00", 2 },
			{ "USD", "2026-04-13", "1.16840", 3 },	/* = 1.1684 */
			{ "JPY", "2026-04-13", "186.75", 3 },
		};
		struct store_fx_rate bad[] = {
			{ "USD", "2026-11-27", "1.1600", 2 },
			{ "USD", "2026-04-13", "1.2", 7 },
		};
		struct store_fx_last *last = NULL;
		size_t nl = 0;

		CHECK_INT(store_fx_add(s, rows, 4, "ECB CSV", "test", &added,
		    &err), GEN_OK);
		CHECK_INT(added, 2);
		CHECK_INT(store_fx_rate(s, "USD", day("2026-11-26"), units,
		    sizeof(units), rdate, &err), GEN_OK);
		CHECK_STR(units, "1.1500");
		CHECK_INT(store_fx_add(s, bad, 2, "ECB XML", "test", &added,
		    &err), GEN_ECONFLICT);
		CHECK_INT(added, 0);
		CHECK_MSG(err, "ECB XML line 7: USD on 2026-04-13 is 1.2 but the "
		    "database has 1.1684; published rates never change");
		CHECK_INT(store_fx_rate(s, "USD", day("2026-11-27"), units,
		    sizeof(units), rdate, &err), GEN_OK);
		CHECK_STR(rdate, "2026-11-25");	/* 11-27 was rolled back */

		CHECK_INT(store_fx_last(s, NULL, &last, &nl, &err), GEN_OK);
		CHECK(nl > 20);
		for (size_t i = 0; i < nl; i++)
			if (strcmp(last[i].currency, "JPY") == 0) {
				CHECK_STR(last[i].last, "2026-11-25");
				CHECK_STR(last[i].units, "170.00");
				CHECK_STR(last[i].first, "2024-01-02");
			}
		free(last);
		CHECK_INT(store_fx_last(s, "USD", &last, &nl, &err), GEN_OK);
		CHECK_INT(nl, 1);
		CHECK_STR(last[0].currency, "USD");
		CHECK_STR(last[0].last, "2026-11-25");
		CHECK_STR(last[0].units, "1.1500");
		free(last);
		CHECK_INT(store_fx_last(s, "XYZ", &last, &nl, &err), GEN_OK);
		CHECK_INT(nl, 0);
		free(last);
	}

	/* Series: gap-free per series, one kind per series. */
	CHECK_INT(store_begin(s, &err), GEN_OK);
	CHECK_INT(store_series_next(s, "ZLV", DOC_INVOICE, &seq, &err), GEN_OK);
	CHECK_INT(seq, 1);
	CHECK_INT(store_series_next(s, "ZLV", DOC_INVOICE, &seq, &err), GEN_OK);
	CHECK_INT(seq, 2);
	CHECK_INT(store_series_next(s, "ZLV", DOC_CREDIT_NOTE, &seq, &err),
	    GEN_ECONFLICT);
	store_rollback(s);
	CHECK_INT(store_begin(s, &err), GEN_OK);
	CHECK_INT(store_series_next(s, "ZLV", DOC_INVOICE, &seq, &err), GEN_OK);
	CHECK_INT(seq, 1);		/* the rollback gave the numbers back */
	CHECK_INT(store_commit(s, &err), GEN_OK);

	/* Seller profiles by date, overlaps. */
	CHECK_INT(store_seller_for_date(s, day("2025-08-01"), &sp, &err),
	    GEN_ENOTFOUND);
	sp = calloc(1, sizeof(*sp));
	snprintf(sp->valid_from, sizeof(sp->valid_from), "2025-07-09");
	sp->party.name = strdup("MB X");
	sp->party.company_code = strdup("305133662");
	sp->party.vat_number = strdup("LT100018548216");
	sp->party.address_line1 = strdup("Street 1");
	sp->party.city = strdup("Vilnius");
	sp->party.postal_code = strdup("01100");
	memcpy(sp->party.country, "LT", 3);
	sp->invoice_series = strdup("A");
	sp->credit_series = strdup("B");
	sp->transfer_series = strdup("C");
	sp->number_format = strdup("{series}-{seq:6}");
	sp->transfer_due_days = 7;
	sp->oss_enabled = 1;
	CHECK_INT(store_seller_insert(s, sp, &err), GEN_OK);
	seller_profile_free(sp);
	sp = NULL;
	CHECK_INT(store_seller_overlap(s, "2025-01-01", "2025-07-08", &id,
	    &err), GEN_OK);
	CHECK_INT(id, 0);
	CHECK_INT(store_seller_overlap(s, "2025-01-01", "2025-07-09", &id,
	    &err), GEN_OK);
	CHECK(id > 0);
	CHECK_INT(store_seller_for_date(s, day("2025-07-09"), &sp, &err),
	    GEN_OK);
	CHECK_STR(sp->party.vat_number, "LT100018548216");
	seller_profile_free(sp);
	store_close(s);

	/* A newer schema is refused. */
	{
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "sqlite3 %s 'PRAGMA user_version = 9'"
		    " 2>/dev/null", path);
		if (system(cmd) == 0) {
			CHECK_INT(store_open(path, 0, 1000, &s, &err), GEN_EDB);
			CHECK_MSG(err, "newer than this invgen");
		} else
			tool_missing("sqlite3 command not installed");
	}
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	return system(path) == 0 ? test_report() : 1;
}
