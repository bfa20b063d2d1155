/*
 * policy.c - load and validate a policy (format ssaudit-policy-v1).
 *
 * Everything wrong is SS_ECONFIG with a message "FILE: KEY.PATH: what is wrong"
 * (or "FILE:LINE:COLUMN: ..." for JSON syntax), so a group editing its policy
 * by hand is told exactly where. Unknown and duplicate keys are refused: a
 * typo must not silently turn a rule off.
 */
#include "policy.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define SS_POLICY_FORMAT   "ssaudit-policy-v1"
#define SS_POLICY_MAX_SIZE (1u << 20)
#define SS_PATH_MAX        256

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
    {"policy", SS_MAY_POLICY},
};

struct pctx {
	const char *file;
};

static int perr(const struct pctx *c, const char *path, const char *fmt, ...) SS_PRINTF(3, 4);

static int perr(const struct pctx *c, const char *path, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path == NULL || path[0] == '\0')
		return ss_error_set(SS_ECONFIG, "%s: %s", c->file, msg);
	return ss_error_set(SS_ECONFIG, "%s: %s: %s", c->file, path, msg);
}

/* A key path for messages; a path deeper than SS_PATH_MAX ends in "...". */
static void clip(char out[SS_PATH_MAX], int n)
{
	if (n < 0 || n >= SS_PATH_MAX)
		memcpy(out + SS_PATH_MAX - 4, "...", 4);
}

static void join(char out[SS_PATH_MAX], const char *path, const char *key)
{
	if (path[0] == '\0')
		clip(out, snprintf(out, SS_PATH_MAX, "%s", key));
	else
		clip(out, snprintf(out, SS_PATH_MAX, "%s.%s", path, key));
}

static void join_index(char out[SS_PATH_MAX], const char *path, size_t i)
{
	clip(out, snprintf(out, SS_PATH_MAX, "%s[%zu]", path, i));
}

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
	    "\"%s\" is not a rate like \"25%%\" or \"12.5%%\" (0 to 100, at most two "
	    "decimals, then %%)",
	    s ? s : "");
}

/* ---- freeing ---- */

static void free_strv(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ss_policy_free(struct ss_policy *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	free(p->name);
	free(p->description);
	free(p->rate);
	free(p->strata);
	for (i = 0; i < p->nalways; i++) {
		for (j = 0; j < p->always[i].nvalues; j++)
			free((char *)p->always[i].values[j].s);
		free(p->always[i].values);
	}
	free(p->always);
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].name);
		free_strv(p->roles[i].registers, p->roles[i].nregisters);
		free_strv(p->roles[i].enter_for, p->roles[i].nenter_for);
	}
	free(p->roles);
	for (i = 0; i < p->nquestions; i++) {
		free(p->questions[i].id);
		free(p->questions[i].question);
		free_strv(p->questions[i].values, p->questions[i].nvalues);
	}
	free(p->questions);
	free_strv(p->positive, p->npositive);
	for (i = 0; i < p->ncensus; i++) {
		free(p->census[i].area);
		free(p->census[i].ethnicity);
	}
	free(p->census);
	free(p->census_source);
	free(p);
}

/* ---- JSON helpers ---- */

