/*
 * blind.c - blind review (blind.h): the one place that decides which
 * verdicts a reviewer may see.
 */
#include "blind.h"
#include "month.h"

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
