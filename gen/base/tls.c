/*
 * tls.c - tls_get() (tls.h): one pthread key per struct tls_key, created
 * the first time any thread asks (under a lock, then seen through an
 * atomic flag), and a zeroed block per thread set on it.
 */
#include <stdlib.h>

#include "err.h"
#include "tls.h"

static pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;

void *
tls_get(struct tls_key *k)
{
	void *v;

	if (!atomic_load_explicit(&k->ready, memory_order_acquire)) {
		pthread_mutex_lock(&tls_lock);
		if (!atomic_load_explicit(&k->ready, memory_order_relaxed)) {
			if (pthread_key_create(&k->key, k->free_fn) != 0)
				xfatal("pthread_key_create: out of keys");
			atomic_store_explicit(&k->ready, 1,
			    memory_order_release);
		}
		pthread_mutex_unlock(&tls_lock);
	}
	if ((v = pthread_getspecific(k->key)) == NULL) {
		v = xcalloc(1, k->size);
		pthread_setspecific(k->key, v);
	}
	return v;
}
