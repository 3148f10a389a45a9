/**
 * The gdb remote serial protocol stub.
 *
 * <p>Layers, each testable alone: {@link dev.a64trap.gdb.RspFramer} (bytes to frames: ack, nak,
 * 0x03, checksummed packets with escapes and run-length input undone, bounded size), its Netty
 * wrapper {@code RspFrameDecoder}, {@code RspEncoder} (escapes, run-length, checksum),
 * {@code CommandTable} (longest-prefix dispatch), {@code GdbSession} (acks and the command
 * handlers over {@link dev.a64trap.gdb.DebugTarget}), {@code TargetRunner} (runs the target on
 * its own thread, so the event loop never blocks) and {@link dev.a64trap.gdb.GdbServer}
 * (bootstrap, one client at a time).
 *
 * <p>The machine plugs in through {@link dev.a64trap.gdb.DebugTarget}; its Javadoc is the
 * contract (threading, side-effect-free reads, interrupt semantics).
 */
package dev.a64trap.gdb;
