/*
 * policy.c - load and validate a policy (format ssaudit-policy-v2, or v1
 * with v1's defaults: no random core, data.police.uk's outcomes, the default
 * follow-up answers and responses).
 *
 * Everything wrong is SS_ECONFIG with a message "FILE: KEY.PATH: what is wrong"
 * (or "FILE:LINE:COLUMN: ..." for JSON syntax), so a group editing its policy
 * by hand is told exactly where. Unknown and duplicate keys are refused: a
 * typo must not silently turn a rule off.
 */
#include "policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "vocab.h"

#define SS_POLICY_FORMAT    "ssaudit-policy-v2"
#define SS_POLICY_FORMAT_V1 "ssaudit-policy-v1"
#define SS_POLICY_MAX_SIZE  (1u << 20)

/* Option names and worksheet columns a verdict id would clash with. */
static const char *const reserved_ids[] = {"note", "for",      "from",    "as",    "trail",
                                           "home", "json",     "help",    "month", "id",
                                           "role", "reviewer", "version", "quiet", NULL};

static const struct {
	const char *name;
	enum ss_may bit;
} may_names[] = {
    {"import", SS_MAY_IMPORT},       {"sample", SS_MAY_SAMPLE},   {"review", SS_MAY_REVIEW},
    {"enter-for", SS_MAY_ENTER_FOR}, {"correct", SS_MAY_CORRECT}, {"close", SS_MAY_CLOSE},
    {"policy", SS_MAY_POLICY},       {"respond", SS_MAY_RESPOND}, {"reveal", SS_MAY_REVEAL},
};

/* What a v1 policy (or a v2 one that does not say) gets. */
static const char *const default_follow_up[] = {"not-reasonable", "concerns", NULL};
static const char *const default_responses[] = {
    "words-of-advice",       "training", "no-further-action", "referred-to-professional-standards",
    "disagree-with-finding", NULL};

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

bool ss_name_valid(const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-');

		if (!ok || i >= 32)
			return false;
	}
	return i > 0;
}

int ss_rate_parse(const char *s, unsigned *bp)
{
	unsigned whole = 0, frac = 0;
	size_t i = 0, nd = 0, nf = 0;

	if (s == NULL)
		goto bad;
	while (s[i] >= '0' && s[i] <= '9') {
		whole = whole * 10 + (unsigned)(s[i] - '0');
		i++;
		if (++nd > 3)
			goto bad;
	}
	if (nd == 0 || (nd == 3 && whole != 100))
		goto bad;
	if (s[i] == '.') {
		i++;
		while (s[i] >= '0' && s[i] <= '9') {
			frac = frac * 10 + (unsigned)(s[i] - '0');
			i++;
			if (++nf > 2)
				goto bad;
		}
		if (nf == 0 || (whole == 100 && frac != 0))
			goto bad;
		if (nf == 1)
			frac *= 10;
	}
	if (s[i] != '%' || s[i + 1] != '\0')
		goto bad;
	*bp = whole * 100 + frac;
	return 0;
bad:
	return ss_error_set(
	    SS_ECONFIG,
	    _("\"%s\" is not a rate like \"25%%\" or \"12.5%%\" (0 to 100, at most two "
	      "decimals, then %%)"),
	    s ? s : "");
}

/* ---- freeing ---- */

static void wording_release(struct ss_wording *w)
{
	free(w->en);
	free(w->cy);
}

static void words_free(struct ss_wording *w, size_t n)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < n; i++)
		wording_release(&w[i]);
	free(w);
}

void ss_policy_free(struct ss_policy *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	free(p->name);
	free(p->description);
	free(p->rate);
	free(p->random);
	free(p->strata);
	for (i = 0; i < p->nalways; i++) {
		for (j = 0; j < p->always[i].nvalues; j++)
			free((char *)p->always[i].values[j].s);
		free(p->always[i].values);
		wording_release(&p->always[i].label);
	}
	free(p->always);
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].name);
		ss_strv_free(p->roles[i].registers, p->roles[i].nregisters);
		ss_strv_free(p->roles[i].enter_for, p->roles[i].nenter_for);
	}
	free(p->roles);
	for (i = 0; i < p->nquestions; i++) {
		free(p->questions[i].id);
		free(p->questions[i].question);
		free(p->questions[i].question_cy);
		words_free(p->questions[i].value_words, p->questions[i].nvalues);
		ss_strv_free(p->questions[i].values, p->questions[i].nvalues);
	}
	free(p->questions);
	words_free(p->outcome_words, p->noutcomes);
	ss_strv_free(p->outcomes, p->noutcomes);
	ss_strv_free(p->positive, p->npositive);
	ss_strv_free(p->follow_up, p->nfollow_up);
	words_free(p->response_words, p->nresponses);
	ss_strv_free(p->responses, p->nresponses);
	for (i = 0; i < p->ncensus; i++) {
		free(p->census[i].area);
		free(p->census[i].ethnicity);
	}
	free(p->census);
	free(p->census_source);
	free(p);
}

/* ---- JSON helpers ---- */

/* v with another path, for messages about a place found by name. */
static void at_path(const struct ss_jv *v, struct ss_jv *out, const char *fmt, ...) SS_PRINTF(3, 4);

