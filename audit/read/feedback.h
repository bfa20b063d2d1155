/*
 * feedback.h - `ssaudit feedback`: one sheet per officer with the verdicts,
 * answers and notes on that officer's sampled searches, for the force to
 * feed findings back individually (seed 002, recommendation 8). Reviewers
 * are named by role only, never by name; run as a reviewer, the blind rule
 * (blind.h) keeps other reviewers' verdicts on records that reviewer has
 * still to review off the sheets. With the force's export files and the
 * trail's pseudonym key, each sheet also carries the officer's own number,
 * recomputed from the files (never stored in the trail).
 *
 * Ownership: ss_feedback_build fills a struct ss_feedback the caller
 * releases with ss_feedback_release(), which wipes the sheets (they may
 * hold officers' numbers). The request is borrowed.
 */
#ifndef SS_FEEDBACK_H
#define SS_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "reader.h"
#include "record.h"

enum ss_feedback_format { SS_FEEDBACK_HTML, SS_FEEDBACK_CSV };

struct ss_feedback_req {
	const char *trail;
	const char *home; /* where the pseudonym key is (for `from`) */
	const char *month;
	const char *officer; /* NULL: every officer with a verdict */
	const char *as;      /* who asks (the blind rule); NULL: nobody in particular */
	enum ss_feedback_format format;
	char *const *from; /* the force's export files; nfrom 0: no officer numbers */
	size_t nfrom;
};

struct ss_feedback_sheet {
	char *officer; /* as the trail holds it: O-... where the policy pseudonymises */
	char *file;    /* the file name: the officer's pseudonym and .html or .csv */
	char *number;  /* the officer's own number (from `from`), or NULL */
	size_t searches, verdicts;
	struct ss_buf data;
};

struct ss_feedback {
	struct ss_feedback_sheet *v; /* sorted by officer */
	size_t n;
	size_t hidden;     /* verdicts kept off the sheets by the blind rule */
	size_t unnumbered; /* sheets whose officer the files did not name (with `from`) */
};

/*
 * Build the sheets of a month (sampled: SS_EFAIL otherwise). With req->from,
 * the pseudonym key in home must be the trail's (SS_EPERM otherwise) and the
 * files' structural errors go to diags (SS_EDATA). An officer asked for
 * with no visible verdict is SS_EFAIL in words.
 */
int ss_feedback_build(const struct ss_feedback_req *req, struct ss_diags *diags,
                      struct ss_feedback *out);
void ss_feedback_release(struct ss_feedback *f);

#endif
