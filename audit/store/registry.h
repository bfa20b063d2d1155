/*
 * registry.h - who may sign: reviewers/HANDLE.json files and the
 * allowed_signers file derived from them (DESIGN.md section 5).
 *
 * Ownership: a struct ss_registry owns its reviewers and their strings; free
 * it with ss_registry_free(). ss_registry_find() borrows.
 */
#ifndef SS_REGISTRY_H
#define SS_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "sshkey.h"
#include "trail.h"

struct ss_reviewer {
	char *handle;
	char *name;
	char *email;
	char *role;
	bool has_key;
	unsigned char pk[SS_PUBKEY_LEN];
	char *added;   /* RFC 3339 UTC */
	char *removed; /* NULL while registered */
};

struct ss_registry {
	struct ss_reviewer *r; /* sorted by handle */
	size_t n;
};

/* reviewers/HANDLE.json: pretty JSON ending "\n". */
int ss_reviewer_to_json(const struct ss_reviewer *rv, struct ss_buf *out);
/* Strict parse; `name` (the path) is used in messages. Fills *out (release with
 * ss_reviewer_release). */
int ss_reviewer_from_json(const char *data, size_t len, const char *name, struct ss_reviewer *out);
void ss_reviewer_release(struct ss_reviewer *rv);

/* Every reviewers/HANDLE.json at a commit (an empty registry when there is no reviewers/). */
int ss_registry_load(struct ss_trail *t, const struct ss_oid *commit, struct ss_registry **out);

/* The same from any tree a reader can list and read (verify's trees that are
 * no commit's): list and read behave as ss_git_list and ss_git_read. */
struct ss_registry_reader {
	int (*list)(void *ctx, const char *dir, char ***names, size_t *n);
	int (*read)(void *ctx, const char *path, char **data, size_t *len);
	void *ctx;
};
int ss_registry_load_with(const struct ss_registry_reader *rd, struct ss_registry **out);
void ss_registry_free(struct ss_registry *reg);
const struct ss_reviewer *ss_registry_find(const struct ss_registry *reg, const char *handle);

/* The allowed_signers text the registry implies: one line per reviewer with a
 * key, sorted by handle: `HANDLE namespaces="git"[,valid-before="…"] ssh-ed25519 KEY`. */
int ss_registry_allowed_signers(const struct ss_registry *reg, struct ss_buf *out);

/* "YYYY-MM-DDThh:mm:ssZ" to "YYYYMMDDhhmmssZ"; SS_EDATA if malformed. */
int ss_registry_signers_time(const char *rfc3339, char out[16]);

#endif