static void at_path(const struct ss_jv *v, struct ss_jv *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	*out = *v;
	out->keyed = false;
	va_start(ap, fmt);
	n = vsnprintf(out->path, sizeof(out->path), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(out->path))
		memcpy(out->path + sizeof(out->path) - 4, "...", 4);
}

/* A required (or optional, *out left NULL) non-empty string without control characters. */
static int get_text(const struct ss_jv *obj, const char *key, bool required, char **out)
{
	return ss_jv_strdup(obj, key,
	                    (required ? SS_JS_REQUIRED : 0) | SS_JS_NONEMPTY | SS_JS_PLAIN, out);
}

#define NAME_RULE                                                                                  \
	N_("is not a valid name (lowercase letters, digits and hyphens, at most 32, not starting " \
	   "with a hyphen)")
#define VALUE_RULE                                                                                 \
	N_("is not a valid value (lowercase letters, digits and hyphens, at most 64, not "         \
	   "starting "                                                                             \
	   "with a hyphen)")

/* Item i of a list being read, at `at`: not empty, no control characters,
 * valid (when valid is given, else any text: the message says rule), not
 * listed before; then copied into v[i] and counted in *nout. */
static int put_item(const struct ss_jv *at, const char *s, bool (*valid)(const char *),
                    const char *rule, char **v, size_t i, size_t *nout)
{
	size_t j;

	if (s[0] == '\0')
		return ss_jv_fail(at, _("must not be empty"));
	if (has_control(s))
		return ss_jv_fail(at, _("must not contain control characters"));
	if (valid != NULL && !valid(s))
		return ss_jv_fail(at, _("\"%s\" %s"), s, _(rule));
	for (j = 0; j < i; j++)
		if (strcmp(v[j], s) == 0)
			return ss_jv_fail(at, _("\"%s\" is listed twice"), s);
	if ((v[i] = xstrdup(s)) == NULL)
		return ss_error_nomem();
	*nout = i + 1;
	return 0;
}

/* A list of unique non-empty strings; allow_empty says whether [] is fine. */
static int get_strv(const struct ss_jv *arr, bool allow_empty, bool names, char ***out,
                    size_t *nout)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv e;
	size_t n, i = 0;
	const char *s;
	char **v;
	int err;

	if (!ss_jv_is(arr, SS_JT_ARRAY))
		return ss_jv_fail(arr, _("expected a list"));
	n = ss_jv_count(arr);
	if (n == 0 && !allow_empty)
		return ss_jv_fail(arr, _("must not be empty"));
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return ss_error_nomem();
	*out = v;
	*nout = 0;
	for (; ss_jv_next(arr, &it, &e); i++) {
		if ((s = ss_jv_str(&e)) == NULL)
			return ss_jv_fail(&e, _("expected a string"));
		if ((err = put_item(&e, s, names ? ss_name_valid : NULL, NAME_RULE, v, i, nout)))
			return err;
	}
	return 0;
}

/* An answer or response value: [a-z0-9][a-z0-9-]{0,63}. */
static bool token_valid(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (i > 0 && c == '-')) ||
		    i >= 64)
			return false;
	}
	return i > 0;
}

/* A key only a v2 policy may use. */
static int v2_only(const struct ss_policy *p, const struct ss_jv *obj, const char *key)
{
	struct ss_jv v;

	ss_jv_get(obj, key, &v);
	if (p->format < 2 && !ss_jv_is(&v, SS_JT_ABSENT))
		return ss_jv_fail(&v,
		                  _("is new in \"%s\": change \"format\" to it to use this key"),
		                  SS_POLICY_FORMAT);
	return 0;
}

/* A wording: a plain string (English) or {"en": ..., "cy": ...} (v2). */
static int get_wording(const struct ss_policy *p, const struct ss_jv *v, struct ss_wording *out)
{
	static const char *const keys[] = {"en", "cy", NULL};
	const char *s;
	int err;

	if ((s = ss_jv_str(v)) != NULL) {
		if (s[0] == '\0')
			return ss_jv_fail(v, _("must not be empty"));
		if (has_control(s))
			return ss_jv_fail(v, _("must not contain control characters"));
		if ((out->en = xstrdup(s)) == NULL)
			return ss_error_nomem();
		return 0;
	}
	if (!ss_jv_is(v, SS_JT_OBJECT))
		return ss_jv_fail(v,
		                  _("expected a text, or texts by language like {\"en\": \"...\", "
		                    "\"cy\": \"...\"}"));
	if (p->format < 2)
		return ss_jv_fail(v,
		                  _("wordings by language are new in \"%s\": change \"format\" to "
		                    "it, or give one text"),
		                  SS_POLICY_FORMAT);
	if ((err = ss_jv_keys(v, keys, 0)) != 0)
		return err;
	if ((err = get_text(v, "en", true, &out->en)) != 0 ||
	    (err = get_text(v, "cy", false, &out->cy)) != 0)
		return err;
	return 0;
}

/*
 * A list of unique values, each a string or (v2) {"value": V, "wording":
 * W}; names says whether values must be names ([a-z0-9-]). *words gets one
 * wording per value (en NULL where none is given).
 */
