/*
 * sync.c - DESIGN.md section 11: one trail shared by several sites through
 * an ordinary git remote (the hub).
 *
 * Under the trail's lock throughout: fetch the remote's main into a private
 * ref; check what arrived with verify before using it (the same first
 * commit, the remote still holding the tip last seen there, everything
 * verifying); then fast-forward whichever side is behind, or replay the
 * syncing person's own unpublished commits on top of the remote's tip, or
 * make a signed merge; check the result as verify would; push it with stock
 * git (never forced); only then move main and remember the pushed tip as
 * seen. A push refused because the hub moved starts again from the fetch,
 * with main where it was before (nothing here moves main before a push
 * succeeds, so there is nothing to undo).
 *
 * A conflict (the same file changed on both sides, or an act no longer
 * valid on the other side: a verdict in a month closed there, a correction
 * whose `from` changed, an act by someone removed there) stops the sync
 * with every such act named in words; nothing is pushed and main stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "buf.h"
#include "error.h"
#include "layout.h"
#include "map.h"
#include "month.h"
#include "registry.h"
#include "rules.h"
#include "sync_int.h"
#include "trailers.h"
#include "verify.h"

#define SYNC_ATTEMPTS 5 /* pushes refused because the hub moved, before giving up */

/* ------------------------------------------------------------ results */

static int add_line(char ***v, size_t *n, const char *text)
{
	char **grown = realloc(*v, (*n + 1) * sizeof(**v));

	if (grown == NULL)
		return ss_error_nomem();
	*v = grown;
	if ((grown[*n] = strdup(text)) == NULL)
		return ss_error_nomem();
	(*n)++;
	return 0;
}

void ss_sync_result_release(struct ss_sync_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nconflicts; i++) {
		free(r->conflicts[i].who);
		free(r->conflicts[i].what);
		free(r->conflicts[i].words);
		free(r->conflicts[i].todo);
	}
	free(r->conflicts);
	for (i = 0; i < r->nproblems; i++)
		free(r->problems[i]);
	free(r->problems);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ a commit's change */

void sync_changes_release(struct changes *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int collect(void *ctx, const struct ss_path_change *pc)
{
	struct changes *c = ctx;

	if (strcmp(pc->path, SS_LAYOUT_SIGNERS) == 0)
		return 0; /* derived: rebuilt, never carried over */
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		struct change *grown = realloc(c->v, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		c->v = grown;
		c->cap = cap;
	}
	if ((c->v[c->n].path = strdup(pc->path)) == NULL)
		return ss_error_nomem();
	c->v[c->n].status = (int)pc->status;
	ss_layout_classify(pc->path, &c->v[c->n].l);
	c->n++;
	return 0;
}

/* What a non-merge commit changed against its parent (allowed_signers aside). */
static int commit_changes(struct sync *s, const struct ss_commit_info *ci, struct changes *out)
{
	memset(out, 0, sizeof(*out));
	return ss_git_diff(s->t, ci->nparents > 0 ? &ci->parents[0] : NULL, &ci->oid, collect, out);
}

int sync_same_at(struct sync *s, const struct ss_oid *x, const struct ss_oid *y, const char *path,
                 bool *same)
{
	struct ss_oid a, b;
	int ea = ss_git_blob_id(s->t, x, path, &a), eb = ss_git_blob_id(s->t, y, path, &b);

	if ((ea != 0 && ea != SS_ENOTFOUND) || (eb != 0 && eb != SS_ENOTFOUND))
		return ea != 0 && ea != SS_ENOTFOUND ? ea : eb;
	*same = ea == eb && (ea != 0 || ss_oid_equal(&a, &b));
	return 0;
}

/* Is the commit's whole change already at `at` (a re-run after a crash, or
 * the same act brought by another route)? */
static int already_at(struct sync *s, const struct ss_commit_info *ci, const struct changes *ch,
                      const struct ss_oid *at, bool *yes)
{
	size_t i;
	int rc;

	*yes = ch->n > 0;
	for (i = 0; i < ch->n && *yes; i++)
		if ((rc = sync_same_at(s, &ci->oid, at, ch->v[i].path, yes)) != 0)
			return rc;
	return 0;
}

/* ------------------------------------------------------------ building commits */

static bool has_handle(char **handles, size_t n, const char *h)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(handles[i], h) == 0)
			return true;
	return false;
}

