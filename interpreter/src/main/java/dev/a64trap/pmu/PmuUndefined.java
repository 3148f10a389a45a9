package dev.a64trap.pmu;

/**
 * Thrown by {@link Vpmu#read}/{@link Vpmu#write} when KVM would inject UNDEFINED: the sysreg layer
 * turns it into an UNDEFINED exception to EL1 (ESR_EL1.EC = 0x00), PC not advanced, instruction
 * without effect (all PMU state is unchanged when this is thrown). Stackless, so it is cheap.
 */
public final class PmuUndefined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PmuUndefined(String why) {
        super(why, null, false, false);
    }
}
