/*
 * map.h - the project's one hash map: open addressing with linear probing,
 * keys of bytes (strings, 20-byte object ids, composite keys packed by the
 * caller) or of any type through a struct ss_map_type, values a pointer or a
 * size.
 *
 * Ownership: the map owns its slots. Keys are borrowed (the caller keeps them
 * alive and unchanged while they are in the map) unless the map was made
 * with SS_MAP_COPY_KEYS, when it keeps its own copy of each key (a NUL is
 * added after the bytes, so string keys read back as C strings). Values are
 * never owned: a map of pointers does not free what they point to.
 * Pointers to values (from _get, _put, _next) stay valid until the next
 * _put that adds a key.
 *
 * A composite key (two strings, say) is packed by the caller into one byte
 * key, with the parts length-prefixed or NUL-separated so that no two
 * different pairs pack alike, and put with SS_MAP_COPY_KEYS.
 */
#ifndef SS_MAP_H
#define SS_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

union ss_map_value {
	void *ptr;
	size_t size;
};

/* For keys that are not plain bytes: hash(key, len), and equal(a, b) for two
 * keys whose hashes match. len is passed through from _get and _put (0 is
 * fine when the type ignores it). */
struct ss_map_type {
	uint64_t (*hash)(const void *key, size_t len);
	bool (*equal)(const void *a, size_t alen, const void *b, size_t blen);
};

enum {
	SS_MAP_COPY_KEYS = 1, /* keep a copy of each key (byte keys only) */
};

struct ss_map;

struct ss_map_entry {
	const void *key;
	size_t len;
	union ss_map_value value;
};

/* An empty map; type NULL for byte keys. 0 or SS_ENOMEM. */
int ss_map_new(struct ss_map **out, unsigned flags, const struct ss_map_type *type);
/* Room for n keys without growing (a speed-up for known sizes). 0 or SS_ENOMEM. */
int ss_map_reserve(struct ss_map *m, size_t n);
/* NULL is a no-op. */
void ss_map_free(struct ss_map *m);
size_t ss_map_count(const struct ss_map *m);

/* The value under key, or NULL when the key is absent. */
union ss_map_value *ss_map_get(const struct ss_map *m, const void *key, size_t len);

/* The value under key, added (zeroed: ptr NULL, size 0) when absent; *added
 * (may be NULL) says which. 0 or SS_ENOMEM (the map unchanged). */
int ss_map_put(struct ss_map *m, const void *key, size_t len, union ss_map_value **value,
               bool *added);

/* Every entry once, in no particular order: start with *pos = 0; returns
 * false after the last. */
bool ss_map_next(const struct ss_map *m, size_t *pos, struct ss_map_entry *out);

/* Every entry of `from` put in `to` (a key `to` holds already keeps its
 * value there, and from's is given to drop, when not NULL), then `from`
 * freed: a key `to` borrows must live on outside `from`. 0, or SS_ENOMEM
 * (the entries not moved given to drop; `from` freed all the same). */
int ss_map_move(struct ss_map *to, struct ss_map *from, void (*drop)(void *value));

/* The hash byte keys use, for types that build theirs from bytes. */
uint64_t ss_map_hash_bytes(const void *p, size_t n);

static inline union ss_map_value *ss_map_gets(const struct ss_map *m, const char *key)
{
	return ss_map_get(m, key, strlen(key));
}

static inline int ss_map_puts(struct ss_map *m, const char *key, union ss_map_value **value,
                              bool *added)
{
	return ss_map_put(m, key, strlen(key), value, added);
}

#endif
