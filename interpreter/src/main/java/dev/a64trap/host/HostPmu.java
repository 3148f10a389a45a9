package dev.a64trap.host;

/**
 * One registered host PMU: a perf "type" id, the Linux name, the core design behind it and the
 * physical CPUs it covers (disjoint between the PMUs of a host).
 */
public record HostPmu(int typeId, String name, CoreType core, CpuSet cpus) {
    /** Maximum guest PMCR_EL0.N this PMU can back. */
    public int counters() {
        return core.counters();
    }

    public boolean supportsEvent(int code) {
        return core.supportsEvent(code);
    }

    public int pmuVer() {
        return core.pmuVer();
    }
}
