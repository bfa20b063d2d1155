/*
 * test_pseudonym.c - the pseudonym key file and the subject and officer
 * pseudonyms of DESIGN.md section 4, against vectors computed independently
 * with Python's hashlib (never with this code).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "crypto.h"
#include "fold.h"
#include "pseudonym.h"

static char tmpdir[256];

static int setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "%s/ss-pseudo-XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return ss_crypto_init();
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const unsigned char *p, size_t n, mode_t mode)
{
	int fd;

	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

/* The test key: bytes 0x00..0x1f, pseudonyms v2 (what a new trail uses). */
static struct ss_pseudo *test_key(void)
{
	unsigned char key[32];
	char path[512];
	struct ss_pseudo *ps = NULL;
	int i;

	for (i = 0; i < 32; i++)
		key[i] = (unsigned char)i;
	path_of(path, sizeof path, "vector.key");
	write_file(path, key, sizeof key, 0600);
	assert_int_equal(ss_pseudo_key_load(path, &ps), 0);
	assert_non_null(ps);
	assert_int_equal(ss_pseudo_version(ps), SS_PSEUDO_V2);
	return ps;
}

/* The test key with pseudonyms v1, as a trail begun with v1 keeps them. */
static struct ss_pseudo *test_key_v1(void)
{
	struct ss_pseudo *ps = test_key();

	assert_int_equal(ss_pseudo_set_version(ps, SS_PSEUDO_V1), 0);
	return ps;
}

/*
 * Vectors, with key = bytes(range(32)):
 * python3 -c "import
 * hashlib;print(hashlib.blake2b(b'ssaudit-key-fingerprint-v1\0'+bytes(range(32)),digest_size=16).hexdigest())"
 *   -> 4cb2bc06398d17ecff5dbf54b370e4db
 */
static void test_records_pseudonym__fingerprint_vector(void **state)
{
	struct ss_pseudo *ps = test_key();
	char fp[33];

	(void)state;
	ss_pseudo_fingerprint(ps, fp);
	assert_string_equal(fp, "4cb2bc06398d17ecff5dbf54b370e4db");
	ss_pseudo_free(ps);
}

/*
 * python3 -c "import
 * hashlib,base64;k=bytes(range(32));print('S-'+base64.b32encode(hashlib.blake2b(b'ssaudit-subject-v1\0'+'siân
 * o
 * neill'.encode()+b'\0'+b'1990-02-28',digest_size=32,key=k).digest()[:10]).decode().lower().rstrip('='))"
 *   -> S-np7tliqlkivoyizg
 * python3 -c "import
 * hashlib,base64;k=bytes(range(32));print('S-'+base64.b32encode(hashlib.blake2b(b'ssaudit-subject-v1\0'+b'rhys
 * ap
 * iorwerth'+b'\0'+b'2004-02-29',digest_size=32,key=k).digest()[:10]).decode().lower().rstrip('='))"
 *   -> S-7kv5h2pghpqbrzkb
 */
#define SIAN "S-np7tliqlkivoyizg"
#define RHYS "S-7kv5h2pghpqbrzkb"

static void check_subject(struct ss_pseudo *ps, const char *name, const char *dob, const char *want)
{
	char out[SS_ID_LEN + 1];

	assert_int_equal(ss_pseudo_subject(ps, name, strlen(name), dob, strlen(dob), out), 0);
	assert_string_equal(out, want);
}

static void test_records_pseudonym__v1_subject_vectors_and_normalisation(void **state)
{
	struct ss_pseudo *ps = test_key_v1();

	(void)state;
	/* The same person however the name is punctuated, spaced or cased in ASCII. */
	check_subject(ps, "siân o neill", "1990-02-28", SIAN);
	check_subject(ps, "Siân O'Neill", "1990-02-28", SIAN);
	check_subject(ps, "  Siân  O'NEILL, ", "1990-02-28", SIAN);
	check_subject(ps, "Siân-O.Neill", "1990-02-28", SIAN);
	/* Only ASCII is case-folded: a non-ASCII capital is a different name.
	 * python3 -c "import
	 * hashlib,base64;k=bytes(range(32));print('S-'+base64.b32encode(hashlib.blake2b(b'ssaudit-subject-v1\0'+'siÂn
	 * o
	 * neill'.encode()+b'\0'+b'1990-02-28',digest_size=32,key=k).digest()[:10]).decode().lower().rstrip('='))"
	 *   -> S-cmxsmjufaaqhraps */
	check_subject(ps, "SIÂN O'NEILL", "1990-02-28", "S-cmxsmjufaaqhraps");
	/* A different date of birth is a different person. */
	{
		char out[SS_ID_LEN + 1];

		assert_int_equal(ss_pseudo_subject(ps, "Siân O'Neill", 13, "1990-02-27", 10, out),
		                 0);
		assert_string_not_equal(out, SIAN);
	}
	ss_pseudo_free(ps);
}

