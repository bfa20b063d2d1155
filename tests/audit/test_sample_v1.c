/*
 * Tests of the old sampler (ssaudit-sample-v1, still re-derived for old trails): tickets against
 * sha256sum, the seed rules, the draw against a naive reference implementation, input-order
 * independence, what adding records may and may not change, role subsets,
 * sample.json round trips, and re-derivation catching edited samples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "policy.h"
#include "sample.h"
#include "sampletest.h"

/* printf 'ssaudit-sample-v1\0%s\0%s\0%s' 'dîs 4 6 1' 2019-06 R-aaaaaaaaaaaaaaaa | sha256sum */
#define PASTED_DIS_TICKET "99f29eaba06c66cd5cb0aad396aa7bb28ffc8292f9884c72e5f24df2dc88aaa9"
#define ZERO_SHA          "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- helpers ---- */

static const char *policy_text(char *buf, size_t cap, const char *rate, const char *strata,
                               const char *always, const char *roles)
{
	snprintf(
	    buf, cap,
	    "{\"format\":\"ssaudit-policy-v1\",\"name\":\"test\",\"sample\":{\"rate\":\"%s\","
	    "\"strata\":%s,\"always\":%s},\"roles\":{\"coordinator\":{\"may\":[\"sample\"]}%s},"
	    "\"verdict\":[{\"id\":\"grounds\",\"question\":\"q\",\"values\":[\"reasonable\","
	    "\"not-reasonable\"]}],\"outcomes\":{\"positive\":[\"Arrest\"]},\"fields\":{"
	    "\"officer\":\"kept\"}}\n",
	    rate, strata, always, roles);
	return buf;
}

static struct ss_policy *policy(const char *rate, const char *strata, const char *always,
                                const char *roles)
{
	char text[4096];
	struct ss_policy *p = NULL;

	policy_text(text, sizeof(text), rate, strata, always, roles);
	if (ss_policy_parse(text, strlen(text), "test-policy.json", &p) != 0)
		fail_msg("%s", ss_error_message());
	return p;
}

#define STRIP_AND_CHILDREN                                                                         \
	"[{\"field\":\"removal_of_more_than_outer_clothing\",\"equals\":true},"                    \
	"{\"field\":\"age_range\",\"in\":[\"under 10\",\"10-17\"]}]"

static struct ss_sample *draw(const struct ss_population *pop, const struct ss_policy *pol,
                              const char *seed)
{
	struct ss_sample *s = NULL;

	if (ss_sample_draw_v1(pop, pol, "2019-06", seed, false, ZERO_SHA, ZERO_SHA, &s) != 0)
		fail_msg("draw: %s", ss_error_message());
	return s;
}

/*
 * A naive, independent reading of DESIGN.md section 6: for each stratum, sort
 * its records by ticket; take every always-record, then the k - a
 * lowest-ticket others. Returns whether record r is in the sample.
 */
struct naive {
	char id[SS_ID_LEN + 1];
	char ticket[65];
	char key[256];
	int always;
};

static int naive_cmp(const void *a, const void *b)
{
	return strcmp(((const struct naive *)a)->ticket, ((const struct naive *)b)->ticket);
}

static struct naive *naive_table(const struct ss_population *pop, const struct ss_policy *pol,
                                 const char *seed)
{
	struct naive *t = calloc(pop->n ? pop->n : 1, sizeof(*t));
	size_t i, j;

	assert_non_null(t);
	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		const char *area = r->str[SS_F_AREA];

		strcpy(t[i].id, r->id);
		ss_sample_ticket(1, seed, "2019-06", r->id, t[i].ticket);
		/* Only the strata ["area"] are used by these tests. */
		if (pol->nstrata == 0)
			strcpy(t[i].key, "[]");
		else if (area == NULL)
			strcpy(t[i].key, "[null]");
		else
			snprintf(t[i].key, sizeof(t[i].key), "[\"%s\"]", area);
		for (j = 0; j < pol->nalways; j++)
			t[i].always |= ss_rule_matches(&pol->always[j], r);
	}
	qsort(t, pop->n, sizeof(*t), naive_cmp);
	return t;
}

/* 0-based rank of t[i] among its stratum's non-always records by ticket; and n, a. */
static void naive_stratum(const struct naive *t, size_t n, size_t i, size_t *rank, size_t *sn,
                          size_t *sa)
{
	size_t j;

	*rank = *sn = *sa = 0;
	for (j = 0; j < n; j++) {
		if (strcmp(t[j].key, t[i].key) != 0)
			continue;
		(*sn)++;
		*sa += (size_t)t[j].always;
		if (!t[j].always && j < i)
			(*rank)++;
	}
}

static int naive_in(const struct naive *t, size_t n, size_t i, unsigned bp)
{
	size_t rank, sn, sa, k;

	if (t[i].always)
		return 1;
	naive_stratum(t, n, i, &rank, &sn, &sa);
	k = (sn * bp + 9999) / 10000;
	return sa < k && rank < k - sa;
}

