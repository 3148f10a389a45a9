package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.exec.Stop;
import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.VmmPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * System-register accesses compiled into region units, against the interpreter: the same guest on
 * two boards with the vPMU on a simulated rk3588, one interpreting only, one with the JIT (ASM-verified
 * units). After every run the registers, PC, flags, retired count, exception registers, event sums,
 * every vPMU register and counter, guest time, the migrations and the overflow interrupt line must
 * agree, so a counter the guest reads mid-chain saw exactly the interpreter's counts.
 */
class JitSysRegTest {
    static final long RAM = 0x4000_0000L;
    static final long DATA = RAM + 0x10_0000L;

    /** One guest on two boards: {@link #ref} interprets, {@link #jit} compiles with {@link #compiler}. */
    static final class Boards {
        final VirtBoard ref;
        final VirtBoard jit;
        final Jit compiler;

        Boards(byte[] image, String pmu, String sched, int threshold) throws ImageLoadException {
            ref = board(image, pmu, sched);
            jit = board(image, pmu, sched);
            compiler = new Jit(threshold, true, null);
            jit.interpreter().setCompiler(compiler);
        }

        private static VirtBoard board(byte[] image, String pmu, String sched) throws ImageLoadException {
            Host host = Host.preset("rk3588");
            VirtBoard.Options o = new VirtBoard.Options();
            o.loadAddress = OptionalLong.of(RAM);
            o.jit = false;
            o.vcpu = new HostedVcpu(host, Scheduler.parse(sched, null, host, 7),
                    VmmPolicy.plan(pmu, host, KvmAbi.V8, true), KvmVm.Options.defaults(), 0, -1);
            return VirtBoard.load(image, "guest.bin", o);
        }

        void both(java.util.function.Consumer<VirtBoard> setup) {
            setup.accept(ref);
            setup.accept(jit);
        }

        Stop run(long maxInsns, String what) {
            Stop a = ref.run(maxInsns);
            Stop b = jit.run(maxInsns);
            assertEquals(a, b, what + ": stop");
            assertSameState(what);
            return b;
        }

        void assertSameState(String what) {
            Cpu a = ref.cpu(), b = jit.cpu();
            assertArrayEquals(java.util.Arrays.copyOf(a.x, 32), java.util.Arrays.copyOf(b.x, 32), what + ": registers");
            assertEquals(a.pc, b.pc, what + ": pc");
            assertEquals(a.nzcv, b.nzcv, what + ": nzcv");
            assertEquals(a.retired, b.retired, what + ": retired");
            assertEquals(a.el, b.el, what + ": el");
            assertEquals(a.spsel(), b.spsel(), what + ": spsel");
            assertEquals(a.sp(0), b.sp(0), what + ": sp_el0");
            assertEquals(a.daif, b.daif, what + ": daif");
            assertEquals(a.sys.esr, b.sys.esr, what + ": esr");
            assertEquals(a.sys.elr, b.sys.elr, what + ": elr");
            assertEquals(a.sys.far, b.sys.far, what + ": far");
            assertEquals(a.sys.spsr, b.sys.spsr, what + ": spsr");
            var ea = ref.interpreter().events;
            var eb = jit.interpreter().events;
            assertEquals(ea.branches, eb.branches, what + ": branch events");
            assertEquals(ea.loads, eb.loads, what + ": load events");
            assertEquals(ea.stores, eb.stores, what + ": store events");
            assertEquals(ea.exceptions, eb.exceptions, what + ": exception events");
            HostedVcpu va = ref.hostedVcpu(), vb = jit.hostedVcpu();
            for (PmuReg r : new PmuReg[] {PmuReg.PMCR, PmuReg.PMCNTENSET, PmuReg.PMINTENSET, PmuReg.PMOVSSET,
                PmuReg.PMUSERENR, PmuReg.PMSELR, PmuReg.PMCCNTR, PmuReg.PMCCFILTR}) {
                assertEquals(va.pmu().peek(r, 0), vb.pmu().peek(r, 0), what + ": " + r);
            }
            for (int i = 0; i < 6; i++) {
                assertEquals(va.pmu().peek(PmuReg.PMEVCNTR, i), vb.pmu().peek(PmuReg.PMEVCNTR, i), what + ": PMEVCNTR" + i);
                assertEquals(va.pmu().peek(PmuReg.PMEVTYPER, i), vb.pmu().peek(PmuReg.PMEVTYPER, i),
                        what + ": PMEVTYPER" + i);
            }
            assertEquals(va.nanoseconds(), vb.nanoseconds(), what + ": guest time");
            assertEquals(va.migrations(), vb.migrations(), what + ": migrations");
            assertEquals(va.irqLevel(), vb.irqLevel(), what + ": overflow interrupt line");
            assertEquals(va.irqRisingEdges(), vb.irqRisingEdges(), what + ": overflow interrupts");
            assertEquals(va.stalledNanos(), vb.stalledNanos(), what + ": stalled time");
            assertArrayEquals(ref.memory().readBytes(DATA, 0x10000), jit.memory().readBytes(DATA, 0x10000),
                    what + ": data memory");
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = JitSysRegTest.class.getResourceAsStream("/jit/" + name)) {
            assertTrue(in != null, "test resource /jit/" + name);
            return in.readAllBytes();
        }
    }

