/*
 * bench_commits.c - signed commits per second through ssaudit's trail layer:
 * N commits, each adding one small verdict-sized file at a sharded path
 * (months/M/verdicts/XX/ID/ROLE.HANDLE.json), each signed with SSHSIG made by
 * libsodium. One at a time, each commit takes the lock, reads the tip,
 * commits and moves main, as `ssaudit review` does; with --batch they are
 * made in one batch (one pack, one sync, one move of main), as
 * `review --from` does. Used by tests/bench/run.sh.
 *
 *   bench_commits [--no-fsync] [--batch] TRAIL KEY N
 *
 * TRAIL must not exist yet; KEY is an unencrypted OpenSSH Ed25519 key (the
 * same file the git loop it is compared with signs with).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "crypto.h"
#include "sshkey.h"
#include "trail.h"

static double ss_bench_clock(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ss_bench_sign(void *ctx, const char *payload, size_t len, char **sig)
{
	return ss_sshsig_sign(ctx, "git", payload, len, sig);
}

/* An id shaped like a record's: "R-" + base32 of 10 bytes of SHA-256(i). */
static void ss_bench_id(size_t i, char out[19])
{
	unsigned char h[32];
	char s[32];

	snprintf(s, sizeof(s), "bench-%zu", i);
	ss_sha256(h, s, strlen(s));
	memcpy(out, "R-", 2);
	ss_base32_encode(out + 2, h, 10);
}

static int ss_bench_one(struct ss_trail *t, struct ss_key *key, size_t i, bool first,
                        struct ss_oid *tip, struct ss_buf *path, struct ss_buf *data,
                        struct ss_buf *msg)
{
	struct ss_change ch;
	struct ss_commit_req req;
	struct ss_oid out;
	bool unchanged = false;
	char id[19];
	int err;

	ss_bench_id(i, id);
	ss_buf_reset(path);
	ss_buf_reset(data);
	ss_buf_reset(msg);
	if ((err = ss_buf_printf(path, "months/2024-03/verdicts/%c%c/%s/local-inspector.bench.json",
	                         id[2], id[3], id)) != 0 ||
	    (err = ss_buf_printf(data,
	                         "{\n  \"month\": \"2024-03\",\n  \"id\": \"%s\",\n"
	                         "  \"role\": \"local-inspector\",\n  \"reviewer\": \"bench\",\n"
	                         "  \"entered_by\": \"bench\",\n  \"answers\": {\"grounds\": "
	                         "\"reasonable\", \"conduct\": \"fair\", \"bwv\": \"viewed\"},\n"
	                         "  \"note\": null\n}\n",
	                         id)) != 0 ||
	    (err = ss_buf_printf(msg,
	                         "verdict: 2024-03 %s by bench (local-inspector)\n\n"
	                         "A benchmark verdict.\n\n"
	                         "Ssaudit-Action: verdict\nSsaudit-Month: 2024-03\n"
	                         "Ssaudit-Record: %s\nSsaudit-Role: local-inspector\n",
	                         id, id)) != 0)
		return err;
	ch.path = path->data;
	ch.data = data->data;
	ch.len = data->len;
	memset(&req, 0, sizeof(req));
	req.author.name = "Bench Reviewer";
	req.author.email = "bench@example.org";
	req.committer = req.author;
	req.when = (int64_t)time(NULL);
	req.message = msg->data;
	req.changes = &ch;
	req.nchanges = 1;
	err = ss_git_commit(t, first ? NULL : tip, &req, ss_bench_sign, key, &out, &unchanged);
	if (err == 0)
		*tip = out;
	return err;
}

int main(int argc, char **argv)
{
	struct ss_trail *t = NULL;
	struct ss_key *key = NULL;
	struct ss_buf path = SS_BUF_INIT, data = SS_BUF_INIT, msg = SS_BUF_INIT;
	struct ss_oid tip, from;
	bool fsync_on = true, batch = false, in_batch = false;
	size_t i, n;
	double t0, t1, t2, c0, c1, c2;
	int a = 1, err = 0;
	char *end;

	for (; a < argc && argv[a][0] == '-'; a++) {
		if (strcmp(argv[a], "--no-fsync") == 0)
			fsync_on = false;
		else if (strcmp(argv[a], "--batch") == 0)
			batch = true;
		else
			break;
	}
	if (argc - a != 3) {
		fprintf(stderr, "usage: bench_commits [--no-fsync] [--batch] TRAIL KEY N\n");
		return 2;
	}
	n = (size_t)strtoul(argv[a + 2], &end, 10);
	if (*end != '\0' || n == 0) {
		fprintf(stderr, "bench_commits: N must be a positive number\n");
		return 2;
	}
	if ((err = ss_crypto_init()) != 0 || (err = ss_key_load(argv[a + 1], &key)) != 0 ||
	    (err = ss_git_create(argv[a], &t)) != 0)
		goto out;
	ss_git_set_fsync(t, fsync_on);
	memset(&tip, 0, sizeof(tip));
	/* The root commit is made outside the batch, so a batch has a `from`. */
	if ((err = ss_git_lock(t, 10000)) != 0 ||
	    (err = ss_bench_one(t, key, 0, true, &tip, &path, &data, &msg)) != 0)
		goto out;
	ss_git_unlock(t);
	t0 = ss_bench_clock(CLOCK_MONOTONIC);
	c0 = ss_bench_clock(CLOCK_PROCESS_CPUTIME_ID);
	if (batch) {
		if ((err = ss_git_lock(t, 10000)) != 0 || (err = ss_git_batch_begin(t)) != 0)
			goto out;
		in_batch = true;
		from = tip;
	}
	for (i = 1; i < n; i++) {
		if (!batch) {
			if ((err = ss_git_lock(t, 10000)) != 0 || (err = ss_git_tip(t, &tip)) != 0)
				goto out;
		}
		if ((err = ss_bench_one(t, key, i, false, &tip, &path, &data, &msg)) != 0)
			goto out;
		if (!batch)
			ss_git_unlock(t);
	}
	t1 = ss_bench_clock(CLOCK_MONOTONIC);
	c1 = ss_bench_clock(CLOCK_PROCESS_CPUTIME_ID);
	if (batch) {
		in_batch = false;
		if ((err = ss_git_batch_end(t, &from, &tip)) != 0)
			goto out;
		ss_git_unlock(t);
	}
	t2 = ss_bench_clock(CLOCK_MONOTONIC);
	c2 = ss_bench_clock(CLOCK_PROCESS_CPUTIME_ID);
	/* Where the time went (wall and CPU), for whoever reads the log. */
	fprintf(stderr,
	        "bench_commits: %zu signed commits%s%s: making them %.3f s (cpu %.3f s), "
	        "ending the batch %.3f s (cpu %.3f s)\n",
	        n, batch ? " in one batch" : "", fsync_on ? "" : " without fsync", t1 - t0, c1 - c0,
	        t2 - t1, c2 - c1);
out:
	if (err)
		fprintf(stderr, "bench_commits: %s\n", ss_error_message());
	if (in_batch)
		ss_git_batch_abort(t);
	ss_buf_release(&path);
	ss_buf_release(&data);
	ss_buf_release(&msg);
	ss_git_free(t);
	ss_key_free(key);
	return err ? ss_error_exit_status(err) : 0;
}
