/*
 * state.h - what is in force at a commit of the trail, for writers and
 * readers alike: the trail itself (trail.json: its format, name and
 * pseudonym-key fingerprint), the policy. A month's state is store/month's;
 * the registry of who may sign is store/registry's.
 *
 * trail.json (written once, by init):
 *   {"format": "ssaudit-trail-v1", "name": NAME, "pseudonym_key_fingerprint": HEX,
 *    "pseudonym_version": 2, "created": RFC3339}
 * A trail.json without pseudonym_version was begun with v1 and keeps it.
 *
 * Ownership: everything returned through ** is the caller's (free(),
 * ss_policy_free(), ss_git_free()).
 */
#ifndef SS_STATE_H
#define SS_STATE_H

#include <stddef.h>

#include "buf.h"
#include "policy.h"
#include "trail.h"

#define SS_TRAIL_FORMAT "ssaudit-trail-v1"
/* The subject pseudonym version new trails use (DESIGN.md section 4). */
#define SS_TRAIL_PSEUDONYM_VERSION 2

/* Open a trail (bare, or an ordinary clone) and its tip for reading;
 * SS_ENOINPUT when it has no history. */
int ss_state_open(const char *path, struct ss_trail **t, struct ss_oid *tip);

/* The policy at a commit: policy.json's bytes and its parse. */
int ss_state_policy(struct ss_trail *t, const struct ss_oid *commit, char **json, size_t *len,
                    struct ss_policy **policy);
/*
 * The policy a month's rules come from (DESIGN.md section 7): the one whose
 * SHA-256 of policy.json's bytes is sha256 (the digest its sample.json
 * names), as of commit. The policy in force when it matches; otherwise the
 * policy.json of the oldest commit up to commit whose bytes hash to it.
 * SS_EDATA in words when no policy.json in the history has that digest.
 */
int ss_state_policy_of_digest(struct ss_trail *t, const struct ss_oid *commit, const char *sha256,
                              struct ss_policy **policy);

/* trail.json's pseudonym-key fingerprint at a commit. */
int ss_state_fingerprint(struct ss_trail *t, const struct ss_oid *commit, char **out);

/* trail.json's subject pseudonym version at a commit: 1 when it names none. */
int ss_state_pseudonym_version(struct ss_trail *t, const struct ss_oid *commit, int *version);

struct ss_pseudo;

/*
 * The pseudonym key in home (HOME/pseudonym.key) when it is the trail's at a
 * commit (its fingerprint is trail.json's), set to the trail's pseudonym
 * version: *ps is the caller's (ss_pseudo_free). Refused with SS_EPERM, in
 * words ending with "to DOING, use the machine that holds the trail's key",
 * when there is no key or it is another one; a key file others can read is
 * SS_EPERM too (ss_pseudo_key_load).
 */
int ss_state_pseudo_key(struct ss_trail *t, const struct ss_oid *commit, const char *home,
                        const char *doing, struct ss_pseudo **ps);

/* The trail's name at a commit, for headings ("" when unknown; NULL only when
 * out of memory). */
char *ss_state_title(struct ss_trail *t, const struct ss_oid *commit);

/* trail.json's bytes, as init writes them (any argument may be NULL: null). */
int ss_state_trail_json(const char *title, const char *fingerprint, const char *created,
                        struct ss_buf *out);

#endif
