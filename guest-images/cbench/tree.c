/* An AVL tree in a node pool: insert with rotations, lookups, recursive
 * traversals, and deletion of a range of keys. */
#include "cbench.h"

#define TREE_NODES 512

struct tnode {
    struct tnode *left, *right;
    u32 key;
    s32 height;
    u64 payload;
};

static struct tnode tpool[TREE_NODES];
static int tused;

static s32 height(const struct tnode *n) { return n ? n->height : 0; }
static s32 max32(s32 a, s32 b) { return a > b ? a : b; }
static void update(struct tnode *n) { n->height = 1 + max32(height(n->left), height(n->right)); }

static struct tnode *rotate_right(struct tnode *y)
{
    struct tnode *x = y->left;
    y->left = x->right;
    x->right = y;
    update(y);
    update(x);
    return x;
}

static struct tnode *rotate_left(struct tnode *x)
{
    struct tnode *y = x->right;
    x->right = y->left;
    y->left = x;
    update(x);
    update(y);
    return y;
}

static struct tnode *balance(struct tnode *n)
{
    update(n);
    s32 b = height(n->left) - height(n->right);
    if (b > 1) {
        if (height(n->left->left) < height(n->left->right))
            n->left = rotate_left(n->left);
        return rotate_right(n);
    }
    if (b < -1) {
        if (height(n->right->right) < height(n->right->left))
            n->right = rotate_right(n->right);
        return rotate_left(n);
    }
    return n;
}

static struct tnode *insert(struct tnode *n, u32 key, u64 payload)
{
    if (!n) {
        if (tused == TREE_NODES)
            return 0;
        struct tnode *t = &tpool[tused++];
        t->left = t->right = 0;
        t->key = key;
        t->height = 1;
        t->payload = payload;
        return t;
    }
    if (key < n->key)
        n->left = insert(n->left, key, payload);
    else if (key > n->key)
        n->right = insert(n->right, key, payload);
    else
        n->payload += payload;
    return balance(n);
}

static struct tnode *min_node(struct tnode *n)
{
    while (n->left)
        n = n->left;
    return n;
}

static struct tnode *delete_min(struct tnode *n)
{
    if (!n->left)
        return n->right;
    n->left = delete_min(n->left);
    return balance(n);
}

static struct tnode *delete(struct tnode *n, u32 key)
{
    if (!n)
        return 0;
    if (key < n->key) {
        n->left = delete(n->left, key);
    } else if (key > n->key) {
        n->right = delete(n->right, key);
    } else {
        struct tnode *l = n->left, *r = n->right;
        if (!r)
            return l;
        struct tnode *m = min_node(r);
        m->right = delete_min(r);
        m->left = l;
        return balance(m);
    }
    return balance(n);
}

static const struct tnode *lookup(const struct tnode *n, u32 key)
{
    while (n && n->key != key)
        n = key < n->key ? n->left : n->right;
    return n;
}

static u64 walk(const struct tnode *n, u64 h, int depth)
{
    if (!n)
        return h;
    h = walk(n->left, h, depth + 1);
    h = mix(h, (u64)n->key << 8 | (u64)depth);
    return walk(n->right, h, depth + 1);
}

static int count(const struct tnode *n) { return n ? 1 + count(n->left) + count(n->right) : 0; }

u64 k_tree(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    tused = 0;
    struct tnode *root = 0;
    for (int i = 0; i < 400; i++)
        root = insert(root, rng_below(&r, 5000), i);
    u64 h = walk(root, 0, 0);
    u64 hits = 0;
    for (int i = 0; i < 300; i++) {
        const struct tnode *t = lookup(root, rng_below(&r, 5000));
        if (t)
            hits += t->payload + 1;
    }
    for (u32 k = 1000; k < 2500; k += 3)
        root = delete(root, k);
    h = mix(h, walk(root, hits, 0));
    return mix(h, (u64)count(root) << 8 | (u64)height(root));
}