static const struct naive *naive_find(const struct naive *t, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].id, id) == 0)
			return &t[i];
	return NULL;
}

/* ---- tickets and seeds ---- */

static void shell_quote(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	out[o++] = '\'';
	for (; *s && o + 6 < cap; s++) {
		if (*s == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else {
			out[o++] = *s;
		}
	}
	out[o++] = '\'';
	out[o] = '\0';
}

/* The auditor's command, run for real. */
static int sha256sum_ticket(const char *seed, const char *month, const char *id, char out[65])
{
	char qs[2048], qm[64], qi[64], cmd[4096], line[256];
	FILE *f;

	shell_quote(qs, sizeof(qs), seed);
	shell_quote(qm, sizeof(qm), month);
	shell_quote(qi, sizeof(qi), id);
	snprintf(cmd, sizeof(cmd),
	         "printf 'ssaudit-sample-v1\\0%%s\\0%%s\\0%%s' %s %s %s | sha256sum 2>/dev/null",
	         qs, qm, qi);
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	if (fgets(line, sizeof(line), f) == NULL || strlen(line) < 64) {
		pclose(f);
		return -1;
	}
	pclose(f);
	memcpy(out, line, 64);
	out[64] = '\0';
	return 0;
}

static void test_audit_sample_v1__tickets_match_sha256sum(void **state)
{
	char seed256[257], mine[65], theirs[65];
	const char *seeds[] = {"12345678901234567890", "d\xc3\xaes 4 6 1", "a 'quoted' % \\ seed",
	                       "\xf0\x9f\x8e\xb2 dice", seed256};
	size_t i;

	(void)state;
	for (i = 0; i < 256; i++)
		seed256[i] = (char)('a' + i % 26);
	seed256[256] = '\0';
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		ss_sample_ticket(1, seeds[i], "2019-06", "R-aaaaaaaaaaaaaaaa", mine);
		if (sha256sum_ticket(seeds[i], "2019-06", "R-aaaaaaaaaaaaaaaa", theirs) != 0) {
			skip();
			return;
		}
		assert_string_equal(mine, theirs);
	}
	/*
	 * Pasted, so the test holds where sha256sum is missing:
	 * printf 'ssaudit-sample-v1\0%s\0%s\0%s' 'dîs 4 6 1' 2019-06 R-aaaaaaaaaaaaaaaa | sha256sum
	 */
	ss_sample_ticket(1, "d\xc3\xaes 4 6 1", "2019-06", "R-aaaaaaaaaaaaaaaa", mine);
	assert_string_equal(mine, PASTED_DIS_TICKET);
}

static void test_audit_sample_v1__seed_rules(void **state)
{
	char s256[258];
	static const char *const good[] = {"1", "12345678901234567890", "d\xc3\xaes 4 6 1",
	                                   "seed with spaces", "\xe2\x80\xae"};
	static const char *const bad[] = {
	    "",           "a\tb", "line\nbreak", "del\x7f",      "nel\xc2\x85",
	    "c1\xc2\x9f", "\xff", "\xc0\xaf",    "\xed\xa0\x80", "trunc\xc3"};
	size_t i;

	(void)state;
	memset(s256, '7', 256);
	s256[256] = '\0';
	assert_int_equal(ss_sample_seed_check(s256), 0);
	s256[256] = '7';
	s256[257] = '\0';
	assert_int_equal(ss_sample_seed_check(s256), SS_EUSAGE);
	assert_non_null(strstr(ss_error_message(), "257"));
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (ss_sample_seed_check(good[i]) != 0)
			fail_msg("refused good seed %zu: %s", i, ss_error_message());
	/* U+00A0 (no-break space) follows the C1 block and is not a control character. */
	assert_int_equal(ss_sample_seed_check("nbsp\xc2\xa0"), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ss_sample_seed_check(bad[i]) != SS_EUSAGE)
			fail_msg("accepted bad seed %zu", i);
	assert_int_equal(ss_sample_seed_check(NULL), SS_EUSAGE);
	assert_int_equal(ss_error_exit_status(SS_EUSAGE), 2);
}

static void test_audit_sample_v1__generated_seed_is_20_digits(void **state)
{
	char a[21], b[21];
	size_t i;

	(void)state;
	assert_int_equal(ss_crypto_init(), 0);
	ss_sample_seed_generate(a);
	ss_sample_seed_generate(b);
	assert_int_equal(strlen(a), 20);
	for (i = 0; i < 20; i++)
		assert_true(a[i] >= '0' && a[i] <= '9');
	assert_int_equal(ss_sample_seed_check(a), 0);
	assert_string_not_equal(a, b); /* 1 in 10^20 to fail */
}

