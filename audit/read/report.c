/*
 * report.c - the report's model: a report made (ss_report_new), its running
 * totals and their counters, the range of months it covers, its finishing in
 * order (ss_report_finish) and its freeing. Adding a month is in
 * report_month.c, the finished tables in report_tables.c, small-count hiding
 * in report_public.c, words for figures in report_fig.c. Nothing here prints
 * or formats a document; see report_text.c and its siblings for that.
 */
#include "report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "layout.h"
#include "report_int.h"
#include "uktime.h"
#include "verdict.h"

#define TITLE1 N_("Stop and search report: %s")
#define TITLE2 N_("Stop and search report: %s to %s")

/* ---- a count per key (or key pair) ---- */

/* A part of a packed key: 0 for a blank, or 1, the bytes and a NUL; as no
 * key holds a NUL, no two pairs pack alike, and each part reads back as a C
 * string from the map's copy. */
static size_t pack_part(char *out, const char *k)
{
	size_t n;

	if (k == NULL) {
		if (out != NULL)
			out[0] = 0;
		return 1;
	}
	n = strlen(k);
	if (out != NULL) {
		out[0] = 1;
		memcpy(out + 1, k, n + 1);
	}
	return n + 2;
}

static const char *unpack_part(const char **p)
{
	const char *k;

	if (*(*p)++ == 0)
		return NULL;
	k = *p;
	*p += strlen(k) + 1;
	return k;
}

/* The packed key of (k1, k2) in buf when it fits, else in *heap (freed by
 * the caller); NULL when out of memory. */
static const char *pack(char *buf, size_t cap, const char *k1, const char *k2, size_t *len,
                        char **heap)
{
	size_t n1 = pack_part(NULL, k1);
	char *out = buf;

	*heap = NULL;
	*len = n1 + pack_part(NULL, k2);
	if (*len > cap && (out = *heap = malloc(*len)) == NULL)
		return NULL;
	pack_part(out, k1);
	pack_part(out + n1, k2);
	return out;
}

int ss_report_counter_add(struct ss_report_counter *c, const char *k1, const char *k2, size_t by)
{
	union ss_map_value *v;
	char buf[256], *heap = NULL;
	const char *key;
	size_t len;
	int err;

	if (c->m == NULL && (err = ss_map_new(&c->m, SS_MAP_COPY_KEYS, NULL)) != 0)
		return err;
	if ((key = pack(buf, sizeof(buf), k1, k2, &len, &heap)) == NULL)
		return ss_error_nomem();
	if ((err = ss_map_put(c->m, key, len, &v, NULL)) == 0)
		v->size += by;
	free(heap);
	return err;
}

size_t ss_report_counter_get(const struct ss_report_counter *c, const char *k1, const char *k2)
{
	union ss_map_value *v;
	char buf[256], *heap = NULL;
	const char *key;
	size_t len, n = 0;

	if (c->m == NULL)
		return 0;
	/* Out of memory for a long key: it cannot have been counted either. */
	if ((key = pack(buf, sizeof(buf), k1, k2, &len, &heap)) == NULL)
		return 0;
	if ((v = ss_map_get(c->m, key, len)) != NULL)
		n = v->size;
	free(heap);
	return n;
}

size_t ss_report_counter_size(const struct ss_report_counter *c)
{
	return c->m != NULL ? ss_map_count(c->m) : 0;
}

bool ss_report_counter_next(const struct ss_report_counter *c, size_t *pos, const char **k1,
                            const char **k2, size_t *count)
{
	struct ss_map_entry e;
	const char *p;

	if (c->m == NULL || !ss_map_next(c->m, pos, &e))
		return false;
	p = e.key;
	*k1 = unpack_part(&p);
	*k2 = unpack_part(&p);
	*count = e.value.size;
	return true;
}

void ss_report_counter_release(struct ss_report_counter *c)
{
	ss_map_free(c->m);
	c->m = NULL;
}

/* ---- small helpers ---- */

bool ss_report_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

char *ss_report_dup_or_null(const char *s, int *err)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*err = SS_ENOMEM;
	return d;
}

