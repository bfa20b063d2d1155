/*
 * objects.c - is every object intact? ss_git_check_objects reads each
 * object reachable from a commit once, hashed again; ss_git_check_loose
 * inflates every loose object file with zlib first, as libgit2 1.5 loops
 * forever on a truncated one. Problems go to the caller's callback; nothing
 * is repaired.
 */
#include "git_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "error.h"
#include "map.h"

/* 1 when id is new to the set (each object is read once), 0 when already
 * there, or SS_ENOMEM. The set keeps its own copy of the 20 bytes. */
static int oidset_add(struct ss_map *seen, const git_oid *id)
{
	union ss_map_value *v;
	bool added;

	if (ss_map_put(seen, id->id, GIT_OID_RAWSZ, &v, &added) != 0)
		return SS_ENOMEM;
	return added ? 1 : 0;
}

struct check_ctx {
	git_repository *repo;
	git_odb *odb;
	struct ss_map *seen;
	struct ss_buf path;
	ss_problem_fn fn;
	void *ctx;
	size_t problems;
};

static void problem(struct check_ctx *c, const char *commit_hex, const char *path, const char *fmt,
                    ...) SS_PRINTF(4, 5);

static void problem(struct check_ctx *c, const char *commit_hex, const char *path, const char *fmt,
                    ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	c->problems++;
	if (c->fn != NULL)
		c->fn(c->ctx, commit_hex, path, reason);
}

/* Read an object through the odb, which hashes it (strict verification).
 * 1 when intact, 0 when a problem was reported, < 0 on our own failure. */
static int check_one(struct check_ctx *c, const git_oid *id, git_object_t want,
                     const char *commit_hex, const char *path)
{
	git_odb_object *obj = NULL;
	char hex[41];
	int err;

	ss_git_hex(id, hex);
	err = git_odb_read(&obj, c->odb, id);
	if (err == GIT_ENOTFOUND) {
		problem(c, commit_hex, path, "%s %s is missing", git_object_type2string(want), hex);
		return 0;
	} else if (err < 0) {
		problem(c, commit_hex, path, "%s %s is damaged: %s", git_object_type2string(want),
		        hex, ss_git_msg());
		return 0;
	}
	if (git_odb_object_type(obj) != want) {
		problem(c, commit_hex, path, "%s is a %s where a %s was expected", hex,
		        git_object_type2string(git_odb_object_type(obj)),
		        git_object_type2string(want));
		git_odb_object_free(obj);
		return 0;
	}
	git_odb_object_free(obj);
	return 1;
}

static int check_tree(struct check_ctx *c, const git_oid *id, const char *commit_hex)
{
	git_tree *tree = NULL;
	size_t i, n, saved = c->path.len;
	const char *shown = saved > 0 ? c->path.data : "/";
	int rc;

	rc = oidset_add(c->seen, id);
	if (rc <= 0)
		return rc;
	rc = check_one(c, id, GIT_OBJECT_TREE, commit_hex, shown);
	if (rc <= 0)
		return rc;
	if (git_tree_lookup(&tree, c->repo, id) < 0) {
		problem(c, commit_hex, shown, "tree cannot be parsed: %s", ss_git_msg());
		return 0;
	}
	n = git_tree_entrycount(tree);
	rc = 0;
	for (i = 0; i < n && rc >= 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		git_object_t type = git_tree_entry_type(e);

		if ((saved > 0 && (rc = ss_buf_putc(&c->path, '/')) < 0) ||
		    (rc = ss_buf_puts(&c->path, git_tree_entry_name(e))) < 0)
			break;
		if (type == GIT_OBJECT_TREE) {
			rc = check_tree(c, git_tree_entry_id(e), commit_hex);
		} else if (type == GIT_OBJECT_BLOB) {
			rc = oidset_add(c->seen, git_tree_entry_id(e));
			if (rc > 0)
				rc = check_one(c, git_tree_entry_id(e), GIT_OBJECT_BLOB, commit_hex,
				               c->path.data);
		} else {
			problem(c, commit_hex, c->path.data, "unexpected %s entry",
			        git_object_type2string(type));
		}
		c->path.len = saved;
		c->path.data[saved] = '\0';
	}
	git_tree_free(tree);
	return rc < 0 ? rc : 0;
}

