/*
 * test_trail.c - the audit trail as auditors see it with stock git: every
 * commit we make is in `git log`, `git fsck --strict` is clean, main never
 * moves backwards, and nothing recorded is lost to a concurrent writer or a
 * killed process.
 *
 * Commits are "signed" by a fake that returns a fixed armoured text: real
 * SSH signatures are made and checked in test_sshkey.c; here only the
 * plumbing (the gpgsig header, what was signed) matters. Cases that run git
 * are skipped where it is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "atest.h"
#include "buf.h"
#include "error.h"
#include "trail.h"

#define FAKE_SIG                                                                                   \
	"-----BEGIN SSH SIGNATURE-----\n"                                                          \
	"U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgZmFrZWZha2VmYWtlZmFrZWZha2VmYWtlZmFr\n"       \
	"ZWZha2UAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5AAAAQGZha2U=\n"               \
	"-----END SSH SIGNATURE-----\n"

static char tmp[4096];
static int seq;

struct signer {
	int calls;
	struct ss_buf last; /* the last payload signed */
};

static int fake_sign(void *ctx, const char *payload, size_t len, char **sig)
{
	struct signer *s = ctx;

	if (s != NULL) {
		s->calls++;
		ss_buf_reset(&s->last);
		if (ss_buf_put(&s->last, payload, len) < 0)
			return SS_ENOMEM;
	}
	*sig = strdup(FAKE_SIG);
	return *sig != NULL ? 0 : SS_ENOMEM;
}

static void tpath(char *out, size_t cap, const char *name)
{
	pathf(out, cap, "%s/%d-%s", tmp, ++seq, name);
}

static bool have_git(void)
{
	return system("git --version >/dev/null 2>&1") == 0;
}

