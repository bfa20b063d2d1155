/*
 * import.c - import: commit a month's population (population.jsonl) and its
 * sources (sources.json), read, validated and pseudonymised by the caller.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "layout.h"

static int sources_json(const struct ss_population *pop, struct ss_buf *out)
{
	size_t i;
	int err = ss_buf_puts(out, "[");

	for (i = 0; !err && i < pop->nsources; i++) {
		const struct ss_source *s = &pop->sources[i];

		if ((err = ss_buf_puts(out, i ? ",\n  {\"name\": " : "\n  {\"name\": ")) ||
		    (err = ss_buf_json_string_or_null(out, s->name)) ||
		    (err = ss_buf_printf(out,
		                         ", \"sha256\": \"%s\", \"format\": \"%s\", \"rows\": %zu}",
		                         s->sha256, ss_format_name(s->format), s->rows)))
			break;
	}
	if (!err)
		err = ss_buf_puts(out, pop->nsources ? "\n]\n" : "]\n");
	return err;
}

int ss_act_import(struct ss_writer *w, const char *month, const struct ss_population *pop,
                  const char *fingerprint, bool replace, bool *unchanged)
{
	struct ss_buf jsonl = SS_BUF_INIT, src = SS_BUF_INIT;
	char *trail_fp = NULL;
	char ppath[64], spath[64], sample[64], words[32], subject[512], body[2048];
	struct ss_oid blob;
	int err;

	if ((err = ss_act_require(w, SS_ACTION_IMPORT, "import records")))
		return err;
	if ((err = ss_state_fingerprint(w->trail, &w->tip, &trail_fp)))
		return err;
	if (strcmp(trail_fp, fingerprint) != 0) {
		err = ss_error_set(SS_EPERM,
		                   "this pseudonym key (fingerprint %s) is not the trail's (%s): "
		                   "import on the machine that holds the trail's key",
		                   fingerprint, trail_fp);
		goto out;
	}
	ss_layout_population(ppath, sizeof(ppath), month);
	ss_layout_sources(spath, sizeof(spath), month);
	ss_layout_sample(sample, sizeof(sample), month);
	ss_month_words(month, words, sizeof(words));
	if (ss_trail_blob_id(w->trail, &w->tip, sample, &blob) == 0) {
		err = ss_error_set(SS_EFAIL,
		                   "%s has already been sampled: its records can no longer be "
		                   "replaced",
		                   words);
		goto out;
	}
	if (!replace && ss_trail_blob_id(w->trail, &w->tip, ppath, &blob) == 0) {
		err =
		    ss_error_set(SS_EFAIL,
		                 "%s has already been imported; use --replace to swap its records "
		                 "(allowed until it is sampled)",
		                 words);
		goto out;
	}
	if ((err = ss_population_to_jsonl(pop, &jsonl)) || (err = sources_json(pop, &src)))
		goto out;
	if (jsonl.data == NULL && (err = ss_buf_put(&jsonl, "", 0)))
		goto out;
	{
		struct ss_change ch[] = {{ppath, jsonl.data, jsonl.len},
		                         {spath, src.data, src.len}};
		struct ss_trailers_msg msg = {0};
		struct ss_buf files = SS_BUF_INIT;
		size_t i;

		for (i = 0; i < pop->nsources; i++)
			ss_buf_printf(&files, "%s%s (%zu rows, SHA-256 %s)",
			              i ? (i + 1 == pop->nsources ? " and " : ", ") : "",
			              pop->sources[i].name, pop->sources[i].rows,
			              pop->sources[i].sha256);
		snprintf(subject, sizeof(subject), "import: %s, %zu records by %s (%s)", month,
		         pop->n, w->handle, w->actor->role);
		snprintf(body, sizeof(body),
		         "%s %simported %zu stop-search records for %s from %s.", w->actor->name,
		         replace ? "re-" : "", pop->n, words, files.data ? files.data : "no file");
		ss_buf_release(&files);
		msg.action = SS_ACTION_IMPORT;
		msg.month = month;
		msg.role = w->actor->role;
		msg.subject = subject;
		msg.body = body;
		err = ss_writer_commit(w, &msg, ch, 2, unchanged);
	}
out:
	free(trail_fp);
	ss_buf_release(&jsonl);
	ss_buf_release(&src);
	return err;
}