/* Make room for one more element in *v (n used of *cap). */
int ss_report_grow(void *v, size_t *cap, size_t n, size_t size)
{
	void **p = v;
	size_t nc;
	void *q;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 8;
	if ((q = realloc(*p, nc * size)) == NULL)
		return ss_error_nomem();
	memset((char *)q + *cap * size, 0, (nc - *cap) * size);
	*p = q;
	*cap = nc;
	return 0;
}

int ss_report_strv_push(char ***v, size_t *n, const char *s)
{
	char **q = realloc(*v, (*n + 1) * sizeof(**v));

	if (q == NULL)
		return ss_error_nomem();
	*v = q;
	if ((q[*n] = strdup(s)) == NULL)
		return ss_error_nomem();
	(*n)++;
	return 0;
}

/* Sort order of keys for people: values in byte order, blank last. */
int ss_report_key_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

const enum ss_field ss_report_by_field[SS_REPORT_NBY] = {
    SS_F_AREA,        SS_F_TYPE,
    SS_F_LEGISLATION, SS_F_OBJECT_OF_SEARCH,
    SS_F_OUTCOME,     SS_F_OFFICER_DEFINED_ETHNICITY,
    SS_F_AGE_RANGE,   SS_F_GENDER,
};
const char *const ss_report_by_title[SS_REPORT_NBY] = {
    N_("Searches by area"),
    N_("Searches by type"),
    N_("Searches by legislation"),
    N_("Searches by object of search"),
    /* check: "yn ôl y swyddog" for "officer-defined" */
    N_("Searches by outcome"),
    N_("Searches by officer-defined ethnicity"),
    N_("Searches by age range"),
    N_("Searches by gender"),
};
/* Findings are broken down by these fields of the record. */
const enum ss_field ss_report_find_field[3] = {SS_F_AREA, SS_F_OFFICER_DEFINED_ETHNICITY,
                                               SS_F_LEGISLATION};
const char *const ss_report_find_title[3] = {N_("by area"), N_("by officer-defined ethnicity"),
                                             N_("by legislation")};

int ss_report_find_role(struct ss_report *r, const char *name, bool create,
                        struct ss_report_racc **out)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_racc *ra;
	size_t i;
	int err;

	*out = NULL;
	for (i = 0; i < a->nroles; i++)
		if (strcmp(a->roles[i].name, name) == 0) {
			*out = &a->roles[i];
			return 0;
		}
	if (!create)
		return 0;
	if ((err = ss_report_grow(&a->roles, &a->roles_cap, a->nroles, sizeof(*a->roles))))
		return err;
	ra = &a->roles[a->nroles];
	if ((ra->name = strdup(name)) == NULL)
		return ss_error_nomem();
	a->nroles++;
	if (r->policy->nquestions &&
	    (ra->q = calloc(r->policy->nquestions, sizeof(*ra->q))) == NULL)
		return ss_error_nomem();
	*out = ra;
	return 0;
}

int ss_report_add_caveat(struct ss_report *r, const char *fmt, ...)
{
	char text[512], cy[1024];
	va_list ap;
	size_t i, n = r->ncaveats;
	int err;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (i = 0; i < r->ncaveats; i++)
		if (strcmp(r->caveats[i], text) == 0)
			return 0;
	/* JSON and CSV keep the English; the text and HTML show the Welsh. */
	va_start(ap, fmt);
	vsnprintf(cy, sizeof(cy), ss_lang_get(r->lang == SS_LANG_EN ? SS_LANG_EN : SS_LANG_CY, fmt),
	          ap);
	va_end(ap);
	if ((err = ss_report_strv_push(&r->caveats_cy, &n, cy)))
		return err;
	return ss_report_strv_push(&r->caveats, &r->ncaveats, text);
}

/* ---- months ---- */

void ss_report_next_month(char m[8])
{
	int y = atoi(m), mo = (m[5] - '0') * 10 + (m[6] - '0');
	char next[32];

	if (++mo > 12) {
		mo = 1;
		y++;
	}
	snprintf(next, sizeof(next), "%04d-%02d", y % 10000, mo % 100);
	memcpy(m, next, 8);
}

