/*
 * redact.c - take identities out of an officer's written grounds before they
 * are stored for review (DESIGN.md section 4).
 *
 * What is replaced, scanning once from left to right and trying matchers only
 * where a word starts (the byte before is not a letter or digit):
 *
 *   [subject]  the subject's name: the whole name, and each of its parts of
 *              two letters or more, as whole words, compared after the
 *              Unicode folding of pseudonyms (fold.h: case, composed or
 *              decomposed accents, compatibility forms, any script, so
 *              "SIÂN", "Siân" and "Sian", "ИВАН" and "иван", "Ng" and "NG"
 *              match). Neighbouring parts joined by spaces, hyphens,
 *              apostrophes, full stops or commas become one [subject], so
 *              "O'Neill" and "Davies-Jones" leave no trace of their shape; a
 *              one-letter part ("O") is replaced only inside such a run.
 *   [address]  the whole address, and each of its comma-separated parts of
 *              five characters or more (so the street and the town are caught
 *              on their own), and a part without its leading house number
 *              ("12 Heol y Bont" also catches "Heol y Bont"). Words compare
 *              case-insensitively; any short run of spaces and punctuation
 *              between them matches any other.
 *   [date]     DD/MM/YYYY, DD-MM-YY, DD.MM.YYYY (day and month either way
 *              round), YYYY-MM-DD, "12 March 2019", "15 November 95", "12th of
 *              March", "12-Mar-19", "March 12th, 2019", "March 2019" (a month
 *              name written after a day must start with a capital letter:
 *              "may" is a verb).
 *   [postcode] every outward shape (A9, A99, AA9, AA99, A9A, AA9A) with its
 *              inward part (9AA), with or without the space, either case, and
 *              GIR 0AA; a lower-case "s1 2nd" (an ordinal) is left alone.
 *   [pnc]      YY/NNNNNNNA and YYYY/NNNNNNNA (1 to 7 digits, a check letter).
 *   [vrm]      in capitals: current "AB12 CDE", prefix "A123 BCD", suffix
 *              "ABC 123D", with or without the space; written with a space,
 *              a three-letter group that is a common word ("S23 MDA", "A40
 *              AND") does not make a registration.
 *   [phone]    UK numbers from 0 (10 or 11 digits), +44 / 0044 with an
 *              optional (0), in groups split by single spaces, dashes or
 *              brackets.
 *   [officer]  only in other free text (ss_redact_text: notes and reasons):
 *              a rank and a number ("PC 1234", "DC 56", "Sgt 789", "PS
 *              DP123"), and a collar number with a force prefix of two or
 *              three capitals ("DP1234").
 *
 * Not caught: nicknames, other people's names, misspellings of the name,
 * dateless registrations ("ABC 123"), foreign numbers, addresses written
 * differently from the address column. Reviewers are told so.
 *
 * Every matcher does bounded work at a word start (the name and address ones
 * bounded by their lengths), so the scan is linear in the grounds. Matches
 * start and end on whole UTF-8 characters and everything else is copied
 * character by character, so no multibyte character is ever split.
 */
#include "pseudonym.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "error.h"
#include "fold.h"
#include "utf8.h"

#define MAX_NAME_PARTS 32
#define MAX_ADDR_WORDS 64
#define MAX_PHRASES    (2 * MAX_ADDR_WORDS + 1)

struct span {
	size_t off, len;
};

struct phrase {
	size_t a, b;  /* address words [a, b) */
	size_t chars; /* its length in the address, for longest-first order */
};

/* The folded name (fold.h) for any ordinary name; a longer one goes to the heap. */
#define NAME_FOLD_MAX 512
/* A word of the text longer than this, folded, is no name part. */
#define WORD_FOLD_MAX 256

struct rctx {
	const unsigned char *t;
	size_t n;
	const unsigned char *name; /* folded: parts separated by single spaces */
	char name_small[NAME_FOLD_MAX];
	char *name_big;
	size_t name_len;
	bool officers; /* ss_redact_text: officer identifiers too */
	struct span np[MAX_NAME_PARTS];
	size_t nnp;
	bool np_long[MAX_NAME_PARTS];
	const unsigned char *addr;
	struct span aw[MAX_ADDR_WORDS];
	size_t naw;
	struct phrase ph[MAX_PHRASES];
	size_t nph;
};

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || is_upper(c);
}

static unsigned char lower(unsigned char c)
{
	return is_upper(c) ? (unsigned char)(c + 32) : c;
}

