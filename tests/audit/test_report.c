/*
 * Tests of the report: a population, sample, policy and verdicts built in
 * memory with figures worked out by hand (in the comments), checked exactly
 * in the model; Cohen's kappa against a hand computation, modal answers and
 * ties, the fewer-than-10 flags, public suppression, ranges; and every
 * format rendered: JSON parses with the documented keys, CSV has nine columns
 * on every row with RFC 4180 quoting, HTML has no script and no address.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "policy.h"
#include "report.h"
#include "sample.h"
#include "verdict.h"
#include "month.h"

#define ZERO_SHA "0000000000000000000000000000000000000000000000000000000000000000"
#define NREC     40

static const char *policy_json =
    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"Test policy\","
    "\"sample\":{\"rate\":\"100%\",\"strata\":[\"area\"],"
    "\"always\":[{\"field\":\"removal_of_more_than_outer_clothing\",\"equals\":true}]},"
    "\"roles\":{\"coordinator\":{\"may\":[\"import\",\"sample\",\"correct\"]},"
    "\"li\":{\"may\":[\"review\"],\"reviews\":\"all\"},"
    "\"ii\":{\"may\":[\"review\"],\"reviews\":\"all\"},"
    "\"qa\":{\"may\":[\"review\"],\"reviews\":\"all\"}},"
    "\"verdict\":[{\"id\":\"grounds\",\"question\":\"Grounds?\",\"values\":[\"reasonable\","
    "\"not-reasonable\",\"insufficient-information\"]},"
    "{\"id\":\"conduct\",\"question\":\"Conduct?\",\"values\":[\"fair\",\"concerns\","
    "\"unable-to-assess\"]}],"
    "\"outcomes\":{\"positive\":[\"Arrest\",\"Community resolution\"]},"
    "\"fields\":{\"officer\":\"kept\"},"
    "\"population\":{\"source\":\"Test census 2021\",\"groups\":["
    "{\"ethnicity\":\"White\",\"residents\":10000},{\"ethnicity\":\"Black\",\"residents\":1000},"
    "{\"ethnicity\":\"Asian\",\"residents\":2000}]},"
    "\"public\":{\"min_count\":5}}";

#define NFA  "A no further action disposal"
#define MDA  "Misuse of Drugs Act 1971 (section 23)"
#define PACE "Police and Criminal Evidence Act 1984 (section 1)"

/* ---- the fixture ---- */

struct fixture {
	struct ss_policy *pol;
	struct ss_population *pop;
	struct ss_sample *sample;
	struct ss_month_state st;
	char ids[NREC][SS_ID_LEN + 1]; /* sorted */
	/* storage for the hand-made state */
	struct ss_verdict verdicts[64];
	struct ss_answer answers[64][2];
	struct ss_correction corrections[8];
	struct ss_fix fixes[8][2];
	struct ss_waiver waivers[1];
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void make_ids(char ids[][SS_ID_LEN + 1], size_t n, const char *salt)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char text[64];
		unsigned char d[32];

		snprintf(text, sizeof(text), "report-%s-%zu", salt, i);
		ss_sha256(d, text, strlen(text));
		ids[i][0] = 'R';
		ids[i][1] = '-';
		ss_base32_encode(ids[i] + 2, d, 10);
	}
	qsort(ids, n, sizeof(ids[0]), cmp_str);
}

static const char *dup(struct ss_population *pop, const char *s)
{
	return s ? ss_population_strdup(pop, s, strlen(s)) : NULL;
}

/*
 * Record i of 40 (ids in sorted order):
 *   area: i%10 in 0-5 North (24), 6-8 South (12), 9 blank (4)
 *   officer-defined ethnicity: 0-29 White (30), 30-35 Black (6), 36-38 Asian (3), 39 blank (1)
 *   outcome: i%5==0 Arrest (8); 1,2 Community resolution (2); 3,4 blank (2); else NFA (28)
 *     positive (Arrest, Community resolution): 10 of 40 = 25.0%
 *   removal: 7,8,9 true (3); 10,11 blank (2); else false
 *   age: 0 under 10; 1-4 10-17; 5-24 18-24 (20); 25-39 over 34 (15): children 5 (12.5%)
 *   linked: i%5==0 and i<30 true (6)
 *   legislation: even MDA (20), odd PACE (20); gender: i%4==0 Female (10), else Male (30)
 */
static struct ss_population *make_population(char ids[][SS_ID_LEN + 1], size_t n, bool small)
{
	struct ss_population *pop = NULL;
	size_t i;

	assert_int_equal(ss_population_new(&pop), 0);
	for (i = 0; i < n; i++) {
		struct ss_record *r;
		const char *area = i % 10 < 6 ? "North" : i % 10 < 9 ? "South" : NULL;
		const char *eth = i < 30 ? "White" : i < 36 ? "Black" : i < 39 ? "Asian" : NULL;
		const char *outcome = i % 5 == 0           ? "Arrest"
		                      : (i == 1 || i == 2) ? "Community resolution"
		                      : (i == 3 || i == 4) ? NULL
		                                           : NFA;
		const char *age = i == 0   ? "under 10"
		                  : i < 5  ? "10-17"
		                  : i < 25 ? "18-24"
		                           : "over 34";
		char officer[32];

		assert_int_equal(ss_population_append(pop, &r), 0);
		memcpy(r->id, ids[i], SS_ID_LEN + 1);
		r->str[SS_F_TYPE] = dup(pop, "Person search");
		r->str[SS_F_DATETIME] =
		    dup(pop, small ? "2019-07-02T10:00:00+00:00" : "2019-06-02T10:00:00+00:00");
		r->str[SS_F_AREA] = dup(pop, area);
		r->str[SS_F_OFFICER_DEFINED_ETHNICITY] = dup(pop, eth);
		r->str[SS_F_OUTCOME] = dup(pop, outcome);
		r->str[SS_F_AGE_RANGE] = dup(pop, age);
		r->str[SS_F_LEGISLATION] = dup(pop, i % 2 == 0 ? MDA : PACE);
		r->str[SS_F_OBJECT_OF_SEARCH] = dup(pop, "Controlled drugs");
		r->str[SS_F_GENDER] = dup(pop, i % 4 == 0 ? "Female" : "Male");
		snprintf(officer, sizeof(officer), "O-officer%zu", i % 4);
		r->str[SS_F_OFFICER] = dup(pop, officer);
		r->tri[SS_F_REMOVAL] = (i >= 7 && i <= 9)     ? SS_TRI_TRUE
		                       : (i == 10 || i == 11) ? SS_TRI_NULL
		                                              : SS_TRI_FALSE;
		r->tri[SS_F_OUTCOME_LINKED] = i % 5 == 0 && i < 30 ? SS_TRI_TRUE : SS_TRI_FALSE;
		r->tri[SS_F_OPERATION] = SS_TRI_NULL;
	}
	return pop;
}

static void verdict(struct fixture *f, size_t rec, const char *role, const char *reviewer,
                    const char *grounds, const char *conduct, const char *note)
{
	struct ss_verdict *v = &f->verdicts[f->st.nverdicts];
	struct ss_answer *a = f->answers[f->st.nverdicts];

	f->st.nverdicts++;
	memset(v, 0, sizeof(*v));
	v->month = "2019-06";
	v->id = f->ids[rec];
	v->role = (char *)role;
	v->reviewer = (char *)reviewer;
	v->entered_by = (char *)reviewer;
	a[0].question = "grounds";
	a[0].value = (char *)grounds;
	a[1].question = "conduct";
	a[1].value = (char *)conduct;
	v->answers = a;
	v->nanswers = 2;
	v->note = (char *)note;
}

static int cmp_verdict(const void *x, const void *y)
{
	const struct ss_verdict *a = x, *b = y;
	int c = strcmp(a->id, b->id);

	if (c == 0)
		c = strcmp(a->role, b->role);
	if (c == 0)
		c = strcmp(a->reviewer, b->reviewer);
	return c;
}

static void correction(struct fixture *f, size_t rec, unsigned number, const char *from,
                       const char *to, int linked_to)
{
	struct ss_correction *c = &f->corrections[f->st.ncorrections];
	struct ss_fix *x = f->fixes[f->st.ncorrections];

	f->st.ncorrections++;
	memset(c, 0, sizeof(*c));
	c->month = "2019-06";
	c->id = f->ids[rec];
	c->reason = "lab result";
	c->by = "ro";
	c->number = number;
	c->changes = x;
	x[0].field = SS_F_OUTCOME;
	x[0].from = (struct ss_rule_value){.kind = from ? SS_RV_STRING : SS_RV_NULL, .s = from};
	x[0].to = (struct ss_rule_value){.kind = to ? SS_RV_STRING : SS_RV_NULL, .s = to};
	c->nchanges = 1;
	if (linked_to >= 0) {
		x[1].field = SS_F_OUTCOME_LINKED;
		x[1].from = (struct ss_rule_value){.kind = SS_RV_BOOL, .b = false};
		x[1].to = (struct ss_rule_value){.kind = SS_RV_BOOL, .b = linked_to == 1};
		c->nchanges = 2;
	}
}

static int cmp_correction(const void *x, const void *y)
{
	const struct ss_correction *a = x, *b = y;
	int c = strcmp(a->id, b->id);

	return c ? c : (a->number > b->number) - (a->number < b->number);
}

#define R "reasonable"
#define N "not-reasonable"
#define I "insufficient-information"

static struct fixture *fixture_new(void)
{
	/* grounds on records 0-11 (see the kappa test for the table they make) */
	static const char *const L[12] = {R, R, R, R, R, N, N, R, I, R, N, R};
	static const char *const J[12] = {R, R, N, R, R, N, R, R, I, I, N, R};
	struct fixture *f = calloc(1, sizeof(*f));
	size_t i;

