/*
 * close.c - close a month (sign it off once every required verdict is in or
 * waived; waivers written in the same commit) and reopen it.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "error.h"
#include "month.h"
#include "layout.h"

void ss_close_result_release(struct ss_close_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nmissing; i++) {
		free(r->missing[i].role);
		ss_strv_free(r->missing[i].ids, r->missing[i].n);
	}
	free(r->missing);
	memset(r, 0, sizeof(*r));
}

static bool waived_now(const struct ss_waive *wv, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(wv[i].id, id) == 0)
			return true;
	return false;
}

/* Missing verdicts per role; ids copied into one block per role. */
static int find_missing(const struct ss_sample *s, const struct ss_month_state *st,
                        const struct ss_waive *wv, size_t nwv, struct ss_close_result *res)
{
	size_t r, i;

	if (s->nroles && (res->missing = calloc(s->nroles, sizeof(*res->missing))) == NULL)
		return ss_error_nomem();
	for (r = 0; r < s->nroles; r++) {
		const struct ss_sample_role *sr = &s->roles[r];
		struct ss_missing *m = &res->missing[res->nmissing];

		for (i = 0; i < sr->n; i++) {
			const char *id = sr->ids[i];

			if (ss_month_has_verdict(st, id, sr->role) || ss_month_waiver(st, id) ||
			    waived_now(wv, nwv, id))
				continue;
			if (m->ids == NULL) {
				if ((m->role = strdup(sr->role)) == NULL ||
				    (m->ids = calloc(sr->n, sizeof(*m->ids))) == NULL)
					return ss_error_nomem();
				res->nmissing++;
			}
			if ((m->ids[m->n] = strdup(id)) == NULL)
				return ss_error_nomem();
			m->n++;
			res->total_missing++;
		}
	}
	return 0;
}

static bool record_needs_waiver(const struct ss_sample *s, const struct ss_month_state *st,
                                const char *id)
{
	size_t r;

	for (r = 0; r < s->nroles; r++)
		if (ss_sample_role_has(s, s->roles[r].role, id) &&
		    !ss_month_has_verdict(st, id, s->roles[r].role))
			return true;
	return false;
}

