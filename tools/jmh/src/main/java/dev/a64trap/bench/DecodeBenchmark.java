package dev.a64trap.bench;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Disassembler;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.PatternSampler;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode throughput in words per second (the score is ops/s with one op = one word): words drawn
 * from the pattern table (every row equally likely), uniformly random words (mostly UNDEFINED),
 * and disassembly of the pattern-drawn words for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBenchmark {
    static final int N = 4096;

    int[] sampled;
    int[] uniform;

    @Setup
    public void setup() {
        sampled = PatternSampler.sample(N, 42);
        SplittableRandom r = new SplittableRandom(42);
        uniform = new int[N];
        for (int i = 0; i < N; i++) {
            uniform[i] = r.nextInt();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void decodePatternDrawn(Blackhole bh) {
        for (int w : sampled) {
            bh.consume(Decoder.decode(w));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void decodeUniformRandom(Blackhole bh) {
        for (int w : uniform) {
            bh.consume(Decoder.decode(w));
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void disassemblePatternDrawn(Blackhole bh) {
        long pc = 0;
        for (int w : sampled) {
            Insn i = Decoder.decode(w);
            bh.consume(Disassembler.format(i, pc));
            pc += 4;
        }
    }
}
