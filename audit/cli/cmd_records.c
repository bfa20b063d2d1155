/*
 * cmd_records.c - import and show.
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "cli.h"
#include "home.h"
#include "month.h"
#include "pseudonym.h"
#include "reader.h"
#include "registry.h"
#include "verdict.h"
#include "writer.h"

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
			fprintf(stderr, "ssaudit: %s\n", ss_error_message());
		ss_cli_progress(cli, "reading", (size_t)i + 1, (size_t)nfiles);
	}
	for (size_t k = 0; k < diags.n; k++)
		fprintf(stderr, "ssaudit: %s:%zu:%zu: %s\n", diags.d[k].file, diags.d[k].line,
			diags.d[k].col, diags.d[k].msg);
	if (diags.total > diags.n)
		fprintf(stderr, "ssaudit: ... and %zu more errors\n", diags.total - diags.n);
	if (first == SS_EDATA)
		err = ss_error_set(SS_EDATA, "nothing was imported: fix the errors above and try again");
	else
		err = first;
	ss_diags_release(&diags);
	return err;
}

int cmd_import(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, 0, 'f'},
					     {"replace", no_argument, 0, 'r'},
					     {0, 0, 0, 0}};
	struct ss_writer_opts wo = {cli->trail, cli->home, cli->as};
	struct ss_writer *w = NULL;
	struct ss_population *pop = NULL;
	struct ss_pseudo *ps = NULL;
	struct ss_policy *pol = NULL;
	struct ss_trail *t = NULL;
	struct ss_read_opts ro = {0};
	struct ss_oid tip;
	char *pspath = NULL, *pjson = NULL, *trail_fp = NULL;
	const char *month;
	char fp[33];
	bool replace = false, unchanged = false;
	size_t plen;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		if (c == 'f') {
			if (ss_format_lookup(optarg, &ro.format))
				return ss_cli_usage(cli, "unknown format '%s'", optarg);
		} else if (c == 'r') {
			replace = true;
		} else {
			return 2;
		}
	}
	if (argc - optind < 2)
		return ss_cli_usage(cli, "give a month and at least one file");
	month = argv[optind];
	if ((status = ss_cli_month(cli, month)))
		return status;
	if (cli->as == NULL)
		return ss_cli_usage(cli, "say who is importing with --as HANDLE");
	/* Cheap refusals first, without the lock: the key must be the trail's. */
	if ((err = ss_home_pseudonym_path(cli->home, &pspath)) ||
	    (err = ss_pseudo_key_load(pspath, &ps))) {
		if (err == SS_ENOINPUT)
			err = ss_error_set(SS_EPERM,
					   "no pseudonym key at '%s': import on the machine that "
					   "holds the trail's key",
					   pspath);
		goto out;
	}
	ss_pseudo_fingerprint(ps, fp);
	if ((err = ss_month_open(cli->trail, &t, &tip)) ||
	    (err = ss_trail_fingerprint_at(t, &tip, &trail_fp)) ||
	    (err = ss_load_policy_at(t, &tip, &pjson, &plen, &pol)))
		goto out;
	if (strcmp(fp, trail_fp) != 0) {
		err = ss_error_set(SS_EPERM,
				   "this pseudonym key (fingerprint %s) is not the trail's (%s): "
				   "import on the machine that holds the trail's key",
				   fp, trail_fp);
		goto out;
	}
	/* Reading is the long part: do it before taking the trail's lock. */
	ro.pseudo = ps;
	ro.pseudonymise_officer = pol->officer_pseudonymised;
	if ((err = ss_population_new(&pop)) ||
	    (err = read_all(cli, argv + optind + 1, argc - optind - 1, &ro, pop)) ||
	    (err = ss_population_assign_ids(pop)))
		goto out;
	if ((err = ss_writer_open(&wo, &w)))
		goto out;
	if (w->policy->officer_pseudonymised != pol->officer_pseudonymised) {
		err = ss_error_set(SS_EBUSY, "the policy changed while the files were read; try again");
		goto out;
	}
	if ((err = ss_act_import(w, month, pop, fp, replace, &unchanged)))
		goto out;
	if (cli->json)
		printf("{\"month\": \"%s\", \"records\": %zu, \"files\": %zu, \"unchanged\": %s}\n",
		       month, pop->n, pop->nsources, unchanged ? "true" : "false");
	else if (unchanged)
		printf("%s: the same %zu records are already imported; nothing recorded\n", month,
		       pop->n);
	else
		printf("%s: imported %zu records from %zu file%s\n", month, pop->n, pop->nsources,
		       pop->nsources == 1 ? "" : "s");
