/*
 * report.c - the report's model: every figure of DESIGN.md section 9,
 * computed from a month's population, sample and recorded state. Nothing
 * here prints or formats a document; see report_*.c for that.
 *
 * Cost: each month's records are read once (a hash count per breakdown),
 * verdicts and corrections once each (they are sorted by record id, and
 * records are found by binary search), so a million-record month costs a
 * few hash lookups per record and nothing grows with categories x records.
 */
#include "report.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "error.h"
#include "month.h"

/* ---- a count per key (or key pair), by open addressing ---- */

struct cent {
	char *k1, *k2; /* NULL: blank */
	bool used;
	uint64_t hash;
	size_t count;
};

struct counter {
	struct cent *e;
	size_t cap, n;
};

static uint64_t fnv(uint64_t h, const char *s)
{
	if (s == NULL)
		return (h ^ 0xffu) * 0x100000001b3ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return (h ^ 0xfeu) * 0x100000001b3ull;
}

static uint64_t key_hash(const char *k1, const char *k2)
{
	return fnv(fnv(0xcbf29ce484222325ull, k1), k2);
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s, int *err)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*err = SS_ENOMEM;
	return d;
}

static struct cent *counter_slot(const struct counter *c, const char *k1, const char *k2,
                                 uint64_t h)
{
	size_t i = (size_t)h & (c->cap - 1);

	for (;; i = (i + 1) & (c->cap - 1)) {
		struct cent *e = &c->e[i];

		if (!e->used || (e->hash == h && str_eq(e->k1, k1) && str_eq(e->k2, k2)))
			return e;
	}
}

