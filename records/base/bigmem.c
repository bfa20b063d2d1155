#include "bigmem.h"

#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>

#define HUGE ((uintptr_t)2 << 20)

void ss_bigmem_advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	uintptr_t from = ((uintptr_t)p + HUGE - 1) & ~(HUGE - 1);
	uintptr_t to = ((uintptr_t)p + n) & ~(HUGE - 1);

	if (n >= SS_BIGMEM_MIN && to > from)
		(void)madvise((void *)from, to - from,
		              MADV_HUGEPAGE); /* advice: a refusal is no error */
#else
	(void)p;
	(void)n;
#endif
}

void ss_bigmem_setup(void)
{
#if defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	/* Tunings: refused, nothing breaks. Fixing the threshold stops glibc's
	 * own rule for the heap's trim threshold (twice the mmap threshold), so
	 * it is set by that rule here: a few megabytes freed at the top of the
	 * heap stay for the next block rather than going back and forth. */
	(void)mallopt(M_MMAP_THRESHOLD, (int)SS_BIGMEM_MIN);
	(void)mallopt(M_TRIM_THRESHOLD, (int)(2 * SS_BIGMEM_MIN));
#endif
}
