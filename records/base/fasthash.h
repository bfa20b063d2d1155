/*
 * fasthash.h - a fast, non-cryptographic 64-bit hash of bytes, for the hash
 * map (map.h) and for records/rechash.h.
 *
 * Nothing here decides an output on its own: every hash match is confirmed by
 * comparing the values themselves, so a collision costs time, never a wrong
 * count or id. Not for anything an adversary could exploit beyond that.
 */
#ifndef SS_FASTHASH_H
#define SS_FASTHASH_H

#include <stdint.h>
#include <string.h>

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

#endif
