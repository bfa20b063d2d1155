/*
 * actions.h - the trail's write actions that concern the trail itself:
 * init, policy set, reviewer add/remove, import. Each checks itself against
 * the tip the writer holds, builds its files and commits once.
 *
 * Ownership: requests and results are the caller's; nothing here keeps a
 * pointer after returning.
 */
#ifndef SS_ACTIONS_H
#define SS_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "record.h"
#include "sshkey.h"
#include "trail.h"
#include "writer.h"

#define SS_TRAIL_FORMAT "ssaudit-trail-v1"

struct ss_init_req {
	const char *trail;
	const char *home;
	const char *handle;
	const char *name;
	const char *email;
	const char *role;        /* NULL: coordinator */
	const char *title;       /* NULL: the policy's name */
	const char *policy_path;
};

struct ss_init_result {
	char trail_id[41];
	char key_fingerprint[SS_FINGERPRINT_LEN];
	char pseudonym_fingerprint[33];
	bool pseudonym_key_created;
};

int ss_act_init(const struct ss_init_req *req, struct ss_init_result *res);

/* Replace policy.json with the file's bytes (validated). */
int ss_act_policy_set(struct ss_writer *w, const char *path, bool *unchanged);

int ss_act_reviewer_add(struct ss_writer *w, const char *handle, const char *role, const char *name,
			const char *email, const char *key_line);
int ss_act_reviewer_remove(struct ss_writer *w, const char *handle);

/* trail.json's pseudonym-key fingerprint at a commit (caller frees). */
int ss_trail_fingerprint_at(struct ss_trail *t, const struct ss_oid *commit, char **out);

/* Does this person's role allow `what`? SS_EPERM with a message in words if not. */
int ss_act_require(const struct ss_writer *w, unsigned what, const char *doing);

/* Paths of a month's files. */
void ss_month_path(char *out, size_t n, const char *month, const char *file);

/*
 * Import: pop holds the month's records already read, pseudonymised and given
 * ids (sorted); fingerprint is the pseudonym key's. Refuses a key that is not
 * the trail's (SS_EPERM), a month already imported unless replace, and a
 * sampled month always (SS_EFAIL).
 */
int ss_act_import(struct ss_writer *w, const char *month, const struct ss_population *pop,
		  const char *fingerprint, bool replace, bool *unchanged);

/* "June 2019" for "2019-06" (out needs 16 bytes). */
void ss_month_words(const char *month, char *out, size_t n);

#endif
