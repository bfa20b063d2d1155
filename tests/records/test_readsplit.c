/* A file read in parts on several threads gives what one thread gives: the
 * same records (values, lines, order), the same source, and for a file with
 * errors the same messages at the same lines and columns. */
#include "rtest.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "readctx.h"

#define ROWS 3000

static char dir[] = "/tmp/ss-readsplit-XXXXXX";

#define HEADER POLICE_HEADER ",Reference,Grounds\n"

/* Row i (1-based) of a force-csv file: quoted values with doubled quotes,
 * and line ends inside them on every third row; its grounds padded with
 * spaces to `width` bytes in all when width is given. */
static void make_row(int i, const char *eol, size_t width, char *row, size_t n)
{
	size_t len;

	snprintf(row, n,
	         "Person search,2019-01-%02dT%02d:00:00+00:00,,%s,,,Male,18-24,,White,"
	         "Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further "
	         "action disposal,,False,REF-%d,\"seen \"\"passing\"\" a package%s%s%d",
	         i % 28 + 1, i % 24, i % 3 == 0 ? "\"Op \"\"Nine\"\"\nsecond line\"" : "", i,
	         i % 3 == 0 ? eol : "", i % 3 == 0 ? "to a man, " : " ", i);
	len = strlen(row);
	while (width > 0 && len + 1 + strlen(eol) < width && len + 1 < n)
		row[len++] = ' ';
	snprintf(row + len, n - len, "\"%s", eol);
}

/* A force-csv file of `rows` rows (ROWS when 0) ending in eol; `tweak(i, row)`
 * may rewrite row i. Returns the path (static). */
static const char *write_rows(const char *name, const char *eol, int rows, size_t width,
                              void (*tweak)(int i, char *row, size_t n))
{
	static char path[256];
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(HEADER, f);
	for (i = 1; i <= (rows ? rows : ROWS); i++) {
		char row[1024];

		make_row(i, eol, width, row, sizeof(row));
		if (tweak != NULL)
			tweak(i, row, sizeof(row));
		fputs(row, f);
	}
	assert_int_equal(fclose(f), 0);
	return path;
}

static const char *write_file(const char *name, const char *eol,
                              void (*tweak)(int i, char *row, size_t n))
{
	return write_rows(name, eol, 0, 0, tweak);
}

/* Read path with SSAUDIT_THREADS=threads. */
static int read_with(const char *path, const char *threads, struct ss_population **pop,
                     struct ss_diags *d, char *msg, size_t msgsz)
{
	struct ss_read_opts o = {.format = SS_FORMAT_AUTO};
	int err;

	setenv("SSAUDIT_THREADS", threads, 1);
	assert_int_equal(ss_population_new(pop), 0);
	err = ss_read_file(path, "f.csv", &o, *pop, d);
	snprintf(msg, msgsz, "%s", err ? ss_error_message() : "");
	unsetenv("SSAUDIT_THREADS");
	return err;
}

/* Did the parts read the file (no fall back to one thread)? */
static bool split_taken(const char *path, const char *threads)
{
	struct ss_read_opts o = {.format = SS_FORMAT_AUTO};
	struct ss_population *pop;
	struct ss_read_ctx c;
	struct stat st;
	char hex[65];
	bool done = false;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(ss_population_new(&pop), 0);
	setenv("SSAUDIT_THREADS", threads, 1);
	ss_ctx_init(&c, "f.csv", NULL, NULL, 0, &o, pop, NULL);
	assert_int_equal(ss_read_split(&c, fd, (size_t)st.st_size, hex, &done), 0);
	unsetenv("SSAUDIT_THREADS");
	if (done)
		assert_int_equal(pop->n, c.rows);
	else
		assert_int_equal(pop->n, 0); /* nothing kept when it falls back */
	ss_ctx_release(&c);
	ss_population_free(pop);
	close(fd);
	return done;
}

static void same_str(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

/* One thread and three give the same result, records and messages. */
static void compare(const char *path, int want_err)
{
	struct ss_population *a, *b;
	struct ss_diags da = {NULL, 0, 0, 0, 20}, db = {NULL, 0, 0, 0, 20};
	char ma[1536], mb[1536];
	size_t i;
	int f;

	assert_int_equal(read_with(path, "1", &a, &da, ma, sizeof(ma)), want_err);
	assert_int_equal(read_with(path, "3", &b, &db, mb, sizeof(mb)), want_err);
	assert_string_equal(ma, mb);
	assert_int_equal(da.n, db.n);
	assert_int_equal(da.total, db.total);
	for (i = 0; i < da.n; i++) {
		assert_string_equal(da.d[i].msg, db.d[i].msg);
		assert_int_equal(da.d[i].line, db.d[i].line);
		assert_int_equal(da.d[i].col, db.d[i].col);
	}
	assert_int_equal(a->n, b->n);
	assert_int_equal(a->nsources, b->nsources);
	for (i = 0; i < a->nsources; i++) {
		assert_string_equal(a->sources[i].sha256, b->sources[i].sha256);
		assert_int_equal(a->sources[i].rows, b->sources[i].rows);
	}
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->rec[i].line, b->rec[i].line);
		assert_int_equal(a->rec[i].source, b->rec[i].source);
		for (f = 0; f < SS_F_COUNT; f++) {
			same_str(a->rec[i].str[f], b->rec[i].str[f]);
			assert_int_equal(a->rec[i].tri[f], b->rec[i].tri[f]);
		}
	}
	ss_population_free(a);
	ss_population_free(b);
	ss_diags_release(&da);
	ss_diags_release(&db);
}