int ss_report_range(const char *spec, char from[8], char to[8])
{
	const char *dots = strstr(spec, "..");
	char m[8];
	size_t n = 1;

	if (dots == NULL) {
		if (!ss_layout_month_valid(spec))
			return ss_error_set(
			    SS_EUSAGE, _("'%s' is not a month: write it as YYYY-MM, e.g. 2019-06"),
			    spec);
		memcpy(from, spec, 8);
		memcpy(to, spec, 8);
		return 0;
	}
	if (dots - spec != 7 || !ss_layout_month_valid(dots + 2)) {
		return ss_error_set(
		    SS_EUSAGE,
		    _("'%s' is not a range of months: write it as YYYY-MM..YYYY-MM, "
		      "e.g. 2019-01..2019-06"),
		    spec);
	}
	memcpy(from, spec, 7);
	from[7] = '\0';
	memcpy(to, dots + 2, 8);
	if (!ss_layout_month_valid(from))
		return ss_error_set(SS_EUSAGE, _("'%s' is not a month: write it as YYYY-MM"), from);
	if (strcmp(from, to) > 0)
		return ss_error_set(SS_EUSAGE, _("the range '%s' ends before it starts"), spec);
	for (memcpy(m, from, 8); strcmp(m, to) < 0; ss_report_next_month(m))
		if (++n > SS_REPORT_MAX_MONTHS)
			return ss_error_set(SS_EUSAGE, _("a report covers at most %d months"),
			                    SS_REPORT_MAX_MONTHS);
	return 0;
}

/* ---- new ---- */

int ss_report_new(const struct ss_policy *pol, const char *title, const char *from, const char *to,
                  bool public, struct ss_report **out)
{
	struct ss_report *r;
	struct ss_report_acc *a;
	struct ss_report_racc *ra;
	size_t i, j, k, nv = 0, nrev;
	int err = 0;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL || (r->acc = calloc(1, sizeof(*r->acc))) == NULL) {
		free(r);
		return ss_error_nomem();
	}
	a = r->acc;
	r->policy = pol;
	r->public = public;
	r->public_min = pol->public_min ? pol->public_min : 5;
	snprintf(r->from, sizeof(r->from), "%s", from);
	snprintf(r->to, sizeof(r->to), "%s", to);
	if ((r->title = strdup(title ? title : "")) == NULL ||
	    (r->policy_name = strdup(pol->name ? pol->name : "")) == NULL ||
	    (r->range = malloc(20)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if (strcmp(from, to) == 0)
		snprintf(r->range, 20, "%s", from);
	else
		snprintf(r->range, 20, "%s..%s", from, to);
	/* The policy's reviewing roles first, in its order. */
	for (i = 0; i < pol->nroles; i++) {
		if (pol->roles[i].reviews == SS_REVIEWS_NONE)
			continue;
		if ((err = ss_report_find_role(r, pol->roles[i].name, true, &ra)))
			goto out;
		ra->reviewing = true;
	}
	nrev = a->nroles;
	a->question = -1;
	for (i = 0; i < pol->nquestions; i++)
		if (strcmp(pol->questions[i].id, "grounds") == 0)
			a->question = (int)i;
	if (a->question < 0 && pol->nquestions > 0)
		a->question = 0;
	if (a->question >= 0)
		nv = pol->questions[a->question].nvalues;
	a->npairs = nrev * (nrev > 0 ? nrev - 1 : 0) / 2;
	if (a->npairs) {
		a->pair_cells = calloc(a->npairs * nv * nv + 1, sizeof(size_t));
		a->pair_ties = calloc(a->npairs, sizeof(size_t));
		a->pair_a = calloc(a->npairs, sizeof(size_t));
		a->pair_b = calloc(a->npairs, sizeof(size_t));
		if (!a->pair_cells || !a->pair_ties || !a->pair_a || !a->pair_b) {
			err = ss_error_nomem();
			goto out;
		}
		for (i = 0, k = 0; i < nrev; i++)
			for (j = i + 1; j < nrev; j++, k++) {
				a->pair_a[k] = i;
				a->pair_b[k] = j;
			}
	}
out:
	if (err) {
		ss_report_free(r);
		return err;
	}
	*out = r;
	return 0;
}

/* ---- finishing ---- */

static void acc_free(struct ss_report_acc *a, size_t nquestions)
{
	size_t i, q, k;

	if (a == NULL)
		return;
	for (k = 0; k < SS_REPORT_NBY; k++)
		ss_report_counter_release(&a->by[k]);
	ss_report_counter_release(&a->census);
	ss_report_counter_release(&a->fix_outcome);
	ss_report_counter_release(&a->fix_linked);
	for (i = 0; i < a->nroles; i++) {
		for (q = 0; a->roles[i].q && q < nquestions; q++)
			for (k = 0; k < 4; k++)
				ss_report_counter_release(&a->roles[i].q[q].c[k]);
		free(a->roles[i].q);
		free(a->roles[i].name);
	}
	free(a->roles);
	free(a->pair_cells);
	free(a->pair_ties);
	free(a->pair_a);
	free(a->pair_b);
	free(a);
}

int ss_report_finish(struct ss_report *r)
{
	int err;

	if (r->acc == NULL)
		return 0;
	if ((err = ss_report_finish_population(r)) || (err = ss_report_finish_census(r)) ||
	    (err = ss_report_finish_findings(r)) || (err = ss_report_finish_agreement(r)) ||
	    (err = ss_report_finish_corrections(r)) || (err = ss_report_finish_progress(r)))
		goto out;
	if (r->nmonths_missing &&
	    (err = ss_report_add_caveat(r,
	                                r->nmonths_missing == 1
	                                    ? N_("%zu month in the range had no records imported")
	                                    : N_("%zu months in the range had no records imported"),
	                                r->nmonths_missing)))
		goto out;
	if ((err = ss_report_est_finish(r)))
		goto out;
	r->followup_items = (struct ss_report_fig){.count = r->nfollowups};
	r->followup_answered = (struct ss_report_fig){.count = r->followup_responded};
	r->followup_given = (struct ss_report_fig){.count = r->followup_responses};
	if ((err = ss_report_grids(r)))
		goto out;
	if (r->public && (err = ss_report_suppress(r)))
		goto out;
	ss_report_census_rates(r);
out:
	acc_free(r->acc, r->policy->nquestions);
	r->acc = NULL;
	return err;
}

/* ---- freeing ---- */

static void table_release(struct ss_report_table *t)
{
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		free(t->rows[i].key);
		free(t->rows[i].subkey);
	}
	free(t->rows);
	free(t->name);
	free(t->title);
}

