package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Examples in the docs reproduce byte for byte when run as written from the repository root
 * (the image path is part of the guest's command line, so the working directory matters).
 */
class DocExamplesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    /** a64trap with {@code args}, in the repository root; returns stdout. */
    private static String a64trap(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        File err = File.createTempFile("a64trap", ".err");
        err.deleteOnExit();
        Process p = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectError(err)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "no exit");
        return out;
    }

    @Test
    void pmuReportExampleReproduces() throws Exception {
        String doc = Files.readString(ROOT.resolve("docs/pmu-report.md"));
        String example = doc.substring(doc.indexOf("## Example"));
        String command = example.lines().filter(l -> l.startsWith("a64trap run ")).findFirst().orElseThrow();
        String json = example.substring(example.indexOf("```json\n") + 8);
        json = json.substring(0, json.indexOf("```"));
        Path report = tmp.resolve("r.json");
        List<String> args = new ArrayList<>(Arrays.asList(command.substring("a64trap ".length())
                .replace("json:r.json", "json:" + report).split(" ")));
        a64trap(args);
        assertEquals(json, Files.readString(report));
    }

    @Test
    void demoIsItsSameAsLineAndTheReadmeShowsIt() throws Exception {
        String demo = PmuCommandsTest.demo().out();
        String sameAs = "compare " + DemoCommand.IMAGE + " " + DemoCommand.ARGS_TEXT;
        assertEquals(demo, a64trap(Arrays.asList(sameAs.split(" "))));
        String readme = Files.readString(ROOT.resolve("README.md"));
        String shown = readme.substring(readme.indexOf("$ tools/a64trap demo\n") + "$ tools/a64trap demo\n".length());
        shown = shown.substring(0, shown.indexOf("--- default: console"));
        assertTrue(demo.startsWith(shown), "README's demo table is not the demo's output:\n" + shown + "\nvs\n" + demo);
    }
}