/*
 * allowed_signers for a tree that is base's with the reviewers' files of
 * `handles` taken from `from`: rebuilt from the merged reviewers/.
 */
static int merged_signers(struct sync *s, const struct ss_oid *base, const struct ss_oid *from,
                          char **handles, size_t nh, struct ss_buf *out)
{
	struct ss_registry *rb = NULL, *rf = NULL, merged = {NULL, 0};
	size_t i;
	int rc;

	if ((rc = ss_registry_load(s->t, base, &rb)) != 0 ||
	    (nh > 0 && (rc = ss_registry_load(s->t, from, &rf)) != 0))
		goto out;
	if ((merged.r = calloc(rb->n + (rf != NULL ? rf->n : 0) + 1, sizeof(*merged.r))) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < rb->n; i++)
		if (!has_handle(handles, nh, rb->r[i].handle))
			merged.r[merged.n++] = rb->r[i];
	for (i = 0; rf != NULL && i < rf->n; i++)
		if (has_handle(handles, nh, rf->r[i].handle))
			merged.r[merged.n++] = rf->r[i];
	rc = ss_registry_allowed_signers(&merged, out);
out:
	free(merged.r); /* the reviewers are borrowed from rb and rf */
	ss_registry_free(rb);
	ss_registry_free(rf);
	return rc;
}

/* The files of `from` at the changed paths, as changes (data NULL: removed),
 * plus allowed_signers rebuilt; *handles are the reviewers whose file changed. */
struct built {
	struct ss_change *v;
	size_t n;
	char **data;
	char **handles;
	size_t nh;
	struct ss_buf signers;
};

static void built_release(struct built *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->data[i]);
	free(b->data);
	free(b->v);
	for (i = 0; i < b->nh; i++)
		free(b->handles[i]);
	free(b->handles);
	ss_buf_release(&b->signers);
	memset(b, 0, sizeof(*b));
}