static int get_choices(const struct ss_policy *p, const struct ss_jv *arr, bool allow_empty,
                       bool names, char ***out, size_t *nout, struct ss_wording **words)
{
	static const char *const keys[] = {"value", "wording", NULL};
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv e, x;
	size_t n, i = 0;
	const char *s;
	char **v;
	int err;

	if (!ss_jv_is(arr, SS_JT_ARRAY))
		return ss_jv_fail(arr, _("expected a list"));
	n = ss_jv_count(arr);
	if (n == 0 && !allow_empty)
		return ss_jv_fail(arr, _("must not be empty"));
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return ss_error_nomem();
	*out = v;
	*nout = 0;
	if ((*words = calloc(n ? n : 1, sizeof(**words))) == NULL)
		return ss_error_nomem();
	for (; ss_jv_next(arr, &it, &e); i++) {
		x = e;
		if (ss_jv_is(&e, SS_JT_OBJECT)) {
			if (p->format < 2)
				return ss_jv_fail(
				    &e,
				    _("values with wordings are new in \"%s\": change "
				      "\"format\" to it, or give the value alone"),
				    SS_POLICY_FORMAT);
			if ((err = ss_jv_keys(&e, keys, SS_JK_EXACT)) != 0)
				return err;
			ss_jv_get(&e, "value", &x);
		}
		if ((s = ss_jv_str(&x)) == NULL)
			return ss_jv_fail(
			    &x, _("expected a string, or {\"value\": ..., \"wording\": ...}"));
		if ((err = put_item(&x, s, names ? token_valid : NULL, VALUE_RULE, v, i, nout)))
			return err;
		if (ss_jv_is(&e, SS_JT_OBJECT)) {
			ss_jv_get(&e, "wording", &x);
			if ((err = get_wording(p, &x, &(*words)[i])) != 0)
				return err;
		}
	}
	return 0;
}

/* A static NULL-terminated list, copied (with empty wordings when words). */
static int copy_defaults(const char *const *src, char ***out, size_t *nout,
                         struct ss_wording **words)
{
	size_t n = 0, i;

	while (src[n] != NULL)
		n++;
	if ((*out = calloc(n, sizeof(**out))) == NULL ||
	    (words != NULL && (*words = calloc(n, sizeof(**words))) == NULL))
		return ss_error_nomem();
	for (i = 0; i < n; i++) {
		if (((*out)[i] = xstrdup(src[i])) == NULL)
			return ss_error_nomem();
		*nout = i + 1;
	}
	return 0;
}

/* ---- sections ---- */

static const char *type_word(enum ss_ftype t)
{
	return t == SS_FT_BOOL ? _("true, false or null") : _("a string or null");
}

static int parse_rule_value(const struct ss_jv *v, enum ss_field f, struct ss_rule_value *out)
{
	enum ss_ftype t = ss_field_type(f);
	const char *s;

	if (ss_jv_is(v, SS_JT_NULL)) {
		out->kind = SS_RV_NULL;
		return 0;
	}
	if (ss_jv_is(v, SS_JT_BOOL)) {
		if (t != SS_FT_BOOL)
			return ss_jv_fail(v,
			                  _("\"%s\" holds text, so a boolean can never match it "
			                    "(expected %s)"),
			                  ss_field_name(f), type_word(t));
		out->kind = SS_RV_BOOL;
		out->b = ss_jv_true(v);
		return 0;
	}
	if ((s = ss_jv_str(v)) != NULL) {
		if (t != SS_FT_STRING)
			return ss_jv_fail(
			    v,
			    _("\"%s\" is true, false or blank, so a string can never match it "
			      "(expected %s)"),
			    ss_field_name(f), type_word(t));
		if (s[0] == '\0')
			return ss_jv_fail(
			    v,
			    _("an empty string never matches (a blank value is null; use null)"));
		if ((out->s = xstrdup(s)) == NULL)
			return ss_error_nomem();
		out->kind = SS_RV_STRING;
		return 0;
	}
	return ss_jv_fail(v, _("expected %s"), type_word(t));
}

