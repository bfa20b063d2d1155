#include "buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bigmem.h"

int ss_buf_grow(struct ss_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;
	char *p;

	if (need < b->len)
		return ss_error_nomem();
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap * 2 < cap ? need : cap * 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return ss_error_nomem();
	b->data = p;
	b->cap = cap;
	ss_bigmem_advise(p, cap);
	return 0;
}

int ss_array_room(void **items, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t nc;
	void *p;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : first;
	if (nc <= n || nc > SIZE_MAX / size)
		return ss_error_nomem();
	if ((p = realloc(*items, nc * size)) == NULL)
		return ss_error_nomem();
	*items = p;
	*cap = nc;
	ss_bigmem_advise(p, nc * size);
	return 0;
}

int ss_buf_put(struct ss_buf *b, const void *p, size_t n)
{
	int err = ss_buf_grow(b, n);

	if (err)
		return err;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int ss_buf_puts(struct ss_buf *b, const char *s)
{
	return ss_buf_put(b, s, strlen(s));
}

int ss_buf_putc(struct ss_buf *b, char c)
{
	return ss_buf_put(b, &c, 1);
}

int ss_buf_printf(struct ss_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, err;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return ss_error_set(SS_EIO, _("cannot format text"));
	if ((err = ss_buf_grow(b, (size_t)n)) != 0)
		return err;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int ss_buf_json_string(struct ss_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	int err;

	if ((err = ss_buf_grow(b, n + 2)) != 0)
		return err;
	b->data[b->len++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t elen = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if ((err = ss_buf_put(b, s + start, i - start)) != 0)
			return err;
		esc[0] = '\\';
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		if ((err = ss_buf_put(b, esc, elen)) != 0)
			return err;
		start = i + 1;
	}
	if ((err = ss_buf_put(b, s + start, n - start)) != 0)
		return err;
	return ss_buf_putc(b, '"');
}

int ss_buf_json_string_or_null(struct ss_buf *b, const char *s)
{
	if (s == NULL)
		return ss_buf_put(b, "null", 4);
	return ss_buf_json_string(b, s, strlen(s));
}

void ss_buf_reset(struct ss_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ss_buf_release(struct ss_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *ss_buf_detach(struct ss_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void ss_hex_encode(char *out, const unsigned char *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ss_hex_decode(unsigned char *out, size_t n, const char *hex)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = hexval(hex[2 * i]), lo;

		if (hi < 0)
			return SS_EDATA;
		lo = hexval(hex[2 * i + 1]);
		if (lo < 0)
			return SS_EDATA;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

void ss_base32_encode(char *out, const unsigned char *in, size_t n)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	uint32_t acc = 0;
	int bits = 0;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[o++] = alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void ss_base64_encode(char *out, const unsigned char *in, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = b64[(v >> 6) & 63];
		out[o++] = b64[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int b64val(char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

long ss_base64_decode(unsigned char *out, size_t cap, const char *in, size_t n)
{
	size_t i, o = 0;

	if (n % 4 != 0)
		return -1;
	for (i = 0; i < n; i += 4) {
		int v[4], k, pad = 0;
		uint32_t w;

		for (k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad)
				return -1;
			v[k] = b64val(in[i + k]);
			if (v[k] < 0)
				return -1;
		}
		w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
		    (uint32_t)v[3];
		if (o + (size_t)(3 - pad) > cap)
			return -1;
		out[o++] = (unsigned char)(w >> 16);
		if (pad < 2)
			out[o++] = (unsigned char)(w >> 8);
		if (pad < 1)
			out[o++] = (unsigned char)w;
	}
	return (long)o;
}

int ss_file_read(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct ss_buf b = SS_BUF_INIT;
	char chunk[65536];
	size_t n;
	int err = 0;

	if (f == NULL)
		return ss_error_set(errno == ENOENT ? SS_ENOINPUT : SS_EIO,
		                    _("cannot open '%s': %s"), path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((err = ss_buf_put(&b, chunk, n)))
			break;
	if (!err && ferror(f))
		err = ss_error_set(SS_EIO, _("cannot read '%s'"), path);
	fclose(f);
	if (!err && b.data == NULL)
		err = ss_buf_put(&b, "", 0);
	if (err) {
		ss_buf_release(&b);
		return err;
	}
	*len = b.len;
	*data = ss_buf_detach(&b);
	return 0;
}

void ss_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
