/*
 * schema.h - the SQL schema and reference data compiled into invgen.
 *
 * The migrations (gen/sql/NNN-name.sql) and the reference data (gen/data/:
 * VAT rates, ECB exchange rates) are embedded in the binary at build time,
 * so a database can be created or migrated by any program linked with
 * libinvgen, wherever it runs.  store.c applies them; this file only hands
 * out the bytes.
 */
#ifndef INVGEN_SCHEMA_H
#define INVGEN_SCHEMA_H

#include <stddef.h>

/* Migration that brings the schema from version - 1 to version. */
struct schema_migration {
	int version;
	const char *name;	/* e.g. "001-core" */
	const char *sql;	/* NUL-terminated SQL script, or NULL */
	/* When set, the reference data to load after the SQL: */
	int loads_vat_rates;
	int loads_ecb_rates;
	int loads_regional_rates;
	/*
	 * When set, every document and file hash not yet in the archive
	 * chain is linked (chain_link_missing), in C: after the last
	 * migration of the run, not after this one, so that every column
	 * of the canonical form exists by then, whatever migrations add
	 * columns after this one.
	 */
	int links_chain;
	/* When set, widen the CHECK constraints of document and number_series
	 * (kinds, treatments) before the SQL (store.c, widen_checks). */
	int widens_checks;
};

/* The migrations in order; *n receives their count. */
const struct schema_migration *schema_migrations(size_t *n);
/* The newest schema version this build knows. */
int schema_latest_version(void);

/* The embedded reference data files (NUL-terminated text). */
const char *schema_vat_rates_text(void);
const char *schema_ecb_rates_text(void);
const char *schema_vat_rates_regional_text(void);

#endif
