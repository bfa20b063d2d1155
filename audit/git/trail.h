/*
 * trail.h - audit/git, the audit trail's git repository: a bare repository
 * whose branch `main` only ever moves forward by one signed commit (or one
 * batch) at a time. This room is the only code that calls libgit2 and zlib;
 * the rest of the program sees the trail through this header and its own
 * types (struct ss_oid, ss_commit_view, ...), never a git_* type.
 *
 * The room, one job per file (what they share is in git_int.h, which nothing
 * outside audit/git includes):
 *   repo.c     open, create and free a trail; its lock; main's tip and
 *              revisions; fsync and libgit2's process-wide settings; ids
 *   read.c     a file's bytes, a directory's names, a blob's id at a commit
 *   packstream.c  a packed blob inflated from its pack a piece at a time
 *   commit.c   build a commit signed through the caller's callback; move main
 *              by compare-and-swap
 *   batch.c    commits held in memory, written as one pack, main moved once
 *   walk.c     the commit walk, the tree diff, ancestry, merge bases
 *   objects.c  object checks: every reachable object hashed again, every
 *              loose object inflated with zlib
 *   gc.c       count loose objects and pack them
 *   remote.c   sync's transport: stock `git fetch` and `git push` run as
 *              child processes (no shell), other refs, commit ranges, one
 *              commit read whole
 *
 * Ownership: struct ss_trail owns the repository handle and the lock; free it
 * with ss_git_free() (which also unlocks). Buffers returned through
 * char ** / char *** are the caller's (free(), ss_strv_free()). Structs filled
 * by the walker are borrowed for the duration of the callback.
 *
 * Writers: take ss_git_lock(), read the tip and re-check everything against
 * it, then ss_git_commit() with that tip as parent; the commit moves main by
 * compare-and-swap from the parent, so a writer that did not hold the lock
 * still cannot lose anyone's work. Objects are written (and synced) before
 * main moves, so a process killed at any moment leaves at most unreferenced
 * objects and a stale ref lock, which the next lock holder removes.
 */
#ifndef SS_TRAIL_H
#define SS_TRAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h" /* ss_strv_free() frees what ss_git_list() returns */

struct ss_oid {
	unsigned char id[20];
};

/* 40 lowercase hex digits + NUL. */
void ss_oid_hex(const struct ss_oid *oid, char out[41]);
/* A full 40-digit hex id, or any revision git understands when a trail is given. */
int ss_oid_parse(const char *hex, struct ss_oid *out);
bool ss_oid_equal(const struct ss_oid *a, const struct ss_oid *b);

struct ss_trail;

/* Create a new bare repository at path with HEAD -> refs/heads/main and no
 * commits. SS_ECANTCREAT when path exists and is not an empty directory. */
int ss_git_create(const char *path, struct ss_trail **out);
/* Open an existing trail to write to it: a bare repository. SS_ENOINPUT when
 * there is none at path, or when path is an ordinary clone with a working
 * tree (the message says to make a bare clone). */
int ss_git_open(const char *path, struct ss_trail **out);
/* Open a trail to read it: a bare repository, or an ordinary clone (an
 * auditor's `git clone`), whose main is its refs/heads/main, else
 * refs/remotes/origin/main. In a pre-receive hook the pushed objects, still
 * in git's quarantine (GIT_QUARANTINE_PATH), are read as well. */
int ss_git_open_read(const char *path, struct ss_trail **out);
/* Is the trail a bare repository (false: an ordinary clone, for reading)? */
bool ss_git_is_bare(const struct ss_trail *t);
void ss_git_free(struct ss_trail *t);
const char *ss_git_path(const struct ss_trail *t);

/* Durable writes (fsync of objects and refs), on by default; env
 * SSAUDIT_FSYNC=0 turns it off for benchmarks. libgit2's switch is
 * process-wide; each trail sets it to its own value before every write. */
void ss_git_set_fsync(struct ss_trail *t, bool on);

/* flock(LOCK_EX) on TRAIL/ssaudit.lock, waiting at most timeout_ms (then
 * SS_EBUSY; 0 tries once). While held, a refs/heads/main.lock left by a killed
 * process is removed. Waiters poll every few milliseconds, so the lock is not
 * fair: give generous timeouts. Locking a trail that already holds it is a
 * no-op; ss_git_free() unlocks. */
