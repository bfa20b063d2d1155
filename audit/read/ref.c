/*
 * ref.c - a record named by the force's reference (ref.h).
 */
#include "ref.h"

#include <string.h>

#include "error.h"
#include "month.h"
#include "state.h"

int ss_ref_find(const char *path, const char *month, const char *reference, char out[SS_ID_LEN + 1])
{
	struct ss_trail *t = NULL;
	struct ss_population *pop = NULL;
	struct ss_oid tip;
	char words[48];
	size_t i;
	int err;

	out[0] = '\0';
	if (reference == NULL || *reference == '\0')
		return ss_error_set(SS_EUSAGE,
		                    _("--ref is empty: give the force's reference, as in "
		                      "its export (for example DP-2026-10-174927)"));
	ss_month_words_in(month, ss_lang_current(), words, sizeof(words));
	if ((err = ss_state_open(path, &t, &tip)) ||
	    (err = ss_month_population(t, &tip, month, NULL, NULL, &pop)))
		goto out;
	ss_record_id_of_reference(reference, out);
	if (ss_population_find(pop, out) != NULL)
		goto out;
	for (i = 0; i < pop->n && pop->rec[i].str[SS_F_REFERENCE] == NULL; i++)
		;
	if (i == pop->n)
		err = ss_error_set(SS_EFAIL,
		                   _("the records of %s have no references (data.police.uk's files "
		                     "carry none; only a force's own export does): name the record "
		                     "by its id instead (ssaudit list %s shows them)"),
		                   words, month);
	else
		err = ss_error_set(SS_EFAIL, _("there is no record with the reference '%s' in %s"),
		                   reference, words);
	out[0] = '\0';
out:
	ss_population_free(pop);
	ss_git_free(t);
	return err;
}
