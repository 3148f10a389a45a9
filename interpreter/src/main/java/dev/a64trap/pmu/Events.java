package dev.a64trap.pmu;

/**
 * Architectural event numbers (spec 3.2) and which modelled event source each one reads.
 *
 * <p>The interpreter's {@link EventClock} keeps totals for the <em>source</em> events only
 * ({@link #SOURCES}); aliases (INST_SPEC, OP_RETIRED, OP_SPEC read INST_RETIRED; BR_PRED reads
 * BR_RETIRED; BUS_CYCLES reads CPU_CYCLES) share the source. Events with no source (cache, TLB,
 * mispredicts, STALL_SLOT*, ...) never count. MEM_ACCESS counts a pair access once per element
 * (LDP/STP = 2), since each element is a separate data access.
 */
public final class Events {
    private Events() {}

    public static final int SW_INCR = 0x00;
    public static final int LD_RETIRED = 0x06;
    public static final int ST_RETIRED = 0x07;
    public static final int INST_RETIRED = 0x08;
    public static final int EXC_TAKEN = 0x09;
    public static final int EXC_RETURN = 0x0A;
    public static final int CID_WRITE_RETIRED = 0x0B;
    public static final int PC_WRITE_RETIRED = 0x0C;
    public static final int BR_IMMED_RETIRED = 0x0D;
    public static final int BR_RETURN_RETIRED = 0x0E;
    public static final int UNALIGNED_LDST_RETIRED = 0x0F;
    public static final int BR_MIS_PRED = 0x10;
    public static final int CPU_CYCLES = 0x11;
    public static final int BR_PRED = 0x12;
    public static final int MEM_ACCESS = 0x13;
    public static final int INST_SPEC = 0x1B;
    public static final int TTBR_WRITE_RETIRED = 0x1C;
    public static final int BUS_CYCLES = 0x1D;
    public static final int CHAIN = 0x1E;
    public static final int BR_RETIRED = 0x21;
    public static final int STALL_FRONTEND = 0x23;
    public static final int STALL_BACKEND = 0x24;
    public static final int OP_RETIRED = 0x3A;
    public static final int OP_SPEC = 0x3B;

    /** Value of {@link #source} for events that are never counted. */
    public static final int NONE = -1;

    /** The source events an {@link EventClock} must provide totals for. */
    public static final int[] SOURCES = {LD_RETIRED, ST_RETIRED, INST_RETIRED, EXC_TAKEN, EXC_RETURN,
        CID_WRITE_RETIRED, PC_WRITE_RETIRED, BR_IMMED_RETIRED, BR_RETURN_RETIRED, UNALIGNED_LDST_RETIRED,
        CPU_CYCLES, MEM_ACCESS, TTBR_WRITE_RETIRED, BR_RETIRED, STALL_FRONTEND, STALL_BACKEND};

    private static final int[] ALIASES = {INST_SPEC, INST_RETIRED, OP_RETIRED, INST_RETIRED, OP_SPEC, INST_RETIRED,
        BR_PRED, BR_RETIRED, BUS_CYCLES, CPU_CYCLES};

    private static final int[] SOURCE = new int[0x40];

    static {
        java.util.Arrays.fill(SOURCE, NONE);
        for (int s : SOURCES) {
            SOURCE[s] = s;
        }
        for (int i = 0; i < ALIASES.length; i += 2) {
            SOURCE[ALIASES[i]] = ALIASES[i + 1];
        }
    }

    /** The source event whose totals count {@code evtCount}, or {@link #NONE}. */
    public static int source(int evtCount) {
        return evtCount >= 0 && evtCount < SOURCE.length ? SOURCE[evtCount] : NONE;
    }
}
