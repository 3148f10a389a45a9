/* fdt: a headerless raw image (prebuilt/fdt.bin, loaded by -kernel at 0x40080000) that
 * finds the device tree through x0, as QEMU's -kernel hands it to a raw image, walks it and
 * prints what it finds: the header, then every node of the devices a64trap models with all
 * their properties (QEMU's extra devices -- virtio, PCIe, fw-cfg, RTC, GPIO, the GIC ITS --
 * and chosen's random seeds are skipped by name), then a summary read from those properties.
 * PL011 console, SYS_EXIT 0; exit 1 without a valid DTB at x0. Needs -M virt,gic-version=3. */
#include "runtime.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static const u8 *blob;
static u32 off_struct, off_strings, size_struct;

/* Byte loads only: with the MMU off RAM is Device memory, where hardware faults unaligned accesses. */
static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }
static u64 be64(const u8 *p) { return (u64)be32(p) << 32 | be32(p + 4); }
static u32 hdr(int i) { return be32(blob + 4 * i); }

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* "pl011@9000000" matches "pl011"; "memory" matches "memory@40000000". */
static int name_is(const char *name, const char *base)
{
    while (*base && *name == *base)
        name++, base++;
    return !*base && (!*name || *name == '@');
}

static const char *const modelled[] = {"psci", "memory", "pl011", "pmu", "intc", "flash", "cpus", "timer", "apb-pclk", "chosen"};

static int shown(int depth, const char *top)
{
    if (depth == 0)
        return 1;
    for (unsigned i = 0; i < sizeof modelled / sizeof modelled[0]; i++)
        if (name_is(top, modelled[i]))
            return depth == 1 || name_is(top, "cpus"); /* cpus: the whole subtree; intc: not its ITS */
    return 0;
}

static int skipped_prop(const char *name)
{
    return streq(name, "rng-seed") || streq(name, "kaslr-seed"); /* QEMU fills them from host randomness */
}

static int printable_strings(const u8 *v, u32 len)
{
    if (len == 0 || v[len - 1] != 0 || v[0] == 0)
        return 0;
    for (u32 i = 0; i < len; i++) {
        if (v[i] == 0) {
            if (i + 1 < len && v[i + 1] == 0)
                return 0;
        } else if (v[i] < 0x20 || v[i] > 0x7e) {
            return 0;
        }
    }
    return 1;
}

static void print_value(const u8 *v, u32 len)
{
    if (len == 0) {
        printf(";\n");
    } else if (printable_strings(v, len)) {
        printf(" = \"");
        for (u32 i = 0; i + 1 < len; i++) {
            if (v[i])
                console_putc(v[i]);
            else
                printf("\", \"");
        }
        printf("\";\n");
    } else if (len % 4 == 0) {
        printf(" = <");
        for (u32 i = 0; i < len; i += 4)
            printf(i ? " 0x%x" : "0x%x", be32(v + i));
        printf(">;\n");
    } else {
        printf(" = [");
        for (u32 i = 0; i < len; i++)
            printf(i ? " %02x" : "%02x", v[i]);
        printf("];\n");
    }
}

/* What the summary needs, captured during the walk. */
static struct {
    u64 mem_base, mem_size;
    u64 uart_base, gicd, gicr;
    u32 uart_spi, timer_ppi[4], pmu_ppi, clock_hz, ncpus;
    int have_pmu;
    char method[8], gic[16], bootargs[128], stdout_path[32];
} found;

static void copy_str(char *d, unsigned n, const u8 *s)
{
    unsigned i = 0;
    for (; i + 1 < n && s[i]; i++)
        d[i] = s[i];
    d[i] = 0;
}

static void capture(const char *top, int depth, const char *node, const char *prop, const u8 *v, u32 len)
{
    if (depth == 1 && name_is(top, "memory") && streq(prop, "reg") && len >= 16) {
        found.mem_base = be64(v);
        found.mem_size = be64(v + 8);
    } else if (depth == 1 && name_is(top, "pl011") && streq(prop, "reg") && len >= 8) {
        found.uart_base = be64(v);
    } else if (depth == 1 && name_is(top, "pl011") && streq(prop, "interrupts") && len >= 12) {
        found.uart_spi = be32(v + 4) + 32;
    } else if (depth == 1 && name_is(top, "timer") && streq(prop, "interrupts") && len >= 48) {
        for (int i = 0; i < 4; i++)
            found.timer_ppi[i] = be32(v + 12 * i + 4) + 16;
    } else if (depth == 1 && name_is(top, "pmu") && streq(prop, "interrupts") && len >= 12) {
        found.have_pmu = 1;
        found.pmu_ppi = be32(v + 4) + 16;
    } else if (depth == 1 && name_is(top, "intc") && streq(prop, "compatible")) {
        copy_str(found.gic, sizeof found.gic, v);
    } else if (depth == 1 && name_is(top, "intc") && streq(prop, "reg") && len >= 32) {
        found.gicd = be64(v);
        found.gicr = be64(v + 16);
    } else if (depth == 1 && name_is(top, "psci") && streq(prop, "method")) {
        copy_str(found.method, sizeof found.method, v);
    } else if (depth == 1 && name_is(top, "apb-pclk") && streq(prop, "clock-frequency") && len == 4) {
        found.clock_hz = be32(v);
    } else if (depth == 1 && name_is(top, "chosen") && streq(prop, "bootargs")) {
        copy_str(found.bootargs, sizeof found.bootargs, v);
    } else if (depth == 1 && name_is(top, "chosen") && streq(prop, "stdout-path")) {
        copy_str(found.stdout_path, sizeof found.stdout_path, v);
    } else if (depth == 2 && name_is(top, "cpus") && name_is(node, "cpu") && streq(prop, "device_type")) {
        found.ncpus++;
    }
}

