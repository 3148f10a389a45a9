package dev.a64trap.pmu;

/** The Linux errno values the KVM PMU API returns (numbers as on arm64 Linux). */
public enum Errno {
    ENOENT(2), ENXIO(6), ENOEXEC(8), ENOMEM(12), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), EINVAL(22);

    public final int number;

    Errno(int number) {
        this.number = number;
    }
}
