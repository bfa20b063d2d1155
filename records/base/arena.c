#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"

/* A new chunk is an eighth of what the arena holds, from CHUNK_SIZE to
 * CHUNK_MAX (a big arena's chunks on huge pages: bigmem.h); a larger request
 * gets a chunk of its own. */
#define CHUNK_SIZE ((size_t)1 << 20)
#define CHUNK_MAX  ((size_t)64 << 20)

struct chunk {
	struct chunk *prev;
	size_t cap, used;
	alignas(max_align_t) unsigned char data[];
};

struct ss_arena {
	struct chunk *top;
	size_t total; /* bytes handed out in chunks below top */
};

struct ss_arena *ss_arena_new(void)
{
	return calloc(1, sizeof(struct ss_arena));
}

void ss_arena_free(struct ss_arena *a)
{
	struct chunk *c, *prev;

	if (a == NULL)
		return;
	for (c = a->top; c != NULL; c = prev) {
		prev = c->prev;
		free(c);
	}
	free(a);
}

/* n bytes at an offset that is a multiple of align (a power of two). */
static void *arena_take(struct ss_arena *a, size_t n, size_t align)
{
	struct chunk *c = a->top;
	size_t off = 0;
	void *p;

	if (c != NULL)
		off = (c->used + align - 1) & ~(align - 1);
	if (c == NULL || off > c->cap || c->cap - off < n) {
		size_t cap = (a->total + (c ? c->used : 0)) / 8;

		cap = cap < CHUNK_SIZE ? CHUNK_SIZE : cap > CHUNK_MAX ? CHUNK_MAX : cap;
		if (n > cap)
			cap = n;
		if (cap > SIZE_MAX - sizeof(struct chunk))
			return NULL;
		c = malloc(sizeof(struct chunk) + cap);
		if (c == NULL)
			return NULL;
		ss_bigmem_advise(c, sizeof(struct chunk) + cap);
		c->prev = a->top;
		c->cap = cap;
		c->used = 0;
		if (a->top)
			a->total += a->top->used;
		a->top = c;
		off = 0;
	}
	p = c->data + off;
	c->used = off + n;
	return p;
}

void *ss_arena_alloc(struct ss_arena *a, size_t n)
{
	return arena_take(a, n ? n : 1, alignof(max_align_t));
}

char *ss_arena_strdup(struct ss_arena *a, const char *s, size_t n)
{
	/* Strings need no alignment: packing them saves a third of a population. */
	char *p = n < SIZE_MAX ? arena_take(a, n + 1, 1) : NULL;

	if (p == NULL)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void ss_arena_adopt(struct ss_arena *a, struct ss_arena *from)
{
	struct chunk *bottom = from->top;

	if (bottom != NULL) {
		while (bottom->prev != NULL)
			bottom = bottom->prev;
		bottom->prev = a->top;
		a->total += (a->top ? a->top->used : 0) + from->total;
		a->top = from->top;
	}
	free(from);
}

void ss_arena_mark(const struct ss_arena *a, struct ss_arena_mark *m)
{
	m->chunk = a->top;
	m->used = a->top ? a->top->used : 0;
}

void ss_arena_rewind(struct ss_arena *a, const struct ss_arena_mark *m)
{
	while (a->top != NULL && a->top != m->chunk) {
		struct chunk *prev = a->top->prev;

		free(a->top);
		a->top = prev;
		if (prev)
			a->total -= prev->used;
	}
	if (a->top)
		a->top->used = m->used;
}

size_t ss_arena_used(const struct ss_arena *a)
{
	return a->total + (a->top ? a->top->used : 0);
}
