/* libFuzzer target: the CSV readers (police-csv and force-csv) and ids. */
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "reader.h"
#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_read_opts o = {.format = SS_FORMAT_AUTO, .pseudonymise_officer = false};
	struct ss_population *pop = NULL;
	struct ss_diags d = {0};
	struct ss_buf b = SS_BUF_INIT;

	if (ss_crypto_init() != 0 || ss_population_new(&pop) != 0)
		return 0;
	d.limit = 50;
	o.format = size > 0 && (data[0] & 1) ? SS_FORMAT_FORCE_CSV : SS_FORMAT_POLICE_CSV;
	if (ss_read_buffer("fuzz.csv", (const char *)data, size, &o, pop, &d) == 0 &&
	    ss_population_assign_ids(pop) == 0 && ss_population_to_jsonl(pop, &b) == 0) {
		struct ss_population *back = NULL;

		/* what we store we can read back */
		if (ss_population_from_jsonl(b.data, b.len, "fuzz.jsonl", &back) != 0)
			__builtin_trap();
		if (back->n != pop->n)
			__builtin_trap();
		ss_population_free(back);
	}
	ss_buf_release(&b);
	ss_diags_release(&d);
	ss_population_free(pop);
	return 0;
}