static void test_audit_sample_v1__quota_hand_checked(void **state)
{
	(void)state;
	assert_int_equal(ss_sample_quota(4, 2500), 1);
	assert_int_equal(ss_sample_quota(3, 2500), 1);
	assert_int_equal(ss_sample_quota(1, 2500), 1);
	assert_int_equal(ss_sample_quota(0, 2500), 0);
	assert_int_equal(ss_sample_quota(5, 2500), 2);
	assert_int_equal(ss_sample_quota(8, 1250), 1);
	assert_int_equal(ss_sample_quota(9, 1250), 2);
	assert_int_equal(ss_sample_quota(7, 10000), 7);
	assert_int_equal(ss_sample_quota(100, 2500), 25);
	assert_int_equal(ss_sample_quota(1000000, 2500), 250000);
	assert_int_equal(ss_sample_quota(3, 1), 1);
	assert_int_equal(ss_sample_quota(3, 0), 0);
}

/* ---- the draw ---- */

static void test_audit_sample_v1__strata_of_1_3_and_4_at_25pc(void **state)
{
	struct ss_population *pop = NULL;
	struct ss_policy *pol = policy("25%", "[\"area\"]", "[]", "");
	struct ss_sample *s;
	struct naive *t;
	struct spec sp = {NULL, "25-34", SS_TRI_FALSE};
	unsigned long id = 1;
	size_t i;

	(void)state;
	assert_int_equal(ss_population_new(&pop), 0);
	sp.area = "One";
	add(pop, id++, &sp);
	sp.area = "Three";
	for (i = 0; i < 3; i++)
		add(pop, id++, &sp);
	sp.area = "Four";
	for (i = 0; i < 4; i++)
		add(pop, id++, &sp);
	/* "Zero" has no records, so it is no stratum at all. */
	s = draw(pop, pol, "1 2 3 4 5");
	assert_int_equal(s->nstrata, 3);
	assert_string_equal(s->strata[0].key, "[\"Four\"]");
	assert_string_equal(s->strata[1].key, "[\"One\"]");
	assert_string_equal(s->strata[2].key, "[\"Three\"]");
	for (i = 0; i < 3; i++)
		assert_int_equal(s->strata[i].drawn, 1);
	assert_int_equal(s->strata[0].population, 4);
	assert_int_equal(s->n, 3);
	t = naive_table(pop, pol, "1 2 3 4 5");
	for (i = 0; i < pop->n; i++)
		assert_int_equal(naive_in(t, pop->n, i, 2500), ss_sample_find(s, t[i].id) != NULL);
	for (i = 0; i < s->n; i++)
		assert_string_equal(s->records[i].ticket,
		                    naive_find(t, pop->n, s->records[i].id)->ticket);
	free(t);
	ss_sample_free(s);
	ss_policy_free(pol);
	ss_population_free(pop);
}

static void test_audit_sample_v1__always_records_and_a_at_least_k(void **state)
{
	struct ss_population *pop = NULL;
	struct ss_policy *pol = policy("25%", "[\"area\"]", STRIP_AND_CHILDREN, "");
	struct spec plain = {"North", "25-34", SS_TRI_FALSE};
	struct spec strip = {"North", "25-34", SS_TRI_TRUE};
	struct spec child = {"North", "10-17", SS_TRI_NULL};
	struct ss_sample *s;
	size_t i;

	(void)state;
	assert_int_equal(ss_population_new(&pop), 0);
	/* North: 4 records, 3 always, k = 1, so exactly the three always-records. */
	add(pop, 1, &plain);
	add(pop, 2, &strip);
	add(pop, 3, &child);
	add(pop, 4, &strip);
	/* South: 8 records, 1 always, k = 2: the always-record and the lowest other. */
	plain.area = strip.area = "South";
	for (i = 0; i < 7; i++)
		add(pop, 10 + i, &plain);
	add(pop, 20, &strip);
	s = draw(pop, pol, "always");
	assert_string_equal(s->strata[0].key, "[\"North\"]");
	assert_int_equal(s->strata[0].always, 3);
	assert_int_equal(s->strata[0].drawn, 3);
	assert_int_equal(s->strata[1].always, 1);
	assert_int_equal(s->strata[1].drawn, 2);
	assert_int_equal(s->n, 5);
	for (i = 0; i < pop->n; i++) {
		const struct ss_sample_record *sr = ss_sample_find(s, pop->rec[i].id);
		int always = pop->rec[i].tri[SS_F_REMOVAL] == SS_TRI_TRUE ||
		             (pop->rec[i].str[SS_F_AGE_RANGE] &&
		              strcmp(pop->rec[i].str[SS_F_AGE_RANGE], "10-17") == 0);

		if (always) {
			assert_non_null(sr);
			assert_true(sr->always);
		}
		if (strcmp(pop->rec[i].str[SS_F_AREA], "North") == 0 && !always)
			assert_null(sr);
	}
	for (i = 1; i < s->n; i++)
		assert_true(strcmp(s->records[i - 1].ticket, s->records[i].ticket) < 0);
	/* blanks: the fields named by rules or strata, each counted */
	assert_int_equal(s->nblanks, 3);
	assert_string_equal(s->blanks[0].field, "age_range");
	assert_int_equal(s->blanks[0].count, 0);
	assert_string_equal(s->blanks[1].field, "area");
	assert_string_equal(s->blanks[2].field, "removal_of_more_than_outer_clothing");
	assert_int_equal(s->blanks[2].count, 1);
	ss_sample_free(s);
	ss_policy_free(pol);
	ss_population_free(pop);
}

