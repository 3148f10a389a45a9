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
        return commandLine().execute(args);
    }

    /** The command tree, with argument errors reported in one line (see {@link #shortUsageError}). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::shortUsageError);
        return cl;
    }

    /**
     * An argument the parser refuses: one line naming it (with picocli's "did you mean"), then where
     * the help is, instead of the whole help text; exit status 2.
     */
    static int shortUsageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        java.io.PrintWriter err = c.getErr();
        String name = c.getCommandSpec().qualifiedName(" ");
        String message = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && u.isUnknownOption()) {
            // picocli lists every argument after an unknown option too (the image among them): name the options
            java.util.List<String> options = u.getUnmatched().stream().filter(a -> a.startsWith("-")).toList();
            message = (options.size() == 1 ? "unknown option " : "unknown options ")
                    + String.join(", ", options.stream().map(o -> "'" + o + "'").toList());
        }
        err.println(name + ": " + message);
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("see '" + name + " --help'");
        err.flush();
        return ExitStatus.USAGE;
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
