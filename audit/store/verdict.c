/*
 * verdict.c - verdict, correction, waiver and sign-off files: written by hand
 * so their bytes are stable, read back strictly (every key present, no other
 * key, no key twice, the right types, valid UTF-8, the file where its content
 * says it belongs). Loading a month's files at a commit is store/month.c's.
 */
#include "verdict.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json.h"
#include "layout.h"

/* ------------------------------------------------------------ writing */

static int put_key(struct ss_buf *b, const char *key, const char *value, bool last)
{
	int err;

	if ((err = ss_buf_puts(b, "  \"")) || (err = ss_buf_puts(b, key)) ||
	    (err = ss_buf_puts(b, "\": ")) || (err = ss_buf_json_string_or_null(b, value)) ||
	    (err = ss_buf_puts(b, last ? "\n" : ",\n")))
		return err;
	return 0;
}

/* Where a question comes in the policy (unknown ones after, in given order). */
static size_t question_rank(const struct ss_policy *pol, const char *q, size_t given)
{
	size_t i;

	for (i = 0; pol && i < pol->nquestions; i++)
		if (strcmp(pol->questions[i].id, q) == 0)
			return i;
	return (pol ? pol->nquestions : 0) + given;
}

int ss_verdict_to_json(const struct ss_verdict *v, const struct ss_policy *pol, struct ss_buf *out)
{
	size_t *order = NULL, i, j, written = 0;
	int err;

	if (v->nanswers && (order = malloc(v->nanswers * sizeof(*order))) == NULL)
		return ss_error_nomem();
	/* Insertion sort by policy rank: a handful of answers. */
	for (i = 0; i < v->nanswers; i++) {
		size_t r = question_rank(pol, v->answers[i].question, i);

		for (j = i; j > 0 &&
		            question_rank(pol, v->answers[order[j - 1]].question, order[j - 1]) > r;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	if ((err = ss_buf_puts(out, "{\n")) || (err = put_key(out, "month", v->month, false)) ||
	    (err = put_key(out, "id", v->id, false)) ||
	    (err = put_key(out, "role", v->role, false)) ||
	    (err = put_key(out, "reviewer", v->reviewer, false)) ||
	    (err = put_key(out, "entered_by", v->entered_by, false)) ||
	    (err = ss_buf_puts(out, v->nanswers ? "  \"answers\": {\n" : "  \"answers\": {},\n")))
		goto out;
	for (i = 0; i < v->nanswers; i++) {
		const struct ss_answer *a = &v->answers[order[i]];

		if ((err = ss_buf_puts(out, "    ")) ||
		    (err = ss_buf_json_string_or_null(out, a->question)) ||
		    (err = ss_buf_puts(out, ": ")) ||
		    (err = ss_buf_json_string_or_null(out, a->value)) ||
		    (err = ss_buf_puts(out, ++written < v->nanswers ? ",\n" : "\n")))
			goto out;
	}
	if ((v->nanswers && (err = ss_buf_puts(out, "  },\n"))) ||
	    (err = put_key(out, "note", v->note, true)) || (err = ss_buf_puts(out, "}\n")))
		goto out;
out:
	free(order);
	return err;
}

static int put_value(struct ss_buf *b, const struct ss_rule_value *v)
{
	switch (v->kind) {
	case SS_RV_STRING:
		return ss_buf_json_string_or_null(b, v->s);
	case SS_RV_BOOL:
		return ss_buf_puts(b, v->b ? "true" : "false");
	case SS_RV_NULL:
		break;
	}
	return ss_buf_puts(b, "null");
}

int ss_correction_to_json(const struct ss_correction *c, struct ss_buf *out)
{
	size_t i;
	int err;

	if ((err = ss_buf_puts(out, "{\n")) || (err = put_key(out, "month", c->month, false)) ||
	    (err = put_key(out, "id", c->id, false)) ||
	    (err = ss_buf_puts(out, c->nchanges ? "  \"changes\": [\n" : "  \"changes\": [],\n")))
		return err;
	for (i = 0; i < c->nchanges; i++) {
		const struct ss_fix *f = &c->changes[i];

		if ((err = ss_buf_puts(out, "    {\"field\": \"")) ||
		    (err = ss_buf_puts(out, ss_field_name(f->field))) ||
		    (err = ss_buf_puts(out, "\", \"from\": ")) ||
		    (err = put_value(out, &f->from)) || (err = ss_buf_puts(out, ", \"to\": ")) ||
		    (err = put_value(out, &f->to)) ||
		    (err = ss_buf_puts(out, i + 1 < c->nchanges ? "},\n" : "}\n")))
			return err;
	}
	if ((c->nchanges && (err = ss_buf_puts(out, "  ],\n"))) ||
	    (err = put_key(out, "reason", c->reason, false)) ||
	    (err = put_key(out, "by", c->by, true)) || (err = ss_buf_puts(out, "}\n")))
		return err;
	return 0;
}

int ss_response_to_json(const struct ss_response *r, struct ss_buf *out)
{
	int err;

	if ((err = ss_buf_puts(out, "{\n")) || (err = put_key(out, "month", r->month, false)) ||
	    (err = put_key(out, "id", r->id, false)) ||
	    (err = put_key(out, "action", r->action, false)) ||
	    (err = put_key(out, "note", r->note, false)) ||
	    (err = put_key(out, "by", r->by, true)) || (err = ss_buf_puts(out, "}\n")))
		return err;
	return 0;
}

int ss_waiver_to_json(const struct ss_waiver *w, struct ss_buf *out)
{
	int err;

	if ((err = ss_buf_puts(out, "{\n")) || (err = put_key(out, "month", w->month, false)) ||
	    (err = put_key(out, "id", w->id, false)) ||
	    (err = put_key(out, "reason", w->reason, false)) ||
	    (err = put_key(out, "by", w->by, true)) || (err = ss_buf_puts(out, "}\n")))
		return err;
	return 0;
}

int ss_closed_to_json(const char *month, bool closed, const char *by, const char *reason,
                      struct ss_buf *out)
{
	int err;

	if ((err = ss_buf_puts(out, "{\n")) || (err = put_key(out, "month", month, false)) ||
	    (err = put_key(out, "state", closed ? "closed" : "open", false)) ||
	    (err = put_key(out, "by", by, false)) || (err = put_key(out, "reason", reason, true)) ||
	    (err = ss_buf_puts(out, "}\n")))
		return err;
	return 0;
}

/* ------------------------------------------------------------ reading */

enum kind { K_TEXT, K_TEXT_OR_NULL, K_NAME, K_MONTH, K_ID };

/* A string member, checked for its kind, copied into *out. */
static int get_string(const struct ss_jv *o, const char *key, enum kind kind, char **out)
{
	unsigned flags = SS_JS_REQUIRED;
	struct ss_jv v;
	const char *s;
	int err;

	*out = NULL;
	if (kind == K_TEXT || kind == K_TEXT_OR_NULL)
		flags |= SS_JS_NONEMPTY;
	if (kind == K_TEXT_OR_NULL)
		flags |= SS_JS_NULL;
	if ((err = ss_jv_string(o, key, flags, &s)) != 0 || s == NULL)
		return err;
	ss_jv_get(o, key, &v);
	if (kind == K_NAME && !ss_name_valid(s))
		return ss_jv_fail_key(&v, _("is not a valid handle or role name"));
	if (kind == K_MONTH && !ss_layout_month_valid(s))
		return ss_jv_fail_key(&v, _("is not a month (YYYY-MM)"));
	if (kind == K_ID && !ss_layout_id_valid(s))
		return ss_jv_fail_key(&v, _("is not a record id"));
	if ((*out = strdup(s)) == NULL)
		return ss_error_nomem();
	return 0;
}

/* A small record of the trail: one object, keys once each. */
static int load(const char *data, size_t len, const char *path, struct ss_json **doc,
                struct ss_jv *root)
{
	int err;

	if ((err = ss_json_load_object(data, len, path, SS_EDATA, SS_JSON_VOICE_FIELDS, doc)) != 0)
		return err;
	ss_json_root(*doc, root);
	return 0;
}

/* The path's last component, and the directory before it. */
static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* A file read from a trail (rather than from the command line) must sit where
 * its content says it belongs. */
static bool in_trail(const char *path)
{
	return strncmp(path, SS_LAYOUT_MONTHS "/", sizeof(SS_LAYOUT_MONTHS)) == 0;
}

/* A file read from a trail must sit at the path its content gives (want). */
static int placed(const char *path, const char *want, const char *what)
{
	if (strcmp(want, path) == 0)
		return 0;
	return ss_error_set(SS_EDATA, _("%s: %s belong at '%s'"), path, what, want);
}

int ss_verdict_from_json(const char *data, size_t len, const char *path, struct ss_verdict *out)
{
	static const char *const keys[] = {"month",      "id",      "role", "reviewer",
	                                   "entered_by", "answers", "note", NULL};
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_json *doc = NULL;
	struct ss_jv o, ans, a;
	char want[512];
	size_t i = 0;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = load(data, len, path, &doc, &o)) || (err = ss_jv_keys(&o, keys, SS_JK_EXACT)) ||
	    (err = get_string(&o, "month", K_MONTH, &out->month)) ||
	    (err = get_string(&o, "id", K_ID, &out->id)) ||
	    (err = get_string(&o, "role", K_NAME, &out->role)) ||
	    (err = get_string(&o, "reviewer", K_NAME, &out->reviewer)) ||
	    (err = get_string(&o, "entered_by", K_NAME, &out->entered_by)) ||
	    (err = get_string(&o, "note", K_TEXT_OR_NULL, &out->note)))
		goto out;
	ss_jv_get(&o, "answers", &ans);
	if (!ss_jv_is(&ans, SS_JT_OBJECT)) {
		err = ss_jv_fail_key(&ans, _("must be an object"));
		goto out;
	}
	out->nanswers = ss_jv_count(&ans);
	if (out->nanswers &&
	    (out->answers = calloc(out->nanswers, sizeof(*out->answers))) == NULL) {
		out->nanswers = 0;
		err = ss_error_nomem();
		goto out;
	}
	for (; ss_jv_next(&ans, &it, &a); i++) {
		if (!ss_name_valid(ss_jv_key(&a))) {
			err = ss_jv_fail_key(&a, _("is not a question id"));
			goto out;
		}
		if (ss_jv_str(&a) == NULL || *ss_jv_str(&a) == '\0') {
			err = ss_jv_fail_key(&a, _("must be a non-empty string"));
			goto out;
		}
		if ((out->answers[i].question = strdup(ss_jv_key(&a))) == NULL ||
		    (out->answers[i].value = strdup(ss_jv_str(&a))) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
	}
	if (in_trail(path)) {
		ss_layout_verdict(want, sizeof(want), out->month, out->id, out->role,
		                  out->reviewer);
		if ((err = placed(path, want, "the verdict's month, record, role and reviewer")))
			goto out;
	}
out:
	ss_json_free(doc);
	if (err)
		ss_verdict_release(out);
	return err;
}

void ss_verdict_release(struct ss_verdict *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nanswers; i++) {
		free(v->answers[i].question);
		free(v->answers[i].value);
	}
	free(v->answers);
	free(v->month);
	free(v->id);
	free(v->role);
	free(v->reviewer);
	free(v->entered_by);
	free(v->note);
	memset(v, 0, sizeof(*v));
}

