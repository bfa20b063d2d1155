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
static void tt_row(struct ttab *t, ...)
{
	va_list ap;
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
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		t->cells[t->nrows * t->ncols + i] = strdup(s ? s : "");
		if (t->cells[t->nrows * t->ncols + i] == NULL)
			t->err = SS_ENOMEM;
	}
	va_end(ap);
	t->nrows++;
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

static void tt_done(struct tx *x, struct ttab *t, const char *indent)
{
	int err = tt_put(t, x->b, indent);

	if (!x->err)
		x->err = err;
}

static void fig_cells(const struct ss_report *r, const struct ss_report_fig *f, char count[32],
                      char share[64])
{
	char p[32];

	ss_report_count_text(r, f, count, 32);
	ss_report_pct_text(f, p, sizeof(p));
	snprintf(share, 64, "%.31s%s", p, ss_report_fig_few(f) ? " (fewer than 10 records)" : "");
}

/* A one-way table: key, count, share. */
static void table(struct tx *x, const struct ss_report_table *t, const char *key_head,
                  const char *count_head)
{
	struct ttab tt;
	char c[32], s[64], p[32];
	bool same = true;
	size_t i;

	if (t->nrows == 0) {
		put(x, "    (none)\n");
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
			tt_row(&tt, ss_report_key_text(t->rows[i].key),
			       ss_report_key_text(t->rows[i].subkey), c, s);
		else
			tt_row(&tt, ss_report_key_text(t->rows[i].key), c, s);
	}
	tt_done(x, &tt, "    ");
	if (same)
		put(x, "    (fewer than 10 records: these shares rest on %zu)\n",
		    t->rows[0].fig.denom);
}

/* A cross table of findings: one line per key, "answer count (share)" cells. */
static void cross(struct tx *x, const struct ss_report_table *t, const char *key_head,
                  const struct ss_report_table *answers)
{
	struct ttab tt;
	size_t i, j, nv = answers->nrows, ncols = nv + 3;
	char *cells[TMAXCOLS] = {0};
	char buf[TMAXCOLS][96];
	char total[32];

	if (t->nrows == 0 || nv == 0) {
		put(x, "    (none)\n");
		return;
	}
	if (ncols > TMAXCOLS) {
		/* too many answers for one line: list the rows */
		table(x, t, key_head, "Answers");
		return;
	}
	tt_init(&tt, ncols, "lrrrrrrl");
	cells[0] = (char *)key_head;
	cells[1] = "Answers";
	for (j = 0; j < nv; j++)
		cells[j + 2] = answers->rows[j].key;
	cells[nv + 2] = "";
	tt_row(&tt, cells[0], cells[1], cells[2], ncols > 3 ? cells[3] : NULL,
	       ncols > 4 ? cells[4] : NULL, ncols > 5 ? cells[5] : NULL,
	       ncols > 6 ? cells[6] : NULL, ncols > 7 ? cells[7] : NULL);
	for (i = 0; i < t->nrows; i += nv) {
		struct ss_report_fig den = {.count = t->rows[i].fig.denom,
		                            .hidden = t->rows[i].fig.denom_hidden};

		ss_report_count_text(x->r, &den, total, sizeof(total));
		for (j = 0; j < nv && i + j < t->nrows; j++) {
			const struct ss_report_fig *f = &t->rows[i + j].fig;
			char c[32], p[32];

			ss_report_count_text(x->r, f, c, sizeof(c));
			ss_report_pct_text(f, p, sizeof(p));
			if (*p)
				snprintf(buf[j], sizeof(buf[j]), "%s (%s)", c, p);
			else
				snprintf(buf[j], sizeof(buf[j]), "%s", c);
			cells[j + 2] = buf[j];
		}
		cells[nv + 2] = t->rows[i].fig.denom > 0 && t->rows[i].fig.denom < SS_REPORT_FEW &&
		                        !t->rows[i].fig.denom_hidden
		                    ? "(fewer than 10 records)"
		                    : "";
		tt_row(&tt, ss_report_key_text(t->rows[i].key), total, cells[2],
		       ncols > 3 ? cells[3] : NULL, ncols > 4 ? cells[4] : NULL,
		       ncols > 5 ? cells[5] : NULL, ncols > 6 ? cells[6] : NULL,
		       ncols > 7 ? cells[7] : NULL);
	}
	tt_done(x, &tt, "    ");
}