    static byte[] bytes(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    /**
     * sysreg-mix.S: EL1 loop of PMU reads and writes, TPIDR, NZCV, CNTVCT and PMOVSSET between loads,
     * stores and branches; then EL0 reads that fault while PMUSERENR.EN is clear (an SVC toggles it).
     * Whole runs and runs cut by budgets at every kind of point, resumed, under pinned and random
     * placement, with units compiled at the first execution and after a few interpreted ones.
     */
    @Test
    void pmuLoopsAtEl1AndEl0MatchTheInterpreter() throws IOException, ImageLoadException {
        byte[] image = resource("sysreg-mix.bin");
        for (String pmu : List.of("fixed-counters-only", "default")) {
            for (String sched : List.of("pinned:0", "random:20")) {
                for (int threshold : new int[] {0, 3}) {
                    String what = pmu + " " + sched + " threshold " + threshold;
                    Boards b = new Boards(image, pmu, sched, threshold);
                    Random rnd = new Random(what.hashCode());
                    long at = 0;
                    while (at < 260_000) {
                        at += 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 9000);
                        b.run(at, what + " budget " + at);
                    }
                    Cpu c = b.jit.cpu();
                    assertEquals(0, c.x[4], what + ": both loops finished");
                    assertEquals(1, c.el, what + ": in the handler of EL0's final SVC");
                    assertTrue(c.x[22] > 100 && c.x[23] > 100 && (pmu.equals("default") || c.x[24] > 100),
                            what + ": UNDEFINED reads " + c.x[22] + " at EL0 and " + c.x[24] + " at EL1, PMUSERENR toggles "
                            + c.x[23]);
                    assertTrue(b.compiler.regionCount() >= 3, what + ": region units " + b.compiler.regionCount());
                    if (sched.startsWith("random")) {
                        assertTrue(b.jit.hostedVcpu().migrations().size() > 5, what + ": migrations");
                    }
                }
            }
        }
    }

    /**
     * HostedVcpuTest's loop ({@code loop: mrs x1, pmccntr_el0 ; cmp x1, x2 ; cinc x3, x3, eq ; mov x2, x1 ;
     * subs x4, x4, #1 ; b.ne loop}, words from aarch64-linux-gnu-as 2.40) in one run: the cycle counter
     * the guest sees, and the reads that saw no change, are the interpreter's.
     */
    @Test
    void pmccntrLoopSeesTheInterpretersCycleCounter() throws ImageLoadException {
        int[] loop = {0xd2800020, 0xd51b9c00, 0xd2b00000, 0xd51b9c20, 0xd2800002, 0xd2800003, 0xd2a00204,
            0xd53b9d01, 0xeb02003f, 0x9a831463, 0xaa0103e2, 0xf1000484, 0x54ffff61, 0x14000000};
        for (String pmu : List.of("fixed-counters-only", "default")) {
            Boards b = new Boards(bytes(loop), pmu, "random:1000", 0);
            b.run(7 + 6L * 0x100000 + 100, pmu);
            assertEquals(0, b.jit.cpu().x[4], pmu + ": loop finished");
            assertTrue(b.jit.cpu().x[1] > 0x100000, pmu + ": cycles counted");
            assertTrue(b.compiler.regionCount() > 0, pmu + ": the MRS was compiled");
        }
    }

