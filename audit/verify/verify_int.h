/*
 * verify_int.h - what the parts of verify share; included by audit/verify/
 * only. The walk (walk.c) visits each commit oldest first and judges it
 * against its parent: its state (state.c: what a commit leaves in force, the
 * reads cached by blob), its signature and allowed_signers (signers.c), what
 * its act may change and the act's own checks (checks.c, checks_trail.c,
 * checks_month.c), or, for a merge, each side's commits replayed on the
 * other side's state with those same checks (merge.c).
 *
 * Ownership: struct vctx owns every cache and every struct cstate, vpol and
 * registry it hands out (freed by ss_verify_state_release at the end of the
 * run); a struct cc lives for one commit and owns its changes.
 */
#ifndef SS_VERIFY_INT_H
#define SS_VERIFY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "layout.h"
#include "map.h"
#include "policy.h"
#include "registry.h"
#include "rules.h"
#include "sample.h"
#include "sshkey.h"
#include "trail.h"
#include "trailers.h"
#include "verify.h"

#define MAX_POPULATIONS 4 /* populations kept at once (population.c; they can be large) */

/* ---------------------------------------------------------- the state */

/* A policy.json as committed: its bytes, digest and parse (NULL when invalid). */
struct vpol {
	char *json;
	size_t len;
	char sha[65];
	struct ss_policy *pol;
	char *error; /* why it does not parse; NULL when it does */
};

/* What a one-parent commit says, kept so a merge can replay it on the other
 * side's state after the walk has moved on. */
struct csaid {
	char *who; /* author name, email, committer name, email: NUL-separated */
	int64_t commit_time;
	struct ss_trailers tr;
};

/* What a commit leaves in force for its children. */
struct cstate {
	struct ss_oid oid; /* the commit: its key in vctx.commits */
	struct ss_oid parents[2];
	size_t nparents;
	int64_t when;                  /* its committer's date (unix seconds) */
	const struct ss_registry *reg; /* owned by vctx.registries */
	const struct vpol *pol;        /* owned by vctx.policies */
	bool has_signer;               /* its signature verified */
	unsigned char pk[SS_PUBKEY_LEN];
	size_t seq;         /* its place in the walk: a parent's is always smaller */
	bool bad;           /* a problem was reported against the commit itself */
	struct csaid *said; /* a one-parent commit's words (NULL for others) */
	unsigned mark;      /* a merge's side marks (merge.c), valid when mark_gen is */
	unsigned mark_gen;
};

/*
 * The tree a check reads, with the register and policy in force there: a
 * commit's own tree, or, when a merge replays one side's commits on the other
 * side, the other side's tree with that side's changes so far laid over it
 * (`over`: path -> the struct cstate whose tree holds the path's content, or
 * &ss_verify_gone), and perhaps one commit's own changes on top.
 */
struct vtree {
	struct ss_oid base;
	const struct ss_map *over;    /* NULL: none */
	const struct ss_oid *top;     /* the commit whose changes top_ch lie on top; NULL: none */
	const struct changes *top_ch; /* borrowed */
	const struct ss_registry *reg;
	const struct vpol *pol;
};
extern const char ss_verify_gone; /* an overlay value: the path was deleted */

struct vctx {
	struct ss_trail *t;
	size_t seq;        /* commits visited so far */
	unsigned mark_gen; /* merges checked so far (merge.c's marks) */
	ss_verify_problem_fn fn;
	void *fnctx;
	struct ss_verify_summary *sum;
	const struct ss_verify_opts *opts;
	int64_t now; /* when the check began, for dates in the future */
	/* The last problem's commit and file (walk.c lists a few per file). */
	char last_hex[41];
	char last_path[SS_LAYOUT_PATH_MAX];
	size_t same, unlisted;
	bool have_root;
	/* Maps (map.h) keyed by the 20 bytes of an object id, copied but for
	 * commits, whose keys are their cstate's oid: */
	struct ss_map *commits;     /* commit -> struct cstate */
	struct ss_map *samples;     /* sample.json blob -> struct ss_sample (NULL: unreadable) */
	struct ss_map *closed;      /* closed.json blob -> CLOSED_* (in .size) */
	struct ss_map *populations; /* population.jsonl blob -> what is kept of it
	                               (population.c) */
	struct ss_registry **registries;
	size_t nregistries;
	struct vpol **policies;
	size_t npolicies;
	struct ss_registry empty;    /* for a trail whose registry cannot be read */
	struct ss_verify_sigs *sigs; /* signatures checked ahead (signers.c); NULL: none */
	/* the walk's reads made ahead (prefetch.c); NULL: none */
	struct ss_verify_prefetch *prefetch;
	/* the loose check's end, awaited by the object check (walk.c) */
	struct vgate *gate;
};