/* Length of the UTF-8 character at s[i], 1 for an invalid byte. */
static size_t utf8_len(const unsigned char *s, size_t n, size_t i)
{
	size_t k;

	if (s[i] < 0x80) /* most text: no call */
		return 1;
	k = ss_utf8_seq_len(s + i, n - i);

	return k ? k : 1;
}

/* The code point at s[i] (*len bytes); an invalid byte decodes to a value
 * above U+10FFFF that no character has. */
static uint32_t decode_at(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	size_t k = utf8_len(s, n, i), j;
	uint32_t cp;

	*len = k;
	if (k == 1)
		return s[i] < 0x80 ? s[i] : 0x110000u + s[i];
	cp = s[i] & (0x7Fu >> k);
	for (j = 1; j < k; j++)
		cp = (cp << 6) | (s[i + j] & 0x3Fu);
	return cp;
}

/* Non-ASCII spaces and punctuation: no-break space, Latin-1 signs, x and
 * division signs, curly quotes, dashes, ellipsis, ideographic punctuation. */
static bool is_punct_cp(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
	       (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

/* The character at s[i] is part of a word: an ASCII letter or digit, or any
 * non-ASCII character but spaces and punctuation (an invalid byte counts as
 * a word, so nothing is matched right beside it). */
static bool word_at(const unsigned char *s, size_t n, size_t i)
{
	size_t k;

	if (s[i] < 0x80)
		return is_alpha(s[i]) || is_digit(s[i]);
	return !is_punct_cp(decode_at(s, n, i, &k));
}

/* The character that ends just before s[i] is part of a word. */
static bool word_before(const unsigned char *s, size_t n, size_t i)
{
	size_t j;

	if (i == 0)
		return false;
	j = i - 1;
	if (s[j] < 0x80) /* most text: one byte, no walk back */
		return word_at(s, n, j);
	while (j > 0 && i - j < 4 && (s[j] & 0xC0) == 0x80)
		j--;
	if (utf8_len(s, n, j) == i - j)
		return word_at(s, n, j);
	return true;
}

static bool at_end(const struct rctx *c, size_t j)
{
	return j >= c->n || !word_at(c->t, c->n, j);
}

/* The case-folded code point at s[i]; *len its length in bytes. */
static uint32_t fold_at(const unsigned char *s, size_t n, size_t i, size_t *len)
{
	uint32_t cp = decode_at(s, n, i, len);

	if (cp < 0x80)
		return lower((unsigned char)cp);
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if ((cp >= 0x100 && cp <= 0x137 && cp != 0x130) || (cp >= 0x14A && cp <= 0x177))
		return cp | 1;
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1) ? cp + 1 : cp;
	if (cp == 0x178)
		return 0xFF;
	return cp;
}

/* Bytes of text at i equal, folded, to p[0..pl); 0 when not. */
static size_t match_fold(const struct rctx *c, size_t i, const unsigned char *p, size_t pl)
{
	size_t pi = 0, ti = i, a, b;

	while (pi < pl) {
		if (ti >= c->n)
			return 0;
		if (fold_at(p, pl, pi, &a) != fold_at(c->t, c->n, ti, &b))
			return 0;
		pi += a;
		ti += b;
	}
	return ti - i;
}

static size_t count_chars(const unsigned char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if ((s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* A run of up to three characters that may join the parts of a name. */
static size_t skip_name_sep(const struct rctx *c, size_t i)
{
	size_t j = i, k;

	for (k = 0; k < 3 && j < c->n; k++) {
		unsigned char b = c->t[j];

		if (b == ' ' || b == '-' || b == '\'' || b == '.' || b == ',')
			j++;
		else if (j + 2 < c->n && b == 0xE2 && c->t[j + 1] == 0x80 &&
		         (c->t[j + 2] == 0x98 || c->t[j + 2] == 0x99))
			j += 3; /* a curly apostrophe */
		else
			break;
	}
	return j;
}

/* The word at i (a run of word characters, no digit in it) equals, folded,
 * a part of the name: the word's length in bytes, and *part which; else 0. */
static size_t match_part(const struct rctx *c, size_t i, size_t *part)
{
	char buf[WORD_FOLD_MAX];
	size_t j = i, k;
	ssize_t fl;

	while (j < c->n && word_at(c->t, c->n, j)) {
		if (is_digit(c->t[j]))
			return 0;
		j += utf8_len(c->t, c->n, j);
	}
	if (j == i)
		return 0;
	fl = ss_fold_name((const char *)c->t + i, j - i, buf, sizeof buf);
	if (fl <= 0 || (size_t)fl > sizeof buf) {
		ss_error_clear(); /* not UTF-8, or too long: not a name part */
		ss_memzero(buf, sizeof buf);
		return 0;
	}
	for (k = 0; k < c->nnp; k++)
		if (c->np[k].len == (size_t)fl &&
		    memcmp(c->name + c->np[k].off, buf, (size_t)fl) == 0)
			break;
	ss_memzero(buf, (size_t)fl); /* what the fold wrote: the word, perhaps a name */
	if (k == c->nnp)
		return 0;
	*part = k;
	return j - i;
}

static size_t match_subject(const struct rctx *c, size_t i)
{
	size_t pos = i, good = 0, count = 0, k;
	uint32_t seen = 0, all = c->nnp >= 32 ? 0xFFFFFFFFu : (1u << c->nnp) - 1;
	bool have_long = false;

	if (c->nnp == 0)
		return 0;
	while (count < 2 * c->nnp + 2) {
		size_t best_k = 0, best = match_part(c, pos, &best_k);

		if (best == 0)
			break;
		count++;
		have_long = have_long || c->np_long[best_k];
		seen |= 1u << best_k;
		pos += best;
		/* Short parts count only beside a long one, or as the whole name. */
		if (have_long || seen == all)
			good = pos;
		k = skip_name_sep(c, pos);
		if (k == pos)
			break;
		pos = k;
	}
	return good ? good - i : 0;
}

static size_t skip_addr_sep(const struct rctx *c, size_t i)
{
	size_t j = i;

	while (j < c->n && j - i < 3) {
		unsigned char b = c->t[j];

		if (b == ' ' || b == '\t' || b == ',' || b == '.' || b == '-' || b == '/' ||
		    b == '\'')
			j++;
		else
			break;
	}
	return j;
}

static size_t match_phrase(const struct rctx *c, size_t i, const struct phrase *p)
{
	size_t pos = i, w;

	for (w = p->a; w < p->b; w++) {
		size_t m = match_fold(c, pos, c->addr + c->aw[w].off, c->aw[w].len), s;

		if (m == 0 || !at_end(c, pos + m))
			return 0;
		pos += m;
		if (w + 1 < p->b) {
			s = skip_addr_sep(c, pos);
			if (s == pos)
				return 0;
			pos = s;
		}
	}
	return pos - i;
}

static size_t match_address(const struct rctx *c, size_t i)
{
	size_t k;

	/* Phrases are longest first, so the first that matches is the one to take. */
	for (k = 0; k < c->nph; k++) {
		size_t m = match_phrase(c, i, &c->ph[k]);

		if (m)
			return m;
	}
	return 0;
}

/* Up to max+1 digits at i, and their value. */
static size_t run_digits(const struct rctx *c, size_t i, size_t max, int *val)
{
	size_t j = i;
	int v = 0;

	while (j < c->n && is_digit(c->t[j]) && j - i <= max) {
		v = v * 10 + (c->t[j] - '0');
		j++;
	}
	if (val)
		*val = v;
	return j - i;
}

static size_t run_alnum(const struct rctx *c, size_t i)
{
	size_t j = i;

	while (j < c->n && (is_alpha(c->t[j]) || is_digit(c->t[j])))
		j++;
	return j - i;
}

static size_t match_pnc(const struct rctx *c, size_t i)
{
	size_t d = run_digits(c, i, 4, NULL), j, e;

	if (d != 2 && d != 4)
		return 0;
	j = i + d;
	if (j >= c->n || c->t[j] != '/')
		return 0;
	e = run_digits(c, j + 1, 7, NULL);
	if (e < 1 || e > 7)
		return 0;
	j += 1 + e;
	if (j >= c->n || !is_alpha(c->t[j]) || !at_end(c, j + 1))
		return 0;
	return j + 1 - i;
}

static const struct month {
	const char *name;
	size_t len;
} months[] = {
    {"january", 7},  {"february", 8}, {"march", 5},  {"april", 5},     {"may", 3},
    {"june", 4},     {"july", 4},     {"august", 6}, {"september", 9}, {"october", 7},
    {"november", 8}, {"december", 8}, {"jan", 3},    {"feb", 3},       {"mar", 3},
    {"apr", 3},      {"jun", 3},      {"jul", 3},    {"aug", 3},       {"sept", 4},
    {"sep", 3},      {"oct", 3},      {"nov", 3},    {"dec", 3},
};

/* A month name (or abbreviation, with an optional full stop) at i; its length. */
static size_t match_month(const struct rctx *c, size_t i)
{
	size_t k, j;

	for (k = 0; k < sizeof months / sizeof months[0]; k++) {
		const struct month *m = &months[k];

		if (i + m->len > c->n)
			continue;
		for (j = 0; j < m->len; j++)
			if (lower(c->t[i + j]) != (unsigned char)m->name[j])
				break;
		if (j < m->len || !at_end(c, i + m->len))
			continue;
		/* "may" is a verb far more often than a month. */
		if (k == 4 && c->t[i] != 'M')
			continue;
		j = i + m->len;
		if (m->len <= 4 && k >= 12 && j < c->n && c->t[j] == '.')
			j++;
		return j - i;
	}
	return 0;
}

static size_t skip_ordinal(const struct rctx *c, size_t j)
{
	static const char *const suf[] = {"st", "nd", "rd", "th"};
	size_t k;

	if (j + 2 > c->n)
		return j;
	for (k = 0; k < 4; k++)
		if (lower(c->t[j]) == (unsigned char)suf[k][0] &&
		    lower(c->t[j + 1]) == (unsigned char)suf[k][1] && at_end(c, j + 2))
			return j + 2;
	return j;
}

/* Spaces, or one '-' or '/', between the parts of a written date. */
static size_t skip_date_sep(const struct rctx *c, size_t j, size_t *dashes)
{
	size_t s = j;

	*dashes = 0;
	if (j < c->n && (c->t[j] == '-' || c->t[j] == '/')) {
		*dashes = 1;
		return j + 1;
	}
	while (j < c->n && c->t[j] == ' ' && j - s < 2)
		j++;
	return j;
}

/* ", 2019" / " 2019" / "-19" (and " 95" when two_ok) after a written date;
 * returns the new end. */
static size_t take_year(const struct rctx *c, size_t j, bool two_ok)
{
	size_t k = j, d, dashes;

	if (k < c->n && c->t[k] == ',')
		k++;
	k = skip_date_sep(c, k, &dashes);
	if (k == j)
		return j;
	d = run_digits(c, k, 4, NULL);
	if ((d == 4 || (d == 2 && two_ok)) && at_end(c, k + d))
		return k + d;
	return j;
}

static size_t match_date_words(const struct rctx *c, size_t i)
{
	size_t j, d, m, s, dashes;
	int v;

	if (is_digit(c->t[i])) {
		/* 12 March 2019, 12th of March, 12-Mar-19 */
		d = run_digits(c, i, 2, &v);
		if (d < 1 || d > 2 || v < 1 || v > 31)
			return 0;
		j = skip_ordinal(c, i + d);
		if (j == i + d && !at_end(c, j))
			return 0;
		s = skip_date_sep(c, j, &dashes);
		if (s == j)
			return 0;
		j = s;
		if (!dashes && j + 3 <= c->n && lower(c->t[j]) == 'o' &&
		    lower(c->t[j + 1]) == 'f' && c->t[j + 2] == ' ')
			j += 3;
		m = match_month(c, j);
		if (m == 0)
			return 0;
		/* A day and a month make a date: a two-digit year after them is its year
		 * ("15 November 95"). */
		return take_year(c, j + m, true) - i;
	}
	/* March 12th, 2019; March 2019 */
	if (!is_upper(c->t[i]))
		return 0;
	m = match_month(c, i);
	if (m == 0)
		return 0;
	j = i + m;
	s = j;
	while (s < c->n && c->t[s] == ' ' && s - j < 2)
		s++;
	if (s == j)
		return 0;
	d = run_digits(c, s, 4, &v);
	if (d == 4 && at_end(c, s + d))
		return s + d - i;
	if (d < 1 || d > 2 || v < 1 || v > 31)
		return 0;
	j = skip_ordinal(c, s + d);
	if (j == s + d && !at_end(c, j))
		return 0;
	return take_year(c, j, false) - i;
}

static size_t match_date_numeric(const struct rctx *c, size_t i)
{
	size_t d1, d2, d3, j;
	unsigned char sep;
	int a, b, y;

	d1 = run_digits(c, i, 4, &a);
	j = i + d1;
	if (j >= c->n || (c->t[j] != '/' && c->t[j] != '-' && c->t[j] != '.'))
		return 0;
	sep = c->t[j];
	if (d1 == 4) {
		/* YYYY-MM-DD */
		d2 = run_digits(c, j + 1, 2, &a);
		if (d2 < 1 || d2 > 2 || j + 1 + d2 >= c->n || c->t[j + 1 + d2] != sep)
			return 0;
		j += 1 + d2 + 1;
		d3 = run_digits(c, j, 2, &b);
		if (d3 < 1 || d3 > 2 || a < 1 || a > 12 || b < 1 || b > 31)
			return 0;
		j += d3;
		if (at_end(c, j) || (c->t[j] == 'T' && j + 1 < c->n && is_digit(c->t[j + 1])))
			return j - i;
		return 0;
	}
	if (d1 < 1 || d1 > 2)
		return 0;
	d2 = run_digits(c, j + 1, 2, &b);
	if (d2 < 1 || d2 > 2 || j + 1 + d2 >= c->n || c->t[j + 1 + d2] != sep)
		return 0;
	j += 1 + d2 + 1;
	d3 = run_digits(c, j, 4, &y);
	if (d3 != 2 && d3 != 4)
		return 0;
	j += d3;
	/* Day and month either way round (someone will write it the American way). */
	if (a < 1 || b < 1 || (a > 12 && b > 12) || a > 31 || b > 31)
		return 0;
	if (!at_end(c, j))
		return 0;
	/* Not the start of a longer dotted or dashed number (1.2.3.4). */
	if (j + 1 < c->n && c->t[j] == sep && is_digit(c->t[j + 1]))
		return 0;
	return j - i;
}

/* UK phone numbers; see the top of the file. */
static size_t match_phone(const struct rctx *c, size_t i)
{
	size_t j = i, last = 0, nd = 0, min, max;
	bool paren = false;

	if (c->t[j] == '+' || (j + 3 < c->n && memcmp(c->t + j, "0044", 4) == 0)) {
		j += c->t[j] == '+' ? 1 : 4;
		if (c->t[i] == '+') {
			if (j + 2 > c->n || c->t[j] != '4' || c->t[j + 1] != '4')
				return 0;
			j += 2;
		}
		if (j < c->n && (c->t[j] == ' ' || c->t[j] == '-'))
			j++;
		if (j + 3 <= c->n && memcmp(c->t + j, "(0)", 3) == 0) {
			j += 3;
			if (j < c->n && c->t[j] == ' ')
				j++;
		}
		if (j >= c->n || !is_digit(c->t[j]) || c->t[j] == '0')
			return 0;
		min = 9;
		max = 10;
	} else {
		if (c->t[j] == '(') {
			paren = true;
			j++;
		}
		if (j + 1 >= c->n || c->t[j] != '0' || !is_digit(c->t[j + 1]) || c->t[j + 1] == '0')
			return 0;
		min = 10;
		max = 11;
	}
	while (j < c->n && nd < max) {
		if (!is_digit(c->t[j]))
			break;
		nd++;
		last = ++j;
		if (nd == max || j >= c->n)
			break;
		/* One separator between groups, only when a digit follows it. */
		if (paren && c->t[j] == ')') {
			paren = false;
			j++;
			if (j < c->n && c->t[j] == ' ')
				j++;
		} else if (c->t[j] == ' ' || c->t[j] == '-') {
			j++;
		}
		if (j >= c->n || !is_digit(c->t[j]))
			break;
	}
	if (nd < min || paren || !at_end(c, last))
		return 0;
	return last - i;
}

/* A9, A99, AA9, AA99, A9A, AA9A. */
static bool outward_shape(const unsigned char *s, size_t n)
{
	size_t l = 0;

	while (l < n && l < 3 && is_alpha(s[l]))
		l++;
	if (l < 1 || l > 2 || l >= n || !is_digit(s[l]))
		return false;
	if (n == l + 1)
		return true;
	if (n == l + 2)
		return is_digit(s[l + 1]) || is_alpha(s[l + 1]);
	return false;
}

static bool inward_shape(const unsigned char *s)
{
	char d;

	if (!is_digit(s[0]) || !is_alpha(s[1]) || !is_alpha(s[2]))
		return false;
	/* "s1 2nd" and "s60 3rd" are ordinals, not postcodes, when in lower case. */
	if (s[1] >= 'a' && s[2] >= 'a') {
		d = (char)s[0];
		if ((d == '1' && s[1] == 's' && s[2] == 't') ||
		    (d == '2' && s[1] == 'n' && s[2] == 'd') ||
		    (d == '3' && s[1] == 'r' && s[2] == 'd') ||
		    (d != '1' && d != '2' && d != '3' && s[1] == 't' && s[2] == 'h'))
			return false;
	}
	return true;
}

static size_t match_postcode(const struct rctx *c, size_t i)
{
	const unsigned char *s = c->t + i;
	size_t l1 = run_alnum(c, i), j, l2;

	if (!at_end(c, i + l1))
		return 0;
	if (l1 >= 5 && l1 <= 7 && outward_shape(s, l1 - 3) && inward_shape(s + l1 - 3))
		return l1;
	if (l1 == 3 && lower(s[0]) == 'g' && lower(s[1]) == 'i' && lower(s[2]) == 'r') {
		/* GIR 0AA, the one postcode outside the pattern */
	} else if (l1 < 2 || l1 > 4 || !outward_shape(s, l1)) {
		return 0;
	}
	j = i + l1;
	if (j < c->n && c->t[j] == ' ')
		j++;
	if (j == i + l1)
		return 0;
	l2 = run_alnum(c, j);
	if (l2 != 3 || !at_end(c, j + 3) || !inward_shape(c->t + j))
		return 0;
	return j + 3 - i;
}

static bool all_upper(const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!is_upper(s[k]))
			return false;
	return n > 0;
}

static bool all_digits(const unsigned char *s, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!is_digit(s[k]))
			return false;
	return n > 0;
}

/* Three-letter words common in capitalised narratives, which a registration
 * written with a space would otherwise swallow (S23 MDA, A40 AND). */
static bool common_word(const unsigned char *s)
{
	static const char words[] =
	    "THE AND FOR WAS HAS HAD HIS HER HIM SHE YOU ARE NOT BUT MDA OUT OFF ONE TWO "
	    "WHO WHY HOW NOW CAR VAN BAG ALL ANY CAN DID GOT GET MAN MEN SAW SEE SAY SET "
	    "USE WAY BOY ITS OUR TOO PUT RAN RUN AGE OLD NEW BUS LOW TOP ACT ARM LEG END "
	    "DAY YES OWN TAX ONS PNC PND BWV";
	size_t k;

	for (k = 0; k + 3 <= sizeof words - 1; k += 4)
		if (memcmp(words + k, s, 3) == 0)
			return true;
	return false;
}

/* LL DD LLL, L D{1,3} LLL, LLL D{1,3} L as one token of letters then digits then letters. */
static bool vrm_token(const unsigned char *s, size_t n)
{
	size_t a = 0, d, z;

	while (a < n && is_upper(s[a]))
		a++;
	d = a;
	while (d < n && is_digit(s[d]))
		d++;
	z = d;
	while (z < n && is_upper(s[z]))
		z++;
	if (z != n)
		return false;
	d -= a;
	z -= a + d;
	return (a == 2 && d == 2 && z == 3) || (a == 1 && d >= 1 && d <= 3 && z == 3) ||
	       (a == 3 && d >= 1 && d <= 3 && z == 1);
}

static size_t match_vrm(const struct rctx *c, size_t i)
{
	const unsigned char *s = c->t + i, *u;
	size_t l1 = run_alnum(c, i), j, l2;

	if (!at_end(c, i + l1))
		return 0;
	if (l1 >= 5 && l1 <= 7 && vrm_token(s, l1))
		return l1;
	j = i + l1;
	if (j >= c->n || c->t[j] != ' ')
		return 0;
	j++;
	u = c->t + j;
	l2 = run_alnum(c, j);
	if (!at_end(c, j + l2))
		return 0;
	/* current AB12 CDE and prefix A123 BCD */
	if (l2 == 3 && all_upper(u, 3) && !common_word(u) &&
	    ((l1 == 4 && all_upper(s, 2) && all_digits(s + 2, 2)) ||
	     (l1 >= 2 && l1 <= 4 && is_upper(s[0]) && all_digits(s + 1, l1 - 1))))
		return j + 3 - i;
	/* suffix ABC 123D */
	if (l1 == 3 && all_upper(s, 3) && !common_word(s) && l2 >= 2 && l2 <= 4 &&
	    all_digits(u, l2 - 1) && is_upper(u[l2 - 1]))
		return j + l2 - i;
	return 0;
}

/* A rank written before an officer's number. */
static size_t match_rank(const struct rctx *c, size_t i)
{
	static const char *const ranks[] = {"PCSO",      "PC",   "WPC",       "DC",   "TDC",
	                                    "PS",        "DS",   "Sgt",       "DSgt", "Sergeant",
	                                    "Constable", "Insp", "Inspector", "DI",   "CI",
	                                    "DCI",       "Supt", "ACC",       "Det",  "Detective"};
	size_t k, best = 0;

	for (k = 0; k < sizeof ranks / sizeof ranks[0]; k++) {
		size_t l = strlen(ranks[k]), j;

		if (i + l > c->n || l <= best)
			continue;
		for (j = 0; j < l; j++)
			if (lower(c->t[i + j]) != lower((unsigned char)ranks[k][j]))
				break;
		/* Upper-case ranks as written ("PC", "DC"), any case for words ("sgt"). */
		if (j < l || (l <= 4 && all_upper((const unsigned char *)ranks[k], l) &&
		              !all_upper(c->t + i, l)))
			continue;
		best = l;
	}
	if (best && best < c->n - i && c->t[i + best] == '.')
		best++;
	return best;
}

/* Capitals (up to max) then digits (min to 6), ending a word: a collar number. */
static size_t match_collar(const struct rctx *c, size_t i, size_t min_letters, size_t min_digits)
{
	size_t a = 0, d;

	while (i + a < c->n && is_upper(c->t[i + a]) && a < 4)
		a++;
	if (a < min_letters || a > 3)
		return 0;
	d = run_digits(c, i + a, 6, NULL);
	if (d < min_digits || d > 6 || !at_end(c, i + a + d))
		return 0;
	return a + d;
}

/* "PC 1234", "Sgt. 789", "PS DP123", "DC56"; and "DP1234" (a force prefix). */
static size_t match_officer(const struct rctx *c, size_t i)
{
	size_t r = match_rank(c, i), j, m;

	if (r > 0) {
		j = i + r;
		if (j < c->n && c->t[j] == ' ')
			j++;
		if ((m = match_collar(c, j, 0, 1)) != 0)
			return j + m - i;
	}
	return match_collar(c, i, 2, 3);
}

/* Fold the name (fold.h) and split it at its spaces into parts. */
static int split_name(struct rctx *c, const char *name, size_t len)
{
	ssize_t fl = ss_fold_name(name, len, c->name_small, sizeof c->name_small);
	size_t i = 0;

	if (fl < 0) {
		/* A name that is not UTF-8 (the readers refuse such files first). */
		ss_error_clear();
		return 0;
	}
	c->name = (const unsigned char *)c->name_small;
	if ((size_t)fl > sizeof c->name_small) {
		if ((c->name_big = malloc((size_t)fl)) == NULL)
			return ss_error_nomem();
		fl = ss_fold_name(name, len, c->name_big, (size_t)fl);
		if (fl < 0)
			return (int)fl;
		c->name = (const unsigned char *)c->name_big;
	}
	c->name_len = (size_t)fl;
	while (i < c->name_len && c->nnp < MAX_NAME_PARTS) {
		size_t s = i;

		while (i < c->name_len && c->name[i] != ' ')
			i++;
		if (i > s) {
			c->np[c->nnp].off = s;
			c->np[c->nnp].len = i - s;
			c->np_long[c->nnp] = count_chars(c->name + s, i - s) >= 2;
			c->nnp++;
		}
		i++;
	}
	return 0;
}

static void add_phrase(struct rctx *c, size_t a, size_t b)
{
	struct phrase p;
	size_t k;

	if (a >= b || c->nph >= MAX_PHRASES)
		return;
	p.a = a;
	p.b = b;
	p.chars =
	    count_chars(c->addr + c->aw[a].off, c->aw[b - 1].off + c->aw[b - 1].len - c->aw[a].off);
	/* Keep longest first (a handful of phrases: insertion is fine). */
	for (k = c->nph; k > 0 && c->ph[k - 1].chars < p.chars; k--)
		c->ph[k] = c->ph[k - 1];
	c->ph[k] = p;
	c->nph++;
}

static void split_address(struct rctx *c, const char *addr, size_t len)
{
	size_t i = 0, part = 0;

	c->addr = (const unsigned char *)addr;
	while (i < len && c->naw < MAX_ADDR_WORDS) {
		size_t s;

		while (i < len && !word_at(c->addr, len, i)) {
			if (c->addr[i] == ',' || c->addr[i] == '\n') {
				if (c->naw > part) {
					add_phrase(c, part, c->naw);
					if (c->naw - part >= 2 &&
					    is_digit(c->addr[c->aw[part].off]))
						add_phrase(c, part + 1, c->naw);
				}
				part = c->naw;
			}
			i += utf8_len(c->addr, len, i);
		}
		s = i;
		while (i < len && word_at(c->addr, len, i))
			i += utf8_len(c->addr, len, i);
		if (i > s) {
			c->aw[c->naw].off = s;
			c->aw[c->naw].len = i - s;
			c->naw++;
		}
	}
	if (c->naw > part) {
		if (part > 0)
			add_phrase(c, part, c->naw);
		if (c->naw - part >= 2 && is_digit(c->addr[c->aw[part].off]))
			add_phrase(c, part + 1, c->naw);
	}
	add_phrase(c, 0, c->naw);
	/* Phrases shorter than five characters ("Flat 2" stays, "Flat", "12" go)
	 * would catch ordinary text. */
	{
		size_t k, w = 0;

		for (k = 0; k < c->nph; k++)
			if (c->ph[k].chars >= 5)
				c->ph[w++] = c->ph[k];
		c->nph = w;
	}
}

static int scan(const struct rctx *c, struct ss_buf *out);

int ss_redact_grounds(const char *grounds, size_t len, const char *name, size_t name_len,
                      const char *address, size_t address_len, struct ss_buf *out)
{
	struct rctx c;
	int err = 0;

	memset(&c, 0, sizeof c);
	c.t = (const unsigned char *)grounds;
	c.n = len;
	if (name != NULL && (err = split_name(&c, name, name_len)) != 0)
		goto out;
	if (address != NULL)
		split_address(&c, address, address_len);
	err = scan(&c, out);
out:
	/* The folded name is a person's name: wiped wherever it was. */
	ss_memzero(c.name_small, sizeof c.name_small);
	if (c.name_big != NULL) {
		ss_memzero(c.name_big, c.name_len);
		free(c.name_big);
	}
	return err;
}

int ss_redact_text(const char *text, size_t len, struct ss_buf *out)
{
	struct rctx c;

	memset(&c, 0, sizeof c);
	c.t = (const unsigned char *)text;
	c.n = len;
	c.officers = true;
	return scan(&c, out);
}

static int scan(const struct rctx *c, struct ss_buf *out)
{
	size_t i = 0, len = c->n, kept = 0; /* t[kept..i) is copied as it is, in one go */
	int err;

	if ((err = ss_buf_grow(out, len)) != 0)
		goto out;
	while (i < len) {
		unsigned char b = c->t[i];
		const char *tag = NULL;
		size_t m = 0, k;

		bool word = word_at(c->t, len, i);

		if (!word_before(c->t, len, i) && (word || b == '+' || b == '(')) {
			size_t ms = word && !is_digit(b) ? match_subject(c, i) : 0;
			size_t ma = word ? match_address(c, i) : 0;

			if (ms && ms >= ma) {
				m = ms;
				tag = "[subject]";
			} else if (ma) {
				m = ma;
				tag = "[address]";
			} else if (b < 0x80) {
				if (is_digit(b) && (m = match_pnc(c, i)) != 0)
					tag = "[pnc]";
				else if (is_digit(b) && (m = match_date_numeric(c, i)) != 0)
					tag = "[date]";
				else if ((m = match_date_words(c, i)) != 0)
					tag = "[date]";
				else if (!is_alpha(b) && (m = match_phone(c, i)) != 0)
					tag = "[phone]";
				else if (is_alpha(b) && (m = match_postcode(c, i)) != 0)
					tag = "[postcode]";
				else if (c->officers && is_alpha(b) &&
				         (m = match_officer(c, i)) != 0)
					tag = "[officer]";
				else if (is_upper(b) && (m = match_vrm(c, i)) != 0)
					tag = "[vrm]";
			}
		}
		if (tag != NULL) {
			if ((err = ss_buf_put(out, c->t + kept, i - kept)) != 0 ||
			    (err = ss_buf_puts(out, tag)) != 0)
				goto out;
			i += m;
			kept = i;
			continue;
		}
		k = utf8_len(c->t, len, i);
		i += k;
	}
	err = ss_buf_put(out, c->t + kept, i - kept);
out:
	return err;
}
