/*
 * cmd_list.c - `ssaudit list MONTH [--role ROLE] [--pending]`: the sampled
 * records, or a role's share of them (read/worklist.c says which).
 */
#include <stdlib.h>
#include <string.h>

#include "blind.h"
#include "buf.h"
#include "cli.h"
#include "month.h"
#include "worklist.h"
#include "state.h"
#include "uktime.h"

/* A sampled record's reason in the text: the id in English (as in --json), words in Welsh. */
static const char *reason_words(const char *reason)
{
	static const char *const words[][2] = {{"core", N_("core (reason)")},
	                                       {"targeted", N_("targeted (reason)")},
	                                       {"random", N_("random (reason)")},
	                                       {"always", N_("always (reason)")}};
	size_t i;

	if (ss_lang_current() == SS_LANG_EN)
		return reason;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(reason, words[i][0]) == 0)
			return _(words[i][1]);
	return reason;
}

/* One line of the table: columns padded by characters, the last one whole. */
static void line(struct ss_buf *b, const char *const col[6])
{
	static const int width[5] = {18, 8, 27, 18, 26};
	int k;

	for (k = 0; k < 5; k++)
		ss_buf_printf(b, "%s%*s ", col[k], ss_cli_pad(col[k], width[k]), "");
	ss_buf_printf(b, "%s\n", col[5]);
}

int cmd_list(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"role", required_argument, 0, 'r'}, {"pending", no_argument, 0, 'p'}, {0, 0, 0, 0}};
	struct ss_trail *t = NULL;
	struct ss_oid tip;
	struct ss_sample *s = NULL;
	struct ss_population *pop = NULL;
	const char **ids = NULL;
	const char *role = NULL, *month;
	struct ss_buf b = SS_BUF_INIT;
	char when[SS_UK_TIME_MAX];
	bool pending = false;
	size_t i, n = 0, shown = 0, hidden = 0;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'r')
			role = optarg;
		else if (c == 'p')
			pending = true;
		else
			return 2;
	}
	if (argc - optind != 1)
		return ss_cli_usage(cli, _("give one month"));
	month = argv[optind];
	if ((status = ss_cli_month(cli, month)))
		return status;
	if (pending && (!role || !cli->as))
		return ss_cli_usage(
		    cli, _("--pending needs --role and --as (whose verdicts to look for)"));
	if ((err = ss_state_open(cli->trail, &t, &tip)) ||
	    (err = ss_month_sample(t, &tip, month, &s)) ||
	    (err = ss_month_population_sampled(t, &tip, month, s, &pop)) ||
	    (err = ss_worklist_ids(s, role, &ids, &n)))
		goto out;
	if (pending)
		ss_worklist_pending(t, &tip, month, role, cli->as, ids, &n);
	if (cli->json)
		ss_buf_puts(&b, "[");
	else
		line(&b, (const char *const[6]){_("ID"), _("REASON"), _("WHEN (UK TIME)"),
		                                _("AREA"), _("OUTCOME"), _("LEGISLATION")});
	for (i = 0; i < n; i++) {
		const struct ss_record *r = ss_population_find(pop, ids[i]);
		const struct ss_sample_record *sr = ss_sample_find(s, ids[i]);

		if (cli->json) {
			ss_buf_puts(&b, shown ? ",\n {\"id\": " : "\n {\"id\": ");
			ss_buf_json_string_or_null(&b, ids[i]);
			ss_buf_puts(&b, ", \"ticket\": ");
			ss_buf_json_string_or_null(&b, sr ? sr->ticket : NULL);
			ss_buf_puts(&b, ", \"reason\": ");
			ss_buf_json_string_or_null(&b, sr ? ss_sample_reason_name(sr->reason)
			                                  : "random");
			ss_buf_puts(&b, ", \"record\": ");
			if (r)
				ss_record_to_json(r, true, &b);
			else
				ss_buf_puts(&b, "null");
			ss_buf_puts(&b, "}");
		} else {
			/* Nothing is cut short: the long values come last, whole. */
			line(&b,
			     (const char *const[6]){
			         ids[i],
			         reason_words(sr ? ss_sample_reason_name(sr->reason) : "random"),
			         r && r->str[SS_F_DATETIME]
			             ? ss_uk_datetime_in(r->str[SS_F_DATETIME], ss_lang_current(),
			                                 when, sizeof(when))
			             : "",
			         r && r->str[SS_F_AREA] ? r->str[SS_F_AREA] : "",
			         r && r->str[SS_F_OUTCOME] ? r->str[SS_F_OUTCOME] : "",
			         r && r->str[SS_F_LEGISLATION] ? r->str[SS_F_LEGISLATION] : ""});
		}
		shown++;
	}
	if (cli->json)
		ss_buf_puts(&b, shown ? "\n]\n" : "]\n");
	fputs(b.data ? b.data : "", stdout);
	if (!cli->json)
		ss_cli_note(cli, _("%zu record%s%s"), shown, shown == 1 ? "" : "s",
		            pending ? _(" still to review") : "");
	/* The list shows no verdicts; say why they are not to be found elsewhere either. */
	if (ss_blind_hidden_count(t, &tip, month, cli->as, s, ids, n, &hidden) == 0 && hidden)
		ss_cli_note(cli,
		            _("%zu of these records already have verdicts by other reviewers, "
		              "hidden from you (%s) until you record yours: the policy asks for "
		              "blind review"),
		            hidden, cli->as);
out:
	ss_buf_release(&b);
	free(ids);
	ss_population_free(pop);
	ss_sample_free(s);
	ss_git_free(t);
	return err ? ss_cli_fail(err) : 0;
}
