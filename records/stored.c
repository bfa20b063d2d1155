/*
 * stored.c - population.jsonl read as it streams, with a scan for the
 * canonical form and the strict parser behind it (see stored.h).
 */
#include "stored.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "utf8.h"

/* ---- the scan ---- */

/* `,"key":` for every field, made once from the model's names. */
struct keylit {
	char s[40];
	size_t n;
};
static struct keylit keylits[SS_F_COUNT];
static pthread_once_t keylits_once = PTHREAD_ONCE_INIT;

/* Bytes a string may hold as they are: printable ASCII but '"' and '\\'. */
static unsigned char plain[256];

static void keylits_init(void)
{
	int f, c;

	for (f = 0; f < SS_F_COUNT; f++) {
		const char *name = ss_field_name((enum ss_field)f);
		size_t n = strlen(name);

		keylits[f].s[0] = ',';
		keylits[f].s[1] = '"';
		memcpy(keylits[f].s + 2, name, n);
		memcpy(keylits[f].s + 2 + n, "\":", 2);
		keylits[f].n = n + 4;
	}
	for (c = 0x20; c < 0x7f; c++)
		plain[c] = c != '"' && c != '\\';
}

static bool lit(const char *s, size_t len, size_t *pos, const char *l, size_t n)
{
	if (len - *pos < n || memcmp(s + *pos, l, n) != 0)
		return false;
	*pos += n;
	return true;
}

/* A string at s[*pos] (its opening quote) that needs no decoding: not empty,
 * no escape, no control character, valid UTF-8. Its bytes are [*from, *pos - 1). */
static bool plain_string(const char *s, size_t len, size_t *pos, size_t *from)
{
	size_t i = *pos + 1;

	*from = i;
	for (;;) {
		unsigned char c;

		while (i < len && plain[(unsigned char)s[i]])
			i++;
		if (i >= len)
			return false;
		c = (unsigned char)s[i];
		if (c == '"')
			break;
		if (c < 0x80)
			return false; /* an escape or a control character */
		{
			size_t k = ss_utf8_seq_len((const unsigned char *)s + i, len - i);

			if (k == 0)
				return false;
			i += k;
		}
	}
	if (i == *from)
		return false; /* "": the strict parser words the refusal */
	*pos = i + 1;
	return true;
}

/* The canonical line, or false (r may then hold some values: reset it). */
static int scan(struct ss_population *pop, const char *s, size_t len, uint32_t fields,
                struct ss_record *r, bool *ok)
{
	size_t pos = 0, from;
	int k;

	*ok = false;
	if (!lit(s, len, &pos, "{\"id\":\"", 7) || len - pos < SS_ID_LEN + 1 ||
	    s[pos + SS_ID_LEN] != '"' || !ss_record_id_valid_n(s + pos, SS_ID_LEN))
		return 0;
	memcpy(r->id, s + pos, SS_ID_LEN);
	r->id[SS_ID_LEN] = '\0';
	pos += SS_ID_LEN + 1;
	for (k = 0; k < SS_F_COUNT; k++) {
		if (!lit(s, len, &pos, keylits[k].s, keylits[k].n) || pos >= len)
			return 0;
		if (s[pos] == 'n') {
			if (!lit(s, len, &pos, "null", 4))
				return 0;
			continue; /* blank: NULL and SS_TRI_NULL already */
		}
		if (ss_field_type((enum ss_field)k) == SS_FT_BOOL) {
			if (lit(s, len, &pos, "true", 4))
				r->tri[k] = SS_TRI_TRUE;
			else if (lit(s, len, &pos, "false", 5))
				r->tri[k] = SS_TRI_FALSE;
			else
				return 0;
			continue;
		}
		if (s[pos] != '"' || !plain_string(s, len, &pos, &from))
			return 0;
		if (fields & SS_STORED_BIT(k)) {
			r->str[k] = ss_population_strdup(pop, s + from, pos - 1 - from);
			if (r->str[k] == NULL)
				return ss_error_nomem();
		}
	}
	*ok = pos + 1 == len && s[pos] == '}';
	return 0;
}

static void blank(struct ss_record *r)
{
	uint32_t line = r->line;
	int f;

	memset(r, 0, sizeof(*r));
	for (f = 0; f < SS_F_COUNT; f++)
		r->tri[f] = SS_TRI_NULL;
	r->line = line;
}

static int parse_line(struct ss_population *pop, const char *s, size_t len, const char *name,
                      size_t line, uint32_t fields, bool strict, struct ss_record *r,
                      struct ss_buf *tmp, bool *fast)
{
	bool ok = false;
	int err;

	pthread_once(&keylits_once, keylits_init);
	if (!strict && (err = scan(pop, s, len, fields, r, &ok)) != 0)
		return err;
	if (fast)
		*fast = ok;
	if (ok)
		return 0;
	blank(r);
	return ss_record_parse_line(pop, s, len, name, line, r, tmp);
}

int ss_stored_parse_line(struct ss_population *pop, const char *s, size_t len, const char *name,
                         size_t line, uint32_t fields, struct ss_record *r, struct ss_buf *tmp,
                         bool *fast)
{
	return parse_line(pop, s, len, name, line, fields, false, r, tmp, fast);
}

