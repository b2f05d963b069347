// Loaded with LD_PRELOAD into a writer, this kills it with SIGKILL exactly before or after its
// Nth write commit, so the crash test can stop a run at every commit boundary, not only at
// random moments. Nothing in Larder knows about it.
//
//   LARDER_KILL_AT_COMMIT=N:before|N:after   kill around the Nth write commit (1-based)
//   LARDER_COMMIT_COUNT=FILE                 after each write commit, write the count there
#define _GNU_SOURCE
#include <dlfcn.h>
#include <lmdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static MDB_txn *writers[64];  // write transactions begun and not yet ended
static int commits;

static void remember(MDB_txn *txn) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < 64; i++) if (!writers[i]) { writers[i] = txn; break; }
    pthread_mutex_unlock(&lock);
}

static int forget(MDB_txn *txn) {
    int found = 0;
    pthread_mutex_lock(&lock);
    for (int i = 0; i < 64; i++) if (writers[i] == txn) { writers[i] = NULL; found = 1; break; }
    pthread_mutex_unlock(&lock);
    return found;
}

int mdb_txn_begin(MDB_env *env, MDB_txn *parent, unsigned int flags, MDB_txn **txn) {
    static int (*real)(MDB_env *, MDB_txn *, unsigned int, MDB_txn **);
    if (!real) real = dlsym(RTLD_NEXT, "mdb_txn_begin");
    int rc = real(env, parent, flags, txn);
    if (rc == 0 && !(flags & MDB_RDONLY)) remember(*txn);
    return rc;
}

void mdb_txn_abort(MDB_txn *txn) {
    static void (*real)(MDB_txn *);
    if (!real) real = dlsym(RTLD_NEXT, "mdb_txn_abort");
    forget(txn);
    real(txn);
}

int mdb_txn_commit(MDB_txn *txn) {
    static int (*real)(MDB_txn *);
    if (!real) real = dlsym(RTLD_NEXT, "mdb_txn_commit");
    if (!forget(txn)) return real(txn);
    int number = ++commits;
    const char *kill = getenv("LARDER_KILL_AT_COMMIT");
    int target = kill ? atoi(kill) : 0;
    int after = kill && strstr(kill, ":after") != NULL;
    if (number == target && !after) raise(SIGKILL);
    int rc = real(txn);
    if (number == target && after) raise(SIGKILL);
    const char *count = getenv("LARDER_COMMIT_COUNT");
    if (count) {
        FILE *file = fopen(count, "w");
        if (file) { fprintf(file, "%d\n", number); fclose(file); }
    }
    return rc;
}
