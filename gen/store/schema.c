/*
 * schema.c - embeds the files of gen/sql/ and gen/data/ into the library with
 * the assembler's .incbin (no generated sources, no xxd at build time) and
 * lists the migrations.  INVGEN_SRCDIR is the source tree's absolute path,
 * set by the Makefile, which also makes schema.o depend on those files.
 */
#include <stddef.h>

#include "schema.h"

#ifndef INVGEN_SRCDIR
#error "INVGEN_SRCDIR must name the source tree (set by the Makefile)"
#endif

#define EMBED(sym, file) \
	__asm__(".section .rodata\n" \
	    ".global " #sym "\n" \
	    ".hidden " #sym "\n" \
	    ".type " #sym ", @object\n" \
	    #sym ":\n" \
	    ".incbin \"" INVGEN_SRCDIR "/" file "\"\n" \
	    ".byte 0\n" \
	    ".previous\n")

EMBED(invgen_sql_001, "gen/sql/001-core.sql");
EMBED(invgen_sql_003, "gen/sql/003-archive.sql");
EMBED(invgen_sql_004, "gen/sql/004-money-flows.sql");
EMBED(invgen_data_vat_rates, "gen/data/vat_rates.txt");
EMBED(invgen_data_ecb_rates, "gen/data/ecb_rates.txt");
EMBED(invgen_sql_005, "gen/sql/005-layout-versions.sql");
EMBED(invgen_data_vat_rates_regional, "gen/data/vat_rates_regional.txt");
EMBED(invgen_sql_007, "gen/sql/007-topup-invoices.sql");

extern const char invgen_sql_001[];
extern const char invgen_sql_003[];
extern const char invgen_sql_004[];
extern const char invgen_data_vat_rates[];
extern const char invgen_data_ecb_rates[];
extern const char invgen_sql_005[];
extern const char invgen_data_vat_rates_regional[];
extern const char invgen_sql_007[];

static const struct schema_migration migrations[] = {
	{ 1, "001-core", invgen_sql_001, 0, 0, 0, 0, 0 },
	{ 2, "002-reference-data", NULL, 1, 1, 0, 0, 0 },
	{ 3, "003-archive", invgen_sql_003, 0, 0, 0, 1, 0 },
	{ 4, "004-money-flows", invgen_sql_004, 0, 0, 0, 0, 1 },
	{ 5, "005-layout-versions", invgen_sql_005, 0, 0, 1, 0, 0 },
	{ 7, "007-topup-invoices", invgen_sql_007, 0, 0, 0, 0, 0 },
};

const struct schema_migration *
schema_migrations(size_t *n)
{
	*n = sizeof(migrations) / sizeof(migrations[0]);
	return migrations;
}

int
schema_latest_version(void)
{
	return migrations[sizeof(migrations) / sizeof(migrations[0]) - 1]
	    .version;
}

const char *
schema_vat_rates_text(void)
{
	return invgen_data_vat_rates;
}

const char *
schema_ecb_rates_text(void)
{
	return invgen_data_ecb_rates;
}

const char *
schema_vat_rates_regional_text(void)
{
	return invgen_data_vat_rates_regional;
}
