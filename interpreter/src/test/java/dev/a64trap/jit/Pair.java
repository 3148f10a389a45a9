package dev.a64trap.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.a64trap.cpu.Cpu;
import dev.a64trap.exec.Interpreter;
import dev.a64trap.exec.Platform;
import dev.a64trap.exec.Stop;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.sysreg.BaseSysRegs;
import java.util.function.Consumer;

/**
 * One guest twice: a reference board that only interprets and one whose blocks are all compiled at
 * their first execution (ASM-verified). Both get the same code, memory and register state; after a
 * run every piece of architectural state and the event sums must agree.
 */
final class Pair {
    static final long RAM = GuestMemory.RAM_BASE;
    static final long CODE = RAM + 0x1000;
    static final long DATA = RAM + 0x20000;
    static final long DATA_SIZE = 0x10000;
    static final long VBAR = RAM + 0x800;

    final Side interp = new Side(null);
    final Jit jit;
    final Side compiled;

    Pair() {
        this(new Jit(0, true, null));
    }

    /** With this JIT on the compiled side (e.g. one that makes graph units from the start). */
    Pair(Jit jit) {
        this.jit = jit;
        this.compiled = new Side(jit);
    }

    static final class Side {
        final GuestMemory mem = new GuestMemory(1 << 20);
        final Cpu cpu = new Cpu(BaseSysRegs.cortexA57Table(true), true);
        final Interpreter interp;

        Side(Jit jit) {
            interp = new Interpreter(cpu, mem, Platform.NONE, null);
            interp.setCompiler(jit);
            cpu.pc = CODE;
        }
    }

    /** Applies the same setup to both sides. */
    Pair both(Consumer<Side> setup) {
        setup.accept(interp);
        setup.accept(compiled);
        return this;
    }

    Pair code(long at, int... words) {
        return both(s -> {
            for (int k = 0; k < words.length; k++) {
                s.mem.write(at + 4L * k, 4, words[k] & 0xFFFF_FFFFL);
            }
        });
    }

    /** A {@code b .} at every vector, so an exception parks the guest where a budget ends the run. */
    Pair vectors() {
        both(s -> s.cpu.sys.vbar = VBAR);
        for (int v = 0; v < 16; v++) {
            code(VBAR + 0x80L * v, 0x14000000);
        }
        return this;
    }

    /** Runs both with the same budget; returns the compiled side's stop after checking it equals the reference. */
    Stop run(long maxInsns, String what) {
        Stop a = interp.interp.run(maxInsns);
        Stop b = compiled.interp.run(maxInsns);
        assertEquals(a, b, what + ": stop");
        assertSame(what);
        return b;
    }

    void assertSame(String what) {
        Cpu a = interp.cpu, b = compiled.cpu;
        assertArrayEquals(java.util.Arrays.copyOf(a.x, 32), java.util.Arrays.copyOf(b.x, 32), what + ": registers");
        assertEquals(a.pc, b.pc, what + ": pc");
        assertEquals(a.nzcv, b.nzcv, what + ": nzcv");
        assertEquals(a.retired, b.retired, what + ": retired");
        assertEquals(a.el, b.el, what + ": el");
        assertEquals(a.sys.esr, b.sys.esr, what + ": esr");
        assertEquals(a.sys.elr, b.sys.elr, what + ": elr");
        assertEquals(a.sys.far, b.sys.far, what + ": far");
        assertEquals(a.sys.spsr, b.sys.spsr, what + ": spsr");
        var ea = interp.interp.events;
        var eb = compiled.interp.events;
        assertEquals(ea.branches, eb.branches, what + ": branch events");
        assertEquals(ea.loads, eb.loads, what + ": load events");
        assertEquals(ea.stores, eb.stores, what + ": store events");
        assertEquals(ea.exceptions, eb.exceptions, what + ": exception events");
        assertArrayEquals(interp.mem.readBytes(DATA, (int) DATA_SIZE), compiled.mem.readBytes(DATA, (int) DATA_SIZE),
                what + ": data memory");
    }
}
