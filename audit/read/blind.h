/*
 * blind.h - blind review: which other reviewers' verdicts a reviewer may see.
 *
 * When the policy says blind, a reviewer whose role records verdicts does not
 * see the others' verdicts on a record until they have recorded their own,
 * and a review pack never carries verdicts. Anyone with the trail can still
 * read them with git; this only keeps a panel member's first judgement their
 * own. The rule is written here once; show, pack, list, history and report
 * call it. A record outside the reviewer's share of the sample is not theirs
 * to review, so nothing on it is hidden from them.
 *
 * Ownership: everything passed in is borrowed.
 */
#ifndef SS_BLIND_H
#define SS_BLIND_H

#include <stdbool.h>
#include <stddef.h>

#include "month.h"
#include "policy.h"
#include "registry.h"
#include "trail.h"
#include "verdict.h"

/* What the blind rule says about one record's verdicts for one reviewer. */
struct ss_blind {
	bool hide;     /* the verdicts are kept from the reviewer */
	size_t others; /* under a blind policy: the verdicts by anyone else (0 otherwise) */
};

/*
 * The rule for one record: v[0..n) are its verdicts, reviewer the one asking
 * (NULL: nobody in particular; then nothing is hidden and every verdict is by
 * "others"), reg the register that says the reviewer's role (NULL: unknown,
 * nothing hidden). pol NULL: not blind.
 */
void ss_blind_record(const struct ss_policy *pol, const struct ss_registry *reg,
                     const char *reviewer, const struct ss_verdict *v, size_t n,
                     struct ss_blind *out);

/*
 * For a pack made out to reviewer (NULL: nobody): how many of the records ids
 * already have verdicts by other reviewers, under a blind policy (0 when the
 * policy is not blind). An error when the month's state cannot be read.
 */
int ss_blind_pack_others(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                         const struct ss_policy *pol, const char *reviewer, const char *const *ids,
                         size_t n, size_t *out);

/*
 * As ss_blind_record, for record id of a sampled month: nothing is hidden on a
 * record outside the reviewer's role's share of sample s (NULL: not drawn,
 * every record counts as theirs).
 */
void ss_blind_record_in(const struct ss_policy *pol, const struct ss_registry *reg,
                        const char *reviewer, const struct ss_sample *s, const char *id,
                        const struct ss_verdict *v, size_t n, struct ss_blind *out);

/*
 * For a listing read by reviewer (NULL: nobody; then 0) at commit: how many
 * of the records ids of sample s have verdicts the blind rule keeps from
 * them. An error when the trail's state cannot be read.
 */
int ss_blind_hidden_count(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                          const char *reviewer, const struct ss_sample *s, const char *const *ids,
                          size_t n, size_t *out);

/*
 * Leave out of st every verdict the blind rule keeps from reviewer (the
 * verdicts on records reviewer has still to review), so that whatever is
 * built from st (a report) cannot show them. *records: how many records had
 * verdicts left out. SS_ENOMEM only.
 */
int ss_blind_filter_state(const struct ss_policy *pol, const struct ss_registry *reg,
                          const char *reviewer, const struct ss_sample *s,
                          struct ss_month_state *st, size_t *records);

#endif
