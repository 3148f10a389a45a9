package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.jit.Jit;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.VmmPolicy;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Back-to-back reads advance as on hardware: a read includes the cycles of the instructions retired
 * before it and the reading instruction's own cost, so two reads in a row of the cycle counter (direct,
 * through PMXEVCNTR, or an event counter counting CPU_CYCLES) and of CNTVCT/CNTPCT strictly increase,
 * and an INST_RETIRED counter read twice in a row differs by exactly one (the first read retired in
 * between). Run interpreted and with the JIT (units and the loop's region chain).
 */
class ReadAdvanceTest {
    /**
     * From aarch64-linux-gnu-as (binutils 2.40):
     * <pre>
     *     mov x0, #1 ; msr pmcr_el0, x0 ; mov x0, #8 ; msr pmevtyper0_el0, x0 (INST_RETIRED)
     *     mov x0, #0x11 ; msr pmevtyper1_el0, x0 (CPU_CYCLES) ; mov x0, #0x80000003 ; msr pmcntenset_el0, x0
     *     mov x0, #1 ; msr pmselr_el0, x0 ; mov x21, #0 ; mov x22, #0 ; mov x20, #3000
     * loop: mrs x0/x1, pmccntr_el0 ; mrs x2/x3, pmevcntr0_el0 ; mrs x4/x5, pmevcntr1_el0
     *       mrs x6/x7, cntvct_el0 ; mrs x8/x9, cntpct_el0 ; mrs x10/x11, pmxevcntr_el0
     *       five times: cmp xB, xA ; cinc x21, x21, ls (x21 counts pairs that did not increase)
     *       sub x12, x3, x2 ; cmp x12, #1 ; cinc x22, x22, ne (x22 counts INST_RETIRED deltas != 1)
     *       subs x20, x20, #1 ; b.ne loop
     * done: b done
     * </pre>
     */
    static final int[] READ_PAIRS = {0xd2800020, 0xd51b9c00, 0xd2800100, 0xd51bec00, 0xd2800220, 0xd51bec20,
        0xd2800060, 0xf2b00000, 0xd51b9c20, 0xd2800020, 0xd51b9ca0, 0xd2800015, 0xd2800016, 0xd2817714,
        0xd53b9d00, 0xd53b9d01, 0xd53be802, 0xd53be803, 0xd53be824, 0xd53be825, 0xd53be046, 0xd53be047,
        0xd53be028, 0xd53be029, 0xd53b9d4a, 0xd53b9d4b, 0xeb00003f, 0x9a9586b5, 0xeb0400bf, 0x9a9586b5,
        0xeb0600ff, 0x9a9586b5, 0xeb08013f, 0x9a9586b5, 0xeb0a017f, 0x9a9586b5, 0xcb02006c, 0xf100059f,
        0x9a9606d6, 0xf1000694, 0x54fffcc1, 0x14000000};
    static final long INSNS = 14 + 27L * 3000;

    @ParameterizedTest(name = "{0} {1} jit={2}")
    @CsvSource({"default, pinned:0, false", "default, pinned:0, true", "default, pinned:4, false",
        "default, pinned:4, true", "pmu:armv8_cortex_a76, pinned:5, true"})
    void backToBackReadsAdvance(String pmu, String sched, boolean jit) throws ImageLoadException {
        Host host = Host.preset("rk3588");
        HostedVcpu v = new HostedVcpu(host, Scheduler.parse(sched, null, host, 1),
                VmmPolicy.plan(pmu, host, KvmAbi.V8, true), KvmVm.Options.defaults(), 0, -1);
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.vcpu = v;
        o.jit = jit;
        VirtBoard b = VirtBoard.load(HostedVcpuTest.bytes(READ_PAIRS), "pairs.bin", o);
        Stop s = b.run(INSNS + 10);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(0, b.cpu().x[20], "loop finished");
        if (jit) {
            assertTrue(((Jit) b.interpreter().compiler()).regionCount() > 0, "the loop ran as a JIT region chain");
        }
        if (pmu.equals("default") && sched.equals("pinned:4")) {
            // the default PMU (A55) does not back the A76: the PMU counters stall, only the timer advances
            assertEquals(3000L * 3, b.cpu().x[21], "the three cycle pairs stall, CNTVCT/CNTPCT pairs advance");
            return;
        }
        assertEquals(0, b.cpu().x[21], "pairs of reads that did not increase");
        assertEquals(0, b.cpu().x[22], "INST_RETIRED deltas other than 1");
    }
}
