/*
 * policy.c - policy set: replace policy.json. Months already sampled keep
 * the policy they were sampled under (its digest is in their sample.json).
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>

#include "error.h"
#include "policy.h"
#include "layout.h"

int ss_act_policy_set(struct ss_writer *w, const char *path, bool *unchanged)
{
	struct ss_policy *np = NULL;
	char *json = NULL;
	size_t len = 0, i;
	char subject[512];
	int err;

	if ((err = ss_act_require(w, SS_ACTION_POLICY, N_("replace the policy"))))
		return err;
	if ((err = ss_file_read(path, &json, &len)))
		return err;
	if ((err = ss_policy_parse(json, len, path, &np)))
		goto out;
	for (i = 0; i < w->registry->n; i++) {
		const struct ss_reviewer *r = &w->registry->r[i];

		if (r->removed == NULL && ss_policy_role(np, r->role) == NULL) {
			err = ss_error_set(
			    SS_ECONFIG,
			    _("%s: the policy has no role '%s', which %s holds; remove "
			      "them first or keep the role"),
			    path, r->role, r->handle);
			goto out;
		}
	}
	{
		const struct ss_role *mine = ss_policy_role(np, w->actor->role);

		if (!ss_role_may(mine, SS_MAY_POLICY)) {
			err = ss_error_set(SS_ECONFIG,
			                   _("%s: the role '%s' could no longer change the policy; "
			                     "refusing to lock you out"),
			                   path, w->actor->role);
			goto out;
		}
	}
	{
		struct ss_change ch = {SS_LAYOUT_POLICY, json, len};
		struct ss_trailers_msg msg = {0};
		char body[1024];

		snprintf(subject, sizeof(subject), "policy: '%s' by %s (%s)", np->name, w->handle,
		         w->actor->role);
		snprintf(body, sizeof(body),
		         "%s put the policy '%s' in force. Months already sampled keep the policy "
		         "they were sampled under.",
		         w->actor->name, np->name);
		msg.action = SS_ACTION_POLICY;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body;
		err = ss_writer_commit(w, &msg, &ch, 1, unchanged);
	}
out:
	ss_policy_free(np);
	free(json);
	return err;
}
