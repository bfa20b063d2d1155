/*
 * test_sshkey.c - keys and SSH signatures must be exactly what ssh-keygen and
 * git make and accept. Cases that run ssh-keygen are skipped where it is not
 * installed; data/sshkey/ holds a key and a signature made by ssh-keygen, so
 * byte-identity is still checked there.
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
#include <unistd.h>

#include "atest.h"
#include "buf.h"
#include "error.h"
#include "crypto.h"
#include "sshkey.h"

static char tmp[4096];
static int seq;

/* A fresh path in the test's directory. */
static void tpath(char *out, size_t cap, const char *name)
{
	pathf(out, cap, "%s/%d-%s", tmp, ++seq, name);
}

static void data_path(char *out, size_t cap, const char *name)
{
	const char *src = getenv("SS_SOURCE_DIR");

	pathf(out, cap, "%s/tests/audit/data/sshkey/%s", src ? src : ".", name);
}

static int have_ssh_keygen(void)
{
	return system("command -v ssh-keygen >/dev/null 2>&1") == 0;
}

#define NEED_SSH_KEYGEN()                                                                          \
	do {                                                                                       \
		if (!have_ssh_keygen())                                                            \
			skip();                                                                    \
	} while (0)

static int run(const char *fmt, ...) SS_PRINTF(1, 2);
static int run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* First line of a command's standard output, without its newline. */
static void capture(char *out, size_t cap, const char *cmd)
{
	FILE *f = popen(cmd, "r");

	assert_non_null(f);
	out[0] = '\0';
	if (fgets(out, (int)cap, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	assert_int_equal(pclose(f), 0);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	p = malloc((size_t)n + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
	p[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return p;
}

static void spill(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* Copy a file from data/sshkey/ into the test directory with `mode` (git keeps no 0600). */
static void data_copy(char *out, size_t cap, const char *name, mode_t mode)
{
	char src[4096];
	size_t len;
	char *p;

	data_path(src, sizeof(src), name);
	p = slurp(src, &len);
	tpath(out, cap, name);
	spill(out, p, len, mode);
	free(p);
}

static struct ss_key *load_ok(const char *path)
{
	struct ss_key *k = NULL;
	int err = ss_key_load(path, &k);

	if (err)
		fail_msg("loading '%s': %d %s", path, err, ss_error_message());
	assert_non_null(k);
	return k;
}

static void make_key(char *path, size_t cap, const char *comment, char **publine)
{
	int err;

	tpath(path, cap, "ours.key");
	err = ss_key_generate(path, comment, publine);
	if (err)
		fail_msg("generate: %d %s", err, ss_error_message());
}

/* An ssh-keygen key in the test directory; `extra` goes on its command line. */
static void their_key(char *path, size_t cap, const char *extra)
{
	tpath(path, cap, "theirs.key");
	assert_int_equal(run("ssh-keygen -q %s -f '%s' </dev/null >/dev/null 2>&1", extra, path),
	                 0);
}

/* Decode an armored text (BEGIN line, base64 lines, END line) into out. */
static size_t dearmor(unsigned char *out, size_t cap, const char *armored)
{
	char b64[8192];
	const char *p = strchr(armored, '\n') + 1;
	size_t n = 0;
	long len;

	for (; *p != '-'; p++)
		if (*p != '\n')
			b64[n++] = *p;
	len = ss_base64_decode(out, cap, b64, n);
	assert_true(len > 0);
	return (size_t)len;
}

/* Armor blob as OpenSSH does (wrap at 70) between the given marker lines. */
static char *armor(const char *begin, const char *end, const unsigned char *blob, size_t n)
{
	char b64[8192];
	struct ss_buf b = SS_BUF_INIT;
	size_t i, len;

	ss_base64_encode(b64, blob, n);
	len = strlen(b64);
	assert_int_equal(ss_buf_printf(&b, "%s\n", begin), 0);
	for (i = 0; i < len; i += 70)
		assert_int_equal(ss_buf_printf(&b, "%.70s\n", b64 + i), 0);
	assert_int_equal(ss_buf_printf(&b, "%s\n", end), 0);
	return ss_buf_detach(&b);
}

static const char payload[] = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
                              "author A <a@example.org> 1560000000 +0000\n"
                              "committer A <a@example.org> 1560000000 +0000\n\n"
                              "verdict: 2019-06 R-abc by jdoe (qa-panel)\n";

/* --- generate and load ------------------------------------------------------ */

static void test_audit_sshkey__generate_then_load(void **state)
{
	unsigned char pk_line[SS_PUBKEY_LEN], pk_key[SS_PUBKEY_LEN];
	char path[4096], *publine = NULL;
	struct ss_key *k;
	struct stat st;
	mode_t old = umask(0277); /* the key must be 0600 whatever the umask */

	(void)state;
	make_key(path, sizeof(path), "alice", &publine);
	umask(old);
	assert_non_null(publine);
	assert_memory_equal(publine, "ssh-ed25519 ", 12);
	assert_string_equal(publine + strlen(publine) - 6, " alice");
	assert_int_equal(ss_pubkey_parse(publine, pk_line), 0);

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	k = load_ok(path);
	ss_key_public(k, pk_key);
	assert_memory_equal(pk_key, pk_line, SS_PUBKEY_LEN);
	assert_string_equal(ss_key_comment(k), "alice");
	ss_key_free(k);
	free(publine);
}

static void test_audit_sshkey__two_keys_differ(void **state)
{
	char a[4096], b[4096], *pa = NULL, *pb = NULL;

	(void)state;
	make_key(a, sizeof(a), "a", &pa);
	make_key(b, sizeof(b), "a", &pb);
	assert_string_not_equal(pa, pb);
	free(pa);
	free(pb);
}

static void test_audit_sshkey__generate_never_overwrites(void **state)
{
	char path[4096], link[4096], target[4096], *publine = NULL, *again = NULL;
	char *before, *after;
	size_t n1, n2;
	struct stat st;

	(void)state;
	make_key(path, sizeof(path), "alice", &publine);
	before = slurp(path, &n1);
	assert_int_equal(ss_key_generate(path, "mallory", &again), SS_ECANTCREAT);
	assert_null(again);
	assert_non_null(strstr(ss_error_message(), path));
	after = slurp(path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);

	/* Nor through a symbolic link to somewhere else. */
	tpath(target, sizeof(target), "elsewhere");
	tpath(link, sizeof(link), "link.key");
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(ss_key_generate(link, "x", &again), SS_ECANTCREAT);
	assert_int_equal(lstat(target, &st), -1);

	/* A folder that does not exist. */
	pathf(link, sizeof(link), "%s/no/such/dir.key", tmp);
	assert_int_equal(ss_key_generate(link, "x", &again), SS_ECANTCREAT);
	free(before);
	free(after);
	free(publine);
}

static void test_audit_sshkey__failed_write_leaves_no_key(void **state)
{
	char path[4096], *publine = NULL;
	struct rlimit saved, small;
	struct stat st;
	int err;

	(void)state;
	tpath(path, sizeof(path), "short.key");
	/* A disk that fills up after 100 bytes. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 100;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	err = ss_key_generate(path, "alice", &publine);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(err, SS_EIO);
	assert_null(publine);
	assert_non_null(strstr(ss_error_message(), path));
	assert_int_equal(lstat(path, &st), -1);
	assert_int_equal(errno, ENOENT);
}

static void test_audit_sshkey__generate_refuses_multiline_comment(void **state)
{
	char path[4096], *publine = NULL;
	struct stat st;

	(void)state;
	tpath(path, sizeof(path), "nl.key");
	assert_int_equal(ss_key_generate(path, "alice\nssh-ed25519 AAAA mallory", &publine),
	                 SS_EUSAGE);
	assert_null(publine);
	assert_int_equal(lstat(path, &st), -1);
}

/* --- ssh-keygen reads our keys -------------------------------------------------- */

static void test_audit_sshkey__ssh_keygen_reads_our_key(void **state)
{
	/* Comments of 1 to 8 bytes give every length of the private section's padding. */
	static const char *comments[] = {"a",     "ab",      "abc",      "abcd",
	                                 "alice", "alice-1", "alice-12", "alice-123"};
	char path[4096], cmd[8192], line[4096], fp[SS_FINGERPRINT_LEN], *publine = NULL;
	unsigned char pk[SS_PUBKEY_LEN];
	size_t i;

	(void)state;
	NEED_SSH_KEYGEN();
	for (i = 0; i < sizeof(comments) / sizeof(comments[0]); i++) {
		make_key(path, sizeof(path), comments[i], &publine);
		pathf(cmd, sizeof(cmd), "ssh-keygen -y -f '%s'", path);
		capture(line, sizeof(line), cmd);
		assert_string_equal(line, publine);

		assert_int_equal(ss_pubkey_parse(publine, pk), 0);
		ss_pubkey_fingerprint(pk, fp);
		pathf(cmd, sizeof(cmd), "ssh-keygen -l -f '%s'", path);
		capture(line, sizeof(line), cmd);
		/* "256 SHA256:... alice (ED25519)" */
		assert_memory_equal(line, "256 ", 4);
		assert_memory_equal(line + 4, fp, strlen(fp));
		assert_int_equal(line[4 + strlen(fp)], ' ');
		free(publine);
	}
}

static void test_audit_sshkey__generate_then_load_every_padding(void **state)
{
	static const char *comments[] = {"",     "a",     "ab",     "abc",
	                                 "abcd", "abcde", "abcdef", "abcdefg"};
	unsigned char pk_line[SS_PUBKEY_LEN], pk_key[SS_PUBKEY_LEN];
	char path[4096], *publine = NULL;
	struct ss_key *k;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(comments) / sizeof(comments[0]); i++) {
		make_key(path, sizeof(path), comments[i], &publine);
		assert_int_equal(ss_pubkey_parse(publine, pk_line), 0);
		k = load_ok(path);
		ss_key_public(k, pk_key);
		assert_memory_equal(pk_key, pk_line, SS_PUBKEY_LEN);
		assert_string_equal(ss_key_comment(k), comments[i]);
		ss_key_free(k);
		free(publine);
	}
}

static void test_audit_sshkey__ssh_keygen_signs_with_our_key_as_we_do(void **state)
{
	char path[4096], msg[4096], sig[4096], *publine = NULL, *ours = NULL, *theirs;
	struct ss_key *k;
	size_t n;

	(void)state;
	NEED_SSH_KEYGEN();
	make_key(path, sizeof(path), "alice", &publine);
	tpath(msg, sizeof(msg), "payload");
	spill(msg, payload, sizeof(payload) - 1, 0644);
	assert_int_equal(run("ssh-keygen -q -Y sign -n git -f '%s' '%s' 2>/dev/null", path, msg),
	                 0);
	pathf(sig, sizeof(sig), "%s.sig", msg);
	theirs = slurp(sig, &n);
	k = load_ok(path);
	assert_int_equal(ss_sshsig_sign(k, "git", payload, sizeof(payload) - 1, &ours), 0);
	assert_int_equal(strlen(ours), n);
	assert_memory_equal(ours, theirs, n);
	ss_key_free(k);
	free(ours);
	free(theirs);
	free(publine);
}

/* --- keys and signatures made by ssh-keygen --------------------------------------- */

/* The stored key and signature: no ssh-keygen needed. */
static void test_audit_sshkey__stored_ssh_keygen_signature_is_reproduced(void **state)
{
	char key[4096], file[4096], fp[SS_FINGERPRINT_LEN], *pubtext, *sigtext, *fptext, *msg,
	    *ours = NULL;
	unsigned char pk_file[SS_PUBKEY_LEN], pk_key[SS_PUBKEY_LEN], pk_sig[SS_PUBKEY_LEN];
	size_t n, siglen, msglen;
	struct ss_key *k;

	(void)state;
	data_copy(key, sizeof(key), "ed25519.key", 0600);
	data_path(file, sizeof(file), "ed25519.key.pub");
	pubtext = slurp(file, &n);
	data_path(file, sizeof(file), "payload.sig");
	sigtext = slurp(file, &siglen);
	data_path(file, sizeof(file), "payload");
	msg = slurp(file, &msglen);
	data_path(file, sizeof(file), "fingerprint");
	fptext = slurp(file, &n);
	fptext[strcspn(fptext, "\n")] = '\0';

	k = load_ok(key);
	ss_key_public(k, pk_key);
	assert_string_equal(ss_key_comment(k), "test-only key, never use");
	assert_int_equal(ss_pubkey_parse(pubtext, pk_file), 0);
	assert_memory_equal(pk_key, pk_file, SS_PUBKEY_LEN);
	ss_pubkey_fingerprint(pk_key, fp);
	assert_string_equal(fp, fptext);

	assert_int_equal(ss_sshsig_sign(k, "git", msg, msglen, &ours), 0);
	assert_string_equal(ours, sigtext);
	assert_int_equal(ss_sshsig_verify(sigtext, siglen, "git", msg, msglen, pk_sig), 0);
	assert_memory_equal(pk_sig, pk_key, SS_PUBKEY_LEN);
	ss_key_free(k);
	free(ours);
	free(pubtext);
	free(sigtext);
	free(msg);
	free(fptext);
}

static void test_audit_sshkey__ssh_keygen_key_signs_identically(void **state)
{
	static const char *namespaces[] = {"git", "file",
	                                   "a-namespace-long-enough-to-move-the-wrap"};
	char key[4096], pub[4096], msg[4096], sig[4096], *pubtext, *theirs, *ours = NULL;
	unsigned char pk_file[SS_PUBKEY_LEN], pk_key[SS_PUBKEY_LEN], pk_sig[SS_PUBKEY_LEN];
	size_t n, i, len;
	struct ss_key *k;

	(void)state;
	NEED_SSH_KEYGEN();
	their_key(key, sizeof(key), "-t ed25519 -N '' -C test");
	k = load_ok(key);
	assert_string_equal(ss_key_comment(k), "test");
	ss_key_public(k, pk_key);
	pathf(pub, sizeof(pub), "%s.pub", key);
	pubtext = slurp(pub, &n);
	assert_int_equal(ss_pubkey_parse(pubtext, pk_file), 0);
	assert_memory_equal(pk_key, pk_file, SS_PUBKEY_LEN);

	for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
		/* The empty message and one that is not text, too. */
		static const char binary[] = "\0\1\2\xff\xfe payload with a NUL";
		const char *m = i == 0 ? payload : i == 1 ? "" : binary;
		size_t mlen = i == 0 ? sizeof(payload) - 1 : i == 1 ? 0 : sizeof(binary) - 1;

		tpath(msg, sizeof(msg), "payload");
		spill(msg, m, mlen, 0644);
		assert_int_equal(run("ssh-keygen -q -Y sign -n '%s' -f '%s' '%s' 2>/dev/null",
		                     namespaces[i], key, msg),
		                 0);
		pathf(sig, sizeof(sig), "%s.sig", msg);
		theirs = slurp(sig, &len);
		assert_int_equal(ss_sshsig_sign(k, namespaces[i], m, mlen, &ours), 0);
		assert_string_equal(ours, theirs);
		/* And ours checks theirs. */
		assert_int_equal(ss_sshsig_verify(theirs, len, namespaces[i], m, mlen, pk_sig), 0);
		assert_memory_equal(pk_sig, pk_key, SS_PUBKEY_LEN);
		free(ours);
		free(theirs);
	}
	ss_key_free(k);
	free(pubtext);
}

static void test_audit_sshkey__ssh_keygen_verifies_ours(void **state)
{
	char key[4096], msg[4096], sig[4096], signers[4096], line[8192];
	char *publine = NULL, *ours = NULL;
	struct ss_key *k;

	(void)state;
	NEED_SSH_KEYGEN();
	make_key(key, sizeof(key), "alice", &publine);
	k = load_ok(key);
	tpath(msg, sizeof(msg), "payload");
	spill(msg, payload, sizeof(payload) - 1, 0644);
	assert_int_equal(ss_sshsig_sign(k, "git", payload, sizeof(payload) - 1, &ours), 0);
	tpath(sig, sizeof(sig), "payload.sig");
	spill(sig, ours, strlen(ours), 0644);
	tpath(signers, sizeof(signers), "allowed_signers");
	pathf(line, sizeof(line), "alice %s\n", publine);
	spill(signers, line, strlen(line), 0644);

	assert_int_equal(run("ssh-keygen -Y verify -n git -I alice -s '%s' -f '%s' < '%s' "
	                     ">/dev/null 2>&1",
	                     sig, signers, msg),
	                 0);
	/* The same check fails on other data or another namespace, so it means something. */
	spill(msg, "other data\n", 11, 0644);
	assert_int_not_equal(run("ssh-keygen -Y verify -n git -I alice -s '%s' -f '%s' < '%s' "
	                         ">/dev/null 2>&1",
	                         sig, signers, msg),
	                     0);
	spill(msg, payload, sizeof(payload) - 1, 0644);
	assert_int_not_equal(run("ssh-keygen -Y verify -n file -I alice -s '%s' -f '%s' < '%s' "
	                         ">/dev/null 2>&1",
	                         sig, signers, msg),
	                     0);
	ss_key_free(k);
	free(ours);
	free(publine);
}

static void test_audit_sshkey__we_verify_ssh_keygen_sha256(void **state)
{
	char key[4096], msg[4096], sig[4096], *theirs;
	unsigned char pk_key[SS_PUBKEY_LEN], pk_sig[SS_PUBKEY_LEN];
	struct ss_key *k;
	size_t len;

	(void)state;
	NEED_SSH_KEYGEN();
	their_key(key, sizeof(key), "-t ed25519 -N ''");
	tpath(msg, sizeof(msg), "payload");
	spill(msg, payload, sizeof(payload) - 1, 0644);
	assert_int_equal(run("ssh-keygen -q -Y sign -O hashalg=sha256 -n git -f '%s' '%s' "
	                     "2>/dev/null",
	                     key, msg),
	                 0);
	pathf(sig, sizeof(sig), "%s.sig", msg);
	theirs = slurp(sig, &len);
	k = load_ok(key);
	ss_key_public(k, pk_key);
	assert_int_equal(ss_sshsig_verify(theirs, len, "git", payload, sizeof(payload) - 1, pk_sig),
	                 0);
	assert_memory_equal(pk_sig, pk_key, SS_PUBKEY_LEN);
	assert_int_equal(ss_sshsig_verify(theirs, len, "git", payload, sizeof(payload) - 2, pk_sig),
	                 SS_EFAIL);
	ss_key_free(k);
	free(theirs);
}

/* The auditor's check: stock git accepts a commit carrying our signature. */
static void test_audit_sshkey__git_verify_commit_accepts_ours(void **state)
{
	char key[4096], repo[4096], signers[4096], commit[4096], cmd[16384], oid[128];
	char *publine = NULL, *sig = NULL, *line;
	struct ss_buf obj = SS_BUF_INIT;
	struct ss_key *k;
	const char *body = strstr(payload, "\n\n");
	size_t i;

	(void)state;
	NEED_SSH_KEYGEN();
	if (system("command -v git >/dev/null 2>&1") != 0)
		skip();
	make_key(key, sizeof(key), "alice", &publine);
	k = load_ok(key);
	assert_int_equal(ss_sshsig_sign(k, "git", payload, sizeof(payload) - 1, &sig), 0);

	/* The commit as git stores it: gpgsig after the committer, continuation lines
	 * indented by one space. */
	assert_int_equal(ss_buf_put(&obj, payload, (size_t)(body - payload) + 1), 0);
	assert_int_equal(ss_buf_puts(&obj, "gpgsig "), 0);
	for (i = 0; sig[i]; i++) {
		assert_int_equal(ss_buf_putc(&obj, sig[i]), 0);
		if (sig[i] == '\n' && sig[i + 1])
			assert_int_equal(ss_buf_putc(&obj, ' '), 0);
	}
	assert_int_equal(ss_buf_puts(&obj, body + 1), 0);

	tpath(repo, sizeof(repo), "trail.git");
	tpath(signers, sizeof(signers), "allowed_signers");
	tpath(commit, sizeof(commit), "commit");
	assert_int_equal(asprintf(&line, "alice %s\n", publine) > 0, 1);
	spill(signers, line, strlen(line), 0644);
	free(line);
	spill(commit, obj.data, obj.len, 0644);
	assert_int_equal(run("git init -q --bare '%s' && git --git-dir='%s' mktree </dev/null "
	                     ">/dev/null",
	                     repo, repo),
	                 0);
	pathf(cmd, sizeof(cmd), "git --git-dir='%s' hash-object -w -t commit '%s'", repo, commit);
	capture(oid, sizeof(oid), cmd);
	assert_int_equal(strlen(oid), 40);
	assert_int_equal(run("git --git-dir='%s' -c gpg.ssh.allowedSignersFile='%s' verify-commit "
	                     "%s >/dev/null 2>&1",
	                     repo, signers, oid),
	                 0);

	/* The same commit with its message changed by one letter is refused. */
	obj.data[obj.len - 2] ^= 0x20;
	spill(commit, obj.data, obj.len, 0644);
	capture(oid, sizeof(oid), cmd);
	assert_int_not_equal(run("git --git-dir='%s' -c gpg.ssh.allowedSignersFile='%s' "
	                         "verify-commit %s >/dev/null 2>&1",
	                         repo, signers, oid),
	                     0);
	ss_buf_release(&obj);
	ss_key_free(k);
	free(sig);
	free(publine);
}

/* --- refusals on load ------------------------------------------------------------ */

static void test_audit_sshkey__load_refuses_open_modes(void **state)
{
	static const mode_t modes[] = {0644, 0640, 0604, 0620, 0660};
	char path[4096], *publine = NULL;
	struct ss_key *k = NULL;
	size_t i;

	(void)state;
	make_key(path, sizeof(path), "alice", &publine);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(path, modes[i]), 0);
		assert_int_equal(ss_key_load(path, &k), SS_EPERM);
		assert_null(k);
		assert_non_null(strstr(ss_error_message(), "chmod 600"));
		assert_non_null(strstr(ss_error_message(), path));
	}
	/* Following the advice works; so does a stricter mode. */
	assert_int_equal(chmod(path, 0600), 0);
	ss_key_free(load_ok(path));
	assert_int_equal(chmod(path, 0400), 0);
	ss_key_free(load_ok(path));
	free(publine);
}

static void test_audit_sshkey__load_refuses_symlink_and_missing(void **state)
{
	char path[4096], link[4096], *publine = NULL;
	struct ss_key *k = NULL;

	(void)state;
	make_key(path, sizeof(path), "alice", &publine);
	tpath(link, sizeof(link), "link.key");
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(ss_key_load(link, &k), SS_EPERM);
	assert_null(k);
	assert_non_null(strstr(ss_error_message(), "symbolic link"));

	tpath(link, sizeof(link), "missing.key");
	assert_int_equal(ss_key_load(link, &k), SS_ENOINPUT);
	assert_null(k);
	assert_non_null(strstr(ss_error_message(), link));

	/* A folder is not a key. */
	assert_int_equal(ss_key_load(tmp, &k), SS_EDATA);
	assert_null(k);
	free(publine);
}

/* The same refusals from stored files made by ssh-keygen: no ssh-keygen needed. */
static void test_audit_sshkey__load_refuses_stored_encrypted_and_ecdsa(void **state)
{
	char key[4096];
	struct ss_key *k = NULL;

	(void)state;
	data_copy(key, sizeof(key), "encrypted.key", 0600);
	assert_int_equal(ss_key_load(key, &k), SS_EPERM);
	assert_null(k);
	assert_non_null(strstr(ss_error_message(), "passphrase"));
	data_copy(key, sizeof(key), "ecdsa.key", 0600);
	assert_int_equal(ss_key_load(key, &k), SS_EPERM);
	assert_null(k);
	assert_non_null(strstr(ss_error_message(), "ecdsa-sha2-nistp256"));
}

static void test_audit_sshkey__load_refuses_passphrase(void **state)
{
	char key[4096];
	struct ss_key *k = NULL;

	(void)state;
	NEED_SSH_KEYGEN();
	their_key(key, sizeof(key), "-t ed25519 -N secret");
	assert_int_equal(ss_key_load(key, &k), SS_EPERM);
	assert_null(k);
	assert_non_null(strstr(ss_error_message(), "passphrase"));
	/* Once the passphrase is removed as the message says, it loads. */
	assert_int_equal(run("ssh-keygen -q -p -P secret -N '' -f '%s' >/dev/null 2>&1", key), 0);
	ss_key_free(load_ok(key));
}

static void test_audit_sshkey__load_refuses_other_types(void **state)
{
	static const struct {
		const char *args, *named;
	} kinds[] = {
	    {"-t rsa -b 2048 -N ''", "ssh-rsa"},         {"-t ecdsa -N ''", "ecdsa-sha2-nistp256"},
	    {"-t rsa -b 2048 -m PEM -N ''", "RSA"},      {"-t ecdsa -m PEM -N ''", "ECDSA"},
	    {"-t rsa -b 2048 -m PKCS8 -N ''", "PKCS#8"},
	};
	char key[4096];
	struct ss_key *k = NULL;
	size_t i;

	(void)state;
	NEED_SSH_KEYGEN();
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		int err;

		their_key(key, sizeof(key), kinds[i].args);
		err = ss_key_load(key, &k);
		assert_int_equal(err, SS_EPERM);
		assert_null(k);
		if (strstr(ss_error_message(), kinds[i].named) == NULL)
			fail_msg("'%s' does not name %s", ss_error_message(), kinds[i].named);
		assert_non_null(strstr(ss_error_message(), "ed25519"));
	}
}

static void test_audit_sshkey__load_refuses_truncated_and_garbage(void **state)
{
	static const char *garbage[] = {
	    "",
	    "\n",
	    "hello\n",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n"
	    "-----END OPENSSH PRIVATE KEY-----\n",
	    "-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n",
	};
	char path[4096], bad[4096], pub[4096], *publine = NULL, *text;
	struct ss_key *k = NULL;
	size_t n, cut, i;

	(void)state;
	make_key(path, sizeof(path), "alice", &publine);
	text = slurp(path, &n);
	/* Every cut short of the final newline is refused as damaged data. */
	tpath(bad, sizeof(bad), "cut.key");
	for (cut = 0; cut + 1 < n; cut++) {
		int err;

		spill(bad, text, cut, 0600);
		err = ss_key_load(bad, &k);
		if (err != SS_EDATA)
			fail_msg("cut at %zu of %zu: %d %s", cut, n, err, ss_error_message());
		assert_null(k);
	}
	spill(bad, text, n - 1, 0600); /* only the last newline gone: still a key */
	ss_key_free(load_ok(bad));

	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		spill(bad, garbage[i], strlen(garbage[i]), 0600);
		assert_int_equal(ss_key_load(bad, &k), SS_EDATA);
		assert_null(k);
		assert_non_null(strstr(ss_error_message(), bad));
	}
	/* A public key where the private key should be. */
	tpath(pub, sizeof(pub), "key.pub");
	spill(pub, publine, strlen(publine), 0600);
	assert_int_equal(ss_key_load(pub, &k), SS_EDATA);
	assert_non_null(strstr(ss_error_message(), "public key"));
	free(text);
	free(publine);
}

