/*
 * read.c - reading the tree of a commit: a file's bytes, a directory's
 * names, a blob's id. Reads go to the batch's repository while a batch is
 * open, so a batch sees its own commits.
 */
#include "git_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
		         ? ss_error_set(SS_EDATA, _("no commit '%s' in the audit trail"), hex)
		         : ss_git_fail(SS_EIO, _("cannot read commit '%s'"), hex);
		goto out;
	}
	if (git_commit_tree(tree, c) < 0) {
		ss_oid_hex(commit, hex);
		rc = ss_git_fail(SS_EIO, _("cannot read the tree of commit '%s'"), hex);
		goto out;
	}
out:
	git_commit_free(c);
	return rc;
}

int ss_git_lookup_file(git_repository *repo, const struct ss_oid *commit, const char *path,
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
		rc = ss_error_set(SS_ENOTFOUND, _("no '%s' in the audit trail"), path);
		goto out;
	} else if (err < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot look up '%s'"), path);
		goto out;
	}
	if (git_tree_entry_type(*entry) != GIT_OBJECT_BLOB)
		rc = ss_error_set(SS_ENOTFOUND, _("'%s' in the audit trail is not a file"), path);
out:
	git_tree_free(tree);
	return rc;
}

int ss_git_read(struct ss_trail *t, const struct ss_oid *commit, const char *path, char **data,
                size_t *len)
{
	git_tree_entry *entry = NULL;
	struct ss_oid id;
	int rc;

	*data = NULL;
	*len = 0;
	rc = ss_git_lookup_file(ss_git_repo(t), commit, path, &entry);
	if (rc == 0) {
		from_git(&id, git_tree_entry_id(entry));
		rc = ss_git_read_blob(t, &id, path, data, len);
	}
	git_tree_entry_free(entry);
	return rc;
}