static int parse_rule(const struct ss_policy *p, const struct ss_jv *obj, struct ss_rule *rule)
{
	static const char *const keys[] = {"field", "equals", "in", "contains", "label", NULL};
	struct ss_jv field, eq, in, ct, label;
	const char *s;
	int err, fi;

	if ((err = ss_jv_keys(obj, keys, 0)) != 0 || (err = v2_only(p, obj, "label")) != 0)
		return err;
	ss_jv_get(obj, "label", &label);
	if (!ss_jv_is(&label, SS_JT_ABSENT) && (err = get_wording(p, &label, &rule->label)) != 0)
		return err;
	ss_jv_get(obj, "field", &field);
	if (ss_jv_is(&field, SS_JT_ABSENT))
		return ss_jv_fail(&field, _("missing (it is required)"));
	if ((s = ss_jv_str(&field)) == NULL)
		return ss_jv_fail(&field, _("expected a field name"));
	if ((fi = ss_field_lookup(s)) < 0)
		return ss_jv_fail(&field, _("\"%s\" is not a record field"), s);
	rule->field = (enum ss_field)fi;
	ss_jv_get(obj, "equals", &eq);
	ss_jv_get(obj, "in", &in);
	ss_jv_get(obj, "contains", &ct);
	if (!ss_jv_is(&eq, SS_JT_ABSENT) + !ss_jv_is(&in, SS_JT_ABSENT) +
	        !ss_jv_is(&ct, SS_JT_ABSENT) !=
	    1)
		return ss_jv_fail(obj,
		                  _("expected exactly one of \"equals\", \"in\", \"contains\""));
	if (!ss_jv_is(&eq, SS_JT_ABSENT) || !ss_jv_is(&ct, SS_JT_ABSENT)) {
		if ((rule->values = calloc(1, sizeof(*rule->values))) == NULL)
			return ss_error_nomem();
		rule->nvalues = 1;
	}
	if (!ss_jv_is(&eq, SS_JT_ABSENT)) {
		rule->op = SS_RULE_EQUALS;
		return parse_rule_value(&eq, rule->field, &rule->values[0]);
	}
	if (!ss_jv_is(&ct, SS_JT_ABSENT)) {
		rule->op = SS_RULE_CONTAINS;
		if (ss_field_type(rule->field) != SS_FT_STRING)
			return ss_jv_fail(
			    &ct,
			    _("\"%s\" is true, false or blank: \"contains\" only works on text "
			      "fields (use \"equals\")"),
			    ss_field_name(rule->field));
		if ((s = ss_jv_str(&ct)) == NULL)
			return ss_jv_fail(&ct, _("expected a string"));
		if (s[0] == '\0')
			return ss_jv_fail(&ct, _("must not be empty (it would match every value)"));
		if ((rule->values[0].s = xstrdup(s)) == NULL)
			return ss_error_nomem();
		rule->values[0].kind = SS_RV_STRING;
		return 0;
	}
	{
		struct ss_jv_iter it = SS_JV_ITER_INIT;
		struct ss_jv e;
		size_t n, i = 0;

		rule->op = SS_RULE_IN;
		if (!ss_jv_is(&in, SS_JT_ARRAY))
			return ss_jv_fail(&in, _("expected a list"));
		n = ss_jv_count(&in);
		if (n == 0)
			return ss_jv_fail(&in, _("must not be empty (it would never match)"));
		if ((rule->values = calloc(n, sizeof(*rule->values))) == NULL)
			return ss_error_nomem();
		for (; ss_jv_next(&in, &it, &e); i++) {
			rule->nvalues = i + 1;
			if ((err = parse_rule_value(&e, rule->field, &rule->values[i])) != 0)
				return err;
		}
	}
	return 0;
}

static int parse_sample(const struct ss_jv *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"rate", "random", "strata", "always", NULL};
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv v, e, rate;
	size_t i = 0, j, n;
	const char *s;
	int err;

	if (ss_jv_is(obj, SS_JT_ABSENT))
		return ss_jv_fail(obj, _("missing (it is required)"));
	if ((err = ss_jv_keys(obj, keys, 0)) != 0)
		return err;
	if ((err = get_text(obj, "rate", true, &p->rate)) != 0)
		return err;
	ss_jv_get(obj, "rate", &rate);
	if (ss_rate_parse(p->rate, &p->rate_bp) != 0)
		return ss_jv_fail(
		    &rate,
		    _("\"%s\" is not a rate like \"25%%\" or \"12.5%%\" (0 to 100, at "
		      "most two decimals, then %%)"),
		    p->rate);
	p->random_bp = p->rate_bp;
	if ((err = v2_only(p, obj, "random")) != 0 ||
	    (err = get_text(obj, "random", false, &p->random)) != 0)
		return err;
	if (p->random != NULL) {
		ss_jv_get(obj, "random", &v);
		if (ss_rate_parse(p->random, &p->random_bp) != 0)
			return ss_jv_fail(
			    &v,
			    _("\"%s\" is not a rate like \"15%%\" or \"12.5%%\" (0 to "
			      "100, at most two decimals, then %%)"),
			    p->random);
		if (p->random_bp > p->rate_bp)
			return ss_jv_fail(
			    &v,
			    _("the random core (%s) may not be larger than the rate (%s): "
			      "the sample never exceeds the rate"),
			    p->random, p->rate);
	}
	ss_jv_get(obj, "strata", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT)) {
		if (!ss_jv_is(&v, SS_JT_ARRAY))
			return ss_jv_fail(&v, _("expected a list of field names"));
		n = ss_jv_count(&v);
		if ((p->strata = calloc(n ? n : 1, sizeof(*p->strata))) == NULL)
			return ss_error_nomem();
		for (; ss_jv_next(&v, &it, &e); i++) {
			int fi;

			if ((s = ss_jv_str(&e)) == NULL)
				return ss_jv_fail(&e, _("expected a field name"));
			if ((fi = ss_field_lookup(s)) < 0)
				return ss_jv_fail(&e, _("\"%s\" is not a record field"), s);
			for (j = 0; j < i; j++)
				if (p->strata[j] == (enum ss_field)fi)
					return ss_jv_fail(&e, _("\"%s\" is listed twice"), s);
			p->strata[i] = (enum ss_field)fi;
			p->nstrata = i + 1;
		}
	}
	ss_jv_get(obj, "always", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT)) {
		struct ss_jv_iter at = SS_JV_ITER_INIT;

		if (!ss_jv_is(&v, SS_JT_ARRAY))
			return ss_jv_fail(&v, _("expected a list of rules"));
		n = ss_jv_count(&v);
		if ((p->always = calloc(n ? n : 1, sizeof(*p->always))) == NULL)
			return ss_error_nomem();
		for (i = 0; ss_jv_next(&v, &at, &e); i++) {
			p->nalways = i + 1;
			if ((err = parse_rule(p, &e, &p->always[i])) != 0)
				return err;
		}
	}
	return 0;
}

