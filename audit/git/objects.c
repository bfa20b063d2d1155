/*
 * objects.c - is every object intact, and does every directory hold what
 * git fsck and the trail's layout allow? ss_git_check_objects reads each
 * object reachable from a commit once, hashed again, and each directory once
 * at each path it is found at (after loose.c has inflated every loose object
 * file, as libgit2 1.5 loops forever on a truncated one). Problems go to the
 * caller's callback; nothing is repaired.
 */
#include "git_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <git2/sys/odb_backend.h>

#include "buf.h"
#include "error.h"
#include "map.h"
#include "par.h"

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

/* A commit read by the check: its tree and its parents among the commits read. */
struct node {
	git_oid id, tree;
	size_t parents[2]; /* indexes into the nodes; SIZE_MAX: none */
	git_oid parent_ids[2];
	size_t nparents; /* how many parent_ids (the first two; a third is read, not ordered) */
};

/* A directory waiting to be checked, at a path (owned), with the directory
 * at the same path in the commit's first parent when there is one (base). */
struct pending {
	git_oid id, base;
	bool has_base;
	char *path;
};

/* Directories kept from the commit checked last and the one being checked,
 * as the next commit's bases are mostly the last one's directories. */
#define KEEP_MAX 64
struct kept {
	git_oid id;
	git_odb_object *obj;
	struct ss_git_tree_index ix; /* where its entries start, when it was checked (n 0: not) */
};

/* An entry of a directory already checked at a path, as parsed. */
struct base_entry {
	const char *name;
	size_t name_len;
	bool is_tree;
	const unsigned char *id;
};

