/*
 * packstream.c - a packed blob inflated from its pack a piece at a time.
 *
 * libgit2 1.5 inflates a packed object whole, so a large file (a month's
 * population.jsonl) would be held whole in memory. A blob stored in a pack
 * of this repository's own objects directory, whole (not a delta), is found
 * through the pack's index (version 2) and inflated here with zlib, a buffer
 * at a time (pieces.c calls it from its reading thread). Anything else (a
 * delta, an alternate, an unusual index) is left to libgit2: nothing opened.
 */
#include "git_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "error.h"

enum { PIECE = 1 << 20, OBJ_BLOB = 3 };

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The object's offset in the pack of this index (idx bytes, n long), or -1. */
static int64_t idx_offset(const unsigned char *idx, size_t n, const git_oid *id)
{
	size_t count, lo, hi, off_at, big_at;

	if (n < 8 + 256 * 4 || be32(idx) != 0xff744f63u || be32(idx + 4) != 2)
		return -1;
	count = be32(idx + 8 + 255 * 4);
	if (n < 8 + 256 * 4 + count * 28 + 40)
		return -1;
	lo = id->id[0] ? be32(idx + 8 + (id->id[0] - 1) * 4) : 0;
	hi = be32(idx + 8 + id->id[0] * 4);
	if (lo > hi || hi > count)
		return -1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(idx + 8 + 1024 + mid * 20, id->id, 20);

		if (c == 0) {
			uint32_t off;

			off_at = 8 + 1024 + count * 24 + mid * 4;
			off = be32(idx + off_at);
			if (!(off & 0x80000000u))
				return off;
			big_at = 8 + 1024 + count * 28 + (size_t)(off & 0x7fffffffu) * 8;
			if (big_at + 8 > n - 40)
				return -1;
			return (int64_t)((uint64_t)be32(idx + big_at) << 32 |
			                 be32(idx + big_at + 4));
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct ss_git_packed {
	int fd;
	int64_t off;      /* the next compressed byte's place in the pack */
	uint64_t size;    /* the blob's length, as the pack's header says */
	uint64_t done;    /* bytes inflated so far */
	const char *path; /* for messages */
	z_stream zs;
	bool zinit, ended;
	unsigned char *in;
};

void ss_git_pack_close(struct ss_git_packed *p)
{
	if (p == NULL)
		return;
	if (p->zinit)
		inflateEnd(&p->zs);
	if (p->fd >= 0)
		close(p->fd);
	free(p->in);
	free(p);
}

/* The blob at off in the pack file fd (taken, closed on every path), whose
 * object header is read here: *out NULL when it is a delta. */
static int open_at(int fd, int64_t off, const char *path, struct ss_git_packed **out)
{
	struct ss_git_packed *p = NULL;
	unsigned char hdr[32];
	uint64_t size;
	size_t h = 0;
	ssize_t got;
	int rc = 0, shift = 4;

	*out = NULL;
	got = pread(fd, hdr, sizeof(hdr), off);
	if (got < 1 || ((hdr[0] >> 4) & 7) != OBJ_BLOB) /* a delta: libgit2's */
		goto fail;
	size = hdr[0] & 15;
	while (hdr[h] & 0x80) {
		if (++h >= (size_t)got || shift > 57)
			goto fail;
		size |= (uint64_t)(hdr[h] & 0x7f) << shift;
		shift += 7;
	}
	h++;
	if ((p = calloc(1, sizeof(*p))) == NULL || (p->in = malloc(PIECE)) == NULL) {
		rc = ss_error_nomem();
		goto fail;
	}
	p->fd = fd;
	fd = -1;
	p->off = off + (int64_t)h;
	p->size = size;
	p->path = path;
	if (inflateInit(&p->zs) != Z_OK) {
		rc = ss_error_set(SS_EIO, _("cannot read '%s': zlib will not start"), path);
		goto fail;
	}
	p->zinit = true;
	*out = p;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	ss_git_pack_close(p);
	return rc;
}

int ss_git_pack_fill(struct ss_git_packed *p, char *buf, size_t cap, size_t *got)
{
	int zr = Z_OK;

	*got = 0;
	if (p->ended)
		return 0;
	p->zs.next_out = (Bytef *)buf;
	p->zs.avail_out = (uInt)cap;
	while (p->zs.avail_out > 0) {
		if (p->zs.avail_in == 0) {
			ssize_t n = pread(p->fd, p->in, PIECE, p->off);

			if (n <= 0)
				return ss_error_set(
				    SS_EIO, _("cannot read '%s': the pack ends early"), p->path);
			p->off += n;
			p->zs.next_in = p->in;
			p->zs.avail_in = (uInt)n;
		}
		zr = inflate(&p->zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END)
			return ss_error_set(
			    SS_EIO, _("cannot read '%s': its packed data is damaged"), p->path);
		if (zr == Z_STREAM_END)
			break;
	}
	*got = cap - p->zs.avail_out;
	p->done += *got;
	if (p->done > p->size)
		return ss_error_set(SS_EIO, _("cannot read '%s': longer than its pack says"),
		                    p->path);
	if (zr == Z_STREAM_END) {
		p->ended = true;
		if (p->done != p->size)
			return ss_error_set(
			    SS_EIO, _("cannot read '%s': shorter than its pack says"), p->path);
	}
	return 0;
}

uint64_t ss_git_pack_size(const struct ss_git_packed *p)
{
	return p->size;
}

int ss_git_pack_open(git_repository *repo, const git_oid *id, const char *path,
                     struct ss_git_packed **out)
{
	char *dir = NULL, *file = NULL;
	DIR *d = NULL;
	struct dirent *e;
	int rc = 0;

	*out = NULL;
	if ((rc = ss_git_join_path(&dir, git_repository_path(repo), "objects/pack/")) != 0)
		return rc;
	if ((d = opendir(dir)) == NULL)
		goto out;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		struct stat st;
		unsigned char *idx;
		int64_t off;
		int fd;

		if (n < 5 || strcmp(e->d_name + n - 4, ".idx") != 0)
			continue;
		free(file);
		file = NULL;
		if ((rc = ss_git_join_path(&file, dir, e->d_name)) != 0)
			break;
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		idx = fstat(fd, &st) == 0 && st.st_size > 0
		          ? mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
		          : MAP_FAILED;
		close(fd);
		if (idx == MAP_FAILED)
			continue;
		off = idx_offset(idx, (size_t)st.st_size, id);
		munmap(idx, (size_t)st.st_size);
		if (off < 0)
			continue;
		/* pack-X.idx -> pack-X.pack */
		file[strlen(file) - 4] = '\0';
		{
			char *pack = NULL;

			if ((rc = ss_git_join_path(&pack, file, ".pack")) != 0)
				break;
			free(file);
			file = pack;
		}
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
			break; /* listed but unreadable: libgit2 says why */
		rc = open_at(fd, off, path, out);
		break;
	}
out:
	if (d)
		closedir(d);
	free(file);
	free(dir);
	return rc;
}