out:
	ss_writer_close(w);
	ss_trail_free(t);
	ss_population_free(pop);
	ss_pseudo_free(ps);
	ss_policy_free(pol);
	free(pspath);
	free(pjson);
	free(trail_fp);
	return err ? ss_cli_fail(err) : 0;
}

static void show_value(const struct ss_record *r, enum ss_field f)
{
	if (ss_field_type(f) == SS_FT_BOOL)
		printf("%-36s %s\n", ss_field_name(f),
		       r->tri[f] == SS_TRI_TRUE ? "true" : r->tri[f] == SS_TRI_FALSE ? "false" : "(blank)");
	else
		printf("%-36s %s\n", ss_field_name(f), r->str[f] ? r->str[f] : "(blank)");
}

static void rule_value_text(const struct ss_rule_value *v, char *out, size_t n)
{
	if (v->kind == SS_RV_STRING)
		snprintf(out, n, "%s", v->s);
	else if (v->kind == SS_RV_BOOL)
		snprintf(out, n, "%s", v->b ? "true" : "false");
	else
		snprintf(out, n, "(blank)");
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

/* "2019-07-02 10:15:00 UTC" from a correction's YYYYMMDDThhmmssZ. */
static void correction_time(const char *t, char *out, size_t n)
{
	snprintf(out, n, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", t, t + 4, t + 6, t + 9, t + 11,
		 t + 13);
}

/*
 * Blind review: a reviewer (--as, whose role records verdicts) who has not
 * recorded a verdict on this record does not see the others' verdicts, when
 * the policy says blind. Anyone with the trail can still read them with git;
 * this only keeps a panel member's first judgement their own.
 */
static bool hide_verdicts(const struct ss_cli *cli, const struct ss_policy *pol,
			  const struct ss_registry *reg, const struct ss_verdict *v, size_t n)
{
	const struct ss_reviewer *me;
	const struct ss_role *role;
	size_t i;

	if (pol == NULL || !pol->blind || cli->as == NULL || reg == NULL)
		return false;
	me = ss_registry_find(reg, cli->as);
	if (me == NULL || (role = ss_policy_role(pol, me->role)) == NULL ||
	    !ss_role_may(role, SS_MAY_REVIEW))
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(v[i].reviewer, cli->as) == 0)
			return false;
	return true;
}