static int parse_reviews(const struct ss_jv *v, struct ss_role *r)
{
	static const char *const keys[] = {"count", "rate", NULL};
	struct ss_jv x;
	const char *s;
	int err;

	if ((s = ss_jv_str(v)) != NULL) {
		if (strcmp(s, "all") != 0)
			return ss_jv_fail(
			    v, _("expected \"all\", {\"count\": N} or {\"rate\": \"R%%\"}"));
		r->reviews = SS_REVIEWS_ALL;
		return 0;
	}
	if (!ss_jv_is(v, SS_JT_OBJECT))
		return ss_jv_fail(v, _("expected \"all\", {\"count\": N} or {\"rate\": \"R%%\"}"));
	if ((err = ss_jv_keys(v, keys, 0)) != 0)
		return err;
	if (ss_jv_count(v) != 1)
		return ss_jv_fail(v, _("expected exactly one of \"count\" or \"rate\""));
	ss_jv_get(v, "count", &x);
	if (!ss_jv_is(&x, SS_JT_ABSENT)) {
		unsigned long n;

		if ((err = ss_jv_uint(&x, 1, 1000000, &n)) != 0)
			return err;
		r->reviews = SS_REVIEWS_COUNT;
		r->reviews_count = (unsigned)n;
		return 0;
	}
	ss_jv_get(v, "rate", &x);
	if ((s = ss_jv_str(&x)) == NULL)
		return ss_jv_fail(&x, _("expected a rate like \"50%%\""));
	if (ss_rate_parse(s, &r->reviews_bp) != 0)
		return ss_jv_fail(
		    &x,
		    _("\"%s\" is not a rate like \"50%%\" or \"12.5%%\" (0 to 100, at most two "
		      "decimals, then %%)"),
		    s);
	if (r->reviews_bp == 0)
		return ss_jv_fail(&x, _("a role that reviews 0%% reviews nothing"));
	r->reviews = SS_REVIEWS_RATE;
	return 0;
}

static int parse_role(const struct ss_jv *obj, struct ss_role *r)
{
	static const char *const keys[] = {"may", "reviews", "registers", "enter_for", NULL};
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv v, e;
	const char *s;
	int err;

	if ((err = ss_jv_keys(obj, keys, 0)) != 0)
		return err;
	ss_jv_get(obj, "may", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT)) {
		if (!ss_jv_is(&v, SS_JT_ARRAY))
			return ss_jv_fail(&v, _("expected a list"));
		while (ss_jv_next(&v, &it, &e)) {
			size_t k;

			if ((s = ss_jv_str(&e)) == NULL)
				return ss_jv_fail(&e, _("expected a string"));
			for (k = 0; k < sizeof(may_names) / sizeof(may_names[0]); k++)
				if (strcmp(may_names[k].name, s) == 0)
					break;
			if (k == sizeof(may_names) / sizeof(may_names[0]))
				return ss_jv_fail(
				    &e,
				    _("\"%s\" is not a permission (expected import, sample, "
				      "review, enter-for, correct, respond, reveal, close or "
				      "policy)"),
				    s);
			if (r->may & (unsigned)may_names[k].bit)
				return ss_jv_fail(&e, _("\"%s\" is listed twice"), s);
			r->may |= (unsigned)may_names[k].bit;
		}
	}
	ss_jv_get(obj, "reviews", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT) && (err = parse_reviews(&v, r)) != 0)
		return err;
	ss_jv_get(obj, "registers", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT) &&
	    (err = get_strv(&v, true, true, &r->registers, &r->nregisters)) != 0)
		return err;
	ss_jv_get(obj, "enter_for", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT) &&
	    (err = get_strv(&v, false, true, &r->enter_for, &r->nenter_for)) != 0)
		return err;
	if ((r->may & SS_MAY_REVIEW) && r->reviews == SS_REVIEWS_NONE)
		return ss_jv_fail(
		    obj,
		    _("may \"review\" but says nothing about what it reviews (add \"reviews\")"));
	if (!(r->may & SS_MAY_REVIEW) && r->reviews != SS_REVIEWS_NONE) {
		ss_jv_get(obj, "reviews", &v);
		return ss_jv_fail(&v,
		                  _("the role reviews but \"review\" is not in its \"may\" list"));
	}
	if ((r->may & SS_MAY_ENTER_FOR) && r->nenter_for == 0)
		return ss_jv_fail(
		    obj,
		    _("may \"enter-for\" but does not say for which roles (add \"enter_for\")"));
	if (!(r->may & SS_MAY_ENTER_FOR) && r->nenter_for != 0) {
		ss_jv_get(obj, "enter_for", &v);
		return ss_jv_fail(&v, _("\"enter-for\" is not in the role's \"may\" list"));
	}
	if (r->may == 0 && r->nregisters == 0)
		return ss_jv_fail(obj,
		                  _("the role can do nothing (give it \"may\" or \"registers\")"));
	return 0;
}

