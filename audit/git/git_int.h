/*
 * git_int.h - what the files of audit/git share; nothing outside audit/git
 * includes it (the rest of the program sees only trail.h, never a git_* type).
 *
 * It holds the definition of struct ss_trail, the conversions between our ids
 * and libgit2's, and the helpers more than one file calls. Each helper is
 * defined in the file named above it. Ownership is as trail.h says; the
 * helpers borrow what they are given and hand their **out to the caller.
 */
#ifndef SS_GIT_INT_H
#define SS_GIT_INT_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "trail.h"

#define SS_MAIN_REF        "refs/heads/main"
#define SS_ORIGIN_MAIN_REF "refs/remotes/origin/main"

struct batch_store; /* batch.c: the batch's in-memory object store */

#define SS_GIT_KEPT_MAX 32

struct ss_trail {
	char *path;   /* as the caller gave it, for messages */
	char *gitdir; /* libgit2's path, ends in '/' */
	git_repository *repo;
	bool bare;            /* false: a working copy, open for reading only */
	const char *main_ref; /* the branch read as main (a static string) */
	char *quarantine;     /* a pre-receive hook's incoming objects, or NULL */
	int lock_fd;          /* -1 when not held */
	bool fsync;
	git_repository *batch_repo; /* non-NULL while a batch is open */
	struct batch_store *store;  /* owned by batch_repo's object database */
	/* The directories the last ss_git_diff read on its `to` side (read from
	 * kept_repo), the next diff's `from` side when commits are diffed in
	 * order, as verify does: see ss_git_diff_forget. */
	git_tree *kept[SS_GIT_KEPT_MAX];
	size_t nkept;
	git_repository *kept_repo;
	/* Small blobs kept by ss_git_check_objects for ss_git_read (see
	 * ss_git_keep_blobs): 20-byte id -> struct ss_git_kept_blob. */
	struct ss_map *blobs;
	size_t blobs_each, blobs_left;
	/* What each commit changed from its first parent, noted by the object
	 * check for ss_git_diff (noted.c; see ss_git_note_diffs): 20-byte commit
	 * id -> struct noted. NULL: off. */
	struct ss_map *notes;
	struct ss_git_note_last *note_last; /* directories the last note parsed */
	struct ss_map *found;               /* path -> the last ss_git_blob_id answer (noted.c) */
	/* Large loose blobs the last ss_git_check_loose inflated and hashed to
	 * their ids (20-byte ids; objects.c); NULL: none. */
	struct ss_map *hashed;
};

struct ss_git_kept_blob {
	unsigned char id[GIT_OID_RAWSZ];
	size_t len;
	char data[]; /* len bytes and a NUL */
};

static inline void to_git(git_oid *g, const struct ss_oid *o)
{
	memcpy(g->id, o->id, sizeof(o->id));
}

static inline void from_git(struct ss_oid *o, const git_oid *g)
{
	memcpy(o->id, g->id, sizeof(o->id));
}

static inline void ss_git_hex(const git_oid *oid, char out[41])
{
	git_oid_tostr(out, 41, oid);
}

/* What git hashes before a blob's bytes: "blob SIZE" and its NUL. Returns
 * its length, the NUL counted (out needs 32 bytes). */
static inline size_t ss_git_blob_head(char out[32], size_t size)
{
	return (size_t)snprintf(out, 32, "blob %zu", size) + 1;
}

/* The file a loose object lives in: objects/XX/YYYY... under the trail's
 * git directory (gitdir ends in '/'). */
static inline int ss_git_loose_path(const char *gitdir, const git_oid *id, char *out, size_t n)
{
	char hex[41];

	ss_git_hex(id, hex);
	return snprintf(out, n, "%sobjects/%.2s/%s", gitdir, hex, hex + 2) < (int)n ? 0 : -1;
}

/* ---------------------------------------------------------------- repo.c */

/* libgit2's last error message (never NULL). */
const char *ss_git_msg(void);
/* Set "WHAT: LIBGIT2 MESSAGE" and return code. */
int ss_git_fail(int code, const char *fmt, ...) SS_PRINTF(2, 3);
/* The same for a system call that failed with errnum: "WHAT: strerror",
 * or the full disk's message with what to do. */
int ss_git_fail_errno(int code, int errnum, const char *fmt, ...) SS_PRINTF(3, 4);

/* Set libgit2's process-wide fsync switch to this trail's setting; call it
 * before every write. */
void ss_git_apply_fsync(const struct ss_trail *t);
/* The repository reads and commits go to: the batch's while one is open. */
git_repository *ss_git_repo(const struct ss_trail *t);
/* *out = dir followed by name (caller frees). */
int ss_git_join_path(char **out, const char *dir, const char *name);

/* A growing array of object ids (free v). */
struct ss_git_oidv {
	git_oid *v;
	size_t n, cap;
};
int ss_git_oidv_push(struct ss_git_oidv *a, const git_oid *id);

/* Is s exactly n lowercase hex digits (a loose object's directory or file name)? */
bool ss_git_is_hex(const char *s, size_t n);

/* ---------------------------------------------------------------- read.c */

/* The tree of a commit (caller frees); SS_EDATA when there is no such commit. */
int ss_git_lookup_tree(git_repository *repo, const struct ss_oid *commit, git_tree **tree);
/* The entry of a file at path in a commit's tree (caller frees):
 * SS_ENOTFOUND when there is none or it is not a file. */
