/*
 * cmd_import.c - `ssaudit import MONTH FILE...`: read, validate and
 * pseudonymise a month's records, and commit them.
 */
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cli.h"
#include "pseudonym.h"
#include "reader.h"
#include "writer.h"

static void records_read(size_t n, void *arg)
{
	ss_cli_progress(arg, _("records read"), n, 0);
}

/* Read every file into one population, reporting each structural error. */
static int read_all(struct ss_cli *cli, char **files, int nfiles, const struct ss_read_opts *ro,
                    struct ss_population *pop)
{
	struct ss_diags diags = {0};
	int i, err = 0, first = 0;

	diags.limit = 20;
	for (i = 0; i < nfiles; i++) {
		int e = ss_read_file(files[i], NULL, ro, pop, &diags);

		if (e && !first)
			first = e;
		if (e && e != SS_EDATA)
			ss_cli_fail(e);
	}
	if (pop->n >= SS_READ_PROGRESS_EVERY) /* the line the counts were written on, ended */
		ss_cli_progress(cli, _("records read"), pop->n, pop->n);
	ss_cli_diags(&diags);
	/* Every file's error is printed above: end on what it means, with the
	 * first error's exit status, rather than on one of them again. */
	if (first)
		err = ss_error_set(first,
		                   _("nothing was imported: fix the errors above and try again"));
	ss_diags_release(&diags);
	return err;
}

int cmd_import(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, 0, 'f'},
	                                     {"replace", no_argument, 0, 'r'},
	                                     {"keep-outside", no_argument, 0, 'k'},
	                                     {"allow-empty", no_argument, 0, 'e'},
	                                     {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_population *pop = NULL;
	struct ss_pseudo *ps = NULL;
	struct ss_read_opts ro = {0};
	const char *month;
	char fp[33];
	bool replace = false, unchanged = false, officer = false, allow_empty = false;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'f') {
			if (ss_format_lookup(optarg, &ro.format))
				return ss_cli_usage(cli, _("unknown format '%s'"), optarg);
		} else if (c == 'r') {
			replace = true;
		} else if (c == 'k') {
			ro.keep_outside = true;
		} else if (c == 'e') {
			allow_empty = true;
		} else {
			return 2;
		}
	}
	if (argc - optind < 2)
		return ss_cli_usage(cli, _("give a month and at least one file"));
	month = argv[optind];
	if ((status = ss_cli_month(cli, month)))
		return status;
	if (cli->as == NULL)
		return ss_cli_usage(cli, _("say who is importing with --as HANDLE"));
	/* Cheap refusals first, without the lock: the key must be the trail's. */
	if ((err = ss_act_import_prepare(cli->trail, cli->home, cli->as, &ps, &officer)))
		goto out;
	ss_pseudo_fingerprint(ps, fp);
	/* Reading is the long part: do it before taking the trail's lock. */
	ro.pseudo = ps;
	ro.pseudonymise_officer = officer;
	ro.month = month;
	ro.progress = records_read;
	ro.progress_arg = cli;
	if ((err = ss_month_uk_span(month, &ro.month_from, &ro.month_to)))
		goto out;
	if ((err = ss_population_new(&pop)) ||
	    (err = read_all(cli, argv + optind + 1, argc - optind - 1, &ro, pop)) ||
	    (err = ss_population_assign_ids(pop)))
		goto out;
	if ((err = ss_writer_open(&wo, &w)) ||
	    (err = ss_act_import(w, month, pop, fp, officer, replace, allow_empty, &unchanged)))
		goto out;
	if (cli->json)
		printf("{\"month\": \"%s\", \"records\": %zu, \"files\": %zu, \"unchanged\": %s}\n",
		       month, pop->n, pop->nsources, unchanged ? "true" : "false");
	else if (unchanged)
		printf(_("%s: the same %zu records are already imported; nothing recorded\n"),
		       month, pop->n);
	else
		printf(_("%s: imported %zu records from %zu file%s\n"), month, pop->n,
		       pop->nsources, pop->nsources == 1 ? "" : "s");
	if (!cli->json)
		for (size_t i = 0; i < pop->nsources; i++)
			if (pop->sources[i].outside > 0)
				printf(_("%s: kept %zu record%s dated outside %s in UK time "
				         "(--keep-outside)\n"),
				       pop->sources[i].name, pop->sources[i].outside,
				       pop->sources[i].outside == 1 ? "" : "s", month);
out:
	ss_writer_close(w);
	ss_population_free(pop);
	ss_pseudo_free(ps);
	return err ? ss_cli_fail(err) : 0;
}
