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
	if (k->after.pol != NULL && k->after.pol->pol == NULL)
		ss_verify_problem(k->v, k->hex, SS_LAYOUT_POLICY, "the new policy is not valid: %s",
		                  k->after.pol->error);
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
		if (now->has_key && (other = ss_verify_find_key(k->before.reg, now->pk)) != NULL)
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
	err = ss_verify_tree_blob(k->v, &k->after, path, &blob);
	if (err == SS_ENOTFOUND)
		ss_verify_problem(k->v, k->hex, path,
		                  "the import does not say which files the records came from");
	ss_layout_population(path, sizeof(path), month);
	err = ss_verify_tree_blob(k->v, &k->after, path, &blob);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(k->v, k->hex, path, "the import has no population");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if (ss_map_get(k->v->populations, blob.id, sizeof(blob.id)) != NULL)
		return 0;
	if ((err = ss_verify_read_in(k, &k->after, path, &data, &len)) != 0 || data == NULL)
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

/* The policy of a sample's digest: one that was in force somewhere in the trail. */
static const struct vpol *policy_of(struct vctx *v, const char *sha)
{
	size_t i;

	for (i = 0; i < v->npolicies; i++)
		if (strcmp(v->policies[i]->sha, sha) == 0)
			return v->policies[i];
	return NULL;
}

int ss_verify_rederive(struct cc *k, const struct vtree *tr, const char *path, const char *month)
{
	struct ss_sample *s = NULL;
	const struct vpol *pol;
	char popath[SS_LAYOUT_PATH_MAX], *sample = NULL, *pop = NULL;
	size_t slen = 0, plen = 0;
	int err;

	ss_layout_population(popath, sizeof(popath), month);
	if ((err = ss_verify_read_in(k, tr, path, &sample, &slen)) != 0 || sample == NULL)
		goto out;
	err = ss_sample_from_json(sample, slen, path, &s);
	if (err == SS_ENOMEM)
		goto out;
	if (err) {
		ss_verify_problem(k->v, k->hex, path, "the sample is not valid: %s",
		                  ss_error_message());
		err = 0;
		goto out;
	}
	if ((pol = policy_of(k->v, s->policy_sha256)) == NULL)
		goto out; /* reported where the sample was drawn */
	if ((err = ss_verify_read_in(k, tr, popath, &pop, &plen)) != 0 || pop == NULL)
		goto out;
	err = ss_sample_rederive(sample, slen, pop, plen, pol->json, pol->len);
	if (err == SS_ENOMEM)
		goto out;
	if (err)
		ss_verify_problem(
		    k->v, k->hex, path,
		    "the sample does not re-derive from its population, policy and seed: %s",
		    ss_error_message());
	err = 0;
out:
	ss_sample_free(s);
	free(sample);
	free(pop);
	return err;
}

int ss_verify_check_sample(struct cc *k, const struct vpath *p)
{
	struct ss_sample *s = NULL;
	const struct vpol *pol = NULL;
	struct ss_oid blob;
	char popath[SS_LAYOUT_PATH_MAX], *sample = NULL;
	size_t slen = 0;
	int err;

	k->v->sum->samples++;
	ss_verify_permitted(k, ss_rules_may(k->act), p->path);
	ss_layout_population(popath, sizeof(popath), p->l.month);
	err = ss_verify_tree_blob(k->v, &k->before, popath, &blob);
	if (err == SS_ENOTFOUND) {
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample was drawn before the month's population was committed (the seed "
		    "must be chosen after the records are fixed)");
		return 0;
	}
	if (err)
		return err == SS_ENOMEM ? err : 0;
	if ((err = ss_verify_read_in(k, &k->after, p->path, &sample, &slen)) != 0 || sample == NULL)
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
	if ((pol = policy_of(k->v, s->policy_sha256)) == NULL) {
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample names a policy (SHA-256 %s) that was never in force in this trail",
		    s->policy_sha256);
		goto out;
	}
	if (pol != k->before.pol)
		ss_verify_problem(
		    k->v, k->hex, p->path,
		    "the sample was drawn under an earlier policy (SHA-256 %s), not the one in "
		    "force (SHA-256 %s)",
		    pol->sha, k->before.pol != NULL ? k->before.pol->sha : "none");
	err = ss_verify_rederive(k, &k->after, p->path, p->l.month);
out:
	ss_sample_free(s);
	free(sample);
	return err;
}