static void line_fig(struct tx *x, const char *label, const struct ss_report_fig *f)
{
	char s[160];

	ss_report_fig_text(x->r, f, s, sizeof(s));
	put(x, "  %s: %s\n", label, s);
}

static void months_list(struct tx *x, const char *label, char **v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	put(x, "%s", label);
	for (i = 0; i < n; i++)
		put(x, "%s%s", i ? ", " : " ", v[i]);
	put(x, "\n");
}

/* ---- sections ---- */

static void head(struct tx *x)
{
	const struct ss_report *r = x->r;
	char title[256];
	size_t i;

	ss_report_title(r, title, sizeof(title));
	put(x, "%s\n", title);
	if (*r->title && strcmp(r->title, r->policy_name) != 0)
		put(x, "%s\n", r->title);
	put(x, "Policy: %s\n", r->policy_name);
	months_list(x, "Months with records:", r->months_data, r->nmonths_data);
	months_list(x, "Months with no records imported:", r->months_missing, r->nmonths_missing);
	months_list(x, "Months imported but not yet sampled:", r->months_unsampled,
	            r->nmonths_unsampled);
	if (r->public)
		put(x,
		    "\nPUBLIC VERSION: [c] marks a count kept confidential. Reviewers' findings,\n"
		    "corrections and responses from 1 to %u are hidden, and so are further counts\n"
		    "until no hidden count can be narrowed down to a range less than %u wide from\n"
		    "anything else this report shows; a percentage, rate or estimate resting on a\n"
		    "hidden count is left out. The population's figures are public already and\n"
		    "shown in full. Reviewers' notes, the follow-up list's record ids, officer\n"
		    "pseudonyms and per-reviewer figures are not included.\n",
		    r->public_min - 1, r->public_min);
	put(x, "\nEvery percentage stands beside its count. A percentage resting on fewer\n"
	       "than 10 records says so: it can change a lot with one record.\n");
	if (r->ncaveats) {
		put(x, "\nPlease note:\n");
		for (i = 0; i < r->ncaveats; i++)
			put(x, "  - %s\n", r->caveats[i]);
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
	char c[32], rate[32], ratio[32], res[32];
	struct ttab tt;
	size_t k, i;

	heading(x, N_("1. The searches"));
	line_fig(x, "Searches recorded", &r->searches);
	line_fig(x, "With a positive outcome (as the policy defines it)", &r->positive);
	line_fig(x, "Outcome linked to the object of the search", &r->linked);
	line_fig(x, "Strip searches (more than outer clothing removed)", &r->strip);
	line_fig(x, "Children searched (under 10, and 10-17)", &r->children);
	for (k = 0; k < SS_REPORT_NBY; k++) {
		subheading(x, r->by[k].title);
		table(x, &r->by[k], key_heads[k], N_("Searches"));
	}
	if (!r->census)
		return;
	subheading(x, N_("Searches per 1,000 residents, by officer-defined ethnicity"));
	wrap(x, "    ", "    Figures for residents: ",
	     r->census_source ? r->census_source : "the policy does not say where they come from");
	put(x, "    The rate counts searches in the months covered (not per year). The ratio\n"
	       "    compares each group's rate with the rate for White residents: 2.00 means\n"
	       "    twice as likely to be searched.\n");
	tt_init(&tt, 6, "llrrrr");
	tt_row(&tt, "Area", "Ethnicity", "Residents", "Searches", "Per 1,000", "Ratio to White");
	for (i = 0; i < r->nrates; i++) {
		const struct ss_report_rate *rt = &r->rates[i];
		char ratio_note[64];

		ss_report_count_text(r, &rt->searches, c, sizeof(c));
		snprintf(res, sizeof(res), "%lu", rt->residents);
		if (rt->rate_defined)
			ss_report_x100_text(rt->per1000_x100, rate, sizeof(rate));
		else
			snprintf(rate, sizeof(rate), "%s",
			         rt->residents ? "withheld" : "no residents");
		if (rt->ratio_defined)
			ss_report_x100_text(rt->ratio_x100, ratio, sizeof(ratio));
		else
			snprintf(ratio, sizeof(ratio), "-");
		snprintf(ratio_note, sizeof(ratio_note), "%s%s", ratio,
		         rt->few && rt->ratio_defined ? " (fewer than 10 records)" : "");
		tt_row(&tt, rt->area ? rt->area : "whole force", rt->ethnicity, res, c, rate,
		       ratio_note);
	}
	tt_done(x, &tt, "    ");
	line_fig(x,
	         "Searches outside these groups (other or blank ethnicity, or an area the figures "
	         "do not cover)",
	         &r->outside_groups);
}

static void sample(struct tx *x)
{
	const struct ss_report *r = x->r;
	char a[32], b[32], c[32], d[64], p[32];
	struct ttab tt;
	size_t i, j;

	heading(x, N_("2. The sample"));
	if (r->nsamples == 0) {
		put(x, "  No month in the range has been sampled yet.\n");
		return;
	}
	for (i = 0; i < r->nsamples; i++) {
		const struct ss_report_sample *s = &r->samples[i];
		char words[32];

		ss_month_words(s->month, words, sizeof(words));
		subheading(x, words);
		put(x, "  Seed: \"%s\" (%s), rate %s%s\n", s->seed,
		    s->generated ? "generated by ssaudit, not given at a meeting"
		                 : "given, e.g. dice rolled at the meeting",
		    s->rate, s->policy_matches ? "" : ", under a different policy");
		line_fig(x, "Searches sampled", &s->sampled);
		if (s->version < 2)
			line_fig(x, "Always included by the policy's rules", &s->always);
		else {
			line_fig(x, "In the random core", &s->core);
			line_fig(x, "Targeted by the policy's rules, outside the core",
			         &s->targeted);
			line_fig(x, "Targeted but not reached (the rate was full)",
			         &s->not_reached);
		}
		if (s->version < 2) {
			tt_init(&tt, 5, "lrrrr");
			tt_row(&tt, "Stratum", "Searches", "Always", "Drawn", "Share drawn");
		} else {
			tt_init(&tt, 8, "lrrrrrrr");
			tt_row(&tt, "Stratum", "Searches", "Core", "Always", "Targeted",
			       "Not reached", "Drawn", "Share drawn");
		}
		for (j = 0; j < s->nstrata; j++) {
			const struct ss_report_stratum *st = &s->strata[j];

			ss_report_count_text(r, &st->population, a, sizeof(a));
			ss_report_count_text(r, &st->always, b, sizeof(b));
			ss_report_count_text(r, &st->drawn, c, sizeof(c));
			ss_report_pct_text(&st->drawn, p, sizeof(p));
			snprintf(d, sizeof(d), "%s%s", p,
			         ss_report_fig_few(&st->drawn) ? " (fewer than 10 records)" : "");
			if (s->version < 2) {
				tt_row(&tt, st->label, a, b, c, d);
			} else {
				char e[32], f[32], g[32];

				ss_report_count_text(r, &st->core, e, sizeof(e));
				ss_report_count_text(r, &st->targeted, f, sizeof(f));
				ss_report_count_text(r, &st->not_reached, g, sizeof(g));
				tt_row(&tt, st->label, a, e, b, f, g, c, d);
			}
		}
		tt_done(x, &tt, "    ");
		if (s->nwarnings) {
			put(x, "    Warnings:\n");
			for (j = 0; j < s->nwarnings; j++)
				put(x, "    - %s\n", s->warnings[j]);
		}
		if (s->nblanks) {
			put(x, "    Blank values in the fields the sampling rules read:\n");
			tt_init(&tt, 3, "lrr");
			tt_row(&tt, "Field", "Blank", "Share");
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
	char a[32], b[32], c[32], d[32], pb[32], pc[32], pd[32], e[48], f[48], g[48];
	struct ttab tt;
	size_t i;

	heading(x, N_("3. Review progress"));
	if (r->nprogress == 0) {
		put(x, "  Nothing to review yet.\n");
		return;
	}
	put(x, "  Records each role must review, and how many have at least one verdict.\n");
	tt_init(&tt, 6, "llrrrr");
	tt_row(&tt, "Role", "Month", "Assigned", "Reviewed", "Waived", "Missing");
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
		tt_row(&tt, p->role, p->month ? p->month : "all months", a, e, f, g);
	}
	tt_done(x, &tt, "  ");
}

static void findings(struct tx *x)
{
	const struct ss_report *r = x->r;
	static const char *const heads[3] = {"Area", "Ethnicity", "Legislation"};
	char v[32], title[128];
	size_t i, q, b;

	heading(x, N_("4. Findings, per role"));
	put(x, "  Each reviewer's answer counts once (a record two members of a role\n"
	       "  reviewed counts twice).\n");
	for (i = 0; i < r->nfindings; i++) {
		const struct ss_report_findings *f = &r->findings[i];

		ss_report_count_text(r, &f->verdicts, v, sizeof(v));
		snprintf(title, sizeof(title), "%s: %s verdict%s", f->role, v,
		         f->verdicts.count == 1 && !f->verdicts.hidden ? "" : "s");
		subheading(x, title);
		if (f->verdicts.count == 0)
			continue;
		for (q = 0; q < f->nquestions; q++) {
			const struct ss_report_qfind *qf = &f->questions[q];

			char lead[80];

			snprintf(lead, sizeof(lead), "   [%.60s] ", qf->id);
			put(x, "\n");
			wrap(x, "   ", lead, qf->question);
			table(x, &qf->answers, "Answer", "Answers");
			for (b = 0; b < 3; b++) {
				put(x, "    %s %s:\n", qf->id, qf->by[b].title);
				cross(x, &qf->by[b], heads[b], &qf->answers);
			}
		}
	}
}

static void agreement(struct tx *x)
{
	const struct ss_report *r = x->r;
	const struct ss_report_agreement *ag = &r->agreement;
	char n[32], a[32], p[64], k[32], t[32], title[160];
	struct ttab tt;
	size_t i, j, m;

	heading(x, N_("5. Agreement between roles"));
	if (ag->question == NULL || ag->npairs == 0) {
		put(x, "  There are fewer than two reviewing roles to compare.\n");
		return;
	}
	put(x,
	    "  On the question \"%s\", for the records both roles answered. Where several\n"
	    "  members of a role reviewed a record, the answer most of them gave counts; an\n"
	    "  even split leaves the record out (\"ties\"). Cohen's kappa is agreement beyond\n"
	    "  what chance would give: 1 is full agreement, 0 no better than chance; it is\n"
	    "  undefined when both roles gave one and the same answer every time.\n",
	    ag->question);
	tt_init(&tt, 6, "lrrrrr");
	tt_row(&tt, "Roles", "Records", "Agreeing", "Share", "Kappa", "Ties left out");
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *pr = &ag->pairs[i];
		char roles[96], pc[32];

		snprintf(roles, sizeof(roles), "%s / %s", pr->role_a, pr->role_b);
		ss_report_count_text(r, &pr->records, n, sizeof(n));
		ss_report_count_text(r, &pr->agreeing, a, sizeof(a));
		ss_report_pct_text(&pr->agreeing, pc, sizeof(pc));
		snprintf(p, sizeof(p), "%s%s", pc,
		         ss_report_fig_few(&pr->agreeing) ? " (fewer than 10 records)" : "");
		ss_report_kappa_text(pr, k, sizeof(k));
		ss_report_count_text(r, &pr->ties, t, sizeof(t));
		tt_row(&tt, roles, n, a, p, k, t);
	}
	tt_done(x, &tt, "  ");
	if (ag->nvalues + 1 > TMAXCOLS)
		return;
	for (i = 0; i < ag->npairs; i++) {
		const struct ss_report_pair *pr = &ag->pairs[i];
		char *cells[TMAXCOLS] = {0};
		char buf[TMAXCOLS][32];

		if (pr->records.count == 0)
			continue;
		snprintf(title, sizeof(title), "%s (rows) by %s (columns)", pr->role_a, pr->role_b);
		subheading(x, title);
		tt_init(&tt, ag->nvalues + 1, "lrrrrrrr");
		cells[0] = "";
		for (j = 0; j < ag->nvalues; j++)
			cells[j + 1] = ag->values[j];
		tt_row(&tt, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6],
		       cells[7]);
		for (j = 0; j < ag->nvalues; j++) {
			cells[0] = ag->values[j];
			for (m = 0; m < ag->nvalues; m++) {
				ss_report_count_text(r, &pr->cell_figs[j * ag->nvalues + m], buf[m],
				                     sizeof(buf[m]));
				cells[m + 1] = buf[m];
			}
			tt_row(&tt, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5],
			       cells[6], cells[7]);
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
	put(x, "  Outcomes are set at the time of the search; the force corrects them later\n"
	       "  (a lab result, a charge). The records keep the original; this is the change.\n");
	line_fig(x, "Corrections recorded", &c->corrections);
	line_fig(x, "Searches with a correction", &c->records);
	line_fig(x, "Positive outcome, as recorded at the time", &c->positive_recorded);
	line_fig(x, "Positive outcome, as corrected", &c->positive_corrected);
	line_fig(x, "Outcome linked to the object, as recorded", &c->linked_recorded);
	line_fig(x, "Outcome linked to the object, as corrected", &c->linked_corrected);
	subheading(x, c->outcome.title);
	table(x, &c->outcome, N_("From"), N_("Searches"));
	subheading(x, c->linked.title);
	table(x, &c->linked, N_("From"), N_("Searches"));
}

/* What the force did about one item, or how long it has waited. */
static void followup_responses(struct tx *x, const struct ss_report_followup *f)
{
	const struct ss_report *r = x->r;
	char day[11];
	size_t k;

	for (k = 0; k < f->nresponses; k++) {
		const struct ss_report_response *rp = &f->responses[k];
		const char *said = ss_policy_response_words(r->policy, rp->action, "en");

		put(x, "    response %u: %s", rp->number, said);
		if (strcmp(said, rp->action) != 0)
			put(x, " (%s)", rp->action);
		put(x, ", by %s", rp->role ? rp->role : rp->by);
		if (rp->when > 0) {
			ss_report_uk_day(rp->when, day);
			put(x, ", %s", day);
		}
		put(x, "\n");
		if (rp->note)
			put(x, "      note: %s\n", rp->note);
	}
	if (f->nresponses > 0)
		return;
	if (f->days >= 0)
		put(x, "    awaiting a response: %ld day%s since the month closed\n", f->days,
		    f->days == 1 ? "" : "s");
	else
		put(x, "    awaiting a response (the month is %s)\n",
		    f->closed ? "closed" : "still open");
}

static void followups(struct tx *x)
{
	const struct ss_report *r = x->r;
	size_t i, j;

	/* check: "dilyn i fyny" for follow-up */
	heading(x, N_("7. Follow-up list"));
	if (r->public) {
		char c[32], a[32], g[32];

		ss_report_count_text(r, &r->followup_items, c, sizeof(c));
		ss_report_count_text(r, &r->followup_answered, a, sizeof(a));
		ss_report_count_text(r, &r->followup_given, g, sizeof(g));
		put(x,
		    "  Searches on the follow-up list: %s; with the force's response: %s\n"
		    "  (responses: %s). Record ids, officers and notes are left out of the\n"
		    "  public version.\n",
		    c, a, g);
		return;
	}
	if (r->nfollowups == 0) {
		put(x,
		    "  No reviewer judged a search's grounds not reasonable or raised a concern\n"
		    "  about its conduct.\n");
		return;
	}
	put(x, "  Searches a reviewer judged not reasonable (grounds) or raised concerns\n"
	       "  about (conduct), with who said so, and what the force did about each.\n");
	put(x, "  %zu item%s; %zu with a response (%zu response%s); %zu awaiting a response.\n",
	    r->nfollowups, r->nfollowups == 1 ? "" : "s", r->followup_responded,
	    r->followup_responses, r->followup_responses == 1 ? "" : "s",
	    r->nfollowups - r->followup_responded);
	for (i = 0; i < r->nfollowups; i++) {
		const struct ss_report_followup *f = &r->followups[i];
		char when[SS_UK_TIME_MAX];

		put(x, "\n  %s %s  %s; %s; %s; outcome: %s; officer: %s\n", f->month, f->id,
		    ss_report_key_text(ss_report_when(x->r, f->datetime, when, sizeof(when))),
		    ss_report_key_text(f->area), ss_report_key_text(f->legislation),
		    ss_report_key_text(f->outcome), ss_report_key_text(f->officer));
		for (j = 0; j < f->nflags; j++)
			put(x, "    %s = %s, said by %s (%s)\n", f->flags[j].question,
			    f->flags[j].answer, f->flags[j].reviewer, f->flags[j].role);
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
		put(x, "  Left out of the public version.\n");
		return;
	}
	if (r->nnotes == 0) {
		put(x, "  No notes.\n");
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
	char s[1024];
	size_t i;

	/* check: "amcangyfrifon" for estimates */
	heading(x, N_("Estimates for all searches"));
	put(x, "  What each role found on the randomly chosen searches (the random core of\n"
	       "  the sample), as an estimate for all the searches of the month, with a 95%%\n"
	       "  interval: the true share lies in it 19 times in 20. Targeted searches\n"
	       "  (chosen because of a rule) are reported apart and never counted in.\n");
	for (i = 0; i < r->nmonths_v1; i++)
		put(x, "  %s: sampled without a random core, so no estimate.\n", r->months_v1[i]);
	if (r->nestimates == 0) {
		put(x, "  (no estimate: no role has answered a randomly chosen search)\n");
		return;
	}
	for (i = 0; i < r->nestimates; i++) {
		const struct ss_report_estimate *e = &r->estimates[i];

		if (i == 0 || !same_month(e->month, r->estimates[i - 1].month))
			subheading(x, e->month ? e->month : "The whole range");
		ss_report_estimate_text(r, e, s, sizeof(s));
		put(x, "    %s.\n", s);
		if (e->targeted > 0 && !e->hidden)
			put(x, "      Targeted reviews, apart: %zu of %zu targeted searches.\n",
			    e->targeted_yes, e->targeted);
	}
}

static void trend(struct tx *x)
{
	const struct ss_report *r = x->r;
	const char *roles[64];
	size_t nr = est_roles(r, roles, 64), i, k;
	struct ttab tt;
	char c[6][96];

	if (strcmp(r->from, r->to) == 0)
		return;
	heading(x, N_("Trend, month by month"));
	if (r->ntrend == 0) {
		put(x, "    (no month with records)\n");
		return;
	}
	tt_init(&tt, 6, "lrrrrr");
	tt_row(&tt, "Month", "Searches", "Positive outcome, as recorded", "As corrected", "Sampled",
	       "Reviewed");
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
	tt_row(&tt, "Month", "Role", "Estimate");
	for (i = 0; i < r->ntrend; i++) {
		const struct ss_report_trend *t = &r->trend[i];

		for (k = 0; k < nr; k++) {
			const struct ss_report_estimate *es = ss_report_estimate_find(
			    r, t->month, roles[k], "grounds", "not-reasonable");

			if (es)
				ss_report_estimate_short(es, c[0], sizeof(c[0]));
			else
				snprintf(c[0], sizeof(c[0]), "%s",
				         t->estimated ? "no estimate" : "no random core");
			tt_row(&tt, t->month, roles[k], c[0]);
		}
		if (nr == 0)
			tt_row(&tt, t->month, "", t->estimated ? "no estimate" : "no random core");
	}
	tt_done(x, &tt, "    ");
}

int ss_report_text(const struct ss_report *r, struct ss_buf *out)
{
	struct tx x = {r, out, 0};
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
