/*
 * read.c - reading the tree of a commit: a file's bytes, a directory's
 * names, a blob's id. Reads go to the batch's repository while a batch is
 * open, so a batch sees its own commits.
 */
#include "git_int.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "map.h"

int ss_git_lookup_tree(git_repository *repo, const struct ss_oid *commit, git_tree **tree)
{
	git_commit *c = NULL;
	git_oid id;
	char hex[41];
	int rc = 0, err;

	*tree = NULL;
	to_git(&id, commit);
	err = git_commit_lookup(&c, repo, &id);
	if (err < 0) {
		ss_oid_hex(commit, hex);
		rc = err == GIT_ENOTFOUND
		         ? ss_error_set(SS_EDATA, "no commit '%s' in the audit trail", hex)
		         : ss_git_fail(SS_EIO, "cannot read commit '%s'", hex);
		goto out;
	}
	if (git_commit_tree(tree, c) < 0) {
		ss_oid_hex(commit, hex);
		rc = ss_git_fail(SS_EIO, "cannot read the tree of commit '%s'", hex);
		goto out;
	}
out:
	git_commit_free(c);
	return rc;
}

/* The entry at path (caller frees); SS_ENOTFOUND when absent. */
static int lookup_entry(git_repository *repo, const struct ss_oid *commit, const char *path,
                        git_tree_entry **entry)
{
	git_tree *tree = NULL;
	int rc, err;

	*entry = NULL;
	rc = ss_git_lookup_tree(repo, commit, &tree);
	if (rc < 0)
		goto out;
	err = git_tree_entry_bypath(entry, tree, path);
	if (err == GIT_ENOTFOUND) {
		rc = ss_error_set(SS_ENOTFOUND, "no '%s' in the audit trail", path);
		goto out;
	} else if (err < 0) {
		rc = ss_git_fail(SS_EIO, "cannot look up '%s'", path);
		goto out;
	}
out:
	git_tree_free(tree);
	return rc;
}

int ss_git_read(struct ss_trail *t, const struct ss_oid *commit, const char *path, char **data,
                size_t *len)
{
	git_repository *repo = ss_git_repo(t);
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char *copy = NULL;
	size_t n;
	int rc;

	*data = NULL;
	*len = 0;
	rc = lookup_entry(repo, commit, path, &entry);
	if (rc < 0)
		goto out;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		rc = ss_error_set(SS_ENOTFOUND, "'%s' in the audit trail is not a file", path);
		goto out;
	}
	if (t->blobs != NULL) {
		union ss_map_value *v =
		    ss_map_get(t->blobs, git_tree_entry_id(entry)->id, GIT_OID_RAWSZ);

		if (v != NULL) {
			const struct ss_git_kept_blob *kb = v->ptr;

			if ((copy = malloc(kb->len + 1)) == NULL) {
				rc = ss_error_nomem();
				goto out;
			}
			memcpy(copy, kb->data, kb->len + 1);
			*data = copy;
			*len = kb->len;
			copy = NULL;
			goto out;
		}
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		rc = ss_git_fail(SS_EIO, "cannot read '%s'", path);
		goto out;
	}
	n = (size_t)git_blob_rawsize(blob);
	copy = malloc(n + 1);
	if (copy == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	if (n > 0)
		memcpy(copy, git_blob_rawcontent(blob), n);
	copy[n] = '\0';
	*data = copy;
	*len = n;
	copy = NULL;
out:
	free(copy);
	git_blob_free(blob);
	git_tree_entry_free(entry);
	return rc;
}

void ss_git_keep_blobs(struct ss_trail *t, size_t max_each, size_t max_total)
{
	struct ss_map_entry e;
	size_t pos = 0;

	while (t->blobs != NULL && ss_map_next(t->blobs, &pos, &e))
		free(e.value.ptr);
	ss_map_free(t->blobs);
	t->blobs = NULL;
	t->blobs_each = t->blobs_left = 0;
	if (max_each == 0 || ss_map_new(&t->blobs, 0, NULL) != 0)
		return; /* out of memory: nothing is kept, and reads go to the objects */
	t->blobs_each = max_each;
	t->blobs_left = max_total;
}

