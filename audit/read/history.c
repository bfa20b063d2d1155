/*
 * history.c - the commits about a month or a record (history.h).
 */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blind.h"
#include "clock.h"
#include "error.h"
#include "month.h"
#include "state.h"
#include "trail.h"
#include "trailers.h"

struct walk {
	const char *month, *id, *as;
	ss_history_fn fn;
	void *ctx;
	/* for the blind rule, at the tip (NULL when nobody in particular asks) */
	struct ss_policy *pol;
	struct ss_registry *reg;
	struct ss_sample *s;
	struct ss_month_state *st;
	char words[256];
};

/* What history reads from a message: the store's reading of its trailers
 * and body, so history tells the story verify judges. */
static void parse_message(const char *msg, struct ss_history_entry *e)
{
	struct ss_trailers tr;

	ss_trailers_parse(msg, &tr);
	snprintf(e->month, sizeof(e->month), "%s", tr.month);
	snprintf(e->record, sizeof(e->record), "%s", tr.record);
	snprintf(e->action, sizeof(e->action), "%s", tr.action);
	snprintf(e->on_behalf_of, sizeof(e->on_behalf_of), "%s", tr.behalf);
	ss_trailers_body(msg, &e->text, &e->text_len);
}

static int visit(void *ctx, const struct ss_commit_view *c)
{
	struct walk *w = ctx;
	struct ss_history_entry e;

	memset(&e, 0, sizeof(e));
	parse_message(c->message, &e);
	if (w->month && strcmp(e.month, w->month) != 0)
		return 0;
	if (w->id && strcmp(e.record, w->id) != 0)
		return 0;
	ss_clock_rfc3339(c->commit_time, e.when);
	ss_oid_hex(&c->oid, e.commit);
	e.author = c->author_name;
	e.committer = c->committer_name;
	e.signed_ = c->signature != NULL;
	if (w->st != NULL && strcmp(e.action, "verdict") == 0 && *e.record) {
		struct ss_blind b;
		size_t nv;
		const struct ss_verdict *v = ss_month_verdicts(w->st, e.record, &nv);

		ss_blind_record_in(w->pol, w->reg, w->as, w->s, e.record, v, nv, &b);
		if (b.hide) {
			e.hidden = true;
			e.text = w->words;
			e.text_len = strlen(w->words);
		}
	}
	return w->fn(w->ctx, &e);
}

/* What the blind rule needs, at the tip: the policy, who is who, the sample
 * (when drawn) and the month's verdicts. */
static int blind_load(struct ss_trail *t, struct walk *w)
{
	struct ss_oid tip;
	char *pjson = NULL;
	size_t plen;
	int err;

	if ((err = ss_git_tip(t, &tip)))
		return err == SS_ENOTFOUND ? 0 : err;
	if ((err = ss_state_policy(t, &tip, &pjson, &plen, &w->pol)) || !w->pol->blind ||
	    (err = ss_registry_load(t, &tip, &w->reg)))
		goto out;
	if (ss_month_sample(t, &tip, w->month, &w->s) != 0)
		w->s = NULL; /* not drawn: every record counts */
	if ((err = ss_month_state_load(t, &tip, w->month, &w->st)))
		goto out;
	/* English, as the trail's own words are: --json gives it as the text. */
	snprintf(w->words, sizeof(w->words),
	         "a verdict on this record: its answers are hidden until you (%s) record "
	         "yours, as the policy asks for blind review",
	         w->as);
out:
	free(pjson);
	return err;
}

int ss_history_walk(const char *path, const char *month, const char *id, const char *as,
                    ss_history_fn fn, void *ctx)
{
	struct walk w = {.month = month, .id = id, .as = as, .fn = fn, .ctx = ctx};
	struct ss_trail *t = NULL;
	int err;

	if ((err = ss_git_open_read(path, &t)))
		goto out;
	if (as != NULL && month != NULL && (err = blind_load(t, &w)))
		goto out;
	err = ss_git_walk(t, NULL, visit, &w);
	if (err == SS_ENOTFOUND)
		err = ss_error_set(SS_ENOINPUT, _("the audit trail has no history yet"));
out:
	ss_month_state_free(w.st);
	ss_sample_free(w.s);
	ss_registry_free(w.reg);
	ss_policy_free(w.pol);
	ss_git_free(t);
	return err;
}
