/*
 * cmd_close.c - `ssaudit close MONTH [--waive ID --reason TEXT]...`: sign the
 * month off, or say what is missing.
 */
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cli.h"
#include "writer.h"

int cmd_close(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"waive", required_argument, 0, 'w'},
	                                     {"reason", required_argument, 0, 'r'},
	                                     {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_waive *wv = NULL;
	struct ss_close_result res;
	size_t n = 0, i, k;
	int c, err = 0, status = 0;

	memset(&res, 0, sizeof(res));
	if ((wv = calloc((size_t)argc + 1, sizeof(*wv))) == NULL)
		return ss_cli_fail(ss_error_nomem());
	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'w') {
			wv[n++].id = optarg;
		} else if (c == 'r') {
			if (n == 0 || wv[n - 1].reason) {
				status =
				    ss_cli_usage(cli, _("each --reason follows the --waive ID it "
				                        "explains"));
				goto out;
			}
			wv[n - 1].reason = optarg;
		} else {
			status = 2;
			goto out;
		}
	}
	if (argc - optind != 1) {
		status = ss_cli_usage(cli, _("give one month"));
		goto out;
	}
	if ((status = ss_cli_month(cli, argv[optind])))
		goto out;
	for (i = 0; i < n; i++)
		if (wv[i].reason == NULL || *wv[i].reason == '\0') {
			status =
			    ss_cli_usage(cli, _("say why %s is waived: --waive %s --reason TEXT"),
			                 wv[i].id, wv[i].id);
			goto out;
		}
	if ((err = ss_writer_open(&wo, &w)) || (err = ss_act_close(w, argv[optind], wv, n, &res))) {
		status = ss_cli_fail(err);
		for (i = 0; i < res.nmissing; i++) {
			const struct ss_missing *m = &res.missing[i];

			fprintf(stderr, _("  %s: %zu record%s without a verdict by %s %s:"),
			        m->role, m->n, m->n == 1 ? "" : "s",
			        strchr("aeiou", m->role[0]) ? "an" : "a", m->role);
			for (k = 0; k < m->n && k < 20; k++)
				fprintf(stderr, "%s %s", k ? "," : "", m->ids[k]);
			if (m->n > 20)
				fprintf(stderr, _(" and %zu more"), m->n - 20);
			fputc('\n', stderr);
		}
		goto out;
	}
	if (cli->json)
		printf("{\"month\": \"%s\", \"closed\": true, \"records\": %zu, \"verdicts\": %zu, "
		       "\"waived\": %zu}\n",
		       argv[optind], res.records, res.verdicts, res.waived);
	else
		printf(_("%s closed: %zu sampled records, %zu verdicts, %zu waived\n"),
		       argv[optind], res.records, res.verdicts, res.waived);
	ss_cli_maybe_gc(cli, w);
out:
	ss_close_result_release(&res);
	ss_writer_close(w);
	free(wv);
	return status;
}
