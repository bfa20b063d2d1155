/*
 * par.h - work split over the machine's cores: a fixed pool of up to four
 * threads, each given one contiguous part of a range, for loops whose items
 * are independent (tickets at sample, ids at import). Results never depend on
 * how many threads ran: each item is computed alone and written to its own
 * place.
 *
 * Ownership: nothing is kept between calls; fn and arg are the caller's.
 */
#ifndef SS_PAR_H
#define SS_PAR_H

#include <stdbool.h>
#include <stddef.h>

/* The most threads ss_par_for() starts. */
#define SS_PAR_MAX 4

/* How many threads ss_par_for() uses: the online cores, at most SS_PAR_MAX;
 * SSAUDIT_THREADS=N in the environment sets it (1: no thread is started). */
unsigned ss_par_threads(void);
/* True when SSAUDIT_THREADS is set: work is split even when it is small. */
bool ss_par_forced(void);

/* Call fn(lo, hi, part, arg) over [0, n) cut into ss_par_threads() parts
 * (fewer when n is small, unless SSAUDIT_THREADS is set; one call on this
 * thread when there is one part),
 * and wait for all. fn returns 0 or an SS_E* code; the first part's error in
 * order is returned (its message set on this thread). */
int ss_par_for(size_t n, int (*fn)(size_t lo, size_t hi, unsigned part, void *arg), void *arg);

#endif
