/*
 * cli.c - the helpers every cmd_<verb>() shares (cli.h): errors and usage to
 * stderr, option parsing, -o written whole or not at all, progress, and the
 * pack-after-write every writing command does.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "verdict.h"
#include "writer.h"
#include "layout.h"
#include "ref.h"

int ss_cli_fail(int code)
{
	const char *msg = ss_error_message();

	fprintf(stderr, "ssaudit: %s\n", *msg ? msg : _("something went wrong"));
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
		fprintf(stderr, _("usage: ssaudit %s\n(see 'ssaudit %s --help')\n"),
		        cli->cmd->synopsis, cli->cmd->name);
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

void ss_cli_warn(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ssaudit: %s ", _("warning:"));
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
			ss_cli_usage(cli, _("unknown option '-%c'"), optopt);
		else
			ss_cli_usage(cli, _("unknown option '%s'"), argv[optind - 1]);
	} else if (c == ':') {
		ss_cli_usage(cli, _("option '%s' needs a value"), argv[optind - 1]);
		c = '?';
	}
	return c;
}

static bool is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

int ss_cli_out_open(struct ss_cli_out *o, const char *path)
{
	size_t n;
	int fd;

	memset(o, 0, sizeof(*o));
	if (is_stdout(path)) {
		o->f = stdout;
		return 0;
	}
	o->path = path;
	n = strlen(path) + sizeof(".tmp-XXXXXX");
	if ((o->tmp = malloc(n)) == NULL)
		return ss_cli_fail(ss_error_nomem());
	snprintf(o->tmp, n, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(o->tmp)) < 0 || (o->f = fdopen(fd, "w")) == NULL) {
		int e = errno;

		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return ss_cli_fail(
		    ss_error_set(SS_ECANTCREAT, _("cannot create '%s': %s"), path, strerror(e)));
	}
	/* mkstemp makes it 0600; an output file gets the usual mode. */
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	return 0;
}

int ss_cli_out_close(struct ss_cli_out *o, bool ok)
{
	bool written;
	int e;

	if (o->f == NULL)
		return 0;
	if (o->tmp == NULL) {
		written = fflush(o->f) == 0 && !ferror(o->f);
		o->f = NULL;
		if (ok && !written)
			return ss_cli_fail(ss_error_set(SS_EIO, _("cannot write the output")));
		return 0;
	}
	/* e: why the file could not be written (0: it was). After a short write,
	 * errno still holds the reason the stream's error flag was set. */
	e = 0;
	if (ferror(o->f) || fflush(o->f) != 0 || fsync(fileno(o->f)) != 0)
		e = errno ? errno : EIO;
	if (fclose(o->f) != 0 && e == 0)
		e = errno;
	o->f = NULL;
	if (ok && e == 0 && rename(o->tmp, o->path) != 0)
		e = errno;
	if (!ok || e != 0)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	if (!ok || e == 0)
		return 0;
	return ss_cli_fail(ss_error_set(SS_EIO, _("cannot write '%s' (it is left as it was): %s"),
	                                o->path, strerror(e)));
}

int ss_cli_write_output(const char *path, const void *data, size_t len)
{
	struct ss_cli_out o;
	int status;

	if ((status = ss_cli_out_open(&o, path)) != 0)
		return status;
	fwrite(data, 1, len, o.f); /* a short write sets the stream's error flag */
	return ss_cli_out_close(&o, true);
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

void ss_cli_progress_records(void *arg, size_t records, bool done)
{
	/* A small month reads in a blink: only what took a while ends with a line. */
	if (!done || records >= 50000)
		ss_cli_progress(arg, _("reading records"), records, done ? records : 0);
}

int ss_cli_month(const struct ss_cli *cli, const char *m)
{
	if (ss_layout_month_valid(m))
		return 0;
	return ss_cli_usage(cli, _("'%s' is not a month: write it as YYYY-MM, e.g. 2019-06"),
	                    m ? m : "");
}

int ss_cli_record(const struct ss_cli *cli, const char *month, const char *id, const char *ref,
                  char buf[SS_ID_LEN + 1], const char **out)
{
	int err;

	*out = id;
	if (ref == NULL)
		return 0;
	if (id != NULL)
		return ss_cli_usage(cli, _("give the record's id or --ref REFERENCE, not both"));
	if ((err = ss_ref_find(cli->trail, month, ref, buf)))
		return ss_cli_fail(err);
	*out = buf;
	return 0;
}

void ss_cli_diags(const struct ss_diags *diags)
{
	size_t k;

	for (k = 0; k < diags->n; k++)
		fprintf(stderr, "ssaudit: %s:%zu:%zu: %s\n", diags->d[k].file, diags->d[k].line,
		        diags->d[k].col, diags->d[k].msg);
	if (diags->total > diags->n)
		fprintf(stderr, _("ssaudit: ... and %zu more problems\n"), diags->total - diags->n);
}

/* After a successful write: pack loose objects when they have piled up. */
void ss_cli_maybe_gc(const struct ss_cli *cli, struct ss_writer *w)
{
	size_t packed = 0;

	if (ss_writer_maybe_gc(w, 0, &packed) != 0)
		ss_cli_note(cli,
		            _("note: could not pack the trail's loose objects (%s); run "
		              "'ssaudit gc' later"),
		            ss_error_message());
	else if (packed)
		ss_cli_note(cli, _("packed %zu loose objects"), packed);
}

int ss_cli_pad(const char *s, int width)
{
	int chars = 0;

	for (; *s; s++)
		chars += ((unsigned char)*s & 0xC0) != 0x80; /* not a continuation byte */
	return chars < width ? width - chars : 0;
}
