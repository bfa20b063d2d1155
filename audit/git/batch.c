/*
 * batch.c - many commits, one move of main.
 *
 * A batch opens a second handle on the same repository whose object database
 * has an in-memory backend (libgit2's mempack) in front: the batch's commits
 * live there and never touch the main handle's caches, so an aborted batch
 * leaves nothing visible. Ending the batch writes exactly the objects the
 * batch created as one pack and moves main once. (libgit2 1.5's
 * git_mempack_dump() would pack every batch commit's whole tree, so a batch
 * would cost, and store again, the size of the entire trail; a thin wrapper
 * records what was written instead.)
 */
#include "git_int.h"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdlib.h>

#include "error.h"

/* The mempack with a list of the ids written to it, in order. */
struct batch_store {
	git_odb_backend parent;
	git_odb_backend *mem;
	struct ss_git_oidv written;
};

static int store_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b,
                      const git_oid *id)
{
	git_odb_backend *mem = ((struct batch_store *)b)->mem;

	return mem->read(data, len, type, mem, id);
}

static int store_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	git_odb_backend *mem = ((struct batch_store *)b)->mem;

	return mem->read_header(len, type, mem, id);
}

static int store_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type,
                             git_odb_backend *b, const git_oid *prefix, size_t n)
{
	git_odb_backend *mem = ((struct batch_store *)b)->mem;

	return mem->read_prefix(out, data, len, type, mem, prefix, n);
}

static int store_exists(git_odb_backend *b, const git_oid *id)
{
	git_odb_backend *mem = ((struct batch_store *)b)->mem;

	return mem->exists(mem, id);
}

static int store_write(git_odb_backend *b, const git_oid *id, const void *data, size_t len,
                       git_object_t type)
{
	struct batch_store *s = (struct batch_store *)b;
	int had = s->mem->exists(s->mem, id);
	int err = s->mem->write(s->mem, id, data, len, type);

	if (err < 0)
		return err;
	if (!had && ss_git_oidv_push(&s->written, id) < 0) {
		git_error_set_oom();
		return -1;
	}
	return 0;
}

static void store_free(git_odb_backend *b)
{
	struct batch_store *s = (struct batch_store *)b;

	s->mem->free(s->mem);
	free(s->written.v);
	free(s);
}

static int store_new(struct batch_store **out)
{
	struct batch_store *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return ss_error_nomem();
	if (git_odb_init_backend(&s->parent, GIT_ODB_BACKEND_VERSION) < 0 ||
	    git_mempack_new(&s->mem) < 0) {
		free(s);
		return ss_git_fail(SS_EIO, _("cannot make the batch's memory store"));
	}
	s->parent.read = s->mem->read != NULL ? store_read : NULL;
	s->parent.read_header = s->mem->read_header != NULL ? store_read_header : NULL;
	s->parent.read_prefix = s->mem->read_prefix != NULL ? store_read_prefix : NULL;
	s->parent.exists = s->mem->exists != NULL ? store_exists : NULL;
	s->parent.write = store_write;
	s->parent.free = store_free;
	if (s->mem->read == NULL || s->mem->exists == NULL || s->mem->write == NULL) {
		store_free(&s->parent);
		return ss_error_set(SS_EIO, _("libgit2's mempack lacks what a batch needs"));
	}
	*out = s;
	return 0;
}

int ss_git_batch_begin(struct ss_trail *t)
{
	git_repository *br = NULL;
	git_odb *odb = NULL;
	struct batch_store *store = NULL;
	int rc = 0;

	if (t->batch_repo != NULL)
		return ss_error_set(SS_EFAIL, _("a batch is already open on the audit trail"));
	if (git_repository_open_bare(&br, t->gitdir) < 0 || git_repository_odb(&odb, br) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot start a batch on '%s'"), t->path);
		goto out;
	}
	if ((rc = store_new(&store)) < 0)
		goto out;
	/* Ahead of the loose and pack backends, so every write lands in memory. */
	if (git_odb_add_backend(odb, &store->parent, 1000) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot start a batch on '%s'"), t->path);
		store_free(&store->parent);
		goto out;
	}
	t->batch_repo = br;
	t->store = store;
	br = NULL;
out:
	git_odb_free(odb);
	git_repository_free(br);
	return rc;
}

void ss_git_batch_abort(struct ss_trail *t)
{
	if (t == NULL || t->batch_repo == NULL)
		return;
	git_mempack_reset(t->store->mem);
	ss_git_diff_forget(t);
	git_repository_free(t->batch_repo); /* frees the store with its odb */
	t->batch_repo = NULL;
	t->store = NULL;
}

int ss_git_batch_end(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to)
{
	git_packbuilder *pb = NULL;
	git_oid from_id, to_id;
	size_t i;
	int rc = 0, err;

	if (t->batch_repo == NULL)
		return ss_error_set(SS_EFAIL, _("no batch is open on the audit trail"));
	if (to == NULL || (from != NULL && ss_oid_equal(from, to)))
		goto out; /* nothing was committed */
	ss_git_apply_fsync(t);
	/* Exactly the batch's new objects, as one pack; the indexer syncs it
	 * (when fsync is on) before main can point into it. */
	if (git_packbuilder_new(&pb, t->batch_repo) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot pack the batch"));
		goto out;
	}
	for (i = 0; i < t->store->written.n; i++) {
		if (git_packbuilder_insert(pb, &t->store->written.v[i], NULL) < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot pack the batch"));
			goto out;
		}
	}
	if (git_packbuilder_write(pb, NULL, 0, NULL, NULL) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot write the batch into '%s'"), t->path);
		goto out;
	}
	to_git(&to_id, to);
	if (from != NULL) {
		to_git(&from_id, from);
		err = git_graph_descendant_of(t->repo, &to_id, &from_id);
		if (err < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot check the batch's history"));
			goto out;
		} else if (err == 0) {
			rc = ss_error_set(SS_EFAIL,
			                  _("the batch's last commit does not descend from "
			                    "where it started"));
			goto out;
		}
	}
	rc = ss_git_move_main(t, from != NULL ? &from_id : NULL, &to_id);
out:
	git_packbuilder_free(pb);
	ss_git_batch_abort(t);
	return rc;
}
