/*
 * sample.h - the reproducible monthly sample, algorithm ssaudit-sample-v1
 * (DESIGN.md section 6): tickets, draw, sample.json, and re-derivation.
 *
 * Ownership: struct ss_sample and everything in it are owned by it and freed
 * with ss_sample_free(); lookups return borrowed pointers.
 */
#ifndef SS_SAMPLE_H
#define SS_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "policy.h"
#include "record.h"

#define SS_SAMPLE_ALGORITHM "ssaudit-sample-v1"

struct ss_sample_record {
	char id[SS_ID_LEN + 1];
	char ticket[65];
	char *stratum; /* compact JSON array, e.g. ["Ceredigion"] */
	bool always;   /* reason "always" (else "random") */
};

struct ss_stratum {
	char *key; /* compact JSON array */
	size_t population, always, drawn;
};

struct ss_blank {
	char *field;
	size_t count;
};

struct ss_sample_role {
	char *role;
	char **ids; /* in ticket order */
	size_t n;
	char *ids_block;    /* private: the ids' storage */
	const char **by_id; /* private: ids sorted, for ss_sample_role_has (NULL when prefix) */
	bool prefix;        /* private: ids are the first n of the sample's records */
};

struct ss_sample {
	char *month;
	char *seed;
	bool generated; /* seed_source "generated" (else "given") */
	char population_sha256[65];
	char policy_sha256[65];
	char *rate;
	struct ss_stratum *strata; /* sorted by key */
	size_t nstrata;
	struct ss_blank *blanks; /* sorted by field name */
	size_t nblanks;
	struct ss_sample_record *records; /* sorted by ticket */
	size_t n;
	struct ss_sample_role *roles; /* sorted by role name */
	size_t nroles;
	size_t *by_id; /* private: record indices sorted by id, for ss_sample_find */
};

/* Lowercase hex SHA-256 of "ssaudit-sample-v1" 0x00 seed 0x00 month 0x00 id. */
void ss_sample_ticket(const char *seed, const char *month, const char *id, char out[65]);

/* 1 to 256 bytes of valid UTF-8 without control characters (C0 U+0000-U+001F,
 * DEL U+007F, C1 U+0080-U+009F); SS_EUSAGE saying why. */
int ss_sample_seed_check(const char *seed);
/* 20 random decimal digits (libsodium's randombytes_uniform; call ss_crypto_init() first). */
void ss_sample_seed_generate(char out[21]);

/* k for a group of n records at b basis points: floor((n*b + 9999) / 10000). */
size_t ss_sample_quota(size_t n, unsigned bp);

/* Draw the sample. pop need not be sorted. */
int ss_sample_draw(const struct ss_population *pop, const struct ss_policy *pol, const char *month,
                   const char *seed, bool generated, const char *population_sha256,
                   const char *policy_sha256, struct ss_sample **out);
void ss_sample_free(struct ss_sample *s);

/* sample.json (pretty, 2-space indented, ending "\n"). */
int ss_sample_to_json(const struct ss_sample *s, struct ss_buf *out);
/* Parse a committed sample.json; SS_EDATA naming what is wrong. */
int ss_sample_from_json(const char *data, size_t len, const char *name, struct ss_sample **out);

/* Borrowed lookups. */
const struct ss_sample_record *ss_sample_find(const struct ss_sample *s, const char *id);
const struct ss_sample_role *ss_sample_role(const struct ss_sample *s, const char *role);
bool ss_sample_role_has(const struct ss_sample *s, const char *role, const char *id);

/*
 * Re-derive: draw again from the committed population bytes, the policy bytes
 * and the seed in sample.json, and compare (parsed JSON, not bytes) with the
 * committed sample.json, including both digests. 0 when it matches; SS_EFAIL
 * with the first difference in the message otherwise.
 */
int ss_sample_rederive(const char *sample_json, size_t sample_len, const char *population_jsonl,
                       size_t population_len, const char *policy_json, size_t policy_len);

#endif
