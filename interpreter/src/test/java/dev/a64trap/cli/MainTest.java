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
}
