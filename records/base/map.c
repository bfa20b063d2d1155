/*
 * map.c - open addressing, linear probing, at most half full (see map.h).
 */
#include "map.h"

#include <stdlib.h>

#include "arena.h"
#include "bigmem.h"
#include "error.h"
#include "fasthash.h"

struct slot {
	uint64_t h;
	const void *key; /* NULL: empty */
	size_t len;
	union ss_map_value value;
};

struct ss_map {
	struct slot *slot;
	size_t cap, n; /* cap: 0 or a power of two */
	unsigned flags;
	const struct ss_map_type *type;
	struct ss_arena *keys; /* SS_MAP_COPY_KEYS */
};

/* Zero-length keys need a pointer that is not NULL. */
static const char empty_key[1];

uint64_t ss_map_hash_bytes(const void *p, size_t n)
{
	return ss_fh_string(p, n);
}

int ss_map_new(struct ss_map **out, unsigned flags, const struct ss_map_type *type)
{
	struct ss_map *m;
	int err = 0;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	m->flags = flags;
	m->type = type;
	if ((flags & SS_MAP_COPY_KEYS) && (m->keys = ss_arena_new()) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	*out = m;
	m = NULL;
out:
	ss_map_free(m);
	return err;
}

void ss_map_free(struct ss_map *m)
{
	if (m == NULL)
		return;
	free(m->slot);
	ss_arena_free(m->keys);
	free(m);
}

size_t ss_map_count(const struct ss_map *m)
{
	return m->n;
}

static uint64_t hash_of(const struct ss_map *m, const void *key, size_t len)
{
	return m->type ? m->type->hash(key, len) : ss_fh_string(key, len);
}

static bool same(const struct ss_map *m, const struct slot *s, uint64_t h, const void *key,
                 size_t len)
{
	if (s->h != h)
		return false;
	if (m->type)
		return m->type->equal(s->key, s->len, key, len);
	return s->len == len && memcmp(s->key, key, len) == 0;
}

/* The slot holding key, or the empty slot where it would go. */
static struct slot *probe(const struct ss_map *m, uint64_t h, const void *key, size_t len)
{
	size_t mask = m->cap - 1, k;

	for (k = (size_t)h & mask; m->slot[k].key != NULL; k = (k + 1) & mask)
		if (same(m, &m->slot[k], h, key, len))
			break;
	return &m->slot[k];
}

union ss_map_value *ss_map_get(const struct ss_map *m, const void *key, size_t len)
{
	struct slot *s;

	if (m->n == 0)
		return NULL;
	s = probe(m, hash_of(m, key, len), key, len);
	return s->key != NULL ? &s->value : NULL;
}

static int resize(struct ss_map *m, size_t cap)
{
	size_t i, k;
	struct slot *ns;

	if ((ns = calloc(cap, sizeof(*ns))) == NULL)
		return ss_error_nomem();
	ss_bigmem_advise(ns, cap * sizeof(*ns));
	for (i = 0; i < m->cap; i++) {
		if (m->slot[i].key == NULL)
			continue;
		for (k = (size_t)m->slot[i].h & (cap - 1); ns[k].key != NULL;
		     k = (k + 1) & (cap - 1))
			;
		ns[k] = m->slot[i];
	}
	free(m->slot);
	m->slot = ns;
	m->cap = cap;
	return 0;
}

int ss_map_reserve(struct ss_map *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 16;

	while (cap < 2 * n && cap < SIZE_MAX / 4)
		cap *= 2;
	return cap > m->cap ? resize(m, cap) : 0;
}

int ss_map_put(struct ss_map *m, const void *key, size_t len, union ss_map_value **value,
               bool *added)
{
	uint64_t h = hash_of(m, key, len);
	struct slot *s;
	int err;

	if (added)
		*added = false;
	if (m->cap > 0) {
		s = probe(m, h, key, len);
		if (s->key != NULL) {
			*value = &s->value;
			return 0;
		}
	}
	if (2 * (m->n + 1) > m->cap && (err = resize(m, m->cap ? m->cap * 2 : 16)) != 0)
		return err;
	s = probe(m, h, key, len);
	if (m->keys != NULL) {
		if ((key = ss_arena_strdup(m->keys, key, len)) == NULL)
			return ss_error_nomem();
	} else if (key == NULL) {
		key = empty_key;
	}
	s->h = h;
	s->key = key;
	s->len = len;
	s->value.size = 0;
	s->value.ptr = NULL;
	m->n++;
	*value = &s->value;
	if (added)
		*added = true;
	return 0;
}

bool ss_map_next(const struct ss_map *m, size_t *pos, struct ss_map_entry *out)
{
	while (*pos < m->cap) {
		const struct slot *s = &m->slot[(*pos)++];

		if (s->key == NULL)
			continue;
		out->key = s->key;
		out->len = s->len;
		out->value = s->value;
		return true;
	}
	return false;
}

int ss_map_move(struct ss_map *to, struct ss_map *from, void (*drop)(void *value))
{
	struct ss_map_entry e;
	size_t pos = 0;
	int rc = 0;

	while (ss_map_next(from, &pos, &e)) {
		union ss_map_value *v;
		bool added = false;

		if (rc == 0 && ss_map_put(to, e.key, e.len, &v, &added) != 0)
			rc = ss_error_nomem();
		if (added)
			*v = e.value;
		else if (drop != NULL)
			drop(e.value.ptr);
	}
	ss_map_free(from);
	return rc;
}