struct check_ctx {
	struct ss_trail *trail;
	git_repository *repo;
	git_odb *odb;
	struct ss_map *seen;   /* objects read and hashed (20-byte ids) */
	struct ss_map *placed; /* directories checked at a path (id and path) */
	struct ss_map *flawed; /* directories whose entries had a problem (20-byte ids) */
	ss_path_check_fn names;
	void *names_ctx;
	ss_problem_fn fn;
	void *ctx;
	ss_walk_fn commit;
	void *commit_ctx;
	int (*reading)(void *ctx, const struct ss_oid *id);
	struct ss_buf armour, payload; /* a commit's signature, for commit */
	size_t problems;
	/* the directory being read, and the entries of its base (the same path in
	 * the first parent, already checked there), next the one to compare:
	 * parsed (nbase of them), or read from a kept directory's bytes as the
	 * cursor moves (base_ix not NULL; from the first entry the directory
	 * being read does not share, since->head) */
	const char *hex, *dir;
	struct ss_buf path;
	struct base_entry *base;
	size_t nbase, capbase, next;
	const unsigned char *base_raw;
	const struct ss_git_tree_index *base_ix;
	const struct ss_git_tree_since *since;
	bool started;
	struct kept kept[2][KEEP_MAX]; /* [gen]: this commit's; [!gen]: the last one's */
	size_t nkept[2];
	unsigned gen;
	struct pending *todo;
	size_t ntodo, captodo;
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
 * 1 when intact (*out, when not NULL, holds it: the caller frees), 0 when a
 * problem was reported, < 0 on our own failure. */
static int check_one(struct check_ctx *c, const git_oid *id, git_object_t want,
                     const char *commit_hex, const char *path, git_odb_object **out)
{
	git_odb_object *obj = NULL;
	char hex[41];
	int err;

	ss_git_hex(id, hex);
	err = git_odb_read(&obj, c->odb, id);
	if (err == GIT_ENOTFOUND) {
		problem(c, commit_hex, path, _("%s %s is missing"), git_object_type2string(want),
		        hex);
		return 0;
	} else if (err < 0) {
		problem(c, commit_hex, path, _("%s %s is damaged: %s"),
		        git_object_type2string(want), hex, ss_git_msg());
		return 0;
	}
	if (git_odb_object_type(obj) != want) {
		problem(c, commit_hex, path, _("%s is a %s where a %s was expected"), hex,
		        git_object_type2string(git_odb_object_type(obj)),
		        git_object_type2string(want));
		git_odb_object_free(obj);
		return 0;
	}
	if (out != NULL)
		*out = obj;
	else
		git_odb_object_free(obj);
	return 1;
}

/* Is this object stored once, as a loose file of the trail's own (no pack
 * or alternate holds another copy that a read might take instead)? */
static bool loose_only(struct check_ctx *c, const git_oid *id)
{
	char file[4096];
	size_t i, n, held = 0;
	struct stat st;

	if (ss_git_loose_path(c->trail->gitdir, id, file, sizeof(file)) != 0 ||
	    stat(file, &st) != 0)
		return false;
	n = git_odb_num_backends(c->odb);
	for (i = 0; i < n; i++) {
		git_odb_backend *b = NULL;

		if (git_odb_get_backend(&b, c->odb, i) < 0 || b->exists == NULL) {
			git_error_clear();
			return false;
		}
		if (b->exists(b, id))
			held++;
	}
	return held == 1;
}

static int no_piece(void *arg, const char *data, size_t n)
{
	(void)arg, (void)data, (void)n;
	return 0;
}

/*
 * A blob, checked as check_one does. A large one (SS_GIT_BIGBLOB_MIN or
 * more: a month's population) stored once, as a loose file, is never held
 * whole: ss_git_check_loose has already inflated and hashed it, or it is
 * read a piece at a time (inflated on a second thread, hashed as it comes).
 * Either way the hash is plain SHA-1, not libgit2's SHA-1DC: collision
 * detection buys nothing there, as every large file a trail may hold is then
 * read by verify in full as strict JSON, where the binary blocks of a SHA-1
 * collision cannot stand, and the population a sample was drawn from is
 * pinned by its SHA-256 in sample.json. A large blob stored otherwise (in a
 * pack, or twice) is read whole by libgit2, whose copy later reads take.
 */
static int check_blob(struct check_ctx *c, const git_oid *id, const char *path,
                      git_odb_object **out)
{
	struct ss_oid blob;
	char hex[41];
	git_object_t type;
	size_t size;
	int rc;

	if (git_odb_read_header(&size, &type, c->odb, id) < 0 || type != GIT_OBJECT_BLOB ||
	    size < SS_GIT_BIGBLOB_MIN || !loose_only(c, id)) {
		git_error_clear();
		return check_one(c, id, GIT_OBJECT_BLOB, c->hex, path, out);
	}
	if (c->trail->hashed != NULL && ss_map_get(c->trail->hashed, id->id, GIT_OID_RAWSZ) != NULL)
		return 1;
	memcpy(blob.id, id->id, sizeof(blob.id));
	if ((rc = ss_git_read_blob_pieces(c->trail, &blob, path, no_piece, NULL)) == 0)
		return 1;
	if (rc == SS_ENOMEM)
		return rc;
	ss_git_hex(id, hex);
	problem(c, c->hex, path, _("%s %s is damaged: %s"), "blob", hex, ss_error_message());
	return 0;
}

static int todo_push(struct check_ctx *c, const git_oid *id, const git_oid *base, const char *path)
{
	struct pending *p;

	if (c->ntodo == c->captodo) {
		size_t cap = c->captodo > 0 ? c->captodo * 2 : 64;
		struct pending *grown = realloc(c->todo, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		c->todo = grown;
		c->captodo = cap;
	}
	p = &c->todo[c->ntodo];
	git_oid_cpy(&p->id, id);
	p->has_base = base != NULL;
	if (base != NULL)
		git_oid_cpy(&p->base, base);
	if ((p->path = strdup(path)) == NULL)
		return ss_error_nomem();
	c->ntodo++;
	return 0;
}

/* git's order of tree entries: a directory sorts as if its name ended in '/'. */
static int name_cmp(const char *a, size_t la, bool ta, const char *b, size_t lb, bool tb)
{
	size_t n = la < lb ? la : lb;
	int c = memcmp(a, b, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = n < la ? (unsigned char)a[n] : ta ? (unsigned char)'/' : 0;
	cb = n < lb ? (unsigned char)b[n] : tb ? (unsigned char)'/' : 0;
	return (int)ca - (int)cb;
}

/* The base's entry of the same name and kind as e, if any (its id in *id).
 * Both lists are in git's order, so one cursor serves the whole directory. */
static bool base_match(struct check_ctx *c, const struct ss_git_tree_entry *e,
                       const unsigned char **id)
{
	size_t n = c->base_ix != NULL ? c->base_ix->n : c->nbase;

	if (c->base_ix != NULL && !c->started) {
		c->next = c->since->head; /* set before the first entry is given */
		c->started = true;
	}
	while (c->next < n) {
		struct ss_git_tree_entry b;
		int cmp;

		if (c->base_ix != NULL)
			b = ss_git_tree_entry_at(c->base_raw, c->base_ix->at[c->next]);
		else
			b = (struct ss_git_tree_entry){
			    c->base[c->next].name, c->base[c->next].name_len,
			    c->base[c->next].is_tree, c->base[c->next].id};
		cmp = name_cmp(b.name, b.name_len, b.is_tree, e->name, e->name_len, e->is_tree);
		if (cmp > 0)
			return false;
		c->next++;
		if (cmp == 0) {
			*id = b.id;
			return true;
		}
	}
	return false;
}

static int base_add(void *ctx, const struct ss_git_tree_entry *e)
{
	struct check_ctx *c = ctx;

	if (c->nbase == c->capbase) {
		size_t cap = c->capbase > 0 ? c->capbase * 2 : 64;
		struct base_entry *grown = realloc(c->base, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		c->base = grown;
		c->capbase = cap;
	}
	c->base[c->nbase++] = (struct base_entry){e->name, e->name_len, e->is_tree, e->id};
	return 0;
}

/* Keep a directory of this commit (checked, or a base) for the next commit
 * and the note of this one's diff, while there is room; with where its
 * entries start when it was checked (ix, taken: left empty). */
static void keep(struct check_ctx *c, const git_oid *id, git_odb_object *obj,
                 struct ss_git_tree_index *ix)
{
	struct kept *kp;

	if (c->nkept[c->gen] == KEEP_MAX || git_odb_object_dup(&obj, obj) < 0)
		return;
	kp = &c->kept[c->gen][c->nkept[c->gen]++];
	git_oid_cpy(&kp->id, id);
	kp->obj = obj;
	memset(&kp->ix, 0, sizeof(kp->ix));
	if (ix != NULL) {
		kp->ix = *ix;
		memset(ix, 0, sizeof(*ix));
	}
}

/* A directory for the note of a commit's diff: one kept, else read. */
static git_odb_object *tree_get(void *ctx, const git_oid *id)
{
	struct check_ctx *c = ctx;
	git_odb_object *obj = NULL;
	size_t i, k;

	for (i = 0; i < 2; i++)
		for (k = 0; k < c->nkept[c->gen ^ i]; k++)
			if (git_oid_equal(&c->kept[c->gen ^ i][k].id, id))
				return git_odb_object_dup(&obj, c->kept[c->gen ^ i][k].obj) == 0
				           ? obj
				           : NULL;
	if (git_odb_read(&obj, c->odb, id) < 0)
		return NULL;
	keep(c, id, obj, NULL);
	return obj;
}

/*
 * The entries of the directory at the same path in the first parent, which
 * was checked there (parents come first): an entry the same in both (name,
 * kind, id) was checked at this path already and is skipped, so a commit
 * costs what it changed, not the size of its directories. When the base was
 * kept with where its entries start (it was checked by the last commit, as
 * a verdict's directories were), *ix points there, and the parse of the new
 * directory skips what the two share (ss_git_tree_parse_since); else its
 * entries are parsed here. No base (nothing skipped) when it cannot be read
 * or had a problem among its entries, whose every check is then made again
 * as before. *obj holds the base's bytes.
 */
static int load_base(struct check_ctx *c, const struct pending *p, git_odb_object **obj,
                     const struct ss_git_tree_index **ix)
{
	struct ss_git_tree_problem why;
	size_t i, k;
	int rc = 0;

	c->nbase = c->next = 0;
	c->base_raw = NULL;
	c->base_ix = NULL;
	c->started = false;
	*obj = NULL;
	*ix = NULL;
	if (!p->has_base || ss_map_get(c->flawed, p->base.id, GIT_OID_RAWSZ) != NULL ||
	    ss_map_get(c->seen, p->base.id, GIT_OID_RAWSZ) == NULL)
		return 0;
	for (i = 0; i < 2 && *obj == NULL; i++)
		for (k = 0; k < c->nkept[i]; k++)
			if (git_oid_equal(&c->kept[i][k].id, &p->base) &&
			    git_odb_object_dup(obj, c->kept[i][k].obj) == 0) {
				if (c->kept[i][k].ix.at != NULL)
					*ix = &c->kept[i][k].ix;
				break;
			}
	if (*obj == NULL) {
		if (git_odb_read(obj, c->odb, &p->base) < 0) {
			git_error_clear();
			*obj = NULL;
			return 0;
		}
		keep(c, &p->base, *obj, NULL); /* the diff's note reads it again */
	}
	if (git_odb_object_type(*obj) != GIT_OBJECT_TREE) {
		rc = 1;
	} else if (*ix != NULL) {
		c->base_raw = git_odb_object_data(*obj);
		c->base_ix = *ix;
		return 0;
	} else if ((rc = ss_git_tree_parse(git_odb_object_data(*obj), git_odb_object_size(*obj),
	                                   base_add, c, &why)) == 0) {
		return 0;
	}
	c->nbase = 0;
	*ix = NULL;
	git_odb_object_free(*obj);
	*obj = NULL;
	return rc < 0 ? rc : 0;
}

/* One entry of the directory being read: its name against the layout, a
 * file hashed once, a directory queued. */
static int on_entry(void *ctx, const struct ss_git_tree_entry *e)
{
	struct check_ctx *c = ctx;
	const unsigned char *bid = NULL;
	bool b = (c->nbase > 0 || c->base_ix != NULL) && base_match(c, e, &bid);
	git_odb_object *obj = NULL;
	const char *why;
	git_oid id;
	int rc;

	if (b && memcmp(bid, e->id, GIT_OID_RAWSZ) == 0)
		return 0; /* checked at this path in the parent */
	c->path.len = 0;
	if ((rc = ss_buf_puts(&c->path, c->dir)) < 0 ||
	    (*c->dir != '\0' && (rc = ss_buf_putc(&c->path, '/')) < 0) ||
	    (rc = ss_buf_put(&c->path, e->name, e->name_len)) < 0)
		return rc;
	if (c->names != NULL && (why = c->names(c->names_ctx, c->path.data, e->is_tree)) != NULL) {
		/* Not followed: whatever lies below has no place in a trail either. */
		problem(c, c->hex, c->path.data, "%s", why);
		return 0;
	}
	memcpy(id.id, e->id, GIT_OID_RAWSZ);
	if (e->is_tree) {
		git_oid base;

		if (b)
			memcpy(base.id, bid, GIT_OID_RAWSZ);
		return todo_push(c, &id, b ? &base : NULL, c->path.data);
	}
	rc = oidset_add(c->seen, &id);
	if (rc <= 0)
		return rc;
	rc = check_blob(c, &id, c->path.data, c->trail->blobs != NULL ? &obj : NULL);
	if (rc == 1 && obj != NULL) {
		rc = ss_git_blob_keep(c->trail, &id, git_odb_object_data(obj),
		                      git_odb_object_size(obj));
		git_odb_object_free(obj);
	}
	return rc < 0 ? rc : 0;
}

/* A new commit: the last one's directories are dropped, this one's become the last. */
static void keep_turn(struct check_ctx *c)
{
	unsigned old = c->gen ^ 1u;

	while (c->nkept[old] > 0) {
		struct kept *kp = &c->kept[old][--c->nkept[old]];

		git_odb_object_free(kp->obj);
		ss_git_tree_index_release(&kp->ix);
	}
	c->gen = old;
}

/* Every directory of a commit not yet checked at its path, one at a time
 * from a list rather than by recursion, so no depth can exhaust the stack. */
static int check_trees(struct check_ctx *c, const git_oid *root, const git_oid *base,
                       const char *commit_hex)
{
	struct ss_buf key = SS_BUF_INIT;
	int rc;

	c->hex = commit_hex;
	keep_turn(c);
	if ((rc = todo_push(c, root, base, "")) < 0)
		goto out;
	while (c->ntodo > 0) {
		struct pending p = c->todo[--c->ntodo];
		const char *shown = *p.path != '\0' ? p.path : "/";
		struct ss_git_tree_problem why;
		struct ss_git_tree_index ix = {NULL, 0, 0};
		const struct ss_git_tree_index *bix;
		struct ss_git_tree_since since;
		git_odb_object *obj = NULL, *bobj = NULL;
		union ss_map_value *v;
		size_t problems;
		bool added;

		ss_buf_reset(&key);
		if ((rc = ss_buf_put(&key, p.id.id, GIT_OID_RAWSZ)) < 0 ||
		    (rc = ss_buf_puts(&key, p.path)) < 0 ||
		    (rc = ss_map_put(c->placed, key.data, key.len, &v, &added)) < 0) {
			free(p.path);
			goto out;
		}
		if (!added) {
			free(p.path);
			continue;
		}
		(void)oidset_add(c->seen, &p.id);
		rc = check_one(c, &p.id, GIT_OBJECT_TREE, commit_hex, shown, &obj);
		if (rc <= 0) {
			free(p.path);
			if (rc < 0)
				goto out;
			continue;
		}
		if ((rc = load_base(c, &p, &bobj, &bix)) < 0) {
			git_odb_object_free(obj);
			free(p.path);
			goto out;
		}
		c->dir = p.path;
		c->since = &since;
		problems = c->problems;
		rc = ss_git_tree_parse_since(git_odb_object_data(obj), git_odb_object_size(obj),
		                             bix != NULL ? git_odb_object_data(bobj) : NULL,
		                             bix != NULL ? git_odb_object_size(bobj) : 0, bix,
		                             on_entry, c, &why, &ix, &since);
		if (rc == 1) {
			ss_buf_reset(&c->path);
			if (*p.path != '\0')
				ss_buf_printf(&c->path, "%s/", p.path);
			if (why.name != NULL)
				ss_buf_put(&c->path, why.name, why.name_len);
			problem(c, commit_hex, c->path.len > 0 ? c->path.data : "/", "%s", why.why);
			rc = 0;
		}
		if (rc == 0 && c->problems != problems)
			rc = oidset_add(c->flawed, &p.id) < 0 ? SS_ENOMEM : 0;
		c->dir = NULL;
		c->nbase = 0;
		c->base_ix = NULL;
		c->base_raw = NULL;
		c->since = NULL;
		git_odb_object_free(bobj);
		if (rc == 0)
			keep(c, &p.id, obj, c->problems == problems ? &ix : NULL);
		ss_git_tree_index_release(&ix);
		git_odb_object_free(obj);
		free(p.path);
		if (rc < 0)
			goto out;
	}
out:
	while (c->ntodo > 0)
		free(c->todo[--c->ntodo].path);
	ss_buf_release(&key);
	return rc;
}

/* An intact commit to the caller's hook: its id and signature. */
static int hand_commit(struct check_ctx *c, const git_oid *id, git_odb_object *raw)
{
	struct ss_commit_view v;
	int rc;

	memset(&v, 0, sizeof(v));
	memcpy(v.oid.id, id->id, GIT_OID_RAWSZ);
	if ((rc = ss_git_split_commit(git_odb_object_data(raw), git_odb_object_size(raw), &v,
	                              &c->armour, &c->payload)) < 0)
		return rc;
	return c->commit(c->commit_ctx, &v);
}

/* The commits reachable from start, each read and hashed once; a damaged
 * commit is reported and its parents not followed. */
static int read_commits(struct check_ctx *c, const git_oid *start, struct node **out, size_t *n)
{
	struct ss_git_oidv stack = {NULL, 0, 0};
	struct node *nodes = NULL;
	size_t cap = 0;
	git_oid id;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = ss_git_oidv_push(&stack, start)) < 0)
		goto out;
	while (stack.n > 0) {
		git_commit *commit = NULL;
		git_odb_object *raw = NULL;
		struct node *nd;
		char hex[41];
		unsigned int i, np;

		id = stack.v[--stack.n];
		rc = oidset_add(c->seen, &id);
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		if (c->reading != NULL) {
			struct ss_oid o;

			memcpy(o.id, id.id, GIT_OID_RAWSZ);
			if ((rc = c->reading(c->ctx, &o)) != 0)
				goto out;
		}
		ss_git_hex(&id, hex);
		rc = check_one(c, &id, GIT_OBJECT_COMMIT, hex, "", c->commit != NULL ? &raw : NULL);
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		if (raw != NULL && (rc = hand_commit(c, &id, raw)) != 0) {
			git_odb_object_free(raw);
			goto out;
		}
		git_odb_object_free(raw);
		raw = NULL;
		if (git_commit_lookup(&commit, c->repo, &id) < 0) {
			problem(c, hex, "", _("commit cannot be parsed: %s"), ss_git_msg());
			continue;
		}
		if (*n == cap) {
			size_t grown_cap = cap > 0 ? cap * 2 : 256;
			struct node *grown = realloc(nodes, grown_cap * sizeof(*grown));

			if (grown == NULL) {
				git_commit_free(commit);
				rc = ss_error_nomem();
				goto out;
			}
			nodes = grown;
			cap = grown_cap;
		}
		nd = &nodes[(*n)++];
		memset(nd, 0, sizeof(*nd));
		git_oid_cpy(&nd->id, &id);
		git_oid_cpy(&nd->tree, git_commit_tree_id(commit));
		np = git_commit_parentcount(commit);
		for (i = 0; i < np; i++) {
			if (i < 2)
				git_oid_cpy(&nd->parent_ids[nd->nparents++],
				            git_commit_parent_id(commit, i));
			if ((rc = ss_git_oidv_push(&stack, git_commit_parent_id(commit, i))) < 0) {
				git_commit_free(commit);
				goto out;
			}
		}
		git_commit_free(commit);
	}
	rc = 0;
	*out = nodes;
	nodes = NULL;
out:
	free(nodes);
	free(stack.v);
	return rc;
}

/* The nodes in an order where every (followed) parent comes before its
 * child, so a directory is blamed on the first commit that holds it: an
 * iterative depth-first walk that emits a commit after its parents. */
static int parents_first(struct node *nodes, size_t n, size_t **order)
{
	struct ss_map *index = NULL;
	size_t *out = NULL, *stack = NULL, *next = NULL, k = 0, sp = 0, i;
	unsigned char *state = NULL; /* 0 new, 1 on the stack, 2 emitted */
	int rc;

	*order = NULL;
	if ((rc = ss_map_new(&index, 0, NULL)) < 0)
		goto out;
	out = malloc((n + 1) * sizeof(*out));
	stack = malloc((n + 1) * sizeof(*stack));
	next = calloc(n + 1, sizeof(*next));
	state = calloc(n + 1, 1);
	if (out == NULL || stack == NULL || next == NULL || state == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		union ss_map_value *v;

		if ((rc = ss_map_put(index, nodes[i].id.id, GIT_OID_RAWSZ, &v, NULL)) < 0)
			goto out;
		v->size = i;
	}
	for (i = 0; i < n; i++) {
		size_t p;

		for (p = 0; p < 2; p++) {
			union ss_map_value *v =
			    p < nodes[i].nparents
			        ? ss_map_get(index, nodes[i].parent_ids[p].id, GIT_OID_RAWSZ)
			        : NULL;

			nodes[i].parents[p] = v != NULL ? v->size : SIZE_MAX;
		}
	}
	for (i = 0; i < n; i++) {
		if (state[i] != 0)
			continue;
		stack[sp++] = i;
		state[i] = 1;
		while (sp > 0) {
			size_t top = stack[sp - 1], p;

			if (next[top] < 2) {
				p = nodes[top].parents[next[top]++];
				if (p != SIZE_MAX && state[p] == 0) {
					state[p] = 1;
					stack[sp++] = p;
				}
				continue;
			}
			state[top] = 2;
			out[k++] = top;
			sp--;
		}
	}
	*order = out;
	out = NULL;
out:
	free(out);
	free(stack);
	free(next);
	free(state);
	ss_map_free(index);
	return rc;
}

int ss_git_check_objects(struct ss_trail *t, const struct ss_oid *from, ss_path_check_fn names,
                         void *names_ctx, ss_problem_fn fn, void *ctx)
{
	struct ss_git_check_hooks h = {names, names_ctx, fn, ctx, NULL, NULL, NULL};

	return ss_git_check_objects_hooked(t, from, &h);
}

/* A check's context on a trail, with the caller's hooks; 0 or < 0 (then
 * ctx_release it all the same). */
static int ctx_init(struct check_ctx *c, struct ss_trail *t, const struct ss_git_check_hooks *h)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->trail = t;
	c->repo = ss_git_repo(t);
	c->names = h->names;
	c->names_ctx = h->names_ctx;
	c->fn = h->fn;
	c->ctx = h->ctx;
	c->commit = h->commit;
	c->commit_ctx = h->commit_ctx;
	c->reading = h->reading;
	if ((rc = ss_map_new(&c->seen, SS_MAP_COPY_KEYS, NULL)) < 0 ||
	    (rc = ss_map_new(&c->placed, SS_MAP_COPY_KEYS, NULL)) < 0 ||
	    (rc = ss_map_new(&c->flawed, SS_MAP_COPY_KEYS, NULL)) < 0)
		return rc;
	if (git_repository_odb(&c->odb, c->repo) < 0)
		return ss_git_fail(SS_EIO, _("cannot open the objects of '%s'"), t->path);
	return 0;
}

static void ctx_release(struct check_ctx *c)
{
	keep_turn(c);
	keep_turn(c);
	free(c->todo);
	free(c->base);
	ss_map_free(c->seen);
	ss_map_free(c->placed);
	ss_map_free(c->flawed);
	ss_buf_release(&c->armour);
	ss_buf_release(&c->payload);
	ss_buf_release(&c->path);
	git_odb_free(c->odb);
	memset(c, 0, sizeof(*c));
}

/* The directories (and blobs) of commits order[lo..hi), parents first, each
 * against its first parent's, with the note of what it changed. */
static int check_range(struct check_ctx *c, const struct node *nodes, const size_t *order,
                       size_t lo, size_t hi)
{
	size_t i;
	int rc;

	for (i = lo; i < hi; i++) {
		const struct node *nd = &nodes[order[i]];
		size_t first = nd->parents[0];
		char hex[41];

		ss_git_hex(&nd->id, hex);
		if ((rc = check_trees(c, &nd->tree, first != SIZE_MAX ? &nodes[first].tree : NULL,
		                      hex)) < 0)
			return rc;
		if (first != SIZE_MAX && c->trail->notes != NULL &&
		    (rc = ss_git_note_diff(c->trail, &nd->id, &nodes[first].id, &nd->tree,
		                           &nodes[first].tree, tree_get, c)) < 0)
			return rc;
	}
	return 0;
}

/*
 * A long trail's commits checked in two halves at once, the later half on a
 * second thread with a trail handle of its own (libgit2 is never shared
 * across threads), problems only counted. *clean true when both halves
 * found nothing: then the notes and kept blobs of both are the trail's, as
 * one thread would have left them. Otherwise (a problem, or a thread or
 * handle that cannot be had) the trail's notes and kept blobs are as they
 * were, and the caller checks the whole trail again on one thread, so what
 * it reports, and in what order, never depends on this.
 */
#define SPLIT_MIN                                                                                  \
	2000 /* commits: fewer are checked on one thread (unless                                   \
	        SSAUDIT_THREADS is set, for tests) */

struct half {
	struct check_ctx c;
	const struct node *nodes;
	const size_t *order;
	size_t lo, hi;
	int rc;
	char msg[1024];
};

static void *half_main(void *arg)
{
	struct half *h = arg;

	h->rc = check_range(&h->c, h->nodes, h->order, h->lo, h->hi);
	if (h->rc < 0)
		snprintf(h->msg, sizeof(h->msg), "%s", ss_error_message());
	return NULL;
}

static int check_halves(struct ss_trail *t, const struct ss_git_check_hooks *h,
                        const struct node *nodes, const size_t *order, size_t n, bool *clean)
{
	struct ss_git_check_hooks quiet = *h;
	struct ss_trail *t2 = NULL;
	size_t keep_each = t->blobs_each, keep_total = t->blobs_left;
	struct check_ctx a;
	struct half b;
	pthread_t thread;
	int rc;

	*clean = false;
	if (n < (ss_par_forced() ? 2 : SPLIT_MIN) || ss_par_threads() < 2 ||
	    ss_git_open_read(t->path, &t2) < 0) {
		ss_error_clear();
		return 0;
	}
	quiet.fn = NULL; /* counted only: any problem is told by the check on one thread */
	memset(&b, 0, sizeof(b));
	b.nodes = nodes;
	b.order = order;
	b.lo = n / 2;
	b.hi = n;
	ss_git_note_diffs(t2, t->notes != NULL);
	ss_git_share_blobs(t, t2);
	if ((rc = ctx_init(&a, t, &quiet)) < 0 || (rc = ctx_init(&b.c, t2, &quiet)) < 0)
		goto out;
	if (pthread_create(&thread, NULL, half_main, &b) != 0)
		goto out; /* *clean false: checked again on one thread */
	rc = check_range(&a, nodes, order, 0, n / 2);
	pthread_join(thread, NULL);
	if (rc == 0 && b.rc < 0)
		rc = ss_error_set(b.rc, "%s", b.msg);
	if (rc == 0 && a.problems == 0 && b.c.problems == 0 &&
	    (rc = ss_git_take_notes(t, t2)) == 0 && (rc = ss_git_take_blobs(t, t2)) == 0)
		*clean = true;
out:
	ctx_release(&a);
	ctx_release(&b.c);
	ss_git_free(t2);
	if (!*clean) {
		/* A clean slate for the check on one thread: what a half left goes. */
		if (t->notes != NULL)
			ss_git_note_diffs(t, true);
		if (t->blobs != NULL)
			ss_git_keep_blobs(t, keep_each, keep_total);
	}
	return rc;
}

int ss_git_check_objects_hooked(struct ss_trail *t, const struct ss_oid *from,
                                const struct ss_git_check_hooks *h)
{
	struct check_ctx c;
	struct node *nodes = NULL;
	size_t *order = NULL, n = 0;
	struct ss_oid start;
	git_oid id;
	bool clean = false;
	int rc = 0;

	if ((rc = ctx_init(&c, t, h)) < 0)
		goto out;
	if (from != NULL)
		start = *from;
	else if ((rc = ss_git_tip(t, &start)) < 0)
		goto out;
	to_git(&id, &start);
	/* Our own walk over parents rather than a revwalk, so a damaged commit
	 * is reported instead of ending the check. */
	if ((rc = read_commits(&c, &id, &nodes, &n)) != 0 ||
	    (h->reading != NULL && (rc = h->reading(h->ctx, NULL)) != 0) ||
	    (rc = parents_first(nodes, n, &order)) < 0 ||
	    (rc = check_halves(t, h, nodes, order, n, &clean)) < 0)
		goto out;
	if (!clean && (rc = check_range(&c, nodes, order, 0, n)) < 0)
		goto out;
	rc = 0;
	if (c.problems > 0)
		rc = ss_error_set(
		    SS_EFAIL, _("%zu damaged, missing or misplaced object%s in the audit trail"),
		    c.problems, c.problems == 1 ? "" : "s");
out:
	free(order);
	free(nodes);
	ctx_release(&c);
	return rc;
}
