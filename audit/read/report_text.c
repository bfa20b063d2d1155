/*
 * report_text.c - the report as plain text for a terminal: headings and
 * aligned tables, counts beside every percentage.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "month.h"
#include "report.h"
#include "report_int.h"
#include "uktime.h"

/* ---- aligned tables ---- */

#define TMAXCOLS 8

struct ttab {
	size_t ncols, nrows, cap;
	char **cells;         /* nrows x ncols, owned */
	bool right[TMAXCOLS]; /* right-aligned (numbers) */
	int err;
};

static void tt_init(struct ttab *t, size_t ncols, const char *rightmask)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	for (i = 0; i < ncols && rightmask[i]; i++)
		t->right[i] = rightmask[i] == 'r';
}

/* Append a row of ncols strings (NULL as ""). */
static void tt_rowv(struct ttab *t, const char *const *cells)
{
	size_t i;

	if (t->err)
		return;
	if (t->nrows == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		char **q = realloc(t->cells, nc * t->ncols * sizeof(*q));

		if (q == NULL) {
			t->err = SS_ENOMEM;
			return;
		}
		t->cells = q;
		t->cap = nc;
	}
	for (i = 0; i < t->ncols; i++) {
		const char *s = cells[i];

		t->cells[t->nrows * t->ncols + i] = strdup(s ? s : "");
		if (t->cells[t->nrows * t->ncols + i] == NULL)
			t->err = SS_ENOMEM;
	}
	t->nrows++;
}

static void tt_row(struct ttab *t, ...)
{
	const char *cells[TMAXCOLS];
	va_list ap;
	size_t i;

	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		cells[i] = va_arg(ap, const char *);
	va_end(ap);
	tt_rowv(t, cells);
}