	assert_non_null(f);
	assert_int_equal(ss_policy_parse(policy_json, strlen(policy_json), "test.json", &f->pol),
	                 0);
	make_ids(f->ids, NREC, "june");
	f->pop = make_population(f->ids, NREC, false);
	/* A v1 month (no random core): the estimate tests give their design by hand. */
	assert_int_equal(ss_sample_draw_v1(f->pop, f->pol, "2019-06", "12345678901234567890", false,
	                                   ZERO_SHA, ZERO_SHA, &f->sample),
	                 0);
	for (i = 0; i < 12; i++) {
		verdict(f, i, "li", "insp-l", L[i], i == 5 ? "concerns" : "fair",
		        i == 5 ? "Grounds were a smell of cannabis only" : NULL);
		verdict(f, i, "ii", "insp-i", J[i], i == 6 ? "unable-to-assess" : "fair", NULL);
	}
	/* the panel: record 0 both say reasonable; record 1 split 1-1 (a tie);
	 * record 2 one member; record 3 two of three say not-reasonable; record 12
	 * is answered by the panel alone. */
	verdict(f, 0, "qa", "qa1", R, "fair", NULL);
	verdict(f, 0, "qa", "qa2", R, "fair", NULL);
	verdict(f, 1, "qa", "qa1", N, "fair", "<script>alert(1)</script> & \"quoted\" \x1b[2J");
	verdict(f, 1, "qa", "qa2", R, "fair", "=cmd|' /C calc'!A0, with a comma\nand a line");
	verdict(f, 2, "qa", "qa1", N, "fair", NULL);
	verdict(f, 3, "qa", "qa1", N, "fair", NULL);
	verdict(f, 3, "qa", "qa2", R, "fair", NULL);
	verdict(f, 3, "qa", "qa3", N, "fair", NULL);
	verdict(f, 12, "qa", "qa1", R, "fair", NULL);
	qsort(f->verdicts, f->st.nverdicts, sizeof(f->verdicts[0]), cmp_verdict);
	f->st.verdicts = f->verdicts;
	/* record 6: NFA -> Arrest, linked false -> true; record 0: Arrest -> NFA ->
	 * Community resolution; record 13: NFA -> Arrest -> NFA (no net change) */
	correction(f, 6, 1, NFA, "Arrest", 1);
	correction(f, 0, 1, "Arrest", NFA, -1);
	correction(f, 0, 2, NFA, "Community resolution", -1);
	correction(f, 13, 1, NFA, "Arrest", -1);
	correction(f, 13, 2, "Arrest", NFA, -1);
	qsort(f->corrections, f->st.ncorrections, sizeof(f->corrections[0]), cmp_correction);
	f->st.corrections = f->corrections;
	f->waivers[0] =
	    (struct ss_waiver){"2019-06", f->ids[39], "no video and no record", "coord"};
	f->st.waivers = f->waivers;
	f->st.nwaivers = 1;
	return f;
}

static void fixture_free(struct fixture *f)
{
	if (f == NULL)
		return;
	ss_sample_free(f->sample);
	ss_population_free(f->pop);
	ss_policy_free(f->pol);
	free(f);
}

static struct ss_report *build(struct fixture *f, bool public)
{
	struct ss_report *r = NULL;

	assert_int_equal(ss_report_new(f->pol, "Test trail", "2019-06", "2019-06", public, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", f->pop, f->sample, &f->st, true), 0);
	assert_int_equal(ss_report_finish(r), 0);
	return r;
}

static const struct ss_report_row *row(const struct ss_report_table *t, const char *key,
                                       const char *subkey)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (((key == NULL && t->rows[i].key == NULL) ||
		     (key && t->rows[i].key && strcmp(key, t->rows[i].key) == 0)) &&
		    ((subkey == NULL && t->rows[i].subkey == NULL) ||
		     (subkey && t->rows[i].subkey && strcmp(subkey, t->rows[i].subkey) == 0)))
			return &t->rows[i];
	fail_msg("no row %s / %s in %s", key ? key : "(blank)", subkey ? subkey : "-", t->name);
	return NULL;
}

static void fig_is(const struct ss_report_fig *f, size_t count, size_t denom)
{
	assert_int_equal(f->count, count);
	assert_int_equal(f->denom, denom);
}

static const struct ss_report_pair *pair(const struct ss_report *r, const char *a, const char *b)
{
	size_t i;

	for (i = 0; i < r->agreement.npairs; i++)
		if (strcmp(r->agreement.pairs[i].role_a, a) == 0 &&
		    strcmp(r->agreement.pairs[i].role_b, b) == 0)
			return &r->agreement.pairs[i];
	fail_msg("no pair %s/%s", a, b);
	return NULL;
}

static const struct ss_report_findings *findings(const struct ss_report *r, const char *role)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].role, role) == 0)
			return &r->findings[i];
	fail_msg("no findings for %s", role);
	return NULL;
}

static char *render(const struct ss_report *r, int (*fn)(const struct ss_report *, struct ss_buf *))
{
	struct ss_buf b = SS_BUF_INIT;

	assert_int_equal(fn(r, &b), 0);
	assert_non_null(b.data);
	return ss_buf_detach(&b);
}

/* ---- the model ---- */

static void test_audit_report__population(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	char s[160];

	(void)state;
	fig_is(&r->searches, 40, 0);
	/* shares are over the records where the field is recorded; the blank
	 * row is a count outside the shares */
	fig_is(&r->positive, 10, 38);
	assert_int_equal(r->positive.unrecorded, 2);
	fig_is(&r->strip, 3, 38);
	assert_int_equal(r->strip.unrecorded, 2);
	fig_is(&r->children, 5, 40);
	fig_is(&r->linked, 6, 40);
	fig_is(&row(&r->by[SS_REPORT_BY_AREA], "North", NULL)->fig, 24, 36);
	fig_is(&row(&r->by[SS_REPORT_BY_AREA], "South", NULL)->fig, 12, 36);
	fig_is(&row(&r->by[SS_REPORT_BY_AREA], NULL, NULL)->fig, 4, 0);
	fig_is(&row(&r->by[SS_REPORT_BY_OUTCOME], NFA, NULL)->fig, 28, 38);
	fig_is(&row(&r->by[SS_REPORT_BY_OUTCOME], NULL, NULL)->fig, 2, 0);
	fig_is(&row(&r->by[SS_REPORT_BY_ETHNICITY], "Asian", NULL)->fig, 3, 39);
	fig_is(&row(&r->by[SS_REPORT_BY_GENDER], "Female", NULL)->fig, 10, 40);
	fig_is(&row(&r->by[SS_REPORT_BY_LEGISLATION], PACE, NULL)->fig, 20, 40);
	/* largest first, blank last among equals; age ranges in age order */
	assert_string_equal(r->by[SS_REPORT_BY_AREA].rows[0].key, "North");
	assert_null(r->by[SS_REPORT_BY_AREA].rows[2].key);
	assert_string_equal(r->by[SS_REPORT_BY_AGE].rows[0].key, "under 10");
	assert_string_equal(r->by[SS_REPORT_BY_AGE].rows[1].key, "10-17");
	assert_string_equal(r->by[SS_REPORT_BY_AGE].rows[3].key, "over 34");
	ss_report_fig_text(r, &r->positive, s, sizeof(s));
	assert_string_equal(s, "10 of 38 (26.3%); not recorded: 2");
	ss_report_fig_text(r, &r->strip, s, sizeof(s));
	assert_string_equal(s, "3 of 38 (7.9%); not recorded: 2");
	assert_string_equal(ss_report_key_text(NULL), "not recorded");
	assert_int_equal(r->nmonths_data, 1);
	assert_int_equal(r->nmonths_missing, 0);
	ss_report_free(r);
	fixture_free(f);
}

/* White 30 searches / 10,000 = 3.00 per 1,000; Black 6 / 1,000 = 6.00, ratio
 * 2.00; Asian 3 / 2,000 = 1.50, ratio 0.50; 1 search has no group. */
static void test_audit_report__census(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	size_t i;

	(void)state;
	assert_true(r->census);
	assert_string_equal(r->census_source, "Test census 2021");
	assert_int_equal(r->nrates, 3);
	for (i = 0; i < r->nrates; i++) {
		const struct ss_report_rate *rt = &r->rates[i];

		assert_null(rt->area);
		assert_true(rt->rate_defined);
		assert_true(rt->ratio_defined);
		if (strcmp(rt->ethnicity, "White") == 0) {
			assert_int_equal(rt->searches.count, 30);
			assert_int_equal(rt->per1000_x100, 300);
			assert_int_equal(rt->ratio_x100, 100);
			assert_false(rt->few);
		} else if (strcmp(rt->ethnicity, "Black") == 0) {
			assert_int_equal(rt->searches.count, 6);
			assert_int_equal(rt->per1000_x100, 600);
			assert_int_equal(rt->ratio_x100, 200);
			assert_true(rt->few);
		} else {
			assert_string_equal(rt->ethnicity, "Asian");
			assert_int_equal(rt->searches.count, 3);
			assert_int_equal(rt->per1000_x100, 150);
			assert_int_equal(rt->ratio_x100, 50);
		}
	}
	fig_is(&r->outside_groups, 1, 40);
	ss_report_free(r);
	fixture_free(f);
}

/*
 * Census figures by area only (North and South; records with a blank area are
 * in neither). From the fixture: White North 18, South 9 (3 more in no area);
 * Black North 6, South 0; Asian 3 and one blank ethnicity in no group.
 *   whole force White 27 / 10,000 = 2.70; Black 6 / 1,000 = 6.00, ratio 2.22
 *   North White 18 / 6,000 = 3.00; North Black 6 / 500 = 12.00, ratio 4.00
 *   South White 9 / 4,000 = 2.25; South Black 0 / 500 = 0.00, ratio 0.00
 *   outside the groups: 40 - 27 - 6 = 7
 */
