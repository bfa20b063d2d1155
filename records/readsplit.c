/*
 * readsplit.c - a big CSV file read in parts, a thread a part.
 *
 * A year of a big force, or a national extract, is hundreds of megabytes of
 * independent rows. Such a file is cut at row boundaries into up to
 * ss_par_threads() parts, each read by a context of its own (window, secret
 * scratch, intern table, population) behind a copy of the header row, and
 * the parts' records are joined in file order, their line numbers made the
 * file's.
 *
 * A row boundary is a line end outside a quoted value, found by counting the
 * quotes before it: in a file the reader accepts, a quote opens or closes a
 * value or is doubled inside one, so the count is even exactly outside
 * values. In a file with errors the count can mislead, but then some part
 * reports an error, and any error at all sends the file back to the caller
 * to be read whole on one thread: every message, line and column is the
 * one-thread reader's, and the parts are a fast path for good files only.
 *
 * Ownership: the parts' contexts, windows (wiped), populations and the
 * header's copy live for one call; records and strings move to the caller's
 * population.
 */
#include "readctx.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "par.h"

/* A file smaller than this is read whole on one thread; no part is smaller
 * than half of it. */
#define SPLIT_MIN ((size_t)32 << 20)
/* The scan for row boundaries reads this much at a time. */
#define SCAN_BLOCK ((size_t)1 << 20)
/* Bytes looked at to know the format. */
#define PEEK ((size_t)64 << 10)

struct bounds {
	size_t header;             /* bytes of the header row, its line end included */
	size_t header_lines;       /* line ends in it */
	size_t at[SS_PAR_MAX + 1]; /* each part's first byte; at[n] is the file's size */
	size_t lines[SS_PAR_MAX];  /* line ends before each part */
	unsigned n;                /* parts */
};

struct split;

struct part {
	struct split *sp;
	unsigned index;
	struct ss_read_ctx c;
	struct ss_read_stream s;
	struct ss_read_opts opts;
	struct ss_population *pop; /* part 0: the caller's */
	_Atomic size_t rows;       /* appended so far, for progress */
	bool failed;               /* met an error in the file */
	int err;                   /* fatal */
	char msg[1024];
	unsigned char digest[32]; /* part 0: the whole file's SHA-256 */
	pthread_t thread;
	bool started;
};

struct split {
	const struct ss_read_opts *opts; /* the caller's */
	size_t size;
	struct bounds b;
	struct part part[SS_PAR_MAX];
};

/* Quotes and line ends in p[0..n): written so the compiler vectorises it. */
static void count_block(const unsigned char *p, size_t n, size_t *quotes, size_t *lines)
{
	size_t q = 0, l = 0, i;

	for (i = 0; i < n; i++) {
		q += p[i] == '"';
		l += p[i] == '\n';
	}
	*quotes += q;
	*lines += l;
}

/* Where `want` parts of about equal size start, and where the header ends.
 * A part starts after a line end outside quotes whose line is not empty (a
 * part ending in an empty line would take it for the end of the file).
 * b->n < 2 when the file cannot be cut (a row longer than a part, no header). */
static int find_bounds(int fd, size_t size, unsigned want, struct bounds *b)
{
	unsigned char *buf = malloc(SCAN_BLOCK), prev = '\n', prev2 = '\n';
	size_t off = 0, quotes = 0, lines = 0;
	unsigned k = 1;
	bool header = false;

	memset(b, 0, sizeof(*b));
	if (buf == NULL)
		return ss_error_nomem();
	while (off < size && (k < want || !header)) {
		size_t n = size - off < SCAN_BLOCK ? size - off : SCAN_BLOCK, i = 0;
		ssize_t r = pread(fd, buf, n, (off_t)off);

		if (r <= 0) { /* shrunk, or unreadable: the one-thread read says */
			k = 1;
			break;
		}
		n = (size_t)r;
		for (; i < n; i++) {
			unsigned char ch = buf[i];

			if (header && (k >= want || off + n <= size / want * k)) {
				count_block(buf + i, n - i, &quotes, &lines);
				prev2 = n - i >= 2 ? buf[n - 2] : prev;
				prev = buf[n - 1];
				break;
			}
			if (ch == '"') {
				quotes++;
			} else if (ch == '\n') {
				bool empty = prev == '\n' || (prev == '\r' && prev2 == '\n');

				lines++;
				if (quotes % 2 == 0 && !header) {
					header = true;
					b->header = off + i + 1;
					b->header_lines = lines;
				} else if (quotes % 2 == 0 && !empty && k < want &&
				           off + i + 1 >= size / want * k) {
					b->at[k] = off + i + 1;
					b->lines[k] = lines;
					k++;
				}
			}
			prev2 = prev;
			prev = ch;
		}
		off += n;
	}
	ss_memzero(buf, SCAN_BLOCK); /* a force's export holds identities */
	free(buf);
	while (k > 1 && b->at[k - 1] >= size)
		k--;
	b->n = header ? k : 1;
	b->at[b->n] = size;
	return 0;
}

