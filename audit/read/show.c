/*
 * show.c - one record with what is known about it (show.h).
 */
#include "show.h"

#include <stdlib.h>

#include "blind.h"
#include "error.h"
#include "month.h"
#include "state.h"
#include "registry.h"

const enum ss_field ss_show_current_fields[SS_SHOW_NCURRENT] = {SS_F_OUTCOME, SS_F_OUTCOME_LINKED};

struct ss_show_owned {
	struct ss_trail *t;
	struct ss_population *pop;
	struct ss_sample *s;
	struct ss_policy *pol;
	char *pjson;
	struct ss_registry *reg;
	struct ss_month_state *st;
};

int ss_show_load(const char *path, const char *month, const char *id, const char *as,
                 struct ss_show **out)
{
	struct ss_show *sh = NULL;
	struct ss_show_owned *o;
	struct ss_blind blind;
	struct ss_oid tip;
	size_t plen, k;
	int err;

	*out = NULL;
	if ((sh = calloc(1, sizeof(*sh))) == NULL || (sh->owned = calloc(1, sizeof(*o))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	o = sh->owned;
	if ((err = ss_state_open(path, &o->t, &tip)) ||
	    (err = ss_month_population(o->t, &tip, month, NULL, NULL, &o->pop)))
		goto out;
	if ((sh->record = ss_population_find(o->pop, id)) == NULL) {
		char said[48];

		ss_month_words_in(month, ss_lang_current(), said, sizeof(said));
		err = ss_error_set(SS_EFAIL, _("there is no record '%s' in %s"), id, said);
		goto out;
	}
	/* Not sampled yet is no error: show says so. */
	if (ss_month_sample(o->t, &tip, month, &o->s) == 0)
		sh->sampled = ss_sample_find(o->s, sh->record->id);
	sh->drawn = o->s != NULL;
	if ((err = ss_state_policy(o->t, &tip, &o->pjson, &plen, &o->pol)) ||
	    (err = ss_registry_load(o->t, &tip, &o->reg)) ||
	    (err = ss_month_state_load(o->t, &tip, month, &o->st)))
		goto out;
	sh->policy = o->pol;
	sh->verdicts = ss_month_verdicts(o->st, sh->record->id, &sh->nverdicts);
	sh->corrections = ss_month_corrections(o->st, sh->record->id, &sh->ncorrections);
	sh->waiver = ss_month_waiver(o->st, sh->record->id);
	sh->responses = ss_month_responses(o->st, sh->record->id, &sh->nresponses);
	ss_blind_record_in(o->pol, o->reg, as, o->s, sh->record->id, sh->verdicts, sh->nverdicts,
	                   &blind);
	sh->verdicts_hidden = blind.hide;
	for (k = 0; k < SS_SHOW_NCURRENT; k++)
		sh->current[k] = ss_month_current(o->st, sh->record, ss_show_current_fields[k]);
	sh->closed = o->st->closed;
	sh->closed_by = o->st->closed_by;
	*out = sh;
	sh = NULL;
out:
	ss_show_free(sh);
	return err;
}

void ss_show_free(struct ss_show *sh)
{
	struct ss_show_owned *o;

	if (sh == NULL)
		return;
	if ((o = sh->owned) != NULL) {
		ss_month_state_free(o->st);
		ss_registry_free(o->reg);
		ss_policy_free(o->pol);
		free(o->pjson);
		ss_sample_free(o->s);
		ss_population_free(o->pop);
		ss_git_free(o->t);
		free(o);
	}
	free(sh);
}