static int parse_roles(const struct ss_jv *obj, struct ss_policy *p)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv m, at;
	size_t n, i = 0, k;
	int err;

	if (ss_jv_is(obj, SS_JT_ABSENT))
		return ss_jv_fail(obj, _("missing (it is required)"));
	if ((err = ss_jv_keys(obj, NULL, 0)) != 0)
		return err;
	n = ss_jv_count(obj);
	if (n == 0)
		return ss_jv_fail(obj, _("must name at least one role"));
	if ((p->roles = calloc(n, sizeof(*p->roles))) == NULL)
		return ss_error_nomem();
	for (; ss_jv_next(obj, &it, &m); i++) {
		const char *name = ss_jv_key(&m);

		if (!ss_name_valid(name))
			return ss_jv_fail(
			    &m,
			    _("\"%s\" is not a valid role name (lowercase letters, digits and "
			      "hyphens, at most 32, not starting with a hyphen)"),
			    name);
		p->nroles = i + 1;
		if ((p->roles[i].name = xstrdup(name)) == NULL)
			return ss_error_nomem();
		if ((err = parse_role(&m, &p->roles[i])) != 0)
			return err;
	}
	/* Cross-references: only once every role is known. */
	for (i = 0; i < p->nroles; i++) {
		const struct ss_role *r = &p->roles[i];

		for (k = 0; k < r->nregisters; k++) {
			at_path(obj, &at, "roles.%s.registers[%zu]", r->name, k);
			if (ss_policy_role(p, r->registers[k]) == NULL)
				return ss_jv_fail(&at, _("no role is called \"%s\""),
				                  r->registers[k]);
		}
		for (k = 0; k < r->nenter_for; k++) {
			const struct ss_role *t = ss_policy_role(p, r->enter_for[k]);

			at_path(obj, &at, "roles.%s.enter_for[%zu]", r->name, k);
			if (t == NULL)
				return ss_jv_fail(&at, _("no role is called \"%s\""),
				                  r->enter_for[k]);
			if (t->reviews == SS_REVIEWS_NONE)
				return ss_jv_fail(
				    &at,
				    _("\"%s\" does not review, so there is nothing to "
				      "enter for it"),
				    t->name);
		}
	}
	return 0;
}

static int parse_verdict(const struct ss_jv *arr, struct ss_policy *p)
{
	static const char *const keys[] = {"id", "question", "values", "required", NULL};
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv e, v;
	size_t n, i = 0, j;
	const char *id;
	int err;

	if (ss_jv_is(arr, SS_JT_ABSENT))
		return ss_jv_fail(arr, _("missing (it is required)"));
	if (!ss_jv_is(arr, SS_JT_ARRAY))
		return ss_jv_fail(arr, _("expected a list of questions"));
	n = ss_jv_count(arr);
	if (n == 0)
		return ss_jv_fail(arr, _("must hold at least one question"));
	if ((p->questions = calloc(n, sizeof(*p->questions))) == NULL)
		return ss_error_nomem();
	for (; ss_jv_next(arr, &it, &e); i++) {
		struct ss_question *q = &p->questions[i];

		p->nquestions = i + 1;
		if ((err = ss_jv_keys(&e, keys, 0)) != 0)
			return err;
		ss_jv_get(&e, "id", &v);
		if (ss_jv_is(&v, SS_JT_ABSENT))
			return ss_jv_fail(&v, _("missing (it is required)"));
		if ((id = ss_jv_str(&v)) == NULL || !ss_name_valid(id))
			return ss_jv_fail(
			    &v, _("expected a name of lowercase letters, digits and hyphens "
			          "(at most 32, not starting with a hyphen)"));
		for (j = 0; reserved_ids[j] != NULL; j++)
			if (strcmp(reserved_ids[j], id) == 0)
				return ss_jv_fail(
				    &v,
				    _("\"%s\" is taken by a command-line option or worksheet "
				      "column; choose another id"),
				    id);
		for (j = 0; j < i; j++)
			if (strcmp(p->questions[j].id, id) == 0)
				return ss_jv_fail(&v, _("\"%s\" is used by another question"), id);
		if ((q->id = xstrdup(id)) == NULL)
			return ss_error_nomem();
		ss_jv_get(&e, "question", &v);
		if (ss_jv_is(&v, SS_JT_ABSENT))
			return ss_jv_fail(&v, _("missing (it is required)"));
		{
			struct ss_wording w = {0};

			err = get_wording(p, &v, &w);
			q->question = w.en;
			q->question_cy = w.cy;
			if (err)
				return err;
		}
		ss_jv_get(&e, "values", &v);
		if (ss_jv_is(&v, SS_JT_ABSENT))
			return ss_jv_fail(&v, _("missing (it is required)"));
		if ((err = get_choices(p, &v, false, true, &q->values, &q->nvalues,
		                       &q->value_words)) != 0)
			return err;
		if ((err = ss_jv_bool(&e, "required", true, &q->required)) != 0)
			return err;
	}
	return 0;
}