/* Width on a terminal: one column per UTF-8 character. */
static size_t width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static int tt_put(struct ttab *t, struct ss_buf *b, const char *indent)
{
	size_t w[TMAXCOLS] = {0}, i, j, k;
	int err = t->err;

	for (i = 0; i < t->nrows; i++)
		for (j = 0; j < t->ncols; j++)
			if (width(t->cells[i * t->ncols + j]) > w[j])
				w[j] = width(t->cells[i * t->ncols + j]);
	for (i = 0; i < t->nrows && !err; i++) {
		struct ss_buf line = SS_BUF_INIT;

		err = ss_buf_puts(&line, indent);
		for (j = 0; j < t->ncols && !err; j++) {
			const char *c = t->cells[i * t->ncols + j];
			size_t pad = w[j] - width(c);

			if (j > 0)
				err = ss_buf_puts(&line, "  ");
			for (k = 0; t->right[j] && k < pad && !err; k++)
				err = ss_buf_putc(&line, ' ');
			if (!err)
				err = ss_buf_puts(&line, c);
			for (k = 0; !t->right[j] && j + 1 < t->ncols && k < pad && !err; k++)
				err = ss_buf_putc(&line, ' ');
		}
		while (!err && line.len > 0 && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		if (!err)
			err = ss_buf_put(b, line.data, line.len);
		if (!err)
			err = ss_buf_putc(b, '\n');
		ss_buf_release(&line);
		if (i == 0 && !err) {
			/* a rule under the heading row */
			size_t total = 0;

			for (j = 0; j < t->ncols; j++)
				total += w[j] + (j ? 2 : 0);
			err = ss_buf_puts(b, indent);
			for (k = 0; k < total && !err; k++)
				err = ss_buf_putc(b, '-');
			if (!err)
				err = ss_buf_putc(b, '\n');
		}
	}
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	return err;
}

/* ---- pieces ---- */

struct tx {
	const struct ss_report *r;
	struct ss_buf *b;
	int err;
	const char *qid; /* the question whose answers a table's keys are, or NULL */
};

static void put(struct tx *x, const char *fmt, ...) SS_PRINTF(2, 3);
static void put(struct tx *x, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	int n;

	if (x->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		x->err = SS_EIO;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		x->err = ss_buf_put(x->b, small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	if ((x->err = ss_buf_grow(x->b, (size_t)n + 1)) == 0) {
		vsnprintf(x->b->data + x->b->len, (size_t)n + 1, fmt, ap);
		x->b->len += (size_t)n;
	}
	va_end(ap);
}

/* A table's heading row: ncols messages in the report's language. */
static void tt_head(const struct ss_report *r, struct ttab *t, ...)
{
	char w[TMAXCOLS][160];
	const char *cells[TMAXCOLS];
	va_list ap;
	size_t i;

	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		cells[i] = ss_report_words(r, va_arg(ap, const char *), w[i], sizeof(w[i]));
	va_end(ap);
	tt_rowv(t, cells);
}

static void heading(struct tx *x, const char *msgid)
{
	char both[256];
	const char *title = ss_report_words(x->r, msgid, both, sizeof(both));
	size_t i, n = width(title);

	put(x, "\n%s\n", title);
	for (i = 0; i < n; i++)
		put(x, "=");
	put(x, "\n");
}

static void subheading(struct tx *x, const char *msgid)
{
	char both[512];

	put(x, "\n  %s\n", ss_report_words(x->r, msgid, both, sizeof(both)));
}

/* A paragraph wrapped at 78 columns, each line starting with indent (the
 * first with first instead, when given). */
static void wrap(struct tx *x, const char *indent, const char *first, const char *text)
{
	const char *p = text, *lead = first ? first : indent;
	size_t col;

	while (*p && !x->err) {
		const char *e = p, *brk = NULL;

		col = width(lead);
		put(x, "%s", lead);
		lead = indent;
		while (*p == ' ')
			p++;
		for (e = p; *e && *e != '\n'; e++) {
			if (*e == ' ')
				brk = e;
			if (((unsigned char)*e & 0xc0) != 0x80 && ++col > 78 && brk)
				break;
		}
		if (*e && *e != '\n' && brk)
			e = brk;
		put(x, "%.*s\n", (int)(e - p), p);
		p = *e ? e + 1 : e;
	}
}

/* A sentence in the report's language as a paragraph wrapped at 78 columns
 * (cy+en: the Welsh paragraph, then the English). */
static void para(struct tx *x, const char *indent, const char *fmt, ...) SS_PRINTF(3, 4);
static void para(struct tx *x, const char *indent, const char *fmt, ...)
{
	char s[4096];
	va_list ap;

	va_start(ap, fmt);
	ss_report_vsay(x->r, "\n", s, sizeof(s), fmt, ap);
	va_end(ap);
	wrap(x, indent, NULL, s);
}

/* A message in the report's language, in a buffer of the caller's. */
#define W(msgid, buf) ss_report_words(x->r, (msgid), (buf), sizeof(buf))

static void tt_done(struct tx *x, struct ttab *t, const char *indent)
{
	int err = tt_put(t, x->b, indent);

	if (!x->err)
		x->err = err;
}

static void fig_cells(const struct ss_report *r, const struct ss_report_fig *f, char count[32],
                      char share[128])
{
	char p[32], few[96];

	ss_report_count_text(r, f, count, 32);
	ss_report_pct_text(f, p, sizeof(p));
	snprintf(share, 128, "%.31s%s%s", p, ss_report_fig_few(f) ? " " : "",
	         ss_report_fig_few(f) ? ss_report_few_words(r, few, sizeof(few)) : "");
}

/* A table's key in words: an answer's or an outcome's wording, "not recorded"
 * for a blank (k holds 128 bytes). */
static const char *key_words(const struct ss_report *r, const struct ss_report_table *t,
                             const char *qid, const char *key, char *k)
{
	if (key == NULL)
		return ss_report_key_words(r, key, k, 128);
	if (strcmp(t->name, "outcome") == 0)
		return ss_report_outcome_words(r, key, k, 128);
	if (strcmp(t->name, "answers") == 0 && qid)
		return ss_report_answer_words(r, qid, key, k, 128);
	return key;
}

/* A one-way table: key, count, share. */
static void table(struct tx *x, const struct ss_report_table *t, const char *key_head,
                  const char *count_head)
{
	struct ttab tt;
	char c[32], s[128], p[32], k1[128], k2[128];
	bool same = true;
	size_t i;

	if (t->nrows == 0) {
		put(x, "    (%s)\n", W(N_("none"), k1));
		return;
	}
	/* One note under the table when every share rests on the same few records. */
	for (i = 1; i < t->nrows; i++)
		same &= t->rows[i].fig.denom == t->rows[0].fig.denom &&
		        t->rows[i].fig.denom_hidden == t->rows[0].fig.denom_hidden;
	same &= t->rows[0].fig.denom > 0 && t->rows[0].fig.denom < SS_REPORT_FEW &&
	        !t->rows[0].fig.denom_hidden;
	tt_init(&tt, t->cross ? 4 : 3, t->cross ? "llrr" : "lrr");
	{
		char kb[128], tb[64], cb[64], sb[64];
		const char *k = ss_report_words(x->r, key_head, kb, sizeof(kb));
		const char *cn = ss_report_words(x->r, count_head, cb, sizeof(cb));
		const char *sh = ss_report_words(x->r, N_("Share"), sb, sizeof(sb));

		if (t->cross)
			tt_row(&tt, k, ss_report_words(x->r, N_("To"), tb, sizeof(tb)), cn, sh);
		else
			tt_row(&tt, k, cn, sh);
	}
	for (i = 0; i < t->nrows; i++) {
		fig_cells(x->r, &t->rows[i].fig, c, s);
		if (same) {
			ss_report_pct_text(&t->rows[i].fig, p, sizeof(p));
			snprintf(s, sizeof(s), "%s", p);
		}
		if (t->cross)
			tt_row(&tt, key_words(x->r, t, x->qid, t->rows[i].key, k1),
			       key_words(x->r, t, x->qid, t->rows[i].subkey, k2), c, s);
		else
			tt_row(&tt, key_words(x->r, t, x->qid, t->rows[i].key, k1), c, s);
	}
	tt_done(x, &tt, "    ");
	if (same)
		para(x, "    ", N_("(fewer than 10 records: these shares rest on %zu)"),
		     t->rows[0].fig.denom);
}

/* A cross table of findings: one line per key, "answer count (share)" cells. */
static void cross(struct tx *x, const struct ss_report_table *t, const char *key_head,
                  const struct ss_report_table *answers)
{
	struct ttab tt;
	size_t i, j, nv = answers->nrows, ncols = nv + 3;
	const char *cells[TMAXCOLS] = {0};
	char buf[TMAXCOLS][160];
	char total[32], few[96];

	if (t->nrows == 0 || nv == 0) {
		put(x, "    (%s)\n", W(N_("none"), few));
		return;
	}
	if (ncols > TMAXCOLS) {
		/* too many answers for one line: list the rows */
		table(x, t, key_head, N_("Answers"));
		return;
	}
	tt_init(&tt, ncols, "lrrrrrrl");
	cells[0] = W(key_head, buf[0]);
	cells[1] = W(N_("Answers"), buf[1]);
	for (j = 0; j < nv; j++)
		cells[j + 2] =
		    ss_report_answer_words(x->r, x->qid, answers->rows[j].key, buf[j + 2], 160);
	cells[nv + 2] = "";
	tt_rowv(&tt, cells);
	for (i = 0; i < t->nrows; i += nv) {
		struct ss_report_fig den = {.count = t->rows[i].fig.denom,
		                            .hidden = t->rows[i].fig.denom_hidden};

		ss_report_count_text(x->r, &den, total, sizeof(total));
		cells[0] = ss_report_key_words(x->r, t->rows[i].key, buf[0], sizeof(buf[0]));
		cells[1] = total;
		for (j = 0; j < nv && i + j < t->nrows; j++) {
			const struct ss_report_fig *f = &t->rows[i + j].fig;
			char c[32], p[32];

			ss_report_count_text(x->r, f, c, sizeof(c));
			ss_report_pct_text(f, p, sizeof(p));
			if (*p)
				snprintf(buf[j + 2], sizeof(buf[j + 2]), "%s (%s)", c, p);
			else
				snprintf(buf[j + 2], sizeof(buf[j + 2]), "%s", c);
			cells[j + 2] = buf[j + 2];
		}
		cells[nv + 2] = t->rows[i].fig.denom > 0 && t->rows[i].fig.denom < SS_REPORT_FEW &&
		                        !t->rows[i].fig.denom_hidden
		                    ? ss_report_few_words(x->r, few, sizeof(few))
		                    : "";
		tt_rowv(&tt, cells);
	}
	tt_done(x, &tt, "    ");
}

static void line_fig(struct tx *x, const char *label, const struct ss_report_fig *f)
{
	char s[320], w[320];

	ss_report_fig_text(x->r, f, s, sizeof(s));
	put(x, "  %s: %s\n", W(label, w), s);
}

static void months_list(struct tx *x, const char *label, char **v, size_t n)
{
	char w[160];
	size_t i;

	if (n == 0)
		return;
	put(x, "%s", W(label, w));
	for (i = 0; i < n; i++)
		put(x, "%s%s", i ? ", " : " ", v[i]);
	put(x, "\n");
}

/* ---- sections ---- */

static void head(struct tx *x)
{
	const struct ss_report *r = x->r;
	char title[256], w[2048];
	size_t i;

	ss_report_title(r, title, sizeof(title));
	put(x, "%s\n", title);
	if (*r->title && strcmp(r->title, r->policy_name) != 0)
		put(x, "%s\n", r->title);
	put(x, "%s: %s\n", W(N_("Policy"), w), r->policy_name);
	months_list(x, N_("Months with records:"), r->months_data, r->nmonths_data);
	months_list(x, N_("Months with no records imported:"), r->months_missing,
	            r->nmonths_missing);
	months_list(x, N_("Months imported but not yet sampled:"), r->months_unsampled,
	            r->nmonths_unsampled);
	if (r->public) {
		put(x, "\n%s\n", W(N_("PUBLIC VERSION"), w));
		para(x, "", PUBLIC_NOTE, r->public_min - 1, r->public_min);
	}
	put(x, "\n");
	para(x, "", EVERY_PCT);
	if (r->ncaveats) {
		put(x, "\n%s:\n", W(N_("Please note"), w));
		for (i = 0; i < r->ncaveats; i++)
			/* one line each (cy+en: the Welsh, then the English), as before */
			put(x, "  - %s\n", ss_report_caveat(r, i, "\n    ", w, sizeof(w)));
	}
}

static void population(struct tx *x)
{
	const struct ss_report *r = x->r;
	static const char *const key_heads[SS_REPORT_NBY] = {
	    N_("Area"),        N_("Type"),
	    N_("Legislation"), N_("Object of search"),
	    N_("Outcome"),     N_("Officer-defined ethnicity"),
	    N_("Age range"),   N_("Gender")};
	char c[32], rate[96], ratio[32], res[32], ratio_note[160], w[160], few[96];
	struct ttab tt;
	size_t k, i;

	heading(x, N_("1. The searches"));
	line_fig(x, N_("Searches recorded"), &r->searches);
	line_fig(x, N_("With a positive outcome (as the policy defines it)"), &r->positive);
	line_fig(x, N_("Outcome linked to the object of the search"), &r->linked);
	line_fig(x, N_("Strip searches (more than outer clothing removed)"), &r->strip);
	line_fig(x, N_("Children searched (under 10, and 10-17)"), &r->children);
	for (k = 0; k < SS_REPORT_NBY; k++) {
		subheading(x, r->by[k].title);
		table(x, &r->by[k], key_heads[k], N_("Searches"));
	}
	if (!r->census)
		return;
	subheading(x, N_("Searches per 1,000 residents, by officer-defined ethnicity"));
	{
		char lead[200];

		snprintf(lead, sizeof(lead), "    %s: ", W(N_("Figures for residents"), w));
		wrap(x, "    ", lead,
		     r->census_source ? r->census_source
		                      : W(N_("the policy does not say where they come from"), w));
	}
	para(x, "    ", RATE_NOTE);
	tt_init(&tt, 6, "llrrrr");
	tt_head(r, &tt, N_("Area"), N_("Ethnicity"), N_("Residents"), N_("Searches"),
	        N_("Per 1,000"), N_("Ratio to White"));
	for (i = 0; i < r->nrates; i++) {
		const struct ss_report_rate *rt = &r->rates[i];

		ss_report_count_text(r, &rt->searches, c, sizeof(c));
		snprintf(res, sizeof(res), "%lu", rt->residents);
		if (rt->rate_defined)
			ss_report_x100_text(rt->per1000_x100, rate, sizeof(rate));
		else
			snprintf(
			    rate, sizeof(rate), "%s",
			    ss_report_words(r, rt->residents ? N_("withheld") : N_("no residents"),
			                    w, sizeof(w)));
		if (rt->ratio_defined)
			ss_report_x100_text(rt->ratio_x100, ratio, sizeof(ratio));
		else
			snprintf(ratio, sizeof(ratio), "-");
		snprintf(ratio_note, sizeof(ratio_note), "%s%s%s", ratio,
		         rt->few && rt->ratio_defined ? " " : "",
		         rt->few && rt->ratio_defined ? ss_report_few_words(r, few, sizeof(few))
		                                      : "");
		tt_row(&tt, rt->area ? rt->area : W(N_("whole force"), w), rt->ethnicity, res, c,
		       rate, ratio_note);
	}
	tt_done(x, &tt, "    ");
	line_fig(x,
	         N_("Searches outside these groups (other or blank ethnicity, or an area the "
	            "figures do not cover)"),
	         &r->outside_groups);
}

static void sample(struct tx *x)
{
	const struct ss_report *r = x->r;
	char a[32], b[32], c[32], d[160], p[32], w[600], few[96];
	struct ttab tt;
	size_t i, j;

	heading(x, N_("2. The sample"));
	if (r->nsamples == 0) {
		para(x, "  ", N_("No month in the range has been sampled yet."));
		return;
	}
	for (i = 0; i < r->nsamples; i++) {
		const struct ss_report_sample *s = &r->samples[i];
		char words[64];

		put(x, "\n  %s\n", ss_report_month_words(r, s->month, words, sizeof(words)));
		if (s->generated && s->policy_matches)
			para(x, "  ",
			     N_("Seed: \"%s\" (generated by ssaudit, not given at a meeting), rate "
			        "%s"),
			     s->seed, s->rate);
		else if (s->generated)
			para(x, "  ",
			     N_("Seed: \"%s\" (generated by ssaudit, not given at a meeting), rate "
			        "%s, "
			        "under a different policy"),
			     s->seed, s->rate);
		else if (s->policy_matches)
			para(x, "  ",
			     N_("Seed: \"%s\" (given, e.g. dice rolled at the meeting), rate %s"),
			     s->seed, s->rate);
		else
			para(x, "  ",
			     N_("Seed: \"%s\" (given, e.g. dice rolled at the meeting), rate %s, "
			        "under a "
			        "different policy"),
			     s->seed, s->rate);
		line_fig(x, N_("Searches sampled"), &s->sampled);
		if (s->version < 2)
			line_fig(x, N_("Always included by the policy's rules"), &s->always);
		else {
			line_fig(x, N_("In the random core"), &s->core);
			line_fig(x, N_("Targeted by the policy's rules, outside the core"),
			         &s->targeted);
			line_fig(x, N_("Targeted but not reached (the rate was full)"),
			         &s->not_reached);
		}
		if (s->version < 2) {
			tt_init(&tt, 5, "lrrrr");
			tt_head(r, &tt, N_("Stratum"), N_("Searches"), N_("Always"), N_("Drawn"),
			        N_("Share drawn"));
		} else {
			tt_init(&tt, 8, "lrrrrrrr");
			tt_head(r, &tt, N_("Stratum"), N_("Searches"), N_("Core"), N_("Always"),
			        N_("Targeted"), N_("Not reached"), N_("Drawn"), N_("Share drawn"));
		}
		for (j = 0; j < s->nstrata; j++) {
			const struct ss_report_stratum *st = &s->strata[j];

			ss_report_count_text(r, &st->population, a, sizeof(a));
			ss_report_count_text(r, &st->always, b, sizeof(b));
			ss_report_count_text(r, &st->drawn, c, sizeof(c));
			ss_report_pct_text(&st->drawn, p, sizeof(p));
			snprintf(
			    d, sizeof(d), "%s%s%s", p, ss_report_fig_few(&st->drawn) ? " " : "",
			    ss_report_fig_few(&st->drawn) ? ss_report_few_words(r, few, sizeof(few))
			                                  : "");
			if (s->version < 2) {
				tt_row(&tt, ss_report_label_words(r, st->label, w, sizeof(w)), a, b,
				       c, d);
			} else {
				char e[32], f[32], g[32];

				ss_report_count_text(r, &st->core, e, sizeof(e));
				ss_report_count_text(r, &st->targeted, f, sizeof(f));
				ss_report_count_text(r, &st->not_reached, g, sizeof(g));
				tt_row(&tt, ss_report_label_words(r, st->label, w, sizeof(w)), a, e,
				       b, f, g, c, d);
			}
		}
		tt_done(x, &tt, "    ");
		if (s->nwarnings) {
			put(x, "    %s:\n", W(N_("Warnings"), w));
			for (j = 0; j < s->nwarnings; j++)
				put(x, "    - %s\n", s->warnings[j]);
		}
		if (s->nblanks) {
			put(x, "    %s:\n",
			    W(N_("Blank values in the fields the sampling rules read"), w));
			tt_init(&tt, 3, "lrr");
			tt_head(r, &tt, N_("Field"), N_("Blank"), N_("Share"));
			for (j = 0; j < s->nblanks; j++) {
				ss_report_count_text(r, &s->blanks[j].count, a, sizeof(a));
				ss_report_pct_text(&s->blanks[j].count, p, sizeof(p));
				tt_row(&tt, s->blanks[j].field, a, p);
			}
			tt_done(x, &tt, "    ");
		}
	}
}

static void progress(struct tx *x)
{
	const struct ss_report *r = x->r;
	char a[32], b[32], c[32], d[32], pb[32], pc[32], pd[32], e[48], f[48], g[48], w[160];
	struct ttab tt;
	size_t i;

	heading(x, N_("3. Review progress"));
	if (r->nprogress == 0) {
		para(x, "  ", N_("Nothing to review yet."));
		return;
	}
	para(x, "  ", N_("Records each role must review, and how many have at least one verdict."));
	tt_init(&tt, 6, "llrrrr");
	tt_head(r, &tt, N_("Role"), N_("Month"), N_("Assigned"), N_("Reviewed"), N_("Waived"),
	        N_("Missing"));
	for (i = 0; i < r->nprogress; i++) {
		const struct ss_report_progress *p = &r->progress[i];

		ss_report_count_text(r, &p->assigned, a, sizeof(a));
		ss_report_count_text(r, &p->reviewed, b, sizeof(b));
		ss_report_count_text(r, &p->waived, c, sizeof(c));
		ss_report_count_text(r, &p->missing, d, sizeof(d));
		ss_report_pct_text(&p->reviewed, pb, sizeof(pb));
		ss_report_pct_text(&p->waived, pc, sizeof(pc));
		ss_report_pct_text(&p->missing, pd, sizeof(pd));
		snprintf(e, sizeof(e), *pb ? "%s (%s)" : "%s", b, pb);
		snprintf(f, sizeof(f), *pc ? "%s (%s)" : "%s", c, pc);
		snprintf(g, sizeof(g), *pd ? "%s (%s)" : "%s", d, pd);
		tt_row(&tt, p->role, p->month ? p->month : W(N_("all months"), w), a, e, f, g);
	}
	tt_done(x, &tt, "  ");
}

static void findings(struct tx *x)
{
	const struct ss_report *r = x->r;
	static const char *const heads[3] = {N_("Area"), N_("Ethnicity"), N_("Legislation")};
	char v[32], title[600], w[600];
	size_t i, q, b;

	heading(x, N_("4. Findings, per role"));
	para(x, "  ",
	     N_("Each reviewer's answer counts once (a record two members of a role "
	        "reviewed counts twice)."));
	for (i = 0; i < r->nfindings; i++) {
		const struct ss_report_findings *f = &r->findings[i];

		ss_report_count_text(r, &f->verdicts, v, sizeof(v));
		ss_report_say(r, " / ", title, sizeof(title),
		              f->verdicts.count == 1 && !f->verdicts.hidden ? N_("%s: %s verdict")
		                                                            : N_("%s: %s verdicts"),
		              f->role, v);
		put(x, "\n  %s\n", title);
		if (f->verdicts.count == 0)
			continue;
		for (q = 0; q < f->nquestions; q++) {
			const struct ss_report_qfind *qf = &f->questions[q];
			char lead[80];

			snprintf(lead, sizeof(lead), "   [%.60s] ", qf->id);
			put(x, "\n");
			wrap(x, "   ", lead, ss_report_question_words(r, qf->id, w, sizeof(w)));
			x->qid = qf->id;
			table(x, &qf->answers, N_("Answer"), N_("Answers"));
			for (b = 0; b < 3; b++) {
				put(x, "    %s %s:\n", qf->id, W(qf->by[b].title, title));
				cross(x, &qf->by[b], heads[b], &qf->answers);
			}
			x->qid = NULL;
		}
	}
}

static void agreement(struct tx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_agreement *ag = &r->agreement;
	char n[32], a[32], p[160], k[64], t[32], title[400], few[96];
	struct ttab tt;
	size_t i, j, m;

	heading(x, N_("5. Agreement between roles"));
	if (ag->question == NULL || ag->npairs == 0) {
		para(x, "  ", N_("There are fewer than two reviewing roles to compare."));
		return;
	}
	{
		char q[600];

		para(x, "  ", AGREEMENT_NOTE,
		     ss_report_question_words(r, ag->question, q, sizeof(q)));
	}
	tt_init(&tt, 6, "lrrrrr");
	tt_head(r, &tt, N_("Roles"), N_("Records"), N_("Agreeing"), N_("Share"), N_("Kappa"),
	        N_("Ties left out"));
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *pr = &ag->pairs[i];
		char roles[96], pc[32];

		snprintf(roles, sizeof(roles), "%s / %s", pr->role_a, pr->role_b);
		ss_report_count_text(r, &pr->records, n, sizeof(n));
		ss_report_count_text(r, &pr->agreeing, a, sizeof(a));
		ss_report_pct_text(&pr->agreeing, pc, sizeof(pc));
		snprintf(p, sizeof(p), "%s%s%s", pc, ss_report_fig_few(&pr->agreeing) ? " " : "",
		         ss_report_fig_few(&pr->agreeing) ? ss_report_few_words(r, few, sizeof(few))
		                                          : "");
		ss_report_kappa_words(r, pr, k, sizeof(k));
		ss_report_count_text(r, &pr->ties, t, sizeof(t));
		tt_row(&tt, roles, n, a, p, k, t);
	}
	tt_done(x, &tt, "  ");
	if (ag->nvalues + 1 > TMAXCOLS)
		return;
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *pr = &ag->pairs[i];
		const char *cells[TMAXCOLS] = {0};
		char buf[TMAXCOLS][160];

		if (pr->records.count == 0)
			continue;
		ss_report_say(r, " / ", title, sizeof(title), N_("%s (rows) by %s (columns)"),
		              pr->role_a, pr->role_b);
		put(x, "\n  %s\n", title);
		tt_init(&tt, ag->nvalues + 1, "lrrrrrrr");
		cells[0] = "";
		for (j = 0; j < ag->nvalues; j++)
			cells[j + 1] = ss_report_answer_words(r, ag->question, ag->values[j],
			                                      buf[j + 1], sizeof(buf[j + 1]));
		tt_rowv(&tt, cells);
		for (j = 0; j < ag->nvalues; j++) {
			cells[0] = ss_report_answer_words(r, ag->question, ag->values[j], buf[0],
			                                  sizeof(buf[0]));
			for (m = 0; m < ag->nvalues; m++) {
				ss_report_count_text(r, &pr->cell_figs[j * ag->nvalues + m],
				                     buf[m + 1], sizeof(buf[m + 1]));
				cells[m + 1] = buf[m + 1];
			}
			tt_rowv(&tt, cells);
		}
		tt_done(x, &tt, "    ");
	}
}

static void corrections(struct tx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_corrections *c = &r->corrections;

	/* check: "cywiro" for correcting a recorded outcome */
	heading(x, N_("6. Outcome corrections"));
	para(x, "  ", CORRECTIONS_NOTE);
	line_fig(x, N_("Corrections recorded"), &c->corrections);
	line_fig(x, N_("Searches with a correction"), &c->records);
	line_fig(x, N_("Positive outcome, as recorded at the time"), &c->positive_recorded);
	line_fig(x, N_("Positive outcome, as corrected"), &c->positive_corrected);
	line_fig(x, N_("Outcome linked to the object, as recorded"), &c->linked_recorded);
	line_fig(x, N_("Outcome linked to the object, as corrected"), &c->linked_corrected);
	subheading(x, c->outcome.title);
	table(x, &c->outcome, N_("From"), N_("Searches"));
	subheading(x, c->linked.title);
	table(x, &c->linked, N_("From"), N_("Searches"));
}

/* What the force did about one item, or how long it has waited. */
static void followup_responses(struct tx *x, const struct ss_report_followup *f)
{
	const struct ss_report *r = x->r;
	char day[11], said[400], s[800];
	size_t k;

	for (k = 0; k < f->nresponses; k++) {
		const struct ss_report_response *rp = &f->responses[k];
		const char *w = ss_report_response_words(r, rp->action, said, sizeof(said));
		char what[600];

		if (strcmp(w, rp->action) != 0)
			snprintf(what, sizeof(what), "%s (%s)", w, rp->action);
		else
			snprintf(what, sizeof(what), "%s", w);
		put(x, "    %s %u: %s, %s %s", W(N_("response"), s), rp->number, what,
		    W(N_("by"), said), rp->role ? rp->role : rp->by);
		if (rp->when > 0) {
			ss_report_uk_day(rp->when, day);
			put(x, ", %s", day);
		}
		put(x, "\n");
		if (rp->note)
			put(x, "      %s: %s\n", W(N_("note"), said), rp->note);
	}
	if (f->nresponses > 0)
		return;
	if (f->days >= 0)
		ss_report_say(r, " / ", s, sizeof(s),
		              f->days == 1
		                  ? N_("awaiting a response: %ld day since the month closed")
		                  : N_("awaiting a response: %ld days since the month closed"),
		              f->days);
	else
		snprintf(s, sizeof(s), "%s",
		         W(f->closed ? N_("awaiting a response (the month is closed)")
		                     : N_("awaiting a response (the month is still open)"),
		           said));
	put(x, "    %s\n", s);
}

static void followups(struct tx *x)
{
	const struct ss_report *r = x->r;
	char w[4][400];
	size_t i, j;

	/* check: "dilyn i fyny" for follow-up */
	heading(x, N_("7. Follow-up list"));
	if (r->public) {
		char c[32], a[32], g[32];

		ss_report_count_text(r, &r->followup_items, c, sizeof(c));
		ss_report_count_text(r, &r->followup_answered, a, sizeof(a));
		ss_report_count_text(r, &r->followup_given, g, sizeof(g));
		para(x, "  ", FOLLOW_PUBLIC, c, a, g);
		return;
	}
	if (r->nfollowups == 0) {
		para(x, "  ", FOLLOW_NONE);
		return;
	}
	para(x, "  ", FOLLOW_NOTE);
	para(x, "  ", FOLLOW_COUNT(r->nfollowups, r->followup_responses), r->nfollowups,
	     r->followup_responded, r->followup_responses, r->nfollowups - r->followup_responded);
	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];
		char when[SS_UK_TIME_MAX], s[1200];

		put(x, "\n  %s %s  %s; ", f->month, f->id,
		    ss_report_key_words(r, ss_report_when(x->r, f->datetime, when, sizeof(when)),
		                        w[0], sizeof(w[0])));
		put(x, "%s; %s; ", ss_report_key_words(r, f->area, w[1], sizeof(w[1])),
		    ss_report_key_words(r, f->legislation, w[2], sizeof(w[2])));
		put(x, "%s: %s; ", W(N_("outcome"), s),
		    f->outcome ? ss_report_outcome_words(r, f->outcome, w[3], sizeof(w[3]))
		               : ss_report_key_words(r, NULL, w[3], sizeof(w[3])));
		put(x, "%s: %s\n", W(N_("officer"), s), ss_report_key_text(f->officer));
		for (j = 0; j < f->nflags; j++) {
			const char *q = f->flags[j].question;

			put(x, "    %s = %s, %s %s (%s)\n", q,
			    ss_report_answer_words(r, q, f->flags[j].answer, w[0], sizeof(w[0])),
			    W(N_("said by"), s), f->flags[j].reviewer, f->flags[j].role);
		}
		followup_responses(x, f);
	}
}