int ss_act_close(struct ss_writer *w, const char *month, const struct ss_waive *waivers,
                 size_t nwaivers, struct ss_close_result *res)
{
	struct ss_month_state *st = NULL;
	struct ss_change *ch = NULL;
	struct ss_buf *files = NULL, closed = SS_BUF_INIT, body = SS_BUF_INIT;
	char(*paths)[256] = NULL;
	char **reasons = NULL; /* the waivers' reasons, redacted */
	struct ss_act_month cx;
	char subject[512];
	size_t i, j;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&cx, 0, sizeof(cx));
	if ((err = ss_act_require(w, SS_ACTION_CLOSE, N_("close the month"))))
		return err;
	if ((err = ss_act_month_load(w, month, &cx)))
		goto out;
	if (cx.closed) {
		err = ss_error_set(SS_EFAIL, _("%s is already closed (signed off by %s)"), cx.said,
		                   cx.closed_by ? cx.closed_by : _("someone"));
		goto out;
	}
	if ((err = ss_month_state_load(w->trail, &w->tip, month, &st)))
		goto out;
	for (i = 0; i < nwaivers; i++) {
		const char *id = waivers[i].id;
		const struct ss_waiver *old;

		for (j = 0; j < i; j++)
			if (strcmp(waivers[j].id, id) == 0) {
				err = ss_error_set(SS_EUSAGE, _("record %s is waived twice"), id);
				goto out;
			}
		if (ss_act_blank(waivers[i].reason)) {
			err = ss_error_set(SS_EUSAGE,
			                   _("say why record %s is waived (--reason TEXT "
			                     "after --waive %s)"),
			                   id, id);
			goto out;
		}
		if ((err = ss_act_check_text(_("the reason"), waivers[i].reason, SS_ACT_NOTE_MAX)))
			goto out;
		if (!ss_layout_id_valid(id) || ss_sample_find(cx.s, id) == NULL) {
			err = ss_error_set(
			    SS_EFAIL,
			    _("there is no record '%s' in the sample of %s: only sampled "
			      "records can be waived"),
			    id, cx.said);
			goto out;
		}
		if ((old = ss_month_waiver(st, id)) != NULL) {
			err = ss_error_set(SS_EFAIL, _("record %s is already waived (by %s: %s)"),
			                   id, old->by, old->reason);
			goto out;
		}
		if (!record_needs_waiver(cx.s, st, id)) {
			err =
			    ss_error_set(SS_EFAIL,
			                 _("record %s needs no waiver: every role that reviews it "
			                   "has recorded a verdict"),
			                 id);
			goto out;
		}
	}
	res->records = cx.s->n;
	res->verdicts = st->nverdicts;
	res->waived = st->nwaivers + nwaivers;
	if ((err = find_missing(cx.s, st, waivers, nwaivers, res)))
		goto out;
	if (res->total_missing) {
		err = ss_error_set(
		    SS_EFAIL,
		    _("%s cannot be closed yet: %zu verdict%s missing (each record in "
		      "a role's share needs a verdict by someone of that role, or a "
		      "waiver: --waive ID --reason TEXT)"),
		    cx.said, res->total_missing, res->total_missing == 1 ? " is" : "s are");
		goto out;
	}
	if ((ch = calloc(nwaivers + 1, sizeof(*ch))) == NULL ||
	    (files = calloc(nwaivers + 1, sizeof(*files))) == NULL ||
	    (paths = calloc(nwaivers + 1, sizeof(*paths))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((reasons = calloc(nwaivers + 1, sizeof(*reasons))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < nwaivers; i++) {
		struct ss_waiver wv = {(char *)month, (char *)waivers[i].id, NULL, w->handle};

		if ((err = ss_act_redact(waivers[i].reason, &reasons[i])))
			goto out;
		wv.reason = reasons[i];
		if ((err = ss_waiver_to_json(&wv, &files[i])))
			goto out;
		ss_layout_waiver(paths[i], sizeof(paths[i]), month, waivers[i].id);
		ch[i].path = paths[i];
		ch[i].data = files[i].data;
		ch[i].len = files[i].len;
	}
	if ((err = ss_closed_to_json(month, true, w->handle, NULL, &closed)))
		goto out;
	ss_layout_closed(paths[nwaivers], sizeof(paths[nwaivers]), month);
	ch[nwaivers].path = paths[nwaivers];
	ch[nwaivers].data = closed.data;
	ch[nwaivers].len = closed.len;
	snprintf(subject, sizeof(subject), "close: %s by %s (%s)", month, w->handle,
	         w->actor->role);
	ss_buf_printf(&body, "%s (%s) signed off %s: %zu sampled record%s, %zu verdict%s",
	              w->actor->name, w->actor->role, cx.words, cx.s->n, cx.s->n == 1 ? "" : "s",
	              st->nverdicts, st->nverdicts == 1 ? "" : "s");
	if (res->waived)
		ss_buf_printf(&body, ", %zu record%s waived", res->waived,
		              res->waived == 1 ? "" : "s");
	ss_buf_puts(&body, ".");
	for (i = 0; i < nwaivers; i++)
		ss_buf_printf(&body, "\nWaived %s: %s", waivers[i].id, reasons[i]);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_trailers_msg msg = {0};

		msg.action = SS_ACTION_CLOSE;
		msg.month = month;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body.data;
		err = ss_writer_commit(w, &msg, ch, nwaivers + 1, NULL);
	}
out:
	for (i = 0; files && i < nwaivers + 1; i++)
		ss_buf_release(&files[i]);
	free(files);
	if (reasons != NULL)
		ss_strv_free(reasons, nwaivers);
	free(paths);
	free(ch);
	ss_buf_release(&closed);
	ss_buf_release(&body);
	ss_month_state_free(st);
	ss_act_month_release(&cx);
	return err;
}

int ss_act_reopen(struct ss_writer *w, const char *month, const char *reason)
{
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char path[64], words[32], subject[512], *by = NULL, *redacted = NULL;
	bool closed = false;
	int err;

	if ((err = ss_act_require(w, SS_ACTION_REOPEN, N_("reopen the month"))))
		return err;
	if (ss_act_blank(reason))
		return ss_error_set(SS_EUSAGE,
		                    _("say why the month is reopened, with --reason TEXT"));
	if ((err = ss_act_check_text(_("the reason"), reason, SS_ACT_NOTE_MAX)))
		return err;
	ss_month_words(month, words, sizeof(words));
	if ((err = ss_month_closed_at(w->trail, &w->tip, month, &closed, &by)))
		goto out;
	if (!closed) {
		char said[48];

		ss_month_words_in(month, ss_lang_current(), said, sizeof(said));
		err = ss_error_set(SS_EFAIL, _("%s is not closed"), said);
		goto out;
	}
	if ((err = ss_act_redact(reason, &redacted)) ||
	    (err = ss_closed_to_json(month, false, w->handle, redacted, &json)))
		goto out;
	ss_layout_closed(path, sizeof(path), month);
	snprintf(subject, sizeof(subject), "reopen: %s by %s (%s)", month, w->handle,
	         w->actor->role);
	ss_buf_printf(&body,
	              "%s (%s) reopened %s, which %s had signed off; verdicts can be "
	              "recorded again. Reason: %s",
	              w->actor->name, w->actor->role, words, by ? by : "someone", redacted);
	err = ss_writer_commit_file(w, SS_ACTION_REOPEN, month, NULL, subject, &body, path, &json);
out:
	free(by);
	free(redacted);
	ss_buf_release(&json);
	ss_buf_release(&body);
	return err;
}