static void test_audit_report__census_by_area(void **state)
{
	static const char *groups =
	    "\"population\":{\"groups\":["
	    "{\"area\":\"North\",\"ethnicity\":\"White\",\"residents\":6000},"
	    "{\"area\":\"South\",\"ethnicity\":\"White\",\"residents\":4000},"
	    "{\"area\":\"North\",\"ethnicity\":\"Black\",\"residents\":500},"
	    "{\"area\":\"South\",\"ethnicity\":\"Black\",\"residents\":500}]},";
	struct fixture *f = fixture_new();
	const char *at = strstr(policy_json, "\"population\"");
	const char *end = strstr(policy_json, "\"public\"");
	char text[4096];
	struct ss_policy *pol = NULL;
	struct ss_report *r = NULL;
	size_t i;
	static const struct {
		const char *area, *eth;
		size_t searches;
		unsigned long long rate, ratio;
	} want[] = {{NULL, "White", 27, 270, 100},    {NULL, "Black", 6, 600, 222},
	            {"North", "White", 18, 300, 100}, {"South", "White", 9, 225, 100},
	            {"North", "Black", 6, 1200, 400}, {"South", "Black", 0, 0, 0}};

	(void)state;
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - policy_json), policy_json, groups, end);
	if (ss_policy_parse(text, strlen(text), "area.json", &pol) != 0)
		fail_msg("%s", ss_error_message());
	assert_int_equal(ss_report_new(pol, "", "2019-06", "2019-06", false, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", f->pop, f->sample, &f->st, false), 0);
	assert_int_equal(ss_report_finish(r), 0);
	assert_null(r->census_source);
	assert_int_equal(r->nrates, 6);
	for (i = 0; i < 6; i++) {
		const struct ss_report_rate *rt = &r->rates[i];

		if (want[i].area)
			assert_string_equal(rt->area, want[i].area);
		else
			assert_null(rt->area);
		assert_string_equal(rt->ethnicity, want[i].eth);
		assert_int_equal(rt->searches.count, want[i].searches);
		assert_int_equal(rt->per1000_x100, want[i].rate);
		assert_true(rt->ratio_defined);
		assert_int_equal(rt->ratio_x100, want[i].ratio);
	}
	fig_is(&r->outside_groups, 7, 40);
	ss_report_free(r);
	ss_policy_free(pol);
	fixture_free(f);
}

/* 100% sample: every record drawn; strata by area; always = strip searches
 * (records 7 and 8 are South, 9 is blank area). */
static void test_audit_report__sample_and_progress(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	const struct ss_report_sample *s;
	size_t i;

	(void)state;
	assert_int_equal(r->nsamples, 1);
	s = &r->samples[0];
	assert_string_equal(s->seed, "12345678901234567890");
	assert_false(s->generated);
	fig_is(&s->sampled, 40, 40);
	fig_is(&s->always, 3, 40);
	assert_int_equal(s->nstrata, 3);
	for (i = 0; i < s->nstrata; i++) {
		const struct ss_report_stratum *st = &s->strata[i];

		if (strcmp(st->key, "[null]") == 0) {
			assert_string_equal(st->label, "(blank)");
			fig_is(&st->population, 4, 0);
			fig_is(&st->always, 1, 0);
		} else if (strcmp(st->key, "[\"South\"]") == 0) {
			assert_string_equal(st->label, "South");
			fig_is(&st->population, 12, 0);
			fig_is(&st->always, 2, 0);
			fig_is(&st->drawn, 12, 12);
		} else {
			assert_string_equal(st->label, "North");
			fig_is(&st->always, 0, 0);
		}
	}
	/* blanks: area 4, removal 2 */
	for (i = 0; i < s->nblanks; i++) {
		if (strcmp(s->blanks[i].field, "area") == 0)
			fig_is(&s->blanks[i].count, 4, 40);
		else
			fig_is(&s->blanks[i].count, 2, 40);
	}
	/* li and ii reviewed records 0-11; the panel 0, 1, 2, 3 and 12; record 39 waived */
	assert_int_equal(r->nprogress, 3);
	for (i = 0; i < r->nprogress; i++) {
		const struct ss_report_progress *p = &r->progress[i];
		size_t done = strcmp(p->role, "qa") == 0 ? 5 : 12;

		assert_string_equal(p->month, "2019-06");
		fig_is(&p->assigned, 40, 0);
		fig_is(&p->reviewed, done, 40);
		fig_is(&p->waived, 1, 40);
		fig_is(&p->missing, 40 - done - 1, 40);
	}
	ss_report_free(r);
	fixture_free(f);
}

/*
 * li's grounds on records 0-11: reasonable 8, not-reasonable 3, insufficient 1
 * (of 12: 66.7%, 25.0%, 8.3%). By area (0-5, 10, 11 North; 6-8 South; 9 blank):
 * North 6 / 2 / 0 of 8 (fewer than 10), South 1 / 1 / 1, blank 1 / 0 / 0.
 * The panel's 9 answers count each member: reasonable 5, not-reasonable 4.
 */
static void test_audit_report__findings(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	const struct ss_report_findings *li = findings(r, "li"), *qa = findings(r, "qa");
	const struct ss_report_qfind *g = &li->questions[0];
	char s[160];

	(void)state;
	assert_string_equal(g->id, "grounds");
	fig_is(&li->verdicts, 12, 0);
	fig_is(&row(&g->answers, R, NULL)->fig, 8, 12);
	fig_is(&row(&g->answers, N, NULL)->fig, 3, 12);
	fig_is(&row(&g->answers, I, NULL)->fig, 1, 12);
	ss_report_fig_text(r, &row(&g->answers, I, NULL)->fig, s, sizeof(s));
	assert_string_equal(s, "1 of 12 (8.3%)");
	assert_false(ss_report_fig_few(&row(&g->answers, R, NULL)->fig));
	/* answers in the policy's order */
	assert_string_equal(g->answers.rows[0].key, R);
	assert_string_equal(g->answers.rows[2].key, I);
	assert_string_equal(g->by[0].name, "area");
	fig_is(&row(&g->by[0], "North", R)->fig, 6, 8);
	fig_is(&row(&g->by[0], "North", N)->fig, 2, 8);
	fig_is(&row(&g->by[0], "North", I)->fig, 0, 8);
	fig_is(&row(&g->by[0], "South", I)->fig, 1, 3);
	fig_is(&row(&g->by[0], NULL, R)->fig, 1, 1);
	assert_true(ss_report_fig_few(&row(&g->by[0], "North", R)->fig));
	ss_report_fig_text(r, &row(&g->by[0], "North", R)->fig, s, sizeof(s));
	assert_string_equal(s, "6 of 8 (75.0%) (fewer than 10 records)");
	/* by ethnicity: records 0-11 are all White; by legislation: even MDA, odd PACE */
	fig_is(&row(&g->by[1], "White", R)->fig, 8, 12);
	fig_is(&row(&g->by[2], MDA, N)->fig, 2, 6);  /* records 6, 10 */
	fig_is(&row(&g->by[2], PACE, N)->fig, 1, 6); /* record 5 */
	/* conduct: li said concerns once */
	fig_is(&row(&li->questions[1].answers, "concerns", NULL)->fig, 1, 12);
	fig_is(&qa->verdicts, 9, 0);
	fig_is(&row(&qa->questions[0].answers, R, NULL)->fig, 5, 9);
	fig_is(&row(&qa->questions[0].answers, N, NULL)->fig, 4, 9);
	assert_true(ss_report_fig_few(&row(&qa->questions[0].answers, N, NULL)->fig));
	ss_report_free(r);
	fixture_free(f);
}

/*
 * li (rows) by ii (columns) on records 0-11:
 *   record: 0  1  2  3  4  5  6  7  8  9  10 11
 *   li:     R  R  R  R  R  N  N  R  I  R  N  R
 *   ii:     R  R  N  R  R  N  R  R  I  I  N  R
 *                 ii: R   N   I   | li total
 *   li R              6   1   1   |  8
 *   li N              1   2   0   |  3
 *   li I              0   0   1   |  1
 *   ii total          7   3   2   | 12
 * agreeing 6 + 2 + 1 = 9 of 12 (75.0%); p_o = 9/12; p_e = (8*7 + 3*3 + 1*2)/144
 * = 67/144; kappa = (12*9 - 67)/(144 - 67) = 41/77 = 0.532.
 *
 * The panel's modal answers: record 0 R (2-0), record 1 tie (1-1: dropped),
 * record 2 N, record 3 N (2-1); record 12 has no inspector verdict.
 * li/qa: (R,R) (R,N) (R,N): n 3, agreeing 1, S = 3*1 = 3, kappa (3*1-3)/(9-3) = 0.
 * ii/qa: records 0 (R,R), 2 (N,N), 3 (R,N): n 3, agreeing 2, ii R 2 N 1, qa R 1 N 2,
 * S = 2*1 + 1*2 = 4, kappa (3*2 - 4)/(9 - 4) = 2/5 = 0.400.
 */
static void test_audit_report__kappa(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	const struct ss_report_pair *p;
	char k[32];

	(void)state;
	assert_string_equal(r->agreement.question, "grounds");
	assert_int_equal(r->agreement.npairs, 3);
	p = pair(r, "li", "ii");
	fig_is(&p->records, 12, 0);
	fig_is(&p->agreeing, 9, 12);
	fig_is(&p->ties, 0, 0);
	assert_true(p->kappa_defined);
	assert_int_equal(p->kappa_num, 41);
	assert_int_equal(p->kappa_den, 77);
	ss_report_kappa_text(p, k, sizeof(k));
	assert_string_equal(k, "0.532");
	assert_int_equal(p->cells[0 * 3 + 0], 6);
	assert_int_equal(p->cells[0 * 3 + 1], 1);
	assert_int_equal(p->cells[1 * 3 + 0], 1);
	assert_int_equal(p->cells[2 * 3 + 2], 1);

	p = pair(r, "li", "qa");
	fig_is(&p->records, 3, 0);
	fig_is(&p->agreeing, 1, 3);
	fig_is(&p->ties, 1, 0);
	assert_true(p->kappa_defined);
	assert_int_equal(p->kappa_num, 0);
	ss_report_kappa_text(p, k, sizeof(k));
	assert_string_equal(k, "0.000");
	assert_true(ss_report_fig_few(&p->agreeing));

	p = pair(r, "ii", "qa");
	fig_is(&p->records, 3, 0);
	fig_is(&p->agreeing, 2, 3);
	fig_is(&p->ties, 1, 0);
	assert_int_equal(p->kappa_num, 2);
	assert_int_equal(p->kappa_den, 5);
	ss_report_kappa_text(p, k, sizeof(k));
	assert_string_equal(k, "0.400");
	ss_report_free(r);
	fixture_free(f);
}

/* Both roles answer "reasonable" on every record: p_e = 1, kappa undefined
 * (not NaN), though agreement is 100%. A negative kappa rounds away from 0:
 * two records, li R N, ii N R: n 2, agreeing 0, S = 1*1 + 1*1 = 2, kappa
 * (0 - 2)/(4 - 2) = -1. */
static void test_audit_report__kappa_undefined_and_negative(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r;
	const struct ss_report_pair *p;
	char k[32], *json, *text;
	size_t i;

	(void)state;
	f->st.nverdicts = 0;
	for (i = 0; i < 5; i++) {
		verdict(f, i, "li", "insp-l", R, "fair", NULL);
		verdict(f, i, "ii", "insp-i", R, "fair", NULL);
	}
	qsort(f->verdicts, f->st.nverdicts, sizeof(f->verdicts[0]), cmp_verdict);
	r = build(f, false);
	p = pair(r, "li", "ii");
	fig_is(&p->records, 5, 0);
	fig_is(&p->agreeing, 5, 5);
	assert_false(p->kappa_defined);
	ss_report_kappa_text(p, k, sizeof(k));
	assert_string_equal(k, "undefined");
	json = render(r, ss_report_json);
	assert_null(strstr(json, "nan"));
	assert_null(strstr(json, "NaN"));
	assert_non_null(
	    strstr(json, "\"kappa\": null, \"kappa_exact\": null, \"kappa_defined\": false"));
	text = render(r, ss_report_text);
	assert_non_null(strstr(text, "undefined"));
	assert_null(strstr(text, "nan"));
	free(json);
	free(text);
	ss_report_free(r);

	f->st.nverdicts = 0;
	verdict(f, 0, "li", "insp-l", R, "fair", NULL);
	verdict(f, 0, "ii", "insp-i", N, "fair", NULL);
	verdict(f, 1, "li", "insp-l", N, "fair", NULL);
	verdict(f, 1, "ii", "insp-i", R, "fair", NULL);
	qsort(f->verdicts, f->st.nverdicts, sizeof(f->verdicts[0]), cmp_verdict);
	r = build(f, false);
	p = pair(r, "li", "ii");
	assert_true(p->kappa_defined);
	assert_int_equal(p->kappa_num, -1);
	assert_int_equal(p->kappa_den, 1);
	ss_report_kappa_text(p, k, sizeof(k));
	assert_string_equal(k, "-1.000");
	/* no pair has records: li/qa undefined */
	p = pair(r, "li", "qa");
	fig_is(&p->records, 0, 0);
	assert_false(p->kappa_defined);
	ss_report_free(r);
	fixture_free(f);
}

/*
 * Corrections: record 6 NFA -> Arrest (and linked false -> true); record 0
 * Arrest -> NFA -> Community resolution (net Arrest -> Community resolution);
 * record 13 NFA -> Arrest -> NFA (no net change). 5 corrections, 3 records.
 * Positive: 10 recorded; record 6 becomes positive, record 0 stays positive:
 * 11 of 40 (27.5%). Linked: 6 -> 7.
 */
static void test_audit_report__corrections(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	const struct ss_report_corrections *c = &r->corrections;

	(void)state;
	fig_is(&c->corrections, 5, 0);
	fig_is(&c->records, 3, 40);
	assert_int_equal(c->outcome.nrows, 2);
	fig_is(&row(&c->outcome, NFA, "Arrest")->fig, 1, 3);
	fig_is(&row(&c->outcome, "Arrest", "Community resolution")->fig, 1, 3);
	assert_int_equal(c->linked.nrows, 1);
	fig_is(&row(&c->linked, "false", "true")->fig, 1, 3);
	fig_is(&c->positive_recorded, 10, 38);
	fig_is(&c->positive_corrected, 11, 38);
	fig_is(&c->linked_recorded, 6, 40);
	fig_is(&c->linked_corrected, 7, 40);
	ss_report_free(r);
	fixture_free(f);
}

/* Follow-up: records 1 (qa1), 2 (ii, qa1), 3 (qa1, qa3), 5 (li grounds, li
 * conduct, ii), 6 (li), 10 (li, ii); ii's "unable-to-assess" on 6 is no flag. */
static void test_audit_report__follow_up_and_notes(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	static const size_t recs[] = {1, 2, 3, 5, 6, 10};
	static const size_t nflags[] = {1, 2, 2, 3, 1, 2};
	size_t i, j;

	(void)state;
	assert_int_equal(r->nfollowups, 6);
	for (i = 0; i < 6; i++) {
		const struct ss_report_followup *fu = NULL;

		for (j = 0; j < r->nfollowups; j++)
			if (strcmp(r->followups[j].id, f->ids[recs[i]]) == 0)
				fu = &r->followups[j];
		assert_non_null(fu);
		assert_int_equal(fu->nflags, nflags[i]);
		assert_string_equal(fu->month, "2019-06");
		assert_non_null(fu->officer);
	}
	for (j = 0; j < r->nfollowups; j++)
		if (strcmp(r->followups[j].id, f->ids[5]) == 0) {
			assert_string_equal(r->followups[j].flags[0].role, "ii");
			assert_string_equal(r->followups[j].flags[1].question, "grounds");
			assert_string_equal(r->followups[j].flags[2].question, "conduct");
			assert_string_equal(r->followups[j].flags[2].answer, "concerns");
			assert_string_equal(r->followups[j].flags[2].reviewer, "insp-l");
		}
	assert_int_equal(r->nnotes, 3);
	ss_report_free(r);
	fixture_free(f);
}

/*
 * Public: the population's tables are public already (the police publish the
 * rows) and are shown exactly, small counts too. Findings, corrections and
 * responses are protected: li's grounds, not-reasonable 3 and insufficient 1,
 * are hidden as "[c]" with the share left out and its denominator shown;
 * kappa li/qa rests on hidden counts and is withheld. No notes, no follow-up
 * list.
 */
static void test_audit_report__public(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, true);
	const struct ss_report_findings *li = findings(r, "li");
	char s[160], k[32];
	size_t i;

	(void)state;
	assert_true(r->public);
	assert_int_equal(r->public_min, 5);
	assert_false(row(&r->by[SS_REPORT_BY_AREA], "North", NULL)->fig.hidden);
	assert_false(row(&r->by[SS_REPORT_BY_AREA], NULL, NULL)->fig.hidden);
	assert_false(row(&r->by[SS_REPORT_BY_AREA], "South", NULL)->fig.hidden);
	ss_report_count_text(r, &row(&r->by[SS_REPORT_BY_AREA], NULL, NULL)->fig, s, sizeof(s));
	assert_string_equal(s, "4");
	assert_false(row(&r->by[SS_REPORT_BY_ETHNICITY], "Asian", NULL)->fig.hidden);
	ss_report_fig_text(r, &r->strip, s, sizeof(s));
	assert_string_equal(s, "3 of 38 (7.9%); not recorded: 2");
	ss_report_fig_text(r, &r->children, s, sizeof(s));
	assert_string_equal(s, "5 of 40 (12.5%); not recorded: 0");
	for (i = 0; i < r->nrates; i++)
		assert_true(r->rates[i].rate_defined);
	assert_true(row(&li->questions[0].answers, N, NULL)->fig.hidden);
	assert_true(row(&li->questions[0].answers, I, NULL)->fig.hidden);
	/* 3 + 1 = 4 of 12 answers known: reasonable shown would pin both within
	 * 4, fewer than 5: it is hidden too */
	assert_true(row(&li->questions[0].answers, R, NULL)->fig.hidden);
	/* a share whose count is hidden is left out, its denominator shown */
	ss_report_fig_text(r, &row(&li->questions[0].answers, N, NULL)->fig, s, sizeof(s));
	assert_string_equal(s, "[c] of 12");
	ss_report_kappa_text(pair(r, "li", "qa"), k, sizeof(k));
	assert_string_equal(k, "withheld");
	assert_int_equal(r->nnotes, 0);
	assert_int_equal(r->followup_items.count, 6); /* counted, never listed */
	/* one correction row each of 1 among 2: both hidden */
	assert_true(r->corrections.outcome.rows[0].fig.hidden);
	assert_true(r->corrections.outcome.rows[1].fig.hidden);
	ss_report_free(r);
	fixture_free(f);
}

