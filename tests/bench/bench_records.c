/*
 * bench_records.c - what `ssaudit import` does to a file before the trail:
 * read, validate and pseudonymise it (officers too), assign the ids, and write
 * population.jsonl (to /dev/null). Used by tests/bench/run.sh.
 *
 *   bench_records PSEUDONYM_KEY FILE...
 *
 * The key file is created (mode 0600) when it does not exist yet, so the
 * pandas script beside this one can read the same key.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "error.h"
#include "crypto.h"
#include "pseudonym.h"
#include "reader.h"
#include "record.h"

static int ss_bench_write_null(const struct ss_buf *b)
{
	FILE *f = fopen("/dev/null", "wb");
	int err = 0;

	if (f == NULL)
		return ss_error_set(SS_EIO, "cannot open '/dev/null': %s", strerror(errno));
	if (fwrite(b->data, 1, b->len, f) != b->len)
		err = ss_error_set(SS_EIO, "cannot write to '/dev/null'");
	if (fclose(f) != 0 && err == 0)
		err = ss_error_set(SS_EIO, "cannot write to '/dev/null'");
	return err;
}

int main(int argc, char **argv)
{
	struct ss_pseudo *ps = NULL;
	struct ss_population *pop = NULL;
	struct ss_diags diags = {NULL, 0, 0, 0, 10};
	struct ss_read_opts opts;
	struct ss_buf out = SS_BUF_INIT;
	struct stat st;
	int i, err;

	if (argc < 3) {
		fprintf(stderr, "usage: bench_records PSEUDONYM_KEY FILE...\n");
		return 2;
	}
	if ((err = ss_crypto_init()) != 0)
		goto out;
	if (stat(argv[1], &st) != 0 && (err = ss_pseudo_key_create(argv[1])) != 0)
		goto out;
	if ((err = ss_pseudo_key_load(argv[1], &ps)) != 0)
		goto out;
	if ((err = ss_population_new(&pop)) != 0)
		goto out;
	memset(&opts, 0, sizeof(opts));
	opts.format = SS_FORMAT_AUTO;
	opts.pseudo = ps;
	opts.pseudonymise_officer = true;
	for (i = 2; i < argc; i++)
		if ((err = ss_read_file(argv[i], NULL, &opts, pop, &diags)) != 0)
			goto out;
	if ((err = ss_population_assign_ids(pop)) != 0)
		goto out;
	if ((err = ss_population_to_jsonl(pop, &out)) != 0)
		goto out;
	if ((err = ss_bench_write_null(&out)) != 0)
		goto out;
	fprintf(stderr, "bench_records: %zu records, %zu bytes of population.jsonl\n", pop->n,
	        out.len);
out:
	if (err)
		fprintf(stderr, "bench_records: %s\n", ss_error_message());
	ss_buf_release(&out);
	ss_diags_release(&diags);
	ss_population_free(pop);
	ss_pseudo_free(ps);
	return err ? ss_error_exit_status(err) : 0;
}
