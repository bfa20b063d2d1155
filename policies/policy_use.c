/*
 * policy_use.c - asking a loaded policy (see policy.h): lookups by name,
 * permissions, outcome and answer vocabularies, wordings, and how an
 * always-rule compares a record's typed values (DESIGN.md section 6).
 */
#include "policy.h"

#include <ctype.h>

#include <stdio.h>
#include <string.h>

#include "lang.h"

/* ---- lookups ---- */

const struct ss_role *ss_policy_role(const struct ss_policy *p, const char *name)
{
	size_t i;

	if (p == NULL || name == NULL)
		return NULL;
	for (i = 0; i < p->nroles; i++)
		if (p->roles[i].name != NULL && strcmp(p->roles[i].name, name) == 0)
			return &p->roles[i];
	return NULL;
}

const struct ss_question *ss_policy_question(const struct ss_policy *p, const char *id)
{
	size_t i;

	if (p == NULL || id == NULL)
		return NULL;
	for (i = 0; i < p->nquestions; i++)
		if (strcmp(p->questions[i].id, id) == 0)
			return &p->questions[i];
	return NULL;
}

bool ss_role_may(const struct ss_role *r, enum ss_may what)
{
	return r != NULL && (r->may & (unsigned)what) != 0;
}

static bool in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

bool ss_role_registers(const struct ss_role *r, const char *role)
{
	return r != NULL && in_list(r->registers, r->nregisters, role);
}

bool ss_role_enters_for(const struct ss_role *r, const char *role)
{
	return r != NULL && (r->may & SS_MAY_ENTER_FOR) &&
	       in_list(r->enter_for, r->nenter_for, role);
}

const char *ss_role_a_an(const char *role)
{
	return role && role[0] && strchr("aeiou", role[0]) ? "an" : "a";
}

/* The shipped policies' roles. The English words are only the catalogue's
 * keys (English sentences name the id); the Welsh is a bare name, as it
 * follows "y rôl" in a sentence. */
static const struct {
	const char *id, *words;
} role_words[] = {
    {"coordinator", N_("panel coordinator (role)")},
    {"pcc-office", N_("Police and Crime Commissioner's office (role)")},
    {"local-inspector", N_("local inspector (role)")},
    {"independent-inspector", N_("independent inspector (role)")},
    {"qa-panel", N_("Quality Assurance Panel (role)")},
    {"panel-secretary", N_("panel secretary (role)")},
    {"records-officer", N_("force records officer (role)")},
    {"professional-standards", N_("force professional standards (role)")},
    {"cmg-chair", N_("community monitoring group chair (role)")},
    {"cmg-secretary", N_("community monitoring group secretary (role)")},
    {"community-monitoring-group", N_("community monitoring group (role)")},
    {"youth-panel", N_("youth panel (role)")},
};

const char *ss_role_words_in(const char *role, enum ss_lang lang)
{
	size_t i;

	if (role == NULL || lang == SS_LANG_EN)
		return role;
	for (i = 0; i < sizeof(role_words) / sizeof(role_words[0]); i++)
		if (strcmp(role, role_words[i].id) == 0)
			return ss_lang_get(lang, role_words[i].words);
	return role;
}

const char *ss_role_words(const char *role)
{
	return ss_role_words_in(role, ss_lang_current());
}

bool ss_policy_outcome_positive(const struct ss_policy *p, const char *outcome)
{
	return p != NULL && outcome != NULL && in_list(p->positive, p->npositive, outcome);
}

bool ss_policy_outcome_known(const struct ss_policy *p, const char *outcome)
{
	return p != NULL && in_list(p->outcomes, p->noutcomes, outcome);
}

bool ss_policy_follow_up(const struct ss_policy *p, const char *answer)
{
	return p != NULL && in_list(p->follow_up, p->nfollow_up, answer);
}

bool ss_policy_response_known(const struct ss_policy *p, const char *action)
{
	return p != NULL && in_list(p->responses, p->nresponses, action);
}

const char *ss_policy_response_words(const struct ss_policy *p, const char *action,
                                     const char *lang)
{
	size_t i;

	for (i = 0; p != NULL && p->response_words != NULL && i < p->nresponses; i++)
		if (strcmp(p->responses[i], action) == 0)
			return ss_wording_get(&p->response_words[i], lang, action);
	return action;
}

/* Do a wording and what a person wrote say the same ("Sail resymol" is "sail
 * resymol"; a spreadsheet's "wedi’i wylio" is "wedi'i wylio")? */