    /**
     * Issue 14's loop (guest-images/src/pmccntr-loop.S: {@code loop: mrs x1, pmccntr_el0; sub x3, x1, x4;
     * mov x4, x1; cmp x3, x5; csel x5, x3, x5, hi; subs x2, x2, #1; b.ne loop}, 3000 passes), and a loop
     * of three reads ({@code loop: mrs x1, pmccntr_el0; add x6, x6, #3; mrs x7, pmccntr_el0;
     * sub x3, x7, x1; mrs x8, pmccntr_el0; add x5, x5, x3; eor x4, x4, x8; subs x2, x2, #1; b.ne loop}):
     * steady region loops whose passes run batched, after {@code msr pmccntr_el0} of 0xFFFFF000 with PMCR.LC = 0
     * and the overflow interrupt enabled, so the counter overflows at 2^32 mid-loop and the batches
     * must stop short of it. Runs cut by budgets anywhere, resumed, in each PMU mode, pinned and
     * migrating every 20 us (the default PMU's counter stalls on the other cores): the interpreter's
     * state, counters, overflow flag and interrupt line after every cut, and batches did run.
     * Words from aarch64-linux-gnu-as 2.40.
     */
    @Test
    void steadyPmccntrLoopBatchesAndMatchesTheInterpreter() throws ImageLoadException {
        int[] prelude = {0xd2800020, 0xd51b9c00, 0xd2b00000, 0xd51b9c20, 0xd5189e20, 0xd29e0006, 0xf2bfffe6,
            0xd51b9d06, 0xd2817702, 0xd2800004, 0xd2800005};
        int[][] loops = {
            {0xd53b9d01, 0xcb040023, 0xaa0103e4, 0xeb05007f, 0x9a858065, 0xf1000442, 0x54ffff41, 0x14000000},
            {0xd53b9d01, 0x91000cc6, 0xd53b9d07, 0xcb0100e3, 0xd53b9d08, 0x8b0300a5, 0xca080084, 0xf1000442,
                0x54ffff01, 0x14000000}};
        for (int[] loop : loops) {
            int[] words = java.util.stream.IntStream.concat(java.util.Arrays.stream(prelude), java.util.Arrays.stream(loop))
                    .toArray();
            steadyLoopRuns(words, prelude.length + (loop.length - 1) * 3000L);
        }
    }

    /**
     * Issue 14's steady loop while event counter 0 (INST_RETIRED, 4096 below its wrap) overflows in it,
     * its interrupt enabled through the GICv3 and IRQs unmasked: batched passes must stop short of the
     * overflow, so that the interrupt is taken where the interpreter takes it (the handler keeps ELR_EL1
     * in x20 and PMOVSSET_EL0 in x21, then spins). Words from aarch64-linux-gnu-as 2.40: GICD_CTLR =
     * ARE | EnableGrp1; GICR_WAKER.ProcessorSleep = 0; GICR_IGROUPR0 = ~0; GICR_ISENABLER0 = PPI 23;
     * ICC_SRE_EL1 = 1, ICC_PMR_EL1 = 0xff, ICC_IGRPEN1_EL1 = 1; VBAR_EL1 = the table at 0x800;
     * PMCNTENCLR, PMINTENCLR and PMOVSCLR of ~0 (their reset values are UNKNOWN); PMCR.E, PMEVTYPER0 = 0x08, PMEVCNTR0 = 0xfffff000, PMINTENSET = 1, PMCNTENSET = cycle counter
     * and counter 0; 3000 passes; DAIFClr IRQ; the loop; {@code b .}; the IRQ vector at 0xa80.
     */
    @Test
    void steadyLoopStopsShortOfAnEventCounterOverflow() throws ImageLoadException {
        int[] code = {0xd2a10000, 0x52800241, 0xb9000001, 0xd2a10140, 0xb9401401, 0x121e7821, 0xb9001401,
            0xd2a10160, 0x12800001, 0xb9008001, 0x52a01001, 0xb9010001, 0xd2800021, 0xd518cca1, 0xd2801fe1,
            0xd5184601, 0xd2800021, 0xd518cce1, 0x10003dc1, 0xd518c001, 0x92800000, 0xd51b9c40, 0xd5189e40,
            0xd51b9c60, 0xd2800020, 0xd51b9c00, 0xd2800100,
            0xd51bec00, 0xd29e0006, 0xf2bfffe6, 0xd51be806, 0xd2800020, 0xd5189e20, 0xd2b00000, 0xb2400000,
            0xd51b9c20, 0xd2817702, 0xd2800004, 0xd2800005, 0xd50342ff,
            0xd53b9d01, 0xcb040023, 0xaa0103e4, 0xeb05007f, 0x9a858065, 0xf1000442, 0x54ffff41, 0x14000000};
        int[] words = new int[0xa80 / 4 + 3];
        System.arraycopy(code, 0, words, 0, code.length);
        System.arraycopy(new int[] {0xd5384034, 0xd53b9e75, 0x14000000}, 0, words, 0xa80 / 4, 3);
        for (String pmu : List.of("default", "pmu:armv8_cortex_a55")) {
            for (int threshold : new int[] {0, 3}) {
                String what = pmu + " threshold " + threshold;
                Boards b = new Boards(bytes(words), pmu, "pinned:0", threshold);
                Random rnd = new Random(what.hashCode());
                long at = 0;
                while (at < 8000) {
                    at += 1 + rnd.nextInt(rnd.nextBoolean() ? 30 : 3000);
                    b.run(at, what + " budget " + at);
                }
                Cpu c = b.jit.cpu();
                long loop = JitSysRegTest.RAM + 4L * 40;
                assertTrue(c.x[20] >= loop && c.x[20] < loop + 28, what + ": the interrupt came in the loop, at 0x"
                        + Long.toHexString(c.x[20]));
                assertEquals(1, c.x[21] & 1, what + ": counter 0 overflowed");
                assertTrue(c.x[2] > 0, what + ": before the loop ended");
                assertTrue(b.jit.hostedVcpu().steadyGrants() > 0, what + ": passes ran batched");
            }
        }
    }