int ss_git_lock(struct ss_trail *t, unsigned timeout_ms);
void ss_git_unlock(struct ss_trail *t);

/* The commit main points at. SS_ENOTFOUND when the trail has no commit yet. */
int ss_git_tip(struct ss_trail *t, struct ss_oid *out);

/* Resolve a revision ("main", a hex id, an abbreviated id) to a commit. */
int ss_git_resolve(struct ss_trail *t, const char *rev, struct ss_oid *out);

/* A file's bytes at a commit. SS_ENOTFOUND when the path is absent. *data is
 * NUL-terminated (not counted in *len). */
int ss_git_read(struct ss_trail *t, const struct ss_oid *commit, const char *path, char **data,
                size_t *len);
/* The same by the file's blob id (as ss_git_diff gives it); path is for messages. */
int ss_git_read_blob(struct ss_trail *t, const struct ss_oid *blob, const char *path, char **data,
                     size_t *len);

/* A file's bytes at a commit, given to `each` in pieces from the start until
 * it returns non-zero (1: enough, stop; negative: an error, returned) or the
 * file ends: a loose object is inflated only as far as `each` reads (a packed
 * one, which libgit2 cannot stream, is given in one piece from its
 * uncompressed copy, as ss_git_map() keeps). 0, an error of `each`, or
 * SS_ENOTFOUND when the path is absent. */
int ss_git_scan(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                int (*each)(const char *bytes, size_t n, void *arg), void *arg);

/* A file's bytes at a commit without inflating or hashing them each time:
 * the first read (whole, checked against its id, as ss_git_read) keeps an
 * uncompressed copy in GITDIR/ssaudit-blobs/BLOBID, and later reads map that
 * copy when its size is the blob's (a copy is named by its content's id, so
 * it never goes stale). For files read often and whole, such as the sorted
 * ids a verdict searches. SS_ENOTFOUND when the path is absent. Release with
 * ss_git_unmap(). */
struct ss_git_mapped {
	const char *data; /* len bytes */
	size_t len;
	void *map;  /* private */
	char *copy; /* private */
};
int ss_git_map(struct ss_trail *t, const struct ss_oid *commit, const char *path,
               struct ss_git_mapped *m);
void ss_git_unmap(struct ss_git_mapped *m);
/* The same bytes in pieces, for files too large to hold twice:
 * fn(arg, piece, n) for each piece in order, on the caller's thread,
 * stopping at fn's first nonzero return (returned). A loose object, or one
 * stored whole in a pack, is inflated a piece at a time, on a second thread
 * a few pieces ahead of fn when it is larger than one (fn must not use the
 * trail meanwhile); anything else (a delta) is inflated whole by libgit2 and
 * given as one piece. The bytes are hashed against the blob's id as they
 * come: bytes that are not the id's are the read's error (SS_EIO), after
 * the pieces before it. */
int ss_git_read_pieces(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                       int (*fn)(void *arg, const char *data, size_t n), void *arg);
/* The same for a blob by its id (name in messages). */
int ss_git_read_blob_pieces(struct ss_trail *t, const struct ss_oid *blob, const char *name,
                            int (*fn)(void *arg, const char *data, size_t n), void *arg);
/* The names in a directory at a commit, sorted; SS_ENOTFOUND when absent. */
int ss_git_list(struct ss_trail *t, const struct ss_oid *commit, const char *dir, char ***names,
                size_t *n);
/* The blob id of a path at a commit (cheap equality checks); SS_ENOTFOUND when absent. */
int ss_git_blob_id(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                   struct ss_oid *out);

/* One change to the tree: data NULL removes path. */
struct ss_change {
	const char *path;
	const char *data;
	size_t len;
};

struct ss_person {
	const char *name;
	const char *email;
};

struct ss_commit_req {
	struct ss_person author;
	struct ss_person committer;
	int64_t when;        /* unix seconds, UTC (+0000) */
	int64_t author_when; /* the author's time when it differs (a replay); 0: when */
	const char *message; /* subject, blank line, body, blank line, trailers; ends "\n" */
	const struct ss_change *changes;
	size_t nchanges;
};