int ss_git_check_objects(struct ss_trail *t, const struct ss_oid *from, ss_problem_fn fn, void *ctx)
{
	struct check_ctx c;
	struct ss_git_oidv stack = {NULL, 0, 0};
	git_commit *commit = NULL;
	struct ss_oid start;
	git_oid id;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.repo = ss_git_repo(t);
	c.fn = fn;
	c.ctx = ctx;
	if ((rc = ss_map_new(&c.seen, SS_MAP_COPY_KEYS, NULL)) < 0)
		goto out;
	if (git_repository_odb(&c.odb, c.repo) < 0) {
		rc = ss_git_fail(SS_EIO, "cannot open the objects of '%s'", t->path);
		goto out;
	}
	if (from != NULL)
		start = *from;
	else if ((rc = ss_git_tip(t, &start)) < 0)
		goto out;
	to_git(&id, &start);
	if ((rc = ss_git_oidv_push(&stack, &id)) < 0 || (rc = ss_buf_puts(&c.path, "")) < 0)
		goto out;
	/* Our own walk over parents rather than a revwalk, so a damaged commit
	 * is reported instead of ending the check. */
	while (stack.n > 0) {
		char hex[41];
		unsigned int i, np;

		id = stack.v[--stack.n];
		rc = oidset_add(c.seen, &id);
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		ss_git_hex(&id, hex);
		rc = check_one(&c, &id, GIT_OBJECT_COMMIT, hex, "");
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		if (git_commit_lookup(&commit, c.repo, &id) < 0) {
			problem(&c, hex, "", "commit cannot be parsed: %s", ss_git_msg());
			continue;
		}
		c.path.len = 0;
		c.path.data[0] = '\0';
		if ((rc = check_tree(&c, git_commit_tree_id(commit), hex)) < 0)
			goto out;
		np = git_commit_parentcount(commit);
		for (i = 0; i < np; i++)
			if ((rc = ss_git_oidv_push(&stack, git_commit_parent_id(commit, i))) < 0)
				goto out;
		git_commit_free(commit);
		commit = NULL;
	}
	rc = 0;
	if (c.problems > 0)
		rc = ss_error_set(SS_EFAIL, "%zu damaged or missing object%s in the audit trail",
		                  c.problems, c.problems == 1 ? "" : "s");
out:
	git_commit_free(commit);
	free(stack.v);
	ss_map_free(c.seen);
	ss_buf_release(&c.path);
	git_odb_free(c.odb);
	return rc;
}

/* ------------------------------------------------------- loose objects */

#define LOOSE_CHUNK 65536

/* Does this loose object's zlib stream inflate to its end? 1 yes, 0 no (*why
 * says what is wrong), < 0 I/O error. in and out: LOOSE_CHUNK bytes each,
 * scratch. */
static int loose_whole(const char *path, unsigned char *in, unsigned char *out, const char **why)
{
	z_stream zs;
	FILE *f = fopen(path, "rb");
	int zr = Z_OK, rc = 0;

	*why = NULL;
	if (f == NULL)
		return ss_error_set(SS_EIO, "cannot open '%s': %s", path, strerror(errno));
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		fclose(f);
		return ss_error_nomem();
	}
	while (zr != Z_STREAM_END) {
		size_t n = fread(in, 1, LOOSE_CHUNK, f);

		if (n == 0) {
			*why = ferror(f) ? "it cannot be read" : "its compressed data is cut short";
			break;
		}
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		do {
			zs.next_out = out;
			zs.avail_out = LOOSE_CHUNK;
			zr = inflate(&zs, Z_NO_FLUSH);
		} while (zr == Z_OK && zs.avail_in > 0);
		if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			*why = "its compressed data is corrupt";
			break;
		}
	}
	rc = *why == NULL ? 1 : 0;
	inflateEnd(&zs);
	fclose(f);
	return rc;
}

int ss_git_check_loose(struct ss_trail *t, ss_problem_fn fn, void *ctx, size_t *checked)
{
	struct ss_buf path = SS_BUF_INIT;
	unsigned char *scratch = malloc(2 * LOOSE_CHUNK);
	DIR *top = NULL, *sub = NULL;
	struct dirent *e, *f;
	size_t bad = 0, base;
	int rc = 0;

	*checked = 0;
	if (scratch == NULL)
		return ss_error_nomem();
	if ((rc = ss_buf_printf(&path, "%sobjects/", t->gitdir)) < 0)
		goto out;
	base = path.len;
	if ((top = opendir(path.data)) == NULL) {
		rc = ss_error_set(SS_EIO, "cannot read '%s': %s", path.data, strerror(errno));
		goto out;
	}
	while ((e = readdir(top)) != NULL) {
		size_t dirlen;

		if (!ss_git_is_hex(e->d_name, 2))
			continue;
		path.len = base;
		if ((rc = ss_buf_printf(&path, "%s/", e->d_name)) < 0)
			goto out;
		dirlen = path.len;
		if ((sub = opendir(path.data)) == NULL)
			continue;
		while ((f = readdir(sub)) != NULL) {
			const char *why;
			int whole;

			if (!ss_git_is_hex(f->d_name, 38))
				continue;
			path.len = dirlen;
			if ((rc = ss_buf_puts(&path, f->d_name)) < 0)
				goto out;
			whole = loose_whole(path.data, scratch, scratch + LOOSE_CHUNK, &why);
			if (whole < 0) {
				rc = whole;
				goto out;
			}
			(*checked)++;
			if (!whole) {
				char reason[160];

				bad++;
				snprintf(reason, sizeof(reason), "object %.2s%.38s is damaged: %s",
				         e->d_name, f->d_name, why);
				if (fn != NULL)
					fn(ctx, "", path.data + base - strlen("objects/"), reason);
			}
		}
		closedir(sub);
		sub = NULL;
	}
	if (bad > 0)
		rc = ss_error_set(SS_EFAIL, "%zu damaged object%s in the audit trail", bad,
		                  bad == 1 ? "" : "s");
out:
	if (sub != NULL)
		closedir(sub);
	if (top != NULL)
		closedir(top);
	ss_buf_release(&path);
	free(scratch);
	return rc;
}
