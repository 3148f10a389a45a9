package dev.a64trap.bench;

import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.VmmPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The trapped PMU path and the cost the vPMU wiring adds to blocks that never touch the PMU. Each
 * op is one loop iteration of a guest (words from aarch64-linux-gnu-as, binutils 2.40):
 * <ul>
 * <li>{@code pmccntrRead}: {@code loop: mrs x1, pmccntr_el0; b loop} with the cycle counter enabled
 *     (fixed-counters-only on rk3588, pinned to cpu 0): an MRS trapped into the vPMU, plus a branch.</li>
 * <li>{@code tpidrRead}: {@code loop: mrs x1, tpidr_el0; b loop} on the same board: the interpreter's
 *     MRS path without the vPMU (the baseline the PMCCNTR read is compared with).</li>
 * <li>{@code aluBlockWithVpmu}: {@code loop: 8 x add x1, x1, #1; b loop} on the same vPMU-wired
 *     board with the cycle counter counting (every block adds its event sums).</li>
 * <li>{@code aluBlockNoVpmu}: the same block on a board without the vPMU (the baseline).</li>
 * </ul>
 * Run: {@code mvn -Pbench -pl tools/jmh -am package -DskipTests && java -jar tools/jmh/target/benchmarks.jar Pmu}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PmuBenchmark {
    static final int OPS = 100_000;
    static final int ENABLE_PMCCNTR_0 = 0xd2800020, ENABLE_PMCCNTR_1 = 0xd51b9c00, ENABLE_PMCCNTR_2 = 0xd2b00000,
            ENABLE_PMCCNTR_3 = 0xd51b9c20; // mov x0,#1; msr pmcr_el0,x0; mov x0,#0x80000000; msr pmcntenset_el0,x0
    static final int MRS_X1_TPIDR_EL0 = 0xd53bd041;
    static final int MRS_X1_PMCCNTR = 0xd53b9d01, B_BACK_1 = 0x17ffffff, ADD_X1_1 = 0x91000421, B_BACK_8 = 0x17fffff8;

    VirtBoard pmccntr;
    VirtBoard tpidr;
    VirtBoard aluWithVpmu;
    VirtBoard aluBare;

    static byte[] bytes(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    static VirtBoard board(boolean vpmu, int... words) throws ImageLoadException {
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        if (vpmu) {
            Host host = Host.preset("rk3588");
            o.vcpu = new HostedVcpu(host, Scheduler.parse("pinned:0", null, host, 1),
                    VmmPolicy.plan("fixed-counters-only", host, KvmAbi.V8, true), KvmVm.Options.defaults(), 0, -1);
        }
        return VirtBoard.load(bytes(words), "bench.bin", o);
    }

    static int[] alu(boolean prelude) {
        int[] loop = {ADD_X1_1, ADD_X1_1, ADD_X1_1, ADD_X1_1, ADD_X1_1, ADD_X1_1, ADD_X1_1, ADD_X1_1, B_BACK_8};
        if (!prelude) {
            return loop;
        }
        int[] all = new int[4 + loop.length];
        all[0] = ENABLE_PMCCNTR_0;
        all[1] = ENABLE_PMCCNTR_1;
        all[2] = ENABLE_PMCCNTR_2;
        all[3] = ENABLE_PMCCNTR_3;
        System.arraycopy(loop, 0, all, 4, loop.length);
        return all;
    }

    @Setup(Level.Trial)
    public void setup() throws ImageLoadException {
        pmccntr = board(true, ENABLE_PMCCNTR_0, ENABLE_PMCCNTR_1, ENABLE_PMCCNTR_2, ENABLE_PMCCNTR_3,
                MRS_X1_PMCCNTR, B_BACK_1);
        tpidr = board(true, ENABLE_PMCCNTR_0, ENABLE_PMCCNTR_1, ENABLE_PMCCNTR_2, ENABLE_PMCCNTR_3,
                MRS_X1_TPIDR_EL0, B_BACK_1);
        aluWithVpmu = board(true, alu(true));
        aluBare = board(false, alu(false));
    }

    private static long run(VirtBoard b, int insnsPerOp) {
        b.run(b.cpu().retired + (long) insnsPerOp * OPS);
        return b.cpu().x[1];
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long pmccntrRead() {
        return run(pmccntr, 2);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long tpidrRead() {
        return run(tpidr, 2);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long aluBlockWithVpmu() {
        return run(aluWithVpmu, 9);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long aluBlockNoVpmu() {
        return run(aluBare, 9);
    }
}