int ss_git_lookup_file(git_repository *repo, const struct ss_oid *commit, const char *path,
                       git_tree_entry **entry);

/* ---------------------------------------------------------- packstream.c */

/* A blob stored whole (not a delta) in a pack of the repository's own
 * objects directory, open for inflating a buffer at a time: *out NULL (and 0)
 * when it is not there so. Close it with ss_git_pack_close (NULL: no-op);
 * path is borrowed for messages and must outlive it. */
struct ss_git_packed;
int ss_git_pack_open(git_repository *repo, const git_oid *id, const char *path,
                     struct ss_git_packed **out);
/* The next bytes into buf: cap of them unless the blob ends first; *got 0
 * at the end. < 0 when the pack is damaged or short (message set on the
 * calling thread). Touches nothing but p, so any one thread may call it. */
int ss_git_pack_fill(struct ss_git_packed *p, char *buf, size_t cap, size_t *got);
/* The blob's length as the pack's header says. */
uint64_t ss_git_pack_size(const struct ss_git_packed *p);
void ss_git_pack_close(struct ss_git_packed *p);

/* ------------------------------------------------------------- bigblob.c */

/* Blobs of at least this many bytes are written by ss_git_bigblob_write. */
#define SS_GIT_BIGBLOB_MIN ((size_t)4 << 20)

/* Store len bytes as a blob of the trail's repository, *id its id: a large
 * blob (SS_GIT_BIGBLOB_MIN or more) outside a batch through
 * ss_git_bigblob_write, anything else through libgit2. name is the file's
 * path in the trail, for messages. */
int ss_git_blob_write(struct ss_trail *t, git_oid *id, const void *data, size_t len,
                      const char *name);
/* Write len bytes as a loose blob into the trail's own objects directory:
 * the object git would write (the same id and content, zlib level 1),
 * hashed and deflated on several threads; synced as the trail's fsync
 * setting says.
 * Nothing is written when the object is already there. On an error nothing
 * is left behind. 0, SS_ENOMEM or SS_EIO. */
int ss_git_bigblob_write(struct ss_trail *t, git_oid *id, const void *data, size_t len,
                         const char *name);

/* ---------------------------------------------------------------- walk.c */

/* A raw commit's signature (the armour as git hands it to ssh-keygen) and
 * signed bytes, into armour and payload, pointed to by v; or v's
 * signature_problem when the signature is malformed. 0 or SS_ENOMEM. */
int ss_git_split_commit(const char *raw, size_t len, struct ss_commit_view *v,
                        struct ss_buf *armour, struct ss_buf *payload);

/* Keep a copy of a blob just read and hashed, when small enough and wanted. 0 or SS_ENOMEM. */
int ss_git_blob_keep(struct ss_trail *t, const git_oid *id, const void *data, size_t len);
/* Two handles on one trail checked at once (objects.c): other keeps blobs
 * as t does, with half of what t had left; then t takes what other kept,
 * or frees it. 0 or SS_ENOMEM. */
void ss_git_share_blobs(struct ss_trail *t, struct ss_trail *other);
int ss_git_take_blobs(struct ss_trail *t, struct ss_trail *from);
/* The same for the notes of the commits each checked (noted.c). */
int ss_git_take_notes(struct ss_trail *t, struct ss_trail *from);

/* Drop the directories ss_git_diff kept (before their repository goes). */
void ss_git_diff_forget(struct ss_trail *t);

/* --------------------------------------------------------------- parse.c */

/* How many bytes a and b share from the start (at most n), and from the end. */
size_t ss_git_shared_head(const unsigned char *a, const unsigned char *b, size_t n);
size_t ss_git_shared_tail(const unsigned char *a, size_t la, const unsigned char *b, size_t lb);

/* --------------------------------------------------------------- noted.c */

/* A directory by id for a note (a new reference), or NULL when it cannot be had. */
typedef git_odb_object *(*ss_git_tree_get_fn)(void *ctx, const git_oid *id);
/* Note what commit changed from parent (their trees given), reading
 * directories through get. Nothing is noted (0) when notes are off or a
 * directory cannot be had or parsed; < 0 only for SS_ENOMEM. */
int ss_git_note_diff(struct ss_trail *t, const git_oid *commit, const git_oid *parent,
                     const git_oid *tree, const git_oid *parent_tree, ss_git_tree_get_fn get,
                     void *get_ctx);
/* ss_git_blob_id from the last answer for the path, when it was for the
 * commit or for its parent and the commit's note leaves the path alone: 1
 * when it cannot say, else as ss_git_blob_id. */
int ss_git_noted_blob(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                      struct ss_oid *out);
/* Keep ss_git_blob_id's answer rc (0 or SS_ENOTFOUND; notfile: there is a
 * directory of that name) for the path. 0 or SS_ENOMEM. */
int ss_git_note_blob(struct ss_trail *t, const struct ss_oid *commit, const char *path, int rc,
                     bool notfile, const struct ss_oid *blob);
/* ss_git_diff from a note: 1 when there is none for the pair (nothing
 * called), else as ss_git_diff. */
int ss_git_noted_diff(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to,
                      ss_diff_fn fn, void *ctx);

/* -------------------------------------------------------------- commit.c */

/* Move main from `from` (NULL: create only if absent) to `to`, by
 * compare-and-swap, after syncing the objects directory; SS_EBUSY when main
 * moved meanwhile or its ref is locked. */
int ss_git_move_main(struct ss_trail *t, const git_oid *from, const git_oid *to);

#endif
