/*
 * noted.c - what each commit changed from its first parent, noted by the
 * object check (objects.c) from the directories it has just read and hashed,
 * so that a walk diffing the same commits against their parents next (as
 * verify does) need not read those directories again. ss_git_diff answers
 * from a note when it holds one for the pair asked. A note is the diff
 * ss_git_diff computes, in its order: both merge the two sides' sorted
 * entries depth first, skipping equal subtrees by id. A commit whose
 * directories cannot all be read or parsed here gets no note (ss_git_diff
 * then reads them as before).
 */
#include "git_int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "map.h"

#define NOTE_MAX 4096 /* more changed files than this: no note (rare; read again) */

struct noted_change {
	char *path;
	int status; /* SS_PATH_* */
	struct ss_oid blob;
};

struct noted {
	git_oid from;
	size_t n;
	struct noted_change v[];
};

/* One directory of a side: its object and its entries as parsed. */
struct side {
	git_odb_object *obj;
	struct ss_git_tree_entry *e;
	size_t n, cap;
};

/* A directory of each side being merged: entries [i, a_end) and [j, b_end)
 * are left (the entries both sides end with, byte for byte, are not). */
struct frame {
	struct side a, b;
	size_t i, j, a_end, b_end, saved;
};

/* Directories a note parsed on its new side, kept for the next note, whose
 * old side they mostly are (a trail's commits are checked parents first). */
#define LAST_MAX 64
struct parsed {
	git_oid id;
	struct side side;
};
struct ss_git_note_last {
	struct parsed v[LAST_MAX];
	size_t n;
};