/* An object with no duplicate keys and only the keys listed (NULL-terminated). */
static int check_object(const struct pctx *c, const cJSON *obj, const char *path,
                        const char *const *keys)
{
	const cJSON *it, *jt;
	char sub[SS_PATH_MAX];

	if (!cJSON_IsObject(obj))
		return perr(c, path, "expected an object");
	for (it = obj->child; it != NULL; it = it->next) {
		join(sub, path, it->string);
		for (jt = obj->child; jt != it; jt = jt->next)
			if (strcmp(jt->string, it->string) == 0)
				return perr(c, sub, "duplicate key");
		if (keys != NULL) {
			size_t i;
			char list[512] = "";

			for (i = 0; keys[i] != NULL; i++)
				if (strcmp(keys[i], it->string) == 0)
					break;
			if (keys[i] != NULL)
				continue;
			for (i = 0; keys[i] != NULL; i++) {
				if (i)
					strncat(list, ", ", sizeof(list) - strlen(list) - 1);
				strncat(list, keys[i], sizeof(list) - strlen(list) - 1);
			}
			return perr(c, sub, "unknown key (expected one of: %s)", list);
		}
	}
	return 0;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A required (or optional, *out left NULL) non-empty string without control characters. */
static int get_text(const struct pctx *c, const cJSON *obj, const char *path, const char *key,
                    bool required, char **out)
{
	const cJSON *v = get(obj, key);
	char sub[SS_PATH_MAX];

	join(sub, path, key);
	if (v == NULL) {
		if (required)
			return perr(c, sub, "missing (it is required)");
		return 0;
	}
	if (!cJSON_IsString(v))
		return perr(c, sub, "expected a string");
	if (v->valuestring[0] == '\0')
		return perr(c, sub, "must not be empty");
	if (has_control(v->valuestring))
		return perr(c, sub, "must not contain control characters");
	if ((*out = xstrdup(v->valuestring)) == NULL)
		return ss_error_nomem();
	return 0;
}

static int get_bool(const struct pctx *c, const cJSON *obj, const char *path, const char *key,
                    bool dflt, bool *out)
{
	const cJSON *v = get(obj, key);
	char sub[SS_PATH_MAX];

	*out = dflt;
	if (v == NULL)
		return 0;
	join(sub, path, key);
	if (!cJSON_IsBool(v))
		return perr(c, sub, "expected true or false");
	*out = cJSON_IsTrue(v);
	return 0;
}

static int get_uint(const struct pctx *c, const cJSON *v, const char *path, unsigned long min,
                    unsigned long max, unsigned long *out)
{
	double d;

	*out = 0;
	if (!cJSON_IsNumber(v))
		return perr(c, path, "expected a whole number");
	d = v->valuedouble;
	/* Written so NaN and infinities fail too, without libm. */
	if (!(d >= -1e15 && d <= 1e15) || d != (double)(long long)d)
		return perr(c, path, "expected a whole number");
	if (d < (double)min || d > (double)max)
		return perr(c, path, "must be from %lu to %lu", min, max);
	*out = (unsigned long)d;
	return 0;
}

/* A list of unique non-empty strings; allow_empty says whether [] is fine. */
static int get_strv(const struct pctx *c, const cJSON *arr, const char *path, bool allow_empty,
                    bool names, char ***out, size_t *nout)
{
	const cJSON *it;
	char sub[SS_PATH_MAX];
	size_t n, i = 0, j;
	char **v;

	if (!cJSON_IsArray(arr))
		return perr(c, path, "expected a list");
	n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0 && !allow_empty)
		return perr(c, path, "must not be empty");
	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return ss_error_nomem();
	*out = v;
	*nout = 0;
	for (it = arr->child; it != NULL; it = it->next, i++) {
		join_index(sub, path, i);
		if (!cJSON_IsString(it))
			return perr(c, sub, "expected a string");
		if (it->valuestring[0] == '\0')
			return perr(c, sub, "must not be empty");
		if (has_control(it->valuestring))
			return perr(c, sub, "must not contain control characters");
		if (names && !ss_name_valid(it->valuestring))
			return perr(c, sub,
			            "\"%s\" is not a valid name (lowercase letters, digits and "
			            "hyphens, at most 32, not starting with a hyphen)",
			            it->valuestring);
		for (j = 0; j < i; j++)
			if (strcmp(v[j], it->valuestring) == 0)
				return perr(c, sub, "\"%s\" is listed twice", it->valuestring);
		if ((v[i] = xstrdup(it->valuestring)) == NULL)
			return ss_error_nomem();
		*nout = i + 1;
	}
	return 0;
}

/* ---- sections ---- */

static const char *type_word(enum ss_ftype t)
{
	return t == SS_FT_BOOL ? "true, false or null" : "a string or null";
}