/* Decode our key file, change one byte of the decoded blob, write it back armored. */
static void corrupt_key(const char *from, const char *to, size_t offset)
{
	unsigned char blob[4096];
	char *text, *again;
	size_t n, len;

	text = slurp(from, &n);
	len = dearmor(blob, sizeof(blob), text);
	assert_true(offset < len);
	blob[offset] ^= 0x01;
	again = armor("-----BEGIN OPENSSH PRIVATE KEY-----", "-----END OPENSSH PRIVATE KEY-----",
	              blob, len);
	spill(to, again, strlen(again), 0600);
	free(again);
	free(text);
}

static void test_audit_sshkey__load_refuses_corrupted_key(void **state)
{
	/* Offsets into openssh-key-v1: 15 magic, 8 cipher, 8 kdf, 4 kdf options,
	 * 4 count, 55 public blob, 4 length, then the private section. */
	enum { PRIV = 15 + 8 + 8 + 4 + 4 + 55 + 4 };
	static const struct {
		size_t offset;
		const char *what;
	} cases[] = {
	    {PRIV + 3, "check"},                                         /* first check number */
	    {PRIV + 8 + 15 + 4 + 5, "public keys differ"},               /* private section's pk */
	    {PRIV + 8 + 15 + 36 + 4 + 7, "halves"},                      /* the secret seed */
	    {PRIV + 8 + 15 + 36 + 4 + 40, "public keys differ"},         /* pk half of sk */
	    {15 + 8 + 8 + 4 + 4 + 4 + 15 + 4 + 9, "public keys differ"}, /* the public blob's pk */
	};
	char path[4096], bad[4096], *publine = NULL;
	struct ss_key *k = NULL;
	size_t i;

	(void)state;
	make_key(path, sizeof(path), "alice", &publine);
	/* The armor round trip itself changes nothing. */
	tpath(bad, sizeof(bad), "same.key");
	corrupt_key(path, bad, 0);
	corrupt_key(bad, bad, 0);
	ss_key_free(load_ok(bad));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tpath(bad, sizeof(bad), "bad.key");
		corrupt_key(path, bad, cases[i].offset);
		assert_int_equal(ss_key_load(bad, &k), SS_EDATA);
		assert_null(k);
		if (strstr(ss_error_message(), cases[i].what) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, ss_error_message(), cases[i].what);
	}
	free(publine);
}

