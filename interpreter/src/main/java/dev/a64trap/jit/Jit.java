package dev.a64trap.jit;

import dev.a64trap.exec.Block;
import dev.a64trap.exec.BlockCompiler;
import dev.a64trap.exec.CompiledBlock;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.LongFunction;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;
import org.objectweb.asm.util.TraceClassVisitor;

/**
 * The block compiler: translates hot blocks ({@link Translator}) and defines each as its own hidden
 * class, so a unit dropped with its block (a write to its page, cache eviction) can be unloaded on
 * its own. Settings come from system properties:
 * {@code a64trap.jit} (default true), {@code a64trap.jit.threshold} (executions before a block is
 * compiled, default 1000), {@code a64trap.jit.verify} (run ASM's CheckClassAdapter on every unit),
 * {@code a64trap.jit.dump} (print every unit's bytecode to stderr).
 */
public final class Jit implements BlockCompiler {
    public static final int DEFAULT_THRESHOLD = 1000;
    /**
     * Entries of the run loop into a block's unit before it becomes the head of a graph unit; off by
     * default ({@code -Da64trap.jit.graph.threshold=N} turns it on): on the 2-core machine this was
     * measured on, HotSpot's compilers spent more on the larger methods than the run loop saved
     * (README, Benchmarks).
     */
    public static final int DEFAULT_HOT_THRESHOLD = Integer.MAX_VALUE;

    private final int threshold;
    private final boolean verify;
    private final PrintStream dump;
    private long compiled;
    private long prefixes;
    private long rejected;
    private long regions;
    private long chained;
    private long graphUnits;
    /** Units the JVM refused (VerifyError, ClassFormatError): translator bugs. */
    private long malformed;
    private long graphBlocks;
    private long profiledGraphs;
    /** Entries into a block's unit before it is recompiled as a graph unit (0: at once; MAX_VALUE: never). */
    private final int hotThreshold;

    public Jit(int threshold, boolean verify, PrintStream dump) {
        this(threshold, DEFAULT_HOT_THRESHOLD, verify, dump);
    }

    /** With {@code hotThreshold} entries before a block's unit becomes a graph unit (0: from the start). */
    public Jit(int threshold, int hotThreshold, boolean verify, PrintStream dump) {
        this.hotThreshold = Math.max(0, hotThreshold);
        this.threshold = Math.max(0, threshold);
        this.verify = verify;
        this.dump = dump;
    }

    /** Whether the JIT is on: system property {@code a64trap.jit}, default true. */
    public static boolean enabledByProperties() {
        return !"false".equalsIgnoreCase(System.getProperty("a64trap.jit", "true"));
    }

    /** A JIT configured from the {@code a64trap.jit.*} system properties. */
    public static Jit fromProperties() {
        int t = DEFAULT_THRESHOLD;
        String s = System.getProperty("a64trap.jit.threshold");
        if (s != null) {
            try {
                t = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a64trap.jit.threshold: not a number: '" + s + "'");
            }
        }
        int hot = DEFAULT_HOT_THRESHOLD;
        String h = System.getProperty("a64trap.jit.graph.threshold");
        if (h != null) {
            try {
                hot = "never".equals(h.trim()) ? Integer.MAX_VALUE : Integer.parseInt(h.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a64trap.jit.graph.threshold: not a number: '" + h + "'");
            }
        }
        return new Jit(t, hot, Boolean.getBoolean("a64trap.jit.verify"),
                Boolean.getBoolean("a64trap.jit.dump") ? System.err : null);
    }

    @Override
    public int threshold() {
        return threshold;
    }

    @Override
    public int hotThreshold() {
        return hotThreshold;
    }

    @Override
    public CompiledBlock compileHot(Block b, LongFunction<Block> blockAt) {
        boolean profiled = Translator.runs(b) > 0;
        Translator.Unit g = Translator.translateGraph(b, blockAt);
        if (g == null) {
            return null;
        }
        profiledGraphs += profiled ? 1 : 0;
        for (int j = 1; j < g.blocks().length; j++) {
            g.blocks()[j].joinedGraph();
        }
        return define(b, g.bytes(), g, g.blocks());
    }

    @Override
    public CompiledBlock compile(Block b, LongFunction<Block> blockAt) {
        Block[] chain = Translator.regionChain(b, blockAt);
        if (chain == null && Translator.unsupported(b) != null) {
            rejected++;
            return null;
        }
        Translator.Unit region = chain != null ? Translator.translateRegion(chain)
                : hotThreshold == 0 ? Translator.translateGraph(b, blockAt) : null;
        if (region == null) {
            region = Translator.translate(b);
        }
        return define(b, region.bytes(), region, region.blocks());
    }

    /** Defines the unit's hidden class (with its class data when {@code unit} has any) and counts it. */
    private CompiledBlock define(Block b, byte[] bytes, Translator.Unit region, Block[] chain) {
        if (dump != null) {
            StringWriter sw = new StringWriter();
            new ClassReader(bytes).accept(new TraceClassVisitor(new PrintWriter(sw)), 0);
            dump.print(sw);
            dump.flush();
        }
        if (verify) {
            StringWriter sw = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(bytes), Jit.class.getClassLoader(), false, new PrintWriter(sw));
            if (sw.getBuffer().length() > 0) {
                throw new IllegalStateException(String.format("JIT unit for block 0x%x fails verification:%n%s", b.pc, sw));
            }
        }
        try {
            MethodHandles.Lookup unit = MethodHandles.lookup().defineHiddenClassWithClassData(bytes, region.classData(), true);
            CompiledBlock cb = (CompiledBlock) unit.findConstructor(unit.lookupClass(),
                    MethodType.methodType(void.class, Block[].class)).invoke(chain);
            compiled++;
            for (Block m : chain) { // a write to any member's code drops the unit with its head
                b.codeLo = Math.min(b.codeLo, m.pa);
                b.codeHi = Math.max(b.codeHi, m.pa + 4L * m.length());
            }
            if (cb.region()) {
                regions++;
                chained += chain.length - 1;
            } else if (cb.graph()) {
                graphUnits++;
                graphBlocks += chain.length;
            } else {
                prefixes += Translator.prefixOnly(b) ? 1 : 0;
            }
            return cb;
        } catch (VerifyError | ClassFormatError e) {
            // A translator bug must not take the guest down: the interpreter keeps the block.
            rejected++;
            malformed++;
            return null;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot define JIT unit for block 0x" + Long.toHexString(b.pc), t);
        }
    }

    /** Blocks translated so far. */
    public long compiledCount() {
        return compiled;
    }

    /** One line for {@code run --stats}. */
    public String summary() {
        return String.format("jit: %d blocks compiled (%d without their last instruction, %d with their MRS/MSR"
                + " chaining %d more, %d as graph units of %d blocks), %d left to the interpreter", compiled, prefixes,
                regions, chained, graphUnits, graphBlocks, rejected);
    }

    /** Units the JVM refused to define (a translator bug; the interpreter kept the block). */
    public long malformedCount() {
        return malformed;
    }

    /** Graph units made (first tier or second). */
    public long graphCount() {
        return graphUnits;
    }

    /** Graph units whose blocks were chosen by their profile (second tier). */
    public long profiledGraphCount() {
        return profiledGraphs;
    }

    /** Region units (blocks compiled with their MRS/MSR and chained on past it). */
    public long regionCount() {
        return regions;
    }

    /** Blocks that stayed with the interpreter (unsupported instruction, too long). */
    public long rejectedCount() {
        return rejected;
    }
}