static int parse_rule_value(const struct pctx *c, const cJSON *v, const char *path, enum ss_field f,
                            struct ss_rule_value *out)
{
	enum ss_ftype t = ss_field_type(f);

	if (cJSON_IsNull(v)) {
		out->kind = SS_RV_NULL;
		return 0;
	}
	if (cJSON_IsBool(v)) {
		if (t != SS_FT_BOOL)
			return perr(c, path,
			            "\"%s\" holds text, so a boolean can never match it "
			            "(expected %s)",
			            ss_field_name(f), type_word(t));
		out->kind = SS_RV_BOOL;
		out->b = cJSON_IsTrue(v);
		return 0;
	}
	if (cJSON_IsString(v)) {
		if (t != SS_FT_STRING)
			return perr(
			    c, path,
			    "\"%s\" is true, false or blank, so a string can never match it "
			    "(expected %s)",
			    ss_field_name(f), type_word(t));
		if (v->valuestring[0] == '\0')
			return perr(
			    c, path,
			    "an empty string never matches (a blank value is null; use null)");
		if ((out->s = xstrdup(v->valuestring)) == NULL)
			return ss_error_nomem();
		out->kind = SS_RV_STRING;
		return 0;
	}
	return perr(c, path, "expected %s", type_word(t));
}

static int parse_rule(const struct pctx *c, const cJSON *obj, const char *path,
                      struct ss_rule *rule)
{
	static const char *const keys[] = {"field", "equals", "in", "contains", NULL};
	const cJSON *field, *eq, *in, *ct;
	char sub[SS_PATH_MAX];
	int err, fi;

	if ((err = check_object(c, obj, path, keys)) != 0)
		return err;
	field = get(obj, "field");
	join(sub, path, "field");
	if (field == NULL)
		return perr(c, sub, "missing (it is required)");
	if (!cJSON_IsString(field))
		return perr(c, sub, "expected a field name");
	if ((fi = ss_field_lookup(field->valuestring)) < 0)
		return perr(c, sub, "\"%s\" is not a record field", field->valuestring);
	rule->field = (enum ss_field)fi;
	eq = get(obj, "equals");
	in = get(obj, "in");
	ct = get(obj, "contains");
	if ((eq != NULL) + (in != NULL) + (ct != NULL) != 1)
		return perr(c, path, "expected exactly one of \"equals\", \"in\", \"contains\"");
	if (eq != NULL || ct != NULL) {
		if ((rule->values = calloc(1, sizeof(*rule->values))) == NULL)
			return ss_error_nomem();
		rule->nvalues = 1;
	}
	if (eq != NULL) {
		rule->op = SS_RULE_EQUALS;
		join(sub, path, "equals");
		return parse_rule_value(c, eq, sub, rule->field, &rule->values[0]);
	}
	if (ct != NULL) {
		rule->op = SS_RULE_CONTAINS;
		join(sub, path, "contains");
		if (ss_field_type(rule->field) != SS_FT_STRING)
			return perr(
			    c, sub,
			    "\"%s\" is true, false or blank: \"contains\" only works on text "
			    "fields (use \"equals\")",
			    ss_field_name(rule->field));
		if (!cJSON_IsString(ct))
			return perr(c, sub, "expected a string");
		if (ct->valuestring[0] == '\0')
			return perr(c, sub, "must not be empty (it would match every value)");
		if ((rule->values[0].s = xstrdup(ct->valuestring)) == NULL)
			return ss_error_nomem();
		rule->values[0].kind = SS_RV_STRING;
		return 0;
	}
	{
		const cJSON *it;
		size_t n, i = 0;

		rule->op = SS_RULE_IN;
		join(sub, path, "in");
		if (!cJSON_IsArray(in))
			return perr(c, sub, "expected a list");
		n = (size_t)cJSON_GetArraySize(in);
		if (n == 0)
			return perr(c, sub, "must not be empty (it would never match)");
		if ((rule->values = calloc(n, sizeof(*rule->values))) == NULL)
			return ss_error_nomem();
		for (it = in->child; it != NULL; it = it->next, i++) {
			char elem[SS_PATH_MAX];

			join_index(elem, sub, i);
			rule->nvalues = i + 1;
			if ((err = parse_rule_value(c, it, elem, rule->field, &rule->values[i])) !=
			    0)
				return err;
		}
	}
	return 0;
}

