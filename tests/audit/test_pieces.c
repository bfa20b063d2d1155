/*
 * test_pieces.c - a large file of the trail read in pieces (the way a
 * month's population is read): a second thread inflates while the caller
 * takes the pieces, so the bytes must come out whole and in order, loose or
 * packed, and a failure on either side must stop the read with its own
 * message rather than hang or lose it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "atest.h"
#include "buf.h"
#include "error.h"
#include "trail.h"

#define FAKE_SIG                                                                                   \
	"-----BEGIN SSH SIGNATURE-----\n"                                                          \
	"U1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgZmFrZWZha2VmYWtlZmFrZWZha2VmYWtlZmFr\n"       \
	"ZWZha2UAAAADZ2l0AAAAAAAAAAZzaGE1MTIAAABTAAAAC3NzaC1lZDI1NTE5AAAAQGZha2U=\n"               \
	"-----END SSH SIGNATURE-----\n"

#define FILE_PATH "months/2024-03/population.jsonl"

static char tmp[4096];

static int fake_sign(void *ctx, const char *payload, size_t len, char **sig)
{
	(void)ctx;
	(void)payload;
	(void)len;
	*sig = strdup(FAKE_SIG);
	return *sig != NULL ? 0 : SS_ENOMEM;
}

/* About 3.5 MiB of lines that do not compress to nothing, so the file is
 * several pieces and its packed form several reads of the pack. */
static void make_file(struct ss_buf *b)
{
	uint64_t x = 0x9e3779b97f4a7c15u;
	size_t i;

	for (i = 0; b->len < 3 * 1024 * 1024 + 512 * 1024 + 77; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		assert_int_equal(ss_buf_printf(b, "{\"id\": \"R-%016llx\", \"n\": %zu}\n",
		                               (unsigned long long)x, i),
		                 0);
	}
}

static struct ss_oid commit_big(struct ss_trail *t, const struct ss_buf *b)
{
	struct ss_change c = {FILE_PATH, b->data, b->len};
	struct ss_commit_req r;
	struct ss_oid out;
	bool unchanged;

	memset(&r, 0, sizeof(r));
	r.author.name = r.committer.name = "Jo Doe";
	r.author.email = r.committer.email = "jo@example.org";
	r.when = 1700000000;
	r.message = "import: a large file\n";
	r.changes = &c;
	r.nchanges = 1;
	if (ss_git_commit(t, NULL, &r, fake_sign, NULL, &out, &unchanged) != 0)
		fail_msg("commit failed: %s", ss_error_message());
	return out;
}

/* What a reader of the pieces saw; it fails at piece fail_at (from 1) when set. */
struct seen {
	struct ss_buf bytes;
	size_t pieces;
	size_t fail_at;
	int fail_with;
};

static int take(void *arg, const char *data, size_t n)
{
	struct seen *s = arg;

	s->pieces++;
	if (s->fail_at != 0 && s->pieces == s->fail_at)
		return s->fail_with < 0
		           ? ss_error_set(s->fail_with, "the reader gave up at %zu", s->pieces)
		           : s->fail_with;
	return ss_buf_put(&s->bytes, data, n);
}

/* The file read whole, then stopped by its reader at the second piece
 * (with an error, then with a plain "enough"), on t as it is. */
static void assert_reads(struct ss_trail *t, const struct ss_oid *at, const struct ss_buf *want)
{
	struct seen s = {SS_BUF_INIT, 0, 0, 0};

	assert_int_equal(ss_git_read_pieces(t, at, FILE_PATH, take, &s), 0);
	assert_true(s.pieces > 1);
	assert_int_equal(s.bytes.len, want->len);
	assert_memory_equal(s.bytes.data, want->data, want->len);
	ss_buf_release(&s.bytes);

	memset(&s, 0, sizeof(s));
	s.fail_at = 2;
	s.fail_with = SS_EDATA;
	assert_int_equal(ss_git_read_pieces(t, at, FILE_PATH, take, &s), SS_EDATA);
	assert_string_equal(ss_error_message(), "the reader gave up at 2");
	assert_int_equal(s.pieces, 2); /* nothing given after the failure */
	ss_buf_release(&s.bytes);

	memset(&s, 0, sizeof(s));
	s.fail_at = 2;
	s.fail_with = 1;
	assert_int_equal(ss_git_read_pieces(t, at, FILE_PATH, take, &s), 1);
	assert_int_equal(s.pieces, 2);
	ss_buf_release(&s.bytes);
}

static void test_audit_pieces__loose_and_packed_read_whole_in_order(void **state)
{
	char path[4200];
	struct ss_buf want = SS_BUF_INIT;
	struct ss_trail *t = NULL;
	struct ss_oid at;
	size_t packed, loose;

	(void)state;
	pathf(path, sizeof(path), "%s/whole.git", tmp);
	make_file(&want);
	assert_int_equal(ss_git_create(path, &t), 0);
	ss_git_set_fsync(t, false);
	at = commit_big(t, &want);
	assert_reads(t, &at, &want);
	/* And on one thread, as SSAUDIT_THREADS=1 asks. */
	setenv("SSAUDIT_THREADS", "1", 1);
	assert_reads(t, &at, &want);
	unsetenv("SSAUDIT_THREADS");

	assert_int_equal(ss_git_gc(t, &packed), 0);
	assert_true(packed > 0);
	ss_git_free(t);
	assert_int_equal(ss_git_open(path, &t), 0);
	assert_int_equal(ss_git_count_loose(t, &loose), 0);
	assert_int_equal(loose, 0);
	assert_reads(t, &at, &want);
	setenv("SSAUDIT_THREADS", "1", 1);
	assert_reads(t, &at, &want);
	unsetenv("SSAUDIT_THREADS");
	ss_git_free(t);
	ss_buf_release(&want);
}

