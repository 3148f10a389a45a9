package dev.a64trap.loader;

import dev.a64trap.devices.GenericTimer;
import dev.a64trap.devices.Gicv3;
import dev.a64trap.devices.Pl011;
import dev.a64trap.devices.Psci;
import dev.a64trap.mem.GuestMemory;
import java.util.List;

/**
 * The device tree QEMU 7.2 gives {@code -M virt,gic-version=3 -cpu cortex-a57 -m SIZE -kernel IMAGE
 * [-append ARGS]} (hw/arm/virt.c create_fdt and friends, then hw/arm/boot.c arm_load_dtb), cut
 * down to the devices a64trap models: node names, property values, phandles and order are
 * QEMU's. Left out: virtio-mmio, PCIe, fw-cfg, PL031, PL061/gpio-keys, the platform bus and the
 * GIC ITS (not modelled: the tree is QEMU's {@code its=off} one), and chosen's rng-seed/kaslr-seed
 * (QEMU fills them from host randomness; guest-visible state here must be deterministic). The GIC,
 * timer and PMU nodes take their addresses and interrupt numbers from the devices the board models.
 */
public final class VirtDeviceTree {
    /** QEMU's FDT_MAX_SIZE: its blob's totalsize, which decides whether it fits below an ELF image. */
    public static final int QEMU_FDT_SIZE = 1 << 20;

    // QEMU's phandles (virt.c allocates from 0x8000: clock, then the CPUs from the last to the first, then GIC).
    static final int PHANDLE_CLOCK = 0x8000;

    static int phandleCpu(int i, int cpus) {
        return PHANDLE_CLOCK + cpus - i;
    }

    static int phandleGic(int cpus) {
        return PHANDLE_CLOCK + cpus + 1;
    }

    /**
     * CPU {@code i}'s MPIDR affinity on QEMU's virt with GICv3 (virt_cpu_mp_affinity): clusters of 16
     * (the GICv3 SGI target list), Aff0 = i % 16, Aff1 = i / 16. MPIDR_EL1 is 0x8000_0000 | this.
     */
    public static long affinity(int i) {
        return (long) (i / 16) << 8 | i % 16;
    }

    // the GIC and timer as the board models them, so the tree cannot disagree with the devices
    static final long GICD_BASE = Gicv3.DIST_BASE;
    static final long GICD_SIZE = Gicv3.DIST_SIZE;
    static final long GICR_BASE = Gicv3.REDIST_BASE;
    static final long GICR_SIZE = Gicv3.REDIST_SIZE;
    /** PPI numbers in interrupts cells count from INTID 16. */
    private static final int PPI_BASE = 16;
    /** KVM's default PMU overflow interrupt, INTID 23 (the board wires the vPMU's line there). */
    public static final int PMU_INTID = 23;
    // QEMU's secure and hypervisor timer PPIs: not modelled (no EL3, no EL2), still described
    private static final int SECURE_TIMER_INTID = 29;
    private static final int HYP_TIMER_INTID = 26;
    static final long FLASH_BANK = 0x400_0000L;

    // interrupts cells for GICv3: type (0 SPI, 1 PPI), number, flags (4 = level high)
    private static final int SPI = 0;
    private static final int PPI = 1;
    private static final int LEVEL_HI = 4;

    private VirtDeviceTree() {}

    /**
     * @param ramSize  bytes of RAM at the RAM base (the memory node)
     * @param bootargs the kernel command line, or null/empty for none (QEMU sets it only if non-empty)
     * @param pmu      whether the vCPU has a vPMU (adds the pmu node)
     */
    public static byte[] blob(long ramSize, String bootargs, boolean pmu) {
        return blob(ramSize, bootargs, pmu, 1);
    }

    /** The tree for {@code -smp cpus}. */
    public static byte[] blob(long ramSize, String bootargs, boolean pmu, int cpus) {
        return Fdt.write(tree(ramSize, bootargs, pmu, cpus), List.of(), QEMU_FDT_SIZE);
    }

    /** The tree itself, in QEMU's order. */
    public static Fdt.Node tree(long ramSize, String bootargs, boolean pmu) {
        return tree(ramSize, bootargs, pmu, 1);
    }

