package dev.a64trap.gdb;

import java.util.Objects;

/**
 * Why the target stopped, as returned by {@link DebugTarget#step} and {@link DebugTarget#resume}.
 *
 * @param reason  the kind of stop
 * @param cpu     the vCPU (0-based) that stopped; gdb sees thread {@code cpu + 1}
 * @param address for watchpoints the data address that triggered; otherwise unused (0)
 * @param code    for {@link Reason#EXITED} the guest's exit status (0-255); for
 *                {@link Reason#SIGNAL} the gdb signal number; otherwise unused (0)
 * @param detail  optional text shown to the user before the stop reply (e.g. "guest read
 *                PMCCNTR_EL0"); may be empty, never null
 */
public record StopEvent(Reason reason, int cpu, long address, int code, String detail) {
    /** gdb signal numbers used in stop replies. */
    static final int SIGINT = 2;
    static final int SIGTRAP = 5;
    static final int SIGABRT = 6;

    public enum Reason {
        /** A single step completed. */
        STEPPED,
        /** Stopped at a software breakpoint (Z0), before executing the instruction there. */
        SW_BREAK,
        /** Stopped at a hardware breakpoint (Z1), before executing the instruction there. */
        HW_BREAK,
        /** A write watchpoint (Z2) fired, before the access (as AArch64 hardware: gdb steps over it, then compares values). */
        WATCH_WRITE,
        /** A read watchpoint (Z3) fired, before the access (as AArch64 hardware: gdb steps over it, then compares values). */
        WATCH_READ,
        /** An access watchpoint (Z4) fired, before the access (as AArch64 hardware: gdb steps over it, then compares values). */
        WATCH_ACCESS,
        /** {@link DebugTarget#interrupt()} stopped it. */
        INTERRUPTED,
        /** Any other stop, reported as signal {@code code} (e.g. a catch on a system register: SIGTRAP). */
        SIGNAL,
        /** The guest finished (semihosting exit, PSCI SYSTEM_OFF...) with status {@code code}. */
        EXITED,
        /** The debugger killed the guest (produced by the server, never by a target). */
        KILLED
    }

    public StopEvent {
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
    }

    public static StopEvent stepped(int cpu) {
        return new StopEvent(Reason.STEPPED, cpu, 0, 0, "");
    }

    public static StopEvent breakpoint(BreakKind kind, int cpu, long address) {
        return switch (kind) {
            case SOFTWARE -> new StopEvent(Reason.SW_BREAK, cpu, address, 0, "");
            case HARDWARE -> new StopEvent(Reason.HW_BREAK, cpu, address, 0, "");
            case WATCH_WRITE -> new StopEvent(Reason.WATCH_WRITE, cpu, address, 0, "");
            case WATCH_READ -> new StopEvent(Reason.WATCH_READ, cpu, address, 0, "");
            case WATCH_ACCESS -> new StopEvent(Reason.WATCH_ACCESS, cpu, address, 0, "");
        };
    }

    public static StopEvent interrupted(int cpu) {
        return new StopEvent(Reason.INTERRUPTED, cpu, 0, 0, "");
    }

    public static StopEvent signal(int cpu, int signal, String detail) {
        return new StopEvent(Reason.SIGNAL, cpu, 0, signal, detail);
    }

    public static StopEvent exited(int status) {
        return new StopEvent(Reason.EXITED, 0, 0, status & 0xff, "");
    }

    static StopEvent killed() {
        return new StopEvent(Reason.KILLED, 0, 0, 0, "");
    }

    /** True if the guest is gone after this stop. */
    public boolean isFinal() {
        return reason == Reason.EXITED || reason == Reason.KILLED;
    }
}
