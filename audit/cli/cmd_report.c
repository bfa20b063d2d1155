/*
 * cmd_report.c - `ssaudit report MONTH[..MONTH]`: read each month of the range
 * at the trail's tip, build the report, write it in the format asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "cli.h"
#include "clock.h"
#include "crypto.h"
#include "month.h"
#include "report.h"
#include "writer.h"

int cmd_report(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, 0, 'f'},
	                                     {"public", no_argument, 0, 'p'},
	                                     {"output", required_argument, 0, 'o'},
	                                     {0, 0, 0, 0}};
	struct ss_trail *t = NULL;
	struct ss_oid tip;
	struct ss_policy *pol = NULL;
	struct ss_report *r = NULL;
	struct ss_buf b = SS_BUF_INIT;
	const char *format = NULL, *output = NULL;
	char *pjson = NULL, *title = NULL;
	char from[8], to[8], m[8], policy_sha[65];
	size_t plen, n = 0, total = 0;
	bool public = false;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'p':
			public
			= true;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one month, or a range FROM..TO"));
	if (format == NULL)
		format = cli->json ? "json" : "text";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0 && strcmp(format, "html") != 0)
		return ss_cli_usage(cli, _("--format is text, json, csv or html"));
	if (ss_report_range(argv[optind], from, to) != 0)
		return ss_cli_usage(cli, "%s", ss_error_message());
	if ((err = ss_state_open(cli->trail, &t, &tip)) ||
	    (err = ss_state_policy(t, &tip, &pjson, &plen, &pol)))
		goto out;
	ss_sha256_hex(policy_sha, pjson, plen);
	title = ss_state_title(t, &tip);
	if ((err = ss_report_new(pol, title, from, to, public, &r)))
		goto out;
	r->reader = cli->as;
	r->lang = cli->lang;
	for (memcpy(m, from, 8); strcmp(m, to) <= 0; ss_report_next_month(m))
		total++;
	for (memcpy(m, from, 8); strcmp(m, to) <= 0; ss_report_next_month(m)) {
		ss_cli_progress(cli, _("reading months"), n, total);
		if ((err = ss_report_load_month(r, t, &tip, m, policy_sha, ss_cli_progress_records,
		                                (void *)cli)))
			goto out;
		n++;
	}
	if (total > 1)
		ss_cli_progress(cli, _("reading months"), n, total);
	if (r->nmonths_data == 0) {
		char words[48];

		ss_month_words_in(from, ss_lang_current(), words, sizeof(words));
		if (strcmp(from, to) == 0)
			err = ss_error_set(SS_EFAIL, _("no records have been imported for %s"),
			                   words);
		else
			err = ss_error_set(SS_EFAIL,
			                   _("no records have been imported for any month "
			                     "from %s to %s"),
			                   from, to);
		goto out;
	}
	if ((err = ss_report_finish(r)) ||
	    (err = ss_report_follow_times(r, t, &tip, ss_clock_now(NULL))))
		goto out;
	if (strcmp(format, "text") == 0)
		err = ss_report_text(r, &b);
	else if (strcmp(format, "json") == 0)
		err = ss_report_json(r, &b);
	else if (strcmp(format, "csv") == 0)
		err = ss_report_csv(r, &b);
	else
		err = ss_report_html(r, &b);
	if (err)
		goto out;
	if ((status = ss_cli_write_output(output, b.data, b.len)))
		goto done;
	if (output)
		ss_cli_note(cli,
		            public ? _("wrote the public report for %s to '%s'")
		                   : _("wrote the report for %s to '%s'"),
		            r->range, output);
	if (r->nmonths_missing)
		ss_cli_note(cli, _("%zu month%s of the range had no records imported"),
		            r->nmonths_missing, r->nmonths_missing == 1 ? "" : "s");
out:
	status = err ? ss_cli_fail(err) : 0;
done:
	ss_buf_release(&b);
	ss_report_free(r);
	free(pjson);
	free(title);
	ss_policy_free(pol);
	ss_git_free(t);
	return status;
}
