/* Linked lists: build, merge sort by two keys, search, delete, reverse. */
#include "cbench.h"

#define NODES 400

struct node {
    struct node *next;
    u32 key;
    s32 value;
    u16 tag[4];
};

static struct node pool[NODES];

typedef int (*node_cmp)(const struct node *, const struct node *);

static int by_key(const struct node *a, const struct node *b)
{
    return a->key < b->key ? -1 : a->key > b->key;
}

static int by_value(const struct node *a, const struct node *b)
{
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return by_key(a, b);
}

static struct node *build(struct rng *r, int n)
{
    struct node *head = 0;
    for (int i = 0; i < n; i++) {
        struct node *p = &pool[i];
        p->key = rng_below(r, 100000);
        p->value = (s32)(rng_next(r) & 0xffff) - 0x8000;
        for (int t = 0; t < 4; t++)
            p->tag[t] = (u16)(p->key >> (t * 3));
        p->next = head;
        head = p;
    }
    return head;
}

static struct node *merge(struct node *a, struct node *b, node_cmp cmp)
{
    struct node dummy;
    struct node *tail = &dummy;
    while (a && b) {
        if (cmp(a, b) <= 0) {
            tail->next = a;
            a = a->next;
        } else {
            tail->next = b;
            b = b->next;
        }
        tail = tail->next;
    }
    tail->next = a ? a : b;
    return dummy.next;
}

/* Bottom-up merge sort: runs of width 1, 2, 4, ... */
static struct node *sort(struct node *head, node_cmp cmp)
{
    if (!head)
        return 0;
    for (int width = 1;; width *= 2) {
        struct node *rest = head, *out = 0, *tail = 0;
        int merges = 0;
        while (rest) {
            struct node *a = rest, *b;
            int i;
            for (i = 1; i < width && rest->next; i++)
                rest = rest->next;
            b = rest->next;
            rest->next = 0;
            rest = b;
            for (i = 1; i < width && rest && rest->next; i++)
                rest = rest->next;
            if (rest) {
                struct node *n = rest->next;
                rest->next = 0;
                rest = n;
            }
            struct node *m = merge(a, b, cmp);
            if (tail)
                tail->next = m;
            else
                out = m;
            while (m->next)
                m = m->next;
            tail = m;
            merges++;
        }
        head = out;
        if (merges <= 1)
            return head;
    }
}

static struct node *find(struct node *head, u32 key)
{
    for (; head; head = head->next)
        if (head->key == key)
            return head;
    return 0;
}

static struct node *remove_if(struct node *head, int (*pred)(const struct node *), int *removed)
{
    struct node **link = &head;
    while (*link) {
        if (pred(*link)) {
            *link = (*link)->next;
            (*removed)++;
        } else {
            link = &(*link)->next;
        }
    }
    return head;
}

static int odd_tag(const struct node *n) { return (n->tag[1] ^ n->tag[3]) & 1; }

static struct node *reverse(struct node *head)
{
    struct node *prev = 0;
    while (head) {
        struct node *n = head->next;
        head->next = prev;
        prev = head;
        head = n;
    }
    return prev;
}

static u64 fold(const struct node *head)
{
    u64 h = 0;
    int i = 0;
    for (; head; head = head->next, i++)
        h = mix(h, (u64)head->key * 31 + (u64)(u32)head->value + (u64)i);
    return h;
}

u64 k_list(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    struct node *head = build(&r, NODES);
    head = sort(head, by_key);
    u64 h = fold(head);
    int found = 0;
    for (int i = 0; i < 64; i++) {
        struct node *n = find(head, rng_below(&r, 100000));
        if (n) {
            found++;
            n->value += i;
        }
    }
    int removed = 0;
    head = remove_if(head, odd_tag, &removed);
    head = reverse(head);
    h = mix(h, fold(head));
    head = sort(head, by_value);
    h = mix(h, fold(head));
    return mix(h, (u64)found << 16 | (u64)removed);
}