/* A correction's from/to: the field's type or null. */
static int fix_value(const struct ss_jv *o, const char *key, enum ss_field f,
                     struct ss_rule_value *out)
{
	struct ss_jv v;

	memset(out, 0, sizeof(*out));
	out->kind = SS_RV_NULL;
	ss_jv_get(o, key, &v);
	if (ss_jv_is(&v, SS_JT_NULL))
		return 0;
	if (ss_field_type(f) == SS_FT_BOOL) {
		if (!ss_jv_is(&v, SS_JT_BOOL))
			return ss_jv_fail_key(&v, _("must be true, false or null"));
		out->kind = SS_RV_BOOL;
		out->b = ss_jv_true(&v);
		return 0;
	}
	if (ss_jv_str(&v) == NULL || *ss_jv_str(&v) == '\0')
		return ss_jv_fail_key(&v, _("must be a non-empty string or null"));
	if ((out->s = strdup(ss_jv_str(&v))) == NULL)
		return ss_error_nomem();
	out->kind = SS_RV_STRING;
	return 0;
}

int ss_correction_from_json(const char *data, size_t len, const char *path,
                            struct ss_correction *out)
{
	static const char *const keys[] = {"month", "id", "changes", "reason", "by", NULL};
	static const char *const fix_keys[] = {"field", "from", "to", NULL};
	const char *base = base_name(path), *dot;
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_json *doc = NULL;
	struct ss_jv o, ch, c, name;
	char want[512];
	size_t i = 0, j;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = load(data, len, path, &doc, &o)) || (err = ss_jv_keys(&o, keys, SS_JK_EXACT)) ||
	    (err = get_string(&o, "month", K_MONTH, &out->month)) ||
	    (err = get_string(&o, "id", K_ID, &out->id)) ||
	    (err = get_string(&o, "reason", K_TEXT, &out->reason)) ||
	    (err = get_string(&o, "by", K_NAME, &out->by)))
		goto out;
	ss_jv_get(&o, "changes", &ch);
	if (!ss_jv_is(&ch, SS_JT_ARRAY) || ss_jv_count(&ch) == 0) {
		err = ss_jv_fail_key(&ch, _("must be a list of at least one change"));
		goto out;
	}
	out->nchanges = ss_jv_count(&ch);
	if ((out->changes = calloc(out->nchanges, sizeof(*out->changes))) == NULL) {
		out->nchanges = 0;
		err = ss_error_nomem();
		goto out;
	}
	for (; ss_jv_next(&ch, &it, &c); i++) {
		struct ss_fix *f = &out->changes[i];
		int fld;

		/* So that release never frees a pointer never set. */
		f->from.kind = f->to.kind = SS_RV_NULL;
		if ((err = ss_jv_keys(&c, fix_keys, SS_JK_EXACT)))
			goto out;
		ss_jv_get(&c, "field", &name);
		fld = ss_jv_str(&name) ? ss_field_lookup(ss_jv_str(&name)) : -1;
		if (fld != SS_F_OUTCOME && fld != SS_F_OUTCOME_LINKED) {
			err = ss_jv_fail_key(&name, _("must be \"outcome\" or "
			                              "\"outcome_linked_to_object_of_search\""));
			goto out;
		}
		f->field = (enum ss_field)fld;
		for (j = 0; j < i; j++)
			if (out->changes[j].field == f->field) {
				err = ss_jv_fail(&c, _("\"%s\" is changed twice"),
				                 ss_field_name(f->field));
				goto out;
			}
		if ((err = fix_value(&c, "from", f->field, &f->from)) ||
		    (err = fix_value(&c, "to", f->field, &f->to)))
			goto out;
		if (ss_rule_value_equal(&f->from, &f->to)) {
			err = ss_jv_fail(&c, _("\"from\" and \"to\" are the same"));
			goto out;
		}
	}
	/* NNNN.json: the number is the file's name. */
	dot = strchr(base, '.');
	if (dot == NULL || strcmp(dot, ".json") != 0 ||
	    !ss_layout_number_valid_n(base, (size_t)(dot - base), &out->number)) {
		err = ss_error_set(SS_EDATA,
		                   _("%s: a correction's file name must be its number, NNNN.json "
		                     "(0001 for a record's first)"),
		                   path);
		goto out;
	}
	if (in_trail(path)) {
		ss_layout_correction(want, sizeof(want), out->month, out->id, out->number);
		if ((err = placed(path, want, "the correction's month and record")))
			goto out;
	}
