/*
 * worklist.c - a role's share of the sample and what is pending (worklist.h).
 */
#include "worklist.h"

#include <stdlib.h>

#include "error.h"
#include "month.h"
#include "verdict.h"
#include "layout.h"

int ss_worklist_ids(const struct ss_sample *s, const char *role, const char ***ids, size_t *n)
{
	size_t i;

	*ids = NULL;
	*n = 0;
	if (role) {
		const struct ss_sample_role *sr = ss_sample_role(s, role);

		char said[48];

		if (sr == NULL) {
			ss_month_words_in(s->month, ss_lang_current(), said, sizeof(said));
			return ss_error_set(SS_EFAIL, _("the role '%s' reviews nothing in %s"),
			                    ss_role_words(role), said);
		}
		if (sr->n && (*ids = calloc(sr->n, sizeof(**ids))) == NULL)
			return ss_error_nomem();
		for (i = 0; i < sr->n; i++)
			(*ids)[i] = sr->ids[i];
		*n = sr->n;
		return 0;
	}
	if (s->n && (*ids = calloc(s->n, sizeof(**ids))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		(*ids)[i] = s->records[i].id;
	*n = s->n;
	return 0;
}

bool ss_worklist_reviewed(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                          const char *id, const char *role, const char *handle)
{
	char path[256];
	struct ss_oid blob;

	ss_layout_verdict(path, sizeof(path), month, id, role, handle);
	return ss_git_blob_id(t, commit, path, &blob) == 0;
}

void ss_worklist_pending(struct ss_trail *t, const struct ss_oid *commit, const char *month,
                         const char *role, const char *handle, const char **ids, size_t *n)
{
	size_t i, kept = 0;

	for (i = 0; i < *n; i++)
		if (!ss_worklist_reviewed(t, commit, month, ids[i], role, handle))
			ids[kept++] = ids[i];
	*n = kept;
}
