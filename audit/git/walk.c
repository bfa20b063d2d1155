/*
 * walk.c - history: the commits from a tip back to the root (oldest first),
 * the paths that changed between two commits, ancestry and merge bases. The
 * views handed to callbacks are borrowed for the call.
 */
#include "git_int.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

/* The signature and the signed bytes of a raw commit, split as git splits
 * them (parse.c): the armour with each continuation line's leading space
 * dropped and a final newline, as git hands it to ssh-keygen. */
int ss_git_split_commit(const char *raw, size_t len, struct ss_commit_view *v,
                        struct ss_buf *armour, struct ss_buf *payload)
{
	struct ss_git_sigsplit sp;
	const char *p;
	int rc;

	ss_buf_reset(armour);
	ss_buf_reset(payload);
	if (!ss_git_split_signature(raw, len, &sp)) {
		v->signature_problem = sp.problem;
		return 0;
	}
	for (p = sp.sig[0]; p < sp.sig[1]; p++) {
		if (p > sp.sig[0] && p[-1] == '\n' && *p == ' ')
			continue;
		if ((rc = ss_buf_putc(armour, *p)) < 0)
			return rc;
	}
	if ((armour->len == 0 || armour->data[armour->len - 1] != '\n') &&
	    (rc = ss_buf_putc(armour, '\n')) < 0)
		return rc;
	if ((rc = ss_buf_put(payload, raw, (size_t)(sp.before - raw))) < 0 ||
	    (rc = ss_buf_put(payload, sp.after, (size_t)(raw + len - sp.after))) < 0)
		return rc;
	v->signature = armour->data;
	v->signature_len = armour->len;
	v->signed_data = payload->data;
	v->signed_data_len = payload->len;
	return 0;
}

static int walk_sorted(struct ss_trail *t, const struct ss_oid *from, unsigned sorting,
                       ss_walk_fn fn, void *ctx)
{
	git_repository *repo = ss_git_repo(t);
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_odb *odb = NULL;
	git_odb_object *raw = NULL;
	struct ss_buf armour = SS_BUF_INIT, payload = SS_BUF_INIT;
	struct ss_oid start;
	git_oid id;
	int rc = 0, err;

	if (from != NULL)
		start = *from;
	else if ((rc = ss_git_tip(t, &start)) < 0)
		goto out;
	to_git(&id, &start);
	if (git_repository_odb(&odb, repo) < 0 || git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, sorting) < 0 || git_revwalk_push(walk, &id) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot walk the audit trail"));
		goto out;
	}
	while ((err = git_revwalk_next(&id, walk)) == 0) {
		struct ss_commit_view v;
		const git_signature *a, *cm;
		unsigned int i, np;

		memset(&v, 0, sizeof(v));
		if (git_commit_lookup(&c, repo, &id) < 0 || git_odb_read(&raw, odb, &id) < 0) {
			char hex[41];

			ss_git_hex(&id, hex);
			rc = ss_git_fail(SS_EIO, _("cannot read commit '%s'"), hex);
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
		if ((rc = ss_git_split_commit(git_odb_object_data(raw), git_odb_object_size(raw),
		                              &v, &armour, &payload)) < 0)
			goto out;
		rc = fn(ctx, &v);
		git_odb_object_free(raw);
		raw = NULL;
		git_commit_free(c);
		c = NULL;
		if (rc != 0)
			goto out;
	}
	if (err != GIT_ITEROVER)
		rc = ss_git_fail(SS_EIO, _("cannot walk the audit trail"));
out:
	ss_buf_release(&armour);
	ss_buf_release(&payload);
	git_odb_object_free(raw);
	git_commit_free(c);
	git_revwalk_free(walk);
	git_odb_free(odb);
	return rc;
}

int ss_git_walk(struct ss_trail *t, const struct ss_oid *from, ss_walk_fn fn, void *ctx)
{
	return walk_sorted(t, from, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE, fn, ctx);
}

/* By commit time alone, libgit2 walks as it goes: a caller that stops early
 * reads only the newest commits. */
int ss_git_walk_newest(struct ss_trail *t, const struct ss_oid *from, ss_walk_fn fn, void *ctx)
{
	return walk_sorted(t, from, GIT_SORT_TIME, fn, ctx);
}

/* ---------------------------------------------------------------- diff */

