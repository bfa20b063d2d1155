/*
 * test_crypto.c - SHA-256 gives the published digests (NIST FIPS 180-2
 * examples and the million-'a' message), the same in one call, in pieces of
 * every size across a block boundary, and from a copied state, so ids and
 * tickets do not depend on which library computes them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "crypto.h"

static const struct {
	const char *msg;
	const char *hex;
} vectors[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnop"
     "qrs"
     "mnopqrstnopqrstu",
     "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

static void hex(char out[65], const unsigned char d[32])
{
	ss_hex_encode(out, d, 32);
}

static void test_records_crypto__sha256_nist_vectors(void **state)
{
	(void)state;
	for (size_t v = 0; v < sizeof(vectors) / sizeof(vectors[0]); v++) {
		const char *m = vectors[v].msg;
		unsigned char d[32];
		char h[65];

		ss_sha256(d, m, strlen(m));
		hex(h, d);
		assert_string_equal(h, vectors[v].hex);
		ss_sha256_hex(h, m, strlen(m));
		assert_string_equal(h, vectors[v].hex);
		for (size_t cut = 0; cut <= strlen(m); cut++) {
			struct ss_sha256 s;

			ss_sha256_init(&s);
			ss_sha256_update(&s, m, cut);
			ss_sha256_update(&s, m + cut, strlen(m) - cut);
			ss_sha256_final(&s, d);
			hex(h, d);
			assert_string_equal(h, vectors[v].hex);
		}
	}
}

static void test_records_crypto__sha256_million_a_and_copied_state(void **state)
{
	(void)state;
	size_t n = 1000000;
	char *a = malloc(n);
	unsigned char d[32];
	char h[65];
	struct ss_sha256 s, fork;

	assert_non_null(a);
	memset(a, 'a', n);
	ss_sha256(d, a, n);
	hex(h, d);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* pieces of uneven sizes, and a state copied half way, as the sample forks a prefix */
	ss_sha256_init(&s);
	size_t off = 0;
	for (size_t step = 1; off < n / 2; step = step * 3 % 1000 + 1) {
		size_t k = step < n / 2 - off ? step : n / 2 - off;
		ss_sha256_update(&s, a + off, k);
		off += k;
	}
	fork = s;
	ss_sha256_update(&s, a + off, n - off);
	ss_sha256_final(&s, d);
	hex(h, d);
	assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	ss_sha256_update(&fork, "abc", 3);
	ss_sha256_final(&fork, d);
	memcpy(a + off, "abc", 3);
	unsigned char want[32];
	ss_sha256(want, a, off + 3);
	assert_memory_equal(d, want, 32);
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_crypto__sha256_nist_vectors),
	    cmocka_unit_test(test_records_crypto__sha256_million_a_and_copied_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