/* The follow-up list follows the month's policy (the one its sample's digest
 * names), not the policy the report reads: a month whose policy puts only
 * "insufficient-information" on the list lists exactly the records given it. */
static void test_audit_report__follow_up_of_the_months_policy(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_policy *mpol = NULL;
	struct ss_report *r = NULL;
	const char *at = strstr(policy_json, "\"roles\"");
	char text[8192];
	size_t i, j, k, want = 0;

	(void)state;
	assert_non_null(at);
	/* the same policy in format v2, which may have follow_up */
	snprintf(text, sizeof(text), "%.*s2%.*s\"follow_up\":[\"insufficient-information\"],%s",
	         (int)(strstr(policy_json, "-v1") - policy_json + 2), policy_json,
	         (int)(at - strstr(policy_json, "-v1") - 3), strstr(policy_json, "-v1") + 3,
	         "\"roles\":{\"coordinator\":{\"may\":[\"import\",\"sample\",\"correct\"]},"
	         "\"li\":{\"may\":[\"review\"],\"reviews\":\"all\"},"
	         "\"ii\":{\"may\":[\"review\"],\"reviews\":\"all\"},"
	         "\"qa\":{\"may\":[\"review\"],\"reviews\":\"all\"}},"
	         "\"verdict\":[{\"id\":\"grounds\",\"question\":\"Grounds?\",\"values\":["
	         "\"reasonable\",\"not-reasonable\",\"insufficient-information\"]},"
	         "{\"id\":\"conduct\",\"question\":\"Conduct?\",\"values\":[\"fair\","
	         "\"concerns\",\"unable-to-assess\"]}],"
	         "\"outcomes\":{\"values\":[\"Arrest\",\"Community resolution\"],"
	         "\"positive\":[\"Arrest\",\"Community resolution\"]},"
	         "\"fields\":{\"officer\":\"kept\"}}");
	if (ss_policy_parse(text, strlen(text), "month.json", &mpol) != 0)
		fail_msg("%s", ss_error_message());
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", false, &r), 0);
	assert_int_equal(
	    ss_report_add_month_policy(r, "2019-06", f->pop, f->sample, &f->st, false, mpol), 0);
	assert_int_equal(ss_report_finish(r), 0);
	for (i = 0; i < f->st.nverdicts; i++) {
		const char *g = ss_verdict_answer(&f->st.verdicts[i], "grounds");
		bool first = true;

		if (g == NULL || strcmp(g, I) != 0)
			continue;
		for (k = 0; k < i; k++) {
			const char *h = ss_verdict_answer(&f->st.verdicts[k], "grounds");

			if (strcmp(f->st.verdicts[k].id, f->st.verdicts[i].id) == 0 && h &&
			    strcmp(h, I) == 0)
				first = false;
		}
		want += first;
	}
	assert_true(want > 0);
	assert_int_equal(r->nfollowups, want);
	for (j = 0; j < r->nfollowups; j++)
		for (k = 0; k < r->followups[j].nflags; k++)
			assert_string_equal(r->followups[j].flags[k].answer, I);
	ss_report_free(r);
	ss_policy_free(mpol);
	fixture_free(f);
}

