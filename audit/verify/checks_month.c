/*
 * checks_month.c - the acts on a month's records: verdicts, corrections, and
 * close and reopen with their waivers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"
#include "verify_int.h"
#include "month.h"

/* The month's rules: the policy its sample's digest names, else k->pol.
 * *own (may be NULL) says which: true for the sample's. */
static const struct ss_policy *month_policy(struct cc *k, const char *month, bool *own)
{
	const struct ss_sample *s = NULL;
	bool sampled = false;

	if (own)
		*own = false; /* no sample: the month has no rules of its own */
	if (ss_verify_sample_at(k->v, &k->before, month, &s, &sampled) == 0 && sampled &&
	    s != NULL) {
		const struct vpol *vp = ss_verify_policy_of(k->v, s->policy_sha256);

		if (vp != NULL && vp->pol != NULL) {
			if (own)
				*own = true;
			return vp->pol;
		}
	}
	return k->pol;
}

/* Against the month's rules (DESIGN.md section 7): the policy its sample's
 * digest names, else (no sample to read) the policy in force. */
static void check_answers(struct cc *k, const char *path, const struct ss_verdict *vd)
{
	bool own;
	const struct ss_policy *pol = month_policy(k, vd->month, &own);
	size_t i, j;

	if (pol == NULL)
		return;
	for (i = 0; i < vd->nanswers; i++) {
		const struct ss_question *q = ss_policy_question(pol, vd->answers[i].question);
		bool ok = false;

		if (q == NULL) {
			ss_verify_problem(
			    k->v, k->hex, path,
			    own ? _("the verdict answers '%s', a question the month's policy (the "
			            "one its sample names) does not ask")
			        : _("the verdict answers '%s', a question the policy in force does "
			            "not ask"),
			    vd->answers[i].question);
			continue;
		}
		for (j = 0; j < q->nvalues; j++)
			ok = ok || strcmp(q->values[j], vd->answers[i].value) == 0;
		if (!ok)
			ss_verify_problem(
			    k->v, k->hex, path,
			    own ? _("'%s' is not an answer the month's policy (the one its sample "
			            "names) allows to '%s'")
			        : _("'%s' is not an answer the policy in force allows to '%s'"),
			    vd->answers[i].value, q->id);
	}
	for (i = 0; i < pol->nquestions; i++) {
		bool answered = false;

		if (!pol->questions[i].required)
			continue;
		for (j = 0; j < vd->nanswers; j++)
			answered =
			    answered || strcmp(vd->answers[j].question, pol->questions[i].id) == 0;
		if (!answered)
			ss_verify_problem(
			    k->v, k->hex, path,
			    _("the verdict does not answer the required question '%s'"),
			    pol->questions[i].id);
	}
}

/* The record must be in the sample at the parent, in the share the role reviews. */
static int check_in_share(struct cc *k, const struct vpath *p, const char *role)
{
	const struct ss_sample *s;
	bool sampled;
	int err = ss_verify_sample_at(k->v, &k->before, p->l.month, &s, &sampled);

	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (!sampled) {
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("%s had not been sampled, so nothing could be reviewed"),
		                  p->l.month);
		return 0;
	}
	if (s == NULL)
		return 0; /* an invalid sample: reported where it was committed */
	if (ss_sample_find(s, p->l.id) == NULL)
		ss_verify_problem(k->v, k->hex, p->path, _("%s is not in the sample of %s"),
		                  p->l.id, p->l.month);
	else if (role != NULL && ss_sample_role(s, role) == NULL)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the sample gives %s %s nothing to review"), ss_role_a_an(role),
		                  role);
	else if (role != NULL && !ss_sample_role_has(s, role, p->l.id))
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("%s is in the sample but not in the share %s %s reviews"),
		                  p->l.id, ss_role_a_an(role), role);
	return 0;
}

