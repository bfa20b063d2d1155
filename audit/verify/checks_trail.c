/*
 * checks_trail.c - the acts on the trail itself: policy, reviewer add and
 * remove, import, sample.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "verify_int.h"

int ss_verify_check_policy(struct cc *k)
{
	ss_verify_permitted(k, ss_rules_may(k->act), SS_LAYOUT_POLICY);
	if (k->cs->pol != NULL && k->cs->pol->pol == NULL)
		ss_verify_problem(k->v, k->hex, SS_LAYOUT_POLICY, "the new policy is not valid: %s",
		                  k->cs->pol->error);
	return 0;
}

int ss_verify_check_reviewer(struct cc *k, const struct vpath *p)
{
	const struct ss_reviewer *now = ss_verify_find_handle(k->cs->reg, p->l.handle);
	const struct ss_reviewer *before = ss_verify_find_handle(k->parent->reg, p->l.handle);
	char when[21];

	if (now == NULL || k->cs->reg == k->parent->reg)
		return 0; /* the register could not be read: reported */
	ss_clock_rfc3339(k->c->commit_time, when);
	if (k->tr.role[0] != '\0' && strcmp(k->tr.role, now->role) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the commit says the role is '%s' (Ssaudit-Role) but the reviewer's file says "
		    "'%s'",
		    k->tr.role, now->role);
	if (k->act == SS_ACTION_REVIEWER_ADD) {
		const struct ss_reviewer *other;

		if (now->removed != NULL)
			ss_verify_problem(k->v, k->hex, p->path,
			                  "%s is registered as already removed", now->handle);
		if (k->pol != NULL && ss_policy_role(k->pol, now->role) == NULL)
			ss_verify_problem(k->v, k->hex, p->path,
			                  "the policy in force has no role '%s'", now->role);
		if (k->signer != NULL && k->role != NULL && !ss_role_registers(k->role, now->role))
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    "%s is a %s, and the policy in force does not let a %s register a %s",
			    k->signer->handle, k->signer->role, k->signer->role, now->role);
		if (now->has_key && (other = ss_verify_find_key(k->parent->reg, now->pk)) != NULL)
			ss_verify_problem(
			    k->v, k->hex, p->path,
			    "the key registered for %s is already %s's (one key, one person)",
			    now->handle, other->handle);
		return 0;
	}
	if (before == NULL)
		return 0;
	if (before->removed != NULL) {
		ss_verify_problem(k->v, k->hex, p->path, "%s had already been removed on %s",
		                  before->handle, before->removed);
		return 0;
	}
	if (now->removed == NULL) {
		ss_verify_problem(k->v, k->hex, p->path,
		                  "a reviewer-remove commit that does not mark %s removed",
		                  now->handle);
		return 0;
	}
	if (strcmp(now->name, before->name) != 0 || strcmp(now->email, before->email) != 0 ||
	    strcmp(now->role, before->role) != 0 || now->has_key != before->has_key ||
	    memcmp(now->pk, before->pk, sizeof(now->pk)) != 0 ||
	    strcmp(now->added, before->added) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "a removal may only mark %s removed, but it also changed their name, email, "
		    "role, key or date of registration",
		    now->handle);
	if (strcmp(now->removed, when) != 0)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "%s is marked removed on %s, but the commit was made on %s (the date decides "
		    "which of their signatures stock git accepts)",
		    now->handle, now->removed, when);
	if (k->signer != NULL && k->role != NULL && !ss_role_registers(k->role, before->role))
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "%s is a %s, and the policy in force does not let a %s remove a %s",
		    k->signer->handle, k->signer->role, k->signer->role, before->role);
	return 0;
}

