package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Insn;
import dev.a64trap.exec.Block;
import dev.a64trap.exec.BlockAccess;
import dev.a64trap.exec.Stop;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Region units: which blocks a chain takes, and code writes into a running chain (words from aarch64-linux-gnu-as 2.40). */
class JitRegionTest {
    static final int MRS_X1_TPIDR = 0xd53bd041, MRS_X2_TPIDR = 0xd53bd042, STR_W5_X6 = 0xb90000c5,
            ADD_X0_1 = 0x91000400, ADD_X0_100 = 0x91019000, SUBS_X3_1 = 0xf1000463, B_SELF = 0x14000000,
            MRS_UNKNOWN = 0xd538f201, SVC_0 = 0xd4000001;

    /** Blocks as the interpreter would cut them, from a word map (MRS/MSR descriptors from the A57 table). */
    static final class Code {
        final Map<Long, Integer> words = new HashMap<>();
        final Pair.Side side = new Pair().interp;

        Code at(long pc, int... w) {
            for (int k = 0; k < w.length; k++) {
                words.put(pc + 4L * k, w[k]);
                side.mem.write(pc + 4L * k, 4, w[k] & 0xFFFF_FFFFL);
            }
            return this;
        }

        Block block(long pc) {
            if (!words.containsKey(pc)) {
                return null;
            }
            java.util.List<Insn> list = new java.util.ArrayList<>();
            long a = pc;
            dev.a64trap.sysreg.SysReg desc = null;
            while (words.containsKey(a)) {
                Insn in = Decoder.decode(words.get(a));
                list.add(in);
                a += 4;
                if (in.op() == dev.a64trap.decode.Op.MRS || in.op() == dev.a64trap.decode.Op.MSR_REG) {
                    desc = side.cpu.sysRegs.lookup((int) in.imm());
                    break;
                }
                if (dev.a64trap.decode.Op.B == in.op() || in.op() == dev.a64trap.decode.Op.B_COND
                        || in.op() == dev.a64trap.decode.Op.SVC || (a & 0xFFF) == 0) {
                    break;
                }
            }
            return BlockAccess.block(pc, list.toArray(new Insn[0]), desc);
        }
    }

    @Test
    void theChainFollowsEachAccessUntilABlockThatEndsOtherwise() {
        Code c = new Code().at(Pair.CODE, MRS_X1_TPIDR, ADD_X0_1, MRS_X2_TPIDR, SUBS_X3_1, 0x54ffff81, B_SELF);
        Block[] chain = Translator.regionChain(c.block(Pair.CODE), c::block);
        assertNotNull(chain);
        assertEquals(3, chain.length, "mrs | add, mrs | subs, b.ne");
        assertEquals(Pair.CODE + 12, chain[2].pc);
    }

    @Test
    void noRegionForAnUnknownRegisterAndTheChainStopsBeforeOne() {
        Code c = new Code().at(Pair.CODE, MRS_UNKNOWN, B_SELF);
        assertNull(Translator.regionChain(c.block(Pair.CODE), c::block), "no descriptor: a prefix unit");
        Code d = new Code().at(Pair.CODE, MRS_X1_TPIDR, ADD_X0_1, MRS_UNKNOWN, B_SELF);
        assertEquals(1, Translator.regionChain(d.block(Pair.CODE), d::block).length);
        Code e = new Code().at(Pair.CODE, MRS_X1_TPIDR, ADD_X0_1, SVC_0);
        assertEquals(1, Translator.regionChain(e.block(Pair.CODE), e::block).length, "SVC: not a region block");
    }

    @Test
    void theChainStaysOnItsFirstBlocksPage() {
        long last = Pair.CODE + 0x1000 - 4; // the MRS is the page's last word
        Code c = new Code().at(last, MRS_X1_TPIDR).at(last + 4, ADD_X0_1, B_SELF);
        assertEquals(1, Translator.regionChain(c.block(last), c::block).length);
    }

