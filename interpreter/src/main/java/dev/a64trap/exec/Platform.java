package dev.a64trap.exec;

import dev.a64trap.cpu.Cpu;

/**
 * The board's upcalls for the instructions that talk to firmware: semihosting (HLT #0xF000) and
 * PSCI (HVC/SMC). Each returns {@link #CONTINUE}, {@link #UNDEFINED} (the call is not the board's:
 * the instruction is UNDEFINED, as on QEMU virt without EL2/EL3), or an exit status &gt;= 0 that
 * ends the run.
 */
public interface Platform {
    int CONTINUE = -1;
    int UNDEFINED = -2;

    /** HLT #0xF000 at EL1: operation in w0, parameter in x1, result to x0. */
    int semihosting(Cpu cpu);

    /** HVC #imm at EL1 (QEMU virt's PSCI conduit). */
    int hvc(Cpu cpu, int imm);

    /** SMC #imm at EL1. */
    int smc(Cpu cpu, int imm);

    /**
     * Whether anything can end a WFI executed now. The one place that decides what WFI does: false
     * ends the run ({@link Stop.Kind#WFI_NO_WAKEUP}); true lets it complete at once (a WFI may
     * always complete spuriously). No board delivers interrupts yet, so nothing can wake it; once
     * the timer and GIC deliver, this is where WFI learns to wait in guest time.
     */
    default boolean canWakeFromWfi(Cpu cpu) {
        return false;
    }

    /**
     * WFE with the PE's event register: true completes it (the board cleared a set event register, or
     * the WFE wakes at once, as on a board with one CPU: a WFE may always complete spuriously); false
     * makes the vCPU wait as for a WFI that cannot complete yet ({@link Stop.Kind#WFI_NO_WAKEUP}).
     */
    default boolean canWakeFromWfe(Cpu cpu) {
        return true;
    }

    /** SEV ({@code global}: every PE's event register) or SEVL (this PE's). Nothing to do with one CPU. */
    default void sendEvent(Cpu cpu, boolean global) {
    }

    /**
     * The board's checkpoint ({@link Interpreter#setDeviceCheckpoint}) was reached at a block
     * boundary: fire what is due (timers), update the interrupt lines, set the next checkpoint.
     */
    default void deviceCheckpoint(Cpu cpu) {
    }

    /** A platform with no firmware: every call is UNDEFINED. */
    Platform NONE = new Platform() {
        @Override
        public int semihosting(Cpu cpu) {
            return UNDEFINED;
        }

        @Override
        public int hvc(Cpu cpu, int imm) {
            return UNDEFINED;
        }

        @Override
        public int smc(Cpu cpu, int imm) {
            return UNDEFINED;
        }
    };
}