bool ss_stored_strict(void)
{
	const char *e = getenv("SSAUDIT_POPULATION_STRICT");

	return e != NULL && e[0] != '\0' && strcmp(e, "0") != 0;
}

/* ---- the reader ---- */

struct ss_stored_reader {
	char *name;
	struct ss_stored_opts opts;
	bool strict;
	struct ss_population *pop;
	struct ss_buf carry; /* a line begun in an earlier piece */
	struct ss_buf tmp;
	size_t line;
	char prev[SS_ID_LEN + 1]; /* the last record's id, "" before the first */
};

int ss_stored_reader_new(const char *name, const struct ss_stored_opts *opts,
                         struct ss_stored_reader **out)
{
	struct ss_stored_reader *rd = calloc(1, sizeof(*rd));
	int err;

	*out = NULL;
	if (rd == NULL || (rd->name = strdup(name)) == NULL) {
		free(rd);
		return ss_error_nomem();
	}
	rd->opts.fields = SS_STORED_ALL;
	if (opts)
		rd->opts = *opts;
	rd->strict = ss_stored_strict();
	if (rd->strict) {
		rd->opts.fields = SS_STORED_ALL;
		rd->opts.keep = NULL;
	}
	rd->carry = (struct ss_buf)SS_BUF_INIT;
	rd->tmp = (struct ss_buf)SS_BUF_INIT;
	if ((err = ss_population_new(&rd->pop)) != 0) {
		ss_stored_reader_free(rd);
		return err;
	}
	*out = rd;
	return 0;
}

void ss_stored_reader_free(struct ss_stored_reader *rd)
{
	if (rd == NULL)
		return;
	free(rd->name);
	ss_population_free(rd->pop);
	ss_buf_release(&rd->carry);
	ss_buf_release(&rd->tmp);
	free(rd);
}

size_t ss_stored_reader_lines(const struct ss_stored_reader *rd)
{
	return rd->line;
}

/* A line the caller keeps only when opts.keep says so: read into a record of
 * its own first, with no string kept, and read again when kept. */
static int one_line(struct ss_stored_reader *rd, const char *s, size_t len)
{
	struct ss_record scratch, *r = &scratch;
	bool fast = false;
	int err;

	rd->line++;
	if (rd->opts.keep == NULL) {
		if ((err = ss_population_append(rd->pop, &r)) != 0)
			return err;
	} else {
		memset(r, 0, sizeof(*r));
	}
	r->line = (uint32_t)rd->line;
	blank(r);
	if ((err = parse_line(rd->pop, s, len, rd->name, rd->line,
	                      rd->opts.keep ? 0 : rd->opts.fields, rd->strict, r, &rd->tmp, &fast)))
		return err;
	if (rd->prev[0] != '\0' && strcmp(rd->prev, r->id) >= 0)
		return ss_error_set_at(SS_EDATA, rd->name, rd->line, 8,
		                       _("records are not sorted by id, or an id repeats (\"%s\")"),
		                       r->id);
	memcpy(rd->prev, r->id, sizeof(rd->prev));
	if (rd->opts.each != NULL &&
	    (err = rd->opts.each(rd->opts.each_arg, s, len, rd->line, r, fast)) != 0)
		return err;
	if (rd->opts.keep == NULL || !rd->opts.keep(rd->opts.keep_arg, r->id))
		return 0;
	if ((err = ss_population_append(rd->pop, &r)) != 0)
		return err;
	r->line = (uint32_t)rd->line;
	return parse_line(rd->pop, s, len, rd->name, rd->line, rd->opts.fields, rd->strict, r,
	                  &rd->tmp, NULL);
}

int ss_stored_reader_feed(struct ss_stored_reader *rd, const char *data, size_t len)
{
	const char *end = data + len, *nl;
	int err;

	if (rd->carry.len > 0) {
		if ((nl = memchr(data, '\n', len)) == NULL)
			return ss_buf_put(&rd->carry, data, len);
		if ((err = ss_buf_put(&rd->carry, data, (size_t)(nl - data))) != 0 ||
		    (err = one_line(rd, rd->carry.data, rd->carry.len)) != 0)
			return err;
		ss_buf_reset(&rd->carry);
		data = nl + 1;
	}
	while (data < end && (nl = memchr(data, '\n', (size_t)(end - data))) != NULL) {
		if ((err = one_line(rd, data, (size_t)(nl - data))) != 0)
			return err;
		data = nl + 1;
	}
	return data < end ? ss_buf_put(&rd->carry, data, (size_t)(end - data)) : 0;
}

int ss_stored_reader_finish(struct ss_stored_reader *rd, struct ss_population **out)
{
	*out = NULL;
	if (rd->carry.len > 0)
		return ss_error_set_at(SS_EDATA, rd->name, rd->line + 1, rd->carry.len + 1,
		                       _("the last line does not end with a newline"));
	*out = rd->pop;
	rd->pop = NULL;
	return 0;
}

int ss_stored_read(const char *data, size_t len, const char *name,
                   const struct ss_stored_opts *opts, struct ss_population **out)
{
	struct ss_stored_reader *rd = NULL;
	int err;

	*out = NULL;
	if ((err = ss_stored_reader_new(name, opts, &rd)) == 0 &&
	    (err = ss_stored_reader_feed(rd, data, len)) == 0)
		err = ss_stored_reader_finish(rd, out);
	ss_stored_reader_free(rd);
	return err;
}
