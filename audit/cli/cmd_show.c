/*
 * cmd_show.c - `ssaudit show MONTH ID`: one pseudonymised record, its
 * corrections and its verdicts (read/show.c gathers them and applies the
 * blind rule; this file only prints).
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "show.h"
#include "uktime.h"

/* A field as the text names it: its id in English (as in --json and the
 * policy), its words in Welsh. */
static const char *label(enum ss_field f)
{
	return ss_lang_current() == SS_LANG_EN ? ss_field_name(f) : _(ss_field_words(f));
}

/* "%-36s %s\n" with the label padded by characters, not bytes (wider for
 * the Welsh words, the longest of which has 39). */
static void row(const char *name, const char *value)
{
	printf("%s%*s %s\n", name, ss_cli_pad(name, ss_lang_current() == SS_LANG_EN ? 36 : 40), "",
	       value);
}

/* A value in words for the text: a correction's or a current value. */
static void value_words(const struct ss_rule_value *v, char *out, size_t n)
{
	if (v->kind == SS_RV_BOOL)
		snprintf(out, n, "%s", v->b ? _("true") : _("false"));
	else if (v->kind == SS_RV_STRING)
		ss_rule_value_words(v, false, out, n);
	else
		snprintf(out, n, "%s", _("(blank)"));
}

static void show_value(const struct ss_record *r, enum ss_field f)
{
	char when[SS_UK_TIME_MAX], line[SS_UK_TIME_MAX + 256];

	if (f == SS_F_DATETIME && r->str[f] &&
	    strcmp(ss_uk_datetime_in(r->str[f], ss_lang_current(), when, sizeof(when)),
	           r->str[f]) != 0) {
		snprintf(line, sizeof(line), _("%s (recorded as %s)"), when, r->str[f]);
		row(label(f), line);
	} else if (ss_field_type(f) == SS_FT_BOOL) {
		row(label(f), r->tri[f] == SS_TRI_TRUE    ? _("true")
		              : r->tri[f] == SS_TRI_FALSE ? _("false")
		                                          : _("(blank)"));
	} else {
		row(label(f), r->str[f] ? r->str[f] : _("(blank)"));
	}
}

static void rule_value_json(struct ss_buf *b, const struct ss_rule_value *v)
{
	if (v->kind == SS_RV_STRING)
		ss_buf_json_string_or_null(b, v->s);
	else if (v->kind == SS_RV_BOOL)
		ss_buf_puts(b, v->b ? "true" : "false");
	else
		ss_buf_puts(b, "null");
}

