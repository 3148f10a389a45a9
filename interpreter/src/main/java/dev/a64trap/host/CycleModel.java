package dev.a64trap.host;

import java.util.EnumMap;
import java.util.Map;

/**
 * How many CPU cycles (event 0x11) one instruction of each {@link InsnClass} costs on a core, and the
 * core's clock frequency, which converts cycles into guest time.
 *
 * <p>ASSUMPTIONS (not measurements): an in-order LITTLE core (Cortex-A55/A510/A520) is modelled at
 * 2 cycles per ALU instruction, a big/prime out-of-order core at 1; loads, multiplies, system
 * instructions and exceptions cost more on LITTLE than on big cores. Every class costs at least 1
 * cycle, so CPU_CYCLES >= INST_RETIRED on every core (spec 3.2). The model has no stalls: the
 * STALL_FRONTEND/STALL_BACKEND events stay 0. Frequencies are the public maximum clocks of the SoCs
 * the presets imitate.
 */
public record CycleModel(int frequencyMhz, Map<InsnClass, Integer> cyclesPerClass) {
    public CycleModel {
        if (frequencyMhz <= 0) {
            throw new IllegalArgumentException("frequency must be positive: " + frequencyMhz);
        }
        EnumMap<InsnClass, Integer> copy = new EnumMap<>(InsnClass.class);
        for (InsnClass c : InsnClass.values()) {
            Integer v = cyclesPerClass.get(c);
            if (v == null || v < 1) {
                throw new IllegalArgumentException("cycles for " + c + " must be >= 1: " + v);
            }
            copy.put(c, v);
        }
        cyclesPerClass = java.util.Collections.unmodifiableMap(copy);
    }

    /** In-order LITTLE core profile at the given clock. */
    public static CycleModel little(int mhz) {
        return of(mhz, 2, 2, 4, 2, 4, 12, 40);
    }

    /** Out-of-order big/prime core profile at the given clock. */
    public static CycleModel big(int mhz) {
        return of(mhz, 1, 1, 2, 1, 2, 6, 24);
    }

    public static CycleModel of(int mhz, int alu, int branch, int load, int store, int mulDiv, int system,
            int exception) {
        EnumMap<InsnClass, Integer> m = new EnumMap<>(InsnClass.class);
        m.put(InsnClass.ALU, alu);
        m.put(InsnClass.BRANCH, branch);
        m.put(InsnClass.LOAD, load);
        m.put(InsnClass.STORE, store);
        m.put(InsnClass.MUL_DIV, mulDiv);
        m.put(InsnClass.SYSTEM, system);
        m.put(InsnClass.EXCEPTION, exception);
        return new CycleModel(mhz, m);
    }

    public int cycles(InsnClass c) {
        return cyclesPerClass.get(c);
    }

    /** Largest per-instruction cost: bounds how many cycles one instruction can add (deadline arithmetic). */
    public int maxCyclesPerInstruction() {
        int max = 1;
        for (int v : cyclesPerClass.values()) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** Guest nanoseconds taken by {@code cycles} cycles at this core's clock (rounded down). */
    public long cyclesToNanos(long cycles) {
        if (cycles >= 0 && cycles <= Long.MAX_VALUE / 1000) {
            return cycles * 1000 / frequencyMhz;
        }
        return java.math.BigInteger.valueOf(cycles).multiply(java.math.BigInteger.valueOf(1000))
                .divide(java.math.BigInteger.valueOf(frequencyMhz)).longValue();
    }
}