static void strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void ss_report_free(struct ss_report *r)
{
	size_t i, j, k;

	if (r == NULL)
		return;
	ss_report_est_free(r); /* first: the estimates' cells hang off the accumulator */
	ss_report_grids_free(r);
	acc_free(r->acc, r->policy ? r->policy->nquestions : 0);
	r->acc = NULL;
	free(r->title);
	free(r->policy_name);
	free(r->range);
	strv_free(r->months_data, r->nmonths_data);
	strv_free(r->months_missing, r->nmonths_missing);
	strv_free(r->months_unsampled, r->nmonths_unsampled);
	strv_free(r->caveats, r->ncaveats);
	strv_free(r->caveats_cy, r->ncaveats);
	for (k = 0; k < SS_REPORT_NBY; k++)
		table_release(&r->by[k]);
	free(r->census_source);
	for (i = 0; i < r->nrates; i++) {
		free(r->rates[i].area);
		free(r->rates[i].ethnicity);
	}
	free(r->rates);
	for (i = 0; i < r->nsamples; i++) {
		struct ss_report_sample *s = &r->samples[i];

		free(s->month);
		free(s->seed);
		free(s->rate);
		for (j = 0; j < s->nstrata; j++) {
			free(s->strata[j].key);
			free(s->strata[j].label);
		}
		free(s->strata);
		for (j = 0; j < s->nblanks; j++)
			free(s->blanks[j].field);
		free(s->blanks);
		ss_strv_free(s->warnings, s->nwarnings);
	}
	free(r->samples);
	for (i = 0; i < r->nprogress; i++) {
		free(r->progress[i].role);
		free(r->progress[i].month);
	}
	free(r->progress);
	for (i = 0; i < r->nfindings; i++) {
		struct ss_report_findings *f = &r->findings[i];

		free(f->role);
		for (j = 0; j < f->nquestions; j++) {
			free(f->questions[j].id);
			free(f->questions[j].question);
			table_release(&f->questions[j].answers);
			for (k = 0; k < 3; k++)
				table_release(&f->questions[j].by[k]);
		}
		free(f->questions);
	}
	free(r->findings);
	free(r->agreement.question);
	strv_free(r->agreement.values, r->agreement.nvalues);
	for (i = 0; i < r->agreement.npairs; i++) {
		free(r->agreement.pairs[i].role_a);
		free(r->agreement.pairs[i].role_b);
		free(r->agreement.pairs[i].cells);
		free(r->agreement.pairs[i].cell_figs);
	}
	free(r->agreement.pairs);
	table_release(&r->corrections.outcome);
	table_release(&r->corrections.linked);
	for (i = 0; i < r->nfollowups; i++) {
		struct ss_report_followup *f = &r->followups[i];

		free(f->month);
		free(f->id);
		free(f->area);
		free(f->legislation);
		free(f->outcome);
		free(f->officer);
		free(f->datetime);
		free(f->when);
		for (j = 0; j < f->nflags; j++) {
			free(f->flags[j].role);
			free(f->flags[j].reviewer);
			free(f->flags[j].question);
			free(f->flags[j].answer);
		}
		free(f->flags);
		for (j = 0; j < f->nresponses; j++) {
			free(f->responses[j].action);
			free(f->responses[j].note);
			free(f->responses[j].by);
			free(f->responses[j].role);
		}
		free(f->responses);
	}
	free(r->followups);
	for (i = 0; i < r->nnotes; i++) {
		free(r->notes[i].month);
		free(r->notes[i].id);
		free(r->notes[i].role);
		free(r->notes[i].reviewer);
		free(r->notes[i].note);
	}
	free(r->notes);
	free(r);
}

