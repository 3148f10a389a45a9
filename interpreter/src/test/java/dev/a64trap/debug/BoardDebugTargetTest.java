package dev.a64trap.debug;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.cli.PmuOptions;
import dev.a64trap.elf.ElfFile;
import dev.a64trap.elf.ElfSymbol;
import dev.a64trap.exec.Stop;
import dev.a64trap.gdb.BreakKind;
import dev.a64trap.gdb.DebugTarget;
import dev.a64trap.gdb.MonitorCommand;
import dev.a64trap.gdb.StopEvent;
import dev.a64trap.gdb.StopEvent.Reason;
import dev.a64trap.gdb.SysRegInfo;
import dev.a64trap.machine.VirtBoard;
import dev.a64trap.mem.GuestMemory;
import dev.a64trap.sysreg.BaseSysRegs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gdb adapter over the real board, driven with the prebuilt guests. */
class BoardDebugTargetTest {
    static final Path PREBUILT = Path.of("..", "guest-images", "prebuilt");

    final ByteArrayOutputStream console = new ByteArrayOutputStream();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    BoardDebugTarget target(String image) throws Exception {
        return target(image, null);
    }

    BoardDebugTarget target(String image, String pmuMode, String... runOptions) throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.stdout = console;
        // the run command's defaults: vPMU in KVM's default mode on the rk3588 host
        o.vcpu = picocli.CommandLine.populateCommand(new PmuOptions(), runOptions).build(pmuMode);
        VirtBoard board = VirtBoard.load(PREBUILT.resolve(image), o);
        return new BoardDebugTarget(board, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    static long symbol(String image, String name) throws Exception {
        for (ElfSymbol s : ElfFile.read(PREBUILT.resolve(image)).symbols()) {
            if (s.name().equals(name)) {
                return s.value();
            }
        }
        throw new AssertionError("no symbol " + name + " in " + image);
    }

    static String monitor(DebugTarget t, String name, String arg) {
        for (MonitorCommand c : t.monitorCommands()) {
            if (c.name().equals(name)) {
                return c.run().apply(arg);
            }
        }
        throw new AssertionError("no monitor command " + name);
    }

    @Test
    void stepsOneInstructionFromTheEntry() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        long entry = symbol("hello.elf", "_start");
        assertEquals(entry, t.readCoreRegister(0, DebugTarget.PC));
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(entry + 4, t.readCoreRegister(0, DebugTarget.PC));
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(entry + 8, t.readCoreRegister(0, DebugTarget.PC));
    }

    /** Stepping a faulting instruction stops at its vector: nothing of the handler runs. */
    @Test
    void steppingAFaultingInstructionStopsAtTheVector() throws Exception {
        // adr x0, 0x40000800 ; msr vbar_el1, x0 ; udf #0   (words checked with a64trap disasm and objdump)
        int[] words = {0x10004000, 0xd518c000, 0x00000000};
        java.nio.ByteBuffer code = java.nio.ByteBuffer.allocate(0x1000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            code.putInt(w);
        }
        code.putInt(0xa00, 0x14000000); // current EL, SPx, synchronous: b .
        VirtBoard.Options o = new VirtBoard.Options();
        o.stdout = console;
        o.loadAddress = java.util.OptionalLong.of(0x4000_0000L);
        o.vcpu = picocli.CommandLine.populateCommand(new PmuOptions()).build(null);
        VirtBoard board = VirtBoard.load(code.array(), "fault.bin", o);
        BoardDebugTarget t = new BoardDebugTarget(board, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(0x4000_0008L, t.readCoreRegister(0, DebugTarget.PC));
        long retired = board.cpu().retired;
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(0x4000_0a00L, t.readCoreRegister(0, DebugTarget.PC), "stopped at the vector");
        assertEquals(retired, board.cpu().retired, "the udf did not retire and the handler did not run");
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(0x4000_0a00L, t.readCoreRegister(0, DebugTarget.PC), "b . retired once");
        assertEquals(retired + 1, board.cpu().retired);
    }

    @Test
    void breakpointStopsBeforeItsInstructionAndResumesPastIt() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        long main = symbol("hello.elf", "main");
        assertTrue(t.insertBreakpoint(BreakKind.SOFTWARE, main, 4));
        StopEvent ev = t.resume();
        assertEquals(Reason.SW_BREAK, ev.reason());
        assertEquals(main, t.readCoreRegister(0, DebugTarget.PC));
        assertEquals("", console.toString(StandardCharsets.UTF_8), "main has not printed yet");
        // the breakpoint stays inserted, yet resuming from it runs the guest to its end
        StopEvent end = t.resume();
        assertEquals(Reason.EXITED, end.reason());
        assertEquals(0, end.code());
        assertTrue(console.toString(StandardCharsets.UTF_8).startsWith("Hello from a64trap guest"));
    }

