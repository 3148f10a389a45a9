package dev.a64trap.bench;

import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.VmmPolicy;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 14's cycle-counter loop (guest-images/src/pmccntr-loop.S), one op = one iteration of 7
 * instructions: {@code loop: mrs x1, pmccntr_el0; sub x3, x1, x4; mov x4, x1; cmp x3, x5;
 * csel x5, x3, x5, hi; subs x2, x2, #1; b.ne loop} (x2 starts at 0, so the loop never ends by
 * itself; each invocation runs a budget of iterations), with the cycle counter enabled at EL1, on a
 * simulated rk3588, the vCPU pinned to pCPU 0, in each VMM PMU mode (the default PMU, SET_PMU of
 * the A55 PMU, fixed-counters-only, auto). Words from aarch64-linux-gnu-as 2.40.
 * Run: {@code mvn -Pbench -pl tools/jmh -am package -DskipTests && java -jar tools/jmh/target/benchmarks.jar PmccntrLoop}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PmccntrLoopBenchmark {
    static final int OPS = 100_000;
    static final int INSNS = 7;
    static final int[] WORDS = {
        0xd2800020, 0xd51b9c00, 0xd2b00000, 0xd51b9c20, // mov x0,#1; msr pmcr_el0,x0; mov x0,#0x80000000; msr pmcntenset_el0,x0
        0xd2800002, 0xd2800004, 0xd2800005, // mov x2,#0; mov x4,#0; mov x5,#0
        0xd53b9d01, 0xcb040023, 0xaa0103e4, 0xeb05007f, 0x9a858065, 0xf1000442, 0x54ffff41,
    };

    @Param({"default", "pmu:armv8_cortex_a55", "fixed-counters-only", "auto"})
    public String pmu;

    VirtBoard board;

    @Setup(Level.Trial)
    public void setup() throws ImageLoadException {
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        Host host = Host.preset("rk3588");
        o.vcpu = new HostedVcpu(host, Scheduler.parse("pinned:0", null, host, 1),
                VmmPolicy.plan(pmu, host, KvmAbi.V8, true), KvmVm.Options.defaults(), 0, -1);
        board = VirtBoard.load(PmuBenchmark.bytes(WORDS), "pmccntr-loop.bin", o);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long iteration() {
        board.run(board.cpu().retired + (long) INSNS * OPS);
        return board.cpu().x[5];
    }
}
