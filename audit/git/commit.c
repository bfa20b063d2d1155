/*
 * commit.c - one signed commit: apply the changes to the parent's tree, build
 * the commit, have the caller's callback sign its bytes, write it, and move
 * main from the parent by compare-and-swap.
 *
 * Durability: objects are written (and, with fsync on, synced) before main
 * moves, and main only moves by compare-and-swap, so a process killed at any
 * moment leaves at most unreferenced objects and a stale refs/heads/main.lock,
 * which the next lock holder removes (repo.c).
 */
#include "git_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

static int busy_changed(void)
{
	return ss_error_set(SS_EBUSY,
	                    _("the audit trail changed while this was being recorded; try again"));
}

/* libgit2 syncs each object and its objects/XX directory, but not objects/
 * itself when it had to create a new XX: sync that before main points at
 * what is inside, so a power cut cannot take a fan-out directory away. */
static int sync_objects_dir(const struct ss_trail *t)
{
	char *dir = NULL;
	int fd, rc;

	if (!t->fsync)
		return 0;
	if ((rc = ss_git_join_path(&dir, t->gitdir, "objects")) < 0)
		return rc;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = ss_error_set(SS_EIO, _("cannot sync '%s': %s"), dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* Move main from `from` (NULL: create only if absent) to `to`. */
int ss_git_move_main(struct ss_trail *t, const git_oid *from, const git_oid *to)
{
	git_reference *ref = NULL;
	int err, rc;

	if ((rc = sync_objects_dir(t)) < 0)
		return rc;
	if (from != NULL)
		err = git_reference_create_matching(&ref, t->repo, SS_MAIN_REF, to, 1, from, NULL);
	else
		err = git_reference_create(&ref, t->repo, SS_MAIN_REF, to, 0, NULL);
	git_reference_free(ref);
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS)
		return busy_changed();
	if (err == GIT_ELOCKED)
		return ss_error_set(SS_EBUSY, _("the audit trail is busy (another ssaudit is "
		                                "writing); try again"));
	if (err < 0)
		return ss_git_fail(SS_EIO, _("cannot move main in '%s'"), t->path);
	return 0;
}

static bool path_ok(const char *p)
{
	const char *s = p;

	if (*p == '\0' || *p == '/')
		return false;
	while (*s != '\0') {
		const char *e = strchr(s, '/');
		size_t n = e != NULL ? (size_t)(e - s) : strlen(s);

		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.') ||
		    (n == 4 && memcmp(s, ".git", 4) == 0))
			return false;
		if (e == NULL)
			break;
		s = e + 1;
		if (*s == '\0')
			return false;
	}
	return true;
}

static int empty_tree(git_repository *repo, git_tree **out)
{
	git_treebuilder *tb = NULL;
	git_oid id;
	int rc = 0;

	*out = NULL;
	if (git_treebuilder_new(&tb, repo, NULL) < 0 || git_treebuilder_write(&id, tb) < 0 ||
	    git_tree_lookup(out, repo, &id) < 0)
		rc = ss_git_fail(SS_EIO, _("cannot write the empty tree"));
	git_treebuilder_free(tb);
	return rc;
}

/*
 * Build and write a commit: the first parent's tree (the empty tree when there
 * is none) with the changes applied, the parents, signed through sign. Moves
 * no ref. When a one-parent commit would leave the tree as it was, nothing is
 * written, *out is the parent and *unchanged is true.
 */