/* One pair of directories being compared; the walk keeps a stack of them
 * instead of recursing, so no depth of tree can exhaust the C stack. */
struct diff_frame {
	git_tree *a, *b; /* NULL: the directory is absent on that side */
	size_t i, j;     /* the next entries of a and b */
	size_t saved;    /* the path's length before this directory's name */
};

struct diff_ctx {
	git_repository *repo;
	struct ss_buf path;
	ss_diff_fn fn;
	void *ctx;
	struct diff_frame *stack;
	size_t n, cap;
	struct ss_trail *t;
	git_tree *kept[SS_GIT_KEPT_MAX]; /* this diff's `to` side, for the next one */
	size_t nkept;
};

void ss_git_diff_forget(struct ss_trail *t)
{
	while (t->nkept > 0)
		git_tree_free(t->kept[--t->nkept]);
	t->kept_repo = NULL;
}

/* A directory by id: one the last diff kept, else read (libgit2's cache
 * keeps few of a long walk's directories). */
static int tree_get(struct diff_ctx *d, const git_oid *id, git_tree **out)
{
	size_t i;

	for (i = 0; i < d->t->nkept; i++)
		if (git_oid_equal(git_tree_id(d->t->kept[i]), id))
			return git_object_dup((git_object **)out, (git_object *)d->t->kept[i]);
	return git_tree_lookup(out, d->repo, id);
}

/* Done with a frame's `to` directory: kept for the next diff while there is room. */
static void tree_done(struct diff_ctx *d, git_tree *b)
{
	if (b != NULL && d->nkept < SS_GIT_KEPT_MAX)
		d->kept[d->nkept++] = b;
	else
		git_tree_free(b);
}

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

/* Append "/name" (or "name" at the top) to the path. */
static int path_push(struct diff_ctx *d, const char *name)
{
	int rc;

	if (d->path.len > 0 && (rc = ss_buf_putc(&d->path, '/')) < 0)
		return rc;
	return ss_buf_puts(&d->path, name);
}

static void path_cut(struct diff_ctx *d, size_t len)
{
	d->path.len = len;
	d->path.data[len] = '\0';
}