int ss_git_read_blob(struct ss_trail *t, const struct ss_oid *id, const char *path, char **data,
                     size_t *len)
{
	git_repository *repo = ss_git_repo(t);
	git_blob *blob = NULL;
	char *copy = NULL;
	git_oid gid;
	size_t n;
	int rc = 0;

	*data = NULL;
	*len = 0;
	to_git(&gid, id);
	if (t->blobs != NULL) {
		union ss_map_value *v = ss_map_get(t->blobs, gid.id, GIT_OID_RAWSZ);

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
	if (git_blob_lookup(&blob, repo, &gid) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot read '%s'"), path);
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

void ss_git_share_blobs(struct ss_trail *t, struct ss_trail *other)
{
	size_t half = t->blobs_left / 2;

	if (t->blobs == NULL)
		return;
	ss_git_keep_blobs(other, t->blobs_each, half);
	t->blobs_left -= half;
}

int ss_git_take_blobs(struct ss_trail *t, struct ss_trail *from)
{
	int rc;

	if (t->blobs == NULL || from->blobs == NULL)
		return 0;
	/* Each key is its blob's own id, so it moves with the blob. */
	rc = ss_map_move(t->blobs, from->blobs, free);
	from->blobs = NULL;
	return rc;
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
			rc = ss_error_set(SS_ENOTFOUND, _("no directory '%s' in the audit trail"),
			                  trimmed);
			goto out;
		} else if (err < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot look up '%s'"), trimmed);
			goto out;
		}
		if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot read directory '%s'"), trimmed);
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
	int rc, kept;

	if (t->found != NULL && (rc = ss_git_noted_blob(t, commit, path, out)) != 1)
		return rc;
	rc = ss_git_lookup_file(ss_git_repo(t), commit, path, &entry);
	if (rc == 0)
		from_git(out, git_tree_entry_id(entry));
	if (t->found != NULL &&
	    (kept = ss_git_note_blob(t, commit, path, rc, entry != NULL, out)) != 0)
		rc = kept;
	git_tree_entry_free(entry);
	return rc;
}

int ss_git_scan(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                int (*each)(const char *bytes, size_t n, void *arg), void *arg)
{
	git_repository *repo = ss_git_repo(t);
	git_tree_entry *entry = NULL;
	git_odb *odb = NULL;
	git_odb_stream *st = NULL;
	git_object_t type;
	struct ss_git_mapped m = {0};
	char chunk[16384];
	size_t len = 0;
	int rc, got;

	rc = ss_git_lookup_file(repo, commit, path, &entry);
	if (rc < 0)
		goto out;
	/* A loose object is inflated only as far as `each` reads; libgit2
	 * streams no packed object, which is read whole. */
	if (git_repository_odb(&odb, repo) == 0 &&
	    git_odb_open_rstream(&st, &len, &type, odb, git_tree_entry_id(entry)) == 0 &&
	    type == GIT_OBJECT_BLOB) {
		rc = 0;
		while (rc == 0 && (got = git_odb_stream_read(st, chunk, sizeof(chunk))) > 0)
			rc = each(chunk, (size_t)got, arg);
		if (rc == 0 && got < 0)
			rc = ss_git_fail(SS_EIO, _("cannot read '%s'"), path);
		goto out;
	}
	/* Packed: its uncompressed copy (made by this first read). */
	git_error_clear();
	if ((rc = ss_git_map(t, commit, path, &m)) == 0)
		rc = each(m.data, m.len, arg);
	ss_git_unmap(&m);
out:
	git_odb_stream_free(st);
	git_odb_free(odb);
	git_tree_entry_free(entry);
	return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------ mapped copies */

#define COPIES "ssaudit-blobs"

/* Keep an uncompressed copy of a blob, written whole under a temporary name
 * and renamed, so a copy is whole or absent (a short one is caught by size). */
static void keep_copy(const char *dir, const char *file, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	size_t done = 0;
	ssize_t got;
	int fd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", file, (long)getpid()) >= sizeof(tmp))
		return;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return;
	while (done < len && (got = write(fd, data + done, len - done)) > 0)
		done += (size_t)got;
	if (close(fd) != 0 || done != len || rename(tmp, file) != 0)
		unlink(tmp);
}

int ss_git_map(struct ss_trail *t, const struct ss_oid *commit, const char *path,
               struct ss_git_mapped *m)
{
	git_repository *repo = ss_git_repo(t);
	git_tree_entry *entry = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	git_blob *blob = NULL;
	char dir[PATH_MAX], file[PATH_MAX], hex[GIT_OID_HEXSZ + 1];
	struct stat sb;
	size_t size = 0;
	int rc, fd = -1;

	memset(m, 0, sizeof(*m));
	rc = ss_git_lookup_file(repo, commit, path, &entry);
	if (rc < 0)
		goto out;
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(entry));
	/* git_repository_path() ends with a slash. */
	if ((size_t)snprintf(dir, sizeof(dir), "%s" COPIES, git_repository_path(repo)) >=
	        sizeof(dir) ||
	    (size_t)snprintf(file, sizeof(file), "%s/%s", dir, hex) >= sizeof(file)) {
		rc = ss_error_set(SS_EIO, _("the trail's path is too long"));
		goto out;
	}
	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read_header(&size, &type, odb, git_tree_entry_id(entry)) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot read '%s'"), path);
		goto out;
	}
	/* The copy, when whole: mapped, nothing inflated or hashed. */
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) >= 0 && fstat(fd, &sb) == 0 &&
	    (size_t)sb.st_size == size && size > 0) {
		void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);

		if (p != MAP_FAILED) {
			m->data = p;
			m->len = size;
			m->map = p;
			goto out;
		}
	}
	/* Else read whole (checked against its id) and keep a copy for next time. */
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot read '%s'"), path);
		goto out;
	}
	size = (size_t)git_blob_rawsize(blob);
	if ((m->copy = malloc(size + 1)) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	memcpy(m->copy, git_blob_rawcontent(blob), size);
	m->copy[size] = '\0';
	m->data = m->copy;
	m->len = size;
	keep_copy(dir, file, m->copy, size);
out:
	if (fd >= 0)
		close(fd);
	git_blob_free(blob);
	git_odb_free(odb);
	git_tree_entry_free(entry);
	return rc < 0 ? rc : 0;
}

void ss_git_unmap(struct ss_git_mapped *m)
{
	if (m->map)
		munmap(m->map, m->len);
	free(m->copy);
	memset(m, 0, sizeof(*m));
}