static int build(struct sync *s, const struct changes *ch, const struct ss_oid *from,
                 const struct ss_oid *onto, struct built *b)
{
	size_t i;
	int rc;

	memset(b, 0, sizeof(*b));
	b->signers = (struct ss_buf)SS_BUF_INIT;
	if ((b->v = calloc(ch->n + 1, sizeof(*b->v))) == NULL ||
	    (b->data = calloc(ch->n + 1, sizeof(*b->data))) == NULL ||
	    (b->handles = calloc(ch->n + 1, sizeof(*b->handles))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < ch->n; i++) {
		size_t len = 0;

		rc = ss_git_read(s->t, from, ch->v[i].path, &b->data[b->n], &len);
		if (rc == SS_ENOTFOUND)
			b->data[b->n] = NULL;
		else if (rc)
			return rc;
		b->v[b->n].path = ch->v[i].path;
		b->v[b->n].data = b->data[b->n];
		b->v[b->n].len = len;
		b->n++;
		if (ch->v[i].l.kind == SS_LAYOUT_REVIEWER &&
		    (b->handles[b->nh++] = strdup(ch->v[i].l.handle)) == NULL)
			return ss_error_nomem();
	}
	if ((rc = merged_signers(s, onto, from, b->handles, b->nh, &b->signers)) != 0)
		return rc;
	b->v[b->n].path = SS_LAYOUT_SIGNERS;
	b->v[b->n].data = b->signers.data;
	b->v[b->n].len = b->signers.len;
	b->n++;
	return 0;
}

static int sign_cb(void *ctx, const char *payload, size_t len, char **sig)
{
	return ss_sshsig_sign(ctx, "git", payload, len, sig);
}

static int remember(struct sync *s, const struct ss_oid *made, const struct ss_oid *orig)
{
	if (s->nmade == s->capmade) {
		size_t cap = s->capmade ? s->capmade * 2 : 16;
		struct ss_oid *a = realloc(s->made, cap * sizeof(*a));

		if (a == NULL)
			return ss_error_nomem();
		s->made = a;
		if ((a = realloc(s->orig, cap * sizeof(*a))) == NULL)
			return ss_error_nomem();
		s->orig = a;
		s->capmade = cap;
	}
	s->made[s->nmade] = *made;
	s->orig[s->nmade++] = *orig;
	return 0;
}

/* ------------------------------------------------------------ replay */

/* Are the commits all the syncing person's own, signed by their key, and not merges? */
static int all_mine(struct sync *s, const struct ss_oid *ids, size_t n, bool *yes)
{
	size_t i;
	int rc;

	*yes = true;
	for (i = 0; i < n && *yes; i++) {
		struct ss_commit_info ci;
		unsigned char pk[SS_PUBKEY_LEN];

		if ((rc = ss_git_commit_info(s->t, &ids[i], &ci)) != 0)
			return rc;
		*yes = ci.nparents == 1 && ci.signature != NULL &&
		       ss_sshsig_verify(ci.signature, ci.signature_len, "git", ci.signed_data,
		                        ci.signed_data_len, pk) == 0 &&
		       memcmp(pk, s->w->actor->pk, SS_PUBKEY_LEN) == 0;
		ss_git_commit_info_release(&ci);
	}
	return 0;
}

/*
 * A reveal's access log entry lands as the next number at `land` (DESIGN.md
 * section 11, step 5): *k is its change's index (ch->n when the commit adds
 * none) and path its new name. *present when an entry with the same bytes
 * is already at `land` but was not at the commit's parent (a re-run after a
 * crash, the replay already pushed).
 */
static int renumber_access(struct sync *s, const struct ss_commit_info *ci,
                           const struct changes *ch, const struct ss_oid *land, size_t *k,
                           char path[SS_LAYOUT_PATH_MAX], bool *present)
{
	struct ss_oid mine, there;
	char **names = NULL, p[SS_LAYOUT_PATH_MAX];
	size_t n = 0, i;
	int rc;

	for (*k = 0; *k < ch->n; (*k)++)
		if (ch->v[*k].l.kind == SS_LAYOUT_ACCESS_FILE && ch->v[*k].status == SS_PATH_ADDED)
			break;
	if (*k == ch->n)
		return 0;
	if ((rc = ss_git_blob_id(s->t, &ci->oid, ch->v[*k].path, &mine)) != 0)
		return rc;
	rc = ss_git_list(s->t, land, SS_LAYOUT_ACCESS, &names, &n);
	if (rc == SS_ENOTFOUND) {
		ss_error_clear();
		rc = 0;
		n = 0;
	}
	for (i = 0; rc == 0 && i < n && !*present; i++) {
		bool before = false;

		snprintf(p, sizeof(p), "%s/%s", SS_LAYOUT_ACCESS, names[i]);
		if ((rc = ss_git_blob_id(s->t, land, p, &there)) != 0 ||
		    (rc = sync_same_at(s, &ci->parents[0], land, p, &before)) != 0)
			break;
		*present = ss_oid_equal(&mine, &there) && !before;
	}
	ss_strv_free(names, n);
	if (rc == 0 && !ss_layout_access(path, SS_LAYOUT_PATH_MAX, (unsigned)n + 1))
		rc = ss_error_set(SS_EFAIL, _("the access log is full"));
	return rc;
}

/*
 * Replay the local commits on top of the remote's tip, each checked against
 * the state it lands on, re-signed with the same author and message; a
 * commit whose change is already there is skipped. *out is the new tip (the
 * remote's own when everything was skipped); conflicts are collected.
 */
static int replay(struct sync *s, const struct ss_oid *ids, size_t n, const struct ss_oid *rtip,
                  struct ss_oid *out)
{
	struct ss_oid land = *rtip;
	size_t i;
	int rc = 0;

	for (i = 0; i < n; i++) {
		struct ss_commit_info ci;
		struct changes ch;
		struct built b;
		struct ss_commit_req req;
		bool present = false, ok = true;
		struct ss_oid made;
		char access[SS_LAYOUT_PATH_MAX];
		size_t ak = 0;

		memset(&b, 0, sizeof(b));
		if ((rc = ss_git_commit_info(s->t, &ids[i], &ci)) != 0)
			return rc;
		if ((rc = commit_changes(s, &ci, &ch)) != 0 ||
		    (rc = already_at(s, &ci, &ch, &land, &present)) != 0 ||
		    (!present &&
		     (rc = renumber_access(s, &ci, &ch, &land, &ak, access, &present)) != 0))
			goto next;
		if (present) {
			s->res->skipped++;
			goto next;
		}
		if ((rc = sync_check_act(s, &ci, &ch, &land, &ci.parents[0], NULL, false, &ok)) !=
		        0 ||
		    !ok || s->res->nconflicts > 0)
			goto next; /* keep checking the rest, to name every conflict */
		if ((rc = build(s, &ch, &ci.oid, &land, &b)) != 0)
			goto next;
		if (ak < ch.n)
			b.v[ak].path = access; /* build keeps ch's order */
		memset(&req, 0, sizeof(req));
		req.author.name = ci.author_name;
		req.author.email = ci.author_email;
		req.author_when = ci.author_time;
		req.committer.name = s->w->actor->name;
		req.committer.email = s->w->actor->email;
		req.when = s->w->now;
		req.message = ci.message;
		req.changes = b.v;
		req.nchanges = b.n;
		if ((rc = ss_git_commit_write(s->t, &land, 1, &req, sign_cb, s->w->key, &made)) !=
		        0 ||
		    (rc = remember(s, &made, &ci.oid)) != 0)
			goto next;
		land = made;
		s->res->replayed++;
	next:
		built_release(&b);
		sync_changes_release(&ch);
		ss_git_commit_info_release(&ci);
		if (rc)
			return rc;
	}
	*out = land;
	return 0;
}

/* ------------------------------------------------------------ merge */

/* The paths the non-merge commits of a side changed, each once. */
static int side_paths(struct sync *s, const struct ss_oid *ids, size_t n, struct changes *out)
{
	struct ss_map *seen = NULL;
	size_t i, j;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = ss_map_new(&seen, SS_MAP_COPY_KEYS, NULL)) != 0)
		return rc;
	for (i = 0; i < n && rc == 0; i++) {
		struct ss_commit_info ci;
		struct changes ch;

		if ((rc = ss_git_commit_info(s->t, &ids[i], &ci)) != 0)
			break;
		if (ci.nparents == 1 && (rc = commit_changes(s, &ci, &ch)) == 0) {
			for (j = 0; j < ch.n && rc == 0; j++) {
				union ss_map_value *slot;
				bool added = false;
				struct ss_path_change pc;

				rc = ss_map_put(seen, ch.v[j].path, strlen(ch.v[j].path), &slot,
				                &added);
				if (rc == 0 && added) {
					pc.path = ch.v[j].path;
					pc.status = ch.v[j].status;
					rc = collect(out, &pc);
				}
			}
			sync_changes_release(&ch);
		}
		ss_git_commit_info_release(&ci);
	}
	ss_map_free(seen);
	return rc;
}

