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

    /**
     * Linux perf's names of the common events 0x00-0x3F, as the PMUv3 driver lists them in sysfs
     * (/sys/bus/event_source/devices/armv8_cortex_a55/events/inst_retired ...), indexed by event number.
     */
    private static final String[] PERF_NAMES = {
        "sw_incr", "l1i_cache_refill", "l1i_tlb_refill", "l1d_cache_refill", "l1d_cache", "l1d_tlb_refill",
        "ld_retired", "st_retired", "inst_retired", "exc_taken", "exc_return", "cid_write_retired",
        "pc_write_retired", "br_immed_retired", "br_return_retired", "unaligned_ldst_retired", "br_mis_pred",
        "cpu_cycles", "br_pred", "mem_access", "l1i_cache", "l1d_cache_wb", "l2d_cache", "l2d_cache_refill",
        "l2d_cache_wb", "bus_access", "memory_error", "inst_spec", "ttbr_write_retired", "bus_cycles", "chain",
        "l1d_cache_allocate", "l2d_cache_allocate", "br_retired", "br_mis_pred_retired", "stall_frontend",
        "stall_backend", "l1d_tlb", "l1i_tlb", "l2i_cache", "l2i_cache_refill", "l3d_cache_allocate",
        "l3d_cache_refill", "l3d_cache", "l3d_cache_wb", "l2d_tlb_refill", "l2i_tlb_refill", "l2d_tlb",
        "l2i_tlb", "remote_access", "ll_cache", "ll_cache_miss", "dtlb_walk", "itlb_walk", "ll_cache_rd",
        "ll_cache_miss_rd", "remote_access_rd", "l1d_cache_lmiss_rd", "op_retired", "op_spec", "stall",
        "stall_slot_backend", "stall_slot_frontend", "stall_slot"};

    /** perf's name of {@code event} ({@code inst_retired}), or {@code r<hex>} (perf's raw syntax) beyond 0x3F. */
    public static String perfName(int event) {
        return event >= 0 && event < PERF_NAMES.length ? PERF_NAMES[event] : String.format("r%x", event);
    }
}
