/*
 * sampletest.h - what the sampler's two test files (test_sample.c for
 * ssaudit-sample-v2, test_sample_v1.c for the old algorithm) build their
 * populations with: a seeded generator, record ids in the stored form,
 * records of a given area, age and strip search, random months.
 * Included by exactly those two files; everything is static.
 */
#ifndef SS_TEST_SAMPLETEST_H
#define SS_TEST_SAMPLETEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "record.h"
#include "sample.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* A record id in the stored form: R- and base32 of 10 bytes of a digest of n. */
static void make_id(unsigned long n, char out[SS_ID_LEN + 1])
{
	char text[32];
	unsigned char d[32];

	snprintf(text, sizeof(text), "test-%lu", n);
	ss_sha256(d, text, strlen(text));
	out[0] = 'R';
	out[1] = '-';
	ss_base32_encode(out + 2, d, 10);
}

struct spec {
	const char *area; /* NULL: blank */
	const char *age;  /* NULL: blank */
	int strip;        /* enum ss_tri */
};

static struct ss_record *add(struct ss_population *pop, unsigned long n, const struct spec *sp)
{
	struct ss_record *r;

	assert_int_equal(ss_population_append(pop, &r), 0);
	make_id(n, r->id);
	r->str[SS_F_TYPE] = ss_population_strdup(pop, "Person search", 13);
	r->str[SS_F_DATETIME] = ss_population_strdup(pop, "2019-06-01T10:00:00+00:00", 25);
	if (sp->area)
		r->str[SS_F_AREA] = ss_population_strdup(pop, sp->area, strlen(sp->area));
	if (sp->age)
		r->str[SS_F_AGE_RANGE] = ss_population_strdup(pop, sp->age, strlen(sp->age));
	r->tri[SS_F_REMOVAL] = (signed char)sp->strip;
	return r;
}

static char *to_json(const struct ss_sample *s)
{
	struct ss_buf b = SS_BUF_INIT;

	assert_int_equal(ss_sample_to_json(s, &b), 0);
	return ss_buf_detach(&b);
}

static struct ss_population *random_population(size_t n, unsigned long first_id)
{
	static const char *const areas[] = {"Ceredigion", "Powys", "Carmarthenshire", NULL,
	                                    "Pembrokeshire"};
	static const char *const ages[] = {"18-24", "25-34", "over 34", "10-17", "under 10", NULL};
	struct ss_population *pop = NULL;
	size_t i;

	assert_int_equal(ss_population_new(&pop), 0);
	for (i = 0; i < n; i++) {
		struct spec sp;
		uint64_t x = rnd();

		sp.area = areas[x % 5];
		sp.age = ages[(x >> 8) % 6 < 3 ? (x >> 8) % 6
		                               : ((x >> 16) % 8 == 0 ? 3 + (x >> 24) % 3 : 0)];
		sp.strip = (x >> 32) % 16 == 0 ? SS_TRI_TRUE
		           : (x >> 36) % 3     ? SS_TRI_FALSE
		                               : SS_TRI_NULL;
		add(pop, first_id + i, &sp);
	}
	return pop;
}

#endif
