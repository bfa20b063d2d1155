/*
 * bigblob.c - a large blob (a month's population.jsonl, hundreds of MB; its
 * sample.json, tens) written as a loose object without libgit2, at a fraction
 * of the cost.
 *
 * libgit2 hashes with SHA-1DC (SHA-1 with collision detection, several times
 * slower than the CPU's SHA instructions) and deflates with zlib on one
 * thread. Here the id is plain SHA-1 from libcrypto: collision detection
 * guards against objects crafted by someone else, and these are our own
 * bytes, which we hash ourselves, so it buys nothing (reads keep libgit2's
 * checks). It runs on the calling thread while the object is deflated on
 * others, pigz's way: the data cut into a few chunks, each a raw deflate
 * stream primed with the 32 KiB before it and ended by a sync flush (the last
 * by the end of the stream), joined behind one zlib header, with the
 * Adler-32s combined into the trailer. That is one valid zlib stream of the
 * same object: the same id and content as git's own, so git, libgit2 and
 * ssaudit read it as any other.
 *
 * The deflating is ISA-L's igzip at its level 1: about five times zlib's
 * level 1 (git's and libgit2's default for loose objects) on a month's
 * records, and a little smaller; its compressed bytes differ from zlib's,
 * which nothing depends on (a loose object is named by its content).
 *
 * It is written as git streams a large loose object: into a temporary file
 * in the objects directory (the first chunk's output goes there as it comes,
 * the others' wait in memory for their turn), synced when the trail syncs,
 * made read-only and renamed into objects/XX/. An object already there is
 * left alone (the work stops as soon as the id is known); on an error the
 * temporary file goes, so there is never half an object.
 */
#include "git_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include "bigmem.h"
#include "crypto.h"
#include "error.h"

#define NCHUNKS 2                  /* deflating threads: the machines we run on have 2 to 4 cores */
#define PIECE   ((size_t)1 << 20)  /* input deflated between looks at the stop flag */
#define WINDOW  ((size_t)32 << 10) /* deflate's window: the dictionary a chunk starts with */
#define LEVEL   1                  /* igzip's fastest level with matching */

_Static_assert(SS_SHA1_LEN == GIT_OID_RAWSZ, "a git id is a SHA-1");

/* One chunk of the object, deflated on its own thread. */
struct chunk {
	const unsigned char *head; /* the object's header (the first chunk only) */
	size_t headlen;
	const unsigned char *in; /* the chunk's part of the data */
	size_t inlen;
	const unsigned char *dict; /* the data just before it, up to WINDOW */
	size_t dictlen;
	bool last;
	int fd;                  /* >= 0: written there as it comes (the first chunk) */
	const atomic_bool *stop; /* set: the object is not wanted after all */
	unsigned char *out;      /* raw deflate, ending on a byte boundary (malloc) */
	size_t outlen, outcap;
	uLong adler; /* of head and in */
	int zerr;    /* Z_OK, or what went wrong (Z_ERRNO: the write, errnum;
	              * Z_STREAM_ERROR: stopped or igzip refused, zcode) */
	int zcode;
	int errnum;
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Room for deflate's output: a chunk written as it comes empties its buffer
 * into the file; the others keep all of theirs until the first is written. */
static int room(struct chunk *c)
{
	size_t cap;
	unsigned char *p;

	if (c->outcap - c->outlen >= 64 * 1024)
		return Z_OK;
	if (c->fd >= 0 && c->outlen > 0) {
		if (write_all(c->fd, c->out, c->outlen) < 0) {
			c->errnum = errno;
			return Z_ERRNO;
		}
		c->outlen = 0;
		return Z_OK;
	}
	cap = c->outcap > 0 ? c->outcap * 2 : c->fd >= 0 ? PIECE : c->inlen / 4 + PIECE;
	if (cap < c->outcap || (p = realloc(c->out, cap)) == NULL)
		return Z_MEM_ERROR;
	c->out = p;
	c->outcap = cap;
	ss_bigmem_advise(p, cap);
	return Z_OK;
}

/* Deflate z's input, with its flush and end settings, growing the output as
 * needed: all of the input taken, and after a flush or at the end, all of the
 * output written. */
static int run(struct isal_zstream *z, struct chunk *c)
{
	for (;;) {
		size_t free_;
		int err = room(c);

		if (err != Z_OK)
			return err;
		free_ = c->outcap - c->outlen;
		z->next_out = c->out + c->outlen;
		z->avail_out = free_ > UINT32_MAX ? UINT32_MAX : (uint32_t)free_;
		free_ = z->avail_out;
		if ((err = isal_deflate(z)) != COMP_OK) {
			c->zcode = err;
			return Z_STREAM_ERROR;
		}
		free_ -= z->avail_out; /* written by this call */
		c->outlen += free_;
		if (z->avail_in > 0 || z->avail_out == 0)
			continue;
		/* Room left over: the input, and any flush, are done. */
		if (!z->end_of_stream || z->internal_state.state == ZSTATE_END)
			return Z_OK;
		if (free_ == 0) { /* no progress possible: never loop for ever */
			c->zcode = ISAL_INVALID_STATE;
			return Z_STREAM_ERROR;
		}
	}
}

static void *deflate_chunk(void *arg)
{
	struct chunk *c = arg;
	const unsigned char *part[2] = {c->head, c->in};
	size_t len[2] = {c->headlen, c->inlen};
	struct isal_zstream z;
	uint8_t *level = malloc(ISAL_DEF_LVL1_DEFAULT);
	size_t k, off;

	c->adler = adler32(0L, Z_NULL, 0);
	c->zerr = level != NULL ? Z_OK : Z_MEM_ERROR;
	if (c->zerr != Z_OK)
		return NULL;
	isal_deflate_init(&z);
	z.level = LEVEL;
	z.level_buf = level;
	z.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
	z.gzip_flag = IGZIP_DEFLATE;
	z.flush = NO_FLUSH;
	if (c->dictlen > 0 && (c->zcode = isal_deflate_set_dict(&z, (uint8_t *)(uintptr_t)c->dict,
	                                                        (uint32_t)c->dictlen)) != COMP_OK)
		c->zerr = Z_STREAM_ERROR;
	for (k = 0; k < 2 && c->zerr == Z_OK; k++) {
		for (off = 0; off < len[k] && c->zerr == Z_OK;) {
			size_t n = len[k] - off < PIECE ? len[k] - off : PIECE;

			if (atomic_load(c->stop)) {
				c->zerr = Z_STREAM_ERROR;
				break;
			}
			c->adler = isal_adler32((uint32_t)c->adler, part[k] + off, n);
			z.next_in = (uint8_t *)(uintptr_t)(part[k] + off);
			z.avail_in = (uint32_t)n;
			c->zerr = run(&z, c);
			off += n;
		}
	}
	if (c->zerr == Z_OK) {
		z.next_in = NULL;
		z.avail_in = 0;
		if (c->last)
			z.end_of_stream = 1;
		else
			z.flush = SYNC_FLUSH;
		c->zerr = run(&z, c);
	}
	if (c->zerr == Z_OK && c->fd >= 0 && c->outlen > 0) {
		if (write_all(c->fd, c->out, c->outlen) < 0) {
			c->errnum = errno;
			c->zerr = Z_ERRNO;
		}
		c->outlen = 0;
	}
	free(level);
	return NULL;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || fsync(fd) < 0)
		rc = -1;
	if (fd >= 0) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return rc;
}

