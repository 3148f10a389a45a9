package dev.a64trap.gdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code monitor} command table: the built-in {@code help} plus the target's commands.
 * A command line is matched against command names word by word, longest name first, so
 * {@code catch sysreg} and a hypothetical {@code catch} can coexist.
 */
final class Monitor {
    private final List<MonitorCommand> commands;

    Monitor(List<MonitorCommand> targetCommands) {
        List<MonitorCommand> all = new ArrayList<>();
        all.add(new MonitorCommand("help", "help", "list monitor commands", arg -> help()));
        all.addAll(targetCommands);
        Set<String> names = new HashSet<>();
        for (MonitorCommand c : all) {
            if (!names.add(c.name())) throw new IllegalArgumentException("duplicate monitor command " + c.name());
        }
        all.sort(Comparator.comparingInt((MonitorCommand c) -> c.name().length()).reversed());
        this.commands = List.copyOf(all);
    }

    /** Runs one command line and returns what to print. */
    String run(String line) {
        String trimmed = line.strip().replaceAll("\\s+", " ");
        if (trimmed.isEmpty()) return help();
        for (MonitorCommand c : commands) {
            if (trimmed.equals(c.name()) || trimmed.startsWith(c.name() + " ")) {
                String out = c.run().apply(trimmed.substring(c.name().length()).strip());
                if (out == null || out.isEmpty()) return "";
                return out.endsWith("\n") ? out : out + "\n";
            }
        }
        return "unknown monitor command '" + trimmed + "'; try 'monitor help'\n";
    }

    private String help() {
        List<MonitorCommand> sorted = new ArrayList<>(commands);
        sorted.sort(Comparator.comparing(MonitorCommand::name));
        int width = sorted.stream().mapToInt(c -> c.usage().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder("monitor commands:\n");
        for (MonitorCommand c : sorted) {
            sb.append("  ").append(c.usage()).append(" ".repeat(width - c.usage().length() + 2))
                    .append(c.summary()).append('\n');
        }
        return sb.toString();
    }
}