/* Descend into a directory: the entry's tree on each side that has it. */
static int descend(struct diff_ctx *d, const git_tree_entry *x, const git_tree_entry *y,
                   size_t saved)
{
	struct diff_frame f = {NULL, NULL, 0, 0, saved};

	if (d->n == d->cap) {
		size_t cap = d->cap > 0 ? d->cap * 2 : 16;
		struct diff_frame *grown = realloc(d->stack, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		d->stack = grown;
		d->cap = cap;
	}
	if ((x != NULL && tree_get(d, git_tree_entry_id(x), &f.a) < 0) ||
	    (y != NULL && tree_get(d, git_tree_entry_id(y), &f.b) < 0)) {
		int rc = ss_git_fail(SS_EIO, _("cannot read directory '%s'"), d->path.data);

		git_tree_free(f.a);
		git_tree_free(f.b);
		return rc;
	}
	d->stack[d->n++] = f;
	return 0;
}

static int report(struct diff_ctx *d, int status, const git_tree_entry *y)
{
	struct ss_path_change c;
	struct ss_oid blob;

	if (y != NULL && git_tree_entry_type(y) != GIT_OBJECT_BLOB)
		y = NULL; /* not a file's content (a submodule): none given */
	if (y != NULL)
		from_git(&blob, git_tree_entry_id(y));

	c.path = d->path.data;
	c.status = status;
	c.blob = y != NULL ? &blob : NULL;
	return d->fn(d->ctx, &c);
}

/* One step of the merge of the top frame's two sorted entry lists; equal
 * subtrees are skipped by id. */
static int diff_step(struct diff_ctx *d)
{
	struct diff_frame *f = &d->stack[d->n - 1];
	size_t na = f->a != NULL ? git_tree_entrycount(f->a) : 0;
	size_t nb = f->b != NULL ? git_tree_entrycount(f->b) : 0;
	const git_tree_entry *x = f->i < na ? git_tree_entry_byindex(f->a, f->i) : NULL;
	const git_tree_entry *y = f->j < nb ? git_tree_entry_byindex(f->b, f->j) : NULL;
	size_t saved = d->path.len;
	int c = x == NULL ? 1 : y == NULL ? -1 : entry_cmp(x, y);
	int rc;

	if (c < 0) {
		f->i++;
		y = NULL;
	} else if (c > 0) {
		f->j++;
		x = NULL;
	} else {
		f->i++;
		f->j++;
		if (git_oid_equal(git_tree_entry_id(x), git_tree_entry_id(y)) &&
		    git_tree_entry_filemode(x) == git_tree_entry_filemode(y))
			return 0;
	}
	if ((rc = path_push(d, git_tree_entry_name(x != NULL ? x : y))) < 0)
		return rc;
	if (git_tree_entry_type(x != NULL ? x : y) == GIT_OBJECT_TREE) {
		/* f may move when the stack grows: nothing below uses it */
		if ((rc = descend(d, x, y, saved)) < 0)
			path_cut(d, saved);
		return rc;
	}
	rc = report(d,
	            x == NULL   ? SS_PATH_ADDED
	            : y == NULL ? SS_PATH_DELETED
	                        : SS_PATH_MODIFIED,
	            y);
	path_cut(d, saved);
	return rc;
}

/* A commit's tree, perhaps one the last diff kept. */
static int lookup_root(struct diff_ctx *d, const struct ss_oid *commit, git_tree **tree)
{
	git_commit *c = NULL;
	git_oid id;
	char hex[41];
	int err;

	*tree = NULL;
	to_git(&id, commit);
	err = git_commit_lookup(&c, d->repo, &id);
	if (err < 0) {
		ss_oid_hex(commit, hex);
		return err == GIT_ENOTFOUND
		           ? ss_error_set(SS_EDATA, _("no commit '%s' in the audit trail"), hex)
		           : ss_git_fail(SS_EIO, _("cannot read commit '%s'"), hex);
	}
	err = tree_get(d, git_commit_tree_id(c), tree);
	git_commit_free(c);
	if (err < 0) {
		ss_oid_hex(commit, hex);
		return ss_git_fail(SS_EIO, _("cannot read the tree of commit '%s'"), hex);
	}
	return 0;
}

int ss_git_diff(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to,
                ss_diff_fn fn, void *ctx)
{
	struct diff_ctx d;
	git_tree *a = NULL, *b = NULL;
	int rc;

	if ((rc = ss_git_noted_diff(t, from, to, fn, ctx)) != 1)
		return rc;
	rc = 0;
	memset(&d, 0, sizeof(d));
	d.repo = ss_git_repo(t);
	d.path = (struct ss_buf)SS_BUF_INIT;
	d.fn = fn;
	d.ctx = ctx;
	d.t = t;
	if (t->kept_repo != d.repo)
		ss_git_diff_forget(t);
	if (from != NULL && (rc = lookup_root(&d, from, &a)) < 0)
		goto out;
	if ((rc = lookup_root(&d, to, &b)) < 0)
		goto out;
	if ((rc = ss_buf_puts(&d.path, "")) < 0)
		goto out;
	d.stack = malloc(16 * sizeof(*d.stack));
	if (d.stack == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	d.cap = 16;
	d.stack[d.n++] = (struct diff_frame){a, b, 0, 0, 0};
	a = b = NULL;
	while (rc == 0 && d.n > 0) {
		struct diff_frame *f = &d.stack[d.n - 1];
		size_t na = f->a != NULL ? git_tree_entrycount(f->a) : 0;
		size_t nb = f->b != NULL ? git_tree_entrycount(f->b) : 0;

		if (f->i < na || f->j < nb) {
			rc = diff_step(&d);
			continue;
		}
		path_cut(&d, f->saved);
		git_tree_free(f->a);
		tree_done(&d, f->b);
		d.n--;
	}
out:
	while (d.n > 0) {
		d.n--;
		git_tree_free(d.stack[d.n].a);
		git_tree_free(d.stack[d.n].b);
	}
	free(d.stack);
	ss_buf_release(&d.path);
	git_tree_free(a);
	git_tree_free(b);
	ss_git_diff_forget(t);
	memcpy(t->kept, d.kept, d.nkept * sizeof(*d.kept));
	t->nkept = d.nkept;
	t->kept_repo = d.repo;
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
		return ss_git_fail(SS_EIO, _("cannot compare commits in the audit trail"));
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
		return ss_error_set(SS_ENOTFOUND, _("the two commits share no history"));
	if (err < 0)
		return ss_git_fail(SS_EIO, _("cannot find the merge base"));
	from_git(out, &base);
	return 0;
}
