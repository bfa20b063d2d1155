/*
 * demo.h - the machinery of `ssaudit demo`: run this program's own commands
 * on the demo's trail and home, each echoed as the line a user would type,
 * and catch what a step prints. The step list itself is cmd_demo.c.
 *
 * Ownership: struct ss_demo is the caller's (no heap memory inside).
 * ss_demo_capture_key returns a static buffer, valid until the next call.
 * These functions print: they belong to the command layer.
 */
#ifndef SS_DEMO_H
#define SS_DEMO_H

#include <stddef.h>

struct ss_demo {
	const char *exe;  /* this program */
	const char *dir;  /* the demo's folder */
	char trail[4200]; /* DIR/trail.git */
	char home[4200];  /* DIR/home */
	int failed;       /* a step failed: stop */
};

/* Run `ssaudit ARGS...` (NULL-terminated) as HANDLE (NULL: nobody), echoing
 * the command line under a "== what" heading; -1 (and d->failed) when it fails. */
int ss_demo_run(struct ss_demo *d, const char *as, const char *what, ...) __attribute__((sentinel));
/* Stock git checks the newest commits' signatures, as an auditor would. When
 * git is not installed, the commands are shown for the reader to run. */
void ss_demo_stock_git_log(const struct ss_demo *d, const char *dir);
/* The demo's folder: new, empty, or one an earlier demo made (then cleared). */
int ss_demo_prepare_dir(const char *dir);
/* Write len bytes to path. */
int ss_demo_write_file(const char *path, const void *data, size_t len);
/* keygen HANDLE, shown; the public key line it prints, or NULL. */
char *ss_demo_capture_key(struct ss_demo *d, const char *handle);
/* The first record id `ssaudit list MONTH --role ROLE` prints on a line
 * containing `needle` (rid needs 19 bytes); "" when none. */
void ss_demo_first_listed(const struct ss_demo *d, const char *month, const char *role,
                          const char *needle, char *rid);
/* The first record on the month's follow-up list (rid needs 19 bytes); "" when none. */
void ss_demo_first_follow_up(const struct ss_demo *d, const char *month, char *rid);
/* Fill a worksheet as a reviewer would at the meeting; salt varies the answers. */
int ss_demo_fill_worksheet(const char *in, const char *out, unsigned salt);

#endif