/* Check each act of one side against the other side's tip (other: the
 * paths that side changed). With clash set, name instead each act that
 * changed one of the paths in clash (changed differently on both sides). */
static int check_side(struct sync *s, const struct ss_oid *ids, size_t n, const struct ss_oid *tip,
                      const struct changes *other, const struct changes *clash, bool elsewhere)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		struct ss_commit_info ci;
		struct changes ch;
		bool present = false, ok;

		if ((rc = ss_git_commit_info(s->t, &ids[i], &ci)) != 0)
			break;
		memset(&ch, 0, sizeof(ch));
		if (ci.nparents == 1 && (rc = commit_changes(s, &ci, &ch)) == 0 &&
		    (rc = already_at(s, &ci, &ch, tip, &present)) == 0 && !present) {
			if (clash == NULL) {
				rc = sync_check_act(s, &ci, &ch, tip, &ci.parents[0], other,
				                    elsewhere, &ok);
			} else if (!sync_named(s, &ci.oid)) {
				size_t j, k;
				char why[512];

				for (j = 0; j < ch.n && rc == 0; j++)
					for (k = 0; k < clash->n; k++)
						if (strcmp(ch.v[j].path, clash->v[k].path) == 0) {
							snprintf(
							    why, sizeof(why),
							    "the same file (%s) was changed at "
							    "another site",
							    ch.v[j].path);
							rc = sync_conflict(s, &ci, WHY_PATH, why,
							                   elsewhere);
							j = ch.n;
							break;
						}
			}
		}
		sync_changes_release(&ch);
		ss_git_commit_info_release(&ci);
	}
	return rc;
}

