/*
 * worklist.h - a reviewer's worklist in a sampled month: which records a
 * listing or a pack covers (a role's share of the sample, or all of it), and
 * which of them a reviewer has still to review ("pending").
 *
 * Ownership: the id arrays are the caller's (free() the array); the strings
 * in them are borrowed from the sample and live as long as it does.
 */
#ifndef SS_WORKLIST_H
#define SS_WORKLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "sample.h"
#include "trail.h"

/* The records of role's share of the sample in ticket order, or of the whole
 * sample (role NULL). SS_EFAIL in words when the role reviews nothing. */
int ss_worklist_ids(const struct ss_sample *s, const char *role, const char ***ids, size_t *n);
/* Has handle, in role, recorded a verdict on the record id at commit? */
bool ss_worklist_reviewed(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                          const char *id, const char *role, const char *handle);
/* Keep, in order, only the ids that handle (in role) has still to review. */
void ss_worklist_pending(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                         const char *role, const char *handle, const char **ids, size_t *n);

#endif