static void test_audit_sample_v1__rates_and_blank_strata(void **state)
{
	static const char *const rates[] = {"25%", "12.5%", "100%", "0%", "33.33%"};
	static const unsigned bps[] = {2500, 1250, 10000, 0, 3333};
	struct ss_population *pop;
	size_t ri, i;

	(void)state;
	pop = random_population(211, 1000);
	for (ri = 0; ri < sizeof(rates) / sizeof(rates[0]); ri++) {
		struct ss_policy *pol = policy(rates[ri], "[\"area\"]", STRIP_AND_CHILDREN, "");
		struct ss_sample *s = draw(pop, pol, "rates");
		struct naive *t = naive_table(pop, pol, "rates");
		size_t m = 0;

		for (i = 0; i < pop->n; i++) {
			int in = naive_in(t, pop->n, i, bps[ri]);

			m += (size_t)in;
			if (in != (ss_sample_find(s, t[i].id) != NULL))
				fail_msg("rate %s: %s differs from the reference", rates[ri],
				         t[i].id);
		}
		assert_int_equal(s->n, m);
		if (bps[ri] == 10000)
			assert_int_equal(s->n, pop->n);
		/* null is a stratum of its own, sorting after the strings */
		assert_string_equal(s->strata[s->nstrata - 1].key, "[null]");
		free(t);
		ss_sample_free(s);
		ss_policy_free(pol);
	}
	ss_population_free(pop);
}

static void test_audit_sample_v1__input_order_does_not_matter(void **state)
{
	struct ss_policy *pol = policy("12.5%", "[\"area\"]", STRIP_AND_CHILDREN,
	                               ",\"p\":{\"may\":[\"review\"],\"reviews\":{\"count\":7}}");
	int round;

	(void)state;
	for (round = 0; round < 20; round++) {
		struct ss_population *pop = random_population(50 + rnd() % 200, 5000);
		struct ss_sample *a = draw(pop, pol, "order"), *b;
		char *ja = to_json(a), *jb;
		size_t i;

		for (i = pop->n; i > 1; i--) {
			size_t j = rnd() % i;
			struct ss_record tmp = pop->rec[i - 1];

			pop->rec[i - 1] = pop->rec[j];
			pop->rec[j] = tmp;
		}
		b = draw(pop, pol, "order");
		jb = to_json(b);
		assert_string_equal(ja, jb);
		free(ja);
		free(jb);
		ss_sample_free(a);
		ss_sample_free(b);
		ss_population_free(pop);
	}
	ss_policy_free(pol);
}

/*
 * What adding records may change. P' is P plus new records (same seed, month
 * and policy). In a stratum with n, a, k = ceil(n b) in P and n', a', k' in P':
 *
 *  (1) a record r randomly sampled in P stays in the sample of P' unless the
 *      stratum's always-set grew (a' > a) or r's rank among the stratum's
 *      non-always records in P' (0-based, by ticket) is at least k' - a';
 *  (2) that rank is r's rank in P plus the number of new non-always records
 *      in the stratum with lower tickets: earlier records never reorder;
 *  (3) a record of P that was not sampled is sampled in P' only if the
 *      stratum's random quota grew: k' - a' > k - a;
 *  (4) every always-record stays.
 */
