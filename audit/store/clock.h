/*
 * clock.h - the time every commit carries. SSAUDIT_NOW=<unix seconds> fixes
 * it, honoured only when SSAUDIT_TEST=1 is also set; a fixed clock is marked
 * in each commit (trailer Ssaudit-Clock: fixed) so verify can report it.
 */
#ifndef SS_CLOCK_H
#define SS_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* The current time in unix seconds; *fixed says whether SSAUDIT_NOW set it. */
int64_t ss_clock_now(bool *fixed);

/* "YYYY-MM-DDThh:mm:ssZ" (21 bytes with NUL). */
void ss_clock_rfc3339(int64_t t, char out[21]);
/* "YYYYMMDDhhmmssZ" (16 bytes with NUL), for allowed_signers valid-before. */
void ss_clock_signers(int64_t t, char out[16]);

#endif
