/*
 * crypto.c - libsodium and OpenSSL's libcrypto behind our own names (see
 * crypto.h). SHA-256 is libcrypto's: it uses the CPU's SHA instructions where
 * there are some, several times faster than libsodium's portable code over a
 * population of a million records. Its plain SHA256_CTX (not an EVP_MD_CTX)
 * keeps a state that lives inside struct ss_sha256, may be copied to fork a
 * prefix and needs no freeing; OpenSSL 3 marks that interface deprecated, so
 * we ask for the 1.1.1 interface, where it is not.
 */
#include "crypto.h"

#define OPENSSL_API_COMPAT 0x10101000L
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sodium.h>

#include "buf.h"
#include "error.h"

_Static_assert(sizeof(SHA256_CTX) <= sizeof(struct ss_sha256),
               "struct ss_sha256 too small for libcrypto's state");
_Static_assert(SS_SHA256_LEN == SHA256_DIGEST_LENGTH, "SHA-256 size");
_Static_assert(SS_SHA1_LEN == SHA_DIGEST_LENGTH, "SHA-1 size");
_Static_assert(sizeof(crypto_generichash_state) <= sizeof(struct ss_khash),
               "struct ss_khash too small for libsodium's state");
_Static_assert(SS_ED25519_PK_LEN == crypto_sign_PUBLICKEYBYTES, "Ed25519 public key size");
_Static_assert(SS_ED25519_SK_LEN == crypto_sign_SECRETKEYBYTES, "Ed25519 secret key size");
_Static_assert(SS_ED25519_SEED_LEN == crypto_sign_SEEDBYTES, "Ed25519 seed size");
_Static_assert(SS_ED25519_SIG_LEN == crypto_sign_BYTES, "Ed25519 signature size");
_Static_assert(SS_SHA512_LEN == crypto_hash_sha512_BYTES, "SHA-512 size");

int ss_crypto_init(void)
{
	if (sodium_init() < 0)
		return ss_error_set(SS_EIO, _("cannot start the cryptography library"));
	return 0;
}

/* ---- hashes ---- */

void ss_sha256(unsigned char out[32], const void *data, size_t len)
{
	SHA256(data, len, out);
}

void ss_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char h[32];

	SHA256(data, len, h);
	ss_hex_encode(out, h, sizeof(h));
}

void ss_sha256_init(struct ss_sha256 *h)
{
	SHA256_Init((SHA256_CTX *)h->state);
}

void ss_sha256_update(struct ss_sha256 *h, const void *data, size_t len)
{
	SHA256_Update((SHA256_CTX *)h->state, data, len);
}

void ss_sha256_final(struct ss_sha256 *h, unsigned char out[32])
{
	SHA256_Final(out, (SHA256_CTX *)h->state);
}

int ss_sha1_init(struct ss_sha1 *h)
{
	if ((h->ctx = EVP_MD_CTX_new()) == NULL)
		return ss_error_nomem();
	if (EVP_DigestInit_ex(h->ctx, EVP_sha1(), NULL) != 1) {
		ss_sha1_release(h);
		return ss_error_set(SS_EIO, _("libcrypto cannot compute SHA-1"));
	}
	return 0;
}

int ss_sha1_update(struct ss_sha1 *h, const void *p, size_t n)
{
	if (EVP_DigestUpdate(h->ctx, p, n) != 1)
		return ss_error_set(SS_EIO, _("libcrypto cannot compute SHA-1"));
	return 0;
}

int ss_sha1_final(struct ss_sha1 *h, unsigned char out[20])
{
	unsigned int n = 0;
	int ok = EVP_DigestFinal_ex(h->ctx, out, &n) == 1 && n == SS_SHA1_LEN;

	ss_sha1_release(h);
	return ok ? 0 : ss_error_set(SS_EIO, _("libcrypto cannot compute SHA-1"));
}

void ss_sha1_release(struct ss_sha1 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

int ss_sha1_pair(unsigned char out[20], const void *a, size_t alen, const void *b, size_t blen)
{
	struct ss_sha1 h;
	int err;

	if ((err = ss_sha1_init(&h)) != 0)
		return err;
	if ((err = ss_sha1_update(&h, a, alen)) != 0 || (err = ss_sha1_update(&h, b, blen)) != 0) {
		ss_sha1_release(&h);
		return err;
	}
	return ss_sha1_final(&h, out);
}

void ss_sha512(unsigned char out[64], const void *data, size_t len)
{
	crypto_hash_sha512(out, data, len);
}

void ss_khash_init(struct ss_khash *h, const unsigned char *key, size_t keylen, size_t outlen)
{
	crypto_generichash_init((crypto_generichash_state *)h->state, key, keylen, outlen);
}

void ss_khash_update(struct ss_khash *h, const void *data, size_t len)
{
	crypto_generichash_update((crypto_generichash_state *)h->state, data, len);
}

void ss_khash_final(struct ss_khash *h, unsigned char *out, size_t outlen)
{
	crypto_generichash_final((crypto_generichash_state *)h->state, out, outlen);
	sodium_memzero(h, sizeof(*h));
}

/* ---- random ---- */

void ss_random_bytes(void *out, size_t len)
{
	randombytes_buf(out, len);
}

uint32_t ss_random_u32(void)
{
	return randombytes_random();
}

uint32_t ss_random_uniform(uint32_t upper)
{
	return randombytes_uniform(upper);
}

/* ---- secret memory ---- */

void *ss_secret_alloc(size_t len)
{
	return sodium_malloc(len);
}

void ss_secret_free(void *p)
{
	sodium_free(p); /* makes it writable, wipes, unmaps; a no-op on NULL */
}

int ss_secret_readonly(void *p)
{
	return sodium_mprotect_readonly(p) == 0 ? 0 : -1;
}

void ss_memzero(void *p, size_t len)
{
	sodium_memzero(p, len);
}

int ss_memcmp_ct(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0 ? 0 : -1;
}

/* ---- Ed25519 ---- */

void ss_ed25519_keypair(unsigned char pk[32], unsigned char sk[64])
{
	crypto_sign_keypair(pk, sk);
}

void ss_ed25519_seed_keypair(unsigned char pk[32], unsigned char sk[64],
                             const unsigned char seed[32])
{
	crypto_sign_seed_keypair(pk, sk, seed);
}

int ss_ed25519_sign(unsigned char sig[64], const unsigned char *msg, size_t len,
                    const unsigned char sk[64])
{
	return crypto_sign_detached(sig, NULL, msg, len, sk) == 0 ? 0 : -1;
}

int ss_ed25519_verify(const unsigned char sig[64], const unsigned char *msg, size_t len,
                      const unsigned char pk[32])
{
	return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}

void ss_ed25519_sk_to_pk(unsigned char pk[32], const unsigned char sk[64])
{
	crypto_sign_ed25519_sk_to_pk(pk, sk);
}
