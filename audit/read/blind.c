/*
 * blind.c - blind review (blind.h): the one place that decides which
 * verdicts a reviewer may see.
 */
#include "blind.h"
#include "month.h"
#include "state.h"

#include <stdlib.h>

#include <string.h>

void ss_blind_record(const struct ss_policy *pol, const struct ss_registry *reg,
                     const char *reviewer, const struct ss_verdict *v, size_t n,
                     struct ss_blind *out)
{
	const struct ss_reviewer *me;
	const struct ss_role *role;
	bool own = false;
	size_t i;

	out->hide = false;
	out->others = 0;
	if (pol == NULL || !pol->blind)
		return;
	for (i = 0; i < n; i++) {
		if (reviewer != NULL && strcmp(v[i].reviewer, reviewer) == 0)
			own = true;
		else
			out->others++;
	}
	/* Only a reviewer whose role records verdicts, and who has not yet. */
	if (reviewer == NULL || reg == NULL || own)
		return;
	me = ss_registry_find(reg, reviewer);
	if (me == NULL || (role = ss_policy_role(pol, me->role)) == NULL ||
	    !ss_role_may(role, SS_MAY_REVIEW))
		return;
	out->hide = true;
}

int ss_blind_pack_others(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                         const struct ss_policy *pol, const char *reviewer, const char *const *ids,
                         size_t n, size_t *out)
{
	struct ss_month_state *st = NULL;
	struct ss_blind b;
	size_t i, nv;
	int err;

	*out = 0;
	if (!pol->blind)
		return 0;
	if ((err = ss_month_state_load(t, commit, month, &st)))
		goto out;
	for (i = 0; i < n; i++) {
		const struct ss_verdict *v = ss_month_verdicts(st, ids[i], &nv);

		ss_blind_record(pol, NULL, reviewer, v, nv, &b);
		if (b.others)
			(*out)++;
	}
out:
	ss_month_state_free(st);
	return err;
}

void ss_blind_record_in(const struct ss_policy *pol, const struct ss_registry *reg,
                        const char *reviewer, const struct ss_sample *s, const char *id,
                        const struct ss_verdict *v, size_t n, struct ss_blind *out)
{
	const struct ss_reviewer *me;

	ss_blind_record(pol, reg, reviewer, v, n, out);
	/* hide implies a registered reviewer whose role the policy has */
	if (out->hide && s != NULL && (me = ss_registry_find(reg, reviewer)) != NULL &&
	    !ss_sample_role_has(s, me->role, id))
		out->hide = false;
}

int ss_blind_filter_state(const struct ss_policy *pol, const struct ss_registry *reg,
                          const char *reviewer, const struct ss_sample *s,
                          struct ss_month_state *st, size_t *records)
{
	struct ss_blind b;
	size_t lo, hi, k, kept = 0;

	*records = 0;
	if (st == NULL)
		return 0;
	for (lo = 0; lo < st->nverdicts; lo = hi) {
		const char *id = st->verdicts[lo].id;

		for (hi = lo + 1; hi < st->nverdicts && strcmp(st->verdicts[hi].id, id) == 0; hi++)
			;
		ss_blind_record_in(pol, reg, reviewer, s, id, &st->verdicts[lo], hi - lo, &b);
		if (b.hide)
			(*records)++;
		for (k = lo; k < hi; k++) {
			if (b.hide)
				ss_verdict_release(&st->verdicts[k]);
			else
				st->verdicts[kept++] = st->verdicts[k];
		}
	}
	st->nverdicts = kept;
	return 0;
}

int ss_blind_hidden_count(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                          const char *reviewer, const struct ss_sample *s, const char *const *ids,
                          size_t n, size_t *out)
{
	struct ss_month_state *st = NULL;
	struct ss_registry *reg = NULL;
	struct ss_policy *pol = NULL;
	struct ss_blind b;
	char *pjson = NULL;
	size_t i, nv, plen;
	int err;

	*out = 0;
	if (reviewer == NULL)
		return 0;
	if ((err = ss_state_policy(t, commit, &pjson, &plen, &pol)) || !pol->blind ||
	    (err = ss_registry_load(t, commit, &reg)) ||
	    (err = ss_month_state_load(t, commit, month, &st)))
		goto out;
	for (i = 0; i < n; i++) {
		const struct ss_verdict *v = ss_month_verdicts(st, ids[i], &nv);

		ss_blind_record_in(pol, reg, reviewer, s, ids[i], v, nv, &b);
		*out += b.hide && b.others;
	}
out:
	ss_month_state_free(st);
	ss_registry_free(reg);
	ss_policy_free(pol);
	free(pjson);
	return err;
}
