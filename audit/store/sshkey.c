/*
 * sshkey.c - Ed25519 keys in OpenSSH's private key format ("openssh-key-v1",
 * PROTOCOL.key in OpenSSH) and SSH signatures (PROTOCOL.sshsig), made and
 * checked with libsodium so that ssh-keygen and git agree with us byte for byte.
 *
 * Secrets (the key, the file's bytes, their base64) only ever sit in
 * secret memory (ss_secret_alloc). Parsers below never set the error message themselves:
 * they return a code and a fixed reason, the caller wipes what it holds, and
 * only then reports, as signify does.
 */
#include "sshkey.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "crypto.h"

#define KEY_BEGIN   "-----BEGIN OPENSSH PRIVATE KEY-----"
#define KEY_END     "-----END OPENSSH PRIVATE KEY-----"
#define KEY_MAGIC   "openssh-key-v1" /* followed by a NUL in the file */
#define SIG_BEGIN   "-----BEGIN SSH SIGNATURE-----"
#define SIG_END     "-----END SSH SIGNATURE-----"
#define SIG_MAGIC   "SSHSIG"
#define SIG_VERSION 1
#define ED25519     "ssh-ed25519"
#define B64_WRAP    70

#define SK_LEN  SS_ED25519_SK_LEN /* seed || pk */
#define SIG_LEN SS_ED25519_SIG_LEN
/* string("ssh-ed25519") || string(pk) */
#define PUBBLOB_LEN (4 + sizeof(ED25519) - 1 + 4 + SS_PUBKEY_LEN)
/* The longest key file we read: an Ed25519 key is about 400 bytes. */
#define KEY_FILE_MAX 16384
/* The longest namespace we sign in or accept. */
#define NS_MAX 256
/* The longest decoded SSHSIG we accept; an Ed25519 one is 170 + namespace. */
#define SIG_BLOB_MAX   1024
#define COMMENT_MAX    1024
#define TYPE_SHOWN_MAX 64

struct ss_key {
	unsigned char sk[SK_LEN];
	unsigned char pk[SS_PUBKEY_LEN];
	char comment[COMMENT_MAX + 1];
};

/* --- encoding ------------------------------------------------------------ */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0..63 for a base64 digit, 64 for '=', 65 for CR or LF, 66 for anything else. */
static unsigned char b64class(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A');
	if (c >= 'a' && c <= 'z')
		return (unsigned char)(c - 'a' + 26);
	if (c >= '0' && c <= '9')
		return (unsigned char)(c - '0' + 52);
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	if (c == '=')
		return 64;
	if (c == '\n' || c == '\r')
		return 65;
	return 66;
}

/*
 * Decode canonical padded base64, skipping line breaks when `lines` is true.
 * Unused bits of the last group must be zero (as OpenSSH's b64_pton insists),
 * so each byte string has exactly one accepted encoding. 0 and *outlen, or -1.
 */
static int b64_decode(unsigned char *out, size_t cap, size_t *outlen, const char *in, size_t n,
                      bool lines)
{
	uint32_t acc = 0;
	size_t i, o = 0;
	unsigned digits = 0, pad = 0;

	for (i = 0; i < n; i++) {
		unsigned char v = b64class((unsigned char)in[i]);

		if (v == 65 && lines)
			continue;
		if (v == 64) {
			if (digits < 2 || digits + pad >= 4)
				return -1;
			pad++;
			continue;
		}
		if (v > 63 || pad)
			return -1;
		acc = acc << 6 | v;
		if (++digits == 4) {
			if (o + 3 > cap)
				return -1;
			out[o++] = (unsigned char)(acc >> 16);
			out[o++] = (unsigned char)(acc >> 8);
			out[o++] = (unsigned char)acc;
			acc = 0;
			digits = 0;
		}
	}
	if (digits == 0 && pad == 0) {
		*outlen = o;
		return 0;
	}
	if (digits + pad != 4)
		return -1;
	if (digits == 2) {
		if ((acc & 0xf) != 0 || o + 1 > cap)
			return -1;
		out[o++] = (unsigned char)(acc >> 4);
	} else {
		if ((acc & 0x3) != 0 || o + 2 > cap)
			return -1;
		out[o++] = (unsigned char)(acc >> 10);
		out[o++] = (unsigned char)(acc >> 2);
	}
	*outlen = o;
	return 0;
}

static size_t b64_len(size_t n)
{
	return 4 * ((n + 2) / 3);
}

