/*
 * month.h - a month of the trail at a commit: its name in words, its
 * population and sample, whether it is closed, and everything recorded about
 * it since the draw (verdicts, corrections, waivers, the force's responses,
 * the sign-off), with the
 * refusals in words ("2019-06 has not been imported").
 *
 * Ownership: everything returned through ** is the caller's, freed with its
 * type's _free (ss_population_free, ss_sample_free, ss_month_state_free) or
 * free() for bytes and strings. The ss_month_verdicts() family borrows from
 * the state it is given.
 */
#ifndef SS_MONTH_H
#define SS_MONTH_H

#include <stdbool.h>
#include <stddef.h>

#include "lang.h"
#include "policy.h"
#include "record.h"
#include "sample.h"
#include "stored.h"
#include "trail.h"
#include "verdict.h"

/* Everything recorded about a month at one commit. */
struct ss_month_state {
	struct ss_verdict *verdicts; /* sorted by id, role, reviewer */
	size_t nverdicts;
	struct ss_correction *corrections; /* sorted by id, time, by */
	size_t ncorrections;
	struct ss_waiver *waivers; /* sorted by id */
	size_t nwaivers;
	struct ss_response *responses; /* sorted by id, number */
	size_t nresponses;
	bool closed;
	char *closed_by; /* who last closed or reopened; NULL when never */
	char *closed_reason;
};

/* "June 2019" for "2019-06" (out needs 16 bytes); anything else as given.
 * Always English: for text whose language is chosen elsewhere. */
void ss_month_words(const char *month, char *out, size_t n);
/* The same in a language: "Mehefin 2019" in Welsh (out needs 32 bytes). A
 * message for people passes ss_lang_current(); SS_LANG_CY_EN says Welsh. */
void ss_month_words_in(const char *month, enum ss_lang lang, char *out, size_t n);

/* The population's bytes (raw may be NULL) and parsed records; SS_EFAIL when not imported. */
int ss_month_population(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        char **raw, size_t *raw_len, struct ss_population **pop);
/* How to read a population as it streams (ss_month_population_read). */
struct ss_month_read {
	struct ss_stored_opts keep; /* the fields and records kept (zero: ids and booleans) */
	bool want_sha256;           /* fill sha256 with the file's SHA-256, in hex */
	char sha256[65];
	/* Called now and then with the records read so far, and once with done true. */
	void (*progress)(void *arg, size_t records, bool done);
	void *progress_arg;
};
/* The population read a piece at a time, never whole in memory (unless packed
 * in git), keeping only what rd->keep asks for; SS_EFAIL when not imported.
 * With SSAUDIT_POPULATION_STRICT set, read whole and strictly (stored.h). */
int ss_month_population_read(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                             struct ss_month_read *rd, struct ss_population **pop);
/* The same for a population.jsonl blob (named path in messages), always as
 * it streams (with SSAUDIT_POPULATION_STRICT, every line strictly). */
int ss_month_population_read_blob(struct ss_trail *t, const struct ss_oid *blob, const char *path,
                                  struct ss_month_read *rd, struct ss_population **pop);
/* The sampled records of a month's population, whole (list, pack): read as
 * it streams, the others never kept. */
int ss_month_population_sampled(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                                const struct ss_sample *s, struct ss_population **pop);
/* The string fields a draw reads under pol (its strata and always-rules), as
 * a mask for ss_stored_opts.fields. */
uint32_t ss_month_draw_fields(const struct ss_policy *pol);
/* The sample; SS_EFAIL when the month has not been sampled. */
int ss_month_sample(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                    struct ss_sample **out);
/* Is the month closed at a commit (closed.json with state "closed")? *by
 * (caller frees) is who closed or reopened it, when it says. */
int ss_month_closed_at(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                       bool *closed, char **by);
/* The refusal of a closed month in words (SS_EFAIL): who closed it, and which
 * roles of the policy can reopen it. */
int ss_month_refuse_closed(const struct ss_policy *pol, const char *month, const char *closed_by);

/* Flat reads for one verdict, whose cost does not grow with the sample. */
/* The digest of the policy the month's sample names (65 bytes with the NUL),
 * read from the head of sample.json (the form ssaudit writes) without reading
 * the rest; a sample.json in another form is parsed whole. SS_EFAIL in words
 * when the month has not been sampled. */
int ss_month_sample_policy(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                           char out[65]);
/* Does months/M/roles/ROLE.ids list the id? Read from its start only as far
 * as the id's place in the sorted list. SS_ENOTFOUND when the file is absent
 * (a role that reviews nothing, or a sample older than these files). */
int ss_month_role_lists(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        const char *role, const char *id, bool *listed);
/* The whole of months/M/roles/ROLE.ids (for many look-ups with
 * ss_month_ids_has); SS_ENOTFOUND when absent. */
int ss_month_role_ids(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                      const char *role, char **ids, size_t *len);
/* Is id a line of ids (sorted lines, each ending in a line end)? */
bool ss_month_ids_has(const char *ids, size_t len, const char *id);

/* Load every verdict, correction, waiver, response and the sign-off of a month. */
int ss_month_state_load(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                        struct ss_month_state **out);
void ss_month_state_free(struct ss_month_state *st);

/* What ss_month_record_state loads: any of these, or'ed. */
#define SS_MONTH_VERDICTS    1u
#define SS_MONTH_CORRECTIONS 2u
#define SS_MONTH_RESPONSES   4u
/* One record's verdicts, corrections and/or responses at a commit, as a
 * partial month state (no waivers, no sign-off); an id that is not a record
 * id, or a record with none, gives an empty state. */
int ss_month_record_state(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                          const char *id, unsigned what, struct ss_month_state **out);

/* A record's current value of a correctable field: the latest correction that
 * changed it (by time, then handle), else the imported value. */
struct ss_rule_value ss_month_current(const struct ss_month_state *st, const struct ss_record *r,
                                      enum ss_field field);

/* Borrowed runs of st's sorted arrays for one record (NULL and *n = 0 when none). */
const struct ss_verdict *ss_month_verdicts(const struct ss_month_state *st, const char *id,
                                           size_t *n);
const struct ss_correction *ss_month_corrections(const struct ss_month_state *st, const char *id,
                                                 size_t *n);
const struct ss_response *ss_month_responses(const struct ss_month_state *st, const char *id,
                                             size_t *n);
/* Is the record on the follow-up list: has any reviewer given it one of the
 * policy's follow_up answers (pol: the month's policy)? */
bool ss_month_follow_up(const struct ss_month_state *st, const struct ss_policy *pol,
                        const char *id);
/* Has anyone in this role given a verdict on the record? (st may be NULL: no.) */
bool ss_month_has_verdict(const struct ss_month_state *st, const char *id, const char *role);
/* The record's waiver, or NULL. */
const struct ss_waiver *ss_month_waiver(const struct ss_month_state *st, const char *id);

#endif
