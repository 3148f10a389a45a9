package dev.a64trap.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cpu.GuestFault;
import dev.a64trap.decode.Decoder;
import dev.a64trap.decode.Insn;
import dev.a64trap.decode.PatternSampler;
import dev.a64trap.sysreg.BaseSysRegs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every fast uop against the general path, on real encodings: words drawn from the decoder's own
 * patterns ({@link PatternSampler}), decoded by the real decoder, run once through the block loop
 * (the packed uops) and once through {@code Interpreter.exec}, from the same random state (registers
 * often pointing into RAM, SP sometimes misaligned with SCTLR_EL1.SA set). Registers, flags, the
 * next PC, memory and any fault (its syndrome and address) must agree. Every uop kind the decoder
 * can produce must be drawn often enough to count.
 */
class UopDecoderDifferentialTest {
    private static final int WINDOW = 0x2000;

    @Test
    void everyUopKindMatchesTheGeneralPathOnSampledEncodings() {
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        int[] perKind = new int[Uop.KINDS];
        Rig a = new Rig(true);
        Rig b = new Rig(true);
        byte[] data = new byte[WINDOW];
        int checked = 0;
        int faults = 0;
        for (int w : PatternSampler.sample(120_000, 11)) {
            Insn in = Decoder.decode(w);
            int kind = Uop.of(in, Rig.CODE).kind;
            if (kind == Uop.SLOW) {
                continue; // both ways are exec itself
            }
            for (int trial = 0; trial < 2; trial++) {
                long[] regs = randomRegisters(rnd);
                int nzcv = rnd.nextInt(16);
                boolean sa = rnd.nextBoolean();
                rnd.nextBytes(data);
                long retired = 1000L * (checked + 1); // fresh, so no exception loop is ever diagnosed
                for (Rig r : new Rig[] {a, b}) {
                    System.arraycopy(regs, 0, r.cpu.x, 0, 32);
                    r.cpu.x[Uop.ZR] = 0;
                    r.cpu.nzcv = nzcv;
                    r.cpu.pc = Rig.CODE;
                    r.cpu.retired = retired;
                    r.cpu.sys.sctlr = sa ? r.cpu.sys.sctlr | BaseSysRegs.SCTLR_SA : r.cpu.sys.sctlr & ~BaseSysRegs.SCTLR_SA;
                    System.arraycopy(data, 0, r.mem.ram, (int) (Rig.DATA - TestMemory.BASE), WINDOW);
                }
                for (Rig r : new Rig[] {a, b}) { // the same word at CODE: a literal load may read it
                    r.table.clear();
                    r.table.add(in);
                    r.interp.cache().memory().write(Rig.CODE, 4, Rig.TOKEN); // drops the block decoded there
                }
                Stop stop = a.run(retired + 1);

                GuestFault fault = null;
                long next = 0;
                try {
                    next = b.interp.exec(in, Rig.CODE);
                } catch (GuestFault f) {
                    fault = f;
                }
                String what = String.format("%08x %s (uop %d) trial %d", w, in, kind, trial);
                if (fault != null) {
                    faults++;
                    assertNotNull(stop, what + ": the general path faulted, the uop did not");
                    assertEquals(Stop.Kind.EXCEPTION, stop.kind(), what);
                    assertEquals(fault.esr & 0xFFFFFFFFL, stop.esr(), what + ": syndrome");
                    assertEquals(fault.farValid ? fault.far : 0, stop.far(), what + ": fault address");
                    assertEquals(retired, a.cpu.retired, what + ": nothing retired");
                } else {
                    assertTrue(stop == null || stop.kind() == Stop.Kind.BUDGET, what + ": " + stop);
                    assertEquals(next, a.cpu.pc, what + ": next PC");
                    assertEquals(retired + 1, a.cpu.retired, what);
                }
                assertArrayEquals(Arrays.copyOf(b.cpu.x, 32), Arrays.copyOf(a.cpu.x, 32), what);
                assertEquals(b.cpu.nzcv, a.cpu.nzcv, what + ": NZCV");
                assertEquals(0, a.cpu.x[Uop.ZR], what + ": the zero register stays zero");
                int off = (int) (Rig.DATA - TestMemory.BASE);
                assertArrayEquals(Arrays.copyOfRange(b.mem.ram, off, off + WINDOW),
                        Arrays.copyOfRange(a.mem.ram, off, off + WINDOW), what + ": memory");
                checked++;
            }
            perKind[kind]++;
        }
        List<String> missing = new ArrayList<>();
        for (int k = 1; k < Uop.KINDS; k++) {
            if (!Uop.fusedOnly(k) && perKind[k] < 5) {
                missing.add(k + " (" + perKind[k] + ")");
            }
        }
        assertTrue(missing.isEmpty(), "uop kinds never or rarely drawn: " + missing);
        assertTrue(faults > 1000, "faulting accesses exercised, got " + faults);
    }

    /** Registers with values that make loads and stores land in the data window (or just miss it). */
    private static long[] randomRegisters(SplittableRandom rnd) {
        long[] regs = new long[32];
        for (int k = 0; k < 32; k++) {
            regs[k] = switch (rnd.nextInt(6)) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextInt(9) - 4;
                case 2 -> Long.MIN_VALUE + rnd.nextInt(2) - 1;
                case 3 -> 0x7FFF_FFFFL + rnd.nextInt(3) - 1;
                case 4 -> Rig.DATA + 0x800 + (rnd.nextInt(0x100) & ~7);
                default -> Rig.DATA + 0x800 + rnd.nextInt(0x100);
            };
        }
        return regs;
    }
}
