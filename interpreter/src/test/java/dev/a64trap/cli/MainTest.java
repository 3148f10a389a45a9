package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(ExitStatus.USAGE, Main.execute("--no-such-option"));
    }

    @Test
    void helpExitsZero() {
        assertEquals(ExitStatus.OK, Main.execute("--help"));
    }

    private static String errorsOf(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        assertEquals(ExitStatus.USAGE, cl.execute(args));
        return err.toString();
    }

    @Test
    void parseErrorsAreOneLinePlusWhereTheHelpIs() {
        assertEquals("a64trap run: Invalid value for option '--max-insns': 'abc' is not a long\n"
                + "see 'a64trap run --help'\n", errorsOf("run", "--max-insns", "abc", "x.elf"));
    }

    @Test
    void anUnknownOptionIsNamedWithoutTheArgumentsAfterIt() {
        assertEquals("a64trap run: unknown option '--memroy'\nPossible solutions: --memory\n"
                + "see 'a64trap run --help'\n", errorsOf("run", "--memroy", "1G", "x.elf"));
    }

    @Test
    void aCommandLineNamingASubcommandBuildsOnlyThatOne() {
        assertEquals(java.util.List.of("run"),
                java.util.List.copyOf(Main.commandLine(new String[] {"run", "x.elf"}).getSubcommands().keySet()));
    }

    @Test
    void helpAndUnknownWordsSeeEveryCommand() {
        java.util.List<String> all = java.util.List.of("help", "disasm", "run", "compare", "demo", "hosts", "fuzz");
        assertEquals(all, java.util.List.copyOf(Main.commandLine().getSubcommands().keySet()));
        assertEquals(all, java.util.List.copyOf(
                Main.commandLine(new String[] {"help", "run"}).getSubcommands().keySet()));
        assertEquals(all, java.util.List.copyOf(Main.commandLine(new String[] {"rnu"}).getSubcommands().keySet()));
    }

    @Test
    void theTopLevelHelpListsEveryCommand() {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine(new String[] {"--help"});
        cl.setOut(new java.io.PrintWriter(out));
        assertEquals(ExitStatus.OK, cl.execute("--help"));
        for (String name : new String[] {"disasm", "run", "compare", "demo", "hosts", "fuzz"}) {
            assertTrue(out.toString().contains("  " + name + " "), name + " missing from:\n" + out);
        }
    }
}
