/*
 * arena.h - a bump allocator for the strings of a population, so that a
 * million records cost a few hundred allocations rather than twenty million.
 *
 * Ownership: a struct ss_arena owns every block it hands out; they live until
 * ss_arena_free() (or until ss_arena_rewind() to a mark taken before them).
 * Nothing handed out is freed on its own.
 */
#ifndef SS_ARENA_H
#define SS_ARENA_H

#include <stddef.h>

struct ss_arena;

/* A position to rewind to: everything allocated after it is given back. */
struct ss_arena_mark {
	void *chunk;
	size_t used;
};

/* An empty arena, or NULL when out of memory. */
struct ss_arena *ss_arena_new(void);
void ss_arena_free(struct ss_arena *a);

/* n bytes, aligned for any type; NULL when out of memory. */
void *ss_arena_alloc(struct ss_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n); NULL when out of memory. */
char *ss_arena_strdup(struct ss_arena *a, const char *s, size_t n);

/* Move every block of `from` into a (handed out after what a already holds:
 * a rewind to an earlier mark of a frees them); from is freed. */
void ss_arena_adopt(struct ss_arena *a, struct ss_arena *from);

void ss_arena_mark(const struct ss_arena *a, struct ss_arena_mark *m);
void ss_arena_rewind(struct ss_arena *a, const struct ss_arena_mark *m);

/* Bytes handed out (for benchmarks and tests). */
size_t ss_arena_used(const struct ss_arena *a);

#endif