/* The object being written: its temporary file, objects/tmp_obj_XXXXXX, as
 * git names one whose id is not known yet. */
struct tmpobj {
	char *objects; /* GITDIR/objects */
	char *path;
	int fd;
};

/* unlink, keeping errno for the message about what failed before it. */
static void unlink_quietly(const char *path)
{
	int e = errno;

	unlink(path);
	errno = e;
}

static void tmpobj_drop(struct tmpobj *o)
{
	if (o->fd >= 0) {
		close(o->fd);
		unlink(o->path);
	}
	free(o->path);
	free(o->objects);
}

static int tmpobj_open(struct tmpobj *o, const struct ss_trail *t, const char *name)
{
	static const unsigned char zhead[2] = {0x78, 0x01}; /* deflate, 32 KiB window, level 1 */
	int rc;

	o->fd = -1;
	o->path = NULL;
	if ((rc = ss_git_join_path(&o->objects, t->gitdir, "objects")) < 0 ||
	    (rc = ss_git_join_path(&o->path, o->objects, "/tmp_obj_XXXXXX")) < 0)
		return rc;
	if ((o->fd = mkostemp(o->path, O_CLOEXEC)) < 0)
		return ss_git_fail_errno(SS_EIO, errno, _("cannot store '%s' in '%s'"), name,
		                         o->objects);
	if (write_all(o->fd, zhead, sizeof(zhead)) < 0)
		return ss_git_fail_errno(SS_EIO, errno, _("cannot store '%s' in '%s'"), name,
		                         o->path);
	return 0;
}

/* The rest of the object after the first chunk, then into objects/XX/YYYY...
 * (XXYYYY... being hex) as git would: synced when the trail syncs, read-only. */