    /** The tree for {@code -smp cpus}, in QEMU's order. */
    public static Fdt.Node tree(long ramSize, String bootargs, boolean pmu, int cpus) {
        if (cpus < 1 || cpus > Gicv3.MAX_PES) {
            throw new IllegalArgumentException("1 to " + Gicv3.MAX_PES + " CPUs, not " + cpus);
        }
        int gic = phandleGic(cpus);
        Fdt.Node root = new Fdt.Node("")
                .u32("interrupt-parent", gic)
                .string("model", "linux,dummy-virt")
                .u32("#size-cells", 2)
                .u32("#address-cells", 2)
                .string("compatible", "linux,dummy-virt");

        root.child("psci")
                .u32("migrate", (int) Psci.MIGRATE64)
                .u32("cpu_on", (int) Psci.CPU_ON64)
                .u32("cpu_off", (int) Psci.CPU_OFF)
                .u32("cpu_suspend", (int) Psci.CPU_SUSPEND64)
                .string("method", "hvc")
                .string("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci");

        root.child(unit("memory", GuestMemory.RAM_BASE))
                .u64("reg", GuestMemory.RAM_BASE, ramSize)
                .string("device_type", "memory");

        root.child(unit("pl011", Pl011.BASE))
                .string("clock-names", "uartclk", "apb_pclk")
                .cells("clocks", PHANDLE_CLOCK, PHANDLE_CLOCK)
                .cells("interrupts", SPI, Pl011.IRQ - 32, LEVEL_HI)
                .u64("reg", Pl011.BASE, Pl011.SIZE)
                .string("compatible", "arm,pl011", "arm,primecell");

        if (pmu) {
            root.child("pmu")
                    .cells("interrupts", PPI, PMU_INTID - PPI_BASE, LEVEL_HI) // PPI 7, KVM's PMU overflow interrupt
                    .string("compatible", "arm,armv8-pmuv3");
        }

        root.child(unit("intc", GICD_BASE))
                .phandle(gic)
                .u64("reg", GICD_BASE, GICD_SIZE, GICR_BASE, GICR_SIZE)
                .u32("#redistributor-regions", 1)
                .string("compatible", "arm,gic-v3")
                .empty("ranges")
                .u32("#size-cells", 2)
                .u32("#address-cells", 2)
                .empty("interrupt-controller")
                .u32("#interrupt-cells", 3);

        root.child(unit("flash", GuestMemory.FLASH_BASE))
                .u32("bank-width", 4)
                .u64("reg", GuestMemory.FLASH_BASE, FLASH_BANK, GuestMemory.FLASH_BASE + FLASH_BANK, FLASH_BANK)
                .string("compatible", "cfi-flash");

        Fdt.Node cpusNode = root.child("cpus")
                .u32("#size-cells", 0)
                .u32("#address-cells", 1);
        Fdt.Node cluster = cpusNode.child("cpu-map").child("socket0").child("cluster0");
        for (int i = 0; i < cpus; i++) {
            cluster.child("core" + i).u32("cpu", phandleCpu(i, cpus));
        }
        for (int i = 0; i < cpus; i++) {
            Fdt.Node cpu = cpusNode.child("cpu@" + i)
                    .phandle(phandleCpu(i, cpus))
                    .u32("reg", (int) affinity(i));
            if (cpus > 1) {
                cpu.string("enable-method", "psci"); // QEMU adds it only with more than one CPU
            }
            cpu.string("compatible", "arm,cortex-a57")
                    .string("device_type", "cpu");
        }

        root.child("timer")
                .cells("interrupts", PPI, SECURE_TIMER_INTID - PPI_BASE, LEVEL_HI,
                        PPI, GenericTimer.PPI_PHYS - PPI_BASE, LEVEL_HI, PPI, GenericTimer.PPI_VIRT - PPI_BASE, LEVEL_HI,
                        PPI, HYP_TIMER_INTID - PPI_BASE, LEVEL_HI)
                .empty("always-on")
                .string("compatible", "arm,armv8-timer", "arm,armv7-timer");

        root.child("apb-pclk")
                .phandle(PHANDLE_CLOCK)
                .string("clock-output-names", "clk24mhz")
                .u32("clock-frequency", 24_000_000)
                .u32("#clock-cells", 0)
                .string("compatible", "fixed-clock");

        Fdt.Node chosen = root.child("chosen");
        if (bootargs != null && !bootargs.isEmpty()) {
            chosen.string("bootargs", bootargs); // arm_load_dtb adds it last; libfdt puts new properties first
        }
        chosen.string("stdout-path", "/" + unit("pl011", Pl011.BASE));
        return root;
    }

    private static String unit(String name, long address) {
        return name + "@" + Long.toHexString(address);
    }
}
