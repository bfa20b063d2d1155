/*
 * correct.c - correct a search's outcome (or whether it was linked to the
 * object of the search): one file per correction, numbered 0001, 0002, ...
 * per record (the next number taken under the writer's lock, so two sites
 * correcting one record at once write the same path and sync sees the
 * conflict), in any month of the population, open or closed. The original
 * record stays.
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

/* The corrections of one record at the tip, as a partial month state. */
static int record_corrections(struct ss_writer *w, const char *month, const char *id,
                              struct ss_month_state **out)
{
	struct ss_month_state *st = calloc(1, sizeof(*st));
	char dir[256], path[512], **names = NULL, *data = NULL;
	size_t n = 0, i, len;
	int err;

	*out = NULL;
	if (st == NULL)
		return ss_error_nomem();
	ss_layout_correction_dir(dir, sizeof(dir), month, id);
	err = ss_git_list(w->trail, &w->tip, dir, &names, &n);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		err = 0;
		n = 0;
	}
	if (err)
		goto out;
	if (n && (st->corrections = calloc(n, sizeof(*st->corrections))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((err = ss_git_read(w->trail, &w->tip, path, &data, &len)) ||
		    (err = ss_correction_from_json(data, len, path,
		                                   &st->corrections[st->ncorrections])))
			goto out;
		st->ncorrections++;
		free(data);
		data = NULL;
	}
	/* File names sort as NNNN, which is the order the state keeps. */
	*out = st;
	st = NULL;
out:
	free(data);
	ss_strv_free(names, n);
	ss_month_state_free(st);
	return err;
}

/* An outcome the policy's outcomes.values do not hold: refused, with the list. */
static int unknown_outcome(const struct ss_policy *pol, const char *outcome)
{
	struct ss_buf list = SS_BUF_INIT;
	size_t i;
	int err;

	for (i = 0; i < pol->noutcomes; i++)
		ss_buf_printf(&list, "%s'%s'", i ? ", " : "", pol->outcomes[i]);
	if (list.data == NULL && pol->noutcomes > 0)
		return ss_error_nomem();
	err = ss_error_set(SS_EDATA,
	                   _("'%s' is not an outcome the policy allows (check the spelling); the "
	                     "outcome must be one of: %s"),
	                   outcome, list.data ? list.data : "(none)");
	ss_buf_release(&list);
	return err;
}

int ss_act_correct(struct ss_writer *w, const struct ss_correct_req *req,
                   struct ss_correction *done)
{
	struct ss_population *pop = NULL;
	struct ss_month_state *st = NULL;
	const struct ss_record *r;
	struct ss_correction c;
	struct ss_fix fx[2];
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char words[32], path[256], subject[512], from[600], to[600], *reason = NULL;
	size_t i;
	int err;