/* --- public keys ------------------------------------------------------------------ */

static void test_audit_sshkey__pubkey_round_trip_and_refusals(void **state)
{
	static const char *bad[] = {
	    "",
	    "ssh-ed25519",
	    "ssh-ed25519 ",
	    "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN91PfUzMzZ",
	    /* one character short, one too many, a changed type inside */
	    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN91PfUzMz",
	    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN91PfUzMzZA",
	    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE4AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN91PfUzMzZ",
	    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN91PfUzMz*",
	};
	static const char good[] =
	    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN91PfUzMzZ";
	unsigned char pk[SS_PUBKEY_LEN], pk2[SS_PUBKEY_LEN];
	char fp[SS_FINGERPRINT_LEN], *s;
	size_t i;

	(void)state;
	assert_int_equal(ss_pubkey_parse(good, pk), 0);
	s = ss_pubkey_format(pk);
	assert_non_null(s);
	assert_string_equal(s, good);
	free(s);
	assert_int_equal(
	    ss_pubkey_parse(
	        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIR/3w3QdE9+rskZVqp9IZP3ddTj0LaWLhN"
	        "91PfUzMzZ test-only key, never use\n",
	        pk2),
	    0);
	assert_memory_equal(pk, pk2, SS_PUBKEY_LEN);
	/* As ssh-keygen -l printed it for this key (data/sshkey/fingerprint). */
	ss_pubkey_fingerprint(pk, fp);
	assert_string_equal(fp, "SHA256:cSJd89IyFVdFdUj7RacnUGd30YhfN/j+3AFHCcB2CbA");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (ss_pubkey_parse(bad[i], pk2) != SS_EDATA)
			fail_msg("accepted '%s'", bad[i]);
	}
}

