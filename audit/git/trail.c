/*
 * trail.c - the audit trail's git repository through libgit2 (the only file
 * that calls it).
 *
 * Durability: objects are written (and, with fsync on, synced) before main
 * moves, and main only moves by compare-and-swap, so a process killed at any
 * moment leaves at most unreferenced objects and a stale refs/heads/main.lock,
 * which the next lock holder removes.
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
#include "trail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "error.h"

#define SS_MAIN_REF "refs/heads/main"

struct ss_trail {
	char *path;   /* as the caller gave it, for messages */
	char *gitdir; /* libgit2's path, ends in '/' */
	git_repository *repo;
	int lock_fd; /* -1 when not held */
	bool fsync;
	git_repository *batch_repo; /* non-NULL while a batch is open */
	struct batch_store *store;  /* owned by batch_repo's object database */
};

/* ---------------------------------------------------------------- errors */

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e != NULL && e->message != NULL ? e->message : "unknown libgit2 error";
}

/* Set "WHAT: LIBGIT2 MESSAGE" and return code. */
SS_PRINTF(2, 3) static int git_fail(int code, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ss_error_set(code, "%s: %s", what, git_msg());
}

static int busy_changed(void)
{
	return ss_error_set(SS_EBUSY,
	                    "the audit trail changed while this was being recorded; try again");
}

/* ------------------------------------------------------------------ oids */

static void to_git(git_oid *g, const struct ss_oid *o)
{
	memcpy(g->id, o->id, sizeof(o->id));
}

static void from_git(struct ss_oid *o, const git_oid *g)
{
	memcpy(o->id, g->id, sizeof(o->id));
}

void ss_oid_hex(const struct ss_oid *oid, char out[41])
{
	ss_hex_encode(out, oid->id, sizeof(oid->id));
}

int ss_oid_parse(const char *hex, struct ss_oid *out)
{
	if (hex == NULL || strlen(hex) != 40 || ss_hex_decode(out->id, sizeof(out->id), hex) < 0)
		return ss_error_set(SS_EDATA, "'%s' is not a 40-digit commit id",
		                    hex != NULL ? hex : "");
	return 0;
}

bool ss_oid_equal(const struct ss_oid *a, const struct ss_oid *b)
{
	return memcmp(a->id, b->id, sizeof(a->id)) == 0;
}

static void git_hex(const git_oid *oid, char out[41])
{
	git_oid_tostr(out, 41, oid);
}

/* ------------------------------------------------------ open and create */

static void apply_fsync(const struct ss_trail *t)
{
	/* libgit2's switch is process-wide: set it before every write so two
	 * trails in one process each get their own setting. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, t->fsync ? 1 : 0);
}

static git_repository *cur_repo(const struct ss_trail *t)
{
	return t->batch_repo != NULL ? t->batch_repo : t->repo;
}

/* A trail struct with libgit2 initialised and our options set. */
static int trail_new(const char *path, struct ss_trail **out)
{
	struct ss_trail *t = NULL;
	const char *env = getenv("SSAUDIT_FSYNC");
	int rc = 0;

	*out = NULL;
	if (git_libgit2_init() < 0)
		return git_fail(SS_EIO, "cannot initialise libgit2");
	t = calloc(1, sizeof(*t));
	if (t == NULL || (t->path = strdup(path)) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	t->lock_fd = -1;
	t->fsync = !(env != NULL && strcmp(env, "0") == 0);
	if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1) < 0) {
		rc = git_fail(SS_EIO, "cannot configure libgit2");
		goto out;
	}
	apply_fsync(t);
	*out = t;
	t = NULL;
out:
	if (t != NULL) {
		free(t->path);
		free(t);
		git_libgit2_shutdown();
	}
	return rc;
}

static int trail_attach(struct ss_trail *t, git_repository *repo)
{
	t->repo = repo;
	t->gitdir = strdup(git_repository_path(repo));
	if (t->gitdir == NULL)
		return ss_error_nomem();
	return 0;
}

static bool dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	bool empty = true;

	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			empty = false;
			break;
		}
	}
	closedir(d);
	return empty;
}