	memset(&c, 0, sizeof(c));
	memset(fx, 0, sizeof(fx));
	if (done)
		memset(done, 0, sizeof(*done));
	if ((err = ss_act_require(w, SS_ACTION_CORRECTION, "correct an outcome")))
		return err;
	if (!req->set_outcome && !req->set_linked)
		return ss_error_set(SS_EUSAGE, _("say what to correct: --outcome VALUE, --linked "
		                                 "true|false|null, or both"));
	if (ss_act_blank(req->reason))
		return ss_error_set(SS_EUSAGE, _("say why with --reason TEXT (for example the lab "
		                                 "result or the charge)"));
	if ((err = ss_act_check_text("the reason", req->reason, SS_ACT_NOTE_MAX)))
		return err;
	if (req->set_outcome && req->outcome &&
	    (ss_act_blank(req->outcome) ||
	     (err = ss_act_check_text("the outcome", req->outcome, 200))))
		return err ? err
		           : ss_error_set(SS_EUSAGE, _("the outcome is empty (give the outcome's "
		                                       "words, as in the force's data)"));
	if (req->set_outcome && req->outcome && !ss_policy_outcome_known(w->policy, req->outcome))
		return unknown_outcome(w->policy, req->outcome);
	ss_month_words(req->month, words, sizeof(words));
	if ((err = ss_act_redact(req->reason, &reason)) ||
	    (err = ss_month_population(w->trail, &w->tip, req->month, NULL, NULL, &pop)))
		goto out;
	if ((r = ss_population_find(pop, req->id)) == NULL) {
		err = ss_error_set(SS_EFAIL, _("there is no record '%s' in %s"), req->id, words);
		goto out;
	}
	if ((err = record_corrections(w, req->month, req->id, &st)))
		goto out;
	c.month = (char *)req->month;
	c.id = (char *)r->id;
	c.reason = reason;
	c.by = w->handle;
	c.changes = fx;
	if (req->set_outcome) {
		fx[c.nchanges].field = SS_F_OUTCOME;
		fx[c.nchanges].from = ss_month_current(st, r, SS_F_OUTCOME);
		fx[c.nchanges].to.kind = req->outcome ? SS_RV_STRING : SS_RV_NULL;
		fx[c.nchanges].to.s = req->outcome;
		c.nchanges++;
	}
	if (req->set_linked) {
		fx[c.nchanges].field = SS_F_OUTCOME_LINKED;
		fx[c.nchanges].from = ss_month_current(st, r, SS_F_OUTCOME_LINKED);
		fx[c.nchanges].to.kind = req->linked == SS_TRI_NULL ? SS_RV_NULL : SS_RV_BOOL;
		fx[c.nchanges].to.b = req->linked == SS_TRI_TRUE;
		c.nchanges++;
	}
	for (i = 0; i < c.nchanges; i++)
		if (ss_rule_value_equal(&fx[i].from, &fx[i].to)) {
			ss_rule_value_words(&fx[i].from, true, from, sizeof(from));
			err = ss_error_set(SS_EFAIL,
			                   _("nothing to correct: %s of record %s is already %s"),
			                   ss_field_name(fx[i].field), req->id, from);
			goto out;
		}
	/* The next number at the tip held under the lock: 1 + the corrections there. */
	c.number = (unsigned)st->ncorrections + 1;
	if (c.number > SS_LAYOUT_NUMBER_MAX) {
		err = ss_error_set(SS_EFAIL,
		                   _("record %s already has %u corrections, the most a "
		                     "record can have"),
		                   req->id, SS_LAYOUT_NUMBER_MAX);
		goto out;
	}
	if ((err = ss_correction_to_json(&c, &json)))
		goto out;
	ss_layout_correction(path, sizeof(path), req->month, req->id, c.number);
	snprintf(subject, sizeof(subject), "correction: %s %s by %s (%s)", req->month, req->id,
	         w->handle, w->actor->role);
	ss_buf_printf(&body, "%s (%s) corrected record %s of %s: ", w->actor->name, w->actor->role,
	              req->id, words);
	for (i = 0; i < c.nchanges; i++) {
		ss_rule_value_words(&fx[i].from, true, from, sizeof(from));
		ss_rule_value_words(&fx[i].to, true, to, sizeof(to));
		ss_buf_printf(&body, "%s%s from %s to %s", i ? "; " : "",
		              fx[i].field == SS_F_OUTCOME ? "the outcome"
		                                          : "whether the outcome was linked to "
		                                            "the object of the search",
		              from, to);
	}
	ss_buf_printf(&body, ". Reason: %s", reason);
	if (body.data == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	{
		struct ss_change ch = {path, json.data, json.len};
		struct ss_trailers_msg msg = {0};

		msg.action = SS_ACTION_CORRECTION;
		msg.month = req->month;
		msg.record = req->id;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body.data;
		if ((err = ss_writer_commit(w, &msg, &ch, 1, NULL)))
			goto out;
	}
	if (done) {
		err = ss_correction_from_json(json.data, json.len, path, done);
	}
out:
	free(reason);
	ss_buf_release(&json);
	ss_buf_release(&body);
	ss_month_state_free(st);
	ss_population_free(pop);
	return err;
}
