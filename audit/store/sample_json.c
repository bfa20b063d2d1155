/*
 * sample_json.c - sample.json (DESIGN.md section 6) written and read, for
 * both algorithms, and re-derivation of a committed sample from the
 * committed population and policy bytes.
 */
#include "sample.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "json.h"
#include "month.h"
#include "sample_int.h"
#include "stored.h"

#define xstrdup      ss_sample_strdup
#define is_hex64     ss_sample_is_hex64
#define is_month     ss_sample_is_month
#define is_record_id ss_sample_is_record_id

static int blank_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ss_blank *)a)->field, ((const struct ss_blank *)b)->field);
}

static int put_counts(struct ss_buf *out, const size_t *v, size_t n)
{
	size_t i;
	int err = ss_buf_putc(out, '[');

	for (i = 0; i < n && err == 0; i++)
		err = ss_buf_printf(out, "%s%zu", i ? ", " : "", v[i]);
	return err ? err : ss_buf_putc(out, ']');
}

/* ---- sample.json out ---- */

/* The records and the roles' ids, a quarter of a million lines in a large
 * month, are copied into room made once rather than formatted line by line. */

#define LIT(p, s) ((p) = (char *)memcpy((p), (s), sizeof(s) - 1) + sizeof(s) - 1)

static char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* v in decimal (as %d of a nonnegative int). */
static char *put_count(char *p, unsigned v)
{
	char d[12];
	size_t k = 0;

	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (k > 0)
		*p++ = d[--k];
	return p;
}

/* The longest text a record's line adds around its strings. */
#define RECORD_TEXT                                                                                \
	(sizeof(",\n    {\"id\": \"\", \"ticket\": \"\", \"stratum\": , \"reason\": \"\""          \
	        ", \"rule\": }") +                                                                 \
	 12)