int ss_verify_check_import(struct cc *k, const char *month)
{
	struct ss_population *pop = NULL;
	struct ss_oid blob;
	char path[SS_LAYOUT_PATH_MAX], *data = NULL;
	size_t len = 0;
	int err;

	ss_verify_permitted(k, ss_rules_may(k->act), "");
	ss_layout_sources(path, sizeof(path), month);
	err = ss_git_blob_id(k->v->t, &k->c->oid, path, &blob);
	if (err == SS_ENOTFOUND)
		ss_verify_problem(k->v, k->hex, path,
		                  "the import does not say which files the records came from");
	ss_layout_population(path, sizeof(path), month);
	err = ss_git_blob_id(k->v->t, &k->c->oid, path, &blob);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(k->v, k->hex, path, "the import has no population");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (ss_map_get(k->v->populations, blob.id, sizeof(blob.id)) != NULL)
		return 0;
	if ((err = ss_verify_read_at(k, &k->c->oid, path, &data, &len)) != 0 || data == NULL)
		return err;
	err = ss_population_from_jsonl(data, len, path, &pop);
	free(data);
	if (err == SS_ENOMEM)
		return err;
	if (err) {
		ss_verify_problem(k->v, k->hex, path, "the population is not valid: %s",
		                  ss_error_message());
		return 0;
	}
	return ss_verify_keep_population(k->v, &blob, pop);
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
			    "the sample gives the role '%s' nothing to review, so it has "
			    "no list of ids",
			    q->l.role);
	}
	for (i = 0; i < s->nroles; i++) {
		const struct ss_sample_role *r = &s->roles[i];

		ss_buf_reset(&want);
		ss_layout_role_ids(path, sizeof(path), month, r->role);
		if ((err = ss_sample_role_ids(r, &want)) != 0)
			goto out;
		err = ss_git_read(k->v->t, &k->c->oid, path, &data, &len);
		if (err == SS_ENOMEM)
			goto out;
		if (err) {
			ss_verify_problem(k->v, k->hex, path,
			                  "the sample commit has no list of the ids %s must review",
			                  r->role);
			err = 0;
			continue;
		}
		if (len != want.len || (len > 0 && memcmp(data, want.data, len) != 0))
			ss_verify_problem(
			    k->v, k->hex, path,
			    "the list of ids %s must review is not the role's share of "
			    "the sample (%zu records, sorted, one a line)",
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
	char popath[SS_LAYOUT_PATH_MAX], *sample = NULL, *pop = NULL;
	size_t slen = 0, plen = 0, i;
	int err;

	k->v->sum->samples++;
	ss_verify_permitted(k, ss_rules_may(k->act), p->path);
	ss_layout_population(popath, sizeof(popath), p->l.month);
	err = ss_git_blob_id(k->v->t, &k->c->parents[0], popath, &blob);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample was drawn before the month's population was committed (the seed "
		    "must be chosen after the records are fixed)");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if ((err = ss_verify_read_at(k, &k->c->oid, p->path, &sample, &slen)) != 0 ||
	    sample == NULL)
		goto out;
	err = ss_sample_from_json(sample, slen, p->path, &s);
	if (err == SS_ENOMEM)
		goto out;
	if (err) {
		ss_verify_problem(k->v, k->hex, p->path, "the sample is not valid: %s",
		                  ss_error_message());
		err = 0;
		goto out;
	}
	if (strcmp(s->month, p->l.month) != 0)
		ss_verify_problem(k->v, k->hex, p->path, "the sample is drawn for month %s, not %s",
		                  s->month, p->l.month);
	for (i = 0; i < k->v->npolicies; i++)
		if (strcmp(k->v->policies[i]->sha, s->policy_sha256) == 0)
			pol = k->v->policies[i];
	if (pol == NULL) {
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample names a policy (SHA-256 %s) that was never in force in this trail",
		    s->policy_sha256);
		goto out;
	}
	if (pol != k->parent->pol)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample was drawn under an earlier policy (SHA-256 %s), not the one in "
		    "force (SHA-256 %s)",
		    pol->sha, k->parent->pol != NULL ? k->parent->pol->sha : "none");
	/* New samples are v2; a v1 sample only in an old trail, under a policy
	 * that predates random cores. */
	if (s->version == 1 && pol->pol != NULL && pol->pol->random != NULL)
		ss_verify_problem(k->v, k->hex, p->path,
		                  "the sample uses the old algorithm " SS_SAMPLE_ALGORITHM_V1
		                  ", but its policy has a random core (sample.random), which "
		                  "only " SS_SAMPLE_ALGORITHM " draws");
	if (s->version == 2 && (err = check_role_ids(k, s, p->l.month)) != 0)
		goto out;
	if ((err = ss_verify_read_at(k, &k->c->oid, popath, &pop, &plen)) != 0 || pop == NULL)
		goto out;
	err = ss_sample_rederive(sample, slen, pop, plen, pol->json, pol->len);
	if (err == SS_ENOMEM)
		goto out;
	if (err)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample does not re-derive from its population, policy and seed: %s",
		    ss_error_message());
	err = 0;
out:
	ss_sample_free(s);
	free(sample);
	free(pop);
	return err;
}