out:
	ss_json_free(doc);
	if (err)
		ss_correction_release(out);
	return err;
}

void ss_correction_release(struct ss_correction *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nchanges; i++) {
		if (c->changes[i].from.kind == SS_RV_STRING)
			free((char *)c->changes[i].from.s);
		if (c->changes[i].to.kind == SS_RV_STRING)
			free((char *)c->changes[i].to.s);
	}
	free(c->changes);
	free(c->month);
	free(c->id);
	free(c->reason);
	free(c->by);
	memset(c, 0, sizeof(*c));
}

int ss_response_from_json(const char *data, size_t len, const char *path, struct ss_response *out)
{
	static const char *const keys[] = {"month", "id", "action", "note", "by", NULL};
	const char *base = base_name(path), *dot;
	struct ss_json *doc = NULL;
	struct ss_jv o;
	char want[SS_LAYOUT_PATH_MAX];
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = load(data, len, path, &doc, &o)) || (err = ss_jv_keys(&o, keys, SS_JK_EXACT)) ||
	    (err = get_string(&o, "month", K_MONTH, &out->month)) ||
	    (err = get_string(&o, "id", K_ID, &out->id)) ||
	    (err = get_string(&o, "action", K_TEXT, &out->action)) ||
	    (err = get_string(&o, "note", K_TEXT_OR_NULL, &out->note)) ||
	    (err = get_string(&o, "by", K_NAME, &out->by)))
		goto out;
	/* NNNN.json: the number is the file's name. */
	dot = strchr(base, '.');
	if (dot == NULL || strcmp(dot, ".json") != 0 ||
	    !ss_layout_number_valid_n(base, (size_t)(dot - base), &out->number)) {
		err = ss_error_set(SS_EDATA,
		                   _("%s: a response's file name must be its number, NNNN.json "
		                     "(0001 for a record's first)"),
		                   path);
		goto out;
	}
	if (in_trail(path)) {
		ss_layout_response(want, sizeof(want), out->month, out->id, out->number);
		if ((err = placed(path, want, "the response's month and record")))
			goto out;
	}