static int put_records(struct ss_buf *out, const struct ss_sample *s)
{
	size_t i, room = 0;
	char *p;
	int err;

	for (i = 0; i < s->n; i++) {
		const struct ss_sample_record *r = &s->records[i];

		room += RECORD_TEXT + strlen(r->id) + strlen(r->ticket) + strlen(r->stratum) +
		        strlen(ss_sample_reason_name(r->reason));
	}
	if ((err = ss_buf_grow(out, room)) != 0)
		return err;
	p = out->data + out->len;
	for (i = 0; i < s->n; i++) {
		const struct ss_sample_record *r = &s->records[i];
		const char *reason = ss_sample_reason_name(r->reason);

		if (i)
			*p++ = ',';
		LIT(p, "\n    {\"id\": \"");
		p = put_str(p, r->id, strlen(r->id));
		LIT(p, "\", \"ticket\": \"");
		p = put_str(p, r->ticket, strlen(r->ticket));
		LIT(p, "\", \"stratum\": ");
		p = put_str(p, r->stratum, strlen(r->stratum));
		LIT(p, ", \"reason\": \"");
		p = put_str(p, reason, strlen(reason));
		*p++ = '"';
		if (s->version == 2 && r->rule >= 0) {
			LIT(p, ", \"rule\": ");
			p = put_count(p, (unsigned)r->rule);
		}
		*p++ = '}';
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
	return 0;
}

static int put_ids(struct ss_buf *out, const struct ss_sample_role *r)
{
	size_t i, room = 0;
	char *p;
	int err;

	for (i = 0; i < r->n; i++)
		room += sizeof(",\n      \"\"") + strlen(r->ids[i]);
	if ((err = ss_buf_grow(out, room)) != 0)
		return err;
	p = out->data + out->len;
	for (i = 0; i < r->n; i++) {
		if (i)
			*p++ = ',';
		LIT(p, "\n      \"");
		p = put_str(p, r->ids[i], strlen(r->ids[i]));
		*p++ = '"';
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
	return 0;
}

int ss_sample_to_json(const struct ss_sample *s, struct ss_buf *out)
{
	size_t i;
	int err = 0;

#define PUT(x)                                                                                     \
	do {                                                                                       \
		if ((err = (x)) != 0)                                                              \
			goto out;                                                                  \
	} while (0)
	PUT(ss_buf_printf(out, "{\n  \"algorithm\": \"%s\",\n  \"month\": ",
	                  s->version == 1 ? SS_SAMPLE_ALGORITHM_V1 : SS_SAMPLE_ALGORITHM));
	PUT(ss_buf_json_string_or_null(out, s->month));
	PUT(ss_buf_puts(out, ",\n  \"seed\": "));
	PUT(ss_buf_json_string_or_null(out, s->seed));
	PUT(ss_buf_printf(out,
	                  ",\n  \"seed_source\": \"%s\",\n  \"population_sha256\": \"%s\",\n"
	                  "  \"policy_sha256\": \"%s\",\n  \"rate\": ",
	                  s->generated ? "generated" : "given", s->population_sha256,
	                  s->policy_sha256));
	PUT(ss_buf_json_string_or_null(out, s->rate));
	if (s->version == 2) {
		PUT(ss_buf_puts(out, ",\n  \"random\": "));
		PUT(ss_buf_json_string_or_null(out, s->random));
	}
	PUT(ss_buf_puts(out, ",\n  \"strata\": ["));
	for (i = 0; i < s->nstrata; i++) {
		const struct ss_stratum *st = &s->strata[i];

		if (s->version == 1)
			PUT(ss_buf_printf(out,
			                  "%s\n    {\"key\": %s, \"population\": %zu, \"always\": "
			                  "%zu, \"drawn\": %zu}",
			                  i ? "," : "", st->key, st->population, st->always,
			                  st->drawn));
		else
			PUT(ss_buf_printf(
			    out,
			    "%s\n    {\"key\": %s, \"population\": %zu, \"core\": %zu, "
			    "\"always\": %zu, \"targeted\": %zu, \"not_reached\": %zu}",
			    i ? "," : "", st->key, st->population, st->core, st->always,
			    st->targeted, st->not_reached));
	}
	PUT(ss_buf_puts(out, s->nstrata ? "\n  ]," : "],"));
	if (s->version == 2) {
		PUT(ss_buf_puts(out, "\n  \"not_reached_by_rule\": "));
		PUT(put_counts(out, s->not_reached_by_rule, s->nrules));
		PUT(ss_buf_putc(out, ','));
	}
	PUT(ss_buf_puts(out, "\n  \"blanks\": {"));
	for (i = 0; i < s->nblanks; i++)
		PUT(ss_buf_printf(out, "%s\n    \"%s\": %zu", i ? "," : "", s->blanks[i].field,
		                  s->blanks[i].count));
	PUT(ss_buf_puts(out, s->nblanks ? "\n  },\n  \"records\": [" : "},\n  \"records\": ["));
	PUT(put_records(out, s));
	PUT(ss_buf_puts(out, s->n ? "\n  ]," : "],"));
	if (s->version == 2) {
		PUT(ss_buf_puts(out, "\n  \"matched_by_rule\": "));
		PUT(put_counts(out, s->matched_by_rule, s->nrules));
		PUT(ss_buf_putc(out, ','));
	}
	PUT(ss_buf_puts(out, "\n  \"roles\": {"));
	for (i = 0; i < s->nroles; i++) {
		const struct ss_sample_role *r = &s->roles[i];

		PUT(ss_buf_printf(out, "%s\n    \"%s\": [", i ? "," : "", r->role));
		PUT(put_ids(out, r));
		PUT(ss_buf_puts(out, r->n ? "\n    ]" : "]"));
	}
	PUT(ss_buf_puts(out, s->nroles ? "\n  }\n}\n" : "}\n}\n"));
#undef PUT
out:
	return err;
}

/* ---- sample.json in ---- */

/* The canonical compact form of a stratum key: an array of strings,
 * booleans and nulls; refusals name `at`. */
static int stratum_of(const struct ss_jv *arr, const struct ss_jv *at, char **out)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_buf b = SS_BUF_INIT;
	struct ss_jv e;
	bool first = true;
	int err = 0;

	if (!ss_jv_is(arr, SS_JT_ARRAY)) {
		err = ss_jv_fail(at, _("expected a list of values"));
		goto out;
	}
	if ((err = ss_buf_putc(&b, '[')) != 0)
		goto out;
	while (ss_jv_next(arr, &it, &e)) {
		if (!first && (err = ss_buf_putc(&b, ',')) != 0)
			goto out;
		first = false;
		if (ss_jv_str(&e) != NULL)
			err = ss_buf_json_string(&b, ss_jv_str(&e), strlen(ss_jv_str(&e)));
		else if (ss_jv_is(&e, SS_JT_BOOL))
			err = ss_buf_puts(&b, ss_jv_true(&e) ? "true" : "false");
		else if (ss_jv_is(&e, SS_JT_NULL))
			err = ss_buf_puts(&b, "null");
		else
			err = ss_jv_fail(at, _("expected strings, true, false or null"));
		if (err)
			goto out;
	}
	if ((err = ss_buf_putc(&b, ']')) != 0)
		goto out;
	*out = ss_buf_detach(&b);
out:
	ss_buf_release(&b);
	return err;
}

/* A list of counts (v2's matched_by_rule and not_reached_by_rule). */
static int counts_of(const struct ss_jv *root, const char *key, size_t **out, size_t *n)
{
	struct ss_jv_iter it = SS_JV_ITER_INIT;
	struct ss_jv v, e;
	size_t i = 0;
	int err;

	ss_jv_get(root, key, &v);
	if (!ss_jv_is(&v, SS_JT_ARRAY))
		return ss_jv_fail(&v, _("expected a list of counts, one per rule"));
	*n = ss_jv_count(&v);
	if ((*out = calloc(*n ? *n : 1, sizeof(**out))) == NULL)
		return ss_error_nomem();
	for (; ss_jv_next(&v, &it, &e); i++)
		if ((err = ss_jv_count_of(&e, &(*out)[i])) != 0)
			return err;
	return 0;
}

/* A record's reason (and, in v2, its rule): v1 always or random; v2 core or
 * targeted, a targeted record always naming its rule. */
static int reason_of(const struct ss_sample *s, const struct ss_jv *it, const char *str,
                     struct ss_sample_record *sr)
{
	struct ss_jv x;
	unsigned long rule;
	int err;

	if (s->version == 1) {
		if (str == NULL || (strcmp(str, "always") != 0 && strcmp(str, "random") != 0))
			return ss_jv_fail(it, _("reason: expected \"always\" or \"random\""));
		sr->reason = strcmp(str, "always") == 0 ? SS_REASON_ALWAYS : SS_REASON_RANDOM;
		sr->always = sr->reason == SS_REASON_ALWAYS;
		return 0;
	}
	if (str == NULL || (strcmp(str, "core") != 0 && strcmp(str, "targeted") != 0))
		return ss_jv_fail(it, _("reason: expected \"core\" or \"targeted\""));
	sr->reason = strcmp(str, "core") == 0 ? SS_REASON_CORE : SS_REASON_TARGETED;
	ss_jv_get(it, "rule", &x);
	if (ss_jv_is(&x, SS_JT_ABSENT)) {
		if (sr->reason == SS_REASON_TARGETED)
			return ss_jv_fail(it, _("a targeted record must name its rule"));
		return 0;
	}
	if (s->nrules == 0)
		return ss_jv_fail(&x, _("the sample counts no rules"));
	if ((err = ss_jv_uint(&x, 0, s->nrules - 1, &rule)) != 0)
		return err;
	sr->rule = (int)rule;
	sr->always = true;
	return 0;
}

static int role_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ss_sample_role *)a)->role,
	              ((const struct ss_sample_role *)b)->role);
}