/* ---- the November 2021 cases (a real month whose public report gave its
 * hidden counts away) ---- */

static const struct ss_report_grid *grid_of(const struct ss_report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->ngrids; i++)
		if (strcmp(r->grids[i].id, id) == 0)
			return &r->grids[i];
	fail_msg("no table %s", id);
	return NULL;
}

static bool same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static const struct ss_report_gcell *gcell(const struct ss_report_grid *g, const char *row,
                                           const char *col)
{
	size_t i, j;

	for (i = 0; i < g->nrows; i++)
		for (j = 0; j < g->ncols; j++)
			if (same(g->rows[i], row) && same(g->cols[j], col))
				return &g->cells[i * g->ncols + j];
	fail_msg("no cell %s / %s in %s", row ? row : "(blank)", col ? col : "(blank)", g->id);
	return NULL;
}

/* No row or column shows its total beside exactly one hidden cell, and no
 * protected count from 1 to 4 shows unless public figures pin it. */
static void assert_no_lone_hidden(const struct ss_report *r)
{
	size_t k, i, j;

	for (k = 0; k < r->ngrids; k++) {
		const struct ss_report_grid *g = &r->grids[k];

		for (i = 0; i < g->nrows * g->ncols; i++)
			/* (blanks as corrected equal blanks as recorded, public, when no
			 * correction touches a blank: pinned, so shown) */
			if (!g->exempt && !g->cells[i].hidden && g->cells[i].value > 0 &&
			    g->cells[i].value < 5 &&
			    !(strstr(g->id, "-corrected") && g->rows[i / g->ncols] == NULL))
				fail_msg("%s shows a count of %zu", g->id, g->cells[i].value);
		for (i = 0; i < g->nrows; i++) {
			size_t hidden = 0;

			for (j = 0; j < g->ncols; j++)
				hidden += g->cells[i * g->ncols + j].hidden;
			if (!g->row_totals[i].hidden && hidden == 1)
				fail_msg("%s: one hidden cell in row %zu beside its total", g->id,
				         i);
		}
		for (j = 0; j < g->ncols; j++) {
			size_t hidden = 0;

			for (i = 0; i < g->nrows; i++)
				hidden += g->cells[i * g->ncols + j].hidden;
			if (!g->col_totals[j].hidden && hidden == 1)
				fail_msg("%s: one hidden cell in column %zu beside its total",
				         g->id, j);
		}
	}
}

/*
 * li's grounds: not-reasonable 8 = White 6 + Black 2; PACE 8 = reasonable 5
 * + not-reasonable 2 + insufficient 1; two searches corrected from no
 * further action to arrest (positives 10 as recorded, 12 as corrected). The
 * public report hid Black's 2 beside a shown 8 and 6, both PACE small cells
 * beside a shown 8 and 5, and showed 12 beside 10: each is closed here.
 */
static void test_audit_report__public_november_2021(void **state)
{
	static const size_t white_n[] = {0, 2, 4, 6, 1, 3}, black_n[] = {30, 32};
	static const size_t pace_r[] = {7, 9, 11, 13, 15}, mda_r[] = {8, 10, 12, 14, 16};
	struct fixture *f = fixture_new();
	const struct ss_report_grid *eth, *leg, *ans;
	struct ss_report *r;
	char s[64];
	size_t i;

	(void)state;
	f->st.nverdicts = f->st.ncorrections = f->st.nwaivers = 0;
	for (i = 0; i < 6; i++)
		verdict(f, white_n[i], "li", "insp-l", N, "fair", NULL);
	for (i = 0; i < 2; i++)
		verdict(f, black_n[i], "li", "insp-l", N, "fair", NULL);
	verdict(f, 5, "li", "insp-l", I, "fair", NULL);
	for (i = 0; i < 5; i++) {
		verdict(f, pace_r[i], "li", "insp-l", R, "fair", NULL);
		verdict(f, mda_r[i], "li", "insp-l", R, "fair", NULL);
	}
	qsort(f->verdicts, f->st.nverdicts, sizeof(f->verdicts[0]), cmp_verdict);
	correction(f, 6, 1, NFA, "Arrest", -1);
	correction(f, 7, 1, NFA, "Arrest", -1);
	qsort(f->corrections, f->st.ncorrections, sizeof(f->corrections[0]), cmp_correction);

	r = build(f, false); /* the figures as the case has them */
	eth = grid_of(r, "findings-li-grounds-officer_defined_ethnicity");
	leg = grid_of(r, "findings-li-grounds-legislation");
	assert_int_equal(gcell(eth, "White", N)->value, 6);
	assert_int_equal(gcell(eth, "Black", N)->value, 2);
	assert_int_equal(gcell(leg, PACE, R)->value, 5);
	assert_int_equal(gcell(leg, PACE, N)->value, 2);
	assert_int_equal(gcell(leg, PACE, I)->value, 1);
	assert_int_equal(r->corrections.positive_recorded.count, 10);
	assert_int_equal(r->corrections.positive_corrected.count, 12);
	assert_false(gcell(eth, "Black", N)->hidden);
	ss_report_free(r);

	r = build(f, true);
	eth = grid_of(r, "findings-li-grounds-officer_defined_ethnicity");
	leg = grid_of(r, "findings-li-grounds-legislation");
	ans = grid_of(r, "findings-li-grounds");
	/* one hidden cell in a column with a shown total */
	assert_true(gcell(eth, "Black", N)->hidden);
	assert_true(gcell(eth, "White", N)->hidden || gcell(ans, N, "answers")->hidden);
	/* two hidden cells in a row of three: the third goes too (the row's 8
	 * answers are known from the sample) */
	assert_true(gcell(leg, PACE, N)->hidden);
	assert_true(gcell(leg, PACE, I)->hidden);
	assert_true(gcell(leg, PACE, R)->hidden);
	/* positives as recorded beside as corrected */
	assert_false(r->corrections.positive_recorded.hidden);
	assert_true(gcell(grid_of(r, "corrections-outcome"), NFA, "Arrest")->hidden);
	assert_true(r->corrections.positive_corrected.hidden);
	ss_report_fig_text(r, &r->corrections.positive_corrected, s, sizeof(s));
	assert_string_equal(s, "[c] of 38; not recorded: 2");
	assert_no_lone_hidden(r);
	ss_report_free(r);
	fixture_free(f);
}

/* A range: May not imported, June as above, July 40 more records not sampled. */
static void test_audit_report__range(void **state)
{
	struct fixture *f = fixture_new();
	char july_ids[NREC][SS_ID_LEN + 1], from[8], to[8];
	struct ss_population *july;
	struct ss_report *r = NULL;
	char *text;

	(void)state;
	assert_int_equal(ss_report_range("2019-05..2019-07", from, to), 0);
	assert_string_equal(from, "2019-05");
	assert_string_equal(to, "2019-07");
	assert_int_equal(ss_report_range("2019-07..2019-05", from, to), SS_EUSAGE);
	assert_int_equal(ss_report_range("2019-13", from, to), SS_EUSAGE);
	assert_int_equal(ss_report_range("2019-06..", from, to), SS_EUSAGE);
	assert_int_equal(ss_report_range("2019-12", from, to), 0);
	ss_report_next_month(from);
	assert_string_equal(from, "2020-01");

	make_ids(july_ids, NREC, "july");
	july = make_population(july_ids, NREC, true);
	assert_int_equal(ss_report_new(f->pol, "", "2019-05", "2019-07", false, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-05", NULL, NULL, NULL, true), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", f->pop, f->sample, &f->st, true), 0);
	assert_int_equal(ss_report_add_month(r, "2019-07", july, NULL, NULL, true), 0);
	assert_int_equal(ss_report_finish(r), 0);
	assert_string_equal(r->range, "2019-05..2019-07");
	assert_int_equal(r->nmonths_data, 2);
	assert_int_equal(r->nmonths_missing, 1);
	assert_string_equal(r->months_missing[0], "2019-05");
	assert_int_equal(r->nmonths_unsampled, 1);
	assert_string_equal(r->months_unsampled[0], "2019-07");
	fig_is(&r->searches, 80, 0);
	fig_is(&r->positive, 20, 76);
	fig_is(&row(&r->by[SS_REPORT_BY_AREA], "North", NULL)->fig, 48, 72);
	fig_is(&r->corrections.positive_corrected, 21, 76);
	assert_int_equal(r->nsamples, 1);
	text = render(r, ss_report_text);
	assert_non_null(strstr(text, "Months with no records imported: 2019-05"));
	assert_non_null(strstr(text, "Months imported but not yet sampled: 2019-07"));
	free(text);
	ss_report_free(r);
	ss_population_free(july);
	fixture_free(f);
}

/* A month sampled with ssaudit-sample-v2 is estimated from its sample alone:
 * each record's reason and each stratum's searches come from sample.json. */
static void test_audit_report__v2_sample_is_estimated(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_sample *v2 = NULL;
	struct ss_report *r = NULL;
	size_t i, core = 0;

	(void)state;
	assert_int_equal(ss_sample_draw(f->pop, f->pol, "2019-06", "12345678901234567890", false,
	                                ZERO_SHA, ZERO_SHA, &v2),
	                 0);
	for (i = 0; i < v2->n; i++)
		core += v2->records[i].reason == SS_REASON_CORE;
	assert_true(core > 0);
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", false, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", f->pop, v2, &f->st, false), 0);
	assert_int_equal(ss_report_finish(r), 0);
	assert_int_equal(r->nmonths_v1, 0);
	assert_true(r->nestimates > 0);
	ss_report_free(r);
	ss_sample_free(v2);
	fixture_free(f);
}

