#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "error.h"
#include "map.h"
#include "crypto.h"
#include "police_json.h"
#include "pseudonym.h"
#include "readctx.h"

void ss_diags_release(struct ss_diags *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->d[i].file);
		free(d->d[i].msg);
	}
	free(d->d);
	d->d = NULL;
	d->n = d->cap = d->total = 0;
}

/* The first error of a read, kept so later calls cannot overwrite it. */
static _Thread_local char first_msg[1536];

void ss_diags_vadd(struct ss_diags *d, const char *file, size_t line, size_t col, const char *fmt,
                   va_list ap)
{
	struct ss_diag *p;
	char msg[1024];

	d->total++;
	if (d->n >= (d->limit ? d->limit : 1))
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ss_array_room((void **)&d->d, &d->cap, d->n, sizeof(*d->d), 16))
		return; /* the diagnostic is lost, the count is not */
	p = &d->d[d->n];
	p->file = strdup(file);
	p->msg = strdup(msg);
	p->line = line;
	p->col = col;
	if (p->file == NULL || p->msg == NULL) {
		free(p->file);
		free(p->msg);
	} else {
		d->n++;
	}
}

void ss_diags_add(struct ss_diags *d, const char *file, size_t line, size_t col, const char *fmt,
                  ...)
{
	va_list ap;

	va_start(ap, fmt);
	ss_diags_vadd(d, file, line, col, fmt, ap);
	va_end(ap);
}

int ss_ctx_error(struct ss_read_ctx *c, size_t line, size_t col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->errors == 0)
		snprintf(first_msg, sizeof(first_msg), "%s:%zu:%zu: %s", c->name, line, col, msg);
	c->errors++;
	if (c->diags == NULL) {
		c->stop = true;
		return SS_EDATA;
	}
	ss_diags_add(c->diags, c->name, line, col, "%s", msg);
	return SS_EDATA;
}

void ss_linepos_at(const char *data, struct ss_linepos *cur, size_t off, size_t *line, size_t *col)
{
	if (off < cur->off) {
		cur->off = 0;
		cur->line = 1;
		cur->linestart = 0;
	}
	if (cur->line == 0)
		cur->line = 1;
	for (; cur->off < off; cur->off++) {
		if (data[cur->off] == '\n') {
			cur->line++;
			cur->linestart = cur->off + 1;
		}
	}
	*line = cur->line;
	*col = off - cur->linestart + 1;
}