/* Run a git command on a trail; its stdout (and stderr) into out; exit status back. */
static int git_run(const char *trail, const char *args, struct ss_buf *out)
{
	char cmd[8192], chunk[4096];
	FILE *p;
	size_t n;
	int st;

	pathf(cmd, sizeof(cmd), "GIT_CONFIG_NOSYSTEM=1 git --git-dir '%s' %s 2>&1", trail, args);
	p = popen(cmd, "r");
	assert_non_null(p);
	ss_buf_reset(out);
	assert_int_equal(ss_buf_puts(out, ""), 0);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		assert_int_equal(ss_buf_put(out, chunk, n), 0);
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void assert_fsck_clean(const char *trail)
{
	struct ss_buf out = SS_BUF_INIT;
	int st = git_run(trail, "fsck --strict --no-dangling --no-progress", &out);

	if (st != 0 || strstr(out.data, "error") != NULL || strstr(out.data, "missing") != NULL ||
	    strstr(out.data, "broken") != NULL)
		fail_msg("git fsck on '%s' (exit %d): %s", trail, st, out.data);
	ss_buf_release(&out);
}

static struct ss_commit_req req_for(const struct ss_change *changes, size_t n, int64_t when,
                                    const char *message)
{
	struct ss_commit_req r;

	memset(&r, 0, sizeof(r));
	r.author.name = "Jo Doe";
	r.author.email = "jo@example.org";
	r.committer.name = "Sam Clerk";
	r.committer.email = "sam@example.org";
	r.when = when;
	r.message = message;
	r.changes = changes;
	r.nchanges = n;
	return r;
}

/* One file written on parent; asserts success. */
static struct ss_oid commit_file(struct ss_trail *t, const struct ss_oid *parent, const char *path,
                                 const char *data)
{
	struct ss_change c = {path, data, strlen(data)};
	struct ss_commit_req r = req_for(&c, 1, 1700000000, "test: write a file\n");
	struct ss_oid out;
	bool unchanged;
	int rc = ss_git_commit(t, parent, &r, fake_sign, NULL, &out, &unchanged);

	if (rc != 0)
		fail_msg("commit of '%s' failed: %s", path, ss_error_message());
	assert_false(unchanged);
	return out;
}

static void assert_file(struct ss_trail *t, const struct ss_oid *at, const char *path,
                        const char *want)
{
	char *data = NULL;
	size_t len = 0;
	int rc = ss_git_read(t, at, path, &data, &len);

	if (rc != 0)
		fail_msg("read of '%s' failed: %s", path, ss_error_message());
	assert_int_equal(len, strlen(want));
	assert_string_equal(data, want);
	free(data);
}

static void assert_tip(struct ss_trail *t, const struct ss_oid *want)
{
	struct ss_oid tip;

	assert_int_equal(ss_git_tip(t, &tip), 0);
	assert_true(ss_oid_equal(&tip, want));
}

/* Walker collecting commits in order. */
struct collected {
	struct ss_oid oids[1024];
	size_t n;
	size_t roots, merges;
	bool linear; /* every commit's parent is the one walked before it */
};

static int collect(void *ctx, const struct ss_commit_view *c)
{
	struct collected *k = ctx;

	if (c->nparents == 0)
		k->roots++;
	if (c->nparents > 1)
		k->merges++;
	if (k->n == 0)
		k->linear = c->nparents == 0;
	else if (c->nparents != 1 || !ss_oid_equal(&c->parents[0], &k->oids[k->n - 1]))
		k->linear = false;
	if (k->n < sizeof(k->oids) / sizeof(k->oids[0]))
		k->oids[k->n] = c->oid;
	k->n++;
	return 0;
}

static int count_packs(const char *trail)
{
	char dir[4096], cmd[8300];
	FILE *p;
	int n = -1;

	pathf(dir, sizeof(dir), "%s/objects/pack", trail);
	pathf(cmd, sizeof(cmd), "ls '%s' | grep -c '\\.pack$'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	pclose(p);
	return n;
}

/* ------------------------------------------------------------------ cases */

static void test_audit_trail__create_and_open_refuse_what_is_not_a_trail(void **state)
{
	char path[4096], file[4200];
	struct ss_trail *t = NULL;
	struct ss_oid tip;
	FILE *f;

	(void)state;
	tpath(path, sizeof(path), "busy");
	assert_int_equal(mkdir(path, 0755), 0);
	pathf(file, sizeof(file), "%s/notes.txt", path);
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("someone's notes\n", f);
	fclose(f);
	assert_int_equal(ss_git_create(path, &t), SS_ECANTCREAT);
	assert_null(t);
	assert_non_null(strstr(ss_error_message(), path));
	assert_int_equal(ss_git_create(file, &t), SS_ECANTCREAT);
	/* The notes are untouched. */
	assert_int_equal(access(file, R_OK), 0);

	assert_int_equal(ss_git_open(path, &t), SS_ENOINPUT);
	assert_null(t);
	{
		char want[4200];

		pathf(want, sizeof(want), "no audit trail at '%s'", path);
		assert_string_equal(ss_error_message(), want);
	}
	tpath(path, sizeof(path), "missing");
	assert_int_equal(ss_git_open(path, &t), SS_ENOINPUT);

	/* An empty directory is fine to create in; a new trail has no tip. */
	tpath(path, sizeof(path), "empty");
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_string_equal(ss_git_path(t), path);
	assert_int_equal(ss_git_tip(t, &tip), SS_ENOTFOUND);
	ss_git_free(t);
	assert_int_equal(ss_git_open(path, &t), 0);
	ss_git_free(t);
	ss_git_free(NULL);
}

static void test_audit_trail__commits_read_back_and_git_sees_them(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct signer s = {0, SS_BUF_INIT};
	struct ss_oid root, second, out, a, b, tip;
	struct ss_change init[] = {
	    {"trail.json", "{\"format\":1}\n", 13},
	    {"months/2019-06/population.jsonl", "{\"id\":\"R-1\"}\n", 13},
	    {"months/2019-06/sources.json", "{\"id\":\"R-1\"}\n", 13},
	};
	struct ss_commit_req r = req_for(init, 3, 1700000000, "init: trail\n\nA new trail.\n");
	bool unchanged = true;
	char **names = NULL;
	size_t n = 0;
	char *data = NULL;
	size_t len;

	(void)state;
	tpath(path, sizeof(path), "trail.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(ss_git_commit(t, NULL, &r, fake_sign, &s, &root, &unchanged), 0);
	assert_false(unchanged);
	assert_int_equal(s.calls, 1);
	assert_tip(t, &root);
	assert_file(t, &root, "trail.json", "{\"format\":1}\n");
	assert_file(t, &root, "months/2019-06/population.jsonl", "{\"id\":\"R-1\"}\n");
	assert_int_equal(ss_git_read(t, &root, "policy.json", &data, &len), SS_ENOTFOUND);
	assert_null(data);
	assert_int_equal(ss_git_read(t, &root, "months", &data, &len), SS_ENOTFOUND);

	assert_int_equal(ss_git_list(t, &root, "", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "months");
	assert_string_equal(names[1], "trail.json");
	ss_strv_free(names, n);
	assert_int_equal(ss_git_list(t, &root, "months/2019-06/", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "population.jsonl");
	assert_string_equal(names[1], "sources.json");
	ss_strv_free(names, n);
	assert_int_equal(ss_git_list(t, &root, "months/2020-01", &names, &n), SS_ENOTFOUND);

	/* Same bytes, same blob; different bytes, different blob. */
	assert_int_equal(ss_git_blob_id(t, &root, "months/2019-06/population.jsonl", &a), 0);
	assert_int_equal(ss_git_blob_id(t, &root, "months/2019-06/sources.json", &b), 0);
	assert_true(ss_oid_equal(&a, &b));
	assert_int_equal(ss_git_blob_id(t, &root, "trail.json", &b), 0);
	assert_false(ss_oid_equal(&a, &b));
	assert_int_equal(ss_git_blob_id(t, &root, "nope", &b), SS_ENOTFOUND);

	second = commit_file(t, &root, "policy.json", "{\"v\":1}\n");
	assert_tip(t, &second);
	assert_file(t, &second, "policy.json", "{\"v\":1}\n");
	assert_file(t, &second, "trail.json", "{\"format\":1}\n");

	/* Writing the same bytes again, or removing what is not there, makes no
	 * commit and signs nothing. */
	{
		struct ss_change same[] = {{"policy.json", "{\"v\":1}\n", 8},
		                           {"months/2019-06/closed.json", NULL, 0}};
		struct ss_commit_req r2 = req_for(same, 2, 1700000100, "policy: again\n");

		s.calls = 0;
		assert_int_equal(ss_git_commit(t, &second, &r2, fake_sign, &s, &out, &unchanged),
		                 0);
		assert_true(unchanged);
		assert_true(ss_oid_equal(&out, &second));
		assert_int_equal(s.calls, 0);
		assert_tip(t, &second);
	}

	/* Removing the only file of a directory removes the directory. */
	{
		struct ss_change rm[] = {{"months/2019-06/population.jsonl", NULL, 0},
		                         {"months/2019-06/sources.json", NULL, 0}};
		struct ss_commit_req r3 = req_for(rm, 2, 1700000200, "import: undo\n");

		assert_int_equal(ss_git_commit(t, &second, &r3, fake_sign, NULL, &out, &unchanged),
		                 0);
		assert_false(unchanged);
		assert_int_equal(ss_git_list(t, &out, "months", &names, &n), SS_ENOTFOUND);
		assert_int_equal(ss_git_list(t, &out, "", &names, &n), 0);
		assert_int_equal(n, 2);
		ss_strv_free(names, n);
	}

	/* Revisions resolve as git resolves them. */
	{
		char hex[41], abbrev[11];

		assert_int_equal(ss_git_resolve(t, "main", &tip), 0);
		assert_true(ss_oid_equal(&tip, &out));
		ss_oid_hex(&second, hex);
		memcpy(abbrev, hex, 10);
		abbrev[10] = '\0';
		assert_int_equal(ss_git_resolve(t, abbrev, &tip), 0);
		assert_true(ss_oid_equal(&tip, &second));
		assert_int_equal(ss_oid_parse(hex, &tip), 0);
		assert_true(ss_oid_equal(&tip, &second));
		assert_int_equal(ss_oid_parse(abbrev, &tip), SS_EDATA);
		assert_int_equal(ss_git_resolve(t, "no-such-thing", &tip), SS_ENOTFOUND);
	}

	if (have_git()) {
		struct ss_buf o = SS_BUF_INIT;
		char want[3 * 42 + 1], h[41];

		ss_oid_hex(&out, h);
		pathf(want, sizeof(want), "%s\n", h);
		ss_oid_hex(&second, h);
		pathf(want + 41, sizeof(want) - 41, "%s\n", h);
		ss_oid_hex(&root, h);
		pathf(want + 82, sizeof(want) - 82, "%s\n", h);
		assert_int_equal(git_run(path, "log --format=%H main", &o), 0);
		assert_string_equal(o.data, want);
		assert_int_equal(git_run(path, "symbolic-ref HEAD", &o), 0);
		assert_string_equal(o.data, "refs/heads/main\n");
		assert_fsck_clean(path);
		assert_int_equal(git_run(path, "cat-file -p main", &o), 0);
		assert_non_null(
		    strstr(o.data, "\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH"));
		/* git's own layout: no blank continuation line after the armour. */
		assert_non_null(strstr(o.data, "\n -----END SSH SIGNATURE-----\n\nimport: undo\n"));
		assert_non_null(
		    strstr(o.data, "\nauthor Jo Doe <jo@example.org> 1700000200 +0000\n"));
		assert_non_null(
		    strstr(o.data, "\ncommitter Sam Clerk <sam@example.org> 1700000200 +0000\n"));
		ss_buf_release(&o);
	}
	ss_buf_release(&s.last);
	ss_git_free(t);
}

static void test_audit_trail__stale_parent_is_refused_and_main_kept(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct ss_oid root, second, out;
	struct ss_change c = {"x", "late\n", 5};
	struct ss_commit_req r = req_for(&c, 1, 1700000000, "late\n");
	bool unchanged;

	(void)state;
	tpath(path, sizeof(path), "cas.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	root = commit_file(t, NULL, "a", "1\n");
	second = commit_file(t, &root, "b", "2\n");

	/* A writer that read the tip before `second` landed cannot overwrite it. */
	assert_int_equal(ss_git_commit(t, &root, &r, fake_sign, NULL, &out, &unchanged), SS_EBUSY);
	assert_string_equal(ss_error_message(),
	                    "the audit trail changed while this was being recorded; try again");
	assert_tip(t, &second);
	/* Nor can a second root replace the history. */
	assert_int_equal(ss_git_commit(t, NULL, &r, fake_sign, NULL, &out, &unchanged), SS_EBUSY);
	assert_tip(t, &second);
	assert_file(t, &second, "b", "2\n");
	ss_git_free(t);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In a child: try to lock; exit 0 when the result is `want`. */
static int lock_in_child(const char *path, unsigned timeout_ms, int want, int64_t min_wait_ms)
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct ss_trail *c = NULL;
		int64_t t0 = mono_ms();
		int rc;

		if (ss_git_open(path, &c) != 0)
			_exit(2);
		rc = ss_git_lock(c, timeout_ms);
		if (rc != want)
			_exit(3);
		if (mono_ms() - t0 < min_wait_ms)
			_exit(4);
		if (rc == SS_EBUSY &&
		    strcmp(ss_error_message(), "the audit trail is busy (another ssaudit is "
		                               "writing); try again") != 0)
			_exit(5);
		ss_git_free(c);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static void test_audit_trail__lock_excludes_others_and_clears_stale_ref_lock(void **state)
{
	char path[4096], ref_lock[4200];
	struct ss_trail *t = NULL;
	struct ss_oid root, out;
	FILE *f;

	(void)state;
	tpath(path, sizeof(path), "lock.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	root = commit_file(t, NULL, "a", "1\n");

	assert_int_equal(ss_git_lock(t, 0), 0);
	assert_int_equal(lock_in_child(path, 300, SS_EBUSY, 290), 0);
	ss_git_unlock(t);
	assert_int_equal(lock_in_child(path, 1000, 0, 0), 0);

	/* A killed writer's refs/heads/main.lock blocks commits until someone
	 * holds the trail's lock, which proves nobody is writing. */
	pathf(ref_lock, sizeof(ref_lock), "%s/refs/heads/main.lock", path);
	f = fopen(ref_lock, "w");
	assert_non_null(f);
	fputs("0000000000000000000000000000000000000000\n", f);
	fclose(f);
	{
		struct ss_change c = {"b", "2\n", 2};
		struct ss_commit_req r = req_for(&c, 1, 1700000000, "b\n");
		bool unchanged;

		assert_int_equal(ss_git_commit(t, &root, &r, fake_sign, NULL, &out, &unchanged),
		                 SS_EBUSY);
		assert_tip(t, &root);
		assert_int_equal(ss_git_lock(t, 1000), 0);
		assert_int_equal(access(ref_lock, F_OK), -1);
		assert_int_equal(ss_git_commit(t, &root, &r, fake_sign, NULL, &out, &unchanged), 0);
		ss_git_unlock(t);
	}
	assert_tip(t, &out);
	assert_file(t, &out, "b", "2\n");
	ss_git_free(t);
}

#define WRITERS 8
#define ROUNDS  50

/* A child writer: ROUNDS lock, tip, commit, unlock cycles on its own paths. */
static void writer(const char *path, int w)
{
	struct ss_trail *t = NULL;
	int i;

	if (ss_git_open(path, &t) != 0)
		_exit(2);
	for (i = 0; i < ROUNDS; i++) {
		char p[64], d[64];
		struct ss_change c;
		struct ss_commit_req r;
		struct ss_oid tip, out;
		bool unchanged;

		snprintf(p, sizeof(p), "w%d/%02d.json", w, i);
		snprintf(d, sizeof(d), "{\"writer\":%d,\"round\":%d}\n", w, i);
		c.path = p;
		c.data = d;
		c.len = strlen(d);
		r = req_for(&c, 1, 1700000000 + i, "verdict: concurrent\n");
		if (ss_git_lock(t, 120000) != 0 || ss_git_tip(t, &tip) != 0 ||
		    ss_git_commit(t, &tip, &r, fake_sign, NULL, &out, &unchanged) != 0 || unchanged)
			_exit(3);
		ss_git_unlock(t);
	}
	ss_git_free(t);
	_exit(0);
}

static void test_audit_trail__concurrent_writers_lose_nothing(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct collected *k = calloc(1, sizeof(*k));
	struct ss_oid tip;
	pid_t pids[WRITERS];
	int w, st;

	(void)state;
	assert_non_null(k);
	tpath(path, sizeof(path), "many.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	commit_file(t, NULL, "trail.json", "{}\n");
	for (w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0)
			writer(path, w);
	}
	for (w = 0; w < WRITERS; w++) {
		assert_int_equal(waitpid(pids[w], &st, 0), pids[w]);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(ss_git_walk(t, NULL, collect, k), 0);
	assert_int_equal(k->n, WRITERS * ROUNDS + 1);
	assert_int_equal(k->roots, 1);
	assert_int_equal(k->merges, 0);
	assert_true(k->linear);
	assert_int_equal(ss_git_tip(t, &tip), 0);
	for (w = 0; w < WRITERS; w++) {
		char dir[16];
		char **names = NULL;
		size_t n = 0;

		snprintf(dir, sizeof(dir), "w%d", w);
		assert_int_equal(ss_git_list(t, &tip, dir, &names, &n), 0);
		assert_int_equal(n, ROUNDS);
		ss_strv_free(names, n);
	}
	if (have_git())
		assert_fsck_clean(path);
	free(k);
	ss_git_free(t);
}

/* A child that commits until it is killed; it writes a byte to `ready`
 * after its first commit, so the kill lands while it is busy writing. */
static void doomed_writer(const char *path, int round, int ready)
{
	struct ss_trail *t = NULL;
	int i;

	if (ss_git_open(path, &t) != 0)
		_exit(2);
	for (i = 0;; i++) {
		char p[64], d[64];
		struct ss_change c;
		struct ss_commit_req r;
		struct ss_oid tip, out;
		bool unchanged;

		snprintf(p, sizeof(p), "crash/%d/%d", round, i);
		snprintf(d, sizeof(d), "%d.%d\n", round, i);
		c.path = p;
		c.data = d;
		c.len = strlen(d);
		r = req_for(&c, 1, 1700000000, "crash: one more\n");
		if (ss_git_lock(t, 10000) != 0 || ss_git_tip(t, &tip) != 0 ||
		    ss_git_commit(t, &tip, &r, fake_sign, NULL, &out, &unchanged) != 0)
			_exit(3);
		ss_git_unlock(t);
		if (i == 0 && write(ready, "!", 1) != 1)
			_exit(4);
	}
}

static void test_audit_trail__killed_writer_leaves_a_sound_trail(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct ss_oid tip, out;
	unsigned seed = (unsigned)time(NULL);
	int round, st;
	bool git = have_git();

	(void)state;
	tpath(path, sizeof(path), "crash.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	commit_file(t, NULL, "trail.json", "{}\n");
	ss_git_free(t);
	for (round = 0; round < 30; round++) {
		struct timespec ts = {0, (long)(rand_r(&seed) % 30) * 1000000L};
		int ready[2];
		char p[64], byte;
		pid_t pid;

		assert_int_equal(pipe(ready), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(ready[0]);
			doomed_writer(path, round, ready[1]);
		}
		close(ready[1]);
		assert_int_equal(read(ready[0], &byte, 1), 1);
		close(ready[0]);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		/* Killed, not failed on its own. */
		assert_true(WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == 0));

		assert_int_equal(ss_git_open(path, &t), 0);
		assert_int_equal(ss_git_tip(t, &tip), 0);
		assert_file(t, &tip, "trail.json", "{}\n");
		if (git)
			assert_fsck_clean(path);
		assert_int_equal(ss_git_lock(t, 5000), 0);
		assert_int_equal(ss_git_tip(t, &tip), 0);
		snprintf(p, sizeof(p), "after/%d", round);
		out = commit_file(t, &tip, p, "still here\n");
		ss_git_unlock(t);
		assert_tip(t, &out);
		ss_git_free(t);
	}
	if (git)
		assert_fsck_clean(path);
	/* Every killed writer landed at least its first commit, the commits
	 * after each kill landed, and history stayed one line. */
	{
		struct collected *k = calloc(1, sizeof(*k));

		assert_non_null(k);
		assert_int_equal(ss_git_open(path, &t), 0);
		assert_int_equal(ss_git_walk(t, NULL, collect, k), 0);
		assert_true(k->linear);
		if (getenv("SS_TRAIL_VERBOSE") != NULL)
			fprintf(stderr, "%zu commits after 30 kills\n", k->n);
		assert_true(k->n >= 1 + 30 + 30);
		free(k);
		ss_git_free(t);
	}
}

/* In a child whose files may not grow past a few bytes (as on a full disk):
 * a commit and a batch both fail, and main stays where it was. */
static void starved_writer(const char *path)
{
	struct ss_trail *t = NULL;
	struct ss_oid tip, now, out, prev;
	struct ss_change c = {"months/2019-06/verdicts/ab/R-ab/qa.jo.json", "{\"lost\":false}\n",
	                      16};
	struct ss_commit_req r = req_for(&c, 1, 1700000000, "verdict: on a full disk\n");
	struct rlimit lim = {16, 16};
	bool unchanged;

	signal(SIGXFSZ, SIG_IGN);
	if (ss_git_open(path, &t) != 0 || ss_git_lock(t, 5000) != 0 || ss_git_tip(t, &tip) != 0)
		_exit(2);
	if (ss_git_batch_begin(t) != 0 ||
	    ss_git_commit(t, &tip, &r, fake_sign, NULL, &prev, &unchanged) != 0)
		_exit(3);
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		_exit(4);
	if (ss_git_batch_end(t, &tip, &prev) >= 0)
		_exit(5);
	if (ss_git_commit(t, &tip, &r, fake_sign, NULL, &out, &unchanged) >= 0)
		_exit(6);
	if (ss_git_tip(t, &now) != 0 || !ss_oid_equal(&now, &tip))
		_exit(7);
	ss_git_free(t);
	_exit(0);
}

static void test_audit_trail__full_disk_loses_nothing_recorded(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct ss_oid root, out;
	pid_t pid;
	int st;

	(void)state;
	tpath(path, sizeof(path), "full.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	root = commit_file(t, NULL, "trail.json", "{}\n");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		starved_writer(path);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);

	assert_tip(t, &root);
	assert_file(t, &root, "trail.json", "{}\n");
	if (have_git())
		assert_fsck_clean(path);
	/* Once there is room again, the same verdict records normally. */
	assert_int_equal(ss_git_lock(t, 1000), 0);
	out = commit_file(t, &root, "months/2019-06/verdicts/ab/R-ab/qa.jo.json",
	                  "{\"lost\":false}\n");
	ss_git_unlock(t);
	assert_tip(t, &out);
	ss_git_free(t);
}

static void test_audit_trail__batch_lands_whole_or_not_at_all(void **state)
{
	char path[4096], other_path[4096];
	struct ss_trail *t = NULL, *other = NULL;
	struct collected *k = calloc(1, sizeof(*k));
	struct ss_oid root, prev, first = {{0}};
	size_t loose_before, loose_after;
	int packs_before, i;
	char *data = NULL;
	size_t len;
	bool yes;

	(void)state;
	assert_non_null(k);
	tpath(path, sizeof(path), "batch.git");
	memcpy(other_path, path, sizeof(path));
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(ss_git_open(path, &other), 0);
	{
		/* A trail with some bulk already, which a batch must not copy. */
		static char names[300][32];
		struct ss_change bulk[301];
		struct ss_commit_req r;
		bool unchanged;

		for (i = 0; i < 300; i++) {
			snprintf(names[i], sizeof(names[i]), "months/2019-05/bulk/%03d", i);
			bulk[i].path = names[i];
			bulk[i].data = names[i];
			bulk[i].len = strlen(names[i]);
		}
		bulk[300].path = "trail.json";
		bulk[300].data = "{}\n";
		bulk[300].len = 3;
		r = req_for(bulk, 301, 1700000000, "import: bulk\n");
		assert_int_equal(ss_git_commit(t, NULL, &r, fake_sign, NULL, &root, &unchanged), 0);
	}
	assert_int_equal(ss_git_count_loose(t, &loose_before), 0);
	assert_true(loose_before >= 300);
	packs_before = count_packs(path);

	assert_int_equal(ss_git_lock(t, 1000), 0);
	assert_int_equal(ss_git_batch_begin(t), 0);
	assert_int_equal(ss_git_batch_begin(t), SS_EFAIL);
	prev = root;
	for (i = 0; i < 100; i++) {
		char p[64], d[32];

		snprintf(p, sizeof(p), "months/2019-06/verdicts/%02x/R-%d/qa.jo.json", i, i);
		snprintf(d, sizeof(d), "{\"n\":%d}\n", i);
		prev = commit_file(t, &prev, p, d);
		if (i == 0)
			first = prev;
	}
	/* Readable inside the batch, invisible outside it, main not moved. */
	assert_file(t, &prev, "months/2019-06/verdicts/63/R-99/qa.jo.json", "{\"n\":99}\n");
	assert_tip(t, &root);
	assert_int_equal(ss_git_read(other, &prev, "trail.json", &data, &len), SS_EDATA);
	assert_int_equal(ss_git_count_loose(t, &loose_after), 0);
	assert_int_equal(loose_after, loose_before);

	assert_int_equal(ss_git_batch_end(t, &root, &prev), 0);
	ss_git_unlock(t);
	assert_tip(t, &prev);
	assert_tip(other, &prev);
	assert_file(other, &prev, "months/2019-06/verdicts/00/R-0/qa.jo.json", "{\"n\":0}\n");
	assert_int_equal(ss_git_is_ancestor(other, &first, &prev, &yes), 0);
	assert_true(yes);
	assert_int_equal(ss_git_walk(other, NULL, collect, k), 0);
	assert_int_equal(k->n, 101);
	assert_true(k->linear);
	assert_int_equal(count_packs(path), packs_before + 1);
	assert_int_equal(ss_git_count_loose(t, &loose_after), 0);
	assert_int_equal(loose_after, loose_before);
	if (have_git()) {
		/* The pack holds the batch's own objects (a commit, a blob and six
		 * trees each), not another copy of the trail. */
		struct ss_buf o = SS_BUF_INIT;
		const char *at;
		long in_pack = -1;

		assert_int_equal(git_run(path, "count-objects -v", &o), 0);
		at = strstr(o.data, "in-pack: ");
		assert_non_null(at);
		in_pack = strtol(at + 9, NULL, 10);
		assert_true(in_pack >= 100 * 3 && in_pack <= 100 * 8);
		ss_buf_release(&o);
		assert_fsck_clean(path);
	}

	/* Abort: nothing lands, nothing is visible, even to the same handle. */
	{
		struct ss_oid dropped, base = prev;

		assert_int_equal(ss_git_batch_begin(t), 0);
		dropped = commit_file(t, &base, "dropped", "x\n");
		dropped = commit_file(t, &dropped, "dropped2", "y\n");
		ss_git_batch_abort(t);
		assert_tip(t, &base);
		assert_int_equal(ss_git_read(t, &dropped, "dropped", &data, &len), SS_EDATA);
		assert_int_equal(count_packs(path), packs_before + 1);
		if (have_git()) {
			struct ss_buf o = SS_BUF_INIT;
			char args[100], hex[41];

			ss_oid_hex(&dropped, hex);
			pathf(args, sizeof(args), "cat-file -e %s", hex);
			assert_int_not_equal(git_run(path, args, &o), 0);
			ss_buf_release(&o);
		}
	}

	/* A batch whose start is no longer the tip moves nothing. */
	{
		struct ss_oid base = prev, mine, theirs;

		assert_int_equal(ss_git_batch_begin(t), 0);
		mine = commit_file(t, &base, "mine", "m\n");
		theirs = commit_file(other, &base, "theirs", "t\n");
		assert_int_equal(ss_git_batch_end(t, &base, &mine), SS_EBUSY);
		assert_tip(t, &theirs);
		assert_int_equal(ss_git_batch_end(t, &base, &mine), SS_EFAIL); /* closed */
	}
	free(k);
	ss_git_free(other);
	ss_git_free(t);
}

static void test_audit_trail__gc_packs_loose_objects_and_keeps_everything(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct collected *k = calloc(1, sizeof(*k));
	struct ss_oid prev, oids[150];
	size_t loose, packed;
	int i;

	(void)state;
	assert_non_null(k);
	tpath(path, sizeof(path), "gc.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	ss_git_set_fsync(t, false); /* only the packing is under test here */
	for (i = 0; i < 150; i++) {
		char p[64], d[32];

		snprintf(p, sizeof(p), "months/2019-06/verdicts/%02x/R-%d/qa.jo.json", i % 7, i);
		snprintf(d, sizeof(d), "{\"n\":%d}\n", i);
		prev = commit_file(t, i > 0 ? &prev : NULL, p, d);
		oids[i] = prev;
	}
	ss_git_set_fsync(t, true);
	assert_int_equal(ss_git_count_loose(t, &loose), 0);
	assert_true(loose >= 150 * 4);
	assert_int_equal(ss_git_gc(t, &packed), 0);
	assert_int_equal(packed, loose);
	assert_int_equal(ss_git_count_loose(t, &loose), 0);
	assert_int_equal(loose, 0);
	ss_git_free(t);

	/* A fresh handle reads every commit from the pack alone. */
	assert_int_equal(ss_git_open(path, &t), 0);
	assert_int_equal(ss_git_walk(t, NULL, collect, k), 0);
	assert_int_equal(k->n, 150);
	for (i = 0; i < 150; i++) {
		char p[64], d[32];

		assert_true(ss_oid_equal(&k->oids[i], &oids[i]));
		snprintf(p, sizeof(p), "months/2019-06/verdicts/%02x/R-%d/qa.jo.json", i % 7, i);
		snprintf(d, sizeof(d), "{\"n\":%d}\n", i);
		assert_file(t, &oids[i], p, d);
	}
	assert_int_equal(ss_git_check_objects(t, NULL, NULL, NULL, NULL, NULL), 0);
	assert_int_equal(ss_git_gc(t, &packed), 0);
	assert_int_equal(packed, 0);
	prev = commit_file(t, &prev, "after-gc", "1\n");
	assert_tip(t, &prev);
	if (have_git())
		assert_fsck_clean(path);
	free(k);
	ss_git_free(t);
}

struct problems {
	int n;
	char commit[41];
	char path[256];
	char reason[512];
};

static void note_problem(void *ctx, const char *commit_hex, const char *path, const char *reason)
{
	struct problems *p = ctx;

	if (p->n++ == 0) {
		snprintf(p->commit, sizeof(p->commit), "%s", commit_hex);
		snprintf(p->path, sizeof(p->path), "%s", path);
		snprintf(p->reason, sizeof(p->reason), "%s", reason);
	}
}

static void test_audit_trail__check_objects_finds_a_damaged_blob(void **state)
{
	char path[4096], obj[4300], hex[41], chex[41];
	struct ss_trail *t = NULL;
	struct problems p;
	struct ss_oid root, second, blob;
	struct stat st;
	int fd;

	(void)state;
	tpath(path, sizeof(path), "damaged.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	root = commit_file(t, NULL, "trail.json", "{}\n");
	second = commit_file(t, &root, "months/2019-06/sample.json", "{\"sampled\":[\"R-1\"]}\n");
	memset(&p, 0, sizeof(p));
	assert_int_equal(ss_git_check_objects(t, NULL, NULL, NULL, note_problem, &p), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(ss_git_blob_id(t, &second, "months/2019-06/sample.json", &blob), 0);
	ss_git_free(t);

	/* Overwrite the loose blob's bytes in place, as a disk fault or an
	 * editor would. */
	ss_oid_hex(&blob, hex);
	pathf(obj, sizeof(obj), "%s/objects/%.2s/%s", path, hex, hex + 2);
	assert_int_equal(stat(obj, &st), 0);
	assert_int_equal(chmod(obj, 0644), 0);
	fd = open(obj, O_WRONLY);
	assert_true(fd >= 0);
	{
		char junk[512];

		memset(junk, 'x', sizeof(junk));
		assert_true((size_t)st.st_size <= sizeof(junk));
		assert_int_equal(write(fd, junk, (size_t)st.st_size), st.st_size);
	}
	close(fd);

	assert_int_equal(ss_git_open(path, &t), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(ss_git_check_objects(t, NULL, NULL, NULL, note_problem, &p), SS_EFAIL);
	assert_int_equal(p.n, 1);
	ss_oid_hex(&second, chex);
	assert_string_equal(p.commit, chex);
	assert_string_equal(p.path, "months/2019-06/sample.json");
	assert_non_null(strstr(p.reason, hex));
	/* The earlier commit does not reach the damaged blob. */
	memset(&p, 0, sizeof(p));
	assert_int_equal(ss_git_check_objects(t, &root, NULL, NULL, note_problem, &p), 0);
	assert_int_equal(p.n, 0);
	ss_git_free(t);
}

struct seen_commits {
	int n;
	struct ss_oid oids[4];
	const struct ss_buf *want_payload; /* what was signed for the third commit */
	bool payload_matched;
	bool signed_ok[4];
	bool unsigned_seen[4];
	size_t nparents[4];
	int stop_at;
};

static int look(void *ctx, const struct ss_commit_view *c)
{
	struct seen_commits *s = ctx;

	if (s->n < 4) {
		s->oids[s->n] = c->oid;
		s->nparents[s->n] = c->nparents;
		s->unsigned_seen[s->n] = c->signature == NULL;
		s->signed_ok[s->n] =
		    c->signature != NULL && c->signature_len == strlen(FAKE_SIG) &&
		    memcmp(c->signature, FAKE_SIG, c->signature_len) == 0 &&
		    c->signed_data_len > 5 && memcmp(c->signed_data, "tree ", 5) == 0 &&
		    memmem(c->signed_data, c->signed_data_len, "gpgsig", 6) == NULL &&
		    strcmp(c->author_name, "Jo Doe") == 0 &&
		    strcmp(c->author_email, "jo@example.org") == 0 &&
		    strcmp(c->committer_name, "Sam Clerk") == 0 &&
		    c->author_time == 1700000000 + s->n && c->commit_time == 1700000000 + s->n &&
		    strcmp(c->message, "step\n\nSsaudit-Action: verdict\n") == 0;
	}
	if (s->n == 2 && s->want_payload != NULL)
		s->payload_matched =
		    c->signed_data_len == s->want_payload->len &&
		    memcmp(c->signed_data, s->want_payload->data, c->signed_data_len) == 0;
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

static void test_audit_trail__walk_is_oldest_first_with_signatures(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct signer sg = {0, SS_BUF_INIT};
	struct ss_oid c[3];
	struct seen_commits s;
	int i;

	(void)state;
	tpath(path, sizeof(path), "walk.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	for (i = 0; i < 3; i++) {
		char p[16];
		struct ss_change ch = {p, "x\n", 2};
		struct ss_commit_req r =
		    req_for(&ch, 1, 1700000000 + i, "step\n\nSsaudit-Action: verdict\n");
		bool unchanged;

		snprintf(p, sizeof(p), "f%d", i);
		assert_int_equal(ss_git_commit(t, i > 0 ? &c[i - 1] : NULL, &r, fake_sign, &sg,
		                               &c[i], &unchanged),
		                 0);
	}
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_git_walk(t, NULL, look, &s), 0);
	assert_int_equal(s.n, 3);
	for (i = 0; i < 3; i++) {
		assert_true(ss_oid_equal(&s.oids[i], &c[i]));
		assert_true(s.signed_ok[i]);
		assert_int_equal(s.nparents[i], i > 0 ? 1 : 0);
	}
	/* What the walker hands back as signed is exactly what was signed. */
	memset(&s, 0, sizeof(s));
	s.want_payload = &sg.last;
	assert_int_equal(ss_git_walk(t, NULL, look, &s), 0);
	assert_true(s.payload_matched);
	memset(&s, 0, sizeof(s));
	s.stop_at = 2;
	assert_int_equal(ss_git_walk(t, NULL, look, &s), 42);
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_git_walk(t, &c[1], look, &s), 0);
	assert_int_equal(s.n, 2);

	/* A commit made by stock git without a signature walks as unsigned. */
	if (have_git()) {
		struct ss_buf o = SS_BUF_INIT;
		char args[512], hex[41];
		struct ss_oid plain;

		ss_oid_hex(&c[2], hex);
		pathf(args, sizeof(args),
		      "-c user.name=Eve -c user.email=eve@example.org commit-tree %s^{tree} -p %s "
		      "-m unsigned",
		      hex, hex);
		assert_int_equal(git_run(path, args, &o), 0);
		o.data[40] = '\0';
		assert_int_equal(ss_oid_parse(o.data, &plain), 0);
		pathf(args, sizeof(args), "update-ref refs/heads/main %s", o.data);
		assert_int_equal(git_run(path, args, &o), 0);
		memset(&s, 0, sizeof(s));
		assert_int_equal(ss_git_walk(t, NULL, look, &s), 0);
		assert_int_equal(s.n, 4);
		assert_true(ss_oid_equal(&s.oids[3], &plain));
		assert_true(s.unsigned_seen[3]);
		assert_false(s.unsigned_seen[2]);
		ss_buf_release(&o);
	}
	ss_buf_release(&sg.last);
	ss_git_free(t);
}

struct changes {
	int n;
	char lines[16][128];
};

static int note_change(void *ctx, const struct ss_path_change *c)
{
	struct changes *k = ctx;
	char s = c->status == SS_PATH_ADDED ? 'A' : c->status == SS_PATH_MODIFIED ? 'M' : 'D';

	if (k->n < 16)
		snprintf(k->lines[k->n], sizeof(k->lines[0]), "%c %s", s, c->path);
	k->n++;
	return 0;
}

/* What a diff gives, blob ids included, as lines. */
static int note_change_blob(void *ctx, const struct ss_path_change *c)
{
	struct changes *k = ctx;
	char s = c->status == SS_PATH_ADDED ? 'A' : c->status == SS_PATH_MODIFIED ? 'M' : 'D';
	char hex[41] = "-";

	if (c->blob != NULL)
		ss_oid_hex(c->blob, hex);
	if (k->n < 16)
		snprintf(k->lines[k->n], sizeof(k->lines[0]), "%c %s %s", s, c->path, hex);
	k->n++;
	return 0;
}

/* The changes verify takes from the object check's notes are exactly those
 * read from the trees: each commit against its parent, with a directory put
 * back as it was two commits before (already checked at its path), a whole
 * directory deleted and a file turned into a directory in two steps. */
static void test_audit_trail__noted_diff_same(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct ss_oid c[4], id, id2;
	struct changes read[3], noted[3];
	struct ss_change one[] = {{"a", "1\n", 2},
	                          {"d/x", "1\n", 2},
	                          {"d/y", "1\n", 2},
	                          {"e/z/deep", "1\n", 2},
	                          {"f", "1\n", 2}};
	struct ss_change two[] = {{"a", "2\n", 2}, {"d/x", NULL, 0}, {"e/z/deep", NULL, 0}};
	struct ss_change three[] = {{"d/x", "1\n", 2}, {"f", NULL, 0}};
	struct ss_change four[] = {{"a", "3\n", 2}, {"f/g", "1\n", 2}};
	struct ss_commit_req r[4] = {
	    req_for(one, 5, 1700000000, "one\n"), req_for(two, 3, 1700000001, "two\n"),
	    req_for(three, 2, 1700000002, "three\n"), req_for(four, 2, 1700000003, "four\n")};
	struct ss_git_check_hooks h = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
	bool unchanged;
	int i, j;

	(void)state;
	tpath(path, sizeof(path), "noted.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(ss_git_commit(t, i > 0 ? &c[i - 1] : NULL, &r[i], fake_sign, NULL,
		                               &c[i], &unchanged),
		                 0);
	for (i = 0; i < 3; i++) {
		memset(&read[i], 0, sizeof(read[i]));
		assert_int_equal(ss_git_diff(t, &c[i], &c[i + 1], note_change_blob, &read[i]), 0);
	}
	assert_int_equal(read[1].n, 2); /* d/x back, f gone */
	assert_int_equal(read[2].n, 2); /* f now a directory */
	assert_int_equal(ss_git_blob_id(t, &c[3], "d/x", &id), 0);

	ss_git_note_diffs(t, true);
	assert_int_equal(ss_git_check_objects_hooked(t, &c[3], &h), 0);
	for (i = 0; i < 3; i++) {
		memset(&noted[i], 0, sizeof(noted[i]));
		assert_int_equal(ss_git_diff(t, &c[i], &c[i + 1], note_change_blob, &noted[i]), 0);
		assert_int_equal(noted[i].n, read[i].n);
		for (j = 0; j < read[i].n; j++)
			assert_string_equal(noted[i].lines[j], read[i].lines[j]);
	}
	/* Files by path, asked commit after commit, as the walk asks. */
	for (i = 0; i < 4; i++) {
		int want = i == 1 ? SS_ENOTFOUND : 0;

		assert_int_equal(ss_git_blob_id(t, &c[i], "d/x", &id2), want);
		assert_int_equal(ss_git_blob_id(t, &c[i], "f", &id2), i >= 2 ? SS_ENOTFOUND : 0);
		if (i == 2)
			assert_non_null(strstr(ss_error_message(), "no 'f'"));
	}
	assert_int_equal(ss_git_blob_id(t, &c[3], "d/x", &id2), 0);
	assert_true(ss_oid_equal(&id, &id2));
	assert_int_equal(ss_git_blob_id(t, &c[3], "f", &id2), SS_ENOTFOUND);
	assert_non_null(strstr(ss_error_message(), "not a file"));
	ss_git_note_diffs(t, false);
	ss_git_free(t);
}

/* The same on a longer history of large directories (a month's verdicts/:
 * a few edits a commit among hundreds of entries, whose shared starts and
 * ends the check and the notes skip): every commit's noted changes are
 * those read from its trees, and the check finds nothing wrong. */
static void test_audit_trail__noted_diff_random(void **state)
{
	enum { COMMITS = 80, DIRS = 6, NAMES = 120 };
	static char content[COMMITS][3][16];
	static char paths[COMMITS][3][32];
	static bool present[DIRS][NAMES];
	char path[4096];
	struct ss_trail *t = NULL;
	struct ss_oid c[COMMITS];
	static struct changes read[COMMITS], noted[COMMITS];
	struct ss_git_check_hooks h = {NULL, NULL, NULL, NULL, NULL, NULL, NULL};
	uint32_t seed = 7;
	bool unchanged;
	int i, j, k;

	(void)state;
	tpath(path, sizeof(path), "noted-random.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	for (i = 0; i < COMMITS; i++) {
		struct ss_change ch[3];
		int n = i == 0 ? 3 : 1 + (int)((seed >> 16) % 3);

		for (k = 0; k < n; k++) {
			int d, m;

			seed = seed * 1103515245u + 12345u;
			d = (int)((seed >> 8) % DIRS);
			m = (int)((seed >> 4) % NAMES);
			/* names that sort around '/': "e-1", "e.1", "e1" and the like */
			snprintf(paths[i][k], sizeof(paths[i][k]), "v/%c%s/e%s%d", 'a' + d,
			         d % 2 ? "-x" : "",
			         m % 3 == 0   ? "-"
			         : m % 3 == 1 ? "."
			                      : "",
			         m);
			for (j = 0; j < k; j++)
				if (strcmp(paths[i][j], paths[i][k]) == 0)
					break;
			if (j < k) { /* the same file twice in one commit: once */
				n = k;
				break;
			}
			snprintf(content[i][k], sizeof(content[i][k]), "%d.%d\n", i, k);
			ch[k].path = paths[i][k];
			if (i > 0 && present[d][m] && (seed >> 20) % 4 == 0) {
				ch[k].data = NULL; /* deleted */
				ch[k].len = 0;
				present[d][m] = false;
			} else {
				ch[k].data = content[i][k];
				ch[k].len = strlen(content[i][k]);
				present[d][m] = true;
			}
		}
		{
			struct ss_commit_req r = req_for(ch, (size_t)n, 1700000000 + i, "random\n");

			assert_int_equal(ss_git_commit(t, i > 0 ? &c[i - 1] : NULL, &r, fake_sign,
			                               NULL, &c[i], &unchanged),
			                 0);
		}
	}
	for (i = 0; i + 1 < COMMITS; i++)
		assert_int_equal(ss_git_diff(t, &c[i], &c[i + 1], note_change_blob, &read[i]), 0);
	ss_git_note_diffs(t, true);
	assert_int_equal(ss_git_check_objects_hooked(t, &c[COMMITS - 1], &h), 0);
	for (i = 0; i + 1 < COMMITS; i++) {
		assert_int_equal(ss_git_diff(t, &c[i], &c[i + 1], note_change_blob, &noted[i]), 0);
		assert_int_equal(noted[i].n, read[i].n);
		for (j = 0; j < read[i].n && j < 16; j++)
			assert_string_equal(noted[i].lines[j], read[i].lines[j]);
	}
	ss_git_note_diffs(t, false);
	ss_git_free(t);
}

static void test_audit_trail__diff_and_ancestry(void **state)
{
	char path[4096];
	struct ss_trail *t = NULL;
	struct ss_oid c1, c2, base, loose_root;
	struct changes k;
	bool yes;
	struct ss_change first[] = {{"a", "1\n", 2},
	                            {"d.txt", "1\n", 2},
	                            {"d/x", "1\n", 2},
	                            {"d/y", "1\n", 2},
	                            {"e/z/deep", "1\n", 2}};
	struct ss_change second[] = {
	    {"a", "2\n", 2}, {"d/x", NULL, 0}, {"d-new", "1\n", 2}, {"e/w", "1\n", 2}};
	struct ss_commit_req r1 = req_for(first, 5, 1700000000, "one\n");
	struct ss_commit_req r2 = req_for(second, 4, 1700000001, "two\n");
	bool unchanged;

	(void)state;
	tpath(path, sizeof(path), "diff.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(ss_git_commit(t, NULL, &r1, fake_sign, NULL, &c1, &unchanged), 0);
	assert_int_equal(ss_git_commit(t, &c1, &r2, fake_sign, NULL, &c2, &unchanged), 0);

	memset(&k, 0, sizeof(k));
	assert_int_equal(ss_git_diff(t, &c1, &c2, note_change, &k), 0);
	assert_int_equal(k.n, 4);
	assert_string_equal(k.lines[0], "M a");
	assert_string_equal(k.lines[1], "A d-new");
	assert_string_equal(k.lines[2], "D d/x");
	assert_string_equal(k.lines[3], "A e/w");

	memset(&k, 0, sizeof(k));
	assert_int_equal(ss_git_diff(t, &c2, &c1, note_change, &k), 0);
	assert_int_equal(k.n, 4);
	assert_string_equal(k.lines[0], "M a");
	assert_string_equal(k.lines[1], "D d-new");
	assert_string_equal(k.lines[2], "A d/x");
	assert_string_equal(k.lines[3], "D e/w");

	memset(&k, 0, sizeof(k));
	assert_int_equal(ss_git_diff(t, NULL, &c1, note_change, &k), 0);
	assert_int_equal(k.n, 5);
	assert_string_equal(k.lines[0], "A a");
	assert_string_equal(k.lines[1], "A d.txt");
	assert_string_equal(k.lines[2], "A d/x");
	assert_string_equal(k.lines[4], "A e/z/deep");

	memset(&k, 0, sizeof(k));
	assert_int_equal(ss_git_diff(t, &c2, &c2, note_change, &k), 0);
	assert_int_equal(k.n, 0);

	assert_int_equal(ss_git_is_ancestor(t, &c1, &c2, &yes), 0);
	assert_true(yes);
	assert_int_equal(ss_git_is_ancestor(t, &c2, &c1, &yes), 0);
	assert_false(yes);
	assert_int_equal(ss_git_is_ancestor(t, &c2, &c2, &yes), 0);
	assert_true(yes);
	assert_int_equal(ss_git_merge_base(t, &c1, &c2, &base), 0);
	assert_true(ss_oid_equal(&base, &c1));

	/* A second root (made in a batch so main never sees it) shares nothing. */
	assert_int_equal(ss_git_batch_begin(t), 0);
	loose_root = commit_file(t, NULL, "other", "1\n");
	assert_int_equal(ss_git_merge_base(t, &c2, &loose_root, &base), SS_ENOTFOUND);
	assert_int_equal(ss_git_is_ancestor(t, &c1, &loose_root, &yes), 0);
	assert_false(yes);
	ss_git_batch_abort(t);
	ss_git_free(t);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(tmp, sizeof(tmp), "%s/ssaudit-trail-XXXXXX", base);
	if (mkdtemp(tmp) == NULL)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_trail__create_and_open_refuse_what_is_not_a_trail),
	    cmocka_unit_test(test_audit_trail__commits_read_back_and_git_sees_them),
	    cmocka_unit_test(test_audit_trail__stale_parent_is_refused_and_main_kept),
	    cmocka_unit_test(test_audit_trail__lock_excludes_others_and_clears_stale_ref_lock),
	    cmocka_unit_test(test_audit_trail__concurrent_writers_lose_nothing),
	    cmocka_unit_test(test_audit_trail__killed_writer_leaves_a_sound_trail),
	    cmocka_unit_test(test_audit_trail__full_disk_loses_nothing_recorded),
	    cmocka_unit_test(test_audit_trail__batch_lands_whole_or_not_at_all),
	    cmocka_unit_test(test_audit_trail__gc_packs_loose_objects_and_keeps_everything),
	    cmocka_unit_test(test_audit_trail__check_objects_finds_a_damaged_blob),
	    cmocka_unit_test(test_audit_trail__walk_is_oldest_first_with_signatures),
	    cmocka_unit_test(test_audit_trail__diff_and_ancestry),
	    cmocka_unit_test(test_audit_trail__noted_diff_same),
	    cmocka_unit_test(test_audit_trail__noted_diff_random),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