/* Make the signature of a commit's bytes (without gpgsig): an armored SSHSIG
 * in *sig (caller frees). Returns 0 or an SS_E* code. */
typedef int (*ss_sign_fn)(void *ctx, const char *payload, size_t len, char **sig);

/*
 * Apply changes to parent's tree (parent NULL: the root commit, from an empty
 * tree), write a commit signed through sign, and move main from parent to it
 * by compare-and-swap (SS_EBUSY if main moved meanwhile). When the changes
 * leave the tree as it was, no commit is made, *out is the parent and
 * *unchanged is true. Inside a batch, the commit goes to memory and main is
 * not moved until ss_git_batch_end().
 */
int ss_git_commit(struct ss_trail *t, const struct ss_oid *parent, const struct ss_commit_req *req,
                  ss_sign_fn sign, void *sign_ctx, struct ss_oid *out, bool *unchanged);

/*
 * Write a commit on parents[0]'s tree with the changes applied, with one or
 * two parents, signed through sign, and move no ref (sync writes, checks and
 * pushes a commit before main moves to it). When a one-parent commit would
 * change nothing, nothing is written and *out is the parent.
 */
int ss_git_commit_write(struct ss_trail *t, const struct ss_oid *parents, size_t nparents,
                        const struct ss_commit_req *req, ss_sign_fn sign, void *sign_ctx,
                        struct ss_oid *out);

/* A batch: commits made between begin and end are held in memory; end
 * writes them as one pack, syncs once and moves main once from `from` to
 * `to` (all or nothing); abort drops them. Hold the lock from begin to end.
 * Reads through this trail handle see the batch's commits; other handles do
 * not until end. end closes the batch whether it succeeds or not (on failure
 * main is where it was); `to` must descend from `from` (NULL `from`: the
 * trail had no commit). */
int ss_git_batch_begin(struct ss_trail *t);
int ss_git_batch_end(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to);
void ss_git_batch_abort(struct ss_trail *t);

/* Pack loose objects and delete the loose copies the pack holds (each run
 * adds one pack; older packs are left as they are). Not inside a batch. */
int ss_git_gc(struct ss_trail *t, size_t *packed);
/* How many loose objects there are (to decide when to gc). */
int ss_git_count_loose(struct ss_trail *t, size_t *n);

/* One commit as the walker sees it. */
struct ss_commit_view {
	struct ss_oid oid;
	struct ss_oid parents[2];
	size_t nparents;
	const char *author_name, *author_email;
	const char *committer_name, *committer_email;
	int64_t author_time, commit_time;
	const char *message;   /* the whole message */
	const char *signature; /* armored gpgsig, or NULL when unsigned */
	size_t signature_len;
	const char *signed_data; /* the commit bytes without gpgsig (what was signed) */
	size_t signed_data_len;
	/* Why the signature is not where and as git takes it (a second gpgsig
	 * header, a gpgsig-sha256 header, a signature in the message); NULL when
	 * it is. When set, signature is NULL. */
	const char *signature_problem;
	size_t nparents_total; /* the real count: parents[] holds the first two */
};

typedef int (*ss_walk_fn)(void *ctx, const struct ss_commit_view *c);

/*
 * Split a raw commit (its bytes after the "commit SIZE\0" object header) as
 * `git verify-commit` does: the signature is the one `gpgsig` header in the
 * header block (before the first blank line) with its continuation lines
 * (lines starting with a space, the space dropped); the signed payload is the
 * commit with that header and its continuation lines removed, nothing else.
 * Stricter than git, which would take them: a second gpgsig header, another
 * gpgsig-* header, a header block with no blank line after it, and a line of
 * the message beginning "gpgsig" or "-----BEGIN SSH SIGNATURE" make it
 * malformed (*problem says why; sig and payload are then empty).
 * The spans point into raw; payload is two spans (before and after the
 * signature). Returns true when the commit carries a well-formed signature.
 */