static void test_records_pseudonym__v1_uk_and_iso_dates_agree(void **state)
{
	struct ss_pseudo *ps = test_key_v1();

	(void)state;
	check_subject(ps, "Siân O'Neill", "28/02/1990", SIAN);
	check_subject(ps, "Siân O'Neill", " 1990-02-28 ", SIAN);
	/* 2004 is a leap year. */
	check_subject(ps, "Rhys ap Iorwerth", "29/02/2004", RHYS);
	check_subject(ps, "RHYS AP IORWERTH", "2004-02-29", RHYS);
	ss_pseudo_free(ps);
}

static void test_records_pseudonym__bad_dates_and_names_refused(void **state)
{
	static const char *bad[] = {"29/02/2003", "31/04/1990", "1990-13-01", "1990-00-10",
	                            "00/01/1990", "1990-2-28",  "28-02-1990", "28/02/90",
	                            "",           "1990/02/28", "2x/02/1990", "0000-01-01"};
	struct ss_pseudo *ps = test_key();
	char out[SS_ID_LEN + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(ss_pseudo_subject(ps, "Siân", 5, bad[i], strlen(bad[i]), out),
		                 SS_EDATA);
		assert_string_equal(out, "");
	}
	/* The message is for a screen: it must not repeat the identity. */
	assert_int_equal(ss_pseudo_subject(ps, "Siân", 5, "31/04/1990", 10, out), SS_EDATA);
	assert_null(strstr(ss_error_message(), "1990"));
	assert_int_equal(ss_pseudo_subject(ps, " ,.'- 42", 8, "1990-02-28", 10, out), SS_EDATA);
	assert_int_equal(ss_pseudo_subject(ps, "", 0, "1990-02-28", 10, out), SS_EDATA);
	ss_pseudo_free(ps);
}

/*
 * python3 -c "import
 * hashlib,base64;k=bytes(range(32));print('O-'+base64.b32encode(hashlib.blake2b(b'ssaudit-officer-v1\0'+b'DP1234',digest_size=32,key=k).digest()[:10]).decode().lower().rstrip('='))"
 *   -> O-tk4wel6qo5x45ile
 */
static void test_records_pseudonym__officer_vector(void **state)
{
	struct ss_pseudo *ps = test_key();
	char out[SS_ID_LEN + 1];

	(void)state;
	assert_int_equal(ss_pseudo_officer(ps, "DP1234", 6, out), 0);
	assert_string_equal(out, "O-tk4wel6qo5x45ile");
	assert_int_equal(ss_pseudo_officer(ps, "  dp1234\t", 9, out), 0);
	assert_string_equal(out, "O-tk4wel6qo5x45ile");
	assert_int_equal(ss_pseudo_officer(ps, "DP1235", 6, out), 0);
	assert_string_not_equal(out, "O-tk4wel6qo5x45ile");
	assert_int_equal(ss_pseudo_officer(ps, "   ", 3, out), SS_EDATA);
	ss_pseudo_free(ps);
}

