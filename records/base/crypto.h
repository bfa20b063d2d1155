/*
 * crypto.h - every use of libsodium in the project, behind our own names:
 * SHA-256 and SHA-512, keyed BLAKE2b, random numbers, secret memory and
 * Ed25519 (and SHA-1, for git ids). crypto.c is the only file that includes
 * libsodium's header.
 *
 * Call ss_crypto_init() once before anything else here (or in pseudonym.h
 * or sshkey.h); it is safe to call it again.
 *
 * Ownership: memory from ss_secret_alloc() is the caller's and goes back
 * through ss_secret_free(), which wipes it (NULL is a no-op). Hash states
 * live wherever the caller puts them; a keyed state holds key material, so
 * ss_khash_final() wipes it, and a caller that abandons one wipes it with
 * ss_memzero(). Nothing here allocates otherwise.
 */
#ifndef SS_CRYPTO_H
#define SS_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* sodium_init(); 0 or SS_EIO. */
int ss_crypto_init(void);

/* ---- SHA-256 (ids, tickets, file digests) and SHA-512 (SSH signatures) ---- */

#define SS_SHA256_LEN 32
#define SS_SHA512_LEN 64

struct ss_sha256 {
	unsigned char state[128] __attribute__((aligned(16)));
};

void ss_sha256(unsigned char out[32], const void *data, size_t len);
void ss_sha256_hex(char out[65], const void *data, size_t len);

/* Incremental: init, update as often as needed, final. A state may be copied
 * to fork a common prefix. */
void ss_sha256_init(struct ss_sha256 *h);
void ss_sha256_update(struct ss_sha256 *h, const void *data, size_t len);
void ss_sha256_final(struct ss_sha256 *h, unsigned char out[32]);

void ss_sha512(unsigned char out[64], const void *data, size_t len);

/* ---- SHA-1 (git's object ids, for the large blobs audit/git writes itself) ---- */

#define SS_SHA1_LEN 20

/* SHA-1 (libcrypto's EVP, with the CPU's SHA instructions where there are
 * some). Plain SHA-1, not git's collision-detecting variant: see
 * audit/git/bigblob.c and audit/git/objects.c for why that is enough in the
 * two places it is used, and nowhere else. Each call returns 0, SS_ENOMEM
 * or SS_EIO; _final and a failed _init release the context, else
 * ss_sha1_release does. */
struct ss_sha1 {
	void *ctx; /* libcrypto's EVP_MD_CTX */
};
int ss_sha1_init(struct ss_sha1 *h);
int ss_sha1_update(struct ss_sha1 *h, const void *p, size_t n);
int ss_sha1_final(struct ss_sha1 *h, unsigned char out[20]);
void ss_sha1_release(struct ss_sha1 *h);
/* SHA-1 of a followed by b. */
int ss_sha1_pair(unsigned char out[20], const void *a, size_t alen, const void *b, size_t blen);

/* ---- keyed BLAKE2b (pseudonyms, key fingerprints) ---- */

#define SS_KHASH_KEY_MAX 64
#define SS_KHASH_OUT_MAX 64

struct ss_khash {
	unsigned char state[384] __attribute__((aligned(64)));
};

/* key may be NULL (keylen 0) for an unkeyed hash; outlen from 16 to 64. */
void ss_khash_init(struct ss_khash *h, const unsigned char *key, size_t keylen, size_t outlen);
void ss_khash_update(struct ss_khash *h, const void *data, size_t len);
/* Writes outlen bytes (as given to init) and wipes the state. */
void ss_khash_final(struct ss_khash *h, unsigned char *out, size_t outlen);

/* ---- random ---- */

void ss_random_bytes(void *out, size_t len);
uint32_t ss_random_u32(void);
/* Uniform in [0, upper), without modulo bias; 0 when upper < 2. */
uint32_t ss_random_uniform(uint32_t upper);

/* ---- secret memory ---- */

/* Guarded memory for keys (sodium_malloc); NULL when out of memory. */
void *ss_secret_alloc(size_t len);
/* Wipes and releases; NULL is a no-op. */
void ss_secret_free(void *p);
/* Make it read-only (0) or fail (-1). */
int ss_secret_readonly(void *p);
/* A wipe the compiler cannot drop. */
void ss_memzero(void *p, size_t len);
/* Constant-time comparison: 0 when equal, -1 otherwise. */
int ss_memcmp_ct(const void *a, const void *b, size_t len) __attribute__((warn_unused_result));

/* ---- Ed25519 ---- */

#define SS_ED25519_PK_LEN   32
#define SS_ED25519_SK_LEN   64 /* seed || public key */
#define SS_ED25519_SEED_LEN 32
#define SS_ED25519_SIG_LEN  64

/* A fresh random key pair. */
void ss_ed25519_keypair(unsigned char pk[32], unsigned char sk[64]);
/* The key pair that seed determines. */
void ss_ed25519_seed_keypair(unsigned char pk[32], unsigned char sk[64],
                             const unsigned char seed[32]);
/* 0, or -1 if libsodium refuses. */
int ss_ed25519_sign(unsigned char sig[64], const unsigned char *msg, size_t len,
                    const unsigned char sk[64]) __attribute__((warn_unused_result));
/* 0 when sig is pk's signature of msg, -1 otherwise. */
int ss_ed25519_verify(const unsigned char sig[64], const unsigned char *msg, size_t len,
                      const unsigned char pk[32]) __attribute__((warn_unused_result));
/* The public key part of sk. */
void ss_ed25519_sk_to_pk(unsigned char pk[32], const unsigned char sk[64]);

#endif