static void part_progress(size_t records, void *arg)
{
	struct part *p = arg;
	size_t total = 0;
	unsigned k;

	atomic_store(&p->rows, records);
	if (p->index != 0)
		return; /* said by one thread only */
	for (k = 0; k < p->sp->b.n; k++)
		total += atomic_load(&p->sp->part[k].rows);
	p->sp->opts->progress(total, p->sp->opts->progress_arg);
}

/* Part 0 hashes what it reads; the rest of the file is hashed after. False
 * when it cannot be read (the one-thread read says why). */
static bool hash_rest(struct part *p)
{
	struct ss_read_stream *s = &p->s;
	off_t pos = (off_t)p->sp->b.at[1], end = (off_t)p->sp->size;

	while (pos < end) {
		size_t n = (size_t)(end - pos) < s->cap ? (size_t)(end - pos) : s->cap;
		ssize_t r = pread(s->fd, s->buf, n, pos);

		if (r <= 0)
			return false;
		ss_sha256_update(&s->sha, s->buf, (size_t)r);
		pos += r;
	}
	ss_sha256_final(&s->sha, p->digest);
	return true;
}

static void *part_main(void *arg)
{
	struct part *p = arg;
	int err = ss_ctx_read(&p->c);

	if (err == SS_EDATA || (err == 0 && p->c.errors > 0)) {
		p->failed = true;
		err = 0;
	} else if (err == 0 && p->index == 0 && !hash_rest(p)) {
		p->failed = true;
	}
	if (err)
		snprintf(p->msg, sizeof(p->msg), "%s", ss_error_message());
	p->err = err;
	return NULL;
}

/* Part k's context over its bytes, behind the header's copy (not part 0). */
static int part_init(struct split *sp, unsigned k, struct ss_read_ctx *whole, int fd,
                     const char *header, enum ss_format format)
{
	struct part *p = &sp->part[k];
	size_t bytes = sp->b.at[k + 1] - sp->b.at[k] + (k > 0 ? sp->b.header : 0);

	p->sp = sp;
	p->index = k;
	p->opts = *sp->opts;
	p->opts.format = format;
	p->opts.progress = sp->opts->progress != NULL ? part_progress : NULL;
	p->opts.progress_arg = p;
	p->s.fd = fd;
	p->s.name = whole->name;
	p->s.cap = bytes < SS_WINDOW ? bytes + 1 : SS_WINDOW;
	if ((p->s.buf = malloc(p->s.cap)) == NULL)
		return ss_error_nomem();
	p->s.bounded = true;
	p->s.pos = (off_t)sp->b.at[k];
	p->s.end = (off_t)sp->b.at[k + 1];
	if (k > 0) {
		p->s.prefix = header;
		p->s.prefix_len = sp->b.header;
		if (ss_population_new(&p->pop) != 0)
			return ss_error_nomem();
	} else {
		p->s.hash = true;
		ss_sha256_init(&p->s.sha);
		p->pop = whole->pop;
	}
	ss_ctx_init(&p->c, whole->name, &p->s, NULL, 0, &p->opts, p->pop, NULL);
	p->c.source = whole->source;
	return 0;
}

static void part_free(struct part *p)
{
	ss_ctx_release(&p->c);
	if (p->s.buf != NULL) {
		ss_memzero(p->s.buf, p->s.cap);
		free(p->s.buf);
	}
	if (p->index > 0)
		ss_population_free(p->pop);
}

