package dev.a64trap.devices;

import java.util.Map;

/**
 * PSCI 1.1 firmware for one CPU or several ({@link Power}), as QEMU 7.2's TCG gives it to a {@code -M virt} guest
 * (target/arm/psci.c), checked with the probe in src/test/resources/psci.
 *
 * <p>Conduit: virt without EL2/EL3 uses HVC. Every {@code HVC} at EL1 is a firmware call
 * (whatever its immediate): x0 = function id (all 64 bits compared), x1..x3 = arguments, result
 * in x0, execution continues after the HVC. Unknown ids answer NOT_SUPPORTED (-1), never
 * UNDEFINED. {@code SMC} from EL1 is UNDEFINED there (ESR_EL1 = 0x02000000: EC 0, IL 1, ELR at
 * the SMC): the CPU must raise that itself; {@link #isCall} says which instruction is a call.
 *
 * <p>Run-ending calls throw {@link GuestExit}: SYSTEM_OFF (status 0); SYSTEM_RESET (status 0,
 * as QEMU with -no-reboot; QEMU without it would reboot and run the image again, which scripted
 * runs never want); CPU_OFF (status 1: the only CPU is off and nothing can wake it; QEMU would
 * sit idle forever).
 */
public final class Psci {
    public static final long PSCI_VERSION = 0x8400_0000L;
    public static final long CPU_SUSPEND = 0x8400_0001L;
    public static final long CPU_SUSPEND64 = 0xC400_0001L;
    public static final long CPU_OFF = 0x8400_0002L;
    public static final long CPU_ON = 0x8400_0003L;
    public static final long CPU_ON64 = 0xC400_0003L;
    public static final long AFFINITY_INFO = 0x8400_0004L;
    public static final long AFFINITY_INFO64 = 0xC400_0004L;
    public static final long MIGRATE = 0x8400_0005L;
    public static final long MIGRATE64 = 0xC400_0005L;
    public static final long MIGRATE_INFO_TYPE = 0x8400_0006L;
    public static final long SYSTEM_OFF = 0x8400_0008L;
    public static final long SYSTEM_RESET = 0x8400_0009L;
    public static final long PSCI_FEATURES = 0x8400_000AL;
    /** PSCI 0.1 ids QEMU still accepts (base 0x95c1ba5e). */
    public static final long V01_CPU_SUSPEND = 0x95c1_ba5eL;
    public static final long V01_CPU_OFF = 0x95c1_ba5fL;
    public static final long V01_CPU_ON = 0x95c1_ba60L;
    public static final long V01_MIGRATE = 0x95c1_ba61L;

    public static final long VERSION_1_1 = 0x1_0001L;
    public static final long SUCCESS = 0;
    public static final long NOT_SUPPORTED = -1;
    public static final long INVALID_PARAMETERS = -2;
    public static final long ALREADY_ON = -4;
    public static final long ON_PENDING = -5;
    /** AFFINITY_INFO's answers. */
    public static final int STATE_ON = 0, STATE_OFF = 1, STATE_ON_PENDING = 2;
    /** MIGRATE_INFO_TYPE: no trusted OS, migration not required. */
    public static final long TOS_MIGRATION_NOT_REQUIRED = 2;
    /** ESR_EL1 of the UNDEFINED exception an SMC raises at EL1 on virt. */
    public static final long SMC_UNDEFINED_ESR = 0x0200_0000L;

    /** Which instruction the guest used. */
    public enum Conduit { HVC, SMC }

    /** The ids PSCI_FEATURES reports as implemented (SMCCC_VERSION and MIGRATE are not). */
    private static final Map<Long, String> FEATURES = Map.ofEntries(
            Map.entry(PSCI_VERSION, "PSCI_VERSION"), Map.entry(MIGRATE_INFO_TYPE, "MIGRATE_INFO_TYPE"),
            Map.entry(AFFINITY_INFO, "AFFINITY_INFO"), Map.entry(AFFINITY_INFO64, "AFFINITY_INFO64"),
            Map.entry(SYSTEM_RESET, "SYSTEM_RESET"), Map.entry(SYSTEM_OFF, "SYSTEM_OFF"),
            Map.entry(V01_CPU_ON, "CPU_ON (0.1)"), Map.entry(CPU_ON, "CPU_ON"), Map.entry(CPU_ON64, "CPU_ON64"),
            Map.entry(V01_CPU_OFF, "CPU_OFF (0.1)"), Map.entry(CPU_OFF, "CPU_OFF"),
            Map.entry(V01_CPU_SUSPEND, "CPU_SUSPEND (0.1)"), Map.entry(CPU_SUSPEND, "CPU_SUSPEND"),
            Map.entry(CPU_SUSPEND64, "CPU_SUSPEND64"), Map.entry(PSCI_FEATURES, "PSCI_FEATURES"));

    /** The board's CPUs as PSCI's power control sees them. */
    public interface Power {
        int cpus();

        /** CPU {@code i}'s affinity as PSCI's target_cpu matches it (QEMU's mp_affinity). */
        long affinity(int i);

        /** {@link #STATE_ON}, {@link #STATE_OFF} or {@link #STATE_ON_PENDING}. */
        int state(int i);

