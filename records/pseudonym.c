/*
 * pseudonym.c - the pseudonym key file and the keyed pseudonyms of subjects
 * and officers (DESIGN.md section 4).
 *
 * The key lives only in guarded secret memory (crypto.h), read-only once loaded. Names,
 * dates of birth and officer numbers are hashed with the streaming BLAKE2b
 * API through small stack buffers that are wiped before every return, so no
 * identity is ever copied to the heap here.
 */
#include "pseudonym.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "error.h"
#include "fold.h"

#define SS_KEY_LEN 32

struct ss_pseudo {
	unsigned char *key; /* SS_KEY_LEN bytes of ss_secret_alloc memory, read-only */
	int version;        /* of the subject pseudonym: SS_PSEUDO_V1 or SS_PSEUDO_V2 */
};

static const char fp_domain[] = "ssaudit-key-fingerprint-v1";
static const char subject_domain_v1[] = "ssaudit-subject-v1";
static const char subject_domain_v2[] = "ssaudit-subject-v2";
static const char officer_domain[] = "ssaudit-officer-v1";

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Make the new directory entry durable too (best effort: some file systems refuse). */
static void sync_parent_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	size_t n;
	int fd;

	if (slash == NULL) {
		dir[0] = '.';
		n = 1;
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof dir)
			return;
		memcpy(dir, path, n);
	}
	dir[n] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