    private static void steadyLoopRuns(int[] words, long insns) throws ImageLoadException {
        for (String pmu : List.of("fixed-counters-only", "default", "pmu:armv8_cortex_a55")) {
            for (String sched : List.of("pinned:0", "random:20")) {
                if (pmu.startsWith("pmu:") && sched.startsWith("random")) {
                    sched = "random:20:0-3"; // SET_PMU: the vCPU may only run on the A55s
                }
                for (int threshold : new int[] {0, 3}) {
                    String what = words.length + " words, " + pmu + " " + sched + " threshold " + threshold;
                    Boards b = new Boards(bytes(words), pmu, sched, threshold);
                    Random rnd = new Random(what.hashCode());
                    long at = 0;
                    while (at < insns + 50) {
                        at += 1 + rnd.nextInt(rnd.nextBoolean() ? 30 : 4000);
                        b.run(at, what + " budget " + at);
                    }
                    Cpu c = b.jit.cpu();
                    assertEquals(0, c.x[2], what + ": loop finished");
                    assertTrue(b.jit.hostedVcpu().steadyGrants() > 0, what + ": passes ran batched");
                    if (sched.equals("pinned:0")) { // migrating, the default PMU's counter may stall throughout
                        assertTrue(c.x[5] > 0, what + ": cycles between reads");
                        assertTrue(b.jit.hostedVcpu().irqLevel(), what + ": the cycle counter overflowed");
                    }
                }
            }
        }
    }

    /** System-register words (aarch64-linux-gnu-as 2.40) with Rt = x0; the generator picks Rt. */
    static final int[] SYSREG = {
        0xd53b9d00, 0xd51b9d00, // mrs/msr pmccntr_el0
        0xd53be800, 0xd51be800, // pmevcntr0_el0
        0xd53be820, 0xd51be820, // pmevcntr1_el0
        0xd53bec00, 0xd51bec00, // pmevtyper0_el0
        0xd53b9c20, 0xd51b9c20, // pmcntenset_el0
        0xd51b9c40, // msr pmcntenclr_el0
        0xd53b9c60, 0xd51b9c60, // pmovsclr_el0
        0xd51b9e60, // msr pmovsset_el0
        0xd53b9ca0, 0xd51b9ca0, // pmselr_el0
        0xd53b9d40, 0xd51b9d40, // pmxevcntr_el0
        0xd53b9c00, 0xd51b9c00, // pmcr_el0
        0xd53b9e00, 0xd51b9e00, // pmuserenr_el0
        0xd5389e20, 0xd5189e20, // pmintenset_el1
        0xd53bd040, 0xd51bd040, // tpidr_el0
        0xd53bd060, 0xd51bd060, // tpidrro_el0
        0xd53b4200, 0xd51b4200, // nzcv
        0xd53be040, 0xd51be040, // cntvct_el0 (the write is UNDEFINED)
        0xd5384100, 0xd5184100, // sp_el0
        0xd5384200, 0xd5184200, // spsel
        0xd53b4220, 0xd51b4220, // daif
        0xd5384240, 0xd5184240, // currentel (the write is UNDEFINED)
        0xd538f200, // mrs s3_0_c15_c2_0: no such register (UNDEFINED, ends the unit)
    };

