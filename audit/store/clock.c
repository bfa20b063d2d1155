#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t ss_clock_now(bool *fixed)
{
	const char *test = getenv("SSAUDIT_TEST");
	const char *now = getenv("SSAUDIT_NOW");

	if (test != NULL && strcmp(test, "1") == 0 && now != NULL && *now != '\0') {
		char *end;
		long long v = strtoll(now, &end, 10);

		if (*end == '\0' && v >= 0) {
			if (fixed)
				*fixed = true;
			return (int64_t)v;
		}
	}
	if (fixed)
		*fixed = false;
	return (int64_t)time(NULL);
}

static void utc(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	gmtime_r(&tt, tm);
}

void ss_clock_rfc3339(int64_t t, char out[21])
{
	struct tm tm;

	utc(t, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void ss_clock_signers(int64_t t, char out[16])
{
	struct tm tm;

	utc(t, &tm);
	strftime(out, 16, "%Y%m%d%H%M%SZ", &tm);
}
