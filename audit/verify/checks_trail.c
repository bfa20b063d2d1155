/*
 * checks_trail.c - the acts on the trail itself: policy, reviewer add and
 * remove, import, sample, reveal's access log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "record.h"
#include "pseudonym.h"
#include "verdict.h"
#include "verify_int.h"

int ss_verify_check_policy(struct cc *k)
{
	ss_verify_permitted(k, ss_rules_may(k->act), SS_LAYOUT_POLICY);
	if (k->after.pol != NULL && k->after.pol->pol == NULL)
		ss_verify_problem(k->v, k->hex, SS_LAYOUT_POLICY,
		                  _("the new policy is not valid: %s"), k->after.pol->error);
	return 0;
}

int ss_verify_check_reviewer(struct cc *k, const struct vpath *p)
{
	const struct ss_reviewer *now = ss_verify_find_handle(k->after.reg, p->l.handle);
	const struct ss_reviewer *before = ss_verify_find_handle(k->before.reg, p->l.handle);
	char when[21];

	if (now == NULL || k->after.reg == k->before.reg)
		return 0; /* the register could not be read: reported */
	ss_clock_rfc3339(k->c->commit_time, when);
	if (k->tr.role[0] != '\0' && strcmp(k->tr.role, now->role) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the commit says the role is '%s' (Ssaudit-Role) but the "
		                    "reviewer's file says "
		                    "'%s'"),
		                  k->tr.role, now->role);
	if (k->act == SS_ACTION_REVIEWER_ADD) {
		const struct ss_reviewer *other;

		if (now->removed != NULL)
			ss_verify_problem(k->v, k->hex, p->path,
			                  _("%s is registered as already removed"), now->handle);
		if (k->pol != NULL && ss_policy_role(k->pol, now->role) == NULL)
			ss_verify_problem(k->v, k->hex, p->path,
			                  _("the policy in force has no role '%s'"), now->role);
		if (k->signer != NULL && k->role != NULL && !ss_role_registers(k->role, now->role))
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("%s is %s %s, and the policy in force does not let %s %s "
			      "register %s %s"),
			    k->signer->handle, ss_role_a_an(k->signer->role), k->signer->role,
			    ss_role_a_an(k->signer->role), k->signer->role, ss_role_a_an(now->role),
			    now->role);
		if (now->has_key && (other = ss_verify_find_key(k->before.reg, now->pk)) != NULL)
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    _("the key registered for %s is already %s's (one key, one person)"),
			    now->handle, other->handle);
		return 0;
	}
	if (before == NULL)
		return 0;
	if (before->removed != NULL) {
		ss_verify_problem(k->v, k->hex, p->path, _("%s had already been removed on %s"),
		                  before->handle, before->removed);
		return 0;
	}
	if (now->removed == NULL) {
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("a reviewer-remove commit that does not mark %s removed"),
		                  now->handle);
		return 0;
	}
	if (strcmp(now->name, before->name) != 0 || strcmp(now->email, before->email) != 0 ||
	    strcmp(now->role, before->role) != 0 || now->has_key != before->has_key ||
	    memcmp(now->pk, before->pk, sizeof(now->pk)) != 0 ||
	    strcmp(now->added, before->added) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("a removal may only mark %s removed, but it also changed their name, email, "
		      "role, key or date of registration"),
		    now->handle);
	if (strcmp(now->removed, when) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("%s is marked removed on %s, but the commit was made on %s (the date decides "
		      "which of their signatures stock git accepts)"),
		    now->handle, now->removed, when);
	if (k->signer != NULL && k->role != NULL && !ss_role_registers(k->role, before->role))
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("%s is %s %s, and the policy in force does not let %s %s remove %s %s"),
		    k->signer->handle, ss_role_a_an(k->signer->role), k->signer->role,
		    ss_role_a_an(k->signer->role), k->signer->role, ss_role_a_an(before->role),
		    before->role);
	return 0;
}

/* Each reviewing role's roles/ROLE.ids, added by the sample commit, must hold
 * exactly that role's subset (sorted, one id a line); no other role's. */
static int check_role_ids(struct cc *k, const struct ss_sample *s, const char *month)
{
	struct ss_buf want = SS_BUF_INIT;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t i, len = 0;
	int err = 0;

	for (i = 0; i < k->ch.n; i++) {
		const struct vpath *q = &k->ch.v[i];

		if (q->l.kind == SS_LAYOUT_ROLE_IDS && ss_sample_role(s, q->l.role) == NULL)
			ss_verify_problem(
			    k->v, k->hex, q->path,
			    _("the sample gives the role '%s' nothing to review, so it has "
			      "no list of ids"),
			    q->l.role);
	}
	for (i = 0; i < s->nroles; i++) {
		const struct ss_sample_role *r = &s->roles[i];

		ss_buf_reset(&want);
		ss_layout_role_ids(path, sizeof(path), month, r->role);
		if ((err = ss_sample_role_ids(s, r, &want)) != 0)
			goto out;
		err = ss_verify_tree_read(k->v, &k->after, path, &data, &len);
		if (err == SS_ENOMEM)
			goto out;
		if (err) {
			ss_verify_problem(
			    k->v, k->hex, path,
			    _("the sample commit has no list of the ids %s must review"), r->role);
			err = 0;
			continue;
		}
		if (len != want.len || (len > 0 && memcmp(data, want.data, len) != 0))
			ss_verify_problem(
			    k->v, k->hex, path,
			    _("the list of ids %s must review is not the role's share of "
			      "the sample (%zu records, sorted, one a line)"),
			    r->role, r->n);
		free(data);
		data = NULL;
	}
out:
	free(data);
	ss_buf_release(&want);
	return err;
}