static int tmpobj_finish(struct tmpobj *o, const struct ss_trail *t, const char *hex,
                         const struct chunk *c, size_t n, const char *name)
{
	char *dir = NULL, *final = NULL, sub[4], leaf[GIT_OID_HEXSZ];
	unsigned char trailer[4];
	uLong adler = c[0].adler;
	const char *failed = o->path;
	size_t i;
	int rc;

	for (i = 1; i < n; i++)
		adler = adler32_combine(adler, c[i].adler, (z_off_t)(c[i].headlen + c[i].inlen));
	trailer[0] = (unsigned char)(adler >> 24);
	trailer[1] = (unsigned char)(adler >> 16);
	trailer[2] = (unsigned char)(adler >> 8);
	trailer[3] = (unsigned char)adler;
	snprintf(sub, sizeof(sub), "/%.2s", hex);
	snprintf(leaf, sizeof(leaf), "/%s", hex + 2);
	if ((rc = ss_git_join_path(&dir, o->objects, sub)) < 0 ||
	    (rc = ss_git_join_path(&final, dir, leaf)) < 0)
		goto out;
	for (i = 1; i < n; i++)
		if (write_all(o->fd, c[i].out, c[i].outlen) < 0)
			goto fail;
	if (write_all(o->fd, trailer, sizeof(trailer)) < 0 || (t->fsync && fsync(o->fd) < 0) ||
	    fchmod(o->fd, 0444) < 0)
		goto fail;
	rc = close(o->fd);
	o->fd = -1;
	if (rc < 0) {
		unlink_quietly(o->path);
		goto fail;
	}
	failed = dir;
	if ((mkdir(dir, 0777) < 0 && errno != EEXIST) || rename(o->path, final) < 0) {
		unlink_quietly(o->path);
		goto fail;
	}
	/* The object is whole from here: only its staying there is in doubt. */
	if (t->fsync && sync_dir(dir) < 0)
		goto fail;
	rc = 0;
	goto out;
fail:
	rc = ss_git_fail_errno(SS_EIO, errno, _("cannot store '%s' in '%s'"), name, failed);
out:
	free(final);
	free(dir);
	return rc;
}

int ss_git_bigblob_write(struct ss_trail *t, git_oid *id, const void *data, size_t len,
                         const char *name)
{
	const unsigned char *d = data;
	unsigned char head[32];
	struct chunk c[NCHUNKS];
	pthread_t th[NCHUNKS];
	bool started[NCHUNKS];
	atomic_bool stop = false;
	size_t n = len >= NCHUNKS * PIECE ? NCHUNKS : 1, headlen, i;
	struct tmpobj o = {NULL, NULL, -1};
	git_odb *odb = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int rc, found = 0;

	memset(c, 0, sizeof(c));
	if (name == NULL)
		name = "";
	if ((rc = tmpobj_open(&o, t, name)) < 0)
		goto out;
	headlen = ss_git_blob_head((char *)head, len);
	for (i = 0; i < n; i++) {
		size_t from = len / n * i, to = i + 1 < n ? len / n * (i + 1) : len;

		if (i == 0) {
			c[i].head = head;
			c[i].headlen = headlen;
		} else {
			c[i].dictlen = from < WINDOW ? from : WINDOW;
			c[i].dict = d + from - c[i].dictlen;
		}
		c[i].in = d + from;
		c[i].inlen = to - from;
		c[i].last = i + 1 == n;
		c[i].fd = i == 0 ? o.fd : -1;
		c[i].stop = &stop;
	}
	for (i = 0; i < n; i++)
		started[i] = pthread_create(&th[i], NULL, deflate_chunk, &c[i]) == 0;
	/* Meanwhile the id, and whether the object is there already. */
	rc = ss_sha1_pair(id->id, head, headlen, data, len);
	if (rc == 0) {
		if (git_repository_odb(&odb, t->repo) < 0)
			rc = ss_git_fail(SS_EIO, _("cannot store '%s'"), name);
		else
			found = git_odb_exists(odb, id);
	}
	if (rc < 0 || found)
		atomic_store(&stop, true);
	for (i = 0; i < n; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else if (!atomic_load(&stop))
			deflate_chunk(&c[i]); /* no thread to be had: here, then */
	}
	if (rc < 0 || found)
		goto out;
	for (i = 0; i < n; i++) {
		if (c[i].zerr == Z_ERRNO) {
			rc = ss_git_fail_errno(SS_EIO, c[i].errnum, _("cannot store '%s' in '%s'"),
			                       name, o.path);
			goto out;
		}
		if (c[i].zerr == Z_MEM_ERROR) {
			rc = ss_error_nomem();
			goto out;
		}
		if (c[i].zerr != Z_OK) {
			rc = ss_error_set(SS_EIO, _("cannot compress '%s' (igzip error %d)"), name,
			                  c[i].zcode);
			goto out;
		}
	}
	ss_git_hex(id, hex);
	rc = tmpobj_finish(&o, t, hex, c, n, name);
out:
	for (i = 0; i < NCHUNKS; i++)
		free(c[i].out);
	tmpobj_drop(&o); /* the temporary file too, unless it became the object */
	git_odb_free(odb);
	return rc;
}

int ss_git_blob_write(struct ss_trail *t, git_oid *id, const void *data, size_t len,
                      const char *name)
{
	/* A batch's objects go to its store in memory and are packed at its end;
	 * a hook's would belong in its quarantine: libgit2 writes those. */
	if (len >= SS_GIT_BIGBLOB_MIN && t->batch_repo == NULL && t->quarantine == NULL)
		return ss_git_bigblob_write(t, id, data, len, name);
	if (git_blob_create_from_buffer(id, ss_git_repo(t), data, len) < 0)
		return ss_git_fail(SS_EIO, _("cannot store '%s'"), name);
	return 0;
}
