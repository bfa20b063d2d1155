/* libFuzzer target: the police-json reader, and the stored form's parser. */
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "reader.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_read_opts o = {.format = SS_FORMAT_POLICE_JSON, .pseudonymise_officer = false};
	struct ss_population *pop = NULL, *stored = NULL;
	struct ss_diags d = {0};

	if (ss_crypto_init() != 0 || ss_population_new(&pop) != 0)
		return 0;
	d.limit = 50;
	if (ss_read_buffer("fuzz.json", (const char *)data, size, &o, pop, &d) == 0)
		(void)ss_population_assign_ids(pop);
	/* the same bytes as a stored population.jsonl must never crash either */
	if (ss_population_from_jsonl((const char *)data, size, "fuzz.jsonl", &stored) == 0)
		ss_population_free(stored);
	ss_diags_release(&d);
	ss_population_free(pop);
	return 0;
}