int ss_trail_create(const char *path, struct ss_trail **out)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct ss_trail *t = NULL;
	struct stat st;
	int rc;

	*out = NULL;
	if (stat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode) || !dir_is_empty(path))
			return ss_error_set(
			    SS_ECANTCREAT,
			    "cannot create an audit trail at '%s': it exists and is "
			    "not an empty directory",
			    path);
	} else if (errno != ENOENT) {
		return ss_error_set(SS_ECANTCREAT, "cannot create an audit trail at '%s': %s", path,
		                    strerror(errno));
	}
	rc = trail_new(path, &t);
	if (rc < 0)
		goto out;
	if (git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0) {
		rc = git_fail(SS_ECANTCREAT, "cannot create an audit trail at '%s'", path);
		goto out;
	}
	opts.flags =
	    GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	if (git_repository_init_ext(&repo, path, &opts) < 0) {
		rc = git_fail(SS_ECANTCREAT, "cannot create an audit trail at '%s'", path);
		goto out;
	}
	/* A trail only grows: should it ever be pushed to, refuse rewrites. */
	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_bool(cfg, "receive.denyNonFastForwards", 1) < 0 ||
	    git_config_set_bool(cfg, "receive.denyDeletes", 1) < 0) {
		rc = git_fail(SS_ECANTCREAT, "cannot configure the audit trail at '%s'", path);
		goto out;
	}
	rc = trail_attach(t, repo);
	repo = NULL;
	if (rc < 0)
		goto out;
	*out = t;
	t = NULL;
out:
	git_config_free(cfg);
	git_repository_free(repo);
	ss_trail_free(t);
	return rc;
}

int ss_trail_open(const char *path, struct ss_trail **out)
{
	git_repository *repo = NULL;
	struct ss_trail *t = NULL;
	int rc, err;

	*out = NULL;
	rc = trail_new(path, &t);
	if (rc < 0)
		goto out;
	err = git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (err == GIT_ENOTFOUND) {
		rc = ss_error_set(SS_ENOINPUT, "no audit trail at '%s'", path);
		goto out;
	} else if (err == GIT_EOWNER) {
		rc = git_fail(SS_EPERM, "cannot open the audit trail at '%s'", path);
		goto out;
	} else if (err < 0) {
		rc = git_fail(SS_EIO, "cannot open the audit trail at '%s'", path);
		goto out;
	}
	if (!git_repository_is_bare(repo)) {
		rc = ss_error_set(SS_ENOINPUT, "no audit trail at '%s'", path);
		goto out;
	}
	rc = trail_attach(t, repo);
	repo = NULL;
	if (rc < 0)
		goto out;
	*out = t;
	t = NULL;
out:
	git_repository_free(repo);
	ss_trail_free(t);
	return rc;
}

void ss_trail_free(struct ss_trail *t)
{
	if (t == NULL)
		return;
	ss_trail_batch_abort(t);
	ss_trail_unlock(t);
	git_repository_free(t->repo);
	free(t->gitdir);
	free(t->path);
	free(t);
	git_libgit2_shutdown();
}

const char *ss_trail_path(const struct ss_trail *t)
{
	return t->path;
}

void ss_trail_set_fsync(struct ss_trail *t, bool on)
{
	t->fsync = on;
	apply_fsync(t);
}

/* ------------------------------------------------------------------ lock */

static int join_path(char **out, const char *dir, const char *name)
{
	struct ss_buf b = SS_BUF_INIT;
	int rc = ss_buf_printf(&b, "%s%s", dir, name);

	*out = rc < 0 ? NULL : ss_buf_detach(&b);
	ss_buf_release(&b);
	return rc;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ss_trail_lock(struct ss_trail *t, unsigned timeout_ms)
{
	char *lock_path = NULL, *ref_lock = NULL;
	int64_t deadline = now_ms() + timeout_ms;
	unsigned tries = 0;
	int fd = -1, rc = 0;

	if (t->lock_fd >= 0)
		return 0;
	if ((rc = join_path(&lock_path, t->gitdir, "ssaudit.lock")) < 0 ||
	    (rc = join_path(&ref_lock, t->gitdir, SS_MAIN_REF ".lock")) < 0)
		goto out;
	fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = ss_error_set(SS_EIO, "cannot open '%s': %s", lock_path, strerror(errno));
		goto out;
	}
	for (;;) {
		int64_t left;

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			rc = ss_error_set(SS_EIO, "cannot lock '%s': %s", lock_path,
			                  strerror(errno));
			goto out;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			rc = ss_error_set(SS_EBUSY, "the audit trail is busy (another ssaudit is "
			                            "writing); try again");
			goto out;
		}
		{
			/* Short sleeps, a little different per process so waiters do not
			 * march in step (rand() would disturb the caller's sequence). */
			long ms = 1 + (long)(((unsigned)getpid() + tries++) % 4u);
			struct timespec ts = {0, (left < ms ? left : ms) * 1000000L};

			nanosleep(&ts, NULL);
		}
	}
	/* The kernel dropped the lock of whoever held it before us; a ref lock
	 * still lying around was left by a process that was killed. */
	if (unlink(ref_lock) < 0 && errno != ENOENT) {
		rc = ss_error_set(SS_EIO, "cannot remove the stale '%s': %s", ref_lock,
		                  strerror(errno));
		goto out;
	}
	t->lock_fd = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	free(lock_path);
	free(ref_lock);
	return rc;
}

