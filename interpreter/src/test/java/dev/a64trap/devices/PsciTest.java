package dev.a64trap.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.a64trap.loader.ImageLoaderTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Answers compared with what QEMU 7.2 gave src/test/resources/psci/psci.c (psci.elf.qemu-stderr.txt). */
class PsciTest {
    /** name -> {x0 result, esr}. */
    static Map<String, long[]> qemu() throws Exception {
        Map<String, long[]> m = new LinkedHashMap<>();
        String text = new String(ImageLoaderTest.resource("psci/psci.elf.qemu-stderr.txt"), StandardCharsets.US_ASCII);
        for (String line : text.split("\\R")) {
            String[] f = line.split("[= ]");
            if (f.length == 4) {
                m.put(f[0], new long[] {Long.parseUnsignedLong(f[1].substring(2), 16), Long.parseUnsignedLong(f[3].substring(2), 16)});
            }
        }
        return m;
    }

    /** The calls psci.c makes, in its order. */
    private static final Object[][] CALLS = {
        {"version", 0x84000000L, 0L, 0L}, {"features_version", 0x8400000AL, 0x84000000L, 0L},
        {"features_cpu_on64", 0x8400000AL, 0xC4000003L, 0L}, {"features_system_off", 0x8400000AL, 0x84000008L, 0L},
        {"features_system_reset", 0x8400000AL, 0x84000009L, 0L}, {"features_migrate", 0x8400000AL, 0x84000005L, 0L},
        {"features_unknown", 0x8400000AL, 0x84000099L, 0L}, {"features_smccc_version", 0x8400000AL, 0x80000000L, 0L},
        {"features_system_reset2", 0x8400000AL, 0x84000012L, 0L}, {"migrate_info_type", 0x84000006L, 0L, 0L},
        {"affinity_info_cpu0", 0xC4000004L, 0L, 0L}, {"affinity_info_cpu1", 0xC4000004L, 1L, 0L},
        {"affinity_info_level1", 0xC4000004L, 0L, 1L}, {"cpu_on_self", 0xC4000003L, 0L, 0x40000000L},
        {"cpu_on_cpu1", 0xC4000003L, 1L, 0x40000000L}, {"cpu_suspend_bad", 0xC4000001L, 0x00020000L, 0L},
        {"migrate", 0x84000005L, 0L, 0L}, {"migrate_info_up_cpu", 0x84000007L, 0L, 0L},
        {"smccc_version", 0x80000000L, 0L, 0L}, {"hvc_unknown", 0x84000099L, 0L, 0L},
        {"hvc_upper_bits", 0x184000000L, 0L, 0L},
    };

    @Test
    void hvcAnswersMatchQemu() throws Exception {
        Map<String, long[]> q = qemu();
        Psci psci = new Psci();
        assertTrue(psci.isCall(Psci.Conduit.HVC));
        for (Object[] c : CALLS) {
            String name = (String) c[0];
            long[] expected = q.get(name);
            assertEquals(0, expected[1], name + " must not have trapped under QEMU");
            assertEquals(expected[0], psci.call((Long) c[1], (Long) c[2], (Long) c[3], 0), name);
        }
        assertEquals(CALLS.length + 1, q.size(), "every recorded call is replayed (plus smc_version)");
    }

    @Test
    void smcAtEl1IsUndefinedOnVirt() throws Exception {
        long[] smc = qemu().get("smc_version");
        assertEquals(Psci.SMC_UNDEFINED_ESR, smc[1]);
        assertFalse(new Psci().isCall(Psci.Conduit.SMC));
    }

    @Test
    void runEndingCalls() {
        Psci psci = new Psci();
        // The probe's run ended with SYSTEM_OFF and QEMU exited 0.
        assertEquals(0, assertThrows(GuestExit.class, () -> psci.call(Psci.SYSTEM_OFF, 0, 0, 0)).status());
        GuestExit reset = assertThrows(GuestExit.class, () -> psci.call(Psci.SYSTEM_RESET, 0, 0, 0));
        assertEquals(0, reset.status());
        assertTrue(reset.reason().contains("SYSTEM_RESET"));
        assertEquals(1, assertThrows(GuestExit.class, () -> psci.call(Psci.CPU_OFF, 0, 0, 0)).status());
        assertEquals(Psci.SUCCESS, psci.call(Psci.CPU_SUSPEND64, 0, 0, 0));
    }

