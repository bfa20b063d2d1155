/*
 * Tests of the sampler, ssaudit-sample-v2 (DESIGN.md section 6): the ticket
 * against sha256sum, a hand-checked stratum, the properties a reader relies
 * on (no stratum past ceil(n, rate); the core exactly the lowest tickets;
 * targeted records in rule order; what adding records may change), sample.json
 * round trips, re-derivation catching edits, roles' id lists and the warnings.
 * The old algorithm's tests are in test_sample_v1.c.
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

#define ZERO_SHA "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- helpers ---- */

static const char *policy_text(char *buf, size_t cap, const char *rate, const char *random,
                               const char *strata, const char *always, const char *roles)
{
	snprintf(buf, cap,
	         "{\"format\":\"ssaudit-policy-v2\",\"name\":\"test\",\"sample\":{\"rate\":\"%s\","
	         "\"random\":\"%s\",\"strata\":%s,\"always\":%s},\"roles\":{\"coordinator\":{"
	         "\"may\":[\"sample\"]}%s},"
	         "\"verdict\":[{\"id\":\"grounds\",\"question\":\"q\",\"values\":[\"reasonable\","
	         "\"not-reasonable\"]}],\"outcomes\":{\"values\":[\"Arrest\"],\"positive\":["
	         "\"Arrest\"]},\"fields\":{"
	         "\"officer\":\"kept\"}}\n",
	         rate, random, strata, always, roles);
	return buf;
}

static struct ss_policy *policy(const char *rate, const char *random, const char *strata,
                                const char *always, const char *roles)
{
	char text[4096];
	struct ss_policy *p = NULL;

	policy_text(text, sizeof(text), rate, random, strata, always, roles);
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

	if (ss_sample_draw(pop, pol, "2019-06", seed, false, ZERO_SHA, ZERO_SHA, &s) != 0)
		fail_msg("draw: %s", ss_error_message());
	return s;
}

#define SIXTY                                                                                      \
	"{\"field\":\"legislation\",\"equals\":\"Criminal Justice and Public Order Act 1994 "      \
	"(section 60)\"}"
#define LABELLED                                                                                   \
	"[{\"field\":\"removal_of_more_than_outer_clothing\",\"equals\":true,\"label\":"           \
	"\"strip-search\"},{\"field\":\"age_range\",\"in\":[\"under 10\",\"10-17\"],\"label\":"    \
	"\"children\"}," SIXTY "]"

/* printf 'ssaudit-sample-v2\0%s\0%s\0%s' 'dîs 4 6 1' 2019-06 R-aaaaaaaaaaaaaaaa | sha256sum */
#define PASTED_V2_TICKET "c22ae242029f8776ffc8e7ccd672cac522ff9ef42d28fb01c95aeacd275c9eac"

static void test_audit_sample__v2_ticket_is_the_published_one(void **state)
{
	char t[65];

	(void)state;
	ss_sample_ticket(2, "d\xc3\xaes 4 6 1", "2019-06", "R-aaaaaaaaaaaaaaaa", t);
	assert_string_equal(t, PASTED_V2_TICKET);
	ss_sample_ticket(1, "d\xc3\xaes 4 6 1", "2019-06", "R-aaaaaaaaaaaaaaaa", t);
	assert_string_not_equal(t, PASTED_V2_TICKET);
}

/* The records of one stratum key in ticket order (an independent walk). */
struct tk {
	char ticket[65];
	char id[SS_ID_LEN + 1];
	int rule;
	const char *area;
};

static int tk_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tk *)a)->ticket, ((const struct tk *)b)->ticket);
}

static size_t stratum_tickets(const struct ss_population *pop, const struct ss_policy *pol,
                              const char *seed, const char *area, struct tk *out)
{
	size_t i, j, n = 0;

	for (i = 0; i < pop->n; i++) {
		const struct ss_record *r = &pop->rec[i];
		const char *a = r->str[SS_F_AREA];

		if (pol->nstrata && !((a == NULL && area == NULL) ||
		                      (a != NULL && area != NULL && strcmp(a, area) == 0)))
			continue;
		ss_sample_ticket(2, seed, "2019-06", r->id, out[n].ticket);
		strcpy(out[n].id, r->id);
		out[n].rule = -1;
		for (j = 0; j < pol->nalways && out[n].rule < 0; j++)
			if (ss_rule_matches(&pol->always[j], r))
				out[n].rule = (int)j;
		n++;
	}
	qsort(out, n, sizeof(*out), tk_cmp);
	return n;
}

