/*
 * verify.h - what an auditor proves about a trail (DESIGN.md section 10),
 * without trusting any earlier run of ssaudit: every object is intact, every
 * commit is signed by the key its committer had registered at its parent, the
 * committer's role permitted the act, each commit changed only what its act
 * may change, allowed_signers is what reviewers/ implies, each sample
 * re-derives from its population, policy and seed, populations' records are
 * well formed, verdicts and corrections hold, each merge's sides still hold
 * when replayed on each other (merge.c), and published ids (--root, --anchor)
 * are where they should be.
 *
 * The core never prints: each problem goes to a callback with the commit (40
 * hex digits, or "" when it concerns no commit), the path ("" when none) and
 * the reason in words.
 *
 * Ownership: struct ss_verify_summary owns its fixed_clock and clock lists; release it
 * with ss_verify_summary_release(). Options are borrowed for the call.
 */
#ifndef SS_VERIFY_H
#define SS_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "sshkey.h"
#include "trail.h"

struct ss_verify_opts {
	const char *root;   /* the published trail id the first commit must be, or NULL */
	const char *anchor; /* a tip published earlier (40 hex digits) that must still be
	                       in the history checked, or NULL */
	const char *tip;    /* a commit (40 hex digits) to check instead of main, or NULL:
	                       a hub's pre-receive hook checks what is pushed before it lands */
	/* Called now and then with the number of commits checked so far, or NULL. */
	void (*progress)(void *ctx, size_t commits);
	void *progress_ctx;
};

struct ss_verify_summary {
	char trail_id[41];                            /* the first commit; "" when none */
	char tip[41];                                 /* main */
	char founder[33];                             /* the founder's handle; "" when unknown */
	char founder_fingerprint[SS_FINGERPRINT_LEN]; /* "" when unknown */
	size_t commits;                               /* commits checked */
	size_t signatures;                            /* signatures that verified */
	size_t merges, policies, reviewers, imports, samples, verdicts, corrections, closes;
	size_t responses;
	size_t reveals;          /* entries of the access log (each use of reveal) */
	char (*fixed_clock)[41]; /* commits with Ssaudit-Clock: fixed, oldest first */
	size_t nfixed;
	/* Commits dated more than a day before their parent, or more than a day
	 * after verify ran: warnings, not problems. Oldest first. */
	struct ss_verify_clock {
		char commit[41];
		const char *why; /* static text */
	} * clock;
	size_t nclock;
	size_t problems;
};

typedef void (*ss_verify_problem_fn)(void *ctx, const char *commit, const char *path,
                                     const char *reason);

/*
 * Verify the trail's main. Returns 0 when everything holds, SS_EFAIL when any
 * problem was reported (summary->problems of them), or another SS_E* code
 * when verification could not run at all (SS_ENOINPUT: no history; SS_ENOMEM).
 * The summary is filled as far as the check got, in every case.
 */
int ss_verify_run(struct ss_trail *t, const struct ss_verify_opts *opts, ss_verify_problem_fn fn,
                  void *ctx, struct ss_verify_summary *summary);
void ss_verify_summary_release(struct ss_verify_summary *s);

#endif