static int walk(void)
{
    const u8 *p = blob + off_struct, *end = p + size_struct;
    const char *path[8];
    int depth = -1, nodes = 0, props = 0;
    while (p < end) {
        u32 tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            while (*p)
                p++;
            p = (const u8 *)(((u64)p + 4) & ~3ul);
            if (++depth >= 8)
                return -1;
            path[depth] = name;
            if (shown(depth, depth ? path[1] : "")) {
                nodes++;
                if (depth == 0)
                    printf("/\n");
                for (int i = 1; i <= depth; i++)
                    printf("/%s", path[i]);
                if (depth)
                    printf("\n");
            }
        } else if (tok == FDT_END_NODE) {
            if (--depth < -1)
                return -1;
        } else if (tok == FDT_PROP) {
            u32 len = be32(p), nameoff = be32(p + 4);
            const u8 *v = p + 8;
            const char *name = (const char *)blob + off_strings + nameoff;
            p = (const u8 *)(((u64)v + len + 3) & ~3ul);
            if (depth < 0 || !shown(depth, depth ? path[1] : "") || skipped_prop(name))
                continue;
            props++;
            printf("    %s", name);
            print_value(v, len);
            capture(depth ? path[1] : "", depth, path[depth], name, v, len);
        } else if (tok == FDT_NOP) {
            continue;
        } else if (tok == FDT_END) {
            printf("walked %d nodes, %d properties\n", nodes, props);
            return depth == -1 ? 0 : -1;
        } else {
            printf("bad token 0x%x at struct offset 0x%x\n", tok, (u32)(p - 4 - blob - off_struct));
            return -1;
        }
    }
    return -1;
}

int main(u64 x0)
{
    u64 daif, sctlr;
    __asm__ volatile("mrs %0, daif\n mrs %1, sctlr_el1" : "=r"(daif), "=r"(sctlr));
    extern char _start[];
    printf("fdt: loaded at 0x%lx, CurrentEL=%lu DAIF=0x%lx SCTLR_EL1.M=%lu, x0=0x%lx\n",
           (u64)_start, read_currentel() >> 2, daif, sctlr & 1, x0);
    blob = (const u8 *)x0;
    if (!x0 || hdr(0) != FDT_MAGIC) {
        printf("no device tree at x0\n");
        return 1;
    }
    off_struct = hdr(2);
    off_strings = hdr(3);
    size_struct = hdr(9);
    printf("header: totalsize 0x%x, version %u, last compatible %u, boot cpu %u\n", hdr(1), hdr(5), hdr(6), hdr(7));
    int reserved = 0;
    for (const u8 *r = blob + hdr(4); be64(r) || be64(r + 8); r += 16)
        reserved++;
    printf("memory reservations: %d\n", reserved);
    if (walk() != 0) {
        printf("malformed structure block\n");
        return 1;
    }
    printf("summary:\n");
    printf("  RAM 0x%lx, %lu MiB\n", found.mem_base, found.mem_size >> 20);
    printf("  %u cpu(s), PSCI via %s\n", found.ncpus, found.method);
    printf("  console %s: PL011 at 0x%lx, SPI %u, clock %u Hz\n", found.stdout_path, found.uart_base, found.uart_spi, found.clock_hz);
    printf("  GIC %s: distributor 0x%lx, redistributors 0x%lx\n", found.gic, found.gicd, found.gicr);
    printf("  timer PPIs: secure %u, non-secure %u, virtual %u, hypervisor %u\n",
           found.timer_ppi[0], found.timer_ppi[1], found.timer_ppi[2], found.timer_ppi[3]);
    if (found.have_pmu)
        printf("  PMU overflow PPI %u\n", found.pmu_ppi);
    else
        printf("  no PMU node\n");
    printf("  bootargs: \"%s\"\n", found.bootargs);
    return 0;
}
