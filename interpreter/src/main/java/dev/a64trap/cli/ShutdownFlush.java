package dev.a64trap.cli;

import dev.a64trap.machine.ConsoleOutput;
import dev.a64trap.machine.VirtBoard;
import java.io.PrintStream;

/**
 * SIGTERM and SIGHUP (e.g. under {@code timeout}) end the JVM through its shutdown hooks: this one
 * writes out the guest console, so every byte the guest printed reaches stdout as QEMU's would,
 * and says where the guest was.
 */
final class ShutdownFlush {
    private ShutdownFlush() {}

    static Thread install(VirtBoard board, ConsoleOutput console, PrintStream stderr) {
        Thread hook = new Thread(() -> {
            console.flush();
            // read racily from the running guest's thread: for the message only
            stderr.printf("a64trap: terminated by a signal at pc=0x%x after %d instructions%n",
                    board.cpu().pc, board.cpu().retired);
            stderr.flush();
        }, "a64trap-shutdown-flush");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void remove(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs
        }
    }
}
