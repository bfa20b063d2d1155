/*
 * hash.h - SHA-256 for ids, tickets and file digests (libsodium underneath).
 * Call ss_crypto_init() once before anything else in this file or pseudonym.h.
 */
#ifndef SS_HASH_H
#define SS_HASH_H

#include <stddef.h>

/* sodium_init(); 0 or SS_EIO. Safe to call more than once. */
int ss_crypto_init(void);

struct ss_sha256 {
	unsigned char state[128] __attribute__((aligned(16)));
};

void ss_sha256(unsigned char out[32], const void *data, size_t len);
void ss_sha256_hex(char out[65], const void *data, size_t len);

/* Incremental: init, update as often as needed, final. */
void ss_sha256_init(struct ss_sha256 *h);
void ss_sha256_update(struct ss_sha256 *h, const void *data, size_t len);
void ss_sha256_final(struct ss_sha256 *h, unsigned char out[32]);

#endif
