#include "csvtok.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/*
 * Byte classes, so that the plain bytes of a value are skipped by one tight
 * loop: a value of a million-row file is mostly plain ASCII.
 */
enum {
	C_UNQUOTED = 1, /* stops an unquoted value: , LF CR " */
	C_QUOTED = 2,   /* stops a quoted value: " LF */
	C_TEXT = 4,     /* checked with SS_CSVTOK_TEXT: NUL and every byte >= 0x80 */
};

#define HI8(x)  x, x, x, x, x, x, x, x
#define HI16(x) HI8(x), HI8(x)
#define HI64(x) HI16(x), HI16(x), HI16(x), HI16(x)

static const unsigned char byte_class[256] = {
    [0] = C_TEXT,        ['\n'] = C_UNQUOTED | C_QUOTED,
    ['\r'] = C_UNQUOTED, ['"'] = C_UNQUOTED | C_QUOTED,
    [','] = C_UNQUOTED,  [0x80] = HI64(C_TEXT),
    HI64(C_TEXT),
};

static void set_err(struct ss_csvfield *f, enum ss_csvtok_err e, size_t line, size_t col)
{
	if (f->err != SS_CSVTOK_OK)
		return;
	f->err = e;
	f->err_line = line;
	f->err_col = col;
}

/* Check the byte at d[pos] (a NUL, or one that starts a multibyte sequence);
 * returns how many bytes to step. */
static size_t check_text(const struct ss_csvtok *t, size_t pos, size_t line, size_t linestart,
                         struct ss_csvfield *f)
{
	const unsigned char *d = (const unsigned char *)t->d;
	size_t k;

	if (d[pos] == '\0') {
		set_err(f, SS_CSVTOK_E_NUL, line, pos - linestart + 1);
		return 1;
	}
	k = ss_utf8_seq_len(d + pos, t->len - pos);
	if (k == 0) {
		/* A sequence cut by the end of a window is read again whole
		 * (the field then ends in MORE). */
		set_err(f, SS_CSVTOK_E_UTF8, line, pos - linestart + 1);
		return 1;
	}
	return k;
}

void ss_csvtok_init(struct ss_csvtok *t, const char *d, size_t len, bool eof, unsigned flags)
{
	memset(t, 0, sizeof(*t));
	t->d = d;
	t->len = len;
	t->eof = eof;
	t->flags = flags;
	t->line = 1;
	if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0)
		t->pos = t->linestart = 3; /* columns count from after the byte order mark */
}

void ss_csvtok_window(struct ss_csvtok *t, const char *d, size_t len, bool eof, size_t dropped)
{
	t->d = d;
	t->len = len;
	t->eof = eof;
	t->pos -= dropped;
	t->linestart -= dropped;
}

bool ss_csvtok_only_line_ends(const struct ss_csvtok *t)
{
	size_t i;

	for (i = t->pos; i < t->len; i++)
		if (t->d[i] != '\n' && t->d[i] != '\r')
			return false;
	return true;
}

enum ss_csvtok_step ss_csvtok_next(struct ss_csvtok *t, struct ss_csvfield *f)
{
	const unsigned char *d = (const unsigned char *)t->d;
	const unsigned text = t->flags & SS_CSVTOK_TEXT ? C_TEXT : 0;
	const unsigned stop_unquoted = C_UNQUOTED | text, stop_quoted = C_QUOTED | text;
	size_t len = t->len, pos = t->pos, line = t->line, linestart = t->linestart, start;

	memset(f, 0, sizeof(*f));
	if (pos >= len && !t->in_row)
		return t->eof ? SS_CSVTOK_END : SS_CSVTOK_MORE;
	f->line = line;
	f->col = pos - linestart + 1;
	if (pos < len && d[pos] == '"') {
		f->quoted = true;
		start = ++pos;
		for (;;) {
			while (pos < len && !(byte_class[d[pos]] & stop_quoted))
				pos++;
			if (pos >= len)
				return t->eof ? SS_CSVTOK_UNCLOSED : SS_CSVTOK_MORE;
			if (d[pos] == '"') {
				if (pos + 1 < len && d[pos + 1] == '"') {
					f->escaped = true;
					pos += 2;
					continue;
				}
				break;
			}
			if (d[pos] == '\n') {
				pos++;
				line++;
				linestart = pos;
				continue;
			}
			pos += check_text(t, pos, line, linestart, f);
		}
		f->p = t->d + start;
		f->len = pos - start;
		if (!f->escaped && line == f->line)
			f->vcol = f->col + 1;
		pos++; /* the closing quote */
		if (pos < len && d[pos] != ',' && d[pos] != '\n') {
			if (d[pos] != '\r')
				set_err(f, SS_CSVTOK_E_AFTER_QUOTE, line, pos - linestart + 1);
			else if (pos + 1 >= len || d[pos + 1] != '\n')
				set_err(f, SS_CSVTOK_E_CR, line, pos - linestart + 1);
			if (f->err != SS_CSVTOK_OK)
				while (pos < len && d[pos] != ',' && d[pos] != '\n')
					pos++;
		}
	} else {
		start = pos;
		for (;;) {
			while (pos < len && !(byte_class[d[pos]] & stop_unquoted))
				pos++;
			if (pos >= len || d[pos] == ',' || d[pos] == '\n')
				break;
			if (d[pos] == '\r') {
				if (pos + 1 < len && d[pos + 1] == '\n')
					break;
				set_err(f, SS_CSVTOK_E_CR, line, pos - linestart + 1);
				pos++;
				continue;
			}
			if (d[pos] == '"') {
				set_err(f, SS_CSVTOK_E_QUOTE, line, pos - linestart + 1);
				pos++;
				continue;
			}
			pos += check_text(t, pos, line, linestart, f);
		}
		f->p = t->d + start;
		f->len = pos - start;
		f->vcol = f->col;
	}
	/*
	 * The field ends at a comma, a line end (only CRLF or LF are left) or the
	 * end. Whatever was decided by the end of a window that is not the end
	 * of the file (a quote that may be doubled, a CR whose LF may follow, an
	 * error in a sequence cut short) is taken back here: the row is read again.
	 */
	if (pos >= len) {
		if (!t->eof)
			return SS_CSVTOK_MORE;
		t->in_row = false;
	} else if (d[pos] == ',') {
		pos++;
		t->in_row = true;
	} else {
		if (d[pos] == '\r')
			pos++;
		pos++;
		line++;
		linestart = pos;
		t->in_row = false;
	}
	t->pos = pos;
	t->line = line;
	t->linestart = linestart;
	return t->in_row ? SS_CSVTOK_FIELD : SS_CSVTOK_LAST;
}

size_t ss_csvtok_unescape(const struct ss_csvfield *f, char *out, size_t cap)
{
	const char *p = f->p, *end = f->p + f->len, *q;
	size_t n = f->len;

	if (f->escaped)
		for (q = memchr(p, '"', f->len); q; q = memchr(q + 2, '"', (size_t)(end - q - 2)))
			n--; /* a quoted value holds quotes only in pairs */
	if (n > cap)
		return SIZE_MAX;
	if (!f->escaped) {
		memcpy(out, p, n);
		return n;
	}
	while ((q = memchr(p, '"', (size_t)(end - p))) != NULL) {
		memcpy(out, p, (size_t)(q + 1 - p));
		out += q + 1 - p;
		p = q + 2;
	}
	memcpy(out, p, (size_t)(end - p));
	return n;
}
