/*
 * repo.c - a trail's handle: open, create and free it, its lock (flock, and
 * the stale ref lock a killed writer leaves), main's tip and revisions, the
 * settings libgit2 keeps per process (fsync, strict hashing, caches), and the
 * errors and ids the other files of audit/git share.
 */
#include "git_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "map.h"

/* ---------------------------------------------------------------- errors */

const char *ss_git_msg(void)
{
	const git_error *e = git_error_last();

	return e != NULL && e->message != NULL ? e->message : _("unknown libgit2 error");
}

/* "WHAT: the disk is full ...", when errnum says so; else 0. */
static int full_disk(const char *what, int errnum)
{
	if (errnum != ENOSPC && errnum != EDQUOT)
		return 0;
	return ss_error_set(
	    SS_EIO,
	    _("%s: the disk is full (%s): nothing was changed; free some "
	      "space on the disk that holds the trail (or move the trail to "
	      "one with room) and run the command again"),
	    what, errnum == EDQUOT ? _("your disk quota is used up") : _("no space left"));
}

/* The message formatted, the full disk said as such, else what and reason. */
static int vfail(int code, int errnum, const char *reason, const char *fmt, va_list ap)
{
	char what[1024];
	int rc;

	vsnprintf(what, sizeof(what), fmt, ap);
	/* libgit2 often says nothing of a full disk: say it, and what to do. */
	if ((rc = full_disk(what, errnum)) < 0)
		return rc;
	return ss_error_set(code, "%s: %s", what, reason != NULL ? reason : strerror(errnum));
}

int ss_git_fail(int code, const char *fmt, ...)
{
	int errnum = errno; /* what the failed write met, before anything else runs */
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(code, errnum, ss_git_msg(), fmt, ap);
	va_end(ap);
	return rc;
}

int ss_git_fail_errno(int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfail(code, errnum, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

/* ------------------------------------------------------------------ oids */

void ss_oid_hex(const struct ss_oid *oid, char out[41])
{
	ss_hex_encode(out, oid->id, sizeof(oid->id));
}

int ss_oid_parse(const char *hex, struct ss_oid *out)
{
	if (hex == NULL || strlen(hex) != 40 || ss_hex_decode(out->id, sizeof(out->id), hex) < 0)
		return ss_error_set(SS_EDATA, _("'%s' is not a 40-digit commit id"),
		                    hex != NULL ? hex : "");
	return 0;
}

bool ss_oid_equal(const struct ss_oid *a, const struct ss_oid *b)
{
	return memcmp(a->id, b->id, sizeof(a->id)) == 0;
}

int ss_git_oidv_push(struct ss_git_oidv *a, const git_oid *id)
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

bool ss_git_is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

/* ------------------------------------------------------ open and create */

void ss_git_apply_fsync(const struct ss_trail *t)
{
	/* libgit2's switch is process-wide: set it before every write so two
	 * trails in one process each get their own setting. */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, t->fsync ? 1 : 0);
}

git_repository *ss_git_repo(const struct ss_trail *t)
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
		return ss_git_fail(SS_EIO, _("cannot initialise libgit2"));
	t = calloc(1, sizeof(*t));
	if (t == NULL || (t->path = strdup(path)) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	t->lock_fd = -1;
	t->fsync = !(env != NULL && strcmp(env, "0") == 0);
	if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot configure libgit2"));
		goto out;
	}
	ss_git_apply_fsync(t);
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

int ss_git_create(const char *path, struct ss_trail **out)
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
			    _("cannot create an audit trail at '%s': it exists and is "
			      "not an empty directory"),
			    path);
	} else if (errno != ENOENT) {
		return ss_error_set(SS_ECANTCREAT, _("cannot create an audit trail at '%s': %s"),
		                    path, strerror(errno));
	}
	rc = trail_new(path, &t);
	if (rc < 0)
		goto out;
	if (git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0) {
		rc = ss_git_fail(SS_ECANTCREAT, _("cannot create an audit trail at '%s'"), path);
		goto out;
	}
	opts.flags =
	    GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	if (git_repository_init_ext(&repo, path, &opts) < 0) {
		rc = ss_git_fail(SS_ECANTCREAT, _("cannot create an audit trail at '%s'"), path);
		goto out;
	}
	/* A trail only grows: should it ever be pushed to, refuse rewrites. */
	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_bool(cfg, "receive.denyNonFastForwards", 1) < 0 ||
	    git_config_set_bool(cfg, "receive.denyDeletes", 1) < 0) {
		rc =
		    ss_git_fail(SS_ECANTCREAT, _("cannot configure the audit trail at '%s'"), path);
		goto out;
	}
	rc = trail_attach(t, repo);
	repo = NULL;
	if (rc < 0)
		goto out;
	t->bare = true;
	t->main_ref = SS_MAIN_REF;
	*out = t;
	t = NULL;
