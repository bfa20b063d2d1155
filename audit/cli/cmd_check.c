/*
 * cmd_check.c - `ssaudit check FILE...`: a coordinator's pre-flight over files,
 * without a trail.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "reader.h"
#include "stats.h"

static void print_stats(const struct ss_stats *st, const struct ss_population *pop)
{
	size_t f, i;

	printf(_("records:     %zu\n"), st->records);
	printf(_("duplicates:  %zu (rows identical to an earlier row)\n"), st->duplicates);
	printf(_("date span:   %s to %s\n"), st->earliest ? st->earliest : "-",
	       st->latest ? st->latest : "-");
	for (i = 0; i < pop->nsources; i++)
		printf(_("file:        %s (%s, %zu rows, SHA-256 %s)\n"), pop->sources[i].name,
		       ss_format_name(pop->sources[i].format), pop->sources[i].rows,
		       pop->sources[i].sha256);
	printf("\n%-36s %8s %8s  %s\n", _("FIELD"), _("BLANK"), _("UNKNOWN"),
	       _("MOST COMMON VALUES"));
	for (f = 0; f < SS_F_COUNT; f++) {
		const struct ss_field_stats *fs = &st->field[f];

		printf("%-36s %8zu ", ss_field_name((enum ss_field)f), fs->blank);
		if (fs->has_vocab)
			printf("%8zu  ", fs->unknown);
		else
			printf("%8s  ", "-");
		for (i = 0; fs->has_values && i < fs->nvalues && i < 3; i++)
			printf("%s%s (%zu)", i ? "; " : "", fs->values[i].value,
			       fs->values[i].count);
		if (fs->has_values && fs->nvalues > 3)
			printf(_("; %zu more"), fs->nvalues - 3);
		printf("\n");
	}
	for (f = 0; f < SS_F_COUNT; f++) {
		const struct ss_field_stats *fs = &st->field[f];

		if (!fs->has_vocab || fs->unknown == 0)
			continue;
		printf(_("\nvalues of %s that data.police.uk does not use (accepted, counted):\n"),
		       ss_field_name((enum ss_field)f));
		for (i = 0; i < fs->nvalues; i++)
			if (!fs->values[i].known)
				printf("  %s (%zu)\n", fs->values[i].value, fs->values[i].count);
	}
}

int cmd_check(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, 0, 'f'}, {0, 0, 0, 0}};
	struct ss_read_opts ro = {0};
	struct ss_population *pop = NULL;
	struct ss_stats *st = NULL;
	struct ss_diags diags = {0};
	int c, i, err = 0, first = 0;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'f') {
			if (ss_format_lookup(optarg, &ro.format))
				return ss_cli_usage(cli, _("unknown format '%s'"), optarg);
		} else {
			return 2;
		}
	}
	if (optind >= argc)
		return ss_cli_usage(cli, _("give at least one file"));
	if ((err = ss_population_new(&pop)))
		return ss_cli_fail(err);
	diags.limit = 100;
	for (i = optind; i < argc; i++) {
		int e = ss_read_file(argv[i], NULL, &ro, pop, &diags);

		if (e && e != SS_EDATA) {
			ss_cli_fail(e);
			if (!first || first == SS_EDATA)
				first = e;
		} else if (e && !first) {
			first = e;
		}
		ss_cli_progress(cli, _("checking"), (size_t)(i - optind + 1),
		                (size_t)(argc - optind));
	}
	ss_cli_diags(&diags);
	/* A file that could not be read at all: figures over the others would
	 * read as the whole, so say only what went wrong. */
	if (first && first != SS_EDATA)
		goto out;
	if ((err = ss_stats_compute(pop, &st)))
		goto out;
	if (cli->json) {
		struct ss_buf b = SS_BUF_INIT;

		ss_buf_puts(&b, "{\"errors\": ");
		ss_buf_printf(&b, "%zu, \"stats\": ", diags.total);
		ss_stats_to_json(st, &b);
		ss_buf_puts(&b, "}\n");
		fputs(b.data, stdout);
		ss_buf_release(&b);
	} else {
		print_stats(st, pop);
		if (diags.total)
			printf(
			    _("\n%zu structural error%s (listed above): the files with errors are "
			      "not counted; fix them before importing\n"),
			    diags.total, diags.total == 1 ? "" : "s");
	}
out:
	ss_stats_free(st);
	ss_diags_release(&diags);
	ss_population_free(pop);
	if (err)
		return ss_cli_fail(err);
	return first ? ss_error_exit_status(first) : 0;
}
