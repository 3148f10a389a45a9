package dev.a64trap.gdb;

/**
 * Manual check against a real gdb: serves a {@link FakeTarget} on 127.0.0.1:PORT until the
 * guest ends. Run: java -cp ... dev.a64trap.gdb.FakeServerMain 1234 [RAM_BYTES [zero]], then
 * gdb-multiarch -batch -ex 'target remote :1234' -ex 'info registers'.
 */
public final class FakeServerMain {
    private FakeServerMain() {}

    public static void main(String[] args) throws Exception {
        FakeTarget t = FakeTarget.demo(args.length > 1 ? Integer.decode(args[1]) : FakeTarget.SIZE);
        if (args.length > 2 && args[2].equals("zero")) java.util.Arrays.fill(t.memory, (byte) 0); // like a fresh guest's RAM
        try (GdbServer server = new GdbServer(t, true)) {
            server.start(null, Integer.parseInt(args[0]));
            System.out.println("listening on 127.0.0.1:" + server.port());
            StopEvent end = server.guestEnded().get();
            System.out.println("guest ended: " + end);
        }
    }
}