void ss_quote_value(char *out, size_t outsz, const char *s, size_t n)
{
	size_t i, o = 0, max = 40;

	if (outsz == 0)
		return;
	if (n > max) {
		/* cut at a character boundary */
		while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
			max--;
	}
	for (i = 0; i < n && i < max && o + 4 < outsz; i++) {
		unsigned char ch = (unsigned char)s[i];

		out[o++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	if (i < n && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

void ss_ctx_row_done(struct ss_read_ctx *c)
{
	if (c->secret_used)
		ss_memzero(c->secret, c->secret_used);
	c->secret_used = 0;
}

/* ---- values ---- */

static bool is_text(const struct ss_cell *c)
{
	return c->kind == SS_CELL_TEXT && c->len > 0;
}

static bool parse_bool(const char *s, size_t n, signed char *out)
{
	if (n == 4 && strncasecmp(s, "true", 4) == 0) {
		*out = SS_TRI_TRUE;
		return true;
	}
	if (n == 5 && strncasecmp(s, "false", 5) == 0) {
		*out = SS_TRI_FALSE;
		return true;
	}
	return false;
}

/* A decimal number as data.police.uk writes coordinates: [-]digits[.digits]. */
static bool coordinate(const char *s, size_t n, double limit)
{
	char tmp[64];
	size_t i = 0, d = 0;
	double v;

	if (n == 0 || n >= sizeof(tmp))
		return false;
	if (s[i] == '-' || s[i] == '+')
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (d == 0)
		return false;
	if (i < n && s[i] == '.') {
		i++;
		d = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, d++;
		if (d == 0)
			return false;
	}
	if (i != n)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	v = strtod(tmp, NULL);
	return v >= -limit && v <= limit;
}

/* A date of birth as the pseudonymiser accepts it: YYYY-MM-DD or DD/MM/YYYY, a real date. */
static bool date_of_birth(const char *s, size_t n)
{
	int y = 0, m = 0, d = 0, i;
	static const int dm[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *pat;

	if (n != 10)
		return false;
	pat = s[4] == '-' ? "yyyy-mm-dd" : "dd/mm/yyyy";
	for (i = 0; i < 10; i++) {
		char c = s[i];

		if (pat[i] == '-' || pat[i] == '/') {
			if (c != pat[i])
				return false;
			continue;
		}
		if (c < '0' || c > '9')
			return false;
		if (pat[i] == 'y')
			y = y * 10 + (c - '0');
		else if (pat[i] == 'm')
			m = m * 10 + (c - '0');
		else
			d = d * 10 + (c - '0');
	}
	if (y < 1800 || m < 1 || m > 12 || d < 1 || d > dm[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

static int check_cell(struct ss_read_ctx *c, struct ss_cell *cells, int f)
{
	struct ss_cell *cl = &cells[f];
	char q[64];
	int err = 0;

	if (cl->kind != SS_CELL_TEXT || cl->len == 0)
		return 0;
	if (cl->len > SS_MAX_FIELD)
		return ss_ctx_error(c, cl->line, cl->col, _("\"%s\" holds more than %d bytes"),
		                    cl->label, SS_MAX_FIELD);
	switch (f) {
	case SS_F_DATETIME: {
		size_t bad = 0;

		if (ss_datetime_parse(cl->p, cl->len, NULL, &bad) != 0) {
			char why[256];

			snprintf(why, sizeof(why), "%s", ss_error_message());
			ss_quote_value(q, sizeof(q), cl->p, cl->len);
			err = ss_ctx_error(c, cl->line, cl->vcol ? cl->vcol + bad : cl->col,
			                   "\"%s\" %s: \"%s\"", cl->label, why, q);
		}
		break;
	}
	case SS_F_OPERATION:
	case SS_F_OUTCOME_LINKED:
	case SS_F_REMOVAL: {
		signed char t;

		if (!parse_bool(cl->p, cl->len, &t)) {
			ss_quote_value(q, sizeof(q), cl->p, cl->len);
			err = ss_ctx_error(c, cl->line, cl->col,
			                   _("\"%s\" must be True, False or empty, not \"%s\""),
			                   cl->label, q);
		}
		break;
	}
	case SS_F_LATITUDE:
	case SS_F_LONGITUDE: {
		bool lat = f == SS_F_LATITUDE;

		if (!coordinate(cl->p, cl->len, lat ? 90.0 : 180.0)) {
			ss_quote_value(q, sizeof(q), cl->p, cl->len);
			err = ss_ctx_error(c, cl->line, cl->col,
			                   _("\"%s\" must be a decimal number from %s, not \"%s\""),
			                   cl->label, lat ? "-90 to 90" : "-180 to 180", q);
		}
		break;
	}
	case SS_IN_DOB:
		/* never quote an identity value in a message */
		if (!date_of_birth(cl->p, cl->len))
			err = ss_ctx_error(
			    c, cl->line, cl->col,
			    _("\"%s\" is not a date of birth as YYYY-MM-DD or DD/MM/YYYY"),
			    cl->label);
		break;
	default:
		break;
	}
	return err;
}

/* Most values repeat (a force has a few areas, officers and streets, a month a
 * few thousand minutes): keep one copy of each short value per file. The
 * table only points into the population's arena and is dropped with the
 * context, so a rewind never leaves it pointing at freed memory. */
#define INTERN_MAX_LEN     128
#define INTERN_MAX_ENTRIES ((size_t)1 << 18)

static bool interned_field(int f)
{
	return f != SS_F_GROUNDS && f != SS_F_REFERENCE;
}

/* A field whose values are mostly new (times, places, subjects' pseudonyms)
 * stops being looked up once INTERN_TRIAL values show it: a lookup that
 * misses costs a cache miss in a big table and saves nothing. */
#define INTERN_TRIAL 4096

static const char *intern(struct ss_read_ctx *c, int f, const char *s, size_t n)
{
	union ss_map_value *v;
	const char *p;

	if (c->intern_off[f])
		return ss_population_strdup(c->pop, s, n);
	if (++c->intern_tries[f] == INTERN_TRIAL && c->intern_hits[f] < INTERN_TRIAL / 2)
		c->intern_off[f] = true;
	if (c->intern != NULL && (v = ss_map_get(c->intern, s, n)) != NULL) {
		c->intern_hits[f]++;
		return v->ptr;
	}
	p = ss_population_strdup(c->pop, s, n);
	if (p == NULL || (c->intern != NULL && ss_map_count(c->intern) >= INTERN_MAX_ENTRIES))
		return p;
	/* Not kept when out of memory: only a missed saving. */
	if (c->intern == NULL && ss_map_new(&c->intern, 0, NULL) != 0) {
		ss_error_clear();
		return p;
	}
	if (ss_map_put(c->intern, p, n, &v, NULL) != 0) {
		ss_error_clear();
		return p;
	}
	v->ptr = (void *)(uintptr_t)p;
	return p;
}

static int put_str(struct ss_read_ctx *c, struct ss_record *r, int f, const char *s, size_t n)
{
	if (n == 0) {
		r->str[f] = NULL;
		return 0;
	}
	if (n <= INTERN_MAX_LEN && interned_field(f))
		r->str[f] = intern(c, f, s, n);
	else
		r->str[f] = ss_population_strdup(c->pop, s, n);
	return r->str[f] ? 0 : ss_error_nomem();
}

int ss_ctx_emit(struct ss_read_ctx *c, struct ss_cell *cells, size_t line)
{
	const struct ss_read_opts *o = c->opts;
	struct ss_cell *name = &cells[SS_IN_NAME], *dob = &cells[SS_IN_DOB];
	struct ss_cell *addr = &cells[SS_IN_ADDRESS];
	struct ss_record *r = NULL;
	size_t before = c->errors;
	int f, err = 0;

	for (f = 0; f < SS_IN_COUNT; f++)
		check_cell(c, cells, f);
	if (is_text(&cells[SS_F_LATITUDE]) != is_text(&cells[SS_F_LONGITUDE])) {
		struct ss_cell *have =
		    is_text(&cells[SS_F_LATITUDE]) ? &cells[SS_F_LATITUDE] : &cells[SS_F_LONGITUDE];

		ss_ctx_error(
		    c, have->line, have->col,
		    _("a location needs both a latitude and a longitude; this row has only "
		      "its %s"),
		    have == &cells[SS_F_LATITUDE] ? "latitude" : "longitude");
	}
	if (c->errors == before && o->month != NULL && is_text(&cells[SS_F_DATETIME])) {
		const struct ss_cell *dt = &cells[SS_F_DATETIME];
		struct ss_instant at;

		if (ss_datetime_parse(dt->p, dt->len, &at, NULL) == 0 &&
		    (ss_instant_cmp(&at, &o->month_from) < 0 ||
		     ss_instant_cmp(&at, &o->month_to) >= 0)) {
			char q[64];

			if (!o->keep_outside) {
				ss_quote_value(q, sizeof(q), dt->p, dt->len);
				return ss_ctx_error(
				    c, dt->line, dt->col,
				    _("this search is dated \"%s\", outside %s in UK time: "
				      "import it with its own month, or give --keep-outside "
				      "to keep it in %s"),
				    q, o->month, o->month);
			}
			c->outside++;
		}
	}
	if (c->errors != before)
		return SS_EDATA;

	if ((err = ss_population_append(c->pop, &r)) != 0)
		goto out;
	r->source = c->source;
	r->line = (uint32_t)line;
	for (f = 0; f < SS_F_COUNT; f++) {
		struct ss_cell *cl = &cells[f];

		if (f == SS_F_SUBJECT || f == SS_F_GROUNDS || f == SS_F_OPERATION_NAME ||
		    f == SS_F_OFFICER)
			continue;
		if (cl->kind == SS_CELL_BOOL) {
			r->tri[f] = cl->tri;
		} else if (cl->kind == SS_CELL_TEXT && cl->len > 0) {
			if (ss_field_type((enum ss_field)f) == SS_FT_BOOL)
				parse_bool(cl->p, cl->len, &r->tri[f]);
			else if ((err = put_str(c, r, f, cl->p, cl->len)) != 0)
				goto out;
		}
	}
	/* Free text a force may fill with anything: redacted (section 4). */
	for (size_t k = 0; k < 2; k++) {
		static const int free_text[] = {SS_F_OPERATION_NAME, SS_F_GROUNDS};
		const struct ss_cell *g = &cells[free_text[k]];

		f = free_text[k];
		if (!is_text(g))
			continue;
		ss_buf_reset(&c->tmp);
		err = ss_redact_grounds(
		    g->p, g->len, is_text(name) ? name->p : NULL, is_text(name) ? name->len : 0,
		    is_text(addr) ? addr->p : NULL, is_text(addr) ? addr->len : 0, &c->tmp);
		if (err)
			goto out;
		if ((err = put_str(c, r, f, c->tmp.data, c->tmp.len)) != 0)
			goto out;
	}
	if (is_text(&cells[SS_F_OFFICER])) {
		const struct ss_cell *of = &cells[SS_F_OFFICER];

		if (o->pseudonymise_officer) {
			char pid[SS_ID_LEN + 1];

			if ((err = ss_pseudo_officer(o->pseudo, of->p, of->len, pid)) != 0)
				goto out;
			err = put_str(c, r, SS_F_OFFICER, pid, strlen(pid));
		} else {
			err = put_str(c, r, SS_F_OFFICER, of->p, of->len);
		}
		if (err)
			goto out;
	}
	if (o->pseudo != NULL && is_text(name) && is_text(dob)) {
		char sid[SS_ID_LEN + 1];

		err = ss_pseudo_subject(o->pseudo, name->p, name->len, dob->p, dob->len, sid);
		if (err == SS_EDATA) {
			/* never quote an identity value in a message */
			c->pop->n--;
			if (!date_of_birth(dob->p, dob->len))
				return ss_ctx_error(
				    c, dob->line, dob->col,
				    _("\"%s\" is not a date of birth as YYYY-MM-DD or DD/MM/YYYY"),
				    dob->label);
			return ss_ctx_error(c, name->line, name->col,
			                    _("\"%s\" has no letters, so the subject cannot be "
			                      "given a pseudonym"),
			                    name->label);
		}
		if (err)
			goto out;
		err = put_str(c, r, SS_F_SUBJECT, sid, strlen(sid));
		if (err)
			goto out;
	}
	c->rows++;
	if (o->progress && c->pop->n % SS_READ_PROGRESS_EVERY == 0)
		o->progress(c->pop->n, o->progress_arg);
	if (o->on_row != NULL) {
		static const int cols[SS_IDENT_COUNT] = {SS_IN_NAME, SS_IN_DOB, SS_IN_ADDRESS,
		                                         SS_IN_PNC, SS_F_OFFICER};
		struct ss_row_identity id;

		for (f = 0; f < SS_IDENT_COUNT; f++) {
			id.ptr[f] = is_text(&cells[cols[f]]) ? cells[cols[f]].p : NULL;
			id.len[f] = id.ptr[f] != NULL ? cells[cols[f]].len : 0;
		}
		err = o->on_row(o->on_row_arg, r, &id);
	}
out:
	return err;
}

/* ---- detection ---- */

enum ss_format ss_format_detect(const char *data, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < len && (data[i] == '[' || data[i] == '{'))
		return SS_FORMAT_POLICE_JSON;
	/* the header's cells, unquoted, compared without case */
	while (i < len && data[i] != '\n' && data[i] != '\r') {
		size_t start, end;

		if (data[i] == '"') {
			start = ++i;
			while (i < len && data[i] != '"')
				i++;
			end = i;
			if (i < len)
				i++;
		} else {
			start = i;
			while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
				i++;
			end = i;
		}
		if (ss_csv_force_column(data + start, end - start))
			return SS_FORMAT_FORCE_CSV;
		while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
			i++;
		if (i < len && data[i] == ',')
			i++;
	}
	return SS_FORMAT_POLICE_CSV;
}

/* ---- reading ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static int dup_ref(void *arg, const struct ss_record *first, const struct ss_record *again)
{
	struct ss_read_ctx *c = arg;
	const char *where = first->source == c->source         ? c->name
	                    : first->source < c->pop->nsources ? c->pop->sources[first->source].name
	                                                       : "?";
	char q[64];

	ss_quote_value(q, sizeof(q), again->str[SS_F_REFERENCE],
	               strlen(again->str[SS_F_REFERENCE]));
	ss_ctx_error(c, again->line, 1,
	             _("the reference \"%s\" is used again (first at %s:%u); references must be "
	               "unique within a month"),
	             q, where, first->line);
	return c->stop ? SS_EDATA : 0;
}

/* Bytes for the window: the rest of the prefix, then the file up to end. */
static ssize_t stream_read(struct ss_read_stream *s, char *to, size_t n)
{
	if (s->prefix_len > 0) {
		if (n > s->prefix_len)
			n = s->prefix_len;
		memcpy(to, s->prefix, n);
		s->prefix += n;
		s->prefix_len -= n;
		return (ssize_t)n;
	}
	if (!s->bounded)
		return read(s->fd, to, n);
	if ((off_t)n > s->end - s->pos)
		n = (size_t)(s->end - s->pos);
	if (n == 0)
		return 0;
	ssize_t r = pread(s->fd, to, n, s->pos);

	if (r > 0)
		s->pos += r;
	return r;
}

int ss_ctx_more(struct ss_read_ctx *c, size_t keep)
{
	struct ss_read_stream *s = c->stream;
	size_t len;

	if (s == NULL || c->eof) {
		c->eof = true;
		return 0;
	}
	len = c->len - keep;
	if (keep > 0)
		memmove(s->buf, s->buf + keep, len);
	if (len == s->cap) {
		char *p;

		if (s->cap > SIZE_MAX / 2 || (p = malloc(s->cap * 2)) == NULL)
			return ss_error_nomem();
		memcpy(p, s->buf, len);
		ss_memzero(s->buf, s->cap);
		free(s->buf);
		s->buf = p;
		s->cap *= 2;
	}
	while (len < s->cap) {
		ssize_t r = stream_read(s, s->buf + len, s->cap - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return ss_error_set(SS_EIO, _("cannot read \"%s\": %s"), s->name,
			                    strerror(errno));
		if (r == 0) {
			c->eof = true;
			break;
		}
		if (s->hash)
			ss_sha256_update(&s->sha, s->buf + len, (size_t)r);
		len += (size_t)r;
	}
	c->data = s->buf;
	c->len = len;
	return 0;
}

void ss_ctx_init(struct ss_read_ctx *c, const char *name, struct ss_read_stream *stream,
                 const char *data, size_t len, const struct ss_read_opts *opts,
                 struct ss_population *pop, struct ss_diags *diags)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->data = data;
	c->len = len;
	c->eof = stream == NULL;
	c->stream = stream;
	c->opts = opts;
	c->pop = pop;
	c->diags = diags;
	c->source = (uint32_t)pop->nsources;
}

void ss_ctx_release(struct ss_read_ctx *c)
{
	if (c->secret != NULL)
		ss_secret_free(c->secret); /* wipes it */
	c->secret = NULL;
	ss_buf_release(&c->tmp);
	ss_map_free(c->intern);
	c->intern = NULL;
}

int ss_ctx_read(struct ss_read_ctx *c)
{
	int err;

	/* the header line whole, for detection; a JSON file whole, for cJSON */
	do {
		if ((err = ss_ctx_more(c, 0)) != 0)
			return err;
	} while (!c->eof && memchr(c->data, '\n', c->len) == NULL);
	c->format =
	    c->opts->format == SS_FORMAT_AUTO ? ss_format_detect(c->data, c->len) : c->opts->format;
	while (c->format == SS_FORMAT_POLICE_JSON && !c->eof)
		if ((err = ss_ctx_more(c, 0)) != 0)
			return err;

	if (c->eof && (c->len == 0 || (c->len == 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)))
		return ss_ctx_error(c, 1, 1, _("the file is empty"));
	if (c->format == SS_FORMAT_POLICE_JSON)
		return ss_police_json_read(c);
	/* unescaped values are never longer than the file */
	c->secret_cap = (size_t)(SS_IN_COUNT + 1) * (SS_MAX_FIELD + 1);
	if (c->eof && c->secret_cap > c->len + 1)
		c->secret_cap = c->len + 1;
	c->secret = ss_secret_alloc(c->secret_cap);
	if (c->secret == NULL)
		return ss_error_nomem();
	return ss_csv_read(c);
}

/* size: the file's, when it is a regular file read through stream (it may
 * then be read in parts), else 0. */
static int read_common(const char *name, struct ss_read_stream *stream, size_t size,
                       const char *data, size_t len, const struct ss_read_opts *opts,
                       struct ss_population *pop, struct ss_diags *diags)
{
	static const struct ss_read_opts defaults = {.format = SS_FORMAT_AUTO};
	struct ss_read_ctx c;
	struct ss_population_mark mark;
	char hex[65] = "";
	bool split = false;
	int err = 0;

	if (opts == NULL)
		opts = &defaults;
	if (name == NULL)
		name = "-";
	if (opts->pseudonymise_officer && opts->pseudo == NULL)
		return ss_error_set(SS_EUSAGE,
		                    _("pseudonymising officers needs the pseudonym key"));
	ss_ctx_init(&c, name, stream, data, len, opts, pop, diags);
	ss_population_mark(pop, &mark);
	if (stream != NULL && size > 0 && (err = ss_read_split(&c, stream->fd, size, hex, &split)))
		goto out;
	if (!split) {
		err = ss_ctx_read(&c);
		if (err && err != SS_EDATA)
			goto out;
		err = 0;
	}
	if (c.errors == 0 && !split) {
		if (stream != NULL) {
			unsigned char d[32];

			while (!c.eof) /* the digest covers every byte */
				if ((err = ss_ctx_more(&c, c.len)) != 0)
					goto out;
			ss_sha256_final(&stream->sha, d);
			ss_hex_encode(hex, d, 32);
		} else {
			ss_sha256_hex(hex, c.data, c.len);
		}
	}
	if (c.errors == 0) {
		size_t k;

		/* The same file given twice: said once, before its references
		 * are all found again. */
		for (k = 0; k < pop->nsources; k++)
			if (strcmp(pop->sources[k].sha256, hex) == 0) {
				ss_ctx_error(
				    &c, 1, 1,
				    _("the same file as %s (SHA-256 %s), given twice: give each "
				      "file once"),
				    pop->sources[k].name, hex);
				break;
			}
	}
	if (c.errors == 0 && (err = ss_population_duplicate_refs(pop, mark.n, dup_ref, &c)) != 0 &&
	    err != SS_EDATA)
		goto out;
	err = 0;
	if (c.errors == 0 && pop->refs_unique == mark.n)
		pop->refs_unique = pop->n; /* each reference is its file's and the month's once */
	if (c.errors == 0) {
		err = ss_population_add_source(pop, base_name(name), hex, c.format, c.rows);
		if (err == 0)
			pop->sources[pop->nsources - 1].outside = c.outside;
	} else {
		err = ss_error_set(SS_EDATA, "%s", first_msg);
	}
out:
	if (err)
		ss_population_rewind(pop, &mark);
	ss_ctx_release(&c);
	return err;
}

int ss_read_buffer(const char *name, const char *data, size_t len, const struct ss_read_opts *opts,
                   struct ss_population *pop, struct ss_diags *diags)
{
	return read_common(name, NULL, 0, data, len, opts, pop, diags);
}

int ss_read_file(const char *path, const char *name, const struct ss_read_opts *opts,
                 struct ss_population *pop, struct ss_diags *diags)
{
	struct ss_read_stream s;
	struct stat st;
	int fd, err = 0;

	if (name == NULL)
		name = path;
	memset(&s, 0, sizeof(s));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ss_error_set(errno == ENOENT || errno == ENOTDIR ? SS_ENOINPUT : SS_EIO,
		                    _("cannot open \"%s\": %s"), name, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = ss_error_set(SS_ENOINPUT, _("\"%s\" is not a regular file"), name);
		goto out;
	}
	/* A small file in one piece; a big one through a window, so that a
	 * million rows never hold the whole file in memory. */
	s.cap = (size_t)st.st_size < SS_WINDOW ? (size_t)st.st_size + 1 : SS_WINDOW;
	s.buf = malloc(s.cap);
	if (s.buf == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	s.fd = fd;
	s.name = name;
	ss_sha256_init(&s.sha);
	s.hash = true;
	err = read_common(name, &s, (size_t)st.st_size, NULL, 0, opts, pop, diags);
out:
	if (s.buf != NULL) {
		/* a force's export holds names and addresses: wipe before freeing */
		ss_memzero(s.buf, s.cap);
		free(s.buf);
	}
	close(fd);
	return err;
}
