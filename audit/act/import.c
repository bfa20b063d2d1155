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
#include "json.h"
#include "layout.h"
#include "registry.h"
#include "rules.h"

/* What importing is, in a message (translated where printed). */
#define DOING N_("import records")

static int sources_json(const struct ss_population *pop, struct ss_buf *out)
{
	size_t i;
	int err = ss_buf_puts(out, "[");

	for (i = 0; !err && i < pop->nsources; i++) {
		const struct ss_source *s = &pop->sources[i];

		if ((err = ss_buf_puts(out, i ? ",\n  {\"name\": " : "\n  {\"name\": ")) ||
		    (err = ss_buf_json_string_or_null(out, s->name)) ||
		    (err = ss_buf_printf(out,
		                         ", \"sha256\": \"%s\", \"format\": \"%s\", \"rows\": %zu",
		                         s->sha256, ss_format_name(s->format), s->rows)))
			break;
		/* Rows kept by --keep-outside: said only when there are some. */
		if (s->outside > 0 &&
		    (err = ss_buf_printf(out, ", \"rows_outside_month\": %zu", s->outside)))
			break;
		if ((err = ss_buf_puts(out, "}")))
			break;
	}
	if (!err)
		err = ss_buf_puts(out, pop->nsources ? "\n]\n" : "]\n");
	return err;
}

/* The same file (by SHA-256) given twice in one import. */
static int refuse_repeated_file(const struct ss_population *pop)
{
	size_t i, j;

	for (i = 0; i < pop->nsources; i++)
		for (j = 0; j < i; j++)
			if (strcmp(pop->sources[i].sha256, pop->sources[j].sha256) == 0)
				return ss_error_set(SS_EDATA,
				                    _("%s: the same file as %s (SHA-256 %s), given "
				                      "twice; nothing was "
				                      "imported: give each file once"),
				                    pop->sources[i].name, pop->sources[j].name,
				                    pop->sources[i].sha256);
	return 0;
}

/* A file of this import already imported in another month of the trail (or
 * in this month, unless --replace replaces it). sources.json of every month at
 * the tip: a few small files, read once per import. */
static int refuse_imported_file(struct ss_writer *w, const char *month, bool replace,
                                const struct ss_population *pop)
{
	char **months = NULL, path[SS_LAYOUT_PATH_MAX], words[48];
	size_t nmonths = 0, m;
	int err = ss_git_list(w->trail, &w->tip, SS_LAYOUT_MONTHS, &months, &nmonths);

	if (err == SS_ENOTFOUND)
		return 0;
	if (err)
		return err;
	for (m = 0; !err && m < nmonths; m++) {
		struct ss_json *doc = NULL;
		struct ss_jv root, el;
		struct ss_jv_iter it = SS_JV_ITER_INIT;
		char *data = NULL;
		size_t len, i;

		if (!ss_layout_month_valid(months[m]) || (replace && strcmp(months[m], month) == 0))
			continue;
		ss_layout_sources(path, sizeof(path), months[m]);
		if (ss_git_read(w->trail, &w->tip, path, &data, &len) != 0)
			continue; /* verify reports an import without its sources */
		if (ss_json_load(data, len, path, SS_EDATA, SS_JSON_VOICE_FIELDS, &doc) != 0) {
			ss_error_clear();
			free(data);
			continue;
		}
		ss_json_root(doc, &root);
		while (!err && ss_jv_next(&root, &it, &el)) {
			struct ss_jv sha, name;

			ss_jv_get(&el, "sha256", &sha);
			ss_jv_get(&el, "name", &name);
			if (!ss_jv_is(&sha, SS_JT_STRING))
				continue;
			for (i = 0; i < pop->nsources; i++) {
				if (strcmp(ss_jv_str(&sha), pop->sources[i].sha256) != 0)
					continue;
				ss_month_words_in(months[m], ss_lang_current(), words,
				                  sizeof(words));
				err = ss_error_set(
				    SS_EDATA,
				    _("%s: this file (SHA-256 %s) was already imported for "
				      "%s%s%s%s; "
				      "nothing was imported: a month's file is imported once, so "
				      "check "
				      "that this is the right file%s"),
				    pop->sources[i].name, pop->sources[i].sha256, words,
				    ss_jv_is(&name, SS_JT_STRING) ? _(" as '") : "",
				    ss_jv_is(&name, SS_JT_STRING) ? ss_jv_str(&name) : "",
				    ss_jv_is(&name, SS_JT_STRING) ? "'" : "",
				    strcmp(months[m], month) == 0
				        ? _(" (to swap the month's records, use --replace)")
				        : "");
				break;
			}
		}
		ss_json_free(doc);
		free(data);
	}
	ss_strv_free(months, nmonths);
	return err;
}

