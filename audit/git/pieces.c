/*
 * pieces.c - a file of the trail read in pieces (ss_git_read_pieces, see
 * trail.h), inflated on a second thread while the caller's thread takes the
 * pieces already inflated.
 *
 * A month's population is hundreds of megabytes: inflating it and parsing
 * it, one after the other on one thread, take about as long as each other.
 * So a reading thread inflates into a small ring of buffers (PIECES of
 * PIECE bytes: memory stays bounded whatever the file's size) and the
 * caller's thread hands each full buffer to fn, in order, then gives it
 * back. Whichever side fails first stops both: fn's nonzero return makes
 * the reader stop at its next buffer; a read error is returned once the
 * pieces before it have been given to fn, as the error of a read on one
 * thread would be. A file of one piece or less, one core or
 * SSAUDIT_THREADS=1 (ss_par_threads), or a reading thread that cannot
 * start: the file is read on the caller's thread alone.
 *
 * Whatever the source, the bytes are hashed as they are read and checked
 * against the blob's id at the end (a mismatch is the read's error, after
 * the pieces before it), as libgit2 checks a blob it reads whole.
 *
 * The reading thread touches only its source (a libgit2 read stream of a
 * loose object, or a packed blob's file and zlib stream), never the
 * repository, and its error message is copied back to the caller's thread.
 */
#include "git_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "crypto.h"
#include "error.h"
#include "par.h"

enum { PIECE = 1 << 20, PIECES = 3 };

/* ------------------------------------------------------------- sources */

/* Where the bytes come from: a loose object through libgit2's read stream,
 * or a packed blob inflated by packstream.c. */
struct source {
	git_odb *odb;
	git_odb_stream *st; /* loose, else NULL */
	size_t size, done;  /* loose: the header's length and bytes read */
	struct ss_git_packed *packed;
	const char *path;
	/* What is read is hashed as git hashes a blob, against its id: neither
	 * libgit2's read stream nor a pack's stream checks it. */
	git_oid id;
	struct ss_sha1 sha;
	bool hashing;
};

/* The bytes read so far, hashed; at the end (n 0), are they the id's? */
static int source_hash(struct source *s, const char *data, size_t n)
{
	unsigned char got[GIT_OID_RAWSZ];
	int rc;

	if (!s->hashing)
		return 0;
	if (n > 0)
		return ss_sha1_update(&s->sha, data, n);
	s->hashing = false;
	if ((rc = ss_sha1_final(&s->sha, got)) != 0)
		return rc;
	if (memcmp(got, s->id.id, sizeof(got)) != 0)
		return ss_error_set(SS_EIO,
		                    _("'%s' in the audit trail is damaged: its content does not "
		                      "hash to its id"),
		                    s->path);
	return 0;
}

/* The next bytes into buf (at most cap); *got 0 at the end. */
static int source_fill(struct source *s, char *buf, size_t cap, size_t *got)
{
	int n;

	*got = 0;
	if (s->packed != NULL) {
		int rc = ss_git_pack_fill(s->packed, buf, cap, got);

		return rc != 0 ? rc : source_hash(s, buf, *got);
	}
	if (s->done >= s->size)
		return source_hash(s, buf, 0);
	if (cap > INT32_MAX)
		cap = INT32_MAX;
	if ((n = git_odb_stream_read(s->st, buf, cap)) < 0)
		return ss_git_fail(SS_EIO, _("cannot read '%s'"), s->path);
	if (n == 0)
		return ss_error_set(
		    SS_EIO, _("'%s' in the audit trail is shorter than its header says"), s->path);
	s->done += (size_t)n;
	*got = (size_t)n;
	return source_hash(s, buf, *got);
}

static int hash_start(struct source *s)
{
	char head[32];
	size_t n = ss_git_blob_head(head, s->size);
	int rc;

	if ((rc = ss_sha1_init(&s->sha)) != 0)
		return rc;
	s->hashing = true;
	return ss_sha1_update(&s->sha, head, n);
}

/* A loose object's read stream, else its packed copy when stored whole:
 * false (nothing opened) when neither, and the object is libgit2's to read. */
static int source_open(git_repository *repo, const git_oid *id, const char *path, struct source *s,
                       bool *opened)
{
	git_object_t type;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->path = path;
	git_oid_cpy(&s->id, id);
	*opened = false;
	if (git_repository_odb(&s->odb, repo) < 0)
		return ss_git_fail(SS_EIO, _("cannot read '%s'"), path);
	if (git_odb_open_rstream(&s->st, &s->size, &type, s->odb, id) == 0) {
		*opened = true;
		return hash_start(s);
	}
	s->st = NULL;
	git_error_clear();
	if ((rc = ss_git_pack_open(repo, id, path, &s->packed)) == 0 && s->packed != NULL) {
		s->size = (size_t)ss_git_pack_size(s->packed);
		*opened = true;
		return hash_start(s);
	}
	return rc;
}

static void source_close(struct source *s)
{
	if (s->hashing)
		ss_sha1_release(&s->sha);
	git_odb_stream_free(s->st);
	git_odb_free(s->odb);
	ss_git_pack_close(s->packed);
	memset(s, 0, sizeof(*s));
}

/* The whole source on this thread, one buffer at a time. */
static int read_here(struct source *s, int (*fn)(void *arg, const char *data, size_t n), void *arg)
{
	char *piece = malloc(PIECE);
	size_t got;
	int rc;

	if (piece == NULL)
		return ss_error_nomem();
	while ((rc = source_fill(s, piece, PIECE, &got)) == 0 && got > 0)
		if ((rc = fn(arg, piece, got)) != 0)
			break;
	free(piece);
	return rc;
}

