/*
 * correct.c - correct a search's outcome (or whether it was linked to the
 * object of the search): one file per correction, numbered 0001, 0002, ...
 * per record (the next number taken under the writer's lock, so two sites
 * correcting one record at once write the same path and sync sees the
 * conflict), in any month of the population, open or closed. The original
 * record stays.
 */
#include "act.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "check.h"
#include "error.h"
#include "month.h"
#include "layout.h"
#include "sheet.h"

/* An outcome the policy's outcomes.values do not hold: refused, with the list. */
static int unknown_outcome(const struct ss_policy *pol, const char *outcome)
{
	struct ss_buf list = SS_BUF_INIT;
	size_t i;
	int err;

	for (i = 0; i < pol->noutcomes; i++)
		ss_buf_printf(&list, "%s'%s'", i ? ", " : "", pol->outcomes[i]);
	if (list.data == NULL && pol->noutcomes > 0)
		return ss_error_nomem();
	err = ss_error_set(SS_EDATA,
	                   _("'%s' is not an outcome the policy allows (check the spelling); the "
	                     "outcome must be one of: %s"),
	                   outcome, list.data ? list.data : "(none)");
	ss_buf_release(&list);
	return err;
}

/* The request's own checks, before anything is read from the trail. */
static int check_request(const struct ss_writer *w, const struct ss_correct_req *req)
{
	int err;

	if (!req->set_outcome && !req->set_linked)
		return ss_error_set(SS_EUSAGE, _("say what to correct: --outcome VALUE, --linked "
		                                 "true|false|null, or both"));
	if (ss_act_blank(req->reason))
		return ss_error_set(SS_EUSAGE, _("say why with --reason TEXT (for example the lab "
		                                 "result or the charge)"));
	if ((err = ss_act_check_text(_("the reason"), req->reason, SS_ACT_NOTE_MAX)))
		return err;
	if (req->set_outcome && req->outcome &&
	    (ss_act_blank(req->outcome) ||
	     (err = ss_act_check_text(_("the outcome"), req->outcome, 200))))
		return err ? err
		           : ss_error_set(SS_EUSAGE, _("the outcome is empty (give the outcome's "
		                                       "words, as in the force's data)"));
	if (req->set_outcome && req->outcome && !ss_policy_outcome_known(w->policy, req->outcome))
		return unknown_outcome(w->policy, req->outcome);
	return 0;
}

/*
 * Commit one checked correction of a record of pop. A field whose value is
 * already the one asked for is refused (SS_EFAIL), or, with `same` (a file's
 * row, which a re-run meets again), left out: *same is set when no field is
 * left and nothing was committed. source (may be NULL) says where the
 * request came from, for the commit's body.
 */
static int correct_commit(struct ss_writer *w, const struct ss_population *pop,
                          const struct ss_correct_req *req, const char *source,
                          struct ss_correction *done, bool *same)
{
	struct ss_month_state *st = NULL;
	const struct ss_record *r;
	struct ss_correction c;
	struct ss_fix fx[2];
	struct ss_buf json = SS_BUF_INIT, body = SS_BUF_INIT;
	char words[32], said[48], path[256], subject[512], from[600], to[600], *reason = NULL;
	size_t i, k;
	int err;

