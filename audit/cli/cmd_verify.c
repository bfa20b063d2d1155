/*
 * cmd_verify.c - `ssaudit verify [--root COMMIT] [--anchor COMMIT] [--tip COMMIT]
 * [--json]`:
 * runs the core's check and says, in words a lay auditor can follow, what
 * held and what did not. Exit 0 when everything holds, 1 when anything does
 * not, 66 when there is no trail.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"
#include "trail.h"
#include "verify.h"

#define FIXED_SHOWN 10 /* commits with a fixed clock listed in the text output */

struct out {
	bool json;
	struct ss_buf problems; /* JSON array items, or text lines */
	size_t n;
};

static void on_problem(void *ctx, const char *commit, const char *path, const char *reason)
{
	struct out *o = ctx;

	if (o->json) {
		ss_buf_puts(&o->problems, o->n ? ",\n  {\"commit\": " : "\n  {\"commit\": ");
		ss_buf_json_string_or_null(&o->problems, *commit ? commit : NULL);
		ss_buf_puts(&o->problems, ", \"path\": ");
		ss_buf_json_string_or_null(&o->problems, *path ? path : NULL);
		ss_buf_puts(&o->problems, ", \"reason\": ");
		ss_buf_json_string_or_null(&o->problems, reason);
		ss_buf_puts(&o->problems, "}");
	} else {
		ss_buf_printf(&o->problems, _("PROBLEM  commit %s%s%s\n         %s\n"),
		              *commit ? commit : _("(none)"), *path ? "  " : "", path, reason);
	}
	o->n++;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(size_t n, char out[32])
{
	char digits[24];
	size_t len, i, j = 0;

	snprintf(digits, sizeof(digits), "%zu", n);
	len = strlen(digits);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[i];
	}
	out[j] = '\0';
	return out;
}

static void print_json(const struct ss_verify_summary *s, const struct out *o, bool ok)
{
	struct ss_buf b = SS_BUF_INIT;
	size_t i;

	ss_buf_printf(&b, "{\n \"ok\": %s,\n \"trail_id\": ", ok ? "true" : "false");
	ss_buf_json_string_or_null(&b, *s->trail_id ? s->trail_id : NULL);
	ss_buf_puts(&b, ",\n \"tip\": ");
	ss_buf_json_string_or_null(&b, *s->tip ? s->tip : NULL);
	ss_buf_puts(&b, ",\n \"founder\": ");
	ss_buf_json_string_or_null(&b, *s->founder ? s->founder : NULL);
	ss_buf_puts(&b, ",\n \"founder_fingerprint\": ");
	ss_buf_json_string_or_null(&b, *s->founder_fingerprint ? s->founder_fingerprint : NULL);
	ss_buf_printf(&b,
	              ",\n \"commits\": %zu,\n \"signatures\": %zu,\n \"merges\": %zu,\n"
	              " \"imports\": %zu,\n \"samples\": %zu,\n \"verdicts\": %zu,\n"
	              " \"corrections\": %zu,\n \"responses\": %zu,\n \"reveals\": %zu,\n"
	              " \"fixed_clock\": [",
	              s->commits, s->signatures, s->merges, s->imports, s->samples, s->verdicts,
	              s->corrections, s->responses, s->reveals);
	for (i = 0; i < s->nfixed; i++)
		ss_buf_printf(&b, "%s\"%s\"", i ? ", " : "", s->fixed_clock[i]);
	ss_buf_puts(&b, "],\n \"clock_warnings\": [");
	for (i = 0; i < s->nclock; i++) {
		ss_buf_printf(&b, "%s{\"commit\": \"%s\", \"reason\": ", i ? ", " : "",
		              s->clock[i].commit);
		ss_buf_json_string_or_null(&b, s->clock[i].why);
		ss_buf_puts(&b, "}");
	}
	ss_buf_puts(&b, "],\n \"problems\": [");
	if (o->problems.data != NULL)
		ss_buf_puts(&b, o->problems.data);
	ss_buf_puts(&b, o->n ? "\n ]\n}\n" : "]\n}\n");
	if (b.data != NULL)
		fputs(b.data, stdout);
	ss_buf_release(&b);
}

