/*
 * demo.c - the machinery of `ssaudit demo` (demo.h): each step runs this very
 * program as a child, as a user would type it, with no shell in between.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"
#include "lang.h"
#include "error.h"
#include "layout.h"

/* Start `ssaudit ARGS` (args[0] is "ssaudit") on the demo's trail and home as
 * HANDLE (NULL: nobody), its output to out_fd (-1: this process's). No shell:
 * the demo's folder may have any name. 0 when it started (reap it), or -1. */
static int spawn(const struct ss_demo *d, const char *as, char *const *args, int out_fd, pid_t *pid)
{
	if ((*pid = fork()) == 0) {
		if (out_fd >= 0 && dup2(out_fd, STDOUT_FILENO) < 0)
			_exit(127);
		setenv("SSAUDIT_TRAIL", d->trail, 1);
		setenv("SSAUDIT_HOME", d->home, 1);
		if (as)
			setenv("SSAUDIT_AS", as, 1);
		else
			unsetenv("SSAUDIT_AS");
		execv(d->exe, args);
		_exit(127);
	}
	return *pid < 0 ? -1 : 0;
}

/* Wait for what spawn started: its exit status, or -1. */
static int reap(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Run `ssaudit ARGS...` as HANDLE (NULL: nobody), echoing the command line. */
int ss_demo_run(struct ss_demo *d, const char *as, const char *what, ...)
{
	char *args[40];
	int n = 0;
	va_list ap;
	pid_t pid;

	printf("\n== %s\n$ ssaudit", what);
	if (as)
		printf(" --as %s", as);
	args[n++] = "ssaudit";
	va_start(ap, what);
	for (char *a; n < 38 && (a = va_arg(ap, char *)) != NULL;) {
		args[n++] = a;
		printf(strpbrk(a, " \"'") ? " '%s'" : " %s", a);
	}
	va_end(ap);
	args[n] = NULL;
	printf("\n");
	fflush(stdout);
	if (spawn(d, as, args, -1, &pid) != 0 || reap(pid) != 0) {
		fprintf(stderr, _("ssaudit: demo step failed: %s\n"), what);
		d->failed = 1;
		return -1;
	}
	return 0;
}

/* Stock git checks the newest commits' signatures, as an auditor would. When
 * git is not installed, the commands are shown for the reader to run. */
void ss_demo_stock_git_log(const struct ss_demo *d, const char *dir)
{
	static const char script[] =
	    "git --git-dir \"$1\" show main:allowed_signers >\"$2\" && "
	    "git --git-dir \"$1\" -c gpg.ssh.allowedSignersFile=\"$2\" log -3 --show-signature";
	char signers[4200];
	pid_t pid;

	snprintf(signers, sizeof(signers), "%s/" SS_LAYOUT_SIGNERS, dir);
	printf("%s",
	       _("\n== anyone can check every signature with stock git (here the newest three)\n"));
	printf("$ git --git-dir %s show main:allowed_signers > %s\n"
	       "$ git --git-dir %s -c gpg.ssh.allowedSignersFile=%s log -3 --show-signature\n",
	       d->trail, signers, d->trail, signers);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		setenv("GIT_PAGER", "cat", 1);
		execlp("sh", "sh", "-c", script, "sh", d->trail, signers, (char *)NULL);
		_exit(127);
	}
	if (reap(pid) != 0)
		printf(_("(git is not installed here, or could not run: the commands above are "
		         "what to type where it is)\n"));
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The demo's folder: new, empty, or one an earlier demo made (then cleared). */
int ss_demo_prepare_dir(const char *dir)
{
	char marker[4096];
	struct stat st;

	snprintf(marker, sizeof(marker), "%s/.ssaudit-demo", dir);
	if (stat(dir, &st) == 0) {
		if (access(marker, F_OK) == 0)
			nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		else if (rmdir(dir) != 0 && errno != ENOENT)
			return ss_error_set(
			    SS_ECANTCREAT,
			    _("'%s' exists and was not made by an earlier demo; name "
			      "a new folder"),
			    dir);
	}
	if (mkdir(dir, 0700) != 0)
		return ss_error_set(SS_ECANTCREAT, _("cannot create '%s': %s"), dir,
		                    strerror(errno));
	{
		FILE *f = fopen(marker, "w");

		if (f == NULL)
			return ss_error_set(SS_ECANTCREAT, _("cannot write in '%s'"), dir);
		fputs("made by ssaudit demo; the next demo run here clears this folder\n", f);
		fclose(f);
	}
	return 0;
}

int ss_demo_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		return ss_error_set(SS_ECANTCREAT, _("cannot write '%s'"), path);
	return 0;
}