	memset(&c, 0, sizeof(c));
	memset(fx, 0, sizeof(fx));
	if (same)
		*same = false;
	ss_month_words(req->month, words, sizeof(words));
	ss_month_words_in(req->month, ss_lang_current(), said, sizeof(said));
	if ((r = ss_population_find(pop, req->id)) == NULL)
		return ss_error_set(SS_EFAIL, _("there is no record '%s' in %s"), req->id, said);
	if ((err = ss_act_redact(req->reason, &reason)) ||
	    (err = ss_month_record_state(w->trail, &w->tip, req->month, req->id,
	                                 SS_MONTH_CORRECTIONS, &st)))
		goto out;
	c.month = (char *)req->month;
	c.id = (char *)r->id;
	c.reason = reason;
	c.by = w->handle;
	c.changes = fx;
	if (req->set_outcome) {
		fx[c.nchanges].field = SS_F_OUTCOME;
		fx[c.nchanges].from = ss_month_current(st, r, SS_F_OUTCOME);
		fx[c.nchanges].to.kind = req->outcome ? SS_RV_STRING : SS_RV_NULL;
		fx[c.nchanges].to.s = req->outcome;
		c.nchanges++;
	}
	if (req->set_linked) {
		fx[c.nchanges].field = SS_F_OUTCOME_LINKED;
		fx[c.nchanges].from = ss_month_current(st, r, SS_F_OUTCOME_LINKED);
		fx[c.nchanges].to.kind = req->linked == SS_TRI_NULL ? SS_RV_NULL : SS_RV_BOOL;
		fx[c.nchanges].to.b = req->linked == SS_TRI_TRUE;
		c.nchanges++;
	}
	for (i = k = 0; i < c.nchanges; i++) {
		if (!ss_rule_value_equal(&fx[i].from, &fx[i].to)) {
			fx[k++] = fx[i];
			continue;
		}
		if (same)
			continue;
		ss_rule_value_words(&fx[i].from, true, from, sizeof(from));
		err = ss_error_set(SS_EFAIL, _("nothing to correct: %s of record %s is already %s"),
		                   ss_field_name(fx[i].field), req->id, from);
		goto out;
	}
	if ((c.nchanges = k) == 0) {
		*same = true;
		goto out;
	}
	/* The next number at the tip held under the lock: 1 + the corrections there. */
	c.number = (unsigned)st->ncorrections + 1;
	if (c.number > SS_LAYOUT_NUMBER_MAX) {
		err = ss_error_set(SS_EFAIL,
		                   _("record %s already has %u corrections, the most a "
		                     "record can have"),
		                   req->id, SS_LAYOUT_NUMBER_MAX);
		goto out;
	}
	if ((err = ss_correction_to_json(&c, &json)))
		goto out;
	ss_layout_correction(path, sizeof(path), req->month, req->id, c.number);
	snprintf(subject, sizeof(subject), "correction: %s %s by %s (%s)", req->month, req->id,
	         w->handle, w->actor->role);
	ss_buf_printf(&body, "%s (%s) corrected record %s of %s: ", w->actor->name, w->actor->role,
	              req->id, words);
	for (i = 0; i < c.nchanges; i++) {
		ss_rule_value_words(&fx[i].from, true, from, sizeof(from));
		ss_rule_value_words(&fx[i].to, true, to, sizeof(to));
		ss_buf_printf(&body, "%s%s from %s to %s", i ? "; " : "",
		              fx[i].field == SS_F_OUTCOME ? "the outcome"
		                                          : "whether the outcome was linked to "
		                                            "the object of the search",
		              from, to);
	}
	ss_buf_printf(&body, ". Reason: %s", reason);
	if (source)
		ss_buf_printf(&body, "\n\nFrom %s.", source);
	if ((err = ss_writer_commit_file(w, SS_ACTION_CORRECTION, req->month, req->id, subject,
	                                 &body, path, &json)))
		goto out;
	if (done)
		err = ss_correction_from_json(json.data, json.len, path, done);
out:
	free(reason);
	ss_buf_release(&json);
	ss_buf_release(&body);
	ss_month_state_free(st);
	return err;
}

int ss_act_correct(struct ss_writer *w, const struct ss_correct_req *req,
                   struct ss_correction *done)
{
	struct ss_population *pop = NULL;
	int err;

	if (done)
		memset(done, 0, sizeof(*done));
	if ((err = ss_act_require(w, SS_ACTION_CORRECTION, N_("correct an outcome"))) ||
	    (err = check_request(w, req)) ||
	    (err = ss_month_population(w->trail, &w->tip, req->month, NULL, NULL, &pop)))
		return err;
	err = correct_commit(w, pop, req, NULL, done, NULL);
	ss_population_free(pop);
	return err;
}

/* ------------------------------------------------------------ a file of corrections */

enum { K_ID, K_REFERENCE, K_OUTCOME, K_LINKED, K_REASON, K_COLUMNS };

static const char *const column_names[K_COLUMNS] = {"id", "reference", "outcome", "linked",
                                                    "reason"};

/* A row turned into a request. */
struct fixrow {
	struct ss_correct_req req;
	char id[SS_ID_LEN + 1];
	size_t line;
};

