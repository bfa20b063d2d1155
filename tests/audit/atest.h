/*
 * atest.h - small helpers shared by the audit tests. Include after <cmocka.h>.
 */
#ifndef SS_ATEST_H
#define SS_ATEST_H

#include <stdarg.h>
#include <stdio.h>

#include "error.h"

/* snprintf that fails the test rather than truncate. */
static inline void pathf(char *out, size_t cap, const char *fmt, ...) SS_PRINTF(3, 4);
static inline void pathf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < cap);
}

#endif
