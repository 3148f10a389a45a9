package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.VmmPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KVM 6.16's fine-grained UNDEFs for a guest whose ID registers do not advertise the features (KVM
 * never does): PMICNTR_EL0, PMICFILTR_EL0 (FEAT_PMUv3_ICNTR), PMUACR_EL1, PMZR_EL0 (FEAT_PMUv3p9),
 * PMSSCR_EL1 (FEAT_PMUv3_SS) are UNDEFINED (EC 0x00); PMMIR_EL1 reads 0; ID_AA64DFR0_EL1.PMUVer is at
 * most PMUv3p5, ID_AA64DFR0_EL1.PMSS and ID_AA64DFR1_EL1.PMICNTR read 0.
 */
class FineGrainedUndefTest {
    /**
     * From aarch64-linux-gnu-as (binutils 2.40), loaded at 0x40000000:
     * <pre>
     *     adr x0, vectors ; msr vbar_el1, x0 ; isb ; mov x20, #0
     *     mrs x1, / msr S3_3_C9_C4_0 (PMICNTR_EL0) ; mrs / msr S3_3_C9_C6_0 (PMICFILTR_EL0)
     *     mrs / msr S3_0_C9_C14_4 (PMUACR_EL1) ; msr S3_3_C9_C13_4 (PMZR_EL0, write-only)
     *     mrs / msr S3_0_C9_C13_3 (PMSSCR_EL1) ; mov x2, #-1 ; mrs x2, pmmir_el1
     *     mrs x3, id_aa64dfr0_el1 ; mrs x4, id_aa64dfr1_el1 ; done: b done
     * vectors + 0x200: mrs x9, esr_el1 ; lsr x9, x9, #26 ; cbnz x9, bad ; add x20, x20, #1
     *     mrs x10, elr_el1 ; add x10, x10, #4 ; msr elr_el1, x10 ; eret ; bad: b bad
     * </pre>
     * x20 counts the UNDEFs (EC 0x00) taken; any other exception class parks the guest at bad.
     */
    static final int[] MAIN = {0x10004000, 0xd518c000, 0xd5033fdf, 0xd2800014, 0xd53b9401, 0xd51b9401, 0xd53b9601,
        0xd51b9601, 0xd5389e81, 0xd5189e81, 0xd51b9d81, 0xd5389d61, 0xd5189d61, 0x92800002, 0xd5389ec2, 0xd5380503,
        0xd5380524, 0x14000000};
    static final int[] HANDLER = {0xd5385209, 0xd35afd29, 0xb50000c9, 0x91000694, 0xd538402a, 0x9100114a, 0xd518402a,
        0xd69f03e0, 0x14000000};
    static final int MAIN_INSNS = MAIN.length - 1;
    static final int UNDEFS = 9;

    static byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(0x800 + 0x200 + 4 * HANDLER.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : MAIN) {
            b.putInt(w);
        }
        b.position(0x800 + 0x200);
        for (int w : HANDLER) {
            b.putInt(w);
        }
        return b.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "fixed-counters-only", "none"})
    void unadvertisedPmuRegistersUndefAndPmmirReadsZero(String pmu) throws ImageLoadException {
        Host host = Host.preset("rk3588");
        HostedVcpu v = new HostedVcpu(host, Scheduler.parse("pinned:0", null, host, 1),
                VmmPolicy.plan(pmu, host, KvmAbi.V11, true), KvmVm.Options.defaults(), 0, -1);
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.vcpu = v;
        VirtBoard b = VirtBoard.load(image(), "fgu.bin", o);
        Stop s = b.run(MAIN_INSNS + UNDEFS * 8L);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(0x4000_0000L + 4L * MAIN_INSNS, b.cpu().pc, "reached done: every exception was EC 0x00");
        assertEquals(UNDEFS, b.cpu().x[20], "UNDEFs taken");
        assertEquals(0, b.cpu().x[2], "PMMIR_EL1 reads 0, with or without a vPMU");
        long dfr0 = b.cpu().x[3];
        assertTrue((dfr0 >>> 8 & 0xF) <= PmuBits.PMUV3P5, "PMUVer capped at PMUv3p5");
        assertEquals(0, dfr0 >>> 48 & 0xF, "ID_AA64DFR0_EL1.PMSS: no FEAT_PMUv3_SS");
        assertEquals(0, b.cpu().x[4] >>> 36 & 0xF, "ID_AA64DFR1_EL1.PMICNTR: no FEAT_PMUv3_ICNTR");
    }

    @ParameterizedTest
    @ValueSource(ints = {PmuBits.PMUV3, PmuBits.PMUV3P5, 7, 8, PmuBits.PMUVER_IMP_DEF})
    void pmuVerIsCappedAtPmuV3p5AndImpDefIsZero(int hostPmuVer) {
        KvmVm vm = new KvmVm(Host.preset("rk3588"), KvmVm.Options.defaults().withHostPmuVer(hostPmuVer));
        vm.createVcpu().init(true, 0);
        int want = hostPmuVer == PmuBits.PMUVER_IMP_DEF ? 0 : Math.min(hostPmuVer, PmuBits.PMUV3P5);
        assertEquals(want, vm.pmuVer());
    }

    /** The experimental fixed-counters-only+icntr advertises FEAT_PMUv3_ICNTR: its two registers work, the rest still UNDEF. */
    @org.junit.jupiter.api.Test
    void withTheExperimentalIcntrModeOnlyPmicntrAndPmicfiltrAreThere() throws ImageLoadException {
        Host host = Host.preset("rk3588");
        HostedVcpu v = new HostedVcpu(host, Scheduler.parse("pinned:0", null, host, 1),
                VmmPolicy.plan(VmmPolicy.ICNTR_MODE, host, KvmAbi.V11, true), KvmVm.Options.defaults(), 0, -1);
        VirtBoard.Options o = new VirtBoard.Options();
        o.loadAddress = OptionalLong.of(0x4000_0000L);
        o.vcpu = v;
        VirtBoard b = VirtBoard.load(image(), "fgu.bin", o);
        Stop s = b.run(MAIN_INSNS + (UNDEFS - 4) * 8L);
        assertEquals(Stop.Kind.BUDGET, s.kind());
        assertEquals(0x4000_0000L + 4L * MAIN_INSNS, b.cpu().pc, "reached done: every exception was EC 0x00");
        assertEquals(UNDEFS - 4, b.cpu().x[20], "UNDEFs taken: PMUACR, PMZR, PMSSCR only");
        assertEquals(1, b.cpu().x[4] >>> 36 & 0xF, "ID_AA64DFR1_EL1.PMICNTR = 1");
    }
}