enum { CLOSED_NO = 1, CLOSED_YES, CLOSED_BAD };

/* A changed path, classified (store/layout). */
struct vpath {
	char *path;
	int status; /* SS_PATH_* */
	struct ss_layout_path l;
	bool has_blob;      /* added or changed: */
	struct ss_oid blob; /* its content now */
};

struct changes {
	struct vpath *v;
	size_t n, cap;
};

/*
 * One commit being judged against the state it lands on: its parent's (the
 * walk), or the other side's (a merge's replay). `before` is that state,
 * `after` the same with the commit's changes; every check reads these and
 * never the commit's parents directly, so one rule serves both.
 */
struct cc {
	struct vctx *v;
	const struct ss_commit_view *c;
	const char *hex;
	const struct cstate *parent; /* the commit's own parent, in the walk */
	struct cstate *cs;
	struct vtree before, after;
	bool replay; /* replayed by a merge: signature already checked, state not the parent's */
	struct ss_trailers tr;
	enum ss_action act;
	const struct ss_reviewer *signer; /* NULL when unknown (reported) */
	const struct ss_role *role;       /* the signer's role in the parent's policy */
	const struct ss_policy *pol;      /* the parent's policy; NULL when invalid */
	struct changes ch;
	size_t path_problems; /* changed paths the act may not change */
};

/* Report a problem: the commit (NULL: none), the path (NULL: none), the reason. */
void ss_verify_problem(struct vctx *v, const char *hex, const char *path, const char *fmt, ...)
    SS_PRINTF(4, 5);

/* state.c */
/* An empty map keyed by object ids (copied). 0 or SS_ENOMEM. */
int ss_verify_oid_map(struct ss_map **out);
/* Free every value of m with release (NULL values are skipped), then m. */
void ss_verify_free_map(struct ss_map *m, void (*release)(void *));
/* vctx's maps, empty. 0 or SS_ENOMEM (then release what was made). */
int ss_verify_state_init(struct vctx *v);
void ss_verify_state_release(struct vctx *v);
/* The policy.json at a commit, shared with every other commit that has the
 * same bytes. *out is NULL (and a problem reported) when there is none. */
int ss_verify_load_policy(struct vctx *v, const struct ss_oid *commit, const char *hex,
                          const struct vpol **out);
/* The registry at a commit; on a problem (reported) *out is NULL. */
int ss_verify_load_registry(struct vctx *v, const struct ss_oid *commit, const char *hex,
                            const struct ss_registry **out);
const struct ss_reviewer *ss_verify_find_key(const struct ss_registry *reg,
                                             const unsigned char pk[SS_PUBKEY_LEN]);
const struct ss_reviewer *ss_verify_find_handle(const struct ss_registry *reg, const char *handle);
const struct cstate *ss_verify_state_of(struct vctx *v, const struct ss_oid *commit);
/* The paths changed from `from` (NULL: nothing) to `to`; a failure to read is reported. */
int ss_verify_diff(struct vctx *v, const struct ss_oid *from, const struct ss_oid *to,
                   const char *hex, struct changes *out, bool *ok);
const struct vpath *ss_verify_changed(const struct changes *ch, const char *path);
void ss_verify_changes_release(struct changes *ch);
/* A commit's own tree, with its register and policy. */
struct vtree ss_verify_tree_of(const struct cstate *cs);
/* Reads from a vtree, as ss_git_blob_id, ss_git_read and ss_git_list read a
 * commit's tree (SS_ENOTFOUND when absent). */