static int merge(struct sync *s, const struct ss_oid *local, const struct ss_oid *rtip,
                 struct ss_oid *out)
{
	struct ss_oid *lside = NULL, *rside = NULL, parents[2];
	size_t nl = 0, nr = 0, i;
	struct changes rpaths = {0}, lpaths = {0}, clash = {0}, diff = {0};
	struct built b;
	struct ss_commit_req req;
	struct ss_trailers_msg msg;
	char *text = NULL, subject[160];
	int rc;

	memset(&b, 0, sizeof(b));
	if ((rc = ss_git_commits_between(s->t, local, rtip, 1, &lside, &nl)) != 0 ||
	    (rc = ss_git_commits_between(s->t, rtip, local, 1, &rside, &nr)) != 0 ||
	    (rc = side_paths(s, lside, nl, &lpaths)) != 0 ||
	    (rc = side_paths(s, rside, nr, &rpaths)) != 0 ||
	    (rc = check_side(s, lside, nl, rtip, &rpaths, NULL, false)) != 0 ||
	    (rc = check_side(s, rside, nr, local, &lpaths, NULL, true)) != 0)
		goto out;
	/* A file both sides changed must end the same on both. */
	for (i = 0; i < lpaths.n; i++) {
		size_t j;
		bool same = true;
		struct ss_path_change pc;

		for (j = 0; j < rpaths.n; j++)
			if (strcmp(lpaths.v[i].path, rpaths.v[j].path) == 0)
				break;
		if (j == rpaths.n)
			continue;
		if ((rc = sync_same_at(s, local, rtip, lpaths.v[i].path, &same)) != 0)
			goto out;
		pc.path = lpaths.v[i].path;
		pc.status = lpaths.v[i].status;
		if (!same && (rc = collect(&clash, &pc)) != 0)
			goto out;
	}
	if (clash.n > 0 && (rc = check_side(s, lside, nl, rtip, NULL, &clash, false)) != 0)
		goto out;
	if (s->res->nconflicts > 0)
		goto out;
	/* The merged tree: ours, with every file the remote side changed taken
	 * from the remote's tip where the two differ. */
	for (i = 0; i < rpaths.n; i++) {
		bool same = true;
		struct ss_path_change pc;

		if ((rc = sync_same_at(s, local, rtip, rpaths.v[i].path, &same)) != 0)
			goto out;
		pc.path = rpaths.v[i].path;
		pc.status = rpaths.v[i].status;
		if (!same && (rc = collect(&diff, &pc)) != 0)
			goto out;
	}
	if ((rc = build(s, &diff, rtip, local, &b)) != 0)
		goto out;
	snprintf(subject, sizeof(subject), "merge: %s's main by %s", s->remote, s->w->handle);
	memset(&msg, 0, sizeof(msg));
	msg.action = SS_ACTION_MERGE;
	msg.subject = subject;
	msg.body = "Joins what another site recorded with what was recorded here, as "
	           "`ssaudit sync` does when both have new acts.";
	if ((text = ss_trailers_message(&msg, s->w->clock_fixed)) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	memset(&req, 0, sizeof(req));
	req.author.name = req.committer.name = s->w->actor->name;
	req.author.email = req.committer.email = s->w->actor->email;
	req.when = s->w->now;
	req.message = text;
	req.changes = b.v;
	req.nchanges = b.n;
	parents[0] = *local;
	parents[1] = *rtip;
	if ((rc = ss_git_commit_write(s->t, parents, 2, &req, sign_cb, s->w->key, out)) != 0)
		goto out;
	s->res->merged = true;
out:
	free(text);
	built_release(&b);
	sync_changes_release(&rpaths);
	sync_changes_release(&lpaths);
	sync_changes_release(&clash);
	sync_changes_release(&diff);
	free(lside);
	free(rside);
	return rc;
}

/* ------------------------------------------------------------ checks with verify */

struct vcollect {
	struct sync *s;
	bool made; /* problems in what this sync made (else: in what arrived) */
	int rc;
};

static void on_problem(void *ctx, const char *commit, const char *path, const char *reason)
{
	struct vcollect *v = ctx;
	struct sync *s = v->s;
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	if (v->rc != 0)
		return;
	if (v->made) {
		struct ss_oid id;

		for (i = 0; i < s->nmade; i++) {
			char hex[41];

			ss_oid_hex(&s->made[i], hex);
			if (strcmp(hex, commit) == 0)
				break;
		}
		if (i < s->nmade || ss_oid_parse(commit, &id) == 0) {
			struct ss_commit_info ci;

			id = i < s->nmade ? s->orig[i] : id;
			if (ss_git_commit_info(s->t, &id, &ci) == 0) {
				v->rc = sync_conflict(s, &ci, WHY_VERIFY, reason, false);
				ss_git_commit_info_release(&ci);
				return;
			}
		}
	}
	if (ss_buf_printf(&b, "commit %s%s%s: %s", *commit ? commit : "(none)", *path ? " " : "",
	                  path, reason) == 0 &&
	    b.data != NULL)
		v->rc = add_line(&s->res->problems, &s->res->nproblems, b.data);
	ss_buf_release(&b);
}

/* Does the history up to tip verify, from this trail's first commit? */
static int check_tip(struct sync *s, const struct ss_oid *tip, bool made)
{
	struct ss_verify_opts o;
	struct ss_verify_summary sum;
	struct vcollect v = {s, made, 0};
	char hex[41];
	int rc;

	ss_oid_hex(tip, hex);
	memset(&o, 0, sizeof(o));
	o.tip = hex;
	o.root = s->root;
	rc = ss_verify_run(s->t, &o, on_problem, &v, &sum);
	ss_verify_summary_release(&sum);
	if (v.rc != 0)
		return v.rc;
	return rc;
}

/* ------------------------------------------------------------ the steps */

/* Put the private ref back as it was before the fetch (nothing changed). */
static void restore_ref(struct sync *s, const struct ss_oid *old, bool had)
{
	if (had)
		ss_git_ref_write(s->t, s->rref, old);
	else
		ss_git_ref_delete(s->t, s->rref);
}

/* Push tip, then move main to it and remember it as seen. */
static int publish(struct sync *s, const struct ss_oid *tip)
{
	int rc;

	if ((rc = ss_git_push_main(s->t, s->remote, tip)) != 0)
		return rc;
	s->res->pushed = true;
	if (!ss_oid_equal(tip, &s->pre) && (rc = ss_git_set_main(s->t, &s->pre, tip)) != 0)
		return rc;
	if ((rc = ss_git_ref_write(s->t, s->rref, tip)) != 0 ||
	    (rc = ss_git_ref_write(s->t, s->sref, tip)) != 0)
		return rc;
	ss_oid_hex(tip, s->res->tip);
	return 0;
}

/* One attempt: fetch, check, then the first of the steps that applies. */
static int attempt(struct sync *s)
{
	struct ss_oid rtip, old, seen, made, *ids = NULL, *hide = NULL, *seens = NULL;
	size_t nids = 0, nbeyond = 0, nseen = 0;
	bool had_old, had_seen, absent = false, yes = false, mine = false;
	int rc;

	had_old = ss_git_ref_read(s->t, s->rref, &old) == 0;
	had_seen = ss_git_ref_read(s->t, s->sref, &seen) == 0;
	if ((rc = ss_git_fetch_main(s->t, s->remote, s->rref, &absent)) != 0)
		return rc;
	if (absent) {
		if (had_seen)
			return ss_error_set(
			    SS_EFAIL,
			    _("the remote '%s' no longer has the trail this site last "
			      "saw there: its history was deleted or rewritten. Nothing "
			      "was changed here; ask whoever runs it to restore it"),
			    s->remote);
		/* An empty hub: this site's trail starts it. */
		if ((rc = check_tip(s, &s->pre, true)) != 0)
			return rc;
		s->res->done = SS_SYNC_PUSHED;
		return publish(s, &s->pre);
	}
	if ((rc = ss_git_ref_read(s->t, s->rref, &rtip)) != 0)
		return rc;
	ss_oid_hex(&rtip, s->res->remote_tip);
	/* The tip last seen there must still be in the remote's history. */
	if (had_seen && ((rc = ss_git_is_ancestor(s->t, &seen, &rtip, &yes)) != 0 || !yes)) {
		restore_ref(s, &old, had_old);
		if (rc)
			return rc;
		s->res->done = SS_SYNC_REWRITTEN;
		return ss_error_set(
		    SS_EFAIL,
		    _("the history at '%s' was rewritten: it no longer holds what "
		      "this site last saw there. Nothing was changed here; tell the "
		      "coordinator, and do not sync with it until the hub is restored"),
		    s->remote);
	}
	if (ss_oid_equal(&rtip, &s->pre)) {
		s->res->done = SS_SYNC_UP_TO_DATE;
		ss_oid_hex(&rtip, s->res->tip);
		return ss_git_ref_write(s->t, s->sref, &rtip);
	}
	/* What arrived, checked before anything uses it. */
	if ((rc = ss_git_is_ancestor(s->t, &rtip, &s->pre, &yes)) != 0)
		return rc;
	if (!yes && !(had_seen && ss_oid_equal(&seen, &rtip))) {
		struct ss_oid base;

		if ((rc = ss_git_merge_base(s->t, &rtip, &s->pre, &base)) != 0) {
			restore_ref(s, &old, had_old);
			s->res->done = SS_SYNC_REFUSED;
			return rc == SS_ENOTFOUND
			           ? ss_error_set(
			                 SS_EFAIL,
			                 _("the remote '%s' holds another trail, which shares "
			                   "nothing with this one. Nothing was changed here"),
			                 s->remote)
			           : rc;
		}
		if ((rc = check_tip(s, &rtip, false)) != 0) {
			restore_ref(s, &old, had_old);
			if (rc == SS_EFAIL) {
				s->res->done = SS_SYNC_REFUSED;
				return ss_error_set(
				    SS_EFAIL,
				    _("what the remote '%s' holds does not verify (%zu "
				      "problem%s, listed below). Nothing was changed here; "
				      "tell the coordinator"),
				    s->remote, s->res->nproblems,
				    s->res->nproblems == 1 ? "" : "s");
			}
			return rc;
		}
	}
	if (yes) { /* the remote is behind: send what it lacks */
		if ((rc = check_tip(s, &s->pre, true)) != 0)
			return rc;
		s->res->done = SS_SYNC_PUSHED;
		return publish(s, &s->pre);
	}
	if ((rc = ss_git_is_ancestor(s->t, &s->pre, &rtip, &yes)) != 0)
		return rc;
	if (yes) { /* this site is behind: fast-forward */
		if ((rc = ss_git_set_main(s->t, &s->pre, &rtip)) != 0 ||
		    (rc = ss_git_ref_write(s->t, s->sref, &rtip)) != 0)
			return rc;
		s->res->done = SS_SYNC_FAST_FORWARD;
		s->res->fast_forward = true;
		ss_oid_hex(&rtip, s->res->tip);
		return 0;
	}
	/* Both have moved: replay our own unpublished commits, or merge. */
	if ((rc = ss_git_ref_list(s->t, "refs/ssaudit/seen/", &seens, &nseen)) != 0)
		goto out;
	if ((hide = calloc(nseen + 1, sizeof(*hide))) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	hide[0] = rtip;
	if (nseen > 0)
		memcpy(hide + 1, seens, nseen * sizeof(*hide));
	if ((rc = ss_git_commits_between(s->t, &s->pre, hide, 1, &ids, &nbeyond)) != 0)
		goto out;
	free(ids);
	ids = NULL;
	if ((rc = ss_git_commits_between(s->t, &s->pre, hide, nseen + 1, &ids, &nids)) != 0 ||
	    (rc = all_mine(s, ids, nids, &mine)) != 0)
		goto out;
	s->nmade = 0;
	if (mine && nids == nbeyond) {
		s->res->done = SS_SYNC_REPLAYED;
		rc = replay(s, ids, nids, &rtip, &made);
	} else {
		s->res->done = SS_SYNC_MERGED;
		rc = merge(s, &s->pre, &rtip, &made);
	}
	if (rc)
		goto out;
	if (s->res->nconflicts > 0) {
		s->res->done = SS_SYNC_CONFLICT;
		rc =
		    ss_error_set(SS_EFAIL,
		                 _("%zu act%s recorded here cannot join what the remote '%s' holds "
		                   "(listed below). Nothing was sent, and they stay here"),
		                 s->res->nconflicts, s->res->nconflicts == 1 ? "" : "s", s->remote);
		goto out;
	}
	if (ss_oid_equal(&made, &rtip)) { /* everything was there already */
		if ((rc = ss_git_set_main(s->t, &s->pre, &rtip)) != 0 ||
		    (rc = ss_git_ref_write(s->t, s->sref, &rtip)) != 0)
			goto out;
		s->res->done = SS_SYNC_FAST_FORWARD;
		s->res->fast_forward = true;
		ss_oid_hex(&rtip, s->res->tip);
		goto out;
	}
	rc = check_tip(s, &made, true);
	if (rc == SS_EFAIL || s->res->nconflicts > 0) {
		s->res->done = SS_SYNC_CONFLICT;
		rc = ss_error_set(SS_EFAIL,
		                  _("what this site would send does not verify on top of what the "
		                    "remote '%s' holds (listed below). Nothing was sent"),
		                  s->remote);
		goto out;
	}
	if (rc == 0)
		rc = publish(s, &made);
out:
	free(ids);
	free(hide);
	free(seens);
	return rc;
}

int ss_act_sync(struct ss_writer *w, const char *remote, struct ss_sync_result *res)
{
	struct sync s;
	struct ss_oid root;
	char *name = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&s, 0, sizeof(s));
	s.w = w;
	s.t = w->trail;
	s.res = res;
	if ((rc = ss_git_remote_pick(s.t, remote, &name)) != 0)
		return rc;
	s.remote = name;
	snprintf(res->remote, sizeof(res->remote), "%s", name);
	snprintf(s.rref, sizeof(s.rref), "refs/ssaudit/remote/%s/main", name);
	snprintf(s.sref, sizeof(s.sref), "refs/ssaudit/seen/%s", name);
	if ((rc = ss_git_root(s.t, &w->tip, &root)) != 0)
		goto out;
	ss_oid_hex(&root, s.root);
	s.pre = w->tip;
	for (res->attempts = 1;; res->attempts++) {
		rc = attempt(&s);
		if (rc != SS_EBUSY || res->pushed)
			break;
		/* The remote moved between our fetch and our push: drop what was
		 * made (unreferenced objects) and start again from the fetch. */
		res->replayed = res->skipped = 0;
		res->merged = false;
		if (res->attempts == SYNC_ATTEMPTS) {
			rc =
			    ss_error_set(SS_EBUSY,
			                 _("the remote '%s' kept moving while this site synced (%u "
			                   "tries); nothing was sent: sync again in a moment"),
			                 name, res->attempts);
			break;
		}
	}
	if (rc == 0 && ss_git_tip(s.t, &w->tip) != 0)
		rc = ss_error_set(SS_EIO, _("cannot read main after syncing"));
out:
	free(s.made);
	free(s.orig);
	free(name);
	return rc;
}
