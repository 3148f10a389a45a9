package dev.a64trap.cli;

import dev.a64trap.cpu.Syndrome;
import dev.a64trap.exec.Stop;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.machine.HostedVcpu;
import dev.a64trap.machine.VirtBoard;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One captured guest run for {@code compare}/{@code demo}: console output kept apart, outcome summarised. */
final class GuestRun {
    /** Budget of a compare row, so no image can hang the table. */
    static final long DEFAULT_MAX_INSNS = 2_000_000_000L;

    /** A row KVM refused before the guest ran: no vCPU, the outcome says why. */
    record Result(int status, String console, String outcome, HostedVcpu vcpu) {
        boolean refused() {
            return vcpu == null;
        }
    }

    /** The board options of {@code run} that {@code compare} passes on (defaults as run's). */
    record Board(long ramSize, java.util.OptionalLong loadAddress, boolean lse, boolean jit, int smp) {
        static final Board DEFAULT = new Board(dev.a64trap.mem.GuestMemory.DEFAULT_RAM_SIZE,
                java.util.OptionalLong.empty(), true, dev.a64trap.jit.Jit.enabledByProperties(), 1);
    }

    private GuestRun() {}

    /** Runs {@code image} ({@code bytes} when non-null, else read from the path {@code name}). */
    static Result run(byte[] bytes, String name, String append, long maxInsns, HostedVcpu vcpu)
            throws ImageLoadException {
        return run(bytes, name, append, maxInsns, vcpu, null);
    }

    /** As {@link #run(byte[], String, String, long, HostedVcpu)}, sampled for a plot when {@code plot} is non-null. */
    static Result run(byte[] bytes, String name, String append, long maxInsns, HostedVcpu vcpu, PmuPlot plot)
            throws ImageLoadException {
        return run(bytes, name, append, maxInsns, vcpu, plot, Board.DEFAULT);
    }

    static Result run(byte[] bytes, String name, String append, long maxInsns, HostedVcpu vcpu, PmuPlot plot,
            Board settings) throws ImageLoadException {
        return run(bytes, name, append, maxInsns, vcpu, plot, settings, null);
    }

    /** With {@code settings.smp()} vCPUs, vCPU i &gt;= 1 on {@code more.apply(i)} (siblings of {@code vcpu}). */
    static Result run(byte[] bytes, String name, String append, long maxInsns, HostedVcpu vcpu, PmuPlot plot,
            Board settings, java.util.function.IntFunction<HostedVcpu> more) throws ImageLoadException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        VirtBoard.Options o = new VirtBoard.Options();
        o.lse = settings.lse();
        o.ramSize = settings.ramSize();
        o.loadAddress = settings.loadAddress();
        o.jit = settings.jit();
        o.append = append;
        o.stdout = console;
        o.stderr = console;
        o.vcpu = vcpu;
        o.smp = settings.smp();
        o.moreVcpus = more;
        VirtBoard board = bytes != null ? VirtBoard.load(bytes, name, o) : VirtBoard.load(java.nio.file.Path.of(name), o);
        Object sigint = Sigint.install(board::interrupt); // Ctrl-C stops this run at a block boundary
        Stop stop;
        try {
            stop = plot == null ? board.run(maxInsns) : plot.run(board, vcpu, maxInsns);
        } finally {
            Sigint.restore(sigint);
        }
        String text = console.toString(StandardCharsets.UTF_8);
        for (VirtBoard.Vcpu each : board.vcpus()) { // with --smp, whichever vCPU met an unsupported pCPU
            HostedVcpu h = each.hosted();
            if (h.failEntry() != null) {
                return new Result(ExitStatus.FAIL_ENTRY, text, String.format(Locale.ROOT,
                        "KVM_EXIT_FAIL_ENTRY: CPU_UNSUPPORTED on cpu%d (%s)%s", h.failEntry().cpu(),
                        h.pmuNameOf(h.failEntry().cpu()), each.index() == 0 ? "" : " for vCPU " + each.index()), vcpu);
            }
        }
        return switch (stop.kind()) {
            case EXIT -> new Result(stop.status(), text, "exit " + stop.status() + ": " + lastLine(text), vcpu);
            case BUDGET -> new Result(ExitStatus.BUDGET_EXHAUSTED, text, "budget of " + maxInsns
                    + " instructions exhausted", vcpu);
            case EXCEPTION -> new Result(ExitStatus.GUEST_EXCEPTION, text, String.format(Locale.ROOT,
                    "exception without vector at pc 0x%x (EC 0x%02x)", stop.pc(), Syndrome.ec(stop.esr())), vcpu);
            case EXCEPTION_LOOP -> new Result(ExitStatus.GUEST_EXCEPTION, text, String.format(Locale.ROOT,
                    "exception loop at pc 0x%x (EC 0x%02x)", stop.pc(), Syndrome.ec(stop.esr())), vcpu);
            case WFI_NO_WAKEUP -> new Result(ExitStatus.GUEST_EXCEPTION, text, String.format(Locale.ROOT,
                    "WFI with no wake-up source at pc 0x%x", stop.pc()), vcpu);
            default -> new Result(ExitStatus.INTERRUPTED, text, String.format(Locale.ROOT,
                    "interrupted at pc=0x%x after %d instructions", stop.pc(), board.cpu().retired), vcpu);
        };
    }

    static String lastLine(String text) {
        String t = text.stripTrailing();
        int nl = t.lastIndexOf('\n');
        return nl < 0 ? t : t.substring(nl + 1);
    }
}