static void notes(struct tx *x)
{
	const struct ss_report *r = x->r;
	size_t i;
	const char *p;

	heading(x, N_("8. Reviewers' notes"));
	if (r->public) {
		para(x, "  ", N_("Left out of the public version."));
		return;
	}
	if (r->nnotes == 0) {
		para(x, "  ", N_("No notes."));
		return;
	}
	for (i = 0; i < r->nnotes; i++) {
		const struct ss_report_note *n = &r->notes[i];

		put(x, "\n  %s %s, %s (%s):\n    ", n->month, n->id, n->reviewer, n->role);
		for (p = n->note; *p && !x->err; p++) {
			if (*p == '\n')
				put(x, "\n    ");
			else if ((unsigned char)*p >= 0x20 || *p == '\t')
				x->err = ss_buf_putc(x->b, *p);
		}
		put(x, "\n");
	}
}

static bool same_month(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Roles with estimates, in the order first met. */
static size_t est_roles(const struct ss_report *r, const char **roles, size_t cap)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nestimates; i++) {
		for (j = 0; j < n && strcmp(roles[j], r->estimates[i].role) != 0; j++)
			;
		if (j == n && n < cap)
			roles[n++] = r->estimates[i].role;
	}
	return n;
}

static void estimates(struct tx *x)
{
	const struct ss_report *r = x->r;
	char s[2048], w[160];
	size_t i;

	/* check: "amcangyfrifon" for estimates */
	heading(x, N_("Estimates for all searches"));
	para(x, "  ", ESTIMATES_NOTE);
	for (i = 0; i < r->nmonths_v1; i++)
		para(x, "  ", N_("%s: sampled without a random core, so no estimate."),
		     r->months_v1[i]);
	if (r->nestimates == 0) {
		para(x, "  ", N_("(no estimate: no role has answered a randomly chosen search)"));
		return;
	}
	for (i = 0; i < r->nestimates; i++) {
		const struct ss_report_estimate *e = &r->estimates[i];

		if (i == 0 || !same_month(e->month, r->estimates[i - 1].month))
			put(x, "\n  %s\n", e->month ? e->month : W(N_("The whole range"), w));
		/* one line each, as a terminal's reader may search for a sentence */
		ss_report_estimate_text(r, e, ".\n    ", s, sizeof(s));
		put(x, "    %s.\n", s);
		if (e->targeted > 0 && !e->hidden)
			para(x, "      ",
			     N_("Targeted reviews, apart: %zu of %zu targeted searches."),
			     e->targeted_yes, e->targeted);
	}
}