int ss_verify_check_verdict(struct cc *k, const struct vpath *p)
{
	struct ss_verdict vd;
	const struct ss_reviewer *member = ss_verify_find_handle(k->before.reg, p->l.handle);
	char *data = NULL;
	size_t len = 0;
	int err, closed;

	k->v->sum->verdicts++;
	if (strcmp(k->tr.record, p->l.id) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the commit says it is about record '%s' (Ssaudit-Record) but the verdict "
		      "is on "
		      "%s"),
		    k->tr.record, p->l.id);
	if (k->tr.role[0] != '\0' && strcmp(k->tr.role, p->l.role) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the commit says the verdict is %s %s's (Ssaudit-Role) but it is filed as %s "
		      "%s's"),
		    ss_role_a_an(k->tr.role), k->tr.role, ss_role_a_an(p->l.role), p->l.role);
	if (member == NULL)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the verdict is filed for '%s', who is not registered"),
		                  p->l.handle);
	else if (member->removed != NULL)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the verdict is filed for %s, whose registration had been removed on %s"),
		    member->handle, member->removed);
	else if (strcmp(member->role, p->l.role) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the verdict is filed as %s %s, but %s is %s %s"),
		                  ss_role_a_an(p->l.role), p->l.role, member->handle,
		                  ss_role_a_an(member->role), member->role);
	if (k->signer != NULL && strcmp(k->signer->handle, p->l.handle) == 0) {
		ss_verify_permitted(k, ss_rules_may(k->act), p->path);
		if (k->tr.behalf[0] != '\0' && strcmp(k->tr.behalf, p->l.handle) != 0)
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("%s's own verdict says it was entered on behalf of '%s'"),
			    p->l.handle, k->tr.behalf);
	} else if (k->signer != NULL) {
		if (strcmp(k->tr.behalf, p->l.handle) != 0)
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("%s signed a verdict filed for %s without naming them in "
			      "Ssaudit-On-Behalf-Of"),
			    k->signer->handle, p->l.handle);
		if (k->role == NULL)
			ss_verify_permitted(k, SS_MAY_ENTER_FOR,
			                    p->path); /* reports the missing role */
		else if (!ss_role_may(k->role, SS_MAY_ENTER_FOR) ||
		         !ss_role_enters_for(k->role, p->l.role))
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("%s is %s %s, and the policy in force does not let %s %s "
			      "enter verdicts "
			      "for %s %s"),
			    k->signer->handle, ss_role_a_an(k->signer->role), k->signer->role,
			    ss_role_a_an(k->signer->role), k->signer->role, ss_role_a_an(p->l.role),
			    p->l.role);
		if (member != NULL && (strcmp(k->c->author_name, member->name) != 0 ||
		                       strcmp(k->c->author_email, member->email) != 0))
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("the author '%s <%s>' is not %s, whose verdict it is ('%s <%s>')"),
			    k->c->author_name, k->c->author_email, member->handle, member->name,
			    member->email);
	}
	closed = ss_verify_closed_at(k->v, &k->before, p->l.month);
	if (closed == SS_ENOMEM)
		return closed;
	if (closed == CLOSED_YES)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("%s was closed: verdicts are refused until it is reopened"),
		                  p->l.month);
	if ((err = check_in_share(k, p, p->l.role)) != 0)
		return err;
	if ((err = ss_verify_read_changed(k, p, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_verdict_from_json(data, len, p->path, &vd);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, p->path, _("the verdict is not valid: %s"),
		                  ss_error_message());
		return 0;
	}
	if (strcmp(vd.month, p->l.month) != 0 || strcmp(vd.id, p->l.id) != 0 ||
	    strcmp(vd.role, p->l.role) != 0 || strcmp(vd.reviewer, p->l.handle) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the verdict says it is %s's, as %s %s, on %s of %s, which is not where it "
		      "is filed"),
		    vd.reviewer, ss_role_a_an(vd.role), vd.role, vd.id, vd.month);
	if (k->signer != NULL && strcmp(vd.entered_by, k->signer->handle) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the verdict says it was entered by '%s', but %s signed it"),
		                  vd.entered_by, k->signer->handle);
	check_answers(k, p->path, &vd);
	ss_verdict_release(&vd);
	return 0;
}

static int cmp_correction(const void *x, const void *y)
{
	const struct ss_correction *a = x, *b = y;

	return a->number < b->number ? -1 : a->number > b->number;
}

/* The corrections of one record in a tree, as a month state ss_month_current reads. */
static int corrections_at(struct cc *k, const struct vtree *tr, const struct vpath *p,
                          struct ss_month_state *st)
{
	char dir[128], path[256];
	char **names = NULL;
	size_t n = 0, i;
	int err;