void ss_trail_unlock(struct ss_trail *t)
{
	if (t == NULL || t->lock_fd < 0)
		return;
	flock(t->lock_fd, LOCK_UN);
	close(t->lock_fd);
	t->lock_fd = -1;
}

/* ------------------------------------------------------------- reading */

int ss_trail_tip(struct ss_trail *t, struct ss_oid *out)
{
	git_oid id;
	int err = git_reference_name_to_id(&id, t->repo, SS_MAIN_REF);

	if (err == GIT_ENOTFOUND)
		return ss_error_set(SS_ENOTFOUND, "the audit trail at '%s' has no commits yet",
		                    t->path);
	if (err < 0)
		return git_fail(SS_EIO, "cannot read main in '%s'", t->path);
	from_git(out, &id);
	return 0;
}

int ss_trail_resolve(struct ss_trail *t, const char *rev, struct ss_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0, err;

	err = git_revparse_single(&obj, cur_repo(t), rev);
	if (err == GIT_ENOTFOUND) {
		rc = ss_error_set(SS_ENOTFOUND, "no commit '%s' in the audit trail", rev);
		goto out;
	} else if (err == GIT_EAMBIGUOUS) {
		rc = ss_error_set(SS_EUSAGE,
		                  "'%s' is ambiguous in the audit trail; give more digits", rev);
		goto out;
	} else if (err < 0) {
		rc = git_fail(SS_EUSAGE, "cannot resolve '%s'", rev);
		goto out;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		rc = git_fail(SS_ENOTFOUND, "'%s' is not a commit", rev);
		goto out;
	}
	from_git(out, git_object_id(peeled));
out:
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

static int lookup_tree(git_repository *repo, const struct ss_oid *commit, git_tree **tree)
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
		         : git_fail(SS_EIO, "cannot read commit '%s'", hex);
		goto out;
	}
	if (git_commit_tree(tree, c) < 0) {
		ss_oid_hex(commit, hex);
		rc = git_fail(SS_EIO, "cannot read the tree of commit '%s'", hex);
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
	rc = lookup_tree(repo, commit, &tree);
	if (rc < 0)
		goto out;
	err = git_tree_entry_bypath(entry, tree, path);
	if (err == GIT_ENOTFOUND) {
		rc = ss_error_set(SS_ENOTFOUND, "no '%s' in the audit trail", path);
		goto out;
	} else if (err < 0) {
		rc = git_fail(SS_EIO, "cannot look up '%s'", path);
		goto out;
	}
out:
	git_tree_free(tree);
	return rc;
}