/*
 * Run ssaudit ARGV (NULL-terminated, without the program) on the demo's trail
 * and home, and keep in out (n bytes) the first line of its output that starts
 * with `prefix` and contains `needle`, without its newline ("" when none).
 * Returns its exit status, or -1.
 */
static int capture(const struct ss_demo *d, const char *const *argv, const char *prefix,
                   const char *needle, char *out, size_t n)
{
	char line[4096], *args[16];
	int fds[2];
	size_t k = 0;
	pid_t pid;
	FILE *p;

	out[0] = '\0';
	args[k++] = "ssaudit";
	for (; *argv != NULL && k < 15; argv++)
		args[k++] = (char *)*argv;
	args[k] = NULL;
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC); /* the child keeps only its stdout */
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	spawn(d, NULL, args, fds[1], &pid);
	close(fds[1]);
	if (pid > 0 && (p = fdopen(fds[0], "r")) != NULL) {
		while (fgets(line, sizeof(line), p))
			if (out[0] == '\0' && strncmp(line, prefix, strlen(prefix)) == 0 &&
			    strstr(line, needle) != NULL) {
				line[strcspn(line, "\n")] = '\0';
				snprintf(out, n, "%s", line);
			}
		fclose(p);
	} else {
		close(fds[0]);
	}
	return reap(pid);
}

/* keygen HANDLE, shown; the public key line it prints, or NULL. */
char *ss_demo_capture_key(struct ss_demo *d, const char *handle)
{
	static char line[512];
	const char *argv[] = {"-q", "keygen", handle, NULL};

	printf(_("\n== %s makes a signing key\n"), handle);
	printf("$ ssaudit keygen %s\n", handle);
	fflush(stdout);
	if (capture(d, argv, "ssh-ed25519 ", "", line, sizeof(line)) != 0 || line[0] == '\0') {
		d->failed = 1;
		return NULL;
	}
	printf("%s\n", line);
	return line;
}

/* The first record id `ssaudit list MONTH --role ROLE` prints on a line
 * containing `needle` (rid needs 19 bytes); "" when none. */
void ss_demo_first_listed(const struct ss_demo *d, const char *month, const char *role,
                          const char *needle, char *rid)
{
	const char *argv[] = {"-q", "list", month, "--role", role, NULL};
	char line[4096];

	capture(d, argv, "R-", needle, line, sizeof(line));
	snprintf(rid, 19, "%.18s", line);
}

void ss_demo_first_follow_up(const struct ss_demo *d, const char *month, char *rid)
{
	const char *argv[] = {"-q", "report", month, "--format", "csv", NULL};
	char prefix[64], line[4096];

	snprintf(prefix, sizeof(prefix), "follow_up,%s,area,", month);
	capture(d, argv, prefix, "", line, sizeof(line));
	snprintf(rid, 19, "%.18s", line[0] ? line + strlen(prefix) : "");
}

/*
 * Fill a worksheet as a reviewer would at the meeting: the columns between
 * `reviewer` and `note` get answers. Mostly favourable, with a few concerns so
 * the report has something to show; `salt` varies the pattern per reviewer.
 */
int ss_demo_fill_worksheet(const char *in, const char *out, unsigned salt)
{
	static const char *grounds[] = {"reasonable",
	                                "reasonable",
	                                "reasonable",
	                                "reasonable",
	                                "not-reasonable",
	                                "reasonable",
	                                "insufficient-information"};
	static const char *conduct[] = {"fair", "fair", "fair", "concerns", "fair", "fair"};
	static const char *bwv[] = {"viewed", "viewed", "not-available", "viewed", "not-viewed"};
	FILE *f = fopen(in, "r"), *g = fopen(out, "w");
	char line[16384];
	unsigned row = 0;

	if (f == NULL || g == NULL) {
		if (f)
			fclose(f);
		if (g)
			fclose(g);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		int commas = 0;

		if (row++ == 0) {
			fputs(line, g);
			continue;
		}
		/* month,id,role,reviewer, then grounds,conduct,bwv,record,note */
		while (*p && commas < 4)
			if (*p++ == ',')
				commas++;
		if (strncmp(p, ",,,,", 4) != 0) {
			fputs(line, g);
			continue;
		}
		fwrite(line, 1, (size_t)(p - line), g);
		fprintf(g, "%s,%s,%s,%s,", grounds[(row * 3 + salt) % 7], conduct[(row + salt) % 6],
		        bwv[(row + 2 * salt) % 5], (row + salt) % 4 ? "complete" : "incomplete");
		fputs(p + 4, g);
	}
	fclose(f);
	return fclose(g);
}