static void test_records_pseudonym__key_created_private_and_random(void **state)
{
	char path[512], path2[512];
	struct stat st;
	struct ss_pseudo *a = NULL, *b = NULL;
	char fa[33], fb[33], sa[SS_ID_LEN + 1], sb[SS_ID_LEN + 1];

	(void)state;
	path_of(path, sizeof path, "new.key");
	path_of(path2, sizeof path2, "other.key");
	unlink(path);
	unlink(path2);
	assert_int_equal(ss_pseudo_key_create(path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, 32);
	assert_int_equal(ss_pseudo_key_create(path2), 0);
	assert_int_equal(ss_pseudo_key_load(path, &a), 0);
	assert_int_equal(ss_pseudo_key_load(path2, &b), 0);
	/* Two keys: different fingerprints and different pseudonyms for the same person. */
	ss_pseudo_fingerprint(a, fa);
	ss_pseudo_fingerprint(b, fb);
	assert_string_not_equal(fa, fb);
	assert_int_equal(ss_pseudo_subject(a, "Siân O'Neill", 13, "1990-02-28", 10, sa), 0);
	assert_int_equal(ss_pseudo_subject(b, "Siân O'Neill", 13, "1990-02-28", 10, sb), 0);
	assert_string_not_equal(sa, sb);
	ss_pseudo_free(a);
	ss_pseudo_free(b);
	ss_pseudo_free(NULL);
}

static void test_records_pseudonym__key_never_overwritten(void **state)
{
	unsigned char mine[32], back[32];
	char path[512];
	int fd;

	(void)state;
	memset(mine, 0xa5, sizeof mine);
	path_of(path, sizeof path, "keep.key");
	write_file(path, mine, sizeof mine, 0600);
	assert_int_equal(ss_pseudo_key_create(path), SS_ECANTCREAT);
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, back, sizeof back), 32);
	close(fd);
	assert_memory_equal(mine, back, 32);
}

static void test_records_pseudonym__key_readable_by_others_refused(void **state)
{
	static const mode_t modes[] = {0644, 0640, 0604, 0660, 0601};
	unsigned char key[32] = {1};
	char path[512], want[1200];
	struct ss_pseudo *ps = NULL;
	size_t i;

	(void)state;
	path_of(path, sizeof path, "open.key");
	snprintf(want, sizeof want,
	         "pseudonym key '%s' can be read by other users; run: chmod 600 '%s'", path, path);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		write_file(path, key, sizeof key, modes[i]);
		assert_int_equal(ss_pseudo_key_load(path, &ps), SS_EPERM);
		assert_null(ps);
		assert_string_equal(ss_error_message(), want);
	}
	/* Following the advice works; stricter than 0600 is fine too. */
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(ss_pseudo_key_load(path, &ps), 0);
	ss_pseudo_free(ps);
	assert_int_equal(chmod(path, 0400), 0);
	assert_int_equal(ss_pseudo_key_load(path, &ps), 0);
	ss_pseudo_free(ps);
}

static void test_records_pseudonym__key_symlink_size_missing(void **state)
{
	unsigned char key[33] = {7};
	char path[512], link[512], dangling[512], target[512];
	struct ss_pseudo *ps = NULL;
	struct stat st;

	(void)state;
	path_of(path, sizeof path, "real.key");
	path_of(link, sizeof link, "link.key");
	write_file(path, key, 32, 0600);
	unlink(link);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(ss_pseudo_key_load(link, &ps), SS_EPERM);
	assert_null(ps);

	/* Creating through a dangling symlink must not create its target. */
	path_of(dangling, sizeof dangling, "dangling.key");
	path_of(target, sizeof target, "target.key");
	unlink(dangling);
	unlink(target);
	assert_int_equal(symlink(target, dangling), 0);
	assert_int_equal(ss_pseudo_key_create(dangling), SS_ECANTCREAT);
	assert_int_equal(stat(target, &st), -1);

	write_file(path, key, 31, 0600);
	assert_int_equal(ss_pseudo_key_load(path, &ps), SS_EDATA);
	write_file(path, key, 33, 0600);
	assert_int_equal(ss_pseudo_key_load(path, &ps), SS_EDATA);
	write_file(path, key, 0, 0600);
	assert_int_equal(ss_pseudo_key_load(path, &ps), SS_EDATA);
	assert_null(ps);

	path_of(path, sizeof path, "absent.key");
	assert_int_equal(ss_pseudo_key_load(path, &ps), SS_ENOINPUT);
	assert_null(ps);
}

/* ---- v2: Unicode folding, checked against tests/records/pseudonym_v2.py ---- */

