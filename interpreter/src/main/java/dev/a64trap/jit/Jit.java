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

    private final int threshold;
    private final boolean verify;
    private final PrintStream dump;
    private long compiled;
    private long prefixes;
    private long rejected;
    private long regions;
    private long chained;

    public Jit(int threshold, boolean verify, PrintStream dump) {
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
        return new Jit(t, Boolean.getBoolean("a64trap.jit.verify"),
                Boolean.getBoolean("a64trap.jit.dump") ? System.err : null);
    }

    @Override
    public int threshold() {
        return threshold;
    }

    @Override
    public CompiledBlock compile(Block b, LongFunction<Block> blockAt) {
        Block[] chain = Translator.regionChain(b, blockAt);
        if (chain == null && Translator.unsupported(b) != null) {
            rejected++;
            return null;
        }
        Translator.Unit region = chain != null ? Translator.translateRegion(chain) : null;
        byte[] bytes = region != null ? region.bytes() : Translator.translate(b);
        if (chain == null) {
            chain = new Block[] {b};
        }
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
            MethodHandles.Lookup unit = region != null
                    ? MethodHandles.lookup().defineHiddenClassWithClassData(bytes, region.classData(), true)
                    : MethodHandles.lookup().defineHiddenClass(bytes, true);
            CompiledBlock cb = (CompiledBlock) unit.findConstructor(unit.lookupClass(),
                    MethodType.methodType(void.class, Block[].class)).invoke(chain);
            compiled++;
            if (cb.region()) {
                regions++;
                chained += chain.length - 1;
            } else {
                prefixes += Translator.prefixOnly(b) ? 1 : 0;
            }
            return cb;
        } catch (VerifyError | ClassFormatError e) {
            // A translator bug must not take the guest down: the interpreter keeps the block.
            rejected++;
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
                + " chaining %d more), %d left to the interpreter", compiled, prefixes, regions, chained, rejected);
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
