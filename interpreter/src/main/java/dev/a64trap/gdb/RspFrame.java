package dev.a64trap.gdb;

/** What the frame decoder makes of the bytes a debugger sends. */
sealed interface RspFrame {
    /** '+' */
    record Ack() implements RspFrame {}

    /** '-': resend the last packet. */
    record Nak() implements RspFrame {}

    /** 0x03 outside a packet: stop the running target. */
    record Interrupt() implements RspFrame {}

    /** A packet whose checksum matched; {@code payload} has escapes and run-length encoding undone. */
    record Packet(byte[] payload) implements RspFrame {}

    /** A complete frame that cannot be used. */
    record Invalid(Problem problem) implements RspFrame {}

    enum Problem {
        /** Checksum mismatch or non-hex checksum: answered with '-' so the sender retransmits. */
        CHECKSUM,
        /** Longer than the limit: acknowledged and answered with an error. */
        OVERSIZED,
        /** Bad escape or run-length sequence: acknowledged and answered with an error. */
        MALFORMED
    }

    Ack ACK = new Ack();
    Nak NAK = new Nak();
    Interrupt INTERRUPT = new Interrupt();
}
