package dev.a64trap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: picocli dispatch to the subcommands. */
@Command(
        name = "a64trap",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Run tiny AArch64 guests with a KVM-faithful vPMU on a simulated big.LITTLE host.",
        subcommands = {CommandLine.HelpCommand.class, DisasmCommand.class, RunCommand.class, CompareCommand.class,
            DemoCommand.class, HostsCommand.class, FuzzCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (used by tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"a64trap " + (v == null ? "dev" : v)};
        }
    }
}