static void test_audit_sample_v1__adding_records(void **state)
{
	struct ss_policy *pol = policy("25%", "[\"area\"]", STRIP_AND_CHILDREN, "");
	int round, checked = 0;

	(void)state;
	for (round = 0; round < 150; round++) {
		size_t n = 1 + rnd() % 60, extra = 1 + rnd() % 40, i, j;
		struct ss_population *p1, *p2;
		struct ss_sample *s1, *s2;
		struct naive *t1, *t2;
		uint64_t start = rng_state, after;

		/* random_population is deterministic in rng_state: p1 is p2's first n records */
		p2 = random_population(n + extra, 100000);
		after = rng_state;
		rng_state = start;
		p1 = random_population(n, 100000);
		rng_state = after;
		for (i = 0; i < n; i++)
			assert_string_equal(p1->rec[i].id, p2->rec[i].id);
		s1 = draw(p1, pol, "grow");
		s2 = draw(p2, pol, "grow");
		t1 = naive_table(p1, pol, "grow");
		t2 = naive_table(p2, pol, "grow");
		for (i = 0; i < n; i++) {
			const struct naive *x = &t1[i];
			const struct ss_sample_record *r1 = ss_sample_find(s1, x->id);
			const struct ss_sample_record *r2 = ss_sample_find(s2, x->id);
			size_t rank1, n1, a1, rank2, n2, a2, k1, k2, q1, q2, lower = 0;

			naive_stratum(t1, n, i, &rank1, &n1, &a1);
			j = (size_t)(naive_find(t2, n + extra, x->id) - t2);
			naive_stratum(t2, n + extra, j, &rank2, &n2, &a2);
			k1 = ss_sample_quota(n1, 2500);
			k2 = ss_sample_quota(n2, 2500);
			q1 = a1 >= k1 ? 0 : k1 - a1;
			q2 = a2 >= k2 ? 0 : k2 - a2;
			if (x->always) {
				assert_non_null(r2); /* (4) */
				continue;
			}
			for (j = 0; j < n + extra; j++)
				if (!naive_find(t1, n, t2[j].id) && !t2[j].always &&
				    strcmp(t2[j].key, x->key) == 0 &&
				    strcmp(t2[j].ticket, x->ticket) < 0)
					lower++;
			assert_int_equal(rank2, rank1 + lower); /* (2) */
			if (r1 != NULL && r2 == NULL)
				assert_true(a2 > a1 || rank2 >= q2); /* (1) */
			if (r1 != NULL && a2 == a1 && rank2 < q2)
				assert_non_null(r2);
			if (r1 == NULL && r2 != NULL)
				assert_true(q2 > q1); /* (3) */
			checked++;
		}
		free(t1);
		free(t2);
		ss_sample_free(s1);
		ss_sample_free(s2);
		ss_population_free(p1);
		ss_population_free(p2);
	}
	assert_true(checked > 1000);
	ss_policy_free(pol);
}

