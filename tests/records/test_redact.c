/*
 * test_redact.c - what ss_redact_grounds takes out of written grounds, and,
 * as much, what it must leave for the reviewer to read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "pseudonym.h"

static struct ss_buf out = SS_BUF_INIT;

static const char *redact(const char *grounds, const char *name, const char *address)
{
	ss_buf_reset(&out);
	assert_int_equal(ss_redact_grounds(grounds, strlen(grounds), name, name ? strlen(name) : 0,
	                                   address, address ? strlen(address) : 0, &out),
	                 0);
	assert_non_null(out.data);
	return out.data;
}

#define SAME(s) assert_string_equal(redact((s), NULL, NULL), (s))

static void test_records_redact__subject_name_and_parts(void **state)
{
	const char *n = "Siân O'Neill";

	(void)state;
	assert_string_equal(redact("Siân O'Neill was seen", n, NULL), "[subject] was seen");
	assert_string_equal(redact("SIÂN O'NEILL was seen", n, NULL), "[subject] was seen");
	assert_string_equal(redact("O’Neill ran; siân stayed", n, NULL),
	                    "[subject] ran; [subject] stayed");
	assert_string_equal(redact("I spoke to NEILL.", n, NULL), "I spoke to [subject].");
	/* Whole words only: "Neilly" and "Siâning" are not the name. */
	assert_string_equal(redact("Neilly and Siâning", n, NULL), "Neilly and Siâning");
	/* Surname first, as officers often write it. */
	assert_string_equal(redact("O'NEILL, Siân (DOB unknown)", n, NULL),
	                    "[subject] (DOB unknown)");
	/* Double-barrelled and short parts: no shape is left behind. */
	assert_string_equal(
	    redact("Ms Davies-Jones said Rhys ap Iorwerth was there", "Rhys ap Iorwerth", NULL),
	    "Ms Davies-Jones said [subject] was there");
	assert_string_equal(redact("Ms Davies-Jones, known as Ffion", "Ffion Davies-Jones", NULL),
	                    "Ms [subject], known as [subject]");
	/* A part of two letters is redacted alone (section 4: "Ng" must go);
	 * a one-letter part only beside another part. */
	assert_string_equal(redact("ap is Welsh for son of", "Rhys ap Iorwerth", NULL),
	                    "[subject] is Welsh for son of");
	assert_string_equal(redact("O said no; O'Neill too", n, NULL), "O said no; [subject] too");
	/* Welsh letters from Latin Extended-A fold too. */
	assert_string_equal(redact("ŴYN was searched", "Gwŷn ŵyn", NULL), "[subject] was searched");
	/* Two-letter names: every part, in any case. */
	assert_string_equal(redact("Li Yu and Li", "Li Yu", NULL), "[subject] and [subject]");
	assert_string_equal(redact("NG was with Ng's friend; Nguyen was not", "Wei Ng", NULL),
	                    "[subject] was with [subject]'s friend; Nguyen was not");
	/* Nicknames and other people's names are not caught (documented). */
	assert_string_equal(redact("Known as Shinny; with Dai Evans", n, NULL),
	                    "Known as Shinny; with Dai Evans");
}

/* The name compared after the pseudonyms' Unicode folding (section 4). */
static void test_records_redact__subject_folded_any_script(void **state)
{
	(void)state;
	/* Decomposed (a + U+0302) in the grounds, composed in the name, and back. */
	assert_string_equal(redact("Sia\xcc\x82n ran", "Siân Jones", NULL), "[subject] ran");
	assert_string_equal(redact("SIÂN ran", "Sia\xcc\x82n Jones", NULL), "[subject] ran");
	assert_string_equal(redact("Sian ran", "SIÂN JONES", NULL), "[subject] ran");
	/* Cyrillic capitals and small letters. */
	assert_string_equal(redact("ИВАН ПЕТРОВ и Петров", "иван петров", NULL),
	                    "[subject] и [subject]");
	/* German sharp s, and compatibility forms (full-width capitals). */
	assert_string_equal(redact("STRAUSS and Strauß", "Jürgen Strauß", NULL),
	                    "[subject] and [subject]");
	assert_string_equal(redact("ＪＯＮＥＳ left", "Siân Jones", NULL), "[subject] left");
	/* Whole words still: no part of a longer word, no word with digits. */
	assert_string_equal(redact("Ivanov and JONESY", "Ivan Jones", NULL), "Ivanov and JONESY");
	assert_string_equal(redact("NG12 ABC", "Wei Ng", NULL), "[vrm]");
}