out:
	git_config_free(cfg);
	git_repository_free(repo);
	ss_git_free(t);
	return rc;
}

/* Does the repository have this reference? */
static bool has_ref(git_repository *repo, const char *name)
{
	git_oid id;

	return git_reference_name_to_id(&id, repo, name) == 0;
}

/* A pre-receive hook runs while the pushed objects wait in a quarantine
 * folder that git names in the environment; read them from there too. */
static int add_quarantine(struct ss_trail *t)
{
	const char *q = getenv("GIT_QUARANTINE_PATH");
	git_odb *odb = NULL;
	int rc = 0;

	if (q == NULL || *q == '\0')
		return 0;
	if (git_repository_odb(&odb, t->repo) < 0 || git_odb_add_disk_alternate(odb, q) < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot read the incoming objects in '%s'"), q);
		goto out;
	}
	if ((t->quarantine = strdup(q)) == NULL)
		rc = ss_error_nomem();
out:
	git_odb_free(odb);
	return rc;
}

static int open_trail(const char *path, bool writing, struct ss_trail **out)
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
		rc = ss_error_set(SS_ENOINPUT, _("no audit trail at '%s'"), path);
		goto out;
	} else if (err == GIT_EOWNER) {
		rc = ss_git_fail(SS_EPERM, _("cannot open the audit trail at '%s'"), path);
		goto out;
	} else if (err < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot open the audit trail at '%s'"), path);
		goto out;
	}
	t->bare = git_repository_is_bare(repo) != 0;
	if (!t->bare && writing) {
		rc = ss_error_set(SS_ENOINPUT,
		                  _("'%s' is an ordinary git clone (with files checked out); "
		                    "commands that write need a bare copy of the trail: make one "
		                    "with 'git clone --bare SOURCE trail.git'"),
		                  path);
		goto out;
	}
	/* A working copy is an auditor's clone: its main, else what it cloned. */
	t->main_ref = SS_MAIN_REF;
	if (!t->bare && !has_ref(repo, SS_MAIN_REF) && has_ref(repo, SS_ORIGIN_MAIN_REF))
		t->main_ref = SS_ORIGIN_MAIN_REF;
	rc = trail_attach(t, repo);
	repo = NULL;
	if (rc < 0 || (rc = add_quarantine(t)) < 0)
		goto out;
	*out = t;
	t = NULL;
out:
	git_repository_free(repo);
	ss_git_free(t);
	return rc;
}

int ss_git_open(const char *path, struct ss_trail **out)
{
	return open_trail(path, true, out);
}

int ss_git_open_read(const char *path, struct ss_trail **out)
{
	return open_trail(path, false, out);
}

bool ss_git_is_bare(const struct ss_trail *t)
{
	return t->bare;
}

void ss_git_free(struct ss_trail *t)
{
	if (t == NULL)
		return;
	ss_git_batch_abort(t);
	ss_git_unlock(t);
	ss_git_diff_forget(t);
	ss_git_keep_blobs(t, 0, 0);
	ss_git_note_diffs(t, false);
	ss_map_free(t->hashed);
	git_repository_free(t->repo);
	free(t->quarantine);
	free(t->gitdir);
	free(t->path);
	free(t);
	git_libgit2_shutdown();
}

const char *ss_git_path(const struct ss_trail *t)
{
	return t->path;
}

void ss_git_set_fsync(struct ss_trail *t, bool on)
{
	t->fsync = on;
	ss_git_apply_fsync(t);
}

/* libgit2 keeps these per process, not per repository (see trail.h). */
void ss_git_cache_trees(size_t each, size_t total)
{
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, each);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)total);
}

void ss_git_hash_reads(bool on)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on ? 1 : 0);
}

/* ------------------------------------------------------------------ lock */

int ss_git_join_path(char **out, const char *dir, const char *name)
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