/* Run the Python reference (written from section 4 with Python's unicodedata
 * and hashlib) on one name; its two lines, the folded name and the pseudonym. */
static void python_v2(const char *name, const char *dob, char *fold, size_t fcap,
                      char pseud[SS_ID_LEN + 1])
{
	const char *src = getenv("SS_SOURCE_DIR");
	char script[1024], keyhex[65], out[4096];
	int fds[2], status;
	size_t got = 0;
	ssize_t r;
	pid_t pid;
	char *nl;
	int i;

	assert_non_null(src);
	snprintf(script, sizeof script, "%s/tests/records/pseudonym_v2.py", src);
	for (i = 0; i < 32; i++)
		snprintf(keyhex + 2 * i, 3, "%02x", i);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", script, keyhex, name, dob, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((r = read(fds[0], out + got, sizeof out - 1 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	out[got] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	*nl = '\0';
	assert_true(strlen(out) < fcap);
	strcpy(fold, out);
	assert_int_equal(strlen(nl + 1), SS_ID_LEN + 1); /* the pseudonym and its newline */
	memcpy(pseud, nl + 1, SS_ID_LEN);
	pseud[SS_ID_LEN] = '\0';
}

/* Names a Welsh, a Russian-speaking or a German family may write: capitals,
 * composed and decomposed accents (U+0302 after the a), Cyrillic, sharp s. */
static const char *const v2_names[] = {
    "SIÂN JONES",     "Siân Jones",       "Sia\xcc\x82n Jones",
    "Sian  Jones-",   "Rhys ap Iorwerth", "RHYS AP IORWERTH",
    "ŴYN O'NEILL",    "Ŵyn O’Neill",      "ИВАН ПЕТРОВ",
    "иван петров",    "Иван Петров",      "Jürgen Strauß",
    "JÜRGEN STRAUSS", "Gwenllïan Ng",     "Ｆｕｌｌｗｉｄｔｈ Ｎａｍｅ",
    "Zoë 2nd Ǆurić",  "Ἀλέξανδρος",       "김민준",
};

static void test_records_pseudonym__v2_agrees_with_python(void **state)
{
	struct ss_pseudo *ps = test_key();
	char pyfold[1024], pyps[SS_ID_LEN + 1], cfold[1024], cps[SS_ID_LEN + 1];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v2_names / sizeof v2_names[0]; i++) {
		const char *n = v2_names[i];
		ssize_t fl = ss_fold_name(n, strlen(n), cfold, sizeof cfold);

		python_v2(n, "1990-02-28", pyfold, sizeof pyfold, pyps);
		assert_true(fl >= 0 && (size_t)fl < sizeof cfold);
		cfold[fl] = '\0';
		assert_string_equal(cfold, pyfold);
		assert_int_equal(ss_pseudo_subject(ps, n, strlen(n), "28/02/1990", 10, cps), 0);
		assert_string_equal(cps, pyps);
	}
	ss_pseudo_free(ps);
}

/* Text all in ASCII folds by a shorter road: the same bytes as the Unicode
 * road, which a trailing no-break space (a separator, not ASCII) forces. */
static void test_records_pseudonym__v2_ascii_folds_as_unicode(void **state)
{
	char s[40], u[48], a[64], b[64];
	unsigned x = 12345;
	size_t i, n, k;

	(void)state;
	for (i = 0; i < 128 + 5000; i++) {
		if (i < 128) {
			s[0] = (char)i;
			n = 1;
		} else {
			n = 1 + i % 30;
			for (k = 0; k < n; k++) {
				x = x * 1103515245u + 12345u;
				s[k] = (x >> 16) % 4 ? "aZ- '.9\tb"[(x >> 8) % 10]
				                     : (char)((x >> 9) % 128);
			}
		}
		memcpy(u, s, n);
		memcpy(u + n, "\xc2\xa0", 2);
		ssize_t fa = ss_fold_name(s, n, a, sizeof a);
		ssize_t fb = ss_fold_name(u, n + 2, b, sizeof b);

		assert_int_equal(fa, fb);
		assert_memory_equal(a, b, (size_t)fa);
		/* too little room: the same length, and the part that fits */
		if (fa > 2) {
			assert_int_equal(ss_fold_name(s, n, a, 2), fa);
			assert_memory_equal(a, b, 2);
		}
	}
}