int ss_pseudo_key_create(const char *path)
{
	unsigned char *key = NULL;
	int fd = -1, err = 0;
	bool created = false;

	key = ss_secret_alloc(SS_KEY_LEN);
	if (key == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			err = ss_error_set(
			    SS_ECANTCREAT,
			    _("pseudonym key '%s' already exists; it is never overwritten"), path);
		else
			err = ss_error_set(SS_ECANTCREAT, _("cannot create pseudonym key '%s': %s"),
			                   path, strerror(errno));
		goto out;
	}
	created = true;
	/* The umask may only remove bits, but be explicit about the mode we promise. */
	if (fchmod(fd, 0600) != 0) {
		err =
		    ss_error_set(SS_ECANTCREAT, _("cannot set the mode of pseudonym key '%s': %s"),
		                 path, strerror(errno));
		goto out;
	}
	ss_random_bytes(key, SS_KEY_LEN);
	if (write_all(fd, key, SS_KEY_LEN) != 0 || fsync(fd) != 0) {
		err = ss_error_set(SS_EIO, _("cannot write pseudonym key '%s': %s"), path,
		                   strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		err = ss_error_set(SS_EIO, _("cannot write pseudonym key '%s': %s"), path,
		                   strerror(errno));
		goto out;
	}
	fd = -1;
	sync_parent_dir(path);
out:
	if (fd >= 0)
		close(fd);
	/* A half-written key must not be left for a later load to accept. */
	if (err && created)
		unlink(path);
	ss_secret_free(key); /* wipes */
	return err;
}

int ss_pseudo_key_load(const char *path, struct ss_pseudo **out)
{
	struct ss_pseudo *ps = NULL;
	unsigned char *buf = NULL;
	struct stat st;
	size_t got = 0;
	int fd = -1, err = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			err =
			    ss_error_set(SS_ENOINPUT, _("pseudonym key '%s' does not exist"), path);
		else if (errno == ELOOP)
			err = ss_error_set(SS_EPERM,
			                   _("pseudonym key '%s' is a symbolic link; put the key "
			                     "file itself there (mode 600)"),
			                   path);
		else if (errno == EACCES)
			err = ss_error_set(SS_EPERM, _("cannot read pseudonym key '%s': %s"), path,
			                   strerror(errno));
		else
			err = ss_error_set(SS_EIO, _("cannot open pseudonym key '%s': %s"), path,
			                   strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0) {
		err = ss_error_set(SS_EIO, _("cannot read pseudonym key '%s': %s"), path,
		                   strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = ss_error_set(SS_EDATA, _("pseudonym key '%s' is not a regular file"), path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		err = ss_error_set(
		    SS_EPERM,
		    _("pseudonym key '%s' can be read by other users; run: chmod 600 '%s'"), path,
		    path);
		goto out;
	}
	/* One byte more than a key, so a longer file is noticed without trusting st_size. */
	buf = ss_secret_alloc(SS_KEY_LEN + 1);
	ps = calloc(1, sizeof *ps);
	if (buf == NULL || ps == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	while (got < SS_KEY_LEN + 1) {
		ssize_t r = read(fd, buf + got, SS_KEY_LEN + 1 - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = ss_error_set(SS_EIO, _("cannot read pseudonym key '%s': %s"), path,
			                   strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	if (got != SS_KEY_LEN) {
		err = ss_error_set(
		    SS_EDATA,
		    _("pseudonym key '%s' is not a pseudonym key (it must be exactly %d "
		      "bytes)"),
		    path, SS_KEY_LEN);
		goto out;
	}
	ps->version = SS_PSEUDO_V2;
	ps->key = ss_secret_alloc(SS_KEY_LEN);
	if (ps->key == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	memcpy(ps->key, buf, SS_KEY_LEN);
	if (ss_secret_readonly(ps->key) != 0) {
		err = ss_error_set(SS_EIO, _("cannot protect the pseudonym key in memory"));
		goto out;
	}
	*out = ps;
	ps = NULL;
out:
	if (fd >= 0)
		close(fd);
	ss_secret_free(buf); /* wipes; a no-op on NULL */
	ss_pseudo_free(ps);
	return err;
}

void ss_pseudo_free(struct ss_pseudo *ps)
{
	if (ps == NULL)
		return;
	ss_secret_free(ps->key); /* makes it writable, wipes, unmaps */
	free(ps);
}

int ss_pseudo_set_version(struct ss_pseudo *ps, int version)
{
	if (version != SS_PSEUDO_V1 && version != SS_PSEUDO_V2)
		return ss_error_set(
		    SS_EDATA,
		    _("pseudonym version %d is not one this ssaudit knows (1 or 2); "
		      "use a newer ssaudit"),
		    version);
	ps->version = version;
	return 0;
}

int ss_pseudo_version(const struct ss_pseudo *ps)
{
	return ps->version;
}

void ss_pseudo_fingerprint(const struct ss_pseudo *ps, char out[33])
{
	struct ss_khash st;
	unsigned char h[16];

	ss_khash_init(&st, NULL, 0, sizeof h);
	ss_khash_update(&st, fp_domain, sizeof fp_domain);
	ss_khash_update(&st, ps->key, SS_KEY_LEN);
	ss_khash_final(&st, h, sizeof h);
	ss_memzero(&st, sizeof st);
	ss_hex_encode(out, h, sizeof h);
	ss_memzero(h, sizeof h);
}

static bool is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/*
 * v2: feed NAME folded as fold.h says (section 4). The folded name goes
 * through a wiped stack buffer, or secret memory when it is longer. Returns
 * the number of bytes fed, or a negative SS_E* code.
 */
static ssize_t hash_name_v2(struct ss_khash *st, const char *name, size_t len)
{
	char small[512], *big = NULL;
	ssize_t n = ss_fold_name(name, len, small, sizeof small);

	if (n > (ssize_t)sizeof small) {
		if ((big = ss_secret_alloc((size_t)n)) == NULL) {
			n = ss_error_nomem();
			goto out;
		}
		n = ss_fold_name(name, len, big, (size_t)n);
	}
	if (n > 0)
		ss_khash_update(st, big ? big : small, (size_t)n);
out:
	ss_memzero(small, sizeof small);
	ss_secret_free(big); /* wipes */
	return n;
}

/*
 * v1: feed NAME, normalised, to the hash: ASCII lower-cased, every run of
 * non-letters one space, trimmed. Streams through a wiped stack buffer so the
 * normalised name never sits in memory we do not clear. Returns the number of
 * bytes fed.
 */
static size_t hash_name(struct ss_khash *st, const char *name, size_t len)
{
	unsigned char chunk[64];
	size_t i, n = 0, total = 0;
	bool pending_space = false;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!is_letter(c)) {
			pending_space = total + n > 0;
			continue;
		}
		if (n + 2 > sizeof chunk) {
			ss_khash_update(st, chunk, n);
			total += n;
			n = 0;
		}
		if (pending_space) {
			chunk[n++] = ' ';
			pending_space = false;
		}
		chunk[n++] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
	}
	ss_khash_update(st, chunk, n);
	total += n;
	ss_memzero(chunk, sizeof chunk);
	return total;
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* YYYY-MM-DD or DD/MM/YYYY (surrounding white space ignored), a real calendar date. */
static int parse_dob(const char *s, size_t n, char iso[11])
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, max;

	while (n > 0 && is_space((unsigned char)s[0])) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n != 10)
		return -1;
	if (s[4] == '-' && s[7] == '-') {
		if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
			return -1;
	} else if (s[2] == '/' && s[5] == '/') {
		if (digits(s, 2, &d) || digits(s + 3, 2, &m) || digits(s + 6, 4, &y))
			return -1;
	} else {
		return -1;
	}
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return -1;
	max = mdays[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	if (d > max)
		return -1;
	iso[0] = (char)('0' + y / 1000);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	iso[5] = (char)('0' + m / 10);
	iso[6] = (char)('0' + m % 10);
	iso[7] = '-';
	iso[8] = (char)('0' + d / 10);
	iso[9] = (char)('0' + d % 10);
	iso[10] = '\0';
	return 0;
}

static void finish_pseudonym(struct ss_khash *st, char prefix, char out[SS_ID_LEN + 1])
{
	unsigned char h[32];

	ss_khash_final(st, h, sizeof h);
	out[0] = prefix;
	out[1] = '-';
	ss_base32_encode(out + 2, h, 10);
	ss_memzero(h, sizeof h);
}

int ss_pseudo_subject(const struct ss_pseudo *ps, const char *name, size_t name_len,
                      const char *dob, size_t dob_len, char out[SS_ID_LEN + 1])
{
	struct ss_khash st;
	char iso[11];
	ssize_t fed;
	int err = 0;

	out[0] = '\0';
	/* Messages never repeat the name or date: they end up on screens and in logs. */
	if (parse_dob(dob, dob_len, iso) != 0) {
		err = ss_error_set(SS_EDATA, _("the subject's date of birth is not a real date "
		                               "written YYYY-MM-DD or DD/MM/YYYY"));
		goto out;
	}
	ss_khash_init(&st, ps->key, SS_KEY_LEN, 32);
	if (ps->version == SS_PSEUDO_V1) {
		ss_khash_update(&st, subject_domain_v1, sizeof subject_domain_v1);
		fed = (ssize_t)hash_name(&st, name, name_len);
	} else {
		ss_khash_update(&st, subject_domain_v2, sizeof subject_domain_v2);
		fed = hash_name_v2(&st, name, name_len);
	}
	if (fed < 0) {
		err = (int)fed;
		goto out;
	}
	if (fed == 0) {
		err = ss_error_set(SS_EDATA, _("the subject's name has no letters"));
		goto out;
	}
	ss_khash_update(&st, "", 1);
	ss_khash_update(&st, iso, 10);
	finish_pseudonym(&st, 'S', out);
out:
	ss_memzero(&st, sizeof st);
	ss_memzero(iso, sizeof iso);
	return err;
}

int ss_pseudo_officer(const struct ss_pseudo *ps, const char *officer, size_t len,
                      char out[SS_ID_LEN + 1])
{
	struct ss_khash st;
	unsigned char chunk[64];
	size_t i, n = 0;
	int err = 0;

	out[0] = '\0';
	while (len > 0 && is_space((unsigned char)officer[0])) {
		officer++;
		len--;
	}
	while (len > 0 && is_space((unsigned char)officer[len - 1]))
		len--;
	ss_khash_init(&st, ps->key, SS_KEY_LEN, 32);
	if (len == 0) {
		err = ss_error_set(SS_EDATA, _("the officer number is blank"));
		goto out;
	}
	ss_khash_update(&st, officer_domain, sizeof officer_domain);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)officer[i];

		if (n == sizeof chunk) {
			ss_khash_update(&st, chunk, n);
			n = 0;
		}
		chunk[n++] = (c >= 'a' && c <= 'z') ? (unsigned char)(c - ('a' - 'A')) : c;
	}
	ss_khash_update(&st, chunk, n);
	finish_pseudonym(&st, 'O', out);
out:
	ss_memzero(&st, sizeof st);
	ss_memzero(chunk, sizeof chunk);
	return err;
}
