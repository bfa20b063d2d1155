/*
 * packstream.c - a packed blob inflated from its pack a piece at a time.
 *
 * libgit2 1.5 inflates a packed object whole, so a large file (a month's
 * population.jsonl) would be held whole in memory. A blob stored in a pack
 * of this repository's own objects directory, whole (not a delta), is found
 * through the pack's index (version 2) and inflated here with zlib, 1 MiB at
 * a time. Anything else (a delta, an alternate, an unusual index) is left to
 * libgit2: *found false and nothing read.
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

/* Inflate the blob at off in the pack file fd, whose header said size. */
static int inflate_at(int fd, int64_t off, const char *path,
                      int (*fn)(void *arg, const char *data, size_t n), void *arg, bool *found)
{
	unsigned char hdr[32], *in = NULL;
	char *out = NULL;
	z_stream zs = {0};
	uint64_t size;
	size_t h = 0, done = 0;
	ssize_t got;
	int rc = 0, zr = Z_OK, shift = 4;
	bool zinit = false;

	got = pread(fd, hdr, sizeof(hdr), off);
	if (got < 1)
		return 0;
	if (((hdr[0] >> 4) & 7) != OBJ_BLOB)
		return 0; /* a delta: libgit2's */
	size = hdr[0] & 15;
	while (hdr[h] & 0x80) {
		if (++h >= (size_t)got || shift > 57)
			return 0;
		size |= (uint64_t)(hdr[h] & 0x7f) << shift;
		shift += 7;
	}
	h++;
	if ((in = malloc(PIECE)) == NULL || (out = malloc(PIECE)) == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	if (inflateInit(&zs) != Z_OK) {
		rc = ss_error_set(SS_EIO, _("cannot read '%s': zlib will not start"), path);
		goto out;
	}
	zinit = true;
	*found = true;
	off += (int64_t)h;
	while (zr != Z_STREAM_END) {
		if (zs.avail_in == 0) {
			if ((got = pread(fd, in, PIECE, off)) <= 0) {
				rc = ss_error_set(SS_EIO,
				                  _("cannot read '%s': the pack ends early"), path);
				goto out;
			}
			off += got;
			zs.next_in = in;
			zs.avail_in = (uInt)got;
		}
		zs.next_out = (Bytef *)out;
		zs.avail_out = PIECE;
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = ss_error_set(SS_EIO, _("cannot read '%s': its packed data is damaged"),
			                  path);
			goto out;
		}
		if (PIECE - zs.avail_out > 0) {
			done += PIECE - zs.avail_out;
			if (done > size) {
				rc = ss_error_set(
				    SS_EIO, _("cannot read '%s': longer than its pack says"), path);
				goto out;
			}
			if ((rc = fn(arg, out, PIECE - zs.avail_out)) != 0)
				goto out;
		}
	}
	if (done != size)
		rc = ss_error_set(SS_EIO, _("cannot read '%s': shorter than its pack says"), path);
out:
	if (zinit)
		inflateEnd(&zs);
	free(in);
	free(out);
	return rc;
}

int ss_git_pack_stream(git_repository *repo, const git_oid *id, const char *path,
                       int (*fn)(void *arg, const char *data, size_t n), void *arg, bool *found)
{
	char *dir = NULL, *file = NULL;
	DIR *d = NULL;
	struct dirent *e;
	int rc = 0;

	*found = false;
	if ((rc = ss_git_join_path(&dir, git_repository_path(repo), "objects/pack/")) != 0)
		return rc;
	if ((d = opendir(dir)) == NULL)
		goto out;
	while (!*found && rc == 0 && (e = readdir(d)) != NULL) {
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
		rc = inflate_at(fd, off, path, fn, arg, found);
		close(fd);
		break;
	}
out:
	if (d)
		closedir(d);
	free(file);
	free(dir);
	return rc;
}
