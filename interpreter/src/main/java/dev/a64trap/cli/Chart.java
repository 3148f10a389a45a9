package dev.a64trap.cli;

import dev.a64trap.machine.HostedVcpu;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The XChart rendering of a {@link PmuPlot} (kept apart so XChart loads only when --plot is given). */
final class Chart {
    private Chart() {}

    /** A 64-bit counter value read as unsigned. */
    static double unsigned(long x) {
        return x >= 0 ? x : (x >>> 1) * 2.0 + (x & 1);
    }

    static final int WIDTH = 1100;
    static final int HEIGHT = 650;

    static void render(PmuPlot plot, HostedVcpu v, OutputStream out) throws IOException {
        XYChart chart = build(plot, v, "vPMU counters: " + v.plan().mode() + " on " + v.host().name()
                + ", sched " + v.scheduler());
        if (plot.svg) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } else {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** Several runs side by side, two per row (compare --plot); {@code plot} names the format. */
    static void renderGrid(PmuPlot plot, List<PmuPlot> plots, List<HostedVcpu> vcpus, List<String> titles,
            OutputStream out) throws IOException {
        int cols = Math.min(2, plots.size());
        int rows = (plots.size() + cols - 1) / cols;
        java.awt.Graphics2D g;
        java.awt.image.BufferedImage img = null;
        de.erichseifert.vectorgraphics2d.VectorGraphics2D vg = null;
        if (plot.svg) {
            vg = new de.erichseifert.vectorgraphics2d.VectorGraphics2D();
            g = vg;
        } else {
            img = new java.awt.image.BufferedImage(cols * WIDTH, rows * HEIGHT, java.awt.image.BufferedImage.TYPE_INT_RGB);
            g = img.createGraphics();
        }
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, cols * WIDTH, rows * HEIGHT);
        for (int i = 0; i < plots.size(); i++) {
            XYChart chart = build(plots.get(i), vcpus.get(i), titles.get(i));
            java.awt.Graphics2D cg = (java.awt.Graphics2D) g.create((i % cols) * WIDTH, (i / cols) * HEIGHT, WIDTH,
                    HEIGHT);
            chart.paint(cg, WIDTH, HEIGHT);
            cg.dispose();
        }
        g.dispose();
        if (vg != null) {
            de.erichseifert.vectorgraphics2d.Processors.get("svg").getDocument(vg.getCommands(),
                    new de.erichseifert.vectorgraphics2d.util.PageSize(cols * WIDTH, rows * HEIGHT)).writeTo(out);
        } else {
            javax.imageio.ImageIO.write(img, "png", out);
        }
    }

    static XYChart build(PmuPlot plot, HostedVcpu v, String title) {
        List<PmuPlot.Sample> samples = plot.samples;
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("guest time (us)").yAxisTitle("counter value (guest-visible)").build();
        var st = chart.getStyler();
        st.setLegendPosition(Styler.LegendPosition.OutsideE);
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        st.setMarkerSize(0);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(0xe0e0e0));
        st.setAnnotationLineColor(new Color(0x606060));
        st.setAnnotationLineStroke(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_ROUND, 10f, new float[] {3f, 3f}, 0f));
        st.setAnnotationTextFontColor(Color.BLACK);
        List<Integer> moved = plot.enabledCounters();
        if (samples.isEmpty()) { // the vCPU never ran (KVM_EXIT_FAIL_ENTRY at the first entry)
            chart.addSeries("the vCPU never ran", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
            return chart;
        }
        int width = samples.get(0).values().length;
        double x0 = samples.get(0).ns() / 1000.0;
        double y0 = 0;
        List<Integer> cpusSeen = new ArrayList<>();
        int seg = 0;
        for (int k = 0; k < moved.size(); k++) {
            int ci = moved.get(k);
            // segments: runs of samples with the counter enabled on one pCPU; a segment starts at the
            // sample before when that one was enabled too, so the line is unbroken across a migration
            int start = -1;
            for (int i = 0; i <= samples.size(); i++) {
                boolean on = i < samples.size() && samples.get(i).enabled(ci);
                if (on && start >= 0 && samples.get(i).cpu() == samples.get(start).cpu()) {
                    continue;
                }
                if (start >= 0) {
                    int from = start > 0 && samples.get(start - 1).enabled(ci) ? start - 1 : start;
                    double[] xs = new double[i - from];
                    double[] ys = new double[i - from];
                    for (int j = from; j < i; j++) {
                        xs[j - from] = samples.get(j).ns() / 1000.0;
                        ys[j - from] = unsigned(samples.get(j).values()[ci]);
                    }
                    int cpu = samples.get(start).cpu();
                    if (!cpusSeen.contains(cpu)) {
                        cpusSeen.add(cpu);
                    }
                    XYSeries s = chart.addSeries("s" + seg++, xs, ys);
                    s.setLineColor(PmuPlot.colourOf(cpu));
                    s.setLineStyle(PmuPlot.strokeOf(k));
                    s.setMarker(SeriesMarkers.NONE);
                    s.setShowInLegend(false);
                    if (y0 == 0 && seg == 1) {
                        x0 = xs[0];
                        y0 = ys[0];
                    }
                }
                start = on ? i : -1;
            }
            for (int j = samples.size() - 1; j >= 0; j--) {
                if (samples.get(j).enabled(ci)) { // label the counter where its line ends
                    chart.addAnnotation(new AnnotationText(PmuPlot.counterName(ci, width),
                            samples.get(j).ns() / 1000.0, unsigned(samples.get(j).values()[ci]), false));
                    break;
                }
            }
        }
        // legend: one entry per pCPU (colour) and per counter (line style), drawn on a point already plotted
        cpusSeen.sort(Integer::compare);
        for (int cpu : cpusSeen) {
            XYSeries s = chart.addSeries("cpu" + cpu + " (" + v.pmuNameOf(cpu) + ")", new double[] {x0},
                    new double[] {y0});
            s.setLineColor(PmuPlot.colourOf(cpu));
            s.setLineStyle(PmuPlot.strokeOf(0));
            s.setMarker(SeriesMarkers.NONE);
        }
        for (int k = 0; k < moved.size(); k++) {
            XYSeries s = chart.addSeries(PmuPlot.counterName(moved.get(k), width), new double[] {x0},
                    new double[] {y0});
            s.setLineColor(Color.BLACK);
            s.setLineStyle(PmuPlot.strokeOf(k));
            s.setMarker(SeriesMarkers.NONE);
        }
        if (moved.isEmpty()) {
            XYSeries s = chart.addSeries("no counter enabled", new double[] {x0}, new double[] {y0});
            s.setMarker(SeriesMarkers.NONE);
        }
        for (HostedVcpu.Migration m : v.migrations()) {
            chart.addAnnotation(new AnnotationLine(m.nanos() / 1000.0, true, false));
        }
        return chart;
    }
}
