/*
 * sample.c - sample: draw a month's sample from the committed population,
 * the policy in force and a seed (algorithm in audit/store/sample.c), and
 * commit sample.json with each reviewing role's roles/ROLE.ids (the ids of
 * its subset, sorted). A sample, once drawn, never changes.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "crypto.h"
#include "month.h"
#include "layout.h"

int ss_act_sample(struct ss_writer *w, const char *month, const char *seed,
                  void (*progress)(void *arg, size_t records, bool done), void *progress_arg,
                  struct ss_sample **out)
{
	/* Only the ids and the fields the draw reads, as the population streams in. */
	struct ss_month_read rd = {.keep = {.fields = ss_month_draw_fields(w->policy)},
	                           .want_sha256 = true,
	                           .progress = progress,
	                           .progress_arg = progress_arg};
	struct ss_population *pop = NULL;
	struct ss_sample *s = NULL;
	struct ss_buf json = SS_BUF_INIT, *ids = NULL;
	struct ss_change *ch = NULL;
	char(*paths)[SS_LAYOUT_PATH_MAX] = NULL;
	size_t i, nch = 0, nids = 0;
	char gen[21], pol_sha[65], path[64], words[32], said[48], subject[512], body[2048];
	struct ss_oid blob;
	int err;

	if (out)
		*out = NULL;
	if ((err = ss_act_require(w, SS_ACTION_SAMPLE, N_("draw the sample"))))
		return err;
	if (seed && (err = ss_sample_seed_check(seed)))
		return err;
	ss_month_words(month, words, sizeof(words));
	ss_month_words_in(month, ss_lang_current(), said, sizeof(said));
	ss_layout_sample(path, sizeof(path), month);
	if (ss_git_blob_id(w->trail, &w->tip, path, &blob) == 0)
		return ss_error_set(SS_EFAIL,
		                    _("%s has already been sampled; a sample, once drawn, never "
		                      "changes"),
		                    said);
	if ((err = ss_month_population_read(w->trail, &w->tip, month, &rd, &pop)))
		goto out;
	if (seed == NULL) {
		ss_sample_seed_generate(gen);
		seed = gen;
	}
	ss_sha256_hex(pol_sha, w->policy_json, w->policy_len);
	if ((err = ss_sample_draw(pop, w->policy, month, seed, seed == gen, rd.sha256, pol_sha,
	                          &s)) ||
	    (err = ss_sample_to_json(s, &json)))
		goto out;
	if ((ch = calloc(s->nroles + 1, sizeof(*ch))) == NULL ||
	    (ids = calloc(s->nroles + 1, sizeof(*ids))) == NULL ||
	    (paths = calloc(s->nroles + 1, sizeof(*paths))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	ch[nch++] = (struct ss_change){path, json.data, json.len};
	nids = s->nroles;
	for (i = 0; i < s->nroles; i++) {
		if (!ss_layout_role_ids(paths[i], sizeof(paths[i]), month, s->roles[i].role)) {
			err = ss_error_set(SS_EDATA, _("role name too long: %s"), s->roles[i].role);
			goto out;
		}
		if ((err = ss_sample_role_ids(s, &s->roles[i], &ids[i])))
			goto out;
		ch[nch++] =
		    (struct ss_change){paths[i], ids[i].data ? ids[i].data : "", ids[i].len};
	}
	{
		struct ss_trailers_msg msg = {0};

		snprintf(subject, sizeof(subject), "sample: %s, %zu of %zu records by %s (%s)",
		         month, s->n, pop->n, w->handle, w->actor->role);
		snprintf(body, sizeof(body),
		         "%s drew the sample for %s: %zu of %zu records, at the rate %s, with the "
		         "%s seed \"%s\" (algorithm " SS_SAMPLE_ALGORITHM ").",
		         w->actor->name, words, s->n, pop->n, s->rate,
		         seed == gen ? "generated" : "given", seed);
		msg.action = SS_ACTION_SAMPLE;
		msg.month = month;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body;
		if ((err = ss_writer_commit(w, &msg, ch, nch, NULL)))
			goto out;
	}
	if (out) {
		*out = s;
		s = NULL;
	}
out:
	for (i = 0; i < nids; i++)
		ss_buf_release(&ids[i]);
	free(ids);
	free(ch);
	free(paths);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_buf_release(&json);
	return err;
}