    @Test
    void hardwareBreakpointReportsItsKind() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        long main = symbol("hello.elf", "main");
        assertTrue(t.insertBreakpoint(BreakKind.HARDWARE, main, 4));
        assertEquals(Reason.HW_BREAK, t.resume().reason());
        assertTrue(t.removeBreakpoint(BreakKind.HARDWARE, main, 4));
        assertFalse(t.removeBreakpoint(BreakKind.HARDWARE, main, 4));
        assertEquals(Reason.EXITED, t.resume().reason());
    }

    @Test
    void writeWatchpointStopsBeforeEachStoreWithTheDataAddress() throws Exception {
        BoardDebugTarget t = target("alu.elf");
        long passed = symbol("alu.elf", "passed");
        assertTrue(t.insertBreakpoint(BreakKind.WATCH_WRITE, passed, 4));
        byte[] value = new byte[4];
        int stops = 0;
        // the first stores are the bss clear (value stays 0); check() then counts its first pass
        while (value[0] != 1) {
            assertTrue(++stops < 10, "the guest stores to 'passed' within a few stops");
            StopEvent ev = t.resume();
            assertEquals(Reason.WATCH_WRITE, ev.reason());
            assertTrue(ev.address() >= passed && ev.address() < passed + 4, Long.toHexString(ev.address()));
            byte[] word = new byte[4];
            assertEquals(4, t.readMemory(0, t.readCoreRegister(0, DebugTarget.PC), word, 0, 4));
            assertEquals(0x08, word[3] & 0x0a, "stopped at a load/store instruction");
            byte[] before = new byte[4];
            t.readMemory(0, passed, before, 0, 4);
            // gdb steps over the access (the first instruction of a run ignores watchpoints)
            assertEquals(Reason.STEPPED, t.step(0).reason());
            t.readMemory(0, passed, value, 0, 4);
            assertTrue(before[0] == value[0] || before[0] + 1 == value[0], "the store happened in the step");
        }
        assertTrue(t.removeBreakpoint(BreakKind.WATCH_WRITE, passed, 4));
        assertEquals(Reason.EXITED, t.resume().reason());
    }

    @Test
    void sysregCatchStopsAfterTheAccessAndNamesTheRegister() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        assertTrue(monitor(t, "catch sysreg", "DAIF").contains("DAIF"));
        StopEvent ev = t.resume();
        assertEquals(Reason.SIGNAL, ev.reason());
        assertEquals(5, ev.code());
        assertEquals("guest read DAIF", ev.detail());
        assertTrue(monitor(t, "catch sysreg", "off").contains("off"));
        assertEquals(Reason.EXITED, t.resume().reason());
        assertTrue(monitor(t, "catch sysreg", "NO_SUCH_REG").contains("unknown system register"));
    }

    @Test
    void traceMonitorPrintsInstructionsToTheLog() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        monitor(t, "trace", "on");
        t.step(0);
        t.step(0);
        String[] lines = log.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, log.toString(StandardCharsets.UTF_8));
        assertTrue(lines[0].startsWith(String.format("%016x: ", symbol("hello.elf", "_start"))), lines[0]);
        monitor(t, "trace", "off");
        t.step(0);
        assertEquals(2, log.toString(StandardCharsets.UTF_8).split("\n").length);
    }

    @Test
    void systemRegistersComeFromTheDescriptorTable() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        List<SysRegInfo> regs = t.systemRegisters();
        assertEquals(t.board().cpu().sysRegs.size(), regs.size());
        int sctlr = indexOf(regs, "SCTLR_EL1");
        assertEquals(new SysRegInfo("SCTLR_EL1", 3, 0, 1, 0, 0), regs.get(sctlr));
        assertEquals(BaseSysRegs.SCTLR_RESET, t.readSystemRegister(0, sctlr).getAsLong());
        assertTrue(t.writeSystemRegister(0, sctlr, BaseSysRegs.SCTLR_RESET | 1));
        assertEquals(BaseSysRegs.SCTLR_RESET | 1, t.board().cpu().sys.sctlr);
        int midr = indexOf(regs, "MIDR_EL1");
        assertFalse(t.writeSystemRegister(0, midr, 0), "ID registers are read-only");
        assertEquals(BaseSysRegs.MIDR_CORTEX_A57_R1P3, t.readSystemRegister(0, midr).getAsLong());
        int oslar = indexOf(regs, "OSLAR_EL1");
        assertTrue(t.readSystemRegister(0, oslar).isEmpty(), "write-only register has no value");
    }

    @Test
    void fpuRegistersReadAndWriteTheVRegistersFpsrAndFpcr() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        assertTrue(t.hasFpu());
        t.writeFpuRegister(0, 7, 0x1122334455667788L, 0x99aabbccddeeff00L);
        assertEquals(0x1122334455667788L, t.board().cpu().v[14]);
        assertEquals(0x99aabbccddeeff00L, t.readFpuRegister(0, 7)[1]);
        t.writeFpuRegister(0, 33, 0xffff_ffffL, 0);
        assertEquals(0x07C0_0000L, t.board().cpu().sys.fp.fpcr, "only AHP, DN, FZ, RMode are writable");
        t.board().cpu().sys.fp.fpsr = 0x9f;
        assertEquals(0x9f, t.readFpuRegister(0, 32)[0]);
    }

    static int indexOf(List<SysRegInfo> regs, String name) {
        for (int i = 0; i < regs.size(); i++) {
            if (regs.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void memoryIsRamAndFlashOnlyNeverMmio() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        byte[] buf = new byte[16];
        assertEquals(0, t.readMemory(0, 0x0900_0000L, buf, 0, 4), "PL011 is not read by the debugger");
        long end = GuestMemory.RAM_BASE + GuestMemory.DEFAULT_RAM_SIZE;
        assertEquals(8, t.readMemory(0, end - 8, buf, 0, 16), "stops at the end of RAM");
        byte[] data = {1, 2, 3, 4};
        assertTrue(t.writeMemory(0, GuestMemory.RAM_BASE + 0x10_0000, data, 0, 4));
        assertEquals(4, t.readMemory(0, GuestMemory.RAM_BASE + 0x10_0000, buf, 0, 4));
        assertEquals(3, buf[2]);
        assertFalse(t.writeMemory(0, end - 2, data, 0, 4));
    }

    @Test
    void coreRegistersAndPstate() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        assertEquals(0x3c5, t.readCoreRegister(0, DebugTarget.CPSR), "EL1h, DAIF masked");
        t.writeCoreRegister(0, 5, 0x1234);
        assertEquals(0x1234, t.board().cpu().x[5]);
        t.writeCoreRegister(0, DebugTarget.CPSR, 0x600003c5L);
        assertEquals(0b0110, t.board().cpu().nzcv);
        assertEquals(0x600003c5L, t.readCoreRegister(0, DebugTarget.CPSR));
    }

    @Test
    void pendingInterruptStopsTheNextResumeAtOnce() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        long pc = t.readCoreRegister(0, DebugTarget.PC);
        t.interrupt();
        assertEquals(Reason.INTERRUPTED, t.resume().reason());
        assertEquals(pc, t.readCoreRegister(0, DebugTarget.PC));
    }

    /**
     * A step into a vector table at an unmapped address: each step ends at the exception entry
     * (the udf's, then the instruction abort's at the vector itself), never looping inside one step.
     */
    @Test
    void stepIntoAnUnmappedVectorStopsAtEachEntry() throws Exception {
        // aarch64-linux-gnu-as: mov x1, #0x10000000; msr vbar_el1, x1; udf #0
        int[] words = {0xd2a20001, 0xd518c001, 0x00000000};
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int w : words) {
            b.putInt(w);
        }
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = java.util.OptionalLong.of(GuestMemory.RAM_BASE);
        VirtBoard board = VirtBoard.load(b.array(), "loop.bin", o);
        BoardDebugTarget t = new BoardDebugTarget(board, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(0x1000_0200L, t.readCoreRegister(0, DebugTarget.PC), "at the vector after the udf");
        assertEquals(0x00L, board.cpu().sys.esr >>> 26, "EC 0x00: the udf");
        assertEquals(Reason.STEPPED, t.step(0).reason());
        assertEquals(0x1000_0200L, t.readCoreRegister(0, DebugTarget.PC), "the fetch at the vector faulted");
        assertEquals(0x21L, board.cpu().sys.esr >>> 26, "EC 0x21: instruction abort at the same EL");
        assertEquals(0x10000000L, t.readCoreRegister(0, 1));
    }

    /**
     * Debugger reads have no guest-visible effect: reading every system register (the vPMU's
     * included) before each of many steps leaves the PMU guest's output identical to a plain run.
     */
    @Test
    void readingEverySysregChangesNothingTheGuestSees() throws Exception {
        ByteArrayOutputStream plainOut = new ByteArrayOutputStream();
        VirtBoard.Options o = new VirtBoard.Options();
        o.stdout = plainOut;
        o.vcpu = picocli.CommandLine.populateCommand(new PmuOptions()).build(null);
        Stop plain = VirtBoard.load(PREBUILT.resolve("pmu-access.elf"), o).run(Long.MAX_VALUE);
        assertEquals(Stop.Kind.EXIT, plain.kind());
        BoardDebugTarget t = target("pmu-access.elf");
        assertTrue(t.systemRegisters().stream().anyMatch(r -> r.name().equals("PMCCNTR_EL0")), "PMU registers listed");
        int pmccntr = indexOf(t.systemRegisters(), "PMCCNTR_EL0");
        for (int step = 0; step < 3000; step++) {
            for (int i = 0; i < t.systemRegisters().size(); i++) {
                t.readSystemRegister(0, i);
            }
            long a = t.readSystemRegister(0, pmccntr).getAsLong();
            assertEquals(a, t.readSystemRegister(0, pmccntr).getAsLong());
            if (t.step(0).reason() != Reason.STEPPED) {
                break;
            }
        }
        StopEvent end = t.resume();
        assertEquals(Reason.EXITED, end.reason());
        assertEquals(plain.status(), end.code());
        assertEquals(plainOut.toString(StandardCharsets.UTF_8), console.toString(StandardCharsets.UTF_8));
    }

    /**
     * gdb continuing from a breakpoint on a caught MRS steps over it (breakpoint out), re-inserts the
     * breakpoint and continues; the catch that fired in that step is reported by the continue. A plain
     * step followed by a continue (no breakpoint put back where the step began) runs on.
     */
    @Test
    void aCatchInTheStepOverABreakpointStopsTheContinue() throws Exception {
        long mrsSpsel = 0x4000182cL; // hello.elf main+28: mrs x21, spsel
        for (boolean gdbStepsOver : new boolean[] {true, false}) {
            BoardDebugTarget t = target("hello.elf");
            assertTrue(t.insertBreakpoint(BreakKind.SOFTWARE, mrsSpsel, 4));
            assertEquals(StopEvent.Reason.SW_BREAK, t.resume().reason());
            assertTrue(t.removeBreakpoint(BreakKind.SOFTWARE, mrsSpsel, 4)); // gdb shows the stop
            assertTrue(monitor(t, "catch sysreg", "SPSEL").contains("SPSel"));
            StopEvent step = t.step(0);
            assertEquals("guest read SPSel", step.detail());
            assertEquals(mrsSpsel + 4, t.readCoreRegister(0, DebugTarget.PC));
            long retired = t.board().cpu().retired;
            if (gdbStepsOver) {
                assertTrue(t.insertBreakpoint(BreakKind.SOFTWARE, mrsSpsel, 4));
                StopEvent again = t.resume();
                assertEquals(StopEvent.Reason.SIGNAL, again.reason());
                assertEquals(5, again.code());
                assertEquals(mrsSpsel + 4, t.readCoreRegister(0, DebugTarget.PC));
                assertEquals(retired, t.board().cpu().retired, "reported without running");
            } else {
                assertEquals(StopEvent.Reason.EXITED, t.resume().reason());
            }
        }
    }

    /**
     * A counter the debugger starts (KVM_SET_ONE_REG while the guest is stopped) counts the
     * instructions that follow: the machine is told the vPMU changed (found by the vPMU properties
     * on the machine: it used to keep no event totals until the guest itself touched the PMU).
     */
    @Test
    void aCounterStartedFromTheDebuggerCountsWhatFollows() throws Exception {
        BoardDebugTarget t = target("hello.elf", null, "--sched", "pinned:0"); // an A55: KVM's default PMU
        int pmcr = indexOf(t.systemRegisters(), "PMCR_EL0");
        int cntenset = indexOf(t.systemRegisters(), "PMCNTENSET_EL0");
        int evtyper0 = indexOf(t.systemRegisters(), "PMEVTYPER0_EL0");
        int evcntr0 = indexOf(t.systemRegisters(), "PMEVCNTR0_EL0");
        assertEquals(StopEvent.Reason.STEPPED, t.step(0).reason()); // entered: the vCPU runs on a pCPU
        assertTrue(t.writeSystemRegister(0, evtyper0, 0x08)); // INST_RETIRED, all ELs
        assertTrue(t.writeSystemRegister(0, evcntr0, 0));
        assertTrue(t.writeSystemRegister(0, cntenset, 1));
        assertTrue(t.writeSystemRegister(0, pmcr, 1)); // E
        long before = t.board().cpu().retired;
        for (int i = 0; i < 200; i++) {
            assertEquals(StopEvent.Reason.STEPPED, t.step(0).reason());
        }
        assertEquals(200, t.board().cpu().retired - before);
        assertEquals(200, t.readSystemRegister(0, evcntr0).getAsLong(), "every stepped instruction counted");
    }

    /** The PMU rows' debugger paths are KVM's: peek without effects, SET_ONE_REG, ENOENT with no PMU. */
    @Test
    void pmuRegistersThroughTheDebuggerAreKvmsOneRegPaths() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        int pmcr = indexOf(t.systemRegisters(), "PMCR_EL0");
        int pmevcntr0 = indexOf(t.systemRegisters(), "PMEVCNTR0_EL0");
        int pmceid0 = indexOf(t.systemRegisters(), "PMCEID0_EL0");
        int cntvct = indexOf(t.systemRegisters(), "CNTVCT_EL0");
        assertTrue(t.writeSystemRegister(0, pmevcntr0, 0x1234));
        assertEquals(0x1234L, t.readSystemRegister(0, pmevcntr0).getAsLong());
        long n = t.readSystemRegister(0, pmcr).getAsLong() >>> 11 & 0x1F;
        assertEquals(6, n, "the A55 PMU's N");
        // KVM_SET_ONE_REG: PMCR.N is userspace-writable before the first run
        assertTrue(t.writeSystemRegister(0, pmcr, 2L << 11));
        assertEquals(2, t.readSystemRegister(0, pmcr).getAsLong() >>> 11 & 0x1F);
        assertEquals(t.readSystemRegister(0, pmceid0).getAsLong(), t.readSystemRegister(0, pmceid0).getAsLong());
        assertTrue(t.readSystemRegister(0, cntvct).isPresent());
        assertFalse(t.writeSystemRegister(0, cntvct, 5), "guest time is derived from executed work");

        BoardDebugTarget none = target("hello.elf", "none");
        int nonePmcr = indexOf(none.systemRegisters(), "PMCR_EL0");
        assertTrue(none.readSystemRegister(0, nonePmcr).isEmpty(), "no vPMU: KVM has no such register");
        assertFalse(none.writeSystemRegister(0, nonePmcr, 0));
    }

    @Test
    void pmuMonitorCommandsDescribeTheVpmuAndHost() throws Exception {
        BoardDebugTarget t = target("hello.elf");
        assertTrue(monitor(t, "pmu", "").contains("PMCCNTR"));
        assertTrue(monitor(t, "host", "").contains("vCPU 0 not placed yet"), "before the first entry it sits on no pCPU");
        assertTrue(monitor(t, "migrate", "1").contains("not running"), "before the first entry there is no vCPU load");
        assertTrue(monitor(t, "migrate", "one").startsWith("usage: monitor migrate CPU"));
    }

    /** With the guest's MMU on, memory reads and writes go through its translation; monitor translate shows the walk. */
    @Test
    void memoryAccessUsesTheGuestsTranslation() throws Exception {
        BoardDebugTarget t = target("mmu.elf");
        long printf = symbol("mmu.elf", "printf_");
        assertTrue(t.insertBreakpoint(BreakKind.SOFTWARE, printf, 4));
        assertEquals(Reason.SW_BREAK, t.resume().reason()); // the first printf runs after the MMU is on
        long remapA = symbol("mmu.elf", "remap_a");
        long high = 0xffff_ff80_0000_0000L + (remapA - 0x4000_0000L);
        byte[] b = new byte[8];
        assertEquals(8, t.readMemory(0, high, b, 0, 8));
        assertEquals(0xaaaa, java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
        // a write through the higher-half alias lands on the same physical page
        assertTrue(t.writeMemory(0, high + 8, new byte[] {0x5a}, 0, 1));
        assertEquals(1, t.readMemory(0, remapA + 8, b, 0, 1));
        assertEquals(0x5a, b[0]);
        // unmapped VAs (TEST_VA page 0) read nothing and refuse writes
        assertEquals(0, t.readMemory(0, 0x4020_0000L, b, 0, 8));
        assertFalse(t.writeMemory(0, 0x4020_0000L, b, 0, 8));
        // a read running into an unmapped page stops there
        byte[] two = new byte[16];
        assertEquals(8, t.readMemory(0, 0x4020_0000L - 8, two, 0, 16));
        String walk = monitor(t, "translate", String.format("0x%x", high));
        assertTrue(walk.contains("TTBR1_EL1"), walk);
        assertTrue(walk.contains("level 2"), walk);
        assertTrue(walk.contains(String.format("PA 0x%x  2 MiB block", remapA)), walk);
        String fault = monitor(t, "translate", "0x40200000");
        assertTrue(fault.contains("translation fault, level 3 (FSC 0x07)"), fault);
        assertTrue(monitor(t, "translate", "nope").startsWith("usage:"));
    }

    /** monitor pmu with --smp 2: one section per vCPU, each its own vPMU (one vCPU: no prefix, as before). */
    @Test
    void pmuMonitorShowsEveryVcpu() throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.stdout = console;
        o.smp = 2;
        PmuOptions pmu = picocli.CommandLine.populateCommand(new PmuOptions());
        o.vcpu = pmu.build(null);
        o.moreVcpus = pmu.siblings(o.vcpu, 2);
        VirtBoard board = VirtBoard.load(PREBUILT.resolve("hello.elf"), o);
        BoardDebugTarget t = new BoardDebugTarget(board, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
        String out = monitor(t, "pmu", "");
        assertTrue(out.startsWith("vCPU 0: vPMU: mode "), out);
        assertTrue(out.contains("\nvCPU 1: vPMU: mode "), out);
        assertEquals(2, out.split("PMCCNTR ", -1).length - 1, out);
        assertTrue(monitor(target("hello.elf"), "pmu", "").startsWith("vPMU: mode "));
    }

    /** --smp 8: one gdb thread per vCPU; a breakpoint in code the secondaries run stops the one that got there. */
    @Test
    void everyVcpuIsAThreadAndABreakpointStopsTheVcpuThatHitIt() throws Exception {
        VirtBoard.Options o = new VirtBoard.Options();
        o.stdout = console;
        o.smp = 8;
        o.lse = true;
        VirtBoard board = VirtBoard.load(PREBUILT.resolve("smp.elf"), o);
        BoardDebugTarget t = new BoardDebugTarget(board, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(8, t.cpuCount());
        assertEquals("vCPU 3, MPIDR 0x80000003, powered off", t.cpuDescription(3));
        long secondary = symbol("smp.elf", "secondary_main");
        assertTrue(t.insertBreakpoint(BreakKind.SOFTWARE, secondary, 4));
        StopEvent first = t.resume();
        assertEquals(Reason.SW_BREAK, first.reason());
        assertEquals(1, first.cpu(), "vCPU 1 is the first secondary CPU_ON starts");
        assertEquals(secondary, t.readCoreRegister(1, DebugTarget.PC));
        assertEquals(0xc0de0001L, t.readCoreRegister(1, DebugTarget.X0), "its context id");
        assertFalse(secondary == t.readCoreRegister(0, DebugTarget.PC), "vCPU 0 stopped elsewhere (all-stop)");
        StopEvent second = t.resume();
        assertEquals(2, second.cpu(), "resuming passes vCPU 1's breakpoint; vCPU 2 hits it next");
        assertEquals(Reason.STEPPED, t.step(2).reason());
        assertEquals(secondary + 4, t.readCoreRegister(2, DebugTarget.PC), "a step runs only that vCPU");
        org.junit.jupiter.api.Assertions.assertNotEquals(secondary, t.readCoreRegister(1, DebugTarget.PC),
                "vCPU 1 went on when the board resumed");
        assertEquals(Reason.SIGNAL, t.step(5).reason(), "vCPU 5 is still off: nothing to step");
        assertTrue(t.removeBreakpoint(BreakKind.SOFTWARE, secondary, 4));
        assertEquals(Reason.EXITED, t.resume().reason());
        assertTrue(console.toString(StandardCharsets.UTF_8).endsWith("smp: 19 passed, 0 failed\n"));
    }
}
