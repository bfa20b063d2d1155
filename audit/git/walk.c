/*
 * walk.c - history: the commits from a tip back to the root (oldest first),
 * the paths that changed between two commits, ancestry and merge bases. The
 * views handed to callbacks are borrowed for the call.
 */
#include "git_int.h"

#include <string.h>

#include "buf.h"
#include "error.h"

int ss_git_walk(struct ss_trail *t, const struct ss_oid *from, ss_walk_fn fn, void *ctx)
{
	git_repository *repo = ss_git_repo(t);
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_buf sig = {NULL, 0, 0}, signed_data = {NULL, 0, 0};
	struct ss_buf armour = SS_BUF_INIT;
	struct ss_oid start;
	git_oid id;
	int rc = 0, err;

	if (from != NULL)
		start = *from;
	else if ((rc = ss_git_tip(t, &start)) < 0)
		goto out;
	to_git(&id, &start);
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, &id) < 0) {
		rc = ss_git_fail(SS_EIO, "cannot walk the audit trail");
		goto out;
	}
	while ((err = git_revwalk_next(&id, walk)) == 0) {
		struct ss_commit_view v;
		const git_signature *a, *cm;
		unsigned int i, np;

		memset(&v, 0, sizeof(v));
		if (git_commit_lookup(&c, repo, &id) < 0) {
			char hex[41];

			ss_git_hex(&id, hex);
			rc = ss_git_fail(SS_EIO, "cannot read commit '%s'", hex);
			goto out;
		}
		from_git(&v.oid, &id);
		np = git_commit_parentcount(c);
		v.nparents_total = np;
		for (i = 0; i < np && i < 2; i++)
			from_git(&v.parents[i], git_commit_parent_id(c, i));
		v.nparents = i;
		a = git_commit_author(c);
		cm = git_commit_committer(c);
		v.author_name = a->name;
		v.author_email = a->email;
		v.author_time = a->when.time;
		v.committer_name = cm->name;
		v.committer_email = cm->email;
		v.commit_time = cm->when.time;
		v.message = git_commit_message(c);
		err = git_commit_extract_signature(&sig, &signed_data, repo, &id, "gpgsig");
		if (err == 0) {
			/* Give the armour back with its final newline, as sign made it
			 * and as git hands it to ssh-keygen. */
			ss_buf_reset(&armour);
			if ((rc = ss_buf_put(&armour, sig.ptr, sig.size)) < 0 ||
			    (sig.size > 0 && sig.ptr[sig.size - 1] != '\n' &&
			     (rc = ss_buf_putc(&armour, '\n')) < 0))
				goto out;
			v.signature = armour.data;
			v.signature_len = armour.len;
			v.signed_data = signed_data.ptr;
			v.signed_data_len = signed_data.size;
		} else if (err != GIT_ENOTFOUND) {
			char hex[41];

			ss_git_hex(&id, hex);
			rc = ss_git_fail(SS_EIO, "cannot read the signature of commit '%s'", hex);
			goto out;
		}
		rc = fn(ctx, &v);
		git_buf_dispose(&sig);
		git_buf_dispose(&signed_data);
		git_commit_free(c);
		c = NULL;
		if (rc != 0)
			goto out;
	}
	if (err != GIT_ITEROVER)
		rc = ss_git_fail(SS_EIO, "cannot walk the audit trail");
out:
	ss_buf_release(&armour);
	git_buf_dispose(&sig);
	git_buf_dispose(&signed_data);
	git_commit_free(c);
	git_revwalk_free(walk);
	return rc;
}

/* ---------------------------------------------------------------- diff */

struct diff_ctx {
	git_repository *repo;
	struct ss_buf path;
	ss_diff_fn fn;
	void *ctx;
};

/* Tree entries in git's order: a directory's name sorts as if it ended in '/'. */
static int entry_cmp(const git_tree_entry *x, const git_tree_entry *y)
{
	const char *a = git_tree_entry_name(x), *b = git_tree_entry_name(y);
	size_t la = strlen(a), lb = strlen(b), n = la < lb ? la : lb;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = n < la ? (unsigned char)a[n]
	            : (git_tree_entry_type(x) == GIT_OBJECT_TREE ? (unsigned char)'/' : 0);
	cb = n < lb ? (unsigned char)b[n]
	            : (git_tree_entry_type(y) == GIT_OBJECT_TREE ? (unsigned char)'/' : 0);
	return (int)ca - (int)cb;
}

static int diff_trees(struct diff_ctx *d, const git_tree *a, const git_tree *b);