static int parse_sample(const struct pctx *c, const cJSON *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"rate", "strata", "always", NULL};
	const cJSON *v, *it;
	size_t i, j, n;
	char sub[SS_PATH_MAX];
	int err;

	if (obj == NULL)
		return perr(c, "sample", "missing (it is required)");
	if ((err = check_object(c, obj, "sample", keys)) != 0)
		return err;
	if ((err = get_text(c, obj, "sample", "rate", true, &p->rate)) != 0)
		return err;
	if (ss_rate_parse(p->rate, &p->rate_bp) != 0)
		return perr(c, "sample.rate",
		            "\"%s\" is not a rate like \"25%%\" or \"12.5%%\" (0 to 100, at most "
		            "two decimals, then %%)",
		            p->rate);
	if ((v = get(obj, "strata")) != NULL) {
		if (!cJSON_IsArray(v))
			return perr(c, "sample.strata", "expected a list of field names");
		n = (size_t)cJSON_GetArraySize(v);
		if ((p->strata = calloc(n ? n : 1, sizeof(*p->strata))) == NULL)
			return ss_error_nomem();
		for (i = 0, it = v->child; it != NULL; it = it->next, i++) {
			int fi;

			join_index(sub, "sample.strata", i);
			if (!cJSON_IsString(it))
				return perr(c, sub, "expected a field name");
			if ((fi = ss_field_lookup(it->valuestring)) < 0)
				return perr(c, sub, "\"%s\" is not a record field",
				            it->valuestring);
			for (j = 0; j < i; j++)
				if (p->strata[j] == (enum ss_field)fi)
					return perr(c, sub, "\"%s\" is listed twice",
					            it->valuestring);
			p->strata[i] = (enum ss_field)fi;
			p->nstrata = i + 1;
		}
	}
	if ((v = get(obj, "always")) != NULL) {
		if (!cJSON_IsArray(v))
			return perr(c, "sample.always", "expected a list of rules");
		n = (size_t)cJSON_GetArraySize(v);
		if ((p->always = calloc(n ? n : 1, sizeof(*p->always))) == NULL)
			return ss_error_nomem();
		for (i = 0, it = v->child; it != NULL; it = it->next, i++) {
			join_index(sub, "sample.always", i);
			p->nalways = i + 1;
			if ((err = parse_rule(c, it, sub, &p->always[i])) != 0)
				return err;
		}
	}
	return 0;
}

static int parse_reviews(const struct pctx *c, const cJSON *v, const char *path, struct ss_role *r)
{
	static const char *const keys[] = {"count", "rate", NULL};
	char sub[SS_PATH_MAX];
	const cJSON *x;
	int err;

	if (cJSON_IsString(v)) {
		if (strcmp(v->valuestring, "all") != 0)
			return perr(c, path,
			            "expected \"all\", {\"count\": N} or {\"rate\": \"R%%\"}");
		r->reviews = SS_REVIEWS_ALL;
		return 0;
	}
	if (!cJSON_IsObject(v))
		return perr(c, path, "expected \"all\", {\"count\": N} or {\"rate\": \"R%%\"}");
	if ((err = check_object(c, v, path, keys)) != 0)
		return err;
	if (cJSON_GetArraySize(v) != 1)
		return perr(c, path, "expected exactly one of \"count\" or \"rate\"");
	if ((x = get(v, "count")) != NULL) {
		unsigned long n;

		join(sub, path, "count");
		if ((err = get_uint(c, x, sub, 1, 1000000, &n)) != 0)
			return err;
		r->reviews = SS_REVIEWS_COUNT;
		r->reviews_count = (unsigned)n;
		return 0;
	}
	x = get(v, "rate");
	join(sub, path, "rate");
	if (!cJSON_IsString(x))
		return perr(c, sub, "expected a rate like \"50%%\"");
	if (ss_rate_parse(x->valuestring, &r->reviews_bp) != 0)
		return perr(
		    c, sub,
		    "\"%s\" is not a rate like \"50%%\" or \"12.5%%\" (0 to 100, at most two "
		    "decimals, then %%)",
		    x->valuestring);
	if (r->reviews_bp == 0)
		return perr(c, sub, "a role that reviews 0%% reviews nothing");
	r->reviews = SS_REVIEWS_RATE;
	return 0;
}

