#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

int ss_cli_fail(int code)
{
	const char *msg = ss_error_message();

	fprintf(stderr, "ssaudit: %s\n", *msg ? msg : "something went wrong");
	return ss_error_exit_status(code);
}

int ss_cli_usage(const struct ss_cli *cli, const char *fmt, ...)
{
	va_list ap;

	fputs("ssaudit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cli && cli->cmd)
		fprintf(stderr, "usage: ssaudit %s\n(see 'ssaudit %s --help')\n", cli->cmd->synopsis,
			cli->cmd->name);
	return 2;
}

void ss_cli_note(const struct ss_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (cli && cli->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ss_cli_getopt_reset(void)
{
	optind = 0; /* GNU getopt: full re-initialisation */
	opterr = 0;
}

static char *shortopts(const struct option *opts)
{
	static char s[128];
	size_t n = 0;

	s[n++] = ':';
	for (; opts->name && n + 3 < sizeof(s); opts++) {
		if (opts->flag || opts->val <= 0 || opts->val > 127)
			continue;
		s[n++] = (char)opts->val;
		if (opts->has_arg == required_argument)
			s[n++] = ':';
	}
	s[n] = '\0';
	return s;
}

int ss_cli_getopt(const struct ss_cli *cli, int argc, char **argv, const struct option *opts)
{
	int c = getopt_long(argc, argv, shortopts(opts), opts, NULL);

	if (c == '?') {
		if (optopt)
			ss_cli_usage(cli, "unknown option '-%c'", optopt);
		else
			ss_cli_usage(cli, "unknown option '%s'", argv[optind - 1]);
	} else if (c == ':') {
		ss_cli_usage(cli, "option '%s' needs a value", argv[optind - 1]);
		c = '?';
	}
	return c;
}

FILE *ss_cli_open_output(const char *path)
{
	FILE *f;

	if (path == NULL || strcmp(path, "-") == 0)
		return stdout;
	f = fopen(path, "w");
	if (f == NULL)
		ss_error_set(SS_ECANTCREAT, "cannot create '%s': %s", path, strerror(errno));
	return f;
}

int ss_cli_close_output(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (f == stdout) {
		if (fflush(f) != 0 || bad)
			return ss_cli_fail(ss_error_set(SS_EIO, "cannot write the output"));
		return 0;
	}
	if (fclose(f) != 0 || bad)
		return ss_cli_fail(ss_error_set(SS_EIO, "cannot write '%s'", path));
	return 0;
}

void ss_cli_progress(const struct ss_cli *cli, const char *label, size_t done, size_t total)
{
	if (cli->quiet || !isatty(STDERR_FILENO))
		return;
	if (total)
		fprintf(stderr, "\r%s: %zu/%zu%s", label, done, total, done >= total ? "\n" : "");
	else
		fprintf(stderr, "\r%s: %zu", label, done);
	fflush(stderr);
}

int ss_cli_month(const struct ss_cli *cli, const char *m)
{
	if (m && strlen(m) == 7 && m[4] == '-' && m[0] >= '1' && m[0] <= '9' && m[1] >= '0' &&
	    m[1] <= '9' && m[2] >= '0' && m[2] <= '9' && m[3] >= '0' && m[3] <= '9' &&
	    ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') || (m[5] == '1' && m[6] >= '0' && m[6] <= '2')))
		return 0;
	return ss_cli_usage(cli, "'%s' is not a month: write it as YYYY-MM, e.g. 2019-06",
			    m ? m : "");
}
