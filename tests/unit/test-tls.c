/*
 * test-tls.c - per-thread state (gen/base/tls.c): a thread gets one
 * zeroed block per key and the same one every time; another thread gets
 * its own; two keys never share; the free function runs once for each
 * thread that used a key, when it ends; eight threads asking at once for
 * a key none has used yet all get state of their own.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "tls.h"
#include "testlib.h"

struct state {
	int	 uses;
	char	 pad[100];
};

static atomic_int freed;

static void
state_free(void *v)
{
	atomic_fetch_add(&freed, 1);
	free(v);
}

static struct tls_key key_a = TLS_KEY(sizeof(struct state), state_free);
static struct tls_key key_b = TLS_KEY(sizeof(struct state), state_free);
static struct tls_key key_c = TLS_KEY(sizeof(struct state), state_free);

struct job {
	struct state	*a, *b;
	int		 zeroed, same;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	struct state *s;
	int k;

	j->a = tls_get(&key_a);
	j->zeroed = j->a->uses == 0 && j->a->pad[99] == 0;
	j->same = 1;
	for (k = 0; k < 100; k++) {
		s = tls_get(&key_a);
		s->uses++;
		j->same &= s == j->a;
	}
	j->b = tls_get(&key_b);
	return NULL;
}

/* Eight threads at once on a key nobody has used. */
static void *
racer(void *arg)
{
	struct state **out = arg;

	*out = tls_get(&key_c);
	(*out)->uses = 1;
	return NULL;
}

int
main(void)
{
	struct job jobs[4];
	struct state *mine, *raced[8];
	pthread_t t[8];
	int i, k, distinct = 1;

	mine = tls_get(&key_a);
	CHECK(mine != NULL && mine->uses == 0);
	mine->uses = 42;
	CHECK(tls_get(&key_a) == mine);
	CHECK(tls_get(&key_b) != mine);
	for (i = 0; i < 4; i++)
		CHECK_INT(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
	for (i = 0; i < 4; i++)
		CHECK_INT(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 4; i++) {
		CHECK(jobs[i].zeroed && jobs[i].same);
		CHECK(jobs[i].a != mine && jobs[i].b != jobs[i].a);
	}
	/* Each ended thread freed its two blocks; ours are still there. */
	CHECK_INT(atomic_load(&freed), 8);
	CHECK_INT(((struct state *)tls_get(&key_a))->uses, 42);
	for (i = 0; i < 8; i++)
		CHECK_INT(pthread_create(&t[i], NULL, racer, &raced[i]), 0);
	for (i = 0; i < 8; i++)
		CHECK_INT(pthread_join(t[i], NULL), 0);
	for (i = 0; i < 8; i++)
		for (k = i + 1; k < 8; k++)
			distinct &= raced[i] != raced[k] || raced[i] == NULL;
	CHECK(distinct);
	CHECK_INT(atomic_load(&freed), 16);
	/* The main thread's blocks are freed here, as its threads' are. */
	state_free(tls_get(&key_a));
	state_free(tls_get(&key_b));
	return test_report();
}