static int counter_grow(struct counter *c)
{
	struct counter bigger = {NULL, c->cap ? c->cap * 2 : 16, c->n};
	size_t i;

	if ((bigger.e = calloc(bigger.cap, sizeof(*bigger.e))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < c->cap; i++)
		if (c->e[i].used)
			*counter_slot(&bigger, c->e[i].k1, c->e[i].k2, c->e[i].hash) = c->e[i];
	free(c->e);
	*c = bigger;
	return 0;
}

static int counter_add(struct counter *c, const char *k1, const char *k2, size_t by)
{
	uint64_t h = key_hash(k1, k2);
	struct cent *e;
	int err = 0;

	if ((c->n + 1) * 10 > c->cap * 7 && (err = counter_grow(c)))
		return err;
	e = counter_slot(c, k1, k2, h);
	if (!e->used) {
		e->k1 = dup_or_null(k1, &err);
		e->k2 = dup_or_null(k2, &err);
		if (err) {
			free(e->k1);
			free(e->k2);
			e->k1 = e->k2 = NULL;
			return ss_error_nomem();
		}
		e->used = true;
		e->hash = h;
		c->n++;
	}
	e->count += by;
	return 0;
}

static size_t counter_get(const struct counter *c, const char *k1, const char *k2)
{
	const struct cent *e;

	if (c->cap == 0)
		return 0;
	e = counter_slot(c, k1, k2, key_hash(k1, k2));
	return e->used ? e->count : 0;
}

static void counter_release(struct counter *c)
{
	size_t i;

	for (i = 0; i < c->cap; i++) {
		free(c->e[i].k1);
		free(c->e[i].k2);
	}
	free(c->e);
	c->e = NULL;
	c->cap = c->n = 0;
}

/* ---- small helpers ---- */

/* Make room for one more element in *v (n used of *cap). */
static int grow(void *v, size_t *cap, size_t n, size_t size)
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

static int strv_push(char ***v, size_t *n, const char *s)
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
static int key_cmp(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

/* ---- running totals ---- */

/* The answers of one role to one question: [0] by answer, [1..3] by area,
 * ethnicity, legislation (k1 the record's value, k2 the answer). */
struct qacc {
	struct counter c[4];
};

struct racc {
	char *name;
	bool reviewing; /* a reviewing role of the policy (takes part in agreement) */
	size_t verdicts;
	struct qacc *q; /* one per policy question */
	size_t assigned, reviewed, waived, missing;
	size_t months; /* months with a sample naming this role */
};

struct ss_report_acc {
	struct counter by[SS_REPORT_NBY];
	struct counter census; /* (area, ethnicity) */
	size_t searches, strip, linked;
	struct racc *roles;
	size_t nroles, roles_cap;
	/* agreement among the policy's reviewing roles, in role order */
	int question;       /* index of the agreement question, -1 none */
	size_t *pair_cells; /* npairs x nv x nv */
	size_t *pair_ties;
	size_t npairs;
	size_t *pair_a, *pair_b; /* role indices */
	/* corrections */
	struct counter fix_outcome, fix_linked;
	size_t ncorrections, ncorrected;
	size_t pos_gained, pos_lost, link_gained, link_lost;
	size_t progress_cap, samples_cap, follow_cap, notes_cap;
};

static const enum ss_field by_field[SS_REPORT_NBY] = {
    SS_F_AREA,        SS_F_TYPE,
    SS_F_LEGISLATION, SS_F_OBJECT_OF_SEARCH,
    SS_F_OUTCOME,     SS_F_OFFICER_DEFINED_ETHNICITY,
    SS_F_AGE_RANGE,   SS_F_GENDER,
};
static const char *const by_title[SS_REPORT_NBY] = {
    "Searches by area",        "Searches by type",
    "Searches by legislation", "Searches by object of search",
    "Searches by outcome",     "Searches by officer-defined ethnicity",
    "Searches by age range",   "Searches by gender",
};
/* Findings are broken down by these fields of the record. */
static const enum ss_field find_field[3] = {SS_F_AREA, SS_F_OFFICER_DEFINED_ETHNICITY,
                                            SS_F_LEGISLATION};
static const char *const find_title[3] = {"by area", "by officer-defined ethnicity",
                                          "by legislation"};

/* What puts a record on the follow-up list. */
static const struct {
	const char *question, *answer;
} follow_rules[] = {{"grounds", "not-reasonable"}, {"conduct", "concerns"}};

static int find_role(struct ss_report *r, const char *name, bool create, struct racc **out)
{
	struct ss_report_acc *a = r->acc;
	struct racc *ra;
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
	if ((err = grow(&a->roles, &a->roles_cap, a->nroles, sizeof(*a->roles))))
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

static int add_caveat(struct ss_report *r, const char *fmt, ...) SS_PRINTF(2, 3);
static int add_caveat(struct ss_report *r, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	for (i = 0; i < r->ncaveats; i++)
		if (strcmp(r->caveats[i], text) == 0)
			return 0;
	return strv_push(&r->caveats, &r->ncaveats, text);
}

/* ---- months ---- */

static bool month_valid(const char *m)
{
	return strlen(m) == 7 && m[4] == '-' && m[0] >= '1' && m[0] <= '9' && m[1] >= '0' &&
	       m[1] <= '9' && m[2] >= '0' && m[2] <= '9' && m[3] >= '0' && m[3] <= '9' &&
	       ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') ||
	        (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
}

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
		if (!month_valid(spec))
			return ss_error_set(
			    SS_EUSAGE, "'%s' is not a month: write it as YYYY-MM, e.g. 2019-06",
			    spec);
		memcpy(from, spec, 8);
		memcpy(to, spec, 8);
		return 0;
	}
	if (dots - spec != 7 || !month_valid(dots + 2)) {
		return ss_error_set(SS_EUSAGE,
		                    "'%s' is not a range of months: write it as YYYY-MM..YYYY-MM, "
		                    "e.g. 2019-01..2019-06",
		                    spec);
	}
	memcpy(from, spec, 7);
	from[7] = '\0';
	memcpy(to, dots + 2, 8);
	if (!month_valid(from))
		return ss_error_set(SS_EUSAGE, "'%s' is not a month: write it as YYYY-MM", from);
	if (strcmp(from, to) > 0)
		return ss_error_set(SS_EUSAGE, "the range '%s' ends before it starts", spec);
	for (memcpy(m, from, 8); strcmp(m, to) < 0; ss_report_next_month(m))
		if (++n > SS_REPORT_MAX_MONTHS)
			return ss_error_set(SS_EUSAGE, "a report covers at most %d months",
			                    SS_REPORT_MAX_MONTHS);
	return 0;
}

/* ---- new ---- */

int ss_report_new(const struct ss_policy *pol, const char *title, const char *from, const char *to,
                  bool public, struct ss_report **out)
{
	struct ss_report *r;
	struct ss_report_acc *a;
	struct racc *ra;
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
		if ((err = find_role(r, pol->roles[i].name, true, &ra)))
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

/* ---- adding a month ---- */

static int add_population(struct ss_report *r, const struct ss_population *pop)
{
	struct ss_report_acc *a = r->acc;
	size_t i, k;
	int err;

	for (i = 0; i < pop->n; i++) {
		const struct ss_record *rec = &pop->rec[i];

		for (k = 0; k < SS_REPORT_NBY; k++)
			if ((err = counter_add(&a->by[k], rec->str[by_field[k]], NULL, 1)))
				return err;
		if (rec->tri[SS_F_REMOVAL] == SS_TRI_TRUE)
			a->strip++;
		if (rec->tri[SS_F_OUTCOME_LINKED] == SS_TRI_TRUE)
			a->linked++;
		if (r->policy->ncensus &&
		    (err = counter_add(&a->census, rec->str[SS_F_AREA],
		                       rec->str[SS_F_OFFICER_DEFINED_ETHNICITY], 1)))
			return err;
	}
	a->searches += pop->n;
	return 0;
}

/* The decoded values of a stratum key (a compact JSON array of strings and
 * nulls, as sample.json writes it), joined with " / ". */
static char *stratum_label(const char *json)
{
	struct ss_buf b = SS_BUF_INIT;
	const char *p = json;
	bool first = true;
	int err = 0;

	if (*p == '[')
		p++;
	while (*p && *p != ']' && !err) {
		if (!first)
			err = ss_buf_puts(&b, " / ");
		first = false;
		if (strncmp(p, "null", 4) == 0) {
			err = err ? err : ss_buf_puts(&b, "(blank)");
			p += 4;
		} else if (*p == '"') {
			for (p++; *p && *p != '"' && !err; p++) {
				if (*p != '\\') {
					err = ss_buf_putc(&b, *p);
					continue;
				}
				p++;
				if (*p == 'u' && strlen(p) >= 5) {
					unsigned cp = (unsigned)strtoul(
					    (char[]){p[1], p[2], p[3], p[4], 0}, NULL, 16);
					char u[4];
					size_t n = 0;

					/* sample.json escapes only control characters this way */
					if (cp < 0x80) {
						u[n++] = (char)cp;
					} else if (cp < 0x800) {
						u[n++] = (char)(0xc0 | (cp >> 6));
						u[n++] = (char)(0x80 | (cp & 0x3f));
					} else {
						u[n++] = (char)(0xe0 | (cp >> 12));
						u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
						u[n++] = (char)(0x80 | (cp & 0x3f));
					}
					err = ss_buf_put(&b, u, n);
					p += 4;
				} else {
					char c = *p == 'n'   ? '\n'
					         : *p == 't' ? '\t'
					         : *p == 'r' ? '\r'
					         : *p == 'b' ? '\b'
					         : *p == 'f' ? '\f'
					                     : *p;

					err = ss_buf_putc(&b, c);
				}
				if (!*p)
					break;
			}
			if (*p == '"')
				p++;
		} else {
			/* a boolean or anything else: shown as written */
			const char *e = p;

			while (*e && *e != ',' && *e != ']')
				e++;
			err = ss_buf_put(&b, p, (size_t)(e - p));
			p = e;
		}
		if (*p == ',')
			p++;
	}
	if (!err && b.data == NULL)
		err = ss_buf_puts(&b, "(none)");
	if (err) {
		ss_buf_release(&b);
		return NULL;
	}
	return ss_buf_detach(&b);
}

static int add_sample(struct ss_report *r, const char *month, const struct ss_population *pop,
                      const struct ss_sample *s, bool policy_matches)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_sample *rs;
	size_t i, always = 0;
	int err;

	if ((err = grow(&r->samples, &a->samples_cap, r->nsamples, sizeof(*r->samples))))
		return err;
	rs = &r->samples[r->nsamples++];
	rs->month = strdup(month);
	rs->seed = strdup(s->seed ? s->seed : "");
	rs->rate = strdup(s->rate ? s->rate : "");
	rs->generated = s->generated;
	rs->policy_matches = policy_matches;
	if (!rs->month || !rs->seed || !rs->rate)
		return ss_error_nomem();
	for (i = 0; i < s->n; i++)
		always += s->records[i].always;
	rs->sampled = (struct ss_report_fig){.count = s->n, .denom = pop->n};
	rs->always = (struct ss_report_fig){.count = always, .denom = s->n};
	if (s->nstrata && (rs->strata = calloc(s->nstrata, sizeof(*rs->strata))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->nstrata; i++) {
		struct ss_report_stratum *st = &rs->strata[i];

		rs->nstrata = i + 1;
		if ((st->key = strdup(s->strata[i].key)) == NULL ||
		    (st->label = stratum_label(s->strata[i].key)) == NULL)
			return ss_error_nomem();
		st->population = (struct ss_report_fig){.count = s->strata[i].population};
		st->always = (struct ss_report_fig){.count = s->strata[i].always};
		st->drawn = (struct ss_report_fig){.count = s->strata[i].drawn,
		                                   .denom = s->strata[i].population};
	}
	if (s->nblanks && (rs->blanks = calloc(s->nblanks, sizeof(*rs->blanks))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < s->nblanks; i++) {
		rs->nblanks = i + 1;
		if ((rs->blanks[i].field = strdup(s->blanks[i].field)) == NULL)
			return ss_error_nomem();
		rs->blanks[i].count =
		    (struct ss_report_fig){.count = s->blanks[i].count, .denom = pop->n};
	}
	return 0;
}

/* The verdicts on one record: [*lo, *hi) of st->verdicts (sorted by id). */
static void verdict_range(const struct ss_month_state *st, const char *id, size_t *lo, size_t *hi)
{
	size_t a = 0, b = st->nverdicts;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (strcmp(st->verdicts[m].id, id) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	for (b = a; b < st->nverdicts && strcmp(st->verdicts[b].id, id) == 0; b++)
		;
	*hi = b;
}

static bool has_verdict(const struct ss_month_state *st, const char *id, const char *role)
{
	size_t lo, hi;

	if (st == NULL)
		return false;
	verdict_range(st, id, &lo, &hi);
	for (; lo < hi; lo++)
		if (strcmp(st->verdicts[lo].role, role) == 0)
			return true;
	return false;
}

static bool waived(const struct ss_month_state *st, const char *id)
{
	size_t a = 0, b;

	if (st == NULL)
		return false;
	b = st->nwaivers;
	while (a < b) {
		size_t m = a + (b - a) / 2;
		int c = strcmp(st->waivers[m].id, id);

		if (c == 0)
			return true;
		if (c < 0)
			a = m + 1;
		else
			b = m;
	}
	return false;
}

static int add_progress(struct ss_report *r, const char *month, const struct ss_sample *s,
                        const struct ss_month_state *st)
{
	struct ss_report_acc *a = r->acc;
	size_t i, k;
	int err;

	for (i = 0; i < s->nroles; i++) {
		const struct ss_sample_role *sr = &s->roles[i];
		struct ss_report_progress *p;
		size_t reviewed = 0, wv = 0;
		struct racc *ra;

		if ((err = find_role(r, sr->role, true, &ra)))
			return err;
		for (k = 0; k < sr->n; k++) {
			if (has_verdict(st, sr->ids[k], sr->role))
				reviewed++;
			else if (waived(st, sr->ids[k]))
				wv++;
		}
		if ((err =
		         grow(&r->progress, &a->progress_cap, r->nprogress, sizeof(*r->progress))))
			return err;
		p = &r->progress[r->nprogress++];
		if ((p->role = strdup(sr->role)) == NULL || (p->month = strdup(month)) == NULL)
			return ss_error_nomem();
		p->assigned = (struct ss_report_fig){.count = sr->n};
		p->reviewed = (struct ss_report_fig){.count = reviewed, .denom = sr->n};
		p->waived = (struct ss_report_fig){.count = wv, .denom = sr->n};
		p->missing = (struct ss_report_fig){.count = sr->n - reviewed - wv, .denom = sr->n};
		ra->assigned += sr->n;
		ra->reviewed += reviewed;
		ra->waived += wv;
		ra->missing += sr->n - reviewed - wv;
		ra->months++;
	}
	return 0;
}

static const char *answer_of(const struct ss_verdict *v, const char *question)
{
	size_t i;

	for (i = 0; i < v->nanswers; i++)
		if (strcmp(v->answers[i].question, question) == 0)
			return v->answers[i].value;
	return NULL;
}

static int value_index(const struct ss_question *q, const char *value)
{
	size_t i;

	for (i = 0; value && i < q->nvalues; i++)
		if (strcmp(q->values[i], value) == 0)
			return (int)i;
	return -1;
}

/* Agreement on one record: each reviewing role's modal answer; a tie drops it. */
static void add_agreement(struct ss_report *r, const struct ss_month_state *st, size_t lo,
                          size_t hi)
{
	struct ss_report_acc *a = r->acc;
	const struct ss_question *q;
	size_t nrev = 0, i, k, v, nv;
	size_t tally[16][64];
	int modal[16]; /* value index; -1 no answer; -2 tie */

	if (a->question < 0 || a->npairs == 0)
		return;
	q = &r->policy->questions[a->question];
	nv = q->nvalues;
	for (i = 0; i < a->nroles && a->roles[i].reviewing; i++)
		nrev++;
	if (nrev > 16 || nv > 64)
		return; /* beyond any real policy; agreement left empty */
	memset(tally, 0, sizeof(tally));
	for (k = lo; k < hi; k++) {
		const struct ss_verdict *vd = &st->verdicts[k];
		int vi = value_index(q, answer_of(vd, q->id));

		if (vi < 0)
			continue;
		for (i = 0; i < nrev; i++)
			if (strcmp(a->roles[i].name, vd->role) == 0)
				tally[i][vi]++;
	}
	for (i = 0; i < nrev; i++) {
		size_t best = 0;

		modal[i] = -1;
		for (v = 0; v < nv; v++) {
			if (tally[i][v] > best) {
				best = tally[i][v];
				modal[i] = (int)v;
			} else if (tally[i][v] == best && best > 0) {
				modal[i] = -2;
			}
		}
	}
	for (k = 0; k < a->npairs; k++) {
		int ma = modal[a->pair_a[k]], mb = modal[a->pair_b[k]];

		if (ma == -1 || mb == -1)
			continue;
		if (ma == -2 || mb == -2)
			a->pair_ties[k]++;
		else
			a->pair_cells[(k * nv + (size_t)ma) * nv + (size_t)mb]++;
	}
}

static int add_followup(struct ss_report *r, const char *month, const struct ss_record *rec,
                        const struct ss_month_state *st, size_t lo, size_t hi)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_followup *f = NULL;
	struct ss_rule_value cur;
	size_t k, j;
	int err;

	for (k = lo; k < hi; k++) {
		const struct ss_verdict *vd = &st->verdicts[k];

		for (j = 0; j < sizeof(follow_rules) / sizeof(follow_rules[0]); j++) {
			const char *ans = answer_of(vd, follow_rules[j].question);
			struct ss_report_flag *fl;

			if (ans == NULL || strcmp(ans, follow_rules[j].answer) != 0)
				continue;
			if (f == NULL) {
				if ((err = grow(&r->followups, &a->follow_cap, r->nfollowups,
				                sizeof(*r->followups))))
					return err;
				f = &r->followups[r->nfollowups++];
				err = 0;
				cur = ss_month_current(st, rec, SS_F_OUTCOME);
				f->month = dup_or_null(month, &err);
				f->id = dup_or_null(rec->id, &err);
				f->area = dup_or_null(rec->str[SS_F_AREA], &err);
				f->legislation = dup_or_null(rec->str[SS_F_LEGISLATION], &err);
				f->outcome =
				    dup_or_null(cur.kind == SS_RV_STRING ? cur.s : NULL, &err);
				f->officer = dup_or_null(rec->str[SS_F_OFFICER], &err);
				if (err)
					return ss_error_nomem();
			}
			fl = realloc(f->flags, (f->nflags + 1) * sizeof(*f->flags));
			if (fl == NULL)
				return ss_error_nomem();
			f->flags = fl;
			fl = &f->flags[f->nflags++];
			err = 0;
			fl->role = dup_or_null(vd->role, &err);
			fl->reviewer = dup_or_null(vd->reviewer, &err);
			fl->question = dup_or_null(follow_rules[j].question, &err);
			fl->answer = dup_or_null(ans, &err);
			if (err)
				return ss_error_nomem();
		}
	}
	return 0;
}

static int add_verdicts(struct ss_report *r, const char *month, const struct ss_population *pop,
                        const struct ss_month_state *st)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t lo, hi, k, q, b;
	int err;

	for (lo = 0; lo < st->nverdicts; lo = hi) {
		const char *id = st->verdicts[lo].id;
		const struct ss_record *rec = ss_population_find(pop, id);

		for (hi = lo + 1; hi < st->nverdicts && strcmp(st->verdicts[hi].id, id) == 0; hi++)
			;
		if (rec == NULL) {
			if ((err = add_caveat(r,
			                      "%s: verdicts on %s, which is not in the month's "
			                      "records, are left out",
			                      month, id)))
				return err;
			continue;
		}
		for (k = lo; k < hi; k++) {
			const struct ss_verdict *vd = &st->verdicts[k];
			struct racc *ra;

			if ((err = find_role(r, vd->role, true, &ra)))
				return err;
			if (!ra->reviewing &&
			    (err = add_caveat(
			         r,
			         "verdicts by the role '%s', which the policy this report "
			         "reads does not have as a reviewing role, count in the "
			         "findings but not in the agreement between roles",
			         vd->role)))
				return err;
			ra->verdicts++;
			for (q = 0; q < pol->nquestions; q++) {
				const char *ans = answer_of(vd, pol->questions[q].id);

				if (ans == NULL)
					continue;
				if ((err = counter_add(&ra->q[q].c[0], ans, NULL, 1)))
					return err;
				for (b = 0; b < 3; b++)
					if ((err = counter_add(&ra->q[q].c[b + 1],
					                       rec->str[find_field[b]], ans, 1)))
						return err;
			}
			if (vd->note && *vd->note && !r->public) {
				struct ss_report_note *n;

				if ((err = grow(&r->notes, &a->notes_cap, r->nnotes,
				                sizeof(*r->notes))))
					return err;
				n = &r->notes[r->nnotes++];
				err = 0;
				n->month = dup_or_null(month, &err);
				n->id = dup_or_null(id, &err);
				n->role = dup_or_null(vd->role, &err);
				n->reviewer = dup_or_null(vd->reviewer, &err);
				n->note = dup_or_null(vd->note, &err);
				if (err)
					return ss_error_nomem();
			}
		}
		add_agreement(r, st, lo, hi);
		if (!r->public && (err = add_followup(r, month, rec, st, lo, hi)))
			return err;
	}
	return 0;
}

static const char *tri_text(int t)
{
	return t == SS_TRI_TRUE ? "true" : t == SS_TRI_FALSE ? "false" : NULL;
}

static int add_corrections(struct ss_report *r, const struct ss_population *pop,
                           const struct ss_month_state *st)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t lo, hi;
	int err;

	a->ncorrections += st->ncorrections;
	for (lo = 0; lo < st->ncorrections; lo = hi) {
		const char *id = st->corrections[lo].id;
		const struct ss_record *rec = ss_population_find(pop, id);
		struct ss_rule_value o, l;
		const char *was, *now;
		int lwas, lnow;

		for (hi = lo + 1; hi < st->ncorrections && strcmp(st->corrections[hi].id, id) == 0;
		     hi++)
			;
		if (rec == NULL)
			continue;
		a->ncorrected++;
		o = ss_month_current(st, rec, SS_F_OUTCOME);
		l = ss_month_current(st, rec, SS_F_OUTCOME_LINKED);
		was = rec->str[SS_F_OUTCOME];
		now = o.kind == SS_RV_STRING ? o.s : NULL;
		if (!str_eq(was, now)) {
			bool pw = ss_policy_outcome_positive(pol, was);
			bool pn = ss_policy_outcome_positive(pol, now);

			if ((err = counter_add(&a->fix_outcome, was, now, 1)))
				return err;
			a->pos_gained += !pw && pn;
			a->pos_lost += pw && !pn;
		}
		lwas = rec->tri[SS_F_OUTCOME_LINKED];
		lnow = l.kind == SS_RV_BOOL ? (l.b ? SS_TRI_TRUE : SS_TRI_FALSE) : SS_TRI_NULL;
		if (lwas != lnow) {
			if ((err = counter_add(&a->fix_linked, tri_text(lwas), tri_text(lnow), 1)))
				return err;
			a->link_gained += lwas != SS_TRI_TRUE && lnow == SS_TRI_TRUE;
			a->link_lost += lwas == SS_TRI_TRUE && lnow != SS_TRI_TRUE;
		}
	}
	return 0;
}

int ss_report_add_month(struct ss_report *r, const char *month, const struct ss_population *pop,
                        const struct ss_sample *sample, const struct ss_month_state *st,
                        bool policy_matches)
{
	int err;

	if (r->acc == NULL)
		return ss_error_set(SS_EFAIL, "the report is already finished");
	if (pop == NULL)
		return strv_push(&r->months_missing, &r->nmonths_missing, month);
	if ((err = strv_push(&r->months_data, &r->nmonths_data, month)) ||
	    (err = add_population(r, pop)))
		return err;
	if (sample == NULL) {
		if ((err = strv_push(&r->months_unsampled, &r->nmonths_unsampled, month)))
			return err;
	} else {
		if (!policy_matches &&
		    (err = add_caveat(r,
		                      "%s was sampled under a different policy from the one this "
		                      "report reads (%s): its questions and roles may differ",
		                      month, r->policy_name)))
			return err;
		if ((err = add_sample(r, month, pop, sample, policy_matches)) ||
		    (err = add_progress(r, month, sample, st)))
			return err;
	}
	if (st == NULL)
		return 0;
	if ((err = add_verdicts(r, month, pop, st)) || (err = add_corrections(r, pop, st)))
		return err;
	return 0;
}

int ss_report_load_month(struct ss_report *r, struct ss_trail *t, const struct ss_oid *commit,
                         const char *month, const char *policy_sha256)
{
	struct ss_population *pop = NULL;
	struct ss_sample *s = NULL;
	struct ss_month_state *st = NULL;
	struct ss_oid blob;
	char path[64];
	int err;

	ss_month_path(path, sizeof(path), month, "population.jsonl");
	err = ss_trail_blob_id(t, commit, path, &blob);
	if (err == SS_ENOTFOUND)
		return ss_report_add_month(r, month, NULL, NULL, NULL, true);
	if (err)
		return err;
	if ((err = ss_month_population(t, commit, month, NULL, NULL, &pop)))
		goto out;
	ss_month_path(path, sizeof(path), month, "sample.json");
	err = ss_trail_blob_id(t, commit, path, &blob);
	if (err == 0)
		err = ss_month_sample(t, commit, month, &s);
	else if (err == SS_ENOTFOUND)
		err = 0;
	if (err || (err = ss_month_state_load(t, commit, month, &st)))
		goto out;
	err = ss_report_add_month(r, month, pop, s, st,
	                          s == NULL || strcmp(s->policy_sha256, policy_sha256) == 0);
out:
	ss_month_state_free(st);
	ss_sample_free(s);
	ss_population_free(pop);
	return err;
}

/* ---- finishing: tables ---- */

struct keyed {
	const char *k1, *k2;
	size_t count;
	long order; /* explicit order, or -1 */
};

static int keyed_by_count(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	if (a->order != b->order)
		return a->order < 0   ? 1
		       : b->order < 0 ? -1
		                      : (a->order > b->order) - (a->order < b->order);
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	if (key_cmp(a->k1, b->k1))
		return key_cmp(a->k1, b->k1);
	return key_cmp(a->k2, b->k2);
}

static int table_init(struct ss_report_table *t, const char *name, const char *title, bool cross)
{
	t->cross = cross;
	if ((t->name = strdup(name)) == NULL || (t->title = strdup(title)) == NULL)
		return ss_error_nomem();
	return 0;
}

static int table_row(struct ss_report_table *t, size_t *cap, const char *k1, const char *k2,
                     size_t count, size_t denom)
{
	struct ss_report_row *row;
	int err = 0;

	if ((err = grow(&t->rows, cap, t->nrows, sizeof(*t->rows))))
		return err;
	row = &t->rows[t->nrows++];
	row->key = dup_or_null(k1, &err);
	row->subkey = dup_or_null(k2, &err);
	row->fig = (struct ss_report_fig){.count = count, .denom = denom};
	return err ? ss_error_nomem() : 0;
}

static long age_order(const char *v)
{
	static const char *const ages[] = {"under 10", "10-17", "18-24", "25-34", "over 34"};
	size_t i;

	for (i = 0; v && i < sizeof(ages) / sizeof(ages[0]); i++)
		if (strcmp(v, ages[i]) == 0)
			return (long)i;
	return -1;
}

enum order { BY_COUNT, BY_AGE, BY_KEY };

static int keyed_by_pair(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	if (key_cmp(a->k1, b->k1))
		return key_cmp(a->k1, b->k1);
	return key_cmp(a->k2, b->k2);
}

/* The rows of a counter: largest first, age ranges in age order, or by key. */
static int table_from_counter(struct ss_report_table *t, const struct counter *c, size_t denom,
                              enum order order)
{
	struct keyed *ks = NULL;
	size_t i, n = 0, cap = 0;
	int err = 0;

	if (c->n && (ks = calloc(c->n, sizeof(*ks))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < c->cap; i++)
		if (c->e[i].used)
			ks[n++] = (struct keyed){c->e[i].k1, c->e[i].k2, c->e[i].count,
			                         order == BY_AGE ? age_order(c->e[i].k1) : -1};
	if (n > 1)
		qsort(ks, n, sizeof(*ks), order == BY_KEY ? keyed_by_pair : keyed_by_count);
	for (i = 0; i < n && !err; i++)
		err = table_row(t, &cap, ks[i].k1, ks[i].k2, ks[i].count, denom);
	free(ks);
	return err;
}

static int keyed_by_key(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;

	return key_cmp(a->k1, b->k1);
}

/* Answers of one question: every value of the policy (zero too), in its order,
 * then any other value found. */
static int answer_values(const struct ss_question *q, const struct counter *c, const char ***out,
                         size_t *n)
{
	const char **v;
	size_t i, j, m = q->nvalues;

	if ((v = calloc(q->nvalues + c->n + 1, sizeof(*v))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < q->nvalues; i++)
		v[i] = q->values[i];
	for (i = 0; i < c->cap; i++) {
		if (!c->e[i].used || c->e[i].k1 == NULL)
			continue;
		for (j = 0; j < m && strcmp(v[j], c->e[i].k1) != 0; j++)
			;
		if (j == m)
			v[m++] = c->e[i].k1;
	}
	*out = v;
	*n = m;
	return 0;
}

/* A cross table of a (key, answer) counter: keys in order, every answer value
 * for each key (zeros too); denominators are the key's answers. */
static int table_cross(struct ss_report_table *t, const struct counter *c, const char **values,
                       size_t nvalues)
{
	struct keyed *ks = NULL;
	size_t i, j, n = 0, cap = 0;
	int err = 0;

	if (c->n && (ks = calloc(c->n, sizeof(*ks))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < c->cap; i++)
		if (c->e[i].used)
			ks[n++] = (struct keyed){c->e[i].k1, NULL, 0, -1};
	if (n > 1)
		qsort(ks, n, sizeof(*ks), keyed_by_key);
	for (i = 0; i < n && !err; i++) {
		size_t total = 0;

		if (i > 0 && str_eq(ks[i].k1, ks[i - 1].k1))
			continue;
		for (j = 0; j < nvalues; j++)
			total += counter_get(c, ks[i].k1, values[j]);
		for (j = 0; j < nvalues && !err; j++)
			err = table_row(t, &cap, ks[i].k1, values[j],
			                counter_get(c, ks[i].k1, values[j]), total);
	}
	free(ks);
	return err;
}

static int finish_population(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t i, k, positive = 0, children = 0;
	int err;

	r->searches = (struct ss_report_fig){.count = a->searches};
	for (k = 0; k < SS_REPORT_NBY; k++) {
		if ((err = table_init(&r->by[k], ss_field_name(by_field[k]), by_title[k], false)) ||
		    (err = table_from_counter(&r->by[k], &a->by[k], a->searches,
		                              k == SS_REPORT_BY_AGE ? BY_AGE : BY_COUNT)))
			return err;
	}
	for (i = 0; i < r->by[SS_REPORT_BY_OUTCOME].nrows; i++) {
		const struct ss_report_row *row = &r->by[SS_REPORT_BY_OUTCOME].rows[i];

		if (ss_policy_outcome_positive(pol, row->key))
			positive += row->fig.count;
	}
	for (i = 0; i < r->by[SS_REPORT_BY_AGE].nrows; i++) {
		const struct ss_report_row *row = &r->by[SS_REPORT_BY_AGE].rows[i];

		if (row->key &&
		    (strcmp(row->key, "under 10") == 0 || strcmp(row->key, "10-17") == 0))
			children += row->fig.count;
	}
	r->positive = (struct ss_report_fig){.count = positive, .denom = a->searches};
	r->children = (struct ss_report_fig){.count = children, .denom = a->searches};
	r->strip = (struct ss_report_fig){.count = a->strip, .denom = a->searches};
	r->linked = (struct ss_report_fig){.count = a->linked, .denom = a->searches};
	return 0;
}

/* x100 of num/den, rounded half up (den > 0). */
static unsigned long long x100(unsigned long long num, unsigned long long den)
{
	return (num * 200 + den) / (2 * den);
}

static int finish_census(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	bool force_given = false;
	size_t i, j, in_groups = 0, n = 0;
	int err = 0;

	if (pol->ncensus == 0)
		return 0;
	r->census = true;
	if (pol->census_source && (r->census_source = strdup(pol->census_source)) == NULL)
		return ss_error_nomem();
	for (i = 0; i < pol->ncensus; i++)
		force_given |= pol->census[i].area == NULL;
	/* Rows: each group as given, and (when only areas are given) force-wide sums. */
	if ((r->rates = calloc(pol->ncensus * 2 + 1, sizeof(*r->rates))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < pol->ncensus; i++) {
		const struct ss_census *g = &pol->census[i];
		struct ss_report_rate *rt;
		size_t s = 0;

		if (!force_given) {
			/* the force-wide row for this ethnicity, once */
			for (j = 0; j < i && strcmp(pol->census[j].ethnicity, g->ethnicity) != 0;
			     j++)
				;
			if (j == i) {
				unsigned long res = 0;
				size_t k;

				rt = &r->rates[n++];
				rt->ethnicity = dup_or_null(g->ethnicity, &err);
				/* residents and searches of the areas the census gives, so
				 * searches in an area it leaves out do not inflate the rate */
				for (k = 0; k < pol->ncensus; k++)
					if (strcmp(pol->census[k].ethnicity, g->ethnicity) == 0) {
						res += pol->census[k].residents;
						rt->searches.count += counter_get(
						    &a->census, pol->census[k].area, g->ethnicity);
					}
				rt->residents = res;
			}
		}
		rt = &r->rates[n++];
		rt->area = dup_or_null(g->area, &err);
		rt->ethnicity = dup_or_null(g->ethnicity, &err);
		rt->residents = g->residents;
		if (g->area) {
			s = counter_get(&a->census, g->area, g->ethnicity);
		} else {
			for (j = 0; j < a->census.cap; j++)
				if (a->census.e[j].used && a->census.e[j].k2 &&
				    strcmp(a->census.e[j].k2, g->ethnicity) == 0)
					s += a->census.e[j].count;
			in_groups += s;
		}
		rt->searches.count = s;
		if (err)
			return ss_error_nomem();
	}
	r->nrates = n;
	/* the whole force first, then each area's rows in the policy's order */
	for (i = 1; i < n; i++) {
		struct ss_report_rate t = r->rates[i];

		for (j = i; j > 0 && t.area == NULL && r->rates[j - 1].area != NULL; j--)
			r->rates[j] = r->rates[j - 1];
		r->rates[j] = t;
	}
	if (!force_given)
		for (i = 0; i < n; i++)
			if (r->rates[i].area == NULL)
				in_groups += r->rates[i].searches.count;
	r->outside_groups =
	    (struct ss_report_fig){.count = a->searches - in_groups, .denom = a->searches};
	return 0;
}

/* Rates and ratios, after public suppression decided which counts show. */
static void census_rates(struct ss_report *r)
{
	size_t i, j;

	for (i = 0; i < r->nrates; i++) {
		struct ss_report_rate *rt = &r->rates[i];

		rt->rate_defined = rt->residents > 0 && !rt->searches.hidden;
		if (rt->rate_defined)
			rt->per1000_x100 =
			    x100((unsigned long long)rt->searches.count * 1000, rt->residents);
	}
	for (i = 0; i < r->nrates; i++) {
		struct ss_report_rate *rt = &r->rates[i];

		for (j = 0; j < r->nrates; j++) {
			const struct ss_report_rate *w = &r->rates[j];

			if (strcmp(w->ethnicity, "White") != 0 || !str_eq(w->area, rt->area))
				continue;
			rt->few =
			    rt->searches.count < SS_REPORT_FEW || w->searches.count < SS_REPORT_FEW;
			if (rt->rate_defined && w->rate_defined && w->searches.count > 0) {
				/* (s/res) / (sw/resw) = s*resw / (res*sw) */
				rt->ratio_defined = true;
				rt->ratio_x100 =
				    x100((unsigned long long)rt->searches.count * w->residents,
				         (unsigned long long)rt->residents * w->searches.count);
			}
		}
		if (rt->searches.count < SS_REPORT_FEW)
			rt->few = true;
	}
}

static int finish_findings(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	size_t i, q, b;
	int err = 0;

	if (a->nroles && (r->findings = calloc(a->nroles, sizeof(*r->findings))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < a->nroles; i++) {
		struct racc *ra = &a->roles[i];
		struct ss_report_findings *f = &r->findings[i];

		r->nfindings = i + 1;
		if ((f->role = strdup(ra->name)) == NULL)
			return ss_error_nomem();
		f->verdicts = (struct ss_report_fig){.count = ra->verdicts};
		if (pol->nquestions &&
		    (f->questions = calloc(pol->nquestions, sizeof(*f->questions))) == NULL)
			return ss_error_nomem();
		for (q = 0; q < pol->nquestions; q++) {
			const struct ss_question *qu = &pol->questions[q];
			struct ss_report_qfind *qf = &f->questions[q];
			const char **values = NULL;
			size_t nvalues = 0, total = 0, k, cap = 0;
			char name[64];

			f->nquestions = q + 1;
			if ((qf->id = strdup(qu->id)) == NULL ||
			    (qf->question = strdup(qu->question ? qu->question : qu->id)) == NULL)
				return ss_error_nomem();
			if ((err = answer_values(qu, &ra->q[q].c[0], &values, &nvalues)))
				return err;
			for (k = 0; k < nvalues; k++)
				total += counter_get(&ra->q[q].c[0], values[k], NULL);
			if (!(err = table_init(&qf->answers, "answers", "Answers", false)))
				for (k = 0; k < nvalues && !err; k++)
					err = table_row(
					    &qf->answers, &cap, values[k], NULL,
					    counter_get(&ra->q[q].c[0], values[k], NULL), total);
			for (b = 0; b < 3 && !err; b++) {
				snprintf(name, sizeof(name), "%s", ss_field_name(find_field[b]));
				if (!(err = table_init(&qf->by[b], name, find_title[b], true)))
					err = table_cross(&qf->by[b], &ra->q[q].c[b + 1], values,
					                  nvalues);
			}
			free(values);
			if (err)
				return err;
		}
	}
	return 0;
}

static long long gcd_ll(long long a, long long b)
{
	if (a < 0)
		a = -a;
	while (b) {
		long long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Cohen's kappa over the n records both roles answered, from the n x n table
 * c of role a's answer (row) by role b's (column), with row totals a_i and
 * column totals b_i:
 *   p_o = (sum_i c_ii) / n                 observed agreement
 *   p_e = (sum_i a_i * b_i) / n^2          agreement expected by chance
 *   kappa = (p_o - p_e) / (1 - p_e) = (n * sum_i c_ii - sum_i a_i b_i) / (n^2 - sum_i a_i b_i)
 * computed in integers and kept as that fraction (reduced). It is undefined
 * when n is 0 or p_e is 1 (both roles gave one and the same answer throughout).
 */
static void kappa(struct ss_report_pair *p, const size_t *cells, size_t nv)
{
	long long n = 0, agree = 0, s = 0, num, den, g;
	size_t i, j;

	for (i = 0; i < nv; i++) {
		long long ai = 0, bi = 0;

		for (j = 0; j < nv; j++) {
			ai += (long long)cells[i * nv + j];
			bi += (long long)cells[j * nv + i];
		}
		s += ai * bi;
		n += ai;
		agree += (long long)cells[i * nv + i];
	}
	num = n * agree - s;
	den = n * n - s;
	p->kappa_defined = n > 0 && den != 0;
	if (!p->kappa_defined) {
		p->kappa_num = p->kappa_den = 0;
		return;
	}
	g = gcd_ll(num, den);
	if (g == 0)
		g = 1;
	p->kappa_num = num / g;
	p->kappa_den = den / g;
}

static int finish_agreement(struct ss_report *r)
{
	const struct ss_policy *pol = r->policy;
	struct ss_report_acc *a = r->acc;
	struct ss_report_agreement *ag = &r->agreement;
	size_t k, i, nv;

	if (a->question < 0)
		return 0;
	nv = pol->questions[a->question].nvalues;
	if ((ag->question = strdup(pol->questions[a->question].id)) == NULL ||
	    (ag->values = calloc(nv + 1, sizeof(*ag->values))) == NULL)
		return ss_error_nomem();
	for (i = 0; i < nv; i++) {
		ag->nvalues = i + 1;
		if ((ag->values[i] = strdup(pol->questions[a->question].values[i])) == NULL)
			return ss_error_nomem();
	}
	if (a->npairs && (ag->pairs = calloc(a->npairs, sizeof(*ag->pairs))) == NULL)
		return ss_error_nomem();
	for (k = 0; k < a->npairs; k++) {
		struct ss_report_pair *p = &ag->pairs[k];
		const size_t *cells = &a->pair_cells[k * nv * nv];
		size_t n = 0, agree = 0;

		ag->npairs = k + 1;
		if ((p->role_a = strdup(a->roles[a->pair_a[k]].name)) == NULL ||
		    (p->role_b = strdup(a->roles[a->pair_b[k]].name)) == NULL ||
		    (p->cells = calloc(nv * nv + 1, sizeof(*p->cells))) == NULL ||
		    (p->cell_figs = calloc(nv * nv + 1, sizeof(*p->cell_figs))) == NULL)
			return ss_error_nomem();
		memcpy(p->cells, cells, nv * nv * sizeof(*cells));
		for (i = 0; i < nv * nv; i++) {
			n += cells[i];
			p->cell_figs[i] = (struct ss_report_fig){.count = cells[i]};
		}
		for (i = 0; i < nv; i++)
			agree += cells[i * nv + i];
		p->records = (struct ss_report_fig){.count = n};
		p->agreeing = (struct ss_report_fig){.count = agree, .denom = n};
		p->ties = (struct ss_report_fig){.count = a->pair_ties[k]};
		kappa(p, cells, nv);
	}
	return 0;
}

static int finish_corrections(struct ss_report *r)
{
	struct ss_report_acc *a = r->acc;
	struct ss_report_corrections *c = &r->corrections;
	int err;

	c->corrections = (struct ss_report_fig){.count = a->ncorrections};
	c->records = (struct ss_report_fig){.count = a->ncorrected, .denom = a->searches};
	if ((err = table_init(&c->outcome, "outcome", "Outcomes corrected: from, to", true)) ||
	    (err = table_from_counter(&c->outcome, &a->fix_outcome, a->ncorrected, BY_KEY)) ||
	    (err =
	         table_init(&c->linked, "outcome_linked_to_object_of_search",
	                    "Outcome linked to the object of search, corrected: from, to", true)) ||
	    (err = table_from_counter(&c->linked, &a->fix_linked, a->ncorrected, BY_KEY)))
		return err;
	c->positive_recorded = r->positive;
	c->positive_corrected = (struct ss_report_fig){
	    .count = r->positive.count + a->pos_gained - a->pos_lost, .denom = a->searches};
	c->linked_recorded = r->linked;
	c->linked_corrected = (struct ss_report_fig){
	    .count = r->linked.count + a->link_gained - a->link_lost, .denom = a->searches};
	return 0;
}

static int finish_progress(struct ss_report *r)
{
	struct ss_report_acc *a = r->acc;
	size_t i;
	int err;

	if (r->nsamples < 2)
		return 0;
	for (i = 0; i < a->nroles; i++) {
		const struct racc *ra = &a->roles[i];
		struct ss_report_progress *p;

		if (ra->months == 0)
			continue;
		if ((err =
		         grow(&r->progress, &a->progress_cap, r->nprogress, sizeof(*r->progress))))
			return err;
		p = &r->progress[r->nprogress++];
		if ((p->role = strdup(ra->name)) == NULL)
			return ss_error_nomem();
		p->assigned = (struct ss_report_fig){.count = ra->assigned};
		p->reviewed = (struct ss_report_fig){.count = ra->reviewed, .denom = ra->assigned};
		p->waived = (struct ss_report_fig){.count = ra->waived, .denom = ra->assigned};
		p->missing = (struct ss_report_fig){.count = ra->missing, .denom = ra->assigned};
	}
	return 0;
}

/* ---- public suppression ---- */

static void hide(const struct ss_report *r, struct ss_report_fig *f)
{
	if (f->count > 0 && f->count < r->public_min)
		f->hidden = true;
	if (f->denom > 0 && f->denom < r->public_min)
		f->denom_hidden = true;
	if (f->hidden || f->denom_hidden)
		f->pct_hidden = true;
}

/* Within a group of figures adding up to a total shown elsewhere, one hidden
 * count could be worked out by subtraction: hide the next smallest as well. */
static void hide_group(struct ss_report_fig **g, size_t n)
{
	struct ss_report_fig *next = NULL;
	size_t i, hidden = 0;

	for (i = 0; i < n; i++) {
		if (g[i]->hidden)
			hidden++;
		else if (g[i]->count > 0 && (next == NULL || g[i]->count < next->count))
			next = g[i];
	}
	if (hidden == 1 && next != NULL) {
		next->hidden = true;
		next->pct_hidden = true;
	}
}

static int hide_table(const struct ss_report *r, struct ss_report_table *t)
{
	struct ss_report_fig **g;
	size_t i, lo, n;

	for (i = 0; i < t->nrows; i++)
		hide(r, &t->rows[i].fig);
	if (t->nrows == 0)
		return 0;
	if ((g = calloc(t->nrows, sizeof(*g))) == NULL)
		return ss_error_nomem();
	for (lo = 0; lo < t->nrows; lo += n) {
		n = 0;
		for (i = lo; i < t->nrows &&
		             (!t->cross || i == lo || str_eq(t->rows[i].key, t->rows[lo].key));
		     i++)
			g[n++] = &t->rows[i].fig;
		hide_group(g, n);
	}
	free(g);
	return 0;
}

static int hide_figs_column(struct ss_report_fig **g, size_t n, const struct ss_report *r)
{
	size_t i;

	for (i = 0; i < n; i++)
		hide(r, g[i]);
	hide_group(g, n);
	return 0;
}

static int suppress(struct ss_report *r)
{
	struct ss_report_fig **g = NULL;
	size_t i, j, k, q, b, nv = r->agreement.nvalues;
	int err = 0;

	hide(r, &r->searches);
	hide(r, &r->positive);
	hide(r, &r->strip);
	hide(r, &r->children);
	hide(r, &r->linked);
	hide(r, &r->outside_groups);
	for (k = 0; k < SS_REPORT_NBY && !err; k++)
		err = hide_table(r, &r->by[k]);
	for (i = 0; i < r->nrates; i++)
		hide(r, &r->rates[i].searches);
	for (i = 0; i < r->nsamples && !err; i++) {
		struct ss_report_sample *s = &r->samples[i];
		size_t n = s->nstrata;

		hide(r, &s->sampled);
		hide(r, &s->always);
		for (j = 0; j < s->nblanks; j++)
			hide(r, &s->blanks[j].count);
		if (n == 0)
			continue;
		if ((g = calloc(n, sizeof(*g))) == NULL)
			return ss_error_nomem();
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].population;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].always;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			g[j] = &s->strata[j].drawn;
		hide_figs_column(g, n, r);
		for (j = 0; j < n; j++)
			if (s->strata[j].population.hidden) {
				s->strata[j].drawn.denom_hidden = true;
				s->strata[j].drawn.pct_hidden = true;
			}
		free(g);
		g = NULL;
	}
	for (i = 0; i < r->nprogress; i++) {
		struct ss_report_progress *p = &r->progress[i];

		hide(r, &p->assigned);
		hide(r, &p->reviewed);
		hide(r, &p->waived);
		hide(r, &p->missing);
	}
	for (i = 0; i < r->nfindings && !err; i++) {
		struct ss_report_findings *f = &r->findings[i];

		hide(r, &f->verdicts);
		for (q = 0; q < f->nquestions && !err; q++) {
			err = hide_table(r, &f->questions[q].answers);
			for (b = 0; b < 3 && !err; b++)
				err = hide_table(r, &f->questions[q].by[b]);
		}
	}
	for (i = 0; i < r->agreement.npairs && !err; i++) {
		struct ss_report_pair *p = &r->agreement.pairs[i];

		hide(r, &p->records);
		hide(r, &p->agreeing);
		hide(r, &p->ties);
		if ((g = calloc(nv * nv + 1, sizeof(*g))) == NULL)
			return ss_error_nomem();
		for (j = 0; j < nv * nv; j++)
			g[j] = &p->cell_figs[j];
		hide_figs_column(g, nv * nv, r);
		free(g);
		g = NULL;
		p->kappa_hidden = p->records.hidden || p->agreeing.hidden;
	}
	if (err)
		return err;
	hide(r, &r->corrections.corrections);
	hide(r, &r->corrections.records);
	hide(r, &r->corrections.positive_recorded);
	hide(r, &r->corrections.positive_corrected);
	hide(r, &r->corrections.linked_recorded);
	hide(r, &r->corrections.linked_corrected);
	if ((err = hide_table(r, &r->corrections.outcome)) ||
	    (err = hide_table(r, &r->corrections.linked)))
		return err;
	return 0;
}

static void acc_free(struct ss_report_acc *a, size_t nquestions)
{
	size_t i, q, k;

	if (a == NULL)
		return;
	for (k = 0; k < SS_REPORT_NBY; k++)
		counter_release(&a->by[k]);
	counter_release(&a->census);
	counter_release(&a->fix_outcome);
	counter_release(&a->fix_linked);
	for (i = 0; i < a->nroles; i++) {
		for (q = 0; a->roles[i].q && q < nquestions; q++)
			for (k = 0; k < 4; k++)
				counter_release(&a->roles[i].q[q].c[k]);
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
	if ((err = finish_population(r)) || (err = finish_census(r)) ||
	    (err = finish_findings(r)) || (err = finish_agreement(r)) ||
	    (err = finish_corrections(r)) || (err = finish_progress(r)))
		goto out;
	if (r->nmonths_missing &&
	    (err = add_caveat(r, "%zu month%s in the range had no records imported",
	                      r->nmonths_missing, r->nmonths_missing == 1 ? "" : "s")))
		goto out;
	if (r->public && (err = suppress(r)))
		goto out;
	census_rates(r);
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
	acc_free(r->acc, r->policy ? r->policy->nquestions : 0);
	free(r->title);
	free(r->policy_name);
	free(r->range);
	strv_free(r->months_data, r->nmonths_data);
	strv_free(r->months_missing, r->nmonths_missing);
	strv_free(r->months_unsampled, r->nmonths_unsampled);
	strv_free(r->caveats, r->ncaveats);
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
		for (j = 0; j < f->nflags; j++) {
			free(f->flags[j].role);
			free(f->flags[j].reviewer);
			free(f->flags[j].question);
			free(f->flags[j].answer);
		}
		free(f->flags);
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

/* ---- words for figures ---- */

void ss_report_count_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                          size_t n)
{
	if (f->hidden && f->count > 0 && f->count < r->public_min)
		snprintf(out, n, "<%u", r->public_min);
	else if (f->hidden)
		snprintf(out, n, "withheld");
	else
		snprintf(out, n, "%zu", f->count);
}

bool ss_report_pct_tenths(const struct ss_report_fig *f, unsigned long long *tenths)
{
	if (f->denom == 0 || f->pct_hidden || f->hidden || f->denom_hidden)
		return false;
	*tenths =
	    ((unsigned long long)f->count * 2000 + f->denom) / (2 * (unsigned long long)f->denom);
	return true;
}

void ss_report_pct_text(const struct ss_report_fig *f, char *out, size_t n)
{
	unsigned long long t;

	if (!ss_report_pct_tenths(f, &t))
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%llu.%llu%%", t / 10, t % 10);
}

bool ss_report_fig_few(const struct ss_report_fig *f)
{
	unsigned long long t;

	return ss_report_pct_tenths(f, &t) && f->denom < SS_REPORT_FEW;
}

void ss_report_fig_text(const struct ss_report *r, const struct ss_report_fig *f, char *out,
                        size_t n)
{
	char c[32], d[32], p[32];
	struct ss_report_fig den = {.count = f->denom, .hidden = f->denom_hidden};

	ss_report_count_text(r, f, c, sizeof(c));
	if (f->denom == 0) {
		snprintf(out, n, "%s", c);
		return;
	}
	ss_report_count_text(r, &den, d, sizeof(d));
	ss_report_pct_text(f, p, sizeof(p));
	if (*p)
		snprintf(out, n, "%s of %s (%s)%s", c, d, p,
		         ss_report_fig_few(f) ? " (fewer than 10 records)" : "");
	else
		snprintf(out, n, "%s of %s", c, d);
}

void ss_report_kappa_text(const struct ss_report_pair *p, char *out, size_t n)
{
	long long num = p->kappa_num, den = p->kappa_den, v;

	if (p->kappa_hidden) {
		snprintf(out, n, "withheld");
		return;
	}
	if (!p->kappa_defined) {
		snprintf(out, n, "undefined");
		return;
	}
	/* thousandths, rounded half away from zero */
	v = ((num < 0 ? -num : num) * 2000 + den) / (2 * den);
	snprintf(out, n, "%s%lld.%03lld", num < 0 && v > 0 ? "-" : "", v / 1000, v % 1000);
}

void ss_report_x100_text(unsigned long long v, char *out, size_t n)
{
	snprintf(out, n, "%llu.%02llu", v / 100, v % 100);
}

const char *ss_report_key_text(const char *key)
{
	return key ? key : "(blank)";
}