static void test_records_redact__address(void **state)
{
	const char *a = "12 Heol y Bont, Aberaeron, SA46 0AB";

	(void)state;
	assert_string_equal(redact("lives at 12 Heol y Bont, Aberaeron, SA46 0AB today", NULL, a),
	                    "lives at [address] today");
	assert_string_equal(redact("at 12 HEOL Y BONT ABERAERON sa46 0ab", NULL, a),
	                    "at [address]");
	assert_string_equal(redact("seen on Heol y Bont near 12 Heol y Bont", NULL, a),
	                    "seen on [address] near [address]");
	assert_string_equal(redact("drove to aberaeron", NULL, a), "drove to [address]");
	/* Parts under five characters are left: "12" here is not the house. */
	assert_string_equal(redact("aged 12, Flat", NULL, "Flat, 12 Stryd Fawr, Tywyn"),
	                    "aged 12, Flat");
}

static void test_records_redact__dates(void **state)
{
	(void)state;
	assert_string_equal(redact("DOB 04/11/1999.", NULL, NULL), "DOB [date].");
	assert_string_equal(redact("born 4-11-99 in", NULL, NULL), "born [date] in");
	assert_string_equal(redact("born 1999-11-04, seen", NULL, NULL), "born [date], seen");
	assert_string_equal(redact("at 2019-03-12T10:00 he", NULL, NULL), "at [date]T10:00 he");
	assert_string_equal(redact("on 12.03.2019 and", NULL, NULL), "on [date] and");
	assert_string_equal(redact("born 12 March 2019", NULL, NULL), "born [date]");
	assert_string_equal(redact("born 12th March.", NULL, NULL), "born [date].");
	assert_string_equal(redact("the 1st of June, 2001 x", NULL, NULL), "the [date] x");
	assert_string_equal(redact("born 3rd SEPT 1988", NULL, NULL), "born [date]");
	assert_string_equal(redact("born 12-Mar-19 in", NULL, NULL), "born [date] in");
	assert_string_equal(redact("born March 12th, 2019.", NULL, NULL), "born [date].");
	assert_string_equal(redact("since May 2019", NULL, NULL), "since [date]");
	assert_string_equal(redact("on 7 May", NULL, NULL), "on [date]");
	/* Section 4's examples leave nothing behind. */
	assert_string_equal(redact("born 15 November 95, seen", NULL, NULL), "born [date], seen");
	assert_string_equal(redact("born 15/11/95.", NULL, NULL), "born [date].");
	assert_string_equal(redact("born 15th Nov 1995.", NULL, NULL), "born [date].");
	assert_string_equal(redact("DOB 15th Nov 95", NULL, NULL), "DOB [date]");
	/* Not dates: times, sections, ages, the verb "may", "march" as a verb. */
	SAME("at 23:10 on the 3rd day");
	SAME("under section 23 and s.60, s60 and s 1");
	SAME("aged 17, 12 may have been there");
	SAME("they march 12 miles; 1.5 grams; 3 of 4 wraps");
	SAME("version 1.2.3.4");
	SAME("32/13/2019 is not a date");
}

static void test_records_redact__postcodes(void **state)
{
	static const char *const codes[] = {
	    "SA31 1AB", "SA311AB", "LD1 5LG",  "SY23 3BT", "M1 1AE",   "B33 8TH", "CR2 6XH",
	    "DN55 1PT", "W1A 0AX", "EC1A 1BB", "ec1a1bb",  "sa31 1ab", "GIR 0AA"};
	char in[64], want[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		snprintf(in, sizeof in, "near %s, then", codes[i]);
		snprintf(want, sizeof want, "near [postcode], then");
		assert_string_equal(redact(in, NULL, NULL), want);
	}
	SAME("the s1 2nd time, s60 3rd search, PACE s1");
	SAME("SEARCH under S60 of CJPOA");
	SAME("SA31 alone, or 1AB alone");
}

static void test_records_redact__pnc(void **state)
{
	(void)state;
	assert_string_equal(redact("PNC 19/123456A shows", NULL, NULL), "PNC [pnc] shows");
	assert_string_equal(redact("PNC 2019/0123456B.", NULL, NULL), "PNC [pnc].");
	assert_string_equal(redact("pnc 05/7z", NULL, NULL), "pnc [pnc]");
	SAME("3/4 of the wraps, 19/12 ratio, 2019/20 season");
}

static void test_records_redact__vrm(void **state)
{
	static const char *const vrms[] = {"AB12 CDE", "AB12CDE",  "A123 BCD", "A123BCD",
	                                   "P7 XYZ",   "ABC 123D", "ABC123D",  "YX69 LMN"};
	char in[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof vrms / sizeof vrms[0]; i++) {
		snprintf(in, sizeof in, "in a Ford %s with", vrms[i]);
		assert_string_equal(redact(in, NULL, NULL), "in a Ford [vrm] with");
	}
	SAME("SEARCH under SECTION 23 MDA, S23 MDA, THE A40 AND A483");
	SAME("PERSON SEARCHED ON THE M4 AT JUNCTION 49");
	SAME("ab12 cde in lower case is not how plates are written");
}

