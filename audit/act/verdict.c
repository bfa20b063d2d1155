/*
 * verdict.c - one verdict: who it belongs to, the month and the record
 * checked against the tip the writer holds, the answers against the policy
 * in force there, then one signed commit of
 * months/M/verdicts/XX/ID/ROLE.HANDLE.json. A worksheet's rows are
 * committed through ss_act_commit_verdict() too.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "error.h"
#include "layout.h"

/* ------------------------------------------------------------ answers */

/*
 * Answers given as --QUESTION options, refused in the words of the command
 * line, question by question in the policy's order: a required question
 * without its option, or a value the question does not take.
 */
static int check_option_answers(const struct ss_policy *pol, const struct ss_answer *a, size_t n)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i, k, v;
	int err = 0;

	for (i = 0; i < pol->nquestions && !err; i++) {
		const struct ss_question *q = &pol->questions[i];

		for (k = 0; k < n && strcmp(a[k].question, q->id) != 0; k++)
			;
		if (k < n && ss_act_value_allowed(q, a[k].value))
			continue;
		if (k == n && !q->required)
			continue;
		for (v = 0; v < q->nvalues; v++)
			ss_buf_printf(&b, "%s%s", v ? ", " : "", q->values[v]);
		if (k == n)
			err = ss_error_set(SS_EUSAGE, _("answer --%s (%s): %s"), q->id,
			                   b.data ? b.data : "", q->question);
		else
			err = ss_error_set(SS_EUSAGE,
			                   _("'%s' is not an answer to --%s: give one of %s"),
			                   a[k].value, q->id, b.data ? b.data : "");
	}
	ss_buf_release(&b);
	return err;
}

static int check_answers(const struct ss_policy *pol, const struct ss_answer *a, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct ss_question *q = ss_policy_question(pol, a[i].question);

		if (q == NULL)
			return ss_error_set(SS_EUSAGE, _("the policy has no question '%s'"),
			                    a[i].question);
		if (!ss_act_value_allowed(q, a[i].value))
			return ss_act_refuse_value(q, a[i].value);
		for (j = 0; j < i; j++)
			if (strcmp(a[j].question, a[i].question) == 0)
				return ss_error_set(SS_EUSAGE, _("%s is answered twice"), q->id);
	}
	for (i = 0; i < pol->nquestions; i++) {
		if (!pol->questions[i].required)
			continue;
		for (j = 0; j < n && strcmp(a[j].question, pol->questions[i].id) != 0; j++)
			;
		if (j == n)
			return ss_act_refuse_required(&pol->questions[i]);
	}
	if (n == 0)
		return ss_error_set(SS_EUSAGE, _("a verdict needs at least one answer"));
	return 0;
}

/* ------------------------------------------------------------ one verdict */

int ss_act_commit_verdict(struct ss_writer *w, const struct ss_act_month *cx,
                          const struct ss_verdict_req *req, const struct ss_reviewer *rv,
                          enum ss_recorded *res)
{
	struct ss_verdict v;
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char path[256], subject[512], *old = NULL, *note = NULL;
	size_t oldlen = 0, i;
	bool entered = strcmp(rv->handle, w->handle) != 0, existed;
	int err;