    /**
     * loop: mrs x1, tpidr_el0 ; str w5, [x6] (x6 = &patch, w5 = "add x0, x0, #100") ; mrs x2, tpidr_el0 ;
     * patch: add x0, x0, #1 ; subs x3, x3, #1 ; b.ne loop. The store rewrites a later block of the same
     * chain: the interpreter runs the new instruction at once, and so must the compiled chain.
     */
    @Test
    void aStoreIntoTheChainStopsItBeforeTheRewrittenBlock() {
        Pair pair = new Pair();
        pair.code(Pair.CODE, MRS_X1_TPIDR, STR_W5_X6, MRS_X2_TPIDR, ADD_X0_1, SUBS_X3_1, 0x54ffff61, B_SELF);
        pair.both(s -> {
            s.cpu.x[3] = 50;
            s.cpu.x[5] = ADD_X0_100 & 0xFFFF_FFFFL;
            s.cpu.x[6] = Pair.CODE + 12;
        });
        Stop stop = pair.run(1000, "self-modifying chain");
        assertEquals(Stop.Kind.BUDGET, stop.kind());
        assertEquals(5000, pair.compiled.cpu.x[0], "every pass ran the rewritten add");
        assertTrue(pair.jit.regionCount() > 0);
    }

    /** msr tpidr_el0, x3 ; mrs x4, tpidr_el0 ; add x4, x4, #1 ; msr tpidr_el0, x4 ; subs x3, x3, #1 ; b.ne: registers go through the CPU and back. */
    @Test
    void writesAndReadsOfOneRegisterInOneChain() {
        Pair pair = new Pair();
        pair.code(Pair.CODE, 0xd51bd043, 0xd53bd044, 0x91000484, 0xd51bd044, SUBS_X3_1, 0x54ffff61, B_SELF);
        pair.both(s -> s.cpu.x[3] = 1000);
        pair.run(3000, "tpidr chain");
        assertEquals(pair.interp.cpu.x[4], pair.compiled.cpu.x[4]);
        assertArrayEquals(new long[] {pair.interp.cpu.sysRegs.byName("TPIDR_EL0").read(pair.interp.cpu)},
                new long[] {pair.compiled.cpu.sysRegs.byName("TPIDR_EL0").read(pair.compiled.cpu)});
        assertTrue(pair.jit.regionCount() > 0);
    }

    /**
     * loop: add x0, x0, #1 ; mrs x1, tpidr_el0 | add x1, x1, #1 ; msr tpidr_el0, x1 | subs x3, x3, #1 ;
     * b.ne loop: a chain of three blocks. The observer (the vPMU's view) gets the interpreter's calls
     * between the same checkpoints (in another order where plain units' runs are settled later), and
     * the checkpoints at the same block boundaries, including ones inside the chain.
     */
    @Test
    void theObserverSeesTheInterpretersBlocksAndCheckpointsInAChain() {
        int[] loop = {ADD_X0_1, MRS_X1_TPIDR, 0x91000421, 0xd51bd041, SUBS_X3_1, 0x54ffff61, B_SELF};
        for (long interval : new long[] {1, 5, 7, 1000}) {
            Pair pair = new Pair();
            pair.code(Pair.CODE, loop);
            pair.both(s -> s.cpu.x[3] = 500);
            JitRunTest.Recorder ref = new JitRunTest.Recorder(pair.interp, interval);
            JitRunTest.Recorder jit = new JitRunTest.Recorder(pair.compiled, interval);
            pair.run(3100, "checkpoints every " + interval);
            java.util.List<String> refLog = ref.canonical();
            java.util.List<String> jitLog = jit.canonical();
            assertEquals(refLog.size(), jitLog.size(), "observer calls, checkpoints every " + interval);
            for (int k = 0; k < refLog.size(); k++) {
                assertEquals(refLog.get(k), jitLog.get(k), "observer call " + k + ", checkpoints every " + interval);
            }
            assertTrue(ref.log.size() > 1500, "one call per block");
            assertTrue(pair.jit.regionCount() > 0);
        }
    }
}
