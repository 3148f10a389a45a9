package dev.a64trap.pmu;

/**
 * A QEMU {@code virt} machine version ({@code --qemu-machine}), for the compat rule of QEMU's PMU
 * backend choice: machine types up to {@link #LAST_LEGACY} keep KVM's legacy default PMU under
 * {@code auto}, newer ones choose as "[PATCH RFC v4] target/arm/kvm: Choose PMU backend" says.
 */
public record QemuMachine(int major, int minor) implements Comparable<QemuMachine> {
    /** The last machine type that keeps the legacy default PMU. */
    public static final QemuMachine LAST_LEGACY = new QemuMachine(10, 2);
    /** The default: the newest machine type (QEMU's {@code virt} alias), which chooses. */
    public static final QemuMachine LATEST = new QemuMachine(Integer.MAX_VALUE, 0);

    public boolean keepsLegacyPmu() {
        return compareTo(LAST_LEGACY) <= 0;
    }

    @Override
    public int compareTo(QemuMachine o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return this.equals(LATEST) ? "virt (latest)" : "virt-" + major + "." + minor;
    }

    /** Parses {@code latest}, {@code MAJOR.MINOR} or {@code virt-MAJOR.MINOR}; null for anything else. */
    public static QemuMachine parse(String s) {
        if (s.equals("latest") || s.equals("virt")) {
            return LATEST;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:virt-)?(\\d{1,3})\\.(\\d{1,3})").matcher(s);
        return m.matches() ? new QemuMachine(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))) : null;
    }
}