static void test_audit_sample_v1__roles_are_ticket_prefixes(void **state)
{
	struct ss_policy *pol =
	    policy("25%", "[\"area\"]", STRIP_AND_CHILDREN,
	           ",\"inspector\":{\"may\":[\"review\"],\"reviews\":\"all\"},"
	           "\"qa-panel\":{\"may\":[\"review\"],\"reviews\":{\"count\":20}},"
	           "\"big-panel\":{\"may\":[\"review\"],\"reviews\":{\"count\":100000}},"
	           "\"half\":{\"may\":[\"review\"],\"reviews\":{\"rate\":\"50%\"}},"
	           "\"sec\":{\"may\":[\"enter-for\"],\"enter_for\":[\"qa-panel\"]}");
	struct ss_population *pop = random_population(333, 7000);
	struct ss_sample *s = draw(pop, pol, "roles");
	const struct ss_sample_role *r;
	size_t i, j;

	(void)state;
	assert_true(s->n > 40);
	/* sorted by name; only reviewing roles */
	assert_int_equal(s->nroles, 4);
	assert_string_equal(s->roles[0].role, "big-panel");
	assert_string_equal(s->roles[1].role, "half");
	assert_string_equal(s->roles[2].role, "inspector");
	assert_string_equal(s->roles[3].role, "qa-panel");
	assert_null(ss_sample_role(s, "sec"));
	assert_int_equal(ss_sample_role(s, "inspector")->n, s->n);
	assert_int_equal(ss_sample_role(s, "big-panel")->n, s->n);
	assert_int_equal(ss_sample_role(s, "qa-panel")->n, 20);
	assert_int_equal(ss_sample_role(s, "half")->n, (s->n + 1) / 2);
	for (i = 0; i < s->nroles; i++) {
		r = &s->roles[i];
		for (j = 0; j < r->n; j++) {
			assert_string_equal(r->ids[j], s->records[j].id);
			assert_true(ss_sample_role_has(s, r->role, r->ids[j]));
		}
		if (r->n < s->n)
			assert_false(ss_sample_role_has(s, r->role, s->records[r->n].id));
	}
	assert_false(ss_sample_role_has(s, "nobody", s->records[0].id));
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

static void test_audit_sample_v1__empty_population_and_strata_order(void **state)
{
	struct ss_policy *pol =
	    policy("25%", "[\"area\",\"removal_of_more_than_outer_clothing\"]", "[]",
	           ",\"p\":{\"may\":[\"review\"],\"reviews\":{\"count\":3}}");
	struct ss_population *pop = NULL;
	struct ss_sample *s;
	struct spec sp = {"Quote \"q\"", NULL, SS_TRI_TRUE};
	char *j;

	(void)state;
	assert_int_equal(ss_population_new(&pop), 0);
	s = draw(pop, pol, "empty");
	assert_int_equal(s->n, 0);
	assert_int_equal(s->nstrata, 0);
	assert_int_equal(ss_sample_role(s, "p")->n, 0);
	ss_sample_free(s);

	add(pop, 1, &sp);
	sp.strip = SS_TRI_NULL;
	add(pop, 2, &sp);
	sp.area = NULL;
	add(pop, 3, &sp);
	sp.area = "A";
	sp.strip = SS_TRI_FALSE;
	add(pop, 4, &sp);
	s = draw(pop, pol, "empty");
	assert_int_equal(s->nstrata, 4);
	assert_string_equal(s->strata[0].key, "[\"A\",false]");
	assert_string_equal(s->strata[1].key, "[\"Quote \\\"q\\\"\",null]");
	assert_string_equal(s->strata[2].key, "[\"Quote \\\"q\\\"\",true]");
	assert_string_equal(s->strata[3].key, "[null,null]");
	j = to_json(s);
	assert_non_null(strstr(j, "\"blanks\": {\n    \"area\": 1,\n    "
	                          "\"removal_of_more_than_outer_clothing\": 2\n  }"));
	free(j);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

/* ---- sample.json ---- */

static char *replace(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	struct ss_buf b = SS_BUF_INIT;

	assert_non_null(p);
	assert_int_equal(ss_buf_put(&b, s, (size_t)(p - s)), 0);
	assert_int_equal(ss_buf_puts(&b, to), 0);
	assert_int_equal(ss_buf_puts(&b, p + strlen(from)), 0);
	return ss_buf_detach(&b);
}

static void test_audit_sample_v1__json_round_trip(void **state)
{
	struct ss_policy *pol = policy("25%", "[\"area\"]", STRIP_AND_CHILDREN,
	                               ",\"p\":{\"may\":[\"review\"],\"reviews\":{\"count\":5}}");
	struct ss_population *pop = random_population(120, 900);
	struct ss_sample *s, *back = NULL;
	char *j1, *j2;
	size_t i;

	(void)state;
	assert_int_equal(ss_sample_draw_v1(pop, pol, "2019-06", "d\xc3\xaes 4 6 1", true, ZERO_SHA,
	                                   ZERO_SHA, &s),
	                 0);
	j1 = to_json(s);
	assert_int_equal(ss_sample_from_json(j1, strlen(j1), "sample.json", &back), 0);
	j2 = to_json(back);
	assert_string_equal(j1, j2);
	assert_true(back->generated);
	assert_string_equal(back->seed, "d\xc3\xaes 4 6 1");
	assert_int_equal(back->n, s->n);
	for (i = 0; i < s->n; i++) {
		assert_string_equal(back->records[i].id, s->records[i].id);
		assert_string_equal(back->records[i].stratum, s->records[i].stratum);
		assert_int_equal(back->records[i].always, s->records[i].always);
		assert_non_null(ss_sample_find(back, s->records[i].id));
	}
	assert_true(ss_sample_role_has(back, "p", s->records[0].id));
	assert_false(ss_sample_role_has(back, "p", s->records[5].id));
	assert_non_null(strstr(j1, "\"algorithm\": \"ssaudit-sample-v1\""));
	/* A role list that is not a prefix of the records (an edited file) still answers. */
	{
		char from[64], to[64], *edited;
		struct ss_sample *odd = NULL;

		snprintf(from, sizeof(from), "\"p\": [\n      \"%s\"", s->records[0].id);
		snprintf(to, sizeof(to), "\"p\": [\n      \"%s\"", s->records[7].id);
		edited = replace(j1, from, to);
		assert_int_equal(ss_sample_from_json(edited, strlen(edited), "sample.json", &odd),
		                 0);
		assert_true(ss_sample_role_has(odd, "p", s->records[7].id));
		assert_true(ss_sample_role_has(odd, "p", s->records[1].id));
		assert_false(ss_sample_role_has(odd, "p", s->records[0].id));
		ss_sample_free(odd);
		free(edited);
	}
	assert_non_null(strstr(j1, "\"seed_source\": \"generated\""));
	free(j1);
	free(j2);
	ss_sample_free(s);
	ss_sample_free(back);
	ss_population_free(pop);
	ss_policy_free(pol);
}

static void expect_refused(const char *text, const char *needle)
{
	struct ss_sample *s = NULL;

	assert_int_equal(ss_sample_from_json(text, strlen(text), "sample.json", &s), SS_EDATA);
	assert_null(s);
	if (strstr(ss_error_message(), needle) == NULL)
		fail_msg("message \"%s\" does not say \"%s\"", ss_error_message(), needle);
}

static void test_audit_sample_v1__json_is_strict(void **state)
{
	struct ss_policy *pol = policy("25%", "[\"area\"]", "[]", "");
	struct ss_population *pop = random_population(10, 1);
	struct ss_sample *s = draw(pop, pol, "strict");
	char *j = to_json(s), *e;

	(void)state;
	e = replace(j, "\"rate\"", "\"extra\": 1,\n  \"rate\"");
	expect_refused(e, "unknown key \"extra\"");
	free(e);
	e = replace(j, "\"rate\"", "\"month\": \"2019-07\",\n  \"rate\"");
	expect_refused(e, "\"month\" appears twice");
	free(e);
	e = replace(j, "\"seed\": \"strict\"", "\"seed\": \"a\\tb\"");
	expect_refused(e, "seed");
	free(e);
	e = replace(j, "\"reason\": \"", "\"reason\": \"x");
	expect_refused(e, "records[0]");
	free(e);
	e = replace(j, "\"seed_source\": \"given\",\n", "");
	expect_refused(e, "\"seed_source\" is missing");
	free(e);
	/* relabelled v2, it lacks v2's keys; an unknown algorithm is named */
	e = replace(j, "\"algorithm\": \"ssaudit-sample-v1\"",
	            "\"algorithm\": \"ssaudit-sample-v2\"");
	expect_refused(e, "\"random\" is missing");
	free(e);
	e = replace(j, "\"algorithm\": \"ssaudit-sample-v1\"",
	            "\"algorithm\": \"ssaudit-sample-v3\"");
	expect_refused(e, "algorithm");
	free(e);
	e = replace(j, "{\n", "{\n  \"x\": \"\\u0000\",\n");
	expect_refused(e, "sample.json:2:9");
	free(e);
	e = replace(j, "\n}\n", "\n}\n{}");
	expect_refused(e, "after the JSON");
	free(e);
	free(j);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

/* ---- re-derivation ---- */

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ss_record *)a)->id, ((const struct ss_record *)b)->id);
}

