/* Sorting arrays: recursive quicksort, heapsort and insertion sort on integers,
 * and a generic sort of records through a comparison function pointer. */
#include "cbench.h"

#define ELEMS 600

struct rec {
    u32 id;
    u16 group;
    s16 score;
};

static u32 a[ELEMS], b[ELEMS];
static struct rec recs[ELEMS];

static void swap32(u32 *x, u32 *y)
{
    u32 t = *x;
    *x = *y;
    *y = t;
}

static void insertion(u32 *v, int n)
{
    for (int i = 1; i < n; i++) {
        u32 x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quick(u32 *v, int lo, int hi)
{
    while (hi - lo > 12) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap32(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap32(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap32(&v[hi], &v[mid]);
        u32 pivot = v[mid];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j)
                swap32(&v[i++], &v[j--]);
        }
        /* Recurse into the smaller half, loop on the larger. */
        if (j - lo < hi - i) {
            quick(v, lo, j);
            lo = i;
        } else {
            quick(v, i, hi);
            hi = j;
        }
    }
    insertion(v + lo, hi - lo + 1);
}

static void sift(u32 *v, int root, int n)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[root] >= v[child])
            return;
        swap32(&v[root], &v[child]);
        root = child;
    }
}

static void heap(u32 *v, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift(v, i, n);
    for (int end = n - 1; end > 0; end--) {
        swap32(&v[0], &v[end]);
        sift(v, 0, end);
    }
}

typedef int (*rec_cmp)(const struct rec *, const struct rec *);

static int by_group_score(const struct rec *x, const struct rec *y)
{
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int by_id(const struct rec *x, const struct rec *y) { return x->id < y->id ? -1 : x->id > y->id; }

/* Shell sort through the comparison function (an indirect call per compare). */
static void shell(struct rec *v, int n, rec_cmp cmp)
{
    static const int gaps[] = { 132, 57, 23, 10, 4, 1 };
    for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
        int gap = gaps[g];
        for (int i = gap; i < n; i++) {
            struct rec x = v[i];
            int j = i;
            while (j >= gap && cmp(&v[j - gap], &x) > 0) {
                v[j] = v[j - gap];
                j -= gap;
            }
            v[j] = x;
        }
    }
}

static u64 digest(const u32 *v, int n)
{
    u64 h = 0;
    for (int i = 0; i < n; i += 7)
        h = mix(h, v[i]);
    return h;
}

static int sorted(const u32 *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 0;
    return 1;
}

u64 k_sort(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    for (int i = 0; i < ELEMS; i++) {
        a[i] = (u32)rng_next(&r) >> 8;
        recs[i].id = (u32)i * 7919u % 10007u;
        recs[i].group = (u16)rng_below(&r, 9);
        recs[i].score = (s16)(rng_below(&r, 2000) - 1000);
    }
    memcpy(b, a, sizeof a);
    quick(a, 0, ELEMS - 1);
    heap(b, ELEMS);
    u64 h = mix(digest(a, ELEMS), digest(b, ELEMS));
    h = mix(h, (u64)sorted(a, ELEMS) << 1 | (u64)(memcmp(a, b, sizeof a) == 0));
    shell(recs, ELEMS, by_group_score);
    for (int i = 0; i < ELEMS; i += 11)
        h = mix(h, (u64)recs[i].id << 16 | recs[i].group);
    shell(recs, ELEMS, by_id);
    return mix(h, recs[ELEMS / 2].id ^ (u64)(u16)recs[ELEMS / 3].score << 20);
}
