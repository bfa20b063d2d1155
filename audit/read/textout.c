#include "textout.h"

#include <string.h>

int ss_textout_csv(struct ss_buf *b, const char *s, bool first)
{
	int err = 0;

	if (!first && (err = ss_buf_putc(b, ',')))
		return err;
	if (s == NULL)
		return 0;
	if (strpbrk(s, ",\"\r\n") == NULL)
		return ss_buf_puts(b, s);
	if ((err = ss_buf_putc(b, '"')))
		return err;
	for (; *s; s++) {
		if (*s == '"' && (err = ss_buf_putc(b, '"')))
			return err;
		if ((err = ss_buf_putc(b, *s)))
			return err;
	}
	return ss_buf_putc(b, '"');
}

int ss_textout_csv_end(struct ss_buf *b)
{
	return ss_buf_put(b, "\r\n", 2);
}

int ss_textout_html(struct ss_buf *b, const char *s)
{
	int err = 0;

	if (s == NULL)
		return 0;
	for (; *s && !err; s++) {
		switch (*s) {
		case '&':
			err = ss_buf_puts(b, "&amp;");
			break;
		case '<':
			err = ss_buf_puts(b, "&lt;");
			break;
		case '>':
			err = ss_buf_puts(b, "&gt;");
			break;
		case '"':
			err = ss_buf_puts(b, "&quot;");
			break;
		case '\'':
			err = ss_buf_puts(b, "&#39;");
			break;
		default:
			err = ss_buf_putc(b, *s);
		}
	}
	return err;
}
