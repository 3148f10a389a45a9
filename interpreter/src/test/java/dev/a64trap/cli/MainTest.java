package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