	*res = SS_RECORDED_NEW;
	memset(&v, 0, sizeof(v));
	v.month = (char *)req->month;
	v.id = (char *)req->id;
	v.role = rv->role;
	v.reviewer = rv->handle;
	v.entered_by = w->handle;
	v.answers = (struct ss_answer *)req->answers;
	v.nanswers = req->nanswers;
	if (!ss_act_blank(req->note) && (err = ss_act_redact(req->note, &note)))
		goto out;
	v.note = note;
	if ((err = ss_verdict_to_json(&v, cx->policy ? cx->policy : w->policy, &json)))
		goto out;
	ss_layout_verdict(path, sizeof(path), req->month, req->id, rv->role, rv->handle);
	err = ss_git_read(w->trail, &w->tip, path, &old, &oldlen);
	existed = err == 0;
	if (err == SS_ENOTFOUND)
		ss_error_clear();
	else if (err)
		goto out;
	err = 0;
	if (existed && oldlen == json.len && memcmp(old, json.data, oldlen) == 0) {
		*res = SS_RECORDED_SAME;
		goto out;
	}
	snprintf(subject, sizeof(subject), "verdict: %s %s by %s (%s)%s%s", req->month, req->id,
	         rv->handle, rv->role, entered ? ", entered by " : "", entered ? w->handle : "");
	if (entered)
		ss_buf_printf(&body,
		              "%s (%s) entered the verdict of %s (%s) on record %s of %s, on "
		              "their behalf: ",
		              w->actor->name, w->actor->role, rv->name, rv->role, req->id,
		              cx->words);
	else
		ss_buf_printf(&body, "%s (%s) recorded a verdict on record %s of %s: ", rv->name,
		              rv->role, req->id, cx->words);
	for (i = 0; i < req->nanswers; i++)
		ss_buf_printf(&body, "%s%s %s", i ? ", " : "", req->answers[i].question,
		              req->answers[i].value);
	ss_buf_puts(&body, v.note ? ", with a note." : ".");
	if (existed)
		ss_buf_puts(&body, " It replaces the earlier verdict of the same reviewer on this "
		                   "record (the old one stays in the history).");
	if (req->source)
		ss_buf_printf(&body, "\nFrom %s.", req->source);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_change ch = {path, json.data, json.len};
		struct ss_trailers_msg msg = {0};
		bool unchanged = false;

		msg.action = SS_ACTION_VERDICT;
		msg.month = req->month;
		msg.record = req->id;
		msg.role = rv->role;
		msg.on_behalf_of = entered ? rv->handle : NULL;
		msg.subject = subject;
		msg.body = body.data;
		if ((err = ss_writer_commit(w, &msg, &ch, 1, &unchanged)))
			goto out;
		*res = unchanged ? SS_RECORDED_SAME
		       : existed ? SS_RECORDED_REPLACED
		                 : SS_RECORDED_NEW;
	}
out:
	free(old);
	free(note);
	ss_buf_release(&json);
	ss_buf_release(&body);
	return err;
}

static int record(struct ss_writer *w, const struct ss_verdict_req *req, bool as_options,
                  enum ss_recorded *res)
{
	const struct ss_reviewer *rv = NULL;
	const struct ss_policy *pol;
	struct ss_act_month cx;
	bool loaded;
	int err;

	*res = SS_RECORDED_SAME;
	memset(&cx, 0, sizeof(cx));
	/* Answers first, once, against the month's rules (the policy of its
	 * sample's digest; the policy in force at the tip this writer holds when
	 * the month cannot be read): a bad answer is the caller's to fix,
	 * whatever the month's state. */
	loaded = ss_act_month_load_flat(w, req->month, false, &cx) == 0;
	pol = loaded ? cx.policy : w->policy;
	if ((as_options && (err = check_option_answers(pol, req->answers, req->nanswers))) ||
	    (err = check_answers(pol, req->answers, req->nanswers)))
		goto out;
	if ((err = ss_act_check_who(w, req->reviewer, &rv)) ||
	    (!loaded && (err = ss_act_month_load_flat(w, req->month, false, &cx))))
		goto out;
	if (cx.closed) {
		err = ss_month_refuse_closed(w->policy, req->month, cx.closed_by);
		goto out;
	}
	if ((err = ss_act_check_record(&cx, req->id, rv->role)) ||
	    (req->note && (err = ss_act_check_text(_("the note"), req->note, SS_ACT_NOTE_MAX))))
		goto out;
	err = ss_act_commit_verdict(w, &cx, req, rv, res);
out:
	ss_act_month_release(&cx);
	return err;
}

int ss_act_verdict(struct ss_writer *w, const struct ss_verdict_req *req, enum ss_recorded *res)
{
	return record(w, req, false, res);
}

int ss_act_verdict_options(struct ss_writer *w, const struct ss_verdict_req *req,
                           enum ss_recorded *res)
{
	return record(w, req, true, res);
}