	memset(st, 0, sizeof(*st));
	ss_layout_correction_dir(dir, sizeof(dir), p->l.month, p->l.id);
	err = ss_verify_tree_list(k->v, tr, dir, &names, &n);
	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	if ((st->corrections = calloc(n > 0 ? n : 1, sizeof(*st->corrections))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = 0; i < n; i++) {
		char *data = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((err = ss_verify_tree_read(k->v, tr, path, &data, &len)) != 0)
			goto out;
		err = ss_correction_from_json(data, len, path, &st->corrections[st->ncorrections]);
		free(data);
		if (err)
			goto out;
		st->ncorrections++;
	}
	qsort(st->corrections, st->ncorrections, sizeof(*st->corrections), cmp_correction);
out:
	ss_strv_free(names, n);
	return err;
}

static void corrections_release(struct ss_month_state *st)
{
	size_t i;

	for (i = 0; i < st->ncorrections; i++)
		ss_correction_release(&st->corrections[i]);
	free(st->corrections);
	memset(st, 0, sizeof(*st));
}

int ss_verify_check_correction(struct cc *k, const struct vpath *p)
{
	const struct ss_population *pop = NULL;
	const struct ss_record *rec = NULL;
	struct ss_correction cor;
	struct ss_month_state st;
	char *data = NULL;
	size_t len = 0, i;
	int err;

	k->v->sum->corrections++;
	ss_verify_permitted(k, ss_rules_may(k->act), p->path);
	if (strcmp(k->tr.record, p->l.id) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the commit says it is about record '%s' (Ssaudit-Record) but the "
		      "correction is "
		      "of %s"),
		    k->tr.record, p->l.id);
	if ((err = ss_verify_population_at(k->v, &k->before, p->l.month, &pop)) != 0)
		return err == SS_ENOMEM ? err : 0;
	if (pop == NULL)
		ss_verify_problem(k->v, k->hex, p->path, _("%s has no valid population to correct"),
		                  p->l.month);
	else if ((rec = ss_population_find(pop, p->l.id)) == NULL)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("%s is not a record of the population of %s"), p->l.id,
		                  p->l.month);
	if ((err = ss_verify_read_changed(k, p, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_correction_from_json(data, len, p->path, &cor);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, p->path, _("the correction is not valid: %s"),
		                  ss_error_message());
		return 0;
	}
	if (strcmp(cor.month, p->l.month) != 0 || strcmp(cor.id, p->l.id) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the correction says it is of %s in %s, which is not where it is filed"),
		    cor.id, cor.month);
	if (k->signer != NULL && strcmp(cor.by, k->signer->handle) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the correction says it is by '%s', but %s signed it"), cor.by,
		                  k->signer->handle);
	if (cor.nchanges == 0)
		ss_verify_problem(k->v, k->hex, p->path, _("the correction changes nothing"));
	/* The record's corrections at the state this one lands on: it must be
	 * the next number there, and its `from` values current there. */
	err = corrections_at(k, &k->before, p, &st);
	if (err == SS_ENOMEM)
		goto out;
	if (err) {
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the earlier corrections cannot be read: %s"),
		                  ss_error_message());
		err = 0;
		goto release;
	}
	if (p->l.number != st.ncorrections + 1)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the correction is numbered %04u, but the record had %zu "
		                    "correction%s before it, so the next is %04zu"),
		                  p->l.number, st.ncorrections, st.ncorrections == 1 ? "" : "s",
		                  st.ncorrections + 1);
	for (i = 0; rec != NULL && i < cor.nchanges; i++) {
		struct ss_rule_value cur = ss_month_current(&st, rec, cor.changes[i].field);
		char was[160], said[160];

		if (ss_rule_value_equal(&cur, &cor.changes[i].from))
			continue;
		ss_rule_value_words(&cur, true, was, sizeof(was));
		ss_rule_value_words(&cor.changes[i].from, true, said, sizeof(said));
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the correction says %s was %s, but at that point it was %s"),
		                  ss_field_name(cor.changes[i].field), said, was);
	}
release:
	corrections_release(&st);
out:
	ss_correction_release(&cor);
	return err;
}

/* A close signs the month off: every record in a role's share has a verdict by
 * someone of that role, or a waiver, in the closing commit's tree. */