/* --- verify refusals -------------------------------------------------------------- */

struct signed_payload {
	char key[4096];
	struct ss_key *k;
	unsigned char pk[SS_PUBKEY_LEN];
	char *sig;
};

static void sign_payload(struct signed_payload *s)
{
	char *publine = NULL;

	make_key(s->key, sizeof(s->key), "alice", &publine);
	s->k = load_ok(s->key);
	ss_key_public(s->k, s->pk);
	assert_int_equal(ss_sshsig_sign(s->k, "git", payload, sizeof(payload) - 1, &s->sig), 0);
	free(publine);
}

static void signed_payload_release(struct signed_payload *s)
{
	ss_key_free(s->k);
	free(s->sig);
}

static void test_audit_sshkey__verify_accepts_good_and_refuses_tampering(void **state)
{
	struct signed_payload s;
	unsigned char pk[SS_PUBKEY_LEN], zero[SS_PUBKEY_LEN] = {0};
	char tampered[sizeof(payload)];
	size_t len, i;

	(void)state;
	sign_payload(&s);
	len = strlen(s.sig);
	assert_int_equal(ss_sshsig_verify(s.sig, len, "git", payload, sizeof(payload) - 1, pk), 0);
	assert_memory_equal(pk, s.pk, SS_PUBKEY_LEN);

	/* Every single changed bit of the message is caught. */
	for (i = 0; i < sizeof(payload) - 1; i++) {
		memcpy(tampered, payload, sizeof(payload));
		tampered[i] = (char)(tampered[i] ^ 0x20);
		assert_int_equal(
		    ss_sshsig_verify(s.sig, len, "git", tampered, sizeof(payload) - 1, pk),
		    SS_EFAIL);
		assert_memory_equal(pk, zero, SS_PUBKEY_LEN);
	}
	assert_int_equal(ss_sshsig_verify(s.sig, len, "git", payload, sizeof(payload) - 2, pk),
	                 SS_EFAIL);
	assert_non_null(strstr(ss_error_message(), "does not match"));

	assert_int_equal(ss_sshsig_verify(s.sig, len, "file", payload, sizeof(payload) - 1, pk),
	                 SS_EFAIL);
	assert_non_null(strstr(ss_error_message(), "namespace 'git'"));
	signed_payload_release(&s);
}