/*
 * The sample section of a v2 month: core, targeted and not reached (over the
 * month and per stratum) instead of one "always" figure, and the warnings of
 * DESIGN.md section 6 from the sample's own policy, in all four formats.
 */
static void test_audit_report__v2_sample_warnings(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_policy *pol2 = NULL;
	struct ss_sample *v2 = NULL;
	struct ss_report *r = NULL;
	const struct ss_report_sample *rs;
	char text[4096], *out;
	size_t i, core = 0, targeted = 0, nr = 0, drawn = 0;
	bool nothing = false;

	(void)state;
	snprintf(text, sizeof(text),
	         "{\"format\":\"ssaudit-policy-v2\",\"name\":\"v2\",\"sample\":{\"rate\":"
	         "\"10%%\",\"random\":\"5%%\",\"strata\":[\"area\"],\"always\":["
	         "{\"field\":\"removal_of_more_than_outer_clothing\",\"equals\":true,"
	         "\"label\":\"strip-search\"},{\"field\":\"age_range\",\"in\":[\"25-34\"],"
	         "\"label\":\"aged-25-34\"}]},"
	         "\"roles\":{\"coordinator\":{\"may\":[\"sample\"]}},"
	         "\"verdict\":[{\"id\":\"grounds\",\"question\":\"q\",\"values\":["
	         "\"reasonable\",\"not-reasonable\"]}],\"outcomes\":{\"values\":[\"Arrest\"],"
	         "\"positive\":[\"Arrest\"]},\"fields\":{\"officer\":\"kept\"}}\n");
	if (ss_policy_parse(text, strlen(text), "v2.json", &pol2) != 0)
		fail_msg("%s", ss_error_message());
	assert_int_equal(ss_sample_draw(f->pop, pol2, "2019-06", "12345678901234567890", false,
	                                ZERO_SHA, ZERO_SHA, &v2),
	                 0);
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", false, &r), 0);
	assert_int_equal(ss_report_add_month_policy(r, "2019-06", f->pop, v2, &f->st, false, pol2),
	                 0);
	assert_int_equal(ss_report_finish(r), 0);
	assert_int_equal(r->nsamples, 1);
	rs = &r->samples[0];
	for (i = 0; i < rs->nstrata; i++) {
		core += rs->strata[i].core.count;
		targeted += rs->strata[i].targeted.count;
		nr += rs->strata[i].not_reached.count;
		drawn += rs->strata[i].drawn.count;
	}
	/* every sampled record is in the core or targeted, and the totals agree */
	assert_true(core > 0);
	assert_int_equal(core + targeted, v2->n);
	assert_int_equal(drawn, v2->n);
	fig_is(&rs->core, core, v2->n);
	fig_is(&rs->targeted, targeted, v2->n);
	assert_int_equal(rs->not_reached.count, nr);
	/* nobody aged 25-34 in the fixture: the second rule matched nothing */
	assert_true(rs->nwarnings > 0);
	for (i = 0; i < rs->nwarnings; i++)
		nothing |= strstr(rs->warnings[i], "aged-25-34") != NULL &&
		           strstr(rs->warnings[i], "picked out no search") != NULL;
	assert_true(nothing);
	out = render(r, ss_report_json);
	assert_non_null(strstr(out, "\"warnings\": ["));
	assert_non_null(strstr(out, "picked out no search this month"));
	assert_non_null(strstr(out, "\"not_reached\": "));
	free(out);
	out = render(r, ss_report_text);
	assert_non_null(strstr(out, "Warnings:\n"));
	assert_non_null(strstr(out, "Not reached"));
	assert_non_null(strstr(out, "In the random core"));
	assert_null(strstr(out, "Always included by the policy's rules"));
	free(out);
	out = render(r, ss_report_html);
	assert_non_null(strstr(out, "<ul class=\"warn\"><li>"));
	assert_non_null(strstr(out, "<th class=\"n\">Targeted</th>"));
	free(out);
	out = render(r, ss_report_csv);
	assert_non_null(strstr(out, "picked out no search this month"));
	assert_non_null(strstr(out, "not_reached"));
	free(out);
	ss_report_free(r);
	/* public (min_count 5): the warnings stating 2 searches are left out, the
	 * one stating none is kept */
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", true, &r), 0);
	assert_int_equal(ss_report_add_month_policy(r, "2019-06", f->pop, v2, &f->st, false, pol2),
	                 0);
	assert_int_equal(ss_report_finish(r), 0);
	rs = &r->samples[0];
	assert_int_equal(rs->nwarnings, 1);
	assert_non_null(strstr(rs->warnings[0], "aged-25-34 rule picked out no search"));
	ss_report_free(r);
	ss_sample_free(v2);
	ss_policy_free(pol2);
	fixture_free(f);
}

/* A report given up before it is finished (a later month failed to load)
 * frees what it holds, estimates included, once (ASan checks it). */
static void test_audit_report__freed_unfinished(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_sample *v2 = NULL;
	struct ss_report *r = NULL;

	(void)state;
	assert_int_equal(ss_sample_draw(f->pop, f->pol, "2019-06", "12345678901234567890", false,
	                                ZERO_SHA, ZERO_SHA, &v2),
	                 0);
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-07", false, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", f->pop, v2, &f->st, true), 0);
	ss_report_free(r);
	ss_sample_free(v2);
	fixture_free(f);
}

/* A sample drawn under another policy is said so. */
static void test_audit_report__other_policy(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = NULL;

	(void)state;
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", false, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", f->pop, f->sample, &f->st, false), 0);
	assert_int_equal(ss_report_finish(r), 0);
	/* and, a v1 sample having no random core, that its findings are not estimated */
	assert_int_equal(r->ncaveats, 2);
	assert_non_null(strstr(r->caveats[0], "different policy"));
	assert_non_null(strstr(r->caveats[1], "without a random core"));
	assert_false(r->samples[0].policy_matches);
	ss_report_free(r);
	fixture_free(f);
}

/* ---- the formats ---- */

static const cJSON *get(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	if (v == NULL)
		fail_msg("JSON lacks \"%s\"", k);
	return v;
}

