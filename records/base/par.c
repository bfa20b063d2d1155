/*
 * par.c - a range split over a fixed pool of threads (see par.h).
 */
#include "par.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

/* Below this many items a part is not worth a thread. */
#define MIN_PART 4096

/* SSAUDIT_THREADS as a number from 1, else 0. */
static unsigned forced(void)
{
	const char *s = getenv("SSAUDIT_THREADS");
	char *end;
	long n;

	if (s == NULL || *s == '\0')
		return 0;
	n = strtol(s, &end, 10);
	if (*end != '\0' || n < 1)
		return 0;
	return n > SS_PAR_MAX ? SS_PAR_MAX : (unsigned)n;
}

bool ss_par_forced(void)
{
	return forced() != 0;
}

unsigned ss_par_threads(void)
{
	unsigned f = forced();
	long n;

	if (f)
		return f;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > SS_PAR_MAX ? SS_PAR_MAX : (unsigned)n;
}

struct part {
	int (*fn)(size_t lo, size_t hi, unsigned part, void *arg);
	void *arg;
	size_t lo, hi;
	unsigned index;
	int err;
	char msg[1024];
};

static void *run(void *p)
{
	struct part *pt = p;

	pt->err = pt->fn(pt->lo, pt->hi, pt->index, pt->arg);
	if (pt->err)
		snprintf(pt->msg, sizeof(pt->msg), "%s", ss_error_message());
	return NULL;
}

int ss_par_for(size_t n, int (*fn)(size_t lo, size_t hi, unsigned part, void *arg), void *arg)
{
	struct part parts[SS_PAR_MAX];
	pthread_t th[SS_PAR_MAX];
	bool started[SS_PAR_MAX];
	unsigned k = ss_par_threads(), i;
	int err = 0;

	/* Small ranges stay on this thread, unless SSAUDIT_THREADS asks for the
	 * split (so tests exercise it on small months). */
	if (forced() == 0 && n / MIN_PART < k)
		k = n / MIN_PART ? (unsigned)(n / MIN_PART) : 1;
	if (n < k)
		k = n ? (unsigned)n : 1;
	if (k <= 1)
		return fn(0, n, 0, arg);
	memset(parts, 0, sizeof(parts));
	for (i = 0; i < k; i++) {
		parts[i].fn = fn;
		parts[i].arg = arg;
		parts[i].lo = n / k * i;
		parts[i].hi = i + 1 == k ? n : n / k * (i + 1);
		parts[i].index = i;
		/* The first part runs here; the others on their own threads (one
		 * that cannot start runs here too, after). */
		started[i] = i > 0 && pthread_create(&th[i], NULL, run, &parts[i]) == 0;
	}
	run(&parts[0]);
	for (i = 1; i < k; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			run(&parts[i]);
	}
	for (i = 0; i < k; i++)
		if (parts[i].err) {
			err = ss_error_set(parts[i].err, "%s", parts[i].msg);
			break;
		}
	return err;
}