out:
	ss_json_free(doc);
	if (err)
		ss_response_release(out);
	return err;
}

void ss_response_release(struct ss_response *r)
{
	if (r == NULL)
		return;
	free(r->month);
	free(r->id);
	free(r->action);
	free(r->note);
	free(r->by);
	memset(r, 0, sizeof(*r));
}

bool ss_verdict_follows_up(const struct ss_verdict *v, const struct ss_policy *pol)
{
	size_t i;

	for (i = 0; i < v->nanswers; i++)
		if (ss_policy_follow_up(pol, v->answers[i].value))
			return true;
	return false;
}

int ss_waiver_from_json(const char *data, size_t len, const char *path, struct ss_waiver *out)
{
	static const char *const keys[] = {"month", "id", "reason", "by", NULL};
	struct ss_json *doc = NULL;
	struct ss_jv o;
	char want[512];
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = load(data, len, path, &doc, &o)) || (err = ss_jv_keys(&o, keys, SS_JK_EXACT)) ||
	    (err = get_string(&o, "month", K_MONTH, &out->month)) ||
	    (err = get_string(&o, "id", K_ID, &out->id)) ||
	    (err = get_string(&o, "reason", K_TEXT, &out->reason)) ||
	    (err = get_string(&o, "by", K_NAME, &out->by)))
		goto out;
	if (in_trail(path)) {
		ss_layout_waiver(want, sizeof(want), out->month, out->id);
		if ((err = placed(path, want, "the waiver's month and record")))
			goto out;
	}