static int parse_role(const struct pctx *c, const cJSON *obj, const char *path, struct ss_role *r)
{
	static const char *const keys[] = {"may", "reviews", "registers", "enter_for", NULL};
	char sub[SS_PATH_MAX];
	const cJSON *v, *it;
	size_t i;
	int err;

	if ((err = check_object(c, obj, path, keys)) != 0)
		return err;
	if ((v = get(obj, "may")) != NULL) {
		join(sub, path, "may");
		if (!cJSON_IsArray(v))
			return perr(c, sub, "expected a list");
		for (i = 0, it = v->child; it != NULL; it = it->next, i++) {
			char elem[SS_PATH_MAX];
			size_t k;

			join_index(elem, sub, i);
			if (!cJSON_IsString(it))
				return perr(c, elem, "expected a string");
			for (k = 0; k < sizeof(may_names) / sizeof(may_names[0]); k++)
				if (strcmp(may_names[k].name, it->valuestring) == 0)
					break;
			if (k == sizeof(may_names) / sizeof(may_names[0]))
				return perr(c, elem,
				            "\"%s\" is not a permission (expected import, sample, "
				            "review, enter-for, correct, close or policy)",
				            it->valuestring);
			if (r->may & (unsigned)may_names[k].bit)
				return perr(c, elem, "\"%s\" is listed twice", it->valuestring);
			r->may |= (unsigned)may_names[k].bit;
		}
	}
	if ((v = get(obj, "reviews")) != NULL) {
		join(sub, path, "reviews");
		if ((err = parse_reviews(c, v, sub, r)) != 0)
			return err;
	}
	if ((v = get(obj, "registers")) != NULL) {
		join(sub, path, "registers");
		if ((err = get_strv(c, v, sub, true, true, &r->registers, &r->nregisters)) != 0)
			return err;
	}
	if ((v = get(obj, "enter_for")) != NULL) {
		join(sub, path, "enter_for");
		if ((err = get_strv(c, v, sub, false, true, &r->enter_for, &r->nenter_for)) != 0)
			return err;
	}
	if ((r->may & SS_MAY_REVIEW) && r->reviews == SS_REVIEWS_NONE)
		return perr(
		    c, path,
		    "may \"review\" but says nothing about what it reviews (add \"reviews\")");
	if (!(r->may & SS_MAY_REVIEW) && r->reviews != SS_REVIEWS_NONE) {
		join(sub, path, "reviews");
		return perr(c, sub, "the role reviews but \"review\" is not in its \"may\" list");
	}
	if ((r->may & SS_MAY_ENTER_FOR) && r->nenter_for == 0)
		return perr(
		    c, path,
		    "may \"enter-for\" but does not say for which roles (add \"enter_for\")");
	if (!(r->may & SS_MAY_ENTER_FOR) && r->nenter_for != 0) {
		join(sub, path, "enter_for");
		return perr(c, sub, "\"enter-for\" is not in the role's \"may\" list");
	}
	if (r->may == 0 && r->nregisters == 0)
		return perr(c, path, "the role can do nothing (give it \"may\" or \"registers\")");
	return 0;
}