static void show_json(const struct ss_show *sh)
{
	const struct ss_record *r = sh->record;
	const struct ss_sample_record *sr = sh->sampled;
	const struct ss_correction *cs = sh->corrections;
	const struct ss_verdict *vs = sh->verdicts;
	struct ss_buf o = SS_BUF_INIT;
	char when[SS_UK_TIME_MAX];
	size_t i, k;

	ss_buf_puts(&o, "{\"record\": ");
	ss_record_to_json(r, true, &o);
	ss_buf_puts(&o, ", \"when\": ");
	ss_buf_json_string_or_null(
	    &o, r->str[SS_F_DATETIME] ? ss_uk_datetime(r->str[SS_F_DATETIME], when, sizeof(when))
	                              : NULL);
	ss_buf_puts(&o, ", \"sampled\": ");
	ss_buf_puts(&o, sr ? "true" : "false");
	ss_buf_puts(&o, ", \"reason\": ");
	ss_buf_json_string_or_null(&o, sr ? ss_sample_reason_name(sr->reason) : NULL);
	ss_buf_puts(&o, ", \"current\": {");
	for (k = 0; k < SS_SHOW_NCURRENT; k++) {
		ss_buf_printf(&o, "%s\"%s\": ", k ? ", " : "",
		              ss_field_name(ss_show_current_fields[k]));
		rule_value_json(&o, &sh->current[k]);
	}
	ss_buf_puts(&o, "}, \"corrections\": [");
	for (i = 0; i < sh->ncorrections; i++) {
		ss_buf_printf(&o, "%s{\"number\": %u", i ? ", " : "", cs[i].number);
		ss_buf_puts(&o, ", \"by\": ");
		ss_buf_json_string_or_null(&o, cs[i].by);
		ss_buf_puts(&o, ", \"reason\": ");
		ss_buf_json_string_or_null(&o, cs[i].reason);
		ss_buf_puts(&o, ", \"changes\": [");
		for (k = 0; k < cs[i].nchanges; k++) {
			ss_buf_printf(&o, "%s{\"field\": \"%s\", \"from\": ", k ? ", " : "",
			              ss_field_name(cs[i].changes[k].field));
			rule_value_json(&o, &cs[i].changes[k].from);
			ss_buf_puts(&o, ", \"to\": ");
			rule_value_json(&o, &cs[i].changes[k].to);
			ss_buf_puts(&o, "}");
		}
		ss_buf_puts(&o, "]}");
	}
	ss_buf_puts(&o, "], \"waiver\": ");
	if (sh->waiver) {
		ss_buf_puts(&o, "{\"by\": ");
		ss_buf_json_string_or_null(&o, sh->waiver->by);
		ss_buf_puts(&o, ", \"reason\": ");
		ss_buf_json_string_or_null(&o, sh->waiver->reason);
		ss_buf_puts(&o, "}");
	} else {
		ss_buf_puts(&o, "null");
	}
	ss_buf_puts(&o, ", \"responses\": [");
	for (i = 0; i < sh->nresponses; i++) {
		ss_buf_printf(&o, "%s{\"number\": %u, \"action\": ", i ? ", " : "",
		              sh->responses[i].number);
		ss_buf_json_string_or_null(&o, sh->responses[i].action);
		ss_buf_puts(&o, ", \"note\": ");
		ss_buf_json_string_or_null(&o, sh->responses[i].note);
		ss_buf_puts(&o, ", \"by\": ");
		ss_buf_json_string_or_null(&o, sh->responses[i].by);
		ss_buf_puts(&o, "}");
	}
	ss_buf_puts(&o, "]");
	ss_buf_printf(&o, ", \"verdicts_hidden\": %zu, \"verdicts\": [",
	              sh->verdicts_hidden ? sh->nverdicts : 0);
	for (i = 0; !sh->verdicts_hidden && i < sh->nverdicts; i++) {
		struct ss_buf one = SS_BUF_INIT;

		ss_verdict_to_json(&vs[i], sh->policy, &one);
		/* The file's own JSON, made compact enough to sit in a list. */
		ss_buf_puts(&o, i ? ", " : "");
		for (k = 0; k < one.len; k++)
			if (one.data[k] != '\n')
				ss_buf_putc(&o, one.data[k]);
		ss_buf_release(&one);
	}
	ss_buf_puts(&o, "]}\n");
	fputs(o.data ? o.data : "", stdout);
	ss_buf_release(&o);
}

