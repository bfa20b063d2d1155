#include "hash.h"

#include <sodium.h>

#include "buf.h"
#include "error.h"

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(struct ss_sha256),
	       "struct ss_sha256 too small for libsodium's state");

int ss_crypto_init(void)
{
	if (sodium_init() < 0)
		return ss_error_set(SS_EIO, "cannot start the cryptography library");
	return 0;
}

void ss_sha256(unsigned char out[32], const void *data, size_t len)
{
	crypto_hash_sha256(out, data, len);
}

void ss_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char h[32];

	crypto_hash_sha256(h, data, len);
	ss_hex_encode(out, h, sizeof(h));
}

void ss_sha256_init(struct ss_sha256 *h)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)h->state);
}

void ss_sha256_update(struct ss_sha256 *h, const void *data, size_t len)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)h->state, data, len);
}

void ss_sha256_final(struct ss_sha256 *h, unsigned char out[32])
{
	crypto_hash_sha256_final((crypto_hash_sha256_state *)h->state, out);
}