static void test_records_pseudonym__v2_one_person_one_pseudonym(void **state)
{
	struct ss_pseudo *ps = test_key(), *v1 = test_key_v1();
	char a[SS_ID_LEN + 1], b[SS_ID_LEN + 1];
	size_t i;

	(void)state;
	/* Each group is one person, however the force's systems wrote the name. */
	static const size_t groups[][2] = {{0, 4}, {4, 6}, {6, 8}, {8, 11}, {11, 13}};
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		size_t k;

		assert_int_equal(ss_pseudo_subject(ps, v2_names[groups[i][0]],
		                                   strlen(v2_names[groups[i][0]]), "1990-02-28", 10,
		                                   a),
		                 0);
		for (k = groups[i][0] + 1; k < groups[i][1]; k++) {
			assert_int_equal(ss_pseudo_subject(ps, v2_names[k], strlen(v2_names[k]),
			                                   "1990-02-28", 10, b),
			                 0);
			assert_string_equal(a, b);
		}
		/* ... and different people stay different. */
		if (i > 0) {
			assert_int_equal(ss_pseudo_subject(ps, v2_names[0], strlen(v2_names[0]),
			                                   "1990-02-28", 10, b),
			                 0);
			assert_string_not_equal(a, b);
		}
	}
	/* v1 gave SIÂN and Siân two pseudonyms: the bug v2 fixes. */
	assert_int_equal(
	    ss_pseudo_subject(v1, v2_names[0], strlen(v2_names[0]), "1990-02-28", 10, a), 0);
	assert_int_equal(
	    ss_pseudo_subject(v1, v2_names[1], strlen(v2_names[1]), "1990-02-28", 10, b), 0);
	assert_string_not_equal(a, b);
	/* v1 and v2 pseudonyms of one person differ: a trail never mixes them. */
	assert_int_equal(
	    ss_pseudo_subject(ps, v2_names[1], strlen(v2_names[1]), "1990-02-28", 10, a), 0);
	assert_string_not_equal(a, b);
	ss_pseudo_free(ps);
	ss_pseudo_free(v1);
}

static void test_records_pseudonym__v2_dates_and_versions(void **state)
{
	struct ss_pseudo *ps = test_key();
	char out[SS_ID_LEN + 1];

	(void)state;
	/* No letter in any script: refused, as in v1. */
	assert_int_equal(ss_pseudo_subject(ps, " ,.'- 42 \xe2\x80\x99", 12, "1990-02-28", 10, out),
	                 SS_EDATA);
	/* Not UTF-8. */
	assert_int_equal(ss_pseudo_subject(ps, "Si\xe2n", 4, "1990-02-28", 10, out), SS_EDATA);
	assert_int_equal(ss_pseudo_set_version(ps, 3), SS_EDATA);
	assert_int_equal(ss_pseudo_version(ps), SS_PSEUDO_V2);
	ss_pseudo_free(ps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_pseudonym__fingerprint_vector),
	    cmocka_unit_test(test_records_pseudonym__v1_subject_vectors_and_normalisation),
	    cmocka_unit_test(test_records_pseudonym__v1_uk_and_iso_dates_agree),
	    cmocka_unit_test(test_records_pseudonym__v2_agrees_with_python),
	    cmocka_unit_test(test_records_pseudonym__v2_ascii_folds_as_unicode),
	    cmocka_unit_test(test_records_pseudonym__v2_one_person_one_pseudonym),
	    cmocka_unit_test(test_records_pseudonym__v2_dates_and_versions),
	    cmocka_unit_test(test_records_pseudonym__bad_dates_and_names_refused),
	    cmocka_unit_test(test_records_pseudonym__officer_vector),
	    cmocka_unit_test(test_records_pseudonym__key_created_private_and_random),
	    cmocka_unit_test(test_records_pseudonym__key_never_overwritten),
	    cmocka_unit_test(test_records_pseudonym__key_readable_by_others_refused),
	    cmocka_unit_test(test_records_pseudonym__key_symlink_size_missing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
