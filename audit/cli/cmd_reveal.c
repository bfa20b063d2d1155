/*
 * cmd_reveal.c - `ssaudit reveal PSEUDONYM... FILE... --reason TEXT`: the
 * source rows behind pseudonyms, for the holder of the pseudonym key. The
 * use is logged in the trail (signed) before anything is printed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "act.h"
#include "cli.h"
#include "crypto.h"
#include "writer.h"

static const char *const ident_words[SS_IDENT_COUNT] = {N_("name"), N_("date of birth"),
                                                        N_("address"), N_("PNC ID"), N_("officer")};
static const char *const ident_keys[SS_IDENT_COUNT] = {"name", "date_of_birth", "address", "pnc",
                                                       "officer_number"};

/* A pseudonym, or else a file? A file that exists is a file, whatever its name. */
static bool is_pseudonym(const char *arg)
{
	struct stat st;

	if (stat(arg, &st) == 0)
		return false;
	return (arg[0] == 'S' || arg[0] == 'O') && arg[1] == '-';
}

static void print_json(const struct ss_reveal *r)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i, k;

	ss_buf_printf(&b, "{\"logged\": %u, \"found\": %zu, \"rows\": [", r->number, r->nrows);
	for (i = 0; i < r->nrows; i++) {
		const struct ss_reveal_row *row = &r->rows[i];

		ss_buf_puts(&b, i ? ",\n  {\"file\": " : "\n  {\"file\": ");
		ss_buf_json_string_or_null(&b, row->file);
		ss_buf_printf(&b, ", \"line\": %zu, \"subject\": ", row->line);
		ss_buf_json_string_or_null(&b, row->subject[0] ? row->subject : NULL);
		ss_buf_puts(&b, ", \"officer\": ");
		ss_buf_json_string_or_null(&b, row->officer[0] ? row->officer : NULL);
		for (k = 0; k < SS_IDENT_COUNT; k++) {
			ss_buf_printf(&b, ", \"%s\": ", ident_keys[k]);
			ss_buf_json_string_or_null(&b, row->ident[k]);
		}
		ss_buf_puts(&b, "}");
	}
	ss_buf_puts(&b, r->nrows ? "\n]}\n" : "]}\n");
	fputs(b.data ? b.data : "", stdout);
	if (b.data)
		ss_memzero(b.data, b.len);
	ss_buf_release(&b);
}

static void print_text(const struct ss_reveal *r)
{
	size_t i, k;

	if (r->nrows == 0) {
		printf(r->npseudonyms == 1
		           ? _("no row of the files has the pseudonym %s (logged as "
		               "access entry %04u)\n")
		           : _("no row of the files has any of the pseudonyms %s "
		               "(logged as access entry %04u)\n"),
		       r->pseudonyms[0], r->number);
		for (i = 1; i < r->npseudonyms; i++)
			printf(_("  or %s\n"), r->pseudonyms[i]);
		return;
	}
	for (i = 0; i < r->nrows; i++) {
		const struct ss_reveal_row *row = &r->rows[i];
		const char *sep = "";

		printf("%s:%zu:", row->file, row->line);
		if (row->subject[0])
			printf(" %s", row->subject);
		if (row->officer[0])
			printf(" %s", row->officer);
		printf("\n    ");
		for (k = 0; k < SS_IDENT_COUNT; k++) {
			if (row->ident[k] == NULL)
				continue;
			printf("%s%s: %s", sep, _(ident_words[k]), row->ident[k]);
			sep = "; ";
		}
		printf("%s\n", *sep ? "" : _("(no identity columns in this row)"));
	}
	printf(_("%zu row%s found (logged as access entry %04u); this is personal data: keep it "
	         "out of the trail and share it only through the force's own channels\n"),
	       r->nrows, r->nrows == 1 ? "" : "s", r->number);
}

int cmd_reveal(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"reason", required_argument, 0, 'r'},
	                                     {"format", required_argument, 0, 'f'},
	                                     {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_reveal r;
	struct ss_diags diags = {0};
	enum ss_format format = SS_FORMAT_AUTO;
	const char *reason = NULL;
	char **pseudo = NULL, **files = NULL;
	size_t np = 0, nf = 0, k;
	int c, i, err = 0;

	memset(&r, 0, sizeof(r));
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'r')
			reason = optarg;
		else if (c == 'f') {
			if (ss_format_lookup(optarg, &format))
				return ss_cli_usage(cli, _("unknown format '%s'"), optarg);
		} else
			return 2;
	}
	if (argc - optind < 2)
		return ss_cli_usage(cli, _("give at least one pseudonym and one file"));
	if (reason == NULL || *reason == '\0')
		return ss_cli_usage(cli,
		                    _("say why with --reason TEXT: every use of reveal is logged"));
	if (cli->as == NULL)
		return ss_cli_usage(cli,
		                    _("say who you are with --as HANDLE: every use is logged"));
	pseudo = calloc((size_t)argc, sizeof(char *));
	files = calloc((size_t)argc, sizeof(char *));
	if (pseudo == NULL || files == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	for (i = optind; i < argc; i++) {
		if (is_pseudonym(argv[i]))
			pseudo[np++] = argv[i];
		else
			files[nf++] = argv[i];
	}
	if (np == 0 || nf == 0) {
		free(pseudo);
		free(files);
		return ss_cli_usage(cli, np == 0 ? _("give at least one pseudonym (S-... or O-...)")
		                                 : _("give at least one of the force's files"));
	}
	diags.limit = 20;
	/* Refused before any file is read: the role, the key (77); then the
	 * files (65); then the log, under the lock; only then the output. */
	if ((err = ss_act_reveal_prepare(cli->trail, cli->home, cli->as, pseudo, np, &r)))
		goto out;
	err = ss_act_reveal_find(&r, files, nf, format, &diags);
	for (k = 0; k < diags.n; k++)
		fprintf(stderr, "ssaudit: %s:%zu:%zu: %s\n", diags.d[k].file, diags.d[k].line,
		        diags.d[k].col, diags.d[k].msg);
	if (err || (err = ss_writer_open(&wo, &w)) || (err = ss_act_reveal_log(w, &r, reason)))
		goto out;
	if (cli->json)
		print_json(&r);
	else
		print_text(&r);
	fflush(stdout);
out:
	ss_writer_close(w);
	ss_reveal_release(&r);
	ss_diags_release(&diags);
	free(pseudo);
	free(files);
	return err ? ss_cli_fail(err) : 0;
}
