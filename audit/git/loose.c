/*
 * loose.c - every loose object file inflated with zlib before libgit2 reads
 * any, as libgit2 1.5 loops forever inflating a truncated one (libgit2 issue
 * #7342); the large loose blobs (a month's population) hashed on the way, so
 * the object check need not read them again.
 *
 * A large blob takes most of the time, and nothing but a read of that blob
 * needs to wait for it: ss_git_check_loose_start inflates the other files
 * and gives the large blobs to a thread of their own, and the caller goes on
 * (reading anything but those blobs) until ss_git_check_loose_finish, which
 * tells what is damaged in the order a check on one thread tells it.
 *
 * Ownership: struct ss_git_loose is the caller's until _finish frees it.
 */
#include "git_int.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "crypto.h"
#include "error.h"
#include "map.h"
#include "par.h"

#define LOOSE_CHUNK 65536

/* A large loose blob's SHA-1, taken as it is inflated. */
struct loose_hash {
	bool on;      /* the object is a blob of SS_GIT_BIGBLOB_MIN bytes or more */
	bool decided; /* its header has been read */
	struct ss_sha1 sha;
};

/* The next n inflated bytes of a loose object (its header first). */
static int loose_hash_put(struct loose_hash *h, const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (!h->decided) {
		const unsigned char *nul = memchr(p, '\0', n < 32 ? n : 32);
		unsigned long long size = 0;

		h->decided = true;
		if (nul == NULL || n < 5 || memcmp(p, "blob ", 5) != 0 ||
		    sscanf((const char *)p + 5, "%llu", &size) != 1 || size < SS_GIT_BIGBLOB_MIN)
			return 0;
		if (ss_sha1_init(&h->sha) != 0)
			return 0; /* not hashed here: the object check hashes it */
		h->on = true;
	}
	if (h->on && ss_sha1_update(&h->sha, p, n) != 0) {
		ss_sha1_release(&h->sha);
		h->on = false;
	}
	return 0;
}

enum { DAMAGED, WHOLE, LARGE };

/* Does this loose object's zlib stream inflate to its end? WHOLE or DAMAGED
 * (*why says what is wrong), LARGE when `large` is false and it is a large
 * blob (left for later, once its header is read), < 0 on an I/O error. in
 * and out: LOOSE_CHUNK bytes each, scratch. A large blob's SHA-1 is taken on
 * the way (h->on when it was). */
static int loose_whole(const char *path, unsigned char *in, unsigned char *out, bool large,
                       const char **why, struct loose_hash *h)
{
	z_stream zs;
	FILE *f = fopen(path, "rb");
	int zr = Z_OK, rc = WHOLE;

	*why = NULL;
	memset(h, 0, sizeof(*h));
	if (f == NULL)
		return ss_error_set(SS_EIO, _("cannot open '%s': %s"), path, strerror(errno));
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		fclose(f);
		return ss_error_nomem();
	}
	while (zr != Z_STREAM_END && rc == WHOLE) {
		size_t n = fread(in, 1, LOOSE_CHUNK, f);

		if (n == 0) {
			*why = ferror(f) ? "it cannot be read" : "its compressed data is cut short";
			break;
		}
		zs.next_in = in;
		zs.avail_in = (uInt)n;
		do {
			zs.next_out = out;
			zs.avail_out = LOOSE_CHUNK;
			zr = inflate(&zs, Z_NO_FLUSH);
			loose_hash_put(h, out, LOOSE_CHUNK - zs.avail_out);
			if (h->on && !large) {
				rc = LARGE;
				break;
			}
		} while (zr == Z_OK && zs.avail_in > 0);
		if (rc == WHOLE && zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
			*why = "its compressed data is corrupt";
			break;
		}
	}
	if (*why != NULL)
		rc = DAMAGED;
	if (rc != WHOLE && h->on) {
		ss_sha1_release(&h->sha);
		h->on = false;
	}
	inflateEnd(&zs);
	fclose(f);
	return rc;
}

/* One loose object file, in the order the directories were read. */
struct loose_file {
	char *path;   /* the file's */
	size_t shown; /* where the path told starts ("objects/...") */
	git_oid id;
	int state;       /* WHOLE, DAMAGED, or LARGE until inflated */
	const char *why; /* DAMAGED: what is wrong */
	bool hashed;     /* a large blob that hashed to its id */
	bool large;      /* left for later by _start (never changed after it) */
};