static void print_text(const struct ss_verify_summary *s, const struct out *o, bool ok,
                       const char *root, const char *anchor, const char *tip)
{
	char n1[32], n2[32];
	size_t i;

	if (root != NULL && ok)
		printf(_("trail id:     %s  (the published id)\n"), s->trail_id);
	else
		printf(_("trail id:     %s\n"), *s->trail_id ? s->trail_id : _("(none)"));
	if (*s->founder_fingerprint)
		printf(_("founder key:  %s (%s)\n"), s->founder_fingerprint, s->founder);
	if (tip != NULL)
		printf(_("tip checked:  %s\n"), s->tip);
	else
		printf(_("main:         %s\n"), s->tip);
	if (anchor != NULL && ok)
		printf(_("anchor:       %s is still in the history\n"), anchor);
	printf(_("checked:      %s commits, %s signatures; %zu imports, %zu samples re-derived, "
	         "%zu verdicts, %zu corrections, %zu responses, %zu merges\n"),
	       grouped(s->commits, n1), grouped(s->signatures, n2), s->imports, s->samples,
	       s->verdicts, s->corrections, s->responses, s->merges);
	if (s->reveals > 0)
		printf(
		    _("access log:   %zu uses of reveal, each logged before anything was shown\n"),
		    s->reveals);
	if (s->nfixed > 0) {
		if (s->nfixed == 1)
			printf(
			    _("fixed clock:  1 commit carries 'Ssaudit-Clock: fixed': its time was "
			      "set for a test, not read from a clock\n"));
		else
			printf(
			    _("fixed clock:  %s commits carry 'Ssaudit-Clock: fixed': their times "
			      "were set for a test, not read from a clock\n"),
			    grouped(s->nfixed, n1));
		for (i = 0; i < s->nfixed && i < FIXED_SHOWN; i++)
			printf("              %s\n", s->fixed_clock[i]);
		if (s->nfixed > FIXED_SHOWN)
			printf(_("              ... and %zu more (--json lists them all)\n"),
			       s->nfixed - FIXED_SHOWN);
	}
	if (s->nclock > 0) {
		if (s->nclock == 1)
			printf(_("dates:        1 commit is dated out of order (a warning: clocks "
			         "drift, the order of commits is what counts)\n"));
		else
			printf(
			    _("dates:        %s commits are dated out of order (a warning: clocks "
			      "drift, the order of commits is what counts)\n"),
			    grouped(s->nclock, n1));
		for (i = 0; i < s->nclock && i < FIXED_SHOWN; i++)
			printf("              %s %s\n", s->clock[i].commit, s->clock[i].why);
		if (s->nclock > FIXED_SHOWN)
			printf(_("              ... and %zu more (--json lists them all)\n"),
			       s->nclock - FIXED_SHOWN);
	}
	if (o->problems.data != NULL) {
		putchar('\n');
		fputs(o->problems.data, stdout);
		putchar('\n');
	}
	if (ok)
		printf(_("verified %s commits: every signature, permission, sample and verdict "
		         "holds\n"),
		       grouped(s->commits, n1));
	else
		printf(_("NOT VERIFIED: %s problem%s in %s commit%s (listed above)\n"),
		       grouped(s->problems, n1), s->problems == 1 ? "" : "s",
		       grouped(s->commits, n2), s->commits == 1 ? "" : "s");
}

/* A published id is a full commit id: a branch name or a short id could
 * name another commit tomorrow. */
static bool full_id(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return i == 40;
}

static void on_progress(void *ctx, size_t commits)
{
	ss_cli_progress(ctx, _("commits checked"), commits, 0);
}

int cmd_verify(struct ss_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"root", required_argument, NULL, 'r'},
	                                     {"anchor", required_argument, NULL, 'a'},
	                                     {"tip", required_argument, NULL, 't'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {0, 0, 0, 0}};
	struct ss_verify_opts vo = {NULL, NULL, NULL, on_progress, cli};
	struct ss_verify_summary sum;
	struct out o = {false, SS_BUF_INIT, 0};
	struct ss_trail *t = NULL;
	int c, err;

	ss_cli_getopt_reset();
	while ((c = ss_cli_getopt(cli, argc, argv, opts)) != -1) {
		switch (c) {
		case 'r':
			vo.root = optarg;
			break;
		case 'a':
			if (!full_id(optarg))
				return ss_cli_usage(
				    cli,
				    _("--anchor needs the full 40-digit id of the tip that "
				      "was published, not '%s'"),
				    optarg);
			vo.anchor = optarg;
			break;
		case 't':
			if (!full_id(optarg))
				return ss_cli_usage(
				    cli, _("--tip needs a full 40-digit commit id, not '%s'"),
				    optarg);
			vo.tip = optarg;
			break;
		case 'j':
			cli->json = true;
			break;
		default:
			return 2;
		}
	}
	if (optind < argc)
		return ss_cli_usage(cli, _("verify takes no arguments, only options"));
	o.json = cli->json;
	if ((err = ss_git_open_read(cli->trail, &t)) != 0)
		return ss_cli_fail(err);
	err = ss_verify_run(t, &vo, on_problem, &o, &sum);
	ss_git_free(t);
	if (sum.commits >= 256) /* ends the progress line, when there was one */
		ss_cli_progress(cli, _("commits checked"), sum.commits, sum.commits);
	if (err != 0 && err != SS_EFAIL) {
		ss_verify_summary_release(&sum);
		ss_buf_release(&o.problems);
		return ss_cli_fail(err);
	}
	if (o.json)
		print_json(&sum, &o, err == 0);
	else
		print_text(&sum, &o, err == 0, vo.root, vo.anchor, vo.tip);
	if (fflush(stdout) != 0)
		err = ss_error_set(SS_EIO, _("cannot write the output"));
	ss_verify_summary_release(&sum);
	ss_buf_release(&o.problems);
	return err == 0 ? 0 : err == SS_EFAIL ? 1 : ss_cli_fail(err);
}
