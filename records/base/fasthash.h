/*
 * fasthash.h - a fast, non-cryptographic 64-bit hash of strings and of whole
 * records, and a total order on records, for grouping identical values in
 * hash tables and sorts. Internal to records/.
 *
 * Nothing here decides an output on its own: every hash match is confirmed by
 * comparing the values themselves, so a collision costs time, never a wrong
 * count or id. Not for anything an adversary could exploit beyond that.
 */
#ifndef SS_FASTHASH_H
#define SS_FASTHASH_H

#include <stdint.h>
#include <string.h>

#include "record.h"

static inline uint64_t ss_fh_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9E3779B97F4A7C15u;
	return h ^ (h >> 31);
}

static inline uint64_t ss_fh_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t v;

	while (n >= 8) {
		memcpy(&v, s, 8);
		h = ss_fh_mix(h, v);
		s += 8;
		n -= 8;
	}
	v = 0;
	if (n)
		memcpy(&v, s, n);
	return ss_fh_mix(h, v ^ ((uint64_t)n << 56));
}

static inline uint64_t ss_fh_final(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDu;
	h ^= h >> 33;
	return h;
}

/* A string and its length. */
static inline uint64_t ss_fh_string(const char *s, size_t n)
{
	return ss_fh_final(ss_fh_bytes(0x243F6A8885A308D3u ^ n, s, n));
}

/* Every stored field of a record (not its id, source or line): records hash
 * alike when their stored lines without id are the same. */
static inline uint64_t ss_fh_record(const struct ss_record *r)
{
	uint64_t h = 0x13198A2E03707344u;
	int f;

	for (f = 0; f < SS_F_COUNT; f++) {
		const char *s = r->str[f];

		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL)
			h = ss_fh_mix(h, (uint64_t)(r->tri[f] + 2));
		else if (s == NULL)
			h = ss_fh_mix(h, 0xFFu);
		else
			h = ss_fh_bytes(h, s, strlen(s));
	}
	return ss_fh_final(h);
}

/* A total order on the stored fields; 0 exactly when the stored lines without
 * id are the same (the stored form writes every field unambiguously). */
static inline int ss_fh_record_cmp(const struct ss_record *a, const struct ss_record *b)
{
	int f, c;

	for (f = 0; f < SS_F_COUNT; f++) {
		if (ss_field_type((enum ss_field)f) == SS_FT_BOOL) {
			if (a->tri[f] != b->tri[f])
				return a->tri[f] < b->tri[f] ? -1 : 1;
			continue;
		}
		if (a->str[f] == b->str[f])
			continue;
		if (a->str[f] == NULL || b->str[f] == NULL)
			return a->str[f] == NULL ? -1 : 1;
		if ((c = strcmp(a->str[f], b->str[f])) != 0)
			return c;
	}
	return 0;
}

#endif
