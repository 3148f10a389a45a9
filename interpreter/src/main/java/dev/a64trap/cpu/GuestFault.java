package dev.a64trap.cpu;

/**
 * A synchronous exception raised while executing an instruction (thrown by the semantic helpers,
 * caught by the interpreter which delivers it with ELR = the faulting instruction). Stackless and
 * only ever thrown on the exceptional path.
 */
public final class GuestFault extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public final int esr;
    public final boolean farValid;
    public final long far;

    public GuestFault(int esr, boolean farValid, long far) {
        super(null, null, false, false);
        this.esr = esr;
        this.farValid = farValid;
        this.far = far;
    }

    public static GuestFault undefined() {
        return new GuestFault(Syndrome.undefined(), false, 0);
    }

    public static GuestFault of(int esr) {
        return new GuestFault(esr, false, 0);
    }

    public static GuestFault dataAbort(Cpu cpu, int fsc, long address, boolean write) {
        return new GuestFault(Syndrome.dataAbort(cpu.el == 0, fsc, write), true, address);
    }

    public static GuestFault instructionAbort(Cpu cpu, int fsc, long address) {
        return new GuestFault(Syndrome.instructionAbort(cpu.el == 0, fsc), true, address);
    }

    @Override
    public String getMessage() {
        return String.format("ESR 0x%08x%s", esr, farValid ? String.format(" FAR 0x%x", far) : "");
    }
}