static bool wording_same(const char *w, const char *a)
{
	while (*w && *a) {
		if (*w == '\'' && strncmp(a, "\xe2\x80\x99", 3) == 0) {
			w++;
			a += 3;
			continue;
		}
		if (tolower((unsigned char)*w) != tolower((unsigned char)*a))
			return false;
		w++;
		a++;
	}
	return *w == *a;
}

const char *ss_question_value_of(const struct ss_question *q, const char *answer)
{
	size_t i;

	for (i = 0; i < q->nvalues; i++)
		if (strcmp(q->values[i], answer) == 0)
			return q->values[i];
	for (i = 0; q->value_words != NULL && i < q->nvalues; i++) {
		const struct ss_wording *w = &q->value_words[i];

		if ((w->en && wording_same(w->en, answer)) ||
		    (w->cy && wording_same(w->cy, answer)))
			return q->values[i];
	}
	return NULL;
}

const char *ss_wording_get(const struct ss_wording *w, const char *lang, const char *fallback)
{
	if (w != NULL && lang != NULL && strcmp(lang, "cy") == 0 && w->cy != NULL)
		return w->cy;
	if (w != NULL && w->en != NULL)
		return w->en;
	return fallback;
}

void ss_rule_words(const struct ss_policy *p, size_t rule, char *out, size_t n)
{
	const struct ss_rule *r = &p->always[rule];

	if (r->label.en != NULL)
		snprintf(out, n, _("the %s rule"),
		         ss_lang_current() != SS_LANG_EN && r->label.cy != NULL ? r->label.cy
		                                                                : r->label.en);
	else
		snprintf(out, n, _("rule %zu (%s)"), rule + 1, ss_field_name(r->field));
}

const char *ss_policy_random_warning(const struct ss_policy *p)
{
	if (p == NULL || p->random != NULL)
		return NULL;
	return N_("the policy has no sample.random, so the whole rate is drawn at random and its "
	          "always-rules add nothing to the sample (give it a random core below the rate, "
	          "e.g. \"random\": \"15%\" with \"rate\": \"25%\")");
}

void ss_rule_value_words(const struct ss_rule_value *v, bool quoted, char *out, size_t n)
{
	if (v->kind == SS_RV_STRING)
		snprintf(out, n, quoted ? "'%s'" : "%s", v->s);
	else if (v->kind == SS_RV_BOOL)
		snprintf(out, n, "%s", v->b ? "true" : "false");
	else
		snprintf(out, n, "%s", quoted ? "blank" : "(blank)");
}

bool ss_rule_value_equal(const struct ss_rule_value *a, const struct ss_rule_value *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == SS_RV_STRING)
		return strcmp(a->s, b->s) == 0;
	if (a->kind == SS_RV_BOOL)
		return a->b == b->b;
	return true;
}

bool ss_rule_value_matches(const struct ss_rule_value *v, enum ss_field f,
                           const struct ss_record *r)
{
	if (ss_field_type(f) == SS_FT_BOOL) {
		int t = r->tri[f];

		switch (v->kind) {
		case SS_RV_NULL:
			return t == SS_TRI_NULL;
		case SS_RV_BOOL:
			return t == (v->b ? SS_TRI_TRUE : SS_TRI_FALSE);
		default:
			return false;
		}
	}
	switch (v->kind) {
	case SS_RV_NULL:
		return r->str[f] == NULL;
	case SS_RV_STRING:
		return r->str[f] != NULL && strcmp(r->str[f], v->s) == 0;
	default:
		return false;
	}
}

bool ss_rule_matches(const struct ss_rule *rule, const struct ss_record *r)
{
	size_t i;

	switch (rule->op) {
	case SS_RULE_CONTAINS:
		return ss_field_type(rule->field) == SS_FT_STRING && rule->nvalues == 1 &&
		       rule->values[0].kind == SS_RV_STRING && r->str[rule->field] != NULL &&
		       strstr(r->str[rule->field], rule->values[0].s) != NULL;
	case SS_RULE_EQUALS:
	case SS_RULE_IN:
		for (i = 0; i < rule->nvalues; i++)
			if (ss_rule_value_matches(&rule->values[i], rule->field, r))
				return true;
		return false;
	}
	return false;
}

bool ss_policy_field_used(const struct ss_policy *p, enum ss_field f)
{
	size_t i;

	for (i = 0; i < p->nstrata; i++)
		if (p->strata[i] == f)
			return true;
	for (i = 0; i < p->nalways; i++)
		if (p->always[i].field == f)
			return true;
	return false;
}