static void test_records_redact__phones(void **state)
{
	static const char *const nums[] = {
	    "07700 900123",  "07700900123",        "07700-900-123",    "+44 7700 900123",
	    "+447700900123", "+44 (0)1267 123456", "0044 1267 123456", "(01267) 123456",
	    "01267 123456",  "0800 123 4567",      "029 2018 0000"};
	char in[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		snprintf(in, sizeof in, "call %s now", nums[i]);
		assert_string_equal(redact(in, NULL, NULL), "call [phone] now");
	}
	SAME("ref DP-2024-06-000123 and 0123 and 01267 1234");
	SAME("found 2000 pounds in 20 bags, 100 grams");
}

static void test_records_redact__everything_together(void **state)
{
	const char *g = "Officers stopped Rhys Pritchard (DOB 03/05/2001) of 4 Maes y Dre, "
	                "Llandeilo in Vauxhall Corsa AB12 CDE near SA19 6AB on 12th June. PNC "
	                "21/4567B. Pritchard gave mobile 07700 900456. Strong smell of cannabis.";

	(void)state;
	assert_string_equal(redact(g, "Rhys Pritchard", "4 Maes y Dre, Llandeilo, SA19 6XY"),
	                    "Officers stopped [subject] (DOB [date]) of [address], [address] in "
	                    "Vauxhall Corsa [vrm] near [postcode] on [date]. PNC [pnc]. [subject] "
	                    "gave mobile [phone]. Strong smell of cannabis.");
}

static void test_records_redact__utf8_and_empty(void **state)
{
	(void)state;
	assert_string_equal(redact("", "Siân", NULL), "");
	SAME("Ŵyn’s café – 23:10 “quoted” 日本");
	assert_string_equal(redact("Siân’s café", "Siân", NULL), "[subject]’s café");
	/* Bytes that are not UTF-8 are copied, never merged or dropped. */
	assert_string_equal(redact("a\xC3 b\xE2\x80", NULL, NULL), "a\xC3 b\xE2\x80");
	/* A non-ASCII letter is part of a word: no match starts or ends beside it. */
	SAME("éAB12 CDE and SA31 1ABé");
}

/* Text made of the name's and address's short pieces, over and over, must
 * not be taken for them (and exercises the bounded look-ahead; timing lives
 * in the benchmark). */
static void test_records_redact__repeated_short_parts(void **state)
{
	struct ss_buf big = SS_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < 200000; i++)
		assert_int_equal(ss_buf_puts(&big, "O O O O 1 1 1 1 "), 0);
	ss_buf_reset(&out);
	assert_int_equal(ss_redact_grounds(big.data, big.len, "O Li", 4, "1 1 1 1 1 1 Tŷ",
	                                   strlen("1 1 1 1 1 1 Tŷ"), &out),
	                 0);
	assert_string_equal(out.data, big.data);
	ss_buf_release(&big);
}

static const char *redact_text(const char *text)
{
	ss_buf_reset(&out);
	assert_int_equal(ss_redact_text(text, strlen(text), &out), 0);
	assert_non_null(out.data);
	return out.data;
}

/* Notes and reasons: the patterns, and officers' identifiers. */
static void test_records_redact__free_text_officers(void **state)
{
	(void)state;
	assert_string_equal(redact_text("PC 1234 and DC 56 asked; Sgt 789 agreed"),
	                    "[officer] and [officer] asked; [officer] agreed");
	assert_string_equal(redact_text("sgt. 42, PS DP123, PC1234 and DP1234"),
	                    "[officer], [officer], [officer] and [officer]");
	assert_string_equal(redact_text("lab result 15/11/25, DOB 15 November 95, SA31 1AB"),
	                    "lab result [date], DOB [date], [postcode]");
	assert_string_equal(redact_text("call 07700 900016 about AB12 CDE"),
	                    "call [phone] about [vrm]");
	/* Not officers: sections, roads, ordinary capitals and numbers. */
	assert_string_equal(redact_text("s60 on the A4066 and M4, pc of 12, PACE 1984"),
	                    "s60 on the A4066 and M4, pc of 12, PACE 1984");
	/* Grounds keep officer numbers: only free text loses them. */
	assert_string_equal(redact("PC 1234 saw him", NULL, NULL), "PC 1234 saw him");
}

static int teardown(void **state)
{
	(void)state;
	ss_buf_release(&out);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_redact__subject_name_and_parts),
	    cmocka_unit_test(test_records_redact__subject_folded_any_script),
	    cmocka_unit_test(test_records_redact__free_text_officers),
	    cmocka_unit_test(test_records_redact__address),
	    cmocka_unit_test(test_records_redact__dates),
	    cmocka_unit_test(test_records_redact__postcodes),
	    cmocka_unit_test(test_records_redact__pnc),
	    cmocka_unit_test(test_records_redact__vrm),
	    cmocka_unit_test(test_records_redact__phones),
	    cmocka_unit_test(test_records_redact__everything_together),
	    cmocka_unit_test(test_records_redact__utf8_and_empty),
	    cmocka_unit_test(test_records_redact__repeated_short_parts),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