struct ss_git_loose {
	struct ss_trail *t;
	struct loose_file *f;
	size_t n, cap;
	size_t large; /* files left LARGE */
	pthread_t thread;
	bool running;
	int rc; /* the thread's failure (< 0), with msg */
	char msg[1024];
};

/* A large blob inflated whole: did it hash to its id? */
static bool hashed_to(struct loose_hash *h, const git_oid *id)
{
	unsigned char got[GIT_OID_RAWSZ];

	if (!h->on)
		return false;
	h->on = false;
	return ss_sha1_final(&h->sha, got) == 0 && memcmp(got, id->id, sizeof(got)) == 0;
}

/* Inflate a file whole, as its state says (large: to its end). */
static int inflate_file(struct loose_file *lf, unsigned char *scratch, bool large)
{
	struct loose_hash lh;
	int rc = loose_whole(lf->path, scratch, scratch + LOOSE_CHUNK, large, &lf->why, &lh);

	if (rc < 0)
		return rc;
	lf->state = rc;
	lf->hashed = rc == WHOLE && hashed_to(&lh, &lf->id);
	return 0;
}

/* The large blobs, inflated to their ends. */
static int inflate_large(struct ss_git_loose *lc)
{
	unsigned char *scratch = malloc(2 * LOOSE_CHUNK);
	size_t i;
	int rc = 0;

	if (scratch == NULL)
		return ss_error_nomem();
	for (i = 0; i < lc->n && rc == 0; i++)
		if (lc->f[i].state == LARGE)
			rc = inflate_file(&lc->f[i], scratch, true);
	free(scratch);
	return rc;
}

static void *large_main(void *arg)
{
	struct ss_git_loose *lc = arg;

	if ((lc->rc = inflate_large(lc)) < 0)
		snprintf(lc->msg, sizeof(lc->msg), "%s", ss_error_message());
	return NULL;
}

static int add_file(struct ss_git_loose *lc, const char *path, size_t shown, const char *hex)
{
	struct loose_file *lf;
	int err = ss_array_room((void **)&lc->f, &lc->cap, lc->n, sizeof(*lc->f), 64);

	if (err)
		return err;
	lf = &lc->f[lc->n];
	memset(lf, 0, sizeof(*lf));
	if ((lf->path = strdup(path)) == NULL)
		return ss_error_nomem();
	lf->shown = shown;
	if (git_oid_fromstr(&lf->id, hex) < 0) {
		free(lf->path);
		git_error_clear();
		return ss_error_set(SS_EIO, _("cannot read '%s'"), path);
	}
	lc->n++;
	return 0;
}

/* Every file of objects/XX/, in the order the directories give them. */
static int list_files(struct ss_git_loose *lc)
{
	struct ss_buf path = SS_BUF_INIT;
	DIR *top = NULL, *sub = NULL;
	struct dirent *e, *f;
	size_t base;
	int rc;

	if ((rc = ss_buf_printf(&path, "%sobjects/", lc->t->gitdir)) < 0)
		goto out;
	base = path.len;
	if ((top = opendir(path.data)) == NULL) {
		rc = ss_error_set(SS_EIO, _("cannot read '%s': %s"), path.data, strerror(errno));
		goto out;
	}
	while ((e = readdir(top)) != NULL) {
		size_t dirlen;

		if (!ss_git_is_hex(e->d_name, 2))
			continue;
		path.len = base;
		if ((rc = ss_buf_printf(&path, "%s/", e->d_name)) < 0)
			goto out;
		dirlen = path.len;
		if ((sub = opendir(path.data)) == NULL)
			continue;
		while ((f = readdir(sub)) != NULL) {
			char hex[41];

			if (!ss_git_is_hex(f->d_name, 38))
				continue;
			path.len = dirlen;
			snprintf(hex, sizeof(hex), "%.2s%.38s", e->d_name, f->d_name);
			if ((rc = ss_buf_puts(&path, f->d_name)) < 0 ||
			    (rc = add_file(lc, path.data, base - strlen("objects/"), hex)) < 0)
				goto out;
		}
		closedir(sub);
		sub = NULL;
	}
out:
	if (sub != NULL)
		closedir(sub);
	if (top != NULL)
		closedir(top);
	ss_buf_release(&path);
	return rc;
}