static void side_free(struct side *s)
{
	git_odb_object_free(s->obj);
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static void noted_free(struct noted *nt)
{
	size_t i;

	if (nt == NULL)
		return;
	for (i = 0; i < nt->n; i++)
		free(nt->v[i].path);
	free(nt);
}

/* The first n directories of a note's, and the note's. */
static void last_free(struct ss_git_note_last *l, size_t n)
{
	if (l == NULL)
		return;
	while (n > 0)
		side_free(&l->v[--n].side);
	free(l);
}

void ss_git_note_diffs(struct ss_trail *t, bool on)
{
	struct ss_map_entry e;
	size_t pos = 0;

	while (t->notes != NULL && ss_map_next(t->notes, &pos, &e))
		noted_free(e.value.ptr);
	ss_map_free(t->notes);
	t->notes = NULL;
	if (t->note_last != NULL)
		last_free(t->note_last, t->note_last->n);
	t->note_last = NULL;
	pos = 0;
	while (t->found != NULL && ss_map_next(t->found, &pos, &e))
		free(e.value.ptr);
	ss_map_free(t->found);
	t->found = NULL;
	if (on && (ss_map_new(&t->notes, SS_MAP_COPY_KEYS, NULL) != 0 ||
	           ss_map_new(&t->found, SS_MAP_COPY_KEYS, NULL) != 0)) {
		ss_map_free(t->notes); /* no notes: every diff is read */
		t->notes = NULL;
	}
}

static void drop_note(void *p)
{
	noted_free(p);
}

int ss_git_take_notes(struct ss_trail *t, struct ss_trail *from)
{
	int rc;

	if (t->notes == NULL || from->notes == NULL)
		return 0;
	rc = ss_map_move(t->notes, from->notes, drop_note);
	from->notes = NULL;
	return rc;
}

struct note_ctx {
	ss_git_tree_get_fn get;
	void *get_ctx;
	struct frame *stack;
	size_t n, cap;
	struct ss_buf path;
	struct noted_change *v;
	size_t nv, capv;
	struct parsed *last; /* the last note's, taken from as they are used */
	size_t nlast;
	struct ss_git_note_last *next; /* this note's, for the next */
};

static const char *side_data(const struct side *s)
{
	return git_odb_object_data(s->obj);
}

/* Where side's entry k starts (k == n: its end). */
static size_t side_at(const struct side *s, size_t k)
{
	return k == 0 ? 0 : (size_t)((const char *)s->e[k - 1].id + GIT_OID_RAWSZ - side_data(s));
}

/* Entries [from, to) of a, moved by `by` bytes (into s's), after s's. */
static void side_take(struct side *s, const struct side *a, size_t from, size_t to, ptrdiff_t by)
{
	for (; from < to; from++) {
		struct ss_git_tree_entry *e = &s->e[s->n++];

		*e = a->e[from];
		e->name += by;
		e->id += by;
	}
}

/*
 * A directory's entries, read plainly: the check has just parsed it with
 * ss_git_tree_parse, and notes are used only when the check found nothing
 * wrong, so only its shape is checked here (0, or 1 when it is not a
 * directory as git writes one: no note). With a, the other side, parsed: the
 * entries s shares with it byte for byte at its start and at its end are
 * a's, moved to s's bytes (*head and *tail of them), not read again.
 */
static int side_parse(struct side *s, const struct side *a, size_t *head, size_t *tail)
{
	const char *base = side_data(s), *p = base, *end = p + git_odb_object_size(s->obj);
	size_t len = git_odb_object_size(s->obj), alen = 0, same_tail = 0;

	*head = *tail = 0;
	s->cap = len / 28 + 1; /* "40000 x\0" and an id: the shortest */
	if ((s->e = malloc(s->cap * sizeof(*s->e))) == NULL)
		return ss_error_nomem();
	if (a != NULL && a->obj != NULL) {
		size_t same;

		alen = git_odb_object_size(a->obj);
		same = ss_git_shared_head((const unsigned char *)base,
		                          (const unsigned char *)side_data(a),
		                          len < alen ? len : alen);
		while (*head < a->n && *head < s->cap && side_at(a, *head + 1) <= same)
			(*head)++;
		side_take(s, a, 0, *head, base - side_data(a));
		p += side_at(a, *head);
		same_tail = ss_git_shared_tail((const unsigned char *)base, len,
		                               (const unsigned char *)side_data(a), alen);
	}
	while (p < end) {
		const char *sp, *nul;
		struct ss_git_tree_entry *e;
		size_t at = (size_t)(p - base);

		if (same_tail > 0 && at >= len - same_tail && at + alen >= len) {
			/* the rest is a's, from one of its entries' start? */
			size_t lo = *head, hi = a->n, want = at + alen - len;

			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;

				if (side_at(a, mid) < want)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < a->n && side_at(a, lo) == want && s->n + (a->n - lo) <= s->cap) {
				*tail = a->n - lo;
				side_take(s, a, lo, a->n, (base + len) - (side_data(a) + alen));
				return 0;
			}
		}
		sp = memchr(p, ' ', (size_t)(end - p));
		e = &s->e[s->n];
		if (sp == NULL || (nul = memchr(sp + 1, '\0', (size_t)(end - sp - 1))) == NULL ||
		    (size_t)(end - nul - 1) < GIT_OID_RAWSZ || s->n == s->cap)
			return 1;
		if ((size_t)(sp - p) == 5 && memcmp(p, "40000", 5) == 0)
			e->is_tree = true;
		else if ((size_t)(sp - p) == 6 && memcmp(p, "100644", 6) == 0)
			e->is_tree = false;
		else
			return 1;
		e->name = sp + 1;
		e->name_len = (size_t)(nul - e->name);
		e->id = (const unsigned char *)nul + 1;
		s->n++;
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

/* A directory by id, parsed (with a, the other side, as side_parse): 0, 1
 * when it cannot be had (no note), < 0. A directory the last note parsed on
 * its new side is taken from there (nothing shared is skipped then). */
static int side_load(struct note_ctx *d, const unsigned char *id, struct side *s,
                     const struct side *a, size_t *head, size_t *tail)
{
	git_oid gid;
	size_t i;

	*head = *tail = 0;
	for (i = 0; i < d->nlast; i++)
		if (memcmp(d->last[i].id.id, id, GIT_OID_RAWSZ) == 0) {
			*s = d->last[i].side;
			d->last[i] = d->last[--d->nlast];
			return 0;
		}
	memcpy(gid.id, id, GIT_OID_RAWSZ);
	if ((s->obj = d->get(d->get_ctx, &gid)) == NULL ||
	    git_odb_object_type(s->obj) != GIT_OBJECT_TREE)
		return 1;
	return side_parse(s, a, head, tail);
}

static int push(struct note_ctx *d, const struct ss_git_tree_entry *x,
                const struct ss_git_tree_entry *y, size_t saved)
{
	struct frame f;
	size_t head = 0, tail = 0;
	int rc = 0;

	memset(&f, 0, sizeof(f));
	f.saved = saved;
	if (d->n == d->cap) {
		size_t cap = d->cap > 0 ? d->cap * 2 : 16;
		struct frame *grown = realloc(d->stack, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		d->stack = grown;
		d->cap = cap;
	}
	if ((x != NULL && (rc = side_load(d, x->id, &f.a, NULL, &head, &tail)) != 0) ||
	    (y != NULL &&
	     (rc = side_load(d, y->id, &f.b, x != NULL ? &f.a : NULL, &head, &tail)) != 0)) {
		side_free(&f.a);
		side_free(&f.b);
		return rc;
	}
	/* What both sides share at their start and end holds no change. */
	f.i = f.j = head;
	f.a_end = f.a.n - (x != NULL ? tail : 0);
	f.b_end = f.b.n - tail;
	d->stack[d->n++] = f;
	return 0;
}

/* git's order of tree entries: a directory sorts as if its name ended in '/'. */
static int entry_cmp(const struct ss_git_tree_entry *x, const struct ss_git_tree_entry *y)
{
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = memcmp(x->name, y->name, n);
	unsigned char cx, cy;

	if (c != 0)
		return c;
	cx = n < x->name_len ? (unsigned char)x->name[n] : x->is_tree ? (unsigned char)'/' : 0;
	cy = n < y->name_len ? (unsigned char)y->name[n] : y->is_tree ? (unsigned char)'/' : 0;
	return (int)cx - (int)cy;
}

static int note(struct note_ctx *d, int status, const struct ss_git_tree_entry *y)
{
	struct noted_change *c;

	if (d->nv == NOTE_MAX)
		return 1;
	if (d->nv == d->capv) {
		size_t cap = d->capv > 0 ? d->capv * 2 : 4;
		struct noted_change *grown = realloc(d->v, cap * sizeof(*grown));

		if (grown == NULL)
			return ss_error_nomem();
		d->v = grown;
		d->capv = cap;
	}
	c = &d->v[d->nv];
	memset(c, 0, sizeof(*c));
	if ((c->path = strdup(d->path.data)) == NULL)
		return ss_error_nomem();
	c->status = status;
	if (y != NULL)
		memcpy(c->blob.id, y->id, GIT_OID_RAWSZ);
	d->nv++;
	return 0;
}

/* One step of the merge of the top frame's entries, as walk.c's diff_step. */
static int step(struct note_ctx *d)
{
	struct frame *f = &d->stack[d->n - 1];
	const struct ss_git_tree_entry *x = f->i < f->a_end ? &f->a.e[f->i] : NULL;
	const struct ss_git_tree_entry *y = f->j < f->b_end ? &f->b.e[f->j] : NULL;
	size_t saved = d->path.len;
	int c = x == NULL ? 1 : y == NULL ? -1 : entry_cmp(x, y);
	int rc;

	if (c < 0) {
		f->i++;
		y = NULL;
	} else if (c > 0) {
		f->j++;
		x = NULL;
	} else {
		f->i++;
		f->j++;
		if (memcmp(x->id, y->id, GIT_OID_RAWSZ) == 0)
			return 0;
	}
	if ((d->path.len > 0 && (rc = ss_buf_putc(&d->path, '/')) < 0) ||
	    (rc = ss_buf_put(&d->path, (x != NULL ? x : y)->name, (x != NULL ? x : y)->name_len)) <
	        0)
		return rc;
	if ((x != NULL ? x : y)->is_tree)
		return push(d, x, y, saved); /* f may move: not used below */
	rc = note(d, x == NULL ? SS_PATH_ADDED : y == NULL ? SS_PATH_DELETED : SS_PATH_MODIFIED, y);
	d->path.len = saved;
	d->path.data[saved] = '\0';
	return rc;
}

int ss_git_note_diff(struct ss_trail *t, const git_oid *commit, const git_oid *parent,
                     const git_oid *tree, const git_oid *parent_tree, ss_git_tree_get_fn get,
                     void *get_ctx)
{
	struct note_ctx d;
	struct ss_git_tree_entry ra, rb;
	struct noted *nt = NULL;
	union ss_map_value *slot;
	bool added;
	size_t i;
	int rc;

	if (t->notes == NULL)
		return 0;
	memset(&d, 0, sizeof(d));
	d.get = get;
	d.get_ctx = get_ctx;
	if ((d.next = calloc(1, sizeof(*d.next))) == NULL)
		return ss_error_nomem();
	if (t->note_last != NULL) {
		d.last = t->note_last->v;
		d.nlast = t->note_last->n;
	}
	d.path = (struct ss_buf)SS_BUF_INIT;
	memset(&ra, 0, sizeof(ra));
	memset(&rb, 0, sizeof(rb));
	ra.id = parent_tree->id;
	rb.id = tree->id;
	if ((rc = ss_buf_puts(&d.path, "")) < 0 || (rc = push(&d, &ra, &rb, 0)) != 0)
		goto out;
	while (d.n > 0) {
		struct frame *f = &d.stack[d.n - 1];

		if (f->i < f->a_end || f->j < f->b_end) {
			if ((rc = step(&d)) != 0)
				goto out;
			continue;
		}
		d.path.len = f->saved;
		d.path.data[f->saved] = '\0';
		side_free(&f->a);
		if (f->b.obj != NULL && d.next->n < LAST_MAX) {
			struct parsed *kp = &d.next->v[d.next->n++];

			git_oid_cpy(&kp->id, git_odb_object_id(f->b.obj));
			kp->side = f->b;
			memset(&f->b, 0, sizeof(f->b));
		}
		side_free(&f->b);
		d.n--;
	}
	nt = malloc(sizeof(*nt) + d.nv * sizeof(nt->v[0]));
	if (nt == NULL) {
		rc = ss_error_nomem();
		goto out;
	}
	git_oid_cpy(&nt->from, parent);
	nt->n = d.nv;
	if (d.nv > 0)
		memcpy(nt->v, d.v, d.nv * sizeof(nt->v[0]));
	if ((rc = ss_map_put(t->notes, commit->id, GIT_OID_RAWSZ, &slot, &added)) < 0) {
		free(nt);
		goto out;
	}
	if (!added)
		noted_free(slot->ptr);
	slot->ptr = nt;
	d.nv = 0; /* the paths belong to the note now */
out:
	while (d.n > 0) {
		d.n--;
		side_free(&d.stack[d.n].a);
		side_free(&d.stack[d.n].b);
	}
	for (i = 0; i < d.nv; i++)
		free(d.v[i].path);
	free(d.v);
	last_free(t->note_last, d.nlast);
	t->note_last = d.next;
	free(d.stack);
	ss_buf_release(&d.path);
	git_error_clear();
	return rc < 0 ? rc : 0;
}

int ss_git_noted_diff(struct ss_trail *t, const struct ss_oid *from, const struct ss_oid *to,
                      ss_diff_fn fn, void *ctx)
{
	union ss_map_value *slot;
	const struct noted *nt;
	git_oid f;
	size_t i;
	int rc;

	if (t->notes == NULL || from == NULL ||
	    (slot = ss_map_get(t->notes, to->id, GIT_OID_RAWSZ)) == NULL)
		return 1;
	nt = slot->ptr;
	to_git(&f, from);
	if (!git_oid_equal(&f, &nt->from))
		return 1;
	for (i = 0; i < nt->n; i++) {
		struct ss_path_change c;

		c.path = nt->v[i].path;
		c.status = nt->v[i].status;
		c.blob = c.status != SS_PATH_DELETED ? &nt->v[i].blob : NULL;
		if ((rc = fn(ctx, &c)) != 0)
			return rc;
	}
	return 0;
}

/* ------------------------------------------------------ files by path */

/* The last answer for a path: where it was looked up, and what was there. */
struct found {
	struct ss_oid commit;
	int rc;       /* 0 or SS_ENOTFOUND */
	bool notfile; /* SS_ENOTFOUND: there is a directory of that name */
	struct ss_oid blob;
};

/* Does a note of a commit change path, or anything below a directory of
 * that name (which may have come or gone)? */
static bool note_touches(const struct noted *nt, const char *path)
{
	size_t i, n = strlen(path);

	for (i = 0; i < nt->n; i++)
		if (strncmp(nt->v[i].path, path, n) == 0 &&
		    (nt->v[i].path[n] == '\0' || nt->v[i].path[n] == '/'))
			return true;
	return false;
}

int ss_git_noted_blob(struct ss_trail *t, const struct ss_oid *commit, const char *path,
                      struct ss_oid *out)
{
	union ss_map_value *slot, *ns;
	struct found *f;

	if (t->found == NULL || (slot = ss_map_gets(t->found, path)) == NULL)
		return 1;
	if ((f = slot->ptr) == NULL)
		return 1;
	if (!ss_oid_equal(&f->commit, commit)) {
		const struct noted *nt;
		git_oid from;

		/* The commit after the one last asked about, which left the path
		 * as it was: the same answer. */
		if ((ns = ss_map_get(t->notes, commit->id, GIT_OID_RAWSZ)) == NULL)
			return 1;
		nt = ns->ptr;
		to_git(&from, &f->commit);
		if (!git_oid_equal(&from, &nt->from) || note_touches(nt, path))
			return 1;
		f->commit = *commit;
	}
	if (f->rc == 0) {
		*out = f->blob;
		return 0;
	}
	return f->notfile
	           ? ss_error_set(SS_ENOTFOUND, _("'%s' in the audit trail is not a file"), path)
	           : ss_error_set(SS_ENOTFOUND, _("no '%s' in the audit trail"), path);
}

int ss_git_note_blob(struct ss_trail *t, const struct ss_oid *commit, const char *path, int rc,
                     bool notfile, const struct ss_oid *blob)
{
	union ss_map_value *slot;
	struct found *f;
	bool added;

	if (t->found == NULL || (rc != 0 && rc != SS_ENOTFOUND))
		return 0;
	if (ss_map_puts(t->found, path, &slot, &added) != 0)
		return ss_error_nomem();
	if (added && (slot->ptr = calloc(1, sizeof(struct found))) == NULL)
		return ss_error_nomem();
	f = slot->ptr;
	f->commit = *commit;
	f->rc = rc;
	f->notfile = notfile;
	if (rc == 0)
		f->blob = *blob;
	return 0;
}