int ss_verify_tree_blob(struct vctx *v, const struct vtree *tr, const char *path,
                        struct ss_oid *out);
int ss_verify_tree_read(struct vctx *v, const struct vtree *tr, const char *path, char **data,
                        size_t *len);
int ss_verify_tree_list(struct vctx *v, const struct vtree *tr, const char *dir, char ***names,
                        size_t *n);
/* The register at a vtree, read from its reviewers/ (SS_EDATA and the like
 * when it cannot be read; not reported). */
int ss_verify_tree_registry(struct vctx *v, const struct vtree *tr, const struct ss_registry **out);
/* The policy at a vtree; *out NULL (and a problem reported) when there is none. */
int ss_verify_tree_policy(struct vctx *v, const struct vtree *tr, const char *hex,
                          const struct vpol **out);
/* The policy of a sample's digest: one that was in force somewhere in the
 * trail; NULL when none was. */
const struct vpol *ss_verify_policy_of(struct vctx *v, const char *sha);
/* The sample of a month in a tree: *present false when there is none;
 * *out NULL when it cannot be parsed (reported where it was committed). */
int ss_verify_sample_at(struct vctx *v, const struct vtree *tr, const char *month,
                        const struct ss_sample **out, bool *present);
/* A sample a check has parsed from this blob, kept for ss_verify_sample_at
 * unless one is kept already: *taken says whether s is now the state's (the
 * caller may still read it, but no longer frees it). 0 or SS_ENOMEM. */
int ss_verify_keep_sample(struct vctx *v, const struct ss_oid *blob, struct ss_sample *s,
                          bool *taken);
/* Is the month closed in a tree? CLOSED_NO, CLOSED_YES, CLOSED_BAD (unreadable); or < 0. */
int ss_verify_closed_at(struct vctx *v, const struct vtree *tr, const char *month);
/* No key under two handles: reports each key registered twice in reg. */
void ss_verify_check_keys(struct vctx *v, const char *hex, const struct ss_registry *reg);

/* signers.c */
/* Signatures checked ahead, on a fixed pool of threads (one per core, at most
 * four), while the objects are checked: start the pool, hand it each commit
 * (ss_verify_sigs_add, an ss_walk_fn for ss_git_check_objects_hooked), then
 * finish it before the walk, which takes each result instead of checking the
 * signature itself. Only bytes cross to the threads, never libgit2. */
struct ss_verify_sigs;
int ss_verify_sigs_start(struct ss_verify_sigs **out);
int ss_verify_sigs_add(void *ctx, const struct ss_commit_view *c);
void ss_verify_sigs_finish(struct ss_verify_sigs *s);
void ss_verify_sigs_free(struct ss_verify_sigs *s);
/* Who signed the commit: the reviewer of reg whose key made a good signature
 * over it. NULL (and a problem reported) when nobody registered did. */
const struct ss_reviewer *ss_verify_check_signature(struct vctx *v, const struct ss_commit_view *c,
                                                    const char *hex, const struct ss_registry *reg,
                                                    struct cstate *cs);
/* allowed_signers must be exactly what reviewers/ implies. */
int ss_verify_check_signers(struct vctx *v, const struct ss_oid *commit, const char *hex,
                            const struct ss_registry *reg);

/* checks.c */
/* A file's bytes at a commit; a failure to read it is reported (*data NULL). */
int ss_verify_read_at(struct cc *k, const struct ss_oid *commit, const char *path, char **data,
                      size_t *len);
/* A changed path's new bytes (p from k->ch, not deleted), as ss_verify_read_in
 * reads them in k->after, by the blob the diff found. */
int ss_verify_read_changed(struct cc *k, const struct vpath *p, char **data, size_t *len);
/* The same in a vtree. */
int ss_verify_read_in(struct cc *k, const struct vtree *tr, const char *path, char **data,
                      size_t *len);
/* Who signed, as the register in force before the commit knows them: the
 * reviewer whose key is pk, registered and not removed there, who is the
 * committer. NULL (and a problem reported) otherwise. */
const struct ss_reviewer *ss_verify_signer_in(struct vctx *v, const struct ss_commit_view *c,
                                              const char *hex, const struct ss_registry *reg,
                                              const unsigned char pk[SS_PUBKEY_LEN]);
