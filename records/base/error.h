/*
 * error.h - how every ssaudit module reports failure.
 *
 * Functions return 0 on success or a negative SS_E* code. The code is the
 * negated sysexits(3) status the command line exits with, so mapping is a
 * negation and no table can drift. The message, when one was set, is kept in
 * a thread-local buffer and borrowed with ss_error_message(); a callee's
 * message is passed up unchanged rather than replaced.
 *
 * Messages read as a lay panel member would want: lowercase, no full stop,
 * the thing named in quotes. Data errors carry "FILE:LINE:COLUMN: " first.
 */
#ifndef SS_ERROR_H
#define SS_ERROR_H

#include <stddef.h>

#include "lang.h" /* messages are marked _("...") for translation */

enum ss_err {
	SS_OK = 0,
	SS_EFAIL = -1,       /* a check failed or the trail's state refuses the request */
	SS_EUSAGE = -2,      /* bad command line */
	SS_EDATA = -65,      /* bad input data */
	SS_ENOINPUT = -66,   /* missing input file or trail */
	SS_ENOMEM = -71,     /* out of memory (EX_OSERR) */
	SS_ECANTCREAT = -73, /* cannot create */
	SS_EIO = -74,        /* I/O error */
	SS_EBUSY = -75,      /* the trail stayed busy */
	SS_EPERM = -77,      /* not permitted */
	SS_ECONFIG = -78,    /* bad policy */
	SS_ENOTFOUND = -1000 /* internal: a looked-up thing is absent; never an exit code */
};

#define SS_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* Set the message and return code, so `return ss_error_set(SS_EDATA, ...)` reads well. */
int ss_error_set(int code, const char *fmt, ...) SS_PRINTF(2, 3);

/* As ss_error_set, prefixed with "FILE:LINE:COLUMN: ". */
int ss_error_set_at(int code, const char *file, size_t line, size_t col, const char *fmt, ...)
    SS_PRINTF(5, 6);

/* Set the message for an allocation failure and return SS_ENOMEM. */
int ss_error_nomem(void);

/* Prefix the current message with "CONTEXT: " (for passing an error up with where it happened). */
int ss_error_wrap(int code, const char *fmt, ...) SS_PRINTF(2, 3);

/* The last message set in this thread, or "" when none was. Borrowed. */
const char *ss_error_message(void);

void ss_error_clear(void);

/* The exit status for a code (0 for SS_OK, 1 for SS_ENOTFOUND). */
int ss_error_exit_status(int code);

#endif
