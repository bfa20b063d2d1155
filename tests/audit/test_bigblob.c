/*
 * test_bigblob.c - a large file stored in the trail by our own writer
 * (audit/git/bigblob.c) is the object stock git would store: the same id as
 * libgit2's and `git hash-object`'s, the same bytes back from `git cat-file`,
 * and `git fsck --strict` clean; at the threshold, at the chunks' edges, when
 * the object is already there (loose or packed), and when the disk refuses
 * the write (nothing half-written is left, nothing is committed).
 *
 * Cases that run git are skipped where it is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "atest.h"
#include "buf.h"
#include "error.h"
#include "git_int.h"
#include "trail.h"

#define MIB ((size_t)1 << 20)

static char tmp[4096];
static int seq;

static void tpath(char *out, size_t cap, const char *name)
{
	pathf(out, cap, "%s/%d-%s", tmp, ++seq, name);
}

static bool have_git(void)
{
	return system("git --version >/dev/null 2>&1") == 0;
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The first line a shell command prints (the newline dropped). */
static void first_line(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	if (fgets(out, (int)cap, p) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

/* Text much like a population (lines of JSON, numbers varying), with runs of
 * noise that deflate cannot shrink when noisy. */
static char *make_data(size_t len, unsigned seed, bool noisy)
{
	char *d = malloc(len + 1);
	size_t i = 0;

	assert_non_null(d);
	while (i < len) {
		char line[160];
		int n = snprintf(line, sizeof(line),
		                 "{\"id\":\"R-%08x\",\"age\":\"18-24\",\"outcome\":\"Arrest\","
		                 "\"n\":%u}\n",
		                 seed, seed % 977);
		size_t k;

		for (k = 0; k < (size_t)n && i < len; k++)
			d[i++] = line[k];
		seed = seed * 1103515245u + 12345u;
		for (k = 0; noisy && k < 64 && i < len; k++) {
			seed = seed * 1103515245u + 12345u;
			d[i++] = (char)(seed >> 16);
		}
	}
	d[len] = '\0';
	return d;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static void object_path(const struct ss_trail *t, const git_oid *id, char *out, size_t cap)
{
	char hex[41];

	ss_git_hex(id, hex);
	pathf(out, cap, "%sobjects/%.2s/%s", t->gitdir, hex, hex + 2);
}

/* Files left in the objects directory, or in its fan-out folders, that are
 * not objects. */
static int strays(const char *gitdir)
{
	char path[4096];
	DIR *top, *sub;
	struct dirent *e, *f;
	int n = 0;

	pathf(path, sizeof(path), "%sobjects", gitdir);
	top = opendir(path);
	assert_non_null(top);
	while ((e = readdir(top)) != NULL) {
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		pathf(path, sizeof(path), "%sobjects/%s", gitdir, e->d_name);
		if (lstat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "left behind: %s\n", path);
			n++;
		}
		if (strlen(e->d_name) != 2)
			continue;
		if ((sub = opendir(path)) == NULL)
			continue;
		while ((f = readdir(sub)) != NULL)
			if (f->d_name[0] != '.' && strlen(f->d_name) != 38) {
				fprintf(stderr, "left behind: %s/%s\n", path, f->d_name);
				n++;
			}
		closedir(sub);
	}
	closedir(top);
	return n;
}

static void assert_fsck_clean(const char *gitdir)
{
	char cmd[8192];

	pathf(cmd, sizeof(cmd),
	      "GIT_CONFIG_NOSYSTEM=1 git --git-dir '%s' fsck --strict --no-dangling --no-progress "
	      ">/dev/null 2>&1",
	      gitdir);
	assert_int_equal(run(cmd), 0);
}

/* Each size: our id is libgit2's and `git hash-object`'s, git gives the
 * same bytes back, and the object is read-only with no temporary file left. */
static void test_audit_bigblob__same_object_as_git(void **state)
{
	const struct {
		size_t len;
		bool noisy;
	} cases[] = {
	    {0, false},                          /* the empty blob, one chunk */
	    {1, false},                          /* one byte */
	    {2 * MIB - 1, true},                 /* the most that is one chunk */
	    {2 * MIB, false},                    /* two chunks of exactly one piece */
	    {SS_GIT_BIGBLOB_MIN - 1, false},     /* just under the threshold */
	    {SS_GIT_BIGBLOB_MIN, false},         /* exactly at it: chunks of whole pieces */
	    {SS_GIT_BIGBLOB_MIN + 1, true},      /* the last chunk one byte longer */
	    {9 * MIB + 12345, true},             /* noise: the output outgrows its guess */
	    {3 * SS_GIT_BIGBLOB_MIN + 7, false}, /* pieces that do not divide the chunks */
	};
	char path[4096], other[4096], file[4096], cmd[8192], hex[41], line[128];
	struct ss_trail *t = NULL;
	git_repository *ref = NULL;
	bool git = have_git();
	size_t i;

	(void)state;
	tpath(path, sizeof(path), "same.git");
	tpath(other, sizeof(other), "libgit2.git");
	tpath(file, sizeof(file), "data");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(git_repository_init(&ref, other, 1), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *data = make_data(cases[i].len, (unsigned)i + 1, cases[i].noisy);
		git_oid id, want;
		struct stat st;

		assert_int_equal(ss_git_bigblob_write(t, &id, data, cases[i].len, "data"), 0);
		assert_int_equal(git_blob_create_from_buffer(&want, ref, data, cases[i].len), 0);
		if (!git_oid_equal(&id, &want))
			fail_msg("%zu bytes: not libgit2's id", cases[i].len);
		object_path(t, &id, cmd, sizeof(cmd));
		assert_int_equal(stat(cmd, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0444);
		assert_int_equal(strays(t->gitdir), 0);
		if (git) {
			ss_git_hex(&id, hex);
			write_file(file, data, cases[i].len);
			pathf(cmd, sizeof(cmd), "git hash-object '%s'", file);
			first_line(cmd, line, sizeof(line));
			assert_string_equal(line, hex);
			pathf(cmd, sizeof(cmd),
			      "git --git-dir '%s' cat-file blob %s | cmp -s - '%s'", path, hex,
			      file);
			if (run(cmd) != 0)
				fail_msg("%zu bytes: git cat-file gives other bytes", cases[i].len);
		}
		free(data);
	}
	if (git)
		assert_fsck_clean(t->gitdir);
	git_repository_free(ref);
	ss_git_free(t);
}

/* A file committed through ss_git_commit at the threshold and above reads
 * back whole, with git's id, and the trail passes the object check and fsck. */
static int fake_sign(void *ctx, const char *payload, size_t len, char **sig)
{
	(void)ctx, (void)payload, (void)len;
	*sig = strdup("-----BEGIN SSH SIGNATURE-----\nZmFrZQ==\n-----END SSH SIGNATURE-----\n");
	return *sig != NULL ? 0 : SS_ENOMEM;
}

static struct ss_commit_req req_for(const struct ss_change *changes, size_t n)
{
	struct ss_commit_req r;

	memset(&r, 0, sizeof(r));
	r.author.name = "Jo Doe";
	r.author.email = "jo@example.org";
	r.committer.name = "Jo Doe";
	r.committer.email = "jo@example.org";
	r.when = 1700000000;
	r.message = "import: a large month\n";
	r.changes = changes;
	r.nchanges = n;
	return r;
}

static void problem(void *ctx, const char *commit_hex, const char *path, const char *reason)
{
	(void)ctx;
	fail_msg("%s %s: %s", commit_hex, path, reason);
}

static void test_audit_bigblob__commit_reads_back(void **state)
{
	char path[4096], file[4096], cmd[8192], hex[41], line[128];
	size_t big = SS_GIT_BIGBLOB_MIN + 3 * MIB + 11;
	char *pop = make_data(big, 7, false), *at = make_data(SS_GIT_BIGBLOB_MIN, 8, true);
	struct ss_change ch[] = {{"months/2024-03/population.jsonl", pop, big},
	                         {"months/2024-03/sample.json", at, SS_GIT_BIGBLOB_MIN},
	                         {"trail.json", "{}\n", 3}};
	struct ss_commit_req r = req_for(ch, 3);
	struct ss_trail *t = NULL;
	struct ss_oid tip, blob;
	char *back = NULL;
	size_t len = 0, i, checked = 0;
	bool unchanged;

	(void)state;
	tpath(path, sizeof(path), "commit.git");
	tpath(file, sizeof(file), "pop");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(ss_git_commit(t, NULL, &r, fake_sign, NULL, &tip, &unchanged), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(ss_git_read(t, &tip, ch[i].path, &back, &len), 0);
		assert_int_equal(len, ch[i].len);
		assert_memory_equal(back, ch[i].data, len);
		free(back);
	}
	assert_int_equal(ss_git_check_objects(t, &tip, NULL, NULL, problem, NULL), 0);
	assert_int_equal(ss_git_check_loose(t, problem, NULL, &checked), 0);
	assert_true(checked >= 5); /* three blobs, the trees, the commit */
	if (have_git()) {
		assert_int_equal(ss_git_blob_id(t, &tip, ch[0].path, &blob), 0);
		ss_oid_hex(&blob, hex);
		write_file(file, pop, big);
		pathf(cmd, sizeof(cmd), "git hash-object '%s'", file);
		first_line(cmd, line, sizeof(line));
		assert_string_equal(line, hex);
		pathf(cmd, sizeof(cmd), "git --git-dir '%s' show main:%s | cmp -s - '%s'", path,
		      ch[0].path, file);
		assert_int_equal(run(cmd), 0);
		assert_fsck_clean(t->gitdir);
	}
	ss_git_free(t);
	free(pop);
	free(at);
}

/* What the object check reported. */
struct seen {
	size_t n;
	char path[256], reason[1024];
};

static void note(void *ctx, const char *commit_hex, const char *path, const char *reason)
{
	struct seen *s = ctx;

	(void)commit_hex;
	if (s->n++ == 0) {
		snprintf(s->path, sizeof(s->path), "%s", path);
		snprintf(s->reason, sizeof(s->reason), "%s", reason);
	}
}

/* A large blob is checked a piece at a time (the object check never holds a
 * month's population whole): intact loose and packed, and one whose loose
 * file still inflates but to other bytes is reported as damaged. */
static void test_audit_bigblob__large_blob_checked_in_pieces(void **state)
{
	char path[4096], obj[4400], hex[41];
	size_t big = SS_GIT_BIGBLOB_MIN + 2 * MIB + 5;
	char *pop = make_data(big, 11, false);
	struct ss_change ch[] = {{"months/2024-03/population.jsonl", pop, big},
	                         {"trail.json", "{}\n", 3}};
	struct ss_commit_req r = req_for(ch, 2);
	struct ss_trail *t = NULL;
	struct ss_oid tip, blob;
	git_oid id;
	struct seen s;
	char head[64];
	unsigned char *z;
	uLongf zlen;
	int n;
	bool unchanged;

	(void)state;
	tpath(path, sizeof(path), "pieces.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(ss_git_commit(t, NULL, &r, fake_sign, NULL, &tip, &unchanged), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_git_check_objects(t, &tip, NULL, NULL, note, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(ss_git_blob_id(t, &tip, ch[0].path, &blob), 0);
	memcpy(id.id, blob.id, sizeof(id.id));
	object_path(t, &id, obj, sizeof(obj));
	ss_oid_hex(&blob, hex);

	/* The same blob packed: read from the pack, still intact. */
	{
		struct ss_trail *pt = NULL;
		struct ss_oid ptip;
		char packed_path[4200];
		size_t packed = 0;

		tpath(packed_path, sizeof(packed_path), "pieces-packed.git");
		assert_int_equal(ss_git_create(packed_path, &pt), 0);
		assert_int_equal(ss_git_commit(pt, NULL, &r, fake_sign, NULL, &ptip, &unchanged),
		                 0);
		assert_int_equal(ss_git_gc(pt, &packed), 0);
		assert_true(packed > 0);
		memset(&s, 0, sizeof(s));
		assert_int_equal(ss_git_check_objects(pt, &ptip, NULL, NULL, note, &s), 0);
		assert_int_equal(s.n, 0);
		ss_git_free(pt);
	}

	/* One byte of the content changed, the file deflated again: zlib is
	 * content, git is not. */
	pop[big / 2] ^= 1;
	n = snprintf(head, sizeof(head), "blob %zu", big);
	{
		size_t all = (size_t)n + 1 + big;
		char *raw = malloc(all);

		assert_non_null(raw);
		memcpy(raw, head, (size_t)n + 1);
		memcpy(raw + n + 1, pop, big);
		zlen = compressBound((uLong)all);
		z = malloc(zlen);
		assert_non_null(z);
		assert_int_equal(compress2(z, &zlen, (const Bytef *)raw, (uLong)all, 1), Z_OK);
		free(raw);
	}
	assert_int_equal(chmod(obj, 0644), 0);
	write_file(obj, (const char *)z, zlen);
	free(z);
	ss_git_free(t);

	assert_int_equal(ss_git_open(path, &t), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(ss_git_check_objects(t, &tip, NULL, NULL, note, &s), SS_EFAIL);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.path, ch[0].path);
	assert_non_null(strstr(s.reason, hex));
	assert_non_null(strstr(s.reason, "does not hash to its id"));
	ss_git_free(t);
	free(pop);
}

/* An object already there, loose (written by libgit2) or packed, is left as
 * it is: the same id comes back and nothing new is written. */
static void test_audit_bigblob__already_there(void **state)
{
	char path[4096], obj[4096];
	size_t len = SS_GIT_BIGBLOB_MIN + 5;
	char *data = make_data(len, 3, false);
	struct ss_trail *t = NULL;
	struct stat before, after;
	git_oid want, id;
	size_t packed = 0;

	(void)state;
	tpath(path, sizeof(path), "there.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(git_blob_create_from_buffer(&want, t->repo, data, len), 0);
	object_path(t, &want, obj, sizeof(obj));
	assert_int_equal(stat(obj, &before), 0);
	assert_int_equal(ss_git_bigblob_write(t, &id, data, len, "data"), 0);
	assert_true(git_oid_equal(&id, &want));
	assert_int_equal(stat(obj, &after), 0);
	assert_int_equal(after.st_ino, before.st_ino); /* libgit2's file, not replaced */
	assert_int_equal(strays(t->gitdir), 0);

	/* Packed, the loose copy gone: still there, nothing loose written. */
	assert_int_equal(ss_git_gc(t, &packed), 0);
	assert_int_equal(stat(obj, &after), -1);
	assert_int_equal(ss_git_bigblob_write(t, &id, data, len, "data"), 0);
	assert_true(git_oid_equal(&id, &want));
	assert_int_equal(stat(obj, &after), -1);
	assert_int_equal(strays(t->gitdir), 0);
	ss_git_free(t);
	free(data);
}

/* In a child whose files may not grow past 1 MiB (as on a full disk): the
 * commit of a large file fails with SS_EIO, naming the file, and main stays. */
static void starved_writer(const char *path, const char *data, size_t len)
{
	struct ss_change c = {"months/2024-03/population.jsonl", data, len};
	struct ss_commit_req r = req_for(&c, 1);
	struct rlimit lim = {MIB, MIB};
	struct ss_trail *t = NULL;
	struct ss_oid tip, now, out;
	bool unchanged;

	signal(SIGXFSZ, SIG_IGN);
	if (ss_git_open(path, &t) != 0 || ss_git_lock(t, 5000) != 0 || ss_git_tip(t, &tip) != 0)
		_exit(2);
	if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
		_exit(3);
	if (ss_git_commit(t, &tip, &r, fake_sign, NULL, &out, &unchanged) != SS_EIO)
		_exit(4);
	if (strstr(ss_error_message(), "cannot store 'months/2024-03/population.jsonl'") == NULL)
		_exit(5);
	if (ss_git_tip(t, &now) != 0 || !ss_oid_equal(&now, &tip))
		_exit(6);
	ss_git_free(t);
	_exit(0);
}

static void test_audit_bigblob__refused_write_leaves_nothing(void **state)
{
	char path[4096], obj[4096];
	size_t len = SS_GIT_BIGBLOB_MIN + 1;
	char *data = make_data(len, 5, true); /* deflates to more than 1 MiB */
	struct ss_change c = {"trail.json", "{}\n", 3};
	struct ss_commit_req r = req_for(&c, 1);
	struct ss_trail *t = NULL;
	struct ss_oid root, tip;
	struct stat st;
	git_oid id;
	bool unchanged;
	pid_t pid;
	int status;

	(void)state;
	tpath(path, sizeof(path), "starved.git");
	assert_int_equal(ss_git_create(path, &t), 0);
	assert_int_equal(ss_git_commit(t, NULL, &r, fake_sign, NULL, &root, &unchanged), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		starved_writer(path, data, len);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(ss_git_tip(t, &tip), 0);
	assert_true(ss_oid_equal(&tip, &root));
	assert_int_equal(strays(t->gitdir), 0);
	assert_int_equal(git_odb_hash(&id, data, len, GIT_OBJECT_BLOB), 0);
	object_path(t, &id, obj, sizeof(obj));
	assert_int_equal(stat(obj, &st), -1);
	if (have_git())
		assert_fsck_clean(t->gitdir);
	ss_git_free(t);
	free(data);
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	if (base == NULL || *base == '\0')
		base = "/tmp";
	pathf(tmp, sizeof(tmp), "%s/ss-bigblob-XXXXXX", base);
	return mkdtemp(tmp) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[8192];

	(void)state;
	pathf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_bigblob__same_object_as_git),
	    cmocka_unit_test(test_audit_bigblob__commit_reads_back),
	    cmocka_unit_test(test_audit_bigblob__large_blob_checked_in_pieces),
	    cmocka_unit_test(test_audit_bigblob__already_there),
	    cmocka_unit_test(test_audit_bigblob__refused_write_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
