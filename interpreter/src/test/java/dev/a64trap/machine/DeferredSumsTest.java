package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuReg;
import dev.a64trap.pmu.VmmPolicy;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deferred block sums of {@link HostedVcpu} (whole executions counted per block and added to the
 * totals only when someone looks) against the reference path that adds every block at once: the same
 * guest on two boards, one with each path, run in lockstep and cut at many budgets, must agree after
 * every cut on everything the guest or a user can see (registers, every vPMU register, guest time,
 * interrupt line, migrations, stall time, output).
 */
class DeferredSumsTest {
    static final Path PREBUILT = Path.of("..", "guest-images", "prebuilt");

    /**
     * From aarch64-linux-gnu-as (binutils 2.40): counters 0-2 = INST_RETIRED, BR_RETIRED, MEM_ACCESS,
     * enabled; {@code mov x4, #0x4000 ; adr x6, loop} then
     * <pre>
     * loop: mrs x1, pmevcntr0_el0 ; ldr x5, [x6] ; mrs x2, pmevcntr1_el0 ; cbz x4, done ;
     *       mrs x3, pmevcntr2_el0 ; subs x4, x4, #1 ; b.ne loop ; b loop
     * done: b done
     * </pre>
     * A chain of blocks reading event counters (deferred sums, not cycles) in a JIT region.
     */
    static final int[] EVENT_LOOP = {0xd2800100, 0xd51bec00, 0xd2800420, 0xd51bec20, 0xd2800260, 0xd51bec40,
        0xd28000e0, 0xd51b9c20, 0xd2800020, 0xd51b9c00, 0xd2880004, 0x10000026, 0xd53be801, 0xf94000c5,
        0xd53be822, 0xb40000a4, 0xd53be843, 0xf1000484, 0x54ffff41, 0x17fffff9, 0x14000000};

    static List<Arguments> cases() {
        return List.of(
                Arguments.of("pmccntr loop", HostedVcpuTest.PMCCNTR_LOOP, null, "fixed-counters-only", "random:40"),
                Arguments.of("pmccntr loop", HostedVcpuTest.PMCCNTR_LOOP, null, "default", "round-robin:25"),
                Arguments.of("event loop", EVENT_LOOP, null, "default", "random:40"),
                Arguments.of("event loop", EVENT_LOOP, null, "default", "round-robin:15"),
                Arguments.of("overflow", HostedVcpuTest.OVERFLOW, null, "default", "pinned:0"),
                Arguments.of("el split", HostedVcpuTest.EL_SPLIT, null, "default", "pinned:0"),
                Arguments.of("pmu-events.elf", null, "pmu-events.elf", "default", "random:30"),
                Arguments.of("pmu-events.elf", null, "pmu-events.elf", "fixed-counters-only", "round-robin:20"),
                Arguments.of("pmu-access.elf", null, "pmu-access.elf", "default", "random:30"),
                Arguments.of("pmu-el0.elf", null, "pmu-el0.elf", "fixed-counters-only", "random:30"),
                Arguments.of("exceptions.elf", null, "exceptions.elf", "default", "round-robin:10"));
    }

    record Board(VirtBoard board, HostedVcpu vcpu, ByteArrayOutputStream out) {}

    static Board board(int[] words, String elf, String pmu, String sched, boolean lazy) throws Exception {
        Host host = Host.preset("rk3588");
        HostedVcpu v = new HostedVcpu(host, Scheduler.parse(sched, null, host, 7),
                VmmPolicy.plan(pmu, host, KvmAbi.V8, true), KvmVm.Options.defaults(), 0, -1);
        v.setLazy(lazy);
        VirtBoard.Options o = new VirtBoard.Options();
        o.vcpu = v;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        o.stdout = out;
        o.stderr = out;
        VirtBoard b;
        if (words != null) {
            o.loadAddress = OptionalLong.of(0x4000_0000L);
            b = VirtBoard.load(HostedVcpuTest.bytes(words), "loop.bin", o);
        } else {
            b = VirtBoard.load(PREBUILT.resolve(elf), o);
        }
        return new Board(b, v, out);
    }

    /** Everything visible, read without side effects on the run (peek, not materialise). */
    static String state(Board x) {
        StringBuilder s = new StringBuilder();
        VirtBoard b = x.board();
        HostedVcpu v = x.vcpu();
        s.append("retired=").append(b.cpu().retired).append(" pc=").append(Long.toHexString(b.cpu().pc))
                .append(" el=").append(b.cpu().el).append(" x=").append(Arrays.toString(b.cpu().x))
                .append(" nzcv=").append(b.cpu().nzcv).append('\n');
        s.append("ns=").append(v.nanoseconds()).append(" cpu=").append(v.currentCpu())
                .append(" irq=").append(v.irqLevel()).append('/').append(v.irqRisingEdges())
                .append(" stalled=").append(v.stalledNanos()).append(" migrations=").append(v.migrations())
                .append(" failEntry=").append(v.failEntry()).append('\n');
        for (PmuReg r : List.of(PmuReg.PMCCNTR, PmuReg.PMOVSSET, PmuReg.PMCR, PmuReg.PMCNTENSET)) {
            s.append(r).append('=').append(Long.toHexString(v.pmu().peek(r, 0))).append(' ');
        }
        for (int i = 0; i < 31; i++) {
            s.append(" c").append(i).append('=').append(Long.toHexString(v.pmu().peek(PmuReg.PMEVCNTR, i)));
        }
        s.append("\nout=").append(x.out().toString());
        return s.toString();
    }

    @ParameterizedTest(name = "{0} {3} {4}")
    @MethodSource("cases")
    void deferredSumsMatchTheEagerReferenceAtEveryCut(String name, int[] words, String elf, String pmu, String sched)
            throws Exception {
        Board lazy = board(words, elf, pmu, sched, true);
        Board eager = board(words, elf, pmu, sched, false);
        SplittableRandom rnd = new SplittableRandom(name.hashCode() ^ sched.hashCode());
        long budget = 0;
        int cuts = 0;
        long limit = 3_000_000;
        while (budget < limit) {
            // short cuts land inside blocks and compiled loops; long ones let the JIT's loops run
            budget += budget >= 2000 && rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(20_000) : 1 + rnd.nextInt(12);
            Stop a = lazy.board().run(budget);
            Stop b = eager.board().run(budget);
            cuts++;
            assertEquals(String.valueOf(b), String.valueOf(a), name + ": stop at cut " + cuts);
            assertEquals(state(eager), state(lazy), name + ": state at cut " + cuts + " (budget " + budget + ")");
            if (a.kind() != Stop.Kind.BUDGET) {
                break;
            }
        }
        assertTrue(cuts >= 5, "cut the run often: " + cuts);
        assertEquals(Arrays.toString(eager.vcpu().pmu().countedPerCpu(31)),
                Arrays.toString(lazy.vcpu().pmu().countedPerCpu(31)), "cycles per pCPU");
    }
}