static int parse_roles(const struct pctx *c, const cJSON *obj, struct ss_policy *p)
{
	char sub[SS_PATH_MAX];
	const cJSON *it;
	size_t n, i, k;
	int err;

	if (obj == NULL)
		return perr(c, "roles", "missing (it is required)");
	if ((err = check_object(c, obj, "roles", NULL)) != 0)
		return err;
	n = (size_t)cJSON_GetArraySize(obj);
	if (n == 0)
		return perr(c, "roles", "must name at least one role");
	if ((p->roles = calloc(n, sizeof(*p->roles))) == NULL)
		return ss_error_nomem();
	for (i = 0, it = obj->child; it != NULL; it = it->next, i++) {
		join(sub, "roles", it->string);
		if (!ss_name_valid(it->string))
			return perr(
			    c, sub,
			    "\"%s\" is not a valid role name (lowercase letters, digits and "
			    "hyphens, at most 32, not starting with a hyphen)",
			    it->string);
		p->nroles = i + 1;
		if ((p->roles[i].name = xstrdup(it->string)) == NULL)
			return ss_error_nomem();
		if ((err = parse_role(c, it, sub, &p->roles[i])) != 0)
			return err;
	}
	/* Cross-references: only once every role is known. */
	for (i = 0; i < p->nroles; i++) {
		const struct ss_role *r = &p->roles[i];

		for (k = 0; k < r->nregisters; k++) {
			snprintf(sub, sizeof(sub), "roles.%s.registers[%zu]", r->name, k);
			if (ss_policy_role(p, r->registers[k]) == NULL)
				return perr(c, sub, "no role is called \"%s\"", r->registers[k]);
		}
		for (k = 0; k < r->nenter_for; k++) {
			const struct ss_role *t = ss_policy_role(p, r->enter_for[k]);

			snprintf(sub, sizeof(sub), "roles.%s.enter_for[%zu]", r->name, k);
			if (t == NULL)
				return perr(c, sub, "no role is called \"%s\"", r->enter_for[k]);
			if (t->reviews == SS_REVIEWS_NONE)
				return perr(c, sub,
				            "\"%s\" does not review, so there is nothing to "
				            "enter for it",
				            t->name);
		}
	}
	return 0;
}

static int parse_verdict(const struct pctx *c, const cJSON *arr, struct ss_policy *p)
{
	static const char *const keys[] = {"id", "question", "values", "required", NULL};
	char sub[SS_PATH_MAX], key[SS_PATH_MAX];
	const cJSON *it, *v;
	size_t n, i, j;
	int err;

	if (arr == NULL)
		return perr(c, "verdict", "missing (it is required)");
	if (!cJSON_IsArray(arr))
		return perr(c, "verdict", "expected a list of questions");
	n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0)
		return perr(c, "verdict", "must hold at least one question");
	if ((p->questions = calloc(n, sizeof(*p->questions))) == NULL)
		return ss_error_nomem();
	for (i = 0, it = arr->child; it != NULL; it = it->next, i++) {
		struct ss_question *q = &p->questions[i];

		join_index(sub, "verdict", i);
		p->nquestions = i + 1;
		if ((err = check_object(c, it, sub, keys)) != 0)
			return err;
		join(key, sub, "id");
		if ((v = get(it, "id")) == NULL)
			return perr(c, key, "missing (it is required)");
		if (!cJSON_IsString(v) || !ss_name_valid(v->valuestring))
			return perr(c, key,
			            "expected a name of lowercase letters, digits and hyphens (at "
			            "most 32, not starting with a hyphen)");
		for (j = 0; reserved_ids[j] != NULL; j++)
			if (strcmp(reserved_ids[j], v->valuestring) == 0)
				return perr(c, key,
				            "\"%s\" is taken by a command-line option or worksheet "
				            "column; choose another id",
				            v->valuestring);
		for (j = 0; j < i; j++)
			if (strcmp(p->questions[j].id, v->valuestring) == 0)
				return perr(c, key, "\"%s\" is used by another question",
				            v->valuestring);
		if ((q->id = xstrdup(v->valuestring)) == NULL)
			return ss_error_nomem();
		if ((err = get_text(c, it, sub, "question", true, &q->question)) != 0)
			return err;
		join(key, sub, "values");
		if ((v = get(it, "values")) == NULL)
			return perr(c, key, "missing (it is required)");
		if ((err = get_strv(c, v, key, false, true, &q->values, &q->nvalues)) != 0)
			return err;
		if ((err = get_bool(c, it, sub, "required", true, &q->required)) != 0)
			return err;
	}
	return 0;
}

