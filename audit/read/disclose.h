/*
 * disclose.h - disclosure control for the public report (DESIGN.md section
 * 9): which counts to hide so that none of the hidden ones can be narrowed
 * down from everything else the report shows.
 *
 * The report is handed over as a linear system of non-negative counts: each
 * figure it could show (a table's cell, a row, column or grand total, a
 * positive count) is a variable with its true value, and every identity
 * between figures (a row adds up to its total; positives as corrected are
 * positives as recorded plus corrections into a positive outcome minus those
 * out of one) is an equation. A variable is
 *   - protected: a finding, correction or response, which may be hidden;
 *     otherwise public (the population's tables, census figures, review
 *     progress), always shown;
 *   - known: a margin an attacker can compute from public data (the
 *     published police rows, the sample's composition), counted as shown
 *     whether the report shows it or not.
 * ss_disclose_run() hides protected counts from 1 to t - 1 (primary
 * suppression), every protected cell of an equation whose known total m is
 * below t (no hiding makes such a cell t wide; it must then be m wide), and
 * then further counts (secondary suppression, preferring cells over totals
 * and small counts over large) until, for every hidden count, the smallest
 * and largest values it can take given every shown and known figure and
 * that every count is a non-negative real number differ by at least t (or m).
 * Each range is proved by linear programming (GLPK), so the answer does not
 * rest on a heuristic: the heuristic only picks what to hide next.
 *
 * Ownership: struct ss_disclose owns everything in it; free it with
 * ss_disclose_free() (NULL is a no-op). Nothing is kept of the arrays passed
 * to ss_disclose_equation().
 */
#ifndef SS_DISCLOSE_H
#define SS_DISCLOSE_H

#include <stdbool.h>
#include <stddef.h>

#define SS_DV_PROTECTED (1u << 0) /* may be hidden: a finding, correction or response */
#define SS_DV_TOTAL     (1u << 1) /* a total (hidden only after cells) */
#define SS_DV_KNOWN     (1u << 2) /* computable from public data: counts as shown */

struct ss_disclose;

int ss_disclose_new(struct ss_disclose **out);
void ss_disclose_free(struct ss_disclose *d);

/* A figure with its true value (a count, 0 or more) and SS_DV_* flags;
 * *index is its number in later calls. */
int ss_disclose_var(struct ss_disclose *d, unsigned long value, unsigned flags, size_t *index);

/* Sum of coef[k] * figure vars[k] over k < n equals constant. The true
 * values must satisfy it (SS_EUSAGE otherwise: the report is inconsistent). */
int ss_disclose_equation(struct ss_disclose *d, const size_t *vars, const double *coef, size_t n,
                         double constant);

/* Decide what to hide with threshold t (2 or more). *unresolved (may be
 * NULL) counts hidden figures that no hiding can make wide enough because
 * public figures alone pin them (they are public knowledge already; one pinned to a single value is
 * shown again). */
int ss_disclose_run(struct ss_disclose *d, unsigned t, size_t *unresolved);

bool ss_disclose_hidden(const struct ss_disclose *d, size_t index);

/* The smallest and largest value figure `index` can take given every shown
 * and known figure (after ss_disclose_run, or before it: nothing hidden). */
int ss_disclose_range(struct ss_disclose *d, size_t index, double *lo, double *hi);

#endif