static int check_complete(struct cc *k, const char *month)
{
	const struct ss_sample *s;
	char dir[SS_LAYOUT_PATH_MAX], path[SS_LAYOUT_PATH_MAX],
	    first[SS_ID_LEN + 1] = "", first_role[40] = "";
	size_t i, r, missing = 0;
	bool sampled;
	int err = ss_verify_sample_at(k->v, &k->after, month, &s, &sampled);

	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (!sampled) {
		ss_verify_problem(k->v, k->hex, "", _("%s was closed before it was sampled"),
		                  month);
		return 0;
	}
	if (s == NULL)
		return 0;
	for (i = 0; i < s->n; i++) {
		const char *id = s->records[i].id;
		char **names = NULL;
		size_t n = 0, j;
		struct ss_oid blob;
		bool waived;

		ss_layout_waiver(path, sizeof(path), month, id);
		err = ss_verify_tree_blob(k->v, &k->after, path, &blob);
		if (err && err != SS_ENOTFOUND)
			return err == SS_ENOMEM ? err : 0;
		waived = err == 0;
		if (waived)
			continue;
		ss_layout_verdict_dir(dir, sizeof(dir), month, id);
		err = ss_verify_tree_list(k->v, &k->after, dir, &names, &n);
		if (err && err != SS_ENOTFOUND)
			return err == SS_ENOMEM ? err : 0;
		for (r = 0; r < s->nroles; r++) {
			const char *role = s->roles[r].role;
			bool found = false;

			if (!ss_sample_role_has(s, role, id))
				continue;
			for (j = 0; j < n && !found; j++)
				found = ss_layout_verdict_file_in_role(names[j], role);
			if (found)
				continue;
			if (missing++ == 0) {
				snprintf(first, sizeof(first), "%s", id);
				snprintf(first_role, sizeof(first_role), "%s", role);
			}
		}
		ss_strv_free(names, n);
	}
	if (missing > 0)
		ss_verify_problem(
		    k->v, k->hex, "",
		    _("%s was signed off with %zu verdict%s missing and not waived (the first: %s "
		      "for %s %s)"),
		    month, missing, missing == 1 ? "" : "s", first, ss_role_a_an(first_role),
		    first_role);
	return 0;
}

int ss_verify_check_close(struct cc *k, const char *month)
{
	char path[SS_LAYOUT_PATH_MAX], *data = NULL, *m = NULL, *by = NULL, *reason = NULL;
	size_t len = 0, i;
	bool closed;
	int err, before;

	k->v->sum->closes++;
	ss_verify_permitted(k, ss_rules_may(k->act), "");
	ss_layout_closed(path, sizeof(path), month);
	before = ss_verify_closed_at(k->v, &k->before, month);
	if (before == SS_ENOMEM)
		return before;
	if ((err = ss_verify_read_in(k, &k->after, path, &data, &len)) != 0 || data == NULL)
		return err;
	/* The writers' own codec: it also refuses a sign-off filed under another
	 * month and a reopening without a reason. */
	err = ss_closed_from_json(data, len, path, &m, &closed, &by, &reason);
	if (err == SS_ENOMEM) {
		free(data);
		return err;
	}
	if (err) {
		ss_verify_problem(k->v, k->hex, path, _("the sign-off is not valid: %s"),
		                  ss_error_message());
	} else {
		if (k->signer != NULL && strcmp(by, k->signer->handle) != 0)
			ss_verify_problem(k->v, k->hex, path,
			                  _("the sign-off says it is by '%s', but %s signed it"),
			                  by, k->signer->handle);
		if (k->act == SS_ACTION_CLOSE && !closed)
			ss_verify_problem(k->v, k->hex, path,
			                  _("a close commit that leaves the month open"));
		if (k->act == SS_ACTION_CLOSE && before == CLOSED_YES)
			ss_verify_problem(k->v, k->hex, path,
			                  _("%s was closed again without being reopened"), month);
		if (k->act == SS_ACTION_REOPEN && closed)
			ss_verify_problem(k->v, k->hex, path,
			                  _("a reopen commit that leaves the month closed"));
		if (k->act == SS_ACTION_REOPEN && before != CLOSED_YES)
			ss_verify_problem(k->v, k->hex, path,
			                  _("%s was reopened, but it was not closed"), month);
	}
	free(m);
	free(by);
	free(reason);
	free(data);
	if (k->act == SS_ACTION_CLOSE && (err = check_complete(k, month)) != 0)
		return err;
	for (i = 0; i < k->ch.n; i++) {
		const struct vpath *p = &k->ch.v[i];
		struct ss_waiver w;

		if (p->l.kind != SS_LAYOUT_WAIVER || !ss_verify_path_allowed(k->act, p) ||
		    strcmp(p->l.month, month) != 0)
			continue;
		if (before == CLOSED_YES)
			ss_verify_problem(k->v, k->hex, p->path,
			                  _("a record was waived in a closed month (refused until "
			                    "it is reopened)"));
		if ((err = check_in_share(k, p, NULL)) != 0)
			return err;
		if ((err = ss_verify_read_in(k, &k->after, p->path, &data, &len)) != 0 ||
		    data == NULL)
			return err;
		err = ss_waiver_from_json(data, len, p->path, &w);
		free(data);
		if (err == SS_ENOMEM)
			return err;
		if (err) {
			ss_verify_problem(k->v, k->hex, p->path, _("the waiver is not valid: %s"),
			                  ss_error_message());
			continue;
		}
		if (strcmp(w.month, month) != 0 || strcmp(w.id, p->l.id) != 0)
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("the waiver says it is of %s in %s, which is not where it is filed"),
			    w.id, w.month);
		if (k->signer != NULL && strcmp(w.by, k->signer->handle) != 0)
			ss_verify_problem(k->v, k->hex, p->path,
			                  _("the waiver says it is by '%s', but %s signed it"),
			                  w.by, k->signer->handle);
		ss_waiver_release(&w);
	}
	return 0;
}

