/*
 * cli.h - the command layer: global options, the command table, and the few
 * helpers every cmd_<verb>() shares (errors to stderr as "ssaudit: ...",
 * usage errors, option parsing, progress on a terminal).
 *
 * A cmd_<verb>() returns the exit status. Only this layer prints or exits.
 */
#ifndef SS_CLI_H
#define SS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "error.h"
#include "lang.h"
#include "record.h"

struct ss_diags;

struct ss_writer;

struct ss_cli {
	const char *trail; /* --trail, SSAUDIT_TRAIL, ./trail.git */
	const char *as;    /* --as, SSAUDIT_AS */
	char *home;        /* resolved --home / SSAUDIT_HOME / XDG default (owned) */
	bool json;         /* --json */
	bool quiet;        /* -q */
	enum ss_lang lang; /* --lang, SSAUDIT_LANG, the locale settings */
	const struct ss_command *cmd;
};

struct ss_command {
	const char *name;
	int (*fn)(struct ss_cli *cli, int argc, char **argv);
	const char *synopsis; /* after "ssaudit " */
	const char *summary;  /* one line, for `ssaudit --help` */
	const char *help;     /* the rest of `ssaudit CMD --help` */
};

/* Print "ssaudit: <current error message>" and return the exit status for code. */
int ss_cli_fail(int code);
/* Print "ssaudit: <message>" plus the command's usage line; return 2. */
int ss_cli_usage(const struct ss_cli *cli, const char *fmt, ...) SS_PRINTF(2, 3);
/* Informational message to stderr unless -q. */
void ss_cli_note(const struct ss_cli *cli, const char *fmt, ...) SS_PRINTF(2, 3);
/* "ssaudit: warning: ..." on stderr, even with -q: something the user must know. */
void ss_cli_warn(const char *fmt, ...) SS_PRINTF(1, 2);

/*
 * getopt_long over a command's own arguments (argv[0] is the command name).
 * Returns the option's val, -1 at the end, or '?' after printing a usage
 * error. Call ss_cli_getopt_reset() before the first call.
 */
void ss_cli_getopt_reset(void);
int ss_cli_getopt(const struct ss_cli *cli, int argc, char **argv, const struct option *opts);

/*
 * -o FILE, written whole or not at all: the output goes to a temporary file in
 * FILE's folder that replaces FILE only when everything was written, so a full
 * disk or a crash never leaves last month's report half overwritten. Without
 * -o (path NULL or "-") it is stdout. Ownership: the struct owns `tmp`.
 */
struct ss_cli_out {
	FILE *f;          /* where to write */
	const char *path; /* borrowed; NULL for stdout */
	char *tmp;        /* the temporary file while open */
};

/* Open the output; on failure prints why and returns the exit status. */
int ss_cli_out_open(struct ss_cli_out *o, const char *path);
/* Finish. ok: move the file into place, or print why it could not be written
 * and return 74 (FILE is then left as it was). Not ok (the caller failed and
 * reports that itself): remove the temporary file and return 0. */
int ss_cli_out_close(struct ss_cli_out *o, bool ok);
/* Open, write len bytes of data, close: the exit status. */
int ss_cli_write_output(const char *path, const void *data, size_t len);

/* Progress on stderr when it is a terminal and not -q: "label: done/total". */
void ss_cli_progress(const struct ss_cli *cli, const char *label, size_t done, size_t total);
/* The same for a population as it is read (arg: the struct ss_cli): "reading records: N". */
void ss_cli_progress_records(void *arg, size_t records, bool done);

/* After a successful write: pack the trail's loose objects when they have
 * piled up, saying so (or why not) unless -q. */
void ss_cli_maybe_gc(const struct ss_cli *cli, struct ss_writer *w);

/* Spaces that pad text to width characters (UTF-8 characters counted, not
 * bytes, so a Welsh column lines up): printf("%s%*s", s, ss_cli_pad(s, w), ""). */
int ss_cli_pad(const char *s, int width);

/* Validate a month argument (YYYY-MM); prints a usage error and returns 2 when bad, else 0. */
int ss_cli_month(const struct ss_cli *cli, const char *month);
/* The record a command names: its id (argv's `id`, NULL when none given) or,
 * with --ref (`ref` not NULL), the id that follows from the force's reference;
 * not both. Points *out at the id (id or buf); 0, or the exit status. */
/* Print every problem kept in diags as "ssaudit: FILE:LINE:COLUMN: message" on
 * stderr, and how many more were found past the limit. */
void ss_cli_diags(const struct ss_diags *diags);

int ss_cli_record(const struct ss_cli *cli, const char *month, const char *id, const char *ref,
                  char buf[SS_ID_LEN + 1], const char **out);

/* Command functions. */
int cmd_keygen(struct ss_cli *cli, int argc, char **argv);
int cmd_init(struct ss_cli *cli, int argc, char **argv);
int cmd_policy(struct ss_cli *cli, int argc, char **argv);
int cmd_reviewer(struct ss_cli *cli, int argc, char **argv);
int cmd_check(struct ss_cli *cli, int argc, char **argv);
int cmd_import(struct ss_cli *cli, int argc, char **argv);
int cmd_synth(struct ss_cli *cli, int argc, char **argv);
int cmd_show(struct ss_cli *cli, int argc, char **argv);
int cmd_history(struct ss_cli *cli, int argc, char **argv);
int cmd_sample(struct ss_cli *cli, int argc, char **argv);
int cmd_list(struct ss_cli *cli, int argc, char **argv);
int cmd_pack(struct ss_cli *cli, int argc, char **argv);
int cmd_review(struct ss_cli *cli, int argc, char **argv);
int cmd_correct(struct ss_cli *cli, int argc, char **argv);
int cmd_respond(struct ss_cli *cli, int argc, char **argv);
int cmd_close(struct ss_cli *cli, int argc, char **argv);
int cmd_reopen(struct ss_cli *cli, int argc, char **argv);
int cmd_verify(struct ss_cli *cli, int argc, char **argv);
int cmd_report(struct ss_cli *cli, int argc, char **argv);
int cmd_gc(struct ss_cli *cli, int argc, char **argv);
int cmd_sync(struct ss_cli *cli, int argc, char **argv);
int cmd_hub_hook(struct ss_cli *cli, int argc, char **argv);
int cmd_demo(struct ss_cli *cli, int argc, char **argv);
int cmd_reveal(struct ss_cli *cli, int argc, char **argv);
int cmd_feedback(struct ss_cli *cli, int argc, char **argv);

#endif
