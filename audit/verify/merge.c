/*
 * merge.c - a merge is honest only as DESIGN.md section 10 says, and the rule
 * is symmetric, so the result does not depend on which side is first:
 *
 *   - each side's changes are its non-merge commits reachable from it and not
 *     from the other parent, oldest first (any number of merge bases);
 *   - every commit of the second side, replayed in order on the first side's
 *     state, passes every check of its act against the state it lands on (the
 *     same checks the walk runs against a commit's parent: checks.c), and
 *     every commit of the first side on the second side's state; a commit
 *     whose change is already there is skipped;
 *   - the merge's tree is the first side's with the second side's changes
 *     applied, and the second side's with the first side's (allowed_signers
 *     derived, checked against the merged reviewers/);
 *   - every sample whose month either side changed re-derives in the merge;
 *   - the merge is signed by someone registered and not removed on both sides.
 *
 * The sides are found by marking from both parents at once, in the walk's
 * order (a parent is always visited before its children), and stopping as
 * soon as only commits reachable from both are left: linear in the commits
 * since the sides parted, with no ancestry query per commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_int.h"

enum { FROM1 = 1, FROM2 = 2, BOTH = 3, QUEUED = 4 };

/* ------------------------------------------------------------ the sides */

struct clist {
	struct cstate **c;
	size_t n, cap;
};

