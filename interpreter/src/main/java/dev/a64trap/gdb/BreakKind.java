package dev.a64trap.gdb;

/** The five kinds of Z/z packet, indexed by the packet's type digit. */
public enum BreakKind {
    /** Z0: software breakpoint (the target must not write a BRK into guest memory). */
    SOFTWARE,
    /** Z1: hardware breakpoint. */
    HARDWARE,
    /** Z2: write watchpoint. */
    WATCH_WRITE,
    /** Z3: read watchpoint. */
    WATCH_READ,
    /** Z4: access (read or write) watchpoint. */
    WATCH_ACCESS;

    /** The kind for a Z/z type digit, or null if the digit is not 0-4. */
    static BreakKind ofType(int type) {
        BreakKind[] all = values();
        return type >= 0 && type < all.length ? all[type] : null;
    }
}
