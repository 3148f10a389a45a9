package dev.a64trap.host;

import java.util.BitSet;

/**
 * One CPU core design as the host sees it: its Linux PMU name, its number of programmable event
 * counters, the common events (0x0000-0x003F, 0x4000-0x403F) its PMU implements, its PMUVer and its
 * cycle model.
 *
 * @param name        core name as in the data files, e.g. "cortex-a55"
 * @param pmuName     Linux PMU name, e.g. "armv8_cortex_a55"
 * @param counters    programmable event counters (maximum guest PMCR_EL0.N)
 * @param events      implemented event numbers (bit i = event i)
 * @param pmuVer      ID_AA64DFR0_EL1.PMUVer of the core (1, 4, 5, 6, 7, 8)
 * @param aarch32El0  whether the core can run AArch32 at EL0 (decides the PMCR.LC RES1 rule)
 * @param cycleModel  cycles per instruction class and clock
 */
public record CoreType(String name, String pmuName, int counters, BitSet events, int pmuVer,
        boolean aarch32El0, CycleModel cycleModel) {
    public CoreType {
        events = (BitSet) events.clone();
    }

    public boolean supportsEvent(int code) {
        return code >= 0 && events.get(code);
    }

    /** PMCEID0 as the core describes it: bits 0-31 events 0x00-0x1F, bits 32-63 events 0x4000-0x401F. */
    public long pmceid0() {
        return window(0x00) | window(0x4000) << 32;
    }

    /** PMCEID1: bits 0-31 events 0x20-0x3F, bits 32-63 events 0x4020-0x403F. */
    public long pmceid1() {
        return window(0x20) | window(0x4020) << 32;
    }

    private long window(int base) {
        long w = 0;
        for (int i = 0; i < 32; i++) {
            if (events.get(base + i)) {
                w |= 1L << i;
            }
        }
        return w;
    }

    /** Returns a copy with another cycle model (host files may override the clock). */
    public CoreType withCycleModel(CycleModel m) {
        return new CoreType(name, pmuName, counters, events, pmuVer, aarch32El0, m);
    }

    @Override
    public BitSet events() {
        return (BitSet) events.clone();
    }
}
