/*
 * money.h - amounts as int64_t minor units, rates as basis points, and the
 * one place where invgen rounds.
 *
 * Rounding rule (DESIGN.md "Money", REFERENCE.md 7.2): half-up, i.e. half
 * away from zero, applied once per line net and once per VAT category total.
 * Negative amounts (credit notes) round symmetrically: round(-x) = -round(x).
 * Every operation checks for int64 overflow and reports it as GEN_EINPUT
 * naming what overflowed.  No floating point anywhere.  Pure: no I/O.
 */
#ifndef INVGEN_MONEY_H
#define INVGEN_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* 10^n for 0 <= n <= 18. */
int64_t money_pow10(int n);

/* round_half_up(a * b / den), den > 0, computed exactly in 128 bits.
 * GEN_EINPUT "<what>: amount overflows" if the result leaves int64. */
enum gen_rc money_muldiv(int64_t a, int64_t b, int64_t den, int64_t *out,
    const char *what, struct gen_err *err);

/* *acc += v with overflow check. */
enum gen_rc money_add(int64_t *acc, int64_t v, const char *what,
    struct gen_err *err);

/*
 * Line amounts: gross = quantity * unit price, net = gross less the discount
 * (discount_bp in basis points of the gross, 0..10000), rounded half-up once.
 * discount = gross - net.
 */
enum gen_rc money_line(int64_t quantity, int64_t unit_price_minor,
    int64_t discount_bp, int64_t *gross, int64_t *discount, int64_t *net,
    struct gen_err *err);

/* VAT of a category: round_half_up(taxable * rate_bp / 10000). */
enum gen_rc money_vat(int64_t taxable_minor, int64_t rate_bp, int64_t *vat,
    struct gen_err *err);

/*
 * Convert an amount of a currency with `digits` minor digits to euro cents
 * at an ECB rate of `units_per_eur` (a decimal string such as "1.1684" or
 * "20082.05"): round_half_up(amount / rate), in cents.
 */
enum gen_rc money_to_eur_cents(int64_t minor, int digits,
    const char *units_per_eur, int64_t *cents, struct gen_err *err);

/*
 * Parse a non-negative decimal string ("21", "25.5", "0.87058") into an
 * integer scaled by 10^scale, exactly; more decimals than scale, a sign or
 * junk is GEN_EINPUT naming `what` (exponent notation, "1.452e2", is
 * named as such).
 */
enum gen_rc money_parse_decimal(const char *s, int scale, int64_t *out,
    const char *what, struct gen_err *err);

/*
 * Plain machine format of minor units: "-12.34", "305" (digits 0), "1.234"
 * (digits 3), always '.' and no grouping: for JSON, XML and CSV, never for
 * people (i18n formats those).
 */
void money_format(int64_t minor, int digits, char *out, size_t sz);

/* A rate in basis points as a decimal string with two decimals: 2100 ->
 * "21.00", 2550 -> "25.50", 0 -> "0.00". */
void money_format_rate(int64_t rate_bp, char *out, size_t sz);

#endif
