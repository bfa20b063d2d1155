/*
 * reveal.c - the rows behind S- and O- pseudonyms, for the one person who
 * holds the trail's pseudonym key (DESIGN.md section 2). The identities are
 * recomputed from the force's files the holder gives and never stored; each
 * use is logged first, as a signed access/NNNN.json commit (the Data
 * Protection Act 2018, Part 3, asks for a log of every consultation), and
 * only then may the caller print what was found.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "crypto.h"
#include "error.h"
#include "layout.h"
#include "registry.h"
#include "rules.h"

#define DOING N_("reveal who is behind a pseudonym") /* translated where printed */

static void wipe_free(char *s)
{
	if (s != NULL) {
		ss_memzero(s, strlen(s));
		free(s);
	}
}

void ss_reveal_release(struct ss_reveal *r)
{
	size_t i, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->nrows; i++) {
		free(r->rows[i].file);
		for (k = 0; k < SS_IDENT_COUNT; k++)
			wipe_free(r->rows[i].ident[k]);
	}
	free(r->rows);
	ss_strv_free(r->pseudonyms, r->npseudonyms);
	ss_pseudo_free(r->ps);
	memset(r, 0, sizeof(*r));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pseudonyms asked for, checked, sorted, each once. */
static int take_pseudonyms(struct ss_reveal *r, char *const *v, size_t n)
{
	size_t i;

	if (n == 0)
		return ss_error_set(SS_EUSAGE, _("give at least one pseudonym (S-... or O-...)"));
	if ((r->pseudonyms = calloc(n, sizeof(char *))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < n; i++) {
		size_t len = strlen(v[i]);

		if (!ss_pseudonym_valid_n(v[i], len, 'S') && !ss_pseudonym_valid_n(v[i], len, 'O'))
			return ss_error_set(SS_EUSAGE,
			                    _("'%s' is not a pseudonym: a subject's is S- and an "
			                      "officer's O-, then 16 letters and digits"),
			                    v[i]);
		if ((r->pseudonyms[r->npseudonyms++] = strdup(v[i])) == NULL)
			return ss_error_nomem();
	}
	qsort(r->pseudonyms, r->npseudonyms, sizeof(char *), cmp_str);
	for (i = n = 1; i < r->npseudonyms; i++) {
		if (strcmp(r->pseudonyms[i], r->pseudonyms[n - 1]) == 0)
			free(r->pseudonyms[i]);
		else
			r->pseudonyms[n++] = r->pseudonyms[i];
	}
	r->npseudonyms = n;
	return 0;
}

/* May `as`, as registered at the tip, reveal? */
static int may_reveal(const struct ss_registry *reg, const struct ss_policy *pol, const char *as)
{
	const struct ss_reviewer *who = ss_registry_find(reg, as);
	const struct ss_role *role;

	if (who == NULL || who->removed != NULL)
		return ss_error_set(SS_EPERM,
		                    _("'%s' is not registered in this trail: cannot reveal who is "
		                      "behind a pseudonym"),
		                    as);
	role = ss_policy_role(pol, who->role);
	if (role == NULL || !ss_role_may(role, ss_rules_may(SS_ACTION_REVEAL)))
		return ss_error_set(
		    SS_EPERM,
		    _("%s is %s %s, and the policy does not let %s %s reveal who is "
		      "behind a pseudonym: only the holder of the pseudonym key, in a "
		      "role with 'reveal', may"),
		    as, ss_act_a_an(who->role), ss_role_words(who->role), ss_act_a_an(who->role),
		    ss_role_words(who->role));
	return 0;
}

int ss_act_reveal_prepare(const char *trail, const char *home, const char *as,
                          char *const *pseudonyms, size_t npseudonyms, struct ss_reveal *r)
{
	struct ss_trail *t = NULL;
	struct ss_policy *pol = NULL;
	struct ss_registry *reg = NULL;
	struct ss_oid tip;
	char *pjson = NULL;
	size_t plen;
	int err;

	memset(r, 0, sizeof(*r));
	if ((err = take_pseudonyms(r, pseudonyms, npseudonyms)))
		goto out;
	if ((err = ss_state_open(trail, &t, &tip)) ||
	    (err = ss_state_policy(t, &tip, &pjson, &plen, &pol)) ||
	    (err = ss_registry_load(t, &tip, &reg)) || (err = may_reveal(reg, pol, as)) ||
	    (err = ss_state_pseudo_key(t, &tip, home, DOING, &r->ps)))
		goto out;
out:
	ss_git_free(t);
	ss_policy_free(pol);
	ss_registry_free(reg);
	free(pjson);
	return err;
}

static bool asked(const struct ss_reveal *r, const char *pseudonym)
{
	return pseudonym != NULL &&
	       bsearch(&pseudonym, r->pseudonyms, r->npseudonyms, sizeof(char *), cmp_str) != NULL;
}

static int on_row(void *arg, const struct ss_record *rec, const struct ss_row_identity *id)
{
	struct ss_reveal *r = arg;
	const char *subject = rec->str[SS_F_SUBJECT], *officer = rec->str[SS_F_OFFICER];
	struct ss_reveal_row *row;
	size_t k;

	r->read++;
	if (!asked(r, subject) && !asked(r, officer))
		return 0;
	if (r->nrows == r->caprows) {
		size_t cap = r->caprows ? r->caprows * 2 : 16;
		struct ss_reveal_row *grown = realloc(r->rows, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		r->rows = grown;
		r->caprows = cap;
	}
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	row->line = rec->line;
	snprintf(row->subject, sizeof(row->subject), "%s", subject ? subject : "");
	snprintf(row->officer, sizeof(row->officer), "%s", officer ? officer : "");
	if ((row->file = strdup(r->file)) == NULL)
		return ss_error_nomem();
	for (k = 0; k < SS_IDENT_COUNT; k++)
		if (id->ptr[k] != NULL && (row->ident[k] = strndup(id->ptr[k], id->len[k])) == NULL)
			return ss_error_nomem();
	return 0;
}

int ss_act_reveal_find(struct ss_reveal *r, char *const *files, size_t nfiles,
                       enum ss_format format, struct ss_diags *diags)
{
	struct ss_read_opts ro = {0};
	char(*sha)[65] = calloc(nfiles + 1, sizeof(*sha));
	size_t i, k;
	int err = 0, first = 0;

	ro.format = format;
	ro.pseudo = r->ps;
	ro.pseudonymise_officer = true; /* O- pseudonyms whatever the policy keeps */
	ro.on_row = on_row;
	ro.on_row_arg = r;
	if (sha == NULL)
		return ss_error_nomem();
	for (i = 0; i < nfiles; i++) {
		struct ss_population *pop = NULL;

		r->file = files[i];
		if ((err = ss_population_new(&pop)) == 0)
			err = ss_read_file(files[i], NULL, &ro, pop, diags);
		if (err == 0 && pop->nsources == 1)
			memcpy(sha[i], pop->sources[0].sha256, sizeof(sha[i]));
		ss_population_free(pop);
		/* The same file twice would count its rows twice. */
		for (k = 0; err == 0 && sha[i][0] && k < i; k++)
			if (strcmp(sha[k], sha[i]) == 0)
				err = ss_error_set(
				    SS_EUSAGE,
				    _("%s is the same file as %s (SHA-256 %s): give each "
				      "file once"),
				    files[i], files[k], sha[i]);
		if (err && err != SS_EDATA)
			break; /* a file that cannot be read, or out of memory */
		if (err && first == 0)
			first = err;
		err = 0;
	}
	r->file = NULL;
	free(sha);
	if (err == 0 && first != 0)
		err =
		    ss_error_set(first, _("nothing was looked up or logged: fix the files and try "
		                          "again"));
	return err;
}

int ss_act_reveal_log(struct ss_writer *w, struct ss_reveal *r, const char *reason)
{
	struct ss_access a;
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char path[SS_LAYOUT_PATH_MAX], subject[256], fp[33], *trail_fp = NULL, **names = NULL;
	char *redacted = NULL;
	size_t n = 0, i;
	int err;

	memset(&a, 0, sizeof(a));
	if ((err = ss_act_require(w, SS_ACTION_REVEAL, DOING)))
		return err;
	if (ss_act_blank(reason))
		return ss_error_set(SS_EUSAGE,
		                    _("say why with --reason TEXT (the request or case it "
		                      "answers); every use of reveal is logged"));
	if ((err = ss_act_check_text(_("the reason"), reason, SS_ACT_NOTE_MAX)))
		return err;
	/* The key again, against the tip held: trail.json never changes, but a
	 * writer trusts only what it holds. */
	ss_pseudo_fingerprint(r->ps, fp);
	if ((err = ss_state_fingerprint(w->trail, &w->tip, &trail_fp)))
		return err;
	if (strcmp(fp, trail_fp) != 0) {
		err =
		    ss_error_set(SS_EPERM, _("this pseudonym key is not the trail's: cannot reveal "
		                             "who is behind a pseudonym"));
		goto out;
	}
	err = ss_git_list(w->trail, &w->tip, SS_LAYOUT_ACCESS, &names, &n);
	if (err == SS_ENOTFOUND) {
		ss_error_clear();
		err = 0;
		n = 0;
	}
	if (err)
		goto out;
	if (n >= SS_LAYOUT_NUMBER_MAX) {
		err = ss_error_set(SS_EFAIL, _("the access log is full (%u entries)"),
		                   SS_LAYOUT_NUMBER_MAX);
		goto out;
	}
	r->number = (unsigned)n + 1;
	if ((err = ss_act_redact(reason, &redacted)))
		goto out;
	a.pseudonyms = r->pseudonyms;
	a.npseudonyms = r->npseudonyms;
	a.reason = redacted;
	a.by = w->handle;
	a.found = r->nrows;
	if ((err = ss_access_to_json(&a, &json)))
		goto out;
	ss_layout_access(path, sizeof(path), r->number);
	snprintf(subject, sizeof(subject), "reveal: %zu pseudonym%s, %zu row%s found, by %s (%s)",
	         r->npseudonyms, r->npseudonyms == 1 ? "" : "s", r->nrows, r->nrows == 1 ? "" : "s",
	         w->handle, w->actor->role);
	ss_buf_printf(&body, "%s (%s) looked up who is behind ", w->actor->name, w->actor->role);
	for (i = 0; i < r->npseudonyms; i++)
		ss_buf_printf(&body, "%s%s",
		              i == 0                    ? ""
		              : i + 1 == r->npseudonyms ? " and "
		                                        : ", ",
		              r->pseudonyms[i]);
	ss_buf_printf(&body, " in the force's files, and found %zu row%s. Reason: %s", r->nrows,
	              r->nrows == 1 ? "" : "s", redacted);
	err = ss_writer_commit_file(w, SS_ACTION_REVEAL, NULL, NULL, subject, &body, path, &json);
out:
	if (err)
		r->number = 0;
	free(redacted);
	free(trail_fp);
	ss_strv_free(names, n);
	ss_buf_release(&json);
	ss_buf_release(&body);
	return err;
}