static int parse_outcomes(const struct pctx *c, const cJSON *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"positive", NULL};
	const cJSON *v;
	int err;

	if (obj == NULL)
		return perr(c, "outcomes", "missing (it is required)");
	if ((err = check_object(c, obj, "outcomes", keys)) != 0)
		return err;
	if ((v = get(obj, "positive")) == NULL)
		return perr(c, "outcomes.positive", "missing (it is required)");
	return get_strv(c, v, "outcomes.positive", true, false, &p->positive, &p->npositive);
}

static int parse_fields(const struct pctx *c, const cJSON *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"officer", "blind", NULL};
	const cJSON *v;
	int err;

	if (obj == NULL)
		return perr(c, "fields",
		            "missing (it is required: say whether \"officer\" is "
		            "\"kept\" or \"pseudonymised\")");
	if ((err = check_object(c, obj, "fields", keys)) != 0)
		return err;
	if ((v = get(obj, "officer")) == NULL)
		return perr(c, "fields.officer",
		            "missing (expected \"kept\" or \"pseudonymised\")");
	if (cJSON_IsString(v) && strcmp(v->valuestring, "kept") == 0)
		p->officer_pseudonymised = false;
	else if (cJSON_IsString(v) && strcmp(v->valuestring, "pseudonymised") == 0)
		p->officer_pseudonymised = true;
	else
		return perr(c, "fields.officer", "expected \"kept\" or \"pseudonymised\"");
	return get_bool(c, obj, "fields", "blind", true, &p->blind);
}

static int parse_population(const struct pctx *c, const cJSON *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"source", "groups", NULL};
	static const char *const gkeys[] = {"area", "ethnicity", "residents", NULL};
	char sub[SS_PATH_MAX], key[SS_PATH_MAX];
	const cJSON *arr, *it, *v;
	size_t n, i, j;
	int err;

	if ((err = check_object(c, obj, "population", keys)) != 0)
		return err;
	if ((err = get_text(c, obj, "population", "source", false, &p->census_source)) != 0)
		return err;
	if ((arr = get(obj, "groups")) == NULL)
		return perr(c, "population.groups", "missing (it is required)");
	if (!cJSON_IsArray(arr))
		return perr(c, "population.groups", "expected a list");
	n = (size_t)cJSON_GetArraySize(arr);
	if (n == 0)
		return perr(c, "population.groups", "must not be empty");
	if ((p->census = calloc(n, sizeof(*p->census))) == NULL)
		return ss_error_nomem();
	for (i = 0, it = arr->child; it != NULL; it = it->next, i++) {
		struct ss_census *g = &p->census[i];
		unsigned long r;

		join_index(sub, "population.groups", i);
		p->ncensus = i + 1;
		if ((err = check_object(c, it, sub, gkeys)) != 0)
			return err;
		if ((v = get(it, "area")) != NULL && !cJSON_IsNull(v) &&
		    (err = get_text(c, it, sub, "area", false, &g->area)) != 0)
			return err;
		if ((err = get_text(c, it, sub, "ethnicity", true, &g->ethnicity)) != 0)
			return err;
		join(key, sub, "residents");
		if ((v = get(it, "residents")) == NULL)
			return perr(c, key, "missing (it is required)");
		if ((err = get_uint(c, v, key, 0, 100000000, &r)) != 0)
			return err;
		g->residents = r;
		for (j = 0; j < i; j++) {
			const struct ss_census *h = &p->census[j];
			bool same_area = (h->area == NULL && g->area == NULL) ||
			                 (h->area && g->area && strcmp(h->area, g->area) == 0);

			if (same_area && strcmp(h->ethnicity, g->ethnicity) == 0)
				return perr(c, sub, "\"%s\" in %s%s%s is already given",
				            g->ethnicity, g->area ? "\"" : "the whole force",
				            g->area ? g->area : "", g->area ? "\"" : "");
		}
	}
	return 0;
}