/* -------------------------------------------------------------- the ring */

struct ring {
	struct source *src;
	pthread_mutex_t mu;
	pthread_cond_t filled; /* the reader put a piece, or ended */
	pthread_cond_t freed;  /* the caller gave a buffer back, or stopped */
	char *buf[PIECES];
	size_t len[PIECES];
	size_t head, tail; /* pieces put (head) and taken (tail), counting forever */
	bool ended;        /* the reader is done: all put, or err */
	bool stop;         /* the caller wants no more */
	int err;           /* the reader's error, its message in msg */
	char msg[1024];
};

static void *reader_main(void *arg)
{
	struct ring *r = arg;
	size_t k, got;
	int err;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->head - r->tail == PIECES && !r->stop)
			pthread_cond_wait(&r->freed, &r->mu);
		if (r->stop)
			break;
		k = r->head % PIECES;
		pthread_mutex_unlock(&r->mu);
		err = source_fill(r->src, r->buf[k], PIECE, &got);
		if (err)
			snprintf(r->msg, sizeof(r->msg), "%s", ss_error_message());
		pthread_mutex_lock(&r->mu);
		if (err || got == 0) {
			r->err = err;
			break;
		}
		r->len[k] = got;
		r->head++;
		pthread_cond_signal(&r->filled);
	}
	r->ended = true;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

/* Take the pieces in order and give each to fn; the reader's error last. */
static int take_pieces(struct ring *r, int (*fn)(void *arg, const char *data, size_t n), void *arg)
{
	size_t k;
	int rc = 0;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->head == r->tail && !r->ended)
			pthread_cond_wait(&r->filled, &r->mu);
		if (r->head == r->tail)
			break; /* ended, and every piece taken */
		k = r->tail % PIECES;
		pthread_mutex_unlock(&r->mu);
		rc = fn(arg, r->buf[k], r->len[k]);
		pthread_mutex_lock(&r->mu);
		if (rc != 0) {
			r->stop = true;
			pthread_cond_signal(&r->freed);
			break;
		}
		r->tail++;
		pthread_cond_signal(&r->freed);
	}
	pthread_mutex_unlock(&r->mu);
	return rc;
}

/* The source through the ring, read on a second thread; *ran false when
 * that thread (or its ring) cannot be had and nothing was read. */
static int read_beside(struct source *s, int (*fn)(void *arg, const char *data, size_t n),
                       void *arg, bool *ran)
{
	struct ring *r = calloc(1, sizeof(*r));
	pthread_t th;
	size_t i;
	int rc = 0, sync = 0;

	*ran = false;
	if (r == NULL)
		return 0;
	r->src = s;
	for (i = 0; i < PIECES; i++)
		if ((r->buf[i] = malloc(PIECE)) == NULL)
			goto out;
	if (pthread_mutex_init(&r->mu, NULL) != 0)
		goto out;
	sync = 1;
	if (pthread_cond_init(&r->filled, NULL) != 0)
		goto out;
	sync = 2;
	if (pthread_cond_init(&r->freed, NULL) != 0)
		goto out;
	sync = 3;
	if (pthread_create(&th, NULL, reader_main, r) != 0)
		goto out;
	*ran = true;
	rc = take_pieces(r, fn, arg);
	pthread_join(th, NULL);
	if (rc == 0 && r->err != 0)
		rc = ss_error_set(r->err, "%s", r->msg);
out:
	if (sync >= 3)
		pthread_cond_destroy(&r->freed);
	if (sync >= 2)
		pthread_cond_destroy(&r->filled);
	if (sync >= 1)
		pthread_mutex_destroy(&r->mu);
	for (i = 0; i < PIECES; i++)
		free(r->buf[i]);
	free(r);
	return rc;
}

/* ------------------------------------------------------------ the read */

int ss_git_read_blob_pieces(struct ss_trail *t, const struct ss_oid *blob, const char *name,
                            int (*fn)(void *arg, const char *data, size_t n), void *arg)
{
	git_repository *repo = ss_git_repo(t);
	git_oid id;
	git_blob *b = NULL;
	struct source s;
	size_t n;
	bool opened = false, ran = false;
	int rc;

	memset(&s, 0, sizeof(s));
	memcpy(id.id, blob->id, sizeof(id.id));
	if ((rc = source_open(repo, &id, name, &s, &opened)) != 0)
		goto out;
	if (!opened) {
		/* A delta, an alternate, a batch's object: libgit2 inflates it
		 * whole, given as one piece. */
		if (git_blob_lookup(&b, repo, &id) < 0) {
			rc = ss_git_fail(SS_EIO, _("cannot read '%s'"), name);
			goto out;
		}
		n = (size_t)git_blob_rawsize(b);
		rc = n > 0 ? fn(arg, git_blob_rawcontent(b), n) : 0;
		goto out;
	}
	if (s.size > PIECE && ss_par_threads() > 1)
		rc = read_beside(&s, fn, arg, &ran);
	if (!ran)
		rc = read_here(&s, fn, arg);
out:
	source_close(&s);
	git_blob_free(b);
	return rc;
}

int ss_git_read_pieces(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                       int (*fn)(void *arg, const char *data, size_t n), void *arg)
{
	git_tree_entry *entry = NULL;
	struct ss_oid blob;
	int rc;

	if ((rc = ss_git_lookup_file(ss_git_repo(t), commit, path, &entry)) != 0)
		return rc;
	memcpy(blob.id, git_tree_entry_id(entry)->id, sizeof(blob.id));
	git_tree_entry_free(entry);
	return ss_git_read_blob_pieces(t, &blob, path, fn, arg);
}
