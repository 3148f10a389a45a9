package dev.a64trap.gdb;

import java.util.Objects;
import java.util.function.Function;

/**
 * One {@code monitor} (qRcmd) command. {@code name} is the first word (or words, e.g.
 * {@code "catch sysreg"}) of the command line; {@code run} gets the rest of the line (trimmed,
 * possibly empty) and returns the text to print, normally ending in a newline. It is called on
 * the same terms as the other {@link DebugTarget} methods: only while the target is stopped.
 */
public record MonitorCommand(String name, String usage, String summary, Function<String, String> run) {
    public MonitorCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(run, "run");
        if (name.isBlank() || !name.equals(name.trim()) || name.contains("  ")) {
            throw new IllegalArgumentException("monitor command name must be words separated by one space: '" + name + "'");
        }
    }
}