int ss_sample_from_json(const char *data, size_t len, const char *name, struct ss_sample **out)
{
	static const char *const keys1[] = {
	    "algorithm",     "month", "seed",   "seed_source", "population_sha256",
	    "policy_sha256", "rate",  "strata", "blanks",      "records",
	    "roles",         NULL};
	static const char *const keys2[] = {"algorithm",
	                                    "month",
	                                    "seed",
	                                    "seed_source",
	                                    "population_sha256",
	                                    "policy_sha256",
	                                    "rate",
	                                    "random",
	                                    "strata",
	                                    "not_reached_by_rule",
	                                    "blanks",
	                                    "records",
	                                    "matched_by_rule",
	                                    "roles",
	                                    NULL};
	static const char *const skeys1[] = {"key", "population", "always", "drawn", NULL};
	static const char *const skeys2[] = {"key",      "population",  "core", "always",
	                                     "targeted", "not_reached", NULL};
	static const char *const rkeys[] = {"id", "ticket", "stratum", "reason", NULL};
	static const char *const rkeys2[] = {"id", "ticket", "stratum", "reason", "rule", NULL};
	const char *file = name ? name : "sample.json";
	struct ss_sample *s = NULL;
	struct ss_json *doc = NULL;
	struct ss_jv root, v, it, x;
	struct ss_jv_iter at;
	const char *str;
	size_t i, n;
	unsigned bp;
	int err;

	*out = NULL;
	if ((err = ss_json_load(data, len, file, SS_EDATA, SS_JSON_VOICE_POLICY, &doc)) != 0)
		goto out;
	ss_json_root(doc, &root);
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	str = (ss_jv_get(&root, "algorithm", &x), ss_jv_str(&x));
	if (str != NULL && strcmp(str, SS_SAMPLE_ALGORITHM) == 0)
		s->version = 2;
	else if (str != NULL && strcmp(str, SS_SAMPLE_ALGORITHM_V1) == 0)
		s->version = 1;
	else {
		err = ss_jv_fail(&x, _("expected \"%s\" (or, in older trails, \"%s\")"),
		                 SS_SAMPLE_ALGORITHM, SS_SAMPLE_ALGORITHM_V1);
		goto out;
	}
	if ((err = ss_jv_keys(&root, s->version == 1 ? keys1 : keys2,
	                      SS_JK_EXACT | SS_JK_AT_OBJECT)) != 0)
		goto out;
	if ((str = (ss_jv_get(&root, "month", &x), ss_jv_str(&x))) == NULL || !is_month(str)) {
		err = ss_jv_fail(&x, _("expected a month YYYY-MM"));
		goto out;
	}
	if ((s->month = xstrdup(str)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if ((str = (ss_jv_get(&root, "seed", &x), ss_jv_str(&x))) == NULL) {
		err = ss_jv_fail(&x, _("expected a string"));
		goto out;
	}
	if (ss_sample_seed_check(str) != 0) {
		err = ss_jv_fail(&x, "%s", ss_error_message());
		goto out;
	}
	if ((s->seed = xstrdup(str)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	str = (ss_jv_get(&root, "seed_source", &x), ss_jv_str(&x));
	if (str == NULL || (strcmp(str, "given") != 0 && strcmp(str, "generated") != 0)) {
		err = ss_jv_fail(&x, _("expected \"given\" or \"generated\""));
		goto out;
	}
	s->generated = strcmp(str, "generated") == 0;
	if (!is_hex64(str = (ss_jv_get(&root, "population_sha256", &x), ss_jv_str(&x)))) {
		err = ss_jv_fail(&x, _("expected 64 lowercase hex digits"));
		goto out;
	}
	memcpy(s->population_sha256, str, 65);
	if (!is_hex64(str = (ss_jv_get(&root, "policy_sha256", &x), ss_jv_str(&x)))) {
		err = ss_jv_fail(&x, _("expected 64 lowercase hex digits"));
		goto out;
	}
	memcpy(s->policy_sha256, str, 65);
	if ((str = (ss_jv_get(&root, "rate", &x), ss_jv_str(&x))) == NULL ||
	    ss_rate_parse(str, &bp) != 0) {
		err = ss_jv_fail(&x, _("expected a rate like \"25%%\""));
		goto out;
	}
	if ((s->rate = xstrdup(str)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if (s->version == 2) {
		unsigned rbp;

		if ((str = (ss_jv_get(&root, "random", &x), ss_jv_str(&x))) == NULL ||
		    ss_rate_parse(str, &rbp) != 0 || rbp > bp) {
			err = ss_jv_fail(&x, _("expected a rate like \"15%%\", at most the rate"));
			goto out;
		}
		if ((s->random = xstrdup(str)) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = counts_of(&root, "matched_by_rule", &s->matched_by_rule, &s->nrules)) !=
		        0 ||
		    (err = counts_of(&root, "not_reached_by_rule", &s->not_reached_by_rule, &n)) !=
		        0)
			goto out;
		if (n != s->nrules) {
			ss_jv_get(&root, "not_reached_by_rule", &x);
			err = ss_jv_fail(&x, _("has %zu counts but matched_by_rule has %zu"), n,
			                 s->nrules);
			goto out;
		}
	}

	ss_jv_get(&root, "strata", &v);
	if (!ss_jv_is(&v, SS_JT_ARRAY)) {
		err = ss_jv_fail(&v, _("expected a list"));
		goto out;
	}
	n = ss_jv_count(&v);
	if ((s->strata = calloc(n ? n : 1, sizeof(*s->strata))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		struct ss_stratum *st = &s->strata[i];

		s->nstrata = i + 1;
		if ((err = ss_jv_keys(&it, s->version == 1 ? skeys1 : skeys2,
		                      SS_JK_EXACT | SS_JK_AT_OBJECT)) != 0 ||
		    (ss_jv_get(&it, "key", &x), err = stratum_of(&x, &it, &st->key)) != 0 ||
		    (ss_jv_get(&it, "population", &x), err = ss_jv_count_of(&x, &st->population)) ||
		    (ss_jv_get(&it, "always", &x), err = ss_jv_count_of(&x, &st->always)))
			goto out;
		if (s->version == 1) {
			if ((ss_jv_get(&it, "drawn", &x), err = ss_jv_count_of(&x, &st->drawn)))
				goto out;
			continue;
		}
		if ((ss_jv_get(&it, "core", &x), err = ss_jv_count_of(&x, &st->core)) ||
		    (ss_jv_get(&it, "targeted", &x), err = ss_jv_count_of(&x, &st->targeted)) ||
		    (ss_jv_get(&it, "not_reached", &x), err = ss_jv_count_of(&x, &st->not_reached)))
			goto out;
		st->drawn = st->core + st->targeted;
	}

	ss_jv_get(&root, "blanks", &v);
	if ((err = ss_jv_keys(&v, NULL, SS_JK_AT_OBJECT)) != 0)
		goto out;
	n = ss_jv_count(&v);
	if ((s->blanks = calloc(n ? n : 1, sizeof(*s->blanks))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		if (ss_field_lookup(ss_jv_key(&it)) < 0) {
			err = ss_jv_fail(&it, _("not a record field"));
			goto out;
		}
		s->nblanks = i + 1;
		if ((s->blanks[i].field = xstrdup(ss_jv_key(&it))) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = ss_jv_count_of(&it, &s->blanks[i].count)) != 0)
			goto out;
	}
	qsort(s->blanks, s->nblanks, sizeof(*s->blanks), blank_cmp);

	ss_jv_get(&root, "records", &v);
	if (!ss_jv_is(&v, SS_JT_ARRAY)) {
		err = ss_jv_fail(&v, _("expected a list"));
		goto out;
	}
	n = ss_jv_count(&v);
	if ((s->records = calloc(n ? n : 1, sizeof(*s->records))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		struct ss_sample_record *sr = &s->records[i];

		s->n = i + 1;
		sr->rule = -1;
		ss_jv_get(&it, "rule", &x);
		if ((err = ss_jv_keys(
		         &it, s->version == 2 && !ss_jv_is(&x, SS_JT_ABSENT) ? rkeys2 : rkeys,
		         SS_JK_EXACT | SS_JK_AT_OBJECT)) != 0)
			goto out;
		ss_jv_get(&it, "id", &x);
		if ((str = ss_jv_str(&x)) == NULL || !is_record_id(str)) {
			err = ss_jv_fail(
			    &it, _("id: expected a record id (R- and 16 letters or digits)"));
			goto out;
		}
		memcpy(sr->id, str, SS_ID_LEN + 1);
		ss_jv_get(&it, "ticket", &x);
		if (!is_hex64(str = ss_jv_str(&x))) {
			err = ss_jv_fail(&it, _("ticket: expected 64 lowercase hex digits"));
			goto out;
		}
		memcpy(sr->ticket, str, 65);
		ss_jv_get(&it, "stratum", &x);
		if ((err = stratum_of(&x, &it, &sr->stratum)) != 0)
			goto out;
		ss_jv_get(&it, "reason", &x);
		if ((err = reason_of(s, &it, ss_jv_str(&x), sr)) != 0)
			goto out;
	}

	ss_jv_get(&root, "roles", &v);
	if ((err = ss_jv_keys(&v, NULL, SS_JK_AT_OBJECT)) != 0)
		goto out;
	n = ss_jv_count(&v);
	if ((s->roles = calloc(n ? n : 1, sizeof(*s->roles))) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	at = (struct ss_jv_iter)SS_JV_ITER_INIT;
	for (i = 0; ss_jv_next(&v, &at, &it); i++) {
		struct ss_jv_iter ids = SS_JV_ITER_INIT;
		struct ss_sample_role *r = &s->roles[i];
		size_t j;

		if (!ss_name_valid(ss_jv_key(&it))) {
			err = ss_jv_fail(&it, _("not a valid role name"));
			goto out;
		}
		if (!ss_jv_is(&it, SS_JT_ARRAY)) {
			err = ss_jv_fail(&it, _("expected a list of record ids"));
			goto out;
		}
		s->nroles = i + 1;
		if ((r->role = xstrdup(ss_jv_key(&it))) == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		if ((err = ss_sample_role_alloc(r, ss_jv_count(&it))) != 0)
			goto out;
		for (j = 0; ss_jv_next(&it, &ids, &x); j++) {
			if ((str = ss_jv_str(&x)) == NULL || !is_record_id(str)) {
				err = ss_jv_fail(&it, _("item %zu: expected a record id"), j);
				goto out;
			}
			memcpy(r->ids[j], str, SS_ID_LEN + 1);
		}
	}
	qsort(s->roles, s->nroles, sizeof(*s->roles), role_cmp);
	if ((err = ss_sample_index(s, file)) != 0)
		goto out;
	*out = s;
	s = NULL;
out:
	ss_sample_free(s);
	ss_json_free(doc);
	return err;
}

/* ---- re-derivation ---- */

static int compare(const struct ss_sample *c, const struct ss_sample *d)
{
	size_t i, j;

	if (strcmp(c->rate, d->rate) != 0)
		return ss_error_set(SS_EFAIL,
		                    _("the sample says rate \"%s\" but its policy says \"%s\""),
		                    c->rate, d->rate);
	if (c->version == 2 && strcmp(c->random, d->random) != 0)
		return ss_error_set(SS_EFAIL,
		                    _("the sample says random \"%s\" but its policy gives \"%s\""),
		                    c->random, d->random);
	if (c->nrules != d->nrules)
		return ss_error_set(SS_EFAIL,
		                    _("the sample counts %zu always-rules but its policy has %zu"),
		                    c->nrules, d->nrules);
	for (i = 0; i < c->nrules; i++)
		if (c->matched_by_rule[i] != d->matched_by_rule[i] ||
		    c->not_reached_by_rule[i] != d->not_reached_by_rule[i])
			return ss_error_set(
			    SS_EFAIL,
			    _("rule %zu: committed %zu matched and %zu not reached; "
			      "re-derived %zu and "
			      "%zu"),
			    i, c->matched_by_rule[i], c->not_reached_by_rule[i],
			    d->matched_by_rule[i], d->not_reached_by_rule[i]);
	for (i = 0; i < c->n; i++)
		if (ss_sample_find(d, c->records[i].id) == NULL)
			return ss_error_set(SS_EFAIL,
			                    _("record %s is in the committed sample but not in the "
			                      "re-derived one"),
			                    c->records[i].id);
	for (i = 0; i < d->n; i++)
		if (ss_sample_find(c, d->records[i].id) == NULL)
			return ss_error_set(
			    SS_EFAIL,
			    _("record %s is in the re-derived sample but not in the "
			      "committed one"),
			    d->records[i].id);
	for (i = 0; i < c->n; i++) {
		const struct ss_sample_record *x = &c->records[i];
		const struct ss_sample_record *y = ss_sample_find(d, x->id);

		if (strcmp(x->ticket, y->ticket) != 0)
			return ss_error_set(
			    SS_EFAIL,
			    _("record %s: the committed ticket is %s but the seed gives "
			      "%s"),
			    x->id, x->ticket, y->ticket);
		if (strcmp(x->stratum, y->stratum) != 0)
			return ss_error_set(
			    SS_EFAIL,
			    _("record %s: the committed stratum is %s but the record's "
			      "is %s"),
			    x->id, x->stratum, y->stratum);
		if (x->reason != y->reason)
			return ss_error_set(
			    SS_EFAIL, _("record %s: committed as \"%s\" but re-derived as \"%s\""),
			    x->id, ss_sample_reason_name(x->reason),
			    ss_sample_reason_name(y->reason));
		if (x->rule != y->rule)
			return ss_error_set(
			    SS_EFAIL,
			    _("record %s: committed with rule %d but it matches rule %d "
			      "first (-1: none)"),
			    x->id, x->rule, y->rule);
	}
	for (i = 0; i < c->n; i++)
		if (strcmp(c->records[i].id, d->records[i].id) != 0)
			return ss_error_set(SS_EFAIL,
			                    _("records[%zu] is %s but in ticket order it is %s"), i,
			                    c->records[i].id, d->records[i].id);
	if (c->nstrata != d->nstrata)
		return ss_error_set(
		    SS_EFAIL, _("the committed sample lists %zu strata but the population has %zu"),
		    c->nstrata, d->nstrata);
	for (i = 0; i < c->nstrata; i++) {
		const struct ss_stratum *x = &c->strata[i], *y = &d->strata[i];

		if (strcmp(x->key, y->key) != 0)
			return ss_error_set(SS_EFAIL,
			                    _("strata[%zu] is %s but re-derived it is %s"), i,
			                    x->key, y->key);
		if (x->core != y->core || x->targeted != y->targeted ||
		    x->not_reached != y->not_reached)
			return ss_error_set(
			    SS_EFAIL,
			    _("stratum %s: committed core %zu, targeted %zu, not reached %zu; "
			      "re-derived %zu, %zu, %zu"),
			    x->key, x->core, x->targeted, x->not_reached, y->core, y->targeted,
			    y->not_reached);
		if (x->population != y->population || x->always != y->always ||
		    x->drawn != y->drawn)
			return ss_error_set(
			    SS_EFAIL,
			    _("stratum %s: committed population %zu, always %zu, drawn "
			      "%zu; re-derived %zu, %zu, %zu"),
			    x->key, x->population, x->always, x->drawn, y->population, y->always,
			    y->drawn);
	}
	if (c->nblanks != d->nblanks)
		return ss_error_set(
		    SS_EFAIL,
		    _("the committed sample counts blanks in %zu fields but the policy "
		      "names %zu"),
		    c->nblanks, d->nblanks);
	for (i = 0; i < c->nblanks; i++) {
		if (strcmp(c->blanks[i].field, d->blanks[i].field) != 0)
			return ss_error_set(SS_EFAIL,
			                    _("blanks: \"%s\" is counted but \"%s\" is not"),
			                    c->blanks[i].field, d->blanks[i].field);
		if (c->blanks[i].count != d->blanks[i].count)
			return ss_error_set(
			    SS_EFAIL, _("blanks.%s: committed %zu but the population has %zu"),
			    c->blanks[i].field, c->blanks[i].count, d->blanks[i].count);
	}
	for (i = 0; i < d->nroles; i++)
		if (ss_sample_role(c, d->roles[i].role) == NULL)
			return ss_error_set(SS_EFAIL, _("roles: \"%s\" reviews but has no list"),
			                    d->roles[i].role);
	for (i = 0; i < c->nroles; i++) {
		const struct ss_sample_role *x = &c->roles[i];
		const struct ss_sample_role *y = ss_sample_role(d, x->role);

		if (y == NULL)
			return ss_error_set(SS_EFAIL,
			                    _("roles: \"%s\" has a list but the policy gives it "
			                      "nothing to review"),
			                    x->role);
		for (j = 0; j < x->n && j < y->n; j++)
			if (strcmp(x->ids[j], y->ids[j]) != 0)
				return ss_error_set(
				    SS_EFAIL, _("roles.%s[%zu] is %s but re-derived it is %s"),
				    x->role, j, x->ids[j], y->ids[j]);
		if (x->n != y->n)
			return ss_error_set(SS_EFAIL,
			                    _("roles.%s: committed %zu records but re-derived %zu"),
			                    x->role, x->n, y->n);
	}
	return 0;
}

int ss_sample_rederive_read(const struct ss_sample *committed, const struct ss_population *pop,
                            const char pop_sha256[65], const char *policy_json, size_t policy_len)
{
	struct ss_sample *derived = NULL;
	struct ss_policy *pol = NULL;
	char pol_sha[65];
	int err;

	ss_sha256_hex(pol_sha, policy_json, policy_len);
	if (strcmp(committed->population_sha256, pop_sha256) != 0)
		return ss_error_set(SS_EFAIL,
		                    _("sample.json names population %s but population.jsonl has "
		                      "SHA-256 %s"),
		                    committed->population_sha256, pop_sha256);
	if (strcmp(committed->policy_sha256, pol_sha) != 0)
		return ss_error_set(SS_EFAIL,
		                    _("sample.json names policy %s but the policy has SHA-256 %s"),
		                    committed->policy_sha256, pol_sha);
	if ((err = ss_policy_parse(policy_json, policy_len, "policy.json", &pol)) != 0)
		goto out;
	if ((err = (committed->version == 1 ? ss_sample_draw_v1 : ss_sample_draw)(
	         pop, pol, committed->month, committed->seed, committed->generated, pop_sha256,
	         pol_sha, &derived)) != 0)
		goto out;
	err = compare(committed, derived);
out:
	ss_sample_free(derived);
	ss_policy_free(pol);
	return err;
}

int ss_sample_rederive(const char *sample_json, size_t sample_len, const char *population_jsonl,
                       size_t population_len, const char *policy_json, size_t policy_len)
{
	struct ss_sample *committed = NULL;
	struct ss_population *pop = NULL;
	struct ss_policy *pol = NULL;
	struct ss_stored_opts keep = {0};
	char pop_sha[65];
	int err;

	if ((err = ss_sample_from_json(sample_json, sample_len, "sample.json", &committed)) != 0)
		goto out;
	ss_sha256_hex(pop_sha, population_jsonl, population_len);
	/* Only the ids and the fields the draw reads (verify checks every
	 * record's form at its import); a policy that does not parse is
	 * refused by ss_sample_rederive_read, after the digests. */
	if (ss_policy_parse(policy_json, policy_len, "policy.json", &pol) == 0)
		keep.fields = ss_month_draw_fields(pol);
	ss_error_clear();
	if ((err = ss_stored_read(population_jsonl, population_len, "population.jsonl", &keep,
	                          &pop)) != 0)
		goto out;
	err = ss_sample_rederive_read(committed, pop, pop_sha, policy_json, policy_len);
out:
	ss_sample_free(committed);
	ss_population_free(pop);
	ss_policy_free(pol);
	return err;
}