int ss_git_lock(struct ss_trail *t, unsigned timeout_ms)
{
	char *lock_path = NULL, *ref_lock = NULL;
	int64_t deadline = now_ms() + timeout_ms;
	unsigned tries = 0;
	int fd = -1, rc = 0;

	if (t->lock_fd >= 0)
		return 0;
	if ((rc = ss_git_join_path(&lock_path, t->gitdir, "ssaudit.lock")) < 0 ||
	    (rc = ss_git_join_path(&ref_lock, t->gitdir, SS_MAIN_REF ".lock")) < 0)
		goto out;
	fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = ss_error_set(SS_EIO, _("cannot open '%s': %s"), lock_path, strerror(errno));
		goto out;
	}
	for (;;) {
		int64_t left;

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			rc = ss_error_set(SS_EIO, _("cannot lock '%s': %s"), lock_path,
			                  strerror(errno));
			goto out;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			rc = ss_error_set(SS_EBUSY, _("the audit trail is busy (another ssaudit is "
			                              "writing); try again"));
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
		rc = ss_error_set(SS_EIO, _("cannot remove the stale '%s': %s"), ref_lock,
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

void ss_git_unlock(struct ss_trail *t)
{
	if (t == NULL || t->lock_fd < 0)
		return;
	flock(t->lock_fd, LOCK_UN);
	close(t->lock_fd);
	t->lock_fd = -1;
}

/* --------------------------------------------------------- tip and revs */

int ss_git_tip(struct ss_trail *t, struct ss_oid *out)
{
	git_oid id;
	int err = git_reference_name_to_id(&id, t->repo, t->main_ref);

	if (err == GIT_ENOTFOUND)
		return ss_error_set(SS_ENOTFOUND, _("the audit trail at '%s' has no commits yet"),
		                    t->path);
	if (err < 0)
		return ss_git_fail(SS_EIO, _("cannot read main in '%s'"), t->path);
	from_git(out, &id);
	return 0;
}

int ss_git_resolve(struct ss_trail *t, const char *rev, struct ss_oid *out)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc = 0, err;

	err = git_revparse_single(&obj, ss_git_repo(t), rev);
	if (err == GIT_ENOTFOUND) {
		rc = ss_error_set(SS_ENOTFOUND, _("no commit '%s' in the audit trail"), rev);
		goto out;
	} else if (err == GIT_EAMBIGUOUS) {
		rc = ss_error_set(SS_EUSAGE,
		                  _("'%s' is ambiguous in the audit trail; give more digits"), rev);
		goto out;
	} else if (err < 0) {
		rc = ss_git_fail(SS_EUSAGE, _("cannot resolve '%s'"), rev);
		goto out;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		rc = ss_git_fail(SS_ENOTFOUND, _("'%s' is not a commit"), rev);
		goto out;
	}
	from_git(out, git_object_id(peeled));
out:
	git_object_free(peeled);
	git_object_free(obj);
	return rc;
}

/* ------------------------------------------------ what stock git shows */

static bool gitdir_has(const struct ss_trail *t, const char *name)
{
	char *p = NULL;
	struct stat st;
	bool yes;

	if (ss_git_join_path(&p, t->gitdir, name) < 0)
		return true; /* out of memory: say it is there rather than miss it */
	yes = lstat(p, &st) == 0;
	free(p);
	return yes;
}

int ss_git_check_view(struct ss_trail *t, ss_problem_fn fn, void *ctx)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL, *head = NULL;
	size_t problems = 0;
	int rc = 0, err;

	if (git_reference_iterator_glob_new(&it, t->repo, "refs/replace/*") < 0) {
		rc = ss_git_fail(SS_EIO, _("cannot list the references of '%s'"), t->path);
		goto out;
	}
	while ((err = git_reference_next(&ref, it)) == 0) {
		fn(ctx, "", git_reference_name(ref),
		   "a replace reference: stock git shows another object in place of the one "
		   "verify checks (remove it with 'git replace -d')");
		problems++;
		git_reference_free(ref);
		ref = NULL;
	}
	if (err != GIT_ITEROVER) {
		rc = ss_git_fail(SS_EIO, _("cannot list the references of '%s'"), t->path);
		goto out;
	}
	if (gitdir_has(t, "info/grafts")) {
		fn(ctx, "", "info/grafts",
		   "a grafts file: stock git shows a history with other parents than the one "
		   "verify checks");
		problems++;
	}
	if (gitdir_has(t, "shallow")) {
		fn(ctx, "", "shallow",
		   "a shallow copy: stock git shows only part of the history, and its start "
		   "cannot be checked");
		problems++;
	}
	if (t->bare) {
		err = git_reference_lookup(&head, t->repo, "HEAD");
		if (err < 0 || git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
		    strcmp(git_reference_symbolic_target(head), SS_MAIN_REF) != 0) {
			char why[512];

			snprintf(why, sizeof(why),
			         "HEAD names %s, not main: 'git log' and 'git clone' would show "
			         "an auditor that instead of main",
			         err < 0 ? "nothing readable"
			         : git_reference_type(head) == GIT_REFERENCE_SYMBOLIC
			             ? git_reference_symbolic_target(head)
			             : "a commit directly");
			fn(ctx, "", "HEAD", why);
			problems++;
		}
	}
	if (problems > 0)
		rc = ss_error_set(SS_EFAIL, _("stock git would not show what verify checked"));
out:
	git_reference_free(head);
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return rc;
}