struct ss_git_sigsplit {
	const char *sig[2];         /* the signature: [0] after "gpgsig ", [1] the end of its last
	                               line; continuation lines keep their leading space */
	const char *before, *after; /* payload = raw[0 .. before) + [after .. end) */
	const char *problem;        /* NULL, or why the signature is malformed */
	bool found;                 /* a gpgsig header was found in the header block */
};
bool ss_git_split_signature(const char *raw, size_t len, struct ss_git_sigsplit *out);

/* One entry of a raw tree object; the pointers are into the tree's bytes. */
struct ss_git_tree_entry {
	const char *name; /* not NUL-terminated */
	size_t name_len;
	bool is_tree;            /* a directory (mode 40000), else a plain file (100644) */
	const unsigned char *id; /* 20 bytes */
};
typedef int (*ss_git_tree_fn)(void *ctx, const struct ss_git_tree_entry *e);
/* What is wrong with a tree: why (static text), and the entry concerned
 * (name NULL when none). */
struct ss_git_tree_problem {
	const char *why;
	const char *name;
	size_t name_len;
};
/*
 * Read a raw tree object (its bytes after "tree SIZE\0") entry by entry, as
 * `git fsck` checks it and as a trail allows: every mode exactly 100644 (a
 * plain file) or 40000 (a directory); names not empty, without '/', not ".",
 * ".." or ".git"; entries in git's order, no name twice (not even as a file
 * and a directory). fn (may be NULL) is called for each good entry, in
 * order. Returns 0 when the whole tree is good, 1 at the first entry that is
 * not (*problem says which and why), fn's non-zero return, or SS_ENOMEM.
 */
int ss_git_tree_parse(const unsigned char *raw, size_t len, ss_git_tree_fn fn, void *ctx,
                      struct ss_git_tree_problem *problem);
/* Where each entry of a tree starts, in order (owned; ss_git_tree_index_release). */
struct ss_git_tree_index {
	size_t *at;
	size_t n, cap;
};
void ss_git_tree_index_release(struct ss_git_tree_index *ix);
/* The entry that starts at `at` (an index's) in a tree found good. */
struct ss_git_tree_entry ss_git_tree_entry_at(const unsigned char *raw, size_t at);
/* The entries of old that a new version of it shares, byte for byte: [0,
 * head) at its start and [tail, n) at its end; those between are not. */
struct ss_git_tree_since {
	size_t head, tail;
};
/*
 * ss_git_tree_parse of raw, a new version of old: a tree ss_git_tree_parse
 * found good, whose entries start where old_ix says (old NULL: none, a
 * plain parse). A verdict changes one entry of a directory of thousands, so
 * the entries raw shares with old at its start and at its end, which are
 * good and in order among themselves, are not read again and not given to
 * fn; what joins them to the entries between (git's order across each seam,
 * a file and a directory of one name on either side) is checked, so the
 * result is ss_git_tree_parse's in every case. *since says which of old's
 * entries raw shares (since->head is set before fn is first called); ix
 * (may be NULL) gets where raw's entries start.
 */
int ss_git_tree_parse_since(const unsigned char *raw, size_t len, const unsigned char *old,
                            size_t old_len, const struct ss_git_tree_index *old_ix,
                            ss_git_tree_fn fn, void *ctx, struct ss_git_tree_problem *problem,
                            struct ss_git_tree_index *ix, struct ss_git_tree_since *since);

/* Walk from `from` (NULL: main; SS_ENOTFOUND when the trail is empty) back
 * to the root, oldest first (topological, reversed). A callback returning
 * non-zero stops the walk with that value. The signature is the armour as
 * git hands it to ssh-keygen (ending in a newline). */
int ss_git_walk(struct ss_trail *t, const struct ss_oid *from, ss_walk_fn fn, void *ctx);
/* The same, newest first (by commit time), for readers that stop early. */
int ss_git_walk_newest(struct ss_trail *t, const struct ss_oid *from, ss_walk_fn fn, void *ctx);

/* A path changed between two commits (a NULL `from` means the empty tree). */
struct ss_path_change {
	const char *path;
	enum { SS_PATH_ADDED, SS_PATH_MODIFIED, SS_PATH_DELETED } status;
	const struct ss_oid *blob; /* the file's blob after the change; NULL when deleted */
};
typedef int (*ss_diff_fn)(void *ctx, const struct ss_path_change *c);
int ss_git_diff(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to,
                ss_diff_fn fn, void *ctx);

