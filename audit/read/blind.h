/*
 * blind.h - blind review: which other reviewers' verdicts a reviewer may see.
 *
 * When the policy says blind, a reviewer whose role records verdicts does not
 * see the others' verdicts on a record until they have recorded their own,
 * and a review pack never carries verdicts. Anyone with the trail can still
 * read them with git; this only keeps a panel member's first judgement their
 * own. The rule is written here once; show and pack call it.
 *
 * Ownership: everything passed in is borrowed.
 */
#ifndef SS_BLIND_H
#define SS_BLIND_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