        /** Powers CPU {@code i} on: reset, EL1h, MMU off, PC = {@code entry}, x0 = {@code context}. */
        void on(int i, long entry, long context);

        /** Powers the calling CPU off (it stops after the HVC); GuestExit if no CPU is left to run. */
        void off(int caller);
    }

    private final Conduit conduit;
    private final Power power;

    /** virt's configuration: HVC conduit, one CPU with MPIDR affinity 0. */
    public Psci() {
        this(Conduit.HVC, 0);
    }

    /** @param mpidr the affinity fields (MPIDR_EL1 & 0xff00ffffff) of the one CPU */
    public Psci(Conduit conduit, long mpidr) {
        this(conduit, new Power() {
            @Override
            public int cpus() {
                return 1;
            }

            @Override
            public long affinity(int i) {
                return mpidr;
            }

            @Override
            public int state(int i) {
                return STATE_ON;
            }

            @Override
            public void on(int i, long entry, long context) {
                throw new IllegalStateException("the only CPU is on");
            }

            @Override
            public void off(int caller) {
                throw new GuestExit(1, "PSCI CPU_OFF on the only CPU: nothing can run any more");
            }
        });
    }

    /** Several CPUs: CPU_ON, CPU_OFF and AFFINITY_INFO go to {@code power}. */
    public Psci(Conduit conduit, Power power) {
        this.conduit = conduit;
        this.power = power;
    }

    /**
     * True if this HVC/SMC at EL1 is a firmware call for {@link #call}; false means the
     * instruction behaves architecturally (on virt, without EL2/EL3: UNDEFINED, ESR {@link #SMC_UNDEFINED_ESR}).
     */
    public boolean isCall(Conduit via) {
        return via == conduit;
    }

    /**
     * Performs the call.
     *
     * @return the new x0 (results are 32-bit signed values sign-extended, as QEMU writes them)
     * @throws GuestExit for SYSTEM_OFF, SYSTEM_RESET and CPU_OFF
     */
    public long call(long x0, long x1, long x2, long x3) {
        return call(0, x0, x1, x2, x3);
    }

    /** {@link #call(long, long, long, long)} from CPU {@code caller}. */
    public long call(int caller, long x0, long x1, long x2, long x3) {
        if (x0 == PSCI_VERSION) {
            return VERSION_1_1;
        }
        if (x0 == MIGRATE_INFO_TYPE) {
            return TOS_MIGRATION_NOT_REQUIRED;
        }
        if (x0 == AFFINITY_INFO || x0 == AFFINITY_INFO64) {
            if (x2 != 0) {
                return 0; // levels above 0 are always on
            }
            int t = target(x1);
            return t < 0 ? INVALID_PARAMETERS : power.state(t);
        }
        if (x0 == SYSTEM_OFF) {
            throw new GuestExit(0, "PSCI SYSTEM_OFF");
        }
        if (x0 == SYSTEM_RESET) {
            throw new GuestExit(0, "PSCI SYSTEM_RESET (treated as power-off, like QEMU -no-reboot)");
        }
        if (x0 == CPU_ON || x0 == CPU_ON64 || x0 == V01_CPU_ON) {
            // QEMU's arm_set_cpu_on: an AArch64 entry must be 4-byte aligned, then the target must exist
            int t = target(x1);
            if ((x2 & 3) != 0 || t < 0) {
                return INVALID_PARAMETERS;
            }
            return switch (power.state(t)) {
                case STATE_ON -> ALREADY_ON;
                case STATE_ON_PENDING -> ON_PENDING;
                default -> {
                    power.on(t, x2, x3);
                    yield SUCCESS;
                }
            };
        }
        if (x0 == CPU_OFF || x0 == V01_CPU_OFF) {
            power.off(caller);
            return SUCCESS; // not seen: the caller is off
        }
        if (x0 == CPU_SUSPEND || x0 == CPU_SUSPEND64 || x0 == V01_CPU_SUSPEND) {
            // QEMU: affinity levels unsupported; otherwise a WFI, then x0 = 0. A WFI with no
            // interrupt source to wait for is a no-op for us.
            return (x1 & 0xfffe0000L) != 0 ? INVALID_PARAMETERS : SUCCESS;
        }
        if (x0 == PSCI_FEATURES) {
            return FEATURES.containsKey(x1) ? SUCCESS : NOT_SUPPORTED;
        }
        return NOT_SUPPORTED; // MIGRATE, SMCCC_VERSION, and anything unknown
    }

    /** A name for --trace lines, or null for ids PSCI does not implement. */
    public static String functionName(long id) {
        return FEATURES.get(id);
    }

    /**
     * The CPU with affinity {@code target}, or -1: all 64 bits compared, as QEMU's arm_get_cpu_by_id
     * (so MPIDR_EL1's bit 31 makes no match: AFFINITY_INFO(0x80000000) is INVALID_PARAMETERS there).
     */
    private int target(long target) {
        for (int i = 0; i < power.cpus(); i++) {
            if (target == power.affinity(i)) {
                return i;
            }
        }
        return -1;
    }
}