static void loose_free(struct ss_git_loose *lc)
{
	size_t i;

	if (lc == NULL)
		return;
	for (i = 0; i < lc->n; i++)
		free(lc->f[i].path);
	free(lc->f);
	free(lc);
}

int ss_git_check_loose_start(struct ss_trail *t, struct ss_git_loose **out)
{
	struct ss_git_loose *lc = calloc(1, sizeof(*lc));
	unsigned char *scratch = malloc(2 * LOOSE_CHUNK);
	size_t i;
	int rc = 0;

	*out = NULL;
	ss_map_free(t->hashed); /* what an earlier check found is not taken on trust */
	t->hashed = NULL;
	if (lc == NULL || scratch == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	lc->t = t;
	if ((rc = list_files(lc)) < 0)
		goto out;
	for (i = 0; i < lc->n; i++) {
		if ((rc = inflate_file(&lc->f[i], scratch, false)) < 0)
			goto out;
		lc->f[i].large = lc->f[i].state == LARGE;
		lc->large += lc->f[i].large;
	}
	/* The large blobs beside the caller, or here when there is one core. */
	if (lc->large > 0 && ss_par_threads() > 1 &&
	    pthread_create(&lc->thread, NULL, large_main, lc) == 0)
		lc->running = true;
	else if ((rc = inflate_large(lc)) < 0)
		goto out;
	*out = lc;
	lc = NULL;
out:
	free(scratch);
	loose_free(lc);
	return rc;
}

bool ss_git_loose_pending(const struct ss_git_loose *lc, const struct ss_oid *id)
{
	size_t i;

	if (lc == NULL || lc->large == 0)
		return false;
	for (i = 0; i < lc->n; i++)
		if (lc->f[i].large && memcmp(lc->f[i].id.id, id->id, GIT_OID_RAWSZ) == 0)
			return true;
	return false;
}

bool ss_git_loose_damaged(const struct ss_git_loose *lc)
{
	size_t i;

	for (i = 0; i < lc->n; i++)
		if (!lc->f[i].large && lc->f[i].state == DAMAGED)
			return true;
	return false;
}

int ss_git_check_loose_finish(struct ss_git_loose *lc, ss_problem_fn fn, void *ctx, size_t *checked)
{
	struct ss_trail *t = lc->t;
	size_t i, bad = 0;
	int rc = 0;

	*checked = 0;
	if (lc->running) {
		pthread_join(lc->thread, NULL);
		lc->running = false;
		if (lc->rc < 0) {
			rc = ss_error_set(lc->rc, "%s", lc->msg);
			goto out;
		}
	}
	for (i = 0; i < lc->n; i++) {
		struct loose_file *lf = &lc->f[i];

		(*checked)++;
		if (lf->hashed) {
			union ss_map_value *v;

			if ((t->hashed == NULL &&
			     ss_map_new(&t->hashed, SS_MAP_COPY_KEYS, NULL) != 0) ||
			    ss_map_put(t->hashed, lf->id.id, GIT_OID_RAWSZ, &v, NULL) != 0) {
				rc = ss_error_nomem();
				goto out;
			}
		}
		if (lf->state == DAMAGED) {
			char reason[160], hex[41];

			bad++;
			git_oid_tostr(hex, sizeof(hex), &lf->id);
			snprintf(reason, sizeof(reason), "object %s is damaged: %s", hex, lf->why);
			if (fn != NULL)
				fn(ctx, "", lf->path + lf->shown, reason);
		}
	}
	if (bad > 0)
		rc = ss_error_set(SS_EFAIL, _("%zu damaged object%s in the audit trail"), bad,
		                  bad == 1 ? "" : "s");
out:
	if (lc->running)
		pthread_join(lc->thread, NULL);
	loose_free(lc);
	return rc;
}

int ss_git_check_loose(struct ss_trail *t, ss_problem_fn fn, void *ctx, size_t *checked)
{
	struct ss_git_loose *lc = NULL;
	int rc;

	*checked = 0;
	if ((rc = ss_git_check_loose_start(t, &lc)) < 0)
		return rc;
	return ss_git_check_loose_finish(lc, fn, ctx, checked);
}
