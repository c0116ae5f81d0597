/*
 * tls.h - per-thread state: a struct of a module's, made zeroed the first
 * time a thread asks for it and freed, with the module's function, when
 * that thread ends.  The render path keeps what it may reuse from one
 * document to the next this way (the zlib stream, HarfBuzz's buffer, the
 * memos of typeset text, font subsets, deflated streams and country
 * names, libharu's arena, the last logo): per thread, so no locks.
 *
 *     static struct tls_key memo_key = TLS_KEY(sizeof(struct memo), memo_free);
 *     struct memo *m = tls_get(&memo_key);
 *
 * free_fn gets the state when its thread ends, and must free it (and
 * what it holds).  The process's main thread never ends that way: its
 * state stays reachable until exit, like any other static data.
 */
#ifndef INVGEN_TLS_H
#define INVGEN_TLS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

struct tls_key {
	size_t		 size;
	void		(*free_fn)(void *);
	atomic_int	 ready;		/* key created */
	pthread_key_t	 key;
};

#define TLS_KEY(size, free_fn)	{ (size), (free_fn), 0, 0 }

/* The calling thread's state of k: made (zeroed, size bytes) on first
 * use. */
void *tls_get(struct tls_key *k);

#endif
