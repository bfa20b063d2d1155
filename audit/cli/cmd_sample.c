/*
 * cmd_sample.c - `ssaudit sample MONTH [--seed SEED]`: draw the month's sample
 * and commit it.
 */
#include "act.h"
#include "cli.h"
#include "writer.h"

int cmd_sample(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"seed", required_argument, 0, 's'}, {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_sample *s = NULL;
	const char *seed = NULL;
	char hex[41];
	size_t i;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 's')
			seed = optarg;
		else
			return 2;
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one month"));
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if (seed && (err = ss_sample_seed_check(seed)))
		return ss_cli_usage(cli, "%s", ss_error_message());
	if ((err = ss_writer_open(&wo, &w)) ||
	    (err =
	         ss_act_sample(w, argv[optind], seed, ss_cli_progress_records, (void *)cli, &s))) {
		ss_writer_close(w);
		return ss_cli_fail(err);
	}
	ss_oid_hex(&w->tip, hex);
	if (ss_policy_random_warning(w->policy))
		ss_cli_warn("%s", _(ss_policy_random_warning(w->policy)));
	{
		char **warn = NULL;
		size_t nwarn = 0;

		if (ss_sample_warnings_in(s, w->policy, ss_lang_current(), &warn, &nwarn) == 0)
			for (i = 0; i < nwarn; i++)
				ss_cli_warn("%s", warn[i]);
		ss_strv_free(warn, nwarn);
	}
	if (cli->json) {
		struct ss_buf b = SS_BUF_INIT;

		ss_sample_to_json(s, &b);
		fputs(b.data, stdout);
		ss_buf_release(&b);
	} else {
		size_t core = 0;

		for (i = 0; i < s->n; i++)
			core += s->records[i].reason == SS_REASON_CORE;
		printf(_("month:    %s\nseed:     %s (%s)\nrate:     %s (random core %s)\n"
		         "sampled:  %zu records: %zu at random, %zu picked out by the policy's "
		         "rules\n"),
		       s->month, s->seed, s->generated ? _("generated") : _("given"), s->rate,
		       s->random, s->n, core, s->n - core);
		printf("\n%-32s %10s %6s %7s %9s %12s\n", _("STRATUM"), _("POPULATION"), _("CORE"),
		       _("ALWAYS"), _("TARGETED"), _("NOT REACHED"));
		for (i = 0; i < s->nstrata; i++)
			printf("%-32s %10zu %6zu %7zu %9zu %12zu\n", s->strata[i].key,
			       s->strata[i].population, s->strata[i].core, s->strata[i].always,
			       s->strata[i].targeted, s->strata[i].not_reached);
		for (i = 0; i < s->nroles; i++)
			printf(_("%s reviews %zu\n"), ss_role_words(s->roles[i].role),
			       s->roles[i].n);
		ss_cli_note(cli,
		            _("sample committed as %.12s; anyone can re-derive it from the seed"),
		            hex);
	}
	ss_sample_free(s);
	ss_writer_close(w);
	return 0;
}