struct committed {
	struct ss_buf pop, pol, sample;
	struct ss_sample *s;
};

static void commit_month(struct committed *c, const char *rate, const char *roles)
{
	struct ss_population *pop = random_population(150, 40000);
	struct ss_policy *pol = NULL;
	char pop_sha[65], pol_sha[65], text[4096];

	memset(c, 0, sizeof(*c));
	qsort(pop->rec, pop->n, sizeof(*pop->rec), id_cmp);
	assert_int_equal(ss_population_to_jsonl(pop, &c->pop), 0);
	policy_text(text, sizeof(text), rate, "[\"area\"]", STRIP_AND_CHILDREN, roles);
	assert_int_equal(ss_buf_puts(&c->pol, text), 0);
	assert_int_equal(ss_policy_parse(c->pol.data, c->pol.len, "policy.json", &pol), 0);
	ss_sha256_hex(pop_sha, c->pop.data, c->pop.len);
	ss_sha256_hex(pol_sha, c->pol.data, c->pol.len);
	assert_int_equal(ss_sample_draw_v1(pop, pol, "2019-06", "31415926535897932384", false,
	                                   pop_sha, pol_sha, &c->s),
	                 0);
	assert_int_equal(ss_sample_to_json(c->s, &c->sample), 0);
	ss_policy_free(pol);
	ss_population_free(pop);
}

static void release_month(struct committed *c)
{
	ss_buf_release(&c->pop);
	ss_buf_release(&c->pol);
	ss_buf_release(&c->sample);
	ss_sample_free(c->s);
}

static int rederive(const struct committed *c, const struct ss_buf *sample)
{
	return ss_sample_rederive(sample->data, sample->len, c->pop.data, c->pop.len, c->pol.data,
	                          c->pol.len);
}

static int rederive_edited(struct committed *c, const char *must_say)
{
	struct ss_buf b = SS_BUF_INIT;
	int err;

	assert_int_equal(ss_sample_to_json(c->s, &b), 0);
	err = rederive(c, &b);
	if (err == SS_EFAIL && must_say && strstr(ss_error_message(), must_say) == NULL)
		fail_msg("message \"%s\" does not say \"%s\"", ss_error_message(), must_say);
	ss_buf_release(&b);
	return err;
}

static void test_audit_sample_v1__rederive_accepts_the_honest_sample(void **state)
{
	struct committed c;

	(void)state;
	commit_month(&c, "25%", ",\"p\":{\"may\":[\"review\"],\"reviews\":{\"rate\":\"50%\"}}");
	if (rederive(&c, &c.sample) != 0)
		fail_msg("%s", ss_error_message());
	/* Pretty-printing differently changes nothing: JSON is compared parsed. */
	{
		char *compact = replace(c.sample.data, "{\n  \"algorithm\"", "{\"algorithm\"");
		struct ss_buf b = {compact, strlen(compact), strlen(compact) + 1};

		assert_int_equal(rederive(&c, &b), 0);
		ss_buf_release(&b);
	}
	release_month(&c);
}

