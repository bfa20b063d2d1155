#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char message[4096];

static void vset(const char *prefix, const char *fmt, va_list ap)
{
	size_t off = 0;

	message[0] = '\0';
	if (prefix != NULL) {
		snprintf(message, sizeof(message), "%s", prefix);
		off = strlen(message);
	}
	vsnprintf(message + off, sizeof(message) - off, fmt, ap);
}

int ss_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(NULL, fmt, ap);
	va_end(ap);
	return code;
}

int ss_error_set_at(int code, const char *file, size_t line, size_t col, const char *fmt, ...)
{
	char prefix[1200];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "%s:%zu:%zu: ", file, line, col);
	va_start(ap, fmt);
	vset(prefix, fmt, ap);
	va_end(ap);
	return code;
}

int ss_error_nomem(void)
{
	return ss_error_set(SS_ENOMEM, _("out of memory"));
}

int ss_error_wrap(int code, const char *fmt, ...)
{
	char old[sizeof(message)];
	char prefix[1024];
	va_list ap;

	memcpy(old, message, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	{
		size_t plen = strlen(prefix), olen = strlen(old);

		if (plen > sizeof(message) - 3)
			plen = sizeof(message) - 3;
		if (olen > sizeof(message) - 3 - plen)
			olen = sizeof(message) - 3 - plen;
		memcpy(message, prefix, plen);
		memcpy(message + plen, ": ", 2);
		memcpy(message + plen + 2, old, olen);
		message[plen + 2 + olen] = '\0';
	}
	return code;
}

const char *ss_error_message(void)
{
	return message;
}

void ss_error_clear(void)
{
	message[0] = '\0';
}

int ss_error_exit_status(int code)
{
	if (code == SS_OK)
		return 0;
	if (code == SS_ENOTFOUND)
		return 1;
	return -code;
}
