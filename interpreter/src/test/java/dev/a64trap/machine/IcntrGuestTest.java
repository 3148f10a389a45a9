package dev.a64trap.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.exec.Stop;
import dev.a64trap.host.Host;
import dev.a64trap.host.Scheduler;
import dev.a64trap.loader.ImageLoadException;
import dev.a64trap.pmu.KvmAbi;
import dev.a64trap.pmu.KvmVm;
import dev.a64trap.pmu.PmuBits;
import dev.a64trap.pmu.VmmPolicy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The experimental {@code --pmu fixed-counters-only+icntr} seen by a guest on the interpreter and
 * the JIT, migrating between core types: PMICNTR_EL0 read before and after a loop differs by exactly
 * the instructions retired in between (the first read included, as any PMU read retires after its
 * access), or by 0 when PMICFILTR_EL0 excludes EL1; ID_AA64DFR1_EL1.PMICNTR = 1; PMCNTENSET bit 32
 * reads back. Random loop lengths, filters and schedules.
 */
class IcntrGuestTest {
    /**
     * From aarch64-linux-gnu-as, loaded at 0x40000000, x0 = loop count, x10 = PMICFILTR:
     * <pre>
     *     mov x9, #1 ; lsl x9, x9, #32 ; msr pmcntenset_el0, x9 ; msr S3_3_C9_C6_0, x10 (PMICFILTR)
     *     mov x9, #1 ; msr pmcr_el0, x9 ; isb ; mrs x1, S3_3_C9_C4_0 (PMICNTR) ; mov x3, x0
     * 1:  subs x3, x3, #1 ; b.ne 1b ; mrs x2, PMICNTR ; mrs x4, pmovsset_el0 ; mrs x5, pmcntenset_el0
     *     mrs x6, PMICFILTR ; mrs x7, id_aa64dfr1_el1 ; done: b done
     * </pre>
     */
    static final int[] CODE = {0xd2800029, 0xd3607d29, 0xd51b9c29, 0xd51b960a, 0xd2800029, 0xd51b9c09, 0xd5033fdf,
        0xd53b9401, 0xaa0003e3, 0xf1000463, 0x54ffffe1, 0xd53b9402, 0xd53b9e64, 0xd53b9c25, 0xd53b9606, 0xd5380527,
        0x14000000};

    static byte[] image() {
        ByteBuffer b = ByteBuffer.allocate(4 * CODE.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : CODE) {
            b.putInt(w);
        }
        return b.array();
    }

    @Test
    void pmicntrCountsTheGuestsInstructionsExactlyAcrossMigrations() throws ImageLoadException {
        SplittableRandom r = new SplittableRandom(Long.getLong("a64trap.seed", 11L));
        int migrated = 0;
        for (int k = 0; k < 12; k++) {
            long n = 1 + r.nextInt(k < 4 ? 50 : 1_000_000);
            boolean excludeEl1 = r.nextInt(4) == 0;
            String sched = (r.nextBoolean() ? "random:" : "round-robin:") + (10 + r.nextInt(100));
            boolean jit = r.nextBoolean();
            String what = "n=" + n + " excludeEl1=" + excludeEl1 + " " + sched + " jit=" + jit;
            Host host = Host.preset("rk3588");
            HostedVcpu v = new HostedVcpu(host, Scheduler.parse(sched, null, host, 1 + k),
                    VmmPolicy.plan(VmmPolicy.ICNTR_MODE, host, KvmAbi.V11, true), KvmVm.Options.defaults(), 0, -1);
            VirtBoard.Options o = new VirtBoard.Options();
            o.loadAddress = OptionalLong.of(0x4000_0000L);
            o.vcpu = v;
            o.jit = jit;
            VirtBoard b = VirtBoard.load(image(), "icntr.bin", o);
            b.cpu().x[0] = n;
            b.cpu().x[10] = excludeEl1 ? PmuBits.EVTYPER_P : 0;
            Stop s = b.run(CODE.length + 2 * n + 10);
            assertEquals(Stop.Kind.BUDGET, s.kind(), what);
            assertEquals(0x4000_0000L + 4L * (CODE.length - 1), b.cpu().pc, what + ": reached done");
            long[] x = b.cpu().x;
            assertEquals(excludeEl1 ? 0 : 2 + 2 * n, x[2] - x[1], what + ": PMICNTR delta");
            assertEquals(0, x[4] >>> 32 & 1, what + ": no overflow");
            assertEquals(1, x[5] >>> 32 & 1, what + ": PMCNTENSET bit 32");
            assertEquals(excludeEl1 ? PmuBits.EVTYPER_P | 8 : 8, x[6], what + ": PMICFILTR");
            assertEquals(1, x[7] >>> 36 & 0xF, what + ": ID_AA64DFR1_EL1.PMICNTR");
            for (HostedVcpu.Migration m : v.migrations()) {
                if (host.pmuOfCpu(m.from()) != host.pmuOfCpu(m.to())) {
                    migrated++;
                }
            }
        }
        assertTrue(migrated > 10, "migrations between core types while counting: " + migrated);
    }
}