static void test_audit_sshkey__verify_refuses_changed_signature_bytes(void **state)
{
	struct signed_payload s;
	unsigned char blob[1024], pk[SS_PUBKEY_LEN];
	size_t len, i;
	char *again;

	(void)state;
	sign_payload(&s);
	len = dearmor(blob, sizeof(blob), s.sig);
	/* Any changed bit anywhere in the blob: magic, version, key, namespace,
	 * hash name, lengths, signature. */
	for (i = 0; i < len; i++) {
		int err;

		blob[i] ^= 0x04;
		again = armor("-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----", blob,
		              len);
		err =
		    ss_sshsig_verify(again, strlen(again), "git", payload, sizeof(payload) - 1, pk);
		if (err != SS_EFAIL)
			fail_msg("bit flip at %zu of %zu accepted (%d)", i, len, err);
		free(again);
		blob[i] ^= 0x04;
	}
	/* Unchanged, the re-armored blob is the same signature. */
	again = armor("-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----", blob, len);
	assert_string_equal(again, s.sig);
	free(again);
	signed_payload_release(&s);
}

static void test_audit_sshkey__verify_refuses_truncated_armor(void **state)
{
	struct signed_payload s;
	unsigned char pk[SS_PUBKEY_LEN];
	size_t len, cut;

	(void)state;
	sign_payload(&s);
	len = strlen(s.sig);
	for (cut = 0; cut + 1 < len; cut++) {
		int err = ss_sshsig_verify(s.sig, cut, "git", payload, sizeof(payload) - 1, pk);

		if (err != SS_EFAIL)
			fail_msg("cut at %zu of %zu accepted (%d)", cut, len, err);
	}
	/* Without its final newline it is the same signature. */
	assert_int_equal(ss_sshsig_verify(s.sig, len - 1, "git", payload, sizeof(payload) - 1, pk),
	                 0);
	/* Trailing junk and a missing line are refused. */
	{
		char *junk = malloc(len + 8);

		assert_non_null(junk);
		memcpy(junk, s.sig, len);
		memcpy(junk + len, "extra\n", 7);
		assert_int_equal(
		    ss_sshsig_verify(junk, len + 6, "git", payload, sizeof(payload) - 1, pk),
		    SS_EFAIL);
		free(junk);
	}
	{
		char *gap = strdup(s.sig), *nl1 = strchr(gap, '\n') + 1,
		     *nl2 = strchr(nl1, '\n') + 1;

		memmove(nl1, nl2, strlen(nl2) + 1);
		assert_int_equal(
		    ss_sshsig_verify(gap, strlen(gap), "git", payload, sizeof(payload) - 1, pk),
		    SS_EFAIL);
		free(gap);
	}
	signed_payload_release(&s);
}

