/*
 * libFuzzer target for a records officer's file of corrections (correct
 * --from): any bytes in, checked against a policy and a small month of
 * records with references; either every row good or SS_EDATA with at least
 * one problem at a line and column, never a crash, leak or undefined
 * behaviour. A file that passes must name only records of the month.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "act.h"
#include "crypto.h"
#include "error.h"
#include "policy.h"
#include "reader.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy_json[] =
    "{\"format\": \"ssaudit-policy-v2\", \"name\": \"fuzz\", "
    "\"sample\": {\"rate\": \"25%\", \"random\": \"15%\", \"strata\": [], \"always\": []}, "
    "\"roles\": {\"coordinator\": {\"may\": [\"import\", \"sample\", \"correct\"]}}, "
    "\"verdict\": [{\"id\": \"grounds\", \"question\": \"Grounds?\", "
    "\"values\": [\"reasonable\", \"not-reasonable\"], \"required\": true}], "
    "\"outcomes\": {\"values\": [\"Arrest\", \"A no further action disposal\"], "
    "\"positive\": [\"Arrest\"]}, \"fields\": {\"officer\": \"kept\"}}";

static struct ss_policy *pol;
static struct ss_population *pop;

/* Twenty records, references DP-1 to DP-20, ids as import gives them. */
static int month_setup(void)
{
	struct ss_record *r;
	char ref[16];
	int i;

	if (ss_crypto_init() != 0 ||
	    ss_policy_parse(policy_json, sizeof(policy_json) - 1, "fuzz.json", &pol) != 0 ||
	    ss_population_new(&pop) != 0)
		return -1;
	for (i = 1; i <= 20; i++) {
		if (ss_population_append(pop, &r) != 0)
			return -1;
		snprintf(ref, sizeof(ref), "DP-%d", i);
		r->str[SS_F_REFERENCE] = ss_population_strdup(pop, ref, strlen(ref));
		r->str[SS_F_OUTCOME] = "Arrest";
	}
	return ss_population_assign_ids(pop);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_diags d = {0};
	size_t rows = 0;
	int err;

	if (pol == NULL && month_setup() != 0) {
		fprintf(stderr, "fuzz_corrections: cannot set up: %s\n", ss_error_message());
		__builtin_trap();
	}
	d.limit = 20;
	err = ss_correct_file_check(pol, pop, "2026-10", (const char *)data, size, "fuzz.csv", &d,
	                            &rows);
	if (err != 0 && err != SS_EDATA)
		__builtin_trap();
	if (err == 0 && rows == 0)
		__builtin_trap(); /* a good file has a correction to record */
	for (size_t i = 0; i < d.n; i++)
		if (d.d[i].line == 0 || d.d[i].col == 0)
			__builtin_trap(); /* every problem is placed */
	ss_diags_release(&d);
	return 0;
}