int ss_trail_read(struct ss_trail *t, const struct ss_oid *commit, const char *path, char **data,
                  size_t *len)
{
	git_repository *repo = cur_repo(t);
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
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		rc = git_fail(SS_EIO, "cannot read '%s'", path);
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ss_trail_list(struct ss_trail *t, const struct ss_oid *commit, const char *dir, char ***names,
                  size_t *n)
{
	git_repository *repo = cur_repo(t);
	git_tree_entry *entry = NULL;
	git_tree *root = NULL, *sub = NULL;
	const git_tree *tree;
	char **v = NULL;
	char *trimmed = NULL;
	size_t count = 0, i, len;
	int rc;

	*names = NULL;
	*n = 0;
	rc = lookup_tree(repo, commit, &root);
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
			rc = git_fail(SS_EIO, "cannot look up '%s'", trimmed);
			goto out;
		}
		if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) < 0) {
			rc = git_fail(SS_EIO, "cannot read directory '%s'", trimmed);
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

int ss_trail_blob_id(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                     struct ss_oid *out)
{
	git_tree_entry *entry = NULL;
	int rc;

	rc = lookup_entry(cur_repo(t), commit, path, &entry);
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

void ss_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* ------------------------------------------------------------ writing */

/* libgit2 syncs each object and its objects/XX directory, but not objects/
 * itself when it had to create a new XX: sync that before main points at
 * what is inside, so a power cut cannot take a fan-out directory away. */
static int sync_objects_dir(const struct ss_trail *t)
{
	char *dir = NULL;
	int fd, rc;

	if (!t->fsync)
		return 0;
	if ((rc = join_path(&dir, t->gitdir, "objects")) < 0)
		return rc;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		rc = ss_error_set(SS_EIO, "cannot sync '%s': %s", dir, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(dir);
	return rc;
}

/* Move main from `from` (NULL: create only if absent) to `to`. */
static int move_main(struct ss_trail *t, const git_oid *from, const git_oid *to)
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
		return ss_error_set(SS_EBUSY, "the audit trail is busy (another ssaudit is "
		                              "writing); try again");
	if (err < 0)
		return git_fail(SS_EIO, "cannot move main in '%s'", t->path);
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
		rc = git_fail(SS_EIO, "cannot write the empty tree");
	git_treebuilder_free(tb);
	return rc;
}

int ss_trail_commit(struct ss_trail *t, const struct ss_oid *parent,
                    const struct ss_commit_req *req, ss_sign_fn sign, void *sign_ctx,
                    struct ss_oid *out, bool *unchanged)
{
	git_repository *repo = cur_repo(t);
	git_commit *pcommit = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_tree_update *ups = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_buf content = {NULL, 0, 0};
	git_oid parent_id, tree_id, commit_id;
	char *sig = NULL;
	size_t i, nups = 0, siglen;
	int rc = 0, err;

	*unchanged = false;
	apply_fsync(t);
	if (parent != NULL) {
		to_git(&parent_id, parent);
		if (git_commit_lookup(&pcommit, repo, &parent_id) < 0) {
			char hex[41];

			ss_oid_hex(parent, hex);
			rc = git_fail(SS_EDATA, "cannot read the parent commit '%s'", hex);
			goto out;
		}
		if (git_commit_tree(&base, pcommit) < 0) {
			rc = git_fail(SS_EIO, "cannot read the parent's tree");
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
			rc = ss_error_set(SS_EDATA, "'%s' is not a valid path in the audit trail",
			                  c->path != NULL ? c->path : "");
			goto out;
		}
		if (c->data != NULL) {
			if (git_blob_create_from_buffer(&u->id, repo, c->data, c->len) < 0) {
				rc = git_fail(SS_EIO, "cannot store '%s'", c->path);
				goto out;
			}
			u->action = GIT_TREE_UPDATE_UPSERT;
			u->filemode = GIT_FILEMODE_BLOB;
		} else {
			git_tree_entry *e = NULL;

			err = git_tree_entry_bypath(&e, base, c->path);
			git_tree_entry_free(e);
			if (err == GIT_ENOTFOUND)
				continue; /* removing what is not there changes nothing */
			if (err < 0) {
				rc = git_fail(SS_EIO, "cannot look up '%s'", c->path);
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
		rc = git_fail(SS_EIO, "cannot build the tree");
		goto out;
	}
	if (parent != NULL && git_oid_equal(&tree_id, git_tree_id(base))) {
		*out = *parent;
		*unchanged = true;
		goto out;
	}
	if (git_tree_lookup(&tree, repo, &tree_id) < 0) {
		rc = git_fail(SS_EIO, "cannot read the new tree");
		goto out;
	}
	if (git_signature_new(&author, req->author.name, req->author.email, (git_time_t)req->when,
	                      0) < 0) {
		rc =
		    git_fail(SS_EDATA, "bad author '%s <%s>'", req->author.name, req->author.email);
		goto out;
	}
	if (git_signature_new(&committer, req->committer.name, req->committer.email,
	                      (git_time_t)req->when, 0) < 0) {
		rc = git_fail(SS_EDATA, "bad committer '%s <%s>'", req->committer.name,
		              req->committer.email);
		goto out;
	}
	{
		const git_commit *parents[1] = {pcommit};

		if (git_commit_create_buffer(&content, repo, author, committer, NULL, req->message,
		                             tree, pcommit != NULL ? 1 : 0, parents) < 0) {
			rc = git_fail(SS_EIO, "cannot build the commit");
			goto out;
		}
	}
	rc = sign(sign_ctx, content.ptr, content.size, &sig);
	if (rc < 0)
		goto out;
	if (sig == NULL || sig[0] == '\0') {
		rc = ss_error_set(SS_EFAIL, "signing the commit gave no signature");
		goto out;
	}
	/* git writes the header without a line after the armour's last newline;
	 * libgit2 would add a blank continuation line for it. */
	siglen = strlen(sig);
	while (siglen > 0 && sig[siglen - 1] == '\n')
		sig[--siglen] = '\0';
	if (git_commit_create_with_signature(&commit_id, repo, content.ptr, sig, "gpgsig") < 0) {
		rc = git_fail(SS_EIO, "cannot write the commit");
		goto out;
	}
	if (t->batch_repo == NULL) {
		rc = move_main(t, parent != NULL ? &parent_id : NULL, &commit_id);
		if (rc < 0)
			goto out;
	}
	from_git(out, &commit_id);
out:
	free(sig);
	git_buf_dispose(&content);
	git_signature_free(committer);
	git_signature_free(author);
	free(ups);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(pcommit);
	return rc;
}

/* --------------------------------------------------------------- batch */

struct oidv {
	git_oid *v;
	size_t n, cap;
};

static int oidv_push(struct oidv *a, const git_oid *id)
{
	if (a->n == a->cap) {
		size_t cap = a->cap > 0 ? a->cap * 2 : 64;
		git_oid *v = realloc(a->v, cap * sizeof(*v));

		if (v == NULL)
			return ss_error_nomem();
		a->v = v;
		a->cap = cap;
	}
	git_oid_cpy(&a->v[a->n++], id);
	return 0;
}

/* The mempack with a list of the ids written to it, in order. */
struct batch_store {
	git_odb_backend parent;
	git_odb_backend *mem;
	struct oidv written;
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
	if (!had && oidv_push(&s->written, id) < 0) {
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
		return git_fail(SS_EIO, "cannot make the batch's memory store");
	}
	s->parent.read = s->mem->read != NULL ? store_read : NULL;
	s->parent.read_header = s->mem->read_header != NULL ? store_read_header : NULL;
	s->parent.read_prefix = s->mem->read_prefix != NULL ? store_read_prefix : NULL;
	s->parent.exists = s->mem->exists != NULL ? store_exists : NULL;
	s->parent.write = store_write;
	s->parent.free = store_free;
	if (s->mem->read == NULL || s->mem->exists == NULL || s->mem->write == NULL) {
		store_free(&s->parent);
		return ss_error_set(SS_EIO, "libgit2's mempack lacks what a batch needs");
	}
	*out = s;
	return 0;
}

int ss_trail_batch_begin(struct ss_trail *t)
{
	git_repository *br = NULL;
	git_odb *odb = NULL;
	struct batch_store *store = NULL;
	int rc = 0;

	if (t->batch_repo != NULL)
		return ss_error_set(SS_EFAIL, "a batch is already open on the audit trail");
	if (git_repository_open_bare(&br, t->gitdir) < 0 || git_repository_odb(&odb, br) < 0) {
		rc = git_fail(SS_EIO, "cannot start a batch on '%s'", t->path);
		goto out;
	}
	if ((rc = store_new(&store)) < 0)
		goto out;
	/* Ahead of the loose and pack backends, so every write lands in memory. */
	if (git_odb_add_backend(odb, &store->parent, 1000) < 0) {
		rc = git_fail(SS_EIO, "cannot start a batch on '%s'", t->path);
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

void ss_trail_batch_abort(struct ss_trail *t)
{
	if (t == NULL || t->batch_repo == NULL)
		return;
	git_mempack_reset(t->store->mem);
	git_repository_free(t->batch_repo); /* frees the store with its odb */
	t->batch_repo = NULL;
	t->store = NULL;
}

int ss_trail_batch_end(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to)
{
	git_packbuilder *pb = NULL;
	git_oid from_id, to_id;
	size_t i;
	int rc = 0, err;

	if (t->batch_repo == NULL)
		return ss_error_set(SS_EFAIL, "no batch is open on the audit trail");
	if (to == NULL || (from != NULL && ss_oid_equal(from, to)))
		goto out; /* nothing was committed */
	apply_fsync(t);
	/* Exactly the batch's new objects, as one pack; the indexer syncs it
	 * (when fsync is on) before main can point into it. */
	if (git_packbuilder_new(&pb, t->batch_repo) < 0) {
		rc = git_fail(SS_EIO, "cannot pack the batch");
		goto out;
	}
	for (i = 0; i < t->store->written.n; i++) {
		if (git_packbuilder_insert(pb, &t->store->written.v[i], NULL) < 0) {
			rc = git_fail(SS_EIO, "cannot pack the batch");
			goto out;
		}
	}
	if (git_packbuilder_write(pb, NULL, 0, NULL, NULL) < 0) {
		rc = git_fail(SS_EIO, "cannot write the batch into '%s'", t->path);
		goto out;
	}
	to_git(&to_id, to);
	if (from != NULL) {
		to_git(&from_id, from);
		err = git_graph_descendant_of(t->repo, &to_id, &from_id);
		if (err < 0) {
			rc = git_fail(SS_EIO, "cannot check the batch's history");
			goto out;
		} else if (err == 0) {
			rc = ss_error_set(SS_EFAIL, "the batch's last commit does not descend from "
			                            "where it started");
			goto out;
		}
	}
	rc = move_main(t, from != NULL ? &from_id : NULL, &to_id);
out:
	git_packbuilder_free(pb);
	ss_trail_batch_abort(t);
	return rc;
}

/* ------------------------------------------------------------------ gc */

static bool is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

/* Every loose object's id (ids NULL: only count them). */
static int scan_loose(const struct ss_trail *t, struct oidv *ids, size_t *count)
{
	char *objects = NULL;
	DIR *top = NULL;
	struct dirent *d;
	int rc;

	*count = 0;
	if ((rc = join_path(&objects, t->gitdir, "objects")) < 0)
		goto out;
	top = opendir(objects);
	if (top == NULL) {
		rc = ss_error_set(SS_EIO, "cannot read '%s': %s", objects, strerror(errno));
		goto out;
	}
	while ((d = readdir(top)) != NULL) {
		char sub[4096], hex[41];
		DIR *fan;
		struct dirent *f;

		if (!is_hex(d->d_name, 2))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", objects, d->d_name);
		fan = opendir(sub);
		if (fan == NULL)
			continue;
		while ((f = readdir(fan)) != NULL) {
			git_oid id;

			if (!is_hex(f->d_name, 38))
				continue;
			(*count)++;
			if (ids == NULL)
				continue;
			memcpy(hex, d->d_name, 2);
			memcpy(hex + 2, f->d_name, 39);
			if (git_oid_fromstr(&id, hex) == 0 && (rc = oidv_push(ids, &id)) < 0)
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

int ss_trail_count_loose(struct ss_trail *t, size_t *n)
{
	return scan_loose(t, NULL, n);
}

int ss_trail_gc(struct ss_trail *t, size_t *packed)
{
	struct oidv ids = {NULL, 0, 0};
	git_packbuilder *pb = NULL;
	git_odb *check = NULL;
	git_odb_backend *one = NULL;
	char *idx = NULL;
	size_t i, count, removed = 0;
	int rc;

	*packed = 0;
	if (t->batch_repo != NULL)
		return ss_error_set(SS_EFAIL, "cannot gc the audit trail while a batch is open");
	apply_fsync(t);
	rc = scan_loose(t, &ids, &count);
	if (rc < 0 || ids.n == 0)
		goto out;
	if (git_packbuilder_new(&pb, t->repo) < 0) {
		rc = git_fail(SS_EIO, "cannot pack '%s'", t->path);
		goto out;
	}
	for (i = 0; i < ids.n; i++) {
		if (git_packbuilder_insert(pb, &ids.v[i], NULL) < 0) {
			char hex[41];

			git_hex(&ids.v[i], hex);
			rc = git_fail(SS_EIO, "cannot pack object '%s'", hex);
			goto out;
		}
	}
	if (git_packbuilder_write(pb, NULL, 0, NULL, NULL) < 0) {
		rc = git_fail(SS_EIO, "cannot write a pack into '%s'", t->path);
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
		rc = git_fail(SS_EIO, "cannot open the new pack '%s'", idx);
		goto out;
	}
	if (git_odb_add_backend(check, one, 1) < 0) {
		rc = git_fail(SS_EIO, "cannot open the new pack '%s'", idx);
		one->free(one);
		goto out;
	}
	for (i = 0; i < ids.n; i++) {
		char hex[41], path[4096];

		if (!git_odb_exists(check, &ids.v[i]))
			continue;
		git_hex(&ids.v[i], hex);
		snprintf(path, sizeof(path), "%sobjects/%.2s/%s", t->gitdir, hex, hex + 2);
		if (unlink(path) == 0)
			removed++;
		else if (errno != ENOENT) {
			rc = ss_error_set(SS_EIO, "cannot remove '%s': %s", path, strerror(errno));
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

/* ---------------------------------------------------------------- walk */

int ss_trail_walk(struct ss_trail *t, const struct ss_oid *from, ss_walk_fn fn, void *ctx)
{
	git_repository *repo = cur_repo(t);
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_buf sig = {NULL, 0, 0}, signed_data = {NULL, 0, 0};
	struct ss_buf armour = SS_BUF_INIT;
	struct ss_oid start;
	git_oid id;
	int rc = 0, err;

	if (from != NULL)
		start = *from;
	else if ((rc = ss_trail_tip(t, &start)) < 0)
		goto out;
	to_git(&id, &start);
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, &id) < 0) {
		rc = git_fail(SS_EIO, "cannot walk the audit trail");
		goto out;
	}
	while ((err = git_revwalk_next(&id, walk)) == 0) {
		struct ss_commit_view v;
		const git_signature *a, *cm;
		unsigned int i, np;

		memset(&v, 0, sizeof(v));
		if (git_commit_lookup(&c, repo, &id) < 0) {
			char hex[41];

			git_hex(&id, hex);
			rc = git_fail(SS_EIO, "cannot read commit '%s'", hex);
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

			git_hex(&id, hex);
			rc = git_fail(SS_EIO, "cannot read the signature of commit '%s'", hex);
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
		rc = git_fail(SS_EIO, "cannot walk the audit trail");
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
			rc = git_fail(SS_EIO, "cannot read directory '%s'", d->path.data);
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
		rc = git_fail(SS_EIO, "cannot read directory '%s'", d->path.data);
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

int ss_trail_diff(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to,
                  ss_diff_fn fn, void *ctx)
{
	struct diff_ctx d = {cur_repo(t), SS_BUF_INIT, fn, ctx};
	git_tree *a = NULL, *b = NULL;
	int rc = 0;

	if (from != NULL && (rc = lookup_tree(d.repo, from, &a)) < 0)
		goto out;
	if ((rc = lookup_tree(d.repo, to, &b)) < 0)
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

int ss_trail_is_ancestor(struct ss_trail *t, const struct ss_oid *ancestor,
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
	err = git_graph_descendant_of(cur_repo(t), &d, &a);
	if (err < 0)
		return git_fail(SS_EIO, "cannot compare commits in the audit trail");
	*yes = err == 1;
	return 0;
}

int ss_trail_merge_base(struct ss_trail *t, const struct ss_oid *a, const struct ss_oid *b,
                        struct ss_oid *out)
{
	git_oid ga, gb, base;
	int err;

	to_git(&ga, a);
	to_git(&gb, b);
	err = git_merge_base(&base, cur_repo(t), &ga, &gb);
	if (err == GIT_ENOTFOUND)
		return ss_error_set(SS_ENOTFOUND, "the two commits share no history");
	if (err < 0)
		return git_fail(SS_EIO, "cannot find the merge base");
	from_git(out, &base);
	return 0;
}

/* ------------------------------------------------------ check objects */

/* A set of object ids (open addressing) so each object is read once. */
struct oidset {
	git_oid *keys;
	unsigned char *used;
	size_t cap, n;
};

static size_t oid_hash(const git_oid *id)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

/* 1 when added, 0 when already present, or SS_ENOMEM. */
static int oidset_add(struct oidset *s, const git_oid *id)
{
	size_t i;

	if (2 * (s->n + 1) > s->cap) {
		struct oidset g = {NULL, NULL, s->cap > 0 ? s->cap * 2 : 1024, 0};

		g.keys = malloc(g.cap * sizeof(*g.keys));
		g.used = calloc(g.cap, 1);
		if (g.keys == NULL || g.used == NULL) {
			free(g.keys);
			free(g.used);
			return ss_error_nomem();
		}
		for (i = 0; i < s->cap; i++) {
			if (s->used[i]) {
				size_t k = oid_hash(&s->keys[i]) & (g.cap - 1);

				while (g.used[k])
					k = (k + 1) & (g.cap - 1);
				g.used[k] = 1;
				git_oid_cpy(&g.keys[k], &s->keys[i]);
				g.n++;
			}
		}
		free(s->keys);
		free(s->used);
		*s = g;
	}
	i = oid_hash(id) & (s->cap - 1);
	while (s->used[i]) {
		if (git_oid_equal(&s->keys[i], id))
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->used[i] = 1;
	git_oid_cpy(&s->keys[i], id);
	s->n++;
	return 1;
}

struct check_ctx {
	git_repository *repo;
	git_odb *odb;
	struct oidset seen;
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

	git_hex(id, hex);
	err = git_odb_read(&obj, c->odb, id);
	if (err == GIT_ENOTFOUND) {
		problem(c, commit_hex, path, "%s %s is missing", git_object_type2string(want), hex);
		return 0;
	} else if (err < 0) {
		problem(c, commit_hex, path, "%s %s is damaged: %s", git_object_type2string(want),
		        hex, git_msg());
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

	rc = oidset_add(&c->seen, id);
	if (rc <= 0)
		return rc;
	rc = check_one(c, id, GIT_OBJECT_TREE, commit_hex, shown);
	if (rc <= 0)
		return rc;
	if (git_tree_lookup(&tree, c->repo, id) < 0) {
		problem(c, commit_hex, shown, "tree cannot be parsed: %s", git_msg());
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
			rc = oidset_add(&c->seen, git_tree_entry_id(e));
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

int ss_trail_check_objects(struct ss_trail *t, const struct ss_oid *from, ss_problem_fn fn,
                           void *ctx)
{
	struct check_ctx c;
	struct oidv stack = {NULL, 0, 0};
	git_commit *commit = NULL;
	struct ss_oid start;
	git_oid id;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.repo = cur_repo(t);
	c.fn = fn;
	c.ctx = ctx;
	if (git_repository_odb(&c.odb, c.repo) < 0) {
		rc = git_fail(SS_EIO, "cannot open the objects of '%s'", t->path);
		goto out;
	}
	if (from != NULL)
		start = *from;
	else if ((rc = ss_trail_tip(t, &start)) < 0)
		goto out;
	to_git(&id, &start);
	if ((rc = oidv_push(&stack, &id)) < 0 || (rc = ss_buf_puts(&c.path, "")) < 0)
		goto out;
	/* Our own walk over parents rather than a revwalk, so a damaged commit
	 * is reported instead of ending the check. */
	while (stack.n > 0) {
		char hex[41];
		unsigned int i, np;

		id = stack.v[--stack.n];
		rc = oidset_add(&c.seen, &id);
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		git_hex(&id, hex);
		rc = check_one(&c, &id, GIT_OBJECT_COMMIT, hex, "");
		if (rc < 0)
			goto out;
		if (rc == 0)
			continue;
		if (git_commit_lookup(&commit, c.repo, &id) < 0) {
			problem(&c, hex, "", "commit cannot be parsed: %s", git_msg());
			continue;
		}
		c.path.len = 0;
		c.path.data[0] = '\0';
		if ((rc = check_tree(&c, git_commit_tree_id(commit), hex)) < 0)
			goto out;
		np = git_commit_parentcount(commit);
		for (i = 0; i < np; i++)
			if ((rc = oidv_push(&stack, git_commit_parent_id(commit, i))) < 0)
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
	free(c.seen.keys);
	free(c.seen.used);
	ss_buf_release(&c.path);
	git_odb_free(c.odb);
	return rc;
}

/* ------------------------------------------------------- loose objects */

/* Does this loose object's zlib stream inflate to its end? 1 yes, 0 no, < 0 I/O error. */
#define LOOSE_CHUNK 65536

/* in and out: LOOSE_CHUNK bytes each, scratch. */
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

static bool hex_name(const char *s, size_t n)
{
	size_t i;

	if (strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

int ss_trail_check_loose(struct ss_trail *t, ss_problem_fn fn, void *ctx, size_t *checked)
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

		if (!hex_name(e->d_name, 2))
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

			if (!hex_name(f->d_name, 38))
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

void ss_trail_cache_trees(size_t each, size_t total)
{
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, each);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)total);
}

void ss_trail_hash_reads(bool on)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on ? 1 : 0);
}