static void test_audit_pieces__damaged_pack_is_reported_not_hung(void **state)
{
	char path[4200], pack[8400], cmd[8600];
	struct ss_buf want = SS_BUF_INIT;
	struct seen s = {SS_BUF_INIT, 0, 0, 0};
	struct ss_trail *t = NULL;
	struct ss_oid at;
	struct stat st;
	size_t packed, i;
	FILE *f;

	(void)state;
	pathf(path, sizeof(path), "%s/damaged.git", tmp);
	make_file(&want);
	assert_int_equal(ss_git_create(path, &t), 0);
	ss_git_set_fsync(t, false);
	at = commit_big(t, &want);
	assert_int_equal(ss_git_gc(t, &packed), 0);
	ss_git_free(t);

	/* Spoil a run of bytes in the middle of the one pack: the large
	 * file's compressed bytes, most of the pack. */
	pathf(cmd, sizeof(cmd), "ls %s/objects/pack/*.pack", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(pack, sizeof(pack), f));
	pclose(f);
	pack[strcspn(pack, "\n")] = '\0';
	assert_int_equal(stat(pack, &st), 0);
	assert_int_equal(chmod(pack, 0644), 0);
	f = fopen(pack, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)st.st_size / 2, SEEK_SET), 0);
	for (i = 0; i < 64; i++)
		fputc((int)(i * 37 + 11), f);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(ss_git_open(path, &t), 0);
	assert_int_equal(ss_git_read_pieces(t, &at, FILE_PATH, take, &s), SS_EIO);
	assert_non_null(strstr(ss_error_message(), "cannot read '" FILE_PATH "'"));
	assert_true(s.bytes.len < want.len);
	ss_git_free(t);
	ss_buf_release(&s.bytes);
	ss_buf_release(&want);
}

/* A loose file that still inflates, but to other bytes: every piece is
 * given, then the read fails, as libgit2 fails a blob it reads whole. On
 * one thread and on two. */
static void test_audit_pieces__other_bytes_are_refused(void **state)
{
	char path[4200], obj[8400], hex[41];
	struct ss_buf want = SS_BUF_INIT;
	struct ss_trail *t = NULL;
	struct ss_oid at, blob;
	char *raw;
	unsigned char *z;
	uLongf zlen;
	int head, round;

	(void)state;
	pathf(path, sizeof(path), "%s/other.git", tmp);
	make_file(&want);
	assert_int_equal(ss_git_create(path, &t), 0);
	ss_git_set_fsync(t, false);
	at = commit_big(t, &want);
	assert_int_equal(ss_git_blob_id(t, &at, FILE_PATH, &blob), 0);
	ss_git_free(t);

	ss_oid_hex(&blob, hex);
	pathf(obj, sizeof(obj), "%s/objects/%.2s/%s", path, hex, hex + 2);
	raw = malloc(want.len + 64);
	assert_non_null(raw);
	head = snprintf(raw, 64, "blob %zu", want.len);
	memcpy(raw + head + 1, want.data, want.len);
	raw[head + 1 + want.len / 2] ^= 1; /* one bit in the middle */
	zlen = compressBound((uLong)(head + 1 + want.len));
	z = malloc(zlen);
	assert_non_null(z);
	assert_int_equal(compress2(z, &zlen, (const Bytef *)raw, (uLong)(head + 1 + want.len), 1),
	                 Z_OK);
	assert_int_equal(chmod(obj, 0644), 0);
	{
		FILE *f = fopen(obj, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(z, 1, zlen, f), zlen);
		assert_int_equal(fclose(f), 0);
	}
	assert_int_equal(ss_git_open(path, &t), 0);
	for (round = 0; round < 2; round++) {
		struct seen s = {SS_BUF_INIT, 0, 0, 0};

		if (round == 1)
			setenv("SSAUDIT_THREADS", "1", 1);
		assert_int_equal(ss_git_read_pieces(t, &at, FILE_PATH, take, &s), SS_EIO);
		assert_string_equal(ss_error_message(),
		                    "'" FILE_PATH "' in the audit trail is damaged: its content "
		                    "does not hash to its id");
		assert_int_equal(s.bytes.len, want.len); /* every piece, then the refusal */
		ss_buf_release(&s.bytes);
	}
	unsetenv("SSAUDIT_THREADS");
	ss_git_free(t);
	free(raw);
	free(z);
	ss_buf_release(&want);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	const char *base = getenv("TMPDIR");

	(void)state;
	if (base == NULL || *base == '\0')
		base = "/tmp";
	snprintf(tmp, sizeof(tmp), "%s/ssaudit-pieces-XXXXXX", base);
	return mkdtemp(tmp) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_pieces__loose_and_packed_read_whole_in_order),
	    cmocka_unit_test(test_audit_pieces__damaged_pack_is_reported_not_hung),
	    cmocka_unit_test(test_audit_pieces__other_bytes_are_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