/* Length of `BEGIN\n` + base64 wrapped at 70 with a final newline + `END\n`. */
static size_t armor_len(const char *begin, const char *end, size_t n)
{
	size_t e = b64_len(n);

	return strlen(begin) + 1 + e + (e + B64_WRAP - 1) / B64_WRAP + strlen(end) + 1;
}

/* Write the armor into out (armor_len() + 1 bytes), as OpenSSH's sshbuf_dtob64 wraps it. */
static void armor_write(char *out, const char *begin, const char *end, const unsigned char *in,
                        size_t n)
{
	size_t i, o, col = 0;
	char quad[4];

	o = strlen(begin);
	memcpy(out, begin, o);
	out[o++] = '\n';
	for (i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		size_t k;

		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		quad[0] = b64chars[v >> 18];
		quad[1] = b64chars[(v >> 12) & 63];
		quad[2] = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
		quad[3] = i + 2 < n ? b64chars[v & 63] : '=';
		for (k = 0; k < 4; k++) {
			out[o++] = quad[k];
			if (++col == B64_WRAP) {
				out[o++] = '\n';
				col = 0;
			}
		}
	}
	if (col > 0)
		out[o++] = '\n';
	memcpy(out + o, end, strlen(end));
	o += strlen(end);
	out[o++] = '\n';
	out[o] = '\0';
	ss_memzero(quad, sizeof(quad));
}

/* --- SSH wire format -------------------------------------------------------- */

static unsigned char *put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

static unsigned char *put_string(unsigned char *p, const void *s, size_t n)
{
	p = put_u32(p, (uint32_t)n);
	if (n)
		memcpy(p, s, n);
	return p + n;
}

static unsigned char *put_cstring(unsigned char *p, const char *s)
{
	return put_string(p, s, strlen(s));
}

static unsigned char *put_pubblob(unsigned char *p, const unsigned char pk[SS_PUBKEY_LEN])
{
	p = put_cstring(p, ED25519);
	return put_string(p, pk, SS_PUBKEY_LEN);
}

/* A bounds-checked reader over wire data. */
struct rd {
	const unsigned char *p;
	size_t n;
};

