/*
 * merge.c - a merge joins two sides honestly: its tree is the first side plus
 * what the second changed since they parted, and the second side's commits
 * are signed by keys the first side still trusts.
 */
#include <stdlib.h>
#include <string.h>

#include "verify_int.h"

/* ------------------------------------------------------------ merges */

static int blob_of(struct vctx *v, const struct ss_oid *commit, const char *path,
                   struct ss_oid *out, bool *present)
{
	int err = ss_git_blob_id(v->t, commit, path, out);

	*present = err == 0;
	if (err == SS_ENOTFOUND)
		err = 0;
	if (!*present)
		memset(out, 0, sizeof(*out));
	return err;
}

static bool same_blob(struct vctx *v, const struct ss_oid *x, const struct ss_oid *y,
                      const char *path, int *err)
{
	struct ss_oid a, b;
	bool pa, pb;

	if ((*err = blob_of(v, x, path, &a, &pa)) != 0 ||
	    (*err = blob_of(v, y, path, &b, &pb)) != 0)
		return false;
	return pa == pb && (!pa || ss_oid_equal(&a, &b));
}

/* Commits only the second side has must be signed by keys the first side still trusts. */
static int check_second_side(struct vctx *v, struct cc *k, const struct cstate *first)
{
	struct ss_map *seen = NULL;
	union ss_map_value *slot;
	struct ss_oid *stack = NULL;
	size_t n = 0, cap = 0, i;
	bool added;
	int err = 0;

	if ((err = ss_verify_oid_map(&seen)) != 0)
		return err;
	if ((stack = malloc(sizeof(*stack) * (cap = 64))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	stack[n++] = k->c->parents[1];
	while (n > 0) {
		struct ss_oid x = stack[--n];
		const struct cstate *cs;
		const struct ss_reviewer *r;
		bool shared;
		char hex[41];

		if ((err = ss_map_put(seen, x.id, sizeof(x.id), &slot, &added)) != 0)
			goto out;
		if (!added)
			continue;
		if ((err = ss_git_is_ancestor(v->t, &x, &k->c->parents[0], &shared)) != 0)
			goto out;
		if (shared || (cs = ss_verify_state_of(v, &x)) == NULL)
			continue;
		ss_oid_hex(&x, hex);
		if (cs->has_signer) {
			r = ss_verify_find_key(first->reg, cs->pk);
			if (r != NULL && r->removed != NULL)
				ss_verify_problem(
				    v, hex, "",
				    "merged in by %s, but signed by %s, whose registration the "
				    "first "
				    "side had removed on %s",
				    k->hex, r->handle, r->removed);
			else if (r == NULL && ss_verify_find_key(k->cs->reg, cs->pk) == NULL)
				ss_verify_problem(
				    v, hex, "",
				    "merged in by %s, but signed by a key the first side never "
				    "registered",
				    k->hex);
		}
		for (i = 0; i < cs->nparents; i++) {
			if (n == cap) {
				struct ss_oid *grown = realloc(stack, sizeof(*stack) * (cap *= 2));

				if (grown == NULL) {
					err = ss_error_nomem();
					goto out;
				}
				stack = grown;
			}
			stack[n++] = cs->parents[i];
		}
	}
out:
	free(stack);
	ss_map_free(seen);
	return err;
}

/*
 * A merge joins two sides: its tree is the first side plus every path the
 * second side changed since they parted, and no path changed on both.
 */
int ss_verify_check_merge(struct vctx *v, struct cc *k)
{
	const struct cstate *first, *second;
	const struct ss_registry *reg = NULL;
	const struct vpol *pol = NULL;
	struct changes a = {0}, b = {0}, d = {0};
	struct ss_oid base;
	const struct ss_oid *p1 = &k->c->parents[0], *p2 = &k->c->parents[1];
	bool ok;
	size_t i;
	int err;

	v->sum->merges++;
	if (k->c->nparents_total != 2)
		ss_verify_problem(v, k->hex, "",
		                  "a merge of %zu histories (a merge joins exactly two)",
		                  k->c->nparents_total);
	first = ss_verify_state_of(v, p1);
	second = ss_verify_state_of(v, p2);
	if (first == NULL || second == NULL) {
		ss_verify_problem(v, k->hex, "",
		                  "a side of the merge was not part of the checked history");
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
	k->signer = ss_verify_check_signature(v, k->c, k->hex, first->reg, k->cs);
	if (k->act != SS_ACTION_MERGE)
		ss_verify_problem(v, k->hex, "",
		                  "a commit with two parents that does not say it is a merge");
	if (strcmp(k->c->author_name, k->c->committer_name) != 0 ||
	    strcmp(k->c->author_email, k->c->committer_email) != 0)
		ss_verify_problem(v, k->hex, "", "the author of the merge is not its committer");
	err = ss_git_merge_base(v->t, p1, p2, &base);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(v, k->hex, "",
		                  "the merge joins a history that shares nothing with this trail");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM
		           ? err
		           : (ss_verify_problem(v, k->hex, "", "%s", ss_error_message()), 0);
	if ((err = ss_verify_diff(v, &base, p1, k->hex, &a, &ok)) != 0 || !ok ||
	    (err = ss_verify_diff(v, &base, p2, k->hex, &b, &ok)) != 0 || !ok ||
	    (err = ss_verify_diff(v, p1, &k->c->oid, k->hex, &d, &ok)) != 0 || !ok)
		goto out;
	for (i = 0; i < b.n; i++) {
		const char *path = b.v[i].path;

		if (b.v[i].l.kind == SS_LAYOUT_SIGNERS_FILE)
			continue;
		if (ss_verify_changed(&a, path) != NULL && !same_blob(v, p1, p2, path, &err) &&
		    err == 0) {
			ss_verify_problem(
			    v, k->hex, path,
			    "both sides of the merge changed this file differently; a merge cannot "
			    "take both");
			continue;
		}
		if (err)
			goto out;
		if (ss_verify_changed(&d, path) != NULL) {
			if (!same_blob(v, &k->c->oid, p2, path, &err) && err == 0)
				ss_verify_problem(
				    v, k->hex, path,
				    "the merge does not take the second side's version of this "
				    "file");
		} else if (!same_blob(v, p1, p2, path, &err) && err == 0) {
			ss_verify_problem(v, k->hex, path,
			                  "the merge drops the second side's change to this file");
		}
		if (err)
			goto out;
	}
	for (i = 0; i < d.n; i++)
		if (d.v[i].l.kind != SS_LAYOUT_SIGNERS_FILE &&
		    ss_verify_changed(&b, d.v[i].path) == NULL)
			ss_verify_problem(
			    v, k->hex, d.v[i].path,
			    "the merge changes this file, which the second side did not change");
	err = check_second_side(v, k, first);
out:
	if (err != 0 && err != SS_ENOMEM) {
		ss_verify_problem(v, k->hex, "", "the merge cannot be checked: %s",
		                  ss_error_message());
		err = 0;
	}
	ss_verify_changes_release(&a);
	ss_verify_changes_release(&b);
	ss_verify_changes_release(&d);
	return err;
}