const char *ss_report_words(const struct ss_report *r, const char *msgid, char *out, size_t n)
{
	const char *cy = ss_lang_get(SS_LANG_CY, msgid);

	if (r->lang == SS_LANG_EN || msgid == NULL)
		return msgid;
	if (r->lang == SS_LANG_CY || strcmp(cy, msgid) == 0)
		return cy;
	snprintf(out, n, "%s / %s", cy, msgid);
	return out;
}

/* "July 2019" in Welsh ("Gorffennaf 2019") or English. */
static void month_in(const char *ym, bool welsh, char *out, size_t n)
{
	int y, m;

	if (welsh && sscanf(ym, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12)
		snprintf(out, n, "%s %d", ss_lang_month_name(m), y);
	else
		ss_month_words(ym, out, n);
}

const char *ss_report_month_words(const struct ss_report *r, const char *ym, char *out, size_t n)
{
	char en[32];
	size_t k;

	month_in(ym, r->lang != SS_LANG_EN, out, n);
	if (r->lang == SS_LANG_CY_EN && (k = strlen(out)) + 4 < n) {
		month_in(ym, false, en, sizeof(en));
		snprintf(out + k, n - k, " / %s", en);
	}
	return out;
}

static void title_in(const struct ss_report *r, bool welsh, char *out, size_t n)
{
	char from[32], to[32];

	month_in(r->from, welsh, from, sizeof(from));
	month_in(r->to, welsh, to, sizeof(to));
	if (strcmp(r->from, r->to) == 0)
		snprintf(out, n, welsh ? ss_lang_get(SS_LANG_CY, TITLE1) : TITLE1, from);
	else
		snprintf(out, n, welsh ? ss_lang_get(SS_LANG_CY, TITLE2) : TITLE2, from, to);
}

void ss_report_title(const struct ss_report *r, char *out, size_t n)
{
	char en[128];

	title_in(r, r->lang != SS_LANG_EN, out, n);
	if (r->lang == SS_LANG_CY_EN) {
		size_t k = strlen(out);

		title_in(r, false, en, sizeof(en));
		snprintf(out + k, n - k, " / %s", en);
	}
}

const char *ss_report_when(const struct ss_report *r, const char *iso, char *out, size_t n)
{
	return iso ? ss_uk_datetime_in(iso, r->lang, out, n) : NULL;
}
