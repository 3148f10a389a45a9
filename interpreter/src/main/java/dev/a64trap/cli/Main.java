package dev.a64trap.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: picocli dispatch to the subcommands. */
@Command(
        name = "a64trap",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Run tiny AArch64 guests with a KVM-faithful vPMU on a simulated big.LITTLE host.")
public final class Main implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (used by tests). */
    public static int execute(String... args) {
        RunCommand run = args.length > 0 && args[0].equals("run") ? RunArgs.parse(args, 1) : null;
        if (run != null) { // a plain run line: no picocli (see RunArgs)
            try {
                return run.call();
            } catch (RuntimeException e) { // as picocli's execute: the trace, exit 1
                e.printStackTrace();
                return 1;
            }
        }
        return commandLine(args).execute(args);
    }

    /** The whole command tree, with argument errors reported in one line (see {@link #shortUsageError}). */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command tree for {@code args}: only the subcommand that {@code args[0]} names (not "help"),
     * else all of them, so help, "did you mean" and a bare {@code a64trap} see every command.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length > 0 ? args[0] : "";
        for (Map.Entry<String, Supplier<Object>> c : Subcommands.ALL.entrySet()) {
            if (first.equals("help") || !Subcommands.ALL.containsKey(first) || first.equals(c.getKey())) {
                cl.addSubcommand(c.getKey(), c.getValue().get());
            }
        }
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

    /**
     * The subcommands by name, in the order the help lists them. Registered in code rather than in
     * the annotation so that a command line naming one builds only that one: picocli reflects over
     * every registered command's options and loads its classes (fuzz: the property engine), a good
     * part of a short run's start-up. In a class of its own so that a run {@link RunArgs} parses
     * never loads picocli.
     */
    private static final class Subcommands {
        static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

        static {
            ALL.put("help", CommandLine.HelpCommand::new);
            ALL.put("disasm", DisasmCommand::new);
            ALL.put("run", RunCommand::new);
            ALL.put("compare", CompareCommand::new);
            ALL.put("demo", DemoCommand::new);
            ALL.put("hosts", HostsCommand::new);
            ALL.put("fuzz", FuzzCommand::new);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"a64trap " + (v == null ? "dev" : v)};
        }
    }
}