int cmd_show(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{0, 0, 0, 0}};
	struct ss_trail *t = NULL;
	struct ss_population *pop = NULL;
	struct ss_sample *s = NULL;
	struct ss_policy *pol = NULL;
	struct ss_registry *reg = NULL;
	struct ss_month_state *st = NULL;
	const struct ss_record *r;
	const struct ss_sample_record *sr = NULL;
	const struct ss_verdict *vs = NULL;
	const struct ss_correction *cs = NULL;
	const struct ss_waiver *wv = NULL;
	struct ss_rule_value cur[2];
	static const enum ss_field correctable[2] = {SS_F_OUTCOME, SS_F_OUTCOME_LINKED};
	struct ss_oid tip;
	char *pjson = NULL, a[512], b[512], when[32];
	size_t plen, nv = 0, nc = 0, i, k;
	bool hidden = false;
	int c, err, status;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1)
		if (c == '?')
			return 2;
	if (argc - optind != 2)
		return ss_cli_usage(cli, "give a month and a record id");
	if ((status = ss_cli_month(cli, argv[optind])))
		return status;
	if ((err = ss_month_open(cli->trail, &t, &tip)) ||
	    (err = ss_month_population(t, &tip, argv[optind], NULL, NULL, &pop)))
		goto out;
	if ((r = ss_population_find(pop, argv[optind + 1])) == NULL) {
		err = ss_error_set(SS_EFAIL, "there is no record '%s' in %s", argv[optind + 1],
				   argv[optind]);
		goto out;
	}
	if (ss_month_sample(t, &tip, argv[optind], &s) == 0)
		sr = ss_sample_find(s, r->id);
	if ((err = ss_load_policy_at(t, &tip, &pjson, &plen, &pol)) ||
	    (err = ss_registry_load(t, &tip, &reg)) ||
	    (err = ss_month_state_load(t, &tip, argv[optind], &st)))
		goto out;
	vs = ss_month_verdicts(st, r->id, &nv);
	cs = ss_month_corrections(st, r->id, &nc);
	wv = ss_month_waiver(st, r->id);
	hidden = hide_verdicts(cli, pol, reg, vs, nv);
	for (k = 0; k < 2; k++)
		cur[k] = ss_month_current(st, r, correctable[k]);
	if (cli->json) {
		struct ss_buf o = SS_BUF_INIT;

		ss_buf_puts(&o, "{\"record\": ");
		ss_record_to_json(r, true, &o);
		ss_buf_puts(&o, ", \"sampled\": ");
		ss_buf_puts(&o, sr ? "true" : "false");
		ss_buf_puts(&o, ", \"reason\": ");
		ss_buf_json_string_or_null(&o, sr ? (sr->always ? "always" : "random") : NULL);
		ss_buf_puts(&o, ", \"current\": {");
		for (k = 0; k < 2; k++) {
			ss_buf_printf(&o, "%s\"%s\": ", k ? ", " : "", ss_field_name(correctable[k]));
			rule_value_json(&o, &cur[k]);
		}
		ss_buf_puts(&o, "}, \"corrections\": [");
		for (i = 0; i < nc; i++) {
			ss_buf_puts(&o, i ? ", {\"time\": " : "{\"time\": ");
			ss_buf_json_string_or_null(&o, cs[i].time);
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
		if (wv) {
			ss_buf_puts(&o, "{\"by\": ");
			ss_buf_json_string_or_null(&o, wv->by);
			ss_buf_puts(&o, ", \"reason\": ");
			ss_buf_json_string_or_null(&o, wv->reason);
			ss_buf_puts(&o, "}");
		} else {
			ss_buf_puts(&o, "null");
		}
		ss_buf_printf(&o, ", \"verdicts_hidden\": %zu, \"verdicts\": [", hidden ? nv : 0);
		for (i = 0; !hidden && i < nv; i++) {
			struct ss_buf one = SS_BUF_INIT;

			ss_verdict_to_json(&vs[i], pol, &one);
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
		goto out;
	}
	printf("%-36s %s\n", "id", r->id);
	for (int f = 0; f < SS_F_COUNT; f++)
		show_value(r, (enum ss_field)f);
	printf("%-36s %s\n", "sampled",
	       s == NULL ? "not yet drawn" : sr ? (sr->always ? "yes (always)" : "yes (random)") : "no");
	if (nc) {
		printf("\ncurrent values (after %zu correction%s; the imported values above stay "
		       "as they were):\n",
		       nc, nc == 1 ? "" : "s");
		for (k = 0; k < 2; k++) {
			rule_value_text(&cur[k], a, sizeof(a));
			printf("%-36s %s\n", ss_field_name(correctable[k]), a);
		}
		printf("\ncorrections, oldest first:\n");
		for (i = 0; i < nc; i++) {
			correction_time(cs[i].time, when, sizeof(when));
			printf("  %s by %s:", when, cs[i].by);
			for (k = 0; k < cs[i].nchanges; k++) {
				rule_value_text(&cs[i].changes[k].from, a, sizeof(a));
				rule_value_text(&cs[i].changes[k].to, b, sizeof(b));
				printf("%s %s from '%s' to '%s'", k ? ";" : "",
				       ss_field_name(cs[i].changes[k].field), a, b);
			}
			printf("\n    reason: %s\n", cs[i].reason);
		}
	}
	if (wv)
		printf("\nwaived at sign-off by %s: %s\n", wv->by, wv->reason);
	if (hidden) {
		printf("\nverdicts: %zu hidden until you (%s) record yours: the policy asks for blind "
		       "review, so that each reviewer's judgement is their own\n",
		       nv, cli->as);
	} else if (nv == 0) {
		printf("\nverdicts: none yet\n");
	} else {
		printf("\nverdicts (%zu):\n", nv);
		for (i = 0; i < nv; i++) {
			printf("  %s (%s):", vs[i].reviewer, vs[i].role);
			for (k = 0; k < vs[i].nanswers; k++)
				printf("%s %s %s", k ? "," : "", vs[i].answers[k].question,
				       vs[i].answers[k].value);
			if (strcmp(vs[i].entered_by, vs[i].reviewer) != 0)
				printf(" (entered by %s)", vs[i].entered_by);
			printf("\n");
			if (vs[i].note)
				printf("    note: %s\n", vs[i].note);
		}
	}
	if (st->closed)
		printf("\n%s is closed (signed off by %s)\n", argv[optind],
		       st->closed_by ? st->closed_by : "someone");
out:
	ss_month_state_free(st);
	ss_registry_free(reg);
	ss_policy_free(pol);
	free(pjson);
	ss_sample_free(s);
	ss_population_free(pop);
	ss_trail_free(t);
	return err ? ss_cli_fail(err) : 0;
}