/* Does the signer's role allow `what`? Reports when it does not. */
bool ss_verify_permitted(struct cc *k, unsigned what, const char *path);
/* May the commit's act make this path's change? */
bool ss_verify_path_allowed(enum ss_action a, const struct vpath *p);
/* A one-parent commit against its parent. */
int ss_verify_check_commit(struct vctx *v, struct cc *k);
/* A one-parent commit against the state it lands on (k->before, k->after,
 * k->ch and k->signer set): every check of its act. */
int ss_verify_check_landing(struct vctx *v, struct cc *k);

/* checks_trail.c */
int ss_verify_check_policy(struct cc *k);
int ss_verify_check_reviewer(struct cc *k, const struct vpath *p);
int ss_verify_check_sample(struct cc *k, const struct vpath *p);

/* checks_month.c */
int ss_verify_check_verdict(struct cc *k, const struct vpath *p);
int ss_verify_check_correction(struct cc *k, const struct vpath *p);
int ss_verify_check_response(struct cc *k, const struct vpath *p);
int ss_verify_check_reveal(struct cc *k, const struct vpath *p);
int ss_verify_check_close(struct cc *k, const char *month);

/* population.c */
/* The import's check of a month's population.jsonl, read as it streams:
 * every record's form, pseudonyms and id. */
int ss_verify_check_import(struct cc *k, const char *month);
/* The population of a month in a tree, with its ids and outcomes at least;
 * *out NULL when absent or not valid. */
int ss_verify_population_at(struct vctx *v, const struct vtree *tr, const char *month,
                            const struct ss_population **out);
/* A sample re-derives from the population and policy of a tree (the policy
 * of its digest, which must have been in force somewhere in the trail);
 * `parsed` is the sample at path when the caller has it, else NULL. */
int ss_verify_rederive(struct cc *k, const struct vtree *tr, const char *path, const char *month,
                       const struct ss_sample *parsed);
/* Frees what vctx.populations keeps of a blob. */
void ss_verify_vpop_free(void *p);
/* The import's read of a population.jsonl blob (every record's form,
 * pseudonyms and id), keeping `fields` of each record (at least
 * ss_verify_import_fields of the policy in force); a function of the blob,
 * made by the walk or ahead of it on a trail handle of its own. SS_EIO and
 * the like when the file cannot be read; one that is not valid is read. */
struct ss_verify_import;
uint32_t ss_verify_import_fields(const struct ss_policy *pol);
int ss_verify_import_read(struct ss_trail *t, const struct ss_oid *blob, const char *path,
                          uint32_t fields, struct ss_verify_import **out);
void ss_verify_import_free(struct ss_verify_import *im);
/* The sample drawn again from the population read, under the policy's
 * bytes (ss_sample_rederive_read). */
int ss_verify_import_draw(const struct ss_verify_import *im, const struct ss_sample *s,
                          const char *policy, size_t len);

/* prefetch.c */
/* Start reading ahead of the walk, from the tip, when there is a core to
 * spare (else nothing happens and the walk reads for itself). */
void ss_verify_prefetch_start(struct vctx *v, const struct ss_oid *tip);
/* Wait for the reads ahead to end; before the walk turns hashing off. */
void ss_verify_prefetch_join(struct vctx *v);
void ss_verify_prefetch_free(struct vctx *v);
/* What was made ahead for these blobs (the caller takes it), else NULL. */
struct ss_verify_import *ss_verify_prefetched_import(struct vctx *v, const struct ss_oid *blob,
                                                     uint32_t fields);
struct ss_sample *ss_verify_prefetched_sample(struct vctx *v, const struct ss_oid *blob);
/* The draw of the sample blob from the population blob under the policy of
 * that digest, when made ahead: true, with *rc its result (its reason set as
 * the error when not 0). */
bool ss_verify_prefetched_draw(struct vctx *v, const struct ss_oid *sample,
                               const struct ss_oid *pop, const char *pol_sha, int *rc);

/* merge.c */
int ss_verify_check_merge(struct vctx *v, struct cc *k);

#endif
