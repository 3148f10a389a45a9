/**
 * The adapter that lets the gdb stub ({@code dev.a64trap.gdb}, through its {@code DebugTarget}
 * interface) see a {@code machine.VirtBoard}: vCPUs as gdb threads, registers and system registers,
 * guest memory, breakpoints, watchpoints, system-register catches and the monitor commands. The
 * command line ({@code cli}) builds it for {@code run --gdb}; it calls down into the board and never
 * back up.
 */
package dev.a64trap.debug;