static void test_audit_sshkey__verify_reports_the_other_signer(void **state)
{
	struct signed_payload a, b;
	unsigned char pk[SS_PUBKEY_LEN], blob[1024];
	size_t len;
	char *forged;

	(void)state;
	sign_payload(&a);
	sign_payload(&b);
	assert_memory_not_equal(a.pk, b.pk, SS_PUBKEY_LEN);
	/* B's signature is good, and says it is B's, not A's. */
	assert_int_equal(
	    ss_sshsig_verify(b.sig, strlen(b.sig), "git", payload, sizeof(payload) - 1, pk), 0);
	assert_memory_equal(pk, b.pk, SS_PUBKEY_LEN);

	/* B's signature relabelled with A's public key is refused. Public key blob:
	 * after "SSHSIG", version, its length, string("ssh-ed25519"), the key's length. */
	len = dearmor(blob, sizeof(blob), b.sig);
	memcpy(blob + 6 + 4 + 4 + 15 + 4, a.pk, SS_PUBKEY_LEN);
	forged = armor("-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----", blob, len);
	assert_int_equal(
	    ss_sshsig_verify(forged, strlen(forged), "git", payload, sizeof(payload) - 1, pk),
	    SS_EFAIL);
	free(forged);
	signed_payload_release(&a);
	signed_payload_release(&b);
}