static void test_audit_sample_v1__rederive_refuses_edits(void **state)
{
	struct committed c;
	char msg[512];
	struct ss_sample_record saved;
	size_t i;

	(void)state;
	commit_month(&c, "25%", ",\"p\":{\"may\":[\"review\"],\"reviews\":{\"count\":5}}");

	/* a record removed */
	saved = c.s->records[c.s->n - 1];
	c.s->n--;
	snprintf(msg, sizeof(msg), "record %s is in the re-derived sample but not in the committed",
	         saved.id);
	assert_int_equal(rederive_edited(&c, msg), SS_EFAIL);
	c.s->n++;
	assert_int_equal(rederive_edited(&c, NULL), 0);

	/* a record added: one the draw did not choose, with its true ticket */
	{
		struct ss_population *pop = NULL;
		struct ss_sample_record *grown;
		const struct ss_record *extra = NULL;

		assert_int_equal(ss_population_from_jsonl(c.pop.data, c.pop.len, "p", &pop), 0);
		for (i = 0; i < pop->n && extra == NULL; i++)
			if (ss_sample_find(c.s, pop->rec[i].id) == NULL)
				extra = &pop->rec[i];
		assert_non_null(extra);
		grown = realloc(c.s->records, (c.s->n + 1) * sizeof(*grown));
		assert_non_null(grown);
		c.s->records = grown;
		grown[c.s->n] = grown[0]; /* shares record 0's stratum string until n-- below */
		strcpy(grown[c.s->n].id, extra->id);
		ss_sample_ticket(1, c.s->seed, "2019-06", extra->id, grown[c.s->n].ticket);
		c.s->n++;
		snprintf(msg, sizeof(msg),
		         "record %s is in the committed sample but not in the re-derived one",
		         extra->id);
		assert_int_equal(rederive_edited(&c, msg), SS_EFAIL);
		c.s->n--;
		ss_population_free(pop);
	}

	/* a ticket changed */
	{
		char was = c.s->records[3].ticket[10];

		c.s->records[3].ticket[10] = was == 'a' ? 'b' : 'a';
		assert_int_equal(rederive_edited(&c, "the committed ticket is"), SS_EFAIL);
		c.s->records[3].ticket[10] = was;
	}

	/* the reason changed */
	for (i = 0; i < c.s->n && c.s->records[i].always; i++)
		;
	c.s->records[i].reason = SS_REASON_ALWAYS;
	assert_int_equal(rederive_edited(&c, "committed as \"always\""), SS_EFAIL);
	c.s->records[i].reason = SS_REASON_RANDOM;

	/* the seed changed (another roll of the dice) */
	{
		char *seed = c.s->seed;

		c.s->seed = (char *)"31415926535897932385";
		assert_int_equal(rederive_edited(&c, NULL), SS_EFAIL);
		c.s->seed = seed;
	}

	/* a role's list shortened */
	c.s->roles[0].n--;
	assert_int_equal(rederive_edited(&c, "roles.p"), SS_EFAIL);
	c.s->roles[0].n++;

	/* the population digest changed, or the population under it */
	c.s->population_sha256[0] = c.s->population_sha256[0] == '0' ? '1' : '0';
	assert_int_equal(rederive_edited(&c, "population"), SS_EFAIL);
	c.s->population_sha256[0] = c.s->population_sha256[0] == '0' ? '1' : '0';
	c.pop.data[c.pop.len / 2] = c.pop.data[c.pop.len / 2] == 'x' ? 'y' : 'x';
	assert_int_equal(rederive(&c, &c.sample), SS_EFAIL);
	assert_non_null(strstr(ss_error_message(), "population"));
	release_month(&c);

	/* the policy changed after the draw */
	commit_month(&c, "25%", "");
	{
		char *other = replace(c.pol.data, "\"25%\"", "\"30%\"");

		ss_buf_release(&c.pol);
		c.pol.data = other;
		c.pol.len = strlen(other);
		assert_int_equal(rederive(&c, &c.sample), SS_EFAIL);
		assert_non_null(strstr(ss_error_message(), "policy"));
	}
	release_month(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_sample_v1__tickets_match_sha256sum),
	    cmocka_unit_test(test_audit_sample_v1__seed_rules),
	    cmocka_unit_test(test_audit_sample_v1__generated_seed_is_20_digits),
	    cmocka_unit_test(test_audit_sample_v1__quota_hand_checked),
	    cmocka_unit_test(test_audit_sample_v1__strata_of_1_3_and_4_at_25pc),
	    cmocka_unit_test(test_audit_sample_v1__always_records_and_a_at_least_k),
	    cmocka_unit_test(test_audit_sample_v1__rates_and_blank_strata),
	    cmocka_unit_test(test_audit_sample_v1__input_order_does_not_matter),
	    cmocka_unit_test(test_audit_sample_v1__adding_records),
	    cmocka_unit_test(test_audit_sample_v1__roles_are_ticket_prefixes),
	    cmocka_unit_test(test_audit_sample_v1__empty_population_and_strata_order),
	    cmocka_unit_test(test_audit_sample_v1__json_round_trip),
	    cmocka_unit_test(test_audit_sample_v1__json_is_strict),
	    cmocka_unit_test(test_audit_sample_v1__rederive_accepts_the_honest_sample),
	    cmocka_unit_test(test_audit_sample_v1__rederive_refuses_edits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
