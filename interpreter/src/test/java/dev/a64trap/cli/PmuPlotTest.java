package dev.a64trap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --plot}: the picture is written, coloured by pCPU, and the run is unchanged by it. */
class PmuPlotTest {
    static final String CALIBRATE = PmuCommandsTest.GUESTS.resolve("prebuilt/calibrate.elf").toString();
    static final String EVENTS = PmuCommandsTest.GUESTS.resolve("prebuilt/pmu-events.elf").toString();

    @TempDir
    Path tmp;

    @Test
    void pngIsColouredByTheCpusVisitedAndTheRunIsUnchanged() throws IOException {
        Path png = tmp.resolve("cal.png");
        String[] common = {"--pmu-report", "text", "--sched", "round-robin:500", "--pmu", "fixed-counters-only"};
        RunCommandTest.Result plain = RunCommandTest.run(concat(common, CALIBRATE));
        RunCommandTest.Result plotted = RunCommandTest.run(concat(common, "--plot", png.toString(), CALIBRATE));
        assertEquals(0, plain.status(), plain.err());
        assertEquals(plain.status(), plotted.status(), plotted.err());
        assertEquals(plain.out(), plotted.out());
        assertEquals(plain.err(), plotted.err(), "sampling must not change the counters or the schedule");
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1100, img.getWidth());
        assertEquals(650, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y) & 0xFFFFFF);
            }
        }
        // round-robin:500 over 3.26 ms visits cpu0..cpu6 (see the report), never cpu7
        for (int cpu = 0; cpu <= 6; cpu++) {
            assertTrue(colours.contains(PmuPlot.colourOf(cpu).getRGB() & 0xFFFFFF), "cpu" + cpu);
            assertTrue(plotted.err().contains("cpu" + cpu + " ("), plotted.err());
        }
        assertFalse(colours.contains(PmuPlot.colourOf(7).getRGB() & 0xFFFFFF), "cpu7 never ran the vCPU");
    }

    @Test
    void svgIsColouredByTheCpusWithEnabledCounters() throws IOException {
        Path svg = tmp.resolve("ev.svg");
        RunCommandTest.Result r = RunCommandTest.run("--sched", "round-robin:10", "--pmu-report", "text", "--plot",
                svg.toString(), EVENTS);
        assertEquals(0, r.status(), r.err());
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.contains("<svg"), text.substring(0, Math.min(200, text.length())));
        // pmu-events enables its counters from ~17 us to ~30 us: on cpu1 and cpu2 (10 us slices), so
        // those two colours are drawn; cpu4, where the guest ran only with its counters stopped, is not
        assertTrue(r.err().contains("cpu3 (armv8_cortex_a55) -> cpu4"), r.err());
        assertTrue(text.contains(rgb(1)), "cpu1");
        assertTrue(text.contains(rgb(2)), "cpu2");
        assertFalse(text.contains(rgb(4)), "cpu4");
    }

    /**
     * {@code --smp}: one picture per vCPU, FILE-vcpuN.png, each of its own vCPU (the four vCPUs of
     * pmu-smp migrate differently under round-robin, so no two pictures are the same), and the run
     * is the run without --plot, counters included (the board goes on with its round of turns
     * where each slice stopped).
     */
    @Test
    void smpDrawsOnePicturePerVcpu() throws IOException {
        Path png = tmp.resolve("smp.png");
        String smp = PmuCommandsTest.GUESTS.resolve("prebuilt/pmu-smp.elf").toString();
        String[] common = {"--smp", "4", "--sched", "round-robin:20", "--pmu-report", "text"};
        RunCommandTest.Result plain = RunCommandTest.run(concat(common, smp));
        RunCommandTest.Result plotted = RunCommandTest.run(concat(common, "--plot", png.toString(), smp));
        assertEquals(0, plain.status(), plain.err());
        assertEquals(0, plotted.status(), plotted.err());
        assertEquals(plain.out(), plotted.out());
        assertEquals(plain.err(), plotted.err(), "sampling must not change the counters or the schedule");
        assertFalse(Files.exists(png), "with --smp each vCPU has its own file");
        Set<String> pictures = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            Path p = tmp.resolve("smp-vcpu" + i + ".png");
            BufferedImage img = ImageIO.read(p.toFile());
            assertEquals(1100, img.getWidth(), p.toString());
            assertEquals(650, img.getHeight(), p.toString());
            pictures.add(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
        }
        assertEquals(4, pictures.size(), "four different pictures");
    }

    private static String rgb(int cpu) {
        java.awt.Color c = PmuPlot.colourOf(cpu);
        return "rgb(" + c.getRed() + "," + c.getGreen() + "," + c.getBlue() + ")";
    }

    @Test
    void failEntryKeepsItsStatusAndStillDraws() throws IOException {
        for (String sched : new String[] {"pinned:0", "round-robin:500"}) { // at the first entry, and at 2 ms
            Path png = tmp.resolve("fail.png");
            Files.deleteIfExists(png);
            RunCommandTest.Result r = RunCommandTest.run("--pmu", "pmu:armv8_cortex_a" + (sched.startsWith("pinned")
                    ? "76" : "55"), "--sched", sched, "--plot", png.toString(), CALIBRATE);
            assertEquals(ExitStatus.FAIL_ENTRY, r.status(), r.err());
            assertEquals(1100, ImageIO.read(png.toFile()).getWidth(), sched);
        }
    }

    @Test
    void badPlotFilesAreUsageErrors() {
        for (String bad : new String[] {tmp.resolve("x.txt").toString(), "/nonexistent-dir/x.png"}) {
            RunCommandTest.Result r = RunCommandTest.run("--plot", bad, EVENTS);
            assertEquals(ExitStatus.USAGE, r.status(), bad);
            assertTrue(r.err().startsWith("a64trap run: --plot " + bad), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    private static PmuCommandsTest.Out compare(String... args) {
        CompareCommand c = new CompareCommand();
        return PmuCommandsTest.exec(c, (o, e) -> {
            c.out = o;
            c.err = e;
        }, args);
    }

    @Test
    void compareDrawsTheModesSideBySideAndPrintsTheSameTable() throws IOException {
        Path png = tmp.resolve("cmp.png");
        PmuCommandsTest.Out plain = compare("--sched", "round-robin:500", CALIBRATE);
        PmuCommandsTest.Out plotted = compare("--sched", "round-robin:500", "--plot", png.toString(), CALIBRATE);
        assertEquals(plain.status(), plotted.status(), plotted.err());
        assertEquals(plain.out(), plotted.out(), "sampling must not change any run");
        assertTrue(plain.out().contains("KMODE_EXCEPTION_NOT_HANDLED"), plain.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * 1100, img.getWidth());
        assertEquals(4 * 650, img.getHeight(),
                "seven modes: none, default / set-pmu, fixed / partitioned, fixed+icntr / auto");
        // the right half of the middle row is fixed-counters-only, which reaches cpu6; the left half
        // is set-pmu, pinned to the A55s (cpu0-3), so no A76 colour there
        assertTrue(hasColour(img, 1100, 650, 2200, 1300, PmuPlot.colourOf(6).getRGB()), "cpu6 in fixed-counters-only");
        assertFalse(hasColour(img, 0, 650, 1100, 1300, PmuPlot.colourOf(4).getRGB()), "cpu4 in set-pmu");
        assertTrue(hasColour(img, 0, 650, 1100, 1300, PmuPlot.colourOf(3).getRGB()), "cpu3 in set-pmu");
    }

    private static boolean hasColour(BufferedImage img, int x0, int y0, int x1, int y1, int rgb) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = new String[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
