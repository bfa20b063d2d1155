/*
 * respond.c - the force's response to an item of the follow-up list (a
 * record on which a reviewer gave one of the policy's follow_up answers): a
 * value from the policy's `responses` and a note, one file per response,
 * numbered 0001, 0002, ... per record as corrections are (the next number
 * taken under the writer's lock, so two sites responding to one record at
 * once write the same path and sync sees the conflict). Accepted in closed
 * months: the force answers after the panel has signed the month off.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "error.h"
#include "layout.h"
#include "month.h"

/* A response the policy's `responses` does not hold: refused, with the list. */
static int unknown_action(const struct ss_policy *pol, const char *action)
{
	struct ss_buf list = SS_BUF_INIT;
	size_t i;
	int err;

	for (i = 0; i < pol->nresponses; i++)
		ss_buf_printf(&list, "%s%s", i ? ", " : "", pol->responses[i]);
	if (list.data == NULL && pol->nresponses > 0)
		return ss_error_nomem();
	err = ss_error_set(SS_EDATA,
	                   _("'%s' is not a response the policy allows (check the spelling); "
	                     "--action must be one of: %s"),
	                   action, list.data ? list.data : "(none)");
	ss_buf_release(&list);
	return err;
}

/* "a local-inspector found grounds not-reasonable; ..." for the body. */
static void why_listed(const struct ss_month_state *st, const struct ss_policy *pol,
                       struct ss_buf *b)
{
	size_t i, k, said = 0;

	for (i = 0; i < st->nverdicts; i++)
		for (k = 0; k < st->verdicts[i].nanswers; k++) {
			const struct ss_answer *a = &st->verdicts[i].answers[k];

			if (!ss_policy_follow_up(pol, a->value))
				continue;
			ss_buf_printf(b, "%s%s %s answered %s '%s'", said++ ? "; " : "",
			              ss_act_a_an(st->verdicts[i].role), st->verdicts[i].role,
			              a->question, a->value);
		}
}

/* The refusal of a record that is not in the month's sample, or 0 when it is. */
static int refuse_unsampled(struct ss_writer *w, const struct ss_respond_req *req,
                            const struct ss_act_month *cx)
{
	struct ss_sample *s = NULL;
	int err;

	if ((err = ss_month_sample(w->trail, &w->tip, req->month, &s)))
		return err;
	if (ss_sample_find(s, req->id) == NULL)
		err = ss_error_set(SS_EFAIL,
		                   _("%s is not in the sample of %s, so it is not on the follow-up "
		                     "list"),
		                   req->id, cx->said);
	ss_sample_free(s);
	return err;
}

int ss_act_respond(struct ss_writer *w, const struct ss_respond_req *req, struct ss_response *done)
{
	struct ss_month_state *st = NULL;
	struct ss_act_month cx;
	struct ss_response r;
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char path[SS_LAYOUT_PATH_MAX], subject[512], *note = NULL;
	int err;

	memset(&cx, 0, sizeof(cx));
	memset(&r, 0, sizeof(r));
	if (done)
		memset(done, 0, sizeof(*done));
	if ((err = ss_act_require(w, SS_ACTION_RESPONSE, N_("respond to a follow-up item"))))
		goto out;
	if (ss_act_blank(req->action)) {
		err = ss_error_set(SS_EUSAGE, _("say what the force did with --action VALUE (for "
		                                "example words-of-advice or training)"));
		goto out;
	}
	if ((err = ss_act_check_text(_("the action"), req->action, 200)))
		goto out;
	if (!ss_policy_response_known(w->policy, req->action)) {
		err = unknown_action(w->policy, req->action);
		goto out;
	}
	if (!ss_act_blank(req->note) &&
	    (err = ss_act_check_text(_("the note"), req->note, SS_ACT_NOTE_MAX)))
		goto out;
	/* Flat: a record with a verdict is a sampled one (verify holds every
	 * verdict to the sample), so the sample is parsed only to word the
	 * refusal of a record without verdicts, and one response costs the same
	 * in a month of 100 sampled records as in one of 200,000. */
	if ((err = ss_act_month_load_flat(w, req->month, false, &cx)))
		goto out;
	if ((err = ss_month_record_state(w->trail, &w->tip, req->month, req->id,
	                                 SS_MONTH_VERDICTS | SS_MONTH_RESPONSES, &st)))
		goto out;
	if (st->nverdicts == 0 && (err = refuse_unsampled(w, req, &cx)))
		goto out;
	/* The month's own rules say what puts a record on the list. */
	if (!ss_month_follow_up(st, cx.policy, req->id)) {
		if (st->nverdicts == 0)
			err =
			    ss_error_set(SS_EFAIL,
			                 _("%s of %s is not on the follow-up list: no reviewer has "
			                   "recorded a verdict on it yet"),
			                 req->id, cx.said);
		else
			err = ss_error_set(
			    SS_EFAIL,
			    _("%s of %s is not on the follow-up list: none of its %zu "
			      "verdict%s gives an answer that asks for follow-up"),
			    req->id, cx.said, st->nverdicts, st->nverdicts == 1 ? "" : "s");
		goto out;
	}
	r.number = (unsigned)st->nresponses + 1;
	if (r.number > SS_LAYOUT_NUMBER_MAX) {
		err = ss_error_set(SS_EFAIL,
		                   _("record %s already has %u responses, the most a "
		                     "record can have"),
		                   req->id, SS_LAYOUT_NUMBER_MAX);
		goto out;
	}
	if (!ss_act_blank(req->note) && (err = ss_act_redact(req->note, &note)))
		goto out;
	r.month = (char *)req->month;
	r.id = (char *)req->id;
	r.action = (char *)req->action;
	r.note = note;
	r.by = w->handle;
	if ((err = ss_response_to_json(&r, &json)))
		goto out;
	ss_layout_response(path, sizeof(path), req->month, req->id, r.number);
	snprintf(subject, sizeof(subject), "response: %s %s by %s (%s)", req->month, req->id,
	         w->handle, w->actor->role);
	ss_buf_printf(&body, "%s (%s) recorded the force's response to follow-up item %s of %s (",
	              w->actor->name, w->actor->role, req->id, cx.words);
	why_listed(st, cx.policy, &body);
	{
		const char *said = ss_policy_response_words(w->policy, req->action, "en");

		if (strcmp(said, req->action) == 0)
			ss_buf_printf(&body, "): %s.", said);
		else
			ss_buf_printf(&body, "): %s (%s).", said, req->action);
	}
	if (note)
		ss_buf_printf(&body, " Note: %s", note);
	if (r.number > 1)
		ss_buf_printf(&body, "\n\nThis is response %u to this item.", r.number);
	if ((err = ss_writer_commit_file(w, SS_ACTION_RESPONSE, req->month, req->id, subject, &body,
	                                 path, &json)))
		goto out;
	if (done)
		err = ss_response_from_json(json.data, json.len, path, done);
out:
	free(note);
	ss_buf_release(&json);
	ss_buf_release(&body);
	ss_month_state_free(st);
	ss_act_month_release(&cx);
	return err;
}
