/*
 * common.h - rules that sit in audit/act/ today but belong to other rooms,
 * gathered here so that moving them is one step: the trail's layout
 * (ss_month_path) and the codec of trail.json (SS_TRAIL_FORMAT,
 * ss_trail_fingerprint_at) go to audit/store/ (layout, codecs); what is in
 * force at a commit (ss_load_policy_at, ss_month_closed_at) to the state at a
 * commit in audit/store/; who may do what (ss_act_require) to the
 * action -> permission table in audit/store/ (rules); a month in words
 * (ss_month_words) and the closed-month refusal in words
 * (ss_month_refuse_closed) to audit/read/.
 *
 * Ownership: every char ** and struct ** out parameter belongs to the caller
 * (free(), ss_policy_free()); nothing here keeps a pointer after returning.
 */
#ifndef SS_ACT_COMMON_H
#define SS_ACT_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "trail.h"

struct ss_writer;

#define SS_TRAIL_FORMAT "ssaudit-trail-v1"

/* Paths of a month's files: months/MONTH/FILE. */
void ss_month_path(char *out, size_t n, const char *month, const char *file);

/* "June 2019" for "2019-06" (out needs 16 bytes). */
void ss_month_words(const char *month, char *out, size_t n);

/* trail.json's pseudonym-key fingerprint at a commit (caller frees). */
int ss_trail_fingerprint_at(struct ss_trail *t, const struct ss_oid *commit, char **out);

/* Load the policy at a commit (policy.json); out params owned by the caller. */
int ss_load_policy_at(struct ss_trail *t, const struct ss_oid *commit, char **json, size_t *len,
                      struct ss_policy **policy);

/* Is the month closed at a commit (closed.json with state "closed")? *by
 * (caller frees) is who closed it, when it says. */
int ss_month_closed_at(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                       bool *closed, char **by);

/* The months/M/closed.json refusal in words: who closed it, who can reopen. */
int ss_month_refuse_closed(const struct ss_policy *pol, const char *month, const char *closed_by);

/* Does this person's role allow `what`? SS_EPERM with a message in words if not. */
int ss_act_require(const struct ss_writer *w, unsigned what, const char *doing);

#endif