static int parse_public(const struct pctx *c, const cJSON *obj, struct ss_policy *p)
{
	static const char *const keys[] = {"min_count", NULL};
	const cJSON *v;
	unsigned long n;
	int err;

	if ((err = check_object(c, obj, "public", keys)) != 0)
		return err;
	if ((v = get(obj, "min_count")) == NULL)
		return 0;
	if ((err = get_uint(c, v, "public.min_count", 1, 1000, &n)) != 0)
		return err;
	p->public_min = (unsigned)n;
	return 0;
}

int ss_policy_parse(const char *data, size_t len, const char *name, struct ss_policy **out)
{
	static const char *const keys[] = {"format",     "name",    "description", "sample",
	                                   "roles",      "verdict", "outcomes",    "fields",
	                                   "population", "public",  NULL};
	struct pctx ctx = {name ? name : "policy"};
	const struct pctx *c = &ctx;
	struct ss_policy *p = NULL;
	cJSON *root = NULL;
	const cJSON *v;
	int err;

	*out = NULL;
	if (len > SS_POLICY_MAX_SIZE) {
		err = perr(c, NULL, "too large for a policy (more than 1 MiB)");
		goto out;
	}
	if ((err = ss_json_parse(data, len, c->file, SS_ECONFIG, &root)) != 0)
		goto out;
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	p->blind = true;
	p->public_min = 5;
	if ((err = check_object(c, root, "", keys)) != 0)
		goto out;
	v = get(root, "format");
	if (v == NULL) {
		err = perr(c, "format", "missing (expected \"" SS_POLICY_FORMAT "\")");
		goto out;
	}
	if (!cJSON_IsString(v) || strcmp(v->valuestring, SS_POLICY_FORMAT) != 0) {
		err = perr(c, "format", "expected \"" SS_POLICY_FORMAT "\"");
		goto out;
	}
	if ((err = get_text(c, root, "", "name", true, &p->name)) != 0)
		goto out;
	if ((v = get(root, "description")) != NULL && !cJSON_IsString(v)) {
		err = perr(c, "description", "expected a string");
		goto out;
	}
	if (v != NULL && (p->description = xstrdup(v->valuestring)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((err = parse_sample(c, get(root, "sample"), p)) != 0)
		goto out;
	if ((err = parse_roles(c, get(root, "roles"), p)) != 0)
		goto out;
	if ((err = parse_verdict(c, get(root, "verdict"), p)) != 0)
		goto out;
	if ((err = parse_outcomes(c, get(root, "outcomes"), p)) != 0)
		goto out;
	if ((err = parse_fields(c, get(root, "fields"), p)) != 0)
		goto out;
	if ((v = get(root, "population")) != NULL && (err = parse_population(c, v, p)) != 0)
		goto out;
	if ((v = get(root, "public")) != NULL && (err = parse_public(c, v, p)) != 0)
		goto out;
	*out = p;
	p = NULL;
out:
	ss_policy_free(p);
	cJSON_Delete(root);
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
		err = ss_error_set(errno == ENOENT ? SS_ENOINPUT : SS_EIO, "%s: cannot open: %s",
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
		err = ss_error_set(SS_EIO, "%s: cannot read", path);
		goto out;
	}
	err = ss_policy_parse(b.data ? b.data : "", b.len, path, out);
out:
	if (f != NULL)
		fclose(f);
	ss_buf_release(&b);
	return err;
}

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

bool ss_policy_outcome_positive(const struct ss_policy *p, const char *outcome)
{
	return p != NULL && outcome != NULL && in_list(p->positive, p->npositive, outcome);
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
