/*
 * report_follow.c - the times of the follow-up list: when each item's month
 * was signed off and when each response was made, read from the commits
 * (the files hold no time; the commit has it), newest first and no further
 * back than needed; and how long each item without a response has waited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "layout.h"
#include "record.h"
#include "report.h"
#include "trailers.h"

/* 01:00 UTC on the last Sunday of month m of year y: when UK clocks change. */
static int64_t change_at(int64_t y, int m)
{
	int64_t last = ss_days_from_civil(y, m, 31);
	/* 1970-01-01 was a Thursday: (days + 4) % 7 is 0 on a Sunday. */
	int64_t back = ((last + 4) % 7 + 7) % 7;

	return (last - back) * 86400 + 3600;
}

void ss_report_uk_day(int64_t t, char out[11])
{
	struct tm tm;
	time_t local;
	int64_t y;

	local = (time_t)t;
	gmtime_r(&local, &tm);
	y = (int64_t)tm.tm_year + 1900;
	/* British Summer Time: UTC+1 between the last Sundays of March and October. */
	if (t >= change_at(y, 3) && t < change_at(y, 10)) {
		local = (time_t)(t + 3600);
		gmtime_r(&local, &tm);
	}
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
	         (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

struct times {
	struct ss_report *r;
	struct ss_trail *t;
	size_t pending; /* closes and responses still without a time */
};

/* The response of f this commit made: its number is how many responses the
 * record has in the commit's tree (each commit adds the next number). */
static int made_by(struct times *tm, const struct ss_report_followup *f,
                   const struct ss_commit_view *c, struct ss_report_response **out)
{
	char dir[SS_LAYOUT_PATH_MAX], **names = NULL;
	size_t n = 0, k;
	int err;

	*out = NULL;
	ss_layout_response_dir(dir, sizeof(dir), f->month, f->id);
	err = ss_git_list(tm->t, &c->oid, dir, &names, &n);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		return 0;
	}
	if (err)
		return err;
	ss_strv_free(names, n);
	for (k = 0; k < f->nresponses; k++)
		if (f->responses[k].number == n && f->responses[k].when == 0)
			*out = &f->responses[k];
	return 0;
}

static int visit(void *ctx, const struct ss_commit_view *c)
{
	struct times *tm = ctx;
	struct ss_report *r = tm->r;
	struct ss_trailers tr;
	enum ss_action a;
	size_t i;
	bool month_done = false;
	int err;

	ss_trailers_parse(c->message, &tr);
	a = ss_rules_action(tr.action);
	if (a != SS_ACTION_CLOSE && a != SS_ACTION_RESPONSE)
		return 0;
	for (i = 0; i < r->nfollowups; i++) {
		struct ss_report_followup *f = &r->followups[i];
		struct ss_report_response *rp;

		if (strcmp(f->month, tr.month) != 0)
			continue;
		if (a == SS_ACTION_CLOSE && f->closed && f->closed_at == 0) {
			f->closed_at = c->commit_time;
			month_done = true;
		} else if (a == SS_ACTION_RESPONSE && strcmp(f->id, tr.record) == 0) {
			if ((err = made_by(tm, f, c, &rp)))
				return err;
			if (rp == NULL)
				break;
			rp->when = c->commit_time;
			if (tr.role[0] != '\0' && (rp->role = strdup(tr.role)) == NULL)
				return ss_error_nomem();
			tm->pending--;
			break;
		}
	}
	if (month_done)
		tm->pending--;
	return tm->pending == 0 ? 1 : 0;
}

int ss_report_follow_times(struct ss_report *r, struct ss_trail *t, const struct ss_oid *commit,
                           int64_t now)
{
	struct times tm = {r, t, 0};
	size_t i, j;
	int err;

	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];
		bool first = true;

		tm.pending += f->nresponses;
		/* One close per month, however many of its items are listed. */
		for (j = 0; j < i && first; j++)
			first = strcmp(r->followups[j].month, f->month) != 0;
		tm.pending += f->closed && first;
	}
	if (tm.pending > 0) {
		err = ss_git_walk_newest(t, commit, visit, &tm);
		if (err < 0)
			return err;
	}
	for (i = 0; i < r->nfollowups; i++) {
		struct ss_report_followup *f = &r->followups[i];

		f->days = -1;
		if (f->nresponses == 0 && f->closed && f->closed_at > 0)
			f->days = now > f->closed_at ? (long)((now - f->closed_at) / 86400) : 0;
	}
	return 0;
}