static int cmp_row(const void *a, const void *b)
{
	const struct fixrow *x = *(const struct fixrow *const *)a;
	const struct fixrow *y = *(const struct fixrow *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : x->line < y->line ? -1 : x->line > y->line;
}

/* The record a row names, by id, reference or both; false with a problem reported. */
static bool row_record(const struct ss_population *pop, const char *name, const char *words,
                       const struct ss_sheet_field *fi, const struct ss_sheet_field *fr,
                       const struct ss_sheet_row *r, char id[SS_ID_LEN + 1], struct ss_diags *diags)
{
	const char *i = fi ? ss_sheet_trim(fi->text) : "", *ref = fr ? ss_sheet_trim(fr->text) : "";
	char byref[SS_ID_LEN + 1];

	if (*i == '\0' && *ref == '\0') {
		ss_diags_add(diags, name, r->line, 1,
		             _("no record named: give its id or the force's reference"));
		return false;
	}
	if (*i && !ss_record_id_valid_n(i, strlen(i))) {
		ss_diags_add(diags, name, fi->line, fi->col,
		             _("'%s' is not a record id (R- and 16 letters and digits)"), i);
		return false;
	}
	if (*ref)
		ss_record_id_of_reference(ref, byref);
	if (*i && *ref && strcmp(i, byref) != 0) {
		ss_diags_add(diags, name, fr->line, fr->col,
		             _("the reference '%s' does not belong to record %s in the id "
		               "column: check which of the two is right"),
		             ref, i);
		return false;
	}
	snprintf(id, SS_ID_LEN + 1, "%s", *i ? i : byref);
	if (ss_population_find(pop, id) == NULL) {
		if (*i)
			ss_diags_add(diags, name, fi->line, fi->col,
			             _("there is no record '%s' in %s"), i, words);
		else
			ss_diags_add(diags, name, fr->line, fr->col,
			             _("there is no record with the reference '%s' in %s"), ref,
			             words);
		return false;
	}
	return true;
}

/* One row's request; false with every problem of the row reported. */
static bool row_request(const struct ss_policy *pol, const struct ss_population *pop,
                        const char *month, const char *name, const char *words, const size_t *cols,
                        struct ss_sheet_row *r, struct fixrow *fx, struct ss_diags *diags)
{
	const struct ss_sheet_field *fo = ss_sheet_cell(r, cols[K_OUTCOME]),
	                            *fl = ss_sheet_cell(r, cols[K_LINKED]),
	                            *fe = ss_sheet_cell(r, cols[K_REASON]);
	const char *outcome = fo ? ss_sheet_trim(fo->text) : "",
	           *linked = fl ? ss_sheet_trim(fl->text) : "", *reason = ss_sheet_trim(fe->text);
	size_t before = diags->total;

	memset(fx, 0, sizeof(*fx));
	fx->line = r->line;
	fx->req.month = month;
	fx->req.id = fx->id;
	row_record(pop, name, words, ss_sheet_cell(r, cols[K_ID]),
	           ss_sheet_cell(r, cols[K_REFERENCE]), r, fx->id, diags);
	if (*outcome) {
		fx->req.set_outcome = true;
		fx->req.outcome = outcome;
		if (ss_act_check_text(_("the outcome"), outcome, 200))
			ss_diags_add(diags, name, fo->line, fo->col, "%s", ss_error_message());
		else if (!ss_policy_outcome_known(pol, outcome) &&
		         unknown_outcome(pol, outcome) != SS_ENOMEM)
			ss_diags_add(diags, name, fo->line, fo->col, "%s", ss_error_message());
	}
	if (*linked) {
		fx->req.set_linked = true;
		if (strcasecmp(linked, "true") == 0)
			fx->req.linked = SS_TRI_TRUE;
		else if (strcasecmp(linked, "false") == 0)
			fx->req.linked = SS_TRI_FALSE;
		else if (strcasecmp(linked, "null") == 0)
			fx->req.linked = SS_TRI_NULL;
		else
			ss_diags_add(diags, name, fl->line, fl->col,
			             _("'%s' is not a value for linked: write true, false or null "
			               "(not recorded), or leave it blank to keep it"),
			             linked);
	}
	if (!fx->req.set_outcome && !fx->req.set_linked)
		ss_diags_add(
		    diags, name, r->line, 1,
		    _("nothing to correct on this row: fill in the outcome, linked, or both"));
	if (*reason == '\0')
		ss_diags_add(
		    diags, name, fe->line, fe->col,
		    _("no reason given: say why (for example the lab result or the charge)"));
	else if (ss_act_check_text(_("the reason"), reason, SS_ACT_NOTE_MAX))
		ss_diags_add(diags, name, fe->line, fe->col, "%s", ss_error_message());
	fx->req.reason = reason;
	return diags->total == before;
}

/* Two rows for one record: every later one reported (one correction a record a file). */
static int find_duplicates(struct fixrow *rows, size_t n, const char *name, struct ss_diags *diags)
{
	struct fixrow **p;
	size_t i, first = 0;

	if ((p = calloc(n ? n : 1, sizeof(*p))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < n; i++)
		p[i] = &rows[i];
	qsort(p, n, sizeof(*p), cmp_row);
	for (i = 1; i < n; i++) {
		if (p[i]->id[0] == '\0' || strcmp(p[i]->id, p[first]->id) != 0) {
			first = i;
			continue;
		}
		ss_diags_add(diags, name, p[i]->line, 1,
		             _("a second row for record %s (the first is on line %zu): put both "
		               "changes on one row"),
		             p[i]->id, p[first]->line);
	}
	free(p);
	return 0;
}

/* A file's rows as requests: *out (n of them) when every row is good;
 * SS_EDATA with every problem in diags otherwise. */
static int fixes_load(const struct ss_policy *pol, const struct ss_population *pop,
                      const char *month, const char *data, size_t len, const char *name,
                      struct ss_sheet *sh, struct fixrow **out, size_t *nout, size_t *nrows,
                      struct ss_diags *diags)
{
	struct fixrow *rows = NULL;
	size_t cols[K_COLUMNS], i, n = 0;
	char words[48];
	int err;

	*out = NULL;
	*nout = *nrows = 0;
	ss_month_words_in(month, ss_lang_current(), words, sizeof(words));
	if ((err = ss_sheet_read(data, len, name, sh, diags)))
		return err;
	if (sh->n == 0 && diags->total == 0)
		ss_diags_add(diags, name, 1, 1, _("the file is empty (no header line)"));
	if (sh->n == 0 || sh->rows[0].bad)
		goto refused;
	ss_sheet_columns(&sh->rows[0], name, column_names, K_COLUMNS, cols, diags);
	if (cols[K_ID] == SIZE_MAX && cols[K_REFERENCE] == SIZE_MAX)
		ss_diags_add(diags, name, sh->rows[0].line, 1,
		             _("the header has neither an 'id' nor a 'reference' column: say which "
		               "record each row corrects"));
	if (cols[K_OUTCOME] == SIZE_MAX && cols[K_LINKED] == SIZE_MAX)
		ss_diags_add(diags, name, sh->rows[0].line, 1,
		             _("the header has neither an 'outcome' nor a 'linked' column: nothing "
		               "to correct"));
	if (cols[K_REASON] == SIZE_MAX)
		ss_diags_add(diags, name, sh->rows[0].line, 1,
		             _("the header has no 'reason' column (the lab result or charge behind "
		               "each correction)"));
	if (diags->total)
		goto refused;
	if (sh->n > 1 && (rows = calloc(sh->n - 1, sizeof(*rows))) == NULL)
		return ss_error_nomem();
	for (i = 1; i < sh->n; i++) {
		struct ss_sheet_row *r = &sh->rows[i];

		if (ss_sheet_row_empty(r))
			continue;
		(*nrows)++;
		if (r->bad)
			continue;
		if (r->n != sh->rows[0].n)
			ss_diags_add(diags, name, r->line, 1,
			             _("this row has %zu values but the header has %zu columns"),
			             r->n, sh->rows[0].n);
		else if (row_request(pol, pop, month, name, words, cols, r, &rows[n], diags))
			n++;
	}
	if ((err = find_duplicates(rows, n, name, diags)))
		goto out;
	if (diags->total)
		goto refused;
	if (n == 0) {
		err = ss_error_set(SS_EDATA, _("%s: no corrections in the file (only a header)"),
		                   name);
		goto out;
	}
	*out = rows;
	*nout = n;
	return 0;
refused:
	err = ss_error_set(SS_EDATA, _("%s: %zu problem%s found; nothing was recorded"), name,
	                   diags->total, diags->total == 1 ? "" : "s");
out:
	free(rows);
	return err;
}

int ss_correct_file_check(const struct ss_policy *pol, const struct ss_population *pop,
                          const char *month, const char *data, size_t len, const char *name,
                          struct ss_diags *diags, size_t *rows)
{
	struct ss_sheet sh;
	struct fixrow *fx = NULL;
	size_t n;
	int err;

	memset(&sh, 0, sizeof(sh));
	err = fixes_load(pol, pop, month, data, len, name, &sh, &fx, &n, rows, diags);
	free(fx);
	ss_sheet_release(&sh);
	return err;
}

int ss_act_correct_from(struct ss_writer *w, const char *month, const char *data, size_t len,
                        const char *name, struct ss_diags *diags, struct ss_fix_result *res)
{
	struct ss_population *pop = NULL;
	struct ss_sheet sh;
	struct fixrow *rows = NULL;
	size_t i, n = 0;
	char src[300];
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	bool batch = false;
	int err;

	memset(res, 0, sizeof(*res));
	memset(&sh, 0, sizeof(sh));
	if ((err = ss_act_require(w, SS_ACTION_CORRECTION, N_("correct an outcome"))) ||
	    (err = ss_month_population(w->trail, &w->tip, month, NULL, NULL, &pop)) ||
	    (err = fixes_load(w->policy, pop, month, data, len, name, &sh, &rows, &n, &res->rows,
	                      diags)) ||
	    (err = ss_writer_batch_begin(w)))
		goto out;
	batch = true;
	for (i = 0; i < n; i++) {
		bool same = false;

		snprintf(src, sizeof(src), "the file '%s', line %zu", base, rows[i].line);
		if ((err = correct_commit(w, pop, &rows[i].req, src, NULL, &same)))
			goto out;
		if (same)
			res->already++;
		else
			res->recorded++;
	}
	batch = false;
	err = ss_writer_batch_end(w);
out:
	if (batch)
		ss_writer_batch_abort(w);
	free(rows);
	ss_sheet_release(&sh);
	ss_population_free(pop);
	return err;
}
