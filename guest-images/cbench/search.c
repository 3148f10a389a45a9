/* Backtracking and graph search: N-queens with bit masks, a knapsack by
 * recursion with memo, and breadth-first search over a generated grid. */
#include "cbench.h"

static int queens(u32 cols, u32 d1, u32 d2, u32 full)
{
    if (cols == full)
        return 1;
    int n = 0;
    u32 free = full & ~(cols | d1 | d2);
    while (free) {
        u32 bit = free & -free;
        free ^= bit;
        n += queens(cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1, full);
    }
    return n;
}

#define ITEMS 18
#define CAP 60

static u8 weight[ITEMS], value[ITEMS];
static s16 memo[ITEMS + 1][CAP + 1];

static int knap(int i, int cap)
{
    if (i == ITEMS)
        return 0;
    if (memo[i][cap] >= 0)
        return memo[i][cap];
    int best = knap(i + 1, cap);
    if (weight[i] <= cap) {
        int with = value[i] + knap(i + 1, cap - weight[i]);
        if (with > best)
            best = with;
    }
    memo[i][cap] = (s16)best;
    return best;
}

#define W 32
#define H 24

static u8 grid[H][W];
static s16 dist[H][W];
static u16 queue[W * H];

static int bfs(int sx, int sy, int tx, int ty)
{
    static const s8 dx[4] = { 1, -1, 0, 0 }, dy[4] = { 0, 0, 1, -1 };
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            dist[y][x] = -1;
    int qh = 0, qt = 0;
    dist[sy][sx] = 0;
    queue[qt++] = (u16)(sy * W + sx);
    while (qh < qt) {
        int cur = queue[qh++], cx = cur % W, cy = cur / W;
        if (cx == tx && cy == ty)
            return dist[cy][cx];
        for (int d = 0; d < 4; d++) {
            int nx = cx + dx[d], ny = cy + dy[d];
            if (nx < 0 || ny < 0 || nx >= W || ny >= H || grid[ny][nx] || dist[ny][nx] >= 0)
                continue;
            dist[ny][nx] = (s16)(dist[cy][cx] + 1);
            queue[qt++] = (u16)(ny * W + nx);
        }
    }
    return -1;
}

u64 k_search(u64 seed)
{
    struct rng r;
    rng_seed(&r, seed);
    u64 h = (u64)queens(0, 0, 0, (1u << (6 + rng_below(&r, 2))) - 1);
    for (int i = 0; i < ITEMS; i++) {
        weight[i] = (u8)(1 + rng_below(&r, 15));
        value[i] = (u8)(1 + rng_below(&r, 40));
    }
    memset(memo, 0xff, sizeof memo);
    h = mix(h, (u64)knap(0, CAP));
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            grid[y][x] = rng_below(&r, 100) < 28;
    grid[0][0] = grid[H - 1][W - 1] = 0;
    h = mix(h, (u64)(s64)bfs(0, 0, W - 1, H - 1));
    return mix(h, (u64)(s64)bfs(W - 1, 0, 0, H - 1));
}