/* Is the pseudonym key with this fingerprint the trail's at a commit? */
static int key_is_trails(struct ss_trail *t, const struct ss_oid *tip, const char *fingerprint)
{
	char *trail_fp = NULL;
	int err;

	if ((err = ss_state_fingerprint(t, tip, &trail_fp)))
		return err;
	if (strcmp(trail_fp, fingerprint) != 0)
		err = ss_error_set(SS_EPERM,
		                   _("this pseudonym key (fingerprint %s) is not the trail's (%s): "
		                     "import on the machine that holds the trail's key"),
		                   fingerprint, trail_fp);
	free(trail_fp);
	return err;
}

int ss_act_import_prepare(const char *trail, const char *home, const char *as,
                          struct ss_pseudo **ps, bool *officer_pseudonymised)
{
	struct ss_trail *t = NULL;
	struct ss_policy *pol = NULL;
	struct ss_registry *reg = NULL;
	const struct ss_reviewer *who;
	const struct ss_role *role;
	struct ss_oid tip;
	char *pjson = NULL;
	size_t plen;
	int err;

	*ps = NULL;
	if ((err = ss_state_open(trail, &t, &tip)) ||
	    (err = ss_state_pseudo_key(t, &tip, home, DOING, ps)) ||
	    (err = ss_state_policy(t, &tip, &pjson, &plen, &pol)) ||
	    (err = ss_registry_load(t, &tip, &reg)))
		goto out;
	/* Someone the policy does not let import is told so before the files are
	 * read (the writer says it again, under the lock, against its tip). */
	who = ss_registry_find(reg, as);
	role = who && !who->removed ? ss_policy_role(pol, who->role) : NULL;
	if (role != NULL && !ss_role_may(role, ss_rules_may(SS_ACTION_IMPORT))) {
		err = ss_error_set(
		    SS_EPERM, _("%s is %s %s, and the policy does not let %s %s %s%s%s"), as,
		    ss_role_a_an(who->role), ss_role_words(who->role), ss_role_a_an(who->role),
		    ss_role_words(who->role), _(ss_rules_may_words(ss_rules_may(SS_ACTION_IMPORT))),
		    _(": cannot "), _(DOING));
		goto out;
	}
	*officer_pseudonymised = pol->officer_pseudonymised;
out:
	if (err) {
		ss_pseudo_free(*ps);
		*ps = NULL;
	}
	ss_git_free(t);
	ss_policy_free(pol);
	ss_registry_free(reg);
	free(pjson);
	return err;
}

int ss_act_import(struct ss_writer *w, const char *month, const struct ss_population *pop,
                  const char *fingerprint, bool officer_pseudonymised, bool replace,
                  bool allow_empty, bool *unchanged)
{
	struct ss_buf jsonl = SS_BUF_INIT, src = SS_BUF_INIT;
	char ppath[SS_LAYOUT_PATH_MAX], spath[SS_LAYOUT_PATH_MAX], sample[SS_LAYOUT_PATH_MAX];
	char words[32], said[48], subject[512], body[2048];
	struct ss_oid blob;
	int err;

	if ((err = ss_act_require(w, SS_ACTION_IMPORT, DOING)))
		return err;
	if ((err = key_is_trails(w->trail, &w->tip, fingerprint)))
		return err;
	if (w->policy->officer_pseudonymised != officer_pseudonymised)
		return ss_error_set(SS_EBUSY,
		                    _("the policy changed while the files were read; try again"));
	ss_layout_population(ppath, sizeof(ppath), month);
	ss_layout_sources(spath, sizeof(spath), month);
	ss_layout_sample(sample, sizeof(sample), month);
	ss_month_words(month, words, sizeof(words));
	ss_month_words_in(month, ss_lang_current(), said, sizeof(said));
	if (ss_git_blob_id(w->trail, &w->tip, sample, &blob) == 0) {
		err = ss_error_set(SS_EFAIL,
		                   _("%s has already been sampled: its records can no longer be "
		                     "replaced"),
		                   said);
		goto out;
	}
	if (!replace && ss_git_blob_id(w->trail, &w->tip, ppath, &blob) == 0) {
		err = ss_error_set(
		    SS_EFAIL,
		    _("%s has already been imported; use --replace to swap its records "
		      "(allowed until it is sampled)"),
		    said);
		goto out;
	}
	if ((err = refuse_repeated_file(pop)) ||
	    (err = refuse_imported_file(w, month, replace, pop)))
		goto out;
	if (pop->n == 0 && !allow_empty) {
		err =
		    ss_error_set(SS_EDATA,
		                 _("the files hold no records for %s (a header only?); nothing was "
		                   "imported: check the files, or if the force really recorded no "
		                   "searches that month, import again with --allow-empty"),
		                 said);
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
	ss_buf_release(&jsonl);
	ss_buf_release(&src);
	return err;
}
