/*
 * gc.c - loose objects: count them, and pack them, deleting each loose copy
 * only once the new pack's own index lists it.
 */
#include "git_int.h"

#include <dirent.h>
#include <errno.h>
#include <git2/sys/odb_backend.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"

/* Every loose object's id (ids NULL: only count them). */
static int scan_loose(const struct ss_trail *t, struct ss_git_oidv *ids, size_t *count)
{
	char *objects = NULL;
	DIR *top = NULL;
	struct dirent *d;
	int rc;

	*count = 0;
	if ((rc = ss_git_join_path(&objects, t->gitdir, "objects")) < 0)
		goto out;
	top = opendir(objects);
	if (top == NULL) {
		rc = ss_error_set(SS_EIO, _("cannot read '%s': %s"), objects, strerror(errno));
		goto out;
	}
	while ((d = readdir(top)) != NULL) {
		char sub[4096], hex[41];
		DIR *fan;
		struct dirent *f;

		if (!ss_git_is_hex(d->d_name, 2))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", objects, d->d_name);
		fan = opendir(sub);
		if (fan == NULL)
			continue;
		while ((f = readdir(fan)) != NULL) {
			git_oid id;

			if (!ss_git_is_hex(f->d_name, 38))
				continue;
			(*count)++;
			if (ids == NULL)
				continue;
			memcpy(hex, d->d_name, 2);
			memcpy(hex + 2, f->d_name, 39);
			if (git_oid_fromstr(&id, hex) == 0 && (rc = ss_git_oidv_push(ids, &id)) < 0)
				break;
		}
		closedir(fan);
		if (rc < 0)
			goto out;
	}
out:
	if (top != NULL)
		closedir(top);
	free(objects);
	return rc;
}

int ss_git_count_loose(struct ss_trail *t, size_t *n)
{
	return scan_loose(t, NULL, n);
}

int ss_git_gc(struct ss_trail *t, size_t *packed)
{
	struct ss_git_oidv ids = {NULL, 0, 0};
	git_packbuilder *pb = NULL;
	git_odb *check = NULL;
	git_odb_backend *one = NULL;
	char *idx = NULL;
	size_t i, count, removed = 0;
	int rc;

	*packed = 0;
	if (t->batch_repo != NULL)
		return ss_error_set(SS_EFAIL, _("cannot gc the audit trail while a batch is open"));
	ss_git_apply_fsync(t);
	rc = scan_loose(t, &ids, &count);
	if (rc < 0 || ids.n == 0)
		goto out;
	if (git_packbuilder_new(&pb, t->repo) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot pack '%s'"), t->path);
		goto out;
	}
	for (i = 0; i < ids.n; i++) {
		if (git_packbuilder_insert(pb, &ids.v[i], NULL) < 0) {
			char hex[41];

			ss_git_hex(&ids.v[i], hex);
			rc = ss_git_fail(SS_EIO, _("cannot pack object '%s'"), hex);
			goto out;
		}
	}
	if (git_packbuilder_write(pb, NULL, 0, NULL, NULL) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot write a pack into '%s'"), t->path);
		goto out;
	}
	/* Delete a loose copy only when the new pack's own index lists it. */
	{
		struct ss_buf b = SS_BUF_INIT;

		rc = ss_buf_printf(&b, "%sobjects/pack/pack-%s.idx", t->gitdir,
		                   git_packbuilder_name(pb));
		idx = ss_buf_detach(&b);
		ss_buf_release(&b);
		if (rc < 0)
			goto out;
	}
	if (git_odb_new(&check) < 0 || git_odb_backend_one_pack(&one, idx) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot open the new pack '%s'"), idx);
		goto out;
	}
	if (git_odb_add_backend(check, one, 1) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot open the new pack '%s'"), idx);
		one->free(one);
		goto out;
	}
	for (i = 0; i < ids.n; i++) {
		char path[4096];

		if (!git_odb_exists(check, &ids.v[i]))
			continue;
		ss_git_loose_path(t->gitdir, &ids.v[i], path, sizeof(path));
		if (unlink(path) == 0)
			removed++;
		else if (errno != ENOENT) {
			rc = ss_error_set(SS_EIO, _("cannot remove '%s': %s"), path,
			                  strerror(errno));
			goto out;
		}
		path[strlen(path) - 39] = '\0';
		rmdir(path); /* only succeeds once the fan-out directory is empty */
	}
	*packed = removed;
out:
	git_odb_free(check);
	git_packbuilder_free(pb);
	free(idx);
	free(ids.v);
	return rc;
}