int ss_git_blob_keep(struct ss_trail *t, const git_oid *id, const void *data, size_t len)
{
	struct ss_git_kept_blob *kb;
	union ss_map_value *v;
	bool added;

	if (t->blobs == NULL || len > t->blobs_each || len > t->blobs_left)
		return 0;
	if ((kb = malloc(sizeof(*kb) + len + 1)) == NULL)
		return ss_error_nomem();
	memcpy(kb->id, id->id, GIT_OID_RAWSZ);
	kb->len = len;
	if (len > 0)
		memcpy(kb->data, data, len);
	kb->data[len] = '\0';
	if (ss_map_put(t->blobs, kb->id, GIT_OID_RAWSZ, &v, &added) != 0) {
		free(kb);
		return ss_error_nomem();
	}
	if (!added) {
		free(kb);
		return 0;
	}
	v->ptr = kb;
	t->blobs_left -= len;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ss_git_list(struct ss_trail *t, const struct ss_oid *commit, const char *dir, char ***names,
                size_t *n)
{
	git_repository *repo = ss_git_repo(t);
	git_tree_entry *entry = NULL;
	git_tree *root = NULL, *sub = NULL;
	const git_tree *tree;
	char **v = NULL;
	char *trimmed = NULL;
	size_t count = 0, i, len;
	int rc;

	*names = NULL;
	*n = 0;
	rc = ss_git_lookup_tree(repo, commit, &root);
	if (rc < 0)
		goto out;
	tree = root;
	len = dir != NULL ? strlen(dir) : 0;
	while (len > 0 && dir[len - 1] == '/')
		len--;
	if (len > 0 && !(len == 1 && dir[0] == '.')) {
		int err;

		trimmed = strndup(dir, len);
		if (trimmed == NULL) {
			rc = ss_error_nomem();
			goto out;
		}
		err = git_tree_entry_bypath(&entry, root, trimmed);
		if (err == GIT_ENOTFOUND ||
		    (err == 0 && git_tree_entry_type(entry) != GIT_OBJECT_TREE)) {
			rc = ss_error_set(SS_ENOTFOUND, "no directory '%s' in the audit trail",
			                  trimmed);
			goto out;
		} else if (err < 0) {
			rc = ss_git_fail(SS_EIO, "cannot look up '%s'", trimmed);
			goto out;
		}
		if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) < 0) {
			rc = ss_git_fail(SS_EIO, "cannot read directory '%s'", trimmed);
			goto out;
		}
		tree = sub;
	}
	count = git_tree_entrycount(tree);
	v = calloc(count > 0 ? count : 1, sizeof(*v));
	if (v == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < count; i++) {
		v[i] = strdup(git_tree_entry_name(git_tree_entry_byindex(tree, i)));
		if (v[i] == NULL) {
			rc = ss_error_nomem();
			goto out;
		}
	}
	qsort(v, count, sizeof(*v), cmp_str);
	*names = v;
	*n = count;
	v = NULL;
out:
	ss_strv_free(v, count);
	free(trimmed);
	git_tree_free(sub);
	git_tree_free(root);
	git_tree_entry_free(entry);
	return rc;
}

int ss_git_blob_id(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                   struct ss_oid *out)
{
	git_tree_entry *entry = NULL;
	int rc;

	rc = lookup_entry(ss_git_repo(t), commit, path, &entry);
	if (rc < 0)
		goto out;
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		rc = ss_error_set(SS_ENOTFOUND, "'%s' in the audit trail is not a file", path);
		goto out;
	}
	from_git(out, git_tree_entry_id(entry));
out:
	git_tree_entry_free(entry);
	return rc;
}