static int parse_outcomes(const struct ss_jv *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"values", "positive", NULL};
	struct ss_jv v;
	size_t i, n = 0;
	int err;

	if (ss_jv_is(obj, SS_JT_ABSENT))
		return ss_jv_fail(obj, _("missing (it is required)"));
	if ((err = ss_jv_keys(obj, keys, 0)) != 0 || (err = v2_only(p, obj, "values")) != 0)
		return err;
	ss_jv_get(obj, "values", &v);
	if (p->format >= 2) {
		if (ss_jv_is(&v, SS_JT_ABSENT))
			return ss_jv_fail(&v, _("missing (list the outcome values a correction may "
			                        "set, e.g. data.police.uk's)"));
		if ((err = get_choices(p, &v, false, false, &p->outcomes, &p->noutcomes,
		                       &p->outcome_words)) != 0)
			return err;
	} else {
		const char *const *d = ss_vocab_values(SS_F_OUTCOME, &n);

		if ((p->outcomes = calloc(n ? n : 1, sizeof(*p->outcomes))) == NULL ||
		    (p->outcome_words = calloc(n ? n : 1, sizeof(*p->outcome_words))) == NULL)
			return ss_error_nomem();
		for (i = 0; i < n; i++) {
			if ((p->outcomes[i] = xstrdup(d[i])) == NULL)
				return ss_error_nomem();
			p->noutcomes = i + 1;
		}
	}
	ss_jv_get(obj, "positive", &v);
	if (ss_jv_is(&v, SS_JT_ABSENT))
		return ss_jv_fail(&v, _("missing (it is required)"));
	if ((err = get_strv(&v, true, false, &p->positive, &p->npositive)) != 0)
		return err;
	for (i = 0; p->format >= 2 && i < p->npositive; i++) {
		struct ss_jv at;

		at_path(&v, &at, "outcomes.positive[%zu]", i);
		if (!ss_policy_outcome_known(p, p->positive[i]))
			return ss_jv_fail(&at, _("\"%s\" is not one of outcomes.values"),
			                  p->positive[i]);
	}
	return 0;
}

/* follow_up: answer values of the questions. */
static int parse_follow_up(const struct ss_jv *v, struct ss_policy *p)
{
	size_t i, j, k;
	int err;

	if (ss_jv_is(v, SS_JT_ABSENT))
		return copy_defaults(default_follow_up, &p->follow_up, &p->nfollow_up, NULL);
	if ((err = get_strv(v, true, true, &p->follow_up, &p->nfollow_up)) != 0)
		return err;
	for (i = 0; i < p->nfollow_up; i++) {
		bool found = false;
		struct ss_jv at;

		for (j = 0; j < p->nquestions && !found; j++)
			for (k = 0; k < p->questions[j].nvalues && !found; k++)
				found = strcmp(p->questions[j].values[k], p->follow_up[i]) == 0;
		at_path(v, &at, "follow_up[%zu]", i);
		if (!found)
			return ss_jv_fail(&at, _("\"%s\" is not an answer any question allows"),
			                  p->follow_up[i]);
	}
	return 0;
}

static int parse_fields(const struct ss_jv *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"officer", "blind", NULL};
	struct ss_jv v;
	const char *s;
	int err;

	if (ss_jv_is(obj, SS_JT_ABSENT))
		return ss_jv_fail(obj, _("missing (it is required: say whether \"officer\" is "
		                         "\"kept\" or \"pseudonymised\")"));
	if ((err = ss_jv_keys(obj, keys, 0)) != 0)
		return err;
	ss_jv_get(obj, "officer", &v);
	s = ss_jv_str(&v);
	if (ss_jv_is(&v, SS_JT_ABSENT))
		return ss_jv_fail(&v, _("missing (expected \"kept\" or \"pseudonymised\")"));
	if (s != NULL && strcmp(s, "kept") == 0)
		p->officer_pseudonymised = false;
	else if (s != NULL && strcmp(s, "pseudonymised") == 0)
		p->officer_pseudonymised = true;
	else
		return ss_jv_fail(&v, _("expected \"kept\" or \"pseudonymised\""));
	return ss_jv_bool(obj, "blind", true, &p->blind);
}

static int parse_population(const struct ss_jv *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"source", "groups", NULL};
	static const char *const gkeys[] = {"area", "ethnicity", "residents", NULL};
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv arr, e, v;
	size_t n, i = 0, j;
	int err;

	if ((err = ss_jv_keys(obj, keys, 0)) != 0)
		return err;
	if ((err = get_text(obj, "source", false, &p->census_source)) != 0)
		return err;
	ss_jv_get(obj, "groups", &arr);
	if (ss_jv_is(&arr, SS_JT_ABSENT))
		return ss_jv_fail(&arr, _("missing (it is required)"));
	if (!ss_jv_is(&arr, SS_JT_ARRAY))
		return ss_jv_fail(&arr, _("expected a list"));
	n = ss_jv_count(&arr);
	if (n == 0)
		return ss_jv_fail(&arr, _("must not be empty"));
	if ((p->census = calloc(n, sizeof(*p->census))) == NULL)
		return ss_error_nomem();
	for (; ss_jv_next(&arr, &it, &e); i++) {
		struct ss_census *g = &p->census[i];
		unsigned long r;

		p->ncensus = i + 1;
		if ((err = ss_jv_keys(&e, gkeys, 0)) != 0)
			return err;
		ss_jv_get(&e, "area", &v);
		if (!ss_jv_is(&v, SS_JT_NULL) && (err = get_text(&e, "area", false, &g->area)) != 0)
			return err;
		if ((err = get_text(&e, "ethnicity", true, &g->ethnicity)) != 0)
			return err;
		ss_jv_get(&e, "residents", &v);
		if (ss_jv_is(&v, SS_JT_ABSENT))
			return ss_jv_fail(&v, _("missing (it is required)"));
		if ((err = ss_jv_uint(&v, 0, 100000000, &r)) != 0)
			return err;
		g->residents = r;
		for (j = 0; j < i; j++) {
			const struct ss_census *h = &p->census[j];
			bool same_area = (h->area == NULL && g->area == NULL) ||
			                 (h->area && g->area && strcmp(h->area, g->area) == 0);

			if (same_area && strcmp(h->ethnicity, g->ethnicity) == 0)
				return ss_jv_fail(&e, _("\"%s\" in %s%s%s is already given"),
				                  g->ethnicity,
				                  g->area ? "\"" : _("the whole force"),
				                  g->area ? g->area : "", g->area ? "\"" : "");
		}
	}
	return 0;
}

