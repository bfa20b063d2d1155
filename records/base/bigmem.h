/*
 * bigmem.h - large blocks backed by huge pages where the kernel offers them.
 *
 * A national month is a gigabyte of records, strings and lines, each touched
 * a few times: with 4 KiB pages a fifth of an import went to page faults and
 * missed translations. Linux's transparent huge pages (2 MiB) cut both, but
 * most systems give them only to memory that asks (the "madvise" setting).
 */
#ifndef SS_BIGMEM_H
#define SS_BIGMEM_H

#include <stddef.h>

/* Blocks smaller than this are left as they are. */
#define SS_BIGMEM_MIN ((size_t)4 << 20)

/* Ask for huge pages under the 2 MiB-aligned part of the block p[0..n) (any
 * allocation's; it stays the caller's). Advice only: nothing changes where
 * the kernel has no huge pages, or for a block under SS_BIGMEM_MIN. */
void ss_bigmem_advise(void *p, size_t n);

/* For a program's main, before it allocates much: blocks of SS_BIGMEM_MIN
 * and more come straight from the system (glibc's threshold otherwise climbs
 * to 32 MiB as blocks are freed), so growing one moves its pages instead of
 * copying them, and freeing one returns it. */
void ss_bigmem_setup(void);

#endif