out:
	ss_json_free(doc);
	if (err)
		ss_waiver_release(out);
	return err;
}

void ss_waiver_release(struct ss_waiver *w)
{
	if (w == NULL)
		return;
	free(w->month);
	free(w->id);
	free(w->reason);
	free(w->by);
	memset(w, 0, sizeof(*w));
}

int ss_closed_from_json(const char *data, size_t len, const char *path, char **month, bool *closed,
                        char **by, char **reason)
{
	static const char *const keys[] = {"month", "state", "by", "reason", NULL};
	struct ss_json *doc = NULL;
	struct ss_jv o, st;
	const char *state;
	char want[SS_LAYOUT_PATH_MAX];
	int err;

	*month = *by = *reason = NULL;
	*closed = false;
	if ((err = load(data, len, path, &doc, &o)) || (err = ss_jv_keys(&o, keys, SS_JK_EXACT)) ||
	    (err = get_string(&o, "month", K_MONTH, month)) ||
	    (err = get_string(&o, "by", K_NAME, by)) ||
	    (err = get_string(&o, "reason", K_TEXT_OR_NULL, reason)))
		goto out;
	ss_jv_get(&o, "state", &st);
	state = ss_jv_str(&st);
	if (state == NULL || (strcmp(state, "closed") != 0 && strcmp(state, "open") != 0)) {
		err = ss_jv_fail_key(&st, _("must be \"closed\" or \"open\""));
		goto out;
	}
	*closed = strcmp(state, "closed") == 0;
	if (!*closed && *reason == NULL) {
		err = ss_error_set(SS_EDATA, _("%s: a reopened month needs a \"reason\""), path);
		goto out;
	}
	if (in_trail(path)) {
		ss_layout_closed(want, sizeof(want), *month);
		if (strcmp(want, path) != 0) {
			err = ss_error_set(SS_EDATA, _("%s: the sign-off of %s belongs at '%s'"),
			                   path, *month, want);
			goto out;
		}
	}
out:
	ss_json_free(doc);
	if (err) {
		free(*month);
		free(*by);
		free(*reason);
		*month = *by = *reason = NULL;
	}
	return err;
}