/* Is ancestor an ancestor of (or equal to) descendant? */
int ss_git_is_ancestor(struct ss_trail *t, const struct ss_oid *ancestor,
                       const struct ss_oid *descendant, bool *yes);
/* The merge base of two commits; SS_ENOTFOUND when they share none. */
int ss_git_merge_base(struct ss_trail *t, const struct ss_oid *a, const struct ss_oid *b,
                      struct ss_oid *out);

/* Check every object reachable from `from` is intact (strict hash
 * verification) and every directory well formed (ss_git_tree_parse), with
 * each name allowed by `names` (may be NULL): it returns NULL for a path the
 * trail's layout allows (is_dir: a directory), else why not; what lies below
 * a refused directory is not read. Calls fn with a reason for each problem,
 * naming the first commit (parents before children) that holds the object;
 * returns 0 when everything held, SS_EFAIL otherwise. No recursion: any
 * depth of tree is safe. */
typedef void (*ss_problem_fn)(void *ctx, const char *commit_hex, const char *path,
                              const char *reason);
typedef const char *(*ss_path_check_fn)(void *ctx, const char *path, bool is_dir);
int ss_git_check_objects(struct ss_trail *t, const struct ss_oid *from, ss_path_check_fn names,
                         void *names_ctx, ss_problem_fn fn, void *ctx);
/* The same, also handing each intact commit to `commit` (may be NULL) as it
 * is read, in no particular order: a view with only its oid and its
 * signature (as ss_git_walk gives them) set, borrowed for the call. A
 * non-zero return stops the check with that value. */
struct ss_git_check_hooks {
	ss_path_check_fn names;
	void *names_ctx;
	ss_problem_fn fn;
	void *ctx;
	ss_walk_fn commit;
	void *commit_ctx;
	/* Called (with ctx) before a commit is read (its id), and once (NULL)
	 * when every commit has been read and before anything else is; a
	 * nonzero return ends the check with it. NULL: none. */
	int (*reading)(void *ctx, const struct ss_oid *id);
};
int ss_git_check_objects_hooked(struct ss_trail *t, const struct ss_oid *from,
                                const struct ss_git_check_hooks *h);

/* While on (max_each > 0), ss_git_check_objects keeps a copy of each blob
 * of at most max_each bytes it has hashed (up to max_total bytes in all), and
 * ss_git_read serves those from the copy rather than reading the blob again
 * (from a pack, that can mean undoing a long chain of deltas).
 * ss_git_keep_blobs(t, 0, 0) drops them; so does ss_git_free. */
void ss_git_keep_blobs(struct ss_trail *t, size_t max_each, size_t max_total);

/* While on, ss_git_check_objects_hooked notes what each commit it reads
 * changed from its first parent, from the directories it has just checked,
 * and ss_git_diff of a commit's first parent to the commit answers from the
 * note instead of reading those directories again (the same changes, in the
 * same order). Off drops the notes; so does ss_git_free. A caller that
 * cannot trust what the check read (it reported a problem) turns them off. */
void ss_git_note_diffs(struct ss_trail *t, bool on);

/* Does stock git show what verify checks? A refs/replace/ reference, an
 * info/grafts or a shallow file, or (in a bare trail) a HEAD that does not
 * name refs/heads/main would make `git log`, `git show` or `git clone` show
 * an auditor something else: each is reported through fn (with the ref or
 * file as its path). 0 when there is none, SS_EFAIL when any was reported. */
int ss_git_check_view(struct ss_trail *t, ss_problem_fn fn, void *ctx);

/* Inflate every loose object file (objects/XX/...) with zlib and report each
 * whose compressed data is cut short or corrupt, before libgit2 reads any:
 * libgit2 1.5 loops forever inflating a truncated loose object (libgit2
 * issue #7342). 0 when all are whole, SS_EFAIL when any was reported. */
int ss_git_check_loose(struct ss_trail *t, ss_problem_fn fn, void *ctx, size_t *checked);
/* The same in two steps, the large loose blobs (a month's population)
 * inflated and hashed on a thread of their own between them: _start
 * inflates the other files; until _finish, the caller may read any object
 * but one ss_git_loose_pending names, unless ss_git_loose_damaged. _finish tells every damaged file
 * through fn, in the order ss_git_check_loose would, and returns as it does;
 * it frees lc. */