int ss_verify_check_sample(struct cc *k, const struct vpath *p)
{
	struct ss_sample *s = NULL;
	const struct vpol *pol = NULL;
	struct ss_oid blob;
	char popath[SS_LAYOUT_PATH_MAX], *sample = NULL;
	size_t slen = 0;
	bool taken = false;
	int err;

	k->v->sum->samples++;
	ss_verify_permitted(k, ss_rules_may(k->act), p->path);
	ss_layout_population(popath, sizeof(popath), p->l.month);
	err = ss_verify_tree_blob(k->v, &k->before, popath, &blob);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the sample was drawn before the month's population was committed (the seed "
		      "must be chosen after the records are fixed)"));
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	/* Parsed ahead of the walk when it could be (prefetch.c), else here. */
	if (!p->has_blob || (s = ss_verify_prefetched_sample(k->v, &p->blob)) == NULL) {
		if ((err = ss_verify_read_in(k, &k->after, p->path, &sample, &slen)) != 0 ||
		    sample == NULL)
			goto out;
		err = ss_sample_from_json(sample, slen, p->path, &s);
		if (err == SS_ENOMEM)
			goto out;
		if (err) {
			ss_verify_problem(k->v, k->hex, p->path, _("the sample is not valid: %s"),
			                  ss_error_message());
			err = 0;
			goto out;
		}
	}
	/* Later checks of the month read it from the state, not parsed again. */
	if (p->has_blob && (err = ss_verify_keep_sample(k->v, &p->blob, s, &taken)) != 0)
		goto out;
	if (strcmp(s->month, p->l.month) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the sample is drawn for month %s, not %s"), s->month,
		                  p->l.month);
	if ((pol = ss_verify_policy_of(k->v, s->policy_sha256)) == NULL) {
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the sample names a policy (SHA-256 %s) that was never in "
		                    "force in this trail"),
		                  s->policy_sha256);
		goto out;
	}
	if (pol != k->before.pol)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the sample was drawn under an earlier policy (SHA-256 %s), not the one in "
		      "force (SHA-256 %s)"),
		    pol->sha, k->before.pol != NULL ? k->before.pol->sha : _("none"));
	/* New samples are v2; a v1 sample only in an old trail, under a policy
	 * that predates random cores. */
	if (s->version == 1 && pol->pol != NULL && pol->pol->random != NULL)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the sample uses the old algorithm %s, but its policy has a random "
		      "core (sample.random), which only %s draws"),
		    SS_SAMPLE_ALGORITHM_V1, SS_SAMPLE_ALGORITHM);
	if (s->version == 2 && (err = check_role_ids(k, s, p->l.month)) != 0)
		goto out;
	err = ss_verify_rederive(k, &k->after, p->path, p->l.month, s);
out:
	if (!taken)
		ss_sample_free(s);
	free(sample);
	return err;
}

/* A use of reveal: a new access/NNNN.json, the next number, by someone whose
 * role may reveal, well formed (pseudonyms, reason, who, count: no room for
 * an identity), its reason redacted as reveal redacts it. */
int ss_verify_check_reveal(struct cc *k, const struct vpath *p)
{
	struct ss_access a;
	struct ss_buf red = SS_BUF_INIT;
	char *data = NULL, **names = NULL;
	size_t len = 0, n = 0;
	int err;

	ss_verify_permitted(k, ss_rules_may(k->act), p->path);
	err = ss_verify_tree_list(k->v, &k->before, SS_LAYOUT_ACCESS, &names, &n);
	if (err == SS_ENOTFOUND)
		n = 0;
	else if (err)
		return err == SS_ENOMEM ? err : 0;
	ss_strv_free(names, n);
	if (p->l.number != n + 1)
		ss_verify_problem(k->v, k->hex, p->path,
		                  n == 1 ? _("the access log entry is numbered %04u, but the log "
		                             "had %zu entry before it, so the next is %04zu")
		                         : _("the access log entry is numbered %04u, but the log "
		                             "had %zu entries before it, so the next is %04zu"),
		                  p->l.number, n, n + 1);
	if ((err = ss_verify_read_changed(k, p, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_access_from_json(data, len, p->path, &a);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, p->path, _("the access log entry is not valid: %s"),
		                  ss_error_message());
		return 0;
	}
	if (k->signer != NULL && strcmp(a.by, k->signer->handle) != 0)
		ss_verify_problem(k->v, k->hex, p->path,
		                  _("the access log entry says it is by '%s', but %s signed it"),
		                  a.by, k->signer->handle);
	if ((err = ss_redact_text(a.reason, strlen(a.reason), &red)) == 0 &&
	    (red.len != strlen(a.reason) || memcmp(red.data, a.reason, red.len) != 0))
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    _("the reason holds what reveal always redacts (a date, postcode, "
		      "PNC id, registration, phone number or officer identifier)"));
	k->v->sum->reveals++;
	ss_buf_release(&red);
	ss_access_release(&a);
	return err == SS_ENOMEM ? err : 0;
}