static int clist_push(struct clist *l, struct cstate *cs)
{
	if (l->n == l->cap) {
		size_t cap = l->cap > 0 ? l->cap * 2 : 64;
		struct cstate **grown = realloc(l->c, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		l->c = grown;
		l->cap = cap;
	}
	l->c[l->n++] = cs;
	return 0;
}

static unsigned *marks(struct vctx *v, struct cstate *cs)
{
	if (cs->mark_gen != v->mark_gen) {
		cs->mark_gen = v->mark_gen;
		cs->mark = 0;
	}
	return &cs->mark;
}

/* A max-heap by walk order: the latest visited commit first. */
static void heap_up(struct clist *h, size_t i)
{
	while (i > 0 && h->c[(i - 1) / 2]->seq < h->c[i]->seq) {
		struct cstate *t = h->c[i];

		h->c[i] = h->c[(i - 1) / 2];
		h->c[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static struct cstate *heap_pop(struct clist *h)
{
	struct cstate *top = h->c[0];
	size_t i = 0;

	h->c[0] = h->c[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct cstate *t;

		if (l < h->n && h->c[l]->seq > h->c[m]->seq)
			m = l;
		if (r < h->n && h->c[r]->seq > h->c[m]->seq)
			m = r;
		if (m == i)
			break;
		t = h->c[i];
		h->c[i] = h->c[m];
		h->c[m] = t;
		i = m;
	}
	return top;
}

static int mark_push(struct vctx *v, struct clist *h, struct cstate *cs, unsigned from)
{
	unsigned *m = marks(v, cs);
	unsigned was = *m;
	int err;

	*m |= from;
	if ((was & QUEUED) || (was & BOTH) == (*m & BOTH))
		return 0;
	*m |= QUEUED;
	if ((err = clist_push(h, cs)) != 0)
		return err;
	heap_up(h, h->n - 1);
	return 0;
}

static bool any_one_sided(const struct clist *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if ((h->c[i]->mark & BOTH) != BOTH)
			return true;
	return false;
}

/* The non-merge commits of each side, oldest first; *shared false when the
 * parents have no commit in common. */
static int find_sides(struct vctx *v, struct cstate *p1, struct cstate *p2, struct clist *side1,
                      struct clist *side2, bool *shared)
{
	struct clist h = {0};
	size_t i;
	int err;

	*shared = false;
	v->mark_gen++;
	if ((err = mark_push(v, &h, p1, FROM1)) != 0 || (err = mark_push(v, &h, p2, FROM2)) != 0)
		goto out;
	while (h.n > 0 && any_one_sided(&h)) {
		struct cstate *x = heap_pop(&h);
		unsigned from = x->mark & BOTH;

		x->mark &= ~(unsigned)QUEUED;
		if (from == BOTH)
			*shared = true;
		else if (x->nparents == 1 &&
		         (err = clist_push(from == FROM1 ? side1 : side2, x)) != 0)
			goto out;
		for (i = 0; i < x->nparents; i++) {
			struct cstate *p = (struct cstate *)ss_verify_state_of(v, &x->parents[i]);

			if (p != NULL && (err = mark_push(v, &h, p, from)) != 0)
				goto out;
		}
	}
	*shared = *shared || h.n > 0;
	/* Popped latest first: turn each side round. */
	for (i = 0; i < side1->n / 2; i++) {
		struct cstate *t = side1->c[i];

		side1->c[i] = side1->c[side1->n - 1 - i];
		side1->c[side1->n - 1 - i] = t;
	}
	for (i = 0; i < side2->n / 2; i++) {
		struct cstate *t = side2->c[i];

		side2->c[i] = side2->c[side2->n - 1 - i];
		side2->c[side2->n - 1 - i] = t;
	}
out:
	free(h.c);
	return err;
}

/* ------------------------------------------------------------ replays */

/* Problems of a replayed commit are the merge's: they name the merge, and
 * say which commit did not hold where. */
struct replay {
	struct vctx *v;
	const char *merge;
	bool second; /* the second side replayed onto the first (else the other way) */
	char commit[41];
	ss_verify_problem_fn fn;
	void *fnctx;
};

static void replay_problem(void *ctx, const char *commit, const char *path, const char *reason)
{
	struct replay *r = ctx;
	char words[2600];

	(void)commit;
	if (r->second)
		snprintf(
		    words, sizeof(words),
		    _("commit %s of the second side does not hold on top of the first side: %s"),
		    r->commit, reason);
	else
		snprintf(
		    words, sizeof(words),
		    _("commit %s of the first side does not hold on top of the second side: %s"),
		    r->commit, reason);
	if (r->fn != NULL)
		r->fn(r->fnctx, r->merge, path, words);
}

static bool same_blob(const struct ss_oid *a, bool pa, const struct ss_oid *b, bool pb)
{
	return pa == pb && (!pa || ss_oid_equal(a, b));
}

/* A path's blob in a tree: *present false when the tree has no such path. */
static int blob_in(struct vctx *v, const struct vtree *tr, const char *path, struct ss_oid *out,
                   bool *present)
{
	int err = ss_verify_tree_blob(v, tr, path, out);

	*present = err == 0;
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		err = 0;
	}
	if (!*present)
		memset(out, 0, sizeof(*out));
	return err;
}

/* Is every change of the commit (ch) already in the tree it lands on? */
static int already_there(struct vctx *v, const struct vtree *land, const struct cstate *xs,
                         const struct changes *ch, bool *yes)
{
	struct vtree own = {0};
	size_t i;
	int err;

	own.base = xs->oid;
	*yes = true;
	for (i = 0; i < ch->n && *yes; i++) {
		struct ss_oid a, b;
		bool pa, pb;

		if (ch->v[i].l.kind == SS_LAYOUT_SIGNERS_FILE)
			continue;
		if ((err = blob_in(v, land, ch->v[i].path, &a, &pa)) != 0 ||
		    (err = blob_in(v, &own, ch->v[i].path, &b, &pb)) != 0)
			return err;
		*yes = same_blob(&a, pa, &b, pb);
	}
	return 0;
}

/*
 * Replay one commit of a side on the state it lands on (land: the other
 * side's tree with this side's earlier commits over it, in `over`), with
 * every check of its act; then lay its changes over.
 */
static int replay_one(struct vctx *v, struct replay *r, struct cstate *xs, struct vtree *land,
                      struct ss_map *over)
{
	const struct csaid *said = xs->said;
	struct ss_commit_view cv;
	union ss_map_value *slot;
	struct cc k;
	bool ok, skip, reviewers = false, policy = false;
	size_t i;
	int err;

	memset(&cv, 0, sizeof(cv));
	memset(&k, 0, sizeof(k));
	cv.oid = xs->oid;
	cv.parents[0] = xs->parents[0];
	cv.nparents = cv.nparents_total = 1;
	cv.author_name = said->who;
	cv.author_email = cv.author_name + strlen(cv.author_name) + 1;
	cv.committer_name = cv.author_email + strlen(cv.author_email) + 1;
	cv.committer_email = cv.committer_name + strlen(cv.committer_name) + 1;
	cv.author_time = cv.commit_time = said->commit_time;
	cv.message = "";
	ss_oid_hex(&xs->oid, r->commit);
	k.v = v;
	k.c = &cv;
	k.hex = r->commit;
	k.tr = said->tr;
	k.act = ss_rules_action(k.tr.action);
	k.replay = true;
	if ((err = ss_verify_diff(v, &xs->parents[0], &xs->oid, k.hex, &k.ch, &ok)) != 0 || !ok)
		goto out;
	if ((err = already_there(v, land, xs, &k.ch, &skip)) != 0 || skip)
		goto out;
	k.before = *land;
	k.after = *land;
	k.after.top = &xs->oid;
	k.after.top_ch = &k.ch;
	for (i = 0; i < k.ch.n; i++) {
		reviewers = reviewers || ss_layout_in_reviewers(k.ch.v[i].path);
		policy = policy || k.ch.v[i].l.kind == SS_LAYOUT_POLICY_FILE;
	}
	if (reviewers) {
		const struct ss_registry *reg = NULL;

		err = ss_verify_tree_registry(v, &k.after, &reg);
		if (err == SS_ENOMEM)
			goto out;
		if (err)
			ss_verify_problem(v, k.hex, SS_LAYOUT_REVIEWERS "/",
			                  _("the register of reviewers cannot be read: %s"),
			                  ss_error_message());
		if (reg != NULL)
			k.after.reg = reg;
		err = 0;
	}
	if (policy) {
		const struct vpol *pol = NULL;

		if ((err = ss_verify_tree_policy(v, &k.after, k.hex, &pol)) != 0)
			goto out;
		if (pol != NULL)
			k.after.pol = pol;
	}
	/* A commit already wrong in itself was reported where it stands. */
	if (!xs->bad) {
		if (xs->has_signer)
			k.signer = ss_verify_signer_in(v, &cv, k.hex, k.before.reg, xs->pk);
		if ((err = ss_verify_check_landing(v, &k)) != 0)
			goto out;
	}
	for (i = 0; i < k.ch.n; i++) {
		if (k.ch.v[i].l.kind == SS_LAYOUT_SIGNERS_FILE)
			continue;
		if ((err = ss_map_puts(over, k.ch.v[i].path, &slot, NULL)) != 0)
			goto out;
		slot->ptr = k.ch.v[i].status == SS_PATH_DELETED ? (void *)&ss_verify_gone : xs;
	}
	land->reg = k.after.reg;
	land->pol = k.after.pol;
out:
	ss_verify_changes_release(&k.ch);
	return err;
}

/* Replay a side (the second when `second`) on the other side's tip; `over`
 * ends as the side's changes. */
static int replay_side(struct vctx *v, struct cc *m, const struct clist *side,
                       const struct cstate *onto, bool second, struct ss_map *over)
{
	struct ss_verify_summary keep = *v->sum;
	struct replay r;
	struct vtree land = ss_verify_tree_of(onto);
	size_t i;
	int err = 0;

	memset(&r, 0, sizeof(r));
	r.v = v;
	r.merge = m->hex;
	r.second = second;
	r.fn = v->fn;
	r.fnctx = v->fnctx;
	land.over = over;
	v->fn = replay_problem;
	v->fnctx = &r;
	for (i = 0; i < side->n && err == 0; i++)
		err = replay_one(v, &r, side->c[i], &land, over);
	v->fn = r.fn;
	v->fnctx = r.fnctx;
	/* The replayed acts were counted where they stand. */
	keep.problems = v->sum->problems;
	keep.signatures = v->sum->signatures;
	*v->sum = keep;
	return err;
}

/* ------------------------------------------------------------ the tree */

/* The merge's tree must be p's with the other side's changes (over: the
 * second side's when `second`) applied. */
static int check_tree(struct vctx *v, struct cc *k, const struct cstate *p,
                      const struct ss_map *over, const struct ss_map *other, bool second,
                      struct ss_map *reported)
{
	struct changes d = {0};
	struct vtree want = ss_verify_tree_of(p), mine = ss_verify_tree_of(k->cs);
	struct ss_map_entry e;
	size_t i, pos = 0;
	bool ok;
	int err;

	want.over = over;
	if ((err = ss_verify_diff(v, &p->oid, &k->c->oid, k->hex, &d, &ok)) != 0 || !ok)
		goto out;
	for (i = 0; err == 0; i++) {
		const char *path;
		struct ss_oid a, b;
		bool pa, pb, added;
		union ss_map_value *slot;

		if (i < d.n)
			path = d.v[i].path;
		else if (ss_map_next(over, &pos, &e))
			path = e.key;
		else
			break;
		if (strcmp(path, SS_LAYOUT_SIGNERS) == 0)
			continue;
		if ((err = blob_in(v, &want, path, &a, &pa)) != 0 ||
		    (err = blob_in(v, &mine, path, &b, &pb)) != 0)
			break;
		if (same_blob(&a, pa, &b, pb))
			continue;
		if ((err = ss_map_puts(reported, path, &slot, &added)) != 0 || !added)
			continue;
		if (ss_map_gets(over, path) != NULL && ss_map_gets(other, path) != NULL)
			ss_verify_problem(v, k->hex, path,
			                  _("both sides of the merge changed this file "
			                    "differently; a merge cannot "
			                    "take both"));
		else if (ss_map_gets(over, path) != NULL)
			ss_verify_problem(
			    v, k->hex, path,
			    second ? _("the merge drops the second side's change to this file")
			           : _("the merge drops the first side's change to this file"));
		else
			ss_verify_problem(v, k->hex, path,
			                  second ? _("the merge changes this file, which the "
			                             "second side did not change")
			                         : _("the merge changes this file, which the first "
			                             "side did not change"));
	}
out:
	ss_verify_changes_release(&d);
	return err;
}

/* Every sample of a month either side changed re-derives in the merge. */
static int check_samples(struct vctx *v, struct cc *k, const struct ss_map *o1,
                         const struct ss_map *o2)
{
	struct ss_map *months = NULL;
	struct vtree mine = ss_verify_tree_of(k->cs);
	const struct ss_map *o[2] = {o1, o2};
	struct ss_map_entry e;
	size_t i, pos;
	int err;

	if ((err = ss_map_new(&months, SS_MAP_COPY_KEYS, NULL)) != 0)
		return err;
	for (i = 0; i < 2 && err == 0; i++)
		for (pos = 0; err == 0 && ss_map_next(o[i], &pos, &e);) {
			struct ss_layout_path l;
			union ss_map_value *slot;

			ss_layout_classify(e.key, &l);
			if (l.month[0] != '\0')
				err = ss_map_puts(months, l.month, &slot, NULL);
		}
	for (pos = 0; err == 0 && ss_map_next(months, &pos, &e);) {
		char path[SS_LAYOUT_PATH_MAX];
		struct ss_oid blob;

		ss_layout_sample(path, sizeof(path), e.key);
		err = ss_verify_tree_blob(v, &mine, path, &blob);
		if (err == SS_ENOTFOUND) {
			ss_error_clear();
			err = 0;
			continue;
		}
		if (err == 0)
			err = ss_verify_rederive(k, &mine, path, e.key, NULL);
	}
	ss_map_free(months);
	return err;
}

/* ------------------------------------------------------------ a merge */

/* The merge's own signer: registered and not removed on both sides. */
static void check_merge_signer(struct vctx *v, struct cc *k, const struct cstate *first,
                               const struct cstate *second)
{
	const struct ss_reviewer *r;

	k->signer = ss_verify_check_signature(v, k->c, k->hex, first->reg, k->cs);
	if (!k->cs->has_signer)
		return;
	r = ss_verify_find_key(second->reg, k->cs->pk);
	if (r == NULL)
		ss_verify_problem(
		    v, k->hex, "",
		    _("the merge is signed by a key the second side never registered"));
	else if (r->removed != NULL)
		ss_verify_problem(v, k->hex, "",
		                  _("the merge is signed by %s, whose registration the second side "
		                    "had removed on %s"),
		                  r->handle, r->removed);
}

int ss_verify_check_merge(struct vctx *v, struct cc *k)
{
	struct cstate *first, *second;
	const struct ss_registry *reg = NULL;
	const struct vpol *pol = NULL;
	struct clist side1 = {0}, side2 = {0};
	struct ss_map *over1 = NULL, *over2 = NULL, *reported = NULL;
	size_t problems = v->sum->problems;
	bool shared;
	int err;

	v->sum->merges++;
	k->cs->seq = ++v->seq;
	if (k->c->nparents_total != 2)
		ss_verify_problem(v, k->hex, "",
		                  _("a merge of %zu histories (a merge joins exactly two)"),
		                  k->c->nparents_total);
	first = (struct cstate *)ss_verify_state_of(v, &k->c->parents[0]);
	second = (struct cstate *)ss_verify_state_of(v, &k->c->parents[1]);
	if (first == NULL || second == NULL) {
		ss_verify_problem(v, k->hex, "",
		                  _("a side of the merge was not part of the checked history"));
		return 0;
	}
	k->parent = first;
	if ((err = ss_verify_load_registry(v, &k->c->oid, k->hex, &reg)) != 0 ||
	    (err = ss_verify_load_policy(v, &k->c->oid, k->hex, &pol)) != 0)
		return err;
	k->cs->reg = reg != NULL ? reg : first->reg;
	k->cs->pol = pol != NULL ? pol : first->pol;
	if ((err = ss_verify_check_signers(v, &k->c->oid, k->hex, k->cs->reg)) != 0)
		return err;
	ss_verify_check_keys(v, k->hex, k->cs->reg);
	check_merge_signer(v, k, first, second);
	if (k->act != SS_ACTION_MERGE)
		ss_verify_problem(v, k->hex, "",
		                  _("a commit with two parents that does not say it is a merge"));
	if (strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	    strcmp(k->c->author_email, k->c->committer_email) != 0)
		ss_verify_problem(v, k->hex, "", _("the author of the merge is not its committer"));
	if ((err = find_sides(v, first, second, &side1, &side2, &shared)) != 0)
		goto out;
	if (!shared) {
		ss_verify_problem(
		    v, k->hex, "",
		    _("the merge joins a history that shares nothing with this trail"));
		goto out;
	}
	if ((err = ss_map_new(&over1, SS_MAP_COPY_KEYS, NULL)) != 0 ||
	    (err = ss_map_new(&over2, SS_MAP_COPY_KEYS, NULL)) != 0 ||
	    (err = ss_map_new(&reported, SS_MAP_COPY_KEYS, NULL)) != 0)
		goto out;
	if ((err = replay_side(v, k, &side2, first, true, over2)) != 0 ||
	    (err = replay_side(v, k, &side1, second, false, over1)) != 0)
		goto out;
	if ((err = check_tree(v, k, first, over2, over1, true, reported)) != 0 ||
	    (err = check_tree(v, k, second, over1, over2, false, reported)) != 0)
		goto out;
	err = check_samples(v, k, over1, over2);
out:
	if (err != 0 && err != SS_ENOMEM) {
		ss_verify_problem(v, k->hex, "", _("the merge cannot be checked: %s"),
		                  ss_error_message());
		err = 0;
	}
	k->cs->bad = v->sum->problems != problems;
	free(side1.c);
	free(side2.c);
	ss_map_free(over1);
	ss_map_free(over2);
	ss_map_free(reported);
	return err;
}
