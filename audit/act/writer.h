/*
 * writer.h - the one way anything is written to a trail: hold the lock, read
 * the tip, load what is in force there (policy, registry), let the action
 * check itself against that tip, then commit as one signed commit by the
 * person acting (--as), with allowed_signers rebuilt from the registry.
 *
 * Every action (audit/act/act.h) runs on a writer. Batches (a worksheet's
 * verdicts) land whole or not at all; ss_writer_maybe_gc() packs loose
 * objects after a write when they have piled up.
 *
 * Ownership: struct ss_writer owns the trail, policy, registry and the actor's
 * key (wiped on close); ss_writer_close() unlocks and frees everything. An
 * action may replace w->registry's contents (reviewer add/remove) before
 * committing; the writer derives allowed_signers from it.
 */
#ifndef SS_WRITER_H
#define SS_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "policy.h"
#include "registry.h"
#include "sshkey.h"
#include "trail.h"

#include "month.h"
#include "state.h"
#include "trailers.h"

struct ss_writer_opts {
	const char *trail; /* path of the bare repository */
	const char *home;  /* resolved HOME */
	const char *as;    /* the acting handle */
};

struct ss_writer {
	struct ss_trail *trail;
	struct ss_oid tip;
	bool has_tip;
	char *policy_json; /* policy.json bytes at the tip */
	size_t policy_len;
	struct ss_policy *policy;
	struct ss_registry *registry;
	const struct ss_reviewer *actor;  /* borrowed from registry */
	const struct ss_role *actor_role; /* borrowed from policy */
	struct ss_key *key;
	char *handle;
	int64_t now;
	bool clock_fixed;
	bool in_batch;
	struct ss_oid batch_from;
	struct ss_policy *peeked_policy; /* see ss_writer_lock(); freed on close */
};

/* Open an existing trail for writing as opts->as: lock, tip, policy, registry,
 * and the actor's key, which must match their registered key (SS_EPERM). */
int ss_writer_open(const struct ss_writer_opts *opts, struct ss_writer **out);

/*
 * For a command whose options come from the policy (review: one option per
 * question), in two steps. ss_writer_peek() opens the trail and reads the
 * policy in force at its tip, without the lock and without anyone acting,
 * so the options can be built from w->policy. ss_writer_lock() then does
 * what the rest of ss_writer_open() does (the actor, the key, the lock) and
 * reads the tip again: the policy is parsed again only when policy.json
 * changed in between, and the policy first read then stays alive until
 * ss_writer_close(), so a request may borrow its question ids.
 */
int ss_writer_peek(const char *trail, struct ss_writer **out);
int ss_writer_lock(struct ss_writer *w, const struct ss_writer_opts *opts);

/* For init only: lock a freshly created trail with no commit; the caller
 * supplies policy, registry and key. */
int ss_writer_open_new(struct ss_trail *trail, struct ss_writer **out);

/* Re-read the tip and what is in force there (after a batch or to re-check). */
int ss_writer_refresh(struct ss_writer *w);

/* Commit changes (plus allowed_signers from w->registry) on the tip; w->tip
 * moves. *unchanged (may be NULL) is set when nothing changed and no commit was made. */
int ss_writer_commit(struct ss_writer *w, const struct ss_trailers_msg *msg,
                     const struct ss_change *changes, size_t n, bool *unchanged);

/*
 * The usual act: one file (path, the bytes of json) committed by the person
 * acting, in their role, with `action`'s trailer, the month and record it is
 * about (either may be NULL), a subject line and a body in words. A body
 * whose building ran out of memory (body->data NULL) is SS_ENOMEM.
 */
int ss_writer_commit_file(struct ss_writer *w, enum ss_action action, const char *month,
                          const char *record, const char *subject, const struct ss_buf *body,
                          const char *path, const struct ss_buf *json);

/* Batches: commits between begin and end land together or not at all. */
int ss_writer_batch_begin(struct ss_writer *w);
int ss_writer_batch_end(struct ss_writer *w);
void ss_writer_batch_abort(struct ss_writer *w);

void ss_writer_close(struct ss_writer *w);

/*
 * Pack loose objects when more than `threshold` have piled up (0: the
 * default, 3000, or env SSAUDIT_GC_LOOSE). Counting is one directory scan,
 * cheap beside a signed commit. *packed (may be NULL) gets how many were packed.
 */
int ss_writer_maybe_gc(struct ss_writer *w, size_t threshold, size_t *packed);

/* Does the acting person's role have the permission that store/rules' table
 * gives the action? SS_EPERM with a message in words if not; doing (may be
 * NULL, else marked N_() as it is translated here) says what was refused. */
int ss_act_require(const struct ss_writer *w, enum ss_action action, const char *doing);

#endif
