/* JVMTI agent for tools/codedump: writes the machine code of every method HotSpot compiles whose
 * "class.name(signature)" contains the agent's option (default "Unit") to DIR/<n>.bin, with a line
 * "<n> <address> <size> <name>" in DIR/index.txt (DIR: $CODEDUMP_DIR, default /tmp/codedump), so
 * that objdump can show what C1 and C2 made of a unit without an hsdis library. */
#include <jvmti.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>

static char filter[256] = "Unit";
static char dir[512] = "/tmp/codedump";
static int counter;
static FILE *index_file;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* the compiler threads report at once */

static void JNICALL loaded(jvmtiEnv *jvmti, jmethodID m, jint size, const void *addr,
                           jint map_len, const jvmtiAddrLocationMap *map, const void *compile_info) {
    char *name = NULL, *sig = NULL, *cname = NULL;
    jclass k;
    if ((*jvmti)->GetMethodName(jvmti, m, &name, &sig, NULL) != JVMTI_ERROR_NONE) return;
    if ((*jvmti)->GetMethodDeclaringClass(jvmti, m, &k) == JVMTI_ERROR_NONE)
        (*jvmti)->GetClassSignature(jvmti, k, &cname, NULL);
    char full[1024];
    snprintf(full, sizeof full, "%s.%s%s", cname ? cname : "?", name, sig);
    if (strstr(full, filter)) {
        char path[600];
        pthread_mutex_lock(&lock);
        int n = counter++;
        snprintf(path, sizeof path, "%s/%d.bin", dir, n);
        FILE *f = fopen(path, "wb");
        if (f) { fwrite(addr, 1, size, f); fclose(f); }
        fprintf(index_file, "%d %p %d %s\n", n, addr, size, full);
        fflush(index_file);
        pthread_mutex_unlock(&lock);
    }
    (*jvmti)->Deallocate(jvmti, (unsigned char *) name);
    (*jvmti)->Deallocate(jvmti, (unsigned char *) sig);
    if (cname) (*jvmti)->Deallocate(jvmti, (unsigned char *) cname);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
    jvmtiEnv *jvmti;
    if (options && *options) snprintf(filter, sizeof filter, "%s", options);
    const char *d = getenv("CODEDUMP_DIR");
    if (d && *d) snprintf(dir, sizeof dir, "%s", d);
    mkdir(dir, 0755);
    char path[600];
    snprintf(path, sizeof path, "%s/index.txt", dir);
    index_file = fopen(path, "w");
    if (!index_file) return 1;
    if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK) return 1;
    jvmtiCapabilities caps = {0};
    caps.can_generate_compiled_method_load_events = 1;
    (*jvmti)->AddCapabilities(jvmti, &caps);
    jvmtiEventCallbacks cb = {0};
    cb.CompiledMethodLoad = loaded;
    (*jvmti)->SetEventCallbacks(jvmti, &cb, sizeof cb);
    (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_COMPILED_METHOD_LOAD, NULL);
    return 0;
}