static int write_commit(struct ss_trail *t, const struct ss_oid *parents, size_t nparents,
                        const struct ss_commit_req *req, ss_sign_fn sign, void *sign_ctx,
                        git_oid *out, bool *unchanged)
{
	git_repository *repo = ss_git_repo(t);
	const struct ss_oid *parent = nparents > 0 ? &parents[0] : NULL;
	git_commit *pcommit = NULL, *second = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_tree_update *ups = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_buf content = {NULL, 0, 0};
	git_oid parent_id, tree_id;
	char *sig = NULL;
	size_t i, nups = 0, siglen;
	int rc = 0, err;

	*unchanged = false;
	ss_git_apply_fsync(t);
	if (parent != NULL) {
		to_git(&parent_id, parent);
		if (git_commit_lookup(&pcommit, repo, &parent_id) < 0) {
			char hex[41];

			ss_oid_hex(parent, hex);
			rc = ss_git_fail(SS_EDATA, _("cannot read the parent commit '%s'"), hex);
			goto out;
		}
		if (git_commit_tree(&base, pcommit) < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot read the parent's tree"));
			goto out;
		}
	} else if ((rc = empty_tree(repo, &base)) < 0) {
		goto out;
	}

	ups = calloc(req->nchanges > 0 ? req->nchanges : 1, sizeof(*ups));
	if (ups == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < req->nchanges; i++) {
		const struct ss_change *c = &req->changes[i];
		git_tree_update *u = &ups[nups];

		if (c->path == NULL || !path_ok(c->path)) {
			rc =
			    ss_error_set(SS_EDATA, _("'%s' is not a valid path in the audit trail"),
			                 c->path != NULL ? c->path : "");
			goto out;
		}
		if (c->data != NULL) {
			if ((rc = ss_git_blob_write(t, &u->id, c->data, c->len, c->path)) < 0)
				goto out;
			u->action = GIT_TREE_UPDATE_UPSERT;
			u->filemode = GIT_FILEMODE_BLOB;
		} else {
			git_tree_entry *e = NULL;

			err = git_tree_entry_bypath(&e, base, c->path);
			git_tree_entry_free(e);
			if (err == GIT_ENOTFOUND)
				continue; /* removing what is not there changes nothing */
			if (err < 0) {
				rc = ss_git_fail(SS_EIO, _("cannot look up '%s'"), c->path);
				goto out;
			}
			u->action = GIT_TREE_UPDATE_REMOVE;
		}
		u->path = c->path;
		nups++;
	}
	if (nups == 0) {
		git_oid_cpy(&tree_id, git_tree_id(base));
	} else if (git_tree_create_updated(&tree_id, repo, base, nups, ups) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot build the tree"));
		goto out;
	}
	if (parent != NULL && nparents == 1 && git_oid_equal(&tree_id, git_tree_id(base))) {
		git_oid_cpy(out, &parent_id);
		*unchanged = true;
		goto out;
	}
	if (nparents == 2) {
		git_oid second_id;

		to_git(&second_id, &parents[1]);
		if (git_commit_lookup(&second, repo, &second_id) < 0) {
			rc = ss_git_fail(SS_EDATA, _("cannot read the second parent commit"));
			goto out;
		}
	}
	if (git_tree_lookup(&tree, repo, &tree_id) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot read the new tree"));
		goto out;
	}
	if (git_signature_new(&author, req->author.name, req->author.email,
	                      (git_time_t)(req->author_when != 0 ? req->author_when : req->when),
	                      0) < 0) {
		rc = ss_git_fail(SS_EDATA, _("bad author '%s <%s>'"), req->author.name,
		                 req->author.email);
		goto out;
	}
	if (git_signature_new(&committer, req->committer.name, req->committer.email,
	                      (git_time_t)req->when, 0) < 0) {
		rc = ss_git_fail(SS_EDATA, _("bad committer '%s <%s>'"), req->committer.name,
		                 req->committer.email);
		goto out;
	}
	{
		const git_commit *ps[2] = {pcommit, second};

		if (git_commit_create_buffer(&content, repo, author, committer, NULL, req->message,
		                             tree, pcommit != NULL ? (nparents == 2 ? 2 : 1) : 0,
		                             ps) < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot build the commit"));
			goto out;
		}
	}
	rc = sign(sign_ctx, content.ptr, content.size, &sig);
	if (rc < 0)
		goto out;
	if (sig == NULL || sig[0] == '\0') {
		rc = ss_error_set(SS_EFAIL, _("signing the commit gave no signature"));
		goto out;
	}
	/* git writes the header without a line after the armour's last newline;
	 * libgit2 would add a blank continuation line for it. */
	siglen = strlen(sig);
	while (siglen > 0 && sig[siglen - 1] == '\n')
		sig[--siglen] = '\0';
	if (git_commit_create_with_signature(out, repo, content.ptr, sig, "gpgsig") < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot write the commit"));
		goto out;
	}
out:
	free(sig);
	git_buf_dispose(&content);
	git_signature_free(committer);
	git_signature_free(author);
	free(ups);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(second);
	git_commit_free(pcommit);
	return rc;
}

int ss_git_commit(struct ss_trail *t, const struct ss_oid *parent, const struct ss_commit_req *req,
                  ss_sign_fn sign, void *sign_ctx, struct ss_oid *out, bool *unchanged)
{
	git_oid commit_id, parent_id;
	int rc;

	rc = write_commit(t, parent, parent != NULL ? 1 : 0, req, sign, sign_ctx, &commit_id,
	                  unchanged);
	if (rc < 0)
		return rc;
	if (!*unchanged && t->batch_repo == NULL) {
		if (parent != NULL)
			to_git(&parent_id, parent);
		rc = ss_git_move_main(t, parent != NULL ? &parent_id : NULL, &commit_id);
		if (rc < 0)
			return rc;
	}
	from_git(out, &commit_id);
	return 0;
}

int ss_git_commit_write(struct ss_trail *t, const struct ss_oid *parents, size_t nparents,
                        const struct ss_commit_req *req, ss_sign_fn sign, void *sign_ctx,
                        struct ss_oid *out)
{
	git_oid commit_id;
	bool unchanged = false;
	int rc;

	if (nparents < 1 || nparents > 2)
		return ss_error_set(SS_EUSAGE, _("a written commit has one or two parents"));
	rc = write_commit(t, parents, nparents, req, sign, sign_ctx, &commit_id, &unchanged);
	if (rc < 0)
		return rc;
	from_git(out, &commit_id); /* the parent itself when nothing changed */
	return 0;
}