static void check_fig(const cJSON *fig)
{
	static const char *const keys[] = {"count",   "shown",         "denominator",
	                                   "percent", "fewer_than_10", "hidden"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		get(fig, keys[i]);
}

static void test_audit_report__json(void **state)
{
	static const char *const top[] = {
	    "format",      "title",      "policy", "public",   "public_min",    "months",
	    "caveats",     "population", "sample", "progress", "findings",      "agreement",
	    "corrections", "follow_up",  "notes",  "tables",   "known_margins", "relations"};
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	char *text = render(r, ss_report_json);
	cJSON *doc = cJSON_Parse(text);
	const cJSON *pop, *v, *pr, *row0;
	size_t i;

	(void)state;
	assert_non_null(doc);
	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		get(doc, top[i]);
	assert_string_equal(get(doc, "format")->valuestring, "ssaudit-report-v1");
	pop = get(doc, "population");
	check_fig(get(pop, "searches"));
	assert_int_equal(get(get(pop, "positive"), "count")->valueint, 10);
	assert_int_equal(get(get(pop, "positive"), "denominator")->valueint, 38);
	assert_true(get(get(pop, "positive"), "percent")->valuedouble == 26.3);
	assert_int_equal(get(get(pop, "positive"), "recorded")->valueint, 38);
	assert_int_equal(get(get(pop, "positive"), "not_recorded")->valueint, 2);
	assert_true(cJSON_IsNull(get(get(pop, "searches"), "not_recorded")));
	v = get(pop, "breakdowns");
	assert_int_equal(cJSON_GetArraySize(v), SS_REPORT_NBY);
	assert_string_equal(get(cJSON_GetArrayItem(v, 0), "name")->valuestring, "area");
	row0 = cJSON_GetArrayItem(get(cJSON_GetArrayItem(v, 0), "rows"), 2);
	assert_true(cJSON_IsNull(get(row0, "key"))); /* blank area */
	check_fig(row0);
	v = get(get(pop, "census"), "rates");
	assert_int_equal(cJSON_GetArraySize(v), 3);
	assert_true(get(cJSON_GetArrayItem(v, 1), "ratio_to_white")->valuedouble == 2.0);
	v = cJSON_GetArrayItem(get(doc, "sample"), 0);
	assert_string_equal(get(v, "seed_source")->valuestring, "given");
	assert_true(cJSON_IsArray(get(cJSON_GetArrayItem(get(v, "strata"), 0), "key")));
	pr = cJSON_GetArrayItem(get(get(doc, "agreement"), "pairs"), 0);
	assert_string_equal(get(pr, "kappa_exact")->valuestring, "41/77");
	assert_true(get(pr, "kappa")->valuedouble == 0.532);
	assert_int_equal(get(get(pr, "records"), "count")->valueint, 12);
	assert_int_equal(cJSON_GetArraySize(get(pr, "table")), 9);
	v = get(doc, "findings");
	assert_int_equal(cJSON_GetArraySize(v), 3);
	v = get(cJSON_GetArrayItem(v, 0), "questions");
	assert_int_equal(cJSON_GetArraySize(get(cJSON_GetArrayItem(v, 0), "by")), 3);
	v = get(doc, "corrections");
	assert_int_equal(get(get(v, "positive_corrected"), "count")->valueint, 11);
	assert_int_equal(cJSON_GetArraySize(get(doc, "follow_up")), 6);
	assert_int_equal(cJSON_GetArraySize(get(doc, "notes")), 3);
	cJSON_Delete(doc);
	free(text);
	ss_report_free(r);

	/* public: hidden counts are null with "<5", the left-out sections null */
	r = build(f, true);
	text = render(r, ss_report_json);
	doc = cJSON_Parse(text);
	assert_non_null(doc);
	/* the follow-up list keeps its count only */
	assert_true(cJSON_IsObject(get(doc, "follow_up")));
	assert_null(strstr(text, "\"flags\""));
	assert_true(cJSON_IsNull(get(doc, "notes")));
	v = get(get(doc, "population"), "strip_searches");
	assert_int_equal(get(v, "count")->valueint, 3);
	/* section 9's tables: li's not-reasonable grounds are a null cell */
	v = NULL;
	cJSON_ArrayForEach(pr, get(doc, "tables")) if (strcmp(get(pr, "id")->valuestring,
	                                                      "findings-li-grounds") == 0) v = pr;
	assert_non_null(v);
	assert_string_equal(get(v, "universe")->valuestring, "answers:li:grounds");
	for (i = 0; i < (size_t)cJSON_GetArraySize(get(v, "rows")); i++)
		if (strcmp(cJSON_GetArrayItem(get(v, "rows"), (int)i)->valuestring, N) == 0)
			assert_true(cJSON_IsNull(
			    cJSON_GetArrayItem(cJSON_GetArrayItem(get(v, "cells"), (int)i), 0)));
	assert_true(cJSON_IsArray(get(doc, "known_margins")));
	assert_true(cJSON_GetArraySize(get(doc, "relations")) > 0);
	assert_null(strstr(text, "O-officer"));
	assert_null(strstr(text, "cannabis"));
	cJSON_Delete(doc);
	free(text);
	ss_report_free(r);
	fixture_free(f);
}

/* Split RFC 4180 CSV into rows of fields; returns the number of rows and
 * fails the test on a malformed quote. Each row's field count goes to cols. */
static size_t csv_rows(const char *s, size_t *cols, size_t maxrows, char ***firsts)
{
	size_t rows = 0, fields = 1;
	bool quoted = false, at_start = true;

	for (; *s; s++) {
		if (quoted) {
			if (*s == '"' && s[1] == '"')
				s++;
			else if (*s == '"') {
				quoted = false;
				if (s[1] != ',' && s[1] != '\r')
					fail_msg("text after a closing quote");
			}
			continue;
		}
		if (*s == '"') {
			if (!at_start)
				fail_msg("a quote inside an unquoted field");
			quoted = true;
			at_start = false;
		} else if (*s == ',') {
			fields++;
			at_start = true;
		} else if (*s == '\r') {
			if (s[1] != '\n')
				fail_msg("CR without LF");
			s++;
			if (rows < maxrows)
				cols[rows] = fields;
			rows++;
			fields = 1;
			at_start = true;
		} else if (*s == '\n') {
			fail_msg("a bare LF ends a row");
		} else {
			at_start = false;
		}
	}
	(void)firsts;
	assert_false(quoted);
	return rows;
}

static void test_audit_report__csv(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	char *text = render(r, ss_report_csv);
	size_t *cols = calloc(100000, sizeof(*cols)), n, i;

	(void)state;
	assert_non_null(cols);
	assert_true(
	    strncmp(text, "section,month,breakdown,key,subkey,count,denominator,percent,value\r\n",
	            68) == 0);
	n = csv_rows(text, cols, 100000, NULL);
	assert_true(n > 100);
	for (i = 0; i < n; i++)
		if (cols[i] != 9)
			fail_msg("row %zu has %zu columns", i + 1, cols[i]);
	assert_non_null(
	    strstr(text, "population,2019-06,total,positive,,10,38,26.3,not recorded: 2\r\n"));
	assert_non_null(strstr(text, "agreement,2019-06,kappa_exact,li/ii,grounds,,,,41/77\r\n"));
	assert_non_null(
	    strstr(text, "corrections,2019-06,positive,corrected,,11,38,28.9,not recorded: 2\r\n"));
	/* a note with a comma, a quote, a newline, and a formula start */
	assert_non_null(strstr(text, "\"'=cmd|' /C calc'!A0, with a comma\nand a line\""));
	assert_non_null(strstr(text, "\"<script>alert(1)</script> & \"\"quoted\"\" \x1b[2J\""));
	free(text);
	ss_report_free(r);

	r = build(f, true);
	text = render(r, ss_report_csv);
	n = csv_rows(text, cols, 100000, NULL);
	for (i = 0; i < n; i++)
		assert_int_equal(cols[i], 9);
	/* the population is public: shown exactly; li's not-reasonable 3 is not */
	assert_non_null(strstr(text, "population,2019-06,total,strip_searches,,3,38,"));
	assert_non_null(strstr(text, ",not-reasonable,,[c],12,,"));
	assert_non_null(strstr(text, "follow_up,2019-06,total,items,,"));
	assert_null(strstr(text, "follow_up,2019-06,area"));
	assert_null(strstr(text, "O-officer"));
	free(text);
	free(cols);
	ss_report_free(r);
	fixture_free(f);
}

static void test_audit_report__html(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	char *html = render(r, ss_report_html), *p;
	FILE *out;
	const char *dir = getenv("SS_BUILD_DIR");
	char path[4096];

	(void)state;
	assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(html, "<style>"));
	assert_non_null(strstr(html, "@media print"));
	assert_non_null(strstr(html, "name=\"viewport\""));
	assert_non_null(strstr(html, "<svg"));
	for (p = html; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	free(html);
	ss_report_free(r);

	r = build(f, true);
	html = render(r, ss_report_html);
	assert_non_null(strstr(html, "Public version"));
	assert_null(strstr(html, "O-officer"));
	assert_null(strstr(html, "cannabis"));
	assert_non_null(strstr(html, "[c]"));
	/* keep a copy for the e2e script's screenshot */
	snprintf(path, sizeof(path), "%s/report-test-public.html", dir ? dir : "");
	if (dir != NULL && (out = fopen(path, "w")) != NULL) { /* never into the source tree */
		fputs(html, out);
		fclose(out);
	}
	free(html);
	ss_report_free(r);
	fixture_free(f);
}

static void test_audit_report__text(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = build(f, false);
	char *text = render(r, ss_report_text);

	(void)state;
	assert_non_null(strstr(text, "Stop and search report: June 2019"));
	assert_non_null(strstr(text, "With a positive outcome (as the policy defines it): 10 of 38 "
	                             "(26.3%); not recorded: 2"));
	assert_non_null(strstr(text, "li / ii"));
	assert_non_null(strstr(text, "0.532"));
	assert_non_null(strstr(text, "(fewer than 10 records)"));
	assert_non_null(strstr(text, "Grounds were a smell of cannabis only"));
	/* no control character from a note reaches the terminal */
	assert_null(strchr(text, '\x1b'));
	free(text);
	ss_report_free(r);

	r = build(f, true);
	text = render(r, ss_report_text);
	assert_non_null(strstr(text, "PUBLIC VERSION"));
	assert_non_null(strstr(text, "[c]"));
	assert_null(strstr(text, "cannabis"));
	assert_null(strstr(text, "O-officer"));
	free(text);
	ss_report_free(r);
	fixture_free(f);
}

/* An empty month (imported, nothing else) renders in every format. */
static void test_audit_report__empty(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_population *empty = NULL;
	struct ss_report *r = NULL;
	int (*fns[])(const struct ss_report *, struct ss_buf *) = {ss_report_text, ss_report_json,
	                                                           ss_report_csv, ss_report_html};
	size_t i;

	(void)state;
	assert_int_equal(ss_population_new(&empty), 0);
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", true, &r), 0);
	assert_int_equal(ss_report_add_month(r, "2019-06", empty, NULL, NULL, true), 0);
	assert_int_equal(ss_report_finish(r), 0);
	for (i = 0; i < 4; i++) {
		char *s = render(r, fns[i]);

		if (i == 1) {
			cJSON *doc = cJSON_Parse(s);

			assert_non_null(doc);
			cJSON_Delete(doc);
		}
		free(s);
	}
	ss_report_free(r);
	ss_population_free(empty);
	fixture_free(f);
}

/* ---- estimates (DESIGN.md section 9) ---- */

/* A v2-like design by hand: records 0-9 are the random core (the rest are
 * targeted), strata populations as the sample counted them (North 24, South
 * 12, blank 4). */
struct hand_design {
	bool core[NREC];
	size_t population[8];
	struct ss_report_design d;
};

static void hand_design(const struct fixture *f, struct hand_design *h)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	assert_int_equal(f->sample->n, NREC);
	assert_true(f->sample->nstrata <= 8);
	for (i = 0; i < 10; i++) {
		const struct ss_sample_record *sr = ss_sample_find(f->sample, f->ids[i]);

		assert_non_null(sr);
		h->core[sr - f->sample->records] = true;
	}
	for (i = 0; i < f->sample->nstrata; i++)
		h->population[i] = f->sample->strata[i].population;
	h->d = (struct ss_report_design){
	    .core_known = true, .core = h->core, .population = h->population};
}

static const struct ss_report_estimate *est(const struct ss_report *r, const char *month,
                                            const char *role, const char *q, const char *a)
{
	const struct ss_report_estimate *e = ss_report_estimate_find(r, month, role, q, a);

	if (e == NULL)
		fail_msg("no estimate %s %s %s=%s", month ? month : "(range)", role, q, a);
	return e;
}

/*
 * li on the core (records 0-9): North (0-5) not-reasonable 1 of 6, South
 * (6-8) 1 of 3, blank (9, a lonely stratum) 0 of 1:
 * p = (24 * 1/6 + 12 * 1/3 + 4 * 0) / 40 = 0.2; R survey 4.1.1's
 * svyciprop(method = "beta") gives 0.0234612804119 to 0.5651453510397.
 * Records 10 and 11 are targeted: 1 of 2 not-reasonable, reported apart.
 * qa on the core: record 0 reasonable, record 1 a tie (dropped), records 2
 * and 3 not-reasonable: 2 of 3, all in North, so South and blank are strata
 * not reached; R gives 0.0551608193912 to 0.9970511833652.
 */