static bool rd_u32(struct rd *r, uint32_t *v)
{
	if (r->n < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->n -= 4;
	return true;
}

static bool rd_string(struct rd *r, struct rd *s)
{
	uint32_t len;

	if (!rd_u32(r, &len) || len > r->n)
		return false;
	s->p = r->p;
	s->n = len;
	r->p += len;
	r->n -= len;
	return true;
}

static bool rd_is(const struct rd *s, const char *want)
{
	size_t n = strlen(want);

	return s->n == n && memcmp(s->p, want, n) == 0;
}

/* Copy a name read from a file into out for a message, printable ASCII only. */
static void shown(char *out, size_t cap, const struct rd *s)
{
	size_t i, o = 0;

	for (i = 0; i < s->n && o + 4 < cap; i++) {
		unsigned char c = s->p[i];

		out[o++] = c >= 0x20 && c < 0x7f && c != '\'' ? (char)c : '?';
	}
	if (i < s->n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* Parse a public key blob that must be Ed25519. On a wrong type, the type (for
 * a message) goes to type_out. */
static int parse_pubblob(struct rd blob, unsigned char pk[SS_PUBKEY_LEN], char *type_out,
                         size_t type_cap)
{
	struct rd type, key;

	if (!rd_string(&blob, &type))
		return SS_EDATA;
	if (!rd_is(&type, ED25519)) {
		if (type_out)
			shown(type_out, type_cap, &type);
		return SS_EPERM;
	}
	if (!rd_string(&blob, &key) || key.n != SS_PUBKEY_LEN || blob.n != 0)
		return SS_EDATA;
	memcpy(pk, key.p, SS_PUBKEY_LEN);
	return 0;
}

/* --- public keys ------------------------------------------------------------ */

int ss_pubkey_parse(const char *line, unsigned char pk[SS_PUBKEY_LEN])
{
	unsigned char blob[PUBBLOB_LEN + 3];
	const char *p = line, *b;
	size_t n;
	int err;

	if (strncmp(p, ED25519, sizeof(ED25519) - 1) != 0 ||
	    (p[sizeof(ED25519) - 1] != ' ' && p[sizeof(ED25519) - 1] != '\t'))
		return ss_error_set(SS_EDATA, _("'%.40s' is not an ssh-ed25519 public key"), line);
	p += sizeof(ED25519) - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	b = p;
	while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
		p++;
	if (b64_decode(blob, sizeof(blob), &n, b, (size_t)(p - b), false) != 0 ||
	    n != PUBBLOB_LEN) {
		err = ss_error_set(SS_EDATA, _("the ssh-ed25519 public key '%.40s' is damaged"),
		                   line);
		goto out;
	}
	if (parse_pubblob((struct rd){blob, n}, pk, NULL, 0) != 0) {
		err = ss_error_set(
		    SS_EDATA, _("the ssh-ed25519 public key '%.40s' holds another kind of key"),
		    line);
		goto out;
	}
	err = 0;
out:
	return err;
}

char *ss_pubkey_format(const unsigned char pk[SS_PUBKEY_LEN])
{
	unsigned char blob[PUBBLOB_LEN];
	size_t tl = sizeof(ED25519) - 1;
	char *s;

	put_pubblob(blob, pk);
	s = malloc(tl + 1 + b64_len(sizeof(blob)) + 1);
	if (s == NULL) {
		ss_error_nomem();
		return NULL;
	}
	memcpy(s, ED25519 " ", tl + 1);
	ss_base64_encode(s + tl + 1, blob, sizeof(blob));
	return s;
}

void ss_pubkey_fingerprint(const unsigned char pk[SS_PUBKEY_LEN], char out[SS_FINGERPRINT_LEN])
{
	unsigned char blob[PUBBLOB_LEN], digest[SS_SHA256_LEN];
	char b64[4 * ((SS_SHA256_LEN + 2) / 3) + 1];
	size_t n;

	put_pubblob(blob, pk);
	ss_sha256(digest, blob, sizeof(blob));
	ss_base64_encode(b64, digest, sizeof(digest));
	n = strcspn(b64, "=");
	memcpy(out, "SHA256:", 7);
	memcpy(out + 7, b64, n);
	out[7 + n] = '\0';
}

/* --- keys ------------------------------------------------------------------- */

void ss_key_public(const struct ss_key *k, unsigned char pk[SS_PUBKEY_LEN])
{
	memcpy(pk, k->pk, SS_PUBKEY_LEN);
}

const char *ss_key_comment(const struct ss_key *k)
{
	return k->comment;
}

void ss_key_free(struct ss_key *k)
{
	if (k != NULL)
		ss_secret_free(k); /* wipes */
}

/* Write all of buf to fd; 0 or -1 with errno. */
static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Make the new key's directory entry durable too. Best effort: some file
 * systems refuse fsync on a directory, and the key itself is already synced. */
static void sync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int fd;

	if (slash == NULL) {
		strcpy(dir, ".");
	} else if (slash == path) {
		strcpy(dir, "/");
	} else {
		if ((size_t)(slash - path) >= sizeof(dir))
			return;
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

int ss_key_generate(const char *path, const char *comment, char **publine)
{
	struct ss_key *k = NULL;
	unsigned char *blob = NULL, *p;
	char *text = NULL, *pub = NULL;
	size_t clen, privlen, bloblen, textlen, i;
	uint32_t check;
	int fd, err, saved;

	*publine = NULL;
	if (comment == NULL)
		comment = "";
	clen = strlen(comment);
	for (i = 0; i < clen; i++)
		if ((unsigned char)comment[i] < 0x20 || comment[i] == 0x7f)
			return ss_error_set(SS_EUSAGE,
			                    _("a key's comment must be one line of text"));
	if (clen > COMMENT_MAX)
		return ss_error_set(SS_EUSAGE, _("a key's comment may be at most %d bytes"),
		                    COMMENT_MAX);
	if ((err = ss_crypto_init()) != 0)
		return err;

	k = ss_secret_alloc(sizeof(*k));
	privlen = 4 + 4 + 4 + sizeof(ED25519) - 1 + 4 + SS_PUBKEY_LEN + 4 + SK_LEN + 4 + clen;
	privlen += (8 - privlen % 8) % 8;
	bloblen = sizeof(KEY_MAGIC) + 4 + 4 + 4 + 4 + 4 + 4 + 4 + PUBBLOB_LEN + 4 + privlen;
	blob = ss_secret_alloc(bloblen);
	textlen = armor_len(KEY_BEGIN, KEY_END, bloblen);
	text = ss_secret_alloc(textlen + 1);
	if (k == NULL || blob == NULL || text == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	ss_ed25519_keypair(k->pk, k->sk);
	memcpy(k->comment, comment, clen + 1);

	/* PROTOCOL.key: unencrypted, one key, then the padded private section. */
	memcpy(blob, KEY_MAGIC, sizeof(KEY_MAGIC)); /* with its NUL */
	p = blob + sizeof(KEY_MAGIC);
	p = put_cstring(p, "none");
	p = put_cstring(p, "none");
	p = put_cstring(p, "");
	p = put_u32(p, 1);
	p = put_u32(p, (uint32_t)PUBBLOB_LEN);
	p = put_pubblob(p, k->pk);
	p = put_u32(p, (uint32_t)privlen);
	check = ss_random_u32();
	p = put_u32(p, check);
	p = put_u32(p, check);
	p = put_cstring(p, ED25519);
	p = put_string(p, k->pk, SS_PUBKEY_LEN);
	p = put_string(p, k->sk, SK_LEN);
	p = put_string(p, comment, clen);
	for (i = 1; (size_t)(p - blob) < bloblen; i++)
		*p++ = (unsigned char)i;
	armor_write(text, KEY_BEGIN, KEY_END, blob, bloblen);

	pub = ss_pubkey_format(k->pk);
	if (pub == NULL) {
		err = SS_ENOMEM;
		goto out;
	}
	if (clen > 0) {
		char *line = malloc(strlen(pub) + 1 + clen + 1);

		if (line == NULL) {
			err = ss_error_nomem();
			goto out;
		}
		sprintf(line, "%s %s", pub, comment);
		free(pub);
		pub = line;
	}

	/* Write, then wipe, then report. The umask may have taken bits away from
	 * 0600, never added any; fchmod makes it exact. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	saved = fd < 0 ? errno : 0;
	if (fd >= 0) {
		if (fchmod(fd, 0600) != 0 || write_all(fd, text, textlen) != 0 || fsync(fd) != 0)
			saved = errno ? errno : EIO;
		if (close(fd) != 0 && saved == 0)
			saved = errno;
		if (saved != 0)
			unlink(path); /* ours: made with O_EXCL just now */
	}
	ss_secret_free(text);
	text = NULL;
	ss_secret_free(blob);
	blob = NULL;
	ss_key_free(k);
	k = NULL;
	if (fd < 0 && (saved == EEXIST || saved == ELOOP)) {
		err = ss_error_set(SS_ECANTCREAT,
		                   _("key file '%s' already exists; ssaudit never replaces a key"),
		                   path);
		goto out;
	}
	if (fd < 0) {
		err = ss_error_set(SS_ECANTCREAT, _("cannot create key file '%s': %s"), path,
		                   strerror(saved));
		goto out;
	}
	if (saved != 0) {
		err = ss_error_set(SS_EIO, _("cannot write key file '%s': %s"), path,
		                   strerror(saved));
		goto out;
	}
	sync_parent(path);
	*publine = pub;
	pub = NULL;
	err = 0;
out:
	ss_secret_free(text);
	ss_secret_free(blob);
	ss_key_free(k);
	free(pub);
	return err;
}

/* What went wrong while parsing a key file, reported once the secrets are wiped. */
struct why {
	enum { WHY_DATA, WHY_TYPE, WHY_PASSPHRASE } kind;
	const char *what;          /* WHY_DATA: finishes "key file 'PATH' ..." */
	char type[TYPE_SHOWN_MAX]; /* WHY_TYPE: the key's type */
};

static int key_fail(struct why *why, int code, const char *what)
{
	why->kind = WHY_DATA;
	why->what = what;
	return code;
}

static int key_wrong_type(struct why *why)
{
	why->kind = WHY_TYPE;
	return SS_EPERM;
}

/* Find "-----BEGIN X-----" at the start of data and name the PEM kinds we refuse. */
static int key_armor(const char *data, size_t n, const char **b64, size_t *b64n, struct why *why)
{
	static const struct {
		const char *label;
		const char *type;
	} pem[] = {
	    {"-----BEGIN RSA PRIVATE KEY-----", "RSA (PEM format)"},
	    {"-----BEGIN DSA PRIVATE KEY-----", "DSA (PEM format)"},
	    {"-----BEGIN EC PRIVATE KEY-----", "ECDSA (PEM format)"},
	    {"-----BEGIN PRIVATE KEY-----", "PKCS#8 (not OpenSSH format)"},
	    {"-----BEGIN ENCRYPTED PRIVATE KEY-----", "encrypted PKCS#8"},
	};
	size_t i, bl = strlen(KEY_BEGIN), el = strlen(KEY_END);
	const char *p, *end;

	for (i = 0; i < sizeof(pem) / sizeof(pem[0]); i++) {
		if (n >= strlen(pem[i].label) &&
		    memcmp(data, pem[i].label, strlen(pem[i].label)) == 0) {
			snprintf(why->type, sizeof(why->type), "%s", pem[i].type);
			return key_wrong_type(why);
		}
	}
	if (n >= sizeof(ED25519) && memcmp(data, ED25519 " ", sizeof(ED25519)) == 0)
		return key_fail(why, SS_EDATA, "is a public key, not the private key");
	if (n < bl || memcmp(data, KEY_BEGIN, bl) != 0)
		return key_fail(why, SS_EDATA, "is not an OpenSSH private key");
	p = data + bl;
	if (p < data + n && *p == '\r')
		p++;
	if (p >= data + n || *p != '\n')
		return key_fail(why, SS_EDATA, "is not an OpenSSH private key");
	p++;
	/* The end line starts a line; only line breaks may follow it. */
	for (end = p; end + el <= data + n; end++) {
		if ((end == p || end[-1] == '\n') && memcmp(end, KEY_END, el) == 0)
			break;
	}
	if (end + el > data + n)
		return key_fail(why, SS_EDATA, "is cut short (no END line)");
	for (i = (size_t)(end - data) + el; i < n; i++)
		if (data[i] != '\n' && data[i] != '\r')
			return key_fail(why, SS_EDATA, "has text after its END line");
	*b64 = p;
	*b64n = (size_t)(end - p);
	return 0;
}

/* Parse the decoded openssh-key-v1 blob into k. */
static int key_parse(struct ss_key *k, const unsigned char *data, size_t n, struct why *why)
{
	struct rd r = {data, n}, cipher, kdf, kdfopts, pubblob, priv, type, pk, sk, comment;
	unsigned char pub_pk[SS_PUBKEY_LEN], derived_pk[SS_PUBKEY_LEN];
	unsigned char *derived_sk = NULL;
	uint32_t nkeys, check1, check2;
	size_t i;
	int err;

	if (n < sizeof(KEY_MAGIC) || memcmp(data, KEY_MAGIC, sizeof(KEY_MAGIC)) != 0)
		return key_fail(why, SS_EDATA, "is not an OpenSSH private key");
	r.p += sizeof(KEY_MAGIC);
	r.n -= sizeof(KEY_MAGIC);
	if (!rd_string(&r, &cipher) || !rd_string(&r, &kdf) || !rd_string(&r, &kdfopts) ||
	    !rd_u32(&r, &nkeys))
		return key_fail(why, SS_EDATA, "is damaged (header)");
	if (nkeys != 1)
		return key_fail(why, SS_EDATA, "holds more than one key");
	if (!rd_string(&r, &pubblob) || !rd_string(&r, &priv) || r.n != 0)
		return key_fail(why, SS_EDATA, "is damaged (key sections)");
	err = parse_pubblob(pubblob, pub_pk, why->type, sizeof(why->type));
	if (err == SS_EPERM)
		return key_wrong_type(why);
	if (err)
		return key_fail(why, SS_EDATA, "is damaged (public key)");
	if (!rd_is(&cipher, "none") || !rd_is(&kdf, "none")) {
		why->kind = WHY_PASSPHRASE;
		return SS_EPERM;
	}
	if (kdfopts.n != 0)
		return key_fail(why, SS_EDATA, "is damaged (key derivation options)");

	/* The private section: check ints, the key, its comment, padding 1, 2, 3... */
	if (priv.n % 8 != 0 || !rd_u32(&priv, &check1) || !rd_u32(&priv, &check2))
		return key_fail(why, SS_EDATA, "is damaged (private section)");
	if (check1 != check2)
		return key_fail(why, SS_EDATA, "is damaged (check numbers differ)");
	if (!rd_string(&priv, &type))
		return key_fail(why, SS_EDATA, "is damaged (private key type)");
	if (!rd_is(&type, ED25519)) {
		shown(why->type, sizeof(why->type), &type);
		return key_wrong_type(why);
	}
	if (!rd_string(&priv, &pk) || pk.n != SS_PUBKEY_LEN || !rd_string(&priv, &sk) ||
	    sk.n != SK_LEN || !rd_string(&priv, &comment))
		return key_fail(why, SS_EDATA, "is damaged (private key)");
	if (priv.n >= 8)
		return key_fail(why, SS_EDATA, "is damaged (padding)");
	for (i = 0; i < priv.n; i++)
		if (priv.p[i] != i + 1)
			return key_fail(why, SS_EDATA, "is damaged (padding)");
	if (memcmp(pk.p, pub_pk, SS_PUBKEY_LEN) != 0 ||
	    memcmp(sk.p + SK_LEN - SS_PUBKEY_LEN, pub_pk, SS_PUBKEY_LEN) != 0)
		return key_fail(why, SS_EDATA, "is damaged (its two public keys differ)");
	if (comment.n > COMMENT_MAX || memchr(comment.p, '\0', comment.n) != NULL)
		return key_fail(why, SS_EDATA, "has a comment ssaudit cannot use");

	/* The secret half must really belong to the public key: a flipped bit in
	 * the seed would otherwise make signatures nobody can verify. */
	derived_sk = ss_secret_alloc(SK_LEN);
	if (derived_sk == NULL)
		return key_fail(why, SS_ENOMEM, "cannot be held in memory");
	ss_ed25519_seed_keypair(derived_pk, derived_sk, sk.p);
	if (ss_memcmp_ct(derived_sk, sk.p, SK_LEN) != 0) {
		err = key_fail(why, SS_EDATA, "is damaged (its secret and public halves differ)");
		goto out;
	}
	memcpy(k->sk, sk.p, SK_LEN);
	memcpy(k->pk, pk.p, SS_PUBKEY_LEN);
	memcpy(k->comment, comment.p, comment.n);
	k->comment[comment.n] = '\0';
	err = 0;
out:
	ss_secret_free(derived_sk);
	return err;
}

/* Read the whole (small) file into secret memory (crypto.h). */
static int read_key_file(int fd, const char *path, size_t size, char **out, size_t *outlen)
{
	char *data = ss_secret_alloc(size + 1);
	size_t n = 0;
	int err, saved;

	*out = NULL;
	if (data == NULL)
		return ss_error_nomem();
	for (;;) {
		ssize_t r = read(fd, data + n, size + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			saved = errno;
			err = ss_error_set(SS_EIO, _("cannot read key file '%s': %s"), path,
			                   strerror(saved));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > size) { /* it grew under us */
			err = ss_error_set(SS_EDATA, _("key file '%s' changed while being read"),
			                   path);
			goto out;
		}
	}
	*out = data;
	*outlen = n;
	data = NULL;
	err = 0;
out:
	ss_secret_free(data);
	return err;
}

int ss_key_load(const char *path, struct ss_key **out)
{
	struct ss_key *k = NULL;
	struct why why = {WHY_DATA, NULL, ""};
	struct stat st;
	unsigned char *blob = NULL;
	char *data = NULL;
	const char *b64;
	size_t n = 0, b64n, bloblen;
	int fd = -1, err, saved;

	*out = NULL;
	if ((err = ss_crypto_init()) != 0)
		return err;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		saved = errno;
		if (saved == ENOENT)
			return ss_error_set(SS_ENOINPUT, _("key file '%s' does not exist"), path);
		if (saved == ELOOP)
			return ss_error_set(
			    SS_EPERM,
			    _("key file '%s' is a symbolic link; ssaudit reads a key "
			      "only from the file itself"),
			    path);
		if (saved == EACCES)
			return ss_error_set(SS_EPERM, _("key file '%s' cannot be read: %s"), path,
			                    strerror(saved));
		return ss_error_set(SS_EIO, _("cannot open key file '%s': %s"), path,
		                    strerror(saved));
	}
	if (fstat(fd, &st) != 0) {
		saved = errno;
		err =
		    ss_error_set(SS_EIO, _("cannot read key file '%s': %s"), path, strerror(saved));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = ss_error_set(SS_EDATA, _("key file '%s' is not a regular file"), path);
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		err = ss_error_set(
		    SS_EPERM, _("key file '%s' can be read by other users; run: chmod 600 '%s'"),
		    path, path);
		goto out;
	}
	if (st.st_size > KEY_FILE_MAX) {
		err = ss_error_set(SS_EDATA, _("key file '%s' is too large to be a key"), path);
		goto out;
	}
	if ((err = read_key_file(fd, path, (size_t)st.st_size, &data, &n)) != 0)
		goto out;

	k = ss_secret_alloc(sizeof(*k));
	blob = ss_secret_alloc(n / 4 * 3 + 3);
	if (k == NULL || blob == NULL) {
		err = ss_error_nomem();
		goto out;
	}
	err = key_armor(data, n, &b64, &b64n, &why);
	if (err == 0 && b64_decode(blob, n / 4 * 3 + 3, &bloblen, b64, b64n, true) != 0)
		err = key_fail(&why, SS_EDATA, "is damaged (bad base64)");
	if (err == 0)
		err = key_parse(k, blob, bloblen, &why);
	/* Wipe before anything is reported (ss_secret_free zeroes what it frees). */
	ss_secret_free(blob);
	blob = NULL;
	ss_secret_free(data);
	data = NULL;
	if (err == SS_EPERM && why.kind == WHY_PASSPHRASE) {
		err =
		    ss_error_set(SS_EPERM,
		                 _("key '%s' is protected by a passphrase; ssaudit needs an "
		                   "unencrypted key (remove it with: ssh-keygen -p -N '' -f '%s')"),
		                 path, path);
		goto out;
	}
	if (err == SS_EPERM && why.kind == WHY_TYPE) {
		err = ss_error_set(SS_EPERM,
		                   _("key '%s' is of type %s; ssaudit needs an ssh-ed25519 key "
		                     "(make one with: ssh-keygen -t ed25519)"),
		                   path, why.type);
		goto out;
	}
	if (err == SS_ENOMEM) {
		err = ss_error_nomem();
		goto out;
	}
	if (err) {
		err = ss_error_set(err, _("key file '%s' %s"), path, why.what);
		goto out;
	}
	(void)ss_secret_readonly(k);
	*out = k;
	k = NULL;
out:
	ss_secret_free(blob);
	ss_secret_free(data);
	ss_key_free(k);
	if (fd >= 0)
		close(fd);
	return err;
}

/* --- SSHSIG ----------------------------------------------------------------- */

/* Build the data an SSHSIG signs into out; returns its length. out needs
 * 6 + 4 + ns_len + 4 + 4 + hashalg + 4 + digest bytes. */
static size_t sig_signed_data(unsigned char *out, const char *ns, size_t ns_len,
                              const char *hashalg, const unsigned char *digest, size_t dlen)
{
	unsigned char *p = out;

	memcpy(p, SIG_MAGIC, 6);
	p += 6;
	p = put_string(p, ns, ns_len);
	p = put_string(p, "", 0);
	p = put_cstring(p, hashalg);
	p = put_string(p, digest, dlen);
	return (size_t)(p - out);
}

#define SIGNED_DATA_MAX (6 + 4 + NS_MAX + 4 + 4 + 6 + 4 + SS_SHA512_LEN)

int ss_sshsig_sign(const struct ss_key *k, const char *ns, const void *msg, size_t len,
                   char **armored)
{
	unsigned char digest[SS_SHA512_LEN], sig[SIG_LEN];
	unsigned char tosign[SIGNED_DATA_MAX], blob[SIG_BLOB_MAX], *p;
	size_t ns_len = strlen(ns), tlen, alen;
	char *text;
	int err;

	*armored = NULL;
	if (ns_len == 0 || ns_len > NS_MAX)
		return ss_error_set(SS_EUSAGE, _("a signature namespace must have 1 to %d bytes"),
		                    NS_MAX);
	if ((err = ss_crypto_init()) != 0)
		return err;
	ss_sha512(digest, msg, len);
	tlen = sig_signed_data(tosign, ns, ns_len, "sha512", digest, sizeof(digest));
	if (ss_ed25519_sign(sig, tosign, tlen, k->sk) != 0)
		return ss_error_set(SS_EIO, _("cannot sign"));

	memcpy(blob, SIG_MAGIC, 6);
	p = put_u32(blob + 6, SIG_VERSION);
	p = put_u32(p, (uint32_t)PUBBLOB_LEN);
	p = put_pubblob(p, k->pk);
	p = put_string(p, ns, ns_len);
	p = put_string(p, "", 0);
	p = put_cstring(p, "sha512");
	p = put_u32(p, (uint32_t)(4 + sizeof(ED25519) - 1 + 4 + SIG_LEN));
	p = put_cstring(p, ED25519);
	p = put_string(p, sig, SIG_LEN);

	alen = armor_len(SIG_BEGIN, SIG_END, (size_t)(p - blob));
	text = malloc(alen + 1);
	if (text == NULL)
		return ss_error_nomem();
	armor_write(text, SIG_BEGIN, SIG_END, blob, (size_t)(p - blob));
	*armored = text;
	return 0;
}

/* Strip the armor: BEGIN line, base64 lines, END line, at most a line break after. */
static bool sig_dearmor(const char *a, size_t n, const char **b64, size_t *b64n)
{
	size_t bl = strlen(SIG_BEGIN), el = strlen(SIG_END), i = n;

	if (n < bl + 1 || memcmp(a, SIG_BEGIN, bl) != 0)
		return false;
	a += bl;
	n -= bl;
	if (n > 0 && a[0] == '\r')
		a++, n--;
	if (n == 0 || a[0] != '\n')
		return false;
	a++, n--;
	i = n;
	if (i > 0 && a[i - 1] == '\n')
		i--;
	if (i > 0 && a[i - 1] == '\r')
		i--;
	if (i < el || memcmp(a + i - el, SIG_END, el) != 0)
		return false;
	i -= el;
	if (i > 0 && a[i - 1] != '\n')
		return false;
	*b64 = a;
	*b64n = i;
	return true;
}

int ss_sshsig_verify(const char *armored, size_t armored_len, const char *ns, const void *msg,
                     size_t len, unsigned char pk[SS_PUBKEY_LEN])
{
	unsigned char blob[SIG_BLOB_MAX], digest[SS_SHA512_LEN];
	unsigned char tosign[SIGNED_DATA_MAX], signer[SS_PUBKEY_LEN];
	struct rd r, pubblob, gotns, reserved, hashalg, sigblob, sigtype, sig;
	char type[TYPE_SHOWN_MAX];
	const char *b64, *halg;
	size_t b64n, n, dlen, tlen, ns_len = strlen(ns);
	uint32_t version;
	int err;

	/* A caller that ignores the result must not find a usable key in pk. */
	memset(pk, 0, SS_PUBKEY_LEN);
	if (ns_len == 0 || ns_len > NS_MAX)
		return ss_error_set(SS_EFAIL, _("a signature namespace must have 1 to %d bytes"),
		                    NS_MAX);
	if (!sig_dearmor(armored, armored_len, &b64, &b64n))
		return ss_error_set(SS_EFAIL, _("the signature is not an armored SSH signature"));
	if (b64_decode(blob, sizeof(blob), &n, b64, b64n, true) != 0)
		return ss_error_set(SS_EFAIL,
		                    _("the signature is damaged (bad base64 or too long)"));
	r = (struct rd){blob, n};
	if (r.n < 6 || memcmp(r.p, SIG_MAGIC, 6) != 0)
		return ss_error_set(SS_EFAIL, _("the signature is not an SSH signature"));
	r.p += 6;
	r.n -= 6;
	if (!rd_u32(&r, &version))
		return ss_error_set(SS_EFAIL, _("the signature is cut short"));
	if (version != SIG_VERSION)
		return ss_error_set(SS_EFAIL, _("the signature has an unknown version"));
	if (!rd_string(&r, &pubblob) || !rd_string(&r, &gotns) || !rd_string(&r, &reserved) ||
	    !rd_string(&r, &hashalg) || !rd_string(&r, &sigblob))
		return ss_error_set(SS_EFAIL, _("the signature is cut short"));
	if (r.n != 0)
		return ss_error_set(SS_EFAIL, _("the signature has unexpected bytes at its end"));
	err = parse_pubblob(pubblob, signer, type, sizeof(type));
	if (err == SS_EPERM)
		return ss_error_set(
		    SS_EFAIL, _("the signature was made with a %s key, not ssh-ed25519"), type);
	if (err)
		return ss_error_set(SS_EFAIL, _("the signature's public key is damaged"));
	if (gotns.n != ns_len || memcmp(gotns.p, ns, ns_len) != 0) {
		shown(type, sizeof(type), &gotns);
		return ss_error_set(SS_EFAIL,
		                    _("the signature is for namespace '%s', not this one"), type);
	}
	if (reserved.n != 0)
		return ss_error_set(SS_EFAIL, _("the signature's reserved field is not empty"));
	if (rd_is(&hashalg, "sha512")) {
		halg = "sha512";
		ss_sha512(digest, msg, len);
		dlen = SS_SHA512_LEN;
	} else if (rd_is(&hashalg, "sha256")) {
		halg = "sha256";
		ss_sha256(digest, msg, len);
		dlen = SS_SHA256_LEN;
	} else {
		shown(type, sizeof(type), &hashalg);
		return ss_error_set(SS_EFAIL, _("the signature uses the unsupported hash '%s'"),
		                    type);
	}
	if (!rd_string(&sigblob, &sigtype) || !rd_string(&sigblob, &sig) || sigblob.n != 0)
		return ss_error_set(SS_EFAIL, _("the signature is damaged (signature field)"));
	if (!rd_is(&sigtype, ED25519)) {
		shown(type, sizeof(type), &sigtype);
		return ss_error_set(SS_EFAIL, _("the signature is of type '%s', not ssh-ed25519"),
		                    type);
	}
	if (sig.n != SIG_LEN)
		return ss_error_set(SS_EFAIL, _("the signature has the wrong length"));
	tlen = sig_signed_data(tosign, ns, ns_len, halg, digest, dlen);
	if (ss_ed25519_verify(sig.p, tosign, tlen, signer) != 0)
		return ss_error_set(SS_EFAIL, _("the signature does not match the signed data"));
	memcpy(pk, signer, SS_PUBKEY_LEN);
	return 0;
}
