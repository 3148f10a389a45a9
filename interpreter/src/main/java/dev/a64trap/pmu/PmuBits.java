package dev.a64trap.pmu;

/** Register field constants shared by the vPMU and its tests (names as in Linux's arm_pmuv3.h). */
public final class PmuBits {
    private PmuBits() {}

    // PMUSERENR_EL0
    public static final int EN = 1 << 0;
    public static final int SW = 1 << 1;
    public static final int CR = 1 << 2;
    public static final int ER = 1 << 3;
    /** EL0 rule value meaning "always allowed". */
    public static final int ALWAYS = -1;

    // PMCR_EL0
    public static final long PMCR_E = 1L << 0;
    public static final long PMCR_P = 1L << 1;
    public static final long PMCR_C = 1L << 2;
    public static final long PMCR_D = 1L << 3;
    public static final long PMCR_X = 1L << 4;
    public static final long PMCR_DP = 1L << 5;
    public static final long PMCR_LC = 1L << 6;
    public static final long PMCR_LP = 1L << 7;
    public static final int PMCR_N_SHIFT = 11;
    public static final long PMCR_N_MASK = 0x1FL << PMCR_N_SHIFT;

    // PMEVTYPER / PMCCFILTR
    public static final long EVTYPER_P = 1L << 31;
    public static final long EVTYPER_U = 1L << 30;

    /** Index of the cycle counter in bitmaps and in the type space (PMCCFILTR). */
    public static final int CYCLE_IDX = 31;
    /** FEAT_PMUv3_ICNTR: PMICNTR_EL0 is counter 32 (bit 32 of PMCNTEN/PMOVS/PMINTEN). */
    public static final int ICNTR_IDX = 32;

    // ID_AA64DFR0_EL1.PMUVer values
    public static final int PMUVER_NI = 0;
    public static final int PMUV3 = 1;
    public static final int PMUV3P1 = 4;
    public static final int PMUV3P4 = 5;
    public static final int PMUV3P5 = 6;
    public static final int PMUVER_IMP_DEF = 0xF;

    /**
     * Parses {@code --pmu-version}: "3", "3p1", "3p4" or "3p5" (also "pmuv3p5" etc.) into a PMUVer value.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    /** A PMUVer field value as the architecture names it: PMUv3, PMUv3p1 ... PMUv3p8, or IMP_DEF. */
    public static String displayName(int pmuVer) {
        return switch (pmuVer) {
            case PMUV3 -> "PMUv3";
            case PMUV3P1 -> "PMUv3p1";
            case PMUV3P4 -> "PMUv3p4";
            case PMUV3P5 -> "PMUv3p5";
            case 7 -> "PMUv3p7";
            case 8 -> "PMUv3p8";
            case 9 -> "PMUv3p9";
            case 0xF -> "IMP_DEF";
            default -> "PMUVer " + pmuVer;
        };
    }

    /** The name {@link #parseVersion} reads for a PMUVer field value: 3, 3p1, 3p4 or 3p5. */
    public static String versionName(int pmuVer) {
        return switch (pmuVer) {
            case PMUV3 -> "3";
            case PMUV3P1 -> "3p1";
            case PMUV3P4 -> "3p4";
            case PMUV3P5 -> "3p5";
            default -> throw new IllegalArgumentException("PMUVer " + pmuVer + " has no option name");
        };
    }

    public static int parseVersion(String s) {
        String v = s.toLowerCase(java.util.Locale.ROOT).replaceFirst("^pmuv", "");
        switch (v) {
            case "3":
                return PMUV3;
            case "3p1":
                return PMUV3P1;
            case "3p4":
                return PMUV3P4;
            case "3p5":
                return PMUV3P5;
            default:
                throw new IllegalArgumentException("--pmu-version " + s + ": expected 3, 3p1, 3p4 or 3p5");
        }
    }

    /** KVM's poison for UNKNOWN reset values (masked before use). */
    public static final long UNKNOWN_POISON = 0x1de7ec7edbadc0deL;

    /** mask(N) of spec 1.8: bits N-1..0 plus bit 31. */
    public static long counterMask(int n) {
        return (n == 0 ? 0 : (1L << n) - 1) | 1L << CYCLE_IDX;
    }
}