static void test_audit_report__estimates(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = NULL;
	struct hand_design h;
	const struct ss_report_estimate *e;
	char s[1024], *text;
	cJSON *doc;
	const cJSON *v;
	size_t i, n;

	(void)state;
	hand_design(f, &h);
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-06", false, &r), 0);
	assert_int_equal(
	    ss_report_add_month_design(r, "2019-06", f->pop, f->sample, &h.d, &f->st, true), 0);
	assert_int_equal(ss_report_finish(r), 0);
	assert_int_equal(r->nmonths_v1, 0);
	assert_int_equal(r->ntrend, 0); /* one month: no trend */

	e = est(r, "2019-06", "li", "grounds", "not-reasonable");
	assert_int_equal(e->e.n, 10);
	assert_int_equal(e->yes, 2);
	assert_true(fabs(e->e.estimate - 0.2) < 1e-12);
	assert_true(fabs(e->e.lower - 0.0234612804119) < 1e-6);
	assert_true(fabs(e->e.upper - 0.5651453510397) < 1e-6);
	assert_int_equal(e->nmissing, 0);
	assert_int_equal(e->targeted, 2);
	assert_int_equal(e->targeted_yes, 1);
	/* every allowed value of an answered question, 0 included */
	n = 0;
	for (i = 0; i < r->nestimates; i++)
		n += strcmp(r->estimates[i].role, "li") == 0 &&
		     strcmp(r->estimates[i].question, "grounds") == 0;
	assert_int_equal(n, 3);
	e = est(r, "2019-06", "li", "grounds", "reasonable");
	assert_int_equal(e->yes, 7);

	e = est(r, "2019-06", "qa", "grounds", "not-reasonable");
	assert_int_equal(e->e.n, 3);
	assert_int_equal(e->yes, 2);
	assert_true(fabs(e->e.lower - 0.0551608193912) < 1e-6);
	assert_true(fabs(e->e.upper - 0.9970511833652) < 1e-6);
	assert_int_equal(e->nmissing, 2);
	assert_string_equal(e->missing[0], "[\"South\"]");
	assert_string_equal(e->missing[1], "[null]");
	assert_int_equal(e->targeted, 1);
	assert_int_equal(e->targeted_yes, 0);
	ss_report_estimate_text(r, e, " ", s, sizeof(s));
	assert_string_equal(s, "the qa answered \"not-reasonable\" to grounds for 2 of 3 randomly "
	                       "chosen searches: about 67% of the month's searches outside South "
	                       "and (blank) (95% interval 6% to over 99%)");

	/* every format carries them */
	text = render(r, ss_report_text);
	assert_non_null(strstr(text, "Estimates for all searches"));
	assert_non_null(strstr(text, "the li answered \"not-reasonable\" to grounds for 2 of 10 "
	                             "randomly chosen searches: about 20% of the month's "
	                             "searches (95% interval 2% to 57%)"));
	assert_non_null(strstr(text, "Targeted reviews, apart: 1 of 2 targeted searches"));
	free(text);
	text = render(r, ss_report_json);
	doc = cJSON_Parse(text);
	assert_non_null(doc);
	v = get(doc, "estimates");
	n = (size_t)cJSON_GetArraySize(v);
	assert_int_equal(n, r->nestimates);
	for (i = 0; i < n; i++) {
		const cJSON *o = cJSON_GetArrayItem(v, (int)i);
		static const char *const keys[] = {"month",  "role",     "question",
		                                   "answer", "estimate", "lower",
		                                   "upper",  "n",        "strata_missing"};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			get(o, keys[k]);
		if (strcmp(get(o, "role")->valuestring, "qa") == 0 &&
		    strcmp(get(o, "question")->valuestring, "grounds") == 0 &&
		    strcmp(get(o, "answer")->valuestring, "not-reasonable") == 0) {
			assert_true(fabs(get(o, "estimate")->valuedouble - 2.0 / 3.0) < 1e-6);
			assert_int_equal(get(o, "n")->valueint, 3);
			assert_int_equal(cJSON_GetArraySize(get(o, "strata_missing")), 2);
			assert_true(cJSON_IsArray(cJSON_GetArrayItem(get(o, "strata_missing"), 0)));
		}
	}
	assert_true(cJSON_IsNull(get(doc, "trend")));
	cJSON_Delete(doc);
	free(text);
	text = render(r, ss_report_csv);
	assert_non_null(strstr(text,
	                       "estimates,2019-06,li,grounds,not-reasonable,2,,,estimate=0.200000 "
	                       "lower=0.023461 upper=0.565145 n=10 method=beta\r\n"));
	assert_non_null(strstr(text,
	                       "estimates_strata_missing,2019-06,qa,grounds,not-reasonable,,,,"
	                       "\"[\"\"South\"\"]\"\r\n"));
	free(text);
	text = render(r, ss_report_html);
	assert_non_null(strstr(text, "<section id=\"estimates\">"));
	assert_non_null(strstr(text, "<svg class=\"ci\""));
	assert_non_null(strstr(text, "aria-label=\"estimate 20%, interval 2% to 57%\""));
	free(text);
	ss_report_free(r);
	fixture_free(f);
}

/* A range of three months built from the same records (June and August
 * with a random core, July without): one trend row per month in every
 * format, each with the month's not-reasonable estimates ("no random core"
 * for July), and the range's estimate over month x stratum strata. */
static void test_audit_report__trend(void **state)
{
	struct fixture *f = fixture_new();
	struct ss_report *r = NULL;
	struct hand_design h;
	const struct ss_report_estimate *e;
	char *text;
	cJSON *doc;
	const cJSON *v;

	(void)state;
	hand_design(f, &h);
	assert_int_equal(ss_report_new(f->pol, "", "2019-06", "2019-08", false, &r), 0);
	assert_int_equal(
	    ss_report_add_month_design(r, "2019-06", f->pop, f->sample, &h.d, &f->st, true), 0);
	/* July: sampled without a random core (as v1 samples are) */
	assert_int_equal(ss_report_add_month(r, "2019-07", f->pop, f->sample, &f->st, true), 0);
	assert_int_equal(
	    ss_report_add_month_design(r, "2019-08", f->pop, f->sample, &h.d, &f->st, true), 0);
	assert_int_equal(ss_report_finish(r), 0);
	assert_int_equal(r->ntrend, 3);
	assert_string_equal(r->trend[1].month, "2019-07");
	assert_false(r->trend[1].estimated);
	assert_true(r->trend[2].estimated);
	fig_is(&r->trend[0].searches, 40, 0);
	fig_is(&r->trend[0].positive_recorded, 10, 38);
	fig_is(&r->trend[0].positive_corrected, 11, 38);
	fig_is(&r->trend[0].sampled, 40, 40);
	fig_is(&r->trend[0].reviewed, 13, 40);
	assert_int_equal(r->nmonths_v1, 1);
	assert_string_equal(r->months_v1[0], "2019-07");
	/* the range: June and August, strata month x stratum; qa reached neither
	 * month's South nor blank */
	e = est(r, NULL, "li", "grounds", "not-reasonable");
	assert_int_equal(e->e.n, 20);
	assert_int_equal(e->yes, 4);
	assert_true(fabs(e->e.estimate - 0.2) < 1e-12);
	e = est(r, NULL, "qa", "grounds", "not-reasonable");
	assert_int_equal(e->nmissing, 4);
	assert_string_equal(e->missing[0], "[\"2019-06\",\"South\"]");

	text = render(r, ss_report_text);
	assert_non_null(strstr(text, "Trend, month by month"));
	assert_non_null(strstr(text, "2019-07  li          no random core"));
	assert_non_null(strstr(text, "2019-08  li         20% (2% to 57%)"));
	free(text);
	text = render(r, ss_report_json);
	doc = cJSON_Parse(text);
	assert_non_null(doc);
	v = get(doc, "trend");
	assert_int_equal(cJSON_GetArraySize(v), 3);
	v = cJSON_GetArrayItem(v, 2);
	assert_string_equal(get(v, "month")->valuestring, "2019-08");
	assert_int_equal(get(get(v, "positive_corrected"), "count")->valueint, 11);
	get(v, "positive_recorded");
	get(v, "sampled");
	get(v, "reviewed");
	assert_int_equal(get(get(v, "searches"), "count")->valueint, 40);
	assert_int_equal(cJSON_GetArraySize(get(v, "estimates")), 3); /* li, ii, qa */
	cJSON_Delete(doc);
	free(text);
	text = render(r, ss_report_csv);
	assert_non_null(strstr(text, "trend,2019-08,searches,,,40,,,\r\n"));
	assert_non_null(
	    strstr(text, "trend,2019-08,not_reasonable_grounds,li,,,,,20% (2% to 57%)\r\n"));
	assert_non_null(strstr(text, "estimates,2019-06..2019-08,li,grounds,not-reasonable,4,"));
	free(text);
	text = render(r, ss_report_html);
	assert_non_null(strstr(text, "<section id=\"trend\">"));
	assert_non_null(strstr(text, "<td>2019-07</td>"));
	assert_non_null(strstr(text, "no random core"));
	free(text);
	ss_report_free(r);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_report__population),
	    cmocka_unit_test(test_audit_report__census),
	    cmocka_unit_test(test_audit_report__census_by_area),
	    cmocka_unit_test(test_audit_report__sample_and_progress),
	    cmocka_unit_test(test_audit_report__findings),
	    cmocka_unit_test(test_audit_report__kappa),
	    cmocka_unit_test(test_audit_report__kappa_undefined_and_negative),
	    cmocka_unit_test(test_audit_report__corrections),
	    cmocka_unit_test(test_audit_report__follow_up_and_notes),
	    cmocka_unit_test(test_audit_report__follow_up_of_the_months_policy),
	    cmocka_unit_test(test_audit_report__public),
	    cmocka_unit_test(test_audit_report__public_november_2021),
	    cmocka_unit_test(test_audit_report__range),
	    cmocka_unit_test(test_audit_report__other_policy),
	    cmocka_unit_test(test_audit_report__v2_sample_is_estimated),
	    cmocka_unit_test(test_audit_report__freed_unfinished),
	    cmocka_unit_test(test_audit_report__v2_sample_warnings),
	    cmocka_unit_test(test_audit_report__json),
	    cmocka_unit_test(test_audit_report__csv),
	    cmocka_unit_test(test_audit_report__html),
	    cmocka_unit_test(test_audit_report__text),
	    cmocka_unit_test(test_audit_report__empty),
	    cmocka_unit_test(test_audit_report__estimates),
	    cmocka_unit_test(test_audit_report__trend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