static void test_audit_sshkey__verify_refuses_padded_or_reencoded(void **state)
{
	struct signed_payload s;
	unsigned char blob[1024], pk[SS_PUBKEY_LEN];
	size_t len, i;
	char *again, *eq;

	(void)state;
	sign_payload(&s);
	len = dearmor(blob, sizeof(blob), s.sig);
	/* Bytes after the signature field: the signature itself is still good. */
	memcpy(blob + len, "\0\0\0\0", 4);
	again =
	    armor("-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----", blob, len + 4);
	assert_int_equal(
	    ss_sshsig_verify(again, strlen(again), "git", payload, sizeof(payload) - 1, pk),
	    SS_EFAIL);
	assert_non_null(strstr(ss_error_message(), "end"));
	free(again);

	/* The same bytes written with non-zero unused bits in the last base64 group:
	 * namespace "git" makes a 173-byte blob (one '='), "ab" a 172-byte one ('=='). */
	for (i = 0; i < 2; i++) {
		const char *ns = i == 0 ? "git" : "ab";

		again = NULL;
		assert_int_equal(ss_sshsig_sign(s.k, ns, payload, sizeof(payload) - 1, &again), 0);
		eq = strchr(again, '=');
		assert_non_null(eq);
		assert_int_equal(eq[1], i == 0 ? '\n' : '=');
		assert_int_equal(
		    ss_sshsig_verify(again, strlen(again), ns, payload, sizeof(payload) - 1, pk),
		    0);
		eq[-1] = eq[-1] == 'A' ? 'B' : (char)(eq[-1] ^ 1);
		assert_int_equal(
		    ss_sshsig_verify(again, strlen(again), ns, payload, sizeof(payload) - 1, pk),
		    SS_EFAIL);
		free(again);
	}
	signed_payload_release(&s);
}

