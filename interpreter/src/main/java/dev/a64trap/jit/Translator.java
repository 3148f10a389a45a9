package dev.a64trap.jit;

import static org.objectweb.asm.Opcodes.*;

import dev.a64trap.decode.Insn;
import dev.a64trap.decode.Op;
import dev.a64trap.exec.Alu;
import dev.a64trap.exec.Block;
import dev.a64trap.exec.FpSimdOps;
import dev.a64trap.sysreg.SysReg;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Turns one decoded {@link Block} into the bytes of a class implementing
 * {@code exec.CompiledBlock}. Guest registers live in JVM locals for the whole unit and are
 * written back at its exits; a block that ends with a branch to its own start becomes a JVM loop
 * (the back-edge checks the iteration limit, the interrupt flag and, if the block stores, whether
 * a store dropped it). Semantics are the interpreter's static helpers ({@code Alu}, {@code Lsu})
 * called with {@code invokestatic}; moves, adds, logic, constants, shifts, extends and bitfield moves
 * by constants, and condition tests are inlined.
 *
 * <p>Flags are lazy: ADDS/SUBS/ANDS/BICS (and CMP/CMN/TST) keep their operands in locals (F_A, F_B,
 * the kind in L_FK) and a condition on them is a direct comparison (CMP a, b; B.LT is {@code a < b});
 * NZCV is built only where it is live: at each exit (where the kind is known at translation time),
 * before an instruction that reads it otherwise (ADC/SBC, SIMD&FP, MRS/MSR), and in the fault
 * handler (by the run-time kind).
 *
 * <p>A faulting load/store throws {@code GuestFault} out of the helper; the handler sees the locals
 * as they were before the faulting instruction (nothing is written before the access), spills them
 * and reports the instruction index.
 *
 * <p>A region unit ({@link #regionChain}, {@link #translateRegion}) translates a chain of blocks, each
 * but the last ending in an MRS/MSR of a known register, one after the other in one method; the
 * block boundaries call {@code JitFrame.next} (the interpreter's accounting) and the last block's
 * branch to the chain's start is the loop.
 */
final class Translator {
    /** Operations the translator handles; anything else leaves the block to the interpreter. */
    static final Set<Op> SUPPORTED = EnumSet.of(
            Op.ADD_IMM, Op.SUB_IMM, Op.ADD_SREG, Op.SUB_SREG, Op.ADD_EREG, Op.SUB_EREG, Op.ADC, Op.SBC,
            Op.AND_IMM, Op.ORR_IMM, Op.EOR_IMM, Op.AND_REG, Op.BIC_REG, Op.ORR_REG, Op.ORN_REG, Op.EOR_REG,
            Op.EON_REG, Op.MOVZ, Op.MOVN, Op.MOVK, Op.ADR, Op.ADRP, Op.SBFM, Op.UBFM, Op.BFM, Op.EXTR,
            Op.CCMN_REG, Op.CCMP_REG, Op.CCMN_IMM, Op.CCMP_IMM, Op.CSEL, Op.CSINC, Op.CSINV, Op.CSNEG,
            Op.MADD, Op.MSUB, Op.SMADDL, Op.SMSUBL, Op.UMADDL, Op.UMSUBL, Op.SMULH, Op.UMULH, Op.UDIV,
            Op.SDIV, Op.LSLV, Op.LSRV, Op.ASRV, Op.RORV, Op.CRC32, Op.RBIT, Op.REV16, Op.REV32, Op.REV,
            Op.CLZ, Op.CLS,
            Op.B, Op.BL, Op.B_COND, Op.CBZ, Op.CBNZ, Op.TBZ, Op.TBNZ, Op.BR, Op.BLR, Op.RET,
            Op.LDR, Op.STR, Op.LDP, Op.STP, Op.LDAR, Op.STLR, Op.PRFM,
            Op.HINT, Op.DSB, Op.DMB, Op.ISB);

    /** Whether {@code in} is translated; WFI, WFE, SEV and SEVL are not: the interpreter asks the board. */
    static boolean supported(Insn in) {
        return (SUPPORTED.contains(in.op()) || FpSimdOps.handles(in.op()) || dev.a64trap.exec.Interpreter.isCacheMaintenance(in))
                && !dev.a64trap.exec.Interpreter.isEventHint(in);
    }

    /** Longest block translated (the interpreter's cap is lower; this keeps methods far below 64 KiB). */
    static final int MAX_INSNS = 256;
    /** Most blocks chained into one region unit (each MRS/MSR spills and reloads the registers). */
    static final int MAX_CHAIN = 16;

    static final String UNIT_NAME = "dev/a64trap/jit/Unit";

    private static final String ALU = "dev/a64trap/exec/Alu";
    /** A unit's superclass. */
    private static final String UNIT_SUPER = "dev/a64trap/exec/CompiledBlock";
    private static final String LSU = "dev/a64trap/exec/Lsu";
    private static final String GUEST_MEMORY = "dev/a64trap/mem/GuestMemory";
    private static final String CPU = "dev/a64trap/cpu/Cpu";
    private static final String CPU_D = "Ldev/a64trap/cpu/Cpu;";
    private static final String BLOCK = "dev/a64trap/exec/Block";
    private static final String FRAME = "dev/a64trap/exec/JitFrame";
    private static final String TALLY = "dev/a64trap/exec/GraphTally";
    private static final String MEM = "dev/a64trap/mem/PhysicalMemory";
    private static final String MEM_D = "Ldev/a64trap/mem/PhysicalMemory;";
    private static final String FAULT = "dev/a64trap/cpu/GuestFault";
    private static final String CHAIN_D = "[L" + BLOCK + ";";
    private static final String CTX_D = "Ldev/a64trap/sysreg/SysRegContext;";
    private static final String SYSREG = "dev/a64trap/sysreg/SysReg";
    private static final String ACCESS = SYSREG + "$Access";

    /** Most load/store sites of a plain loop unit that keep their granule in locals ({@link #siteCache}). */
    static final int MAX_SITES = 4;

    // Local variable slots. L_LEFT: block boundaries left (graph units), passes left (plain units).
    private static final int THIS = 0, L_CPU = 1, L_BLOCK = 2, L_FRAME = 3, L_MAX = 4, L_MEM = 6, L_NZCV = 7,
            L_IDX = 8, L_ITER = 9, L_NEXT = 11, T_A = 13, T_B = 15, T_ADDR = 17, T_V = 19, T_V2 = 21,
            L_X = 23, L_REG0 = 24, T_C = L_REG0 + 64, L_BLK = T_C + 1, T_OBJ = L_BLK + 1,
            L_R = T_OBJ + 1, L_LEFT = L_R + 2, L_DYN = L_LEFT + 1, L_COUNTS = L_DYN + 1,
            // lazy flags: the pending flag-setting operation (Alu.LAZY_*, NONE: L_NZCV holds them) and
            // its operands
            L_FK = L_COUNTS + 1, F_A = L_FK + 1, F_B = F_A + 2,
            // steady region loops: passes that may still run batched, batched passes not yet settled,
            // the MRS's value in the next batched pass and its step (one value per access: L_SVAL + 2 *
            // block index), the batch method's result
            L_SLEFT = F_B + 2, L_SDONE = L_SLEFT + 2, L_SSTEP = L_SDONE + 2, L_SVAL = L_SSTEP + 2,
            L_SRES = L_SVAL + 2 * MAX_CHAIN,
            // plain loop units: per load/store site, the granule it last hit (tag, host array, delta)
            // and, for a single-register store, the 64-byte line it last hit beside translated code
            L_SITE = L_SRES + 1,
            // plain units: the passes they may make in this call (L_LEFT's start)
            L_LEFT0 = L_SITE + 6 * MAX_SITES;
    // Steady region loops: the batch method's state in JitFrame.batch (registers at their numbers)
    private static final int B_NZCV = 32, B_FK = 33, B_FA = 34, B_FB = 35, B_SLEFT = 36, B_SDONE = 37,
            B_SSTEP = 38, B_ITER = 39, B_SVAL = 40;

    private final Block block;
    private final Insn[] insns;
    /** The unit's blocks: {@link #block} alone, or a region's chain starting with it. */
    private final Block[] chain;
    /** A region unit (see {@link #regionChain}). */
    private final boolean region;
    /** Region units: index in {@link #chain} of the block being emitted. */
    private int cur;
    /**
     * A steady region loop ({@link #steadyLoop}): after a pass whose MRSs ran through the handler, the
     * frame may grant passes that run batched — each MRS's value computed in the unit, no block
     * boundary calls — settled in one call ({@code JitFrame.settle}) before the unit leaves or calls
     * the frame again. The batched passes run in a method of their own ({@link #emitBatch}) that calls
     * nothing, so that HotSpot keeps the loop's values in registers (in {@code run}, whose slow paths
     * call the frame, C2 kept them all on the stack: 7 ns a pass instead of 2).
     */
    private boolean steady;
    /** Emitting the batch method of a steady loop. */
    private boolean inBatch;
    /** The batch method's labels: the head block's start, and where it saves its state and returns. */
    private Label batchHead, batchSave;
    /** Steady loops: the last block's successor other than the head (where a pass leaves the loop), or -1. */
    private long steadyExit = -1;
    /** Region units: exits taken after a block boundary (label, next PC), emitted after the body. */
    private final List<Object[]> exitStubs = new ArrayList<>();
    /**
     * The unit's class data: access rules, handlers and descriptors, each in a static final field
     * {@code K<index>} (constants to HotSpot, so each access calls its own handler directly).
     */
    private final List<Object> constants = new ArrayList<>();
    private final List<String> constantTypes = new ArrayList<>();

    /** A translated unit: class bytes and the class data its static initializer reads. */
    record Unit(byte[] bytes, List<Object> classData, Block[] blocks) {}
    private MethodVisitor mv;
    /** Registers 0..31 (31 = the current SP) that the block reads or writes. */
    private final boolean[] touched = new boolean[32];
    /** Registers the emitted code has stored to so far (complete once the body is emitted). */
    private final boolean[] written = new boolean[32];
    private boolean usesMemory;
    private boolean stores;
    /** SIMD&FP or cache maintenance: calls that may access memory (and fill the TLB) on their own. */
    private boolean otherMemoryCalls;
    /** Load/store sites that may keep their granule (not LDTR/STTR-like), in emission order. */
    private int siteCount;
    /**
     * A plain unit looping on itself, with no memory call but its loads and stores: each of its first
     * {@link #MAX_SITES} load/store sites keeps the TLB entry of the granule it last hit in locals
     * (page tag, host array, index delta), so a pass that stays in the same granules tests one tag per
     * access, with no TLB arrays read. The locals copy the data TLB at the site's last miss, and the
     * TLB changes only in a miss (Lsu's slow paths), which makes every site look again.
     */
    private boolean siteCache;
    /** Whether each site is a store (it keeps a granule that allows direct stores). */
    private final boolean[] siteStores = new boolean[MAX_SITES];
    /**
     * Whether each site is a single-register store, which may also keep a 64-byte line of a granule
     * holding translated code, where the line holds none (a loop storing beside its own code): the
     * granule's stores are not direct, but the line's are as long as no code is translated there,
     * and nothing is translated while a unit runs.
     */
    private final boolean[] siteLines = new boolean[MAX_SITES];
    /** Sites given out so far while emitting. */
    private int sitesUsed;
    /** Within addSub: PSTATE.C has been saved to T_C. */
    private boolean carrySaved;
    /**
     * The flags at the point being emitted, as known at translation time: an Alu.LAZY_* kind (LAZY_NONE:
     * in L_NZCV), or {@link #FLAGS_UNKNOWN} where paths with different kinds meet (L_FK says at run time).
     */
    private int flags = FLAGS_UNKNOWN;
    /** A block or region unit that branches back to its start. */
    private boolean loops;
    /** The unit has a flag setter kept lazy (else the flags are always in L_NZCV). */
    private boolean hasLazy;
    /** A load, store or cache operation that may fault is emitted while flags may be pending. */
    private boolean lazyAtFault;
    /** Flag setters whose flags stay lazy ({@link #setLazy}); ADCS/SBCS read C and build NZCV at once. */
    private static final Set<Op> LAZY_SETTERS = EnumSet.of(Op.ADD_IMM, Op.SUB_IMM, Op.ADD_SREG, Op.SUB_SREG,
            Op.ADD_EREG, Op.SUB_EREG, Op.AND_IMM, Op.AND_REG, Op.BIC_REG);

    /** The flags where paths meet: pending on some perhaps (L_FK says), if the unit ever leaves them so. */
    private int merged() {
        return hasLazy ? FLAGS_UNKNOWN : Alu.LAZY_NONE;
    }
    private static final int FLAGS_UNKNOWN = -1;
    private final Label head = new Label();
    private final Label exitAtHead = new Label();
    private final Label spill = new Label();

    private final boolean prefix;

    /** A graph unit (see {@link #graph}). */
    private boolean graph;
    /** Graph units: chain index of each block's PC. */
    private final java.util.Map<Long, Integer> indexOf = new java.util.HashMap<>();
    /** Graph units: the label of each block and of its entry check. */
    private Label[] blockLabel;
    private Label[] entryLabel;
    /** Graph units: edge counters, key (block index, next PC) -> counter number. */
    private final java.util.Map<List<Long>, Integer> edgeIndex = new java.util.LinkedHashMap<>();
    private final List<long[]> edgeList = new ArrayList<>();
    /** Graph units: PCs after a BL/BLR in the unit (where its RETs are predicted to go). */
    private final Set<Long> returnSites = new java.util.HashSet<>();
    /** Graph units: length of the generated run method, for the size check. */
    private int codeLength;

    private Translator(Block block) {
        this.block = block;
        this.prefix = prefixOnly(block);
        this.insns = prefix ? java.util.Arrays.copyOf(block.insns, block.insns.length - 1) : block.insns;
        this.chain = new Block[] {block};
        this.region = false;
    }

    private Translator(Block[] chain) {
        this.block = chain[0];
        this.prefix = false;
        this.insns = block.insns;
        this.chain = chain;
        this.region = true;
    }

    private Translator(Block[] blocks, boolean graph) {
        this.block = blocks[0];
        this.prefix = false;
        this.insns = block.insns;
        this.chain = blocks;
        this.region = false;
        this.graph = graph;
    }

    // ---- graph units

    /** Most blocks and instructions in a graph unit: its method stays well below HotSpot's 8000-byte limit. */
    static final int MAX_GRAPH_BLOCKS = Integer.getInteger("a64trap.jit.graph.blocks", 16);
    static final int MAX_GRAPH_INSNS = Integer.getInteger("a64trap.jit.graph.insns", 96);
    /**
     * Longest run method of a graph unit. HotSpot does not compile methods over 8000 bytes of bytecode
     * at all, and its compilers take long over (or give up on) ones far below that.
     */
    static final int MAX_CODE = 3000;
    /** Block boundaries a graph unit crosses per call before it returns to the run loop. */
    static final int MAX_EDGES_PER_CALL = 4096;
    /** Most distinct edges (block, next PC) a graph unit counts. */
    static final int MAX_EDGES = 512;

    /** Whether every instruction of {@code b}, its last included, translates. */
    static boolean graphBlock(Block b) {
        if (b.insns.length > MAX_INSNS) {
            return false;
        }
        for (Insn in : b.insns) {
            if (!supported(in)) {
                return false;
            }
        }
        return true;
    }

    /** The PCs a block may continue at that are known at translation time (return sites included). */
    static long[] successors(Block b) {
        Insn last = b.insns[b.insns.length - 1];
        long pc = b.pc + 4L * (b.insns.length - 1);
        return switch (last.op()) {
            case B -> new long[] {pc + last.imm()};
            case BL -> new long[] {pc + last.imm(), pc + 4};
            case B_COND, CBZ, CBNZ, TBZ, TBNZ -> new long[] {pc + last.imm(), pc + 4};
            case BLR -> new long[] {pc + 4};
            case BR, RET -> new long[0];
            default -> new long[] {b.endPc()};
        };
    }

    /**
     * A successor of a graph unit's block is taken in only while it ran at least 1/HOT_SHARE as often
     * as the head (on that edge): colder paths leave the unit, so its method stays small for HotSpot.
     */
    static final int HOT_SHARE = Integer.getInteger("a64trap.jit.graph.share", 8);

    /** Whole executions of {@code b} by compiled code, reported so far (its profile). */
    static long runs(Block b) {
        return b.profFall + b.profOther;
    }

    /** How often {@code b} went on to its successor {@code t} (a return site: as often as the call ran, at most as the site). */
    private static long edgeRuns(Block b, long t, LongFunction<Block> blockAt) {
        Op op = b.insns[b.insns.length - 1].op();
        if ((op == Op.BL || op == Op.BLR) && t == b.endPc()) {
            Block site = blockAt.apply(t);
            return site == null || site.pc != t ? 0 : Math.min(runs(b), runs(site));
        }
        return t == b.endPc() ? b.profFall : b.profOther;
    }

    /**
     * The blocks of a graph unit headed by {@code b} (on {@code b}'s page, every instruction
     * translatable, at most {@code maxBlocks}), or null when {@code b} itself does not translate whole.
     * With a profile (the head's runs by compiled code), the hottest edges first and none colder than
     * {@link #HOT_SHARE}; without one, breadth first along all successors. One page: the run loop
     * checks that the head's page still translates to the same PA and a write to the page drops the
     * head, so both hold for all.
     */
    static Block[] graph(Block b, LongFunction<Block> blockAt, int maxBlocks) {
        if (!graphBlock(b)) {
            return null;
        }
        long head = runs(b);
        List<Block> out = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        out.add(b);
        seen.add(b.pc);
        int total = b.insns.length;
        // candidates {weight, pc}, heaviest first (breadth first without a profile: all weigh 0)
        java.util.PriorityQueue<long[]> queue = new java.util.PriorityQueue<>(
                (x, y) -> x[0] != y[0] ? Long.compare(y[0], x[0]) : Long.compare(x[2], y[2]));
        long order = 0;
        for (long t : successors(b)) {
            queue.add(new long[] {head > 0 ? edgeRuns(b, t, blockAt) : 0, t, order++});
        }
        while (!queue.isEmpty() && out.size() < maxBlocks) {
            long[] c = queue.poll();
            long t = c[1];
            if (head > 0 && c[0] * HOT_SHARE < head) {
                break; // the rest are colder still
            }
            if (t >>> 12 != b.pc >>> 12 || (t & 3) != 0 || seen.contains(t)) {
                continue;
            }
            Block n = blockAt.apply(t);
            if (n == null || n.pc != t || !graphBlock(n) || total + n.insns.length > MAX_GRAPH_INSNS) {
                continue;
            }
            seen.add(t);
            out.add(n);
            total += n.insns.length;
            for (long s : successors(n)) {
                queue.add(new long[] {head > 0 ? edgeRuns(n, s, blockAt) : 0, s, order++});
            }
        }
        return out.toArray(new Block[0]);
    }

    /**
     * The graph unit of {@code b}, or null when {@code b} does not translate whole. Shrinks the graph
     * until the method fits {@link #MAX_CODE}.
     */
    static Unit translateGraph(Block b, LongFunction<Block> blockAt) {
        for (int max = MAX_GRAPH_BLOCKS; max >= 1; max = max / 2) {
            Block[] blocks = graph(b, blockAt, max);
            if (blocks == null || (blocks.length == 1 && runs(b) > 0)) {
                return null; // (a hot block alone: its plain unit does as well)
            }
            Translator t = new Translator(blocks, true);
            byte[] bytes = t.emitClass();
            if (t.codeLength <= MAX_CODE || max == 1) {
                return new Unit(bytes, List.copyOf(t.constants), blocks);
            }
        }
        return null;
    }

    /** Whether {@code b} ends with an MRS/MSR (register) whose descriptor exists: a region unit runs it. */
    static boolean endsWithAccess(Block b) {
        Op last = b.insns[b.insns.length - 1].op();
        return (last == Op.MRS || last == Op.MSR_REG) && b.sysReg != null;
    }

    /** Whether every instruction of {@code b} is translated in a region (the last may be a known MRS/MSR). */
    private static boolean regionBlock(Block b) {
        Insn[] in = b.insns;
        if (in.length > MAX_INSNS) {
            return false;
        }
        for (int k = 0; k < in.length - 1; k++) {
            if (!supported(in[k])) {
                return false;
            }
        }
        return supported(in[in.length - 1]) || endsWithAccess(b);
    }

    /**
     * The chain of a region unit headed by {@code b}, or null when {@code b} is no region head (it must
     * end with a known MRS/MSR and translate otherwise). The chain follows the fall-through after each
     * MRS/MSR while the next block is translatable and on {@code b}'s page (a write there drops
     * {@code b}, and with it the unit), up to {@link #MAX_CHAIN} blocks and {@link #MAX_INSNS}
     * instructions; it ends with the first block that does not end in such an access.
     */
    static Block[] regionChain(Block b, LongFunction<Block> blockAt) {
        if (!endsWithAccess(b) || !regionBlock(b)) {
            return null;
        }
        List<Block> out = new ArrayList<>();
        out.add(b);
        int total = b.insns.length;
        Block last = b;
        while (endsWithAccess(last) && out.size() < MAX_CHAIN) {
            long pc = last.endPc();
            if (pc >>> 12 != b.pc >>> 12) {
                break;
            }
            Block next = blockAt.apply(pc);
            if (next == null || !regionBlock(next) || total + next.insns.length > MAX_INSNS) {
                break;
            }
            out.add(next);
            total += next.insns.length;
            last = next;
        }
        return out.toArray(new Block[0]);
    }

    /**
     * Whether a region chain is a steady loop: every block but the last ends in an MRS with a reader
     * (the chain's only accesses), the last branches back to the first; no memory access (a device
     * could see guest time, which batched passes report late) and no SIMD&FP call.
     */
    private boolean steadyLoop() {
        int n = chain.length;
        if (n < 2 || usesMemory || endsWithAccess(chain[n - 1])) {
            return false;
        }
        for (int j = 0; j < n - 1; j++) {
            Block a = chain[j];
            if (a.insns[a.insns.length - 1].op() != Op.MRS || a.sysReg.reader() == null) {
                return false;
            }
        }
        for (long t : successors(chain[n - 1])) {
            if (t == chain[0].pc) {
                return true;
            }
        }
        return false;
    }

    /** The region unit of {@code chain} (from {@link #regionChain}). */
    static Unit translateRegion(Block[] chain) {
        Translator t = new Translator(chain);
        byte[] bytes = t.emitClass();
        return new Unit(bytes, List.copyOf(t.constants), chain);
    }

    /**
     * Why {@code b} cannot be translated, or null if it can. A block whose only untranslatable
     * instruction is its last (MRS, SVC, HLT...) is translated without it (a prefix unit).
     */
    static String unsupported(Block b) {
        Insn[] in = b.insns;
        if (in.length > MAX_INSNS) {
            return "block of " + in.length + " instructions";
        }
        for (int k = 0; k < in.length - 1; k++) {
            if (!supported(in[k])) {
                return in[k].op().name();
            }
        }
        if (!supported(in[in.length - 1]) && in.length < 2) {
            return in[0].op().name() + " alone";
        }
        return null;
    }

    /** Whether {@code b} translates as a prefix unit (all but its last instruction). */
    static boolean prefixOnly(Block b) {
        return !supported(b.insns[b.insns.length - 1]);
    }

    /** Class bytes for {@code b} (check {@link #unsupported} first). */
    static Unit translate(Block b) {
        Translator t = new Translator(b);
        byte[] bytes = t.emitClass();
        return new Unit(bytes, List.copyOf(t.constants), new Block[] {b});
    }

    private byte[] emitClass() {
        scan();
        steady = region && steadyLoop();
        if (steady) {
            for (long t : successors(chain[chain.length - 1])) {
                if (t != block.pc) {
                    steadyExit = t;
                }
            }
        }
        siteCache = !region && !graph && !prefix && !otherMemoryCalls && siteCount > 0
                && java.util.Arrays.stream(successors(block)).anyMatch(t -> t == block.pc);
        // Class file version 49 (Java 5): no StackMapTable, so ASM computes no frames (its costliest work,
        // and Java code that itself waits for the JVM's JIT); HotSpot verifies the unit by type inference.
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V1_5, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, UNIT_NAME, null, UNIT_SUPER, null);
        cw.visitSource(String.format("guest block 0x%x", block.pc), null);
        cw.visitField(ACC_PRIVATE | ACC_FINAL, "chain", CHAIN_D, null, null).visitEnd();
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "(" + CHAIN_D + ")V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, UNIT_SUPER, "<init>", "()V", false);
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitFieldInsn(PUTFIELD, UNIT_NAME, "chain", CHAIN_D);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor po = cw.visitMethod(ACC_PUBLIC, "prefixOnly", "()Z", null, null);
        po.visitCode();
        po.visitInsn(prefix ? ICONST_1 : ICONST_0);
        po.visitInsn(IRETURN);
        po.visitMaxs(0, 0);
        po.visitEnd();
        MethodVisitor rg = cw.visitMethod(ACC_PUBLIC, "region", "()Z", null, null);
        rg.visitCode();
        rg.visitInsn(region ? ICONST_1 : ICONST_0);
        rg.visitInsn(IRETURN);
        rg.visitMaxs(0, 0);
        rg.visitEnd();
        MethodVisitor gr = cw.visitMethod(ACC_PUBLIC, "graph", "()Z", null, null);
        gr.visitCode();
        gr.visitInsn(graph ? ICONST_1 : ICONST_0);
        gr.visitInsn(IRETURN);
        gr.visitMaxs(0, 0);
        gr.visitEnd();
        mv = cw.visitMethod(ACC_PUBLIC, "run", "(" + CPU_D + "L" + BLOCK + ";L" + FRAME + ";J)J", null, null);
        mv.visitCode();
        if (graph) {
            emitGraph();
        } else {
            emitRun();
        }
        Label codeEnd = new Label();
        mv.visitLabel(codeEnd);
        codeLength = codeEnd.getOffset();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        if (steady) {
            mv = cw.visitMethod(ACC_PRIVATE, "batch", "(" + CPU_D + "L" + BLOCK + ";L" + FRAME + ";J)I", null, null);
            mv.visitCode();
            emitBatch();
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        if (!constants.isEmpty()) {
            MethodVisitor ci = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
            ci.visitCode();
            for (int k = 0; k < constants.size(); k++) {
                String desc = constantTypes.get(k);
                cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "K" + k, desc, null, null).visitEnd();
                ci.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
                        "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
                ci.visitLdcInsn("_");
                ci.visitLdcInsn(org.objectweb.asm.Type.getType(desc));
                ci.visitLdcInsn(k);
                ci.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classDataAt",
                        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;",
                        false);
                ci.visitTypeInsn(CHECKCAST, desc.startsWith("[") ? desc : desc.substring(1, desc.length() - 1));
                ci.visitFieldInsn(PUTSTATIC, UNIT_NAME, "K" + k, desc);
            }
            ci.visitInsn(RETURN);
            ci.visitMaxs(0, 0);
            ci.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private void scan() {
        List<Insn> all = new ArrayList<>(List.of(insns));
        for (int j = 1; j < chain.length; j++) {
            all.addAll(List.of(chain[j].insns));
        }
        for (Insn in : all) {
            Op op = in.op();
            hasLazy |= in.setsFlags() && LAZY_SETTERS.contains(op);
            if (!FpSimdOps.handles(op)) { // those work on the CPU's registers, written back around the call
                for (int r : new int[] {in.rd(), in.rn(), in.rm(), in.ra()}) {
                    touched[r] = true;
                }
            }
            if (op == Op.BL || op == Op.BLR) {
                touched[30] = true;
            }
            switch (op) {
                case LDR, LDP, LDAR -> usesMemory = true;
                case STR, STP, STLR -> {
                    usesMemory = true;
                    stores = true;
                }
                case SYS -> otherMemoryCalls = true; // DC/IC by VA
                default -> {
                    if (FpSimdOps.handles(op)) { // a call with the memory; it may store (counted as one)
                        usesMemory = true;
                        stores = true;
                        otherMemoryCalls = true;
                    }
                }
            }
            if (isSite(in)) {
                if (siteCount < MAX_SITES) {
                    siteStores[siteCount] = op == Op.STR || op == Op.STP || op == Op.STLR;
                    siteLines[siteCount] = op == Op.STR || op == Op.STLR;
                }
                siteCount++;
            }
        }
    }

    private static int slot(int r) {
        return L_REG0 + 2 * r;
    }

    /** Registers and flags into locals, the memory, fault index and block at zero. */
    private void prologue() {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitFieldInsn(GETFIELD, CPU, "x", "[J");
        mv.visitVarInsn(ASTORE, L_X);
        reloadState();
        if (usesMemory) {
            mv.visitVarInsn(ALOAD, L_FRAME);
            mv.visitFieldInsn(GETFIELD, FRAME, "mem", MEM_D);
        } else {
            mv.visitInsn(ACONST_NULL);
        }
        mv.visitVarInsn(ASTORE, L_MEM);
        iconst(0);
        mv.visitVarInsn(ISTORE, L_IDX);
        iconst(0);
        mv.visitVarInsn(ISTORE, L_BLK);
        if (siteCache) {
            for (int k = 0; k < Math.min(siteCount, MAX_SITES); k++) {
                lconst(-1); // no granule yet: no masked address equals it
                mv.visitVarInsn(LSTORE, siteTag(k));
                mv.visitInsn(ACONST_NULL);
                mv.visitVarInsn(ASTORE, sitePage(k));
                iconst(0);
                mv.visitVarInsn(ISTORE, siteDelta(k));
                if (siteLines[k]) {
                    lconst(-1);
                    mv.visitVarInsn(LSTORE, siteLine(k));
                }
            }
        }
        if (hasLazy) {
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, F_A);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, F_B);
        }
        if (steady) {
            for (int slot = L_SLEFT; slot <= L_SSTEP; slot += 2) {
                mv.visitInsn(LCONST_0);
                mv.visitVarInsn(LSTORE, slot);
            }
            for (int j = 0; j < chain.length - 1; j++) {
                mv.visitInsn(LCONST_0);
                mv.visitVarInsn(LSTORE, L_SVAL + 2 * j);
            }
        }
    }

    private void emitRun() {
        prologue();
        if (region) {
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, L_ITER);
        } else {
            // Plain units count passes down in an int (L_LEFT) from the limit clamped to [0, MAX_VALUE]
            // (kept in L_MAX) and work out the passes made at the exits: C2 made a long count compared
            // with the limit each pass into a nested loop and spilled guest registers for it.
            mv.visitVarInsn(LLOAD, L_MAX);
            lconst(Integer.MAX_VALUE);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", "(JJ)J", false);
            mv.visitInsn(LCONST_0);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "max", "(JJ)J", false);
            mv.visitInsn(DUP2);
            mv.visitVarInsn(LSTORE, L_MAX);
            mv.visitInsn(L2I);
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, L_LEFT);
            mv.visitVarInsn(ISTORE, L_LEFT0);
        }
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, L_NEXT);

        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, FAULT);
        mv.visitLabel(head);
        mv.visitLabel(tryStart);
        // a loop's back-edges meet the entry here (with flags pending perhaps)
        long[] next = successors(chain[chain.length - 1]);
        loops = !prefix && java.util.Arrays.stream(next).anyMatch(t -> t == block.pc);
        flags = loops ? merged() : Alu.LAZY_NONE;
        if (region) {
            emitChain();
        } else {
            boolean branched = false;
            for (int i = 0; i < insns.length; i++) {
                long pc = block.pc + 4L * i;
                branched = emit(insns[i], pc, i);
            }
            if (!branched) {
                exitTo(block.pc + 4L * insns.length); // a prefix unit stops at the block's last instruction
            }
        }
        mv.visitLabel(tryEnd);
        for (Object[] stub : exitStubs) {
            mv.visitLabel((Label) stub[0]);
            lconst((Long) stub[1]);
            mv.visitVarInsn(LSTORE, L_NEXT);
            mv.visitJumpInsn(GOTO, spill);
        }

        // Back-edge at the block's start already counted: leave with the block's own PC next.
        mv.visitLabel(exitAtHead);
        lconst(block.pc);
        mv.visitVarInsn(LSTORE, L_NEXT);

        // Epilogue: write back and report.
        mv.visitLabel(spill);
        flags = Alu.LAZY_NONE; // each exit built NZCV where it left
        if (steady) {
            Label none = new Label();
            mv.visitVarInsn(LLOAD, L_SDONE);
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFEQ, none);
            settle(0);
            mv.visitLabel(none);
        }
        spillWritten();
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(LLOAD, L_NEXT);
        mv.visitFieldInsn(PUTFIELD, FRAME, "nextPc", "J");
        passesMade();
        mv.visitInsn(LRETURN);

        // Fault: the locals hold the state before the faulting instruction.
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, T_A);
        flags = lazyAtFault ? FLAGS_UNKNOWN : Alu.LAZY_NONE;
        settleBatched(); // batched passes first: the faulting block starts after them
        spillWritten();
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ALOAD, T_A);
        mv.visitFieldInsn(PUTFIELD, FRAME, "fault", "L" + FAULT + ";");
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ILOAD, L_IDX);
        mv.visitFieldInsn(PUTFIELD, FRAME, "faultIndex", "I");
        if (region) {
            mv.visitVarInsn(ALOAD, L_FRAME);
            mv.visitVarInsn(ALOAD, THIS);
            mv.visitFieldInsn(GETFIELD, UNIT_NAME, "chain", CHAIN_D);
            mv.visitVarInsn(ILOAD, L_BLK);
            mv.visitInsn(AALOAD);
            mv.visitFieldInsn(PUTFIELD, FRAME, "faultBlock", "L" + BLOCK + ";");
        }
        passesMade();
        mv.visitInsn(LRETURN);
    }

    /** Pushes the whole passes made so far: L_ITER, or for a plain unit its clamped limit less the passes left. */
    private void passesMade() {
        if (region) {
            mv.visitVarInsn(LLOAD, L_ITER);
            return;
        }
        mv.visitVarInsn(LLOAD, L_MAX);
        mv.visitVarInsn(ILOAD, L_LEFT);
        mv.visitInsn(I2L);
        mv.visitInsn(LSUB);
    }

    // ---- graph units

    private final Label graphExit = new Label();

    /**
     * The graph unit's method: the blocks one after the other, each internal branch a jump through the
     * target's entry check, edge counters in the frame's array (zero on entry, zeroed again by the
     * report), and one exit that spills the registers and reports the edges.
     */
    private void emitGraph() {
        int n = chain.length;
        blockLabel = new Label[n];
        entryLabel = new Label[n];
        for (int j = 0; j < n; j++) {
            indexOf.put(chain[j].pc, j);
            blockLabel[j] = new Label();
            entryLabel[j] = new Label();
            Insn last = chain[j].insns[chain[j].insns.length - 1];
            if (last.op() == Op.BL || last.op() == Op.BLR) {
                returnSites.add(chain[j].endPc());
            }
        }
        prologue();
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, L_NEXT);
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitFieldInsn(GETFIELD, CPU, "retired", "J");
        mv.visitVarInsn(LSTORE, L_R);
        iconst(MAX_EDGES_PER_CALL);
        mv.visitVarInsn(ISTORE, L_LEFT);
        iconst(-1);
        mv.visitVarInsn(ISTORE, L_DYN);
        int tally = constants.size(); // the unit's GraphTally, made once its edges are known
        constant(null, "L" + TALLY + ";");
        mv.visitFieldInsn(GETFIELD, TALLY, "counts", "[J");
        mv.visitVarInsn(ASTORE, L_COUNTS);

        Label tryStart = new Label();
        Label tryEnd = new Label();
        Label handler = new Label();
        mv.visitTryCatchBlock(tryStart, tryEnd, handler, FAULT);
        mv.visitLabel(tryStart);
        for (int j = 0; j < n; j++) {
            cur = j;
            Block b = chain[j];
            mv.visitLabel(blockLabel[j]);
            flags = merged();
            iconst(j);
            mv.visitVarInsn(ISTORE, L_BLK);
            boolean branched = false;
            for (int i = 0; i < b.insns.length; i++) {
                branched = emit(b.insns[i], b.pc + 4L * i, i);
            }
            if (!branched) {
                exitTo(b.endPc());
            }
        }
        mv.visitLabel(tryEnd);

        // Entry checks: go on into block k only where the run loop would not look first.
        for (int k = 0; k < n; k++) {
            Label fail = new Label();
            mv.visitLabel(entryLabel[k]);
            mv.visitVarInsn(LLOAD, L_R);
            mv.visitVarInsn(ALOAD, L_FRAME);
            mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "checkpoint", "()J", false);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, fail);
            mv.visitVarInsn(LLOAD, L_MAX);
            mv.visitVarInsn(LLOAD, L_R);
            mv.visitInsn(LSUB);
            lconst(chain[k].insns.length);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLT, fail);
            jumpIfInterruptedOrStale(stores, fail);
            mv.visitIincInsn(L_LEFT, -1);
            mv.visitVarInsn(ILOAD, L_LEFT);
            mv.visitJumpInsn(IFLE, fail);
            mv.visitJumpInsn(GOTO, blockLabel[k]);
            mv.visitLabel(fail);
            lconst(chain[k].pc);
            mv.visitVarInsn(LSTORE, L_NEXT);
            mv.visitJumpInsn(GOTO, graphExit);
        }

        // Fault: the locals hold the state before the faulting instruction of block L_BLK.
        mv.visitLabel(handler);
        mv.visitVarInsn(ASTORE, T_A);
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ALOAD, T_A);
        mv.visitFieldInsn(PUTFIELD, FRAME, "fault", "L" + FAULT + ";");
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ILOAD, L_IDX);
        mv.visitFieldInsn(PUTFIELD, FRAME, "faultIndex", "I");
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, UNIT_NAME, "chain", CHAIN_D);
        mv.visitVarInsn(ILOAD, L_BLK);
        mv.visitInsn(AALOAD);
        mv.visitFieldInsn(PUTFIELD, FRAME, "faultBlock", "L" + BLOCK + ";");
        iconst(-1);
        mv.visitVarInsn(ISTORE, L_DYN);

        // Exit: registers back, the edges reported, the retired count returned.
        mv.visitLabel(graphExit);
        flags = merged(); // an entry check's exit: as the edge left them
        spillWritten();
        int edges = edgeList.size();
        if (edges > 0) {
            int[] eb = new int[edges];
            long[] en = new long[edges];
            for (int e = 0; e < edges; e++) {
                eb[e] = (int) edgeList.get(e)[0];
                en[e] = edgeList.get(e)[1];
            }
            Label listed = new Label();
            mv.visitFieldInsn(GETSTATIC, UNIT_NAME, "K" + tally, "L" + TALLY + ";");
            mv.visitFieldInsn(GETFIELD, TALLY, "listed", "Z");
            mv.visitJumpInsn(IFNE, listed);
            mv.visitVarInsn(ALOAD, L_FRAME);
            mv.visitFieldInsn(GETSTATIC, UNIT_NAME, "K" + tally, "L" + TALLY + ";");
            mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "tallied", "(L" + TALLY + ";)V", false);
            mv.visitLabel(listed);
            constants.set(tally, new dev.a64trap.exec.GraphTally(chain, eb, en));
        } else {
            constants.set(tally, new dev.a64trap.exec.GraphTally(chain, new int[0], new long[0]));
        }
        Label noDyn = new Label();
        mv.visitVarInsn(ILOAD, L_DYN);
        mv.visitJumpInsn(IFLT, noDyn);
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, UNIT_NAME, "chain", CHAIN_D);
        mv.visitVarInsn(ILOAD, L_DYN);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(LLOAD, L_NEXT);
        mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "graphExit", "(L" + BLOCK + ";J)V", false);
        mv.visitLabel(noDyn);
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(LLOAD, L_NEXT);
        mv.visitFieldInsn(PUTFIELD, FRAME, "nextPc", "J");
        mv.visitVarInsn(LLOAD, L_R);
        mv.visitInsn(LRETURN);
    }

    /** Counts one pass of the current block on to {@code next} and adds its length to the retired count. */
    private void countEdge(long next) {
        int e = edgeIndex.computeIfAbsent(List.of((long) cur, next), k -> {
            edgeList.add(new long[] {cur, next});
            return edgeList.size() - 1;
        });
        mv.visitVarInsn(ALOAD, L_COUNTS);
        iconst(e);
        mv.visitInsn(DUP2);
        mv.visitInsn(LALOAD);
        mv.visitInsn(LCONST_1);
        mv.visitInsn(LADD);
        mv.visitInsn(LASTORE);
    }

    private void retire() {
        mv.visitVarInsn(LLOAD, L_R);
        lconst(chain[cur].insns.length);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, L_R);
    }

    /** The current block ends with a branch to the constant {@code target}: into the unit, or out. */
    private void graphEdge(long target) {
        countEdge(target);
        retire();
        Integer k = indexOf.get(target);
        if (k != null) {
            mv.visitJumpInsn(GOTO, entryLabel[k]);
        } else {
            lconst(target);
            mv.visitVarInsn(LSTORE, L_NEXT);
            mv.visitJumpInsn(GOTO, graphExit);
        }
    }

    /**
     * The current block ends with an indirect branch to L_NEXT: a RET to one of the unit's return
     * sites, or a BR to any of its blocks, stays in the unit (a switch on the page offset); anything
     * else leaves with the block reported at the exit.
     */
    private void graphDynamic() {
        retire();
        Op op = chain[cur].insns[chain[cur].insns.length - 1].op();
        java.util.TreeMap<Integer, Integer> cases = new java.util.TreeMap<>();
        if (op != Op.BLR) {
            for (var en : indexOf.entrySet()) {
                if (op == Op.BR || returnSites.contains(en.getKey())) {
                    cases.put((int) (en.getKey() & 0xFFF), en.getValue());
                }
            }
        }
        Label dyn = new Label();
        if (!cases.isEmpty() && edgeList.size() + cases.size() <= MAX_EDGES - 2 * MAX_GRAPH_BLOCKS) {
            mv.visitVarInsn(LLOAD, L_NEXT);
            iconst(12);
            mv.visitInsn(LUSHR);
            lconst(block.pc >>> 12);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, dyn);
            mv.visitVarInsn(LLOAD, L_NEXT);
            mv.visitInsn(L2I);
            iconst(0xFFF);
            mv.visitInsn(IAND);
            int[] keys = new int[cases.size()];
            Label[] labels = new Label[cases.size()];
            int c = 0;
            for (int key : cases.keySet()) {
                keys[c] = key;
                labels[c++] = new Label();
            }
            mv.visitLookupSwitchInsn(dyn, keys, labels);
            c = 0;
            for (int k : cases.values()) {
                mv.visitLabel(labels[c++]);
                countEdge(chain[k].pc);
                mv.visitJumpInsn(GOTO, entryLabel[k]);
            }
        }
        mv.visitLabel(dyn);
        iconst(cur);
        mv.visitVarInsn(ISTORE, L_DYN);
        mv.visitJumpInsn(GOTO, graphExit);
    }

    // ---- region units

    /** The chain's blocks one after the other; each MRS/MSR runs through the frame, then a block boundary. */
    private void emitChain() {
        for (int j = 0; j < chain.length; j++) {
            cur = j;
            Block b = chain[j];
            Insn[] in = b.insns;
            boolean branched = false;
            for (int i = 0; i < in.length; i++) {
                long pc = b.pc + 4L * i;
                if (i == in.length - 1 && endsWithAccess(b)) {
                    emitAccess(i);
                } else {
                    branched = emit(in[i], pc, i);
                }
            }
            if (branched) {
                continue; // the last block: its branch has left or looped
            }
            if (j + 1 < chain.length) {
                // Block boundary into the next block of the chain, unless the run loop must look first
                // (a batched pass has none: the frame granted the whole pass).
                Label out = new Label();
                exitStubs.add(new Object[] {out, b.endPc()});
                boundary(j, b.endPc(), j + 1);
                mv.visitJumpInsn(IFEQ, out);
            } else {
                materialize();
                boundary(j, b.endPc(), -1);
                mv.visitInsn(POP);
                lconst(b.endPc());
                mv.visitVarInsn(LSTORE, L_NEXT);
                mv.visitJumpInsn(GOTO, spill);
            }
        }
    }

    /** Pushes chain block {@code j}. */
    private void chainBlock(int j) {
        if (j == 0) {
            mv.visitVarInsn(ALOAD, L_BLOCK);
            return;
        }
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, UNIT_NAME, "chain", CHAIN_D);
        iconst(j);
        mv.visitInsn(AALOAD);
    }

    /**
     * The MRS/MSR at index {@code i} ending the current block, as SystemOps runs it: registers and
     * flags to the CPU; the block becomes the executing one (JitFrame.beforeAccess); the descriptor's
     * rule checked (a refusal throws the interpreter's exception); its handler called; registers back.
     * Rule, handler and descriptor are constants of the unit. A direction without a handler
     * (UNDEFINED) goes through JitFrame.sysAccess, the interpreter's own code.
     */
    private void emitAccess(int i) {
        Block b = chain[cur];
        Insn in = b.insns[i];
        SysReg reg = b.sysReg;
        boolean write = in.op() == Op.MSR_REG;
        Label accessed = new Label();
        int sval = L_SVAL + 2 * cur;
        if (steady && cur == 0) {
            // Passes granted: run them in the batch method, then go on as it says.
            Label slow = new Label();
            mv.visitVarInsn(LLOAD, L_SLEFT);
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFLE, slow);
            callBatch(slow);
            mv.visitLabel(slow);
            flags = merged();
        }
        materialize(); // the handler may read NZCV
        if (steady && cur == 0) {
            settleBatched(); // the frame is called next: the batched passes before this one first
        }
        iconst(i);
        mv.visitVarInsn(ISTORE, L_IDX);
        iconst(cur);
        mv.visitVarInsn(ISTORE, L_BLK);
        boolean direct = write ? reg.writer() != null : reg.reader() != null;
        if (direct && !write) {
            // A handler sees the CPU only through SysRegContext: of the registers, the flags and the
            // current SP (SP_EL0 with SPSel = 0); a reader changes neither. A refusal or fault spills
            // the rest in the unit's handler.
            boolean[] sp = new boolean[32];
            sp[31] = touched[31];
            spill(sp);
        } else {
            spillState();
        }
        if (!direct) {
            mv.visitVarInsn(ALOAD, L_FRAME);
            chainBlock(cur);
            mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "sysAccess", "(L" + BLOCK + ";)V", false);
            reloadState();
            return;
        }
        mv.visitVarInsn(ALOAD, L_FRAME);
        chainBlock(cur);
        mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "beforeAccess", "(L" + BLOCK + ";)V", false);
        String ruleD = "L" + SYSREG + "$El0Rule;";
        constant(reg.el0Rule(), ruleD);
        mv.visitVarInsn(ALOAD, L_CPU);
        bool(write);
        mv.visitMethodInsn(INVOKEINTERFACE, SYSREG + "$El0Rule", "check", "(" + CTX_D + "Z)L" + ACCESS + ";", true);
        mv.visitInsn(DUP);
        mv.visitFieldInsn(GETSTATIC, ACCESS, "ALLOW", "L" + ACCESS + ";");
        Label allowed = new Label();
        mv.visitJumpInsn(IF_ACMPEQ, allowed);
        mv.visitVarInsn(ASTORE, T_OBJ);
        mv.visitVarInsn(ALOAD, L_FRAME);
        chainBlock(cur);
        mv.visitVarInsn(ALOAD, T_OBJ);
        mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "refused", "(L" + BLOCK + ";L" + ACCESS + ";)L" + FAULT + ";", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(allowed);
        mv.visitInsn(POP);
        if (write) {
            constant(reg.writer(), "L" + SYSREG + "$Writer;");
            mv.visitVarInsn(ALOAD, L_CPU);
            constant(reg, "L" + SYSREG + ";");
            rz(in.rd());
            mv.visitMethodInsn(INVOKEINTERFACE, SYSREG + "$Writer", "write", "(" + CTX_D + "L" + SYSREG + ";J)V", true);
            reloadState();
        } else {
            constant(reg.reader(), "L" + SYSREG + "$Reader;");
            mv.visitVarInsn(ALOAD, L_CPU);
            constant(reg, "L" + SYSREG + ";");
            mv.visitMethodInsn(INVOKEINTERFACE, SYSREG + "$Reader", "read", "(" + CTX_D + "L" + SYSREG + ";)J", true);
            mv.visitVarInsn(LSTORE, T_V);
            if (in.rd() != 31) {
                mv.visitVarInsn(LLOAD, T_V);
                store(in.rd());
            }
            if (steady) {
                mv.visitVarInsn(LLOAD, T_V);
                mv.visitVarInsn(LSTORE, sval);
            }
            if (steady && cur == chain.length - 2) {
                // The pass's last MRS: ask for batched passes after this one; each batched read is the
                // same MRS's read of this pass plus a step per pass.
                mv.visitVarInsn(ALOAD, L_FRAME);
                mv.visitVarInsn(ALOAD, THIS);
                mv.visitFieldInsn(GETFIELD, UNIT_NAME, "chain", CHAIN_D);
                mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "steady", "(" + CHAIN_D + ")J", false);
                mv.visitVarInsn(LSTORE, L_SLEFT);
                mv.visitVarInsn(ALOAD, L_FRAME);
                mv.visitFieldInsn(GETFIELD, FRAME, "steadyStep", "[J");
                iconst(0);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, L_SSTEP);
                for (int j = 0; j < chain.length - 1; j++) {
                    mv.visitVarInsn(LLOAD, L_SVAL + 2 * j);
                    mv.visitVarInsn(LLOAD, L_SSTEP);
                    mv.visitInsn(LADD);
                    mv.visitVarInsn(LSTORE, L_SVAL + 2 * j);
                }
            }
        }
        mv.visitLabel(accessed);
    }

    /**
     * Steady loops, at the head block's MRS with passes granted: the state into JitFrame.batch, the
     * batch method, the state back. It returns 0 at this MRS with no passes left (on to {@code slow});
     * 1 when a batched pass left the loop (its last block then ends here); 2 at the head after a pass
     * when the pass limit or an interrupt says stop.
     */
    private void callBatch(Label slow) {
        int res = L_SRES;
        batchState(true);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ALOAD, L_BLOCK);
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(LLOAD, L_MAX);
        mv.visitMethodInsn(INVOKESPECIAL, UNIT_NAME, "batch", "(" + CPU_D + "L" + BLOCK + ";L" + FRAME + ";J)I", false);
        mv.visitVarInsn(ISTORE, res);
        batchState(false);
        mv.visitVarInsn(ILOAD, res);
        mv.visitJumpInsn(IFEQ, slow);
        Label atHead = new Label();
        mv.visitVarInsn(ILOAD, res);
        iconst(2);
        mv.visitJumpInsn(IF_ICMPEQ, atHead);
        // 1: the batched passes and the blocks before the last of the one that left, then its boundary
        int last = chain.length - 1;
        settle(last);
        boundary(last, steadyExit, -1);
        mv.visitInsn(POP);
        lconst(steadyExit);
        mv.visitVarInsn(LSTORE, L_NEXT);
        mv.visitJumpInsn(GOTO, spill); // NZCV built in the batch method where the pass left
        mv.visitLabel(atHead);
        flags = merged();
        materialize();
        lconst(block.pc);
        mv.visitVarInsn(LSTORE, L_NEXT);
        mv.visitJumpInsn(GOTO, spill);
    }

    /** Steady loops: the locals the batch method shares, into JitFrame.batch ({@code out}) or from it. */
    private void batchState(boolean out) {
        for (int r = 0; r < 32; r++) {
            if (touched[r]) {
                batchSlot(out, B0 + r, slot(r), true);
            }
        }
        batchSlot(out, B_NZCV, L_NZCV, false);
        batchSlot(out, B_FK, L_FK, false);
        if (hasLazy) {
            batchSlot(out, B_FA, F_A, true);
            batchSlot(out, B_FB, F_B, true);
        }
        batchSlot(out, B_SLEFT, L_SLEFT, true);
        batchSlot(out, B_SDONE, L_SDONE, true);
        batchSlot(out, B_SSTEP, L_SSTEP, true);
        batchSlot(out, B_ITER, L_ITER, true);
        for (int j = 0; j < chain.length - 1; j++) {
            batchSlot(out, B_SVAL + j, L_SVAL + 2 * j, true);
        }
    }
    private static final int B0 = 0;

    private void batchSlot(boolean out, int index, int local, boolean wide) {
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitFieldInsn(GETFIELD, FRAME, "batch", "[J");
        iconst(index);
        if (out) {
            mv.visitVarInsn(wide ? LLOAD : ILOAD, local);
            if (!wide) {
                mv.visitInsn(I2L);
            }
            mv.visitInsn(LASTORE);
        } else {
            mv.visitInsn(LALOAD);
            if (!wide) {
                mv.visitInsn(L2I);
            }
            mv.visitVarInsn(wide ? LSTORE : ISTORE, local);
        }
    }

    /**
     * Steady loops: {@code int batch(cpu, block, frame, max)}, the granted passes from the head
     * block's MRS on (see {@link #callBatch}): the chain's instructions with each MRS's value from its
     * local, no block boundaries, no calls; the flags stay pending across passes.
     */
    private void emitBatch() {
        inBatch = true;
        int res = L_SRES;
        batchHead = new Label();
        batchSave = new Label();
        Label mrs0 = new Label();
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitFieldInsn(GETFIELD, CPU, "x", "[J");
        mv.visitVarInsn(ASTORE, L_X);
        mv.visitInsn(ACONST_NULL);
        mv.visitVarInsn(ASTORE, L_MEM);
        iconst(0);
        mv.visitVarInsn(ISTORE, L_IDX);
        iconst(0);
        mv.visitVarInsn(ISTORE, L_BLK);
        iconst(0);
        mv.visitVarInsn(ISTORE, res);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, L_NEXT);
        if (!hasLazy) {
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, F_A);
            mv.visitInsn(LCONST_0);
            mv.visitVarInsn(LSTORE, F_B);
        }
        batchState(false);
        mv.visitJumpInsn(GOTO, mrs0);
        mv.visitLabel(batchHead);
        flags = merged();
        for (int j = 0; j < chain.length; j++) {
            cur = j;
            Block b = chain[j];
            Insn[] in = b.insns;
            boolean branched = false;
            for (int i = 0; i < in.length; i++) {
                if (i == in.length - 1 && endsWithAccess(b)) {
                    if (j == 0) {
                        mv.visitLabel(mrs0);
                        flags = merged();
                        mv.visitVarInsn(LLOAD, L_SLEFT);
                        mv.visitInsn(LCONST_0);
                        mv.visitInsn(LCMP);
                        Label go = new Label();
                        mv.visitJumpInsn(IFGT, go);
                        iconst(0);
                        mv.visitVarInsn(ISTORE, res);
                        mv.visitJumpInsn(GOTO, batchSave);
                        mv.visitLabel(go);
                        longInc(L_SLEFT, -1);
                    }
                    int sval = L_SVAL + 2 * j;
                    Insn mrs = in[i];
                    if (mrs.rd() != 31) {
                        mv.visitVarInsn(LLOAD, sval);
                        store(mrs.rd());
                    }
                    mv.visitVarInsn(LLOAD, sval);
                    mv.visitVarInsn(LLOAD, L_SSTEP);
                    mv.visitInsn(LADD);
                    mv.visitVarInsn(LSTORE, sval);
                } else {
                    branched = emit(in[i], b.pc + 4L * i, i);
                }
            }
            if (!branched && j == chain.length - 1) {
                exitTo(b.endPc());
            }
        }
        mv.visitLabel(batchSave);
        batchState(true);
        mv.visitVarInsn(ILOAD, res);
        mv.visitInsn(IRETURN);
        inBatch = false;
    }

    /** The batch method's branch to {@code target}: round again from the head, or return 1 (left the loop). */
    private void batchExitTo(long target) {
        int res = L_SRES;
        if (target == block.pc) {
            longInc(L_SDONE, 1);
            countIteration();
            Label stop = new Label();
            mv.visitVarInsn(LLOAD, L_ITER);
            mv.visitVarInsn(LLOAD, L_MAX);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, stop);
            jumpIfInterruptedOrStale(false, stop);
            mv.visitJumpInsn(GOTO, batchHead);
            mv.visitLabel(stop);
            iconst(2);
        } else {
            if (target != steadyExit) {
                throw new IllegalStateException("a steady loop leaving for 0x" + Long.toHexString(target));
            }
            iconst(1);
        }
        mv.visitVarInsn(ISTORE, res);
        mv.visitJumpInsn(GOTO, batchSave);
    }

    /**
     * Steady loops: the frame's settle of the batched passes, then of the first {@code blocks} blocks
     * of a batched pass in progress; the count to zero.
     */
    private void settle(int blocks) {
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitVarInsn(ALOAD, THIS);
        mv.visitFieldInsn(GETFIELD, UNIT_NAME, "chain", CHAIN_D);
        mv.visitVarInsn(LLOAD, L_SDONE);
        iconst(blocks);
        mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "settle", "(" + CHAIN_D + "JI)V", false);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, L_SDONE);
    }

    /** Steady loops, before the frame is called or the unit leaves: settles the batched passes, if any. */
    private void settleBatched() {
        if (!steady) {
            return;
        }
        Label none = new Label();
        mv.visitVarInsn(LLOAD, L_SDONE);
        mv.visitInsn(LCONST_0);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFEQ, none);
        settle(0);
        mv.visitLabel(none);
    }

    /** Pushes {@code value} from the unit's class data (static final field of type {@code desc}). */
    private void constant(Object value, String desc) {
        int k = constants.size();
        constants.add(value);
        constantTypes.add(desc);
        mv.visitFieldInsn(GETSTATIC, UNIT_NAME, "K" + k, desc);
    }

    /** JitFrame.next(chain block {@code done}, nextPc, chain block {@code next} or null if -1); pushes its result. */
    private void boundary(int done, long nextPc, int next) {
        mv.visitVarInsn(ALOAD, L_FRAME);
        chainBlock(done);
        lconst(nextPc);
        if (next >= 0) {
            chainBlock(next);
        } else {
            mv.visitInsn(ACONST_NULL);
        }
        mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "next", "(L" + BLOCK + ";JL" + BLOCK + ";)Z", false);
    }

    private void reloadState() {
        for (int r = 0; r < 32; r++) {
            if (touched[r]) {
                mv.visitVarInsn(ALOAD, L_X);
                iconst(r);
                mv.visitInsn(LALOAD);
                mv.visitVarInsn(LSTORE, slot(r));
            }
        }
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitFieldInsn(GETFIELD, CPU, "nzcv", "I");
        mv.visitVarInsn(ISTORE, L_NZCV);
        iconst(Alu.LAZY_NONE);
        mv.visitVarInsn(ISTORE, L_FK);
        flags = Alu.LAZY_NONE;
    }

    /**
     * Spill at an exit emitted after the whole body: only the registers the unit writes (the others
     * still equal the CPU's, from which they were loaded), so they need not live to every exit.
     */
    private void spillWritten() {
        spill(written);
    }

    private void spillState() {
        spill(touched);
    }

    /** Registers {@code regs} and the flags from locals to the CPU. */
    private void spill(boolean[] regs) {
        materialize();
        for (int r = 0; r < 32; r++) {
            if (regs[r]) {
                mv.visitVarInsn(ALOAD, L_X);
                iconst(r);
                mv.visitVarInsn(LLOAD, slot(r));
                mv.visitInsn(LASTORE);
            }
        }
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ILOAD, L_NZCV);
        mv.visitFieldInsn(PUTFIELD, CPU, "nzcv", "I");
    }

    // ---- exits

    /** Leaves the current execution of the block for the constant {@code target}. */
    private void exitTo(long target) {
        if (!internal(target) || region && !(inBatch && target == block.pc)) {
            materialize(); // here, where the pending operation is known: the exits' common code stores L_NZCV
        }
        if (inBatch) {
            batchExitTo(target);
            return;
        }
        if (graph) {
            graphEdge(target);
            return;
        }
        if (region) {
            regionExitTo(target);
            return;
        }
        countIteration();
        if (target == block.pc) {
            // The block's own loop: go round again unless the limit, an interrupt or a code write says stop.
            Label stop = flags == Alu.LAZY_NONE ? exitAtHead : new Label();
            mv.visitVarInsn(ILOAD, L_LEFT);
            mv.visitJumpInsn(IFLE, stop);
            jumpIfInterruptedOrStale(stores, stop);
            mv.visitJumpInsn(GOTO, head);
            if (stop != exitAtHead) { // stopping: NZCV built here, where the kind is known
                mv.visitLabel(stop);
                materialize();
                mv.visitJumpInsn(GOTO, exitAtHead);
            }
            return;
        }
        lconst(target);
        mv.visitVarInsn(LSTORE, L_NEXT);
        mv.visitJumpInsn(GOTO, spill);
    }

    /** Before a two-way branch: NZCV built once here when both ways leave the unit (each would). */
    private void materializeIfBothLeave(long a, long b) {
        if (!internal(a) && !internal(b)) {
            materialize();
        }
    }

    /** Whether a branch to {@code target} stays in the unit: the loop's head, or a graph unit's block. */
    private boolean internal(long target) {
        return graph ? indexOf.containsKey(target) : target == block.pc;
    }

    /**
     * After a conditional jump to {@code l}: the fall-through leaves for {@code first}, {@code l} for
     * {@code second}, each from the flags as they were at the jump.
     */
    private void twoWay(Label l, long first, long second) {
        int f = flags;
        exitTo(first);
        flags = f;
        mv.visitLabel(l);
        exitTo(second);
    }

    /** Leaves for the target on the stack (a long). */
    private void exitToStack() {
        mv.visitVarInsn(LSTORE, L_NEXT);
        if (!graph) {
            materialize();
        }
        if (graph) {
            graphDynamic();
            return;
        }
        if (region) {
            mv.visitVarInsn(ALOAD, L_FRAME);
            chainBlock(cur);
            mv.visitVarInsn(LLOAD, L_NEXT);
            mv.visitInsn(ACONST_NULL);
            mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "next", "(L" + BLOCK + ";JL" + BLOCK + ";)Z", false);
            mv.visitInsn(POP);
        } else {
            countIteration();
        }
        mv.visitJumpInsn(GOTO, spill);
    }

    /**
     * A region's branch to a constant: the block boundary, then round again from the chain's start
     * when it branches there (unless the frame or the pass limit says stop), else out.
     */
    private void regionExitTo(long target) {
        Label out = new Label();
        exitStubs.add(new Object[] {out, target});
        if (target == block.pc) {
            boundary(cur, target, 0);
            mv.visitJumpInsn(IFEQ, out);
            countIteration();
            mv.visitVarInsn(LLOAD, L_ITER);
            mv.visitVarInsn(LLOAD, L_MAX);
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFGE, out);
            mv.visitJumpInsn(GOTO, head);
        } else {
            boundary(cur, target, -1);
            mv.visitInsn(POP);
            mv.visitJumpInsn(GOTO, out);
        }
    }

    private void countIteration() {
        if (!region) { // plain units count down (emitRun)
            mv.visitIincInsn(L_LEFT, -1);
            return;
        }
        longInc(L_ITER, 1);
    }

    /** Adds {@code d} to the long local {@code slot}. */
    private void longInc(int slot, long d) {
        mv.visitVarInsn(LLOAD, slot);
        lconst(d);
        mv.visitInsn(LADD);
        mv.visitVarInsn(LSTORE, slot);
    }

    /** Conditional branch: the int condition on the stack is non-zero when taken. */
    private void branchIf(long taken, long notTaken) {
        Label t = new Label();
        mv.visitJumpInsn(IFNE, t);
        twoWay(t, notTaken, taken);
    }

    // ---- registers

    /** Pushes register {@code r}; 31 is the current SP if {@code sp}, else XZR. */
    private void get(int r, boolean sp) {
        if (r == 31 && !sp) {
            mv.visitInsn(LCONST_0);
        } else {
            mv.visitVarInsn(LLOAD, slot(r));
        }
    }

    private void rz(int r) {
        get(r, false);
    }

    /** Pops a long into register {@code r}; 31 is the SP if {@code sp}, else the write is dropped. */
    private void set(int r, boolean sp) {
        if (r == 31 && !sp) {
            mv.visitInsn(POP2);
        } else {
            store(r);
        }
    }

    /** Pops a long into register {@code r}'s local and notes that the unit writes it. */
    private void store(int r) {
        written[r] = true;
        mv.visitVarInsn(LSTORE, slot(r));
    }

    private void wz(int r) {
        set(r, false);
    }

    // ---- constants and calls

    private void iconst(int v) {
        if (v >= -1 && v <= 5) {
            mv.visitInsn(ICONST_0 + v);
        } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            mv.visitIntInsn(BIPUSH, v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            mv.visitIntInsn(SIPUSH, v);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    /** Jumps to {@code to} when the run loop must look first: an interrupt request, or (for a block that stores) its code was written. */
    private void jumpIfInterruptedOrStale(boolean stores, Label to) {
        mv.visitVarInsn(ALOAD, L_FRAME);
        mv.visitFieldInsn(GETFIELD, FRAME, "interrupt", "Z");
        mv.visitJumpInsn(IFNE, to);
        if (stores) {
            mv.visitVarInsn(ALOAD, L_BLOCK);
            mv.visitFieldInsn(GETFIELD, BLOCK, "stale", "Z");
            mv.visitJumpInsn(IFNE, to);
        }
    }

    private void lconst(long v) {
        if (v == 0) {
            mv.visitInsn(LCONST_0);
        } else if (v == 1) {
            mv.visitInsn(LCONST_1);
        } else {
            mv.visitLdcInsn(v);
        }
    }

    private void bool(boolean v) {
        mv.visitInsn(v ? ICONST_1 : ICONST_0);
    }

    private void alu(String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, ALU, name, desc, false);
    }

    private void lsu(String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, LSU, name, desc, false);
    }

    /** Alu.width inlined: the low 32 bits for W registers. */
    private void width(boolean sf) {
        if (!sf) {
            mv.visitLdcInsn(0xFFFF_FFFFL);
            mv.visitInsn(LAND);
        }
    }

    private void not() {
        mv.visitLdcInsn(-1L);
        mv.visitInsn(LXOR);
    }

    private void nzcv() {
        mv.visitVarInsn(ILOAD, L_NZCV);
    }

    // ---- flags: lazy until a condition or an exit needs them

    /**
     * A flag-setting operation of kind {@code kind} (Alu.LAZY_*) with operands in T_A and T_B: kept as
     * its operands in F_A/F_B, NZCV built only where needed.
     */
    private void setLazy(int kind) {
        lazySetter();
        mv.visitVarInsn(LLOAD, T_A);
        mv.visitVarInsn(LSTORE, F_A);
        mv.visitVarInsn(LLOAD, T_B);
        mv.visitVarInsn(LSTORE, F_B);
        iconst(kind);
        mv.visitVarInsn(ISTORE, L_FK);
        flags = kind;
    }

    /** A lazy setter is being emitted: {@link #scan} must have seen it (merge points depend on it). */
    private void lazySetter() {
        if (!hasLazy) {
            throw new IllegalStateException("a lazy flag setter that LAZY_SETTERS does not list");
        }
    }

    /** NZCV into L_NZCV from the pending operation, if one may be pending (L_FK zero after). */
    private void materialize() {
        if (flags == Alu.LAZY_NONE) {
            return;
        }
        if (flags == FLAGS_UNKNOWN) {
            mv.visitVarInsn(ILOAD, L_FK);
            mv.visitVarInsn(LLOAD, F_A);
            mv.visitVarInsn(LLOAD, F_B);
            nzcv();
            alu("lazyNzcv", "(IJJI)I");
        } else if (flags == Alu.LAZY_LOGIC64 || flags == Alu.LAZY_LOGIC32) {
            bool(flags == Alu.LAZY_LOGIC64);
            mv.visitVarInsn(LLOAD, F_A);
            alu("logicFlags", "(ZJ)I");
        } else {
            boolean sub = flags == Alu.LAZY_SUB64 || flags == Alu.LAZY_SUB32;
            mv.visitVarInsn(LLOAD, F_A);
            mv.visitVarInsn(LLOAD, F_B);
            if (sub) {
                not();
            }
            iconst(sub ? 1 : 0);
            alu(flags == Alu.LAZY_SUB64 || flags == Alu.LAZY_ADD64 ? "addFlags64" : "addFlags32", "(JJI)I");
        }
        mv.visitVarInsn(ISTORE, L_NZCV);
        iconst(Alu.LAZY_NONE);
        mv.visitVarInsn(ISTORE, L_FK);
        flags = Alu.LAZY_NONE;
    }

    /** ConditionHolds(cond) as a jump to {@code holds}, from the pending operation where it can be. */
    private void jumpIfCond(int cond, Label holds) {
        if (cond >= 14) { // AL, NV
            mv.visitJumpInsn(GOTO, holds);
            return;
        }
        if (flags == FLAGS_UNKNOWN) {
            materialize();
        }
        boolean negate = (cond & 1) != 0;
        int base = cond >> 1; // EQ CS MI VS HI GE GT
        boolean w = flags == Alu.LAZY_SUB32 || flags == Alu.LAZY_ADD32 || flags == Alu.LAZY_LOGIC32;
        switch (flags) {
            case Alu.LAZY_SUB64, Alu.LAZY_SUB32 -> {
                // a - b: each condition is a comparison of a with b (or a test of a - b)
                int op;
                switch (base) {
                    case 0, 5, 6 -> { // EQ, GE, GT: signed comparison
                        operands(w, false);
                        op = base == 0 ? IFEQ : base == 5 ? IFGE : IFGT;
                    }
                    case 1, 4 -> { // CS (a >= b), HI (a > b): unsigned comparison
                        operands(w, true);
                        op = base == 1 ? IFGE : IFGT;
                    }
                    case 2 -> { // MI: the difference is negative
                        operands(w, false);
                        op = IFLT;
                        mv.visitInsn(w ? ISUB : LSUB);
                        signOf(w);
                    }
                    default -> { // VS: ((a ^ b) & (a ^ (a - b))) < 0
                        op = IFLT;
                        pending(F_A, w);
                        pending(F_B, w);
                        mv.visitInsn(w ? IXOR : LXOR);
                        pending(F_A, w);
                        pending(F_A, w);
                        pending(F_B, w);
                        mv.visitInsn(w ? ISUB : LSUB);
                        mv.visitInsn(w ? IXOR : LXOR);
                        mv.visitInsn(w ? IAND : LAND);
                        signOf(w);
                    }
                }
                if (base != 2 && base != 3) {
                    op = w ? op - IFEQ + IF_ICMPEQ : op;
                    if (!w) {
                        mv.visitInsn(LCMP);
                    }
                }
                mv.visitJumpInsn(negate ? negated(op) : op, holds);
            }
            case Alu.LAZY_ADD64, Alu.LAZY_ADD32 -> {
                if (base != 0 && base != 2) {
                    materialize();
                    jumpIfCond(cond, holds);
                    return;
                }
                pending(F_A, w); // EQ, MI: a test of the sum
                pending(F_B, w);
                mv.visitInsn(w ? IADD : LADD);
                signOf(w);
                int op = base == 0 ? IFEQ : IFLT;
                mv.visitJumpInsn(negate ? negated(op) : op, holds);
            }
            case Alu.LAZY_LOGIC64, Alu.LAZY_LOGIC32 -> {
                // C = V = 0: CS, VS, HI never hold; EQ, MI, GE, GT test the result
                if (base == 1 || base == 3 || base == 4) {
                    if (negate) {
                        mv.visitJumpInsn(GOTO, holds);
                    }
                    return;
                }
                pending(F_A, w);
                signOf(w);
                int op = base == 0 ? IFEQ : base == 2 ? IFLT : base == 5 ? IFGE : IFGT;
                mv.visitJumpInsn(negate ? negated(op) : op, holds);
            }
            default -> { // NZCV in L_NZCV: the condition's 16-bit truth table indexed by it
                iconst(Alu.condMask(cond));
                nzcv();
                mv.visitInsn(ISHR);
                iconst(1);
                mv.visitInsn(IAND);
                mv.visitJumpInsn(IFNE, holds);
            }
        }
    }

    /** Pushes a pending operand: the long, or its low 32 bits as an int. */
    private void pending(int slot, boolean w) {
        mv.visitVarInsn(LLOAD, slot);
        if (w) {
            mv.visitInsn(L2I);
        }
    }

    /** Pushes both pending operands, biased by MIN_VALUE for an unsigned comparison. */
    private void operands(boolean w, boolean unsigned) {
        for (int slot : new int[] {F_A, F_B}) {
            pending(slot, w);
            if (unsigned) {
                if (w) {
                    iconst(Integer.MIN_VALUE);
                    mv.visitInsn(IXOR);
                } else {
                    mv.visitLdcInsn(Long.MIN_VALUE);
                    mv.visitInsn(LXOR);
                }
            }
        }
    }

    /** Turns the value on the stack into an int of its sign (a long is compared with zero). */
    private void signOf(boolean w) {
        if (!w) {
            mv.visitInsn(LCONST_0);
            mv.visitInsn(LCMP);
        }
    }

    /** The opposite conditional jump (IFEQ/IFNE, IFLT/IFGE, IFGT/IFLE and their IF_ICMP forms). */
    private static int negated(int op) {
        return (op & 1) != 0 ? op + 1 : op - 1;
    }

    // ---- shifts and extends with constant type and amount, as plain JVM operations

    /** Pushes Alu.shift(sf, rz(rm), shift, amount) of a shifted-register operand (W: upper bits unspecified). */
    private void shifted(Insn in) {
        rz(in.rm());
        shiftConst(in.sf(), in.shift(), in.amount());
    }

    /**
     * Alu.shift of the long on the stack by a constant. On 32 bits the result's upper half is
     * unspecified: every user narrows (width, or a 32-bit flags or condition operation).
     */
    private void shiftConst(boolean sf, int type, int amount) {
        if (amount == 0) {
            return;
        }
        if (!sf) {
            mv.visitInsn(L2I);
        }
        iconst(amount);
        switch (type) {
            case Insn.SHIFT_LSL -> mv.visitInsn(sf ? LSHL : ISHL);
            case Insn.SHIFT_LSR -> mv.visitInsn(sf ? LUSHR : IUSHR);
            case Insn.SHIFT_ASR -> mv.visitInsn(sf ? LSHR : ISHR);
            default -> mv.visitMethodInsn(INVOKESTATIC, sf ? "java/lang/Long" : "java/lang/Integer", "rotateRight",
                    sf ? "(JI)J" : "(II)I", false);
        }
        if (!sf) {
            mv.visitInsn(I2L);
        }
    }

    /** Alu.extend of the long on the stack by a constant type and amount. */
    private void extendConst(int type, int amount) {
        switch (type) {
            case Insn.EXT_UXTB -> {
                lconst(0xFFL);
                mv.visitInsn(LAND);
            }
            case Insn.EXT_UXTH -> {
                lconst(0xFFFFL);
                mv.visitInsn(LAND);
            }
            case Insn.EXT_UXTW -> {
                lconst(Alu.MASK32);
                mv.visitInsn(LAND);
            }
            case Insn.EXT_SXTB, Insn.EXT_SXTH, Insn.EXT_SXTW -> {
                mv.visitInsn(L2I);
                if (type != Insn.EXT_SXTW) {
                    mv.visitInsn(type == Insn.EXT_SXTB ? I2B : I2S);
                }
                mv.visitInsn(I2L);
            }
            default -> { } // UXTX, SXTX
        }
        if (amount != 0) {
            iconst(amount);
            mv.visitInsn(LSHL);
        }
    }

    /**
     * UBFM/SBFM of rn with constant immr/imms: the field moved to bit 63 and shifted back down to its
     * place (logically or arithmetically), as Alu.ubfm/sbfm define it.
     */
    private void bitfield(Insn in) {
        boolean sf = in.sf();
        int size = sf ? 64 : 32;
        int immr = (int) in.imm(), imms = in.amount();
        boolean signed = in.op() == Op.SBFM;
        int w = imms >= immr ? imms - immr + 1 : imms + 1; // field width
        int pos = imms >= immr ? 0 : size - immr; // where its low bit lands
        rz(in.rn());
        if (63 - imms != 0) {
            iconst(63 - imms);
            mv.visitInsn(LSHL);
        }
        if (signed) {
            if (64 - w != 0) {
                iconst(64 - w);
                mv.visitInsn(LSHR);
            }
            if (pos != 0) {
                iconst(pos);
                mv.visitInsn(LSHL);
            }
            width(sf);
        } else if (64 - w - pos != 0) {
            iconst(64 - w - pos);
            mv.visitInsn(LUSHR);
        }
        wz(in.rd());
    }

    // ---- instructions

    /** Emits one instruction; returns true if it ended the execution (a branch). */
    private boolean emit(Insn in, long pc, int index) {
        boolean sf = in.sf();
        switch (in.op()) {
            case ADD_IMM, SUB_IMM -> {
                get(in.rn(), true);
                boolean sub = in.op() == Op.SUB_IMM;
                lconst(in.imm());
                addSub(in, sub ? 1 : 0, true);
            }
            case ADD_SREG, SUB_SREG -> {
                rz(in.rn());
                shifted(in);
                addSub(in, in.op() == Op.SUB_SREG ? 1 : 0, false);
            }
            case ADD_EREG, SUB_EREG -> {
                get(in.rn(), true);
                rz(in.rm());
                extendConst(in.shift(), in.amount());
                addSub(in, in.op() == Op.SUB_EREG ? 1 : 0, true);
            }
            case ADC, SBC -> {
                rz(in.rn());
                rz(in.rm());
                if (in.op() == Op.SBC) {
                    not();
                }
                addSub(in, -1, false);
            }
            case AND_IMM, ORR_IMM, EOR_IMM -> {
                rz(in.rn());
                lconst(in.imm());
                mv.visitInsn(in.op() == Op.AND_IMM ? LAND : in.op() == Op.ORR_IMM ? LOR : LXOR);
                logical(in, true);
            }
            case AND_REG, BIC_REG, ORR_REG, ORN_REG, EOR_REG, EON_REG -> {
                rz(in.rn());
                shifted(in);
                Op op = in.op();
                if (op == Op.BIC_REG || op == Op.ORN_REG || op == Op.EON_REG) {
                    not();
                }
                mv.visitInsn(op == Op.AND_REG || op == Op.BIC_REG ? LAND : op == Op.ORR_REG || op == Op.ORN_REG ? LOR : LXOR);
                logical(in, false);
            }
            case MOVZ -> {
                lconst(Alu_width(sf, in.imm() << in.amount()));
                wz(in.rd());
            }
            case MOVN -> {
                lconst(Alu_width(sf, ~(in.imm() << in.amount())));
                wz(in.rd());
            }
            case MOVK -> {
                rz(in.rd());
                lconst(~(0xFFFFL << in.amount()));
                mv.visitInsn(LAND);
                lconst(in.imm() << in.amount());
                mv.visitInsn(LOR);
                width(sf);
                wz(in.rd());
            }
            case ADR -> {
                lconst(pc + in.imm());
                wz(in.rd());
            }
            case ADRP -> {
                lconst((pc & ~0xFFFL) + in.imm());
                wz(in.rd());
            }
            case SBFM, UBFM -> bitfield(in);
            case BFM -> {
                bool(sf);
                rz(in.rd());
                rz(in.rn());
                iconst((int) in.imm());
                iconst(in.amount());
                alu("bfm", "(ZJJII)J");
                wz(in.rd());
            }
            case EXTR -> extr(in);
            case CCMN_REG, CCMP_REG, CCMN_IMM, CCMP_IMM -> condCompare(in);
            case CSEL, CSINC, CSINV, CSNEG -> condSelect(in);
            case MADD, MSUB -> {
                rz(in.ra());
                rz(in.rn());
                rz(in.rm());
                mv.visitInsn(LMUL);
                mv.visitInsn(in.op() == Op.MADD ? LADD : LSUB);
                width(sf);
                wz(in.rd());
            }
            case SMADDL, SMSUBL, UMADDL, UMSUBL -> {
                boolean signed = in.op() == Op.SMADDL || in.op() == Op.SMSUBL;
                rz(in.ra());
                rz(in.rn());
                extend32(signed);
                rz(in.rm());
                extend32(signed);
                mv.visitInsn(LMUL);
                mv.visitInsn(in.op() == Op.SMADDL || in.op() == Op.UMADDL ? LADD : LSUB);
                wz(in.rd());
            }
            case SMULH -> {
                rz(in.rn());
                rz(in.rm());
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "multiplyHigh", "(JJ)J", false);
                wz(in.rd());
            }
            case UMULH -> {
                rz(in.rn());
                rz(in.rm());
                alu("umulh", "(JJ)J");
                wz(in.rd());
            }
            case UDIV, SDIV -> {
                bool(sf);
                rz(in.rn());
                rz(in.rm());
                alu(in.op() == Op.UDIV ? "udiv" : "sdiv", "(ZJJ)J");
                wz(in.rd());
            }
            case LSLV, LSRV, ASRV, RORV -> {
                // the JVM's shifts take the amount modulo the width, as these instructions do
                rz(in.rn());
                if (!sf) {
                    mv.visitInsn(L2I);
                }
                rz(in.rm());
                mv.visitInsn(L2I);
                switch (in.op()) {
                    case LSLV -> mv.visitInsn(sf ? LSHL : ISHL);
                    case LSRV -> mv.visitInsn(sf ? LUSHR : IUSHR);
                    case ASRV -> mv.visitInsn(sf ? LSHR : ISHR);
                    default -> mv.visitMethodInsn(INVOKESTATIC, sf ? "java/lang/Long" : "java/lang/Integer",
                            "rotateRight", sf ? "(JI)J" : "(II)I", false);
                }
                if (!sf) {
                    mv.visitInsn(I2L);
                    width(false);
                }
                wz(in.rd());
            }
            case CRC32 -> {
                bool(in.has(Insn.FLAG_CRC32C));
                rz(in.rn());
                rz(in.rm());
                iconst(in.size());
                alu("crc32", "(ZJJI)J");
                wz(in.rd());
            }
            case RBIT, REV16, REV, CLZ, CLS -> {
                bool(sf);
                rz(in.rn());
                alu(in.op().name().toLowerCase(java.util.Locale.ROOT), "(ZJ)J");
                wz(in.rd());
            }
            case REV32 -> {
                rz(in.rn());
                alu("rev32", "(J)J");
                wz(in.rd());
            }

            case B -> {
                exitTo(pc + in.imm());
                return true;
            }
            case BL -> {
                lconst(pc + 4);
                store(30);
                exitTo(pc + in.imm());
                return true;
            }
            case B_COND -> {
                materializeIfBothLeave(pc + 4, pc + in.imm());
                Label taken = new Label();
                jumpIfCond(in.cond(), taken);
                twoWay(taken, pc + 4, pc + in.imm());
                return true;
            }
            case CBZ, CBNZ -> {
                materializeIfBothLeave(pc + 4, pc + in.imm());
                rz(in.rd());
                width(sf);
                mv.visitInsn(LCONST_0);
                mv.visitInsn(LCMP); // 0 iff zero
                if (in.op() == Op.CBZ) {
                    Label nz = new Label();
                    mv.visitJumpInsn(IFNE, nz);
                    twoWay(nz, pc + in.imm(), pc + 4);
                } else {
                    branchIf(pc + in.imm(), pc + 4);
                }
                return true;
            }
            case TBZ, TBNZ -> {
                materializeIfBothLeave(pc + 4, pc + in.imm());
                rz(in.rd());
                iconst(in.amount());
                mv.visitInsn(LUSHR);
                mv.visitInsn(L2I);
                iconst(1);
                mv.visitInsn(IAND);
                if (in.op() == Op.TBNZ) {
                    branchIf(pc + in.imm(), pc + 4);
                } else {
                    Label set = new Label();
                    mv.visitJumpInsn(IFNE, set);
                    twoWay(set, pc + in.imm(), pc + 4);
                }
                return true;
            }
            case BR, RET -> {
                rz(in.rn());
                exitToStack();
                return true;
            }
            case BLR -> {
                rz(in.rn());
                lconst(pc + 4);
                store(30);
                exitToStack();
                return true;
            }

            case LDR, STR, LDP, STP, LDAR, STLR -> {
                lazyAtFault |= flags != Alu.LAZY_NONE;
                memory(in, pc, index);
            }
            case PRFM, HINT, DSB, DMB, ISB -> {
                // no architectural effect (as in the interpreter)
            }
            case SYS -> { // DC/IC by VA (supported() lets no other SYS in): the interpreter's own code
                lazyAtFault |= flags != Alu.LAZY_NONE;
                iconst(index);
                mv.visitVarInsn(ISTORE, L_IDX); // an EL0 trap reports this instruction
                if (region) {
                    iconst(cur);
                    mv.visitVarInsn(ISTORE, L_BLK);
                }
                mv.visitVarInsn(ALOAD, L_FRAME);
                iconst((int) in.imm());
                iconst(in.rd());
                rz(in.rd());
                mv.visitMethodInsn(INVOKEVIRTUAL, FRAME, "cacheByVa", "(IIJ)V", false);
            }
            default -> {
                if (!FpSimdOps.handles(in.op())) {
                    throw new IllegalStateException("not translatable: " + in.op());
                }
                fpSimd(in, pc, index);
            }
        }
        return false;
    }

    /** EXTR (ROR by a constant when rn = rm) inlined. */
    private void extr(Insn in) {
        boolean sf = in.sf();
        int lsb = (int) in.imm();
        if (lsb == 0) {
            rz(in.rm());
            width(sf);
        } else if (sf) {
            rz(in.rm());
            iconst(lsb);
            mv.visitInsn(LUSHR);
            rz(in.rn());
            iconst(64 - lsb);
            mv.visitInsn(LSHL);
            mv.visitInsn(LOR);
        } else {
            rz(in.rm());
            width(false);
            iconst(lsb);
            mv.visitInsn(LUSHR);
            rz(in.rn());
            iconst(32 - lsb);
            mv.visitInsn(LSHL);
            mv.visitInsn(LOR);
            width(false);
        }
        wz(in.rd());
    }

    /** The 64-bit form of Alu.width for constants folded at translation time. */
    private static long Alu_width(boolean sf, long v) {
        return dev.a64trap.exec.Alu.width(sf, v);
    }

    private void extend32(boolean signed) {
        if (signed) {
            mv.visitInsn(L2I);
            mv.visitInsn(I2L);
        } else {
            mv.visitLdcInsn(0xFFFF_FFFFL);
            mv.visitInsn(LAND);
        }
    }

    /**
     * ADD/SUB/ADC/SBC with a and b on the stack: {@code carry} 0 is a + b, 1 is a - b (AddWithCarry(a,
     * NOT b, 1)), -1 is a + b + PSTATE.C (b already inverted for SBC). {@code spDest}: rd is SP when
     * flags are not set.
     */
    private void addSub(Insn in, int carry, boolean spDest) {
        boolean sf = in.sf();
        mv.visitVarInsn(LSTORE, T_B);
        mv.visitVarInsn(LSTORE, T_A);
        if (carry < 0) { // PSTATE.C as it was before this instruction sets the flags
            materialize();
            carry(carry);
            mv.visitVarInsn(ISTORE, T_C);
            carrySaved = true;
        }
        if (in.setsFlags() && carry >= 0) { // ADDS/SUBS: lazy
            setLazy(carry == 1 ? (sf ? Alu.LAZY_SUB64 : Alu.LAZY_SUB32) : (sf ? Alu.LAZY_ADD64 : Alu.LAZY_ADD32));
        } else if (in.setsFlags()) {
            mv.visitVarInsn(LLOAD, T_A);
            mv.visitVarInsn(LLOAD, T_B);
            carry(carry);
            alu(sf ? "addFlags64" : "addFlags32", "(JJI)I");
            mv.visitVarInsn(ISTORE, L_NZCV);
        }
        if (in.setsFlags() && in.rd() == 31) { // CMP/CMN: flags only
            carrySaved = false;
            return;
        }
        mv.visitVarInsn(LLOAD, T_A);
        mv.visitVarInsn(LLOAD, T_B);
        mv.visitInsn(carry == 1 ? LSUB : LADD);
        if (carry < 0) {
            carry(carry);
            mv.visitInsn(I2L);
            mv.visitInsn(LADD);
        }
        carrySaved = false;
        width(sf);
        set(in.rd(), spDest && !in.setsFlags());
    }

    private void carry(int carry) {
        if (carry >= 0) {
            iconst(carry);
        } else if (carrySaved) {
            mv.visitVarInsn(ILOAD, T_C);
        } else {
            nzcv();
            iconst(1);
            mv.visitInsn(ISHR);
            iconst(1);
            mv.visitInsn(IAND);
        }
    }

    /** AND/ORR/EOR/BIC/ORN/EON with the raw result on the stack. */
    private void logical(Insn in, boolean spDest) {
        boolean sf = in.sf();
        width(sf);
        if (in.setsFlags()) {
            lazySetter();
            mv.visitInsn(DUP2);
            mv.visitVarInsn(LSTORE, F_A);
            iconst(sf ? Alu.LAZY_LOGIC64 : Alu.LAZY_LOGIC32);
            mv.visitVarInsn(ISTORE, L_FK);
            flags = sf ? Alu.LAZY_LOGIC64 : Alu.LAZY_LOGIC32;
            wz(in.rd());
        } else {
            set(in.rd(), spDest);
        }
    }

    private void condCompare(Insn in) {
        Label holds = new Label();
        Label done = new Label();
        jumpIfCond(in.cond(), holds);
        iconst((int) in.imm() & 0xF);
        mv.visitVarInsn(ISTORE, L_NZCV);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(holds);
        Op op = in.op();
        boolean sub = op == Op.CCMP_REG || op == Op.CCMP_IMM;
        rz(in.rn());
        if (op == Op.CCMN_IMM || op == Op.CCMP_IMM) {
            lconst(sub ? ~(long) in.amount() : in.amount());
        } else {
            rz(in.rm());
            if (sub) {
                not();
            }
        }
        iconst(sub ? 1 : 0);
        alu(in.sf() ? "addFlags64" : "addFlags32", "(JJI)I");
        mv.visitVarInsn(ISTORE, L_NZCV);
        mv.visitLabel(done);
        iconst(Alu.LAZY_NONE); // both ways set NZCV itself
        mv.visitVarInsn(ISTORE, L_FK);
        flags = Alu.LAZY_NONE;
    }

    private void condSelect(Insn in) {
        Label holds = new Label();
        Label done = new Label();
        jumpIfCond(in.cond(), holds);
        rz(in.rm());
        switch (in.op()) {
            case CSINC -> {
                mv.visitInsn(LCONST_1);
                mv.visitInsn(LADD);
            }
            case CSINV -> not();
            case CSNEG -> mv.visitInsn(LNEG);
            default -> { }
        }
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(holds);
        rz(in.rn());
        mv.visitLabel(done);
        width(in.sf());
        wz(in.rd());
    }

    /**
     * SIMD&FP: a call to the interpreter's own {@code FpSimdOps.exec} (one definition), the decoded
     * instruction a constant of the unit. It reads and writes the general registers and flags in the
     * CPU, so they are written back before and reloaded after; a fault reports this instruction.
     */
    private void fpSimd(Insn in, long pc, int index) {
        iconst(index);
        mv.visitVarInsn(ISTORE, L_IDX);
        if (region) {
            iconst(cur);
            mv.visitVarInsn(ISTORE, L_BLK);
        }
        spillState();
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ALOAD, L_MEM);
        constant(in, "Ldev/a64trap/decode/Insn;");
        lconst(pc);
        mv.visitMethodInsn(INVOKESTATIC, "dev/a64trap/exec/FpSimdOps", "exec",
                "(" + CPU_D + MEM_D + "Ldev/a64trap/decode/Insn;J)J", false);
        mv.visitInsn(POP2);
        reloadState();
    }

    // ---- loads and stores

    private void memory(Insn in, long pc, int index) {
        iconst(index);
        mv.visitVarInsn(ISTORE, L_IDX); // the handler reports this instruction if the access faults
        if (region) {
            iconst(cur);
            mv.visitVarInsn(ISTORE, L_BLK);
        }
        address(in, pc);
        mv.visitVarInsn(LSTORE, T_ADDR);
        unprivileged = in.has(Insn.FLAG_UNPRIV); // LDTR/STTR: Lsu checks EL0's permissions at EL1
        int size = in.size();
        Op op = in.op();
        boolean ordered = op == Op.LDAR || op == Op.STLR;
        int site = siteCache && isSite(in) && sitesUsed < MAX_SITES ? sitesUsed++ : -1;
        switch (op) {
            case LDR, LDAR -> {
                sited(site, size, false, false, () -> {
                    siteIndex(site, 0);
                    iconst(size);
                    getDirect();
                }, () -> read(size, ordered, 0));
                mv.visitVarInsn(LSTORE, T_V);
                writeback(in);
                mv.visitVarInsn(LLOAD, T_V);
                loaded(in);
                wz(in.rd());
            }
            case STR, STLR -> {
                sited(site, size, false, true, () -> {
                    siteIndex(site, 0);
                    iconst(size);
                    rz(in.rd());
                    putDirect();
                }, () -> write(size, ordered, 0, () -> rz(in.rd())));
                writeback(in);
            }
            case LDP -> {
                sited(site, size, true, false, () -> {
                    siteIndex(site, 0);
                    iconst(3);
                    getDirect();
                    if (size == 3) {
                        mv.visitVarInsn(LSTORE, T_V);
                        siteIndex(site, 8);
                        iconst(3);
                        getDirect();
                        mv.visitVarInsn(LSTORE, T_V2);
                    } else {
                        splitPair32();
                    }
                }, () -> readPair(size));
                writeback(in);
                mv.visitVarInsn(LLOAD, T_V);
                loaded(in);
                wz(in.rd());
                mv.visitVarInsn(LLOAD, T_V2);
                loaded(in);
                wz(in.ra());
            }
            default -> { // STP: both values read before either write (rd or ra may be the base)
                rz(in.rd());
                mv.visitVarInsn(LSTORE, T_V);
                rz(in.ra());
                mv.visitVarInsn(LSTORE, T_V2);
                sited(site, size, true, true, () -> {
                    siteIndex(site, 0);
                    iconst(3);
                    mv.visitVarInsn(LLOAD, T_V);
                    if (size == 3) {
                        putDirect();
                        siteIndex(site, 8);
                        iconst(3);
                        mv.visitVarInsn(LLOAD, T_V2);
                    } else { // both words in one 64-bit store, the first in the low half
                        lconst(0xFFFF_FFFFL);
                        mv.visitInsn(LAND);
                        mv.visitVarInsn(LLOAD, T_V2);
                        iconst(32);
                        mv.visitInsn(LSHL);
                        mv.visitInsn(LOR);
                    }
                    putDirect();
                }, () -> writePair(size));
                writeback(in);
            }
        }
    }

    /**
     * An access at T_ADDR: through site {@code site}'s granule when it hits ({@code hit}), else (or
     * with no site, -1) the Lsu call {@code call}, after which the site looks again. Both leave the
     * same values (on the stack or in T_V/T_V2).
     */
    private void sited(int site, int size, boolean pair, boolean store, Runnable hit, Runnable call) {
        if (site < 0) {
            call.run();
            return;
        }
        Label miss = new Label();
        Label done = new Label();
        siteTest(site, size, pair, miss);
        hit.run();
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(miss);
        call.run();
        siteRefresh(site, store);
        mv.visitLabel(done);
    }

    /** GuestMemory.getDirect(page, index, size) of the three on the stack. */
    private void getDirect() {
        mv.visitMethodInsn(INVOKESTATIC, GUEST_MEMORY, "getDirect", "([BII)J", false);
    }

    /** GuestMemory.putDirect(page, index, size, value) of the four on the stack. */
    private void putDirect() {
        mv.visitMethodInsn(INVOKESTATIC, GUEST_MEMORY, "putDirect", "([BIIJ)V", false);
    }

    /** Whether {@code in} is a load/store that may keep its granule in a plain loop unit ({@link #siteCache}). */
    private static boolean isSite(Insn in) {
        return switch (in.op()) {
            case LDR, STR, LDP, STP, LDAR, STLR -> !in.has(Insn.FLAG_UNPRIV);
            default -> false;
        };
    }

    private static int siteTag(int k) {
        return L_SITE + 6 * k;
    }

    private static int sitePage(int k) {
        return L_SITE + 6 * k + 2;
    }

    private static int siteDelta(int k) {
        return L_SITE + 6 * k + 3;
    }

    /** A single-register store site's line beside translated code (-1: none); its tag is then -1. */
    private static int siteLine(int k) {
        return L_SITE + 6 * k + 4;
    }

    /**
     * Jumps to {@code miss} unless the access at T_ADDR of {@code 1 << size} bytes (a pair: twice that,
     * both in one granule) is aligned and in site {@code k}'s granule: the data TLB's own hit test.
     */
    private void siteTest(int k, int size, boolean pair, Label miss) {
        mv.visitVarInsn(LLOAD, T_ADDR);
        lconst(~0xFFFL | ((1 << size) - 1));
        mv.visitInsn(LAND);
        mv.visitVarInsn(LLOAD, siteTag(k));
        mv.visitInsn(LCMP);
        if (siteLines[k]) { // else the line beside code, an aligned access staying in it
            Label hit = new Label();
            mv.visitJumpInsn(IFEQ, hit);
            mv.visitVarInsn(LLOAD, T_ADDR);
            lconst(~0x3FL | ((1 << size) - 1));
            mv.visitInsn(LAND);
            mv.visitVarInsn(LLOAD, siteLine(k));
            mv.visitInsn(LCMP);
            mv.visitJumpInsn(IFNE, miss);
            mv.visitLabel(hit);
            return; // (not a pair)
        }
        mv.visitJumpInsn(IFNE, miss);
        if (pair) {
            int last = 0x1000 - (1 << size);
            mv.visitVarInsn(LLOAD, T_ADDR);
            mv.visitInsn(L2I);
            iconst(last);
            mv.visitInsn(IAND);
            iconst(last);
            mv.visitJumpInsn(IF_ICMPEQ, miss);
        }
    }

    /** Pushes site {@code k}'s host array and the index of T_ADDR + {@code offset} in it. */
    private void siteIndex(int k, int offset) {
        mv.visitVarInsn(ALOAD, sitePage(k));
        mv.visitVarInsn(LLOAD, T_ADDR);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ILOAD, siteDelta(k));
        mv.visitInsn(IADD);
        if (offset != 0) {
            iconst(offset);
            mv.visitInsn(IADD);
        }
    }

    /**
     * After site {@code k} missed and Lsu made the access (which may have filled or replaced TLB
     * entries): every other site keeps its granule only while the TLB still holds the same entry for
     * it, and {@code k} takes the TLB's entry for T_ADDR if it allows direct loads (stores).
     */
    private void siteRefresh(int k, boolean store) {
        // Not in the first pass of a call (every site still has no granule then): a unit that leaves
        // after one pass, as most do in ordinary code, pays nothing for its sites.
        Label none = new Label();
        mv.visitVarInsn(ILOAD, L_LEFT);
        mv.visitVarInsn(ILOAD, L_LEFT0);
        mv.visitJumpInsn(IF_ICMPEQ, none);
        for (int m = 0; m < sitesUsedTotal(); m++) {
            if (m == k) {
                continue;
            }
            int site = m;
            forgetUnless(siteTag(m), () -> {
                mv.visitVarInsn(ALOAD, L_CPU);
                mv.visitVarInsn(LLOAD, siteTag(site));
                bool(siteStores[site]);
                mv.visitVarInsn(ALOAD, sitePage(site));
                mv.visitVarInsn(ILOAD, siteDelta(site));
                lsu("stillDirect", "(" + CPU_D + "JZ[BI)Z");
            });
            if (siteLines[m]) {
                forgetUnless(siteLine(m), () -> {
                    mv.visitVarInsn(ALOAD, L_CPU);
                    mv.visitVarInsn(LLOAD, siteLine(site));
                    mv.visitVarInsn(ALOAD, sitePage(site));
                    mv.visitVarInsn(ILOAD, siteDelta(site));
                    lsu("stillDirectLine", "(" + CPU_D + "J[BI)Z");
                });
            }
        }
        // k forgets what it kept (its granule or line may be the one the TLB no longer lets it reach)
        // and takes T_ADDR's granule, or for a single-register store its line beside code, if direct
        forget(siteTag(k));
        if (siteLines[k]) {
            forget(siteLine(k));
        }
        Label granule = new Label();
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(LLOAD, T_ADDR);
        bool(store);
        lsu("directPage", "(" + CPU_D + "JZ)[B");
        mv.visitInsn(DUP);
        mv.visitVarInsn(ASTORE, sitePage(k));
        mv.visitJumpInsn(IFNONNULL, granule);
        if (siteLines[k]) {
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitVarInsn(LLOAD, T_ADDR);
            lsu("directLine", "(" + CPU_D + "J)[B");
            mv.visitInsn(DUP);
            mv.visitVarInsn(ASTORE, sitePage(k));
            mv.visitJumpInsn(IFNULL, none);
            siteTakes(k, siteLine(k), ~0x3FL);
        }
        mv.visitJumpInsn(GOTO, none);
        mv.visitLabel(granule);
        siteTakes(k, siteTag(k), ~0xFFFL);
        mv.visitLabel(none);
    }

    /** Site {@code k} takes the data TLB's delta for T_ADDR, and T_ADDR masked by {@code mask} as its tag or line ({@code slot}). */
    private void siteTakes(int k, int slot, long mask) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(LLOAD, T_ADDR);
        lsu("directDelta", "(" + CPU_D + "J)I");
        mv.visitVarInsn(ISTORE, siteDelta(k));
        mv.visitVarInsn(LLOAD, T_ADDR);
        lconst(mask);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LSTORE, slot);
    }

    /** Sets the long local {@code slot} (a site's tag or line) to -1 unless {@code test} pushes true. */
    private void forgetUnless(int slot, Runnable test) {
        Label keep = new Label();
        test.run();
        mv.visitJumpInsn(IFNE, keep);
        forget(slot);
        mv.visitLabel(keep);
    }

    /** Sets the long local {@code slot} (a site's tag or line) to -1: no masked address equals it. */
    private void forget(int slot) {
        lconst(-1);
        mv.visitVarInsn(LSTORE, slot);
    }

    /** Sites the unit has (all initialised in the prologue). */
    private int sitesUsedTotal() {
        return Math.min(siteCount, MAX_SITES);
    }

    /** Pushes the access address (Lsu.address: SP alignment check when the base is SP). */
    private void address(Insn in, long pc) {
        int mode = in.mode();
        if (mode == Insn.MODE_LITERAL) {
            lconst(pc + in.imm());
            return;
        }
        int rn = in.rn();
        get(rn, true);
        if (rn == 31) {
            mv.visitVarInsn(ALOAD, L_CPU);
            get(31, true);
            lsu("checkSp", "(" + CPU_D + "J)V");
        }
        switch (mode) {
            case Insn.MODE_OFFSET, Insn.MODE_PRE -> {
                if (in.imm() != 0) {
                    lconst(in.imm());
                    mv.visitInsn(LADD);
                }
            }
            case Insn.MODE_REG -> {
                rz(in.rm());
                iconst(in.shift());
                iconst(in.amount());
                alu("extend", "(JII)J");
                mv.visitInsn(LADD);
            }
            default -> { } // POST, BASE
        }
    }

    /** The load/store being translated is LDTR/STTR-like (unprivileged). */
    private boolean unprivileged;

    private void read(int size, boolean ordered, long offset) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ALOAD, L_MEM);
        mv.visitVarInsn(LLOAD, T_ADDR);
        if (offset != 0) {
            lconst(offset);
            mv.visitInsn(LADD);
        }
        if (unprivileged) {
            iconst(size);
            bool(ordered);
            lsu("readUnprivileged", "(" + CPU_D + MEM_D + "JIZ)J");
            return;
        }
        bool(ordered);
        lsu("read" + (8 << size), "(" + CPU_D + MEM_D + "JZ)J"); // one small method per size: C2 inlines its hit
    }

    private void write(int size, boolean ordered, long offset, Runnable value) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ALOAD, L_MEM);
        mv.visitVarInsn(LLOAD, T_ADDR);
        if (offset != 0) {
            lconst(offset);
            mv.visitInsn(LADD);
        }
        if (unprivileged) {
            iconst(size);
            value.run();
            bool(ordered);
            lsu("writeUnprivileged", "(" + CPU_D + MEM_D + "JIJZ)V");
            return;
        }
        value.run();
        bool(ordered);
        lsu("write" + (8 << size), "(" + CPU_D + MEM_D + "JJZ)V");
    }

    /** LDP: the two values to T_V and T_V2, with one tag test for both when they share a granule (Lsu.readPair*). */
    private void readPair(int size) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ALOAD, L_MEM);
        mv.visitVarInsn(LLOAD, T_ADDR);
        if (size == 3) {
            lsu("readPair64", "(" + CPU_D + MEM_D + "J)J");
            mv.visitVarInsn(LSTORE, T_V);
            mv.visitVarInsn(ALOAD, L_CPU);
            mv.visitFieldInsn(GETFIELD, "dev/a64trap/cpu/Cpu", "data", "Ldev/a64trap/mem/mmu/Mmu$Tlb;");
            mv.visitFieldInsn(GETFIELD, "dev/a64trap/mem/mmu/Mmu$Tlb", "second", "J");
            mv.visitVarInsn(LSTORE, T_V2);
            return;
        }
        lsu("readPair32", "(" + CPU_D + MEM_D + "J)J"); // low word first, high word second
        splitPair32();
    }

    /** The two words of a 32-bit pair (the long on the stack, the first in the low half) to T_V and T_V2. */
    private void splitPair32() {
        mv.visitInsn(DUP2);
        lconst(0xFFFF_FFFFL);
        mv.visitInsn(LAND);
        mv.visitVarInsn(LSTORE, T_V);
        iconst(32);
        mv.visitInsn(LUSHR);
        mv.visitVarInsn(LSTORE, T_V2);
    }

    /** STP of T_V and T_V2 (Lsu.writePair*). */
    private void writePair(int size) {
        mv.visitVarInsn(ALOAD, L_CPU);
        mv.visitVarInsn(ALOAD, L_MEM);
        mv.visitVarInsn(LLOAD, T_ADDR);
        mv.visitVarInsn(LLOAD, T_V);
        mv.visitVarInsn(LLOAD, T_V2);
        lsu(size == 3 ? "writePair64" : "writePair32", "(" + CPU_D + MEM_D + "JJJ)V");
    }

    private void writeback(Insn in) {
        if (in.mode() == Insn.MODE_PRE) {
            mv.visitVarInsn(LLOAD, T_ADDR);
            set(in.rn(), true);
        } else if (in.mode() == Insn.MODE_POST) {
            mv.visitVarInsn(LLOAD, T_ADDR);
            lconst(in.imm());
            mv.visitInsn(LADD);
            set(in.rn(), true);
        }
    }

    /** A loaded value as the destination register receives it (sign extension, W zeroing). */
    private void loaded(Insn in) {
        if (in.has(Insn.FLAG_SIGNED)) {
            iconst(in.size());
            lsu("signExtend", "(JI)J");
            width(in.sf());
        }
    }
}