    @Test
    void otherMpidr() {
        Psci psci = new Psci(Psci.Conduit.HVC, 0x100);
        assertEquals(Psci.ALREADY_ON, psci.call(Psci.CPU_ON64, 0x100L, 0, 0));
        // all 64 bits compared, as QEMU (guest-images/expected/smp.out: CPU_ON(0x80000001) = -2)
        assertEquals(Psci.INVALID_PARAMETERS, psci.call(Psci.CPU_ON64, 0x80000100L, 0, 0));
        assertEquals(Psci.INVALID_PARAMETERS, psci.call(Psci.CPU_ON64, 0, 0, 0));
        assertEquals("CPU_ON64", Psci.functionName(Psci.CPU_ON64));
    }

    /** Four CPUs whose power state the test sees. */
    private static final class FourCpus implements Psci.Power {
        final int[] state = {Psci.STATE_ON, Psci.STATE_OFF, Psci.STATE_OFF, Psci.STATE_ON_PENDING};
        final long[][] started = new long[4][];

        @Override
        public int cpus() {
            return 4;
        }

        @Override
        public long affinity(int i) {
            return i;
        }

        @Override
        public int state(int i) {
            return state[i];
        }

        @Override
        public void on(int i, long entry, long context) {
            state[i] = Psci.STATE_ON;
            started[i] = new long[] {entry, context};
        }

        @Override
        public void off(int caller) {
            state[caller] = Psci.STATE_OFF;
        }
    }

    @Test
    void cpuOnOffAndAffinityInfoWithSeveralCpus() {
        FourCpus cpus = new FourCpus();
        Psci psci = new Psci(Psci.Conduit.HVC, cpus);
        assertEquals(Psci.STATE_OFF, psci.call(0, Psci.AFFINITY_INFO64, 1, 0, 0));
        assertEquals(Psci.STATE_ON_PENDING, psci.call(0, Psci.AFFINITY_INFO64, 3, 0, 0));
        assertEquals(Psci.INVALID_PARAMETERS, psci.call(0, Psci.AFFINITY_INFO64, 4, 0, 0));
        assertEquals(0, psci.call(0, Psci.AFFINITY_INFO64, 4, 1, 0), "levels above 0 are always on");
        assertEquals(Psci.INVALID_PARAMETERS, psci.call(0, Psci.CPU_ON64, 1, 0x4000_0002L, 7), "misaligned entry");
        assertEquals(null, cpus.started[1]);
        assertEquals(Psci.INVALID_PARAMETERS, psci.call(0, Psci.CPU_ON64, 9, 0x4000_0000L, 7), "no such CPU");
        assertEquals(Psci.ALREADY_ON, psci.call(0, Psci.CPU_ON64, 0, 0x4000_0000L, 7));
        assertEquals(Psci.ON_PENDING, psci.call(0, Psci.CPU_ON64, 3, 0x4000_0000L, 7));
        assertEquals(Psci.SUCCESS, psci.call(0, Psci.CPU_ON64, 1, 0x4000_1000L, 0xc0de));
        assertArrayEquals(new long[] {0x4000_1000L, 0xc0de}, cpus.started[1]);
        assertEquals(Psci.STATE_ON, psci.call(0, Psci.AFFINITY_INFO, 1, 0, 0));
        psci.call(1, Psci.CPU_OFF, 0, 0, 0);
        assertEquals(Psci.STATE_OFF, psci.call(0, Psci.AFFINITY_INFO64, 1, 0, 0), "CPU_OFF turns off the caller");
        assertEquals(Psci.STATE_ON, psci.call(0, Psci.AFFINITY_INFO64, 0, 0, 0));
    }
}
