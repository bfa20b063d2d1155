/*
 * uktime.c - UK local time for people to read (uktime.h).
 */
#include "uktime.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "record.h"

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

int ss_uk_zone_enter(char **saved)
{
	const char *dir = getenv("TZDIR"), *prev = getenv("TZ");
	char zone[4096];

	*saved = NULL;
	/* Without the zone's file the C library would quietly use UTC. */
	snprintf(zone, sizeof zone, "%s/Europe/London", dir && *dir ? dir : "/usr/share/zoneinfo");
	if (access(zone, R_OK) != 0)
		return ss_error_set(SS_EIO,
		                    "the UK time zone's data (%s) is missing: install the tzdata "
		                    "package",
		                    zone);
	if (prev != NULL && (*saved = strdup(prev)) == NULL)
		return ss_error_nomem();
	setenv("TZ", "Europe/London", 1);
	tzset();
	return 0;
}

void ss_uk_zone_leave(char *saved)
{
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
}

static void words(const struct tm *tm, const char *zone, char *out, size_t n)
{
	snprintf(out, n, "%d %s %d, %02d:%02d %s", tm->tm_mday, month_names[tm->tm_mon % 12],
	         tm->tm_year + 1900, tm->tm_hour, tm->tm_min, zone);
}

int ss_uk_time(int64_t secs, char *out, size_t n)
{
	time_t tt = (time_t)secs;
	struct tm tm;
	char *saved;
	int err;

	if ((err = ss_uk_zone_enter(&saved)) == 0) {
		bool ok = localtime_r(&tt, &tm) != NULL;

		ss_uk_zone_leave(saved);
		if (ok) {
			words(&tm, tm.tm_isdst > 0 ? "BST" : "GMT", out, n);
			return 0;
		}
		err = ss_error_set(SS_EIO, "cannot work out the UK time of %lld", (long long)secs);
	}
	if (gmtime_r(&tt, &tm) != NULL)
		words(&tm, "UTC", out, n);
	else if (n)
		*out = '\0';
	return err;
}

const char *ss_uk_datetime(const char *s, char *out, size_t n)
{
	struct ss_instant at;

	if (s == NULL)
		return NULL;
	if (ss_datetime_parse(s, strlen(s), &at, NULL) != 0 || ss_uk_time(at.secs, out, n) != 0) {
		snprintf(out, n, "%s", s);
		ss_error_clear();
	}
	return out;
}