struct ss_git_loose;
int ss_git_check_loose_start(struct ss_trail *t, struct ss_git_loose **lc);
bool ss_git_loose_pending(const struct ss_git_loose *lc, const struct ss_oid *id);
/* Has _start found a damaged file already? (Then nothing may be read: _finish.) */
bool ss_git_loose_damaged(const struct ss_git_loose *lc);
int ss_git_check_loose_finish(struct ss_git_loose *lc, ss_problem_fn fn, void *ctx,
                              size_t *checked);

/* ------------------------------------------------------------ remote.c */

/*
 * The remote to sync with: `given` when the trail has a remote of that name,
 * else `origin`, else the trail's only remote. *name is the caller's.
 * SS_EUSAGE for an unknown or unusable name, SS_ENOINPUT when there is none.
 */
int ss_git_remote_pick(struct ss_trail *t, const char *given, char **name);

/*
 * Stock `git fetch` of the remote's main, and nothing else (no tags, no other
 * ref, no remote-tracking update), forced into `ref`. *absent is set (and
 * nothing fetched) when the remote has no main yet. SS_EIO with git's words
 * when git fails.
 */
int ss_git_fetch_main(struct ss_trail *t, const char *remote, const char *ref, bool *absent);

/*
 * Stock `git push` of a commit to the remote's main, never forced. SS_EBUSY
 * when refused because the remote's main has moved on; SS_EFAIL when the
 * remote itself refused it (a hook: its words are in the message); SS_EIO
 * when git could not reach it.
 */
int ss_git_push_main(struct ss_trail *t, const char *remote, const struct ss_oid *tip);

/* A ref by its full name: read (SS_ENOTFOUND when absent), write (forced),
 * delete (an absent ref is fine). Not for main, which moves by compare-and-swap. */
int ss_git_ref_read(struct ss_trail *t, const char *name, struct ss_oid *out);
int ss_git_ref_write(struct ss_trail *t, const char *name, const struct ss_oid *to);
int ss_git_ref_delete(struct ss_trail *t, const char *name);
/* The commits the refs whose names start with prefix point at (*out is the caller's). */
int ss_git_ref_list(struct ss_trail *t, const char *prefix, struct ss_oid **out, size_t *n);

/* Move main from `from` to `to` by compare-and-swap (SS_EBUSY when it moved). */
int ss_git_set_main(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to);

/* The commits reachable from `from` and from none of hide[], oldest first
 * (as `git rev-list --topo-order --reverse`). *out is the caller's. */
int ss_git_commits_between(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *hide,
                           size_t nhide, struct ss_oid **out, size_t *n);

/* The first commit, following first parents back from `from`. */
int ss_git_root(struct ss_trail *t, const struct ss_oid *from, struct ss_oid *out);

/* One commit read whole; every string is owned (ss_git_commit_info_release). */
struct ss_commit_info {
	struct ss_oid oid;
	struct ss_oid parents[2];
	size_t nparents; /* the real count */
	char *author_name, *author_email;
	int64_t author_time;
	char *committer_name, *committer_email;
	int64_t commit_time;
	char *message;
	char *signature; /* armour ending in a newline, or NULL when unsigned */
	size_t signature_len;
	char *signed_data;
	size_t signed_data_len;
};
int ss_git_commit_info(struct ss_trail *t, const struct ss_oid *oid, struct ss_commit_info *out);
void ss_git_commit_info_release(struct ss_commit_info *c);

/* Keep directories of up to `each` bytes in libgit2's object caches (by
 * default only 4 KiB, so a large directory is read, inflated and parsed again
 * at every use), with at most `total` bytes cached: for a reader that diffs
 * every commit with its parent, which reads each tree twice. Process-wide, as
 * libgit2's cache settings are. */
void ss_git_cache_trees(size_t each, size_t total);

/* Hash every object again as it is read (on from ss_git_open/create).
 * A reader that has just checked every object with ss_git_check_objects
 * may turn it off for a second pass over the same objects. Process-wide. */
void ss_git_hash_reads(bool on);

#endif