static int parse_public(const struct ss_jv *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"min_count", NULL};
	struct ss_jv v;
	unsigned long n;
	int err;

	if ((err = ss_jv_keys(obj, keys, 0)) != 0)
		return err;
	ss_jv_get(obj, "min_count", &v);
	if (ss_jv_is(&v, SS_JT_ABSENT))
		return 0;
	if ((err = ss_jv_uint(&v, 1, 1000, &n)) != 0)
		return err;
	p->public_min = (unsigned)n;
	return 0;
}

int ss_policy_parse(const char *data, size_t len, const char *name, struct ss_policy **out)
{
	static const char *const keys[] = {
	    "format", "name",      "description", "sample",     "roles",  "verdict", "outcomes",
	    "fields", "follow_up", "responses",   "population", "public", NULL};
	const char *file = name ? name : "policy";
	struct ss_policy *p = NULL;
	struct ss_json *doc = NULL;
	struct ss_jv root, v;
	const char *s;
	int err;

	*out = NULL;
	if (len > SS_POLICY_MAX_SIZE) {
		err = ss_error_set(SS_ECONFIG, _("%s: too large for a policy (more than 1 MiB)"),
		                   file);
		goto out;
	}
	if ((err = ss_json_load(data, len, file, SS_ECONFIG, SS_JSON_VOICE_POLICY, &doc)) != 0)
		goto out;
	ss_json_root(doc, &root);
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	p->blind = true;
	p->public_min = 5;
	if ((err = ss_jv_keys(&root, keys, 0)) != 0)
		goto out;
	ss_jv_get(&root, "format", &v);
	if (ss_jv_is(&v, SS_JT_ABSENT)) {
		err = ss_jv_fail(&v, _("missing (expected \"%s\")"), SS_POLICY_FORMAT);
		goto out;
	}
	if ((s = ss_jv_str(&v)) != NULL && strcmp(s, SS_POLICY_FORMAT) == 0)
		p->format = 2;
	else if (s != NULL && strcmp(s, SS_POLICY_FORMAT_V1) == 0)
		p->format = 1;
	else {
		err = ss_jv_fail(&v, _("expected \"%s\" (or an older \"%s\")"), SS_POLICY_FORMAT,
		                 SS_POLICY_FORMAT_V1);
		goto out;
	}
	if ((err = v2_only(p, &root, "follow_up")) != 0 ||
	    (err = v2_only(p, &root, "responses")) != 0)
		goto out;
	if ((err = get_text(&root, "name", true, &p->name)) != 0 ||
	    (err = ss_jv_strdup(&root, "description", 0, &p->description)) != 0)
		goto out;
	ss_jv_get(&root, "sample", &v);
	if ((err = parse_sample(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "roles", &v);
	if ((err = parse_roles(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "verdict", &v);
	if ((err = parse_verdict(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "outcomes", &v);
	if ((err = parse_outcomes(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "fields", &v);
	if ((err = parse_fields(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "follow_up", &v);
	if ((err = parse_follow_up(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "responses", &v);
	if (ss_jv_is(&v, SS_JT_ABSENT))
		err = copy_defaults(default_responses, &p->responses, &p->nresponses,
		                    &p->response_words);
	else
		err = get_choices(p, &v, false, true, &p->responses, &p->nresponses,
		                  &p->response_words);
	if (err)
		goto out;
	ss_jv_get(&root, "population", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT) && (err = parse_population(&v, p)) != 0)
		goto out;
	ss_jv_get(&root, "public", &v);
	if (!ss_jv_is(&v, SS_JT_ABSENT) && (err = parse_public(&v, p)) != 0)
		goto out;
	*out = p;
	p = NULL;
out:
	ss_policy_free(p);
	ss_json_free(doc);
	return err;
}

int ss_policy_load(const char *path, struct ss_policy **out)
{
	struct ss_buf b = SS_BUF_INIT;
	char chunk[65536];
	FILE *f = NULL;
	size_t n;
	int err = 0;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		err = ss_error_set(errno == ENOENT ? SS_ENOINPUT : SS_EIO, _("%s: cannot open: %s"),
		                   path, strerror(errno));
		goto out;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if ((err = ss_buf_put(&b, chunk, n)) != 0)
			goto out;
		if (b.len > SS_POLICY_MAX_SIZE)
			break;
	}
	if (ferror(f)) {
		err = ss_error_set(SS_EIO, _("%s: cannot read"), path);
		goto out;
	}
	err = ss_policy_parse(b.data ? b.data : "", b.len, path, out);
out:
	if (f != NULL)
		fclose(f);
	ss_buf_release(&b);
	return err;
}