/* The format the one-thread read would find, from the first bytes; AUTO when
 * the file is not for splitting. */
static enum ss_format peek_format(int fd, const struct ss_read_opts *opts)
{
	char *buf = malloc(PEEK);
	enum ss_format f = SS_FORMAT_AUTO;
	ssize_t r;

	if (buf == NULL)
		return f;
	r = pread(fd, buf, PEEK, 0);
	/* the header line whole, as ss_ctx_read() detects from */
	if (r > 0 && memchr(buf, '\n', (size_t)r) != NULL)
		f = opts->format == SS_FORMAT_AUTO ? ss_format_detect(buf, (size_t)r)
		                                   : opts->format;
	if (r > 0)
		ss_memzero(buf, (size_t)r);
	free(buf);
	return f == SS_FORMAT_POLICE_JSON ? SS_FORMAT_AUTO : f;
}

int ss_read_split(struct ss_read_ctx *c, int fd, size_t size, char hex[65], bool *done)
{
	struct split *sp = NULL;
	struct ss_population_mark mark;
	enum ss_format format;
	char *header = NULL;
	unsigned want = ss_par_threads(), k;
	bool failed = false;
	int err = 0;

	*done = false;
	/* SSAUDIT_THREADS set: small files too, so tests cut real months. */
	if (!ss_par_forced() && want > size / (SPLIT_MIN / 2))
		want = (unsigned)(size / (SPLIT_MIN / 2));
	if (want < 2 || c->opts->on_row != NULL)
		return 0;
	if ((format = peek_format(fd, c->opts)) == SS_FORMAT_AUTO)
		return 0;
	if ((sp = calloc(1, sizeof(*sp))) == NULL)
		return ss_error_nomem();
	sp->opts = c->opts;
	sp->size = size;
	if ((err = find_bounds(fd, size, want, &sp->b)) != 0 || sp->b.n < 2)
		goto out;
	if ((header = malloc(sp->b.header)) == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	if (pread(fd, header, sp->b.header, 0) != (ssize_t)sp->b.header)
		goto out; /* the one-thread read says what is wrong */
	ss_population_mark(c->pop, &mark);
	for (k = 0; k < sp->b.n && err == 0; k++)
		err = part_init(sp, k, c, fd, header, format);
	for (k = 1; k < sp->b.n && err == 0; k++)
		sp->part[k].started =
		    pthread_create(&sp->part[k].thread, NULL, part_main, &sp->part[k]) == 0;
	if (err == 0)
		part_main(&sp->part[0]);
	for (k = 1; k < sp->b.n; k++) {
		if (sp->part[k].started)
			pthread_join(sp->part[k].thread, NULL);
		else if (err == 0)
			part_main(&sp->part[k]); /* no thread to be had: read it here */
	}
	for (k = 0; k < sp->b.n && err == 0; k++) {
		failed = failed || sp->part[k].failed;
		if (sp->part[k].err)
			err = ss_error_set(sp->part[k].err, "%s", sp->part[k].msg);
	}
	/* Lines as the file numbers them, then the records in the file's order. */
	for (k = 1; k < sp->b.n && err == 0 && !failed; k++) {
		struct ss_population *p = sp->part[k].pop;
		uint32_t delta = (uint32_t)(sp->b.lines[k] - sp->b.header_lines);
		size_t i;

		for (i = 0; i < p->n; i++)
			p->rec[i].line += delta;
		err = ss_population_join(c->pop, p);
	}
	if (err || failed) {
		ss_population_rewind(c->pop, &mark);
		goto out;
	}
	c->format = format;
	for (k = 0; k < sp->b.n; k++) {
		c->rows += sp->part[k].c.rows;
		c->outside += sp->part[k].c.outside;
	}
	ss_hex_encode(hex, sp->part[0].digest, 32);
	*done = true;
out:
	if (sp != NULL)
		for (k = 0; k < sp->b.n; k++)
			part_free(&sp->part[k]);
	if (header != NULL) {
		ss_memzero(header, sp->b.header);
		free(header);
	}
	free(sp);
	return err;
}