/*
 * 20 searches in one stratum at rate 25% (5) with a random core of 15% (3):
 * the 3 lowest tickets form the core whatever they are; then 2 of the
 * always-records outside it join, strip searches (rule 0) before children
 * (rule 1) whatever their tickets; the rest are not reached, and counted.
 */
static void test_audit_sample__hand_checked_stratum(void **state)
{
	struct ss_policy *pol = policy("25%", "15%", "[]", LABELLED, "");
	struct ss_population *pop = NULL;
	struct tk t[20];
	struct ss_sample *s;
	size_t i, n, strip_out = 0, child_out = 0, want_t = 0;
	char **warn = NULL;
	size_t nwarn = 0;

	(void)state;
	assert_int_equal(ss_population_new(&pop), 0);
	for (i = 0; i < 20; i++) {
		struct spec sp = {"Powys", i % 4 == 1 ? "10-17" : "25-34",
		                  i % 5 == 0 ? SS_TRI_TRUE : SS_TRI_FALSE};

		add(pop, 100 + i, &sp);
	}
	s = draw(pop, pol, "hand");
	n = stratum_tickets(pop, pol, "hand", "Powys", t);
	assert_int_equal(n, 20);
	assert_int_equal(s->nstrata, 1);
	assert_int_equal(s->strata[0].population, 20);
	assert_int_equal(s->strata[0].core, 3);
	assert_int_equal(s->n, 5);
	for (i = 0; i < 3; i++) {
		const struct ss_sample_record *r = ss_sample_find(s, t[i].id);

		assert_non_null(r);
		assert_int_equal(r->reason, SS_REASON_CORE);
		assert_int_equal(r->rule, t[i].rule);
	}
	for (i = 3; i < 20; i++) {
		strip_out += t[i].rule == 0;
		child_out += t[i].rule == 1;
	}
	/* strip searches first, in ticket order, then children */
	for (i = 3; i < 20 && want_t < 2; i++)
		if (t[i].rule == 0) {
			assert_int_equal(ss_sample_find(s, t[i].id)->reason, SS_REASON_TARGETED);
			want_t++;
		}
	for (i = 3; i < 20 && want_t < 2; i++)
		if (t[i].rule == 1) {
			assert_int_equal(ss_sample_find(s, t[i].id)->reason, SS_REASON_TARGETED);
			want_t++;
		}
	assert_int_equal(s->strata[0].targeted, 2);
	assert_int_equal(s->strata[0].not_reached, strip_out + child_out - 2);
	assert_int_equal(s->nrules, 3);
	assert_int_equal(s->matched_by_rule[0], 4);
	assert_int_equal(s->matched_by_rule[2], 0);
	assert_int_equal(s->not_reached_by_rule[0] + s->not_reached_by_rule[1],
	                 strip_out + child_out - 2);
	assert_int_equal(s->strata[0].always, 4 + 4); /* i%5==0: 4; i%4==1 and not i%5==0: 4 */
	/* the warnings a coordinator sees */
	assert_int_equal(ss_sample_warnings(s, pol, &warn, &nwarn), 0);
	{
		bool blank = false, nothing = false, reached = false;

		for (i = 0; i < nwarn; i++) {
			blank |=
			    strstr(warn[i], "rule 3 (legislation) could not apply to 20 searches "
			                    "whose field is blank") != NULL;
			nothing |= strstr(warn[i], "picked out no search") != NULL;
			reached |= strstr(warn[i], "not reached") != NULL;
		}
		assert_true(blank && nothing && reached);
	}
	ss_strv_free(warn, nwarn);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

/*
 * Properties over many random months, rates and seeds: no stratum's sample
 * exceeds ceil(n, rate); its core is exactly its ceil(n, random) lowest
 * tickets; targeted records are always-records outside the core, taken in
 * (rule, ticket) order, and any left out are counted as not reached.
 */
static void test_audit_sample__never_past_the_rate_and_core_is_lowest(void **state)
{
	static const char *const rates[][2] = {{"25%", "15%"},  {"25%", "25%"},  {"12.5%", "0%"},
	                                       {"100%", "50%"}, {"10%", "2.5%"}, {"33.33%", "1%"}};
	static const char *const areas[] = {"Ceredigion", "Powys", "Carmarthenshire", NULL,
	                                    "Pembrokeshire"};
	struct tk *t = calloc(400, sizeof(*t));
	size_t round;

	(void)state;
	assert_non_null(t);
	for (round = 0; round < 36; round++) {
		const char *const *rt = rates[round % 6];
		struct ss_policy *pol = policy(rt[0], rt[1], "[\"area\"]", LABELLED, "");
		struct ss_population *pop = random_population(1 + rnd() % 400, round * 1000);
		char seed[32];
		struct ss_sample *s;
		size_t a, i, total = 0;

		snprintf(seed, sizeof(seed), "seed %zu", round);
		s = draw(pop, pol, seed);
		for (a = 0; a < 5; a++) {
			size_t n = stratum_tickets(pop, pol, seed, areas[a], t);
			size_t c = ss_sample_quota(n, pol->random_bp),
			       b = ss_sample_quota(n, pol->rate_bp);
			size_t drawn = 0;

			for (i = 0; i < n; i++) {
				const struct ss_sample_record *r = ss_sample_find(s, t[i].id);

				if (i < c) {
					assert_non_null(r);
					assert_int_equal(r->reason, SS_REASON_CORE);
				} else if (r != NULL) {
					assert_int_equal(r->reason, SS_REASON_TARGETED);
					assert_true(t[i].rule >= 0);
				}
				drawn += r != NULL;
			}
			assert_true(drawn <= b);
			total += drawn;
			for (i = c; i < n; i++) {
				size_t j;

				if (t[i].rule < 0 || ss_sample_find(s, t[i].id) != NULL)
					continue;
				/* left out: the stratum is full, and no targeted record has a
				 * later rule, or the same rule and a later ticket */
				assert_int_equal(drawn, b);
				for (j = c; j < n; j++)
					if (ss_sample_find(s, t[j].id) != NULL && t[j].rule >= 0)
						assert_true(t[j].rule < t[i].rule ||
						            (t[j].rule == t[i].rule && j < i));
			}
		}
		assert_int_equal(total, s->n);
		for (i = 0; i < s->nstrata; i++)
			assert_true(s->strata[i].drawn <=
			            ss_sample_quota(s->strata[i].population, pol->rate_bp));
		ss_sample_free(s);
		ss_population_free(pop);
		ss_policy_free(pol);
	}
	free(t);
}

/*
 * The growth property (same seed and month), exactly: let S be a stratum and
 * S' the stratum after records are added to it. Then
 *   (1) the records of S that are in the core of S' are the j lowest-ticket
 *       records of S, for some j (old records are never kept out of order);
 *   (2) a record of the core of S leaves the core of S' only if some added
 *       record has a lower ticket than it;
 *   (3) so at most as many old core records leave as there are added records
 *       with a ticket below the highest ticket of the old core.
 * Nothing is claimed for targeted records: the grown core can take an
 * always-record that was targeted, freeing room for another.
 */
static void test_audit_sample__adding_records_growth_property(void **state)
{
	struct tk *t1 = calloc(600, sizeof(*t1)), *t2 = calloc(600, sizeof(*t2));
	size_t round;

	(void)state;
	assert_non_null(t1);
	assert_non_null(t2);
	for (round = 0; round < 30; round++) {
		struct ss_policy *pol =
		    policy("25%", round % 2 ? "15%" : "7.5%", "[]", LABELLED, "");
		struct ss_population *pop = random_population(1 + rnd() % 300, 1);
		struct ss_population *grown = random_population(0, 1);
		size_t n1, n2, i, added = rnd() % 200 + 1, c1, c2, left = 0, lower = 0, kept = 0;
		struct ss_sample *s1, *s2;
		const char *max_core;

		for (i = 0; i < pop->n; i++) {
			struct spec sp = {pop->rec[i].str[SS_F_AREA],
			                  pop->rec[i].str[SS_F_AGE_RANGE],
			                  pop->rec[i].tri[SS_F_REMOVAL]};

			add(grown, 1 + i, &sp);
		}
		{
			struct ss_population *more =
			    random_population(added, 100000 + round * 1000);

			for (i = 0; i < more->n; i++) {
				struct spec sp = {more->rec[i].str[SS_F_AREA],
				                  more->rec[i].str[SS_F_AGE_RANGE],
				                  more->rec[i].tri[SS_F_REMOVAL]};

				add(grown, 100000 + round * 1000 + i, &sp);
			}
			ss_population_free(more);
		}
		s1 = draw(pop, pol, "grow");
		s2 = draw(grown, pol, "grow");
		n1 = stratum_tickets(pop, pol, "grow", NULL, t1);
		n2 = stratum_tickets(grown, pol, "grow", NULL, t2);
		assert_int_equal(n2, n1 + added);
		c1 = ss_sample_quota(n1, pol->random_bp);
		c2 = ss_sample_quota(n2, pol->random_bp);
		max_core = c1 ? t1[c1 - 1].ticket : "";
		/* (1): old records in the new core are a prefix of the old ticket order */
		for (i = 0; i < n1; i++) {
			const struct ss_sample_record *r = ss_sample_find(s2, t1[i].id);
			bool in = r != NULL && r->reason == SS_REASON_CORE;

			if (in) {
				assert_int_equal(kept, i);
				kept++;
			}
		}
		/* (2) and (3) */
		for (i = 0; i < n2; i++) {
			bool is_new = true;
			size_t j;

			for (j = 0; j < n1 && is_new; j++)
				is_new = strcmp(t1[j].id, t2[i].id) != 0;
			if (is_new && c1 && strcmp(t2[i].ticket, max_core) < 0)
				lower++;
		}
		for (i = 0; i < c1; i++) {
			const struct ss_sample_record *r = ss_sample_find(s2, t1[i].id);

			if (r == NULL || r->reason != SS_REASON_CORE) {
				size_t j, below = 0;

				left++;
				for (j = 0; j < n2 && strcmp(t2[j].ticket, t1[i].ticket) < 0; j++)
					below++;
				assert_true(below > i); /* some added record sits below it */
			}
		}
		assert_true(left <= lower);
		assert_true(c2 >= c1);
		ss_sample_free(s1);
		ss_sample_free(s2);
		ss_population_free(pop);
		ss_population_free(grown);
		ss_policy_free(pol);
	}
	free(t1);
	free(t2);
}

/* A policy without sample.random: the core is the whole rate, the rules add
 * nothing, sample.json says random = rate, and the policy is warned about. */
static void test_audit_sample__policy_without_random(void **state)
{
	char text[4096];
	struct ss_policy *pol = NULL;
	struct ss_population *pop = random_population(200, 7);
	struct ss_sample *s;
	size_t i;

	(void)state;
	policy_text(text, sizeof(text), "25%", "25%", "[\"area\"]", LABELLED, "");
	{
		char *r = strstr(text, "\"random\":\"25%\",");

		memmove(r, r + strlen("\"random\":\"25%\","),
		        strlen(r + strlen("\"random\":\"25%\",")) + 1);
	}
	assert_int_equal(ss_policy_parse(text, strlen(text), "p.json", &pol), 0);
	assert_null(pol->random);
	assert_non_null(ss_policy_random_warning(pol));
	s = draw(pop, pol, "no random");
	assert_string_equal(s->random, "25%");
	for (i = 0; i < s->n; i++)
		assert_int_equal(s->records[i].reason, SS_REASON_CORE);
	for (i = 0; i < s->nstrata; i++) {
		assert_int_equal(s->strata[i].targeted, 0);
		assert_int_equal(s->strata[i].core,
		                 ss_sample_quota(s->strata[i].population, pol->rate_bp));
	}
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

/* sample.json v2 round-trips; roles' id lists are sorted, one a line. */
static void test_audit_sample__json_round_trip_and_role_ids(void **state)
{
	struct ss_policy *pol = policy("25%", "15%", "[\"area\"]", LABELLED,
	                               ",\"qa\":{\"may\":[\"review\"],\"reviews\":{\"count\":7}}");
	struct ss_population *pop = random_population(300, 3);
	struct ss_sample *s = draw(pop, pol, "round"), *back = NULL;
	struct ss_buf ids = SS_BUF_INIT;
	char *j = to_json(s), *j2;
	size_t i;

	(void)state;
	assert_non_null(strstr(j, "\"algorithm\": \"ssaudit-sample-v2\""));
	assert_non_null(strstr(j, "\"random\": \"15%\""));
	assert_non_null(strstr(j, "\"not_reached_by_rule\": ["));
	assert_non_null(strstr(j, "\"matched_by_rule\": ["));
	assert_int_equal(ss_sample_from_json(j, strlen(j), "sample.json", &back), 0);
	assert_int_equal(back->version, 2);
	assert_int_equal(back->n, s->n);
	for (i = 0; i < s->n; i++) {
		assert_int_equal(back->records[i].reason, s->records[i].reason);
		assert_int_equal(back->records[i].rule, s->records[i].rule);
	}
	for (i = 0; i < s->nstrata; i++) {
		assert_int_equal(back->strata[i].core, s->strata[i].core);
		assert_int_equal(back->strata[i].targeted, s->strata[i].targeted);
		assert_int_equal(back->strata[i].not_reached, s->strata[i].not_reached);
		assert_int_equal(back->strata[i].drawn, s->strata[i].drawn);
	}
	j2 = to_json(back);
	assert_string_equal(j, j2);
	assert_int_equal(ss_sample_role_ids(s, ss_sample_role(s, "qa"), &ids), 0);
	{
		const char *p = ids.data, *prev = "";
		size_t lines = 0;

		while (*p) {
			const char *nl = strchr(p, '\n');

			assert_non_null(nl);
			assert_int_equal(nl - p, SS_ID_LEN);
			assert_true(strncmp(prev, p, SS_ID_LEN) < 0 || lines == 0);
			char id[SS_ID_LEN + 1];

			memcpy(id, p, SS_ID_LEN);
			id[SS_ID_LEN] = '\0';
			assert_true(ss_sample_role_has(s, "qa", id));
			prev = p;
			p = nl + 1;
			lines++;
		}
		assert_int_equal(lines, 7);
	}
	ss_buf_release(&ids);
	free(j);
	free(j2);
	ss_sample_free(back);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

static char *swap_first(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	assert_non_null(at);
	out = malloc(strlen(text) + strlen(to) + 1);
	assert_non_null(out);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

static int id_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ss_record *)a)->id, ((const struct ss_record *)b)->id);
}