    /**
     * Random chains: blocks of translatable instructions (JitDifferentialTest's pool, memory rebased on
     * x28) each ending in a random MRS/MSR from {@link #SYSREG}, closed by a loop back to the start or
     * a branch away, run at EL1 or EL0, with or without vectors, under random budgets and placements.
     */
    @Test
    void randomChainsOfSystemRegisterAccessesMatchTheInterpreter() throws ImageLoadException {
        long seed = Long.getLong("a64trap.test.seed", 0x5EED_0A64L);
        Random rnd = new Random(seed);
        int[] pool = JitDifferentialTest.pool(seed);
        int programs = 150;
        long regions = 0;
        for (int p = 0; p < programs; p++) {
            List<Integer> words = new ArrayList<>();
            int blocks = 1 + rnd.nextInt(4);
            for (int k = 0; k < blocks; k++) {
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    words.add(pool[rnd.nextInt(pool.length)]);
                }
                int rt = rnd.nextInt(27);
                words.add(SYSREG[rnd.nextInt(SYSREG.length)] | rt);
            }
            int tail = rnd.nextInt(3);
            for (int i = rnd.nextInt(3); i > 0; i--) {
                words.add(pool[rnd.nextInt(pool.length)]);
            }
            int back = words.size();
            words.add(switch (tail) {
                case 0 -> 0x14000000 | (-back & 0x3FF_FFFF); // b start
                case 1 -> 0x54000000 | (-back & 0x7FFFF) << 5 | rnd.nextInt(15); // b.cond start
                default -> 0xB5000000 | (-back & 0x7FFFF) << 5 | rnd.nextInt(27); // cbnz xN, start
            });
            words.add(0x14000000); // b .
            int[] code = words.stream().mapToInt(Integer::intValue).toArray();
            StringBuilder listing = new StringBuilder();
            for (int k = 0; k < code.length; k++) {
                listing.append(String.format("%n  %08x  %s", code[k],
                        Disassembler.format(Decoder.decode(code[k]), RAM + 4L * k)));
            }
            String pmu = rnd.nextBoolean() ? "fixed-counters-only" : "default";
            String sched = rnd.nextBoolean() ? "pinned:0" : "random:" + (1 + rnd.nextInt(30));
            Boards b = new Boards(bytes(code), pmu, sched, rnd.nextInt(3) == 0 ? 2 : 0);
            setUp(b, rnd);
            String what = "seed " + seed + " program " + p + " (" + pmu + ", " + sched + ")";
            try {
                long at = 0;
                for (int r = 0; r < 4; r++) {
                    at += 1 + rnd.nextInt(r == 3 ? 20000 : 200);
                    Stop s = b.run(at, what + " budget " + at);
                    if (s.kind() != Stop.Kind.BUDGET) {
                        break;
                    }
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + listing, e);
            }
            regions += b.compiler.regionCount();
        }
        assertTrue(regions > programs / 2, "region units compiled: " + regions);
    }

    /** Same random registers, data, EL and vectors on both boards; counters enabled at random. */
    private static void setUp(Boards b, Random rnd) {
        long[] x = new long[32];
        for (int r = 0; r < 31; r++) {
            x[r] = rnd.nextInt(4) == 0 ? rnd.nextInt(64) : rnd.nextLong();
        }
        x[27] = rnd.nextInt(64);
        x[28] = DATA + 0x4000 + (rnd.nextInt(0x4000) & (rnd.nextBoolean() ? ~7 : ~0));
        long sp = DATA + 0x8000;
        int nzcv = rnd.nextInt(16);
        boolean el0 = rnd.nextInt(3) == 0;
        boolean vectors = rnd.nextBoolean();
        long pmcr = rnd.nextInt(8);
        long cnten = rnd.nextLong() & 0x8000_003FL;
        long userenr = rnd.nextInt(16);
        byte[] data = new byte[0x10000];
        rnd.nextBytes(data);
        b.both(v -> {
            Cpu c = v.cpu();
            v.memory().writeBytes(DATA, data);
            if (vectors) {
                c.sys.vbar = RAM + 0x8000;
                for (int k = 0; k < 16; k++) {
                    v.memory().write(RAM + 0x8000 + 0x80L * k, 4, 0x14000000); // b .
                }
            }
            dev.a64trap.sysreg.SysRegTable t = c.sysRegs;
            t.byName("PMCR_EL0").write(c, pmcr);
            t.byName("PMCNTENSET_EL0").write(c, cnten);
            t.byName("PMUSERENR_EL0").write(c, userenr);
            System.arraycopy(x, 0, c.x, 0, 31);
            c.setSp(0, sp - 0x100);
            c.setSp(1, sp);
            c.nzcv = nzcv;
            if (el0) {
                c.setMode(0, 0);
            }
        });
    }
}
