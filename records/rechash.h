/*
 * rechash.h - a hash of whole records and a total order on them, for
 * grouping identical records in hash maps and sorts. Internal to records/.
 *
 * Every hash match is confirmed by comparing the records themselves, so a
 * collision costs time, never a wrong count or id.
 */
#ifndef SS_RECHASH_H
#define SS_RECHASH_H

#include "fasthash.h"
#include "record.h"

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