/* Is the record on the follow-up list in the state the response lands on:
 * a verdict there gives one of the month's follow_up answers? */
static int on_follow_up(struct cc *k, const struct vpath *p, bool *yes)
{
	const struct ss_policy *pol = month_policy(k, p->l.month, NULL);
	char dir[SS_LAYOUT_PATH_MAX], path[SS_LAYOUT_PATH_MAX + 64], **names = NULL;
	size_t n = 0, i;
	int err;

	*yes = false;
	ss_layout_verdict_dir(dir, sizeof(dir), p->l.month, p->l.id);
	err = ss_verify_tree_list(k->v, &k->before, dir, &names, &n);
	if (err == SS_ENOTFOUND)
		return 0;
	for (i = 0; !err && i < n && !*yes && pol != NULL; i++) {
		struct ss_verdict vd;
		char *data = NULL;
		size_t len = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if ((err = ss_verify_tree_read(k->v, &k->before, path, &data, &len)) != 0)
			break;
		err = ss_verdict_from_json(data, len, path, &vd);
		free(data);
		if (err == SS_ENOMEM)
			break;
		if (err) { /* an invalid verdict is reported where it was committed */
			err = 0;
			continue;
		}
		*yes = ss_verdict_follows_up(&vd, pol);
		ss_verdict_release(&vd);
	}
	ss_strv_free(names, n);
	return err == SS_ENOMEM ? err : 0;
}

int ss_verify_check_response(struct cc *k, const struct vpath *p)
{
	struct ss_response r;
	char dir[SS_LAYOUT_PATH_MAX], **names = NULL, *data = NULL;
	size_t n = 0, len = 0;
	bool listed = false;
	int err;

	k->v->sum->responses++;
	ss_verify_permitted(k, ss_rules_may(k->act), p->path);
	if (strcmp(k->tr.record, p->l.id) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the commit says it is about record '%s' (Ssaudit-Record) but the "
		      "response is to %s"),
		    k->tr.record, p->l.id);
	if ((err = on_follow_up(k, p, &listed)) != 0)
		return err;
	if (!listed)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("%s of %s was not on the follow-up list (no verdict on it gave an "
		      "answer that asks for follow-up), so it could not be responded to"),
		    p->l.id, p->l.month);
	/* The next number at the state it lands on: 1 + the record's responses there. */
	ss_layout_response_dir(dir, sizeof(dir), p->l.month, p->l.id);
	err = ss_verify_tree_list(k->v, &k->before, dir, &names, &n);
	if (err == SS_ENOMEM)
		return err;
	if (p->l.number != n + 1)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the response is numbered %04u, but the record had %zu "
		                    "response%s before it, so the next is %04zu"),
		                  p->l.number, n, n == 1 ? "" : "s", n + 1);
	ss_strv_free(names, n);
	if ((err = ss_verify_read_changed(k, p, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_response_from_json(data, len, p->path, &r);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, p->path, _("the response is not valid: %s"),
		                  ss_error_message());
		return 0;
	}
	if (strcmp(r.month, p->l.month) != 0 || strcmp(r.id, p->l.id) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the response says it is to %s in %s, which is not where it is "
		                    "filed"),
		                  r.id, r.month);
	if (k->signer != NULL && strcmp(r.by, k->signer->handle) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the response says it is by '%s', but %s signed it"), r.by,
		                  k->signer->handle);
	if (k->pol != NULL && !ss_policy_response_known(k->pol, r.action))
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("'%s' is not a response the policy in force allows"), r.action);
	ss_response_release(&r);
	return 0;
}
