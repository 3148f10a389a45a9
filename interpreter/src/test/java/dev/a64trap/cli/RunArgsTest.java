package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** RunArgs, the picocli-free parser of plain run lines, against picocli itself over every run option. */
class RunArgsTest {

    /** The options RunArgs leaves to picocli (help, version, the repeatable --pmu-filter). */
    static final Set<String> LEFT_TO_PICOCLI = Set.of("-h", "--help", "-V", "--version", "--pmu-filter");

    /** Values tried for every option that takes one: plain, numeric, odd numbers and option-like ones. */
    static final List<String> VALUES = List.of("abc", "7", "0", "010", "0x10", "-3", "2147483648",
            "99999999999999999999", "", "a=b", "--stats", "img2", "pmu:cortex-a76", "1,2");

    static List<CommandLine.Model.OptionSpec> options() {
        return new CommandLine(new RunCommand()).getCommandSpec().options();
    }

    /**
     * Whatever RunArgs accepts, picocli accepts too and fills the same fields with the same values;
     * what picocli refuses, RunArgs leaves to it (null).
     */
    static void assertSameAsPicocli(String... args) {
        RunCommand fast = RunArgs.parse(args, 0);
        if (fast == null) {
            return;
        }
        RunCommand slow = new RunCommand();
        try {
            new CommandLine(slow).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("RunArgs accepted what picocli refuses: " + Arrays.toString(args) + ": "
                    + e.getMessage());
        }
        assertEquals(fields(slow), fields(fast), Arrays.toString(args));
    }

    /** Every picocli-bound field of a RunCommand and its mixins, "name=value". */
    static List<String> fields(Object o) {
        List<String> out = new ArrayList<>();
        for (Field f : o.getClass().getDeclaredFields()) {
            try {
                f.setAccessible(true);
                Object v = f.get(o);
                if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    fields(v).forEach(s -> out.add(f.getName() + "." + s));
                } else if (f.isAnnotationPresent(CommandLine.Option.class)
                        || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                    out.add(f.getName() + "=" + v);
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    @Test
    void everyOptionAloneAndWithEachValueAsPicocli() {
        Set<String> handled = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : options()) {
            for (String name : o.names()) {
                if (o.arity().max() == 0) {
                    assertSameAsPicocli(name, "img");
                    assertSameAsPicocli("img", name);
                    assertSameAsPicocli(name, name, "img");
                    assertSameAsPicocli(name + "=true", "img");
                    if (RunArgs.parse(new String[] {name, "img"}, 0) != null) {
                        handled.add(name);
                    }
                    continue;
                }
                for (String v : VALUES) {
                    assertSameAsPicocli(name, v, "img");
                    assertSameAsPicocli(name + "=" + v, "img");
                    assertSameAsPicocli("img", name, v);
                    assertSameAsPicocli(name, v, name, v, "img");
                    assertSameAsPicocli(name, v);
                    assertSameAsPicocli(name);
                }
                if (RunArgs.parse(new String[] {name, "7", "img"}, 0) != null) {
                    handled.add(name);
                }
            }
        }
        // the fast path must cover every other option, else a common line falls back to the slow one
        Set<String> all = new TreeSet<>();
        options().forEach(o -> all.addAll(Arrays.asList(o.names())));
        all.removeAll(LEFT_TO_PICOCLI);
        assertEquals(all, handled);
    }

    @Test
    void randomLinesOfManyOptionsAsPicocli() {
        List<String> names = new ArrayList<>();
        List<Boolean> flags = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : options()) {
            for (String n : o.names()) {
                names.add(n);
                flags.add(o.arity().max() == 0);
            }
        }
        Random rnd = new Random(14);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            List<String> line = new ArrayList<>();
            int n = rnd.nextInt(8);
            for (int k = 0; k < n; k++) {
                int j = rnd.nextInt(names.size());
                String v = VALUES.get(rnd.nextInt(4)); // mostly acceptable values
                if (flags.get(j)) {
                    line.add(names.get(j));
                } else if (rnd.nextBoolean()) {
                    line.add(names.get(j) + "=" + v);
                } else {
                    line.add(names.get(j));
                    line.add(v);
                }
            }
            if (rnd.nextInt(4) != 0) {
                line.add(rnd.nextInt(line.size() + 1), "guest.elf");
            }
            String[] args = line.toArray(String[]::new);
            assertSameAsPicocli(args);
            if (RunArgs.parse(args, 0) != null) {
                accepted++;
            }
        }
        assertTrue(accepted > 500, "RunArgs took only " + accepted + " of 3000 lines");
    }

    @Test
    void plainLinesTakeTheFastPathAndOddOnesDoNot() {
        RunCommand r = RunArgs.parse(new String[] {"run", "--stats", "--max-insns", "100", "g.elf"}, 1);
        assertNotNull(r);
        assertTrue(r.stats);
        assertEquals(100, r.maxInsns);
        assertEquals("g.elf", r.image.toString());
        assertEquals("default", r.pmuOptions.pmu); // the defaults picocli would apply
        for (String[] odd : new String[][] {{"--help"}, {"a", "b"}, {"--stats", "--stats", "a"}, {"-sS", "a"},
                {"--pmu-filter", "allow:0x11", "a"}, {"--", "a"}, {"--max-insns", "-1", "a"}, {"--max-insns"}}) {
            assertNull(RunArgs.parse(odd, 0), Arrays.toString(odd));
        }
    }
}
