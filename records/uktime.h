/*
 * uktime.h - times as a person in the UK reads them: UK local time
 * (Europe/London, from the system's time zone data) with the zone, such as
 * "1 July 2019, 00:00 BST". Stored times stay as given; only what is shown
 * to people goes through here.
 *
 * The process's own zone is left as it was: the UK zone is set while a
 * year's hourly offsets are read (kept for the next conversions) and put
 * back; nothing else in ssaudit reads local time.
 *
 * Ownership: the caller owns every buffer passed in.
 */
#ifndef SS_UKTIME_H
#define SS_UKTIME_H

#include <stddef.h>
#include <stdint.h>

#include "lang.h"

/* The longest text ss_uk_time writes, with its NUL. */
#define SS_UK_TIME_MAX 64

/*
 * secs (seconds since 1970, UTC) as "1 July 2019, 00:00 BST" (GMT in winter).
 * 0, or SS_EIO in words when the zone's data is missing (then out holds the
 * UTC time with "UTC", so a reader is never shown a wrong hour unlabelled).
 */
int ss_uk_time(int64_t secs, char *out, size_t n);

/*
 * An RFC 3339 date and time as ss_uk_time writes it; where s is not one (or
 * the zone's data is missing) out holds s as given. Returns out.
 */
const char *ss_uk_datetime(const char *s, char *out, size_t n);

/*
 * The same in lang for people to read: the month's name in Welsh ("1
 * Gorffennaf 2019, 00:00 BST"), or both ("1 Gorffennaf / July 2019, ..."),
 * or English. Machine output (JSON) keeps ss_uk_datetime's English.
 */
const char *ss_uk_datetime_in(const char *s, enum ss_lang lang, char *out, size_t n);

/* Make Europe/London the process's zone for a conversion: *saved (caller
 * passes it back to ss_uk_zone_leave) is the zone it replaces. SS_EIO in
 * words when the zone's data is missing, SS_ENOMEM. */
int ss_uk_zone_enter(char **saved);
void ss_uk_zone_leave(char *saved);

#endif
