/*
 * test_map.c - ss_map_move: two maps made on two threads (verify's two
 * halves) become one, every value once, none lost or freed twice, whether
 * the destination copies its keys or borrows them from the values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "map.h"

/* A value that carries its own key, as a kept blob does. */
struct item {
	char key[16];
	int n;
};

static int dropped;

static void drop(void *p)
{
	dropped++;
	free(p);
}

static struct item *item(int n)
{
	struct item *it = calloc(1, sizeof(*it));

	assert_non_null(it);
	snprintf(it->key, sizeof(it->key), "k%d", n);
	it->n = n;
	return it;
}

static void put(struct ss_map *m, struct item *it)
{
	union ss_map_value *v;
	bool added;

	assert_int_equal(ss_map_put(m, it->key, strlen(it->key), &v, &added), 0);
	assert_true(added);
	v->ptr = it;
}

static void free_all(struct ss_map *m)
{
	struct ss_map_entry e;
	size_t pos = 0;

	while (ss_map_next(m, &pos, &e))
		free(e.value.ptr);
	ss_map_free(m);
}

static void test_records_map__move(void **state)
{
	unsigned flags[] = {0, SS_MAP_COPY_KEYS};
	size_t f;
	int i;

	(void)state;
	for (f = 0; f < 2; f++) {
		struct ss_map *to = NULL, *from = NULL;
		union ss_map_value *v;

		assert_int_equal(ss_map_new(&to, flags[f], NULL), 0);
		assert_int_equal(ss_map_new(&from, flags[f], NULL), 0);
		for (i = 0; i < 100; i++)
			put(to, item(i));
		/* 50 to 149: 50 to 99 are in `to` already */
		for (i = 50; i < 150; i++)
			put(from, item(i));
		dropped = 0;
		assert_int_equal(ss_map_move(to, from, drop), 0);
		assert_int_equal(dropped, 50);
		assert_int_equal(ss_map_count(to), 150);
		for (i = 0; i < 150; i++) {
			char key[16];

			snprintf(key, sizeof(key), "k%d", i);
			v = ss_map_get(to, key, strlen(key));
			assert_non_null(v);
			assert_int_equal(((struct item *)v->ptr)->n, i);
			assert_string_equal(((struct item *)v->ptr)->key, key);
		}
		free_all(to);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_records_map__move),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