/* --- fixture ------------------------------------------------------------------------ */

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
	snprintf(tmp, sizeof(tmp), "%s/ssaudit-sshkey-XXXXXX", base);
	if (mkdtemp(tmp) == NULL)
		return -1;
	return ss_crypto_init();
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_sshkey__generate_then_load),
	    cmocka_unit_test(test_audit_sshkey__two_keys_differ),
	    cmocka_unit_test(test_audit_sshkey__generate_never_overwrites),
	    cmocka_unit_test(test_audit_sshkey__failed_write_leaves_no_key),
	    cmocka_unit_test(test_audit_sshkey__generate_refuses_multiline_comment),
	    cmocka_unit_test(test_audit_sshkey__generate_then_load_every_padding),
	    cmocka_unit_test(test_audit_sshkey__ssh_keygen_reads_our_key),
	    cmocka_unit_test(test_audit_sshkey__ssh_keygen_signs_with_our_key_as_we_do),
	    cmocka_unit_test(test_audit_sshkey__stored_ssh_keygen_signature_is_reproduced),
	    cmocka_unit_test(test_audit_sshkey__ssh_keygen_key_signs_identically),
	    cmocka_unit_test(test_audit_sshkey__ssh_keygen_verifies_ours),
	    cmocka_unit_test(test_audit_sshkey__we_verify_ssh_keygen_sha256),
	    cmocka_unit_test(test_audit_sshkey__git_verify_commit_accepts_ours),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_open_modes),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_symlink_and_missing),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_stored_encrypted_and_ecdsa),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_passphrase),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_other_types),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_truncated_and_garbage),
	    cmocka_unit_test(test_audit_sshkey__load_refuses_corrupted_key),
	    cmocka_unit_test(test_audit_sshkey__pubkey_round_trip_and_refusals),
	    cmocka_unit_test(test_audit_sshkey__verify_accepts_good_and_refuses_tampering),
	    cmocka_unit_test(test_audit_sshkey__verify_refuses_changed_signature_bytes),
	    cmocka_unit_test(test_audit_sshkey__verify_refuses_truncated_armor),
	    cmocka_unit_test(test_audit_sshkey__verify_reports_the_other_signer),
	    cmocka_unit_test(test_audit_sshkey__verify_refuses_padded_or_reencoded),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