/* Re-derivation accepts the honest v2 sample and names each kind of edit. */
static void test_audit_sample__rederive_v2(void **state)
{
	char ptext[4096], pop_sha[65], pol_sha[65];
	struct ss_population *pop = random_population(400, 11);
	struct ss_buf pj = SS_BUF_INIT;
	struct ss_policy *pol;
	struct ss_sample *s = NULL;
	char *j, *e;
	size_t i;

	(void)state;
	policy_text(ptext, sizeof(ptext), "25%", "10%", "[\"area\"]", LABELLED, "");
	assert_int_equal(ss_policy_parse(ptext, strlen(ptext), "p.json", &pol), 0);
	qsort(pop->rec, pop->n, sizeof(*pop->rec), id_cmp);
	assert_int_equal(ss_population_to_jsonl(pop, &pj), 0);
	ss_sha256_hex(pop_sha, pj.data, pj.len);
	ss_sha256_hex(pol_sha, ptext, strlen(ptext));
	assert_int_equal(
	    ss_sample_draw(pop, pol, "2019-06", "rederive", false, pop_sha, pol_sha, &s), 0);
	j = to_json(s);
	assert_int_equal(ss_sample_rederive(j, strlen(j), pj.data, pj.len, ptext, strlen(ptext)),
	                 0);
	{
		static const char *const edits[][3] = {
		    {"\"reason\": \"core\"", "\"reason\": \"targeted\"", "targeted"},
		    {"\"random\": \"10%\"", "\"random\": \"15%\"", "random"},
		    {"\"not_reached_by_rule\": [", "\"not_reached_by_rule\": [9", "rule 0"},
		};
		for (i = 0; i < 3; i++) {
			e = swap_first(j, edits[i][0], edits[i][1]);
			assert_int_not_equal(
			    ss_sample_rederive(e, strlen(e), pj.data, pj.len, ptext, strlen(ptext)),
			    0);
			if (strstr(ss_error_message(), edits[i][2]) == NULL)
				fail_msg("edit %zu: \"%s\" does not say \"%s\"", i,
				         ss_error_message(), edits[i][2]);
			free(e);
		}
	}
	/* a targeted record's rule changed */
	for (i = 0; i < s->n && s->records[i].reason != SS_REASON_TARGETED; i++)
		;
	assert_true(i < s->n);
	s->records[i].rule = s->records[i].rule == 0 ? 1 : 0;
	e = to_json(s);
	assert_int_equal(ss_sample_rederive(e, strlen(e), pj.data, pj.len, ptext, strlen(ptext)),
	                 SS_EFAIL);
	free(e);
	free(j);
	ss_buf_release(&pj);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_audit_sample__v2_ticket_is_the_published_one),
	    cmocka_unit_test(test_audit_sample__hand_checked_stratum),
	    cmocka_unit_test(test_audit_sample__never_past_the_rate_and_core_is_lowest),
	    cmocka_unit_test(test_audit_sample__adding_records_growth_property),
	    cmocka_unit_test(test_audit_sample__policy_without_random),
	    cmocka_unit_test(test_audit_sample__json_round_trip_and_role_ids),
	    cmocka_unit_test(test_audit_sample__rederive_v2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
