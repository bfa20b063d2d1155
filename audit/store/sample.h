/*
 * sample.h - the reproducible monthly sample (DESIGN.md section 6): tickets,
 * draw, sample.json, the roles' id lists, warnings, and re-derivation.
 * New samples use ssaudit-sample-v2 (a random core at the policy's
 * sample.random, then the always-records outside it in rule order, never past
 * sample.rate); ssaudit-sample-v1 is still read and re-derived for old trails.
 *
 * Ownership: struct ss_sample and everything in it are owned by it and freed
 * with ss_sample_free(); lookups return borrowed pointers.
 */
#ifndef SS_SAMPLE_H
#define SS_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "lang.h"
#include "policy.h"
#include "record.h"

#define SS_SAMPLE_ALGORITHM    "ssaudit-sample-v2"
#define SS_SAMPLE_ALGORITHM_V1 "ssaudit-sample-v1"

/* Why a record is in the sample. */
enum ss_sample_reason {
	SS_REASON_CORE,     /* v2: one of its stratum's lowest tickets (the random core) */
	SS_REASON_TARGETED, /* v2: an always-record outside the core, within the rate */
	SS_REASON_RANDOM,   /* v1: drawn at random */
	SS_REASON_ALWAYS    /* v1: matched an always-rule */
};

struct ss_sample_record {
	char id[SS_ID_LEN + 1];
	char ticket[65];
	char *stratum; /* compact JSON array, e.g. ["Ceredigion"] */
	enum ss_sample_reason reason;
	int rule;    /* v2: the first always-rule it matches (from 0), -1 none; v1: -1 */
	bool always; /* it matches an always-rule: v1 reason always, v2 rule >= 0 */
};

struct ss_stratum {
	char *key; /* compact JSON array */
	size_t population;
	size_t always; /* its always-records (v2: in the core or not; v1: all drawn) */
	size_t drawn;  /* in the sample (v2: core + targeted) */
	/* v2 only (0 in v1): */
	size_t core, targeted, not_reached;
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
	unsigned version; /* 1 or 2: ssaudit-sample-vN */
	char *month;
	char *seed;
	bool generated; /* seed_source "generated" (else "given") */
	char population_sha256[65];
	char policy_sha256[65];
	char *rate;
	char *random;              /* v2: the core's rate as sample.json says it; NULL in v1 */
	struct ss_stratum *strata; /* sorted by key */
	size_t nstrata;
	struct ss_blank *blanks; /* sorted by field name */
	size_t nblanks;
	struct ss_sample_record *records; /* sorted by ticket */
	size_t n;
	/* v2: per always-rule, in the policy's order (nrules 0 and NULL in v1). */
	size_t nrules;
	size_t *matched_by_rule;      /* population records whose first rule it is */
	size_t *not_reached_by_rule;  /* of those outside the core, how many the rate left out */
	struct ss_sample_role *roles; /* sorted by role name */
	size_t nroles;
	size_t *by_id; /* private: record indices sorted by id, for ss_sample_find */
};

/* Lowercase hex SHA-256 of "ssaudit-sample-vN" 0x00 seed 0x00 month 0x00 id
 * (version N: 1 or 2). */
void ss_sample_ticket(unsigned version, const char *seed, const char *month, const char *id,
                      char out[65]);

/* 1 to 256 bytes of valid UTF-8 without control characters (C0 U+0000-U+001F,
 * DEL U+007F, C1 U+0080-U+009F); SS_EUSAGE saying why. */
int ss_sample_seed_check(const char *seed);
/* 20 random decimal digits (libsodium's randombytes_uniform; call ss_crypto_init() first). */
void ss_sample_seed_generate(char out[21]);

/* k for a group of n records at b basis points: floor((n*b + 9999) / 10000). */
size_t ss_sample_quota(size_t n, unsigned bp);

/* Draw the sample with ssaudit-sample-v2. pop need not be sorted. */
int ss_sample_draw(const struct ss_population *pop, const struct ss_policy *pol, const char *month,
                   const char *seed, bool generated, const char *population_sha256,
                   const char *policy_sha256, struct ss_sample **out);
/* The same with ssaudit-sample-v1: only to re-derive old trails' samples. */
int ss_sample_draw_v1(const struct ss_population *pop, const struct ss_policy *pol,
                      const char *month, const char *seed, bool generated,
                      const char *population_sha256, const char *policy_sha256,
                      struct ss_sample **out);
void ss_sample_free(struct ss_sample *s);

/* "core", "targeted", "random" or "always", as sample.json says it. */
const char *ss_sample_reason_name(enum ss_sample_reason r);

/* months/M/roles/ROLE.ids: the ids of r (a role of s) sorted, each followed
 * by "\n". */
int ss_sample_role_ids(const struct ss_sample *s, const struct ss_sample_role *r,
                       struct ss_buf *out);

/*
 * The warnings of section 6, in words (English), from a sample and the policy
 * it was drawn under: a rule whose field is blank in some records, a rule
 * that picked out nothing, records a rule picked out that the rate left out.
 * *out is a list of *n strings the caller frees with ss_strv_free(). v1
 * samples: only the blanks.
 */
int ss_sample_warnings(const struct ss_sample *s, const struct ss_policy *pol, char ***out,
                       size_t *n);
/* The same warnings in a language, for a person to read (the English ones
 * are those of the report's JSON and never change). */
int ss_sample_warnings_in(const struct ss_sample *s, const struct ss_policy *pol, enum ss_lang lang,
                          char ***out, size_t *n);

/* sample.json (pretty, 2-space indented, ending "\n"). */
int ss_sample_to_json(const struct ss_sample *s, struct ss_buf *out);
/* Parse a committed sample.json; SS_EDATA naming what is wrong. */
int ss_sample_from_json(const char *data, size_t len, const char *name, struct ss_sample **out);

/* Borrowed lookups. */
const struct ss_sample_record *ss_sample_find(const struct ss_sample *s, const char *id);
const struct ss_sample_role *ss_sample_role(const struct ss_sample *s, const char *role);
bool ss_sample_role_has(const struct ss_sample *s, const char *role, const char *id);

/*
 * Re-derive: draw again (with the sample's own algorithm) from the committed
 * population bytes, the policy bytes and the seed in sample.json, and compare
 * (parsed JSON, not bytes) with the committed sample.json, including both
 * digests. 0 when it matches; SS_EFAIL with the first difference in the
 * message otherwise.
 */
int ss_sample_rederive(const char *sample_json, size_t sample_len, const char *population_jsonl,
                       size_t population_len, const char *policy_json, size_t policy_len);
/* The same with the sample parsed and the population already read (its ids
 * and at least the fields the policy's draw reads, ss_month_draw_fields),
 * with the SHA-256 of its bytes in hex: nothing is read twice. */
int ss_sample_rederive_read(const struct ss_sample *committed, const struct ss_population *pop,
                            const char pop_sha256[65], const char *policy_json, size_t policy_len);

#endif