static void trend(struct tx *x)
{
	const struct ss_report *r = x->r;
	const char *roles[64];
	size_t nr = est_roles(r, roles, 64), i, k;
	struct ttab tt;
	char c[6][320];

	if (strcmp(r->from, r->to) == 0)
		return;
	heading(x, N_("Trend, month by month"));
	if (r->ntrend == 0) {
		put(x, "    (%s)\n", W(N_("no month with records"), c[0]));
		return;
	}
	tt_init(&tt, 6, "lrrrrr");
	tt_head(r, &tt, N_("Month"), N_("Searches"), N_("Positive outcome, as recorded"),
	        N_("As corrected"), N_("Sampled"), N_("Reviewed"));
	for (i = 0; i < r->ntrend; i++) {
		const struct ss_report_trend *t = &r->trend[i];

		ss_report_count_text(r, &t->searches, c[1], sizeof(c[1]));
		ss_report_fig_text(r, &t->positive_recorded, c[2], sizeof(c[2]));
		ss_report_fig_text(r, &t->positive_corrected, c[3], sizeof(c[3]));
		ss_report_count_text(r, &t->sampled, c[4], sizeof(c[4]));
		ss_report_count_text(r, &t->reviewed, c[5], sizeof(c[5]));
		tt_row(&tt, t->month, c[1], c[2], c[3], c[4], c[5]);
	}
	tt_done(x, &tt, "    ");
	subheading(x,
	           /* check: "cyfwng 95%" for the 95% interval */
	           /* xgettext:no-c-format */
	           N_("Grounds judged not reasonable: estimate for all searches (95% interval)"));
	tt_init(&tt, 3, "llr");
	tt_head(r, &tt, N_("Month"), N_("Role"), N_("Estimate"));
	for (i = 0; i < r->ntrend; i++) {
		const struct ss_report_trend *t = &r->trend[i];
		const char *none = W(t->estimated ? N_("no estimate") : N_("no random core"), c[1]);

		for (k = 0; k < nr; k++) {
			const struct ss_report_estimate *es = ss_report_estimate_find(
			    r, t->month, roles[k], "grounds", "not-reasonable");

			if (es)
				ss_report_estimate_short(r, es, c[0], sizeof(c[0]));
			else
				snprintf(c[0], sizeof(c[0]), "%s", none);
			tt_row(&tt, t->month, roles[k], c[0]);
		}
		if (nr == 0)
			tt_row(&tt, t->month, "", none);
	}
	tt_done(x, &tt, "    ");
}
int ss_report_text(const struct ss_report *r, struct ss_buf *out)
{
	struct tx x = {r, out, 0, NULL};
	size_t from = out->len, i;

	head(&x);
	population(&x);
	sample(&x);
	progress(&x);
	findings(&x);
	agreement(&x);
	corrections(&x);
	followups(&x);
	notes(&x);
	estimates(&x);
	trend(&x);
	/* Values come from the force's files: no control character reaches a terminal. */
	for (i = from; !x.err && i < out->len; i++)
		if (((unsigned char)out->data[i] < 0x20 && out->data[i] != '\n') ||
		    out->data[i] == 0x7f)
			out->data[i] = '?';
	return x.err ? ss_error_nomem() : 0;
}