const char *ss_verdict_answer(const struct ss_verdict *v, const char *question)
{
	size_t i;

	for (i = 0; i < v->nanswers; i++)
		if (strcmp(v->answers[i].question, question) == 0)
			return v->answers[i].value;
	return NULL;
}

/* ------------------------------------------------------------ access log */

int ss_access_to_json(const struct ss_access *a, struct ss_buf *out)
{
	size_t i;
	int err = ss_buf_puts(out, "{\n  \"pseudonyms\": [");

	for (i = 0; !err && i < a->npseudonyms; i++)
		if ((err = ss_buf_puts(out, i ? ", " : "")) == 0)
			err = ss_buf_json_string_or_null(out, a->pseudonyms[i]);
	if (err || (err = ss_buf_puts(out, "],\n")) ||
	    (err = put_key(out, "reason", a->reason, false)) ||
	    (err = put_key(out, "by", a->by, false)) ||
	    (err = ss_buf_printf(out, "  \"found\": %zu\n}\n", a->found)))
		return err;
	return 0;
}

int ss_access_from_json(const char *data, size_t len, const char *path, struct ss_access *out)
{
	static const char *const keys[] = {"pseudonyms", "reason", "by", "found", NULL};
	struct ss_json *doc = NULL;
	struct ss_jv o, list, el, found;
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	int err;

	memset(out, 0, sizeof(*out));
	if ((err = load(data, len, path, &doc, &o)) || (err = ss_jv_keys(&o, keys, SS_JK_EXACT)))
		goto out;
	ss_jv_get(&o, "pseudonyms", &list);
	if (!ss_jv_is(&list, SS_JT_ARRAY) || ss_jv_count(&list) == 0) {
		err = ss_jv_fail_key(&list, _("must be a list of one or more pseudonyms"));
		goto out;
	}
	if ((out->pseudonyms = calloc(ss_jv_count(&list), sizeof(char *))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	while (ss_jv_next(&list, &it, &el)) {
		const char *s = ss_jv_str(&el);

		if (s == NULL || !(ss_pseudonym_valid_n(s, strlen(s), 'S') ||
		                   ss_pseudonym_valid_n(s, strlen(s), 'O'))) {
			err = ss_jv_fail(&el, _("is not a subject (S-) or officer (O-) pseudonym"));
			goto out;
		}
		if (out->npseudonyms > 0 && strcmp(out->pseudonyms[out->npseudonyms - 1], s) >= 0) {
			err =
			    ss_jv_fail(&el, _("is out of order or given twice (the pseudonyms are "
			                      "sorted, each once)"));
			goto out;
		}
		if ((out->pseudonyms[out->npseudonyms] = strdup(s)) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		out->npseudonyms++;
	}
	ss_jv_get(&o, "found", &found);
	if ((err = get_string(&o, "reason", K_TEXT, &out->reason)) ||
	    (err = get_string(&o, "by", K_NAME, &out->by)) ||
	    (err = ss_jv_count_of(&found, &out->found)))
		goto out;
out:
	ss_json_free(doc);
	if (err)
		ss_access_release(out);
	return err;
}

void ss_access_release(struct ss_access *a)
{
	if (a == NULL)
		return;
	ss_strv_free(a->pseudonyms, a->npseudonyms);
	free(a->reason);
	free(a->by);
	memset(a, 0, sizeof(*a));
}
