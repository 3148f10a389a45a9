// Writes a64trap's virt device tree: java -cp a64trap.jar DumpDtb.java OUT RAM_MIB PMU(0|1) CPUS [BOOTARGS]
public class DumpDtb {
    public static void main(String[] a) throws Exception {
        byte[] blob = dev.a64trap.loader.VirtDeviceTree.blob(Long.parseLong(a[1]) << 20,
                a.length > 4 ? a[4] : null, a[2].equals("1"), Integer.parseInt(a[3]));
        java.nio.file.Files.write(java.nio.file.Path.of(a[0]), blob);
    }
}