static void test_records_readsplit__good_files_are_read_in_parts(void **state)
{
	const char *path;

	(void)state;
	path = write_file("lf.csv", "\n", NULL);
	assert_true(split_taken(path, "3"));
	assert_false(split_taken(path, "1"));
	compare(path, 0);
	path = write_file("crlf.csv", "\r\n", NULL);
	assert_true(split_taken(path, "3"));
	compare(path, 0);
}

static void test_records_readsplit__lines_are_the_files(void **state)
{
	struct ss_population *pop;
	char msg[1536];

	(void)state;
	/* every third row takes three lines: row i starts on line i + 1 + 2 * ((i - 1) / 3) */
	assert_int_equal(
	    read_with(write_file("lines.csv", "\n", NULL), "3", &pop, NULL, msg, sizeof(msg)), 0);
	assert_int_equal(pop->n, ROWS);
	assert_int_equal(pop->rec[ROWS - 1].line, ROWS + 1 + 2 * ((ROWS - 1) / 3));
	assert_string_equal(pop->rec[ROWS - 1].str[SS_F_REFERENCE], "REF-3000");
	ss_population_free(pop);
}

static void blank_line(int i, char *row, size_t n)
{
	if (i == 2001)
		snprintf(row, n, "\n");
}

static void trailing_blanks(int i, char *row, size_t n)
{
	if (i == ROWS)
		strncat(row, "\n\n\n", n - strlen(row) - 1);
}

/* Replace the first `from` in row with `to`. */
static void replace(char *row, size_t n, const char *from, const char *to)
{
	char *p = strstr(row, from), rest[512];

	assert_non_null(p);
	snprintf(rest, sizeof(rest), "%s", p + strlen(from));
	snprintf(p, n - (size_t)(p - row), "%s%s", to, rest);
}

static void late_duplicate(int i, char *row, size_t n)
{
	if (i == 2800)
		replace(row, n, "REF-2800,", "REF-10,");
}

static void late_bad_date(int i, char *row, size_t n)
{
	if (i == 2900)
		replace(row, n, "2019-01-", "2019-13-");
}

static void stray_quote(int i, char *row, size_t n)
{
	if (i == 1200)
		replace(row, n, "Male", "M\"ale");
}

static void test_records_readsplit__errors_are_the_one_thread_readers(void **state)
{
	const char *path;

	(void)state;
	/* an empty line in the middle: an error, found by a part, read again whole */
	path = write_file("blank.csv", "\n", blank_line);
	assert_false(split_taken(path, "3"));
	compare(path, SS_EDATA);
	/* empty lines at the end are no error, cut or not */
	compare(write_file("trailing.csv", "\r\n", trailing_blanks), 0);
	/* a reference used again in another part: found after the parts are joined */
	compare(write_file("dup.csv", "\n", late_duplicate), SS_EDATA);
	compare(write_file("date.csv", "\r\n", late_bad_date), SS_EDATA);
	/* a quote inside an unquoted value miscounts the quotes after it */
	compare(write_file("quote.csv", "\n", stray_quote), SS_EDATA);
}

/* Rows of WIDTH bytes, an empty line after row `blank_after`, the last row
 * `extra` bytes longer. */
#define WIDTH 300
static int blank_after, extra;

static void blank_and_longer(int i, char *row, size_t n)
{
	if (i == ROWS) {
		make_row(i, "\n", WIDTH + (size_t)extra, row, n);
	}
	if (i == blank_after)
		strncat(row, "\n", n - strlen(row) - 1);
}

static void test_records_readsplit__an_empty_line_at_a_cut_is_still_an_error(void **state)
{
	size_t h = strlen(HEADER), size, target;

	(void)state;
	/* Lay the file out so that the first cut of three falls just after the
	 * empty line, where a part would end in it and take it for the end. */
	for (extra = 0; extra < 3 * WIDTH; extra++) {
		size = h + (size_t)ROWS * WIDTH + 1 + (size_t)extra;
		target = size / 3;
		if ((target - h - 1) % WIDTH == 0)
			break;
	}
	assert_true(extra < 3 * WIDTH);
	blank_after = (int)((target - h - 1) / WIDTH);
	const char *path = write_rows("cut.csv", "\n", ROWS, WIDTH, blank_and_longer);
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((size_t)st.st_size, size);
	assert_false(split_taken(path, "3"));
	compare(path, SS_EDATA);
}

/* Every shared real month (data.police.uk's own files) is cut, and read the same. */
static void test_records_readsplit__real_months(void **state)
{
	const char *shared = getenv("SS_SHARED_DIR");
	char data[4096], path[4400];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	(void)state;
	if (shared == NULL)
		skip();
	snprintf(data, sizeof(data), "%s/data/police-uk", shared);
	if ((d = opendir(data)) == NULL)
		skip();
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", data, e->d_name);
		assert_true(split_taken(path, "3"));
		compare(path, 0);
		n++;
	}
	closedir(d);
	assert_true(n >= 26);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_readsplit__good_files_are_read_in_parts),
	    cmocka_unit_test(test_records_readsplit__lines_are_the_files),
	    cmocka_unit_test(test_records_readsplit__errors_are_the_one_thread_readers),
	    cmocka_unit_test(test_records_readsplit__an_empty_line_at_a_cut_is_still_an_error),
	    cmocka_unit_test(test_records_readsplit__real_months),
	};

	assert_int_equal(ss_crypto_init(), 0);
	return cmocka_run_group_tests(tests, setup, teardown);
}