static void show_text(const struct ss_cli *cli, const char *month, const struct ss_show *sh)
{
	const struct ss_record *r = sh->record;
	const struct ss_sample_record *sr = sh->sampled;
	const struct ss_correction *cs = sh->corrections;
	const struct ss_verdict *vs = sh->verdicts;
	size_t i, k, nc = sh->ncorrections, nv = sh->nverdicts;
	char a[512], b[512];

	row(_("id"), r->id);
	for (int f = 0; f < SS_F_COUNT; f++)
		show_value(r, (enum ss_field)f);
	row(_("sampled"),
	    !sh->drawn ? _("not yet drawn")
	    : sr       ? (sr->reason == SS_REASON_CORE       ? _("yes (random core)")
	                  : sr->reason == SS_REASON_TARGETED ? _("yes (picked out by a rule)")
	                  : sr->always                       ? _("yes (always)")
	                                                     : _("yes (random)"))
	               : _("no"));
	if (nc) {
		printf(nc == 1
		           ? _("\ncurrent values (after %zu correction; the imported values above "
		               "stay as they were):\n")
		           : _("\ncurrent values (after %zu corrections; the imported values "
		               "above stay as they were):\n"),
		       nc);
		for (k = 0; k < SS_SHOW_NCURRENT; k++) {
			value_words(&sh->current[k], a, sizeof(a));
			row(label(ss_show_current_fields[k]), a);
		}
		printf(_("\ncorrections, oldest first:\n"));
		for (i = 0; i < nc; i++) {
			printf(_("  %u. by %s:"), cs[i].number, cs[i].by);
			for (k = 0; k < cs[i].nchanges; k++) {
				value_words(&cs[i].changes[k].from, a, sizeof(a));
				value_words(&cs[i].changes[k].to, b, sizeof(b));
				printf(_("%s %s from '%s' to '%s'"), k ? ";" : "",
				       label(cs[i].changes[k].field), a, b);
			}
			printf(_("\n    reason: %s\n"), cs[i].reason);
		}
	}
	if (sh->waiver)
		printf(_("\nwaived at sign-off by %s: %s\n"), sh->waiver->by, sh->waiver->reason);
	if (sh->verdicts_hidden) {
		printf(_("\nverdicts: %zu hidden until you (%s) record yours: the policy asks for "
		         "blind review, so that each reviewer's judgement is their own\n"),
		       nv, cli->as);
	} else if (nv == 0) {
		printf("%s", _("\nverdicts: none yet\n"));
	} else {
		printf(_("\nverdicts (%zu):\n"), nv);
		for (i = 0; i < nv; i++) {
			printf("  %s (%s):", vs[i].reviewer, ss_role_words(vs[i].role));
			for (k = 0; k < vs[i].nanswers; k++)
				printf("%s %s %s", k ? "," : "", vs[i].answers[k].question,
				       vs[i].answers[k].value);
			if (strcmp(vs[i].entered_by, vs[i].reviewer) != 0)
				printf(_(" (entered by %s)"), vs[i].entered_by);
			printf("\n");
			if (vs[i].note)
				printf(_("    note: %s\n"), vs[i].note);
		}
	}
	if (sh->nresponses)
		printf("%s", _("\nthe force's responses (follow-up), oldest first:\n"));
	for (i = 0; i < sh->nresponses; i++) {
		const char *said =
		    ss_policy_response_words(sh->policy, sh->responses[i].action,
		                             ss_lang_current() == SS_LANG_EN ? "en" : "cy");

		printf(_("  %u. by %s:"), sh->responses[i].number, sh->responses[i].by);
		printf(" %s", said);
		if (strcmp(said, sh->responses[i].action) != 0)
			printf(" (%s)", sh->responses[i].action);
		printf("\n");
		if (sh->responses[i].note)
			printf(_("    note: %s\n"), sh->responses[i].note);
	}
	if (sh->closed)
		printf(_("\n%s is closed (signed off by %s)\n"), month,
		       sh->closed_by ? sh->closed_by : _("someone"));
}

int cmd_show(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"ref", required_argument, 0, 'R'}, {0, 0, 0, 0}};
	struct ss_show *sh = NULL;
	const char *ref = NULL, *id;
	char buf[SS_ID_LEN + 1];
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'R')
			ref = optarg;
		else
			return 2;
	}
	if (argc - optind != (ref ? 1 : 2))
		return ss_cli_usage(cli,
		                    ref ? _("give a month, and the record by its id or --ref, "
		                            "not both")
		                        : _("give a month and a record id (or --ref REFERENCE)"));
	if ((status = ss_cli_month(cli, argv[optind])) ||
	    (status =
	         ss_cli_record(cli, argv[optind], ref ? NULL : argv[optind + 1], ref, buf, &id)))
		return status;
	if ((err = ss_show_load(cli->trail, argv[optind], id, cli->as, &sh)))
		return ss_cli_fail(err);
	if (cli->json)
		show_json(sh);
	else
		show_text(cli, argv[optind], sh);
	ss_show_free(sh);
	return 0;
}