/* Report one entry and, for a directory, everything under it. */
static int diff_entry(struct diff_ctx *d, const git_tree_entry *e, int status, bool old_side)
{
	size_t saved = d->path.len;
	int rc;

	if (saved > 0 && (rc = ss_buf_putc(&d->path, '/')) < 0)
		return rc;
	if ((rc = ss_buf_puts(&d->path, git_tree_entry_name(e))) < 0)
		goto out;
	if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		git_tree *sub = NULL;

		if (git_tree_lookup(&sub, d->repo, git_tree_entry_id(e)) < 0) {
			rc = ss_git_fail(SS_EIO, "cannot read directory '%s'", d->path.data);
			goto out;
		}
		rc = old_side ? diff_trees(d, sub, NULL) : diff_trees(d, NULL, sub);
		git_tree_free(sub);
	} else {
		struct ss_path_change c;

		c.path = d->path.data;
		c.status = status;
		rc = d->fn(d->ctx, &c);
	}
out:
	d->path.len = saved;
	d->path.data[saved] = '\0';
	return rc;
}

static int diff_both(struct diff_ctx *d, const git_tree_entry *x, const git_tree_entry *y)
{
	git_tree *ta = NULL, *tb = NULL;
	size_t saved = d->path.len;
	int rc = 0;

	if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) &&
	    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
		return 0;
	if (git_tree_entry_type(x) != GIT_OBJECT_TREE) {
		struct ss_path_change c;

		if ((saved > 0 && (rc = ss_buf_putc(&d->path, '/')) < 0) ||
		    (rc = ss_buf_puts(&d->path, git_tree_entry_name(x))) < 0)
			goto out;
		c.path = d->path.data;
		c.status = SS_PATH_MODIFIED;
		rc = d->fn(d->ctx, &c);
		goto out;
	}
	if ((saved > 0 && (rc = ss_buf_putc(&d->path, '/')) < 0) ||
	    (rc = ss_buf_puts(&d->path, git_tree_entry_name(x))) < 0)
		goto out;
	if (git_tree_lookup(&ta, d->repo, git_tree_entry_id(x)) < 0 ||
	    git_tree_lookup(&tb, d->repo, git_tree_entry_id(y)) < 0) {
		rc = ss_git_fail(SS_EIO, "cannot read directory '%s'", d->path.data);
		goto out;
	}
	rc = diff_trees(d, ta, tb);
out:
	git_tree_free(ta);
	git_tree_free(tb);
	if (d->path.data != NULL) {
		d->path.len = saved;
		d->path.data[saved] = '\0';
	}
	return rc;
}

/* Merge the two sorted entry lists; equal subtrees are skipped by id. */
static int diff_trees(struct diff_ctx *d, const git_tree *a, const git_tree *b)
{
	size_t na = a != NULL ? git_tree_entrycount(a) : 0;
	size_t nb = b != NULL ? git_tree_entrycount(b) : 0;
	size_t i = 0, j = 0;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *x = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *y = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		int c = x == NULL ? 1 : y == NULL ? -1 : entry_cmp(x, y);

		if (c < 0) {
			rc = diff_entry(d, x, SS_PATH_DELETED, true);
			i++;
		} else if (c > 0) {
			rc = diff_entry(d, y, SS_PATH_ADDED, false);
			j++;
		} else {
			rc = diff_both(d, x, y);
			i++;
			j++;
		}
	}
	return rc;
}

int ss_git_diff(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to,
                ss_diff_fn fn, void *ctx)
{
	struct diff_ctx d = {ss_git_repo(t), SS_BUF_INIT, fn, ctx};
	git_tree *a = NULL, *b = NULL;
	int rc = 0;

	if (from != NULL && (rc = ss_git_lookup_tree(d.repo, from, &a)) < 0)
		goto out;
	if ((rc = ss_git_lookup_tree(d.repo, to, &b)) < 0)
		goto out;
	if ((rc = ss_buf_puts(&d.path, "")) < 0)
		goto out;
	rc = diff_trees(&d, a, b);
out:
	ss_buf_release(&d.path);
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

/* ------------------------------------------------------------- history */

int ss_git_is_ancestor(struct ss_trail *t, const struct ss_oid *ancestor,
                       const struct ss_oid *descendant, bool *yes)
{
	git_oid a, d;
	int err;

	*yes = false;
	if (ss_oid_equal(ancestor, descendant)) {
		*yes = true;
		return 0;
	}
	to_git(&a, ancestor);
	to_git(&d, descendant);
	err = git_graph_descendant_of(ss_git_repo(t), &d, &a);
	if (err < 0)
		return ss_git_fail(SS_EIO, "cannot compare commits in the audit trail");
	*yes = err == 1;
	return 0;
}

int ss_git_merge_base(struct ss_trail *t, const struct ss_oid *a, const struct ss_oid *b,
                      struct ss_oid *out)
{
	git_oid ga, gb, base;
	int err;

	to_git(&ga, a);
	to_git(&gb, b);
	err = git_merge_base(&base, ss_git_repo(t), &ga, &gb);
	if (err == GIT_ENOTFOUND)
		return ss_error_set(SS_ENOTFOUND, "the two commits share no history");
	if (err < 0)
		return ss_git_fail(SS_EIO, "cannot find the merge base");
	from_git(out, &base);
	return 0;
}
